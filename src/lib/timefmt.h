/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Wall-clock formatting of kernel timestamps. */
#ifndef __TIMEFMT_H
#define __TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/clock.h"

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, now: adds to a bpf_ktime_get_ns() value. */
int64_t mono_to_realtime_offset(void);

/* "HH:MM:SS.mmm" in local time or UTC. */
void format_clock(char *buf, size_t len, uint64_t realtime_ns, bool utc);

/* RFC 3339 in UTC with nanoseconds: "2026-11-25T18:08:45.123456789Z". */
void format_rfc3339(char *buf, size_t len, uint64_t realtime_ns);

/*
 * format_rfc3339()'s text, for one event after another: the date and time
 * of day are formatted once per second, the nanoseconds by hand.
 */
struct rfc3339_cache {
	uint64_t sec;		/* of head; UINT64_MAX: none yet */
	size_t len;
	char head[40];		/* "2026-11-25T18:08:45." */
};

#define RFC3339_CACHE_INIT { .sec = UINT64_MAX }

/* Writes the text at p (RFC3339_MAX bytes of room, no NUL); returns its end. */
#define RFC3339_MAX 50
char *format_rfc3339_cached(struct rfc3339_cache *c, char *p, uint64_t realtime_ns);

/* "TIME-UTC" or "TIME-<local zone abbreviation>", e.g. "TIME-CET". */
void time_header(char *buf, size_t len, bool utc);

#endif /* __TIMEFMT_H */
