/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * heartbeat: in-kernel cluster liveness detection over raw Ethernet.
 *
 * Userspace ABI of the "heartbeat" generic netlink family. The family is
 * network-namespace aware: every command acts on the caller's namespace.
 * Documentation/netlink/specs/heartbeat.yaml describes the same family as a
 * spec; selftests/host/test_netlink_spec.py checks that the two agree.
 *
 * Rules for changing this file: values are never renumbered or reused; new
 * commands and attributes are appended before the __*_MAX sentinels.
 */
#ifndef _UAPI_LINUX_HEARTBEAT_H
#define _UAPI_LINUX_HEARTBEAT_H

#define HEARTBEAT_GENL_NAME		"heartbeat"
#define HEARTBEAT_GENL_VERSION		1
#define HEARTBEAT_MCGRP_EVENTS		"events"

enum heartbeat_cmd {
	HEARTBEAT_CMD_UNSPEC,
	HEARTBEAT_CMD_NODE_GET,		/* do: HEARTBEAT_A_NODE_* of this netns */
	HEARTBEAT_CMD_NODE_SET,		/* do: change HEARTBEAT_A_NODE_* (admin) */
	HEARTBEAT_CMD_LINK_ADD,		/* do: bind to a netdev (admin) */
	HEARTBEAT_CMD_LINK_DEL,		/* do: unbind from a netdev (admin) */
	HEARTBEAT_CMD_LINK_GET,		/* do by ifindex, or dump */
	HEARTBEAT_CMD_PEER_ADD,		/* do: configure a peer (admin) */
	HEARTBEAT_CMD_PEER_DEL,		/* do: forget a peer (admin) */
	HEARTBEAT_CMD_PEER_GET,		/* do by id, or dump */
	HEARTBEAT_CMD_STATS_GET,	/* do: HEARTBEAT_A_STATS_* */
	HEARTBEAT_CMD_PEER_EVENT,	/* multicast on "events": HEARTBEAT_A_EVENT_* */
	HEARTBEAT_CMD_KEY_ADD,		/* do: add an authentication key (admin) */
	HEARTBEAT_CMD_KEY_DEL,		/* do: remove a key (admin) */
	HEARTBEAT_CMD_KEY_GET,		/* dump: key ids, never secrets (admin) */
	HEARTBEAT_CMD_QUORUM_GET,	/* do: HEARTBEAT_A_QUORUM_* */
	HEARTBEAT_CMD_QUORUM_SET,	/* do: change the quorum settings (admin) */
	HEARTBEAT_CMD_PEER_PROBE,	/* do: probe a peer once (admin); the answer
					 * comes as a probe event
					 */
	HEARTBEAT_CMD_APP_ADD,		/* do: add a readiness gate (admin) */
	HEARTBEAT_CMD_APP_DEL,		/* do: remove a readiness gate (admin) */
	HEARTBEAT_CMD_APP_GET,		/* do by name, or dump */
	HEARTBEAT_CMD_APP_KICK,		/* do: the application is ready now (admin) */
	HEARTBEAT_CMD_DISK_ADD,		/* do: a shared-disk channel (CAP_SYS_ADMIN) */
	HEARTBEAT_CMD_DISK_DEL,		/* do: remove it (admin) */
	HEARTBEAT_CMD_DISK_GET,		/* do: HEARTBEAT_A_DISK_* */
	HEARTBEAT_CMD_DISK_POISON,	/* do: ask a node through the disk to stop
					 * (admin; quorate when quorum is on)
					 */

	__HEARTBEAT_CMD_MAX,
	HEARTBEAT_CMD_MAX = __HEARTBEAT_CMD_MAX - 1
};

