/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The program's state: the frozen settings, the counters and flags user
 * space maps, and every map, each with what it is for.
 */
#ifndef __MAPS_BPF_H
#define __MAPS_BPF_H

/* Kernel-internal values, not UAPI: include/linux/sched/signal.h, include/trace/events/signal.h */
#define SIGNAL_GROUP_EXIT 0x00000004
#define TRACE_SIGNAL_DELIVERED 0
#define EEXIST 17
#define MAX_MEMCG_DEPTH 16
#define CAUSE_ENTRIES 16384
#define TRACED_ENTRIES 16384
#define PROC_ENTRIES 7168
#define MAX_PID_NS_LEVEL 32

/* See struct exitsnoop_cfg: set by user space before load, then frozen. */
const volatile struct exitsnoop_cfg cfg = { .wake_bytes = 1 << 19 };

struct exit_stats stats = {};
/* Written by the reader: 1 while it sleeps waiting for a wakeup. */
__u32 reader_waiting = 0;
/* See TREE_HINT_SLOTS; user space adds its seeds atomically through the mapped .bss. */
__u32 tree_hint[TREE_HINT_SLOTS] = {};

/*
 * The BPF ring buffer, v5.8 (457f44363a88 "bpf: Implement BPF ring buffer
 * and verifier support for it"). Where the kernel has none, user
 * space turns this map into a one-entry array, which every kernel can
 * create: its only users are pruned with cfg.perfbuf.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by user space */
} events SEC(".maps");

/* The transport before v5.8: a perf buffer per CPU (v4.4, a43eec304259). */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} cgroup_filter SEC(".maps");

/* Keyed by tgid; start_ns guards against PID reuse. */
struct cause_entry {
	u64 start_ns;
	u32 flags;
	u32 pad;
	struct exit_cause cause;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CAUSE_ENTRIES);
	__type(key, u32);
	__type(value, struct cause_entry);
} causes SEC(".maps");

struct oom_entry {
	u64 start_ns;
	u64 rss_pages;
	u64 memcg_id;
	u32 flags;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct oom_entry);
} ooms SEC(".maps");

/*
 * -- CMD and --tree: the processes of the traced tree, by tgid, with their
 * start time against PID reuse (0 when user space put it in and could not
 * know it: only for a process alive then, which keeps its PID until its
 * exit takes the entry out; the first fork of such a member writes its
 * start time). Seeded by user space with the root before it runs or while
 * it is traced; handle_fork adds every process a member forks; an entry
 * goes with its process's exit record. Preallocated: tracing programs may
 * not allocate on kernels before v6.1.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TRACED_ENTRIES);
	__type(key, u32);
	__type(value, u64);
} traced SEC(".maps");

/* Kernels without group_dead: processes already reported, see claimed_before(). */
struct proc_key {
	u32 tgid;
	u32 pad;
	u64 start_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct proc_key);
	__type(value, u8);
} reported SEC(".maps");

/*
 * argv and executable of each process, copied at its exec (cfg.args),
 * keyed by tgid and start time like the records. LRU: when the table is
 * full the least recently used entry goes, and that process's args and
 * exe come out null. The key is kept in the value as well: an LRU element
 * can be reused while it is being copied, and a copy whose key changed
 * under it is dropped rather than sent.
 */
struct proc_info {
	u32 tgid;
	u32 pad;
	u64 start_ns;
	u16 args_len;
	u16 exe_len;
	u32 flags;		/* STORY_F_* */
	/* lineage (cfg.lineage): the exec's file, with STORY_F_EXE_ID */
	u64 exe_ino;
	u32 exe_dev;
	u32 exe_pad;
	char data[TAIL_MAX];	/* argv, then the exe's path (or memfd name) and its NUL */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PROC_ENTRIES);
	__type(key, struct proc_key);
	__type(value, struct proc_info);
} procs SEC(".maps");

/*
 * Per-CPU scratch, too large for the stack: the exec hook's proc_info and
 * the exe's path while it is built (see exe_path()), and the exit hook's
 * record, with slack after its data for the last ancestor's entry at
 * the largest offset the verifier allows (see ancestors()).
 */
struct proc_scratch {
	struct proc_info info;
	char path[2 * EXE_MAX];
};

/* slack: for the verifier's bound on the tail, and a crash after it */
struct story_scratch {
	struct exit_story_event ev;
	char slack[EXE_MAX + sizeof(struct exit_crash)]; /* >= 2 * EXE_MAX too */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct proc_scratch);
} proc_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct story_scratch);
} story_buf SEC(".maps");

/* The cgroup mkdir hook's record, built here: its path varies in length. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct cgroup_name_event);
} cgname_buf SEC(".maps");

/*
 * Where it crashed (-w, -j): per process, the fault's IP and mappings
 * from signal_generate until the exit's record takes them. Few faults
 * are between the two at once; an evicted one leaves its record without.
 */
#define CRASH_ENTRIES 256

struct crash_entry {
	u64 start_ns;
	u64 addr;	/* si_addr */
	u32 sig;
	u32 tid;	/* the faulting thread */
	/* the fault address's mapping: the IP's file's inode, to know it again */
	u64 ip_inode;
	struct exit_crash crash;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, CRASH_ENTRIES);
	__type(key, u32);
	__type(value, struct crash_entry);
} crashes SEC(".maps");

/*
 * Per-CPU scratch, too large for the stack: the entry being made, a
 * plain record with the crash after it, and the paths while walked.
 */
struct crash_record {
	struct exit_event e;
	struct exit_crash c;
};

struct crash_scratch {
	struct crash_entry ent;
	struct crash_record rec;
	char path[2 * EXE_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct crash_scratch);
} crash_buf SEC(".maps");

/* This CPU's crash scratch: every crash hook and callback builds in it. */
static __always_inline struct crash_scratch *crash_scratch(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&crash_buf, &zero);
}

#endif /* __MAPS_BPF_H */
