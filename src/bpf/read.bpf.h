/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The read dialect of the two objects built from exitsnoop.bpf.c: under
 * tp_btf kernel pointers are read with plain loads, which the verifier
 * makes fault-safe; under raw_tp (EXITSNOOP_RAW_TP) the same reads go
 * through bpf_probe_read_kernel() with CO-RE relocations. HOOK() names the
 * section, RD() and RD_COMM() read.
 */
#ifndef __READ_BPF_H
#define __READ_BPF_H

#ifdef EXITSNOOP_RAW_TP
#define HOOK(tp) "raw_tp/" #tp
/* through a local: a CO-RE access chain must start at a kernel type, not at struct exiting */
#define RD(src, ...)                                  \
	({                                            \
		typeof(src) __rd_src = (src);         \
		BPF_CORE_READ(__rd_src, __VA_ARGS__); \
	})
#define RD_COMM(dst, task)                                    \
	({                                                    \
		typeof(task) __rd_task = (task);              \
		BPF_CORE_READ_INTO(&(dst), __rd_task, comm); \
	})
#else
#define HOOK(tp) "tp_btf/" #tp
#define RD(...) ARROW(__VA_ARGS__)
#define RD_COMM(dst, task) __builtin_memcpy(dst, (task)->comm, TASK_COMM_LEN)
#endif

/* ARROW(a, b, c) is a->b->c */
#define ARROW_N(_1, _2, _3, _4, _5, N, ...) N
#define ARROW(...) ARROW_N(__VA_ARGS__, ARROW5, ARROW4, ARROW3, ARROW2, ARROW1)(__VA_ARGS__)
#define ARROW1(a) (a)
#define ARROW2(a, b) (a)->b
#define ARROW3(a, b, c) (a)->b->c
#define ARROW4(a, b, c, d) (a)->b->c->d
#define ARROW5(a, b, c, d, e) (a)->b->c->d->e

#endif /* __READ_BPF_H */
