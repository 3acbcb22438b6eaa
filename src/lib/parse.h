/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Numbers from the command line: each takes the whole string and returns
 * 0, -EINVAL when it is malformed, or -ERANGE when it is past the bounds.
 */
#ifndef __PARSE_H
#define __PARSE_H

#include <stdint.h>

/* Decimal digits only, 1 .. max. */
int parse_count(const char *s, long max, int *out);
/* A byte count with an optional K, M or G suffix (binary multiples; KB, MB, GB too). */
int parse_size(const char *s, unsigned long *size);
/* Seconds with up to three decimals, into ms: 1 .. max_ms. */
int parse_millis(const char *s, unsigned long max_ms, unsigned long *ms);
/* A user ID, or a name from the user database (-ENOENT: no such user). */
int parse_uid(const char *s, uint32_t *uid);

#endif /* __PARSE_H */
