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

/*
 * getopt_long_only(): "-json", "-pretty", "-netns NETNS" as ip takes them,
 * "--json" as before, and a single letter ("-j", "-n NETNS") is the
 * unique prefix of its long form. "Version" keeps "-V" and "-Version"
 * apart from "-v", "-version".
 */
static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ "Version", no_argument, NULL, 'V' },
	{ "batch", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ "netns", required_argument, NULL, 'n' },
	/* As ip: monitor's lines start with the date and time. */
	{ "timestamp", no_argument, NULL, 't' },
	{ "ts", no_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	bool json = false, pretty = false, version = false, force = false;
	bool help = false;
	const char *batch = NULL, *netns = NULL;
	int opt;

	/* '+': options end at OBJECT, the rest belongs to the object. */
	while ((opt = getopt_long_only(argc, argv, "+jpVb:fn:th", long_opts,
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
		case 'n':
			netns = optarg;
			break;
		case 't':
			monitor_timestamps(true);
			break;
		case 'h':
			help = true;
			break;
		default:
			hbctl_usage(stderr);
			return HB_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	print_init(stdout, json, pretty);
	/* "hbctl -h node" is "hbctl node help"; a bare -h the overview. */
	if (help)
		return hbctl_help(argc, argv);
	if (netns && netns_switch(netns))
		return HB_EXIT_USAGE;
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
