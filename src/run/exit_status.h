/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* exitsnoop's own exit statuses (README "Exit status", man page EXIT STATUS). */
#ifndef __EXIT_STATUS_H
#define __EXIT_STATUS_H

/* As the seed documents them (sysexits.h where it applies). */
enum exit_status {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* unexpected runtime error */
	EXIT_USAGE = 2,		/* bad arguments */
	EXIT_SOFTWARE = 70,	/* BPF load or verifier failure (EX_SOFTWARE) */
	EXIT_IOERR = 74,	/* writing the output failed (EX_IOERR) */
	EXIT_NOPERM = 77,	/* not privileged (EX_NOPERM) */
};

#endif /* __EXIT_STATUS_H */
