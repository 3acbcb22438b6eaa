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
	EXIT_F_STORY = 1 << 5,	     /* a struct exit_story_event: story and tail follow */
	EXIT_F_CGROUP_NAME = 1 << 6, /* not an exit: a struct cgroup_name_event */
	/* where it crashed: a struct exit_crash ends the record */
	EXIT_F_CRASH = 1 << 7,
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

/* Bits of exit_story.flags. */
enum exit_story_flags {
	STORY_F_ARGS = 1 << 0,	     /* args_len bytes of argv are in the tail */
	STORY_F_ARGS_TRUNC = 1 << 1, /* argv was longer than ARGS_MAX: cut */
	STORY_F_EXE = 1 << 2,	     /* exe_len bytes of the exe's path follow the argv */
	/* lineage (-j): what the exec table knew of the executable */
	STORY_F_MEMFD = 1 << 3,	     /* ... they are the memfd's name ("memfd:foo"), not a path */
	STORY_F_ENTRY = 1 << 4,	     /* the exec table had the process: its exec was seen */
	STORY_F_EXE_ID = 1 << 5,     /* exit_lineage's exe_dev and exe_ino are the exec's file */
	STORY_F_EXE_GONE = 1 << 6,   /* that file was unlinked (or a memfd) already at the exec */
};

/*
 * The argv kept per process (its last exec) and the executable's absolute
 * path as readlink(/proc/PID/exe) shows it, NUL-terminated (exe_len counts
 * the NUL): at most EXE_MAX - 1 bytes, found within EXE_DEPTH steps up the
 * directories and mount points. A path that does not fit is not sent at
 * all: no wrong path. EXE_MAX is a power of two (the BPF side masks
 * offsets with it) and covers a name of NAME_MAX (255) bytes and its NUL.
 */
#define ARGS_MAX 1024
#define EXE_MAX 256
#define EXE_DEPTH 32
#define TAIL_MAX (ARGS_MAX + EXE_MAX)

/*
 * Where it crashed (-w, -j): a fault the kernel raised in the process
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS), as seen at
 * signal_generate. Bits of exit_crash.flags say what was found.
 */
enum exit_crash_flags {
	CRASH_F_IP = 1 << 0,		/* ip: the user instruction pointer */
	CRASH_F_IP_BUILD_ID = 1 << 1,	/* build_id and bid_offset: from the stack helper */
	CRASH_F_IP_FILE = 1 << 2,	/* ip_start, ip_pgoff: the IP's file mapping */
	CRASH_F_IP_PATH = 1 << 3,	/* ip_path: that file's path */
	CRASH_F_ADDR_SAME = 1 << 4,	/* the fault address is in the IP's mapping */
	CRASH_F_MAPS = 1 << 5,		/* the VMA lookup was made */
	/* the fault address's own mapping, looked up at the exit hook (addr_map.bpf.h) */
	CRASH_F_ADDR_LOOKED = 1 << 8,	/* that lookup was made */
	CRASH_F_ADDR_FILE = 1 << 9,	/* addr_start, addr_pgoff: a file mapping */
	CRASH_F_ADDR_PATH = 1 << 10,	/* addr_path: that file's path */
	CRASH_F_ADDR_IP_FILE = 1 << 11,	/* ... the IP's own file: its path and build ID */
	CRASH_F_ADDR_HEAP = 1 << 12,	/* not a file: the brk heap ([heap]) */
	CRASH_F_ADDR_ANON = 1 << 13,	/* not a file: other memory (anonymous, the stack) */
	/*
	 * Tried again at the exit hook (6.16+, addr_map.bpf.h): at the signal
	 * another BPF program held the mmap lock's release (crash.bpf.h).
	 */
	CRASH_F_IP_REFUSED = 1 << 16,	/* the IP's VMA lookup was refused: still to make */
	CRASH_F_BID_RETRIED = 1 << 17,	/* the build ID was asked again */
};

