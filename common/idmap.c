// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * idmap.c - user namespace id maps: ns_idkinds (what differs between uids
 * and gids), ranges checked as the kernel checks them, the maps' text
 * parsed, formatted, read from and written to /proc/PID (uid_map, gid_map,
 * setgroups), translating an id through a map, and shadow's policy files:
 * the ranges /etc/subuid and /etc/subgid give a user and a yes/no item of
 * /etc/login.defs.  nsmap writes and checks maps with it, nsunshare and
 * userns_holder.c write them, nsjoin translates through them; the steps
 * the fuzz harnesses drive alone are declared in idmap-internal.h.
 *
 * The kernel's rules (user_namespaces(7)): at most 340 lines, written with
 * one write(2), COUNT > 0, no range wrapping 32 bits, and no two ranges
 * overlapping, neither inside nor outside.  We check them all before
 * writing so that a refused map is explained, not a bare EINVAL.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <linux/capability.h>

#include "idmap-internal.h"

const struct ns_idkind ns_idkinds[NS_NIDKINDS] = {
	[NS_UID] = { "uid", "uid_map", "/etc/subuid", "newuidmap", "user", 'u',
		     CAP_SETUID },
	[NS_GID] = { "gid", "gid_map", "/etc/subgid", "newgidmap", "group", 'g',
		     CAP_SETGID },
};

static bool
ranges_overlap(uint32_t a, uint32_t b, uint32_t count_a, uint32_t count_b)
{
	uint64_t a_end = (uint64_t)a + count_a, b_end = (uint64_t)b + count_b;

	return a < b_end && b < a_end;
}

int
ns_idmap_add(struct ns_idmap *map, uint32_t inside, uint32_t outside,
	     uint32_t count, const char **why)
{
	if (count == 0) {
		*why = "COUNT must be greater than 0";
		return -1;
	}
	/* The kernel refuses a range whose end wraps around 32 bits. */
	if ((uint64_t)inside + count > UINT32_MAX ||
	    (uint64_t)outside + count > UINT32_MAX) {
		*why = "range goes beyond 4294967294 (32 bits)";
		return -1;
	}
	for (size_t i = 0; i < map->n; i++) {
		const struct ns_idrange *r = &map->r[i];

		if (ranges_overlap(inside, r->inside, count, r->count)) {
			*why = "ranges overlap inside the namespace";
			return -1;
		}
		if (ranges_overlap(outside, r->outside, count, r->count)) {
			*why = "ranges overlap outside the namespace";
			return -1;
		}
	}
	if (map->n >= NS_IDMAP_MAX) {
		*why = "too many ranges (the kernel accepts 340)";
		return -1;
	}
	map->r[map->n++] = (struct ns_idrange){ inside, outside, count };
	return 0;
}

/* One "INSIDE:OUTSIDE:COUNT" (or white-space separated) of LEN bytes. */
static int
parse_range(const char *s, size_t len, uint32_t v[3])
{
	char field[16];
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		size_t n = 0;

		while (i < len && isdigit((unsigned char)s[i])) {
			if (n + 1 >= sizeof(field))
				return -1;
			field[n++] = s[i++];
		}
		field[n] = '\0';
		if (n == 0 || ns_parse_u32(field, &v[k]) != 0)
			return -1;
		if (k < 2) {
			if (i >= len || (s[i] != ':' && s[i] != ' '))
				return -1;
			i++;
		}
	}
	return i == len ? 0 : -1;
}

