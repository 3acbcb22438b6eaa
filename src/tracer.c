// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "exitsnoop.h"
#include "exitsnoop.skel.h"
#include "btf_probe.h"
#include "log.h"
#include "tracer.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct tracer {
	struct exitsnoop_bpf *skel;
	struct ring_buffer *rb;
	bool compat;
};

static char last_warning[512];

/* Keeps the line that says why a load failed: the verifier's verdict if any. */
static void remember_warning(const char *msg)
{
	const char *end = strstr(msg, "-- END PROG LOAD LOG --");
	const char *p, *line = NULL;

	if (!end) {
		snprintf(last_warning, sizeof(last_warning), "%.*s", (int)sizeof(last_warning) - 1, msg);
		goto trim;
	}
	/* the last line of the verifier log before its statistics */
	for (p = msg; p < end; p = strchr(p, '\n') + 1) {
		if (strncmp(p, "processed ", 10) && strncmp(p, "-- BEGIN", 8) && *p != '\n' &&
		    strncmp(p, "verification time", 17))
			line = p;
		if (!strchr(p, '\n'))
			break;
	}
	if (line)
		snprintf(last_warning, sizeof(last_warning), "%.*s",
			 (int)(strchr(line, '\n') - line), line);
trim:
	last_warning[strcspn(last_warning, "\n")] = '\0';
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[8192];
	va_list cp;

	if (log_verbose()) {
		va_copy(cp, ap);
		log_vprint(fmt, cp);
		va_end(cp);
	}
	if (level == LIBBPF_WARN) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		remember_warning(strncmp(msg, "libbpf: ", 8) ? msg : msg + 8);
	}
	return 0;
}

void tracer__setup_logging(void)
{
	libbpf_set_print(libbpf_print);
}

/* Which exit hook, and whether mark_victim hands us the task (v6.7+). */
static void probe_kernel(struct tracer *t, const struct tracer_config *cfg)
{
	struct tp_proto tps[] = { { .name = "sched_process_exit" },
				  { .name = "mark_victim", .nargs = -1 } };
	bool oom;
	int err;

	err = btf_probe_tracepoints(VMLINUX_BTF, tps, cfg->why ? 2 : 1);
	if (err)
		log_debug("cannot read %s: %s", VMLINUX_BTF, strerror(-err));
	t->compat = cfg->force_compat || tps[0].nargs < 2;
	oom = tps[1].nargs >= 1 && tps[1].arg_is_ptr[0];
	bpf_program__set_autoload(t->skel->progs.handle_mark_victim, cfg->why && oom);
	if (cfg->why && !oom)
		log_debug("mark_victim does not pass the task: OOM kills show as kernel SIGKILL");
}

static void configure(struct tracer *t, const struct tracer_config *cfg)
{
	struct exitsnoop_bpf *skel = t->skel;

	skel->rodata->targ_tgid = cfg->pid;
	skel->rodata->cfg_failed_only = cfg->failed_only;
	skel->rodata->cfg_per_thread = cfg->per_thread;
	skel->rodata->cfg_cgroup = cfg->cgroup_fd >= 0;
	skel->rodata->cfg_why = cfg->why;
	skel->rodata->cfg_wake_bytes = cfg->buffer_size / 2;
	skel->bss->reader_waiting = 1;
	bpf_map__set_max_entries(skel->maps.events, cfg->buffer_size);
	bpf_program__set_autoload(skel->progs.handle_exit, !t->compat);
	bpf_program__set_autoload(skel->progs.handle_exit_compat, t->compat);
	bpf_program__set_autoload(skel->progs.handle_signal_generate, cfg->why);
	if (!t->compat) /* only the pre-6.16 hook de-duplicates */
		bpf_map__set_max_entries(skel->maps.reported, 1);
	if (!cfg->why) {
		bpf_map__set_max_entries(skel->maps.causes, 1);
		bpf_map__set_max_entries(skel->maps.ooms, 1);
	}
	log_debug("exit hook: %s", t->compat ? "pre-6.16 (signal->live)" : "group_dead");
}

static int fail(struct tracer_error *terr, enum tracer_stage stage, int err)
{
	terr->stage = stage;
	terr->err = err < 0 ? err : -EINVAL;
	snprintf(terr->reason, sizeof(terr->reason), "%s", last_warning);
	return terr->err;
}

static int set_cgroup_filter(struct tracer *t, int cgroup_fd)
{
	__u32 key = 0;

	if (cgroup_fd < 0)
		return 0;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.cgroup_filter), &key, &cgroup_fd,
				BPF_ANY))
		return -errno;
	return 0;
}

int tracer__open(struct tracer **out, const struct tracer_config *cfg, tracer_event_fn fn,
		 void *ctx, struct tracer_error *terr)
{
	struct tracer *t;
	int err;

	memset(terr, 0, sizeof(*terr));
	last_warning[0] = '\0';
	if (access(VMLINUX_BTF, R_OK)) {
		snprintf(last_warning, sizeof(last_warning),
			 "kernel BTF (%s) not available: a kernel with CONFIG_DEBUG_INFO_BTF=y is needed",
			 VMLINUX_BTF);
		return fail(terr, TRACER_LOAD, -ENOENT);
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(terr, TRACER_OPEN, -ENOMEM);
	t->skel = exitsnoop_bpf__open();
	if (!t->skel) {
		err = fail(terr, TRACER_OPEN, -errno);
		goto err_free;
	}
	probe_kernel(t, cfg);
	configure(t, cfg);
	err = exitsnoop_bpf__load(t->skel);
	if (err) {
		fail(terr, TRACER_LOAD, err);
		goto err_free;
	}
	err = set_cgroup_filter(t, cfg->cgroup_fd);
	if (!err)
		err = exitsnoop_bpf__attach(t->skel);
	if (err) {
		fail(terr, TRACER_ATTACH, err);
		goto err_free;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), fn, ctx, NULL);
	if (!t->rb) {
		err = fail(terr, TRACER_RINGBUF, -errno);
		goto err_free;
	}
	*out = t;
	return 0;
err_free:
	tracer__free(t);
	return err;
}

int tracer__epoll_fd(const struct tracer *t)
{
	return ring_buffer__epoll_fd(t->rb);
}

int tracer__consume(struct tracer *t)
{
	return ring_buffer__consume(t->rb);
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
	ring_buffer__free(t->rb);
	exitsnoop_bpf__destroy(t->skel);
	free(t);
}
