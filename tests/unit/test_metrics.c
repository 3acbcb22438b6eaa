// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counters and their Prometheus text exposition, against golden output. */
#include <stdlib.h>
#include <string.h>
#include "metrics/metrics.h"
#include "test.h"

#define ID "3f1e0a9c2b7d4e5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"
#define UID_ "8f2a1c3e_5b7d_4e9f_a1b2_c3d4e5f6a7b8"
#define UID "8f2a1c3e-5b7d-4e9f-a1b2-c3d4e5f6a7b8"
#define K8S_PATH "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" \
	UID_ ".slice/cri-containerd-" ID ".scope"

static char *buf;

static const char *render(const struct metrics *m)
{
	size_t len;
	FILE *f;

	free(buf);
	f = open_memstream(&buf, &len);
	metrics_render(m, f, "1.2.3");
	fclose(f);
	return buf;
}

/* One record, enriched with these paths, counted at now_s. */
static void count(struct metrics *m, struct exit_record *r, const char *memcg_path,
		  const char *cgroup, uint64_t now_s)
{
	r->oom_memcg_path = memcg_path;
	r->cgroup.path = cgroup;
	metrics_record(m, r, now_s);
}

static struct exit_record exited(int code)
{
	struct exit_record r = { .pid = 4242, .tid = 4242, .exit_code = code, .comm = "worker" };

	r.status = (uint32_t)code << 8;
	return r;
}

static struct exit_record killed(int sig, enum cause_kind kind, bool core)
{
	struct exit_record r = exited(0);

	r.exit_code = -1;
	r.signal = sig;
	r.core_dumped = core;
	r.status = sig | (core ? 0x80 : 0);
	r.cause.kind = kind;
	return r;
}

static struct exit_record oom(bool memcg)
{
	struct exit_record r = killed(9, CAUSE_OOM, false);

	r.cause.oom_memcg = memcg;
	r.cause.oom_memcg_id = 77;
	return r;
}

static const char empty_golden[] =
	"# HELP exitsnoop_exits_total Processes (threads with -T) that ended, by outcome, fatal "
	"signal, cause and reason.\n"
	"# TYPE exitsnoop_exits_total counter\n"
	"# HELP exitsnoop_core_dumps_total Processes that ended with a core dump, by signal.\n"
	"# TYPE exitsnoop_core_dumps_total counter\n"
	"# HELP exitsnoop_oom_kills_total Processes the OOM killer chose, by container and pod, "
	"else memory cgroup.\n"
	"# TYPE exitsnoop_oom_kills_total counter\n"
	"# HELP exitsnoop_events_lost_total Records lost because the ring buffer was full.\n"
	"# TYPE exitsnoop_events_lost_total counter\n"
	"exitsnoop_events_lost_total 0\n"
	"# HELP exitsnoop_build_info Always 1; the version in a label.\n"
	"# TYPE exitsnoop_build_info gauge\n"
	"exitsnoop_build_info{version=\"1.2.3\"} 1\n";

void test_metrics_empty(void)
{
	struct metrics *m = metrics_new();

	ASSERT_STREQ(render(m), empty_golden, "every family's HELP and TYPE, no samples");
	metrics_free(m);
}

