// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Golden output of the table and JSON backends for fixed records. */
#include <stdlib.h>
#include "output/output.h"
#include "record/enrich.h"
#include "test.h"
#include "lib/timefmt.h"

/* 2019-05-04 13:20:22.997123456 UTC */
#define T0 (1556976022ULL * NSEC_PER_SEC + 997123456ULL)

static char *buf;

#define MEMCG_ID "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static const char *memcg_stub(uint64_t id, void *ctx)
{
	if (id == 43)
		return "/sys/fs/cgroup/a\x1b[2J\rb\xff\xe2\x80\xae";
	if (id == 44)
		return "/sys/fs/cgroup/memory/libpod_parent/libpod-" MEMCG_ID;
	return id == 42 ? "/sys/fs/cgroup/memory/job" : NULL;
}

/* The look-ups the session makes before any sink, through stubs. */
static struct enricher enr;

static struct exit_record *enriched(struct exit_record *r)
{
	record_enrich(&enr, r);
	return r;
}

static const char *render(const struct output_config *cfg, const struct exit_record *rec,
			  bool header)
{
	struct output out;
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	output_init(&out, f, cfg);
	if (header)
		output_header(&out);
	if (rec)
		output_record(&out, rec);
	output_flush(&out);
	output_fini(&out);
	fclose(f);
	return buf;
}

static struct exit_record rec_exit(int code)
{
	struct exit_record r = {
		.time_ns = T0, .age_ns = 1650000000ULL, .pid = 19003, .tid = 19003,
		.ppid = 17656, .uid = 0, .status = (uint32_t)code << 8, .exit_code = code,
		.comm = "bash",
	};
	return r;
}

static struct exit_record rec_signal(int sig, bool core, enum cause_kind kind)
{
	struct exit_record r = rec_exit(0);

	r.status = sig | (core ? 0x80 : 0);
	r.exit_code = -1;
	r.signal = sig;
	r.core_dumped = core;
	r.cause.kind = kind;
	return r;
}

void test_table_seed_format(void)
{
	struct output_config cfg = {};
	struct exit_record r = rec_exit(65);

	ASSERT_STREQ(render(&cfg, NULL, true),
		     "PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE \n", "header");
	ASSERT_STREQ(render(&cfg, &r, false),
		     "bash             19003   17656   19003   1.65    code 65\n", "code 65");
	r = rec_exit(0);
	ASSERT_STREQ(render(&cfg, &r, false),
		     "bash             19003   17656   19003   1.65    0\n", "exit 0");
	r = rec_signal(2, false, CAUSE_UNKNOWN);
	ASSERT_STREQ(render(&cfg, &r, false),
		     "bash             19003   17656   19003   1.65    signal 2 (INT)\n", "INT");
	r = rec_signal(11, true, CAUSE_UNKNOWN);
	ASSERT_STREQ(render(&cfg, &r, false),
		     "bash             19003   17656   19003   1.65    signal 11 (SEGV), core dumped\n",
		     "SEGV core");
	r = rec_signal(40, false, CAUSE_UNKNOWN);
	ASSERT_STREQ(render(&cfg, &r, false),
		     "bash             19003   17656   19003   1.65    signal 40 (RTMIN+6)\n", "RT");
}

void test_table_time_and_label(void)
{
	struct output_config cfg = { .timestamp = true, .utc = true, .label = "exit" };
	struct exit_record r = rec_exit(65);

	ASSERT_STREQ(render(&cfg, NULL, true),
		     "TIME-UTC     LABEL PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE \n",
		     "utc label header");
	ASSERT_STREQ(render(&cfg, &r, false),
		     "13:20:22.997 exit  bash             19003   17656   19003   1.65    code 65\n",
		     "utc label line");
	cfg.label = "container";
	ASSERT_STREQ(render(&cfg, &r, false),
		     "13:20:22.997 container bash             19003   17656   19003   1.65    code 65\n",
		     "a long label keeps a separator");
	cfg = (struct output_config){ .label = "\xff" "x" };
	ASSERT_STREQ(render(&cfg, &r, false),
		     "\\xffx bash             19003   17656   19003   1.65    code 65\n",
		     "label escaped");
}

