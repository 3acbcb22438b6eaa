/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exec's argv and exe path, copied at exec (sched_process_exec) for
 * the exit's record: the path is walked up the dentries and mounts, as
 * d_path() does.
 */
#ifndef __EXE_PATH_BPF_H
#define __EXE_PATH_BPF_H

/*
 * What the exe path walk reads of a dentry and of a mount. Both lie
 * together in the kernel's structs (5.10 to 6.18 alike; a little-endian
 * qstr has its hash, then its len): one probe read each where the
 * kernel's BTF says they still do, a read per field where it does not.
 */
struct dentry_head {
	void *hash_next;
	void *hash_pprev;	/* NULL: unhashed */
	struct dentry *parent;
	u32 hash;
	u32 len;
	const unsigned char *name;
};

struct mount_head {
	struct mount *parent;
	struct dentry *mountpoint;
	struct dentry *root;	/* mnt.mnt_root */
};

#define DENTRY_OFF(f) (bpf_core_field_offset(struct dentry, f) - \
		       bpf_core_field_offset(struct dentry, d_hash))
#define DENTRY_HEAD_FITS                                                                  \
	(DENTRY_OFF(d_hash.pprev) == __builtin_offsetof(struct dentry_head, hash_pprev) &&  \
	 DENTRY_OFF(d_parent) == __builtin_offsetof(struct dentry_head, parent) &&          \
	 DENTRY_OFF(d_name.len) == __builtin_offsetof(struct dentry_head, len) &&           \
	 DENTRY_OFF(d_name.name) == __builtin_offsetof(struct dentry_head, name))
#define MOUNT_OFF(f) (bpf_core_field_offset(struct mount, f) - \
		      bpf_core_field_offset(struct mount, mnt_parent))
#define MOUNT_HEAD_FITS                                                                   \
	(MOUNT_OFF(mnt_mountpoint) == __builtin_offsetof(struct mount_head, mountpoint) &&  \
	 MOUNT_OFF(mnt.mnt_root) == __builtin_offsetof(struct mount_head, root))

/* 0, or non-zero if it could not be read */
static __always_inline long read_dentry(struct dentry *d, struct dentry_head *h)
{
	if (DENTRY_HEAD_FITS)
		return bpf_probe_read_kernel(h, sizeof(*h),
					     (void *)d + bpf_core_field_offset(struct dentry, d_hash));
	h->hash_pprev = BPF_CORE_READ(d, d_hash.pprev);
	h->parent = BPF_CORE_READ(d, d_parent);
	h->len = BPF_CORE_READ(d, d_name.len);
	h->name = BPF_CORE_READ(d, d_name.name);
	return !h->parent;
}

static __always_inline long read_mount(struct mount *m, struct mount_head *h)
{
	if (MOUNT_HEAD_FITS)
		return bpf_probe_read_kernel(h, sizeof(*h),
					     (void *)m + bpf_core_field_offset(struct mount, mnt_parent));
	h->parent = BPF_CORE_READ(m, mnt_parent);
	h->mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
	h->root = BPF_CORE_READ(m, mnt.mnt_root);
	return !h->parent;
}

/*
 * The path of file as d_path() makes it for readlink(/proc/PID/exe): its
 * names from the file up to the root of its mount namespace, crossing
 * mount points, prepended one by one from the end of w (2 * EXE_MAX
 * bytes). Returns the path's offset in w; it runs to the NUL at
 * w[EXE_MAX - 1]. EXE_MAX if there is none to give: the file was deleted
 * (d_path() would add " (deleted)"), the path is longer than EXE_MAX - 1
 * bytes or deeper than EXE_DEPTH steps, a read failed, or a name changed
 * while read.
 *
 * Made for the verifier of every kernel from 5.10: each step is a mount
 * crossing or one name, the name's offset is masked into [0, EXE_MAX) and
 * read with a constant size, so after the first name the offset looks the
 * same to it at every step, whatever mix of names and mounts came before:
 * its states do not multiply, and its work grows by about 250
 * instructions a step (the step count itself keeps steps apart). The
 * real bound (the name fits in front of what is there) is a comparison
 * the verifier need not understand. h is always d's, m always mnt's.
 */
