// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare - run a program in new namespaces. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "nsunshare.h"

static noreturn void
usage(void)
{
	fputs("Usage:\n"
	      " nsunshare [options] [program [argument ...]]\n"
	      "\n"
	      "Run a program in new namespaces.\n"
	      "\n"
	      "Options:\n"
	      " -m, --mount[=FILE]        new mount namespace\n"
	      " -u, --uts[=FILE]          new UTS namespace (hostname)\n"
	      " -i, --ipc[=FILE]          new IPC namespace\n"
	      " -n, --net[=FILE]          new network namespace\n"
	      " -p, --pid[=FILE]          new PID namespace (implies --fork)\n"
	      " -U, --user[=FILE]         new user namespace\n"
	      " -C, --cgroup[=FILE]       new cgroup namespace\n"
	      " -T, --time[=FILE]         new time namespace\n"
	      "                           FILE: keep the namespace by "
	      "bind-mounting it there\n"
	      " -f, --fork                run the program as a child\n"
	      "     --kill-child[=SIG]    kill the child with SIG (KILL) "
	      "when we die\n"
	      "     --mount-proc[=DIR]    mount a new proc on DIR (/proc)\n"
	      "     --mount-binfmt[=DIR]  mount a new binfmt_misc on DIR "
	      "(implies -U)\n"
	      " -l, --load-interp=STRING  register a binfmt_misc "
	      "interpreter\n"
	      " -r, --map-root-user       map our user and group to root\n"
	      " -c, --map-current-user    map our user and group to "
	      "themselves\n"
	      "     --map-user=UID|NAME   map our user to UID\n"
	      "     --map-group=GID|NAME  map our group to GID\n"
	      "     --map-users=IN:OUT:N  map a range of users (or all, "
	      "auto, subids)\n"
	      "     --map-groups=IN:OUT:N map a range of groups (or all, "
	      "auto, subids)\n"
	      "     --map-auto            map our subordinate ids from 0\n"
	      "     --map-subids          map our subordinate ids to "
	      "themselves\n"
	      "     --owner=UID:GID       create the user namespace as "
	      "UID:GID\n"
	      " -s, --setgroups=allow|deny   allow or deny setgroups(2)\n"
	      "     --propagation=private|shared|slave|unchanged\n"
	      "                           mount propagation (private)\n"
	      "     --keep-caps           keep capabilities across exec\n"
	      " -R, --root=DIR            change the root directory\n"
	      " -w, --wd=DIR              change the working directory\n"
	      " -S, --setuid=UID|NAME     set the user id\n"
	      " -G, --setgid=GID|NAME     set the group id\n"
	      "     --monotonic=SECS      offset of CLOCK_MONOTONIC (with "
	      "-T)\n"
	      "     --boottime=SECS       offset of CLOCK_BOOTTIME (with -T)\n"
	      "     --forward-signals     same as -f, which always forwards\n"
	      "     --hostname=NAME       set the host name (with -u)\n"
	      "     --domainname=NAME     set the NIS domain name (with -u)\n"
	      "     --loopback            bring up lo (with -n)\n"
	      "     --die-with-parent     die when our parent dies\n"
	      "     --info-fd=FD          write the PID and namespaces as "
	      "JSON to FD\n"
	      "     --clear-env           run the program with no "
	      "environment\n"
	      "     --whitelist-env=LIST  keep only the variables named in "
	      "LIST\n"
	      " -h, --help                print this help\n"
	      " -V, --version             print the version\n",
	      stdout);
	exit(0);
}

/* -mFILE, -m=FILE and --mount=FILE all name FILE. */
static const char *
persist_arg(const struct ns_type *t, const char *arg)
{
	if (*arg == '=')
		arg++;
	if (*arg == '\0')
		ns_usage_error(NS_EXIT_OWN_FAILURE, "--%s: empty file name",
			       t->long_opt);
	return arg;
}