/* Attributes of the local node (one per network namespace). */
enum heartbeat_node_attr {
	HEARTBEAT_A_NODE_UNSPEC,
	HEARTBEAT_A_NODE_PAD,
	HEARTBEAT_A_NODE_ID,		/* u32: 0 until set; nonzero once set */
	HEARTBEAT_A_NODE_CLUSTER,	/* u32: cluster id shared by all peers */
	HEARTBEAT_A_NODE_INCARNATION,	/* u64: read-only, new on every start */
	HEARTBEAT_A_NODE_INTERVAL_US,	/* u32: send period in microseconds */
	HEARTBEAT_A_NODE_FALL,		/* u32: missed intervals before dead */
	HEARTBEAT_A_NODE_RISE,		/* u32: heartbeats needed to be alive */
	HEARTBEAT_A_NODE_GRACE_US,	/* u32: wait for never-heard peers */
	HEARTBEAT_A_NODE_LEARN,		/* u8: 1 learns peers from frames */
	HEARTBEAT_A_NODE_SLACK_US,	/* u32: lateness before a miss; 0: one interval */
	HEARTBEAT_A_NODE_DETECTOR,	/* u8: enum heartbeat_detector */
	HEARTBEAT_A_NODE_PHI_MODEL,	/* u8: enum heartbeat_phi_model */
	HEARTBEAT_A_NODE_PHI_THRESHOLD,	/* u32: dead at phi >= this / 1000 */
	HEARTBEAT_A_NODE_PHI_WARN,	/* u32: suspect at phi >= this / 1000; 0: none */
	HEARTBEAT_A_NODE_PHI_WINDOW,	/* u32: inter-arrival samples kept */
	HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, /* u32: floor under the stddev */
	HEARTBEAT_A_NODE_PHI_PAUSE_US,	/* u32: acceptable pause (normal model) */
	HEARTBEAT_A_NODE_AUTH,		/* u8: enum heartbeat_auth */
	HEARTBEAT_A_NODE_AUTH_KEY,	/* u32: id of the key that signs; 0: none */
	HEARTBEAT_A_NODE_MAX_PEERS,	/* u32: peers this node tracks at most */
	HEARTBEAT_A_NODE_LEARN_RATE,	/* u32: new peers learned per second; 0: no limit */
	HEARTBEAT_A_NODE_LEARN_EXPIRE_US, /* u32: learned peers dead or left this long are forgotten; 0: never */
	HEARTBEAT_A_NODE_GOSSIP,	/* u32: view entries per frame at most; 0: none */
	HEARTBEAT_A_NODE_PROBE_HELPERS,	/* u32: members asked to probe a suspect peer */
	HEARTBEAT_A_NODE_MIN_LINKS,	/* u32: channels a peer must be heard on to be
					 * alive (1 .. HEARTBEAT_CHANNELS_MAX)
					 */
	HEARTBEAT_A_NODE_LAST_WORDS,	/* u8: enum heartbeat_last_words */

	__HEARTBEAT_A_NODE_MAX,
	HEARTBEAT_A_NODE_MAX = __HEARTBEAT_A_NODE_MAX - 1
};

/* Attributes of a link: the node bound to one network device. */
enum heartbeat_link_attr {
	HEARTBEAT_A_LINK_UNSPEC,
	HEARTBEAT_A_LINK_PAD,
	HEARTBEAT_A_LINK_IFINDEX,	/* u32 */
	HEARTBEAT_A_LINK_IFNAME,	/* string, read-only */
	HEARTBEAT_A_LINK_ID,		/* u32: link id sent in frames, read-only */
	HEARTBEAT_A_LINK_MODE,		/* u8: enum heartbeat_link_mode */
	HEARTBEAT_A_LINK_UP,		/* u8: 1 while the device can send */
	HEARTBEAT_A_LINK_TX,		/* u64: frames sent */
	HEARTBEAT_A_LINK_TX_ERRORS,	/* u64: frames the device refused */
	HEARTBEAT_A_LINK_TX_SKIPPED,	/* u64: sends skipped (down, MTU) */
	HEARTBEAT_A_LINK_TX_OVERRUNS,	/* u64: periods with no frame of their own */
	HEARTBEAT_A_LINK_LATE_MAX_NS,	/* u64: worst send lateness */
	HEARTBEAT_A_LINK_LATE_HIST,	/* nest: u64 per heartbeat_late_bucket */
	HEARTBEAT_A_LINK_LAST_WORDS,	/* u8, read-only: 1 while ready to send DYING
					 * from a panic (netpoll set up)
					 */

	__HEARTBEAT_A_LINK_MAX,
	HEARTBEAT_A_LINK_MAX = __HEARTBEAT_A_LINK_MAX - 1
};

enum heartbeat_detector {
	HEARTBEAT_DETECTOR_TIMEOUT,	/* fixed timeout: fall, slack */
	HEARTBEAT_DETECTOR_PHI,		/* phi accrual: phi thresholds */
};

/* When a node sends its last words, a DYING frame on every link. */
enum heartbeat_last_words {
	HEARTBEAT_LAST_WORDS_OFF,	/* never */
	HEARTBEAT_LAST_WORDS_REBOOT,	/* on reboot, halt and power off */
	HEARTBEAT_LAST_WORDS_ON,	/* those, and from a kernel panic too */
};

/* Why a peer said it is going down (its DYING frame). */
enum heartbeat_dying_reason {
	HEARTBEAT_DYING_UNKNOWN,	/* no reason given */
	HEARTBEAT_DYING_PANIC,
	HEARTBEAT_DYING_REBOOT,
	HEARTBEAT_DYING_HALT,
	HEARTBEAT_DYING_POWEROFF,
};

enum heartbeat_phi_model {
	HEARTBEAT_PHI_NORMAL,		/* logistic approximation of the normal CDF */
	HEARTBEAT_PHI_EXPONENTIAL,	/* phi = t / mean * log10(e) */
};

