// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "load/privs.h"

#define CAP(n) (1ULL << (n))

/* Where the DaemonSet's profile is shipped; the package puts it beside the manifest. */
#define SHIPPED_PROFILE "contrib/kubernetes/exitsnoop-seccomp.json"

/* No command has this number: the kernel answers EINVAL after its own checks. */
#define BPF_CMD_NONE 0x7fffffff

const char *privs_missing(uint64_t eff)
{
	bool bpf = eff & CAP(CAP_BPF), perfmon = eff & CAP(CAP_PERFMON);

	if (eff & CAP(CAP_SYS_ADMIN) || (bpf && perfmon))
		return NULL;
	if (bpf)
		return "needs root, or CAP_BPF with CAP_PERFMON: CAP_PERFMON is missing";
	if (perfmon)
		return "needs root, or CAP_BPF with CAP_PERFMON: CAP_BPF is missing";
	return "needs root, or CAP_BPF with CAP_PERFMON";
}

uint64_t privs_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return data[0].effective | (uint64_t)data[1].effective << 32;
}

/* The number after "key:" at the start of a line of text; -1 if none. */
static int status_field(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, len) && p[len] == ':')
			return (int)strtol(p + len + 1, NULL, 10);
	}
	return -1;
}

void privs_parse_status(const char *status, struct privs_view *v)
{
	v->seccomp = status_field(status, "Seccomp");
	v->filters = status_field(status, "Seccomp_filters");
}

const char *privs_refusal(const struct privs_view *v, char *buf, size_t size)
{
	const char *missing = privs_missing(v->eff);

	if (missing)
		return missing;
	if (v->seccomp == 2 && v->bare_err == -EPERM) {
		if (v->filters > 0)
			snprintf(buf, size, "a seccomp filter refused bpf(2) (Seccomp_filters: %d): "
				 "run under a profile that allows it, such as " SHIPPED_PROFILE,
				 v->filters);
		else
			snprintf(buf, size, "a seccomp filter refused bpf(2): "
				 "run under a profile that allows it, such as " SHIPPED_PROFILE);
		return buf;
	}
	snprintf(buf, size, "refused although the capabilities are held%s: "
		 "a security module's policy, or capabilities of a user namespace only",
		 v->seccomp == 2 ? " and the seccomp filter allows bpf(2)" : "");
	return buf;
}

static void read_status(struct privs_view *v)
{
	char text[8192];
	ssize_t n = -1;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	text[n > 0 ? n : 0] = '\0';
	privs_parse_status(text, v);
}

int privs_bare_bpf(void)
{
	return syscall(__NR_bpf, BPF_CMD_NONE, NULL, 0) < 0 ? -errno : 0;
}

void privs_look(struct privs_view *v)
{
	v->eff = privs_effective();
	read_status(v);
	v->bare_err = privs_bare_bpf();
}
