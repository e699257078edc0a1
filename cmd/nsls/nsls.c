// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls - list namespaces, the processes in them and what keeps them alive.
 * Options, the plan of what to read, and main. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nsls.h"

/*
 * On a narrow terminal libsmartcols first shrinks the columns that may be
 * cut and have a relative width hint, down to that share of the width:
 * the long lists (NSFS, NAME, HOLDERS, hint 0.05) nearly to their
 * headings, COMMAND to a fifth, before it cuts any further.
 */
const struct ns_column columns[NCOLS] = {
	[COL_NS] = { "NS", "namespace identifier (inode number)", 10,
		     SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_TYPE] = { "TYPE", "kind of namespace", 5, 0, SCOLS_JSON_STRING },
	[COL_PATH] = { "PATH", "a path that opens the namespace", 0, 0,
		       SCOLS_JSON_STRING },
	[COL_NPROCS] = { "NPROCS", "number of processes in the namespace", 5,
			 SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_PID] = { "PID", "lowest PID in the namespace", 5, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_PPID] = { "PPID", "parent PID of that process", 5, SCOLS_FL_RIGHT,
		       SCOLS_JSON_NUMBER },
	[COL_COMMAND] = { "COMMAND", "command line of that process", 0.2,
			  SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_UID] = { "UID", "UID of that process", 0, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_USER] = { "USER", "user name of that process", 0, 0,
		       SCOLS_JSON_STRING },
	[COL_NETNSID] = { "NETNSID", "id of the namespace as seen from ours", 0,
			  SCOLS_FL_RIGHT, SCOLS_JSON_STRING },
	[COL_NSFS] = { "NSFS", "where the namespace is bind-mounted here", 0.05,
		       SCOLS_FL_WRAP | SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_PNS] = { "PNS", "parent namespace (pid, user)", 10, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_ONS] = { "ONS", "owner user namespace", 10, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_NAME] = { "NAME", "ip netns name(s) under /run/netns", 0.05,
		       SCOLS_FL_WRAP | SCOLS_FL_TRUNC,
		       SCOLS_JSON_ARRAY_STRING },
	[COL_HOLDERS] = { "HOLDERS", "what keeps the namespace alive", 0.05,
			  SCOLS_FL_WRAP | SCOLS_FL_TRUNC,
			  SCOLS_JSON_ARRAY_STRING },
	[COL_TASKS] = { "TASKS", "which of the -p PIDs are in the namespace", 0,
			0, SCOLS_JSON_ARRAY_NUMBER },
};

static noreturn void
usage(void)
{
	printf("Usage:\n %s [options] [NS ...]\n",
	       program_invocation_short_name);
	fputs("\nList namespaces, the processes in them and what keeps them "
	      "alive.\n"
	      "\n"
	      "Options:\n"
	      " -J, --json                JSON output\n"
	      " -l, --list                a flat list, not a tree of processes\n"
	      " -n, --noheadings          no header line\n"
	      " -o, --output LIST         columns to print (+LIST adds to the "
	      "default)\n"
	      "     --output-all          print every column\n"
	      " -p, --task PID            namespaces of this process (again: the union)\n"
	      " -P, --persistent          namespaces no process is in\n"
	      " -Q, --filter EXPR         only the rows EXPR is true for\n"
	      " -r, --raw                 raw output: no padding, one space "
	      "between cells\n"
	      " -t, --type TYPE           namespace type (mnt net ipc user pid "
	      "uts cgroup time)\n"
	      " -T, --tree[=REL]          tree by process, owner or parent\n"
	      " -u, --notruncate          never shorten a cell to fit the "
	      "terminal\n"
	      " -W, --nowrap              list cells on one line, "
	      "comma-separated\n"
	      " -H, --list-columns        list the columns and exit\n",
	      stdout);
	ns_usage_help_version(27);
	printf("\nColumns:");
	for (size_t i = 0; i < NCOLS; i++)
		printf("%s%s", i % 8 == 0 ? "\n " : " ", columns[i].name);
	putchar('\n');
	ns_usage_man_tail(8);
	exit(NS_EXIT_OK);
}

/*
 * lsns's defaults, which gain NETNSID and NSFS when -t asks for net; for
 * NS arguments its process columns (and NS, to tell several apart).
 * Several -p PIDs add TASKS, before the command.
 */
