// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF side behind one interface. It asks the kernel what it can do,
 * then chooses three things, each with a fallback for older kernels:
 *
 *   loader     light skeleton (v5.17+)   else libbpf (any kernel with BTF)
 *   exit hook  tp_btf (v5.5+)            else raw_tp
 *   transport  BPF ring buffer (v5.8+)   else perf buffer
 *
 * and, from the kernel's BTF, the shape of two tracepoints: whether
 * sched_process_exit has group_dead (v6.16) and whether mark_victim
 * passes the task (v6.9, stable backports). Whatever is chosen, the same
 * programs load from the same source; what differs between kernels is
 * frozen in .rodata (struct exitsnoop_cfg) and pruned by the verifier.
 * See loader.h for what each loader does. Every choice can be forced with
 * an environment variable, so that each path is tested on any kernel:
 * EXITSNOOP_FORCE_LIBBPF, _RAW_TP, _PERFBUF and _COMPAT; _BTF_READ reads the
 * kernel's BTF where it could map the file, for the start-up probe and for
 * the libbpf loader (which it implies), as before v6.16.
 * EXITSNOOP_VERIFIER_STATS prints what verifying each program cost (with
 * the libbpf loader, which it implies).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf_version.h>
#include <linux/types.h>
#include "load/btf_file.h"
#include "load/btf_probe.h"
#include "bpf/exitsnoop.h"
#include "load/filter.h"
#include "load/loader.h"
#include "lib/log.h"
#include "load/memlock.h"
#include "load/perfbuf.h"
#include "load/probe.h"
#include "load/ringbuf.h"
#include "load/tracer.h"

struct tracer {
	struct loaded bpf;
	struct ringbuf rb;
	struct perfbuf *pb;
	tracer_event_fn fn;
	void *ctx;
};

struct plan {
	bool light;		/* else libbpf */
	bool raw_tp;		/* else tp_btf */
	bool perfbuf;		/* else ring buffer */
	bool compat;		/* sched_process_exit without group_dead */
	bool oom_task;		/* mark_victim passes the task */
	bool find_vma;		/* where it crashed: the mappings and paths */
	bool addr_map;		/* ... and the fault address's, at the exit hook */
};

/* The two tracepoints' prototypes, from the kernel's BTF. */
static int probe_btf(struct tp_proto *tps, int n, struct load_error *terr)
{
	int err = btf_probe_tracepoints(VMLINUX_BTF_PATH, tps, n);

	if (err == -ENOENT) {
		snprintf(terr->reason, sizeof(terr->reason),
			 "kernel BTF (%s) not available: a kernel with CONFIG_DEBUG_INFO_BTF=y is needed",
			 VMLINUX_BTF_PATH);
		return load_fail(terr, LOAD_LOAD, err);
	}
	if (err) {
		snprintf(terr->reason, sizeof(terr->reason), "kernel BTF (%s) not usable: %s",
			 VMLINUX_BTF_PATH, err == -EPROTO ? "not BTF data" : strerror(-err));
		return load_fail(terr, LOAD_LOAD, err == -EPROTO ? -EINVAL : err);
	}
	if (tps[0].nargs < 1) {
		snprintf(terr->reason, sizeof(terr->reason),
			 "kernel BTF has no sched_process_exit tracepoint");
		return load_fail(terr, LOAD_LOAD, -ENOENT);
	}
	return 0;
}

/*
 * A probe that could not be made (no privilege, no memory, locked memory)
 * says nothing of the kernel: an error, never a fallback.
 */
static int probe_failed(struct load_error *terr, const char *probe, int err)
{
	terr->probe = probe;
	snprintf(terr->reason, sizeof(terr->reason), "%s", strerror(-err));
	return load_fail(terr, LOAD_LOAD, err);
}

/* The verifier said no (not: no memory, no descriptor, no privilege). */
static bool verifier_refused(const struct load_error *terr)
{
	return terr->stage == LOAD_LOAD &&
	       (terr->err == -EINVAL || terr->err == -EACCES || terr->err == -E2BIG);
}

/* A switch in the environment: set, and neither empty nor "0". */
static bool env_on(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

static bool forced(const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "EXITSNOOP_FORCE_%s", what);
	return env_on(name);
}

/* The verifier's figures per program: the libbpf loader loads each on its own. */
static bool verifier_stats(void)
{
	return env_on("EXITSNOOP_VERIFIER_STATS");
}

