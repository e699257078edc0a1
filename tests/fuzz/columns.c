// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer harness for ns_columns_parse, the -o LIST of every listing.
#include <errno.h>
#include <stdio.h>

#include "fuzz.h"
#include "nscommon-internal.h"

static const struct ns_column cols[] = {
	{ "NS", "", 0, 0, SCOLS_JSON_NUMBER },
	{ "TYPE", "", 0, 0, SCOLS_JSON_STRING },
	{ "PID", "", 0, 0, SCOLS_JSON_NUMBER },
	{ "COMMAND", "", 0, 0, SCOLS_JSON_STRING },
	{ "HOLDERS", "", 0, 0, SCOLS_JSON_ARRAY_STRING },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define MAX (2 * NCOLS)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *list = fuzz_string(data, size), *msg = NULL;
	int sel[MAX] = { 1, 2 };
	size_t nsel = 2, msglen = 0;
	FILE *saved = stderr, *mem;
	int rc;

	if (list == NULL)
		return 0;
	/* What a failure prints, caught to check it is one line. */
	mem = open_memstream(&msg, &msglen);
	if (mem == NULL) {
		free(list);
		return 0;
	}
	stderr = mem;
	rc = ns_columns_parse(list, cols, NCOLS, sel, &nsel, MAX);
	stderr = saved;
	fclose(mem);
	if (rc == 0) {
		/* At least one column, each a valid index, nothing said. */
		if (nsel == 0 || nsel > MAX || msglen != 0)
			abort();
		for (size_t i = 0; i < nsel; i++)
			if (sel[i] < 0 || (size_t)sel[i] >= NCOLS)
				abort();
	} else {
		/* The count untouched, one "PROG: ..." line said (more only
		 * if the list itself has a newline, which is repeated). */
		if (rc != -1 || nsel != 2 || msglen == 0 ||
		    msg[msglen - 1] != '\n' ||
		    (strchr(list, '\n') == NULL &&
		     strchr(msg, '\n') != msg + msglen - 1) ||
		    strncmp(msg, program_invocation_short_name,
			    strlen(program_invocation_short_name)) != 0)
			abort();
	}
	free(msg);
	free(list);
	return 0;
}
