// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink - name network namespaces under /run/netns, list and remove names.

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nscommon.h"

#define DEFAULT_DIR "/run/netns"

enum mode {
	MODE_LIST,
	MODE_LINK,
	MODE_NEW,
	MODE_DELETE,
	MODE_IDENTIFY,
	MODE_PIDS
};

enum { COL_NAME, COL_NS, COL_KIND, COL_NPROCS, COL_PIDS, COL_NOTE, NCOLS };

static const struct ns_column columns[NCOLS] = {
	[COL_NAME] = { "NAME", "name under the directory", 0.2, 0,
		       SCOLS_JSON_STRING },
	[COL_NS] = { "NS", "network namespace inode", 10, SCOLS_FL_RIGHT,
		     SCOLS_JSON_NUMBER },
	[COL_KIND] = { "KIND", "bind, symlink, dangling or stale", 8, 0,
		       SCOLS_JSON_STRING },
	[COL_NPROCS] = { "NPROCS", "number of processes in it", 5,
			 SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_PIDS] = { "PIDS", "processes in it", 0.3, SCOLS_FL_TRUNC,
		       SCOLS_JSON_ARRAY_NUMBER },
	[COL_NOTE] = { "NOTE", "'host' (PID 1's) or 'current' (the caller's)",
		       4, 0, SCOLS_JSON_STRING },
};

struct netnslink_opts {
	enum mode mode;
	const char *dir; /* NULL: the caller's own names (not root) */
	bool dir_given;
	bool symlink;
	bool loopback;
	bool force;
	pid_t pid;
	const char *name; /* PID NAME, --new NAME, --pids NAME */
	char **names;	  /* --delete NAME... */
	size_t nnames;
	struct ns_output out;
	int sel[NCOLS * 4];
	size_t nsel;
};

/* One name in the directory, as --list shows it. */
struct entry {
	char *name;
	const char *kind;
	bool has_ns;
	dev_t dev;
	ino_t ino;
};

/* A process and the network namespace it is in. */
struct proc_net {
	pid_t pid;
	dev_t dev;
	ino_t ino;
};

static noreturn void
usage(void)
{
	fputs("Usage:\n"
	      " netnslink [options] PID NAME\n"
	      " netnslink [options] --new NAME\n"
	      " netnslink [options] -d NAME ...\n"
	      " netnslink [options] -i PID | --pids NAME\n"
	      " netnslink [options] [-l]\n"
	      "\n"
	      "Name a network namespace under /run/netns, as ip netns does.\n"
	      "\n"
	      "Options:\n"
	      "     --symlink       link to /proc/PID/ns/net instead of a "
	      "bind mount\n"
	      "     --new           make a new, empty network namespace\n"
	      "     --loopback      with --new: bring the lo interface up\n"
	      " -f, --force         replace an existing name\n"
	      " -d, --delete        unmount and remove the names\n"
	      " -l, --list          list the names (the default)\n"
	      " -i, --identify PID  print the names of PID's network "
	      "namespace\n"
	      "     --pids NAME     print the PIDs in a named namespace\n"
	      "     --dir DIR       directory of the names (default "
	      "/run/netns)\n"
	      "                       (not root: $XDG_RUNTIME_DIR/netns)\n"
	      " -J, --json          JSON output\n"
	      " -r, --raw           raw output\n"
	      " -n, --noheadings    no header line\n"
	      " -o, --output LIST   columns to print (+LIST to add)\n"
	      "     --output-all    print every column\n"
	      " -H, --list-columns  describe the columns\n"
	      " -h, --help          show this help\n"
	      " -V, --version       show the version\n",
	      stdout);
	exit(NS_EXIT_OK);
}

static void
check_name(const char *name)
{
	const char *why;

	if (ns_netns_name_valid(name, &why))
		return;
	if (*name == '\0' || strlen(name) > NAME_MAX)
		ns_usage_error(NS_EXIT_USAGE, "invalid name: %s", why);
	ns_usage_error(NS_EXIT_USAGE, "invalid name '%s': %s", name, why);
}

static pid_t
parse_pid_arg(const char *s)
{
	pid_t pid;

	if (ns_parse_pid(s, &pid) != 0)
		ns_usage_error(NS_EXIT_USAGE, "invalid PID '%s'", s);
	return pid;
}

