// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run.c - running the user's command: exec with 126/127 as POSIX shells
 * give them, forwarding signals to the child while waiting for it, and
 * ending the way the child ended.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nscommon-internal.h"

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

/*
 * Every signal a process can catch is forwarded, but SIGCHLD, which is
 * ours (SIGKILL and SIGSTOP cannot be caught; the kernel leaves them out
 * of any mask).  Blocking the CPU's fault signals too is safe: the kernel
 * delivers a real fault (SIGSEGV, SIGBUS, ...) whatever the mask, so only
 * a kill(2) of one reaches sigwaitinfo(2).
 */
static void
forwarded_signals(sigset_t *set)
{
	sigfillset(set);
}

void
ns_block_forwarded_signals(sigset_t *old)
{
	sigset_t set;

	/* An inherited SIG_IGN for SIGCHLD would reap the child for us. */
	signal(SIGCHLD, SIG_DFL);
	forwarded_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, old) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot block the signals to forward");
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

/* End the way a wait(2) status says. */
static noreturn void
exit_like(int wstatus)
{
	if (WIFEXITED(wstatus))
		exit(WEXITSTATUS(wstatus));
	die_of_signal(WTERMSIG(wstatus));
}

/* What the kernel does with SIG where nobody catches it: signal(7). */
enum default_action { ACT_TERMINATE, ACT_IGNORE, ACT_STOP };

static enum default_action
default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
		return ACT_IGNORE;
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return ACT_STOP;
	default:
		return ACT_TERMINATE; /* with or without a core */
	}
}

/*
 * Stop ourselves as SIG would have stopped us, once the child has it, so
 * that the shell sees its job stopped.  SIG keeps its default action here
 * (we never catch it), so the kernel's rules hold: no stop in an orphaned
 * process group, none where it is ignored.  SIGCONT resumes us.
 */
static void
stop_like(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) != 0)
		return;
	raise(sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
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
 * The kernel gives the init of a PID namespace only the signals it catches
 * (or ignores): a forwarded TERM or TSTP that such a PID 1 leaves at its
 * default is dropped, where any other process would die or stop.  Does the
 * child whose /proc directory is CHILD_PROC stand there for SIG?  (The
 * child is ours and not yet reaped: the directory is still its own.)
 */
static bool
init_would_drop(int child_proc, int sig)
{
	bool is_init = false, handled = false;
	char *line = NULL;
	size_t size = 0;
	FILE *f;
	int fd;

	if (child_proc < 0)
		return false;
	fd = openat(child_proc, "status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	f = fdopen(fd, "re");
	if (f == NULL) {
		close(fd);
		return false;
	}
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

int
ns_open_child_proc(int proc_root, pid_t child)
{
	char name[32];
	int root = proc_root, fd;

	/* Only the procfs of our own PID namespace names CHILD by its number,
	 * and only a verified one has no FIFO where status should be. */
	if (root < 0 && (root = ns_proc_root_open()) < 0)
		return -1;
	snprintf(name, sizeof(name), "%d", (int)child);
	fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root != proc_root)
		close(root);
	return fd;
}

/* Pass SIG on to CHILD; a TERM or STOP its init would drop, emulated. */
static void
forward_one(pid_t child, int child_proc, int sig, int *emulated)
{
	enum default_action act = default_action(sig);
	int sent = sig;

	if (act != ACT_IGNORE && init_would_drop(child_proc, sig)) {
		/* the death or the stop it would have had anywhere else */
		sent = act == ACT_STOP ? SIGSTOP : SIGKILL;
		if (act == ACT_TERMINATE)
			*emulated = sig;
	}
	if (kill(child, sent) != 0 && errno != ESRCH)
		warn("cannot forward SIG%s to PID %d", ns_signal_name(sig),
		     (int)child);
	if (act == ACT_STOP)
		stop_like(sig);
}

void
ns_forward_and_exit_like_at(pid_t child, int child_proc)
{
	int status, emulated = 0;
	pid_t w, self = getpid();
	siginfo_t info;
	sigset_t set;

	forwarded_signals(&set);
	for (;;) {
		w = waitpid(child, &status, WNOHANG);
		if (w == child && emulated != 0 && WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGKILL)
			die_of_signal(emulated);
		if (w == child)
			exit_like(status);
		if (w < 0 && errno != EINTR)
			err(NS_EXIT_OWN_FAILURE, "cannot wait for the child");
		if (sigwaitinfo(&set, &info) < 0) {
			if (errno == EINTR)
				continue;
			err(NS_EXIT_OWN_FAILURE, "cannot wait for a signal");
		}
		/* Not what we caused ourselves (SIGPIPE of our own write). */
		if (info.si_signo == SIGCHLD || info.si_pid == self)
			continue;
		forward_one(child, child_proc, info.si_signo, &emulated);
	}
}
