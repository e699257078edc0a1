// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usage.c - the shape every program's --help ends with, written once:
 * -h and -V after a blank line in the program's description column, then
 * the manual page to read.  (The usage errors are in nscommon.c.)
 */
#include <errno.h>
#include <stdio.h>

#include "nscommon.h"

void
ns_usage_help_version(int column)
{
	printf("\n %-*s%s\n %-*s%s\n", column - 1, "-h, --help",
	       "print this help and exit", column - 1, "-V, --version",
	       "print the version and exit");
}

void
ns_usage_man_tail(int section)
{
	printf("\nFor more details see %s(%d).\n",
	       program_invocation_short_name, section);
}
