/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * New cgroups' names, as the kernel sends them when a cgroup is made
 * (struct cgroup_name_event): kept, so that a cgroup removed before its
 * exit records are read (a container's, as soon as its last process has
 * gone) is still named. Cgroups made before tracing began are looked up
 * by id, as they always were.
 */
#ifndef __CGNAME_H
#define __CGNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "record/cgcache.h"
#include "record/cgroup.h"

struct cgroup_name {
	uint64_t id;
	uint32_t hierarchy;	/* 0: cgroup v2 */
	const char *path;	/* in the record, NUL-terminated */
};

/* 1 with n filled for a cgroup's name, 0 for any other record, -EINVAL when malformed. */
int decode_cgroup_name(const void *data, size_t size, struct cgroup_name *n);

struct cgnames {
	struct cgcache *v2;	/* NULL: the records' cgroups are not wanted */
	bool memcg;		/* an OOM kill's memory cgroup is wanted */
	/*
	 * The kernel's paths are as this process sees them: it runs in the
	 * initial cgroup namespace, and the mount shows the whole
	 * hierarchy. Else each new cgroup is looked up by its id at once.
	 */
	bool direct;
	char v2_mnt[CGROUP_MNT_MAX];	/* "": no whole cgroup v2 mount */
	char memory_mnt[CGROUP_MNT_MAX]; /* "": memory is not a v1 hierarchy */
};

/* v2: the cache the records' cgroups are named from, or NULL. */
void cgnames_init(struct cgnames *n, struct cgcache *v2, bool memcg);
void cgnames_learn(struct cgnames *n, const struct cgroup_name *c);

/* The mountinfo lines' facts cgnames_init() uses: pure, for tests. */
bool cgnames_parse_mount(const char *line, struct cgnames *n);

#endif /* __CGNAME_H */
