// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - checked /proc access: /proc verified to be the procfs of our own
 * PID namespace, a process opened once as a pidfd plus its /proc/PID
 * directory, its files and namespaces opened below that without crossing
 * a mount or following a planted link, a procfs file read whole, the
 * /proc/self/fd reopen, unmount and propagation of an O_PATH fd, and the
 * one wording of each failure to open /proc or a process.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nscommon.h"

/*
 * openat2 with RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV|RESOLVE_BENEATH where the
 * kernel has it (5.6+), so neither a planted link nor a mount redirects the
 * open; O_NOFOLLOW on the last component otherwise.
 */
int
ns_openat_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve =
			RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_BENEATH,
	};
	int fd;

	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG))
		return fd;
	return openat(dirfd, path, flags | O_CLOEXEC | O_NOFOLLOW);
}

int
ns_proc_check_alive(const struct ns_proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	/* A pidfd turns readable once its process has exited. */
	if (p->pidfd >= 0) {
		if (poll(&pfd, 1, 0) < 0)
			return -1;
		if (pfd.revents & (POLLIN | POLLHUP)) {
			errno = ESRCH;
			return -1;
		}
		return 0;
	}
	/* Without pidfds: the /proc/PID directory goes stale on exit. */
	if (faccessat(p->procfd, "stat", F_OK, 0) != 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/*
 * procfs's root directory has inode 1 in every instance; a bind mount of one
 * of its subdirectories onto /proc has another.
 */
#define PROC_ROOT_INO 1

/* Mount id of FD (statx STATX_MNT_ID, Linux 5.8): 0, or -1 when unknown. */
static int
mount_id_of(int fd, uint64_t *id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) != 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return -1;
	*id = stx.stx_mnt_id;
	return 0;
}

/*
 * Is FD on the same mount as DIRFD?  openat2's RESOLVE_NO_XDEV already
 * refuses to cross a mount; this also covers kernels without openat2.
 */
static bool
same_mount(int dirfd, int fd)
{
	uint64_t a, b;

	if (mount_id_of(dirfd, &a) != 0 || mount_id_of(fd, &b) != 0)
		return true;
	return a == b;
}

/*
 * The text of the procfs file PATH below DIRFD, malloc'd and NUL-terminated:
 * opened without following a link or crossing a mount, never blocking, and
 * only if it is a regular file of procfs.  NULL with errno (EXDEV: not one).
 */
char *
ns_proc_read_text(int dirfd, const char *path)
{
	size_t len = 0, cap = 4096;
	struct statfs sfs;
	struct stat st;
	char *buf = NULL, *b;
	ssize_t n;
	int fd, saved;

	fd = ns_openat_beneath(dirfd, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	if (fstatfs(fd, &sfs) != 0 || fstat(fd, &st) != 0)
		goto fail;
	if (sfs.f_type != PROC_SUPER_MAGIC || !S_ISREG(st.st_mode) ||
	    !same_mount(dirfd, fd)) {
		errno = EXDEV;
		goto fail;
	}
	buf = malloc(cap + 1);
	if (buf == NULL)
		goto fail;
	for (;;) {
		if (len == cap) {
			/* No status or stat file comes near this. */
			if ((cap *= 2) > (1U << 20)) {
				errno = EFBIG;
				goto fail;
			}
			b = realloc(buf, cap + 1);
			if (b == NULL)
				goto fail;
			buf = b;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return NULL;
}

int
ns_proc_stat_start(int procfd, char *comm, size_t size,
		   unsigned long long *start)
{
	char *buf, *open_paren, *close_paren, *p, *end;
	int field, rc = -1, saved;

	buf = ns_proc_read_text(procfd, "stat");
	if (buf == NULL)
		return -1;
	/* comm may hold ')' and spaces: the fields follow the last ')'. */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	errno = EINVAL;
	if (open_paren == NULL || close_paren == NULL ||
	    close_paren < open_paren)
		goto out;
	if (comm != NULL)
		snprintf(comm, size, "%.*s",
			 (int)(close_paren - open_paren - 1), open_paren + 1);
	p = close_paren;
	for (field = 2; p != NULL && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || !isdigit((unsigned char)p[1]))
		goto out;
	errno = 0;
	*start = strtoull(p + 1, &end, 10);
	if (errno != 0 || *end != ' ')
		errno = EINVAL;
	else
		rc = 0;
out:
	saved = errno;
	free(buf);
	errno = saved;
	return rc;
}

/* The value of line "KEY:" of a status file's TEXT, up to its newline (not
 * included), or NULL. */
static const char *
status_value(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *l = text; l != NULL && *l != '\0';) {
		const char *nl = strchr(l, '\n');

		if (strncmp(l, key, klen) == 0 && l[klen] == ':') {
			l += klen + 1;
			*len = nl != NULL ? (size_t)(nl - l) : strlen(l);
			return l;
		}
		l = nl != NULL ? nl + 1 : NULL;
	}
	return NULL;
}

/*
 * Is the procfs whose root is ROOT the one of our own PID namespace?  Its
 * "self" names us by our PID in its namespace, and our NSpid line there
 * lists one PID per level from its namespace down to ours: one PID, and
 * that PID ours, only in our own.
 */
static bool
proc_is_our_pid_ns(int root)
{
	char self[32], want[32], path[48];
	const char *v;
	char *text;
	size_t len;
	ssize_t n;
	bool ok;

	n = readlinkat(root, "self", self, sizeof(self) - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	if (strcmp(self, want) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/status", want);
	text = ns_proc_read_text(root, path);
	if (text == NULL)
		return false;
	v = status_value(text, "NSpid", &len);
	ok = v != NULL && len > 1 && v[0] == '\t' &&
	     strncmp(v + 1, want, len - 1) == 0 && strlen(want) == len - 1;
	free(text);
	return ok;
}

int
ns_proc_root_open(void)
{
	struct statfs sfs;
	struct stat st;
	int fd, saved;

	fd = open("/proc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Not procfs, a subdirectory of one bound onto /proc, or the procfs
	 * of another PID namespace, whose numbers name other processes. */
	errno = 0;
	if (fstatfs(fd, &sfs) != 0 || fstat(fd, &st) != 0 ||
	    sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO ||
	    !proc_is_our_pid_ns(fd)) {
		saved = errno == 0 || errno == ENOENT ? EXDEV : errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
open_proc_dir(int root, pid_t pid)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "%d", (int)pid);
	/* A mount on /proc/PID (another process's directory bound over it)
	 * is refused: openat2 does not cross it, and its mount id differs. */
	fd = ns_openat_beneath(root, name, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno == ENOENT ? (errno = ESRCH, -1) : -1;
	if (!same_mount(root, fd)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

int
ns_proc_open_at(int root, pid_t pid, struct ns_proc *p)
{
	int saved;

	p->pid = pid;
	p->procfd = -1;
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p->pidfd < 0 && errno != ENOSYS)
		return -1;
	p->procfd = open_proc_dir(root, pid);
	if (p->procfd < 0)
		goto fail;
	/*
	 * /proc/PID of the procfs of our PID namespace is the process that
	 * has PID now.  The pid may have been recycled between pidfd_open and
	 * that open; if the pidfd's process is still there, it was not, and
	 * the directory is that process's.
	 */
	if (ns_proc_check_alive(p) != 0)
		goto fail;
	return 0;
fail:
	saved = errno;
	ns_proc_close(p);
	errno = saved;
	return -1;
}

int
ns_proc_open(pid_t pid, struct ns_proc *p)
{
	int root = ns_proc_root_open(), r, saved;

	if (root < 0) {
		p->pid = pid;
		p->pidfd = p->procfd = -1;
		return -1;
	}
	r = ns_proc_open_at(root, pid, p);
	saved = errno;
	close(root);
	errno = saved;
	return r;
}

/* PIDFD_GET_*_NAMESPACE (Linux 6.11), for headers that lack them. */
#ifndef PIDFS_IOCTL_MAGIC
#define PIDFS_IOCTL_MAGIC 0xFF
#endif

/* The pidfd ioctl that gives namespace NAME of the process, or 0. */
static unsigned long
pidfd_ns_request(const char *name)
{
	static const char *const names[] = {
		"cgroup", "ipc",
		"mnt",	  "net",
		"pid",	  "pid_for_children",
		"time",	  "time_for_children",
		"user",	  "uts",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return _IO(PIDFS_IOCTL_MAGIC, i + 1);
	return 0;
}

/*
 * Is PATH (ns/NAME, root, cwd, fd/N) below the procfs directory PROCFD
 * still procfs's own link, not something mounted over it (a symbolic link
 * can be)?  Unknown (no STATX_MNT_ID) counts as yes.
 */
static bool
ns_link_is_procs(int procfd, const char *path)
{
	struct statx stx;
	uint64_t mnt;

	if (mount_id_of(procfd, &mnt) != 0)
		return true;
	if (statx(procfd, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID | STATX_TYPE,
		  &stx) != 0)
		return errno == ENOENT;
	return (stx.stx_mask & STATX_MNT_ID) && stx.stx_mnt_id == mnt &&
	       S_ISLNK(stx.stx_mode);
}

int
ns_proc_open_link(const struct ns_proc *p, const char *path, int flags)
{
	int fd, saved;

	if (!ns_link_is_procs(p->procfd, path)) {
		errno = EXDEV;
		return -1;
	}
	/* magic links (ns/X, root, cwd): they must be followed */
	fd = openat(p->procfd, path, flags | O_CLOEXEC);
	if (fd < 0) {
		/* A process that exited meanwhile says so, not ENOENT */
		saved = errno;
		if (ns_proc_check_alive(p) == 0)
			errno = saved;
		return -1;
	}
	if (ns_proc_check_alive(p) != 0 || !ns_link_is_procs(p->procfd, path)) {
		saved = errno == ESRCH ? ESRCH : EXDEV;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
ns_proc_open_ns(const struct ns_proc *p, const char *name)
{
	unsigned long req = pidfd_ns_request(name);
	char path[32 + NAME_MAX];
	int fd;

	/*
	 * From the pidfd itself where the kernel can (6.11): a file can be
	 * mounted over /proc/PID/ns/NAME, in our mount namespace.
	 */
	if (p->pidfd >= 0 && req != 0) {
		fd = ioctl(p->pidfd, req, 0);
		if (fd >= 0 || errno != ENOTTY)
			return fd;
	}
	snprintf(path, sizeof(path), "ns/%s", name);
	return ns_proc_open_link(p, path, O_RDONLY);
}

void
ns_proc_close(struct ns_proc *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->procfd >= 0)
		close(p->procfd);
	p->pidfd = p->procfd = -1;
}

/*
 * /proc/self/fd, where a name is an open file of ours: reached from the root
 * of a procfs on /proc (no other filesystem, no directory bound there)
 * without crossing a mount (a symbolic link mounted over "self" would lead
 * to another process's fds).  O_PATH fd, or -1 with errno (EXDEV: /proc
 * is not that).
 */
static int
self_fd_dir(void)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_BENEATH,
	};
	struct statfs sfs;
	struct stat st;
	int root, fd = -1, saved;

	root = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root < 0)
		return -1;
	if (fstatfs(root, &sfs) != 0 || fstat(root, &st) != 0)
		goto out;
	errno = EXDEV;
	if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
		goto out;
	fd = (int)syscall(SYS_openat2, root, "self/fd", &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == E2BIG)) {
		errno = EXDEV;
		if (!ns_link_is_procs(root, "self"))
			goto out;
		fd = openat(root, "self/fd",
			    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0 &&
	    (fstatfs(fd, &sfs) != 0 || sfs.f_type != PROC_SUPER_MAGIC ||
	     !same_mount(root, fd))) {
		close(fd);
		fd = -1;
		errno = EXDEV;
	}
out:
	saved = errno;
	close(root);
	errno = saved;
	return fd;
}

int
ns_reopen_fd(int fd, int flags)
{
	struct stat a, b;
	char name[16];
	int dir, r, saved;

	dir = self_fd_dir();
	if (dir < 0)
		return -1;
	snprintf(name, sizeof(name), "%d", fd);
	if (!ns_link_is_procs(dir, name)) {
		close(dir);
		errno = EXDEV;
		return -1;
	}
	/* fd/N is a magic link: it must be followed */
	r = openat(dir, name, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	saved = errno;
	close(dir);
	if (r >= 0 && (fstat(fd, &a) != 0 || fstat(r, &b) != 0 ||
		       a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
		close(r);
		r = -1;
		saved = ESTALE;
	}
	errno = saved;
	return r;
}

/*
 * umount2(2) or a propagation mount(2) of "N" with the working directory
 * at the checked /proc/self/fd: the name of fd N there leads to exactly
 * the file it is, and nothing another process put in a path does.  The
 * working directory is restored.
 */
static int
at_self_fd(int fd, bool umount, unsigned long arg)
{
	char name[16];
	int dir, cwd = -1, rc = -1, saved;

	dir = self_fd_dir();
	if (dir < 0)
		return -1;
	snprintf(name, sizeof(name), "%d", fd);
	if (!ns_link_is_procs(dir, name)) {
		errno = EXDEV;
		goto out;
	}
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || fchdir(dir) != 0)
		goto out;
	rc = umount ? umount2(name, (int)arg)
		    : mount(NULL, name, NULL, arg, NULL);
	saved = errno;
	if (fchdir(cwd) != 0) {
		saved = errno;
		rc = -1;
	}
	errno = saved;
out:
	saved = errno;
	if (cwd >= 0)
		close(cwd);
	close(dir);
	errno = saved;
	return rc;
}

int
ns_umount_fd(int fd, int flags)
{
	return at_self_fd(fd, true, (unsigned long)(flags & ~UMOUNT_NOFOLLOW));
}

int
ns_propagate_fd(int fd, unsigned long type)
{
	struct mount_attr attr = { .propagation = type & ~MS_REC };
	int at = AT_EMPTY_PATH | ((type & MS_REC) ? AT_RECURSIVE : 0);

	/* mount_setattr(2) takes the fd itself (Linux 5.12) */
	if (mount_setattr(fd, "", (unsigned int)at, &attr, sizeof(attr)) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	return at_self_fd(fd, false, type);
}

int
ns_proc_self_open(const char *name)
{
	char path[32 + NAME_MAX];
	struct statfs sfs;
	struct stat st;
	int root, fd, saved;

	root = ns_proc_root_open();
	if (root < 0)
		return -1;
	snprintf(path, sizeof(path), "%d/%s", (int)getpid(), name);
	fd = ns_openat_beneath(root, path, O_RDONLY | O_NONBLOCK);
	saved = errno;
	if (fd >= 0 &&
	    (fstatfs(fd, &sfs) != 0 || fstat(fd, &st) != 0 ||
	     sfs.f_type != PROC_SUPER_MAGIC || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
		saved = EXDEV;
	}
	close(root);
	errno = saved;
	return fd;
}

/* ---- opening /proc and a process, failures said -------------------- */

void
ns_proc_root_warn(int error)
{
	errno = error;
	if (error == EXDEV)
		warnx("cannot trust /proc: it is not the procfs of our PID namespace");
	else
		warn("cannot open /proc");
}

int
ns_proc_root_open_or_warn(void)
{
	int fd = ns_proc_root_open();

	if (fd < 0)
		ns_proc_root_warn(errno);
	return fd;
}

int
ns_proc_open_or_warn(int root, pid_t pid, struct ns_proc *p)
{
	int r, own = root < 0 ? ns_proc_root_open_or_warn() : root;

	if (own < 0) {
		p->pid = pid;
		p->pidfd = p->procfd = -1;
		return -1;
	}
	r = ns_proc_open_at(own, pid, p);
	if (r != 0 && errno == EXDEV)
		warnx("cannot trust /proc/%d: a mount covers it", (int)pid);
	else if (r != 0)
		warn("cannot open PID %d", (int)pid);
	if (own != root)
		close(own);
	return r;
}