static void
set_mode(struct netnslink_opts *o, enum mode m)
{
	if (o->mode != MODE_LIST && o->mode != m)
		ns_usage_error(NS_EXIT_USAGE,
			       "--new, --delete, --list, --identify and --pids "
			       "exclude one another");
	o->mode = m;
}

static void
parse_args(int argc, char **argv, struct netnslink_opts *o)
{
	enum {
		OPT_SYMLINK = CHAR_MAX + 1,
		OPT_NEW,
		OPT_LOOPBACK,
		OPT_PIDS,
		OPT_DIR,
	};
	static const struct option longopts[] = {
		{ "symlink", no_argument, NULL, OPT_SYMLINK },
		{ "new", no_argument, NULL, OPT_NEW },
		{ "loopback", no_argument, NULL, OPT_LOOPBACK },
		{ "force", no_argument, NULL, 'f' },
		{ "delete", no_argument, NULL, 'd' },
		{ "list", no_argument, NULL, 'l' },
		{ "identify", required_argument, NULL, 'i' },
		{ "pids", required_argument, NULL, OPT_PIDS },
		{ "dir", required_argument, NULL, OPT_DIR },
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
	bool explicit_list = false, outopts = false;
	int c;

	o->dir = DEFAULT_DIR;
	o->out.json_name = "netns";
	for (size_t i = 0; i < NCOLS; i++)
		o->sel[o->nsel++] = (int)i;
	while ((c = getopt_long(argc, argv, "fdli:Jrno:HhV", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case OPT_SYMLINK:
			o->symlink = true;
			break;
		case OPT_NEW:
			set_mode(o, MODE_NEW);
			break;
		case OPT_LOOPBACK:
			o->loopback = true;
			break;
		case 'f':
			o->force = true;
			break;
		case 'd':
			set_mode(o, MODE_DELETE);
			break;
		case 'l':
			explicit_list = true;
			break;
		case 'i':
			set_mode(o, MODE_IDENTIFY);
			o->pid = parse_pid_arg(optarg);
			break;
		case OPT_PIDS:
			set_mode(o, MODE_PIDS);
			check_name(optarg);
			o->name = optarg;
			break;
		case OPT_DIR:
			if (*optarg == '\0')
				ns_usage_error(NS_EXIT_USAGE,
					       "invalid directory: empty");
			o->dir = optarg;
			o->dir_given = true;
			break;
		case 'h':
			usage();
		case 'V':
			ns_print_version();
		default:
			if (!ns_output_option(c, optarg, &o->out))
				ns_try_help(NS_EXIT_USAGE);
			/* -H goes with any mode: it only describes --list */
			outopts |= c != 'H';
		}
	}
	ns_output_columns(&o->out, columns, NCOLS, o->sel, &o->nsel,
			  ARRAY_SIZE(o->sel));
	if (explicit_list && o->mode != MODE_LIST)
		ns_usage_error(NS_EXIT_USAGE, "--list goes alone");
	if (o->mode == MODE_LIST && !explicit_list && optind < argc)
		o->mode = MODE_LINK;
	if (outopts && o->mode != MODE_LIST)
		ns_usage_error(NS_EXIT_USAGE,
			       "-J, -r, -n and -o go with --list only");
	if (o->symlink && o->mode != MODE_LINK)
		ns_usage_error(NS_EXIT_USAGE, "--symlink goes with PID NAME");
	if (o->loopback && o->mode != MODE_NEW)
		ns_usage_error(NS_EXIT_USAGE, "--loopback goes with --new");
	if (o->force && o->mode != MODE_LINK && o->mode != MODE_NEW)
		ns_usage_error(NS_EXIT_USAGE,
			       "--force goes with PID NAME or --new");

	argv += optind;
	argc -= optind;
	switch (o->mode) {
	case MODE_LIST:
	case MODE_IDENTIFY:
	case MODE_PIDS:
		if (argc != 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[0]);
		break;
	case MODE_LINK:
		if (argc < 2)
			ns_usage_error(NS_EXIT_USAGE, "expected PID and NAME");
		if (argc > 2)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[2]);
		o->pid = parse_pid_arg(argv[0]);
		check_name(argv[1]);
		o->name = argv[1];
		break;
	case MODE_NEW:
		if (argc != 1)
			ns_usage_error(NS_EXIT_USAGE, "--new takes one NAME");
		check_name(argv[0]);
		o->name = argv[0];
		break;
	case MODE_DELETE:
		if (argc == 0)
			ns_usage_error(NS_EXIT_USAGE, "--delete needs a NAME");
		for (int i = 0; i < argc; i++)
			check_name(argv[i]);
		o->names = argv;
		o->nnames = (size_t)argc;
		break;
	}
}

/* ---- the directory of names ---------------------------------------------- */

static char *
path_of(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	return path;
}

/*
 * What a run made of the directory: the directories it created and the
 * self-bind it put on the last of them.  A run that exits with a failure
 * takes them back (the bind first, then the directories, deepest first, each
 * only while empty), so it leaves no directory behind.  A directory that
 * was there before is left as it is, prepared or not, as ip netns leaves it.
 */
struct made_dirs {
	char **path;
	size_t n;
	char *self_bind;
};

static void
undo_made_dirs(int status, void *arg)
{
	struct made_dirs *md = arg;

	if (status != NS_EXIT_OK && md->self_bind != NULL &&
	    umount2(md->self_bind, MNT_DETACH) != 0)
		warn("cannot undo the bind mount of %s", md->self_bind);
	free(md->self_bind);
	while (md->n > 0) {
		char *dir = md->path[--md->n];

		if (status != NS_EXIT_OK)
			(void)rmdir(dir); /* not empty: someone else's now */
		free(dir);
	}
	free(md->path);
	free(md);
}

static struct made_dirs *
new_made_dirs(void)
{
	struct made_dirs *md = calloc(1, sizeof(*md));

	if (md == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	if (on_exit(undo_made_dirs, md) != 0)
		errx(NS_EXIT_FAIL, "cannot register the undo of mkdir");
	return md;
}

static void
note_made_dir(struct made_dirs *md, const char *dir)
{
	char **grown = reallocarray(md->path, md->n + 1, sizeof(*grown));

	if (grown == NULL || (grown[md->n] = strdup(dir)) == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->path = grown;
	md->n++;
}

/* mkdir -p, noting each directory it creates. */
static int
make_dirs(const char *path, struct made_dirs *md)
{
	char *p = strdup(path);
	int saved;

	if (p == NULL)
		return -1;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char end = *s;

			*s = '\0';
			if (mkdir(p, 0755) == 0)
				note_made_dir(md, p);
			else if (errno != EEXIST)
				goto fail;
			*s = end;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return 0;
fail:
	saved = errno;
	free(p);
	errno = saved;
	return -1;
}

enum mount_state { NOT_MOUNTED, MOUNTED_NOT_SHARED, MOUNTED_SHARED };

/* Does the mountinfo line of mount ID say it is shared? */
static int
mount_is_shared(uint64_t id, bool *shared)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct ns_mountinfo m;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (f == NULL)
		return -1;
	*shared = false;
	while (getline(&line, &cap, f) > 0) {
		if (ns_mountinfo_parse(line, &m) != 0 || m.id != id)
			continue;
		*shared = m.shared != 0;
		break;
	}
	if (ferror(f))
		rc = -1;
	free(line);
	fclose(f);
	return rc;
}

/*
 * Is DIR the root of a mount, and is that mount shared?  statx names the
 * mount the path resolves to now; a mount point in mountinfo may be hidden
 * under another mount, and a directory fd opened before our lock was
 * granted still points below a self-bind made meanwhile.
 */
static int
mount_state(const char *dir, enum mount_state *state)
{
	struct statx stx;
	bool shared;

	if (statx(AT_FDCWD, dir, 0, STATX_MNT_ID, &stx) != 0)
		return -1;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
	    !(stx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		return -1;
	}
	*state = NOT_MOUNTED;
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	if (mount_is_shared(stx.stx_mnt_id, &shared) != 0)
		return -1;
	*state = shared ? MOUNTED_SHARED : MOUNTED_NOT_SHARED;
	return 0;
}

static void
make_own_shared_mount(const char *dir)
{
	int saved;

	/* Recursive, so names already mounted in DIR stay visible. */
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) != 0)
		err(NS_EXIT_FAIL, "cannot bind-mount %s onto itself", dir);
	/*
	 * A bind of a shared mount joins the source's peer group; going
	 * private first gives DIR a peer group of its own, so a name made
	 * here propagates to copies of DIR (ip netns exec, other mount
	 * namespaces), not back into the parent mount.
	 */
	if (mount(NULL, dir, NULL, MS_PRIVATE, NULL) != 0 ||
	    mount(NULL, dir, NULL, MS_SHARED | MS_REC, NULL) != 0) {
		saved = errno;
		if (umount2(dir, MNT_DETACH) != 0)
			warn("cannot undo the bind mount of %s", dir);
		errno = saved;
		err(NS_EXIT_FAIL, "cannot make %s a shared mount", dir);
	}
}

