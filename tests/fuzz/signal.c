// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_parse_signal ("TERM", "SIGTERM", "sigterm",
// "15") and its inverse ns_signal_name.
#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "fuzz.h"
#include "nscommon-internal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), buf[64];
	const char *name;
	int sig = 0, again = 0;

	if (s == NULL)
		return 0;
	errno = 0;
	if (ns_parse_signal(s, &sig) == 0) {
		if (sig < 1 || sig >= NSIG)
			abort();
		/* A name found reads back, with and without "SIG", as the
		 * same signal; so does the number. */
		name = ns_signal_name(sig);
		if (name != NULL) {
			if (ns_parse_signal(name, &again) != 0 || again != sig)
				abort();
			snprintf(buf, sizeof(buf), "SIG%s", name);
			if (ns_parse_signal(buf, &again) != 0 || again != sig)
				abort();
		}
		snprintf(buf, sizeof(buf), "%d", sig);
		if (ns_parse_signal(buf, &again) != 0 || again != sig)
			abort();
	} else if (errno != EINVAL && errno != ERANGE) {
		abort();
	}
	free(s);
	return 0;
}
