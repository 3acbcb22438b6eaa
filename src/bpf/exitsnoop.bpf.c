// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exitsnoop: one record per terminated process (or thread), decided in the
 * kernel, with the cause of a fatal signal joined in from signal_generate
 * and the OOM killer's mark_victim.
 *
 * Built twice from this file. By default the programs are BTF-typed
 * tracepoints (tp_btf, v5.5+): kernel pointers are read with plain loads,
 * which the verifier makes fault-safe. With EXITSNOOP_RAW_TP they are raw
 * tracepoints, for kernels without tp_btf: the same reads go through
 * bpf_probe_read_kernel() with CO-RE relocations. RD() hides the
 * difference.
 */
#include "bpf/core_types.bpf.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <linux/signal.h>
#include "bpf/exitsnoop.h"

#ifdef EXITSNOOP_RAW_TP
#define HOOK(tp) "raw_tp/" #tp
/* through a local: a CO-RE access chain must start at a kernel type, not at struct exiting */
#define RD(src, ...)                                  \
	({                                            \
		typeof(src) __rd_src = (src);         \
		BPF_CORE_READ(__rd_src, __VA_ARGS__); \
	})
#define RD_COMM(dst, task)                                    \
	({                                                    \
		typeof(task) __rd_task = (task);              \
		BPF_CORE_READ_INTO(&(dst), __rd_task, comm); \
	})
#else
#define HOOK(tp) "tp_btf/" #tp
#define RD(...) ARROW(__VA_ARGS__)
#define RD_COMM(dst, task) __builtin_memcpy(dst, (task)->comm, TASK_COMM_LEN)
#endif

/* ARROW(a, b, c) is a->b->c */
#define ARROW_N(_1, _2, _3, _4, _5, N, ...) N
#define ARROW(...) ARROW_N(__VA_ARGS__, ARROW5, ARROW4, ARROW3, ARROW2, ARROW1)(__VA_ARGS__)
#define ARROW1(a) (a)
#define ARROW2(a, b) (a)->b
#define ARROW3(a, b, c) (a)->b->c
#define ARROW4(a, b, c, d) (a)->b->c->d
#define ARROW5(a, b, c, d, e) (a)->b->c->d->e

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
 * know it). Seeded by user space with the root before it runs or while it
 * is traced; handle_fork adds every process a member forks; an entry goes
 * with its process's exit record. Preallocated: tracing programs may not
 * allocate on kernels before v6.1.
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
	u32 flags;		/* STORY_F_ARGS* and STORY_F_EXE */
	char data[TAIL_MAX];	/* argv, then the exe's path and its NUL */
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
 * record, with EXE_MAX bytes of slack after its data.
 */
struct proc_scratch {
	struct proc_info info;
	char path[2 * EXE_MAX];
};

