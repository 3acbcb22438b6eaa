/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the running kernel can do, asked of the kernel itself: each probe
 * makes the smallest object of a kind (a map, a two-instruction program)
 * and reports whether the kernel took it. Never guessed from the version.
 */
#ifndef __PROBE_H
#define __PROBE_H

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

#endif /* __PROBE_H */
