// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The light-skeleton loader (see loader.h): the kernel runs a loader
 * program that creates the maps and loads the programs with CO-RE
 * relocations applied against its own, already parsed BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "load/bpf_use.h"
#include "bpf/exitsnoop.h"
#include "exitsnoop.lskel.h"
#include "load/loader.h"
#include "lib/log.h"

/* Large enough for a whole verifier log even where the kernel does not rotate it. */
#define VERIFIER_LOG_SIZE (4u << 20)

/* This loader makes every map: those the settings leave unfilled get one entry. */
static void configure(struct exitsnoop_lskel *skel, const struct load_request *req)
{
	const struct exitsnoop_cfg *c = &req->bpf;
	struct bpf_map_desc *maps[MAP_COUNT] = {
		[MAP_EVENTS] = &skel->maps.events,
		[MAP_PERF_EVENTS] = &skel->maps.perf_events,
		[MAP_CGROUP_FILTER] = &skel->maps.cgroup_filter,
		[MAP_CAUSES] = &skel->maps.causes,
		[MAP_OOMS] = &skel->maps.ooms,
		[MAP_TRACED] = &skel->maps.traced,
		[MAP_REPORTED] = &skel->maps.reported,
		[MAP_PROCS] = &skel->maps.procs,
		[MAP_PROC_BUF] = &skel->maps.proc_buf,
		[MAP_STORY_BUF] = &skel->maps.story_buf,
		[MAP_CGNAME_BUF] = &skel->maps.cgname_buf,
		[MAP_CRASHES] = &skel->maps.crashes,
		[MAP_CRASH_BUF] = &skel->maps.crash_buf,
	};
	int m;

	skel->rodata->cfg = *c;
	skel->bss->reader_waiting = 1;
	for (m = 0; m < MAP_COUNT; m++) {
		if (!bpf_map_filled(c, m))
			maps[m]->max_entries = 1;
	}
	skel->maps.events.max_entries = req->ring_size; /* this loader serves the ring only */
}

/* Loads again with the verifier's log on, for the reason of a failure. */
static void explain_failure(const struct load_request *req, struct load_error *terr)
{
	struct exitsnoop_lskel *skel = exitsnoop_lskel__open();
	char *log = calloc(1, VERIFIER_LOG_SIZE);

	if (skel && log) {
		configure(skel, req);
		skel->ctx.log_level = 1;
		skel->ctx.log_size = VERIFIER_LOG_SIZE;
		skel->ctx.log_buf = (__u64)(unsigned long)log;
		if (exitsnoop_lskel__load(skel)) {
			log_debug("verifier log:\n%s", log);
			verifier_verdict(log, terr->reason, sizeof(terr->reason));
		}
	}
	exitsnoop_lskel__destroy(skel);
	free(log);
}

static int set_cgroup_filter(struct exitsnoop_lskel *skel, int cgroup_fd)
{
	__u32 key = 0;

	if (cgroup_fd < 0)
		return 0;
	if (skel_map_update_elem(skel->maps.cgroup_filter.map_fd, &key, &cgroup_fd, BPF_ANY))
		return -errno;
	return 0;
}

static int track(void *p, __u32 tgid)
{
	struct exitsnoop_lskel *skel = p;
	__u64 start = 0;

	if (skel_map_update_elem(skel->maps.traced.map_fd, &tgid, &start, BPF_NOEXIST))
		return -errno;
	return 0;
}

static int untrack(void *p, __u32 tgid)
{
	struct exitsnoop_lskel *skel = p;
	const size_t attr_sz = offsetofend(union bpf_attr, flags);
	union bpf_attr attr;
	__u64 start = 1;

	memset(&attr, 0, attr_sz);
	attr.map_fd = skel->maps.traced.map_fd;
	attr.key = (long)&tgid;
	attr.value = (long)&start;
	if (skel_sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, attr_sz) || start)
		return -ENOENT; /* gone, or the fork program's exact entry */
	if (skel_map_delete_elem(skel->maps.traced.map_fd, &tgid))
		return -errno;
	return 0;
}

/*
 * The exit hook always; the others only when asked for, in the order of
 * enum bpf_prog_id. The fork hook comes first: a tree is complete from
 * the moment its exits are seen; the fault address's lookup before the
 * exit programs on the same hook, which run in attach order.
 */
static int attach(void *p, const struct load_request *req)
{
	static int (*const attach_prog[PROG_COUNT])(struct exitsnoop_lskel *) = {
		[PROG_FORK] = exitsnoop_lskel__handle_fork__attach,
		[PROG_FAULT_ADDR] = exitsnoop_lskel__handle_fault_addr__attach,
		[PROG_EXIT] = exitsnoop_lskel__handle_exit__attach,
		[PROG_EXIT_STORY] = exitsnoop_lskel__handle_exit_story__attach,
		[PROG_EXEC] = exitsnoop_lskel__handle_exec__attach,
		[PROG_SIGNAL_GENERATE] = exitsnoop_lskel__handle_signal_generate__attach,
		[PROG_MARK_VICTIM] = exitsnoop_lskel__handle_mark_victim__attach,
		[PROG_CGROUP_MKDIR] = exitsnoop_lskel__handle_cgroup_mkdir__attach,
		[PROG_FAULT_MAPS] = exitsnoop_lskel__handle_fault_maps__attach,
	};
	int p_id;

	for (p_id = 0; p_id < PROG_COUNT; p_id++) {
		if (bpf_prog_used(&req->bpf, p_id) && attach_prog[p_id](p) < 0)
			return -errno;
	}
	return 0;
}

static void destroy(void *skel)
{
	exitsnoop_lskel__destroy(skel);
}

int light_load(struct loaded *l, const struct load_request *req, struct load_error *terr)
{
	struct exitsnoop_lskel *skel;
	int err;

	if (req->raw_tp || req->bpf.perfbuf)
		return load_fail(terr, LOAD_OPEN, -EOPNOTSUPP);
	skel = exitsnoop_lskel__open();
	if (!skel)
		return load_fail(terr, LOAD_OPEN, -ENOMEM);
	l->skel = skel;
	l->attach = attach;
	l->destroy = destroy;
	l->track = track;
	l->untrack = untrack;
	configure(skel, req);
	err = exitsnoop_lskel__load(skel);
	if (err) {
		load_fail(terr, LOAD_LOAD, err);
		explain_failure(req, terr);
		return terr->err;
	}
	l->events_fd = skel->maps.events.map_fd;
	l->stats = &skel->bss->stats;
	l->reader_waiting = &skel->bss->reader_waiting;
	l->tree_hint = skel->bss->tree_hint;
	err = set_cgroup_filter(skel, req->cgroup_fd);
	return err ? load_fail(terr, LOAD_ATTACH, err) : 0;
}
