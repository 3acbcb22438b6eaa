// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Wiring and the event loop: tracer -> decoder -> output.
 *
 * Wakeups cost more than records here, so the loop has three states.
 * FLOWING: records came at the last look; drain again in
 * DRAIN_INTERVAL_MS, and the BPF side sends no wakeups. GRACE: a look
 * found nothing; tell the BPF side we wait, and look once more after an
 * interval (any program that saw "not waiting" has long committed by
 * then). IDLE: nothing again; sleep with no timer until the kernel wakes
 * us for the next record. Output is flushed once per drain.
 *
 * Writes never wait (outfile.h): what the reader has not taken is kept,
 * and while OUTPUT_HIGH bytes wait for it the ring is left alone (the BPF
 * side counts what it cannot reserve as lost) and the loop waits for room
 * with the rest, reporting losses on time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "record/cgcache.h"
#include "record/cgroup.h"
#include "lib/clock.h"
#include "lib/escape.h"
#include "record/enrich.h"
#include "record/event.h"
#include "metrics/exporter.h"
#include "lib/log.h"
#include "run/cmd_signals.h"
#include "run/outfile.h"
#include "output/output.h"
#include "load/privs.h"
#include "record/procscan.h"
#include "run/sandbox.h"
#include "run/command.h"
#include "run/session.h"
#include "output/summary.h"
#include "lib/timefmt.h"
#include "load/tracer.h"

#define LOST_REPORT_INTERVAL_MS 1000
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
	struct enricher enrich;	/* the look-ups between decoder and sinks */
};

/* Set by a stop signal, or when the -p process has ended. */
static volatile sig_atomic_t stop_requested;
/* Set by a stop signal only: the output's time is counted too. */
static volatile sig_atomic_t stop_signalled;

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

static int handle_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	struct exit_record rec;

	s->taken++;
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

static void cgroup_info(uint64_t id, struct cgroup_info *info, void *ctx)
{
	cgcache_lookup(ctx, id, info);
}

static int open_pidfd(int pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0)
		return fd;
	if (log_out_of_fds(errno))
		return -EMFILE;
	if (errno == ESRCH)
		log_error("-p %d: no such process", pid);
	else if (errno == EINVAL)
		log_error("-p %d: not a process ID (a thread's?)", pid);
	else
		log_error("-p %d: %s", pid, strerror(errno));
	return -1;
}

/* Wakes epoll_wait() from the signal handler. */
static int wake_fd = -1;

/*
 * First SIGINT/SIGTERM/SIGHUP: ask the loop to drain and stop, and restore
 * the default action so that a second one ends the process at once, even
 * while it is blocked writing to a stalled pipe. SA_RESTART keeps that
 * write going after the first.
 */
static void on_stop_signal(int sig)
{
	uint64_t one = 1;
	int saved = errno;

	stop_requested = 1;
	stop_signalled = 1;
	signal(sig, SIG_DFL);
	if (write(wake_fd, &one, sizeof(one)) < 0) {
		/* the eventfd is full only if a wakeup is already pending */
	}
	errno = saved;
}

/*
 * The stop signals stay blocked while the programs load and attach: the
 * verifier gives up with EAGAIN when it sees a signal pending, and a stop
 * then is no failure. Unblocked once attached, a pending one stops the run.
 */
static void block_stop_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	signal(SIGPIPE, SIG_IGN); /* a gone reader is an EPIPE we handle */
	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	}
	return 0;
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int epoll_watch(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

/* The output, watched for room only while something waits for it. */
static int watch_output_setup(struct session *s)
{
	struct epoll_event ev = { .events = 0, .data.fd = s->out_fd };

	if (s->out_fd < 0)
		return 0;
	if (!epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->out_fd, &ev))
		return 0;
	if (errno != EPERM)
		return -errno;
	/* a file that cannot be polled (/dev/null) is always ready */
	outfile_never_waits(s->of);
	s->out_fd = -1;
	return 0;
}

