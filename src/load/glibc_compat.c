// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * For a musl build: Debian's static libbpf, libelf and zlib were compiled
 * against glibc with _FORTIFY_SOURCE and large-file names, and call these
 * glibc-only entry points. Each does what its glibc namesake does, the
 * overflow check included: the compiler passed the destination's size
 * because it could not prove the write fits, so a write past it ends the
 * process as glibc's __chk_fail() does, never corrupts memory.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...);
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, va_list ap);
int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
char *__strcat_chk(char *d, const char *s, size_t n);
char *__strcpy_chk(char *d, const char *s, size_t n);
char *__realpath_chk(const char *path, char *resolved, size_t n);
int fcntl64(int fd, int cmd, ...);

/* glibc's message, then abort(): nothing of the overflowed state is used. */
static void chk_fail(void)
{
	static const char msg[] = "*** buffer overflow detected ***: terminated\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* aborting anyway */
	}
	abort();
}

int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, va_list ap)
{
	if (n > slen)
		chk_fail(); /* the bound given is larger than the buffer */
	return vsnprintf(s, n, fmt, ap);
}

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = __vsnprintf_chk(s, n, flag, slen, fmt, ap);
	va_end(ap);
	return ret;
}

int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (!slen)
		chk_fail();
	va_start(ap, fmt);
	ret = vsnprintf(s, slen, fmt, ap);
	va_end(ap);
	if (ret >= 0 && (size_t)ret >= slen)
		chk_fail(); /* sprintf would have written past the buffer */
	return ret;
}

/* No buffer to overflow: flag asks glibc to refuse %n in writable formats, which no caller uses. */
int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
	return vfprintf(f, fmt, ap);
}

int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	return vdprintf(fd, fmt, ap);
}

char *__strcat_chk(char *d, const char *s, size_t n)
{
	if (strlen(d) + strlen(s) >= n)
		chk_fail();
	return strcat(d, s);
}

char *__strcpy_chk(char *d, const char *s, size_t n)
{
	if (strlen(s) >= n)
		chk_fail();
	return strcpy(d, s);
}

char *__realpath_chk(const char *path, char *resolved, size_t n)
{
	if (resolved && n < PATH_MAX)
		chk_fail(); /* realpath() writes up to PATH_MAX bytes */
	return realpath(path, resolved);
}

/* Every fcntl command libbpf and libelf use takes an int or a pointer. */
int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}
