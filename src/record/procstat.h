/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* /proc/PID/stat, read past the command name (which may hold any byte). */
#ifndef __PROCSTAT_H
#define __PROCSTAT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Field n (3 or more, as proc(5) numbers them: 3 is the state, 4 the
 * parent, 22 the start time) of the NUL-terminated text of a stat file,
 * as a number; false if the text has no such field.
 */
bool procstat_field(const char *text, int n, uint64_t *out);

#endif /* __PROCSTAT_H */
