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

/* -1 where no id is assigned or the namespace cannot be opened. */
static int32_t
read_netnsid(const struct scan *s, struct rows *rows, const struct ns *ns)
{
	int32_t id;
	int fd = open_ns(s, ns);

	if (fd < 0) {
		fail_if_exhausted("cannot open namespace %lu",
				  (unsigned long)ns->ino);
		return -1;
	}
	id = netnsid_of(&rows->rtnl, fd);
	close(fd);
	return id;
}

static void
resolve_row(const struct scan *s, const struct nsls_opts *o, struct rows *rows,
	    struct row *r)
{
	const struct ns *ns = r->ns;
	const struct row *prev = r > rows->r ? r - 1 : NULL;

	r->netnsid = -1;
	/*
	 * Namespaces made together (unshare -uin) have neighbouring inodes
	 * and one process: it is read once.
	 */
	if (ns->pid != 0 && prev != NULL && prev->ns->pid == ns->pid) {
		r->ppid = prev->ppid;
		r->have_uid = prev->have_uid;
		r->uid = prev->uid;
		if (prev->command != NULL)
			r->command = xstrdup(prev->command);
	} else if (ns->pid != 0) {
		read_shown_process(s, o, ns->pid, r);
	}
	if (r->have_uid && want_col(o, COL_USER))
		r->user = user_name(rows, r->uid);
	if (want_col(o, COL_NETNSID) && ns->type == &ns_types[3])
		r->netnsid = read_netnsid(s, rows, ns);
	if (want_col(o, COL_PATH))
		r->path = nsls_path(ns);
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
	    const struct ns *ns, pid_t ppid)
{
	const struct proc *pp;

	switch (o->tree) {
	case TREE_OWNER:
		return ns->owner ? nsls_find(s, ns->owner) : NULL;
	case TREE_PARENT:
		return ns->parent ? nsls_find(s, ns->parent) : NULL;
	case TREE_PROCESS:
		if (ns->nprocs == 0 || ppid == 0)
			return NULL;
		pp = proc_find(s, ppid);
		if (pp == NULL)
			return NULL;
		return nsls_find(s, pp->ino[kt_index(&o->kt, ns->type)]);
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

/* Its row, if NS is shown. */
static struct row *
row_of(const struct rows *rows, const struct ns *ns)
{
	if (ns == NULL || rows->n == 0)
		return NULL;
	return bsearch(&ns->ino, rows->r, rows->n, sizeof(*rows->r), row_cmp);
}

/*
 * The namespaces shown, by inode, each with what its row shows and its
 * parent row in the tree (a namespace its own parent has none).
 */
void
resolve_rows(struct scan *s, const struct nsls_opts *o, const ino_t *task_ns,
	     struct rows *rows)
{
	if (s->nall > 0)
		qsort(s->all, s->nall, sizeof(struct ns *), by_inode);
	rows->r = xrealloc(NULL, s->nall, sizeof(*rows->r));
	for (size_t i = 0; i < s->nall; i++)
		if (is_shown(s->all[i], o, task_ns))
			rows->r[rows->n++] = (struct row){ .ns = s->all[i] };
	for (size_t i = 0; i < rows->n; i++)
		resolve_row(s, o, rows, &rows->r[i]);
	if (o->tree == TREE_NONE)
		return;
	for (size_t i = 0; i < rows->n; i++) {
		struct row *r = &rows->r[i];
		struct row *p = row_of(rows, tree_parent(s, o, r->ns, r->ppid));

		r->parent = p != r ? p : NULL;
	}
}

void
free_rows(struct rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->r[i].command);
		free(rows->r[i].path);
	}
	for (size_t i = 0; i < rows->nusers; i++)
		free(rows->users[i].name);
	free(rows->users);
	free(rows->r);
	if (rows->rtnl.sock >= 0)
		close(rows->rtnl.sock);
}
