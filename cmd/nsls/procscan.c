// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls: what /proc tells: processes, held fds and sockets, relations, names. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <linux/sockios.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsls.h"

/* ---- scanning /proc ----------------------------------------------------- */

/*
 * A process that shuts us out (even root: PID 1 in some containers) is
 * counted, and the first few named, so the listing says what it lacks.
 */
static void
note_unreadable(struct scan *s, pid_t pid)
{
	if (s->unreadable < ARRAY_SIZE(s->unreadable_pid))
		s->unreadable_pid[s->unreadable] = pid;
	s->unreadable++;
}

/*
 * "TYPE:[INO]" for the TYPE expected (LINK of LEN bytes, NUL-ended): the
 * link of nearly every namespace file read, parsed with no library call
 * (strspn and strtoull were an eighth of our user time on 2,000
 * processes).  Anything else is left to ns_split_ns_link.
 */
static bool
parse_expected_link(const char *link, size_t len, const char *type, size_t tlen,
		    ino_t *ino)
{
	unsigned long long v = 0;

	if (len < tlen + 4 || memcmp(link, type, tlen) != 0 ||
	    link[tlen] != ':' || link[tlen + 1] != '[' ||
	    link[tlen + 2] == '0' || link[len - 1] != ']')
		return false;
	for (size_t i = tlen + 2; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > (ULLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned)(link[i] - '0');
	}
	*ino = (ino_t)v;
	return true;
}

/*
 * The namespaces of PID, one readlink per type the request needs:
 * "net:[INO]" comes from the process alone, where stat would also look up
 * the nsfs dentry (about twice the cost).  The whole path each time: an
 * fd of /proc/PID/ns saves two lookups per link but costs two system
 * calls of its own, no faster here and over the budget of 20 a process.
 * -1 with errno where the process shuts us out or was gone before its
 * first link.
 */
static int
read_ns_links(const struct scan *s, const struct nsls_opts *o, pid_t pid,
	      unsigned stat_types, struct proc *p)
{
	char path[32 + NS_TYPE_NAME_MAX], link[64], name[NS_TYPE_NAME_MAX];
	int len = snprintf(path, sizeof(path), "%d/ns/", pid);
	bool seen = false;
	size_t nl;
	ssize_t n;

	for (size_t t = 0; t < o->kt.n; t++) {
		if (!(stat_types & (1u << t)))
			continue;
		nl = strnlen(o->kt.t[t]->name, NS_TYPE_NAME_MAX - 1);
		memcpy(path + len, o->kt.t[t]->name, nl);
		path[(size_t)len + nl] = '\0';
		n = readlinkat(s->procdir, path, link, sizeof(link) - 1);
		if (n < 0 && (errno == EACCES || errno == EPERM || !seen))
			return -1;
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (parse_expected_link(link, (size_t)n, o->kt.t[t]->name, nl,
					&p->ino[t]) ||
		    ns_split_ns_link(link, name, &p->ino[t]) == 0)
			seen = true;
	}
	return 0;
}

/* ---- the namespaces of every process ------------------------------------ */

enum proc_state { PROC_READ, PROC_UNREADABLE, PROC_GONE };

struct links_job {
	const struct scan *s;
	const struct nsls_opts *o;
	unsigned stat_types;
	unsigned char *state; /* enum proc_state, by index into s->procs */
};

static void
read_links_of(size_t i, void *arg)
{
	struct links_job *j = arg;
	struct proc *p = &j->s->procs[i];

	if (read_ns_links(j->s, j->o, p->pid, j->stat_types, p) == 0)
		j->state[i] = PROC_READ;
	else if (errno == EACCES || errno == EPERM)
		j->state[i] = PROC_UNREADABLE;
	else /* gone (or a zombie) before its first link */
		j->state[i] = PROC_GONE;
}

/* Into the table: a process read, by its namespaces. */
static void
count_process(struct scan *s, const struct nsls_opts *o, const struct proc *p)
{
	for (size_t t = 0; t < o->kt.n; t++) {
		struct ns *ns;

		if (p->ino[t] == 0 || !want_type(o, t))
			continue;
		ns = nsls_get(s, p->ino[t], o->kt.t[t]);
		if (ns->nprocs++ == 0 || p->pid < ns->pid)
			ns->pid = p->pid;
	}
}

