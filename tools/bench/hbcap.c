// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbcap: capture heartbeat (or BFD control) frames on one interface with
 * their kernel timestamps, for send jitter and "last frame received"
 * measurements. Both directions are seen: an ETH_P_ALL packet socket gets
 * our own transmissions too, marked PACKET_OUTGOING. A classic BPF filter
 * keeps everything else from waking us up, and the receive buffer is made
 * large, so a burst is not lost while the output is written.
 *
 *   heartbeat: ts_ns,dir,node,seq          (decoded with kmod/proto.c)
 *   --bfd:     ts_ns,dir,src_ip,state      (UDP port 3784, RFC 5880 state
 *                                           field: 0 AdminDown, 1 Down,
 *                                           2 Init, 3 Up)
 *
 * ts_ns is the kernel's timestamp (SO_TIMESTAMPNS), CLOCK_REALTIME; dir is
 * "in" or "out".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

#define RCVBUF_BYTES	(8 << 20)
#define BFD_PORT	3784
#define ETH_P_IPV4	0x0800
#define IPPROTO_UDP_NR	17

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: hbcap -i IFACE [-t SECONDS] [-o FILE] [--bfd]\n"
"\n"
"Capture heartbeat frames with kernel timestamps, one line each:\n"
"  ts_ns,dir,node,seq           (dir: in or out)\n"
"or, with --bfd, BFD control packets (UDP port 3784):\n"
"  ts_ns,dir,src_ip,state       (0 AdminDown, 1 Down, 2 Init, 3 Up)\n"
"  -t SECONDS  stop after this long (default: at SIGINT/SIGTERM)\n"
"  -o FILE     output (default stdout)\n"
"Prints \"ready\" on stderr once capturing, a summary when done.\n");
}

/* Heartbeat EtherType only. */
static struct sock_filter hb_filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HB_ETHERTYPE_DEFAULT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* IPv4, UDP, first fragment, destination port 3784. */
static struct sock_filter bfd_filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV4, 0, 8),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP_NR, 0, 6),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 16),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BFD_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static int cap_open(const char *iface, bool bfd)
{
	struct sock_fprog fprog = {
		.len = bfd ? sizeof(bfd_filter) / sizeof(bfd_filter[0]) :
			     sizeof(hb_filter) / sizeof(hb_filter[0]),
		.filter = bfd ? bfd_filter : hb_filter,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd, one = 1, rcvbuf = RCVBUF_BYTES;
	uint8_t mac[6];

	/* Protocol 0 until bound: nothing queues before the filter is on. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("packet socket: %s", strerror(errno));
	sll.sll_ifindex = iface_lookup(fd, iface, mac);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)))
		die("SO_ATTACH_FILTER: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		die("SO_TIMESTAMPNS: %s", strerror(errno));
	/* FORCE ignores rmem_max but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUF: %s", strerror(errno));
	if (!bfd) {
		/* Receive the group on a real NIC even with no module bound. */
		struct packet_mreq mreq = {
			.mr_ifindex = sll.sll_ifindex,
			.mr_type = PACKET_MR_MULTICAST,
			.mr_alen = 6,
		};

		memcpy(mreq.mr_address, hb_group_mac, 6);
		if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq,
			       sizeof(mreq)))
			die("join the heartbeat group: %s", strerror(errno));
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind to %s: %s", iface, strerror(errno));
	return fd;
}

/* One line for a heartbeat frame; false if it does not decode. */
static bool put_hb(FILE *out, u64 ts, const char *dir, const uint8_t *buf,
		   size_t len)
{
	struct hb_msg msg;

	if (len < ETH_HDR_LEN)
		return false;
	len -= ETH_HDR_LEN;
	if (len > HB_MSG_MAX)
		len = HB_MSG_MAX;
	if (hb_msg_decode(buf + ETH_HDR_LEN, len, &msg))
		return false;
	fprintf(out, "%" PRIu64 ",%s,%u,%" PRIu64 "\n", ts, dir, msg.node_id,
		msg.seq);
	return true;
}

