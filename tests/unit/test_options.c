// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdlib.h>
#include "lib/parse.h"
#include "load/filter.h"
#include "output/summary.h"
#include "run/option_table.h"
#include "run/options.h"
#include "test.h"

static char err[512];

static enum options_result parse(struct options *o, ...)
{
	static char *argv[16]; /* options keep pointers into it (-- CMD) */
	int argc = 1;
	va_list ap;

	argv[0] = "exitsnoop";
	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return options_parse(o, argc, argv, err, sizeof(err));
}

void test_options_defaults(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, NULL), OPTIONS_RUN, "no arguments");
	ASSERT_TRUE(!o.timestamp && !o.utc && !o.failed_only && !o.per_thread, "flags off");
	ASSERT_TRUE(!o.json && !o.why && !o.label && !o.cgroup, "no output extras");
	ASSERT_EQ(o.pid, 0, "all pids");
	ASSERT_EQ(o.buffer_size, DEFAULT_BUFFER_SIZE, "default buffer");
}

void test_options_seed_flags(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "-t", "-x", "--per-thread", "-p", "181", NULL), OPTIONS_RUN, "seed set");
	ASSERT_TRUE(o.timestamp && !o.utc && o.failed_only && o.per_thread, "flags");
	ASSERT_EQ(o.pid, 181, "pid");
	ASSERT_EQ(parse(&o, "--utc", NULL), OPTIONS_RUN, "utc");
	ASSERT_TRUE(o.utc && o.timestamp, "--utc implies -t");
	ASSERT_EQ(parse(&o, "--timestamp", "--failed", "-T", "--pid=7", NULL), OPTIONS_RUN, "long");
	ASSERT_TRUE(o.timestamp && o.failed_only && o.per_thread && o.pid == 7, "long flags");
	ASSERT_EQ(parse(&o, "-txT", NULL), OPTIONS_RUN, "clustered");
	ASSERT_TRUE(o.timestamp && o.failed_only && o.per_thread, "clustered flags");
	ASSERT_EQ(parse(&o, "-j", "-w", "-v", "-v", "-c", "/x", NULL), OPTIONS_RUN, "extras");
	ASSERT_TRUE(o.json && o.why && o.verbose == 2, "json why verbose");
	ASSERT_STREQ(o.cgroup, "/x", "cgroup");
	ASSERT_EQ(parse(&o, "-h", NULL), OPTIONS_HELP, "-h");
	ASSERT_EQ(parse(&o, "--help", NULL), OPTIONS_HELP, "--help");
	ASSERT_EQ(parse(&o, "-V", NULL), OPTIONS_VERSION, "-V");
}

void test_options_label(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "--label", NULL), OPTIONS_RUN, "bare --label");
	ASSERT_STREQ(o.label, "exit", "bare label is exit");
	ASSERT_EQ(parse(&o, "--label=", NULL), OPTIONS_RUN, "empty --label=");
	ASSERT_STREQ(o.label, "exit", "empty label is exit");
	ASSERT_EQ(parse(&o, "--label=proc", NULL), OPTIONS_RUN, "--label=proc");
	ASSERT_STREQ(o.label, "proc", "label value");
	ASSERT_EQ(parse(&o, "--label=a\nb", NULL), OPTIONS_ERROR, "control char label");
	ASSERT_STREQ(err, "--label: control characters are not allowed", "control message");
	ASSERT_EQ(parse(&o, "--label=0123456789012345678901234567890123456789012345678901234567890"
			    "12345", NULL),
		  OPTIONS_ERROR, "65-byte label");
	ASSERT_STREQ(err, "--label: longer than 64 bytes", "long label message");
}

