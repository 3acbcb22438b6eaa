/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the running kernel can do, asked of the kernel itself: each probe
 * makes the smallest object of a kind (a map, a two-instruction program)
 * and reports whether the kernel took it. Never guessed from the version.
 */
#ifndef __PROBE_H
#define __PROBE_H

#include <stdbool.h>

/* The kernel's internal ENOTSUPP, which reaches user space as such. */
#define ENOTSUPP_KERNEL 524

/* 0 if the kernel took it, else the -errno it answered with. */

/*
 * BPF_PROG_TYPE_SYSCALL, v5.14 (79a7f8bdb159), and CO-RE relocations in
 * BPF_PROG_LOAD, v5.17 (1e89106da253): what the light skeleton's loader
 * program needs. A kernel that does not know the core_relo fields of the
 * load attributes answers E2BIG.
 */
int probe_light_loader(void);

/* BPF_MAP_TYPE_RINGBUF, v5.8 (457f44363a88). */
int probe_ringbuf(void);

/* tp_btf: a BPF_PROG_TYPE_TRACING program on a BTF-typed raw tracepoint, v5.5. */
int probe_tp_btf(unsigned int btf_id);

/*
 * bpf_find_vma, v5.17 (7c7e3d31e785): where it crashed, the mappings and
 * their paths. A call with no arguments: a kernel without the helper
 * calls it unknown, one with it faults the first argument.
 */
int probe_find_vma(void);

/*
 * A one-entry array map, made and closed: what any kernel with BPF takes.
 * memlock.c makes it under a zero RLIMIT_MEMLOCK to learn whether the
 * kernel charges BPF memory to that limit (before 5.11) or to the memory
 * cgroup (from 5.11).
 */
int probe_array_map(void);

/*
 * Whether a probe's -errno says the kernel lacks the feature (EINVAL,
 * E2BIG, ENOENT, EOPNOTSUPP, ENOTSUPP), as opposed to could not try it:
 * no privilege (EPERM, EACCES), no memory or locked memory (ENOMEM,
 * EPERM), no descriptor (EMFILE). Only the first may choose a fallback;
 * the rest is an error to report.
 */
bool probe_unsupported(int err);

#endif /* __PROBE_H */
