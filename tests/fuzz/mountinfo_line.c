// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_mountinfo_parse, one /proc/PID/mountinfo line.
#include <errno.h>

#include "fuzz.h"
#include "nscommon.h"

/* P is a string that lies wholly inside [LINE, LINE + SIZE]. */
static int
inside(const char *p, const char *line, size_t size)
{
	return p != NULL && p >= line && p + strlen(p) <= line + size;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ns_mountinfo m;
	char *line = fuzz_string(data, size), *nl;
	size_t len;

	if (line == NULL)
		return 0;
	/* One line, as getline(3) hands it over: the newline kept. */
	nl = strchr(line, '\n');
	if (nl != NULL)
		nl[1] = '\0';
	len = strlen(line);
	errno = 0;
	if (ns_mountinfo_parse(line, &m) == 0) {
		/* Every field points into the line, unescaping only shrinks,
		 * and the split fields hold no separator any more. */
		if (!inside(m.root, line, len) ||
		    !inside(m.mountpoint, line, len) ||
		    !inside(m.options, line, len) ||
		    !inside(m.fstype, line, len) ||
		    !inside(m.source, line, len) ||
		    !inside(m.super_options, line, len) ||
		    strchr(m.options, ' ') != NULL ||
		    strchr(m.fstype, ' ') != NULL || *m.fstype == '\0' ||
		    *m.options == '\0' || *m.source == '\0' ||
		    strchr(m.super_options, '\n') != NULL)
			abort();
	} else if (errno != EINVAL) {
		abort();
	}
	free(line);
	return 0;
}
