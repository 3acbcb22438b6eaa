// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counters and their Prometheus text exposition, against golden output. */
#include <stdlib.h>
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
	"signal and cause.\n"
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
		     "outcome, fatal signal and cause.\n"
		     "# TYPE exitsnoop_exits_total counter\n"
		     "exitsnoop_exits_total{outcome=\"success\",cause=\"exit\"} 2\n"
		     "exitsnoop_exits_total{outcome=\"failure\",cause=\"exit\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"ABRT\",cause=\"self\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"KILL\",cause=\"oom\"} 4\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"SEGV\",cause=\"kernel\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"TERM\",cause=\"process\"} 1\n"
		     "exitsnoop_exits_total{outcome=\"signal\",signal=\"RTMIN+6\",cause=\"unknown\"} 1\n"
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
		     "exitsnoop_oom_kills_total{scope=\"memcg\",memcg=\"/sys/fs/cgroup/a\\\"b\\\\c\\nd??"
		     "\xc3\xa9\"} 1\n",
		     "label value escaped, kept valid UTF-8");
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
	ASSERT_TRUE(strstr(buf, "cause=\"oom\"} 3"), "exits still count them all");
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
