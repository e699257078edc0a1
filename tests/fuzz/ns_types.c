// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_type_by_name over a comma-separated list of
// namespace type names ("net,user,mount"), and the table's other lookups.
#include "fuzz.h"
#include "nscommon-internal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *list = fuzz_string(data, size), *rest = list, *tok;

	if (list == NULL)
		return 0;
	while ((tok = strsep(&rest, ",")) != NULL) {
		const struct ns_type *t = ns_type_by_name(tok);

		if (t == NULL)
			continue;
		/* A name found is the type's own, and the table is one
		 * table: flag and letter lead back to the same row. */
		if (ns_type_index(t) >= NS_NTYPES ||
		    (strcmp(t->name, tok) != 0 &&
		     strcmp(t->long_opt, tok) != 0) ||
		    ns_type_by_flag(t->flag) != t ||
		    ns_type_by_opt(t->opt) != t || t->flag == 0)
			abort();
	}
	free(list);
	return 0;
}
