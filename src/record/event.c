// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "record/event.h"

_Static_assert(sizeof(struct exit_event) == 112, "exit_event ABI changed");
_Static_assert(EXIT_EVENT_BASE_SIZE == 56, "exit_event base ABI changed");
_Static_assert(sizeof(struct exit_story) == 88, "exit_story ABI changed");
_Static_assert(EXIT_STORY_HEAD_SIZE == 368, "exit_story_event ABI changed");
_Static_assert(sizeof(struct exit_lineage) == 24, "exit_lineage ABI changed");
_Static_assert(sizeof(struct exit_ancestor) == 32, "exit_ancestor ABI changed");
_Static_assert(sizeof(struct exit_cost) == 144, "exit_cost ABI changed");


void decode_status(uint32_t status, int *exit_code, int *signal, bool *core_dumped)
{
	int st = (int)status;

	*core_dumped = false;
	if (WIFSIGNALED(st)) {
		*exit_code = -1;
		*signal = WTERMSIG(st);
		*core_dumped = WCOREDUMP(st);
		return;
	}
	*exit_code = WEXITSTATUS(st);
	*signal = 0;
}

const char *cause_kind_name(enum cause_kind kind)
{
	switch (kind) {
	case CAUSE_EXIT:
		return "exit";
	case CAUSE_PROCESS:
		return "process";
	case CAUSE_SELF:
		return "self";
	case CAUSE_KERNEL:
		return "kernel";
	case CAUSE_OOM:
		return "oom";
	default:
		return "unknown";
	}
}

uint64_t page_bytes(void)
{
	static uint64_t page;
	long n;

	if (!page) {
		n = sysconf(_SC_PAGESIZE);
		page = n > 0 ? (uint64_t)n : 4096;
	}
	return page;
}

static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, TASK_COMM_LEN);
	dst[TASK_COMM_LEN - 1] = '\0';
}

static enum cause_kind classify(const struct exit_event *e)
{
	const struct exit_cause *c = &e->cause;

	if (e->flags & EXIT_F_OOM)
		return CAUSE_OOM;
	/* kernel-internal senders: no siginfo, SI_KERNEL, or a fault code */
	if ((e->flags & EXIT_F_SIGINFO_NONE) || c->si_code > 0)
		return CAUSE_KERNEL;
	return c->sender_pid == e->pid ? CAUSE_SELF : CAUSE_PROCESS;
}

static void decode_cause(const struct exit_event *e, struct exit_record *rec)
{
	const struct exit_cause *c = &e->cause;
	struct exit_cause_info *ci = &rec->cause;

	ci->kind = classify(e);
	if (e->flags & EXIT_F_OOM) {
		ci->oom_memcg = e->flags & EXIT_F_OOM_MEMCG;
		ci->oom_memcg_id = c->oom_memcg_id;
		ci->oom_rss_bytes = c->oom_rss_pages * page_bytes();
	}
	if (!(e->flags & EXIT_F_CAUSE))
		return;
	ci->sender_pid = c->sender_pid;
	ci->sender_uid = c->sender_uid;
	copy_comm(ci->sender_comm, c->sender_comm);
	/*
	 * A kernel signal's sender is only interesting if it is someone else;
	 * the OOM killer's SIGKILL names no sender (the cause is the OOM).
	 */
	ci->has_sender = ci->kind == CAUSE_PROCESS || ci->kind == CAUSE_SELF ||
			 (ci->kind == CAUSE_KERNEL && c->sender_pid && c->sender_pid != e->pid);
	ci->has_si_code = !(e->flags & EXIT_F_SIGINFO_NONE);
	ci->si_code = c->si_code;
	ci->has_addr = ci->has_si_code && c->si_code > 0 && c->si_code != SI_KERNEL;
	ci->addr = c->addr;
}

/*
 * cputime_adjust(): the tick-sampled utime:stime ratio applied to the
 * precise runtime, so that user + system is the CPU time really used.
 */
void split_cputime(uint64_t utime, uint64_t stime, uint64_t runtime, uint64_t *user,
		   uint64_t *sys)
{
	uint64_t total = utime + stime;

	*user = utime;
	*sys = stime;
	if (!runtime)
		return; /* no precise figure: the samples as they are */
	if (!stime) {
		*user = runtime;
		*sys = 0;
	} else if (!utime) {
		*user = 0;
		*sys = runtime;
	} else {
		*sys = (uint64_t)((unsigned __int128)runtime * stime / total);
		*user = runtime - *sys;
	}
}

