// SPDX-License-Identifier: GPL-2.0-only
/* "hbctl stats" output for fake kernel replies; no kernel needed. */
#include <errno.h>

#include "kselftest_harness.h"

#include "capture.h"
#include "hbctl.h"
#include "prom_replies.h"
#include "version.h"

FIXTURE(stats)
{
	struct capture c;
	char msg[REPLY_BUFSZ] __attribute__((aligned(4)));
};

FIXTURE_SETUP(stats)
{
	memset(&self->c, 0, sizeof(self->c));
	memset(self->msg, 0, sizeof(self->msg));
}

FIXTURE_TEARDOWN(stats)
{
	capture_end(&self->c);
}

static const char *show(FIXTURE_DATA(stats) *self, bool json,
			const struct nlmsghdr *nlh, int *ret)
{
	capture_start(&self->c, json, false);
	errno = 0;
	*ret = stats_show_cb(nlh, NULL);
	return capture_text(&self->c);
}

TEST_F(stats, text)
{
	int ret;

	ASSERT_STREQ("tx 1234  rx 5678\n"
		     "drops  short 0  magic 0  version 0  length 0  type 0"
		     "  field 0  tlv 0  cluster 42\n"
		     "       own_id 0  no_id 0  unbound 0  unknown_peer 0"
		     "  peer_limit 0  stale_seq 0\n"
		     "       old_incarnation 0  nomem 1  unsigned 0  key 0"
		     "  bad_mac 0  learn_rate 0\n"
		     "       unconfirmed 0  probe_limit 0  reason_40 7\n"
		     "link eth0  id 1  tx 1234  errors 0  skipped 0"
		     "  overruns 0  late_max 35us\n"
		     "  late  <1us 10  1-2us 5  2-4us 7  >=1048576us 2\n",
		     show(self, false, stats_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, json)
{
	char want[4096], *p = want, *end = want + sizeof(want);
	unsigned int b;
	int ret;

	p += snprintf(p, end - p, "%s",
		      "{\"tx\":1234,\"rx\":5678,\"drops\":{\"short\":0,"
		      "\"magic\":0,\"version\":0,\"length\":0,\"type\":0,"
		      "\"field\":0,\"tlv\":0,\"cluster\":42,\"own_id\":0,"
		      "\"no_id\":0,\"unbound\":0,\"unknown_peer\":0,"
		      "\"peer_limit\":0,\"stale_seq\":0,"
		      "\"old_incarnation\":0,\"nomem\":1,\"unsigned\":0,"
		      "\"key\":0,\"bad_mac\":0,\"learn_rate\":0,\"unconfirmed\":0,"
		      "\"probe_limit\":0,\"reason_40\":7},"
		      "\"links\":[{\"dev\":\"eth0\",\"ifindex\":3,\"id\":1,"
		      "\"mode\":\"multicast\",\"up\":true,\"tx\":1234,"
		      "\"tx_errors\":0,\"tx_skipped\":0,\"tx_overruns\":0,"
		      "\"late_max_ns\":35000,\"late_hist\":[");
	p += snprintf(p, end - p, "{\"lt_us\":1,\"count\":10},"
		      "{\"lt_us\":2,\"count\":5},{\"lt_us\":4,\"count\":7},");
	for (b = 3; b < HEARTBEAT_LATE_BUCKETS - 1; b++)
		p += snprintf(p, end - p, "{\"lt_us\":%u,\"count\":0},", 1U << b);
	snprintf(p, end - p, "%s", "{\"lt_us\":null,\"count\":2}]}]}\n");
	/* The last bounded bucket ends at 2^20 us. */
	ASSERT_NE(NULL, strstr(want, "{\"lt_us\":1048576,\"count\":0},"
			       "{\"lt_us\":null"));

	ASSERT_STREQ(want, show(self, true, stats_reply(self->msg), &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Known reasons the kernel did not send still print, as zero. */
TEST_F(stats, sparse)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *drops, *links, *link, *hist;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 5);
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	mnl_attr_put(nlh, HEARTBEAT_DROP_UNSPEC, 0, NULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_DROP_STALE_SEQ, 12345678901ULL);
	mnl_attr_put_u64(nlh, HEARTBEAT_DROP_BAD_MAC, 3);
	mnl_attr_nest_end(nlh, drops);
	links = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_LINKS);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, "eth1");
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_LATE_MAX_NS, 850);
	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_LINK_LATE_HIST);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, link);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_strz(nlh, HEARTBEAT_A_LINK_IFNAME, "eth2");
	mnl_attr_put_u64(nlh, HEARTBEAT_A_LINK_TX, 1);
	mnl_attr_nest_end(nlh, link);
	mnl_attr_nest_end(nlh, links);

	ASSERT_STREQ("rx 5\n"
		     "drops  short 0  magic 0  version 0  length 0  type 0"
		     "  field 0  tlv 0  cluster 0\n"
		     "       own_id 0  no_id 0  unbound 0  unknown_peer 0"
		     "  peer_limit 0\n"
		     "       stale_seq 12345678901  old_incarnation 0"
		     "  nomem 0  unsigned 0  key 0\n"
		     "       bad_mac 3  learn_rate 0  unconfirmed 0  probe_limit 0\n"
		     "link eth1  late_max 850ns\n"
		     "  late  -\n"
		     "link eth2  tx 1\n",
		     show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, empty)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 0);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_RX, 0);
	ASSERT_STREQ("tx 0  rx 0\n", show(self, false, nlh, &ret));
	ASSERT_STREQ("{\"tx\":0,\"rx\":0,\"links\":[]}\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, bad_drop)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *drops;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	mnl_attr_put_u32(nlh, HEARTBEAT_DROP_SHORT, 1);
	mnl_attr_nest_end(nlh, drops);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

TEST_F(stats, bad_link)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *links, *link;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	links = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_LINKS);
	link = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_LINK_TX, 1);
	mnl_attr_nest_end(nlh, link);
	mnl_attr_nest_end(nlh, links);
	ASSERT_STREQ("", show(self, false, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
}

/* The counters of newer kernels: one more text line, more JSON members. */
TEST_F(stats, new_counters)
{
	char want[4096], *p = want, *end = want + sizeof(want);
	const char *out;
	unsigned int b;
	int ret;

	static const char *const text = "tx 1234  rx 5678  deferred 3\n"
		"uevents 12  uevents_lost 1  uevent_seq 57  detect_count 5"
		"  peers_expired 4  detect_sum 300.0035s\n"
		"drops  short 0";

	out = show(self, false, stats_reply_new(self->msg), &ret);
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_EQ(0, strncmp(text, out, strlen(text))) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "link e\"1\\\nz  id 2  tx 1234"));

	p += snprintf(p, end - p, "%s",
		      "{\"tx\":1234,\"rx\":5678,\"deferred\":3,"
		      "\"uevents\":12,\"uevents_lost\":1,\"uevent_seq\":57,"
		      "\"detect_count\":5,\"peers_expired\":4,"
		      "\"detect_sum_us\":300003500,"
		      "\"detect_hist\":[{\"lt_ms\":1,\"count\":0},"
		      "{\"lt_ms\":2,\"count\":1},{\"lt_ms\":4,\"count\":1},");
	for (b = 3; b < HEARTBEAT_DETECT_BUCKETS - 1; b++)
		p += snprintf(p, end - p, "{\"lt_ms\":%u,\"count\":%u},",
			      1U << b, b == 10 ? 2 : 0);
	snprintf(p, end - p, "%s", "{\"lt_ms\":null,\"count\":1}],"
		 "\"drops\":{");
	out = show(self, true, stats_reply_new(self->msg), &ret);
	ASSERT_EQ(MNL_CB_OK, ret);
	ASSERT_EQ(0, strncmp(want, out, strlen(want))) TH_LOG("%s", out);
	/* The last bounded bucket ends at 2^18 ms. */
	ASSERT_NE(NULL, strstr(want, "{\"lt_ms\":262144,\"count\":0},"
			       "{\"lt_ms\":null"));
}

