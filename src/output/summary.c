// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/summary.h"

static const char *const by_names[SUMMARY_BY_COUNT] = {
	[SUMMARY_BY_COMM] = "comm",
	[SUMMARY_BY_EXE] = "exe",
	[SUMMARY_BY_UID] = "uid",
	[SUMMARY_BY_CGROUP] = "cgroup",
	[SUMMARY_BY_CONTAINER] = "container",
};

int summary_by_parse(const char *name)
{
	int i;

	for (i = 0; i < SUMMARY_BY_COUNT; i++) {
		if (!strcmp(name, by_names[i]))
			return i;
	}
	return -1;
}

const char *summary_by_name(enum summary_by by)
{
	return by < SUMMARY_BY_COUNT ? by_names[by] : "?";
}

/* ns ages in units of 1024 ns: a microsecond's precision where it matters */
#define AGE_SHIFT 10

static void row_init(struct summary_row *r)
{
	r->age.shift = AGE_SHIFT;
}

struct summary *summary_new(uint64_t start_ns, enum summary_by by)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (s) {
		memset(s->index, 0xff, sizeof(s->index));
		s->by = by;
		s->start_ns = start_ns;
		s->other.other = true;
		row_init(&s->other);
	}
	return s;
}

void summary_reset(struct summary *s, uint64_t start_ns)
{
	unsigned int i;

	for (i = 0; i < s->nrows; i++)
		free(s->rows[i]);
	s->nrows = 0;
	s->exits = 0;
	memset(s->index, 0xff, sizeof(s->index));
	memset(&s->other, 0, sizeof(s->other));
	s->other.other = true;
	row_init(&s->other);
	s->start_ns = start_ns;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	summary_reset(s, 0);
	free(s);
}

