// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: the process that runs the program. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/magic.h>

#include "nsunshare.h"

static void
mount_proc(const struct nsunshare_opts *o)
{
	if (o->mount_proc == NULL)
		return;
	/* Detach an old proc first, so the new one is what is seen. */
	if (umount2(o->mount_proc, MNT_DETACH) != 0 && errno != EINVAL &&
	    errno != ENOENT)
		err(NS_EXIT_OWN_FAILURE, "cannot unmount %s", o->mount_proc);
	if (mount("proc", o->mount_proc, "proc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return;
	/* A proc belongs to the user namespace of its PID namespace. */
	if (errno == EPERM && (o->flags & CLONE_NEWUSER) &&
	    !(o->flags & CLONE_NEWPID))
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot mount proc on %s: %s; in a new user namespace that needs a new PID namespace too (-p)",
		     o->mount_proc, strerror(EPERM));
	err(NS_EXIT_OWN_FAILURE, "cannot mount proc on %s", o->mount_proc);
}

/*
 * A new binfmt_misc, made detached (fsopen/fsmount) and moved onto DIR as
 * opened once: the mount's root fd or -1 with errno.  A path looked up
 * again after mount(2) could meanwhile name another directory (one with
 * a FIFO called register); the fd cannot.
 */
static int
new_binfmt_mount(int target)
{
	int fs, mnt = -1, saved;

	fs = fsopen("binfmt_misc", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	/* The source as mount(2) would show it in mountinfo, as unshare's. */
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "binfmt_misc", 0) ==
		    0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC,
			      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				      MOUNT_ATTR_NOEXEC);
	saved = errno;
	close(fs);
	if (mnt >= 0 && move_mount(mnt, "", target, "",
				   MOVE_MOUNT_F_EMPTY_PATH |
					   MOVE_MOUNT_T_EMPTY_PATH) != 0) {
		saved = errno;
		close(mnt);
		mnt = -1;
	}
	errno = saved;
	return mnt;
}

/*
 * fsopen refused as unknown (ENOSYS): a seccomp filter that predates it
 * (a kernel before 5.2 cannot mount binfmt_misc in a user namespace at
 * all).  mount(2) on DIR, then DIR opened again and checked to be
 * binfmt_misc: the only instance this user namespace may write is the
 * one just mounted, and register there is no FIFO.
 */