/* INNER:OUTER:COUNT[,...]; also util-linux 2.38's OUTER,INNER,COUNT. */
static void
parse_map_ranges(struct nsunshare_idmap *m, const char *opt, const char *arg)
{
	const char *why = NULL;
	uint32_t v[3];

	if (strcmp(arg, "all") == 0) {
		m->all = true;
		return;
	}
	if (strcmp(arg, "auto") == 0) {
		m->subids_auto = true;
		m->subids_opt = opt[4] == 'u' ? "--map-users=auto"
					      : "--map-groups=auto";
		return;
	}
	if (strcmp(arg, "subids") == 0) {
		m->subids_identity = true;
		m->subids_opt = opt[4] == 'u' ? "--map-users=subids"
					      : "--map-groups=subids";
		return;
	}
	if (strchr(arg, ':') == NULL) {
		char *copy = strdup(arg), *s = copy, *f;
		int n = 0;

		if (copy == NULL)
			err(NS_EXIT_OWN_FAILURE, "strdup");
		while ((f = strsep(&s, ",")) != NULL && n < 3)
			if (ns_parse_u32(f, &v[n++]) != 0)
				break;
		free(copy);
		if (n != 3 || f != NULL || s != NULL)
			ns_usage_error(NS_EXIT_OWN_FAILURE,
				       "--%s: invalid range '%s'", opt, arg);
		if (ns_idmap_add(&m->ranges, v[1], v[0], v[2], &why) == 0)
			return;
	} else if (ns_idmap_add_spec(&m->ranges, arg, &why) == 0) {
		return;
	}
	ns_usage_error(NS_EXIT_OWN_FAILURE, "--%s: invalid range '%s': %s", opt,
		       arg, why ? why : "malformed");
}

/* A user (USER true) or group id, or a name; a miss names the option. */
static uint32_t
parse_id(const char *opt, const char *arg, bool user)
{
	uid_t uid;
	gid_t gid;

	if ((user ? ns_parse_uid(arg, &uid) : ns_parse_gid(arg, &gid)) == 0)
		return user ? uid : gid;
	if (errno == ENOENT)
		ns_usage_error(NS_EXIT_OWN_FAILURE, "--%s: no such %s '%s'",
			       opt, user ? "user" : "group", arg);
	ns_usage_error(NS_EXIT_OWN_FAILURE, "--%s: invalid %s id '%s'", opt,
		       user ? "user" : "group", arg);
}

static unsigned long
parse_propagation(const char *arg)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} modes[] = {
		{ "private", MS_REC | MS_PRIVATE },
		{ "shared", MS_REC | MS_SHARED },
		{ "slave", MS_REC | MS_SLAVE },
		{ "unchanged", 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (strcmp(arg, modes[i].name) == 0)
			return modes[i].flags;
	ns_usage_error(NS_EXIT_OWN_FAILURE,
		       "--propagation: unknown mode '%s' "
		       "(private, shared, slave, unchanged)",
		       arg);
}

/* --owner UID:GID, numbers only, as unshare(1). */
static void
parse_owner(struct nsunshare_opts *o, const char *arg)
{
	/* getopt gives a required argument; the analyzer cannot know */
	char *copy = strdup(arg ? arg : ""), *gid;
	uint32_t u, g;
	bool ok;

	if (copy == NULL)
		err(NS_EXIT_OWN_FAILURE, "strdup");
	gid = strchr(copy, ':');
	if (gid != NULL)
		*gid++ = '\0';
	ok = gid != NULL && ns_parse_u32(copy, &u) == 0 &&
	     ns_parse_u32(gid, &g) == 0 && u != (uint32_t)-1 &&
	     g != (uint32_t)-1;
	free(copy);
	if (!ok)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--owner: expected UID:GID, not '%s'", arg);
	o->owner_uid = u;
	o->owner_gid = g;
	o->set_owner = true;
	o->flags |= CLONE_NEWUSER;
}

/* --whitelist-env NAME,...: the values are the ones we were given. */
static void
keep_env_names(struct nsunshare_opts *o, const char *list)
{
	char *copy = strdup(list ? list : ""), *s = copy, *name, **grown;
	const char *value;

	if (copy == NULL)
		err(NS_EXIT_OWN_FAILURE, "strdup");
	while ((name = strsep(&s, ",")) != NULL) {
		if (*name == '\0' || (value = getenv(name)) == NULL)
			continue;
		grown = reallocarray(o->keep_env, o->n_keep_env + 2,
				     sizeof(*grown));
		if (grown == NULL)
			err(NS_EXIT_OWN_FAILURE, "reallocarray");
		o->keep_env = grown;
		if (asprintf(&o->keep_env[o->n_keep_env], "%s=%s", name,
			     value) < 0)
			err(NS_EXIT_OWN_FAILURE, "asprintf");
		o->keep_env[++o->n_keep_env] = NULL;
	}
	free(copy);
}

/*
 * --mount-binfmt[=DIR] (FORCE) and -l: a binfmt_misc of the new user
 * namespace's own (Linux 6.7); without DIR in a new proc, as unshare(1)
 * does.  -l keeps a DIR named before.
 */
static void
want_binfmt(struct nsunshare_opts *o, const char *dir, bool force)
{
	o->flags |= CLONE_NEWUSER | CLONE_NEWNS;
	if (dir != NULL) {
		if (*dir == '\0')
			ns_usage_error(NS_EXIT_OWN_FAILURE,
				       "--mount-binfmt: empty directory name");
		o->binfmt = dir;
		return;
	}
	if (o->binfmt != NULL && !force)
		return;
	o->binfmt = BINFMT_DIR;
	if (o->mount_proc == NULL)
		o->mount_proc = "/proc";
}

static long
parse_seconds(const char *opt, const char *arg)
{
	long v;

	if (ns_parse_long(arg, LONG_MIN, LONG_MAX, &v) != 0)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--%s: invalid number of seconds '%s'", opt,
			       arg);
	return v;
}

