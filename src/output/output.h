/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Output backends: one decoded and enriched struct exit_record, several
 * renderings, each a function of the record and the options alone.
 * Backends write to a FILE and never decide what is traced; write errors
 * are left on the FILE for the caller's ferror().
 */
#ifndef __OUTPUT_H
#define __OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "record/event.h"

struct output_config {
	bool json;
	bool timestamp;
	bool utc;
	bool why;		/* table: append the cause to EXIT_CODE */
	const char *label;	/* NULL: no label */
	bool summary;		/* count per group; print at output_report() */
	/* exits by group */
	int summary_by;		/* --summary-by: enum summary_by (output/summary.h) */
	unsigned int max_rows;	/* summary table: rows shown, 0 for all */
	bool args;		/* table: an ARGS last column */
	bool rusage;		/* table: CPU(s) and MAXRSS(KB) */
	bool container;		/* table: CONTAINER */
	bool ancestors;		/* table: ANCESTORS */
	size_t batch_bytes;	/* JSON: lines gathered per write, 0 for the default */
};

struct output;

struct output_ops {
	/* the backend's state in out->priv: 0, or -ENOMEM */
	int (*init)(struct output *out);
	void (*fini)(struct output *out);
	void (*header)(struct output *out);	/* NULL: none */
	void (*record)(struct output *out, const struct exit_record *rec);
	/* tracing has begun at now_ns (wall clock): a summary counts from then */
	void (*start)(struct output *out, uint64_t now_ns);
	/* summary: print what was counted since start_ns, up to now_ns */
	void (*report)(struct output *out, uint64_t now_ns);
	/* a backend that gathers lines itself: hand them to the FILE */
	void (*flush)(struct output *out);
};

struct output {
	const struct output_ops *ops;
	FILE *f;
	struct output_config cfg;
	void *priv;			/* the backend's */
};

extern const struct output_ops table_output_ops;
extern const struct output_ops json_output_ops;
extern const struct output_ops summary_table_ops;
extern const struct output_ops summary_json_ops;

/* Chooses the backend: 0, or -ENOMEM. */
int output_init(struct output *out, FILE *f, const struct output_config *cfg);
void output_fini(struct output *out);

static inline void output_start(struct output *out, uint64_t now_ns)
{
	if (out->ops->start)
		out->ops->start(out, now_ns);
}

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
	if (out->ops->header)
		out->ops->header(out);
}

static inline void output_record(struct output *out, const struct exit_record *rec)
{
	out->ops->record(out, rec);
}

/* The table's: binary units, rounded to the nearest ("512 MiB", "300 KiB"). */
void format_bytes(char *buf, size_t len, uint64_t bytes);

#endif /* __OUTPUT_H */
