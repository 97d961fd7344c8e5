/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names of the values of the uapi enums, as sysfs, debugfs, uevents and
 * hbctl print them. Plain C, shared by the module and hbctl, so a word
 * means the same everywhere. Out-of-range values get "?".
 */
#ifndef _HB_NAMES_H
#define _HB_NAMES_H

#ifdef __KERNEL__
#include <uapi/linux/heartbeat.h>
#else
#include <linux/heartbeat.h>
#endif

/* What the functions below return for a value they have no name for. */
#define HB_NO_NAME	"?"

/*
 * The drop reasons' names, one table for hb_drop_name() and the
 * heartbeat_rx tracepoint: X(value, "name") for every reason.
 * (checkpatch takes such a list for an expression: scripts/check-build
 * lets it be.)
 */
#define HB_DROP_REASONS(X)						\
	X(HEARTBEAT_DROP_SHORT, "short")				\
	X(HEARTBEAT_DROP_MAGIC, "magic")				\
	X(HEARTBEAT_DROP_VERSION, "version")				\
	X(HEARTBEAT_DROP_LENGTH, "length")				\
	X(HEARTBEAT_DROP_TYPE, "type")					\
	X(HEARTBEAT_DROP_FIELD, "field")				\
	X(HEARTBEAT_DROP_TLV, "tlv")					\
	X(HEARTBEAT_DROP_CLUSTER, "cluster")				\
	X(HEARTBEAT_DROP_OWN_ID, "own_id")				\
	X(HEARTBEAT_DROP_NO_ID, "no_id")				\
	X(HEARTBEAT_DROP_UNBOUND, "unbound")				\
	X(HEARTBEAT_DROP_UNKNOWN_PEER, "unknown_peer")			\
	X(HEARTBEAT_DROP_PEER_LIMIT, "peer_limit")			\
	X(HEARTBEAT_DROP_STALE_SEQ, "stale_seq")			\
	X(HEARTBEAT_DROP_OLD_INCARNATION, "old_incarnation")		\
	X(HEARTBEAT_DROP_NOMEM, "nomem")				\
	X(HEARTBEAT_DROP_UNSIGNED, "unsigned")				\
	X(HEARTBEAT_DROP_KEY, "key")					\
	X(HEARTBEAT_DROP_BAD_MAC, "bad_mac")				\
	X(HEARTBEAT_DROP_LEARN_RATE, "learn_rate")			\
	X(HEARTBEAT_DROP_UNCONFIRMED, "unconfirmed")			\
	X(HEARTBEAT_DROP_PROBE_LIMIT, "probe_limit")

const char *hb_state_name(unsigned int state);
const char *hb_drop_name(unsigned int reason);
const char *hb_detector_name(unsigned int detector);
const char *hb_phi_model_name(unsigned int model);
const char *hb_event_name(unsigned int type);
const char *hb_event_action_name(unsigned int action);
const char *hb_auth_name(unsigned int auth);
const char *hb_tie_breaker_name(unsigned int tie_breaker);
const char *hb_last_words_name(unsigned int last_words);
const char *hb_dying_reason_name(unsigned int reason);
const char *hb_app_action_name(unsigned int action);

/* How many values there are to name, from 0: for lists of the choices. */
unsigned int hb_detector_count(void);
unsigned int hb_phi_model_count(void);
unsigned int hb_auth_count(void);
unsigned int hb_tie_breaker_count(void);
unsigned int hb_last_words_count(void);
unsigned int hb_app_action_count(void);

#endif /* _HB_NAMES_H */