/* Any of them alone; a sum beyond format_duration()'s 32 bits. */
TEST_F(stats, new_counters_alone)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_DETECT_SUM_US, 5000000000ULL);
	ASSERT_STREQ("tx 1\ndetect_sum 5000000000us\n",
		     show(self, false, nlh, &ret));
	ASSERT_STREQ("{\"tx\":1,\"detect_sum_us\":5000000000,\"links\":[]}\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

/* Gossip entries sent and merged, on the line of the event counters. */
TEST_F(stats, gossip)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_UEVENTS, 2);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_GOSSIP_TX, 640);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_GOSSIP_RX, 320);
	ASSERT_STREQ("tx 1\nuevents 2  gossip_tx 640  gossip_rx 320\n",
		     show(self, false, nlh, &ret));
	ASSERT_STREQ("{\"tx\":1,\"uevents\":2,\"gossip_tx\":640,"
		     "\"gossip_rx\":320,\"links\":[]}\n",
		     show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_OK, ret);
}

TEST_F(stats, bad_detect_hist)
{
	struct nlmsghdr *nlh = reply_start(self->msg, HEARTBEAT_CMD_STATS_GET);
	struct nlattr *hist;
	int ret;

	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_TX, 1);
	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DETECT_HIST);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_nest_end(nlh, hist);
	ASSERT_STREQ("", show(self, true, nlh, &ret));
	ASSERT_EQ(MNL_CB_ERROR, ret);
	ASSERT_EQ(EPROTO, errno);
}