enum heartbeat_auth {
	HEARTBEAT_AUTH_OFF,		/* frames are not signed; MACs not checked */
	HEARTBEAT_AUTH_OPTIONAL,	/* sign; check MACs present; accept unsigned */
	HEARTBEAT_AUTH_REQUIRED,	/* sign; accept only frames with a valid MAC */
};

/* Attributes of an authentication key (HEARTBEAT_CMD_KEY_*). */
enum heartbeat_key_attr {
	HEARTBEAT_A_KEY_UNSPEC,
	HEARTBEAT_A_KEY_ID,		/* u32: 1 .. 65535, sent in every signed frame */
	HEARTBEAT_A_KEY_SECRET,		/* binary: 16 .. 64 bytes; write-only */
	HEARTBEAT_A_KEY_SIGNING,	/* flag, read-only: the key that signs */

	__HEARTBEAT_A_KEY_MAX,
	HEARTBEAT_A_KEY_MAX = __HEARTBEAT_A_KEY_MAX - 1
};

#define HEARTBEAT_KEY_ID_MAX		65535U
#define HEARTBEAT_KEY_SECRET_MIN	16U
#define HEARTBEAT_KEY_SECRET_MAX	64U
#define HEARTBEAT_KEYS_MAX		8U	/* keys per node */

enum heartbeat_link_mode {
	HEARTBEAT_LINK_MULTICAST,	/* one frame per interval to the group MAC */
	HEARTBEAT_LINK_UNICAST,		/* one frame per configured peer MAC */
};

/*
 * Send lateness histogram: bucket 0 counts sends less than 1 us late,
 * bucket b (1 <= b < HEARTBEAT_LATE_BUCKETS - 1) those in [2^(b-1), 2^b) us,
 * the last bucket everything later. Attribute type = bucket + 1; type 0
 * is padding.
 */
#define HEARTBEAT_LATE_BUCKETS		22

/*
 * Detection time histogram: time from a peer's last heartbeat to the verdict
 * "dead", counted once per verdict. Bucket 0 counts times under 1 ms, bucket
 * b (1 <= b < HEARTBEAT_DETECT_BUCKETS - 1) those in [2^(b-1), 2^b) ms, the
 * last bucket everything longer. Attribute type = bucket + 1; type 0 is
 * padding.
 */
#define HEARTBEAT_DETECT_BUCKETS	20

/*
 * Probe round-trip histogram: bucket 0 counts round trips under 1 us,
 * bucket b (1 <= b < HEARTBEAT_RTT_BUCKETS - 1) those in [2^(b-1), 2^b) us,
 * the last bucket everything longer. Attribute type = bucket + 1; type 0
 * is padding.
 */
#define HEARTBEAT_RTT_BUCKETS		22

/* Attributes of a peer, and of one path to it (HEARTBEAT_A_PEER_PATHS). */
enum heartbeat_peer_attr {
	HEARTBEAT_A_PEER_UNSPEC,
	HEARTBEAT_A_PEER_PAD,
	HEARTBEAT_A_PEER_ID,		/* u32: the peer's node id */
	HEARTBEAT_A_PEER_IFINDEX,	/* u32: configured link (0: any) */
	HEARTBEAT_A_PEER_MAC,		/* binary[6]: configured unicast MAC */
	HEARTBEAT_A_PEER_STATE,		/* u8: enum heartbeat_peer_state */
	HEARTBEAT_A_PEER_CONFIGURED,	/* flag: added by an administrator */
	HEARTBEAT_A_PEER_INCARNATION,	/* u64 */
	HEARTBEAT_A_PEER_INTERVAL_US,	/* u32: interval the peer advertises */
	HEARTBEAT_A_PEER_LAST_SEEN_US,	/* u64: age of the last heartbeat */
	HEARTBEAT_A_PEER_RX,		/* u64: heartbeats accepted */
	HEARTBEAT_A_PEER_LOST,		/* u64: heartbeats lost (sequence gaps) */
	HEARTBEAT_A_PEER_RESTARTS,	/* u64: incarnation changes seen */
	HEARTBEAT_A_PEER_PATHS,		/* nest of nests, one per path */
	HEARTBEAT_A_PEER_PATH_LINK,	/* u32: sender's link id (in a path) */
	HEARTBEAT_A_PEER_PHI,		/* u32: phi now, in thousandths */
	HEARTBEAT_A_PEER_MEAN_US,	/* u32: mean inter-arrival time */
	HEARTBEAT_A_PEER_STDDEV_US,	/* u32: its standard deviation */
	HEARTBEAT_A_PEER_SAMPLES,	/* u32: samples in the window */
	HEARTBEAT_A_PEER_LOCAL_STATE,	/* u8: this node's own verdict, from what it
					 * hears itself - frames, its disk slot,
					 * min-links (STATE is the cluster's)
					 */
	HEARTBEAT_A_PEER_HEARD_BY,	/* nest: u32 ids of members that hear it
					 * now, by their gossip (attr type 0, repeated)
					 */
	HEARTBEAT_A_PEER_CONSENSUS,	/* flag: dead by the quorate partition's consensus */
	HEARTBEAT_A_PEER_RTT_MIN_US,	/* u32: probe round trips of the window */
	HEARTBEAT_A_PEER_RTT_MEAN_US,	/* u32 */
	HEARTBEAT_A_PEER_RTT_P99_US,	/* u32 */
	HEARTBEAT_A_PEER_RTT_SAMPLES,	/* u32: round trips in the window */
	HEARTBEAT_A_PEER_LATE_US,	/* u32: how late its last frame says it was sent */
	HEARTBEAT_A_PEER_RTT_HIST,	/* nest: u64 per heartbeat_rtt_bucket, every
					 * round trip since the peer appeared
					 */
	HEARTBEAT_A_PEER_RTT_COUNT,	/* u64: round trips counted in RTT_HIST */
	HEARTBEAT_A_PEER_RTT_SUM_US,	/* u64: and their sum */
	HEARTBEAT_A_PEER_CHANNELS,	/* nest of channel nests (enum
					 * heartbeat_channel_attr), one per
					 * channel the peer is heard on
					 */
	HEARTBEAT_A_PEER_CHANNELS_UP,	/* u32: channels up */
	HEARTBEAT_A_PEER_DYING,		/* u8: enum heartbeat_dying_reason, while its
					 * verdict dead comes from its last words
					 */
	HEARTBEAT_A_PEER_READY,		/* u8: 0 when its latest frame said NOT_READY */

