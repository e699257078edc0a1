// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: namespaces held by a bind mount, from every mount namespace. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsls.h"

/* ---- nsfs mounts: namespaces held by a bind mount ----------------------- */

/*
 * The kernel ABI of statmount(2) and listmount(2) (6.8; of another mount
 * namespace since 6.11) and of the mount namespace ioctls (6.12), under our
 * own names: the libc and kernel headers here may predate them, or define
 * them some day.
 */
struct nsls_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts;
	uint64_t mnt_ns_id;
};

#define NSLS_NSIO 0xb7
#define NSLS_MNT_GET_INFO _IOR(NSLS_NSIO, 10, struct nsls_mnt_ns_info)
#define NSLS_MNT_GET_NEXT _IOR(NSLS_NSIO, 11, struct nsls_mnt_ns_info)
#define NSLS_MNT_GET_PREV _IOR(NSLS_NSIO, 12, struct nsls_mnt_ns_info)

struct nsls_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};

/* The fixed part is 512 bytes in every version; strings follow it. */
struct nsls_statmount {
	uint32_t size, mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags, fs_type;
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root, mnt_point;
	uint64_t spare[50];
	char str[];
};

#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#define NSLS_LSMT_ROOT 0xffffffffffffffffULL
#define NSLS_STATMOUNT_SB_BASIC 0x01U
#define NSLS_STATMOUNT_MNT_BASIC 0x02U
#define NSLS_STATMOUNT_MNT_ROOT 0x08U
#define NSLS_STATMOUNT_MNT_POINT 0x10U

/* One nsfs mount of a wanted namespace, in mount namespace MNTNS. */
struct nsfs_mount {
	const struct ns_type *type;
	ino_t ino;
	ino_t mntns;
	char *point; /* from the root of MNTNS */
	unsigned id; /* its mount ID as mountinfo shows it */
};

/* A mount table as one process sees it (its /proc/PID/mountinfo). */
struct mnt_entry {
	unsigned id, parent;
	const char *point; /* into text */
};

struct mnt_view {
	ino_t mntns;
	bool readable;
	char *text;
	struct mnt_entry *e;
	size_t n;
};

struct nsfs_mounts {
	struct nsfs_mount *m;
	size_t n;
	/*
	 * Every mount namespace met (also with mnt not a wanted type, -t
	 * net) and its lowest PID, 0 while none is known: a lookup per
	 * process or mount is O(1).
	 */
	struct ino_table mntns;
	/* Read for the copies shown, to tell a hidden one: see mount_hidden */
	struct mnt_view *views;
	size_t nviews;
};

static void
free_nsfs_mounts(struct nsfs_mounts *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].point);
	free(ms->m);
	for (size_t i = 0; i < ms->nviews; i++) {
		free(ms->views[i].text);
		free(ms->views[i].e);
	}
	free(ms->views);
	ino_table_free(&ms->mntns);
	memset(ms, 0, sizeof(*ms));
}

/* The namespace ROOT ("net:[4026532000]") names, if of a wanted type. */
static bool
wanted_nsfs_root(const struct nsls_opts *o, const char *root,
		 const struct ns_type **t, ino_t *ino)
{
	size_t ti;

	if (kt_parse_link(&o->kt, root, &ti, ino) != 0 || !want_type(o, ti))
		return false;
	*t = o->kt.t[ti];
	return true;
}

/* Mount namespace INO with PID if new; NULL if it was there already. */
static struct ino_slot *
mntns_add(struct nsfs_mounts *ms, ino_t ino, pid_t pid)
{
	bool made;
	struct ino_slot *e = ino_table_add(&ms->mntns, ino, &made);

	if (!made)
		return NULL;
	e->pid = pid;
	return e;
}

static void
add_nsfs_mount(struct nsfs_mounts *ms, const struct ns_type *t, ino_t ino,
	       const char *point, ino_t mntns, unsigned id)
{
	ms->m = xrealloc(ms->m, ms->n + 1, sizeof(*ms->m));
	ms->m[ms->n++] =
		(struct nsfs_mount){ t, ino, mntns, xstrdup(point), id };
}

/*
 * The nsfs mounts of the mount namespace NSID through statmount(2): a
 * superblock magic per mount, the strings only for nsfs.  Far cheaper than
 * having the kernel format a whole mountinfo.  -1 with errno when the
 * kernel cannot do it; 0 otherwise, also when the namespace died meanwhile.
 */
