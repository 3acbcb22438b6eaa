/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the kernel's BTF says about a tracepoint's prototype, read by
 * streaming the BTF file once or twice with a small buffer, instead of
 * parsing megabytes of types into memory that libbpf parses again anyway.
 */
#ifndef __BTF_PROBE_H
#define __BTF_PROBE_H

#include <stdbool.h>

#define TP_MAX_ARGS 8

struct tp_proto {
	const char *name;	/* tracepoint name, e.g. "sched_process_exit" */
	int nargs;		/* arguments after the hidden __data; -1 if not found */
	unsigned int btf_id;	/* type id of typedef btf_trace_<name>: a tp_btf attach target */
	bool arg_is_ptr[TP_MAX_ARGS];
};

/* Fills nargs and arg_is_ptr of each entry; -errno if the file is unusable. */
int btf_probe_tracepoints(const char *path, struct tp_proto *tps, int n);

/*
 * Reads the file in chunks even where it could be mapped: the path kernels
 * before v6.16 take, whose sysfs BTF file cannot be mapped. For tests.
 */
void btf_probe_force_stream(bool on);

/* Whether the last file read was mapped (else streamed). */
bool btf_probe_mapped(void);

#endif /* __BTF_PROBE_H */
