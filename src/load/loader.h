/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The two ways to put exitsnoop's BPF object into the kernel, behind one
 * interface. Both load the same programs from the same source with the
 * same frozen settings (struct exitsnoop_cfg); they differ in who applies
 * the CO-RE relocations:
 *
 *  light   libbpf's light skeleton: a loader program recorded at build
 *          time, run by the kernel, which relocates against its own BTF.
 *          Needs BPF_PROG_TYPE_SYSCALL and in-kernel CO-RE (v5.17). No
 *          BTF is read into user space: the fastest start, the least memory.
 *  libbpf  libbpf's regular skeleton, linked statically: CO-RE in user
 *          space from /sys/kernel/btf/vmlinux. Any kernel with BTF; the
 *          only loader that offers raw_tp programs and the perf buffer.
 *
 * A loader creates every map and loads every program of its object, and
 * attaches the ones the settings use. tracer.c chooses which one runs;
 * nothing above tracer.c knows.
 */
#ifndef __LOADER_H
#define __LOADER_H

#include <stdbool.h>
#include <linux/types.h>
#include "bpf/exitsnoop.h"
#include "load/load_error.h"

struct load_request {
	struct exitsnoop_cfg bpf;	/* frozen into .rodata */
	unsigned long ring_size;	/* ring buffer bytes (cfg.perfbuf: unused) */
	int cgroup_fd;			/* -1: no cgroup filter */
	bool raw_tp;			/* raw tracepoints instead of tp_btf */
	bool verifier_stats;		/* EXITSNOOP_VERIFIER_STATS: each program's cost */
};

/* What the tracer needs of a loaded object. */
struct loaded {
	void *skel;
	/* After the transport is open: a perf buffer drops records made before. */
	int (*attach)(void *skel, const struct load_request *req);
	void (*destroy)(void *skel);
	/* Puts a process into the traced map (cfg.tree), start time unknown: -EEXIST if in. */
	int (*track)(void *skel, __u32 tgid);
	/* Takes out an entry track() put in (start time unknown); -ENOENT if there is none. */
	int (*untrack)(void *skel, __u32 tgid);
	int events_fd;			/* the ring buffer, or the perf event array */
	struct exit_stats *stats;	/* in the mapped .bss */
	__u32 *reader_waiting;		/* likewise */
	__u32 *tree_hint;		/* likewise, TREE_HINT_SLOTS of them */
};

/* Load and fill the cgroup filter. 0, or -errno with terr filled. */
int light_load(struct loaded *l, const struct load_request *req, struct load_error *terr);
int libbpf_load(struct loaded *l, const struct load_request *req, struct load_error *terr);

#endif /* __LOADER_H */
