// SPDX-License-Identifier: GPL-2.0-or-later
// nsmap - write, show, check and translate the uid/gid maps of a user
// namespace.
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nscommon.h"

enum mode { MODE_SHOW, MODE_WRITE, MODE_TRANSLATE, MODE_CHECK };

enum { COL_KIND, COL_INSIDE, COL_OUTSIDE, COL_COUNT, COL_SETGROUPS, NCOLS };

static const struct ns_column columns[NCOLS] = {
	[COL_KIND] = { "KIND", "uid or gid", 4, 0, SCOLS_JSON_STRING },
	[COL_INSIDE] = { "INSIDE", "first id inside the namespace", 10,
			 SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_OUTSIDE] = { "OUTSIDE", "first id as seen from here", 10,
			  SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_COUNT] = { "COUNT", "number of ids in the range", 10,
			SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_SETGROUPS] = { "SETGROUPS", "setgroups(2) allowed or denied", 5, 0,
			    SCOLS_JSON_STRING },
};

struct nsmap_opts {
	enum mode mode;
	bool show, check, auto_map, outside;
	const char *setgroups; /* NULL, "allow" or "deny" */
	struct ns_idmap uid_map, gid_map;
	const char *id_arg; /* --uid/--gid value */
	bool translate_gid;
	uint32_t id;
	struct ns_output out;
	int cols[NCOLS];
	size_t ncols;
	pid_t pid;
};

/* What the caller is, fixed once at start. */
struct caller {
	uid_t uid;
	gid_t gid;
	bool root;
	char *name; /* NULL when the uid has no account */
};

static noreturn void
usage(void)
{
	printf("Usage:\n"
	       " nsmap [-u MAP] [-g MAP] [--setgroups=allow|deny] PID\n"
	       " nsmap --auto [--setgroups=allow|deny] PID\n"
	       " nsmap [--show] [-J|-r] [-n] [-o LIST] [--output-all] PID\n"
	       " nsmap --uid=ID|--gid=ID [--outside] PID\n"
	       " nsmap --check [-u MAP] [-g MAP] PID\n"
	       "\n"
	       "Write, show, check or translate the uid/gid maps of the user\n"
	       "namespace of PID.  MAP is INSIDE:OUTSIDE:COUNT[,...].\n"
	       "\n"
	       "Options:\n"
	       " -u, --map-uid MAP        write the uid map\n"
	       " -g, --map-gid MAP        write the gid map\n"
	       " -a, --auto               map your own ids and subordinate "
	       "ranges\n"
	       "     --setgroups=WHAT     allow or deny setgroups(2) first\n"
	       " -s, --show               print the maps (default)\n"
	       "     --uid=ID             translate a uid from inside to here\n"
	       "     --gid=ID             translate a gid from inside to here\n"
	       "     --outside            translate from here to inside "
	       "instead\n"
	       " -c, --check              warn about ranges that overlap "
	       "accounts\n"
	       "                          or other namespaces; write nothing\n"
	       " -J, --json               JSON output\n"
	       " -r, --raw                raw output\n"
	       " -n, --noheadings         no header line\n"
	       " -o, --output LIST        columns to print\n"
	       "     --output-all         print every column\n"
	       " -H, --list-columns       list the columns\n"
	       " -h, --help               print this help\n"
	       " -V, --version            print the version\n");
	exit(NS_EXIT_OK);
}

static void
add_map_spec(struct ns_idmap *map, const char *spec, const char *kind)
{
	const char *why;

	if (ns_idmap_add_spec(map, spec, &why) != 0)
		ns_usage_error(NS_EXIT_USAGE, "invalid %s map '%s': %s", kind,
			       spec, why);
}

