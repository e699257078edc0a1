// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * userns_names.c - network namespace names of an unprivileged user: a holder
 * process keeps each namespace alive, and a record in the user's runtime
 * directory says which process that is (see nscommon.h).  Here: opening
 * that directory, reading and checking the records, and finding a name's
 * holder; userns_holder.c starts and ends holders.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "userns_names-internal.h"

#define NETNS_SUBDIR "netns"

/* ---- the directory ------------------------------------------------------- */

/* The caller's own, and no one else's: no group or other access at all. */
static bool
private_dir(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == geteuid() &&
	       (st->st_mode & 077) == 0;
}

static int
open_runtime_dir(char **path, bool quiet)
{
	const char *env = secure_getenv("XDG_RUNTIME_DIR");
	bool from_env = env != NULL && *env != '\0';
	struct stat st;
	int fd, saved;

	if (from_env && *env != '/') {
		if (!quiet)
			warnx("XDG_RUNTIME_DIR is not an absolute path: '%s'",
			      env);
		errno = EINVAL;
		return -1;
	}
	if (from_env)
		*path = strdup(env);
	else if (asprintf(path, "/run/user/%u", (unsigned)geteuid()) < 0)
		*path = NULL;
	if (*path == NULL) {
		if (!quiet)
			warn("cannot allocate");
		return -1;
	}
	fd = open(*path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (quiet)
			;
		else if (!from_env && saved == ENOENT)
			warnx("no directory for your network namespace names: XDG_RUNTIME_DIR is not set and %s does not exist",
			      *path);
		else
			warn("cannot open %s (XDG_RUNTIME_DIR)", *path);
		errno = saved == ENOENT ? ENXIO : saved;
		return -1;
	}
	if (fstat(fd, &st) != 0 || !private_dir(&st)) {
		saved = errno;
		close(fd);
		if (!quiet && !from_env)
			warnx("no directory for your network namespace names: XDG_RUNTIME_DIR is not set and %s is not yours with mode 0700",
			      *path);
		else if (!quiet)
			warnx("refusing %s (XDG_RUNTIME_DIR): it is not yours with mode 0700",
			      *path);
		errno = saved ? saved : EPERM;
		return -1;
	}
	return fd;
}

