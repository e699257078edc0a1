// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * userns_names.c - network namespace names of an unprivileged user: a holder
 * process keeps each namespace alive, and a record in the user's runtime
 * directory says which process that is (see nscommon.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include "userns_names-internal.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define NETNS_SUBDIR "netns"
/* How long -d waits for a holder to go after SIGTERM, then after SIGKILL. */
#define END_WAIT_MS 5000

/* The bytes of the start-up handshake between the creator and the holder. */
enum { HOLD_READY = 'r', HOLD_KEEP = 'k', HOLD_ERROR = 'e' };

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

/* comm and start time (field 22) from the stat file of the /proc/PID fd. */
int
ns_unames_proc_start(int procfd, char *comm, size_t size,
		     unsigned long long *start)
{
	char buf[1024], *open_paren, *close_paren, *field, *save = NULL;
	ssize_t n;
	int fd = ns_openat_beneath(procfd, "stat", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* comm may hold ')' and spaces: the fields follow the last ')'. */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (open_paren == NULL || close_paren == NULL ||
	    close_paren < open_paren)
		return -1;
	snprintf(comm, size, "%.*s", (int)(close_paren - open_paren - 1),
		 open_paren + 1);
	field = strtok_r(close_paren + 1, " ", &save);
	for (int i = 3; field != NULL && i < 22; i++)
		field = strtok_r(NULL, " ", &save);
	return field != NULL && parse_ull(field, start) == 0 ? 0 : -1;
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
	    ns_unames_proc_start(p->procfd, comm, sizeof(comm), &start) != 0 ||
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

/* ---- starting a holder --------------------------------------------------- */

/* Where the child stopped, as the creator reports it. */
enum stage {
	STAGE_SIGNALS,
	STAGE_UNSHARE,
	STAGE_MAPS,
	STAGE_LOOPBACK,
	STAGE_JOIN_USER,
	STAGE_JOIN_NET,
	STAGE_SESSION,
	STAGE_FDS,
	STAGE_EXEC,
};

static const char *const stage_msg[] = {
	[STAGE_SIGNALS] = "cannot block the holder's signals",
	[STAGE_UNSHARE] = "cannot create a user and network namespace",
	[STAGE_MAPS] = "cannot write the id maps of the new user namespace",
	[STAGE_LOOPBACK] = "cannot bring lo up",
	[STAGE_JOIN_USER] = "cannot join the user namespace",
	[STAGE_JOIN_NET] = "cannot join the network namespace",
	[STAGE_SESSION] = "cannot start the holder's session",
	[STAGE_FDS] = "cannot set up the holder's file descriptors",
	[STAGE_EXEC] = "cannot run the holder",
};

struct child_report {
	char tag; /* HOLD_ERROR */
	int stage;
	int error;
};

static noreturn void
child_fail(int fd, enum stage stage)
{
	struct child_report rep = { HOLD_ERROR, (int)stage, errno };

	if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(1);
	_exit(1);
}

/* Map the caller's own ids to 0, as an unprivileged user may. */
static int
write_own_maps(uid_t uid, gid_t gid)
{
	struct ns_idmap map = { .n = 1 };
	int procfd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = -1;

	if (procfd < 0)
		return -1;
	map.r[0] = (struct ns_idrange){ 0, uid, 1 };
	if (ns_setgroups_write(procfd, "deny") != 0 ||
	    ns_idmap_write(procfd, "uid_map", &map) != 0)
		goto out;
	map.r[0] = (struct ns_idrange){ 0, gid, 1 };
	rc = ns_idmap_write(procfd, "gid_map", &map);
out:
	close(procfd);
	return rc;
}

struct holder_fds {
	int exe;     /* this program, O_PATH */
	int up[2];   /* holder -> creator */
	int down[2]; /* creator -> holder */
	int userfd;  /* -1: a new user and network namespace */
	int netfd;
};

/*
 * The forked child: enter the namespaces, then become a holder by
 * executing this program again.  The execve is what lets the caller read
 * the holder's namespaces although it is non-dumpable: the kernel checks
 * ptrace access of a non-dumpable process against the user namespace its
 * program was executed in, and that one is now the caller's own.  The
 * signal mask and a default SIGTERM survive the execve.
 */
static noreturn void
holder_child(const struct holder_fds *f, const char *name, bool loopback)
{
	char *argv[] = { NS_UNAMES_HOLDER, (char *)name, NULL };
	char *envp[] = { NULL };
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int up, down, null;
	sigset_t all;

	/* Above 0..2, which are about to be replaced. */
	up = fcntl(f->up[1], F_DUPFD_CLOEXEC, 3);
	if (up < 0)
		_exit(1);
	sigfillset(&all);
	sigdelset(&all, SIGTERM);
	if (sigprocmask(SIG_SETMASK, &all, NULL) != 0 ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR)
		child_fail(up, STAGE_SIGNALS);
	if (f->userfd < 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
			child_fail(up, STAGE_UNSHARE);
		if (write_own_maps(uid, gid) != 0)
			child_fail(up, STAGE_MAPS);
		if (loopback && ns_loopback_up() != 0)
			child_fail(up, STAGE_LOOPBACK);
	} else {
		if (setns(f->userfd, CLONE_NEWUSER) != 0)
			child_fail(up, STAGE_JOIN_USER);
		if (setns(f->netfd, CLONE_NEWNET) != 0)
			child_fail(up, STAGE_JOIN_NET);
	}
	if (setsid() < 0 || chdir("/") != 0)
		child_fail(up, STAGE_SESSION);
	down = fcntl(f->down[0], F_DUPFD_CLOEXEC, 3);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (down < 0 || null < 0 || dup2(down, 0) != 0 || dup2(up, 1) != 1 ||
	    dup2(null, 2) != 2)
		child_fail(up, STAGE_FDS);
	/* Everything else is closed by the execve. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		child_fail(up, STAGE_FDS);
	syscall(SYS_execveat, f->exe, "", argv, envp, AT_EMPTY_PATH);
	child_fail(1, STAGE_EXEC);
}

static void
close_pipe(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	fd[0] = fd[1] = -1;
}

/* Wait for the holder's "ready", or report why the child stopped. */
static int
await_ready(int up)
{
	struct child_report rep;
	ssize_t n;

	do
		n = read(up, &rep, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1 && rep.tag == HOLD_READY)
		return 0;
	if (n == 1 && rep.tag == HOLD_ERROR &&
	    read(up, (char *)&rep + 1, sizeof(rep) - 1) ==
		    (ssize_t)sizeof(rep) - 1 &&
	    rep.stage >= 0 && (size_t)rep.stage < ARRAY_SIZE(stage_msg)) {
		errno = rep.error;
		warn("%s", stage_msg[rep.stage]);
		return -1;
	}
	warnx("the holder exited before it was ready");
	return -1;
}

/* Fork the holder; returns its PID once it is ready, or -1. */
static pid_t
start_holder(struct holder_fds *f, const char *name, bool loopback)
{
	pid_t pid;
	int status;

	f->exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (f->exe < 0) {
		warn("cannot open this program to run the holder");
		return -1;
	}
	if (pipe2(f->up, O_CLOEXEC) != 0 || pipe2(f->down, O_CLOEXEC) != 0) {
		warn("cannot make a pipe to the holder");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		warn("cannot start the holder");
		return -1;
	}
	if (pid == 0)
		holder_child(f, name, loopback);
	close(f->up[1]);
	close(f->down[0]);
	f->up[1] = f->down[0] = -1;
	if (await_ready(f->up[0]) != 0) {
		kill(pid, SIGKILL); /* our child, not reaped: still its PID */
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	return pid;
}

/* Write R to a file with no name, then give it NAME; EEXIST if taken. */
static int
link_record(const struct ns_unames_dir *d, const char *name,
	    const struct ns_unames_record *r)
{
	char path[64];
	int fd, rc, saved;

	fd = openat(d->fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	rc = dprintf(fd, "%s\npid %d\nstart %llu\nuserns %ju\nnetns %ju\n",
		     RECORD_MAGIC, (int)r->pid, r->start, (uintmax_t)r->userns,
		     (uintmax_t)r->netns);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* Atomic: of two runs for one NAME, exactly one links. */
	if (rc > 0)
		rc = linkat(AT_FDCWD, path, d->fd, name, AT_SYMLINK_FOLLOW);
	else
		rc = -1;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* What identifies the holder, read while it is our unreaped child. */
static int
describe_holder(pid_t pid, struct ns_unames_record *r)
{
	struct ns_proc p;
	struct stat user, net;
	char comm[64];
	int rc = -1;

	if (ns_proc_open(pid, &p) != 0)
		return -1;
	if (ns_unames_proc_start(p.procfd, comm, sizeof(comm), &r->start) ==
		    0 &&
	    ns_unames_proc_ns(&p, "user", &user, NULL) == 0 &&
	    ns_unames_proc_ns(&p, "net", &net, NULL) == 0) {
		r->pid = pid;
		r->userns = user.st_ino;
		r->netns = net.st_ino;
		rc = 0;
	}
	ns_proc_close(&p);
	return rc;
}

/* The network namespace of T and the user namespace owning it, which
 * must be one the caller's euid created. */
static int
open_owned_netns(const struct ns_proc *t, int *userfd, int *netfd)
{
	uid_t owner;

	*userfd = -1;
	*netfd = ns_proc_open_ns(t, "net");
	if (*netfd < 0) {
		warn("cannot open the network namespace of PID %d",
		     (int)t->pid);
		return -1;
	}
	*userfd = ioctl(*netfd, NS_GET_USERNS);
	if (*userfd < 0 || ioctl(*userfd, NS_GET_OWNER_UID, &owner) != 0) {
		warn("cannot find the user namespace that owns the network namespace of PID %d",
		     (int)t->pid);
		return -1;
	}
	if (owner != geteuid()) {
		warnx("the network namespace of PID %d is not yours: its user namespace was created by uid %u",
		      (int)t->pid, (unsigned)owner);
		return -1;
	}
	return 0;
}

int
ns_unames_create(const struct ns_unames_dir *d, const char *name,
		 const struct ns_proc *target, bool loopback, bool force)
{
	struct holder_fds f = { -1, { -1, -1 }, { -1, -1 }, -1, -1 };
	struct ns_unames_record r;
	pid_t pid = -1;
	int rc = -1, status;

	if (target != NULL &&
	    open_owned_netns(target, &f.userfd, &f.netfd) != 0)
		goto out;
	if (faccessat(d->fd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!force) {
			errno = EEXIST;
			goto taken;
		}
		if (ns_unames_remove(d, name) != 0)
			goto out;
	}
	pid = start_holder(&f, name, loopback);
	if (pid < 0)
		goto out;
	if (describe_holder(pid, &r) != 0) {
		warn("cannot read what identifies the holder (PID %d)",
		     (int)pid);
		goto out;
	}
	if (link_record(d, name, &r) != 0)
		goto taken;
	/* A holder that got no "keep" exits: the creator died, or failed. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    write(f.down[1], &(char){ HOLD_KEEP }, 1) != 1) {
		warn("the holder (PID %d) exited before it was kept", (int)pid);
		if (unlinkat(d->fd, name, 0) != 0)
			warn("cannot remove %s/%s", d->path, name);
		goto out;
	}
	rc = 0;
	goto out;
taken:
	if (errno == EEXIST)
		warnx("%s/%s already exists (--force replaces it)", d->path,
		      name);
	else
		warn("cannot record %s/%s", d->path, name);
out:
	if (rc != 0 && pid > 0) {
		kill(pid, SIGKILL); /* our child, not reaped: still its PID */
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close_pipe(f.up);
	close_pipe(f.down);
	if (f.exe >= 0)
		close(f.exe);
	if (f.userfd >= 0)
		close(f.userfd);
	if (f.netfd >= 0)
		close(f.netfd);
	return rc;
}

/* ---- ending a holder ----------------------------------------------------- */

static bool
exited_within(int pidfd, int ms)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, ms) > 0;
}

static int
end_holder(const struct ns_proc *p)
{
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SIGTERM, NULL, 0) != 0)
		return errno == ESRCH ? 0 : -1;
	if (exited_within(p->pidfd, END_WAIT_MS))
		return 0;
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0) != 0)
		return errno == ESRCH ? 0 : -1;
	if (exited_within(p->pidfd, END_WAIT_MS))
		return 0;
	errno = ETIMEDOUT;
	return -1;
}

int
ns_unames_remove(const struct ns_unames_dir *d, const char *name)
{
	struct ns_unames_record r;
	struct ns_proc p;
	struct stat st, net;
	int rc = -1;

	/* Two -d at once end one holder once; the lock is the user's own. */
	if (flock(d->fd, LOCK_EX) != 0) {
		warn("cannot lock %s", d->path);
		return -1;
	}
	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		warn("cannot remove %s/%s", d->path, name);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		warnx("refusing to remove %s/%s: it is a directory", d->path,
		      name);
		goto out;
	}
	/* Only a holder that still is what its record says is signalled. */
	if (S_ISREG(st.st_mode) &&
	    ns_unames_read_record(d->fd, name, &r) == 0 &&
	    ns_unames_open_verified(&r, &p, &net) == 0) {
		if (end_holder(&p) != 0) {
			warn("cannot end the holder (PID %d) of %s/%s",
			     (int)p.pid, d->path, name);
			ns_proc_close(&p);
			goto out;
		}
		ns_proc_close(&p);
	}
	if (unlinkat(d->fd, name, 0) != 0) {
		warn("cannot remove %s/%s", d->path, name);
		goto out;
	}
	rc = 0;
out:
	if (flock(d->fd, LOCK_UN) != 0)
		warn("cannot unlock %s", d->path);
	return rc;
}

/* ---- the holder ---------------------------------------------------------- */

void
ns_unames_hold(void)
{
	sigset_t all;
	char c;
	int null;

	/*
	 * Non-dumpable: only the user namespace it was executed in (the
	 * creator's own) may look at it.  SIGTERM (from netnslink -d) and
	 * SIGKILL end it; nothing else reaches it.
	 */
	sigfillset(&all);
	sigdelset(&all, SIGTERM);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_NAME, NS_UNAMES_HOLDER, 0, 0, 0) != 0 ||
	    sigprocmask(SIG_SETMASK, &all, NULL) != 0 ||
	    signal(SIGTERM, SIG_DFL) == SIG_ERR ||
	    syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
		_exit(1);
	if (write(1, &(char){ HOLD_READY }, 1) != 1 || read(0, &c, 1) != 1 ||
	    c != HOLD_KEEP)
		_exit(1);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 3 || dup2(null, 0) != 0 || dup2(null, 1) != 1 ||
	    dup2(null, 2) != 2)
		_exit(1);
	close(null);
	for (;;)
		pause();
}
