/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Capabilities: what loading needs, checked up front; shed after attach. */
#ifndef __PRIVS_H
#define __PRIVS_H

#include <stddef.h>
#include <stdint.h>

/*
 * What the effective set eff (bit n = capability n) lacks to load tracing
 * programs: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON. NULL if nothing,
 * else a phrase naming it.
 */
const char *privs_missing(uint64_t eff);

/* The calling thread's effective capabilities; 0 if they cannot be read. */
uint64_t privs_effective(void);

/* What the process can tell about a bpf(2) that answered EPERM. */
struct privs_view {
	uint64_t eff;		/* effective capabilities */
	int seccomp;		/* "Seccomp:" of /proc/self/status: 2 is a filter; -1 not said */
	int filters;		/* "Seccomp_filters:" (5.9+); -1 not said */
	int bare_err;		/* bpf(2) with a command no kernel knows: 0 or -errno */
};

/*
 * Fills seccomp and filters from the text of /proc/PID/status; -1 for
 * what it does not say.
 */
void privs_parse_status(const char *status, struct privs_view *v);

/*
 * Why bpf(2) answered EPERM, in one phrase (into buf): capabilities that
 * are missing, a seccomp filter that refuses the call itself (the bare
 * call answered EPERM too, and the kernel would have said EINVAL), or a
 * refusal although everything the process controls is in order.
 */
const char *privs_refusal(const struct privs_view *v, char *buf, size_t size);

/*
 * bpf(2) with a command no kernel knows: -EINVAL from the kernel, -EPERM
 * only where a seccomp filter refuses the call itself.
 */
int privs_bare_bpf(void);

/* The view of the calling process, the bare call made now. */
void privs_look(struct privs_view *v);

#endif /* __PRIVS_H */
