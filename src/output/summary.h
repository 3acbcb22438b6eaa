/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --summary: exits counted per command name over an interval. Pure, and
 * bounded: at most SUMMARY_MAX_COMMS names per interval, the rest in one
 * "other" row; a row is about 4 KiB, so the whole stays under 2.5 MiB.
 */
#ifndef __SUMMARY_H
#define __SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include "record/event.h"

#define SUMMARY_MAX_COMMS 512
#define SUMMARY_SIGNALS 65	/* signal numbers 1..64 */
/*
 * Ages in a log-linear histogram: AGE_SUB buckets per power of two of
 * 1024 ns, exact below 8 us. The median is a bucket's midpoint: within
 * 1/16 (6.25%) of the true value (0.5 us below 8 us).
 */
#define AGE_SUB 8
#define AGE_BUCKETS (AGE_SUB * 52)

struct summary_row {
	char comm[TASK_COMM_LEN];
	bool other;		/* the names beyond the cap, together */
	uint64_t count;		/* exits */
	uint64_t failed;	/* non-zero code or fatal signal */
	uint64_t oom_kills;
	uint64_t cores;
	uint64_t age_max_ns;
	uint64_t codes[256];	/* exits by code (0 included) */
	uint64_t signals[SUMMARY_SIGNALS]; /* fatal signals by number */
	uint32_t age[AGE_BUCKETS];
};

struct summary {
	uint64_t start_ns;	/* wall clock at the interval's start */
	uint64_t exits;
	unsigned int nrows;
	struct summary_row *rows[SUMMARY_MAX_COMMS];
	int16_t index[2 * SUMMARY_MAX_COMMS]; /* open addressing into rows; -1 free */
	struct summary_row other;
};

struct summary *summary_new(uint64_t start_ns);
void summary_free(struct summary *s);
/* Counts one exit; never fails (out of memory: into "other"). */
void summary_add(struct summary *s, const struct exit_record *rec);
/* Forgets every row: a new interval from start_ns. */
void summary_reset(struct summary *s, uint64_t start_ns);
/*
 * The rows to print, "other" included if it counted anything: by FAILED,
 * then EXITS (both descending), then name; "other" last. rows must have
 * room for SUMMARY_MAX_COMMS + 1. Returns their number.
 */
unsigned int summary_sorted(const struct summary *s, const struct summary_row **rows);
uint64_t summary_age_p50(const struct summary_row *r);
/* The n most frequent non-zero codes (or signals), most frequent first. */
unsigned int summary_top(const uint64_t *counts, unsigned int len, unsigned int first,
			 unsigned int *out, unsigned int n);

#endif /* __SUMMARY_H */
