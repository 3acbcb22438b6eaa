// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loads the BPF object through libbpf's light skeleton: at build time
 * libbpf records the object's load as a small BPF "loader" program; here
 * the kernel runs it, creating the maps and loading the programs with CO-RE
 * relocations applied against the kernel's own, already parsed BTF. No
 * megabytes of BTF are read into user space, so start-up is quick and the
 * process stays small.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "exitsnoop.h"
#include "exitsnoop.lskel.h"
#include "btf_probe.h"
#include "log.h"
#include "ringbuf.h"
#include "tracer.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
/* Large enough for a whole verifier log even where the kernel does not rotate it. */
#define VERIFIER_LOG_SIZE (4u << 20)

struct tracer {
	struct exitsnoop_bpf *skel;
	struct ringbuf rb;
	tracer_event_fn fn;
	void *ctx;
};

struct kernel_features {
	bool compat;		/* no group_dead argument: the pre-6.16 hook */
	bool oom_task;		/* mark_victim hands us the task (v6.7+) */
};

/*
 * Which exit hook, and whether mark_victim hands us the task. The kernel
 * relocates the programs against its BTF, but which programs fit this
 * kernel is read here, from the same BTF: without it, no guessing.
 */
static int probe_kernel(struct kernel_features *kf, const struct tracer_config *cfg,
			struct tracer_error *terr)
{
	struct tp_proto tps[] = { { .name = "sched_process_exit" },
				  { .name = "mark_victim", .nargs = -1 } };
	int err;

	err = btf_probe_tracepoints(VMLINUX_BTF, tps, cfg->why ? 2 : 1);
	if (err == -ENOENT) {
		snprintf(terr->reason, sizeof(terr->reason),
			 "kernel BTF (%s) not available: a kernel with CONFIG_DEBUG_INFO_BTF=y is needed",
			 VMLINUX_BTF);
		return err;
	}
	if (err) {
		snprintf(terr->reason, sizeof(terr->reason), "kernel BTF (%s) not usable: %s",
			 VMLINUX_BTF, err == -EPROTO ? "not BTF data" : strerror(-err));
		return err == -EPROTO ? -EINVAL : err;
	}
	kf->compat = cfg->force_compat || tps[0].nargs < 2;
	kf->oom_task = tps[1].nargs >= 1 && tps[1].arg_is_ptr[0];
	if (cfg->why)
		log_debug("OOM kills: %s", kf->oom_task ? "mark_victim passes the task" :
			  "mark_victim does not pass the task, shown as kernel SIGKILL");
	log_debug("exit hook: %s", kf->compat ? "pre-6.16 (signal->live)" : "group_dead");
	return 0;
}

/* Maps the programs do not need on this kernel or for these options get one entry. */
static void configure(struct exitsnoop_bpf *skel, const struct tracer_config *cfg,
		      const struct kernel_features *kf)
{
	skel->rodata->targ_tgid = cfg->pid;
	skel->rodata->cfg_failed_only = cfg->failed_only;
	skel->rodata->cfg_per_thread = cfg->per_thread;
	skel->rodata->cfg_cgroup = cfg->cgroup_fd >= 0;
	skel->rodata->cfg_why = cfg->why;
	skel->rodata->cfg_compat = kf->compat;
	skel->rodata->cfg_oom_task = kf->oom_task;
	skel->rodata->cfg_wake_bytes = cfg->buffer_size / 2;
	skel->bss->reader_waiting = 1;
	skel->maps.events.max_entries = cfg->buffer_size;
	if (!kf->compat) /* only the pre-6.16 hook de-duplicates */
		skel->maps.reported.max_entries = 1;
	if (!cfg->why)
		skel->maps.causes.max_entries = 1;
	if (!cfg->why || !kf->oom_task)
		skel->maps.ooms.max_entries = 1;
}

static bool skip_line(const char *p)
{
	return *p == '\n' || !strncmp(p, "processed ", 10) || !strncmp(p, "verification time", 17) ||
	       !strncmp(p, "stack depth", 11) || !strncmp(p, "mark_precise", 12);
}

/* The verifier's verdict: the last line of its log before the statistics. */
static void verdict(const char *log, char *out, size_t size)
{
	const char *p, *line = NULL, *nl;

	for (p = log; *p; p = nl + 1) {
		if (!skip_line(p))
			line = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
	}
	if (!line)
		return;
	snprintf(out, size, "%.*s", (int)strcspn(line, "\n"), line);
}

