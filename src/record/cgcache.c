// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgroup v2 id -> path, container ID and pod UID: see cgcache.h. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "record/cgcache.h"
#include "record/cgroup.h"

void cgcache_init(struct cgcache *c, cgroup_resolve_fn resolve, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->resolve = resolve;
	c->ctx = ctx;
}

void cgcache_free(struct cgcache *c)
{
	size_t i;

	for (i = 0; i < CGCACHE_SLOTS; i++) {
		free(c->slot[i].path);
		free(c->slot[i].memo.text);
	}
	memset(c->slot, 0, sizeof(c->slot));
}

static struct cgcache_slot *slot_of(struct cgcache *c, uint64_t id)
{
	struct cgcache_slot *s = &c->slot[(id ^ id >> 10) % CGCACHE_SLOTS];

	if (s->id == id)
		return s;
	free(s->path);
	free(s->memo.text);
	memset(s, 0, sizeof(*s));
	s->id = id;
	return s;
}

static void slot_set_path(struct cgcache_slot *s, const char *path)
{
	s->path = strdup(path);
	if (s->path)
		container_parse(s->path, &s->ids);
}

void cgcache_learn(struct cgcache *c, uint64_t id, const char *path)
{
	struct cgcache_slot *s;

	if (!id)
		return;
	s = slot_of(c, id);
	if (s->path)
		return; /* learnt already: the same path */
	slot_set_path(s, path);
}

/*
 * Direct-mapped: a new id takes its slot's place. A failure is cached
 * too (a removed cgroup does not come back under the same id), so a
 * storm of exits from a vanished cgroup costs one attempt.
 */
void cgcache_lookup(struct cgcache *c, uint64_t id, struct cgroup_info *info)
{
	struct cgcache_slot *s;
	char path[4096];

	memset(info, 0, sizeof(*info));
	if (!id)
		return;
	s = &c->slot[(id ^ id >> 10) % CGCACHE_SLOTS];
	if (s->id != id) {
		s = slot_of(c, id);
		if (c->resolve && !c->resolve(id, path, sizeof(path), c->ctx))
			slot_set_path(s, path);
	}
	info->memo = &s->memo;
	info->path = s->path;
	if (s->path && s->ids.container_id[0])
		info->container_id = s->ids.container_id;
	if (s->path && s->ids.pod_uid[0])
		info->pod_uid = s->ids.pod_uid;
}

void cgroup_memo_keep(struct cgroup_memo *m, const char *text, size_t len)
{
	char *copy = malloc(len);

	if (!copy)
		return;
	memcpy(copy, text, len);
	m->text = copy;
	m->len = len;
}
