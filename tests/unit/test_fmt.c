// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Hand-written numbers and copies against printf and memcpy. */
#include <inttypes.h>
#include <limits.h>
#include "lib/fmt.h"
#include "test.h"

static const char *u64(uint64_t v)
{
	static char buf[FMT_U64_LEN + 1];

	*fmt_u64(buf, v) = '\0';
	return buf;
}

void test_fmt_u64(void)
{
	char want[32];
	uint64_t v, p;
	int ok = 1;

	ASSERT_STREQ(u64(0), "0", "zero");
	ASSERT_STREQ(u64(7), "7", "one digit");
	ASSERT_STREQ(u64(19003), "19003", "a pid");
	ASSERT_STREQ(u64(UINT64_MAX), "18446744073709551615", "largest");
	/* every power of ten and its neighbours: where the length changes */
	for (p = 1; p <= 10000000000000000000ULL; p *= 10) {
		for (v = p - 1; v <= p + 1; v++) {
			snprintf(want, sizeof(want), "%" PRIu64, v);
			ok &= !strcmp(u64(v), want);
		}
		if (p == 10000000000000000000ULL)
			break;
	}
	ASSERT_TRUE(ok, "powers of ten, one either side");
	for (v = 0, ok = 1; v < 100000; v += 7) {
		snprintf(want, sizeof(want), "%" PRIu64, (uint64_t)(v * 2654435761ULL));
		ok &= !strcmp(u64(v * 2654435761ULL), want);
	}
	ASSERT_TRUE(ok, "a spread of values as printf");
}

void test_fmt_int_hex(void)
{
	char buf[32];

	*fmt_int(buf, -1) = '\0';
	ASSERT_STREQ(buf, "-1", "negative");
	*fmt_int(buf, INT_MIN) = '\0';
	ASSERT_STREQ(buf, "-2147483648", "smallest int");
	*fmt_int(buf, 255) = '\0';
	ASSERT_STREQ(buf, "255", "positive");
	*fmt_hex(buf, 0) = '\0';
	ASSERT_STREQ(buf, "0x0", "hex zero");
	*fmt_hex(buf, 0x10) = '\0';
	ASSERT_STREQ(buf, "0x10", "hex 16");
	*fmt_hex(buf, 0xffffffffffffff00ULL) = '\0';
	ASSERT_STREQ(buf, "0xffffffffffffff00", "hex 64-bit, lowercase");
}

void test_fmt_copy(void)
{
	char src[64], dst[80];
	size_t n, i;
	int ok = 1;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)('a' + i % 26);
	for (n = 0; n <= sizeof(src); n++) {
		memset(dst, '#', sizeof(dst));
		ok &= fmt_copy(dst + 1, src, n) == dst + 1 + n;
		ok &= !memcmp(dst + 1, src, n) && dst[0] == '#' && dst[n + 1] == '#';
	}
	ASSERT_TRUE(ok, "every length up to 64, nothing around it touched");
}

void test_fmt_u64_pad(void)
{
	char buf[32];

	*fmt_u64_pad(buf, 0, 9) = '\0';
	ASSERT_STREQ(buf, "000000000", "zero, nine digits");
	*fmt_u64_pad(buf, 997123456, 9) = '\0';
	ASSERT_STREQ(buf, "997123456", "full width");
	*fmt_u64_pad(buf, 4056, 9) = '\0';
	ASSERT_STREQ(buf, "000004056", "padded");
	*fmt_u64_pad(buf, 7, 1) = '\0';
	ASSERT_STREQ(buf, "7", "one digit");
	*fmt_u64_pad(buf, 42, 2) = '\0';
	ASSERT_STREQ(buf, "42", "one pair");
}