static void
parse_translate_id(struct nsmap_opts *o)
{
	uid_t uid;
	gid_t gid;
	int rc;

	/* A name means something only in our own namespace's database. */
	if (o->outside && o->translate_gid)
		rc = ns_parse_gid(o->id_arg, &gid), uid = gid;
	else if (o->outside)
		rc = ns_parse_uid(o->id_arg, &uid);
	else
		rc = ns_parse_u32(o->id_arg, &uid);
	if (rc != 0 || uid == (uid_t)-1)
		ns_usage_error(NS_EXIT_USAGE, "invalid %s: '%s'",
			       o->translate_gid ? "gid" : "uid", o->id_arg);
	o->id = uid;
}

static void
pick_mode(struct nsmap_opts *o)
{
	bool write =
		o->uid_map.n || o->gid_map.n || o->auto_map || o->setgroups;

	if (o->auto_map && (o->uid_map.n || o->gid_map.n))
		ns_usage_error(
			NS_EXIT_USAGE,
			"--auto and --map-uid/--map-gid exclude each other");
	if (o->id_arg != NULL) {
		if (write || o->show || o->check)
			ns_usage_error(NS_EXIT_USAGE,
				       "--uid/--gid translate only");
		o->mode = MODE_TRANSLATE;
	} else if (o->check) {
		if (o->show || o->auto_map || o->setgroups)
			ns_usage_error(
				NS_EXIT_USAGE,
				"--check takes only --map-uid/--map-gid");
		o->mode = MODE_CHECK;
	} else if (write) {
		if (o->show)
			ns_usage_error(
				NS_EXIT_USAGE,
				"--show and writing a map exclude each other");
		o->mode = MODE_WRITE;
	} else {
		o->mode = MODE_SHOW;
	}
	if (o->outside && o->mode != MODE_TRANSLATE)
		ns_usage_error(NS_EXIT_USAGE, "--outside needs --uid or --gid");
}