/* FNV-1a over the key; "none" (NULL) has its own value. */
static unsigned int hash(const char *key)
{
	uint32_t h = 2166136261u;

	if (!key)
		return 0;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

static bool same_key(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

#define INDEX_LEN (2 * SUMMARY_MAX_ROWS)

/* A new row with a copy of key (NULL: "none") after it. */
static struct summary_row *row_new(const char *key)
{
	size_t len = key ? strlen(key) + 1 : 0;
	struct summary_row *r = calloc(1, sizeof(*r) + len);

	if (!r)
		return NULL;
	row_init(r);
	if (key)
		r->key = memcpy(r + 1, key, len);
	return r;
}

static struct summary_row *row_for(struct summary *s, const char *key)
{
	unsigned int i = hash(key) & (INDEX_LEN - 1);
	struct summary_row *r;

	for (;; i = (i + 1) & (INDEX_LEN - 1)) {
		if (s->index[i] < 0)
			break;
		r = s->rows[s->index[i]];
		if (same_key(r->key, key))
			return r;
	}
	/* the index is never more than half full: a free slot is always found */
	if (s->nrows == SUMMARY_MAX_ROWS)
		return &s->other;
	r = row_new(key);
	if (!r)
		return &s->other;
	s->index[i] = (int16_t)s->nrows;
	s->rows[s->nrows++] = r;
	return r;
}

/*
 * The record's group, in buf if it must be made; NULL when it has none:
 * no executable (a kernel thread), no cgroup known, not in a container.
 */
static const char *group_key(enum summary_by by, const struct exit_record *rec, char *buf,
			     size_t len)
{
	switch (by) {
	case SUMMARY_BY_EXE:
		return rec->story.has_exe ? rec->story.exe : NULL;
	case SUMMARY_BY_UID:
		snprintf(buf, len, "%u", rec->uid);
		return buf;
	case SUMMARY_BY_CGROUP:
		return rec->cgroup.path;
	case SUMMARY_BY_CONTAINER:
		return rec->cgroup.container_id;
	default:
		memcpy(buf, rec->comm, TASK_COMM_LEN);
		buf[TASK_COMM_LEN - 1] = '\0';
		return buf;
	}
}

static unsigned int hist_bucket(uint64_t v)
{
	unsigned int e, b;

	if (v < HIST_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v); /* >= 3 */
	b = (e - 2) * HIST_SUB + (unsigned int)((v >> (e - 3)) & (HIST_SUB - 1));
	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

/* A bucket's [low, low + width) in units. */
static void bucket_range(unsigned int b, uint64_t *low, uint64_t *width)
{
	unsigned int e;

	if (b < HIST_SUB) {
		*low = b;
		*width = 1;
		return;
	}
	e = b / HIST_SUB + 2;
	*width = 1ULL << (e - 3);
	*low = (uint64_t)(HIST_SUB + b % HIST_SUB) * *width;
}

static void dist_add(struct summary_dist *d, uint64_t v)
{
	unsigned int b = hist_bucket(v >> d->shift);

	d->n++;
	d->sum += v;
	if (v > d->max)
		d->max = v;
	if (d->hist[b] != UINT32_MAX)
		d->hist[b]++;
}

void summary_add(struct summary *s, const struct exit_record *rec)
{
	char buf[TASK_COMM_LEN]; /* a comm, or a uid in decimal */
	struct summary_row *r = row_for(s, group_key(s->by, rec, buf, sizeof(buf)));
	const struct exit_story_info *st = &rec->story;

	s->exits++;
	r->count++;
	if (rec->signal) {
		r->failed++;
		if (rec->signal > 0 && rec->signal < SUMMARY_SIGNALS)
			r->signals[rec->signal]++;
		r->oom_kills += rec->cause.kind == CAUSE_OOM;
		r->cores += rec->core_dumped;
	} else {
		r->failed += rec->exit_code != 0;
		r->codes[rec->exit_code & 0xff]++;
	}
	dist_add(&r->age, rec->age_ns);
	if (st->present) {
		dist_add(&r->cpu, st->utime_us + st->stime_us);
		dist_add(&r->rss, st->maxrss_kb);
	}
}

uint64_t summary_p50(const struct summary_dist *d)
{
	uint64_t total = 0, seen = 0, low, width, mid;
	unsigned int b;

	if (d->n <= 1)
		return d->max;
	for (b = 0; b < HIST_BUCKETS; b++)
		total += d->hist[b];
	for (b = 0; b < HIST_BUCKETS; b++) {
		seen += d->hist[b];
		if (seen >= (total + 1) / 2)
			break;
	}
	bucket_range(b < HIST_BUCKETS ? b : HIST_BUCKETS - 1, &low, &width);
	mid = (low << d->shift) + (width << d->shift) / 2;
	return mid < d->max ? mid : d->max;
}

static int by_key(const char *x, const char *y)
{
	if (!x || !y)
		return x ? 1 : y ? -1 : 0;
	return strcmp(x, y);
}

static int by_failed_then_count(const void *a, const void *b)
{
	const struct summary_row *x = *(const struct summary_row *const *)a;
	const struct summary_row *y = *(const struct summary_row *const *)b;

	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return by_key(x->key, y->key);
}

unsigned int summary_sorted(const struct summary *s, const struct summary_row **rows)
{
	unsigned int n = s->nrows;

	memcpy(rows, s->rows, n * sizeof(*rows));
	qsort(rows, n, sizeof(*rows), by_failed_then_count);
	if (s->other.count)
		rows[n++] = &s->other;
	return n;
}

unsigned int summary_top(const uint64_t *counts, unsigned int len, unsigned int first,
			 unsigned int *out, unsigned int n)
{
	unsigned int i, j, k = 0;

	for (i = first; i < len; i++) {
		if (!counts[i])
			continue;
		/* insertion into out[0..k), most frequent first, lower value on ties */
		for (j = k; j > 0 && counts[out[j - 1]] < counts[i]; j--) {
			if (j < n)
				out[j] = out[j - 1];
		}
		if (j < n) {
			out[j] = i;
			if (k < n)
				k++;
		}
	}
	return k;
}
