// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: one record per terminated process (or thread), decided in the
 * kernel, with the cause of a fatal signal joined in from signal_generate
 * and the OOM killer's mark_victim.
 *
 * Built twice from this file. By default the programs are BTF-typed
 * tracepoints (tp_btf, v5.5+): kernel pointers are read with plain loads,
 * which the verifier makes fault-safe. With EXITSNOOP_RAW_TP they are raw
 * tracepoints, for kernels without tp_btf: the same reads go through
 * bpf_probe_read_kernel() with CO-RE relocations. RD() hides the
 * difference (read.bpf.h).
 *
 * The helpers live in *.bpf.h headers by job, included here in the order
 * they build on each other: still one object and one verification, every
 * helper inlined into the programs that follow (a subprogram would cost
 * each program's verification more). What stays here is the record's
 * making (fill, emit, the compat de-duplication) and the handlers.
 */
#include "bpf/core_types.bpf.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <linux/signal.h>
#include "bpf/exitsnoop.h"
#include "bpf/read.bpf.h"
#include "bpf/maps.bpf.h"
#include "bpf/task.bpf.h"
#include "bpf/cause.bpf.h"
#include "bpf/submit.bpf.h"
#include "bpf/filter.bpf.h"
#include "bpf/exe_path.bpf.h"
#include "bpf/lineage.bpf.h"
#include "bpf/story.bpf.h"
#include "bpf/cost.bpf.h"
#include "bpf/crash.bpf.h"
#include "bpf/addr_map.bpf.h"
#include "bpf/cgname.bpf.h"

static __always_inline void fill(struct exit_event *e, const struct exiting *x, u32 status)
{
	e->ts_ns = bpf_ktime_get_ns();
	e->start_ns = RD(x->who, start_time);
	e->pid = RD(x->task, tgid);
	e->tid = RD(x->task, pid);
	e->ppid = RD(x->parent, tgid);
	e->status = status;
	e->flags = x->thread ? EXIT_F_THREAD : 0;
	e->uid = (u32)bpf_get_current_uid_gid();
	RD_COMM(e->comm, x->who);
}

/*
 * Only signal deaths can carry a cause: everything else stays small.
 * full: the record has room for the cause, and gets it.
 */
static __always_inline bool wants_cause(u32 status)
{
	return cfg.why && (status & 0x7f);
}

/*
 * Could the exit's record carry where it crashed (crash.bpf.h)? A bit
 * test after wants_cause()'s, which the plain record repeats: other exits
 * pay no lookup.
 */
static __always_inline bool wants_crash(u32 status)
{
	return wants_cause(status) && (SIGBIT(status & 0x7f) & CRASH_SIGNALS);
}

static __always_inline void fill_joined(struct exit_event *e, const struct exiting *x, u32 status,
					bool full)
{
	fill(e, x, status);
	if (!full) {
		join_oom(e, proc_start(x), x->last, false);
		return;
	}
	__builtin_memset(&e->cause, 0, sizeof(e->cause));
	/* causes are keyed by the process: its leader's start time */
	join_cause(e, proc_start(x), x->last);
}

/*
 * A record with the story: built in per-CPU scratch, since its tail
 * varies in length, and copied into whichever transport is in use.
 */
static __always_inline int emit_story(void *ctx, const struct exiting *x, u32 status)
{
	struct exit_story_event *r;
	u32 zero = 0;
	u64 len = 0;
	long err;

	r = bpf_map_lookup_elem(&story_buf, &zero);
	if (!r)
		return 0;
	fill(&r->e, x, status);
	r->e.flags |= EXIT_F_STORY;
	__builtin_memset(&r->e.cause, 0, sizeof(r->e.cause));
	if (wants_cause(status))
		join_cause(&r->e, proc_start(x), x->last);
	__builtin_memset(&r->s, 0, sizeof(r->s));
	__builtin_memset(&r->l, 0, sizeof(r->l));
	fill_story(&r->s, x);
	/* without cfg.cost, frozen, nothing ever writes r->c: it stays zero */
	if (cfg.cost) {
		__builtin_memset(&r->c, 0, sizeof(r->c));
		fill_cost(&r->c, x);
	}
	if (cfg.args)
		len = story_tail(r, x);
	barrier_var(len);
	if (len > TAIL_MAX)
		len = 0;
	if (cfg.lineage)
		len += lineage(r, x, len);
	barrier_var(len);
	if (len > TAIL_MAX + ANC_MAX)
		len = 0;
	/* where it crashed: after the tail, whose slack has room for it */
	if (wants_crash(status) &&
	    take_crash(x, status, (void *)r + EXIT_STORY_HEAD_SIZE + len)) {
		r->e.flags |= EXIT_F_CRASH;
		len += sizeof(struct exit_crash);
	}
	if (cfg.perfbuf)
		err = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, r,
					    EXIT_STORY_HEAD_SIZE + len);
	else
		err = ring_output(r, EXIT_STORY_HEAD_SIZE + len, r->e.flags);
	if (err)
		__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

/*
 * A fault's exit (-w, -j): the full record with where it crashed after
 * it, built in per-CPU scratch. False when no crash is kept for it: the
 * caller sends the full record alone. Called only where the record is a
 * full one, a branch the table's program never has: it pays nothing.
 */
static __always_inline bool emit_crash(void *ctx, const struct exiting *x, u32 status)
{
	struct crash_scratch *buf;
	long err;

	if (!(SIGBIT(status & 0x7f) & CRASH_SIGNALS))
		return false;
	buf = crash_scratch();
	if (!buf || !take_crash(x, status, &buf->rec.c))
		return false;
	fill_joined(&buf->rec.e, x, status, true);
	buf->rec.e.flags |= EXIT_F_CRASH;
	if (cfg.perfbuf)
		err = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &buf->rec,
					    sizeof(buf->rec));
	else
		err = ring_output(&buf->rec, sizeof(buf->rec), buf->rec.e.flags);
	if (err)
		__sync_fetch_and_add(&stats.lost, 1);
	return true;
}