struct story_scratch {
	struct exit_story_event ev;
	char slack[EXE_MAX];
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

/*
 * The exiting task and the three pointers every path reads from it, loaded
 * once at the hook's entry. Under tp_btf each pointer loaded from the
 * trusted task costs verifiers after 6.2 (6.12 and 6.18; not 6.1) linear
 * searches of the kernel's BTF for its __safe_trusted and __safe_rcu
 * tables, about 0.1 ms apiece, for every path that reaches the load:
 * loaded once, they are searched once.
 * who: the record's task for the comm and start time, the leader unless -T.
 */
struct exiting {
	struct task_struct *task;
	struct task_struct *leader;
	struct signal_struct *sig;
	struct task_struct *parent;
	struct task_struct *who;
	bool thread;		/* -T: a record per thread */
	bool last;		/* the process's last thread */
};

static __always_inline void exiting_init(struct exiting *x, struct task_struct *task)
{
	x->task = task;
	x->leader = RD(task, group_leader);
	x->sig = RD(task, signal);
	x->parent = RD(task, real_parent);
	/* pinned here: a load sunk into each branch is searched on each */
	barrier_var(x->leader);
	barrier_var(x->sig);
	barrier_var(x->parent);
	x->thread = cfg.per_thread;
	x->who = x->thread ? task : x->leader;
}

/* The process's start time: what causes, OOM marks and procs are keyed by. */
static __always_inline u64 proc_start(const struct exiting *x)
{
	return RD(x->leader, start_time);
}

/* The status wait() will return for the process: see wait_task_zombie(). */
static __always_inline u32 process_status(const struct exiting *x)
{
	if (RD(x->sig, flags) & SIGNAL_GROUP_EXIT)
		return RD(x->sig, group_exit_code);
	return RD(x->leader, exit_code);
}

/*
 * Was a SIGKILL the OOM killer's? full: the record has room for the
 * details; otherwise (--summary without -w) only the flag is set.
 */
static __always_inline void join_oom(struct exit_event *e, u64 proc_start, bool last, bool full)
{
	u32 tgid = e->pid;
	struct oom_entry *o;

	if (!cfg.oom || (e->status & 0x7f) != SIGKILL)
		return;
	o = bpf_map_lookup_elem(&ooms, &tgid);
	if (!o)
		return;
	if (o->start_ns == proc_start) {
		if (full) {
			e->cause.oom_rss_pages = o->rss_pages;
			e->cause.oom_memcg_id = o->memcg_id;
		}
		e->flags |= EXIT_F_OOM | o->flags;
	}
	if (last)
		bpf_map_delete_elem(&ooms, &tgid);
}

static __always_inline void join_cause(struct exit_event *e, u64 proc_start, bool last)
{
	u32 sig = e->status & 0x7f;
	u32 tgid = e->pid;
	struct cause_entry *c;

	c = bpf_map_lookup_elem(&causes, &tgid);
	if (c && c->start_ns == proc_start && c->cause.sig == sig) {
		e->cause = c->cause;
		e->flags |= EXIT_F_CAUSE | c->flags;
	}
	if (c && last)
		bpf_map_delete_elem(&causes, &tgid);
	join_oom(e, proc_start, last, true);
}

/*
 * A wakeup is an irq_work self-IPI, a VM exit under a hypervisor. While
 * records flow the reader drains on its own timer, so records go without
 * one; once it sleeps, the kernel's default wakes it exactly when it has
 * caught up. A ring more than half full always wakes it.
 */
static __always_inline u64 wakeup_flag(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg.wake_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return reader_waiting ? 0 : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill(struct exit_event *e, const struct exiting *x, u32 status)
{
	e->ts_ns = bpf_ktime_get_ns();
	e->start_ns = RD(x->who, start_time);
	e->pid = RD(x->task, tgid);
	e->tid = RD(x->task, pid);
	e->ppid = RD(x->parent, tgid);
	e->status = status;
	e->flags = x->thread ? EXIT_F_THREAD : 0;
	e->uid = (u32)bpf_get_current_uid_gid();
	RD_COMM(e->comm, x->who);
}

/*
 * Only signal deaths can carry a cause: everything else stays small.
 * full: the record has room for the cause, and gets it.
 */
static __always_inline bool wants_cause(u32 status)
{
	return cfg.why && (status & 0x7f);
}

static __always_inline void fill_joined(struct exit_event *e, const struct exiting *x, u32 status,
					bool full)
{
	fill(e, x, status);
	if (!full) {
		join_oom(e, proc_start(x), x->last, false);
		return;
	}
	__builtin_memset(&e->cause, 0, sizeof(e->cause));
	/* causes are keyed by the process: its leader's start time */
	join_cause(e, proc_start(x), x->last);
}

/* No: not in the traced tree. Yes: perhaps (the map says). */
static __always_inline bool may_be_traced(u32 tgid)
{
	return tree_hint[tgid % TREE_HINT_SLOTS] != 0;
}

static __always_inline bool is_traced(u32 tgid)
{
	return may_be_traced(tgid) && bpf_map_lookup_elem(&traced, &tgid);
}

/*
 * Is the task's process in the traced tree? Its last exit takes it out,
 * whatever the other filters then decide. (Pre-6.16, two threads that
 * both see themselves last: the second finds no entry, and with -T its
 * record is not made.)
 */
static __always_inline bool in_tree(const struct exiting *x)
{
	u32 tgid = RD(x->task, tgid);
	u64 *start;

	if (!may_be_traced(tgid))
		return false;
	start = bpf_map_lookup_elem(&traced, &tgid);
	if (!start)
		return false;
	if (*start && *start != proc_start(x))
		return false; /* a stale entry: the PID is someone else's now */
	if (x->last && !bpf_map_delete_elem(&traced, &tgid))
		__sync_fetch_and_add(&tree_hint[tgid % TREE_HINT_SLOTS], -1);
	return true;
}

/* --signal and --code: one set of statuses, fatal signals or these codes. */
static __always_inline bool status_wanted(u32 status)
{
	u32 code = (status >> 8) & 0xff;

	if (status & 0x7f)
		return cfg.signal_only;
	return cfg.codes_set && (cfg.codes[code >> 6] >> (code & 63)) & 1;
}

/* --comm: an exact match of the name the record carries. */
static __always_inline bool comm_wanted(const struct exiting *x)
{
	union {
		char s[TASK_COMM_LEN];
		u64 w[2];
	} c;
	u32 i;

	RD_COMM(c.s, x->who);
#pragma unroll
	for (i = 0; i < COMM_FILTER_MAX; i++) {
		if (i >= cfg.ncomm)
			break;
		if ((c.w[0] & cfg.comm_mask[i][0]) == cfg.comm_val[i][0] &&
		    (c.w[1] & cfg.comm_mask[i][1]) == cfg.comm_val[i][1])
			return true;
	}
	return false;
}

/*
 * -p names a PID as its caller sees it. From inside a PID namespace that
 * is not the host's: the exiting task is current here, and
 * bpf_get_ns_current_pid_tgid() (v5.7, b4490c5c4e02) gives its PID in the
 * caller's namespace.
 */
static __always_inline bool is_target(struct task_struct *task)
{
	struct bpf_pidns_info ns;

	if (!cfg.pidns_ino)
		return RD(task, tgid) == cfg.tgid;
	if (bpf_get_ns_current_pid_tgid(cfg.pidns_dev, cfg.pidns_ino, &ns, sizeof(ns)))
		return false;
	return ns.tgid == cfg.tgid;
}

/*
 * The filters every record passes, cheapest first, before any map is
 * updated: the status is what -x decides on and what the record carries.
 * Outside a traced tree an exit costs one lookup. last: the process's
 * last thread.
 */
static __always_inline bool wanted(const struct exiting *x, u32 *status)
{
	if (cfg.tgid && !is_target(x->task))
		return false;
	if (cfg.tree && !in_tree(x))
		return false;
	if (cfg.uid_set && (u32)bpf_get_current_uid_gid() != cfg.uid)
		return false;
	if (cfg.cgroup && !bpf_current_task_under_cgroup(&cgroup_filter, 0))
		return false;
	*status = x->thread ? RD(x->task, exit_code) : process_status(x);
	if (cfg.failed_only && *status == 0)
		return false;
	if ((cfg.signal_only || cfg.codes_set) && !status_wanted(*status))
		return false;
	return !cfg.ncomm || comm_wanted(x);
}

/*
 * The record goes through the ring buffer, or a perf buffer where the
 * kernel has no ring (cfg.perfbuf), built on the stack and copied. Each
 * path reserves a constant size, as the verifier wants.
 */
static __always_inline int output(void *ctx, struct exit_event *e, u32 size)
{
	if (bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, e, size))
		__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

/* get_mm_rss(): file, anon and shmem pages. */
static __always_inline u64 mm_rss_pages(struct mm_struct *mm)
{
	struct mm_struct___old *old;
	s64 n;

	if (!mm)
		return 0;
	/*
	 * A field test, not bpf_core_type_exists(struct mm_rss_stat): a type
	 * missing from vmlinux sends libbpf's loader to the module BTFs, whose
	 * listing needs CAP_SYS_ADMIN. mm_struct is always there.
	 */
	if (bpf_core_field_exists(struct mm_struct___old, rss_stat)) {
		old = (void *)mm;
		n = BPF_CORE_READ(old, rss_stat.count[MM_FILEPAGES].counter) +
		    BPF_CORE_READ(old, rss_stat.count[MM_ANONPAGES].counter) +
		    BPF_CORE_READ(old, rss_stat.count[MM_SHMEMPAGES].counter);
	} else {
		n = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count) +
		    BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count) +
		    BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	}
	return n > 0 ? n : 0;
}

