// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event loop: ring -> decode -> enrich -> sinks, one batch at a time,
 * and the final drain after a stop. When it wakes is loop_state.c's pure
 * decision; this file does what that decides. Output is flushed once per
 * drain.
 *
 * Writes never wait (outfile.h): what the reader has not taken is kept,
 * and while OUTPUT_HIGH bytes wait for it the ring is left alone (the BPF
 * side counts what it cannot reserve as lost) and the loop waits for room
 * with the rest, reporting losses on time.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/timefmt.h"
#include "load/tracer.h"
#include "record/event.h"
#include "run/loop_state.h"
#include "run/session_state.h"
#include "run/stop.h"

/* Records per drain: between batches the loop looks at stop requests and losses. */
#define DRAIN_BUDGET 256
/* After a stop request, what is in the ring is printed for this long at most. */
#define STOP_DRAIN_MS 300
/* A record handler's "end this batch": a stop was requested. */
#define WALK_STOPPED (-ECANCELED)
/* A record handler's "end this batch": the output holds enough for now. */
#define WALK_FULL (-ENOBUFS)
/* Output waiting for the reader beyond which no more records are taken from the ring. */
#define OUTPUT_HIGH (64 * 1024)
/* Beyond this a record (of a transport without a budget) is counted as lost. */
#define OUTPUT_DROP (4 * OUTPUT_HIGH)

/* From a stop request on, records are printed for STOP_DRAIN_MS at most. */
static void start_stopping(struct session *s)
{
	uint64_t now;

	if (s->stopping)
		return;
	now = clock_mono_ms();
	s->stopping = true;
	s->stop_deadline_ms = now + STOP_DRAIN_MS;
	if (stop_signalled)
		s->output_deadline_ms = now + STOP_OUTPUT_MS;
}

/* When what the output has not taken is given up: 0 for never, until a stop signal comes. */
static uint64_t output_deadline(struct session *s)
{
	if (stop_signalled && !s->output_deadline_ms)
		s->output_deadline_ms = clock_mono_ms() + STOP_OUTPUT_MS;
	return s->output_deadline_ms;
}

/*
 * Once the stop's time is up, records are counted, not printed. Checked
 * per record: a transport that drains without a budget (the perf buffer)
 * is bounded too.
 */
static bool out_of_time(struct session *s)
{
	if (stop_requested)
		start_stopping(s);
	if (!s->stopping)
		return false;
	if (s->unprinted || clock_mono_ms() >= s->stop_deadline_ms) {
		s->unprinted++;
		return true;
	}
	return false;
}

int loop_handle_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	struct cgroup_name name;
	struct exit_record rec;
	int named;

	s->taken++;
	named = decode_cgroup_name(data, size, &name);
	if (named > 0)
		cgnames_learn(&s->names, &name);
	else if (named < 0 && !s->malformed++)
		log_error("skipping malformed record of %zu bytes", size);
	if (named)
		return 0;
	if (out_of_time(s))
		return 0;
	if (outfile_pending(s->of) >= OUTPUT_DROP) {
		s->overflow++; /* only a transport without a budget gets here */
		return 0;
	}
	if (decode_exit_event(data, size, s->clock_offset, &rec)) {
		if (!s->malformed++)
			log_error("skipping malformed record of %zu bytes", size);
		return 0;
	}
	if (s->scan)
		procscan_apply(&s->procs, &rec, rec.start_ns);
	record_enrich(&s->enrich, &rec);
	if (s->exporter)
		exporter_record(s->exporter, &rec);
	if (!s->quiet)
		output_record(&s->out, &rec);
	if (s->scan)
		procscan_reap(&s->procs);
	/* with -p the kernel passes only the target's records (host PIDs, even in a namespace) */
	if (s->target)
		s->target_seen = true;
	/* a stop request ends the batch at once, however fast records come */
	if (stop_requested && !s->finishing)
		return WALK_STOPPED;
	return outfile_pending(s->of) >= OUTPUT_HIGH ? WALK_FULL : 0;
}

/* After a batch: what the output takes now is written, the rest kept. */
int flush_output(struct session *s)
{
	int err;

	output_flush(&s->out);
	fflush(s->out.f);
	err = -outfile_send(s->of);
	if (!err)
		return 0;
	if (outfile_reader_gone(err))
		return OUTPUT_CLOSED; /* `exitsnoop | head`: a normal end */
	log_error("write error: %s", strerror(err));
	return EXIT_IOERR;
}

enum exit_status final_status(int rc)
{
	return rc == OUTPUT_CLOSED ? EXIT_OK : (enum exit_status)rc;
}

/* Printed records wait for the reader: take no more from the ring for now. */
static bool output_blocked(const struct session *s)
{
	return outfile_pending(s->of) >= OUTPUT_HIGH;
}

