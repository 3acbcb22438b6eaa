// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tracepoint's prototype is "typedef void (*btf_trace_<tp>)(void *, args...)":
 * TYPEDEF -> PTR -> FUNC_PROTO whose params give the argument types. The
 * walk follows type ids through the stream, another pass if an id points
 * back; the raw layout is the kernel's documented BTF format.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "load/btf_probe.h"

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

/*
 * Sequential reads with skips inside a buffer: no syscall per type. The
 * file is mapped where the kernel allows it (v6.16+); otherwise read, 4K
 * at a time as sysfs hands it out.
 */
struct reader {
	int fd;
	const unsigned char *p;	/* the mapping, or buf */
	size_t pos, len;
	size_t map_len;		/* non-zero: p maps the whole file */
	unsigned char buf[1 << 16];
};

static int rd_seek(struct reader *r, off_t off)
{
	if (r->map_len) {
		r->pos = (size_t)off < r->map_len ? (size_t)off : r->map_len;
		return 0;
	}
	r->pos = r->len = 0;
	return lseek(r->fd, off, SEEK_SET) < 0 ? -errno : 0;
}

static int rd_fill(struct reader *r)
{
	ssize_t n;

	if (r->map_len)
		return -EIO; /* the mapping is the whole file */
	n = read(r->fd, r->buf, sizeof(r->buf));
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	r->pos = 0;
	r->len = (size_t)n;
	return 0;
}

static bool force_stream, last_mapped;

void btf_probe_force_stream(bool on)
{
	force_stream = on;
}

bool btf_probe_mapped(void)
{
	return last_mapped;
}

static void rd_open(struct reader *r)
{
	struct stat st;
	void *m;

	r->p = r->buf;
	r->pos = r->len = r->map_len = 0;
	last_mapped = false;
	if (force_stream || fstat(r->fd, &st) || st.st_size <= 0)
		return;
	m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, r->fd, 0);
	if (m == MAP_FAILED)
		return;
	r->p = m;
	r->len = r->map_len = st.st_size;
	last_mapped = true;
}

static void rd_close(struct reader *r)
{
	if (r->map_len)
		munmap((void *)r->p, r->map_len);
	close(r->fd);
}

