// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Signal names from a table rather than strsignal() (locale prose) or
 * sigabbrev_np() (glibc >= 2.32 only): the same output everywhere.
 */
#include <stdio.h>
#include "signame.h"

#define SIGRTMIN_GLIBC 34	/* glibc keeps 32 and 33 for itself */
#define SIGRT_LAST 64

static const char *const std_names[] = {
	[1] = "HUP",	[2] = "INT",	 [3] = "QUIT",	  [4] = "ILL",	   [5] = "TRAP",
	[6] = "ABRT",	[7] = "BUS",	 [8] = "FPE",	  [9] = "KILL",	   [10] = "USR1",
	[11] = "SEGV",	[12] = "USR2",	 [13] = "PIPE",	  [14] = "ALRM",   [15] = "TERM",
	[16] = "STKFLT", [17] = "CHLD",	 [18] = "CONT",	  [19] = "STOP",   [20] = "TSTP",
	[21] = "TTIN",	[22] = "TTOU",	 [23] = "URG",	  [24] = "XCPU",   [25] = "XFSZ",
	[26] = "VTALRM", [27] = "PROF",	 [28] = "WINCH",  [29] = "IO",	   [30] = "PWR",
	[31] = "SYS",
};

const char *signal_abbrev(int sig, char *buf, size_t len)
{
	if (sig > 0 && sig < (int)(sizeof(std_names) / sizeof(std_names[0])))
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
	CODES(11, segv_codes), CODES(7, bus_codes), CODES(4, ill_codes), CODES(8, fpe_codes),
	CODES(5, trap_codes), CODES(31, sys_codes), CODES(29, poll_codes),
};

static const char *generic_code_name(int code)
{
	switch (code) {
	case 0:
		return "SI_USER";
	case 0x80:
		return "SI_KERNEL";
	case -1:
		return "SI_QUEUE";
	case -2:
		return "SI_TIMER";
	case -3:
		return "SI_MESGQ";
	case -4:
		return "SI_ASYNCIO";
	case -5:
		return "SI_SIGIO";
	case -6:
		return "SI_TKILL";
	case -7:
		return "SI_DETHREAD";
	case -60:
		return "SI_ASYNCNL";
	default:
		return NULL;
	}
}

const char *si_code_name(int sig, int code)
{
	size_t i;

	if (code <= 0 || code == 0x80)
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

int si_code_has_addr(int sig, int code)
{
	if (code <= 0 || code == 0x80)
		return 0;
	switch (sig) {
	case 4: case 5: case 7: case 8: case 11: case 31:
		return 1;
	default:
		return 0;
	}
}
