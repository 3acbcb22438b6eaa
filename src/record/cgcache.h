/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cgroup v2 ids back to paths (relative to the v2 root; cgroup.h's
 * cgroup_v2_resolve() finds them), with the container ID and pod UID
 * parsed from each, in a bounded cache: an exit storm from one container
 * resolves its cgroup once.
 */
#ifndef __CGCACHE_H
#define __CGCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "record/cgroup.h"
#include "record/container.h"
#include "record/event.h"

#define CGCACHE_SLOTS 1024

/* Writes the path of cgroup id into buf: 0, or -errno. Swappable. */
typedef int (*cgroup_resolve_fn)(uint64_t id, char *buf, size_t len, void *ctx);

struct cgcache_slot {
	uint64_t id;			/* 0: empty */
	char *path;			/* NULL: could not be resolved */
	struct container_ids ids;
	struct cgroup_memo memo;
};

struct cgcache {
	cgroup_resolve_fn resolve;
	void *ctx;
	struct cgcache_slot slot[CGCACHE_SLOTS];
};

void cgcache_init(struct cgcache *c, cgroup_resolve_fn resolve, void *ctx);
void cgcache_free(struct cgcache *c);
/* Keeps a copy of len bytes of text as a cgroup's memo (none when out of memory). */
void cgroup_memo_keep(struct cgroup_memo *m, const char *text, size_t len);
/* A cgroup's path, known before it is looked up: it replaces its slot's entry. */
void cgcache_learn(struct cgcache *c, uint64_t id, const char *path);
/* Fills info; every field NULL when id is 0 or cannot be resolved. */
void cgcache_lookup(struct cgcache *c, uint64_t id, struct cgroup_info *info);

#endif /* __CGCACHE_H */