/* "forced", or the kernel's answer to a probe. */
static const char *why(bool force, int probe_err)
{
	if (force)
		return "forced";
	return probe_err ? strerror(-probe_err) : "supported";
}

/*
 * Where it crashed (-w, -j): with the mappings where bpf_find_vma is, else
 * the IP's build ID. The fault address's own mapping is looked up at the
 * exit hook, where it precedes exit_mm(): the tracepoint with group_dead
 * (one commit, 6.16), whatever _COMPAT forces. Before, the lookup would
 * find no mm on every exit (the program checks it all the same): not
 * attached, it costs those exits nothing.
 */
static int choose_crash(struct plan *p, const struct tracer_config *cfg, bool group_dead,
			struct load_error *terr)
{
	bool force = forced("NO_FIND_VMA");
	int err;

	if (!cfg->why)
		return 0;
	err = force ? -ENOTSUP : probe_find_vma();
	if (err && !probe_unsupported(err))
		return probe_failed(terr, "bpf_find_vma", err);
	p->find_vma = !err;
	p->addr_map = p->find_vma && group_dead;
	log_debug("crashes: %s (bpf_find_vma: %s)",
		  p->find_vma ? "IP, mappings, paths, build ID" : "IP, its build ID and offset",
		  why(force, err));
	if (p->find_vma)
		log_debug("crashes: the fault address's mapping %s",
			  p->addr_map ? "wherever it lies (the exit hook precedes exit_mm())" :
			  "only in the IP's (the exit hook follows exit_mm())");
	return 0;
}

static int choose(struct plan *p, const struct tracer_config *cfg, struct load_error *terr)
{
	struct tp_proto tps[] = { { .name = "sched_process_exit" },
				  { .name = "mark_victim", .nargs = -1 } };
	int light, ring, tp_btf, err;
	bool f_read = forced("BTF_READ"), f_raw = forced("RAW_TP"), f_perf = forced("PERFBUF");
	bool f_light = forced("LIBBPF") || verifier_stats() || f_read;

	memset(p, 0, sizeof(*p));
	/* _BTF_READ: as before 6.16, where the sysfs file cannot be mapped, everywhere */
	btf_probe_force_stream(f_read);
	err = probe_btf(tps, cfg->why || cfg->oom ? 2 : 1, terr);
	if (err)
		return err;
	log_debug("start-up probe: kernel BTF %s%s", btf_probe_mapped() ? "mapped" : "streamed",
		  f_read ? " (forced)" : "");
	p->compat = forced("COMPAT") || tps[0].nargs < 2;
	p->oom_task = tps[1].nargs >= 1 && tps[1].arg_is_ptr[0];
	/* what is forced is not asked: each probe is a program or map to make */
	tp_btf = f_raw ? -ENOTSUP : probe_tp_btf(tps[0].btf_id);
	if (tp_btf && !probe_unsupported(tp_btf))
		return probe_failed(terr, "tp_btf", tp_btf);
	ring = f_perf ? -ENOTSUP : probe_ringbuf();
	if (ring && !probe_unsupported(ring))
		return probe_failed(terr, "the BPF ring buffer", ring);
	p->raw_tp = f_raw || tp_btf;
	p->perfbuf = f_perf || ring;
	light = f_light || p->raw_tp || p->perfbuf ? -ENOTSUP : probe_light_loader();
	if (light && !probe_unsupported(light))
		return probe_failed(terr, "the light skeleton's loader", light);
	p->light = !light;
	btf_file_no_map(f_read);
	log_debug("exit hook: %s, via %s (tp_btf: %s)",
		  p->compat ? "pre-6.16 (signal->live)" : "group_dead",
		  p->raw_tp ? "raw_tp" : "tp_btf", why(f_raw, tp_btf));
	log_debug("transport: %s (BPF ring buffer: %s)", p->perfbuf ? "perf buffer" : "ring buffer",
		  why(f_perf, ring));
	log_debug("loader: %s (light skeleton: %s)", p->light ? "light skeleton" : "libbpf",
		  f_light ? "forced off" : p->raw_tp || p->perfbuf ? "not with raw_tp or perf buffer" :
		  why(false, light));
	if (cfg->why || cfg->oom)
		log_debug("OOM kills: %s", p->oom_task ? "mark_victim passes the task" :
			  "mark_victim does not pass the task, shown as kernel SIGKILL");
	return choose_crash(p, cfg, tps[0].nargs >= 2, terr);
}