FIXTURE(prometheus)
{
	struct prom_replies r;
	char *buf;
	size_t len;
	FILE *fp;
};

FIXTURE_SETUP(prometheus)
{
	self->buf = NULL;
	self->fp = NULL;
}

FIXTURE_TEARDOWN(prometheus)
{
	if (self->fp)
		fclose(self->fp);
	free(self->buf);
}

static const char *print_prom(FIXTURE_DATA(prometheus) *self,
			      const struct prom_input *in, int *ret)
{
	if (self->fp)
		fclose(self->fp);
	free(self->buf);
	self->buf = NULL;
	self->fp = open_memstream(&self->buf, &self->len);
	errno = 0;
	*ret = prom_print(self->fp, in);
	fflush(self->fp);
	return self->buf ? self->buf : "";
}

/* Lines of @out that start with @prefix. */
static unsigned int count_lines(const char *out, const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned int n = 0;

	for (; out && *out; out = strchr(out, '\n'), out = out ? out + 1 : NULL)
		if (!strncmp(out, prefix, len))
			n++;
	return n;
}

/*
 * Each family is one group: HELP, TYPE, then samples of that family only,
 * and no family comes twice. promparse.py checks the same on this output,
 * and much more, in prom_check.sh.
 */
static bool families_grouped(const char *out, char *why, size_t len)
{
	char cur[128] = "", line[512];
	const char *nl;
	size_t n;

	for (; *out; out = nl + 1) {
		nl = strchr(out, '\n');
		if (!nl)
			return snprintf(why, len, "no final newline"), false;
		n = nl - out < (long)sizeof(line) - 1 ? (size_t)(nl - out) :
		    sizeof(line) - 1;
		memcpy(line, out, n);
		line[n] = '\0';
		if (!strncmp(line, "# HELP ", 7)) {
			sscanf(line + 7, "%127s", cur);
			if (count_lines(out, line) != 1 ||
			    strncmp(nl + 1, "# TYPE ", 7) ||
			    strncmp(nl + 8, cur, strlen(cur)))
				return snprintf(why, len, "%s", line), false;
		} else if (line[0] != '#' && (!cur[0] ||
			   strncmp(line, cur, strlen(cur)))) {
			return snprintf(why, len, "%s", line), false;
		}
	}
	return true;
}

