/* SPDX-License-Identifier: GPL-2.0-only */
/* Controls and records of tests/genl_stub.c. */
#ifndef HBCTL_TESTS_GENL_STUB_H
#define HBCTL_TESTS_GENL_STUB_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#define STUB_MAX_REPLIES	16
#define STUB_MAX_TALKS		64
#define STUB_MSG_BUFSZ		8192

struct genl_stub {
	/* set by the test */
	int open_ret;			/* genl_open() result */
	int talk_ret;			/* genl_talk() result */
	uint8_t unsupported_cmd;	/* a command the "module" lacks, 0: none */
	/* every request of fail_cmd fails with fail_cmd_ret, 0: none */
	uint8_t fail_cmd;
	int fail_cmd_ret;
	/* request number fail_nth (1 the first) fails with fail_nth_ret */
	int fail_nth;
	int fail_nth_ret;
	/*
	 * a failure's extack: its message, and the offset into the request
	 * (err_offs, or that of attribute type err_at, as the kernel gives
	 * it); 0: none
	 */
	const char *err_msg;
	uint32_t err_offs;
	uint16_t err_at;
	/* each request gets those of its own command, in this order */
	const struct nlmsghdr *replies[STUB_MAX_REPLIES];
	/* monitor: a socket to wait on, and what each wake-up delivers */
	struct mnl_socket *sock;
	const struct nlmsghdr *events[STUB_MAX_REPLIES];
	/* recorded */
	int opened;			/* genl_open() calls */
	int talks;			/* requests "sent" */
	int err_attr;			/* attribute err_offs fell in, or -1 */
	const struct nlmsghdr *req;	/* the last of them, as sent */
	const struct nlmsghdr *built;	/* and the buffer it was built in */
	uint8_t cmds[STUB_MAX_TALKS];	/* their commands, in order */
	uint16_t flags[STUB_MAX_TALKS];	/* and their nlmsg_flags */
	/* a copy of the last request at genl_talk(), where req points */
	char sent[STUB_MSG_BUFSZ] __attribute__((aligned(4)));
};

extern struct genl_stub stub;

#endif /* HBCTL_TESTS_GENL_STUB_H */
