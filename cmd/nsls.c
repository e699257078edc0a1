// SPDX-License-Identifier: GPL-2.0-or-later
/* nsls - list namespaces, the processes in them and what keeps them alive. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>
#include <linux/openat2.h>
#include <linux/sockios.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nscommon.h"

enum {
	COL_NS,
	COL_TYPE,
	COL_PATH,
	COL_NPROCS,
	COL_PID,
	COL_PPID,
	COL_COMMAND,
	COL_UID,
	COL_USER,
	COL_NETNSID,
	COL_NSFS,
	COL_PNS,
	COL_ONS,
	COL_NAME,
	COL_HOLDERS,
	NCOLS
};

static const struct ns_column columns[NCOLS] = {
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
	[COL_COMMAND] = { "COMMAND", "command line of that process", 0,
			  SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_UID] = { "UID", "UID of that process", 0, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_USER] = { "USER", "user name of that process", 0, 0,
		       SCOLS_JSON_STRING },
	[COL_NETNSID] = { "NETNSID", "id of the namespace as seen from ours", 0,
			  SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_NSFS] = { "NSFS", "where the namespace is bind-mounted here", 0,
		       SCOLS_FL_WRAP, SCOLS_JSON_STRING },
	[COL_PNS] = { "PNS", "parent namespace (pid, user)", 10, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_ONS] = { "ONS", "owner user namespace", 10, SCOLS_FL_RIGHT,
		      SCOLS_JSON_NUMBER },
	[COL_NAME] = { "NAME", "ip netns name(s) under /run/netns", 0,
		       SCOLS_FL_WRAP, SCOLS_JSON_ARRAY_STRING },
	[COL_HOLDERS] = { "HOLDERS", "what keeps the namespace alive", 0,
			  SCOLS_FL_WRAP, SCOLS_JSON_ARRAY_STRING },
};

enum { TREE_NONE, TREE_PROCESS, TREE_OWNER, TREE_PARENT };

/*
 * The kernel's namespace types: ns_types first, then those /proc/self/ns
 * shows that this build does not know (a newer kernel's), listed by name.
 * Room for a few: the kernel gains about one type in five years.
 */
#define KT_EXTRA 4
#define KT_MAX (NS_NTYPES + KT_EXTRA)
struct kernel_types {
	const struct ns_type *t[KT_MAX];
	size_t n;
	unsigned present; /* bit per index: in /proc/self/ns */
	struct ns_type extra[KT_EXTRA];
	char extra_name[KT_EXTRA][NS_TYPE_NAME_MAX];
};

struct nsls_opts {
	struct ns_output out;
	struct kernel_types kt;
	unsigned types; /* bit per kt index; all when 0 */
	pid_t task;	/* -p, 0 for every process */
	int tree;
	bool persistent;
	int cols[4 * NCOLS];
	size_t ncols;
	unsigned long *want; /* positional NS inodes */
	size_t nwant;
};

/*
 * Where a namespace no process is in can be reached again: a file a
 * process holds (/proc/PID/fd/N), or a bind mount in our mount namespace
 * or in that of process PID.  Either is another user's to change at any
 * moment: it is only ever opened as checked by open_ns.
 */
enum { SRC_NONE, SRC_FD, SRC_MOUNT };

/* One namespace, whichever way it was found. */
struct ns {
	ino_t ino;
	const struct ns_type *type;
	size_t nprocs;
	pid_t pid; /* lowest member, 0 for none */
	int src;
	pid_t src_pid; /* SRC_FD: the holder; SRC_MOUNT: 0 for ours */
	char *src_rel; /* SRC_FD: "N"; SRC_MOUNT: the mount point */
	ino_t parent, owner;
	char **holders;
	size_t nholders;
	char **names;
	size_t nnames;
	char **nsfs;
	size_t nnsfs;
	struct libscols_line *line;
	int visit; /* 0 new, 1 being placed, 2 placed */
};

struct proc {
	pid_t pid;
	ino_t ino[KT_MAX]; /* by kt index */
};

struct scan {
	struct ns **all; /* in order found */
	size_t nall, allocall;
	struct ns **hash; /* open addressing by inode */
	size_t hsize;
	struct proc *procs;
	size_t nprocs, allocprocs;
	size_t unreadable;
	int procdir;
	int rtnl; /* NETLINK_ROUTE, opened at the first NETNSID */
	uint32_t rtnl_seq;
	struct {
		uid_t uid;
		char *name;
	} * users;
	size_t nusers;
};

static noreturn void
usage(void)
{
	printf("Usage: %s [options] [NS ...]\n", program_invocation_short_name);
	fputs("\nList namespaces, the processes in them and what keeps them "
	      "alive.\n\n"
	      "Options:\n"
	      " -J, --json             print JSON\n"
	      " -l, --list             a flat list, not a tree of processes\n"
	      " -n, --noheadings       no header line\n"
	      " -o, --output LIST      output columns (+LIST appends)\n"
	      "     --output-all       print every column\n"
	      " -p, --task PID         namespaces of this process only\n"
	      " -P, --persistent       namespaces no process is in\n"
	      " -r, --raw              columns separated by one space, no padding\n"
	      " -t, --type TYPE        namespace type (mnt net ipc user pid "
	      "uts cgroup time)\n"
	      " -T, --tree[=REL]       tree by process, owner or parent\n"
	      " -u, --notruncate       never shorten a cell to fit the terminal\n"
	      " -W, --nowrap           list cells on one line, comma-separated\n"
	      " -H, --list-columns     list the columns\n"
	      " -h, --help             print this help\n"
	      " -V, --version          print the version\n",
	      stdout);
	printf("\nColumns:");
	for (size_t i = 0; i < NCOLS; i++)
		printf("%s %s", i % 8 == 0 ? "\n " : "", columns[i].name);
	printf("\n\nSee nsls(8).\n");
	exit(NS_EXIT_OK);
}

