// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl stats -o prometheus: the node, its links and its peers in the
 * Prometheus text exposition format 0.0.4, for node_exporter's textfile
 * collector.
 *
 * Every family is printed as one group: its HELP and TYPE lines, then all
 * of its samples. Every sample carries the labels node and cluster. Times
 * are in seconds, printed exactly from the kernel's integers; nothing goes
 * through a double or the locale. Moments are wall-clock timestamps, not
 * ages: the collector may read the file many seconds after it was written,
 * and a timestamp stays true meanwhile.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "nlattr.h"
#include "prometheus.h"
#include "utils.h"
#include "version.h"

/* Room for any u64 in decimal, or any format_decimal() of one. */
#define VALUE_BUFSZ	24

enum prom_type {
	PROM_COUNTER,
	PROM_GAUGE,
	PROM_HISTOGRAM,
};

static const char *const type_names[] = {
	[PROM_COUNTER] = "counter",
	[PROM_GAUGE] = "gauge",
	[PROM_HISTOGRAM] = "histogram",
};

/* HELP texts are constants without backslash or newline: no escaping. */
struct prom_family {
	const char *name;
	enum prom_type type;
	const char *help;
};

/* How an attribute becomes a sample value. */
enum prom_unit {
	UNIT_COUNT,	/* u64 as it is */
	UNIT_US,	/* u64 microseconds, as seconds */
	UNIT_NS,	/* u64 nanoseconds, as seconds */
	UNIT_AGE_US,	/* u64 microseconds ago, as a Unix timestamp */
	UNIT_MILLI,	/* u32 thousandths, e.g. of phi */
};

/* One family with one sample per object that has @attr. */
struct prom_metric {
	struct prom_family f;
	int attr;
	enum prom_unit unit;
};

struct prom_label {
	const char *name;
	const char *value;
};

struct prom_out {
	FILE *fp;
	const struct prom_family *cur;	/* whose HELP and TYPE are out */
	uint64_t now_us;		/* CLOCK_REALTIME of the replies */
	char node[VALUE_BUFSZ];
	char cluster[VALUE_BUFSZ];
};

static const struct prom_family info_family = {
	"heartbeat_info", PROM_GAUGE,
	"Heartbeat node of this network namespace: detector, hbctl and "
	"module versions.",
};

/* From HEARTBEAT_CMD_STATS_GET, about the whole node. */
static const struct prom_metric node_metrics[] = {
	{ { "heartbeat_tx_frames_total", PROM_COUNTER,
	    "Heartbeat frames sent on all links." },
	  HEARTBEAT_A_STATS_TX, UNIT_COUNT },
	{ { "heartbeat_rx_frames_total", PROM_COUNTER,
	    "Heartbeat frames accepted." },
	  HEARTBEAT_A_STATS_RX, UNIT_COUNT },
	{ { "heartbeat_deferred_verdicts_total", PROM_COUNTER,
	    "Verdicts deferred after a local stall." },
	  HEARTBEAT_A_STATS_DEFERRED, UNIT_COUNT },
	{ { "heartbeat_uevents_total", PROM_COUNTER,
	    "Uevents sent." },
	  HEARTBEAT_A_STATS_UEVENTS, UNIT_COUNT },
	{ { "heartbeat_uevents_lost_total", PROM_COUNTER,
	    "Uevents not sent (queue full, no memory)." },
	  HEARTBEAT_A_STATS_UEVENTS_LOST, UNIT_COUNT },
	{ { "heartbeat_peers_expired_total", PROM_COUNTER,
	    "Learned peers forgotten after learn-expire dead or left." },
	  HEARTBEAT_A_STATS_PEERS_EXPIRED, UNIT_COUNT },
	{ { "heartbeat_gossip_entries_sent_total", PROM_COUNTER,
	    "View entries (gossip) sent in heartbeats." },
	  HEARTBEAT_A_STATS_GOSSIP_TX, UNIT_COUNT },
	{ { "heartbeat_gossip_entries_merged_total", PROM_COUNTER,
	    "View entries (gossip) received and merged." },
	  HEARTBEAT_A_STATS_GOSSIP_RX, UNIT_COUNT },
	{ { "heartbeat_probes_tx_total", PROM_COUNTER,
	    "Probes and probe requests sent, relayed ones included." },
	  HEARTBEAT_A_STATS_PROBES_TX, UNIT_COUNT },
	{ { "heartbeat_probes_acked_total", PROM_COUNTER,
	    "Answers to this node's probes received." },
	  HEARTBEAT_A_STATS_PROBES_ACKED, UNIT_COUNT },
};

/*
 * From HEARTBEAT_CMD_QUORUM_GET, whenever the module has quorum at all:
 * expected votes 0 is quorum off, and quorate is then what the module
 * says. A series that comes and goes with a setting would break alerts.
 */
static const struct prom_family quorate_family = {
	"heartbeat_quorate", PROM_GAUGE,
	"1 if the partition of this node has quorum, else 0.",
};

