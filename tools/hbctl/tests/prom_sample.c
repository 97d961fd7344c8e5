// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prints "stats -o prometheus" output for fake replies, for prom_check.sh
 * to feed to selftests/promparse.py: "prom_sample [ full | old | empty ]".
 */
#include <stdio.h>
#include <string.h>

#include "prom_replies.h"

static struct prom_replies r;

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "full";
	struct prom_input *in;

	if (!strcmp(what, "full")) {
		in = prom_full(&r);
	} else if (!strcmp(what, "old")) {
		in = prom_old(&r);
	} else if (!strcmp(what, "empty")) {
		in = prom_empty(&r);
	} else {
		fprintf(stderr, "prom_sample: unknown sample \"%s\"\n", what);
		return 1;
	}
	return prom_print(stdout, in) || fflush(stdout);
}