static __always_inline u64 exe_path(struct file *file, char *w)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *vmnt = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = (void *)vmnt - bpf_core_field_offset(struct mount, mnt);
	u64 pos = EXE_MAX - 1, len; /* 64-bit: each bound check is the verifier's too */
	struct dentry_head h;
	struct mount_head m;
	long n;
	u32 i;

	if (!d || !vmnt || read_dentry(d, &h) || read_mount(mnt, &m))
		return EXE_MAX;
	if (!h.hash_pprev && h.parent != d)
		return EXE_MAX; /* d_unlinked(): deleted, or never in the dcache */
	for (i = 0; i < EXE_DEPTH; i++) {
		if (d == m.root) {
			if (!m.parent)
				return EXE_MAX; /* never so: a failed read */
			if (m.parent == mnt)
				break; /* the root of its namespace, or of a detached tree */
			d = m.mountpoint;
			mnt = m.parent;
			if (read_dentry(d, &h) || read_mount(mnt, &m))
				return EXE_MAX;
			continue;
		}
		if (!h.parent)
			return EXE_MAX;
		if (h.parent == d)
			break; /* outside its mount's tree: d_path() stops there too */
		len = h.len;
		if (len == 0 || len > EXE_MAX - 1 || len >= pos)
			return EXE_MAX;
		pos = (pos - len - 1) & (EXE_MAX - 1);
		w[pos] = '/';
		/* the name and its NUL, over the '/' of the name after it */
		n = bpf_probe_read_kernel_str(w + pos + 1, EXE_MAX, h.name);
		if (n != len + 1)
			return EXE_MAX;
		w[pos + 1 + len] = '/';
		d = h.parent;
		if (read_dentry(d, &h))
			return EXE_MAX;
	}
	if (i == EXE_DEPTH || pos == EXE_MAX - 1)
		return EXE_MAX;
	w[EXE_MAX - 1] = '\0';
	return pos;
}

/*
 * argv and the executable of current, whose mm this is, into info->data:
 * argv at 0 (cut at ARGS_MAX), then the path of mm->exe_file (exe_path())
 * with its NUL. The path is made first, while nothing else is known to the
 * verifier, so that the argv's cases do not multiply its loop's states.
 */
static __always_inline void collect(struct mm_struct *mm, struct proc_scratch *buf)
{
	unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
	struct file *file = BPF_CORE_READ(mm, exe_file);
	struct proc_info *info = &buf->info;
	u64 len = 0, pos = EXE_MAX; /* 64-bit, so that each bound check is the verifier's too */
	u32 flags = STORY_F_ENTRY;
	long n;

	if (file && cfg.exe)
		pos = exe_path(file, buf->path);
	if (end > start && end - start < (1 << 20)) {
		len = end - start;
		if (len > ARGS_MAX) {
			len = ARGS_MAX;
			flags |= STORY_F_ARGS_TRUNC;
		}
		barrier_var(len);
		if (len > ARGS_MAX || bpf_probe_read_user(info->data, len, (void *)start))
			len = 0, flags = STORY_F_ENTRY;
		else
			flags |= STORY_F_ARGS;
	}
	info->args_len = len;
	info->exe_len = 0;
	barrier_var(len);
	if (pos >= EXE_MAX || len > ARGS_MAX)
		goto out;
	/* data has EXE_MAX bytes after ARGS_MAX: room for the longest path */
	n = bpf_probe_read_kernel_str(info->data + len, EXE_MAX, buf->path + pos);
	if (n == EXE_MAX - pos) {
		info->exe_len = n;
		flags |= STORY_F_EXE;
	}
out:
	info->flags = flags;
}

#endif /* __EXE_PATH_BPF_H */
