// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --summary: counting, the median's precision, the name cap, golden renderings. */
#include <signal.h>
#include <stdlib.h>
#include "load/filter.h"
#include "output/output.h"
#include "output/summary.h"
#include "test.h"
#include "lib/timefmt.h"

/* 2019-05-04 13:20:22 UTC */
#define T0 (1556976022ULL * NSEC_PER_SEC)

static struct exit_record rec(const char *comm, int code, int sig, uint64_t age_ns)
{
	struct exit_record r = { .age_ns = age_ns, .exit_code = sig ? -1 : code, .signal = sig };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	r.status = sig ? (uint32_t)sig : (uint32_t)code << 8;
	return r;
}

static void add(struct summary *s, const char *comm, int code, int sig, uint64_t age_ns)
{
	struct exit_record r = rec(comm, code, sig, age_ns);

	summary_add(s, &r);
}

void test_summary_counts(void)
{
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	struct summary *s = summary_new(T0, SUMMARY_BY_COMM);
	struct exit_record r;
	unsigned int n;

	add(s, "sh", 2, 0, 1000000);
	add(s, "sh", 2, 0, 2000000);
	add(s, "sh", 2, 0, 3000000);
	add(s, "true", 0, 0, 500000);
	add(s, "make", 0, 0, 1);
	add(s, "make", 0, 0, 1);
	r = rec("crashy", 0, SIGSEGV, 10);
	r.core_dumped = true;
	summary_add(s, &r);
	r = rec("hog", 0, SIGKILL, 10);
	r.cause.kind = CAUSE_OOM;
	summary_add(s, &r);
	n = summary_sorted(s, rows);
	ASSERT_EQ(n, 5, "rows");
	ASSERT_STREQ(rows[0]->key, "sh", "most failed first");
	ASSERT_EQ(rows[0]->count, 3, "sh count");
	ASSERT_EQ(rows[0]->failed, 3, "sh failed");
	ASSERT_EQ(rows[0]->codes[2], 3, "sh code 2");
	ASSERT_STREQ(rows[1]->key, "crashy", "failed ties: by count, then name");
	ASSERT_EQ(rows[1]->cores, 1, "core");
	ASSERT_EQ(rows[1]->signals[SIGSEGV], 1, "SEGV");
	ASSERT_STREQ(rows[2]->key, "hog", "hog");
	ASSERT_EQ(rows[2]->oom_kills, 1, "OOM kill");
	ASSERT_STREQ(rows[3]->key, "make", "no failures: by count");
	ASSERT_STREQ(rows[4]->key, "true", "last");
	ASSERT_EQ(rows[4]->failed, 0, "true never fails");
	ASSERT_EQ(summary_p50(&rows[4]->age), 500000, "one exit: its age");
	ASSERT_EQ(rows[0]->age.max, 3000000, "max age");
	summary_reset(s, T0 + 1);
	ASSERT_EQ(summary_sorted(s, rows), 0, "reset forgets");
	ASSERT_EQ(s->start_ns, T0 + 1, "new interval");
	summary_free(s);
}

/* The median is a bucket's midpoint: within 1/16 of the true one. */
void test_summary_median_precision(void)
{
	static const uint64_t ages[] = { 3000, 9000, 123456, 7654321, 999999999, 86400ULL * NSEC_PER_SEC,
					 5ULL << 40 };
	struct summary *s = summary_new(T0, SUMMARY_BY_COMM);
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	uint64_t p50, want, diff;
	unsigned int i, j;

	for (i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		summary_reset(s, T0);
		/* median of 3 x age and 2 x 100 x age is age */
		for (j = 0; j < 3; j++)
			add(s, "m", 0, 0, ages[i]);
		for (j = 0; j < 2; j++)
			add(s, "m", 0, 0, ages[i] * 100);
		summary_sorted(s, rows);
		p50 = summary_p50(&rows[0]->age);
		want = ages[i];
		diff = p50 > want ? p50 - want : want - p50;
		ASSERT_TRUE(diff * 16 <= want || diff <= 512, "median within 1/16");
	}
	summary_free(s);
}