static const struct prom_family votes_family = {
	"heartbeat_quorum_votes", PROM_GAUGE,
	"Votes of the live members seen, this node included.",
};

static const struct prom_family expected_votes_family = {
	"heartbeat_quorum_expected_votes", PROM_GAUGE,
	"Votes of the whole cluster; 0 if quorum is off.",
};

static const struct prom_family drops_family = {
	"heartbeat_drops_total", PROM_COUNTER,
	"Received frames dropped, by reason.",
};

static const struct prom_metric link_metrics[] = {
	{ { "heartbeat_link_tx_frames_total", PROM_COUNTER,
	    "Frames sent on the link." },
	  HEARTBEAT_A_LINK_TX, UNIT_COUNT },
	{ { "heartbeat_link_tx_errors_total", PROM_COUNTER,
	    "Frames the device refused." },
	  HEARTBEAT_A_LINK_TX_ERRORS, UNIT_COUNT },
	{ { "heartbeat_link_tx_skipped_total", PROM_COUNTER,
	    "Sends skipped: device down or MTU too small." },
	  HEARTBEAT_A_LINK_TX_SKIPPED, UNIT_COUNT },
	{ { "heartbeat_link_tx_overruns_total", PROM_COUNTER,
	    "Send periods missed by a late timer." },
	  HEARTBEAT_A_LINK_TX_OVERRUNS, UNIT_COUNT },
	{ { "heartbeat_link_send_late_max_seconds", PROM_GAUGE,
	    "Worst send lateness on the link." },
	  HEARTBEAT_A_LINK_LATE_MAX_NS, UNIT_NS },
};

static const struct prom_family link_up_family = {
	"heartbeat_link_up", PROM_GAUGE,
	"1 while the link's device can send, else 0.",
};

static const struct prom_family late_family = {
	"heartbeat_link_send_late_seconds", PROM_HISTOGRAM,
	"Send lateness on the link: timer expiry to transmit.",
};

/* Attribute type b + 1 is bucket b; type 0 is left for padding. */
static const struct attr_policy late_hist_policy[HEARTBEAT_LATE_BUCKETS + 1] = {
	[1 ... HEARTBEAT_LATE_BUCKETS] = { MNL_TYPE_U64 },
};

static const struct prom_family peer_state_family = {
	"heartbeat_peer_state", PROM_GAUGE,
	"Peer state: 1 for the current state, 0 for the others.",
};

static const struct prom_family peer_up_family = {
	"heartbeat_peer_up", PROM_GAUGE,
	"1 if the peer is alive, else 0.",
};

/* After the state set and peer_up, in this order. */
static const struct prom_metric peer_metrics[] = {
	{ { "heartbeat_peer_phi", PROM_GAUGE,
	    "Phi accrual value of the peer now." },
	  HEARTBEAT_A_PEER_PHI, UNIT_MILLI },
	{ { "heartbeat_peer_last_seen_timestamp_seconds", PROM_GAUGE,
	    "When the last heartbeat of the peer arrived, Unix time." },
	  HEARTBEAT_A_PEER_LAST_SEEN_US, UNIT_AGE_US },
	{ { "heartbeat_peer_rx_frames_total", PROM_COUNTER,
	    "Heartbeats of the peer accepted." },
	  HEARTBEAT_A_PEER_RX, UNIT_COUNT },
	{ { "heartbeat_peer_lost_frames_total", PROM_COUNTER,
	    "Heartbeats of the peer lost to sequence gaps." },
	  HEARTBEAT_A_PEER_LOST, UNIT_COUNT },
	{ { "heartbeat_peer_restarts_total", PROM_COUNTER,
	    "Incarnation changes of the peer seen." },
	  HEARTBEAT_A_PEER_RESTARTS, UNIT_COUNT },
	{ { "heartbeat_peer_incarnation", PROM_GAUGE,
	    "Incarnation of the peer." },
	  HEARTBEAT_A_PEER_INCARNATION, UNIT_COUNT },
};

/* Per channel of a peer: a link of ours it is heard on, or the disk. */
static const struct prom_family peer_link_up_family = {
	"heartbeat_peer_link_up", PROM_GAUGE,
	"1 while the peer is heard on the link (or the shared disk), else 0.",
};

static const struct prom_family peer_link_seen_family = {
	"heartbeat_peer_link_last_seen_timestamp_seconds", PROM_GAUGE,
	"When the last frame of the peer arrived on the link, Unix time.",
};

/* Per path: a link of the peer's (sender_link) to a device of ours. */
static const struct prom_family path_rx_family = {
	"heartbeat_peer_path_rx_frames_total", PROM_COUNTER,
	"Heartbeats of the peer accepted on the path.",
};

static const struct prom_family path_lost_family = {
	"heartbeat_peer_path_lost_frames_total", PROM_COUNTER,
	"Heartbeats of the peer lost to sequence gaps on the path.",
};

