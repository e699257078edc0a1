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

/* The column where every option's description starts. */
#define HELP_COL 27

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
	      "                             FILE: keep the namespace by bind-mounting it there\n"
	      " -f, --fork                run the program as a child\n"
	      "     --kill-child[=SIG]    kill the child with SIG (KILL) when we die\n"
	      "     --mount-proc[=DIR]    mount a new proc on DIR (/proc)\n"
	      "     --mount-binfmt[=DIR]  mount a new binfmt_misc on DIR (implies -U)\n"
	      " -l, --load-interp=STRING  register a binfmt_misc interpreter\n"
	      " -r, --map-root-user       map our user and group to root\n"
	      " -c, --map-current-user    map our user and group to themselves\n"
	      "     --map-user=UID|NAME   map our user to UID\n"
	      "     --map-group=GID|NAME  map our group to GID\n"
	      "     --map-users=IN:OUT:N  map a range of users (or all, auto, subids)\n"
	      "     --map-groups=IN:OUT:N map a range of groups (or all, auto, subids)\n"
	      "     --map-auto            map our subordinate ids from 0\n"
	      "     --map-subids          map our subordinate ids to themselves\n"
	      "     --owner=UID:GID       create the user namespace as UID:GID\n"
	      " -s, --setgroups=allow|deny\n"
	      "                           allow or deny setgroups(2)\n"
	      "     --propagation=private|shared|slave|unchanged\n"
	      "                           mount propagation (private)\n"
	      "     --keep-caps           keep capabilities across exec\n"
	      " -R, --root=DIR            change the root directory\n"
	      " -w, --wd=DIR              change the working directory\n"
	      " -S, --setuid=UID|NAME     set the user id\n"
	      " -G, --setgid=GID|NAME     set the group id\n"
	      "     --monotonic=SECS      offset of CLOCK_MONOTONIC (with -T)\n"
	      "     --boottime=SECS       offset of CLOCK_BOOTTIME (with -T)\n"
	      "     --forward-signals     same as -f, which always forwards\n"
	      "     --hostname=NAME       set the host name (with -u)\n"
	      "     --domainname=NAME     set the NIS domain name (with -u)\n"
	      "     --loopback            bring up lo (with -n)\n"
	      "     --die-with-parent     die when our parent dies\n"
	      "     --info-fd=FD          write the PID and namespaces as JSON to FD\n"
	      "     --clear-env           run the program with no environment\n"
	      "     --whitelist-env=LIST  keep only the variables named in LIST\n",
	      stdout);
	ns_usage_help_version(HELP_COL);
	ns_usage_man_tail(1);
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

/* --map-users and --map-groups, by id kind (NS_UID, NS_GID). */
static const struct {
	const char *opt, *auto_opt, *identity_opt;
} range_opts[NS_NIDKINDS] = {
	{ "map-users", "--map-users=auto", "--map-users=subids" },
	{ "map-groups", "--map-groups=auto", "--map-groups=subids" },
};

