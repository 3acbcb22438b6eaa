// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where it crashed: the crash after the cause or the tail, and its mappings. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "record/crash.h"
#include "record/event.h"
#include "test.h"

static void fill_crash(struct exit_crash *c)
{
	static const uint8_t id[20] = { 0x55, 0x8c, 0x0a, 0xa5, 0xa1, 0x87, 0x21, 0x73, 0xc6, 0x88,
					0x4c, 0x63, 0x4f, 0xab, 0x66, 0x06, 0xaa, 0x73, 0x3c, 0x97 };

	memset(c, 0, sizeof(*c));
	c->flags = CRASH_F_IP | CRASH_F_IP_BUILD_ID | CRASH_F_IP_FILE | CRASH_F_IP_PATH;
	c->ip = 0x55f6a5c094f0ULL;
	c->ip_start = 0x55f6a5c09000ULL;
	c->ip_pgoff = 2;
	c->bid_offset = 0x24f0;
	memcpy(c->build_id, id, sizeof(id));
	strcpy(c->ip_path, "/usr/lib/libfoo.so.1");
}

void test_decode_crash(void)
{
	static struct {
		struct exit_event e;
		struct exit_crash c;
		char pad[8];
	} plain;
	static struct exit_story_event ev;
	static char story[sizeof(ev) + sizeof(struct exit_crash)];
	size_t size = sizeof(plain.e) + sizeof(plain.c);
	struct exit_record r;

	plain.e.status = 11;
	plain.e.flags = EXIT_F_CAUSE | EXIT_F_CRASH;
	plain.e.cause.sig = 11;
	plain.e.cause.si_code = 1;
	fill_crash(&plain.c);
	ASSERT_EQ(decode_exit_event(&plain, size, 0, &r), 0, "plain record");
	ASSERT_TRUE(r.cause.has_crash, "crash after the cause");
	ASSERT_EQ(r.crash.ip, 0x55f6a5c094f0ULL, "ip");
	ASSERT_EQ(decode_exit_event(&plain, size + 4, 0, &r), 0, "perf buffer padding");
	ASSERT_TRUE(r.cause.has_crash && r.crash.ip == 0x55f6a5c094f0ULL, "found from the front");
	ASSERT_EQ(decode_exit_event(&plain, size - 1, 0, &r), 0, "cut record");
	ASSERT_TRUE(!r.cause.has_crash, "a cut crash is not trusted");
	plain.e.flags = EXIT_F_CAUSE;
	decode_exit_event(&plain, size, 0, &r);
	ASSERT_TRUE(!r.cause.has_crash, "the flag says it is there");

	/* a story with a 3-byte argv: the crash after it, unaligned */
	ev.e = plain.e;
	ev.e.flags = EXIT_F_CAUSE | EXIT_F_CRASH | EXIT_F_STORY;
	ev.s.flags = STORY_F_ARGS;
	ev.s.args_len = 3;
	memcpy(ev.tail, "ab", 3);
	memcpy(story, &ev, EXIT_STORY_HEAD_SIZE + 3);
	memcpy(story + EXIT_STORY_HEAD_SIZE + 3, &plain.c, sizeof(plain.c));
	size = EXIT_STORY_HEAD_SIZE + 3 + sizeof(plain.c);
	ASSERT_EQ(decode_exit_event(story, size, 0, &r), 0, "story record");
	ASSERT_TRUE(r.cause.has_crash && r.crash.ip == 0x55f6a5c094f0ULL, "crash after the tail");
	ASSERT_TRUE(r.story.has_args && r.story.args_len == 3, "the tail is still the tail");
	ASSERT_STREQ(r.crash.ip_path, "/usr/lib/libfoo.so.1", "path");
}

