// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - the one thin wrapper on libsmartcols that every listing uses,
 * so tables, raw, JSON and trees are the library's (as in lsns), and
 * column lists are parsed the same way everywhere.
 */
#include <err.h>
#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "nscommon-internal.h"

static int
column_by_name(const char *name, const struct ns_column *cols, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++)
		if (strcasecmp(cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
ns_columns_parse(const char *list, const struct ns_column *cols, size_t ncols,
		 int *sel, size_t *nsel, size_t max)
{
	const char *all = list;
	char *copy, *tok, *rest;
	size_t n = 0;

	if (*list == '+')
		list++, n = *nsel;
	if (*list == '\0') {
		warnx("empty column list");
		return -1;
	}
	copy = strdup(list);
	if (copy == NULL) {
		warn("column list");
		return -1;
	}
	/* strsep, not strtok: "NS,,TYPE" and "NS," are mistakes to report */
	rest = copy;
	while ((tok = strsep(&rest, ",")) != NULL) {
		int c = column_by_name(tok, cols, ncols);

		if (*tok == '\0') {
			warnx("empty column name in '%s'", all);
			goto fail;
		}
		if (c < 0) {
			warnx("unknown column: %s", tok);
			goto fail;
		}
		if (n >= max) {
			warnx("too many columns");
			goto fail;
		}
		sel[n++] = c;
	}
	free(copy);
	*nsel = n;
	return 0;
fail:
	free(copy);
	return -1;
}

bool
ns_output_option(int c, const char *arg, struct ns_output *out)
{
	switch (c) {
	case 'J':
		out->json = true;
		break;
	case 'r':
		out->raw = true;
		break;
	case 'n':
		out->noheadings = true;
		break;
	case 'o':
		out->columns_arg = arg;
		break;
	case NS_OPT_OUTPUT_ALL:
		out->all_columns = true;
		break;
	case 'H':
		out->list_columns = true;
		break;
	case 'u':
		out->notruncate = true;
		break;
	case 'W':
		out->nowrap = true;
		break;
	default:
		return false;
	}
	return true;
}

static const char *
json_type_name(int type)
{
	switch (type) {
	case SCOLS_JSON_NUMBER:
		return "<integer>";
	case SCOLS_JSON_ARRAY_STRING:
		return "<string array>";
	case SCOLS_JSON_ARRAY_NUMBER:
		return "<integer array>";
	case SCOLS_JSON_BOOLEAN:
		return "<boolean>";
	default:
		return "<string>";
	}
}

/* Print the -H/--list-columns table of COLS to stdout. */
static void
columns_list(const struct ns_column *cols, size_t ncols,
	     const struct ns_output *out)
{
	static const struct ns_column meta[] = {
		{ "NAME", NULL, 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING },
		{ "TYPE", NULL, 0, 0, SCOLS_JSON_STRING },
		{ "DESCRIPTION", NULL, 0, 0, SCOLS_JSON_STRING },
	};
	static const int sel[] = { 0, 1, 2 };
	struct ns_output o = *out;
	struct libscols_table *tb;

	o.json_name = "columns";
	o.tree = false;
	tb = ns_table_new(&o, meta, sel, 3);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the column table");
	for (size_t i = 0; i < ncols; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (ln == NULL ||
		    scols_line_set_data(ln, 0, cols[i].name) != 0 ||
		    scols_line_set_data(
			    ln, 1, json_type_name(cols[i].json_type)) != 0 ||
		    scols_line_set_data(ln, 2, cols[i].help) != 0)
			err(NS_EXIT_FAIL, "cannot make the column table");
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the column table");
}

void
ns_output_columns(const struct ns_output *out, const struct ns_column *cols,
		  size_t ncols, int *sel, size_t *nsel, size_t max)
{
	if (out->list_columns) {
		columns_list(cols, ncols, out);
		exit(NS_EXIT_OK);
	}
	if (out->json && out->raw)
		ns_usage_exclusive(NS_EXIT_USAGE, "--json", "--raw");
	if (out->all_columns) {
		for (*nsel = 0; *nsel < ncols && *nsel < max; (*nsel)++)
			sel[*nsel] = (int)*nsel;
	}
	if (out->columns_arg != NULL &&
	    ns_columns_parse(out->columns_arg, cols, ncols, sel, nsel, max) !=
		    0)
		ns_try_help(NS_EXIT_USAGE);
}

static bool
is_array(int json_type)
{
	return json_type == SCOLS_JSON_ARRAY_STRING ||
	       json_type == SCOLS_JSON_ARRAY_NUMBER;
}

/*
 * A wrapping column holds one item per line of its cell: libsmartcols (2.38)
 * prints such a cell as lines in a table and, for an array column, as the
 * items of a JSON array; it needs the newline wrap functions for both.  An
 * empty cell is [null] in JSON there (newer versions print []): see
 * empty_null_arrays.
 */
static int
split_at_newlines(struct libscols_column *cl)
{
	if (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
				      scols_wrapnl_nextchunk, NULL) != 0)
		return -1;
	return scols_column_set_safechars(cl, "\n");
}

/*
 * A list column that may be cut (SCOLS_FL_WRAP | SCOLS_FL_TRUNC) in a table
 * on a terminal: one item a line, and an item wider than the width
 * libsmartcols gave the column is cut to it, ending in a marker (the
 * library cuts cells silently, and not at all on a cell's later lines).
 */
struct cut_style {
	const char *marker; /* U+2026 in a UTF-8 locale, '~' elsewhere */
	/*
	 * libsmartcols before 2.40 keeps printing a cell's last item past
	 * the cut unless told it ended (a pointer to its end); 2.40 and
	 * later take that pointer as one more, empty, line.
	 */
	bool point_at_end;
};

/* Bytes of S (N long) that fit in WIDTH terminal cells. */
static size_t
fitting_bytes(const char *s, size_t n, size_t width)
{
	mbstate_t st;
	size_t off = 0, cells = 0;

	memset(&st, 0, sizeof(st));
	while (off < n) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, s + off, n - off, &st);
		int w = 1;

		if (len == 0 || len > n - off) {
			/* not a character: one byte, one cell */
			len = 1;
			memset(&st, 0, sizeof(st));
		} else if (wcwidth(wc) >= 0) {
			w = wcwidth(wc);
		}
		if (cells + (size_t)w > width)
			break;
		cells += (size_t)w;
		off += len;
	}
	return off;
}

