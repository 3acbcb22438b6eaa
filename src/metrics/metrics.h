/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Prometheus counters: decoded records in, the text exposition format
 * (as node_exporter's textfile collector reads it) out. Pure: no clock,
 * no files; the caller passes the time and the FILE.
 *
 * Labels are bounded by construction: how a process ended, the signal's
 * name, the cause's kind, the reason (code, signal, core, oom); OOM kills
 * also by container, pod or memory cgroup, and with
 * metrics_count_containers() exits too, by container and pod. Never a PID or a command name. A container's (or cgroup's)
 * OOM series that has not grown for METRICS_EXPIRY_S is dropped, and
 * at most METRICS_OOM_SERIES of them are kept (the one that grew least
 * recently gives way).
 */
#ifndef __METRICS_H
#define __METRICS_H

#include <stdint.h>
#include <stdio.h>
#include "record/event.h"

#define METRICS_EXPIRY_S 3600
#define METRICS_OOM_SERIES 256

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* --metrics-containers: exits per container too (container_exits.h); 0 or -ENOMEM. */
int metrics_count_containers(struct metrics *m);

/*
 * Counts one record at now_s (any monotonic seconds), enriched: an OOM
 * kill's container and pod are those its own (v2) cgroup's path names
 * (rec->cgroup.path), as JSON's container_id, else those its memory
 * cgroup's path names (rec->oom_memcg_path); else that path is the label.
 */
void metrics_record(struct metrics *m, const struct exit_record *rec, uint64_t now_s);

/* The tracer's running total of records lost. */
void metrics_set_lost(struct metrics *m, uint64_t lost);

/* Drops OOM series that have not grown since now_s - METRICS_EXPIRY_S. */
void metrics_expire(struct metrics *m, uint64_t now_s);

/* The whole exposition; errors are left on f. */
void metrics_render(const struct metrics *m, FILE *f, const char *version);

#endif /* __METRICS_H */
