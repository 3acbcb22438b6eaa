// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The ring-buffer walk over a ring built in memory as the kernel lays it out. */
#include <stdint.h>
#include <stdlib.h>
#include <linux/bpf.h>
#include "load/ringbuf.h"
#include "test.h"

#define RING 64 /* bytes: small, so that records wrap */

struct fake_ring {
	unsigned long cons, prod;
	uint8_t data[RING];
	struct ringbuf_view view;
};

struct seen {
	int n;
	char text[8][32];
	size_t size[8];
	int stop_after; /* return -1 from this record on */
};

static void fake_init(struct fake_ring *r, unsigned long start)
{
	memset(r, 0, sizeof(*r));
	r->cons = r->prod = start;
	r->view.consumer_pos = &r->cons;
	r->view.producer_pos = &r->prod;
	r->view.data = r->data;
	r->view.mask = RING - 1;
}

/* Appends a record as the kernel commits one: header, body, 8-byte padding. */
static void fake_put(struct fake_ring *r, const char *body, uint32_t flags)
{
	uint32_t len = strlen(body) + 1, hdr = len | flags, i;

	memcpy(&r->data[r->prod & (RING - 1)], &hdr, sizeof(hdr));
	for (i = 0; i < len; i++)
		r->data[(r->prod + BPF_RINGBUF_HDR_SZ + i) & (RING - 1)] = body[i];
	r->prod += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
}

static int collect(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;

	if (s->n >= 8)
		return -2;
	snprintf(s->text[s->n], sizeof(s->text[0]), "%s", (char *)data);
	s->size[s->n++] = size;
	return s->stop_after && s->n >= s->stop_after ? -1 : 0;
}

void test_ringbuf_walk(void)
{
	struct fake_ring r;
	struct seen s = {};

	fake_init(&r, 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 100), 0, "empty ring");
	fake_put(&r, "one", 0);
	fake_put(&r, "dropped", BPF_RINGBUF_DISCARD_BIT);
	fake_put(&r, "three", 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 100), 2, "discarded record skipped");
	ASSERT_STREQ(s.text[0], "one", "first record");
	ASSERT_EQ(s.size[0], 4, "size without padding");
	ASSERT_STREQ(s.text[1], "three", "record after a discarded one");
	ASSERT_EQ(r.cons, r.prod, "consumer position caught up");
}

void test_ringbuf_wrap(void)
{
	struct fake_ring r;
	struct seen s = {};

	/* 48 bytes in: the header fits before the end, the body runs past it */
	fake_init(&r, 48);
	fake_put(&r, "wraps-around", 0);
	fake_put(&r, "ab", 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 100), 2, "two records");
	ASSERT_STREQ(s.text[0], "wraps-around", "wrapped body copied whole");
	ASSERT_TRUE(r.view.scratch != NULL, "wrapped body went through the scratch buffer");
	ASSERT_STREQ(s.text[1], "ab", "record after the wrap");
	ASSERT_EQ(r.cons, 88, "positions keep counting past the size");
	free(r.view.scratch);
}

void test_ringbuf_busy_and_stop(void)
{
	struct fake_ring r;
	struct seen s = { .stop_after = 1 };
	unsigned long first;

	fake_init(&r, 0);
	fake_put(&r, "a", 0);
	first = r.prod;
	fake_put(&r, "b", 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 100), -1, "callback's error returned");
	ASSERT_EQ(r.cons, first, "the stopping record is consumed, not the next");
	s.stop_after = 0;
	fake_put(&r, "busy", BPF_RINGBUF_BUSY_BIT);
	fake_put(&r, "after", 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 100), 1, "stops at a reserved record");
	ASSERT_STREQ(s.text[1], "b", "record before it");
	ASSERT_TRUE(r.cons < r.prod, "reserved record and what follows wait");
}

void test_ringbuf_budget(void)
{
	struct fake_ring r;
	struct seen s = {};

	fake_init(&r, 0);
	fake_put(&r, "a", 0);
	fake_put(&r, "skip", BPF_RINGBUF_DISCARD_BIT);
	fake_put(&r, "b", 0);
	fake_put(&r, "c", 0);
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 2), 2, "stops at the budget");
	ASSERT_STREQ(s.text[1], "b", "discarded records do not count");
	ASSERT_TRUE(r.cons < r.prod, "the rest waits");
	ASSERT_EQ(ringbuf_walk(&r.view, collect, &s, 2), 1, "the next walk goes on");
	ASSERT_STREQ(s.text[2], "c", "from where the last stopped");
	ASSERT_EQ(r.cons, r.prod, "caught up");
}

#define BIG_RING (64 * 1024)

struct big_ring {
	unsigned long cons, prod;
	uint8_t data[BIG_RING];
	struct ringbuf_view view;
	unsigned long handled;		/* where the record being handled starts */
	unsigned long seen_cons[64];	/* the published position at each call */
	int calls;
	bool past_record;		/* the position ever passed a record in hand */
};

static int watch_cons(void *ctx, void *data, size_t size)
{
	struct big_ring *r = ctx;
	unsigned long at = (unsigned long)((uint8_t *)data - r->data) - BPF_RINGBUF_HDR_SZ;

	(void)size;
	if (r->cons > at)
		r->past_record = true;
	if (r->calls < 64)
		r->seen_cons[r->calls] = r->cons;
	r->calls++;
	return 0;
}

/*
 * The consumer position is what lets the kernel reuse the ring: published
 * within a long walk, never past a record still in hand, and not once per
 * record (the producer reads that line at each reserve).
 */
void test_ringbuf_publish(void)
{
	static struct big_ring r;
	uint32_t len = 1024 - BPF_RINGBUF_HDR_SZ;
	int i, moves = 0;

	memset(&r, 0, sizeof(r));
	r.view.consumer_pos = &r.cons;
	r.view.producer_pos = &r.prod;
	r.view.data = r.data;
	r.view.mask = BIG_RING - 1;
	for (i = 0; i < 48; i++) {
		memcpy(&r.data[r.prod], &len, sizeof(len));
		r.prod += 1024;
	}
	ASSERT_EQ(ringbuf_walk(&r.view, watch_cons, &r, 100), 48, "every record");
	ASSERT_TRUE(!r.past_record, "never past the record in hand");
	ASSERT_EQ(r.seen_cons[0], 0, "not moved before the first is handled");
	for (i = 1; i < 48; i++)
		moves += r.seen_cons[i] != r.seen_cons[i - 1];
	ASSERT_TRUE(moves >= 2, "published during the walk");
	ASSERT_TRUE(moves <= 4, "not once per record");
	ASSERT_EQ(r.cons, r.prod, "caught up when it ends");
}
