// SPDX-License-Identifier: GPL-2.0-or-later
// nsmap - write, show, check and translate the uid/gid maps of a user
// namespace.
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/capability.h>

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
	const char *setgroups;		  /* NULL, "allow" or "deny" */
	struct ns_idmap map[NS_NIDKINDS]; /* -u and -g, by NS_UID, NS_GID */
	const char *id_arg;		  /* --uid/--gid value */
	int id_kind; /* NS_UID for --uid, NS_GID for --gid */
	uint32_t id;
	struct ns_output out;
	int cols[NCOLS];
	size_t ncols;
	pid_t pid;
	bool newidmap; /* "-u PID INSIDE OUTSIDE COUNT...", newuidmap's order */
	int newidmap_kind; /* the kind of that map */
};

/* What the caller is, fixed once at start. */
struct caller {
	uint32_t id[NS_NIDKINDS]; /* real uid and gid: id[NS_UID], id[NS_GID] */
	bool root;
	char *name;   /* NULL when the uid has no account */
	gid_t pw_gid; /* the account's primary group */
};

static noreturn void
usage(void)
{
	printf("Usage:\n"
	       " nsmap [-u MAP] [-g MAP] [-s allow|deny] PID\n"
	       " nsmap -u|-g PID INSIDE OUTSIDE COUNT... [-s allow|deny]\n"
	       " nsmap --auto [-s allow|deny] PID\n"
	       " nsmap [--show] [-J|-r] [-n] [-o LIST] [--output-all] PID\n"
	       " nsmap --uid=ID|--gid=ID [--outside] PID\n"
	       " nsmap --check [-u MAP] [-g MAP] PID\n"
	       "\n"
	       "Write, show, check or translate the uid/gid maps of the user\n"
	       "namespace of PID.  MAP is INSIDE:OUTSIDE:COUNT[,...]; the\n"
	       "second form takes newuidmap's and newgidmap's order.\n"
	       "\n"
	       "Options:\n"
	       " -u, --map-uid MAP        write the uid map\n"
	       " -g, --map-gid MAP        write the gid map\n"
	       " -a, --auto               map your own ids and subordinate ranges\n"
	       " -s, --setgroups WHAT     allow or deny setgroups(2) first\n"
	       "     --show               print the maps (default)\n"
	       "     --uid=ID             translate a uid from inside to here\n"
	       "     --gid=ID             translate a gid from inside to here\n"
	       "     --outside            translate from here to inside instead\n"
	       " -c, --check              warn about ranges that overlap accounts\n"
	       "                            or other namespaces; write nothing\n"
	       " -J, --json               JSON output\n"
	       " -r, --raw                raw output: no padding, one space between cells\n"
	       " -n, --noheadings         no header line\n"
	       " -o, --output LIST        columns to print (+LIST adds to the default)\n"
	       "     --output-all         print every column\n"
	       " -H, --list-columns       list the columns and exit\n");
	ns_usage_help_version(26);
	ns_usage_man_tail(1);
	exit(NS_EXIT_OK);
}

/*
 * "-u PID INSIDE OUTSIDE COUNT ...": newuidmap's order.  A bare number is
 * never a MAP (a range has three numbers), so it can only be the PID.
 */
static bool
is_newidmap_pid(const char *arg, struct nsmap_opts *o, int kind)
{
	pid_t pid;

	if (ns_parse_pid(arg, &pid) != 0)
		return false;
	if (o->newidmap)
		ns_usage_error(
			NS_EXIT_USAGE,
			"-%c PID: newuidmap's order takes one map a run (already -%c PID)",
			ns_idkinds[kind].opt, ns_idkinds[o->newidmap_kind].opt);
	o->newidmap = true;
	o->newidmap_kind = kind;
	o->pid = pid;
	return true;
}

/* -u or -g (KIND) with ARG: a MAP, or the PID of newuidmap's order. */
static void
add_map_arg(struct nsmap_opts *o, int kind, const char *arg)
{
	const char *why;

	if (is_newidmap_pid(arg, o, kind))
		return;
	if (ns_idmap_add_spec(&o->map[kind], arg, &why) != 0)
		ns_usage_error(NS_EXIT_USAGE, "invalid %s map: '%s': %s",
			       ns_idkinds[kind].name, arg, why);
}

/* The operands after PID in newuidmap's order: INSIDE OUTSIDE COUNT... */
static void
add_newidmap_ranges(struct nsmap_opts *o, char **args, int n)
{
	struct ns_idmap *map = &o->map[o->newidmap_kind];
	const char *kind = ns_idkinds[o->newidmap_kind].name;
	const char *why;

	if (n == 0 || n % 3 != 0)
		ns_usage_error(
			NS_EXIT_USAGE,
			"-%c PID takes INSIDE OUTSIDE COUNT, three numbers a range (%d given)",
			ns_idkinds[o->newidmap_kind].opt, n);
	for (int i = 0; i < n; i += 3) {
		uint32_t v[3];

		for (int k = 0; k < 3; k++)
			if (ns_parse_u32(args[i + k], &v[k]) != 0)
				ns_usage_error(
					NS_EXIT_USAGE,
					"invalid %s map: '%s': not a number",
					kind, args[i + k]);
		if (ns_idmap_add(map, v[0], v[1], v[2], &why) != 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "invalid %s map: '%s %s %s': %s", kind,
				       args[i], args[i + 1], args[i + 2], why);
	}
}

