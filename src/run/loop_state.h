/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event loop's wake-up states, as a pure function of what one pass
 * found: no clock, no descriptor, no global (tests/unit/test_loop_state.c).
 *
 * Wakeups cost more than records here, so the loop has three states.
 * FLOWING: records came at the last look; drain again in
 * DRAIN_INTERVAL_MS, doubled for each drain in a row that found records up
 * to DRAIN_INTERVAL_MAX_MS, and the BPF side sends no wakeups (a ring half
 * full still wakes the reader). GRACE: a look
 * found nothing; tell the BPF side we wait, and look once more after an
 * interval (any program that saw "not waiting" has long committed by
 * then). IDLE: nothing again; sleep with no timer until the kernel wakes
 * us for the next record.
 *
 * While the output is blocked (it holds more than the reader has taken)
 * the ring is left alone and the state is kept: the loop waits for room,
 * and looks once a second at what the kernel counted as lost.
 */
#ifndef __LOOP_STATE_H
#define __LOOP_STATE_H

#include <stdbool.h>

/* New losses are reported at most this often. */
#define LOST_REPORT_INTERVAL_MS 1000

enum loop_state {
	LOOP_FLOWING,
	LOOP_GRACE,
	LOOP_IDLE,
};

/* What one pass of the loop found. */
struct loop_look {
	int handled;		/* records the drain handled (0: none, or no drain) */
	int flow;		/* drains in a row that found records, before this one */
	bool more;		/* the drain ended at its budget or for the output: more wait */
	bool blocked;		/* the output was blocked: the ring was left alone */
	bool room;		/* blocked, and the output has taken enough since */
	bool stop;		/* a stop was requested (a signal) */
	bool ended;		/* the -p process or CMD ended (its pidfd) */
	int report_ms;		/* until the next --interval summary; -1 for none */
	int lost_ms;		/* until new losses may be reported; -1 for none */
};

/* What the loop does next. */
struct loop_step {
	enum loop_state state;
	int timeout;		/* epoll_wait()'s, in ms; -1: until woken */
	int flow;		/* look.flow for the next pass */
	bool tell;		/* tell the BPF side whether the reader waits */
	bool waiting;		/* what to tell it */
	bool done;		/* leave the loop for the final drain */
};

struct loop_step loop_next(enum loop_state state, const struct loop_look *look);

#endif /* __LOOP_STATE_H */
