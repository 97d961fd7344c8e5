// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl peer probe: ping a peer through the kernel. Each probe is one
 * HEARTBEAT_CMD_PEER_PROBE; its answer, or its loss after a second, comes
 * back as a probe event on the "events" group, which a socket of its own
 * joins before the first probe goes out (so replies and events never mix).
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "ranges.h"
#include "refused.h"
#include "utils.h"

#define NSEC_PER_MSEC	UINT64_C(1000000)
#define NSEC_PER_USEC	UINT64_C(1000)
/* The kernel reports a loss after a second; wait a little longer. */
#define PROBE_WAIT_NS	(2500 * NSEC_PER_MSEC)
#define PROBE_COUNT_DEFAULT	3
#define PROBE_INTERVAL_DEFAULT_US	1000000

static const struct attr_policy probe_reply_policy[HEARTBEAT_A_PROBE_MAX + 1] = {
	[HEARTBEAT_A_PROBE_TOKEN] = { MNL_TYPE_U32 },
};

static const struct attr_policy probe_event_policy[HEARTBEAT_A_EVENT_MAX + 1] = {
	[HEARTBEAT_A_EVENT_TYPE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_EVENT_PEER] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_TIME_NS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_INCARNATION] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_PROBE_TOKEN] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_RTT_NS] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_EVENT_VIA] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_EVENT_IFINDEX] = { MNL_TYPE_U32 },
};

struct probe_run {
	uint32_t id;
	uint32_t *tokens;	/* of the probes sent */
	bool *done;
	unsigned int sent;
	unsigned int answered;
	unsigned int reported;
	uint64_t min_ns, max_ns, sum_ns;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds with three decimals, as ping prints them. */
static const char *format_ms(uint64_t ns, char *buf, size_t len)
{
	uint64_t us = (ns + NSEC_PER_USEC / 2) / NSEC_PER_USEC;

	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, us / 1000, us % 1000);
	return buf;
}

static int token_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_PROBE_MAX + 1];

	if (attr_parse_msg(nlh, tb, probe_reply_policy, HEARTBEAT_A_PROBE_MAX) ||
	    !tb[HEARTBEAT_A_PROBE_TOKEN])
		return MNL_CB_ERROR;
	*(uint32_t *)data = mnl_attr_get_u32(tb[HEARTBEAT_A_PROBE_TOKEN]);
	return MNL_CB_OK;
}

/* One line (or JSON object) per probe: answered, or lost. */
static void print_probe(struct probe_run *r, uint32_t token,
			const struct nlattr **tb)
{
	char dev[IF_NAMESIZE], ms[32];
	uint32_t via = 0;
	uint64_t rtt;

	open_json_object(NULL);
	print_u32(PRINT_JSON, "token", NULL, token);
	print_u32(PRINT_ANY, "id", "probe to %u", r->id);
	if (tb && tb[HEARTBEAT_A_EVENT_IFINDEX])
		print_string(PRINT_ANY, "dev", " via %s",
			     ifindex_to_dev(mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_IFINDEX]),
					    dev));
	if (tb && tb[HEARTBEAT_A_EVENT_VIA])
		via = mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_VIA]);
	if (via)
		print_u32(PRINT_ANY, "helper", " (relayed by %u)", via);
	if (tb && tb[HEARTBEAT_A_EVENT_RTT_NS]) {
		rtt = mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_RTT_NS]);
		print_u64(PRINT_JSON, "rtt_ns", NULL, rtt);
		print_string(PRINT_FP, NULL, ": rtt %s ms",
			     format_ms(rtt, ms, sizeof(ms)));
		r->answered++;
		r->sum_ns += rtt;
		if (!r->min_ns || rtt < r->min_ns)
			r->min_ns = rtt;
		if (rtt > r->max_ns)
			r->max_ns = rtt;
	} else {
		print_bool(PRINT_JSON, "timeout", NULL, true);
		print_string(PRINT_FP, NULL, "%s", ": timeout");
	}
	close_json_object();
	print_nl();
	fflush(stdout);
	r->reported++;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_EVENT_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct probe_run *r = data;
	uint32_t token;
	unsigned int i;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != HEARTBEAT_CMD_PEER_EVENT)
		return MNL_CB_OK;
	if (attr_parse_msg(nlh, tb, probe_event_policy, HEARTBEAT_A_EVENT_MAX) ||
	    !tb[HEARTBEAT_A_EVENT_TYPE] || !tb[HEARTBEAT_A_EVENT_PROBE_TOKEN] ||
	    mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_TYPE]) != HEARTBEAT_EVENT_PROBE)
		return MNL_CB_OK;
	token = mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_PROBE_TOKEN]);
	for (i = 0; i < r->sent; i++) {
		if (r->tokens[i] != token || r->done[i])
			continue;
		r->done[i] = true;
		print_probe(r, token, tb);
		break;
	}
	return MNL_CB_OK;
}

