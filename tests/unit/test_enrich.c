// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* record_enrich(): each look-up once, and only for the records that need it. */
#include "record/enrich.h"
#include "test.h"

static int cgroup_calls, memcg_calls;

static void cgroup_stub(uint64_t id, struct cgroup_info *info, void *ctx)
{
	cgroup_calls++;
	info->path = id == 7 ? "/job" : NULL;
	info->container_id = ctx;
}

static const char *memcg_stub(uint64_t id, void *ctx)
{
	memcg_calls++;
	return id == 42 ? "/sys/fs/cgroup/memory/job" : NULL;
}

void test_enrich_once(void)
{
	struct enricher e = { .cgroup_info = cgroup_stub, .cgroup_ctx = "c0ffee",
			      .memcg_path = memcg_stub };
	struct exit_record r = { .cause.kind = CAUSE_EXIT };

	record_enrich(&e, &r);
	ASSERT_EQ(cgroup_calls + memcg_calls, 0, "no story, no OOM: no look-up");
	ASSERT_NULL(r.cgroup.path, "no cgroup");
	ASSERT_NULL(r.oom_memcg_path, "no memcg");

	r.story.present = true;
	r.story.cgroup_id = 7;
	r.cause.kind = CAUSE_OOM;
	r.cause.oom_memcg = true;
	r.cause.oom_memcg_id = 42;
	record_enrich(&e, &r);
	ASSERT_EQ(cgroup_calls, 1, "the cgroup once");
	ASSERT_EQ(memcg_calls, 1, "the memcg once");
	ASSERT_STREQ(r.cgroup.path, "/job", "cgroup path");
	ASSERT_STREQ(r.cgroup.container_id, "c0ffee", "container");
	ASSERT_STREQ(r.oom_memcg_path, "/sys/fs/cgroup/memory/job", "memcg path");

	r.cause.oom_memcg = false; /* a global OOM kill has no memory cgroup */
	r.story.present = false;
	record_enrich(&e, &r);
	ASSERT_EQ(cgroup_calls + memcg_calls, 2, "nothing more looked up");
	ASSERT_NULL(r.cgroup.path, "cleared");
	ASSERT_NULL(r.oom_memcg_path, "cleared too");

	e = (struct enricher){ 0 };
	r.story.present = r.cause.oom_memcg = true;
	record_enrich(&e, &r);
	ASSERT_NULL(r.cgroup.path, "no look-up asked for");
	ASSERT_NULL(r.oom_memcg_path, "none for the memcg either");
}