void test_summary_cap(void)
{
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	struct summary *s = summary_new(T0, SUMMARY_BY_COMM);
	char name[16];
	unsigned int i, n;

	for (i = 0; i < SUMMARY_MAX_ROWS + 100; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		add(s, name, 1, 0, 1000);
	}
	add(s, "n0", 1, 0, 1000);
	n = summary_sorted(s, rows);
	ASSERT_EQ(n, SUMMARY_MAX_ROWS + 1, "capped, plus other");
	ASSERT_TRUE(rows[n - 1]->other, "other last");
	ASSERT_EQ(rows[n - 1]->count, 100, "the names beyond the cap");
	ASSERT_STREQ(rows[0]->key, "n0", "a known name still counts");
	ASSERT_EQ(rows[0]->count, 2, "n0 twice");
	summary_free(s);
}

void test_summary_top(void)
{
	uint64_t c[8] = { 9, 1, 5, 0, 5, 7, 0, 2 };
	unsigned int out[3], n;

	n = summary_top(c, 8, 1, out, 3);
	ASSERT_EQ(n, 3, "three");
	ASSERT_EQ(out[0], 5, "most frequent (0 skipped)");
	ASSERT_EQ(out[1], 2, "tie: lower first");
	ASSERT_EQ(out[2], 4, "then the other");
}

static char *buf;

static const char *render(bool json, unsigned int max_rows, const char *label)
{
	struct output_config cfg = { .summary = true, .json = json, .utc = true,
				     .max_rows = max_rows, .label = label };
	struct exit_record r;
	struct output out;
	size_t len;
	FILE *f;
	int i;

	free(buf);
	f = open_memstream(&buf, &len);
	output_init(&out, f, &cfg);
	output_start(&out, T0);
	output_header(&out);
	for (i = 0; i < 3; i++) {
		r = rec("sh", 2, 0, 1000000 + i * 1000);
		output_record(&out, &r);
	}
	r = rec("true", 0, 0, 2500000000ULL);
	output_record(&out, &r);
	r = rec("crashy", 0, SIGSEGV, 61ULL * NSEC_PER_SEC);
	r.core_dumped = true;
	output_record(&out, &r);
	r = rec("hog\n", 0, SIGKILL, 3ULL * 3600 * NSEC_PER_SEC);
	r.cause.kind = CAUSE_OOM;
	output_record(&out, &r);
	output_report(&out, T0 + 10 * NSEC_PER_SEC);
	output_fini(&out);
	fclose(f);
	return buf;
}

void test_summary_table_golden(void)
{
	ASSERT_STREQ(render(false, 0, NULL),
		"--- 2019-05-04 13:20:32 UTC: 6 exits, 5 failed, in 10.0 s ---\n"
		"COMM             EXITS   FAILED  CODES            SIGNALS          OOM   CORES AGE_P50  AGE_MAX  "
		"CPU_SUM  CPU_P50  CPU_MAX  RSS_SUM  RSS_P50  RSS_MAX\n"
		"sh               3       3       2:3              -                0     0     1.0ms    1.0ms    "
		"-        -        -        -        -        -\n"
		"crashy           1       1       -                SEGV:1           0     1     1.0m     1.0m     "
		"-        -        -        -        -        -\n"
		"hog\\n            1       1       -                KILL:1           1     0     3.0h     3.0h     "
		"-        -        -        -        -        -\n"
		"true             1       0       -                -                0     0     2.50s    2.50s    "
		"-        -        -        -        -        -\n",
		"table");
	ASSERT_STREQ(render(false, 3, NULL),
		"--- 2019-05-04 13:20:32 UTC: 6 exits, 5 failed, in 10.0 s ---\n"
		"COMM             EXITS   FAILED  CODES            SIGNALS          OOM   CORES AGE_P50  AGE_MAX  "
		"CPU_SUM  CPU_P50  CPU_MAX  RSS_SUM  RSS_P50  RSS_MAX\n"
		"sh               3       3       2:3              -                0     0     1.0ms    1.0ms    "
		"-        -        -        -        -        -\n"
		"crashy           1       1       -                SEGV:1           0     1     1.0m     1.0m     "
		"-        -        -        -        -        -\n"
		"... 2 more rows, 2 exits\n",
		"capped table");
}