bool exe_valid(const char *tail, size_t len)
{
	/* absolute, one NUL and only at the end, no empty name */
	return len >= 2 && tail[0] == '/' && tail[len - 1] == '\0' && strlen(tail) == len - 1 &&
	       !strstr(tail, "//") && tail[len - 2] != '/';
}

bool exe_from_tail(const char *tail, size_t len, char *out, size_t outlen)
{
	if (len > outlen || !exe_valid(tail, len))
		return false;
	memcpy(out, tail, len);
	return true;
}

/* A memfd's name from the record's tail: "memfd:..." and its NUL, nothing else. */
static bool memfd_from_tail(const char *tail, size_t len, char *out, size_t outlen)
{
	if (len < 7 || len > outlen || tail[len - 1] != '\0' || strlen(tail) != len - 1 ||
	    memcmp(tail, "memfd:", 6))
		return false;
	memcpy(out, tail, len);
	return true;
}

/* The ancestors in the tail after the argv and exe: entries checked one by one. */
static void decode_ancestors(const struct exit_lineage *l, const char *p, size_t len,
			     struct exit_story_info *st)
{
	struct exit_ancestor a;
	struct ancestor_info *ai;
	size_t step;
	unsigned int i;

	st->has_ancestors = true;
	for (i = 0; i < l->anc_count && i < ANC_DEPTH && len >= sizeof(a); i++) {
		memcpy(&a, p, sizeof(a));
		step = ANC_STEP(a.exe_len);
		if (a.exe_len > EXE_MAX || step > len)
			break;
		ai = &st->anc[st->nanc++];
		ai->pid = a.pid;
		ai->start_ns = a.start_ns;
		ai->exec_seen = a.flags & ANC_F_ENTRY;
		copy_comm(ai->comm, a.comm);
		ai->exe = NULL;
		/* the path is checked where it lies: absolute, one NUL at its end */
		if ((a.flags & ANC_F_EXE) &&
		    exe_valid(p + sizeof(a), a.exe_len))
			ai->exe = p + sizeof(a);
		p += step;
		len -= step;
	}
}

/* Lineage: start time, the exec's file, the ancestors after args and exe. */
static void decode_lineage(const struct exit_story_event *r, size_t tail_len,
			   struct exit_story_info *st)
{
	const struct exit_lineage *l = &r->l;
	size_t at = (size_t)r->s.args_len + r->s.exe_len;

	if (l->flags & LIN_F_BOOTTIME) {
		st->has_start_time = true;
		st->start_time_ns = l->start_boottime_ns;
	}
	if (r->s.flags & STORY_F_EXE_ID) {
		st->has_exe_id = true;
		st->exe_dev = l->exe_dev;
		st->exe_ino = l->exe_ino;
		if (l->flags & LIN_F_EXE_LIVE)
			st->exe_deleted = l->flags & LIN_F_EXE_GONE ? EXE_GONE_YES : EXE_GONE_NO;
		else if (r->s.flags & STORY_F_EXE_GONE)
			st->exe_deleted = EXE_GONE_YES;
	}
	if (!(l->flags & LIN_F_ANCESTORS) || at + l->anc_len > tail_len)
		return;
	decode_ancestors(l, r->tail + at, l->anc_len, st);
}

/* The cost group, where the tracer asked for it (-j). */
static void decode_cost(const struct exit_cost *c, struct exit_cost_info *ci)
{
	if (!(c->flags & COST_F_FILLED))
		return;
	ci->present = true;
	ci->has_xacct = c->flags & COST_F_XACCT;
	ci->has_io = c->flags & COST_F_IO;
	ci->has_run_delay = c->flags & COST_F_RUN_DELAY;
	ci->has_delays = c->flags & COST_F_DELAYS;
	ci->has_compact = ci->has_delays && (c->flags & COST_F_COMPACT);
	ci->has_wpcopy = ci->has_delays && (c->flags & COST_F_WPCOPY);
	ci->has_irq = ci->has_delays && (c->flags & COST_F_IRQ);
	ci->inblock = c->inblock;
	ci->oublock = c->oublock;
	ci->rchar = c->rchar;
	ci->wchar = c->wchar;
	ci->syscr = c->syscr;
	ci->syscw = c->syscw;
	ci->read_bytes = c->read_bytes;
	ci->write_bytes = c->write_bytes;
	ci->cancelled_write_bytes = c->cancelled_write_bytes;
	ci->run_delay_ns = c->run_delay_ns;
	ci->blkio_delay_ns = c->blkio_delay_ns;
	ci->swapin_delay_ns = c->swapin_delay_ns;
	ci->freepages_delay_ns = c->freepages_delay_ns;
	ci->thrashing_delay_ns = c->thrashing_delay_ns;
	ci->compact_delay_ns = c->compact_delay_ns;
	ci->wpcopy_delay_ns = c->wpcopy_delay_ns;
	ci->irq_delay_ns = c->irq_delay_ns;
}