static void
check_combinations(struct nsunshare_opts *o)
{
	if ((o->set_monotonic || o->set_boottime) &&
	    !(o->flags & CLONE_NEWTIME))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--monotonic and --boottime need -T/--time");
	if ((o->hostname || o->domainname) && !(o->flags & CLONE_NEWUTS))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--hostname and --domainname need -u/--uts");
	if (o->setgroups && !(o->flags & CLONE_NEWUSER))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--setgroups needs a new user namespace "
			       "(-U/--user)");
	if (o->loopback && !(o->flags & CLONE_NEWNET))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--loopback needs -n/--net");
	if ((o->uids.subids_auto && o->uids.subids_identity) ||
	    (o->gids.subids_auto && o->gids.subids_identity))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--map-subids cannot go with --map-auto, "
			       "--map-users=auto or --map-groups=auto");
	if (o->gids.single && o->setgroups &&
	    strcmp(o->setgroups, "allow") == 0 && !o->gids.all &&
	    !o->gids.subids_auto && !o->gids.subids_identity &&
	    o->gids.ranges.n == 0)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--setgroups=allow cannot go with a single "
			       "mapped group (-r, -c, --map-group): the "
			       "kernel needs deny for that");
}

/* -r (ROOT) or -c: our own user and group, mapped to root or to us. */
static void
map_own_ids(struct nsunshare_opts *o, bool root)
{
	o->flags |= CLONE_NEWUSER;
	o->uids.single = o->gids.single = true;
	o->uids.inside = root ? 0 : geteuid();
	o->gids.inside = root ? 0 : getegid();
}

/*
 * "m::" makes getopt read -pf as -p with FILE "f".  Letters after a short
 * option that are all options without a value (-pf, -Urn) are taken as
 * options, as unshare(1) does; a FILE made only of such letters needs
 * -p=FILE or --pid=FILE.  ARG is the whole argument getopt took S from.
 */