void test_summary_json_golden(void)
{
	const char *span = "{\"interval_start\":\"2019-05-04T13:20:22.000000000Z\","
			   "\"interval_end\":\"2019-05-04T13:20:32.000000000Z\",";
	char want[2048];

	snprintf(want, sizeof(want),
		 "%s\"label\":\"ci\",\"by\":\"comm\",\"comm\":\"sh\",\"other\":false,\"count\":3,\"failed\":3,"
		 "\"codes\":{\"2\":3},\"signals\":{},\"oom_kills\":0,\"cores\":0,"
		 "\"age_p50_ns\":1002000,\"age_max_ns\":1002000,\"cpu_us\":null,"
		 "\"maxrss_kb\":null}\n"
		 "%s\"label\":\"ci\",\"by\":\"comm\",\"comm\":\"crashy\",\"other\":false,\"count\":1,\"failed\":1,"
		 "\"codes\":{},\"signals\":{\"SEGV\":1},\"oom_kills\":0,\"cores\":1,"
		 "\"age_p50_ns\":61000000000,\"age_max_ns\":61000000000,\"cpu_us\":null,"
		 "\"maxrss_kb\":null}\n"
		 "%s\"label\":\"ci\",\"by\":\"comm\",\"comm\":\"hog\\n\",\"other\":false,\"count\":1,\"failed\":1,"
		 "\"codes\":{},\"signals\":{\"KILL\":1},\"oom_kills\":1,\"cores\":0,"
		 "\"age_p50_ns\":10800000000000,\"age_max_ns\":10800000000000,\"cpu_us\":null,"
		 "\"maxrss_kb\":null}\n"
		 "%s\"label\":\"ci\",\"by\":\"comm\",\"comm\":\"true\",\"other\":false,\"count\":1,\"failed\":0,"
		 "\"codes\":{\"0\":1},\"signals\":{},\"oom_kills\":0,\"cores\":0,"
		 "\"age_p50_ns\":2500000000,\"age_max_ns\":2500000000,\"cpu_us\":null,"
		 "\"maxrss_kb\":null}\n",
		 span, span, span, span);
	ASSERT_STREQ(render(true, 2, "ci"), want, "json rows (no cap)");
}

void test_filter_comm_masks(void)
{
	struct exit_filter f = {};
	struct exitsnoop_cfg c = {};
	union {
		char s[16];
		uint64_t w[2];
	} k;

	filter_add_comm(&f, "sh");
	filter_add_comm(&f, "a_very_long_program_name");
	filter_to_cfg(&f, &c);
	ASSERT_EQ(c.ncomm, 2, "two names");
	memset(&k, 0x55, sizeof(k)); /* garbage after the NUL must not matter */
	memcpy(k.s, "sh", 3);
	ASSERT_TRUE((k.w[0] & c.comm_mask[0][0]) == c.comm_val[0][0] &&
		    (k.w[1] & c.comm_mask[0][1]) == c.comm_val[0][1], "sh matches");
	memcpy(k.s, "shx", 4);
	ASSERT_TRUE((k.w[0] & c.comm_mask[0][0]) != c.comm_val[0][0], "shx does not");
	memset(&k, 0, sizeof(k));
	memcpy(k.s, "a_very_long_pro", 15);
	ASSERT_TRUE((k.w[0] & c.comm_mask[1][0]) == c.comm_val[1][0] &&
		    (k.w[1] & c.comm_mask[1][1]) == c.comm_val[1][1], "15 bytes, as the kernel keeps");
}
