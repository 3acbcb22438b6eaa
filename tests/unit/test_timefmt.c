// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <time.h>
#include "test.h"
#include "lib/clock.h"
#include "lib/timefmt.h"

/* 2019-05-04 13:20:22.997123456 UTC */
#define T0 (1556976022ULL * NSEC_PER_SEC + 997123456ULL)

void test_time_formats(void)
{
	char buf[64];

	format_clock(buf, sizeof(buf), T0, true);
	ASSERT_STREQ(buf, "13:20:22.997", "clock utc, milliseconds truncated");
	format_rfc3339(buf, sizeof(buf), T0);
	ASSERT_STREQ(buf, "2019-05-04T13:20:22.997123456Z", "rfc3339");
	time_header(buf, sizeof(buf), true);
	ASSERT_STREQ(buf, "TIME-UTC", "utc header");
	setenv("TZ", "CET-1CEST", 1);
	tzset();
	format_clock(buf, sizeof(buf), T0, false);
	ASSERT_STREQ(buf, "15:20:22.997", "local time (CEST)");
	setenv("TZ", "UTC", 1);
	tzset();
	time_header(buf, sizeof(buf), false);
	ASSERT_STREQ(buf, "TIME-UTC", "local header names the zone");
}

void test_clock_offset(void)
{
	struct timespec rt;
	int64_t off = mono_to_realtime_offset();
	int64_t mono, real;

	clock_gettime(CLOCK_MONOTONIC, &rt);
	mono = rt.tv_sec * (int64_t)NSEC_PER_SEC + rt.tv_nsec;
	clock_gettime(CLOCK_REALTIME, &rt);
	real = rt.tv_sec * (int64_t)NSEC_PER_SEC + rt.tv_nsec;
	ASSERT_TRUE(llabs(mono + off - real) < 10000000, "monotonic + offset is realtime (10 ms)");
}

static int cached_is_plain(struct rfc3339_cache *c, uint64_t ns)
{
	char want[64], got[RFC3339_MAX + 1];

	format_rfc3339(want, sizeof(want), ns);
	*format_rfc3339_cached(c, got, ns) = '\0';
	return !strcmp(got, want);
}

void test_rfc3339_cached(void)
{
	struct rfc3339_cache c = RFC3339_CACHE_INIT;
	uint64_t t;
	int ok = 1;

	ASSERT_TRUE(cached_is_plain(&c, T0), "first");
	ASSERT_TRUE(cached_is_plain(&c, T0 + 1), "same second");
	ASSERT_TRUE(cached_is_plain(&c, T0 - T0 % NSEC_PER_SEC), "same second, no fraction");
	ASSERT_TRUE(cached_is_plain(&c, T0 + NSEC_PER_SEC), "next second");
	ASSERT_TRUE(cached_is_plain(&c, T0), "back in time");
	ASSERT_TRUE(cached_is_plain(&c, 0), "the epoch");
	/* across a day, a month and a year's end, in uneven steps */
	for (t = 1767225599ULL * NSEC_PER_SEC - 5; t < 1767225601ULL * NSEC_PER_SEC;
	     t += 99999989)
		ok &= cached_is_plain(&c, t);
	ASSERT_TRUE(ok, "over the new year");
}

/* clock_ns() lies between two direct reads of the same clock, and clock_mono_ms() agrees. */
void test_clock_ns(void)
{
	static const clockid_t ids[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
	struct timespec ts;
	uint64_t before, got, after, ms;
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		clock_gettime(ids[i], &ts);
		before = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
		got = clock_ns(ids[i]);
		clock_gettime(ids[i], &ts);
		after = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
		ASSERT_TRUE(before <= got && got <= after, "clock_ns between two reads");
	}
	before = clock_ns(CLOCK_MONOTONIC) / NSEC_PER_MSEC;
	ms = clock_mono_ms();
	after = clock_ns(CLOCK_MONOTONIC) / NSEC_PER_MSEC;
	ASSERT_TRUE(before <= ms && ms <= after, "clock_mono_ms is monotonic ms");
}