void test_metrics_golden(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r;

	r = exited(0);
	count(m, &r, NULL, NULL, 10);
	count(m, &r, NULL, NULL, 10);
	r = exited(65);
	count(m, &r, NULL, NULL, 10);
	r = killed(15, CAUSE_PROCESS, false);
	count(m, &r, NULL, NULL, 10);
	r = killed(11, CAUSE_KERNEL, true);
	count(m, &r, NULL, NULL, 10);
	r = killed(6, CAUSE_SELF, true);
	count(m, &r, NULL, NULL, 10);
	r = oom(true);
	count(m, &r, K8S_PATH, NULL, 10);
	count(m, &r, K8S_PATH, NULL, 11);
	count(m, &r, "/sys/fs/cgroup/batch/job-7", NULL, 12);
	r = oom(false);
	count(m, &r, NULL, NULL, 13);
	r = killed(40, CAUSE_UNKNOWN, false);
	count(m, &r, NULL, NULL, 14);
	metrics_set_lost(m, 5);
	ASSERT_STREQ(render(m),
		     "# HELP exitsnoop_exits_total Processes (threads with -T) that ended, by "
		     "outcome, fatal signal, cause and reason.\n"
		     "# TYPE exitsnoop_exits_total counter\n"
		     "exitsnoop_exits_total{outcome=\"success\",cause=\"exit\",reason=\"code\"} 2\n"
		     "exitsnoop_exits_total{outcome=\"failure\",cause=\"exit\",reason=\"code\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"ABRT\",cause=\"self\",reason=\"core\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"KILL\",cause=\"oom\",reason=\"oom\"} 4\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"SEGV\",cause=\"kernel\",reason=\"core\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"TERM\",cause=\"process\",reason=\"signal\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"RTMIN+6\",cause=\"unknown\",reason=\"signal\"} 1\n"
		     "# HELP exitsnoop_core_dumps_total Processes that ended with a core dump, by "
		     "signal.\n"
		     "# TYPE exitsnoop_core_dumps_total counter\n"
		     "exitsnoop_core_dumps_total{signal=\"ABRT\"} 1\n"
		     "exitsnoop_core_dumps_total{signal=\"SEGV\"} 1\n"
		     "# HELP exitsnoop_oom_kills_total Processes the OOM killer chose, by container "
		     "and pod, else memory cgroup.\n"
		     "# TYPE exitsnoop_oom_kills_total counter\n"
		     "exitsnoop_oom_kills_total{scope=\"memcg\",container_id=\"" ID "\",pod_uid=\""
		     UID "\"} 2\n"
		     "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"/sys/fs/cgroup/batch/job-7\"} 1\n"
		     "exitsnoop_oom_kills_total{scope=\"global\"} 1\n"
		     "# HELP exitsnoop_events_lost_total Records lost because the ring buffer was "
		     "full.\n"
		     "# TYPE exitsnoop_events_lost_total counter\n"
		     "exitsnoop_events_lost_total 5\n"
		     "# HELP exitsnoop_build_info Always 1; the version in a label.\n"
		     "# TYPE exitsnoop_build_info gauge\n"
		     "exitsnoop_build_info{version=\"1.2.3\"} 1\n",
		     "golden");
	ASSERT_TRUE(!strstr(buf, "4242") && !strstr(buf, "worker"), "never a pid or comm");
	metrics_free(m);
}

/* The OOM samples alone, for the tests below. */
static const char *oom_lines(const struct metrics *m)
{
	const char *start = strstr(render(m), "exitsnoop_oom_kills_total{");
	char *end;

	if (!start)
		return "";
	end = strstr(buf, "# HELP exitsnoop_events_lost_total");
	*end = '\0';
	return start;
}

void test_metrics_oom_labels(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r = oom(true);

	count(m, &r, "/sys/fs/cgroup/a\"b\\c\nd\x01\xff\xc3\xa9", NULL, 1);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"/sys/fs/cgroup/a\\\"b\\\\\\\\c"
		     "\\\\nd\\\\x01\\\\xff\xc3\xa9\"} 1\n",
		     "label value escaped as in the table (a\\\"b\\\\c\\nd\\x01\\xff), then as the format wants");
	metrics_free(m);

	m = metrics_new();
	count(m, &r, NULL, NULL, 1);
	ASSERT_STREQ(oom_lines(m), "exitsnoop_oom_kills_total{scope=\"memcg\"} 1\n",
		     "memcg gone before its path was read");
	metrics_free(m);

	m = metrics_new();
	count(m, &r, "/sys/fs/cgroup/kubepods/besteffort/pod" UID, NULL, 1);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",pod_uid=\"" UID "\"} 1\n",
		     "a pod-level limit");
	metrics_free(m);
}

