/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics-containers: exits counted per container and pod, by outcome
 * and reason. Pure, and bounded: at most CONTAINER_SERIES_MAX containers
 * have series of their own (five at most each). When one more comes, the
 * container that grew least recently gives way, as do those that have
 * not grown for METRICS_EXPIRY_S: their counts are folded into the
 * "other" series (container_id="other"), so that the sum over all series
 * still counts every exit of a container, and each fold is counted.
 */
#ifndef __CONTAINER_EXITS_H
#define __CONTAINER_EXITS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "record/container.h"
#include "record/event.h"

#define CONTAINER_SERIES_MAX 256

/* How an exit ended, as the series' outcome and reason labels say. */
enum exit_reason {
	REASON_CODE_SUCCESS,	/* outcome="success",reason="code" */
	REASON_CODE_FAILURE,	/* outcome="failure",reason="code" */
	REASON_SIGNAL,		/* outcome="signal",reason="signal": no core, not the OOM killer */
	REASON_CORE,		/* outcome="signal",reason="core": a core dump was written */
	REASON_OOM,		/* outcome="signal",reason="oom": the OOM killer chose it */
	REASONS,
};

struct container_counts {
	char container_id[CONTAINER_ID_LEN + 1];
	char pod_uid[POD_UID_LEN + 1];
	uint64_t count[REASONS];
	uint64_t last_s;	/* when it last grew */
};

struct container_exits {
	uint64_t hash[CONTAINER_SERIES_MAX];	/* of the ids; 0: a free slot */
	struct container_counts slot[CONTAINER_SERIES_MAX];
	uint64_t other[REASONS];	/* the folded containers' */
	uint64_t folded;		/* containers folded into other */
};

enum exit_reason exit_reason_of(const struct exit_record *rec);
const char *exit_reason_name(enum exit_reason r);
const char *exit_reason_outcome(enum exit_reason r);

/*
 * Counts rec at now_s if its cgroup names a container or a pod
 * (rec->cgroup, as JSON's container_id and pod_uid); others are not a
 * container's.
 */
void container_exits_record(struct container_exits *c, const struct exit_record *rec,
			    uint64_t now_s);

/* Folds the containers that have not grown since now_s - expiry_s. */
void container_exits_expire(struct container_exits *c, uint64_t now_s, uint64_t expiry_s);

/* The exposition of exitsnoop_container_exits_total and ..._folded_total. */
void container_exits_render(const struct container_exits *c, FILE *f);

#endif /* __CONTAINER_EXITS_H */
