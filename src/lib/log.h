/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Diagnostics: one line each on stderr, prefixed with the program name. */
#ifndef __LOG_H
#define __LOG_H

#include <stdarg.h>
#include <stdbool.h>

void log_set_verbose(int level);
int log_verbose(void);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Out of descriptors (EMFILE, ENFILE), wherever it happens: says so in the
 * one message for that cause and returns true; else false, nothing said.
 */
bool log_out_of_fds(int err);

#endif /* __LOG_H */
