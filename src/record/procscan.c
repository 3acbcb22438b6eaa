// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* argv and exe of the processes running at start: see procscan.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lib/clock.h"
#include "record/procscan.h"
#include "record/procstat.h"

#define PROCSCAN_MAX 65536	/* processes kept at most */

static ssize_t read_file(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	close(fd);
	return got;
}

/* The start time in clock ticks: field 22 of stat. */
static int stat_starttime(int dirfd, uint64_t *ticks)
{
	char buf[1024];
	ssize_t n = read_file(dirfd, "stat", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return procstat_field(buf, 22, ticks) ? 0 : -1;
}

static struct procscan_entry *slot(struct procscan *ps, uint32_t tgid)
{
	size_t i = (tgid * 2654435761u) & (ps->size - 1);

	while (ps->tab[i].tgid && ps->tab[i].tgid != tgid)
		i = (i + 1) & (ps->size - 1);
	return &ps->tab[i];
}

static int grow(struct procscan *ps)
{
	struct procscan_entry *old = ps->tab;
	size_t i, n = ps->size;

	ps->size = n ? n * 2 : 1024;
	ps->tab = calloc(ps->size, sizeof(*ps->tab));
	if (!ps->tab) {
		ps->tab = old;
		ps->size = n;
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (old[i].tgid)
			*slot(ps, old[i].tgid) = old[i];
	}
	free(old);
	return 0;
}

static void scan_one(struct procscan *ps, int procfd, const char *name, uint64_t scan_ticks)
{
	char args[ARGS_MAX + 1], exe[4096];
	struct procscan_entry *e;
	uint64_t ticks;
	ssize_t n, x;
	char *end;
	long tgid = strtol(name, &end, 10);
	int dirfd;

	if (*end || tgid <= 0)
		return;
	dirfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;
	/* one that started in the scan's own tick may be newer than the scan */
	if (stat_starttime(dirfd, &ticks) || ticks + 1 >= scan_ticks)
		goto out;
	n = read_file(dirfd, "cmdline", args, sizeof(args));
	x = readlinkat(dirfd, "exe", exe, sizeof(exe) - 1);
	if (n <= 0 && x <= 0)
		goto out; /* a kernel thread: nothing to tell */
	if (ps->used * 2 >= ps->size && grow(ps))
		goto out;
	e = slot(ps, (uint32_t)tgid);
	e->tgid = (uint32_t)tgid;
	e->start_ticks = ticks;
	if (n > 0) {
		e->args_truncated = n > ARGS_MAX;
		e->args_len = n > ARGS_MAX ? ARGS_MAX : (size_t)n;
		e->args = malloc(e->args_len);
		if (e->args)
			memcpy(e->args, args, e->args_len);
	}
	if (x > 0) {
		exe[x] = '\0';
		/* a deleted executable's path is not its path any more */
		if (x < 10 || strcmp(exe + x - 10, " (deleted)"))
			e->exe = strdup(exe);
	}
	ps->used++;
out:
	close(dirfd);
}

int procscan_run(struct procscan *ps, const char *proc)
{
	uint64_t mono, boot;
	struct dirent *de;
	DIR *d;
	int fd;

	memset(ps, 0, sizeof(*ps));
	ps->ticks_per_s = sysconf(_SC_CLK_TCK);
	if (ps->ticks_per_s <= 0)
		ps->ticks_per_s = 100;
	mono = clock_ns(CLOCK_MONOTONIC);
	boot = clock_ns(CLOCK_BOOTTIME);
	ps->scan_mono_ns = mono;
	ps->boot_minus_mono_ns = (int64_t)(boot - mono);
	fd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) && ps->used < PROCSCAN_MAX)
		scan_one(ps, dirfd(d), de->d_name, boot / (1000000000ull / ps->ticks_per_s));
	closedir(d);
	return 0;
}

static void drop(struct procscan_entry *e)
{
	free(e->args);
	free(e->exe);
	memset(e, 0, sizeof(*e));
}

void procscan_free(struct procscan *ps)
{
	size_t i;

	for (i = 0; i < ps->size; i++)
		drop(&ps->tab[i]);
	free(ps->tab);
	memset(ps, 0, sizeof(*ps));
}

/* Removal from a linear-probing table: re-place the run after it. */
static void remove_entry(struct procscan *ps, struct procscan_entry *e)
{
	size_t i = (size_t)(e - ps->tab), j;
	struct procscan_entry moved;

	drop(e);
	ps->used--;
	for (j = (i + 1) & (ps->size - 1); ps->tab[j].tgid; j = (j + 1) & (ps->size - 1)) {
		moved = ps->tab[j];
		memset(&ps->tab[j], 0, sizeof(moved));
		*slot(ps, moved.tgid) = moved;
	}
}

/* The scan's entry of the process tgid that started at start_mono_ns, or NULL. */
static struct procscan_entry *find(struct procscan *ps, uint32_t tgid, uint64_t start_mono_ns)
{
	struct procscan_entry *e;
	uint64_t ticks;

	if (!ps->used || start_mono_ns >= ps->scan_mono_ns)
		return NULL;
	e = slot(ps, tgid);
	if (!e->tgid)
		return NULL;
	ticks = (uint64_t)((int64_t)start_mono_ns + ps->boot_minus_mono_ns) /
		(1000000000ull / (uint64_t)ps->ticks_per_s);
	if (ticks + 1 < e->start_ticks || ticks > e->start_ticks + 1)
		return NULL;
	return e;
}

/*
 * An ancestor whose exec the exec table never saw has run the same
 * program since the scan: the scan's exe is its exe.
 */
static void apply_ancestors(struct procscan *ps, struct exit_story_info *st)
{
	struct procscan_entry *e;
	unsigned int i;

	for (i = 0; i < st->nanc; i++) {
		if (st->anc[i].exe || st->anc[i].exec_seen)
			continue;
		e = find(ps, st->anc[i].pid, st->anc[i].start_ns);
		if (e && e->exe)
			st->anc[i].exe = e->exe;
	}
}

void procscan_apply(struct procscan *ps, struct exit_record *rec, uint64_t start_mono_ns)
{
	struct exit_story_info *st = &rec->story;
	struct procscan_entry *e;

	if (!st->present)
		return;
	apply_ancestors(ps, st);
	/* an exec since the scan: the scan's argv and exe are older than the record's */
	if (st->exec_seen)
		return;
	e = find(ps, rec->pid, start_mono_ns);
	if (!e)
		return;
	if (!st->has_args && e->args) {
		st->has_args = true;
		st->args_truncated = e->args_truncated;
		st->args = e->args;
		st->args_len = e->args_len;
	}
	if (!st->has_exe && !st->has_memfd && e->exe && strlen(e->exe) < sizeof(st->exe)) {
		st->has_exe = true;
		strcpy(st->exe, e->exe);
	}
	/*
	 * The entry outlives this call (args points into it) until the
	 * process's next record: removed lazily, see procscan_reap().
	 */
	if (!rec->thread)
		ps->reap = e->tgid;
}

void procscan_reap(struct procscan *ps)
{
	struct procscan_entry *e;

	if (!ps->reap)
		return;
	e = slot(ps, ps->reap);
	if (e->tgid)
		remove_entry(ps, e);
	ps->reap = 0;
}
