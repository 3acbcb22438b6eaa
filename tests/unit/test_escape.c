// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
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

/* json_escape() into a buffer, as json_write_string() writes it. */
static int escape_as_write(const char *s, size_t n)
{
	char buf[JSON_ESCAPED_LEN(8) + 1], *end = json_escape(buf, s, n);

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
	ASSERT_TRUE(ok, "every two-byte string");
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
