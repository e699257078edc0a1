// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: the table built and printed from the rows resolve_rows made. */
#include <err.h>
#include <linux/net_namespace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsls.h"

static int
set_number(struct libscols_line *ln, size_t col, unsigned long long v)
{
	char *str;

	if (asprintf(&str, "%llu", v) < 0)
		return -1;
	return scols_line_refer_data(ln, col, str);
}

static int
set_list(struct libscols_line *ln, size_t col, char **list, size_t n,
	 const char *sep)
{
	size_t len = 1;
	char *str, *p;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(list[i]) + strlen(sep);
	str = p = malloc(len);
	if (str == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		p = stpcpy(stpcpy(p, list[i]), i + 1 < n ? sep : "");
	return scols_line_refer_data(ln, col, str);
}

/* "pid:N" or "pid:N+K" for the processes in NS, then what else holds it. */
static int
set_holders(struct libscols_line *ln, size_t col, const struct ns *ns,
	    const char *sep)
{
	char **holders = NULL;
	size_t nholders = 0;
	int rc;

	if (ns->nprocs == 1)
		add_string(&holders, &nholders, "pid:%d", ns->pid);
	else if (ns->nprocs > 1)
		add_string(&holders, &nholders, "pid:%d+%zu", ns->pid,
			   ns->nprocs - 1);
	for (size_t j = 0; j < ns->nholders; j++)
		add_string(&holders, &nholders, "%s", ns->holders[j]);
	rc = set_list(ln, col, holders, nholders, sep);
	for (size_t j = 0; j < nholders; j++)
		free(holders[j]);
	free(holders);
	return rc;
}

/* The -p PIDs in the row's namespace. */
static int
set_tasks(struct libscols_line *ln, size_t col, const struct row *r,
	  const char *sep)
{
	char **list = NULL;
	size_t n = 0;
	int rc;

	for (size_t j = 0; j < r->ntasks; j++)
		add_string(&list, &n, "%d", r->tasks[j]);
	rc = set_list(ln, col, list, n, sep);
	for (size_t j = 0; j < n; j++)
		free(list[j]);
	free(list);
	return rc;
}

/* Cell I of row R: COLUMN from what resolve_rows read, no I/O. */
static int
set_cell(struct libscols_line *ln, size_t i, int column, const struct row *r,
	 const char *sep)
{
	const struct ns *ns = r->ns;

	switch (column) {
	case COL_NS:
		return set_number(ln, i, ns->ino);
	case COL_TYPE:
		return scols_line_set_data(ln, i, ns->type->name);
	case COL_PATH:
		return scols_line_set_data(ln, i, r->path);
	case COL_NPROCS:
		return set_number(ln, i, ns->nprocs);
	case COL_PID:
		return r->pid != 0 ? set_number(ln, i, (unsigned)r->pid) : 0;
	case COL_PPID:
		return r->pid != 0 ? set_number(ln, i, (unsigned)r->ppid) : 0;
	case COL_COMMAND:
		return scols_line_set_data(ln, i, r->command);
	case COL_UID:
		return r->have_uid ? set_number(ln, i, r->uid) : 0;
	case COL_USER:
		if (r->have_uid && r->user != NULL)
			return scols_line_set_data(ln, i, r->user);
		return r->have_uid ? set_number(ln, i, r->uid) : 0;
	case COL_NETNSID:
		/* a string, as lsns: "unassigned" where ours has no id for it */
		if (r->netnsid == NETNSA_NSID_NOT_ASSIGNED)
			return scols_line_set_data(ln, i, "unassigned");
		return r->netnsid >= 0 ? set_number(ln, i, (unsigned)r->netnsid)
				       : 0;
	case COL_NSFS:
		return set_list(ln, i, ns->nsfs, ns->nnsfs, sep);
	case COL_PNS:
		return set_number(ln, i, ns->parent);
	case COL_ONS:
		return set_number(ln, i, ns->owner);
	case COL_NAME:
		return set_list(ln, i, ns->names, ns->nnames, sep);
	case COL_HOLDERS:
		return set_holders(ln, i, ns, sep);
	case COL_TASKS:
		return set_tasks(ln, i, r, sep);
	}
	return 0;
}

static int
fill_line(const struct nsls_opts *o, const struct row *r,
	  struct libscols_line *ln)
{
	/* Raw and -W output: one line per namespace, lists joined by commas. */
	const char *sep =
		(o->out.raw || o->out.nowrap) && !o->out.json ? "," : "\n";
	int rc = 0;

	/* TASKS is short: on one line in a table too. */
	for (size_t i = 0; i < o->ncols && rc == 0; i++)
		rc = set_cell(ln, i, o->cols[i], r,
			      o->cols[i] == COL_TASKS && !o->out.json ? ","
								      : sep);
	return rc;
}

/* Where each row is in the table being built. */
struct placing {
	const struct nsls_opts *o;
	struct libscols_table *tb;
	const struct row *first;
	struct libscols_line **line;
	char *state; /* 0 new, 1 being placed, 2 placed */
};

/* Parents first, as libsmartcols needs; a cycle lands at the top. */
static int
place_row(struct placing *pl, const struct row *r)
{
	size_t i = (size_t)(r - pl->first);
	struct libscols_line *parent = NULL;
	const struct row *p = r->parent;

	if (pl->state[i] == 2)
		return 0;
	pl->state[i] = 1;
	if (p != NULL && pl->state[p - pl->first] != 1) {
		if (place_row(pl, p) != 0)
			return -1;
		parent = pl->line[p - pl->first];
	}
	pl->state[i] = 2;
	pl->line[i] = scols_table_new_line(pl->tb, parent);
	if (pl->line[i] == NULL || fill_line(pl->o, r, pl->line[i]) != 0)
		return -1;
	if (nsls_filter_match(pl->o, pl->line[i]))
		return 0;
	/* -Q: its children go to the top, as in lsns */
	if (parent != NULL && scols_line_remove_child(parent, pl->line[i]))
		return -1;
	if (scols_table_remove_line(pl->tb, pl->line[i]) != 0)
		return -1;
	pl->line[i] = NULL;
	return 0;
}

/* The tree goes on COMMAND (process) or NS (owner, parent), as in lsns. */
static void
set_column_flags(struct libscols_table *tb, const struct nsls_opts *o)
{
	int tree = o->tree == TREE_PROCESS ? COL_COMMAND : COL_NS;

	for (size_t i = 0; i < o->nshown; i++) {
		struct libscols_column *c = scols_table_get_column(tb, i);
		int flags = scols_column_get_flags(c);

		if (o->tree != TREE_NONE && o->cols[i] == tree) {
			/* a tree is drawn from the left: never right-aligned */
			scols_column_set_flags(c, (flags & ~SCOLS_FL_RIGHT) |
							  SCOLS_FL_TREE);
			tree = -1;
		}
	}
}

void
print_table(const struct nsls_opts *o, const struct rows *rows)
{
	struct placing pl = { .o = o, .first = rows->r };

	pl.tb = ns_table_new(&o->out, columns, o->cols, o->ncols);
	if (pl.tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	set_column_flags(pl.tb, o);
	nsls_filter_table(o, pl.tb);
	pl.line = xrealloc(NULL, rows->n, sizeof(struct libscols_line *));
	pl.state = calloc(rows->n ? rows->n : 1, 1);
	if (pl.state == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	for (size_t i = 0; i < rows->n; i++)
		if (place_row(&pl, &rows->r[i]) != 0)
			err(NS_EXIT_FAIL, "cannot make the table");
	free(pl.line);
	free(pl.state);
	if (ns_table_print(pl.tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
}
