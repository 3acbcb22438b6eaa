// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "event.h"
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