	__HEARTBEAT_A_PEER_MAX,
	HEARTBEAT_A_PEER_MAX = __HEARTBEAT_A_PEER_MAX - 1
};

/*
 * A channel of a peer: a link of ours its frames arrive on (or the shared
 * disk), up while it is heard there (HEARTBEAT_A_PEER_CHANNELS).
 */
enum heartbeat_channel_attr {
	HEARTBEAT_A_CHANNEL_UNSPEC,
	HEARTBEAT_A_CHANNEL_PAD,
	HEARTBEAT_A_CHANNEL_LINK,	/* u32: our link id; HEARTBEAT_CHANNEL_DISK */
	HEARTBEAT_A_CHANNEL_IFINDEX,	/* u32: the link's device (network channels) */
	HEARTBEAT_A_CHANNEL_NAME,	/* string: the device's name, or "disk" */
	HEARTBEAT_A_CHANNEL_UP,		/* u8: 1 while the peer is heard on it */
	HEARTBEAT_A_CHANNEL_LAST_SEEN_US, /* u64: age of the last frame on it */
	HEARTBEAT_A_CHANNEL_RTT_US,	/* u32: mean probe round trip on it, if any */

	__HEARTBEAT_A_CHANNEL_MAX,
	HEARTBEAT_A_CHANNEL_MAX = __HEARTBEAT_A_CHANNEL_MAX - 1
};

#define HEARTBEAT_CHANNEL_DISK		0xffffU	/* channel id of the shared disk */
#define HEARTBEAT_CHANNELS_MAX		8U	/* channels tracked per peer */

enum heartbeat_peer_state {
	HEARTBEAT_STATE_UNKNOWN,	/* configured, never heard */
	HEARTBEAT_STATE_ALIVE,
	HEARTBEAT_STATE_SUSPECT,	/* a heartbeat is overdue */
	HEARTBEAT_STATE_DEAD,		/* fall heartbeats missed */
	HEARTBEAT_STATE_LEFT,		/* said goodbye (LEAVE) */
	HEARTBEAT_STATE_UNREACHABLE,	/* silent to us, heard by other members */
};

