// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counters of exits for Prometheus: see metrics.h. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record/container.h"
#include "lib/escape.h"
#include "metrics/container_exits.h"
#include "metrics/metrics.h"
#include "record/signame.h"

enum outcome {
	OUTCOME_SUCCESS,	/* exit code 0 */
	OUTCOME_FAILURE,	/* another exit code */
	OUTCOME_SIGNAL,		/* killed by a signal */
	OUTCOMES,
};

static const char *const outcome_names[OUTCOMES] = { "success", "failure", "signal" };

#define SIGNAL_SLOTS 66		/* 0 (none), 1..64, and one for anything past */
#define CAUSE_KINDS (CAUSE_OOM + 1)
#define MEMCG_LABEL_MAX 512

struct oom_series {
	bool used;
	bool memcg;		/* a memory cgroup's limit, not the machine's */
	char container_id[CONTAINER_ID_LEN + 1];
	char pod_uid[POD_UID_LEN + 1];
	char memcg_path[MEMCG_LABEL_MAX];	/* only without a container or pod */
	uint64_t count;
	uint64_t last_s;	/* when it last grew */
};

struct metrics {
	uint64_t exits[OUTCOMES][SIGNAL_SLOTS][CAUSE_KINDS][2]; /* [1]: a core was dumped */
	uint64_t core_dumps[SIGNAL_SLOTS];
	uint64_t lost;
	struct oom_series oom[METRICS_OOM_SERIES];
	/* exits by group: --metrics-containers, else NULL */
	struct container_exits *containers;
};

struct metrics *metrics_new(void)
{
	return calloc(1, sizeof(struct metrics));
}

void metrics_free(struct metrics *m)
{
	if (m)
		free(m->containers);
	free(m);
}

int metrics_count_containers(struct metrics *m)
{
	if (!m->containers)
		m->containers = calloc(1, sizeof(*m->containers));
	return m->containers ? 0 : -ENOMEM;
}

static int signal_slot(int sig)
{
	if (sig < 0 || sig >= SIGNAL_SLOTS)
		return SIGNAL_SLOTS - 1;
	return sig;
}

#define CUT_MARK_LEN 18	/* "\\#" and 16 hex digits */

/* The bytes of the escape or character at s, in escape_text()'s output. */
static size_t escaped_unit(const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (c == '\\')
		return s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 2;
	if (c < 0x80)
		return 1;
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
}

/* FNV-1a, 64 bits: stable across runs and builds, so a cut path keeps its series. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/*
 * The memcg label: the path escaped as everywhere (escape_text(): lossless,
 * valid UTF-8, no control byte), so that two cgroups never share a series.
 * One too long for the label is cut at a whole character or escape and
 * ends in "\\#" and the 64-bit FNV-1a hash of the whole path: escape_text()
 * never writes "\\#", so a cut label is never another path's whole one.
 */
static void memcg_label(char *out, size_t outlen, const char *path)
{
	static char esc[ESCAPED_LEN(PATH_MAX)];
	size_t n = escape_text(esc, sizeof(esc), path, strlen(path)), cut = 0, u;

	if (n < outlen && n < sizeof(esc) - 1) {
		memcpy(out, esc, n + 1);
		return;
	}
	while (cut < n && cut + (u = escaped_unit(esc + cut)) < outlen - CUT_MARK_LEN)
		cut += u;
	snprintf(out, outlen, "%.*s\\#%016" PRIx64, (int)cut, esc, fnv1a(path));
}

/* The series' labels for this kill; ignores used, count and last_s. */
static void oom_labels(struct oom_series *o, const struct exit_record *rec, const char *path,
		       const char *cgroup)
{
	struct container_ids ids;

	memset(o, 0, sizeof(*o));
	o->memcg = rec->cause.oom_memcg;
	if (!o->memcg)
		return;
	/* the victim's container, as its records name it, before its memcg's */
	if ((cgroup && container_parse(cgroup, &ids)) || (path && container_parse(path, &ids))) {
		memcpy(o->container_id, ids.container_id, sizeof(o->container_id));
		memcpy(o->pod_uid, ids.pod_uid, sizeof(o->pod_uid));
		return;
	}
	if (path)
		memcg_label(o->memcg_path, sizeof(o->memcg_path), path);
}

static bool same_labels(const struct oom_series *a, const struct oom_series *b)
{
	return a->memcg == b->memcg && !strcmp(a->container_id, b->container_id) &&
	       !strcmp(a->pod_uid, b->pod_uid) && !strcmp(a->memcg_path, b->memcg_path);
}

/* The series with these labels; else a free slot; else the stalest. */
static struct oom_series *oom_slot(struct metrics *m, const struct oom_series *want)
{
	struct oom_series *free_slot = NULL, *stalest = NULL, *o;

	for (o = m->oom; o < m->oom + METRICS_OOM_SERIES; o++) {
		if (!o->used) {
			free_slot = free_slot ? free_slot : o;
			continue;
		}
		if (same_labels(o, want))
			return o;
		if (!stalest || o->last_s < stalest->last_s)
			stalest = o;
	}
	o = free_slot ? free_slot : stalest;
	*o = *want;
	o->used = true;
	return o;
}

static void count_oom(struct metrics *m, const struct exit_record *rec, const char *path,
		      const char *cgroup, uint64_t now_s)
{
	struct oom_series want, *o;

	oom_labels(&want, rec, path, cgroup);
	o = oom_slot(m, &want);
	o->count++;
	o->last_s = now_s;
}

