// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/log.h"
#include "run/cmd_glue.h"

int cmd_go(struct command *c, const char *name)
{
	const char *shown = escape_shown(name, strlen(name), SHOWN_MAX);
	int err = command_release(c);

	if (!err)
		return 0;
	if (err == ENOENT && !strchr(name, '/'))
		log_error("%s: command not found", shown);
	else
		log_error("%s: %s", shown, strerror(err));
	command_wait(c);
	return command_exec_status(err);
}

enum exit_status cmd_outcome(struct command *c, enum exit_status status)
{
	int wstatus;

	if (!c->pid || c->go_fd >= 0)
		return status; /* never released: teardown ends it */
	wstatus = command_wait(c);
	if (wstatus < 0) {
		log_error("waiting for %d: %s", c->pid, strerror(-wstatus));
		return EXIT_RUNTIME;
	}
	return status == EXIT_OK ? (enum exit_status)command_status(wstatus) : status;
}
