// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* RLIMIT_MEMLOCK for kernels that charge BPF memory to it: see memlock.h. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include "lib/log.h"
#include "load/memlock.h"
#include "load/privs.h"
#include "load/probe.h"

static uint64_t bytes(rlim_t v)
{
	return v == RLIM_INFINITY ? UINT64_MAX : (uint64_t)v;
}

static unsigned long long kib(rlim_t v)
{
	return (unsigned long long)(v / 1024);
}

/*
 * Under a zero soft limit a map is refused with EPERM where the limit is
 * charged; the soft limit is lowered for that one call, then put back
 * (the hard limit is untouched, so that is always allowed). EPERM can
 * also be a seccomp filter or an LSM refusing bpf() itself, which then
 * refuses a bare call too, where the kernel answers EINVAL.
 * 0: the memory cgroup is charged; 1: the limit; -errno: cannot tell.
 */
static int charged_to_rlimit(const struct rlimit *rl)
{
	struct rlimit zero = { 0, rl->rlim_max };
	int err;

	if (setrlimit(RLIMIT_MEMLOCK, &zero))
		return -errno;
	err = probe_array_map();
	setrlimit(RLIMIT_MEMLOCK, rl);
	if (err != -EPERM)
		return err;
	err = privs_bare_bpf();
	return err == -EINVAL ? 1 : err;
}

void memlock_prepare(struct memlock *m)
{
	struct rlimit rl, inf = { RLIM_INFINITY, RLIM_INFINITY };
	int who, err;

	memset(m, 0, sizeof(*m));
	m->limit = UINT64_MAX;
	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return;
	if (rl.rlim_cur == RLIM_INFINITY) {
		log_debug("locked memory: RLIMIT_MEMLOCK is unlimited");
		return; /* whoever is charged, nothing to raise */
	}
	m->limit = bytes(rl.rlim_cur);
	who = charged_to_rlimit(&rl);
	if (who <= 0) {
		if (!who)
			log_debug("locked memory: BPF memory is charged to the memory cgroup (5.11+)");
		else
			log_debug("locked memory: who is charged for BPF memory is unknown (%s)",
				  strerror(-who));
		return;
	}
	m->charged = true;
	if (!setrlimit(RLIMIT_MEMLOCK, &inf)) {
		log_debug("locked memory: BPF memory is charged to RLIMIT_MEMLOCK (before 5.11): "
			  "raised from %llu KiB to unlimited", kib(rl.rlim_cur));
		m->limit = UINT64_MAX;
		return;
	}
	err = errno;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (!setrlimit(RLIMIT_MEMLOCK, &rl))
			m->limit = bytes(rl.rlim_cur);
	}
	log_debug("locked memory: BPF memory is charged to RLIMIT_MEMLOCK (before 5.11): "
		  "%llu KiB, not raised to unlimited: %s", (unsigned long long)(m->limit / 1024),
		  strerror(err));
}

bool memlock_short(const struct memlock *m)
{
	return m->charged && m->limit != UINT64_MAX;
}
