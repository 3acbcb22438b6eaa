// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/log.h"
#include "load/privs.h"
#include "run/load_failure.h"

/* "failed to load BPF programs", or "failed to probe the kernel for tp_btf" */
static const char *failed_what(const struct load_error *terr, char *buf, size_t size)
{
	static const char *const stage[] = {
		[LOAD_OPEN] = "open",
		[LOAD_LOAD] = "load",
		[LOAD_ATTACH] = "attach",
		[LOAD_RINGBUF] = "set up ring buffer for",
	};

	if (terr->probe)
		snprintf(buf, size, "failed to probe the kernel for %s", terr->probe);
	else
		snprintf(buf, size, "failed to %s BPF programs", stage[terr->stage]);
	return buf;
}

enum exit_status load_failure(const struct load_error *terr)
{
	int err = -terr->err;
	char what[96];

	failed_what(terr, what, sizeof(what));
	if ((err == EPERM || err == ENOMEM) && terr->memlock_short) {
		log_error("%s: %s: this kernel (before 5.11) charges BPF memory to RLIMIT_MEMLOCK, "
			  "%llu KiB, which could not be raised without CAP_SYS_RESOURCE: "
			  "raise it (ulimit -l, LimitMEMLOCK=)",
			  what, strerror(err), (unsigned long long)terr->memlock_kib);
		return EXIT_NOPERM;
	}
	if (err == EPERM) {
		struct privs_view v;
		char why[256];

		privs_look(&v);
		log_error("%s: %s: %s", what, strerror(err), privs_refusal(&v, why, sizeof(why)));
		return EXIT_NOPERM;
	}
	if (err == EACCES) {
		log_error("%s: %s: needs root, or CAP_BPF with CAP_PERFMON", what, strerror(err));
		return EXIT_NOPERM;
	}
	/*
	 * the verifier's log is then about a missing descriptor, not the
	 * programs; out of descriptors is EXIT_RUNTIME wherever it happens
	 */
	if (log_out_of_fds(err))
		return EXIT_RUNTIME;
	/* one line: the reason (the verifier's verdict, a missing BTF) says more than errno */
	log_error("%s: %s", what, terr->reason[0] ? terr->reason : strerror(err));
	return terr->stage == LOAD_RINGBUF ? EXIT_RUNTIME : EXIT_SOFTWARE;
}
