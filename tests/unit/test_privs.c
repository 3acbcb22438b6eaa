// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <linux/capability.h>
#include "run/privs.h"
#include "test.h"

#define CAP(n) (1ULL << (n))

void test_privs_missing(void)
{
	ASSERT_NULL(privs_missing(CAP(CAP_SYS_ADMIN)), "CAP_SYS_ADMIN is enough");
	ASSERT_NULL(privs_missing(CAP(CAP_BPF) | CAP(CAP_PERFMON)), "CAP_BPF and CAP_PERFMON");
	ASSERT_NULL(privs_missing(~0ULL), "root");
	ASSERT_STREQ(privs_missing(CAP(CAP_BPF)),
		     "needs root, or CAP_BPF with CAP_PERFMON: CAP_PERFMON is missing", "no CAP_PERFMON");
	ASSERT_STREQ(privs_missing(CAP(CAP_PERFMON) | CAP(CAP_NET_ADMIN)),
		     "needs root, or CAP_BPF with CAP_PERFMON: CAP_BPF is missing", "no CAP_BPF");
	ASSERT_STREQ(privs_missing(0), "needs root, or CAP_BPF with CAP_PERFMON", "nothing");
}
