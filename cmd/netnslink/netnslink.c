// SPDX-License-Identifier: GPL-2.0-or-later
// netnslink - name network namespaces under /run/netns, list and remove names.

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
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

/* NOTE before PIDS: the short cell first, so a row reads the same cut. */
enum { COL_NAME, COL_NS, COL_KIND, COL_NPROCS, COL_NOTE, COL_PIDS, NCOLS };

static const struct ns_column columns[NCOLS] = {
	[COL_NAME] = { "NAME", "name under the directory", 0.2, 0,
		       SCOLS_JSON_STRING },
	[COL_NS] = { "NS", "network namespace inode", 10, SCOLS_FL_RIGHT,
		     SCOLS_JSON_NUMBER },
	[COL_KIND] = { "KIND",
		       "bind, symlink, dangling, recycled, unchecked or stale",
		       8, 0, SCOLS_JSON_STRING },
	[COL_NPROCS] = { "NPROCS", "number of processes in it", 5,
			 SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_NOTE] = { "NOTE", "'host' (PID 1's) or 'current' (the caller's)",
		       4, 0, SCOLS_JSON_STRING },
	[COL_PIDS] = { "PIDS", "processes in it (a table shows five)", 0.3, 0,
		       SCOLS_JSON_ARRAY_NUMBER },
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
	      " netnslink [options] -i [PID] | --pids NAME\n"
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
	      "                       (no PID: the caller's)\n"
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

/* NAME PID, the order of ip netns attach: say which order we take. */
static void
swapped_hint(const char *first, const char *second)
{
	pid_t pid;

	if (ns_parse_pid(first, &pid) == 0 || ns_parse_pid(second, &pid) != 0 ||
	    !ns_netns_name_valid(first, NULL))
		return;
	ns_usage_error(NS_EXIT_USAGE,
		       "invalid PID '%s': did you mean 'netnslink %s %s'?",
		       first, second, first);
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
		{ "identify", optional_argument, NULL, 'i' },
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
	while ((c = getopt_long(argc, argv, "fdli::Jrno:HhV", longopts,
				NULL)) != -1) {
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
			if (optarg != NULL)
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
	case MODE_IDENTIFY:
		/* -i PID as a separate word; no PID: our own, as ip does */
		if (o->pid == 0 && argc == 1)
			o->pid = parse_pid_arg(argv[0]);
		else if (argc != 0)
			ns_usage_error(NS_EXIT_USAGE,
				       "unexpected argument '%s'", argv[0]);
		if (o->pid == 0)
			o->pid = getpid();
		break;
	case MODE_LIST:
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
		swapped_hint(argv[0], argv[1]);
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

/* How long a run waits for another run's first set-up of the directory. */
#define SETUP_LOCK_SECONDS 10

static char *
path_of(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	return path;
}

/*
 * The prepared directory of names: its canonical path (/var/run/netns is
 * /run/netns, so a mount goes where mountinfo will show it) and an O_PATH
 * fd of it, through which every name is made, read and removed.  For bind
 * mounts the fd is the root of the directory's own shared mount; holding
 * it keeps that mount busy, so that no failing run can take it away.
 */
struct names_dir {
	char *path;
	int fd;
};

/*
 * What a run made of the directory: the directories it created and the
 * self-bind it put on the last of them (its mount id).  A run that exits
 * with a failure takes them back, but only what nothing else relies on:
 * the self-bind with a plain umount(2), which the kernel refuses while a
 * name is mounted in it or another run holds it open, and the directories
 * with rmdir(2), which fails on one that is not empty.  A directory that
 * was there before is left as it is, prepared or not, as ip netns leaves
 * it.
 */
struct made_dirs {
	char **path;
	size_t n;
	char *self_bind;
	uint64_t mnt_id;
	char *canon; /* the directory, canonical: DIR.lock is its lock */
	int *fd;     /* the names_dir fd, closed before the umount */
	int lock;    /* the set-up lock while this run holds it, else -1 */
};

static int take_setup_lock(const char *dir, bool quiet);
static void release_setup_lock(struct made_dirs *md);

static bool
mount_id_of(const char *path, uint64_t *id)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) !=
		    0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return false;
	*id = stx.stx_mnt_id;
	return true;
}

static void
undo_made_dirs(int status, void *arg)
{
	struct made_dirs *md = arg;
	bool removed = false, undo;
	uint64_t id;

	/* On success the fd is closed already (and its frame gone). */
	undo = status != NS_EXIT_OK && md->canon != NULL &&
	       (md->self_bind != NULL || md->n > 0);
	if (undo) {
		if (md->fd != NULL && *md->fd >= 0) {
			close(*md->fd);
			*md->fd = -1;
		}
		/* Without the lock another run is setting up: leave it all. */
		if (md->lock < 0)
			md->lock = take_setup_lock(md->canon, true);
	}
	if (undo && md->lock >= 0 && md->self_bind != NULL &&
	    mount_id_of(md->self_bind, &id) && id == md->mnt_id)
		(void)umount2(md->self_bind, UMOUNT_NOFOLLOW);
	if (undo && md->lock >= 0 && md->n > 0 && rmdir(md->canon) == 0)
		removed = true;
	release_setup_lock(md);
	while (md->n > 0) {
		char *dir = md->path[--md->n];

		if (removed)
			(void)rmdir(dir); /* not empty: someone else's now */
		free(dir);
	}
	free(md->self_bind);
	free(md->canon);
	free(md->path);
	free(md);
}

static struct made_dirs *
new_made_dirs(void)
{
	struct made_dirs *md = calloc(1, sizeof(*md));

	if (md == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->lock = -1;
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

/*
 * The first set-up of DIR (look whether it is a mount, bind it onto itself)
 * is one step for concurrent runs: serialized by flock(2) on DIR.lock, a
 * file beside DIR that only the caller (root, for /run/netns.lock) can
 * open.  Not a lock on DIR itself: /run/netns is 0755, and any user who can
 * open it could hold such a lock.  The wait is bounded: the lock is held
 * for milliseconds, so one held longer is a failure to report.  The holder
 * unlinks it before releasing it (release_setup_lock), so none stays.
 * QUIET (the undo at exit): one try, and -1 instead of exiting.
 */
static int
take_setup_lock(const char *dir, bool quiet)
{
	struct timespec pause = { 0, 20000000L }; /* 20 ms */
	struct stat st, now;
	char *path;
	int fd = -1;

	if (asprintf(&path, "%s.lock", dir) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	for (int i = 0;; i++) {
		if (fd < 0)
			fd = open(path,
				  O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
					  O_CLOEXEC,
				  0600);
		if (fd < 0) {
			if (quiet)
				goto fail;
			err(NS_EXIT_FAIL, "cannot open the lock %s", path);
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
			if (quiet)
				goto fail;
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: not a mode 0600 file of the "
			     "caller",
			     path);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* Unlinked by a run that took its directory back? */
			if (stat(path, &now) == 0 && now.st_dev == st.st_dev &&
			    now.st_ino == st.st_ino)
				break;
			close(fd);
			fd = -1;
			continue;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			if (quiet)
				goto fail;
			err(NS_EXIT_FAIL, "cannot lock %s", path);
		}
		/* QUIET: someone is setting up, and relies on it all */
		if (quiet)
			goto fail;
		if (i >= SETUP_LOCK_SECONDS * 50) {
			errx(NS_EXIT_FAIL,
			     "cannot lock %s: held by another run for %d "
			     "seconds",
			     path, SETUP_LOCK_SECONDS);
		}
		(void)nanosleep(&pause, NULL);
	}
	free(path);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

/*
 * Unlinked before it is released, so that no lock file stays: a run
 * waiting on it finds it unlinked once it has it, and starts over.
 */
static void
release_setup_lock(struct made_dirs *md)
{
	char *path;

	if (md->lock < 0 || md->canon == NULL)
		return;
	if (asprintf(&path, "%s.lock", md->canon) < 0)
		err(NS_EXIT_FAIL, "cannot allocate a path");
	(void)unlink(path);
	free(path);
	close(md->lock);
	md->lock = -1;
}

enum mount_state { NOT_MOUNTED, MOUNTED_NOT_SHARED, MOUNTED_SHARED };

/* Does the mountinfo line of mount ID say it is shared? */
static int
mount_is_shared(uint64_t id, bool *shared)
{
	int fd = ns_proc_self_open("mountinfo");
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	struct ns_mountinfo m;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
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
 * Is the directory FD the root of a mount, which one, and is that mount
 * shared?  statx names the mount the fd is on; a mount point in mountinfo
 * may be hidden under another mount.
 */
static int
mount_state(int fd, enum mount_state *state, uint64_t *id)
{
	struct statx stx;
	bool shared;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) != 0)
		return -1;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
	    !(stx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		return -1;
	}
	*id = stx.stx_mnt_id;
	*state = NOT_MOUNTED;
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return 0;
	if (mount_is_shared(stx.stx_mnt_id, &shared) != 0)
		return -1;
	*state = shared ? MOUNTED_SHARED : MOUNTED_NOT_SHARED;
	return 0;
}

/* A propagation type for exactly the mount FD is the root of. */
static int
set_propagation(int fd, unsigned long type)
{
	return ns_propagate_fd(fd, type);
}

/*
 * A bind of a shared mount joins the source's peer group; going private
 * first gives the copy a peer group of its own, so a name made here
 * propagates to copies of DIR (ip netns exec, other mount namespaces), not
 * back into the parent mount.  Then shared, recursively, as ip netns makes
 * it.  FD is the new mount; mount_setattr(2) also reaches a detached one.
 */
static int
own_peer_group(int fd, bool detached)
{
	struct mount_attr priv = { .propagation = MS_PRIVATE };
	struct mount_attr shared = { .propagation = MS_SHARED };

	if (detached)
		return mount_setattr(fd, "", AT_EMPTY_PATH, &priv,
				     sizeof(priv)) == 0 &&
				       mount_setattr(
					       fd, "",
					       AT_EMPTY_PATH | AT_RECURSIVE,
					       &shared, sizeof(shared)) == 0
			       ? 0
			       : -1;
	if (set_propagation(fd, MS_PRIVATE) != 0 ||
	    set_propagation(fd, MS_SHARED | MS_REC) != 0)
		return -1;
	return 0;
}

/*
 * Bind the directory FD onto itself, recursively (names already mounted
 * there stay visible), in its own shared peer group, and return an O_PATH
 * fd of the new mount's root.  The copy is made detached (open_tree), made
 * shared while nobody can see it, and moved onto the held fd: the path is
 * not looked up again, and ip netns add, which does not take our lock,
 * finds either no mount or a shared one, never one half set up (it would
 * stack its own bind on it).  Where the kernel cannot set the propagation
 * of a detached mount (before 6.x) it is set once attached; without the
 * new mount API (Linux < 5.2), mount(2) through /proc/self/fd and the
 * path opened again, checked to be the same directory.
 */
static int
self_bind(int fd, const char *dir, bool *shared)
{
	char path[32];
	struct stat before, after;
	int tree, saved;

	tree = open_tree(fd, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
				 AT_EMPTY_PATH);
	if (tree >= 0) {
		*shared = own_peer_group(tree, true) == 0;
		if (move_mount(tree, "", fd, "",
			       MOVE_MOUNT_F_EMPTY_PATH |
				       MOVE_MOUNT_T_EMPTY_PATH) == 0)
			return tree;
		saved = errno;
		close(tree);
		errno = saved;
		return -1;
	}
	*shared = false;
	if (errno != ENOSYS || fstat(fd, &before) != 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0)
		return -1;
	tree = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tree >= 0 &&
	    (fstat(tree, &after) != 0 || after.st_dev != before.st_dev ||
	     after.st_ino != before.st_ino)) {
		close(tree);
		errno = EXDEV;
		tree = -1;
	}
	return tree;
}

static int
make_own_shared_mount(int fd, const char *dir, struct made_dirs *md)
{
	enum mount_state state;
	bool shared;
	int top, saved;

	top = self_bind(fd, dir, &shared);
	if (top < 0)
		err(NS_EXIT_FAIL, "cannot bind-mount %s onto itself", dir);
	if (!shared && own_peer_group(top, false) != 0) {
		saved = errno;
		close(top);
		if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
			warn("cannot undo the bind mount of %s", dir);
		errno = saved;
		err(NS_EXIT_FAIL, "cannot make %s a shared mount", dir);
	}
	/* Ours to take back only on a directory this run made. */
	if (md->n > 0 && mount_state(top, &state, &md->mnt_id) == 0 &&
	    (md->self_bind = strdup(dir)) == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	close(fd);
	return top;
}

/* One try of prepare_dir; false if DIR vanished meanwhile (a failing run
 * took back the directory it had made), to be tried again. */
static bool
try_prepare_dir(const char *dir, bool for_mounts, struct made_dirs *md,
		struct names_dir *nd)
{
	enum mount_state state;
	uint64_t id;

	nd->fd = -1;
	if (make_dirs(dir, md) != 0)
		err(NS_EXIT_FAIL, "cannot create %s", dir);
	nd->path = realpath(dir, NULL);
	if (nd->path == NULL && errno == ENOENT)
		return false;
	if (nd->path == NULL)
		err(NS_EXIT_FAIL, "cannot resolve %s", dir);
	free(md->canon);
	md->canon = strdup(nd->path);
	if (md->canon == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	md->fd = &nd->fd;
	for (int locked = 0; locked < 2; locked++) {
		/* Under the lock, look again: another run may have set up. */
		if (locked) {
			md->lock = take_setup_lock(nd->path, false);
			close(nd->fd);
		}
		nd->fd = open(nd->path,
			      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nd->fd < 0 && errno == ENOENT) {
			release_setup_lock(md);
			free(nd->path);
			return false;
		}
		if (nd->fd < 0)
			err(NS_EXIT_FAIL, "cannot open %s", nd->path);
		if (!for_mounts)
			return true;
		if (mount_state(nd->fd, &state, &id) != 0)
			err(NS_EXIT_FAIL, "cannot tell how %s is mounted",
			    nd->path);
		/* The usual case, set up long ago: no lock needed. */
		if (state == MOUNTED_SHARED)
			break;
		if (!locked)
			continue;
		if (state == NOT_MOUNTED)
			nd->fd = make_own_shared_mount(nd->fd, nd->path, md);
		else if (set_propagation(nd->fd, MS_SHARED | MS_REC) != 0)
			err(NS_EXIT_FAIL, "cannot make %s a shared mount",
			    nd->path);
	}
	release_setup_lock(md);
	return true;
}

/*
 * Create DIR if missing and, for bind mounts, make it a shared mount point
 * as ip netns does; ND gets its canonical path and the fd of the prepared
 * directory.
 */
static void
prepare_dir(const char *dir, bool for_mounts, struct names_dir *nd)
{
	struct made_dirs *md = new_made_dirs();

	for (int i = 0; i < 3; i++)
		if (try_prepare_dir(dir, for_mounts, md, nd))
			return;
	errx(NS_EXIT_FAIL, "cannot create %s: removed again by another run",
	     dir);
}

/* Open the directory of names as it is, to read or remove names. */
static void
open_dir(const char *dir, struct names_dir *nd)
{
	nd->path = strdup(dir);
	if (nd->path == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	nd->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void
close_dir(struct names_dir *nd)
{
	if (nd->fd >= 0)
		close(nd->fd);
	nd->fd = -1;
	free(nd->path);
	nd->path = NULL;
}

static bool
is_net_ns_fd(int fd)
{
	const struct ns_type *t = ns_type_of_fd(fd);

	return t != NULL && t->flag == CLONE_NEWNET;
}

/* What a name is, from the O_PATH fd of it (the top mount there). */
enum name_kind { NAME_OTHER, NAME_NETNS, NAME_EMPTY_FILE };

static enum name_kind
kind_of_fd(int fd)
{
	struct statfs sfs;
	struct statx stx;
	int real;
	bool net;

	if (fstatfs(fd, &sfs) != 0)
		return NAME_OTHER;
	if (sfs.f_type == NSFS_MAGIC) {
		/* for real (an ioctl needs that), never by a path */
		real = ns_reopen_fd(fd, O_RDONLY);
		net = real >= 0 && is_net_ns_fd(real);
		if (real >= 0)
			close(real);
		return net ? NAME_NETNS : NAME_OTHER;
	}
	/*
	 * What a kill -9 between creating the file and mounting on it
	 * leaves (and a failed ip netns add): an empty regular file that is
	 * no mount point.
	 */
	if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &stx) == 0 &&
	    S_ISREG(stx.stx_mode) && stx.stx_size == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return NAME_EMPTY_FILE;
	return NAME_OTHER;
}

/* Is the name still the file of FD (nothing mounted on it meanwhile)? */
static bool
still_same(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 &&
	       fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Unmount and unlink a name, through the directory fd: a network namespace
 * mount, a link to /proc/PID/ns/net, or an empty regular file (stale);
 * anything else stays.  The unlink is asked first (directory writable,
 * not read-only): a name unmounted but not unlinked would lose the
 * namespace and stay behind as a stale file.
 */
static int
remove_name(const struct names_dir *nd, const char *name)
{
	char *path = path_of(nd->path, name);
	char target[64];
	enum name_kind kind = NAME_OTHER;
	struct stat st;
	ssize_t n;
	int fd = -1, rc = -1;

	if (nd->fd < 0 ||
	    fstatat(nd->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(nd->fd, name, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			if (ns_netns_link_pid(target) != 0)
				kind = NAME_NETNS;
		}
	} else {
		fd = openat(nd->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			warn("cannot open %s", path);
			goto out;
		}
		kind = kind_of_fd(fd);
	}
	if (kind == NAME_OTHER) {
		warnx("refusing to remove %s: neither a network namespace "
		      "mount, a link to /proc/PID/ns/net nor an empty file",
		      path);
		goto out;
	}
	if (faccessat(nd->fd, ".", W_OK, AT_EACCESS) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	if (fd >= 0 && kind == NAME_NETNS) {
		/* Exactly the mount the fd is on, whatever the path is now. */
		if (ns_umount_fd(fd, MNT_DETACH) != 0) {
			warn("cannot unmount %s", path);
			goto out;
		}
	} else if (fd >= 0 && !still_same(nd->fd, name, fd)) {
		errno = EBUSY;
		warn("cannot remove %s", path);
		goto out;
	}
	if (unlinkat(nd->fd, name, 0) != 0) {
		warn("cannot remove %s", path);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static void
replace_existing(const struct names_dir *nd, const char *name)
{
	struct stat st;

	if (fstatat(nd->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return;
		err(NS_EXIT_FAIL, "cannot replace %s/%s", nd->path, name);
	}
	if (remove_name(nd, name) != 0)
		exit(NS_EXIT_FAIL);
}

static noreturn void
cannot_name(const struct names_dir *nd, const char *name, const char *what)
{
	if (errno == EEXIST)
		errx(NS_EXIT_FAIL, "%s/%s already exists (--force replaces it)",
		     nd->path, name);
	err(NS_EXIT_FAIL, "cannot %s %s/%s", what, nd->path, name);
}

/* ---- making names -------------------------------------------------------- */

static void
bind_nsfile(int srcfd, const struct names_dir *nd, const char *name)
{
	const char *why;

	if (ns_bind_nsfile_at(srcfd, nd->fd, name, true, &why) != 0)
		cannot_name(nd, name, "bind-mount the network namespace onto");
}

static int
link_pid(const struct netnslink_opts *o)
{
	struct names_dir nd;
	struct ns_proc p;
	char src[64];
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
	prepare_dir(o->dir, !o->symlink, &nd);
	if (o->force)
		replace_existing(&nd, o->name);
	if (o->symlink) {
		snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)o->pid);
		if (symlinkat(src, nd.fd, o->name) != 0)
			cannot_name(&nd, o->name, "create the link");
		/*
		 * The link names a PID, not a process: had it exited by now,
		 * the link would name whoever gets the PID next.
		 */
		if (ns_proc_check_alive(&p) != 0) {
			if (unlinkat(nd.fd, o->name, 0) != 0)
				warn("cannot remove %s/%s", nd.path, o->name);
			errx(NS_EXIT_FAIL, "PID %d exited", (int)o->pid);
		}
	} else {
		bind_nsfile(fd, &nd, o->name);
		close(fd);
	}
	ns_proc_close(&p);
	close_dir(&nd);
	return NS_EXIT_OK;
}

/* The network namespace this thread is in now, from a socket of it
 * (SIOCGSKNS), not through /proc. */
static int
new_netns_fd(void)
{
	int s, fd;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fd = s < 0 ? -1 : ioctl(s, SIOCGSKNS);
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open the new network namespace");
	close(s);
	return fd;
}

static int
new_netns(const struct netnslink_opts *o)
{
	struct names_dir nd;
	int fd;

	prepare_dir(o->dir, true, &nd);
	if (o->force)
		replace_existing(&nd, o->name);
	/* Only this thread moves; the mount goes into our mount namespace. */
	if (unshare(CLONE_NEWNET) != 0)
		err(NS_EXIT_FAIL, "cannot create a network namespace");
	if (o->loopback)
		if (ns_loopback_up() != 0)
			err(NS_EXIT_FAIL, "cannot bring lo up");
	fd = new_netns_fd();
	bind_nsfile(fd, &nd, o->name);
	close(fd);
	close_dir(&nd);
	return NS_EXIT_OK;
}

static int
delete_names(const struct netnslink_opts *o)
{
	struct names_dir nd;
	int rc = NS_EXIT_OK;

	open_dir(o->dir, &nd);
	for (size_t i = 0; i < o->nnames; i++)
		if (remove_name(&nd, o->names[i]) != 0)
			rc = NS_EXIT_FAIL;
	close_dir(&nd);
	return rc;
}

/* ---- reading names and processes ----------------------------------------- */

static int
cmp_proc(const void *a, const void *b)
{
	const struct proc_net *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* /proc, checked (ns_proc_root_open): what is read and opened as root
 * through it is the kernel's. */
static int
proc_root(void)
{
	int fd = ns_proc_root_open();

	if (fd < 0 && errno == EXDEV)
		errx(NS_EXIT_FAIL, "cannot trust /proc: it is not the procfs "
				   "of our PID namespace");
	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open /proc");
	return fd;
}

/* Every process whose network namespace we may see, by PID. */
static struct proc_net *
scan_procs(size_t *n)
{
	struct proc_net *v = NULL;
	struct dirent *de;
	size_t cap = 0;
	int root = proc_root();
	DIR *d = fdopendir(root);

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

/*
 * Open the namespace NAME below the directory fd stands for, as a real fd
 * (-1 if none), and say what kind of name it is: bind, symlink, dangling
 * (a link whose process has gone), recycled (a link to /proc/PID/ns/net
 * whose PID is another process's now), unchecked (a link that reaches a
 * namespace through /proc by another path, whose process cannot be told)
 * or stale (anything else: an empty file a kill left, a file with nothing
 * mounted on it).  Nothing is opened but O_PATH until the filesystem is
 * known to be nsfs (ns_netns_open_at).
 */
static int
open_name(int dirfd, const char *name, const char **kind)
{
	struct stat lst;
	pid_t pid;
	int fd, state;

	if (fstatat(dirfd, name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
		*kind = "stale";
		return -1;
	}
	fd = ns_netns_open_at(dirfd, name, &state, &pid);
	switch (state) {
	case NS_LINK_LIVE:
		*kind = "symlink";
		return fd;
	case NS_LINK_DANGLING:
		*kind = "dangling";
		return -1;
	case NS_LINK_RECYCLED:
		*kind = "recycled";
		return -1;
	case NS_LINK_UNCHECKED:
		*kind = "unchecked";
		return -1;
	}
	if (pid != 0) { /* a /proc link that could not be checked */
		*kind = "dangling";
		return -1;
	}
	if (fd >= 0 && is_net_ns_fd(fd)) {
		*kind = S_ISLNK(lst.st_mode) ? "symlink" : "bind";
		return fd;
	}
	if (fd >= 0)
		close(fd);
	*kind = S_ISLNK(lst.st_mode) ? "dangling" : "stale";
	return -1;
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
	struct names_dir nd;
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
	open_dir(dir, &nd);
	if (nd.fd < 0)
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	v = calloc((size_t)nde + 1, sizeof(*v));
	if (v == NULL)
		err(NS_EXIT_FAIL, "cannot read %s", dir);
	for (int i = 0; i < nde; i++) {
		struct entry *e = &v[i];
		struct stat st;
		int fd;

		e->name = strdup(de[i]->d_name);
		if (e->name == NULL)
			err(NS_EXIT_FAIL, "cannot read %s", dir);
		free(de[i]);
		fd = open_name(nd.fd, e->name, &e->kind);
		if (fd >= 0 && fstat(fd, &st) == 0) {
			e->has_ns = true;
			e->dev = st.st_dev;
			e->ino = st.st_ino;
		}
		if (fd >= 0)
			close(fd);
	}
	free(de);
	close_dir(&nd);
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

/* A table cell lists this many PIDs and counts the rest. */
#define PIDS_SHOWN 5

/*
 * The PIDs in E's namespace, joined by SEP; with SHORT, the first
 * PIDS_SHOWN and "and N more" (the host's namespace holds every process,
 * and a row of them all would make every line of the table that long).
 */
static char *
pid_list(const struct entry *e, const struct proc_net *procs, size_t nprocs,
	 const char *sep, bool short_form, size_t *count)
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
		if (!short_form || *count < PIDS_SHOWN)
			fprintf(f, "%s%d", *count ? sep : "",
				(int)procs[i].pid);
		(*count)++;
	}
	if (short_form && *count > PIDS_SHOWN)
		fprintf(f, " and %zu more", *count - PIDS_SHOWN);
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
		free(pid_list(e, procs, nprocs, ",", false, &count));
		if (asprintf(&s, "%zu", count) < 0)
			err(NS_EXIT_FAIL, "cannot make the table");
		return s;
	case COL_PIDS:
		return pid_list(e, procs, nprocs, o->out.json ? "\n" : ",",
				!o->out.json && !o->out.raw, &count);
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
	char own[32];
	int root;

	ents = read_entries(o->dir, &n);
	procs = scan_procs(&nprocs);
	/* PID 1 may not be ours to look at (ptrace rules): then no "host". */
	root = proc_root();
	snprintf(own, sizeof(own), "%d/ns/net", (int)getpid());
	have_host = fstatat(root, "1/ns/net", &host, 0) == 0;
	have_self = fstatat(root, own, &self, 0) == 0;
	close(root);
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
	struct names_dir nd;
	struct proc_net *procs;
	const char *kind;
	struct stat st;
	size_t nprocs;
	int fd;

	open_dir(o->dir, &nd);
	if (nd.fd < 0)
		err(NS_EXIT_FAIL, "cannot open %s", path);
	fd = open_name(nd.fd, o->name, &kind);
	close_dir(&nd);
	if (fd < 0 && strcmp(kind, "recycled") == 0)
		errx(NS_EXIT_FAIL,
		     "%s is a link to a PID that is another process's now",
		     path);
	if (fd < 0 && strcmp(kind, "unchecked") == 0)
		errx(NS_EXIT_FAIL,
		     "%s reaches a namespace through a /proc/PID path that "
		     "cannot be checked against a reused PID",
		     path);
	if (fd < 0 && strcmp(kind, "dangling") == 0)
		errx(NS_EXIT_FAIL, "%s is a link to a process that has exited",
		     path);
	if (fd < 0 && errno == ENOENT)
		err(NS_EXIT_FAIL, "cannot open %s", path);
	if (fd < 0)
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
	/* Every mode reads or opens through /proc: refuse one that is not
	 * the kernel's before touching anything. */
	close(proc_root());
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
