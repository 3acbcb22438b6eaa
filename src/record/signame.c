// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signal names from a table rather than strsignal() (locale prose) or
 * sigabbrev_np() (glibc >= 2.32 only): the same output everywhere. The
 * numbers come from the target's <signal.h>: they are not the same on
 * every architecture (SIGBUS is 7 on x86 and arm64, 10 on mips).
 */
#include <signal.h>
#include <stdio.h>
#include "record/signame.h"

/* The kernel's value where the C library has no name for it. */
#ifndef SI_DETHREAD
#define SI_DETHREAD -7
#endif

#define SIGRTMIN_GLIBC 34	/* glibc keeps 32 and 33 for itself */
#define SIGRT_LAST 64

static const char *const std_names[] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",	[SIGQUIT] = "QUIT",	[SIGILL] = "ILL",
	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT",	[SIGBUS] = "BUS",	[SIGFPE] = "FPE",
	[SIGKILL] = "KILL",	[SIGUSR1] = "USR1",	[SIGSEGV] = "SEGV",	[SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM",	[SIGTERM] = "TERM",
#ifdef SIGSTKFLT
	[SIGSTKFLT] = "STKFLT",
#endif
	[SIGCHLD] = "CHLD",	[SIGCONT] = "CONT",	[SIGSTOP] = "STOP",	[SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN",	[SIGTTOU] = "TTOU",	[SIGURG] = "URG",	[SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ",	[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",	[SIGWINCH] = "WINCH",
	[SIGIO] = "IO",		[SIGPWR] = "PWR",	[SIGSYS] = "SYS",
};

const char *signal_abbrev(int sig, char *buf, size_t len)
{
	if (sig > 0 && sig < (int)(sizeof(std_names) / sizeof(std_names[0])) && std_names[sig])
		return std_names[sig];
	if (sig == SIGRTMIN_GLIBC)
		return "RTMIN";
	if (sig > SIGRTMIN_GLIBC && sig <= SIGRT_LAST)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN_GLIBC);
	else if (sig >= 32 && sig < SIGRTMIN_GLIBC)
		snprintf(buf, len, "SIG%d", sig);
	else
		return "?";
	return buf;
}

struct code_names {
	int sig;
	int count;
	const char *const *names; /* names[code - 1] */
};

static const char *const segv_codes[] = { "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR",
					  "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR",
					  "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR",
					  "SEGV_CPERR" };
static const char *const bus_codes[] = { "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR",
					 "BUS_MCEERR_AR", "BUS_MCEERR_AO" };
static const char *const ill_codes[] = { "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR",
					 "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG",
					 "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR" };
static const char *const fpe_codes[] = { "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV",
					 "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES",
					 "FPE_FLTINV", "FPE_FLTSUB", NULL,
					 NULL, NULL, NULL,
					 NULL, "FPE_FLTUNK", "FPE_CONDTRAP" };
static const char *const trap_codes[] = { "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH",
					  "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF" };
static const char *const sys_codes[] = { "SYS_SECCOMP", "SYS_USER_DISPATCH" };
static const char *const poll_codes[] = { "POLL_IN", "POLL_OUT", "POLL_MSG",
					  "POLL_ERR", "POLL_PRI", "POLL_HUP" };

#define CODES(s, a) { s, sizeof(a) / sizeof(a[0]), a }

static const struct code_names fault_codes[] = {
	CODES(SIGSEGV, segv_codes), CODES(SIGBUS, bus_codes), CODES(SIGILL, ill_codes),
	CODES(SIGFPE, fpe_codes),   CODES(SIGTRAP, trap_codes), CODES(SIGSYS, sys_codes),
	CODES(SIGIO, poll_codes),
};

static const char *generic_code_name(int code)
{
	switch (code) {
	case SI_USER:
		return "SI_USER";
	case SI_KERNEL:
		return "SI_KERNEL";
	case SI_QUEUE:
		return "SI_QUEUE";
	case SI_TIMER:
		return "SI_TIMER";
	case SI_MESGQ:
		return "SI_MESGQ";
	case SI_ASYNCIO:
		return "SI_ASYNCIO";
	case SI_SIGIO:
		return "SI_SIGIO";
	case SI_TKILL:
		return "SI_TKILL";
	case SI_DETHREAD:
		return "SI_DETHREAD";
	case SI_ASYNCNL:
		return "SI_ASYNCNL";
	default:
		return NULL;
	}
}

const char *si_code_name(int sig, int code)
{
	size_t i;

	if (code <= 0 || code == SI_KERNEL)
		return generic_code_name(code);
	for (i = 0; i < sizeof(fault_codes) / sizeof(fault_codes[0]); i++) {
		if (fault_codes[i].sig != sig)
			continue;
		if (code > fault_codes[i].count)
			return NULL;
		return fault_codes[i].names[code - 1];
	}
	return NULL;
}