static int
read_mount_table(struct nsfs_mounts *ms, const struct nsls_opts *o,
		 uint64_t nsid, int nsfd, struct nsls_statmount *sm,
		 size_t bufsize)
{
	enum { BATCH = 512 };
	struct nsls_mnt_id_req req = {
		.size = sizeof(req),
		.mnt_id = NSLS_LSMT_ROOT,
		.mnt_ns_id = nsid,
	};
	uint64_t ids[BATCH];
	const struct ns_type *t;
	struct stat st = { 0 };
	ino_t ino;
	long n;

	do {
		n = syscall(SYS_listmount, &req, ids, BATCH, 0);
		if (n < 0) {
			/* Gone, or not ours to see: nothing there. */
			return errno == ENOENT || errno == EPERM ? 0 : -1;
		}
		for (long i = 0; i < n; i++) {
			struct nsls_mnt_id_req q = {
				.size = sizeof(q),
				.mnt_id = ids[i],
				.param = NSLS_STATMOUNT_SB_BASIC,
				.mnt_ns_id = nsid,
			};

			if (syscall(SYS_statmount, &q, sm, bufsize, 0) != 0 ||
			    sm->sb_magic != NSFS_MAGIC)
				continue;
			q.param = NSLS_STATMOUNT_MNT_BASIC |
				  NSLS_STATMOUNT_MNT_ROOT |
				  NSLS_STATMOUNT_MNT_POINT;
			if (syscall(SYS_statmount, &q, sm, bufsize, 0) != 0 ||
			    (sm->mask & q.param) != q.param ||
			    !wanted_nsfs_root(o, sm->str + sm->mnt_root, &t,
					      &ino))
				continue;
			/* The namespace's inode: only where it is needed. */
			if (st.st_ino == 0 && fstat(nsfd, &st) != 0)
				continue;
			add_nsfs_mount(ms, t, ino, sm->str + sm->mnt_point,
				       st.st_ino, sm->mnt_id_old);
		}
		if (n > 0)
			req.param = ids[n - 1];
	} while (n == BATCH);
	return 0;
}

/*
 * The mount tables of the mount namespaces before (STEP NSLS_MNT_GET_PREV)
 * or after (NSLS_MNT_GET_NEXT) SELF, up to the end.  -1 when one fails.
 */
static int
walk_from(struct nsfs_mounts *ms, const struct nsls_opts *o, int self,
	  unsigned long step, struct nsls_statmount *sm, size_t bufsize)
{
	struct nsls_mnt_ns_info info = { .size = sizeof(info) };
	int cur = self, next, e;

	for (;;) {
		next = ioctl(cur, step, &info);
		e = errno;
		if (cur != self)
			close(cur);
		if (next < 0)
			return e == ENOENT ? 0 : -1;
		if (read_mount_table(ms, o, info.mnt_ns_id, next, sm,
				     bufsize) != 0) {
			close(next);
			return -1;
		}
		cur = next;
	}
}

/*
 * Every mount namespace, also one no process is in, walked with
 * NS_MNT_GET_PREV/NEXT from ours (each one the caller may administer):
 * no per-process work at all.  -1 when the kernel has not got it.
 */
static int
find_nsfs_mounts_by_walk(struct scan *s, const struct nsls_opts *o,
			 struct nsfs_mounts *ms)
{
	struct nsls_mnt_ns_info info = { .size = sizeof(info) };
	size_t bufsize = sizeof(struct nsls_statmount) + 2 * (size_t)PATH_MAX;
	struct nsls_statmount *sm;
	int self, rc = -1;

	if (!ns_caps_effective(CAP_SYS_ADMIN))
		return -1;
	self = openat(s->procdir, "self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	sm = xrealloc(NULL, 1, bufsize);
	if (ioctl(self, NSLS_MNT_GET_INFO, &info) != 0 ||
	    read_mount_table(ms, o, info.mnt_ns_id, self, sm, bufsize) != 0)
		goto out;
	if (walk_from(ms, o, self, NSLS_MNT_GET_PREV, sm, bufsize) == 0 &&
	    walk_from(ms, o, self, NSLS_MNT_GET_NEXT, sm, bufsize) == 0)
		rc = 0;
out:
	free(sm);
	close(self);
	return rc;
}

/*
 * Without that walk: the mountinfo of one process per mount namespace,
 * which takes the mount namespace of every process.
 */
static void
read_mnt_links(struct scan *s)
{
	char path[64], link[64];
	const struct ns_type *t;
	ssize_t n;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct proc *p = &s->procs[i];

		if (p->ino[NS_MNT] != 0)
			continue;
		snprintf(path, sizeof(path), "%d/ns/mnt", p->pid);
		n = readlinkat(s->procdir, path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (ns_parse_ns_link(link, &t, &p->ino[NS_MNT]) != 0)
			p->ino[NS_MNT] = 0;
	}
}

static void
find_nsfs_mounts_by_proc(struct scan *s, const struct nsls_opts *o,
			 struct nsfs_mounts *ms)
{
	read_mnt_links(s);
	/* procs is sorted: the first of a mount namespace is its lowest. */
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char path[64], *text, *line, *save = NULL;
		struct ns_mountinfo mi;

