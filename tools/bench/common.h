/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the benchmark programs: argument parsing, clocks,
 * percentiles, raw Ethernet framing. The wire format and the detector
 * are not here: they come from kmod/ unchanged.
 */
#ifndef _HB_BENCH_COMMON_H
#define _HB_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "proto.h"

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

#define ETH_HDR_LEN	14
/* A frame as the module sends it: Ethernet header, heartbeat, AUTH TLV. */
#define FRAME_MAX	(ETH_HDR_LEN + HB_HDR_LEN + HB_AUTH_TLV_LEN)

/* The module numbers its links from 1; 0 marks a free path slot. */
#define BENCH_LINK_ID	1

extern const char *prog;
extern const uint8_t hb_group_mac[6];

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Like die(), but exit status 1 with a hint to -h: a usage error. */
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Decimal number in [min, max], or a usage error naming the option. */
uint64_t parse_num(const char *opt, const char *arg, uint64_t min,
		   uint64_t max);

uint64_t clock_ns(clockid_t clock);
struct timespec ns_to_timespec(uint64_t ns);

/* A growable array of samples and its nearest-rank percentiles. */
struct samples {
	uint64_t *v;
	size_t n, cap;
};

void samples_add(struct samples *s, uint64_t x);
/* Sorts s in place; p in [0, 100]. 0 if s is empty. */
uint64_t samples_pct(struct samples *s, double p);

/* ifindex and MAC address of an interface, or die. */
int iface_lookup(int fd, const char *name, uint8_t mac[6]);

/* Ethernet header for a heartbeat frame from src to dst. */
void eth_header(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6],
		uint16_t ethertype);

/* A FILE * opened for writing with a large buffer, or die. */
FILE *open_log(const char *path);

#endif /* _HB_BENCH_COMMON_H */