/*
 * The tgid as the process's own PID namespace numbers it:
 * thread_pid->numbers[thread_pid->level].nr. Read with probe reads in
 * both builds: the index is variable.
 */
static __always_inline u32 ns_tgid(struct task_struct *leader)
{
	struct pid *pid = BPF_CORE_READ(leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	u32 nr = 0;

	if (!pid || level >= MAX_PID_NS_LEVEL)
		return 0;
	bpf_probe_read_kernel(&nr, sizeof(nr),
			      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
				      level * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, nr));
	return nr;
}

/*
 * What the process (or, with -T, the thread) used, as getrusage() adds
 * it up for a reaped child (RUSAGE_BOTH, without its reaped children):
 * signal_struct holds the threads already released; the exiting thread
 * and a zombie group leader hold their own until release_task().
 */
static __always_inline void fill_story(struct exit_story *s, const struct exiting *x)
{
	struct task_struct *task = x->task, *leader = x->leader;
	struct signal_struct *sig = x->sig;
	/* probe reads: each typed walk would cost the verifier a BTF search */
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	u64 hiwater, rss;

	s->utime_ns = RD(task, utime);
	s->stime_ns = RD(task, stime);
	s->runtime_ns = RD(task, se.sum_exec_runtime);
	s->minflt = RD(task, min_flt);
	s->majflt = RD(task, maj_flt);
	s->nvcsw = RD(task, nvcsw);
	s->nivcsw = RD(task, nivcsw);
	if (!x->thread) {
		s->utime_ns += RD(sig, utime);
		s->stime_ns += RD(sig, stime);
		s->runtime_ns += RD(sig, sum_sched_runtime);
		s->minflt += RD(sig, min_flt);
		s->majflt += RD(sig, maj_flt);
		s->nvcsw += RD(sig, nvcsw);
		s->nivcsw += RD(sig, nivcsw);
		if (leader != task) {
			s->utime_ns += RD(leader, utime);
			s->stime_ns += RD(leader, stime);
			s->runtime_ns += RD(leader, se.sum_exec_runtime);
			s->minflt += RD(leader, min_flt);
			s->majflt += RD(leader, maj_flt);
			s->nvcsw += RD(leader, nvcsw);
			s->nivcsw += RD(leader, nivcsw);
		}
	}
	/*
	 * Before v6.16 the mm is gone and its high-water mark already folded
	 * into signal->maxrss (do_exit(), group_dead); from v6.16 the hook
	 * fires first, and the mm is still there to read.
	 */
	s->maxrss_pages = RD(sig, maxrss);
	if (mm) {
		hiwater = BPF_CORE_READ(mm, hiwater_rss);
		rss = mm_rss_pages(mm);
		if (rss > hiwater)
			hiwater = rss;
		if (hiwater > s->maxrss_pages)
			s->maxrss_pages = hiwater;
	}
	s->cgroup_id = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	s->gid = bpf_get_current_uid_gid() >> 32;
	s->ns_pid = ns_tgid(leader);
}

