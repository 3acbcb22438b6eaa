// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The output stream that never waits for its reader: see outfile.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run/outbuf.h"
#include "run/outfile.h"

/* A bound against a bug only: the session stops taking records far below it. */
#define OUTFILE_MAX (16u << 20)

enum out_kind {
	OUT_FILE,	/* a regular file or a block device: no reader to wait for */
	OUT_PIPE,	/* a pipe or a FIFO */
	OUT_STREAM,	/* a terminal or another character device */
	OUT_SOCKET,
};

struct outfile {
	int fd;		/* the caller's, left open */
	int wfd;	/* written to: fd, or a non-blocking description of the same file */
	enum out_kind kind;
	bool nonblock;	/* a write to wfd never waits */
	bool pollable;
	size_t pipe_size;
	int err;
	uint64_t written;
	struct outbuf pending;
	FILE *f;
};

static enum out_kind kind_of(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return OUT_PIPE;
	if (S_ISSOCK(st->st_mode))
		return OUT_SOCKET;
	if (S_ISCHR(st->st_mode))
		return OUT_STREAM;
	return OUT_FILE;
}

/*
 * A description of our own of the same pipe or terminal, non-blocking:
 * the caller's may be shared (a shell's terminal, CMD's stdout), so its
 * flags are not ours to change.
 */
static int reopen_nonblocking(int fd)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

static void choose_writer(struct outfile *of, bool own)
{
	int flags = fcntl(of->fd, F_GETFL), fd;

	of->wfd = of->fd;
	if (of->kind == OUT_FILE || of->kind == OUT_SOCKET) {
		of->nonblock = true; /* a file's writes do not wait; a socket's are sent MSG_DONTWAIT */
		return;
	}
	if (flags >= 0 && (flags & O_NONBLOCK)) {
		of->nonblock = true;
		return;
	}
	if (own && flags >= 0 && fcntl(of->fd, F_SETFL, flags | O_NONBLOCK) == 0) {
		of->nonblock = true;
		return;
	}
	fd = reopen_nonblocking(of->fd);
	if (fd >= 0) {
		of->wfd = fd;
		of->nonblock = true;
	}
	/* else writes wait for POLLOUT first, and on a pipe take no more than it has room for */
}

static bool pipe_empty(const struct outfile *of)
{
	int n;

	return ioctl(of->wfd, FIONREAD, &n) == 0 && n == 0;
}

/*
 * How much may go in one write so that the reader never sees a cut line:
 * into an empty pipe a write of the pipe's size goes whole; into one that
 * holds something, a write of PIPE_BUF bytes or less goes whole or not at
 * all. A terminal or a socket takes what it has room for.
 */
static size_t piece_limit(const struct outfile *of)
{
	if (of->kind != OUT_PIPE)
		return SIZE_MAX;
	return pipe_empty(of) ? of->pipe_size : PIPE_BUF;
}

static bool writable_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 1;
}

/* Whole lines from p: bytes written, 0 when the descriptor takes nothing now, or -errno. */
static ssize_t write_piece(struct outfile *of, const char *p, size_t n)
{
	size_t len = outbuf_lines_prefix(p, n, piece_limit(of));
	ssize_t w;

	if (!len)
		return 0;
	if (!of->nonblock && !writable_now(of->wfd))
		return 0;
	do {
		if (of->kind == OUT_SOCKET)
			w = send(of->wfd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			w = write(of->wfd, p, len);
	} while (w < 0 && errno == EINTR);
	if (w >= 0) {
		of->written += (uint64_t)w;
		return w;
	}
	return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
}

/* As many of n bytes as the descriptor takes now, or -errno. */
static ssize_t write_lines(struct outfile *of, const char *p, size_t n)
{
	size_t done = 0;
	ssize_t w;

	while (done < n) {
		w = write_piece(of, p + done, n - done);
		if (w < 0)
			return w;
		if (!w)
			break;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static ssize_t failed(struct outfile *of, int err)
{
	of->err = err;
	errno = err;
	return -1;
}

/* stdio's write: what the descriptor takes now, the rest kept in order. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	struct outfile *of = cookie;
	ssize_t done = 0;
	int err;

	if (of->err)
		return failed(of, of->err);
	if (!outbuf_len(&of->pending)) {
		done = write_lines(of, buf, size);
		if (done < 0)
			return failed(of, (int)-done);
	}
	err = outbuf_append(&of->pending, buf + done, size - (size_t)done);
	if (err)
		return failed(of, -err);
	return (ssize_t)size;
}

struct outfile *outfile_open(int fd, bool own)
{
	cookie_io_functions_t io = { .write = cookie_write };
	struct outfile *of = calloc(1, sizeof(*of));
	struct stat st;
	int size;

	if (!of)
		return NULL;
	of->fd = fd;
	of->kind = fstat(fd, &st) ? OUT_FILE : kind_of(&st);
	of->pollable = of->kind != OUT_FILE;
	outbuf_init(&of->pending, OUTFILE_MAX);
	choose_writer(of, own);
	size = of->kind == OUT_PIPE ? fcntl(of->wfd, F_GETPIPE_SZ) : -1;
	of->pipe_size = size > 0 ? (size_t)size : PIPE_BUF;
	of->f = fopencookie(of, "w", io);
	if (!of->f) {
		outfile_close(of);
		return NULL;
	}
	return of;
}

void outfile_close(struct outfile *of)
{
	if (!of)
		return;
	if (of->f)
		fclose(of->f); /* flushed already: what is left is only kept, never waited for */
	if (of->wfd != of->fd)
		close(of->wfd);
	outbuf_free(&of->pending);
	free(of);
}

FILE *outfile_stream(struct outfile *of)
{
	return of->f;
}

int outfile_send(struct outfile *of)
{
	ssize_t w;

	if (of->err)
		return -of->err;
	if (!outbuf_len(&of->pending))
		return 0;
	w = write_lines(of, outbuf_data(&of->pending), outbuf_len(&of->pending));
	if (w < 0) {
		of->err = (int)-w;
		return (int)w;
	}
	outbuf_consume(&of->pending, (size_t)w);
	return 0;
}

size_t outfile_pending(const struct outfile *of)
{
	return outbuf_len(&of->pending);
}

size_t outfile_pending_lines(const struct outfile *of)
{
	return outbuf_lines(&of->pending);
}

uint64_t outfile_written(const struct outfile *of)
{
	return of->written;
}

bool outfile_regular(const struct outfile *of)
{
	return of->kind == OUT_FILE;
}

int outfile_poll_fd(const struct outfile *of)
{
	return of->pollable ? of->wfd : -1;
}

void outfile_never_waits(struct outfile *of)
{
	of->pollable = false;
}

bool outfile_reader_gone(int err)
{
	return err == EPIPE || err == ECONNRESET;
}
