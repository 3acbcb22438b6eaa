/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where it crashed, at the exit hook (-w, -j): the fault address's own
 * mapping, where it is not the IP's, and what another BPF program made
 * busy at the signal. Both signal hooks run with interrupts off, where a
 * VMA lookup finds the mmap lock's release still pending if another came
 * first, ours or not (crash.bpf.h); the exit hook runs with interrupts
 * on, and where it comes before exit_mm() (6.16, 3e816361e94a) the task's
 * mm is still there to look in.
 * A program of its own: bpf_find_vma is refused by older verifiers even in
 * a branch they would prune. It is attached before the exit programs, so
 * that on the same hook it runs first (a tracepoint calls its programs in
 * the order they were attached): the record finds the lookups made.
 */
#ifndef __ADDR_MAP_BPF_H
#define __ADDR_MAP_BPF_H

/* bpf_find_vma's callback: asked the heap's bounds and the IP's file; tells the file. */
struct addr_ask {
	u64 start_brk;
	u64 brk;
	u64 ip_inode;
	u64 file;	/* out: the address's mapping's struct file */
};

/*
 * Under the mmap lock: the address's mapping, named as /proc/PID/maps
 * names it: a file's start and offset, or the brk heap, or other memory.
 * Returns 0, the one value every kernel's verifier takes from it.
 */
static long on_addr_vma(struct task_struct *task, struct vm_area_struct *vma,
			struct addr_ask *ask)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);
	u64 start = BPF_CORE_READ(vma, vm_start);
	struct crash_scratch *buf;
	struct exit_crash *c;

	buf = crash_scratch();
	if (!buf)
		return 0;
	c = &buf->ent.crash;
	if (!file) {
		if (start <= ask->brk && BPF_CORE_READ(vma, vm_end) >= ask->start_brk)
			c->flags |= CRASH_F_ADDR_HEAP;
		else
			c->flags |= CRASH_F_ADDR_ANON;
		return 0;
	}
	c->addr_start = start;
	c->addr_pgoff = BPF_CORE_READ(vma, vm_pgoff);
	c->flags |= CRASH_F_ADDR_FILE;
	if ((u64)BPF_CORE_READ(file, f_inode) == ask->ip_inode)
		c->flags |= CRASH_F_ADDR_IP_FILE;
	ask->file = (u64)file;
	return 0;
}

/*
 * Is the fault address's mapping still to be found? The IP's was looked
 * up, in vain for the address, and sig has a data address.
 */
static __always_inline bool addr_wanted(u32 flags, u32 sig)
{
	u32 f = flags & (CRASH_F_MAPS | CRASH_F_ADDR_SAME | CRASH_F_ADDR_LOOKED);

	return (SIGBIT(sig) & DATA_ADDR_SIGNALS) && f == CRASH_F_MAPS;
}

/* The faulting thread's: the IP's build ID, refused or not there at the signal, not yet asked again. */
static __always_inline bool bid_wanted(u32 flags, u32 tid, const struct crash_entry *ent)
{
	u32 f = flags & (CRASH_F_IP | CRASH_F_IP_BUILD_ID | CRASH_F_BID_RETRIED);

	return f == CRASH_F_IP && tid == ent->tid;
}

/*
 * The process's crash entry, if the exit's signal is its fault's and the
 * exit hook has something to make for it: the fault address's mapping,
 * or what another BPF program's lookup made busy at the signal.
 */
static __always_inline struct crash_entry *exit_wanted(u32 tgid, u32 tid, u32 sig)
{
	struct crash_entry *ent = bpf_map_lookup_elem(&crashes, &tgid);
	u32 flags;

	if (!ent || ent->sig != sig)
		return NULL;
	flags = ent->crash.flags;
	if ((flags & CRASH_F_IP_REFUSED) || addr_wanted(flags, sig) || bid_wanted(flags, tid, ent))
		return ent;
	return NULL;
}

