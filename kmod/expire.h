/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Expiry of learned peers: a peer learned from frames (not configured by an
 * administrator) that has been dead or left for the node's learn-expire is
 * forgotten, so that ids made up by a flood free the peer table again.
 */
#ifndef _HB_EXPIRE_H
#define _HB_EXPIRE_H

struct hb_net;

void hb_expire_net_init(struct hb_net *hn);
void hb_expire_net_exit(struct hb_net *hn);
/* learn-expire changed; hn->lock held. */
void hb_expire_reschedule(struct hb_net *hn);

#endif /* _HB_EXPIRE_H */