static void
add_pid(pid_t pid, void *arg)
{
	struct scan *s = arg;

	if (s->nprocs == s->allocprocs) {
		s->allocprocs = s->allocprocs ? 2 * s->allocprocs : 1024;
		s->procs = xrealloc(s->procs, s->allocprocs, sizeof(*s->procs));
	}
	s->procs[s->nprocs++] = (struct proc){ .pid = pid };
}

/* The only work for every process: its namespaces, nothing opened. */
void
scan_proc(struct scan *s, const struct nsls_opts *o, unsigned stat_types)
{
	struct links_job job = { s, o, stat_types, NULL };
	size_t kept = 0;

	if (ns_proc_for_each_pid(s->procdir, add_pid, s) != 0)
		err(NS_EXIT_FAIL, "cannot read /proc");
	job.state = xrealloc(NULL, s->nprocs ? s->nprocs : 1, 1);
	for_each_parallel(s->nprocs, read_links_of, &job);
	for (size_t i = 0; i < s->nprocs; i++) {
		if (job.state[i] == PROC_UNREADABLE)
			note_unreadable(s, s->procs[i].pid);
		if (job.state[i] != PROC_READ)
			continue;
		count_process(s, o, &s->procs[i]);
		s->procs[kept++] = s->procs[i];
	}
	s->nprocs = kept;
	free(job.state);
}

