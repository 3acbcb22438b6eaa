// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Output not yet taken by the reader: see outbuf.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "run/outbuf.h"

#define OUTBUF_MIN (64 * 1024)

void outbuf_init(struct outbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void outbuf_free(struct outbuf *b)
{
	free(b->buf);
	outbuf_init(b, b->max);
}

/* Room for n more bytes at tail: written bytes go first, then the buffer grows. */
static int make_room(struct outbuf *b, size_t n)
{
	size_t len = outbuf_len(b), cap = b->cap ? b->cap : OUTBUF_MIN;
	char *p;

	if (len + n > b->max)
		return -ENOBUFS;
	if (b->tail + n <= b->cap)
		return 0;
	if (b->head) {
		memmove(b->buf, b->buf + b->head, len);
		b->head = 0;
		b->tail = len;
		if (len + n <= b->cap)
			return 0;
	}
	while (cap < len + n)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->buf, cap);
	if (!p)
		return -ENOMEM;
	b->buf = p;
	b->cap = cap;
	return 0;
}

int outbuf_append(struct outbuf *b, const char *p, size_t n)
{
	int err = make_room(b, n);

	if (err)
		return err;
	memcpy(b->buf + b->tail, p, n);
	b->tail += n;
	return 0;
}

size_t outbuf_lines_prefix(const char *p, size_t n, size_t limit)
{
	const char *nl;

	if (n > limit) {
		nl = memrchr(p, '\n', limit);
		if (nl)
			return (size_t)(nl - p) + 1;
		nl = memchr(p + limit, '\n', n - limit); /* one line longer than limit */
	} else {
		nl = memrchr(p, '\n', n);
	}
	return nl ? (size_t)(nl - p) + 1 : 0;
}

void outbuf_consume(struct outbuf *b, size_t n)
{
	b->head += n;
	if (b->head == b->tail)
		b->head = b->tail = 0;
}

size_t outbuf_lines(const struct outbuf *b)
{
	const char *p = b->buf + b->head, *end = b->buf + b->tail, *nl;
	size_t n = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}
