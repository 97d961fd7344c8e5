/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Channels: the independent ways a peer is heard - each link of ours its
 * frames arrive on, and later the shared disk. A peer's detector takes
 * every frame from every channel; this file only says, per channel, whether
 * the peer is still heard there, so that "alive on at least k of n" can be
 * asked and a channel that dies under a live peer reported.
 *
 * A channel is up from an accepted frame until one interval past the
 * silence that would make the peer dead (the caller passes that as the
 * timeout): a peer that stops on every channel at once is thus dead before
 * any of its channels is called down, and no "degraded" precedes its death.
 * Our own carrier loss takes a channel down at once. A channel seen for the
 * first time is not news; one that comes back after it went down is.
 *
 * Plain C with no kernel dependency: host tests build the same file.
 */
#ifndef _HB_CHANNEL_H
#define _HB_CHANNEL_H

#include "compat.h"

#define HB_CHANNELS_MAX		8	/* channels tracked per peer */
#define HB_CHANNEL_DISK		0xffff	/* id of the shared-disk channel */

struct hb_channel {
	u16 id;			/* our link id, or HB_CHANNEL_DISK; 0: free */
	bool up;
	bool went_down;		/* it was down since it first appeared */
	bool deferred;		/* its expiry was put off once after a stall */
	u64 last_rx_ns;
	u64 expires_ns;		/* down at this instant unless heard again */
};

struct hb_channels {
	struct hb_channel ch[HB_CHANNELS_MAX];
};

/* What a step did to one channel, for the caller to report. */
struct hb_channel_change {
	u16 id;
	bool up;		/* it is up now (else it went down) */
	bool again;		/* up again after it went down: news */
};

/*
 * A frame of the peer on channel id at now; up until now + timeout_ns.
 * Returns true when the channel was not up before (first seen, or again).
 * With every slot taken, a new channel replaces one that is down, else
 * the one heard least recently.
 */
bool hb_channel_heard(struct hb_channels *cs, u16 id, u64 now, u64 timeout_ns,
		      struct hb_channel_change *c);

/*
 * Take down the first channel whose time is up at now; call again while it
 * returns true. Whether that is news depends on the peer being live, which
 * the caller knows. A channel found more than stall_ns past its time is
 * given stall_ns more, once: this host stalled, and its frames may still
 * wait in a queue (as the detector defers its verdict).
 */
bool hb_channel_expire(struct hb_channels *cs, u64 now, u64 stall_ns,
		       struct hb_channel_change *c);

/* Our own device of channel id lost its carrier: down at once. */
bool hb_channel_down(struct hb_channels *cs, u16 id,
		     struct hb_channel_change *c);

/* The next instant a channel goes down unless heard; 0: none is up. */
u64 hb_channel_next_expiry(const struct hb_channels *cs);

/* The peer's silence settings changed: network channels get timeout_ns. */
void hb_channel_retime(struct hb_channels *cs, u64 timeout_ns);

/* Channels up, and channels known. */
unsigned int hb_channels_up(const struct hb_channels *cs);
unsigned int hb_channels_known(const struct hb_channels *cs);

/* A link of ours is gone: so is its channel, silently. */
void hb_channel_forget(struct hb_channels *cs, u16 id);

/* The peer is dead or left: every channel starts over, silently. */
void hb_channels_reset(struct hb_channels *cs);

#endif /* _HB_CHANNEL_H */