/* A notification on the "events" group. */
enum heartbeat_event_attr {
	HEARTBEAT_A_EVENT_UNSPEC,
	HEARTBEAT_A_EVENT_PAD,
	HEARTBEAT_A_EVENT_TYPE,		/* u8: enum heartbeat_event_type */
	HEARTBEAT_A_EVENT_PEER,		/* u32: peer node id */
	HEARTBEAT_A_EVENT_STATE,	/* u8: new state */
	HEARTBEAT_A_EVENT_PREV_STATE,	/* u8: state before */
	HEARTBEAT_A_EVENT_TIME_NS,	/* u64: CLOCK_REALTIME of the verdict */
	HEARTBEAT_A_EVENT_INCARNATION,	/* u64: the peer's incarnation */
	HEARTBEAT_A_EVENT_PREV_INCARNATION, /* u64: before a restart */
	HEARTBEAT_A_EVENT_PHI,		/* u32: phi at the verdict, thousandths */
	HEARTBEAT_A_EVENT_QUORATE,	/* u8: quorum events, and peer events with quorum set */
	HEARTBEAT_A_EVENT_VOTES,	/* u32: quorum events */
	HEARTBEAT_A_EVENT_EXPECTED_VOTES, /* u32: quorum events */
	HEARTBEAT_A_EVENT_CONSENSUS,	/* u8: peer events with quorum set: 1 when the
					 * quorate partition agrees it is dead
					 */
	HEARTBEAT_A_EVENT_PROBE_TOKEN,	/* u32: probe events: the probe answered */
	HEARTBEAT_A_EVENT_RTT_NS,	/* u64: probe events: its round trip */
	HEARTBEAT_A_EVENT_VIA,		/* u32: probe events: the helper that relayed it, 0: none */
	HEARTBEAT_A_EVENT_IFINDEX,	/* u32: probe events: our device; degraded
					 * events: the channel's device
					 */
	HEARTBEAT_A_EVENT_LINKS_UP,	/* u32: degraded events: channels up now */
	HEARTBEAT_A_EVENT_LINKS,	/* u32: degraded events: channels known */
	HEARTBEAT_A_EVENT_CHANNEL,	/* u32: degraded events: the channel's id */
	HEARTBEAT_A_EVENT_CHANNEL_NAME,	/* string: degraded events: its name */
	HEARTBEAT_A_EVENT_CHANNEL_UP,	/* u8: degraded events: 1 it came back, 0 it died */
	HEARTBEAT_A_EVENT_DYING,	/* u8: state events, dead by the peer's last
					 * words: enum heartbeat_dying_reason
					 */
	HEARTBEAT_A_EVENT_READY,	/* u8: ready events: the peer's readiness;
					 * app events: the gate's (0 expired)
					 */
	HEARTBEAT_A_EVENT_APP_NAME,	/* string: app events: the gate */
	HEARTBEAT_A_EVENT_APP_ACTION,	/* u8: app events: enum heartbeat_app_action */
	HEARTBEAT_A_EVENT_NODE_READY,	/* u8: app events: this node's frames say ready */
	HEARTBEAT_A_EVENT_SILENT,	/* u8: app events: this node withholds its heartbeats */
	HEARTBEAT_A_EVENT_SEQ,		/* u64: the namespace's event count, from 1: a
					 * gap is an event the group did not carry
					 */
	HEARTBEAT_A_EVENT_ACTION,	/* u8: link, node and key events:
					 * enum heartbeat_event_action
					 */
	HEARTBEAT_A_EVENT_IFNAME,	/* string: link events: the device's name */
	HEARTBEAT_A_EVENT_LINK_ID,	/* u32: link events: the link id frames carry */
	HEARTBEAT_A_EVENT_KEY_ID,	/* u32: key events: the key (never its secret) */
	HEARTBEAT_A_EVENT_DROPS,	/* nest: drops events: u64 per
					 * heartbeat_drop_reason, frames dropped
					 * since the previous drops event (only
					 * the reasons that counted)
					 */
	HEARTBEAT_A_EVENT_PERIOD_NS,	/* u64: drops events: the time they cover */

	__HEARTBEAT_A_EVENT_MAX,
	HEARTBEAT_A_EVENT_MAX = __HEARTBEAT_A_EVENT_MAX - 1
};

enum heartbeat_event_type {
	HEARTBEAT_EVENT_PEER_STATE = 1,	/* a state transition */
	HEARTBEAT_EVENT_PEER_RESTART,	/* a new incarnation of the peer */
	HEARTBEAT_EVENT_PEER_EXPIRED,	/* a learned peer forgotten (learn-expire) */
	HEARTBEAT_EVENT_QUORUM,		/* quorate or votes changed */
	HEARTBEAT_EVENT_PROBE,		/* a probe was answered, or timed out */
	HEARTBEAT_EVENT_DEGRADED,	/* a channel of a live peer died or came back */
	HEARTBEAT_EVENT_PEER_READY,	/* a peer's frames say (not) ready */
	HEARTBEAT_EVENT_APP,		/* a local readiness gate expired, or holds
					 * no more (kicked, or deleted expired)
					 */
	HEARTBEAT_EVENT_FENCED,		/* this node obeyed a poison pill (peer: its sender) */
	/*
	 * Changes to this node (peer: this node), on the events group only,
	 * never as uevents.
	 */
	HEARTBEAT_EVENT_LINK,		/* a link added, removed, up or down */
	HEARTBEAT_EVENT_NODE,		/* the node's settings changed */
	HEARTBEAT_EVENT_KEY,		/* an authentication key added or removed */
	HEARTBEAT_EVENT_DROPS,		/* frames dropped, by reason: at most one a second */
};

