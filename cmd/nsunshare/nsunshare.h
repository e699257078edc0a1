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
	bool all;		/* copy our own map through */
	bool subids_auto;	/* first /etc/sub?id range, inside from 0 */
	bool subids_identity;	/* /etc/sub?id ranges, inside == outside */
	const char *subids_opt; /* the option that asked for them */
	struct ns_idmap ranges; /* --map-users / --map-groups */
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
void undo_persist_on_failure(const struct nsunshare_opts *o, int sock);

/* persist.c */
void undo_persist(const struct nsunshare_opts *o, size_t upto,
		  const bool *made);
int persist_namespaces(const struct nsunshare_opts *o, pid_t target,
		       bool *made);

/* setup.c */
void set_up_namespaces(const struct nsunshare_opts *o, const struct caller *me,
		       bool uid_self, bool gid_self);
void read_new_inodes(const struct nsunshare_opts *o, ino_t ino[NS_NTYPES]);
void write_info(const struct nsunshare_opts *o, pid_t pid,
		const ino_t ino[NS_NTYPES]);

/* child.c */
noreturn void exec_in_place(const struct nsunshare_opts *o,
			    const struct caller *me, int helper);
noreturn void fork_and_wait(const struct nsunshare_opts *o,
			    const struct caller *me, int helper);

#endif /* NSUNSHARE_H */
