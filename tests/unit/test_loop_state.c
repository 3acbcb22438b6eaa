// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The event loop's wake-up states (run/loop_state.c): every state and transition. */
#include "test.h"
#include "load/tracer.h"
#include "run/loop_state.h"

#define NONE (-1)
#define KEEP (-1)	/* want.tell: nothing told */

struct case_ {
	const char *name;
	enum loop_state from;
	struct loop_look look;
	enum loop_state to;
	int timeout;
	int tell;		/* KEEP, or the waiting flag told (0, 1) */
	bool done;
};

/* report_ms and lost_ms are NONE unless a case says otherwise (a later initializer wins). */
#pragma GCC diagnostic ignored "-Woverride-init"
#define LOOK(...) { .report_ms = NONE, .lost_ms = NONE, __VA_ARGS__ }

static const struct case_ cases[] = {
	/* the three states, after a drain that found records */
	{ "idle, records: flowing, BPF told not waiting", LOOP_IDLE, LOOK(.handled = 3),
	  LOOP_FLOWING, DRAIN_INTERVAL_MS, 0, false },
	{ "grace, records: flowing, BPF told not waiting", LOOP_GRACE, LOOK(.handled = 1),
	  LOOP_FLOWING, DRAIN_INTERVAL_MS, 0, false },
	{ "flowing, records: flowing, nothing told", LOOP_FLOWING, LOOK(.handled = 9),
	  LOOP_FLOWING, DRAIN_INTERVAL_MS, KEEP, false },
	/* the interval doubles while drains keep finding records, up to its cap */
	{ "flowing, second drain with records: twice the interval", LOOP_FLOWING,
	  LOOK(.handled = 9, .flow = 1), LOOP_FLOWING, 2 * DRAIN_INTERVAL_MS, KEEP, false },
	{ "flowing, third drain with records: the cap", LOOP_FLOWING,
	  LOOK(.handled = 9, .flow = 2), LOOP_FLOWING, DRAIN_INTERVAL_MAX_MS, KEEP, false },
	{ "flowing, a long storm: the cap", LOOP_FLOWING,
	  LOOK(.handled = 9, .flow = 8), LOOP_FLOWING, DRAIN_INTERVAL_MAX_MS, KEEP, false },
	{ "grace after a storm, records again: the first interval", LOOP_GRACE,
	  LOOK(.handled = 1, .flow = 0), LOOP_FLOWING, DRAIN_INTERVAL_MS, 0, false },
	/* ... and after one that found none */
	{ "flowing, none: grace, BPF told waiting", LOOP_FLOWING, LOOK(.handled = 0),
	  LOOP_GRACE, DRAIN_INTERVAL_MS, 1, false },
	{ "a storm, then none: grace at the first interval", LOOP_FLOWING,
	  LOOK(.handled = 0, .flow = 5), LOOP_GRACE, DRAIN_INTERVAL_MS, 1, false },
	{ "blocked in a storm: the interval's count kept", LOOP_FLOWING,
	  LOOK(.blocked = true, .flow = 5), LOOP_FLOWING, LOST_REPORT_INTERVAL_MS, KEEP, false },
	{ "grace, none: idle, no timer", LOOP_GRACE, LOOK(.handled = 0),
	  LOOP_IDLE, NONE, KEEP, false },
	{ "idle, none: idle, no timer", LOOP_IDLE, LOOK(.handled = 0),
	  LOOP_IDLE, NONE, KEEP, false },
	/* more waits in the ring: look again at once */
	{ "budget used up: at once", LOOP_FLOWING, LOOK(.handled = 256, .more = true),
	  LOOP_FLOWING, 0, KEEP, false },
	{ "cut for the output, from idle: at once", LOOP_IDLE, LOOK(.handled = 5, .more = true),
	  LOOP_FLOWING, 0, 0, false },
	/* the other timers: the nearest wins */
	{ "idle, summary due in 700 ms", LOOP_IDLE, LOOK(.report_ms = 700),
	  LOOP_IDLE, 700, KEEP, false },
	{ "flowing, summary due sooner than the drain", LOOP_FLOWING,
	  LOOK(.handled = 1, .report_ms = 20), LOOP_FLOWING, 20, KEEP, false },
	{ "flowing, summary due later than the drain", LOOP_FLOWING,
	  LOOK(.handled = 1, .report_ms = 900), LOOP_FLOWING, DRAIN_INTERVAL_MS, KEEP, false },
	{ "idle, losses to report in 400 ms", LOOP_IDLE, LOOK(.lost_ms = 400),
	  LOOP_IDLE, 400, KEEP, false },
	{ "idle, summary and losses: the sooner", LOOP_IDLE, LOOK(.report_ms = 300, .lost_ms = 200),
	  LOOP_IDLE, 200, KEEP, false },
	/* blocked: the ring is left alone, the state kept, losses looked at once a second */
	{ "blocked while flowing: state kept, once a second", LOOP_FLOWING, LOOK(.blocked = true),
	  LOOP_FLOWING, LOST_REPORT_INTERVAL_MS, KEEP, false },
	{ "blocked while in grace: state kept", LOOP_GRACE, LOOK(.blocked = true),
	  LOOP_GRACE, LOST_REPORT_INTERVAL_MS, KEEP, false },
	{ "blocked while idle: state kept", LOOP_IDLE, LOOK(.blocked = true),
	  LOOP_IDLE, LOST_REPORT_INTERVAL_MS, KEEP, false },
	{ "blocked: a due summary waits", LOOP_FLOWING, LOOK(.blocked = true, .report_ms = 10),
	  LOOP_FLOWING, LOST_REPORT_INTERVAL_MS, KEEP, false },
	{ "loss while blocked: reported when due", LOOP_FLOWING, LOOK(.blocked = true, .lost_ms = 300),
	  LOOP_FLOWING, 300, KEEP, false },
	{ "blocked, then room: at once", LOOP_FLOWING, LOOK(.blocked = true, .room = true),
	  LOOP_FLOWING, 0, KEEP, false },
	/* the stop: a signal, or the -p process or CMD ended */
	{ "stop requested while idle: done", LOOP_IDLE, LOOK(.stop = true),
	  LOOP_IDLE, NONE, KEEP, true },
	{ "stop requested while flowing: done", LOOP_FLOWING, LOOK(.handled = 1, .stop = true),
	  LOOP_FLOWING, DRAIN_INTERVAL_MS, KEEP, true },
	{ "stop requested while blocked: done", LOOP_FLOWING, LOOK(.blocked = true, .stop = true),
	  LOOP_FLOWING, LOST_REPORT_INTERVAL_MS, KEEP, true },
	{ "command ended while idle: done", LOOP_IDLE, LOOK(.ended = true),
	  LOOP_IDLE, NONE, KEEP, true },
	{ "command ended with its record drained: done", LOOP_IDLE, LOOK(.handled = 1, .ended = true),
	  LOOP_FLOWING, DRAIN_INTERVAL_MS, 0, true },
	{ "command ended while blocked: done", LOOP_GRACE, LOOK(.blocked = true, .ended = true),
	  LOOP_GRACE, LOST_REPORT_INTERVAL_MS, KEEP, true },
};