/* The host's PID namespace: PROC_PID_INIT_INO in the kernel. */
#define HOST_PIDNS_INO 0xEFFFFFFCu

/* -p's PID is in the caller's PID namespace; the BPF side needs to know which. */
static void set_pidns(struct exitsnoop_cfg *c)
{
	struct stat st;

	if (!c->tgid || stat("/proc/self/ns/pid", &st) || st.st_ino == HOST_PIDNS_INO)
		return;
	c->pidns_dev = st.st_dev;
	c->pidns_ino = st.st_ino;
	log_debug("-p %u: a PID of this PID namespace (pid:[%llu])", c->tgid,
		  (unsigned long long)st.st_ino);
}

/*
 * Lineage: ancestors are named as far as the caller's PID namespace
 * reaches; from inside one that is not the host's, the BPF side needs to
 * know which (its inode: the kernel's ns.inum).
 */
static void set_anc_pidns(struct exitsnoop_cfg *c)
{
	unsigned long long ino;
	char link[64];
	/*
	 * By readlink(), "pid:[INODE]": the container profile allows it, not
	 * the stat(2) that musl's stat() makes.
	 */
	ssize_t n = readlink("/proc/self/ns/pid", link, sizeof(link) - 1);

	if (n <= 0)
		return;
	link[n] = '\0';
	if (sscanf(link, "pid:[%llu]", &ino) != 1 || ino == HOST_PIDNS_INO)
		return;
	c->anc_pidns_ino = ino;
	log_debug("ancestors: up to the first outside this PID namespace (pid:[%llu])", ino);
}

static void make_request(struct load_request *req, const struct tracer_config *cfg,
			 const struct plan *p)
{
	memset(req, 0, sizeof(*req));
	req->bpf.tgid = cfg->pid;
	set_pidns(&req->bpf);
	req->bpf.failed_only = cfg->failed_only;
	req->bpf.per_thread = cfg->per_thread;
	req->bpf.cgroup = cfg->cgroup_fd >= 0;
	req->bpf.why = cfg->why;
	req->bpf.oom = cfg->why || cfg->oom;
	req->bpf.tree = cfg->tree;
	if (cfg->filter)
		filter_to_cfg(cfg->filter, &req->bpf);
	req->bpf.compat = p->compat;
	req->bpf.oom_task = p->oom_task;
	req->bpf.find_vma = p->find_vma;
	req->bpf.addr_map = p->addr_map;
	req->bpf.perfbuf = p->perfbuf;
	req->bpf.story = cfg->story || cfg->args;
	req->bpf.args = cfg->args;
	req->bpf.exe = cfg->args;
	req->bpf.cost = cfg->story && cfg->cost;
	req->bpf.cgroup_names = cfg->cgroup_names;
	req->bpf.lineage = cfg->lineage;
	if (cfg->lineage)
		set_anc_pidns(&req->bpf);
	req->bpf.wake_bytes = cfg->buffer_size / 2;
	req->ring_size = cfg->buffer_size;
	req->cgroup_fd = cfg->cgroup_fd;
	req->raw_tp = p->raw_tp;
	req->verifier_stats = verifier_stats();
}

static int open_transport(struct tracer *t, const struct tracer_config *cfg, bool perfbuf)
{
	if (perfbuf)
		return perfbuf_open(&t->pb, t->bpf.events_fd, cfg->buffer_size, t->fn, t->ctx,
				    cfg->cgroup_names != 0);
	return ringbuf_open(&t->rb, t->bpf.events_fd, cfg->buffer_size);
}

