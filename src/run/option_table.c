// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one table of options, and what comes of it: getopt's tables, the usage line, --help. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "run/option_table.h"
#include "run/options.h"


/*
 * Every option once: getopt's tables, the usage line and --help all come
 * from here. usage: the option's part of the usage line (NULL: made from
 * the option, "": none); help: its text in --help, lines joined by \n.
 */
struct opt_spec {
	const char *name;	/* long name; NULL: a line of --help only */
	int val;		/* the short letter, or an OPT_* */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	const char *arg;	/* the argument's name (without name: the whole left column) */
	const char *usage;
	const char *help;
};

static const struct opt_spec specs[] = {
	{ "help", 'h', no_argument, NULL, NULL, "show this help message and exit" },
	{ "version", 'V', no_argument, NULL, NULL,
	  "print the version and the libbpf version, and exit" },
	{ "timestamp", 't', no_argument, NULL, NULL, "include timestamp (local time default)" },
	{ "utc", OPT_UTC, no_argument, NULL, NULL, "include timestamp in UTC (-t implied)" },
	{ "pid", 'p', required_argument, "PID", "[-p PID [--tree]]",
	  "trace this PID only; end when it has terminated" },
	{ "tree", OPT_TREE, no_argument, NULL, "", "with -p: the process and all its descendants" },
	{ NULL, 0, no_argument, "-- CMD [ARGS...]", "[-- CMD [ARGS...]]",
	  "run CMD, trace it and its descendants, end when it\nends, with its exit status" },
	{ "label", OPT_LABEL, optional_argument, "LABEL", NULL,
	  "label each line (LABEL 'exit' if omitted or empty)" },
	{ "failed", 'x', no_argument, NULL, NULL, "trace only fails, exclude exit(0)" },
	{ "per-thread", 'T', no_argument, NULL, NULL, "trace per thread termination" },
	{ "cgroup", 'c', required_argument, "PATH", "[-c CGROUP]",
	  "trace only processes in this cgroup v2 directory" },
	{ "comm", OPT_COMM, required_argument, "NAME", NULL,
	  "only processes of this name (exact; repeatable)" },
	{ "uid", OPT_UID, required_argument, "UID", NULL,
	  "only processes of this real user (number or name)" },
	{ "signal", OPT_SIGNAL, no_argument, NULL, NULL, "only deaths by a fatal signal" },
	{ "code", OPT_CODE, required_argument, "N[,N...]", NULL,
	  "only these exit codes (with --signal: or a signal)" },
	{ "json", 'j', no_argument, NULL, NULL,
	  "print JSON Lines, one object per event, with the cause" },
	{ "why", 'w', no_argument, NULL, NULL,
	  "append the cause of a fatal signal: sender, fault, OOM" },
	{ "summary", OPT_SUMMARY, no_argument, NULL, "[--summary [--interval SECONDS]]",
	  "a table per command name instead of a line per exit" },
	{ "summary-by", OPT_SUMMARY_BY, required_argument, "KEY", "",
	  "--summary grouped by comm (default), exe, uid,\ncgroup or container (--summary implied)" },
	{ "interval", OPT_INTERVAL, required_argument, "SECONDS", "",
	  "with --summary: a table every SECONDS too" },
	{ "output", 'o', required_argument, "FILE", NULL,
	  "write records to FILE instead of stdout" },
	{ "args", 'a', no_argument, NULL, NULL,
	  "an ARGS last column: the argv of the last exec\n(1 KiB at most, '...' when cut)" },
	{ "rusage", 'r', no_argument, NULL, NULL,
	  "CPU(s) and MAXRSS(KB) columns: CPU time and peak memory" },
	{ "container", OPT_CONTAINER, no_argument, NULL, NULL,
	  "a CONTAINER column: the container ID from the cgroup" },
	{ "ancestors", OPT_ANCESTORS, no_argument, NULL, NULL,
	  "an ANCESTORS column: the parents' names, nearest\nfirst (bash<sshd<systemd)" },
	{ "buffer-size", 'b', required_argument, "SIZE", NULL,
	  "ring buffer size, power of two, K/M/G suffixes\n"
	  "(default 512K; 2M with -j, -a, -r, --container,\n"
	  "--ancestors, --summary or --metrics-containers)" },
	{ "verbose", 'v', no_argument, NULL, NULL,
	  "print load details and, on failure, the verifier's log\n"
	  "(-vv: libbpf's debug messages too)" },
	{ "metrics-file", OPT_METRICS_FILE, required_argument, "PATH", NULL,
	  "keep Prometheus counters in PATH (for node_exporter's\n"
	  "textfile collector), replaced whole at each interval" },
	{ "metrics-interval", OPT_METRICS_INTERVAL, required_argument, "SECONDS", "",
	  "seconds between rewrites of the metrics file\n(default 15)" },
	{ "metrics-containers", OPT_METRICS_CONTAINERS, no_argument, NULL, "",
	  "with --metrics-file: exits per container and pod too\n(at most 256 containers; the rest in \"other\")" },
	{ "quiet", 'q', no_argument, NULL, NULL, "no event lines on stdout: metrics only" },
};

