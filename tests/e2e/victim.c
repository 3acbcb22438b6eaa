// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A process with a known outcome, under a name the test chooses, so that
 * its exit can be told apart from everything else on a busy machine.
 *
 *   victim NAME ACTION [ARGS...]
 *
 * A READY file, where an action takes one, is written (with a PID) once the
 * name is set and the process is where the test wants it; a RELEASE file is
 * waited for before going on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *name;
static char **args;
static char *self_path;

static void set_name(const char *n)
{
	prctl(PR_SET_NAME, n, 0, 0, 0);
}

static void write_file(const char *path, long value)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		exit(100);
	}
	fprintf(f, "%ld\n", value);
	fclose(f);
	rename(tmp, path); /* appears whole */
}

static void wait_for_file(const char *path)
{
	struct timespec ms = { 0, 1000000 };

	while (access(path, F_OK))
		nanosleep(&ms, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int act_wait(void)
{
	write_file(args[0], getpid());
	for (;;)
		pause();
	return 0;
}

static void *late_exit(void *arg)
{
	sleep_ms(200);
	exit(atoi(args[0]));
}

/* Main thread leaves first; a worker ends the process later. */
static int act_main_first(void)
{
	pthread_t t;

	pthread_create(&t, NULL, late_exit, NULL);
	pthread_exit(NULL);
}

static void *thread_exec(void *arg)
{
	char *argv[] = { self_path, args[0], "exit", args[1], NULL };

	sleep_ms(50);
	execv(self_path, argv);
	_exit(101);
}

/* A non-leader thread execs: the process goes on under the new image. */
static int act_exec_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, thread_exec, NULL);
	for (;;)
		pause();
	return 0;
}

static void *thread_body(void *arg)
{
	char n[16];

	snprintf(n, sizeof(n), "%.12s.t", name);
	set_name(n);
	syscall(SYS_exit, (int)(long)arg); /* this thread only, with its own status */
	return NULL;
}

/* Threads exit with 10, 11, ...; the process with the given code. */
static int act_threads(void)
{
	int i, n = atoi(args[0]);
	pthread_t t[64];

	for (i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, thread_body, (void *)(long)(10 + i));
	for (i = 0; i < n && i < 64; i++)
		pthread_join(t[i], NULL);
	exit(atoi(args[1]));
}

/*
 * The child exits while the parent waits for RELEASE before reaping it;
 * with REAPED, the parent then says so and waits to be killed.
 */
static int act_zombie(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	write_file(args[0], pid);
	wait_for_file(args[1]);
	waitpid(pid, NULL, 0);
	if (!args[2])
		return 0;
	write_file(args[2], pid);
	for (;;)
		pause();
}

/* clone3()'s arguments up to set_tid (v5.5): the kernel takes this size. */
struct clone_args_tid {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
		tls, set_tid, set_tid_size;
};

/*
 * A child at exactly this PID (clone3's set_tid, as root), which forks a
 * child of its own (exit CODE + 1), reaps it and exits CODE.
 */
static int act_at_pid(void)
{
	pid_t want = atoi(args[0]), pid;
	struct clone_args_tid ca = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)&want,
				     .set_tid_size = 1 };
	int code = atoi(args[1]), st;

	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		perror("clone3 with set_tid");
		return 113;
	}
	if (pid == 0) {
		pid = fork();
		if (pid == 0)
			_exit(code + 1);
		waitpid(pid, NULL, 0);
		_exit(code);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != code)
		return 114;
	return 0;
}

/* The child is PID 1 of a new PID namespace. */
static int act_pidns(void)
{
	pid_t pid;

	if (unshare(CLONE_NEWPID)) {
		perror("unshare");
		return 102;
	}
	pid = fork();
	if (pid == 0)
		_exit(atoi(args[0]));
	waitpid(pid, NULL, 0);
	write_file(args[1], pid);
	return 0;
}

/* spawn CODE NAME ACTION [ARGS...]: itself as NAME doing ACTION; waited for, then exit CODE. */
static int act_spawn(void)
{
	int code = atoi(args[0]);
	pid_t pid = fork();

	if (pid == 0) {
		args[0] = self_path;
		execv(self_path, args);
		_exit(101);
	}
	waitpid(pid, NULL, 0);
	return code;
}

static int act_kill(void)
{
	return kill(atoi(args[0]), atoi(args[1])) ? 103 : 0;
}

/* The fault and the leak below are the point: tell the analyzer so. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-null-dereference"
static int act_segv(void)
{
	volatile int *p = NULL;

	return *p;
}
#pragma GCC diagnostic pop

/*
 * Where it crashed, the fault address's mapping: a write to a read-only
 * anonymous mapping (never the IP's), and to the victim's own code (the
 * IP's mapping).
 */
static int act_segv_anon(void)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 109;
	*(volatile char *)p = 2;
	return 109;
}

/* The write to code is the point: tell the analyzer so. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-write-to-const"
static int act_segv_code(void)
{
	*(volatile char *)(void *)act_segv_code = 0;
	return 110;
}
#pragma GCC diagnostic pop

/* Calls SYM() of the shared library LIB: a crash in a library. */
static int act_call(void)
{
	void *lib = dlopen(args[0], RTLD_NOW);
	void (*fn)(void);

	if (!lib) {
		fprintf(stderr, "victim: %s\n", dlerror());
		return 120;
	}
	*(void **)&fn = dlsym(lib, args[1]);
	if (!fn)
		return 121;
	fn();
	return 0;
}