TEST_F(prometheus, full)
{
	const char *out;
	char why[512];
	int ret;

	out = print_prom(self, prom_full(&self->r), &ret);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, strncmp("# HELP heartbeat_info ", out, 22));
	ASSERT_NE(NULL, strstr(out, "\n# TYPE heartbeat_info gauge\n"
			       "heartbeat_info{node=\"1\",cluster=\"7\","
			       "detector=\"phi\",version=\"" HBCTL_VERSION
			       "\",module_version=\"" PROM_MODULE_VERSION
			       "\"} 1\n"));
	ASSERT_TRUE(families_grouped(out, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(34U, count_lines(out, "# TYPE "));
	ASSERT_EQ(34U, count_lines(out, "# HELP "));

	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_tx_frames_total counter\n"
			       "heartbeat_tx_frames_total{node=\"1\",cluster=\"7\"} 1234\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_uevents_total{node=\"1\",cluster=\"7\"} 12\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_uevents_lost_total{node=\"1\",cluster=\"7\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_deferred_verdicts_total{node=\"1\",cluster=\"7\"} 3\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peers_expired_total{node=\"1\",cluster=\"7\"} 4\n"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_gossip_entries_sent_total counter\n"
			       "heartbeat_gossip_entries_sent_total{node=\"1\",cluster=\"7\"} 640\n"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_gossip_entries_merged_total counter\n"
			       "heartbeat_gossip_entries_merged_total{node=\"1\",cluster=\"7\"} 320\n"));

	/* quorum: three gauges of the node */
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_quorate gauge\n"
			       "heartbeat_quorate{node=\"1\",cluster=\"7\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_quorum_votes gauge\n"
			       "heartbeat_quorum_votes{node=\"1\",cluster=\"7\"} 3\n"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_quorum_expected_votes gauge\n"
			       "heartbeat_quorum_expected_votes{node=\"1\",cluster=\"7\"} 5\n"));

	/* every reason, zeros and one from a newer kernel included */
	ASSERT_EQ(HEARTBEAT_DROP_MAX + 1U,
		  count_lines(out, "heartbeat_drops_total{"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"short\"} 0\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"cluster\"} 42\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"learn_rate\"} 0\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"reason_40\"} 7\n"));

	/* the odd device name: quote, backslash and newline escaped */
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_link_tx_frames_total{node=\"1\",cluster=\"7\",link=\"eth0\"} 1234\n"
			       "heartbeat_link_tx_frames_total{node=\"1\",cluster=\"7\",link=\"e\\\"1\\\\\\nz\"} 1234\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_link_send_late_max_seconds{node=\"1\",cluster=\"7\",link=\"eth0\"} 0.000035\n"));
	ASSERT_EQ(2U, count_lines(out, "heartbeat_link_tx_overruns_total{"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_link_up gauge\n"
			       "heartbeat_link_up{node=\"1\",cluster=\"7\",link=\"eth0\"} 1\n"
			       "heartbeat_link_up{node=\"1\",cluster=\"7\",link=\"e\\\"1\\\\\\nz\"} 0\n#"));
	/* lateness: only eth0 has a histogram; no _sum, the kernel keeps none */
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_link_send_late_seconds histogram\n"
			       "heartbeat_link_send_late_seconds_bucket{node=\"1\",cluster=\"7\",link=\"eth0\",le=\"0.000001\"} 10\n"
			       "heartbeat_link_send_late_seconds_bucket{node=\"1\",cluster=\"7\",link=\"eth0\",le=\"0.000002\"} 15\n"
			       "heartbeat_link_send_late_seconds_bucket{node=\"1\",cluster=\"7\",link=\"eth0\",le=\"0.000004\"} 22\n"));
	ASSERT_NE(NULL, strstr(out, "le=\"1.048576\"} 22\n"
			       "heartbeat_link_send_late_seconds_bucket{node=\"1\",cluster=\"7\",link=\"eth0\",le=\"+Inf\"} 24\n"
			       "heartbeat_link_send_late_seconds_count{node=\"1\",cluster=\"7\",link=\"eth0\"} 24\n#"));
	ASSERT_EQ(HEARTBEAT_LATE_BUCKETS + 1U,
		  count_lines(out, "heartbeat_link_send_late_seconds_"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_link_send_late_seconds_sum"));

	/* state sets: six series a peer, seven for a state newer than hbctl */
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"unknown\"} 0\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"alive\"} 0\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"suspect\"} 0\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"dead\"} 1\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"left\"} 0\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"4\",state=\"unreachable\"} 0\n"));
	ASSERT_EQ(43U, count_lines(out, "heartbeat_peer_state{"));
	ASSERT_NE(NULL, strstr(out, "peer=\"7\",state=\"unreachable\"} 0\n"
			       "heartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"7\",state=\"state-9\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_state{node=\"1\",cluster=\"7\",peer=\"8\",state=\"unreachable\"} 1\n"));
	/* up: only the alive peer 2 */
	ASSERT_EQ(7U, count_lines(out, "heartbeat_peer_up{"));
	ASSERT_EQ(6U, count_lines(out, "heartbeat_peer_up{") -
		  count_lines(out, "heartbeat_peer_up{node=\"1\",cluster=\"7\",peer=\"2\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_up{node=\"1\",cluster=\"7\",peer=\"5\"} 0\n"));

	/* phi only where the kernel sent it; peer 3 was never heard */
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_peer_phi gauge\n"
			       "heartbeat_peer_phi{node=\"1\",cluster=\"7\",peer=\"2\"} 0.423\n"
			       "heartbeat_peer_phi{node=\"1\",cluster=\"7\",peer=\"4\"} 8.015\n#"));
	/* the kernel's age, 3012 us, before PROM_NOW_NS */
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_last_seen_timestamp_seconds{node=\"1\",cluster=\"7\",peer=\"2\"} 1795744536.247583\n"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_peer_last_seen_timestamp_seconds{node=\"1\",cluster=\"7\",peer=\"3\"}"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_peer_last_seen_seconds"));
	ASSERT_EQ(7U, count_lines(out, "heartbeat_peer_rx_frames_total{"));
	ASSERT_EQ(7U, count_lines(out, "heartbeat_peer_lost_frames_total{"));
	ASSERT_EQ(7U, count_lines(out, "heartbeat_peer_restarts_total{"));
	/* heard-by only from modules with the cluster view */
	ASSERT_EQ(1U, count_lines(out, "heartbeat_peer_heard_by{"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_peer_heard_by gauge\n"
			       "heartbeat_peer_heard_by{node=\"1\",cluster=\"7\",peer=\"8\"} 2\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_incarnation{node=\"1\",cluster=\"7\",peer=\"2\"} 1795744536250595520\n"));

	/* per channel of peer 2: up, and when last heard there */
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_peer_link_up gauge\n"
			       "heartbeat_peer_link_up{node=\"1\",cluster=\"7\",peer=\"2\",link=\"eth0\"} 1\n"
			       "heartbeat_peer_link_up{node=\"1\",cluster=\"7\",peer=\"2\",link=\"disk\"} 0\n#"));
	ASSERT_NE(NULL, strstr(out, "# TYPE heartbeat_peer_link_last_seen_timestamp_seconds gauge\n"
			       "heartbeat_peer_link_last_seen_timestamp_seconds{node=\"1\",cluster=\"7\",peer=\"2\",link=\"eth0\"} 1795744536.247583\n"
			       "heartbeat_peer_link_last_seen_timestamp_seconds{node=\"1\",cluster=\"7\",peer=\"2\",link=\"disk\"} 1795744533.750595\n#"));
	/* per path: every peer heard has one, on lo from its link 1 */
	ASSERT_EQ(6U, count_lines(out, "heartbeat_peer_path_rx_frames_total{"));
	ASSERT_EQ(6U, count_lines(out, "heartbeat_peer_path_lost_frames_total{"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_path_rx_frames_total{node=\"1\",cluster=\"7\",peer=\"2\",link=\"lo\",sender_link=\"1\"} 1234\n"));
}

