// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runs every unit test; prints "unit: N passed, N failed, N skipped". */
#include <stdarg.h>
#include <stdlib.h>
#include "test.h"

int test_failures;
const char *test_skip_reason;

bool test_report(bool ok, const char *file, int line, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	test_failures++;
	fprintf(stderr, "    %s:%d: %s: ", file, line, name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

#define TEST(n) { #n, n },
static const struct unit_test tests[] = {
#include "tests.inc"
};
#undef TEST

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;
	size_t i;

	setenv("TZ", "UTC", 1);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int before = test_failures;

		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		test_skip_reason = NULL;
		tests[i].fn();
		if (test_failures == before && test_skip_reason) {
			skipped++;
			printf("skip unit/%s: %s\n", tests[i].name, test_skip_reason);
		} else if (test_failures == before) {
			passed++;
			printf("ok   unit/%s\n", tests[i].name);
		} else {
			failed++;
			printf("FAIL unit/%s\n", tests[i].name);
		}
	}
	printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
