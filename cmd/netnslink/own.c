// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink: not root: the caller's own names (common/userns_names.c).

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netnslink.h"

static int
own_pids(const struct netnslink_opts *o)
{
	struct proc_net *procs;
	struct entry *ents;
	size_t n, nprocs, i;

	ents = own_entries(&n);
	for (i = 0; i < n && strcmp(ents[i].name, o->name) != 0; i++)
		;
	if (i == n)
		errx(NS_EXIT_FAIL,
		     "no network namespace of yours is named '%s'", o->name);
	if (!ents[i].has_ns)
		errx(NS_EXIT_FAIL, "'%s' is stale: its holder is gone",
		     o->name);
	procs = scan_procs(&nprocs);
	for (size_t k = 0; k < nprocs; k++)
		if (procs[k].dev == ents[i].dev && procs[k].ino == ents[i].ino)
			printf("%d\n", (int)procs[k].pid);
	free(procs);
	free_entries(ents, n);
	return NS_EXIT_OK;
}

/*
 * A bind mount under /run/netns needs root: for anyone else a holder
 * process keeps the namespace, and the name is a record of it under
 * $XDG_RUNTIME_DIR/netns.  The listing modes read those (dir NULL).
 */
int
own_names(struct netnslink_opts *o)
{
	struct ns_unames_dir d;
	struct ns_proc p;
	int rc = NS_EXIT_OK;

	o->dir = NULL;
	if (o->mode == MODE_PIDS)
		return own_pids(o);
	if (o->mode != MODE_NEW && o->mode != MODE_LINK &&
	    o->mode != MODE_DELETE)
		return o->mode == MODE_IDENTIFY ? identify(o) : list_names(o);
	if (o->symlink)
		ns_usage_error(
			NS_EXIT_USAGE,
			"--symlink needs root: a name of yours is kept by a holder process");
	if (ns_unames_open_dir(&d, o->mode != MODE_DELETE, false) != 0) {
		for (size_t i = 0; errno == ENOENT && i < o->nnames; i++)
			warnx("cannot remove %s/%s: %s", d.path, o->names[i],
			      strerror(ENOENT));
		ns_unames_close_dir(&d);
		return NS_EXIT_FAIL;
	}
	if (o->mode == MODE_DELETE) {
		for (size_t i = 0; i < o->nnames; i++)
			if (ns_unames_remove(&d, o->names[i]) != 0)
				rc = NS_EXIT_FAIL;
	} else if (o->mode == MODE_LINK) {
		if (ns_proc_open_or_warn(-1, o->pid, &p) != 0)
			exit(NS_EXIT_FAIL);
		if (ns_unames_create(&d, o->name, &p, false, o->force) != 0)
			rc = NS_EXIT_FAIL;
		ns_proc_close(&p);
	} else if (ns_unames_create(&d, o->name, NULL, o->loopback, o->force) !=
		   0) {
		rc = NS_EXIT_FAIL;
	}
	ns_unames_close_dir(&d);
	return rc;
}
