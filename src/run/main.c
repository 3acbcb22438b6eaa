// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: trace process termination (exit, fatal signal) with BPF.
 * A libbpf/CO-RE rewrite of bcc's exitsnoop, compatible with its output.
 */
#include <stdio.h>
#include "lib/log.h"
#include "load/tracer.h"
#include "run/exit_status.h"
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
		printf("exitsnoop %s (libbpf %s)\n", EXITSNOOP_VERSION, tracer_libbpf_version());
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
