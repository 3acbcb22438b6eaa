// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON Lines: one object per event, every key always present (null when
 * absent), snake_case, numbers as numbers. Addresses are hex strings: a
 * 64-bit address does not survive a JSON parser's doubles.
 *
 * Lines are built by hand, in place, in a batch that is written once per
 * drain (or when full): no printf, no line buffer, no stdio buffer. The
 * batch always has room for a line's literals and numbers (LINE_FIXED);
 * each string makes room for its escaped worst case before it is
 * written, so the cursor is only checked at strings. json_escape() is
 * the escaping, the same as json_write_string()'s.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/batch.h"
#include "lib/escape.h"
#include "lib/fmt.h"
#include "output/json_usage.h"
#include "output/output.h"
#include "record/cgcache.h"
#include "record/crash.h"
#include "record/signame.h"
#include "lib/timefmt.h"

/* Lines per write, unless the session asks for more (a regular file). */
#define BATCH_SIZE (64 * 1024)
/* More than every literal and number of one line, strings aside. */
#define LINE_FIXED 2048

struct json_lines {
	struct batch b;
	struct rfc3339_cache time;
};

static int json_init(struct output *out)
{
	struct json_lines *j = malloc(sizeof(*j));

	if (!j)
		return -ENOMEM;
	if (batch_init(&j->b, out->f, out->cfg.batch_bytes ? out->cfg.batch_bytes : BATCH_SIZE)) {
		free(j);
		return -ENOMEM;
	}
	j->time = (struct rfc3339_cache)RFC3339_CACHE_INIT;
	out->priv = j;
	return 0;
}

static void json_fini(struct output *out)
{
	struct json_lines *j = out->priv;

	if (!j)
		return;
	batch_free(&j->b);
	free(j);
}

/* Room for n more bytes and the rest of the line's fixed part: the cursor. */
static char *room(struct json_lines *j, char *p, size_t n)
{
	j->b.p = p;
	return batch_room(&j->b, n + LINE_FIXED);
}

/* Whether n bytes of text, escaped, fit the batch with a line's fixed part. */
static bool fits(const struct json_lines *j, size_t n)
{
	return JSON_ESCAPED_LEN(n) + LINE_FIXED <= batch_size(&j->b) / 2;
}

/* A string of n bytes; one too long for the batch goes to the FILE directly. */
static char *put_strn(struct json_lines *j, char *p, const char *s, size_t n)
{
	if (!fits(j, n)) {
		j->b.p = p;
		batch_flush(&j->b);
		json_write_string(j->b.f, s, n);
		return j->b.p;
	}
	return json_escape(room(j, p, JSON_ESCAPED_LEN(n)), s, n);
}

/* A string, or null. */
static char *put_str(struct json_lines *j, char *p, const char *s)
{
	if (!s)
		return FMT_LIT(p, "null");
	return put_strn(j, p, s, strlen(s));
}

static char *put_bool(char *p, bool v)
{
	if (v)
		return FMT_LIT(p, "true");
	return FMT_LIT(p, "false");
}

static char *put_sender(struct json_lines *j, char *p, const struct exit_cause_info *c)
{
	if (!c->has_sender)
		return FMT_LIT(p, "\"sender\":null");
	FMT_LIT(p, "\"sender\":{\"pid\":");
	p = fmt_u64(p, c->sender_pid);
	FMT_LIT(p, ",\"comm\":");
	p = put_str(j, p, c->sender_comm);
	FMT_LIT(p, ",\"uid\":");
	p = fmt_u64(p, c->sender_uid);
	return FMT_LIT(p, "}");
}

static char *put_oom(struct json_lines *j, char *p, const struct exit_cause_info *c,
		     const char *memcg_path)
{
	if (c->kind != CAUSE_OOM)
		return FMT_LIT(p, "\"oom\":null");
	if (c->oom_memcg)
		FMT_LIT(p, "\"oom\":{\"scope\":\"memcg\",\"memcg_path\":");
	else
		FMT_LIT(p, "\"oom\":{\"scope\":\"global\",\"memcg_path\":");
	p = put_str(j, p, c->oom_memcg ? memcg_path : NULL);
	FMT_LIT(p, ",\"memcg_id\":");
	if (c->oom_memcg)
		p = fmt_u64(p, c->oom_memcg_id);
	else
		FMT_LIT(p, "null");
	FMT_LIT(p, ",\"rss_bytes\":");
	p = fmt_u64(p, c->oom_rss_bytes);
	return FMT_LIT(p, "}");
}

