/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Consumer of a BPF ring buffer map. The data area is mapped once, not
 * twice: a record that wraps around the end is copied into a scratch
 * buffer, which keeps the resident memory of the ring at its size.
 */
#ifndef __RINGBUF_H
#define __RINGBUF_H

#include <stddef.h>
#include <stdint.h>

/* Called for each record; a negative return stops the drain with that value. */
typedef int (*ringbuf_fn)(void *ctx, void *data, size_t size);

/* What the walk needs: the two positions and the data area (size mask + 1). */
struct ringbuf_view {
	unsigned long *consumer_pos;
	const unsigned long *producer_pos;
	const uint8_t *data;
	size_t mask;
	uint8_t *scratch;	/* for records that wrap; grown on demand */
	size_t scratch_size;
};

/*
 * Hands committed records to fn, at most budget of them, so that a reader
 * that never catches up still gets back to its loop: records handled, or
 * fn's negative value.
 */
int ringbuf_walk(struct ringbuf_view *v, ringbuf_fn fn, void *ctx, int budget);

struct ringbuf {
	struct ringbuf_view view;
	void *cons_map;
	void *prod_map;
	size_t prod_len;
};

/* Maps the ring of map_fd, whose max_entries is size; -errno on failure. */
int ringbuf_open(struct ringbuf *rb, int map_fd, size_t size);
void ringbuf_close(struct ringbuf *rb);

#endif /* __RINGBUF_H */
