// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-in for genl.c in the command line tests: requests are recorded,
 * not sent, and replies come from the test. No test can reach, and so
 * autoload, the real module.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "genl_stub.h"
#include "refused.h"

struct genl_stub stub;

static char sbuf[STUB_MSG_BUFSZ] __attribute__((aligned(NLMSG_ALIGNTO)));

int genl_open(void)
{
	stub.opened++;
	if (stub.open_ret)
		fprintf(stderr, "Error: %s.\n", strerror(-stub.open_ret));
	return stub.open_ret;
}

int genl_open_optional(void)
{
	stub.opened++;
	if (stub.open_ret && stub.open_ret != -ENOENT)
		fprintf(stderr, "Error: %s.\n", strerror(-stub.open_ret));
	return stub.open_ret;
}

void genl_close(void)
{
}

uint32_t genl_family_version(void)
{
	return HEARTBEAT_GENL_VERSION;
}

struct mnl_socket *genl_socket(void)
{
	return stub.sock;
}

struct nlmsghdr *genl_msg_start(uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	refused_reset();
	memset(sbuf, 0, sizeof(sbuf));
	nlh = mnl_nlmsg_put_header(sbuf);
	nlh->nlmsg_type = GENL_MIN_ID;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = HEARTBEAT_GENL_VERSION;
	return nlh;
}

static uint8_t msg_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	return genl->cmd;
}

/*
 * The error a request gets: printed unless @quiet, as genl.c does, with
 * the extack message and the attribute its offset falls in.
 */
static int fail(int err, bool quiet)
{
	uint32_t offs = stub.err_offs;
	const struct nlattr *a;
	int attr = -1;

	/* As the kernel computes it: the blamed attribute's start. */
	mnl_attr_for_each(a, stub.req, GENL_HDRLEN)
		if (stub.err_at && mnl_attr_get_type(a) == stub.err_at)
			offs = (const char *)a - (const char *)stub.req;
	if (offs)
		attr = refused_offs_attr(stub.req, offs);

	stub.err_attr = attr;
	if (!quiet)
		refused_print(stderr, "Error",
			      stub.err_msg ? stub.err_msg : strerror(-err), attr);
	return err;
}

static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data, bool optional,
		bool quiet)
{
	unsigned int i;

	stub.err_attr = -1;
	if (stub.talks < STUB_MAX_TALKS) {
		stub.cmds[stub.talks] = msg_cmd(nlh);
		stub.flags[stub.talks] = nlh->nlmsg_flags;
	}
	stub.talks++;
	/* What the kernel would get, whatever hbctl does with it later. */
	memcpy(stub.sent, nlh, nlh->nlmsg_len);
	stub.req = (const struct nlmsghdr *)stub.sent;
	stub.built = nlh;
	if (stub.unsupported_cmd && msg_cmd(nlh) == stub.unsupported_cmd)
		return fail(-EOPNOTSUPP, optional || quiet);
	if (stub.fail_cmd && msg_cmd(nlh) == stub.fail_cmd)
		return fail(stub.fail_cmd_ret, quiet);
	if (stub.fail_nth && stub.talks == stub.fail_nth)
		return fail(stub.fail_nth_ret, quiet);
	for (i = 0; cb && i < STUB_MAX_REPLIES && stub.replies[i]; i++) {
		if (msg_cmd(stub.replies[i]) != msg_cmd(nlh))
			continue;
		if (cb(stub.replies[i], data) != MNL_CB_OK)
			return -EPROTO;
	}
	if (stub.talk_ret)
		return fail(stub.talk_ret, quiet);
	return 0;
}

int genl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return talk(nlh, cb, data, false, false);
}

int genl_talk_optional(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return talk(nlh, cb, data, true, false);
}

int genl_talk_quiet(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return talk(nlh, cb, data, true, true);
}

void genl_report(int err)
{
	if (err)
		fprintf(stderr, "Error: %s.\n", strerror(err < 0 ? -err : err));
}

int genl_err_attr(void)
{
	return stub.err_attr;
}

int genl_mcast_group_id(const char *name, uint32_t *id)
{
	(void)name;
	(void)id;
	return -ENOENT;
}

int genl_mcast_join(const char *name)
{
	if (stub.sock)
		return 0;
	fprintf(stderr, "Error: multicast group \"%s\" not found.\n", name);
	return -ENOENT;
}

/* Whatever woke the monitor up is drained and stands for stub.events. */
int genl_recv_notify(mnl_cb_t cb, void *data)
{
	char buf[256];
	unsigned int i;

	if (!stub.sock)
		return -EIO;
	while (mnl_socket_recvfrom(stub.sock, buf, sizeof(buf)) < 0 &&
	       errno == EINTR)
		;
	for (i = 0; i < STUB_MAX_REPLIES && stub.events[i]; i++)
		if (cb(stub.events[i], data) == MNL_CB_STOP)
			return 1;
	return 0;
}
