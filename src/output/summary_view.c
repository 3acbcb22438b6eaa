// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --summary renderings: a table per interval (a timestamp line, then a
 * row per group), or with -j one JSON object per row. The
 * counting is summary.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "lib/clock.h"
#include "lib/escape.h"
#include "output/output.h"
#include "record/signame.h"
#include "output/summary.h"
#include "lib/timefmt.h"

#define TOP_N 3		/* codes and signals named in a table cell */
#define OTHER_NAME "(other commands)" /* 16 bytes: no comm can be it */

static int summary_init(struct output *out)
{
	out->priv = summary_new(clock_ns(CLOCK_REALTIME), out->cfg.summary_by);
	return out->priv ? 0 : -ENOMEM;
}

static void summary_fini(struct output *out)
{
	summary_free(out->priv);
}

static void summary_start(struct output *out, uint64_t now_ns)
{
	summary_reset(out->priv, now_ns);
}

static void summary_record(struct output *out, const struct exit_record *rec)
{
	summary_add(out->priv, rec);
}

/* "850us", "12.5ms", "1.65s", "12.0m", "3.2h", "4.1d" */
static void format_age(char *buf, size_t len, uint64_t ns)
{
	double s = (double)ns / 1e9;

	if (ns < 1000000)
		snprintf(buf, len, "%" PRIu64 "us", ns / 1000);
	else if (ns < NSEC_PER_SEC)
		snprintf(buf, len, "%.1fms", s * 1e3);
	else if (s < 60)
		snprintf(buf, len, "%.2fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%.1fm", s / 60);
	else if (s < 86400)
		snprintf(buf, len, "%.1fh", s / 3600);
	else
		snprintf(buf, len, "%.1fd", s / 86400);
}

/* A code as a number, or a signal's short name ("KILL"). */
static const char *key_name(unsigned int i, bool signal, char *buf, size_t len)
{
	if (signal)
		return signal_abbrev((int)i, buf, len);
	snprintf(buf, len, "%u", i);
	return buf;
}

/* "2:3 1:1 +2": the TOP_N most frequent, and how many more distinct ones. */
static void format_top(char *buf, size_t len, const uint64_t *counts, unsigned int n,
		       unsigned int first, bool signals)
{
	unsigned int top[TOP_N], k, i, distinct = 0;
	char name[SIGNAME_LEN];
	size_t used = 0;

	for (i = first; i < n; i++)
		distinct += counts[i] != 0;
	k = summary_top(counts, n, first, top, TOP_N);
	buf[0] = '\0';
	if (!k) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; i < k && used < len; i++) {
		used += (size_t)snprintf(buf + used, len - used, "%s%s:%" PRIu64, i ? " " : "",
					 key_name(top[i], signals, name, sizeof(name)),
					 counts[top[i]]);
	}
	if (distinct > k && used < len)
		snprintf(buf + used, len - used, " +%u", distinct - k);
}

