// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one pass of look-ups between the decoder and the sinks. */
#include <string.h>
#include "record/enrich.h"

/*
 * A memory cgroup's OOM kill whose own (v2) cgroup names no container:
 * the container its memory cgroup's path names, as the metrics count it
 * (a runtime that left the process out of the v2 hierarchy). Not kept
 * with the cgroup's memo, which is the same for all its records.
 */
static void oom_container(struct exit_record *rec)
{
	struct cgroup_info *info = &rec->cgroup;

	if (info->container_id || info->pod_uid || !rec->oom_memcg_path ||
	    !container_parse(rec->oom_memcg_path, &info->own))
		return;
	if (info->own.container_id[0])
		info->container_id = info->own.container_id;
	if (info->own.pod_uid[0])
		info->pod_uid = info->own.pod_uid;
	info->memo = NULL;
}

void record_enrich(const struct enricher *e, struct exit_record *rec)
{
	memset(&rec->cgroup, 0, sizeof(rec->cgroup));
	rec->oom_memcg_path = NULL;
	if (e->memcg_path && rec->cause.kind == CAUSE_OOM && rec->cause.oom_memcg &&
	    rec->cause.oom_memcg_id)
		rec->oom_memcg_path = e->memcg_path(rec->cause.oom_memcg_id, e->memcg_ctx);
	if (!rec->story.present)
		return;
	if (e->cgroup_info)
		e->cgroup_info(rec->story.cgroup_id, &rec->cgroup, e->cgroup_ctx);
	oom_container(rec);
}