void test_loop_state(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct loop_step st = loop_next(c->from, &c->look);

		ASSERT_EQ(st.state, c->to, c->name);
		ASSERT_EQ(st.timeout, c->timeout, c->name);
		ASSERT_EQ(st.tell ? st.waiting : KEEP, c->tell, c->name);
		ASSERT_EQ(st.done, c->done, c->name);
	}
}

/* A run of passes: records, a pause, records again, then a stop. */
void test_loop_state_sequence(void)
{
	static const int handled[] = { 4, 2, 0, 0, 0, 7 };
	static const enum loop_state want[] = {
		LOOP_FLOWING, LOOP_FLOWING, LOOP_GRACE, LOOP_IDLE, LOOP_IDLE, LOOP_FLOWING,
	};
	static const int wait_ms[] = {
		DRAIN_INTERVAL_MS, 2 * DRAIN_INTERVAL_MS, DRAIN_INTERVAL_MS, NONE, NONE,
		DRAIN_INTERVAL_MS,
	};
	struct loop_look look = LOOK(.handled = 0);
	enum loop_state state = LOOP_IDLE; /* as the loop starts */
	int told = 0;
	size_t i;

	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		struct loop_step st;

		look.handled = handled[i];
		st = loop_next(state, &look);
		told += st.tell;
		state = st.state;
		look.flow = st.flow; /* as the loop carries it */
		ASSERT_EQ(state, want[i], "state after each pass");
		ASSERT_EQ(st.timeout, wait_ms[i], "the wait after each pass");
		ASSERT_TRUE(!st.done, "no stop asked");
	}
	/* not waiting (first records), waiting (grace), not waiting (records again) */
	ASSERT_EQ(told, 3, "the BPF side is told only on a change");
	look.stop = true;
	ASSERT_TRUE(loop_next(state, &look).done, "then the stop");
}
