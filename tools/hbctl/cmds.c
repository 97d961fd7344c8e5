// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl's objects: one command line's words after the options, run by
 * main() and by every line of "hbctl -b".
 */
#include <stdio.h>

#include "conf.h"
#include "hbctl.h"
#include "utils.h"

void hbctl_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       hbctl [ OPTIONS ] monitor [ count COUNT ]\n"
		"       hbctl [ OPTIONS ] -b[atch] FILE\n"
		"where  OBJECT := { node | link | peer | key | quorum | disk | app |\n"
		"                   stats | monitor | version | showconf | setconf |\n"
		"                   help }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] |\n"
		"                    -f[orce] | -h[elp] }\n");
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	hbctl_usage(stdout);
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
	{ "showconf", do_showconf },
	{ "setconf", do_setconf },
	{ NULL, NULL },
};

int hbctl_run(int argc, char **argv)
{
	const struct hb_cmd *obj;

	if (argc < 1) {
		hbctl_usage(stderr);
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
