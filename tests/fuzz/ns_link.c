// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_parse_ns_link and ns_split_ns_link:
// "net:[4026531833]" as readlink of /proc/PID/ns/X and nsfs mount roots
// show it.
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "fuzz.h"
#include "nscommon.h"

/* Any type's text, a newer kernel's too: accepted text round-trips. */
static void
check_split(const char *s)
{
	char name[NS_TYPE_NAME_MAX], back[64];
	ino_t ino = 0;

	errno = 0;
	if (ns_split_ns_link(s, name, &ino) == 0) {
		snprintf(back, sizeof(back), "%s:[%" PRIu64 "]", name,
			 (uint64_t)ino);
		if (ino == 0 || strcmp(back, s) != 0)
			abort();
	} else if (errno != EINVAL) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ns_type *t = NULL;
	char *s = fuzz_string(data, size), back[64];
	ino_t ino = 0;

	if (s == NULL)
		return 0;
	errno = 0;
	if (ns_parse_ns_link(s, &t, &ino) == 0) {
		/* Accepted text is exactly what the kernel would write (the
		 * long option name "mount" also names mnt). */
		if (t == NULL || ino == 0 || ns_type_index(t) >= NS_NTYPES)
			abort();
		snprintf(back, sizeof(back), "%s:[%" PRIu64 "]", t->name,
			 (uint64_t)ino);
		if (strcmp(back, s) != 0) {
			snprintf(back, sizeof(back), "%s:[%" PRIu64 "]",
				 t->long_opt, (uint64_t)ino);
			if (strcmp(back, s) != 0)
				abort();
		}
	} else if (errno != EINVAL && errno != ENOENT) {
		abort();
	}
	check_split(s);
	free(s);
	return 0;
}