static bool
option_cluster(struct nsunshare_opts *o, const char *arg, const char *s)
{
	const struct ns_type *t;

	if (strncmp(arg, "--", 2) == 0 || *s == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if (ns_type_by_opt(*p) == NULL && strchr("frc", *p) == NULL)
			return false;
	for (; *s; s++) {
		if ((t = ns_type_by_opt(*s)) != NULL)
			o->flags |= t->flag;
		else if (*s == 'f')
			o->fork = true;
		else
			map_own_ids(o, *s == 'r');
	}
	return true;
}

enum {
	OPT_KILL_CHILD = CHAR_MAX + 1,
	OPT_MOUNT_PROC,
	OPT_MAP_USER,
	OPT_MAP_GROUP,
	OPT_MAP_USERS,
	OPT_MAP_GROUPS,
	OPT_MAP_AUTO,
	OPT_MAP_SUBIDS,
	OPT_PROPAGATION,
	OPT_KEEP_CAPS,
	OPT_MONOTONIC,
	OPT_BOOTTIME,
	OPT_FORWARD_SIGNALS,
	OPT_HOSTNAME,
	OPT_DOMAINNAME,
	OPT_LOOPBACK,
	OPT_DIE_WITH_PARENT,
	OPT_INFO_FD,
	OPT_MOUNT_BINFMT,
	OPT_OWNER,
	OPT_CLEAR_ENV,
	OPT_WHITELIST_ENV,
};

void
parse_args(int argc, char **argv, struct nsunshare_opts *o)
{
	static const struct option own_longopts[] = {
		{ "fork", no_argument, NULL, 'f' },
		{ "kill-child", optional_argument, NULL, OPT_KILL_CHILD },
		{ "mount-proc", optional_argument, NULL, OPT_MOUNT_PROC },
		{ "map-root-user", no_argument, NULL, 'r' },
		{ "map-current-user", no_argument, NULL, 'c' },
		{ "map-user", required_argument, NULL, OPT_MAP_USER },
		{ "map-group", required_argument, NULL, OPT_MAP_GROUP },
		{ "map-users", required_argument, NULL, OPT_MAP_USERS },
		{ "map-groups", required_argument, NULL, OPT_MAP_GROUPS },
		{ "map-auto", no_argument, NULL, OPT_MAP_AUTO },
		{ "map-subids", no_argument, NULL, OPT_MAP_SUBIDS },
		{ "setgroups", required_argument, NULL, 's' },
		{ "propagation", required_argument, NULL, OPT_PROPAGATION },
		{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
		{ "root", required_argument, NULL, 'R' },
		{ "wd", required_argument, NULL, 'w' },
		{ "setuid", required_argument, NULL, 'S' },
		{ "setgid", required_argument, NULL, 'G' },
		{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
		{ "boottime", required_argument, NULL, OPT_BOOTTIME },
		{ "forward-signals", no_argument, NULL, OPT_FORWARD_SIGNALS },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "domainname", required_argument, NULL, OPT_DOMAINNAME },
		{ "loopback", no_argument, NULL, OPT_LOOPBACK },
		{ "die-with-parent", no_argument, NULL, OPT_DIE_WITH_PARENT },
		{ "info-fd", required_argument, NULL, OPT_INFO_FD },
		{ "mount-binfmt", optional_argument, NULL, OPT_MOUNT_BINFMT },
		{ "load-interp", required_argument, NULL, 'l' },
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
		{ "whitelist-env", required_argument, NULL, OPT_WHITELIST_ENV },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct option longopts[NS_NTYPES + ARRAY_SIZE(own_longopts)];
	char nsopts[NS_TYPE_SHORTOPTS_SIZE], shortopts[64];
	const struct ns_type *t;
	int c;

	ns_type_getopt(longopts, nsopts);
	memcpy(longopts + NS_NTYPES, own_longopts, sizeof(own_longopts));
	snprintf(shortopts, sizeof(shortopts), "+%sfrcs:R:w:S:G:l:hV", nsopts);
	o->info_fd = -1;
	o->propagation = MS_REC | MS_PRIVATE;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if ((t = ns_type_by_opt(c)) != NULL) {
			o->flags |= t->flag;
			if (optarg != NULL &&
			    !option_cluster(o, argv[optind - 1], optarg))
				o->persist[ns_type_index(t)] =
					persist_arg(t, optarg);
			continue;
		}
		switch (c) {
		case 'f':
			o->fork = true;
			break;
		case OPT_KILL_CHILD:
			o->kill_child = SIGKILL;
			if (optarg && ns_parse_signal(optarg, &o->kill_child))
				ns_usage_error(NS_EXIT_OWN_FAILURE,
					       "--kill-child: unknown signal "
					       "'%s'",
					       optarg);
			o->fork = true;
			break;
		case OPT_MOUNT_PROC:
			o->mount_proc = optarg ? optarg : "/proc";
			o->flags |= CLONE_NEWNS;
			break;
		case 'r':
		case 'c':
			map_own_ids(o, c == 'r');
			break;
		case OPT_MAP_USER:
			o->uids.inside = parse_id("map-user", optarg, true);
			o->uids.single = true;
			o->flags |= CLONE_NEWUSER;
			break;
		case OPT_MAP_GROUP:
			o->gids.inside = parse_id("map-group", optarg, false);
			o->gids.single = true;
			o->flags |= CLONE_NEWUSER;
			break;
		case OPT_MAP_USERS:
			parse_map_ranges(&o->uids, "map-users", optarg);
			o->flags |= CLONE_NEWUSER;
			break;
		case OPT_MAP_GROUPS:
			parse_map_ranges(&o->gids, "map-groups", optarg);
			o->flags |= CLONE_NEWUSER;
			break;
		case OPT_MAP_AUTO:
			o->uids.subids_auto = o->gids.subids_auto = true;
			o->uids.subids_opt = o->gids.subids_opt = "--map-auto";
			o->flags |= CLONE_NEWUSER;
			break;
		case OPT_MAP_SUBIDS:
			o->uids.subids_identity = true;
			o->gids.subids_identity = true;
			o->uids.subids_opt = o->gids.subids_opt =
				"--map-subids";
			o->flags |= CLONE_NEWUSER;
			break;
		case 's':
			if (optarg == NULL || (strcmp(optarg, "allow") != 0 &&
					       strcmp(optarg, "deny") != 0))
				ns_usage_error(NS_EXIT_OWN_FAILURE,
					       "--setgroups: expected allow or "
					       "deny, not '%s'",
					       optarg);
			o->setgroups = optarg;
			break;
		case OPT_PROPAGATION:
			o->propagation = parse_propagation(optarg);
			break;
		case OPT_KEEP_CAPS:
			o->keep_caps = true;
			break;
		case 'R':
			o->root = optarg;
			break;
		case 'w':
			o->wd = optarg;
			break;
		case 'S':
			o->uid = parse_id("setuid", optarg, true);
			o->set_uid = true;
			break;
		case 'G':
			o->gid = parse_id("setgid", optarg, false);
			o->set_gid = true;
			break;
		case OPT_MONOTONIC:
			o->monotonic = parse_seconds("monotonic", optarg);
			o->set_monotonic = true;
			break;
		case OPT_BOOTTIME:
			o->boottime = parse_seconds("boottime", optarg);
			o->set_boottime = true;
			break;
		case OPT_FORWARD_SIGNALS:
			o->fork = true; /* as unshare(1); -f always forwards */
			break;
		case OPT_HOSTNAME:
		case OPT_DOMAINNAME:
			if (strlen(optarg) > 64)
				ns_usage_error(NS_EXIT_OWN_FAILURE,
					       "--%s: longer than 64 bytes",
					       c == OPT_HOSTNAME
						       ? "hostname"
						       : "domainname");
			*(c == OPT_HOSTNAME ? &o->hostname : &o->domainname) =
				optarg;
			break;
		case OPT_LOOPBACK:
			o->loopback = true;
			break;
		case OPT_DIE_WITH_PARENT:
			o->die_with_parent = true;
			break;
		case OPT_INFO_FD:
			if (ns_parse_fd(optarg, &o->info_fd) != 0)
				ns_usage_error(NS_EXIT_OWN_FAILURE,
					       "--info-fd: invalid file "
					       "descriptor '%s'",
					       optarg);
			if (fcntl(o->info_fd, F_GETFD) < 0)
				ns_usage_error(NS_EXIT_OWN_FAILURE,
					       "--info-fd: %d is not open",
					       o->info_fd);
			break;
		case OPT_MOUNT_BINFMT:
			want_binfmt(o, optarg, true);
			break;
		case 'l':
			want_binfmt(o, NULL, false);
			o->interp = optarg;
			break;
		case OPT_OWNER:
			parse_owner(o, optarg);
			break;
		case OPT_CLEAR_ENV:
			o->clear_env = true;
			break;
		case OPT_WHITELIST_ENV:
			o->clear_env = true;
			keep_env_names(o, optarg);
			break;
		case 'h':
			usage();
		case 'V':
			ns_print_version();
		default:
			ns_try_help(NS_EXIT_OWN_FAILURE);
		}
	}
	/* Only children enter a new PID namespace. */
	if (o->flags & CLONE_NEWPID)
		o->fork = true;
	o->argv = argv + optind;
	if (o->interp != NULL && *o->interp == '\0')
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--load-interp: empty definition");
	check_combinations(o);
}

int
main(int argc, char **argv)
{
	struct nsunshare_opts o = { 0 };
	bool uid_self, gid_self;
	struct caller me;
	int helper;

	ns_close_stdout_at_exit(NS_EXIT_OWN_FAILURE);
	me = (struct caller){ getpid(), getppid(), geteuid(), getegid() };
	parse_args(argc, argv, &o);
	helper = plan_maps(&o, &me, &uid_self, &gid_self);
	set_up_namespaces(&o, &me, uid_self, gid_self);
	if (o.fork)
		fork_and_wait(&o, &me, helper);
	exec_in_place(&o, &me, helper);
}