/*
 * Create DIR if missing and, for bind mounts, make it a shared mount point
 * as ip netns does.  Returns its canonical path (/var/run/netns is
 * /run/netns), so that a mount goes where mountinfo will show it.
 */
static char *
prepare_dir(const char *dir, bool for_mounts)
{
	struct made_dirs *md = new_made_dirs();
	enum mount_state state;
	char *canon;
	int fd;

	if (make_dirs(dir, md) != 0)
		err(NS_EXIT_FAIL, "cannot create %s", dir);
	canon = realpath(dir, NULL);
	if (canon == NULL)
		err(NS_EXIT_FAIL, "cannot resolve %s", dir);
	if (!for_mounts)
		return canon;
	fd = open(canon, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open %s", canon);
	/*
	 * Two first runs at once would both find no mount and stack two
	 * self-binds: the lock makes the look and the mount one step.  The
	 * self-bind keeps the inode, so later openers lock the same one.
	 */
	if (flock(fd, LOCK_EX) != 0)
		err(NS_EXIT_FAIL, "cannot lock %s", canon);
	if (mount_state(canon, &state) != 0)
		err(NS_EXIT_FAIL, "cannot tell how %s is mounted", canon);
	if (state == NOT_MOUNTED) {
		make_own_shared_mount(canon);
		/* Ours to take back only on a directory this run made. */
		if (md->n > 0 && (md->self_bind = strdup(canon)) == NULL)
			err(NS_EXIT_FAIL, "cannot allocate");
	} else if (state == MOUNTED_NOT_SHARED &&
		   mount(NULL, canon, NULL, MS_SHARED | MS_REC, NULL) != 0)
		err(NS_EXIT_FAIL, "cannot make %s a shared mount", canon);
	close(fd);
	return canon;
}

/* The link netnslink --symlink and the usual hand recipe make. */
static bool
is_proc_net_link(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf));
	const char *p;

	if (n < 0 || (size_t)n >= sizeof(buf))
		return false;
	buf[n] = '\0';
	if (strncmp(buf, "/proc/", 6) != 0)
		return false;
	p = buf + 6;
	if (*p < '1' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcmp(p, "/ns/net") == 0;
}

