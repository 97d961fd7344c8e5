// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prints JSON the way hbctl does, for json_check.sh to feed a real JSON
 * parser: "json_sample [ compact | pretty ] [ WHAT ]", WHAT being misc
 * (the default: nodes with and without phi settings, plus escaping corner
 * cases), link, peer, key, stats, quorum, app or events (one object per
 * line, as "monitor -j" prints them) or exact (u64s above 2^53: one
 * JSON text a line, for jq).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app_replies.h"
#include "hbctl.h"
#include "json_print.h"
#include "node_reply.h"
#include "utils.h"

static char buf[REPLY_BUFSZ] __attribute__((aligned(4)));
static char buf2[REPLY_BUFSZ] __attribute__((aligned(4)));
static char buf3[REPLY_BUFSZ] __attribute__((aligned(4)));
static char buf4[REPLY_BUFSZ] __attribute__((aligned(4)));
static char buf5[REPLY_BUFSZ] __attribute__((aligned(4)));

/* Every kind of phi value: fractions, a warning, unknown enums. */
static struct nlmsghdr *node_phi_values(void *b)
{
	struct nlmsghdr *nlh = node_reply_start(b);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR,
			HEARTBEAT_DETECTOR_PHI);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL,
			HEARTBEAT_PHI_EXPONENTIAL);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, 12125);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 250);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WINDOW, UINT32_MAX);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, 1);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_PAUSE_US, 1500000);
	return nlh;
}

static struct nlmsghdr *node_unknown_enums(void *b)
{
	struct nlmsghdr *nlh = node_reply_start(b);

	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_DETECTOR, 7);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_NODE_PHI_MODEL, 255);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_THRESHOLD, UINT32_MAX);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_PHI_WARN, 1);
	return nlh;
}

static int misc(void)
{
	open_json_array(NULL);
	if (node_show_cb(node_reply_full(buf, 0), NULL) != MNL_CB_OK ||
	    node_show_cb(node_reply_phi(buf, 1), NULL) != MNL_CB_OK ||
	    node_show_cb(node_reply_auth(buf, 1), NULL) != MNL_CB_OK ||
	    node_show_cb(node_phi_values(buf), NULL) != MNL_CB_OK ||
	    node_show_cb(node_unknown_enums(buf), NULL) != MNL_CB_OK ||
	    node_show_cb(node_reply_auth_on(buf, HEARTBEAT_AUTH_REQUIRED),
			 NULL) != MNL_CB_OK ||
	    node_show_cb(node_reply_auth_on(buf, 200), NULL) != MNL_CB_OK)
		return 1;
	open_json_object(NULL);
	print_string(PRINT_JSON, "esc\"key\\", NULL,
		     "q\" b\\ nl\n tab\t cr\r bs\b ff\f c1\x01 c1f\x1f del\x7f");
	print_string(PRINT_JSON, "null", NULL, NULL);
	print_s64(PRINT_JSON, "neg", NULL, -1);
	open_json_array("empty");
	close_json_array();
	open_json_object("nested");
	open_json_array("list");
	print_u64(PRINT_JSON, NULL, NULL, 18446744073709551615ULL);
	print_bool(PRINT_JSON, NULL, NULL, false);
	close_json_array();
	close_json_object();
	close_json_object();
	close_json_array();
	return 0;
}

/* Replies of a dump, as "link show" and "peer show" print them. */
static int list(mnl_cb_t cb, const struct nlmsghdr *const *msgs,
		unsigned int n)
{
	bool open = false;
	int ret = MNL_CB_OK;
	unsigned int i;

	for (i = 0; i < n && ret == MNL_CB_OK; i++)
		ret = cb(msgs[i], &open);
	json_list_end(open, ret != MNL_CB_OK);
	return ret != MNL_CB_OK;
}

static int links(void)
{
	struct nlmsghdr *b = reply_start(buf2, HEARTBEAT_CMD_LINK_GET);
	const struct nlmsghdr *msgs[2] = { link_reply(buf), b };

	put_link(b, "eth\"1\\", 4, 2, HEARTBEAT_LINK_UNICAST, 0);
	return list(link_show_cb, msgs, 2);
}

static int peers(void)
{
	static const uint32_t heard[] = { 3, 4 };
	struct nlmsghdr *big = reply_start(buf4, HEARTBEAT_CMD_PEER_GET);
	const struct nlmsghdr *msgs[5] = {
		peer_reply(buf), peer_reply_configured(buf2),
		peer_reply_phi(buf3), big,
		peer_reply_view(buf5, 5, HEARTBEAT_STATE_UNREACHABLE,
				HEARTBEAT_STATE_DEAD, heard, 2, true, 1200),
	};

	mnl_attr_put_u32(big, HEARTBEAT_A_PEER_ID, 9);
	mnl_attr_put_u32(big, HEARTBEAT_A_PEER_PHI, UINT32_MAX);
	mnl_attr_put_u32(big, HEARTBEAT_A_PEER_MEAN_US, UINT32_MAX);
	mnl_attr_put_u32(big, HEARTBEAT_A_PEER_STDDEV_US, 0);
	mnl_attr_put_u32(big, HEARTBEAT_A_PEER_SAMPLES, 0);
	return list(peer_show_cb, msgs, 5);
}

