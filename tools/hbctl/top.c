// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl top: the peers as a person at a terminal watches them, one line
 * each (state, phi, round trip, last heard, channels up), redrawn in
 * place with plain ANSI sequences until q or Ctrl-C. Not on a terminal,
 * or with "once" or -j, it prints one snapshot and exits.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "ranges.h"
#include "utils.h"

#define TOP_INTERVAL_DEFAULT_US	1000000
/* Header, column titles: the lines above the first peer. */
#define TOP_HEAD_LINES		2

/* Home, clear; hide and show the cursor. */
#define ANSI_CLEAR		"\033[H\033[2J"
#define ANSI_CURSOR_HIDE	"\033[?25l"
#define ANSI_CURSOR_SHOW	"\033[?25h"

struct top_peer {
	uint32_t id;
	int state;		/* -1: not sent */
	int64_t phi;		/* thousandths, -1: not sent (timeout detector) */
	int64_t rtt_us;		/* mean round trip, -1: never probed */
	int64_t seen_us;	/* age of the last frame, -1: never heard */
	int links_up, links;	/* channels, -1: not sent */
};

struct top_snap {
	struct top_peer *peers;
	unsigned int n, cap;
	uint32_t node_id;
	bool has_node;
	bool failed;		/* out of memory */
};

static const struct attr_policy top_peer_policy[HEARTBEAT_A_PEER_MAX + 1] = {
	[HEARTBEAT_A_PEER_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_STATE] = { MNL_TYPE_U8 },
	[HEARTBEAT_A_PEER_LAST_SEEN_US] = { MNL_TYPE_U64 },
	[HEARTBEAT_A_PEER_PHI] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_RTT_MEAN_US] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_PEER_CHANNELS] = { MNL_TYPE_NESTED },
	[HEARTBEAT_A_PEER_CHANNELS_UP] = { MNL_TYPE_U32 },
};

static volatile sig_atomic_t top_stop;

static void top_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl top [ interval DURATION ] [ once ]\n"
		"       hbctl top help\n"
		"where  DURATION := NUMBER{ us | ms | s } between redraws, 100ms to 3600s\n"
		"                   (default 1s)\n"
		"On a terminal q (or Ctrl-C) quits, any other key redraws at once;\n"
		"elsewhere, with once or with -j, one snapshot is printed.\n");
}

static int top_peer_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_PEER_MAX + 1];
	struct top_snap *s = data;
	const struct nlattr *pos;
	struct top_peer *p;

	if (attr_parse_msg(nlh, tb, top_peer_policy, HEARTBEAT_A_PEER_MAX) ||
	    !tb[HEARTBEAT_A_PEER_ID]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 64;
		struct top_peer *q = realloc(s->peers, cap * sizeof(*q));

		if (!q) {
			s->failed = true;
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		s->peers = q;
		s->cap = cap;
	}
	p = &s->peers[s->n++];
	p->id = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_ID]);
	p->state = tb[HEARTBEAT_A_PEER_STATE] ?
		   mnl_attr_get_u8(tb[HEARTBEAT_A_PEER_STATE]) : -1;
	p->phi = tb[HEARTBEAT_A_PEER_PHI] ?
		 (int64_t)mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_PHI]) : -1;
	p->rtt_us = tb[HEARTBEAT_A_PEER_RTT_MEAN_US] ?
		    (int64_t)mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_RTT_MEAN_US]) : -1;
	p->seen_us = tb[HEARTBEAT_A_PEER_LAST_SEEN_US] ?
		     (int64_t)mnl_attr_get_u64(tb[HEARTBEAT_A_PEER_LAST_SEEN_US]) : -1;
	p->links = p->links_up = -1;
	if (tb[HEARTBEAT_A_PEER_CHANNELS]) {
		p->links = 0;
		mnl_attr_for_each_nested(pos, tb[HEARTBEAT_A_PEER_CHANNELS])
			p->links++;
		if (tb[HEARTBEAT_A_PEER_CHANNELS_UP])
			p->links_up = mnl_attr_get_u32(tb[HEARTBEAT_A_PEER_CHANNELS_UP]);
	}
	return MNL_CB_OK;
}

static int top_node_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	struct top_snap *s = data;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != HEARTBEAT_A_NODE_ID)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		s->node_id = mnl_attr_get_u32(attr);
		s->has_node = true;
	}
	return MNL_CB_OK;
}