static bool
is_net_ns_fd(int fd)
{
	const struct ns_type *t = ns_type_of_fd(fd);

	return t != NULL && t->flag == CLONE_NEWNET;
}

/*
 * Can the name PATH be unlinked (its directory writable, not read-only)?
 * Asked before the unmount: a name unmounted but not unlinked would lose
 * the namespace and stay behind as a stale file.
 */
static int
can_unlink(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (slash == NULL)
		return faccessat(AT_FDCWD, ".", W_OK, AT_EACCESS);
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (dir == NULL)
		return -1;
	rc = faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS);
	free(dir);
	return rc;
}

/* Unmount and unlink a name; anything but a netns mount or our link stays. */
static int
remove_name(const char *path)
{
	struct stat st;
	bool ours = false;
	int fd;

	if (lstat(path, &st) != 0) {
		warn("cannot remove %s", path);
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		ours = is_proc_net_link(path);
	} else {
		/* O_NONBLOCK: a FIFO planted there must not hang us. */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			warn("cannot open %s", path);
			return -1;
		}
		ours = is_net_ns_fd(fd);
		close(fd);
	}
	if (!ours) {
		warnx("refusing to remove %s: neither a network namespace "
		      "mount nor a link to /proc/PID/ns/net",
		      path);
		return -1;
	}
	if (can_unlink(path) != 0) {
		warn("cannot remove %s", path);
		return -1;
	}
	if (!S_ISLNK(st.st_mode) &&
	    umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) != 0) {
		warn("cannot unmount %s", path);
		return -1;
	}
	if (unlink(path) != 0) {
		warn("cannot remove %s", path);
		return -1;
	}
	return 0;
}