/*
 * The IP's mapping and build ID, again, where the signal's lookups were
 * refused: here, with interrupts on, the helpers take the mmap lock and
 * drop it themselves, with no irq_work to share. The mapping by the IP
 * kept (any thread: the mm is the process's); the build ID from the
 * registers, which are the fault's in the faulting thread only (a fatal
 * signal's exit starts from its delivery, task_pt_regs untouched), and
 * only if the stack's first frame is still the IP.
 */
static __always_inline void retry_ip(void *ctx, struct crash_scratch *buf,
				     struct task_struct *task, u32 sig, u32 tid)
{
	struct exit_crash *c = &buf->ent.crash;
	u64 ip;

	if ((c->flags & CRASH_F_IP_REFUSED) && ip_lookup(buf, task, sig))
		c->flags &= ~CRASH_F_IP_REFUSED;
	if (!bid_wanted(c->flags, tid, &buf->ent))
		return;
	c->flags |= CRASH_F_BID_RETRIED;
	if (bpf_get_stack(ctx, &ip, sizeof(ip), BPF_F_USER_STACK) == sizeof(ip) && ip == c->ip)
		crash_build_id(ctx, c);
}

/* The fault address's mapping and its file's path, by a lookup in task's mm. */
static __always_inline void addr_lookup(struct crash_scratch *buf, struct task_struct *task,
					struct mm_struct *mm)
{
	struct exit_crash *c = &buf->ent.crash;
	struct addr_ask ask = {};

	c->flags |= CRASH_F_ADDR_LOOKED;
	ask.start_brk = BPF_CORE_READ(mm, start_brk);
	ask.brk = BPF_CORE_READ(mm, brk);
	ask.ip_inode = buf->ent.ip_inode;
	bpf_find_vma(task, buf->ent.addr, on_addr_vma, &ask, 0);
	/* the IP's own file: its path is made already */
	if (ask.file && !(c->flags & CRASH_F_ADDR_IP_FILE))
		crash_path(buf, (struct file *)ask.file, c->addr_path, CRASH_F_ADDR_PATH);
}

/*
 * At the exit hook, for an exit by a fault (the exit's status, one load,
 * tells): what the signal hooks could not make into the process's crash
 * entry, the IP's mapping first (it may hold the address too). Any
 * thread's exit can make the mappings, the first that finds them not made
 * (the mm is the process's); two at once write the same. Everything else
 * returns before a map is looked up.
 */
static __always_inline int on_exit_fault(void *ctx, struct task_struct *p)
{
	struct task_struct *task;
	struct crash_scratch *buf;
	struct crash_entry *ent;
	struct mm_struct *mm;
	u32 sig, tgid, tid;

	if (!cfg.why || !cfg.find_vma || !cfg.addr_map)
		return 0;
	sig = RD(p, exit_code) & 0x7f;
	if (!sig || !(SIGBIT(sig) & CRASH_SIGNALS))
		return 0;
	/* p, typed: the lookup's argument */
	task = bpf_get_current_task_btf();
	/* told here, not by the hook's shape: after exit_mm() there is nothing to look in */
	mm = RD(task, mm);
	if (!mm)
		return 0;
	tgid = RD(task, tgid);
	tid = RD(task, pid);
	ent = exit_wanted(tgid, tid, sig);
	buf = crash_scratch();
	if (!ent || !buf || bpf_probe_read_kernel(&buf->ent, sizeof(buf->ent), ent))
		return 0;
	retry_ip(ctx, buf, task, sig, tid);
	if (addr_wanted(buf->ent.crash.flags, sig))
		addr_lookup(buf, task, mm);
	bpf_map_update_elem(&crashes, &tgid, &buf->ent, BPF_EXIST);
	return 0;
}

/*
 * TP_PROTO(struct task_struct *p, bool group_dead); p is current. Loaded
 * only where bpf_find_vma is, as handle_fault_maps is; attached only
 * where the tracepoint has group_dead, the shape it took when it moved
 * before exit_mm() (tracer.c).
 */
SEC(HOOK(sched_process_exit))
int handle_fault_addr(u64 *ctx)
{
	return on_exit_fault(ctx, (struct task_struct *)ctx[0]);
}

#endif /* __ADDR_MAP_BPF_H */
