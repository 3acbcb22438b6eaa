// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * For a musl build: Debian's static libbpf, libelf and zlib were compiled
 * against glibc with _FORTIFY_SOURCE and large-file names, and call these
 * glibc-only entry points. Each does what its glibc namesake does, less
 * the overflow check (the callers pass sizes they computed themselves).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...);
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, va_list ap);
int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
char *__strcat_chk(char *d, const char *s, size_t n);
char *__strcpy_chk(char *d, const char *s, size_t n);
char *__realpath_chk(const char *path, char *resolved, size_t n);
int fcntl64(int fd, int cmd, ...);

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return ret;
}

int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(s, slen, fmt, ap);
	va_end(ap);
	return ret;
}

int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, va_list ap)
{
	return vsnprintf(s, n, fmt, ap);
}

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
	return strcat(d, s);
}

char *__strcpy_chk(char *d, const char *s, size_t n)
{
	return strcpy(d, s);
}

char *__realpath_chk(const char *path, char *resolved, size_t n)
{
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
