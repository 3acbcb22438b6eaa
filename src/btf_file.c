// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's BTF for the libbpf loader, read from memory.
 *
 * libbpf 1.1 reads /sys/kernel/btf/vmlinux (5.5 MB on 6.18) with stdio.
 * sysfs hands the file out 4 KiB per read(), so that is 1,350 system
 * calls, each copying into fresh pages: about 6 ms, a third of the
 * loader's start. Where the kernel lets the file be mapped (v6.16+), its
 * pages are mapped at once (MAP_POPULATE) and libbpf's fopen() of the
 * file gets a memory stream over them: its one fread() is then one
 * memcpy. The mapping is of the kernel's own pages (a PFN map): it adds
 * nothing to RSS. It goes with libbpf's fclose() of the stream.
 *
 * Linked with --wrap=fopen64 --wrap=fclose (Debian's libbpf.a is built
 * with large-file names); every other file goes to the real functions.
 * Where the file cannot be mapped, nothing changes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
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
	stream = fmemopen(map, map_len, "r");
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
