// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: remove a name, only if it is what netnslink makes.

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "netnslink.h"

bool
is_net_ns_fd(int fd)
{
	const struct ns_type *t = ns_type_of_fd(fd);

	return t != NULL && t->flag == CLONE_NEWNET;
}

/* What a name is, from the O_PATH fd of it (the top mount there). */
enum name_kind { NAME_OTHER, NAME_NETNS, NAME_EMPTY_FILE };

static enum name_kind
kind_of_fd(int fd)
{
	struct statfs sfs;
	struct statx stx;
	int real;
	bool net;

	if (fstatfs(fd, &sfs) != 0)
		return NAME_OTHER;
	if (sfs.f_type == NSFS_MAGIC) {
		/* for real (an ioctl needs that), never by a path */
		real = ns_reopen_fd(fd, O_RDONLY);
		net = real >= 0 && is_net_ns_fd(real);
		if (real >= 0)
			close(real);
		return net ? NAME_NETNS : NAME_OTHER;
	}
	/*
	 * What a kill -9 between creating the file and mounting on it
	 * leaves (and a failed ip netns add): an empty regular file that is
	 * no mount point.
	 */
	if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &stx) == 0 &&
	    S_ISREG(stx.stx_mode) && stx.stx_size == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return NAME_EMPTY_FILE;
	return NAME_OTHER;
}

/* Is the name still the file of FD (nothing mounted on it meanwhile)? */
static bool
still_same(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 &&
	       fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Unmount and unlink a name, through the directory fd: a network namespace
 * mount, a link to /proc/PID/ns/net, or an empty regular file (stale);
 * anything else stays.  The unlink is asked first (directory writable,
 * not read-only): a name unmounted but not unlinked would lose the
 * namespace and stay behind as a stale file.
 */
int
remove_name(const struct names_dir *nd, const char *name)
{
	char *path = path_of(nd->path, name);
	char target[64];
	enum name_kind kind = NAME_OTHER;
	struct stat st;
	ssize_t n;
	int fd = -1, rc = -1;

	if (nd->fd < 0 ||
	    fstatat(nd->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(nd->fd, name, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			if (ns_netns_link_pid(target) != 0)
				kind = NAME_NETNS;
		}
	} else {
		fd = openat(nd->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			warn("cannot open %s", path);
			goto out;
		}
		kind = kind_of_fd(fd);
	}
	if (kind == NAME_OTHER) {
		warnx("refusing to remove %s: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file",
		      path);
		goto out;
	}
	if (faccessat(nd->fd, ".", W_OK, AT_EACCESS) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	if (fd >= 0 && kind == NAME_NETNS) {
		/* Exactly the mount the fd is on, whatever the path is now. */
		if (ns_umount_fd(fd, MNT_DETACH) != 0) {
			warn("cannot unmount %s", path);
			goto out;
		}
	} else if (fd >= 0 && !still_same(nd->fd, name, fd)) {
		errno = EBUSY;
		warn("cannot remove %s", path);
		goto out;
	}
	if (unlinkat(nd->fd, name, 0) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

void
replace_existing(const struct names_dir *nd, const char *name)
{
	struct stat st;

	if (fstatat(nd->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return;
		err(NS_EXIT_FAIL, "cannot replace %s/%s", nd->path, name);
	}
	if (remove_name(nd, name) != 0)
		exit(NS_EXIT_FAIL);
}

noreturn void
cannot_name(const struct names_dir *nd, const char *name, const char *what)
{
	if (errno == EEXIST)
		errx(NS_EXIT_FAIL, "%s/%s already exists (--force replaces it)",
		     nd->path, name);
	err(NS_EXIT_FAIL, "cannot %s %s/%s", what, nd->path, name);
}

int
delete_names(const struct netnslink_opts *o)
{
	struct names_dir nd;
	int rc = NS_EXIT_OK;

	open_dir(o->dir, &nd);
	for (size_t i = 0; i < o->nnames; i++)
		if (remove_name(&nd, o->names[i]) != 0)
			rc = NS_EXIT_FAIL;
	close_dir(&nd);
	return rc;
}
