// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The seccomp filter is raw classic BPF (no libseccomp): the architecture
 * is checked first, then the system call number against the list; bpf()
 * and ioctl() only for the commands a perf buffer's teardown uses.
 * Anything else kills the process (SECCOMP_RET_KILL_PROCESS): a call
 * outside the list means the process does what it was never built to do,
 * and a crash with SIGSYS says so louder than an EPERM would.
 *
 * The list is what the code after sandbox_enter() calls, and what the C
 * library calls for it on every path, failures included: musl 1.2 and
 * glibc 2.36 were read for malloc() when brk() fails (mallocng maps its
 * metadata PROT_NONE and mprotect()s it page by page), abort() and raise()
 * (musl: tkill; glibc: tgkill), and stdio's error paths (writev, no more).
 * Each entry names its user; tests/unit/test_sandbox.c runs those paths
 * under the filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "run/sandbox.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

/* Sanitizer runtimes make calls of their own (LeakSanitizer ptraces at exit). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#undef SANDBOX_ARCH
#endif

/*
 * Kept only if held: a run with CAP_BPF and CAP_PERFMON alone goes on, its
 * OOM kills without a memory cgroup path (capset() cannot add a capability).
 */
static bool holds_dac_read_search(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[0].permitted & (1u << CAP_DAC_READ_SEARCH);
}

static int drop_capabilities(bool keep_dac_read_search)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (keep_dac_read_search && holds_dac_read_search())
		data[0].effective = data[0].permitted = 1u << CAP_DAC_READ_SEARCH;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

#ifdef SANDBOX_ARCH
#define ALLOW(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))

/*
 * Instructions per syscall allowed with one argument fixed, its LOAD(nr)
 * included: a tripwire against other uses, not a path restriction (an
 * absolute path ignores a directory's descriptor).
 */
#define ARG0_RULE_LEN 6
#define ARG0_RULES_MAX 8	/* the syscalls of both lists below */
#define SYNC_RULE_LEN 5		/* LOAD(nr), ALLOW(SYS_fsync), ALLOW(SYS_getrandom) */

/* Each of nrs allowed with argument arg equal to value only; none if value < 0. */
static size_t arg_rules(struct sock_filter *f, const int *nrs, size_t n, int arg, long value)
{
	size_t i;

	if (value < 0)
		return 0;
	for (i = 0; i < n; i++) {
		const struct sock_filter rule[] = {
			LOAD(nr),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[i], 0, 4),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[arg])),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)value, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		};

		_Static_assert(sizeof(rule) / sizeof(rule[0]) == ARG0_RULE_LEN, "rule length");
		memcpy(f + i * ARG0_RULE_LEN, rule, sizeof(rule));
	}
	return n * ARG0_RULE_LEN;
}

/*
 * --metrics-file: the rewrite's calls in its directory, fsync() and its
 * temporary name; dup3() onto the directory's descriptor when the
 * directory was made anew (its path opened relative to the old one: an
 * absolute path ignores it).
 */
static size_t metrics_rules(struct sock_filter *f, int dirfd)
{
	static const int nrs[] = { SYS_openat, SYS_renameat, SYS_unlinkat };
	static const int onto[] = { SYS_dup3 };
	const struct sock_filter sync[] = { LOAD(nr), ALLOW(SYS_fsync), ALLOW(SYS_getrandom) };
	size_t n;

	_Static_assert(sizeof(sync) / sizeof(sync[0]) == SYNC_RULE_LEN, "rule length");
	if (dirfd < 0)
		return 0;
	n = arg_rules(f, nrs, sizeof(nrs) / sizeof(nrs[0]), 0, dirfd);
	n += arg_rules(f + n, onto, 1, 1, dirfd);
	memcpy(f + n, sync, sizeof(sync));
	return n + sizeof(sync) / sizeof(sync[0]);
}

/*
 * -- CMD: wait4() and kill() (a CMD never released is killed: not reaped,
 * its PID is its own) of CMD's PID, and pidfd_send_signal() (a signal
 * passed on) through its pidfd only: unlike a PID, it never names a
 * process that took the PID over once CMD was reaped.
 */
static size_t command_rules(struct sock_filter *f, pid_t command, int pidfd)
{
	static const int by_pid[] = { SYS_wait4, SYS_kill };
	static const int sig[] = { SYS_pidfd_send_signal };
	size_t n;

	if (command <= 0)
		return 0;
	n = arg_rules(f, by_pid, 2, 0, command);
	return n + arg_rules(f + n, sig, 1, 0, pidfd);
}