void test_table_hostile_comm(void)
{
	struct output_config cfg = {};
	struct exit_record r = rec_exit(0);

	strcpy(r.comm, "x\n1 2 3 0.0 0");
	ASSERT_STREQ(render(&cfg, &r, false),
		     "x\\n1 2 3 0.0 0   19003   17656   19003   1.65    0\n", "one line");
	strcpy(r.comm, "\x1b]0;pwn\x07");
	ASSERT_STREQ(render(&cfg, &r, false),
		     "\\x1b]0;pwn\\x07   19003   17656   19003   1.65    0\n", "no raw escapes");
}

void test_table_why(void)
{
	struct output_config cfg = { .why = true };
	struct exit_record r = rec_signal(9, false, CAUSE_PROCESS);
	const char *p = "bash             19003   17656   19003   1.65    ";
	char want[256];

	enr = (struct enricher){ .memcg_path = memcg_stub };

	r.cause.has_sender = true;
	r.cause.sender_pid = 4242;
	strcpy(r.cause.sender_comm, "kill");
	snprintf(want, sizeof(want), "%ssignal 9 (KILL) from kill[4242] uid 0\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "from process");

	r = rec_signal(6, true, CAUSE_SELF);
	snprintf(want, sizeof(want), "%ssignal 6 (ABRT) self, core dumped\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "self");

	r = rec_signal(11, false, CAUSE_KERNEL);
	r.cause.has_si_code = r.cause.has_addr = true;
	r.cause.si_code = 1;
	snprintf(want, sizeof(want), "%ssignal 11 (SEGV) SEGV_MAPERR at 0x0\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "fault");

	r = rec_signal(13, false, CAUSE_KERNEL);
	snprintf(want, sizeof(want), "%ssignal 13 (PIPE) kernel\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "kernel");

	r.cause.has_sender = true;
	r.cause.sender_pid = 57;
	strcpy(r.cause.sender_comm, "kworker/0:1");
	snprintf(want, sizeof(want), "%ssignal 13 (PIPE) kernel via kworker/0:1[57]\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "kernel via");

	r = rec_signal(9, false, CAUSE_OOM);
	r.cause.oom_memcg = true;
	r.cause.oom_memcg_id = 42;
	r.cause.oom_rss_bytes = 512ULL << 20;
	snprintf(want, sizeof(want),
		 "%ssignal 9 (KILL) oom-kill (memcg /sys/fs/cgroup/memory/job, rss 512 MiB)\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "memcg oom");
	r.cause.oom_memcg_id = 43;
	snprintf(want, sizeof(want),
		 "%ssignal 9 (KILL) oom-kill (memcg /sys/fs/cgroup/a\\x1b[2J\\rb\\xff\\u202e, rss 512 MiB)\n",
		 p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "hostile memcg path escaped");
	r.cause.oom_memcg = false;
	r.cause.oom_rss_bytes = 300 << 10;
	snprintf(want, sizeof(want), "%ssignal 9 (KILL) oom-kill (global, rss 300 KiB)\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "global oom");

	cfg.why = false;
	r = rec_signal(9, false, CAUSE_PROCESS);
	snprintf(want, sizeof(want), "%ssignal 9 (KILL)\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "without -w the seed's column");
}

/* The story's keys of a record that has none. */
#define STORY_NULL                                                                            \
	",\"args\":null,\"args_truncated\":null,\"exe\":null,\"gid\":null,\"cgroup\":null,"  \
	"\"container_id\":null,\"pod_uid\":null,\"ns_pid\":null,\"rusage\":null,"        \
	"\"io\":null,\"delays\":null" LINEAGE_NULL

/* The lineage's keys of a record that has none. */
#define LINEAGE_NULL                                                                          \
	",\"start_time\":null,\"container_init\":null,\"exe_deleted\":null,"                \
	"\"exe_memfd\":null,\"exe_dev\":null,\"exe_ino\":null,\"ancestors\":null"

void test_json_lines(void)
{
	struct output_config cfg = { .json = true };
	struct exit_record r = rec_exit(65);

	enr = (struct enricher){ .memcg_path = memcg_stub };

	ASSERT_STREQ(render(&cfg, NULL, true), "", "no header in JSON");
	ASSERT_STREQ(render(&cfg, enriched(&r), false),
		     "{\"time\":\"2019-05-04T13:20:22.997123456Z\",\"label\":null,\"comm\":\"bash\","
		     "\"pid\":19003,\"ppid\":17656,\"tid\":19003,\"uid\":0,\"age_ns\":1650000000,"
		     "\"status\":16640,\"exit_code\":65,\"signal\":null,\"signal_name\":null,"
		     "\"core_dumped\":false,\"per_thread\":false,\"cause\":{\"kind\":\"exit\","
		     "\"sender\":null,\"si_code\":null,\"si_code_name\":null,\"addr\":null,"
		     "\"ip\":null,\"ip_map\":null,\"addr_map\":null,\"oom\":null}" STORY_NULL "}\n",
		     "exit 65");

	cfg.label = "ex\"it";
	r = rec_signal(11, true, CAUSE_KERNEL);
	r.thread = true;
	r.cause.has_si_code = r.cause.has_addr = true;
	r.cause.si_code = 1;
	r.cause.addr = 0xffffffffffffff00ULL;
	strcpy(r.comm, "a\x01\xff");
	ASSERT_STREQ(render(&cfg, enriched(&r), false),
		     "{\"time\":\"2019-05-04T13:20:22.997123456Z\",\"label\":\"ex\\\"it\","
		     "\"comm\":\"a\\u0001\\udcff\",\"pid\":19003,\"ppid\":17656,\"tid\":19003,"
		     "\"uid\":0,\"age_ns\":1650000000,\"status\":139,\"exit_code\":null,"
		     "\"signal\":11,\"signal_name\":\"SEGV\",\"core_dumped\":true,"
		     "\"per_thread\":true,\"cause\":{\"kind\":\"kernel\",\"sender\":null,"
		     "\"si_code\":1,\"si_code_name\":\"SEGV_MAPERR\",\"addr\":\"0xffffffffffffff00\","
		     "\"ip\":null,\"ip_map\":null,\"addr_map\":null,\"oom\":null}" STORY_NULL "}\n",
		     "fault with hostile comm and label");

	cfg.label = NULL;
	r = rec_signal(15, false, CAUSE_PROCESS);
	r.cause.has_sender = r.cause.has_si_code = true;
	r.cause.sender_pid = 4242;
	r.cause.sender_uid = 1000;
	strcpy(r.cause.sender_comm, "kill");
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"cause\":{\"kind\":\"process\",\"sender\":{\"pid\":4242,\"comm\":\"kill\","
			   "\"uid\":1000},\"si_code\":0,\"si_code_name\":\"SI_USER\",\"addr\":null,"
			   "\"ip\":null,\"ip_map\":null,\"addr_map\":null,\"oom\":null}") != NULL,
		    "sender object");

	r = rec_signal(9, false, CAUSE_OOM);
	r.cause.oom_memcg = true;
	r.cause.oom_memcg_id = 42;
	r.cause.oom_rss_bytes = 1 << 20;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"oom\":{\"scope\":\"memcg\",\"memcg_path\":\"/sys/fs/cgroup/memory/job\","
			   "\"memcg_id\":42,\"rss_bytes\":1048576}}") != NULL,
		    "oom object");
	r.cause.oom_memcg = false;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"oom\":{\"scope\":\"global\",\"memcg_path\":null,\"memcg_id\":null,"
			   "\"rss_bytes\":1048576}}") != NULL,
		    "global oom object");
}

void test_format_bytes(void)
{
	char b[32];

	format_bytes(b, sizeof(b), 0);
	ASSERT_STREQ(b, "0 KiB", "zero");
	format_bytes(b, sizeof(b), 1536);
	ASSERT_STREQ(b, "2 KiB", "rounds");
	format_bytes(b, sizeof(b), 3ULL << 30);
	ASSERT_STREQ(b, "3072 MiB", "GiB in MiB");
}

static void cgroup_stub(uint64_t id, struct cgroup_info *info, void *ctx)
{
	static const char path[] =
		"/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope";

	memset(info, 0, sizeof(*info));
	if (id != 7)
		return;
	info->path = path;
	info->container_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
}

static struct exit_record rec_story(void)
{
	static const char argv[] = "sh\0-c\0echo \"hi\"\0\0x\ty";
	struct exit_record r = rec_exit(0);

	r.story.present = true;
	r.story.gid = 65534;
	r.story.ns_pid = 1;
	r.story.cgroup_id = 7;
	r.story.utime_us = 250000;
	r.story.stime_us = 60000;
	r.story.maxrss_kb = 65536;
	r.story.minflt = 16400;
	r.story.nvcsw = 3;
	r.story.nivcsw = 4;
	r.story.has_args = true;
	r.story.args = argv;
	r.story.args_len = sizeof(argv) - 1;
	r.story.has_exe = true;
	strcpy(r.story.exe, "/usr/bin/dash");
	return r;
}

void test_json_story(void)
{
	struct output_config cfg = { .json = true };
	struct exit_record r = rec_story();

	enr = (struct enricher){ .cgroup_info = cgroup_stub };

	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   ",\"args\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\",\"\",\"x\\ty\"],"
			   "\"args_truncated\":false,\"exe\":\"/usr/bin/dash\",\"gid\":65534,"
			   "\"cgroup\":\"/system.slice/docker-0123456789abcdef0123456789abcdef0123456789"
			   "abcdef0123456789abcdef.scope\",\"container_id\":\"0123456789abcdef0123456789"
			   "abcdef0123456789abcdef0123456789abcdef\",\"pod_uid\":null,\"ns_pid\":1,"
			   "\"rusage\":{\"utime_us\":250000,\"stime_us\":60000,\"maxrss_kb\":65536,"
			   "\"minflt\":16400,\"majflt\":0,\"nvcsw\":3,\"nivcsw\":4,"
			   "\"inblock\":null,\"oublock\":null},\"io\":null,\"delays\":null,") != NULL,
		    "story keys");
	r.story.args_truncated = true;
	r.story.args_len = 4; /* "sh\0-" cut */
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"args\":[\"sh\",\"-\"],\"args_truncated\":true") != NULL,
		    "truncated argv");
}

