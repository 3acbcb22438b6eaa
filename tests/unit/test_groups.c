// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exits by group: --summary-by's keys, CPU and memory per row, and the
 * bounded per-container exit series (--metrics-containers).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "metrics/container_exits.h"
#include "metrics/metrics.h"
#include "output/output.h"
#include "output/summary.h"
#include "test.h"
#include "lib/timefmt.h"

/* 2019-05-04 13:20:22 UTC */
#define T0 (1556976022ULL * NSEC_PER_SEC)
#define CID_A "aaaa0a9c2b7d4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
#define CID_B "bbbb0a9c2b7d4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
#define POD "8f2a1c3e-5b7d-4e9f-a1b2-c3d4e5f6a7b8"

/* An exit with its story: CPU us, peak KiB, the exe, the cgroup and container. */
static struct exit_record rec(const char *comm, int code, int sig, uint64_t cpu_us,
			      uint64_t rss_kb)
{
	struct exit_record r = { .exit_code = sig ? -1 : code, .signal = sig, .uid = 1000,
				 .age_ns = 5000000 };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	r.story.present = true;
	r.story.utime_us = cpu_us / 4;
	r.story.stime_us = cpu_us - cpu_us / 4;
	r.story.maxrss_kb = rss_kb;
	return r;
}

static void in(struct exit_record *r, const char *cgroup, const char *cid, const char *exe)
{
	r->cgroup.path = cgroup;
	r->cgroup.container_id = cid;
	if (exe) {
		r->story.has_exe = true;
		snprintf(r->story.exe, sizeof(r->story.exe), "%s", exe);
	}
}

static const struct summary_row *row_of(const struct summary *s, const char *key)
{
	static const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	unsigned int n = summary_sorted(s, rows), i;

	for (i = 0; i < n; i++) {
		if (rows[i]->other)
			continue;
		if (key ? rows[i]->key && !strcmp(rows[i]->key, key) : !rows[i]->key)
			return rows[i];
	}
	return NULL;
}

/* Three exits, two groups for every key but comm's and uid's one. */
static struct summary *three(enum summary_by by)
{
	struct summary *s = summary_new(T0, by);
	struct exit_record r;

	r = rec("web", 0, 0, 1000, 2048);
	in(&r, "/ctr/a", CID_A, "/usr/bin/web");
	summary_add(s, &r);
	r = rec("web", 1, 0, 3000, 4096);
	in(&r, "/ctr/a", CID_A, "/usr/bin/web");
	summary_add(s, &r);
	r = rec("web", 0, SIGSEGV, 2000000, 1048576);
	in(&r, "/host/b", NULL, NULL);
	summary_add(s, &r);
	return s;
}

void test_summary_by_keys(void)
{
	struct summary *s;
	const struct summary_row *r;

	s = three(SUMMARY_BY_COMM);
	r = row_of(s, "web");
	ASSERT_TRUE(r && r->count == 3, "comm: one row");
	summary_free(s);
	s = three(SUMMARY_BY_UID);
	r = row_of(s, "1000");
	ASSERT_TRUE(r && r->count == 3, "uid: one row, in decimal");
	summary_free(s);
	s = three(SUMMARY_BY_EXE);
	r = row_of(s, "/usr/bin/web");
	ASSERT_TRUE(r && r->count == 2 && r->failed == 1, "exe: the two with one");
	r = row_of(s, NULL);
	ASSERT_TRUE(r && r->count == 1 && r->signals[SIGSEGV] == 1, "exe unknown: none's row");
	summary_free(s);
	s = three(SUMMARY_BY_CGROUP);
	ASSERT_TRUE(row_of(s, "/ctr/a") && row_of(s, "/host/b"), "cgroup: by path");
	summary_free(s);
	s = three(SUMMARY_BY_CONTAINER);
	r = row_of(s, CID_A);
	ASSERT_TRUE(r && r->count == 2, "container: its exits");
	r = row_of(s, NULL);
	ASSERT_TRUE(r && r->count == 1, "no container: none's row");
	summary_free(s);
}

void test_summary_by_names(void)
{
	ASSERT_EQ(summary_by_parse("comm"), SUMMARY_BY_COMM, "comm");
	ASSERT_EQ(summary_by_parse("exe"), SUMMARY_BY_EXE, "exe");
	ASSERT_EQ(summary_by_parse("uid"), SUMMARY_BY_UID, "uid");
	ASSERT_EQ(summary_by_parse("cgroup"), SUMMARY_BY_CGROUP, "cgroup");
	ASSERT_EQ(summary_by_parse("container"), SUMMARY_BY_CONTAINER, "container");
	ASSERT_EQ(summary_by_parse("Comm"), -1, "exact");
	ASSERT_EQ(summary_by_parse(""), -1, "empty");
	ASSERT_STREQ(summary_by_name(SUMMARY_BY_CGROUP), "cgroup", "name back");
}

