// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usage.c - what every program says on the command line: the usage errors
 * worded once (ns_usage_*, ns_oom, ns_try_help), --version, the check of
 * stdout at exit, and the shape every --help ends with: -h and -V after a
 * blank line in the program's description column, then the manual page.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <unistd.h>

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

void
ns_usage_error(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ns_try_help(status);
}

void
ns_usage_exclusive(int status, const char *a, const char *b)
{
	ns_usage_error(status, "%s and %s are mutually exclusive", a, b);
}

void
ns_usage_invalid(int status, const char *what, const char *arg)
{
	ns_usage_error(status, "invalid %s: '%s'", what, arg);
}

void
ns_oom(int status)
{
	errx(status, "out of memory");
}

void
ns_try_help(int status)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_invocation_short_name);
	exit(status);
}

void
ns_print_version(void)
{
	printf("%s from nstools %s\n", program_invocation_short_name,
	       NSTOOLS_VERSION);
	exit(EXIT_SUCCESS);
}

/*
 * Output cut short by a full disk must not end in success: check stdout at
 * exit, as util-linux's close_stdout does, and exit with the program's own
 * failure status.  EPIPE is the reader's choice (`nsls | head`), and a
 * stdout the caller closed (>&-) with nothing written to it is no failure.
 */
static void
check_stdout(int status, void *fail_status)
{
	bool pending = __fpending(stdout) > 0;
	bool failed = ferror(stdout) != 0;
	int saved;

	(void)status;
	errno = 0;
	if (fclose(stdout) != 0 && (pending || errno != EBADF))
		failed = true;
	saved = errno;
	if (!failed || saved == EPIPE)
		return;
	if (saved != 0)
		warn("write error");
	else
		warnx("write error");
	_exit((int)(intptr_t)fail_status);
}

void
ns_close_stdout_at_exit(int fail_status)
{
	/* on_exit hands the status over without a global */
	// NOLINTNEXTLINE(performance-no-int-to-ptr)
	if (on_exit(check_stdout, (void *)(intptr_t)fail_status) != 0)
		errx(fail_status, "cannot register the check of stdout");
}
