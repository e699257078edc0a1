// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: read the names and the processes, and list them.

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netnslink.h"

/* ---- reading names and processes ----------------------------------------- */

static int
cmp_proc(const void *a, const void *b)
{
	const struct proc_net *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* /proc, checked (ns_proc_root_open): what is read and opened as root
 * through it is the kernel's. */
int
proc_root(void)
{
	int fd = ns_proc_root_open_or_warn();

	if (fd < 0)
		exit(NS_EXIT_FAIL);
	return fd;
}

struct procs {
	int root;
	struct proc_net *v;
	size_t n, cap;
};

static void
add_proc(pid_t pid, void *arg)
{
	struct procs *ps = arg;
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "%d/ns/net", (int)pid);
	/* Gone meanwhile, or not ours to look at (ptrace rules). */
	if (fstatat(ps->root, path, &st, 0) != 0)
		return;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 256;
		ps->v = nonnull(reallocarray(ps->v, ps->cap, sizeof(*ps->v)));
	}
	ps->v[ps->n++] = (struct proc_net){ pid, st.st_dev, st.st_ino };
}

/* Every process whose network namespace we may see, by PID. */
struct proc_net *
scan_procs(size_t *n)
{
	struct procs ps = { .root = proc_root() };

	if (ns_proc_for_each_pid(ps.root, add_proc, &ps) != 0)
		err(NS_EXIT_FAIL, "cannot read /proc");
	close(ps.root);
	if (ps.n > 1)
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_proc);
	*n = ps.n;
	return ps.v;
}

static int
not_dots(const struct dirent *de)
{
	return strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
}

/*
 * Open the namespace NAME below the directory fd stands for, as a real fd
 * (-1 if none), and say what kind of name it is: bind, symlink, dangling
 * (a link whose process has gone), recycled (a link to /proc/PID/ns/net
 * whose PID is another process's now), unchecked (a link that reaches a
 * namespace through /proc by another path, whose process cannot be told)
 * or stale (anything else: an empty file a kill left, a file with nothing
 * mounted on it).  Nothing is opened but O_PATH until the filesystem is
 * known to be nsfs (ns_netns_open_at).
 */
static int
open_name(int dirfd, const char *name, const char **kind)
{
	struct stat lst;
	pid_t pid;
	int fd, state;

	if (fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
		*kind = "stale";
		return -1;
	}
	fd = ns_netns_open_at(dirfd, name, &state, &pid);
	switch (state) {
	case NS_LINK_LIVE:
		*kind = "symlink";
		return fd;
	case NS_LINK_DANGLING:
		*kind = "dangling";
		return -1;
	case NS_LINK_RECYCLED:
		*kind = "recycled";
		return -1;
	case NS_LINK_UNCHECKED:
		*kind = "unchecked";
		return -1;
	}
	if (pid != 0) { /* a /proc link that could not be checked */
		*kind = "dangling";
		return -1;
	}
	if (fd >= 0 && is_net_ns_fd(fd)) {
		*kind = S_ISLNK(lst.st_mode) ? "symlink" : "bind";
		return fd;
	}
	if (fd >= 0)
		close(fd);
	*kind = S_ISLNK(lst.st_mode) ? "dangling" : "stale";
	return -1;
}

/* Not root: the caller's own names, each kept by a holder process. */
struct entry *
own_entries(size_t *n)
{
	struct ns_unames_dir d;
	struct ns_uname *u;
	struct entry *v;

	*n = 0;
	if (ns_unames_open_dir(&d, false, false) != 0) {
		if (errno != ENOENT)
			exit(NS_EXIT_FAIL);
		ns_unames_close_dir(&d);
		return NULL;
	}
	if (ns_unames_read(&d, &u, n) != 0)
		exit(NS_EXIT_FAIL);
	v = calloc(*n + 1, sizeof(*v));
	if (v == NULL)
		ns_oom(NS_EXIT_FAIL);
	for (size_t i = 0; i < *n; i++) {
		v[i] = (struct entry){ u[i].name,
				       u[i].stale ? "stale" : "holder",
				       !u[i].stale, u[i].dev, u[i].netns };
		u[i].name = NULL;
	}
	ns_unames_free(u, *n);
	ns_unames_close_dir(&d);
	return v;
}

