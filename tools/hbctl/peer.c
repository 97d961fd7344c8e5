// SPDX-License-Identifier: GPL-2.0-only
/* hbctl peer: the other nodes of the cluster and what we know of them. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "nlattr.h"
#include "refused.h"
#include "utils.h"

/* A path nest uses the same attribute space as the peer itself. */
static const struct attr_policy peer_policy[HEARTBEAT_A_PEER_MAX + 1] = {
	[HEARTBEAT_A_PEER_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_IFINDEX] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_MAC] = { MNL_TYPE_BINARY, MAC_LEN },
	[HEARTBEAT_A_PEER_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_PEER_CONFIGURED] = { MNL_TYPE_FLAG },
	[HEARTBEAT_A_PEER_INCARNATION] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_INTERVAL_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_LAST_SEEN_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_RX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_LOST] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_RESTARTS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_PATHS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_PATH_LINK] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_PHI] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_MEAN_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_STDDEV_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_SAMPLES] = { MNL_TYPE_U32 },
	/* the cluster view (print_view()) */
	[HEARTBEAT_A_PEER_LOCAL_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_PEER_HEARD_BY] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_CONSENSUS] = { MNL_TYPE_FLAG },
	[HEARTBEAT_A_PEER_LATE_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_MIN_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_MEAN_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_P99_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_SAMPLES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_HIST] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_RTT_COUNT] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_RTT_SUM_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_CHANNELS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_CHANNELS_UP] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_DYING] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_PEER_READY] = { MNL_TYPE_U8 },
};

static const struct attr_policy channel_policy[HEARTBEAT_A_CHANNEL_MAX + 1] = {
	[HEARTBEAT_A_CHANNEL_LINK] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_CHANNEL_IFINDEX] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_CHANNEL_NAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_CHANNEL_UP] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_CHANNEL_LAST_SEEN_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_CHANNEL_RTT_US] = { MNL_TYPE_U32 },
};

static void peer_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl peer [ show [ id ID ] ]\n"
		"       hbctl peer add id ID [ dev IFNAME ] [ mac LLADDR ]\n"
		"       hbctl peer del id ID\n"
		"       hbctl peer probe id ID [ count COUNT ] [ dev IFNAME ]\n"
		"                        [ interval DURATION ]\n"
		"       hbctl peer help\n"
		"where  LLADDR := aa:bb:cc:dd:ee:ff\n");
}

const char *peer_state_name(unsigned int state, char *buf, size_t len)
{
	return value_name(hb_state_name(state), "state", state, buf, len);
}

const char *dying_reason_name(unsigned int reason, char *buf, size_t len)
{
	return value_name(hb_dying_reason_name(reason), "reason", reason, buf,
			  len);
}

static int path_parse(const struct nlattr *nest, const struct nlattr **tb)
{
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0) {
		errno = EPROTO;
		return -EPROTO;
	}
	return attr_parse_nest(nest, tb, peer_policy, HEARTBEAT_A_PEER_MAX);
}

static int paths_check(const struct nlattr *paths)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	const struct nlattr *pos;

	if (!paths)
		return 0;
	mnl_attr_for_each_nested(pos, paths)
		if (path_parse(pos, tb))
			return -EPROTO;
	return 0;
}

/* Receiving device of a path; false if the kernel did not say. */
static bool path_ifindex(const struct nlattr *nest, uint32_t *ifindex)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];

	path_parse(nest, tb);
	if (!tb[HEARTBEAT_A_PEER_IFINDEX])
		return false;
	*ifindex = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_IFINDEX]);
	return true;
}

/* Was this device already listed by an earlier path? */
static bool seen_before(const struct nlattr *paths, const struct nlattr *cur,
			uint32_t ifindex)
{
	const struct nlattr *pos;
	uint32_t i;

	mnl_attr_for_each_nested(pos, paths) {
		if (pos == cur)
			break;
		if (path_ifindex(pos, &i) && i == ifindex)
			return true;
	}
	return false;
}

static int channel_parse(const struct nlattr *nest, const struct nlattr **tb)
{
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0) {
		errno = EPROTO;
		return -EPROTO;
	}
	return attr_parse_nest(nest, tb, channel_policy, HEARTBEAT_A_CHANNEL_MAX);
}

static int channels_check(const struct nlattr *channels)
{
	const struct nlattr *tb[HEARTBEAT_A_CHANNEL_MAX + 1];
	const struct nlattr *pos;

	if (!channels)
		return 0;
	mnl_attr_for_each_nested(pos, channels)
		if (channel_parse(pos, tb) || !tb[HEARTBEAT_A_CHANNEL_NAME] ||
		    !tb[HEARTBEAT_A_CHANNEL_UP]) {
			errno = EPROTO;
			return -EPROTO;
		}
	return 0;
}