/* The cost group: what the kernel keeps is a number, the rest null. */
void test_json_cost(void)
{
	struct output_config cfg = { .json = true };
	struct exit_record r = rec_story();

	enr = (struct enricher){ .cgroup_info = cgroup_stub };
	r.cost = (struct exit_cost_info){ .present = true, .has_xacct = true, .has_io = true,
					  .has_run_delay = true, .inblock = 16, .oublock = 8,
					  .rchar = 1, .wchar = 2, .syscr = 3, .syscw = 4,
					  .read_bytes = 8192, .write_bytes = 4096,
					  .cancelled_write_bytes = 512, .run_delay_ns = 77,
					  .blkio_delay_ns = 5 };
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"nivcsw\":4,\"inblock\":16,\"oublock\":8},\"io\":{\"read_bytes\":8192,"
			   "\"write_bytes\":4096,\"cancelled_write_bytes\":512,\"rchar\":1,"
			   "\"wchar\":2,\"syscr\":3,\"syscw\":4},\"delays\":{\"cpu_ns\":77,"
			   "\"blkio_ns\":null,\"swapin_ns\":null,\"reclaim_ns\":null,"
			   "\"thrashing_ns\":null,\"compact_ns\":null,\"wpcopy_ns\":null,"
			   "\"irq_ns\":null},") != NULL,
		    "delay accounting off: only the run delay");
	r.cost.has_delays = r.cost.has_compact = true;
	r.cost.has_xacct = r.cost.has_run_delay = false;
	r.cost.irq_delay_ns = 9;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"rchar\":null,\"wchar\":null,\"syscr\":null,\"syscw\":null},"
			   "\"delays\":{\"cpu_ns\":null,\"blkio_ns\":5,\"swapin_ns\":0,"
			   "\"reclaim_ns\":0,\"thrashing_ns\":0,\"compact_ns\":0,"
			   "\"wpcopy_ns\":null,\"irq_ns\":null},") != NULL,
		    "delay accounting on, a kernel without wpcopy and irq delays");
}

