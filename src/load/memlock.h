/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Locked memory for BPF. Before 5.11 the kernel charges every BPF map and
 * program to RLIMIT_MEMLOCK, counted per user (all of root's processes
 * together, and freed memory only after an RCU grace period): the default
 * 64 KiB, or a second instance, leaves too little even for the kernel
 * probes. From 5.11 (97306be45fbe, "Merge branch 'switch to memcg-based
 * memory accounting'") it is charged to the memory cgroup and the limit
 * plays no part.
 */
#ifndef __MEMLOCK_H
#define __MEMLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct memlock {
	bool charged;		/* BPF memory counts against RLIMIT_MEMLOCK */
	uint64_t limit;		/* the soft limit now, bytes; UINT64_MAX: unlimited */
};

/*
 * Learns whether the kernel charges BPF memory to RLIMIT_MEMLOCK and, if
 * so, raises the limit to unlimited (with CAP_SYS_RESOURCE), else as far
 * as the hard limit. Before the first BPF object is made. The limit is
 * not put back: the process needs it until it ends, and -- CMD's process,
 * forked earlier, keeps the caller's.
 */
void memlock_prepare(struct memlock *m);

/* Charged and still limited: an EPERM or ENOMEM may be the limit's. */
bool memlock_short(const struct memlock *m);

#endif /* __MEMLOCK_H */
