// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command-line parsing: getopt_long, so that every error is ours to word. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/parse.h"
#include "run/option_table.h"
#include "output/summary.h"
#include "run/options.h"

static enum options_result fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return OPTIONS_ERROR;
}

/*
 * An option's value in a message as the user wrote it, escaped so that
 * the message stays one line of text: 64 bytes at most.
 */
static const char *quoted(const char *arg, size_t len)
{
	return escape_shown(arg, len, 64);
}

static const char *q(const char *arg)
{
	return quoted(arg, strlen(arg));
}

/* A process ID: decimal digits only, 1 .. PID_LIMIT. */
static int parse_pid(const char *s, int *pid)
{
	return parse_count(s, PID_LIMIT, pid);
}

/* Seconds: decimal digits only, 1 .. MAX_METRICS_INTERVAL. */
static int parse_seconds(const char *s, int *secs)
{
	return parse_count(s, MAX_METRICS_INTERVAL, secs);
}

static bool is_power_of_two(unsigned long v)
{
	return v && !(v & (v - 1));
}

static enum options_result check_label(const char *label, char *err, size_t errlen)
{
	const unsigned char *p;

	if (strlen(label) > LABEL_MAX)
		return fail(err, errlen, "--label: longer than %d bytes", LABEL_MAX);
	for (p = (const unsigned char *)label; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return fail(err, errlen, "--label: control characters are not allowed");
	}
	return OPTIONS_RUN;
}

static enum options_result set_metrics_option(struct options *opts, int c, char *err,
						size_t errlen)
{
	int ret;

	switch (c) {
	case 'q':
		opts->quiet = true;
		break;
	case OPT_METRICS_CONTAINERS:
		opts->metrics_containers = true;
		break;
	case OPT_METRICS_FILE:
		if (!*optarg)
			return fail(err, errlen, "--metrics-file: empty path");
		opts->metrics_file = optarg;
		break;
	default:
		ret = parse_seconds(optarg, &opts->metrics_interval);
		if (ret == -ERANGE)
			return fail(err, errlen, "--metrics-interval '%s': out of range (1 to %ld)",
				    q(optarg), MAX_METRICS_INTERVAL);
		if (ret)
			return fail(err, errlen, "--metrics-interval '%s': not a number of seconds",
				    q(optarg));
		break;
	}
	return OPTIONS_RUN;
}

/* Combinations that would silently do nothing. */
static enum options_result check_metrics_options(const struct options *opts, bool interval,
						 char *err, size_t errlen)
{
	if (interval && !opts->metrics_file)
		return fail(err, errlen, "--metrics-interval needs --metrics-file");
	if (opts->metrics_containers && !opts->metrics_file)
		return fail(err, errlen, "--metrics-containers needs --metrics-file");
	if (opts->quiet && !opts->metrics_file)
		return fail(err, errlen, "-q leaves no output without --metrics-file");
	if (opts->quiet && opts->json)
		return fail(err, errlen, "-q and -j exclude each other");
	return OPTIONS_RUN;
}

static enum options_result set_filter(struct options *opts, int c, char *err, size_t errlen);

static enum options_result set_option(struct options *opts, int c, char *err, size_t errlen)
{
	int ret;

	switch (c) {
	case 't':
		opts->timestamp = true;
		break;
	case OPT_UTC:
		opts->utc = opts->timestamp = true;
		break;
	case 'p':
		ret = parse_pid(optarg, &opts->pid);
		if (ret == -ERANGE)
			return fail(err, errlen, "-p '%s': PID out of range (1 to %ld)", q(optarg),
				    PID_LIMIT);
		if (ret)
			return fail(err, errlen, "-p '%s': not a process ID", q(optarg));
		break;
	case OPT_LABEL:
		opts->label = optarg && *optarg ? optarg : "exit";
		return check_label(opts->label, err, errlen);
	case 'x':
		opts->failed_only = true;
		break;
	case 'T':
		opts->per_thread = true;
		break;
	case 'c':
		if (!*optarg)
			return fail(err, errlen, "-c: empty cgroup path");
		opts->cgroup = optarg;
		break;
	case 'j':
		opts->json = true;
		break;
	case 'w':
		opts->why = true;
		break;
	case 'a':
		opts->args = true;
		break;
	case 'r':
		opts->rusage = true;
		break;
	case OPT_CONTAINER:
		opts->container = true;
		break;
	case OPT_ANCESTORS:
		opts->ancestors = true;
		break;
	case 'b':
		opts->buffer_size_given = true;
		if (parse_size(optarg, &opts->buffer_size))
			return fail(err, errlen, "-b '%s': not a size (e.g. 4096, 256K, 8M)", q(optarg));
		if (!is_power_of_two(opts->buffer_size) || opts->buffer_size < MIN_BUFFER_SIZE ||
		    opts->buffer_size > MAX_BUFFER_SIZE)
			return fail(err, errlen,
				    "-b '%s': must be a power of two from 4K to 1G", q(optarg));
		break;
	case 'v':
		opts->verbose++;
		break;
	case 'q':
	case OPT_METRICS_FILE:
	case OPT_METRICS_INTERVAL:
	case OPT_METRICS_CONTAINERS:
		return set_metrics_option(opts, c, err, errlen);
	case 'o':
		if (!*optarg)
			return fail(err, errlen, "-o: empty file name");
		opts->output = optarg;
		break;
	case OPT_TREE:
		opts->tree = true;
		break;
	case OPT_SUMMARY:
		opts->summary = true;
		break;
	case OPT_SUMMARY_BY:
		opts->summary_by = summary_by_parse(optarg);
		if (opts->summary_by < 0)
			return fail(err, errlen, "--summary-by '%s': not one of comm, exe, uid, cgroup, container",
				    q(optarg));
		opts->summary = true;
		break;
	case OPT_INTERVAL:
		ret = parse_millis(optarg, MAX_INTERVAL_MS, &opts->interval_ms);
		if (ret)
			return fail(err, errlen, "--interval '%s': %s", q(optarg),
				    ret == -ERANGE ? "must be from 0.001 to 86400 seconds" :
				    "not a number of seconds (e.g. 10, 0.5)");
		break;
	case OPT_SIGNAL:
		opts->filter.signal_only = true;
		break;
	default:
		return set_filter(opts, c, err, errlen);
	}
	return OPTIONS_RUN;
}

