/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options: parsed and validated here, nothing else. */
#ifndef __OPTIONS_H
#define __OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "load/filter.h"

#define LABEL_MAX 64
#define DEFAULT_BUFFER_SIZE (512UL << 10)
#define STORY_BUFFER_SIZE (2UL << 20)	/* the default when records carry the story */
#define MIN_BUFFER_SIZE 4096UL
#define MAX_BUFFER_SIZE (1UL << 30)
#define PID_LIMIT 4194304L	/* PID_MAX_LIMIT on 64-bit kernels */
#define MAX_INTERVAL_MS (86400UL * 1000)
#define DEFAULT_METRICS_INTERVAL 15
#define MAX_METRICS_INTERVAL 86400L

struct options {
	bool timestamp;		/* -t: time column */
	bool utc;		/* --utc: time in UTC (implies -t) */
	bool failed_only;	/* -x */
	bool per_thread;	/* -T */
	bool json;		/* -j: JSON Lines */
	bool why;		/* -w: cause after EXIT_CODE */
	bool args;		/* -a: ARGS column */
	bool rusage;		/* -r: CPU(s) and MAXRSS(KB) columns */
	bool container;		/* --container: CONTAINER column */
	bool ancestors;		/* --ancestors: ANCESTORS column */
	int verbose;		/* -v: libbpf debug log */
	int pid;		/* -p: 0 = every process */
	const char *label;	/* --label: NULL = no column */
	const char *cgroup;	/* -c: cgroup v2 directory, NULL = all */
	unsigned long buffer_size; /* -b: ring buffer bytes */
	char **cmd;		/* -- CMD [ARGS...]: run and trace it; NULL = none */
	const char *output;	/* -o: records to this file, not stdout */
	bool tree;		/* --tree: -p PID and its descendants */
	bool summary;		/* --summary: a table per command name */
	unsigned long interval_ms; /* --interval: 0 = one summary at the end */
	struct exit_filter filter; /* --comm, --uid, --signal, --code */
	bool buffer_size_given;	/* -b was given: no default applies */
	bool quiet;		/* -q: no event lines on stdout */
	const char *metrics_file; /* --metrics-file: NULL = no metrics */
	int metrics_interval;	/* --metrics-interval: seconds between rewrites */
	/* exits by group */
	int summary_by;		/* --summary-by: enum summary_by, 0 = comm */
	bool metrics_containers; /* --metrics-containers: per-container series */
};

enum options_result {
	OPTIONS_RUN = 0,
	OPTIONS_HELP = 1,
	OPTIONS_VERSION = 2,
	OPTIONS_ERROR = -1,
};

/*
 * Fills opts from argv. On OPTIONS_ERROR, err holds a one-line message
 * naming the problem. Prints nothing.
 */
enum options_result options_parse(struct options *opts, int argc, char **argv, char *err,
				  size_t errlen);

void options_usage(FILE *f);
void options_help(FILE *f);

#endif /* __OPTIONS_H */