		if (p->ino[NS_MNT] == 0 ||
		    mntns_add(ms, p->ino[NS_MNT], p->pid) == NULL)
			continue;
		snprintf(path, sizeof(path), "%d/mountinfo", p->pid);
		text = read_file_at(s->procdir, path, NULL, false);
		if (text == NULL)
			continue;
		for (line = strtok_r(text, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			const struct ns_type *t;
			ino_t ino;

			if (strstr(line, " - nsfs ") != NULL &&
			    ns_mountinfo_parse(line, &mi) == 0 &&
			    wanted_nsfs_root(o, mi.root, &t, &ino))
				add_nsfs_mount(ms, t, ino, mi.mountpoint,
					       p->ino[NS_MNT], mi.id);
		}
		free(text);
	}
}

/*
 * The lowest PID in each mount namespace that holds a wanted mount, read
 * lazily: with -t net, the mount namespace of every process is needed only
 * when some other mount namespace has a net namespace mounted, and the scan
 * stops once each has its PID.
 */
static void
find_mntns_pids(struct scan *s, struct nsfs_mounts *ms, ino_t self_mnt)
{
	size_t missing = 0;

	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].mntns != self_mnt &&
		    mntns_add(ms, ms->m[i].mntns, 0) != NULL)
			missing++;
	for (size_t i = 0; i < s->nprocs && missing > 0; i++) {
		struct proc *p = &s->procs[i];
		char path[64], link[64];
		const struct ns_type *t;
		struct ino_slot *e;
		ssize_t n;

		if (p->ino[NS_MNT] == 0) {
			snprintf(path, sizeof(path), "%d/ns/mnt", p->pid);
			n = readlinkat(s->procdir, path, link,
				       sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (ns_parse_ns_link(link, &t, &p->ino[NS_MNT]) != 0) {
				p->ino[NS_MNT] = 0;
				continue;
			}
		}
		e = ino_table_find(&ms->mntns, p->ino[NS_MNT]);
		if (e != NULL && e->pid == 0) {
			e->pid = p->pid;
			missing--;
		}
	}
}

static int
by_ns_point(const void *a, const void *b)
{
	const struct nsfs_mount *x = a, *y = b;

	if (x->ino != y->ino)
		return (x->ino > y->ino) - (x->ino < y->ino);
	return strcmp(x->point, y->point);
}

/*
 * Our own mountinfo, through /proc/self (read_file_at follows no link):
 * the directory it leads to checked to be of the same procfs.
 */
static char *
read_own_mountinfo(const struct scan *s)
{
	struct stat self, proc;
	char *text = NULL;
	int fd = openat(s->procdir, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &self) == 0 && fstat(s->procdir, &proc) == 0 &&
	    self.st_dev == proc.st_dev)
		text = read_file_at(fd, "mountinfo", NULL, false);
	close(fd);
	return text;
}

