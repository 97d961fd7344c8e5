/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_NLATTR_H
#define HBCTL_NLATTR_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * What one attribute of a reply must look like. The zero value,
 * MNL_TYPE_UNSPEC, accepts anything: pads, and attributes hbctl never
 * reads.
 */
struct attr_policy {
	enum mnl_attr_data_type type;
	uint16_t len;		/* exact payload length of a MNL_TYPE_BINARY */
};

/*
 * Fill tb[0..max] (cleared first) with the attributes of a generic netlink
 * message or of a nest. Types above @max come from a newer kernel and are
 * skipped. One malformed attribute fails the whole parse, so a printer can
 * check everything before it prints anything: -EPROTO, errno set.
 */
int attr_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   const struct attr_policy *pol, unsigned int max);
int attr_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		    const struct attr_policy *pol, unsigned int max);

#endif /* HBCTL_NLATTR_H */
