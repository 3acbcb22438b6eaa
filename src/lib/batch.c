// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A line batch for a FILE: see batch.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/batch.h"

int batch_init(struct batch *b, FILE *f, size_t size)
{
	b->f = f;
	b->buf = malloc(size);
	b->p = b->buf;
	b->end = b->buf ? b->buf + size : NULL;
	return b->buf ? 0 : -ENOMEM;
}

void batch_free(struct batch *b)
{
	free(b->buf);
	b->buf = b->p = b->end = NULL;
}

void batch_flush(struct batch *b)
{
	if (b->p > b->buf)
		fwrite(b->buf, 1, (size_t)(b->p - b->buf), b->f);
	b->p = b->buf;
}

void batch_flush_lines(struct batch *b)
{
	size_t n = (size_t)(b->p - b->buf), rest;
	const char *nl = n ? memrchr(b->buf, '\n', n) : NULL;

	/* no whole line, or a line as long as half the batch: all of it goes */
	rest = nl ? n - (size_t)(nl + 1 - b->buf) : n;
	if (!nl || rest > batch_size(b) / 2) {
		batch_flush(b);
		return;
	}
	fwrite(b->buf, 1, n - rest, b->f);
	memmove(b->buf, nl + 1, rest);
	b->p = b->buf + rest;
}
