/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record the BPF program hands to user space, one per termination.
 * Shared by both sides: fixed-width UAPI types only, largest first, no
 * implicit padding. Includers provide <linux/types.h> first.
 */
#ifndef __EXITSNOOP_H
#define __EXITSNOOP_H

#define TASK_COMM_LEN 16

/* Bits of exit_event.flags. */
enum exit_event_flags {
	EXIT_F_THREAD = 1 << 0,	     /* per-thread record, not the process's */
	EXIT_F_CAUSE = 1 << 1,	     /* cause_* fields are valid */
	EXIT_F_OOM = 1 << 2,	     /* oom_* fields are valid: the OOM killer chose it */
	EXIT_F_OOM_MEMCG = 1 << 3,   /* the OOM was confined to a memory cgroup */
	EXIT_F_SIGINFO_NONE = 1 << 4, /* kernel sent the signal without siginfo */
};

/*
 * Where the fatal signal came from, as seen when it was generated
 * (signal:signal_generate). Decided in user space from these raw facts.
 */
struct exit_cause {
	__u64 addr;		 /* si_addr for faults */
	__u32 sender_pid;	 /* tgid of the task that was current at generation */
	__u32 sender_uid;	 /* its real uid */
	__s32 si_code;		 /* siginfo si_code */
	__u32 sig;		 /* signal number generated */
	char sender_comm[TASK_COMM_LEN];
	__u64 oom_rss_pages;	 /* anon + file + shmem pages of the victim at the kill */
	__u64 oom_memcg_id;	 /* cgroup id (kernfs id) of the memcg that hit its limit */
};

struct exit_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() at exit: CLOCK_MONOTONIC */
	__u64 start_ns;		/* task start time (process: group leader's), CLOCK_MONOTONIC */
	__u32 pid;		/* tgid */
	__u32 tid;		/* the thread that exited (last one for a process record) */
	__u32 ppid;		/* real parent's tgid at exit */
	__u32 status;		/* raw wait status, as wait() sees it */
	__u32 flags;		/* enum exit_event_flags */
	__u32 uid;		/* real uid of the exiting task */
	char comm[TASK_COMM_LEN];
	struct exit_cause cause; /* present only in records of EXIT_EVENT_FULL_SIZE */
};

/* Records without a cause stop before it: smaller ring-buffer footprint. */
#define EXIT_EVENT_BASE_SIZE __builtin_offsetof(struct exit_event, cause)
#define EXIT_EVENT_FULL_SIZE sizeof(struct exit_event)

/* Counters in .bss, read by user space. */
struct exit_stats {
	__u64 lost;		/* ring buffer was full: records dropped */
};

#endif /* __EXITSNOOP_H */
