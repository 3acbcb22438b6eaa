// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The seed's table: bcc's columns and widths, byte for byte. Where bcc
 * glued a long label to the next column, a space is kept.
 */
#include <inttypes.h>
#include <string.h>
#include "lib/escape.h"
#include "lib/fmt.h"
#include "output/output.h"
#include "record/signame.h"
#include "lib/timefmt.h"

#define TIME_WIDTH 12	/* "HH:MM:SS.mmm", bcc's %-13s */
#define LABEL_WIDTH 5	/* bcc's %-6s */
#define CONTAINER_WIDTH 12	/* docker ps's short ID */

static void print_prefix_columns(struct output *out, const char *time, const char *label)
{
	char esc[ESCAPED_LEN(64)];

	if (out->cfg.timestamp)
		fprintf(out->f, "%-*s ", TIME_WIDTH, time);
	if (out->cfg.label) {
		escape_text(esc, sizeof(esc), label, strlen(label));
		fprintf(out->f, "%-*s ", LABEL_WIDTH, esc);
	}
}

static void table_header(struct output *out)
{
	char time[32], esc[ESCAPED_LEN(32)];

	time_header(time, sizeof(time), out->cfg.utc);
	escape_text(esc, sizeof(esc), time, strlen(time)); /* the zone's name is TZ's */
	print_prefix_columns(out, esc, "LABEL");
	fprintf(out->f, "%-16s %-7s %-7s %-7s %-7s ", "PCOMM", "PID", "PPID", "TID", "AGE(s)");
	if (out->cfg.rusage)
		fprintf(out->f, "%-7s %-10s ", "CPU(s)", "MAXRSS(KB)");
	if (out->cfg.container)
		fprintf(out->f, "%-*s ", CONTAINER_WIDTH, "CONTAINER");
	fprintf(out->f, "%-10s", "EXIT_CODE");
	if (out->cfg.ancestors)
		fputs(" ANCESTORS", out->f);
	fputs(out->cfg.args ? " ARGS\n" : "\n", out->f);
}

static void print_sender(FILE *f, const struct exit_cause_info *c)
{
	char comm[ESCAPED_LEN(TASK_COMM_LEN)];

	escape_text(comm, sizeof(comm), c->sender_comm, strlen(c->sender_comm));
	fprintf(f, "%s[%" PRIu32 "]", comm, c->sender_pid);
}

/* Binary units, rounded to the nearest: "512 MiB", "300 KiB". */
void format_bytes(char *buf, size_t len, uint64_t bytes)
{
	const uint64_t mib = 1 << 20, kib = 1 << 10;

	if (bytes >= mib)
		snprintf(buf, len, "%" PRIu64 " MiB", (bytes + mib / 2) / mib);
	else
		snprintf(buf, len, "%" PRIu64 " KiB", (bytes + kib / 2) / kib);
}

static void print_oom(struct output *out, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;
	const char *path = rec->oom_memcg_path;
	static char esc[ESCAPED_LEN(4096)];
	char rss[32];

	format_bytes(rss, sizeof(rss), c->oom_rss_bytes);
	if (!c->oom_memcg) {
		fprintf(out->f, " oom-kill (global, rss %s)", rss);
	} else if (path) {
		escape_text(esc, sizeof(esc), path, strlen(path));
		fprintf(out->f, " oom-kill (memcg %s, rss %s)", esc, rss);
	} else {
		fprintf(out->f, " oom-kill (memcg id %" PRIu64 ", rss %s)", c->oom_memcg_id, rss);
	}
}

static void print_kernel(FILE *f, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;
	const char *name;

	if (!c->has_addr) {
		fputs(" kernel", f);
		if (c->has_sender) {
			fputs(" via ", f);
			print_sender(f, c);
		}
		return;
	}
	name = si_code_name(rec->signal, c->si_code);
	if (name)
		fprintf(f, " %s", name);
	else
		fprintf(f, " si_code %d", c->si_code);
	fprintf(f, " at 0x%" PRIx64, c->addr);
}

