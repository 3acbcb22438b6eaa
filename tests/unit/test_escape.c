// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/escape.h"
#include "test.h"

static const char *text(const char *s, size_t n)
{
	static char buf[ESCAPED_LEN(64)];

	escape_text(buf, sizeof(buf), s, n);
	return buf;
}

static const char *json(const char *s, size_t n)
{
	static char *buf;
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	json_write_string(f, s, n);
	fclose(f);
	return buf;
}

#define T(s) text(s, sizeof(s) - 1)
#define J(s) json(s, sizeof(s) - 1)

void test_escape_text(void)
{
	char small[8];

	ASSERT_STREQ(T("bash"), "bash", "plain");
	ASSERT_STREQ(T("a b-c_d.e"), "a b-c_d.e", "punctuation");
	ASSERT_STREQ(T("a\nb"), "a\\nb", "newline");
	ASSERT_STREQ(T("a\tb\r"), "a\\tb\\r", "tab, cr");
	ASSERT_STREQ(T("a\\nb"), "a\\\\nb", "backslash stays unambiguous");
	ASSERT_STREQ(T("\x1b[31mred"), "\\x1b[31mred", "escape sequence");
	ASSERT_STREQ(T("\x7f\x01"), "\\x7f\\x01", "del, soh");
	ASSERT_STREQ(T("\xff\xfe"), "\\xff\\xfe", "invalid utf-8");
	ASSERT_STREQ(T("caf\xc3\xa9"), "caf\xc3\xa9", "valid utf-8 passes");
	ASSERT_STREQ(T("\xc2\x85x"), "\\xc2\\x85x", "C1 control is escaped");
	ASSERT_STREQ(T("\xc0\xaf"), "\\xc0\\xaf", "overlong is escaped");
	ASSERT_STREQ(T("\xed\xa0\x80"), "\\xed\\xa0\\x80", "surrogate is escaped");
	ASSERT_STREQ(T("\xe2\x82"), "\\xe2\\x82", "truncated sequence is escaped");
	ASSERT_STREQ(T("x\n1 2 3 0.00 0"), "x\\n1 2 3 0.00 0", "fake line stays on one line");
	ASSERT_STREQ(T("\xe2\x80\xaegnp.exe"), "\\u202egnp.exe", "right-to-left override");
	ASSERT_STREQ(T("a\xe2\x80\xa8" "b\xe2\x80\xa9"), "a\\u2028b\\u2029", "line, paragraph separators");
	ASSERT_STREQ(T("\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9\xd8\x9c"),
		     "\\u200e\\u200f\\u202a\\u2066\\u2069\\u061c", "other bidi controls");
	ASSERT_STREQ(T("\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"), "\\u202b\\u202c\\u202d", "embeddings");
	ASSERT_STREQ(T("\xe2\x80\x8b\xe2\x81\xa5"), "\xe2\x80\x8b\xe2\x81\xa5", "neighbours pass");
	ASSERT_STREQ(T("\xe9vil"), "\\xe9vil", "invalid byte: not its character");
	ASSERT_STREQ(T("\\u202e"), "\\\\u202e", "an escape's text: not the character");
	ASSERT_EQ(escape_text(small, sizeof(small), "\n\n\n\n", 4), 7, "truncates to fit");
	ASSERT_STREQ(small, "\\n\\n\\n\\", "truncated, NUL-terminated");
}

void test_json_string(void)
{
	ASSERT_STREQ(J("bash"), "\"bash\"", "plain");
	ASSERT_STREQ(J("a\"b"), "\"a\\\"b\"", "quote");
	ASSERT_STREQ(J("a\\b"), "\"a\\\\b\"", "backslash");
	ASSERT_STREQ(J("a\nb\tc"), "\"a\\nb\\tc\"", "newline, tab");
	ASSERT_STREQ(J("\x1b\x01\x7f"), "\"\\u001b\\u0001\\u007f\"", "controls");
	ASSERT_STREQ(J("\xff"), "\"\\udcff\"", "invalid byte as its surrogate escape");
	ASSERT_STREQ(J("\xe6\x97\xa5"), "\"\xe6\x97\xa5\"", "valid utf-8 passes");
	ASSERT_STREQ(J("\xc2\x9b"), "\"\\u009b\"", "C1 control as itself");
	ASSERT_STREQ(J(""), "\"\"", "empty");
	ASSERT_STREQ(J("\xe9vil"), "\"\\udce9vil\"", "invalid byte before text");
	ASSERT_STREQ(J("\xc3\xa9vil"), "\"\xc3\xa9vil\"", "the same text in UTF-8");
	ASSERT_STREQ(J("\xe2\x80\xae\xe2\x80\xa8"), "\"\\u202e\\u2028\"", "bidi, separator");
	ASSERT_STREQ(J("\xe2\x82"), "\"\\udce2\\udc82\"", "truncated sequence");
}

