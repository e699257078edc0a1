// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for the strict number parsers: ns_parse_long (offsets
// and durations: --monotonic, --boottime; NS inodes), ns_parse_u32 (ids,
// map ranges), ns_parse_pid (unsigned) and ns_parse_fd, each checked against a
// reference parser written here from the rule in nscommon.h.
#include <errno.h>
#include <limits.h>

#include "fuzz.h"
#include "nscommon.h"

/* Optional sign (when SIGNED), then one or more digits, nothing else; the
 * value exactly, or -1 if it leaves [MIN, MAX] (ERANGE) or is malformed
 * (EINVAL). */
static int
reference(const char *s, bool is_signed, __int128 min, __int128 max,
	  __int128 *out)
{
	bool neg = false;
	__int128 v = 0;
	bool big = false;

	if (is_signed && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	if (*s == '\0')
		return EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		if (!big) {
			v = v * 10 + (*s - '0');
			if (v > (__int128)UINT64_MAX * 2)
				big = true;
		}
	}
	if (neg)
		v = -v;
	if (big || v < min || v > max)
		return ERANGE;
	*out = v;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long bounds[][2] = {
		{ LONG_MIN, LONG_MAX }, /* time offsets */
		{ 1, LONG_MAX },	/* namespace inodes */
		{ 1, NSIG - 1 },	/* signal numbers */
		{ -1, 1 },
	};
	char *s;
	__int128 want = 0;
	int which, expect, rc;

	if (size == 0)
		return 0;
	which = data[0] % 7;
	s = fuzz_string(data + 1, size - 1);
	if (s == NULL)
		return 0;
	errno = 0;
	if (which < 4) {
		long v = 0;

		expect = reference(s, true, bounds[which][0], bounds[which][1],
				   &want);
		rc = ns_parse_long(s, bounds[which][0], bounds[which][1], &v);
		if (rc == 0 ? expect != 0 || v != want
			    : expect == 0 || errno != expect)
			abort();
	} else if (which == 4) {
		uint32_t v = 0;

		expect = reference(s, false, 0, UINT32_MAX, &want);
		rc = ns_parse_u32(s, &v);
		if (rc == 0 ? expect != 0 || v != want
			    : expect == 0 || errno != expect)
			abort();
	} else if (which == 5) {
		pid_t v = 0;

		/* a PID is digits only: no sign */
		expect = reference(s, false, 1, INT_MAX, &want);
		rc = ns_parse_pid(s, &v);
		if (rc == 0 ? expect != 0 || v != want
			    : expect == 0 || errno != expect)
			abort();
	} else {
		int v = 0;

		expect = reference(s, true, 0, INT_MAX, &want);
		rc = ns_parse_fd(s, &v);
		if (rc == 0 ? expect != 0 || v != want
			    : expect == 0 || errno != expect)
			abort();
	}
	free(s);
	return 0;
}
