// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "load/tracer.h"
#include "run/loop_state.h"

/* The shorter of two timeouts, -1 being none. */
static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* The wait before the next drain, after flow drains in a row found records. */
static int flowing_interval(int flow)
{
	int ms = DRAIN_INTERVAL_MS;

	while (flow-- > 1 && ms < DRAIN_INTERVAL_MAX_MS)
		ms *= 2;
	return ms < DRAIN_INTERVAL_MAX_MS ? ms : DRAIN_INTERVAL_MAX_MS;
}

/* After a drain: the wake-up state it leads to, and that state's timeout. */
static void next_wakeup(enum loop_state state, const struct loop_look *look,
			struct loop_step *step)
{
	if (look->handled > 0) {
		step->tell = state != LOOP_FLOWING;
		step->waiting = false;
		step->state = LOOP_FLOWING;
		/* a count that stops growing once the interval has */
		step->flow = look->flow < 8 ? look->flow + 1 : look->flow;
		step->timeout = flowing_interval(step->flow);
		return;
	}
	step->flow = 0;
	if (state == LOOP_FLOWING) {
		step->tell = true;
		step->waiting = true;
		step->state = LOOP_GRACE;
		step->timeout = DRAIN_INTERVAL_MS;
		return;
	}
	step->state = LOOP_IDLE;
	step->timeout = -1;
}

struct loop_step loop_next(enum loop_state state, const struct loop_look *look)
{
	struct loop_step step = { .state = state, .timeout = -1, .flow = look->flow };
	int timeout;

	/* a summary waits while blocked too: the next one covers the time */
	timeout = look->blocked ? -1 : look->report_ms;
	timeout = min_timeout(timeout, look->lost_ms);
	if (look->blocked) {
		/* the kernel counts losses meanwhile: look once a second */
		timeout = min_timeout(timeout, LOST_REPORT_INTERVAL_MS);
	} else {
		next_wakeup(state, look, &step);
		timeout = min_timeout(timeout, step.timeout);
	}
	if (look->blocked ? look->room : look->more)
		timeout = 0; /* more waiting: look again at once */
	step.timeout = timeout;
	step.done = look->stop || look->ended;
	return step;
}
