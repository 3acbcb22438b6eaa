// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON Lines: one object per event, every key always present (null when
 * absent), snake_case, numbers as numbers. Addresses are hex strings: a
 * 64-bit address does not survive a JSON parser's doubles.
 *
 * The line is built by hand in a buffer and written once, as the table's
 * is: a printf per key cost more than the rest of an event's handling.
 * Strings of plain ASCII are copied as they are; any other string is
 * written by json_write_string(), the one definition of JSON escaping.
 */
#include <inttypes.h>
#include <string.h>
#include "escape.h"
#include "output.h"
#include "signame.h"
#include "timefmt.h"

struct jbuf {
	FILE *f;
	char *p;
	char buf[8192];
};

#define JB_END(b) ((b)->buf + sizeof((b)->buf))

static void jb_flush(struct jbuf *b)
{
	fwrite(b->buf, 1, (size_t)(b->p - b->buf), b->f);
	b->p = b->buf;
}

/* Room for n bytes (n well under the buffer's size). */
static inline __attribute__((always_inline)) char *jb_room(struct jbuf *b, size_t n)
{
	if ((size_t)(JB_END(b) - b->p) < n)
		jb_flush(b);
	return b->p;
}

/* Inlined, so that a literal's copy is a few moves rather than a call. */
static inline __attribute__((always_inline)) void jb_put(struct jbuf *b, const char *s, size_t n)
{
	memcpy(jb_room(b, n), s, n);
	b->p += n;
}

#define JB_LIT(b, s) jb_put(b, s, sizeof(s) - 1)

static void jb_u64(struct jbuf *b, uint64_t v)
{
	char tmp[20], *p = jb_room(b, 21);
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	b->p = p;
}

static void jb_int(struct jbuf *b, int v)
{
	if (v < 0) {
		JB_LIT(b, "-");
		jb_u64(b, (uint64_t)-(int64_t)v);
	} else {
		jb_u64(b, (uint64_t)v);
	}
}

static void jb_bool(struct jbuf *b, bool v)
{
	if (v)
		JB_LIT(b, "true");
	else
		JB_LIT(b, "false");
}

static bool plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static void jb_strn(struct jbuf *b, const char *s, size_t n)
{
	char *p;

	if (n > sizeof(b->buf) / 2 || !plain(s, n)) {
		jb_flush(b);
		json_write_string(b->f, s, n);
		return;
	}
	p = jb_room(b, n + 2);
	*p++ = '"';
	memcpy(p, s, n);
	p[n] = '"';
	b->p = p + n + 1;
}

/* A string, or null. */
static void jb_str(struct jbuf *b, const char *s)
{
	if (s)
		jb_strn(b, s, strlen(s));
	else
		JB_LIT(b, "null");
}

static void json_sender(struct jbuf *b, const struct exit_cause_info *c)
{
	if (!c->has_sender) {
		JB_LIT(b, "\"sender\":null");
		return;
	}
	JB_LIT(b, "\"sender\":{\"pid\":");
	jb_u64(b, c->sender_pid);
	JB_LIT(b, ",\"comm\":");
	jb_str(b, c->sender_comm);
	JB_LIT(b, ",\"uid\":");
	jb_u64(b, c->sender_uid);
	JB_LIT(b, "}");
}

static void json_oom(struct output *out, struct jbuf *b, const struct exit_cause_info *c)
{
	if (c->kind != CAUSE_OOM) {
		JB_LIT(b, "\"oom\":null");
		return;
	}
	if (c->oom_memcg)
		JB_LIT(b, "\"oom\":{\"scope\":\"memcg\",\"memcg_path\":");
	else
		JB_LIT(b, "\"oom\":{\"scope\":\"global\",\"memcg_path\":");
	jb_str(b, c->oom_memcg ? output_memcg_path(out, c->oom_memcg_id) : NULL);
	JB_LIT(b, ",\"memcg_id\":");
	if (c->oom_memcg)
		jb_u64(b, c->oom_memcg_id);
	else
		JB_LIT(b, "null");
	JB_LIT(b, ",\"rss_bytes\":");
	jb_u64(b, c->oom_rss_bytes);
	JB_LIT(b, "}");
}

static void json_cause(struct output *out, struct jbuf *b, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;
	char addr[24];

	JB_LIT(b, "\"cause\":{\"kind\":");
	jb_str(b, cause_kind_name(c->kind));
	JB_LIT(b, ",");
	json_sender(b, c);
	if (c->has_si_code) {
		JB_LIT(b, ",\"si_code\":");
		jb_int(b, c->si_code);
		JB_LIT(b, ",\"si_code_name\":");
		jb_str(b, si_code_name(rec->signal, c->si_code));
	} else {
		JB_LIT(b, ",\"si_code\":null,\"si_code_name\":null");
	}
	if (c->has_addr) {
		snprintf(addr, sizeof(addr), "0x%" PRIx64, c->addr);
		JB_LIT(b, ",\"addr\":");
		jb_str(b, addr);
		JB_LIT(b, ",");
	} else {
		JB_LIT(b, ",\"addr\":null,");
	}
	json_oom(out, b, c);
	JB_LIT(b, "}");
}