static char *put_si_code(struct json_lines *j, char *p, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;

	if (!c->has_si_code)
		return FMT_LIT(p, ",\"si_code\":null,\"si_code_name\":null");
	FMT_LIT(p, ",\"si_code\":");
	p = fmt_int(p, c->si_code);
	FMT_LIT(p, ",\"si_code_name\":");
	return put_str(j, p, si_code_name(rec->signal, c->si_code));
}

/* Where it crashed: a mapping, {"path", "offset", "build_id"} and the address's "kind", or null. */
static char *put_map(struct json_lines *j, char *p, const struct crash_map *m)
{
	if (!m->present)
		return FMT_LIT(p, "null");
	FMT_LIT(p, "{\"path\":");
	p = put_str(j, p, m->path);
	FMT_LIT(p, ",\"offset\":");
	if (m->has_offset)
		p = fmt_u64(p, m->offset);
	else
		FMT_LIT(p, "null");
	FMT_LIT(p, ",\"build_id\":");
	p = put_str(j, p, m->build_id);
	if (m->kind) {
		FMT_LIT(p, ",\"kind\":");
		p = put_str(j, p, m->kind);
	}
	return FMT_LIT(p, "}");
}

/* "ip", "ip_map" and "addr_map", each null where there was no fault or it is not known. */
static char *put_crash(struct json_lines *j, char *p, const struct exit_record *rec)
{
	const struct exit_crash *c = &rec->crash;
	struct crash_map m;

	if (!rec->cause.has_crash || !(c->flags & CRASH_F_IP))
		return FMT_LIT(p, "\"ip\":null,\"ip_map\":null,\"addr_map\":null,");
	FMT_LIT(p, "\"ip\":\"");
	p = fmt_hex(p, c->ip);
	FMT_LIT(p, "\",\"ip_map\":");
	crash_ip_map(c, &m);
	p = put_map(j, p, &m);
	FMT_LIT(p, ",\"addr_map\":");
	crash_addr_map(c, rec->cause.addr, &m);
	p = put_map(j, p, &m);
	return FMT_LIT(p, ",");
}

static char *put_cause(struct json_lines *j, char *p, struct output *out,
		       const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;

	/* an exit: nothing but literals */
	if (c->kind == CAUSE_EXIT && !c->has_sender && !c->has_si_code && !c->has_addr)
		return FMT_LIT(p, "\"cause\":{\"kind\":\"exit\",\"sender\":null,\"si_code\":null,"
				  "\"si_code_name\":null,\"addr\":null,\"ip\":null,\"ip_map\":null,"
				  "\"addr_map\":null,\"oom\":null}");
	FMT_LIT(p, "\"cause\":{\"kind\":");
	p = put_str(j, p, cause_kind_name(c->kind));
	FMT_LIT(p, ",");
	p = put_sender(j, p, c);
	p = put_si_code(j, p, rec);
	if (c->has_addr) {
		FMT_LIT(p, ",\"addr\":\"");
		p = fmt_hex(p, c->addr);
		FMT_LIT(p, "\",");
	} else {
		FMT_LIT(p, ",\"addr\":null,");
	}
	p = put_crash(j, p, rec);
	p = put_oom(j, p, c, rec->oom_memcg_path);
	return FMT_LIT(p, "}");
}

static char *put_args(struct json_lines *j, char *p, const struct exit_story_info *st)
{
	const char *s = st->args, *end = st->args + st->args_len, *z;

	if (!st->has_args)
		return FMT_LIT(p, ",\"args\":null,\"args_truncated\":null");
	FMT_LIT(p, ",\"args\":[");
	while (s < end) {
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			z = end;
		if (s != st->args)
			*p++ = ',';
		p = put_strn(j, p, s, (size_t)(z - s));
		s = z + 1;
	}
	FMT_LIT(p, "],\"args_truncated\":");
	return put_bool(p, st->args_truncated);
}