/* Every OOM sample line of the file is a different series. */
static int duplicate_series(const char *lines)
{
	char *copy = strdup(lines), *line, *save = NULL, *seen[64] = { NULL }, *value;
	int n = 0, dup = 0, i;

	if (!copy)
		return -1;
	for (line = strtok_r(copy, "\n", &save); line && n < 64; line = strtok_r(NULL, "\n", &save)) {
		value = strrchr(line, ' ');
		if (value)
			*value = '\0'; /* the labels, without the value */
		for (i = 0; i < n; i++)
			dup += !strcmp(seen[i], line);
		seen[n++] = line;
	}
	free(copy);
	return dup;
}

/*
 * Memory cgroups whose paths differ only in a control byte, an invalid
 * UTF-8 byte, or beyond the label's length, and one whose path looks like
 * a cut label: each its own series, in a file that stays valid UTF-8.
 */
void test_metrics_oom_series_unique(void)
{
	static const char *const paths[] = { "/cg/a\x01" "b", "/cg/a\x02" "b", "/cg/a?b", "/cg/a\\x01b",
		"/cg/a\xff" "b", "/cg/a\xfe" "b", "/cg/a\nb", "/cg/a\\nb" };
	struct metrics *m = metrics_new();
	struct exit_record r = oom(true);
	char long_a[700], long_b[700], long_c[700];
	const char *lines;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		count(m, &r, paths[i], NULL, 1);
	memset(long_a, 'x', sizeof(long_a) - 1);
	long_a[sizeof(long_a) - 1] = '\0';
	memcpy(long_b, long_a, sizeof(long_a));
	long_b[650] = 'y'; /* differs after the label's cap only */
	memcpy(long_c, long_a, sizeof(long_a));
	memcpy(long_c + 480, "\xe2\x80\xae", 3); /* a 6-byte escape where the cut falls */
	count(m, &r, long_a, NULL, 1);
	count(m, &r, long_b, NULL, 1);
	count(m, &r, long_c, NULL, 1);
	count(m, &r, long_a, NULL, 2);
	lines = oom_lines(m);
	ASSERT_EQ(duplicate_series(lines), 0, "series alike");
	ASSERT_TRUE(strstr(lines, "memcg=\"/cg/a\\\\x01b\"} 1\n") != NULL, "a control byte");
	ASSERT_TRUE(strstr(lines, "memcg=\"/cg/a\\\\\\\\x01b\"} 1\n") != NULL, "its text");
	ASSERT_TRUE(strstr(lines, "memcg=\"/cg/a\\\\xffb\"} 1\n") != NULL, "an invalid byte");
	ASSERT_TRUE(strstr(lines, "} 2\n") != NULL, "the same long path, one series");
	for (i = 0; lines[i]; i++)
		if ((unsigned char)lines[i] >= 0x80 || (lines[i] < 0x20 && lines[i] != '\n'))
			break;
	ASSERT_EQ(lines[i], '\0', "ASCII only: every byte escaped");
	metrics_free(m);
}

/* The victim's own cgroup names its container first, as JSON does. */
void test_metrics_oom_victims_container(void)
{
	struct exit_record r = oom(true);
	struct metrics *m = metrics_new();

	count(m, &r, "/sys/fs/cgroup/memory/kubepods/besteffort/pod" UID,
		       "/kubepods/besteffort/pod" UID "/" ID, 1);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",container_id=\"" ID "\",pod_uid=\""
		     UID "\"} 1\n",
		     "a pod-level limit, the victim's container known");
	metrics_free(m);

	m = metrics_new();
	count(m, &r, "/sys/fs/cgroup/memory/libpod_parent/libpod-" ID, "/", 1);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",container_id=\"" ID "\"} 1\n",
		     "left out of the v2 hierarchy: the memcg names it");
	metrics_free(m);

	m = metrics_new();
	count(m, &r, NULL, "/libpod_parent/libpod-" ID, 1);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",container_id=\"" ID "\"} 1\n",
		     "memcg gone, the container known");
	metrics_free(m);

	r = oom(false);
	m = metrics_new();
	count(m, &r, NULL, "/libpod_parent/libpod-" ID, 1);
	ASSERT_STREQ(oom_lines(m), "exitsnoop_oom_kills_total{scope=\"global\"} 1\n",
		     "a global OOM kill is the machine's, whoever it chose");
	metrics_free(m);
}

