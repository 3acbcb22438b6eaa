// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON Lines: one object per event, every key always present (null when
 * absent), snake_case, numbers as numbers. Addresses are hex strings: a
 * 64-bit address does not survive a JSON parser's doubles.
 */
#include <inttypes.h>
#include <string.h>
#include "escape.h"
#include "output.h"
#include "signame.h"
#include "timefmt.h"

static void json_str(FILE *f, const char *key, const char *val)
{
	fprintf(f, "\"%s\":", key);
	if (val)
		json_write_string(f, val, strlen(val));
	else
		fputs("null", f);
}

static void json_sender(FILE *f, const struct exit_cause_info *c)
{
	if (!c->has_sender) {
		fputs("\"sender\":null", f);
		return;
	}
	fprintf(f, "\"sender\":{\"pid\":%" PRIu32 ",", c->sender_pid);
	json_str(f, "comm", c->sender_comm);
	fprintf(f, ",\"uid\":%" PRIu32 "}", c->sender_uid);
}

static void json_oom(struct output *out, const struct exit_cause_info *c)
{
	FILE *f = out->f;

	if (c->kind != CAUSE_OOM) {
		fputs("\"oom\":null", f);
		return;
	}
	fprintf(f, "\"oom\":{\"scope\":\"%s\",", c->oom_memcg ? "memcg" : "global");
	json_str(f, "memcg_path", c->oom_memcg ? output_memcg_path(out, c->oom_memcg_id) : NULL);
	if (c->oom_memcg)
		fprintf(f, ",\"memcg_id\":%" PRIu64, c->oom_memcg_id);
	else
		fputs(",\"memcg_id\":null", f);
	fprintf(f, ",\"rss_bytes\":%" PRIu64 "}", c->oom_rss_bytes);
}

static void json_cause(struct output *out, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;
	FILE *f = out->f;

	fprintf(f, "\"cause\":{\"kind\":\"%s\",", cause_kind_name(c->kind));
	json_sender(f, c);
	if (c->has_si_code) {
		fprintf(f, ",\"si_code\":%d,", c->si_code);
		json_str(f, "si_code_name", si_code_name(rec->signal, c->si_code));
	} else {
		fputs(",\"si_code\":null,\"si_code_name\":null", f);
	}
	if (c->has_addr)
		fprintf(f, ",\"addr\":\"0x%" PRIx64 "\",", c->addr);
	else
		fputs(",\"addr\":null,", f);
	json_oom(out, c);
	fputc('}', f);
}

static void json_header(struct output *out)
{
}

static void json_record(struct output *out, const struct exit_record *rec)
{
	char time[48], buf[SIGNAME_LEN];
	FILE *f = out->f;

	format_rfc3339(time, sizeof(time), rec->time_ns);
	fprintf(f, "{\"time\":\"%s\",", time);
	json_str(f, "label", out->cfg.label);
	fputc(',', f);
	json_str(f, "comm", rec->comm);
	fprintf(f,
		",\"pid\":%" PRIu32 ",\"ppid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"uid\":%" PRIu32
		",\"age_ns\":%" PRIu64 ",\"status\":%" PRIu32 ",",
		rec->pid, rec->ppid, rec->tid, rec->uid, rec->age_ns, rec->status);
	if (rec->signal)
		fprintf(f, "\"exit_code\":null,\"signal\":%d,\"signal_name\":\"%s\",", rec->signal,
			signal_abbrev(rec->signal, buf, sizeof(buf)));
	else
		fprintf(f, "\"exit_code\":%d,\"signal\":null,\"signal_name\":null,", rec->exit_code);
	fprintf(f, "\"core_dumped\":%s,\"per_thread\":%s,", rec->core_dumped ? "true" : "false",
		rec->thread ? "true" : "false");
	json_cause(out, rec);
	fputs("}\n", f);
}

const struct output_ops json_output_ops = {
	.header = json_header,
	.record = json_record,
};
