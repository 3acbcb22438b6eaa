/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF side's lifecycle: probe the kernel, configure, load, attach,
 * ring buffer. The only module that knows the skeleton; it knows no format.
 */
#ifndef __TRACER_H
#define __TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "load/load_error.h"

struct tracer;
struct exit_filter;

/*
 * While records flow, the reader drains without being woken: DRAIN_INTERVAL_MS
 * after the first records, and the interval doubles with each drain that
 * finds more, up to DRAIN_INTERVAL_MAX_MS. A burst is printed soon; a storm
 * costs a wakeup (and a write) per 200 ms rather than per 50.
 */
#define DRAIN_INTERVAL_MS 50
#define DRAIN_INTERVAL_MAX_MS 200

struct tracer_config {
	int pid;		/* 0: all */
	bool failed_only;
	bool per_thread;
	bool why;		/* join signal senders and OOM kills */
	bool story;		/* usage, ids and cgroup in each record */
	bool args;		/* and argv and exe (the exec hook) */
	bool lineage;		/* and ancestors, the exe's identity, start time */
	int cgroup_fd;		/* -1: no cgroup filter */
	unsigned long buffer_size;
	bool tree;		/* only the tree seeded with tracer_track(); pid is then 0 */
	bool oom;		/* flag OOM kills (implied by why) */
	unsigned int cgroup_names; /* enum cgroup_name_scope: name new cgroups */
	const struct exit_filter *filter; /* NULL: none */
	/* the cost group */
	bool cost;		/* I/O and delays in each record with the story (-j) */
};

/* Called for each ring-buffer record; a negative return stops the drain. */
typedef int (*tracer_event_fn)(void *ctx, void *data, size_t size);

int tracer_open(struct tracer **out, const struct tracer_config *cfg, tracer_event_fn fn,
		 void *ctx, struct load_error *terr);
int tracer_epoll_fd(const struct tracer *t);
/* Drains at most budget records: records handled, or -errno (or the callback's < 0). */
int tracer_consume(struct tracer *t, int budget);
uint64_t tracer_lost(const struct tracer *t);
/*
 * Adds a process to the traced tree (cfg.tree), with whatever it forks from
 * now on. pidfd, opened before tgid was found to belong to the tree (or
 * -1), tells whether that process had ended by the time it was put in:
 * then it is taken out again (its exit record went by without it) and 1 is
 * returned; else 0, or -errno.
 */
int tracer_track(struct tracer *t, int tgid, int pidfd);
/* Processes of the tree forked while the traced map was full. */
uint64_t tracer_untracked(const struct tracer *t);
/* Tells the BPF side whether the reader sleeps until woken (see wakeup_flag()). */
void tracer_set_waiting(struct tracer *t, bool waiting);
void tracer_free(struct tracer *t);
/* The libbpf the skeletons were generated with and that is linked: "1.1". */
const char *tracer_libbpf_version(void);

#endif /* __TRACER_H */