static int epoll_watch(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

/* Waits for room in the output only while something waits for it, for the ring only while not blocked. */
static int watch(struct session *s, bool blocked)
{
	uint32_t out_events = outfile_pending(s->of) ? EPOLLOUT : 0;
	int err;

	if (s->out_fd >= 0 && out_events != s->out_events) {
		err = epoll_watch(s->epfd, s->out_fd, out_events);
		if (err)
			return err;
		s->out_events = out_events;
	}
	if (blocked == s->ring_watched) {
		err = epoll_watch(s->epfd, tracer_epoll_fd(s->tracer), blocked ? 0 : EPOLLIN);
		if (err)
			return err;
		s->ring_watched = !blocked;
	}
	return 0;
}

static int drain(struct session *s)
{
	uint64_t taken = s->taken;
	int n;

	s->clock_offset = mono_to_realtime_offset();
	n = tracer_consume(s->tracer, DRAIN_BUDGET);
	s->cut = n == WALK_FULL;
	if (n == WALK_STOPPED)
		return 1;
	if (n == WALK_FULL)
		return (int)(s->taken - taken);
	if (n < 0) {
		log_error("ring buffer: %s", strerror(-n));
		return -1;
	}
	return n;
}

/* --interval: prints the summary when due; returns ms until the next, or -1. */
static int report_interval(struct session *s)
{
	uint64_t now = clock_mono_ms();

	if (!s->interval_ms)
		return -1;
	if (now >= s->report_ms) {
		output_report(&s->out, clock_ns(CLOCK_REALTIME));
		s->report_ms += s->interval_ms;
		if (s->report_ms <= now)
			s->report_ms = now + s->interval_ms;
	}
	return (int)(s->report_ms - now);
}

/*
 * Waits until the output has room, a signal comes, or the deadline (ms,
 * 0 for none) has passed.
 */
static void wait_output(struct session *s, uint64_t deadline)
{
	struct pollfd p[2] = {
		{ .fd = s->out_fd, .events = POLLOUT },
		{ .fd = stop_wake_fd(), .events = POLLIN },
	};
	uint64_t now = clock_mono_ms();
	int timeout = -1;

	if (deadline)
		timeout = deadline > now ? (int)(deadline - now) : 0;
	stop_wake_clear();
	if (poll(p, 2, timeout) < 0 && errno != EINTR)
		log_debug("poll: %s", strerror(errno));
}

/*
 * What the output has not taken, until the reader takes it: after the
 * -p process or CMD ended, however long that takes; after a stop signal
 * (also one that comes meanwhile), for STOP_OUTPUT_MS from it at most.
 */
static int write_out(struct session *s)
{
	uint64_t deadline;
	int rc;

	for (;;) {
		rc = flush_output(s);
		if (rc || !outfile_pending(s->of) || s->out_fd < 0)
			return rc;
		deadline = output_deadline(s);
		if (deadline && clock_mono_ms() >= deadline)
			return 0;
		wait_output(s, deadline);
	}
}

/*
 * After a stop request: print what the ring holds, in batches, for
 * STOP_DRAIN_MS at most; a storm goes on meanwhile, so no more than the
 * ring can hold is looked at. Then the output's last lines (and the
 * summary) are written as far as the reader takes them in time. What
 * there was no time for is counted.
 */
static enum exit_status finish(struct session *s)
{
	unsigned long seen = 0;
	int n, rc;

	start_stopping(s);
	s->finishing = true;
	for (;;) {
		rc = flush_output(s);
		if (rc)
			return final_status(rc);
		if (output_blocked(s) && s->out_fd >= 0 && clock_mono_ms() < s->stop_deadline_ms) {
			wait_output(s, s->stop_deadline_ms);
			continue;
		}
		n = drain(s);
		if (n < 0)
			return EXIT_RUNTIME;
		seen += n;
		if ((n < DRAIN_BUDGET && !s->cut) || seen >= s->final_budget)
			break;
	}
	if (s->out.cfg.summary)
		output_report(&s->out, clock_ns(CLOCK_REALTIME));
	rc = write_out(s);
	if (rc)
		return final_status(rc);
	report_unprinted(s);
	return EXIT_OK;
}

/* What woke epoll_wait(): the -p process or CMD ending, the metrics timer. */
static void woken_by(struct session *s, const struct epoll_event *evs, int n,
		     struct loop_look *look, bool *metrics_due)
{
	int i;

	for (i = 0; i < n; i++) {
		/* a pidfd turns readable after the exit record was committed */
		if (evs[i].data.fd == s->pidfd) {
			stop_request(); /* ends the batch, as a signal would */
			look->ended = true;
		} else if (s->exporter && evs[i].data.fd == exporter_timer_fd(s->exporter)) {
			*metrics_due = true;
		}
	}
}

/* One pass: what waited is written, the ring drained unless blocked, the reports due made. */
static int pass(struct session *s, struct loop_look *look, bool metrics_due)
{
	int rc, n;

	rc = flush_output(s); /* what waited, as far as there is room now */
	if (rc)
		return rc;
	look->blocked = output_blocked(s);
	n = look->blocked ? 0 : drain(s);
	if (n < 0)
		return EXIT_RUNTIME;
	look->handled = n;
	look->more = n >= DRAIN_BUDGET || s->cut;
	look->report_ms = look->blocked ? -1 : report_interval(s);
	rc = flush_output(s);
	if (rc)
		return rc;
	if (metrics_due)
		exporter_write(s->exporter, lost_total(s));
	look->lost_ms = report_lost(s, false);
	look->room = look->blocked && !output_blocked(s);
	look->stop = stop_requested;
	return 0;
}

enum exit_status loop_run(struct session *s)
{
	enum loop_state state = LOOP_IDLE; /* the tracer starts with the reader waiting */
	struct epoll_event evs[5];
	struct loop_look look;
	struct loop_step step;
	int n, timeout = -1, flow = 0, rc;
	bool metrics_due;

	while (!stop_requested) {
		look = (struct loop_look){ .flow = flow };
		metrics_due = false;
		n = epoll_wait(s->epfd, evs, 5, timeout);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_wait: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		woken_by(s, evs, n, &look, &metrics_due);
		rc = pass(s, &look, metrics_due);
		if (rc)
			return final_status(rc);
		step = loop_next(state, &look);
		if (step.tell)
			tracer_set_waiting(s->tracer, step.waiting);
		state = step.state;
		timeout = step.timeout;
		flow = step.flow;
		if (watch(s, output_blocked(s))) {
			log_error("epoll: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		if (step.done)
			break;
	}
	return finish(s);
}