static void
parse_args(int argc, char **argv, struct nsmap_opts *o)
{
	enum {
		OPT_SETGROUPS = CHAR_MAX + 1,
		OPT_UID,
		OPT_GID,
		OPT_OUTSIDE,
	};
	static const struct option longopts[] = {
		{ "map-uid", required_argument, NULL, 'u' },
		{ "map-gid", required_argument, NULL, 'g' },
		{ "auto", no_argument, NULL, 'a' },
		{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
		{ "show", no_argument, NULL, 's' },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "outside", no_argument, NULL, OPT_OUTSIDE },
		{ "check", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, NS_OPT_OUTPUT_ALL },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->out.json_name = "idmaps";
	while ((c = getopt_long(argc, argv, "u:g:ascJrno:HhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'u':
			add_map_spec(&o->uid_map, optarg, "uid");
			break;
		case 'g':
			add_map_spec(&o->gid_map, optarg, "gid");
			break;
		case 'a':
			o->auto_map = true;
			break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") != 0 &&
			    strcmp(optarg, "deny") != 0)
				ns_usage_error(
					NS_EXIT_USAGE,
					"--setgroups takes allow or deny, not "
					"'%s'",
					optarg);
			o->setgroups = optarg;
			break;
		case 's':
			o->show = true;
			break;
		case OPT_UID:
		case OPT_GID:
			if (o->id_arg != NULL)
				ns_usage_error(NS_EXIT_USAGE,
					       "translate one id at a time");
			o->id_arg = optarg;
			o->translate_gid = c == OPT_GID;
			break;
		case OPT_OUTSIDE:
			o->outside = true;
			break;
		case 'c':
			o->check = true;
			break;
		case 'h':
			usage();
		case 'V':
			ns_print_version();
		default:
			if (!ns_output_option(c, optarg, &o->out))
				ns_try_help(NS_EXIT_USAGE);
		}
	}
	for (int i = 0; i < NCOLS; i++)
		o->cols[i] = i;
	o->ncols = NCOLS;
	ns_output_columns(&o->out, columns, NCOLS, o->cols, &o->ncols, NCOLS);
	if (optind == argc)
		ns_usage_error(NS_EXIT_USAGE, "no PID given");
	if (argc - optind > 1)
		ns_usage_error(NS_EXIT_USAGE, "unexpected argument '%s'",
			       argv[optind + 1]);
	if (ns_parse_pid(argv[optind], &o->pid) != 0)
		ns_usage_error(NS_EXIT_USAGE, "invalid PID '%s'", argv[optind]);
	pick_mode(o);
	if (o->mode == MODE_TRANSLATE)
		parse_translate_id(o);
}

/*
 * Installed with file capabilities, nsmap holds privilege the caller lacks:
 * keep only what writing a map needs, and take nothing from the environment.
 * A setuid install would also give us the file-owner's other powers (and a
 * real/effective split the kernel's map checks do not expect): refuse it.
 */
static void
limit_privilege(struct caller *me)
{
	static const int keep[] = { CAP_SETUID, CAP_SETGID, CAP_SETFCAP };
	struct passwd *pw;

	if (getuid() != geteuid() || getgid() != getegid())
		errx(NS_EXIT_FAIL, "refusing to run setuid or setgid: install "
				   "with file capabilities instead");
	me->uid = getuid();
	me->gid = getgid();
	me->root = me->uid == 0;
	if (!me->root) {
		if (clearenv() != 0)
			errx(NS_EXIT_FAIL, "cannot clear the environment");
		if (ns_caps_limit(keep, ARRAY_SIZE(keep)) != 0)
			err(NS_EXIT_FAIL, "cannot drop capabilities");
	}
	errno = 0;
	pw = getpwuid(me->uid);
	me->name = NULL;
	if (pw != NULL && (me->name = strdup(pw->pw_name)) == NULL)
		err(NS_EXIT_FAIL, "cannot allocate memory");
}

static void
open_target(pid_t pid, struct ns_proc *p)
{
	if (ns_proc_open(pid, p) != 0) {
		if (errno == ESRCH)
			errx(NS_EXIT_FAIL, "no process with PID %d", (int)pid);
		err(NS_EXIT_FAIL, "cannot open PID %d", (int)pid);
	}
}

static void
read_map(const struct ns_proc *p, const char *file, struct ns_idmap *map)
{
	if (ns_idmap_read(p->procfd, file, map) != 0)
		err(NS_EXIT_FAIL, "cannot read %s of PID %d", file,
		    (int)p->pid);
}

static void
read_setgroups(const struct ns_proc *p, char *buf, size_t size)
{
	if (ns_setgroups_read(p->procfd, buf, size) != 0)
		err(NS_EXIT_FAIL, "cannot read setgroups of PID %d",
		    (int)p->pid);
}

/* ---- show --------------------------------------------------------------- */

/* A row per range; R NULL for a map not written yet (empty numbers). */
static void
add_row(struct libscols_table *tb, const struct nsmap_opts *o, const char *kind,
	const struct ns_idrange *r, const char *setgroups)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (ln == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	for (size_t i = 0; i < o->ncols; i++) {
		char num[16];
		const char *data = num;

		switch (o->cols[i]) {
		case COL_KIND:
			data = kind;
			break;
		case COL_INSIDE:
			if (r != NULL)
				snprintf(num, sizeof(num), "%u", r->inside);
			break;
		case COL_OUTSIDE:
			if (r != NULL)
				snprintf(num, sizeof(num), "%u", r->outside);
			break;
		case COL_COUNT:
			if (r != NULL)
				snprintf(num, sizeof(num), "%u", r->count);
			break;
		default:
			data = setgroups;
			break;
		}
		if (r == NULL && data == num)
			data = NULL;
		if (scols_line_set_data(ln, i, data) != 0)
			err(NS_EXIT_FAIL, "cannot make the table");
	}
}

static int
show_maps(const struct nsmap_opts *o, const struct ns_proc *p)
{
	struct ns_idmap uids, gids;
	struct libscols_table *tb;
	char setgroups[16];

	read_map(p, "uid_map", &uids);
	read_map(p, "gid_map", &gids);
	read_setgroups(p, setgroups, sizeof(setgroups));
	tb = ns_table_new(&o->out, columns, o->cols, o->ncols);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	/* A map not written yet is a row too: its setgroups state shows. */
	for (size_t i = 0; i < uids.n || i == 0; i++)
		add_row(tb, o, "uid", uids.n ? &uids.r[i] : NULL, setgroups);
	for (size_t i = 0; i < gids.n || i == 0; i++)
		add_row(tb, o, "gid", gids.n ? &gids.r[i] : NULL, setgroups);
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
	return NS_EXIT_OK;
}

/* ---- translate ----------------------------------------------------------- */

static int
translate_id(const struct nsmap_opts *o, const struct ns_proc *p)
{
	const char *kind = o->translate_gid ? "gid" : "uid";
	struct ns_idmap map;
	struct stat self;
	uint32_t out;
	bool same;

	read_map(p, o->translate_gid ? "gid_map" : "uid_map", &map);
	/*
	 * Read from inside the namespace, the map shows the parent's ids, not
	 * ours: there, a mapped id is itself, both ways.
	 */
	if (stat("/proc/self/ns/user", &self) != 0)
		err(NS_EXIT_FAIL, "cannot read your user namespace");
	same = ns_inode_at(p->procfd, "user") == self.st_ino;
	if (ns_idmap_translate(&map, o->id, same || !o->outside, &out) != 0) {
		if (o->outside)
			warnx("%s %u is not mapped into the user namespace of "
			      "PID %d",
			      kind, o->id, (int)p->pid);
		else
			warnx("%s %u of the user namespace of PID %d is not "
			      "mapped",
			      kind, o->id, (int)p->pid);
		return NS_EXIT_FAIL;
	}
	printf("%u\n", same ? o->id : out);
	return NS_EXIT_OK;
}

/* ---- check --------------------------------------------------------------- */

static bool
in_range(const struct ns_idrange *r, uint32_t id)
{
	return id >= r->outside &&
	       (uint64_t)id < (uint64_t)r->outside + r->count;
}

static bool
ranges_meet(const struct ns_idrange *a, const struct ns_idrange *b)
{
	return a->outside < (uint64_t)b->outside + b->count &&
	       b->outside < (uint64_t)a->outside + a->count;
}

/* Accounts in the passwd or group database whose id a range maps. */
static int
check_accounts(const struct ns_idmap *map, bool gid, const struct caller *me)
{
	uint32_t own = gid ? me->gid : me->uid;
	int found = 0;

	gid ? setgrent() : setpwent();
	for (;;) {
		struct passwd *pw = NULL;
		struct group *gr = NULL;
		const char *name;
		uint32_t id;

		if (gid && (gr = getgrent()) != NULL)
			name = gr->gr_name, id = gr->gr_gid;
		else if (!gid && (pw = getpwent()) != NULL)
			name = pw->pw_name, id = pw->pw_uid;
		else
			break;
		/* Mapping yourself is what a map is for. */
		if (id == own)
			continue;
		for (size_t i = 0; i < map->n; i++) {
			if (!in_range(&map->r[i], id))
				continue;
			warnx("%s range %u-%u maps the %s '%s' (%s %u)",
			      gid ? "gid" : "uid", map->r[i].outside,
			      map->r[i].outside + (map->r[i].count - 1),
			      gid ? "group" : "user", name, gid ? "gid" : "uid",
			      id);
			found++;
		}
	}
	gid ? endgrent() : endpwent();
	return found;
}

/* Has a process in the user namespace INO already been looked at? */
static bool
seen_before(ino_t **seen, size_t *nseen, ino_t ino)
{
	ino_t *more;

	for (size_t i = 0; i < *nseen; i++)
		if ((*seen)[i] == ino)
			return true;
	more = reallocarray(*seen, *nseen + 1, sizeof(**seen));
	if (more == NULL)
		err(NS_EXIT_FAIL, "cannot allocate memory");
	*seen = more;
	(*seen)[(*nseen)++] = ino;
	return false;
}

/* Other live user namespaces (not ours, not the target's) sharing ids. */
static int
check_namespaces(const struct ns_idmap *uids, const struct ns_idmap *gids,
		 const struct ns_proc *target)
{
	ino_t *seen = NULL;
	size_t nseen = 0;
	struct dirent *d;
	int found = 0;
	DIR *proc;

	proc = opendir("/proc");
	if (proc == NULL)
		err(NS_EXIT_FAIL, "cannot open /proc");
	(void)seen_before(&seen, &nseen, ns_inode_at(target->procfd, "user"));
	{
		struct stat st;

		if (stat("/proc/self/ns/user", &st) == 0)
			(void)seen_before(&seen, &nseen, st.st_ino);
	}
	while ((d = readdir(proc)) != NULL) {
		struct ns_idmap other;
		struct ns_proc p;
		pid_t pid;
		ino_t ino;

		if (ns_parse_pid(d->d_name, &pid) != 0 ||
		    ns_proc_open(pid, &p) != 0)
			continue;
		ino = ns_inode_at(p.procfd, "user");
		if (ino == 0 || seen_before(&seen, &nseen, ino)) {
			ns_proc_close(&p);
			continue;
		}
		for (int k = 0; k < 2; k++) {
			const struct ns_idmap *mine = k ? gids : uids;

			if (ns_idmap_read(p.procfd, k ? "gid_map" : "uid_map",
					  &other) != 0)
				continue;
			for (size_t i = 0; i < mine->n; i++)
				for (size_t j = 0; j < other.n; j++) {
					if (!ranges_meet(&mine->r[i],
							 &other.r[j]))
						continue;
					warnx("%s range %u-%u is also mapped "
					      "by "
					      "the user namespace of PID %d",
					      k ? "gid" : "uid",
					      mine->r[i].outside,
					      mine->r[i].outside +
						      (mine->r[i].count - 1),
					      (int)pid);
					found++;
				}
		}
		ns_proc_close(&p);
	}
	closedir(proc);
	free(seen);
	return found;
}

static int
check_maps(const struct nsmap_opts *o, const struct ns_proc *p,
	   const struct caller *me)
{
	struct ns_idmap uids = o->uid_map, gids = o->gid_map;
	int found;

	/* Without a map to check, check what the namespace has. */
	if (uids.n == 0 && gids.n == 0) {
		read_map(p, "uid_map", &uids);
		read_map(p, "gid_map", &gids);
	}
	found = check_accounts(&uids, false, me) +
		check_accounts(&gids, true, me) +
		check_namespaces(&uids, &gids, p);
	return found ? NS_EXIT_FAIL : NS_EXIT_OK;
}

/* ---- write --------------------------------------------------------------- */

/* The kernel lets only the namespace's owner (or root) act for it. */
static void
check_owner(const struct ns_proc *p, const struct caller *me)
{
	uid_t owner;
	int fd;

	fd = ns_proc_open_ns(p, "user");
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open the user namespace of PID %d",
		    (int)p->pid);
	if (ioctl(fd, NS_GET_OWNER_UID, &owner) != 0)
		err(NS_EXIT_FAIL,
		    "cannot get the owner of the user namespace "
		    "of PID %d",
		    (int)p->pid);
	close(fd);
	if (!me->root && owner != me->uid)
		errx(NS_EXIT_FAIL,
		     "the user namespace of PID %d belongs to "
		     "uid %u, not to you (uid %u)",
		     (int)p->pid, (unsigned)owner, (unsigned)me->uid);
}

