/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Why a load failed: the stage, the errno, and one line of reason. Part of
 * the loaders' contract (loader.h): the loaders and tracer.c fill it
 * (verdict.c), and the tracer hands it up through its own interface.
 */
#ifndef __LOAD_ERROR_H
#define __LOAD_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum load_stage {
	LOAD_OPEN,
	LOAD_LOAD,
	LOAD_ATTACH,
	LOAD_RINGBUF,
};

struct load_error {
	enum load_stage stage;
	int err;		/* negative errno */
	char reason[512];	/* one line: the verifier's last words, or what is missing */
	const char *probe;	/* the kernel probe that could not be made, or NULL */
	bool memlock_short;	/* BPF memory is charged to a finite RLIMIT_MEMLOCK... */
	uint64_t memlock_kib;	/* ...of this many KiB, which could not be raised */
};

/* Records a failure at stage (err: -errno, anything else -EINVAL); returns lerr->err. */
int load_fail(struct load_error *lerr, enum load_stage stage, int err);

/* The verifier's verdict: the last line of a log before its statistics. */
void verifier_verdict(const char *log, char *out, size_t size);

#endif /* __LOAD_ERROR_H */
