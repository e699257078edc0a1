// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_idmap_parse_kernel, the uid_map text parser.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ns_idmap map;
	char *text = malloc(size + 1);
	uint32_t out;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ns_idmap_parse_kernel(text, &map) == 0) {
		if (map.n > NS_IDMAP_MAX)
			abort();
		for (size_t i = 0; i < map.n; i++)
			(void)ns_idmap_translate(&map, map.r[i].inside, true,
						 &out);
	}
	free(text);
	return 0;
}
