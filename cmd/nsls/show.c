// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: the table printed from what was collected. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nsls.h"

/* ---- output -------------------------------------------------------------- */

struct shown {
	pid_t ppid;
	uid_t uid;
	bool have_uid;
	char *command;
};

/* " S PPID ...", what follows the command in /proc/PID/stat; 0 if odd. */
static pid_t
ppid_of_stat(const char *rest)
{
	char *end;
	long v;

	if (rest[0] != ' ' || rest[1] == '\0' || rest[2] != ' ')
		return 0;
	errno = 0;
	v = strtol(rest + 3, &end, 10);
	if (errno != 0 || end == rest + 3 || *end != ' ' || v < 0 ||
	    v > INT_MAX)
		return 0;
	return (pid_t)v;
}

/* Only for the one process shown per namespace. */
static void
read_shown_process(const struct scan *s, const struct nsls_opts *o, pid_t pid,
		   struct shown *sh)
{
	char path[64];
	struct stat st;
	size_t len;

	memset(sh, 0, sizeof(*sh));
	if (want_col(o, COL_UID) || want_col(o, COL_USER)) {
		snprintf(path, sizeof(path), "%d", pid);
		if (fstatat(s->procdir, path, &st, 0) == 0) {
			sh->uid = st.st_uid;
			sh->have_uid = true;
		}
	}
	if (want_col(o, COL_PPID) || o->tree == TREE_PROCESS) {
		char *text, *rp;

		snprintf(path, sizeof(path), "%d/stat", pid);
		text = read_file_at(s->procdir, path, NULL, true);
		/* comm may hold ')' and spaces: the fields follow the last. */
		if (text != NULL && (rp = strrchr(text, ')')) != NULL)
			sh->ppid = ppid_of_stat(rp + 1);
		free(text);
	}
	if (want_col(o, COL_COMMAND)) {
		snprintf(path, sizeof(path), "%d/cmdline", pid);
		sh->command = read_file_at(s->procdir, path, &len, true);
		if (sh->command != NULL) {
			while (len > 0 && sh->command[len - 1] == '\0')
				len--;
			for (size_t i = 0; i < len; i++)
				if (sh->command[i] == '\0')
					sh->command[i] = ' ';
			sh->command[len] = '\0';
		}
		if (sh->command == NULL || len == 0) {
			free(sh->command);
			snprintf(path, sizeof(path), "%d/comm", pid);
			sh->command =
				read_file_at(s->procdir, path, &len, true);
			if (sh->command != NULL && len > 0 &&
			    sh->command[len - 1] == '\n')
				sh->command[len - 1] = '\0';
		}
	}
}

/* getpwuid reads the whole database each time: once per distinct uid. */
static const char *
user_name(struct scan *s, uid_t uid)
{
	struct passwd *pw;

	for (size_t i = 0; i < s->nusers; i++)
		if (s->users[i].uid == uid)
			return s->users[i].name;
	pw = getpwuid(uid);
	s->users = xrealloc(s->users, s->nusers + 1, sizeof(*s->users));
	s->users[s->nusers].uid = uid;
	s->users[s->nusers].name = pw != NULL ? xstrdup(pw->pw_name) : NULL;
	return s->users[s->nusers++].name;
}

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

static int
fill_line(struct scan *s, const struct nsls_opts *o, struct ns *ns,
	  const struct shown *sh)
{
	struct libscols_line *ln = ns->line;
	char **holders = NULL;
	size_t nholders = 0;
	/* Raw and -W output: one line per namespace, lists joined by commas. */
	const char *sep =
		(o->out.raw || o->out.nowrap) && !o->out.json ? "," : "\n";
	int rc = 0;

	for (size_t i = 0; i < o->ncols && rc == 0; i++) {
		int32_t id;
		char *p;

		switch (o->cols[i]) {
		case COL_NS:
			rc = set_number(ln, i, ns->ino);
			break;
		case COL_TYPE:
			rc = scols_line_set_data(ln, i, ns->type->name);
			break;
		case COL_PATH:
			p = nsls_path(ns);
			if (p != NULL)
				rc = scols_line_refer_data(ln, i, p);
			break;
		case COL_NPROCS:
			rc = set_number(ln, i, ns->nprocs);
			break;
		case COL_PID:
			if (ns->pid != 0 && ns->nprocs > 0)
				rc = set_number(ln, i, (unsigned)ns->pid);
			break;
		case COL_PPID:
			if (ns->nprocs > 0)
				rc = set_number(ln, i, (unsigned)sh->ppid);
			break;
		case COL_COMMAND:
			if (sh->command != NULL)
				rc = scols_line_set_data(ln, i, sh->command);
			break;
		case COL_UID:
			if (sh->have_uid)
				rc = set_number(ln, i, sh->uid);
			break;
		case COL_USER:
			if (sh->have_uid) {
				const char *u = user_name(s, sh->uid);

				if (u != NULL)
					rc = scols_line_set_data(ln, i, u);
				else
					rc = set_number(ln, i, sh->uid);
			}
			break;
		case COL_NETNSID:
			if (ns->type == &ns_types[3] &&
			    (id = netnsid_of(s, ns)) >= 0)
				rc = set_number(ln, i, (unsigned)id);
			break;
		case COL_NSFS:
			rc = set_list(ln, i, ns->nsfs, ns->nnsfs, sep);
			break;
		case COL_PNS:
			rc = set_number(ln, i, ns->parent);
			break;
		case COL_ONS:
			rc = set_number(ln, i, ns->owner);
			break;
		case COL_NAME:
			rc = set_list(ln, i, ns->names, ns->nnames, sep);
			break;
		case COL_HOLDERS:
			if (ns->nprocs == 1)
				add_string(&holders, &nholders, "pid:%d",
					   ns->pid);
			else if (ns->nprocs > 1)
				add_string(&holders, &nholders, "pid:%d+%zu",
					   ns->pid, ns->nprocs - 1);
			for (size_t j = 0; j < ns->nholders; j++)
				add_string(&holders, &nholders, "%s",
					   ns->holders[j]);
			rc = set_list(ln, i, holders, nholders, sep);
			for (size_t j = 0; j < nholders; j++)
				free(holders[j]);
			free(holders);
			break;
		}
	}
	return rc;
}

