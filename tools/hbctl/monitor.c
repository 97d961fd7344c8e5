// SPDX-License-Identifier: GPL-2.0-only
/* hbctl monitor: print peer and quorum events as the kernel multicasts them. */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "utils.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

static const struct attr_policy event_policy[HEARTBEAT_A_EVENT_MAX + 1] = {
	[HEARTBEAT_A_EVENT_TYPE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_PEER] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_PREV_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_TIME_NS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_INCARNATION] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_PREV_INCARNATION] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_PHI] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_QUORATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_VOTES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_EXPECTED_VOTES] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_CONSENSUS] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_PROBE_TOKEN] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_RTT_NS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_VIA] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_IFINDEX] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_LINKS_UP] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_LINKS] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_CHANNEL] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_CHANNEL_NAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_EVENT_CHANNEL_UP] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_DYING] = { MNL_TYPE_U8 },
	/* readiness (app.c) */
	[HEARTBEAT_A_EVENT_READY] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_APP_NAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_EVENT_APP_ACTION] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_NODE_READY] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_SILENT] = { MNL_TYPE_U8 },
	/* changes to this node (monitor_local.c) */
	[HEARTBEAT_A_EVENT_SEQ] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_ACTION] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_IFNAME] = { MNL_TYPE_NUL_STRING },
	[HEARTBEAT_A_EVENT_LINK_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_KEY_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_DROPS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_EVENT_PERIOD_NS] = { MNL_TYPE_U64 },
};

static volatile sig_atomic_t stop;
static bool human_time;

/* What "hbctl monitor OBJECT..." follows: bits of struct monitor.objects. */
enum {
	MON_PEER	= 1 << 0,
	MON_LINK	= 1 << 1,
	MON_NODE	= 1 << 2,
	MON_KEY		= 1 << 3,
	MON_QUORUM	= 1 << 4,
	MON_APP		= 1 << 5,
	MON_DROPS	= 1 << 6,
	MON_ALL		= (1 << 7) - 1,
};

static const struct {
	const char *name;
	unsigned int bit;
} monitor_objects[] = {
	{ "peer", MON_PEER }, { "link", MON_LINK }, { "node", MON_NODE },
	{ "key", MON_KEY }, { "quorum", MON_QUORUM }, { "app", MON_APP },
	{ "drops", MON_DROPS }, { "all", MON_ALL },
};

struct monitor {
	unsigned long count;	/* events printed */
	unsigned long limit;	/* 0: no limit */
	unsigned int objects;	/* MON_* */
	bool one_peer;		/* peer id ID: only that peer's events */
	uint32_t peer;
	uint64_t seq;		/* of the latest event, 0: none yet */
	int err;		/* stdout failed */
};

static void monitor_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl monitor [ all | OBJECT-LIST ] [ count COUNT ]\n"
		"       hbctl monitor help\n"
		"where  OBJECT-LIST := OBJECT [ OBJECT-LIST ]\n"
		"       OBJECT := { peer [ id ID ] | link | node | key | quorum | app | drops }\n");
}

/* The object an event is about; 0 for kinds newer than this hbctl. */
static unsigned int event_object(uint8_t type)
{
	switch (type) {
	case HEARTBEAT_EVENT_PEER_STATE:
	case HEARTBEAT_EVENT_PEER_RESTART:
	case HEARTBEAT_EVENT_PEER_EXPIRED:
	case HEARTBEAT_EVENT_PROBE:
	case HEARTBEAT_EVENT_DEGRADED:
	case HEARTBEAT_EVENT_PEER_READY:
		return MON_PEER;
	case HEARTBEAT_EVENT_QUORUM:
		return MON_QUORUM;
	case HEARTBEAT_EVENT_APP:
		return MON_APP;
	case HEARTBEAT_EVENT_FENCED:
	case HEARTBEAT_EVENT_NODE:
		return MON_NODE;
	case HEARTBEAT_EVENT_LINK:
		return MON_LINK;
	case HEARTBEAT_EVENT_KEY:
		return MON_KEY;
	case HEARTBEAT_EVENT_DROPS:
		return MON_DROPS;
	}
	return 0;
}

void monitor_timestamps(bool human)
{
	human_time = human;
}

