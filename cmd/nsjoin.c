// SPDX-License-Identifier: GPL-2.0-or-later
// nsjoin - run a program inside the namespaces of a process or of files.
#include <dirent.h>
#include <dlfcn.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/magic.h>

#include "nscommon.h"

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_ETC_DIR "/etc/netns"

/*
 * Open the named namespace file PATH (/run/netns/NAME) to join it, as
 * ns_netns_open_at does.  fd, or -1 with errno and, for a dangling,
 * recycled or unchecked name, *WHY saying so (static text).
 */
static int
open_netns_name(const char *path, const char **why)
{
	const char *base;
	int dirfd, fd, state, saved;
	pid_t pid;

	*why = NULL;
	dirfd = ns_open_parent(path, &base);
	if (dirfd < 0)
		return -1;
	fd = ns_netns_open_at(dirfd, base, &state, &pid);
	saved = errno;
	close(dirfd);
	errno = saved;
	switch (state) {
	case NS_LINK_DANGLING:
		*why = "the process it links to has exited";
		break;
	case NS_LINK_RECYCLED:
		*why = "the process it links to has exited and its PID is another process's now";
		break;
	case NS_LINK_UNCHECKED:
		*why = "it reaches a namespace through a /proc/PID path that cannot be checked against a reused PID";
		break;
	}
	return fd;
}

struct nsjoin_opts {
	pid_t target; /* 0: none */
	bool all;
	bool want[NS_NTYPES];	     /* types to join */
	const char *file[NS_NTYPES]; /* FILE for a type, NULL: the target's */
	const char *netns_name;	     /* -nNAME given as a name */
	bool net_bare_last;	     /* the last option was -n/--net alone */
	int net_socket;		     /* -N FD in the target, -1: none */
	bool user_parent;
	bool netns_etc;
	bool set_uid, uid_follow;
	bool set_gid, gid_follow;
	uid_t uid;
	gid_t gid;
	bool preserve_creds;
	bool root_set, wd_set;
	const char *root; /* -r DIR; NULL with root_set: target's */
	const char *wd;	  /* -w DIR; NULL with wd_set: target's */
	const char *wdns; /* -W DIR, resolved after joining */
	bool no_fork;
	bool env;
	bool join_cgroup;
	bool keep_caps;
	bool follow_context; /* -Z: the target's SELinux context */
	char **argv;	     /* the program, NULL for $SHELL */
};

/* What is about to be joined: one namespace fd per type, or the pidfd. */
struct nsjoin_plan {
	int fd[NS_NTYPES]; /* -1: not opened (pidfd path or unused) */
	int flags;	   /* CLONE_NEW* of every type to join */
	bool by_pidfd;	   /* every type comes from the target */
};

/* The column where --help's option descriptions start. */
#define USAGE_COLUMN 26

static noreturn void
usage(void)
{
	fputs("Usage:\n"
	      " nsjoin [options] [program [argument ...]]\n"
	      "\n"
	      "Run a program inside the namespaces of another process,\n"
	      "or of namespace files.\n"
	      "\n"
	      "Options:\n"
	      " -t, --target PID         the process whose namespaces to join\n"
	      " -a, --all                join all namespaces of the target\n"
	      " -m, --mount[=FILE]       join the mount namespace\n"
	      " -u, --uts[=FILE]         join the UTS namespace\n"
	      " -i, --ipc[=FILE]         join the IPC namespace\n"
	      " -n, --net[=FILE|NAME]    join the network namespace; NAME is\n"
	      "                            /run/netns/NAME, also as -n NAME\n"
	      " -p, --pid[=FILE]         join the PID namespace\n"
	      " -U, --user[=FILE]        join the user namespace\n"
	      " -C, --cgroup[=FILE]      join the cgroup namespace\n"
	      " -T, --time[=FILE]        join the time namespace\n"
	      " -N, --net-socket FD      join the network namespace of the\n"
	      "                            target's socket FD\n"
	      "     --user-parent        join the parent of the user namespace\n"
	      "     --netns-etc          with -nNAME: /etc/netns/NAME over /etc\n"
	      "                            and a fresh /sys, as ip netns exec\n"
	      " -S, --setuid UID         set the user: a UID, a name or follow\n"
	      " -G, --setgid GID         set the group: a GID, a name or follow\n"
	      "     --preserve-credentials\n"
	      "                          keep uid and gid on joining a user namespace\n"
	      "     --keep-caps          keep capabilities across the exec\n"
	      " -r, --root[=DIR]         root: DIR, or the target's\n"
	      " -w, --wd[=DIR]           working directory: DIR, or the target's\n"
	      " -W, --wdns DIR           set the working directory, resolved\n"
	      "                            inside the joined namespaces\n"
	      " -e, --env                take the target's environment\n"
	      " -c, --join-cgroup        move into the target's cgroup\n"
	      " -F, --no-fork            do not fork before running the program\n"
	      " -Z, --follow-context     run with the target's SELinux context\n",
	      stdout);
	ns_usage_help_version(USAGE_COLUMN);
	ns_usage_man_tail(1);
	exit(EXIT_SUCCESS);
}

/*
 * A namespace FILE the user names may sit where others can swap it for a
 * FIFO (an open would block) or a device (an open can act): it is opened
 * O_PATH, must be an nsfs inode, and only then is that inode reopened for
 * setns, through a checked /proc/self/fd (ns_reopen_fd).  -1 with errno
 * (ENOTNAM: not nsfs; EXDEV: /proc/self/fd is not procfs's own).
 */
