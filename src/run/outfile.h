/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The output stream: a FILE on a descriptor whose writes wait for room
 * when the descriptor is non-blocking, instead of failing with EAGAIN.
 */
#ifndef __OUTFILE_H
#define __OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* A FILE writing to fd (not closing it); NULL with errno on failure. */
FILE *outfile_open(int fd);

/* The reader is gone (a closed pipe, a reset connection): a normal end. */
bool outfile_reader_gone(int err);

#endif /* __OUTFILE_H */
