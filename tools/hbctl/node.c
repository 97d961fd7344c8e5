// SPDX-License-Identifier: GPL-2.0-only
/* hbctl node: the local node of the caller's network namespace. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "names.h"
#include "ranges.h"
#include "refused.h"
#include "utils.h"

enum field_kind {
	F_ID,		/* u32, 0 means "not set yet" */
	F_U32,		/* may have a range (ranges.c) */
	F_U64,
	F_DURATION,	/* u32 microseconds; 0 may have a word: node_field */
	F_ON_OFF,	/* u8 */
	F_SLACK,	/* u32 microseconds, 0 shown as "auto" */
	F_ENUM,		/* u8, named by node_field.names */
	F_MILLI,	/* u32 thousandths, e.g. of phi */
	F_MILLI_OFF,	/* u32 thousandths, 0 shown as "off" */
};

/*
 * Values of an F_ENUM, named by names.h; a value newer than hbctl prints
 * as "<unknown>-N", never as a bare number that reads like a count.
 */
struct enum_names {
	const char *(*name)(unsigned int val);
	unsigned int (*count)(void);
	const char *unknown;	/* "detector" for "detector-7" */
};

static const struct enum_names detectors = {
	hb_detector_name, hb_detector_count, "detector",
};

static const struct enum_names phi_models = {
	hb_phi_model_name, hb_phi_model_count, "model",
};

static const struct enum_names auths = {
	hb_auth_name, hb_auth_count, "auth",
};

static const struct enum_names last_words = {
	hb_last_words_name, hb_last_words_count, "last-words",
};

/*
 * One row per attribute drives both "show" and "set". Order is the
 * output order and, for "set", the prefix priority ("i" is "id"); see
 * settable_field() for the rows that want an unambiguous prefix.
 */
