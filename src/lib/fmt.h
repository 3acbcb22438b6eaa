/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hand-written formatting for lines built in a buffer: each writes at p,
 * which has room, and returns the end. No stdio, and no call into the C
 * library for the short copies a line is made of (musl's memcpy is a
 * string instruction whose start-up costs more than such a copy).
 */
#ifndef __FMT_H
#define __FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decimal digits of the largest uint64_t. */
#define FMT_U64_LEN 20

/* v in decimal, at most FMT_U64_LEN bytes. */
char *fmt_u64(char *p, uint64_t v);

/* v (below 10^width) in exactly width digits, zero-padded. */
char *fmt_u64_pad(char *p, uint64_t v, unsigned int width);

/* v in decimal with a '-' when negative. */
char *fmt_int(char *p, int v);

/* "0x" and v in lowercase hex, at most 18 bytes. */
char *fmt_hex(char *p, uint64_t v);

/*
 * n bytes of s: eight at a time, the last eight overlapping what came
 * before; shorter copies in two overlapping halves.
 */
static inline char *fmt_copy(char *p, const char *s, size_t n)
{
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			__builtin_memcpy(p + i, s + i, 8);
		__builtin_memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		__builtin_memcpy(p, s, 4);
		__builtin_memcpy(p + n - 4, s + n - 4, 4);
	} else if (n) {
		p[0] = s[0];
		p[n / 2] = s[n / 2];
		p[n - 1] = s[n - 1];
	}
	return p + n;
}

/* A string literal: copied with moves the compiler picks. */
#define FMT_LIT(p, s) ((p) = (char *)__builtin_memcpy(p, s, sizeof(s) - 1) + sizeof(s) - 1)

#endif /* __FMT_H */
