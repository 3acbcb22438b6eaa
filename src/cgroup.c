// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "cgroup.h"
#include "escape.h"

int cgroup_open_v2(const char *path, char *err, size_t errlen)
{
	char shown[ESCAPED_LEN(256)];
	struct statfs sfs;
	int fd, ret;

	escape_text(shown, sizeof(shown), path, strlen(path));
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

static uint64_t wanted_ino;
static char found_path[4096];

static int match_ino(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_D || st->st_ino != wanted_ino)
		return 0;
	snprintf(found_path, sizeof(found_path), "%s", path);
	return 1;
}

/* Mount points of cgroup v1 hierarchies with the memory controller, and v2. */
static int memcg_mounts(char mounts[][512], int max)
{
	char line[4096], mnt[512], fstype[64], opts[1024];
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
		    (!strcmp(fstype, "cgroup") && strstr(opts, "memory")))
			snprintf(mounts[n++], 512, "%s", mnt);
	}
	fclose(f);
	return n;
}

const char *cgroup_path_by_id(uint64_t id, void *ctx)
{
	static uint64_t cached_id;
	char mounts[8][512];
	int i, n;

	if (cached_id == id && cached_id)
		return found_path;
	n = memcg_mounts(mounts, 8);
	wanted_ino = id;
	for (i = 0; i < n; i++) {
		if (nftw(mounts[i], match_ino, 16, FTW_PHYS | FTW_MOUNT) == 1) {
			cached_id = id;
			return found_path;
		}
	}
	return NULL;
}
