/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Output the reader has not taken yet: bytes kept in order, handed out
 * in pieces that end at a line's end, so that what reaches the reader
 * is whole lines.
 */
#ifndef __OUTBUF_H
#define __OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct outbuf {
	char *buf;
	size_t head;	/* first byte not yet written */
	size_t tail;	/* end of the kept bytes */
	size_t cap;	/* allocated */
	size_t max;	/* never more than this is kept */
};

/* An empty buffer that keeps at most max bytes. */
void outbuf_init(struct outbuf *b, size_t max);
void outbuf_free(struct outbuf *b);

/* Keeps n more bytes: 0, or -ENOBUFS beyond max, -ENOMEM. */
int outbuf_append(struct outbuf *b, const char *p, size_t n);

static inline size_t outbuf_len(const struct outbuf *b)
{
	return b->tail - b->head;
}

/* The first byte not yet written. */
static inline const char *outbuf_data(const struct outbuf *b)
{
	return b->buf + b->head;
}

/* n bytes from the front were written. */
void outbuf_consume(struct outbuf *b, size_t n);

/* Lines begun and not yet written: a line cut by a short write counts. */
size_t outbuf_lines(const struct outbuf *b);

/*
 * The whole-line prefix of p[0..n) at most limit bytes long (or its first
 * line if longer); 0 when it holds no line end.
 */
size_t outbuf_lines_prefix(const char *p, size_t n, size_t limit);

#endif /* __OUTBUF_H */
