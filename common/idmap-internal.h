/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idmap-internal.h - the steps inside idmap.c that the fuzz harnesses
 * (tests/fuzz/) drive one by one.  Programs use nscommon.h only: these are
 * not part of what common/ offers them.
 */
#ifndef IDMAP_INTERNAL_H
#define IDMAP_INTERNAL_H

#include "nscommon.h"

/* Text as the kernel wants it: "INSIDE OUTSIDE COUNT\n" a line; malloc'd. */
char *ns_idmap_format(const struct ns_idmap *map);
/* Parse the kernel's own text (uid_map as read back). 0 or -1 errno. */
int ns_idmap_parse_kernel(const char *text, struct ns_idmap *map);
/*
 * Subordinate ids: parse one /etc/subuid line "NAME_OR_ID:START:COUNT".
 * 0 with the fields set (OWNER points into LINE, which is modified),
 * 1 for a blank or comment line, -1 for a malformed one.
 */
int ns_subid_parse_line(char *line, char **owner, uint32_t *start,
			uint32_t *count);

#endif /* IDMAP_INTERNAL_H */