static const struct attr_policy channel_policy[HEARTBEAT_A_CHANNEL_MAX + 1] = {
	[HEARTBEAT_A_CHANNEL_NAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_CHANNEL_UP] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_CHANNEL_LAST_SEEN_US] = { MNL_TYPE_U64 },
};

static const struct attr_policy path_policy[HEARTBEAT_A_PEER_MAX + 1] = {
	[HEARTBEAT_A_PEER_IFINDEX] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_PATH_LINK] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RX] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_LOST] = { MNL_TYPE_U64 },
};

static const struct prom_family peer_heard_by_family = {
	"heartbeat_peer_heard_by", PROM_GAUGE,
	"Members that hear the peer now, by their gossip.",
};

static const struct prom_family detect_family = {
	"heartbeat_detection_seconds", PROM_HISTOGRAM,
	"Time from the last heartbeat of a peer to the verdict dead.",
};

/*
 * The states of the state set, the last of the uapi enum included; a
 * newer one gets a series of its own.
 */
#define PEER_STATES	(HEARTBEAT_STATE_UNREACHABLE + 1)

/* Only what the labels need; the rest of the node is "node show"'s. */
static const struct attr_policy node_policy[HEARTBEAT_A_NODE_MAX + 1] = {
	[HEARTBEAT_A_NODE_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_NODE_CLUSTER] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_NODE_DETECTOR] = { MNL_TYPE_U8 },
};

/* peer_metrics[] checks the attributes it prints itself. */
static const struct attr_policy peer_policy[HEARTBEAT_A_PEER_MAX + 1] = {
	[HEARTBEAT_A_PEER_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_PEER_HEARD_BY] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_PATHS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_CHANNELS] = { MNL_TYPE_NESTED },
};

/* Only what the three gauges need; quorum.c checks the rest. */
static const struct attr_policy quorum_policy[HEARTBEAT_A_QUORUM_MAX + 1] = {
	[HEARTBEAT_A_QUORUM_EXPECTED_VOTES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_QUORUM_QUORATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_QUORUM_VOTES] = { MNL_TYPE_U32 },
};

/* Label values: backslash, double quote and line feed are escaped. */
static void put_label_value(FILE *fp, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', fp);
		if (*v == '\n')
			fputs("\\n", fp);
		else
			fputc(*v, fp);
	}
}

static void sample(struct prom_out *o, const struct prom_family *f,
		   const char *suffix, const struct prom_label *l,
		   unsigned int n, const char *value)
{
	unsigned int i;

	if (o->cur != f) {
		fprintf(o->fp, "# HELP %s %s\n# TYPE %s %s\n", f->name,
			f->help, f->name, type_names[f->type]);
		o->cur = f;
	}
	fprintf(o->fp, "%s%s{node=\"%s\",cluster=\"%s\"", f->name, suffix,
		o->node, o->cluster);
	for (i = 0; i < n; i++) {
		fprintf(o->fp, ",%s=\"", l[i].name);
		put_label_value(o->fp, l[i].value);
		fputc('"', o->fp);
	}
	fprintf(o->fp, "} %s\n", value);
}

static void sample_u64(struct prom_out *o, const struct prom_family *f,
		       const char *suffix, const struct prom_label *l,
		       unsigned int n, uint64_t val)
{
	char buf[VALUE_BUFSZ];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	sample(o, f, suffix, l, n, buf);
}

/* Now minus an age, in seconds; a clock set back below it gives 0. */
static void format_timestamp(const struct prom_out *o, uint64_t age_us,
			     char *buf, size_t len)
{
	format_decimal(o->now_us > age_us ? o->now_us - age_us : 0, 6, buf,
		       len);
}

static void metric_sample(struct prom_out *o, const struct prom_metric *m,
			  const struct nlattr *a, const struct prom_label *l,
			  unsigned int n)
{
	char buf[VALUE_BUFSZ];

	switch (m->unit) {
	case UNIT_COUNT:
		snprintf(buf, sizeof(buf), "%" PRIu64, mnl_attr_get_u64(a));
		break;
	case UNIT_US:
		format_decimal(mnl_attr_get_u64(a), 6, buf, sizeof(buf));
		break;
	case UNIT_NS:
		format_decimal(mnl_attr_get_u64(a), 9, buf, sizeof(buf));
		break;
	case UNIT_AGE_US:
		format_timestamp(o, mnl_attr_get_u64(a), buf, sizeof(buf));
		break;
	case UNIT_MILLI:
		format_milli(mnl_attr_get_u32(a), buf, sizeof(buf));
		break;
	}
	sample(o, &m->f, "", l, n, buf);
}

static int metrics_check(const struct prom_metric *m, unsigned int n,
			 const struct nlattr *const *tb)
{
	const struct nlattr *a;
	unsigned int i;

	for (i = 0; i < n; i++) {
		a = tb[m[i].attr];
		if (a && mnl_attr_validate(a, m[i].unit == UNIT_MILLI ?
					   MNL_TYPE_U32 : MNL_TYPE_U64) < 0) {
			errno = EPROTO;
			return -EPROTO;
		}
	}
	return 0;
}

