// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: the uid and gid maps of the new user namespace. */
#include <err.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsunshare.h"

/* True when the map is one id of our own: we may write that ourselves. */
bool
map_is_own_single(const struct nsunshare_idmap *m)
{
	return m->single && !m->all && !m->subids_auto && !m->subids_identity &&
	       m->ranges.n == 0;
}

static bool
map_is_empty(const struct nsunshare_idmap *m)
{
	return !m->single && !m->all && !m->subids_auto &&
	       !m->subids_identity && m->ranges.n == 0;
}

static void
add_range_or_die(struct ns_idmap *map, const char *what, uint32_t in,
		 uint32_t out, uint32_t count)
{
	const char *why = NULL;

	if (ns_idmap_add(map, in, out, count, &why) != 0)
		errx(NS_EXIT_OWN_FAILURE, "cannot map %s %u-%u: %s", what, in,
		     in + count - 1, why ? why : "invalid range");
}

/*
 * As util-linux: the auto block covers the inside ids 0 .. COUNT-1 of the
 * first subordinate range, less the one id mapped on its own (-r, -c,
 * --map-user), which the block's outside ids skip; so -r --map-auto gives
 * 65536 ids inside from a range of 65536, as unshare(1) does.
 */
static void
add_auto_block(struct ns_idmap *out, const char *what,
	       const struct nsunshare_idmap *m, const struct ns_idrange *sub)
{
	uint32_t hole = m->inside;

	if (!m->single || hole >= sub->count) {
		add_range_or_die(out, what, 0, sub->outside, sub->count);
		return;
	}
	if (hole > 0)
		add_range_or_die(out, what, 0, sub->outside, hole);
	if (hole < sub->count - 1)
		add_range_or_die(out, what, hole + 1, sub->outside + hole,
				 sub->count - 1 - hole);
}

/* Our ranges in /etc/subuid or /etc/subgid (both keyed by user). */
static void
add_subids(const struct nsunshare_idmap *m, bool uid, const struct caller *me,
	   struct ns_idmap *out)
{
	const char *path = uid ? "/etc/subuid" : "/etc/subgid";
	const char *what = uid ? "users" : "groups";
	struct ns_idrange sub[NS_IDMAP_MAX];
	struct passwd *pw = getpwuid(me->uid);
	const char *opt = m->subids_auto ? m->auto_opt : m->identity_opt;
	int n;

	n = ns_subid_ranges(path, pw ? pw->pw_name : "", me->uid, sub,
			    NS_IDMAP_MAX);
	if (n < 0)
		err(NS_EXIT_OWN_FAILURE, "%s: cannot read %s", opt, path);
	if (n == 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "%s: no subordinate %s for %s%suid %u%s in %s", opt,
		     uid ? "uids" : "gids", pw ? pw->pw_name : "",
		     pw ? " (" : "", (unsigned)me->uid, pw ? ")" : "", path);
	if (m->subids_auto) {
		add_auto_block(out, what, m, &sub[0]);
		return;
	}
	for (int i = 0; i < n; i++)
		add_range_or_die(out, what, sub[i].outside, sub[i].outside,
				 sub[i].count);
}

/* The full map, computed in the parent namespace before unshare(2). */
static void
build_map(const struct nsunshare_idmap *m, bool uid, const struct caller *me,
	  struct ns_idmap *out)
{
	const char *what = uid ? "users" : "groups";
	uint32_t own = uid ? me->uid : me->gid;

	memset(out, 0, sizeof(*out));
	if (m->single)
		add_range_or_die(out, what, m->inside, own, 1);
	for (size_t i = 0; i < m->ranges.n; i++)
		add_range_or_die(out, what, m->ranges.r[i].inside,
				 m->ranges.r[i].outside, m->ranges.r[i].count);
	if (m->all) {
		struct ns_idmap cur;
		struct ns_proc self;

		if (ns_proc_open_or_warn(-1, getpid(), &self) != 0)
			exit(NS_EXIT_OWN_FAILURE);
		if (ns_idmap_read(self.procfd, uid ? "uid_map" : "gid_map",
				  &cur) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot read our own %s map",
			    uid ? "uid" : "gid");
		ns_proc_close(&self);
		for (size_t i = 0; i < cur.n; i++)
			add_range_or_die(out, what, cur.r[i].inside,
					 cur.r[i].inside, cur.r[i].count);
	}
	if (m->subids_auto || m->subids_identity)
		add_subids(m, uid, me, out);
}

