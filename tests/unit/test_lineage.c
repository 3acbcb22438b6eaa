// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Lineage: the ancestors, the exe's identity and the start time, decoded and shown. */
#include <stdlib.h>
#include <string.h>
#include "output/output.h"
#include "record/event.h"
#include "test.h"

static struct exit_story_event ev;

/* An ancestor entry at off in ev.tail; returns the next offset. */
static size_t put_anc(size_t off, uint32_t pid, const char *comm, const char *exe)
{
	struct exit_ancestor a = { .start_ns = 1000 + pid, .pid = pid, .flags = ANC_F_ENTRY };

	strncpy(a.comm, comm, sizeof(a.comm) - 1);
	if (exe) {
		a.exe_len = (uint16_t)(strlen(exe) + 1);
		a.flags |= ANC_F_EXE;
		memcpy(ev.tail + off + sizeof(a), exe, a.exe_len);
	}
	memcpy(ev.tail + off, &a, sizeof(a));
	return off + ANC_STEP(a.exe_len);
}

/* A story record: argv "x", the memfd "memfd:fo o", two ancestors, the second's exe unknown. */
static size_t lineage_event(void)
{
	static const char memfd[] = "memfd:fo o";
	size_t at, end;

	memset(&ev, 0, sizeof(ev));
	ev.e.pid = 42;
	ev.e.flags = EXIT_F_STORY;
	ev.s.ns_pid = 1;
	ev.s.flags = STORY_F_ARGS | STORY_F_MEMFD | STORY_F_ENTRY | STORY_F_EXE_ID |
		     STORY_F_EXE_GONE;
	memcpy(ev.tail, "x", 2);
	ev.s.args_len = 2;
	memcpy(ev.tail + 2, memfd, sizeof(memfd));
	ev.s.exe_len = sizeof(memfd);
	at = 2 + sizeof(memfd);
	end = put_anc(at, 7, "ba sh", "/usr/bin/bash");
	end = put_anc(end, 1, "in<it", NULL);
	ev.l.anc_len = (uint16_t)(end - at);
	ev.l.anc_count = 2;
	ev.l.flags = LIN_F_BOOTTIME | LIN_F_ANCESTORS;
	ev.l.start_boottime_ns = 123456789;
	ev.l.exe_dev = (8u << 20) | 17;
	ev.l.exe_ino = 4242;
	return EXIT_STORY_HEAD_SIZE + end;
}

void test_decode_lineage(void)
{
	size_t size = lineage_event();
	struct exit_record r;

	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "decoded");
	ASSERT_TRUE(r.story.has_start_time && r.story.start_time_ns == 123456789, "start time");
	ASSERT_TRUE(r.story.has_exe_id && r.story.exe_ino == 4242, "exe identity");
	ASSERT_EQ(r.story.exe_deleted, EXE_GONE_YES, "gone at the exec");
	ASSERT_TRUE(r.story.has_memfd && !r.story.has_exe, "a memfd, not a path");
	ASSERT_STREQ(r.story.exe, "memfd:fo o", "memfd name");
	ASSERT_TRUE(r.story.exec_seen, "exec seen");
	ASSERT_TRUE(r.story.has_ancestors && r.story.nanc == 2, "two ancestors");
	ASSERT_STREQ(r.story.anc[0].comm, "ba sh", "nearest first");
	ASSERT_STREQ(r.story.anc[0].exe, "/usr/bin/bash", "its exe");
	ASSERT_TRUE(r.story.anc[1].pid == 1 && !r.story.anc[1].exe, "exe unknown");

	ev.l.flags |= LIN_F_EXE_LIVE;
	ev.s.flags &= ~STORY_F_EXE_GONE;
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "live");
	ASSERT_EQ(r.story.exe_deleted, EXE_GONE_NO, "checked at exit: there");
	ev.l.flags &= ~LIN_F_EXE_LIVE;
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "not live");
	ASSERT_EQ(r.story.exe_deleted, EXE_GONE_UNKNOWN, "there at the exec: unknown since");

	ASSERT_EQ(decode_exit_event(&ev, size - 1, 0, &r), 0, "cut");
	ASSERT_TRUE(!r.story.has_ancestors, "a cut block is not trusted");
	lineage_event();
	ev.l.anc_count = 3;
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "count beyond the bytes");
	ASSERT_EQ(r.story.nanc, 2, "only whole entries");
	lineage_event();
	memcpy(ev.tail + 2 + 11 + sizeof(struct exit_ancestor), "usr/bin/bash", 13);
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "relative exe");
	ASSERT_TRUE(r.story.nanc == 2 && !r.story.anc[0].exe, "a malformed path is not shown");
	lineage_event();
	memcpy(ev.tail + 2, "memfx:fo o", 11);
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "not a memfd name");
	ASSERT_TRUE(!r.story.has_memfd && !r.story.has_exe, "neither memfd nor path");
}

static char *buf;

static const char *render(const struct output_config *cfg, const struct exit_record *rec)
{
	struct output out;
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	output_init(&out, f, cfg);
	output_record(&out, rec);
	output_flush(&out);
	output_fini(&out);
	fclose(f);
	return buf;
}

void test_json_lineage(void)
{
	struct output_config cfg = { .json = true };
	size_t size = lineage_event();
	struct exit_record r;

	decode_exit_event(&ev, size, 0, &r);
	ASSERT_TRUE(strstr(render(&cfg, &r),
			   ",\"exe\":null,") != NULL, "a memfd has no path");
	ASSERT_TRUE(strstr(render(&cfg, &r),
			   ",\"start_time\":123456789,\"container_init\":true,\"exe_deleted\":true,"
			   "\"exe_memfd\":\"memfd:fo o\",\"exe_dev\":\"8:17\",\"exe_ino\":4242,"
			   "\"ancestors\":[{\"pid\":7,\"comm\":\"ba sh\",\"exe\":\"/usr/bin/bash\"},"
			   "{\"pid\":1,\"comm\":\"in<it\",\"exe\":null}]}\n") != NULL,
		    "lineage keys");
	r.pid = 1;
	ASSERT_TRUE(strstr(render(&cfg, &r), "\"container_init\":false") != NULL,
		    "the host's init is no container's");
	r.story.nanc = 0;
	ASSERT_TRUE(strstr(render(&cfg, &r), "\"ancestors\":[]}") != NULL, "none: empty");
}

void test_table_ancestors(void)
{
	struct output_config cfg = { .ancestors = true, .args = true };
	size_t size = lineage_event();
	struct exit_record r;

	ev.e.status = 3 << 8;
	strcpy(ev.e.comm, "me");
	decode_exit_event(&ev, size, 0, &r);
	ASSERT_TRUE(strstr(render(&cfg, &r), " code 3     ba\\x20sh<in\\x3cit x\n") != NULL,
		    "one word, read back into the names");
	cfg.args = false;
	r.story.nanc = 0;
	ASSERT_TRUE(strstr(render(&cfg, &r), " code 3     -\n") != NULL, "none known");
}
