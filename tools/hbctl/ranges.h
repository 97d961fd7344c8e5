/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_RANGES_H
#define HBCTL_RANGES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The limits of every numeric keyword hbctl checks before the kernel
 * does, each written once (ranges.c, from the uapi header's constants)
 * and checked by one function, so a limit and its message cannot differ
 * between objects or between the command line and a configuration file.
 */
enum range_unit {
	RANGE_NUMBER,		/* decimal or 0x hex */
	RANGE_DURATION,		/* NUMBER{us|ms|s}, in microseconds */
};

struct range {
	const char *name;	/* the keyword, for messages */
	enum range_unit unit;
	uint32_t min, max;	/* inclusive; max UINT32_MAX: no upper limit */
	const char *zero;	/* a word for 0, allowed whatever min says */
};

/*
 * @arg as @r takes it: the zero word, or a number (duration) from min to
 * max. Prints why not and returns -EINVAL (junk) or -ERANGE.
 */
int parse_range(const struct range *r, const char *arg, uint32_t *val);
/* For values already parsed: is @val one @r allows (0 with a zero word)? */
bool range_ok(const struct range *r, uint32_t val);

extern const struct range range_node_auth_key, range_node_max_peers,
	range_node_learn_rate, range_node_gossip, range_node_probe_helpers,
	range_node_min_links;
extern const struct range range_key_id, range_expected_votes;
extern const struct range range_disk_slots, range_disk_interval;
extern const struct range range_app_timeout;
extern const struct range range_peer_id, range_probe_count,
	range_probe_interval;
extern const struct range range_top_interval;

#endif /* HBCTL_RANGES_H */
