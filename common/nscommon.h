/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nscommon.h - the one helper every nstools program shares, and the only
 * header a program includes.  One section per file of common/, in this
 * order: usage.c (errors, exit codes, --help and --version), parse.c
 * (strict parsing), types.c (the namespace-type table), proc.c (checked
 * /proc access and process handles) and procwalk.c (walking /proc, our
 * own namespaces), run.c (running the user's command),
 * nsfile.c (persisting a namespace), netns.c (network namespace names),
 * caps.c (capabilities), idmap.c (id maps), output.c (libsmartcols
 * output), mountinfo.c (the mount table), userns_names.c and
 * userns_holder.c (an unprivileged user's own netns names).  What only
 * common/ and the fuzz harnesses use is in the *-internal.h headers.
 */
#ifndef NSCOMMON_H
#define NSCOMMON_H

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include <libsmartcols.h>

#ifndef NSTOOLS_VERSION
#define NSTOOLS_VERSION "0.0.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors, usage and --help (usage.c) ------------------------------ */

/* Programs that run a command (nsunshare, nsjoin). */
enum {
	NS_EXIT_OWN_FAILURE = 125, /* the program itself failed */
	NS_EXIT_CANNOT_EXEC = 126, /* command found, not executable */
	NS_EXIT_NOT_FOUND = 127,   /* command not found */
};

/* The others (nsls, nsmap, netnslink). */
enum {
	NS_EXIT_OK = 0,
	NS_EXIT_FAIL = 1,
	NS_EXIT_USAGE = 2,
};

/*
 * Errors use err(3)/warn(3) from <err.h> directly: glibc prefixes them with
 * program_invocation_short_name, which gives "PROG: what: why".
 */

/* "PROG: MSG" then "Try 'PROG --help' for more information.", exit status. */
noreturn void ns_usage_error(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The recurring usage errors, worded once for all five programs (each
 * followed by "Try 'PROG --help' ..." and exit STATUS):
 *   "PROG: A and B are mutually exclusive"
 *   "PROG: invalid WHAT: 'ARG'"            (WHAT: "PID", "--kill-child signal")
 */
noreturn void ns_usage_exclusive(int status, const char *a, const char *b);
noreturn void ns_usage_invalid(int status, const char *what, const char *arg);

/* "PROG: out of memory", exit STATUS: the one wording for a failed
 * malloc, strdup or asprintf. */
noreturn void ns_oom(int status);

/*
 * The end of every --help: a blank line, then "-h, --help" and
 * "-V, --version" with their descriptions at COLUMN (counted from 0, the
 * column where the program's other descriptions start), and, after any
 * column list, "For more details see PROG(SECTION).".
 */
void ns_usage_help_version(int column);
void ns_usage_man_tail(int section);

/* After getopt has said what is wrong: "Try 'PROG --help' ...", exit. */
noreturn void ns_try_help(int status);

/* Print "PROG from nstools VERSION" (as util-linux does) and exit 0. */
noreturn void ns_print_version(void);

/* At exit, check that stdout was written and closed cleanly; if it was
 * not, say so and exit FAIL_STATUS instead. */
void ns_close_stdout_at_exit(int fail_status);

/* ---- strict parsing (parse.c) ---------------------------------------- */

/*
 * All parsers take the whole string (no leading space, no trailing junk),
 * return 0 on success, -1 with errno EINVAL (malformed) or ERANGE.
 */
int ns_parse_long(const char *s, long min, long max, long *out);
int ns_parse_u32(const char *s, uint32_t *out);
int ns_parse_pid(const char *s, pid_t *out); /* digits only, 1 .. INT_MAX */
int ns_parse_fd(const char *s, int *out);    /* 0 .. INT_MAX */
/* A number, or a user/group name looked up once in the database. */
int ns_parse_uid(const char *s, uid_t *out);
int ns_parse_gid(const char *s, gid_t *out);
/* "TERM", "SIGTERM", "sigterm" or "15". */
int ns_parse_signal(const char *s, int *out);
/*
 * Is NAME usable as a network namespace name under /run/netns (as ip netns
 * takes it): one directory entry, not empty, no '/', not "." or "..", at
 * most NAME_MAX bytes?  If not, *WHY (optional) says why (static text).
 */
bool ns_netns_name_valid(const char *name, const char **why);

/* ---- the namespace-type table (types.c) ------------------------------ */

struct ns_type {
	const char *name;     /* "net": also the /proc/PID/ns file name */
	int flag;	      /* CLONE_NEWNET */
	char opt;	      /* 'n': the util-linux option letter */
	const char *long_opt; /* "net": the util-linux long option */
	/* "pid_for_children": the /proc/PID/ns file of the namespace the
	 * process's children get, for the types a process itself never
	 * enters by unshare(2) or setns(2) (pid, time); NULL for the others */
	const char *for_children;
};

/* Indexes into ns_types, so that a program names a type, not a number. */
enum {
	NS_MNT,
	NS_UTS,
	NS_IPC,
	NS_NET,
	NS_PID,
	NS_USER,
	NS_CGROUP,
	NS_TIME,
	NS_NTYPES
};
/* mnt uts ipc net pid user cgroup time, in that order. */
extern const struct ns_type ns_types[NS_NTYPES];

const struct ns_type *ns_type_by_name(const char *name);
const struct ns_type *ns_type_by_opt(int opt);
/* Index of T in ns_types, for per-type arrays. */
size_t ns_type_index(const struct ns_type *t);
/*
 * The eight namespace options, -m/--mount[=FILE] ... -T/--time[=FILE], for
 * getopt_long, so that no program keeps a list of its own: LONGOPTS gets
 * NS_NTYPES entries, SHORTOPTS "m::u::i::...".  The value is optional.
 */
#define NS_TYPE_SHORTOPTS_SIZE (NS_NTYPES * 3 + 1)
void ns_type_getopt(struct option longopts[NS_NTYPES],
		    char shortopts[NS_TYPE_SHORTOPTS_SIZE]);
/* Type of an open namespace file (NS_GET_NSTYPE), NULL if it is not one. */
const struct ns_type *ns_type_of_fd(int fd);
/*
 * Split "net:[4026531833]", as readlink(2) of /proc/PID/ns/net, an open
 * namespace fd and an nsfs mount's root show it, into the type's name and
 * the inode, whatever the type (a newer kernel's too).  0, or -1 with errno
 * EINVAL when malformed.
 */
#define NS_TYPE_NAME_MAX 32
int ns_split_ns_link(const char *s, char name[NS_TYPE_NAME_MAX], ino_t *ino);
/* The same for a type in ns_types: -1 with errno ENOENT for another. */
int ns_parse_ns_link(const char *s, const struct ns_type **type, ino_t *ino);

/* ---- checked /proc access, process handles (proc.c, procwalk.c) ------ */

/*
 * A process opened once: a pidfd when the kernel has pidfd_open (5.3+) and a
 * directory fd of /proc/PID checked to belong to the same process, so a
 * recycled PID is never acted on.  All access to the process goes through
 * these fds.
 */
struct ns_proc {
	pid_t pid;
	int pidfd;  /* -1 where pidfd_open is missing */
	int procfd; /* /proc/PID, O_DIRECTORY|O_PATH-less, O_CLOEXEC */
};

/*
 * /proc, checked to be the root of a procfs (not a subdirectory bound onto
 * it) that numbers processes as our own PID namespace does.  fd
 * (O_DIRECTORY|O_CLOEXEC) or -1 with errno (EXDEV: /proc is not that).
 */
int ns_proc_root_open(void);
/*
 * Open PID below ROOT (from ns_proc_root_open): its directory, refused when
 * a mount covers it, and checked after the open to be the pidfd's process.
 * 0 or -1 with errno (ESRCH: no such process; EXDEV: /proc/PID is a mount).
 */
int ns_proc_open_at(int root, pid_t pid, struct ns_proc *p);
/* The same, with /proc opened and checked for this one call. */
int ns_proc_open(pid_t pid, struct ns_proc *p);
/* Still the same, unreaped process?  0 yes, -1 with errno ESRCH. */
int ns_proc_check_alive(const struct ns_proc *p);
/* The magic link PATH below the process's directory ("root", "cwd",
 * "ns/net") opened with FLAGS (O_CLOEXEC added), refused (EXDEV) when a
 * mount covers it (a symbolic link can be mounted there), and checked
 * afterwards that the process is still the one opened.  fd or -1 errno. */
int ns_proc_open_link(const struct ns_proc *p, const char *path, int flags);
/* Namespace NAME of the process: from the pidfd (Linux 6.11), else ns/NAME
 * below the directory, refused (EXDEV) when a mount covers that link, and
 * checked afterwards that the process is still the one opened.  fd
 * (O_CLOEXEC) or -1 with errno. */
int ns_proc_open_ns(const struct ns_proc *p, const char *name);
void ns_proc_close(struct ns_proc *p);
/*
 * openat(2) of PATH below DIRFD that follows no symbolic link and crosses no
 * mount (openat2 RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV|RESOLVE_BENEATH, or
 * O_NOFOLLOW where openat2 is missing).  O_CLOEXEC is added.
 */
int ns_openat_beneath(int dirfd, const char *path, int flags);

/*
 * Through /proc/self/fd, checked to be procfs's own (procfs on /proc,
 * reached without crossing a mount, the entry not covered by one), so that
 * a /proc that is no procfs can neither block nor redirect these:
 * ns_reopen_fd opens the file of the O_PATH fd FD for real with FLAGS
 * (O_NONBLOCK, O_NOCTTY and O_CLOEXEC added; -1 with ESTALE if what opened
 * is another file); ns_umount_fd unmounts exactly the mount FD is the root
 * of; ns_propagate_fd sets its propagation (MS_SHARED, MS_PRIVATE, ... with
 * MS_REC), by mount_setattr(2) where the kernel has it.  -1 with errno
 * (EXDEV: /proc is not procfs's own).
 */
int ns_reopen_fd(int fd, int flags);
int ns_umount_fd(int fd, int flags);
int ns_propagate_fd(int fd, unsigned long type);
/*
 * The text of the procfs file PATH below DIRFD, malloc'd and NUL-terminated:
 * opened without following a link or crossing a mount, never blocking, and
 * only if it is a regular file of procfs.  NULL with errno (EXDEV: not one).
 */
char *ns_proc_read_text(int dirfd, const char *path);
/*
 * From the stat file of the /proc/PID directory fd PROCFD, read as
 * ns_proc_read_text does: comm into COMM (SIZE bytes; COMM may be NULL)
 * and the start time (field 22, clock ticks after boot).  0 or -1 with
 * errno (EINVAL: malformed).
 */
int ns_proc_stat_start(int procfd, char *comm, size_t size,
		       unsigned long long *start);
/* The file NAME ("mountinfo") of our own /proc/PID, below a checked /proc
 * (ns_proc_root_open), never blocking, only a regular procfs file.  fd
 * (O_RDONLY|O_NONBLOCK|O_CLOEXEC) or -1 with errno (EXDEV). */
int ns_proc_self_open(const char *name);
/*
 * FN(PID, ARG) for each entry of the /proc directory fd ROOT named by a
 * PID, in the order the kernel lists them (ascending), read with large
 * getdents64 calls from ROOT's offset (a fresh fd: from the start) and
 * nothing else per entry.  0, or -1 with errno if /proc cannot be read.
 */
int ns_proc_for_each_pid(int root, void (*fn)(pid_t pid, void *arg), void *arg);
/*
 * Our own namespace of type T, read through SELF (our own process as
 * ns_proc_open gives it; NULL: opened through a checked /proc for this
 * call): ns_own_ns_stat fills ST (0 or -1 with errno); ns_is_own_ns says
 * whether the namespace file FD is that one (same device and inode),
 * false when either cannot be read.
 */
struct stat;
int ns_own_ns_stat(const struct ns_type *t, const struct ns_proc *self,
		   struct stat *st);
bool ns_is_own_ns(int fd, const struct ns_type *t, const struct ns_proc *self);
/*
 * ns_proc_root_open and ns_proc_open_at (ROOT -1: /proc opened and checked
 * for this call) that say a failure (warn(3) style, the caller exits) in
 * the one wording each kind has:
 *   "PROG: cannot trust /proc: it is not the procfs of our PID namespace"
 *   "PROG: cannot open /proc: why"
 *   "PROG: cannot open PID N: No such process"   (or another why)
 *   "PROG: cannot trust /proc/N: a mount covers it"
 * fd or 0 as those, or -1.  ns_proc_root_warn says the failure ERROR of
 * opening /proc, for a program that opens it in a way of its own.
 */
int ns_proc_root_open_or_warn(void);
void ns_proc_root_warn(int error);
int ns_proc_open_or_warn(int root, pid_t pid, struct ns_proc *p);

/* ---- running the user's command (run.c) ------------------------------ */

/*
 * Exec ARGV (or $SHELL, /bin/sh without it, when ARGV[0] is NULL).  On
 * failure prints "PROG: cannot run 'X': why" and exits 127 (not found) or
 * 126 (not executable).
 */
noreturn void ns_exec_command(char *const argv[]);

/*
 * Signals forwarded from a parent to the child it waits for: every signal
 * that can be caught but SIGCHLD (SIGKILL and SIGSTOP cannot).  Block them
 * (and SIGCHLD) before fork; the child restores OLD.
 */
void ns_block_forwarded_signals(sigset_t *old);

/*
 * A directory fd of CHILD below PROC_ROOT (ns_proc_root_open; -1: open and
 * check /proc now), for ns_forward_and_exit_like_at; -1 where /proc is not
 * the proc of our own PID namespace.  Open it before the child can mount
 * another proc where we would look (it may share our mount namespace), and
 * before joining a container's mount namespace.
 */
int ns_open_child_proc(int proc_root, pid_t child);

/*
 * Wait for CHILD, forwarding the blocked signals to it, then end the way
 * the child ended: its exit status, or death by the same signal (default
 * action, no core file), or 128+N where that cannot be done.  A stop
 * signal (TSTP, TTIN, TTOU) stops us too once the child has it.  A signal
 * the init of a PID namespace would drop (one it does not catch) becomes
 * SIGKILL (SIGSTOP for a stop signal) when CHILD is such an init, so that
 * it ends (stops) as any other process would.  CHILD_PROC is from
 * ns_open_child_proc (-1: no such check).
 */
noreturn void ns_forward_and_exit_like_at(pid_t child, int child_proc);

/* ---- persisting a namespace (nsfile.c) ------------------------------- */

/*
 * Bind-mount the open namespace file SRCFD onto NAME below the directory
 * fd DIRFD (O_PATH will do).  NAME is created if missing (O_CREAT|
 * O_NOFOLLOW; with EXCL, must not exist), or found, without following a
 * symbolic link and held open; the mount lands on that inode, never on a
 * path looked up again.  On failure nothing is left: a file created here
 * is removed.  0 or -1 with errno; *WHY (optional) gets a hint for the
 * user or NULL.
 */
int ns_bind_nsfile_at(int srcfd, int dirfd, const char *name, bool excl,
		      const char **why);
/* An O_PATH|O_DIRECTORY fd of PATH's directory ("." for a bare name), and
 * in *BASE its last component.  fd or -1 with errno. */
int ns_open_parent(const char *path, const char **base);

/* ---- network namespace names (netns.c) ------------------------------- */

/* Bring up lo in the calling thread's network namespace (a new one has it
 * down).  0 or -1 with errno. */
int ns_loopback_up(void);

/*
 * A name under /run/netns may be a symbolic link to /proc/PID/ns/net
 * (netnslink --symlink, the hand recipe): it names a PID, not a process.
 * The link is live while PID is the process it was made for, dangling once
 * that has exited, and recycled once the PID is another process's (one
 * that started after the link was made).  A link to another name of the
 * same directory is followed to it.  A name that reaches a namespace
 * through /proc otherwise (../../proc/PID/ns/net, /proc/PID/task/TID/ns/net,
 * a /proc/PID/stat that is not procfs's) is unchecked: which process it
 * was made for cannot be told.
 */
enum {
	NS_LINK_NONE,
	NS_LINK_LIVE,
	NS_LINK_DANGLING,
	NS_LINK_RECYCLED,
	NS_LINK_UNCHECKED,
};
/* PID of a link target "/proc/PID/ns/net", 0 for any other target. */
pid_t ns_netns_link_pid(const char *target);
/*
 * Open NAME below DIRFD.  Such a link is opened through a pidfd of its PID
 * checked as above: the fd with *STATE NS_LINK_LIVE, or -1 with *STATE
 * NS_LINK_DANGLING (errno ESRCH), NS_LINK_RECYCLED (ESTALE) or
 * NS_LINK_UNCHECKED (/proc/PID or its stat covered by a mount).  Any other
 * NAME (a bind mount, a link to one) is NS_LINK_NONE, opened following
 * links but O_PATH until it is known to be nsfs, then reopened through
 * ns_reopen_fd: -1 with errno ENOTNAM if it is not a namespace file, with
 * *STATE NS_LINK_UNCHECKED (EXDEV) if it reaches one through a /proc magic
 * link.  *PID gets the link's PID (0 for none).
 */
int ns_netns_open_at(int dirfd, const char *name, int *state, pid_t *pid);

/* ---- capabilities, libcap (caps.c) ----------------------------------- */

/* Raise every permitted capability into inheritable and ambient so that
 * they survive execve(2) (--keep-caps).  0 or -1 with errno. */
int ns_caps_make_ambient(void);
/* Keep capabilities across a later setuid()/setgid() (PR_SET_KEEPCAPS) and
 * afterwards restore the effective set from the permitted one. */
int ns_caps_keep_on_setuid(bool on);
int ns_caps_raise_effective(void);
/* Is CAP in the effective set? */
bool ns_caps_effective(int cap);

/* ---- id maps (idmap.c) ----------------------------------------------- */

/*
 * A user namespace's uid and gid maps as ranges, checked by the kernel's
 * rules before anything is written; reading and writing them (and
 * setgroups) below a /proc/PID directory fd; translating an id; the
 * ranges shadow's /etc/subuid and /etc/subgid give a user and a yes/no
 * item of /etc/login.defs; and ns_idkinds, what differs between uids and
 * gids.  The steps the fuzz harnesses drive alone are in idmap-internal.h.
 */

/*
 * What differs between uids and gids, once: ns_idkinds[NS_UID] and
 * ns_idkinds[NS_GID].  Code that does the same for both loops over them
 * or takes a kind, rather than choosing each fact with a ternary.
 */
enum { NS_UID, NS_GID, NS_NIDKINDS };

struct ns_idkind {
	const char *name;	/* "uid" */
	const char *map_file;	/* "uid_map", below /proc/PID */
	const char *subid_file; /* "/etc/subuid" */
	const char *peer;	/* "newuidmap", shadow's setuid writer */
	const char *account;	/* "user": what owns such an id */
	char opt;		/* 'u': newuidmap's and nsmap's letter */
	int cap;		/* CAP_SETUID: what writing a wider map needs */
};

extern const struct ns_idkind ns_idkinds[NS_NIDKINDS];

/* The kernel accepts at most 340 lines in a uid_map/gid_map (since 4.15). */
#define NS_IDMAP_MAX 340

struct ns_idrange {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct ns_idmap {
	size_t n;
	struct ns_idrange r[NS_IDMAP_MAX];
};

/*
 * Append the ranges of SPEC, "INSIDE:OUTSIDE:COUNT[,INSIDE:OUTSIDE:COUNT...]"
 * (whitespace may separate the three numbers too), to MAP.  Each range is
 * checked: COUNT > 0, no 32-bit overflow, no overlap inside or outside with
 * what MAP already holds, no more than NS_IDMAP_MAX.  0, or -1 with *WHY
 * saying what is wrong (static text); MAP is unchanged on failure.
 */
int ns_idmap_add_spec(struct ns_idmap *map, const char *spec, const char **why);
/* Append one range with the same checks. */
int ns_idmap_add(struct ns_idmap *map, uint32_t inside, uint32_t outside,
		 uint32_t count, const char **why);
/* Length of MAP as the kernel reads it, "INSIDE OUTSIDE COUNT\n" a line:
 * the kernel refuses a write of a page or more. */
size_t ns_idmap_text_size(const struct ns_idmap *map);
/*
 * The first range of MAP whose outside ids are not all inside ONE range of
 * PARENT, the writer's own map as it reads it (the kernel maps each range
 * through a single range of the parent namespace), or NULL.
 */
const struct ns_idrange *ns_idmap_unmapped(const struct ns_idmap *map,
					   const struct ns_idmap *parent);
/* Read uid_map or gid_map (FILE) below the /proc/PID dir fd. */
int ns_idmap_read(int procfd, const char *file, struct ns_idmap *map);
/*
 * Write MAP to FILE ("uid_map"/"gid_map") below the /proc/PID dir fd with a
 * single write(2), as the kernel requires.  0 or -1 with errno.
 */
int ns_idmap_write(int procfd, const char *file, const struct ns_idmap *map);
/* Write "allow" or "deny" to setgroups below the /proc/PID dir fd. */
int ns_setgroups_write(int procfd, const char *value);

/* Translate ID through MAP: inside->outside when TO_OUTSIDE, else back.
 * 0, or -1 if the id is not mapped. */
int ns_idmap_translate(const struct ns_idmap *map, uint32_t id, bool to_outside,
		       uint32_t *out);

/*
 * The ranges PATH (/etc/subuid or /etc/subgid) gives to the user NAME (may
 * be NULL) whose uid is UID, as shadow's newuidmap/newgidmap decide it: an
 * owner field equal to NAME, to UID printed in decimal, or to another name
 * of UID in the passwd database.  Both files are keyed by user.  Appended
 * as outside ranges {0, START, COUNT} to OUT (inside left 0 for the caller
 * to assign).  Returns the number of ranges found, -1 with errno on a read
 * error.
 */
int ns_subid_ranges(const char *path, const char *name, uid_t uid,
		    struct ns_idrange *out, size_t max);
/*
 * Is ITEM set to "yes" (any case) in the login.defs file PATH, as shadow
 * reads it?  1 yes, 0 no or no such file, -1 with errno on a read error.
 */
int ns_logindefs_bool(const char *path, const char *item);

/* ---- output, libsmartcols (output.c) --------------------------------- */

struct ns_column {
	const char *name; /* "NS"; JSON key is its lower-case form */
	const char *help; /* for -H/--list-columns */
	double whint;	  /* width hint, as libsmartcols */
	int flags;	  /* SCOLS_FL_RIGHT, SCOLS_FL_TRUNC, ... */
	int json_type;	  /* SCOLS_JSON_STRING, _NUMBER, _ARRAY_STRING */
};

struct ns_output {
	bool json;
	bool raw;
	bool noheadings;
	bool notruncate;
	bool nowrap;
	bool tree;
	const char *json_name; /* "namespaces" */
	/* Set by ns_output_option, applied by ns_output_columns: */
	const char *columns_arg; /* -o LIST */
	bool all_columns;	 /* --output-all */
	bool list_columns;	 /* -H */
};

/*
 * The options every listing takes: -J -r -n -o LIST --output-all -H, and
 * -u -W where a program offers them (its getopt string and table list
 * them; --output-all has no letter and uses NS_OPT_OUTPUT_ALL, a value
 * above every program's own long-only options).  True if C was one.
 */
enum { NS_OPT_OUTPUT_ALL = CHAR_MAX + 64 };
/* Those six in a program's struct option table, written once. */
// clang-format off
#define NS_OUTPUT_LONG_OPTIONS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "output-all", no_argument, NULL, NS_OPT_OUTPUT_ALL }, \
	{ "list-columns", no_argument, NULL, 'H' }
// clang-format on
bool ns_output_option(int c, const char *arg, struct ns_output *out);
/*
 * After all options, as lsns does: -H prints the column list and exits 0;
 * -J with -r is a usage error; SEL[0..*NSEL) holds the default columns on
 * entry, every column after --output-all, then -o LIST replaces them or,
 * with a leading '+', adds to them.  A bad list is a usage error.
 */
void ns_output_columns(const struct ns_output *out,
		       const struct ns_column *cols, size_t ncols, int *sel,
		       size_t *nsel, size_t max);

/* A table with the selected columns set up; NULL with errno. */
struct libscols_table *ns_table_new(const struct ns_output *out,
				    const struct ns_column *cols,
				    const int *sel, size_t nsel);
/* Print and free.  0 or -1 with errno. */
int ns_table_print(struct libscols_table *tb);

/* ---- mount table (mountinfo.c) --------------------------------------- */

/* One line of /proc/PID/mountinfo; the strings point into the line. */
struct ns_mountinfo {
	unsigned id, parent;
	unsigned major, minor;
	char *root;	  /* "/", or "net:[4026532000]" for nsfs */
	char *mountpoint; /* unescaped */
	char *options;
	char *fstype; /* "nsfs" */
	char *source; /* unescaped */
	char *super_options;
	unsigned shared; /* peer group of "shared:N", 0 if not shared */
};

/*
 * Split LINE (one mountinfo line, a trailing newline allowed) in place into
 * M, undoing the kernel's octal escapes.  0, or -1 with errno EINVAL when
 * the line is malformed; no other state is touched.
 */
int ns_mountinfo_parse(char *line, struct ns_mountinfo *m);

/* ---- a user's own netns names (userns_names.c, userns_holder.c) ------ */

/*
 * An unprivileged user cannot bind-mount under /run/netns.  Instead a
 * holder process of the user's own keeps the namespace alive (it sits in
 * the user namespace that owns the network namespace and in the network
 * namespace itself), and a record under $XDG_RUNTIME_DIR/netns/NAME says
 * which process that is: its PID, its start time and the two namespace
 * inodes, all checked through a pidfd on every use, so a recycled PID is
 * never taken for the holder.  Only a caller whose euid is not 0 uses any
 * of this; root keeps /run/netns and never opens the user's directory.
 * These functions print their own failures (warn(3) style) and return -1.
 */

/* The holder's argv[0] and comm: main() of a program that starts holders
 * calls ns_unames_hold() when argv[0] is this and argc is 2 (NAME). */
#define NS_UNAMES_HOLDER "netnslink-hold"

struct ns_unames_dir {
	int fd;	    /* the netns directory, O_DIRECTORY, verified */
	char *path; /* for messages */
};

struct ns_uname {
	char *name;
	bool stale; /* the holder is gone or is not what the record says */
	pid_t pid;  /* the recorded holder, 0 if the record is unreadable */
	dev_t dev;  /* of the network namespace, when not stale */
	ino_t netns;
	ino_t userns;
};

/*
 * Open $XDG_RUNTIME_DIR/netns (without XDG_RUNTIME_DIR: /run/user/UID/netns
 * when /run/user/UID is the caller's, mode 0700).  The runtime directory
 * must belong to the caller and be writable by no one else; netns is made
 * (0700) with CREATE.  0, or -1: a message says why unless QUIET, and errno
 * is ENOENT when only netns itself is missing.
 */
int ns_unames_open_dir(struct ns_unames_dir *d, bool create, bool quiet);
void ns_unames_close_dir(struct ns_unames_dir *d);
/* Every entry of the directory, sorted by name, each checked, into *V
 * (malloc'd) and *N.  0, or -1 with a message. */
int ns_unames_read(const struct ns_unames_dir *d, struct ns_uname **v,
		   size_t *n);
void ns_unames_free(struct ns_uname *v, size_t n);
/*
 * The holder of NAME, checked, open in P.  0; 1 when NAME is none of the
 * caller's and ROOTDIR/NAME exists (use that instead, as before); -1 with
 * a message (no such name anywhere, a stale record, ...).
 */
int ns_unames_find_holder(const char *name, const char *rootdir,
			  struct ns_proc *p);
/*
 * Start a holder and record it as NAME: in a new user and network
 * namespace (TARGET NULL; lo up with LOOPBACK), or in the network
 * namespace of TARGET and the user namespace that owns it, which must be
 * the caller's (created by its euid).  FORCE replaces an existing NAME.
 * Two at once for one NAME: one wins, the other fails and leaves nothing.
 */
int ns_unames_create(const struct ns_unames_dir *d, const char *name,
		     const struct ns_proc *target, bool loopback, bool force);
/* End NAME's holder (checked first, through its pidfd) and remove the
 * record; a stale record is only removed. */
int ns_unames_remove(const struct ns_unames_dir *d, const char *name);
/* Be the holder: never returns; SIGTERM ends it. */
noreturn void ns_unames_hold(void);

#endif /* NSCOMMON_H */
