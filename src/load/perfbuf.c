// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "bpf/exitsnoop.h"
#include "load/perfbuf.h"

/* A CPU's ring: at least this many pages, as libbpf-tools' default. */
#define MIN_PAGES 16

struct perfbuf {
	struct perf_buffer *pb;
	ringbuf_fn fn;
	void *ctx;
	int handled;
	int stop;		/* fn's first negative return in this drain, else 0 */
	uint64_t lost;
	/*
	 * The per-CPU rings keep no order between CPUs: a cgroup's name can
	 * sit in a ring read after the one with an exit from that cgroup. With
	 * names_first a drain hands over its names as they come and holds its
	 * other records (a size, then the bytes, 8-aligned) until the end.
	 */
	bool names_first;
	char *held;
	size_t held_len, held_cap;
};

static void deliver(struct perfbuf *p, void *data, __u32 size)
{
	int ret = p->fn(p->ctx, data, size);

	p->handled++;
	/*
	 * libbpf's drain cannot be stopped, and what it hands over has left
	 * the ring: fn sees every record still (its own bounds count them),
	 * and its stop is returned at the end, as the ring buffer's walk does.
	 */
	if (ret < 0 && !p->stop)
		p->stop = ret;
}

static bool is_name(const void *data, __u32 size)
{
	const struct exit_event *e = data;

	return size >= offsetof(struct exit_event, flags) + sizeof(e->flags) &&
	       (e->flags & EXIT_F_CGROUP_NAME);
}

#define HELD_STEP(size) ((sizeof(__u32) + (size) + 7) & ~(size_t)7)

/* 0, or -ENOMEM: then the record goes at once, out of order but not lost. */
static int hold(struct perfbuf *p, const void *data, __u32 size)
{
	size_t need = p->held_len + HELD_STEP(size), cap = p->held_cap ? p->held_cap : 65536;
	char *grown;

	while (cap < need)
		cap *= 2;
	if (cap != p->held_cap) {
		grown = realloc(p->held, cap);
		if (!grown)
			return -ENOMEM;
		p->held = grown;
		p->held_cap = cap;
	}
	memcpy(p->held + p->held_len, &size, sizeof(size));
	memcpy(p->held + p->held_len + sizeof(size), data, size);
	p->held_len = need;
	return 0;
}

static void deliver_held(struct perfbuf *p)
{
	size_t off = 0;
	__u32 size;

	while (off < p->held_len) {
		memcpy(&size, p->held + off, sizeof(size));
		deliver(p, p->held + off + sizeof(size), size);
		off += HELD_STEP(size);
	}
	p->held_len = 0;
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct perfbuf *p = ctx;

	/* size is padded to 8 bytes with the header: the decoder takes what it knows */
	if (p->names_first && !is_name(data, size) && !hold(p, data, size))
		return;
	deliver(p, data, size);
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct perfbuf *p = ctx;

	p->lost += cnt;
}

/* Pages per CPU: a power of two, the total split evenly, MIN_PAGES at least. */
static size_t pages_per_cpu(size_t total_size)
{
	long page = sysconf(_SC_PAGESIZE), cpus = libbpf_num_possible_cpus();
	size_t want = total_size / (size_t)page / (size_t)(cpus > 0 ? cpus : 1), n = MIN_PAGES;

	while (n * 2 <= want)
		n *= 2;
	return n;
}

int perfbuf_open(struct perfbuf **out, int map_fd, size_t total_size, ringbuf_fn fn, void *ctx,
		 bool names_first)
{
	struct perfbuf *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->fn = fn;
	p->ctx = ctx;
	p->names_first = names_first;
	p->pb = perf_buffer__new(map_fd, pages_per_cpu(total_size), on_sample, on_lost, p, NULL);
	if (!p->pb) {
		err = -errno;
		free(p);
		return err ? err : -EINVAL;
	}
	*out = p;
	return 0;
}

int perfbuf_epoll_fd(const struct perfbuf *pb)
{
	return perf_buffer__epoll_fd(pb->pb);
}

int perfbuf_consume(struct perfbuf *pb)
{
	int err;

	pb->handled = 0;
	pb->stop = 0;
	err = perf_buffer__consume(pb->pb);
	deliver_held(pb);
	if (err < 0)
		return err;
	return pb->stop ? pb->stop : pb->handled;
}

uint64_t perfbuf_lost(const struct perfbuf *pb)
{
	return pb->lost;
}

void perfbuf_close(struct perfbuf *pb)
{
	if (!pb)
		return;
	perf_buffer__free(pb->pb);
	free(pb->held);
	free(pb);
}
