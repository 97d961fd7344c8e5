// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbgen: emulate many peers sending heartbeats into one host, to measure
 * the receiver at scale. Peer k of N sends every interval, at offset
 * k * interval / N within it, so the load is spread as N real senders
 * with unsynchronized clocks would spread it. Frames are the module's
 * (kmod/proto.c's hb_msg_encode(), the fields hb_tx() fills) and go out in
 * batches with sendmmsg(): one batch per wake-up, every max(1 ms,
 * interval / N), of every frame due by then.
 *
 * The module keys peers by node id alone (hb_peer_find_rcu()), and a
 * sequence stream by the sender's link id and our receiving device; the
 * source MAC is still varied per peer (02:48:42 then the id), as N hosts
 * would have N addresses, so a bridge or switch on the way sees them too.
 *
 * How late each batch leaves, against its wake-up time, is reported so a
 * caller can tell whether the generator itself kept up.
 */
#define _GNU_SOURCE	/* sendmmsg() */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

#define MAX_GEN_PEERS	1000000
#define MMSG_MAX	1024	/* UIO_MAXIOV: messages per sendmmsg() */

struct gen_peer {
	struct hb_msg msg;
	uint8_t frame[ETH_HDR_LEN + HB_HDR_LEN];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Frames due in the first span_ns: whole intervals, then a partial one. */
static u64 count_due(u64 npeers, u64 ival, u64 span_ns)
{
	u64 n = span_ns / ival * npeers, rest = span_ns % ival, k;

	for (k = 0; k < npeers && k * ival / npeers < rest; k++)
		n++;
	return n;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: hbgen -i IFACE -N PEERS [-I INTERVAL_US] [-t SECONDS] [--first-id ID]\n"
"             [-c CLUSTER]\n"
"\n"
"Emulate PEERS nodes (ids ID .. ID+PEERS-1) sending heartbeats on IFACE.\n"
"  -I INTERVAL_US  each peer's interval (default 10000)\n"
"  -t SECONDS      run time (default 10)\n"
"  --first-id ID   first node id (default 1000)\n"
"  -c CLUSTER      cluster id (default 1)\n"
"At the end, a JSON summary on stdout.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "first-id", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *iface = NULL;
	u64 npeers = 0, interval_us = 10000, seconds = 10, first_id = 1000;
	u64 cluster = 1, ival, wake, start, end, frames = 0, errors = 0;
	u64 expected, next = 0, j;
	struct sockaddr_ll to;
	struct gen_peer *peers;
	struct mmsghdr *mm;
	struct iovec *iov;
	struct samples lag = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	uint8_t mac[6];
	int c, fd, ifindex;

	prog = "hbgen";
	while ((c = getopt_long(argc, argv, "i:N:I:t:c:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			iface = optarg;
			break;
		case 'N':
			npeers = parse_num("-N", optarg, 1, MAX_GEN_PEERS);
			break;
		case 'I':
			interval_us = parse_num("-I", optarg, 1000, 60000000);
			break;
		case 't':
			seconds = parse_num("-t", optarg, 1, 1000000);
			break;
		case 'F':
			first_id = parse_num("--first-id", optarg, 1,
					     UINT32_MAX);
			break;
		case 'c':
			cluster = parse_num("-c", optarg, 0, UINT32_MAX);
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
	if (!iface || !npeers)
		usage_error("-i and -N are required");
	if (first_id + npeers - 1 > UINT32_MAX)
		usage_error("ids beyond 4294967295");

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("packet socket: %s", strerror(errno));
	ifindex = iface_lookup(fd, iface, mac);
	to = (struct sockaddr_ll){
		.sll_family = AF_PACKET,
		.sll_protocol = htons(HB_ETHERTYPE_DEFAULT),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	memcpy(to.sll_addr, hb_group_mac, 6);

	peers = calloc(npeers, sizeof(*peers));
	mm = calloc(MMSG_MAX, sizeof(*mm));
	iov = calloc(MMSG_MAX, sizeof(*iov));
	if (!peers || !mm || !iov)
		die("out of memory");
	for (j = 0; j < npeers; j++) {
		struct gen_peer *p = &peers[j];
		u32 id = (u32)(first_id + j);
		uint8_t src[6] = { 0x02, 0x48, 0x42, (uint8_t)(id >> 16),
				   (uint8_t)(id >> 8), (uint8_t)id };

		eth_header(p->frame, hb_group_mac, src, HB_ETHERTYPE_DEFAULT);
		p->msg = (struct hb_msg){
			.type = HB_MSG_HEARTBEAT,
			.link_id = BENCH_LINK_ID,
			.cluster = (u32)cluster,
			.node_id = id,
			.interval_us = (u32)interval_us,
		};
	}
	for (j = 0; j < MMSG_MAX; j++) {
		mm[j].msg_hdr.msg_name = &to;
		mm[j].msg_hdr.msg_namelen = sizeof(to);
		mm[j].msg_hdr.msg_iov = &iov[j];
		mm[j].msg_hdr.msg_iovlen = 1;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ival = interval_us * NSEC_PER_USEC;
	wake = ival / npeers > NSEC_PER_MSEC ? ival / npeers : NSEC_PER_MSEC;
	/* Every emulated peer restarted when the generator did. */
	for (j = 0; j < npeers; j++)
		peers[j].msg.incarnation = clock_ns(CLOCK_REALTIME);
	start = clock_ns(CLOCK_MONOTONIC);
	end = start + seconds * NSEC_PER_SEC;
	/*
	 * Frame f goes from peer f % N, its (f / N)-th, due at
	 * start + (f / N) * interval + (f % N) * interval / N: frames are
	 * numbered in the order they fall due.
	 */
	expected = count_due(npeers, ival, seconds * NSEC_PER_SEC);

	for (j = 1; !stop; j++) {
		u64 t = start + j * wake, now;
		unsigned int n = 0, sent = 0;
		struct timespec ts;

		if (t > end)
			t = end;
		ts = ns_to_timespec(t);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR && !stop)
			;
		if (stop)
			break;
		/* Everything due by this wake-up, in one or more batches. */
		while (next < expected) {
			u64 k = next % npeers, m = next / npeers;
			u64 due = start + m * ival + k * ival / npeers;
			struct gen_peer *p = &peers[k];
			int len;

			if (due > t)
				break;
			p->msg.seq = m + 1;
			p->msg.tx_time_ns = clock_ns(CLOCK_REALTIME);
			len = hb_msg_encode(p->frame + ETH_HDR_LEN, HB_HDR_LEN,
					    &p->msg);
			if (len < 0)
				die("cannot encode a heartbeat");
			iov[n].iov_base = p->frame;
			iov[n].iov_len = ETH_HDR_LEN + (size_t)len;
			n++;
			next++;
			if (n == MMSG_MAX || next == expected ||
			    start + (next / npeers) * ival +
			    (next % npeers) * ival / npeers > t) {
				int r;

				if (!sent) {
					now = clock_ns(CLOCK_MONOTONIC);
					samples_add(&lag, now > t ? now - t : 0);
				}
				r = sendmmsg(fd, mm, n, 0);
				if (r < 0)
					r = 0;
				frames += (u64)r;
				errors += n - (unsigned int)r;
				sent += n;
				n = 0;
			}
		}
		if (t >= end || next >= expected)
			break;
	}

	printf("{\"peers\":%" PRIu64 ",\"interval_us\":%" PRIu64
	       ",\"seconds\":%" PRIu64 ",\"frames\":%" PRIu64
	       ",\"expected\":%" PRIu64 ",\"send_errors\":%" PRIu64
	       ",\"lag_p50_ns\":%" PRIu64 ",\"lag_p99_ns\":%" PRIu64
	       ",\"lag_max_ns\":%" PRIu64 "}\n",
	       npeers, interval_us, seconds, frames, expected, errors,
	       samples_pct(&lag, 50), samples_pct(&lag, 99),
	       samples_pct(&lag, 100));
	close(fd);
	return 0;
}
