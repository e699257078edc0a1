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
#define NSLS_STATMOUNT_MNT_ROOT 0x08U
#define NSLS_STATMOUNT_MNT_POINT 0x10U

/* One nsfs mount of a wanted namespace, in mount namespace MNTNS. */
struct nsfs_mount {
	const struct ns_type *type;
	ino_t ino;
	ino_t mntns;
	char *point; /* from the root of MNTNS */
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
};

static void
free_nsfs_mounts(struct nsfs_mounts *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].point);
	free(ms->m);
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
	       const char *point, ino_t mntns)
{
	ms->m = xrealloc(ms->m, ms->n + 1, sizeof(*ms->m));
	ms->m[ms->n++] = (struct nsfs_mount){ t, ino, mntns, xstrdup(point) };
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
			q.param = NSLS_STATMOUNT_MNT_ROOT |
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
				       st.st_ino);
		}
		if (n > 0)
			req.param = ids[n - 1];
	} while (n == BATCH);
	return 0;
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
	static const unsigned long step[] = { NSLS_MNT_GET_PREV,
					      NSLS_MNT_GET_NEXT };
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
	for (size_t d = 0; d < 2; d++) {
		int cur = self, next, e;

		for (;;) {
			next = ioctl(cur, step[d], &info);
			e = errno;
			if (cur != self)
				close(cur);
			if (next < 0 && e == ENOENT)
				break;
			if (next < 0 ||
			    read_mount_table(ms, o, info.mnt_ns_id, next, sm,
					     bufsize) != 0) {
				if (next >= 0)
					close(next);
				goto out;
			}
			cur = next;
		}
	}
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
					       p->ino[NS_MNT]);
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
 * Of the mounts M[0..N) of one namespace on one path, the one to show: in
 * our own mount namespace, else in one a process is in (a path to it).
 */
static const struct nsfs_mount *
pick_copy(const struct nsfs_mounts *ms, const struct nsfs_mount *m, size_t n,
	  ino_t self_mnt, pid_t *pid)
{
	const struct nsfs_mount *best = m;
	const struct ino_slot *e;

	*pid = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].mntns == self_mnt)
			return &m[i];
		e = ino_table_find(&ms->mntns, m[i].mntns);
		if (*pid == 0 && e != NULL && e->pid != 0) {
			best = &m[i];
			*pid = e->pid;
		}
	}
	return best;
}

/*
 * One holder per namespace and path: the same bind mount propagated into
 * many mount namespaces (ip netns add's /run/netns is shared, and every
 * unshare -m copies it) is one mount to a person, "mount:PATH (+N
 * copies)".  Ours also makes the NSFS column and the PATH; another's is
 * reached through /proc/PID/root of a process in it, and named by its
 * mount namespace where it has none.
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
		pid_t pid;

		for (j = i + 1;
		     j < ms->n && by_ns_point(&ms->m[i], &ms->m[j]) == 0; j++)
			continue;
		m = pick_copy(ms, &ms->m[i], j - i, self_mnt, &pid);
		ns = nsls_get(s, m->ino, m->type);
		if (j - i > 1)
			snprintf(copies, sizeof(copies), " (+%zu cop%s)",
				 j - i - 1, j - i == 2 ? "y" : "ies");
		if (m->mntns == self_mnt) {
			add_string(&ns->holders, &ns->nholders, "mount:%s%s",
				   m->point, copies);
			add_string(&ns->nsfs, &ns->nnsfs, "%s", m->point);
			set_src(ns, SRC_MOUNT, 0, m->point);
		} else if (pid == 0) {
			add_string(&ns->holders, &ns->nholders,
				   "mount:mnt:[%lu]%s%s",
				   (unsigned long)m->mntns, m->point, copies);
		} else {
			add_string(&ns->holders, &ns->nholders,
				   "mount:/proc/%d/root%s%s", pid, m->point,
				   copies);
			set_src(ns, SRC_MOUNT, pid, m->point);
		}
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
