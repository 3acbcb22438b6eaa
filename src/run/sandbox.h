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
 * fsync, renameat, unlinkat relative to it, dup3() onto it) stay allowed;
 * -1 for none.
 * command, command_pidfd: -- CMD's PID, which wait4() may wait for, and its
 * pidfd, through which pidfd_send_signal() passes signals on; no other
 * process. command 0 without.
 * 0, or -errno of the step that failed.
 */
int sandbox_enter(bool keep_dac_read_search, int metrics_dirfd, pid_t command, int command_pidfd);

#endif /* __SANDBOX_H */