/*
 * Channels: text "links eth0,eth1(down)", JSON a list of {dev, link_id,
 * state, last_seen_us, rtt_us} and links_up.
 */
static void print_channels(const struct nlattr *channels,
			   const struct nlattr *up)
{
	const struct nlattr *tb[HEARTBEAT_A_CHANNEL_MAX + 1];
	const struct nlattr *pos;
	bool any = false, is_up;

	print_string(PRINT_FP, NULL, "%s", "  links ");
	open_json_array("links");
	mnl_attr_for_each_nested(pos, channels) {
		channel_parse(pos, tb);
		is_up = mnl_attr_get_u8(tb[HEARTBEAT_A_CHANNEL_UP]);
		open_json_object(NULL);
		print_string(PRINT_ANY, "dev", any ? ",%s" : "%s",
			     mnl_attr_get_str(tb[HEARTBEAT_A_CHANNEL_NAME]));
		if (tb[HEARTBEAT_A_CHANNEL_LINK])
			print_u32(PRINT_JSON, "link_id", NULL,
				  mnl_attr_get_u32(tb[HEARTBEAT_A_CHANNEL_LINK]));
		print_string(PRINT_JSON, "state", NULL, is_up ? "up" : "down");
		if (!is_up)
			print_string(PRINT_FP, NULL, "%s", "(down)");
		if (tb[HEARTBEAT_A_CHANNEL_LAST_SEEN_US])
			print_u64(PRINT_JSON, "last_seen_us", NULL,
				  mnl_attr_get_u64(tb[HEARTBEAT_A_CHANNEL_LAST_SEEN_US]));
		if (tb[HEARTBEAT_A_CHANNEL_RTT_US])
			print_u32(PRINT_JSON, "rtt_us", NULL,
				  mnl_attr_get_u32(tb[HEARTBEAT_A_CHANNEL_RTT_US]));
		close_json_object();
		any = true;
	}
	close_json_array();
	if (!any)
		print_string(PRINT_FP, NULL, "%s", "-");
	if (up)
		print_u32(PRINT_JSON, "links_up", NULL, mnl_attr_get_u32(up));
}

/*
 * Kernels without channels: each receiving device once, in path order
 * (two paths may arrive on one device), as {dev} in JSON.
 */
static void print_links(const struct nlattr *paths)
{
	const struct nlattr *pos;
	char dev[IF_NAMESIZE];
	uint32_t ifindex;
	bool any = false;

	print_string(PRINT_FP, NULL, "%s", "  links ");
	open_json_array("links");
	if (paths) {
		mnl_attr_for_each_nested(pos, paths) {
			if (!path_ifindex(pos, &ifindex) ||
			    seen_before(paths, pos, ifindex))
				continue;
			open_json_object(NULL);
			print_string(PRINT_ANY, "dev", any ? ",%s" : "%s",
				     ifindex_to_dev(ifindex, dev));
			close_json_object();
			any = true;
		}
	}
	close_json_array();
	if (!any)
		print_string(PRINT_FP, NULL, "%s", "-");
}

static void print_last_seen(const struct nlattr *a, const char *fmt)
{
	char buf[DURATION_BUFSZ];
	uint64_t us;

	if (!a) {
		print_string(PRINT_JSON, "last_seen_us", NULL, NULL);
		print_string(PRINT_FP, NULL, fmt, "never");
		return;
	}
	us = mnl_attr_get_u64(a);
	print_u64(PRINT_JSON, "last_seen_us", NULL, us);
	format_age(us, buf, sizeof(buf));
	strcat(buf, " ago");
	print_string(PRINT_FP, NULL, fmt, buf);
}

/* Text rounds to two decimals for reading; JSON keeps all three. */
void print_phi(const struct nlattr *a, const char *fmt)
{
	uint32_t milli = mnl_attr_get_u32(a);
	char buf[MILLI_BUFSZ];

	print_milli(PRINT_JSON, "phi", NULL, milli);
	format_milli_rounded(milli, buf, sizeof(buf));
	print_string(PRINT_FP, NULL, fmt, buf);
}

static void print_u32_json(const struct nlattr *a, const char *key)
{
	if (a)
		print_u32(PRINT_JSON, key, NULL, mnl_attr_get_u32(a));
}

