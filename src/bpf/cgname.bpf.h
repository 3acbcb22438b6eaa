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
 * tracing began.
 */
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
	r->id = RD(cgrp, kn, id);
	r->hierarchy = RD(cgrp, root, hierarchy_id);
	r->path_len = len;
	r->flags = EXIT_F_CGROUP_NAME;
	len = CGROUP_NAME_HEAD_SIZE + (len & (CGROUP_NAME_MAX - 1));
	if (cfg.perfbuf)
		bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, r, len);
	else
		bpf_ringbuf_output(&events, r, len, BPF_RB_NO_WAKEUP);
	return 0;
}

#endif /* __CGNAME_BPF_H */