void test_options_bad_pid(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "-p", "0", NULL), OPTIONS_ERROR, "pid 0");
	ASSERT_STREQ(err, "-p '0': PID out of range (1 to 4194304)", "pid 0 message");
	ASSERT_EQ(parse(&o, "-p", "-1", NULL), OPTIONS_ERROR, "pid -1");
	ASSERT_STREQ(err, "-p '-1': not a process ID", "pid -1 message");
	ASSERT_EQ(parse(&o, "-p", "abc", NULL), OPTIONS_ERROR, "pid abc");
	ASSERT_STREQ(err, "-p 'abc': not a process ID", "pid abc message");
	ASSERT_EQ(parse(&o, "-p", "", NULL), OPTIONS_ERROR, "empty pid");
	ASSERT_STREQ(err, "-p '': not a process ID", "empty pid message");
	ASSERT_EQ(parse(&o, "-p", "12x", NULL), OPTIONS_ERROR, "trailing junk");
	ASSERT_EQ(parse(&o, "-p", "99999999999", NULL), OPTIONS_ERROR, "huge pid");
	ASSERT_STREQ(err, "-p '99999999999': PID out of range (1 to 4194304)", "huge message");
	ASSERT_EQ(parse(&o, "-p", "4194305", NULL), OPTIONS_ERROR, "past PID_MAX_LIMIT");
	ASSERT_EQ(parse(&o, "-p", "4194304", NULL), OPTIONS_RUN, "PID_MAX_LIMIT");
}

void test_options_bad_usage(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "--bogus", NULL), OPTIONS_ERROR, "unknown long");
	ASSERT_STREQ(err, "unrecognized option '--bogus'", "unknown long message");
	ASSERT_EQ(parse(&o, "-Z", NULL), OPTIONS_ERROR, "unknown short");
	ASSERT_STREQ(err, "unrecognized option '-Z'", "unknown short message");
	ASSERT_EQ(parse(&o, "-p", NULL), OPTIONS_ERROR, "missing pid");
	ASSERT_STREQ(err, "option '-p' requires an argument", "missing -p message");
	ASSERT_EQ(parse(&o, "--pid", NULL), OPTIONS_ERROR, "missing --pid");
	ASSERT_STREQ(err, "option '--pid' requires an argument", "missing --pid message");
	ASSERT_EQ(parse(&o, "-c", NULL), OPTIONS_ERROR, "missing cgroup");
	ASSERT_EQ(parse(&o, "-c", "", NULL), OPTIONS_ERROR, "empty cgroup");
	ASSERT_STREQ(err, "-c: empty cgroup path", "empty cgroup message");
	ASSERT_EQ(parse(&o, "stray", NULL), OPTIONS_ERROR, "positional");
	ASSERT_STREQ(err, "unexpected argument 'stray' (a command to run goes after --)",
		     "positional message");
	ASSERT_EQ(parse(&o, "--utc=1", NULL), OPTIONS_ERROR, "value on a flag");
	ASSERT_STREQ(err, "option '--utc' doesn't allow an argument", "--utc=1 message");
	ASSERT_EQ(parse(&o, "--why=1", NULL), OPTIONS_ERROR, "value on --why");
	ASSERT_STREQ(err, "option '--why' doesn't allow an argument", "--why=1 message");
	ASSERT_EQ(parse(&o, "--json=", NULL), OPTIONS_ERROR, "empty value on --json");
	ASSERT_STREQ(err, "option '--json' doesn't allow an argument", "--json= message");
	ASSERT_EQ(parse(&o, "--bogus=\x1b[2J", NULL), OPTIONS_ERROR, "unknown with value");
	ASSERT_STREQ(err, "unrecognized option '--bogus'", "unknown long with value");
	ASSERT_EQ(parse(&o, "--b\xe8", NULL), OPTIONS_ERROR, "unknown, raw byte");
	ASSERT_STREQ(err, "unrecognized option '--b\\xe8'", "raw byte escaped");
	ASSERT_EQ(parse(&o, "-\xc3\xa9", NULL), OPTIONS_ERROR, "unknown short, utf-8");
	ASSERT_STREQ(err, "unrecognized option '-\\xc3'", "short byte escaped");
}

void test_options_values_escaped(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "-p", "12\nX", NULL), OPTIONS_ERROR, "newline in pid");
	ASSERT_STREQ(err, "-p '12\\nX': not a process ID", "pid value on one line");
	ASSERT_EQ(parse(&o, "-b", "\x1b]0;t\a", NULL), OPTIONS_ERROR, "escape in size");
	ASSERT_STREQ(err, "-b '\\x1b]0;t\\x07': not a size (e.g. 4096, 256K, 8M)", "size value");
	ASSERT_EQ(parse(&o, "a\rb", NULL), OPTIONS_ERROR, "cr in positional");
	ASSERT_STREQ(err, "unexpected argument 'a\\rb' (a command to run goes after --)",
		     "positional escaped");
	ASSERT_EQ(parse(&o, "-p", "1111111111111111111111111111111111111111111111111111111111111111x1111", NULL),
		  OPTIONS_ERROR, "long value");
	ASSERT_STREQ(err, "-p '1111111111111111111111111111111111111111111111111111111111111111...': "
		     "not a process ID", "long value cut");
}