/* A clock behind the kernel's age: 0, never a wrapped u64. */
TEST_F(prometheus, timestamp_clock_behind)
{
	struct prom_input *in = prom_full(&self->r);
	const char *out;
	int ret;

	in->now_ns = 1000000;	/* 1 ms after 1970; peer 2 was heard 3 ms ago */
	out = print_prom(self, in, &ret);
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_peer_last_seen_timestamp_seconds{node=\"1\",cluster=\"7\",peer=\"2\"} 0\n"));
}

/* Malformed channel or path nests: the whole output is refused. */
TEST_F(prometheus, bad_channels_paths)
{
	struct prom_input *in;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *one;
	int ret;

	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.peers[3];
	nest = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_CHANNELS);
	one = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_CHANNEL_UP, 1);
	mnl_attr_nest_end(nlh, one);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);

	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.peers[3];
	nest = mnl_attr_nest_start(nlh, HEARTBEAT_A_PEER_PATHS);
	one = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RX, 1);
	mnl_attr_nest_end(nlh, one);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);
}

/* Cumulative buckets, le in seconds, +Inf and _count alike, last. */
/* Quorum off: the gauges stay, expected votes 0 says it is off. */
TEST_F(prometheus, quorum_off)
{
	struct prom_input *in = prom_empty(&self->r);
	struct nlmsghdr *nlh;
	const char *out;
	int ret;

	in->quorum = quorum_reply(self->r.quorum, 0, 0);
	out = print_prom(self, in, &ret);
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_quorate{node=\"0\",cluster=\"0\"} 0\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_quorum_votes{node=\"0\",cluster=\"0\"} 3\n"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_quorum_expected_votes{node=\"0\",cluster=\"0\"} 0\n"));

	/* a quorum reply without its votes, or a bad list of heard-by */
	nlh = reply_start(self->r.quorum, HEARTBEAT_CMD_QUORUM_GET);
	mnl_attr_put_u8(nlh, HEARTBEAT_A_QUORUM_QUORATE, 1);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);
	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.peers[6];
	mnl_attr_put_u16(nlh, HEARTBEAT_A_PEER_HEARD_BY, 1);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);
}