static void decode_story(const struct exit_story_event *r, size_t size, struct exit_record *rec)
{
	const struct exit_story *s = &r->s;
	struct exit_story_info *st = &rec->story;
	uint64_t user, sys;

	st->present = true;
	st->gid = s->gid;
	st->ns_pid = s->ns_pid;
	st->cgroup_id = s->cgroup_id;
	split_cputime(s->utime_ns, s->stime_ns, s->runtime_ns, &user, &sys);
	st->utime_us = user / 1000;
	st->stime_us = sys / 1000;
	st->maxrss_kb = s->maxrss_pages * page_bytes() / 1024;
	st->minflt = s->minflt;
	st->majflt = s->majflt;
	st->nvcsw = s->nvcsw;
	st->nivcsw = s->nivcsw;
	decode_cost(&r->c, &rec->cost);
	if ((size_t)s->args_len + s->exe_len > size - EXIT_STORY_HEAD_SIZE ||
	    s->args_len > ARGS_MAX || s->exe_len > EXE_MAX)
		return;
	if (s->flags & STORY_F_ARGS) {
		st->has_args = true;
		st->args_truncated = s->flags & STORY_F_ARGS_TRUNC;
		st->args = r->tail;
		st->args_len = s->args_len;
	}
	if (s->flags & STORY_F_EXE)
		st->has_exe = exe_from_tail(r->tail + s->args_len, s->exe_len, st->exe,
					    sizeof(st->exe));
	else if (s->flags & STORY_F_MEMFD)
		st->has_memfd = memfd_from_tail(r->tail + s->args_len, s->exe_len, st->exe,
						sizeof(st->exe));
	st->exec_seen = s->flags & STORY_F_ENTRY;
	decode_lineage(r, size - EXIT_STORY_HEAD_SIZE, st);
}

/*
 * Where it crashed: the struct exit_crash after the cause, or after the
 * story's tail, copied (a tail leaves it unaligned). The perf buffer pads
 * records: its place is found from what precedes it, never from the end.
 * Returns the size up to it.
 */
static size_t decode_crash(const void *data, size_t size, struct exit_record *rec)
{
	const struct exit_story_event *r = data;
	size_t at = EXIT_EVENT_FULL_SIZE;

	if (r->e.flags & EXIT_F_STORY) {
		if (size < EXIT_STORY_HEAD_SIZE)
			return size;
		at = EXIT_STORY_HEAD_SIZE + (size_t)r->s.args_len + r->s.exe_len + r->l.anc_len;
	}
	if (size < at + sizeof(rec->crash))
		return size;
	memcpy(&rec->crash, (const char *)data + at, sizeof(rec->crash));
	rec->cause.has_crash = true;
	return at;
}

int decode_exit_event(const void *data, size_t size, int64_t mono_to_real,
		      struct exit_record *rec)
{
	const struct exit_event *e = data;

	if (size < EXIT_EVENT_BASE_SIZE)
		return -EINVAL;
	/* the exe's 258 bytes are not cleared: it is read only with has_exe */
	memset(rec, 0, offsetof(struct exit_record, story.exe));
	rec->story.exe[0] = '\0';
	rec->time_ns = (uint64_t)((int64_t)e->ts_ns + mono_to_real);
	rec->age_ns = e->ts_ns > e->start_ns ? e->ts_ns - e->start_ns : 0;
	rec->start_ns = e->start_ns;
	rec->pid = e->pid;
	rec->tid = e->tid;
	rec->ppid = e->ppid;
	rec->uid = e->uid;
	rec->status = e->status;
	rec->thread = e->flags & EXIT_F_THREAD;
	copy_comm(rec->comm, e->comm);
	decode_status(e->status, &rec->exit_code, &rec->signal, &rec->core_dumped);
	if (e->flags & EXIT_F_CRASH)
		size = decode_crash(data, size, rec);
	if ((e->flags & EXIT_F_STORY) && size >= EXIT_STORY_HEAD_SIZE)
		decode_story(data, size, rec);
	if (!rec->signal) {
		rec->cause.kind = CAUSE_EXIT;
		return 0;
	}
	rec->cause.kind = CAUSE_UNKNOWN;
	if (size >= EXIT_EVENT_FULL_SIZE && (e->flags & (EXIT_F_CAUSE | EXIT_F_OOM)))
		decode_cause(e, rec);
	else if (e->flags & EXIT_F_OOM)
		rec->cause.kind = CAUSE_OOM; /* --summary: the flag without the details */
	return 0;
}
