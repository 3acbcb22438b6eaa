/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Escaping of strings that other people choose (process names, labels), so
 * that one event stays one line and no raw control byte reaches a terminal.
 */
#ifndef __ESCAPE_H
#define __ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Worst case: every byte becomes \xNN (a 3-byte character's \uNNNN is shorter). */
#define ESCAPED_LEN(n) (4 * (n) + 1)

/*
 * Text form: printable ASCII and valid UTF-8 from U+00A0 up pass; a
 * backslash becomes "\\"; \n \t \r as such; bidirectional controls and
 * the line and paragraph separators \uNNNN; every other byte \xNN (invalid
 * UTF-8, controls, C1 controls). Different strings never escape alike.
 * Writes at most dstlen bytes including the NUL; returns the length.
 */
size_t escape_text(char *dst, size_t dstlen, const char *src, size_t srclen);

/* The most of a string escape_shown() shows. */
#define SHOWN_MAX 256

/*
 * The first len bytes of s (max at most, SHOWN_MAX at most) for one line of
 * a message: escaped as escape_text() does, "..." when cut. In one of two
 * static buffers, so that one message can show two strings.
 */
const char *escape_shown(const char *s, size_t len, size_t max);

/*
 * JSON string with quotes. Valid UTF-8 passes; quote, backslash, control
 * characters (C0, DEL, C1) and those of invisible_control() are escaped as
 * themselves (\uNNNN); a byte b that is not part of valid UTF-8 becomes
 * \uXXXX of U+DC00 + b, a lone surrogate no valid text decodes to (the
 * "surrogateescape" of Python's PEP 383), so different names never decode
 * alike.
 */
void json_write_string(FILE *f, const char *s, size_t n);

/* Worst case of json_escape(): every byte a \uNNNN, and the quotes. */
#define JSON_ESCAPED_LEN(n) (6 * (n) + 2)

/* The same string at p, which has JSON_ESCAPED_LEN(n) bytes of room; returns its end. */
char *json_escape(char *p, const char *s, size_t n);

/* Valid but not shown raw: C1 controls, bidirectional controls, U+2028/9. */
bool invisible_control(unsigned int cp);

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
int utf8_sequence(const unsigned char *s, size_t n, unsigned int *cp);

#endif /* __ESCAPE_H */