/* A socket of its own in the events group. */
static struct mnl_socket *events_open(void)
{
	struct mnl_socket *nl;
	uint32_t group;
	int err;

	if (genl_mcast_group_id(HEARTBEAT_MCGRP_EVENTS, &group)) {
		fprintf(stderr, "Error: the kernel has no \"%s\" group.\n",
			HEARTBEAT_MCGRP_EVENTS);
		return NULL;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		err = errno;
		fprintf(stderr, "Error: cannot listen to probe events: %s.\n",
			strerror(err));
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Read events until the deadline (monotonic ns) or a signal. */
static int events_until(struct mnl_socket *nl, struct probe_run *r,
			uint64_t deadline, bool all)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	struct timespec ts;
	uint64_t now;
	ssize_t n;

	while (!stop && (!all || r->reported < r->sent)) {
		now = now_ns();
		if (now >= deadline)
			break;
		ts.tv_sec = (deadline - now) / 1000000000;
		ts.tv_nsec = (deadline - now) % 1000000000;
		if (ppoll(&pfd, 1, &ts, NULL) <= 0)
			continue;
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == ENOBUFS))
			continue;
		if (n < 0)
			return -errno;
		mnl_cb_run(buf, n, 0, 0, event_cb, r);
	}
	return 0;
}

static int probe_send(struct probe_run *r, uint32_t ifindex)
{
	char dev[IF_NAMESIZE];
	struct nlmsghdr *nlh;
	uint32_t token = 0;
	int err;

	nlh = genl_msg_start(HEARTBEAT_CMD_PEER_PROBE, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PROBE_PEER, r->id);
	refused_note_u32(HEARTBEAT_A_PROBE_PEER, "id", r->id);
	if (ifindex) {
		mnl_attr_put_u32(nlh, HEARTBEAT_A_PROBE_IFINDEX, ifindex);
		refused_note(HEARTBEAT_A_PROBE_IFINDEX, "dev",
			     ifindex_to_dev(ifindex, dev));
	}
	err = genl_talk(nlh, token_cb, &token);
	if (err)
		return err;
	r->tokens[r->sent++] = token;
	return 0;
}

static void print_summary(const struct probe_run *r)
{
	unsigned int lost = r->sent - r->answered;
	char a[32], b[32], c[32], line[128];

	open_json_object("summary");
	print_u32(PRINT_ANY, "sent", "%u probes", r->sent);
	print_u32(PRINT_ANY, "answered", ", %u answered", r->answered);
	print_u32(PRINT_ANY, "loss_pct", ", %u%% loss",
		  r->sent ? (lost * 100 + r->sent / 2) / r->sent : 0);
	if (r->answered) {
		print_u64(PRINT_JSON, "rtt_min_ns", NULL, r->min_ns);
		print_u64(PRINT_JSON, "rtt_mean_ns", NULL,
			  r->sum_ns / r->answered);
		print_u64(PRINT_JSON, "rtt_max_ns", NULL, r->max_ns);
		format_ms(r->min_ns, a, sizeof(a));
		format_ms(r->sum_ns / r->answered, b, sizeof(b));
		format_ms(r->max_ns, c, sizeof(c));
		snprintf(line, sizeof(line), ", rtt min/mean/max = %s/%s/%s ms",
			 a, b, c);
		print_string(PRINT_FP, NULL, "%s", line);
	}
	close_json_object();
	print_nl();
}

enum probe_arg { ARG_ID, ARG_COUNT, ARG_DEV, ARG_INTERVAL, __ARG_MAX };

static const char *const probe_keys[__ARG_MAX] = {
	[ARG_ID] = "id",
	[ARG_COUNT] = "count",
	[ARG_DEV] = "dev",
	[ARG_INTERVAL] = "interval",
};

struct probe_args {
	uint32_t id;
	uint32_t count;
	uint32_t ifindex;
	uint32_t interval_us;
	bool given[__ARG_MAX];
};

static void probe_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl peer probe id ID [ count COUNT ] [ dev IFNAME ]\n"
		"                        [ interval DURATION ]\n");
}

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct probe_args *a = ctx;

	switch (k) {
	case ARG_ID:
		return parse_range(&range_peer_id, arg, &a->id);
	case ARG_COUNT:
		return parse_range(&range_probe_count, arg, &a->count);
	case ARG_DEV:
		return dev_to_ifindex(arg, &a->ifindex);
	default:
		return parse_range(&range_probe_interval, arg, &a->interval_us);
	}
}

