/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netnslink.h - what the parts of netnslink share: the options, the
 * directory of names, and the steps each file provides.
 *
 * netnslink.c reads the options and runs one job; dir.c prepares the
 * directory of names (mkdir, the shared self-bind, the undo at exit),
 * lock.c serializes that first set-up; link.c makes names, remove.c
 * removes them; list.c reads names and processes and prints them; own.c
 * is the mode of a caller who is not root (common/userns_names.c).
 */
#ifndef NETNSLINK_H
#define NETNSLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

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

extern const struct ns_column columns[NCOLS];

struct netnslink_opts {
	enum mode mode;
	const char *dir; /* NULL: the caller's own names (not root) */
	bool dir_given;
	bool symlink;
	bool loopback;
	bool force;
	bool list_given;   /* -l */
	bool output_given; /* -J, -r, -n, -o, --output-all */
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

/* A directory a run made: an O_PATH fd of its parent, its name, its inode. */
struct made_dir {
	int parent;
	char *name;
	dev_t dev;
	ino_t ino;
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
	struct made_dir *dir;
	size_t n;
	bool bound;	  /* this run bound the last of them onto itself */
	uint64_t mnt_id;  /* ... as this mount */
	char *canon;	  /* the directory, canonical */
	int parent;	  /* O_PATH fd of the directory above it, or -1 */
	const char *base; /* its name there (in canon); BASE.lock the lock */
	int *fd;	  /* the names_dir fd, closed before the umount */
	int lock;	  /* the set-up lock while this run holds it, else -1 */
};

/* P, or the end of the run with ns_oom's "out of memory" if P is NULL. */
static inline void *
nonnull(void *p)
{
	if (p == NULL)
		ns_oom(NS_EXIT_FAIL);
	return p;
}

/* dir.c */
char *path_of(const char *dir, const char *name);
bool same_inode_at(int dirfd, const char *name, dev_t dev, ino_t ino);
void prepare_dir(const char *dir, bool for_mounts, struct names_dir *nd);
void open_dir(const char *dir, struct names_dir *nd);
void close_dir(struct names_dir *nd);

/* lock.c */
int take_setup_lock(const struct made_dirs *md, bool quiet);
void release_setup_lock(struct made_dirs *md);

/* remove.c */
bool is_net_ns_fd(int fd);
int remove_name(const struct names_dir *nd, const char *name);
void replace_existing(const struct names_dir *nd, const char *name);
noreturn void cannot_name(const struct names_dir *nd, const char *name,
			  const char *what);
int delete_names(const struct netnslink_opts *o);

/* link.c */
int link_pid(const struct netnslink_opts *o);
int new_netns(const struct netnslink_opts *o);

/* list.c */
int proc_root(void);
struct proc_net *scan_procs(size_t *n);
struct entry *own_entries(size_t *n);
struct entry *read_entries(const char *dir, size_t *n);
void free_entries(struct entry *v, size_t n);
int list_names(const struct netnslink_opts *o);
int identify(const struct netnslink_opts *o);
int print_pids(const struct netnslink_opts *o);

/* own.c */
int own_names(struct netnslink_opts *o);

#endif
