// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare - run a program in new namespaces. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nscommon.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef NS_GET_MNTNS_ID /* Linux 6.10 */
#define NS_GET_MNTNS_ID _IOR(NSIO, 0x5, uint64_t)
#endif

/* Where the uid or gid map of the new user namespace comes from. */
struct nsunshare_idmap {
	bool single; /* map one inside id to our own outside id */
	uint32_t inside;
	bool all;		/* copy our own map through */
	bool subids_auto;	/* first /etc/sub?id range, inside from 0 */
	bool subids_identity;	/* /etc/sub?id ranges, inside == outside */
	const char *subids_opt; /* the option that asked for them */
	struct ns_idmap ranges; /* --map-users / --map-groups */
};

struct nsunshare_opts {
	const char *persist[NS_NTYPES]; /* FILE per type, or NULL */
	struct nsunshare_idmap uids, gids;
	const char *mount_proc; /* DIR, or NULL */
	const char *setgroups;	/* "allow", "deny" or NULL */
	const char *root, *wd;
	const char *hostname, *domainname;
	const char *binfmt; /* DIR to mount binfmt_misc on, or NULL */
	const char *interp; /* binfmt_misc definition to register, or NULL */
	char **keep_env;    /* NAME=VALUE of --whitelist-env, NULL-terminated */
	size_t n_keep_env;
	char **argv;		   /* program, or empty */
	unsigned long propagation; /* 0: unchanged */
	long monotonic, boottime;
	int flags;	/* CLONE_NEW* to unshare */
	int kill_child; /* signal, or 0 */
	int info_fd;	/* -1: none */
	uid_t uid;
	gid_t gid;
	uid_t owner_uid; /* --owner: create the user namespace as this */
	gid_t owner_gid; /* user and group, if set_owner */
	bool fork, die_with_parent, keep_caps, loopback;
	bool set_uid, set_gid, set_monotonic, set_boottime;
	bool set_owner, clear_env;
};

/* Where binfmt_misc is mounted when --mount-binfmt names no DIR. */
#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"

/* Who ran us, read before unshare(2) changes what the kernel reports. */
struct caller {
	pid_t pid, ppid;
	uid_t uid;
	gid_t gid;
};

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

static void
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

/* ---- id maps ----------------------------------------------------------- */

/* True when the map is one id of our own: we may write that ourselves. */
static bool
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
	int n;

	n = ns_subid_ranges(path, pw ? pw->pw_name : "", me->uid, sub,
			    NS_IDMAP_MAX);
	if (n < 0)
		err(NS_EXIT_OWN_FAILURE, "%s: cannot read %s", m->subids_opt,
		    path);
	if (n == 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "%s: no subordinate %s for %s%suid "
		     "%u%s in %s",
		     m->subids_opt, uid ? "uids" : "gids",
		     pw ? pw->pw_name : "", pw ? " (" : "", (unsigned)me->uid,
		     pw ? ")" : "", path);
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
		int dfd =
			open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct ns_idmap cur;

		if (dfd < 0 ||
		    ns_idmap_read(dfd, uid ? "uid_map" : "gid_map", &cur) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot read our own %s map",
			    uid ? "uid" : "gid");
		close(dfd);
		for (size_t i = 0; i < cur.n; i++)
			add_range_or_die(out, what, cur.r[i].inside,
					 cur.r[i].inside, cur.r[i].count);
	}
	if (m->subids_auto || m->subids_identity)
		add_subids(m, uid, me, out);
}

/* Run newuidmap/newgidmap PID IN OUT COUNT...: the setuid helpers check the
 * ranges against /etc/subuid and /etc/subgid for us. */