static int peer_cmp(const void *a, const void *b)
{
	const struct top_peer *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * One round of requests. A failure is reported unless q or a signal
 * interrupted it: a Ctrl-C during a request is no error of the kernel's.
 */
static int top_fetch(struct top_snap *s)
{
	int err;

	s->n = 0;
	s->has_node = false;
	err = genl_talk_quiet(genl_msg_start(HEARTBEAT_CMD_NODE_GET, 0),
			      top_node_cb, s);
	if (!err)
		err = genl_talk_quiet(genl_msg_start(HEARTBEAT_CMD_PEER_GET,
						     NLM_F_DUMP), top_peer_cb, s);
	if (err && top_stop)
		return 0;
	if (err)
		genl_report(err);
	else if (s->n)
		qsort(s->peers, s->n, sizeof(*s->peers), peer_cmp);
	return err;
}

static unsigned int count_state(const struct top_snap *s, int state)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->peers[i].state == state;
	return n;
}

/*
 * The text frame: a header, the column titles and at most @rows peers
 * (0: all), the rest counted on a last line so the screen never scrolls.
 */
static void top_render(FILE *fp, const struct top_snap *s, unsigned int rows,
		uint32_t interval_us, bool live)
{
	char state[16], phi[MILLI_BUFSZ], rtt[DURATION_BUFSZ];
	char seen[DURATION_BUFSZ], links[24], every[DURATION_BUFSZ];
	const struct top_peer *p;
	unsigned int i, shown = s->n;
	const char *name;

	if (s->has_node && s->node_id)
		fprintf(fp, "node %u", s->node_id);
	else
		fprintf(fp, "node %s", s->has_node ? "none" : "-");
	fprintf(fp, "  peers %u  alive %u  suspect %u  dead %u", s->n,
		count_state(s, HEARTBEAT_STATE_ALIVE),
		count_state(s, HEARTBEAT_STATE_SUSPECT),
		count_state(s, HEARTBEAT_STATE_DEAD));
	if (live) {
		format_duration(interval_us, every, sizeof(every));
		fprintf(fp, "  every %s  q quits", every);
	}
	fprintf(fp, "\n%-10s %-8s %6s %8s %8s %5s\n", "PEER", "STATE", "PHI",
		"RTT", "SEEN", "LINKS");
	if (rows && shown > rows)
		shown = rows > 1 ? rows - 1 : 0;
	for (i = 0; i < shown; i++) {
		p = &s->peers[i];
		name = p->state >= 0 ?
		       peer_state_name(p->state, state, sizeof(state)) : "-";
		if (p->phi >= 0)
			format_milli_rounded(p->phi, phi, sizeof(phi));
		else
			strcpy(phi, "-");
		if (p->rtt_us >= 0)
			format_duration(p->rtt_us, rtt, sizeof(rtt));
		else
			strcpy(rtt, "-");
		if (p->seen_us >= 0)
			format_age(p->seen_us, seen, sizeof(seen));
		else
			strcpy(seen, "never");
		if (p->links >= 0 && p->links_up >= 0)
			snprintf(links, sizeof(links), "%d/%d", p->links_up,
				 p->links);
		else
			strcpy(links, "-");
		fprintf(fp, "%-10u %-8s %6s %8s %8s %5s\n", p->id, name, phi,
			rtt, seen, links);
	}
	if (shown < s->n)
		fprintf(fp, "... %u more\n", s->n - shown);
}

/* -j: the same columns as a list of objects, numbers exact. */
static void top_json(const struct top_snap *s)
{
	char state[16];
	unsigned int i;

	open_json_array(NULL);
	for (i = 0; i < s->n; i++) {
		const struct top_peer *p = &s->peers[i];

		open_json_object(NULL);
		print_u32(PRINT_JSON, "id", NULL, p->id);
		if (p->state >= 0)
			print_string(PRINT_JSON, "state", NULL,
				     peer_state_name(p->state, state,
						     sizeof(state)));
		if (p->phi >= 0)
			print_milli(PRINT_JSON, "phi", NULL, p->phi);
		if (p->rtt_us >= 0)
			print_u32(PRINT_JSON, "rtt_mean_us", NULL, p->rtt_us);
		if (p->seen_us >= 0)
			print_u64(PRINT_JSON, "last_seen_us", NULL, p->seen_us);
		else
			print_string(PRINT_JSON, "last_seen_us", NULL, NULL);
		if (p->links >= 0 && p->links_up >= 0) {
			print_u32(PRINT_JSON, "links", NULL, p->links);
			print_u32(PRINT_JSON, "links_up", NULL, p->links_up);
		}
		close_json_object();
	}
	close_json_array();
	print_nl();
}