#define NR_SPECS (sizeof(specs) / sizeof(specs[0]))
#define HELP_COL 24	/* where --help's text begins */
#define USAGE_WIDTH 90

static const char help_intro[] = "Trace all process termination (exit, fatal signal)\n"
				 "\n"
				 "optional arguments:\n";

static const char help_trailer[] =
	"\n"
	"environment (see the man page):\n"
	"  EXITSNOOP_FORCE_LIBBPF, _RAW_TP, _PERFBUF, _COMPAT, _BTF_READ=1\n"
	"                        take a fallback even where the kernel has better\n"
	"  EXITSNOOP_VERIFIER_STATS=1\n"
	"                        print what verifying each program costs\n"
	"\n"
	"examples:\n"
	"    exitsnoop                # trace all process termination\n"
	"    exitsnoop -x             # trace only fails, exclude exit(0)\n"
	"    exitsnoop -t             # include timestamps (local time)\n"
	"    exitsnoop --utc          # include timestamps (UTC)\n"
	"    exitsnoop -p 181         # only trace PID 181\n"
	"    exitsnoop --label=exit   # label each output line with 'exit'\n"
	"    exitsnoop --per-thread   # trace per thread termination\n"
	"    exitsnoop -c /sys/fs/cgroup/unified/app  # only this cgroup\n"
	"    exitsnoop -w             # say who sent the fatal signal, or why\n"
	"    exitsnoop -r -a          # CPU time, peak memory and command line\n"
	"    exitsnoop -j | jq .      # JSON Lines for machines\n"
	"    exitsnoop -x -- make -j8 # which processes of the build failed\n"
	"    exitsnoop -p 181 --tree  # PID 181 and everything it starts\n"
	"    exitsnoop --summary --interval 10 --signal  # what keeps crashing\n"
	"    exitsnoop --summary-by container  # exits, CPU and memory per container\n"
	"    exitsnoop -q --metrics-file /var/lib/prometheus/node-exporter/exitsnoop.prom\n"
	"                             # Prometheus counters only\n"
	"\n"
	"Exit status:\n"
	"    0 EX_OK        success, also when stopped by SIGINT, SIGTERM or SIGHUP\n"
	"                   (with -- CMD: CMD's status, 128+N if killed by signal N)\n"
	"    1              unexpected runtime error\n"
	"    2              bad arguments\n"
	"   70 EX_SOFTWARE  BPF load or verifier failure, kernel without BTF\n"
	"   74 EX_IOERR     writing the output failed\n"
	"   77 EX_NOPERM    not privileged: needs root, or CAP_BPF with CAP_PERFMON;\n"
	"                   or bpf(2) refused although they are held (a seccomp filter)\n"
	"  126              -- CMD: CMD cannot be executed\n"
	"  127              -- CMD: CMD not found\n";

