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