/* SIGWINCH only wakes poll() up: the next frame asks for the size. */
static void on_signal(int sig)
{
	if (sig != SIGWINCH)
		top_stop = 1;
}

/* Lines left for peers below the header, at least one. */
static unsigned int term_peer_rows(void)
{
	struct winsize ws;
	unsigned int rows = 24;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row)
		rows = ws.ws_row;
	/* and one for the cursor after the last line */
	return rows > TOP_HEAD_LINES + 2 ? rows - TOP_HEAD_LINES - 1 : 1;
}

/*
 * Keys without Enter and without echo; the old settings come back
 * whatever ends the loop (q, a signal, the kernel's refusal).
 */
struct term {
	struct termios saved;
	bool raw;
};

static void term_raw(struct term *t)
{
	struct termios tio;

	t->raw = false;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t->saved))
		return;
	tio = t->saved;
	/* ISIG stays: Ctrl-C is SIGINT, which ends the loop cleanly. */
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	t->raw = !tcsetattr(STDIN_FILENO, TCSANOW, &tio);
}

static void term_restore(struct term *t)
{
	if (t->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	t->raw = false;
}

/* 1: quit, 0: go on (after a key, a signal or the interval). */
static int top_wait(int *in_fd, uint32_t interval_us)
{
	struct pollfd pfd = { .fd = *in_fd, .events = POLLIN };
	char keys[16];
	ssize_t n, i;
	int ret;

	ret = poll(&pfd, 1, interval_us / 1000);
	if (ret <= 0 || top_stop)
		return top_stop;
	n = read(*in_fd, keys, sizeof(keys));
	/* No more input (stdin at its end): only signals and time remain. */
	if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN)))
		*in_fd = -1;
	for (i = 0; i < n; i++)
		if (keys[i] == 'q' || keys[i] == 'Q')
			return 1;
	return 0;
}

static int top_live(struct top_snap *s, uint32_t interval_us)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction old_int, old_term, old_hup, old_winch;
	int in_fd = STDIN_FILENO, err = 0;
	struct term t;
	char *frame = NULL;
	size_t len = 0;
	FILE *fp;

	/* No SA_RESTART: a signal must wake poll() up. */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGWINCH, &sa, &old_winch);
	term_raw(&t);
	fputs(ANSI_CURSOR_HIDE, stdout);
	while (!top_stop) {
		err = top_fetch(s);
		if (err || top_stop)
			break;
		/* One write per frame: a half-drawn screen flickers. */
		fp = open_memstream(&frame, &len);
		if (!fp) {
			err = -ENOMEM;
			break;
		}
		fputs(ANSI_CLEAR, fp);
		top_render(fp, s, term_peer_rows(), interval_us, true);
		fclose(fp);
		fwrite(frame, 1, len, stdout);
		fflush(stdout);
		free(frame);
		frame = NULL;
		if (top_wait(&in_fd, interval_us))
			break;
	}
	fputs(ANSI_CURSOR_SHOW, stdout);
	fflush(stdout);
	term_restore(&t);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	return err;
}

int do_top(int argc, char **argv)
{
	uint32_t interval_us = TOP_INTERVAL_DEFAULT_US;
	bool once = false, have_interval = false;
	struct top_snap s = {};
	int err;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "once")) {
			once = true;
		} else if (matches(argv[0], "interval")) {
			if (argc < 2) {
				invarg(argv[0], "missing value");
				return HB_EXIT_USAGE;
			}
			if (have_interval) {
				invarg(argv[1], "interval given twice");
				return HB_EXIT_USAGE;
			}
			if (parse_range(&range_top_interval, argv[1],
					&interval_us))
				return HB_EXIT_USAGE;
			have_interval = true;
			argc--;
			argv++;
		} else if (matches(argv[0], "help")) {
			top_usage(stdout);
			return HB_EXIT_OK;
		} else {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	top_stop = 0;
	if (once || is_json_context() || !isatty(STDOUT_FILENO)) {
		err = top_fetch(&s);
		if (!err && is_json_context())
			top_json(&s);
		else if (!err)
			top_render(stdout, &s, 0, interval_us, false);
	} else {
		err = top_live(&s, interval_us);
	}
	free(s.peers);
	genl_close();
	if (s.failed)
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}
