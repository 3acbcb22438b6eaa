// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The story's numeric objects of a JSON line: see json_usage.h. */
#include <stdbool.h>
#include <stdint.h>
#include "lib/fmt.h"
#include "output/json_usage.h"

/* A number the kernel may not keep: null where it does not. */
static char *put_u64_if(char *p, bool has, uint64_t v)
{
	if (!has)
		return FMT_LIT(p, "null");
	return fmt_u64(p, v);
}

char *json_put_rusage(char *p, const struct exit_story_info *st, const struct exit_cost_info *c)
{
	FMT_LIT(p, ",\"rusage\":{\"utime_us\":");
	p = fmt_u64(p, st->utime_us);
	FMT_LIT(p, ",\"stime_us\":");
	p = fmt_u64(p, st->stime_us);
	FMT_LIT(p, ",\"maxrss_kb\":");
	p = fmt_u64(p, st->maxrss_kb);
	FMT_LIT(p, ",\"minflt\":");
	p = fmt_u64(p, st->minflt);
	FMT_LIT(p, ",\"majflt\":");
	p = fmt_u64(p, st->majflt);
	FMT_LIT(p, ",\"nvcsw\":");
	p = fmt_u64(p, st->nvcsw);
	FMT_LIT(p, ",\"nivcsw\":");
	p = fmt_u64(p, st->nivcsw);
	/* the cost group */
	FMT_LIT(p, ",\"inblock\":");
	p = put_u64_if(p, c->present, c->inblock);
	FMT_LIT(p, ",\"oublock\":");
	p = put_u64_if(p, c->present, c->oublock);
	return FMT_LIT(p, "}");
}

char *json_put_io(char *p, const struct exit_cost_info *c)
{
	if (!c->present)
		return FMT_LIT(p, ",\"io\":null");
	FMT_LIT(p, ",\"io\":{\"read_bytes\":");
	p = put_u64_if(p, c->has_io, c->read_bytes);
	FMT_LIT(p, ",\"write_bytes\":");
	p = put_u64_if(p, c->has_io, c->write_bytes);
	FMT_LIT(p, ",\"cancelled_write_bytes\":");
	p = put_u64_if(p, c->has_io, c->cancelled_write_bytes);
	FMT_LIT(p, ",\"rchar\":");
	p = put_u64_if(p, c->has_xacct, c->rchar);
	FMT_LIT(p, ",\"wchar\":");
	p = put_u64_if(p, c->has_xacct, c->wchar);
	FMT_LIT(p, ",\"syscr\":");
	p = put_u64_if(p, c->has_xacct, c->syscr);
	FMT_LIT(p, ",\"syscw\":");
	p = put_u64_if(p, c->has_xacct, c->syscw);
	return FMT_LIT(p, "}");
}

char *json_put_delays(char *p, const struct exit_cost_info *c)
{
	if (!c->present)
		return FMT_LIT(p, ",\"delays\":null");
	FMT_LIT(p, ",\"delays\":{\"cpu_ns\":");
	p = put_u64_if(p, c->has_run_delay, c->run_delay_ns);
	FMT_LIT(p, ",\"blkio_ns\":");
	p = put_u64_if(p, c->has_delays, c->blkio_delay_ns);
	FMT_LIT(p, ",\"swapin_ns\":");
	p = put_u64_if(p, c->has_delays, c->swapin_delay_ns);
	FMT_LIT(p, ",\"reclaim_ns\":");
	p = put_u64_if(p, c->has_delays, c->freepages_delay_ns);
	FMT_LIT(p, ",\"thrashing_ns\":");
	p = put_u64_if(p, c->has_delays, c->thrashing_delay_ns);
	FMT_LIT(p, ",\"compact_ns\":");
	p = put_u64_if(p, c->has_compact, c->compact_delay_ns);
	FMT_LIT(p, ",\"wpcopy_ns\":");
	p = put_u64_if(p, c->has_wpcopy, c->wpcopy_delay_ns);
	FMT_LIT(p, ",\"irq_ns\":");
	p = put_u64_if(p, c->has_irq, c->irq_delay_ns);
	return FMT_LIT(p, "}");
}