/*
 * What the exe path walk reads of a dentry and of a mount. Both lie
 * together in the kernel's structs (5.10 to 6.18 alike; a little-endian
 * qstr has its hash, then its len): one probe read each where the
 * kernel's BTF says they still do, a read per field where it does not.
 */
struct dentry_head {
	void *hash_next;
	void *hash_pprev;	/* NULL: unhashed */
	struct dentry *parent;
	u32 hash;
	u32 len;
	const unsigned char *name;
};

struct mount_head {
	struct mount *parent;
	struct dentry *mountpoint;
	struct dentry *root;	/* mnt.mnt_root */
};

#define DENTRY_OFF(f) (bpf_core_field_offset(struct dentry, f) - \
		       bpf_core_field_offset(struct dentry, d_hash))
#define DENTRY_HEAD_FITS                                                                  \
	(DENTRY_OFF(d_hash.pprev) == __builtin_offsetof(struct dentry_head, hash_pprev) &&  \
	 DENTRY_OFF(d_parent) == __builtin_offsetof(struct dentry_head, parent) &&          \
	 DENTRY_OFF(d_name.len) == __builtin_offsetof(struct dentry_head, len) &&           \
	 DENTRY_OFF(d_name.name) == __builtin_offsetof(struct dentry_head, name))
#define MOUNT_OFF(f) (bpf_core_field_offset(struct mount, f) - \
		      bpf_core_field_offset(struct mount, mnt_parent))
#define MOUNT_HEAD_FITS                                                                   \
	(MOUNT_OFF(mnt_mountpoint) == __builtin_offsetof(struct mount_head, mountpoint) &&  \
	 MOUNT_OFF(mnt.mnt_root) == __builtin_offsetof(struct mount_head, root))

/* 0, or non-zero if it could not be read */
static __always_inline long read_dentry(struct dentry *d, struct dentry_head *h)
{
	if (DENTRY_HEAD_FITS)
		return bpf_probe_read_kernel(h, sizeof(*h),
					     (void *)d + bpf_core_field_offset(struct dentry, d_hash));
	h->hash_pprev = BPF_CORE_READ(d, d_hash.pprev);
	h->parent = BPF_CORE_READ(d, d_parent);
	h->len = BPF_CORE_READ(d, d_name.len);
	h->name = BPF_CORE_READ(d, d_name.name);
	return !h->parent;
}

static __always_inline long read_mount(struct mount *m, struct mount_head *h)
{
	if (MOUNT_HEAD_FITS)
		return bpf_probe_read_kernel(h, sizeof(*h),
					     (void *)m + bpf_core_field_offset(struct mount, mnt_parent));
	h->parent = BPF_CORE_READ(m, mnt_parent);
	h->mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
	h->root = BPF_CORE_READ(m, mnt.mnt_root);
	return !h->parent;
}

/*
 * The path of file as d_path() makes it for readlink(/proc/PID/exe): its
 * names from the file up to the root of its mount namespace, crossing
 * mount points, prepended one by one from the end of w (2 * EXE_MAX
 * bytes). Returns the path's offset in w; it runs to the NUL at
 * w[EXE_MAX - 1]. EXE_MAX if there is none to give: the file was deleted
 * (d_path() would add " (deleted)"), the path is longer than EXE_MAX - 1
 * bytes or deeper than EXE_DEPTH steps, a read failed, or a name changed
 * while read.
 *
 * Made for the verifier of every kernel from 5.10: each step is a mount
 * crossing or one name, the name's offset is masked into [0, EXE_MAX) and
 * read with a constant size, so after the first name the offset looks the
 * same to it at every step, whatever mix of names and mounts came before:
 * its states do not multiply, and its work grows by about 250
 * instructions a step (the step count itself keeps steps apart). The
 * real bound (the name fits in front of what is there) is a comparison
 * the verifier need not understand. h is always d's, m always mnt's.
 */
