/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -- CMD's signals: exitsnoop ends when CMD does, never before (SIGKILL
 * aside), so every catchable signal that would end it is passed on to
 * CMD or ignored, and the job-control ones act as on a shell's job.
 */
#ifndef __CMD_SIGNALS_H
#define __CMD_SIGNALS_H

#include <signal.h>

enum cmd_signal_role {
	CMD_SIG_LEAVE,		/* cannot be caught, or harmless by default */
	CMD_SIG_FORWARD,	/* ends a process by default: passed on, else ignored */
	CMD_SIG_FAULT,		/* passed on when sent; a fault of our own kills us */
	CMD_SIG_STOP,		/* TSTP, TTIN, TTOU: passed on when sent; we stop too */
	CMD_SIG_CONT,		/* passed on when sent; the kernel continues us anyway */
};

enum cmd_signal_role cmd_signal_role(int sig);

/* The signals given a role other than CMD_SIG_LEAVE. */
void cmd_signal_set(sigset_t *set);

/*
 * Before CMD's process is forked: what the caller left that would break
 * waiting for it (an ignored SIGCHLD reaps it unseen) is reset.
 */
void cmd_signals_reset(void);

/* Handlers for every signal of cmd_signal_set(), passing on through pidfd. 0 or -errno. */
int cmd_signals_install(int pidfd);

#endif /* __CMD_SIGNALS_H */