void test_table_story_columns(void)
{
	struct output_config cfg = { .args = true, .rusage = true, .container = true };
	struct exit_record r = rec_story();

	enr = (struct enricher){ .cgroup_info = cgroup_stub };

	ASSERT_STREQ(render(&cfg, NULL, true),
		     "PCOMM            PID     PPID    TID     AGE(s)  CPU(s)  MAXRSS(KB) "
		     "CONTAINER    EXIT_CODE  ARGS\n",
		     "header");
	ASSERT_STREQ(render(&cfg, enriched(&r), false),
		     "bash             19003   17656   19003   1.65    0.31    65536      "
		     "0123456789ab 0          sh -c 'echo \"hi\"' '' x\\ty\n",
		     "line");
	r.story.has_args = false;
	r.story.cgroup_id = 8;
	ASSERT_STREQ(render(&cfg, enriched(&r), false),
		     "bash             19003   17656   19003   1.65    0.31    65536      "
		     "-            0          -\n",
		     "unknown args and container");
}

/*
 * An OOM kill whose v2 cgroup names no container (a runtime that left it
 * out of the v2 hierarchy) takes the one its memory cgroup names, as the
 * metrics do; its cgroup's other records keep none.
 */
void test_oom_container_from_memcg(void)
{
	struct output_config cfg = { .json = true };
	struct output_config table = { .container = true };
	struct exit_record r = rec_story();

	enr = (struct enricher){ .cgroup_info = cgroup_stub, .memcg_path = memcg_stub };

	r.story.cgroup_id = 8;
	r.signal = 9;
	r.cause.kind = CAUSE_OOM;
	r.cause.oom_memcg = true;
	r.cause.oom_memcg_id = 44;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   ",\"cgroup\":null,\"container_id\":\"" MEMCG_ID "\",\"pod_uid\":null,") !=
			    NULL,
		    "the memcg's container");
	ASSERT_TRUE(strstr(render(&table, enriched(&r), false), " fedcba987654 ") != NULL,
		    "the memcg's container in the column");
	r.cause.oom_memcg_id = 42;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false), ",\"container_id\":null,") != NULL,
		    "a memcg that names none");
	r.cause.oom_memcg_id = 44;
	r.cause.oom_memcg = false;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false), ",\"container_id\":null,") != NULL,
		    "a global OOM kill");
	r.cause.oom_memcg = true;
	r.story.cgroup_id = 7;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false), ",\"container_id\":\"0123456789abcdef0123456789abcdef"
			   "0123456789abcdef0123456789abcdef\",") != NULL,
		    "the cgroup's own first");
}