static void print_u64_attr(const struct nlattr *a, const char *key,
			   const char *fmt)
{
	if (a)
		print_u64(fmt ? PRINT_ANY : PRINT_JSON, key, fmt,
			  mnl_attr_get_u64(a));
}

/* Paths are JSON only: the text line lists their devices as "links". */
static void print_paths(const struct nlattr *paths)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	const struct nlattr *pos;
	char dev[IF_NAMESIZE];

	if (!is_json_context())
		return;
	open_json_array("paths");
	if (paths) {
		mnl_attr_for_each_nested(pos, paths) {
			path_parse(pos, tb);
			open_json_object(NULL);
			if (tb[HEARTBEAT_A_PEER_IFINDEX])
				print_string(PRINT_JSON, "dev", NULL,
					     ifindex_to_dev(mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_IFINDEX]),
							    dev));
			if (tb[HEARTBEAT_A_PEER_PATH_LINK])
				print_u32(PRINT_JSON, "link_id", NULL,
					  mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_PATH_LINK]));
			print_u64_attr(tb[HEARTBEAT_A_PEER_RX], "rx", NULL);
			print_u64_attr(tb[HEARTBEAT_A_PEER_LOST], "lost", NULL);
			print_last_seen(tb[HEARTBEAT_A_PEER_LAST_SEEN_US], NULL);
			print_rtt(tb);
			close_json_object();
		}
	}
	close_json_array();
}

/*
 * The cluster view, from kernels that send LOCAL_STATE: JSON always has
 * local_state, heard_by and consensus then, and late_us when sent. Text
 * says only what adds to the line: "local dead" where our own verdict
 * differs from the cluster's, "heard-by 2 3" when someone hears the
 * peer, "consensus", "late 1.2ms" when nonzero.
 */
static void print_view(const struct nlattr *const *tb)
{
	const struct nlattr *heard_by = tb[HEARTBEAT_A_PEER_HEARD_BY];
	const struct nlattr *local = tb[HEARTBEAT_A_PEER_LOCAL_STATE];
	const struct nlattr *state = tb[HEARTBEAT_A_PEER_STATE];
	bool consensus = tb[HEARTBEAT_A_PEER_CONSENSUS];
	char buf[16];
	uint32_t late;

	if (local) {
		print_string(!state || mnl_attr_get_u8(local) !=
			     mnl_attr_get_u8(state) ? PRINT_ANY : PRINT_JSON,
			     "local_state", "  local %s",
			     peer_state_name(mnl_attr_get_u8(local), buf,
					     sizeof(buf)));
	}
	if (local || heard_by) {
		if (is_json_context())
			print_id_list(heard_by, "heard_by", "");
		else if (id_list_count(heard_by))
			print_id_list(heard_by, NULL, "  heard-by");
		print_bool(PRINT_JSON, "consensus", NULL, consensus);
	}
	if (consensus)
		print_string(PRINT_FP, NULL, "%s", "  consensus");
	if (tb[HEARTBEAT_A_PEER_DYING])
		print_string(PRINT_ANY, "last_words", "  last-words %s",
			     dying_reason_name(mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_DYING]),
					       buf, sizeof(buf)));
	if (tb[HEARTBEAT_A_PEER_LATE_US]) {
		late = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_LATE_US]);
		print_u32(PRINT_JSON, "late_us", NULL, late);
		if (late)
			print_duration(PRINT_FP, NULL, "  late %s", late);
	}
}

static void print_mac(const struct nlattr *a)
{
	const uint8_t *m = mnl_attr_get_payload(a);
	char buf[3 * MAC_LEN];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	print_string(PRINT_ANY, "mac", "  mac %s", buf);
}