/*
 * The IP's mapping comes from two places: the stack helper's build ID
 * and file offset (every kernel), and the VMA lookup (bpf_find_vma, 5.17,
 * at signal_deliver) for its path and start. The path is EXE_MAX bytes at
 * most with its NUL, made as the exe's is (exe_path()). The path last:
 * the part before it is all that is cleared. The fault address's own
 * mapping, where not the IP's, from a lookup at the exit hook where the
 * mm is still there (6.16+), after it.
 */
struct exit_crash {
	__u64 ip;
	__u64 bid_offset;	/* the IP's offset in its file, by the stack helper */
	__u64 ip_start;		/* vm_start of the IP's mapping */
	__u64 ip_pgoff;		/* its vm_pgoff: file offset in pages */
	__u32 flags;		/* enum exit_crash_flags */
	__u8 build_id[20];	/* GNU build ID, zero-padded */
	char ip_path[EXE_MAX];
	/*
	 * The fault address's mapping where it is not the IP's: valid under
	 * its flags only (the head above is all that is cleared).
	 */
	__u64 addr_start;	/* vm_start of the address's file mapping */
	__u64 addr_pgoff;	/* its vm_pgoff */
	char addr_path[EXE_MAX];
};

#define EXIT_CRASH_HEAD_SIZE __builtin_offsetof(struct exit_crash, ip_path)

/*
 * What the process was and what it cost, for -j and the opt-in table
 * columns. CPU times are the kernel's raw sums: tick-sampled user and
 * system time, and the precise runtime that getrusage() splits in their
 * ratio (cputime_adjust()); user space does the split.
 */
struct exit_story {
	__u64 utime_ns;		/* task utime sums (process: all its threads) */
	__u64 stime_ns;
	__u64 runtime_ns;	/* se.sum_exec_runtime sums: the precise total */
	__u64 maxrss_pages;	/* peak resident set (signal->maxrss, mm high-water) */
	__u64 minflt;
	__u64 majflt;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 cgroup_id;	/* cgroup v2 id (kernfs node id) */
	__u32 gid;		/* real gid */
	__u32 ns_pid;		/* the tgid in the process's own PID namespace */
	__u16 args_len;		/* argv bytes at the start of the tail */
	__u16 exe_len;		/* the exe's path after them, with its NUL */
	__u32 flags;		/* enum exit_story_flags */
};

/*
 * Lineage (-j, --ancestors): who started the process, and what it ran
 * when its path says nothing. The ancestors follow the argv and exe in
 * the tail, nearest first, each a struct exit_ancestor and its exe's path
 * (exe_len bytes with the NUL, then zeros up to a multiple of 8).
 */
#define ANC_DEPTH 8		/* ancestors at most */
#define ANC_MAX 4096		/* their bytes at most (a power of two: masks) */

/* Bits of exit_lineage.flags. */
enum exit_lineage_flags {
	LIN_F_BOOTTIME = 1 << 0,     /* start_boottime_ns is the kernel's */
	LIN_F_EXE_LIVE = 1 << 1,     /* the exe's unlink was checked at exit: GONE is the truth */
	LIN_F_EXE_GONE = 1 << 2,     /* ... and it was unlinked (or a memfd) */
	LIN_F_ANCESTORS = 1 << 3,    /* the ancestors were walked (anc_count may be 0) */
};

struct exit_lineage {
	__u64 start_boottime_ns; /* the task's start, CLOCK_BOOTTIME (start_boottime) */
	__u64 exe_ino;		/* the exec's file: inode number */
	__u32 exe_dev;		/* and its superblock's dev_t, the kernel's (major << 20 | minor) */
	__u16 anc_len;		/* bytes of ancestors in the tail, after the argv and exe */
	__u8 anc_count;
	__u8 flags;		/* enum exit_lineage_flags */
};

/* Bits of exit_ancestor.flags. */
enum exit_ancestor_flags {
	ANC_F_ENTRY = 1 << 0,	     /* the exec table had it: its exec was seen */
	ANC_F_EXE = 1 << 1,	     /* exe_len bytes of its exe's path follow */
};

