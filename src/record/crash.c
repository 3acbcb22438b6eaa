// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where it crashed: see crash.h. */
#include <string.h>
#include "record/crash.h"
#include "record/event.h"

_Static_assert(sizeof(struct exit_crash) == 584, "exit_crash ABI changed");

static bool all_zero(const uint8_t *b, size_t n)
{
	while (n--) {
		if (b[n])
			return false;
	}
	return true;
}

/*
 * The kernel pads a shorter ID with zeroes to 20 bytes. GNU ld's IDs are
 * 20 bytes (sha1), 16 (md5, uuid) or 8 (lld's fast): a 20-byte ID ending
 * in four zero bytes is one in four billion.
 */
void build_id_hex(const uint8_t *id, char out[BUILD_ID_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 20, i;

	if (all_zero(id + 16, 4))
		n = all_zero(id + 8, 8) ? 8 : 16;
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[2 * n] = '\0';
}

const char *crash_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* A path the kernel side marked as made: NUL-terminated within its field. */
static const char *path_of(const char *p, bool made)
{
	if (!made || p[0] != '/' || !memchr(p, '\0', EXE_MAX))
		return NULL;
	return p;
}

void crash_ip_map(const struct exit_crash *c, struct crash_map *m)
{
	memset(m, 0, sizeof(*m));
	if (!(c->flags & CRASH_F_IP))
		return;
	m->present = c->flags & (CRASH_F_IP_FILE | CRASH_F_IP_BUILD_ID);
	m->path = path_of(c->ip_path, c->flags & CRASH_F_IP_PATH);
	if (c->flags & CRASH_F_IP_FILE) {
		m->has_offset = true;
		m->offset = c->ip_pgoff * page_bytes() + (c->ip - c->ip_start);
	} else if (c->flags & CRASH_F_IP_BUILD_ID) {
		m->has_offset = true;
		m->offset = c->bid_offset;
	}
	if (c->flags & CRASH_F_IP_BUILD_ID) {
		build_id_hex(c->build_id, m->build_id_buf);
		m->build_id = m->build_id_buf;
	}
}

static void ip_build_id(const struct exit_crash *c, struct crash_map *m)
{
	if (!(c->flags & CRASH_F_IP_BUILD_ID))
		return;
	build_id_hex(c->build_id, m->build_id_buf);
	m->build_id = m->build_id_buf;
}

/* In the IP's own mapping: a write to the code itself. */
static void addr_in_ip_map(const struct exit_crash *c, uint64_t addr, struct crash_map *m)
{
	m->path = path_of(c->ip_path, c->flags & CRASH_F_IP_PATH);
	m->offset = c->ip_pgoff * page_bytes() + (addr - c->ip_start);
	ip_build_id(c, m);
}

/*
 * In a file mapping of its own, looked up at the exit hook: of the IP's
 * file (its other segments: read-only data), whose path and build ID are
 * the IP's, or of another file, whose build ID is not known.
 */
static void addr_in_file(const struct exit_crash *c, uint64_t addr, struct crash_map *m)
{
	m->offset = c->addr_pgoff * page_bytes() + (addr - c->addr_start);
	if (!(c->flags & CRASH_F_ADDR_IP_FILE)) {
		m->path = path_of(c->addr_path, c->flags & CRASH_F_ADDR_PATH);
		return;
	}
	m->path = path_of(c->ip_path, c->flags & CRASH_F_IP_PATH);
	ip_build_id(c, m);
}

void crash_addr_map(const struct exit_crash *c, uint64_t addr, struct crash_map *m)
{
	const uint32_t same = CRASH_F_ADDR_SAME | CRASH_F_IP_FILE;

	memset(m, 0, sizeof(*m));
	if ((c->flags & same) == same) {
		addr_in_ip_map(c, addr, m);
	} else if (c->flags & CRASH_F_ADDR_FILE) {
		addr_in_file(c, addr, m);
	} else {
		if (c->flags & CRASH_F_ADDR_HEAP)
			m->kind = "heap";
		else if (c->flags & CRASH_F_ADDR_ANON)
			m->kind = "anon";
		m->present = m->kind != NULL;
		return;
	}
	m->present = true;
	m->has_offset = true;
	m->kind = "file";
}
