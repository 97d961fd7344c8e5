/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_H
#define HBCTL_H

#include <libmnl/libmnl.h>

/*
 * One OBJECT per file; each handler gets the words after its name and
 * returns the exit status (HB_EXIT_*).
 */
int do_node(int argc, char **argv);
int do_version(int argc, char **argv);

/* Reply printer of "node show", exported for the unit tests. */
int node_show_cb(const struct nlmsghdr *nlh, void *data);

#endif /* HBCTL_H */
