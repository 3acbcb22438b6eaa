/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Capabilities: what loading needs, checked up front; shed after attach. */
#ifndef __PRIVS_H
#define __PRIVS_H

#include <stdint.h>

/*
 * What the effective set eff (bit n = capability n) lacks to load tracing
 * programs: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON. NULL if nothing,
 * else a phrase naming it.
 */
const char *privs_missing(uint64_t eff);

/* The calling thread's effective capabilities; 0 if they cannot be read. */
uint64_t privs_effective(void);

#endif /* __PRIVS_H */
