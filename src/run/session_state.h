/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One tracing run's state, shared by its parts: the wiring (session.c),
 * the event loop (loop.c) and the final reports (reports.c).
 */
#ifndef __SESSION_STATE_H
#define __SESSION_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "metrics/exporter.h"
#include "output/output.h"
#include "record/cgcache.h"
#include "record/cgname.h"
#include "record/cgroup.h"
#include "record/enrich.h"
#include "record/procscan.h"
#include "run/command.h"
#include "run/exit_status.h"
#include "run/outfile.h"

/* After a stop request (a signal), the output is given this long to take what is left. */
#define STOP_OUTPUT_MS 300

struct session {
	struct output out;
	struct outfile *of;
	int out_fd;		/* polled for room, -1 if writes never wait */
	uint32_t out_events;	/* what epoll watches on out_fd */
	bool ring_watched;	/* epoll watches the ring */
	uint64_t header_bytes;	/* the table header's, not an event's */
	uint64_t overflow;	/* records dropped: the output held OUTPUT_DROP bytes */
	uint64_t taken;		/* records handed to handle_record */
	bool cut;		/* the last drain ended for the output's sake: more may wait */
	struct tracer *tracer;
	int64_t clock_offset;
	int epfd;
	int pidfd;
	int cgroup_fd;
	uint64_t lost_reported;
	uint64_t lost_report_ms;
	uint64_t malformed;
	bool stopping;		/* a stop was requested: the time to print is counted */
	bool finishing;		/* the final drain */
	uint64_t stop_deadline_ms;
	uint64_t output_deadline_ms; /* after a stop signal: when what is left is given up */
	uint64_t unprinted;	/* records the final drain had no time left for */
	unsigned long final_budget; /* records the ring can hold: the final drain's bound */
	int target;		/* -p PID, 0 without */
	bool target_gone_early;	/* it had terminated when the filter was armed */
	bool target_seen;	/* its record was printed */
	struct command cmd;	/* -- CMD; cmd.pid 0 without */
	unsigned long interval_ms; /* --summary --interval */
	uint64_t report_ms;	/* when the next interval's summary is due */
	struct exporter *exporter;	/* --metrics-file, else NULL */
	bool quiet;			/* -q: no event lines */
	bool scan;			/* procs holds the processes older than tracing */
	struct procscan procs;
	struct cgroup_v2_root cgroot;
	struct cgcache cgroups;
	struct cgnames names;	/* new cgroups' names, as the kernel sends them */
	struct enricher enrich;	/* the look-ups between decoder and sinks */
};

/* loop.c: the event loop, from the first drain to the last line written. */

/* The tracer's callback for each record: decode, enrich, the sinks. */
int loop_handle_record(void *ctx, void *data, size_t size);

/* flush_output()'s "the reader left": a normal end (`exitsnoop | head`). */
#define OUTPUT_CLOSED -1

/* What waits is written as far as the reader takes it: 0, OUTPUT_CLOSED or an exit status. */
int flush_output(struct session *s);

/* flush_output()'s result as the run's exit status. */
enum exit_status final_status(int rc);

/* Until a stop, then the final drain: the run's exit status. */
enum exit_status loop_run(struct session *s);

/* reports.c: what the run tells on stderr and in the metrics file. */

/* Records the kernel could not pass on, and those the output had no room for. */
uint64_t lost_total(const struct session *s);

/* Reports new losses at most once a second; returns ms until the next report is due, or -1. */
int report_lost(struct session *s, bool final);

/* Records the stop left no time for: never printed, or printed and not taken. */
void report_unprinted(struct session *s);

/* A -p process that had ended before tracing and so has no record. */
void report_target_gone(const struct session *s);

/* Processes of the tree (--tree, -- CMD) that could not be followed. */
void report_untracked(const struct session *s);

/* The metrics file, written now; status, or the error writing it made. */
enum exit_status write_metrics(struct session *s, enum exit_status status);

#endif /* __SESSION_STATE_H */