int
ns_idmap_add_spec(struct ns_idmap *map, const char *spec, const char **why)
{
	size_t before = map->n;
	const char *p = spec;

	if (*spec == '\0') {
		*why = "empty map";
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t v[3];

		if (parse_range(p, len, v) != 0) {
			*why = "expected INSIDE:OUTSIDE:COUNT";
			goto fail;
		}
		if (ns_idmap_add(map, v[0], v[1], v[2], why) != 0)
			goto fail;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
fail:
	map->n = before;
	return -1;
}

size_t
ns_idmap_text_size(const struct ns_idmap *map)
{
	size_t bytes = 0;

	for (size_t i = 0; i < map->n; i++)
		bytes += (size_t)snprintf(NULL, 0, "%u %u %u\n",
					  map->r[i].inside, map->r[i].outside,
					  map->r[i].count);
	return bytes;
}

const struct ns_idrange *
ns_idmap_unmapped(const struct ns_idmap *map, const struct ns_idmap *parent)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ns_idrange *r = &map->r[i];
		bool inside_one = false;

		/* The parent's ids are its INSIDE column, as it reads it. */
		for (size_t j = 0; j < parent->n && !inside_one; j++) {
			const struct ns_idrange *q = &parent->r[j];

			inside_one = r->outside >= q->inside &&
				     (uint64_t)r->outside + r->count <=
					     (uint64_t)q->inside + q->count;
		}
		if (!inside_one)
			return r;
	}
	return NULL;
}

char *
ns_idmap_format(const struct ns_idmap *map)
{
	/* three 10-digit numbers, two spaces, a newline */
	size_t size = map->n * 33 + 1, off = 0;
	char *text = malloc(size);

	if (text == NULL)
		return NULL;
	text[0] = '\0';
	for (size_t i = 0; i < map->n; i++)
		off += (size_t)snprintf(text + off, size - off, "%u %u %u\n",
					map->r[i].inside, map->r[i].outside,
					map->r[i].count);
	return text;
}

