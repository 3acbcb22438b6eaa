// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tracepoint's prototype is "typedef void (*btf_trace_<tp>)(void *, args...)":
 * TYPEDEF -> PTR -> FUNC_PROTO whose params give the argument types. The
 * walk follows type ids through the stream, another pass if an id points
 * back; the raw layout is the kernel's documented BTF format.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "btf_probe.h"

#define BTF_MAGIC 0xeb9f
#define NAME_MAX_LEN 64
#define MAX_PASSES 4

enum {
	KIND_INT = 1, KIND_PTR = 2, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_UNION = 5,
	KIND_ENUM = 6, KIND_FWD = 7, KIND_TYPEDEF = 8, KIND_VOLATILE = 9, KIND_CONST = 10,
	KIND_RESTRICT = 11, KIND_FUNC = 12, KIND_FUNC_PROTO = 13, KIND_VAR = 14,
	KIND_DATASEC = 15, KIND_FLOAT = 16, KIND_DECL_TAG = 17, KIND_TYPE_TAG = 18,
	KIND_ENUM64 = 19,
};

struct btf_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};

struct btf_type_head {
	uint32_t name_off;
	uint32_t info;		/* vlen: bits 0-15, kind: bits 24-28 */
	uint32_t size_or_type;
};

/* Progress of one tracepoint through the chain of types. */
struct chase {
	uint32_t name_off;	/* of "btf_trace_<tp>", 0 until found */
	uint32_t ptr_id;
	uint32_t proto_id;
	uint32_t arg_id[TP_MAX_ARGS];
	int pending;		/* argument types still to look up */
	bool done;
};

/* Bytes that follow a type's head, by kind. */
static long extra_bytes(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case KIND_INT: case KIND_VAR: case KIND_DECL_TAG:
		return 4;
	case KIND_ARRAY:
		return 12;
	case KIND_STRUCT: case KIND_UNION: case KIND_DATASEC: case KIND_ENUM64:
		return 12L * vlen;
	case KIND_ENUM: case KIND_FUNC_PROTO:
		return 8L * vlen;
	case KIND_PTR: case KIND_FWD: case KIND_TYPEDEF: case KIND_VOLATILE: case KIND_CONST:
	case KIND_RESTRICT: case KIND_FUNC: case KIND_FLOAT: case KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* The offsets of "btf_trace_<name>" in the string section. */
static int find_names(FILE *f, const struct btf_hdr *h, struct tp_proto *tps,
		      struct chase *ch, int n)
{
	char want[TP_MAX_ARGS][NAME_MAX_LEN], cur[NAME_MAX_LEN];
	uint32_t off = 0, start = 0;
	size_t len = 0;
	int c, i;

	for (i = 0; i < n; i++)
		snprintf(want[i], sizeof(want[i]), "btf_trace_%s", tps[i].name);
	if (fseek(f, h->hdr_len + h->str_off, SEEK_SET))
		return -errno;
	for (off = 0; off < h->str_len && (c = getc_unlocked(f)) != EOF; off++) {
		if (c) {
			if (len < sizeof(cur) - 1)
				cur[len] = (char)c;
			len++;
			continue;
		}
		for (i = 0; i < n && len < sizeof(cur); i++) {
			cur[len] = '\0';
			if (!strcmp(cur, want[i]))
				ch[i].name_off = start;
		}
		len = 0;
		start = off + 1;
	}
	return 0;
}

static void visit_proto(FILE *f, struct tp_proto *tp, struct chase *ch, unsigned int vlen)
{
	uint32_t param[2];
	unsigned int i;

	tp->nargs = vlen ? (int)vlen - 1 : 0;
	for (i = 0; i < vlen; i++) {
		if (fread(param, sizeof(param), 1, f) != 1)
			return;
		if (i >= 1 && i <= TP_MAX_ARGS) {
			ch->arg_id[i - 1] = param[1];
			ch->pending++;
		}
	}
	ch->done = ch->pending == 0;
}

/* One pass over the types; returns how many tracepoints are still open. */
static int pass(FILE *f, const struct btf_hdr *h, struct tp_proto *tps, struct chase *ch, int n)
{
	struct btf_type_head t;
	uint32_t id = 1, off = 0;
	int i, j, open, first;

	if (fseek(f, h->hdr_len + h->type_off, SEEK_SET))
		return -errno;
	for (; off < h->type_len; id++) {
		unsigned int kind, vlen;
		long extra;
		bool consumed = false;

		first = -1;

		if (fread(&t, sizeof(t), 1, f) != 1)
			return -EIO;
		kind = (t.info >> 24) & 0x1f;
		vlen = t.info & 0xffff;
		extra = extra_bytes(kind, vlen);
		if (extra < 0)
			return -EPROTO;
		for (i = 0; i < n; i++) {
			if (ch[i].done || !ch[i].name_off)
				continue;
			if (kind == KIND_TYPEDEF && t.name_off == ch[i].name_off)
				ch[i].ptr_id = t.size_or_type;
			else if (id == ch[i].ptr_id && kind == KIND_PTR)
				ch[i].proto_id = t.size_or_type;
			else if (id == ch[i].proto_id && kind == KIND_FUNC_PROTO && !consumed) {
				visit_proto(f, &tps[i], &ch[i], vlen);
				consumed = true;
				first = i;
			} else if (id == ch[i].proto_id && kind == KIND_FUNC_PROTO) {
				/* deduplicated: another tracepoint has the same prototype */
				tps[i].nargs = tps[first].nargs;
				memcpy(ch[i].arg_id, ch[first].arg_id, sizeof(ch[i].arg_id));
				ch[i].pending = ch[first].pending;
				ch[i].done = ch[first].done;
			}
			for (j = 0; j < TP_MAX_ARGS && ch[i].pending; j++) {
				if (ch[i].arg_id[j] != id)
					continue;
				tps[i].arg_is_ptr[j] = kind == KIND_PTR;
				ch[i].arg_id[j] = 0;
				ch[i].done = --ch[i].pending == 0;
			}
		}
		if (!consumed && extra && fseek(f, extra, SEEK_CUR))
			return -errno;
		off += sizeof(t) + extra;
	}
	for (i = 0, open = 0; i < n; i++)
		open += ch[i].name_off && !ch[i].done;
	return open;
}

int btf_probe_tracepoints(const char *path, struct tp_proto *tps, int n)
{
	struct chase ch[TP_MAX_ARGS] = {};
	char buf[1 << 16];
	struct btf_hdr h;
	int i, ret = 0, left = 1, passes;
	FILE *f;

	if (n > TP_MAX_ARGS)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		tps[i].nargs = -1;
		memset(tps[i].arg_is_ptr, 0, sizeof(tps[i].arg_is_ptr));
	}
	f = fopen(path, "re");
	if (!f)
		return -errno;
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	if (fread(&h, sizeof(h), 1, f) != 1 || h.magic != BTF_MAGIC) {
		ret = -EPROTO;
		goto out;
	}
	ret = find_names(f, &h, tps, ch, n);
	for (passes = 0; !ret && left > 0 && passes < MAX_PASSES; passes++) {
		left = pass(f, &h, tps, ch, n);
		if (left < 0)
			ret = left;
	}
out:
	fclose(f);
	return ret;
}
