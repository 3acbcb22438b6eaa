// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
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
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct perfbuf *p = ctx;

	int ret;

	/* size is padded to 8 bytes with the header: the decoder takes what it knows */
	ret = p->fn(p->ctx, data, size);
	p->handled++;
	/*
	 * libbpf's drain cannot be stopped, and what it hands over has left
	 * the ring: fn sees every record still (its own bounds count them),
	 * and its stop is returned at the end, as the ring buffer's walk does.
	 */
	if (ret < 0 && !p->stop)
		p->stop = ret;
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

int perfbuf_open(struct perfbuf **out, int map_fd, size_t total_size, ringbuf_fn fn, void *ctx)
{
	struct perfbuf *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->fn = fn;
	p->ctx = ctx;
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
	free(pb);
}
