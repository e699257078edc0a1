// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nscommon.c - errors, strict parsing, the namespace-type table, process
 * handles, running the user's command, persisting a namespace and
 * capabilities: what every nstools program needs and none re-implements.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/capability.h>

#include "nscommon.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ---- errors and exit codes ------------------------------------------- */

void
ns_usage_error(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ns_try_help(status);
}

void
ns_usage_exclusive(int status, const char *a, const char *b)
{
	ns_usage_error(status, "%s and %s are mutually exclusive", a, b);
}

void
ns_usage_invalid(int status, const char *what, const char *arg)
{
	ns_usage_error(status, "invalid %s: '%s'", what, arg);
}

void
ns_oom(int status)
{
	errx(status, "out of memory");
}

void
ns_try_help(int status)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_invocation_short_name);
	exit(status);
}

void
ns_print_version(void)
{
	printf("%s (nstools) %s\n", program_invocation_short_name,
	       NSTOOLS_VERSION);
	exit(EXIT_SUCCESS);
}

/*
 * Output cut short by a full disk must not end in success: check stdout at
 * exit, as util-linux's close_stdout does, and exit with the program's own
 * failure status.  EPIPE is the reader's choice (`nsls | head`), and a
 * stdout the caller closed (>&-) with nothing written to it is no failure.
 */
static void
check_stdout(int status, void *fail_status)
{
	bool pending = __fpending(stdout) > 0;
	bool failed = ferror(stdout) != 0;
	int saved;

	(void)status;
	errno = 0;
	if (fclose(stdout) != 0 && (pending || errno != EBADF))
		failed = true;
	saved = errno;
	if (!failed || saved == EPIPE)
		return;
	if (saved != 0)
		warn("write error");
	else
		warnx("write error");
	_exit((int)(intptr_t)fail_status);
}

void
ns_close_stdout_at_exit(int fail_status)
{
	/* on_exit hands the status over without a global */
	// NOLINTNEXTLINE(performance-no-int-to-ptr)
	if (on_exit(check_stdout, (void *)(intptr_t)fail_status) != 0)
		errx(fail_status, "cannot register the check of stdout");
}

/* ---- strict parsing ---------------------------------------------------- */