static int
open_nsfs(const char *path)
{
	struct statfs sfs;
	int pfd, fd, saved;

	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstatfs(pfd, &sfs) != 0) {
		saved = errno;
		close(pfd);
		errno = saved;
		return -1;
	}
	if (sfs.f_type != NSFS_MAGIC) {
		close(pfd);
		errno = ENOTNAM;
		return -1;
	}
	fd = ns_reopen_fd(pfd, O_RDONLY);
	saved = errno == ESTALE ? ENOTNAM : errno;
	close(pfd);
	errno = saved;
	return fd;
}

/* -t FILE, as if it were nsenter's --net=FILE: say which option takes it. */
static noreturn void
bad_target(const char *arg)
{
	const struct ns_type *t = NULL;
	int fd = open_nsfs(arg);

	if (fd >= 0) {
		t = ns_type_of_fd(fd);
		close(fd);
	}
	if (t != NULL)
		ns_usage_error(
			NS_EXIT_OWN_FAILURE,
			"'%s' is a %s namespace file, not a PID: join it with --%s=%s",
			arg, t->name, t->long_opt, arg);
	ns_usage_invalid(NS_EXIT_OWN_FAILURE, "PID", arg);
}

static void
parse_id_opt(const char *arg, bool is_uid, struct nsjoin_opts *o)
{
	bool *follow = is_uid ? &o->uid_follow : &o->gid_follow;
	int r;

	if (strcmp(arg, "follow") == 0) {
		*follow = true;
	} else {
		r = is_uid ? ns_parse_uid(arg, &o->uid)
			   : ns_parse_gid(arg, &o->gid);
		if (r != 0)
			ns_usage_invalid(NS_EXIT_OWN_FAILURE,
					 is_uid ? "uid" : "gid", arg);
	}
	if (is_uid)
		o->set_uid = true;
	else
		o->set_gid = true;
}

static void
parse_ns_opt(int c, const char *arg, struct nsjoin_opts *o)
{
	size_t i = ns_type_index(ns_type_by_opt(c));

	o->want[i] = true;
	o->file[i] = NULL;
	if (arg == NULL)
		return;
	if (*arg == '\0')
		ns_usage_error(NS_EXIT_OWN_FAILURE, "--%s: empty file name",
			       ns_types[i].long_opt);
	o->file[i] = arg;
}

/* Is there a network namespace name NAME under /run/netns (a bind mount,
 * a symlink or anything else: what is there is checked when opened)? */