bool all_present(const struct nlattr **tb, const int *attrs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!tb[attrs[i]])
			return false;
	return true;
}

/*
 * "event" first, then the event's number in the namespace's count, when
 * the kernel sends one.
 */
void print_event_head(const struct nlattr **tb, const char *event)
{
	print_string(PRINT_JSON, "event", NULL, event);
	if (tb[HEARTBEAT_A_EVENT_SEQ])
		print_u64(PRINT_JSON, "seq", NULL,
			  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_SEQ]));
}

/* Local time to the microsecond, as "ip -ts monitor" shows it. */
static void format_human_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = ns / NSEC_PER_SEC;
	struct tm tm;
	size_t n;

	if (!localtime_r(&sec, &tm) ||
	    !(n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, len, "%" PRIu64, ns / NSEC_PER_SEC);
		return;
	}
	snprintf(buf + n, len - n, ".%06" PRIu64,
		 ns % NSEC_PER_SEC / 1000);
}

/*
 * Text lines start with the wall clock time, as date +%s.%N prints it, or
 * with -ts as "[2026-12-08T10:02:03.123456]"; JSON has time_ns, and with
 * -ts "timestamp" too.
 */
static void print_time_ns(uint64_t ns)
{
	char buf[64];

	if (!human_time) {
		snprintf(buf, sizeof(buf), "%" PRIu64 ".%09" PRIu64 " ",
			 ns / NSEC_PER_SEC, ns % NSEC_PER_SEC);
		print_string(PRINT_FP, NULL, "%s", buf);
		return;
	}
	format_human_time(ns, buf, sizeof(buf));
	print_string(PRINT_FP, NULL, "[%s] ", buf);
	print_string(PRINT_JSON, "timestamp", NULL, buf);
}

void print_time(const struct nlattr *a)
{
	print_time_ns(mnl_attr_get_u64(a));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Events the monitor missed: "lost 3 events" when the kernel's count
 * skipped (no memory for them, or they overran our socket), "lost events"
 * when our socket overran and how many is not known yet. Whatever the
 * filters, so that a consumer knows to read the state again.
 */
static void print_lost(struct monitor *m, uint64_t count)
{
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "lost");
	print_time_ns(now_ns());
	if (count) {
		print_string(PRINT_JSON, "reason", NULL, "gap");
		print_u64(PRINT_ANY, "count", "lost %" PRIu64 " events", count);
		print_u64(PRINT_JSON, "after_seq", NULL, m->seq);
	} else {
		print_string(PRINT_JSON, "reason", NULL, "overrun");
		print_string(PRINT_FP, NULL, "%s",
			     "lost events: the socket buffer overran");
	}
	close_json_object();
	print_nl();
}

/*
 * With quorum set, a peer's verdict says whether our partition was
 * quorate and whether the verdict is the quorate partition's consensus.
 * JSON has both as booleans; text only what is worth a look: "quorate
 * no", "consensus".
 */
static void print_quorum_verdict(const struct nlattr **tb)
{
	const struct nlattr *quorate = tb[HEARTBEAT_A_EVENT_QUORATE];
	const struct nlattr *consensus = tb[HEARTBEAT_A_EVENT_CONSENSUS];

	if (quorate) {
		print_bool(PRINT_JSON, "quorate", NULL,
			   mnl_attr_get_u8(quorate));
		if (!mnl_attr_get_u8(quorate))
			print_string(PRINT_FP, NULL, "%s", "  quorate no");
	}
	if (consensus) {
		print_bool(PRINT_JSON, "consensus", NULL,
			   mnl_attr_get_u8(consensus));
		if (mnl_attr_get_u8(consensus))
			print_string(PRINT_FP, NULL, "%s", "  consensus");
	}
}