static int install_filter(int metrics_dirfd, pid_t command, int command_pidfd)
{
	struct sock_filter head[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		LOAD(nr),
		/* the loop: wait, drain, write */
		ALLOW(SYS_epoll_pwait),
#ifdef SYS_epoll_wait
		ALLOW(SYS_epoll_wait),
#endif
#ifdef SYS_epoll_pwait2
		ALLOW(SYS_epoll_pwait2),
#endif
		ALLOW(SYS_ppoll),
#ifdef SYS_poll
		ALLOW(SYS_poll),
#endif
		ALLOW(SYS_epoll_ctl),	/* the output watched for room only while it waits */
		ALLOW(SYS_read),	/* the ring's wakeups, the timer, eventfd */
		ALLOW(SYS_write),	/* output, stderr, the metrics file */
		ALLOW(SYS_writev),	/* stdio's buffered writes (musl) */
		ALLOW(SYS_sendto),	/* output to a socket, MSG_DONTWAIT */
		ALLOW(SYS_clock_gettime),	/* timestamps; vDSO fallback */
		ALLOW(SYS_gettimeofday),
		/* signal handlers, -- CMD's stops (TSTP), the C library's locks */
		ALLOW(SYS_rt_sigreturn),
		ALLOW(SYS_rt_sigaction),
		ALLOW(SYS_rt_sigprocmask),
		ALLOW(SYS_restart_syscall),
		ALLOW(SYS_futex),
		/* malloc(): brk first; mmap, mremap, munmap, madvise for groups and frees */
		ALLOW(SYS_brk),
		ALLOW(SYS_mmap),
		ALLOW(SYS_munmap),
		ALLOW(SYS_mremap),
		ALLOW(SYS_madvise),
		/* stdio's buffering decision, the metrics directory's identity */
		ALLOW(SYS_fstat),
#ifdef SYS_newfstatat
		ALLOW(SYS_newfstatat),
#endif
		ALLOW(SYS_statx),
		ALLOW(SYS_lseek),
		/* raise() and abort(): musl uses tkill, glibc getpid, gettid and tgkill */
		ALLOW(SYS_getpid),
		ALLOW(SYS_gettid),
		ALLOW(SYS_tkill),
		ALLOW(SYS_tgkill),
		/* the OOM memory cgroup's path */
		ALLOW(SYS_open_by_handle_at),
#ifdef SYS_readlink
		ALLOW(SYS_readlink),
#endif
		ALLOW(SYS_readlinkat),
		/* the end */
		ALLOW(SYS_close),
		ALLOW(SYS_exit),
		ALLOW(SYS_exit_group),
	};
	struct sock_filter tail[] = {
		LOAD(nr),
		/*
		 * mprotect(): musl's malloc, once brk() has failed, maps its
		 * metadata PROT_NONE and opens it page by page; never PROT_EXEC
		 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 4),
		LOAD(args[2]),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/*
		 * ioctl(): a perf buffer's teardown disables its events; FIONREAD
		 * tells whether an output pipe is empty; nothing else
		 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 5),
		LOAD(args[1]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PERF_EVENT_IOC_DISABLE, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FIONREAD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* bpf(): map lookups and deletions only (a perf buffer's teardown) */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_bpf, 0, 4),
		LOAD(args[0]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_MAP_LOOKUP_ELEM, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_MAP_DELETE_ELEM, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_filter filter[sizeof(head) / sizeof(head[0]) + ARG0_RULES_MAX * ARG0_RULE_LEN +
				 SYNC_RULE_LEN + sizeof(tail) / sizeof(tail[0])];
	struct sock_fprog prog = { .filter = filter };
	size_t n = sizeof(head) / sizeof(head[0]);

	memcpy(filter, head, sizeof(head));
	n += metrics_rules(filter + n, metrics_dirfd);
	n += command_rules(filter + n, command, command_pidfd);
	memcpy(filter + n, tail, sizeof(tail));
	prog.len = (unsigned short)(n + sizeof(tail) / sizeof(tail[0]));
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) ? -errno : 0;
}
#else
/* No list for this architecture (or a sanitized build): capabilities and no_new_privs only. */
static int install_filter(int metrics_dirfd, pid_t command, int command_pidfd)
{
	return 0;
}
#endif

int sandbox_enter(bool keep_dac_read_search, int metrics_dirfd, pid_t command, int command_pidfd)
{
	int err;

	tzset(); /* the time zone is read now: no open() later */
	err = drop_capabilities(keep_dac_read_search);
	if (err)
		return err;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return install_filter(metrics_dirfd, command, command_pidfd);
}