static bool
netns_name_exists(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	struct stat st;

	if (!ns_netns_name_valid(name, NULL))
		return false;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	return fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* --net=VALUE, -nVALUE: a path if it has a slash or names an existing file
 * (as nsenter takes it), else a name under /run/netns. */
static void
set_net_value(struct nsjoin_opts *o, const char *value)
{
	struct stat st;

	o->netns_name = NULL;
	if (strchr(value, '/') == NULL &&
	    fstatat(AT_FDCWD, value, &st, AT_SYMLINK_NOFOLLOW) != 0)
		o->netns_name = value;
}

/*
 * "-n NAME" as ip netns exec users type it.  getopt gives an optional value
 * only attached (-nNAME, --net=NAME), and its leading '+' stops it at the
 * word after a bare -n as at the program.  That word is NAME when
 * /run/netns/NAME exists, wherever -n stands and whatever else is given;
 * otherwise, with a target before it (-t, -a, -N), -n keeps nsenter's
 * meaning, the target's network namespace, and the word is the program;
 * without one, -n has nothing else to join, so the word is the FILE (with
 * a slash) or the NAME.  The options go on after a word taken.  Returns
 * whether it took the word.
 */
static bool
take_separate_netns_name(struct nsjoin_opts *o, int argc, char **argv)
{
	size_t net = NS_NET;
	bool has_target = o->target != 0 || o->all || o->net_socket >= 0;
	const char *word;

	if (!o->net_bare_last || optind >= argc)
		return false;
	word = argv[optind];
	if (!netns_name_exists(word) && has_target)
		return false;
	optind++;
	o->net_bare_last = false;
	if (*word == '\0')
		ns_usage_error(NS_EXIT_OWN_FAILURE, "--net: empty file name");
	o->file[net] = word;
	o->netns_name = strchr(word, '/') == NULL ? word : NULL;
	return true;
}

/* The long-only options. */
enum {
	OPT_PRESERVE = CHAR_MAX + 1,
	OPT_KEEP_CAPS,
	OPT_USER_PARENT,
	OPT_NETNS_ETC,
};

/* One option C with its value ARG (NULL: none) into O. */
static void
parse_option(int c, const char *arg, struct nsjoin_opts *o)
{
	switch (c) {
	case 't':
		if (ns_parse_pid(arg, &o->target) != 0)
			bad_target(arg);
		break;
	case 'a':
		o->all = true;
		break;
	case 'n':
		parse_ns_opt(c, arg, o);
		o->netns_name = NULL;
		if (arg != NULL)
			set_net_value(o, arg);
		break;
	case 'N':
		if (ns_parse_fd(arg, &o->net_socket) != 0)
			ns_usage_invalid(NS_EXIT_OWN_FAILURE, "file descriptor",
					 arg);
		break;
	case OPT_USER_PARENT:
		o->user_parent = true;
		break;
	case OPT_NETNS_ETC:
		o->netns_etc = true;
		break;
	case 'S':
		parse_id_opt(arg, true, o);
		break;
	case 'G':
		parse_id_opt(arg, false, o);
		break;
	case OPT_PRESERVE:
		o->preserve_creds = true;
		break;
	case OPT_KEEP_CAPS:
		o->keep_caps = true;
		break;
	case 'r':
		o->root_set = true;
		o->root = arg;
		break;
	case 'w':
		o->wd_set = true;
		o->wd = arg;
		break;
	case 'W':
		o->wdns = arg;
		break;
	case 'e':
		o->env = true;
		break;
	case 'c':
		o->join_cgroup = true;
		break;
	case 'F':
		o->no_fork = true;
		break;
	case 'Z':
		o->follow_context = true;
		break;
	case 'h':
		usage();
	case 'V':
		ns_print_version();
	default:
		if (ns_type_by_opt(c) == NULL)
			ns_try_help(NS_EXIT_OWN_FAILURE);
		parse_ns_opt(c, arg, o);
	}
}

static void
parse_args(int argc, char **argv, struct nsjoin_opts *o)
{
	static const struct option own_longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "net-socket", required_argument, NULL, 'N' },
		{ "user-parent", no_argument, NULL, OPT_USER_PARENT },
		{ "netns-etc", no_argument, NULL, OPT_NETNS_ETC },
		{ "setuid", required_argument, NULL, 'S' },
		{ "setgid", required_argument, NULL, 'G' },
		{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE },
		{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
		{ "root", optional_argument, NULL, 'r' },
		{ "wd", optional_argument, NULL, 'w' },
		{ "wdns", required_argument, NULL, 'W' },
		{ "env", no_argument, NULL, 'e' },
		{ "join-cgroup", no_argument, NULL, 'c' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "follow-context", no_argument, NULL, 'Z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct option longopts[NS_NTYPES + ARRAY_SIZE(own_longopts)];
	char nsopts[NS_TYPE_SHORTOPTS_SIZE], shortopts[64];
	int c, before;

	ns_type_getopt(longopts, nsopts);
	memcpy(longopts + NS_NTYPES, own_longopts, sizeof(own_longopts));
	snprintf(shortopts, sizeof(shortopts), "+t:a%sN:S:G:r::w::W:ecFZhV",
		 nsopts);
	for (;;) {
		before = optind;
		c = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (c != -1)
			o->net_bare_last = c == 'n' && optarg == NULL;
		/* Stopped at a word, or past a "--" it consumed: after "--"
		 * comes the program, never a NAME. */
		if (c == -1) {
			if (optind > before ||
			    !take_separate_netns_name(o, argc, argv))
				break;
			continue;
		}
		parse_option(c, optarg, o);
	}
	o->argv = optind < argc ? argv + optind : NULL;
}

static void
check_args(struct nsjoin_opts *o)
{
	size_t net = NS_NET;
	size_t user = NS_USER;
	const struct ns_type *need_target = NULL;
	const char *why;
	bool any = false;

	if (o->all)
		for (size_t i = 0; i < NS_NTYPES; i++)
			o->want[i] = true;
	if (o->net_socket >= 0) {
		if (o->file[net] != NULL)
			ns_usage_exclusive(NS_EXIT_OWN_FAILURE, "--net-socket",
					   "--net=FILE");
		o->want[net] = true;
	}
	if (o->user_parent)
		o->want[user] = true;
	for (size_t i = 0; i < NS_NTYPES; i++) {
		any |= o->want[i];
		if (need_target == NULL && o->want[i] && o->file[i] == NULL)
			need_target = &ns_types[i];
	}
	if (!any)
		ns_usage_error(
			NS_EXIT_OWN_FAILURE,
			"no namespace to join: add -a for all of the target's, or some of -m -u -i -n -p -U -C -T");
	if (o->target == 0) {
		if (o->all)
			ns_usage_error(NS_EXIT_OWN_FAILURE,
				       "-a (--all) needs --target");
		if (need_target != NULL)
			ns_usage_error(NS_EXIT_OWN_FAILURE,
				       "-%c (--%s) without FILE needs --target",
				       need_target->opt, need_target->long_opt);
		if ((o->root_set && o->root == NULL) ||
		    (o->wd_set && o->wd == NULL) || o->env || o->join_cgroup ||
		    o->uid_follow || o->gid_follow || o->follow_context)
			ns_usage_error(
				NS_EXIT_OWN_FAILURE,
				"an option that takes from the target needs --target");
	}
	if (o->netns_name != NULL && !ns_netns_name_valid(o->netns_name, &why))
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "invalid netns name: '%s': %s", o->netns_name,
			       why);
	if (o->netns_etc && o->netns_name == NULL)
		ns_usage_error(NS_EXIT_OWN_FAILURE,
			       "--netns-etc needs -nNAME or --net=NAME");
}

/* ---- opening what is to be joined ------------------------------------- */

static const char *
type_file_path(const struct nsjoin_opts *o, size_t i, char **alloc)
{
	*alloc = NULL;
	if (ns_types[i].flag == CLONE_NEWNET && o->netns_name != NULL &&
	    o->file[i] == o->netns_name) {
		if (asprintf(alloc, "%s/%s", NETNS_RUN_DIR, o->netns_name) < 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
		return *alloc;
	}
	return o->file[i];
}

/* Does type I come from the target itself, rather than from a file, a
 * socket's network namespace or the parent of a user namespace? */
static bool
from_target(const struct nsjoin_opts *o, size_t i)
{
	if (o->file[i] != NULL)
		return false;
	if (ns_types[i].flag == CLONE_NEWNET)
		return o->net_socket < 0;
	if (ns_types[i].flag == CLONE_NEWUSER)
		return !o->user_parent;
	return true;
}

/* What is joined for type I, in words for a message; malloc'd. */
static char *
source_in_words(const struct nsjoin_opts *o, const struct ns_proc *p, size_t i)
{
	const char *type = ns_types[i].name;
	char *alloc, *name;
	int r;

	if (o->file[i] != NULL) {
		const char *path = type_file_path(o, i, &alloc);

		r = o->user_parent && ns_types[i].flag == CLONE_NEWUSER
			    ? asprintf(&name, "parent of user namespace %s",
				       path)
			    : asprintf(&name, "%s namespace %s", type, path);
		free(alloc);
	} else if (ns_types[i].flag == CLONE_NEWNET && o->net_socket >= 0) {
		r = asprintf(&name, "net namespace of fd %d of PID %d",
			     o->net_socket, (int)p->pid);
	} else if (ns_types[i].flag == CLONE_NEWUSER && o->user_parent) {
		r = asprintf(&name, "parent user namespace of PID %d",
			     (int)p->pid);
	} else {
		r = asprintf(&name, "%s namespace of PID %d", type,
			     (int)p->pid);
	}
	if (r < 0)
		ns_oom(NS_EXIT_OWN_FAILURE);
	return name;
}

static int
open_ns_file(const struct nsjoin_opts *o, size_t i)
{
	const struct ns_type *t;
	char *alloc;
	const char *path = type_file_path(o, i, &alloc), *why = NULL;
	bool name = ns_types[i].flag == CLONE_NEWNET && o->netns_name != NULL &&
		    o->file[i] == o->netns_name;
	int fd;

	/* A name (-n NAME) that links to a PID is checked to be its
	 * process; anything else must be an nsfs inode before it is opened */
	fd = name ? open_netns_name(path, &why) : open_nsfs(path);
	if (fd < 0 && why != NULL)
		errx(NS_EXIT_OWN_FAILURE, "cannot open %s: %s", path, why);
	if (fd < 0 && errno == ENOTNAM)
		errx(NS_EXIT_OWN_FAILURE, "%s is not a namespace file", path);
	if (fd < 0 && errno == EXDEV)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot open %s: /proc/self/fd is not procfs's own", path);
	if (fd < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot open %s", path);
	t = ns_type_of_fd(fd);
	if (t == NULL)
		errx(NS_EXIT_OWN_FAILURE, "%s is not a namespace file", path);
	if (t != &ns_types[i])
		errx(NS_EXIT_OWN_FAILURE, "%s is a %s namespace, not %s", path,
		     t->name, ns_types[i].name);
	free(alloc);
	return fd;
}

static int
open_socket_netns(const struct ns_proc *p, int sockfd)
{
	int fd, ns;

	if (p->pidfd < 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "--net-socket needs pidfd_getfd (Linux 5.6)");
	fd = (int)syscall(SYS_pidfd_getfd, p->pidfd, sockfd, 0);
	if (fd < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot get fd %d of PID %d", sockfd,
		    (int)p->pid);
	ns = ioctl(fd, SIOCGSKNS);
	if (ns < 0)
		err(NS_EXIT_OWN_FAILURE,
		    "cannot get network namespace of fd %d of PID %d", sockfd,
		    (int)p->pid);
	close(fd);
	/* The kernel opens it close-on-exec, as every nsfs ioctl fd. */
	return ns;
}

static int
open_target_ns(const struct ns_proc *p, size_t i)
{
	int fd = ns_proc_open_ns(p, ns_types[i].name);

	if (fd < 0 && errno == EXDEV)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot open %s namespace of PID %d: /proc/%d/ns/%s is covered by a mount",
		     ns_types[i].name, (int)p->pid, (int)p->pid,
		     ns_types[i].name);
	if (fd < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot open %s namespace of PID %d",
		    ns_types[i].name, (int)p->pid);
	return fd;
}

/* Replace the user namespace FD by its parent (--user-parent). */
static int
user_parent_of(int fd, const struct nsjoin_opts *o, const struct ns_proc *p,
	       size_t i)
{
	int parent = ioctl(fd, NS_GET_PARENT);

	if (parent < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot get %s",
		    source_in_words(o, p, i));
	close(fd);
	return parent;
}

static int
open_one(const struct nsjoin_opts *o, const struct ns_proc *p, size_t i)
{
	int fd;

	if (o->file[i] != NULL)
		fd = open_ns_file(o, i);
	else if (ns_types[i].flag == CLONE_NEWNET && o->net_socket >= 0)
		return open_socket_netns(p, o->net_socket);
	else
		fd = open_target_ns(p, i);
	if (ns_types[i].flag == CLONE_NEWUSER && o->user_parent)
		fd = user_parent_of(fd, o, p, i);
	return fd;
}

/* With --all, a namespace the target shares with us (SELF) is left alone:
 * joining our own user namespace is refused by the kernel, and the others
 * would change nothing but need privilege. */
static bool
same_as_ours(const struct ns_proc *p, size_t i, const struct ns_proc *self)
{
	int fd = ns_proc_open_ns(p, ns_types[i].name);
	bool same = fd >= 0 && ns_is_own_ns(fd, &ns_types[i], self);

	if (fd >= 0)
		close(fd);
	return same;
}

/* Which namespaces to join (PROC_ROOT: the checked /proc), and their fds
 * unless the pidfd joins them all. */
static void
open_namespaces(const struct nsjoin_opts *o, int proc_root,
		const struct ns_proc *p, struct nsjoin_plan *plan)
{
	struct ns_proc self = { .pidfd = -1, .procfd = -1 };
	bool from_files = false;

	if (o->all && ns_proc_open_or_warn(proc_root, getpid(), &self) != 0)
		exit(NS_EXIT_OWN_FAILURE);
	plan->flags = 0;
	for (size_t i = 0; i < NS_NTYPES; i++) {
		plan->fd[i] = -1;
		if (!o->want[i])
			continue;
		if (o->all && from_target(o, i) && same_as_ours(p, i, &self))
			continue;
		plan->flags |= ns_types[i].flag;
		if (!from_target(o, i))
			from_files = true;
	}
	ns_proc_close(&self);
	plan->by_pidfd = !from_files && p->pidfd >= 0;
	if (plan->by_pidfd)
		return;
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (plan->flags & ns_types[i].flag)
			plan->fd[i] = open_one(o, p, i);
}

/* ---- joining ---------------------------------------------------------- */

/* Joining a user namespace first gives us its capabilities for the
 * others; a caller with CAP_SYS_ADMIN already has them and would lose
 * those over namespaces owned by an ancestor, so it joins the user
 * namespace last. */
static bool
user_first(void)
{
	return !ns_caps_effective(CAP_SYS_ADMIN);
}

static size_t
join_order(size_t *order)
{
	size_t user = NS_USER, n = 0;
	bool first = user_first();

	if (first)
		order[n++] = user;
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (i != user)
			order[n++] = i;
	if (!first)
		order[n++] = user;
	return n;
}

/*
 * setns(2) refuses the user namespace we are in with EINVAL: is that what
 * type I names?  FD is its namespace when already open, else -1.
 */
static bool
is_own_user_ns(const struct nsjoin_opts *o, const struct ns_proc *p, size_t i,
	       int fd)
{
	int own = fd < 0 ? open_one(o, p, i) : fd;
	bool same = ns_is_own_ns(own, &ns_types[NS_USER], NULL);

	if (own != fd)
		close(own);
	return same;
}

static noreturn void
describe_failure(const struct nsjoin_opts *o, const struct ns_proc *p, size_t i,
		 int error, int fd)
{
	char *name = source_in_words(o, p, i);

	if (error == EINVAL && ns_types[i].flag == CLONE_NEWUSER &&
	    is_own_user_ns(o, p, i, fd))
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot join %s: it already is your user namespace", name);
	errno = error;
	err(NS_EXIT_OWN_FAILURE, "cannot join %s", name);
}

/* setns each fd in order: index of the first failure with *ERROR set,
 * or NS_NTYPES when all are joined. */
static size_t
join_each(const struct nsjoin_plan *plan, int *error)
{
	size_t order[NS_NTYPES], n = join_order(order);

	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];

		if (plan->fd[i] < 0)
			continue;
		if (setns(plan->fd[i], ns_types[i].flag) != 0) {
			*error = errno;
			return i;
		}
	}
	return NS_NTYPES;
}

