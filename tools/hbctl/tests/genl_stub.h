/* SPDX-License-Identifier: GPL-2.0-only */
/* Controls and records of tests/genl_stub.c. */
#ifndef HBCTL_TESTS_GENL_STUB_H
#define HBCTL_TESTS_GENL_STUB_H

#include <libmnl/libmnl.h>

#define STUB_MAX_REPLIES	4

struct genl_stub {
	/* set by the test */
	int open_ret;			/* genl_open() result */
	int talk_ret;			/* genl_talk() result */
	const struct nlmsghdr *replies[STUB_MAX_REPLIES];
	/* monitor: a socket to wait on, and what each wake-up delivers */
	struct mnl_socket *sock;
	const struct nlmsghdr *events[STUB_MAX_REPLIES];
	/* recorded */
	int opened;			/* genl_open() calls */
	int talks;			/* requests "sent" */
	const struct nlmsghdr *req;	/* the last of them */
};

extern struct genl_stub stub;

#endif /* HBCTL_TESTS_GENL_STUB_H */
