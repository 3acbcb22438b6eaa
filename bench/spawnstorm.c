// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spawnstorm PROGRAM N: posix_spawn()s PROGRAM (a tiny executable whose
 * file name is the unique name) N times, waiting for each.
 */
#include <spawn.h>
#include <sys/wait.h>
#include "workload.h"

extern char **environ;

int main(int argc, char **argv)
{
	char *args[] = { argv[1], NULL };
	long long start;
	int i, n;
	pid_t pid;

	if (argc < 3)
		return 2;
	n = atoi(argv[2]);
	start = now_ns();
	for (i = 0; i < n; i++) {
		if (posix_spawn(&pid, argv[1], NULL, NULL, args, environ))
			return 1;
		waitpid(pid, NULL, 0);
	}
	report(start, n);
	return 0;
}
