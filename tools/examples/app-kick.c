// SPDX-License-Identifier: GPL-2.0-only
/*
 * app-kick NAME [INTERVAL_MS]: kick the heartbeat readiness gate NAME once,
 * or every INTERVAL_MS until killed - what a daemon does from its main
 * loop while it can serve (Documentation/apps.rst). Needs CAP_NET_ADMIN.
 * Build: cc -I include/uapi app-kick.c -lmnl
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

static char buf[8192];	/* MNL_SOCKET_BUFFER_SIZE, at most */

static int family_cb(const struct nlmsghdr *nlh, void *id)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)id = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* One request carrying one string; 0 once acked, else -1 with errno. */
static int talk(struct mnl_socket *nl, uint16_t family, uint8_t cmd,
		uint16_t attr, const char *str, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	int ret = MNL_CB_OK;
	ssize_t n;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl->cmd = cmd;
	genl->version = 1;
	mnl_attr_put_strz(nlh, attr, str);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while (ret > MNL_CB_STOP && (n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0)
		ret = mnl_cb_run(buf, n, 0, 0, cb, data);
	return ret == MNL_CB_STOP ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	long ms = argc == 3 ? atol(argv[2]) : 0;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	uint16_t family = 0;

	if (argc < 2 || argc > 3 || ms < 0) {
		fprintf(stderr, "usage: app-kick NAME [INTERVAL_MS]\n");
		return 1;
	}
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    talk(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME,
		 HEARTBEAT_GENL_NAME, family_cb, &family) || !family) {
		perror("app-kick: the heartbeat family");
		return 2;
	}
	do {
		if (talk(nl, family, HEARTBEAT_CMD_APP_KICK, HEARTBEAT_A_APP_NAME,
			 argv[1], NULL, NULL)) {
			perror("app-kick: kick");
			return 2;
		}
	} while (ms > 0 && !nanosleep(&ts, NULL));
	return 0;
}
