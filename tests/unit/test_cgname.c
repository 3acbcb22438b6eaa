// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgname: the kernel's record of a new cgroup, the mounts it is joined to, the cache it fills. */
#include <errno.h>
#include <linux/types.h>
#include <string.h>
#include "bpf/exitsnoop.h"
#include "record/cgname.h"
#include "test.h"

static size_t name_record(struct cgroup_name_event *r, uint64_t id, uint32_t h, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->hierarchy = h;
	r->flags = EXIT_F_CGROUP_NAME;
	r->path_len = strlen(path) + 1;
	memcpy(r->path, path, r->path_len);
	return CGROUP_NAME_HEAD_SIZE + r->path_len;
}

void test_cgname_decode(void)
{
	struct cgroup_name_event r;
	struct exit_event e;
	struct cgroup_name n;
	size_t size;

	size = name_record(&r, 42, 0, "/libpod_parent/libpod-ab");
	ASSERT_EQ(decode_cgroup_name(&r, size, &n), 1, "a name");
	ASSERT_EQ(n.id, 42, "its id");
	ASSERT_EQ(n.hierarchy, 0, "cgroup v2");
	ASSERT_STREQ(n.path, "/libpod_parent/libpod-ab", "its path");
	/* an exit record is not a name, whatever its size */
	memset(&e, 0, sizeof(e));
	ASSERT_EQ(decode_cgroup_name(&e, sizeof(e), &n), 0, "an exit");
	ASSERT_EQ(decode_cgroup_name(&e, EXIT_EVENT_BASE_SIZE, &n), 0, "a short exit");
	/* cut short, unterminated, or with a NUL inside: malformed */
	ASSERT_EQ(decode_cgroup_name(&r, size - 1, &n), -EINVAL, "cut short");
	r.path[r.path_len - 1] = 'x';
	ASSERT_EQ(decode_cgroup_name(&r, size, &n), -EINVAL, "unterminated");
	size = name_record(&r, 42, 0, "/a/b");
	r.path[2] = '\0';
	ASSERT_EQ(decode_cgroup_name(&r, size, &n), -EINVAL, "a NUL inside");
	size = name_record(&r, 42, 0, "relative");
	ASSERT_EQ(decode_cgroup_name(&r, size, &n), -EINVAL, "not absolute");
	r.path_len = CGROUP_NAME_MAX + 1;
	ASSERT_EQ(decode_cgroup_name(&r, sizeof(r), &n), -EINVAL, "too long");
}

void test_cgname_mounts(void)
{
	struct cgnames n;

	memset(&n, 0, sizeof(n));
	/* a hybrid host: v2 at unified, memory a v1 hierarchy */
	ASSERT_TRUE(cgnames_parse_mount("35 25 0:30 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 "
					"rw,nsdelegate\n", &n), "v2");
	ASSERT_TRUE(!cgnames_parse_mount("36 25 0:31 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n",
					 &n), "cpu is not memory");
	ASSERT_TRUE(cgnames_parse_mount("37 25 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
					&n), "memory");
	ASSERT_STREQ(n.v2_mnt, "/sys/fs/cgroup/unified", "v2 mount");
	ASSERT_STREQ(n.memory_mnt, "/sys/fs/cgroup/memory", "memory mount");
	/* the first mount counts: a later bind mount does not replace it */
	ASSERT_TRUE(!cgnames_parse_mount("90 25 0:30 / /mnt/cg rw - cgroup2 cgroup2 rw\n", &n), "second v2");
	/* a mount of part of the hierarchy: its paths are not the kernel's */
	memset(&n, 0, sizeof(n));
	ASSERT_TRUE(cgnames_parse_mount("35 25 0:30 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &n),
		    "partial v2");
	ASSERT_STREQ(n.v2_mnt, "-", "partial v2 is not used");
	ASSERT_TRUE(!cgnames_parse_mount("35 25 0:30 / /x rw - cgroup2 cgroup2 rw\n", &n), "nor replaced");
	ASSERT_TRUE(!cgnames_parse_mount("37 25 0:32 / /m rw - cgroup cgroup rw,memory_x\n", &n),
		    "an option that only starts with memory");
	ASSERT_TRUE(!cgnames_parse_mount("garbage\n", &n), "garbage");
}

void test_cgname_learn(void)
{
	static struct cgcache c;
	struct cgnames n;
	struct cgroup_name name = { .id = 77, .hierarchy = 0 };
	struct cgroup_info info;
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char path[256];

	cgcache_init(&c, NULL, NULL); /* no resolver: only what is learnt is known */
	memset(&n, 0, sizeof(n));
	n.v2 = &c;
	n.direct = true;
	strcpy(n.v2_mnt, "/sys/fs/cgroup");
	snprintf(path, sizeof(path), "/libpod_parent/libpod-%s", id);
	name.path = path;
	cgnames_learn(&n, &name);
	cgcache_lookup(&c, 77, &info);
	ASSERT_STREQ(info.path, path, "learnt path");
	ASSERT_STREQ(info.container_id, id, "its container");
	cgcache_lookup(&c, 78, &info);
	ASSERT_NULL(info.path, "another id is not known");
	/* not this process's view: nothing is learnt from the kernel's path */
	n.direct = false;
	name.id = 79;
	cgnames_learn(&n, &name);
	cgcache_lookup(&c, 79, &info);
	ASSERT_NULL(info.path, "not learnt outside the initial view");
	cgcache_free(&c);
}
