// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Atomic replacement of the metrics file: see metrics_file.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

/* The directory's path from /, symbolic links left as given; "" if too long. */
static void absolute_dir(char *out, size_t outlen, const char *dir)
{
	char cwd[PATH_MAX];
	int n;

	out[0] = '\0';
	if (dir[0] == '/') {
		snprintf(out, outlen, "%s", dir);
		return;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return;
	n = snprintf(out, outlen, "%s/%s", cwd, dir);
	if (n < 0 || (size_t)n >= outlen)
		out[0] = '\0';
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
	absolute_dir(mf->dir, sizeof(mf->dir), dir);
	return 0;
}

/*
 * The path leads to another directory than the one held: that one is
 * put onto the old descriptor's number, the one the sandbox allows. The
 * path is opened relative to the old descriptor, which an absolute path
 * ignores, again for the sandbox.
 * 0, or -errno (the path leads nowhere: the write fails as it would).
 */
static int follow_dir(struct metrics_file *mf)
{
	struct stat held, now;
	int fd, ret = 0;

	if (!mf->dir[0])
		return 0;
	/* opened, not stat()ed: the sandbox allows no call on a bare path */
	fd = openat(mf->dirfd, mf->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(mf->dirfd, &held) || fstat(fd, &now))
		ret = -errno;
	else if ((held.st_dev != now.st_dev || held.st_ino != now.st_ino) &&
		 dup3(fd, mf->dirfd, O_CLOEXEC) < 0)
		ret = -errno;
	close(fd);
	return ret;
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

	ret = follow_dir(mf);
	if (ret)
		return ret;
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
