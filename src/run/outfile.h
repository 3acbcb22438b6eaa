/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The output stream: a FILE whose writes never wait for the reader. What
 * the descriptor takes at once is written, the rest is kept (whole lines
 * reach the reader, see outbuf.h) until outfile_send() finds room; the
 * caller waits for that room (POLLOUT on outfile_poll_fd()) with
 * everything else it waits for.
 */
#ifndef __OUTFILE_H
#define __OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct outfile;

/*
 * Output to fd, which is left open; own: the descriptor is ours alone
 * (-o FILE), so its flags may change. NULL with errno on failure.
 */
struct outfile *outfile_open(int fd, bool own);
void outfile_close(struct outfile *of);

/* The FILE that records are written to; its writes fail only with outfile_send(). */
FILE *outfile_stream(struct outfile *of);

/* Writes what the descriptor takes now: 0, or -errno (the first write error, kept). */
int outfile_send(struct outfile *of);


/* Bytes kept for the reader, not yet written. */
size_t outfile_pending(const struct outfile *of);

/* Lines begun and not yet written whole. */
size_t outfile_pending_lines(const struct outfile *of);

/* Bytes written to the descriptor so far. */
uint64_t outfile_written(const struct outfile *of);

/* The descriptor to wait on for POLLOUT; -1 if writing it never waits (a regular file). */
int outfile_poll_fd(const struct outfile *of);

/* A regular file (or a block device): no reader, and large writes are cheaper. */
bool outfile_regular(const struct outfile *of);

/* Writes to it never wait after all (e.g. it cannot be polled): no poll descriptor. */
void outfile_never_waits(struct outfile *of);

/* The reader is gone (a closed pipe, a reset connection): a normal end. */
bool outfile_reader_gone(int err);

#endif /* __OUTFILE_H */
