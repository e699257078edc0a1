// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsls: -Q/--filter EXPR, as lsns 2.41 has it.  The expression language
 * and its evaluation are libsmartcols' own (2.40 and newer): nsls parses
 * nothing itself, it only tells the library which columns the expression
 * names, reads their values like any shown column's (a named column that
 * is not shown becomes a hidden one) and keeps the rows it accepts.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nsls.h"

#ifdef HAVE_SCOLS_FILTER

/* Several -Q must all hold: "(A) and (B)", the library's own "and". */
void
nsls_filter_parse(struct nsls_opts *o, const char *expr)
{
	const char *msg;
	char *all = NULL;
	int rc;

	if (o->filter_expr == NULL)
		all = strdup(expr);
	else if (asprintf(&all, "(%s) and (%s)", o->filter_expr, expr) < 0)
		all = NULL;
	if (all == NULL)
		ns_oom(NS_EXIT_FAIL);
	free(o->filter_expr);
	o->filter_expr = all;
	if (o->filter == NULL && (o->filter = scols_new_filter(NULL)) == NULL)
		ns_oom(NS_EXIT_FAIL);
	rc = scols_filter_parse_string(o->filter, all);
	msg = scols_filter_get_errmsg(o->filter);
	if (rc != 0)
		ns_usage_error(NS_EXIT_USAGE, "invalid filter '%s': %s", expr,
			       msg != NULL ? msg
			       : rc < -1   ? strerror(-rc)
					   : "not understood");
}

static int
column_by_name(const char *name)
{
	for (int c = 0; c < NCOLS; c++)
		if (strcasecmp(columns[c].name, name) == 0)
			return c;
	return -1;
}

/*
 * After -o: each column the expression names and -o does not show is
 * added after the shown ones (o->nshown), so that it is read like them.
 */
void
nsls_filter_columns(struct nsls_opts *o)
{
	struct libscols_iter *itr;
	const char *name = NULL;
	int c;

	o->nshown = o->ncols;
	if (o->filter == NULL)
		return;
	itr = scols_new_iter(SCOLS_ITER_FORWARD);
	if (itr == NULL)
		ns_oom(NS_EXIT_FAIL);
	while (scols_filter_next_holder(o->filter, itr, &name, 0) == 0) {
		if ((c = column_by_name(name)) < 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "invalid filter: unknown column '%s'",
				       name);
		if (!want_col(o, c)) {
			if (o->ncols == ARRAY_SIZE(o->cols))
				ns_usage_error(NS_EXIT_USAGE,
					       "too many columns");
			o->cols[o->ncols++] = c;
		}
	}
	scols_free_iter(itr);
}

/*
 * The table's columns for the expression: the ones it names, numbers
 * compared as numbers (as their JSON type says), the added ones hidden.
 */
void
nsls_filter_table(const struct nsls_opts *o, struct libscols_table *tb)
{
	struct libscols_iter *itr;
	const char *name = NULL;

	if (o->filter == NULL)
		return;
	for (size_t i = 0; i < o->ncols; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		int type = columns[o->cols[i]].json_type == SCOLS_JSON_NUMBER
				   ? SCOLS_DATA_U64
				   : SCOLS_DATA_STRING;

		/* it returns the type it set (2.40 to 2.43), not 0 */
		if (scols_column_set_data_type(cl, type) < 0 ||
		    (i >= o->nshown &&
		     scols_column_set_flags(cl, scols_column_get_flags(cl) |
							SCOLS_FL_HIDDEN) != 0))
			err(NS_EXIT_FAIL, "cannot make the table");
	}
	itr = scols_new_iter(SCOLS_ITER_FORWARD);
	if (itr == NULL)
		ns_oom(NS_EXIT_FAIL);
	while (scols_filter_next_holder(o->filter, itr, &name, 0) == 0) {
		int c = column_by_name(name);
		size_t i = 0;

		while (i < o->ncols && o->cols[i] != c)
			i++;
		if (scols_filter_assign_column(o->filter, itr, name,
					       scols_table_get_column(tb, i)) !=
		    0)
			err(NS_EXIT_FAIL, "cannot make the table");
	}
	scols_free_iter(itr);
}

/* Does the filled line LN pass?  Every cell is set before this. */
bool
nsls_filter_match(const struct nsls_opts *o, struct libscols_line *ln)
{
	int status = 0;

	if (o->filter == NULL)
		return true;
	if (scols_line_apply_filter(ln, o->filter, &status) != 0)
		err(NS_EXIT_FAIL, "cannot apply the filter");
	return status != 0;
}

void
nsls_filter_free(struct nsls_opts *o)
{
	scols_unref_filter(o->filter);
	free(o->filter_expr);
}

#else /* libsmartcols before 2.40 has no filters */

void
nsls_filter_parse(struct nsls_opts *o, const char *expr)
{
	(void)o;
	(void)expr;
	errx(NS_EXIT_USAGE,
	     "-Q/--filter needs libsmartcols 2.40 or newer; this nsls was built with %s",
	     LIBSMARTCOLS_VERSION);
}

void
nsls_filter_columns(struct nsls_opts *o)
{
	o->nshown = o->ncols;
}

void
nsls_filter_table(const struct nsls_opts *o, struct libscols_table *tb)
{
	(void)o;
	(void)tb;
}

bool
nsls_filter_match(const struct nsls_opts *o, struct libscols_line *ln)
{
	(void)o;
	(void)ln;
	return true;
}

void
nsls_filter_free(struct nsls_opts *o)
{
	(void)o;
}

#endif
