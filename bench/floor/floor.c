// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * floor: loads and attaches the empty program, prints "ready" and its
 * program id, and keeps it attached until stdin reaches EOF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "floor.lskel.h"

int main(void)
{
	struct floor_bpf *skel = floor_bpf__open_and_load();
	struct bpf_prog_info info = {};
	union bpf_attr attr = {};
	char c;

	if (!skel || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach: %s\n", strerror(errno));
		return 1;
	}
	attr.info.bpf_fd = skel->progs.empty_exit.prog_fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (unsigned long)&info;
	if (skel_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) < 0)
		return 1;
	printf("ready %u\n", info.id);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	floor_bpf__destroy(skel);
	return 0;
}
