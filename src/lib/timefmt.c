// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "lib/fmt.h"
#include "lib/timefmt.h"

int64_t mono_to_realtime_offset(void)
{
	int64_t mono = (int64_t)clock_ns(CLOCK_MONOTONIC);
	int64_t real = (int64_t)clock_ns(CLOCK_REALTIME);
	int64_t mono2 = (int64_t)clock_ns(CLOCK_MONOTONIC);

	/* the midpoint of the two monotonic reads brackets the realtime read */
	return real - (mono + (mono2 - mono) / 2);
}

static void split(uint64_t ns, struct tm *tm, bool utc, unsigned long *frac_ns)
{
	time_t sec = (time_t)(ns / NSEC_PER_SEC);

	*frac_ns = (unsigned long)(ns % NSEC_PER_SEC);
	if (utc)
		gmtime_r(&sec, tm);
	else
		localtime_r(&sec, tm);
}

void format_clock(char *buf, size_t len, uint64_t realtime_ns, bool utc)
{
	unsigned long frac;
	struct tm tm;

	split(realtime_ns, &tm, utc, &frac);
	snprintf(buf, len, "%02d:%02d:%02d.%03lu", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 frac / 1000000);
}

void format_rfc3339(char *buf, size_t len, uint64_t realtime_ns)
{
	unsigned long frac;
	struct tm tm;

	split(realtime_ns, &tm, true, &frac);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09luZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

/* The text of second sec up to its nanoseconds ("000000000Z", 10 bytes). */
static void cache_head(struct rfc3339_cache *c, uint64_t sec)
{
	char buf[RFC3339_MAX + 1];
	size_t len;

	format_rfc3339(buf, sizeof(buf), sec * NSEC_PER_SEC);
	len = strlen(buf);
	c->len = len > 10 && len - 10 <= sizeof(c->head) ? len - 10 : 0;
	memcpy(c->head, buf, c->len);
	c->sec = sec;
}

char *format_rfc3339_cached(struct rfc3339_cache *c, char *p, uint64_t realtime_ns)
{
	uint64_t sec = realtime_ns / NSEC_PER_SEC;

	if (sec != c->sec)
		cache_head(c, sec);
	p = fmt_u64_pad(fmt_copy(p, c->head, c->len), realtime_ns % NSEC_PER_SEC, 9);
	*p++ = 'Z';
	return p;
}

void time_header(char *buf, size_t len, bool utc)
{
	time_t now = time(NULL);
	struct tm tm;

	if (utc) {
		snprintf(buf, len, "TIME-UTC");
		return;
	}
	localtime_r(&now, &tm);
	snprintf(buf, len, "TIME-%s", tm.tm_zone ? tm.tm_zone : "?");
}
