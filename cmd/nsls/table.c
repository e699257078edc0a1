// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: the namespace table (by inode) and the strings rows keep. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsls.h"

/* ---- the namespace table ------------------------------------------------ */

void *
xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (p == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	return p;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	return d;
}

/* First slot of INO in an open-addressing table of SIZE (a power of 2). */
size_t
ino_hash(ino_t ino, size_t size)
{
	return (size_t)(ino * 0x9e3779b97f4a7c15ULL) & (size - 1);
}

static size_t
hash_slot(const struct scan *s, ino_t ino)
{
	size_t i = ino_hash(ino, s->hsize);

	while (s->hash[i] != NULL && s->hash[i]->ino != ino)
		i = (i + 1) & (s->hsize - 1);
	return i;
}

struct ns *
ns_find(const struct scan *s, ino_t ino)
{
	return s->hsize ? s->hash[hash_slot(s, ino)] : NULL;
}

static void
hash_grow(struct scan *s)
{
	struct ns **old = s->hash;
	size_t oldsize = s->hsize;

	s->hsize = oldsize ? oldsize * 2 : 256;
	s->hash = calloc(s->hsize, sizeof(struct ns *));
	if (s->hash == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	for (size_t i = 0; i < oldsize; i++)
		if (old[i] != NULL)
			s->hash[hash_slot(s, old[i]->ino)] = old[i];
	free(old);
}

struct ns *
ns_get(struct scan *s, ino_t ino, const struct ns_type *type)
{
	struct ns *ns = ns_find(s, ino);

	if (ns != NULL)
		return ns;
	if (2 * (s->nall + 1) > s->hsize)
		hash_grow(s);
	ns = calloc(1, sizeof(*ns));
	if (ns == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	ns->ino = ino;
	ns->type = type;
	if (s->nall == s->allocall) {
		s->allocall = s->allocall ? 2 * s->allocall : 256;
		s->all = xrealloc(s->all, s->allocall, sizeof(struct ns *));
	}
	s->all[s->nall++] = ns;
	s->hash[hash_slot(s, ino)] = ns;
	return ns;
}

void
add_string(char ***list, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *str;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		err(NS_EXIT_FAIL, "cannot allocate");
	va_end(ap);
	*list = xrealloc(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = str;
}

/* The first way found to reach a namespace again is kept. */
void
set_src(struct ns *ns, int src, pid_t pid, const char *rel)
{
	if (ns->src != SRC_NONE)
		return;
	ns->src = src;
	ns->src_pid = pid;
	ns->src_rel = xstrdup(rel);
}