static void
parse_translate_id(struct nsmap_opts *o)
{
	uid_t uid;
	gid_t gid;
	int rc;

	/* A name means something only in our own namespace's database. */
	if (o->outside && o->id_kind == NS_GID)
		rc = ns_parse_gid(o->id_arg, &gid), uid = gid;
	else if (o->outside)
		rc = ns_parse_uid(o->id_arg, &uid);
	else
		rc = ns_parse_u32(o->id_arg, &uid);
	if (rc != 0 || uid == (uid_t)-1)
		ns_usage_invalid(NS_EXIT_USAGE, ns_idkinds[o->id_kind].name,
				 o->id_arg);
	o->id = uid;
}

static bool
has_map(const struct nsmap_opts *o)
{
	return o->map[NS_UID].n || o->map[NS_GID].n;
}

/*
 * -s was --show until nsunshare's -s (--setgroups) took the letter for the
 * whole suite.  "-s PID" and "-s -J" of an old script still show the maps:
 * a separate word after -s that is neither allow nor deny is read again as
 * the next argument.
 */
static void
parse_short_s(char **argv, struct nsmap_opts *o)
{
	if (strcmp(optarg, "allow") == 0 || strcmp(optarg, "deny") == 0) {
		o->setgroups = optarg;
		return;
	}
	const char *opt = optind >= 2 ? argv[optind - 2] : "";

	/* "-s WORD" or "-rs WORD": the word is argv[optind - 1] itself. */
	if (optind >= 2 && optarg == argv[optind - 1] && opt[0] == '-' &&
	    opt[1] != '-' && opt[strlen(opt) - 1] == 's') {
		warnx("-s without allow or deny is read as --show; use --show (-s means --setgroups now)");
		o->show = true;
		optind--;
		return;
	}
	ns_usage_error(
		NS_EXIT_USAGE,
		"invalid -s value (allow or deny): '%s' (--show has no short option now)",
		optarg);
}

/* What follows the options: PID, or newuidmap's INSIDE OUTSIDE COUNT... */
static void
parse_operands(char **args, int n, struct nsmap_opts *o)
{
	if (o->newidmap) {
		add_newidmap_ranges(o, args, n);
		return;
	}
	if (n == 0)
		ns_usage_error(NS_EXIT_USAGE, "no PID given");
	if (n > 1)
		ns_usage_error(
			NS_EXIT_USAGE,
			"unexpected argument '%s' (a map is -u INSIDE:OUTSIDE:COUNT PID, or -u PID INSIDE OUTSIDE COUNT in newuidmap's order)",
			args[1]);
	if (ns_parse_pid(args[0], &o->pid) != 0)
		ns_usage_invalid(NS_EXIT_USAGE, "PID", args[0]);
}

