// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Numbers from the command line, strict: the whole string, within bounds. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include "lib/parse.h"

int parse_count(const char *s, long max, int *out)
{
	char *end;
	long v;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < 1 || v > max)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

int parse_size(const char *s, unsigned long *size)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] && !((end[1] == 'B' || end[1] == 'b') && !end[2]))
		return -EINVAL;
	if (v > (ULONG_MAX >> shift))
		return -ERANGE;
	*size = (unsigned long)(v << shift);
	return 0;
}

int parse_millis(const char *s, unsigned long max_ms, unsigned long *ms)
{
	unsigned long long whole, frac = 0;
	int digits = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	whole = strtoull(s, &end, 10);
	if (errno == ERANGE || whole > max_ms / 1000)
		return -ERANGE;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, digits++) {
			if (digits < 3)
				frac = frac * 10 + (unsigned long long)(*end - '0');
		}
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*end)
		return -EINVAL;
	*ms = (unsigned long)(whole * 1000 + frac);
	if (!*ms || *ms > max_ms)
		return -ERANGE;
	return 0;
}

int parse_uid(const char *s, uint32_t *uid)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	if (!*s)
		return -EINVAL;
	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (*end)
			return -EINVAL;
		if (errno == ERANGE || v >= UINT32_MAX)
			return -ERANGE;
		*uid = (uint32_t)v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	return 0;
}