/* The names in DIR, sorted; none when DIR does not exist yet. */
struct entry *
read_entries(const char *dir, size_t *n)
{
	struct names_dir nd;
	struct dirent **de;
	struct entry *v;
	int nde;

	if (dir == NULL)
		return own_entries(n);
	nde = scandir(dir, &de, not_dots, alphasort);
	*n = 0;
	if (nde < 0) {
		if (errno == ENOENT)
			return NULL;
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	}
	open_dir(dir, &nd);
	if (nd.fd < 0)
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	v = calloc((size_t)nde + 1, sizeof(*v));
	if (v == NULL)
		ns_oom(NS_EXIT_FAIL);
	for (int i = 0; i < nde; i++) {
		struct entry *e = &v[i];
		struct stat st;
		int fd;

		e->name = strdup(de[i]->d_name);
		if (e->name == NULL)
			ns_oom(NS_EXIT_FAIL);
		free(de[i]);
		fd = open_name(nd.fd, e->name, &e->kind);
		if (fd >= 0 && fstat(fd, &st) == 0) {
			e->has_ns = true;
			e->dev = st.st_dev;
			e->ino = st.st_ino;
		}
		if (fd >= 0)
			close(fd);
	}
	free(de);
	close_dir(&nd);
	*n = (size_t)nde;
	return v;
}

void
free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* ---- printing ------------------------------------------------------------ */

static char *
xstrdup_or_null(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		ns_oom(NS_EXIT_FAIL);
	return d;
}

/* A table cell lists this many PIDs and counts the rest. */
#define PIDS_SHOWN 5

/*
 * The PIDs in E's namespace, joined by SEP; with SHORT, the first
 * PIDS_SHOWN and "and N more" (the host's namespace holds every process,
 * and a row of them all would make every line of the table that long).
 */