static enum options_result set_filter(struct options *opts, int c, char *err, size_t errlen)
{
	int ret;

	switch (c) {
	case OPT_COMM:
		ret = filter_add_comm(&opts->filter, optarg);
		if (ret == -E2BIG)
			return fail(err, errlen, "--comm: at most %d names", COMM_FILTER_MAX);
		if (ret)
			return fail(err, errlen, "--comm: empty name");
		break;
	case OPT_UID:
		ret = parse_uid(optarg, &opts->filter.uid);
		if (ret == -ENOENT)
			return fail(err, errlen, "--uid '%s': no such user", q(optarg));
		if (ret)
			return fail(err, errlen, "--uid '%s': not a user ID", q(optarg));
		opts->filter.uid_set = true;
		break;
	case OPT_CODE:
		ret = filter_add_codes(&opts->filter, optarg);
		if (ret)
			return fail(err, errlen, "--code '%s': %s", q(optarg),
				    ret == -ERANGE ? "exit codes are 0 to 255" :
				    "not a list of exit codes (e.g. 1 or 1,2,127)");
		break;
	default:
		return fail(err, errlen, "internal error: option %d", c);
	}
	return OPTIONS_RUN;
}

/* The element getopt_long() just stopped at: musl's optind may be past argc. */
static const char *current_arg(char **argv, int argc)
{
	return argv[optind - 1 < argc ? optind - 1 : argc - 1];
}

/* A long option's name as written, without any "=value". */
static const char *long_name(const char *arg)
{
	return quoted(arg, strcspn(arg, "="));
}

/* A short option's letter; a byte that is not printable ASCII as \xNN. */
static const char *short_name(int c)
{
	static char buf[8];

	if (c > 0x20 && c < 0x7f)
		snprintf(buf, sizeof(buf), "-%c", c);
	else
		snprintf(buf, sizeof(buf), "-\\x%02x", c & 0xff);
	return buf;
}

static enum options_result bad_option(char **argv, int argc, char *err, size_t errlen)
{
	const char *arg = current_arg(argv, argc);

	if (strncmp(arg, "--", 2))
		return fail(err, errlen, "unrecognized option '%s'", short_name(optopt));
	if (optopt && strchr(arg, '='))
		return fail(err, errlen, "option '%s' doesn't allow an argument", long_name(arg));
	return fail(err, errlen, "unrecognized option '%s'", long_name(arg));
}

static enum options_result missing_arg(char **argv, int argc, char *err, size_t errlen)
{
	const char *arg = current_arg(argv, argc);

	if (!strncmp(arg, "--", 2))
		return fail(err, errlen, "option '%s' requires an argument", long_name(arg));
	return fail(err, errlen, "option '%s' requires an argument", short_name(optopt));
}

static enum options_result check_combinations(struct options *opts, char *err, size_t errlen)
{
	if (opts->cmd && opts->pid)
		return fail(err, errlen, "-p and -- CMD: one or the other");
	if (opts->tree && !opts->pid && !opts->cmd)
		return fail(err, errlen, "--tree follows the descendants of -p PID");
	if (opts->interval_ms && !opts->summary)
		return fail(err, errlen, "--interval needs --summary");
	if (opts->quiet && opts->summary)
		return fail(err, errlen, "-q and --summary: one or the other");
	return OPTIONS_RUN;
}

enum options_result options_parse(struct options *opts, int argc, char **argv, char *err,
				  size_t errlen)
{
	enum options_result res;
	bool interval_given = false;
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->buffer_size = DEFAULT_BUFFER_SIZE;
	opts->metrics_interval = DEFAULT_METRICS_INTERVAL;
	opterr = 0;
	optind = 0; /* full reset: parse may run more than once (tests) */
	while ((c = getopt_long(argc, argv, options_short(), options_long(), NULL)) != -1) {
		switch (c) {
		case 'h':
			return OPTIONS_HELP;
		case 'V':
			return OPTIONS_VERSION;
		case '?':
			return bad_option(argv, argc, err, errlen);
		case ':':
			return missing_arg(argv, argc, err, errlen);
		default:
			interval_given |= c == OPT_METRICS_INTERVAL;
			res = set_option(opts, c, err, errlen);
			if (res != OPTIONS_RUN)
				return res;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return fail(err, errlen, "unexpected argument '%s' (a command to run goes after --)",
				    q(argv[optind]));
		opts->cmd = &argv[optind];
	} else if (optind > 0 && optind <= argc && !strcmp(argv[optind - 1], "--")) {
		return fail(err, errlen, "no command after --");
	}
	res = check_metrics_options(opts, interval_given, err, errlen);
	if (res != OPTIONS_RUN)
		return res;
	return check_combinations(opts, err, errlen);
}
