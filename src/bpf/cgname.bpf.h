/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * New cgroups' names (cfg.cgroup_names): which hierarchies are wanted, and
 * the record that carries a name to user space.
 */
#ifndef __CGNAME_BPF_H
#define __CGNAME_BPF_H

/*
 * cgroup v2's, and the memory controller's v1 hierarchy (a hybrid host's
 * memcg ids are that hierarchy's): every other v1 hierarchy gets a
 * directory for each new container too, and none of them is named.
 */
static __always_inline bool cgroup_name_wanted(struct cgroup *cgrp)
{
	struct cgroup_root *root = RD(cgrp, root);
	u32 memory;

	if (RD(root, hierarchy_id) == 0)
		return cfg.cgroup_names & CGNAME_V2;
	if (!(cfg.cgroup_names & CGNAME_MEMORY) ||
	    !bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return false;
	memory = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	return RD(root, subsys_mask) & (1u << (memory & 31));
}

/*
 * The name goes without a wakeup: it is needed only before an exit record
 * of that cgroup, which comes later in the ring and wakes the reader. A
 * name that finds the ring full is not counted as lost: no exit is lost,
 * and user space looks that cgroup up by its id, as for one made before
 * tracing began. cgrp: the tracepoint's, or one the OOM program read (not
 * a trusted pointer, so read through probes).
 */
static __always_inline void send_cgroup_name(void *ctx, struct cgroup_name_event *r,
					     struct cgroup *cgrp, long len)
{
	r->id = BPF_CORE_READ(cgrp, kn, id);
	r->hierarchy = BPF_CORE_READ(cgrp, root, hierarchy_id);
	r->path_len = len;
	r->flags = EXIT_F_CGROUP_NAME;
	len = CGROUP_NAME_HEAD_SIZE + (len & (CGROUP_NAME_MAX - 1));
	if (cfg.perfbuf)
		bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, r, len);
	else
		bpf_ringbuf_output(&events, r, len, BPF_RB_NO_WAKEUP);
}

static __always_inline int emit_cgroup_name(void *ctx, struct cgroup *cgrp, const char *path)
{
	struct cgroup_name_event *r;
	u32 zero = 0;
	long len;

	r = bpf_map_lookup_elem(&cgname_buf, &zero);
	if (!r)
		return 0;
	len = bpf_probe_read_kernel_str(r->path, CGROUP_NAME_MAX, path);
	if (len <= 0 || len >= CGROUP_NAME_MAX)
		return 0; /* unreadable, or too long to be sure it is whole */
	send_cgroup_name(ctx, r, cgrp, len);
	return 0;
}

/* Directories below a hierarchy's root that a memcg's path is built from. */
#define MEMCG_PATH_DEPTH 12

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	struct kernfs_node___rcu *k = (void *)kn;

	if (bpf_core_field_exists(k->__parent))
		return BPF_CORE_READ(k, __parent);
	return BPF_CORE_READ(kn, parent);
}

/*
 * The path of cgrp below its hierarchy's root, from the kernfs names up
 * the tree, into buf: its length with the NUL, or 0 if it is deeper than
 * MEMCG_PATH_DEPTH or longer than half of buf (each name starts in the
 * first half and is read for half of buf at most, which is how the
 * verifier knows it fits).
 */
static __always_inline long kernfs_path(struct cgroup *cgrp, char *buf)
{
	struct kernfs_node *kn = BPF_CORE_READ(cgrp, kn), *up[MEMCG_PATH_DEPTH];
	u32 off = 0, at;
	int n = 0, i;
	long len;

	/* unrolled: up[] is indexed by constants, as older verifiers want */
#pragma unroll
	for (i = 0; i < MEMCG_PATH_DEPTH; i++) {
		struct kernfs_node *parent = kn ? kn_parent(kn) : NULL;

		if (!parent)
			break;
		up[i] = kn;
		kn = parent;
		n = i + 1;
	}
	if (n == MEMCG_PATH_DEPTH && kn_parent(kn))
		return 0; /* deeper than the walk; a shorter one ended at the root */
	if (!n) {
		buf[0] = '/';
		buf[1] = '\0';
		return 2;
	}
#pragma unroll
	for (i = MEMCG_PATH_DEPTH - 1; i >= 0; i--) {
		if (i >= n)
			continue;
		if (off >= CGROUP_NAME_MAX / 2 - 1)
			return 0;
		/* masked where used: the compiler would index by len, unbounded below */
		at = off;
		barrier_var(at);
		buf[at & (CGROUP_NAME_MAX / 2 - 1)] = '/';
		at = off + 1;
		barrier_var(at);
		len = bpf_probe_read_kernel_str(buf + (at & (CGROUP_NAME_MAX / 2 - 1)),
						CGROUP_NAME_MAX / 2, BPF_CORE_READ(up[i], name));
		if (len <= 1)
			return 0;
		off = at + (u32)len - 1; /* the next '/' goes on its NUL */
	}
	return off < CGROUP_NAME_MAX / 2 ? off + 1 : 0;
}

/*
 * An OOM kill's memcg, named from the kernel when it is chosen: it may
 * have been made before tracing began (no mkdir to name it) and be gone
 * by the time user space reads the record, a container's runtime removing
 * it as soon as the kill ends its last process. The name precedes the
 * exit's record in the ring. Returns the memcg's id.
 */
static __always_inline u64 oom_memcg_id(void *ctx, struct task_struct *task, u32 *flags)
{
	struct cgroup_name_event *r;
	struct cgroup *cgrp = oom_memcg(task, flags);
	u32 zero = 0;
	long len;

	if (!cgrp)
		return 0;
	r = cfg.cgroup_names & CGNAME_MEMORY ? bpf_map_lookup_elem(&cgname_buf, &zero) : NULL;
	if (r) {
		len = kernfs_path(cgrp, r->path);
		barrier_var(len); /* the record's size is masked again, for the verifier */
		if (len > 0)
			send_cgroup_name(ctx, r, cgrp, len);
	}
	return BPF_CORE_READ(cgrp, kn, id);
}

#endif /* __CGNAME_BPF_H */
