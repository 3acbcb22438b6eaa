/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The transports' side in the kernel: when a ring-buffer record wakes the
 * reader, and the perf buffer's copy where the kernel has no ring.
 */
#ifndef __SUBMIT_BPF_H
#define __SUBMIT_BPF_H

/*
 * A wakeup is an irq_work self-IPI, a VM exit under a hypervisor. While
 * records flow the reader drains on its own timer (up to 200 ms), so
 * records go without one; once it sleeps, the kernel's default wakes it
 * exactly when it has caught up. A ring more than half full always wakes
 * it, and so does a kill by a memory cgroup's OOM: the kill often ends a
 * container whose runtime removes the cgroup at once, and a memcg the OOM
 * program could not name (deeper than 12 levels, longer than 255 bytes)
 * is named by its id as user space reads the record. Rare; read it now.
 * flags: the record's exit_event flags.
 */
static __always_inline u64 wakeup_flag(u32 flags)
{
	if (flags & EXIT_F_OOM_MEMCG)
		return BPF_RB_FORCE_WAKEUP;
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg.wake_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return reader_waiting ? 0 : BPF_RB_NO_WAKEUP;
}

/* A record built elsewhere, copied into the ring; flags: its exit_event flags. */
static __always_inline long ring_output(void *data, u32 size, u32 flags)
{
	return bpf_ringbuf_output(&events, data, size, wakeup_flag(flags));
}

/*
 * The record goes through the ring buffer, or a perf buffer where the
 * kernel has no ring (cfg.perfbuf), built on the stack and copied. Each
 * path reserves a constant size, as the verifier wants.
 */
static __always_inline int perf_output(void *ctx, struct exit_event *e, u32 size)
{
	if (bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, e, size))
		__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

#endif /* __SUBMIT_BPF_H */