int
proc_cmp(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

const struct proc *
proc_find(const struct scan *s, pid_t pid)
{
	struct proc key = { .pid = pid };

	if (s->nprocs == 0)
		return NULL;
	return bsearch(&key, s->procs, s->nprocs, sizeof(key), proc_cmp);
}

/* ---- namespaces no process is in -------------------------------------- */

/*
 * A process may exit (ENOENT, ESRCH) or shut us out (EACCES, EPERM) at any
 * moment: what it had is skipped.  Running out of file descriptors or
 * memory is ours, and skipping then would make the listing silently short.
 */
void
fail_if_exhausted(const char *fmt, ...)
{
	int e = errno;
	char what[128];
	va_list ap;

	if (e != EMFILE && e != ENFILE && e != ENOMEM)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errno = e;
	err(NS_EXIT_FAIL, "%s", what);
}

/*
 * Read PATH below DIRFD whole.  ONE_RECORD: a file the kernel hands out in
 * one go (stat, comm, cmdline), where a short read is the end, which saves
 * the read(2) that would return 0 on every shown process.
 */
char *
read_file_at(int dirfd, const char *path, size_t *lenp, bool one_record)
{
	size_t size = 4096, len = 0;
	char *buf;
	ssize_t n;
	/*
	 * Without crossing a mount: whoever may mount in our mount namespace
	 * (root of a container nsls runs in) can put a FIFO over a /proc
	 * file; O_NONBLOCK keeps any open from waiting.
	 */
	int fd = ns_openat_beneath(dirfd, path, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		fail_if_exhausted("cannot read /proc/%s", path);
		return NULL;
	}
	buf = xrealloc(NULL, size, 1);
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += (size_t)n;
		if (one_record && len < size - 1)
			break;
		if (size - len - 1 == 0) {
			size *= 2;
			buf = xrealloc(buf, size, 1);
		}
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		free(buf);
		errno = e;
		fail_if_exhausted("cannot read /proc/%s", path);
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/*
 * Is NAME below DIRFD ("" for DIRFD itself) the namespace file INO (0:
 * any)?  statx follows a magic link to the open file itself, and with
 * AT_STATX_DONT_SYNC answers from what the kernel has cached: no
 * filesystem (another user's FUSE server) is asked, so none can stall us.
 * *INOP (optional) gets the inode.
 */
static bool
is_ns_file(const struct scan *s, int dirfd, const char *name, ino_t ino,
	   ino_t *inop)
{
	int flags = AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT;
	struct statx stx;

	if (name[0] == '\0')
		flags |= AT_EMPTY_PATH;
	if (s->nsfs_dev == 0 ||
	    statx(dirfd, name, flags, STATX_TYPE | STATX_INO, &stx) != 0 ||
	    makedev(stx.stx_dev_major, stx.stx_dev_minor) != s->nsfs_dev ||
	    (ino != 0 && stx.stx_ino != ino))
		return false;
	if (inop != NULL)
		*inop = stx.stx_ino;
	return true;
}

static bool
is_ns_inode(const struct scan *s, int fd, const char *name, ino_t ino)
{
	return is_ns_file(s, fd, name, ino, NULL);
}

/*
 * The O_PATH fd PFD, if it is the namespace INO (nsfs, that inode), opened
 * for real through our own /proc/self/fd: fd or -1.  Closes PFD.  Only
 * cached attributes are asked for (see path_fd_ns), and the file opened
 * must be that inode again: whatever a mount over /proc/self/fd/N put
 * there, O_NONBLOCK keeps the open from waiting on it and it is not used.
 */
static int
reopen_checked(const struct scan *s, int pfd, ino_t ino)
{
	char self[32];
	int fd = -1;

	if (pfd < 0)
		return -1;
	if (is_ns_inode(s, pfd, "", ino)) {
		snprintf(self, sizeof(self), "self/fd/%d", pfd);
		fd = openat(s->procdir, self,
			    O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 && !is_ns_inode(s, fd, "", ino)) {
			close(fd);
			fd = -1;
		}
	}
	close(pfd);
	return fd;
}

static void relations_from_fd(struct scan *s, const struct nsls_opts *o,
			      struct ns *ns, int fd);

/*
 * The socket's own network namespace (SIOCGSKNS) through a copy of the fd
 * (pidfd_getfd): needs ptrace rights over the process, as root has.  Its
 * owner and parent are read now: no path opens it again later.
 */
static ino_t
socket_netns(struct scan *s, const struct nsls_opts *o, const struct proc *p,
	     int pidfd, int fd)
{
	struct stat st;
	struct ns *ns;
	int copy, nsfd;
	ino_t ino = 0;

	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (copy < 0) {
		fail_if_exhausted("cannot copy a socket");
		return 0;
	}
	/*
	 * The process may have put another file on that fd since it was a
	 * socket: an ioctl meant for sockets goes to nothing else (a device
	 * would take it as its own request).
	 */
	if (fstat(copy, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		close(copy);
		return 0;
	}
	nsfd = ioctl(copy, SIOCGSKNS);
	if (nsfd < 0)
		fail_if_exhausted("cannot open a socket's network namespace");
	if (nsfd >= 0) {
		if (fstat(nsfd, &st) == 0)
			ino = st.st_ino;
		if (ino == p->ino[NS_NET])
			ino = 0; /* the process's own: not of note */
		ns = ino ? nsls_get(s, ino, &ns_types[NS_NET]) : NULL;
		if (ns != NULL && !ns->related) {
			ns->related = true;
			ns->have_owner_uid =
				owner_uid_of_fd(nsfd, ns->type, &ns->owner_uid);
			relations_from_fd(s, o, ns, nsfd);
		}
		close(nsfd);
	}
	close(copy);
	return ino;
}

/*
 * The namespace a file descriptor (NAME below DFD, /proc/PID/fd) holds
 * when its link is a path: a namespace file opened through a bind mount
 * reads as the mount point, or "/" once that mount is gone (ip netns
 * delete after the open).  The type needs the file open: O_PATH, checked
 * to be that nsfs inode, reopened.
 */
static const struct ns_type *
path_fd_ns(const struct scan *s, int dfd, const char *name, ino_t *ino)
{
	const struct ns_type *t = NULL;
	int fd;

	if (!is_ns_file(s, dfd, name, 0, ino))
		return NULL;
	fd = reopen_checked(s, openat(dfd, name, O_PATH | O_CLOEXEC), *ino);
	if (fd >= 0) {
		t = ns_type_of_fd(fd);
		close(fd);
	}
	return t;
}

/* Is LINK a path where a namespace file may be open (see path_fd_ns)? */
static bool
maybe_ns_path(const struct scan *s, const char *link, bool every_path)
{
	if (link[0] != '/')
		return false;
	if (every_path || strcmp(link, "/") == 0)
		return true;
	return s->nnsfs_points > 0 &&
	       bsearch(&link, s->nsfs_points, s->nnsfs_points, sizeof(char *),
		       str_cmp) != NULL;
}

/* An fd of a process that holds, or may hold, a namespace. */
struct held_fd {
	int fd;
	bool socket; /* its netns is asked for afterwards (socket_netns) */
	size_t ti;   /* else the namespace: kt index and inode */
	ino_t ino;
};

struct held_fds {
	struct held_fd *v;
	size_t n, alloc;
};

/*
 * Fd NAME (below DFD, /proc/PID/fd) from its link alone, a path that may
 * be a namespace file checked: into H if it holds one, or is a socket.
 */
static void
read_fd(const struct scan *s, const struct nsls_opts *o, int dfd,
	const char *name, bool every_path, struct held_fds *h)
{
	char link[PATH_MAX];
	struct held_fd f = { .socket = false };
	const struct ns_type *t;
	ssize_t n;

	if (ns_parse_fd(name, &f.fd) != 0)
		return;
	n = readlinkat(dfd, name, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	if (strncmp(link, "socket:[", 8) == 0) {
		f.socket = true;
		f.ti = NS_NET;
	} else if (kt_parse_link(&o->kt, link, &f.ti, &f.ino) != 0) {
		if (!maybe_ns_path(s, link, every_path) ||
		    (t = path_fd_ns(s, dfd, name, &f.ino)) == NULL)
			return;
		f.ti = kt_index(&o->kt, t);
	}
	if (!want_type(o, f.ti))
		return;
	if (h->n == h->alloc) {
		h->alloc = h->alloc ? 2 * h->alloc : 4;
		h->v = xrealloc(h->v, h->alloc, sizeof(*h->v));
	}
	h->v[h->n++] = f;
}

struct fds_job {
	const struct scan *s;
	const struct nsls_opts *o;
	bool every_path;
	pid_t self;
	struct held_fds *held; /* by index into s->procs */
};

/*
 * The fds of process I: /proc/PID/fd read with getdents64 and each link
 * read, nothing stat'ed or opened but a path that may be a namespace
 * file.  The kernel fills the buffer with as many entries as fit: when
 * room for another is left over, that was all of them and the read that
 * would return 0 is saved.
 */
static void
read_fds_of(size_t i, void *arg)
{
	struct fds_job *j = arg;
	char buf[1 << 14], path[32];
	pid_t pid = j->s->procs[i].pid;
	int dfd;
	long n;

	if (pid == j->self)
		return;
	snprintf(path, sizeof(path), "%d/fd", pid);
	dfd = ns_openat_beneath(j->s->procdir, path, O_RDONLY | O_DIRECTORY);
	if (dfd < 0) {
		fail_if_exhausted("cannot read /proc/%s", path);
		return;
	}
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			read_fd(j->s, j->o, dfd, d->d_name, j->every_path,
				&j->held[i]);
		}
		if ((size_t)n + 2 * sizeof(struct dirent64) < sizeof(buf))
			break;
	}
	if (n < 0)
		fail_if_exhausted("cannot read /proc/%s", path);
	close(dfd);
}

/*
 * A socket of P: the holder of its network namespace, unless that is
 * P's own (every process has those).  PIDFD is opened at the first.
 */
static void
note_socket(struct scan *s, const struct nsls_opts *o, const struct proc *p,
	    int *pidfd, int fd)
{
	struct ns *ns;
	ino_t ino;

	if (*pidfd == -1) {
		*pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
		if (*pidfd < 0) {
			fail_if_exhausted("cannot open PID %d", (int)p->pid);
			*pidfd = -2; /* once per process */
		}
	}
	if (*pidfd < 0 || (ino = socket_netns(s, o, p, *pidfd, fd)) == 0)
		return;
	ns = nsls_get(s, ino, &ns_types[NS_NET]);
	add_string(&ns->holders, &ns->nholders, "sock:%d:%d", p->pid, fd);
}

/* Into the table: what P's fds hold. */
static void
note_held_fds(struct scan *s, const struct nsls_opts *o, const struct proc *p,
	      const struct held_fds *h)
{
	char name[16];
	int pidfd = -1;

	for (size_t k = 0; k < h->n; k++) {
		const struct held_fd *f = &h->v[k];
		struct ns *ns;

		if (f->socket) {
			note_socket(s, o, p, &pidfd, f->fd);
			continue;
		}
		snprintf(name, sizeof(name), "%d", f->fd);
		ns = nsls_get(s, f->ino, o->kt.t[f->ti]);
		add_string(&ns->holders, &ns->nholders, "fd:%d:%s", p->pid,
			   name);
		set_src(ns, SRC_FD, p->pid, name);
	}
	if (pidfd >= 0)
		close(pidfd);
}

/*
 * Namespace files and sockets every process holds open, as lsns 2.40+
 * reads them.  EVERY_PATH (-P, NS): also a namespace file opened through
 * a bind mount that is no longer in any mount table but lives on in a
 * detached tree.  The fds are read for all processes first (in parallel
 * where there are CPUs), then put into the table in PID order.
 */
void
scan_fds(struct scan *s, const struct nsls_opts *o, bool every_path)
{
	struct fds_job job = { s, o, every_path, getpid(), NULL };

	if (s->nprocs == 0)
		return;
	job.held = xrealloc(NULL, s->nprocs, sizeof(*job.held));
	memset(job.held, 0, s->nprocs * sizeof(*job.held));
	for_each_parallel(s->nprocs, read_fds_of, &job);
	for (size_t i = 0; i < s->nprocs; i++) {
		note_held_fds(s, o, &s->procs[i], &job.held[i]);
		free(job.held[i].v);
	}
	free(job.held);
}

/* ---- relations: parent and owner ---------------------------------------- */

/*
 * NS_GET_OWNER_UID answers for a user namespace only (EINVAL for the
 * rest): a namespace of another type is owned by the user namespace's
 * owner.  False where either refuses.
 */
bool
owner_uid_of_fd(int fd, const struct ns_type *type, uid_t *uid)
{
	int ufd = fd;
	bool ok;

	if (type != &ns_types[NS_USER]) {
		ufd = ioctl(fd, NS_GET_USERNS);
		if (ufd < 0) {
			fail_if_exhausted(
				"cannot open the owner of a namespace");
			return false;
		}
	}
	ok = ioctl(ufd, NS_GET_OWNER_UID, uid) == 0;
	if (ufd != fd)
		close(ufd);
	return ok;
}

static ino_t relative_of(struct scan *s, const struct nsls_opts *o, int fd,
			 unsigned long req);

static void
relations_from_fd(struct scan *s, const struct nsls_opts *o, struct ns *ns,
		  int fd)
{
	ns->parent = relative_of(s, o, fd, NS_GET_PARENT);
	ns->owner = relative_of(s, o, fd, NS_GET_USERNS);
}

/*
 * A relative not seen otherwise (a user namespace kept only by what it
 * owns) joins the table, and its own relations are read from the fd the
 * kernel just gave, so the whole chain is known.
 */
static ino_t
relative_of(struct scan *s, const struct nsls_opts *o, int fd,
	    unsigned long req)
{
	const struct ns_type *t;
	struct stat st;
	struct ns *rel;
	ino_t ino = 0;
	int rfd = ioctl(fd, req);

	if (rfd < 0) {
		fail_if_exhausted("cannot open the %s of a namespace",
				  req == NS_GET_PARENT ? "parent" : "owner");
		return 0; /* EPERM: outside our view; EINVAL: none */
	}
	if (fstat(rfd, &st) != 0)
		goto out;
	ino = st.st_ino;
	rel = nsls_find(s, ino);
	if (rel == NULL && (t = ns_type_of_fd(rfd)) != NULL &&
	    want_type(o, ns_type_index(t))) {
		rel = nsls_get(s, ino, t);
		rel->related = true;
		rel->have_owner_uid = owner_uid_of_fd(rfd, t, &rel->owner_uid);
		relations_from_fd(s, o, rel, rfd);
	}
out:
	close(rfd);
	return ino;
}

/* The PATH column: where a user can open the namespace. */
char *
nsls_path(const struct ns *ns)
{
	char *p = NULL;
	int rc = 0;

	if (ns->src == SRC_FD)
		rc = asprintf(&p, "/proc/%d/fd/%s", ns->src_pid, ns->src_rel);
	else if (ns->src == SRC_MOUNT && ns->src_pid == 0)
		p = xstrdup(ns->src_rel);
	else if (ns->src == SRC_MOUNT)
		rc = asprintf(&p, "/proc/%d/root%s", ns->src_pid, ns->src_rel);
	else if (ns->pid != 0)
		rc = asprintf(&p, "/proc/%d/ns/%s", ns->pid, ns->type->name);
	if (rc < 0)
		err(NS_EXIT_FAIL, "cannot allocate");
	return p;
}

/*
 * PATH below DIRFD as an O_PATH fd, which opens nothing (no FIFO waits
 * for a writer, no device driver runs), through the dentry cache only
 * (RESOLVE_CACHED: no lookup in another user's FUSE mount can stall us),
 * inside DIRFD (RESOLVE_IN_ROOT: an absolute symbolic link would lead into
 * our own tree) and following no link at all.  A kernel before 5.12 lacks
 * some of that: then O_PATH|O_NOFOLLOW alone.
 */
static int
open_path_beneath(int dirfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS | RESOLVE_CACHED,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
		return fd;
	return openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * The namespace NS opened (O_RDONLY), or -1.  Every path to it is another
 * user's to change between our finding it and opening it (a process's fd
 * table, its mount namespace): each is opened O_PATH and used only if it
 * still is that namespace.  Through a member process first: /proc/PID/ns
 * is procfs's own.
 */
int
open_ns(const struct scan *s, const struct ns *ns)
{
	char path[64 + NS_TYPE_NAME_MAX];
	int fd = -1, root;

	if (ns->pid != 0) {
		snprintf(path, sizeof(path), "%d/ns/%s", ns->pid,
			 ns->type->name);
		fd = reopen_checked(
			s, openat(s->procdir, path, O_PATH | O_CLOEXEC),
			ns->ino);
	}
	if (fd >= 0 || ns->src == SRC_NONE)
		return fd;
	if (ns->src == SRC_FD) {
		snprintf(path, sizeof(path), "%d/fd/%s", ns->src_pid,
			 ns->src_rel);
		return reopen_checked(
			s, openat(s->procdir, path, O_PATH | O_CLOEXEC),
			ns->ino);
	}
	snprintf(path, sizeof(path), "%d/root", ns->src_pid);
	root = ns->src_pid == 0 ? open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)
				: openat(s->procdir, path,
					 O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	fd = reopen_checked(s, open_path_beneath(root, ns->src_rel), ns->ino);
	close(root);
	return fd;
}

/*
 * PROCLESS_ONLY: of the namespaces no process is in, enough to find the
 * user namespaces that only they keep alive (lsns 2.40+ lists those).
 */
void
read_relations(struct scan *s, const struct nsls_opts *o, bool procless_only)
{
	/* The table grows while walked: index, never a saved pointer. */
	for (size_t i = 0; i < s->nall; i++) {
		struct ns *ns = s->all[i];
		int fd;

		if (ns->related || (procless_only && ns->nprocs > 0))
			continue;
		ns->related = true;
		fd = open_ns(s, ns);
		if (fd < 0) {
			fail_if_exhausted("cannot open namespace %lu",
					  (unsigned long)ns->ino);
			continue;
		}
		relations_from_fd(s, o, ns, fd);
		close(fd);
	}
	for (size_t i = 0; i < s->nall; i++) {
		struct ns *owner, *ns = s->all[i];

		if (ns->owner != 0 && (owner = nsls_find(s, ns->owner)) != NULL)
			add_string(&owner->holders, &owner->nholders,
				   "child:%lu", (unsigned long)ns->ino);
	}
}

/* ---- NAME: ip netns names ------------------------------------------------ */

/*
 * A name is listed only if it still is what it says: a bind mount is
 * opened O_PATH and checked to be nsfs before anything else; a
 * netnslink --symlink link (/proc/PID/ns/net) only while PID is the
 * process it was made for (ns_netns_open_at).  A dangling or recycled
 * link, or one reaching /proc otherwise, names nothing: it would name
 * whatever namespace the PID's new process is in (the host's).
 */
void
read_netns_names(struct scan *s)
{
	int dfd = open("/run/netns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	struct stat st;
	DIR *dir;

	if (dfd < 0 || (dir = fdopendir(dfd)) == NULL) {
		fail_if_exhausted("cannot read /run/netns");
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		struct ns *ns;
		int fd, state;
		pid_t pid;

		if (d->d_name[0] == '.')
			continue;
		fd = ns_netns_open_at(dfd, d->d_name, &state, &pid);
		if (fd < 0) {
			fail_if_exhausted("cannot open /run/netns/%s",
					  d->d_name);
			continue;
		}
		if (fstat(fd, &st) == 0 &&
		    (ns = nsls_find(s, st.st_ino)) != NULL &&
		    ns->type == &ns_types[NS_NET])
			add_string(&ns->names, &ns->nnames, "%s", d->d_name);
		close(fd);
	}
	closedir(dir);
}

/* Not root: the caller's own names too, kept by holder processes
 * (common/userns_names.c); a stale one names nothing. */
void
read_own_netns_names(struct scan *s)
{
	struct ns_unames_dir d;
	struct ns_uname *u;
	struct ns *ns;
	size_t n;

	if (ns_unames_open_dir(&d, false, true) != 0) {
		ns_unames_close_dir(&d);
		return;
	}
	if (ns_unames_read(&d, &u, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!u[i].stale &&
			    (ns = nsls_find(s, u[i].netns)) != NULL &&
			    ns->type == &ns_types[NS_NET])
				add_string(&ns->names, &ns->nnames, "%s",
					   u[i].name);
		ns_unames_free(u, n);
	}
	ns_unames_close_dir(&d);
}
