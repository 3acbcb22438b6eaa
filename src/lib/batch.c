// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A line batch for a FILE: see batch.h. */
#include <errno.h>
#include <stdlib.h>
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
