// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal generic netlink layer over libmnl: family resolution, request
 * building, reply loop and extended ack reporting.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "refused.h"
#include "utils.h"

#define GENL_MAX_GROUPS	8
#define SEND_BUFSZ	8192
/* The kernel never builds dump skbs above 32 KiB for a reader this big. */
#define RECV_BUFSZ	32768

static struct {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t version;
	unsigned int ngroups;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} groups[GENL_MAX_GROUPS];
} gs;

/* Separate buffers keep the request around to map NLMSGERR_ATTR_OFFS. */
static char sbuf[SEND_BUFSZ] __attribute__((aligned(NLMSG_ALIGNTO)));
static char rbuf[RECV_BUFSZ] __attribute__((aligned(NLMSG_ALIGNTO)));

/* What the kernel said about the last request. */
static struct {
	char msg[256];
	bool has_offs;
	uint32_t offs;
	int attr;
} ext;

struct talk {
	mnl_cb_t cb;
	void *data;
	bool one_reply;
};

static int ext_ack_attr_cb(const struct nlattr *attr, void *data)
{
	(void)data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ext.msg, sizeof(ext.msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ext.offs = mnl_attr_get_u32(attr);
			ext.has_offs = true;
		}
		break;
	}
	return MNL_CB_OK;
}

/* libmnl 1.0.4 ignores the TLVs after struct nlmsgerr; read them here. */
static void parse_ext_ack(const struct nlmsghdr *nlh, size_t tlv_off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (tlv_off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, tlv_off, ext_ack_attr_cb, NULL);
}

static int talk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NETLINK_CAP_ACK the request's payload is echoed first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += NLMSG_ALIGN(err->msg.nlmsg_len - sizeof(struct nlmsghdr));
	parse_ext_ack(nlh, off);
	if (!err->error)
		return MNL_CB_STOP;
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

/* A dump can fail after it started: NLMSG_DONE then carries the error. */
static int talk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	parse_ext_ack(nlh, sizeof(int));
	if (err >= 0)
		return MNL_CB_STOP;
	errno = -err;
	return MNL_CB_ERROR;
}

static int talk_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int ret = MNL_CB_OK;

	if (t->cb)
		ret = t->cb(nlh, t->data);
	if (ret == MNL_CB_OK && t->one_reply &&
	    !(nlh->nlmsg_flags & NLM_F_MULTI))
		return MNL_CB_STOP;
	return ret;
}

/* Not const: mnl_cb_run2() in libmnl 1.0.4 takes a plain pointer. */
static mnl_cb_t talk_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = talk_error_cb,
	[NLMSG_DONE] = talk_done_cb,
};

/*
 * What the kernel said of the last request, as iproute2 prints it; a
 * refused attribute is named by the words of the command line it came
 * from (refused.h).
 */
static void report_talk(int err)
{
	if (err)
		refused_print(stderr, "Error",
			      ext.msg[0] ? ext.msg : strerror(err),
			      genl_err_attr());
	else if (ext.msg[0])
		refused_print(stderr, "Warning", ext.msg, -1);
}

static int __genl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		       bool report)
{
	struct talk t = {
		.cb = cb,
		.data = data,
		.one_reply = !(nlh->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)),
	};
	ssize_t n;
	int ret, err = 0;

	memset(&ext, 0, sizeof(ext));
	ext.attr = -1;

	if (mnl_socket_sendto(gs.nl, nlh, nlh->nlmsg_len) < 0) {
		err = errno;
		goto out;
	}
	do {
		n = mnl_socket_recvfrom(gs.nl, rbuf, sizeof(rbuf));
		if (n < 0) {
			err = errno;
			goto out;
		}
		errno = 0;
		ret = mnl_cb_run2(rbuf, n, nlh->nlmsg_seq, gs.portid,
				  talk_data_cb, &t, talk_ctl_cb,
				  ARRAY_SIZE(talk_ctl_cb));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		err = errno ? errno : EPROTO;
out:
	if (ext.has_offs)
		ext.attr = refused_offs_attr(nlh, ext.offs);
	if (report)
		report_talk(err);
	return -err;
}

int genl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return __genl_talk(nlh, cb, data, true);
}

int genl_talk_optional(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err = __genl_talk(nlh, cb, data, false);

	if (err != -EOPNOTSUPP)
		report_talk(-err);
	return err;
}

int genl_talk_quiet(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return __genl_talk(nlh, cb, data, false);
}

void genl_report(int err)
{
	report_talk(err < 0 ? -err : err);
}

int genl_err_attr(void)
{
	return ext.attr;
}

