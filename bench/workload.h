/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the benchmark workloads: naming and timing. */
#ifndef __WORKLOAD_H
#define __WORKLOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Every task of a workload carries its unique name (inherited by children). */
static inline void name_self(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* The one line a workload prints: wall time and how many exits it made. */
static inline void report(long long start, long long exits)
{
	printf("wall_ns=%lld exits=%lld\n", now_ns() - start, exits);
}

#endif /* __WORKLOAD_H */
