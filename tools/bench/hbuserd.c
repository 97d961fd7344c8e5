// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbuserd: the userspace baseline the module is measured against, a
 * heartbeat daemon built the way a typical one is: a single thread, one
 * epoll loop over a periodic send timerfd, an AF_PACKET socket and a
 * deadline timerfd. It sends the module's frames and judges its peers with
 * the module's own codec and detector (kmod/proto.c, kmod/detector.c,
 * kmod/phi.c compiled in unchanged), fed in the order kmod/rx.c and
 * kmod/peer.c feed them (peers.c), so any difference in the measurements
 * comes from where the code runs, not from what it does.
 *
 * Clocks. The detector takes nanoseconds of CLOCK_MONOTONIC, as in the
 * module (ktime_get_ns()), and deadlines are armed on a CLOCK_MONOTONIC
 * timerfd. A frame's "now" is its kernel receive timestamp (SO_TIMESTAMPNS,
 * taken in the same receive path where the module would read its clock),
 * which the kernel gives in CLOCK_REALTIME: it is converted to
 * CLOCK_MONOTONIC with the offset between the two clocks read when the
 * frame is processed. The offset only moves when the realtime clock is
 * stepped or slewed, by far less than a heartbeat interval between a
 * frame's arrival and its processing. A deadline's "now" is read when the
 * daemon gets round to it, so its scheduling delays count, as they would
 * in a real daemon. Logs carry CLOCK_REALTIME, which other tools share.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common.h"
#include "detector.h"
#include "names.h"
#include "peers.h"

#define RX_BATCH	1024		/* frames per wake-up before sending again */

/* TC_PRIO_CONTROL, the priority the module gives its frames. */
#define PRIO_CONTROL	7

struct opts {
	const char *iface;
	u32 node_id;
	u32 cluster;
	u32 interval_us;
	u32 fall, rise;
	u64 slack_us;
	u64 seconds;
	const char *send_log;
	const char *event_log;
	bool send, recv;
};

static struct {
	struct opts o;
	int ifindex;
	uint8_t mac[6];

	struct peers *peers;
	u64 armed_ns;		/* deadline timer's expiry; 0: disarmed */

	FILE *send_log, *event_log;
	struct samples late;
	u64 sent, send_errors, missed, received, rx_dropped, transitions;
} d;