void metrics_record(struct metrics *m, const struct exit_record *rec, uint64_t now_s)
{
	enum outcome oc = OUTCOME_SIGNAL;
	int slot = 0, kind = rec->cause.kind;

	if (!rec->signal)
		oc = rec->exit_code ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
	else
		slot = signal_slot(rec->signal);
	if (kind < 0 || kind >= CAUSE_KINDS)
		kind = CAUSE_UNKNOWN;
	m->exits[oc][slot][kind][rec->core_dumped]++;
	if (rec->core_dumped)
		m->core_dumps[slot]++;
	if (rec->signal && rec->cause.kind == CAUSE_OOM)
		count_oom(m, rec, rec->oom_memcg_path, rec->cgroup.path, now_s);
	if (m->containers)
		container_exits_record(m->containers, rec, now_s);
}

void metrics_set_lost(struct metrics *m, uint64_t lost)
{
	m->lost = lost;
}

/* A series that names something which can go away: a container, pod or cgroup. */
static bool expires(const struct oom_series *o)
{
	return o->container_id[0] || o->pod_uid[0] || o->memcg_path[0];
}

void metrics_expire(struct metrics *m, uint64_t now_s)
{
	struct oom_series *o;

	for (o = m->oom; o < m->oom + METRICS_OOM_SERIES; o++) {
		if (o->used && expires(o) && now_s - o->last_s >= METRICS_EXPIRY_S)
			o->used = false;
	}
	if (m->containers)
		container_exits_expire(m->containers, now_s, METRICS_EXPIRY_S);
}

/*
 * A label value: the format escapes only backslash, quote and newline,
 * and a scraper rejects the whole file for invalid UTF-8, so other
 * control bytes and invalid sequences become '?'.
 */
static void label_value(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	unsigned int cp;
	int len;

	fputc('"', f);
	while (n) {
		len = *p >= 0x80 ? utf8_sequence(p, n, &cp) : 1;
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (!len || *p < 0x20 || *p == 0x7f)
			fputc('?', f);
		else
			fwrite(p, 1, (size_t)len, f);
		len = len ? len : 1;
		p += len;
		n -= (size_t)len;
	}
	fputc('"', f);
}

static void label(FILE *f, bool *first, const char *name, const char *value)
{
	fprintf(f, "%s%s=", *first ? "{" : ",", name);
	label_value(f, value);
	*first = false;
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The reason label: how it ended, as exit_reason_of() tells it. */
static const char *reason_of(int oc, int kind, int core)
{
	if (oc != OUTCOME_SIGNAL)
		return "code";
	if (kind == CAUSE_OOM)
		return "oom";
	return core ? "core" : "signal";
}

static void render_exits(const struct metrics *m, FILE *f)
{
	char sig[SIGNAME_LEN];
	int oc, s, k, c;

	head(f, "exitsnoop_exits_total", "counter",
	     "Processes (threads with -T) that ended, by outcome, fatal signal, cause and reason.");
	for (oc = 0; oc < OUTCOMES; oc++) {
		for (s = 0; s < SIGNAL_SLOTS; s++) {
			for (k = 0; k < CAUSE_KINDS; k++) {
				for (c = 0; c < 2; c++) {
					bool first = true;

					if (!m->exits[oc][s][k][c])
						continue;
					fputs("exitsnoop_exits_total", f);
					label(f, &first, "outcome", outcome_names[oc]);
					if (s)
						label(f, &first, "signal",
						      signal_abbrev(s, sig, sizeof(sig)));
					label(f, &first, "cause", cause_kind_name((enum cause_kind)k));
					label(f, &first, "reason", reason_of(oc, k, c));
					fprintf(f, "} %" PRIu64 "\n", m->exits[oc][s][k][c]);
				}
			}
		}
	}
}

static void render_core_dumps(const struct metrics *m, FILE *f)
{
	char sig[SIGNAME_LEN];
	int s;

	head(f, "exitsnoop_core_dumps_total", "counter",
	     "Processes that ended with a core dump, by signal.");
	for (s = 0; s < SIGNAL_SLOTS; s++) {
		if (m->core_dumps[s])
			fprintf(f, "exitsnoop_core_dumps_total{signal=\"%s\"} %" PRIu64 "\n",
				signal_abbrev(s, sig, sizeof(sig)), m->core_dumps[s]);
	}
}

static void render_oom(const struct metrics *m, FILE *f)
{
	const struct oom_series *o;

	head(f, "exitsnoop_oom_kills_total", "counter",
	     "Processes the OOM killer chose, by container and pod, else memory cgroup.");
	for (o = m->oom; o < m->oom + METRICS_OOM_SERIES; o++) {
		bool first = true;

		if (!o->used)
			continue;
		fputs("exitsnoop_oom_kills_total", f);
		label(f, &first, "scope", o->memcg ? "memcg" : "global");
		if (o->container_id[0])
			label(f, &first, "container_id", o->container_id);
		if (o->pod_uid[0])
			label(f, &first, "pod_uid", o->pod_uid);
		if (o->memcg_path[0])
			label(f, &first, "memcg", o->memcg_path);
		fprintf(f, "} %" PRIu64 "\n", o->count);
	}
}

void metrics_render(const struct metrics *m, FILE *f, const char *version)
{
	bool first = true;

	render_exits(m, f);
	render_core_dumps(m, f);
	render_oom(m, f);
	if (m->containers)
		container_exits_render(m->containers, f);
	head(f, "exitsnoop_events_lost_total", "counter",
	     "Records lost because the ring buffer was full.");
	fprintf(f, "exitsnoop_events_lost_total %" PRIu64 "\n", m->lost);
	head(f, "exitsnoop_build_info", "gauge", "Always 1; the version in a label.");
	fputs("exitsnoop_build_info", f);
	label(f, &first, "version", version);
	fputs("} 1\n", f);
}