/* The next n bytes in place, or NULL if they are not all in the buffer. */
static inline const void *rd_peek(struct reader *r, size_t n)
{
	const void *p;

	if (r->len - r->pos < n)
		return NULL;
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

static int rd_bytes(struct reader *r, void *dst, size_t n)
{
	unsigned char *d = dst;

	while (n) {
		size_t m;

		if (r->pos == r->len && rd_fill(r))
			return -EIO;
		m = r->len - r->pos < n ? r->len - r->pos : n;
		if (d) {
			memcpy(d, r->p + r->pos, m);
			d += m;
		}
		r->pos += m;
		n -= m;
	}
	return 0;
}

static int rd_char(struct reader *r)
{
	if (r->pos == r->len && rd_fill(r))
		return EOF;
	return r->p[r->pos++];
}

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

/* Mapped: search the string section for "\0btf_trace_<name>\0" at once. */
static void find_names_mapped(struct reader *f, const struct btf_hdr *h, struct tp_proto *tps,
			      struct chase *ch, int n)
{
	const unsigned char *strs = f->p + h->hdr_len + h->str_off;
	char want[NAME_MAX_LEN + 2];
	const unsigned char *hit;
	int i, len;

	for (i = 0; i < n; i++) {
		len = snprintf(want, sizeof(want), "%cbtf_trace_%s", 0, tps[i].name) + 1;
		hit = memmem(strs, h->str_len, want, len); /* both NULs included */
		if (hit)
			ch[i].name_off = (uint32_t)(hit + 1 - strs);
	}
}

/* The offsets of "btf_trace_<name>" in the string section. */
static int find_names(struct reader *f, const struct btf_hdr *h, struct tp_proto *tps,
		      struct chase *ch, int n)
{
	char want[TP_MAX_ARGS][NAME_MAX_LEN], cur[NAME_MAX_LEN];
	uint32_t off = 0, start = 0;
	size_t len = 0;
	int c, i, found = 0;

	for (i = 0; i < n; i++)
		snprintf(want[i], sizeof(want[i]), "btf_trace_%s", tps[i].name);
	if (f->map_len) {
		if ((size_t)h->hdr_len + h->str_off + h->str_len > f->map_len)
			return -EPROTO;
		find_names_mapped(f, h, tps, ch, n);
		return 0;
	}
	if (rd_seek(f, h->hdr_len + h->str_off))
		return -errno;
	for (off = 0; off < h->str_len && (c = rd_char(f)) != EOF; off++) {
		if (c) {
			if (len < sizeof(cur) - 1)
				cur[len] = (char)c;
			len++;
			continue;
		}
		for (i = 0; i < n && len < sizeof(cur); i++) {
			cur[len] = '\0';
			if (!ch[i].name_off && !strcmp(cur, want[i])) {
				ch[i].name_off = start;
				found++;
			}
		}
		if (found == n)
			break; /* the rest of the strings are of no use */
		len = 0;
		start = off + 1;
	}
	return 0;
}

/*
 * The kind of every type passed so far, a byte per id. An argument's type
 * usually comes before its prototype (a task_struct pointer is among the
 * first types): answered from here, it needs no second pass.
 */
struct kinds {
	uint8_t *of;
	uint32_t n;
};

static void visit_proto(struct reader *f, struct tp_proto *tp, struct chase *ch,
			unsigned int vlen, const struct kinds *seen, uint32_t id)
{
	uint32_t param[2];
	unsigned int i;

	tp->nargs = vlen ? (int)vlen - 1 : 0;
	for (i = 0; i < vlen; i++) {
		if (rd_bytes(f, param, sizeof(param)))
			return;
		if (i < 1 || i > TP_MAX_ARGS)
			continue;
		if (param[1] < id && param[1] < seen->n) {
			tp->arg_is_ptr[i - 1] = seen->of[param[1]] == KIND_PTR;
			continue;
		}
		ch->arg_id[i - 1] = param[1];
		ch->pending++;
	}
	ch->done = ch->pending == 0;
}

/* Tracepoints found by name whose chain of types is not followed to the end. */
static int still_open(const struct chase *ch, int n)
{
	int i, open = 0;

	for (i = 0; i < n; i++)
		open += ch[i].name_off && !ch[i].done;
	return open;
}

/* One pass over the types; returns how many tracepoints are still open. */
static int pass(struct reader *f, const struct btf_hdr *h, struct tp_proto *tps,
		struct chase *ch, int n, const struct kinds *seen)
{
	const struct btf_type_head *head;
	struct btf_type_head t;
	uint32_t id = 1, off = 0;
	int i, j, first;

	if (rd_seek(f, h->hdr_len + h->type_off))
		return -errno;
	for (; off < h->type_len; id++) {
		unsigned int kind, vlen;
		long extra;
		bool consumed = false;

		first = -1;

		/* in place when mapped or buffered: a copy per type is most of the walk */
		if ((head = rd_peek(f, sizeof(t))))
			t = *head;
		else if (rd_bytes(f, &t, sizeof(t)))
			return -EIO;
		kind = (t.info >> 24) & 0x1f;
		vlen = t.info & 0xffff;
		extra = extra_bytes(kind, vlen);
		if (extra < 0)
			return -EPROTO;
		if (id < seen->n)
			seen->of[id] = (uint8_t)kind;
		for (i = 0; i < n; i++) {
			if (ch[i].done || !ch[i].name_off)
				continue;
			if (kind == KIND_TYPEDEF && t.name_off == ch[i].name_off) {
				ch[i].ptr_id = t.size_or_type;
				tps[i].btf_id = id;
			}
			else if (id == ch[i].ptr_id && kind == KIND_PTR)
				ch[i].proto_id = t.size_or_type;
			else if (id == ch[i].proto_id && kind == KIND_FUNC_PROTO && !consumed) {
				visit_proto(f, &tps[i], &ch[i], vlen, seen, id);
				consumed = true;
				first = i;
			} else if (id == ch[i].proto_id && kind == KIND_FUNC_PROTO) {
				/* deduplicated: another tracepoint has the same prototype */
				tps[i].nargs = tps[first].nargs;
				memcpy(tps[i].arg_is_ptr, tps[first].arg_is_ptr, sizeof(tps[i].arg_is_ptr));
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
		if (!consumed && extra && !rd_peek(f, (size_t)extra) &&
		    rd_bytes(f, NULL, (size_t)extra))
			return -EIO;
		off += sizeof(t) + extra;
		if (!still_open(ch, n))
			break; /* all answered: skip the rest of the types */
	}
	return still_open(ch, n);
}

int btf_probe_tracepoints(const char *path, struct tp_proto *tps, int n)
{
	struct chase ch[TP_MAX_ARGS] = {};
	static struct reader rd;
	struct kinds seen = {};
	struct btf_hdr h;
	int i, ret = 0, left = 1, passes;

	if (n > TP_MAX_ARGS)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		tps[i].nargs = -1;
		tps[i].btf_id = 0;
		memset(tps[i].arg_is_ptr, 0, sizeof(tps[i].arg_is_ptr));
	}
	rd.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (rd.fd < 0)
		return -errno;
	rd_open(&rd);
	if (rd_bytes(&rd, &h, sizeof(h)) || h.magic != BTF_MAGIC) {
		ret = -EPROTO;
		goto out;
	}
	ret = find_names(&rd, &h, tps, ch, n);
	/* ids from 1, each type at least a head: the table cannot overflow (n 0: no table) */
	seen.n = h.type_len / sizeof(struct btf_type_head) + 1;
	seen.of = calloc(seen.n, 1);
	if (!seen.of)
		seen.n = 0;
	for (passes = 0; !ret && left > 0 && passes < MAX_PASSES; passes++) {
		left = pass(&rd, &h, tps, ch, n, &seen);
		if (left < 0)
			ret = left;
	}
	free(seen.of);
out:
	rd_close(&rd);
	return ret;
}
