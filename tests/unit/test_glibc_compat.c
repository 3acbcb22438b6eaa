// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The _FORTIFY_SOURCE entry points the static libraries call: within the
 * buffer they do the plain job, past it they abort as glibc's do. With
 * musl these are src/load/glibc_compat.c's; with glibc, glibc's own.
 */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt, ...);
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
char *__strcat_chk(char *d, const char *s, size_t n);
char *__strcpy_chk(char *d, const char *s, size_t n);
char *__realpath_chk(const char *path, char *resolved, size_t n);

/* Called through these: the compiler would fold, or refuse, calls it recognizes. */
static int (*volatile snprintf_chk)(char *, size_t, int, size_t, const char *, ...) = __snprintf_chk;
static int (*volatile sprintf_chk)(char *, int, size_t, const char *, ...) = __sprintf_chk;
static char *(*volatile strcat_chk)(char *, const char *, size_t) = __strcat_chk;
static char *(*volatile strcpy_chk)(char *, const char *, size_t) = __strcpy_chk;
static char *(*volatile realpath_chk)(const char *, char *, size_t) = __realpath_chk;

enum overflow { SNPRINTF_BOUND, SPRINTF_LONG, STRCPY_LONG, STRCAT_LONG, REALPATH_SMALL };

/* Each overflow in a child of its own; stderr closed: glibc's message is not ours to print. */
static int child_status(enum overflow what)
{
	char small[4] = "ab", big[PATH_MAX];
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		close(STDERR_FILENO);
		switch (what) {
		case SNPRINTF_BOUND:
			snprintf_chk(small, 8, 1, sizeof(small), "%s", "x");
			break;
		case SPRINTF_LONG:
			sprintf_chk(small, 1, sizeof(small), "%s", "toolong");
			break;
		case STRCPY_LONG:
			strcpy_chk(small, "abcd", sizeof(small));
			break;
		case STRCAT_LONG:
			strcat_chk(small, "cd", sizeof(small));
			break;
		case REALPATH_SMALL:
			realpath_chk("/", big, 16);
			break;
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static bool aborted(int status)
{
	return status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

void test_fortify_chk(void)
{
	char buf[8], path[PATH_MAX];

	ASSERT_EQ(snprintf_chk(buf, sizeof(buf), 1, sizeof(buf), "%d-%s", 42, "ab"), 5,
		  "snprintf within the buffer");
	ASSERT_STREQ(buf, "42-ab", "snprintf's text");
	ASSERT_EQ(sprintf_chk(buf, 1, sizeof(buf), "%s", "1234567"), 7, "sprintf that fits");
	ASSERT_STREQ(strcpy_chk(buf, "abc", sizeof(buf)), "abc", "strcpy that fits");
	ASSERT_STREQ(strcat_chk(buf, "defg", sizeof(buf)), "abcdefg", "strcat that fits");
	ASSERT_STREQ(realpath_chk("/", path, sizeof(path)), "/", "realpath with PATH_MAX");
	ASSERT_TRUE(aborted(child_status(SNPRINTF_BOUND)), "snprintf bound past the buffer aborts");
	ASSERT_TRUE(aborted(child_status(SPRINTF_LONG)), "sprintf past the buffer aborts");
	ASSERT_TRUE(aborted(child_status(STRCPY_LONG)), "strcpy past the buffer aborts");
	ASSERT_TRUE(aborted(child_status(STRCAT_LONG)), "strcat past the buffer aborts");
	ASSERT_TRUE(aborted(child_status(REALPATH_SMALL)), "realpath into less than PATH_MAX aborts");
}
