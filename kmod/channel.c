// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channels of a peer (channel.h): up while heard within their timeout.
 * No floating point, no kernel dependency.
 */
#include "channel.h"

static struct hb_channel *find(struct hb_channels *cs, u16 id)
{
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++)
		if (cs->ch[i].id == id)
			return &cs->ch[i];
	return NULL;
}

/* A free slot, else one that is down, else the one heard least recently. */
static struct hb_channel *victim(struct hb_channels *cs)
{
	struct hb_channel *best = &cs->ch[0];
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		struct hb_channel *ch = &cs->ch[i];

		if (!ch->id)
			return ch;
		if (best->up && (!ch->up || ch->last_rx_ns < best->last_rx_ns))
			best = ch;
	}
	return best;
}

bool hb_channel_heard(struct hb_channels *cs, u16 id, u64 now, u64 timeout_ns,
		      struct hb_channel_change *c)
{
	struct hb_channel *ch = find(cs, id);
	bool was_up;

	if (!ch) {
		ch = victim(cs);
		*ch = (struct hb_channel) { .id = id };
	}
	was_up = ch->up;
	c->id = id;
	c->up = true;
	c->again = !was_up && ch->went_down;
	ch->up = true;
	ch->deferred = false;
	ch->last_rx_ns = now;
	ch->expires_ns = now + timeout_ns;
	return !was_up;
}

static void take_down(struct hb_channel *ch, struct hb_channel_change *c)
{
	ch->up = false;
	ch->went_down = true;
	c->id = ch->id;
	c->up = false;
	c->again = false;
}

bool hb_channel_expire(struct hb_channels *cs, u64 now, u64 stall_ns,
		       struct hb_channel_change *c)
{
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		struct hb_channel *ch = &cs->ch[i];

		if (!ch->id || !ch->up || now < ch->expires_ns)
			continue;
		if (!ch->deferred && now - ch->expires_ns > stall_ns) {
			ch->deferred = true;
			ch->expires_ns = now + stall_ns;
			continue;
		}
		take_down(ch, c);
		return true;
	}
	return false;
}

bool hb_channel_down(struct hb_channels *cs, u16 id,
		     struct hb_channel_change *c)
{
	struct hb_channel *ch = find(cs, id);

	if (!id || !ch || !ch->up)
		return false;
	take_down(ch, c);
	return true;
}

u64 hb_channel_next_expiry(const struct hb_channels *cs)
{
	u64 next = 0;
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		const struct hb_channel *ch = &cs->ch[i];

		if (ch->id && ch->up && (!next || ch->expires_ns < next))
			next = ch->expires_ns;
	}
	return next;
}

void hb_channel_retime(struct hb_channels *cs, u64 timeout_ns)
{
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		struct hb_channel *ch = &cs->ch[i];

		if (ch->id && ch->id != HB_CHANNEL_DISK)
			ch->expires_ns = ch->last_rx_ns + timeout_ns;
	}
}

unsigned int hb_channels_up(const struct hb_channels *cs)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++)
		n += cs->ch[i].id && cs->ch[i].up;
	return n;
}

unsigned int hb_channels_known(const struct hb_channels *cs)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < HB_CHANNELS_MAX; i++)
		n += !!cs->ch[i].id;
	return n;
}

void hb_channel_forget(struct hb_channels *cs, u16 id)
{
	struct hb_channel *ch = id ? find(cs, id) : NULL;

	if (ch)
		*ch = (struct hb_channel) {};
}

void hb_channels_reset(struct hb_channels *cs)
{
	memset(cs, 0, sizeof(*cs));
}
