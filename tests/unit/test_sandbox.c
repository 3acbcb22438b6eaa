// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The seccomp allow-list against what the C library calls on its failure
 * paths: each case runs in a child under the filter, which a call outside
 * the list kills with SIGSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run/sandbox.h"
#include "test.h"

/* Runs before() (if any) then, under the filter, fn in a child: its wait status, or -1. */
static int sandboxed(void (*before)(void), void (*fn)(void))
{
	struct rlimit no_core = { 0, 0 };
	int st;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);
		if (before)
			before();
		if (sandbox_enter(false, -1, 0, -1))
			_exit(90);
		fn();
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return st;
}

static void do_abort(void)
{
	abort();
}

static void on_usr1(int sig)
{
}

static void do_raise(void)
{
	signal(SIGUSR1, on_usr1);
	if (raise(SIGUSR1))
		_exit(91);
}

/*
 * A mapping right above the program break: brk() can no longer grow, as
 * under a small `ulimit -d`, and malloc() goes on with mmap() (musl's
 * metadata: mapped PROT_NONE, then mprotect()ed page by page).
 */
static void block_brk(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t brk = (uintptr_t)syscall(SYS_brk, 0);

	brk = (brk + page - 1) & ~(uintptr_t)(page - 1);
	mmap((void *)brk, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
	     0);
}

static void do_malloc_without_brk(void)
{
	static void *keep[4096];
	size_t i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		keep[i] = malloc(16 + (i % 64) * 24);
		if (!keep[i])
			_exit(92);
	}
}

/* Room for 64 MiB more at most: then malloc() fails. */
static void limit_data(void)
{
	struct rlimit r = { 64 << 20, 64 << 20 };

	setrlimit(RLIMIT_DATA, &r);
}

/* Allocation failing outright, large and small: NULL, no other call. */
static void do_malloc_failing(void)
{
	void **p, *head = NULL;
	size_t size;

	for (size = 1 << 20; size >= 16; size /= 2) {
		while ((p = malloc(size))) {
			*p = head;
			head = p;
		}
	}
	if (errno != ENOMEM)
		_exit(93);
	while (head) {
		p = head;
		head = *p;
		free(p);
	}
}

static FILE *stream;

/* Streams are opened before the filter, as exitsnoop's are. */
static void open_stream(void)
{
	stream = fdopen(dup(1), "w");
}

/* stdio on a descriptor that is gone: an error to report, not a new call. */
static void do_stdio_error(void)
{
	if (!stream)
		_exit(94);
	close(fileno(stream));
	fprintf(stream, "lost: %s\n", strerror(EBADF));
	if (fflush(stream) == 0 || !ferror(stream))
		_exit(95);
	fclose(stream);
}

static bool exited_0(int st)
{
	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

void test_sandbox_abort(void)
{
	int st = sandboxed(NULL, do_abort);

	ASSERT_TRUE(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
		    "abort() ends by SIGABRT, not SIGSYS");
	ASSERT_TRUE(exited_0(sandboxed(NULL, do_raise)), "raise() to a handler");
}

void test_sandbox_malloc_paths(void)
{
	ASSERT_TRUE(exited_0(sandboxed(block_brk, do_malloc_without_brk)),
		    "malloc() once brk() has failed");
	ASSERT_TRUE(exited_0(sandboxed(limit_data, do_malloc_failing)), "malloc() failing: NULL");
	ASSERT_TRUE(exited_0(sandboxed(open_stream, do_stdio_error)), "stdio write errors");
}
