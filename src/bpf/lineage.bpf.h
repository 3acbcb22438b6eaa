/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lineage (-j, --ancestors): who started the process (its ancestors,
 * walked at its exit), what it ran when the path says nothing (the exec's
 * file: device, inode, unlinked, memfd) and when it started by the boot
 * clock.
 */
#ifndef __LINEAGE_BPF_H
#define __LINEAGE_BPF_H

#define TMPFS_MAGIC 0x01021994
#define HUGETLBFS_MAGIC 0x958458f6
/* "memfd:" as the first six bytes of a little-endian word */
#define MEMFD_PREFIX 0x3a64666d656dull
#define MEMFD_PREFIX_MASK 0xffffffffffffull

/*
 * A dentry that was never in the dcache and is its own parent is a
 * pseudo file's (alloc_file_pseudo()); named "memfd:..." on tmpfs or
 * hugetlbfs, it is memfd_create()'s: no directory holds it, and readlink
 * shows "/memfd:NAME (deleted)".
 */
static __always_inline bool is_memfd(struct super_block *sb, const struct dentry_head *h)
{
	unsigned long magic = BPF_CORE_READ(sb, s_magic);
	u64 w = 0;

	if (magic != TMPFS_MAGIC && magic != HUGETLBFS_MAGIC)
		return false;
	if (h->len < 6 || bpf_probe_read_kernel(&w, sizeof(w), h->name))
		return false;
	return (w & MEMFD_PREFIX_MASK) == MEMFD_PREFIX;
}

/*
 * At exec: the file's device and inode into info, and STORY_F_* bits:
 * EXE_ID, EXE_GONE when it was already unlinked (d_unlinked(), what makes
 * readlink add " (deleted)") or is a memfd, MEMFD then too; h is left
 * with the file's dentry, whose name is a memfd's name.
 */
static __always_inline u32 exe_ident(struct file *file, struct proc_info *info,
				     struct dentry_head *h)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);

	if (!d || !inode || !sb || read_dentry(d, h))
		return 0;
	info->exe_ino = BPF_CORE_READ(inode, i_ino);
	info->exe_dev = BPF_CORE_READ(sb, s_dev);
	if (h->hash_pprev)
		return STORY_F_EXE_ID;
	if (h->parent != d)
		return STORY_F_EXE_ID | STORY_F_EXE_GONE;
	if (is_memfd(sb, h))
		return STORY_F_EXE_ID | STORY_F_EXE_GONE | STORY_F_MEMFD;
	return STORY_F_EXE_ID;
}

/*
 * At exec, after collect(): the exec's file, and a memfd's name where
 * the path would be ("memfd:NAME" as the kernel keeps it, 255 bytes at
 * most; STORY_F_MEMFD only if it is there).
 */
static __always_inline void lineage_exec(struct mm_struct *mm, struct proc_info *info)
{
	struct file *file = BPF_CORE_READ(mm, exe_file);
	struct dentry_head h = {};
	u64 at = info->args_len;
	u32 flags;
	long n;

	if (!file)
		return;
	flags = exe_ident(file, info, &h);
	barrier_var(at);
	if ((flags & STORY_F_MEMFD) && !(info->flags & STORY_F_EXE) && at <= ARGS_MAX) {
		n = bpf_probe_read_kernel_str(info->data + at, EXE_MAX, h.name);
		if (n >= 7 && n == h.len + 1)
			info->exe_len = n;
		else
			flags &= ~STORY_F_MEMFD;
	} else {
		flags &= ~STORY_F_MEMFD;
	}
	info->flags |= flags;
}

/*
 * At exit, where the process's mm is still there (the hook fires before
 * exit_mm() from v6.16; a -T thread that is not the last), whether the
 * exec's file has been unlinked since. Before, the mm and its exe_file
 * are gone: only an unlink before the exec is known.
 */
static __always_inline void exe_live(struct exit_lineage *l, struct task_struct *task, u32 sflags)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	struct file *file = BPF_CORE_READ(mm, exe_file);
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct dentry_head h;

	if (!mm || !file || !inode || !d)
		return;
	/* another file since (prctl(PR_SET_MM_EXE_FILE)): not the exec's */
	if (BPF_CORE_READ(inode, i_ino) != l->exe_ino ||
	    BPF_CORE_READ(inode, i_sb, s_dev) != l->exe_dev || read_dentry(d, &h))
		return;
	l->flags |= LIN_F_EXE_LIVE;
	if ((sflags & STORY_F_EXE_GONE) || (!h.hash_pprev && h.parent != d))
		l->flags |= LIN_F_EXE_GONE;
}

/* The PID namespace of pid's number at level (pid->numbers[level].ns). */
static __always_inline struct pid_namespace *upid_ns(struct pid *pid, u32 level)
{
	struct pid_namespace *ns = NULL;

	bpf_probe_read_kernel(&ns, sizeof(ns),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      level * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, ns));
	return ns;
}

/*
 * The caller's PID namespace (cfg.anc_pidns_ino), found among those the
 * exiting process is numbered in, and its level; NULL if the process is
 * outside it, and so are all its ancestors. Only for a caller inside a
 * namespace: on the host every process is in it.
 */