static struct nlmsghdr *msg_start(uint16_t type, uint8_t cmd,
				  uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(sbuf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++gs.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *genl_msg_start(uint8_t cmd, uint16_t flags)
{
	refused_reset();
	return msg_start(gs.family, cmd, HEARTBEAT_GENL_VERSION, flags);
}

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= CTRL_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void add_group(const struct nlattr *nest)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};
	unsigned int i = gs.ngroups;

	mnl_attr_parse_nested(nest, attr_table_cb, tb);
	if (i == GENL_MAX_GROUPS || !tb[CTRL_ATTR_MCAST_GRP_NAME] ||
	    !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME],
			      MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) < 0)
		return;
	snprintf(gs.groups[i].name, sizeof(gs.groups[i].name), "%s",
		 mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
	gs.groups[i].id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	gs.ngroups++;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = {};
	const struct nlattr *pos;

	(void)data;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_table_cb, tb);
	if (!tb[CTRL_ATTR_FAMILY_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) < 0) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	gs.family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] &&
	    mnl_attr_validate(tb[CTRL_ATTR_VERSION], MNL_TYPE_U32) >= 0)
		gs.version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		mnl_attr_for_each_nested(pos, tb[CTRL_ATTR_MCAST_GROUPS])
			add_group(pos);
	return MNL_CB_OK;
}

/*
 * Resolving the family must be the first request: the kernel's lookup is
 * what autoloads the module via its MODULE_ALIAS_GENL_FAMILY.
 */
static int resolve_family(bool quiet_absent)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = msg_start(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, HEARTBEAT_GENL_NAME);
	err = __genl_talk(nlh, family_cb, NULL, false);
	if (err == -ENOENT && quiet_absent)
		return err;
	if (err == -ENOENT) {
		fprintf(stderr,
			"Error: heartbeat module not available (genl family \"%s\" not found).\n",
			HEARTBEAT_GENL_NAME);
	} else if (err) {
		refused_print(stderr, "Error",
			      ext.msg[0] ? ext.msg : strerror(-err), -1);
	}
	return err;
}

static int __genl_open(bool quiet_absent)
{
	int one = 1, err;

	if (gs.nl)
		return 0;
	gs.nl = mnl_socket_open(NETLINK_GENERIC);
	if (!gs.nl) {
		err = errno;
		fprintf(stderr, "Error: cannot open netlink socket: %s.\n",
			strerror(err));
		return -err;
	}
	/* Best effort: old kernels lack them and we still work. */
	mnl_socket_setsockopt(gs.nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(gs.nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(gs.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		fprintf(stderr, "Error: cannot bind netlink socket: %s.\n",
			strerror(err));
		genl_close();
		return -err;
	}
	gs.portid = mnl_socket_get_portid(gs.nl);
	gs.seq = time(NULL);
	err = resolve_family(quiet_absent);
	if (err)
		genl_close();
	return err;
}

int genl_open(void)
{
	return __genl_open(false);
}

int genl_open_optional(void)
{
	return __genl_open(true);
}

void genl_close(void)
{
	if (gs.nl)
		mnl_socket_close(gs.nl);
	memset(&gs, 0, sizeof(gs));
}

uint32_t genl_family_version(void)
{
	return gs.version;
}

struct mnl_socket *genl_socket(void)
{
	return gs.nl;
}

int genl_mcast_group_id(const char *name, uint32_t *id)
{
	unsigned int i;

	for (i = 0; i < gs.ngroups; i++) {
		if (!strcmp(gs.groups[i].name, name)) {
			*id = gs.groups[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

int genl_mcast_join(const char *name)
{
	uint32_t id;
	int err;

	if (genl_mcast_group_id(name, &id)) {
		fprintf(stderr,
			"Error: multicast group \"%s\" not found in genl family \"%s\".\n",
			name, HEARTBEAT_GENL_NAME);
		return -ENOENT;
	}
	if (mnl_socket_setsockopt(gs.nl, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id)) < 0) {
		err = errno;
		fprintf(stderr, "Error: cannot join multicast group \"%s\": %s.\n",
			name, strerror(err));
		return -err;
	}
	return 0;
}

struct notify {
	mnl_cb_t cb;
	void *data;
};

/* Anything but our family's messages is not ours to print. */
static int notify_cb(const struct nlmsghdr *nlh, void *data)
{
	struct notify *n = data;

	if (nlh->nlmsg_type != gs.family)
		return MNL_CB_OK;
	return n->cb(nlh, n->data);
}

int genl_recv_notify(mnl_cb_t cb, void *data)
{
	struct notify n = { .cb = cb, .data = data };
	ssize_t len;
	int ret, err;

	len = mnl_socket_recvfrom(gs.nl, rbuf, sizeof(rbuf));
	if (len < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	/* The socket buffer overflowed: the caller says so and carries on. */
	if (len < 0 && errno == ENOBUFS)
		return -ENOBUFS;
	if (len < 0) {
		err = errno;
		fprintf(stderr, "Error: cannot receive from netlink: %s.\n",
			strerror(err));
		return -err;
	}
	/* Notifications have neither our port id nor a sequence number. */
	errno = 0;
	ret = mnl_cb_run(rbuf, len, 0, 0, notify_cb, &n);
	if (ret < 0) {
		err = errno ? errno : EPROTO;
		fprintf(stderr, "Error: bad netlink message: %s.\n",
			strerror(err));
		return -err;
	}
	return ret == MNL_CB_STOP;
}
