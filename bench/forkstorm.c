// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * forkstorm NAME N FORKERS [ok]: FORKERS processes each fork N children and
 * wait for each; child i exits with i % 5 (or 0 with "ok"). All are NAME.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

static void forker(int n, int all_ok)
{
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(all_ok ? 0 : i % 5);
		if (pid < 0)
			_exit(1);
		waitpid(pid, NULL, 0);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int i, n, forkers, all_ok;
	long long start;

	if (argc < 4)
		return 2;
	n = atoi(argv[2]);
	forkers = atoi(argv[3]);
	all_ok = argc > 4 && !strcmp(argv[4], "ok");
	name_self(argv[1]);
	start = now_ns();
	for (i = 0; i < forkers; i++) {
		if (fork() == 0)
			forker(n, all_ok);
	}
	while (wait(NULL) > 0)
		;
	report(start, (long long)n * forkers + forkers + 1);
	return 0;
}
