/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Wall-clock formatting of kernel timestamps. */
#ifndef __TIMEFMT_H
#define __TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_SEC 1000000000ULL

/* CLOCK_REALTIME minus CLOCK_MONOTONIC, now: adds to a bpf_ktime_get_ns() value. */
int64_t mono_to_realtime_offset(void);

/* "HH:MM:SS.mmm" in local time or UTC. */
void format_clock(char *buf, size_t len, uint64_t realtime_ns, bool utc);

/* RFC 3339 in UTC with nanoseconds: "2026-11-25T18:08:45.123456789Z". */
void format_rfc3339(char *buf, size_t len, uint64_t realtime_ns);

/* "TIME-UTC" or "TIME-<local zone abbreviation>", e.g. "TIME-CET". */
void time_header(char *buf, size_t len, bool utc);

#endif /* __TIMEFMT_H */
