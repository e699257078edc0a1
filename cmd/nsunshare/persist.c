// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: keep the new namespaces by binding them onto files. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsunshare.h"

#ifndef NS_GET_MNTNS_ID /* Linux 6.10 */
#define NS_GET_MNTNS_ID _IOR(NSIO, 0x5, uint64_t)
#endif

/*
 * The file of each persisted namespace is reached through the directory
 * fd opened when the file was made, and its mount through an fd of the
 * mount's root: a directory on the path that another user controls can
 * be renamed or swapped for a link afterwards, and a path looked up again
 * would then lead elsewhere.
 */
void
undo_persist(struct persisted *done, size_t n)
{
	struct stat now;

	for (size_t i = 0; i < n; i++) {
		struct persisted *p = &done[i];

		if (p->mntfd >= 0)
			(void)ns_umount_fd(p->mntfd, MNT_DETACH);
		/* only the file made here, if the name still is that file */
		if (p->made && p->dirfd >= 0 &&
		    fstatat(p->dirfd, p->base, &now, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    now.st_dev == p->dev && now.st_ino == p->ino)
			(void)unlinkat(p->dirfd, p->base, 0);
		persisted_close(p);
	}
}

void
persisted_close(struct persisted *p)
{
	if (p->mntfd >= 0)
		close(p->mntfd);
	if (p->dirfd >= 0)
		close(p->dirfd);
	p->mntfd = p->dirfd = -1;
	p->made = false;
}

/* NS_GET_MNTNS_ID of the mount namespace file FD; 0 if unknown. */
static uint64_t
mntns_id(int fd)
{
	uint64_t id = 0;

	if (fd < 0 || ioctl(fd, NS_GET_MNTNS_ID, &id) != 0)
		id = 0;
	return id;
}

/* NS_GET_MNTNS_ID of our own mount namespace, through a checked /proc. */
static uint64_t
own_mntns_id(void)
{
	struct ns_proc self;
	uint64_t id;
	int fd;

	if (ns_proc_open(getpid(), &self) != 0)
		return 0;
	fd = ns_proc_open_ns(&self, "mnt");
	id = mntns_id(fd);
	if (fd >= 0)
		close(fd);
	ns_proc_close(&self);
	return id;
}

/* The peer group of the mount the directory DIRFD is on, 0 if it is not
 * shared; our mountinfo read through a checked /proc, never blocking. */
static unsigned
peer_group(int dirfd)
{
	struct ns_mountinfo m;
	struct statx stx;
	unsigned group = 0;
	char *line = NULL;
	size_t size = 0;
	FILE *f;
	int fd;

	if (statx(dirfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) != 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	fd = ns_proc_self_open("mountinfo");
	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		return 0;
	}
	while (getline(&line, &size, f) > 0)
		if (ns_mountinfo_parse(line, &m) == 0 && m.id == stx.stx_mnt_id)
			group = m.shared;
	free(line);
	fclose(f);
	return group;
}

/*
 * Why the kernel refused to bind the namespace file SRCFD on FILE (in the
 * directory DIRFD), as far as we checked (BUF, or "" where nothing we
 * checked explains it).  The new mount API says ELOOP where mount(2) said
 * EINVAL.
 */
static void
persist_hint(const struct ns_type *t, int srcfd, int dirfd, const char *file,
	     int errnum, char *buf, size_t size)
{
	uint64_t own, new;
	unsigned group;

	*buf = '\0';
	if (errnum == EPERM) {
		snprintf(
			buf, size,
			"a bind mount of a namespace file needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace of %s (root, for /run/netns); without it, keep the namespace alive with a process in it (e.g. netnslink --new NAME)",
			file);
		return;
	}
	if ((errnum != EINVAL && errnum != ELOOP) || t->flag != CLONE_NEWNS)
		return;
	/* The kernel's loop check compares ids, which it hands out in
	 * batches per CPU: a new namespace may get a lower one. */
	own = own_mntns_id();
	new = mntns_id(srcfd);
	if (own != 0 && new != 0 && own >= new) {
		snprintf(
			buf, size,
			"the kernel binds a mount namespace file only in a mount namespace of a lower id; the new one got %llu, the one %s is in has %llu (the kernel gives out ids per CPU: another run may get a higher one)",
			(unsigned long long)new, file, (unsigned long long)own);
		return;
	}
	group = peer_group(dirfd);
	if (group != 0)
		snprintf(
			buf, size,
			"%s is on a shared mount (peer group %u), and the kernel does not propagate a mount namespace file to peers: make that mount private (mount --make-private), or bind its directory on itself first (mount --bind DIR DIR)",
			file, group);
}

/*
 * Make FILE's name in P->dirfd: O_CREAT|O_EXCL, so that P->made says
 * whether this call made it (an existing file, another user's, is used
 * and never removed).  0 or -1 with errno.
 */
static int
make_file(struct persisted *p)
{
	struct stat st;
	int fd;

	fd = openat(p->dirfd, p->base,
		    O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC,
		    0444);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	if (fstat(fd, &st) != 0) {
		int saved = errno;

		close(fd);
		(void)unlinkat(p->dirfd, p->base, 0);
		errno = saved;
		return -1;
	}
	close(fd);
	p->made = true;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	return 0;
}

/* An fd of the mount just made on the name: the namespace SRCFD is. */
static int
hold_mount(struct persisted *p, int srcfd)
{
	struct stat want, got;

	p->mntfd = openat(p->dirfd, p->base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (p->mntfd < 0)
		return -1;
	if (fstat(srcfd, &want) != 0 || fstat(p->mntfd, &got) != 0)
		return -1;
	if (want.st_dev != got.st_dev || want.st_ino != got.st_ino) {
		close(p->mntfd);
		p->mntfd = -1;
		errno = ESTALE;
		return -1;
	}
	return 0;
}

/* Bind namespace I of the process TARGET onto its FILE.  0, or -1 with a
 * message and nothing of this call left. */
static int
persist_one(const struct nsunshare_opts *o, const struct ns_proc *target,
	    size_t i, struct persisted *p)
{
	const struct ns_type *t = &ns_types[i];
	const char *file = o->persist[i], *why = NULL;
	char name[32], hint[400];
	int srcfd, saved = 0;

	/* pid and time: the ones the process's children enter */
	snprintf(name, sizeof(name), "%s",
		 t->for_children ? t->for_children : t->name);
	srcfd = ns_proc_open_ns(target, name);
	if (srcfd < 0) {
		warn("--%s=%s: cannot persist the %s namespace: cannot open it",
		     t->long_opt, file, t->name);
		return -1;
	}
	p->dirfd = ns_open_parent(file, &p->base);
	if (p->dirfd < 0 || make_file(p) != 0 ||
	    ns_bind_nsfile_at(srcfd, p->dirfd, p->base, false, &why) != 0) {
		saved = errno;
		if (p->dirfd >= 0)
			persist_hint(t, srcfd, p->dirfd, file, saved, hint,
				     sizeof(hint));
		else
			*hint = '\0';
		if (*hint)
			why = hint;
	} else if (hold_mount(p, srcfd) != 0) {
		saved = errno;
		why = "the file was replaced as it was bound";
		/* the mount we made is where we cannot find it: keep the fd
		 * of nothing, and remove only the file if it still is ours */
	}
	close(srcfd);
	if (saved == 0)
		return 0;
	/* Named as the long option, however it was typed (-nFILE). */
	warnx("--%s=%s: cannot persist the %s namespace: %s%s%s", t->long_opt,
	      file, t->name, strerror(saved), why ? ": " : "", why ? why : "");
	undo_persist(p, 1);
	return -1;
}

/* DONE[i] gets what persisting namespace i made, for undo_persist. */
int
persist_namespaces(const struct nsunshare_opts *o, const struct ns_proc *target,
		   struct persisted done[NS_NTYPES])
{
	for (size_t i = 0; i < NS_NTYPES; i++) {
		done[i] = (struct persisted){ .dirfd = -1, .mntfd = -1 };
		if (o->persist[i] == NULL)
			continue;
		if (persist_one(o, target, i, &done[i]) != 0) {
			undo_persist(done, i);
			return -1;
		}
	}
	return 0;
}
