// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The metrics file's life in a session: see exporter.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "lib/clock.h"
#include "lib/escape.h"
#include "metrics/exporter.h"
#include "lib/log.h"
#include "metrics/metrics.h"
#include "metrics/metrics_file.h"

struct exporter {
	struct metrics *metrics;
	struct metrics_file file;
	int timer_fd;
	bool failing;		/* the last write failed and was reported */
	char *buf;		/* the rendering, kept between writes */
	size_t buflen;
};

static uint64_t now_s(void)
{
	return clock_ns(CLOCK_MONOTONIC) / NSEC_PER_SEC;
}

static int open_timer(int interval_s)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = interval_s },
		.it_value = { .tv_sec = interval_s },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		close(fd);
		return -errno;
	}
	return fd;
}

struct exporter *exporter_open(const char *path, int interval_s, bool containers, char *err,
			       size_t errlen)
{
	struct exporter *e = calloc(1, sizeof(*e));
	int saved;

	if (!e) {
		snprintf(err, errlen, "--metrics-file: out of memory");
		return NULL;
	}
	e->timer_fd = e->file.dirfd = -1;
	e->metrics = metrics_new();
	if (!e->metrics || (containers && metrics_count_containers(e->metrics))) {
		snprintf(err, errlen, "--metrics-file: out of memory");
		goto fail;
	}
	if (metrics_file_open(&e->file, path, err, errlen))
		goto fail;
	e->timer_fd = open_timer(interval_s);
	if (e->timer_fd < 0) {
		snprintf(err, errlen, "--metrics-interval: timer: %s", strerror(-e->timer_fd));
		goto fail;
	}
	return e;
fail:
	saved = errno; /* the caller tells out of descriptors from the rest */
	exporter_close(e);
	errno = saved;
	return NULL;
}

int exporter_timer_fd(const struct exporter *e)
{
	return e->timer_fd;
}

int exporter_dir_fd(const struct exporter *e)
{
	return e->file.dirfd;
}

void exporter_record(struct exporter *e, const struct exit_record *rec)
{
	metrics_record(e->metrics, rec, now_s());
}

/* Renders into e->buf, reusing its memory; the length or -errno. */
static ssize_t render(struct exporter *e)
{
	FILE *f;

	free(e->buf);
	e->buf = NULL;
	f = open_memstream(&e->buf, &e->buflen);
	if (!f)
		return -errno;
	metrics_render(e->metrics, f, EXITSNOOP_VERSION);
	if (fclose(f))
		return -errno;
	return (ssize_t)e->buflen;
}

/* The file's name for a message: escaped, it may hold any byte. */
static const char *shown_name(const struct exporter *e)
{
	return escape_shown(e->file.name, strlen(e->file.name), SHOWN_MAX);
}

int exporter_write(struct exporter *e, uint64_t lost)
{
	uint64_t expirations;
	ssize_t len;
	int ret;

	if (read(e->timer_fd, &expirations, sizeof(expirations)) < 0) {
		/* EAGAIN: not due, a write at the start or the end */
	}
	metrics_set_lost(e->metrics, lost);
	metrics_expire(e->metrics, now_s());
	len = render(e);
	ret = len < 0 ? (int)len : metrics_file_write(&e->file, e->buf, (size_t)len);
	if (ret != 0 && !e->failing && !log_out_of_fds(-ret))
		log_error("--metrics-file: cannot write %s: %s", shown_name(e), strerror(-ret));
	else if (!ret && e->failing)
		log_error("--metrics-file: %s written again", shown_name(e));
	e->failing = ret != 0;
	return ret;
}

void exporter_close(struct exporter *e)
{
	if (!e)
		return;
	if (e->timer_fd >= 0)
		close(e->timer_fd);
	metrics_file_close(&e->file);
	metrics_free(e->metrics);
	free(e->buf);
	free(e);
}