static void usage(FILE *f)
{
	fprintf(f,
"usage: hbuserd -i IFACE -n NODE_ID [-c CLUSTER] [-I INTERVAL_US] [-f FALL]\n"
"               [-r RISE] [-s SLACK_US] [-t SECONDS] [--send-log FILE]\n"
"               [--event-log FILE] [--no-send] [--no-recv]\n"
"\n"
"A userspace heartbeat daemon sending and judging the module's frames.\n"
"  -i IFACE          interface to send and receive on\n"
"  -n NODE_ID        our node id (1..4294967295)\n"
"  -c CLUSTER        cluster id (default 1)\n"
"  -I INTERVAL_US    heartbeat interval (default 10000)\n"
"  -f FALL, -r RISE  detector hysteresis (default 3, 3)\n"
"  -s SLACK_US       lateness allowed; 0: one interval (default)\n"
"  -t SECONDS        run time; 0: until SIGINT/SIGTERM (default)\n"
"  --send-log FILE   one line per send: sched_mono_ns,late_ns\n"
"  --event-log FILE  one line per state change: time_ns,node,prev,state\n"
"  --no-send, --no-recv  only receive, only send\n"
"Prints \"ready\" on stderr once set up; on exit, a JSON summary on stdout.\n");
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_SEND_LOG = 256, OPT_EVENT_LOG, OPT_NO_SEND, OPT_NO_RECV };
	static const struct option longopts[] = {
		{ "send-log", required_argument, NULL, OPT_SEND_LOG },
		{ "event-log", required_argument, NULL, OPT_EVENT_LOG },
		{ "no-send", no_argument, NULL, OPT_NO_SEND },
		{ "no-recv", no_argument, NULL, OPT_NO_RECV },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*o = (struct opts){
		.cluster = 1, .interval_us = 10000, .fall = 3, .rise = 3,
		.send = true, .recv = true,
	};
	while ((c = getopt_long(argc, argv, "i:n:c:I:f:r:s:t:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			o->iface = optarg;
			break;
		case 'n':
			o->node_id = (u32)parse_num("-n", optarg, 1, UINT32_MAX);
			break;
		case 'c':
			o->cluster = (u32)parse_num("-c", optarg, 0, UINT32_MAX);
			break;
		case 'I':
			/* The bounds hb_msg_decode() puts on a peer's interval. */
			o->interval_us = (u32)parse_num("-I", optarg, 1000,
							60000000);
			break;
		case 'f':
			o->fall = (u32)parse_num("-f", optarg, 1, 1000);
			break;
		case 'r':
			o->rise = (u32)parse_num("-r", optarg, 1, 1000);
			break;
		case 's':
			o->slack_us = parse_num("-s", optarg, 0, 3600000000ULL);
			break;
		case 't':
			o->seconds = parse_num("-t", optarg, 0, 100000000);
			break;
		case OPT_SEND_LOG:
			o->send_log = optarg;
			break;
		case OPT_EVENT_LOG:
			o->event_log = optarg;
			break;
		case OPT_NO_SEND:
			o->send = false;
			break;
		case OPT_NO_RECV:
			o->recv = false;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->iface || !o->node_id)
		usage_error("-i and -n are required");
}

/* A peer changed state: count it, and log the verdict as it happens. */
static void report(const struct peer *p, const struct hb_det_change *c)
{
	d.transitions++;
	if (d.event_log) {
		fprintf(d.event_log, "%" PRIu64 ",%u,%s,%s\n",
			clock_ns(CLOCK_REALTIME), p->id,
			hb_state_name(c->prev), hb_state_name(c->state));
		/* A reader waits for verdicts as they happen. */
		fflush(d.event_log);
	}
}

/* ---- receiving ---- */

static int rx_open(void)
{
	struct packet_mreq mreq = {
		.mr_ifindex = d.ifindex,
		.mr_type = PACKET_MR_MULTICAST,
		.mr_alen = 6,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(HB_ETHERTYPE_DEFAULT),
		.sll_ifindex = d.ifindex,
	};
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    htons(HB_ETHERTYPE_DEFAULT));
	if (fd < 0)
		die("packet socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		die("SO_TIMESTAMPNS: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind to %s: %s", d.o.iface, strerror(errno));
	/* Join the group, as the module does (dev_mc_add) on a real NIC. */
	memcpy(mreq.mr_address, hb_group_mac, 6);
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq,
		       sizeof(mreq)))
		die("join the heartbeat group: %s", strerror(errno));
	return fd;
}

/* Drain the socket, up to RX_BATCH frames. */
static void rx_drain(int fd)
{
	uint8_t buf[2048];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf,
	};
	u64 mono = clock_ns(CLOCK_MONOTONIC);
	u64 offset = clock_ns(CLOCK_REALTIME) - mono;
	int i;

	for (i = 0; i < RX_BATCH; i++) {
		struct cmsghdr *cm;
		ssize_t n;
		u64 now = 0;

		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			die("recvmsg: %s", strerror(errno));
		}
		/* As the module: not frames for other hosts, nor our own. */
		if (from.sll_pkttype == PACKET_OTHERHOST ||
		    from.sll_pkttype == PACKET_OUTGOING)
			continue;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
				now = (u64)ts.tv_sec * NSEC_PER_SEC +
				      (u64)ts.tv_nsec - offset;
			}
		}
		if (!now)
			now = mono;
		if (n >= ETH_HDR_LEN &&
		    peers_rx(d.peers, buf + ETH_HDR_LEN,
			     (size_t)n - ETH_HDR_LEN, now, NULL))
			d.received++;
		else
			d.rx_dropped++;
	}
}

/*
 * Keep the timer armed no later than the earliest deadline. A heartbeat
 * only ever moves a deadline later, so the timer is left alone then: it
 * fires early, finds nothing due and is armed again (one wasted wake-up
 * per interval at most, instead of a syscall per frame).
 */
static void deadline_arm(int tfd)
{
	struct itimerspec its = { 0 };
	u64 next;

	next = peers_next_deadline(d.peers);
	if (!next)
		return;
	if (d.armed_ns && d.armed_ns <= next)
		return;
	its.it_value = ns_to_timespec(next);
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL))
		die("timerfd_settime: %s", strerror(errno));
	d.armed_ns = next;
}

