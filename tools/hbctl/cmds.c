// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl's objects: one command line's words after the options, run by
 * main() and by every line of "hbctl -b".
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "hbctl.h"
#include "utils.h"

void hbctl_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       hbctl [ OPTIONS ] monitor [ all | OBJECT ... ] [ count COUNT ]\n"
		"       hbctl [ OPTIONS ] top [ interval DURATION ] [ once ]\n"
		"       hbctl [ OPTIONS ] -b[atch] FILE\n"
		"       hbctl -h[elp] [ OBJECT ]\n"
		"where  OBJECT := { node | link | peer | key | quorum | disk | app |\n"
		"                   stats | monitor | top | version | showconf |\n"
		"                   setconf | help }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] |\n"
		"                    -n[etns] NETNS | -f[orce] | -ts | -timestamp |\n"
		"                    -h[elp] }\n");
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
	{ "top", do_top },
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

int hbctl_help(int argc, char **argv)
{
	char help[] = "help";
	char *args[] = { argv ? argv[0] : NULL, help };

	if (argc < 1) {
		hbctl_usage(stdout);
		return HB_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr,
			"Error: -h takes one OBJECT: \"%s\" is one too many.\n",
			argv[1]);
		return HB_EXIT_USAGE;
	}
	return hbctl_run(2, args);
}

/*
 * As ip -n: NAME is a namespace of "ip netns add" (/run/netns/NAME); a
 * path (/proc/PID/ns/net) is taken as it is.
 */
int netns_switch(const char *name)
{
	char path[256];
	int fd, err;

	if (!*name || (!strchr(name, '/') &&
		       (!strcmp(name, ".") || !strcmp(name, "..")))) {
		fprintf(stderr, "Error: \"%s\" is no network namespace name.\n",
			name);
		return -EINVAL;
	}
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else if (snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name) >=
		 (int)sizeof(path))
		path[0] = '\0';
	fd = path[0] ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		err = path[0] ? errno : ENAMETOOLONG;
		fprintf(stderr,
			"Error: cannot open network namespace \"%s\": %s.\n",
			name, strerror(err));
		return -err;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		fprintf(stderr,
			"Error: cannot enter network namespace \"%s\": %s.\n",
			name, strerror(err));
		close(fd);
		return -err;
	}
	close(fd);
	return 0;
}
