/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tiny harness in the style of the kernel's BPF selftests: named
 * assertions that report and continue, one function per test.
 */
#ifndef __TEST_H
#define __TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int test_failures;
extern const char *test_skip_reason;

/* Only for what this machine cannot do; the reason is printed. */
#define TEST_SKIP(reason) (test_skip_reason = (reason))

bool test_report(bool ok, const char *file, int line, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define ASSERT_TRUE(cond, name)                                                            \
	test_report(!!(cond), __FILE__, __LINE__, name, "expected true: %s", #cond)

#define ASSERT_EQ(got, want, name)                                                         \
	({                                                                                  \
		long long __g = (long long)(got), __w = (long long)(want);                   \
		test_report(__g == __w, __FILE__, __LINE__, name, "got %lld, want %lld", __g, \
			    __w);                                                            \
	})

#define ASSERT_STREQ(got, want, name)                                                      \
	({                                                                                  \
		const char *__g = (got), *__w = (want);                                      \
		test_report(__g && __w && !strcmp(__g, __w), __FILE__, __LINE__, name,        \
			    "got \"%s\", want \"%s\"", __g ? __g : "(null)", __w ? __w : "(null)"); \
	})

#define ASSERT_NULL(got, name)                                                             \
	test_report((got) == NULL, __FILE__, __LINE__, name, "expected NULL")

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Declarations of every test (tests.inc lists them). */
#define TEST(n) void n(void);
#include "tests.inc"
#undef TEST

#endif /* __TEST_H */
