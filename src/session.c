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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "cgcache.h"
#include "cgroup.h"
#include "event.h"
#include "log.h"
#include "output.h"
#include "procscan.h"
#include "session.h"
#include "timefmt.h"
#include "tracer.h"

#define LOST_REPORT_INTERVAL_MS 1000

struct session {
	struct output out;
	struct tracer *tracer;
	int64_t clock_offset;
	int epfd;
	int pidfd;
	int cgroup_fd;
	uint64_t lost_reported;
	uint64_t lost_report_ms;
	uint64_t malformed;
	bool scan;			/* procs holds the processes older than tracing */
	struct procscan procs;
	struct cgroup_v2_root cgroot;
	struct cgcache cgroups;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	struct exit_record rec;

	if (decode_exit_event(data, size, s->clock_offset, &rec)) {
		if (!s->malformed++)
			log_error("skipping malformed record of %zu bytes", size);
		return 0;
	}
	if (s->scan)
		procscan_apply(&s->procs, &rec, rec.start_ns);
	output_record(&s->out, &rec);
	if (s->scan)
		procscan_reap(&s->procs);
	return 0;
}

static void cgroup_info(uint64_t id, struct cgroup_info *info, void *ctx)
{
	struct session *s = ctx;

	cgcache_lookup(&s->cgroups, id, info);
}

static int open_pidfd(int pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0)
		return fd;
	if (errno == ESRCH)
		log_error("-p %d: no such process", pid);
	else if (errno == EINVAL)
		log_error("-p %d: not a process ID (a thread's?)", pid);
	else
		log_error("-p %d: %s", pid, strerror(errno));
	return -1;
}

/* Set by a stop signal, or when the -p process has ended. */
static volatile sig_atomic_t stop_requested;
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
	signal(sig, SIG_DFL);
	if (write(wake_fd, &one, sizeof(one)) < 0) {
		/* the eventfd is full only if a wakeup is already pending */
	}
	errno = saved;
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

static enum exit_status tracer_failure(const struct tracer_error *terr)
{
	static const char *const stage[] = { "open", "load", "attach", "set up ring buffer for" };
	int err = -terr->err;

	if (err == EPERM || err == EACCES) {
		log_error("failed to %s BPF programs: %s: needs root, or CAP_BPF with CAP_PERFMON",
			  stage[terr->stage], strerror(err));
		return EXIT_NOPERM;
	}
	log_error("failed to %s BPF programs: %s", stage[terr->stage], strerror(err));
	if (terr->reason[0])
		log_error("%s", terr->reason);
	return terr->stage == TRACER_RINGBUF ? EXIT_RUNTIME : EXIT_SOFTWARE;
}

/* Reports new losses at most once a second; returns ms until the next report is due. */
static int report_lost(struct session *s, bool final)
{
	uint64_t lost = tracer__lost(s->tracer), now = now_ms();
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

/* After a batch: 0 to go on, OUTPUT_CLOSED when the reader left, or an exit status. */
static int flush_output(struct session *s)
{
	if (fflush(s->out.f) == 0 && !ferror(s->out.f))
		return 0;
	if (errno == EPIPE)
		return OUTPUT_CLOSED; /* `exitsnoop | head`: a normal end */
	log_error("write error: %s", strerror(errno));
	return EXIT_IOERR;
}

static enum exit_status final_status(int rc)
{
	return rc == OUTPUT_CLOSED ? EXIT_OK : (enum exit_status)rc;
}

static int drain(struct session *s)
{
	int n;

	s->clock_offset = mono_to_realtime_offset();
	n = tracer__consume(s->tracer);
	if (n < 0) {
		log_error("ring buffer: %s", strerror(-n));
		return -1;
	}
	return n;
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
			tracer__set_waiting(s->tracer, false);
		*state = FLOWING;
		return DRAIN_INTERVAL_MS;
	}
	if (*state == FLOWING) {
		tracer__set_waiting(s->tracer, true);
		*state = GRACE;
		return DRAIN_INTERVAL_MS;
	}
	*state = IDLE;
	return -1;
}

