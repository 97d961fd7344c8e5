// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attribute tables for reply printers. Kept apart from genl.c so the
 * command line tests can swap the socket layer for a stub.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "nlattr.h"

struct parse {
	const struct nlattr **tb;
	const struct attr_policy *pol;
	unsigned int max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct parse *p = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct attr_policy *pol;
	int ret;

	if (type > p->max)
		return MNL_CB_OK;
	pol = &p->pol[type];
	if (pol->type == MNL_TYPE_BINARY && pol->len)
		ret = mnl_attr_validate2(attr, pol->type, pol->len);
	else if (pol->type != MNL_TYPE_UNSPEC)
		ret = mnl_attr_validate(attr, pol->type);
	else
		ret = 0;
	if (ret < 0)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_payload(const void *payload, size_t len,
			 const struct nlattr **tb,
			 const struct attr_policy *pol, unsigned int max)
{
	struct parse p = { .tb = tb, .pol = pol, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_payload(payload, len, attr_cb, &p) < 0) {
		errno = EPROTO;
		return -EPROTO;
	}
	return 0;
}

int attr_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   const struct attr_policy *pol, unsigned int max)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (len < GENL_HDRLEN) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		errno = EPROTO;
		return -EPROTO;
	}
	return parse_payload(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			     len - GENL_HDRLEN, tb, pol, max);
}

int attr_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		    const struct attr_policy *pol, unsigned int max)
{
	return parse_payload(mnl_attr_get_payload(nest),
			     mnl_attr_get_payload_len(nest), tb, pol, max);
}