/* INNER:OUTER:COUNT[,...]; also util-linux 2.38's OUTER,INNER,COUNT. */
static void
parse_map_ranges(struct nsunshare_idmap *m, int kind, const char *arg)
{
	const char *opt = range_opts[kind].opt;
	const char *why = NULL;
	uint32_t v[3];

	if (strcmp(arg, "all") == 0) {
		m->all = true;
		return;
	}
	if (strcmp(arg, "auto") == 0) {
		m->subids_auto = true;
		m->auto_opt = range_opts[kind].auto_opt;
		return;
	}
	if (strcmp(arg, "subids") == 0) {
		m->subids_identity = true;
		m->identity_opt = range_opts[kind].identity_opt;
		return;
	}
	if (strchr(arg, ':') == NULL) {
		char *copy = strdup(arg), *s = copy, *f;
		int n = 0;

		if (copy == NULL)
			ns_oom(NS_EXIT_OWN_FAILURE);
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

/* A user (USER true) or group id, or a name, worded as nsjoin and nsmap
 * word a bad one. */
static uint32_t
parse_id(const char *arg, bool user)
{
	uid_t uid;
	gid_t gid;

	if ((user ? ns_parse_uid(arg, &uid) : ns_parse_gid(arg, &gid)) == 0)
		return user ? uid : gid;
	ns_usage_invalid(NS_EXIT_OWN_FAILURE,
			 ns_idkinds[user ? NS_UID : NS_GID].name, arg);
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
	ns_usage_error(
		NS_EXIT_OWN_FAILURE,
		"--propagation: unknown mode '%s' (private, shared, slave, unchanged)",
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
		ns_oom(NS_EXIT_OWN_FAILURE);
	/* ns_oom does not return */
	// cppcheck-suppress nullPointerRedundantCheck
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
}

/* --whitelist-env NAME,...: the values are the ones we were given. */
static void
keep_env_names(struct nsunshare_opts *o, const char *list)
{
	char *copy = strdup(list ? list : ""), *s = copy, *name, **grown;
	const char *value;

	if (copy == NULL)
		ns_oom(NS_EXIT_OWN_FAILURE);
	while ((name = strsep(&s, ",")) != NULL) {
		if (*name == '\0' || (value = getenv(name)) == NULL)
			continue;
		grown = reallocarray(o->keep_env, o->n_keep_env + 2,
				     sizeof(*grown));
		if (grown == NULL)
			ns_oom(NS_EXIT_OWN_FAILURE);
		o->keep_env = grown;
		if (asprintf(&o->keep_env[o->n_keep_env], "%s=%s", name,
			     value) < 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
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

/* Only with ranges of its own (all, auto, subids, IN:OUT:N) may a map's
 * groups be allowed setgroups(2): the kernel refuses one mapped group. */
/* What the options together mean, and what they may not mean together. */
static void
check_args(struct nsunshare_opts *o)
{
	const struct nsunshare_idmap *both[] = { &o->uids, &o->gids };

	/* Only children enter a new PID namespace. */
	if (o->flags & CLONE_NEWPID)
		o->fork = true;
	if (o->interp != NULL && *o->interp == '\0')
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--load-interp: empty definition");
	if ((o->set_monotonic || o->set_boottime) &&
	    !(o->flags & CLONE_NEWTIME))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--monotonic and --boottime need -T/--time");
	if ((o->hostname || o->domainname) && !(o->flags & CLONE_NEWUTS))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--hostname and --domainname need -u/--uts");
	if (o->setgroups && !(o->flags & CLONE_NEWUSER))
		ns_usage_error(
			NS_EXIT_OWN_FAILURE,
			"--setgroups needs a new user namespace (-U/--user)");
	if (o->loopback && !(o->flags & CLONE_NEWNET))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--loopback needs -n/--net");
	for (size_t i = 0; i < ARRAY_SIZE(both); i++)
		if (both[i]->subids_auto && both[i]->subids_identity)
			ns_usage_exclusive(NS_EXIT_OWN_FAILURE,
					   both[i]->identity_opt,
					   both[i]->auto_opt);
	if (map_is_own_single(&o->gids) && o->setgroups &&
	    strcmp(o->setgroups, "allow") == 0)
		ns_usage_error(
			NS_EXIT_OWN_FAILURE,
			"--setgroups=allow cannot go with a single mapped group (-r, -c, --map-group): the kernel needs deny for that");
}

/* -r (ROOT) or -c: our own user and group, mapped to root or to us. */
static void
map_own_ids(struct nsunshare_opts *o, bool root)
{
	o->uids.single = o->gids.single = true;
	o->uids.inside = root ? 0 : geteuid();
	o->gids.inside = root ? 0 : getegid();
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

/* What an option implies besides its own setting: the namespaces it
 * needs, and whether the program must run as our child. */
static const struct {
	int opt;
	int flags;
	bool fork;
} implied[] = {
	{ 'f', 0, true },
	{ OPT_KILL_CHILD, 0, true },
	{ OPT_FORWARD_SIGNALS, 0, true }, /* as unshare(1); -f forwards */
	{ OPT_MOUNT_PROC, CLONE_NEWNS, false },
	{ 'r', CLONE_NEWUSER, false },
	{ 'c', CLONE_NEWUSER, false },
	{ OPT_MAP_USER, CLONE_NEWUSER, false },
	{ OPT_MAP_GROUP, CLONE_NEWUSER, false },
	{ OPT_MAP_USERS, CLONE_NEWUSER, false },
	{ OPT_MAP_GROUPS, CLONE_NEWUSER, false },
	{ OPT_MAP_AUTO, CLONE_NEWUSER, false },
	{ OPT_MAP_SUBIDS, CLONE_NEWUSER, false },
	{ OPT_OWNER, CLONE_NEWUSER, false },
	/* binfmt_misc of the user namespace's own (Linux 6.7) */
	{ OPT_MOUNT_BINFMT, CLONE_NEWUSER | CLONE_NEWNS, false },
	{ 'l', CLONE_NEWUSER | CLONE_NEWNS, false },
};

static void
imply(struct nsunshare_opts *o, int opt)
{
	const struct ns_type *t = ns_type_by_opt(opt);

	if (t != NULL)
		o->flags |= t->flag;
	for (size_t i = 0; i < ARRAY_SIZE(implied); i++) {
		if (implied[i].opt != opt)
			continue;
		o->flags |= implied[i].flags;
		o->fork = o->fork || implied[i].fork;
	}
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
	if (strncmp(arg, "--", 2) == 0 || *s == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if (ns_type_by_opt(*p) == NULL && strchr("frc", *p) == NULL)
			return false;
	for (; *s; s++) {
		imply(o, *s);
		if (*s == 'r' || *s == 'c')
			map_own_ids(o, *s == 'r');
	}
	return true;
}

/* --kill-child[=SIG]: KILL without SIG. */
static int
parse_kill_signal(const char *arg)
{
	int sig = SIGKILL;

	if (arg != NULL && ns_parse_signal(arg, &sig) != 0)
		ns_usage_invalid(NS_EXIT_OWN_FAILURE, "--kill-child signal",
				 arg);
	return sig;
}

static const char *
parse_setgroups(const char *arg)
{
	if (strcmp(arg, "allow") != 0 && strcmp(arg, "deny") != 0)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--setgroups: expected allow or deny, not '%s'",
			       arg);
	return arg;
}

/* --hostname, --domainname: at most 64 bytes, as the kernel keeps them. */
static const char *
parse_name(const char *opt, const char *arg)
{
	if (strlen(arg) > 64)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--%s: longer than 64 bytes", opt);
	return arg;
}

static int
parse_info_fd(const char *arg)
{
	int fd;

	if (ns_parse_fd(arg, &fd) != 0)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--info-fd: invalid file descriptor '%s'", arg);
	if (fcntl(fd, F_GETFD) < 0)
		ns_usage_error(NS_EXIT_OWN_FAILURE, "--info-fd: %d is not open",
			       fd);
	return fd;
}

/* The options that set a map: -r, -c, --map-*. */
static void
parse_map_option(struct nsunshare_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'r':
	case 'c':
		map_own_ids(o, c == 'r');
		break;
	case OPT_MAP_USER:
		o->uids.inside = parse_id(arg, true);
		o->uids.single = true;
		break;
	case OPT_MAP_GROUP:
		o->gids.inside = parse_id(arg, false);
		o->gids.single = true;
		break;
	case OPT_MAP_USERS:
		parse_map_ranges(&o->uids, NS_UID, arg);
		break;
	case OPT_MAP_GROUPS:
		parse_map_ranges(&o->gids, NS_GID, arg);
		break;
	case OPT_MAP_AUTO:
		o->uids.subids_auto = o->gids.subids_auto = true;
		o->uids.auto_opt = o->gids.auto_opt = "--map-auto";
		break;
	case OPT_MAP_SUBIDS:
		o->uids.subids_identity = o->gids.subids_identity = true;
		o->uids.identity_opt = o->gids.identity_opt = "--map-subids";
		break;
	}
}

void
// NOLINTNEXTLINE(readability-function-size): usage and parse_args may be longer
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
		/* getopt gives a required argument; the analyzer cannot know */
		const char *req = optarg ? optarg : "";

		imply(o, c);
		if ((t = ns_type_by_opt(c)) != NULL) {
			if (optarg != NULL &&
			    !option_cluster(o, argv[optind - 1], optarg))
				o->persist[ns_type_index(t)] =
					persist_arg(t, optarg);
			continue;
		}
		switch (c) {
		case 'f':
		case OPT_FORWARD_SIGNALS:
			break;
		case OPT_KILL_CHILD:
			o->kill_child = parse_kill_signal(optarg);
			break;
		case OPT_MOUNT_PROC:
			o->mount_proc = optarg ? optarg : "/proc";
			break;
		case 'r':
		case 'c':
		case OPT_MAP_USER:
		case OPT_MAP_GROUP:
		case OPT_MAP_USERS:
		case OPT_MAP_GROUPS:
		case OPT_MAP_AUTO:
		case OPT_MAP_SUBIDS:
			parse_map_option(o, c, req);
			break;
		case 's':
			o->setgroups = parse_setgroups(req);
			break;
		case OPT_PROPAGATION:
			o->propagation = parse_propagation(req);
			break;
		case OPT_KEEP_CAPS:
			o->keep_caps = true;
			break;
		case 'R':
			o->root = req;
			break;
		case 'w':
			o->wd = req;
			break;
		case 'S':
			o->uid = parse_id(req, true);
			o->set_uid = true;
			break;
		case 'G':
			o->gid = parse_id(req, false);
			o->set_gid = true;
			break;
		case OPT_MONOTONIC:
			o->monotonic = parse_seconds("monotonic", req);
			o->set_monotonic = true;
			break;
		case OPT_BOOTTIME:
			o->boottime = parse_seconds("boottime", req);
			o->set_boottime = true;
			break;
		case OPT_HOSTNAME:
			o->hostname = parse_name("hostname", req);
			break;
		case OPT_DOMAINNAME:
			o->domainname = parse_name("domainname", req);
			break;
		case OPT_LOOPBACK:
			o->loopback = true;
			break;
		case OPT_DIE_WITH_PARENT:
			o->die_with_parent = true;
			break;
		case OPT_INFO_FD:
			o->info_fd = parse_info_fd(req);
			break;
		case OPT_MOUNT_BINFMT:
			want_binfmt(o, optarg, true);
			break;
		case 'l':
			want_binfmt(o, NULL, false);
			o->interp = req;
			break;
		case OPT_OWNER:
			parse_owner(o, req);
			break;
		case OPT_CLEAR_ENV:
			o->clear_env = true;
			break;
		case OPT_WHITELIST_ENV:
			o->clear_env = true;
			keep_env_names(o, req);
			break;
		case 'h':
			usage();
		case 'V':
			ns_print_version();
		default:
			ns_try_help(NS_EXIT_OWN_FAILURE);
		}
	}
	o->argv = argv + optind;
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
	check_args(&o);
	helper = plan_maps(&o, &me, &uid_self, &gid_self);
	set_up_namespaces(&o, &me, uid_self, gid_self);
	if (o.fork)
		fork_and_wait(&o, &me, &helper);
	exec_in_place(&o, &me, &helper);
}