static void json_args(struct jbuf *b, const struct exit_story_info *st)
{
	const char *s = st->args, *end = st->args + st->args_len, *z;

	if (!st->has_args) {
		JB_LIT(b, ",\"args\":null,\"args_truncated\":null");
		return;
	}
	JB_LIT(b, ",\"args\":[");
	while (s < end) {
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			z = end;
		if (s != st->args)
			JB_LIT(b, ",");
		jb_strn(b, s, (size_t)(z - s));
		s = z + 1;
	}
	JB_LIT(b, "],\"args_truncated\":");
	jb_bool(b, st->args_truncated);
}

static void json_rusage(struct jbuf *b, const struct exit_story_info *st)
{
	JB_LIT(b, ",\"rusage\":{\"utime_us\":");
	jb_u64(b, st->utime_us);
	JB_LIT(b, ",\"stime_us\":");
	jb_u64(b, st->stime_us);
	JB_LIT(b, ",\"maxrss_kb\":");
	jb_u64(b, st->maxrss_kb);
	JB_LIT(b, ",\"minflt\":");
	jb_u64(b, st->minflt);
	JB_LIT(b, ",\"majflt\":");
	jb_u64(b, st->majflt);
	JB_LIT(b, ",\"nvcsw\":");
	jb_u64(b, st->nvcsw);
	JB_LIT(b, ",\"nivcsw\":");
	jb_u64(b, st->nivcsw);
	JB_LIT(b, "}");
}

/* args, args_truncated, exe, gid, cgroup, container_id, pod_uid, ns_pid, rusage */
static void json_story(struct output *out, struct jbuf *b, const struct exit_record *rec)
{
	const struct exit_story_info *st = &rec->story;
	struct cgroup_info cg;

	json_args(b, st);
	JB_LIT(b, ",\"exe\":");
	jb_str(b, st->has_exe ? st->exe : NULL);
	if (!st->present) {
		JB_LIT(b, ",\"gid\":null,\"cgroup\":null,\"container_id\":null,\"pod_uid\":null,"
			  "\"ns_pid\":null,\"rusage\":null");
		return;
	}
	output_cgroup(out, rec, &cg);
	JB_LIT(b, ",\"gid\":");
	jb_u64(b, st->gid);
	JB_LIT(b, ",\"cgroup\":");
	jb_str(b, cg.path);
	JB_LIT(b, ",\"container_id\":");
	jb_str(b, cg.container_id);
	JB_LIT(b, ",\"pod_uid\":");
	jb_str(b, cg.pod_uid);
	JB_LIT(b, ",\"ns_pid\":");
	if (st->ns_pid)
		jb_u64(b, st->ns_pid);
	else
		JB_LIT(b, "null");
	json_rusage(b, st);
}

static void json_header(struct output *out)
{
}

static void json_record(struct output *out, const struct exit_record *rec)
{
	char time[48], sig[SIGNAME_LEN];
	struct jbuf b; /* not zeroed: only what is written is read */

	b.f = out->f;
	b.p = b.buf;
	format_rfc3339(time, sizeof(time), rec->time_ns);
	JB_LIT(&b, "{\"time\":");
	jb_str(&b, time);
	JB_LIT(&b, ",\"label\":");
	jb_str(&b, out->cfg.label);
	JB_LIT(&b, ",\"comm\":");
	jb_str(&b, rec->comm);
	JB_LIT(&b, ",\"pid\":");
	jb_u64(&b, rec->pid);
	JB_LIT(&b, ",\"ppid\":");
	jb_u64(&b, rec->ppid);
	JB_LIT(&b, ",\"tid\":");
	jb_u64(&b, rec->tid);
	JB_LIT(&b, ",\"uid\":");
	jb_u64(&b, rec->uid);
	JB_LIT(&b, ",\"age_ns\":");
	jb_u64(&b, rec->age_ns);
	JB_LIT(&b, ",\"status\":");
	jb_u64(&b, rec->status);
	if (rec->signal) {
		JB_LIT(&b, ",\"exit_code\":null,\"signal\":");
		jb_int(&b, rec->signal);
		JB_LIT(&b, ",\"signal_name\":");
		jb_str(&b, signal_abbrev(rec->signal, sig, sizeof(sig)));
	} else {
		JB_LIT(&b, ",\"exit_code\":");
		jb_int(&b, rec->exit_code);
		JB_LIT(&b, ",\"signal\":null,\"signal_name\":null");
	}
	JB_LIT(&b, ",\"core_dumped\":");
	jb_bool(&b, rec->core_dumped);
	JB_LIT(&b, ",\"per_thread\":");
	jb_bool(&b, rec->thread);
	JB_LIT(&b, ",");
	json_cause(out, &b, rec);
	json_story(out, &b, rec);
	JB_LIT(&b, "}\n");
	jb_flush(&b);
}

const struct output_ops json_output_ops = {
	.header = json_header,
	.record = json_record,
};
