// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "output/summary.h"

struct summary *summary_new(uint64_t start_ns)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (s) {
		memset(s->index, 0xff, sizeof(s->index));
		s->start_ns = start_ns;
		s->other.other = true;
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
	s->start_ns = start_ns;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	summary_reset(s, 0);
	free(s);
}

/* FNV-1a over the name. */
static unsigned int hash(const char *comm)
{
	uint32_t h = 2166136261u;

	for (; *comm; comm++)
		h = (h ^ (unsigned char)*comm) * 16777619u;
	return h;
}

#define INDEX_LEN (2 * SUMMARY_MAX_COMMS)

static struct summary_row *row_for(struct summary *s, const char *comm)
{
	unsigned int i = hash(comm) & (INDEX_LEN - 1);
	struct summary_row *r;

	for (;; i = (i + 1) & (INDEX_LEN - 1)) {
		if (s->index[i] < 0)
			break;
		r = s->rows[s->index[i]];
		if (!strcmp(r->comm, comm))
			return r;
	}
	/* the index is never more than half full: a free slot is always found */
	if (s->nrows == SUMMARY_MAX_COMMS)
		return &s->other;
	r = calloc(1, sizeof(*r));
	if (!r)
		return &s->other;
	memcpy(r->comm, comm, TASK_COMM_LEN);
	r->comm[TASK_COMM_LEN - 1] = '\0';
	s->index[i] = (int16_t)s->nrows;
	s->rows[s->nrows++] = r;
	return r;
}

static unsigned int age_bucket(uint64_t ns)
{
	uint64_t v = ns >> 10;
	unsigned int e, b;

	if (v < AGE_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v); /* >= 3 */
	b = (e - 2) * AGE_SUB + (unsigned int)((v >> (e - 3)) & (AGE_SUB - 1));
	return b < AGE_BUCKETS ? b : AGE_BUCKETS - 1;
}

/* A bucket's [low, low + width) in ns. */
static void bucket_range(unsigned int b, uint64_t *low, uint64_t *width)
{
	unsigned int e;

	if (b < AGE_SUB) {
		*low = (uint64_t)b << 10;
		*width = 1 << 10;
		return;
	}
	e = b / AGE_SUB + 2;
	*width = 1ULL << (e - 3 + 10);
	*low = (uint64_t)(AGE_SUB + b % AGE_SUB) * *width;
}

void summary_add(struct summary *s, const struct exit_record *rec)
{
	struct summary_row *r = row_for(s, rec->comm);
	unsigned int b = age_bucket(rec->age_ns);

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
	if (r->age[b] != UINT32_MAX)
		r->age[b]++;
	if (rec->age_ns > r->age_max_ns)
		r->age_max_ns = rec->age_ns;
}

uint64_t summary_age_p50(const struct summary_row *r)
{
	uint64_t total = 0, seen = 0, low, width, mid;
	unsigned int b;

	if (r->count <= 1)
		return r->age_max_ns;
	for (b = 0; b < AGE_BUCKETS; b++)
		total += r->age[b];
	for (b = 0; b < AGE_BUCKETS; b++) {
		seen += r->age[b];
		if (seen >= (total + 1) / 2)
			break;
	}
	bucket_range(b < AGE_BUCKETS ? b : AGE_BUCKETS - 1, &low, &width);
	mid = low + width / 2;
	return mid < r->age_max_ns ? mid : r->age_max_ns;
}

static int by_failed_then_count(const void *a, const void *b)
{
	const struct summary_row *x = *(const struct summary_row *const *)a;
	const struct summary_row *y = *(const struct summary_row *const *)b;

	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->comm, y->comm);
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
