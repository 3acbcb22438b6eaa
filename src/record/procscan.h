/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Processes that were running before tracing began: their argv and exe
 * are read from /proc once, at start, and handed to their exit records
 * (the exec hook saw no exec of theirs). Never per event.
 */
#ifndef __PROCSCAN_H
#define __PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "record/event.h"

struct procscan_entry {
	uint32_t tgid;			/* 0: empty */
	bool args_truncated;
	uint64_t start_ticks;		/* /proc/PID/stat starttime: boot time, USER_HZ */
	char *args;			/* NUL-separated, as /proc/PID/cmdline */
	size_t args_len;
	char *exe;			/* NULL when unreadable (kernel threads) */
};

struct procscan {
	struct procscan_entry *tab;	/* open addressing by tgid */
	size_t size;			/* a power of two */
	size_t used;
	uint64_t scan_mono_ns;		/* CLOCK_MONOTONIC when the scan began */
	int64_t boot_minus_mono_ns;	/* CLOCK_BOOTTIME - CLOCK_MONOTONIC then */
	long ticks_per_s;
	uint32_t reap;			/* tgid whose entry goes at procscan_reap() */
};

/* Reads every process under proc (normally "/proc"). 0, or -errno. */
int procscan_run(struct procscan *ps, const char *proc);
void procscan_free(struct procscan *ps);

/*
 * Fills rec's args and exe from the scan where the record has none, the
 * exec table never saw an exec of the process, and it is the same process
 * (tgid, and a start before the scan at the same tick); the entry goes
 * with the process's exit record. Its ancestors' exe likewise.
 */
void procscan_apply(struct procscan *ps, struct exit_record *rec, uint64_t start_mono_ns);
/* After the record is written: drops the entry of the process that ended. */
void procscan_reap(struct procscan *ps);

#endif /* __PROCSCAN_H */
