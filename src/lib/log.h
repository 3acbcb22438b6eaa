/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Diagnostics: one line each on stderr, prefixed with the program name. */
#ifndef __LOG_H
#define __LOG_H

#include <stdarg.h>

void log_set_verbose(int level);
int log_verbose(void);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* __LOG_H */
