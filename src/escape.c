// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "escape.h"

int utf8_sequence(const unsigned char *s, size_t n, unsigned int *cp)
{
	unsigned int c = s[0], min;
	int len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past Unicode are not text */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Bytes of a multi-byte sequence that may pass unescaped; 0 if none. */
static int passable_sequence(const unsigned char *s, size_t n)
{
	unsigned int cp;
	int len = utf8_sequence(s, n, &cp);

	return len > 1 && cp >= 0xa0 ? len : 0;
}

struct sink {
	char *p;
	size_t left; /* room, keeping one byte for the NUL */
	size_t len;
};

static void put(struct sink *k, const char *s, size_t n)
{
	size_t m = n < k->left ? n : k->left;

	memcpy(k->p, s, m);
	k->p += m;
	k->left -= m;
	k->len += m;
}

size_t escape_text(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	struct sink k = { dst, dstlen ? dstlen - 1 : 0, 0 };
	char esc[4] = { '\\', 'x', 0, 0 };
	size_t i = 0;
	int seq;

	while (i < srclen) {
		unsigned char c = s[i];

		if (c == '\\') {
			put(&k, "\\\\", 2);
		} else if (c == '\n') {
			put(&k, "\\n", 2);
		} else if (c == '\t') {
			put(&k, "\\t", 2);
		} else if (c == '\r') {
			put(&k, "\\r", 2);
		} else if (c >= 0x20 && c < 0x7f) {
			put(&k, (const char *)&s[i], 1);
		} else if ((seq = passable_sequence(&s[i], srclen - i))) {
			put(&k, (const char *)&s[i], seq);
			i += seq;
			continue;
		} else {
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			put(&k, esc, 4);
		}
		i++;
	}
	if (dstlen)
		*k.p = '\0';
	return k.len;
}

void json_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	int seq;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c >= 0x20 && c < 0x7f) {
			fputc(c, f);
		} else if ((seq = passable_sequence(&s[i], n - i))) {
			fwrite(&s[i], 1, seq, f);
			i += seq;
			continue;
		} else {
			fprintf(f, "\\u%04x", c);
		}
		i++;
	}
	fputc('"', f);
}