static bool print_state_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_STATE,
		HEARTBEAT_A_EVENT_PREV_STATE, HEARTBEAT_A_EVENT_TIME_NS,
		HEARTBEAT_A_EVENT_INCARNATION,
	};
	char sbuf[16], pbuf[16];
	const char *state, *prev;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	state = peer_state_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_STATE]),
				sbuf, sizeof(sbuf));
	prev = peer_state_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_PREV_STATE]),
			       pbuf, sizeof(pbuf));

	open_json_object(NULL);
	print_event_head(tb, "peer-state");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_string(PRINT_JSON, "state", NULL, state);
	print_string(PRINT_ANY, "prev", " %s", prev);
	print_string(PRINT_FP, NULL, " -> %s", state);
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64_exact(PRINT_JSON, "incarnation", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	/* Last, so readers of the older members see no change. */
	if (tb[HEARTBEAT_A_EVENT_PHI])
		print_phi(tb[HEARTBEAT_A_EVENT_PHI], "  phi %s");
	print_quorum_verdict(tb);
	if (tb[HEARTBEAT_A_EVENT_DYING])
		print_string(PRINT_ANY, "last_words", "  last-words %s",
			     dying_reason_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_DYING]),
					       sbuf, sizeof(sbuf)));
	close_json_object();
	print_nl();
	return true;
}

static bool print_restart_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_TIME_NS,
		HEARTBEAT_A_EVENT_INCARNATION,
		HEARTBEAT_A_EVENT_PREV_INCARNATION,
	};

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	open_json_object(NULL);
	print_event_head(tb, "peer-restart");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u restarted",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_u64_exact(PRINT_JSON, "incarnation", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	print_u64_exact(PRINT_ANY, "prev_incarnation", " (incarnation %" PRIu64,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_PREV_INCARNATION]));
	print_u64(PRINT_FP, NULL, " -> %" PRIu64 ")",
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/* A learned peer forgotten after learn-expire, in the state it had. */
static bool print_expired_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_STATE,
		HEARTBEAT_A_EVENT_TIME_NS, HEARTBEAT_A_EVENT_INCARNATION,
	};
	char sbuf[16];
	const char *state;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	state = peer_state_name(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_STATE]),
				sbuf, sizeof(sbuf));
	open_json_object(NULL);
	print_event_head(tb, "peer-expired");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u expired",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_string(PRINT_ANY, "state", " (learned, %s)", state);
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64_exact(PRINT_JSON, "incarnation", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	close_json_object();
	print_nl();
	return true;
}

/*
 * Quorum gained or lost, or the votes changed: "quorum: quorate yes votes
 * 3/5"; expected votes 0 is quorum turned off, "quorum: off votes 3".
 */
static bool print_quorum_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_QUORATE, HEARTBEAT_A_EVENT_VOTES,
		HEARTBEAT_A_EVENT_EXPECTED_VOTES, HEARTBEAT_A_EVENT_TIME_NS,
	};
	uint32_t expected;
	bool quorate;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	quorate = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_QUORATE]);
	expected = mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_EXPECTED_VOTES]);
	open_json_object(NULL);
	print_event_head(tb, "quorum");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_bool(PRINT_JSON, "quorate", NULL, quorate);
	if (expected)
		print_string(PRINT_FP, NULL, "quorum: quorate %s",
			     quorate ? "yes" : "no");
	else
		print_string(PRINT_FP, NULL, "%s", "quorum: off");
	print_u32(PRINT_ANY, "votes", " votes %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_VOTES]));
	print_u32(PRINT_JSON, "expected_votes", NULL, expected);
	if (expected)
		print_u32(PRINT_FP, NULL, "/%u", expected);
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/*
 * A probe of this node answered - "probe 3: rtt 245us via 2" (relayed by
 * member 2) - or lost: "probe 3: timeout". Any probe of the namespace,
 * whoever asked for it (hbctl peer probe, a suspect peer).
 */
static bool print_probe_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_PROBE_TOKEN,
		HEARTBEAT_A_EVENT_TIME_NS,
	};
	uint32_t via = 0;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	if (tb[HEARTBEAT_A_EVENT_VIA])
		via = mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_VIA]);
	open_json_object(NULL);
	print_event_head(tb, "probe");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "probe %u:",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_u32(PRINT_JSON, "token", NULL,
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PROBE_TOKEN]));
	print_bool(PRINT_JSON, "lost", NULL, !tb[HEARTBEAT_A_EVENT_RTT_NS]);
	if (tb[HEARTBEAT_A_EVENT_RTT_NS])
		print_duration_ns(PRINT_ANY, "rtt_ns", " rtt %s",
				  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_RTT_NS]));
	else
		print_string(PRINT_FP, NULL, "%s", " timeout");
	if (via)
		print_u32(PRINT_FP, NULL, " via %u", via);
	print_u32(PRINT_JSON, "via", NULL, via);
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/*
 * A channel of a live peer died or came back: "peer 2 degraded: eth1 down,
 * links 1/2" (or "eth1 up, links 2/2").
 */
