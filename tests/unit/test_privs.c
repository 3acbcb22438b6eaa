// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include "load/privs.h"
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

void test_privs_parse_status(void)
{
	struct privs_view v;

	privs_parse_status("Name:\tx\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\n"
			   "Speculation_Store_Bypass:\tthread force mitigated\n", &v);
	ASSERT_EQ(v.seccomp, 2, "Seccomp");
	ASSERT_EQ(v.filters, 3, "Seccomp_filters");
	privs_parse_status("Name:\tx\nSeccomp:\t0\n", &v);
	ASSERT_EQ(v.seccomp, 0, "no filter");
	ASSERT_EQ(v.filters, -1, "before 5.9: not said");
	privs_parse_status("", &v);
	ASSERT_EQ(v.seccomp, -1, "nothing said");
}

#define HELD (CAP(CAP_BPF) | CAP(CAP_PERFMON) | CAP(CAP_DAC_READ_SEARCH))
#define PROFILE "run under a profile that allows it, such as contrib/kubernetes/exitsnoop-seccomp.json"

void test_privs_refusal(void)
{
	struct privs_view v = { .eff = HELD, .seccomp = 2, .filters = 1, .bare_err = -EPERM };
	char buf[256];

	ASSERT_STREQ(privs_refusal(&v, buf, sizeof(buf)),
		     "a seccomp filter refused bpf(2) (Seccomp_filters: 1): " PROFILE,
		     "capabilities held, the filter refuses even a bare call");
	v.filters = -1;
	ASSERT_STREQ(privs_refusal(&v, buf, sizeof(buf)), "a seccomp filter refused bpf(2): " PROFILE,
		     "no filter count before 5.9");
	v.eff = CAP(CAP_BPF);
	ASSERT_STREQ(privs_refusal(&v, buf, sizeof(buf)),
		     "needs root, or CAP_BPF with CAP_PERFMON: CAP_PERFMON is missing",
		     "a missing capability comes first");
	v.eff = HELD;
	v.bare_err = -EINVAL;
	ASSERT_STREQ(privs_refusal(&v, buf, sizeof(buf)),
		     "refused although the capabilities are held and the seccomp filter allows "
		     "bpf(2): a security module's policy, or capabilities of a user namespace only",
		     "the filter lets the bare call through: not the filter");
	v.seccomp = 0;
	v.bare_err = -EPERM;
	ASSERT_STREQ(privs_refusal(&v, buf, sizeof(buf)),
		     "refused although the capabilities are held: a security module's policy, "
		     "or capabilities of a user namespace only", "no filter: not seccomp");
	v.eff = ~0ULL;
	v.seccomp = 2;
	ASSERT_NULL(strstr(privs_refusal(&v, buf, sizeof(buf)), "CAP_"), "root: no capability blamed");
}