/* Sum, median and max of CPU and peak memory; exits without a story are left out. */
void test_summary_usage(void)
{
	struct summary *s = summary_new(T0, SUMMARY_BY_COMM);
	static const uint64_t cpu[] = { 10, 20, 30, 1000000, 5000000 };
	const struct summary_row *r;
	struct exit_record e;
	uint64_t p50;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		e = rec("job", 0, 0, cpu[i], (i + 1) * 1000);
		summary_add(s, &e);
	}
	e = rec("job", 0, 0, 0, 0);
	e.story.present = false;
	summary_add(s, &e);
	r = row_of(s, "job");
	ASSERT_TRUE(r != NULL, "the row");
	if (!r) {
		summary_free(s);
		return;
	}
	ASSERT_EQ(r->count, 6, "every exit counted");
	ASSERT_EQ(r->cpu.n, 5, "CPU of those with a story");
	ASSERT_EQ(r->cpu.sum, 6000060, "CPU sum: user + system");
	ASSERT_EQ(r->cpu.max, 5000000, "CPU max");
	p50 = summary_p50(&r->cpu);
	ASSERT_TRUE(p50 >= 30 && p50 * 16 <= 30 * 17, "CPU median within 1/16");
	ASSERT_EQ(r->rss.sum, 15000, "peak memory sum");
	ASSERT_EQ(r->rss.max, 5000, "peak memory max");
	p50 = summary_p50(&r->rss);
	ASSERT_TRUE(p50 * 16 >= 3000 * 15 && p50 * 16 <= 3000 * 17, "peak memory median within 1/16");
	summary_free(s);
}

static char *buf;

static const char *render(bool json, enum summary_by by)
{
	struct output_config cfg = { .summary = true, .json = json, .utc = true,
				     .summary_by = by };
	struct exit_record r;
	struct output out;
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	output_init(&out, f, &cfg);
	output_start(&out, T0);
	r = rec("web", 0, 0, 1500000, 20480);
	in(&r, "/ctr/a", CID_A, "/usr/bin/web");
	output_record(&out, &r);
	r = rec("web", 0, SIGSEGV, 250, 900);
	in(&r, "/host/b", NULL, NULL);
	output_record(&out, &r);
	output_report(&out, T0 + 10 * NSEC_PER_SEC);
	output_fini(&out);
	fclose(f);
	return buf;
}

void test_summary_by_golden(void)
{
	ASSERT_STREQ(render(false, SUMMARY_BY_CONTAINER),
		"--- 2019-05-04 13:20:32 UTC: 2 exits, 1 failed, in 10.0 s ---\n"
		"CONTAINER        EXITS   FAILED  CODES            SIGNALS          OOM   CORES AGE_P50  AGE_MAX  "
		"CPU_SUM  CPU_P50  CPU_MAX  RSS_SUM  RSS_P50  RSS_MAX\n"
		"(none)           1       1       -                SEGV:1           0     0     5.0ms    5.0ms    "
		"250us    250us    250us    900K     900K     900K\n"
		"aaaa0a9c2b7d     1       0       -                -                0     0     5.0ms    5.0ms    "
		"1.50s    1.50s    1.50s    20M      20M      20M\n",
		"container table: short IDs, none's row");
	ASSERT_STREQ(render(false, SUMMARY_BY_EXE),
		"--- 2019-05-04 13:20:32 UTC: 2 exits, 1 failed, in 10.0 s ---\n"
		"EXE              EXITS   FAILED  CODES            SIGNALS          OOM   CORES AGE_P50  AGE_MAX  "
		"CPU_SUM  CPU_P50  CPU_MAX  RSS_SUM  RSS_P50  RSS_MAX\n"
		"(none)           1       1       -                SEGV:1           0     0     5.0ms    5.0ms    "
		"250us    250us    250us    900K     900K     900K\n"
		"/usr/bin/web     1       0       -                -                0     0     5.0ms    5.0ms    "
		"1.50s    1.50s    1.50s    20M      20M      20M\n",
		"exe table");
	ASSERT_TRUE(strstr(render(true, SUMMARY_BY_UID),
			   "\"by\":\"uid\",\"uid\":1000,\"other\":false,\"count\":2,") != NULL,
		    "uid JSON: a number");
	ASSERT_TRUE(strstr(render(true, SUMMARY_BY_CONTAINER),
			   "\"by\":\"container\",\"container_id\":null,\"other\":false,\"count\":1,") &&
		    strstr(buf, "\"container_id\":\"" CID_A "\"") &&
		    strstr(buf, "\"cpu_us\":{\"sum\":1500000,\"p50\":1500000,\"max\":1500000},"
				"\"maxrss_kb\":{\"sum\":20480,\"p50\":20480,\"max\":20480}}"),
		    "container JSON: null for none, the full ID, usage");
}

