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
		ns_oom(NS_EXIT_FAIL);
	return path;
}

/* Is NAME below DIRFD (not followed) the inode DEV, INO? */
bool
same_inode_at(int dirfd, const char *name, dev_t dev, ino_t ino)
{
	struct stat now;

	return fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	       now.st_dev == dev && now.st_ino == ino;
}

/*
 * Take back the self-bind by its name in the parent this run holds, never
 * by its path: the working directory moves to that parent, the mount id
 * is checked there and umount2(2) gets the bare name (UMOUNT_NOFOLLOW), so
 * no component can be swapped for a link between the check and the act.
 * Not through /proc/self/fd of the mount's own fd: that fd keeps the mount
 * busy, and only a plain umount, which the kernel refuses while names are
 * mounted in it, may take back a self-bind that another run relies on.
 * What is left is a rename inside the parent between the two calls, by
 * someone who may write there, onto a mount in that directory of theirs.
 */
static void
unmount_self_bind(const struct made_dirs *md)
{
	struct statx stx;
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (cwd < 0)
		return;
	if (fchdir(md->parent) == 0 &&
	    statx(AT_FDCWD, md->base, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID,
		  &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID) && stx.stx_mnt_id == md->mnt_id)
		(void)umount2(md->base, UMOUNT_NOFOLLOW);
	if (fchdir(cwd) != 0)
		warn("cannot return to the working directory");
	close(cwd);
}

/* rmdir(2) a directory this run made, where it made it, if it is empty. */
static bool
remove_made_dir(const struct made_dir *d)
{
	return same_inode_at(d->parent, d->name, d->dev, d->ino) &&
	       unlinkat(d->parent, d->name, AT_REMOVEDIR) == 0;
}

static void
free_made_dirs(struct made_dirs *md)
{
	while (md->n > 0) {
		struct made_dir *d = &md->dir[--md->n];

		close(d->parent);
		free(d->name);
	}
	if (md->parent >= 0)
		close(md->parent);
	free(md->dir);
	free(md->canon);
	free(md);
}

static void
undo_made_dirs(int status, void *arg)
{
	struct made_dirs *md = arg;
	bool removed = false, undo;

	/* On success the fd is closed already (and its frame gone). */
	undo = status != NS_EXIT_OK && md->parent >= 0 &&
	       (md->bound || md->n > 0);
	if (undo) {
		if (md->fd != NULL && *md->fd >= 0) {
			close(*md->fd);
			*md->fd = -1;
		}
		/* Without the lock another run is setting up: leave it all. */
		if (md->lock < 0)
			md->lock = take_setup_lock(md, true);
	}
	if (undo && md->lock >= 0 && md->bound)
		unmount_self_bind(md);
	if (undo && md->lock >= 0 && md->n > 0)
		removed = remove_made_dir(&md->dir[md->n - 1]);
	release_setup_lock(md);
	/* the others only once DIR went: not empty, someone else's now */
	for (size_t i = md->n - 1; removed && i > 0; i--)
		(void)remove_made_dir(&md->dir[i - 1]);
	free_made_dirs(md);
}

static struct made_dirs *
new_made_dirs(void)
{
	struct made_dirs *md = nonnull(calloc(1, sizeof(*md)));

	md->lock = -1;
	md->parent = -1;
	if (on_exit(undo_made_dirs, md) != 0)
		errx(NS_EXIT_FAIL, "cannot register the undo of mkdir");
	return md;
}

/*
 * Note that NAME below PARENT (an fd the note now owns) was made by this
 * run, and is the directory FD: it was created empty and ours, and not
 * swapped meanwhile for a link or another directory.
 */
static int
note_made_dir(struct made_dirs *md, int parent, const char *name, int fd)
{
	struct made_dir *grown;
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	if (st.st_uid != geteuid() ||
	    !same_inode_at(parent, name, st.st_dev, st.st_ino)) {
		errno = EXDEV;
		return -1;
	}
	grown = nonnull(reallocarray(md->dir, md->n + 1, sizeof(*grown)));
	md->dir = grown;
	grown[md->n] = (struct made_dir){ parent, nonnull(strdup(name)),
					  st.st_dev, st.st_ino };
	md->n++;
	return 0;
}

/*
 * mkdir -p, one component at a time below the fd of the one before
 * (following links as mkdir -p does), noting each directory it creates
 * where it created it.  *LAST gets an O_PATH fd of the final directory.
 */
