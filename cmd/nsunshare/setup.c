// SPDX-License-Identifier: GPL-2.0-or-later
/* nsunshare: make the new namespaces and set them up. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nsunshare.h"

/*
 * The value of the sysctl NAME ("user/max_net_namespaces") from a checked
 * /proc/sys, never blocking, only a regular procfs file; -1 if unknown.
 */
static long
read_sysctl(const char *name)
{
	char path[96], buf[32];
	struct statfs sfs;
	struct stat st;
	ssize_t n = -1;
	long v = -1;
	int root, fd;

	root = ns_proc_root_open();
	if (root < 0)
		return -1;
	snprintf(path, sizeof(path), "sys/%s", name);
	fd = ns_openat_beneath(root, path, O_RDONLY | O_NONBLOCK);
	close(root);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (ns_parse_long(buf, 0, LONG_MAX, &v) != 0)
		return -1;
	return v;
}

/*
 * ENOSPC: a limit user.max_TYPE_namespaces (they are per user namespace;
 * the caller's own are what we can read).  Name the type at 0, or the
 * single type asked for; with several, the limit may be any of them.
 */
static void
limit_hint(int flags, char *buf, size_t size)
{
	const struct ns_type *asked = NULL;
	char path[64];
	int n = 0;

	for (size_t i = 0; i < NS_NTYPES; i++) {
		const struct ns_type *t = &ns_types[i];

		if (!(flags & t->flag))
			continue;
		snprintf(path, sizeof(path), "user/max_%s_namespaces", t->name);
		if (read_sysctl(path) == 0) {
			snprintf(
				buf, size,
				"%s namespaces are disabled (sysctl user.max_%s_namespaces is 0)",
				t->name, t->name);
			return;
		}
		asked = t;
		n++;
	}
	if (n == 1)
		snprintf(
			buf, size,
			"the limit of %s namespaces is reached (sysctl user.max_%s_namespaces)",
			asked->name, asked->name);
	else
		snprintf(
			buf, size,
			"a limit of namespaces is reached (sysctls user.max_*_namespaces)");
}

/* Why unshare(2) was refused, as far as we can tell: BUF, or "". */
static void
unshare_hint(int flags, int errnum, char *buf, size_t size)
{
	*buf = '\0';
	if (errnum == ENOSPC || errnum == EUSERS) {
		limit_hint(flags, buf, size);
	} else if (errnum != EPERM) {
		return;
	} else if (!(flags & CLONE_NEWUSER)) {
		if (!ns_caps_effective(CAP_SYS_ADMIN))
			snprintf(
				buf, size,
				"without CAP_SYS_ADMIN a new user namespace is needed too (add -U or -r)");
	} else if (read_sysctl("kernel/unprivileged_userns_clone") == 0) {
		snprintf(
			buf, size,
			"unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone is 0)");
	} else if (read_sysctl(
			   "kernel/apparmor_restrict_unprivileged_userns") ==
		   1) {
		snprintf(
			buf, size,
			"AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns is 1)");
	} else {
		snprintf(
			buf, size,
			"refused by a security module, or we are chrooted or multithreaded");
	}
}

static void
unshare_namespaces(int flags)
{
	char names[64] = "", hint[160];
	size_t len = 0;
	int saved;

	if (unshare(flags) == 0)
		return;
	saved = errno;
	/* At most "mnt,uts,ipc,net,pid,user,cgroup,time": it fits. */
	for (size_t i = 0; i < NS_NTYPES; i++)
		if (flags & ns_types[i].flag)
			len += (size_t)snprintf(
				names + len, sizeof(names) - len, "%s%s",
				len ? "," : "", ns_types[i].name);
	unshare_hint(flags, saved, hint, sizeof(hint));
	errx(NS_EXIT_OWN_FAILURE, "cannot unshare %s namespace: %s%s%s", names,
	     strerror(saved), *hint ? "; " : "", hint);
}

static void
set_time_offsets(const struct nsunshare_opts *o)
{
	struct ns_proc self;
	char *text = NULL;
	int fd, len;

	if (!o->set_monotonic && !o->set_boottime)
		return;
	len = asprintf(&text, "%s%ld 0\n%s%ld 0\n", "monotonic ", o->monotonic,
		       "boottime ", o->boottime);
	if (len < 0)
		ns_oom(NS_EXIT_OWN_FAILURE);
	if (ns_proc_open_or_warn(-1, getpid(), &self) != 0)
		exit(NS_EXIT_OWN_FAILURE);
	/* Only before the first process enters the time namespace. */
	fd = ns_openat_beneath(self.procfd, "timens_offsets",
			       O_WRONLY | O_NONBLOCK);
	if (fd < 0 || write(fd, text, len) != len)
		err(NS_EXIT_OWN_FAILURE, "cannot set clock offsets");
	close(fd);
	ns_proc_close(&self);
	free(text);
}

