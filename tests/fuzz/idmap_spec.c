// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_idmap_add_spec, the INSIDE:OUTSIDE:COUNT parser.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ns_idmap map;
	const char *why = NULL;
	char *spec = malloc(size + 1);

	if (spec == NULL)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	map.n = 0;
	if (ns_idmap_add_spec(&map, spec, &why) == 0) {
		char *text = ns_idmap_format(&map);
		struct ns_idmap back;

		/* What we accept, the kernel-format parser reads back alike. */
		if (text == NULL || ns_idmap_parse_kernel(text, &back) != 0 ||
		    back.n != map.n ||
		    memcmp(back.r, map.r, map.n * sizeof(map.r[0])) != 0)
			abort();
		free(text);
	} else if (why == NULL || map.n != 0) {
		abort();
	}
	free(spec);
	return 0;
}