static void local_stamp(char *buf, size_t len, uint64_t ns, bool utc)
{
	time_t t = (time_t)(ns / NSEC_PER_SEC);
	struct tm tm;

	if (utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(buf, len, utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z", &tm);
}

/* KiB as "640K", "12M", "3.5G": a cell without a space. */
static void format_kib(char *buf, size_t len, uint64_t kib)
{
	if (kib < 10240)
		snprintf(buf, len, "%" PRIu64 "K", kib);
	else if (kib < 10240 * 1024)
		snprintf(buf, len, "%" PRIu64 "M", (kib + 512) / 1024);
	else
		snprintf(buf, len, "%.1fG", (double)kib / (1024 * 1024));
}

/* CPU_SUM CPU_P50 CPU_MAX RSS_SUM RSS_P50 RSS_MAX: "-" without a story. */
static void format_usage(char *buf, size_t len, const struct summary_row *r)
{
	char c[3][16], m[3][16];

	if (!r->cpu.n) {
		snprintf(buf, len, "%-8s %-8s %-8s %-8s %-8s %s", "-", "-", "-", "-", "-", "-");
		return;
	}
	format_age(c[0], sizeof(c[0]), r->cpu.sum * 1000);
	format_age(c[1], sizeof(c[1]), summary_p50(&r->cpu) * 1000);
	format_age(c[2], sizeof(c[2]), r->cpu.max * 1000);
	format_kib(m[0], sizeof(m[0]), r->rss.sum);
	format_kib(m[1], sizeof(m[1]), summary_p50(&r->rss));
	format_kib(m[2], sizeof(m[2]), r->rss.max);
	snprintf(buf, len, "%-8s %-8s %-8s %-8s %-8s %s", c[0], c[1], c[2], m[0], m[1], m[2]);
}

#define SHORT_ID 12	/* a container as docker ps shows it */

/* The row's group as the table shows it. */
static void group_name(char *buf, size_t len, enum summary_by by, const struct summary_row *r)
{
	if (r->other)
		snprintf(buf, len, "%s", by == SUMMARY_BY_COMM ? OTHER_NAME : "(other)");
	else if (!r->key)
		snprintf(buf, len, "(none)");
	else if (by == SUMMARY_BY_CONTAINER)
		snprintf(buf, len, "%.*s", SHORT_ID, r->key);
	else
		escape_text(buf, len, r->key, strlen(r->key));
}

static const char *const group_titles[SUMMARY_BY_COUNT] = {
	"COMM", "EXE", "UID", "CGROUP", "CONTAINER",
};

#define NAME_MAX_LEN ESCAPED_LEN(4096)

static void table_row(FILE *f, enum summary_by by, int width, const struct summary_row *r)
{
	static char name[NAME_MAX_LEN];
	char codes[64], sigs[64], p50[16], max[16], usage[128];

	group_name(name, sizeof(name), by, r);
	format_top(codes, sizeof(codes), r->codes, 256, 1, false);
	format_top(sigs, sizeof(sigs), r->signals, SUMMARY_SIGNALS, 1, true);
	format_age(p50, sizeof(p50), summary_p50(&r->age));
	format_age(max, sizeof(max), r->age.max);
	format_usage(usage, sizeof(usage), r);
	fprintf(f, "%-*s %-7" PRIu64 " %-7" PRIu64 " %-16s %-16s %-5" PRIu64 " %-5" PRIu64
		" %-8s %-8s %s\n", width, name, r->count, r->failed, codes, sigs, r->oom_kills,
		r->cores, p50, max, usage);
}

/* The first column fits the widest name shown, 16 at least (a comm's). */
static int name_width(enum summary_by by, const struct summary_row **rows, unsigned int n)
{
	static char name[NAME_MAX_LEN];
	size_t w = TASK_COMM_LEN, len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		group_name(name, sizeof(name), by, rows[i]);
		len = strlen(name);
		w = len > w ? len : w;
	}
	return (int)w;
}

static void summary_table_report(struct output *out, uint64_t now_ns)
{
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	struct summary *s = out->priv;
	unsigned int n = summary_sorted(s, rows), shown = n, i;
	uint64_t failed = 0, rest = 0;
	double secs = now_ns > s->start_ns ? (double)(now_ns - s->start_ns) / 1e9 : 0;
	char stamp[64];
	int width;

	for (i = 0; i < n; i++)
		failed += rows[i]->failed;
	local_stamp(stamp, sizeof(stamp), now_ns, out->cfg.utc);
	fprintf(out->f, "--- %s: %" PRIu64 " exits, %" PRIu64 " failed, in %.1f s ---\n", stamp,
		s->exits, failed, secs);
	/* one line is kept for the "more" note */
	if (out->cfg.max_rows && n > out->cfg.max_rows)
		shown = out->cfg.max_rows > 1 ? out->cfg.max_rows - 1 : 1;
	width = name_width(s->by, rows, shown);
	if (n) {
		fprintf(out->f, "%-*s %-7s %-7s %-16s %-16s %-5s %-5s %-8s %-8s "
			"%-8s %-8s %-8s %-8s %-8s %s\n", width, group_titles[s->by], "EXITS",
			"FAILED", "CODES", "SIGNALS", "OOM", "CORES", "AGE_P50", "AGE_MAX",
			"CPU_SUM", "CPU_P50", "CPU_MAX", "RSS_SUM", "RSS_P50", "RSS_MAX");
	}
	for (i = 0; i < shown; i++)
		table_row(out->f, s->by, width, rows[i]);
	for (i = shown; i < n; i++)
		rest += rows[i]->count;
	if (shown < n)
		fprintf(out->f, "... %u more rows, %" PRIu64 " exits\n", n - shown, rest);
	summary_reset(s, now_ns);
}

static void json_counts(FILE *f, const char *key, const uint64_t *counts, unsigned int n,
			unsigned int first, bool signals)
{
	char name[SIGNAME_LEN];
	bool any = false;
	unsigned int i;

	fprintf(f, "\"%s\":{", key);
	for (i = first; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, any ? "," : "",
			key_name(i, signals, name, sizeof(name)), counts[i]);
		any = true;
	}
	fputc('}', f);
}

