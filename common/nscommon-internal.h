/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nscommon-internal.h - what files of common/ share among themselves and
 * with the fuzz harnesses (tests/fuzz/), but not with the programs, which
 * use nscommon.h only.
 */
#ifndef NSCOMMON_INTERNAL_H
#define NSCOMMON_INTERNAL_H

#include "nscommon.h"

/* ---- parse.c ----------------------------------------------------------- */

/* Name of a signal without "SIG", or NULL (run.c's messages). */
const char *ns_signal_name(int sig);

/* ---- types.c ----------------------------------------------------------- */

/* The type of CLONE_NEW* flag FLAG, or NULL. */
const struct ns_type *ns_type_by_flag(int flag);

/* ---- output.c ---------------------------------------------------------- */

/*
 * Parse "-o LIST" against COLS: comma-separated, case-insensitive names; a
 * leading '+' appends to what *NSEL already holds (the defaults).  Indexes
 * into COLS land in SEL[0..*NSEL).  0, or -1 with a message printed
 * ("PROG: unknown column: X") and *NSEL unchanged.  An empty name ("NS,,X",
 * "NS,") is an error, as in lsns.
 */
int ns_columns_parse(const char *list, const struct ns_column *cols,
		     size_t ncols, int *sel, size_t *nsel, size_t max);

#endif /* NSCOMMON_INTERNAL_H */
