/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup helpers: the -c filter's directory, and cgroup v2 and memcg ids back to paths. */
#ifndef __CGROUP_H
#define __CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opens a cgroup v2 directory; -errno, with err set to a one-line reason. */
int cgroup_open_v2(const char *path, char *err, size_t errlen);

#define CGROUP_MNT_MAX 512

/* Mount points of cgroup v2, and with v1_memory of v1 hierarchies with the memory controller. */
int cgroup_mounts(char mounts[][CGROUP_MNT_MAX], int max, bool v1_memory);

/*
 * The path of the directory whose cgroup (kernfs) id is id, under the
 * mount open at mount_fd: the id is its file handle (FILEID_KERNFS).
 * 0, or -errno. Needs CAP_DAC_READ_SEARCH.
 */
int cgroup_path_on_mount(int mount_fd, uint64_t id, char *path, size_t len);

/* Opens the memory cgroup hierarchies' mounts, for cgroup_path_by_id(). */
void cgroup_memcg_open(void);
void cgroup_memcg_close(void);

/*
 * memcg_path_fn: the mounted directory whose cgroup (kernfs) id is id, or
 * NULL. A lookup by file handle, not a walk: its cost does not grow with
 * the number of cgroups. Needs CAP_DAC_READ_SEARCH.
 */
const char *cgroup_path_by_id(uint64_t id, void *ctx);

/*
 * A memory cgroup's mounted path, known before an OOM kill in it is read
 * (record/cgname.h): cgroup_path_by_id() finds it there first, so that a
 * memory cgroup removed since is still named. Bounded: a new id takes its
 * slot's place.
 */
void cgroup_memcg_learn(uint64_t id, const char *path);

/*
 * cgcache's resolver: the id is the directory's file handle on the v2
 * mount (FILEID_KERNFS), opened with open_by_handle_at(). ctx is a
 * struct cgroup_v2_root from cgroup_v2_root_open().
 */
struct cgroup_v2_root {
	int fd;				/* -1: no cgroup v2 mount */
	char mnt[CGROUP_MNT_MAX];
	size_t mnt_len;
};

void cgroup_v2_root_open(struct cgroup_v2_root *r);
void cgroup_v2_root_close(struct cgroup_v2_root *r);
int cgroup_v2_resolve(uint64_t id, char *buf, size_t len, void *ctx);

#endif /* __CGROUP_H */