static const struct node_field {
	const char *name;	/* keyword and text label */
	const char *key;	/* JSON member */
	int attr;
	enum field_kind kind;
	bool settable;
	bool unique_prefix;	/* "set" takes no prefix others share */
	/*
	 * A newer row's shortest prefix: the prefixes older rows had to
	 * themselves ("m" for max-peers) stay theirs.
	 */
	unsigned int min_prefix;
	const struct enum_names *names;	/* F_ENUM only */
	/*
	 * F_U32 only: "set" checks the range itself, for limits the uapi
	 * header names; its zero word is what "set" takes for 0 and text
	 * prints for it (JSON keeps the 0).
	 */
	const struct range *range;
	/* F_DURATION only: a word for 0, as a range's */
	const char *zero;
} node_fields[] = {
	{ .name = "id", .key = "id", .attr = HEARTBEAT_A_NODE_ID,
	  .kind = F_ID, .settable = true },
	{ .name = "cluster", .key = "cluster",
	  .attr = HEARTBEAT_A_NODE_CLUSTER, .kind = F_U32, .settable = true },
	{ .name = "incarnation", .key = "incarnation",
	  .attr = HEARTBEAT_A_NODE_INCARNATION, .kind = F_U64 },
	{ .name = "interval", .key = "interval_us",
	  .attr = HEARTBEAT_A_NODE_INTERVAL_US, .kind = F_DURATION,
	  .settable = true },
	{ .name = "fall", .key = "fall", .attr = HEARTBEAT_A_NODE_FALL,
	  .kind = F_U32, .settable = true },
	{ .name = "rise", .key = "rise", .attr = HEARTBEAT_A_NODE_RISE,
	  .kind = F_U32, .settable = true },
	{ .name = "grace", .key = "grace_us",
	  .attr = HEARTBEAT_A_NODE_GRACE_US, .kind = F_DURATION,
	  .settable = true },
	{ .name = "learn", .key = "learn", .attr = HEARTBEAT_A_NODE_LEARN,
	  .kind = F_ON_OFF, .settable = true },
	{ .name = "slack", .key = "slack_us",
	  .attr = HEARTBEAT_A_NODE_SLACK_US, .kind = F_SLACK,
	  .settable = true },
	/*
	 * The rows above keep the first-match prefixes they always had.
	 * Those below came with the phi detector and mostly share "phi-",
	 * so their prefixes must be unique; new rows go at the end.
	 */
	{ .name = "detector", .key = "detector",
	  .attr = HEARTBEAT_A_NODE_DETECTOR, .kind = F_ENUM,
	  .settable = true, .unique_prefix = true, .names = &detectors },
	{ .name = "phi-model", .key = "phi_model",
	  .attr = HEARTBEAT_A_NODE_PHI_MODEL, .kind = F_ENUM,
	  .settable = true, .unique_prefix = true, .names = &phi_models },
	{ .name = "phi-threshold", .key = "phi_threshold",
	  .attr = HEARTBEAT_A_NODE_PHI_THRESHOLD, .kind = F_MILLI,
	  .settable = true, .unique_prefix = true },
	{ .name = "phi-warn", .key = "phi_warn",
	  .attr = HEARTBEAT_A_NODE_PHI_WARN, .kind = F_MILLI_OFF,
	  .settable = true, .unique_prefix = true },
	{ .name = "phi-window", .key = "phi_window",
	  .attr = HEARTBEAT_A_NODE_PHI_WINDOW, .kind = F_U32,
	  .settable = true, .unique_prefix = true },
	{ .name = "phi-min-stddev", .key = "phi_min_stddev_us",
	  .attr = HEARTBEAT_A_NODE_PHI_MIN_STDDEV_US, .kind = F_DURATION,
	  .settable = true, .unique_prefix = true },
	{ .name = "phi-pause", .key = "phi_pause_us",
	  .attr = HEARTBEAT_A_NODE_PHI_PAUSE_US, .kind = F_DURATION,
	  .settable = true, .unique_prefix = true },
	/* "auth" in full is auth, "au" could be auth-key too: refused */
	{ .name = "auth", .key = "auth", .attr = HEARTBEAT_A_NODE_AUTH,
	  .kind = F_ENUM, .settable = true, .unique_prefix = true,
	  .names = &auths },
	{ .name = "auth-key", .key = "auth_key",
	  .attr = HEARTBEAT_A_NODE_AUTH_KEY, .kind = F_U32, .settable = true,
	  .unique_prefix = true, .range = &range_node_auth_key },
	{ .name = "max-peers", .key = "max_peers",
	  .attr = HEARTBEAT_A_NODE_MAX_PEERS, .kind = F_U32, .settable = true,
	  .unique_prefix = true, .range = &range_node_max_peers },
	/* "learn" and its prefixes stay learn: that row comes first */
	{ .name = "learn-rate", .key = "learn_rate",
	  .attr = HEARTBEAT_A_NODE_LEARN_RATE, .kind = F_U32,
	  .settable = true, .unique_prefix = true,
	  .range = &range_node_learn_rate },
	{ .name = "learn-expire", .key = "learn_expire_us",
	  .attr = HEARTBEAT_A_NODE_LEARN_EXPIRE_US, .kind = F_DURATION,
	  .settable = true, .unique_prefix = true, .zero = "off" },
	{ .name = "gossip", .key = "gossip", .attr = HEARTBEAT_A_NODE_GOSSIP,
	  .kind = F_U32, .settable = true, .unique_prefix = true,
	  .range = &range_node_gossip },
	{ .name = "probe-helpers", .key = "probe_helpers",
	  .attr = HEARTBEAT_A_NODE_PROBE_HELPERS, .kind = F_U32,
	  .settable = true, .unique_prefix = true,
	  .range = &range_node_probe_helpers },
	{ .name = "min-links", .key = "min_links",
	  .attr = HEARTBEAT_A_NODE_MIN_LINKS, .kind = F_U32,
	  .settable = true, .unique_prefix = true, .min_prefix = 2,
	  .range = &range_node_min_links },
	{ .name = "last-words", .key = "last_words",
	  .attr = HEARTBEAT_A_NODE_LAST_WORDS, .kind = F_ENUM,
	  .settable = true, .unique_prefix = true, .names = &last_words },
};

