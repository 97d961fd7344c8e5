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
#define STRIDE		(HB_HDR_LEN + HB_AUTH_TLV_LEN)

static void usage(FILE *f)
{
	fprintf(f,
"usage: hbcost [-n FRAMES] [-p PEERS] [-d fixed|phi] [--auth]\n"
"\n"
"Receive FRAMES prepared heartbeats (default 100000) from PEERS senders\n"
"(default 16) through the module's receive path; run it under\n"
"valgrind --tool=callgrind, which counts only the receiving loop.\n"
"  -d DETECTOR  fixed (default) or phi\n"
"  --auth       frames carry an AUTH TLV, checked with HMAC-SHA256\n"
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
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const u8 secret[32] = "hbcost: a 32-byte test secret!!";
	u64 nframes = 100000, npeers = 16, i, ok = 0;
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
	bool auth = false;
	u16 *lens;
	u8 *frames;
	int c;

	prog = "hbcost";
	while ((c = getopt_long(argc, argv, "n:p:d:h", longopts, NULL)) != -1) {
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
		case 'A':
			auth = true;
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

	frames = calloc(nframes ? nframes : 1, STRIDE);
	lens = calloc(nframes ? nframes : 1, sizeof(*lens));
	if (!frames || !lens)
		die("out of memory");
	for (i = 0; i < nframes; i++) {
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

		if (len < 0)
			die("cannot encode a heartbeat");
		lens[i] = (u16)(auth ? sign(buf, (size_t)len, hmac) :
				       (size_t)len);
	}
	peers = peers_new(OWN_ID, CLUSTER, 1, &params, false, NULL);

	CALLGRIND_ZERO_STATS;
	for (i = 0; i < nframes; i++) {
		/* One interval per peer; from 1 s, as 0 means "no deadline". */
		u64 now = NSEC_PER_SEC + i * ival / npeers;

		ok += peers_rx(peers, frames + i * STRIDE, lens[i], now, hmac);
	}
	CALLGRIND_DUMP_STATS_AT("hbcost-loop");

	printf("{\"frames\":%" PRIu64 ",\"peers\":%" PRIu64
	       ",\"detector\":\"%s\",\"auth\":%s,\"sha256\":\"%s\",\"ok\":%"
	       PRIu64 "}\n", nframes, npeers, detector,
	       auth ? "true" : "false", auth ? bench_sha256_impl : "none", ok);
	return ok == nframes ? 0 : 3;
}
