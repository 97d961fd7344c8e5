// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl - control the heartbeat cluster liveness module.
 *
 * hbctl [ OPTIONS ] OBJECT { COMMAND | help }
 * hbctl [ OPTIONS ] -b FILE
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "hbctl.h"
#include "json_print.h"
#include "utils.h"

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ "batch", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	bool json = false, pretty = false, version = false, force = false;
	const char *batch = NULL;
	int opt;

	/* '+': options end at OBJECT, the rest belongs to the object. */
	while ((opt = getopt_long(argc, argv, "+jpVb:fh", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'V':
			version = true;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			hbctl_usage(stdout);
			return HB_EXIT_OK;
		default:
			hbctl_usage(stderr);
			return HB_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	print_init(stdout, json, pretty);
	if (version)
		return do_version(0, NULL);
	if (batch && argc > 0) {
		fprintf(stderr,
			"Error: -b runs the commands of a file: \"%s\" is one too many.\n",
			argv[0]);
		return HB_EXIT_USAGE;
	}
	if (batch)
		return do_batch(batch, force, hbctl_run);
	return hbctl_run(argc, argv);
}
