// SPDX-License-Identifier: GPL-2.0-only
/* Helpers shared by the benchmark programs; see common.h. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "common.h"

const char *prog = "hbbench";
const uint8_t hb_group_mac[6] = HB_GROUP_MAC;

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try %s -h)\n", prog);
	exit(1);
}

uint64_t parse_num(const char *opt, const char *arg, uint64_t min,
		   uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		usage_error("%s: want a number from %llu to %llu, not '%s'",
			    opt, (unsigned long long)min,
			    (unsigned long long)max, arg);
	return v;
}

uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

struct timespec ns_to_timespec(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (long)(ns % NSEC_PER_SEC),
	};

	return ts;
}

void samples_add(struct samples *s, uint64_t x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("out of memory");
	}
	s->v[s->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t samples_pct(struct samples *s, double p)
{
	size_t rank;

	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	/* Nearest rank: the smallest sample with p% of them at or below it. */
	rank = (size_t)(p / 100.0 * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->v[rank - 1];
}

int iface_lookup(int fd, const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int ifindex;

	if (strlen(name) >= IFNAMSIZ)
		usage_error("interface name too long: %s", name);
	ifindex = (int)if_nametoindex(name);
	if (!ifindex)
		die("no interface %s: %s", name, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("%s: cannot read its MAC address: %s", name,
		    strerror(errno));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return ifindex;
}

void eth_header(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6],
		uint16_t ethertype)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = (uint8_t)(ethertype >> 8);
	buf[13] = (uint8_t)ethertype;
}

FILE *open_log(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	/* Lines are short and many: let stdio batch the writes. */
	if (setvbuf(f, NULL, _IOFBF, 1 << 20))
		die("%s: cannot buffer", path);
	return f;
}
