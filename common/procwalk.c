// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procwalk.c - the processes /proc lists, and "is this my own namespace?",
 * both through the checked /proc of proc.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nscommon.h"

/* FN for each entry of the getdents64 records BUF[0..LEN) named by a PID. */
static void
each_pid(const char *buf, long len, void (*fn)(pid_t, void *), void *arg)
{
	for (long off = 0; off < len;) {
		const struct dirent64 *d = (const void *)(buf + off);
		pid_t pid;

		off += d->d_reclen;
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9' &&
		    ns_parse_pid(d->d_name, &pid) == 0)
			fn(pid, arg);
	}
}

int
ns_proc_for_each_pid(int root, void (*fn)(pid_t pid, void *arg), void *arg)
{
	/* Large reads: a busy /proc takes few getdents64 calls. */
	const size_t size = 1 << 16;
	char *buf = malloc(size);
	long n;
	int saved;

	if (buf == NULL)
		return -1;
	while ((n = syscall(SYS_getdents64, root, buf, size)) > 0)
		each_pid(buf, n, fn, arg);
	saved = errno;
	free(buf);
	errno = saved;
	return n < 0 ? -1 : 0;
}

int
ns_own_ns_stat(const struct ns_type *t, const struct ns_proc *self,
	       struct stat *st)
{
	struct ns_proc mine = { .pidfd = -1, .procfd = -1 };
	int fd, r, saved;

	if (self == NULL && ns_proc_open(getpid(), &mine) != 0)
		return -1;
	fd = ns_proc_open_ns(self != NULL ? self : &mine, t->name);
	saved = errno;
	ns_proc_close(&mine);
	errno = saved;
	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

bool
ns_is_own_ns(int fd, const struct ns_type *t, const struct ns_proc *self)
{
	struct stat own, st;

	return ns_own_ns_stat(t, self, &own) == 0 && fstat(fd, &st) == 0 &&
	       own.st_dev == st.st_dev && own.st_ino == st.st_ino;
}