void test_options_buffer_size(void)
{
	struct options o;
	unsigned long v = 0;

	ASSERT_EQ(parse(&o, "-b", "256K", NULL), OPTIONS_RUN, "256K");
	ASSERT_EQ(o.buffer_size, 256 << 10, "256K bytes");
	ASSERT_EQ(parse(&o, "--buffer-size=8M", NULL), OPTIONS_RUN, "8M");
	ASSERT_EQ(o.buffer_size, 8 << 20, "8M bytes");
	ASSERT_EQ(parse(&o, "-b", "4096", NULL), OPTIONS_RUN, "4096");
	ASSERT_EQ(parse(&o, "-b", "1G", NULL), OPTIONS_RUN, "1G");
	ASSERT_EQ(parse(&o, "-b", "2G", NULL), OPTIONS_ERROR, "2G too big");
	ASSERT_EQ(parse(&o, "-b", "2048", NULL), OPTIONS_ERROR, "below a page");
	ASSERT_EQ(parse(&o, "-b", "3M", NULL), OPTIONS_ERROR, "not a power of two");
	ASSERT_STREQ(err, "-b '3M': must be a power of two from 4K to 1G", "pow2 message");
	ASSERT_EQ(parse(&o, "-b", "lots", NULL), OPTIONS_ERROR, "not a number");
	ASSERT_STREQ(err, "-b 'lots': not a size (e.g. 4096, 256K, 8M)", "size message");
	ASSERT_EQ(parse(&o, "-b", "4Q", NULL), OPTIONS_ERROR, "bad suffix");
	ASSERT_EQ(parse_size("64KB", &v), 0, "KB suffix");
	ASSERT_EQ(v, 65536, "64KB");
	ASSERT_TRUE(parse_size("99999999999999999999", &v) < 0, "overflow");
	ASSERT_TRUE(parse_size("17179869184G", &v) < 0, "shift overflow");
}

void test_options_command(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "-x", "--", "make", "-j8", NULL), OPTIONS_RUN, "-- CMD");
	ASSERT_TRUE(o.failed_only && o.cmd, "options before --");
	ASSERT_STREQ(o.cmd[0], "make", "CMD");
	ASSERT_STREQ(o.cmd[1], "-j8", "CMD's own option is not ours");
	ASSERT_NULL(o.cmd[2], "argv ends");
	ASSERT_EQ(parse(&o, "--", "sh", "-c", "exit 3", NULL), OPTIONS_RUN, "-c after --");
	ASSERT_NULL(o.cgroup, "-c after -- is CMD's");
	ASSERT_EQ(parse(&o, "--", NULL), OPTIONS_ERROR, "nothing after --");
	ASSERT_STREQ(err, "no command after --", "nothing after -- message");
	ASSERT_EQ(parse(&o, "-p", "1", "--", "true", NULL), OPTIONS_ERROR, "-p with CMD");
	ASSERT_EQ(parse(&o, "--tree", NULL), OPTIONS_ERROR, "--tree without -p");
	ASSERT_STREQ(err, "--tree follows the descendants of -p PID", "--tree message");
	ASSERT_EQ(parse(&o, "-p", "1", "--tree", NULL), OPTIONS_RUN, "-p --tree");
	ASSERT_TRUE(o.tree && o.pid == 1 && !o.cmd, "tree set");
	ASSERT_EQ(parse(&o, "-o", "f.txt", "--", "true", NULL), OPTIONS_RUN, "-o");
	ASSERT_STREQ(o.output, "f.txt", "-o file");
}

/* Whether the BPF settings made from the filter pass exit code code. */
static bool bpf_has_code(const struct exit_filter *f, unsigned int code)
{
	struct exitsnoop_cfg c = { 0 };

	filter_to_cfg(f, &c);
	return c.codes_set && (c.codes[code >> 6] >> (code & 63)) & 1;
}

