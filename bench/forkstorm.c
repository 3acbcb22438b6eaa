// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * forkstorm NAME N FORKERS [ok|segv|segvro]: FORKERS processes each fork N
 * children and wait for each; child i exits with i % 5, or 0 with "ok", or
 * dies of a NULL write with "segv", or of a write to its own read-only data
 * with "segvro" (an address in a mapping: where it crashed looks it up);
 * no core written. All are NAME.
 */
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

enum mode { MODE_CODES, MODE_OK, MODE_SEGV, MODE_SEGV_RO };

/* A fault as a crash makes it: the kernel's SIGSEGV, and no core to write. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-null-dereference"
static void segv(enum mode mode)
{
	static const int read_only = 1;
	static volatile int *volatile nowhere;
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	if (mode == MODE_SEGV_RO)
		nowhere = (volatile int *)&read_only;
	*nowhere = 0;
	_exit(1);
}
#pragma GCC diagnostic pop

static void forker(int n, enum mode mode)
{
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0 && mode >= MODE_SEGV)
			segv(mode);
		if (pid == 0)
			_exit(mode == MODE_OK ? 0 : i % 5);
		if (pid < 0)
			_exit(1);
		waitpid(pid, NULL, 0);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_CODES;
	int i, n, forkers;
	long long start;

	if (argc < 4)
		return 2;
	n = atoi(argv[2]);
	forkers = atoi(argv[3]);
	if (argc > 4 && !strcmp(argv[4], "ok"))
		mode = MODE_OK;
	else if (argc > 4 && !strcmp(argv[4], "segv"))
		mode = MODE_SEGV;
	else if (argc > 4 && !strcmp(argv[4], "segvro"))
		mode = MODE_SEGV_RO;
	name_self(argv[1]);
	start = now_ns();
	for (i = 0; i < forkers; i++) {
		if (fork() == 0)
			forker(n, mode);
	}
	while (wait(NULL) > 0)
		;
	report(start, (long long)n * forkers + forkers + 1);
	return 0;
}