static __always_inline int emit_perf(void *ctx, const struct exiting *x, u32 status)
{
	bool full = wants_cause(status);
	struct exit_event e;

	if (full && emit_crash(ctx, x, status))
		return 0;
	fill_joined(&e, x, status, full);
	if (!full)
		return perf_output(ctx, &e, EXIT_EVENT_BASE_SIZE);
	return perf_output(ctx, &e, EXIT_EVENT_FULL_SIZE);
}

/* story: a compile-time constant, so that each exit program holds one kind of record */
static __always_inline int emit(void *ctx, const struct exiting *x, u32 status, bool story)
{
	struct exit_event *e;

	if (story)
		return emit_story(ctx, x, status);
	if (cfg.perfbuf)
		return emit_perf(ctx, x, status);
	if (!wants_cause(status)) {
		e = bpf_ringbuf_reserve(&events, EXIT_EVENT_BASE_SIZE, 0);
		if (!e)
			goto lost;
		fill_joined(e, x, status, false);
	} else {
		if (emit_crash(ctx, x, status))
			return 0;
		e = bpf_ringbuf_reserve(&events, EXIT_EVENT_FULL_SIZE, 0);
		if (!e)
			goto lost;
		fill_joined(e, x, status, true);
	}
	bpf_ringbuf_submit(e, wakeup_flag(e->flags));
	return 0;
lost:
	__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

/*
 * TP_PROTO(struct task_struct *p), before v6.16. do_exit() has already
 * decremented signal->live, so the last thread sees 0; but a thread that
 * decremented earlier can also see 0 by the time it gets here, so each
 * process (tgid + start time) is reported once. Filters come first: an
 * exit they reject costs no map update.
 *
 * Was the process already reported by another thread that saw live == 0?
 * Two threads can race only while both are unreleased: a thread leaves
 * signal->nr_threads in release_task(), after this tracepoint. So a thread
 * that finds itself the only one (a single-threaded process, by far the
 * common case: fork storms, shells) only looks up the map, for a racer
 * already released; threads that see others claim the process with an
 * insert, which one of them wins. The map then holds only the rare
 * multi-threaded races, and inserts stay off the common path (an LRU
 * insert that evicts costs about a microsecond under a fork storm).
 */
static __always_inline bool reported_before(const struct exiting *x, struct proc_key *key)
{
	u8 one = 1;

	if (RD(x->sig, nr_threads) <= 1)
		return bpf_map_lookup_elem(&reported, key) != NULL;
	return bpf_map_update_elem(&reported, key, &one, BPF_NOEXIST) != 0;
}

/*
 * Pre-6.16 only: was the process's last exit already another thread's?
 * Then this thread's record, if -T wants one, is not the process's last;
 * without -T there is nothing to report.
 */
static __always_inline bool claimed_before(struct exiting *x)
{
	struct proc_key key = {};

	if (!cfg.compat || !x->last)
		return false;
	key.tgid = RD(x->task, tgid);
	key.start_ns = proc_start(x);
	if (!reported_before(x, &key))
		return false;
	x->last = false;
	return !x->thread;
}

/*
 * TP_PROTO(struct task_struct *p, bool group_dead), v6.16+ (3e816361e94a
 * "sched/tracepoints: Move and extend the sched_process_exit() tracepoint"):
 * group_dead is true for the last thread of the group, the moment the
 * process ends. Before, TP_PROTO(struct task_struct *p) and signal->live
 * (cfg.compat). ctx[1] is read by hand, only where it exists. One path for
 * both hooks: each instruction is one more CO-RE relocation for libbpf.
 */
static __always_inline int on_exit(u64 *ctx, bool story)
{
	struct exiting x;
	u32 status;

	exiting_init(&x, (void *)ctx[0]);
	if (cfg.compat)
		x.last = RD(x.sig, live.counter) == 0;
	else
		x.last = ctx[1];
	if (!x.thread && !x.last)
		return 0;
	if (!wanted(&x, &status)) {
		if (x.last)
			forget(&x);
		return 0;
	}
	if (claimed_before(&x))
		return 0;
	return emit(ctx, &x, status, story);
}

/*
 * Two programs on the one hook; the tracer attaches one. Records with the
 * story (-j, -a, -r, --container) read a dozen more kernel types: kept out
 * of the plain program, they cost a table's start nothing (the libbpf
 * loader relocates, and the verifier walks, only what a program holds).
 */
SEC(HOOK(sched_process_exit))
int handle_exit(u64 *ctx)
{
	if (cfg.story)
		return 0;
	return on_exit(ctx, false);
}

SEC(HOOK(sched_process_exit))
int handle_exit_story(u64 *ctx)
{
	if (!cfg.story)
		return 0;
	return on_exit(ctx, true);
}

/*
 * TP_PROTO(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm):
 * after a successful exec, in the new image (p is current). Keeps argv and
 * the executable for the exit record (cfg.args). A non-leader thread that
 * execs takes over its leader's start time (de_thread()), so the key is
 * the one the exit will look up.
 */
SEC(HOOK(sched_process_exec))
int handle_exec(u64 *ctx)
{
	struct task_struct *task = (void *)ctx[0];
	struct proc_scratch *buf;
	struct mm_struct *mm;
	struct proc_info *info;
	struct proc_key key = {};
	u32 zero = 0;

	if (!cfg.args)
		return 0;
	key.tgid = RD(task, tgid);
	if (cfg.tgid && !is_target(task)) /* current: the task that exec'd */
		return 0;
	if (cfg.cgroup && !bpf_current_task_under_cgroup(&cgroup_filter, 0))
		return 0;
	buf = bpf_map_lookup_elem(&proc_buf, &zero);
	if (!buf)
		return 0;
	info = &buf->info;
	key.start_ns = RD(task, group_leader, start_time);
	info->tgid = key.tgid;
	info->start_ns = key.start_ns;
	mm = BPF_CORE_READ(task, mm);
	collect(mm, buf);
	if (cfg.lineage)
		lineage_exec(mm, info);
	bpf_map_update_elem(&procs, &key, info, BPF_ANY);
	return 0;
}

/*
 * TP_PROTO(int sig, struct kernel_siginfo *info, struct task_struct *task,
 *          int group, int result). current is the sender; for faults and
 * self-inflicted signals it is also the target. info may be one of the
 * kernel's special values SEND_SIG_NOINFO (0) or SEND_SIG_PRIV (1).
 */
SEC(HOOK(signal_generate))
int BPF_PROG(handle_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	struct task_struct *cur, *sender;
	struct cause_entry ent;
	struct siginfo_head si;
	u32 tgid;

	/* filters first: a SIGCHLD comes with every exit */
	if (!cfg.why)
		return 0;
	if (result != TRACE_SIGNAL_DELIVERED || sig <= 0 || sig > 64)
		return 0;
	if (SIGBIT(sig) & HARMLESS_SIGNALS)
		return 0;
	tgid = RD(task, tgid);
	/* in a PID namespace the exit hook filters; causes are joined by host tgid */
	if (cfg.tgid && !cfg.pidns_ino && tgid != cfg.tgid)
		return 0;
	if (cfg.tree && !is_traced(tgid))
		return 0;

	/*
	 * The sender through probe reads, under tp_btf too: its typed twin
	 * bpf_get_current_task_btf() is v5.11 (3ca1032ab7ab), and a fatal
	 * signal is rare enough for the reads not to matter.
	 */
	cur = (struct task_struct *)bpf_get_current_task();
	__builtin_memset(&ent, 0, sizeof(ent));
	ent.start_ns = RD(task, group_leader, start_time);
	ent.cause.sig = sig;
	ent.cause.sender_pid = BPF_CORE_READ(cur, tgid);
	ent.cause.sender_uid = (u32)bpf_get_current_uid_gid();
	sender = BPF_CORE_READ(cur, group_leader);
	BPF_CORE_READ_INTO(&ent.cause.sender_comm, sender, comm);
	if ((unsigned long)info <= 1) {
		ent.flags = EXIT_F_SIGINFO_NONE;
		ent.cause.si_code = info ? SI_KERNEL : SI_USER;
	} else {
		bpf_probe_read_kernel(&si, sizeof(si), info);
		ent.cause.si_code = si.si_code;
		if (si.si_code > 0 && si.si_code != SI_KERNEL)
			ent.cause.addr = si.field0;
	}
	bpf_map_update_elem(&causes, &tgid, &ent, BPF_ANY);
	/* where it crashed: in this program, not one more on every signal */
	if ((unsigned long)info > 1 && (SIGBIT(sig) & CRASH_SIGNALS))
		on_fault(ctx, sig, &si, task);
	return 0;
}

/*
 * TP_PROTO(int sig, struct kernel_siginfo *info, struct k_sigaction *ka):
 * current dequeued sig. Loaded only where bpf_find_vma is (v5.17,
 * 7c7e3d31e785 "bpf: Introduce helper bpf_find_vma"): an older verifier
 * rejects its callback even in a branch it would prune.
 */
SEC(HOOK(signal_deliver))
int handle_fault_maps(u64 *ctx)
{
	return on_deliver((int)ctx[0]);
}

/*
 * TP_PROTO(struct task_struct *task, uid_t uid) since v6.9 (72ba14deb40a
 * "mm: update mark_victim tracepoints fields"), and in stable kernels that
 * took it (6.6, 6.1, 5.10: Debian's 5.10.262 and 6.1.176 have it); before,
 * int pid, and cfg.oom_task is off.
 */
SEC(HOOK(mark_victim))
int handle_mark_victim(u64 *ctx)
{
	struct oom_entry ent = {};
	struct task_struct *task;
	u32 tgid;

	if (!cfg.oom || !cfg.oom_task)
		return 0;
	task = (void *)ctx[0];
	tgid = RD(task, tgid);
	if (cfg.tgid && !cfg.pidns_ino && tgid != cfg.tgid)
		return 0;
	if (cfg.tree && !is_traced(tgid))
		return 0;
	ent.start_ns = RD(task, group_leader, start_time);
	ent.rss_pages = mm_rss_pages(BPF_CORE_READ(task, mm));
	ent.memcg_id = oom_memcg_id(ctx, task, &ent.flags);
	bpf_map_update_elem(&ooms, &tgid, &ent, BPF_ANY);
	return 0;
}

/*
 * TP_PROTO(struct task_struct *parent, struct task_struct *child): a
 * process forked by a member of the traced tree is a member, entered
 * before the child first runs (the tracepoint precedes wake_up_new_task),
 * so none of its exits can be missed. A new thread (same tgid) is not a
 * new process. Attached only with -- CMD and --tree.
 */
SEC(HOOK(sched_process_fork))
int handle_fork(u64 *ctx)
{
	struct task_struct *parent = (void *)ctx[0];
	struct task_struct *child = (void *)ctx[1];
	u32 ptgid, tgid;
	u64 start, *pstart;
	long err;

	if (!cfg.tree)
		return 0;
	ptgid = RD(parent, tgid);
	if (!may_be_traced(ptgid))
		return 0;
	tgid = RD(child, tgid);
	if (tgid == ptgid)
		return 0;
	pstart = bpf_map_lookup_elem(&traced, &ptgid);
	if (!pstart)
		return 0;
	start = RD(parent, group_leader, start_time);
	if (*pstart && *pstart != start)
		return 0; /* a stale entry: this parent is a stranger with a reused PID */
	if (!*pstart)
		*pstart = start; /* the member is alive: its entry is exact from now on */
	start = RD(child, start_time);
	err = bpf_map_update_elem(&traced, &tgid, &start, BPF_NOEXIST);
	if (!err)
		__sync_fetch_and_add(&tree_hint[tgid % TREE_HINT_SLOTS], 1);
	else if (err != -EEXIST || bpf_map_update_elem(&traced, &tgid, &start, BPF_EXIST))
		__sync_fetch_and_add(&stats.untracked, 1); /* full */
	/* EEXIST: a stale entry of a reused PID, replaced; the hint counts it already */
	return 0;
}

/*
 * TP_PROTO(struct cgroup *cgrp, const char *path): a cgroup was made;
 * path is relative to its hierarchy's root. Attached with cfg.cgroup_names.
 */
SEC(HOOK(cgroup_mkdir))
int handle_cgroup_mkdir(u64 *ctx)
{
	struct cgroup *cgrp = (void *)ctx[0];

	if (!cfg.cgroup_names || !cgroup_name_wanted(cgrp))
		return 0;
	return emit_cgroup_name(ctx, cgrp, (const char *)ctx[1]);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
