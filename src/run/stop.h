/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The stop: SIGINT, SIGTERM or SIGHUP (a stop signal), or the end of the
 * -p process or of CMD, asks the event loop to drain and end. The signal
 * handler wakes the loop through an eventfd.
 */
#ifndef __STOP_H
#define __STOP_H

#include <signal.h>
#include <stdbool.h>

/* Set by a stop signal, or when the -p process or CMD has ended. */
extern volatile sig_atomic_t stop_requested;
/* Set by a stop signal only: the output's time is counted too. */
extern volatile sig_atomic_t stop_signalled;

/* The -p process or CMD ended: stop as a signal would, with no limit on the output's time. */
static inline void stop_request(void)
{
	stop_requested = 1;
}

/* SIGPIPE ignored, the stop signals' handler and its eventfd. 0 or -errno. */
int stop_signals_setup(void);

/*
 * Held while the programs load and attach (the verifier gives up with
 * EAGAIN when it sees a signal pending); a pending one stops the run once
 * they are unblocked.
 */
void stop_signals_block(bool block);

/* Readable once a stop signal came: for epoll and poll. -1 before setup. */
int stop_wake_fd(void);

/* Takes a pending wakeup, so that the next poll waits for a new one. */
void stop_wake_clear(void);

void stop_signals_close(void);

#endif /* __STOP_H */
