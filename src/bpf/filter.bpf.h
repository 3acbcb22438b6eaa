/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which exits are wanted, decided before any map is written: the traced
 * tree (-- CMD, --tree), -p, -x, --signal, --code, --comm.
 */
#ifndef __FILTER_BPF_H
#define __FILTER_BPF_H

/* No: not in the traced tree. Yes: perhaps (the map says). */
static __always_inline bool may_be_traced(u32 tgid)
{
	return tree_hint[tgid % TREE_HINT_SLOTS] != 0;
}

static __always_inline bool is_traced(u32 tgid)
{
	return may_be_traced(tgid) && bpf_map_lookup_elem(&traced, &tgid);
}

/*
 * Is the task's process in the traced tree? Its last exit takes it out,
 * whatever the other filters then decide. (Pre-6.16, two threads that
 * both see themselves last: the second finds no entry, and with -T its
 * record is not made.)
 */
static __always_inline bool in_tree(const struct exiting *x)
{
	u32 tgid = RD(x->task, tgid);
	u64 *start;
	bool stale;

	if (!may_be_traced(tgid))
		return false;
	start = bpf_map_lookup_elem(&traced, &tgid);
	if (!start)
		return false;
	/* a stale entry: the PID is someone else's now; it goes all the same */
	stale = *start && *start != proc_start(x);
	if (x->last && !bpf_map_delete_elem(&traced, &tgid))
		__sync_fetch_and_add(&tree_hint[tgid % TREE_HINT_SLOTS], -1);
	return !stale;
}

/* --signal and --code: one set of statuses, fatal signals or these codes. */
static __always_inline bool status_wanted(u32 status)
{
	u32 code = (status >> 8) & 0xff;

	if (status & 0x7f)
		return cfg.signal_only;
	return cfg.codes_set && (cfg.codes[code >> 6] >> (code & 63)) & 1;
}

/* --comm: an exact match of the name the record carries. */
static __always_inline bool comm_wanted(const struct exiting *x)
{
	union {
		char s[TASK_COMM_LEN];
		u64 w[2];
	} c;
	u32 i;

	RD_COMM(c.s, x->who);
#pragma unroll
	for (i = 0; i < COMM_FILTER_MAX; i++) {
		if (i >= cfg.ncomm)
			break;
		if ((c.w[0] & cfg.comm_mask[i][0]) == cfg.comm_val[i][0] &&
		    (c.w[1] & cfg.comm_mask[i][1]) == cfg.comm_val[i][1])
			return true;
	}
	return false;
}

/*
 * -p names a PID as its caller sees it. From inside a PID namespace that
 * is not the host's: the exiting task is current here, and
 * bpf_get_ns_current_pid_tgid() (v5.7, b4490c5c4e02) gives its PID in the
 * caller's namespace.
 */
static __always_inline bool is_target(struct task_struct *task)
{
	struct bpf_pidns_info ns;

	if (!cfg.pidns_ino)
		return RD(task, tgid) == cfg.tgid;
	if (bpf_get_ns_current_pid_tgid(cfg.pidns_dev, cfg.pidns_ino, &ns, sizeof(ns)))
		return false;
	return ns.tgid == cfg.tgid;
}

/*
 * The filters every record passes, cheapest first, before any map is
 * updated: the status is what -x decides on and what the record carries.
 * Outside a traced tree an exit costs one lookup. last: the process's
 * last thread.
 */
static __always_inline bool wanted(const struct exiting *x, u32 *status)
{
	if (cfg.tgid && !is_target(x->task))
		return false;
	if (cfg.tree && !in_tree(x))
		return false;
	if (cfg.uid_set && (u32)bpf_get_current_uid_gid() != cfg.uid)
		return false;
	if (cfg.cgroup && !bpf_current_task_under_cgroup(&cgroup_filter, 0))
		return false;
	*status = x->thread ? RD(x->task, exit_code) : process_status(x);
	if (cfg.failed_only && *status == 0)
		return false;
	if ((cfg.signal_only || cfg.codes_set) && !status_wanted(*status))
		return false;
	return !cfg.ncomm || comm_wanted(x);
}

#endif /* __FILTER_BPF_H */
