/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share: the input as a C string. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* DATA as a malloc'd NUL-terminated string (cut at an embedded NUL, as a
 * command line or a C string from a file would be); NULL if out of memory. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif /* FUZZ_H */
