// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <unistd.h>
#include "record/event.h"
#include "test.h"

void test_decode_status(void)
{
	static const struct {
		unsigned int status;
		int code, sig;
		bool core;
	} cases[] = {
		{ 0x0000, 0, 0, false },    { 0x0100, 1, 0, false },   { 0x4100, 65, 0, false },
		{ 0xff00, 255, 0, false },  { 0x0002, -1, 2, false },  { 0x0009, -1, 9, false },
		{ 0x000f, -1, 15, false },  { 0x008b, -1, 11, true },  { 0x0086, -1, 6, true },
		{ 0x0040, -1, 64, false },  { 0x0022, -1, 34, false }, { 0x0083, -1, 3, true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int code, sig;
		bool core;

		decode_status(cases[i].status, &code, &sig, &core);
		ASSERT_EQ(code, cases[i].code, "exit code");
		ASSERT_EQ(sig, cases[i].sig, "signal");
		ASSERT_EQ(core, cases[i].core, "core dumped");
	}
}

static struct exit_event base_event(void)
{
	struct exit_event e = {
		.ts_ns = 5000000000ULL,
		.start_ns = 3350000000ULL,
		.pid = 19003,
		.tid = 19004,
		.ppid = 17656,
		.status = 65 << 8,
		.uid = 1000,
		.comm = "bash",
	};
	return e;
}

void test_decode_exit(void)
{
	struct exit_event e = base_event();
	struct exit_record r;

	ASSERT_EQ(decode_exit_event(&e, EXIT_EVENT_BASE_SIZE - 1, 0, &r), -22, "short record");
	ASSERT_EQ(decode_exit_event(&e, EXIT_EVENT_BASE_SIZE, 100, &r), 0, "base record");
	ASSERT_EQ(r.time_ns, 5000000100ULL, "clock offset applied");
	ASSERT_EQ(r.age_ns, 1650000000ULL, "age from start");
	ASSERT_EQ(r.pid, 19003, "pid");
	ASSERT_EQ(r.tid, 19004, "tid");
	ASSERT_EQ(r.ppid, 17656, "ppid");
	ASSERT_EQ(r.uid, 1000, "uid");
	ASSERT_EQ(r.exit_code, 65, "exit code");
	ASSERT_EQ(r.signal, 0, "no signal");
	ASSERT_EQ(r.cause.kind, CAUSE_EXIT, "kind exit");
	ASSERT_STREQ(r.comm, "bash", "comm");
	e.start_ns = e.ts_ns + 1;
	decode_exit_event(&e, EXIT_EVENT_BASE_SIZE, 0, &r);
	ASSERT_EQ(r.age_ns, 0, "clock skew never gives a negative age");
	memset(e.comm, 'A', sizeof(e.comm));
	decode_exit_event(&e, EXIT_EVENT_BASE_SIZE, 0, &r);
	ASSERT_EQ(strlen(r.comm), TASK_COMM_LEN - 1, "unterminated comm is bounded");
}

static struct exit_record decode_signal(struct exit_event *e, size_t size)
{
	struct exit_record r;

	decode_exit_event(e, size, 0, &r);
	return r;
}

void test_decode_causes(void)
{
	struct exit_event e = base_event();
	struct exit_record r;

	e.status = 9;
	r = decode_signal(&e, EXIT_EVENT_BASE_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_UNKNOWN, "signal without cause record");

	e.flags = EXIT_F_CAUSE;
	e.cause = (struct exit_cause){ .sender_pid = 4242, .sender_uid = 0, .si_code = 0,
				       .sig = 9, .sender_comm = "kill" };
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_PROCESS, "kill from another process");
	ASSERT_TRUE(r.cause.has_sender && r.cause.sender_pid == 4242, "sender");
	ASSERT_STREQ(r.cause.sender_comm, "kill", "sender comm");
	ASSERT_TRUE(!r.cause.has_addr, "no address for kill");
	r = decode_signal(&e, EXIT_EVENT_BASE_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_UNKNOWN, "cause ignored in a short record");

	e.status = 6 | 0x80;
	e.cause.sender_pid = e.pid;
	e.cause.si_code = -6;
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_SELF, "abort is self");
	ASSERT_TRUE(r.core_dumped, "abort core");

	e.status = 11;
	e.cause.si_code = 1;
	e.cause.addr = 0;
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_KERNEL, "fault is kernel");
	ASSERT_TRUE(r.cause.has_addr, "fault has address");
	ASSERT_TRUE(!r.cause.has_sender, "fault in itself has no sender");

	e.status = 13;
	e.flags = EXIT_F_CAUSE | EXIT_F_SIGINFO_NONE;
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_KERNEL, "SIGPIPE without siginfo is kernel");
	ASSERT_TRUE(!r.cause.has_si_code && !r.cause.has_addr, "no si_code");

	e.status = 2;
	e.flags = EXIT_F_CAUSE;
	e.cause.si_code = 0x80;
	e.cause.sender_pid = 77;
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_KERNEL, "tty SIGINT is kernel");
	ASSERT_TRUE(r.cause.has_sender && !r.cause.has_addr, "kernel via another task");

	e.status = 9;
	e.flags = EXIT_F_CAUSE | EXIT_F_OOM | EXIT_F_OOM_MEMCG;
	e.cause.oom_rss_pages = 1024;
	e.cause.oom_memcg_id = 99;
	r = decode_signal(&e, EXIT_EVENT_FULL_SIZE);
	ASSERT_EQ(r.cause.kind, CAUSE_OOM, "oom");
	ASSERT_TRUE(r.cause.oom_memcg && r.cause.oom_memcg_id == 99, "memcg oom");
	ASSERT_EQ(r.cause.oom_rss_bytes, 1024 * 4096, "rss in bytes");
	ASSERT_TRUE(!r.cause.has_sender, "oom has no sender");
	ASSERT_STREQ(cause_kind_name(CAUSE_OOM), "oom", "kind name");
	ASSERT_STREQ(cause_kind_name(CAUSE_UNKNOWN), "unknown", "unknown name");
}

