/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few kernel types exitsnoop reads, declared for CO-RE instead of a
 * multi-megabyte vmlinux.h. Only the fields we touch are listed; libbpf
 * relocates every access against the running kernel's BTF at load time, so
 * a field that moved is found and a field that is gone fails the load
 * (caught by the end-to-end tests) rather than reading garbage.
 */
#ifndef __CORE_TYPES_BPF_H
#define __CORE_TYPES_BPF_H

#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;
typedef _Bool bool;
#define true 1
#define false 0

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic_long_t;

/*
 * The cost group (-j): I/O, delays. rchar..syscw need CONFIG_TASK_XACCT,
 * the byte counts CONFIG_TASK_IO_ACCOUNTING: each tested for existence.
 */
struct task_io_accounting {
	u64 rchar;
	u64 wchar;
	u64 syscr;
	u64 syscw;
	u64 read_bytes;
	u64 write_bytes;
	u64 cancelled_write_bytes;
};

/* CONFIG_SCHED_INFO: what /proc/PID/schedstat's second field shows */
struct sched_info {
	unsigned long long run_delay;
};

/* CONFIG_TASK_DELAY_ACCT; allocated only for tasks forked while it was on */
struct task_delay_info {
	u64 blkio_delay;
	u64 swapin_delay;
	u64 freepages_delay;
	u64 thrashing_delay;
	u64 compact_delay;	/* v5.19 */
	u64 wpcopy_delay;	/* v6.0 */
	u64 irq_delay;		/* v6.5 */
};

struct signal_struct {
	atomic_t live;		/* threads not yet through do_exit() */
	int nr_threads;		/* threads not yet released (release_task()) */
	unsigned int flags;	/* SIGNAL_GROUP_EXIT */
	int group_exit_code;	/* status of exit_group() or a fatal signal */
	/* usage of the threads already released (__exit_signal()) */
	u64 utime;
	u64 stime;
	u64 sum_sched_runtime;
	unsigned long nvcsw;
	unsigned long nivcsw;
	unsigned long min_flt;
	unsigned long maj_flt;
	unsigned long maxrss;	/* pages: mm high-water folded at exec and group exit */
	/* the cost group: what the threads already released did */
	unsigned long inblock;	/* sum of each thread's read_bytes >> 9 */
	unsigned long oublock;
	struct task_io_accounting ioac;
};

struct kernfs_node {
	u64 id;			/* cgroup id; inode number of the cgroupfs directory */
	const char *name;
	struct kernfs_node *parent;
};

/* From 6.15 (633488947ef6 "kernfs: Use RCU to access kernfs_node::parent"). */
struct kernfs_node___rcu {
	struct kernfs_node *__parent;
};

struct cgroup_root {
	unsigned int subsys_mask;	/* the controllers bound to the hierarchy */
	int hierarchy_id;		/* 0: cgroup v2 (the default hierarchy) */
};

struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
};

struct cgroup_subsys_state {
	struct cgroup *cgroup;
	struct cgroup_subsys_state *parent;
};

/* Zero-length arrays last: CO-RE takes them as flexible, and only there. */
struct css_set {
	struct cgroup *dfl_cgrp;	/* the cgroup v2 one */
	struct cgroup_subsys_state *subsys[0];
};

struct page_counter {
	atomic_long_t usage;	/* pages charged */
	unsigned long max;	/* limit in pages */
};

struct mem_cgroup {
	struct cgroup_subsys_state css;
	struct page_counter memory;
};

/* Since v6.2 (f1a7941243c1 "mm: convert mm's rss stats into percpu_counter") */
struct percpu_counter {
	s64 count;
};

/* len is in an anonymous struct inside a union: CO-RE finds it there */
struct qstr {
	u32 len;
	const unsigned char *name;
};

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
};

struct dentry {
	struct hlist_bl_node d_hash;	/* pprev NULL: unhashed (d_unhashed()) */
	struct dentry *d_parent;
	struct qstr d_name;
};

struct vfsmount {
	struct dentry *mnt_root;
};

/* fs/mount.h: the vfsmount's container, for crossing mount points */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* lineage: the executable's identity */
struct super_block {
	u32 s_dev;		/* dev_t: major << 20 | minor */
	unsigned long s_magic;
};

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct mm_struct {
	unsigned long hiwater_rss;
	unsigned long arg_start;
	unsigned long arg_end;
	struct file *exe_file;
	/* where it crashed: the brk heap's bounds, to name the fault address's mapping */
	unsigned long start_brk;
	unsigned long brk;
	struct percpu_counter rss_stat[0];	/* last: a zero-length array */
};

/* Before v6.2 */
struct mm_rss_stat {
	atomic_long_t count[0];
};

struct mm_struct___old {
	struct mm_rss_stat rss_stat;
};

struct sched_entity {
	u64 sum_exec_runtime;
};

struct ns_common {
	unsigned int inum;	/* what stat of /proc/PID/ns/pid gives as st_ino */
};

struct pid_namespace {
	unsigned int level;
	struct pid_namespace *parent;
	struct ns_common ns;
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;	/* depth of its PID namespace */
	struct upid numbers[1];
};

struct task_struct {
	int pid;
	int tgid;
	int exit_code;
	u64 start_time;		/* CLOCK_MONOTONIC ns (boot time is start_boottime) */
	u64 start_boottime;	/* CLOCK_BOOTTIME ns (v5.5; real_start_time before) */
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	char comm[16];
	struct signal_struct *signal;
	struct css_set *cgroups;
	struct mm_struct *mm;
	struct sched_entity se;
	u64 utime;
	u64 stime;
	unsigned long nvcsw;
	unsigned long nivcsw;
	unsigned long min_flt;
	unsigned long maj_flt;
	struct pid *thread_pid;
	/* the cost group */
	struct task_io_accounting ioac;
	struct sched_info sched_info;
	struct task_delay_info *delays;
};

/* where it crashed: what bpf_find_vma's callback reads of the mapping */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;	/* offset in the file, in pages */
	struct file *vm_file;	/* NULL: anonymous */
};

struct linux_binprm;
struct kernel_siginfo;

#pragma clang attribute pop

enum cgroup_subsys_id {
	memory_cgrp_id = 4,
};

enum mm_counter_type {
	MM_FILEPAGES = 0,
	MM_ANONPAGES = 1,
	MM_SHMEMPAGES = 3,
};

#endif /* __CORE_TYPES_BPF_H */