/* ---- sending ---- */

struct sender {
	int fd, tfd;
	struct sockaddr_ll to;
	struct hb_msg msg;
	uint8_t frame[FRAME_MAX];
	u64 start_ns;		/* expiry k is at start_ns + k * interval */
	u64 expirations;
};

static void tx_open(struct sender *s)
{
	struct itimerspec its = { 0 };
	int prio = PRIO_CONTROL;
	u64 ival = (u64)d.o.interval_us * NSEC_PER_USEC;

	/* Protocol 0: a send-only socket, never handed a received frame. */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		die("packet socket: %s", strerror(errno));
	if (setsockopt(s->fd, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio)))
		die("SO_PRIORITY: %s", strerror(errno));
	s->to = (struct sockaddr_ll){
		.sll_family = AF_PACKET,
		.sll_protocol = htons(HB_ETHERTYPE_DEFAULT),
		.sll_ifindex = d.ifindex,
		.sll_halen = 6,
	};
	memcpy(s->to.sll_addr, hb_group_mac, 6);
	eth_header(s->frame, hb_group_mac, d.mac, HB_ETHERTYPE_DEFAULT);
	/* The fields hb_tx() fills; incarnation: when we started. */
	s->msg = (struct hb_msg){
		.type = HB_MSG_HEARTBEAT,
		.link_id = BENCH_LINK_ID,
		.cluster = d.o.cluster,
		.node_id = d.o.node_id,
		.incarnation = clock_ns(CLOCK_REALTIME),
		.interval_us = d.o.interval_us,
	};

	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tfd < 0)
		die("timerfd_create: %s", strerror(errno));
	s->start_ns = clock_ns(CLOCK_MONOTONIC);
	its.it_value = ns_to_timespec(s->start_ns + ival);
	its.it_interval = ns_to_timespec(ival);
	if (timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL))
		die("timerfd_settime: %s", strerror(errno));
}

/* The send timer fired: one frame, however many expirations passed. */
static void tx_tick(struct sender *s)
{
	u64 n, sched, now, late;
	ssize_t len;

	if (read(s->tfd, &n, sizeof(n)) != sizeof(n))
		return;
	if (n > 1)
		d.missed += n - 1;
	s->expirations += n;
	sched = s->start_ns + s->expirations * d.o.interval_us * NSEC_PER_USEC;

	s->msg.seq++;
	s->msg.tx_time_ns = clock_ns(CLOCK_REALTIME);
	len = hb_msg_encode(s->frame + ETH_HDR_LEN, HB_HDR_LEN, &s->msg);
	if (len < 0)
		die("cannot encode a heartbeat");
	now = clock_ns(CLOCK_MONOTONIC);
	if (sendto(s->fd, s->frame, ETH_HDR_LEN + (size_t)len, 0,
		   (struct sockaddr *)&s->to, sizeof(s->to)) < 0) {
		d.send_errors++;
		return;
	}
	d.sent++;
	late = now > sched ? now - sched : 0;
	samples_add(&d.late, late);
	if (d.send_log)
		fprintf(d.send_log, "%" PRIu64 ",%" PRIu64 "\n", sched, late);
}

/* ---- main loop ---- */

static void summary(int rxfd)
{
	struct tpacket_stats st = { 0 };
	socklen_t stlen = sizeof(st);
	u32 state[HB_STATE_LEFT + 1];

	/* Frames the socket's full buffer dropped before we read them. */
	if (rxfd < 0 || getsockopt(rxfd, SOL_PACKET, PACKET_STATISTICS, &st,
				   &stlen))
		st.tp_drops = 0;
	peers_states(d.peers, state);
	printf("{\"sent\":%" PRIu64 ",\"missed_expirations\":%" PRIu64
	       ",\"received\":%" PRIu64 ",\"peers\":%u,\"transitions\":%" PRIu64
	       ",\"late_p50_ns\":%" PRIu64 ",\"late_p99_ns\":%" PRIu64
	       ",\"late_max_ns\":%" PRIu64 ",\"send_errors\":%" PRIu64
	       ",\"rx_dropped\":%" PRIu64 ",\"rx_socket_drops\":%u"
	       ",\"alive\":%u,\"suspect\":%u,\"dead\":%u,\"left\":%u}\n",
	       d.sent, d.missed, d.received, peers_count(d.peers),
	       d.transitions,
	       samples_pct(&d.late, 50), samples_pct(&d.late, 99),
	       samples_pct(&d.late, 100), d.send_errors, d.rx_dropped,
	       st.tp_drops,
	       state[HB_STATE_ALIVE], state[HB_STATE_SUSPECT],
	       state[HB_STATE_DEAD], state[HB_STATE_LEFT]);
	fflush(stdout);
}

