// SPDX-License-Identifier: GPL-2.0-only
#include "names.h"

#define HB_COUNT(table)	(sizeof(table) / sizeof((table)[0]))
#define HB_NAME(table, i) \
	((i) < HB_COUNT(table) && (table)[i] ? (table)[i] : HB_NO_NAME)

static const char *const hb_state_names[] = {
	[HEARTBEAT_STATE_UNKNOWN]	= "unknown",
	[HEARTBEAT_STATE_ALIVE]		= "alive",
	[HEARTBEAT_STATE_SUSPECT]	= "suspect",
	[HEARTBEAT_STATE_DEAD]		= "dead",
	[HEARTBEAT_STATE_LEFT]		= "left",
	[HEARTBEAT_STATE_UNREACHABLE]	= "unreachable",
};

#define HB_DROP_NAME(value, name) \
	[value] = name,

static const char *const hb_drop_names[] = {
	HB_DROP_REASONS(HB_DROP_NAME)
};

/* A reason added to the ABI must get its name here too. */
_Static_assert(HB_COUNT(hb_drop_names) == HEARTBEAT_DROP_MAX + 1,
	       "hb_drop_names[] does not cover every heartbeat_drop_reason");

static const char *const hb_detector_names[] = {
	[HEARTBEAT_DETECTOR_TIMEOUT]	= "timeout",
	[HEARTBEAT_DETECTOR_PHI]	= "phi",
};

static const char *const hb_phi_model_names[] = {
	[HEARTBEAT_PHI_NORMAL]		= "normal",
	[HEARTBEAT_PHI_EXPONENTIAL]	= "exponential",
};

static const char *const hb_auth_names[] = {
	[HEARTBEAT_AUTH_OFF]		= "off",
	[HEARTBEAT_AUTH_OPTIONAL]	= "optional",
	[HEARTBEAT_AUTH_REQUIRED]	= "required",
};

static const char *const hb_event_names[] = {
	[HEARTBEAT_EVENT_PEER_STATE]	= "state",
	[HEARTBEAT_EVENT_PEER_RESTART]	= "restart",
	[HEARTBEAT_EVENT_PEER_EXPIRED]	= "expired",
	[HEARTBEAT_EVENT_QUORUM]	= "quorum",
	[HEARTBEAT_EVENT_PROBE]		= "probe",
	[HEARTBEAT_EVENT_DEGRADED]	= "degraded",
	[HEARTBEAT_EVENT_PEER_READY]	= "ready",
	[HEARTBEAT_EVENT_APP]		= "app",
	[HEARTBEAT_EVENT_FENCED]	= "fenced",
	[HEARTBEAT_EVENT_LINK]		= "link",
	[HEARTBEAT_EVENT_NODE]		= "node",
	[HEARTBEAT_EVENT_KEY]		= "key",
	[HEARTBEAT_EVENT_DROPS]		= "drops",
};

static const char *const hb_event_action_names[] = {
	[HEARTBEAT_ACTION_ADDED]	= "added",
	[HEARTBEAT_ACTION_REMOVED]	= "removed",
	[HEARTBEAT_ACTION_CHANGED]	= "changed",
	[HEARTBEAT_ACTION_UP]		= "up",
	[HEARTBEAT_ACTION_DOWN]		= "down",
};

static const char *const hb_tie_breaker_names[] = {
	[HEARTBEAT_TIE_BREAKER_NONE]	= "none",
	[HEARTBEAT_TIE_BREAKER_LOWEST]	= "lowest",
	[HEARTBEAT_TIE_BREAKER_HIGHEST]	= "highest",
	[HEARTBEAT_TIE_BREAKER_DISK]	= "disk",
};

static const char *const hb_last_words_names[] = {
	[HEARTBEAT_LAST_WORDS_OFF]	= "off",
	[HEARTBEAT_LAST_WORDS_REBOOT]	= "reboot",
	[HEARTBEAT_LAST_WORDS_ON]	= "on",
};

static const char *const hb_dying_reason_names[] = {
	[HEARTBEAT_DYING_UNKNOWN]	= "unknown",
	[HEARTBEAT_DYING_PANIC]		= "panic",
	[HEARTBEAT_DYING_REBOOT]	= "reboot",
	[HEARTBEAT_DYING_HALT]		= "halt",
	[HEARTBEAT_DYING_POWEROFF]	= "poweroff",
};

static const char *const hb_app_action_names[] = {
	[HEARTBEAT_APP_NOTREADY]	= "notready",
	[HEARTBEAT_APP_SILENCE]		= "silence",
};

const char *hb_state_name(unsigned int state)
{
	return HB_NAME(hb_state_names, state);
}

const char *hb_drop_name(unsigned int reason)
{
	return HB_NAME(hb_drop_names, reason);
}

const char *hb_detector_name(unsigned int detector)
{
	return HB_NAME(hb_detector_names, detector);
}

const char *hb_phi_model_name(unsigned int model)
{
	return HB_NAME(hb_phi_model_names, model);
}

const char *hb_event_name(unsigned int type)
{
	return HB_NAME(hb_event_names, type);
}

const char *hb_event_action_name(unsigned int action)
{
	return HB_NAME(hb_event_action_names, action);
}

unsigned int hb_detector_count(void)
{
	return HB_COUNT(hb_detector_names);
}

unsigned int hb_phi_model_count(void)
{
	return HB_COUNT(hb_phi_model_names);
}

const char *hb_auth_name(unsigned int auth)
{
	return HB_NAME(hb_auth_names, auth);
}

unsigned int hb_auth_count(void)
{
	return HB_COUNT(hb_auth_names);
}

const char *hb_tie_breaker_name(unsigned int tie_breaker)
{
	return HB_NAME(hb_tie_breaker_names, tie_breaker);
}

unsigned int hb_tie_breaker_count(void)
{
	return HB_COUNT(hb_tie_breaker_names);
}

const char *hb_last_words_name(unsigned int last_words)
{
	return HB_NAME(hb_last_words_names, last_words);
}

unsigned int hb_last_words_count(void)
{
	return HB_COUNT(hb_last_words_names);
}

const char *hb_dying_reason_name(unsigned int reason)
{
	return HB_NAME(hb_dying_reason_names, reason);
}

const char *hb_app_action_name(unsigned int action)
{
	return HB_NAME(hb_app_action_names, action);
}

unsigned int hb_app_action_count(void)
{
	return HB_COUNT(hb_app_action_names);
}