static __always_inline u64 exe_path(struct file *file, char *w)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *vmnt = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = (void *)vmnt - bpf_core_field_offset(struct mount, mnt);
	u64 pos = EXE_MAX - 1, len; /* 64-bit: each bound check is the verifier's too */
	struct dentry_head h;
	struct mount_head m;
	long n;
	u32 i;

	if (!d || !vmnt || read_dentry(d, &h) || read_mount(mnt, &m))
		return EXE_MAX;
	if (!h.hash_pprev && h.parent != d)
		return EXE_MAX; /* d_unlinked(): deleted, or never in the dcache */
	for (i = 0; i < EXE_DEPTH; i++) {
		if (d == m.root) {
			if (!m.parent)
				return EXE_MAX; /* never so: a failed read */
			if (m.parent == mnt)
				break; /* the root of its namespace, or of a detached tree */
			d = m.mountpoint;
			mnt = m.parent;
			if (read_dentry(d, &h) || read_mount(mnt, &m))
				return EXE_MAX;
			continue;
		}
		if (!h.parent)
			return EXE_MAX;
		if (h.parent == d)
			break; /* outside its mount's tree: d_path() stops there too */
		len = h.len;
		if (len == 0 || len > EXE_MAX - 1 || len >= pos)
			return EXE_MAX;
		pos = (pos - len - 1) & (EXE_MAX - 1);
		w[pos] = '/';
		/* the name and its NUL, over the '/' of the name after it */
		n = bpf_probe_read_kernel_str(w + pos + 1, EXE_MAX, h.name);
		if (n != len + 1)
			return EXE_MAX;
		w[pos + 1 + len] = '/';
		d = h.parent;
		if (read_dentry(d, &h))
			return EXE_MAX;
	}
	if (i == EXE_DEPTH || pos == EXE_MAX - 1)
		return EXE_MAX;
	w[EXE_MAX - 1] = '\0';
	return pos;
}

/*
 * argv and the executable of current, whose mm this is, into info->data:
 * argv at 0 (cut at ARGS_MAX), then the path of mm->exe_file (exe_path())
 * with its NUL. The path is made first, while nothing else is known to the
 * verifier, so that the argv's cases do not multiply its loop's states.
 */
static __always_inline void collect(struct mm_struct *mm, struct proc_scratch *buf)
{
	unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
	struct file *file = BPF_CORE_READ(mm, exe_file);
	struct proc_info *info = &buf->info;
	u64 len = 0, pos = EXE_MAX; /* 64-bit, so that each bound check is the verifier's too */
	u32 flags = 0;
	long n;

	if (file && cfg.exe)
		pos = exe_path(file, buf->path);
	if (end > start && end - start < (1 << 20)) {
		len = end - start;
		if (len > ARGS_MAX) {
			len = ARGS_MAX;
			flags |= STORY_F_ARGS_TRUNC;
		}
		barrier_var(len);
		if (len > ARGS_MAX || bpf_probe_read_user(info->data, len, (void *)start))
			len = 0, flags = 0;
		else
			flags |= STORY_F_ARGS;
	}
	info->args_len = len;
	info->exe_len = 0;
	barrier_var(len);
	if (pos >= EXE_MAX || len > ARGS_MAX)
		goto out;
	/* data has EXE_MAX bytes after ARGS_MAX: room for the longest path */
	n = bpf_probe_read_kernel_str(info->data + len, EXE_MAX, buf->path + pos);
	if (n == EXE_MAX - pos) {
		info->exe_len = n;
		flags |= STORY_F_EXE;
	}
out:
	info->flags = flags;
}

/*
 * The process's argv and exe into the record's tail, from the copy its
 * exec left; the entry goes with the process's last exit. (Reading the
 * live mm at exit, possible from v6.16, would put the path walk's loop
 * into this program, where the paths before it multiply the verifier's
 * work past its limit.)
 */
static __always_inline u64 story_tail(struct exit_story_event *r, const struct exiting *x)
{
	struct proc_key key = { .tgid = r->e.pid };
	struct proc_info *info;
	u64 len; /* 64-bit: a zero-extension would hide the bound from the verifier */

	key.start_ns = proc_start(x);
	info = bpf_map_lookup_elem(&procs, &key);
	if (!info)
		return 0;
	len = info->args_len + info->exe_len;
	barrier_var(len);
	if (len > TAIL_MAX || bpf_probe_read_kernel(r->tail, len, info->data))
		len = 0;
	/* the element was reused for another process while copied */
	if (info->tgid != key.tgid || info->start_ns != key.start_ns)
		len = 0;
	if (len) {
		r->s.args_len = info->args_len;
		r->s.exe_len = info->exe_len;
		r->s.flags = info->flags;
	}
	if (x->last)
		bpf_map_delete_elem(&procs, &key);
	return len;
}