static void
// NOLINTNEXTLINE(readability-function-size): usage and parse_args may be longer
parse_args(int argc, char **argv, struct nsmap_opts *o)
{
	enum {
		OPT_SHOW = CHAR_MAX + 1,
		OPT_UID,
		OPT_GID,
		OPT_OUTSIDE,
	};
	static const struct option longopts[] = {
		{ "map-uid", required_argument, NULL, 'u' },
		{ "map-gid", required_argument, NULL, 'g' },
		{ "auto", no_argument, NULL, 'a' },
		{ "setgroups", required_argument, NULL, 'S' },
		{ "show", no_argument, NULL, OPT_SHOW },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "outside", no_argument, NULL, OPT_OUTSIDE },
		{ "check", no_argument, NULL, 'c' },
		NS_OUTPUT_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->out.json_name = "idmaps";
	/* 'S' is --setgroups by its long name only: no -S letter. */
	while ((c = getopt_long(argc, argv, "u:g:as:cJrno:HhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'u':
			add_map_arg(o, NS_UID, optarg);
			break;
		case 'g':
			add_map_arg(o, NS_GID, optarg);
			break;
		case 'a':
			o->auto_map = true;
			break;
		case 's':
			parse_short_s(argv, o);
			break;
		case 'S':
			if (strcmp(optarg, "allow") != 0 &&
			    strcmp(optarg, "deny") != 0)
				ns_usage_invalid(
					NS_EXIT_USAGE,
					"--setgroups value (allow or deny)",
					optarg);
			o->setgroups = optarg;
			break;
		case OPT_SHOW:
			o->show = true;
			break;
		case OPT_UID:
		case OPT_GID:
			if (o->id_arg != NULL)
				ns_usage_error(NS_EXIT_USAGE,
					       "translate one id at a time");
			o->id_arg = optarg;
			o->id_kind = c == OPT_GID ? NS_GID : NS_UID;
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
	parse_operands(argv + optind, argc - optind, o);
	if (o->id_arg != NULL)
		parse_translate_id(o);
}

/* The options that choose what nsmap does, for the exclusive pairs. */
enum {
	GIVEN_NEWIDMAP,
	GIVEN_MAP,
	GIVEN_AUTO,
	GIVEN_SETGROUPS,
	GIVEN_SHOW,
	GIVEN_ID,
	GIVEN_CHECK,
	NGIVEN
};

/* Pairs of those that cannot go together; the first pair found is reported.
 * --check takes maps to check; the others are one thing to do each. */
static const unsigned char exclusive[][2] = {
	{ GIVEN_NEWIDMAP, GIVEN_AUTO },	  { GIVEN_NEWIDMAP, GIVEN_CHECK },
	{ GIVEN_AUTO, GIVEN_MAP },	  { GIVEN_ID, GIVEN_MAP },
	{ GIVEN_ID, GIVEN_AUTO },	  { GIVEN_ID, GIVEN_SETGROUPS },
	{ GIVEN_ID, GIVEN_SHOW },	  { GIVEN_ID, GIVEN_CHECK },
	{ GIVEN_CHECK, GIVEN_SHOW },	  { GIVEN_CHECK, GIVEN_AUTO },
	{ GIVEN_CHECK, GIVEN_SETGROUPS }, { GIVEN_SHOW, GIVEN_MAP },
	{ GIVEN_SHOW, GIVEN_AUTO },	  { GIVEN_SHOW, GIVEN_SETGROUPS },
};

/*
 * The options that go together, and the one thing they ask for: translate,
 * check, write, or show (the default).
 */
static void
check_args(struct nsmap_opts *o)
{
	char newidmap[32];
	const char *name[NGIVEN] = {
		[GIVEN_NEWIDMAP] = newidmap,
		[GIVEN_MAP] = "--map-uid/--map-gid",
		[GIVEN_AUTO] = "--auto",
		[GIVEN_SETGROUPS] = "--setgroups",
		[GIVEN_SHOW] = "--show",
		[GIVEN_ID] = "--uid/--gid",
		[GIVEN_CHECK] = "--check",
	};
	bool given[NGIVEN] = {
		[GIVEN_NEWIDMAP] = o->newidmap,
		[GIVEN_MAP] = has_map(o),
		[GIVEN_AUTO] = o->auto_map,
		[GIVEN_SETGROUPS] = o->setgroups != NULL,
		[GIVEN_SHOW] = o->show,
		[GIVEN_ID] = o->id_arg != NULL,
		[GIVEN_CHECK] = o->check,
	};

	snprintf(newidmap, sizeof(newidmap), "-%c PID INSIDE OUTSIDE COUNT",
		 ns_idkinds[o->newidmap_kind].opt);
	for (size_t i = 0; i < ARRAY_SIZE(exclusive); i++) {
		int a = exclusive[i][0], b = exclusive[i][1];

		if (given[a] && given[b])
			ns_usage_exclusive(NS_EXIT_USAGE, name[a], name[b]);
	}
	if (given[GIVEN_ID])
		o->mode = MODE_TRANSLATE;
	else if (o->check)
		o->mode = MODE_CHECK;
	else if (has_map(o) || o->auto_map || o->setgroups)
		o->mode = MODE_WRITE;
	else
		o->mode = MODE_SHOW;
	if (o->outside && o->mode != MODE_TRANSLATE)
		ns_usage_error(NS_EXIT_USAGE, "--outside needs --uid or --gid");
}

/* ---- capabilities -------------------------------------------------------- */

/*
 * Make the effective set exactly KEEP[0..N), those of them permitted.
 * With DROP_REST the permitted set too, and inheritable and ambient end
 * empty: all nsmap holds from then on.  0 or -1 with errno.
 */
static int
caps_only(const int *keep, size_t n, bool drop_rest)
{
	cap_t now = cap_get_proc(), want;
	int rc = -1;

	if (now == NULL)
		return -1;
	want = drop_rest ? cap_init() : cap_dup(now);
	if (want == NULL || cap_clear_flag(want, CAP_EFFECTIVE) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		cap_flag_value_t permitted;
		cap_value_t c = keep[i];

		if (cap_get_flag(now, c, CAP_PERMITTED, &permitted) != 0)
			goto out;
		if (permitted != CAP_SET)
			continue;
		if (cap_set_flag(want, CAP_PERMITTED, 1, &c, CAP_SET) != 0 ||
		    cap_set_flag(want, CAP_EFFECTIVE, 1, &c, CAP_SET) != 0)
			goto out;
	}
	if (drop_rest && cap_reset_ambient() != 0 && errno != EINVAL)
		goto out;
	rc = cap_set_proc(want);
out:
	cap_free(want);
	cap_free(now);
	return rc;
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
	const char *login;

	if (getuid() != geteuid() || getgid() != getegid())
		errx(NS_EXIT_FAIL,
		     "refusing to run setuid or setgid: install with file capabilities instead");
	me->id[NS_UID] = getuid();
	me->id[NS_GID] = getgid();
	me->root = me->id[NS_UID] == 0;
	if (!me->root) {
		if (clearenv() != 0)
			errx(NS_EXIT_FAIL, "cannot clear the environment");
		if (caps_only(keep, ARRAY_SIZE(keep), true) != 0)
			err(NS_EXIT_FAIL, "cannot drop capabilities");
	}
	/*
	 * Who the caller is, as shadow's get_my_pwent: the login name's
	 * entry if it has the caller's uid (one of several names of a uid),
	 * else the uid's first entry.
	 */
	me->name = NULL;
	me->pw_gid = (gid_t)-1;
	login = getlogin();
	pw = login != NULL && *login != '\0' ? getpwnam(login) : NULL;
	if (pw == NULL || pw->pw_uid != me->id[NS_UID])
		pw = getpwuid(me->id[NS_UID]);
	if (pw != NULL) {
		me->name = strdup(pw->pw_name);
		if (me->name == NULL)
			ns_oom(NS_EXIT_FAIL);
		me->pw_gid = pw->pw_gid;
	}
}

/* ---- /proc, trusted only once checked ----------------------------------- */

/* Inode of the namespace file NAME ("user") below the /proc/PID directory
 * fd, 0 with errno on failure. */
static ino_t
inode_at(int procfd, const char *name)
{
	struct stat st;
	char path[32 + NAME_MAX];

	snprintf(path, sizeof(path), "ns/%s", name);
	if (fstatat(procfd, path, &st, 0) != 0)
		return 0;
	return st.st_ino;
}

/* Inode of our own user namespace, read through a checked /proc. */
static ino_t
own_userns(void)
{
	struct stat st;

	if (ns_own_ns_stat(&ns_types[NS_USER], NULL, &st) != 0)
		err(NS_EXIT_FAIL, "cannot read your user namespace");
	return st.st_ino;
}

/* PID, through /proc checked to be the procfs of our own PID namespace. */
static void
open_target(pid_t pid, struct ns_proc *p)
{
	if (ns_proc_open_or_warn(-1, pid, p) != 0)
		exit(NS_EXIT_FAIL);
}

/*
 * The user namespace of the target as an fd (ns_proc_open_ns: from its
 * pidfd where the kernel can, no path at all, else through the checked
 * /proc/PID); either way it must be a user namespace.
 */
static int
open_target_userns(const struct ns_proc *p)
{
	const struct ns_type *t;
	int fd = ns_proc_open_ns(p, "user");

	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open the user namespace of PID %d",
		    (int)p->pid);
	t = ns_type_of_fd(fd);
	if (t == NULL || t->flag != CLONE_NEWUSER)
		errx(NS_EXIT_FAIL,
		     "cannot trust ns/user of PID %d: not a user namespace",
		     (int)p->pid);
	return fd;
}

static ino_t
fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot stat a namespace");
	return st.st_ino;
}

static void
read_map(const struct ns_proc *p, int kind, struct ns_idmap *map)
{
	const char *file = ns_idkinds[kind].map_file;

	if (ns_idmap_read(p->procfd, file, map) != 0)
		err(NS_EXIT_FAIL, "cannot read %s of PID %d", file,
		    (int)p->pid);
}

static void
read_setgroups(const struct ns_proc *p, char *buf, size_t size)
{
	char *text = ns_proc_read_text(p->procfd, "setgroups");

	if (text == NULL)
		err(NS_EXIT_FAIL, "cannot read setgroups of PID %d",
		    (int)p->pid);
	text[strcspn(text, "\n")] = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
}

/* ---- show --------------------------------------------------------------- */

/* The number a range shows in column COL: COL_INSIDE, _OUTSIDE, _COUNT. */
static uint32_t
range_field(const struct ns_idrange *r, int col)
{
	if (col == COL_INSIDE)
		return r->inside;
	return col == COL_OUTSIDE ? r->outside : r->count;
}

/* A row per range; R NULL for a map not written yet (empty numbers). */
static void
add_row(struct libscols_table *tb, const struct nsmap_opts *o, const char *kind,
	const struct ns_idrange *r, const char *setgroups)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (ln == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	for (size_t i = 0; i < o->ncols; i++) {
		const char *data = NULL;
		char num[16];

		if (o->cols[i] == COL_KIND) {
			data = kind;
		} else if (o->cols[i] == COL_SETGROUPS) {
			data = setgroups;
		} else if (r != NULL) {
			snprintf(num, sizeof(num), "%u",
				 range_field(r, o->cols[i]));
			data = num;
		}
		if (scols_line_set_data(ln, i, data) != 0)
			err(NS_EXIT_FAIL, "cannot make the table");
	}
}

static int
show_maps(const struct nsmap_opts *o, const struct ns_proc *p)
{
	struct ns_idmap maps[NS_NIDKINDS];
	struct libscols_table *tb;
	char setgroups[16];

	for (int k = 0; k < NS_NIDKINDS; k++)
		read_map(p, k, &maps[k]);
	read_setgroups(p, setgroups, sizeof(setgroups));
	tb = ns_table_new(&o->out, columns, o->cols, o->ncols);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	/* A map not written yet is a row too: its setgroups state shows. */
	for (int k = 0; k < NS_NIDKINDS; k++) {
		const struct ns_idmap *m = &maps[k];

		for (size_t i = 0; i < m->n || i == 0; i++)
			add_row(tb, o, ns_idkinds[k].name,
				m->n ? &m->r[i] : NULL, setgroups);
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
	return NS_EXIT_OK;
}

/* ---- translate ----------------------------------------------------------- */

static int
translate_id(const struct nsmap_opts *o, const struct ns_proc *p)
{
	const char *kind = ns_idkinds[o->id_kind].name;
	struct ns_idmap map;
	uint32_t out;
	bool same;
	int ns;

	read_map(p, o->id_kind, &map);
	/*
	 * Read from inside the namespace, the map shows the parent's ids, not
	 * ours: there, a mapped id is itself, both ways.
	 */
	ns = open_target_userns(p);
	same = fd_inode(ns) == own_userns();
	close(ns);
	if (ns_idmap_translate(&map, o->id, same || !o->outside, &out) != 0) {
		if (o->outside)
			warnx("%s %u is not mapped into the user namespace of PID %d",
			      kind, o->id, (int)p->pid);
		else
			warnx("%s %u of the user namespace of PID %d is not mapped",
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
check_accounts(const struct ns_idmap *map, int kind, const struct caller *me)
{
	const struct ns_idkind *k = &ns_idkinds[kind];
	struct passwd *pw;
	struct group *gr;
	const char *name;
	int found = 0;
	uint32_t id;

	setpwent();
	setgrent();
	for (;;) {
		if (kind == NS_GID && (gr = getgrent()) != NULL)
			name = gr->gr_name, id = gr->gr_gid;
		else if (kind == NS_UID && (pw = getpwent()) != NULL)
			name = pw->pw_name, id = pw->pw_uid;
		else
			break;
		/* Mapping yourself is what a map is for. */
		if (id == me->id[kind])
			continue;
		for (size_t i = 0; i < map->n; i++) {
			if (!in_range(&map->r[i], id))
				continue;
			warnx("%s range %u-%u maps the %s '%s' (%s %u)",
			      k->name, map->r[i].outside,
			      map->r[i].outside + (map->r[i].count - 1),
			      k->account, name, k->name, id);
			found++;
		}
	}
	endpwent();
	endgrent();
	return found;
}

/* The user namespaces already looked at, by inode. */
struct seen {
	ino_t *ino;
	size_t n;
};

/* Has a process in the user namespace INO already been looked at? */
static bool
seen_before(struct seen *seen, ino_t ino)
{
	ino_t *more;

	for (size_t i = 0; i < seen->n; i++)
		if (seen->ino[i] == ino)
			return true;
	more = reallocarray(seen->ino, seen->n + 1, sizeof(*more));
	if (more == NULL)
		ns_oom(NS_EXIT_FAIL);
	seen->ino = more;
	seen->ino[seen->n++] = ino;
	return false;
}

/* Warn of each range of MINE that meets one of OTHER, the KIND map of the
 * user namespace of PID.  The number of warnings. */
static int
warn_shared(const struct ns_idmap *mine, const struct ns_idmap *other, int kind,
	    pid_t pid)
{
	int found = 0;

	for (size_t i = 0; i < mine->n; i++) {
		const struct ns_idrange *r = &mine->r[i];

		for (size_t j = 0; j < other->n; j++) {
			if (!ranges_meet(r, &other->r[j]))
				continue;
			warnx("%s range %u-%u is also mapped by the user namespace of PID %d",
			      ns_idkinds[kind].name, r->outside,
			      r->outside + (r->count - 1), (int)pid);
			found++;
		}
	}
	return found;
}

struct check {
	int root;
	const struct ns_idmap *maps;
	struct seen seen;
	int found;
};

/* The process PID, if it is in a user namespace not looked at yet: the
 * warnings for the ids its maps share with the maps checked. */
static void
check_process(pid_t pid, void *arg)
{
	struct check *c = arg;
	struct ns_idmap other;
	struct ns_proc p;
	ino_t ino;

	if (ns_proc_open_at(c->root, pid, &p) != 0)
		return;
	ino = inode_at(p.procfd, "user");
	if (ino != 0 && !seen_before(&c->seen, ino)) {
		for (int k = 0; k < NS_NIDKINDS; k++)
			if (ns_idmap_read(p.procfd, ns_idkinds[k].map_file,
					  &other) == 0)
				c->found += warn_shared(&c->maps[k], &other, k,
							pid);
	}
	ns_proc_close(&p);
}

/* Other live user namespaces (not ours, not the target's) sharing ids. */
static int
check_namespaces(const struct ns_idmap maps[NS_NIDKINDS],
		 const struct ns_proc *target)
{
	struct check c = { .maps = maps };
	int ns;

	c.root = ns_proc_root_open_or_warn();
	if (c.root < 0)
		exit(NS_EXIT_FAIL);
	ns = open_target_userns(target);
	(void)seen_before(&c.seen, fd_inode(ns));
	close(ns);
	(void)seen_before(&c.seen, own_userns());
	if (ns_proc_for_each_pid(c.root, check_process, &c) != 0)
		err(NS_EXIT_FAIL, "cannot read /proc");
	close(c.root);
	free(c.seen.ino);
	return c.found;
}

static int
check_maps(const struct nsmap_opts *o, const struct ns_proc *p,
	   const struct caller *me)
{
	struct ns_idmap maps[NS_NIDKINDS];
	int found = 0;

	/* Without a map to check, check what the namespace has. */
	for (int k = 0; k < NS_NIDKINDS; k++) {
		if (has_map(o))
			maps[k] = o->map[k];
		else
			read_map(p, k, &maps[k]);
	}
	for (int k = 0; k < NS_NIDKINDS; k++)
		found += check_accounts(&maps[k], k, me);
	found += check_namespaces(maps, p);
	return found ? NS_EXIT_FAIL : NS_EXIT_OK;
}

/* ---- write --------------------------------------------------------------- */

/*
 * shadow's newuidmap and newgidmap act only for a caller with an account
 * whose real gid is its primary group (unless login.defs sets
 * GRANT_AUX_GROUP_SUBIDS), and only on a process running as that uid and
 * gid: the same here, word for word where it can be.
 */
static void
check_identity(const struct ns_proc *p, const struct caller *me)
{
	struct stat st;
	int aux;

	if (me->name == NULL)
		errx(NS_EXIT_FAIL,
		     "cannot determine your user name: uid %u has no entry in the passwd database",
		     (unsigned)me->id[NS_UID]);
	if (me->id[NS_GID] != me->pw_gid) {
		aux = ns_logindefs_bool("/etc/login.defs",
					"GRANT_AUX_GROUP_SUBIDS");
		if (aux < 0)
			err(NS_EXIT_FAIL, "cannot read /etc/login.defs");
		if (!aux)
			errx(NS_EXIT_FAIL,
			     "your gid %u is not the primary group %u of user '%s' (only with GRANT_AUX_GROUP_SUBIDS yes in /etc/login.defs)",
			     (unsigned)me->id[NS_GID], (unsigned)me->pw_gid,
			     me->name);
	}
	/* /proc/PID belongs to the process's effective uid and gid. */
	if (fstat(p->procfd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot stat /proc/%d", (int)p->pid);
	if (st.st_uid != me->id[NS_UID] || st.st_gid != me->id[NS_GID])
		errx(NS_EXIT_FAIL,
		     "PID %d runs as uid %u gid %u, not as you (uid %u gid %u)",
		     (int)p->pid, (unsigned)st.st_uid, (unsigned)st.st_gid,
		     (unsigned)me->id[NS_UID], (unsigned)me->id[NS_GID]);
}

/* The kernel lets only the namespace's owner (or root) act for it. */
static void
check_owner(const struct ns_proc *p, const struct caller *me)
{
	uid_t owner;
	int fd;

	fd = open_target_userns(p);
	if (ioctl(fd, NS_GET_OWNER_UID, &owner) != 0)
		err(NS_EXIT_FAIL,
		    "cannot get the owner of the user namespace of PID %d",
		    (int)p->pid);
	close(fd);
	if (!me->root && owner != me->id[NS_UID])
		errx(NS_EXIT_FAIL,
		     "the user namespace of PID %d belongs to uid %u, not to you (uid %u)",
		     (int)p->pid, (unsigned)owner, (unsigned)me->id[NS_UID]);
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

/* The caller's ranges in /etc/subuid or /etc/subgid (KIND) into SUB. */
static size_t
read_subids(int kind, const struct caller *me,
	    struct ns_idrange sub[NS_IDMAP_MAX])
{
	const char *path = ns_idkinds[kind].subid_file;
	int n;

	/* Both files are keyed by user: a group never owns a subgid range. */
	n = ns_subid_ranges(path, me->name, me->id[NS_UID], sub, NS_IDMAP_MAX);
	if (n < 0)
		err(NS_EXIT_FAIL, "cannot read %s", path);
	return (size_t)n;
}

/*
 * An unprivileged caller may map its own id (one id) and the ranges
 * /etc/subuid or /etc/subgid give it.  Returns whether any range came from
 * the subordinate file: a gid map made of the caller's own gid alone needs
 * setgroups denied (CVE-2018-7169).
 */
static bool
check_allowed(const struct ns_idmap *map, int kind, const struct caller *me)
{
	const char *path = ns_idkinds[kind].subid_file;
	struct ns_idrange sub[NS_IDMAP_MAX];
	bool from_sub = false;
	size_t n;

	n = read_subids(kind, me, sub);
	for (size_t i = 0; i < map->n; i++) {
		const struct ns_idrange *r = &map->r[i];

		if (covered(r->outside, r->count, sub, n)) {
			from_sub = true;
			continue;
		}
		if (r->count == 1 && r->outside == me->id[kind])
			continue;
		errx(NS_EXIT_FAIL,
		     "%s range %u-%u (inside %u) is neither your own %s nor yours in %s",
		     ns_idkinds[kind].name, r->outside,
		     r->outside + (r->count - 1), r->inside,
		     ns_idkinds[kind].name, path);
	}
	return from_sub;
}

static void
check_not_written(const struct ns_proc *p, int kind)
{
	struct ns_idmap now;

	read_map(p, kind, &now);
	if (now.n != 0)
		errx(NS_EXIT_FAIL, "%s map of PID %d is already written",
		     ns_idkinds[kind].name, (int)p->pid);
}

/* --auto: own id as 0, then every subordinate range, in file order. */
static void
auto_map(struct ns_idmap *map, int kind, const struct caller *me)
{
	const char *path = ns_idkinds[kind].subid_file;
	struct ns_idrange sub[NS_IDMAP_MAX];
	uint32_t next = 1;
	const char *why;
	size_t n;

	n = read_subids(kind, me, sub);
	map->n = 0;
	if (ns_idmap_add(map, 0, me->id[kind], 1, &why) != 0)
		errx(NS_EXIT_FAIL, "cannot map your own %s: %s",
		     ns_idkinds[kind].name, why);
	for (size_t i = 0; i < n; i++) {
		if (ns_idmap_add(map, next, sub[i].outside, sub[i].count,
				 &why) != 0)
			errx(NS_EXIT_FAIL,
			     "cannot map %s range %u-%u from %s: %s",
			     ns_idkinds[kind].name, sub[i].outside,
			     sub[i].outside + (sub[i].count - 1), path, why);
		next += sub[i].count;
	}
}

/* The kernel asks for CAP_SETFCAP too where a uid map maps outside uid 0
 * (5.12+: else a file capability written inside would count for root). */
static bool
needs_setfcap(int kind, const struct ns_idmap *map)
{
	if (kind != NS_UID)
		return false;
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
check_capable(const struct ns_proc *p, const struct ns_idmap *map, int kind,
	      const struct caller *me)
{
	uint32_t own = me->id[kind];

	if (map->n == 0 ||
	    (map->n == 1 && map->r[0].count == 1 && map->r[0].outside == own))
		return;
	if (ns_caps_effective(ns_idkinds[kind].cap) &&
	    (!needs_setfcap(kind, map) || ns_caps_effective(CAP_SETFCAP)))
		return;
	errx(NS_EXIT_FAIL,
	     "cannot write %s map of PID %d: %s (ranges beyond your own id need nsmap installed with file capabilities)",
	     ns_idkinds[kind].name, (int)p->pid, strerror(EPERM));
}

/*
 * Only the parent user namespace (or the target's own) may write a map.
 * True when ours is the parent: then the kernel maps each written range
 * through our own maps, read into PARENT.
 */
static bool
read_parent_maps(const struct ns_proc *p, struct ns_idmap parent[NS_NIDKINDS])
{
	ino_t own = own_userns();
	struct ns_proc self;
	bool is_parent = false;
	int ns, up;

	ns = open_target_userns(p);
	up = ioctl(ns, NS_GET_PARENT);
	if (fd_inode(ns) != own) {
		if (up < 0 || fd_inode(up) != own)
			errx(NS_EXIT_FAIL,
			     "the user namespace of PID %d is not a child of yours: only its parent namespace may write its maps",
			     (int)p->pid);
		is_parent = true;
	}
	if (up >= 0)
		close(up);
	close(ns);
	if (!is_parent)
		return false;
	open_target(getpid(), &self);
	for (int k = 0; k < NS_NIDKINDS; k++)
		if (ns_idmap_read(self.procfd, ns_idkinds[k].map_file,
				  &parent[k]) != 0)
			err(NS_EXIT_FAIL, "cannot read your own id maps");
	ns_proc_close(&self);
	return true;
}

/* setgroups never goes from deny back to allow, nor changes once the gid
 * map is written. */
static void
check_setgroups_change(const struct nsmap_opts *o, const struct ns_proc *p,
		       const char *setgroups)
{
	struct ns_idmap gids;
	char now[16];

	read_setgroups(p, now, sizeof(now));
	if (strcmp(now, "deny") == 0 && strcmp(setgroups, "allow") == 0)
		errx(NS_EXIT_FAIL,
		     "setgroups of PID %d is already deny, and the kernel never allows it again",
		     (int)p->pid);
	if (strcmp(now, setgroups) == 0 || o->map[NS_GID].n != 0)
		return;
	read_map(p, NS_GID, &gids);
	if (gids.n != 0)
		errx(NS_EXIT_FAIL,
		     "cannot deny setgroups of PID %d: its gid map is already written",
		     (int)p->pid);
}

/*
 * What the kernel checks in a map write (kernel/user_namespace.c,
 * map_write) besides what ns_idmap_add already did: the whole text under
 * one page, and every outside range inside a single range of the parent
 * namespace's own map; and that the writer's namespace is the target's
 * parent (or the target itself).  Checked for both maps and setgroups
 * before the first write, so that no refusal comes after a write.
 */
static void
check_kernel_rules(const struct nsmap_opts *o, const struct ns_proc *p,
		   const char *setgroups)
{
	long page = sysconf(_SC_PAGESIZE);
	struct ns_idmap parent[NS_NIDKINDS];
	bool have_parent = read_parent_maps(p, parent);

	for (int k = 0; k < NS_NIDKINDS; k++) {
		const struct ns_idmap *map = &o->map[k];
		const char *kind = ns_idkinds[k].name;
		const struct ns_idrange *bad;
		size_t bytes;

		if (map->n == 0)
			continue;
		bytes = ns_idmap_text_size(map);
		if (page > 0 && bytes >= (size_t)page)
			errx(NS_EXIT_FAIL,
			     "the %s map is %zu bytes as written to the kernel, which takes less than %ld; nothing written",
			     kind, bytes, page);
		if (have_parent &&
		    (bad = ns_idmap_unmapped(map, &parent[k])) != NULL)
			errx(NS_EXIT_FAIL,
			     "%s range %u-%u is not within one range mapped in your own user namespace; nothing written",
			     kind, bad->outside,
			     bad->outside + (bad->count - 1));
	}
	if (setgroups != NULL)
		check_setgroups_change(o, p, setgroups);
}

/* What is already written, for a message about a later failure. */
struct written {
	char text[64];
};

static void
note_written(struct written *w, const char *what)
{
	size_t len = strlen(w->text);

	snprintf(w->text + len, sizeof(w->text) - len, "%s%s", len ? ", " : "",
		 what);
}

/*
 * Hold in the effective set only the capability this one write needs
 * (CAP_SETFCAP: the kernel asks for it when outside uid 0 is mapped).
 */
static void
write_map(const struct ns_proc *p, int k, const struct ns_idmap *map,
	  const struct caller *me, struct written *w)
{
	const char *kind = ns_idkinds[k].name, *file = ns_idkinds[k].map_file;
	int need[2] = { ns_idkinds[k].cap, CAP_SETFCAP };
	size_t nneed = needs_setfcap(k, map) ? 2 : 1;
	char what[16];

	if (!me->root && caps_only(need, nneed, false) != 0)
		err(NS_EXIT_FAIL, "cannot set capabilities");
	/* Every rule the kernel applies was checked before the first write
	 * (check_kernel_rules, check_capable): a refusal here is news. */
	if (ns_idmap_write(p->procfd, file, map) != 0) {
		if (w->text[0] == '\0')
			err(NS_EXIT_FAIL, "cannot write %s map of PID %d", kind,
			    (int)p->pid);
		err(NS_EXIT_FAIL,
		    "cannot write %s map of PID %d (already written: %s)", kind,
		    (int)p->pid, w->text);
	}
	snprintf(what, sizeof(what), "%s map", kind);
	note_written(w, what);
}

static int
write_maps(struct nsmap_opts *o, const struct ns_proc *p,
	   const struct caller *me)
{
	const char *setgroups = o->setgroups;
	struct written w = { "" };
	bool gid_from_sub = true;
	char now[16];

	if (!me->root)
		check_identity(p, me);
	check_owner(p, me);
	for (int k = 0; k < NS_NIDKINDS && o->auto_map; k++)
		auto_map(&o->map[k], k, me);
	if (!me->root) {
		(void)check_allowed(&o->map[NS_UID], NS_UID, me);
		gid_from_sub = check_allowed(&o->map[NS_GID], NS_GID, me);
		for (int k = 0; k < NS_NIDKINDS; k++)
			check_capable(p, &o->map[k], k, me);
	}
	for (int k = 0; k < NS_NIDKINDS; k++)
		if (o->map[k].n)
			check_not_written(p, k);
	if (o->map[NS_GID].n && !gid_from_sub) {
		if (setgroups != NULL && strcmp(setgroups, "allow") == 0)
			errx(NS_EXIT_FAIL,
			     "--setgroups=allow: a gid map of your own gid alone needs setgroups denied");
		setgroups = "deny";
	}
	check_kernel_rules(o, p, setgroups);
	if (setgroups != NULL) {
		read_setgroups(p, now, sizeof(now));
		if (strcmp(now, setgroups) != 0) {
			if (ns_setgroups_write(p->procfd, setgroups) != 0)
				err(NS_EXIT_FAIL,
				    "cannot write '%s' to setgroups of PID %d",
				    setgroups, (int)p->pid);
			note_written(&w, strcmp(setgroups, "deny") == 0
						 ? "setgroups deny"
						 : "setgroups allow");
		}
	}
	for (int k = 0; k < NS_NIDKINDS; k++)
		if (o->map[k].n)
			write_map(p, k, &o->map[k], me, &w);
	return NS_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct nsmap_opts opts;
	struct caller me;
	struct ns_proc p;
	int status;

	/*
	 * Before anything else: a process holding capabilities its caller
	 * lacks must not leave a core file or a readable /proc/PID/mem,
	 * environ or fd to that caller.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		err(NS_EXIT_FAIL, "cannot make the process non-dumpable");
	limit_privilege(&me);
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	parse_args(argc, argv, &opts);
	check_args(&opts);
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
