// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the run tells of itself: losses, what a stop left unprinted, the metrics file. */
#include <errno.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "load/tracer.h"
#include "run/loop_state.h"
#include "run/session_state.h"

uint64_t lost_total(const struct session *s)
{
	return tracer_lost(s->tracer) + s->overflow;
}

int report_lost(struct session *s, bool final)
{
	uint64_t lost = lost_total(s), now = clock_mono_ms();
	uint64_t due = s->lost_report_ms + LOST_REPORT_INTERVAL_MS;

	if (final) {
		if (lost)
			log_error("%llu events lost in total", (unsigned long long)lost);
		return -1;
	}
	if (lost == s->lost_reported)
		return -1;
	if (s->lost_report_ms && now < due)
		return (int)(due - now);
	log_error("%llu events lost", (unsigned long long)(lost - s->lost_reported));
	s->lost_reported = lost;
	s->lost_report_ms = now;
	return -1;
}

void report_unprinted(struct session *s)
{
	uint64_t lines = outfile_pending_lines(s->of);

	if (lines && outfile_written(s->of) < s->header_bytes)
		lines--; /* the table's header is no event */
	if (s->out.cfg.summary && lines)
		log_error("%llu lines of the summary not printed: the output did not take them within %d ms of the stop",
			  (unsigned long long)lines, STOP_OUTPUT_MS);
	else
		s->unprinted += lines;
	if (s->unprinted)
		log_error("%llu events not printed: the output did not take them within %d ms of the stop",
			  (unsigned long long)s->unprinted, STOP_OUTPUT_MS);
}

void report_target_gone(const struct session *s)
{
	if (s->target_gone_early && !s->target_seen)
		log_error("-p %d: process had already terminated", s->target);
}

void report_untracked(const struct session *s)
{
	uint64_t n = s->tracer ? tracer_untracked(s->tracer) : 0;

	if (n)
		log_error("%llu processes of the tree were not followed: too many at once",
			  (unsigned long long)n);
}

/*
 * The metrics file at the start and at the end: a failure is an I/O error,
 * out of descriptors excepted.
 */
enum exit_status write_metrics(struct session *s, enum exit_status status)
{
	int rc;

	if (!s->exporter)
		return status;
	rc = exporter_write(s->exporter, lost_total(s));
	if (!rc || status != EXIT_OK)
		return status;
	return rc == -EMFILE || rc == -ENFILE ? EXIT_RUNTIME : EXIT_IOERR;
}
