/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where it crashed (-w, -j): for a fault the kernel raised in the process,
 * the user instruction pointer and the mappings of it and of the fault
 * address, kept at signal_generate (the faulting task is current there)
 * and put at the end of the exit's record.
 */
#ifndef __CRASH_BPF_H
#define __CRASH_BPF_H

/* The signals of faults; SIGSYS for seccomp's. */
#define CRASH_SIGNALS                                                                  \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGFPE) |           \
	 SIGBIT(SIGTRAP) | SIGBIT(SIGSYS))
/* Those whose si_addr is a data address, not the instruction's own. */
#define DATA_ADDR_SIGNALS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS))
#ifndef EBUSY
#define EBUSY 16
#endif

/*
 * The process's crash into dst, if this exit is the one its fault made;
 * the entry goes with the last thread, after the copy (an LRU element
 * freed is reused at once).
 */
static __always_inline bool take_crash(const struct exiting *x, u32 status,
				       struct exit_crash *dst)
{
	u32 tgid = RD(x->task, tgid);
	struct crash_entry *c;
	bool ok = false;

	c = bpf_map_lookup_elem(&crashes, &tgid);
	if (!c)
		return false;
	if (c->start_ns == proc_start(x) && c->sig == (status & 0x7f))
		ok = !bpf_probe_read_kernel(dst, sizeof(*dst), &c->crash);
	if (x->last)
		bpf_map_delete_elem(&crashes, &tgid);
	return ok;
}

/*
 * The build ID and file offset of the user IP's mapping, by the stack
 * helper: the first frame of the user stack is the IP of the registers
 * the fault saved (task_pt_regs(current)), on every kernel since 4.18.
 * Nothing when it has no build ID, its page is not in memory, or the mmap
 * lock was not to be had (as for ip_lookup(), below).
 */
static __always_inline void crash_build_id(void *ctx, struct exit_crash *c)
{
	struct bpf_stack_build_id bid;

	if (bpf_get_stack(ctx, &bid, sizeof(bid), BPF_F_USER_STACK | BPF_F_USER_BUILD_ID) <
	    (long)sizeof(bid))
		return;
	if (bid.status != BPF_STACK_BUILD_ID_VALID)
		return; /* the IP alone */
	__builtin_memcpy(c->build_id, bid.build_id, sizeof(c->build_id));
	c->bid_offset = bid.offset;
	c->flags |= CRASH_F_IP_BUILD_ID;
}

/* The user IP, and its build ID and file offset where the kernel finds them. */
static __always_inline void crash_ip(void *ctx, struct exit_crash *c)
{
	u64 ip;

	if (bpf_get_stack(ctx, &ip, sizeof(ip), BPF_F_USER_STACK) < (long)sizeof(ip))
		return;
	c->ip = ip;
	c->flags |= CRASH_F_IP;
	crash_build_id(ctx, c);
}

/* bpf_find_vma's callback: asked the fault's data address, if any; tells the file. */
struct vma_ask {
	u64 addr;
	u64 file;	/* out: the IP's mapping's struct file */
	u32 has_addr;
	u32 pad;
};

/*
 * Under the mmap lock: the IP's mapping's start and offset, and whether
 * the fault address lies in it. An anonymous mapping gives nothing. The
 * path is walked by the caller: in this callback the verifier would walk
 * it for every state it brings, and 60,000 instructions were its figure.
 * Returns 0, the one value every kernel's verifier takes from it.
 */
static long on_vma(struct task_struct *task, struct vm_area_struct *vma, struct vma_ask *ask)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);
	u64 start = BPF_CORE_READ(vma, vm_start);
	struct crash_scratch *buf;
	struct exit_crash *c;

	buf = crash_scratch();
	if (!buf || !file)
		return 0;
	c = &buf->ent.crash;
	c->ip_start = start;
	c->ip_pgoff = BPF_CORE_READ(vma, vm_pgoff);
	c->flags |= CRASH_F_IP_FILE;
	if (ask->has_addr && ask->addr >= start && ask->addr < BPF_CORE_READ(vma, vm_end))
		c->flags |= CRASH_F_ADDR_SAME;
	ask->file = (u64)file;
	return 0;
}

/*
 * The path of a mapped file into dst, as the exe's is made; flag in the
 * crash's flags when made. At signal_deliver the mmap lock the lookup
 * took is still held: with interrupts off its release waits for the
 * irq_work, after this program.
 */
