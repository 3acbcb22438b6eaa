// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "load/probe.h"
#include "test.h"

/* Only "the kernel lacks it" may choose a fallback; the rest is reported. */
void test_probe_unsupported(void)
{
	ASSERT_TRUE(probe_unsupported(-EINVAL), "EINVAL: unknown type or attribute");
	ASSERT_TRUE(probe_unsupported(-E2BIG), "E2BIG: attributes past the kernel's");
	ASSERT_TRUE(probe_unsupported(-ENOENT), "ENOENT: no attach target");
	ASSERT_TRUE(probe_unsupported(-EOPNOTSUPP), "EOPNOTSUPP");
	ASSERT_TRUE(probe_unsupported(-ENOTSUPP_KERNEL), "the kernel's ENOTSUPP (524)");
	ASSERT_TRUE(!probe_unsupported(-EPERM), "EPERM: privilege or RLIMIT_MEMLOCK");
	ASSERT_TRUE(!probe_unsupported(-EACCES), "EACCES: privilege, an LSM");
	ASSERT_TRUE(!probe_unsupported(-ENOMEM), "ENOMEM: memory");
	ASSERT_TRUE(!probe_unsupported(-EMFILE), "EMFILE: descriptors");
	ASSERT_TRUE(!probe_unsupported(-EFAULT), "anything else");
}