int
ns_idmap_parse_kernel(const char *text, struct ns_idmap *map)
{
	const char *p = text;

	map->n = 0;
	while (*p != '\0') {
		unsigned long v[3];
		char *end;

		for (int k = 0; k < 3; k++) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			errno = 0;
			v[k] = strtoul(p, &end, 10);
			if (errno != 0 || v[k] > UINT32_MAX)
				goto bad;
			p = end;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n')
			p++;
		else if (*p != '\0')
			goto bad;
		if (map->n >= NS_IDMAP_MAX)
			goto bad;
		map->r[map->n++] =
			(struct ns_idrange){ (uint32_t)v[0], (uint32_t)v[1],
					     (uint32_t)v[2] };
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int
ns_idmap_read(int procfd, const char *file, struct ns_idmap *map)
{
	char *text = ns_proc_read_text(procfd, file);
	int rc;

	if (text == NULL)
		return -1;
	rc = ns_idmap_parse_kernel(text, map);
	free(text);
	return rc;
}

/* The kernel takes a map or setgroups value only in a single write(2). */
static int
write_once(int procfd, const char *file, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, saved;

	fd = ns_openat_beneath(procfd, file, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	saved = errno;
	if (close(fd) != 0 && n >= 0) {
		saved = errno;
		n = -1;
	}
	if (n >= 0 && (size_t)n != len) {
		saved = EIO;
		n = -1;
	}
	errno = saved;
	return n < 0 ? -1 : 0;
}

int
ns_idmap_write(int procfd, const char *file, const struct ns_idmap *map)
{
	char *text = ns_idmap_format(map);
	int rc, saved;

	if (text == NULL)
		return -1;
	rc = write_once(procfd, file, text);
	saved = errno;
	free(text);
	errno = saved;
	return rc;
}

int
ns_setgroups_write(int procfd, const char *value)
{
	return write_once(procfd, "setgroups", value);
}

int
ns_idmap_translate(const struct ns_idmap *map, uint32_t id, bool to_outside,
		   uint32_t *out)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ns_idrange *r = &map->r[i];
		uint32_t from = to_outside ? r->inside : r->outside;
		uint32_t to = to_outside ? r->outside : r->inside;

		if (id >= from && (uint64_t)id < (uint64_t)from + r->count) {
			*out = to + (id - from);
			return 0;
		}
	}
	return -1;
}

/* ---- /etc/subuid, /etc/subgid -------------------------------------------- */

/*
 * A number as shadow reads it from these files, but decimal only: shadow
 * (strtoul base 0) reads "0100" as octal 64 and "0x10" as 16, so a field
 * with a leading zero or a prefix is refused here, never read differently.
 */
static int
parse_subid_number(const char *s, uint32_t *out)
{
	if (s[0] == '0' && s[1] != '\0')
		return -1;
	return ns_parse_u32(s, out);
}

int
ns_subid_parse_line(char *line, char **owner, uint32_t *start, uint32_t *count)
{
	char *fields[3];

	/*
	 * As shadow: the owner is the text before the first colon, blanks
	 * included (" alice" is nobody's name), so nothing is trimmed.
	 */
	line[strcspn(line, "\n")] = '\0';
	if (*line == '\0' || *line == '#')
		return 1;
	fields[0] = line;
	for (int k = 1; k < 3; k++) {
		char *colon = strchr(fields[k - 1], ':');

		if (colon == NULL)
			return -1;
		*colon = '\0';
		fields[k] = colon + 1;
	}
	if (strchr(fields[2], ':') != NULL)
		return -1;
	if (*fields[0] == '\0' || parse_subid_number(fields[1], start) != 0 ||
	    parse_subid_number(fields[2], count) != 0 || *count == 0 ||
	    (uint64_t)*start + *count > UINT32_MAX)
		return -1;
	*owner = fields[0];
	return 0;
}

/* Close F, read with getline into LINE: RESULT, or -1 with errno EIO when
 * a read failed (a short answer from a policy file is no answer). */
static int
end_reading(FILE *f, char *line, int result)
{
	bool failed = ferror(f) != 0;

	free(line);
	fclose(f);
	if (failed) {
		errno = EIO;
		return -1;
	}
	return result;
}

/*
 * shadow's rule (lib/subordinateio.c find_range, 4.13 to 4.19): the owner
 * is the user NAME as text, or the user's uid as text exactly as "%u"
 * prints it ("01003" is not uid 1003: it may be a user called 01003), or
 * any other name in the passwd database with the same uid (an alias).  A
 * group is never an owner, in /etc/subgid neither.
 */
static bool
owner_matches(const char *owner, const char *name, uid_t uid)
{
	char text[16];
	struct passwd *pw;

	if (name != NULL && strcmp(owner, name) == 0)
		return true;
	snprintf(text, sizeof(text), "%u", (unsigned)uid);
	if (strcmp(owner, text) == 0)
		return true;
	pw = getpwnam(owner);
	return pw != NULL && pw->pw_uid == uid;
}

int
ns_subid_ranges(const char *path, const char *name, uid_t uid,
		struct ns_idrange *out, size_t max)
{
	size_t cap = 0, found = 0;
	char *line = NULL, *owner;
	uint32_t start, count;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &cap, f) >= 0) {
		if (ns_subid_parse_line(line, &owner, &start, &count) != 0)
			continue;
		if (found >= max || !owner_matches(owner, name, uid))
			continue;
		out[found++] = (struct ns_idrange){ 0, start, count };
	}
	return end_reading(f, line, (int)found);
}

/*
 * login.defs as shadow reads it (lib/getdef.c): "NAME VALUE" a line, blanks
 * around, '#' comments, the value may be in double quotes, the last line
 * naming the item wins, and a boolean is true when the value is "yes" in
 * any case.
 */
int
ns_logindefs_bool(const char *path, const char *item)
{
	size_t cap = 0, len;
	char *line = NULL;
	bool yes = false;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &cap, f) >= 0) {
		char *name, *value, *end;

		len = strlen(line);
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		name = line + strspn(line, " \t");
		if (*name == '\0' || *name == '#')
			continue;
		end = name + strcspn(name, " \t");
		if (*end == '\0')
			continue;
		*end = '\0';
		if (strcmp(name, item) != 0)
			continue;
		value = end + 1 + strspn(end + 1, " \"\t");
		value[strcspn(value, "\"")] = '\0';
		yes = strcasecmp(value, "yes") == 0;
	}
	return end_reading(f, line, yes);
}