static void
replace_existing(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return;
		err(NS_EXIT_FAIL, "cannot replace %s", path);
	}
	if (remove_name(path) != 0)
		exit(NS_EXIT_FAIL);
}

static noreturn void
cannot_name(const char *path, const char *what)
{
	if (errno == EEXIST)
		errx(NS_EXIT_FAIL, "%s already exists (--force replaces it)",
		     path);
	err(NS_EXIT_FAIL, "cannot %s %s", what, path);
}

/* ---- making names -------------------------------------------------------- */

static void
bind_nsfile(const char *src, const char *path)
{
	const char *why;

	if (ns_bind_nsfile(src, path, true, &why) != 0)
		cannot_name(path, "bind-mount the network namespace onto");
}

static int
link_pid(const struct netnslink_opts *o)
{
	struct ns_proc p;
	char src[64];
	char *dir, *path;
	int fd = -1;

	if (ns_proc_open(o->pid, &p) != 0)
		err(NS_EXIT_FAIL, "cannot open PID %d", (int)o->pid);
	if (!o->symlink) {
		fd = ns_proc_open_ns(&p, "net");
		if (fd < 0)
			err(NS_EXIT_FAIL,
			    "cannot open the network namespace of PID %d",
			    (int)o->pid);
	}
	dir = prepare_dir(o->dir, !o->symlink);
	path = path_of(dir, o->name);
	if (o->force)
		replace_existing(path);
	if (o->symlink) {
		snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)o->pid);
		if (symlink(src, path) != 0)
			cannot_name(path, "create the link");
		/*
		 * The link names a PID, not a process: had it exited by now,
		 * the link would name whoever gets the PID next.
		 */
		if (ns_proc_check_alive(&p) != 0) {
			if (unlink(path) != 0)
				warn("cannot remove %s", path);
			errx(NS_EXIT_FAIL, "PID %d exited", (int)o->pid);
		}
	} else {
		snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
		bind_nsfile(src, path);
		close(fd);
	}
	ns_proc_close(&p);
	free(path);
	free(dir);
	return NS_EXIT_OK;
}

static int
new_netns(const struct netnslink_opts *o)
{
	char *dir = prepare_dir(o->dir, true);
	char *path = path_of(dir, o->name);

	if (o->force)
		replace_existing(path);
	/* Only this thread moves; the mount goes into our mount namespace. */
	if (unshare(CLONE_NEWNET) != 0)
		err(NS_EXIT_FAIL, "cannot create a network namespace");
	if (o->loopback)
		if (ns_loopback_up() != 0)
			err(NS_EXIT_FAIL, "cannot bring lo up");
	bind_nsfile("/proc/thread-self/ns/net", path);
	free(path);
	free(dir);
	return NS_EXIT_OK;
}

static int
delete_names(const struct netnslink_opts *o)
{
	int rc = NS_EXIT_OK;

	for (size_t i = 0; i < o->nnames; i++) {
		char *path = path_of(o->dir, o->names[i]);

		if (remove_name(path) != 0)
			rc = NS_EXIT_FAIL;
		free(path);
	}
	return rc;
}

/* ---- reading names and processes ----------------------------------------- */