/* An exit the filters dropped: only its process's entry to forget. */
static __always_inline void forget(const struct exiting *x)
{
	struct proc_key key = {};

	if (!cfg.args)
		return;
	key.tgid = RD(x->task, tgid);
	key.start_ns = proc_start(x);
	bpf_map_delete_elem(&procs, &key);
}

/*
 * A record with the story: built in per-CPU scratch, since its tail
 * varies in length, and copied into whichever transport is in use.
 */
static __always_inline int emit_story(void *ctx, const struct exiting *x, u32 status)
{
	struct exit_story_event *r;
	u32 zero = 0;
	u64 len = 0;
	long err;

	r = bpf_map_lookup_elem(&story_buf, &zero);
	if (!r)
		return 0;
	fill(&r->e, x, status);
	r->e.flags |= EXIT_F_STORY;
	__builtin_memset(&r->e.cause, 0, sizeof(r->e.cause));
	if (wants_cause(status))
		join_cause(&r->e, proc_start(x), x->last);
	__builtin_memset(&r->s, 0, sizeof(r->s));
	fill_story(&r->s, x);
	if (cfg.args)
		len = story_tail(r, x);
	barrier_var(len);
	if (len > TAIL_MAX)
		len = 0;
	if (cfg.perfbuf)
		err = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, r,
					    EXIT_STORY_HEAD_SIZE + len);
	else
		err = bpf_ringbuf_output(&events, r, EXIT_STORY_HEAD_SIZE + len, wakeup_flag());
	if (err)
		__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

static __always_inline int emit_perf(void *ctx, const struct exiting *x, u32 status)
{
	bool full = wants_cause(status);
	struct exit_event e;

	fill_joined(&e, x, status, full);
	if (!full)
		return output(ctx, &e, EXIT_EVENT_BASE_SIZE);
	return output(ctx, &e, EXIT_EVENT_FULL_SIZE);
}

/* story: a compile-time constant, so that each exit program holds one kind of record */
static __always_inline int emit(void *ctx, const struct exiting *x, u32 status, bool story)
{
	struct exit_event *e;

	if (story)
		return emit_story(ctx, x, status);
	if (cfg.perfbuf)
		return emit_perf(ctx, x, status);
	if (!wants_cause(status)) {
		e = bpf_ringbuf_reserve(&events, EXIT_EVENT_BASE_SIZE, 0);
		if (!e)
			goto lost;
		fill_joined(e, x, status, false);
	} else {
		e = bpf_ringbuf_reserve(&events, EXIT_EVENT_FULL_SIZE, 0);
		if (!e)
			goto lost;
		fill_joined(e, x, status, true);
	}
	bpf_ringbuf_submit(e, wakeup_flag());
	return 0;
lost:
	__sync_fetch_and_add(&stats.lost, 1);
	return 0;
}

/*
 * TP_PROTO(struct task_struct *p), before v6.16. do_exit() has already
 * decremented signal->live, so the last thread sees 0; but a thread that
 * decremented earlier can also see 0 by the time it gets here, so each
 * process (tgid + start time) is reported once. Filters come first: an
 * exit they reject costs no map update.
 *
 * Was the process already reported by another thread that saw live == 0?
 * Two threads can race only while both are unreleased: a thread leaves
 * signal->nr_threads in release_task(), after this tracepoint. So a thread
 * that finds itself the only one (a single-threaded process, by far the
 * common case: fork storms, shells) only looks up the map, for a racer
 * already released; threads that see others claim the process with an
 * insert, which one of them wins. The map then holds only the rare
 * multi-threaded races, and inserts stay off the common path (an LRU
 * insert that evicts costs about a microsecond under a fork storm).
 */
static __always_inline bool reported_before(const struct exiting *x, struct proc_key *key)
{
	u8 one = 1;

	if (RD(x->sig, nr_threads) <= 1)
		return bpf_map_lookup_elem(&reported, key) != NULL;
	return bpf_map_update_elem(&reported, key, &one, BPF_NOEXIST) != 0;
}

/*
 * Pre-6.16 only: was the process's last exit already another thread's?
 * Then this thread's record, if -T wants one, is not the process's last;
 * without -T there is nothing to report.
 */
static __always_inline bool claimed_before(struct exiting *x)
{
	struct proc_key key = {};

	if (!cfg.compat || !x->last)
		return false;
	key.tgid = RD(x->task, tgid);
	key.start_ns = proc_start(x);
	if (!reported_before(x, &key))
		return false;
	x->last = false;
	return !x->thread;
}

