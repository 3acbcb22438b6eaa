// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's BTF for the libbpf loader, read from memory.
 *
 * libbpf 1.1 reads /sys/kernel/btf/vmlinux (5.5 MB on 6.18) with stdio.
 * sysfs hands the file out 4 KiB per read(), so that is 1,350 system
 * calls, each copying into a page that faults in on the way: about 4.5 ms
 * of the loader's start. Where the kernel lets the file be mapped
 * (v6.16+), libbpf's fopen() of it gets a stream over the mapping (the
 * kernel's own pages: nothing is added to RSS), and its one fread() of
 * the whole file is served with one memcpy() into a destination populated
 * first with a single madvise(MADV_POPULATE_WRITE) (v5.14) instead of
 * 1,350 page faults: about 2 ms. The mapping goes with libbpf's fclose().
 *
 * Linked with --wrap=fopen64 --wrap=fclose (Debian's libbpf.a is built
 * with large-file names); every other file goes to the real functions.
 * Where the file cannot be mapped, nothing changes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "btf_file.h"
#include "log.h"

FILE *__real_fopen64(const char *path, const char *mode);
int __real_fclose(FILE *f);
FILE *__wrap_fopen64(const char *path, const char *mode);
int __wrap_fclose(FILE *f);

static const char *btf_path = VMLINUX_BTF_PATH;
static FILE *stream;	/* the one memory stream open, or NULL */
static void *map;
static size_t map_len;
static off_t pos;	/* the stream's position in the mapping */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void btf_file_set_path(const char *path)
{
	btf_path = path;
}

static void unmap(void)
{
	if (map)
		munmap(map, map_len);
	map = NULL;
	map_len = 0;
}

/* The whole pages of buf, faulted in at once (best effort: EINVAL before v5.14). */
static void populate(char *buf, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)buf + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)buf + len) & ~(page - 1);

	if (end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}

static ssize_t stream_read(void *cookie, char *buf, size_t size)
{
	size_t n = pos < (off_t)map_len ? map_len - (size_t)pos : 0;

	if (n > size)
		n = size;
	populate(buf, n);
	memcpy(buf, (const char *)map + pos, n);
	pos += (off_t)n;
	return (ssize_t)n;
}

static int stream_seek(void *cookie, off_t *off, int whence)
{
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? pos : (off_t)map_len;

	if (base + *off < 0)
		return -1;
	pos = base + *off;
	*off = pos;
	return 0;
}

static FILE *open_mapped(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	map_len = st.st_size;
	map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		map = NULL;
		return NULL;
	}
	pos = 0;
	stream = fopencookie(NULL, "r", (cookie_io_functions_t){ .read = stream_read,
								 .seek = stream_seek });
	if (!stream) {
		unmap();
		return NULL;
	}
	log_debug("kernel BTF: %zu kB, read by libbpf from a mapping", map_len >> 10);
	return stream;
}

FILE *__wrap_fopen64(const char *path, const char *mode)
{
	FILE *f;

	if (stream || strcmp(path, btf_path) || mode[0] != 'r' || strchr(mode, '+'))
		return __real_fopen64(path, mode);
	f = open_mapped(path);
	return f ? f : __real_fopen64(path, mode);
}

int __wrap_fclose(FILE *f)
{
	int ret = __real_fclose(f);

	if (f && f == stream) {
		stream = NULL;
		unmap();
	}
	return ret;
}