struct probe_result {
	int index;
	int error;
};

/*
 * The one-call setns(pidfd) says only that something failed.  A throwaway
 * child joins the same namespaces one at a time to learn which one, so the
 * message can name it.  The child may join whatever it likes: it exits.
 */
static bool
probe_failure(const struct ns_proc *p, int flags, struct probe_result *res)
{
	size_t order[NS_NTYPES], n = join_order(order);
	int pfd[2], status;
	ssize_t got;
	pid_t child;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return false;
	child = fork();
	if (child < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	if (child == 0) {
		struct probe_result r = { .index = NS_NTYPES };

		close(pfd[0]);
		for (size_t k = 0; k < n; k++) {
			int flag = ns_types[order[k]].flag;

			if ((flags & flag) && setns(p->pidfd, flag) != 0) {
				r.index = (int)order[k];
				r.error = errno;
				break;
			}
		}
		if (write(pfd[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	got = read(pfd[0], res, sizeof(*res));
	close(pfd[0]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return got == (ssize_t)sizeof(*res) && res->index >= 0 &&
	       res->index < NS_NTYPES;
}

static void
join_by_pidfd(const struct nsjoin_opts *o, const struct ns_proc *p,
	      struct nsjoin_plan *plan)
{
	struct probe_result res;
	int error;

	if (setns(p->pidfd, plan->flags) == 0)
		return;
	error = errno;
	if (error == ESRCH)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot join namespaces of PID %d: it has exited",
		     (int)p->pid);
	/*
	 * Before Linux 5.8 setns(pidfd) is always EINVAL, and a probe would
	 * only say so again.  From 5.8 on, EINVAL is also a refusal (the
	 * user namespace we are already in): joining one by one, below, then
	 * fails on that namespace and names it.  Nothing is joined yet.
	 */
	if (error != EINVAL && probe_failure(p, plan->flags, &res))
		describe_failure(o, p, (size_t)res.index, res.error, -1);
	/* Old kernel, or each alone works and together not: join one by
	 * one, through the ns files of the verified /proc/PID. */
	if (ns_proc_check_alive(p) != 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot join namespaces of PID %d: it has exited",
		     (int)p->pid);
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (plan->flags & ns_types[i].flag)
			plan->fd[i] = open_target_ns(p, i);
	plan->by_pidfd = false;
}

static void
join_namespaces(const struct nsjoin_opts *o, const struct ns_proc *p,
		struct nsjoin_plan *plan)
{
	size_t failed;
	int error;

	/* -a on a target that shares every namespace with us. */
	if (plan->flags == 0)
		return;
	if (plan->by_pidfd) {
		join_by_pidfd(o, p, plan);
		if (plan->by_pidfd)
			return;
	}
	/* The fds were opened through the verified /proc/PID directory; the
	 * process must still be the same one when we start joining. */
	if (o->target != 0 && ns_proc_check_alive(p) != 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot join namespaces of PID %d: it has exited",
		     (int)p->pid);
	failed = join_each(plan, &error);
	if (failed < NS_NTYPES)
		describe_failure(o, p, failed, error, plan->fd[failed]);
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (plan->fd[i] >= 0)
			close(plan->fd[i]);
}

/* ---- what is taken from the target before joining --------------------- */

struct nsjoin_taken {
	int root_fd;	   /* -1: leave the root alone */
	int cwd_fd;	   /* -1: leave the cwd alone */
	char *environ_buf; /* NUL-separated, -e */
	size_t environ_len;
	uid_t uid; /* -S follow */
	gid_t gid;
};

static int
open_dir_for(const struct ns_proc *p, const char *dir, const char *what)
{
	int fd;

	if (dir != NULL)
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else
		/* root and cwd are magic links, followed; a symbolic link
		 * mounted over one is refused */
		fd = ns_proc_open_link(p, what, O_PATH | O_DIRECTORY);
	if (fd < 0) {
		if (dir != NULL)
			err(NS_EXIT_OWN_FAILURE, "cannot open %s", dir);
		if (errno == EXDEV)
			errx(NS_EXIT_OWN_FAILURE,
			     "cannot open %s directory of PID %d: /proc/%d/%s is covered by a mount",
			     what, (int)p->pid, (int)p->pid, what);
		err(NS_EXIT_OWN_FAILURE, "cannot open %s directory of PID %d",
		    what, (int)p->pid);
	}
	return fd;
}

static void
read_target_environ(const struct ns_proc *p, struct nsjoin_taken *t)
{
	size_t cap = 4096;
	ssize_t n;
	int fd;

	fd = ns_openat_beneath(p->procfd, "environ", O_RDONLY);
	if (fd < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot read environment of PID %d",
		    (int)p->pid);
	t->environ_buf = malloc(cap + 1);
	if (t->environ_buf == NULL)
		ns_oom(NS_EXIT_OWN_FAILURE);
	for (;;) {
		if (t->environ_len == cap) {
			char *b = realloc(t->environ_buf, cap * 2 + 1);

			if (b == NULL)
				ns_oom(NS_EXIT_OWN_FAILURE);
			t->environ_buf = b;
			cap *= 2;
		}
		n = read(fd, t->environ_buf + t->environ_len,
			 cap - t->environ_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot read environment of PID %d", (int)p->pid);
		if (n == 0)
			break;
		t->environ_len += (size_t)n;
	}
	t->environ_buf[t->environ_len] = '\0';
	close(fd);
}

/*
 * The target's ids as its own user namespace sees them: /proc/PID is owned
 * by its effective ids as we see them, and its uid_map/gid_map translate.
 */
static void
read_target_ids(const struct nsjoin_opts *o, const struct ns_proc *p,
		struct nsjoin_taken *t)
{
	struct ns_idmap map;
	struct stat st;
	uint32_t id;

	if (fstat(p->procfd, &st) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot stat /proc/%d", (int)p->pid);
	t->uid = st.st_uid;
	t->gid = st.st_gid;
	if (!o->want[NS_USER])
		return;
	if (o->uid_follow && ns_idmap_read(p->procfd, "uid_map", &map) == 0 &&
	    ns_idmap_translate(&map, st.st_uid, false, &id) == 0)
		t->uid = id;
	if (o->gid_follow && ns_idmap_read(p->procfd, "gid_map", &map) == 0 &&
	    ns_idmap_translate(&map, st.st_gid, false, &id) == 0)
		t->gid = id;
}

/*
 * Where our view of the cgroup v2 tree shows cgroup PATH (as /proc/PID/cgroup
 * gives it, relative to our cgroup namespace): below a cgroup2 mount whose
 * root is PATH or one of its ancestors.  Not always /sys/fs/cgroup: hybrid
 * systems mount it on /sys/fs/cgroup/unified.  malloc'd, or NULL.
 */
static char *
cgroup2_dir(const char *path)
{
	struct ns_mountinfo m;
	char *line = NULL, *dir = NULL;
	size_t cap = 0, len;
	int fd = ns_proc_self_open("mountinfo");
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");

	if (f == NULL)
		err(NS_EXIT_OWN_FAILURE, "cannot read /proc/self/mountinfo");
	while (dir == NULL && getline(&line, &cap, f) > 0) {
		if (ns_mountinfo_parse(line, &m) != 0 ||
		    strcmp(m.fstype, "cgroup2") != 0)
			continue;
		len = strcmp(m.root, "/") == 0 ? 0 : strlen(m.root);
		if (strncmp(path, m.root, len) != 0 ||
		    (path[len] != '/' && path[len] != '\0'))
			continue;
		if (asprintf(&dir, "%s%s", m.mountpoint, path + len) < 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
	}
	fclose(f);
	free(line);
	return dir;
}

/* Written before joining: cgroup.procs is reached through our own mounts,
 * and "0" moves the writer, whatever PID namespace it reads. */
static void
join_target_cgroup(const struct ns_proc *p)
{
	char *line = NULL, *dir = NULL, *procs;
	size_t cap = 0;
	FILE *f;
	int fd;

	fd = ns_openat_beneath(p->procfd, "cgroup", O_RDONLY);
	f = fd < 0 ? NULL : fdopen(fd, "re");
	if (f == NULL)
		err(NS_EXIT_OWN_FAILURE, "cannot read cgroup of PID %d",
		    (int)p->pid);
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		dir = cgroup2_dir(line + 3);
		if (dir == NULL)
			errx(NS_EXIT_OWN_FAILURE,
			     "cgroup %s of PID %d is not visible: no cgroup2 mount shows it",
			     line + 3, (int)p->pid);
		break;
	}
	fclose(f);
	free(line);
	if (dir == NULL)
		errx(NS_EXIT_OWN_FAILURE, "PID %d is in no cgroup v2 cgroup",
		     (int)p->pid);
	if (asprintf(&procs, "%s/cgroup.procs", dir) < 0)
		ns_oom(NS_EXIT_OWN_FAILURE);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		err(NS_EXIT_OWN_FAILURE, "cannot join cgroup %s", dir);
	close(fd);
	free(procs);
	free(dir);
}

static void
take_from_target(const struct nsjoin_opts *o, const struct ns_proc *p,
		 int flags, struct nsjoin_taken *t)
{
	bool mnt = flags & CLONE_NEWNS;

	t->root_fd = t->cwd_fd = -1;
	if (o->root_set || (mnt && o->target != 0))
		t->root_fd = open_dir_for(p, o->root, "root");
	if (o->wd_set || (mnt && o->target != 0 && o->wdns == NULL))
		t->cwd_fd = open_dir_for(p, o->wd, "cwd");
	if (o->env)
		read_target_environ(p, t);
	if (o->uid_follow || o->gid_follow)
		read_target_ids(o, p, t);
	if (o->join_cgroup)
		join_target_cgroup(p);
}

/*
 * -Z: the program is to run in the target's SELinux context.  libselinux is
 * loaded only here, so that nsjoin needs it neither to build nor to run.
 * The context is read through the verified /proc/PID, not by PID.
 */
static void
follow_context(const struct ns_proc *p)
{
	int (*enabled)(void);
	int (*setexec)(const char *);
	char con[4096];
	ssize_t n;
	void *lib;
	int fd;

	lib = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		errx(NS_EXIT_OWN_FAILURE,
		     "--follow-context needs SELinux: cannot load libselinux.so.1");
	*(void **)&enabled = dlsym(lib, "is_selinux_enabled");
	*(void **)&setexec = dlsym(lib, "setexeccon");
	if (enabled == NULL || setexec == NULL)
		errx(NS_EXIT_OWN_FAILURE,
		     "--follow-context: libselinux.so.1 lacks setexeccon");
	if (enabled() <= 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "--follow-context needs SELinux: it is not enabled");
	fd = ns_openat_beneath(p->procfd, "attr/current",
			       O_RDONLY | O_NONBLOCK);
	n = fd < 0 ? -1 : read(fd, con, sizeof(con) - 1);
	if (n <= 0)
		err(NS_EXIT_OWN_FAILURE,
		    "cannot read the SELinux context of PID %d", (int)p->pid);
	close(fd);
	con[n] = '\0';
	con[strcspn(con, "\n")] = '\0';
	if (ns_proc_check_alive(p) != 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot join namespaces of PID %d: it has exited",
		     (int)p->pid);
	if (setexec(con) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set the SELinux context %s",
		    con);
}

/* ---- after joining ---------------------------------------------------- */

static void
change_root_and_cwd(const struct nsjoin_opts *o, struct nsjoin_taken *t)
{
	if (t->root_fd >= 0) {
		if (fchdir(t->root_fd) != 0 || chroot(".") != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot change root to %s",
			    o->root ? o->root : "the target's root");
		close(t->root_fd);
		/* Without a cwd of its own, stay inside the new root. */
		if (t->cwd_fd < 0 && o->wdns == NULL && chdir("/") != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot change directory to /");
	}
	if (t->cwd_fd >= 0) {
		if (fchdir(t->cwd_fd) != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot change directory to %s",
			    o->wd ? o->wd : "the target's directory");
		close(t->cwd_fd);
	}
	if (o->wdns != NULL && chdir(o->wdns) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot change directory to %s",
		    o->wdns);
}

static void
bind_netns_etc(const char *name)
{
	char *dir, *src, *dst;
	struct dirent *e;
	DIR *d;

	if (asprintf(&dir, "%s/%s", NETNS_ETC_DIR, name) < 0)
		ns_oom(NS_EXIT_OWN_FAILURE);
	d = opendir(dir);
	if (d == NULL) {
		if (errno == ENOENT) {
			free(dir);
			return;
		}
		err(NS_EXIT_OWN_FAILURE, "cannot open %s", dir);
	}
	while ((errno = 0, e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (asprintf(&src, "%s/%s", dir, e->d_name) < 0 ||
		    asprintf(&dst, "/etc/%s", e->d_name) < 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
		if (mount(src, dst, NULL, MS_BIND, NULL) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot bind %s on %s", src,
			    dst);
		free(src);
		free(dst);
	}
	if (errno != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot read %s", dir);
	closedir(d);
	free(dir);
}

/* What ip netns exec does: a mount namespace of our own, so that neither
 * the fresh /sys nor the /etc binds are seen by anyone else. */
static void
setup_netns_etc(const char *name)
{
	if (unshare(CLONE_NEWNS) != 0)
		err(NS_EXIT_OWN_FAILURE,
		    "cannot make a private mount namespace for --netns-etc");
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot make / a slave mount");
	/* sysfs shows the network namespace of whoever mounts it. */
	if (mount(name, "/sys", "sysfs", 0, NULL) != 0)
		warn("cannot mount a fresh /sys for %s, keeping the old one",
		     name);
	bind_netns_etc(name);
}

static void
set_environment(struct nsjoin_taken *t)
{
	if (clearenv() != 0)
		errx(NS_EXIT_OWN_FAILURE, "cannot clear the environment");
	for (size_t off = 0; off < t->environ_len;) {
		char *var = t->environ_buf + off;

		off += strlen(var) + 1;
		if (strchr(var, '=') != NULL && putenv(var) != 0)
			ns_oom(NS_EXIT_OWN_FAILURE);
	}
}

static void
set_credentials(const struct nsjoin_opts *o, const struct nsjoin_taken *t,
		bool joined_user)
{
	bool do_uid = o->set_uid, do_gid = o->set_gid;
	uid_t uid = o->uid_follow ? t->uid : o->uid;
	gid_t gid = o->gid_follow ? t->gid : o->gid;

	/* As nsenter: who joins a user namespace becomes its root. */
	if (joined_user && !o->preserve_creds) {
		do_uid = do_gid = true;
		if (!o->set_uid)
			uid = 0;
		if (!o->set_gid)
			gid = 0;
	}
	if (!do_uid && !do_gid)
		return;
	if (o->keep_caps && ns_caps_keep_on_setuid(true) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
	/* setgroups is denied in a user namespace whose gid_map an
	 * unprivileged user wrote: the groups then stay, unmapped. */
	if (do_gid && setgroups(0, NULL) != 0 &&
	    !(joined_user && errno == EPERM))
		err(NS_EXIT_OWN_FAILURE, "cannot drop supplementary groups");
	if (do_gid && setresgid(gid, gid, gid) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set group ID to %u",
		    (unsigned)gid);
	if (do_uid && setresuid(uid, uid, uid) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set user ID to %u",
		    (unsigned)uid);
}

static void
keep_capabilities(void)
{
	if (ns_caps_raise_effective() != 0 || ns_caps_make_ambient() != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
}

/* The kernel puts only children into a joined PID namespace.  PROC_ROOT is
 * our own /proc, opened before joining, to look at the child through. */
static void
fork_for_pid_namespace(int proc_root)
{
	sigset_t old;
	pid_t child;

	ns_block_forwarded_signals(&old);
	child = fork();
	if (child < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot fork");
	if (child == 0) {
		if (sigprocmask(SIG_SETMASK, &old, NULL) != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot restore the signal mask");
		if (proc_root >= 0)
			close(proc_root);
		return;
	}
	ns_forward_and_exit_like_at(child,
				    ns_open_child_proc(proc_root, child));
}

/*
 * /proc as it is before any join, checked (ns_proc_root_open): the target
 * is opened through it, and a forked child is watched through it.  Without
 * a target, a /proc that fails the check only costs the emulated signal
 * death of a PID 1 child (-1).
 */
static int
open_proc_root(const struct nsjoin_opts *o)
{
	int fd;

	if (o->target == 0 && (!o->want[NS_PID] || o->no_fork))
		return -1;
	if (o->target == 0)
		return ns_proc_root_open();
	fd = ns_proc_root_open_or_warn();
	if (fd < 0)
		exit(NS_EXIT_OWN_FAILURE);
	return fd;
}

static void
open_target(const struct nsjoin_opts *o, int proc_root, struct ns_proc *p)
{
	if (ns_proc_open_or_warn(proc_root, o->target, p) != 0)
		exit(NS_EXIT_OWN_FAILURE);
}

/* ---- not root: the caller's own names (common/userns_names.c) ------- */

/*
 * An unprivileged user's name (netnslink --new NAME) is kept by a holder
 * process: join the holder's network namespace and the user namespace that
 * owns it, through its checked pidfd, which makes the user root in there.
 * A name that is none of the user's is looked up under /run/netns as ever.
 */
static void
use_own_netns_name(struct nsjoin_opts *o, struct ns_proc *p)
{
	int rc = ns_unames_find_holder(o->netns_name, NETNS_RUN_DIR, p);

	if (rc < 0)
		exit(NS_EXIT_OWN_FAILURE);
	if (rc > 0)
		return;
	o->target = p->pid;
	o->file[NS_NET] = NULL;
	o->want[NS_USER] = true;
}

int
main(int argc, char **argv)
{
	struct nsjoin_opts o = { .net_socket = -1 };
	struct ns_proc proc = { .pid = 0, .pidfd = -1, .procfd = -1 };
	struct nsjoin_taken taken = { 0 };
	struct nsjoin_plan plan;
	int proc_root;

	ns_close_stdout_at_exit(NS_EXIT_OWN_FAILURE);
	parse_args(argc, argv, &o);
	check_args(&o);

	/* Nothing in the target may ptrace us while we hold host fds. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		err(NS_EXIT_OWN_FAILURE,
		    "cannot make the process non-dumpable");
	proc_root = open_proc_root(&o);
	if (o.target != 0)
		open_target(&o, proc_root, &proc);
	if (o.netns_name != NULL && o.target == 0 && geteuid() != 0)
		use_own_netns_name(&o, &proc);
	if (o.follow_context)
		follow_context(&proc);

	open_namespaces(&o, proc_root, &proc, &plan);
	take_from_target(&o, &proc, plan.flags, &taken);
	join_namespaces(&o, &proc, &plan);
	ns_proc_close(&proc);

	change_root_and_cwd(&o, &taken);
	if (o.netns_etc)
		setup_netns_etc(o.netns_name);
	if (o.env)
		set_environment(&taken);
	set_credentials(&o, &taken, plan.flags & CLONE_NEWUSER);
	if (o.keep_caps)
		keep_capabilities();
	if ((plan.flags & CLONE_NEWPID) && !o.no_fork)
		fork_for_pid_namespace(proc_root);
	ns_exec_command(o.argv);
}