/*
 * TP_PROTO(struct task_struct *p, bool group_dead), v6.16+ (3e816361e94a
 * "sched/tracepoints: Move and extend the sched_process_exit() tracepoint"):
 * group_dead is true for the last thread of the group, the moment the
 * process ends. Before, TP_PROTO(struct task_struct *p) and signal->live
 * (cfg.compat). ctx[1] is read by hand, only where it exists. One path for
 * both hooks: each instruction is one more CO-RE relocation for libbpf.
 */
static __always_inline int on_exit(u64 *ctx, bool story)
{
	struct exiting x;
	u32 status;

	exiting_init(&x, (void *)ctx[0]);
	if (cfg.compat)
		x.last = RD(x.sig, live.counter) == 0;
	else
		x.last = ctx[1];
	if (!x.thread && !x.last)
		return 0;
	if (!wanted(&x, &status)) {
		if (x.last)
			forget(&x);
		return 0;
	}
	if (claimed_before(&x))
		return 0;
	return emit(ctx, &x, status, story);
}

/*
 * Two programs on the one hook; the tracer attaches one. Records with the
 * story (-j, -a, -r, --container) read a dozen more kernel types: kept out
 * of the plain program, they cost a table's start nothing (the libbpf
 * loader relocates, and the verifier walks, only what a program holds).
 */
SEC(HOOK(sched_process_exit))
int handle_exit(u64 *ctx)
{
	if (cfg.story)
		return 0;
	return on_exit(ctx, false);
}

SEC(HOOK(sched_process_exit))
int handle_exit_story(u64 *ctx)
{
	if (!cfg.story)
		return 0;
	return on_exit(ctx, true);
}

/*
 * TP_PROTO(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm):
 * after a successful exec, in the new image (p is current). Keeps argv and
 * the executable for the exit record (cfg.args). A non-leader thread that
 * execs takes over its leader's start time (de_thread()), so the key is
 * the one the exit will look up.
 */
SEC(HOOK(sched_process_exec))
int handle_exec(u64 *ctx)
{
	struct task_struct *task = (void *)ctx[0];
	struct proc_scratch *buf;
	struct proc_info *info;
	struct proc_key key = {};
	u32 zero = 0;

	if (!cfg.args)
		return 0;
	key.tgid = RD(task, tgid);
	if (cfg.tgid && !is_target(task)) /* current: the task that exec'd */
		return 0;
	if (cfg.cgroup && !bpf_current_task_under_cgroup(&cgroup_filter, 0))
		return 0;
	buf = bpf_map_lookup_elem(&proc_buf, &zero);
	if (!buf)
		return 0;
	info = &buf->info;
	key.start_ns = RD(task, group_leader, start_time);
	info->tgid = key.tgid;
	info->start_ns = key.start_ns;
	collect(BPF_CORE_READ(task, mm), buf);
	bpf_map_update_elem(&procs, &key, info, BPF_ANY);
	return 0;
}

/*
 * Signals whose default action neither terminates nor dumps core. Their
 * numbers come from the target architecture's UAPI headers (SIGCHLD is 17
 * on x86 and arm64, 18 on mips).
 */
#define SIGBIT(s) (1ULL << ((s) & 63))
#define HARMLESS_SIGNALS                                                                  \
	(SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) |           \
	 SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))

/* The UAPI siginfo layout: stable ABI, so fixed offsets are safe here. */
struct siginfo_head {
	int si_signo;
	int si_errno;
	int si_code;
	int pad;
	u64 field0; /* _kill: pid | uid << 32; _sigfault: addr */
};

/*
 * TP_PROTO(int sig, struct kernel_siginfo *info, struct task_struct *task,
 *          int group, int result). current is the sender; for faults and
 * self-inflicted signals it is also the target. info may be one of the
 * kernel's special values SEND_SIG_NOINFO (0) or SEND_SIG_PRIV (1).
 */
