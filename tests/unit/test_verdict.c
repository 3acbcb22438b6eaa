// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include "load/load_error.h"
#include "test.h"

void test_verifier_verdict(void)
{
	/* a refused program's log: the verdict, then statistics and framing */
	static const char log[] = "func#0 @0\n"
				  "0: R1=ctx() R10=fp0\n"
				  "R2 invalid mem access 'scalar'\n"
				  "processed 12 insns (limit 1000000) max_states_per_insn 0\n"
				  "verification time 31 usec\n"
				  "stack depth 8\n"
				  "\n"
				  "libbpf: prog 'on_exit': failed to load: -13\n"
				  "-- END PROG LOAD LOG --\n";
	char out[64] = "";

	verifier_verdict(log, out, sizeof(out));
	ASSERT_STREQ(out, "R2 invalid mem access 'scalar'", "verdict before statistics");

	out[0] = '\0';
	verifier_verdict("processed 1 insns\n", out, sizeof(out));
	ASSERT_STREQ(out, "", "no verdict: out untouched");

	verifier_verdict("last line without newline", out, 10);
	ASSERT_STREQ(out, "last line", "cut to the buffer");
}

void test_load_fail(void)
{
	struct load_error lerr = { 0 };

	ASSERT_EQ(load_fail(&lerr, LOAD_ATTACH, -EPERM), -EPERM, "errno returned");
	ASSERT_EQ(lerr.stage, LOAD_ATTACH, "stage kept");
	ASSERT_EQ(load_fail(&lerr, LOAD_LOAD, 1), -EINVAL, "a non-errno is EINVAL");
}
