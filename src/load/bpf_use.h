/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF object's maps and programs, and which of them the frozen
 * settings use: one answer for both loaders. What a setting leaves
 * unused is behind a branch the verifier prunes, so a loader may leave
 * such a map unmade (libbpf) or at one entry (the light skeleton, which
 * makes every map), and such a program unattached or unloaded.
 */
#ifndef __BPF_USE_H
#define __BPF_USE_H

#include <stdbool.h>
#include <linux/types.h>
#include "bpf/exitsnoop.h"

enum bpf_map_id {
	MAP_EVENTS,
	MAP_PERF_EVENTS,
	MAP_CGROUP_FILTER,
	MAP_CAUSES,
	MAP_OOMS,
	MAP_TRACED,
	MAP_REPORTED,
	MAP_PROCS,
	MAP_PROC_BUF,
	MAP_STORY_BUF,
	MAP_CGNAME_BUF,
	/* where it crashed */
	MAP_CRASHES,
	MAP_CRASH_BUF,
	MAP_COUNT,
};

/* In attach order: the fork hook first, so that a tree is whole from its first exit. */
enum bpf_prog_id {
	PROG_FORK,
	/* where it crashed: the fault address's mapping, on the exit hook before the record */
	PROG_FAULT_ADDR,
	PROG_EXIT,
	PROG_EXIT_STORY,
	PROG_EXEC,
	PROG_SIGNAL_GENERATE,
	PROG_MARK_VICTIM,
	PROG_CGROUP_MKDIR,
	/* where it crashed: the IP's mapping, at delivery */
	PROG_FAULT_MAPS,
	PROG_COUNT,
};

/* Their names in the object. */
extern const char *const bpf_map_names[MAP_COUNT];
extern const char *const bpf_prog_names[PROG_COUNT];

/* Does a verified instruction use the map? */
bool bpf_map_used(const struct exitsnoop_cfg *c, enum bpf_map_id m);
/* Is the map ever filled, so that it needs its declared size? (Else one entry.) */
bool bpf_map_filled(const struct exitsnoop_cfg *c, enum bpf_map_id m);
bool bpf_prog_used(const struct exitsnoop_cfg *c, enum bpf_prog_id p);

#endif /* __BPF_USE_H */
