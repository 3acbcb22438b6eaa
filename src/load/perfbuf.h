/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The perf-buffer transport, for kernels without the BPF ring buffer
 * (before v5.8): one perf ring per CPU, read through libbpf. Records of
 * one CPU arrive in order; across CPUs they do not.
 */
#ifndef __PERFBUF_H
#define __PERFBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "load/ringbuf.h"

struct perfbuf;

/*
 * Opens the rings of a perf event array map: total_size bytes split over
 * the CPUs. names_first: each drain hands over the cgroup names it finds
 * before its other records (see struct cgroup_name_event).
 */
int perfbuf_open(struct perfbuf **out, int map_fd, size_t total_size, ringbuf_fn fn, void *ctx,
		 bool names_first);
int perfbuf_epoll_fd(const struct perfbuf *pb);
/* Records handled, or -errno, or fn's first negative return (every record is handed to fn still). */
int perfbuf_consume(struct perfbuf *pb);
/* Records the kernel dropped because a CPU's ring was full. */
uint64_t perfbuf_lost(const struct perfbuf *pb);
void perfbuf_close(struct perfbuf *pb);

#endif /* __PERFBUF_H */
