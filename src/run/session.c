// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One tracing run's wiring: the output, the filters' descriptors, the
 * programs loaded and attached, epoll, the privileges dropped; then the
 * event loop (loop.c) and, at the end, the reports (reports.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lib/clock.h"
#include "lib/escape.h"
#include "lib/log.h"
#include "load/privs.h"
#include "load/tracer.h"
#include "output/summary.h"
#include "run/cmd_glue.h"
#include "run/cmd_signals.h"
#include "run/load_failure.h"
#include "run/sandbox.h"
#include "run/session.h"
#include "run/session_state.h"
#include "run/stop.h"

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

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
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
 * a printed record shows (the cause) is worth its collection in the
 * kernel. --metrics-file counts causes too.
 */
static bool wants_causes(const struct options *opts)
{
	return opts->metrics_file || (!opts->summary && (opts->json || opts->why));
}

/* A group known only from the record's cgroup: --summary-by cgroup or container. */
static bool groups_by_cgroup(const struct options *opts)
{
	return opts->summary && (opts->summary_by == SUMMARY_BY_CGROUP ||
				 opts->summary_by == SUMMARY_BY_CONTAINER);
}

/* The summary's rows say CPU time and peak memory: the story has them. */
static bool wants_story(const struct options *opts)
{
	return opts->summary || opts->json || opts->rusage || opts->container || opts->args ||
	       opts->metrics_containers || opts->ancestors;
}

/* lineage: ancestors, the exe's identity, start time; only -j and --ancestors show them */
static bool wants_lineage(const struct options *opts)
{
	return !opts->summary && (opts->json || opts->ancestors);
}

/* The exec hook keeps argv and walks the exe's path. */
static bool wants_args(const struct options *opts)
{
	if (opts->summary)
		return opts->summary_by == SUMMARY_BY_EXE;
	return opts->json || opts->args;
}

static bool wants_cgroups(const struct options *opts)
{
	return groups_by_cgroup(opts) || opts->metrics_containers ||
	       (!opts->summary && (opts->json || opts->container));
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
		.args = wants_args(opts),
		.lineage = wants_lineage(opts),
		.cgroup_fd = -1,
		.buffer_size = opts->buffer_size,
		.tree = opts->tree || opts->cmd,
		.oom = opts->summary,
		.filter = &opts->filter,
		.cost = wants_story(opts) && opts->json,
	};
	struct load_error terr;
	char err[512];

	/* records with the story are about five times larger: so is the default ring */
	if (cfg.story && !opts->buffer_size_given)
		cfg.buffer_size = STORY_BUFFER_SIZE;
	s->final_budget = cfg.buffer_size / 16; /* records are 64 bytes at least */
	/* named as they are made: a cgroup can be gone before its records are read */
	cfg.cgroup_names = (wants_cgroups(opts) ? CGNAME_V2 : 0) | (cfg.why ? CGNAME_MEMORY : 0);
	cgnames_init(&s->names, wants_cgroups(opts) ? &s->cgroups : NULL, cfg.why);
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
		s->exporter = exporter_open(opts->metrics_file, opts->metrics_interval,
					    opts->metrics_containers, err,
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
	if (stop_signals_setup()) {
		if (!log_out_of_fds(errno))
			log_error("signals: %s", strerror(errno));
		return -1;
	}
	if (cfg.tree)
		cfg.pid = 0; /* the tree map decides */
	if (tracer_open(&s->tracer, &cfg, loop_handle_record, s, &terr)) {
		*status = load_failure(&terr);
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
	    epoll_add(s->epfd, stop_wake_fd()) || (s->pidfd >= 0 && epoll_add(s->epfd, s->pidfd)) ||
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
	stop_signals_close();
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->cgroup_fd >= 0)
		close(s->cgroup_fd);
	cgroup_memcg_close();
	exporter_close(s->exporter);
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

static void close_output(struct outfile *of, int fd)
{
	outfile_close(of); /* flushed already; what the reader did not take is given up */
	if (fd != STDOUT_FILENO)
		close(fd);
}

/*
 * A regular file's writes are gathered up to 1 MiB: after the reader slept,
 * the kernel's write path costs ~50 us before its first byte (cold paths,
 * the inode's time), which 64 KiB writes paid once per 50 lines of -j. A
 * pipe's or a terminal's stay at 64 KiB: what the reader has not taken is
 * seen as soon as a batch goes (loop.c's OUTPUT_HIGH).
 */
#define FILE_BATCH_BYTES (1u << 20)

enum exit_status session_run(const struct options *opts)
{
	static char outbuf[1 << 16];
	static struct session s = { .epfd = -1, .pidfd = -1, .cgroup_fd = -1, .out_fd = -1 };
	struct output_config ocfg = {
		.json = opts->json,
		.args = opts->args,
		.rusage = opts->rusage,
		.container = opts->container,
		.ancestors = opts->ancestors,
		.timestamp = opts->timestamp,
		.utc = opts->utc,
		.why = opts->why,
		.label = opts->label,
		.summary = opts->summary,
		.summary_by = opts->summary_by,
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
	stop_signals_block(true);
	s.of = outfile_open(fd, opts->output != NULL);
	out = s.of ? outfile_stream(s.of) : NULL;
	if (!out) {
		log_error("%s: %s", opts->output ? shown(opts->output) : "stdout", strerror(errno));
		command_abort(&s.cmd);
		return EXIT_RUNTIME;
	}
	s.out_fd = outfile_poll_fd(s.of);
	ocfg.max_rows = terminal_rows(fd);
	if (outfile_regular(s.of))
		ocfg.batch_bytes = FILE_BATCH_BYTES;
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
	stop_signals_block(false);
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
	if ((!rc || rc == OUTPUT_CLOSED) && opts->cmd && (err = cmd_go(&s.cmd, opts->cmd[0]))) {
		status = (enum exit_status)err;
		goto out;
	}
	status = rc ? final_status(rc) : loop_run(&s);
	status = write_metrics(&s, status);
	status = cmd_outcome(&s.cmd, status);
	report_lost(&s, true);
	report_target_gone(&s);
	report_untracked(&s);
out:
	teardown(&s);
	output_fini(&s.out);
	close_output(s.of, fd);
	return status;
}