/* What happened to the object of a link, node or key event. */
enum heartbeat_event_action {
	HEARTBEAT_ACTION_ADDED = 1,
	HEARTBEAT_ACTION_REMOVED,
	HEARTBEAT_ACTION_CHANGED,
	HEARTBEAT_ACTION_UP,		/* links: the device can send and hear again */
	HEARTBEAT_ACTION_DOWN,		/* links: down, or no carrier */
};

/* Attributes of the node's quorum (HEARTBEAT_CMD_QUORUM_*). */
enum heartbeat_quorum_attr {
	HEARTBEAT_A_QUORUM_UNSPEC,
	HEARTBEAT_A_QUORUM_EXPECTED_VOTES, /* u32: 0 turns quorum off */
	HEARTBEAT_A_QUORUM_TIE_BREAKER,	/* u8: enum heartbeat_tie_breaker */
	HEARTBEAT_A_QUORUM_WAIT_FOR_ALL, /* u8: 1 waits to see every member once */
	HEARTBEAT_A_QUORUM_QUORATE,	/* u8, read-only */
	HEARTBEAT_A_QUORUM_VOTES,	/* u32, read-only: live members, self included */
	HEARTBEAT_A_QUORUM_MEMBERS,	/* nest, read-only: u32 ids of the voting
					 * members (attr type 0, repeated)
					 */
	HEARTBEAT_A_QUORUM_NODES,	/* u32, read-only: configured peers + self */
	HEARTBEAT_A_QUORUM_CHANGES,	/* u32, read-only: quorum events so far */

	__HEARTBEAT_A_QUORUM_MAX,
	HEARTBEAT_A_QUORUM_MAX = __HEARTBEAT_A_QUORUM_MAX - 1
};

enum heartbeat_tie_breaker {
	HEARTBEAT_TIE_BREAKER_NONE,	/* an exact half is not quorate */
	HEARTBEAT_TIE_BREAKER_LOWEST,	/* the half with the lowest node id is */
	HEARTBEAT_TIE_BREAKER_HIGHEST,	/* the half with the highest node id is */
	HEARTBEAT_TIE_BREAKER_DISK,	/* the half holding the shared disk's lease is */
};

/* Attributes of the shared-disk channel (HEARTBEAT_CMD_DISK_*). */
enum heartbeat_disk_attr {
	HEARTBEAT_A_DISK_UNSPEC,
	HEARTBEAT_A_DISK_PAD,
	HEARTBEAT_A_DISK_PATH,		/* string: the block device, e.g. /dev/vdb */
	HEARTBEAT_A_DISK_OFFSET,	/* u64: bytes, a multiple of 4096 */
	HEARTBEAT_A_DISK_SLOTS,		/* u32: nodes the region holds (2 .. 255) */
	HEARTBEAT_A_DISK_INTERVAL_US,	/* u32: how often we write and read */
	HEARTBEAT_A_DISK_UP,		/* u8, read-only: our last write and read worked */
	HEARTBEAT_A_DISK_SLOT,		/* u32, read-only: our slot */
	HEARTBEAT_A_DISK_SEQ,		/* u64, read-only: our last slot sequence */
	HEARTBEAT_A_DISK_WRITES,	/* u64, read-only */
	HEARTBEAT_A_DISK_READS,		/* u64, read-only: region reads */
	HEARTBEAT_A_DISK_IO_ERRORS,	/* u64, read-only */
	HEARTBEAT_A_DISK_CORRUPT,	/* u64, read-only: blocks that did not check */
	HEARTBEAT_A_DISK_CONFLICTS,	/* u64, read-only: our slot written by another node */
	HEARTBEAT_A_DISK_BAD_MAC,	/* u64, read-only: blocks whose MAC did not verify */
	HEARTBEAT_A_DISK_LEASE_HOLDER,	/* u32, read-only: the tie-breaker's holder, 0 none */
	HEARTBEAT_A_DISK_LEASE_HELD,	/* u8, read-only: our half holds it now */
	HEARTBEAT_A_DISK_FENCED,	/* u8, read-only: we obeyed a poison pill */
	HEARTBEAT_A_DISK_PEER,		/* u32: DISK_POISON's target node */

	__HEARTBEAT_A_DISK_MAX,
	HEARTBEAT_A_DISK_MAX = __HEARTBEAT_A_DISK_MAX - 1
};