void test_decode_story(void)
{
	static const char path[] = "/usr/bin/sleep";
	static struct exit_story_event ev;
	struct exit_record r;
	size_t size;

	ev.e = base_event();
	ev.e.status = 0;
	ev.e.flags = EXIT_F_STORY;
	ev.s.gid = 65534;
	ev.s.ns_pid = 1;
	ev.s.cgroup_id = 99;
	ev.s.utime_ns = 3000000;
	ev.s.stime_ns = 1000000;
	ev.s.runtime_ns = 8000000;
	ev.s.maxrss_pages = 16384;
	ev.s.flags = STORY_F_ARGS | STORY_F_EXE;
	memcpy(ev.tail, "sleep\0" "1\0", 8);
	ev.s.args_len = 8;
	memcpy(ev.tail + 8, path, sizeof(path));
	ev.s.exe_len = sizeof(path);
	size = EXIT_STORY_HEAD_SIZE + 8 + ev.s.exe_len;

	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "story record");
	ASSERT_TRUE(r.story.present, "story present");
	ASSERT_EQ(r.story.gid, 65534, "gid");
	ASSERT_EQ(r.story.ns_pid, 1, "ns_pid");
	ASSERT_EQ(r.story.cgroup_id, 99, "cgroup id");
	ASSERT_EQ(r.story.utime_us, 6000, "utime scaled to the runtime");
	ASSERT_EQ(r.story.stime_us, 2000, "stime scaled to the runtime");
	ASSERT_EQ(r.story.maxrss_kb, 16384 * (uint64_t)sysconf(_SC_PAGESIZE) / 1024, "maxrss");
	ASSERT_TRUE(r.story.has_args && r.story.args_len == 8, "args");
	ASSERT_TRUE(!memcmp(r.story.args, "sleep\0" "1\0", 8), "the two args");
	ASSERT_TRUE(r.story.has_exe, "exe");
	ASSERT_STREQ(r.story.exe, "/usr/bin/sleep", "exe after the args");

	ASSERT_EQ(decode_exit_event(&ev, size - 1, 0, &r), 0, "short tail");
	ASSERT_TRUE(!r.story.has_args && !r.story.has_exe, "a cut tail is not trusted");
	ev.s.flags = 0;
	ASSERT_EQ(decode_exit_event(&ev, size, 0, &r), 0, "no args");
	ASSERT_TRUE(!r.story.has_args && !r.story.has_exe, "flags say what is there");
}

