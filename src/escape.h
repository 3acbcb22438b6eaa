/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Escaping of strings that other people choose (process names, labels), so
 * that one event stays one line and no raw control byte reaches a terminal.
 */
#ifndef __ESCAPE_H
#define __ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Worst case: every byte becomes \xNN. */
#define ESCAPED_LEN(n) (4 * (n) + 1)

/*
 * Text form: printable ASCII and valid UTF-8 from U+00A0 up pass; a
 * backslash becomes "\\"; \n \t \r as such; every other byte \xNN.
 * Writes at most dstlen bytes including the NUL; returns the length.
 */
size_t escape_text(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * JSON string with quotes. Valid UTF-8 from U+00A0 up passes; quote,
 * backslash and control characters are escaped; any other byte b (invalid
 * UTF-8, C1 controls) becomes \u00XX of its byte value.
 */
void json_write_string(FILE *f, const char *s, size_t n);

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
int utf8_sequence(const unsigned char *s, size_t n, unsigned int *cp);

#endif /* __ESCAPE_H */
