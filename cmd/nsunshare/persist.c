// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: keep the new namespaces by binding them onto files. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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

void
undo_persist(const struct nsunshare_opts *o, size_t upto, const bool *made)
{
	for (size_t i = 0; i < upto; i++) {
		if (o->persist[i] == NULL)
			continue;
		/* never through a link swapped in since (a user-writable dir) */
		umount2(o->persist[i], MNT_DETACH | UMOUNT_NOFOLLOW);
		if (made[i])
			unlink(o->persist[i]);
	}
}

/* NS_GET_MNTNS_ID of the mount namespace file PATH; 0 if unknown. */
static uint64_t
mntns_id(const char *path)
{
	uint64_t id = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (ioctl(fd, NS_GET_MNTNS_ID, &id) != 0)
		id = 0;
	close(fd);
	return id;
}

/* The peer group of the mount DIR is on, 0 if it is not shared. */
static unsigned
peer_group(const char *dir)
{
	struct ns_mountinfo m;
	struct statx stx;
	unsigned group = 0;
	char *line = NULL;
	size_t size = 0;
	FILE *f;

	if (statx(AT_FDCWD, dir, 0, STATX_MNT_ID, &stx) != 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return 0;
	while (getline(&line, &size, f) > 0)
		if (ns_mountinfo_parse(line, &m) == 0 && m.id == stx.stx_mnt_id)
			group = m.shared;
	free(line);
	fclose(f);
	return group;
}

/*
 * Why the kernel refused to bind the namespace file SRC on FILE, as far as
 * we checked (BUF, or "" where nothing we checked explains it).
 */
static void
persist_hint(const struct ns_type *t, const char *src, const char *file,
	     int errnum, char *buf, size_t size)
{
	char *copy;
	uint64_t own, new;
	unsigned group;

	*buf = '\0';
	if (errnum == EPERM) {
		snprintf(buf, size,
			 "a bind mount of a namespace file needs CAP_SYS_ADMIN "
			 "in the user namespace that owns the mount namespace "
			 "of %s (root, for /run/netns); without it, keep the "
			 "namespace alive with a process in it (e.g. netnslink "
			 "--new NAME)",
			 file);
		return;
	}
	if (errnum != EINVAL || t->flag != CLONE_NEWNS)
		return;
	/* The kernel's loop check compares ids, which it hands out in
	 * batches per CPU: a new namespace may get a lower one. */
	own = mntns_id("/proc/self/ns/mnt");
	new = mntns_id(src);
	if (own != 0 && new != 0 && own >= new) {
		snprintf(buf, size,
			 "the kernel binds a mount namespace file only in a "
			 "mount namespace of a lower id; the new one got %llu, "
			 "the one %s is in has %llu (the kernel gives out ids "
			 "per CPU: another run may get a higher one)",
			 (unsigned long long)new, file,
			 (unsigned long long)own);
		return;
	}
	copy = strdup(file);
	if (copy == NULL)
		return;
	group = peer_group(dirname(copy));
	free(copy);
	if (group != 0)
		snprintf(buf, size,
			 "%s is on a shared mount (peer group %u), and the "
			 "kernel does not propagate a mount namespace file to "
			 "peers: make that mount private (mount "
			 "--make-private), or bind its directory on itself "
			 "first (mount --bind DIR DIR)",
			 file, group);
}

/* MADE[i] says whether persist[i] was created here, for undo_persist. */
int
persist_namespaces(const struct nsunshare_opts *o, pid_t target, bool *made)
{
	char src[64], hint[400];
	const char *why;
	int saved;

	for (size_t i = 0; i < NS_NTYPES; i++) {
		const struct ns_type *t = &ns_types[i];
		bool children =
			t->flag == CLONE_NEWPID || t->flag == CLONE_NEWTIME;
		struct stat st;

		if (o->persist[i] == NULL)
			continue;
		made[i] = lstat(o->persist[i], &st) != 0;
		snprintf(src, sizeof(src), "/proc/%d/ns/%s%s", (int)target,
			 t->name, children ? "_for_children" : "");
		if (ns_bind_nsfile(src, o->persist[i], false, &why) == 0)
			continue;
		saved = errno;
		/* What we checked ourselves, where we know more. */
		persist_hint(t, src, o->persist[i], saved, hint, sizeof(hint));
		if (*hint)
			why = hint;
		/* Named as the long option, however it was typed (-nFILE). */
		warnx("--%s=%s: cannot persist the %s namespace: %s%s%s",
		      t->long_opt, o->persist[i], t->name, strerror(saved),
		      why ? ": " : "", why ? why : "");
		made[i] = false;
		undo_persist(o, i, made);
		return -1;
	}
	return 0;
}