/* The ARGS column of a table line: what follows EXIT_CODE's "0" and its padding. */
static char *args_column(const struct exit_record *r)
{
	struct output_config cfg = { .args = true };
	const char *line = render(&cfg, r, false);

	return strdup(strstr(line, " 0          ") + strlen(" 0          "));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define ARG_PIECES 11
#define ARGVS_MAX (2 * (1 + ARG_PIECES + ARG_PIECES * ARG_PIECES + \
			ARG_PIECES * ARG_PIECES * ARG_PIECES) + 1)

/*
 * Every argv of up to three arguments made of pieces that quoting could
 * confuse, cut or not, and the unknown command line: no two print alike.
 * (As the kernel keeps it: each string and its NUL, but for the last
 * one's when cut.)
 */
void test_table_args_injective(void)
{
	static const char *const piece[ARG_PIECES] = { "", "a", "a b", "'a", "b'", "\\",
		"\\'", "...", "a...", "-", " " };
	static char *shown[ARGVS_MAX];
	struct exit_record r = rec_story();
	char argv[64];
	size_t n = 0, len, i;
	int k, cut, div, nargs, dup = 0;

	for (cut = 0; cut < 2; cut++) {
		for (nargs = 0; nargs <= 3; nargs++) {
			int total = 1;

			for (k = 0; k < nargs; k++)
				total *= ARG_PIECES;
			for (int c = 0; c < total; c++) {
				len = 0;
				for (k = 0, div = 1; k < nargs; k++, div *= ARG_PIECES) {
					const char *p = piece[c / div % ARG_PIECES];

					memcpy(argv + len, p, strlen(p) + 1);
					len += strlen(p) + 1;
				}
				/*
				 * A cut leaves the last string without its NUL; one
				 * right after a NUL is a cut of the string before, as
				 * JSON shows it too.
				 */
				if (cut && (len < 2 || !argv[len - 2]))
					continue;
				if (cut)
					len--;
				r.story.args = argv;
				r.story.args_len = len;
				r.story.args_truncated = cut;
				shown[n++] = args_column(&r);
			}
		}
	}
	r.story.has_args = false;
	shown[n++] = args_column(&r);
	qsort(shown, n, sizeof(shown[0]), cmp_str);
	for (i = 1; i < n; i++) {
		if (!strcmp(shown[i - 1], shown[i]) && dup++ < 5)
			ASSERT_TRUE(false, shown[i]);
	}
	ASSERT_EQ(dup, 0, "argv that print alike");
	ASSERT_TRUE(n > 1500, "argv tried");
	for (i = 0; i < n; i++)
		free(shown[i]);
}