int
ns_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would skip leading white space and accept an empty string */
	if (s == NULL || *s == '\0' || isspace((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	/* Malformed first: "99999999999999999999x" is EINVAL, not ERANGE */
	if (*end != '\0' || end == s) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE)
		return -1;
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
ns_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull takes "-1" as a huge number: demand a digit first */
	if (s == NULL || !isdigit((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE)
		return -1;
	if (v > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int
ns_parse_pid(const char *s, pid_t *out)
{
	long v;

	if (ns_parse_long(s, 1, INT_MAX, &v) != 0)
		return -1;
	*out = (pid_t)v;
	return 0;
}

int
ns_parse_fd(const char *s, int *out)
{
	long v;

	if (ns_parse_long(s, 0, INT_MAX, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* A user's or a group's id by name; errno 0 when there is no such name. */
static bool
uid_of_name(const char *name, uint32_t *id)
{
	struct passwd *pw = getpwnam(name);

	if (pw != NULL)
		*id = pw->pw_uid;
	return pw != NULL;
}

static bool
gid_of_name(const char *name, uint32_t *id)
{
	struct group *gr = getgrnam(name);

	if (gr != NULL)
		*id = gr->gr_gid;
	return gr != NULL;
}

/*
 * A number, or a name looked up with LOOKUP.  (uid_t)-1 means "unchanged"
 * to setresuid(2), so it is never a valid id.
 */
static int
parse_id(const char *s, uint32_t *out,
	 bool (*lookup)(const char *name, uint32_t *id))
{
	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (isdigit((unsigned char)*s)) {
		if (ns_parse_u32(s, out) != 0)
			return -1;
		if (*out == UINT32_MAX) {
			errno = ERANGE;
			return -1;
		}
		return 0;
	}
	errno = 0;
	if (lookup(s, out))
		return 0;
	if (errno == 0)
		errno = ENOENT;
	return -1;
}

int
ns_parse_uid(const char *s, uid_t *out)
{
	uint32_t v;

	if (parse_id(s, &v, uid_of_name) != 0)
		return -1;
	*out = v;
	return 0;
}

int
ns_parse_gid(const char *s, gid_t *out)
{
	uint32_t v;

	if (parse_id(s, &v, gid_of_name) != 0)
		return -1;
	*out = v;
	return 0;
}

const char *
ns_signal_name(int sig)
{
	if (sig <= 0 || sig >= NSIG)
		return NULL;
	return sigabbrev_np(sig);
}

int
ns_parse_signal(const char *s, int *out)
{
	long v;
	int sig;

	if (s != NULL && isdigit((unsigned char)*s)) {
		if (ns_parse_long(s, 1, NSIG - 1, &v) != 0)
			return -1;
		*out = (int)v;
		return 0;
	}
	if (s == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name != NULL && strcasecmp(name, s) == 0) {
			*out = sig;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

/* A name is one directory entry: ip netns and the kernel agree on that. */
bool
ns_netns_name_valid(const char *name, const char **why)
{
	_Static_assert(NAME_MAX == 255, "the message below says 255");
	const char *w = NULL;

	if (*name == '\0')
		w = "empty";
	else if (strchr(name, '/') != NULL)
		w = "contains '/'";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		w = "'.' and '..' are not names";
	else if (strlen(name) > NAME_MAX)
		w = "longer than 255 bytes";
	if (why != NULL)
		*why = w;
	return w == NULL;
}

/* ---- namespace types --------------------------------------------------- */

const struct ns_type ns_types[NS_NTYPES] = {
	{ "mnt", CLONE_NEWNS, 'm', "mount" },
	{ "uts", CLONE_NEWUTS, 'u', "uts" },
	{ "ipc", CLONE_NEWIPC, 'i', "ipc" },
	{ "net", CLONE_NEWNET, 'n', "net" },
	{ "pid", CLONE_NEWPID, 'p', "pid" },
	{ "user", CLONE_NEWUSER, 'U', "user" },
	{ "cgroup", CLONE_NEWCGROUP, 'C', "cgroup" },
	{ "time", CLONE_NEWTIME, 'T', "time" },
};

const struct ns_type *
ns_type_by_name(const char *name)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (strcmp(ns_types[i].name, name) == 0 ||
		    strcmp(ns_types[i].long_opt, name) == 0)
			return &ns_types[i];
	return NULL;
}

const struct ns_type *
ns_type_by_flag(int flag)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (ns_types[i].flag == flag)
			return &ns_types[i];
	return NULL;
}

const struct ns_type *
ns_type_by_opt(int opt)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (ns_types[i].opt == opt)
			return &ns_types[i];
	return NULL;
}

size_t
ns_type_index(const struct ns_type *t)
{
	return (size_t)(t - ns_types);
}

void
ns_type_getopt(struct option longopts[NS_NTYPES],
	       char shortopts[NS_TYPE_SHORTOPTS_SIZE])
{
	char *p = shortopts;

	for (size_t i = 0; i < NS_NTYPES; i++) {
		longopts[i] = (struct option){ ns_types[i].long_opt,
					       optional_argument, NULL,
					       ns_types[i].opt };
		*p++ = ns_types[i].opt;
		*p++ = ':';
		*p++ = ':';
	}
	*p = '\0';
}

const struct ns_type *
ns_type_of_fd(int fd)
{
	int flag = ioctl(fd, NS_GET_NSTYPE);

	if (flag < 0)
		return NULL;
	return ns_type_by_flag(flag);
}

int
ns_split_ns_link(const char *s, char name[NS_TYPE_NAME_MAX], ino_t *ino)
{
	const char *br = strchr(s, ':'), *num;
	unsigned long long v;
	char *end;

	/* The kernel writes "TYPE:[INO]": TYPE in [a-z0-9_], INO decimal, not
	 * 0, no sign, space or leading zero */
	if (br == NULL || br == s || (size_t)(br - s) >= NS_TYPE_NAME_MAX ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
		    (size_t)(br - s) ||
	    br[1] != '[' || br[2] < '1' || br[2] > '9') {
		errno = EINVAL;
		return -1;
	}
	num = br + 2;
	errno = 0;
	v = strtoull(num, &end, 10);
	if (errno != 0 || end[0] != ']' || end[1] != '\0') {
		errno = EINVAL;
		return -1;
	}
	memcpy(name, s, (size_t)(br - s));
	name[br - s] = '\0';
	*ino = (ino_t)v;
	return 0;
}

int
ns_parse_ns_link(const char *s, const struct ns_type **type, ino_t *ino)
{
	char name[NS_TYPE_NAME_MAX];
	ino_t v;

	if (ns_split_ns_link(s, name, &v) != 0)
		return -1;
	*type = ns_type_by_name(name);
	if (*type == NULL) {
		errno = ENOENT;
		return -1;
	}
	*ino = v;
	return 0;
}

/* ---- process handles ----------------------------------------------------- */

/*
 * openat2 with RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV|RESOLVE_BENEATH where the
 * kernel has it (5.6+), so neither a planted link nor a mount redirects the
 * open; O_NOFOLLOW on the last component otherwise.
 */
int
ns_openat_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve =
			RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_BENEATH,
	};
	int fd;

	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd >= 0 || (errno != ENOSYS && errno != E2BIG))
		return fd;
	return openat(dirfd, path, flags | O_CLOEXEC | O_NOFOLLOW);
}

int
ns_proc_check_alive(const struct ns_proc *p)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	/* A pidfd turns readable once its process has exited. */
	if (p->pidfd >= 0) {
		if (poll(&pfd, 1, 0) < 0)
			return -1;
		if (pfd.revents & (POLLIN | POLLHUP)) {
			errno = ESRCH;
			return -1;
		}
		return 0;
	}
	/* Without pidfds: the /proc/PID directory goes stale on exit. */
	if (faccessat(p->procfd, "stat", F_OK, 0) != 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

static int
open_proc_dir(pid_t pid)
{
	struct statfs sfs;
	char path[32];
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? (errno = ESRCH, -1) : -1;
	/* A crafted mount on /proc must not redirect what we read or write. */
	errno = 0;
	if (fstatfs(fd, &sfs) != 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		saved = errno;
		close(fd);
		errno = saved ? saved : EXDEV;
		return -1;
	}
	return fd;
}

int
ns_proc_open(pid_t pid, struct ns_proc *p)
{
	int saved;

	p->pid = pid;
	p->procfd = -1;
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p->pidfd < 0 && errno != ENOSYS)
		return -1;
	p->procfd = open_proc_dir(pid);
	if (p->procfd < 0)
		goto fail;
	/*
	 * The pid may have been recycled between pidfd_open and the open of
	 * /proc/PID; if the pidfd's process is still there, it was not.
	 */
	if (ns_proc_check_alive(p) != 0)
		goto fail;
	return 0;
fail:
	saved = errno;
	ns_proc_close(p);
	errno = saved;
	return -1;
}

int
ns_proc_open_ns(const struct ns_proc *p, const char *name)
{
	char path[32 + NAME_MAX];
	int fd, saved;

	snprintf(path, sizeof(path), "ns/%s", name);
	/* ns/X are magic links into nsfs: they must be followed */
	fd = openat(p->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* A process that exited meanwhile says so, not ENOENT */
		saved = errno;
		if (ns_proc_check_alive(p) == 0)
			errno = saved;
		return -1;
	}
	if (ns_proc_check_alive(p) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
ns_proc_close(struct ns_proc *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->procfd >= 0)
		close(p->procfd);
	p->pidfd = p->procfd = -1;
}

/* ---- running the user's command ----------------------------------------- */

void
ns_exec_command(char *const argv[])
{
	char *shell_argv[2];
	int saved;

	if (argv == NULL || argv[0] == NULL) {
		const char *shell = getenv("SHELL");

		shell_argv[0] = (char *)(shell && *shell ? shell : "/bin/sh");
		shell_argv[1] = NULL;
		argv = shell_argv;
	}
	execvp(argv[0], argv);
	saved = errno;
	warn("cannot run '%s'", argv[0]);
	/* POSIX: 127 when the command is not found, 126 when it cannot run */
	exit(saved == ENOENT ? NS_EXIT_NOT_FOUND : NS_EXIT_CANNOT_EXEC);
}

static void
forwarded_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGCHLD);
}

void
ns_block_forwarded_signals(sigset_t *old)
{
	sigset_t set;

	/* An inherited SIG_IGN for SIGCHLD would reap the child for us. */
	signal(SIGCHLD, SIG_DFL);
	forwarded_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, old) != 0)
		err(NS_EXIT_OWN_FAILURE, "sigprocmask");
}

static noreturn void
die_of_signal(int sig)
{
	struct rlimit nocore = { 0, 0 };
	sigset_t set;

	fflush(NULL);
	/* Die of the same signal, so a shell sees what it would have seen;
	 * but leave no core file of ours behind. */
	setrlimit(RLIMIT_CORE, &nocore);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* A signal we cannot die of (none should be left): the shell's code */
	exit(128 + sig);
}

void
ns_exit_like(int wstatus)
{
	if (WIFEXITED(wstatus))
		exit(WEXITSTATUS(wstatus));
	die_of_signal(WTERMSIG(wstatus));
}

/* Is bit SIG set in the hex mask of a /proc/PID/status line's value? */
static bool
mask_has(const char *hex, int sig)
{
	unsigned long long mask;
	char *end;

	errno = 0;
	mask = strtoull(hex, &end, 16);
	return errno == 0 && end != hex && (mask >> (sig - 1) & 1);
}

/*
 * The kernel gives the init of a PID namespace only the signals it catches:
 * a forwarded TERM that such a PID 1 neither catches nor ignores is dropped,
 * where any other process would die of it.  Does CHILD stand there for SIG?
 * (CHILD is ours and not yet reaped, so its PID cannot have been reused.)
 */
static bool
init_would_drop(pid_t child, int sig)
{
	bool is_init = false, handled = false;
	char path[32], *line = NULL;
	size_t size = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)child);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (getline(&line, &size, f) > 0) {
		if (strncmp(line, "NSpid:", 6) == 0) {
			char *last = strrchr(line, '\t');

			is_init = last != NULL && strcmp(last, "\t1\n") == 0;
		} else if (strncmp(line, "SigIgn:", 7) == 0 ||
			   strncmp(line, "SigCgt:", 7) == 0) {
			handled |= mask_has(line + 7, sig);
		}
	}
	free(line);
	fclose(f);
	return is_init && !handled;
}