/* '+': options end at the first argument that is not one (a command after --). */
const char *options_short(void)
{
	static char buf[2 + 2 * NR_SPECS + 1];
	char *p = buf;
	size_t i;

	if (buf[0])
		return buf;
	*p++ = '+';
	*p++ = ':';
	for (i = 0; i < NR_SPECS; i++) {
		if (!specs[i].name || specs[i].val >= OPT_UTC)
			continue;
		*p++ = (char)specs[i].val;
		if (specs[i].has_arg == required_argument)
			*p++ = ':';
	}
	return buf;
}

const struct option *options_long(void)
{
	static struct option opts[NR_SPECS + 1];
	size_t i, n = 0;

	if (opts[0].name)
		return opts;
	for (i = 0; i < NR_SPECS; i++) {
		if (specs[i].name)
			opts[n++] = (struct option){ specs[i].name, specs[i].has_arg, NULL,
						     specs[i].val };
	}
	return opts;
}

/* "-p PID, --pid PID", "--utc", "--label[=LABEL]", "-- CMD [ARGS...]" */
static void left_column(const struct opt_spec *o, char *buf, size_t len)
{
	const char *arg = o->arg ? o->arg : "";
	const char *sep = o->arg ? " " : "";

	if (!o->name)
		snprintf(buf, len, "%s", arg);
	else if (o->has_arg == optional_argument)
		snprintf(buf, len, "--%s[=%s]", o->name, arg);
	else if (o->val < OPT_UTC)
		snprintf(buf, len, "-%c%s%s, --%s%s%s", o->val, sep, arg, o->name, sep, arg);
	else
		snprintf(buf, len, "--%s%s%s", o->name, sep, arg);
}

/* "[-x]", "[--utc]", "[--comm NAME]", "[--label[=LABEL]]" */
static void usage_part(const struct opt_spec *o, char *buf, size_t len)
{
	const char *arg = o->arg ? o->arg : "";
	const char *sep = o->arg ? " " : "";

	if (o->usage)
		snprintf(buf, len, "%s", o->usage);
	else if (o->has_arg == optional_argument)
		snprintf(buf, len, "[--%s[=%s]]", o->name, arg);
	else if (o->val < OPT_UTC)
		snprintf(buf, len, "[-%c%s%s]", o->val, sep, arg);
	else
		snprintf(buf, len, "[--%s%s%s]", o->name, sep, arg);
}

/* The options, then what is not one (-- CMD): wrapped under the first. */
void options_usage(FILE *f)
{
	static const char head[] = "usage: exitsnoop";
	size_t col = sizeof(head) - 1, i, n;
	char part[64];

	fputs(head, f);
	for (i = 0; i < 2 * NR_SPECS; i++) {
		const struct opt_spec *o = &specs[i % NR_SPECS];

		if (!o->name != (i >= NR_SPECS))
			continue;
		usage_part(o, part, sizeof(part));
		n = strlen(part);
		if (!n)
			continue;
		if (col + 1 + n > USAGE_WIDTH) {
			fprintf(f, "\n%*s", (int)sizeof(head), "");
			col = sizeof(head);
		} else {
			fputc(' ', f);
			col++;
		}
		fputs(part, f);
		col += n;
	}
	fputc('\n', f);
}

/* The text under the column, a line at a time. */
static void help_text(FILE *f, const char *text)
{
	const char *nl;

	for (; (nl = strchr(text, '\n')); text = nl + 1)
		fprintf(f, "%.*s\n%*s", (int)(nl - text), text, HELP_COL, "");
	fprintf(f, "%s\n", text);
}

void options_help(FILE *f)
{
	char left[64];
	size_t i;
	int n;

	options_usage(f);
	fputc('\n', f);
	fputs(help_intro, f);
	for (i = 0; i < NR_SPECS; i++) {
		left_column(&specs[i], left, sizeof(left));
		n = fprintf(f, "  %s", left);
		if (n > HELP_COL - 2)
			fprintf(f, "\n%*s", HELP_COL, "");
		else
			fprintf(f, "%*s", HELP_COL - n, "");
		help_text(f, specs[i].help);
	}
	fputs(help_trailer, f);
}
