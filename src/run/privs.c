// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <stdbool.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "run/privs.h"

#define CAP(n) (1ULL << (n))

const char *privs_missing(uint64_t eff)
{
	bool bpf = eff & CAP(CAP_BPF), perfmon = eff & CAP(CAP_PERFMON);

	if (eff & CAP(CAP_SYS_ADMIN) || (bpf && perfmon))
		return NULL;
	if (bpf)
		return "needs root, or CAP_BPF with CAP_PERFMON: CAP_PERFMON is missing";
	if (perfmon)
		return "needs root, or CAP_BPF with CAP_PERFMON: CAP_BPF is missing";
	return "needs root, or CAP_BPF with CAP_PERFMON";
}

uint64_t privs_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}
