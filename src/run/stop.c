// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "run/stop.h"

volatile sig_atomic_t stop_requested;
volatile sig_atomic_t stop_signalled;

/* Wakes epoll_wait() from the signal handler. */
static int wake_fd = -1;

/*
 * First SIGINT/SIGTERM/SIGHUP: ask the loop to drain and stop, and restore
 * the default action so that a second one ends the process at once, even
 * while it is blocked writing to a stalled pipe. SA_RESTART keeps that
 * write going after the first.
 */
static void on_stop_signal(int sig)
{
	uint64_t one = 1;
	int saved = errno;

	stop_requested = 1;
	stop_signalled = 1;
	signal(sig, SIG_DFL);
	if (write(wake_fd, &one, sizeof(one)) < 0) {
		/* the eventfd is full only if a wakeup is already pending */
	}
	errno = saved;
}

void stop_signals_block(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int stop_signals_setup(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	signal(SIGPIPE, SIG_IGN); /* a gone reader is an EPIPE we handle */
	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	}
	return 0;
}

int stop_wake_fd(void)
{
	return wake_fd;
}

void stop_wake_clear(void)
{
	uint64_t one;

	if (read(wake_fd, &one, sizeof(one)) < 0) {
		/* no wakeup was pending */
	}
}

void stop_signals_close(void)
{
	if (wake_fd >= 0)
		close(wake_fd);
	wake_fd = -1;
}
