// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbcost: the instructions the module's receive path spends on one
 * heartbeat, counted by callgrind. Frames are prepared in memory first;
 * then only the loop that receives them is counted: callgrind's
 * statistics are zeroed just before it and dumped just after it (dump
 * "hbcost-loop"), so neither the set-up nor the exit is in that dump.
 *
 * Per frame, the loop runs what kmod/rx.c and kmod/peer.c run in that
 * order (peers.c): hb_msg_decode() with its TLV walk, the cluster and own
 * id checks, with --auth the HMAC-SHA256 check of hb_auth_check(), the
 * peer lookup, hb_path_update() and hb_det_heartbeat(), which also keeps
 * the phi window, whichever detector judges. Not in it: the socket
 * buffer handling, the clock read and hrtimer re-arm, which are kernel
 * services with no host equivalent. Frames arrive at one interval per
 * peer, in round robin, so every peer stays alive throughout.
 *
 *   valgrind --tool=callgrind ./hbcost -n 20000
 *
 * With -g N each frame carries a GOSSIP TLV of up to N entries of its
 * sender's view (every other member, alive, taken in turn as
 * hb_peers_gossip() takes them), and the loop also merges it as
 * hb_gossip_merge() does (peers.c, around kmod/view.c): every sender is a
 * configured member. With --tx the counted loop is the send side instead:
 * per frame the header, the LATE TLV and, with -g, the GOSSIP TLV built
 * from this node's own view as hb_tx_tlvs() builds it (peers_gossip(),
 * hb_gossip_put()); the peers are heard once before the loop.
 *
 * Without valgrind the client requests cost nothing: the run still
 * proves the loop accepts every frame ("ok" equals "frames").
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "common.h"
#include "hmac.h"
#include "peers.h"

#define OWN_ID		1
#define CLUSTER		1
#define INTERVAL_US	10000
#define KEY_ID		1
#define STRIDE		(HB_HDR_LEN + HB_GOSSIP_TLV_MAX + HB_AUTH_TLV_LEN)
/* The largest frame the module sends: min(MTU, HB_MSG_MAX). */
#define ROOM		(HB_MSG_MAX - HB_AUTH_TLV_LEN)
#define ETH_MTU		1500

/*
 * The GOSSIP TLV of sender's frame: up to max entries of its view (every
 * member but itself, alive, last heard age_us ago), from *next on.
 */
static int put_sender_gossip(u8 *buf, size_t *len, u32 sender, u32 members,
			     unsigned int max, u32 *next, u32 age_us)
{
	struct hb_gossip g[HB_GOSSIP_MAX];
	u32 total = members - 1, first = *next, k;
	unsigned int n = 0;

	if (max > total)
		max = total;
	for (k = first; n < max; k = (k + 1) % total) {
		/* Entry k of the sender's id-ordered view, itself left out. */
		u32 id = OWN_ID + k < sender ? OWN_ID + k : OWN_ID + k + 1;

		g[n++] = (struct hb_gossip) {
			.node_id = id,
			.age_us = age_us,
			.incarnation = 1,
			.state = HB_STATE_ALIVE,
		};
	}
	*next = (first + n) % total;
	return hb_gossip_put(buf, STRIDE, len, g, n, (u16)total, (u16)first);
}

/* hb_tx_tlvs() without echoes: LATE, then as much gossip as fits. */
static size_t tx_tlvs(struct peers *peers, u8 *buf, size_t len,
		      unsigned int gossip, u64 now, unsigned int *entries)
{
	struct hb_gossip g[HB_GOSSIP_MAX];
	u16 total = 0, first = 0;
	size_t avail;
	unsigned int n;

	hb_late_put(buf, ROOM, &len, 0);
	*entries = 0;
	if (!gossip || ROOM < len + HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN +
			      HB_GOSSIP_ENTRY_LEN)
		return len;
	avail = (ROOM - len - HB_TLV_HDR_LEN - HB_GOSSIP_HDR_LEN) /
		HB_GOSSIP_ENTRY_LEN;
	n = peers_gossip(peers, g, gossip < avail ? gossip : (unsigned int)avail,
			 &total, &first, now);
	if (n && !hb_gossip_put(buf, ROOM, &len, g, n, total, first))
		*entries = n;
	return len;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: hbcost [-n FRAMES] [-p PEERS] [-d fixed|phi] [-g ENTRIES] [--auth] [--tx]\n"
"\n"
"Receive FRAMES prepared heartbeats (default 100000) from PEERS senders\n"
"(default 16) through the module's receive path; run it under\n"
"valgrind --tool=callgrind, which counts only the receiving loop.\n"
"  -d DETECTOR  fixed (default) or phi\n"
"  -g ENTRIES   gossip: each frame carries up to ENTRIES (0..32, default 0)\n"
"               of its sender's view, merged into the cluster view\n"
"  --auth       frames carry an AUTH TLV, checked with HMAC-SHA256\n"
"  --tx         count the send side instead: FRAMES heartbeats built by\n"
"               this node (header, LATE, GOSSIP with -g; not signed)\n"
"A JSON line on stdout; \"ok\" must equal \"frames\".\n");
}