/* n records of r into f through one output, flushed only at the end. */
static void batch_records(FILE *f, const struct exit_record *r, int n, const char *label)
{
	struct output_config cfg = { .json = true };
	struct output out;
	int i;

	output_init(&out, f, &cfg);
	for (i = 0; i < n; i++) {
		out.cfg.label = i == n / 2 ? label : NULL;
		output_record(&out, r);
	}
	output_flush(&out);
	output_fini(&out);
}

/* Lines stay in the batch until output_flush(), then come out whole and in order. */
void test_json_batch(void)
{
	struct output_config cfg = { .json = true };
	struct exit_record r = rec_exit(1);
	char *text = NULL, *want = NULL, line[1024];
	static char big[40001];
	size_t len = 0, wlen = 0;
	struct output out;
	FILE *f, *w;
	int i;

	f = open_memstream(&text, &len);
	if (!f) {
		ASSERT_TRUE(false, "memstream");
		return;
	}
	output_init(&out, f, &cfg);
	output_record(&out, &r);
	fflush(f);
	ASSERT_EQ(len, 0, "nothing written before the flush");
	output_fini(&out);
	fclose(f);
	free(text);
	/* past the batch's size: written as it fills; in the middle, a label too long
	 * for the batch, which goes straight to the FILE in its place */
	memset(big, '\x01', sizeof(big) - 1);
	snprintf(line, sizeof(line), "%s", render(&cfg, &r, false));
	f = open_memstream(&text, &len);
	w = open_memstream(&want, &wlen);
	if (!f || !w) {
		ASSERT_TRUE(false, "memstreams");
		if (f)
			fclose(f);
		if (w)
			fclose(w);
		free(text);
		free(want);
		return;
	}
	batch_records(f, &r, 201, big);
	cfg.label = big;
	for (i = 0; i < 201; i++)
		fputs(i == 100 ? render(&cfg, &r, false) : line, w);
	fclose(f);
	fclose(w);
	ASSERT_EQ(len, wlen, "every byte");
	ASSERT_TRUE(len == wlen && !memcmp(text, want, len), "the same lines, in order");
	free(text);
	free(want);
}

static struct cgroup_memo memo;
static int cgroup_calls;

static void cgroup_memo_stub(uint64_t id, struct cgroup_info *info, void *ctx)
{
	cgroup_stub(id, info, ctx);
	info->memo = &memo;
	cgroup_calls++;
}

