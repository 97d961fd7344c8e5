// SPDX-License-Identifier: GPL-2.0-only
/* hbctl monitor: print peer and quorum events as the kernel multicasts them. */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
};

static volatile sig_atomic_t stop;

struct monitor {
	unsigned long count;	/* events printed */
	unsigned long limit;	/* 0: no limit */
	int err;		/* stdout failed */
};

static void monitor_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl monitor [ count COUNT ]\n"
		"       hbctl monitor help\n");
}

bool all_present(const struct nlattr **tb, const int *attrs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!tb[attrs[i]])
			return false;
	return true;
}

/* Text lines start with the wall clock time, as date +%s.%N prints it. */
void print_time(const struct nlattr *a)
{
	uint64_t ns = mnl_attr_get_u64(a);
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%09" PRIu64 " ",
		 ns / NSEC_PER_SEC, ns % NSEC_PER_SEC);
	print_string(PRINT_FP, NULL, "%s", buf);
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
	print_string(PRINT_JSON, "event", NULL, "peer-state");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_string(PRINT_JSON, "state", NULL, state);
	print_string(PRINT_ANY, "prev", " %s", prev);
	print_string(PRINT_FP, NULL, " -> %s", state);
	print_u64(PRINT_JSON, "time_ns", NULL,
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64(PRINT_JSON, "incarnation", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "peer-restart");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u restarted",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_u64(PRINT_JSON, "incarnation", NULL,
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	print_u64(PRINT_ANY, "prev_incarnation", " (incarnation %" PRIu64,
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_PREV_INCARNATION]));
	print_u64(PRINT_FP, NULL, " -> %" PRIu64 ")",
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_INCARNATION]));
	print_u64(PRINT_JSON, "time_ns", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "peer-expired");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "id", "peer %u expired",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_string(PRINT_ANY, "state", " (learned, %s)", state);
	print_u64(PRINT_JSON, "time_ns", NULL,
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64(PRINT_JSON, "incarnation", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "quorum");
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
	print_u64(PRINT_JSON, "time_ns", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "probe");
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
	print_u64(PRINT_JSON, "time_ns", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "degraded");
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
	print_u64(PRINT_JSON, "time_ns", NULL,
		  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	print_u64(PRINT_JSON, "incarnation", NULL,
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
	print_string(PRINT_JSON, "event", NULL, "fenced");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, "by", "fenced by %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PEER]));
	print_u64(PRINT_JSON, "time_ns", NULL,
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

/* Readers are often pipes: each event must reach them as it happens. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;

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

int do_monitor(int argc, char **argv)
{
	struct monitor m = {};
	uint32_t limit;
	bool has_count = false;
	int err;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!matches(argv[0], "count") && matches(argv[0], "help")) {
			monitor_usage(stdout);
			return HB_EXIT_OK;
		}
		if (!matches(argv[0], "count")) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
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
	}

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
