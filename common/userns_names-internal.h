/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * userns_names-internal.h - what the two halves of a user's own network
 * namespace names share: the record (userns_names.c reads and checks it,
 * userns_holder.c writes it) and the checks of a holder process.
 * Programs use nscommon.h only.
 */
#ifndef USERNS_NAMES_INTERNAL_H
#define USERNS_NAMES_INTERNAL_H

#include <sys/stat.h>

#include "nscommon.h"

#define RECORD_MAGIC NS_UNAMES_HOLDER " 1"
#define RECORD_MAX 512

/* What a record says about its holder. */
struct ns_unames_record {
	pid_t pid;
	unsigned long long start; /* /proc/PID/stat field 22 */
	ino_t userns;
	ino_t netns;
};

/*
 * Read the record NAME: a regular file of the caller's, opened without
 * following a link.  0, or -1 with errno (EINVAL: not a record).
 */
int ns_unames_read_record(int dirfd, const char *name,
			  struct ns_unames_record *r);
/* Inode of the namespace NAME of P, and its device; the fd is closed
 * unless FDP takes it. */
int ns_unames_proc_ns(const struct ns_proc *p, const char *name,
		      struct stat *st, int *fdp);
/*
 * Open the process R names and check it is still that holder: the same
 * start time, comm, user namespace (created by our euid) and network
 * namespace, and alive after all of it was read.  0 with P open and *NET
 * the network namespace's stat, or -1 (stale).
 */
int ns_unames_open_verified(const struct ns_unames_record *r, struct ns_proc *p,
			    struct stat *net);

#endif /* USERNS_NAMES_INTERNAL_H */
