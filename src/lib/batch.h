/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lines gathered in one buffer and handed to a FILE in large writes: a
 * backend builds each line in place, with no copy into a line buffer and
 * none into stdio's (the FILE is meant to be unbuffered).
 */
#ifndef __BATCH_H
#define __BATCH_H

#include <stddef.h>
#include <stdio.h>

struct batch {
	FILE *f;
	char *p;	/* where the next byte goes */
	char *end;
	char *buf;
};

/* 0, or -ENOMEM. */
int batch_init(struct batch *b, FILE *f, size_t size);
void batch_free(struct batch *b);

/* Writes what is gathered; errors are left on the FILE for ferror(). */
void batch_flush(struct batch *b);

/*
 * Writes the whole lines gathered and keeps the line being built, moved to
 * the front: the FILE gets only whole lines, which it writes at once
 * instead of keeping a cut line (and all that follows) for later.
 */
void batch_flush_lines(struct batch *b);

static inline size_t batch_size(const struct batch *b)
{
	return (size_t)(b->end - b->buf);
}

/*
 * Room for n bytes (n <= batch_size() / 2) at the returned cursor; the
 * line being built may move (batch_flush_lines()).
 */
static inline char *batch_room(struct batch *b, size_t n)
{
	if ((size_t)(b->end - b->p) < n)
		batch_flush_lines(b);
	return b->p;
}

#endif /* __BATCH_H */
