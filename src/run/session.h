/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One tracing run: options in, exit status out. */
#ifndef __SESSION_H
#define __SESSION_H

#include "run/exit_status.h"
#include "run/options.h"

enum exit_status session_run(const struct options *opts);

#endif /* __SESSION_H */
