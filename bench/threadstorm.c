// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * threadstorm NAME N CREATORS: CREATORS threads each create and join N
 * threads that return at once. Thread exits: N * CREATORS + CREATORS + 1.
 */
#include <pthread.h>
#include "workload.h"

static int n;

static void *nothing(void *arg)
{
	return NULL;
}

static void *creator(void *arg)
{
	pthread_t t;
	int i;

	for (i = 0; i < n; i++) {
		if (pthread_create(&t, NULL, nothing, NULL))
			exit(1);
		pthread_join(t, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t c[16];
	int i, creators;
	long long start;

	if (argc < 4)
		return 2;
	n = atoi(argv[2]);
	creators = atoi(argv[3]);
	if (creators > 16)
		creators = 16;
	name_self(argv[1]);
	start = now_ns();
	for (i = 0; i < creators; i++)
		pthread_create(&c[i], NULL, creator, NULL);
	for (i = 0; i < creators; i++)
		pthread_join(c[i], NULL);
	report(start, (long long)n * creators + creators + 1);
	return 0;
}
