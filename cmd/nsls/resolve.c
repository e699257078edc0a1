// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsls: the rows to show and everything they show, read before the table
 * exists (the process of each, its user's name, NETNSID, PATH), so that
 * building and printing the table reads nothing.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsls.h"

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

/*
 * The command line of PID, its NULs as spaces, or else its comm.  Copied
 * to its own size: every row keeps one, and the read buffer is a page.
 * Its owner cannot make the read wait: the kernel copies argv only from
 * anonymous memory (FOLL_ANON, Linux 4.18), so a FUSE file mapped over it
 * ends the command line there, and a userfaultfd that could hold a page
 * of it takes privilege (vm.unprivileged_userfaultfd=0 is the default).
 */
static char *
read_command(const struct scan *s, pid_t pid)
{
	char path[64], *text, *cmd;
	size_t len;

	snprintf(path, sizeof(path), "%d/cmdline", pid);
	text = read_file_at(s->procdir, path, &len, true);
	if (text != NULL) {
		while (len > 0 && text[len - 1] == '\0')
			len--;
		for (size_t i = 0; i < len; i++)
			if (text[i] == '\0')
				text[i] = ' ';
		text[len] = '\0';
	}
	if (text == NULL || len == 0) {
		free(text);
		snprintf(path, sizeof(path), "%d/comm", pid);
		text = read_file_at(s->procdir, path, &len, true);
		if (text == NULL)
			return NULL;
		if (len > 0 && text[len - 1] == '\n')
			text[len - 1] = '\0';
	}
	cmd = xstrdup(text);
	free(text);
	return cmd;
}

/* Only for the one process shown per namespace. */
static void
read_shown_process(const struct scan *s, const struct nsls_opts *o, pid_t pid,
		   struct row *r)
{
	char path[64];
	struct stat st;

	if (want_col(o, COL_UID) || want_col(o, COL_USER)) {
		snprintf(path, sizeof(path), "%d", pid);
		if (fstatat(s->procdir, path, &st, 0) == 0) {
			r->uid = st.st_uid;
			r->have_uid = true;
		}
	}
	if (want_col(o, COL_PPID) || o->tree == TREE_PROCESS) {
		char *text, *rp;

		snprintf(path, sizeof(path), "%d/stat", pid);
		text = read_file_at(s->procdir, path, NULL, true);
		/* comm may hold ')' and spaces: the fields follow the last. */
		if (text != NULL && (rp = strrchr(text, ')')) != NULL)
			r->ppid = ppid_of_stat(rp + 1);
		free(text);
	}
	if (want_col(o, COL_COMMAND))
		r->command = read_command(s, pid);
}

/* getpwuid reads the whole database each time: once per distinct uid. */
static const char *
user_name(struct rows *rows, uid_t uid)
{
	struct passwd *pw;

	for (size_t i = 0; i < rows->nusers; i++)
		if (rows->users[i].uid == uid)
			return rows->users[i].name;
	pw = getpwuid(uid);
	rows->users =
		xrealloc(rows->users, rows->nusers + 1, sizeof(*rows->users));
	rows->users[rows->nusers].uid = uid;
	rows->users[rows->nusers].name =
		pw != NULL ? xstrdup(pw->pw_name) : NULL;
	return rows->users[rows->nusers++].name;
}

/* NETNSID_NONE where the namespace cannot be opened or asked. */
static int32_t
read_netnsid(const struct scan *s, struct rows *rows, const struct ns *ns)
{
	int32_t id;
	int fd = open_ns(s, ns);

	if (fd < 0) {
		fail_if_exhausted("cannot open namespace %lu",
				  (unsigned long)ns->ino);
		return NETNSID_NONE;
	}
	id = netnsid_of(&rows->rtnl, fd);
	close(fd);
	return id;
}

/*
 * A namespace no process is in has the user of its owning user namespace
 * (as lsns 2.40+): read when it was found as a relative, else now.
 */
static void
read_owner_uid(const struct scan *s, const struct ns *ns, struct row *r)
{
	const struct ns *owner = ns->owner ? nsls_find(s, ns->owner) : NULL;
	int fd;

	if (ns->have_owner_uid) {
		r->uid = ns->owner_uid;
		r->have_uid = true;
		return;
	}
	fd = open_ns(s, ns);
	if (fd >= 0) {
		r->have_uid = owner_uid_of_fd(fd, ns->type, &r->uid);
		close(fd);
		return;
	}
	fail_if_exhausted("cannot open namespace %lu", (unsigned long)ns->ino);
	if (owner != NULL && owner->have_owner_uid) {
		r->uid = owner->owner_uid;
		r->have_uid = true;
	}
}

static void
resolve_row(const struct scan *s, const struct nsls_opts *o, struct rows *rows,
	    struct row *r)
{
	const struct ns *ns = r->ns;
	const struct row *prev = r > rows->r ? r - 1 : NULL;

	r->netnsid = NETNSID_NONE;
	/*
	 * Namespaces made together (unshare -uin) have neighbouring inodes
	 * and one process: it is read once.
	 */
	if (r->pid != 0 && prev != NULL && prev->pid == r->pid) {
		r->ppid = prev->ppid;
		r->have_uid = prev->have_uid;
		r->uid = prev->uid;
		if (prev->command != NULL)
			r->command = xstrdup(prev->command);
	} else if (r->pid != 0) {
		read_shown_process(s, o, r->pid, r);
	} else if (want_col(o, COL_UID) || want_col(o, COL_USER)) {
		read_owner_uid(s, ns, r);
	}
	if (r->have_uid && want_col(o, COL_USER))
		r->user = user_name(rows, r->uid);
	if (want_col(o, COL_NETNSID) && ns->type == &ns_types[NS_NET])
		r->netnsid = read_netnsid(s, rows, ns);
	if (!want_col(o, COL_PATH))
		return;
	/* nsls NS: each process's own path to it */
	if (o->nwant == 0 || r->pid == 0)
		r->path = nsls_path(ns);
	else if (asprintf(&r->path, "/proc/%d/ns/%s", r->pid, ns->type->name) <
		 0)
		ns_oom(NS_EXIT_FAIL);
}

/* The -p PIDs in NS, kept in R; no -p shows every namespace. */
static bool
is_shown(const struct ns *ns, const struct nsls_opts *o,
	 ino_t (*task_ns)[KT_MAX], struct row *r)
{
	size_t t = kt_index(&o->kt, ns->type);

	if (!want_type(o, t))
		return false;
	if (o->persistent && ns->nprocs > 0)
		return false;
	for (size_t i = 0; i < o->ntasks; i++) {
		if (task_ns[i][t] != ns->ino)
			continue;
		r->tasks = xrealloc(r->tasks, r->ntasks + 1, sizeof(pid_t));
		r->tasks[r->ntasks++] = o->tasks[i];
	}
	return o->ntasks == 0 || r->ntasks > 0;
}

/* -T owner and -T parent. */
static struct ns *
tree_parent(const struct scan *s, const struct nsls_opts *o,
	    const struct ns *ns)
{
	switch (o->tree) {
	case TREE_OWNER:
		return ns->owner ? nsls_find(s, ns->owner) : NULL;
	case TREE_PARENT:
		return ns->parent ? nsls_find(s, ns->parent) : NULL;
	}
	return NULL;
}

static int
by_inode(const void *a, const void *b)
{
	const struct ns *x = *(struct ns *const *)a,
			*y = *(struct ns *const *)b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

static int
row_cmp(const void *key, const void *elem)
{
	ino_t ino = *(const ino_t *)key;
	const struct row *r = elem;

	return (ino > r->ns->ino) - (ino < r->ns->ino);
}

/* The row of process PID among the N at R, sorted by PID. */
static struct row *
row_by_pid(struct row *r, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (pid != 0 && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].pid == pid)
			return &r[mid];
		if (r[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Its row, if NS is shown. */
static struct row *
row_of(const struct rows *rows, const struct ns *ns)
{
	if (ns == NULL || rows->n == 0)
		return NULL;
	return bsearch(&ns->ino, rows->r, rows->n, sizeof(*rows->r), row_cmp);
}

/* A row's shown PID and its place in the table, to find rows by PID. */
struct by_pid {
	pid_t pid;
	size_t i;
};

static int
by_pid_cmp(const void *a, const void *b)
{
	const struct by_pid *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * lsns's process tree: a namespace goes under another only when the parent
 * of its shown process is the process shown for that other one.  lsns adds
 * rows in inode order, each under the row its parent process was last
 * given: of the rows before it with that PID, the last (a process shown
 * for several namespaces has one row each, of any type).
 */
static void
link_process_tree(struct rows *rows)
{
	struct by_pid *idx = xrealloc(NULL, rows->n, sizeof(*idx)), key, *e;
	size_t n = 0, lo, hi;

	for (size_t i = 0; i < rows->n; i++)
		if (rows->r[i].pid != 0)
			idx[n++] = (struct by_pid){ rows->r[i].pid, i };
	qsort(idx, n, sizeof(*idx), by_pid_cmp);
	for (size_t i = 0; i < rows->n; i++) {
		struct row *r = &rows->r[i];

		if (r->pid == 0 || r->ppid == 0)
			continue;
		/* the first entry not before (ppid, i), then one back */
		key = (struct by_pid){ r->ppid, i };
		for (lo = 0, hi = n; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;

			if (by_pid_cmp(&idx[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		e = lo > 0 ? &idx[lo - 1] : NULL;
		if (e != NULL && e->pid == r->ppid)
			r->parent = &rows->r[e->i];
	}
	free(idx);
}

/*
 * nsls NS, as lsns NS: a row for each process in each namespace given (in
 * the order given, by PID in each), its tree the processes' own, within
 * the namespace.
 */
static const struct ns *
wanted(const struct scan *s, const struct nsls_opts *o, size_t w)
{
	for (size_t v = 0; v < w; v++)
		if (o->want[v] == o->want[w])
			return NULL;
	return nsls_find(s, (ino_t)o->want[w]);
}

static void
add_process_rows(const struct scan *s, const struct nsls_opts *o,
		 struct rows *rows)
{
	size_t total = 0;
	const struct ns *ns;

	for (size_t w = 0; w < o->nwant; w++)
		if ((ns = wanted(s, o, w)) != NULL)
			total += ns->nprocs;
	rows->r = xrealloc(NULL, total, sizeof(*rows->r));
	for (size_t w = 0; w < o->nwant; w++) {
		size_t t, first = rows->n;

		if ((ns = wanted(s, o, w)) == NULL)
			continue;
		t = kt_index(&o->kt, ns->type);
		for (size_t i = 0; i < s->nprocs && rows->n < total; i++)
			if (s->procs[i].ino[t] == ns->ino)
				rows->r[rows->n++] =
					(struct row){ .ns = ns,
						      .pid = s->procs[i].pid };
		for (size_t i = first; i < rows->n; i++)
			resolve_row(s, o, rows, &rows->r[i]);
		for (size_t i = first; o->tree == TREE_PROCESS && i < rows->n;
		     i++)
			rows->r[i].parent =
				row_by_pid(rows->r + first, rows->n - first,
					   rows->r[i].ppid);
	}
}

/*
 * The namespaces shown, by inode, each with what its row shows and its
 * parent row in the tree (a namespace its own parent has none); or, for
 * NS arguments, the processes in them.
 */
void
resolve_rows(struct scan *s, const struct nsls_opts *o,
	     ino_t (*task_ns)[KT_MAX], struct rows *rows)
{
	if (o->nwant > 0) {
		add_process_rows(s, o, rows);
		return;
	}
	if (s->nall > 0)
		qsort(s->all, s->nall, sizeof(struct ns *), by_inode);
	rows->r = xrealloc(NULL, s->nall, sizeof(*rows->r));
	for (size_t i = 0; i < s->nall; i++) {
		struct row *r = &rows->r[rows->n];

		*r = (struct row){ .ns = s->all[i] };
		if (is_shown(s->all[i], o, task_ns, r))
			rows->n++;
		else
			free(r->tasks);
	}
	for (size_t i = 0; i < rows->n; i++) {
		struct row *r = &rows->r[i];

		r->pid = r->ns->nprocs > 0 ? r->ns->pid : 0;
		resolve_row(s, o, rows, r);
	}
	if (o->tree == TREE_PROCESS)
		link_process_tree(rows);
	if (o->tree != TREE_OWNER && o->tree != TREE_PARENT)
		return;
	for (size_t i = 0; i < rows->n; i++) {
		struct row *r = &rows->r[i];
		struct row *p = row_of(rows, tree_parent(s, o, r->ns));

		r->parent = p != r ? p : NULL;
	}
}

void
free_rows(struct rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->r[i].command);
		free(rows->r[i].path);
		free(rows->r[i].tasks);
	}
	for (size_t i = 0; i < rows->nusers; i++)
		free(rows->users[i].name);
	free(rows->users);
	free(rows->r);
	if (rows->rtnl.sock >= 0)
		close(rows->rtnl.sock);
}