void
ns_forward_and_exit_like(pid_t child)
{
	int status, emulated = 0;
	siginfo_t info;
	sigset_t set;
	pid_t w;

	forwarded_signals(&set);
	for (;;) {
		w = waitpid(child, &status, WNOHANG);
		if (w == child && emulated != 0 && WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGKILL)
			die_of_signal(emulated);
		if (w == child)
			ns_exit_like(status);
		if (w < 0 && errno != EINTR)
			err(NS_EXIT_OWN_FAILURE, "waitpid");
		if (sigwaitinfo(&set, &info) < 0) {
			if (errno == EINTR)
				continue;
			err(NS_EXIT_OWN_FAILURE, "sigwaitinfo");
		}
		if (info.si_signo == SIGCHLD)
			continue;
		if (init_would_drop(child, info.si_signo)) {
			/* the death it would have had anywhere else */
			emulated = info.si_signo;
			kill(child, SIGKILL);
		} else if (kill(child, info.si_signo) != 0 && errno != ESRCH) {
			warn("cannot forward SIG%s to PID %d",
			     ns_signal_name(info.si_signo), (int)child);
		}
	}
}

/* ---- persisting a namespace --------------------------------------------- */

static int
open_target(const char *target, bool excl, bool *created)
{
	int fd;

	*created = false;
	fd = open(target, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0444);
	if (fd >= 0) {
		*created = true;
		return fd;
	}
	if (errno != EEXIST || excl)
		return -1;
	return open(target, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

int
ns_bind_nsfile(const char *src, const char *target, bool excl, const char **why)
{
	bool created;
	int fd, saved;

	if (why != NULL)
		*why = NULL;
	fd = open_target(target, excl, &created);
	if (fd < 0) {
		if (errno == ELOOP && why != NULL)
			*why = "it is a symbolic link";
		return -1;
	}
	close(fd);
	if (mount(src, target, NULL, MS_BIND, NULL) == 0)
		return 0;
	saved = errno;
	if (saved == EINVAL && why != NULL)
		*why = "a mount namespace can be persisted only on a private "
		       "mount (e.g. mount --bind DIR DIR; "
		       "mount --make-private DIR)";
	if (created)
		unlink(target);
	errno = saved;
	return -1;
}

/* ---- network namespaces ------------------------------------------------ */

int
ns_loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s, rc = -1, saved;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	saved = errno;
	close(s);
	errno = saved;
	return rc;
}

/* ---- capabilities (libcap) --------------------------------------------- */

/* The running kernel's capabilities are 0 .. ncaps() - 1. */
static cap_value_t
ncaps(void)
{
	return (cap_value_t)cap_max_bits();
}

int
ns_caps_make_ambient(void)
{
	cap_flag_value_t permitted;
	cap_iab_t iab;
	cap_t caps;
	int rc = -1;

	caps = cap_get_proc();
	iab = cap_iab_get_proc();
	if (caps == NULL || iab == NULL)
		goto out;
	for (cap_value_t c = 0; c < ncaps(); c++) {
		if (cap_get_flag(caps, c, CAP_PERMITTED, &permitted) != 0)
			goto out;
		if (permitted != CAP_SET)
			continue;
		if (cap_iab_set_vector(iab, CAP_IAB_INH, c, CAP_SET) != 0 ||
		    cap_iab_set_vector(iab, CAP_IAB_AMB, c, CAP_SET) != 0)
			goto out;
	}
	rc = cap_iab_set_proc(iab);
out:
	cap_free(iab);
	cap_free(caps);
	return rc;
}

int
ns_caps_keep_on_setuid(bool on)
{
	return prctl(PR_SET_KEEPCAPS, on ? 1L : 0L, 0L, 0L, 0L);
}

int
ns_caps_raise_effective(void)
{
	cap_flag_value_t permitted;
	cap_t caps = cap_get_proc();
	int rc = -1;

	if (caps == NULL)
		return -1;
	for (cap_value_t c = 0; c < ncaps(); c++) {
		if (cap_get_flag(caps, c, CAP_PERMITTED, &permitted) != 0 ||
		    cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, permitted) != 0)
			goto out;
	}
	rc = cap_set_proc(caps);
out:
	cap_free(caps);
	return rc;
}

bool
ns_caps_effective(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps == NULL)
		return false;
	if (cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &v) != 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}