static void node_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl node [ show ]\n"
		"       hbctl node set [ id ID ] [ cluster ID ]\n"
		"                      [ interval DURATION ] [ fall COUNT ]\n"
		"                      [ rise COUNT ] [ grace DURATION ]\n"
		"                      [ learn { on | off } ] [ slack { DURATION | auto } ]\n"
		"                      [ detector { timeout | phi } ]\n"
		"                      [ phi-model { normal | exponential } ]\n"
		"                      [ phi-threshold PHI ] [ phi-warn { PHI | off } ]\n"
		"                      [ phi-window COUNT ] [ phi-min-stddev DURATION ]\n"
		"                      [ phi-pause DURATION ]\n"
		"                      [ auth { off | optional | required } ]\n"
		"                      [ auth-key { KEYID | none } ] [ max-peers COUNT ]\n"
		"                      [ learn-rate { RATE | off } ]\n"
		"                      [ learn-expire { DURATION | off } ]\n"
		"                      [ gossip { ENTRIES | off } ] [ probe-helpers HELPERS ]\n"
		"                      [ min-links LINKS ] [ last-words { off | reboot | on } ]\n"
		"       hbctl node help\n"
		"where  DURATION := NUMBER{ us | ms | s }, e.g. 10ms, 1.5s\n"
		"       PHI := NUMBER with up to 3 decimals, e.g. 8, 0.5, 12.125\n"
		"       KEYID := 1..65535, a key of \"hbctl key\"\n"
		"       RATE := new peers learned per second\n"
		"       ENTRIES := 1..%u, view entries per frame\n"
		"       HELPERS := 0..%u members asked to probe a silent peer\n"
		"       LINKS := 1..%u channels a peer must be heard on to be alive\n",
		HEARTBEAT_GOSSIP_MAX, HEARTBEAT_PROBE_HELPERS_MAX,
		HEARTBEAT_CHANNELS_MAX);
}

/* The word an F_U32 or F_DURATION row takes and prints for 0, or NULL. */
static const char *field_zero(const struct node_field *f)
{
	return f->range ? f->range->zero : f->zero;
}

static enum mnl_attr_data_type field_type(const struct node_field *f)
{
	switch (f->kind) {
	case F_U64:
		return MNL_TYPE_U64;
	case F_ON_OFF:
	case F_ENUM:
		return MNL_TYPE_U8;
	default:
		return MNL_TYPE_U32;
	}
}

static int node_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* Attributes from a newer kernel are not ours to print. */
	if (type <= HEARTBEAT_A_NODE_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static const char *enum_name(const struct enum_names *e, unsigned int v,
			     char *buf, size_t len)
{
	return value_name(e->name(v), e->unknown, v, buf, len);
}

static void print_field(const struct node_field *f, const struct nlattr *a)
{
	const char *zero;
	char buf[32];
	uint32_t v;

	print_string(PRINT_FP, NULL, "%s ", f->name);
	switch (f->kind) {
	case F_ID:
	case F_U32:
		/* text names a 0 that means "none", JSON keeps the number */
		zero = f->kind == F_ID ? "none" : field_zero(f);
		v = mnl_attr_get_u32(a);
		print_u32(v || !zero ? PRINT_ANY : PRINT_JSON, f->key, "%u", v);
		if (!v && zero)
			print_string(PRINT_FP, NULL, "%s", zero);
		break;
	case F_U64:
		/* the incarnation: above 2^53, so also as a string */
		print_u64_exact(PRINT_ANY, f->key, "%" PRIu64,
				mnl_attr_get_u64(a));
		break;
	case F_DURATION:
		v = mnl_attr_get_u32(a);
		if (!v && f->zero) {
			print_u32(PRINT_JSON, f->key, "%u", v);
			print_string(PRINT_FP, NULL, "%s", f->zero);
		} else {
			print_duration(PRINT_ANY, f->key, "%s", v);
		}
		break;
	case F_ON_OFF:
		print_on_off(PRINT_ANY, f->key, "%s", mnl_attr_get_u8(a));
		break;
	case F_SLACK:
		v = mnl_attr_get_u32(a);
		if (v)
			print_duration(PRINT_ANY, f->key, "%s", v);
		else
			print_u32(PRINT_JSON, f->key, "%u", v);
		if (!v)
			print_string(PRINT_FP, NULL, "%s", "auto");
		break;
	case F_ENUM:
		print_string(PRINT_ANY, f->key, "%s",
			     enum_name(f->names, mnl_attr_get_u8(a), buf,
				       sizeof(buf)));
		break;
	case F_MILLI:
		print_milli(PRINT_ANY, f->key, "%s", mnl_attr_get_u32(a));
		break;
	case F_MILLI_OFF:
		/* null, not 0: no threshold is not the threshold 0 */
		v = mnl_attr_get_u32(a);
		if (v) {
			print_milli(PRINT_ANY, f->key, "%s", v);
		} else {
			print_string(PRINT_JSON, f->key, NULL, NULL);
			print_string(PRINT_FP, NULL, "%s", "off");
		}
		break;
	}
}

int node_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_NODE_MAX + 1] = {};
	unsigned int i, n = 0;

	(void)data;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), node_attr_cb,
			   tb) < 0)
		return MNL_CB_ERROR;
	/* Validate everything first so a bad reply prints nothing. */
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		const struct node_field *f = &node_fields[i];

		if (tb[f->attr] &&
		    mnl_attr_validate(tb[f->attr], field_type(f)) < 0) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
	}

	open_json_object(NULL);
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!tb[node_fields[i].attr])
			continue;
		if (n++)
			print_string(PRINT_FP, NULL, "%s", "  ");
		print_field(&node_fields[i], tb[node_fields[i].attr]);
	}
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