static void print_cause(struct output *out, const struct exit_record *rec)
{
	const struct exit_cause_info *c = &rec->cause;

	switch (c->kind) {
	case CAUSE_PROCESS:
		fputs(" from ", out->f);
		print_sender(out->f, c);
		fprintf(out->f, " uid %" PRIu32, c->sender_uid);
		break;
	case CAUSE_SELF:
		fputs(" self", out->f);
		break;
	case CAUSE_KERNEL:
		print_kernel(out->f, rec);
		break;
	case CAUSE_OOM:
		print_oom(out, rec);
		break;
	default:
		break;
	}
}

/* EXIT_CODE of a process killed by a signal (exits are built in table_record()). */
static void print_signal(struct output *out, const struct exit_record *rec)
{
	char buf[SIGNAME_LEN];

	fprintf(out->f, "signal %d (%s)", rec->signal, signal_abbrev(rec->signal, buf, sizeof(buf)));
	if (out->cfg.why)
		print_cause(out, rec);
	if (rec->core_dumped)
		fputs(", core dumped", out->f);
}

/*
 * The per-event path: the fixed columns are built by hand and written
 * once; printf's parsing and float formatting cost more than the rest of
 * the event's handling together (numbers: fmt.c, as the JSON output).
 */

/* Left-aligned in width columns, then the separating space. */
static char *pad(char *start, char *p, int width)
{
	while (p - start < width)
		*p++ = ' ';
	*p++ = ' ';
	return p;
}

static char *put_u64_col(char *p, uint64_t v, int width)
{
	return pad(p, fmt_u64(p, v), width);
}

/* Seconds with two decimals, rounded to the nearest hundredth, as %.2f. */
static char *put_age_col(char *p, uint64_t ns)
{
	uint64_t cs = (ns + 5000000) / 10000000;
	char *start = p;

	p = fmt_u64(p, cs / 100);
	*p++ = '.';
	*p++ = (char)('0' + cs % 100 / 10);
	*p++ = (char)('0' + cs % 10);
	return pad(start, p, 7);
}

static char *put_dash_col(char *p, int width)
{
	char *start = p;

	*p++ = '-';
	return pad(start, p, width);
}

/* CPU(s) MAXRSS(KB) CONTAINER, those asked for: at most 64 bytes. */
static char *put_story_cols(struct output *out, char *p, const struct exit_record *rec)
{
	const struct exit_story_info *st = &rec->story;
	const char *id = rec->cgroup.container_id;
	char *start;

	if (out->cfg.rusage && st->present) {
		p = put_age_col(p, (st->utime_us + st->stime_us) * 1000);
		p = put_u64_col(p, st->maxrss_kb, 10);
	} else if (out->cfg.rusage) {
		p = put_dash_col(p, 7);
		p = put_dash_col(p, 10);
	}
	if (!out->cfg.container)
		return p;
	if (!id)
		return put_dash_col(p, CONTAINER_WIDTH);
	start = p;
	memcpy(p, id, CONTAINER_WIDTH);
	return pad(start, p + CONTAINER_WIDTH, CONTAINER_WIDTH);
}

/*
 * One argument of the ARGS column, escaped like comm, so that the column
 * can be read back into the argv it came from: in single quotes when it is
 * empty, holds a space or a quote, ends in "..." (the mark of a cut) or is
 * a lone "-" first (the mark of an unknown command line); a quote inside
 * becomes \' (a backslash itself is \\).
 */
static void print_arg(FILE *f, const char *s, size_t len, bool first)
{
	char esc[ESCAPED_LEN(ARGS_MAX)];
	size_t n = escape_text(esc, sizeof(esc), s, len), i;
	bool quote = !len || memchr(s, ' ', len) || memchr(s, '\'', len) ||
		     (len >= 3 && !memcmp(s + len - 3, "...", 3)) ||
		     (first && len == 1 && s[0] == '-');

	if (!quote) {
		fwrite(esc, 1, n, f);
		return;
	}
	fputc('\'', f);
	for (i = 0; i < n; i++) {
		if (esc[i] == '\'')
			fputc('\\', f);
		fputc(esc[i], f);
	}
	fputc('\'', f);
}

