// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * userns_holder.c - the holders of an unprivileged user's network
 * namespace names: starting one in new (or the target's own) user and
 * network namespaces and recording it, ending one after checking it, and
 * the holder itself (see nscommon.h).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "userns_names-internal.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* How long -d waits for a holder to go after SIGTERM, then after SIGKILL. */
#define END_WAIT_MS 5000

/* The bytes of the start-up handshake between the creator and the holder. */
enum { HOLD_READY = 'r', HOLD_KEEP = 'k', HOLD_ERROR = 'e' };

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
	if (ns_proc_stat_start(p.procfd, comm, sizeof(comm), &r->start) == 0 &&
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
