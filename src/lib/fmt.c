// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Numbers in text without stdio: see fmt.h. */
#include "lib/fmt.h"

static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static unsigned int dec_len(uint64_t v)
{
	unsigned int n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

/* Two digits at a time, from the last. */
char *fmt_u64(char *p, uint64_t v)
{
	char *end = p + dec_len(v), *q = end;

	while (v >= 100) {
		q -= 2;
		__builtin_memcpy(q, &pairs[(v % 100) * 2], 2);
		v /= 100;
	}
	if (v >= 10)
		__builtin_memcpy(q - 2, &pairs[v * 2], 2);
	else
		q[-1] = (char)('0' + v);
	return end;
}

char *fmt_u64_pad(char *p, uint64_t v, unsigned int width)
{
	char *end = p + width, *q = end;

	for (; q - p >= 2; v /= 100) {
		q -= 2;
		__builtin_memcpy(q, &pairs[(v % 100) * 2], 2);
	}
	if (q > p)
		*p = (char)('0' + v % 10);
	return end;
}

char *fmt_int(char *p, int v)
{
	if (v >= 0)
		return fmt_u64(p, (uint64_t)v);
	*p++ = '-';
	return fmt_u64(p, (uint64_t)-(int64_t)v);
}

char *fmt_hex(char *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n = 1;
	uint64_t t = v;
	char *end;

	while (t >>= 4)
		n++;
	*p++ = '0';
	*p++ = 'x';
	end = p + n;
	for (p = end; n--; v >>= 4)
		*--p = hex[v & 15];
	return end;
}
