// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Why a load failed: the stage, the errno, and the verifier's one line. */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdbool.h>
#include <linux/types.h>
#include "load/load_error.h"

int load_fail(struct load_error *lerr, enum load_stage stage, int err)
{
	lerr->stage = stage;
	lerr->err = err < 0 ? err : -EINVAL;
	return lerr->err;
}

/* Statistics and libbpf's framing come after the verdict. */
static bool skip_line(const char *p)
{
	return *p == '\n' || !strncmp(p, "processed ", 10) || !strncmp(p, "verification time", 17) ||
	       !strncmp(p, "stack depth", 11) || !strncmp(p, "mark_precise", 12) ||
	       !strncmp(p, "-- END PROG LOAD LOG --", 23) || !strncmp(p, "libbpf: ", 8);
}

void verifier_verdict(const char *log, char *out, size_t size)
{
	const char *p, *line = NULL, *nl;

	for (p = log; *p; p = nl + 1) {
		if (!skip_line(p))
			line = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
	}
	if (!line)
		return;
	snprintf(out, size, "%.*s", (int)strcspn(line, "\n"), line);
}
