// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fields of /proc/PID/stat: see procstat.h. */
#include <stdlib.h>
#include <string.h>
#include "record/procstat.h"

bool procstat_field(const char *text, int n, uint64_t *out)
{
	const char *p = strrchr(text, ')'); /* the name ends at the last one */
	char *end;
	int field;

	if (!p || n < 3 || p[1] != ' ')
		return false;
	for (field = 3, p += 2; field < n; field++) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
	*out = strtoull(p, &end, 10);
	return end != p;
}
