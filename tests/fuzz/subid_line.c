// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_subid_parse_line, the /etc/subuid line parser.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *owner = NULL;
	uint32_t start, count;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (ns_subid_parse_line(line, &owner, &start, &count) == 0) {
		/* An accepted range is never empty and never wraps. */
		if (owner == NULL || *owner == '\0' || count == 0 ||
		    (uint64_t)start + count > UINT32_MAX)
			abort();
	}
	free(line);
	return 0;
}
