/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup helpers: the -c filter's directory, and memcg ids back to paths. */
#ifndef __CGROUP_H
#define __CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* Opens a cgroup v2 directory; -errno, with err set to a one-line reason. */
int cgroup_open_v2(const char *path, char *err, size_t errlen);

/* memcg_path_fn: the mounted directory whose inode is id, or NULL. */
const char *cgroup_path_by_id(uint64_t id, void *ctx);

#endif /* __CGROUP_H */