void test_crash_maps(void)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct exit_crash c;
	struct crash_map m;

	fill_crash(&c);
	crash_ip_map(&c, &m);
	ASSERT_TRUE(m.present && m.has_offset, "ip map");
	ASSERT_EQ(m.offset, 2 * page + 0x4f0, "offset from the mapping: pgoff pages on");
	ASSERT_STREQ(m.path, "/usr/lib/libfoo.so.1", "path");
	ASSERT_STREQ(m.build_id, "558c0aa5a1872173c6884c634fab6606aa733c97", "sha1 build ID");
	ASSERT_STREQ(crash_basename(m.path), "libfoo.so.1", "file name");

	c.flags = CRASH_F_IP | CRASH_F_IP_BUILD_ID; /* no VMA lookup: before 5.17 */
	crash_ip_map(&c, &m);
	ASSERT_TRUE(m.present && m.has_offset && m.offset == 0x24f0, "the stack helper's offset");
	ASSERT_NULL(m.path, "no path without the lookup");
	c.flags = CRASH_F_IP;
	crash_ip_map(&c, &m);
	ASSERT_TRUE(!m.present, "an IP in no known file");
	c.flags = CRASH_F_IP | CRASH_F_IP_FILE | CRASH_F_IP_PATH;
	c.ip_path[0] = 'x';
	crash_ip_map(&c, &m);
	ASSERT_TRUE(m.present && !m.path && !m.build_id, "not absolute: no path");

	fill_crash(&c);
	crash_addr_map(&c, 0x1000, &m);
	ASSERT_TRUE(!m.present, "no address mapping");
	c.flags |= CRASH_F_ADDR_SAME;
	crash_addr_map(&c, 0x55f6a5c09010ULL, &m);
	ASSERT_TRUE(m.present && m.offset == 2 * page + 0x10, "address offset in the IP's mapping");
	ASSERT_STREQ(m.path, "/usr/lib/libfoo.so.1", "the IP's file");
	ASSERT_STREQ(m.build_id, "558c0aa5a1872173c6884c634fab6606aa733c97", "the same file's ID");
	ASSERT_STREQ(m.kind, "file", "a file's mapping");
	c.flags &= ~CRASH_F_IP_FILE;
	crash_addr_map(&c, 0x55f6a5c09010ULL, &m);
	ASSERT_TRUE(!m.present, "no mapping without the lookup");
}

/* The address's own mapping, looked up at the exit hook (6.16+). */
void test_crash_addr_own_map(void)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct exit_crash c;
	struct crash_map m;

	fill_crash(&c);
	c.flags |= CRASH_F_ADDR_LOOKED;
	crash_addr_map(&c, 0x7f0000003010ULL, &m);
	ASSERT_TRUE(!m.present, "looked up, in no mapping (SEGV_MAPERR)");

	c.flags |= CRASH_F_ADDR_FILE | CRASH_F_ADDR_IP_FILE;
	c.addr_start = 0x7f0000003000ULL;
	c.addr_pgoff = 5;
	crash_addr_map(&c, 0x7f0000003010ULL, &m);
	ASSERT_TRUE(m.present && m.has_offset && m.offset == 5 * page + 0x10, "pgoff pages on");
	ASSERT_STREQ(m.path, "/usr/lib/libfoo.so.1", "the IP's file: its path");
	ASSERT_STREQ(m.build_id, "558c0aa5a1872173c6884c634fab6606aa733c97", "and build ID");
	ASSERT_STREQ(m.kind, "file", "a file");

	c.flags &= ~CRASH_F_ADDR_IP_FILE;
	strcpy(c.addr_path, "/srv/data.bin");
	crash_addr_map(&c, 0x7f0000003010ULL, &m);
	ASSERT_TRUE(m.present && m.offset == 5 * page + 0x10 && !m.path, "path not made: null");
	c.flags |= CRASH_F_ADDR_PATH;
	crash_addr_map(&c, 0x7f0000003010ULL, &m);
	ASSERT_STREQ(m.path, "/srv/data.bin", "another file's path");
	ASSERT_NULL(m.build_id, "another file's build ID is not known");

	c.flags = CRASH_F_IP | CRASH_F_MAPS | CRASH_F_ADDR_LOOKED | CRASH_F_ADDR_HEAP;
	crash_addr_map(&c, 0x55f6a5c09010ULL, &m);
	ASSERT_TRUE(m.present && !m.has_offset && !m.path && !m.build_id, "heap: no file");
	ASSERT_STREQ(m.kind, "heap", "the brk heap");
	c.flags ^= CRASH_F_ADDR_HEAP | CRASH_F_ADDR_ANON;
	crash_addr_map(&c, 0x55f6a5c09010ULL, &m);
	ASSERT_STREQ(m.kind, "anon", "other memory");
}

void test_build_id_hex(void)
{
	uint8_t id[20] = { 0 };
	char hex[BUILD_ID_HEX_LEN];

	memset(id, 0xab, 16);
	build_id_hex(id, hex);
	ASSERT_STREQ(hex, "abababababababababababababababab", "16 bytes: md5, uuid");
	memset(id + 8, 0, 8);
	build_id_hex(id, hex);
	ASSERT_STREQ(hex, "abababababababab", "8 bytes: lld's fast");
	memset(id, 0x01, 20);
	id[19] = 0;
	build_id_hex(id, hex);
	ASSERT_STREQ(hex, "0101010101010101010101010101010101010100", "20 bytes, one zero at the end");
}