static int node_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			node_usage(stdout);
			return HB_EXIT_OK;
		}
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_NODE_GET, 0);
	err = genl_talk(nlh, node_show_cb, NULL);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* "a", "a or b", "a, b or c": for messages that list the choices. */
static const char *or_list(const char *const *words, unsigned int n,
			   char *buf, size_t len)
{
	unsigned int i;
	size_t used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s",
				 !i ? "" : i + 1 < n ? ", " : " or ",
				 words[i]);
	return buf;
}

static bool settable_match(const struct node_field *f, const char *arg)
{
	return f->settable && strlen(arg) >= f->min_prefix &&
	       matches(arg, f->name);
}

/*
 * An exact keyword always wins. Otherwise the first prefix match in table
 * order does, as everywhere in hbctl, unless it lands on a unique_prefix
 * row: there a prefix must name one keyword only ("phi-w" could be
 * phi-warn or phi-window, and a guess would set the wrong value without a
 * word). The older rows all come first, so their prefixes mean what they
 * always meant. Returns NULL for an unknown keyword; *ambiguous tells an
 * ambiguous one apart, already reported.
 */
static const struct node_field *settable_field(const char *arg,
					       bool *ambiguous)
{
	const char *names[ARRAY_SIZE(node_fields)];
	const struct node_field *f, *first = NULL;
	unsigned int i, n = 0;
	char list[256];

	*ambiguous = false;
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		f = &node_fields[i];
		if (f->settable && !strcmp(arg, f->name))
			return f;
	}
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!settable_match(&node_fields[i], arg))
			continue;
		if (!first)
			first = &node_fields[i];
		names[n++] = node_fields[i].name;
	}
	if (!first || !first->unique_prefix || n == 1)
		return first;

	fprintf(stderr, "Error: \"%s\" is ambiguous, it could be %s.\n", arg,
		or_list(names, n, list, sizeof(list)));
	*ambiguous = true;
	return NULL;
}

/* "detector must be timeout or phi", whatever the number of names. */
static void enum_error(const struct node_field *f, const char *arg)
{
	const struct enum_names *e = f->names;
	const char *words[8];
	unsigned int i, n = 0;
	char list[128];

	for (i = 0; i < e->count() && n < ARRAY_SIZE(words); i++)
		if (strcmp(e->name(i), HB_NO_NAME))
			words[n++] = e->name(i);
	invarg(arg, "%s must be %s", f->name,
	       or_list(words, n, list, sizeof(list)));
}

