// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * launch OUT ERR MARKER -- [NAME=VALUE...] CMD [ARGS...]: starts CMD with
 * stdout to OUT and stderr to ERR, waits until MARKER appears in either,
 * then prints "PID READY_US" (microseconds from just before exec to the
 * marker) and leaves CMD running. Exit 1 if CMD ends or 20 s pass first.
 * MARKER "-" prints "PID 0" at once. Leading NAME=VALUE words are set in
 * CMD's environment, as env(1) would, but without env's own exec in the
 * timed start; PID is CMD's either way.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int has_marker(const char *path, const char *marker)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, marker) != NULL;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 50000 };
	long long t0;
	int out, err;
	int cmd = 5;
	pid_t pid;

	if (argc < 6 || strcmp(argv[4], "--"))
		return 2;
	while (cmd < argc - 1 && argv[cmd][0] != '=' && strchr(argv[cmd], '='))
		cmd++;
	/* truncated before the clock starts: no stale marker can be seen */
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || err < 0)
		return 2;
	t0 = now_us();
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		setpgid(0, 0);
		for (int i = 5; i < cmd; i++)
			putenv(argv[i]);
		execvp(argv[cmd], &argv[cmd]);
		_exit(127);
	}
	close(out);
	close(err);
	if (!strcmp(argv[3], "-")) {
		printf("%d 0\n", pid);
		return 0;
	}
	while (now_us() - t0 < 20000000) {
		if (has_marker(argv[1], argv[3]) || has_marker(argv[2], argv[3])) {
			printf("%d %lld\n", pid, now_us() - t0);
			return 0;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 1;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	return 1;
}
