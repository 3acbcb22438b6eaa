/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The cost group (-j): what the process read and wrote (/proc/PID/io, and
 * getrusage()'s inblock and oublock) and what it waited for (the run delay
 * of sched_info, and delay accounting), summed over the same threads as its
 * rusage. A counter the kernel's configuration leaves out is found missing
 * by field existence and flagged, so that user space says null, not 0.
 */
#ifndef __COST_BPF_H
#define __COST_BPF_H

/* One task's I/O, as task_io_accounting_add() and accumulate_thread_rusage() add it. */
static __always_inline void cost_task_io(struct exit_cost *c, struct task_struct *t)
{
	u64 rd, wr;

	if (bpf_core_field_exists(struct task_io_accounting, rchar)) {
		c->rchar += RD(t, ioac.rchar);
		c->wchar += RD(t, ioac.wchar);
		c->syscr += RD(t, ioac.syscr);
		c->syscw += RD(t, ioac.syscw);
	}
	if (!bpf_core_field_exists(struct task_io_accounting, read_bytes))
		return;
	rd = RD(t, ioac.read_bytes);
	wr = RD(t, ioac.write_bytes);
	c->read_bytes += rd;
	c->write_bytes += wr;
	c->cancelled_write_bytes += RD(t, ioac.cancelled_write_bytes);
	/* task_io_get_inblock(): shifted per thread, then summed */
	c->inblock += rd >> 9;
	c->oublock += wr >> 9;
}

/* The threads already released: __exit_signal() folded them into signal_struct. */
static __always_inline void cost_released_io(struct exit_cost *c, struct signal_struct *sig)
{
	c->inblock += RD(sig, inblock);
	c->oublock += RD(sig, oublock);
	if (bpf_core_field_exists(struct task_io_accounting, rchar)) {
		c->rchar += RD(sig, ioac.rchar);
		c->wchar += RD(sig, ioac.wchar);
		c->syscr += RD(sig, ioac.syscr);
		c->syscw += RD(sig, ioac.syscw);
	}
	if (bpf_core_field_exists(struct task_io_accounting, read_bytes)) {
		c->read_bytes += RD(sig, ioac.read_bytes);
		c->write_bytes += RD(sig, ioac.write_bytes);
		c->cancelled_write_bytes += RD(sig, ioac.cancelled_write_bytes);
	}
}

/*
 * One task's delays. The kernel keeps none for released threads (only
 * taskstats' listeners get them), so a process's are its last thread's
 * and its main thread's. task->delays is allocated at fork only while
 * kernel.task_delayacct is 1: a task without it clears COST_F_DELAYS.
 */
static __always_inline void cost_task_delays(struct exit_cost *c, struct task_struct *t)
{
	struct task_delay_info *d;

	if (bpf_core_field_exists(struct task_struct, sched_info))
		c->run_delay_ns += RD(t, sched_info.run_delay);
	if (!bpf_core_field_exists(struct task_struct, delays))
		return;
	d = RD(t, delays);
	if (!d) {
		c->flags &= ~COST_F_DELAYS;
		return;
	}
	c->blkio_delay_ns += RD(d, blkio_delay);
	c->swapin_delay_ns += RD(d, swapin_delay);
	c->freepages_delay_ns += RD(d, freepages_delay);
	c->thrashing_delay_ns += RD(d, thrashing_delay);
	if (bpf_core_field_exists(struct task_delay_info, compact_delay))
		c->compact_delay_ns += RD(d, compact_delay);
	if (bpf_core_field_exists(struct task_delay_info, wpcopy_delay))
		c->wpcopy_delay_ns += RD(d, wpcopy_delay);
	if (bpf_core_field_exists(struct task_delay_info, irq_delay))
		c->irq_delay_ns += RD(d, irq_delay);
}

/* What this kernel's build keeps at all, told by field existence. */
static __always_inline u32 cost_kept(void)
{
	u32 f = COST_F_FILLED;

	if (bpf_core_field_exists(struct task_io_accounting, rchar))
		f |= COST_F_XACCT;
	if (bpf_core_field_exists(struct task_io_accounting, read_bytes))
		f |= COST_F_IO;
	if (bpf_core_field_exists(struct task_struct, sched_info))
		f |= COST_F_RUN_DELAY;
	if (!bpf_core_field_exists(struct task_struct, delays))
		return f;
	f |= COST_F_DELAYS;
	if (bpf_core_field_exists(struct task_delay_info, compact_delay))
		f |= COST_F_COMPACT;
	if (bpf_core_field_exists(struct task_delay_info, wpcopy_delay))
		f |= COST_F_WPCOPY;
	if (bpf_core_field_exists(struct task_delay_info, irq_delay))
		f |= COST_F_IRQ;
	return f;
}

/* c is zeroed by the caller; the same threads as fill_story()'s rusage. */
static __always_inline void fill_cost(struct exit_cost *c, const struct exiting *x)
{
	c->flags = cost_kept();
	cost_task_io(c, x->task);
	cost_task_delays(c, x->task);
	if (x->thread)
		return;
	cost_released_io(c, x->sig);
	if (x->leader == x->task)
		return;
	cost_task_io(c, x->leader);
	cost_task_delays(c, x->leader);
}

#endif /* __COST_BPF_H */