void test_metrics_expiry(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r = oom(true);

	count(m, &r, "/sys/fs/cgroup/docker/" ID, NULL, 100);
	count(m, &r, "/sys/fs/cgroup/job", NULL, 200);
	r = oom(false);
	count(m, &r, NULL, NULL, 100);
	metrics_expire(m, 100 + METRICS_EXPIRY_S - 1);
	ASSERT_TRUE(strstr(oom_lines(m), ID), "kept until the expiry time");
	metrics_expire(m, 100 + METRICS_EXPIRY_S);
	ASSERT_STREQ(oom_lines(m),
		     "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"/sys/fs/cgroup/job\"} 1\n"
		     "exitsnoop_oom_kills_total{scope=\"global\"} 1\n",
		     "the container's series expired, the newer and the global kept");
	ASSERT_TRUE(strstr(buf, "cause=\"oom\",reason=\"oom\"} 3"), "exits still count them all");
	metrics_free(m);
}

void test_metrics_cap(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r = oom(true);
	char path[64];
	int i, lines = 0;
	const char *p;

	for (i = 0; i < METRICS_OOM_SERIES + 10; i++) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/job-%d", i);
		count(m, &r, path, NULL, (uint64_t)i);
	}
	count(m, &r, "/sys/fs/cgroup/job-20", NULL, 1000);
	for (p = oom_lines(m); (p = strchr(p, '\n')); p++)
		lines++;
	ASSERT_EQ(lines, METRICS_OOM_SERIES, "capped");
	ASSERT_TRUE(!strstr(buf, "job-9\""), "the stalest gave way");
	ASSERT_TRUE(strstr(buf, "job-10\"") && strstr(buf, "job-265\""), "the rest kept");
	ASSERT_TRUE(strstr(buf, "job-20\"} 2"), "an existing series grows in place");
	metrics_free(m);
}

/* Paths past the label's 512 bytes, differing after the cut: two series, each marked. */
void test_metrics_oom_long_paths(void)
{
	struct metrics *m = metrics_new();
	struct exit_record r = oom(true);
	char a[700], b[700];
	const char *out, *l1, *l2;

	memset(a, 'x', sizeof(a) - 1);
	memcpy(a, "/sys/fs/cgroup/", 15);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[600] = 'y';
	count(m, &r, a, NULL, 1);
	count(m, &r, b, NULL, 1);
	count(m, &r, a, NULL, 2);
	out = oom_lines(m);
	/* the mark \# of a cut, its backslash doubled in the file */
	l1 = strstr(out, "\\\\#");
	l2 = l1 ? strstr(l1 + 1, "\\\\#") : NULL;
	if (!l1 || !l2 || strstr(l2 + 1, "\\\\#")) {
		ASSERT_TRUE(false, "two series, each cut and marked");
		goto out;
	}
	ASSERT_TRUE(strncmp(l1, l2, 19) != 0, "told apart by the hash of the whole");
	ASSERT_TRUE(strstr(out, "\"} 2\n") && strstr(out, "\"} 1\n"), "counted apart");
	ASSERT_EQ((long)(strchr(l1, '"') - strstr(out, "memcg=\"")), 7 + 511 + 1,
		  "label of 511 bytes (one backslash doubled in the file)");
out:
	metrics_free(m);
}
