// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl monitor: events about this node itself - its links, its settings,
 * its keys, and summaries of the frames it dropped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/heartbeat.h>

#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "nlattr.h"
#include "utils.h"

static const char *action_name(const struct nlattr *a, char *buf, size_t len)
{
	unsigned int action = mnl_attr_get_u8(a);

	return value_name(hb_event_action_name(action), "action", action,
			  buf, len);
}

/* "link eth1 added (id 1)", "link eth1 down". */
bool print_link_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_ACTION, HEARTBEAT_A_EVENT_IFINDEX,
		HEARTBEAT_A_EVENT_IFNAME, HEARTBEAT_A_EVENT_LINK_ID,
		HEARTBEAT_A_EVENT_TIME_NS,
	};
	const char *action;
	char abuf[16];

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	action = action_name(tb[HEARTBEAT_A_EVENT_ACTION], abuf, sizeof(abuf));
	open_json_object(NULL);
	print_event_head(tb, "link");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_string(PRINT_ANY, "dev", "link %s",
		     mnl_attr_get_str(tb[HEARTBEAT_A_EVENT_IFNAME]));
	print_string(PRINT_ANY, "action", " %s", action);
	print_u32(PRINT_JSON, "ifindex", NULL,
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_IFINDEX]));
	print_u32(PRINT_JSON, "link_id", NULL,
		  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_LINK_ID]));
	if (mnl_attr_get_u8(tb[HEARTBEAT_A_EVENT_ACTION]) ==
	    HEARTBEAT_ACTION_ADDED)
		print_u32(PRINT_FP, NULL, " (id %u)",
			  mnl_attr_get_u32(tb[HEARTBEAT_A_EVENT_LINK_ID]));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/* "node 1 changed", "key 7 added": an object of this node, by its id. */
static bool print_object_event(const struct nlattr **tb, const char *event,
			       int id_attr, const char *id_key)
{
	const int need[] = {
		HEARTBEAT_A_EVENT_ACTION, id_attr, HEARTBEAT_A_EVENT_TIME_NS,
	};
	char abuf[16], fmt[32];

	if (!all_present(tb, need, ARRAY_SIZE(need)))
		return false;
	snprintf(fmt, sizeof(fmt), "%s %%u", event);
	open_json_object(NULL);
	print_event_head(tb, event);
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_u32(PRINT_ANY, id_key, fmt, mnl_attr_get_u32(tb[id_attr]));
	print_string(PRINT_ANY, "action", " %s",
		     action_name(tb[HEARTBEAT_A_EVENT_ACTION], abuf,
				 sizeof(abuf)));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}

/* Its settings were written; hbctl node show has them. */
bool print_node_event(const struct nlattr **tb)
{
	return print_object_event(tb, "node", HEARTBEAT_A_EVENT_PEER, "id");
}

/* Its id only: the secret never leaves the kernel. */
bool print_key_event(const struct nlattr **tb)
{
	return print_object_event(tb, "key", HEARTBEAT_A_EVENT_KEY_ID, "key_id");
}

static bool drops_valid(const struct nlattr *nest)
{
	const struct nlattr *pos;

	mnl_attr_for_each_nested(pos, nest)
		if (mnl_attr_validate(pos, MNL_TYPE_U64) < 0)
			return false;
	return true;
}

/*
 * "drops: bad_mac 12 short 1 in 1.00s": the reasons that counted since the
 * previous summary, by their names (reason_N for ones newer than hbctl).
 */
bool print_drops_event(const struct nlattr **tb)
{
	static const int need[] = {
		HEARTBEAT_A_EVENT_DROPS, HEARTBEAT_A_EVENT_PERIOD_NS,
		HEARTBEAT_A_EVENT_TIME_NS,
	};
	const struct nlattr *pos;
	const char *name;
	char buf[32];

	if (!all_present(tb, need, ARRAY_SIZE(need)) ||
	    !drops_valid(tb[HEARTBEAT_A_EVENT_DROPS]))
		return false;
	open_json_object(NULL);
	print_event_head(tb, "drops");
	print_time(tb[HEARTBEAT_A_EVENT_TIME_NS]);
	print_string(PRINT_FP, NULL, "%s", "drops:");
	open_json_object("drops");
	mnl_attr_for_each_nested(pos, tb[HEARTBEAT_A_EVENT_DROPS]) {
		name = hb_drop_name(mnl_attr_get_type(pos));
		if (!strcmp(name, HB_NO_NAME)) {
			snprintf(buf, sizeof(buf), "reason_%u",
				 mnl_attr_get_type(pos));
			name = buf;
		}
		print_string(PRINT_FP, NULL, " %s", name);
		print_u64(PRINT_ANY, name, " %" PRIu64, mnl_attr_get_u64(pos));
	}
	close_json_object();
	print_duration_ns(PRINT_ANY, "period_ns", " in %s",
			  mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_PERIOD_NS]));
	print_u64_exact(PRINT_JSON, "time_ns", NULL,
			mnl_attr_get_u64(tb[HEARTBEAT_A_EVENT_TIME_NS]));
	close_json_object();
	print_nl();
	return true;
}
