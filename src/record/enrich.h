/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the kernel's record does not carry, looked up in user space once
 * per record, before any sink sees it: the cgroup's path and container,
 * and the OOM kill's memory cgroup path. The sinks (output, metrics) then
 * render the record alone.
 */
#ifndef __ENRICH_H
#define __ENRICH_H

#include <stdint.h>
#include "record/event.h"

/* A memory cgroup id to its path; NULL if unknown. */
typedef const char *(*memcg_path_fn)(uint64_t id, void *ctx);
/* A cgroup v2 id to its path and container; all NULL if unknown. */
typedef void (*cgroup_info_fn)(uint64_t id, struct cgroup_info *info, void *ctx);

struct enricher {
	cgroup_info_fn cgroup_info;	/* NULL: no cgroup is looked up */
	void *cgroup_ctx;
	memcg_path_fn memcg_path;	/* NULL: no memory cgroup is looked up */
	void *memcg_ctx;
};

void record_enrich(const struct enricher *e, struct exit_record *rec);

#endif /* __ENRICH_H */