static bool print_degraded_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_TIME_NS,
		HEARTBEAT_A_EVENT_LINKS_UP, HEARTBEAT_A_EVENT_LINKS,
		HEARTBEAT_A_EVENT_CHANNEL_NAME, HEARTBEAT_A_EVENT_CHANNEL_UP,
		HEARTBEAT_A_EVENT_INCARNATION,
	};
	bool up;

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	up = mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_CHANNEL_UP]);
	open_json_object(NULL);
	print_event_head(tb, "degraded");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u degraded:",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_string(PRINT_ANY, "link", " %s",
		     mnl_attr_get_str(tb[HEARTBEAT_A_EVENT_CHANNEL_NAME]));
	print_string(PRINT_ANY, "link_state", " %s", up ? "up" : "down");
	print_u32(PRINT_ANY, "links_up", ", links %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_LINKS_UP]));
	print_u32(PRINT_ANY, "links", "/%u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_LINKS]));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64_exact(PRINT_JSON, "incarnation", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	close_json_object();
	print_nl();
	return true;
}

/* This node obeyed a poison pill: "fenced by 1", it sends nothing more. */
static bool print_fenced_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_PEER, HEARTBEAT_A_EVENT_TIME_NS,
	};

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	open_json_object(NULL);
	print_event_head(tb, "fenced");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "by", "fenced by %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/*
 * A broken event is reported on stderr and skipped: one bad message must
 * not end a monitor that scripts rely on.
 */
int monitor_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_EVENT_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	unsigned long *count = data;
	bool ok;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != HEARTBEAT_CMD_PEER_EVENT)
		return MNL_CB_OK;
	if (attr_parse_msg(nlh, tb, event_policy, HEARTBEAT_A_EVENT_MAX) ||
	    !tb[HEARTBEAT_A_EVENT_TYPE]) {
		fprintf(stderr, "Warning: malformed event ignored.\n");
		return MNL_CB_OK;
	}
	switch (mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_TYPE])) {
	case HEARTBEAT_EVENT_PEER_STATE:
		ok = print_state_event(tb);
		break;
	case HEARTBEAT_EVENT_PEER_RESTART:
		ok = print_restart_event(tb);
		break;
	case HEARTBEAT_EVENT_PEER_EXPIRED:
		ok = print_expired_event(tb);
		break;
	case HEARTBEAT_EVENT_QUORUM:
		ok = print_quorum_event(tb);
		break;
	case HEARTBEAT_EVENT_PROBE:
		ok = print_probe_event(tb);
		break;
	case HEARTBEAT_EVENT_DEGRADED:
		ok = print_degraded_event(tb);
		break;
	case HEARTBEAT_EVENT_PEER_READY:
		ok = print_ready_event(tb);
		break;
	case HEARTBEAT_EVENT_APP:
		ok = print_app_event(tb);
		break;
	case HEARTBEAT_EVENT_FENCED:
		ok = print_fenced_event(tb);
		break;
	case HEARTBEAT_EVENT_LINK:
		ok = print_link_event(tb);
		break;
	case HEARTBEAT_EVENT_NODE:
		ok = print_node_event(tb);
		break;
	case HEARTBEAT_EVENT_KEY:
		ok = print_key_event(tb);
		break;
	case HEARTBEAT_EVENT_DROPS:
		ok = print_drops_event(tb);
		break;
	default:
		/* A kind of event newer than this hbctl. */
		return MNL_CB_OK;
	}
	if (!ok)
		fprintf(stderr, "Warning: incomplete event ignored.\n");
	else if (count)
		(*count)++;
	return MNL_CB_OK;
}

/*
 * A gap in the kernel's count is reported before the event after it; a
 * smaller number is a new count (the module was loaded again).
 */
static void check_seq(struct monitor *m, const struct nlattr **tb)
{
	uint64_t seq;

	if (!tb[HEARTBEAT_A_EVENT_SEQ])
		return;
	seq = mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_SEQ]);
	if (m->seq && seq > m->seq + 1)
		print_lost(m, seq - m->seq - 1);
	m->seq = seq;
}