/* Each grouping's key is named as in the exit records' JSON. */
static const char *const group_keys[SUMMARY_BY_COUNT] = {
	"comm", "exe", "uid", "cgroup", "container_id",
};

/* "comm":"sh" (a uid is a number; "other" and "none" are null) */
static void json_group(FILE *f, enum summary_by by, const struct summary_row *r)
{
	fprintf(f, ",\"by\":\"%s\",\"%s\":", summary_by_name(by), group_keys[by]);
	if (!r->key)
		fputs("null", f);
	else if (by == SUMMARY_BY_UID)
		fputs(r->key, f);
	else
		json_write_string(f, r->key, strlen(r->key));
}

/* "cpu_us":{"sum":..,"p50":..,"max":..}, or null without a story */
static void json_dist(FILE *f, const char *key, const struct summary_dist *d)
{
	if (!d->n) {
		fprintf(f, ",\"%s\":null", key);
		return;
	}
	fprintf(f, ",\"%s\":{\"sum\":%" PRIu64 ",\"p50\":%" PRIu64 ",\"max\":%" PRIu64 "}", key,
		d->sum, summary_p50(d), d->max);
}

static void summary_json_report(struct output *out, uint64_t now_ns)
{
	const struct summary_row *rows[SUMMARY_MAX_ROWS + 1];
	struct summary *s = out->priv;
	unsigned int n = summary_sorted(s, rows), i;
	char start[48], end[48];
	FILE *f = out->f;

	format_rfc3339(start, sizeof(start), s->start_ns);
	format_rfc3339(end, sizeof(end), now_ns);
	for (i = 0; i < n; i++) {
		const struct summary_row *r = rows[i];

		fprintf(f, "{\"interval_start\":\"%s\",\"interval_end\":\"%s\",\"label\":", start,
			end);
		if (out->cfg.label)
			json_write_string(f, out->cfg.label, strlen(out->cfg.label));
		else
			fputs("null", f);
		json_group(f, s->by, r);
		fprintf(f, ",\"other\":%s,\"count\":%" PRIu64 ",\"failed\":%" PRIu64 ",",
			r->other ? "true" : "false", r->count, r->failed);
		json_counts(f, "codes", r->codes, 256, 0, false);
		fputc(',', f);
		json_counts(f, "signals", r->signals, SUMMARY_SIGNALS, 1, true);
		fprintf(f, ",\"oom_kills\":%" PRIu64 ",\"cores\":%" PRIu64 ",\"age_p50_ns\":%" PRIu64
			",\"age_max_ns\":%" PRIu64, r->oom_kills, r->cores, summary_p50(&r->age),
			r->age.max);
		json_dist(f, "cpu_us", &r->cpu);
		json_dist(f, "maxrss_kb", &r->rss);
		fputs("}\n", f);
	}
	summary_reset(s, now_ns);
}

const struct output_ops summary_table_ops = {
	.init = summary_init,
	.fini = summary_fini,
	.start = summary_start,
	.record = summary_record,
	.report = summary_table_report,
};

const struct output_ops summary_json_ops = {
	.init = summary_init,
	.fini = summary_fini,
	.start = summary_start,
	.record = summary_record,
	.report = summary_json_report,
};