#define HEARTBEAT_DISK_PATH_MAX		255U
#define HEARTBEAT_DISK_SLOTS_MIN	2U
#define HEARTBEAT_DISK_SLOTS_MAX	255U
#define HEARTBEAT_DISK_INTERVAL_MIN_US	100000U		/* 100 ms */
#define HEARTBEAT_DISK_INTERVAL_MAX_US	60000000U	/* 60 s */

/* Attributes of a probe request (HEARTBEAT_CMD_PEER_PROBE) and its reply. */
enum heartbeat_probe_attr {
	HEARTBEAT_A_PROBE_UNSPEC,
	HEARTBEAT_A_PROBE_PEER,		/* u32: the peer to probe */
	HEARTBEAT_A_PROBE_IFINDEX,	/* u32: the link to send it on; 0: every link */
	HEARTBEAT_A_PROBE_TOKEN,	/* u32, in the reply: names the probe's event */

	__HEARTBEAT_A_PROBE_MAX,
	HEARTBEAT_A_PROBE_MAX = __HEARTBEAT_A_PROBE_MAX - 1
};

/*
 * Attributes of an application readiness gate (HEARTBEAT_CMD_APP_*,
 * Documentation/apps.rst): a gate is fresh while kicked within its
 * timeout; while one is expired the node's frames say NOT_READY, or, for
 * action silence, the node sends no heartbeat at all.
 */
enum heartbeat_app_attr {
	HEARTBEAT_A_APP_UNSPEC,
	HEARTBEAT_A_APP_PAD,
	HEARTBEAT_A_APP_NAME,		/* string: 1 .. HEARTBEAT_APP_NAME_MAX printable
					 * ASCII characters, no space; NUL-terminated
					 */
	HEARTBEAT_A_APP_TIMEOUT_US,	/* u32: the most time between two kicks */
	HEARTBEAT_A_APP_ACTION,		/* u8: enum heartbeat_app_action */
	HEARTBEAT_A_APP_READY,		/* u8, read-only: 1 fresh, 0 expired */
	HEARTBEAT_A_APP_SINCE_KICK_US,	/* u64, read-only: time since the last kick
					 * (since the add before the first)
					 */
	HEARTBEAT_A_APP_KICKS,		/* u64, read-only */
	HEARTBEAT_A_APP_EXPIRIES,	/* u64, read-only: times it expired */

	__HEARTBEAT_A_APP_MAX,
	HEARTBEAT_A_APP_MAX = __HEARTBEAT_A_APP_MAX - 1
};

enum heartbeat_app_action {
	HEARTBEAT_APP_NOTREADY,		/* expired: frames carry the NOT_READY flag */
	HEARTBEAT_APP_SILENCE,		/* expired: no heartbeat is sent at all */
};

#define HEARTBEAT_APP_NAME_MAX		31U	/* characters, without the NUL */
#define HEARTBEAT_APPS_MAX		16U	/* gates per node */
#define HEARTBEAT_APP_TIMEOUT_MIN_US	10000U		/* 10 ms */
#define HEARTBEAT_APP_TIMEOUT_MAX_US	3600000000U	/* 1 hour */

/* Counters of the node (HEARTBEAT_CMD_STATS_GET). */
enum heartbeat_stats_attr {
	HEARTBEAT_A_STATS_UNSPEC,
	HEARTBEAT_A_STATS_PAD,
	HEARTBEAT_A_STATS_TX,		/* u64: frames sent on all links */
	HEARTBEAT_A_STATS_RX,		/* u64: frames accepted */
	HEARTBEAT_A_STATS_DROPS,	/* nest: u64 per heartbeat_drop_reason */
	HEARTBEAT_A_STATS_LINKS,	/* nest of HEARTBEAT_A_LINK_* nests */
	HEARTBEAT_A_STATS_DEFERRED,	/* u64: verdicts deferred after a local stall */
	HEARTBEAT_A_STATS_DETECT_HIST,	/* nest: u64 per heartbeat_detect_bucket */
	HEARTBEAT_A_STATS_DETECT_COUNT,	/* u64: verdicts "dead" reached by silence */
	HEARTBEAT_A_STATS_DETECT_SUM_US, /* u64: their detection times, summed */
	HEARTBEAT_A_STATS_UEVENTS,	/* u64: uevents sent */
	HEARTBEAT_A_STATS_UEVENTS_LOST,	/* u64: uevents not sent (queue full, no memory) */
	HEARTBEAT_A_STATS_UEVENT_SEQ,	/* u64: HEARTBEAT_SEQ of the latest uevent */
	HEARTBEAT_A_STATS_PEERS_EXPIRED, /* u64: learned peers forgotten after learn-expire */
	HEARTBEAT_A_STATS_GOSSIP_TX,	/* u64: view entries sent */
	HEARTBEAT_A_STATS_GOSSIP_RX,	/* u64: view entries merged */
	HEARTBEAT_A_STATS_PROBES_TX,	/* u64: probes sent, relayed ones included */
	HEARTBEAT_A_STATS_PROBES_ACKED,	/* u64: acknowledgements received */