/* An F_U32: within the row's range if it has one (ranges.c). */
static int parse_u32_field(const struct node_field *f, const char *arg,
			   uint32_t *val)
{
	const struct range any = { f->name, RANGE_NUMBER, 0, UINT32_MAX, NULL };

	return parse_range(f->range ?: &any, arg, val);
}

/*
 * Syntax only; the kernel's policy owns the ranges, but for the rows
 * with a range (see parse_u32_field()).
 */
static int parse_field(const struct node_field *f, const char *arg,
		       uint32_t *val)
{
	unsigned int i;
	bool on;
	int err;

	switch (f->kind) {
	case F_SLACK:
		if (!strcmp(arg, "auto")) {
			*val = 0;
			return 0;
		}
		/* fall through */
	case F_DURATION:
		if (f->zero && !strcmp(arg, f->zero)) {
			*val = 0;
			return 0;
		}
		err = parse_duration_us(arg, val);
		if (err == -ERANGE)
			invarg(arg, "%s is above 4294967295us", f->name);
		else if (err == -EDOM)
			invarg(arg, "%s must be 0 or at least 1us", f->name);
		else if (err && f->zero)
			invarg(arg, "%s needs a duration like 10ms, 1.5s or 500us, or %s",
			       f->name, f->zero);
		else if (err)
			invarg(arg, "%s needs a duration like 10ms, 1.5s or 500us",
			       f->name);
		return err;
	case F_ON_OFF:
		err = parse_on_off(arg, &on);
		if (err)
			invarg(arg, "%s must be on or off", f->name);
		*val = on;
		return err;
	case F_ENUM:
		/* Whole names only, as "link add mode": values are few. */
		for (i = 0; i < f->names->count(); i++) {
			if (strcmp(f->names->name(i), HB_NO_NAME) &&
			    !strcmp(arg, f->names->name(i))) {
				*val = i;
				return 0;
			}
		}
		enum_error(f, arg);
		return -EINVAL;
	case F_MILLI_OFF:
		if (!strcmp(arg, "off")) {
			*val = 0;
			return 0;
		}
		/* fall through */
	case F_MILLI:
		err = parse_milli(arg, val);
		if (err == -EDOM)
			invarg(arg, "%s takes at most 3 decimals", f->name);
		else if (err == -ERANGE)
			invarg(arg, "%s is above 4294967.295", f->name);
		else if (err)
			invarg(arg, "%s needs a number like 8, 8.5 or 0.125",
			       f->name);
		return err;
	default:
		return parse_u32_field(f, arg, val);
	}
}

_Static_assert(ARRAY_SIZE(node_fields) <= NODE_CONF_MAX,
	       "struct node_conf has a value per row");

int node_conf_parse(int argc, char **argv, struct node_conf *c)
{
	const struct node_field *f;
	bool ambiguous;
	unsigned int i;

	for (; argc > 0; argc -= 2, argv += 2) {
		f = settable_field(argv[0], &ambiguous);
		if (ambiguous)
			return HB_EXIT_USAGE;
		if (!f && matches(argv[0], "help")) {
			node_usage(stdout);
			return HB_EXIT_OK;
		}
		if (!f) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		}
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		i = f - node_fields;
		if (c->given[i]) {
			invarg(argv[1], "%s given twice", f->name);
			return HB_EXIT_USAGE;
		}
		if (parse_field(f, argv[1], &c->val[i]))
			return HB_EXIT_USAGE;
		c->given[i] = true;
	}
	return -1;
}

int node_conf_from_msg(const struct nlmsghdr *nlh, struct node_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_NODE_MAX + 1] = {};
	const struct node_field *f;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), node_attr_cb,
			   tb) < 0)
		return -EPROTO;
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		f = &node_fields[i];
		if (!f->settable || !tb[f->attr])
			continue;
		if (mnl_attr_validate(tb[f->attr], field_type(f)) < 0)
			return -EPROTO;
		c->val[i] = field_type(f) == MNL_TYPE_U8 ?
			    mnl_attr_get_u8(tb[f->attr]) :
			    mnl_attr_get_u32(tb[f->attr]);
		c->given[i] = true;
	}
	return 0;
}

