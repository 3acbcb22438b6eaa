// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Which maps and programs the settings use: see bpf_use.h. */
#include "load/bpf_use.h"

const char *const bpf_map_names[MAP_COUNT] = {
	[MAP_EVENTS] = "events",
	[MAP_PERF_EVENTS] = "perf_events",
	[MAP_CGROUP_FILTER] = "cgroup_filter",
	[MAP_CAUSES] = "causes",
	[MAP_OOMS] = "ooms",
	[MAP_TRACED] = "traced",
	[MAP_REPORTED] = "reported",
	[MAP_PROCS] = "procs",
	[MAP_PROC_BUF] = "proc_buf",
	[MAP_STORY_BUF] = "story_buf",
	[MAP_CGNAME_BUF] = "cgname_buf",
	[MAP_CRASHES] = "crashes",
	[MAP_CRASH_BUF] = "crash_buf",
};

const char *const bpf_prog_names[PROG_COUNT] = {
	[PROG_FORK] = "handle_fork",
	[PROG_FAULT_ADDR] = "handle_fault_addr",
	[PROG_EXIT] = "handle_exit",
	[PROG_EXIT_STORY] = "handle_exit_story",
	[PROG_EXEC] = "handle_exec",
	[PROG_SIGNAL_GENERATE] = "handle_signal_generate",
	[PROG_MARK_VICTIM] = "handle_mark_victim",
	[PROG_CGROUP_MKDIR] = "handle_cgroup_mkdir",
	[PROG_FAULT_MAPS] = "handle_fault_maps",
};

bool bpf_map_used(const struct exitsnoop_cfg *c, enum bpf_map_id m)
{
	switch (m) {
	case MAP_EVENTS:
		return !c->perfbuf;
	case MAP_PERF_EVENTS:
		return c->perfbuf;
	case MAP_CGROUP_FILTER:
		return c->cgroup;
	case MAP_CAUSES:
		return c->why;
	case MAP_OOMS:
		return c->oom; /* looked up for every SIGKILL */
	case MAP_TRACED:
		return c->tree;
	case MAP_REPORTED:
		return c->compat; /* only the pre-6.16 hook de-duplicates */
	case MAP_PROCS:
	case MAP_PROC_BUF:
		return c->args;
	case MAP_STORY_BUF:
		return c->story;
	case MAP_CGNAME_BUF:
		return c->cgroup_names;
	case MAP_CRASHES:
	case MAP_CRASH_BUF:
		return c->why; /* looked up for every fault's exit */
	default:
		return false;
	}
}

bool bpf_map_filled(const struct exitsnoop_cfg *c, enum bpf_map_id m)
{
	if (m == MAP_OOMS)
		return c->oom && c->oom_task; /* by handle_mark_victim alone */
	return bpf_map_used(c, m);
}

bool bpf_prog_used(const struct exitsnoop_cfg *c, enum bpf_prog_id p)
{
	switch (p) {
	case PROG_FORK:
		return c->tree;
	case PROG_EXIT:
		return !c->story;
	case PROG_EXIT_STORY:
		return c->story;
	case PROG_EXEC:
		return c->args;
	case PROG_SIGNAL_GENERATE:
		return c->why;
	case PROG_MARK_VICTIM:
		return c->oom && c->oom_task;
	case PROG_CGROUP_MKDIR:
		return c->cgroup_names;
	case PROG_FAULT_MAPS:
		return c->why && c->find_vma;
	case PROG_FAULT_ADDR:
		return c->why && c->find_vma && c->addr_map;
	default:
		return false;
	}
}
