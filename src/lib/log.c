// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include "lib/log.h"

static int verbose;

void log_set_verbose(int level)
{
	verbose = level;
}

int log_verbose(void)
{
	return verbose;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	fputs("exitsnoop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fputs("exitsnoop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool log_out_of_fds(int err)
{
	if (err == EMFILE)
		log_error("too many open files: raise the limit (ulimit -n)");
	else if (err == ENFILE)
		log_error("too many open files in the system: raise fs.file-max");
	else
		return false;
	return true;
}