void test_utf8_sequence(void)
{
	unsigned int cp = 0;

	ASSERT_EQ(utf8_sequence((const unsigned char *)"A", 1, &cp), 1, "ascii");
	ASSERT_EQ(utf8_sequence((const unsigned char *)"\xc3\xa9", 2, &cp), 2, "2 bytes");
	ASSERT_EQ(cp, 0xe9, "e acute");
	ASSERT_EQ(utf8_sequence((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4, "emoji");
	ASSERT_EQ(cp, 0x1f600, "emoji code point");
	ASSERT_EQ(utf8_sequence((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0, "> U+10FFFF");
	ASSERT_EQ(utf8_sequence((const unsigned char *)"\x80", 1, &cp), 0, "lone continuation");
}

/*
 * An oracle of its own for the JSON strings: RFC 3629's table of
 * well-formed UTF-8 (the length of the sequence at s, its code point in
 * *cp; 0 if ill-formed).
 */
static size_t utf8_wellformed(const unsigned char *s, size_t n, unsigned int *cp)
{
	static const struct { unsigned char lo, hi, lo2, hi2; size_t len; } row[] = {
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 }, { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 }, { 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 }, { 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 }, { 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	size_t r, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	for (r = 0; r < sizeof(row) / sizeof(row[0]); r++) {
		if (s[0] < row[r].lo || s[0] > row[r].hi)
			continue;
		if (n < row[r].len || s[1] < row[r].lo2 || s[1] > row[r].hi2)
			return 0;
		*cp = s[0] & (0xff >> (row[r].len + 1));
		for (i = 1; i < row[r].len; i++) {
			if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
				return 0;
			*cp = *cp << 6 | (s[i] & 0x3f);
		}
		return row[r].len;
	}
	return 0;
}

/* What the README says is escaped as itself: C0, DEL, C1, bidi controls, separators. */
static bool must_escape(unsigned int cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x2028 || cp == 0x2029;
}

static size_t put_utf8(unsigned char *o, unsigned int cp)
{
	if (cp < 0x80)
		return o[0] = (unsigned char)cp, 1;
	if (cp < 0x800)
		return o[0] = (unsigned char)(0xc0 | cp >> 6), o[1] = (unsigned char)(0x80 | (cp & 0x3f)), 2;
	o[0] = (unsigned char)(0xe0 | cp >> 12);
	o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

/*
 * Reads a JSON string back into the bytes it stands for (PEP 383: \udcXX
 * is the byte XX), or -1 if it is not one exitsnoop may write: a raw
 * control, bidi control or ill-formed byte, an escape not needed or not
 * named so by the README, anything after the closing quote.
 */
static long json_read_back(const char *js, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)js;
	static const char named[] = "\"\\ntr", bytes[] = "\"\\\n\t\r";
	unsigned int cp;
	size_t n = 0, k;
	const char *c;

	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		if (!*p)
			return -1;
		if (*p == '\\' && p[1] != 'u') {
			c = p[1] ? strchr(named, p[1]) : NULL;
			if (!c)
				return -1;
			out[n++] = (unsigned char)bytes[c - named];
			p += 2;
		} else if (*p == '\\') {
			if (sscanf((const char *)p + 2, "%4x", &cp) != 1 || strspn((const char *)p + 2,
				   "0123456789abcdef") < 4)
				return -1;
			if (cp >= 0xdc80 && cp <= 0xdcff)
				out[n++] = (unsigned char)(cp - 0xdc00);
			else if (must_escape(cp) && cp != '\n' && cp != '\t' && cp != '\r')
				n += put_utf8(out + n, cp);
			else
				return -1;
			p += 6;
		} else {
			k = utf8_wellformed(p, strlen((const char *)p), &cp);
			if (!k || must_escape(cp))
				return -1;
			memcpy(out + n, p, k);
			n += k;
			p += k;
		}
	}
	return p[1] ? -1 : (long)n;
}

/* The JSON string of s reads back into s (so no two strings write alike). */
static bool json_round_trip(const char *s, size_t n)
{
	unsigned char back[JSON_ESCAPED_LEN(8)];
	long len = json_read_back(json(s, n), back);

	return len == (long)n && !memcmp(back, s, n);
}

/* json_escape() into a buffer, as json_write_string() writes it. */
static int escape_as_write(const char *s, size_t n)
{
	char buf[JSON_ESCAPED_LEN(24) + 1], *end = json_escape(buf, s, n);

	*end = '\0';
	return (size_t)(end - buf) <= JSON_ESCAPED_LEN(n) && !strcmp(buf, json(s, n));
}

#define E(s) escape_as_write(s, sizeof(s) - 1)

void test_json_escape(void)
{
	char buf[JSON_ESCAPED_LEN(3)];
	unsigned int a, b;
	int ok = 1;

	ASSERT_EQ(json_escape(buf, "\xff\x01\x7f", 3) - buf, JSON_ESCAPED_LEN(3), "worst case");
	ASSERT_TRUE(E("bash") && E("a\"b") && E("a\\b") && E("a\nb\tc\r") && E("\x1b\x01\x7f") &&
		    E("\xff") && E("\xe6\x97\xa5") && E("\xc2\x9b") && E("") && E("\xe9vil") &&
		    E("\xe2\x80\xae\xe2\x80\xa8") && E("\xe2\x82") && E("\xf0\x9f\x98\x80"),
		    "the JSON string cases");
	/* every pair of bytes: ASCII, controls, leads and continuations alike */
	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			char s[2] = { (char)a, (char)b };

			ok &= escape_as_write(s, 2);
		}
	}
	ASSERT_TRUE(ok, "every two-byte string, both writers");
	/*
	 * Eight plain bytes are copied at once: every byte at every place of
	 * a longer string, so that each eight-byte block meets each value.
	 */
	ok = 1;
	for (a = 0; a < 256; a++) {
		for (b = 0; b < 24; b++) {
			char s[24];

			memset(s, 'a', sizeof(s));
			s[b] = (char)a;
			ok &= escape_as_write(s, sizeof(s));
		}
	}
	ASSERT_TRUE(ok, "one byte of each value at each place of 24, both writers");
}

/* Against the oracle above, not against the code's own reading of UTF-8. */
void test_json_string_reads_back(void)
{
	static const unsigned char edge[] = { 0x00, 0x0a, 0x1f, 0x22, 0x41, 0x5c, 0x7f, 0x80,
		0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xd8, 0xdf, 0xe0, 0xe2, 0xed, 0xef,
		0xf0, 0xf4, 0xf5, 0xff, 0x80 | 0x2e, 0x81, 0xaa };
	const size_t ne = sizeof(edge);
	unsigned int a, b, c, d, bad = 0;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			char s[2] = { (char)a, (char)b };

			bad += !json_round_trip(s, 1) + !json_round_trip(s, 2);
		}
	}
	ASSERT_EQ(bad, 0, "every one- and two-byte string reads back");
	for (a = 0; a < ne; a++)
		for (b = 0; b < ne; b++)
			for (c = 0; c < ne; c++)
				for (d = 0; d < ne; d++) {
					char s[4] = { (char)edge[a], (char)edge[b], (char)edge[c],
						      (char)edge[d] };

					bad += !json_round_trip(s, 3) + !json_round_trip(s, 4);
				}
	ASSERT_EQ(bad, 0, "three- and four-byte strings of edge bytes read back");
	ASSERT_TRUE(json_round_trip("\xe2\x80\xae\xe2\x81\xa9\xd8\x9c\xe2\x80\xa8", 11),
		    "bidi controls and separators");
	ASSERT_TRUE(json_round_trip("\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", 8), "four-byte sequences");
	ASSERT_EQ(json_read_back("\"\\u0041\"", (unsigned char[8]){ 0 }), -1,
		  "the oracle refuses an escape the README does not name");
	ASSERT_EQ(json_read_back("\"\xc2\x85\"", (unsigned char[8]){ 0 }), -1,
		  "the oracle refuses a raw C1 control");
}

void test_escape_shown(void)
{
	char long_name[SHOWN_MAX + 10];
	const char *a, *b;

	ASSERT_STREQ(escape_shown("a\nb", 3, 64), "a\\nb", "shown_escaped");
	ASSERT_STREQ(escape_shown("abcdef", 6, 3), "abc...", "shown_cut");
	ASSERT_STREQ(escape_shown("abc", 3, 3), "abc", "shown_whole_at_max");
	memset(long_name, 'x', sizeof(long_name));
	a = escape_shown(long_name, sizeof(long_name), 1000);
	ASSERT_EQ(strlen(a), SHOWN_MAX + 3, "shown_max_capped");
	/* two at once, as one message shows them */
	a = escape_shown("one", 3, 64);
	b = escape_shown("two", 3, 64);
	ASSERT_STREQ(a, "one", "shown_first_kept");
	ASSERT_STREQ(b, "two", "shown_second");
}
