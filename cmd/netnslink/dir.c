// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: the directory of names: create it, make it a shared mount, undo.

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netnslink.h"

char *
path_of(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	return path;
}

static bool
mount_id_of(const char *path, uint64_t *id)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) !=
		    0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return false;
	*id = stx.stx_mnt_id;
	return true;
}

static void
undo_made_dirs(int status, void *arg)
{
	struct made_dirs *md = arg;
	bool removed = false, undo;
	uint64_t id;

	/* On success the fd is closed already (and its frame gone). */
	undo = status != NS_EXIT_OK && md->canon != NULL &&
	       (md->self_bind != NULL || md->n > 0);
	if (undo) {
		if (md->fd != NULL && *md->fd >= 0) {
			close(*md->fd);
			*md->fd = -1;
		}
		/* Without the lock another run is setting up: leave it all. */
		if (md->lock < 0)
			md->lock = take_setup_lock(md->canon, true);
	}
	if (undo && md->lock >= 0 && md->self_bind != NULL &&
	    mount_id_of(md->self_bind, &id) && id == md->mnt_id)
		(void)umount2(md->self_bind, UMOUNT_NOFOLLOW);
	if (undo && md->lock >= 0 && md->n > 0 && rmdir(md->canon) == 0)
		removed = true;
	release_setup_lock(md);
	while (md->n > 0) {
		char *dir = md->path[--md->n];

		if (removed)
			(void)rmdir(dir); /* not empty: someone else's now */
		free(dir);
	}
	free(md->self_bind);
	free(md->canon);
	free(md->path);
	free(md);
}

static struct made_dirs *
new_made_dirs(void)
{
	struct made_dirs *md = calloc(1, sizeof(*md));

	if (md == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->lock = -1;
	if (on_exit(undo_made_dirs, md) != 0)
		errx(NS_EXIT_FAIL, "cannot register the undo of mkdir");
	return md;
}

static void
note_made_dir(struct made_dirs *md, const char *dir)
{
	char **grown = reallocarray(md->path, md->n + 1, sizeof(*grown));

	if (grown == NULL || (grown[md->n] = strdup(dir)) == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->path = grown;
	md->n++;
}

/* mkdir -p, noting each directory it creates. */
static int
make_dirs(const char *path, struct made_dirs *md)
{
	char *p = strdup(path);
	int saved;

	if (p == NULL)
		return -1;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char end = *s;

			*s = '\0';
			if (mkdir(p, 0755) == 0)
				note_made_dir(md, p);
			else if (errno != EEXIST)
				goto fail;
			*s = end;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return 0;
fail:
	saved = errno;
	free(p);
	errno = saved;
	return -1;
}

enum mount_state { NOT_MOUNTED, MOUNTED_NOT_SHARED, MOUNTED_SHARED };

/* Does the mountinfo line of mount ID say it is shared? */
static int
mount_is_shared(uint64_t id, bool *shared)
{
	int fd = ns_proc_self_open("mountinfo");
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	struct ns_mountinfo m;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*shared = false;
	while (getline(&line, &cap, f) > 0) {
		if (ns_mountinfo_parse(line, &m) != 0 || m.id != id)
			continue;
		*shared = m.shared != 0;
		break;
	}
	if (ferror(f))
		rc = -1;
	free(line);
	fclose(f);
	return rc;
}

/*
 * Is the directory FD the root of a mount, which one, and is that mount
 * shared?  statx names the mount the fd is on; a mount point in mountinfo
 * may be hidden under another mount.
 */
static int
mount_state(int fd, enum mount_state *state, uint64_t *id)
{
	struct statx stx;
	bool shared;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) != 0)
		return -1;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
	    !(stx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		return -1;
	}
	*id = stx.stx_mnt_id;
	*state = NOT_MOUNTED;
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	if (mount_is_shared(stx.stx_mnt_id, &shared) != 0)
		return -1;
	*state = shared ? MOUNTED_SHARED : MOUNTED_NOT_SHARED;
	return 0;
}

/* A propagation type for exactly the mount FD is the root of. */
static int
set_propagation(int fd, unsigned long type)
{
	return ns_propagate_fd(fd, type);
}

/*
 * A bind of a shared mount joins the source's peer group; going private
 * first gives the copy a peer group of its own, so a name made here
 * propagates to copies of DIR (ip netns exec, other mount namespaces), not
 * back into the parent mount.  Then shared, recursively, as ip netns makes
 * it.  FD is the new mount; mount_setattr(2) also reaches a detached one.
 */
static int
own_peer_group(int fd, bool detached)
{
	struct mount_attr priv = { .propagation = MS_PRIVATE };
	struct mount_attr shared = { .propagation = MS_SHARED };

	if (detached)
		return mount_setattr(fd, "", AT_EMPTY_PATH, &priv,
				     sizeof(priv)) == 0 &&
				       mount_setattr(
					       fd, "",
					       AT_EMPTY_PATH | AT_RECURSIVE,
					       &shared, sizeof(shared)) == 0
			       ? 0
			       : -1;
	if (set_propagation(fd, MS_PRIVATE) != 0 ||
	    set_propagation(fd, MS_SHARED | MS_REC) != 0)
		return -1;
	return 0;
}

