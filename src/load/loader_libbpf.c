// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libbpf loader (see loader.h): libbpf's regular skeleton, CO-RE in
 * user space. Two objects are embedded, both built from exitsnoop.bpf.c:
 * tp_btf programs, and raw_tp programs for kernels without tp_btf. Past
 * open, both are handled through libbpf's generic object API.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <unistd.h>
#include "load/bpf_use.h"
#include "bpf/exitsnoop.h"
#include "exitsnoop.skel.h"
#include "exitsnoop_raw.skel.h"
#include "load/loader.h"
#include "lib/log.h"

/* Both objects come from one source: .bss is laid out alike. */
_Static_assert(sizeof(struct exitsnoop_tpbtf__bss) == sizeof(struct exitsnoop_rawtp__bss),
	       ".bss differs between the tp_btf and raw_tp objects");

/* EXITSNOOP_VERIFIER_STATS: each program's statistics (log level 4) */
#define STATS_LOG_SIZE 4096
#define STATS_PROGS 8

struct libbpf_skel {
	struct exitsnoop_tpbtf *tpbtf;	/* one of the two */
	struct exitsnoop_rawtp *rawtp;
	struct bpf_object *obj;
	struct exitsnoop_cfg *cfg;	/* in .rodata, until load */
	struct exitsnoop_tpbtf__bss *bss;	/* mapped from the kernel once loaded */
	char (*stats_log)[STATS_LOG_SIZE];	/* per program, with verifier_stats */
};

/* The verifier's log of a failed load, kept for its verdict. */
static char load_log[1 << 16];
static const char LOG_BEGIN[] = "-- BEGIN PROG LOAD LOG --\n";

/*
 * libbpf's messages: warnings with -v, everything with -vv; otherwise none, but the
 * verifier's log is kept so that the failure is told in a line or two.
 */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static char msg[1 << 16];
	const char *log;

	/* a few hundred per load, one per relocation: not formatted unless shown */
	if (level == LIBBPF_DEBUG && log_verbose() < 2)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log = strstr(msg, LOG_BEGIN);
	if (log && !load_log[0])
		snprintf(load_log, sizeof(load_log), "%s", log + sizeof(LOG_BEGIN) - 1);
	if (log_verbose() > (level == LIBBPF_DEBUG))
		fputs(msg, stderr);
	return 0;
}

static struct bpf_map *map(struct bpf_object *obj, const char *name)
{
	return bpf_object__find_map_by_name(obj, name);
}

/*
 * Settings into .rodata; the maps and programs they leave unused are not
 * made at all (libbpf poisons the instructions that would load an unmade
 * map, and the verifier never reaches them: each is behind a frozen
 * setting). Each map not made is a system call and its memory saved.
 */
static void configure(struct libbpf_skel *s, const struct load_request *req)
{
	const struct exitsnoop_cfg *c = &req->bpf;
	struct bpf_object *obj = s->obj;
	struct bpf_map *m;
	int i;

	*s->cfg = *c;
	for (i = 0; i < MAP_COUNT; i++) {
		m = map(obj, bpf_map_names[i]);
		bpf_map__set_autocreate(m, bpf_map_used(c, i));
		if (!bpf_map_filled(c, i))
			bpf_map__set_max_entries(m, 1);
	}
	if (!c->perfbuf)
		bpf_map__set_max_entries(map(obj, "events"), req->ring_size);
	for (i = 0; i < PROG_COUNT; i++)
		bpf_program__set_autoload(bpf_object__find_program_by_name(obj, bpf_prog_names[i]),
					  bpf_prog_used(c, i));
}

static int open_object(struct libbpf_skel *s, bool raw_tp)
{
	if (raw_tp) {
		s->rawtp = exitsnoop_rawtp__open();
		if (!s->rawtp)
			return errno ? -errno : -ENOMEM;
		s->obj = s->rawtp->obj;
		s->cfg = &s->rawtp->rodata->cfg;
		return 0;
	}
	s->tpbtf = exitsnoop_tpbtf__open();
	if (!s->tpbtf)
		return errno ? -errno : -ENOMEM;
	s->obj = s->tpbtf->obj;
	s->cfg = &s->tpbtf->rodata->cfg;
	return 0;
}

/*
 * Descriptors the load may hold at once: every map and program, the
 * kernel's BTF, and libbpf's feature probes. libbpf takes a probe that
 * fails for want of a descriptor for a kernel without the feature (1.1:
 * global data, then a load that cannot work), so the want is found here.
 */
#define LOAD_FDS 16

static int fds_free(int n)
{
	int fds[LOAD_FDS], i, got = 0, err = 0;

	for (i = 0; i < n && i < LOAD_FDS; i++) {
		fds[i] = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
		if (fds[i] < 0) {
			err = -errno;
			break;
		}
		got++;
	}
	for (i = 0; i < got; i++)
		close(fds[i]);
	return err == -EBADF ? 0 : err; /* no stderr to copy: no verdict either */
}

/* Loads, and maps .bss shared with the kernel: the skeleton's own load. */
static int load_object(struct libbpf_skel *s)
{
	int err = fds_free(LOAD_FDS);

	if (err)
		return err;

	if (s->rawtp) {
		err = exitsnoop_rawtp__load(s->rawtp);
		s->bss = (struct exitsnoop_tpbtf__bss *)s->rawtp->bss;
	} else {
		err = exitsnoop_tpbtf__load(s->tpbtf);
		s->bss = s->tpbtf->bss;
	}
	return err;
}