/*
 * Every member of a nest of nests (channels, paths) against @pol; tb has
 * room for either kind.
 */
_Static_assert((int)HEARTBEAT_A_CHANNEL_MAX <= (int)HEARTBEAT_A_PEER_MAX,
	       "nests_check()'s table holds a channel's attributes");
static int nests_check(const struct nlattr *nests,
		       const struct attr_policy *pol, unsigned int max)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	const struct nlattr *pos;

	if (!nests)
		return 0;
	mnl_attr_for_each_nested(pos, nests)
		if (mnl_attr_validate(pos, MNL_TYPE_NESTED) < 0 ||
		    attr_parse_nest(pos, tb, pol, max))
			return -EPROTO;
	return 0;
}

static int peer_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	if (attr_parse_msg(nlh, tb, peer_policy, HEARTBEAT_A_PEER_MAX) ||
	    id_list_check(tb[HEARTBEAT_A_PEER_HEARD_BY]) ||
	    nests_check(tb[HEARTBEAT_A_PEER_CHANNELS], channel_policy,
			HEARTBEAT_A_CHANNEL_MAX) ||
	    nests_check(tb[HEARTBEAT_A_PEER_PATHS], path_policy,
			HEARTBEAT_A_PEER_MAX)) {
		errno = EPROTO;
		return -EPROTO;
	}
	return metrics_check(peer_metrics, ARRAY_SIZE(peer_metrics), tb);
}

static void print_info(struct prom_out *o, const struct nlattr *const *ntb,
		       const char *module_version)
{
	struct prom_label l[3] = {};
	unsigned int n = 0, d;
	char buf[VALUE_BUFSZ];

	/* Only modules with a choice of detectors say which one runs. */
	if (ntb[HEARTBEAT_A_NODE_DETECTOR]) {
		d = mnl_attr_get_u8(ntb[HEARTBEAT_A_NODE_DETECTOR]);
		l[n].value = value_name(hb_detector_name(d), "detector", d,
					buf, sizeof(buf));
		l[n++].name = "detector";
	}
	l[n].name = "version";
	l[n++].value = HBCTL_VERSION;
	if (module_version) {
		l[n].name = "module_version";
		l[n++].value = module_version;
	}
	sample(o, &info_family, "", l, n, "1");
}

static void drop_sample(const char *name, uint64_t count, void *arg)
{
	struct prom_label l = { "reason", name };

	sample_u64(arg, &drops_family, "", &l, 1, count);
}

/*
 * A link is named by its device, as "stats" names it; the kernel always
 * sends the name. NULL for a link it says nothing of, which no family
 * shows.
 */
static const char *link_label(const struct nlattr *const *tb,
			      char dev[IF_NAMESIZE])
{
	const struct nlattr *ifname = tb[HEARTBEAT_A_LINK_IFNAME];
	const struct nlattr *ifindex = tb[HEARTBEAT_A_LINK_IFINDEX];

	if (ifname)
		return mnl_attr_get_str(ifname);
	if (ifindex)
		return ifindex_to_dev(mnl_attr_get_u32(ifindex), dev);
	return NULL;
}

static void print_links(struct prom_out *o, const struct nlattr *links)
{
	const struct nlattr *tb[HEARTBEAT_A_LINK_MAX + 1];
	struct prom_label l = { "link", NULL };
	const struct prom_metric *m;
	const struct nlattr *pos;
	char dev[IF_NAMESIZE];
	unsigned int i;

	mnl_attr_for_each_nested(pos, links) {
		link_parse(pos, tb);
		l.value = link_label(tb, dev);
		if (tb[HEARTBEAT_A_LINK_UP] && l.value)
			sample(o, &link_up_family, "", &l, 1,
			       mnl_attr_get_u8(tb[HEARTBEAT_A_LINK_UP]) ?
			       "1" : "0");
	}
	for (i = 0; i < ARRAY_SIZE(link_metrics); i++) {
		m = &link_metrics[i];
		mnl_attr_for_each_nested(pos, links) {
			link_parse(pos, tb);
			l.value = link_label(tb, dev);
			if (tb[m->attr] && l.value)
				metric_sample(o, m, tb[m->attr], &l, 1);
		}
	}
}

/*
 * The kernel's send lateness of one link: bucket 0 counts sends under
 * 1 us late, bucket b [2^(b-1), 2^b) us, so 2^b us is the le of the
 * cumulative bucket, the last one +Inf. The kernel keeps no sum: no
 * _sum, and _count is the buckets' total.
 */
