// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * burst NAME N [PARALLEL]: forks N children named NAME that exit at once
 * (child i with status i % 5), PARALLEL at a time; reaps them all.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, n, par, running = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: burst NAME N [PARALLEL]\n");
		return 2;
	}
	n = atoi(argv[2]);
	par = argc > 3 ? atoi(argv[3]) : 1;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			prctl(PR_SET_NAME, argv[1], 0, 0, 0);
			_exit(i % 5);
		}
		if (++running >= par) {
			wait(NULL);
			running--;
		}
	}
	while (running-- > 0)
		wait(NULL);
	return 0;
}