static int keys(void)
{
	const struct nlmsghdr *msgs[2] = {
		key_reply(buf, 1, false), key_reply(buf2, 65535, true),
	};

	return list(key_show_cb, msgs, 2);
}

static int events(void)
{
	unsigned long n = 0;

	monitor_event_cb(event_state(buf, 2, HEARTBEAT_STATE_SUSPECT,
				     HEARTBEAT_STATE_ALIVE), &n);
	monitor_event_cb(event_restart(buf, 2, 6, 5), &n);
	monitor_event_cb(event_state_phi(buf, 2, 8015), &n);
	monitor_event_cb(event_state_phi(buf, 3, 0), &n);
	monitor_event_cb(event_quorum(buf, 1, 3, 5), &n);
	mnl_attr_put_u8(event_state(buf, 4, HEARTBEAT_STATE_DEAD,
				    HEARTBEAT_STATE_UNREACHABLE),
			HEARTBEAT_A_EVENT_CONSENSUS, 1);
	monitor_event_cb((struct nlmsghdr *)buf, &n);
	monitor_event_cb(event_ready(buf, 2, 0), &n);
	monitor_event_cb(event_app(buf, "db\"\\", 0, HEARTBEAT_APP_SILENCE, 0, 1),
			 &n);
	return n != 8;
}

/* Gates, one with a name JSON must escape and an action hbctl lacks. */
static int apps(void)
{
	const struct nlmsghdr *msgs[3] = {
		app_reply(buf, "db", 1, HEARTBEAT_APP_NOTREADY),
		app_reply(buf2, "we\"b\\", 0, HEARTBEAT_APP_SILENCE),
		app_reply(buf3, "x", 0, 9),
	};

	return list(app_show_cb, msgs, 3);
}

/*
 * The u64s beyond a double's 53 bits, where hbctl adds "KEY_str": for
 * each of these values a node, a peer list, a readiness, a state and a
 * restart event, each on a line of its own, in this order (json_check.sh
 * knows them).
 */
static const uint64_t exact_values[] = {
	(UINT64_C(1) << 53) + 1, (UINT64_C(1) << 63) + 1, UINT64_MAX,
};

static int exact(void)
{
	unsigned long n = 0;
	struct nlmsghdr *nlh;
	unsigned int i;
	uint64_t v;

	for (i = 0; i < ARRAY_SIZE(exact_values); i++) {
		v = exact_values[i];
		nlh = node_reply_start(buf);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_NODE_ID, 1);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_NODE_INCARNATION, v);
		if (node_show_cb(nlh, NULL) != MNL_CB_OK)
			return 1;

		nlh = reply_start(buf, HEARTBEAT_CMD_PEER_GET);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, 2);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_PEER_STATE,
				HEARTBEAT_STATE_ALIVE);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_INCARNATION, v);
		if (list(peer_show_cb, (const struct nlmsghdr **)&nlh, 1))
			return 1;

		nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
				HEARTBEAT_EVENT_PEER_READY);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 2);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, v);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, v);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_READY, 1);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE,
				HEARTBEAT_STATE_ALIVE);
		monitor_event_cb(nlh, &n);

		nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
				HEARTBEAT_EVENT_PEER_STATE);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 2);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_STATE,
				HEARTBEAT_STATE_DEAD);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_PREV_STATE,
				HEARTBEAT_STATE_SUSPECT);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, v);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, v);
		monitor_event_cb(nlh, &n);

		nlh = reply_start(buf, HEARTBEAT_CMD_PEER_EVENT);
		mnl_attr_put_u8(nlh, HEARTBEAT_A_EVENT_TYPE,
				HEARTBEAT_EVENT_PEER_RESTART);
		mnl_attr_put_u32(nlh, HEARTBEAT_A_EVENT_PEER, 2);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_TIME_NS, v);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_INCARNATION, v);
		mnl_attr_put_u64(nlh, HEARTBEAT_A_EVENT_PREV_INCARNATION, v);
		monitor_event_cb(nlh, &n);
	}
	return n != 3 * ARRAY_SIZE(exact_values);
}

int main(int argc, char **argv)
{
	bool pretty = argc > 1 && !strcmp(argv[1], "pretty");
	const char *what = argc > 2 ? argv[2] : "misc";

	print_init(stdout, true, pretty);
	if (!strcmp(what, "misc"))
		return misc();
	if (!strcmp(what, "link"))
		return links();
	if (!strcmp(what, "peer"))
		return peers();
	if (!strcmp(what, "key"))
		return keys();
	if (!strcmp(what, "stats"))
		return stats_show_cb(stats_reply_new(buf), NULL) != MNL_CB_OK;
	if (!strcmp(what, "quorum"))
		return quorum_show_cb(quorum_reply(buf, 5, 1), NULL) != MNL_CB_OK;
	if (!strcmp(what, "events"))
		return events();
	if (!strcmp(what, "app"))
		return apps();
	if (!strcmp(what, "exact"))
		return exact();
	fprintf(stderr, "json_sample: unknown sample \"%s\"\n", what);
	return 1;
}
