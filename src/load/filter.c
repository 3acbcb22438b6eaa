// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "load/filter.h"

int filter_add_comm(struct exit_filter *f, const char *name)
{
	size_t n = strlen(name);
	unsigned int i;

	if (!n)
		return -EINVAL;
	if (n > TASK_COMM_LEN - 1)
		n = TASK_COMM_LEN - 1; /* the kernel keeps the first 15 bytes */
	for (i = 0; i < f->ncomm; i++) {
		if (!strncmp(f->comm[i], name, n) && !f->comm[i][n])
			return 0;
	}
	if (f->ncomm >= COMM_FILTER_MAX)
		return -E2BIG;
	memset(f->comm[f->ncomm], 0, TASK_COMM_LEN);
	memcpy(f->comm[f->ncomm], name, n);
	f->ncomm++;
	return 0;
}

int filter_add_codes(struct exit_filter *f, const char *list)
{
	uint64_t codes[4] = {};
	const char *p = list;
	char *end;
	long v;
	int i;

	for (;;) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || (*end && *end != ','))
			return -EINVAL;
		if (errno == ERANGE || v > 255)
			return -ERANGE;
		codes[v >> 6] |= 1ULL << (v & 63);
		if (!*end)
			break;
		p = end + 1;
	}
	for (i = 0; i < 4; i++)
		f->codes[i] |= codes[i];
	f->codes_set = true;
	return 0;
}

void filter_to_cfg(const struct exit_filter *f, struct exitsnoop_cfg *c)
{
	unsigned char mask[TASK_COMM_LEN];
	unsigned int i;
	size_t n;

	c->uid_set = f->uid_set;
	c->uid = f->uid;
	c->signal_only = f->signal_only;
	c->codes_set = f->codes_set;
	memcpy(c->codes, f->codes, sizeof(c->codes));
	c->ncomm = f->ncomm;
	for (i = 0; i < f->ncomm && i < COMM_FILTER_MAX; i++) {
		/* the name and its NUL must match; what follows the NUL may be anything */
		n = strnlen(f->comm[i], TASK_COMM_LEN - 1);
		memset(mask, 0, sizeof(mask));
		memset(mask, 0xff, n + 1);
		memcpy(c->comm_val[i], f->comm[i], TASK_COMM_LEN);
		memcpy(c->comm_mask[i], mask, TASK_COMM_LEN);
	}
}
