/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup helpers: the -c filter's directory, and memcg ids back to paths. */
#ifndef __CGROUP_H
#define __CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* Opens a cgroup v2 directory; -errno, with err set to a one-line reason. */
int cgroup_open_v2(const char *path, char *err, size_t errlen);

/* Opens the memory cgroup hierarchies' mounts, for cgroup_path_by_id(). */
void cgroup_memcg_open(void);
void cgroup_memcg_close(void);

/*
 * memcg_path_fn: the mounted directory whose cgroup (kernfs) id is id, or
 * NULL. A lookup by file handle, not a walk: its cost does not grow with
 * the number of cgroups. Needs CAP_DAC_READ_SEARCH.
 */
const char *cgroup_path_by_id(uint64_t id, void *ctx);

#endif /* __CGROUP_H */
