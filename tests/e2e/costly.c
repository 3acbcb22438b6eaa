// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A child that does known I/O on a real file system, and its parent's
 * account of it from outside the tracer:
 *
 *   costly OUT NAME DIR
 *
 * The child, named NAME, writes 8 MiB to DIR/costly.data in 4 KiB writes,
 * fsyncs it and drops it from the page cache, dirties 1 MiB of a second
 * file and truncates it before writeback (cancelled writes), reads the
 * first back from the disk, then reads its own /proc/self/io,
 * /proc/self/schedstat and /proc/self/stat and exits at once, after one
 * write of them to OUT.child (a file: a pipe would wake the parent, which
 * could take the CPU from the child between that read and its exit). The
 * parent reaps it with wait4() and writes OUT:
 *
 *   pid utime_us stime_us maxrss_kb minflt majflt nvcsw nivcsw inblock oublock
 *   the child's /proc/self/io, /proc/self/schedstat and /proc/self/stat
 *
 *   costly map OUT NAME MB
 *
 * The child maps MB MiB, populated, and exits without unmapping them: the
 * kernel tears the address space down on the exit path. OUT gets wait4()'s
 * pid cpu_us (user + system) maxrss_kb.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 4096
#define DATA_CHUNKS 2048   /* 8 MiB */
#define CANCEL_CHUNKS 256  /* 1 MiB */

static char chunk[CHUNK];

static void die(const char *what)
{
	perror(what);
	_exit(120);
}

static void write_chunks(int fd, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (write(fd, chunk, CHUNK) != CHUNK)
			die("write");
}

static void write_data(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/costly.data", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		die(path);
	write_chunks(fd, DATA_CHUNKS);
	if (fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("fsync");
	close(fd);
}

/* Dirty pages truncated before writeback: cancelled_write_bytes. */
static void cancel_writes(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/costly.cancel", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		die(path);
	write_chunks(fd, CANCEL_CHUNKS);
	if (ftruncate(fd, 0))
		die("ftruncate");
	close(fd);
	unlink(path);
}

static void read_data(const char *dir)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/costly.data", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	while ((n = read(fd, chunk, CHUNK)) > 0)
		;
	if (n < 0)
		die("read");
	close(fd);
}

/* Appends a /proc file to buf at *len. */
static void slurp(const char *path, char *buf, size_t size, size_t *len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	n = read(fd, buf + *len, size - *len - 1);
	if (n <= 0)
		die(path);
	*len += (size_t)n;
	close(fd);
}

static void child(const char *out_path, const char *name, const char *dir)
{
	static char buf[8192];
	struct timespec read_at;
	size_t len = 0;
	int out;

	prctl(PR_SET_NAME, name, 0, 0, 0);
	memset(chunk, 'x', sizeof(chunk));
	write_data(dir);
	cancel_writes(dir);
	read_data(dir);
	out = open(out_path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (out < 0)
		die(out_path);
	slurp("/proc/self/io", buf, sizeof(buf), &len);
	/*
	 * Before schedstat is read: the run delay can grow after the read by
	 * no more than the time to the exit, and a wait for the CPU between
	 * the read and the clock would otherwise be outside that time.
	 */
	clock_gettime(CLOCK_REALTIME, &read_at);
	slurp("/proc/self/schedstat", buf, sizeof(buf), &len);
	slurp("/proc/self/stat", buf, sizeof(buf), &len);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%lld\n",
				(long long)read_at.tv_sec * 1000000000LL + read_at.tv_nsec);
	if (write(out, buf, len) != (ssize_t)len)
		_exit(121);
	_exit(0);
}

static long usec(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

static int map_and_exit(const char *out, const char *name, size_t mb)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();
	FILE *f;

	if (pid == 0) {
		prctl(PR_SET_NAME, name, 0, 0, 0);
		if (mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0) == MAP_FAILED)
			_exit(122);
		_exit(0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || status)
		return 111;
	f = fopen(out, "w");
	if (!f)
		return 112;
	fprintf(f, "%d %ld %ld\n", pid, usec(ru.ru_utime) + usec(ru.ru_stime), ru.ru_maxrss);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[8192];
	char child_out[4096];
	struct rusage ru;
	ssize_t n, len = 0;
	int fd, status;
	pid_t pid;
	FILE *f;

	if (argc == 5 && !strcmp(argv[1], "map"))
		return map_and_exit(argv[2], argv[3], strtoul(argv[4], NULL, 10));
	if (argc != 4) {
		fprintf(stderr, "usage: costly OUT NAME DIR | costly map OUT NAME MB\n");
		return 2;
	}
	snprintf(child_out, sizeof(child_out), "%s.child", argv[1]);
	pid = fork();
	if (pid == 0)
		child(child_out, argv[2], argv[3]);
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || status)
		return 111;
	fd = open(child_out, O_RDONLY);
	if (fd < 0)
		return 110;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	f = fopen(argv[1], "w");
	if (!f)
		return 112;
	fprintf(f, "%d %ld %ld %ld %ld %ld %ld %ld %ld %ld\n%.*s", pid, usec(ru.ru_utime),
		usec(ru.ru_stime), ru.ru_maxrss, ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw,
		ru.ru_nivcsw, ru.ru_inblock, ru.ru_oublock, (int)len, buf);
	fclose(f);
	return 0;
}
