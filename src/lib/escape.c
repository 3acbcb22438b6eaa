// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lib/escape.h"

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

/*
 * Characters that change how the text around them is shown: bidirectional
 * controls (an override makes "gnp.exe" of "exe.png") and the line and
 * paragraph separators, which some terminals and editors break lines at.
 */
bool invisible_control(unsigned int cp)
{
	return (cp >= 0x80 && cp < 0xa0) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The valid UTF-8 sequence at s: its length (1..4) and code point, or 0
 * for a byte that is not part of one.
 */
static int sequence(const unsigned char *s, size_t n, unsigned int *cp)
{
	return s[0] < 0x80 ? (*cp = s[0], 1) : utf8_sequence(s, n, cp);
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

static const char hex[] = "0123456789abcdef";

/* \xNN of a byte that is not text. */
static void put_byte(struct sink *k, unsigned char c)
{
	char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	put(k, esc, 4);
}

/* \uNNNN of a character that is valid but not shown raw. */
static void put_code_point(struct sink *k, unsigned int cp)
{
	char esc[6] = { '\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
			hex[cp & 15] };

	put(k, esc, 6);
}

/* An ASCII byte: 1 if it was written, 0 if it is not printable. */
static int put_ascii(struct sink *k, unsigned char c)
{
	static const char *const named[128] = { ['\\'] = "\\\\", ['\n'] = "\\n",
						['\t'] = "\\t", ['\r'] = "\\r" };

	if (c < 0x80 && named[c]) {
		put(k, named[c], 2);
		return 1;
	}
	if (c >= 0x20 && c < 0x7f) {
		put(k, (const char *)&c, 1);
		return 1;
	}
	return 0;
}

/* One character in text form; returns the bytes of s it took. */
static size_t put_text_char(struct sink *k, const unsigned char *s, size_t n)
{
	unsigned int cp;
	int len = sequence(s, n, &cp);

	if (len == 1 && put_ascii(k, *s))
		return 1;
	if (len > 1 && cp >= 0xa0 && invisible_control(cp)) {
		put_code_point(k, cp);
		return len;
	}
	if (len > 1 && !invisible_control(cp)) {
		put(k, (const char *)s, len);
		return len;
	}
	put_byte(k, *s); /* invalid UTF-8, a control byte, a C1 control's bytes */
	return 1;
}

const char *escape_shown(const char *s, size_t len, size_t max)
{
	static char bufs[2][ESCAPED_LEN(SHOWN_MAX) + 3];
	static int next;
	char *b = bufs[next++ & 1];
	size_t n;

	if (max > SHOWN_MAX)
		max = SHOWN_MAX;
	n = escape_text(b, ESCAPED_LEN(SHOWN_MAX), s, len < max ? len : max);
	if (len > max)
		strcpy(b + n, "...");
	return b;
}

size_t escape_text(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	struct sink k = { dst, dstlen ? dstlen - 1 : 0, 0 };
	size_t i = 0;

	while (i < srclen)
		i += put_text_char(&k, &s[i], srclen - i);
	if (dstlen)
		*k.p = '\0';
	return k.len;
}

/* ASCII that a JSON string holds as it is. */
static inline bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* \uNNNN, lowercase, for a code point below U+10000. */
static char *json_u(char *p, unsigned int cp)
{
	char esc[6] = { '\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
			hex[cp & 15] };

	memcpy(p, esc, 6);
	return p + 6;
}

/*
 * The one definition of a JSON string's character: the character at s
 * (n bytes left) at *pp, 6 bytes at most; returns the bytes of s it took.
 */
static size_t json_char(char **pp, const unsigned char *s, size_t n)
{
	static const char *const named[128] = { ['"'] = "\\\"", ['\\'] = "\\\\",
						['\n'] = "\\n", ['\t'] = "\\t", ['\r'] = "\\r" };
	unsigned int cp;
	char *p = *pp;
	int len = sequence(s, n, &cp);

	if (!len) /* not UTF-8: the byte's surrogate escape, which no text decodes to */
		*pp = json_u(p, 0xdc00 + s[0]);
	else if (cp < 0x80 && named[cp])
		*pp = (char *)memcpy(p, named[cp], 2) + 2;
	else if (cp < 0x20 || cp == 0x7f || invisible_control(cp))
		*pp = json_u(p, cp);
	else
		*pp = (char *)memcpy(p, s, (size_t)len) + len;
	return len ? (size_t)len : 1;
}

#define ONES (~0ULL / 255)

/* Whether any byte of v is zero (exact for "any", not for which). */
static inline uint64_t any_zero(uint64_t v)
{
	return (v - ONES) & ~v & (ONES * 0x80);
}

/*
 * Eight bytes at once that need no escape: none below 0x20, none from
 * 0x7f up, no quote and no backslash. Paths and argv are mostly that.
 */
static inline bool json_plain8(const unsigned char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return !((v & (ONES * 0x80)) | ((v - ONES * 0x20) & ~v & (ONES * 0x80)) |
		 any_zero(v ^ (ONES * '"')) | any_zero(v ^ (ONES * '\\')) |
		 any_zero(v ^ (ONES * 0x7f)));
}

char *json_escape(char *p, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	*p++ = '"';
	while (i < n) {
		if (n - i >= 8 && json_plain8(&s[i])) {
			memcpy(p, &s[i], 8);
			p += 8;
			i += 8;
		} else if (json_plain(s[i]))
			*p++ = (char)s[i++];
		else
			i += json_char(&p, &s[i], n - i);
	}
	*p++ = '"';
	return p;
}

void json_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char buf[256], *p = buf;
	size_t i = 0;

	*p++ = '"';
	while (i < n) {
		if (p > buf + sizeof(buf) - 8) {
			fwrite(buf, 1, (size_t)(p - buf), f);
			p = buf;
		}
		i += json_char(&p, &s[i], n - i);
	}
	*p++ = '"';
	fwrite(buf, 1, (size_t)(p - buf), f);
}
