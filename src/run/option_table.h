/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every option once (option_table.c): getopt_long()'s tables and the
 * help come from one table, so that they cannot drift apart.
 */
#ifndef __OPTION_TABLE_H
#define __OPTION_TABLE_H

#include <getopt.h>

/* Long options without a letter: getopt_long()'s value for them. */
enum {
	OPT_UTC = 1000,
	OPT_LABEL,
	OPT_METRICS_FILE,
	OPT_METRICS_INTERVAL,
	OPT_TREE,
	OPT_COMM,
	OPT_UID,
	OPT_SIGNAL,
	OPT_CODE,
	OPT_SUMMARY,
	OPT_INTERVAL,
	OPT_CONTAINER,
	OPT_ANCESTORS,
	/* exits by group */
	OPT_SUMMARY_BY,
	OPT_METRICS_CONTAINERS,
};

/* getopt_long()'s short option string and long option table. */
const char *options_short(void);
const struct option *options_long(void);

#endif /* __OPTION_TABLE_H */