static __always_inline void crash_path(struct crash_scratch *buf, struct file *file, char *dst,
				       u32 flag)
{
	u64 pos = exe_path(file, buf->path);

	if (pos >= EXE_MAX)
		return;
	if (bpf_probe_read_kernel_str(dst, EXE_MAX, buf->path + pos) == EXE_MAX - pos)
		buf->ent.crash.flags |= flag;
}

/*
 * signal_generate, after the cause (whose filters it passed), for a fault
 * the kernel raised in the task itself (the target is current and si_code
 * is the kernel's): the IP, its build ID and offset.
 */
static __always_inline void on_fault(void *ctx, int sig, const struct siginfo_head *si,
				     struct task_struct *task)
{
	struct crash_scratch *buf;
	u32 tgid;

	if (si->si_code <= 0 || (u64)task != bpf_get_current_task())
		return; /* sent with kill(), tgkill() or sigqueue(): no fault */
	buf = crash_scratch();
	if (!buf)
		return;
	__builtin_memset(&buf->ent, 0, sizeof(buf->ent) - sizeof(buf->ent.crash) +
					EXIT_CRASH_HEAD_SIZE);
	tgid = RD(task, tgid);
	buf->ent.start_ns = RD(task, group_leader, start_time);
	buf->ent.addr = si->field0;
	buf->ent.sig = sig;
	buf->ent.tid = RD(task, pid);
	crash_ip(ctx, &buf->ent.crash);
	bpf_map_update_elem(&crashes, &tgid, &buf->ent, BPF_ANY);
}

/*
 * The IP's mapping and its file's path into buf's entry, by a lookup in
 * task's mm. False when it was refused (-EBUSY): the mmap lock was
 * taken, or with interrupts off its release's per-CPU irq_work, shared by
 * every BPF program on the machine, is still pending for another one's
 * lookup (a second tracer, a profiler taking build IDs) in the same
 * interrupts-off section.
 */
static __always_inline bool ip_lookup(struct crash_scratch *buf, struct task_struct *task,
				      int sig)
{
	struct exit_crash *c = &buf->ent.crash;
	struct vma_ask ask = {};
	struct file *file;
	long err;

	ask.addr = buf->ent.addr;
	ask.has_addr = !!(SIGBIT(sig) & DATA_ADDR_SIGNALS);
	err = bpf_find_vma(task, c->ip, on_vma, &ask, 0);
	file = (struct file *)ask.file;
	if (file) {
		buf->ent.ip_inode = (u64)BPF_CORE_READ(file, f_inode);
		crash_path(buf, file, c->ip_path, CRASH_F_IP_PATH);
	}
	return err != -EBUSY;
}

/*
 * signal_deliver, as the faulting thread takes its fault's signal: the
 * IP's mapping, where bpf_find_vma is. With interrupts off (both hooks
 * hold the siglock), the stack helper and the VMA lookup each leave the
 * mmap lock to a per-CPU irq_work to drop, and whichever comes second
 * while it is pending finds it busy: one lookup per hook. Interrupts come
 * on between the two hooks, so the build ID is taken at generation and
 * the mapping here; the fault address's own, a third, waits for the
 * exit hook (addr_map.bpf.h), which also makes again what another BPF
 * program's lookup made busy here.
 */
static __always_inline int on_deliver(int sig)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct crash_scratch *buf;
	struct crash_entry *ent;
	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32;

	if (!cfg.why || !cfg.find_vma || sig <= 0 || sig > 64 || !(SIGBIT(sig) & CRASH_SIGNALS))
		return 0;
	ent = bpf_map_lookup_elem(&crashes, &tgid);
	if (!ent || ent->tid != (u32)id || ent->sig != sig || (ent->crash.flags & CRASH_F_MAPS))
		return 0;
	buf = crash_scratch();
	if (!buf || bpf_probe_read_kernel(&buf->ent, sizeof(buf->ent), ent))
		return 0;
	buf->ent.crash.flags |= CRASH_F_MAPS;
	if ((buf->ent.crash.flags & CRASH_F_IP) && !ip_lookup(buf, cur, sig))
		buf->ent.crash.flags |= CRASH_F_IP_REFUSED;
	bpf_map_update_elem(&crashes, &tgid, &buf->ent, BPF_EXIST);
	return 0;
}

#endif /* __CRASH_BPF_H */
