// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl - control the heartbeat cluster liveness module.
 *
 * hbctl [ OPTIONS ] OBJECT { COMMAND | help }
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "hbctl.h"
#include "json_print.h"
#include "utils.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       hbctl [ OPTIONS ] monitor [ count COUNT ]\n"
		"where  OBJECT := { node | link | peer | key | quorum | disk | app |\n"
		"                   stats | monitor | version | help }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] |\n"
		"                    -h[elp] }\n");
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return HB_EXIT_OK;
}

/* New objects go here; table order breaks prefix ties. */
static const struct hb_cmd objects[] = {
	{ "node", do_node },
	{ "link", do_link },
	{ "peer", do_peer },
	{ "key", do_key },
	{ "quorum", do_quorum },
	{ "app", do_app },
	{ "stats", do_stats },
	{ "disk", do_disk },
	{ "monitor", do_monitor },
	{ "version", do_version },
	{ "help", do_help },
	{ NULL, NULL },
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	bool json = false, pretty = false, version = false;
	const struct hb_cmd *obj;
	int opt;

	/* '+': options end at OBJECT, the rest belongs to the object. */
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts,
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
		case 'h':
			usage(stdout);
			return HB_EXIT_OK;
		default:
			usage(stderr);
			return HB_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	print_init(stdout, json, pretty);
	if (version)
		return do_version(0, NULL);
	if (argc < 1) {
		usage(stderr);
		return HB_EXIT_USAGE;
	}
	obj = cmd_lookup(objects, argv[0]);
	if (!obj) {
		fprintf(stderr,
			"Object \"%s\" is unknown, try \"hbctl help\".\n",
			argv[0]);
		return HB_EXIT_USAGE;
	}
	return obj->func(argc - 1, argv + 1);
}
