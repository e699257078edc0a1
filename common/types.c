// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * types.c - the namespace-type table, the only one: name (also the
 * /proc/PID/ns file), CLONE_NEW* flag, util-linux option letter and long
 * option, and the lookups, getopt entries and nsfs link names built on it.
 */
#include <errno.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "nscommon-internal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const struct ns_type ns_types[NS_NTYPES] = {
	[NS_MNT] = { "mnt", CLONE_NEWNS, 'm', "mount", NULL },
	[NS_UTS] = { "uts", CLONE_NEWUTS, 'u', "uts", NULL },
	[NS_IPC] = { "ipc", CLONE_NEWIPC, 'i', "ipc", NULL },
	[NS_NET] = { "net", CLONE_NEWNET, 'n', "net", NULL },
	[NS_PID] = { "pid", CLONE_NEWPID, 'p', "pid", "pid_for_children" },
	[NS_USER] = { "user", CLONE_NEWUSER, 'U', "user", NULL },
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP, 'C', "cgroup", NULL },
	[NS_TIME] = { "time", CLONE_NEWTIME, 'T', "time", "time_for_children" },
};

const struct ns_type *
ns_type_by_name(const char *name)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (strcmp(ns_types[i].name, name) == 0 ||
		    strcmp(ns_types[i].long_opt, name) == 0)
			return &ns_types[i];
	return NULL;
}

const struct ns_type *
ns_type_by_flag(int flag)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (ns_types[i].flag == flag)
			return &ns_types[i];
	return NULL;
}

const struct ns_type *
ns_type_by_opt(int opt)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (ns_types[i].opt == opt)
			return &ns_types[i];
	return NULL;
}

size_t
ns_type_index(const struct ns_type *t)
{
	return (size_t)(t - ns_types);
}

void
ns_type_getopt(struct option longopts[NS_NTYPES],
	       char shortopts[NS_TYPE_SHORTOPTS_SIZE])
{
	char *p = shortopts;

	for (size_t i = 0; i < NS_NTYPES; i++) {
		longopts[i] = (struct option){ ns_types[i].long_opt,
					       optional_argument, NULL,
					       ns_types[i].opt };
		*p++ = ns_types[i].opt;
		*p++ = ':';
		*p++ = ':';
	}
	*p = '\0';
}

const struct ns_type *
ns_type_of_fd(int fd)
{
	int flag = ioctl(fd, NS_GET_NSTYPE);

	if (flag < 0)
		return NULL;
	return ns_type_by_flag(flag);
}

int
ns_split_ns_link(const char *s, char name[NS_TYPE_NAME_MAX], ino_t *ino)
{
	const char *br = strchr(s, ':'), *num;
	unsigned long long v;
	char *end;

	/* The kernel writes "TYPE:[INO]": TYPE in [a-z0-9_], INO decimal, not
	 * 0, no sign, space or leading zero */
	if (br == NULL || br == s || (size_t)(br - s) >= NS_TYPE_NAME_MAX ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
		    (size_t)(br - s) ||
	    br[1] != '[' || br[2] < '1' || br[2] > '9') {
		errno = EINVAL;
		return -1;
	}
	num = br + 2;
	errno = 0;
	v = strtoull(num, &end, 10);
	if (errno != 0 || end[0] != ']' || end[1] != '\0') {
		errno = EINVAL;
		return -1;
	}
	memcpy(name, s, (size_t)(br - s));
	name[br - s] = '\0';
	*ino = (ino_t)v;
	return 0;
}

int
ns_parse_ns_link(const char *s, const struct ns_type **type, ino_t *ino)
{
	char name[NS_TYPE_NAME_MAX];
	ino_t v;

	if (ns_split_ns_link(s, name, &v) != 0)
		return -1;
	*type = ns_type_by_name(name);
	if (*type == NULL) {
		errno = ENOENT;
		return -1;
	}
	*ino = v;
	return 0;
}
