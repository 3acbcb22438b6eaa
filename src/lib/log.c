// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
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

/* One line on stderr, named: "exitsnoop: ...". */
__attribute__((format(printf, 1, 0)))
static void log_line(const char *fmt, va_list ap)
{
	fputs("exitsnoop: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
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
