// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of a tp_btf program on sched_process_exit: one that does
 * nothing. bpf_stats' run time of this program is what any program there
 * pays before doing its first instruction of work.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

SEC("tp_btf/sched_process_exit")
int empty_exit(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