/* "failed to load BPF programs", or "failed to probe the kernel for tp_btf" */
static const char *failed_what(const struct load_error *terr, char *buf, size_t size)
{
	static const char *const stage[] = {
		[LOAD_OPEN] = "open",
		[LOAD_LOAD] = "load",
		[LOAD_ATTACH] = "attach",
		[LOAD_RINGBUF] = "set up ring buffer for",
	};

	if (terr->probe)
		snprintf(buf, size, "failed to probe the kernel for %s", terr->probe);
	else
		snprintf(buf, size, "failed to %s BPF programs", stage[terr->stage]);
	return buf;
}

static enum exit_status tracer_failure(const struct load_error *terr)
{
	int err = -terr->err;
	char what[96];

	failed_what(terr, what, sizeof(what));
	if ((err == EPERM || err == ENOMEM) && terr->memlock_short) {
		log_error("%s: %s: this kernel (before 5.11) charges BPF memory to RLIMIT_MEMLOCK, "
			  "%llu KiB, which could not be raised without CAP_SYS_RESOURCE: "
			  "raise it (ulimit -l, LimitMEMLOCK=)",
			  what, strerror(err), (unsigned long long)terr->memlock_kib);
		return EXIT_NOPERM;
	}
	if (err == EPERM) {
		struct privs_view v;
		char why[256];

		privs_look(&v);
		log_error("%s: %s: %s", what, strerror(err), privs_refusal(&v, why, sizeof(why)));
		return EXIT_NOPERM;
	}
	if (err == EACCES) {
		log_error("%s: %s: needs root, or CAP_BPF with CAP_PERFMON", what, strerror(err));
		return EXIT_NOPERM;
	}
	/*
	 * the verifier's log is then about a missing descriptor, not the
	 * programs; out of descriptors is EXIT_RUNTIME wherever it happens
	 */
	if (log_out_of_fds(err))
		return EXIT_RUNTIME;
	/* one line: the reason (the verifier's verdict, a missing BTF) says more than errno */
	log_error("%s: %s", what, terr->reason[0] ? terr->reason : strerror(err));
	return terr->stage == LOAD_RINGBUF ? EXIT_RUNTIME : EXIT_SOFTWARE;
}

/* Records the kernel could not pass on, and those the output had no room for. */
static uint64_t lost_total(const struct session *s)
{
	return tracer_lost(s->tracer) + s->overflow;
}

/* Reports new losses at most once a second; returns ms until the next report is due. */
static int report_lost(struct session *s, bool final)
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

#define OUTPUT_CLOSED -1

/*
 * After a batch: what the output takes now is written, the rest kept.
 * 0 to go on, OUTPUT_CLOSED when the reader left, or an exit status.
 */
static int flush_output(struct session *s)
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