/*
 * Bind the directory FD onto itself, recursively (names already mounted
 * there stay visible), in its own shared peer group, and return an O_PATH
 * fd of the new mount's root.  The copy is made detached (open_tree), made
 * shared while nobody can see it, and moved onto the held fd: the path is
 * not looked up again, and ip netns add, which does not take our lock,
 * finds either no mount or a shared one, never one half set up (it would
 * stack its own bind on it).  Where the kernel cannot set the propagation
 * of a detached mount (before 6.x) it is set once attached; without the
 * new mount API (Linux < 5.2), mount(2) through /proc/self/fd and the
 * path opened again, checked to be the same directory.
 */
static int
self_bind(int fd, const char *dir, bool *shared)
{
	char path[32];
	struct stat before, after;
	int tree, saved;

	tree = open_tree(fd, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
				 AT_EMPTY_PATH);
	if (tree >= 0) {
		*shared = own_peer_group(tree, true) == 0;
		if (move_mount(tree, "", fd, "",
			       MOVE_MOUNT_F_EMPTY_PATH |
				       MOVE_MOUNT_T_EMPTY_PATH) == 0)
			return tree;
		saved = errno;
		close(tree);
		errno = saved;
		return -1;
	}
	*shared = false;
	if (errno != ENOSYS || fstat(fd, &before) != 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0)
		return -1;
	tree = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tree >= 0 &&
	    (fstat(tree, &after) != 0 || after.st_dev != before.st_dev ||
	     after.st_ino != before.st_ino)) {
		close(tree);
		errno = EXDEV;
		tree = -1;
	}
	return tree;
}

static int
make_own_shared_mount(int fd, const char *dir, struct made_dirs *md)
{
	enum mount_state state;
	bool shared;
	int top, saved;

	top = self_bind(fd, dir, &shared);
	if (top < 0)
		err(NS_EXIT_FAIL, "cannot bind-mount %s onto itself", dir);
	if (!shared && own_peer_group(top, false) != 0) {
		saved = errno;
		close(top);
		if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
			warn("cannot undo the bind mount of %s", dir);
		errno = saved;
		err(NS_EXIT_FAIL, "cannot make %s a shared mount", dir);
	}
	/* Ours to take back only on a directory this run made. */
	if (md->n > 0 && mount_state(top, &state, &md->mnt_id) == 0 &&
	    (md->self_bind = strdup(dir)) == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	close(fd);
	return top;
}

/* One try of prepare_dir; false if DIR vanished meanwhile (a failing run
 * took back the directory it had made), to be tried again. */
static bool
try_prepare_dir(const char *dir, bool for_mounts, struct made_dirs *md,
		struct names_dir *nd)
{
	enum mount_state state;
	uint64_t id;

	nd->fd = -1;
	if (make_dirs(dir, md) != 0)
		err(NS_EXIT_FAIL, "cannot create %s", dir);
	nd->path = realpath(dir, NULL);
	if (nd->path == NULL && errno == ENOENT)
		return false;
	if (nd->path == NULL)
		err(NS_EXIT_FAIL, "cannot resolve %s", dir);
	free(md->canon);
	md->canon = strdup(nd->path);
	if (md->canon == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->fd = &nd->fd;
	for (int locked = 0; locked < 2; locked++) {
		/* Under the lock, look again: another run may have set up. */
		if (locked) {
			md->lock = take_setup_lock(nd->path, false);
			close(nd->fd);
		}
		nd->fd = open(nd->path,
			      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nd->fd < 0 && errno == ENOENT) {
			release_setup_lock(md);
			free(nd->path);
			return false;
		}
		if (nd->fd < 0)
			err(NS_EXIT_FAIL, "cannot open %s", nd->path);
		if (!for_mounts)
			return true;
		if (mount_state(nd->fd, &state, &id) != 0)
			err(NS_EXIT_FAIL, "cannot tell how %s is mounted",
			    nd->path);
		/* The usual case, set up long ago: no lock needed. */
		if (state == MOUNTED_SHARED)
			break;
		if (!locked)
			continue;
		if (state == NOT_MOUNTED)
			nd->fd = make_own_shared_mount(nd->fd, nd->path, md);
		else if (set_propagation(nd->fd, MS_SHARED | MS_REC) != 0)
			err(NS_EXIT_FAIL, "cannot make %s a shared mount",
			    nd->path);
	}
	release_setup_lock(md);
	return true;
}

/*
 * Create DIR if missing and, for bind mounts, make it a shared mount point
 * as ip netns does; ND gets its canonical path and the fd of the prepared
 * directory.
 */
void
prepare_dir(const char *dir, bool for_mounts, struct names_dir *nd)
{
	struct made_dirs *md = new_made_dirs();

	for (int i = 0; i < 3; i++)
		if (try_prepare_dir(dir, for_mounts, md, nd))
			return;
	errx(NS_EXIT_FAIL, "cannot create %s: removed again by another run",
	     dir);
}

/* Open the directory of names as it is, to read or remove names. */
void
open_dir(const char *dir, struct names_dir *nd)
{
	nd->path = strdup(dir);
	if (nd->path == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	nd->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

void
close_dir(struct names_dir *nd)
{
	if (nd->fd >= 0)
		close(nd->fd);
	nd->fd = -1;
	free(nd->path);
	nd->path = NULL;
}