static char *
pid_list(const struct entry *e, const struct proc_net *procs, size_t nprocs,
	 const char *sep, bool short_form, size_t *count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*count = 0;
	if (f == NULL)
		ns_oom(NS_EXIT_FAIL);
	for (size_t i = 0; i < nprocs; i++) {
		if (procs[i].dev != e->dev || procs[i].ino != e->ino)
			continue;
		if (!short_form || *count < PIDS_SHOWN)
			fprintf(f, "%s%d", *count ? sep : "",
				(int)procs[i].pid);
		(*count)++;
	}
	if (short_form && *count > PIDS_SHOWN)
		fprintf(f, " and %zu more", *count - PIDS_SHOWN);
	if (fclose(f) != 0)
		err(NS_EXIT_FAIL, "cannot make the table");
	if (*count == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
same_ns(const struct entry *e, const struct stat *st)
{
	return e->has_ns && st != NULL && st->st_dev == e->dev &&
	       st->st_ino == e->ino;
}

static const char *
note(const struct entry *e, const struct stat *host, const struct stat *self)
{
	if (same_ns(e, host))
		return "host";
	if (same_ns(e, self))
		return "current";
	return NULL;
}

static char *
cell(const struct netnslink_opts *o, const struct entry *e, int col,
     const struct proc_net *procs, size_t nprocs, const struct stat *host,
     const struct stat *self)
{
	char *s = NULL;
	size_t count;

	switch (col) {
	case COL_NAME:
		return xstrdup_or_null(e->name);
	case COL_KIND:
		return xstrdup_or_null(e->kind);
	case COL_NOTE:
		return xstrdup_or_null(note(e, host, self));
	}
	if (!e->has_ns)
		return NULL;
	switch (col) {
	case COL_NS:
		if (asprintf(&s, "%ju", (uintmax_t)e->ino) < 0)
			ns_oom(NS_EXIT_FAIL);
		return s;
	case COL_NPROCS:
		free(pid_list(e, procs, nprocs, ",", false, &count));
		if (asprintf(&s, "%zu", count) < 0)
			ns_oom(NS_EXIT_FAIL);
		return s;
	case COL_PIDS:
		return pid_list(e, procs, nprocs, o->out.json ? "\n" : ",",
				!o->out.json && !o->out.raw, &count);
	}
	return NULL;
}

int
list_names(const struct netnslink_opts *o)
{
	struct libscols_table *tb;
	struct proc_net *procs;
	struct entry *ents;
	struct stat host, self;
	bool have_host, have_self;
	size_t n, nprocs;
	int root;

	ents = read_entries(o->dir, &n);
	procs = scan_procs(&nprocs);
	/* PID 1 may not be ours to look at (ptrace rules): then no "host". */
	root = proc_root();
	have_host = fstatat(root, "1/ns/net", &host, 0) == 0;
	close(root);
	have_self = ns_own_ns_stat(&ns_types[NS_NET], NULL, &self) == 0;
	tb = ns_table_new(&o->out, columns, o->sel, o->nsel);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (ln == NULL)
			err(NS_EXIT_FAIL, "cannot make the table");
		for (size_t c = 0; c < o->nsel; c++) {
			char *s = cell(o, &ents[i], o->sel[c], procs, nprocs,
				       have_host ? &host : NULL,
				       have_self ? &self : NULL);

			if (s != NULL && scols_line_refer_data(ln, c, s) != 0)
				err(NS_EXIT_FAIL, "cannot make the table");
		}
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
	free(procs);
	free_entries(ents, n);
	return NS_EXIT_OK;
}

int
identify(const struct netnslink_opts *o)
{
	struct ns_proc p;
	struct entry *ents;
	struct stat st;
	size_t n;
	int fd;

	if (ns_proc_open_or_warn(-1, o->pid, &p) != 0)
		exit(NS_EXIT_FAIL);
	fd = ns_proc_open_ns(&p, "net");
	if (fd < 0 || fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot open the network namespace of PID %d",
		    (int)o->pid);
	close(fd);
	ns_proc_close(&p);
	ents = read_entries(o->dir, &n);
	for (size_t i = 0; i < n; i++)
		if (ents[i].has_ns && ents[i].dev == st.st_dev &&
		    ents[i].ino == st.st_ino)
			puts(ents[i].name);
	free_entries(ents, n);
	return NS_EXIT_OK;
}

int
print_pids(const struct netnslink_opts *o)
{
	char *path = path_of(o->dir, o->name);
	struct names_dir nd;
	struct proc_net *procs;
	const char *kind;
	struct stat st;
	size_t nprocs;
	int fd;

	open_dir(o->dir, &nd);
	if (nd.fd < 0)
		err(NS_EXIT_FAIL, "cannot open %s", path);
	fd = open_name(nd.fd, o->name, &kind);
	close_dir(&nd);
	if (fd < 0 && strcmp(kind, "recycled") == 0)
		errx(NS_EXIT_FAIL,
		     "%s is a link to a PID that is another process's now",
		     path);
	if (fd < 0 && strcmp(kind, "unchecked") == 0)
		errx(NS_EXIT_FAIL,
		     "%s reaches a namespace through a /proc/PID path that cannot be checked against a reused PID",
		     path);
	if (fd < 0 && strcmp(kind, "dangling") == 0)
		errx(NS_EXIT_FAIL, "%s is a link to a process that has exited",
		     path);
	if (fd < 0 && errno == ENOENT)
		err(NS_EXIT_FAIL, "cannot open %s", path);
	if (fd < 0)
		errx(NS_EXIT_FAIL, "%s is not a network namespace", path);
	if (fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot stat %s", path);
	close(fd);
	procs = scan_procs(&nprocs);
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].dev == st.st_dev && procs[i].ino == st.st_ino)
			printf("%d\n", (int)procs[i].pid);
	free(procs);
	free(path);
	return NS_EXIT_OK;
}