/* Loads again with the verifier's log on, for the reason of a failure. */
static void explain_failure(const struct tracer_config *cfg, const struct kernel_features *kf,
			    struct tracer_error *terr)
{
	struct exitsnoop_bpf *skel = exitsnoop_bpf__open();
	char *log = calloc(1, VERIFIER_LOG_SIZE);

	if (skel && log) {
		configure(skel, cfg, kf);
		skel->ctx.log_level = 1;
		skel->ctx.log_size = VERIFIER_LOG_SIZE;
		skel->ctx.log_buf = (__u64)(unsigned long)log;
		if (exitsnoop_bpf__load(skel)) {
			log_debug("verifier log:\n%s", log);
			verdict(log, terr->reason, sizeof(terr->reason));
		}
	}
	if (!terr->reason[0] && terr->err == -EINVAL)
		snprintf(terr->reason, sizeof(terr->reason),
			 "the kernel refused the loader: Linux 5.17 or later is needed");
	exitsnoop_bpf__destroy(skel);
	free(log);
}

static int fail(struct tracer_error *terr, enum tracer_stage stage, int err)
{
	terr->stage = stage;
	terr->err = err < 0 ? err : -EINVAL;
	return terr->err;
}

static int set_cgroup_filter(struct exitsnoop_bpf *skel, int cgroup_fd)
{
	__u32 key = 0;

	if (cgroup_fd < 0)
		return 0;
	if (skel_map_update_elem(skel->maps.cgroup_filter.map_fd, &key, &cgroup_fd, BPF_ANY))
		return -errno;
	return 0;
}

/* The exit hook always; the cause-of-death hooks only when asked for. */
static int attach(struct exitsnoop_bpf *skel, const struct tracer_config *cfg,
		  const struct kernel_features *kf)
{
	if (exitsnoop_bpf__handle_exit__attach(skel) < 0)
		return -errno;
	if (!cfg->why)
		return 0;
	if (exitsnoop_bpf__handle_signal_generate__attach(skel) < 0)
		return -errno;
	if (kf->oom_task && exitsnoop_bpf__handle_mark_victim__attach(skel) < 0)
		return -errno;
	return 0;
}

static int load(struct tracer *t, const struct tracer_config *cfg,
		const struct kernel_features *kf, struct tracer_error *terr)
{
	int err;

	t->skel = exitsnoop_bpf__open();
	if (!t->skel)
		return fail(terr, TRACER_OPEN, -ENOMEM);
	configure(t->skel, cfg, kf);
	err = exitsnoop_bpf__load(t->skel);
	if (err) {
		fail(terr, TRACER_LOAD, err);
		explain_failure(cfg, kf, terr);
		return terr->err;
	}
	return 0;
}

int tracer__open(struct tracer **out, const struct tracer_config *cfg, tracer_event_fn fn,
		 void *ctx, struct tracer_error *terr)
{
	struct kernel_features kf;
	struct tracer *t;
	int err;

	memset(terr, 0, sizeof(*terr));
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(terr, TRACER_OPEN, -ENOMEM);
	t->fn = fn;
	t->ctx = ctx;
	err = probe_kernel(&kf, cfg, terr);
	if (err) {
		fail(terr, TRACER_LOAD, err);
		goto err_free;
	}
	err = load(t, cfg, &kf, terr);
	if (err)
		goto err_free;
	err = set_cgroup_filter(t->skel, cfg->cgroup_fd);
	if (!err)
		err = attach(t->skel, cfg, &kf);
	if (err) {
		fail(terr, TRACER_ATTACH, err);
		goto err_free;
	}
	err = ringbuf_open(&t->rb, t->skel->maps.events.map_fd, cfg->buffer_size);
	if (err) {
		fail(terr, TRACER_RINGBUF, err);
		goto err_free;
	}
	*out = t;
	return 0;
err_free:
	tracer__free(t);
	return err;
}

/* The ring buffer map's fd polls readable when records wait. */
int tracer__epoll_fd(const struct tracer *t)
{
	return t->skel->maps.events.map_fd;
}

int tracer__consume(struct tracer *t, int budget)
{
	return ringbuf_walk(&t->rb.view, t->fn, t->ctx, budget);
}

uint64_t tracer__lost(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->stats.lost, __ATOMIC_RELAXED);
}

void tracer__set_waiting(struct tracer *t, bool waiting)
{
	__atomic_store_n(&t->skel->bss->reader_waiting, waiting, __ATOMIC_SEQ_CST);
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	ringbuf_close(&t->rb);
	exitsnoop_bpf__destroy(t->skel);
	free(t);
}