static void print_late_link(struct prom_out *o, const struct nlattr *nest,
			    const char *link)
{
	const struct nlattr *htb[HEARTBEAT_LATE_BUCKETS + 1];
	char le[VALUE_BUFSZ];
	struct prom_label l[2] = { { "link", link }, { "le", le } };
	uint64_t total = 0;
	unsigned int b;

	if (attr_parse_nest(nest, htb, late_hist_policy,
			    HEARTBEAT_LATE_BUCKETS))
		return;
	for (b = 0; b < HEARTBEAT_LATE_BUCKETS - 1; b++) {
		if (htb[b + 1])
			total += mnl_attr_get_u64(htb[b + 1]);
		format_decimal(UINT64_C(1) << b, 6, le, sizeof(le));
		sample_u64(o, &late_family, "_bucket", l, 2, total);
	}
	if (htb[b + 1])
		total += mnl_attr_get_u64(htb[b + 1]);
	l[1].value = "+Inf";
	sample_u64(o, &late_family, "_bucket", l, 2, total);
	sample_u64(o, &late_family, "_count", l, 1, total);
}

static void print_late(struct prom_out *o, const struct nlattr *links)
{
	const struct nlattr *tb[HEARTBEAT_A_LINK_MAX + 1];
	const struct nlattr *pos;
	char dev[IF_NAMESIZE];
	const char *link;

	mnl_attr_for_each_nested(pos, links) {
		link_parse(pos, tb);
		link = link_label(tb, dev);
		if (tb[HEARTBEAT_A_LINK_LATE_HIST] && link)
			print_late_link(o, tb[HEARTBEAT_A_LINK_LATE_HIST],
					link);
	}
}

/*
 * The peer's label; false for a peer without an id, which no family
 * shows.
 */
static bool peer_label(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       char buf[VALUE_BUFSZ])
{
	peer_parse(nlh, tb);
	if (!tb[HEARTBEAT_A_PEER_ID])
		return false;
	snprintf(buf, VALUE_BUFSZ, "%u",
		 mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_ID]));
	return true;
}

/* One series per known state, and one for a state newer than hbctl. */
static void print_peer_states(struct prom_out *o, const struct prom_input *in)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	char id[VALUE_BUFSZ], name[16];
	struct prom_label l[2] = { { "peer", id }, { "state", NULL } };
	unsigned int i, s, cur;

	for (i = 0; i < in->npeers; i++) {
		if (!peer_label(in->peers[i], tb, id) ||
		    !tb[HEARTBEAT_A_PEER_STATE])
			continue;
		cur = mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_STATE]);
		for (s = 0; s < PEER_STATES; s++) {
			l[1].value = peer_state_name(s, name, sizeof(name));
			sample(o, &peer_state_family, "", l, 2,
			       s == cur ? "1" : "0");
		}
		if (cur >= PEER_STATES) {
			l[1].value = peer_state_name(cur, name, sizeof(name));
			sample(o, &peer_state_family, "", l, 2, "1");
		}
	}
	for (i = 0; i < in->npeers; i++) {
		if (!peer_label(in->peers[i], tb, id) ||
		    !tb[HEARTBEAT_A_PEER_STATE])
			continue;
		cur = mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_STATE]);
		sample(o, &peer_up_family, "", l, 1,
		       cur == HEARTBEAT_STATE_ALIVE ? "1" : "0");
	}
}

/* One channel of a peer: the sample of @f (up or last seen), if sent. */
static void channel_sample(struct prom_out *o, const struct prom_family *f,
			   const struct nlattr *nest, const char *id)
{
	const struct nlattr *tb[HEARTBEAT_A_CHANNEL_MAX + 1];
	struct prom_label l[2] = { { "peer", id }, { "link", NULL } };
	const struct nlattr *up, *seen;
	char buf[VALUE_BUFSZ];

	attr_parse_nest(nest, tb, channel_policy, HEARTBEAT_A_CHANNEL_MAX);
	if (!tb[HEARTBEAT_A_CHANNEL_NAME])
		return;
	l[1].value = mnl_attr_get_str(tb[HEARTBEAT_A_CHANNEL_NAME]);
	up = tb[HEARTBEAT_A_CHANNEL_UP];
	seen = tb[HEARTBEAT_A_CHANNEL_LAST_SEEN_US];
	if (f == &peer_link_up_family && up) {
		sample(o, f, "", l, 2, mnl_attr_get_u8(up) ? "1" : "0");
	} else if (f == &peer_link_seen_family && seen) {
		format_timestamp(o, mnl_attr_get_u64(seen), buf, sizeof(buf));
		sample(o, f, "", l, 2, buf);
	}
}

/* One path of a peer: its counter @attr as a sample of @f, if sent. */
static void path_sample(struct prom_out *o, const struct prom_family *f,
			int attr, const struct nlattr *nest, const char *id)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	char sender[VALUE_BUFSZ], dev[IF_NAMESIZE];
	struct prom_label l[3] = {
		{ "peer", id }, { "link", NULL }, { "sender_link", sender },
	};

	attr_parse_nest(nest, tb, path_policy, HEARTBEAT_A_PEER_MAX);
	if (!tb[HEARTBEAT_A_PEER_IFINDEX] || !tb[HEARTBEAT_A_PEER_PATH_LINK] ||
	    !tb[attr])
		return;
	l[1].value = ifindex_to_dev(mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_IFINDEX]),
				    dev);
	snprintf(sender, sizeof(sender), "%u",
		 mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_PATH_LINK]));
	sample_u64(o, f, "", l, 3, mnl_attr_get_u64(tb[attr]));
}

