// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* -- CMD's signals: see cmd_signals.h and the README's table. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "run/cmd_signals.h"

enum cmd_signal_role cmd_signal_role(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:	/* ignored by default; CMD's end is read from its pidfd */
	case SIGURG:
	case SIGWINCH:
	case SIGPIPE:	/* ignored: a reader that left is an EPIPE */
		return CMD_SIG_LEAVE;
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGSYS:
		return CMD_SIG_FAULT;
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return CMD_SIG_STOP;
	case SIGCONT:
		return CMD_SIG_CONT;
	default:
		return sig > 0 && sig < _NSIG ? CMD_SIG_FORWARD : CMD_SIG_LEAVE;
	}
}

void cmd_signal_set(sigset_t *set)
{
	int sig;

	sigemptyset(set);
	for (sig = 1; sig < _NSIG; sig++) {
		if (cmd_signal_role(sig) != CMD_SIG_LEAVE)
			sigaddset(set, sig);
	}
}

void cmd_signals_reset(void)
{
	signal(SIGCHLD, SIG_DFL);
}

static volatile int forward_fd = -1;

/* Sent by another process (kill, sigqueue), not the kernel, a terminal or ourselves. */
static bool sent_by_other(const siginfo_t *info)
{
	return info->si_code <= 0 && info->si_pid != getpid();
}

static void pass_on(int sig)
{
	if (forward_fd >= 0)
		syscall(SYS_pidfd_send_signal, forward_fd, sig, NULL, 0);
}

/*
 * Stops as the default action would (not at all in an orphaned process
 * group): the signal, pending while its handler runs, is let through with
 * the default action, and the handler is back once we are continued.
 */
static void stop_self(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	sigset_t set;

	sigemptyset(&dfl.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigaction(sig, &dfl, &old);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigaction(sig, &old, NULL);
}

/* A fault of our own, or our own abort(): the default action, as without a handler. */
static void die_by(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_signal(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;

	switch (cmd_signal_role(sig)) {
	case CMD_SIG_FORWARD:
	case CMD_SIG_CONT:
		/* from a terminal the whole group has it: CMD decides */
		if (sent_by_other(info))
			pass_on(sig);
		break;
	case CMD_SIG_FAULT:
		if (sent_by_other(info))
			pass_on(sig);
		else
			die_by(sig);
		break;
	case CMD_SIG_STOP:
		if (sent_by_other(info))
			pass_on(sig);
		stop_self(sig);
		break;
	case CMD_SIG_LEAVE:
		break;
	}
	errno = saved;
}

int cmd_signals_install(int pidfd)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	int sig;

	forward_fd = pidfd;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < _NSIG; sig++) {
		if (cmd_signal_role(sig) == CMD_SIG_LEAVE)
			continue;
		/* the C library keeps a few real-time signals for itself */
		if (sigaction(sig, &sa, NULL) && !(sig >= 32 && errno == EINVAL))
			return -errno;
	}
	return 0;
}
