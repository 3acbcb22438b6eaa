// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one pass of look-ups between the decoder and the sinks. */
#include <string.h>
#include "record/enrich.h"

void record_enrich(const struct enricher *e, struct exit_record *rec)
{
	memset(&rec->cgroup, 0, sizeof(rec->cgroup));
	rec->oom_memcg_path = NULL;
	if (e->cgroup_info && rec->story.present)
		e->cgroup_info(rec->story.cgroup_id, &rec->cgroup, e->cgroup_ctx);
	if (e->memcg_path && rec->cause.kind == CAUSE_OOM && rec->cause.oom_memcg &&
	    rec->cause.oom_memcg_id)
		rec->oom_memcg_path = e->memcg_path(rec->cause.oom_memcg_id, e->memcg_ctx);
}
