/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nscommon.h - the one helper every nstools program shares.
 *
 * Parts, in the order of nscommon.c: errors and exit codes; strict parsing;
 * the namespace-type table; process handles (pidfd); running the user's
 * command; capabilities.  Id maps live in idmap.c and output in output.c,
 * behind this same header.
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

/* ---- errors and exit codes ------------------------------------------- */

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

/* After getopt has said what is wrong: "Try 'PROG --help' ...", exit. */
noreturn void ns_try_help(int status);

/* Print "PROG (nstools) VERSION" and exit 0. */
noreturn void ns_print_version(void);

/* At exit, check that stdout was written and closed cleanly; if it was
 * not, say so and exit FAIL_STATUS instead. */
void ns_close_stdout_at_exit(int fail_status);

/* ---- strict parsing ---------------------------------------------------- */

/*
 * All parsers take the whole string (no leading space, no trailing junk),
 * return 0 on success, -1 with errno EINVAL (malformed) or ERANGE.
 */
int ns_parse_long(const char *s, long min, long max, long *out);
int ns_parse_u32(const char *s, uint32_t *out);
int ns_parse_pid(const char *s, pid_t *out); /* 1 .. pid_max */
int ns_parse_fd(const char *s, int *out);    /* 0 .. INT_MAX */
/* A number, or a user/group name looked up once in the database. */
int ns_parse_uid(const char *s, uid_t *out);
int ns_parse_gid(const char *s, gid_t *out);
/* "TERM", "SIGTERM", "sigterm" or "15". */
int ns_parse_signal(const char *s, int *out);
/* Name of a signal without "SIG", or NULL. */
const char *ns_signal_name(int sig);
/*
 * Is NAME usable as a network namespace name under /run/netns (as ip netns
 * takes it): one directory entry, not empty, no '/', not "." or "..", at
 * most NAME_MAX bytes?  If not, *WHY (optional) says why (static text).
 */
bool ns_netns_name_valid(const char *name, const char **why);

/* ---- namespace types --------------------------------------------------- */

struct ns_type {
	const char *name;     /* "net": also the /proc/PID/ns file name */
	int flag;	      /* CLONE_NEWNET */
	char opt;	      /* 'n': the util-linux option letter */
	const char *long_opt; /* "net": the util-linux long option */
};

#define NS_NTYPES 8
/* mnt uts ipc net pid user cgroup time, in that order. */
extern const struct ns_type ns_types[NS_NTYPES];

const struct ns_type *ns_type_by_name(const char *name);
const struct ns_type *ns_type_by_flag(int flag);
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

/* ---- process handles ----------------------------------------------------- */

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

/* 0 or -1 with errno (ESRCH: no such process). */
int ns_proc_open(pid_t pid, struct ns_proc *p);
/* Still the same, unreaped process?  0 yes, -1 with errno ESRCH. */
int ns_proc_check_alive(const struct ns_proc *p);
/* Open ns/NAME below the process, checked afterwards that the process is
 * still the one opened.  fd (O_RDONLY|O_CLOEXEC) or -1 with errno. */
int ns_proc_open_ns(const struct ns_proc *p, const char *name);
void ns_proc_close(struct ns_proc *p);
/*
 * openat(2) of PATH below DIRFD that follows no symbolic link and crosses no
 * mount (openat2 RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV|RESOLVE_BENEATH, or
 * O_NOFOLLOW where openat2 is missing).  O_CLOEXEC is added.
 */
int ns_openat_beneath(int dirfd, const char *path, int flags);

/* ---- running the user's command ----------------------------------------- */

/*
 * Exec ARGV (or $SHELL, /bin/sh without it, when ARGV[0] is NULL).  On
 * failure prints "PROG: cannot run 'X': why" and exits 127 (not found) or
 * 126 (not executable).
 */
noreturn void ns_exec_command(char *const argv[]);

/*
 * Signals forwarded from a parent to the child it waits for: INT TERM HUP
 * QUIT.  Block them (and SIGCHLD) before fork; the child restores OLD.
 */
void ns_block_forwarded_signals(sigset_t *old);

/*
 * Wait for CHILD, forwarding the blocked signals to it, then end the way
 * the child ended: its exit status, or death by the same signal (default
 * action, no core file), or 128+N where that cannot be done.
 */
noreturn void ns_forward_and_exit_like(pid_t child);

/* End the way a wait(2) status says. */
noreturn void ns_exit_like(int wstatus);

/* ---- persisting a namespace --------------------------------------------- */

/*
 * Bind-mount the namespace file SRC (e.g. "/proc/self/fd/5") onto TARGET.
 * TARGET is created if missing (O_CREAT|O_NOFOLLOW; with EXCL, must not
 * exist).  On failure nothing is left: a file created here is removed.
 * 0 or -1 with errno; *WHY (optional) gets a hint for the user or NULL.
 */
int ns_bind_nsfile(const char *src, const char *target, bool excl,
		   const char **why);

/* ---- network namespaces ------------------------------------------------ */

/* Bring up lo in the calling thread's network namespace (a new one has it
 * down).  0 or -1 with errno. */
int ns_loopback_up(void);

/* ---- capabilities (libcap) --------------------------------------------- */

/* Raise every permitted capability into inheritable and ambient so that
 * they survive execve(2) (--keep-caps).  0 or -1 with errno. */
int ns_caps_make_ambient(void);
/* Keep capabilities across a later setuid()/setgid() (PR_SET_KEEPCAPS) and
 * afterwards restore the effective set from the permitted one. */
int ns_caps_keep_on_setuid(bool on);
int ns_caps_raise_effective(void);
/* Is CAP in the effective set? */
bool ns_caps_effective(int cap);

/* ---- id maps (idmap.c) --------------------------------------------------- */

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

/* ---- output (output.c, libsmartcols) ------------------------------------ */

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

/*
 * Parse "-o LIST" against COLS: comma-separated, case-insensitive names; a
 * leading '+' appends to what *NSEL already holds (the defaults).  Indexes
 * into COLS land in SEL[0..*NSEL).  0, or -1 with a message printed
 * ("PROG: unknown column: X") and *NSEL unchanged.  An empty name ("NS,,X",
 * "NS,") is an error, as in lsns.
 */
int ns_columns_parse(const char *list, const struct ns_column *cols,
		     size_t ncols, int *sel, size_t *nsel, size_t max);
/* Print the -H/--list-columns table of COLS to stdout. */
void ns_columns_list(const struct ns_column *cols, size_t ncols,
		     const struct ns_output *out);
/* A table with the selected columns set up; NULL with errno. */
struct libscols_table *ns_table_new(const struct ns_output *out,
				    const struct ns_column *cols,
				    const int *sel, size_t nsel);
/* Print and free.  0 or -1 with errno. */
int ns_table_print(struct libscols_table *tb);

/* ---- mount table (mountinfo.c) ------------------------------------------ */

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

#endif /* NSCOMMON_H */
