// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel abilities, by trying them: see probe.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "load/probe.h"

static long sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* The attribute size this header knows; older kernels see trailing zeroes. */
static int try_load(union bpf_attr *attr)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	attr->insns = (__u64)(unsigned long)ret0;
	attr->insn_cnt = sizeof(ret0) / sizeof(ret0[0]);
	attr->license = (__u64)(unsigned long)"GPL";
	fd = (int)sys_bpf(BPF_PROG_LOAD, attr, sizeof(*attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int probe_light_loader(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SYSCALL;
	attr.prog_flags = BPF_F_SLEEPABLE; /* syscall programs must be */
	/* no relocations, but a record size: non-zero bytes past v5.16's attr */
	attr.core_relo_rec_size = sizeof(struct bpf_core_relo);
	return try_load(&attr);
}

int probe_ringbuf(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.max_entries = (__u32)sysconf(_SC_PAGESIZE);
	fd = (int)sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int probe_tp_btf(unsigned int btf_id)
{
	union bpf_attr attr;

	if (!btf_id)
		return -ENOENT;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_TRACING;
	attr.expected_attach_type = BPF_TRACE_RAW_TP;
	attr.attach_btf_id = btf_id;
	return try_load(&attr);
}

int probe_find_vma(void)
{
	static const struct bpf_insn call[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_find_vma },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[512] = "";
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	attr.insns = (__u64)(unsigned long)call;
	attr.insn_cnt = sizeof(call) / sizeof(call[0]);
	attr.license = (__u64)(unsigned long)"GPL";
	attr.log_buf = (__u64)(unsigned long)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EINVAL && errno != EACCES)
		return -errno; /* no privilege, no memory: the kernel could not say */
	if (strstr(log, "invalid func") || strstr(log, "unknown func"))
		return -EOPNOTSUPP;
	return 0;
}

int probe_array_map(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = sizeof(__u32);
	attr.value_size = sizeof(__u32);
	attr.max_entries = 1;
	fd = (int)sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

bool probe_unsupported(int err)
{
	switch (-err) {
	case EINVAL:	/* an unknown type, attach type, helper or flag */
	case E2BIG:	/* attributes past the end of what the kernel knows, not zero */
	case ENOENT:	/* no attach target (tp_btf: no BTF id) */
	case EOPNOTSUPP:
	case ENOTSUPP_KERNEL:
		return true;
	default:	/* EPERM, EACCES, ENOMEM, EMFILE...: the kernel could not say */
		return false;
	}
}