/*
 * Per channel (a link of ours, or the disk, the peer is heard on) and per
 * path (a link of the peer's, sender_link, to a device of ours, with its
 * own counters): one family at a time over all peers, as the format
 * wants.
 */
static void print_peer_links(struct prom_out *o, const struct prom_input *in)
{
	static const struct prom_family *const channel_families[] = {
		&peer_link_up_family, &peer_link_seen_family,
	};
	static const struct {
		const struct prom_family *f;
		int attr;
	} path_counters[] = {
		{ &path_rx_family, HEARTBEAT_A_PEER_RX },
		{ &path_lost_family, HEARTBEAT_A_PEER_LOST },
	};
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	const struct nlattr *pos;
	char id[VALUE_BUFSZ];
	unsigned int p, i;

	for (i = 0; i < ARRAY_SIZE(channel_families); i++)
		for (p = 0; p < in->npeers; p++) {
			if (!peer_label(in->peers[p], tb, id) ||
			    !tb[HEARTBEAT_A_PEER_CHANNELS])
				continue;
			mnl_attr_for_each_nested(pos, tb[HEARTBEAT_A_PEER_CHANNELS])
				channel_sample(o, channel_families[i], pos, id);
		}
	for (i = 0; i < ARRAY_SIZE(path_counters); i++)
		for (p = 0; p < in->npeers; p++) {
			if (!peer_label(in->peers[p], tb, id) ||
			    !tb[HEARTBEAT_A_PEER_PATHS])
				continue;
			mnl_attr_for_each_nested(pos, tb[HEARTBEAT_A_PEER_PATHS])
				path_sample(o, path_counters[i].f,
					    path_counters[i].attr, pos, id);
		}
}

static void print_peers(struct prom_out *o, const struct prom_input *in)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	char id[VALUE_BUFSZ];
	struct prom_label l = { "peer", id };
	const struct prom_metric *m;
	unsigned int i, p;

	print_peer_states(o, in);
	for (i = 0; i < ARRAY_SIZE(peer_metrics); i++) {
		m = &peer_metrics[i];
		for (p = 0; p < in->npeers; p++) {
			if (peer_label(in->peers[p], tb, id) && tb[m->attr])
				metric_sample(o, m, tb[m->attr], &l, 1);
		}
	}
	/* modules with the cluster view: an empty list is 0 */
	for (p = 0; p < in->npeers; p++) {
		if (peer_label(in->peers[p], tb, id) &&
		    tb[HEARTBEAT_A_PEER_HEARD_BY])
			sample_u64(o, &peer_heard_by_family, "", &l, 1,
				   id_list_count(tb[HEARTBEAT_A_PEER_HEARD_BY]));
	}
	print_peer_links(o, in);
}

/* A reply without the three is no quorum to show: input_check() refuses it. */
static void print_quorum(struct prom_out *o, const struct nlattr *const *tb)
{
	sample_u64(o, &quorate_family, "", NULL, 0,
		   mnl_attr_get_u8(tb[HEARTBEAT_A_QUORUM_QUORATE]) ? 1 : 0);
	sample_u64(o, &votes_family, "", NULL, 0,
		   mnl_attr_get_u32(tb[HEARTBEAT_A_QUORUM_VOTES]));
	sample_u64(o, &expected_votes_family, "", NULL, 0,
		   mnl_attr_get_u32(tb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES]));
}

/*
 * Bucket b counts [2^(b-1), 2^b) ms, so its upper bound 2^b ms is the le
 * of the cumulative bucket; the last one has none and is +Inf. The kernel
 * counts without a lock: +Inf and _count are the larger of the bucket sum
 * and DETECT_COUNT, so a torn read still gives a valid histogram.
 */
static void print_detect(struct prom_out *o, const struct nlattr *const *tb)
{
	const struct nlattr *hist = tb[HEARTBEAT_A_STATS_DETECT_HIST];
	const struct nlattr *count = tb[HEARTBEAT_A_STATS_DETECT_COUNT];
	const struct nlattr *sum = tb[HEARTBEAT_A_STATS_DETECT_SUM_US];
	uint64_t bucket[HEARTBEAT_DETECT_BUCKETS] = {}, total = 0;
	char le[VALUE_BUFSZ], buf[VALUE_BUFSZ];
	struct prom_label l = { "le", le };
	unsigned int b;

	if (!hist && !count)
		return;
	if (hist)
		stats_detect_hist(hist, bucket);
	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS - 1; b++) {
		total += bucket[b];
		if (!hist)
			continue;
		format_decimal(UINT64_C(1) << b, 3, le, sizeof(le));
		sample_u64(o, &detect_family, "_bucket", &l, 1, total);
	}
	total += bucket[b];
	if (count && mnl_attr_get_u64(count) > total)
		total = mnl_attr_get_u64(count);
	l.value = "+Inf";
	sample_u64(o, &detect_family, "_bucket", &l, 1, total);
	if (sum) {
		format_decimal(mnl_attr_get_u64(sum), 6, buf, sizeof(buf));
		sample(o, &detect_family, "_sum", NULL, 0, buf);
	}
	sample_u64(o, &detect_family, "_count", NULL, 0, total);
}