/* The row cap holds for any key: the rest is "other", still counted. */
void test_summary_by_cap(void)
{
	struct summary *s = summary_new(T0, SUMMARY_BY_CGROUP);
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	char path[32];
	struct exit_record r;
	unsigned int i, n;

	for (i = 0; i < SUMMARY_MAX_ROWS + 7; i++) {
		snprintf(path, sizeof(path), "/many/%u", i);
		r = rec("x", 0, 0, 1, 1);
		r.cgroup.path = path;
		summary_add(s, &r);
	}
	n = summary_sorted(s, rows);
	ASSERT_EQ(n, SUMMARY_MAX_ROWS + 1, "capped, plus other");
	ASSERT_TRUE(rows[n - 1]->other && rows[n - 1]->count == 7, "7 in other");
	ASSERT_EQ(rows[n - 1]->cpu.n, 7, "other has their usage too");
	summary_free(s);
}

static struct exit_record in_container(const char *cid, const char *pod, int code, int sig,
				       bool core, bool oom)
{
	struct exit_record r = rec("c", code, sig, 1, 1);

	r.cgroup.container_id = cid;
	r.cgroup.pod_uid = pod;
	r.core_dumped = core;
	r.cause.kind = oom ? CAUSE_OOM : sig ? CAUSE_KERNEL : CAUSE_EXIT;
	return r;
}

void test_container_exits_reasons(void)
{
	struct exit_record r;

	r = in_container(CID_A, NULL, 0, 0, false, false);
	ASSERT_EQ(exit_reason_of(&r), REASON_CODE_SUCCESS, "code 0");
	r = in_container(CID_A, NULL, 3, 0, false, false);
	ASSERT_EQ(exit_reason_of(&r), REASON_CODE_FAILURE, "code 3");
	r = in_container(CID_A, NULL, 0, SIGTERM, false, false);
	ASSERT_EQ(exit_reason_of(&r), REASON_SIGNAL, "signal");
	r = in_container(CID_A, NULL, 0, SIGSEGV, true, false);
	ASSERT_EQ(exit_reason_of(&r), REASON_CORE, "core");
	r = in_container(CID_A, NULL, 0, SIGKILL, false, true);
	ASSERT_EQ(exit_reason_of(&r), REASON_OOM, "oom");
	ASSERT_STREQ(exit_reason_name(REASON_CODE_FAILURE), "code", "name");
	ASSERT_STREQ(exit_reason_outcome(REASON_CORE), "signal", "outcome");
}

static const char *render_containers(const struct container_exits *c)
{
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	container_exits_render(c, f);
	fclose(f);
	return buf;
}

void test_container_exits_golden(void)
{
	struct container_exits *c = calloc(1, sizeof(*c));
	struct exit_record r;

	r = in_container(CID_A, POD, 0, 0, false, false);
	container_exits_record(c, &r, 1);
	container_exits_record(c, &r, 1);
	r = in_container(CID_A, POD, 0, SIGKILL, false, true);
	container_exits_record(c, &r, 2);
	r = in_container(NULL, NULL, 2, 0, false, false);
	container_exits_record(c, &r, 2);
	r = in_container(NULL, POD, 0, SIGSEGV, true, false);
	container_exits_record(c, &r, 3);
	ASSERT_STREQ(render_containers(c),
		"# HELP exitsnoop_container_exits_total Processes (threads with -T) in a container or "
		"pod that ended, by outcome and reason; container_id=\"other\": those folded out of "
		"the bound.\n"
		"# TYPE exitsnoop_container_exits_total counter\n"
		"exitsnoop_container_exits_total{container_id=\"" CID_A "\",pod_uid=\"" POD
		"\",outcome=\"success\",reason=\"code\"} 2\n"
		"exitsnoop_container_exits_total{container_id=\"" CID_A "\",pod_uid=\"" POD
		"\",outcome=\"signal\",reason=\"oom\"} 1\n"
		"exitsnoop_container_exits_total{pod_uid=\"" POD
		"\",outcome=\"signal\",reason=\"core\"} 1\n"
		"# HELP exitsnoop_container_series_folded_total Containers whose exits were folded "
		"into container_id=\"other\": beyond 256, or idle.\n"
		"# TYPE exitsnoop_container_series_folded_total counter\n"
		"exitsnoop_container_series_folded_total 0\n",
		"one container, a pod's process outside a container, a host exit left out");
	free(c);
}

