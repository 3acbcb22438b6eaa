/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -- CMD in a tracing run: let it exec once tracing is armed, take its status at the end. */
#ifndef __CMD_GLUE_H
#define __CMD_GLUE_H

#include "run/command.h"
#include "run/exit_status.h"

/*
 * Lets CMD exec, tracing armed. 0, or the shell's status when it could
 * not be executed (it has then exited: nothing of it is printed).
 */
int cmd_go(struct command *c, const char *name);

/* Once tracing has ended: CMD's status unless exitsnoop failed (status). */
enum exit_status cmd_outcome(struct command *c, enum exit_status status);

#endif /* __CMD_GLUE_H */