static int
make_dirs(const char *path, struct made_dirs *md, int *last)
{
	char *p = strdup(path), *save = NULL, *name;
	int cur, next, saved;

	if (p == NULL)
		ns_oom(NS_EXIT_FAIL);
	cur = open(*path == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	name = strtok_r(p, "/", &save);
	while (cur >= 0 && name != NULL) {
		bool made = mkdirat(cur, name, 0755) == 0;
		int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;

		next = made || errno == EEXIST
			       ? openat(cur, name,
					flags | (made ? O_NOFOLLOW : 0))
			       : -1;
		if (next < 0 ||
		    (made && note_made_dir(md, cur, name, next) != 0)) {
			saved = errno;
			if (next >= 0)
				close(next);
			close(cur);
			free(p);
			errno = saved;
			return -1;
		}
		if (!made)
			close(cur);
		cur = next;
		name = strtok_r(NULL, "/", &save);
	}
	free(p);
	*last = cur;
	return cur < 0 ? -1 : 0;
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

/* Is the directory FD the last one this run made? */
static bool
made_here(const struct made_dirs *md, int fd)
{
	struct stat st;

	return md->n > 0 && fstat(fd, &st) == 0 &&
	       st.st_dev == md->dir[md->n - 1].dev &&
	       st.st_ino == md->dir[md->n - 1].ino;
}

static int
make_own_shared_mount(int fd, const char *dir, struct made_dirs *md)
{
	enum mount_state state;
	bool shared, ours = made_here(md, fd);
	int top, saved;

	top = self_bind(fd, dir, &shared);
	if (top < 0)
		err(NS_EXIT_FAIL, "cannot bind-mount %s onto itself", dir);
	if (!shared && own_peer_group(top, false) != 0) {
		saved = errno;
		/* exactly the mount made here, not what DIR names now */
		if (ns_umount_fd(top, MNT_DETACH) != 0)
			warn("cannot undo the bind mount of %s", dir);
		close(top);
		errno = saved;
		err(NS_EXIT_FAIL, "cannot make %s a shared mount", dir);
	}
	/* Ours to take back only on a directory this run made. */
	if (ours && mount_state(top, &state, &md->mnt_id) == 0)
		md->bound = true;
	close(fd);
	return top;
}

/*
 * DIR by its canonical path (ND->path), opened through an fd of the
 * directory above it that the run keeps (MD: the lock beside it, the undo
 * in it), and checked to be WALKED, the directory make_dirs reached.
 * false if it vanished meanwhile (a failing run took it back).
 */
static bool
open_canonical(const char *dir, struct made_dirs *md, struct names_dir *nd,
	       int walked)
{
	struct stat a, b;
	int saved;

	nd->fd = -1;
	nd->path = realpath(dir, NULL);
	if (nd->path != NULL) {
		free(md->canon);
		md->canon = strdup(nd->path);
		if (md->canon == NULL)
			ns_oom(NS_EXIT_FAIL);
		if (md->parent >= 0)
			close(md->parent);
		md->parent = ns_open_parent(md->canon, &md->base);
		if (md->parent >= 0)
			nd->fd = openat(md->parent, md->base,
					O_PATH | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
	}
	saved = errno;
	md->fd = &nd->fd;
	if (fstat(walked, &b) != 0)
		err(NS_EXIT_FAIL, "cannot open %s", dir);
	close(walked);
	/* Removed, as a failing run takes back what it made: again. */
	if (nd->fd < 0 && saved == ENOENT && b.st_nlink == 0) {
		free(nd->path);
		return false;
	}
	errno = saved;
	if (nd->fd < 0 && saved != ENOENT)
		err(NS_EXIT_FAIL, "cannot open %s", dir);
	if (nd->fd < 0 || fstat(nd->fd, &a) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		errx(NS_EXIT_FAIL,
		     "cannot set up %s: it was moved while it was made", dir);
	return true;
}

/* One try of prepare_dir; false if DIR vanished meanwhile (a failing run
 * took back the directory it had made), to be tried again. */
static bool
try_prepare_dir(const char *dir, bool for_mounts, struct made_dirs *md,
		struct names_dir *nd)
{
	enum mount_state state;
	uint64_t id;
	int walked;

	nd->fd = -1;
	if (make_dirs(dir, md, &walked) != 0)
		err(NS_EXIT_FAIL, "cannot create %s", dir);
	if (!open_canonical(dir, md, nd, walked))
		return false;
	for (int locked = 0; locked < 2; locked++) {
		/* Under the lock, look again: another run may have set up. */
		if (locked) {
			md->lock = take_setup_lock(md, false);
			close(nd->fd);
			nd->fd = openat(md->parent, md->base,
					O_PATH | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
		}
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
		ns_oom(NS_EXIT_FAIL);
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
