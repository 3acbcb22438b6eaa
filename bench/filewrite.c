// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * filewrite FILE BYTES COUNT GAP_US: COUNT writes of BYTES to FILE
 * (truncated first, removed after), each after GAP_US microseconds asleep
 * (0: back to back); prints the CPU time of the write() calls alone, per
 * write and per byte. What a tracer's output costs the kernel depends on
 * it: a reader that drains on a timer writes after a sleep.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "workload.h"

static long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long spent = 0, t;
	size_t bytes;
	char *buf;
	int fd, i, n;
	long gap;

	if (argc < 5)
		return 2;
	bytes = strtoul(argv[2], NULL, 0);
	n = atoi(argv[3]);
	gap = atol(argv[4]);
	buf = malloc(bytes);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!buf || fd < 0 || n <= 0)
		return 1;
	memset(buf, 'x', bytes);
	for (i = 0; i < n; i++) {
		if (gap)
			usleep(gap);
		t = cpu_ns();
		if (write(fd, buf, bytes) != (ssize_t)bytes)
			return 1;
		spent += cpu_ns() - t;
	}
	printf("bytes=%zu gap_us=%ld us_per_write=%.1f ns_per_byte=%.3f\n", bytes, gap,
	       spent / 1e3 / n, (double)spent / ((double)bytes * n));
	close(fd);
	unlink(argv[1]);
	return 0;
}
