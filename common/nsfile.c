// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsfile.c - persisting a namespace: bind-mounting a namespace file onto
 * a file created (or found) without following a link and held open, so
 * the mount lands on that inode; nothing is left behind on failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nscommon.h"

/*
 * The name file is created (or, without EXCL, found) below DIRFD and held
 * as an O_PATH fd; the mount goes onto exactly that inode, never onto a
 * path looked up again, so a symbolic link swapped in meanwhile (in a
 * directory another user can write) is never followed.  A file unlinked
 * meanwhile cannot be mounted on at all (ENOENT).
 */
static int
open_target_at(int dirfd, const char *name, bool excl, bool *created)
{
	struct stat st;
	int fd, saved;

	*created = false;
	fd = openat(dirfd, name,
		    O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC,
		    0444);
	if (fd >= 0) {
		*created = true;
	} else {
		if (errno != EEXIST || excl)
			return -1;
		fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -1;
	}
	if (fstat(fd, &st) != 0)
		goto fail;
	/* An existing symbolic link is opened itself under O_PATH */
	if (S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* /proc/self/fd/N names the open file itself only on a real procfs. */
static int
check_proc_fd_dir(void)
{
	struct statfs sfs;
	int fd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) != 0)
		rc = -1;
	else if (sfs.f_type != PROC_SUPER_MAGIC)
		rc = (errno = EXDEV, -1);
	close(fd);
	return rc;
}

/*
 * Bind SRCFD onto the file TARGETFD is: a detached copy of the nsfs mount
 * (open_tree) moved onto the held fd (move_mount); on a kernel without the
 * new mount API (before 5.2), mount(2) between the two /proc/self/fd
 * links, which lead to the open files themselves.
 */
static int
bind_fd_onto_fd(int srcfd, int targetfd)
{
	char src[32], target[32];
	int tree, rc, saved;

	tree = open_tree(srcfd, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree >= 0) {
		rc = move_mount(tree, "", targetfd, "",
				MOVE_MOUNT_F_EMPTY_PATH |
					MOVE_MOUNT_T_EMPTY_PATH);
		saved = errno;
		close(tree);
		errno = saved;
		return rc;
	}
	if (errno != ENOSYS)
		return -1;
	if (check_proc_fd_dir() != 0)
		return -1;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", srcfd);
	snprintf(target, sizeof(target), "/proc/self/fd/%d", targetfd);
	return mount(src, target, NULL, MS_BIND, NULL);
}

/* Take back a file this call created, if the name still is that file. */
static void
unlink_created(int dirfd, const char *name, int fd)
{
	struct stat mine, now;

	if (fstat(fd, &mine) == 0 &&
	    fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    mine.st_dev == now.st_dev && mine.st_ino == now.st_ino)
		(void)unlinkat(dirfd, name, 0);
}

int
ns_bind_nsfile_at(int srcfd, int dirfd, const char *name, bool excl,
		  const char **why)
{
	bool created;
	int fd, saved;

	if (why != NULL)
		*why = NULL;
	fd = open_target_at(dirfd, name, excl, &created);
	if (fd < 0) {
		if (errno == ELOOP && why != NULL)
			*why = "it is a symbolic link";
		return -1;
	}
	if (bind_fd_onto_fd(srcfd, fd) == 0) {
		close(fd);
		return 0;
	}
	saved = errno;
	if ((saved == EINVAL || saved == ELOOP) && why != NULL)
		*why = "a mount namespace can be persisted only on a private "
		       "mount (e.g. mount --bind DIR DIR; "
		       "mount --make-private DIR)";
	if (created)
		unlink_created(dirfd, name, fd);
	close(fd);
	errno = saved;
	return -1;
}

/* Split PATH into an O_PATH fd of its directory and its last component. */
int
ns_open_parent(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, saved;

	if (slash == NULL) {
		*base = path;
		return open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	if (slash[1] == '\0') {
		errno = EISDIR;
		return -1;
	}
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL)
		return -1;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	saved = errno;
	free(dir);
	errno = saved;
	return fd;
}