int peer_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	char buf[16], dev[IF_NAMESIZE];
	uint32_t ifindex;

	if (attr_parse_msg(nlh, tb, peer_policy, HEARTBEAT_A_PEER_MAX) ||
	    paths_check(tb[HEARTBEAT_A_PEER_PATHS]) ||
	    channels_check(tb[HEARTBEAT_A_PEER_CHANNELS]) ||
	    id_list_check(tb[HEARTBEAT_A_PEER_HEARD_BY]))
		return MNL_CB_ERROR;

	json_list_item(data);
	open_json_object(NULL);
	if (tb[HEARTBEAT_A_PEER_ID])
		print_u32(PRINT_ANY, "id", "%-10u ",
			  mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_ID]));
	if (tb[HEARTBEAT_A_PEER_STATE])
		print_string(PRINT_ANY, "state", "%-8s ",
			     peer_state_name(mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_STATE]),
					     buf, sizeof(buf)));
	/* Readiness (app.c): text says only "not-ready". */
	if (tb[HEARTBEAT_A_PEER_READY]) {
		print_bool(PRINT_JSON, "ready", NULL,
			   mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_READY]));
		if (!mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_READY]))
			print_string(PRINT_FP, NULL, "%s", "not-ready ");
	}
	print_bool(PRINT_JSON, "configured", NULL,
		   tb[HEARTBEAT_A_PEER_CONFIGURED] != NULL);
	print_last_seen(tb[HEARTBEAT_A_PEER_LAST_SEEN_US], "seen %s");
	/* Kernels with the phi detector only; each printed if present. */
	if (tb[HEARTBEAT_A_PEER_PHI])
		print_phi(tb[HEARTBEAT_A_PEER_PHI], "  phi %s");
	print_u32_json(tb[HEARTBEAT_A_PEER_MEAN_US], "mean_us");
	print_u32_json(tb[HEARTBEAT_A_PEER_STDDEV_US], "stddev_us");
	print_u32_json(tb[HEARTBEAT_A_PEER_SAMPLES], "samples");
	print_u64_attr(tb[HEARTBEAT_A_PEER_RX], "rx", "  rx %" PRIu64);
	print_u64_attr(tb[HEARTBEAT_A_PEER_LOST], "lost", "  lost %" PRIu64);
	print_rtt(tb);
	print_u64_attr(tb[HEARTBEAT_A_PEER_RESTARTS], "restarts", NULL);
	if (tb[HEARTBEAT_A_PEER_INCARNATION])
		print_u64_exact(PRINT_ANY, "incarnation",
				"  incarnation %" PRIu64,
				mnl_attr_get_u64(tb[HEARTBEAT_A_PEER_INCARNATION]));
	if (tb[HEARTBEAT_A_PEER_INTERVAL_US])
		print_u32(PRINT_JSON, "interval_us", NULL,
			  mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_INTERVAL_US]));
	if (tb[HEARTBEAT_A_PEER_CHANNELS])
		print_channels(tb[HEARTBEAT_A_PEER_CHANNELS],
			       tb[HEARTBEAT_A_PEER_CHANNELS_UP]);
	else
		print_links(tb[HEARTBEAT_A_PEER_PATHS]);
	print_paths(tb[HEARTBEAT_A_PEER_PATHS]);
	print_view(tb);
	/* Configuration last: most peers have none. */
	if (tb[HEARTBEAT_A_PEER_IFINDEX]) {
		ifindex = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_IFINDEX]);
		if (ifindex)
			print_string(PRINT_ANY, "dev", "  dev %s",
				     ifindex_to_dev(ifindex, dev));
	}
	if (tb[HEARTBEAT_A_PEER_MAC])
		print_mac(tb[HEARTBEAT_A_PEER_MAC]);
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* Keywords of add, del and show; only add takes more than "id". */
enum peer_arg { ARG_ID, ARG_DEV, ARG_MAC, __ARG_MAX };

static const char *const peer_keys[__ARG_MAX] = {
	[ARG_ID] = "id",
	[ARG_DEV] = "dev",
	[ARG_MAC] = "mac",
};

struct peer_args {
	struct peer_conf c;
	bool given[__ARG_MAX];
};

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct peer_args *a = ctx;
	int err;

	switch (k) {
	case ARG_ID:
		err = parse_u32(arg, &a->c.id);
		if (err == -ERANGE)
			invarg(arg, "id does not fit in 32 bits");
		else if (err)
			invarg(arg, "id needs a number (decimal or 0x hex)");
		return err;
	case ARG_DEV:
		if (!*arg || strlen(arg) >= IF_NAMESIZE) {
			invarg(arg, "a device name is 1 to %u characters",
			       IF_NAMESIZE - 1);
			return -EINVAL;
		}
		strcpy(a->c.dev, arg);
		return 0;
	default:
		err = parse_mac(arg, a->c.mac);
		if (err)
			invarg(arg, "mac needs the form aa:bb:cc:dd:ee:ff");
		a->c.has_mac = !err;
		return err;
	}
}

/* Returns -1 to go on, or the exit status to stop with (help included). */
static int parse_peer_args(int argc, char **argv, struct peer_args *a,
			   bool add)
{
	const struct keywords kw = {
		.keys = peer_keys,
		.nkeys = add ? __ARG_MAX : ARG_ID + 1,
		.one = parse_one,
		.usage = peer_usage,
	};

	memset(a, 0, sizeof(*a));
	return parse_keywords(&kw, argc, argv, a->given, a);
}

