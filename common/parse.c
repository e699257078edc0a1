// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse.c - strict parsing of numbers, ids, signals and network namespace
 * names: the whole string, range checked, ERANGE caught, names looked up
 * once.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "nscommon-internal.h"

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

/*
 * Digits only: the kernel writes a PID so, and "+27580" or " 27580" is a
 * mangled value, not a PID.  (util-linux's strtopid_or_err, through
 * strtoimax, takes both: netnslink(8) says so under DIFFERENCES.)
 */
int
ns_parse_pid(const char *s, pid_t *out)
{
	long v;

	if (s == NULL || !isdigit((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
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
