/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * execvp() as POSIX has it, whatever the C library: a file found (by PATH
 * when its name has no slash) that the kernel cannot execute (ENOEXEC: a
 * script without "#!") is run by /bin/sh, as glibc, shells, env, nohup
 * and timeout do; musl's execvp() does not.
 */
#ifndef __CMD_EXEC_H
#define __CMD_EXEC_H

/* Returns only on failure: the errno that execvp() would have set. */
int cmd_execvp(char **argv);

#endif /* __CMD_EXEC_H */
