// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_netns_name_valid, the check of a name under
// /run/netns (netnslink NAME, nsjoin -nNAME).
#include <limits.h>
#include <stdio.h>

#include "fuzz.h"
#include "nscommon.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = fuzz_string(data, size), path[PATH_MAX];
	const char *why = "unset";
	bool ok;
	int n;

	if (name == NULL)
		return 0;
	ok = ns_netns_name_valid(name, &why);
	/* The answer, independently: exactly one path component. */
	if (ok != (*name != '\0' && strchr(name, '/') == NULL &&
		   strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		   strlen(name) <= NAME_MAX))
		abort();
	if (ok != (why == NULL) || (!ok && *why == '\0'))
		abort();
	/* A valid name stays a single entry directly below the directory. */
	if (ok) {
		n = snprintf(path, sizeof(path), "/run/netns/%s", name);
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    strrchr(path, '/') != path + strlen("/run/netns"))
			abort();
	}
	free(name);
	return 0;
}