/* The next program to be loaded after prog (NULL: the first), with its stats slot in *slot. */
static struct bpf_program *next_loaded(struct bpf_object *obj, struct bpf_program *prog, int *slot)
{
	*slot = prog ? *slot + 1 : 0;
	for (prog = bpf_object__next_program(obj, prog); prog;
	     prog = bpf_object__next_program(obj, prog)) {
		if (bpf_program__autoload(prog))
			return *slot < STATS_PROGS ? prog : NULL;
	}
	return NULL;
}

/*
 * The verifier's statistics for each program to be loaded: log level 4
 * (BPF_LOG_STATS, v5.2) logs only what verifying it cost.
 */
static void ask_stats(struct libbpf_skel *s)
{
	struct bpf_program *prog = NULL;
	int i;

	s->stats_log = calloc(STATS_PROGS, STATS_LOG_SIZE);
	if (!s->stats_log)
		return;
	while ((prog = next_loaded(s->obj, prog, &i))) {
		bpf_program__set_log_level(prog, 4);
		bpf_program__set_log_buf(prog, s->stats_log[i], STATS_LOG_SIZE);
	}
}

/* "verifier: PROG: processed N insns (...) ...; verification time T usec" */
static void print_stats(struct libbpf_skel *s)
{
	struct bpf_program *prog = NULL;
	char *line, *save, *cost, *time;
	int i;

	if (!s->stats_log)
		return;
	while ((prog = next_loaded(s->obj, prog, &i))) {
		cost = time = NULL;
		for (line = strtok_r(s->stats_log[i], "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(line, "processed ", 10))
				cost = line;
			else if (!strncmp(line, "verification time ", 18))
				time = line;
		}
		log_error("verifier: %s: %s%s%s", bpf_program__name(prog), cost ? cost : "no figures",
			  time ? "; " : "", time ? time : "");
	}
}

static void destroy(void *skel)
{
	struct libbpf_skel *s = skel;

	if (!s)
		return;
	exitsnoop_rawtp__destroy(s->rawtp);
	exitsnoop_tpbtf__destroy(s->tpbtf);
	free(s->stats_log);
	free(s);
}

static int set_cgroup_filter(struct bpf_object *obj, int cgroup_fd)
{
	__u32 key = 0;

	if (cgroup_fd < 0)
		return 0;
	return bpf_map__update_elem(map(obj, "cgroup_filter"), &key, sizeof(key), &cgroup_fd,
				    sizeof(cgroup_fd), BPF_ANY);
}

static int track(void *skel, __u32 tgid)
{
	struct libbpf_skel *s = skel;
	__u64 start = 0;

	return bpf_map__update_elem(map(s->obj, "traced"), &tgid, sizeof(tgid), &start,
				    sizeof(start), BPF_NOEXIST);
}

static int untrack(void *skel, __u32 tgid)
{
	struct libbpf_skel *s = skel;
	struct bpf_map *m = map(s->obj, "traced");
	__u64 start = 1;

	if (bpf_map__lookup_elem(m, &tgid, sizeof(tgid), &start, sizeof(start), 0) || start)
		return -ENOENT; /* gone, or the fork program's exact entry */
	return bpf_map__delete_elem(m, &tgid, sizeof(tgid), 0);
}

/*
 * The fault address's lookup before the exit programs on the same hook,
 * which run in attach order: attached first, by hand, into the skeleton's
 * link, which the skeleton's attach then leaves as it is.
 */
static int attach_first(struct libbpf_skel *s, const struct load_request *req)
{
	struct bpf_link **link = s->rawtp ? &s->rawtp->links.handle_fault_addr :
					    &s->tpbtf->links.handle_fault_addr;
	struct bpf_program *prog;

	if (!bpf_prog_used(&req->bpf, PROG_FAULT_ADDR))
		return 0;
	prog = bpf_object__find_program_by_name(s->obj, bpf_prog_names[PROG_FAULT_ADDR]);
	*link = bpf_program__attach(prog);
	if (*link)
		return 0;
	return errno ? -errno : -EINVAL;
}

/* Every loaded program is attached; the skeleton detaches them on destroy. */
static int attach(void *p, const struct load_request *req)
{
	struct libbpf_skel *s = p;
	int err = attach_first(s, req);

	if (err)
		return err;
	err = s->rawtp ? exitsnoop_rawtp__attach(s->rawtp) : exitsnoop_tpbtf__attach(s->tpbtf);
	return err < 0 ? err : 0;
}

static int fail_with_log(struct load_error *terr, enum load_stage stage, int err)
{
	load_fail(terr, stage, err);
	if (stage == LOAD_LOAD && load_log[0])
		verifier_verdict(load_log, terr->reason, sizeof(terr->reason));
	return terr->err;
}

int libbpf_load(struct loaded *l, const struct load_request *req, struct load_error *terr)
{
	struct libbpf_skel *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return fail_with_log(terr, LOAD_OPEN, -ENOMEM);
	l->skel = s;
	l->attach = attach;
	l->destroy = destroy;
	l->track = track;
	l->untrack = untrack;
	libbpf_set_print(print_fn);
	load_log[0] = '\0';
	err = open_object(s, req->raw_tp);
	if (err)
		return fail_with_log(terr, LOAD_OPEN, err);
	configure(s, req);
	if (req->verifier_stats)
		ask_stats(s);
	err = load_object(s);
	print_stats(s); /* a refused program's too: how far the verifier got */
	if (err)
		return fail_with_log(terr, LOAD_LOAD, err);
	s->bss->reader_waiting = 1;
	l->stats = &s->bss->stats;
	l->reader_waiting = &s->bss->reader_waiting;
	l->tree_hint = s->bss->tree_hint;
	l->events_fd = bpf_map__fd(map(s->obj, req->bpf.perfbuf ? "perf_events" : "events"));
	err = set_cgroup_filter(s->obj, req->cgroup_fd);
	return err ? fail_with_log(terr, LOAD_ATTACH, err) : 0;
}
