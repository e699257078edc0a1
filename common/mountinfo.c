// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mountinfo.c - split one line of /proc/PID/mountinfo into its fields.  A
 * pure function of its input, so that it can be fuzzed on its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nscommon.h"

/*
 * The kernel escapes space, tab, newline and backslash as \ooo octal.  A
 * \000 it never writes stays as it is: decoded, it would cut the string.
 */
static void
unescape(char *s)
{
	char *d = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7' &&
		    (s[1] != '0' || s[2] != '0' || s[3] != '0')) {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/*
 * Next space-separated field of *S, NUL-terminated in place; NULL at the
 * end, and for an empty field: the kernel escapes spaces and writes none.
 */
static char *
next_field(char **s)
{
	char *f = *s, *end;

	if (f == NULL || *f == '\0' || *f == ' ')
		return NULL;
	end = strchr(f, ' ');
	if (end != NULL) {
		*end = '\0';
		*s = end + 1;
	} else {
		*s = f + strlen(f);
	}
	return f;
}

static int
parse_uint(const char *s, char stop, unsigned *out, const char **rest)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != stop || v > 0xffffffffUL)
		return -1;
	*out = (unsigned)v;
	if (rest != NULL)
		*rest = end + 1;
	return 0;
}

int
ns_mountinfo_parse(char *line, struct ns_mountinfo *m)
{
	char *s = line, *f, *dev;
	const char *minor;
	size_t len = strlen(line);

	if (len > 0 && line[len - 1] == '\n')
		line[len - 1] = '\0';
	memset(m, 0, sizeof(*m));
	if ((f = next_field(&s)) == NULL || parse_uint(f, '\0', &m->id, NULL))
		goto bad;
	if ((f = next_field(&s)) == NULL ||
	    parse_uint(f, '\0', &m->parent, NULL))
		goto bad;
	if ((dev = next_field(&s)) == NULL ||
	    parse_uint(dev, ':', &m->major, &minor) ||
	    parse_uint(minor, '\0', &m->minor, NULL))
		goto bad;
	if ((m->root = next_field(&s)) == NULL ||
	    (m->mountpoint = next_field(&s)) == NULL ||
	    (m->options = next_field(&s)) == NULL)
		goto bad;
	/* Optional fields ("shared:N", "master:N") end with a lone "-". */
	for (;;) {
		if ((f = next_field(&s)) == NULL)
			goto bad;
		if (strcmp(f, "-") == 0)
			break;
		if (strncmp(f, "shared:", 7) == 0 &&
		    (parse_uint(f + 7, '\0', &m->shared, NULL) != 0 ||
		     m->shared == 0))
			goto bad;
	}
	if ((m->fstype = next_field(&s)) == NULL ||
	    (m->source = next_field(&s)) == NULL)
		goto bad;
	m->super_options = next_field(&s);
	if (m->super_options == NULL)
		m->super_options = s + strlen(s);
	unescape(m->root);
	unescape(m->mountpoint);
	unescape(m->source);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
