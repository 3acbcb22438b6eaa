// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: trace process termination (exit, fatal signal) with BPF.
 * A libbpf/CO-RE rewrite of bcc's exitsnoop, compatible with its output.
 */
#include <stdio.h>
#include <bpf/libbpf_version.h>
#include "lib/log.h"
#include "run/options.h"
#include "run/session.h"

int main(int argc, char **argv)
{
	struct options opts;
	char err[512];

	switch (options_parse(&opts, argc, argv, err, sizeof(err))) {
	case OPTIONS_HELP:
		options_help(stdout);
		return EXIT_OK;
	case OPTIONS_VERSION:
		/* the libbpf that generated the loader: none is linked */
		printf("exitsnoop %s (libbpf %d.%d)\n", EXITSNOOP_VERSION, LIBBPF_MAJOR_VERSION,
		       LIBBPF_MINOR_VERSION);
		return EXIT_OK;
	case OPTIONS_ERROR:
		fprintf(stderr, "exitsnoop: %s\n", err);
		options_usage(stderr);
		return EXIT_USAGE;
	default:
		break;
	}
	log_set_verbose(opts.verbose);
	return session_run(&opts);
}