static int probe_run(struct mnl_socket *ev, struct probe_run *r,
		     const struct probe_args *a)
{
	uint64_t next = now_ns();
	unsigned int i;
	int err = 0;

	for (i = 0; i < a->count && !stop; i++) {
		err = probe_send(r, a->ifindex);
		if (err)
			break;
		/* A refused first probe prints nothing but the error. */
		if (!i) {
			open_json_object(NULL);
			open_json_array("probes");
		}
		next += (uint64_t)a->interval_us * NSEC_PER_USEC;
		if (i + 1 < a->count)
			events_until(ev, r, next, false);
	}
	if (!r->sent)
		return err;
	/* The last answers, or the kernel's word that they were lost. */
	events_until(ev, r, now_ns() + PROBE_WAIT_NS, true);
	for (i = 0; i < r->sent; i++)
		if (!r->done[i])
			print_probe(r, r->tokens[i], NULL);
	close_json_array();
	print_summary(r);
	close_json_object();
	return err;
}

int peer_probe(int argc, char **argv)
{
	const struct keywords kw = {
		.keys = probe_keys,
		.nkeys = __ARG_MAX,
		.one = parse_one,
		.usage = probe_usage,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct probe_args a = {
		.count = PROBE_COUNT_DEFAULT,
		.interval_us = PROBE_INTERVAL_DEFAULT_US,
	};
	struct probe_run r = {};
	struct mnl_socket *ev;
	int ret;

	ret = parse_keywords(&kw, argc, argv, a.given, &a);
	if (ret >= 0)
		return ret;
	if (!a.given[ARG_ID]) {
		missarg("id");
		return HB_EXIT_USAGE;
	}
	r.id = a.id;
	r.tokens = calloc(a.count, sizeof(*r.tokens));
	r.done = calloc(a.count, sizeof(*r.done));
	if (!r.tokens || !r.done) {
		fprintf(stderr, "Error: out of memory.\n");
		ret = HB_EXIT_KERNEL;
		goto out;
	}
	if (genl_open()) {
		ret = HB_EXIT_KERNEL;
		goto out;
	}
	ev = events_open();
	if (!ev) {
		genl_close();
		ret = HB_EXIT_KERNEL;
		goto out;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = probe_run(ev, &r, &a);
	mnl_socket_close(ev);
	genl_close();
	/* Like ping: failure when nothing answered. */
	ret = ret || !r.answered ? HB_EXIT_KERNEL : HB_EXIT_OK;
out:
	free(r.tokens);
	free(r.done);
	return ret;
}

/* Microseconds as milliseconds with three decimals. */
static const char *format_us_ms(uint32_t us, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%03u", us / 1000, us % 1000);
	return buf;
}

/*
 * Round trips of a peer or a path (tb of HEARTBEAT_A_PEER_*), if probes
 * measured any: "  rtt min/mean/p99 a/b/c ms" and JSON "rtt_us".
 */
void print_rtt(const struct nlattr *const *tb)
{
	const struct nlattr *min = tb[HEARTBEAT_A_PEER_RTT_MIN_US];
	const struct nlattr *mean = tb[HEARTBEAT_A_PEER_RTT_MEAN_US];
	const struct nlattr *p99 = tb[HEARTBEAT_A_PEER_RTT_P99_US];
	const struct nlattr *n = tb[HEARTBEAT_A_PEER_RTT_SAMPLES];
	char a[16], b[16], c[16], line[96];

	if (!min || !mean || !p99 || !n)
		return;
	open_json_object("rtt_us");
	print_u32(PRINT_JSON, "min", NULL, mnl_attr_get_u32(min));
	print_u32(PRINT_JSON, "mean", NULL, mnl_attr_get_u32(mean));
	print_u32(PRINT_JSON, "p99", NULL, mnl_attr_get_u32(p99));
	print_u32(PRINT_JSON, "samples", NULL, mnl_attr_get_u32(n));
	close_json_object();
	snprintf(line, sizeof(line), "  rtt min/mean/p99 %s/%s/%s ms",
		 format_us_ms(mnl_attr_get_u32(min), a, sizeof(a)),
		 format_us_ms(mnl_attr_get_u32(mean), b, sizeof(b)),
		 format_us_ms(mnl_attr_get_u32(p99), c, sizeof(c)));
	print_string(PRINT_FP, NULL, "%s", line);
}