static void
set_default_columns(struct nsls_opts *o)
{
	static const int def[] = { COL_NS,  COL_TYPE, COL_NPROCS,
				   COL_PID, COL_USER, COL_COMMAND };
	static const int net[] = { COL_NS,   COL_TYPE,	 COL_NPROCS,
				   COL_PID,  COL_USER,	 COL_NETNSID,
				   COL_NSFS, COL_COMMAND };
	static const int procs[] = { COL_NS, COL_PID, COL_PPID, COL_USER,
				     COL_COMMAND };
	size_t skip = 1;

	if (o->nwant > 0) {
		for (size_t i = 1; i < o->nwant; i++)
			if (o->want[i] != o->want[0])
				skip = 0;
		memcpy(o->cols, procs + skip,
		       sizeof(procs) - skip * sizeof(int));
		o->ncols = ARRAY_SIZE(procs) - skip;
	} else if (o->types & (1u << NS_NET)) {
		memcpy(o->cols, net, sizeof(net));
		o->ncols = ARRAY_SIZE(net);
	} else {
		memcpy(o->cols, def, sizeof(def));
		o->ncols = ARRAY_SIZE(def);
	}
	if (o->ntasks > 1) {
		o->cols[o->ncols] = o->cols[o->ncols - 1];
		o->cols[o->ncols++ - 1] = COL_TASKS;
	}
}

/* ---- the kernel's namespace types --------------------------------------- */

/*
 * Every process has the same entries in /proc/PID/ns: ours say which types
 * this kernel has.  The *_for_children entries are no type of their own.
 */
static void
discover_types(struct kernel_types *kt, int procdir)
{
	static const char children[] = "_for_children";
	const size_t clen = sizeof(children) - 1;
	const struct ns_type *known;
	struct dirent *d;
	DIR *dir = NULL;
	int fd;

	for (kt->n = 0; kt->n < NS_NTYPES; kt->n++)
		kt->t[kt->n] = &ns_types[kt->n];
	kt->present = (1u << NS_NTYPES) - 1;
	/* A failure is said when /proc itself is found wanting. */
	fd = procdir < 0 ? -1
			 : openat(procdir, "self/ns",
				  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && (dir = fdopendir(fd)) == NULL)
		close(fd);
	if (dir == NULL)
		return;
	kt->present = 0;
	while ((d = readdir(dir)) != NULL) {
		const char *name = d->d_name;
		size_t len = strlen(name), i;

		if ((known = ns_type_by_name(name)) != NULL)
			kt->present |= 1u << ns_type_index(known);
		if (name[0] == '.' || known != NULL ||
		    (len > clen && strcmp(name + len - clen, children) == 0))
			continue;
		if (len >= NS_TYPE_NAME_MAX || kt->n == KT_MAX) {
			warnx("namespace type '%s' is not listed: no room for it in this version",
			      name);
			continue;
		}
		i = kt->n - NS_NTYPES;
		memcpy(kt->extra_name[i], name, len + 1);
		kt->extra[i] = (struct ns_type){ .name = kt->extra_name[i] };
		kt->present |= 1u << kt->n;
		kt->t[kt->n++] = &kt->extra[i];
	}
	closedir(dir);
}

static bool
kt_index_by_name(const struct kernel_types *kt, const char *name, size_t *ti)
{
	const struct ns_type *t = ns_type_by_name(name);

	if (t != NULL) {
		*ti = ns_type_index(t);
		return true;
	}
	for (size_t i = NS_NTYPES; i < kt->n; i++) {
		if (strcmp(kt->t[i]->name, name) == 0) {
			*ti = i;
			return true;
		}
	}
	return false;
}

size_t
kt_index(const struct kernel_types *kt, const struct ns_type *t)
{
	for (size_t i = NS_NTYPES; i < kt->n; i++)
		if (kt->t[i] == t)
			return i;
	return ns_type_index(t);
}

/* "TYPE:[INO]" of a type the kernel has: 0, its kt index and inode. */
int
kt_parse_link(const struct kernel_types *kt, const char *link, size_t *ti,
	      ino_t *ino)
{
	char name[NS_TYPE_NAME_MAX];

	if (ns_split_ns_link(link, name, ino) != 0 ||
	    !kt_index_by_name(kt, name, ti))
		return -1;
	return 0;
}

/* ---- options ------------------------------------------------------------ */