SEC(HOOK(signal_generate))
int BPF_PROG(handle_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	struct task_struct *cur, *sender;
	struct cause_entry ent;
	struct siginfo_head si;
	u32 tgid;

	/* filters first: a SIGCHLD comes with every exit */
	if (!cfg.why)
		return 0;
	if (result != TRACE_SIGNAL_DELIVERED || sig <= 0 || sig > 64)
		return 0;
	if (SIGBIT(sig) & HARMLESS_SIGNALS)
		return 0;
	tgid = RD(task, tgid);
	/* in a PID namespace the exit hook filters; causes are joined by host tgid */
	if (cfg.tgid && !cfg.pidns_ino && tgid != cfg.tgid)
		return 0;
	if (cfg.tree && !is_traced(tgid))
		return 0;

	/*
	 * The sender through probe reads, under tp_btf too: its typed twin
	 * bpf_get_current_task_btf() is v5.11 (3ca1032ab7ab), and a fatal
	 * signal is rare enough for the reads not to matter.
	 */
	cur = (struct task_struct *)bpf_get_current_task();
	__builtin_memset(&ent, 0, sizeof(ent));
	ent.start_ns = RD(task, group_leader, start_time);
	ent.cause.sig = sig;
	ent.cause.sender_pid = BPF_CORE_READ(cur, tgid);
	ent.cause.sender_uid = (u32)bpf_get_current_uid_gid();
	sender = BPF_CORE_READ(cur, group_leader);
	BPF_CORE_READ_INTO(&ent.cause.sender_comm, sender, comm);
	if ((unsigned long)info <= 1) {
		ent.flags = EXIT_F_SIGINFO_NONE;
		ent.cause.si_code = info ? SI_KERNEL : SI_USER;
	} else {
		bpf_probe_read_kernel(&si, sizeof(si), info);
		ent.cause.si_code = si.si_code;
		if (si.si_code > 0 && si.si_code != SI_KERNEL)
			ent.cause.addr = si.field0;
	}
	bpf_map_update_elem(&causes, &tgid, &ent, BPF_ANY);
	return 0;
}

/*
 * The memory cgroup whose limit caused the OOM: the nearest one, from the
 * victim up, whose usage is at its limit. A global OOM finds none.
 */
static __always_inline u64 oom_memcg_id(struct task_struct *task, u32 *flags)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	unsigned long max;
	s64 usage;
	int id, i;

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	css = BPF_CORE_READ(task, cgroups, subsys[id & 15]);
	for (i = 0; i < MAX_MEMCG_DEPTH && css; i++) {
		memcg = (void *)css - bpf_core_field_offset(struct mem_cgroup, css);
		usage = BPF_CORE_READ(memcg, memory.usage.counter);
		max = BPF_CORE_READ(memcg, memory.max);
		/* the failed charge left usage within a charge batch of max */
		if (max < (1UL << 50) && usage + 64 + (max >> 5) >= max) {
			*flags |= EXIT_F_OOM_MEMCG;
			return BPF_CORE_READ(css, cgroup, kn, id);
		}
		css = BPF_CORE_READ(css, parent);
	}
	return 0;
}

/*
 * TP_PROTO(struct task_struct *task, uid_t uid) since v6.9 (72ba14deb40a
 * "mm: update mark_victim tracepoints fields"), and in stable kernels that
 * took it (6.6, 6.1, 5.10: Debian's 5.10.262 and 6.1.176 have it); before,
 * int pid, and cfg.oom_task is off.
 */
SEC(HOOK(mark_victim))
int handle_mark_victim(u64 *ctx)
{
	struct oom_entry ent = {};
	struct task_struct *task;
	u32 tgid;

	if (!cfg.oom || !cfg.oom_task)
		return 0;
	task = (void *)ctx[0];
	tgid = RD(task, tgid);
	if (cfg.tgid && !cfg.pidns_ino && tgid != cfg.tgid)
		return 0;
	if (cfg.tree && !is_traced(tgid))
		return 0;
	ent.start_ns = RD(task, group_leader, start_time);
	ent.rss_pages = mm_rss_pages(BPF_CORE_READ(task, mm));
	ent.memcg_id = oom_memcg_id(task, &ent.flags);
	bpf_map_update_elem(&ooms, &tgid, &ent, BPF_ANY);
	return 0;
}

/*
 * TP_PROTO(struct task_struct *parent, struct task_struct *child): a
 * process forked by a member of the traced tree is a member, entered
 * before the child first runs (the tracepoint precedes wake_up_new_task),
 * so none of its exits can be missed. A new thread (same tgid) is not a
 * new process. Attached only with -- CMD and --tree.
 */
SEC(HOOK(sched_process_fork))
int handle_fork(u64 *ctx)
{
	struct task_struct *parent = (void *)ctx[0];
	struct task_struct *child = (void *)ctx[1];
	u32 ptgid, tgid;
	u64 start;
	long err;

	if (!cfg.tree)
		return 0;
	ptgid = RD(parent, tgid);
	if (!is_traced(ptgid))
		return 0;
	tgid = RD(child, tgid);
	if (tgid == ptgid)
		return 0;
	start = RD(child, start_time);
	err = bpf_map_update_elem(&traced, &tgid, &start, BPF_NOEXIST);
	if (!err)
		__sync_fetch_and_add(&tree_hint[tgid % TREE_HINT_SLOTS], 1);
	else if (err != -EEXIST || bpf_map_update_elem(&traced, &tgid, &start, BPF_EXIST))
		__sync_fetch_and_add(&stats.untracked, 1); /* full */
	/* EEXIST: a stale entry of a reused PID, replaced; the hint counts it already */
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
