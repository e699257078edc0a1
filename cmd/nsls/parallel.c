// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: the same step for many processes, in a few threads at once. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>

#include "nsls.h"

/*
 * Reading a process is system calls that wait on nothing but the kernel's
 * path walks: with more than one CPU, a few threads read different
 * processes at once.  A thread only reads the kernel
 * and writes its own slots; the tables are filled afterwards, in one
 * thread, in PID order, so the listing is the same however it was read.
 */
enum { PAR_MAX = 4, PAR_MIN_ITEMS = 256, PAR_CHUNK = 32 };

struct par_job {
	size_t n;
	void (*fn)(size_t i, void *arg);
	void *arg;
	atomic_size_t next;
};

static void *
par_worker(void *arg)
{
	struct par_job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, PAR_CHUNK)) < j->n)
		for (size_t k = i; k < j->n && k < i + PAR_CHUNK; k++)
			j->fn(k, j->arg);
	return NULL;
}

/* Threads worth starting for N items: the CPUs we may run on, 1 to 4. */
static size_t
par_threads(size_t n)
{
	cpu_set_t set;
	int cpus;

	if (n < PAR_MIN_ITEMS || sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	cpus = CPU_COUNT(&set);
	return cpus < 1 ? 1 : cpus > PAR_MAX ? PAR_MAX : (size_t)cpus;
}

void
for_each_parallel(size_t n, void (*fn)(size_t i, void *arg), void *arg)
{
	struct par_job job = { .n = n, .fn = fn, .arg = arg };
	pthread_t thread[PAR_MAX - 1];
	size_t started = 0, want = par_threads(n);

	atomic_init(&job.next, 0);
	/* A thread that cannot start leaves its share to the others. */
	while (started + 1 < want &&
	       pthread_create(&thread[started], NULL, par_worker, &job) == 0)
		started++;
	par_worker(&job);
	for (size_t t = 0; t < started; t++)
		pthread_join(thread[t], NULL);
}
