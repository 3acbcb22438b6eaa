// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Exits per container, bounded: see container_exits.h. */
#include <inttypes.h>
#include <string.h>
#include "metrics/container_exits.h"

static const char *const reason_names[REASONS] = { "code", "code", "signal", "core", "oom" };
static const char *const reason_outcomes[REASONS] = { "success", "failure", "signal", "signal",
						      "signal" };

enum exit_reason exit_reason_of(const struct exit_record *rec)
{
	if (!rec->signal)
		return rec->exit_code ? REASON_CODE_FAILURE : REASON_CODE_SUCCESS;
	if (rec->cause.kind == CAUSE_OOM)
		return REASON_OOM;
	return rec->core_dumped ? REASON_CORE : REASON_SIGNAL;
}

const char *exit_reason_name(enum exit_reason r)
{
	return reason_names[r];
}

const char *exit_reason_outcome(enum exit_reason r)
{
	return reason_outcomes[r];
}

/* FNV-1a over both ids, never 0 (a free slot's). */
static uint64_t ids_hash(const char *id, const char *pod)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
	h = (h ^ '/') * 0x100000001b3ull;
	for (; *pod; pod++)
		h = (h ^ (unsigned char)*pod) * 0x100000001b3ull;
	return h ? h : 1;
}

static void fold(struct container_exits *c, unsigned int i)
{
	unsigned int r;

	for (r = 0; r < REASONS; r++)
		c->other[r] += c->slot[i].count[r];
	c->hash[i] = 0;
	c->folded++;
}

/* The container's slot; else a free one; else the stalest's, folded first. */
static struct container_counts *slot_for(struct container_exits *c, const char *id,
					 const char *pod, uint64_t now_s)
{
	uint64_t h = ids_hash(id, pod);
	unsigned int i, free_i = CONTAINER_SERIES_MAX, stalest = CONTAINER_SERIES_MAX;
	struct container_counts *s;

	for (i = 0; i < CONTAINER_SERIES_MAX; i++) {
		if (!c->hash[i]) {
			free_i = free_i < i ? free_i : i;
			continue;
		}
		s = &c->slot[i];
		if (c->hash[i] == h && !strcmp(s->container_id, id) && !strcmp(s->pod_uid, pod))
			return s;
		if (stalest == CONTAINER_SERIES_MAX || s->last_s < c->slot[stalest].last_s)
			stalest = i;
	}
	if (free_i == CONTAINER_SERIES_MAX) {
		fold(c, stalest);
		free_i = stalest;
	}
	s = &c->slot[free_i];
	memset(s, 0, sizeof(*s));
	snprintf(s->container_id, sizeof(s->container_id), "%s", id);
	snprintf(s->pod_uid, sizeof(s->pod_uid), "%s", pod);
	s->last_s = now_s;
	c->hash[free_i] = h;
	return s;
}

void container_exits_record(struct container_exits *c, const struct exit_record *rec,
			    uint64_t now_s)
{
	const char *id = rec->cgroup.container_id, *pod = rec->cgroup.pod_uid;
	struct container_counts *s;

	if (!id && !pod)
		return;
	s = slot_for(c, id ? id : "", pod ? pod : "", now_s);
	s->count[exit_reason_of(rec)]++;
	s->last_s = now_s;
}

void container_exits_expire(struct container_exits *c, uint64_t now_s, uint64_t expiry_s)
{
	unsigned int i;

	for (i = 0; i < CONTAINER_SERIES_MAX; i++) {
		if (c->hash[i] && now_s - c->slot[i].last_s >= expiry_s)
			fold(c, i);
	}
}

/* Label values here are hex digits and dashes (container.c's): no escaping. */
static void sample(FILE *f, const char *id, const char *pod, enum exit_reason r, uint64_t n)
{
	if (!n)
		return;
	fputs("exitsnoop_container_exits_total{", f);
	if (*id)
		fprintf(f, "container_id=\"%s\",", id);
	if (*pod)
		fprintf(f, "pod_uid=\"%s\",", pod);
	fprintf(f, "outcome=\"%s\",reason=\"%s\"} %" PRIu64 "\n", reason_outcomes[r],
		reason_names[r], n);
}

void container_exits_render(const struct container_exits *c, FILE *f)
{
	unsigned int i, r;

	fputs("# HELP exitsnoop_container_exits_total Processes (threads with -T) in a container "
	      "or pod that ended, by outcome and reason; container_id=\"other\": those folded "
	      "out of the bound.\n# TYPE exitsnoop_container_exits_total counter\n", f);
	for (i = 0; i < CONTAINER_SERIES_MAX; i++) {
		if (!c->hash[i])
			continue;
		for (r = 0; r < REASONS; r++)
			sample(f, c->slot[i].container_id, c->slot[i].pod_uid, r,
			       c->slot[i].count[r]);
	}
	for (r = 0; r < REASONS; r++)
		sample(f, "other", "other", r, c->other[r]);
	fprintf(f, "# HELP exitsnoop_container_series_folded_total Containers whose exits were "
		"folded into container_id=\"other\": beyond %d, or idle.\n"
		"# TYPE exitsnoop_container_series_folded_total counter\n"
		"exitsnoop_container_series_folded_total %" PRIu64 "\n", CONTAINER_SERIES_MAX,
		c->folded);
}
