// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "record/cgroup.h"
#include "lib/escape.h"

int cgroup_open_v2(const char *path, char *err, size_t errlen)
{
	const char *shown = escape_shown(path, strlen(path), SHOWN_MAX);
	struct statfs sfs;
	int fd, ret;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "-c '%s': %s", shown, strerror(errno));
		return ret;
	}
	if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		snprintf(err, errlen, "-c '%s': not a cgroup v2 directory", shown);
		return -ENOTDIR;
	}
	return fd;
}

/*
 * Memory cgroup ids back to paths without walking the tree: a cgroup's id
 * is its kernfs node id, which is also its file handle on the hierarchy's
 * mount (FILEID_KERNFS), so open_by_handle_at() finds the directory at
 * once and /proc/self/fd names it. Needs CAP_DAC_READ_SEARCH. The mounts
 * are opened up front, before the privileges are shed.
 */
#define FILEID_KERNFS 0xfe
#define MAX_MOUNTS 8

static int mount_fds[MAX_MOUNTS];
static int nr_mounts;

#define MEMCG_NAMES 256

static struct memcg_name {
	uint64_t id;
	char *path;
} memcg_names[MEMCG_NAMES];

static struct memcg_name *memcg_slot(uint64_t id)
{
	return &memcg_names[(id ^ id >> 8) % MEMCG_NAMES];
}

void cgroup_memcg_learn(uint64_t id, const char *path)
{
	struct memcg_name *m = memcg_slot(id);
	char *copy = strdup(path);

	if (!copy)
		return;
	free(m->path);
	m->id = id;
	m->path = copy;
}

int cgroup_mounts(char mounts[][CGROUP_MNT_MAX], int max, bool v1_memory)
{
	char line[4096], mnt[CGROUP_MNT_MAX], fstype[64], opts[1024];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		if (sscanf(sep, " - %63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (!strcmp(fstype, "cgroup2") ||
		    (v1_memory && !strcmp(fstype, "cgroup") && strstr(opts, "memory")))
			memcpy(mounts[n++], mnt, CGROUP_MNT_MAX);
	}
	fclose(f);
	return n;
}

void cgroup_memcg_open(void)
{
	char mounts[MAX_MOUNTS][CGROUP_MNT_MAX];
	int i, n = cgroup_mounts(mounts, MAX_MOUNTS, true), fd;

	for (i = 0; i < n; i++) {
		fd = open(mounts[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			mount_fds[nr_mounts++] = fd;
	}
}

void cgroup_memcg_close(void)
{
	int i;

	while (nr_mounts)
		close(mount_fds[--nr_mounts]);
	for (i = 0; i < MEMCG_NAMES; i++) {
		free(memcg_names[i].path);
		memcg_names[i].path = NULL;
		memcg_names[i].id = 0;
	}
}

int cgroup_path_on_mount(int mount_fd, uint64_t id, char *path, size_t len)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS } };
	char link[32];
	ssize_t n;
	int fd;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(mount_fd, &h.fh, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, len - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	path[n] = '\0';
	return 0;
}

const char *cgroup_path_by_id(uint64_t id, void *ctx)
{
	static char path[4096];
	static uint64_t cached_id;
	struct memcg_name *m = memcg_slot(id);
	int i;

	if (id && m->id == id)
		return m->path;
	if (cached_id == id && cached_id)
		return path;
	for (i = 0; i < nr_mounts; i++) {
		if (!cgroup_path_on_mount(mount_fds[i], id, path, sizeof(path))) {
			cached_id = id;
			return path;
		}
	}
	return NULL;
}

void cgroup_v2_root_open(struct cgroup_v2_root *r)
{
	char mounts[4][CGROUP_MNT_MAX];
	int i, n = cgroup_mounts(mounts, 4, false);

	r->fd = -1;
	r->mnt[0] = '\0';
	r->mnt_len = 0;
	for (i = 0; i < n; i++) {
		r->fd = open(mounts[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (r->fd < 0)
			continue;
		memcpy(r->mnt, mounts[i], sizeof(r->mnt));
		r->mnt_len = strlen(r->mnt);
		if (r->mnt_len == 1)
			r->mnt_len = 0; /* mounted at / */
		return;
	}
}

void cgroup_v2_root_close(struct cgroup_v2_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int cgroup_v2_resolve(uint64_t id, char *buf, size_t len, void *ctx)
{
	struct cgroup_v2_root *r = ctx;
	char full[4096];
	int err;

	if (r->fd < 0)
		return -ENOENT;
	err = cgroup_path_on_mount(r->fd, id, full, sizeof(full));
	if (err)
		return err;
	/* relative to the v2 root: strip the mount point */
	if (strncmp(full, r->mnt, r->mnt_len) || (full[r->mnt_len] && full[r->mnt_len] != '/'))
		return -ENOENT;
	snprintf(buf, len, "%s", full[r->mnt_len] ? full + r->mnt_len : "/");
	return 0;
}