/* Printed records wait for the reader: take no more from the ring for now. */
static bool output_blocked(const struct session *s)
{
	return outfile_pending(s->of) >= OUTPUT_HIGH;
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

static enum exit_status final_status(int rc)
{
	return rc == OUTPUT_CLOSED ? EXIT_OK : (enum exit_status)rc;
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

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

enum loop_state {
	FLOWING,
	GRACE,
	IDLE,
};

/* The next state after a drain that handled n records, and its timeout. */
static int next_state(struct session *s, enum loop_state *state, int n)
{
	if (n > 0) {
		if (*state != FLOWING)
			tracer_set_waiting(s->tracer, false);
		*state = FLOWING;
		return DRAIN_INTERVAL_MS;
	}
	if (*state == FLOWING) {
		tracer_set_waiting(s->tracer, true);
		*state = GRACE;
		return DRAIN_INTERVAL_MS;
	}
	*state = IDLE;
	return -1;
}

/*
 * Waits until the output has room, a signal comes, or the deadline (ms,
 * 0 for none) has passed.
 */
static void wait_output(struct session *s, uint64_t deadline)
{
	struct pollfd p[2] = {
		{ .fd = s->out_fd, .events = POLLOUT },
		{ .fd = wake_fd, .events = POLLIN },
	};
	uint64_t now = clock_mono_ms(), one;
	int timeout = -1;

	if (deadline)
		timeout = deadline > now ? (int)(deadline - now) : 0;
	if (read(wake_fd, &one, sizeof(one)) < 0) {
		/* no wakeup was pending */
	}
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

/* Records the stop left no time for: never printed, or printed and not taken. */
static void report_unprinted(struct session *s)
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

static enum exit_status loop(struct session *s)
{
	enum loop_state state = IDLE; /* the tracer starts with the reader waiting */
	struct epoll_event evs[5];
	int i, n, timeout = -1, rc;
	bool metrics_due, blocked;

	while (!stop_requested) {
		metrics_due = false;
		n = epoll_wait(s->epfd, evs, 5, timeout);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_wait: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		for (i = 0; i < n; i++) {
			/* a pidfd turns readable after the exit record was committed */
			if (evs[i].data.fd == s->pidfd)
				stop_requested = 1;
			else if (s->exporter && evs[i].data.fd == exporter_timer_fd(s->exporter))
				metrics_due = true;
		}
		rc = flush_output(s); /* what waited, as far as there is room now */
		if (rc)
			return final_status(rc);
		blocked = output_blocked(s);
		n = blocked ? 0 : drain(s);
		if (n < 0)
			return EXIT_RUNTIME;
		/* a summary waits too: the next one covers the time */
		timeout = blocked ? -1 : report_interval(s);
		rc = flush_output(s);
		if (rc)
			return final_status(rc);
		if (metrics_due)
			exporter_write(s->exporter, lost_total(s));
		timeout = min_timeout(timeout, report_lost(s, false));
		if (blocked) /* the kernel counts losses meanwhile: look once a second */
			timeout = min_timeout(timeout, LOST_REPORT_INTERVAL_MS);
		else
			timeout = min_timeout(timeout, next_state(s, &state, n));
		if (blocked ? !output_blocked(s) : n >= DRAIN_BUDGET || s->cut)
			timeout = 0; /* more waiting: look again at once */
		if (watch(s, output_blocked(s))) {
			log_error("epoll: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	return finish(s);
}

/* Said up front: without them the verifier's complaint would be status 70. */
static int check_privileges(void)
{
	const char *missing = privs_missing(privs_effective());

	if (!missing)
		return 0;
	log_error("not privileged: %s", missing);
	return -1;
}

/* A -p process that had terminated before the filter was armed has no record to show. */
static bool pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return pidfd >= 0 && poll(&p, 1, 0) == 1;
}

static void report_target_gone(const struct session *s)
{
	if (s->target_gone_early && !s->target_seen)
		log_error("-p %d: process had already terminated", s->target);
}

static int track(void *tracer, int pid, int pidfd)
{
	return tracer_track(tracer, pid, pidfd);
}

/* The tree's root, before CMD runs; for --tree, what -p PID has forked already. */
static int seed_tree(struct session *s, const struct options *opts)
{
	int root = s->cmd.pid ? s->cmd.pid : opts->pid, n;

	n = tracer_track(s->tracer, root, -1); /* the session watches the root's end */
	if (!n && !s->cmd.pid) {
		n = track_descendants(root, track, s->tracer);
		if (n >= 0)
			log_debug("--tree: %d descendants of %d found in /proc", n, root);
	}
	if (n < 0) {
		log_error("cannot follow the process tree of %d: %s", root, strerror(-n));
		return -1;
	}
	return 0;
}

/*
 * Records are printed one by one, not only counted (--summary): what only
 * a printed record shows (the cause, the story, the cgroup) is worth its
 * collection in the kernel. --metrics-file counts causes too.
 */
static bool wants_causes(const struct options *opts)
{
	return opts->metrics_file || (!opts->summary && (opts->why || opts->json));
}

static bool wants_story(const struct options *opts)
{
	return !opts->summary && (opts->json || opts->rusage || opts->container || opts->args);
}

static bool wants_cgroups(const struct options *opts)
{
	return !opts->summary && (opts->json || opts->container);
}

#define CAP_DAC_READ_SEARCH_BIT (1ull << 2)

/*
 * -v: what stays for the whole run, and for which option. Only
 * CAP_DAC_READ_SEARCH may, for open_by_handle_at(), which names a cgroup
 * by its id: the cgroup of each record (-j, --container), the memory
 * cgroup of an OOM kill (-w, -j, --metrics-file).
 */
static void say_privileges(const struct options *opts)
{
	bool cg = wants_cgroups(opts), oom = wants_causes(opts);

	if (!(cg || oom) || !(privs_effective() & CAP_DAC_READ_SEARCH_BIT)) {
		log_debug("privileges: every capability dropped once attached");
		return;
	}
	log_debug("privileges: CAP_DAC_READ_SEARCH kept for the whole run, for "
		  "open_by_handle_at():%s%s%s",
		  cg ? " the cgroup of each record (-j, --container)" : "", cg && oom ? ";" : "",
		  oom ? " the memory cgroup of an OOM kill (-w, -j, --metrics-file)" : "");
}

static int setup(struct session *s, const struct options *opts, enum exit_status *status)
{
	struct tracer_config cfg = {
		.pid = opts->pid,
		.failed_only = opts->failed_only,
		.per_thread = opts->per_thread,
		.why = wants_causes(opts),
		.story = wants_story(opts),
		.args = wants_story(opts) && (opts->json || opts->args),
		.cgroup_fd = -1,
		.buffer_size = opts->buffer_size,
		.tree = opts->tree || opts->cmd,
		.oom = opts->summary,
		.filter = &opts->filter,
	};
	struct load_error terr;
	char err[512];

	/* records with the story are about five times larger: so is the default ring */
	if (cfg.story && !opts->buffer_size_given)
		cfg.buffer_size = STORY_BUFFER_SIZE;
	s->final_budget = cfg.buffer_size / 16; /* records are 64 bytes at least */
	*status = EXIT_USAGE;
	if ((opts->cmd || opts->tree) && !in_host_pidns()) {
		log_error("-- CMD and --tree need the host's PID namespace");
		return -1;
	}
	if (opts->pid && (s->pidfd = open_pidfd(opts->pid)) < 0) {
		if (s->pidfd == -EMFILE)
			*status = EXIT_RUNTIME;
		return -1;
	}
	if (opts->cgroup) {
		s->cgroup_fd = cgroup_open_v2(opts->cgroup, err, sizeof(err));
		if (s->cgroup_fd < 0) {
			if (log_out_of_fds(-s->cgroup_fd))
				*status = EXIT_RUNTIME;
			else
				log_error("%s", err);
			return -1;
		}
		cfg.cgroup_fd = s->cgroup_fd;
	}
	if (opts->metrics_file) {
		s->exporter = exporter_open(opts->metrics_file, opts->metrics_interval, err,
					    sizeof(err));
		if (!s->exporter) {
			if (log_out_of_fds(errno))
				*status = EXIT_RUNTIME;
			else
				log_error("%s", err);
			return -1;
		}
	}
	*status = EXIT_NOPERM;
	if (check_privileges())
		return -1;
	*status = EXIT_RUNTIME;
	if (setup_signals()) {
		if (!log_out_of_fds(errno))
			log_error("signals: %s", strerror(errno));
		return -1;
	}
	if (cfg.tree)
		cfg.pid = 0; /* the tree map decides */
	if (tracer_open(&s->tracer, &cfg, handle_record, s, &terr)) {
		*status = tracer_failure(&terr);
		return -1;
	}
	if (cfg.tree && seed_tree(s, opts))
		return -1;
	/*
	 * Attached, so every exec from now on is seen: what ran before is
	 * read from /proc once, and never again.
	 */
	if (cfg.args && procscan_run(&s->procs, "/proc") == 0)
		s->scan = true;
	if (cfg.why)
		cgroup_memcg_open();
	s->target = cfg.tree ? opts->pid : cfg.pid; /* --tree zeroed cfg.pid */
	s->target_gone_early = pidfd_exited(s->pidfd);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0 || epoll_add(s->epfd, tracer_epoll_fd(s->tracer)) ||
	    epoll_add(s->epfd, wake_fd) || (s->pidfd >= 0 && epoll_add(s->epfd, s->pidfd)) ||
	    (s->exporter && epoll_add(s->epfd, exporter_timer_fd(s->exporter))) ||
	    watch_output_setup(s)) {
		if (!log_out_of_fds(errno))
			log_error("epoll: %s", strerror(errno));
		return -1;
	}
	s->ring_watched = true;
	return 0;
}

static void teardown(struct session *s)
{
	command_abort(&s->cmd);
	command_close(&s->cmd);
	tracer_free(s->tracer);
	procscan_free(&s->procs);
	cgcache_free(&s->cgroups);
	cgroup_v2_root_close(&s->cgroot);
	if (s->epfd >= 0)
		close(s->epfd);
	if (wake_fd >= 0)
		close(wake_fd);
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->cgroup_fd >= 0)
		close(s->cgroup_fd);
	cgroup_memcg_close();
	exporter_close(s->exporter);
}

/*
 * The metrics file at the start and at the end: a failure is an I/O error,
 * out of descriptors excepted.
 */
static enum exit_status write_metrics(struct session *s, enum exit_status status)
{
	int rc;

	if (!s->exporter)
		return status;
	rc = exporter_write(s->exporter, lost_total(s));
	if (!rc || status != EXIT_OK)
		return status;
	return rc == -EMFILE || rc == -ENFILE ? EXIT_RUNTIME : EXIT_IOERR;
}

/*
 * Summary rows that fit a terminal: its height less the lines around them.
 * Asked of the descriptor: the output stream (fopencookie) has none.
 */
static unsigned int terminal_rows(int fd)
{
	struct winsize ws;

	if (!isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) || ws.ws_row < 8)
		return 20;
	return ws.ws_row - 4u;
}

/* A name the user gave, for one line of a message. */
static const char *shown(const char *s)
{
	return escape_shown(s, strlen(s), SHOWN_MAX);
}

/* -o FILE, or stdout: a descriptor, or -1 after a message (-2: out of descriptors). */
static int open_output(const struct options *opts)
{
	int fd;

	if (!opts->output)
		return STDOUT_FILENO;
	fd = open(opts->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0)
		return fd;
	if (log_out_of_fds(errno))
		return -2;
	log_error("-o '%s': %s", shown(opts->output), strerror(errno));
	return -1;
}

/*
 * Lets CMD exec, tracing armed. 0, or the shell's status when it could
 * not be executed (it has then exited: nothing of it is printed).
 */
static int release_command(struct session *s, const struct options *opts)
{
	const char *name = opts->cmd[0];
	int err = command_release(&s->cmd);

	if (!err)
		return 0;
	if (err == ENOENT && !strchr(name, '/'))
		log_error("%s: command not found", shown(name));
	else
		log_error("%s: %s", shown(name), strerror(err));
	command_wait(&s->cmd);
	return command_exec_status(err);
}

/* With -- CMD, once tracing has ended: CMD's status unless exitsnoop failed. */
static enum exit_status command_end(struct session *s, enum exit_status status)
{
	int wstatus;

	if (!s->cmd.pid || s->cmd.go_fd >= 0)
		return status; /* never released: teardown ends it */
	wstatus = command_wait(&s->cmd);
	if (wstatus < 0) {
		log_error("waiting for %d: %s", s->cmd.pid, strerror(-wstatus));
		return EXIT_RUNTIME;
	}
	return status == EXIT_OK ? (enum exit_status)command_status(wstatus) : status;
}

static void report_untracked(struct session *s)
{
	uint64_t n = s->tracer ? tracer_untracked(s->tracer) : 0;

	if (n)
		log_error("%llu processes of the tree were not followed: too many at once",
			  (unsigned long long)n);
}

static void close_output(struct outfile *of, int fd)
{
	outfile_close(of); /* flushed already; what the reader did not take is given up */
	if (fd != STDOUT_FILENO)
		close(fd);
}

enum exit_status session_run(const struct options *opts)
{
	static char outbuf[1 << 16];
	static struct session s = { .epfd = -1, .pidfd = -1, .cgroup_fd = -1, .out_fd = -1 };
	struct output_config ocfg = {
		.json = opts->json,
		.args = opts->args,
		.rusage = opts->rusage,
		.container = opts->container,
		.timestamp = opts->timestamp,
		.utc = opts->utc,
		.why = opts->why,
		.label = opts->label,
		.summary = opts->summary,
	};
	enum exit_status status;
	sigset_t cmd_sigs;
	FILE *out;
	int rc, fd, err;

	s.cmd.pidfd = s.cmd.go_fd = s.cmd.exec_fd = -1;
	s.cgroot.fd = -1;
	s.interval_ms = opts->interval_ms;
	s.quiet = opts->quiet;
	fd = open_output(opts);
	if (fd < 0)
		return fd == -2 ? EXIT_RUNTIME : EXIT_USAGE;
	/*
	 * CMD's process first: the caller's signal mask and dispositions, none
	 * of our state; its signals are held until they can be passed on.
	 */
	if (opts->cmd) {
		cmd_signals_reset();
		err = command_start(&s.cmd, opts->cmd);
		if (err) {
			if (!log_out_of_fds(-err))
				log_error("cannot start %s: %s", shown(opts->cmd[0]), strerror(-err));
			return EXIT_RUNTIME;
		}
		s.pidfd = s.cmd.pidfd;
		s.cmd.pidfd = -1;
		cmd_signal_set(&cmd_sigs);
		sigprocmask(SIG_BLOCK, &cmd_sigs, NULL);
	}
	block_stop_signals(true);
	s.of = outfile_open(fd, opts->output != NULL);
	out = s.of ? outfile_stream(s.of) : NULL;
	if (!out) {
		log_error("%s: %s", opts->output ? shown(opts->output) : "stdout", strerror(errno));
		command_abort(&s.cmd);
		return EXIT_RUNTIME;
	}
	s.out_fd = outfile_poll_fd(s.of);
	ocfg.max_rows = terminal_rows(fd);
	if (wants_cgroups(opts)) {
		cgroup_v2_root_open(&s.cgroot);
		cgcache_init(&s.cgroups, cgroup_v2_resolve, &s.cgroot);
		s.enrich.cgroup_info = cgroup_info;
		s.enrich.cgroup_ctx = &s.cgroups;
	}
	/* no mount is open without -w: then no path is found, nor sought */
	s.enrich.memcg_path = cgroup_path_by_id;
	if (output_init(&s.out, out, &ocfg)) {
		log_error("out of memory");
		status = EXIT_RUNTIME;
		goto out;
	}
	if (output_batches(&s.out))
		setvbuf(out, NULL, _IONBF, 0);
	else
		setvbuf(out, outbuf, _IOFBF, sizeof(outbuf));
	if (setup(&s, opts, &status))
		goto out;
	/* with CMD, signals go to it: exitsnoop ends when CMD does */
	if (opts->cmd) {
		if ((err = cmd_signals_install(s.pidfd)))
			log_error("signals: %s", strerror(-err));
		sigprocmask(SIG_UNBLOCK, &cmd_sigs, NULL);
	}
	block_stop_signals(false);
	if (stop_requested) { /* stopped while starting: nothing to say */
		status = EXIT_OK;
		goto out;
	}
	say_privileges(opts);
	rc = sandbox_enter(wants_causes(opts) || wants_cgroups(opts),
			   s.exporter ? exporter_dir_fd(s.exporter) : -1, s.cmd.pid, s.pidfd);
	if (rc) {
		log_error("dropping privileges: %s", strerror(-rc));
		status = EXIT_RUNTIME;
		goto out;
	}
	/* attached: the header (or, for JSON, a note on stderr) says we are ready */
	status = write_metrics(&s, EXIT_OK);
	if (status != EXIT_OK)
		goto out;
	if (!opts->quiet)
		output_header(&s.out);
	if ((opts->json || opts->summary || opts->quiet) && !opts->cmd)
		fputs("Tracing process exits... Ctrl-C to end.\n", stderr);
	output_start(&s.out, clock_ns(CLOCK_REALTIME));
	s.report_ms = clock_mono_ms() + s.interval_ms;
	rc = flush_output(&s);
	s.header_bytes = outfile_written(s.of) + outfile_pending(s.of);
	/* CMD runs even when our reader has gone: only exitsnoop's output is lost */
	if ((!rc || rc == OUTPUT_CLOSED) && opts->cmd && (err = release_command(&s, opts))) {
		status = (enum exit_status)err;
		goto out;
	}
	status = rc ? final_status(rc) : loop(&s);
	status = write_metrics(&s, status);
	status = command_end(&s, status);
	report_lost(&s, true);
	report_target_gone(&s);
	report_untracked(&s);
out:
	teardown(&s);
	output_fini(&s.out);
	close_output(s.of, fd);
	return status;
}
