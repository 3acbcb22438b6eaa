// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
#include "run/outfile.h"

/* Waits until fd takes more; a signal's EINTR is no failure. */
static int wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, -1) < 0 && errno != EINTR)
		return -1;
	return 0;
}

/* All of buf, or -1: a short write or EAGAIN only means "not yet". */
static ssize_t write_all(void *cookie, const char *buf, size_t len)
{
	int fd = (int)(intptr_t)cookie;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !wait_writable(fd))
			continue;
		return -1;
	}
	return (ssize_t)done;
}

FILE *outfile_open(int fd)
{
	cookie_io_functions_t io = { .write = write_all };

	return fopencookie((void *)(intptr_t)fd, "w", io);
}

bool outfile_reader_gone(int err)
{
	return err == EPIPE || err == ECONNRESET;
}