static bool
is_shown(const struct ns *ns, const struct nsls_opts *o, const ino_t *task_ns)
{
	size_t t = kt_index(&o->kt, ns->type);

	if (!want_type(o, t))
		return false;
	if (o->persistent && ns->nprocs > 0)
		return false;
	if (o->task != 0) {
		if (task_ns[t] != ns->ino)
			return false;
	}
	if (o->nwant > 0) {
		for (size_t i = 0; i < o->nwant; i++)
			if (o->want[i] == ns->ino)
				return true;
		return false;
	}
	return true;
}

static struct ns *
tree_parent(const struct scan *s, const struct nsls_opts *o,
	    const struct ns *ns, const struct shown *sh)
{
	const struct proc *pp;

	switch (o->tree) {
	case TREE_OWNER:
		return ns->owner ? nsls_find(s, ns->owner) : NULL;
	case TREE_PARENT:
		return ns->parent ? nsls_find(s, ns->parent) : NULL;
	case TREE_PROCESS:
		if (ns->nprocs == 0 || sh->ppid == 0)
			return NULL;
		pp = proc_find(s, sh->ppid);
		if (pp == NULL)
			return NULL;
		return nsls_find(s, pp->ino[kt_index(&o->kt, ns->type)]);
	}
	return NULL;
}

/* Parents first, as libsmartcols needs; a cycle lands at the top. */
static int
place_line(struct scan *s, const struct nsls_opts *o, struct libscols_table *tb,
	   struct ns *ns, const ino_t *task_ns)
{
	struct libscols_line *pl = NULL;
	struct shown sh;
	struct ns *parent;
	int rc;

	if (ns->visit == 2)
		return 0;
	read_shown_process(s, o, ns->pid, &sh);
	ns->visit = 1;
	parent = tree_parent(s, o, ns, &sh);
	if (parent != NULL && parent != ns && parent->visit != 1 &&
	    is_shown(parent, o, task_ns)) {
		if (place_line(s, o, tb, parent, task_ns) != 0)
			return -1;
		pl = parent->line;
	}
	ns->visit = 2;
	ns->line = scols_table_new_line(tb, pl);
	rc = ns->line == NULL ? -1 : fill_line(s, o, ns, &sh);
	free(sh.command);
	return rc;
}

static int
by_inode(const void *a, const void *b)
{
	const struct ns *x = *(struct ns *const *)a,
			*y = *(struct ns *const *)b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* The tree goes on COMMAND (process) or NS (owner, parent), as in lsns. */
static void
set_column_flags(struct libscols_table *tb, const struct nsls_opts *o)
{
	int tree = o->tree == TREE_PROCESS ? COL_COMMAND : COL_NS;

	for (size_t i = 0; i < o->ncols; i++) {
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
print_table(struct scan *s, const struct nsls_opts *o, const ino_t *task_ns)
{
	struct libscols_table *tb;

	if (s->nall > 0)
		qsort(s->all, s->nall, sizeof(struct ns *), by_inode);
	tb = ns_table_new(&o->out, columns, o->cols, o->ncols);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	set_column_flags(tb, o);
	for (size_t i = 0; i < s->nall; i++) {
		if (!is_shown(s->all[i], o, task_ns))
			continue;
		if (place_line(s, o, tb, s->all[i], task_ns) != 0)
			err(NS_EXIT_FAIL, "cannot make the table");
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
}