/* ,"cgroup":...,"container_id":...,"pod_uid":... */
static char *put_cgroup_keys(struct json_lines *j, char *p, const struct cgroup_info *cg)
{
	FMT_LIT(p, ",\"cgroup\":");
	p = put_str(j, p, cg->path);
	FMT_LIT(p, ",\"container_id\":");
	p = put_str(j, p, cg->container_id);
	FMT_LIT(p, ",\"pod_uid\":");
	return put_str(j, p, cg->pod_uid);
}

static size_t len_or_0(const char *s)
{
	return s ? strlen(s) : 0;
}

/* The most the three keys take: their values escaped, and the literals. */
#define CGROUP_KEYS_MAX(n) (JSON_ESCAPED_LEN(n) + 128)

/*
 * The cgroup's keys, the same for every exit of the cgroup: rendered for
 * its first and kept with the cache's entry, copied for the others.
 */
static char *put_cgroup(struct json_lines *j, char *p, const struct cgroup_info *cg)
{
	struct cgroup_memo *m = cg->memo;
	char *start;
	size_t n;

	if (m && m->text)
		return fmt_copy(room(j, p, m->len), m->text, m->len);
	n = len_or_0(cg->path) + len_or_0(cg->container_id) + len_or_0(cg->pod_uid);
	if (!m || CGROUP_KEYS_MAX(n) + LINE_FIXED > batch_size(&j->b) / 2)
		return put_cgroup_keys(j, p, cg);
	/* room for all three first: no string then flushes, and the keys are one piece */
	start = p = room(j, p, CGROUP_KEYS_MAX(n));
	p = put_cgroup_keys(j, p, cg);
	cgroup_memo_keep(m, start, (size_t)(p - start));
	return p;
}

/* args, args_truncated, exe, gid, cgroup, container_id, pod_uid, ns_pid, rusage, io, delays */
static char *put_story(struct json_lines *j, char *p, struct output *out,
		       const struct exit_record *rec)
{
	const struct exit_story_info *st = &rec->story;

	p = put_args(j, p, st);
	FMT_LIT(p, ",\"exe\":");
	p = put_str(j, p, st->has_exe ? st->exe : NULL);
	if (!st->present)
		return FMT_LIT(p, ",\"gid\":null,\"cgroup\":null,\"container_id\":null,"
				  "\"pod_uid\":null,\"ns_pid\":null,\"rusage\":null,"
				  "\"io\":null,\"delays\":null");
	FMT_LIT(p, ",\"gid\":");
	p = fmt_u64(p, st->gid);
	p = put_cgroup(j, p, &rec->cgroup);
	FMT_LIT(p, ",\"ns_pid\":");
	if (st->ns_pid)
		p = fmt_u64(p, st->ns_pid);
	else
		FMT_LIT(p, "null");
	p = json_put_rusage(p, st, &rec->cost);
	p = json_put_io(p, &rec->cost);
	return json_put_delays(p, &rec->cost);
}

/*
 * Lineage: start_time, container_init, exe_deleted, exe_memfd, exe_dev,
 * exe_ino, ancestors.
 */
static char *put_ancestors(struct json_lines *j, char *p, const struct exit_story_info *st)
{
	const struct ancestor_info *a;
	unsigned int i;

	if (!st->has_ancestors)
		return FMT_LIT(p, ",\"ancestors\":null");
	FMT_LIT(p, ",\"ancestors\":[");
	for (i = 0; i < st->nanc; i++) {
		a = &st->anc[i];
		if (i)
			*p++ = ',';
		FMT_LIT(p, "{\"pid\":");
		p = fmt_u64(p, a->pid);
		FMT_LIT(p, ",\"comm\":");
		p = put_str(j, p, a->comm);
		FMT_LIT(p, ",\"exe\":");
		p = put_str(j, p, a->exe);
		*p++ = '}';
	}
	return FMT_LIT(p, "]");
}

