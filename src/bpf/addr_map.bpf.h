/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where it crashed, the fault address's own mapping (-w, -j), where it is
 * not the IP's. Both signal hooks run with interrupts off, where a second
 * VMA lookup finds the mmap lock's release still pending (crash.bpf.h);
 * the exit hook runs with interrupts on, and where it comes before
 * exit_mm() (6.16, 3e816361e94a) the task's mm is still there to look in.
 * A program of its own: bpf_find_vma is refused by older verifiers even in
 * a branch they would prune. It is attached before the exit programs, so
 * that on the same hook it runs first (a tracepoint calls its programs in
 * the order they were attached): the record finds the lookup made.
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
	u32 zero = 0;

	buf = bpf_map_lookup_elem(&crash_buf, &zero);
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
 * The process's crash entry, if its fault has a data address whose
 * mapping is still to be found: the IP's was looked up, in vain for the
 * address. sig: the exit's signal.
 */
static __always_inline struct crash_entry *addr_wanted(u32 tgid, u32 sig)
{
	struct crash_entry *ent = bpf_map_lookup_elem(&crashes, &tgid);
	u32 f;

	if (!ent || ent->sig != sig)
		return NULL;
	f = ent->crash.flags & (CRASH_F_MAPS | CRASH_F_ADDR_SAME | CRASH_F_ADDR_LOOKED);
	return f == CRASH_F_MAPS ? ent : NULL;
}

/*
 * At the exit hook, for an exit by a fault with a data address (the
 * exit's status, one load, tells): the address's mapping and its file's
 * path into the process's crash entry. Any thread's exit can make it, the
 * first that finds it not made (the mm is the process's); two at once
 * write the same. Everything else returns before a map is looked up.
 */
static __always_inline int on_exit_addr(struct task_struct *p)
{
	struct task_struct *task;
	struct addr_ask ask = {};
	struct crash_scratch *buf;
	struct crash_entry *ent;
	struct exit_crash *c;
	struct mm_struct *mm;
	u32 sig, tgid, zero = 0;

	if (!cfg.why || !cfg.find_vma || !cfg.addr_map)
		return 0;
	sig = RD(p, exit_code) & 0x7f;
	if (!sig || !(SIGBIT(sig) & DATA_ADDR_SIGNALS))
		return 0;
	/* p, typed: the lookup's argument */
	task = bpf_get_current_task_btf();
	/* told here, not by the hook's shape: after exit_mm() there is nothing to look in */
	mm = RD(task, mm);
	if (!mm)
		return 0;
	tgid = RD(task, tgid);
	ent = addr_wanted(tgid, sig);
	buf = bpf_map_lookup_elem(&crash_buf, &zero);
	if (!ent || !buf || bpf_probe_read_kernel(&buf->ent, sizeof(buf->ent), ent))
		return 0;
	c = &buf->ent.crash;
	c->flags |= CRASH_F_ADDR_LOOKED;
	ask.start_brk = BPF_CORE_READ(mm, start_brk);
	ask.brk = BPF_CORE_READ(mm, brk);
	ask.ip_inode = buf->ent.ip_inode;
	bpf_find_vma(task, buf->ent.addr, on_addr_vma, &ask, 0);
	/* the IP's own file: its path is made already */
	if (ask.file && !(c->flags & CRASH_F_ADDR_IP_FILE))
		crash_path(buf, (struct file *)ask.file, c->addr_path, CRASH_F_ADDR_PATH);
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
	return on_exit_addr((struct task_struct *)ctx[0]);
}

#endif /* __ADDR_MAP_BPF_H */