static void add_fd(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		die("epoll_ctl: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	struct sender tx = { .fd = -1, .tfd = -1 };
	struct hb_det_params params;
	int ep, sfd, rxfd = -1, dlfd = -1, tmp;
	u64 end_ns = 0;
	sigset_t sigs;

	prog = "hbuserd";
	parse_args(argc, argv, &d.o);
	params = (struct hb_det_params){
		.fall = d.o.fall,
		.rise = d.o.rise,
		.slack_ns = d.o.slack_us * NSEC_PER_USEC,
		.detector = HB_DETECTOR_TIMEOUT,
	};

	tmp = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (tmp < 0)
		die("packet socket: %s", strerror(errno));
	d.ifindex = iface_lookup(tmp, d.o.iface, d.mac);
	close(tmp);
	d.peers = peers_new(d.o.node_id, d.o.cluster, d.ifindex, &params, true,
			    report);
	if (d.o.send_log)
		d.send_log = open_log(d.o.send_log);
	if (d.o.event_log)
		d.event_log = open_log(d.o.event_log);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		die("signalfd/epoll: %s", strerror(errno));
	add_fd(ep, sfd);

	if (d.o.recv) {
		rxfd = rx_open();
		dlfd = timerfd_create(CLOCK_MONOTONIC,
				      TFD_NONBLOCK | TFD_CLOEXEC);
		if (dlfd < 0)
			die("timerfd_create: %s", strerror(errno));
		add_fd(ep, rxfd);
		add_fd(ep, dlfd);
	}
	if (d.o.send) {
		tx_open(&tx);
		add_fd(ep, tx.tfd);
	}
	if (d.o.seconds)
		end_ns = clock_ns(CLOCK_MONOTONIC) + d.o.seconds * NSEC_PER_SEC;
	/* Set up: what is measured from here on is the daemon's steady state. */
	fprintf(stderr, "ready\n");

	for (;;) {
		struct epoll_event ev[4];
		bool tx_due = false, rx_due = false, dl_due = false;
		bool stop = false;
		int n, i, timeout = -1;

		if (end_ns) {
			u64 now = clock_ns(CLOCK_MONOTONIC);

			if (now >= end_ns)
				break;
			timeout = (int)((end_ns - now + NSEC_PER_MSEC - 1) /
					NSEC_PER_MSEC);
		}
		n = epoll_wait(ep, ev, 4, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		for (i = 0; i < n; i++) {
			tx_due |= ev[i].data.fd == tx.tfd;
			rx_due |= ev[i].data.fd == rxfd;
			dl_due |= ev[i].data.fd == dlfd;
			stop |= ev[i].data.fd == sfd;
		}
		/*
		 * Sending first: it is what the send lateness measures. Then
		 * frames before deadlines, so that a frame which arrived
		 * before its peer's deadline counts, as in the module.
		 */
		if (tx_due)
			tx_tick(&tx);
		if (rx_due)
			rx_drain(rxfd);
		if (dl_due) {
			u64 exp;

			if (read(dlfd, &exp, sizeof(exp)) == sizeof(exp))
				d.armed_ns = 0;
			peers_expire(d.peers, clock_ns(CLOCK_MONOTONIC));
		}
		if (d.o.recv)
			deadline_arm(dlfd);
		if (stop)
			break;
	}

	summary(rxfd);
	if (d.send_log && fclose(d.send_log))
		die("%s: %s", d.o.send_log, strerror(errno));
	if (d.event_log && fclose(d.event_log))
		die("%s: %s", d.o.event_log, strerror(errno));
	return 0;
}