void test_options_filters(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "--comm", "sh", "--comm", "make", "--comm", "sh", NULL), OPTIONS_RUN,
		  "--comm twice");
	ASSERT_EQ(o.filter.ncomm, 2, "duplicates kept once");
	ASSERT_EQ(parse(&o, "--comm", "", NULL), OPTIONS_ERROR, "empty --comm");
	ASSERT_EQ(parse(&o, "--uid", "1000", "--signal", NULL), OPTIONS_RUN, "--uid --signal");
	ASSERT_TRUE(o.filter.uid_set && o.filter.uid == 1000 && o.filter.signal_only, "uid, signal");
	ASSERT_EQ(parse(&o, "--uid", "root", NULL), OPTIONS_RUN, "--uid by name");
	ASSERT_TRUE(o.filter.uid_set && o.filter.uid == 0, "root is 0");
	ASSERT_EQ(parse(&o, "--uid", "no-such-user-here", NULL), OPTIONS_ERROR, "unknown user");
	ASSERT_STREQ(err, "--uid 'no-such-user-here': no such user", "unknown user message");
	ASSERT_EQ(parse(&o, "--uid", "12x", NULL), OPTIONS_ERROR, "bad uid");
	ASSERT_EQ(parse(&o, "--code", "1,2", "--code", "255", NULL), OPTIONS_RUN, "--code list");
	ASSERT_TRUE(bpf_has_code(&o.filter, 1) && bpf_has_code(&o.filter, 2) &&
		    bpf_has_code(&o.filter, 255) && !bpf_has_code(&o.filter, 0) &&
		    !bpf_has_code(&o.filter, 3), "codes 1, 2, 255");
	ASSERT_EQ(parse(&o, "--code", "256", NULL), OPTIONS_ERROR, "code too large");
	ASSERT_STREQ(err, "--code '256': exit codes are 0 to 255", "code range message");
	ASSERT_EQ(parse(&o, "--code", "1,", NULL), OPTIONS_ERROR, "trailing comma");
	ASSERT_EQ(parse(&o, "--code", "-1", NULL), OPTIONS_ERROR, "negative code");
}

void test_options_summary(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, "--summary", "--interval", "2.5", NULL), OPTIONS_RUN, "interval");
	ASSERT_TRUE(o.summary && o.interval_ms == 2500, "2.5 s");
	ASSERT_EQ(parse(&o, "--summary", "--interval", "0.001", NULL), OPTIONS_RUN, "1 ms");
	ASSERT_EQ(o.interval_ms, 1, "1 ms");
	ASSERT_EQ(parse(&o, "--summary", "--interval", "0", NULL), OPTIONS_ERROR, "zero");
	ASSERT_EQ(parse(&o, "--summary", "--interval", "1s", NULL), OPTIONS_ERROR, "unit");
	ASSERT_EQ(parse(&o, "--summary", "--interval", "86401", NULL), OPTIONS_ERROR, "a day+");
	ASSERT_EQ(parse(&o, "--interval", "1", NULL), OPTIONS_ERROR, "without --summary");
	ASSERT_STREQ(err, "--interval needs --summary", "interval message");
	ASSERT_EQ(parse(&o, "-q", "--summary", NULL), OPTIONS_ERROR, "-q --summary");
	/* exits by group */
	ASSERT_EQ(parse(&o, "--summary", NULL), OPTIONS_RUN, "default grouping");
	ASSERT_EQ(o.summary_by, SUMMARY_BY_COMM, "by comm");
	ASSERT_EQ(parse(&o, "--summary-by", "container", NULL), OPTIONS_RUN, "by container");
	ASSERT_TRUE(o.summary && o.summary_by == SUMMARY_BY_CONTAINER, "--summary implied");
	ASSERT_EQ(parse(&o, "--summary-by=uid", "--interval", "1", NULL), OPTIONS_RUN, "uid");
	ASSERT_EQ(parse(&o, "--summary-by", "pod", NULL), OPTIONS_ERROR, "bad key");
	ASSERT_STREQ(err, "--summary-by 'pod': not one of comm, exe, uid, cgroup, container",
		     "bad key message");
}

