// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A line batch hands its FILE whole lines, whatever the room asked for. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/batch.h"
#include "test.h"

struct writes {
	int n;
	int cut;	/* writes that did not end a line */
	char all[4096];
	size_t len;
};

static ssize_t record_write(void *cookie, const char *buf, size_t size)
{
	struct writes *w = cookie;

	w->n++;
	w->cut += !size || buf[size - 1] != '\n';
	if (w->len + size < sizeof(w->all)) {
		memcpy(w->all + w->len, buf, size);
		w->len += size;
	}
	return (ssize_t)size;
}

/*
 * One line in pieces of piece bytes, each asking for more room than it
 * takes, as json.c asks for a line's fixed part with each string.
 */
static void put_line(struct batch *b, int i, size_t piece)
{
	char text[32];
	size_t n = (size_t)snprintf(text, sizeof(text), "line %02d ", i), at;
	char *p;

	for (at = 0; at < n; at += piece) {
		size_t k = n - at < piece ? n - at : piece;

		p = batch_room(b, k + 16);
		memcpy(p, text + at, k);
		b->p = p + k;
	}
	p = batch_room(b, 1);
	*p = '\n';
	b->p = p + 1;
}

void test_batch_whole_lines(void)
{
	cookie_io_functions_t io = { .write = record_write };
	struct writes w = {};
	char want[4096] = "";
	struct batch b;
	FILE *f = fopencookie(&w, "w", io);
	int i;

	setvbuf(f, NULL, _IONBF, 0);
	ASSERT_EQ(batch_init(&b, f, 64), 0, "batch");
	for (i = 0; i < 40; i++) {
		put_line(&b, i, 3);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "line %02d \n", i);
	}
	batch_flush(&b);
	ASSERT_TRUE(w.n >= 40 * 9 / 64, "written in batches");
	ASSERT_EQ(w.cut, 0, "every write ends a line");
	ASSERT_EQ(w.len, strlen(want), "every byte written");
	ASSERT_TRUE(!memcmp(w.all, want, w.len), "in order");
	/* a line longer than half the batch goes in pieces: nothing is held back */
	w = (struct writes){};
	for (i = 0; i < 40; i++) {
		char *p = batch_room(&b, 2);

		*p = 'x';
		b.p = p + 1;
	}
	batch_flush(&b);
	ASSERT_EQ(w.len, 40, "a long line whole");
	batch_free(&b);
	fclose(f);
}
