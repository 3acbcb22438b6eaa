/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Why the programs could not be loaded, in one line, and the exit status it means. */
#ifndef __LOAD_FAILURE_H
#define __LOAD_FAILURE_H

#include "load/load_error.h"
#include "run/exit_status.h"

/* Logs the failure's one-line reason; EXIT_NOPERM, EXIT_SOFTWARE or EXIT_RUNTIME. */
enum exit_status load_failure(const struct load_error *terr);

#endif /* __LOAD_FAILURE_H */