/* Sign as hb_auth_sign(): AUTH TLV, then the MAC over what precedes it. */
static size_t sign(u8 *buf, size_t len, const struct bench_hmac *hmac)
{
	u8 mac[BENCH_SHA256_LEN];
	int off = hb_auth_put(buf, STRIDE, &len, KEY_ID);

	if (off < 0)
		die("no room for the AUTH TLV");
	hb_msg_set_length(buf, len);
	bench_hmac_sha256(hmac, buf, (size_t)off, mac);
	memcpy(buf + off, mac, HB_AUTH_MAC_LEN);
	return len;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "auth", no_argument, NULL, 'A' },
		{ "tx", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const u8 secret[32] = "hbcost: a 32-byte test secret!!";
	u64 nframes = 100000, npeers = 16, i, ok = 0, bytes = 0;
	unsigned int gossip = 0, entries = 0;
	u32 *next;
	u64 nframes_rx;
	u64 ival = (u64)INTERVAL_US * NSEC_PER_USEC;
	const struct bench_hmac *hmac = NULL;
	struct hb_det_params params = {
		.fall = 3, .rise = 2,	/* the module's defaults */
		.detector = HB_DETECTOR_TIMEOUT,
		/* Normal model, threshold 8, min stddev 500 us: defaults. */
		.phi_dead = {
			.model = HB_PHI_NORMAL,
			.threshold = 8 * HB_PHI_ONE,
			.min_stddev_ns = 500 * NSEC_PER_USEC,
		},
	};
	const char *detector = "fixed";
	struct peers *peers;
	bool auth = false, tx = false;
	u16 *lens;
	u8 *frames;
	int c;

	prog = "hbcost";
	while ((c = getopt_long(argc, argv, "n:p:d:g:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			nframes = parse_num("-n", optarg, 0, 100000000);
			break;
		case 'p':
			npeers = parse_num("-p", optarg, 1, MAX_PEERS);
			break;
		case 'd':
			if (!strcmp(optarg, "fixed"))
				params.detector = HB_DETECTOR_TIMEOUT;
			else if (!strcmp(optarg, "phi"))
				params.detector = HB_DETECTOR_PHI;
			else
				usage_error("-d: fixed or phi, not '%s'",
					    optarg);
			detector = optarg;
			break;
		case 'g':
			gossip = (unsigned int)parse_num("-g", optarg, 0,
							 HB_GOSSIP_MAX);
			break;
		case 'A':
			auth = true;
			break;
		case 'T':
			tx = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (hb_phi_params_prepare(&params.phi_dead))
		die("bad phi parameters");
	if (auth) {
		hmac = bench_hmac_new(secret, sizeof(secret));
		if (!hmac)
			die("--auth: built without SHA-256 (no kernel tree, no OpenSSL)");
	}

	if (tx && auth)
		usage_error("--tx does not sign: --auth is for the receive side");
	if (tx)	/* the peers are heard once, then the node sends */
		nframes_rx = npeers;
	else
		nframes_rx = nframes;
	frames = calloc(nframes_rx ? nframes_rx : 1, STRIDE);
	lens = calloc(nframes_rx ? nframes_rx : 1, sizeof(*lens));
	next = calloc(npeers, sizeof(*next));
	if (!frames || !lens || !next)
		die("out of memory");
	for (i = 0; i < nframes_rx; i++) {
		struct hb_msg msg = {
			.type = HB_MSG_HEARTBEAT,
			.link_id = BENCH_LINK_ID,
			.cluster = CLUSTER,
			.node_id = (u32)(OWN_ID + 1 + i % npeers),
			.incarnation = 1,
			.seq = i / npeers + 1,
			.tx_time_ns = i * ival / npeers,
			.interval_us = INTERVAL_US,
		};
		u8 *buf = frames + i * STRIDE;
		int len = hb_msg_encode(buf, STRIDE, &msg);
		size_t l = (size_t)len;

		if (len < 0)
			die("cannot encode a heartbeat");
		if (gossip) {
			/* Heard at some point of the last interval. */
			if (put_sender_gossip(buf, &l, msg.node_id,
					      (u32)npeers + 1, gossip,
					      &next[i % npeers],
					      (u32)(i * 7919 % INTERVAL_US)))
				die("cannot append the GOSSIP TLV");
			hb_msg_set_length(buf, l);
		}
		lens[i] = (u16)(auth ? sign(buf, l, hmac) : l);
	}
	peers = peers_new(OWN_ID, CLUSTER, 1, &params, false, NULL);
	peers_set_members(peers, gossip > 0);

	if (tx) {
		u8 *buf = frames;

		for (i = 0; i < npeers; i++)
			if (!peers_rx(peers, frames + i * STRIDE, lens[i],
				      NSEC_PER_SEC + i * ival / npeers, NULL))
				die("a peer's first frame was refused");
		CALLGRIND_ZERO_STATS;
		for (i = 0; i < nframes; i++) {
			u64 now = NSEC_PER_SEC + ival + i * ival;
			struct hb_msg msg = {
				.type = HB_MSG_HEARTBEAT,
				.link_id = BENCH_LINK_ID,
				.cluster = CLUSTER,
				.node_id = OWN_ID,
				.incarnation = 1,
				.seq = i + 1,
				.tx_time_ns = now,
				.interval_us = INTERVAL_US,
			};
			int len = hb_msg_encode(buf, HB_HDR_LEN, &msg);
			size_t l;

			if (len < 0)
				break;
			l = tx_tlvs(peers, buf, (size_t)len, gossip, now,
				    &entries);
			hb_msg_set_length(buf, l);
			bytes += l;
			ok++;
		}
		CALLGRIND_DUMP_STATS_AT("hbcost-loop");
	} else {
		CALLGRIND_ZERO_STATS;
		for (i = 0; i < nframes; i++) {
			/* One interval per peer; from 1 s, as 0 means "no
			 * deadline". */
			u64 now = NSEC_PER_SEC + i * ival / npeers;

			ok += peers_rx(peers, frames + i * STRIDE, lens[i], now,
				       hmac);
		}
		CALLGRIND_DUMP_STATS_AT("hbcost-loop");
		for (i = 0; i < nframes; i++)
			bytes += lens[i];
	}

	/*
	 * The frame of the last heartbeat, by part (bytes): what it carries,
	 * and with authentication on what the module adds, an ECHO TLV of
	 * up to HB_ECHO_MAX peers and the AUTH TLV.
	 */
	{
		u32 echo = HB_TLV_HDR_LEN + (npeers < HB_ECHO_MAX ?
					     (u32)npeers : HB_ECHO_MAX) *
					    HB_ECHO_ENTRY_LEN;
		u32 last = nframes ? (tx ? (u32)(bytes / nframes) :
				      lens[(nframes_rx - 1)]) : 0;
		u32 g_bytes = tx ? (entries ? HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN +
				    entries * HB_GOSSIP_ENTRY_LEN : 0) :
			      (gossip ? HB_TLV_HDR_LEN + HB_GOSSIP_HDR_LEN +
			       (u32)(gossip < npeers ? gossip : npeers) *
			       HB_GOSSIP_ENTRY_LEN : 0);

		printf("{\"frames\":%" PRIu64 ",\"peers\":%" PRIu64
		       ",\"detector\":\"%s\",\"gossip\":%u,\"side\":\"%s\""
		       ",\"frame_bytes\":%u,\"header_bytes\":%d"
		       ",\"late_bytes\":%d,\"gossip_bytes\":%u"
		       ",\"echo_bytes_auth\":%u,\"auth_bytes\":%d"
		       ",\"reports\":%" PRIu64
		       ",\"auth\":%s,\"sha256\":\"%s\",\"ok\":%" PRIu64 "}\n",
		       nframes, npeers, detector, gossip, tx ? "tx" : "rx",
		       last, HB_HDR_LEN, tx ? HB_LATE_TLV_LEN : 0, g_bytes,
		       echo, HB_AUTH_TLV_LEN, peers_reports(peers),
		       auth ? "true" : "false",
		       auth ? bench_sha256_impl : "none", ok);
	}
	return ok == nframes ? 0 : 3;
}
