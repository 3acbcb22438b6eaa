// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Atomic replacement of the metrics file: see metrics_file.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "lib/escape.h"
#include "metrics/metrics_file.h"

#define TMP_SUFFIX ".tmp"
#define TMP_RANDOM 16	/* hex digits of the temporary name's random part */
#define TMP_TRIES 8

/* Splits path into its directory (into dir) and its last component. */
static const char *split_path(const char *path, char *dir, size_t dirlen)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, dirlen, ".");
		return path;
	}
	if (slash == path)
		snprintf(dir, dirlen, "/");
	else
		snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
	return slash + 1;
}

/* The path as given, escaped: it may hold any byte. */
static int fail(char *err, size_t errlen, const char *path, int errnum)
{
	snprintf(err, errlen, "--metrics-file '%s': %s", escape_shown(path, strlen(path), SHOWN_MAX),
		 strerror(errnum));
	return -errnum;
}

int metrics_file_open(struct metrics_file *mf, const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *name;

	mf->dirfd = -1;
	if (strlen(path) >= sizeof(dir))
		return fail(err, errlen, path, ENAMETOOLONG);
	name = split_path(path, dir, sizeof(dir));
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return fail(err, errlen, path, EISDIR);
	if (strlen(name) + 2 + TMP_RANDOM + strlen(TMP_SUFFIX) > NAME_MAX)
		return fail(err, errlen, path, ENAMETOOLONG);
	snprintf(mf->name, sizeof(mf->name), "%s", name);
	mf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mf->dirfd < 0)
		return fail(err, errlen, path, errno);
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A new temporary file of our own: a random name (".NAME.<16 hex>.tmp"),
 * created exclusively and never through a link, so that in a directory
 * others can write (a sticky /tmp) no one can have made it first and have
 * it renamed over NAME. Another name on a collision.
 */
static int create_tmp(struct metrics_file *mf)
{
	unsigned char rnd[TMP_RANDOM / 2];
	int i, fd = -EEXIST;
	size_t j;

	for (i = 0; i < TMP_TRIES && fd == -EEXIST; i++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -EAGAIN;
		j = (size_t)snprintf(mf->tmp, sizeof(mf->tmp), ".%s.", mf->name);
		for (size_t k = 0; k < sizeof(rnd); k++, j += 2)
			snprintf(mf->tmp + j, sizeof(mf->tmp) - j, "%02x", rnd[k]);
		snprintf(mf->tmp + j, sizeof(mf->tmp) - j, TMP_SUFFIX);
		fd = openat(mf->dirfd, mf->tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			fd = -errno;
	}
	return fd;
}

int metrics_file_write(struct metrics_file *mf, const void *data, size_t len)
{
	int fd, ret;

	fd = create_tmp(mf);
	if (fd < 0)
		return fd;
	ret = write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && renameat(mf->dirfd, mf->tmp, mf->dirfd, mf->name))
		ret = -errno;
	if (ret)
		unlinkat(mf->dirfd, mf->tmp, 0);
	return ret;
}

void metrics_file_close(struct metrics_file *mf)
{
	if (mf->dirfd >= 0)
		close(mf->dirfd);
	mf->dirfd = -1;
}