static int act_pipe(void)
{
	int fds[2];

	signal(SIGPIPE, SIG_DFL);
	if (pipe(fds))
		return 104;
	close(fds[0]);
	return write(fds[1], "x", 1) < 0 ? 105 : 0;
}

static int act_seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 106;
	return (int)syscall(SYS_getppid);
}

/*
 * ERRNO PROG ARGS...: execs PROG with every bpf(BPF_PROG_LOAD) answered
 * ERRNO (maps are still made), as a kernel short of locked memory or an
 * LSM would answer.
 */
static int act_deny_prog_load(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_bpf, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_PROG_LOAD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned int)atoi(args[0]) & 0xffff)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 106;
	execv(args[1], &args[1]);
	return 127;
}

/* Touches memory until the OOM killer ends it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
static int act_oom(void)
{
	const size_t chunk = 1 << 20;

	for (;;) {
		char *p = malloc(chunk);

		if (!p)
			return 107;
		memset(p, 1, chunk);
	}
}
#pragma GCC diagnostic pop

/* Drops to UID and GID (real, effective and saved), then exits 0. */
static int act_setid(void)
{
	gid_t gid = (gid_t)atoi(args[1]);

	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid((uid_t)atoi(args[0]), (uid_t)atoi(args[0]), (uid_t)atoi(args[0])))
		return 109;
	return 0;
}

static long cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* Touches MB MiB, then burns CPU until MS ms of it are used. */
static void hog(long mb, long ms)
{
	size_t size = (size_t)mb << 20;
	volatile char *p = malloc(size);
	volatile unsigned long x = 0;
	size_t i;

	if (!p)
		exit(110);
	for (i = 0; i < size; i += 4096)
		p[i] = 1;
	while (cpu_ms() < ms)
		for (i = 0; i < 100000; i++)
			x += i;
	free((void *)p); /* the process ends soon; the analyzer wants it said */
}

static int act_hog(void)
{
	hog(atol(args[0]), atol(args[1]));
	return 0;
}

/*
 * The child, named NAME, hogs MB and MS; the parent writes what wait4()
 * says of it to OUT: pid utime_us stime_us maxrss_kb minflt majflt nvcsw nivcsw.
 */
static int act_rusage(void)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();
	FILE *f;

	if (pid == 0) {
		set_name(args[1]);
		hog(atol(args[2]), atol(args[3]));
		_exit(0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return 111;
	f = fopen(args[0], "w");
	if (!f)
		return 112;
	fprintf(f, "%d %ld %ld %ld %ld %ld %ld %ld\n", pid,
		ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec,
		ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec, ru.ru_maxrss, ru.ru_minflt,
		ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw);
	fclose(f);
	return 0;
}

struct action {
	const char *name;
	int nargs;
	int (*fn)(void);
};

static int act_exit(void)
{
	exit(atoi(args[0]));
}

static int act_raise(void)
{
	signal(atoi(args[0]), SIG_DFL);
	raise(atoi(args[0]));
	return 108;
}

static int act_abort(void)
{
	abort();
}

static const struct action actions[] = {
	{ "exit", 1, act_exit },	       /* CODE */
	{ "raise", 1, act_raise },	       /* SIG */
	{ "abort", 0, act_abort },
	{ "segv", 0, act_segv },
	{ "call", 2, act_call },	       /* LIB SYM */
	/* where it crashed: the fault address's mapping */
	{ "segv-anon", 0, act_segv_anon },
	{ "segv-code", 0, act_segv_code },
	{ "pipe", 0, act_pipe },
	{ "seccomp", 0, act_seccomp },
	{ "deny-prog-load", 2, act_deny_prog_load }, /* ERRNO PROG [ARGS...] */
	{ "oom", 0, act_oom },
	{ "wait", 1, act_wait },	       /* READY: then wait to be killed */
	{ "main-first", 1, act_main_first },   /* CODE */
	{ "exec-thread", 2, act_exec_thread }, /* NEWNAME CODE */
	{ "threads", 2, act_threads },	       /* N CODE */
	{ "zombie", 2, act_zombie },	       /* READY RELEASE [REAPED] */
	{ "at-pid", 2, act_at_pid },	       /* PID CODE */
	{ "pidns", 2, act_pidns },	       /* CODE READY */
	{ "kill", 2, act_kill },	       /* PID SIG (negative PID: a group) */
	{ "spawn", 3, act_spawn },	       /* CODE NAME ACTION [ARGS...] */
	{ "setid", 2, act_setid },	       /* UID GID */
	{ "hog", 2, act_hog },		       /* MB MS */
	{ "rusage", 4, act_rusage },	       /* OUT NAME MB MS: the child hogs */
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: victim NAME ACTION [ARGS...]\n");
		return 2;
	}
	/* a shell's background jobs inherit SIGINT and SIGQUIT ignored */
	for (i = 1; i < 65; i++)
		signal((int)i, SIG_DFL);
	name = argv[1];
	args = &argv[3];
	self_path = realpath("/proc/self/exe", NULL);
	set_name(name);
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(argv[2], actions[i].name))
			continue;
		if (argc - 3 < actions[i].nargs) {
			fprintf(stderr, "victim: %s needs %d arguments\n", argv[2], actions[i].nargs);
			return 2;
		}
		return actions[i].fn();
	}
	fprintf(stderr, "victim: unknown action '%s'\n", argv[2]);
	return 2;
}