/* One line for a BFD control packet; false if it is not one. */
static bool put_bfd(FILE *out, u64 ts, const char *dir, const uint8_t *buf,
		    size_t len)
{
	const uint8_t *ip = buf + ETH_HDR_LEN, *udp, *bfd;
	char src[INET_ADDRSTRLEN];
	size_t ihl;

	if (len < ETH_HDR_LEN + 20)
		return false;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != IPPROTO_UDP_NR ||
	    len < ETH_HDR_LEN + ihl + 8 + 4)
		return false;
	udp = ip + ihl;
	if ((udp[2] << 8 | udp[3]) != BFD_PORT)
		return false;
	bfd = udp + 8;
	/* RFC 5880: version in bits 7-5 of byte 0, state in bits 7-6 of 1. */
	if ((bfd[0] >> 5) != 1)
		return false;
	inet_ntop(AF_INET, ip + 12, src, sizeof(src));
	fprintf(out, "%" PRIu64 ",%s,%s,%u\n", ts, dir, src, bfd[1] >> 6);
	return true;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bfd", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *iface = NULL, *outpath = NULL;
	u64 seconds = 0, end = 0, frames = 0, bad = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct tpacket_stats st = { 0 };
	socklen_t stlen = sizeof(st);
	bool bfd = false;
	FILE *out = stdout;
	uint8_t buf[2048];
	int c, fd;

	prog = "hbcap";
	while ((c = getopt_long(argc, argv, "i:t:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			iface = optarg;
			break;
		case 't':
			seconds = parse_num("-t", optarg, 1, 100000000);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'B':
			bfd = true;
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
	if (!iface)
		usage_error("-i is required");

	if (outpath)
		out = open_log(outpath);
	else if (setvbuf(stdout, NULL, _IOFBF, 1 << 20))
		die("cannot buffer stdout");
	/* No SA_RESTART: a signal must end the wait in poll(). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fd = cap_open(iface, bfd);
	if (seconds)
		end = clock_ns(CLOCK_MONOTONIC) + seconds * NSEC_PER_SEC;
	fprintf(stderr, "ready\n");

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = -1;

		if (end) {
			u64 now = clock_ns(CLOCK_MONOTONIC);

			if (now >= end)
				break;
			timeout = (int)((end - now + NSEC_PER_MSEC - 1) /
					NSEC_PER_MSEC);
		}
		if (poll(&pfd, 1, timeout) <= 0)
			continue;
		for (;;) {
			union {
				char buf[CMSG_SPACE(sizeof(struct timespec))];
				struct cmsghdr align;
			} ctl;
			struct sockaddr_ll from;
			struct iovec iov = { buf, sizeof(buf) };
			struct msghdr mh = {
				.msg_name = &from, .msg_namelen = sizeof(from),
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = ctl.buf,
				.msg_controllen = sizeof(ctl.buf),
			};
			struct cmsghdr *cm;
			const char *dir;
			ssize_t n;
			u64 ts = 0;
			bool ok;

			n = recvmsg(fd, &mh, MSG_DONTWAIT);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				die("recvmsg: %s", strerror(errno));
			}
			for (cm = CMSG_FIRSTHDR(&mh); cm;
			     cm = CMSG_NXTHDR(&mh, cm)) {
				if (cm->cmsg_level == SOL_SOCKET &&
				    cm->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec t;

					memcpy(&t, CMSG_DATA(cm), sizeof(t));
					ts = (u64)t.tv_sec * NSEC_PER_SEC +
					     (u64)t.tv_nsec;
				}
			}
			if (!ts)
				ts = clock_ns(CLOCK_REALTIME);
			dir = from.sll_pkttype == PACKET_OUTGOING ? "out" : "in";
			ok = bfd ? put_bfd(out, ts, dir, buf, (size_t)n) :
				   put_hb(out, ts, dir, buf, (size_t)n);
			if (ok)
				frames++;
			else
				bad++;
		}
	}

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		st.tp_drops = 0;
	if (fflush(out) || (out != stdout && fclose(out)))
		die("%s: %s", outpath ? outpath : "stdout", strerror(errno));
	fprintf(stderr, "hbcap: %" PRIu64 " frames, %" PRIu64
		" undecodable, %u dropped\n", frames, bad, st.tp_drops);
	return 0;
}