/* lsns's defaults, which gain NETNSID and NSFS when -t asks for net. */
static void
set_default_columns(struct nsls_opts *o)
{
	static const int def[] = { COL_NS,  COL_TYPE, COL_NPROCS,
				   COL_PID, COL_USER, COL_COMMAND };
	static const int net[] = { COL_NS,   COL_TYPE,	 COL_NPROCS,
				   COL_PID,  COL_USER,	 COL_NETNSID,
				   COL_NSFS, COL_COMMAND };
	size_t ti = ns_type_index(ns_type_by_name("net"));

	if (o->types & (1u << ti)) {
		memcpy(o->cols, net, sizeof(net));
		o->ncols = ARRAY_SIZE(net);
	} else {
		memcpy(o->cols, def, sizeof(def));
		o->ncols = ARRAY_SIZE(def);
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
			warnx("namespace type '%s' is not listed: no room "
			      "for it in this version",
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

static size_t
kt_index(const struct kernel_types *kt, const struct ns_type *t)
{
	for (size_t i = NS_NTYPES; i < kt->n; i++)
		if (kt->t[i] == t)
			return i;
	return ns_type_index(t);
}

/* "TYPE:[INO]" of a type the kernel has: 0, its kt index and inode. */
static int
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

static void
parse_args(int argc, char **argv, struct nsls_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, NS_OPT_OUTPUT_ALL },
		{ "task", required_argument, NULL, 'p' },
		{ "persistent", no_argument, NULL, 'P' },
		{ "raw", no_argument, NULL, 'r' },
		{ "type", required_argument, NULL, 't' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool list = false, tree_set = false;
	size_t ti = 0;
	int c;

	o->tree = TREE_PROCESS;
	o->out.json_name = "namespaces";
	while ((c = getopt_long(argc, argv, "Jlno:p:Prt:T::uWHhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			list = true;
			break;
		case 'p':
			if (ns_parse_pid(optarg, &o->task) != 0)
				ns_usage_error(NS_EXIT_USAGE,
					       "invalid PID: '%s'", optarg);
			break;
		case 'P':
			o->persistent = true;
			break;
		case 't':
			if (!kt_index_by_name(&o->kt, optarg, &ti))
				ns_usage_error(NS_EXIT_USAGE,
					       "unknown namespace type: '%s'",
					       optarg);
			o->types |= 1u << ti;
			break;
		case 'T':
			tree_set = true;
			if (optarg == NULL || strcmp(optarg, "owner") == 0)
				o->tree = TREE_OWNER;
			else if (strcmp(optarg, "parent") == 0)
				o->tree = TREE_PARENT;
			else if (strcmp(optarg, "process") == 0)
				o->tree = TREE_PROCESS;
			else
				ns_usage_error(NS_EXIT_USAGE,
					       "unknown tree: '%s' (process, "
					       "owner or parent)",
					       optarg);
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
	set_default_columns(o);
	ns_output_columns(&o->out, columns, NCOLS, o->cols, &o->ncols,
			  ARRAY_SIZE(o->cols));
	if (list && tree_set)
		ns_usage_error(NS_EXIT_USAGE,
			       "--list and --tree are mutually exclusive");
	if (list)
		o->tree = TREE_NONE;
	if (optind < argc) {
		o->nwant = (size_t)(argc - optind);
		o->want = calloc(o->nwant, sizeof(*o->want));
		if (o->want == NULL)
			err(NS_EXIT_FAIL, "cannot allocate");
		for (size_t i = 0; i < o->nwant; i++) {
			long v;

			if (ns_parse_long(argv[optind + i], 1, LONG_MAX, &v))
				ns_usage_error(NS_EXIT_USAGE,
					       "invalid namespace: '%s'",
					       argv[optind + i]);
			o->want[i] = (unsigned long)v;
		}
	}
}

static bool
want_col(const struct nsls_opts *o, int col)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == col)
			return true;
	return false;
}

static bool
want_type(const struct nsls_opts *o, size_t ti)
{
	return o->types == 0 || (o->types & (1u << ti));
}

/* ---- the namespace table ------------------------------------------------ */

static void *
xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (p == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	return p;
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	return d;
}

/* First slot of INO in an open-addressing table of SIZE (a power of 2). */
static size_t
ino_hash(ino_t ino, size_t size)
{
	return (size_t)(ino * 0x9e3779b97f4a7c15ULL) & (size - 1);
}

static size_t
hash_slot(const struct scan *s, ino_t ino)
{
	size_t i = ino_hash(ino, s->hsize);

	while (s->hash[i] != NULL && s->hash[i]->ino != ino)
		i = (i + 1) & (s->hsize - 1);
	return i;
}

static struct ns *
ns_find(const struct scan *s, ino_t ino)
{
	return s->hsize ? s->hash[hash_slot(s, ino)] : NULL;
}

static void
hash_grow(struct scan *s)
{
	struct ns **old = s->hash;
	size_t oldsize = s->hsize;

	s->hsize = oldsize ? oldsize * 2 : 256;
	s->hash = calloc(s->hsize, sizeof(struct ns *));
	if (s->hash == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	for (size_t i = 0; i < oldsize; i++)
		if (old[i] != NULL)
			s->hash[hash_slot(s, old[i]->ino)] = old[i];
	free(old);
}

static struct ns *
ns_get(struct scan *s, ino_t ino, const struct ns_type *type)
{
	struct ns *ns = ns_find(s, ino);

	if (ns != NULL)
		return ns;
	if (2 * (s->nall + 1) > s->hsize)
		hash_grow(s);
	ns = calloc(1, sizeof(*ns));
	if (ns == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	ns->ino = ino;
	ns->type = type;
	if (s->nall == s->allocall) {
		s->allocall = s->allocall ? 2 * s->allocall : 256;
		s->all = xrealloc(s->all, s->allocall, sizeof(struct ns *));
	}
	s->all[s->nall++] = ns;
	s->hash[hash_slot(s, ino)] = ns;
	return ns;
}

static void add_string(char ***list, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add_string(char ***list, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *str;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		err(NS_EXIT_FAIL, "cannot allocate");
	va_end(ap);
	*list = xrealloc(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = str;
}

/* The first way found to reach a namespace again is kept. */
static void
set_src(struct ns *ns, int src, pid_t pid, const char *rel)
{
	if (ns->src != SRC_NONE)
		return;
	ns->src = src;
	ns->src_pid = pid;
	ns->src_rel = xstrdup(rel);
}

/* ---- scanning /proc ----------------------------------------------------- */

/*
 * The only per-process work: one fstatat per namespace type the request
 * needs, relative to the /proc fd, with nothing opened.
 */
static void
scan_process(struct scan *s, const struct nsls_opts *o, pid_t pid,
	     unsigned stat_types)
{
	struct proc p = { .pid = pid };
	char path[32 + NS_TYPE_NAME_MAX], link[64], name[NS_TYPE_NAME_MAX];
	bool seen = false;
	ssize_t n;

	for (size_t t = 0; t < o->kt.n; t++) {
		if (!(stat_types & (1u << t)))
			continue;
		snprintf(path, sizeof(path), "%d/ns/%s", pid, o->kt.t[t]->name);
		/*
		 * readlink gives "net:[INO]" from the process alone; stat
		 * would also look up the nsfs dentry, about twice the cost.
		 */
		n = readlinkat(s->procdir, path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (ns_split_ns_link(link, name, &p.ino[t]) != 0)
				continue;
		}
		if (n <= 0) {
			if (errno == EACCES || errno == EPERM) {
				s->unreadable++;
				return;
			}
			/* Gone (or a zombie) before its first file: skip it. */
			if (!seen)
				return;
			continue;
		}
		seen = true;
	}
	for (size_t t = 0; t < o->kt.n; t++) {
		struct ns *ns;

		if (p.ino[t] == 0 || !want_type(o, t))
			continue;
		ns = ns_get(s, p.ino[t], o->kt.t[t]);
		if (ns->nprocs++ == 0 || pid < ns->pid)
			ns->pid = pid;
	}
	if (s->nprocs == s->allocprocs) {
		s->allocprocs = s->allocprocs ? 2 * s->allocprocs : 1024;
		s->procs = xrealloc(s->procs, s->allocprocs, sizeof(*s->procs));
	}
	s->procs[s->nprocs++] = p;
}

static void
scan_proc(struct scan *s, const struct nsls_opts *o, unsigned stat_types)
{
	size_t bufsize = 1 << 16;
	char *buf = malloc(bufsize);
	long n;

	if (buf == NULL)
		err(NS_EXIT_FAIL, "cannot allocate");
	while ((n = syscall(SYS_getdents64, s->procdir, buf, bufsize)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			pid_t pid;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
			    ns_parse_pid(d->d_name, &pid) != 0)
				continue;
			scan_process(s, o, pid, stat_types);
		}
	}
	if (n < 0)
		err(NS_EXIT_FAIL, "cannot read /proc");
	free(buf);
}

static int
proc_cmp(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static const struct proc *
proc_find(const struct scan *s, pid_t pid)
{
	struct proc key = { .pid = pid };

	if (s->nprocs == 0)
		return NULL;
	return bsearch(&key, s->procs, s->nprocs, sizeof(key), proc_cmp);
}

/* ---- namespaces no process is in -------------------------------------- */

/*
 * A process may exit (ENOENT, ESRCH) or shut us out (EACCES, EPERM) at any
 * moment: what it had is skipped.  Running out of file descriptors or
 * memory is ours, and skipping then would make the listing silently short.
 */
static void fail_if_exhausted(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
fail_if_exhausted(const char *fmt, ...)
{
	int e = errno;
	char what[128];
	va_list ap;

	if (e != EMFILE && e != ENFILE && e != ENOMEM)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errno = e;
	err(NS_EXIT_FAIL, "%s", what);
}

/*
 * Read PATH below DIRFD whole.  ONE_RECORD: a file the kernel hands out in
 * one go (stat, comm, cmdline), where a short read is the end, which saves
 * the read(2) that would return 0 on every shown process.
 */
static char *
read_file_at(int dirfd, const char *path, size_t *lenp, bool one_record)
{
	size_t size = 4096, len = 0;
	char *buf;
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fail_if_exhausted("cannot read /proc/%s", path);
		return NULL;
	}
	buf = xrealloc(NULL, size, 1);
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += (size_t)n;
		if (one_record && len < size - 1)
			break;
		if (size - len - 1 == 0) {
			size *= 2;
			buf = xrealloc(buf, size, 1);
		}
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		free(buf);
		errno = e;
		fail_if_exhausted("cannot read /proc/%s", path);
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* ---- nsfs mounts: namespaces held by a bind mount ----------------------- */

/*
 * The kernel ABI of statmount(2) and listmount(2) (6.8; of another mount
 * namespace since 6.11) and of the mount namespace ioctls (6.12), under our
 * own names: the libc and kernel headers here may predate them, or define
 * them some day.
 */
struct nsls_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts;
	uint64_t mnt_ns_id;
};

#define NSLS_NSIO 0xb7
#define NSLS_MNT_GET_INFO _IOR(NSLS_NSIO, 10, struct nsls_mnt_ns_info)
#define NSLS_MNT_GET_NEXT _IOR(NSLS_NSIO, 11, struct nsls_mnt_ns_info)
#define NSLS_MNT_GET_PREV _IOR(NSLS_NSIO, 12, struct nsls_mnt_ns_info)

struct nsls_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};

/* The fixed part is 512 bytes in every version; strings follow it. */
struct nsls_statmount {
	uint32_t size, mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags, fs_type;
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root, mnt_point;
	uint64_t spare[50];
	char str[];
};

#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#define NSLS_LSMT_ROOT 0xffffffffffffffffULL
#define NSLS_STATMOUNT_SB_BASIC 0x01U
#define NSLS_STATMOUNT_MNT_ROOT 0x08U
#define NSLS_STATMOUNT_MNT_POINT 0x10U

/* One nsfs mount of a wanted namespace, in mount namespace MNTNS. */
struct nsfs_mount {
	const struct ns_type *type;
	ino_t ino;
	ino_t mntns;
	char *point; /* from the root of MNTNS */
};

/*
 * Mount namespaces by inode, and their lowest PID: open addressing, as the
 * namespace table, but of every mount namespace met, also with mnt not a
 * wanted type (-t net), so a lookup per process or mount is O(1).
 */
struct mntns_pid {
	ino_t ino; /* 0: a free slot */
	pid_t pid; /* 0: none known yet */
};

struct nsfs_mounts {
	struct nsfs_mount *m;
	size_t n;
	struct mntns_pid *mntns;
	size_t nmntns, msize;
};

static void
free_nsfs_mounts(struct nsfs_mounts *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].point);
	free(ms->m);
	free(ms->mntns);
	memset(ms, 0, sizeof(*ms));
}

/* The namespace ROOT ("net:[4026532000]") names, if of a wanted type. */
static bool
wanted_nsfs_root(const struct nsls_opts *o, const char *root,
		 const struct ns_type **t, ino_t *ino)
{
	size_t ti;

	if (kt_parse_link(&o->kt, root, &ti, ino) != 0 || !want_type(o, ti))
		return false;
	*t = o->kt.t[ti];
	return true;
}

static struct mntns_pid *
mntns_slot(const struct nsfs_mounts *ms, ino_t ino)
{
	size_t i = ino_hash(ino, ms->msize);

	while (ms->mntns[i].ino != 0 && ms->mntns[i].ino != ino)
		i = (i + 1) & (ms->msize - 1);
	return &ms->mntns[i];
}

static struct mntns_pid *
mntns_find(const struct nsfs_mounts *ms, ino_t ino)
{
	struct mntns_pid *e;

	if (ms->msize == 0)
		return NULL;
	e = mntns_slot(ms, ino);
	return e->ino != 0 ? e : NULL;
}

/* Mount namespace INO with PID if new; NULL if it was there already. */
static struct mntns_pid *
mntns_add(struct nsfs_mounts *ms, ino_t ino, pid_t pid)
{
	struct mntns_pid *e;

	if (mntns_find(ms, ino) != NULL)
		return NULL;
	if (2 * (ms->nmntns + 1) > ms->msize) {
		struct mntns_pid *old = ms->mntns;
		size_t oldsize = ms->msize;

		ms->msize = oldsize ? 2 * oldsize : 64;
		ms->mntns = calloc(ms->msize, sizeof(*ms->mntns));
		if (ms->mntns == NULL)
			err(NS_EXIT_FAIL, "cannot allocate");
		for (size_t i = 0; i < oldsize; i++)
			if (old[i].ino != 0)
				*mntns_slot(ms, old[i].ino) = old[i];
		free(old);
	}
	e = mntns_slot(ms, ino);
	*e = (struct mntns_pid){ ino, pid };
	ms->nmntns++;
	return e;
}

static void
add_nsfs_mount(struct nsfs_mounts *ms, const struct ns_type *t, ino_t ino,
	       const char *point, ino_t mntns)
{
	ms->m = xrealloc(ms->m, ms->n + 1, sizeof(*ms->m));
	ms->m[ms->n++] = (struct nsfs_mount){ t, ino, mntns, xstrdup(point) };
}

/*
 * The nsfs mounts of the mount namespace NSID through statmount(2): a
 * superblock magic per mount, the strings only for nsfs.  Far cheaper than
 * having the kernel format a whole mountinfo.  -1 with errno when the
 * kernel cannot do it; 0 otherwise, also when the namespace died meanwhile.
 */
static int
read_mount_table(struct nsfs_mounts *ms, const struct nsls_opts *o,
		 uint64_t nsid, int nsfd, struct nsls_statmount *sm,
		 size_t bufsize)
{
	enum { BATCH = 512 };
	struct nsls_mnt_id_req req = {
		.size = sizeof(req),
		.mnt_id = NSLS_LSMT_ROOT,
		.mnt_ns_id = nsid,
	};
	uint64_t ids[BATCH];
	const struct ns_type *t;
	struct stat st = { 0 };
	ino_t ino;
	long n;

	do {
		n = syscall(SYS_listmount, &req, ids, BATCH, 0);
		if (n < 0) {
			/* Gone, or not ours to see: nothing there. */
			return errno == ENOENT || errno == EPERM ? 0 : -1;
		}
		for (long i = 0; i < n; i++) {
			struct nsls_mnt_id_req q = {
				.size = sizeof(q),
				.mnt_id = ids[i],
				.param = NSLS_STATMOUNT_SB_BASIC,
				.mnt_ns_id = nsid,
			};

			if (syscall(SYS_statmount, &q, sm, bufsize, 0) != 0 ||
			    sm->sb_magic != NSFS_MAGIC)
				continue;
			q.param = NSLS_STATMOUNT_MNT_ROOT |
				  NSLS_STATMOUNT_MNT_POINT;
			if (syscall(SYS_statmount, &q, sm, bufsize, 0) != 0 ||
			    (sm->mask & q.param) != q.param ||
			    !wanted_nsfs_root(o, sm->str + sm->mnt_root, &t,
					      &ino))
				continue;
			/* The namespace's inode: only where it is needed. */
			if (st.st_ino == 0 && fstat(nsfd, &st) != 0)
				continue;
			add_nsfs_mount(ms, t, ino, sm->str + sm->mnt_point,
				       st.st_ino);
		}
		if (n > 0)
			req.param = ids[n - 1];
	} while (n == BATCH);
	return 0;
}

/*
 * Every mount namespace, also one no process is in, walked with
 * NS_MNT_GET_PREV/NEXT from ours (each one the caller may administer):
 * no per-process work at all.  -1 when the kernel has not got it.
 */
static int
find_nsfs_mounts_by_walk(struct scan *s, const struct nsls_opts *o,
			 struct nsfs_mounts *ms)
{
	static const unsigned long step[] = { NSLS_MNT_GET_PREV,
					      NSLS_MNT_GET_NEXT };
	struct nsls_mnt_ns_info info = { .size = sizeof(info) };
	size_t bufsize = sizeof(struct nsls_statmount) + 2 * (size_t)PATH_MAX;
	struct nsls_statmount *sm;
	int self, rc = -1;

	if (!ns_caps_effective(CAP_SYS_ADMIN))
		return -1;
	self = openat(s->procdir, "self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	sm = xrealloc(NULL, 1, bufsize);
	if (ioctl(self, NSLS_MNT_GET_INFO, &info) != 0 ||
	    read_mount_table(ms, o, info.mnt_ns_id, self, sm, bufsize) != 0)
		goto out;
	for (size_t d = 0; d < 2; d++) {
		int cur = self, next, e;

		for (;;) {
			next = ioctl(cur, step[d], &info);
			e = errno;
			if (cur != self)
				close(cur);
			if (next < 0 && e == ENOENT)
				break;
			if (next < 0 ||
			    read_mount_table(ms, o, info.mnt_ns_id, next, sm,
					     bufsize) != 0) {
				if (next >= 0)
					close(next);
				goto out;
			}
			cur = next;
		}
	}
	rc = 0;
out:
	free(sm);
	close(self);
	return rc;
}

/*
 * Without that walk: the mountinfo of one process per mount namespace,
 * which takes the mount namespace of every process.
 */
static void
read_mnt_links(struct scan *s)
{
	char path[64], link[64];
	const struct ns_type *t;
	ssize_t n;

	for (size_t i = 0; i < s->nprocs; i++) {
		struct proc *p = &s->procs[i];

		if (p->ino[0] != 0)
			continue;
		snprintf(path, sizeof(path), "%d/ns/mnt", p->pid);
		n = readlinkat(s->procdir, path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (ns_parse_ns_link(link, &t, &p->ino[0]) != 0)
			p->ino[0] = 0;
	}
}

static void
find_nsfs_mounts_by_proc(struct scan *s, const struct nsls_opts *o,
			 struct nsfs_mounts *ms)
{
	read_mnt_links(s);
	/* procs is sorted: the first of a mount namespace is its lowest. */
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct proc *p = &s->procs[i];
		char path[64], *text, *line, *save = NULL;
		struct ns_mountinfo mi;

		if (p->ino[0] == 0 || mntns_add(ms, p->ino[0], p->pid) == NULL)
			continue;
		snprintf(path, sizeof(path), "%d/mountinfo", p->pid);
		text = read_file_at(s->procdir, path, NULL, false);
		if (text == NULL)
			continue;
		for (line = strtok_r(text, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			const struct ns_type *t;
			ino_t ino;

			if (strstr(line, " - nsfs ") != NULL &&
			    ns_mountinfo_parse(line, &mi) == 0 &&
			    wanted_nsfs_root(o, mi.root, &t, &ino))
				add_nsfs_mount(ms, t, ino, mi.mountpoint,
					       p->ino[0]);
		}
		free(text);
	}
}

/*
 * The lowest PID in each mount namespace that holds a wanted mount, read
 * lazily: with -t net, the mount namespace of every process is needed only
 * when some other mount namespace has a net namespace mounted, and the scan
 * stops once each has its PID.
 */
static void
find_mntns_pids(struct scan *s, struct nsfs_mounts *ms, ino_t self_mnt)
{
	size_t missing = 0;

	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].mntns != self_mnt &&
		    mntns_add(ms, ms->m[i].mntns, 0) != NULL)
			missing++;
	for (size_t i = 0; i < s->nprocs && missing > 0; i++) {
		struct proc *p = &s->procs[i];
		char path[64], link[64];
		const struct ns_type *t;
		struct mntns_pid *e;
		ssize_t n;

		if (p->ino[0] == 0) {
			snprintf(path, sizeof(path), "%d/ns/mnt", p->pid);
			n = readlinkat(s->procdir, path, link,
				       sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (ns_parse_ns_link(link, &t, &p->ino[0]) != 0) {
				p->ino[0] = 0;
				continue;
			}
		}
		e = mntns_find(ms, p->ino[0]);
		if (e != NULL && e->pid == 0) {
			e->pid = p->pid;
			missing--;
		}
	}
}

/*
 * Mounts in our own mount namespace also make the NSFS column and the
 * PATH; another's are reached through /proc/PID/root of a process in it,
 * and named by the namespace where it has none.
 */
static void
add_mount_holders(struct scan *s, const struct nsfs_mounts *ms, ino_t self_mnt)
{
	for (size_t i = 0; i < ms->n; i++) {
		const struct nsfs_mount *m = &ms->m[i];
		struct ns *ns = ns_get(s, m->ino, m->type);
		const struct mntns_pid *e;
		pid_t pid;

		if (m->mntns == self_mnt) {
			add_string(&ns->holders, &ns->nholders, "mount:%s",
				   m->point);
			add_string(&ns->nsfs, &ns->nnsfs, "%s", m->point);
			set_src(ns, SRC_MOUNT, 0, m->point);
			continue;
		}
		e = mntns_find(ms, m->mntns);
		pid = e != NULL ? e->pid : 0;
		if (pid == 0) {
			add_string(&ns->holders, &ns->nholders,
				   "mount:mnt:[%lu]%s", (unsigned long)m->mntns,
				   m->point);
			continue;
		}
		add_string(&ns->holders, &ns->nholders, "mount:/proc/%d/root%s",
			   pid, m->point);
		set_src(ns, SRC_MOUNT, pid, m->point);
	}
}

static void
scan_mounts(struct scan *s, const struct nsls_opts *o, ino_t self_mnt)
{
	struct nsfs_mounts ms = { 0 };

	if (find_nsfs_mounts_by_walk(s, o, &ms) != 0) {
		free_nsfs_mounts(&ms);
		find_nsfs_mounts_by_proc(s, o, &ms);
	}
	find_mntns_pids(s, &ms, self_mnt);
	add_mount_holders(s, &ms, self_mnt);
	free_nsfs_mounts(&ms);
}

/*
 * The socket's own network namespace (SIOCGSKNS) through a copy of the fd
 * (pidfd_getfd): needs ptrace rights over the process, as root has.
 */
static ino_t
socket_netns(int pidfd, int fd)
{
	struct stat st;
	int copy, nsfd;
	ino_t ino = 0;

	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (copy < 0) {
		fail_if_exhausted("cannot copy a socket");
		return 0;
	}
	/*
	 * The process may have put another file on that fd since it was a
	 * socket: an ioctl meant for sockets goes to nothing else (a device
	 * would take it as its own request).
	 */
	if (fstat(copy, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		close(copy);
		return 0;
	}
	nsfd = ioctl(copy, SIOCGSKNS);
	if (nsfd < 0)
		fail_if_exhausted("cannot open a socket's network namespace");
	if (nsfd >= 0) {
		if (fstat(nsfd, &st) == 0)
			ino = st.st_ino;
		close(nsfd);
	}
	close(copy);
	return ino;
}

/* Namespace files and sockets held open: read only for HOLDERS and -P. */
static void
scan_fds(struct scan *s, const struct nsls_opts *o)
{
	pid_t self = getpid();

	for (size_t i = 0; i < s->nprocs; i++) {
		pid_t pid = s->procs[i].pid;
		char path[64], link[64];
		struct dirent *d;
		int pidfd = -1, dfd, fd;
		DIR *dir;

		if (pid == self)
			continue;
		snprintf(path, sizeof(path), "%d/fd", pid);
		dfd = openat(s->procdir, path,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			fail_if_exhausted("cannot read /proc/%s", path);
			continue;
		}
		dir = fdopendir(dfd);
		if (dir == NULL) {
			fail_if_exhausted("cannot read /proc/%s", path);
			close(dfd);
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			struct ns *ns;
			ssize_t n;
			size_t ti;
			ino_t ino;

			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			n = readlinkat(dfd, d->d_name, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (strncmp(link, "socket:[", 8) == 0) {
				if (!want_type(o, 3))
					continue;
				if (pidfd < 0) {
					pidfd = (int)syscall(SYS_pidfd_open,
							     pid, 0);
					if (pidfd < 0)
						fail_if_exhausted(
							"cannot open PID %d",
							(int)pid);
				}
				if (pidfd < 0 ||
				    ns_parse_fd(d->d_name, &fd) != 0)
					continue;
				ino = socket_netns(pidfd, fd);
				if (ino == 0)
					continue;
				ns = ns_get(s, ino, &ns_types[3]);
				add_string(&ns->holders, &ns->nholders,
					   "sock:%d:%s", pid, d->d_name);
				continue;
			}
			if (kt_parse_link(&o->kt, link, &ti, &ino) != 0 ||
			    !want_type(o, ti))
				continue;
			ns = ns_get(s, ino, o->kt.t[ti]);
			add_string(&ns->holders, &ns->nholders, "fd:%d:%s", pid,
				   d->d_name);
			set_src(ns, SRC_FD, pid, d->d_name);
		}
		if (pidfd >= 0)
			close(pidfd);
		closedir(dir);
	}
}

/* ---- relations: parent and owner ---------------------------------------- */

static ino_t relative_of(struct scan *s, const struct nsls_opts *o, int fd,
			 unsigned long req);

static void
relations_from_fd(struct scan *s, const struct nsls_opts *o, struct ns *ns,
		  int fd)
{
	ns->parent = relative_of(s, o, fd, NS_GET_PARENT);
	ns->owner = relative_of(s, o, fd, NS_GET_USERNS);
}

/*
 * A relative not seen otherwise (a user namespace kept only by what it
 * owns) joins the table, and its own relations are read from the fd the
 * kernel just gave, so the whole chain is known.
 */
static ino_t
relative_of(struct scan *s, const struct nsls_opts *o, int fd,
	    unsigned long req)
{
	const struct ns_type *t;
	struct stat st;
	struct ns *rel;
	ino_t ino = 0;
	int rfd = ioctl(fd, req);

	if (rfd < 0) {
		fail_if_exhausted("cannot open the %s of a namespace",
				  req == NS_GET_PARENT ? "parent" : "owner");
		return 0; /* EPERM: outside our view; EINVAL: none */
	}
	if (fstat(rfd, &st) != 0)
		goto out;
	ino = st.st_ino;
	rel = ns_find(s, ino);
	if (rel == NULL && (t = ns_type_of_fd(rfd)) != NULL &&
	    want_type(o, ns_type_index(t))) {
		rel = ns_get(s, ino, t);
		rel->visit = 2;
		relations_from_fd(s, o, rel, rfd);
	}
out:
	close(rfd);
	return ino;
}

/* The PATH column: where a user can open the namespace. */
static char *
ns_path(const struct ns *ns)
{
	char *p = NULL;
	int rc = 0;

	if (ns->src == SRC_FD)
		rc = asprintf(&p, "/proc/%d/fd/%s", ns->src_pid, ns->src_rel);
	else if (ns->src == SRC_MOUNT && ns->src_pid == 0)
		p = xstrdup(ns->src_rel);
	else if (ns->src == SRC_MOUNT)
		rc = asprintf(&p, "/proc/%d/root%s", ns->src_pid, ns->src_rel);
	else if (ns->pid != 0)
		rc = asprintf(&p, "/proc/%d/ns/%s", ns->pid, ns->type->name);
	if (rc < 0)
		err(NS_EXIT_FAIL, "cannot allocate");
	return p;
}

/*
 * PATH below DIRFD as an O_PATH fd, which opens nothing (no FIFO waits
 * for a writer, no device driver runs), through the dentry cache only
 * (RESOLVE_CACHED: no lookup in another user's FUSE mount can stall us),
 * inside DIRFD (RESOLVE_IN_ROOT: an absolute symbolic link would lead into
 * our own tree) and following no link at all.  A kernel before 5.12 lacks
 * some of that: then O_PATH|O_NOFOLLOW alone.
 */
static int
open_path_beneath(int dirfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS | RESOLVE_CACHED,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
		return fd;
	return openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * The O_PATH fd PFD, if it is the namespace INO (nsfs, that inode), opened
 * for real through our own /proc/self/fd: fd or -1.  Closes PFD.
 */
static int
reopen_checked(int procdir, int pfd, ino_t ino)
{
	char self[32];
	struct statfs sfs;
	struct stat st;
	int fd = -1;

	if (pfd < 0)
		return -1;
	if (fstatfs(pfd, &sfs) == 0 && sfs.f_type == NSFS_MAGIC &&
	    fstat(pfd, &st) == 0 && st.st_ino == ino) {
		snprintf(self, sizeof(self), "self/fd/%d", pfd);
		fd = openat(procdir, self, O_RDONLY | O_CLOEXEC);
	}
	close(pfd);
	return fd;
}

/*
 * The namespace NS opened (O_RDONLY), or -1.  Every path to it is another
 * user's to change between our finding it and opening it (a process's fd
 * table, its mount namespace): each is opened O_PATH and used only if it
 * still is that namespace.  Through a member process first: /proc/PID/ns
 * is procfs's own.
 */
static int
open_ns(const struct scan *s, const struct ns *ns)
{
	char path[64 + NS_TYPE_NAME_MAX];
	int fd = -1, root;

	if (ns->pid != 0) {
		snprintf(path, sizeof(path), "%d/ns/%s", ns->pid,
			 ns->type->name);
		fd = reopen_checked(
			s->procdir,
			openat(s->procdir, path, O_PATH | O_CLOEXEC), ns->ino);
	}
	if (fd >= 0 || ns->src == SRC_NONE)
		return fd;
	if (ns->src == SRC_FD) {
		snprintf(path, sizeof(path), "%d/fd/%s", ns->src_pid,
			 ns->src_rel);
		return reopen_checked(
			s->procdir,
			openat(s->procdir, path, O_PATH | O_CLOEXEC), ns->ino);
	}
	snprintf(path, sizeof(path), "%d/root", ns->src_pid);
	root = ns->src_pid == 0 ? open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)
				: openat(s->procdir, path,
					 O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	fd = reopen_checked(s->procdir, open_path_beneath(root, ns->src_rel),
			    ns->ino);
	close(root);
	return fd;
}

static void
read_relations(struct scan *s, const struct nsls_opts *o)
{
	/* The table grows while walked: index, never a saved pointer. */
	for (size_t i = 0; i < s->nall; i++) {
		struct ns *ns = s->all[i];
		int fd;

		if (ns->visit == 2)
			continue;
		ns->visit = 2;
		fd = open_ns(s, ns);
		if (fd < 0) {
			fail_if_exhausted("cannot open namespace %lu",
					  (unsigned long)ns->ino);
			continue;
		}
		relations_from_fd(s, o, ns, fd);
		close(fd);
	}
	for (size_t i = 0; i < s->nall; i++) {
		struct ns *owner, *ns = s->all[i];

		ns->visit = 0;
		if (ns->owner != 0 && (owner = ns_find(s, ns->owner)) != NULL)
			add_string(&owner->holders, &owner->nholders,
				   "child:%lu", (unsigned long)ns->ino);
	}
}

/* ---- NAME: ip netns names ------------------------------------------------ */

static void
read_netns_names(struct scan *s)
{
	DIR *dir = opendir("/run/netns");
	struct dirent *d;
	struct stat st;

	if (dir == NULL) {
		fail_if_exhausted("cannot read /run/netns");
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		struct ns *ns;

		if (d->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dir), d->d_name, &st, 0) != 0)
			continue;
		ns = ns_find(s, st.st_ino);
		if (ns != NULL && ns->type == &ns_types[3])
			add_string(&ns->names, &ns->nnames, "%s", d->d_name);
	}
	closedir(dir);
}

/* ---- NETNSID: the id our network namespace has for another --------------- */

/*
 * The answer to RTM_GETNSID: NETNSA_NSID of the message with our sequence
 * number, or the error the kernel sent back.  0 or -1 with errno.
 */
static int
recv_netnsid(int sock, uint32_t seq, int32_t *id)
{
	union {
		struct nlmsghdr nh;
		char buf[8192];
	} ans;
	ssize_t n;

	for (;;) {
		n = recv(sock, &ans, sizeof(ans), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (struct nlmsghdr *nh = &ans.nh; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct nlattr *a;
			size_t rest, step;

			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				errno = nh->nlmsg_len >= NLMSG_LENGTH(
								 sizeof(*e)) &&
							e->error < 0
						? -e->error
						: EPROTO;
				return -1;
			}
			if (nh->nlmsg_type != RTM_NEWNSID ||
			    nh->nlmsg_len <
				    NLMSG_SPACE(sizeof(struct rtgenmsg)))
				break;
			a = (struct nlattr *)((char *)nh +
					      NLMSG_SPACE(
						      sizeof(struct rtgenmsg)));
			rest = nh->nlmsg_len -
			       NLMSG_SPACE(sizeof(struct rtgenmsg));
			while (rest >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= rest) {
				if ((a->nla_type & NLA_TYPE_MASK) ==
					    NETNSA_NSID &&
				    a->nla_len >= NLA_HDRLEN + sizeof(*id)) {
					memcpy(id, (char *)a + NLA_HDRLEN,
					       sizeof(*id));
					return 0;
				}
				step = NLA_ALIGN((size_t)a->nla_len);
				if (step >= rest)
					break;
				rest -= step;
				a = (struct nlattr *)((char *)a + step);
			}
			errno = EPROTO;
			return -1;
		}
	}
}

/*
 * RTM_GETNSID with NETNSA_FD, on one NETLINK_ROUTE socket for the whole
 * run: the kernel gives the id the socket's network namespace, ours, has
 * for the one NSFD opens (NETNSA_NSID_NOT_ASSIGNED when it has none), as
 * lsns and "ip netns list-id" show.  0 or -1 with errno.
 */
static int
query_netnsid(struct scan *s, int nsfd, int32_t *id)
{
	union {
		struct nlmsghdr nh;
		char buf[NLMSG_SPACE(sizeof(struct rtgenmsg)) + NLA_HDRLEN +
			 NLA_ALIGN(sizeof(uint32_t))];
	} req;
	struct nlattr *a;
	uint32_t fd = (uint32_t)nsfd;

	if (s->rtnl < 0) {
		s->rtnl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				 NETLINK_ROUTE);
		if (s->rtnl < 0) {
			fail_if_exhausted("cannot open a netlink socket");
			return -1;
		}
	}
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req.buf);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++s->rtnl_seq;
	((struct rtgenmsg *)NLMSG_DATA(&req.nh))->rtgen_family = AF_UNSPEC;
	a = (struct nlattr *)(req.buf + NLMSG_SPACE(sizeof(struct rtgenmsg)));
	a->nla_len = NLA_HDRLEN + sizeof(fd);
	a->nla_type = NETNSA_FD;
	memcpy((char *)a + NLA_HDRLEN, &fd, sizeof(fd));
	if (send(s->rtnl, &req, sizeof(req.buf), 0) < 0)
		return -1;
	return recv_netnsid(s->rtnl, s->rtnl_seq, id);
}

/* -1 where no id is assigned or the namespace cannot be opened. */
static int32_t
netnsid_of(struct scan *s, const struct ns *ns)
{
	int32_t id = NETNSA_NSID_NOT_ASSIGNED;
	int fd = open_ns(s, ns);

	if (fd < 0) {
		fail_if_exhausted("cannot open namespace %lu",
				  (unsigned long)ns->ino);
		return -1;
	}
	if (query_netnsid(s, fd, &id) != 0)
		id = -1;
	close(fd);
	return id;
}

/* ---- output -------------------------------------------------------------- */

struct shown {
	pid_t ppid;
	uid_t uid;
	bool have_uid;
	char *command;
};

/* " S PPID ...", what follows the command in /proc/PID/stat; 0 if odd. */
static pid_t
ppid_of_stat(const char *rest)
{
	char *end;
	long v;

	if (rest[0] != ' ' || rest[1] == '\0' || rest[2] != ' ')
		return 0;
	errno = 0;
	v = strtol(rest + 3, &end, 10);
	if (errno != 0 || end == rest + 3 || *end != ' ' || v < 0 ||
	    v > INT_MAX)
		return 0;
	return (pid_t)v;
}

/* Only for the one process shown per namespace. */
static void
read_shown_process(const struct scan *s, const struct nsls_opts *o, pid_t pid,
		   struct shown *sh)
{
	char path[64];
	struct stat st;
	size_t len;

	memset(sh, 0, sizeof(*sh));
	if (want_col(o, COL_UID) || want_col(o, COL_USER)) {
		snprintf(path, sizeof(path), "%d", pid);
		if (fstatat(s->procdir, path, &st, 0) == 0) {
			sh->uid = st.st_uid;
			sh->have_uid = true;
		}
	}
	if (want_col(o, COL_PPID) || o->tree == TREE_PROCESS) {
		char *text, *rp;

		snprintf(path, sizeof(path), "%d/stat", pid);
		text = read_file_at(s->procdir, path, NULL, true);
		/* comm may hold ')' and spaces: the fields follow the last. */
		if (text != NULL && (rp = strrchr(text, ')')) != NULL)
			sh->ppid = ppid_of_stat(rp + 1);
		free(text);
	}
	if (want_col(o, COL_COMMAND)) {
		snprintf(path, sizeof(path), "%d/cmdline", pid);
		sh->command = read_file_at(s->procdir, path, &len, true);
		if (sh->command != NULL) {
			while (len > 0 && sh->command[len - 1] == '\0')
				len--;
			for (size_t i = 0; i < len; i++)
				if (sh->command[i] == '\0')
					sh->command[i] = ' ';
			sh->command[len] = '\0';
		}
		if (sh->command == NULL || len == 0) {
			free(sh->command);
			snprintf(path, sizeof(path), "%d/comm", pid);
			sh->command =
				read_file_at(s->procdir, path, &len, true);
			if (sh->command != NULL && len > 0 &&
			    sh->command[len - 1] == '\n')
				sh->command[len - 1] = '\0';
		}
	}
}

/* getpwuid reads the whole database each time: once per distinct uid. */
static const char *
user_name(struct scan *s, uid_t uid)
{
	struct passwd *pw;

	for (size_t i = 0; i < s->nusers; i++)
		if (s->users[i].uid == uid)
			return s->users[i].name;
	pw = getpwuid(uid);
	s->users = xrealloc(s->users, s->nusers + 1, sizeof(*s->users));
	s->users[s->nusers].uid = uid;
	s->users[s->nusers].name = pw != NULL ? xstrdup(pw->pw_name) : NULL;
	return s->users[s->nusers++].name;
}

static int
set_number(struct libscols_line *ln, size_t col, unsigned long long v)
{
	char *str;

	if (asprintf(&str, "%llu", v) < 0)
		return -1;
	return scols_line_refer_data(ln, col, str);
}

static int
set_list(struct libscols_line *ln, size_t col, char **list, size_t n,
	 const char *sep)
{
	size_t len = 1;
	char *str, *p;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(list[i]) + strlen(sep);
	str = p = malloc(len);
	if (str == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		p = stpcpy(stpcpy(p, list[i]), i + 1 < n ? sep : "");
	return scols_line_refer_data(ln, col, str);
}

static int
fill_line(struct scan *s, const struct nsls_opts *o, struct ns *ns,
	  const struct shown *sh)
{
	struct libscols_line *ln = ns->line;
	char **holders = NULL;
	size_t nholders = 0;
	/* Raw and -W output: one line per namespace, lists joined by commas. */
	const char *sep =
		(o->out.raw || o->out.nowrap) && !o->out.json ? "," : "\n";
	int rc = 0;

	for (size_t i = 0; i < o->ncols && rc == 0; i++) {
		int32_t id;
		char *p;

		switch (o->cols[i]) {
		case COL_NS:
			rc = set_number(ln, i, ns->ino);
			break;
		case COL_TYPE:
			rc = scols_line_set_data(ln, i, ns->type->name);
			break;
		case COL_PATH:
			p = ns_path(ns);
			if (p != NULL)
				rc = scols_line_refer_data(ln, i, p);
			break;
		case COL_NPROCS:
			rc = set_number(ln, i, ns->nprocs);
			break;
		case COL_PID:
			if (ns->pid != 0 && ns->nprocs > 0)
				rc = set_number(ln, i, (unsigned)ns->pid);
			break;
		case COL_PPID:
			if (ns->nprocs > 0)
				rc = set_number(ln, i, (unsigned)sh->ppid);
			break;
		case COL_COMMAND:
			if (sh->command != NULL)
				rc = scols_line_set_data(ln, i, sh->command);
			break;
		case COL_UID:
			if (sh->have_uid)
				rc = set_number(ln, i, sh->uid);
			break;
		case COL_USER:
			if (sh->have_uid) {
				const char *u = user_name(s, sh->uid);

				if (u != NULL)
					rc = scols_line_set_data(ln, i, u);
				else
					rc = set_number(ln, i, sh->uid);
			}
			break;
		case COL_NETNSID:
			if (ns->type == &ns_types[3] &&
			    (id = netnsid_of(s, ns)) >= 0)
				rc = set_number(ln, i, (unsigned)id);
			break;
		case COL_NSFS:
			rc = set_list(ln, i, ns->nsfs, ns->nnsfs, sep);
			break;
		case COL_PNS:
			rc = set_number(ln, i, ns->parent);
			break;
		case COL_ONS:
			rc = set_number(ln, i, ns->owner);
			break;
		case COL_NAME:
			rc = set_list(ln, i, ns->names, ns->nnames, sep);
			break;
		case COL_HOLDERS:
			if (ns->nprocs == 1)
				add_string(&holders, &nholders, "pid:%d",
					   ns->pid);
			else if (ns->nprocs > 1)
				add_string(&holders, &nholders, "pid:%d+%zu",
					   ns->pid, ns->nprocs - 1);
			for (size_t j = 0; j < ns->nholders; j++)
				add_string(&holders, &nholders, "%s",
					   ns->holders[j]);
			rc = set_list(ln, i, holders, nholders, sep);
			for (size_t j = 0; j < nholders; j++)
				free(holders[j]);
			free(holders);
			break;
		}
	}
	return rc;
}

static bool
is_shown(const struct ns *ns, const struct nsls_opts *o, const ino_t *task_ns)
{
	size_t t = kt_index(&o->kt, ns->type);

	if (!want_type(o, t))
		return false;
	if (o->persistent && ns->nprocs > 0)
		return false;
	if (o->task != 0) {
		if (task_ns[t] != ns->ino)
			return false;
	}
	if (o->nwant > 0) {
		for (size_t i = 0; i < o->nwant; i++)
			if (o->want[i] == ns->ino)
				return true;
		return false;
	}
	return true;
}

static struct ns *
tree_parent(const struct scan *s, const struct nsls_opts *o,
	    const struct ns *ns, const struct shown *sh)
{
	const struct proc *pp;

	switch (o->tree) {
	case TREE_OWNER:
		return ns->owner ? ns_find(s, ns->owner) : NULL;
	case TREE_PARENT:
		return ns->parent ? ns_find(s, ns->parent) : NULL;
	case TREE_PROCESS:
		if (ns->nprocs == 0 || sh->ppid == 0)
			return NULL;
		pp = proc_find(s, sh->ppid);
		if (pp == NULL)
			return NULL;
		return ns_find(s, pp->ino[kt_index(&o->kt, ns->type)]);
	}
	return NULL;
}

/* Parents first, as libsmartcols needs; a cycle lands at the top. */
static int
place_line(struct scan *s, const struct nsls_opts *o, struct libscols_table *tb,
	   struct ns *ns, const ino_t *task_ns)
{
	struct libscols_line *pl = NULL;
	struct shown sh;
	struct ns *parent;
	int rc;

	if (ns->visit == 2)
		return 0;
	read_shown_process(s, o, ns->pid, &sh);
	ns->visit = 1;
	parent = tree_parent(s, o, ns, &sh);
	if (parent != NULL && parent != ns && parent->visit != 1 &&
	    is_shown(parent, o, task_ns)) {
		if (place_line(s, o, tb, parent, task_ns) != 0)
			return -1;
		pl = parent->line;
	}
	ns->visit = 2;
	ns->line = scols_table_new_line(tb, pl);
	rc = ns->line == NULL ? -1 : fill_line(s, o, ns, &sh);
	free(sh.command);
	return rc;
}

static int
ns_cmp(const void *a, const void *b)
{
	const struct ns *x = *(struct ns *const *)a,
			*y = *(struct ns *const *)b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* The tree goes on COMMAND (process) or NS (owner, parent), as in lsns. */
static void
set_column_flags(struct libscols_table *tb, const struct nsls_opts *o)
{
	int tree = o->tree == TREE_PROCESS ? COL_COMMAND : COL_NS;

	for (size_t i = 0; i < o->ncols; i++) {
		struct libscols_column *c = scols_table_get_column(tb, i);
		int flags = scols_column_get_flags(c);

		if (o->tree != TREE_NONE && o->cols[i] == tree) {
			/* a tree is drawn from the left: never right-aligned */
			scols_column_set_flags(c, (flags & ~SCOLS_FL_RIGHT) |
							  SCOLS_FL_TREE);
			tree = -1;
		}
	}
}

static void
print_table(struct scan *s, const struct nsls_opts *o, const ino_t *task_ns)
{
	struct libscols_table *tb;

	if (s->nall > 0)
		qsort(s->all, s->nall, sizeof(struct ns *), ns_cmp);
	tb = ns_table_new(&o->out, columns, o->cols, o->ncols);
	if (tb == NULL)
		err(NS_EXIT_FAIL, "cannot make the table");
	set_column_flags(tb, o);
	for (size_t i = 0; i < s->nall; i++) {
		if (!is_shown(s->all[i], o, task_ns))
			continue;
		if (place_line(s, o, tb, s->all[i], task_ns) != 0)
			err(NS_EXIT_FAIL, "cannot make the table");
	}
	if (ns_table_print(tb) != 0)
		err(NS_EXIT_FAIL, "cannot print the table");
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
	for (size_t i = 0; i < s->nusers; i++)
		free(s->users[i].name);
	free(s->users);
	free(s->all);
	free(s->hash);
	free(s->procs);
	if (s->procdir >= 0)
		close(s->procdir);
	if (s->rtnl >= 0)
		close(s->rtnl);
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
		     ino_t *task_ns)
{
	const struct proc *p = proc_find(s, o->task);
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
	if (ns_proc_open(o->task, &pr) != 0)
		err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", o->task);
	pfd.fd = pr.pidfd;
	if (pfd.fd >= 0 && poll(&pfd, 1, 100) > 0) {
		ns_proc_close(&pr);
		errno = ESRCH;
		err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", o->task);
	}
	ns_proc_close(&pr);
	errno = p == NULL ? EACCES : ENOENT;
	err(NS_EXIT_FAIL, "cannot read namespaces of PID %d", o->task);
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
		if (ns_find(s, (ino_t)o->want[i]) == NULL)
			errx(NS_EXIT_FAIL, "namespace %lu not found",
			     o->want[i]);
}

int
main(int argc, char **argv)
{
	struct nsls_opts o = { 0 };
	struct scan s = { .procdir = -1, .rtnl = -1 };
	ino_t task_ns[KT_MAX] = { 0 };
	unsigned stat_types;
	int procdir_errno;
	struct stat st;
	bool holders;

	setlocale(LC_ALL, "");
	/* Before the options: --help and -V to a full disk are failures too */
	ns_close_stdout_at_exit(NS_EXIT_FAIL);
	s.procdir = open_procfs();
	procdir_errno = errno;
	discover_types(&o.kt, s.procdir);
	parse_args(argc, argv, &o);
	holders = want_col(&o, COL_HOLDERS) || o.persistent;
	if (s.procdir < 0) {
		errno = procdir_errno;
		err(NS_EXIT_FAIL, "cannot open /proc");
	}
	stat_types = o.types ? o.types : (1u << o.kt.n) - 1;
	if (o.task != 0)
		stat_types |= (1u << o.kt.n) - 1;
	scan_proc(&s, &o, stat_types);
	if (s.nprocs > 0)
		qsort(s.procs, s.nprocs, sizeof(*s.procs), proc_cmp);
	if (o.task != 0)
		read_task_namespaces(&s, &o, task_ns);
	if (fstatat(s.procdir, "self/ns/mnt", &st, 0) != 0)
		st.st_ino = 0;
	scan_mounts(&s, &o, st.st_ino);
	if (holders)
		scan_fds(&s, &o);
	if (holders || want_col(&o, COL_PNS) || want_col(&o, COL_ONS) ||
	    o.tree == TREE_OWNER || o.tree == TREE_PARENT)
		read_relations(&s, &o);
	if (want_col(&o, COL_NAME))
		read_netns_names(&s);
	check_wanted(&s, &o);
	print_table(&s, &o, task_ns);
	if (s.unreadable > 0)
		warnx("cannot read the namespaces of %zu process%s: "
		      "Permission denied",
		      s.unreadable, s.unreadable == 1 ? "" : "es");
	free_scan(&s);
	free(o.want);
	return NS_EXIT_OK;
}