static __always_inline struct pid_namespace *caller_ns(struct task_struct *leader, u32 *level)
{
	struct pid *pid = BPF_CORE_READ(leader, thread_pid);
	u32 lv = BPF_CORE_READ(pid, level), i;
	struct pid_namespace *ns;

	if (!pid || lv >= MAX_PID_NS_LEVEL)
		return NULL;
	ns = upid_ns(pid, lv);
	for (i = 0; i < MAX_PID_NS_LEVEL && ns; i++) {
		if (BPF_CORE_READ(ns, ns.inum) == cfg.anc_pidns_ino) {
			*level = BPF_CORE_READ(ns, level);
			return ns;
		}
		ns = BPF_CORE_READ(ns, parent);
	}
	return NULL;
}

/* Does the process have a PID in ns (at level)? */
static __always_inline bool in_ns(struct task_struct *leader, struct pid_namespace *ns, u32 level)
{
	struct pid *pid = BPF_CORE_READ(leader, thread_pid);

	if (!pid || BPF_CORE_READ(pid, level) < level || level >= MAX_PID_NS_LEVEL)
		return false;
	return upid_ns(pid, level) == ns;
}

/*
 * An ancestor's exe from the exec table, after its entry; an entry
 * reused while copied gives none (ANC_F_ENTRY stays: /proc's would be
 * older than its exec).
 */
static __always_inline void anc_exe(struct exit_ancestor *a, const struct proc_key *key)
{
	struct proc_info *info = bpf_map_lookup_elem(&procs, key);
	u64 n, at;
	u32 fl;

	if (!info)
		return;
	a->flags = ANC_F_ENTRY;
	fl = info->flags;
	n = info->exe_len;
	at = info->args_len;
	barrier_var(n);
	barrier_var(at);
	if (!(fl & STORY_F_EXE) || (fl & STORY_F_MEMFD) || n == 0 || n > EXE_MAX || at > ARGS_MAX)
		return;
	if (bpf_probe_read_kernel(a + 1, n, info->data + at))
		return;
	if (info->tgid != key->tgid || info->start_ns != key->start_ns)
		return;
	a->exe_len = n;
	a->flags |= ANC_F_EXE;
}

/*
 * The real parents, nearest first, each by its group leader, into the
 * tail at base: up to ANC_DEPTH, ending above init (the idle task has
 * tgid 0) or at the first process outside the caller's PID namespace.
 * Walked at the exit, so a parent that exits right after is still named.
 * Probe reads: RCU keeps the tasks while the tracepoint runs, and a
 * typed walk (tp_btf's plain loads) took 6.18's verifier 2 s instead of
 * 20 ms, a search of the kernel's BTF for each pointer loaded on each path.
 *
 * For the verifier: each entry's offset is masked into [0, ANC_MAX) and
 * its exe length read back from memory, so that after the first entry
 * every path through the loop looks the same to it.
 */
static __always_inline u64 ancestors(struct exit_story_event *r, const struct exiting *x, u64 base)
{
	struct task_struct *p = x->parent, *leader;
	struct pid_namespace *ns = NULL;
	struct proc_key key = {};
	struct exit_ancestor *a;
	u32 i, level = 0;
	u64 off = 0, n;

	r->l.flags |= LIN_F_ANCESTORS;
	if (cfg.anc_pidns_ino) {
		ns = caller_ns(x->leader, &level);
		if (!ns)
			return 0;
	}
	for (i = 0; i < ANC_DEPTH; i++) {
		leader = BPF_CORE_READ(p, group_leader);
		key.tgid = BPF_CORE_READ(leader, tgid);
		if (!key.tgid)
			break;
		if (ns && !in_ns(leader, ns, level))
			break;
		key.start_ns = BPF_CORE_READ(leader, start_time);
		off &= ANC_MAX - 1;
		a = (void *)r->tail + base + off;
		a->start_ns = key.start_ns;
		a->pid = key.tgid;
		a->exe_len = 0;
		a->flags = 0;
		BPF_CORE_READ_INTO(&a->comm, leader, comm);
		if (cfg.args)
			anc_exe(a, &key);
		n = *(volatile __u16 *)&a->exe_len;
		off += ANC_STEP(n);
		r->l.anc_count = i + 1;
		p = BPF_CORE_READ(leader, real_parent);
	}
	if (off > ANC_MAX) {
		r->l.anc_count = 0;
		return 0;
	}
	r->l.anc_len = off;
	return off;
}

/* The lineage of an exit record; what the ancestors add to its tail. */
static __always_inline u64 lineage(struct exit_story_event *r, const struct exiting *x, u64 base)
{
	struct task_struct *who = x->who; /* a CO-RE chain starts at a kernel type */

	if (bpf_core_field_exists(struct task_struct, start_boottime)) {
		r->l.start_boottime_ns = BPF_CORE_READ(who, start_boottime);
		r->l.flags |= LIN_F_BOOTTIME;
	}
	if (r->s.flags & STORY_F_EXE_ID)
		exe_live(&r->l, x->task, r->s.flags);
	return ancestors(r, x, base);
}

#endif /* __LINEAGE_BPF_H */
