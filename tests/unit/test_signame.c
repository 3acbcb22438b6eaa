// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "record/signame.h"
#include "test.h"

void test_signal_names(void)
{
	static const struct {
		int sig;
		const char *name;
	} cases[] = {
		{ 1, "HUP" },	  { 2, "INT" },	    { 3, "QUIT" },   { 6, "ABRT" },	{ 7, "BUS" },
		{ 9, "KILL" },	  { 11, "SEGV" },   { 13, "PIPE" },  { 15, "TERM" },	{ 16, "STKFLT" },
		{ 17, "CHLD" },	  { 24, "XCPU" },   { 25, "XFSZ" },  { 29, "IO" },	{ 30, "PWR" },
		{ 31, "SYS" },	  { 32, "SIG32" },  { 33, "SIG33" }, { 34, "RTMIN" },	{ 35, "RTMIN+1" },
		{ 50, "RTMIN+16" }, { 64, "RTMIN+30" }, { 0, "?" },  { 65, "?" },	{ -1, "?" },
	};
	char buf[SIGNAME_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ASSERT_STREQ(signal_abbrev(cases[i].sig, buf, sizeof(buf)), cases[i].name,
			     "signal_abbrev");
}

void test_si_code_names(void)
{
	ASSERT_STREQ(si_code_name(11, 1), "SEGV_MAPERR", "segv maperr");
	ASSERT_STREQ(si_code_name(11, 2), "SEGV_ACCERR", "segv accerr");
	ASSERT_STREQ(si_code_name(7, 2), "BUS_ADRERR", "bus adrerr");
	ASSERT_STREQ(si_code_name(4, 1), "ILL_ILLOPC", "ill illopc");
	ASSERT_STREQ(si_code_name(8, 1), "FPE_INTDIV", "fpe intdiv");
	ASSERT_STREQ(si_code_name(8, 14), "FPE_FLTUNK", "fpe fltunk");
	ASSERT_NULL(si_code_name(8, 9), "fpe hole");
	ASSERT_STREQ(si_code_name(31, 1), "SYS_SECCOMP", "sys seccomp");
	ASSERT_STREQ(si_code_name(5, 1), "TRAP_BRKPT", "trap brkpt");
	ASSERT_STREQ(si_code_name(15, 0), "SI_USER", "si_user");
	ASSERT_STREQ(si_code_name(6, -6), "SI_TKILL", "si_tkill");
	ASSERT_STREQ(si_code_name(9, 0x80), "SI_KERNEL", "si_kernel");
	ASSERT_STREQ(si_code_name(10, -1), "SI_QUEUE", "si_queue");
	ASSERT_NULL(si_code_name(15, 3), "term code 3");
	ASSERT_NULL(si_code_name(11, 99), "segv out of range");
	ASSERT_NULL(si_code_name(11, -99), "unknown negative");
}
