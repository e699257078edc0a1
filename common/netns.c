// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netns.c - network namespace names: lo brought up in a new namespace,
 * and a name under /run/netns opened only while it still is what it says
 * (a symbolic link to /proc/PID/ns/net checked against the process it was
 * made for).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "nscommon.h"

int
ns_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s, rc = -1, saved;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	saved = errno;
	close(s);
	errno = saved;
	return rc;
}

/* The PID of a link to "/proc/PID/ns/net", or 0 for any other target. */
pid_t
ns_netns_link_pid(const char *target)
{
	const char *p;
	pid_t pid = 0;
	char *num;

	if (strncmp(target, "/proc/", 6) != 0)
		return 0;
	p = target + 6;
	if (*p < '1' || *p > '9')
		return 0;
	num = strndup(p, strspn(p, "0123456789"));
	if (num == NULL)
		return 0;
	if (strcmp(p + strlen(num), "/ns/net") != 0 ||
	    ns_parse_pid(num, &pid) != 0)
		pid = 0;
	free(num);
	return pid;
}

/* When the process of the /proc/PID directory fd started, in ns of
 * CLOCK_BOOTTIME (the clock of stat's starttime, in clock ticks).  Read as
 * procfs's own file: one mounted over it could say anything (EXDEV). */
static int
proc_start_ns(int procfd, int64_t *out)
{
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (ns_proc_stat_start(procfd, NULL, 0, &ticks) != 0)
		return -1;
	*out = (int64_t)(ticks * (1000000000ULL / (unsigned long long)hz));
	return 0;
}

/* When NAME below DIRFD was made (its birth, or its change time where the
 * filesystem keeps no birth time), in ns of CLOCK_BOOTTIME. */
static int
link_made_ns(int dirfd, const char *name, int64_t *out)
{
	struct timespec real, boot;
	struct statx stx;
	struct statx_timestamp *t;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_BTIME | STATX_CTIME,
		  &stx) != 0 ||
	    clock_gettime(CLOCK_REALTIME, &real) != 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &boot) != 0)
		return -1;
	t = (stx.stx_mask & STATX_BTIME) ? &stx.stx_btime : &stx.stx_ctime;
	*out = (int64_t)t->tv_sec * 1000000000 + t->tv_nsec -
	       ((int64_t)real.tv_sec - boot.tv_sec) * 1000000000 -
	       (real.tv_nsec - boot.tv_nsec);
	return 0;
}

/* Links from one name to another of the same directory ("alias" ->
 * "web") followed, at most, to the link that names a PID. */
#define NS_LINK_HOPS 8

static int
link_open(int dirfd, const char *name, int *state, pid_t *pid, int hops)
{
	char target[64];
	struct ns_proc p;
	int64_t made, started;
	ssize_t n;
	int fd, saved;

	*state = NS_LINK_NONE;
	*pid = 0;
	n = readlinkat(dirfd, name, target, sizeof(target));
	if (n < 0) {
		if (errno != EINVAL)
			return -1;
		errno = 0; /* not a link */
		return -1;
	}
	/* A longer target is no "/proc/PID/ns/net": it is checked when
	 * opened (ns_netns_open_at) */
	if ((size_t)n == sizeof(target)) {
		errno = 0;
		return -1;
	}
	target[n] = '\0';
	if (hops > 0 && ns_netns_name_valid(target, NULL))
		return link_open(dirfd, target, state, pid, hops - 1);
	*pid = ns_netns_link_pid(target);
	if (*pid == 0) {
		errno = 0;
		return -1;
	}
	if (link_made_ns(dirfd, name, &made) != 0)
		return -1;
	if (ns_proc_open(*pid, &p) != 0) {
		if (errno == ESRCH)
			*state = NS_LINK_DANGLING;
		else if (errno == EXDEV)
			*state = NS_LINK_UNCHECKED;
		return -1;
	}
	/*
	 * A process that started after the link was made is not the one it
	 * was made for: that one exited and its PID was handed out again.
	 * The start is read first and the pidfd checked afterwards, so the
	 * start belongs to the process the pidfd holds.  A start that cannot
	 * be read (a file mounted over /proc/PID/stat) cannot be compared.
	 */
	if (proc_start_ns(p.procfd, &started) != 0) {
		saved = errno;
		*state = ns_proc_check_alive(&p) != 0 ? NS_LINK_DANGLING
						      : NS_LINK_UNCHECKED;
		ns_proc_close(&p);
		errno = *state == NS_LINK_DANGLING ? ESRCH : saved;
		return -1;
	}
	if (started > made) {
		ns_proc_close(&p);
		*state = NS_LINK_RECYCLED;
		errno = ESTALE;
		return -1;
	}
	fd = ns_proc_open_ns(&p, "net");
	saved = errno;
	ns_proc_close(&p);
	if (fd < 0) {
		if (saved == ESRCH)
			*state = NS_LINK_DANGLING;
		else if (saved == EXDEV)
			*state = NS_LINK_UNCHECKED;
		errno = saved;
		return -1;
	}
	*state = NS_LINK_LIVE;
	return fd;
}

/*
 * If NAME below DIRFD is a link to /proc/PID/ns/net (see nscommon.h), open the namespace through a pidfd
 * of PID checked as above: the fd with *STATE NS_LINK_LIVE, or -1 with
 * *STATE NS_LINK_DANGLING (errno ESRCH), NS_LINK_RECYCLED (ESTALE) or
 * NS_LINK_UNCHECKED (/proc/PID or its stat covered by a mount).  Anything
 * else is NS_LINK_NONE, -1 with errno 0 (not such a link) or the error.
 * *PID gets the link's PID (0 for none).
 */
static int
netns_link_open(int dirfd, const char *name, int *state, pid_t *pid)
{
	return link_open(dirfd, name, state, pid, NS_LINK_HOPS);
}

/*
 * Is the O_PATH fd a namespace file reached other than as the root of a
 * mount (a bind mount holds a namespace as the root of its own mount)?
 * Then it was reached through a /proc/PID/ns or /proc/PID/fd magic link:
 * a PID, not a mount, stands behind it.  Unknown (before Linux 5.8) is no.
 */
static bool
nsfs_not_mount_root(int fd)
{
	struct statx stx;

	return statx(fd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int
ns_netns_open_at(int dirfd, const char *name, int *state, pid_t *pid)
{
	struct statfs sfs;
	int fd, real, saved;

	fd = netns_link_open(dirfd, name, state, pid);
	if (*state != NS_LINK_NONE || *pid != 0 || errno != 0)
		return fd;
	/* Followed, but only O_PATH until it is known to be nsfs */
	fd = openat(dirfd, name, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) != 0) {
		real = -1;
		saved = errno;
	} else if (sfs.f_type != NSFS_MAGIC) {
		real = -1;
		saved = ENOTNAM;
	} else if (nsfs_not_mount_root(fd)) {
		*state = NS_LINK_UNCHECKED;
		real = -1;
		saved = EXDEV;
	} else {
		real = ns_reopen_fd(fd, O_RDONLY);
		saved = errno;
	}
	close(fd);
	errno = saved;
	return real;
}