/* The cost group: flags say what the tracer asked for and what the kernel keeps. */
void test_decode_cost(void)
{
	static struct exit_story_event ev;
	struct exit_record r;

	ev.e = base_event();
	ev.e.status = 0;
	ev.e.flags = EXIT_F_STORY;
	ASSERT_EQ(decode_exit_event(&ev, EXIT_STORY_HEAD_SIZE, 0, &r), 0, "story record");
	ASSERT_TRUE(!r.cost.present, "not asked (-r): no cost");
	ev.c.flags = COST_F_FILLED | COST_F_IO | COST_F_RUN_DELAY | COST_F_DELAYS | COST_F_IRQ;
	ev.c.inblock = 16;
	ev.c.oublock = 8;
	ev.c.read_bytes = 8192;
	ev.c.cancelled_write_bytes = 512;
	ev.c.run_delay_ns = 77;
	ev.c.irq_delay_ns = 3;
	ASSERT_EQ(decode_exit_event(&ev, EXIT_STORY_HEAD_SIZE, 0, &r), 0, "cost record");
	ASSERT_TRUE(r.cost.present && r.cost.has_io && !r.cost.has_xacct, "I/O without xacct");
	ASSERT_TRUE(r.cost.has_run_delay && r.cost.has_delays && r.cost.has_irq, "delays");
	ASSERT_TRUE(!r.cost.has_compact && !r.cost.has_wpcopy, "fields this kernel lacks");
	ASSERT_EQ(r.cost.inblock, 16, "inblock");
	ASSERT_EQ(r.cost.oublock, 8, "oublock");
	ASSERT_EQ(r.cost.read_bytes, 8192, "read_bytes");
	ASSERT_EQ(r.cost.cancelled_write_bytes, 512, "cancelled_write_bytes");
	ASSERT_EQ(r.cost.run_delay_ns, 77, "run delay");
	ASSERT_EQ(r.cost.irq_delay_ns, 3, "irq delay");
	ev.c.flags = COST_F_FILLED | COST_F_RUN_DELAY | COST_F_IRQ;
	ASSERT_EQ(decode_exit_event(&ev, EXIT_STORY_HEAD_SIZE, 0, &r), 0, "accounting off");
	ASSERT_TRUE(!r.cost.has_delays && !r.cost.has_irq, "no delays without task->delays");
}

void test_split_cputime(void)
{
	uint64_t u, s;

	split_cputime(4000000, 0, 900000, &u, &s);
	ASSERT_TRUE(u == 900000 && s == 0, "all user");
	split_cputime(0, 4000000, 900000, &u, &s);
	ASSERT_TRUE(u == 0 && s == 900000, "all system");
	split_cputime(3, 1, 400, &u, &s);
	ASSERT_TRUE(u == 300 && s == 100, "ratio kept");
	split_cputime(3, 1, 0, &u, &s);
	ASSERT_TRUE(u == 3 && s == 1, "no runtime: the samples");
}

/* The path as the exec hook sends it: checked, never repaired. */
void test_exe_from_tail(void)
{
	char out[64];

	ASSERT_TRUE(exe_from_tail("/a", 3, out, sizeof(out)) && !strcmp(out, "/a"), "one name");
	ASSERT_TRUE(exe_from_tail("/usr/bin/sleep", 15, out, 15) && !strcmp(out, "/usr/bin/sleep"),
		    "exactly fits");
	ASSERT_TRUE(!exe_from_tail("/usr/bin/sleep", 15, out, 14), "too long for out");
	ASSERT_TRUE(!exe_from_tail("/a", 2, out, sizeof(out)), "unterminated");
	ASSERT_TRUE(!exe_from_tail("/a\0b", 5, out, sizeof(out)), "a NUL inside");
	ASSERT_TRUE(!exe_from_tail("a/b", 4, out, sizeof(out)), "relative");
	ASSERT_TRUE(!exe_from_tail("/", 2, out, sizeof(out)), "the root alone");
	ASSERT_TRUE(!exe_from_tail("/a//b", 6, out, sizeof(out)), "an empty name");
	ASSERT_TRUE(!exe_from_tail("/a/", 4, out, sizeof(out)), "an empty last name");
	ASSERT_TRUE(!exe_from_tail("", 0, out, sizeof(out)), "nothing");
}