/*
 * Is [START, START+COUNT) inside the union of the subordinate RANGES?  As
 * newuidmap: ranges that touch may be spanned.
 */
static bool
covered(uint32_t start, uint32_t count, const struct ns_idrange *ranges,
	size_t n)
{
	uint64_t at = start, end = (uint64_t)start + count;
	bool moved = true;

	while (at < end && moved) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			uint64_t rs = ranges[i].outside,
				 re = rs + ranges[i].count;

			if (at >= rs && at < re) {
				at = re;
				moved = true;
			}
		}
	}
	return at >= end;
}

/*
 * An unprivileged caller may map its own id (one id) and the ranges
 * /etc/subuid or /etc/subgid give it.  Returns whether any range came from
 * the subordinate file: a gid map made of the caller's own gid alone needs
 * setgroups denied (CVE-2018-7169).
 */
static bool
check_allowed(const struct ns_idmap *map, bool gid, const struct caller *me)
{
	const char *path = gid ? "/etc/subgid" : "/etc/subuid";
	struct ns_idrange sub[NS_IDMAP_MAX];
	bool from_sub = false;
	int n;

	n = ns_subid_ranges(path, me->name, gid ? me->gid : me->uid, sub,
			    NS_IDMAP_MAX);
	if (n < 0)
		err(NS_EXIT_FAIL, "cannot read %s", path);
	for (size_t i = 0; i < map->n; i++) {
		const struct ns_idrange *r = &map->r[i];

		if (covered(r->outside, r->count, sub, (size_t)n)) {
			from_sub = true;
			continue;
		}
		if (r->count == 1 && r->outside == (gid ? me->gid : me->uid))
			continue;
		errx(NS_EXIT_FAIL,
		     "%s range %u-%u (inside %u) is neither your "
		     "own %s nor yours in %s",
		     gid ? "gid" : "uid", r->outside,
		     r->outside + (r->count - 1), r->inside,
		     gid ? "gid" : "uid", path);
	}
	return from_sub;
}