/* -t WORD that is no type: the types this kernel has, to choose from. */
static noreturn void
unknown_type(const struct kernel_types *kt, const char *arg)
{
	char list[KT_MAX * NS_TYPE_NAME_MAX] = "";
	size_t len = 0;
	int n;

	for (size_t i = 0; i < kt->n; i++) {
		if (!(kt->present & (1u << i)))
			continue;
		n = snprintf(list + len, sizeof(list) - len, " %s",
			     kt->t[i]->name);
		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += (size_t)n;
	}
	ns_usage_error(NS_EXIT_USAGE,
		       "unknown namespace type: '%s' (one of:%s)", arg, list);
}

/*
 * NS that is no inode: a tree relation or a type is a common slip (-T
 * takes its value only as -Towner or --tree=owner, as in lsns).
 */
static noreturn void
invalid_namespace(const struct kernel_types *kt, const char *arg)
{
	static const char *const trees[] = { "process", "owner", "parent" };
	size_t ti;

	for (size_t i = 0; i < ARRAY_SIZE(trees); i++)
		if (strcmp(arg, trees[i]) == 0)
			ns_usage_error(
				NS_EXIT_USAGE,
				"invalid namespace: '%s'; did you mean --tree=%s?",
				arg, arg);
	if (kt_index_by_name(kt, arg, &ti))
		ns_usage_error(NS_EXIT_USAGE,
			       "invalid namespace: '%s'; did you mean -t %s?",
			       arg, kt->t[ti]->name);
	ns_usage_error(NS_EXIT_USAGE, "invalid namespace: '%s'", arg);
}

/*
 * The inode of the namespace file PATH (/proc/PID/ns/net, /run/netns/NAME).
 * O_PATH opens nothing: no FIFO waits, no device runs; only the inode is
 * taken, of an nsfs file.
 */
static unsigned long
ns_file_inode(const char *path)
{
	struct statfs sfs;
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		err(NS_EXIT_FAIL, "cannot open namespace file %s", path);
	if (fstatfs(fd, &sfs) != 0 || fstat(fd, &st) != 0)
		err(NS_EXIT_FAIL, "cannot read namespace file %s", path);
	close(fd);
	if (sfs.f_type != NSFS_MAGIC)
		errx(NS_EXIT_FAIL, "not a namespace file: '%s'", path);
	return (unsigned long)st.st_ino;
}

/* NS arguments: inode numbers, or paths (with a '/') of namespace files. */
static void
parse_namespaces(char **args, size_t n, struct nsls_opts *o)
{
	o->nwant = n;
	o->want = calloc(n ? n : 1, sizeof(*o->want));
	if (o->want == NULL)
		ns_oom(NS_EXIT_FAIL);
	for (size_t i = 0; i < n; i++) {
		long v;

		if (ns_parse_long(args[i], 1, LONG_MAX, &v) == 0)
			o->want[i] = (unsigned long)v;
		else if (strchr(args[i], '/') != NULL)
			o->want[i] = ns_file_inode(args[i]);
		else
			invalid_namespace(&o->kt, args[i]);
	}
}

/* -p PID, again and again: each once. */
static void
add_task(struct nsls_opts *o, const char *arg)
{
	pid_t pid;

	if (ns_parse_pid(arg, &pid) != 0)
		ns_usage_invalid(NS_EXIT_USAGE, "PID", arg);
	for (size_t i = 0; i < o->ntasks; i++)
		if (o->tasks[i] == pid)
			return;
	o->tasks = reallocarray(o->tasks, o->ntasks + 1, sizeof(*o->tasks));
	if (o->tasks == NULL)
		ns_oom(NS_EXIT_FAIL);
	o->tasks[o->ntasks++] = pid;
}

/* -T's REL; none is owner, as in lsns */
static int
parse_tree(const char *rel)
{
	if (rel == NULL)
		return TREE_OWNER;
	/* -T=owner as lsns takes it (getopt leaves the '=') */
	if (rel[0] == '=')
		rel++;
	if (strcmp(rel, "owner") == 0)
		return TREE_OWNER;
	if (strcmp(rel, "parent") == 0)
		return TREE_PARENT;
	if (strcmp(rel, "process") == 0)
		return TREE_PROCESS;
	ns_usage_error(NS_EXIT_USAGE,
		       "unknown tree: '%s' (process, owner or parent)", rel);
}