static int
run_newidmap(const char *prog, pid_t pid, const struct ns_idmap *map)
{
	char **argv = calloc(2 + 3 * map->n + 1, sizeof(*argv));
	int status, rc = -1;
	size_t a = 0;
	pid_t child;

	if (argv == NULL)
		return -1;
	argv[a++] = (char *)prog;
	if (asprintf(&argv[a++], "%d", (int)pid) < 0)
		goto out;
	for (size_t i = 0; i < map->n; i++)
		if (asprintf(&argv[a++], "%u", map->r[i].inside) < 0 ||
		    asprintf(&argv[a++], "%u", map->r[i].outside) < 0 ||
		    asprintf(&argv[a++], "%u", map->r[i].count) < 0)
			goto out;
	child = fork();
	if (child < 0)
		goto out;
	if (child == 0) {
		execvp(prog, argv);
		warn("cannot run '%s'", prog);
		_exit(NS_EXIT_NOT_FOUND);
	}
	if (waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		rc = 0;
	else
		warnx("%s failed", prog);
out:
	for (size_t i = 1; i < a; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

/* ---- the helper in the parent namespaces -------------------------------- */

/*
 * Ranges beyond our own id, and bind mounts of the new namespaces, need a
 * process that stayed outside: after unshare(2) we have no privilege in the
 * parent user namespace, and a bind mount made from inside a new mount
 * namespace would not be seen outside it.
 *
 * We talk to it over a socket pair.  We send "g" once we have unshared; it
 * answers "k" when the maps are written and the namespaces persisted, or
 * closes the socket having said why it could not.  What it persisted it
 * keeps once execve(2) of the program has closed our end, and removes if
 * we send "f" instead: we are failing before the program ran.
 */

/* A byte from FD, or -1 at end of file or on error. */
static int
recv_byte(int fd)
{
	unsigned char byte;
	ssize_t n;

	while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? byte : -1;
}

static bool
persisting(const struct nsunshare_opts *o)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (o->persist[i] != NULL)
			return true;
	return false;
}

static void
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
static int
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

static int
write_ranges(pid_t target, const char *file, const struct ns_idmap *map,
	     bool privileged)
{
	char path[32];
	int dfd, rc;

	if (!privileged)
		return run_newidmap(file[0] == 'u' ? "newuidmap" : "newgidmap",
				    target, map);
	snprintf(path, sizeof(path), "/proc/%d", (int)target);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	rc = ns_idmap_write(dfd, file, map);
	if (rc != 0)
		warn("cannot write %s of PID %d", file, (int)target);
	close(dfd);
	return rc;
}

static noreturn void
run_helper(const struct nsunshare_opts *o, pid_t target, int sock,
	   const struct ns_idmap *umap, const struct ns_idmap *gmap)
{
	bool privileged = geteuid() == 0, made[NS_NTYPES] = { false };

	if (recv_byte(sock) != 'g')
		_exit(0); /* the parent gave up and said why */
	if (umap && write_ranges(target, "uid_map", umap, privileged) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (gmap && write_ranges(target, "gid_map", gmap, privileged) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (persist_namespaces(o, target, made) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (send(sock, "k", 1, MSG_NOSIGNAL) != 1 ||
	    (persisting(o) && recv_byte(sock) == 'f'))
		undo_persist(o, NS_NTYPES, made);
	_exit(0);
}

/*
 * Forked twice, so that the helper is no child of the program we may exec:
 * it outlives the execve(2) by a moment, and nothing there would reap it.
 * Returns our end of the socket.
 */
static int
start_helper(const struct nsunshare_opts *o, const struct ns_idmap *umap,
	     const struct ns_idmap *gmap)
{
	pid_t parent = getpid(), pid;
	int sv[2], status;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		err(NS_EXIT_OWN_FAILURE, "socketpair");
	pid = fork();
	if (pid < 0)
		err(NS_EXIT_OWN_FAILURE, "fork");
	if (pid == 0) {
		close(sv[0]);
		pid = fork();
		if (pid < 0) {
			warn("fork");
			_exit(NS_EXIT_OWN_FAILURE);
		}
		if (pid == 0)
			run_helper(o, parent, sv[1], umap, gmap);
		_exit(0);
	}
	close(sv[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(NS_EXIT_OWN_FAILURE, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(NS_EXIT_OWN_FAILURE); /* it said why */
	return sv[0];
}

/* Let the helper write the maps and persist; exit 125 if it could not. */
static void
finish_helper(const struct nsunshare_opts *o, int *sock)
{
	if (*sock < 0)
		return;
	if (send(*sock, "g", 1, MSG_NOSIGNAL) != 1)
		err(NS_EXIT_OWN_FAILURE, "cannot reach the helper process");
	if (recv_byte(*sock) != 'k')
		exit(NS_EXIT_OWN_FAILURE); /* it said why */
	if (!persisting(o)) {
		close(*sock);
		*sock = -1;
	}
}

/* on_exit(3): we fail before the program ran; have the helper remove what
 * it persisted, and wait until it has, so the caller finds nothing. */
static void
undo_on_exit(int status, void *arg)
{
	int sock = (int)(intptr_t)arg;

	(void)status;
	if (send(sock, "f", 1, MSG_NOSIGNAL) == 1)
		recv_byte(sock); /* end of file once it is done */
}

/* In the process that is to exec the program, once persisting is done. */
static void
undo_persist_on_failure(const struct nsunshare_opts *o, int sock)
{
	if (sock < 0 || !persisting(o))
		return;
	/* on_exit's argument carries the socket number, not a pointer */
	// NOLINTNEXTLINE(performance-no-int-to-ptr)
	if (on_exit(undo_on_exit, (void *)(intptr_t)sock) != 0)
		errx(NS_EXIT_OWN_FAILURE, "on_exit failed");
}

/* ---- the namespaces ----------------------------------------------------- */

static long
read_sysctl(const char *path)
{
	char buf[32];
	long v = -1;
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		if (ns_parse_long(buf, 0, LONG_MAX, &v) != 0)
			v = -1;
	}
	fclose(f);
	return v;
}

/*
 * ENOSPC: a limit user.max_TYPE_namespaces (they are per user namespace;
 * the caller's own are what we can read).  Name the type at 0, or the
 * single type asked for; with several, the limit may be any of them.
 */
static void
limit_hint(int flags, char *buf, size_t size)
{
	const struct ns_type *asked = NULL;
	char path[64];
	int n = 0;

	for (size_t i = 0; i < NS_NTYPES; i++) {
		const struct ns_type *t = &ns_types[i];

		if (!(flags & t->flag))
			continue;
		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces",
			 t->name);
		if (read_sysctl(path) == 0) {
			snprintf(buf, size,
				 "%s namespaces are disabled "
				 "(sysctl user.max_%s_namespaces is 0)",
				 t->name, t->name);
			return;
		}
		asked = t;
		n++;
	}
	if (n == 1)
		snprintf(buf, size,
			 "the limit of %s namespaces is reached "
			 "(sysctl user.max_%s_namespaces)",
			 asked->name, asked->name);
	else
		snprintf(buf, size,
			 "a limit of namespaces is reached "
			 "(sysctls user.max_*_namespaces)");
}

/* Why unshare(2) was refused, as far as we can tell: BUF, or "". */
static void
unshare_hint(int flags, int errnum, char *buf, size_t size)
{
	*buf = '\0';
	if (errnum == ENOSPC || errnum == EUSERS) {
		limit_hint(flags, buf, size);
	} else if (errnum != EPERM) {
		return;
	} else if (!(flags & CLONE_NEWUSER)) {
		if (!ns_caps_effective(CAP_SYS_ADMIN))
			snprintf(buf, size,
				 "without CAP_SYS_ADMIN a new user "
				 "namespace is needed too (add -U or -r)");
	} else if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") ==
		   0) {
		snprintf(buf, size,
			 "unprivileged user namespaces are disabled "
			 "(sysctl kernel.unprivileged_userns_clone is 0)");
	} else if (read_sysctl("/proc/sys/kernel/"
			       "apparmor_restrict_unprivileged_userns") == 1) {
		snprintf(buf, size,
			 "AppArmor restricts unprivileged user "
			 "namespaces (sysctl "
			 "kernel.apparmor_restrict_unprivileged_userns is 1)");
	} else {
		snprintf(buf, size,
			 "refused by a security module, or we are "
			 "chrooted or multithreaded");
	}
}

static void
unshare_namespaces(int flags)
{
	char names[64] = "", hint[160];
	size_t len = 0;
	int saved;

	if (unshare(flags) == 0)
		return;
	saved = errno;
	/* At most "mnt,uts,ipc,net,pid,user,cgroup,time": it fits. */
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (flags & ns_types[i].flag)
			len += (size_t)snprintf(
				names + len, sizeof(names) - len, "%s%s",
				len ? "," : "", ns_types[i].name);
	unshare_hint(flags, saved, hint, sizeof(hint));
	errx(NS_EXIT_OWN_FAILURE, "cannot unshare %s namespace: %s%s%s", names,
	     strerror(saved), *hint ? "; " : "", hint);
}

static void
write_own_maps(const struct nsunshare_opts *o, const struct caller *me,
	       bool uid_self, bool gid_self)
{
	struct ns_idmap map = { 0 };
	int dfd;

	if (!(o->flags & CLONE_NEWUSER))
		return;
	dfd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot open /proc/self");
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
	close(dfd);
}

static void
set_time_offsets(const struct nsunshare_opts *o)
{
	char *text = NULL;
	int fd, len;

	if (!o->set_monotonic && !o->set_boottime)
		return;
	len = asprintf(&text, "%s%ld 0\n%s%ld 0\n", "monotonic ", o->monotonic,
		       "boottime ", o->boottime);
	if (len < 0)
		err(NS_EXIT_OWN_FAILURE, "asprintf");
	/* Only before the first process enters the time namespace. */
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != len)
		err(NS_EXIT_OWN_FAILURE, "cannot set clock offsets");
	close(fd);
	free(text);
}

static void
set_names(const struct nsunshare_opts *o)
{
	if (o->hostname && sethostname(o->hostname, strlen(o->hostname)) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set hostname '%s'",
		    o->hostname);
	if (o->domainname &&
	    setdomainname(o->domainname, strlen(o->domainname)) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set domain name '%s'",
		    o->domainname);
}

static void
bring_up_loopback(const struct nsunshare_opts *o)
{
	if (o->loopback && ns_loopback_up() != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot bring up lo");
}

static void
set_propagation(const struct nsunshare_opts *o)
{
	if (!(o->flags & CLONE_NEWNS) || o->propagation == 0)
		return;
	if (mount("none", "/", NULL, o->propagation, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot change propagation of /");
}

/*
 * The inodes of the new namespaces, for --info-fd: read before the child
 * runs the program.  Once it runs, it may mount a new proc on /proc in the
 * mount namespace we share with it, where /proc/self no longer names us.
 */
static void
read_new_inodes(const struct nsunshare_opts *o, ino_t ino[NS_NTYPES])
{
	char path[64];
	struct stat st;

	if (o->info_fd < 0)
		return;
	for (size_t i = 0; i < NS_NTYPES; i++) {
		const struct ns_type *t = &ns_types[i];
		bool children =
			t->flag == CLONE_NEWPID || t->flag == CLONE_NEWTIME;

		if (!(o->flags & t->flag))
			continue;
		/* Ours, except pid and time: those only our children enter. */
		snprintf(path, sizeof(path), "/proc/self/ns/%s%s", t->name,
			 children ? "_for_children" : "");
		if (stat(path, &st) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot read %s", path);
		ino[i] = st.st_ino;
	}
}

/* {"pid":N,"namespaces":[{"type":"net","ns":INODE},...]} of the new ones. */
static void
write_info(const struct nsunshare_opts *o, pid_t pid,
	   const ino_t ino[NS_NTYPES])
{
	const char *sep = "";
	FILE *f;
	int fd;

	if (o->info_fd < 0)
		return;
	fd = fcntl(o->info_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		err(NS_EXIT_OWN_FAILURE, "--info-fd %d", o->info_fd);
	fprintf(f, "{\"pid\":%d,\"namespaces\":[", (int)pid);
	for (size_t i = 0; i < NS_NTYPES; i++) {
		if (!(o->flags & ns_types[i].flag))
			continue;
		fprintf(f, "%s{\"type\":\"%s\",\"ns\":%lu}", sep,
			ns_types[i].name, (unsigned long)ino[i]);
		sep = ",";
	}
	fprintf(f, "]}\n");
	if (fclose(f) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot write to --info-fd %d",
		    o->info_fd);
	if (close(o->info_fd) != 0)
		err(NS_EXIT_OWN_FAILURE, "--info-fd %d", o->info_fd);
}

/* ---- the program's own process ------------------------------------------ */

static void
mount_proc(const struct nsunshare_opts *o)
{
	if (o->mount_proc == NULL)
		return;
	/* Detach an old proc first, so the new one is what is seen. */
	if (umount2(o->mount_proc, MNT_DETACH) != 0 && errno != EINVAL &&
	    errno != ENOENT)
		err(NS_EXIT_OWN_FAILURE, "cannot unmount %s", o->mount_proc);
	if (mount("proc", o->mount_proc, "proc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return;
	/* A proc belongs to the user namespace of its PID namespace. */
	if (errno == EPERM && (o->flags & CLONE_NEWUSER) &&
	    !(o->flags & CLONE_NEWPID))
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot mount proc on %s: %s; in a new user namespace "
		     "that needs a new PID namespace too (-p)",
		     o->mount_proc, strerror(EPERM));
	err(NS_EXIT_OWN_FAILURE, "cannot mount proc on %s", o->mount_proc);
}

static void
mount_binfmt(const char *dir)
{
	if (mount("binfmt_misc", dir, "binfmt_misc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot mount binfmt_misc on %s", dir);
}

static void
register_interp(const char *dir, const char *def)
{
	size_t len = strlen(def);
	int dfd, fd;

	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		err(NS_EXIT_OWN_FAILURE, "--load-interp: cannot open %s", dir);
	fd = openat(dfd, "register", O_WRONLY | O_CLOEXEC);
	/* The kernel takes a definition in one write, or refuses it. */
	if (fd < 0 || write(fd, def, len) != (ssize_t)len)
		err(NS_EXIT_OWN_FAILURE,
		    "--load-interp: cannot register in %s/register", dir);
	close(fd);
	close(dfd);
}

/* The F flag: the kernel opens the interpreter at registration. */
static bool
interp_fixed(const char *def)
{
	const char *flags = strrchr(def, ':');

	return flags != NULL && strchr(flags, 'F') != NULL;
}

/* Before -R: an F interpreter is opened in the tree we came from. */
static bool
register_before_root(const struct nsunshare_opts *o)
{
	return o->interp != NULL && o->root != NULL && interp_fixed(o->interp);
}

static void
set_up_binfmt(const struct nsunshare_opts *o)
{
	if (o->binfmt != NULL)
		mount_binfmt(o->binfmt);
	if (o->interp != NULL && o->binfmt != NULL && !register_before_root(o))
		register_interp(o->binfmt, o->interp);
}

/* --clear-env, --whitelist-env: the environment the program gets. */
static void
set_environment(const struct nsunshare_opts *o)
{
	if (!o->clear_env)
		return;
	if (clearenv() != 0)
		errx(NS_EXIT_OWN_FAILURE, "cannot clear the environment");
	for (size_t i = 0; i < o->n_keep_env; i++)
		if (putenv(o->keep_env[i]) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep %s",
			    o->keep_env[i]);
}

static void
change_root_and_dir(const struct nsunshare_opts *o)
{
	if (o->root) {
		if (chroot(o->root) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot change root to %s",
			    o->root);
		if (chdir(o->wd ? o->wd : "/") != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot change directory "
			    "to %s",
			    o->wd ? o->wd : "/");
	} else if (o->wd && chdir(o->wd) != 0) {
		err(NS_EXIT_OWN_FAILURE, "cannot change directory to %s",
		    o->wd);
	}
}

static void
change_ids(const struct nsunshare_opts *o)
{
	if (o->set_gid) {
		/* Refused where setgroups is denied: nothing to drop then. */
		if (setgroups(0, NULL) != 0 && errno != EPERM)
			err(NS_EXIT_OWN_FAILURE, "cannot drop groups");
		if (setgid(o->gid) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot set gid %u",
			    (unsigned)o->gid);
	}
	if (o->set_uid) {
		if (o->keep_caps && o->uid != 0 &&
		    ns_caps_keep_on_setuid(true) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
		if (setuid(o->uid) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot set uid %u",
			    (unsigned)o->uid);
		if (o->keep_caps && o->uid != 0 &&
		    ns_caps_raise_effective() != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
	}
	if (o->keep_caps && ns_caps_make_ambient() != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot make capabilities ambient");
}

/*
 * The kernel clears PDEATHSIG on a credential change: arm it after.  A
 * parent that died before we armed sent nothing: die now.  Our parent is
 * nsunshare when ALIVE >= 0, a pipe it holds open until it exits (in a new
 * PID namespace getppid() is 0); else the process PARENT.
 */
static void
arm_death_signal(int sig, pid_t parent, int alive)
{
	struct pollfd pipe_end = { .fd = alive, .events = POLLIN };
	bool gone;

	if (sig == 0)
		return;
	if (prctl(PR_SET_PDEATHSIG, sig) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set parent-death signal");
	gone = alive >= 0 ? poll(&pipe_end, 1, 0) != 0 : getppid() != parent;
	if (!gone)
		return;
	raise(sig);
	/* PID 1 of a PID namespace ignores signals it sends itself. */
	_exit(128 + sig);
}

/* Until the parent says go; the pipe then tells whether it still lives. */
static int
wait_until_ready(int ready[2])
{
	char byte;

	close(ready[1]);
	if (read(ready[0], &byte, 1) != 1)
		_exit(NS_EXIT_OWN_FAILURE); /* the parent said why */
	return ready[0];
}

static noreturn void
run_program(const struct nsunshare_opts *o, int death_sig, pid_t parent,
	    int alive)
{
	if (register_before_root(o)) {
		mount_binfmt(BINFMT_DIR);
		register_interp(BINFMT_DIR, o->interp);
	}
	/* Proc after the root change, as unshare(1): -R DIR --mount-proc
	 * mounts DIR/proc. */
	change_root_and_dir(o);
	mount_proc(o);
	set_up_binfmt(o);
	change_ids(o);
	set_environment(o);
	arm_death_signal(death_sig, parent, alive);
	ns_exec_command(o->argv);
}

/*
 * Maps of our own single id we write ourselves after unshare(2) (*_SELF);
 * any other map, and persisting, is the helper's: started here, before
 * unshare(2), and its socket returned (-1: none needed).
 */
static int
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

/* --owner: the user namespace belongs to whoever calls unshare(2). */
static void
become_owner(const struct nsunshare_opts *o)
{
	if (!o->set_owner)
		return;
	if (setgroups(0, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE,
		    "--owner: cannot drop supplementary groups");
	if (setgid(o->owner_gid) != 0)
		err(NS_EXIT_OWN_FAILURE, "--owner: cannot set gid %u",
		    (unsigned)o->owner_gid);
	if (setuid(o->owner_uid) != 0)
		err(NS_EXIT_OWN_FAILURE, "--owner: cannot set uid %u",
		    (unsigned)o->owner_uid);
}

static void
set_up_namespaces(const struct nsunshare_opts *o, const struct caller *me,
		  bool uid_self, bool gid_self)
{
	become_owner(o);
	unshare_namespaces(o->flags);
	write_own_maps(o, me, uid_self, gid_self);
	set_time_offsets(o);
	set_names(o);
	bring_up_loopback(o);
	set_propagation(o);
}

/* Without -f: we become the program. */
static noreturn void
exec_in_place(const struct nsunshare_opts *o, const struct caller *me,
	      int helper)
{
	ino_t ino[NS_NTYPES];

	read_new_inodes(o, ino);
	finish_helper(o, &helper);
	undo_persist_on_failure(o, helper);
	write_info(o, getpid(), ino);
	run_program(o, o->die_with_parent ? SIGKILL : 0, me->ppid, -1);
}

/* A child forked but not yet told to go; ABANDON_CHILD ends it. */
struct unstarted {
	pid_t pid; /* 0 once it runs, or is gone */
	int ready; /* our end of its pipe */
};

/*
 * on_exit(3): we fail after the fork but before the child ran the program.
 * Closing the pipe makes the child give up; we wait until it has, so that
 * nothing of ours runs on once we returned.
 */
static void
abandon_child(int status, void *arg)
{
	struct unstarted *c = arg;

	(void)status;
	if (c->pid <= 0)
		return;
	close(c->ready);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* With -f: the program is our child; we forward signals and end as it. */
static noreturn void
fork_and_wait(const struct nsunshare_opts *o, const struct caller *me,
	      int helper)
{
	struct unstarted pending; /* valid at exit: we never return */
	ino_t ino[NS_NTYPES];
	sigset_t oldmask;
	int ready[2], alive, child_proc;
	pid_t child;

	ns_block_forwarded_signals(&oldmask);
	if (pipe2(ready, O_CLOEXEC) != 0)
		err(NS_EXIT_OWN_FAILURE, "pipe");
	child = fork();
	if (child < 0)
		err(NS_EXIT_OWN_FAILURE, "fork");
	if (child == 0) {
		alive = wait_until_ready(ready);
		undo_persist_on_failure(o, helper);
		if (sigprocmask(SIG_SETMASK, &oldmask, NULL) != 0)
			err(NS_EXIT_OWN_FAILURE, "sigprocmask");
		if (o->info_fd >= 0)
			close(o->info_fd);
		run_program(o,
			    o->kill_child	 ? o->kill_child
			    : o->die_with_parent ? SIGKILL
						 : 0,
			    me->pid, alive);
	}
	close(ready[0]);
	pending = (struct unstarted){ child, ready[1] };
	if (on_exit(abandon_child, &pending) != 0)
		errx(NS_EXIT_OWN_FAILURE, "on_exit failed");
	/* Before the child may mount a new proc on our /proc; and a new PID
	 * namespace shows in pid_for_children only once its init exists. */
	child_proc = ns_open_child_proc(-1, child);
	read_new_inodes(o, ino);
	/* A new PID namespace can be persisted only once its init exists;
	 * if the helper fails, the child sees the pipe close and gives up. */
	finish_helper(o, &helper);
	if (helper >= 0)
		close(helper); /* the child's copy tells the helper */
	if (o->die_with_parent)
		arm_death_signal(SIGKILL, me->ppid, -1);
	/* All that can fail is done before the program starts. */
	write_info(o, child, ino);
	/* ready[1] stays open until we exit: see arm_death_signal. */
	if (write(ready[1], "g", 1) != 1)
		err(NS_EXIT_OWN_FAILURE, "cannot start the child");
	pending.pid = 0;
	ns_forward_and_exit_like_at(child, child_proc);
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