/*
 * The ARGS column: argv joined by spaces (see print_arg()), "..." right
 * after the last one when the command line was cut, "-" when unknown. Two
 * different argv never print alike.
 */
static void print_args(FILE *f, const struct exit_story_info *st)
{
	const char *s = st->args, *end = st->args + st->args_len, *z;

	fputc(' ', f);
	if (!st->has_args) {
		fputc('-', f);
		return;
	}
	while (s < end) {
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			z = end;
		if (s != st->args)
			fputc(' ', f);
		print_arg(f, s, (size_t)(z - s), s == st->args);
		s = z + 1;
	}
	if (st->args_truncated)
		fputs("...", f);
}

/*
 * The ANCESTORS column: the parents' names, nearest first, joined by '<',
 * each escaped like PCOMM and its spaces and '<' as \x20 and \x3c, so
 * that the column is one word and reads back into its names; "-" when
 * none is known.
 */
static void print_ancestors(FILE *f, const struct exit_story_info *st)
{
	char esc[ESCAPED_LEN(TASK_COMM_LEN)];
	unsigned int i;
	size_t n, k;

	fputc(' ', f);
	if (!st->nanc) {
		fputc('-', f);
		return;
	}
	for (i = 0; i < st->nanc; i++) {
		if (i)
			fputc('<', f);
		n = escape_text(esc, sizeof(esc), st->anc[i].comm, strlen(st->anc[i].comm));
		for (k = 0; k < n; k++) {
			if (esc[k] == ' ')
				fputs("\\x20", f);
			else if (esc[k] == '<')
				fputs("\\x3c", f);
			else
				fputc(esc[k], f);
		}
	}
}

/* The variable columns after EXIT_CODE: ANCESTORS, ARGS, those asked for. */
static void print_tail_cols(struct output *out, const struct exit_record *rec)
{
	if (out->cfg.ancestors)
		print_ancestors(out->f, &rec->story);
	if (out->cfg.args)
		print_args(out->f, &rec->story);
	fputc('\n', out->f);
}

static void table_record(struct output *out, const struct exit_record *rec)
{
	char line[ESCAPED_LEN(TASK_COMM_LEN) + 4 * 24 + 64], *p = line;
	long code_start;
	char time[32] = "";
	size_t n;

	if (out->cfg.timestamp)
		format_clock(time, sizeof(time), rec->time_ns, out->cfg.utc);
	print_prefix_columns(out, time, out->cfg.label);
	n = escape_text(p, ESCAPED_LEN(TASK_COMM_LEN), rec->comm, strlen(rec->comm));
	p = pad(line, p + n, 16);
	p = put_u64_col(p, rec->pid, 7);
	p = put_u64_col(p, rec->ppid, 7);
	p = put_u64_col(p, rec->tid, 7);
	p = put_age_col(p, rec->age_ns);
	p = put_story_cols(out, p, rec);
	if (rec->signal) {
		fwrite(line, 1, (size_t)(p - line), out->f);
		/* "signal N (NAME)" is wider than the column's 10: no padding */
		print_signal(out, rec);
		print_tail_cols(out, rec);
		return;
	}
	code_start = p - line;
	if (rec->exit_code) {
		memcpy(p, "code ", 5);
		p = fmt_u64(p + 5, (uint64_t)rec->exit_code);
	} else {
		*p++ = '0';
	}
	if (out->cfg.args || out->cfg.ancestors) {
		while (p - line - code_start < 10)
			*p++ = ' ';
		fwrite(line, 1, (size_t)(p - line), out->f);
		print_tail_cols(out, rec);
		return;
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), out->f);
}

const struct output_ops table_output_ops = {
	.header = table_header,
	.record = table_record,
};
