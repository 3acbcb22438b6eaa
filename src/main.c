// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: trace process termination (exit, fatal signal) with BPF.
 * A libbpf/CO-RE rewrite of bcc's exitsnoop, compatible with its output.
 */
#include <malloc.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "options.h"
#include "session.h"

int main(int argc, char **argv)
{
	struct options opts;
	char err[256];

	switch (options_parse(&opts, argc, argv, err, sizeof(err))) {
	case OPTIONS_HELP:
		options_help(stdout);
		return EXIT_OK;
	case OPTIONS_VERSION:
		printf("exitsnoop %s (libbpf %s)\n", EXITSNOOP_VERSION, libbpf_version_string());
		return EXIT_OK;
	case OPTIONS_ERROR:
		fprintf(stderr, "exitsnoop: %s\n", err);
		options_usage(stderr);
		return EXIT_USAGE;
	default:
		break;
	}
	/*
	 * Loading parses the kernel's BTF (megabytes) and frees it: keep such
	 * blocks in mmap()ed chunks that go back to the system when freed,
	 * instead of letting glibc raise its threshold and keep them.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	log_set_verbose(opts.verbose);
	return session_run(&opts);
}