static void
parse_args(int argc, char **argv, struct nsls_opts *o)
{
	static const struct option longopts[] = {
		NS_OUTPUT_LONG_OPTIONS,
		{ "list", no_argument, NULL, 'l' },
		{ "task", required_argument, NULL, 'p' },
		{ "persistent", no_argument, NULL, 'P' },
		{ "filter", required_argument, NULL, 'Q' },
		{ "type", required_argument, NULL, 't' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool list = false, tree_set = false;
	size_t ti = 0;
	int c;

	o->tree = TREE_PROCESS;
	o->out.json_name = "namespaces";
	while ((c = getopt_long(argc, argv, "Jlno:p:PQ:rt:T::uWHhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			list = true;
			break;
		case 'p':
			add_task(o, optarg);
			break;
		case 'P':
			o->persistent = true;
			break;
		case 'Q':
			nsls_filter_parse(o, optarg);
			break;
		case 't':
			if (!kt_index_by_name(&o->kt, optarg, &ti))
				unknown_type(&o->kt, optarg);
			o->types |= 1u << ti;
			break;
		case 'T':
			tree_set = true;
			o->tree = parse_tree(optarg);
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
	if (optind < argc && o->ntasks > 0)
		ns_usage_exclusive(NS_EXIT_USAGE, "--task", "NS");
	if (optind < argc)
		parse_namespaces(argv + optind, (size_t)(argc - optind), o);
	set_default_columns(o);
	ns_output_columns(&o->out, columns, NCOLS, o->cols, &o->ncols,
			  ARRAY_SIZE(o->cols));
	nsls_filter_columns(o);
	if (list && tree_set)
		ns_usage_exclusive(NS_EXIT_USAGE, "--list", "--tree");
	if (list)
		o->tree = TREE_NONE;
}

bool
want_col(const struct nsls_opts *o, int col)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == col)
			return true;
	return false;
}

bool
want_type(const struct nsls_opts *o, size_t ti)
{
	return o->types == 0 || (o->types & (1u << ti));
}

/* ---- main --------------------------------------------------------------- */

static void
free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void
free_scan(struct scan *s)
{
	for (size_t i = 0; i < s->nall; i++) {
		struct ns *ns = s->all[i];

		free(ns->src_rel);
		free_list(ns->holders, ns->nholders);
		free_list(ns->names, ns->nnames);
		free_list(ns->nsfs, ns->nnsfs);
		free(ns);
	}
	free(s->all);
	ino_table_free(&s->index);
	free(s->procs);
	free_list(s->nsfs_points, s->nnsfs_points);
	if (s->procdir >= 0)
		close(s->procdir);
}

/*
 * Did the scan read every namespace the task has?  A process that exits
 * while its links are read loses those of its nsproxy (mnt, net, ...)
 * first and keeps user and pid: a part of them is not an answer.
 */
static bool
task_complete(const struct nsls_opts *o, const struct proc *p)
{
	for (size_t t = 0; t < o->kt.n; t++)
		if ((o->kt.present & (1u << t)) && p->ino[t] == 0)
			return false;
	return true;
}

static void
read_task_namespaces(const struct scan *s, const struct nsls_opts *o,
		     pid_t task, ino_t *task_ns)
{
	const struct proc *p = proc_find(s, task);
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	struct ns_proc pr;

	if (p != NULL && task_complete(o, p)) {
		memcpy(task_ns, p->ino, sizeof(p->ino));
		return;
	}
	/*
	 * Gone, or exiting (whose ns links refuse even root, as EACCES,
	 * or are gone in part, until it is a zombie: give it a moment):
	 * "No such process".  Else it shut us out.
	 */
	if (ns_proc_open(task, &pr) != 0)
		err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", task);
	pfd.fd = pr.pidfd;
	if (pfd.fd >= 0 && poll(&pfd, 1, 100) > 0) {
		ns_proc_close(&pr);
		errno = ESRCH;
		err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", task);
	}
	ns_proc_close(&pr);
	errno = p == NULL ? EACCES : ENOENT;
	err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", task);
}

/*
 * /proc, checked to be procfs: any other filesystem there (a tmpfs in a
 * container, a bind mount) would list made-up processes and could hold a
 * FIFO where a file should be.  Refused as nsjoin and nsmap refuse it:
 * -1 with errno EXDEV.
 */
static int
open_procfs(void)
{
	struct statfs sfs;
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;

	if (fd < 0)
		return -1;
	errno = 0;
	if (fstatfs(fd, &sfs) != 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		e = errno ? errno : EXDEV;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
check_wanted(const struct scan *s, const struct nsls_opts *o)
{
	for (size_t i = 0; i < o->nwant; i++)
		if (nsls_find(s, (ino_t)o->want[i]) == NULL)
			errx(NS_EXIT_FAIL, "namespace %lu not found",
			     o->want[i]);
}

/* The device of namespace files (nsfs has one), from any of ours. */
static dev_t
nsfs_dev(const struct scan *s, const struct nsls_opts *o)
{
	char path[16 + NS_TYPE_NAME_MAX];
	struct stat st;

	for (size_t t = 0; t < o->kt.n; t++) {
		snprintf(path, sizeof(path), "self/ns/%s", o->kt.t[t]->name);
		if (fstatat(s->procdir, path, &st, 0) == 0)
			return st.st_dev;
	}
	return 0;
}

/*
 * Everything the rows will need, each read only when an option or column
 * asks for it: namespaces of processes, of mounts, of the fds and sockets
 * every process holds (as lsns 2.40+ reads them), their relations and
 * names.
 */
static void
collect(struct scan *s, const struct nsls_opts *o, ino_t (*task_ns)[KT_MAX])
{
	bool related = want_col(o, COL_HOLDERS) || want_col(o, COL_PNS) ||
		       want_col(o, COL_ONS) || o->tree == TREE_OWNER ||
		       o->tree == TREE_PARENT;
	unsigned stat_types = o->types ? o->types : (1u << o->kt.n) - 1;
	struct stat st;

	if (o->ntasks > 0)
		stat_types |= (1u << o->kt.n) - 1;
	scan_proc(s, o, stat_types);
	if (s->nprocs > 0)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), proc_cmp);
	for (size_t i = 0; i < o->ntasks; i++)
		read_task_namespaces(s, o, o->tasks[i], task_ns[i]);
	s->nsfs_dev = nsfs_dev(s, o);
	if (fstatat(s->procdir, "self/ns/mnt", &st, 0) != 0)
		st.st_ino = 0;
	scan_mounts(s, o, st.st_ino);
	scan_fds(s, o, o->persistent || o->nwant > 0);
	read_relations(s, o, !related);
	if (want_col(o, COL_NAME))
		read_netns_names(s);
	if (want_col(o, COL_NAME) && geteuid() != 0)
		read_own_netns_names(s);
	check_wanted(s, o);
}

/*
 * Processes whose namespace files shut us out (even root: PID 1 in some
 * containers), named when they are few, so that what is missing is known.
 * Only a person at a terminal is told: lsns skips them without a word, and
 * scripts written for it (util-linux's own tests among them) take any
 * standard error as a failure.
 */
static void
warn_unreadable(const struct scan *s)
{
	size_t n = s->unreadable, named = ARRAY_SIZE(s->unreadable_pid);
	const pid_t *p = s->unreadable_pid;

	if (n == 0 || !isatty(STDERR_FILENO))
		return;
	if (n == 1)
		warnx("cannot read the namespaces of PID %d: Permission denied",
		      p[0]);
	else if (n <= named) {
		char list[ARRAY_SIZE(s->unreadable_pid) * 16] = "";
		size_t len = 0;

		for (size_t i = 0; i + 1 < n; i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%d", i ? ", " : "", p[i]);
		warnx("cannot read the namespaces of PIDs %s and %d: Permission denied",
		      list, p[n - 1]);
	} else if (n > named)
		warnx("cannot read the namespaces of %zu processes (PIDs %d, %d, %d, %d, %d and %zu more): Permission denied",
		      n, p[0], p[1], p[2], p[3], p[4], n - named);
}

int
main(int argc, char **argv)
{
	struct nsls_opts o = { 0 };
	struct scan s = { .procdir = -1 };
	struct rows rows = { .rtnl.sock = -1 };
	ino_t(*task_ns)[KT_MAX];
	int procdir_errno;

	setlocale(LC_ALL, "");
	/* Before the options: --help and -V to a full disk are failures too */
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	s.procdir = open_procfs();
	procdir_errno = errno;
	discover_types(&o.kt, s.procdir);
	parse_args(argc, argv, &o);
	if (s.procdir < 0) {
		ns_proc_root_warn(procdir_errno);
		exit(NS_EXIT_FAIL);
	}
	task_ns = calloc(o.ntasks ? o.ntasks : 1, sizeof(*task_ns));
	if (task_ns == NULL)
		ns_oom(NS_EXIT_FAIL);
	collect(&s, &o, task_ns);
	resolve_rows(&s, &o, task_ns, &rows);
	/* From here on nothing is read: the rows hold all they show. */
	print_table(&o, &rows);
	warn_unreadable(&s);
	free_rows(&rows);
	free_scan(&s);
	free(task_ns);
	free(o.tasks);
	free(o.want);
	nsls_filter_free(&o);
	return NS_EXIT_OK;
}
