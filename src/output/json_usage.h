/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The JSON line's numeric objects of the story: what the process cost
 * (rusage), read and wrote (io) and waited for (delays). Numbers only, so
 * each writes into the line's fixed room (LINE_FIXED in json.c) and
 * returns the cursor after what it wrote.
 */
#ifndef __JSON_USAGE_H
#define __JSON_USAGE_H

#include "record/event.h"

/* ,"rusage":{...} */
char *json_put_rusage(char *p, const struct exit_story_info *st, const struct exit_cost_info *c);
/* ,"io":{...}: /proc/PID/io's counters, each group null where the kernel keeps none */
char *json_put_io(char *p, const struct exit_cost_info *c);
/* ,"delays":{...}: the run delay where kept; the rest with delay accounting on */
char *json_put_delays(char *p, const struct exit_cost_info *c);

#endif /* __JSON_USAGE_H */