struct exit_ancestor {
	__u64 start_ns;		/* its start, CLOCK_MONOTONIC: with pid, which process */
	__u32 pid;		/* tgid, host PID namespace */
	__u16 exe_len;		/* its exe's path with the NUL; 0: not known */
	__u16 flags;		/* enum exit_ancestor_flags */
	char comm[TASK_COMM_LEN]; /* its group leader's */
};

#define ANC_STEP(exe_len) (sizeof(struct exit_ancestor) + (((exe_len) + 7u) & ~7u))

/*
 * The cost group (-j): what the process read, wrote and waited for, summed
 * over its threads as its parent's wait4() and /proc/PID/io sum them
 * (the threads already released, kept in signal_struct, the last thread and
 * a zombie main thread). Bits of exit_cost.flags say what the kernel keeps.
 */
enum exit_cost_flags {
	COST_F_XACCT = 1 << 0,	   /* rchar, wchar, syscr, syscw: CONFIG_TASK_XACCT */
	COST_F_IO = 1 << 1,	   /* the byte counts: CONFIG_TASK_IO_ACCOUNTING */
	COST_F_RUN_DELAY = 1 << 2, /* sched_info.run_delay: CONFIG_SCHED_INFO */
	COST_F_DELAYS = 1 << 3,	   /* task->delays: delay accounting on when it forked */
	COST_F_COMPACT = 1 << 4,   /* each delay field newer than the 5.5 floor */
	COST_F_WPCOPY = 1 << 5,
	COST_F_IRQ = 1 << 6,
	COST_F_FILLED = 1 << 7,	   /* the tracer asked (cfg.cost): the rest is valid */
};

struct exit_cost {
	__u64 inblock;		/* getrusage()'s: each thread's read_bytes >> 9, summed */
	__u64 oublock;		/* and write_bytes >> 9 */
	__u64 rchar;		/* /proc/PID/io's seven counters */
	__u64 wchar;
	__u64 syscr;
	__u64 syscw;
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 cancelled_write_bytes;
	__u64 run_delay_ns;	/* runnable, waiting for a CPU */
	__u64 blkio_delay_ns;	/* delay accounting (COST_F_DELAYS) from here on */
	__u64 swapin_delay_ns;
	__u64 freepages_delay_ns; /* memory reclaim */
	__u64 thrashing_delay_ns;
	__u64 compact_delay_ns;
	__u64 wpcopy_delay_ns;
	__u64 irq_delay_ns;
	__u32 flags;		/* enum exit_cost_flags */
	__u32 pad;
};

/*
 * A record with EXIT_F_STORY: its size is offsetof(tail) + args_len +
 * exe_len + anc_len, and sizeof(struct exit_crash) more with EXIT_F_CRASH.
 */
struct exit_story_event {
	struct exit_event e;	/* cause zeroed where there is none */
	struct exit_story s;
	struct exit_lineage l;	/* zeroed unless cfg.lineage */
	struct exit_cost c;	/* the cost group: zero unless cfg.cost */
	char tail[TAIL_MAX + ANC_MAX];
};

#define EXIT_STORY_HEAD_SIZE __builtin_offsetof(struct exit_story_event, tail)

/*
 * A cgroup's name, sent when the cgroup is made (cfg.cgroup_names), so
 * that user space knows the path of a cgroup that is gone by the time an
 * exit record naming it is read: a container's cgroup goes as soon as its
 * last process has exited. path is relative to the hierarchy's root, as
 * /proc/PID/cgroup shows it, NUL-terminated (path_len counts the NUL); a
 * path of CGROUP_NAME_MAX bytes or more is not sent. The flags sit where
 * struct exit_event has its own, which is how a reader tells the two apart.
 */
#define CGROUP_NAME_MAX 512
#define CGROUP_NAME_HEAD_SIZE 40

/* Bits of exitsnoop_cfg.cgroup_names: which hierarchies' new cgroups are named. */
enum cgroup_name_scope {
	CGNAME_V2 = 1 << 0,	/* cgroup v2: the record's cgroup (-j, --container) */
	CGNAME_MEMORY = 1 << 1,	/* the memory controller's: an OOM kill's memcg (-w) */
};

