// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgroup v2 id -> path, container ID and pod UID: see cgcache.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgcache.h"

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

/*
 * Direct-mapped: a new id takes its slot's place. A failure is cached
 * too (a removed cgroup does not come back under the same id), so a
 * storm of exits from a vanished cgroup costs one attempt.
 */
void cgcache_lookup(struct cgcache *c, uint64_t id, struct cgroup_info *info)
{
	struct cgcache_slot *s = &c->slot[(id ^ id >> 10) % CGCACHE_SLOTS];
	char path[4096];

	memset(info, 0, sizeof(*info));
	if (!id)
		return;
	if (s->id != id) {
		free(s->path);
		free(s->memo.text);
		memset(s, 0, sizeof(*s));
		s->id = id;
		if (c->resolve && !c->resolve(id, path, sizeof(path), c->ctx)) {
			s->path = strdup(path);
			if (s->path)
				container_parse(s->path, &s->ids);
		}
	}
	info->memo = &s->memo;
	info->path = s->path;
	if (s->path && s->ids.container_id[0])
		info->container_id = s->ids.container_id;
	if (s->path && s->ids.pod_uid[0])
		info->pod_uid = s->ids.pod_uid;
}

void cgroup_v2_root_open(struct cgroup_v2_root *r)
{
	char line[4096], mnt[512], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	r->fd = -1;
	r->mnt[0] = '\0';
	r->mnt_len = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		r->fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (r->fd < 0)
			continue;
		snprintf(r->mnt, sizeof(r->mnt), "%s", mnt);
		r->mnt_len = strlen(r->mnt);
		if (r->mnt_len == 1)
			r->mnt_len = 0; /* mounted at / */
		break;
	}
	fclose(f);
}

void cgroup_v2_root_close(struct cgroup_v2_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

#define FILEID_KERNFS 0xfe

int cgroup_v2_resolve(uint64_t id, char *buf, size_t len, void *ctx)
{
	struct cgroup_v2_root *r = ctx;
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS } };
	char link[32], full[4096];
	ssize_t n;
	int fd;

	if (r->fd < 0)
		return -ENOENT;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(r->fd, &h.fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, full, sizeof(full) - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	full[n] = '\0';
	/* relative to the v2 root: strip the mount point */
	if (strncmp(full, r->mnt, r->mnt_len) || (full[r->mnt_len] && full[r->mnt_len] != '/'))
		return -ENOENT;
	snprintf(buf, len, "%s", full[r->mnt_len] ? full + r->mnt_len : "/");
	return 0;
}
