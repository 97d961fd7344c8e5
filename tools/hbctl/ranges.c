// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every numeric range hbctl checks itself, in one table: the kernel's
 * policy has the same limits (the uapi header's constants); hbctl checks
 * them first only to say which keyword and which limit, before a request.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/heartbeat.h>

#include "ranges.h"
#include "utils.h"

/* node set (node.c) */
const struct range range_node_auth_key = {
	"auth-key", RANGE_NUMBER, 1, HEARTBEAT_KEY_ID_MAX, "none" };
const struct range range_node_max_peers = {
	"max-peers", RANGE_NUMBER, 1, HEARTBEAT_PEERS_MAX, NULL };
const struct range range_node_learn_rate = {
	"learn-rate", RANGE_NUMBER, 1, HEARTBEAT_LEARN_RATE_MAX, "off" };
const struct range range_node_gossip = {
	"gossip", RANGE_NUMBER, 1, HEARTBEAT_GOSSIP_MAX, "off" };
/* 0..16: no word for 0, "probe-helpers 0" reads as it is */
const struct range range_node_probe_helpers = {
	"probe-helpers", RANGE_NUMBER, 0, HEARTBEAT_PROBE_HELPERS_MAX, NULL };
const struct range range_node_min_links = {
	"min-links", RANGE_NUMBER, 1, HEARTBEAT_CHANNELS_MAX, NULL };

/* key, quorum, disk, app */
const struct range range_key_id = {
	"id", RANGE_NUMBER, 1, HEARTBEAT_KEY_ID_MAX, NULL };
const struct range range_expected_votes = {
	"expected-votes", RANGE_NUMBER, 0, HEARTBEAT_VOTES_MAX, "off" };
const struct range range_disk_slots = {
	"slots", RANGE_NUMBER, HEARTBEAT_DISK_SLOTS_MIN,
	HEARTBEAT_DISK_SLOTS_MAX, NULL };
const struct range range_disk_interval = {
	"interval", RANGE_DURATION, HEARTBEAT_DISK_INTERVAL_MIN_US,
	HEARTBEAT_DISK_INTERVAL_MAX_US, NULL };
const struct range range_app_timeout = {
	"timeout", RANGE_DURATION, HEARTBEAT_APP_TIMEOUT_MIN_US,
	HEARTBEAT_APP_TIMEOUT_MAX_US, NULL };

/* peer probe, disk poison: node ids; probing at most this often and long */
const struct range range_peer_id = {
	"id", RANGE_NUMBER, 1, UINT32_MAX, NULL };
const struct range range_probe_count = {
	"count", RANGE_NUMBER, 1, 100000, NULL };
const struct range range_probe_interval = {
	"interval", RANGE_DURATION, 1000, UINT32_MAX, NULL };

/* top: a screen redrawn faster than this flickers and reads nothing */
const struct range range_top_interval = {
	"interval", RANGE_DURATION, 100000, 3600000000U, NULL };

bool range_ok(const struct range *r, uint32_t val)
{
	return (!val && r->zero) || (val >= r->min && val <= r->max);
}

static void format_limit(const struct range *r, uint32_t v, char *buf,
			 size_t len)
{
	if (r->unit == RANGE_DURATION)
		format_duration(v, buf, len);
	else
		snprintf(buf, len, "%u", v);
}

static void range_error(const struct range *r, const char *arg)
{
	char lo[DURATION_BUFSZ], hi[DURATION_BUFSZ];

	format_limit(r, r->min, lo, sizeof(lo));
	format_limit(r, r->max, hi, sizeof(hi));
	if (r->max == UINT32_MAX)
		invarg(arg, "%s must be %s%sat least %s", r->name,
		       r->zero ?: "", r->zero ? " or " : "", lo);
	else
		invarg(arg, "%s must be %s%sfrom %s to %s", r->name,
		       r->zero ?: "", r->zero ? " or " : "", lo, hi);
}

static void syntax_error(const struct range *r, const char *arg)
{
	const char *what = r->unit == RANGE_DURATION ?
		"a duration with a unit, like 10ms, 1.5s or 500us" :
		"a number (decimal or 0x hex)";

	/* "10ms, 1.5s or 500us, or off": the comma keeps the lists apart */
	if (r->zero)
		invarg(arg, "%s needs %s%s or %s", r->name, what,
		       r->unit == RANGE_DURATION ? "," : "", r->zero);
	else
		invarg(arg, "%s needs %s", r->name, what);
}

int parse_range(const struct range *r, const char *arg, uint32_t *val)
{
	uint32_t v;
	int err;

	if (r->zero && !strcmp(arg, r->zero)) {
		*val = 0;
		return 0;
	}
	err = r->unit == RANGE_DURATION ? parse_duration_us(arg, &v) :
					  parse_u32(arg, &v);
	/* Below 1us (-EDOM) or above 32 bits is out of any range. */
	if (err == -EDOM || err == -ERANGE || (!err && !range_ok(r, v))) {
		if (err == -ERANGE && r->max == UINT32_MAX)
			invarg(arg, "%s does not fit in 32 bits%s", r->name,
			       r->unit == RANGE_DURATION ? " of microseconds" : "");
		else
			range_error(r, arg);
		return -ERANGE;
	}
	if (err) {
		syntax_error(r, arg);
		return -EINVAL;
	}
	*val = v;
	return 0;
}
