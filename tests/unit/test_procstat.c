// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* procstat: fields of /proc/PID/stat past a command name of any bytes. */
#include <stdint.h>
#include "record/procstat.h"
#include "test.h"

void test_procstat_field(void)
{
	/* a name with spaces and ')' in it: only the last ')' ends it */
	static const char stat[] = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194304 96 0 0 0 "
				   "0 0 0 0 20 0 1 0 123456 2400000 200\n";
	uint64_t v = 0;

	ASSERT_TRUE(procstat_field(stat, 4, &v) && v == 17, "stat_ppid");
	ASSERT_TRUE(procstat_field(stat, 22, &v) && v == 123456, "stat_starttime");
	ASSERT_TRUE(procstat_field(stat, 24, &v) && v == 200, "stat_last_field");
	ASSERT_TRUE(!procstat_field(stat, 3, &v), "stat_state_not_a_number");
	ASSERT_TRUE(!procstat_field(stat, 25, &v), "stat_past_the_end");
	ASSERT_TRUE(!procstat_field("4242 no name here", 4, &v), "stat_no_name");
	ASSERT_TRUE(!procstat_field("1 (x)", 4, &v), "stat_name_only");
	ASSERT_TRUE(!procstat_field(stat, 2, &v), "stat_field_before_state");
}