int peer_conf_parse(int argc, char **argv, struct peer_conf *c)
{
	struct peer_args a;
	int ret;

	ret = parse_peer_args(argc, argv, &a, true);
	if (ret >= 0)
		return ret;
	if (!a.given[ARG_ID]) {
		missarg("id");
		return HB_EXIT_USAGE;
	}
	*c = a.c;
	return -1;
}

/* A learned peer too (c->configured tells): its id is all it has. */
int peer_conf_from_msg(const struct nlmsghdr *nlh, struct peer_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	uint32_t ifindex;

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, peer_policy, HEARTBEAT_A_PEER_MAX) ||
	    !tb[HEARTBEAT_A_PEER_ID])
		return -EPROTO;
	c->id = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_ID]);
	c->configured = tb[HEARTBEAT_A_PEER_CONFIGURED];
	ifindex = tb[HEARTBEAT_A_PEER_IFINDEX] ?
		  mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_IFINDEX]) : 0;
	/* A device gone since keeps its number: a name no device has. */
	if (ifindex)
		ifindex_to_dev(ifindex, c->dev);
	if (tb[HEARTBEAT_A_PEER_MAC]) {
		memcpy(c->mac, mnl_attr_get_payload(tb[HEARTBEAT_A_PEER_MAC]),
		       MAC_LEN);
		c->has_mac = true;
	}
	return 0;
}

/* PEER_ADD of all of c, or PEER_DEL of its id. */
static int peer_send(uint8_t cmd, const struct peer_conf *c, uint32_t ifindex)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg_start(cmd, NLM_F_ACK);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, c->id);
	refused_note_u32(HEARTBEAT_A_PEER_ID, "id", c->id);
	if (cmd == HEARTBEAT_CMD_PEER_ADD && ifindex) {
		mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_IFINDEX, ifindex);
		refused_note(HEARTBEAT_A_PEER_IFINDEX, "dev", c->dev);
	}
	if (cmd == HEARTBEAT_CMD_PEER_ADD && c->has_mac) {
		mnl_attr_put(nlh, HEARTBEAT_A_PEER_MAC, MAC_LEN, c->mac);
		refused_note_mac(HEARTBEAT_A_PEER_MAC, "mac", c->mac);
	}
	return genl_talk(nlh, NULL, NULL);
}

int peer_conf_send(uint8_t cmd, const struct peer_conf *c)
{
	uint32_t ifindex = 0;
	int err;

	if (cmd == HEARTBEAT_CMD_PEER_ADD && c->dev[0]) {
		err = dev_to_ifindex(c->dev, &ifindex);
		if (err)
			return err;
	}
	return peer_send(cmd, c, ifindex);
}

static int peer_show(int argc, char **argv)
{
	struct peer_args a;
	struct nlmsghdr *nlh;
	bool open = false;
	int ret;

	ret = parse_peer_args(argc, argv, &a, false);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_PEER_GET,
			     a.given[ARG_ID] ? 0 : NLM_F_DUMP);
	if (a.given[ARG_ID])
		mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_ID, a.c.id);
	ret = genl_talk(nlh, peer_show_cb, &open);
	json_list_end(open, ret);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int peer_change(int argc, char **argv, uint8_t cmd)
{
	struct peer_args a;
	uint32_t ifindex = 0;
	int ret;

	ret = parse_peer_args(argc, argv, &a, cmd == HEARTBEAT_CMD_PEER_ADD);
	if (ret >= 0)
		return ret;
	if (!a.given[ARG_ID]) {
		missarg("id");
		return HB_EXIT_USAGE;
	}
	/* A device that does not exist is the caller's mistake. */
	if (a.given[ARG_DEV] && dev_to_ifindex(a.c.dev, &ifindex))
		return HB_EXIT_USAGE;
	if (genl_open())
		return HB_EXIT_KERNEL;
	ret = peer_send(cmd, &a.c, ifindex);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int peer_add(int argc, char **argv)
{
	return peer_change(argc, argv, HEARTBEAT_CMD_PEER_ADD);
}

static int peer_del(int argc, char **argv)
{
	return peer_change(argc, argv, HEARTBEAT_CMD_PEER_DEL);
}

int do_peer(int argc, char **argv)
{
	/* probe.c */
	if (argc > 0 && matches(argv[0], "probe"))
		return peer_probe(argc - 1, argv + 1);
	return cmd_dispatch_list("peer", peer_usage, peer_show, peer_add, peer_del,
				 argc, argv);
}