static char *
cut_nextchunk(const struct libscols_column *cl, char *data, void *userdata)
{
	const struct cut_style *style = userdata;
	size_t width = scols_column_get_width(cl);
	char *nl = strchr(data, '\n');
	size_t n = nl != NULL ? (size_t)(nl - data) : strlen(data);
	size_t mlen = strlen(style->marker), off;

	if (nl != NULL)
		*nl = '\0';
	/* width 0: libsmartcols is still measuring the column */
	if (width == 0 || fitting_bytes(data, n, width) == n)
		return nl != NULL ? nl + 1 : NULL;
	off = fitting_bytes(data, n, width - 1);
	/* the marker needs its bytes and a NUL within the item's */
	if (off + mlen > n && width > 1)
		off = fitting_bytes(data, n, width - 2);
	if (off + mlen <= n && width > 1) {
		memcpy(data + off, style->marker, mlen);
		off += mlen;
	}
	data[off] = '\0';
	if (nl != NULL)
		return nl + 1;
	return style->point_at_end ? data + n : NULL;
}

static const struct cut_style *
cut_style(void)
{
	static const struct cut_style styles[2][2] = {
		{ { "~", false }, { "~", true } },
		{ { "\xe2\x80\xa6", false }, { "\xe2\x80\xa6", true } },
	};
	const char *version = NULL;
	char *end = NULL;
	long major = 0, minor = 0;
	bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	scols_get_library_version(&version);
	if (version != NULL)
		major = strtol(version, &end, 10);
	if (end != NULL && *end == '.')
		minor = strtol(end + 1, NULL, 10);
	/* "2.38.1": before 2.40; unreadable: take the newer behaviour */
	return &styles[utf8][major == 2 && minor < 40];
}