void test_options_metrics(void)
{
	struct options o;

	ASSERT_EQ(parse(&o, NULL), OPTIONS_RUN, "defaults");
	ASSERT_TRUE(!o.metrics_file && !o.quiet, "no metrics, lines on");
	ASSERT_EQ(o.metrics_interval, 15, "default interval");
	ASSERT_TRUE(!o.metrics_containers, "no container series by default");
	ASSERT_EQ(parse(&o, "--metrics-containers", NULL), OPTIONS_ERROR, "containers alone");
	ASSERT_STREQ(err, "--metrics-containers needs --metrics-file", "containers message");
	ASSERT_EQ(parse(&o, "-q", "--metrics-file", "m", "--metrics-containers", NULL), OPTIONS_RUN,
		  "containers");
	ASSERT_TRUE(o.metrics_containers, "on");
	ASSERT_EQ(parse(&o, "-j", "--metrics-file", "/m/x.prom", NULL), OPTIONS_RUN, "json + metrics");
	ASSERT_TRUE(o.json && !o.quiet, "both outputs");
	ASSERT_STREQ(o.metrics_file, "/m/x.prom", "path");
	ASSERT_EQ(parse(&o, "-q", "--metrics-file=x.prom", "--metrics-interval=60", NULL),
		  OPTIONS_RUN, "quiet metrics");
	ASSERT_TRUE(o.quiet && o.metrics_interval == 60, "quiet, 60 s");
	ASSERT_EQ(parse(&o, "--metrics-interval", "86400", "--metrics-file", "x", NULL),
		  OPTIONS_RUN, "a day");
	ASSERT_EQ(parse(&o, "--metrics-interval", "86401", "--metrics-file", "x", NULL),
		  OPTIONS_ERROR, "past a day");
	ASSERT_STREQ(err, "--metrics-interval '86401': out of range (1 to 86400)", "range message");
	ASSERT_EQ(parse(&o, "--metrics-interval", "0", "--metrics-file", "x", NULL), OPTIONS_ERROR,
		  "zero");
	ASSERT_EQ(parse(&o, "--metrics-interval", "1.5", "--metrics-file", "x", NULL),
		  OPTIONS_ERROR, "fraction");
	ASSERT_STREQ(err, "--metrics-interval '1.5': not a number of seconds", "number message");
	ASSERT_EQ(parse(&o, "--metrics-interval", "-5", "--metrics-file", "x", NULL),
		  OPTIONS_ERROR, "negative");
	ASSERT_EQ(parse(&o, "--metrics-file", "", NULL), OPTIONS_ERROR, "empty path");
	ASSERT_STREQ(err, "--metrics-file: empty path", "empty path message");
	ASSERT_EQ(parse(&o, "--metrics-file", NULL), OPTIONS_ERROR, "missing path");
	ASSERT_STREQ(err, "option '--metrics-file' requires an argument", "missing path message");
	ASSERT_EQ(parse(&o, "--metrics-interval", "5", NULL), OPTIONS_ERROR, "interval alone");
	ASSERT_STREQ(err, "--metrics-interval needs --metrics-file", "interval alone message");
	ASSERT_EQ(parse(&o, "-q", NULL), OPTIONS_ERROR, "quiet alone");
	ASSERT_STREQ(err, "-q leaves no output without --metrics-file", "quiet alone message");
	ASSERT_EQ(parse(&o, "-q", "-j", "--metrics-file", "x", NULL), OPTIONS_ERROR, "quiet json");
	ASSERT_STREQ(err, "-q and -j exclude each other", "quiet json message");
}

/* --help and the usage line come from the table: every option is in both. */
void test_options_table(void)
{
	const struct option *o;
	char *help = NULL, *usage = NULL, want[64];
	size_t len;
	FILE *f;

	f = open_memstream(&help, &len);
	options_help(f);
	fclose(f);
	f = open_memstream(&usage, &len);
	options_usage(f);
	fclose(f);
	if (!ASSERT_TRUE(help && usage, "rendered"))
		goto out;
	for (o = options_long(); o->name; o++) {
		snprintf(want, sizeof(want), "--%s", o->name);
		ASSERT_TRUE(strstr(help, want) != NULL, o->name);
		if (o->val < OPT_UTC) {
			snprintf(want, sizeof(want), "[-%c", o->val);
			ASSERT_TRUE(strstr(usage, want) != NULL, o->name);
			snprintf(want, sizeof(want), "%c%s", o->val,
				 o->has_arg == required_argument ? ":" : "");
			ASSERT_TRUE(strstr(options_short(), want) != NULL, o->name);
		}
	}
	len = strlen(usage);
	ASSERT_TRUE(len > 20 && !strcmp(usage + len - 20, " [-- CMD [ARGS...]]\n"), "-- CMD last");
out:
	free(help);
	free(usage);
}