static char *put_exe_id(struct json_lines *j, char *p, const struct exit_story_info *st)
{
	FMT_LIT(p, ",\"exe_deleted\":");
	if (st->exe_deleted == EXE_GONE_UNKNOWN)
		FMT_LIT(p, "null");
	else
		p = put_bool(p, st->exe_deleted == EXE_GONE_YES);
	FMT_LIT(p, ",\"exe_memfd\":");
	p = put_str(j, p, st->has_memfd ? st->exe : NULL);
	if (!st->has_exe_id)
		return FMT_LIT(p, ",\"exe_dev\":null,\"exe_ino\":null");
	/* the kernel's dev_t: 12 bits of major, 20 of minor */
	FMT_LIT(p, ",\"exe_dev\":\"");
	p = fmt_u64(p, st->exe_dev >> 20);
	*p++ = ':';
	p = fmt_u64(p, st->exe_dev & 0xfffff);
	FMT_LIT(p, "\",\"exe_ino\":");
	return fmt_u64(p, st->exe_ino);
}

static char *put_lineage(struct json_lines *j, char *p, const struct exit_record *rec)
{
	const struct exit_story_info *st = &rec->story;

	FMT_LIT(p, ",\"start_time\":");
	if (st->has_start_time)
		p = fmt_u64(p, st->start_time_ns);
	else
		FMT_LIT(p, "null");
	/* PID 1 of its own namespace, and not of the host's (whose init has PID 1 in both) */
	FMT_LIT(p, ",\"container_init\":");
	if (st->present && st->ns_pid)
		p = put_bool(p, st->ns_pid == 1 && rec->pid != 1);
	else
		FMT_LIT(p, "null");
	p = put_exe_id(j, p, st);
	return put_ancestors(j, p, st);
}

/* time, label, comm and the ids */
static char *put_head(struct json_lines *j, char *p, struct output *out,
		      const struct exit_record *rec)
{
	FMT_LIT(p, "{\"time\":\"");
	p = format_rfc3339_cached(&j->time, p, rec->time_ns);
	FMT_LIT(p, "\",\"label\":");
	p = put_str(j, p, out->cfg.label);
	FMT_LIT(p, ",\"comm\":");
	p = put_str(j, p, rec->comm);
	FMT_LIT(p, ",\"pid\":");
	p = fmt_u64(p, rec->pid);
	FMT_LIT(p, ",\"ppid\":");
	p = fmt_u64(p, rec->ppid);
	FMT_LIT(p, ",\"tid\":");
	p = fmt_u64(p, rec->tid);
	FMT_LIT(p, ",\"uid\":");
	p = fmt_u64(p, rec->uid);
	FMT_LIT(p, ",\"age_ns\":");
	p = fmt_u64(p, rec->age_ns);
	FMT_LIT(p, ",\"status\":");
	return fmt_u64(p, rec->status);
}

/* exit_code, signal, signal_name, core_dumped, per_thread */
static char *put_end(struct json_lines *j, char *p, const struct exit_record *rec)
{
	char sig[SIGNAME_LEN];

	if (rec->signal) {
		FMT_LIT(p, ",\"exit_code\":null,\"signal\":");
		p = fmt_int(p, rec->signal);
		FMT_LIT(p, ",\"signal_name\":");
		p = put_str(j, p, signal_abbrev(rec->signal, sig, sizeof(sig)));
	} else {
		FMT_LIT(p, ",\"exit_code\":");
		p = fmt_int(p, rec->exit_code);
		FMT_LIT(p, ",\"signal\":null,\"signal_name\":null");
	}
	FMT_LIT(p, ",\"core_dumped\":");
	p = put_bool(p, rec->core_dumped);
	FMT_LIT(p, ",\"per_thread\":");
	p = put_bool(p, rec->thread);
	return FMT_LIT(p, ",");
}

static void json_record(struct output *out, const struct exit_record *rec)
{
	struct json_lines *j = out->priv;
	char *p = batch_room(&j->b, LINE_FIXED);

	p = put_head(j, p, out, rec);
	p = put_end(j, p, rec);
	p = put_cause(j, p, out, rec);
	p = put_story(j, p, out, rec);
	p = put_lineage(j, p, rec);
	j->b.p = FMT_LIT(p, "}\n");
}

static void json_flush(struct output *out)
{
	struct json_lines *j = out->priv;

	batch_flush(&j->b);
}

const struct output_ops json_output_ops = {
	.init = json_init,
	.fini = json_fini,
	.record = json_record,
	.flush = json_flush,
};
