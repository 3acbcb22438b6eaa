// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -- CMD and -p PID --tree. The BPF side follows the tree (handle_fork);
 * here its root is put in before anything of it can exit: CMD's process
 * is forked first and waits on a pipe until tracing is attached and its
 * PID is in the traced map, and only then execs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "record/procstat.h"
#include "run/cmd_exec.h"
#include "run/command.h"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The child: wait for the go, then become CMD; on failure tell why. */
static void __attribute__((noreturn)) child(int go, int result, char **argv)
{
	char byte = 0;
	int err;

	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	/* no byte: exitsnoop gave up (or died) before tracing; run nothing */
	if (byte != 'g')
		_exit(127);
	close(go);
	err = cmd_execvp(argv);
	if (write(result, &err, sizeof(err)) < 0) {
		/* exitsnoop is gone: the status says enough */
	}
	_exit(command_exec_status(err));
}

int command_start(struct command *c, char **argv)
{
	int go[2] = { -1, -1 }, result[2] = { -1, -1 }, err;

	c->pid = 0;
	c->pidfd = c->go_fd = c->exec_fd = -1;
	c->argv = argv;
	if (pipe2(go, O_CLOEXEC) || pipe2(result, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		c->pid = 0;
		goto fail;
	}
	if (c->pid == 0) {
		close(go[1]);
		close(result[0]);
		child(go[0], result[1], argv);
	}
	close(go[0]);
	close(result[1]);
	c->go_fd = go[1];
	c->exec_fd = result[0];
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0) {
		err = -errno;
		command_abort(c);
		return err;
	}
	return 0;
fail:
	close_fd(&go[0]);
	close_fd(&go[1]);
	close_fd(&result[0]);
	close_fd(&result[1]);
	return err;
}

int command_release(struct command *c)
{
	ssize_t n;
	int err = 0;

	/* EPIPE: a signal ended it while it waited; its status says so */
	if (write(c->go_fd, "g", 1) != 1 && errno != EPIPE)
		return errno;
	close_fd(&c->go_fd);
	/* EOF: the exec closed the pipe (CLOEXEC); else the errno of the failure */
	do
		n = read(c->exec_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close_fd(&c->exec_fd);
	return n == (ssize_t)sizeof(err) ? (err ? err : EINVAL) : 0;
}

void command_abort(struct command *c)
{
	if (c->pid <= 0 || c->go_fd < 0)
		return;
	/* closing the pipe alone would do; the kill makes it certain */
	close_fd(&c->go_fd);
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	c->pid = 0;
}

int command_wait(struct command *c)
{
	int st;

	while (waitpid(c->pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	c->pid = 0;
	return st;
}

void command_close(struct command *c)
{
	close_fd(&c->go_fd);
	close_fd(&c->exec_fd);
	close_fd(&c->pidfd);
}

int command_exec_status(int err)
{
	return err == ENOENT ? 127 : 126;
}

int command_status(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* The parent PID: field 4 of /proc/PID/stat. */
static int read_ppid(const char *pid)
{
	char path[64], buf[512];
	uint64_t ppid;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (!procstat_field(buf, 4, &ppid) || ppid > INT_MAX)
		return -1;
	return (int)ppid;
}

struct pid_set {
	int *v;
	size_t n, cap;
};

static bool set_has(const struct pid_set *s, int pid)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i] == pid)
			return true;
	}
	return false;
}

static int set_add(struct pid_set *s, int pid)
{
	int *v;

	if (s->n == s->cap) {
		v = realloc(s->v, (s->cap ? s->cap * 2 : 64) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = s->cap ? s->cap * 2 : 64;
	}
	s->v[s->n++] = pid;
	return 0;
}

/*
 * Is pid a child of a member? Its pidfd first, so that what the stat file
 * then says is of the process the pidfd names as long as that one has not
 * ended (tracer_track() looks); -1 if it is not, or is gone already.
 */
static int child_pidfd(const struct pid_set *set, const char *pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, atoi(pid), 0);
	int ppid;

	if (pidfd < 0)
		return -1;
	ppid = read_ppid(pid);
	if (ppid > 0 && set_has(set, ppid))
		return pidfd;
	close(pidfd);
	return -1;
}

/* One pass over /proc: adds the children of members. New members, or -errno. */
static int scan(struct pid_set *set, int (*track)(void *ctx, int pid, int pidfd), void *ctx)
{
	struct dirent *d;
	int pid, pidfd, added = 0, err = 0;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -errno;
	while (!err && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = atoi(d->d_name);
		if (set_has(set, pid))
			continue;
		pidfd = child_pidfd(set, d->d_name);
		if (pidfd < 0)
			continue;
		err = track(ctx, pid, pidfd);
		close(pidfd);
		if (err == 1) { /* ended already: neither it nor its PID is of the tree */
			err = 0;
			continue;
		}
		if (!err)
			err = set_add(set, pid);
		added++;
	}
	closedir(dir);
	return err ? err : added;
}

bool in_host_pidns(void)
{
	struct stat st;

	/* PROC_PID_INIT_INO: the host's PID namespace */
	return stat("/proc/self/ns/pid", &st) || st.st_ino == 0xEFFFFFFCu;
}

int track_descendants(int root, int (*track)(void *ctx, int pid, int pidfd), void *ctx)
{
	struct pid_set set = {};
	int n, total = 0;

	n = set_add(&set, root);
	/*
	 * A descendant forked by a member already in the kernel's map is
	 * followed there; one forked by a member not yet found shows up in
	 * the next scan, unless it has exited in between (the one window).
	 */
	while (!n) {
		n = scan(&set, track, ctx);
		if (n > 0) {
			total += n;
			n = 0;
			continue;
		}
		break;
	}
	free(set.v);
	return n < 0 ? n : total;
}
