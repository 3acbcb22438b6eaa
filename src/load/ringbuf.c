// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's ring buffer layout (kernel/bpf/ringbuf.c): page 0 holds the
 * consumer position (writable by us), page 1 the producer position, then
 * the data area. Each record starts with an 8-byte header whose first word
 * is its length with a busy and a discard bit; records are 8-byte aligned,
 * so a header never wraps, only a record's body can.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "load/ringbuf.h"

/* How far past a record its successor's lines are fetched ahead. */
#define PREFETCH_AHEAD 512
/*
 * The consumer position is a line the producer reads at each reserve:
 * written once per record, it would move between the CPUs each time.
 */
#define PUBLISH_BYTES (16 * 1024)

static size_t record_len(uint32_t len)
{
	return (len + BPF_RINGBUF_HDR_SZ + 7) & ~(size_t)7;
}

/* The record's body, contiguous: in place, or copied if it wraps. */
static void *body(struct ringbuf_view *v, unsigned long pos, uint32_t len)
{
	size_t off = pos & v->mask, first = v->mask + 1 - off;
	uint8_t *p;

	if (len <= first)
		return (void *)(v->data + off);
	if (len > v->scratch_size) {
		p = realloc(v->scratch, len);
		if (!p)
			return NULL;
		v->scratch = p;
		v->scratch_size = len;
	}
	memcpy(v->scratch, v->data + off, first);
	memcpy(v->scratch + first, v->data, len - first);
	return v->scratch;
}

/*
 * A record's lines asked for at once: another CPU wrote them, and the
 * decoder's reads of them one after the other would each wait in turn.
 * The next record's first lines too, while this one is handled.
 */
static void prefetch_record(const struct ringbuf_view *v, unsigned long pos, uint32_t len)
{
	size_t off = pos & v->mask, end = off + record_len(len) + PREFETCH_AHEAD;

	if (end > v->mask + 1)
		end = v->mask + 1;
	for (off += 64; off < end; off += 64)
		__builtin_prefetch(v->data + off);
}

/* Published every so many records, and when the walk ends. */
static void publish(struct ringbuf_view *v, unsigned long cons)
{
	__atomic_store_n(v->consumer_pos, cons, __ATOMIC_RELEASE);
}

int ringbuf_walk(struct ringbuf_view *v, ringbuf_fn fn, void *ctx, int budget)
{
	unsigned long cons = __atomic_load_n(v->consumer_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = cons, start = cons;
	uint32_t len;
	void *sample;
	int n = 0, err = 0;

	for (;;) {
		if (cons >= prod)
			prod = __atomic_load_n(v->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod || n >= budget)
			break;
		len = __atomic_load_n((const uint32_t *)(v->data + (cons & v->mask)),
				      __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break; /* reserved, not yet committed */
		sample = NULL;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			prefetch_record(v, cons, len);
			sample = body(v, cons + BPF_RINGBUF_HDR_SZ, len);
			if (!sample) {
				err = -ENOMEM;
				break;
			}
		}
		len &= ~BPF_RINGBUF_DISCARD_BIT;
		err = sample ? fn(ctx, sample, len) : 0;
		cons += record_len(len);
		if (err < 0)
			break;
		n += !!sample;
		if (cons - start >= PUBLISH_BYTES) {
			publish(v, cons);
			start = cons;
		}
	}
	if (cons != start)
		publish(v, cons);
	return err < 0 ? err : n;
}

int ringbuf_open(struct ringbuf *rb, int map_fd, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(rb, 0, sizeof(*rb));
	if (!size || (size & (size - 1)) || size % page)
		return -EINVAL;
	rb->cons_map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (rb->cons_map == MAP_FAILED) {
		rb->cons_map = NULL;
		return -errno;
	}
	/* the producer page and one copy of the data, not the kernel's second one */
	rb->prod_len = page + size;
	rb->prod_map = mmap(NULL, rb->prod_len, PROT_READ, MAP_SHARED, map_fd, page);
	if (rb->prod_map == MAP_FAILED) {
		int err = -errno;

		rb->prod_map = NULL;
		ringbuf_close(rb);
		return err;
	}
	rb->view.consumer_pos = rb->cons_map;
	rb->view.producer_pos = rb->prod_map;
	rb->view.data = (const uint8_t *)rb->prod_map + page;
	rb->view.mask = size - 1;
	return 0;
}

void ringbuf_close(struct ringbuf *rb)
{
	long page = sysconf(_SC_PAGESIZE);

	if (rb->prod_map)
		munmap(rb->prod_map, rb->prod_len);
	if (rb->cons_map)
		munmap(rb->cons_map, page);
	free(rb->view.scratch);
	memset(rb, 0, sizeof(*rb));
}
