// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's BTF for the libbpf loader: one copy in memory, or none.
 *
 * libbpf 1.1 reads /sys/kernel/btf/vmlinux (5.5 MB on 6.18) with stdio
 * into a buffer of the file's size, then btf_new() copies that buffer
 * into a second one, which it keeps and only reads. sysfs hands the file
 * out 4 KiB per read(), so that is 1,350 reads and two fresh 5.5 MB
 * buffers faulting in page by page: the largest cost of the loader's
 * start, and 11 MB of its peak RSS (docs/BENCHMARKS.md has the figures).
 *
 * Here libbpf's fopen() of that file gets an unbuffered stream over one
 * buffer that holds the whole file. Where the kernel lets the file be
 * mapped (v6.16, a539e2a6d51d "btf: Allow mmap of vmlinux btf";
 * read-only), that is the mapping itself, the kernel's own pages, which
 * add nothing to RSS; else an anonymous buffer populated with one
 * madvise(MADV_POPULATE_WRITE) (v5.14; best effort) and filled by the
 * same reads. Both of libbpf's buffers are then that buffer: its malloc()
 * of the file's size, while the stream is open, is lent it; its fread()
 * into it and its memcpy() from one to the other are copies onto
 * themselves, skipped; its free() of either returns the loan. libbpf never
 * writes to a parsed BTF's data (native byte order; whatever edits a BTF
 * copies it out first, btf_ensure_modifiable()), and a write to the
 * read-only mapping would fault, not corrupt. The buffer goes when the
 * stream and both loans are back.
 *
 * Linked with --wrap for fopen64, fclose, malloc, realloc, free and
 * memcpy (Debian's libbpf.a is built with large-file names); every other
 * call goes to the real functions. If the file cannot be read whole,
 * nothing changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "load/btf_file.h"
#include "lib/log.h"

FILE *__real_fopen64(const char *path, const char *mode);
int __real_fclose(FILE *f);
void *__real_malloc(size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__real_memcpy(void *dst, const void *src, size_t n);

static const char *btf_path = VMLINUX_BTF_PATH;
static bool no_map;	/* take the read path */
static FILE *stream;	/* the one stream open, or NULL */
static void *buf;	/* the whole file */
static size_t buf_len;
static off_t pos;	/* the stream's position in buf */
static int loans;	/* libbpf's buffers that are buf: 0, 1 or 2 */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void btf_file_set_path(const char *path)
{
	btf_path = path;
}

void btf_file_no_map(bool on)
{
	no_map = on;
}

/* Once neither the stream nor a loan holds it. */
static void release(void)
{
	if (stream || loans || !buf)
		return;
	munmap(buf, buf_len);
	buf = NULL;
	buf_len = 0;
}

static ssize_t stream_read(void *cookie, char *dst, size_t size)
{
	size_t n = pos < (off_t)buf_len ? buf_len - (size_t)pos : 0;

	if (n > size)
		n = size;
	if (dst != (char *)buf + pos) /* else: lent, it holds the bytes already */
		__real_memcpy(dst, (const char *)buf + pos, n);
	pos += (off_t)n;
	return (ssize_t)n;
}

static int stream_seek(void *cookie, off_t *off, int whence)
{
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? pos : (off_t)buf_len;

	if (base + *off < 0)
		return -1;
	pos = base + *off;
	*off = pos;
	return 0;
}

/* All of fd into a fresh buffer of len bytes, faulted in at once. */
static void *read_whole(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t got = 0;
	ssize_t n;

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_POPULATE_WRITE);
	while (got < len) {
		n = read(fd, (char *)p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == len)
		return p;
	munmap(p, len);
	return NULL;
}

/* The file whole in buf: "a mapping" or "one read", else NULL. */
static const char *load(const char *path)
{
	const char *how = "a mapping";
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	buf_len = st.st_size;
	buf = no_map ? MAP_FAILED :
		       mmap(NULL, buf_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (buf == MAP_FAILED) {
		how = "one read";
		buf = read_whole(fd, buf_len);
	}
	close(fd);
	return buf ? how : NULL;
}

static FILE *open_stream(const char *path)
{
	const char *how = load(path);

	if (!how)
		return NULL;
	pos = 0;
	stream = fopencookie(NULL, "r", (cookie_io_functions_t){ .read = stream_read,
								 .seek = stream_seek });
	if (!stream) {
		release();
		return NULL;
	}
	/* reads go straight to the caller's buffer, which may be buf */
	setvbuf(stream, NULL, _IONBF, 0);
	log_debug("kernel BTF: %zu kB, one copy for libbpf, from %s", buf_len >> 10, how);
	return stream;
}

FILE *__wrap_fopen64(const char *path, const char *mode)
{
	FILE *f;

	if (stream || buf || strcmp(path, btf_path) || mode[0] != 'r' || strchr(mode, '+'))
		return __real_fopen64(path, mode);
	f = open_stream(path);
	return f ? f : __real_fopen64(path, mode);
}

int __wrap_fclose(FILE *f)
{
	int ret = __real_fclose(f);

	if (f && f == stream) {
		stream = NULL;
		release();
	}
	return ret;
}

static bool lent(const void *p)
{
	return p && p == buf && loans;
}

/*
 * libbpf's two malloc()s of the file's size, and nothing else: the first
 * with the stream rewound, for its read of the file; the second once that
 * read reached the end, for btf_new()'s copy of it.
 */
static bool lends(size_t size)
{
	if (!stream || size != buf_len)
		return false;
	return loans == 0 ? pos == 0 : loans == 1 && pos == (off_t)buf_len;
}

void *__wrap_malloc(size_t size)
{
	if (!lends(size))
		return __real_malloc(size);
	loans++;
	return buf;
}

void __wrap_free(void *p)
{
	if (!lent(p))
		return __real_free(p);
	loans--;
	release();
}

void *__wrap_realloc(void *p, size_t size)
{
	void *q;

	if (!lent(p))
		return __real_realloc(p, size);
	q = __real_malloc(size);
	if (!q)
		return NULL;
	__real_memcpy(q, p, size < buf_len ? size : buf_len);
	__wrap_free(p);
	return q;
}

/* A copy onto itself is no copy: how libbpf's two lent buffers meet. */
void *__wrap_memcpy(void *dst, const void *src, size_t n)
{
	if (dst == src)
		return dst;
	return __real_memcpy(dst, src, n);
}
