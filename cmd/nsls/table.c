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

/*
 * An open-addressing table by inode, the one nsls keeps namespaces in and
 * the mount namespace index of mounts.c: SIZE a power of 2, at most half
 * full, linear probing.  Inode 0 marks a free slot (no namespace has it).
 */
static struct ino_slot *
ino_slot(const struct ino_table *t, ino_t ino)
{
	size_t i = (size_t)(ino * 0x9e3779b97f4a7c15ULL) & (t->size - 1);

	while (t->slot[i].ino != 0 && t->slot[i].ino != ino)
		i = (i + 1) & (t->size - 1);
	return &t->slot[i];
}

struct ino_slot *
ino_table_find(const struct ino_table *t, ino_t ino)
{
	struct ino_slot *e;

	if (t->size == 0)
		return NULL;
	e = ino_slot(t, ino);
	return e->ino != 0 ? e : NULL;
}

struct ino_slot *
ino_table_add(struct ino_table *t, ino_t ino, bool *made)
{
	struct ino_slot *e = ino_table_find(t, ino);

	*made = e == NULL;
	if (e != NULL)
		return e;
	if (2 * (t->n + 1) > t->size) {
		struct ino_slot *old = t->slot;
		size_t oldsize = t->size;

		t->size = oldsize ? 2 * oldsize : 64;
		t->slot = calloc(t->size, sizeof(*t->slot));
		if (t->slot == NULL)
			err(NS_EXIT_FAIL, "cannot allocate");
		for (size_t i = 0; i < oldsize; i++)
			if (old[i].ino != 0)
				*ino_slot(t, old[i].ino) = old[i];
		free(old);
	}
	e = ino_slot(t, ino);
	e->ino = ino;
	t->n++;
	return e;
}

void
ino_table_free(struct ino_table *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

struct ns *
nsls_find(const struct scan *s, ino_t ino)
{
	const struct ino_slot *e = ino_table_find(&s->index, ino);

	return e != NULL ? e->ns : NULL;
}

/* Namespace INO of TYPE, added to the table when it is new. */
struct ns *
nsls_get(struct scan *s, ino_t ino, const struct ns_type *type)
{
	bool made;
	struct ino_slot *e = ino_table_add(&s->index, ino, &made);

	if (!made)
		return e->ns;
	e->ns = calloc(1, sizeof(*e->ns));
	if (e->ns == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	e->ns->ino = ino;
	e->ns->type = type;
	if (s->nall == s->allocall) {
		s->allocall = s->allocall ? 2 * s->allocall : 256;
		s->all = xrealloc(s->all, s->allocall, sizeof(struct ns *));
	}
	s->all[s->nall++] = e->ns;
	return e->ns;
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

/* For qsort and bsearch of an array of strings. */
int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