static enum exit_status loop(struct session *s)
{
	enum loop_state state = IDLE; /* the tracer starts with the reader waiting */
	struct epoll_event evs[4];
	int i, n, timeout = -1, rc;

	while (!stop_requested) {
		n = epoll_wait(s->epfd, evs, 4, timeout);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_wait: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		for (i = 0; i < n; i++) {
			/* a pidfd turns readable after the exit record was committed */
			if (evs[i].data.fd == s->pidfd)
				stop_requested = 1;
		}
		n = drain(s);
		if (n < 0)
			return EXIT_RUNTIME;
		rc = flush_output(s);
		if (rc)
			return final_status(rc);
		timeout = min_timeout(report_lost(s, false), next_state(s, &state, n));
	}
	if (drain(s) < 0)
		return EXIT_RUNTIME;
	return final_status(flush_output(s));
}

static int setup(struct session *s, const struct options *opts, enum exit_status *status)
{
	struct tracer_config cfg = {
		.pid = opts->pid,
		.failed_only = opts->failed_only,
		.per_thread = opts->per_thread,
		.why = opts->why || opts->json,
		.story = opts->json || opts->rusage || opts->container || opts->args,
		.args = opts->json || opts->args,
		.cgroup_fd = -1,
		.buffer_size = opts->buffer_size,
		.force_compat = getenv("EXITSNOOP_FORCE_COMPAT") != NULL,
	};
	struct tracer_error terr;
	char err[512];

	*status = EXIT_USAGE;
	if (opts->pid && (s->pidfd = open_pidfd(opts->pid)) < 0)
		return -1;
	if (opts->cgroup) {
		s->cgroup_fd = cgroup_open_v2(opts->cgroup, err, sizeof(err));
		if (s->cgroup_fd < 0) {
			log_error("%s", err);
			return -1;
		}
		cfg.cgroup_fd = s->cgroup_fd;
	}
	*status = EXIT_RUNTIME;
	if (setup_signals()) {
		log_error("signals: %s", strerror(errno));
		return -1;
	}
	if (tracer__open(&s->tracer, &cfg, handle_record, s, &terr)) {
		*status = tracer_failure(&terr);
		return -1;
	}
	/*
	 * Attached, so every exec from now on is seen: what ran before is
	 * read from /proc once, and never again.
	 */
	if (cfg.args && procscan_run(&s->procs, "/proc") == 0)
		s->scan = true;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0 || epoll_add(s->epfd, tracer__epoll_fd(s->tracer)) ||
	    epoll_add(s->epfd, wake_fd) || (s->pidfd >= 0 && epoll_add(s->epfd, s->pidfd))) {
		log_error("epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void teardown(struct session *s)
{
	tracer__free(s->tracer);
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
}

enum exit_status session_run(const struct options *opts)
{
	static char outbuf[1 << 16];
	static struct session s = { .epfd = -1, .pidfd = -1, .cgroup_fd = -1 };
	struct output_config ocfg = {
		.json = opts->json,
		.args = opts->args,
		.rusage = opts->rusage,
		.container = opts->container,
		.cgroup_info = cgroup_info,
		.cgroup_ctx = &s,
		.timestamp = opts->timestamp,
		.utc = opts->utc,
		.why = opts->why,
		.label = opts->label,
		.memcg_path = cgroup_path_by_id,
	};
	enum exit_status status;
	int rc;

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	s.cgroot.fd = -1;
	if (opts->json || opts->container) {
		cgroup_v2_root_open(&s.cgroot);
		cgcache_init(&s.cgroups, cgroup_v2_resolve, &s.cgroot);
	}
	output_init(&s.out, stdout, &ocfg);
	if (setup(&s, opts, &status)) {
		teardown(&s);
		return status;
	}
	/* attached: the header (or, for JSON, a note on stderr) says we are ready */
	output_header(&s.out);
	if (opts->json)
		fputs("Tracing process exits... Ctrl-C to end.\n", stderr);
	rc = flush_output(&s);
	status = rc ? final_status(rc) : loop(&s);
	report_lost(&s, true);
	teardown(&s);
	return status;
}