/* The mount table PID (0: we) sees for mount namespace MNTNS, read once. */
static const struct mnt_view *
get_view(struct scan *s, struct nsfs_mounts *ms, ino_t mntns, pid_t pid)
{
	struct mnt_view *v;
	char path[64], *line, *save = NULL;
	struct ns_mountinfo mi;

	for (size_t i = 0; i < ms->nviews; i++)
		if (ms->views[i].mntns == mntns)
			return ms->views[i].readable ? &ms->views[i] : NULL;
	ms->views = xrealloc(ms->views, ms->nviews + 1, sizeof(*ms->views));
	v = &ms->views[ms->nviews++];
	*v = (struct mnt_view){ .mntns = mntns };
	snprintf(path, sizeof(path), "%d/mountinfo", pid);
	v->text = pid == 0 ? read_own_mountinfo(s)
			   : read_file_at(s->procdir, path, NULL, false);
	if (v->text == NULL)
		return NULL;
	for (line = strtok_r(v->text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (ns_mountinfo_parse(line, &mi) != 0)
			continue;
		v->e = xrealloc(v->e, v->n + 1, sizeof(*v->e));
		v->e[v->n++] =
			(struct mnt_entry){ mi.id, mi.parent, mi.mountpoint };
	}
	v->readable = true;
	return v;
}

static size_t
view_find(const struct mnt_view *v, unsigned id)
{
	size_t i = 0;

	while (i < v->n && v->e[i].id != id)
		i++;
	return i;
}

/* Does a path lookup of PATH go through directory DIR (and on)? */
static bool
goes_through(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (strcmp(dir, path) == 0)
		return false;
	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(dir, path, n) == 0 && path[n] == '/';
}

/*
 * Is a mount on X (index in V) in the way of a lookup that should go on
 * from X into its child BELOW, mounted on PATH (V->n: none, PATH is X's
 * own point)?  A child of X mounted on a directory the lookup passes on
 * the way to PATH, or, when the lookup ends at X, one stacked on X.
 */
static bool
in_the_way(const struct mnt_view *v, size_t x, size_t below, const char *path)
{
	for (size_t d = 0; d < v->n; d++) {
		const char *point = v->e[d].point;

		if (d == below || d == x || v->e[d].parent != v->e[x].id)
			continue;
		if (goes_through(point, path) ||
		    (below == v->n && strcmp(point, path) == 0))
			return true;
	}
	return false;
}

/*
 * Can no one reach mount M at its path any more, in the view of PID (0:
 * ours) of its mount namespace?  It is hidden when that process's root does
 * not hold it (the kernel leaves such mounts out of mountinfo: after
 * chroot, or nspawn's root moved over the old one), or when a mount made
 * later covers its mount point or a directory above it: the lookup of its
 * path, going down the chain of mounts from the root to M, meets a mount
 * that is not on that chain.  Unreadable (the process went): not hidden.
 */
static bool
mount_hidden(struct scan *s, struct nsfs_mounts *ms, const struct nsfs_mount *m,
	     pid_t pid, const char **point)
{
	const struct mnt_view *v = get_view(s, ms, m->mntns, pid);
	size_t x, below, steps;

	*point = m->point;
	if (v == NULL)
		return false;
	x = view_find(v, m->id);
	if (x == v->n || v->e == NULL)
		return true;
	/* from that process's root, where statmount's is the namespace's */
	*point = v->e[x].point;
	for (below = v->n, steps = 0; x < v->n && steps < v->n; steps++) {
		if (in_the_way(v, x, below,
			       v->e[below < v->n ? below : x].point))
			return true;
		below = x;
		x = v->e[x].parent == v->e[x].id ? v->n
						 : view_find(v, v->e[x].parent);
	}
	return false;
}

/* 0 for a copy in our mount namespace, else its lowest PID, -1 if none. */
static pid_t
copy_pid(const struct nsfs_mounts *ms, const struct nsfs_mount *m,
	 ino_t self_mnt)
{
	const struct ino_slot *e;

	if (m->mntns == self_mnt)
		return 0;
	e = ino_table_find(&ms->mntns, m->mntns);
	return e != NULL && e->pid != 0 ? e->pid : -1;
}

/*
 * Of the mounts M[0..N) of one namespace on one path, the one to show:
 * one that can be reached, in our own mount namespace, else in one a
 * process is in (a path to it); else the first of those, *HIDDEN; else
 * one in a mount namespace no process is in (*PID 0).  *POINT: its path
 * from that process's root (ours).
 */
static const struct nsfs_mount *
pick_copy(struct scan *s, struct nsfs_mounts *ms, const struct nsfs_mount *m,
	  size_t n, ino_t self_mnt, pid_t *pid, bool *hidden,
	  const char **point)
{
	const struct nsfs_mount *first = NULL;
	pid_t first_pid = 0;

	*hidden = false;
	for (int ours = 1; ours >= 0; ours--) {
		for (size_t i = 0; i < n; i++) {
			pid_t p = copy_pid(ms, &m[i], self_mnt);

			if (p < 0 || (p == 0) != (ours == 1))
				continue;
			if (!mount_hidden(s, ms, &m[i], p, point)) {
				*pid = p;
				return &m[i];
			}
			if (first == NULL) {
				first = &m[i];
				first_pid = p;
			}
		}
	}
	*pid = first_pid;
	*hidden = first != NULL;
	*point = first != NULL ? first->point : m->point;
	return first != NULL ? first : m;
}

/* " (hidden, +2 copies)", " (+1 copy)", " (hidden)" or "" in BUF. */
static void
holder_note(char *buf, size_t size, bool hidden, size_t copies)
{
	const char *h = hidden ? "hidden" : "";
	const char *sep = hidden && copies > 0 ? ", " : "";

	if (copies == 0 && !hidden)
		buf[0] = '\0';
	else if (copies == 0)
		snprintf(buf, size, " (%s)", h);
	else
		snprintf(buf, size, " (%s%s+%zu cop%s)", h, sep, copies,
			 copies == 1 ? "y" : "ies");
}

/*
 * One holder per namespace and path: the same bind mount propagated into
 * many mount namespaces (ip netns add's /run/netns is shared, and every
 * unshare -m copies it) is one mount to a person, "mount:PATH (+N
 * copies)".  Ours also makes the NSFS column and the PATH; another's is
 * reached through /proc/PID/root of a process in it, and named by its
 * mount namespace where it has none.  A hidden one says so.
 */
static void
add_mount_holders(struct scan *s, struct nsfs_mounts *ms, ino_t self_mnt)
{
	if (ms->n > 0)
		qsort(ms->m, ms->n, sizeof(*ms->m), by_ns_point);
	for (size_t i = 0, j; i < ms->n; i = j) {
		const struct nsfs_mount *m;
		char copies[64] = "";
		struct ns *ns;
		const char *point;
		bool hidden;
		pid_t pid;

		for (j = i + 1;
		     j < ms->n && by_ns_point(&ms->m[i], &ms->m[j]) == 0; j++)
			continue;
		m = pick_copy(s, ms, &ms->m[i], j - i, self_mnt, &pid, &hidden,
			      &point);
		ns = nsls_get(s, m->ino, m->type);
		holder_note(copies, sizeof(copies), hidden, j - i - 1);
		if (m->mntns == self_mnt)
			add_string(&ns->holders, &ns->nholders, "mount:%s%s",
				   point, copies);
		else if (pid == 0)
			add_string(&ns->holders, &ns->nholders,
				   "mount:mnt:[%lu]%s%s",
				   (unsigned long)m->mntns, point, copies);
		else
			add_string(&ns->holders, &ns->nholders,
				   "mount:/proc/%d/root%s%s", pid, point,
				   copies);
		/* a hidden mount's path opens something else, or nothing */
		if (hidden)
			continue;
		if (m->mntns == self_mnt)
			add_string(&ns->nsfs, &ns->nnsfs, "%s", point);
		if (m->mntns == self_mnt || pid != 0)
			set_src(ns, SRC_MOUNT, pid, point);
	}
}

/*
 * Every nsfs mount point, sorted and once each: where a process may have
 * opened a namespace file through a bind mount, its fd's link reads so.
 */
static void
keep_mount_points(struct scan *s, const struct nsfs_mounts *ms)
{
	size_t n = 0;

	if (ms->n == 0)
		return;
	s->nsfs_points = xrealloc(NULL, ms->n, sizeof(char *));
	for (size_t i = 0; i < ms->n; i++)
		s->nsfs_points[i] = ms->m[i].point;
	qsort(s->nsfs_points, ms->n, sizeof(char *), str_cmp);
	for (size_t i = 0; i < ms->n; i++)
		if (n == 0 ||
		    strcmp(s->nsfs_points[n - 1], s->nsfs_points[i]) != 0)
			s->nsfs_points[n++] = s->nsfs_points[i];
	for (size_t i = 0; i < n; i++)
		s->nsfs_points[i] = xstrdup(s->nsfs_points[i]);
	s->nnsfs_points = n;
}

void
scan_mounts(struct scan *s, const struct nsls_opts *o, ino_t self_mnt)
{
	struct nsfs_mounts ms = { 0 };

	if (find_nsfs_mounts_by_walk(s, o, &ms) != 0) {
		free_nsfs_mounts(&ms);
		find_nsfs_mounts_by_proc(s, o, &ms);
	}
	find_mntns_pids(s, &ms, self_mnt);
	add_mount_holders(s, &ms, self_mnt);
	keep_mount_points(s, &ms);
	free_nsfs_mounts(&ms);
}