struct cgroup_name_event {
	__u64 id;		/* the cgroup's id (its kernfs node id) */
	__u64 pad0[2];
	__u32 hierarchy;	/* 0: cgroup v2; else the v1 hierarchy's id */
	__u32 path_len;
	__u32 flags;		/* EXIT_F_CGROUP_NAME, at exit_event.flags' offset */
	__u32 pad1;
	char path[CGROUP_NAME_MAX];
};

/*
 * Settings frozen in .rodata before load. The verifier reads them as
 * constants (v5.5, a23740ec43ba "bpf: Track contents of read-only maps as
 * scalars") and never visits the branches they disable, which is how one
 * object loads on every kernel: code for a hook argument, helper or map
 * type the kernel lacks is pruned before it is checked.
 */
/* --comm: at most this many names, compared in the kernel. */
#define COMM_FILTER_MAX 16

struct exitsnoop_cfg {
	__u64 wake_bytes;	/* ring fill that always wakes the reader */
	__u64 pidns_dev;	/* -p from inside a PID namespace: that namespace's */
	__u64 pidns_ino;	/*   nsfs device and inode; 0: the host's PIDs */
	__u32 tgid;		/* -p: only this process; 0 for all */
	__u32 uid;		/* --uid */
	__u32 ncomm;		/* --comm: names in comm_val[0..ncomm) */
	__u8 failed_only;	/* -x */
	__u8 per_thread;	/* -T */
	__u8 cgroup;		/* -c: cgroup_filter holds the cgroup */
	__u8 why;		/* -w/-j: signal_generate records causes */
	__u8 compat;		/* sched_process_exit has no group_dead (< v6.16) */
	__u8 oom_task;		/* mark_victim passes the task (v6.9+, stable backports) */
	__u8 perfbuf;		/* records go to the perf buffer, not the ring buffer */
	__u8 oom;		/* mark_victim records OOM kills (-w, -j, --summary) */
	__u8 tree;		/* -- CMD, --tree: only processes in the traced map */
	__u8 uid_set;		/* --uid: only exits of this real uid */
	__u8 signal_only;	/* --signal: fatal signals (with --code: or those codes) */
	__u8 codes_set;		/* --code: exits whose code is set in codes */
	__u8 story;		/* records carry struct exit_story */
	__u8 args;		/* ... and argv and exe: the exec hook keeps them */
	__u8 exe;		/* the exec hook walks the exe's path (see tracer.c) */
	__u8 cgroup_names;	/* enum cgroup_name_scope: new cgroups are named */
	__u8 lineage;		/* -j, --ancestors: struct exit_lineage and the ancestors */
	/* where it crashed */
	__u8 find_vma;		/* bpf_find_vma (5.17): the crash's mappings and paths */
	__u8 addr_map;		/* ... and the exit hook precedes exit_mm() (6.16): the address's */
	__u8 pad[1];
	__u64 codes[4];		/* --code: a bitmap of exit codes 0..255 */
	/*
	 * --comm NAME as two words, zero-padded, and a mask that covers the
	 * name and its terminating NUL: (comm & mask) == val is an exact match
	 * whatever follows the NUL in the kernel's buffer.
	 */
	__u64 comm_val[COMM_FILTER_MAX][2];
	__u64 comm_mask[COMM_FILTER_MAX][2];
	/* lineage: the caller's PID namespace when not the host's; the ancestors stop outside it */
	__u64 anc_pidns_ino;
	/* the cost group */
	__u8 cost;		/* -j: records carry struct exit_cost (I/O, delays) */
	__u8 cost_pad[7];
};

/*
 * The traced tree's hint (.bss): hint[tgid % TREE_HINT_SLOTS] counts the
 * traced map's entries in that slot. Zero means "not in the tree" for
 * one array load, where the hash lookup costs a cache and TLB miss.
 */
#define TREE_HINT_SLOTS 4096

/* Counters in .bss, read by user space. */
struct exit_stats {
	__u64 lost;		/* ring buffer was full: records dropped */
	__u64 untracked;	/* a traced process forked while the traced map was full */
};

#endif /* __EXITSNOOP_H */