static const struct prom_family rtt_family = {
	"heartbeat_rtt_seconds", PROM_HISTOGRAM,
	"Round trips of probes answered by the peer, direct or relayed.",
};

/* Attribute type b + 1 is bucket b; type 0 is left for padding. */
static const struct attr_policy rtt_hist_policy[HEARTBEAT_RTT_BUCKETS + 1] = {
	[1 ... HEARTBEAT_RTT_BUCKETS] = { MNL_TYPE_U64 },
};

/*
 * The kernel's cumulative histogram of a peer's round trips (RTT_HIST,
 * RTT_COUNT, RTT_SUM_US): bucket b counts [2^(b-1), 2^b) us, so 2^b us is
 * the le of the cumulative bucket, the last one +Inf. Not the window of
 * peer show: a histogram's counts must only grow.
 */
static void print_rtt_peer(struct prom_out *o, const struct nlattr *const *tb,
			   const char *id)
{
	const struct nlattr *hist = tb[HEARTBEAT_A_PEER_RTT_HIST];
	const struct nlattr *count = tb[HEARTBEAT_A_PEER_RTT_COUNT];
	const struct nlattr *sum = tb[HEARTBEAT_A_PEER_RTT_SUM_US];
	const struct nlattr *htb[HEARTBEAT_RTT_BUCKETS + 1];
	char le[VALUE_BUFSZ], buf[VALUE_BUFSZ];
	struct prom_label l[2] = { { "peer", id }, { "le", le } };
	uint64_t total = 0;
	unsigned int b;

	if (!hist || !count || !sum ||
	    mnl_attr_validate(hist, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_get_payload_len(count) != sizeof(uint64_t) ||
	    mnl_attr_get_payload_len(sum) != sizeof(uint64_t) ||
	    attr_parse_nest(hist, htb, rtt_hist_policy, HEARTBEAT_RTT_BUCKETS))
		return;
	for (b = 0; b < HEARTBEAT_RTT_BUCKETS - 1; b++) {
		if (htb[b + 1])
			total += mnl_attr_get_u64(htb[b + 1]);
		format_decimal(UINT64_C(1) << b, 6, le, sizeof(le));
		sample_u64(o, &rtt_family, "_bucket", l, 2, total);
	}
	if (htb[b + 1])
		total += mnl_attr_get_u64(htb[b + 1]);
	if (mnl_attr_get_u64(count) > total)
		total = mnl_attr_get_u64(count);
	l[1].value = "+Inf";
	sample_u64(o, &rtt_family, "_bucket", l, 2, total);
	format_decimal(mnl_attr_get_u64(sum), 6, buf, sizeof(buf));
	sample(o, &rtt_family, "_sum", l, 1, buf);
	sample_u64(o, &rtt_family, "_count", l, 1, total);
}

static void print_rtts(struct prom_out *o, const struct prom_input *in)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	char id[VALUE_BUFSZ];
	unsigned int p;

	for (p = 0; p < in->npeers; p++)
		if (peer_label(in->peers[p], tb, id))
			print_rtt_peer(o, tb, id);
}

static int input_check(const struct prom_input *in,
		       const struct nlattr **ntb, const struct nlattr **stb,
		       const struct nlattr **qtb)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	unsigned int i;

	if (!in->node || !in->stats ||
	    attr_parse_msg(in->node, ntb, node_policy, HEARTBEAT_A_NODE_MAX) ||
	    stats_parse(in->stats, stb))
		goto bad;
	if (in->quorum &&
	    (attr_parse_msg(in->quorum, qtb, quorum_policy,
			    HEARTBEAT_A_QUORUM_MAX) ||
	     !qtb[HEARTBEAT_A_QUORUM_QUORATE] ||
	     !qtb[HEARTBEAT_A_QUORUM_VOTES] ||
	     !qtb[HEARTBEAT_A_QUORUM_EXPECTED_VOTES]))
		goto bad;
	for (i = 0; i < in->npeers; i++)
		if (peer_parse(in->peers[i], tb))
			goto bad;
	return 0;
bad:
	errno = EPROTO;
	return -EPROTO;
}