static bool wanted(const struct monitor *m, const struct nlattr **tb)
{
	unsigned int object;

	if (!tb[HEARTBEAT_A_EVENT_TYPE])
		return true;	/* monitor_event_cb() says what is wrong */
	object = event_object(mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_TYPE]));
	if (!(m->objects & object))
		return false;
	return !(object == MON_PEER && m->one_peer) ||
	       (tb[HEARTBEAT_A_EVENT_PEER] &&
		mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]) == m->peer);
}

/* Readers are often pipes: each event must reach them as it happens. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_EVENT_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct monitor *m = data;

	if (mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN &&
	    genl->cmd == HEARTBEAT_CMD_PEER_EVENT &&
	    !attr_parse_msg(nlh, tb, event_policy, HEARTBEAT_A_EVENT_MAX)) {
		check_seq(m, tb);
		if (!wanted(m, tb))
			return MNL_CB_OK;
	}
	monitor_event_cb(nlh, &m->count);
	if (fflush(stdout) == EOF) {
		m->err = errno;
		return MNL_CB_STOP;
	}
	if (m->limit && m->count >= m->limit)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM stay blocked except inside ppoll(), so one that
 * arrives between the check of @stop and the wait cannot be missed.
 */
static int listen_events(struct monitor *m)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd = {
		.fd = mnl_socket_get_fd(genl_socket()),
		.events = POLLIN,
	};
	sigset_t block, wait_mask;
	int ret = 0, err;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			fprintf(stderr, "Error: cannot wait for events: %s.\n",
				strerror(err));
			return -err;
		}
		ret = genl_recv_notify(event_cb, m);
		if (ret == -ENOBUFS) {
			print_lost(m, 0);
			ret = fflush(stdout) == EOF ? -errno : 0;
		}
		if (ret)
			break;
	}
	if (m->err) {
		fprintf(stderr, "Error: cannot write events: %s.\n",
			strerror(m->err));
		return -m->err;
	}
	return ret < 0 ? ret : 0;
}

/* OBJECT [ id ID ]: adds to m->objects; returns the words it used, or -1. */
static int parse_object(struct monitor *m, int argc, char **argv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(monitor_objects); i++)
		if (matches(argv[0], monitor_objects[i].name))
			break;
	if (i == ARRAY_SIZE(monitor_objects)) {
		invkeyword(argv[0]);
		return -1;
	}
	m->objects |= monitor_objects[i].bit;
	if (monitor_objects[i].bit != MON_PEER || argc < 2 ||
	    !matches(argv[1], "id"))
		return 1;
	if (argc < 3) {
		missarg("id");
		return -1;
	}
	if (m->one_peer) {
		invarg(argv[2], "only one peer id can be followed");
		return -1;
	}
	if (parse_u32(argv[2], &m->peer) || !m->peer) {
		invarg(argv[2], "id needs a node id from 1 to 4294967295");
		return -1;
	}
	m->one_peer = true;
	return 3;
}

int do_monitor(int argc, char **argv)
{
	struct monitor m = {};
	uint32_t limit;
	bool has_count = false;
	int err, used;

	while (argc > 0) {
		if (!matches(argv[0], "count") && matches(argv[0], "help")) {
			monitor_usage(stdout);
			return HB_EXIT_OK;
		}
		if (!matches(argv[0], "count")) {
			used = parse_object(&m, argc, argv);
			if (used < 0)
				return HB_EXIT_USAGE;
			argc -= used;
			argv += used;
			continue;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		if (has_count) {
			invarg(argv[1], "count given twice");
			return HB_EXIT_USAGE;
		}
		err = parse_u32(argv[1], &limit);
		if (err || !limit) {
			invarg(argv[1], "count needs a number from 1 to 4294967295");
			return HB_EXIT_USAGE;
		}
		m.limit = limit;
		has_count = true;
		argc -= 2;
		argv += 2;
	}
	if (!m.objects)
		m.objects = MON_ALL;

	/* One object per line is what a stream reader can split on. */
	print_init(stdout, is_json_context(), false);
	if (genl_open())
		return HB_EXIT_KERNEL;
	err = genl_mcast_join(HEARTBEAT_MCGRP_EVENTS);
	if (!err)
		err = listen_events(&m);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}
