// SPDX-License-Identifier: GPL-2.0-only
/*
 * Application readiness gates: the plain-C part (gate.h). A gate is fresh
 * while it was kicked within its timeout; app.c arms a timer for its
 * deadline and calls hb_gate_expire() when it fires.
 */
#include "gate.h"

#define HB_GATE_NSEC_PER_USEC	1000ULL

bool hb_gate_name_valid(const void *data, size_t len, size_t *name_len)
{
	const u8 *p = data;
	size_t n;

	for (n = 0; n < len && p[n]; n++)
		if (p[n] < 0x21 || p[n] > 0x7e)
			return false;
	/* A NUL, if any, is the last byte. */
	if (n < len && n + 1 != len)
		return false;
	if (!n || n > HB_GATE_NAME_MAX)
		return false;
	*name_len = n;
	return true;
}

void hb_gate_init(struct hb_gate *g, u64 now, u32 timeout_us, u8 action)
{
	memset(g, 0, sizeof(*g));
	g->added_ns = now;
	g->timeout_us = timeout_us;
	g->action = action;
	g->deadline_ns = now + (u64)timeout_us * HB_GATE_NSEC_PER_USEC;
}

bool hb_gate_kick(struct hb_gate *g, u64 now)
{
	bool was_expired = g->expired;

	g->kicks++;
	g->last_kick_ns = now;
	g->deadline_ns = now + (u64)g->timeout_us * HB_GATE_NSEC_PER_USEC;
	g->expired = false;
	return was_expired;
}

bool hb_gate_expire(struct hb_gate *g, u64 now)
{
	if (g->expired || now < g->deadline_ns)
		return false;
	g->expired = true;
	g->expiries++;
	return true;
}

u64 hb_gate_since_kick_ns(const struct hb_gate *g, u64 now)
{
	u64 from = g->last_kick_ns ? g->last_kick_ns : g->added_ns;

	/* now was read before a kick on another CPU: no time has passed. */
	return now > from ? now - from : 0;
}

void hb_gate_tally_update(struct hb_gate_tally *t, const struct hb_gate *g,
			  bool hold)
{
	unsigned int *n = g->action == HB_GATE_SILENCE ? &t->silence :
							  &t->notready;

	if (hold)
		(*n)++;
	else if (*n)
		(*n)--;
}
