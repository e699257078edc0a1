// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: make names: PID NAME and --new NAME.

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netnslink.h"

/* ---- making names -------------------------------------------------------- */

static void
bind_nsfile(int srcfd, const struct names_dir *nd, const char *name)
{
	const char *why;

	if (ns_bind_nsfile_at(srcfd, nd->fd, name, true, &why) != 0)
		cannot_name(nd, name, "bind-mount the network namespace onto");
}

/*
 * --symlink: a link to /proc/PID/ns/net.  The link names a PID, not a
 * process: had the process exited by now, the link would name whoever
 * gets the PID next, so it is taken back, if the name is still the link
 * made here (in a directory others may write, it can be replaced).
 */
static void
make_symlink(const struct netnslink_opts *o, const struct names_dir *nd,
	     struct ns_proc *p)
{
	struct stat st;
	char src[64];
	bool made;

	snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)o->pid);
	if (symlinkat(src, nd->fd, o->name) != 0)
		cannot_name(nd, o->name, "create the link");
	made = fstatat(nd->fd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISLNK(st.st_mode);
	if (ns_proc_check_alive(p) == 0)
		return;
	if (!made || !same_inode_at(nd->fd, o->name, st.st_dev, st.st_ino))
		warnx("cannot remove %s/%s: replaced by another file", nd->path,
		      o->name);
	else if (unlinkat(nd->fd, o->name, 0) != 0)
		warn("cannot remove %s/%s", nd->path, o->name);
	errx(NS_EXIT_FAIL, "PID %d exited", (int)o->pid);
}

int
link_pid(const struct netnslink_opts *o)
{
	struct names_dir nd;
	struct ns_proc p;
	int fd = -1;

	if (ns_proc_open_or_warn(-1, o->pid, &p) != 0)
		exit(NS_EXIT_FAIL);
	if (!o->symlink) {
		fd = ns_proc_open_ns(&p, "net");
		if (fd < 0)
			err(NS_EXIT_FAIL,
			    "cannot open the network namespace of PID %d",
			    (int)o->pid);
	}
	prepare_dir(o->dir, !o->symlink, &nd);
	if (o->force)
		replace_existing(&nd, o->name);
	if (o->symlink) {
		make_symlink(o, &nd, &p);
	} else {
		bind_nsfile(fd, &nd, o->name);
		close(fd);
	}
	ns_proc_close(&p);
	close_dir(&nd);
	return NS_EXIT_OK;
}

/* The network namespace this thread is in now, from a socket of it
 * (SIOCGSKNS), not through /proc. */
static int
new_netns_fd(void)
{
	int s, fd;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fd = s < 0 ? -1 : ioctl(s, SIOCGSKNS);
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open the new network namespace");
	close(s);
	return fd;
}

int
new_netns(const struct netnslink_opts *o)
{
	struct names_dir nd;
	int fd;

	prepare_dir(o->dir, true, &nd);
	if (o->force)
		replace_existing(&nd, o->name);
	/* Only this thread moves; the mount goes into our mount namespace. */
	if (unshare(CLONE_NEWNET) != 0)
		err(NS_EXIT_FAIL, "cannot create a network namespace");
	if (o->loopback)
		if (ns_loopback_up() != 0)
			err(NS_EXIT_FAIL, "cannot bring lo up");
	fd = new_netns_fd();
	bind_nsfile(fd, &nd, o->name);
	close(fd);
	close_dir(&nd);
	return NS_EXIT_OK;
}