TEST_F(prometheus, histogram)
{
	static const char *const le[] = {
		"0.001", "0.002", "0.004", "0.008", "0.016", "0.032",
		"0.064", "0.128", "0.256", "0.512", "1.024", "2.048",
		"4.096", "8.192", "16.384", "32.768", "65.536", "131.072",
		"262.144",
	};
	char want[4096], *p = want, *end = want + sizeof(want);
	unsigned int b, cum = 0;
	const char *out, *h;
	int ret;

	ASSERT_EQ(HEARTBEAT_DETECT_BUCKETS - 1, (int)ARRAY_SIZE(le));
	p += snprintf(p, end - p, "%s",
		      "# HELP heartbeat_detection_seconds Time from the last "
		      "heartbeat of a peer to the verdict dead.\n"
		      "# TYPE heartbeat_detection_seconds histogram\n");
	for (b = 0; b < ARRAY_SIZE(le); b++) {
		cum += b == 1 || b == 2 ? 1 : b == 10 ? 2 : 0;
		p += snprintf(p, end - p,
			      "heartbeat_detection_seconds_bucket{node=\"1\","
			      "cluster=\"7\",le=\"%s\"} %u\n", le[b], cum);
	}
	snprintf(p, end - p, "%s",
		 "heartbeat_detection_seconds_bucket{node=\"1\",cluster=\"7\","
		 "le=\"+Inf\"} 5\n"
		 "heartbeat_detection_seconds_sum{node=\"1\",cluster=\"7\"} "
		 "300.0035\n"
		 "heartbeat_detection_seconds_count{node=\"1\",cluster=\"7\"} 5\n");

	out = print_prom(self, prom_full(&self->r), &ret);
	ASSERT_EQ(0, ret);
	h = strstr(out, "# HELP heartbeat_detection_seconds ");
	ASSERT_NE(NULL, h);
	ASSERT_STREQ(want, h);
}

/* A torn read: DETECT_COUNT ahead of the buckets raises +Inf with it. */
TEST_F(prometheus, histogram_count_ahead)
{
	struct prom_input *in = prom_empty(&self->r);
	struct nlmsghdr *nlh = (struct nlmsghdr *)self->r.stats;
	struct nlattr *hist;
	const char *out;
	unsigned int b;
	int ret;

	hist = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DETECT_HIST);
	for (b = 0; b < HEARTBEAT_DETECT_BUCKETS; b++)
		mnl_attr_put_u64(nlh, b + 1, b == 4);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_put_u64(nlh, HEARTBEAT_A_STATS_DETECT_COUNT, 2);
	out = print_prom(self, in, &ret);
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, strstr(out, "le=\"0.008\"} 0\n"));
	ASSERT_NE(NULL, strstr(out, "le=\"0.016\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "le=\"262.144\"} 1\n"
			       "heartbeat_detection_seconds_bucket{node=\"0\",cluster=\"0\",le=\"+Inf\"} 2\n"
			       "heartbeat_detection_seconds_count{node=\"0\",cluster=\"0\"} 2\n"));
	/* no DETECT_SUM_US, no _sum */
	ASSERT_EQ(NULL, strstr(out, "_sum"));
}

