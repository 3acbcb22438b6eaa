/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a tree-following run traces: a command exitsnoop starts (-- CMD),
 * held before its exec until tracing is armed, or an existing process
 * and its descendants (-p PID --tree).
 */
#ifndef __COMMAND_H
#define __COMMAND_H

#include <stdbool.h>
#include <sys/types.h>

struct command {
	pid_t pid;		/* 0: not started */
	int pidfd;		/* readable once CMD has ended */
	int go_fd;		/* written once: CMD may exec */
	int exec_fd;		/* CMD's exec errno arrives here, or EOF on success */
	char **argv;
};

/*
 * Forks CMD's process, which waits before its exec (cmd_execvp()) for
 * command_release(). With the caller's identity, environment, stdio,
 * process group, signal mask and dispositions (SIGCHLD aside:
 * cmd_signals_reset()). 0 or -errno.
 */
int command_start(struct command *c, char **argv);
/* Lets CMD exec. 0, or the errno of its failed execvp() (it has then exited). */
int command_release(struct command *c);
/* Kills a CMD that was never released, and reaps it; else a no-op. */
void command_abort(struct command *c);
/* Waits for CMD's end and reaps it: its wait status, or -errno. */
int command_wait(struct command *c);
void command_close(struct command *c);
/* The shell's status for a command that could not be executed: 127 or 126. */
int command_exec_status(int err);
/* The shell's status for a wait status: the exit code, or 128 + signal. */
int command_status(int wstatus);

/*
 * The traced map holds the host's PIDs: a tree is followed only from the
 * host's PID namespace (where fork() and /proc give those).
 */
bool in_host_pidns(void);

/*
 * Calls track(ctx, pid, pidfd) for every descendant of root alive now, as
 * /proc tells, scanning until a scan finds none new; pidfd was opened
 * before the process's parent was read (see tracer_track()), and track
 * returns 1 for a process that had ended. The number tracked, or -errno.
 */
int track_descendants(int root, int (*track)(void *ctx, int pid, int pidfd), void *ctx);

#endif /* __COMMAND_H */
