/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Why a fatal signal: the causes signal_generate and mark_victim leave in
 * their maps, joined into the exit's record by PID and start time, and
 * what those two hooks need to leave them.
 */
#ifndef __CAUSE_BPF_H
#define __CAUSE_BPF_H

/*
 * Was a SIGKILL the OOM killer's? full: the record has room for the
 * details; otherwise (--summary without -w) only the flag is set.
 */
static __always_inline void join_oom(struct exit_event *e, u64 proc_start, bool last, bool full)
{
	u32 tgid = e->pid;
	struct oom_entry *o;

	if (!cfg.oom || (e->status & 0x7f) != SIGKILL)
		return;
	o = bpf_map_lookup_elem(&ooms, &tgid);
	if (!o)
		return;
	if (o->start_ns == proc_start) {
		if (full) {
			e->cause.oom_rss_pages = o->rss_pages;
			e->cause.oom_memcg_id = o->memcg_id;
		}
		e->flags |= EXIT_F_OOM | o->flags;
	}
	if (last)
		bpf_map_delete_elem(&ooms, &tgid);
}

static __always_inline void join_cause(struct exit_event *e, u64 proc_start, bool last)
{
	u32 sig = e->status & 0x7f;
	u32 tgid = e->pid;
	struct cause_entry *c;

	c = bpf_map_lookup_elem(&causes, &tgid);
	if (c && c->start_ns == proc_start && c->cause.sig == sig) {
		e->cause = c->cause;
		e->flags |= EXIT_F_CAUSE | c->flags;
	}
	if (c && last)
		bpf_map_delete_elem(&causes, &tgid);
	join_oom(e, proc_start, last, true);
}

/*
 * Signals whose default action neither terminates nor dumps core. Their
 * numbers come from the target architecture's UAPI headers (SIGCHLD is 17
 * on x86 and arm64, 18 on mips).
 */
#define SIGBIT(s) (1ULL << ((s) & 63))
#define HARMLESS_SIGNALS                                                                  \
	(SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) |           \
	 SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))

/* The UAPI siginfo layout: stable ABI, so fixed offsets are safe here. */
struct siginfo_head {
	int si_signo;
	int si_errno;
	int si_code;
	int pad;
	u64 field0; /* _kill: pid | uid << 32; _sigfault: addr */
};

/*
 * The memory cgroup whose limit caused the OOM: the nearest one, from the
 * victim up, whose usage is at its limit. A global OOM finds none.
 */
static __always_inline struct cgroup *oom_memcg(struct task_struct *task, u32 *flags)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	unsigned long max;
	s64 usage;
	int id, i;

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	css = BPF_CORE_READ(task, cgroups, subsys[id & 15]);
	for (i = 0; i < MAX_MEMCG_DEPTH && css; i++) {
		memcg = (void *)css - bpf_core_field_offset(struct mem_cgroup, css);
		usage = BPF_CORE_READ(memcg, memory.usage.counter);
		max = BPF_CORE_READ(memcg, memory.max);
		/* the failed charge left usage within a charge batch of max */
		if (max < (1UL << 50) && usage + 64 + (max >> 5) >= max) {
			*flags |= EXIT_F_OOM_MEMCG;
			return BPF_CORE_READ(css, cgroup);
		}
		css = BPF_CORE_READ(css, parent);
	}
	return NULL;
}

#endif /* __CAUSE_BPF_H */