static void
check_not_written(const struct ns_proc *p, const char *file, const char *kind)
{
	struct ns_idmap now;

	read_map(p, file, &now);
	if (now.n != 0)
		errx(NS_EXIT_FAIL, "%s map of PID %d is already written", kind,
		     (int)p->pid);
}

/* --auto: own id as 0, then every subordinate range, in file order. */
static void
auto_map(struct ns_idmap *map, bool gid, const struct caller *me)
{
	const char *path = gid ? "/etc/subgid" : "/etc/subuid";
	struct ns_idrange sub[NS_IDMAP_MAX];
	uint32_t next = 1;
	const char *why;
	int n;

	n = ns_subid_ranges(path, me->name, gid ? me->gid : me->uid, sub,
			    NS_IDMAP_MAX);
	if (n < 0)
		err(NS_EXIT_FAIL, "cannot read %s", path);
	map->n = 0;
	if (ns_idmap_add(map, 0, gid ? me->gid : me->uid, 1, &why) != 0)
		errx(NS_EXIT_FAIL, "cannot map your own %s: %s",
		     gid ? "gid" : "uid", why);
	for (int i = 0; i < n; i++) {
		if (ns_idmap_add(map, next, sub[i].outside, sub[i].count,
				 &why) != 0)
			errx(NS_EXIT_FAIL,
			     "cannot map %s range %u-%u from %s: %s",
			     gid ? "gid" : "uid", sub[i].outside,
			     sub[i].outside + (sub[i].count - 1), path, why);
		next += sub[i].count;
	}
}

