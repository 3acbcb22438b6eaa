// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btf_probe against a small hand-made BTF file with the kernel's layout. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "load/btf_probe.h"
#include "test.h"

#define INFO(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

static const char strs[] = "\0int\0task_struct\0btf_trace_sched_process_exit\0btf_trace_mark_victim";
#define S_INT 1
#define S_TASK 5
#define S_EXIT 17
#define S_OOM 46

static const uint32_t types[] = {
	/* 1 */ S_INT, INFO(1, 0), 4, 0x20,		/* int, 32 bits */
	/* 2 */ S_TASK, INFO(4, 0), 8,			/* struct task_struct {} */
	/* 3 */ 0, INFO(2, 0), 2,			/* struct task_struct * */
	/* 4 */ S_EXIT, INFO(8, 0), 5,			/* typedef btf_trace_... */
	/* 5 */ 0, INFO(2, 0), 6,			/* pointer to the proto */
	/* 6 */ 0, INFO(13, 3), 0, 0, 7, 0, 3, 0, 1,	/* void (void *, task *, int) */
	/* 7 */ 0, INFO(2, 0), 0,			/* void * */
	/* 8 */ S_OOM, INFO(8, 0), 9,			/* typedef btf_trace_mark_victim */
	/* 9 */ 0, INFO(2, 0), 6,			/* the same, deduplicated, proto */
};

static char *write_btf(void)
{
	static char path[32];
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len, type_off, type_len, str_off, str_len;
	} h = { 0xeb9f, 1, 0, 24, 0, sizeof(types), sizeof(types), sizeof(strs) };
	int fd = mkstemp(strcpy(path, "/tmp/exitsnoop-btf-XXXXXX"));
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		perror("write_btf");
		exit(1);
	}

	fwrite(&h, sizeof(h), 1, f);
	fwrite(types, sizeof(types), 1, f);
	fwrite(strs, sizeof(strs), 1, f);
	fclose(f);
	return path;
}

static void check_small_file(void)
{
	struct tp_proto tps[] = { { .name = "sched_process_exit" }, { .name = "mark_victim" },
				  { .name = "nonexistent" } };
	char *path = write_btf();

	ASSERT_EQ(btf_probe_tracepoints(path, tps, 3), 0, "parses");
	ASSERT_EQ(tps[0].nargs, 2, "exit: two arguments after __data");
	ASSERT_TRUE(tps[0].arg_is_ptr[0], "exit: task pointer");
	ASSERT_EQ(tps[0].btf_id, 4, "exit: the typedef's type id");
	ASSERT_EQ(tps[1].btf_id, 8, "mark_victim: the typedef's type id");
	ASSERT_TRUE(!tps[0].arg_is_ptr[1], "exit: int");
	ASSERT_EQ(tps[1].nargs, 2, "shared prototype");
	ASSERT_TRUE(tps[1].arg_is_ptr[0], "shared prototype: pointer");
	ASSERT_EQ(tps[2].nargs, -1, "missing tracepoint");
	unlink(path);
	ASSERT_TRUE(btf_probe_tracepoints(path, tps, 1) < 0, "missing file");
	ASSERT_TRUE(btf_probe_tracepoints("/proc/self/stat", tps, 1) < 0, "not BTF");
}

static void check_running_kernel(void)
{
	struct tp_proto tps[] = { { .name = "sched_process_exit" }, { .name = "signal_generate" } };

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		TEST_SKIP("kernel has no BTF to compare with");
		return;
	}
	ASSERT_EQ(btf_probe_tracepoints("/sys/kernel/btf/vmlinux", tps, 2), 0, "kernel BTF");
	ASSERT_TRUE(tps[0].nargs == 1 || tps[0].nargs == 2, "sched_process_exit args");
	ASSERT_TRUE(tps[0].arg_is_ptr[0], "sched_process_exit task");
	ASSERT_TRUE(tps[0].btf_id > 0, "sched_process_exit typedef id");
	ASSERT_EQ(tps[1].nargs, 5, "signal_generate args");
	ASSERT_TRUE(!tps[1].arg_is_ptr[0] && tps[1].arg_is_ptr[1] && tps[1].arg_is_ptr[2],
		    "signal_generate: int, siginfo *, task *");
}

/* Both ways of reading: mapped (v6.16+ sysfs, regular files) and streamed. */
void test_btf_probe(void)
{
	btf_probe_force_stream(false);
	check_small_file();
	btf_probe_force_stream(true);
	check_small_file();
	btf_probe_force_stream(false);
}

void test_btf_probe_running_kernel(void)
{
	btf_probe_force_stream(false);
	check_running_kernel();
	btf_probe_force_stream(true);
	check_running_kernel();
	btf_probe_force_stream(false);
}
