/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The story of a process (-j, -a, -r, --container): what it used (rusage,
 * peak RSS), its ids and cgroup, and the argv and exe its exec left.
 */
#ifndef __STORY_BPF_H
#define __STORY_BPF_H

/* get_mm_rss(): file, anon and shmem pages. */
static __always_inline u64 mm_rss_pages(struct mm_struct *mm)
{
	struct mm_struct___old *old;
	s64 n;

	if (!mm)
		return 0;
	/*
	 * A field test, not bpf_core_type_exists(struct mm_rss_stat): a type
	 * missing from vmlinux sends libbpf's loader to the module BTFs, whose
	 * listing needs CAP_SYS_ADMIN. mm_struct is always there.
	 */
	if (bpf_core_field_exists(struct mm_struct___old, rss_stat)) {
		old = (void *)mm;
		n = BPF_CORE_READ(old, rss_stat.count[MM_FILEPAGES].counter) +
		    BPF_CORE_READ(old, rss_stat.count[MM_ANONPAGES].counter) +
		    BPF_CORE_READ(old, rss_stat.count[MM_SHMEMPAGES].counter);
	} else {
		n = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count) +
		    BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count) +
		    BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	}
	return n > 0 ? n : 0;
}

/*
 * The tgid as the process's own PID namespace numbers it:
 * thread_pid->numbers[thread_pid->level].nr. Read with probe reads in
 * both builds: the index is variable.
 */
static __always_inline u32 ns_tgid(struct task_struct *leader)
{
	struct pid *pid = BPF_CORE_READ(leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	u32 nr = 0;

	if (!pid || level >= MAX_PID_NS_LEVEL)
		return 0;
	bpf_probe_read_kernel(&nr, sizeof(nr),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      level * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, nr));
	return nr;
}

/*
 * What the process (or, with -T, the thread) used, as getrusage() adds
 * it up for a reaped child (RUSAGE_BOTH, without its reaped children):
 * signal_struct holds the threads already released; the exiting thread
 * and a zombie group leader hold their own until release_task().
 */
static __always_inline void fill_story(struct exit_story *s, const struct exiting *x)
{
	struct task_struct *task = x->task, *leader = x->leader;
	struct signal_struct *sig = x->sig;
	/* probe reads: each typed walk would cost the verifier a BTF search */
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	u64 hiwater, rss;

	s->utime_ns = RD(task, utime);
	s->stime_ns = RD(task, stime);
	s->runtime_ns = RD(task, se.sum_exec_runtime);
	s->minflt = RD(task, min_flt);
	s->majflt = RD(task, maj_flt);
	s->nvcsw = RD(task, nvcsw);
	s->nivcsw = RD(task, nivcsw);
	if (!x->thread) {
		s->utime_ns += RD(sig, utime);
		s->stime_ns += RD(sig, stime);
		s->runtime_ns += RD(sig, sum_sched_runtime);
		s->minflt += RD(sig, min_flt);
		s->majflt += RD(sig, maj_flt);
		s->nvcsw += RD(sig, nvcsw);
		s->nivcsw += RD(sig, nivcsw);
		if (leader != task) {
			s->utime_ns += RD(leader, utime);
			s->stime_ns += RD(leader, stime);
			s->runtime_ns += RD(leader, se.sum_exec_runtime);
			s->minflt += RD(leader, min_flt);
			s->majflt += RD(leader, maj_flt);
			s->nvcsw += RD(leader, nvcsw);
			s->nivcsw += RD(leader, nivcsw);
		}
	}
	/*
	 * Before v6.16 the mm is gone and its high-water mark already folded
	 * into signal->maxrss (do_exit(), group_dead); from v6.16 the hook
	 * fires first, and the mm is still there to read.
	 */
	s->maxrss_pages = RD(sig, maxrss);
	if (mm) {
		hiwater = BPF_CORE_READ(mm, hiwater_rss);
		rss = mm_rss_pages(mm);
		if (rss > hiwater)
			hiwater = rss;
		if (hiwater > s->maxrss_pages)
			s->maxrss_pages = hiwater;
	}
	s->cgroup_id = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	s->gid = bpf_get_current_uid_gid() >> 32;
	s->ns_pid = ns_tgid(leader);
}

/*
 * The process's argv and exe into the record's tail, from the copy its
 * exec left; the entry goes with the process's last exit. (Reading the
 * live mm at exit, possible from v6.16, would put the path walk's loop
 * into this program, where the paths before it multiply the verifier's
 * work past its limit.)
 */
static __always_inline u64 story_tail(struct exit_story_event *r, const struct exiting *x)
{
	struct proc_key key = { .tgid = r->e.pid };
	struct proc_info *info;
	u64 len, ino; /* 64-bit: a zero-extension would hide the bound from the verifier */
	u32 flags, dev;

	key.start_ns = proc_start(x);
	info = bpf_map_lookup_elem(&procs, &key);
	if (!info)
		return 0;
	len = info->args_len + info->exe_len;
	barrier_var(len);
	if (len > TAIL_MAX || bpf_probe_read_kernel(r->tail, len, info->data))
		len = 0;
	flags = info->flags;
	ino = info->exe_ino;
	dev = info->exe_dev;
	/* the element was reused for another process while copied */
	if (info->tgid != key.tgid || info->start_ns != key.start_ns)
		len = 0, flags = 0;
	if (len) {
		r->s.args_len = info->args_len;
		r->s.exe_len = info->exe_len;
	} else {
		flags &= ~(STORY_F_ARGS | STORY_F_ARGS_TRUNC | STORY_F_EXE | STORY_F_MEMFD);
	}
	r->s.flags = flags;
	/* lineage: the exec's file */
	if (flags & STORY_F_EXE_ID) {
		r->l.exe_ino = ino;
		r->l.exe_dev = dev;
	}
	if (x->last)
		bpf_map_delete_elem(&procs, &key);
	return len;
}

/* An exit the filters dropped: only its process's entry to forget. */
static __always_inline void forget(const struct exiting *x)
{
	struct proc_key key = {};

	if (!cfg.args)
		return;
	key.tgid = RD(x->task, tgid);
	key.start_ns = proc_start(x);
	bpf_map_delete_elem(&procs, &key);
}

#endif /* __STORY_BPF_H */
