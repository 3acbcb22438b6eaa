/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The in-kernel filters --comm, --uid, --signal and --code: parsed into
 * struct exit_filter, then turned into the frozen BPF settings. Pure.
 */
#ifndef __FILTER_H
#define __FILTER_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>
#include "bpf/exitsnoop.h"

struct exit_filter {
	bool uid_set;
	uint32_t uid;
	bool signal_only;	/* --signal */
	bool codes_set;		/* --code */
	uint64_t codes[4];	/* bitmap of exit codes 0..255 */
	unsigned int ncomm;
	char comm[COMM_FILTER_MAX][TASK_COMM_LEN];
};

/* -EINVAL (empty), -E2BIG (more than COMM_FILTER_MAX); truncated to 15 bytes like comm. */
int filter_add_comm(struct exit_filter *f, const char *name);
/* "N[,N...]", each 0..255: -EINVAL or -ERANGE. */
int filter_add_codes(struct exit_filter *f, const char *list);
/* Fills the filter fields of the BPF settings. */
void filter_to_cfg(const struct exit_filter *f, struct exitsnoop_cfg *c);

#endif /* __FILTER_H */