int tracer_open(struct tracer **out, const struct tracer_config *cfg, tracer_event_fn fn,
		 void *ctx, struct load_error *terr)
{
	struct load_request req;
	struct memlock ml;
	struct tracer *t;
	struct plan p;
	int err;

	memset(terr, 0, sizeof(*terr));
	t = calloc(1, sizeof(*t));
	if (!t)
		return load_fail(terr, LOAD_OPEN, -ENOMEM);
	t->fn = fn;
	t->ctx = ctx;
	memlock_prepare(&ml); /* before the probes: they make maps and programs too */
	err = choose(&p, cfg, terr);
	if (err)
		goto err_free;
	make_request(&req, cfg, &p);
	err = p.light ? light_load(&t->bpf, &req, terr) : libbpf_load(&t->bpf, &req, terr);
	if (err && req.bpf.exe && verifier_refused(terr)) {
		/*
		 * The exec hook's walk up the exe's path is a loop, made for
		 * the verifiers of 5.10 to 6.18 (see exe_path()); should
		 * another refuse it, load without it, and exe is null.
		 */
		log_debug("exe: the path walk did not load (%s): without it, exe is null",
			  strerror(-err));
		if (t->bpf.destroy)
			t->bpf.destroy(t->bpf.skel);
		memset(&t->bpf, 0, sizeof(t->bpf));
		memset(terr, 0, sizeof(*terr));
		req.bpf.exe = 0;
		err = p.light ? light_load(&t->bpf, &req, terr) : libbpf_load(&t->bpf, &req, terr);
	}
	if (err)
		goto err_free;
	err = open_transport(t, cfg, p.perfbuf);
	if (err) {
		load_fail(terr, LOAD_RINGBUF, err);
		goto err_free;
	}
	err = t->bpf.attach(t->bpf.skel, &req);
	if (err) {
		load_fail(terr, LOAD_ATTACH, err);
		goto err_free;
	}
	*out = t;
	return 0;
err_free:
	terr->memlock_short = memlock_short(&ml);
	terr->memlock_kib = ml.limit / 1024;
	tracer_free(t);
	return err;
}

/* Polls readable when records wait. */
int tracer_epoll_fd(const struct tracer *t)
{
	return t->pb ? perfbuf_epoll_fd(t->pb) : t->bpf.events_fd;
}

int tracer_consume(struct tracer *t, int budget)
{
	if (t->pb) /* libbpf's perf buffer drains every CPU's ring: no budget */
		return perfbuf_consume(t->pb);
	return ringbuf_walk(&t->rb.view, t->fn, t->ctx, budget);
}

uint64_t tracer_lost(const struct tracer *t)
{
	uint64_t lost = __atomic_load_n(&t->bpf.stats->lost, __ATOMIC_RELAXED);

	return lost + (t->pb ? perfbuf_lost(t->pb) : 0);
}

/*
 * The hint first: an exit between the two then finds the hint set and no
 * entry, as if it had come before; the other order could hide an entry.
 */
static bool pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return pidfd >= 0 && poll(&p, 1, 0) == 1;
}

int tracer_track(struct tracer *t, int tgid, int pidfd)
{
	__u32 *hint = &t->bpf.tree_hint[(__u32)tgid % TREE_HINT_SLOTS];
	int err;

	__atomic_fetch_add(hint, 1, __ATOMIC_SEQ_CST);
	err = t->bpf.track(t->bpf.skel, (__u32)tgid);
	if (err) {
		__atomic_fetch_sub(hint, 1, __ATOMIC_SEQ_CST);
		return err == -EEXIST ? 0 : err; /* the fork program was first */
	}
	/*
	 * An entry without a start time matches whoever has the PID: one of a
	 * process that had already ended (a zombie found in /proc) would adopt
	 * the next process to get its PID. The exit program takes out the
	 * entries of processes that end after this point.
	 */
	if (!pidfd_exited(pidfd))
		return 0;
	if (!t->bpf.untrack(t->bpf.skel, (__u32)tgid))
		__atomic_fetch_sub(hint, 1, __ATOMIC_SEQ_CST);
	return 1;
}

uint64_t tracer_untracked(const struct tracer *t)
{
	return __atomic_load_n(&t->bpf.stats->untracked, __ATOMIC_RELAXED);
}

void tracer_set_waiting(struct tracer *t, bool waiting)
{
	__atomic_store_n(t->bpf.reader_waiting, waiting, __ATOMIC_SEQ_CST);
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	perfbuf_close(t->pb);
	ringbuf_close(&t->rb);
	if (t->bpf.destroy)
		t->bpf.destroy(t->bpf.skel);
	free(t);
}

#define STR(x) #x
#define XSTR(x) STR(x)

/* The headers' libbpf: the skeletons were generated with it, and it is linked (statically). */
const char *tracer_libbpf_version(void)
{
	return XSTR(LIBBPF_MAJOR_VERSION) "." XSTR(LIBBPF_MINOR_VERSION);
}
