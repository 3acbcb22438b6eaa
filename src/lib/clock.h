/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one way the program reads a clock. */
#ifndef __CLOCK_H
#define __CLOCK_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

/* Nanoseconds on clock id (CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME). */
uint64_t clock_ns(clockid_t id);

/* Milliseconds on CLOCK_MONOTONIC: deadlines and intervals. */
static inline uint64_t clock_mono_ms(void)
{
	return clock_ns(CLOCK_MONOTONIC) / NSEC_PER_MSEC;
}

#endif /* __CLOCK_H */
