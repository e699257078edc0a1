/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsunshare.h - what the parts of nsunshare share: the options and the
 * steps each file provides.
 *
 * nsunshare.c reads the command line and runs the steps (main);
 * idmaps.c builds the uid and gid maps; helper.c runs the helper that
 * stays in the parent namespaces (maps beyond our own id, persisting);
 * persist.c binds the new namespaces onto files; setup.c makes the
 * namespaces; child.c is the process that runs the program.
 */
#ifndef NSUNSHARE_H
#define NSUNSHARE_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include "nscommon.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Where the uid or gid map of the new user namespace comes from. */
struct nsunshare_idmap {
	bool single; /* map one inside id to our own outside id */
	uint32_t inside;
	bool all;		  /* copy our own map through */
	bool subids_auto;	  /* first /etc/sub?id range, inside from 0 */
	bool subids_identity;	  /* /etc/sub?id ranges, inside == outside */
	const char *auto_opt;	  /* the option that asked for auto */
	const char *identity_opt; /* and for subids */
	struct ns_idmap ranges;	  /* --map-users / --map-groups */
};

struct nsunshare_opts {
	const char *persist[NS_NTYPES]; /* FILE per type, or NULL */
	struct nsunshare_idmap uids, gids;
	const char *mount_proc; /* DIR, or NULL */
	const char *setgroups;	/* "allow", "deny" or NULL */
	const char *root, *wd;
	const char *hostname, *domainname;
	const char *binfmt; /* DIR to mount binfmt_misc on, or NULL */
	const char *interp; /* binfmt_misc definition to register, or NULL */
	char **keep_env;    /* NAME=VALUE of --whitelist-env, NULL-terminated */
	size_t n_keep_env;
	char **argv;		   /* program, or empty */
	unsigned long propagation; /* 0: unchanged */
	long monotonic, boottime;
	int flags;	/* CLONE_NEW* to unshare */
	int kill_child; /* signal, or 0 */
	int info_fd;	/* -1: none */
	uid_t uid;
	gid_t gid;
	uid_t owner_uid; /* --owner: create the user namespace as this */
	gid_t owner_gid; /* user and group, if set_owner */
	bool fork, die_with_parent, keep_caps, loopback;
	bool set_uid, set_gid, set_monotonic, set_boottime;
	bool set_owner, clear_env;
};

/* Where binfmt_misc is mounted when --mount-binfmt names no DIR. */
#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"

/* Who ran us, read before unshare(2) changes what the kernel reports. */
struct caller {
	pid_t pid, ppid;
	uid_t uid;
	gid_t gid;
};

/* nsunshare.c */
void parse_args(int argc, char **argv, struct nsunshare_opts *o);

/* idmaps.c */
/* True when the map is one id of our own: we may write that ourselves. */
bool map_is_own_single(const struct nsunshare_idmap *m);
int run_newidmap(const char *prog, pid_t pid, const struct ns_idmap *map);
void write_own_maps(const struct nsunshare_opts *o, const struct caller *me,
		    bool uid_self, bool gid_self);
int plan_maps(const struct nsunshare_opts *o, const struct caller *me,
	      bool *uid_self, bool *gid_self);

/* helper.c */
bool persisting(const struct nsunshare_opts *o);
int start_helper(const struct nsunshare_opts *o, const struct ns_idmap *umap,
		 const struct ns_idmap *gmap);
void finish_helper(const struct nsunshare_opts *o, int *sock);
void undo_persist_on_failure(const struct nsunshare_opts *o, int *sock);

/* persist.c */

/* What persisting one namespace made, for undo_persist. */
struct persisted {
	int dirfd;	  /* the file's directory, held since it was made */
	int mntfd;	  /* O_PATH, the root of the bind mount made there */
	const char *base; /* the file's name in that directory */
	bool made;	  /* the file was created here (O_CREAT|O_EXCL) */
	dev_t dev;	  /* and then was this inode */
	ino_t ino;
};

int persist_namespaces(const struct nsunshare_opts *o,
		       const struct ns_proc *target,
		       struct persisted done[NS_NTYPES]);
/* Unmount and remove what DONE[0..N) made; close its fds. */
void undo_persist(struct persisted *done, size_t n);
void persisted_close(struct persisted *p);

/* setup.c */
void set_up_namespaces(const struct nsunshare_opts *o, const struct caller *me,
		       bool uid_self, bool gid_self);
void read_new_inodes(const struct nsunshare_opts *o, ino_t ino[NS_NTYPES]);
void write_info(const struct nsunshare_opts *o, pid_t pid,
		const ino_t ino[NS_NTYPES]);

/* child.c */
noreturn void exec_in_place(const struct nsunshare_opts *o,
			    const struct caller *me, int *helper);
noreturn void fork_and_wait(const struct nsunshare_opts *o,
			    const struct caller *me, int *helper);

#endif /* NSUNSHARE_H */