/* Run newuidmap/newgidmap PID IN OUT COUNT...: the setuid helpers check the
 * ranges against /etc/subuid and /etc/subgid for us. */
int
run_newidmap(const char *prog, pid_t pid, const struct ns_idmap *map)
{
	char **argv = calloc(2 + 3 * map->n + 1, sizeof(*argv));
	int status, rc = -1;
	size_t a = 0;
	pid_t child;

	if (argv == NULL)
		ns_oom(NS_EXIT_OWN_FAILURE);
	/* ns_oom does not return */
	// cppcheck-suppress nullPointerRedundantCheck
	argv[a++] = (char *)prog;
	if (asprintf(&argv[a++], "%d", (int)pid) < 0)
		ns_oom(NS_EXIT_OWN_FAILURE);
	for (size_t i = 0; i < map->n; i++)
		if (asprintf(&argv[a++], "%u", map->r[i].inside) < 0 ||
		    asprintf(&argv[a++], "%u", map->r[i].outside) < 0 ||
		    asprintf(&argv[a++], "%u", map->r[i].count) < 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
	child = fork();
	if (child < 0) {
		warn("cannot run '%s'", prog);
	} else if (child == 0) {
		execvp(prog, argv);
		warn("cannot run '%s'", prog);
		_exit(NS_EXIT_NOT_FOUND);
	} else if (waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		   WEXITSTATUS(status) == 0) {
		rc = 0;
	} else {
		warnx("%s failed", prog);
	}
	for (size_t i = 1; i < a; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

void
write_own_maps(const struct nsunshare_opts *o, const struct caller *me,
	       bool uid_self, bool gid_self)
{
	struct ns_idmap map = { 0 };
	struct ns_proc self;
	int dfd;

	if (!(o->flags & CLONE_NEWUSER))
		return;
	if (ns_proc_open_or_warn(-1, getpid(), &self) != 0)
		exit(NS_EXIT_OWN_FAILURE);
	dfd = self.procfd;
	/* Since Linux 3.19 an unprivileged gid_map needs setgroups denied
	 * first; and once gid_map is written, setgroups is fixed. */
	if ((o->setgroups || gid_self) &&
	    ns_setgroups_write(dfd, gid_self ? "deny" : o->setgroups) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot write setgroups");
	if (uid_self) {
		map.n = 1;
		map.r[0] = (struct ns_idrange){ o->uids.inside, me->uid, 1 };
		if (ns_idmap_write(dfd, "uid_map", &map) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot map uid %u to %u",
			    o->uids.inside, (unsigned)me->uid);
	}
	if (gid_self) {
		map.n = 1;
		map.r[0] = (struct ns_idrange){ o->gids.inside, me->gid, 1 };
		if (ns_idmap_write(dfd, "gid_map", &map) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot map gid %u to %u",
			    o->gids.inside, (unsigned)me->gid);
	}
	ns_proc_close(&self);
}

/*
 * Maps of our own single id we write ourselves after unshare(2) (*_SELF);
 * any other map, and persisting, is the helper's: started here, before
 * unshare(2), and its socket returned (-1: none needed).
 */
int
plan_maps(const struct nsunshare_opts *o, const struct caller *me,
	  bool *uid_self, bool *gid_self)
{
	struct ns_idmap umap, gmap;
	bool uid_ranges, gid_ranges;

	/* After --owner's setuid(2) only the helper may write them. */
	*uid_self = !o->set_owner && map_is_own_single(&o->uids);
	*gid_self = !o->set_owner && map_is_own_single(&o->gids);
	uid_ranges = !*uid_self && !map_is_empty(&o->uids);
	gid_ranges = !*gid_self && !map_is_empty(&o->gids);
	if (uid_ranges)
		build_map(&o->uids, true, me, &umap);
	if (gid_ranges)
		build_map(&o->gids, false, me, &gmap);
	if (!uid_ranges && !gid_ranges && !persisting(o))
		return -1;
	return start_helper(o, uid_ranges ? &umap : NULL,
			    gid_ranges ? &gmap : NULL);
}
