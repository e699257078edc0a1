// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * caps.c - capabilities, every libcap call of nstools: ambient for
 * --keep-caps, kept across setuid and raised again, and the test of one.
 */
#include <sys/prctl.h>

#include <sys/capability.h>

#include "nscommon.h"

/* The running kernel's capabilities are 0 .. ncaps() - 1. */
static cap_value_t
ncaps(void)
{
	return (cap_value_t)cap_max_bits();
}

int
ns_caps_make_ambient(void)
{
	cap_flag_value_t permitted;
	cap_iab_t iab;
	cap_t caps;
	int rc = -1;

	caps = cap_get_proc();
	iab = cap_iab_get_proc();
	if (caps == NULL || iab == NULL)
		goto out;
	for (cap_value_t c = 0; c < ncaps(); c++) {
		if (cap_get_flag(caps, c, CAP_PERMITTED, &permitted) != 0)
			goto out;
		if (permitted != CAP_SET)
			continue;
		if (cap_iab_set_vector(iab, CAP_IAB_INH, c, CAP_SET) != 0 ||
		    cap_iab_set_vector(iab, CAP_IAB_AMB, c, CAP_SET) != 0)
			goto out;
	}
	rc = cap_iab_set_proc(iab);
out:
	cap_free(iab);
	cap_free(caps);
	return rc;
}

int
ns_caps_keep_on_setuid(bool on)
{
	return prctl(PR_SET_KEEPCAPS, on ? 1L : 0L, 0L, 0L, 0L);
}

int
ns_caps_raise_effective(void)
{
	cap_flag_value_t permitted;
	cap_t caps = cap_get_proc();
	int rc = -1;

	if (caps == NULL)
		return -1;
	for (cap_value_t c = 0; c < ncaps(); c++) {
		if (cap_get_flag(caps, c, CAP_PERMITTED, &permitted) != 0 ||
		    cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, permitted) != 0)
			goto out;
	}
	rc = cap_set_proc(caps);
out:
	cap_free(caps);
	return rc;
}

bool
ns_caps_effective(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps == NULL)
		return false;
	if (cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &v) != 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}