static int
cmp_proc(const void *a, const void *b)
{
	const struct proc_net *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every process whose network namespace we may see, by PID. */
static struct proc_net *
scan_procs(size_t *n)
{
	struct proc_net *v = NULL;
	struct dirent *de;
	size_t cap = 0;
	DIR *d = opendir("/proc");

	*n = 0;
	if (d == NULL)
		err(NS_EXIT_FAIL, "cannot read /proc");
	while ((errno = 0, de = readdir(d)) != NULL) {
		char path[NAME_MAX + 16];
		struct stat st;
		long pid;

		if (ns_parse_long(de->d_name, 1, INT_MAX, &pid) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/ns/net", de->d_name);
		/* Gone meanwhile, or not ours to look at (ptrace rules). */
		if (fstatat(dirfd(d), path, &st, 0) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = reallocarray(v, cap, sizeof(*v));
			if (v == NULL)
				err(NS_EXIT_FAIL, "cannot list processes");
		}
		v[(*n)++] =
			(struct proc_net){ (pid_t)pid, st.st_dev, st.st_ino };
	}
	if (errno != 0)
		err(NS_EXIT_FAIL, "cannot read /proc");
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_proc);
	return v;
}

static int
not_dots(const struct dirent *de)
{
	return strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
}

/* Not root: the caller's own names, each kept by a holder process. */
static struct entry *
own_entries(size_t *n)
{
	struct ns_unames_dir d;
	struct ns_uname *u;
	struct entry *v;

	*n = 0;
	if (ns_unames_open_dir(&d, false, false) != 0) {
		if (errno != ENOENT)
			exit(NS_EXIT_FAIL);
		ns_unames_close_dir(&d);
		return NULL;
	}
	if (ns_unames_read(&d, &u, n) != 0)
		exit(NS_EXIT_FAIL);
	v = calloc(*n + 1, sizeof(*v));
	if (v == NULL)
		err(NS_EXIT_FAIL, "cannot read %s", d.path);
	for (size_t i = 0; i < *n; i++) {
		v[i] = (struct entry){ u[i].name,
				       u[i].stale ? "stale" : "holder",
				       !u[i].stale, u[i].dev, u[i].netns };
		u[i].name = NULL;
	}
	ns_unames_free(u, *n);
	ns_unames_close_dir(&d);
	return v;
}

/* The names in DIR, sorted; none when DIR does not exist yet. */
static struct entry *
read_entries(const char *dir, size_t *n)
{
	struct dirent **de;
	struct entry *v;
	int nde;

	if (dir == NULL)
		return own_entries(n);
	nde = scandir(dir, &de, not_dots, alphasort);
	*n = 0;
	if (nde < 0) {
		if (errno == ENOENT)
			return NULL;
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	}
	v = calloc((size_t)nde + 1, sizeof(*v));
	if (v == NULL)
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	for (int i = 0; i < nde; i++) {
		struct entry *e = &v[i];
		char *path = path_of(dir, de[i]->d_name);
		struct stat lst, st;
		bool is_link;
		int fd;

		e->name = strdup(de[i]->d_name);
		if (e->name == NULL)
			err(NS_EXIT_FAIL, "cannot read %s", dir);
		free(de[i]);
		is_link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
		e->kind = is_link ? "dangling" : "stale";
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && is_net_ns_fd(fd) && fstat(fd, &st) == 0) {
			e->has_ns = true;
			e->dev = st.st_dev;
			e->ino = st.st_ino;
			e->kind = is_link ? "symlink" : "bind";
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
	free(de);
	*n = (size_t)nde;
	return v;
}

static void
free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* ---- printing ------------------------------------------------------------ */

static char *
xstrdup_or_null(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	return d;
}

static char *
pid_list(const struct entry *e, const struct proc_net *procs, size_t nprocs,
	 const char *sep, size_t *count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*count = 0;
	if (f == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	for (size_t i = 0; i < nprocs; i++) {
		if (procs[i].dev != e->dev || procs[i].ino != e->ino)
			continue;
		fprintf(f, "%s%d", *count ? sep : "", (int)procs[i].pid);
		(*count)++;
	}
	if (fclose(f) != 0)
		err(NS_EXIT_FAIL, "cannot make the table");
	if (*count == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
same_ns(const struct entry *e, const struct stat *st)
{
	return e->has_ns && st != NULL && st->st_dev == e->dev &&
	       st->st_ino == e->ino;
}

static const char *
note(const struct entry *e, const struct stat *host, const struct stat *self)
{
	if (same_ns(e, host))
		return "host";
	if (same_ns(e, self))
		return "current";
	return NULL;
}

static char *
cell(const struct netnslink_opts *o, const struct entry *e, int col,
     const struct proc_net *procs, size_t nprocs, const struct stat *host,
     const struct stat *self)
{
	char *s = NULL;
	size_t count;

	switch (col) {
	case COL_NAME:
		return xstrdup_or_null(e->name);
	case COL_KIND:
		return xstrdup_or_null(e->kind);
	case COL_NOTE:
		return xstrdup_or_null(note(e, host, self));
	}
	if (!e->has_ns)
		return NULL;
	switch (col) {
	case COL_NS:
		if (asprintf(&s, "%ju", (uintmax_t)e->ino) < 0)
			err(NS_EXIT_FAIL, "cannot make the table");
		return s;
	case COL_NPROCS:
		free(pid_list(e, procs, nprocs, ",", &count));
		if (asprintf(&s, "%zu", count) < 0)
			err(NS_EXIT_FAIL, "cannot make the table");
		return s;
	case COL_PIDS:
		return pid_list(e, procs, nprocs, o->out.json ? "\n" : ",",
				&count);
	}
	return NULL;
}

static int
list_names(const struct netnslink_opts *o)
{
	struct libscols_table *tb;
	struct proc_net *procs;
	struct entry *ents;
	struct stat host, self;
	bool have_host, have_self;
	size_t n, nprocs;

	ents = read_entries(o->dir, &n);
	procs = scan_procs(&nprocs);
	/* PID 1 may not be ours to look at (ptrace rules): then no "host". */
	have_host = stat("/proc/1/ns/net", &host) == 0;
	have_self = stat("/proc/self/ns/net", &self) == 0;
	tb = ns_table_new(&o->out, columns, o->sel, o->nsel);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (ln == NULL)
			err(NS_EXIT_FAIL, "cannot make the table");
		for (size_t c = 0; c < o->nsel; c++) {
			char *s = cell(o, &ents[i], o->sel[c], procs, nprocs,
				       have_host ? &host : NULL,
				       have_self ? &self : NULL);

			if (s != NULL && scols_line_refer_data(ln, c, s) != 0)
				err(NS_EXIT_FAIL, "cannot make the table");
		}
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
	free(procs);
	free_entries(ents, n);
	return NS_EXIT_OK;
}

static int
identify(const struct netnslink_opts *o)
{
	struct ns_proc p;
	struct entry *ents;
	struct stat st;
	size_t n;
	int fd;

	if (ns_proc_open(o->pid, &p) != 0)
		err(NS_EXIT_FAIL, "cannot open PID %d", (int)o->pid);
	fd = ns_proc_open_ns(&p, "net");
	if (fd < 0 || fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot open the network namespace of PID %d",
		    (int)o->pid);
	close(fd);
	ns_proc_close(&p);
	ents = read_entries(o->dir, &n);
	for (size_t i = 0; i < n; i++)
		if (ents[i].has_ns && ents[i].dev == st.st_dev &&
		    ents[i].ino == st.st_ino)
			puts(ents[i].name);
	free_entries(ents, n);
	return NS_EXIT_OK;
}

static int
print_pids(const struct netnslink_opts *o)
{
	char *path = path_of(o->dir, o->name);
	struct proc_net *procs;
	struct stat st;
	size_t nprocs;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open %s", path);
	if (!is_net_ns_fd(fd))
		errx(NS_EXIT_FAIL, "%s is not a network namespace", path);
	if (fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot stat %s", path);
	close(fd);
	procs = scan_procs(&nprocs);
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].dev == st.st_dev && procs[i].ino == st.st_ino)
			printf("%d\n", (int)procs[i].pid);
	free(procs);
	free(path);
	return NS_EXIT_OK;
}

/* ---- not root: the caller's own names (common/userns_names.c) ---------- */

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
static int
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
		if (ns_proc_open(o->pid, &p) != 0)
			err(NS_EXIT_FAIL, "cannot open PID %d", (int)o->pid);
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

int
main(int argc, char **argv)
{
	struct netnslink_opts o = { 0 };

	/* A holder this program started for a user (own_names) */
	if (argc == 2 && strcmp(argv[0], NS_UNAMES_HOLDER) == 0)
		ns_unames_hold();
	/* Before the options: --help, -V and -H to a full disk fail too */
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	parse_args(argc, argv, &o);
	if (geteuid() != 0 && !o.dir_given)
		return own_names(&o);
	switch (o.mode) {
	case MODE_LINK:
		return link_pid(&o);
	case MODE_NEW:
		return new_netns(&o);
	case MODE_DELETE:
		return delete_names(&o);
	case MODE_IDENTIFY:
		return identify(&o);
	case MODE_PIDS:
		return print_pids(&o);
	case MODE_LIST:
		break;
	}
	return list_names(&o);
}
