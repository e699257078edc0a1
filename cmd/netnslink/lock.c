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

/*
 * The first set-up of DIR (look whether it is a mount, bind it onto itself)
 * is one step for concurrent runs: serialized by flock(2) on DIR.lock, a
 * file beside DIR that only the caller (root, for /run/netns.lock) can
 * open.  Not a lock on DIR itself: /run/netns is 0755, and any user who can
 * open it could hold such a lock.  The wait is bounded: the lock is held
 * for milliseconds, so one held longer is a failure to report.  The holder
 * unlinks it before releasing it (release_setup_lock), so none stays.
 * QUIET (the undo at exit): one try, and -1 instead of exiting.
 */
int
take_setup_lock(const char *dir, bool quiet)
{
	struct timespec pause = { 0, 20000000L }; /* 20 ms */
	struct stat st, now;
	char *path;
	int fd = -1;

	if (asprintf(&path, "%s.lock", dir) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	for (int i = 0;; i++) {
		if (fd < 0)
			fd = open(path,
				  O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
					  O_CLOEXEC,
				  0600);
		if (fd < 0) {
			if (quiet)
				goto fail;
			err(NS_EXIT_FAIL, "cannot open the lock %s", path);
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
			if (quiet)
				goto fail;
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: not a mode 0600 file of the "
			     "caller",
			     path);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* Unlinked by a run that took its directory back? */
			if (stat(path, &now) == 0 && now.st_dev == st.st_dev &&
			    now.st_ino == st.st_ino)
				break;
			close(fd);
			fd = -1;
			continue;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			if (quiet)
				goto fail;
			err(NS_EXIT_FAIL, "cannot lock %s", path);
		}
		/* QUIET: someone is setting up, and relies on it all */
		if (quiet)
			goto fail;
		if (i >= SETUP_LOCK_SECONDS * 50) {
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: held by another run for %d "
			     "seconds",
			     path, SETUP_LOCK_SECONDS);
		}
		(void)nanosleep(&pause, NULL);
	}
	free(path);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

/*
 * Unlinked before it is released, so that no lock file stays: a run
 * waiting on it finds it unlinked once it has it, and starts over.
 */
void
release_setup_lock(struct made_dirs *md)
{
	char *path;

	if (md->lock < 0 || md->canon == NULL)
		return;
	if (asprintf(&path, "%s.lock", md->canon) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	(void)unlink(path);
	free(path);
	close(md->lock);
	md->lock = -1;
}
