/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A file replaced whole: written to a temporary name in the same
 * directory, fsync()ed, then renamed over the old one, so that a reader
 * (node_exporter) sees the old contents or the new, never a part, and a
 * crash leaves no half file. The temporary name starts with a dot and does
 * not end in .prom, so the textfile collector never reads it; it is random
 * and created exclusively (see create_tmp()); on any error it is removed.
 *
 * The directory is opened once, by metrics_file_open(): each write then
 * needs only getrandom, and openat, write, fsync, close, renameat and, on
 * error, unlinkat, relative to that descriptor. A directory removed and
 * made again (a package upgrade, a volume remounted) is followed: when its
 * path no longer leads to the directory held (st_dev, st_ino), the new one
 * is opened onto the same descriptor number.
 */
#ifndef __METRICS_FILE_H
#define __METRICS_FILE_H

#include <limits.h>
#include <stddef.h>

struct metrics_file {
	int dirfd;
	char dir[PATH_MAX];	/* absolute, as given (not resolved); "" if unknown */
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
};

/* Opens path's directory; -errno, with err set to a one-line reason. */
int metrics_file_open(struct metrics_file *mf, const char *path, char *err, size_t errlen);

/* Replaces the file's contents with data; 0 or -errno. */
int metrics_file_write(struct metrics_file *mf, const void *data, size_t len);

void metrics_file_close(struct metrics_file *mf);

#endif /* __METRICS_FILE_H */