/* A cgroup's keys are rendered once, then copied from what was kept. */
void test_json_cgroup_memo(void)
{
	struct output_config cfg = { .json = true };
	struct exit_record r = rec_story();
	char want[2048];

	enr = (struct enricher){ .cgroup_info = cgroup_stub };
	snprintf(want, sizeof(want), "%s", render(&cfg, enriched(&r), false));
	enr.cgroup_info = cgroup_memo_stub;
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "first: rendered");
	ASSERT_TRUE(memo.text && memo.len, "kept");
	ASSERT_TRUE(memo.text && !strncmp(memo.text, ",\"cgroup\":\"/system.slice/docker-", 32),
		    "the cgroup's keys");
	r.pid = 4;
	enr = (struct enricher){ .cgroup_info = cgroup_stub };
	snprintf(want, sizeof(want), "%s", render(&cfg, enriched(&r), false));
	enr.cgroup_info = cgroup_memo_stub;
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "second: from what was kept");
	ASSERT_EQ(cgroup_calls, 2, "the cgroup looked up for each");
	free(memo.text);
	memo.text = strdup(",\"cgroup\":\"/kept\",\"container_id\":null,\"pod_uid\":null");
	if (!ASSERT_TRUE(memo.text != NULL, "strdup"))
		return;
	memo.len = strlen(memo.text);
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   ",\"gid\":65534,\"cgroup\":\"/kept\",\"container_id\":null,"
			   "\"pod_uid\":null,\"ns_pid\":1,") != NULL,
		    "what was kept is what is written");
	free(memo.text);
	memo.text = NULL;
}

/* Where it crashed: -w's ", ip FILE+0xOFF", and -j's ip, ip_map and addr_map. */
void test_crash_output(void)
{
	struct output_config cfg = { .why = true };
	struct exit_record r = rec_signal(11, false, CAUSE_KERNEL);
	const char *p = "bash             19003   17656   19003   1.65    ";
	char want[512];

	enr = (struct enricher){ .memcg_path = memcg_stub };
	r.cause.has_si_code = r.cause.has_addr = r.cause.has_crash = true;
	r.cause.si_code = 1;
	memset(&r.crash, 0, sizeof(r.crash));
	r.crash.flags = CRASH_F_IP | CRASH_F_IP_BUILD_ID | CRASH_F_IP_FILE | CRASH_F_IP_PATH;
	r.crash.ip = 0x7f0000001234ULL;
	r.crash.ip_start = 0x7f0000001000ULL;
	r.crash.build_id[0] = 0xbe;
	r.crash.build_id[15] = 0xef;
	strcpy(r.crash.ip_path, "/usr/lib/lib\033foo.so.1");
	snprintf(want, sizeof(want), "%ssignal 11 (SEGV) SEGV_MAPERR at 0x0, ip lib\\x1bfoo.so.1+0x234\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "ip in a file, name escaped");
	r.crash.flags = CRASH_F_IP | CRASH_F_IP_BUILD_ID;
	snprintf(want, sizeof(want), "%ssignal 11 (SEGV) SEGV_MAPERR at 0x0, ip 0x7f0000001234\n", p);
	ASSERT_STREQ(render(&cfg, enriched(&r), false), want, "no path: the bare IP");

	cfg = (struct output_config){ .json = true };
	r.crash.bid_offset = 0x1234;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"addr\":\"0x0\",\"ip\":\"0x7f0000001234\",\"ip_map\":{\"path\":null,"
			   "\"offset\":4660,\"build_id\":\"be0000000000000000000000000000ef\"},"
			   "\"addr_map\":null,\"oom\":null}") != NULL,
		    "JSON before 5.17: no path");
	r.crash.flags |= CRASH_F_IP_FILE | CRASH_F_IP_PATH | CRASH_F_ADDR_SAME;
	r.cause.addr = 0x7f0000001000ULL;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"ip_map\":{\"path\":\"/usr/lib/lib\\u001bfoo.so.1\",\"offset\":564,"
			   "\"build_id\":\"be0000000000000000000000000000ef\"},\"addr_map\":{"
			   "\"path\":\"/usr/lib/lib\\u001bfoo.so.1\",\"offset\":0,"
			   "\"build_id\":\"be0000000000000000000000000000ef\",\"kind\":\"file\"}")
			   != NULL,
		    "JSON with the mappings");
	r.crash.flags &= ~CRASH_F_ADDR_SAME;
	r.crash.flags |= CRASH_F_ADDR_LOOKED | CRASH_F_ADDR_ANON;
	ASSERT_TRUE(strstr(render(&cfg, enriched(&r), false),
			   "\"addr_map\":{\"path\":null,\"offset\":null,\"build_id\":null,"
			   "\"kind\":\"anon\"},\"oom\":null}") != NULL,
		    "JSON: an address in memory not from a file");
}