static bool
maps_outside_root(const struct ns_idmap *map)
{
	for (size_t i = 0; i < map->n; i++)
		if (map->r[i].outside == 0)
			return true;
	return false;
}

/*
 * The kernel takes one map from a caller without privilege: a single line
 * of its own id.  Anything more needs the capability nsmap is installed
 * with; find out before the first write, or the kernel would refuse the
 * second map after setgroups or the first map is already made.
 */
static void
check_capable(const struct ns_proc *p, const struct ns_idmap *map, bool gid,
	      const struct caller *me)
{
	uint32_t own = gid ? me->gid : me->uid;
	int cap = gid ? CAP_SETGID : CAP_SETUID;

	if (map->n == 0 ||
	    (map->n == 1 && map->r[0].count == 1 && map->r[0].outside == own))
		return;
	if (ns_caps_effective(cap) &&
	    (gid || !maps_outside_root(map) || ns_caps_effective(CAP_SETFCAP)))
		return;
	errx(NS_EXIT_FAIL,
	     "cannot write %s map of PID %d: %s (ranges beyond your own "
	     "id need nsmap installed with file capabilities)",
	     gid ? "gid" : "uid", (int)p->pid, strerror(EPERM));
}

/*
 * Hold in the effective set only the capability this one write needs
 * (CAP_SETFCAP: the kernel asks for it when outside uid 0 is mapped).
 */