int prom_print(FILE *fp, const struct prom_input *in)
{
	const struct nlattr *ntb[HEARTBEAT_A_NODE_MAX + 1];
	const struct nlattr *stb[HEARTBEAT_A_STATS_MAX + 1];
	const struct nlattr *qtb[HEARTBEAT_A_QUORUM_MAX + 1];
	struct prom_out o = { .fp = fp, .now_us = in->now_ns / 1000 };
	unsigned int i;

	if (input_check(in, ntb, stb, qtb))
		return -EPROTO;
	/* An id of 0 is "not set yet"; it still names the series. */
	snprintf(o.node, sizeof(o.node), "%u", ntb[HEARTBEAT_A_NODE_ID] ?
		 mnl_attr_get_u32(ntb[HEARTBEAT_A_NODE_ID]) : 0);
	snprintf(o.cluster, sizeof(o.cluster), "%u",
		 ntb[HEARTBEAT_A_NODE_CLUSTER] ?
		 mnl_attr_get_u32(ntb[HEARTBEAT_A_NODE_CLUSTER]) : 0);

	print_info(&o, ntb, in->module_version);
	for (i = 0; i < ARRAY_SIZE(node_metrics); i++)
		if (stb[node_metrics[i].attr])
			metric_sample(&o, &node_metrics[i],
				      stb[node_metrics[i].attr], NULL, 0);
	if (stb[HEARTBEAT_A_STATS_DROPS])
		stats_drops_walk(stb[HEARTBEAT_A_STATS_DROPS], drop_sample, &o);
	if (stb[HEARTBEAT_A_STATS_LINKS]) {
		print_links(&o, stb[HEARTBEAT_A_STATS_LINKS]);
		print_late(&o, stb[HEARTBEAT_A_STATS_LINKS]);
	}
	if (in->quorum)
		print_quorum(&o, qtb);
	print_peers(&o, in);
	print_detect(&o, stb);
	print_rtts(&o, in);
	return 0;
}

/* Copies of the replies to one request: the receive buffer is reused. */
struct replies {
	const struct nlmsghdr **msg;
	unsigned int n;
	unsigned int size;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct replies *r = data;
	const struct nlmsghdr **msg;
	struct nlmsghdr *copy;

	if (r->n == r->size) {
		msg = realloc(r->msg, (r->size ? 2 * r->size : 16) *
			      sizeof(*msg));
		if (!msg)
			return MNL_CB_ERROR;
		r->msg = msg;
		r->size = r->size ? 2 * r->size : 16;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return MNL_CB_ERROR;
	memcpy(copy, nlh, nlh->nlmsg_len);
	r->msg[r->n++] = copy;
	return MNL_CB_OK;
}

static void replies_free(struct replies *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		free((void *)r->msg[i]);
	free(r->msg);
}

static int request(uint8_t cmd, uint16_t flags, struct replies *r)
{
	return genl_talk(genl_msg_start(cmd, flags), collect_cb, r);
}

/*
 * All of it or nothing: the text is built in memory and written at once,
 * and a failed write is an error, so "hbctl ... > f && mv f f.prom" never
 * installs half a file.
 */
static int print_all(const struct prom_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int err;

	fp = open_memstream(&buf, &len);
	if (!fp) {
		err = errno;
		fprintf(stderr, "Error: %s.\n", strerror(err));
		return -err;
	}
	err = prom_print(fp, in);
	if (fclose(fp) && !err)
		err = -ENOMEM;
	if (err) {
		fprintf(stderr, "Error: %s.\n", strerror(-err));
	} else {
		print_string(PRINT_FP, NULL, "%s", buf);
		if (fflush(stdout) == EOF || ferror(stdout)) {
			err = errno ? -errno : -EIO;
			fprintf(stderr, "Error: cannot write output: %s.\n",
				strerror(-err));
		}
	}
	free(buf);
	return err;
}

int prom_show(void)
{
	struct replies node = {}, stats = {}, peers = {}, quorum = {};
	struct prom_input in;
	struct timespec now;
	char module[64];
	int err;

	if (genl_open())
		return HB_EXIT_KERNEL;
	err = request(HEARTBEAT_CMD_NODE_GET, 0, &node);
	if (!err)
		err = request(HEARTBEAT_CMD_STATS_GET, 0, &stats);
	if (!err)
		err = request(HEARTBEAT_CMD_PEER_GET, NLM_F_DUMP, &peers);
	/* Modules without quorum have no QUORUM_GET: no quorum gauges. */
	if (!err)
		err = genl_talk_optional(genl_msg_start(HEARTBEAT_CMD_QUORUM_GET,
							0),
					 collect_cb, &quorum);
	if (err == -EOPNOTSUPP)
		err = 0;
	/* The ages were taken moments ago: milliseconds at most. */
	clock_gettime(CLOCK_REALTIME, &now);
	genl_close();
	if (!err) {
		in.node = node.n ? node.msg[0] : NULL;
		in.stats = stats.n ? stats.msg[0] : NULL;
		in.quorum = quorum.n ? quorum.msg[0] : NULL;
		in.peers = peers.msg;
		in.npeers = peers.n;
		in.now_ns = (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec;
		read_module_version(module, sizeof(module));
		in.module_version = module;
		errno = 0;
		err = print_all(&in);
	}
	replies_free(&node);
	replies_free(&stats);
	replies_free(&peers);
	replies_free(&quorum);
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}
