// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: the helper that stays in the parent namespaces. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsunshare.h"

/*
 * Ranges beyond our own id, and bind mounts of the new namespaces, need a
 * process that stayed outside: after unshare(2) we have no privilege in the
 * parent user namespace, and a bind mount made from inside a new mount
 * namespace would not be seen outside it.
 *
 * We talk to it over a socket pair.  We send "g" once we have unshared; it
 * answers "k" when the maps are written and the namespaces persisted, or
 * closes the socket having said why it could not.  What it persisted it
 * keeps once execve(2) of the program has closed our end, and removes if
 * we send "f" instead: we are failing before the program ran.
 */

/* A byte from FD, or -1 at end of file or on error. */
static int
recv_byte(int fd)
{
	unsigned char byte;
	ssize_t n;

	while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? byte : -1;
}

bool
persisting(const struct nsunshare_opts *o)
{
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (o->persist[i] != NULL)
			return true;
	return false;
}

/* Write MAP to FILE ("uid_map", "gid_map") of TARGET: through its checked
 * /proc directory as root, else through newuidmap/newgidmap. */
static int
write_ranges(const struct ns_proc *target, const char *file,
	     const struct ns_idmap *map, bool privileged)
{
	if (!privileged)
		return run_newidmap(file[0] == 'u' ? "newuidmap" : "newgidmap",
				    target->pid, map);
	if (ns_idmap_write(target->procfd, file, map) == 0)
		return 0;
	warn("cannot write %s of PID %d", file, (int)target->pid);
	return -1;
}

static noreturn void
run_helper(const struct nsunshare_opts *o, const struct ns_proc *target,
	   int sock, const struct ns_idmap *umap, const struct ns_idmap *gmap)
{
	bool privileged = geteuid() == 0;
	struct persisted done[NS_NTYPES];

	if (recv_byte(sock) != 'g')
		_exit(0); /* the parent gave up and said why */
	if (umap && write_ranges(target, "uid_map", umap, privileged) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (gmap && write_ranges(target, "gid_map", gmap, privileged) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (persist_namespaces(o, target, done) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	if (send(sock, "k", 1, MSG_NOSIGNAL) != 1 ||
	    (persisting(o) && recv_byte(sock) == 'f'))
		undo_persist(done, NS_NTYPES);
	_exit(0);
}

/*
 * The helper acts on PARENT through a pidfd and a checked /proc/PARENT,
 * opened here while PARENT waits for us: alive, so its PID cannot be
 * another process's yet.  Then it forks the helper and exits.
 */
static noreturn void
start_helper_child(const struct nsunshare_opts *o, pid_t parent, int sock,
		   const struct ns_idmap *umap, const struct ns_idmap *gmap)
{
	struct ns_proc target = { parent, -1, -1 };
	pid_t pid;

	/* newuidmap opens the process itself; the rest is ours */
	if ((persisting(o) || (geteuid() == 0 && (umap || gmap))) &&
	    ns_proc_open_or_warn(-1, parent, &target) != 0)
		_exit(NS_EXIT_OWN_FAILURE);
	pid = fork();
	if (pid < 0) {
		warn("cannot start the helper process");
		_exit(NS_EXIT_OWN_FAILURE);
	}
	if (pid == 0)
		run_helper(o, &target, sock, umap, gmap);
	_exit(0);
}

/*
 * Forked twice, so that the helper is no child of the program we may exec:
 * it outlives the execve(2) by a moment, and nothing there would reap it.
 * Returns our end of the socket.
 */
int
start_helper(const struct nsunshare_opts *o, const struct ns_idmap *umap,
	     const struct ns_idmap *gmap)
{
	pid_t parent = getpid(), pid;
	int sv[2], status;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		err(NS_EXIT_OWN_FAILURE,
		    "cannot make a socket for the helper process");
	pid = fork();
	if (pid < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot start the helper process");
	if (pid == 0) {
		close(sv[0]);
		start_helper_child(o, parent, sv[1], umap, gmap);
	}
	close(sv[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot wait for the helper process");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(NS_EXIT_OWN_FAILURE); /* it said why */
	return sv[0];
}

/* Let the helper write the maps and persist; exit 125 if it could not. */
void
finish_helper(const struct nsunshare_opts *o, int *sock)
{
	if (*sock < 0)
		return;
	if (send(*sock, "g", 1, MSG_NOSIGNAL) != 1)
		err(NS_EXIT_OWN_FAILURE, "cannot reach the helper process");
	if (recv_byte(*sock) != 'k')
		exit(NS_EXIT_OWN_FAILURE); /* it said why */
	if (!persisting(o)) {
		close(*sock);
		*sock = -1;
	}
}

/* on_exit(3): we fail before the program ran; have the helper remove what
 * it persisted, and wait until it has, so the caller finds nothing.  ARG
 * is the socket's variable: -1 once the program is another process's. */
static void
undo_on_exit(int status, void *arg)
{
	const int *sock = arg;

	(void)status;
	if (*sock >= 0 && send(*sock, "f", 1, MSG_NOSIGNAL) == 1)
		recv_byte(*sock); /* end of file once it is done */
}

/* In a process that holds the socket *SOCK (main's variable, alive until
 * we exit) once persisting is done. */
void
undo_persist_on_failure(const struct nsunshare_opts *o, int *sock)
{
	if (*sock < 0 || !persisting(o))
		return;
	if (on_exit(undo_on_exit, sock) != 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot arrange to undo the persisted namespaces at exit");
}
