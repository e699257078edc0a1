/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsls.h - what the parts of nsls share: the options, the namespace table
 * and the steps each file provides.
 *
 * A run has three phases.  Collection fills struct scan: procscan.c reads
 * /proc (processes, held fds and sockets, relations, ip netns names; the
 * per-process reads in parallel.c's threads),
 * mounts.c the nsfs mounts of every mount namespace, table.c keeps the
 * namespaces by inode.  resolve.c then picks the rows to show and reads
 * everything they show (struct row).  show.c builds and prints the table
 * from the rows alone, with no I/O.  A new column is an enum entry and a
 * line in columns[] (nsls.c), the reading of its value (collection for a
 * fact of the namespace, resolve.c for one of its process), and a case
 * in set_cell (show.c).
 */
#ifndef NSLS_H
#define NSLS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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
	COL_TASKS,
	NCOLS
};

extern const struct ns_column columns[NCOLS];

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
	pid_t *tasks;	/* -p, each once, in the order given */
	size_t ntasks;
	int tree;
	bool persistent;
	int cols[4 * NCOLS];
	size_t ncols;
	unsigned long *want; /* positional NS: list their processes */
	size_t nwant;
	/* -Q: cols[nshown..ncols) are the hidden ones it names (filter.c) */
	struct libscols_filter *filter;
	char *filter_expr;
	size_t nshown;
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
	bool related;	     /* parent and owner read */
	bool have_owner_uid; /* found only as a relative: read then */
	uid_t owner_uid;
};

struct proc {
	pid_t pid;
	ino_t ino[KT_MAX]; /* by kt index */
};

/* Open addressing by inode (table.c). */
struct ino_slot {
	ino_t ino; /* 0: a free slot */
	union {
		struct ns *ns; /* the namespace table */
		pid_t pid;     /* mount namespaces: the lowest PID in it */
	};
};

struct ino_table {
	struct ino_slot *slot;
	size_t size, n;
};

struct scan {
	struct ns **all; /* in order found */
	size_t nall, allocall;
	struct ino_table index; /* all by inode */
	struct proc *procs;
	size_t nprocs, allocprocs;
	size_t unreadable;
	pid_t unreadable_pid[5]; /* the first ones, to name them */
	int procdir;
	dev_t nsfs_dev;	    /* of namespace files; 0 unknown */
	char **nsfs_points; /* every nsfs mount point, sorted, unique */
	size_t nnsfs_points;
};

/* NETLINK_ROUTE, opened at the first NETNSID, for the whole run. */
struct rtnl {
	int sock; /* -1 until then */
	uint32_t seq;
};

/*
 * What a row shows, all read by resolve_rows before the table exists: a
 * namespace and its lowest process, or (nsls NS) one process in it.
 */
struct row {
	const struct ns *ns;
	const struct row *parent; /* in the tree; NULL at the top */
	pid_t pid;		  /* the process shown, 0 for none */
	pid_t ppid;		  /* of pid, 0 unknown */
	bool have_uid;
	uid_t uid;	  /* of pid, or of the owner of a process-less ns */
	const char *user; /* NULL where the database has none */
	char *command;
	int32_t netnsid; /* NETNSID_NONE, NETNSA_NSID_NOT_ASSIGNED or id */
	char *path;
	pid_t *tasks; /* the -p PIDs in ns */
	size_t ntasks;
};

/* A NETNSID cell left empty: no net namespace, or it cannot be asked. */
#define NETNSID_NONE (-2)

/* The rows shown, by inode, and what reading them keeps for the run. */
struct rows {
	struct row *r;
	size_t n;
	struct rtnl rtnl;
	struct {
		uid_t uid;
		char *name;
	} * users;
	size_t nusers;
};

/* nsls.c */
size_t kt_index(const struct kernel_types *kt, const struct ns_type *t);
int kt_parse_link(const struct kernel_types *kt, const char *link, size_t *ti,
		  ino_t *ino);
bool want_col(const struct nsls_opts *o, int col);
bool want_type(const struct nsls_opts *o, size_t ti);

/* table.c */
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
struct ino_slot *ino_table_find(const struct ino_table *t, ino_t ino);
/* The slot of INO, *MADE true when it is new (all but ino zero). */
struct ino_slot *ino_table_add(struct ino_table *t, ino_t ino, bool *made);
void ino_table_free(struct ino_table *t);
struct ns *nsls_find(const struct scan *s, ino_t ino);
struct ns *nsls_get(struct scan *s, ino_t ino, const struct ns_type *type);
void add_string(char ***list, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void set_src(struct ns *ns, int src, pid_t pid, const char *rel);
int str_cmp(const void *a, const void *b);

/* parallel.c: FN(i, ARG) for every i below N, in up to four threads where
 * there are CPUs for them (from 256 items up); all done on return.  FN may
 * only read shared state and write its own slot i. */
void for_each_parallel(size_t n, void (*fn)(size_t i, void *arg), void *arg);

/* procscan.c */
void scan_proc(struct scan *s, const struct nsls_opts *o, unsigned stat_types);
int proc_cmp(const void *a, const void *b);
const struct proc *proc_find(const struct scan *s, pid_t pid);
void fail_if_exhausted(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
char *read_file_at(int dirfd, const char *path, size_t *lenp, bool one_record);
void scan_fds(struct scan *s, const struct nsls_opts *o, bool every_path);
char *nsls_path(const struct ns *ns);
int open_ns(const struct scan *s, const struct ns *ns);
void read_relations(struct scan *s, const struct nsls_opts *o,
		    bool procless_only);
void read_netns_names(struct scan *s);
void read_own_netns_names(struct scan *s);
/* The uid that owns FD's user namespace (FD's own, for a user ns). */
bool owner_uid_of_fd(int fd, const struct ns_type *type, uid_t *uid);

/* mounts.c */
void scan_mounts(struct scan *s, const struct nsls_opts *o, ino_t self_mnt);

/* netnsid.c */
int32_t netnsid_of(struct rtnl *rtnl, int nsfd);

/* resolve.c */
void resolve_rows(struct scan *s, const struct nsls_opts *o,
		  ino_t (*task_ns)[KT_MAX], struct rows *rows);
void free_rows(struct rows *rows);

/* filter.c: without libsmartcols 2.40, -Q is an error and no-ops */
void nsls_filter_parse(struct nsls_opts *o, const char *expr);
void nsls_filter_columns(struct nsls_opts *o);
void nsls_filter_table(const struct nsls_opts *o, struct libscols_table *tb);
bool nsls_filter_match(const struct nsls_opts *o, struct libscols_line *ln);
void nsls_filter_free(struct nsls_opts *o);

/* show.c */
void print_table(const struct nsls_opts *o, const struct rows *rows);

#endif /* NSLS_H */