static void format_field(const struct node_field *f, uint32_t v, char *buf,
			 size_t len);

int node_conf_send(const struct node_conf *c)
{
	struct nlmsghdr *nlh;
	unsigned int i, n = 0;
	char buf[32];

	nlh = genl_msg_start(HEARTBEAT_CMD_NODE_SET, NLM_F_ACK);
	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!c->given[i])
			continue;
		if (field_type(&node_fields[i]) == MNL_TYPE_U8)
			mnl_attr_put_u8(nlh, node_fields[i].attr, c->val[i]);
		else
			mnl_attr_put_u32(nlh, node_fields[i].attr, c->val[i]);
		format_field(&node_fields[i], c->val[i], buf, sizeof(buf));
		refused_note(node_fields[i].attr, node_fields[i].name, buf);
		n++;
	}
	return n ? genl_talk(nlh, NULL, NULL) : 0;
}

/*
 * A value as "node set" takes it back, exactly: the word for a zero that
 * has one, durations in a unit that holds every microsecond.
 */
static void format_field(const struct node_field *f, uint32_t v, char *buf,
			 size_t len)
{
	char tmp[32];

	switch (f->kind) {
	case F_DURATION:
	case F_SLACK:
		if (!v && (f->zero || f->kind == F_SLACK))
			snprintf(buf, len, "%s", f->zero ? f->zero : "auto");
		else
			format_duration(v, buf, len);
		break;
	case F_ON_OFF:
		snprintf(buf, len, "%s", v ? "on" : "off");
		break;
	case F_ENUM:
		snprintf(buf, len, "%s", enum_name(f->names, v, tmp,
						   sizeof(tmp)));
		break;
	case F_MILLI_OFF:
		if (!v) {
			snprintf(buf, len, "off");
			break;
		}
		/* fall through */
	case F_MILLI:
		format_milli(v, buf, len);
		break;
	default:
		if (!v && field_zero(f))
			snprintf(buf, len, "%s", field_zero(f));
		else
			snprintf(buf, len, "%u", v);
		break;
	}
}

void node_conf_print(FILE *fp, const struct node_conf *c, unsigned int wrap)
{
	unsigned int i, n = 0;
	char buf[32];

	for (i = 0; i < ARRAY_SIZE(node_fields); i++) {
		if (!c->given[i] || !node_fields[i].settable)
			continue;
		format_field(&node_fields[i], c->val[i], buf, sizeof(buf));
		/* a backslash ends a physical line, a tab starts the next */
		fprintf(fp, "%s%s %s",
			wrap && n && !(n % wrap) ? " \\\n\t" : " ",
			node_fields[i].name, buf);
		n++;
	}
}

unsigned int node_conf_count(void)
{
	return ARRAY_SIZE(node_fields);
}

const char *node_conf_name(unsigned int i)
{
	return node_fields[i].name;
}

unsigned int node_conf_index(int attr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(node_fields); i++)
		if (node_fields[i].attr == attr)
			break;
	return i;
}

unsigned int node_conf_id(void)
{
	return node_conf_index(HEARTBEAT_A_NODE_ID);
}

static int node_set(int argc, char **argv)
{
	struct node_conf c = {};
	int err;

	if (argc < 1) {
		fprintf(stderr,
			"Error: nothing to set, see \"hbctl node help\".\n");
		return HB_EXIT_USAGE;
	}
	/* Parse everything before talking to the kernel at all. */
	err = node_conf_parse(argc, argv, &c);
	if (err >= 0)
		return err;
	if (genl_open())
		return HB_EXIT_KERNEL;
	err = node_conf_send(&c);
	genl_close();
	return err ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* "show" first: a bare "s" must never modify anything. */
static const struct hb_cmd node_cmds[] = {
	{ "show", node_show },
	{ "set", node_set },
	{ NULL, NULL },
};

int do_node(int argc, char **argv)
{
	return cmd_dispatch("node", node_cmds, node_usage, argc, argv);
}
