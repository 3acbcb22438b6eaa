// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Chooses the backend; the backends know nothing of each other or of this file. */
#include "output/output.h"

int output_init(struct output *out, FILE *f, const struct output_config *cfg)
{
	out->f = f;
	out->cfg = *cfg;
	out->priv = NULL;
	if (cfg->summary)
		out->ops = cfg->json ? &summary_json_ops : &summary_table_ops;
	else
		out->ops = cfg->json ? &json_output_ops : &table_output_ops;
	return out->ops->init ? out->ops->init(out) : 0;
}

void output_fini(struct output *out)
{
	if (out->ops->fini)
		out->ops->fini(out);
	out->priv = NULL;
}
