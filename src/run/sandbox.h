/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Least privilege once the programs are attached: the capabilities the
 * run no longer needs are dropped, no_new_privs is set, and a seccomp
 * allow-list admits only the system calls of the event loop.
 */
#ifndef __SANDBOX_H
#define __SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * keep_dac_read_search: keep CAP_DAC_READ_SEARCH, which the OOM memory
 * cgroup lookup (open_by_handle_at) needs; every other capability goes.
 * metrics_dirfd: the --metrics-file directory, whose rewrites (openat,
 * fsync, renameat, unlinkat relative to it) stay allowed; -1 for none.
 * command: -- CMD's PID, to which kill() (signals passed on) and wait4()
 * stay allowed, and to no other process; 0 without.
 * 0, or -errno of the step that failed.
 */
int sandbox_enter(bool keep_dac_read_search, int metrics_dirfd, pid_t command);

#endif /* __SANDBOX_H */