/* An older module: no detector label, none of the newer families. */
TEST_F(prometheus, old_module)
{
	const char *out;
	char why[512];
	int ret;

	out = print_prom(self, prom_old(&self->r), &ret);
	ASSERT_EQ(0, ret);
	ASSERT_TRUE(families_grouped(out, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_info{node=\"1\",cluster=\"7\","
			       "version=\"" HBCTL_VERSION "\"} 1\n"));
	ASSERT_EQ(NULL, strstr(out, "module_version"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_uevents"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_deferred"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_detection"));
	ASSERT_EQ(NULL, strstr(out, "heartbeat_peer_phi"));
	ASSERT_EQ(1U, count_lines(out, "heartbeat_peer_last_seen_timestamp_seconds{"));
	ASSERT_EQ(12U, count_lines(out, "heartbeat_peer_state{"));
	ASSERT_EQ(NULL, strstr(out, "quorum"));
	ASSERT_EQ(NULL, strstr(out, "quorate"));
	ASSERT_EQ(NULL, strstr(out, "gossip"));
	ASSERT_EQ(NULL, strstr(out, "heard_by"));
	/* reasons it does not know yet are there too, as zero */
	ASSERT_EQ(HEARTBEAT_DROP_MAX + 1U,
		  count_lines(out, "heartbeat_drops_total{"));
	ASSERT_NE(NULL, strstr(out, "\nheartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"nomem\"} 1\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"unsigned\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"key\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"bad_mac\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"learn_rate\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"unconfirmed\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"probe_limit\"} 0\n"
			       "heartbeat_drops_total{node=\"1\",cluster=\"7\",reason=\"reason_40\"} 7\n"));
	ASSERT_EQ(20U, count_lines(out, "# TYPE "));
}

/* Nothing configured: the whole output. */
TEST_F(prometheus, empty)
{
	int ret;

	ASSERT_STREQ("# HELP heartbeat_info Heartbeat node of this network "
		     "namespace: detector, hbctl and module versions.\n"
		     "# TYPE heartbeat_info gauge\n"
		     "heartbeat_info{node=\"0\",cluster=\"0\","
		     "detector=\"timeout\",version=\"" HBCTL_VERSION "\"} 1\n"
		     "# HELP heartbeat_tx_frames_total Heartbeat frames sent "
		     "on all links.\n"
		     "# TYPE heartbeat_tx_frames_total counter\n"
		     "heartbeat_tx_frames_total{node=\"0\",cluster=\"0\"} 0\n"
		     "# HELP heartbeat_rx_frames_total Heartbeat frames "
		     "accepted.\n"
		     "# TYPE heartbeat_rx_frames_total counter\n"
		     "heartbeat_rx_frames_total{node=\"0\",cluster=\"0\"} 0\n",
		     print_prom(self, prom_empty(&self->r), &ret));
	ASSERT_EQ(0, ret);
}

/* A detector newer than hbctl is named, never a bare number. */
TEST_F(prometheus, unknown_detector)
{
	struct prom_input *in = prom_empty(&self->r);
	int ret;

	mnl_attr_put_u8((struct nlmsghdr *)self->r.node,
			HEARTBEAT_A_NODE_DETECTOR, 7);
	ASSERT_NE(NULL, strstr(print_prom(self, in, &ret),
			       ",detector=\"detector-7\","));
	ASSERT_EQ(0, ret);
}

/* One malformed reply, of any kind: nothing at all is written. */
TEST_F(prometheus, bad_replies)
{
	struct prom_input *in;
	struct nlmsghdr *nlh;
	struct nlattr *drops;
	int ret;

	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.peers[3];
	mnl_attr_put_u64(nlh, HEARTBEAT_A_PEER_PHI, 1);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);
	ASSERT_EQ(EPROTO, errno);

	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.peers[0];
	mnl_attr_put_u32(nlh, HEARTBEAT_A_PEER_RX, 1);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);

	in = prom_full(&self->r);
	mnl_attr_put_u32((struct nlmsghdr *)self->r.node,
			 HEARTBEAT_A_NODE_DETECTOR, 1);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);

	in = prom_full(&self->r);
	nlh = (struct nlmsghdr *)self->r.stats;
	drops = mnl_attr_nest_start(nlh, HEARTBEAT_A_STATS_DROPS);
	mnl_attr_put_u16(nlh, HEARTBEAT_DROP_SHORT, 1);
	mnl_attr_nest_end(nlh, drops);
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);

	in = prom_full(&self->r);
	in->stats = NULL;
	ASSERT_STREQ("", print_prom(self, in, &ret));
	ASSERT_EQ(-EPROTO, ret);
}

TEST_HARNESS_MAIN
