/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics-file: the counters (metrics.c), a timer for the event loop,
 * and the file they are rewritten to (metrics_file.c) at every tick and
 * once more at the end.
 */
#ifndef __EXPORTER_H
#define __EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "record/event.h"

struct exporter;

/*
 * Opens path's directory (before privileges may be dropped) and the
 * timer; NULL with err set to a one-line reason. containers: exits are
 * counted per container too (--metrics-containers).
 */
struct exporter *exporter_open(const char *path, int interval_s, bool containers, char *err,
			       size_t errlen);

/* The timer's descriptor, for epoll: readable at each interval. */
int exporter_timer_fd(const struct exporter *e);

/* The metrics file's directory: rewrites are relative to it. */
int exporter_dir_fd(const struct exporter *e);

/* Counts one enriched record (metrics_record()). */
void exporter_record(struct exporter *e, const struct exit_record *rec);

/*
 * Rewrites the file with lost as the loss count; first consumes the
 * timer's expiry. A failure is logged once until a write succeeds again;
 * returns 0 or -errno.
 */
int exporter_write(struct exporter *e, uint64_t lost);

void exporter_close(struct exporter *e);

#endif /* __EXPORTER_H */
