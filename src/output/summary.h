/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --summary: exits counted per group (command name, executable, user,
 * cgroup or container) over an interval. Pure, and bounded: at most
 * SUMMARY_MAX_ROWS groups per interval, the exits of the groups beyond
 * in one "other" row; a row is about 8 KiB (its key aside), so the whole
 * stays under 4.5 MiB.
 */
#ifndef __SUMMARY_H
#define __SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include "record/event.h"

#define SUMMARY_MAX_ROWS 512
#define SUMMARY_SIGNALS 65	/* signal numbers 1..64 */
/*
 * Values in a log-linear histogram: HIST_SUB buckets per power of two of
 * the unit, exact below 8 units. The median is a bucket's midpoint:
 * within 1/16 (6.25%) of the true value (half a unit below 8 units).
 * Ages count in units of 1024 ns, CPU time in us, peak memory in KiB.
 */
#define HIST_SUB 8
#define HIST_BUCKETS (HIST_SUB * 52)

/* What a row stands for: --summary-by. */
enum summary_by {
	SUMMARY_BY_COMM,
	SUMMARY_BY_EXE,
	SUMMARY_BY_UID,
	SUMMARY_BY_CGROUP,
	SUMMARY_BY_CONTAINER,
	SUMMARY_BY_COUNT,
};

/* One quantity over a row's exits: how many had it, their sum, max, and median. */
struct summary_dist {
	uint64_t n;
	uint64_t sum;
	uint64_t max;
	unsigned int shift;	/* a histogram unit is 2^shift of the value's */
	uint32_t hist[HIST_BUCKETS];
};

struct summary_row {
	const char *key;	/* the group; NULL for "other" and for "none" */
	bool other;		/* the groups beyond the cap, together */
	uint64_t count;		/* exits */
	uint64_t failed;	/* non-zero code or fatal signal */
	uint64_t oom_kills;
	uint64_t cores;
	uint64_t codes[256];	/* exits by code (0 included) */
	uint64_t signals[SUMMARY_SIGNALS]; /* fatal signals by number */
	struct summary_dist age;	/* ns */
	struct summary_dist cpu;	/* user + system, us; exits with their story */
	struct summary_dist rss;	/* peak resident set, KiB; likewise */
};

struct summary {
	enum summary_by by;
	uint64_t start_ns;	/* wall clock at the interval's start */
	uint64_t exits;
	unsigned int nrows;
	struct summary_row *rows[SUMMARY_MAX_ROWS];
	int16_t index[2 * SUMMARY_MAX_ROWS]; /* open addressing into rows; -1 free */
	struct summary_row other;
};

/* "comm", "exe", ...: the enum, or -1 for a name that is none of them. */
int summary_by_parse(const char *name);
const char *summary_by_name(enum summary_by by);

struct summary *summary_new(uint64_t start_ns, enum summary_by by);
void summary_free(struct summary *s);
/* Counts one exit; never fails (out of memory: into "other"). */
void summary_add(struct summary *s, const struct exit_record *rec);
/* Forgets every row: a new interval from start_ns. */
void summary_reset(struct summary *s, uint64_t start_ns);
/*
 * The rows to print, "other" included if it counted anything: by FAILED,
 * then EXITS (both descending), then key ("none" first); "other" last.
 * rows must have room for SUMMARY_MAX_ROWS + 1. Returns their number.
 */
unsigned int summary_sorted(const struct summary *s, const struct summary_row **rows);
/* The median: a bucket's midpoint, never above the max; 0 without values. */
uint64_t summary_p50(const struct summary_dist *d);
/* The n most frequent non-zero codes (or signals), most frequent first. */
unsigned int summary_top(const uint64_t *counts, unsigned int len, unsigned int first,
			 unsigned int *out, unsigned int n);

#endif /* __SUMMARY_H */