int
ns_unames_open_dir(struct ns_unames_dir *d, bool create, bool quiet)
{
	char *runtime = NULL;
	struct stat st;
	int rfd, saved;

	d->fd = -1;
	d->path = NULL;
	rfd = open_runtime_dir(&runtime, quiet);
	if (rfd < 0) {
		saved = errno;
		free(runtime);
		errno = saved;
		return -1;
	}
	if (asprintf(&d->path, "%s/%s", runtime, NETNS_SUBDIR) < 0) {
		d->path = NULL;
		saved = errno;
		goto fail;
	}
	if (create && mkdirat(rfd, NETNS_SUBDIR, 0700) != 0 &&
	    errno != EEXIST) {
		saved = errno;
		if (!quiet)
			warn("cannot create %s", d->path);
		goto fail;
	}
	d->fd = openat(rfd, NETNS_SUBDIR,
		       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	if (d->fd < 0 && saved == ENOENT)
		goto fail; /* nothing named yet: callers list none */
	if (d->fd < 0) {
		if (!quiet && (saved == ELOOP || saved == ENOTDIR))
			warnx("refusing %s: it is not a directory", d->path);
		else if (!quiet)
			warn("cannot open %s", d->path);
		goto fail;
	}
	if (fstat(d->fd, &st) != 0 || !private_dir(&st)) {
		saved = errno ? errno : EPERM;
		if (!quiet)
			warnx("refusing %s: it is not yours with mode 0700",
			      d->path);
		goto fail;
	}
	close(rfd);
	free(runtime);
	return 0;
fail:
	close(rfd);
	free(runtime);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	errno = saved;
	return -1;
}

void
ns_unames_close_dir(struct ns_unames_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	d->fd = -1;
	d->path = NULL;
}

/* ---- records ------------------------------------------------------------- */

/* A whole decimal number, no sign, no junk. */
static int
parse_ull(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int
parse_record(char *text, struct ns_unames_record *r)
{
	unsigned long long v;
	unsigned seen = 0;
	char *line, *save = NULL, *val;

	line = strtok_r(text, "\n", &save);
	if (line == NULL || strcmp(line, RECORD_MAGIC) != 0)
		return -1;
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		val = strchr(line, ' ');
		if (val == NULL || parse_ull(val + 1, &v) != 0)
			return -1;
		*val = '\0';
		if (strcmp(line, "pid") == 0 && v > 0 && v <= INT_MAX) {
			r->pid = (pid_t)v;
			seen |= 1;
		} else if (strcmp(line, "start") == 0) {
			r->start = v;
			seen |= 2;
		} else if (strcmp(line, "userns") == 0) {
			r->userns = (ino_t)v;
			seen |= 4;
		} else if (strcmp(line, "netns") == 0) {
			r->netns = (ino_t)v;
			seen |= 8;
		} else {
			return -1;
		}
	}
	return seen == 15 ? 0 : -1;
}

/*
 * Read the record NAME: a regular file of the caller's, opened without
 * following a link.  0, or -1 with errno (EINVAL: not a record).
 */
int
ns_unames_read_record(int dirfd, const char *name, struct ns_unames_record *r)
{
	char text[RECORD_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd, saved;

	fd = ns_openat_beneath(dirfd, name, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto fail;
	errno = EINVAL;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size > RECORD_MAX)
		goto fail;
	n = read(fd, text, RECORD_MAX);
	if (n < 0)
		goto fail;
	close(fd);
	text[n] = '\0';
	if (parse_record(text, r) != 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Inode of the namespace NAME of P, and its device; the fd is closed. */
int
ns_unames_proc_ns(const struct ns_proc *p, const char *name, struct stat *st,
		  int *fdp)
{
	int fd = ns_proc_open_ns(p, name);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0) {
		close(fd);
		return -1;
	}
	if (fdp != NULL)
		*fdp = fd;
	else
		close(fd);
	return 0;
}

/*
 * Open the process R names and check it is still that holder: the same
 * start time, comm, user namespace (created by our euid) and network
 * namespace, and alive after all of it was read.  0 with P open and *NET
 * the network namespace's stat, or -1 (stale).
 */
int
ns_unames_open_verified(const struct ns_unames_record *r, struct ns_proc *p,
			struct stat *net)
{
	char comm[64];
	unsigned long long start;
	struct stat user;
	uid_t owner;
	int ufd = -1;

	if (ns_proc_open(r->pid, p) != 0)
		return -1;
	if (p->pidfd < 0 ||
	    ns_proc_stat_start(p->procfd, comm, sizeof(comm), &start) != 0 ||
	    start != r->start || strcmp(comm, NS_UNAMES_HOLDER) != 0)
		goto stale;
	if (ns_unames_proc_ns(p, "user", &user, &ufd) != 0 ||
	    user.st_ino != r->userns ||
	    ioctl(ufd, NS_GET_OWNER_UID, &owner) != 0 || owner != geteuid())
		goto stale;
	close(ufd);
	ufd = -1;
	if (ns_unames_proc_ns(p, "net", net, NULL) != 0 ||
	    net->st_ino != r->netns || ns_proc_check_alive(p) != 0)
		goto stale;
	return 0;
stale:
	if (ufd >= 0)
		close(ufd);
	ns_proc_close(p);
	return -1;
}

static int
cmp_uname(const void *a, const void *b)
{
	return strcmp(((const struct ns_uname *)a)->name,
		      ((const struct ns_uname *)b)->name);
}

static void
check_entry(int dirfd, struct ns_uname *u)
{
	struct ns_unames_record r = { 0 };
	struct ns_proc p;
	struct stat net;

	u->stale = true;
	if (ns_unames_read_record(dirfd, u->name, &r) != 0)
		return;
	u->pid = r.pid;
	if (ns_unames_open_verified(&r, &p, &net) != 0)
		return;
	ns_proc_close(&p);
	u->stale = false;
	u->dev = net.st_dev;
	u->netns = r.netns;
	u->userns = r.userns;
}

int
ns_unames_read(const struct ns_unames_dir *d, struct ns_uname **out, size_t *n)
{
	struct ns_uname *v = NULL, *grown;
	struct dirent *de;
	size_t cap = 0;
	int fd, saved;
	DIR *dir;

	*out = NULL;
	*n = 0;
	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (dir == NULL) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		warn("cannot read %s", d->path);
		return -1;
	}
	while ((errno = 0, de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = reallocarray(v, cap, sizeof(*v));
			if (grown == NULL)
				goto fail;
			v = grown;
		}
		v[*n] = (struct ns_uname){ .name = strdup(de->d_name) };
		if (v[*n].name == NULL)
			goto fail;
		check_entry(d->fd, &v[(*n)++]);
	}
	if (errno != 0)
		goto fail;
	closedir(dir);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_uname);
	*out = v;
	return 0;
fail:
	saved = errno;
	closedir(dir);
	ns_unames_free(v, *n);
	*n = 0;
	errno = saved;
	warn("cannot read %s", d->path);
	return -1;
}

void
ns_unames_free(struct ns_uname *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int
ns_unames_find_holder(const char *name, const char *rootdir, struct ns_proc *p)
{
	struct ns_unames_dir d;
	struct ns_unames_record r = { 0 };
	struct stat net;
	char *root_path;
	bool have_dir, in_root;
	int rc = -1;

	have_dir = ns_unames_open_dir(&d, false, true) == 0;
	if (have_dir && ns_unames_read_record(d.fd, name, &r) == 0) {
		if (ns_unames_open_verified(&r, p, &net) == 0)
			rc = 0;
		else
			warnx("%s/%s is stale: its holder (PID %d) is gone or is another process now (netnslink -d %s removes the name)",
			      d.path, name, (int)r.pid, name);
		ns_unames_close_dir(&d);
		return rc;
	}
	if (have_dir && errno != ENOENT) {
		if (errno == EINVAL || errno == ELOOP)
			warnx("%s/%s is stale: it is not the record of a holder (netnslink -d %s removes the name)",
			      d.path, name, name);
		else
			warn("cannot read %s/%s", d.path, name);
		ns_unames_close_dir(&d);
		return -1;
	}
	if (asprintf(&root_path, "%s/%s", rootdir, name) < 0) {
		warn("cannot allocate");
		ns_unames_close_dir(&d);
		return -1;
	}
	in_root =
		faccessat(AT_FDCWD, root_path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	free(root_path);
	if (in_root) {
		ns_unames_close_dir(&d);
		return 1;
	}
	/* d.path is there when only the netns directory is missing. */
	if (d.path != NULL)
		warnx("no network namespace named '%s' in %s or %s", name,
		      d.path, rootdir);
	else if (ns_unames_open_dir(&d, false, false) == 0)
		warnx("no network namespace named '%s' in %s", name, rootdir);
	ns_unames_close_dir(&d);
	return -1;
}