	__HEARTBEAT_A_STATS_MAX,
	HEARTBEAT_A_STATS_MAX = __HEARTBEAT_A_STATS_MAX - 1
};

/*
 * Why a received frame was dropped. In HEARTBEAT_A_STATS_DROPS the
 * attribute type is the reason (type 0 is padding); the names are the ones
 * hbctl prints.
 */
enum heartbeat_drop_reason {
	HEARTBEAT_DROP_UNSPEC,
	HEARTBEAT_DROP_SHORT,		/* "short": shorter than the header */
	HEARTBEAT_DROP_MAGIC,		/* "magic": not a heartbeat frame */
	HEARTBEAT_DROP_VERSION,		/* "version": unsupported version */
	HEARTBEAT_DROP_LENGTH,		/* "length": bad length field */
	HEARTBEAT_DROP_TYPE,		/* "type": unknown message type */
	HEARTBEAT_DROP_FIELD,		/* "field": a header field out of range */
	HEARTBEAT_DROP_TLV,		/* "tlv": malformed or unknown critical TLV */
	HEARTBEAT_DROP_CLUSTER,		/* "cluster": another cluster */
	HEARTBEAT_DROP_OWN_ID,		/* "own_id": our own id came back */
	HEARTBEAT_DROP_NO_ID,		/* "no_id": we have no id yet */
	HEARTBEAT_DROP_UNBOUND,		/* "unbound": device not a link */
	HEARTBEAT_DROP_UNKNOWN_PEER,	/* "unknown_peer": learning is off */
	HEARTBEAT_DROP_PEER_LIMIT,	/* "peer_limit": too many peers */
	HEARTBEAT_DROP_STALE_SEQ,	/* "stale_seq": sequence not advancing */
	HEARTBEAT_DROP_OLD_INCARNATION,	/* "old_incarnation": from before a restart */
	HEARTBEAT_DROP_NOMEM,		/* "nomem": no memory */
	HEARTBEAT_DROP_UNSIGNED,	/* "unsigned": no MAC, and auth is required */
	HEARTBEAT_DROP_KEY,		/* "key": signed with a key we do not have */
	HEARTBEAT_DROP_BAD_MAC,		/* "bad_mac": the MAC does not verify */
	HEARTBEAT_DROP_LEARN_RATE,	/* "learn_rate": too many new peers a second */
	/* "unconfirmed": another incarnation or a sequence jump, not yet
	 * confirmed by rise frames in a row
	 */
	HEARTBEAT_DROP_UNCONFIRMED,
	HEARTBEAT_DROP_PROBE_LIMIT,	/* "probe_limit": probes beyond the rate we answer */

	__HEARTBEAT_DROP_MAX,
	HEARTBEAT_DROP_MAX = __HEARTBEAT_DROP_MAX - 1
};

/* Limits enforced by the netlink policy. */
#define HEARTBEAT_INTERVAL_MIN_US	1000U		/* 1 ms */
#define HEARTBEAT_INTERVAL_MAX_US	60000000U	/* 60 s */
#define HEARTBEAT_FALL_MAX		100U
#define HEARTBEAT_RISE_MAX		100U
#define HEARTBEAT_GRACE_MAX_US		3600000000U	/* 1 hour */
#define HEARTBEAT_SLACK_MAX_US		60000000U	/* 60 s */

#define HEARTBEAT_PHI_THRESHOLD_MIN	100U		/* 0.1 */
#define HEARTBEAT_PHI_THRESHOLD_MAX	20000U		/* 20 */
#define HEARTBEAT_PHI_WINDOW_MIN	2U
#define HEARTBEAT_PHI_WINDOW_MAX	1000U

/* Most peers one node (network namespace) can be set to track. */
#define HEARTBEAT_PEERS_MAX		4096U
#define HEARTBEAT_LEARN_RATE_MAX	1000000U	/* new peers a second */
/* learn-expire: 0 (never), or from 1 s to 1 hour. */
#define HEARTBEAT_LEARN_EXPIRE_MIN_US	1000000U
#define HEARTBEAT_LEARN_EXPIRE_MAX_US	3600000000U
/* View entries (gossip) one frame carries at most. */
#define HEARTBEAT_GOSSIP_MAX		32U
#define HEARTBEAT_PROBE_HELPERS_MAX	16U
/*
 * Voting members (configured peers + self) and expected votes at most:
 * a quorum of them must be able to confirm a death from the reports a
 * peer keeps (Documentation/cluster.rst).
 */
#define HEARTBEAT_VOTES_MAX		65U

#endif /* _UAPI_LINUX_HEARTBEAT_H */