struct libscols_table *
ns_table_new(const struct ns_output *out, const struct ns_column *cols,
	     const int *sel, size_t nsel)
{
	struct libscols_table *tb = scols_new_table();

	if (tb == NULL)
		return NULL;
	scols_table_enable_json(tb, out->json);
	scols_table_enable_raw(tb, out->raw);
	scols_table_enable_noheadings(tb, out->noheadings);
	scols_table_enable_nowrap(tb, out->nowrap);
	if (out->json_name != NULL && scols_table_set_name(tb, out->json_name))
		goto fail;
	for (size_t i = 0; i < nsel; i++) {
		const struct ns_column *c = &cols[sel[i]];
		int flags = c->flags;
		double whint = c->whint;
		struct libscols_column *cl;

		/* a relative width lets libsmartcols shrink even an uncut one */
		if (out->notruncate && (flags & SCOLS_FL_TRUNC) && whint < 1)
			whint = 0;
		if (out->notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		if (!out->tree)
			flags &= ~SCOLS_FL_TREE;
		if (out->json && is_array(c->json_type))
			flags |= SCOLS_FL_WRAP;
		cl = scols_table_new_column(tb, c->name, whint, flags);
		if (cl == NULL)
			goto fail;
		if (out->json &&
		    scols_column_set_json_type(cl, c->json_type) != 0)
			goto fail;
		if ((flags & SCOLS_FL_WRAP) && split_at_newlines(cl) != 0)
			goto fail;
		if ((flags & SCOLS_FL_WRAP) && (flags & SCOLS_FL_TRUNC) &&
		    !out->json && !out->raw &&
		    scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
					      cut_nextchunk,
					      (void *)cut_style()) != 0)
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	errno = ENOMEM;
	return NULL;
}

/* If IN (a '[') opens an array that holds nothing but a null, the end of
 * that array (past its ']'); else NULL. */
static const char *
null_array_end(const char *in, const char *end)
{
	const char *p = in + 1;

	p += strspn(p, " \t\n");
	if ((size_t)(end - p) < 4 || strncmp(p, "null", 4) != 0)
		return NULL;
	p += 4;
	p += strspn(p, " \t\n");
	return p < end && *p == ']' ? p + 1 : NULL;
}

/*
 * libsmartcols before 2.39 prints an array column's empty cell as [null]
 * (`.pids|length` is 1 for none).  Rewrite, outside JSON strings, every
 * array that holds nothing but a null into [], so that every version gives
 * []: arrays of numbers and of strings never hold a bare null otherwise.
 * In place; the text only shrinks.
 */
static void
empty_null_arrays(char *json, size_t *len)
{
	const char *in = json, *end = json + *len, *skip;
	char *out = json;
	bool quoted = false;

	while (in < end) {
		if (quoted) {
			if (*in == '\\' && in + 1 < end)
				*out++ = *in++;
			else if (*in == '"')
				quoted = false;
			*out++ = *in++;
			continue;
		}
		if (*in == '"') {
			quoted = true;
		} else if (*in == '[' &&
			   (skip = null_array_end(in, end)) != NULL) {
			*out++ = '[';
			*out++ = ']';
			in = skip;
			continue;
		}
		*out++ = *in++;
	}
	*len = (size_t)(out - json);
}

/* A JSON table goes through memory to stdout, mended on the way. */
static int
print_json(struct libscols_table *tb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc;

	if (mem == NULL)
		return -errno;
	rc = scols_table_set_stream(tb, mem);
	if (rc == 0)
		rc = scols_print_table(tb);
	if (fclose(mem) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0) {
		empty_null_arrays(buf, &len);
		if (fwrite(buf, 1, len, stdout) != len)
			rc = -EIO;
	}
	free(buf);
	return rc;
}

int
ns_table_print(struct libscols_table *tb)
{
	int rc = scols_table_is_json(tb) ? print_json(tb)
					 : scols_print_table(tb);

	scols_unref_table(tb);
	if (rc != 0) {
		errno = rc < 0 ? -rc : EIO;
		return -1;
	}
	return 0;
}
