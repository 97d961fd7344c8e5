/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_GENL_H
#define HBCTL_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * One generic netlink socket per process, talking to the "heartbeat"
 * family. Every function that fails prints an iproute2-style "Error: ..."
 * line on stderr and returns a negative errno.
 */
int genl_open(void);
/* genl_open() that says nothing of an absent family: -ENOENT, silently. */
int genl_open_optional(void);
void genl_close(void);

uint32_t genl_family_version(void);
struct mnl_socket *genl_socket(void);

/* Only valid after genl_open(); attributes go after the returned header. */
struct nlmsghdr *genl_msg_start(uint8_t cmd, uint16_t flags);
/*
 * Send @nlh and feed each reply to @cb (may be NULL) until the ack, the
 * end of a dump, or the single reply to a do request without NLM_F_ACK.
 */
int genl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/*
 * genl_talk() for a command older modules lack: -EOPNOTSUPP, their
 * answer, is returned without a word; any other error is printed.
 */
int genl_talk_optional(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * genl_talk() that prints nothing: genl_report() says later what the
 * kernel said of it, if the caller finds it worth saying.
 */
int genl_talk_quiet(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
void genl_report(int err);

/*
 * Top-level attribute type the kernel blamed in the last failed request
 * (NLMSGERR_ATTR_OFFS), or -1.
 */
int genl_err_attr(void);

int genl_mcast_group_id(const char *name, uint32_t *id);
int genl_mcast_join(const char *name);
/*
 * Read what the socket holds and feed each message of the family to @cb.
 * Returns 1 once @cb returned MNL_CB_STOP, else 0; -ENOBUFS when
 * notifications were lost (the socket is still good), another -errno when
 * it failed.
 */
int genl_recv_notify(mnl_cb_t cb, void *data);

#endif /* HBCTL_GENL_H */
