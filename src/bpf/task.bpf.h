/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exiting task as every path reads it: its pointers loaded once, its
 * start time, and the status its parent's wait() will see.
 */
#ifndef __TASK_BPF_H
#define __TASK_BPF_H

/*
 * The exiting task and the three pointers every path reads from it, loaded
 * once at the hook's entry. Under tp_btf each pointer loaded from the
 * trusted task costs verifiers after 6.2 (6.12 and 6.18; not 6.1) linear
 * searches of the kernel's BTF for its __safe_trusted and __safe_rcu
 * tables, about 0.1 ms apiece, for every path that reaches the load:
 * loaded once, they are searched once.
 * who: the record's task for the comm and start time, the leader unless -T.
 */
struct exiting {
	struct task_struct *task;
	struct task_struct *leader;
	struct signal_struct *sig;
	struct task_struct *parent;
	struct task_struct *who;
	bool thread;		/* -T: a record per thread */
	bool last;		/* the process's last thread */
};

static __always_inline void exiting_init(struct exiting *x, struct task_struct *task)
{
	x->task = task;
	x->leader = RD(task, group_leader);
	x->sig = RD(task, signal);
	x->parent = RD(task, real_parent);
	/* pinned here: a load sunk into each branch is searched on each */
	barrier_var(x->leader);
	barrier_var(x->sig);
	barrier_var(x->parent);
	x->thread = cfg.per_thread;
	x->who = x->thread ? task : x->leader;
}

/* The process's start time: what causes, OOM marks and procs are keyed by. */
static __always_inline u64 proc_start(const struct exiting *x)
{
	return RD(x->leader, start_time);
}

/* The status wait() will return for the process: see wait_task_zombie(). */
static __always_inline u32 process_status(const struct exiting *x)
{
	if (RD(x->sig, flags) & SIGNAL_GROUP_EXIT)
		return RD(x->sig, group_exit_code);
	return RD(x->leader, exit_code);
}

#endif /* __TASK_BPF_H */
