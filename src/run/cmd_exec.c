// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* execvp() with the shell fallback: see cmd_exec.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/cmd_exec.h"

#define SHELL "/bin/sh"
/* musl's and glibc's PATH when the environment has none */
#define DEFAULT_PATH "/usr/local/bin:/bin:/usr/bin"

/* sh FILE ARGS...: argv[0] gives way to the shell's name, as glibc does. */
static void exec_shell(const char *file, char **argv)
{
	size_t n = 0;
	char **sh_argv;

	while (argv[n])
		n++;
	sh_argv = calloc(n + 2, sizeof(*sh_argv));
	if (!sh_argv)
		return;
	sh_argv[0] = (char *)SHELL;
	sh_argv[1] = (char *)file;
	if (n > 1)
		memcpy(sh_argv + 2, argv + 1, (n - 1) * sizeof(*argv));
	execve(SHELL, sh_argv, environ);
	free(sh_argv);
}

/* One candidate: the errno of its failure. */
static int exec_file(const char *file, char **argv)
{
	execve(file, argv, environ);
	if (errno != ENOEXEC)
		return errno;
	exec_shell(file, argv);
	return ENOEXEC;	/* no shell either: the file's own error */
}

int cmd_execvp(char **argv)
{
	const char *name = argv[0], *path = getenv("PATH"), *p, *end;
	char file[PATH_MAX];
	bool denied = false;
	size_t len;
	int err;

	if (!*name)
		return ENOENT;
	if (strchr(name, '/'))
		return exec_file(name, argv);
	if (!path)
		path = DEFAULT_PATH;
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		len = (size_t)(end - p);
		/* an empty entry is the working directory */
		if (len + 1 + strlen(name) < sizeof(file)) {
			memcpy(file, p, len);
			file[len] = '/';
			strcpy(file + (len ? len + 1 : 0), name);
			err = exec_file(file, argv);
			if (err == EACCES)
				denied = true;
			else if (err != ENOENT && err != ENOTDIR)
				return err;
		}
		if (!*end)
			break;
	}
	return denied ? EACCES : ENOENT;
}
