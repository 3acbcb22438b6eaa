// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "output/output.h"
#include "output/summary.h"
#include "lib/timefmt.h"

int output_init(struct output *out, FILE *f, const struct output_config *cfg)
{
	struct timespec ts;

	out->f = f;
	out->cfg = *cfg;
	out->sum = NULL;
	out->json = NULL;
	out->ops = cfg->json ? &json_output_ops : &table_output_ops;
	if (!cfg->summary && cfg->json) {
		out->json = json_lines_new(f);
		return out->json ? 0 : -ENOMEM;
	}
	if (!cfg->summary)
		return 0;
	out->ops = cfg->json ? &summary_json_ops : &summary_table_ops;
	clock_gettime(CLOCK_REALTIME, &ts);
	out->sum = summary_new((uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
	return out->sum ? 0 : -ENOMEM;
}

void output_fini(struct output *out)
{
	summary_free(out->sum);
	out->sum = NULL;
	json_lines_free(out->json);
	out->json = NULL;
}

const char *output_memcg_path(const struct output *out, uint64_t id)
{
	if (!id || !out->cfg.memcg_path)
		return NULL;
	return out->cfg.memcg_path(id, out->cfg.memcg_ctx);
}

void output_cgroup(const struct output *out, const struct exit_record *rec,
		   struct cgroup_info *info)
{
	memset(info, 0, sizeof(*info));
	if (rec->story.present && out->cfg.cgroup_info)
		out->cfg.cgroup_info(rec->story.cgroup_id, info, out->cfg.cgroup_ctx);
}

void output_cgroup_keep(struct cgroup_memo *m, const char *text, size_t len)
{
	char *copy = malloc(len);

	if (!copy)
		return;
	memcpy(copy, text, len);
	m->text = copy;
	m->len = len;
}

/* Binary units, rounded to the nearest: "512 MiB", "300 KiB". */
void format_bytes(char *buf, size_t len, uint64_t bytes)
{
	const uint64_t mib = 1 << 20, kib = 1 << 10;

	if (bytes >= mib)
		snprintf(buf, len, "%" PRIu64 " MiB", (bytes + mib / 2) / mib);
	else
		snprintf(buf, len, "%" PRIu64 " KiB", (bytes + kib / 2) / kib);
}