static void
write_map(const struct ns_proc *p, const char *kind, const struct ns_idmap *map,
	  const struct caller *me)
{
	const char *file = kind[0] == 'u' ? "uid_map" : "gid_map";
	int need[2] = { kind[0] == 'u' ? CAP_SETUID : CAP_SETGID, CAP_SETFCAP };
	size_t nneed = kind[0] == 'u' && maps_outside_root(map) ? 2 : 1;

	if (!me->root && ns_caps_effective_only(need, nneed) != 0)
		err(NS_EXIT_FAIL, "cannot set capabilities");
	/* A missing capability was refused before the first write
	 * (check_capable): a refusal here is the kernel's own. */
	if (ns_idmap_write(p->procfd, file, map) != 0)
		err(NS_EXIT_FAIL, "cannot write %s map of PID %d", kind,
		    (int)p->pid);
}

static int
write_maps(struct nsmap_opts *o, const struct ns_proc *p,
	   const struct caller *me)
{
	const char *setgroups = o->setgroups;
	bool gid_from_sub = true;
	char now[16];

	check_owner(p, me);
	if (o->auto_map) {
		auto_map(&o->uid_map, false, me);
		auto_map(&o->gid_map, true, me);
	}
	if (!me->root) {
		(void)check_allowed(&o->uid_map, false, me);
		gid_from_sub = check_allowed(&o->gid_map, true, me);
		check_capable(p, &o->uid_map, false, me);
		check_capable(p, &o->gid_map, true, me);
	}
	if (o->uid_map.n)
		check_not_written(p, "uid_map", "uid");
	if (o->gid_map.n)
		check_not_written(p, "gid_map", "gid");
	if (o->gid_map.n && !gid_from_sub) {
		if (setgroups != NULL && strcmp(setgroups, "allow") == 0)
			errx(NS_EXIT_FAIL,
			     "--setgroups=allow: a gid map of your "
			     "own gid alone needs setgroups "
			     "denied");
		setgroups = "deny";
	}
	if (setgroups != NULL) {
		read_setgroups(p, now, sizeof(now));
		if (strcmp(now, setgroups) != 0 &&
		    ns_setgroups_write(p->procfd, setgroups) != 0)
			err(NS_EXIT_FAIL,
			    "cannot write '%s' to setgroups of "
			    "PID %d",
			    setgroups, (int)p->pid);
	}
	if (o->uid_map.n)
		write_map(p, "uid", &o->uid_map, me);
	if (o->gid_map.n)
		write_map(p, "gid", &o->gid_map, me);
	return NS_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct nsmap_opts opts;
	struct caller me;
	struct ns_proc p;
	int status;

	limit_privilege(&me);
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	parse_args(argc, argv, &opts);
	open_target(opts.pid, &p);
	switch (opts.mode) {
	case MODE_WRITE:
		status = write_maps(&opts, &p, &me);
		break;
	case MODE_TRANSLATE:
		status = translate_id(&opts, &p);
		break;
	case MODE_CHECK:
		status = check_maps(&opts, &p, &me);
		break;
	default:
		status = show_maps(&opts, &p);
		break;
	}
	ns_proc_close(&p);
	free(me.name);
	return status;
}
