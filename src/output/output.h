/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Output backends: one decoded struct exit_record, several renderings.
 * Backends write to a FILE and never decide what is traced; write errors
 * are left on the FILE for the caller's ferror().
 */
#ifndef __OUTPUT_H
#define __OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "record/cgcache.h"
#include "record/event.h"

/* Resolves a memory cgroup id to a path; NULL if unknown. */
typedef const char *(*memcg_path_fn)(uint64_t id, void *ctx);
/* A cgroup v2 id to its path and container; all NULL if unknown. */
typedef void (*cgroup_info_fn)(uint64_t id, struct cgroup_info *info, void *ctx);

struct output_config {
	bool json;
	bool timestamp;
	bool utc;
	bool why;		/* table: append the cause to EXIT_CODE */
	const char *label;	/* NULL: no label */
	memcg_path_fn memcg_path;
	void *memcg_ctx;
	bool summary;		/* count per name; print at output_report() */
	unsigned int max_rows;	/* summary table: rows shown, 0 for all */
	cgroup_info_fn cgroup_info;
	void *cgroup_ctx;
	bool args;		/* table: an ARGS last column */
	bool rusage;		/* table: CPU(s) and MAXRSS(KB) */
	bool container;		/* table: CONTAINER */
};

struct output;
struct summary;

struct output_ops {
	void (*header)(struct output *out);
	void (*record)(struct output *out, const struct exit_record *rec);
	/* summary: print what was counted since start_ns, up to now_ns */
	void (*report)(struct output *out, uint64_t now_ns);
	/* a backend that gathers lines itself: hand them to the FILE */
	void (*flush)(struct output *out);
};

struct json_lines;

struct output {
	const struct output_ops *ops;
	FILE *f;
	struct output_config cfg;
	struct summary *sum;
	struct json_lines *json;	/* JSON Lines' batch */
};

extern const struct output_ops table_output_ops;
extern const struct output_ops json_output_ops;
extern const struct output_ops summary_table_ops;
extern const struct output_ops summary_json_ops;

/* 0, or -ENOMEM. now_ns: wall clock, the start of a summary's first interval. */
int output_init(struct output *out, FILE *f, const struct output_config *cfg);
void output_fini(struct output *out);

/* The summary since the last report (and a new interval from now_ns); a no-op for lines. */
static inline void output_report(struct output *out, uint64_t now_ns)
{
	if (out->ops->report)
		out->ops->report(out, now_ns);
}

/* What the backend gathered, to the FILE: after every batch of records. */
static inline void output_flush(struct output *out)
{
	if (out->ops->flush)
		out->ops->flush(out);
}

/* The backend gathers its lines itself: a stdio buffer would only copy them again. */
static inline bool output_batches(const struct output *out)
{
	return out->ops->flush != NULL;
}

static inline void output_header(struct output *out)
{
	out->ops->header(out);
}

static inline void output_record(struct output *out, const struct exit_record *rec)
{
	out->ops->record(out, rec);
}

/* JSON Lines' batch for f; NULL when out of memory. */
struct json_lines *json_lines_new(FILE *f);
void json_lines_free(struct json_lines *j);

/* Shared by the backends. */
const char *output_memcg_path(const struct output *out, uint64_t id);
void format_bytes(char *buf, size_t len, uint64_t bytes);
void output_cgroup(const struct output *out, const struct exit_record *rec,
		   struct cgroup_info *info);
/* Keeps a copy of len bytes of text as the cgroup's memo (none when out of memory). */
void output_cgroup_keep(struct cgroup_memo *m, const char *text, size_t len);

#endif /* __OUTPUT_H */