static uint64_t total(const struct container_exits *c)
{
	uint64_t n = 0;
	unsigned int i, k;

	for (k = 0; k < REASONS; k++)
		n += c->other[k];
	for (i = 0; i < CONTAINER_SERIES_MAX; i++) {
		for (k = 0; c->hash[i] && k < REASONS; k++)
			n += c->slot[i].count[k];
	}
	return n;
}

static bool has(const struct container_exits *c, const char *id)
{
	unsigned int i;

	for (i = 0; i < CONTAINER_SERIES_MAX; i++) {
		if (c->hash[i] && !strcmp(c->slot[i].container_id, id))
			return true;
	}
	return false;
}

/* More containers than the bound: the stalest are folded, nothing is lost. */
void test_container_exits_bound(void)
{
	struct container_exits *c = calloc(1, sizeof(*c));
	char id[CONTAINER_ID_LEN + 1];
	struct exit_record r;
	unsigned int i, used = 0;

	for (i = 0; i < CONTAINER_SERIES_MAX + 10; i++) {
		snprintf(id, sizeof(id), "%064x", i);
		r = in_container(id, NULL, 1, 0, false, false);
		container_exits_record(c, &r, 100 + i);
		if (i == 0) /* the first grows again: it is not the stalest */
			container_exits_record(c, &r, 100 + CONTAINER_SERIES_MAX);
	}
	for (i = 0; i < CONTAINER_SERIES_MAX; i++)
		used += c->hash[i] != 0;
	ASSERT_EQ(used, CONTAINER_SERIES_MAX, "the bound holds");
	ASSERT_EQ(c->folded, 10, "ten folded");
	ASSERT_EQ(c->other[REASON_CODE_FAILURE], 10, "their exits in other");
	ASSERT_EQ(total(c), CONTAINER_SERIES_MAX + 11, "every exit still counted");
	snprintf(id, sizeof(id), "%064x", 0);
	ASSERT_TRUE(has(c, id), "the recently grown kept");
	snprintf(id, sizeof(id), "%064x", 1);
	ASSERT_TRUE(!has(c, id), "the stalest gave way");
	render_containers(c);
	ASSERT_TRUE(strstr(buf, "{container_id=\"other\",pod_uid=\"other\",outcome=\"failure\","
				"reason=\"code\"} 10\n") != NULL, "the other series");
	ASSERT_TRUE(strstr(buf, "exitsnoop_container_series_folded_total 10\n") != NULL, "folded");
	container_exits_expire(c, 100 + CONTAINER_SERIES_MAX + 9 + 3600, 3600);
	ASSERT_EQ(total(c), CONTAINER_SERIES_MAX + 11, "expiry folds, loses nothing");
	ASSERT_EQ(c->folded, 10 + CONTAINER_SERIES_MAX, "all idle: all folded");
	free(c);
}

/* Through the metrics: only with metrics_count_containers(). */
void test_metrics_containers_opt_in(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r = in_container(CID_B, NULL, 0, SIGABRT, true, false);
	size_t len;
	FILE *f;

	metrics_record(m, &r, 1);
	free(buf);
	f = open_memstream(&buf, &len);
	metrics_render(m, f, "1");
	fclose(f);
	ASSERT_TRUE(!strstr(buf, "container_exits") && !strstr(buf, CID_B), "off by default");
	ASSERT_TRUE(strstr(buf, "signal=\"ABRT\",cause=\"kernel\",reason=\"core\"} 1") != NULL,
		    "the reason label");
	ASSERT_EQ(metrics_count_containers(m), 0, "on");
	metrics_record(m, &r, 2);
	f = open_memstream(&buf, &len);
	metrics_render(m, f, "1");
	fclose(f);
	ASSERT_TRUE(strstr(buf, "exitsnoop_container_exits_total{container_id=\"" CID_B
				"\",outcome=\"signal\",reason=\"core\"} 1\n") != NULL, "counted");
	metrics_free(m);
	free(buf);
	buf = NULL;
}
