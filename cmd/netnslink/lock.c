// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: the lock that serializes the first set-up of a directory.

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netnslink.h"

/* How long a run waits for another run's first set-up of the directory. */
#define SETUP_LOCK_SECONDS 10
/* How often in a row a lock may be found unlinked once it is taken. */
#define LOCK_RETRIES 20

/*
 * The lock file NAME beside the directory, made if missing: a regular
 * file of the caller's that only the caller can open (ST gets its stat).
 * -1, with a message unless QUIET.
 */
static int
open_lock(const struct made_dirs *md, const char *name, const char *path,
	  bool quiet, struct stat *st)
{
	int fd = openat(
		md->parent, name,
		O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (!quiet)
			err(NS_EXIT_FAIL, "cannot open the lock %s", path);
		return -1;
	}
	if (fstat(fd, st) == 0 && S_ISREG(st->st_mode) &&
	    st->st_uid == geteuid() && (st->st_mode & 077) == 0)
		return fd;
	close(fd);
	if (!quiet)
		errx(NS_EXIT_FAIL,
		     "cannot lock %s: not a mode 0600 file of the caller",
		     path);
	return -1;
}

/* flock FD, waiting while another run holds it, *WAITS counting the
 * pauses of the whole take_setup_lock.  QUIET: one try, no message. */
static int
wait_for_lock(int fd, const char *path, bool quiet, int *waits)
{
	struct timespec pause = { 0, 20000000L }; /* 20 ms */

	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			if (!quiet)
				err(NS_EXIT_FAIL, "cannot lock %s", path);
			return -1;
		}
		/* QUIET: someone is setting up, and relies on it all */
		if (quiet)
			return -1;
		if (++*waits > SETUP_LOCK_SECONDS * 50)
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: held by another run for %d seconds",
			     path, SETUP_LOCK_SECONDS);
		(void)nanosleep(&pause, NULL);
	}
	return 0;
}

/*
 * The first set-up of DIR (look whether it is a mount, bind it onto itself)
 * is one step for concurrent runs: serialized by flock(2) on DIR.lock, a
 * file beside DIR that only the caller (root, for /run/netns.lock) can
 * open, reached through the fd of DIR's parent that the run holds.  Not a
 * lock on DIR itself: /run/netns is 0755, and any user who can open it
 * could hold such a lock.  The wait is bounded: the lock is held for
 * milliseconds, so one held longer is a failure to report.  The holder
 * unlinks it before releasing it (release_setup_lock), so none stays; a
 * lock found unlinked once taken is opened again, LOCK_RETRIES times at
 * most, since whoever may write beside DIR can unlink it at will.
 * QUIET (the undo at exit): one try, and -1 instead of exiting.
 */
int
take_setup_lock(const struct made_dirs *md, bool quiet)
{
	char *name, *path;
	struct stat st;
	int fd, waits = 0, unlinked = 0;

	if (asprintf(&name, "%s.lock", md->base) < 0)
		ns_oom(NS_EXIT_FAIL);
	if (asprintf(&path, "%s.lock", md->canon) < 0)
		ns_oom(NS_EXIT_FAIL);
	while ((fd = open_lock(md, name, path, quiet, &st)) >= 0) {
		if (wait_for_lock(fd, path, quiet, &waits) != 0) {
			close(fd);
			fd = -1;
			break;
		}
		if (same_inode_at(md->parent, name, st.st_dev, st.st_ino))
			break;
		close(fd);
		fd = -1;
		if (!quiet && ++unlinked < LOCK_RETRIES)
			continue;
		if (!quiet)
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: removed by another process %d times in a row",
			     path, LOCK_RETRIES);
		break;
	}
	free(name);
	free(path);
	return fd;
}

/*
 * Unlinked before it is released, so that no lock file stays: a run
 * waiting on it finds it unlinked once it has it, and starts over.  Only
 * if the name is still the file this run locked.
 */
void
release_setup_lock(struct made_dirs *md)
{
	struct stat st;
	char *name;

	if (md->lock < 0 || md->parent < 0)
		return;
	if (asprintf(&name, "%s.lock", md->base) < 0)
		ns_oom(NS_EXIT_FAIL);
	if (fstat(md->lock, &st) == 0 &&
	    same_inode_at(md->parent, name, st.st_dev, st.st_ino))
		(void)unlinkat(md->parent, name, 0);
	free(name);
	close(md->lock);
	md->lock = -1;
}
