// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* New cgroups' names from the kernel: see cgname.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "bpf/exitsnoop.h"
#include "record/cgname.h"

_Static_assert(__builtin_offsetof(struct cgroup_name_event, flags) ==
		       __builtin_offsetof(struct exit_event, flags),
	       "a reader tells records apart by their flags");
_Static_assert(__builtin_offsetof(struct cgroup_name_event, path) == CGROUP_NAME_HEAD_SIZE,
	       "the kernel sends the head and the path's bytes");

int decode_cgroup_name(const void *data, size_t size, struct cgroup_name *n)
{
	const struct cgroup_name_event *r = data;

	if (size < CGROUP_NAME_HEAD_SIZE || !(r->flags & EXIT_F_CGROUP_NAME))
		return 0;
	if (r->path_len < 2 || r->path_len > CGROUP_NAME_MAX ||
	    size < CGROUP_NAME_HEAD_SIZE + r->path_len || r->path[r->path_len - 1] ||
	    strlen(r->path) != r->path_len - 1 || r->path[0] != '/')
		return -EINVAL;
	n->id = r->id;
	n->hierarchy = r->hierarchy;
	n->path = r->path;
	return 1;
}

/* The initial cgroup namespace's inode (include/linux/proc_ns.h, PROC_CGROUP_INIT_INO). */
#define CGROUP_INIT_INO "cgroup:[4026531835]"

static bool memory_option(const char *opts)
{
	const char *p = opts;
	size_t len = strlen("memory");

	while ((p = strstr(p, "memory"))) {
		if ((p == opts || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

/*
 * One line of /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTS... - FSTYPE SOURCE SUPEROPTS". The first cgroup2 mount is the one
 * the records' cgroups are named on (cgroup_v2_root_open()); a mount is
 * taken only when its root is the hierarchy's. True when the line was
 * taken.
 */
bool cgnames_parse_mount(const char *line, struct cgnames *n)
{
	char root[CGROUP_MNT_MAX], mnt[CGROUP_MNT_MAX], fstype[64], opts[1024];
	const char *sep = strstr(line, " - ");

	if (!sep || sscanf(line, "%*s %*s %*s %511s %511s", root, mnt) != 2 ||
	    sscanf(sep, " - %63s %*s %1023s", fstype, opts) != 2)
		return false;
	if (!strcmp(fstype, "cgroup2")) {
		if (n->v2_mnt[0] == '/' || n->v2_mnt[0] == '-')
			return false;
		/* "-": the first mount is not whole; no later one stands in for it */
		snprintf(n->v2_mnt, sizeof(n->v2_mnt), "%s", strcmp(root, "/") ? "-" : mnt);
		return true;
	}
	if (strcmp(fstype, "cgroup") || !memory_option(opts) || n->memory_mnt[0])
		return false;
	snprintf(n->memory_mnt, sizeof(n->memory_mnt), "%s", strcmp(root, "/") ? "-" : mnt);
	return true;
}

/* By readlink(), which the container profile allows (not stat(), which it need not). */
static bool initial_cgroup_ns(void)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/cgroup", link, sizeof(link) - 1);

	if (n <= 0)
		return false;
	link[n] = '\0';
	return !strcmp(link, CGROUP_INIT_INO);
}

void cgnames_init(struct cgnames *n, struct cgcache *v2, bool memcg)
{
	char line[4096];
	FILE *f;

	memset(n, 0, sizeof(*n));
	n->v2 = v2;
	n->memcg = memcg;
	n->direct = initial_cgroup_ns();
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		cgnames_parse_mount(line, n);
	fclose(f);
}

/* mnt and the path below it, as readlink() names the directory */
static void join(char *buf, size_t len, const char *mnt, const char *path)
{
	snprintf(buf, len, "%s%s", mnt, strcmp(path, "/") ? path : "");
}

static void learn_memcg(struct cgnames *n, const struct cgroup_name *c, const char *mnt)
{
	char full[CGROUP_MNT_MAX + CGROUP_NAME_MAX];
	const char *path;

	if (n->direct && mnt[0] == '/') {
		join(full, sizeof(full), mnt, c->path);
		cgroup_memcg_learn(c->id, full);
		return;
	}
	path = cgroup_path_by_id(c->id, NULL);
	if (path)
		cgroup_memcg_learn(c->id, path);
}

void cgnames_learn(struct cgnames *n, const struct cgroup_name *c)
{
	struct cgroup_info info;

	if (c->hierarchy) {
		if (n->memcg && n->memory_mnt[0])
			learn_memcg(n, c, n->memory_mnt);
		return;
	}
	if (n->memcg && !n->memory_mnt[0])
		learn_memcg(n, c, n->v2_mnt); /* the memory controller is on v2 */
	if (!n->v2)
		return;
	if (n->direct && n->v2_mnt[0] == '/')
		cgcache_learn(n->v2, c->id, c->path);
	else
		cgcache_lookup(n->v2, c->id, &info); /* by its id, while it is there */
}