static void
set_names(const struct nsunshare_opts *o)
{
	if (o->hostname && sethostname(o->hostname, strlen(o->hostname)) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set hostname '%s'",
		    o->hostname);
	if (o->domainname &&
	    setdomainname(o->domainname, strlen(o->domainname)) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot set domain name '%s'",
		    o->domainname);
}

static void
bring_up_loopback(const struct nsunshare_opts *o)
{
	if (o->loopback && ns_loopback_up() != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot bring up lo");
}

static void
set_propagation(const struct nsunshare_opts *o)
{
	if (!(o->flags & CLONE_NEWNS) || o->propagation == 0)
		return;
	if (mount("none", "/", NULL, o->propagation, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot change propagation of /");
}

/*
 * The inodes of the new namespaces, for --info-fd: read before the child
 * runs the program.  Once it runs, it may mount a new proc on /proc in the
 * mount namespace we share with it, where /proc/self no longer names us.
 */
void
read_new_inodes(const struct nsunshare_opts *o, ino_t ino[NS_NTYPES])
{
	struct ns_proc self;
	char name[32];
	struct stat st;
	int fd;

	if (o->info_fd < 0)
		return;
	if (ns_proc_open_or_warn(-1, getpid(), &self) != 0)
		exit(NS_EXIT_OWN_FAILURE);
	for (size_t i = 0; i < NS_NTYPES; i++) {
		const struct ns_type *t = &ns_types[i];

		if (!(o->flags & t->flag))
			continue;
		/* Ours, except pid and time: those only our children enter. */
		snprintf(name, sizeof(name), "%s",
			 t->for_children ? t->for_children : t->name);
		fd = ns_proc_open_ns(&self, name);
		if (fd < 0 || fstat(fd, &st) != 0)
			err(NS_EXIT_OWN_FAILURE, "cannot read /proc/self/ns/%s",
			    name);
		close(fd);
		ino[i] = st.st_ino;
	}
	ns_proc_close(&self);
}

/* {"pid":N,"namespaces":[{"type":"net","ns":INODE},...]} of the new ones. */
void
write_info(const struct nsunshare_opts *o, pid_t pid,
	   const ino_t ino[NS_NTYPES])
{
	const char *sep = "";
	FILE *f;
	int fd;

	if (o->info_fd < 0)
		return;
	fd = fcntl(o->info_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		err(NS_EXIT_OWN_FAILURE, "--info-fd %d", o->info_fd);
	fprintf(f, "{\"pid\":%d,\"namespaces\":[", (int)pid);
	for (size_t i = 0; i < NS_NTYPES; i++) {
		if (!(o->flags & ns_types[i].flag))
			continue;
		fprintf(f, "%s{\"type\":\"%s\",\"ns\":%lu}", sep,
			ns_types[i].name, (unsigned long)ino[i]);
		sep = ",";
	}
	fprintf(f, "]}\n");
	if (fclose(f) != 0)
		err(NS_EXIT_OWN_FAILURE, "cannot write to --info-fd %d",
		    o->info_fd);
	if (close(o->info_fd) != 0)
		err(NS_EXIT_OWN_FAILURE, "--info-fd %d", o->info_fd);
}

/* --owner: the user namespace belongs to whoever calls unshare(2). */
static void
become_owner(const struct nsunshare_opts *o)
{
	if (!o->set_owner)
		return;
	if (setgroups(0, NULL) != 0)
		err(NS_EXIT_OWN_FAILURE,
		    "--owner: cannot drop supplementary groups");
	if (setgid(o->owner_gid) != 0)
		err(NS_EXIT_OWN_FAILURE, "--owner: cannot set gid %u",
		    (unsigned)o->owner_gid);
	if (setuid(o->owner_uid) != 0)
		err(NS_EXIT_OWN_FAILURE, "--owner: cannot set uid %u",
		    (unsigned)o->owner_uid);
}

void
set_up_namespaces(const struct nsunshare_opts *o, const struct caller *me,
		  bool uid_self, bool gid_self)
{
	become_owner(o);
	unshare_namespaces(o->flags);
	write_own_maps(o, me, uid_self, gid_self);
	set_time_offsets(o);
	set_names(o);
	bring_up_loopback(o);
	set_propagation(o);
}
