// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kept output (outbuf.c) and the stream that never waits (outfile.c), on a real pipe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "run/outbuf.h"
#include "run/outfile.h"
#include "test.h"

void test_outbuf_lines_prefix(void)
{
	ASSERT_EQ(outbuf_lines_prefix("ab\ncd\nef", 8, 100), 6, "whole lines only");
	ASSERT_EQ(outbuf_lines_prefix("ab\ncd\nef", 8, 5), 3, "at most limit bytes");
	ASSERT_EQ(outbuf_lines_prefix("abcdef\ngh\n", 10, 4), 7, "a longer first line whole");
	ASSERT_EQ(outbuf_lines_prefix("abcdef", 6, 100), 0, "no line end: nothing");
	ASSERT_EQ(outbuf_lines_prefix("abcdef", 6, 2), 0, "no line end, over limit: nothing");
	ASSERT_EQ(outbuf_lines_prefix("ab\n", 3, 3), 3, "exactly limit");
}

void test_outbuf_keep(void)
{
	struct outbuf b;
	char line[100];
	int i;

	outbuf_init(&b, 1000);
	ASSERT_EQ(outbuf_append(&b, "one\ntwo\nthr", 11), 0, "append");
	ASSERT_EQ(outbuf_lines(&b), 3, "a begun line counts");
	outbuf_consume(&b, 4);
	ASSERT_EQ(outbuf_len(&b), 7, "consumed");
	ASSERT_TRUE(!memcmp(outbuf_data(&b), "two\nthr", 7), "in order");
	ASSERT_EQ(outbuf_append(&b, "ee\n", 3), 0, "append the rest");
	ASSERT_EQ(outbuf_lines(&b), 2, "two lines");
	outbuf_consume(&b, 10);
	ASSERT_EQ(outbuf_len(&b), 0, "empty");
	ASSERT_EQ(outbuf_lines(&b), 0, "no line");
	memset(line, 'x', sizeof(line));
	for (i = 0; i < 10; i++)
		ASSERT_EQ(outbuf_append(&b, line, sizeof(line)), 0, "up to max");
	ASSERT_EQ(outbuf_append(&b, "y", 1), -ENOBUFS, "never beyond max");
	outbuf_consume(&b, 500);
	ASSERT_EQ(outbuf_append(&b, line, sizeof(line)), 0, "room again once written");
	ASSERT_EQ(outbuf_len(&b), 600, "kept");
	outbuf_free(&b);
}

/* Reads all the pipe holds now. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += (size_t)n;
	return got;
}

/*
 * A reader that reads nothing: writes return at once, the pipe holds
 * whole lines only, and what it had no room for comes when it is read.
 */
void test_outfile_stalled_pipe(void)
{
	static char got[1 << 20];
	char line[64];
	int p[2], i, lines = 5000;
	size_t n, total = 0, want = 0;
	struct outfile *of;
	FILE *f;

	if (!ASSERT_EQ(pipe2(p, O_CLOEXEC), 0, "pipe"))
		return;
	of = outfile_open(p[1], false);
	if (!ASSERT_TRUE(of, "open"))
		return;
	f = outfile_stream(of);
	for (i = 0; i < lines; i++) {
		/* lines of different lengths, so that PIPE_BUF is never a multiple */
		want += (size_t)fprintf(f, "line %d %.*s\n", i, i % 23, "abcdefghijklmnopqrstuvwxyz");
		if (i % 100 == 99)
			fflush(f);
	}
	ASSERT_EQ(fflush(f), 0, "a full pipe is no error");
	ASSERT_EQ(outfile_send(of), 0, "send: nothing fits, no error");
	ASSERT_TRUE(outfile_pending(of) > 0, "the rest is kept");
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	n = read_all(p[0], got, sizeof(got));
	ASSERT_TRUE(n > 0 && got[n - 1] == '\n', "the pipe holds whole lines");
	ASSERT_EQ(n + outfile_pending(of), want, "nothing lost, nothing twice");
	total = n;
	while (outfile_pending(of) && total < sizeof(got)) {
		ASSERT_EQ(outfile_send(of), 0, "send");
		n = read_all(p[0], got + total, sizeof(got) - total);
		ASSERT_TRUE(n > 0 && got[total + n - 1] == '\n', "each time whole lines");
		total += n;
	}
	ASSERT_EQ(total, want, "all of it in the end");
	ASSERT_TRUE(!memcmp(got, "line 0 \nline 1 a\n", 17), "in order");
	snprintf(line, sizeof(line), "line %d ", lines - 1);
	ASSERT_TRUE(memmem(got + total - 40, 40, line, strlen(line)) != NULL, "the last line");
	outfile_close(of);
	close(p[0]);
	close(p[1]);
}

/* The reader went away: EPIPE, a normal end for the caller. */
void test_outfile_reader_gone(void)
{
	struct outfile *of;
	int p[2];

	if (!ASSERT_EQ(pipe2(p, O_CLOEXEC), 0, "pipe"))
		return;
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	of = outfile_open(p[1], false);
	fputs("x\n", outfile_stream(of));
	fflush(outfile_stream(of));
	ASSERT_EQ(outfile_send(of), -EPIPE, "EPIPE kept");
	ASSERT_TRUE(outfile_reader_gone(EPIPE), "a reader that left");
	ASSERT_EQ(outfile_send(of), -EPIPE, "and kept");
	outfile_close(of);
	close(p[1]);
}
