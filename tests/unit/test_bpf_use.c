// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bpf_use: which maps and programs the settings use, for both loaders. */
#include <string.h>
#include "load/bpf_use.h"
#include "test.h"

void test_bpf_use(void)
{
	struct exitsnoop_cfg c;
	int i;

	memset(&c, 0, sizeof(c));
	/* the table: only the exit program and the ring */
	for (i = 0; i < PROG_COUNT; i++)
		ASSERT_EQ(bpf_prog_used(&c, i), i == PROG_EXIT, bpf_prog_names[i]);
	for (i = 0; i < MAP_COUNT; i++)
		ASSERT_EQ(bpf_map_used(&c, i), i == MAP_EVENTS, bpf_map_names[i]);
	/* -j: the story's programs and maps, causes, OOM marks where the task is passed */
	c.story = c.args = c.why = c.oom = 1;
	ASSERT_TRUE(!bpf_prog_used(&c, PROG_EXIT) && bpf_prog_used(&c, PROG_EXIT_STORY), "story_exit");
	ASSERT_TRUE(bpf_prog_used(&c, PROG_EXEC) && bpf_map_used(&c, MAP_PROCS), "story_exec");
	ASSERT_TRUE(bpf_map_used(&c, MAP_OOMS) && !bpf_map_filled(&c, MAP_OOMS), "ooms_looked_up");
	ASSERT_TRUE(!bpf_prog_used(&c, PROG_MARK_VICTIM), "mark_victim_without_task");
	c.oom_task = 1;
	ASSERT_TRUE(bpf_map_filled(&c, MAP_OOMS) && bpf_prog_used(&c, PROG_MARK_VICTIM), "ooms_filled");
	/* cgroups are named as they are made only when a record shows a path */
	ASSERT_TRUE(!bpf_prog_used(&c, PROG_CGROUP_MKDIR) && !bpf_map_used(&c, MAP_CGNAME_BUF),
		    "cgroup_names_off");
	c.cgroup_names = CGNAME_V2;
	ASSERT_TRUE(bpf_prog_used(&c, PROG_CGROUP_MKDIR) && bpf_map_used(&c, MAP_CGNAME_BUF),
		    "cgroup_names_on");
	/* the fallbacks swap the transport; the pre-6.16 hook de-duplicates */
	c.perfbuf = c.compat = 1;
	ASSERT_TRUE(!bpf_map_used(&c, MAP_EVENTS) && bpf_map_used(&c, MAP_PERF_EVENTS), "perfbuf");
	ASSERT_TRUE(bpf_map_used(&c, MAP_REPORTED), "compat");
	for (i = 0; i < MAP_COUNT; i++)
		ASSERT_TRUE(bpf_map_names[i] && bpf_map_names[i][0], "map_named");
	for (i = 0; i < PROG_COUNT; i++)
		ASSERT_TRUE(bpf_prog_names[i] && bpf_prog_names[i][0], "prog_named");
}
