/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Signal and si_code names, as the kernel's and glibc's headers spell them. */
#ifndef __SIGNAME_H
#define __SIGNAME_H

#include <stddef.h>

#define SIGNAME_LEN 16

/* "INT", "KILL", "RTMIN+3"; "SIG32" for the two glibc reserves; "?" past 64. */
const char *signal_abbrev(int sig, char *buf, size_t len);

/* "SEGV_MAPERR", "SI_USER", ...; NULL when the code has no name for sig. */
const char *si_code_name(int sig, int code);

#endif /* __SIGNAME_H */