static int
old_binfmt_mount(const char *dir)
{
	struct statfs sfs;
	int root;

	if (mount("binfmt_misc", dir, "binfmt_misc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		return -1;
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root >= 0 &&
	    (fstatfs(root, &sfs) != 0 || sfs.f_type != BINFMTFS_MAGIC)) {
		close(root);
		errno = EXDEV;
		return -1;
	}
	return root;
}

/* binfmt_misc on DIR: the root of the new mount, held for -l. */
static int
mount_binfmt(const char *dir)
{
	int target, root;

	target = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (target < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot mount binfmt_misc on %s", dir);
	root = new_binfmt_mount(target);
	if (root < 0 && errno == ENOSYS)
		root = old_binfmt_mount(dir);
	if (root < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot mount binfmt_misc on %s", dir);
	close(target);
	return root;
}

/* Through ROOT, the mount made for DIR (named in messages only). */
static void
register_interp(int root, const char *dir, const char *def)
{
	size_t len = strlen(def);
	int fd;

	fd = openat(root, "register",
		    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	/* The kernel takes a definition in one write, or refuses it. */
	if (fd < 0 || write(fd, def, len) != (ssize_t)len)
		err(NS_EXIT_OWN_FAILURE,
		    "--load-interp: cannot register in %s/register", dir);
	close(fd);
}

/* The F flag: the kernel opens the interpreter at registration. */
static bool
interp_fixed(const char *def)
{
	const char *flags = strrchr(def, ':');

	return flags != NULL && strchr(flags, 'F') != NULL;
}

/* Before -R: an F interpreter is opened in the tree we came from. */
static bool
register_before_root(const struct nsunshare_opts *o)
{
	return o->interp != NULL && o->root != NULL && interp_fixed(o->interp);
}

static void
set_up_binfmt(const struct nsunshare_opts *o)
{
	int root;

	if (o->binfmt == NULL)
		return;
	root = mount_binfmt(o->binfmt);
	if (o->interp != NULL && !register_before_root(o))
		register_interp(root, o->binfmt, o->interp);
	close(root);
}

/* --clear-env, --whitelist-env: the environment the program gets. */
static void
set_environment(const struct nsunshare_opts *o)
{
	if (!o->clear_env)
		return;
	if (clearenv() != 0)
		errx(NS_EXIT_OWN_FAILURE, "cannot clear the environment");
	for (size_t i = 0; i < o->n_keep_env; i++)
		if (putenv(o->keep_env[i]) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep %s",
			    o->keep_env[i]);
}

static void
change_root_and_dir(const struct nsunshare_opts *o)
{
	if (o->root) {
		if (chroot(o->root) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot change root to %s",
			    o->root);
		if (chdir(o->wd ? o->wd : "/") != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot change directory to %s",
			    o->wd ? o->wd : "/");
	} else if (o->wd && chdir(o->wd) != 0) {
		err(NS_EXIT_OWN_FAILURE, "cannot change directory to %s",
		    o->wd);
	}
}

static void
change_ids(const struct nsunshare_opts *o)
{
	if (o->set_gid) {
		/* Refused where setgroups is denied: nothing to drop then. */
		if (setgroups(0, NULL) != 0 && errno != EPERM)
			err(NS_EXIT_OWN_FAILURE, "cannot drop groups");
		if (setgid(o->gid) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot set gid %u",
			    (unsigned)o->gid);
	}
	if (o->set_uid) {
		if (o->keep_caps && o->uid != 0 &&
		    ns_caps_keep_on_setuid(true) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
		if (setuid(o->uid) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot set uid %u",
			    (unsigned)o->uid);
		if (o->keep_caps && o->uid != 0 &&
		    ns_caps_raise_effective() != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot keep capabilities");
	}
	if (o->keep_caps && ns_caps_make_ambient() != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot make capabilities ambient");
}

/*
 * The kernel clears PDEATHSIG on a credential change: arm it after.  A
 * parent that died before we armed sent nothing: die now.  Our parent is
 * nsunshare when ALIVE >= 0, a pipe it holds open until it exits (in a new
 * PID namespace getppid() is 0); else the process PARENT.
 */
static void
arm_death_signal(int sig, pid_t parent, int alive)
{
	struct pollfd pipe_end = { .fd = alive, .events = POLLIN };
	bool gone;

	if (sig == 0)
		return;
	if (prctl(PR_SET_PDEATHSIG, sig) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set parent-death signal");
	gone = alive >= 0 ? poll(&pipe_end, 1, 0) != 0 : getppid() != parent;
	if (!gone)
		return;
	raise(sig);
	/* PID 1 of a PID namespace ignores signals it sends itself. */
	_exit(128 + sig);
}

/* Until the parent says go; the pipe then tells whether it still lives. */
static int
wait_until_ready(int ready[2])
{
	char byte;

	close(ready[1]);
	if (read(ready[0], &byte, 1) != 1)
		_exit(NS_EXIT_OWN_FAILURE); /* the parent said why */
	return ready[0];
}

static noreturn void
run_program(const struct nsunshare_opts *o, int death_sig, pid_t parent,
	    int alive)
{
	if (register_before_root(o)) {
		int root = mount_binfmt(BINFMT_DIR);

		register_interp(root, BINFMT_DIR, o->interp);
		close(root);
	}
	/* Proc after the root change, as unshare(1): -R DIR --mount-proc
	 * mounts DIR/proc. */
	change_root_and_dir(o);
	mount_proc(o);
	set_up_binfmt(o);
	change_ids(o);
	set_environment(o);
	arm_death_signal(death_sig, parent, alive);
	ns_exec_command(o->argv);
}

/* Without -f: we become the program. */
noreturn void
exec_in_place(const struct nsunshare_opts *o, const struct caller *me,
	      int *helper)
{
	ino_t ino[NS_NTYPES];

	read_new_inodes(o, ino);
	finish_helper(o, helper);
	undo_persist_on_failure(o, helper);
	write_info(o, getpid(), ino);
	run_program(o, o->die_with_parent ? SIGKILL : 0, me->ppid, -1);
}

/* A child forked but not yet told to go; ABANDON_CHILD ends it. */
struct unstarted {
	pid_t pid; /* 0 once it runs, or is gone */
	int ready; /* our end of its pipe */
};

/*
 * on_exit(3): we fail after the fork but before the child ran the program.
 * Closing the pipe makes the child give up; we wait until it has, so that
 * nothing of ours runs on once we returned.
 */
static void
abandon_child(int status, void *arg)
{
	struct unstarted *c = arg;

	(void)status;
	if (c->pid <= 0)
		return;
	close(c->ready);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* With -f: the program is our child; we forward signals and end as it. */
noreturn void
fork_and_wait(const struct nsunshare_opts *o, const struct caller *me,
	      int *helper)
{
	struct unstarted pending; /* valid at exit: we never return */
	ino_t ino[NS_NTYPES];
	sigset_t oldmask;
	int ready[2], alive, child_proc;
	pid_t child;

	ns_block_forwarded_signals(&oldmask);
	if (pipe2(ready, O_CLOEXEC) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot make a pipe to the child");
	child = fork();
	if (child < 0)
		err(NS_EXIT_OWN_FAILURE, "cannot create the child process");
	if (child == 0) {
		alive = wait_until_ready(ready);
		undo_persist_on_failure(o, helper);
		if (sigprocmask(SIG_SETMASK, &oldmask, NULL) != 0)
			err(NS_EXIT_OWN_FAILURE,
			    "cannot restore the signal mask");
		if (o->info_fd >= 0)
			close(o->info_fd);
		run_program(o,
			    o->kill_child	 ? o->kill_child
			    : o->die_with_parent ? SIGKILL
						 : 0,
			    me->pid, alive);
	}
	close(ready[0]);
	pending = (struct unstarted){ child, ready[1] };
	if (on_exit(abandon_child, &pending) != 0)
		errx(NS_EXIT_OWN_FAILURE,
		     "cannot arrange to end the child at exit");
	/* Before the child may mount a new proc on our /proc; and a new PID
	 * namespace shows in pid_for_children only once its init exists. */
	child_proc = ns_open_child_proc(-1, child);
	read_new_inodes(o, ino);
	/* A new PID namespace can be persisted only once its init exists;
	 * if the helper fails, the child sees the pipe close and gives up. */
	finish_helper(o, helper);
	/* Until the child is told to go, a failure of ours undoes them. */
	undo_persist_on_failure(o, helper);
	if (o->die_with_parent)
		arm_death_signal(SIGKILL, me->ppid, -1);
	/* All that can fail is done before the program starts. */
	write_info(o, child, ino);
	/* ready[1] stays open until we exit: see arm_death_signal. */
	if (write(ready[1], "g", 1) != 1)
		err(NS_EXIT_OWN_FAILURE, "cannot start the child");
	pending.pid = 0;
	if (*helper >= 0)
		close(*helper); /* the child's copy tells the helper */
	*helper = -1;
	ns_forward_and_exit_like_at(child, child_proc);
}
