// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests of utils.c and json_print.c; no kernel needed. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"

#include "json_print.h"
#include "ranges.h"
#include "utils.h"

TEST(parse_u32_good)
{
	static const struct {
		const char *in;
		uint32_t out;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "42", 42 }, { "007", 7 },
		{ "4294967295", UINT32_MAX }, { "0x0", 0 }, { "0x10", 16 },
		{ "0XfF", 255 }, { "0xffffffff", UINT32_MAX },
		{ "0x00000001", 1 },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		v = 12345;
		ASSERT_EQ(0, parse_u32(ok[i].in, &v)) TH_LOG("%s", ok[i].in);
		ASSERT_EQ(ok[i].out, v) TH_LOG("%s", ok[i].in);
	}
}

TEST(parse_u32_bad)
{
	static const struct {
		const char *in;
		int err;
	} bad[] = {
		{ "", -EINVAL }, { "-1", -EINVAL }, { "-0", -EINVAL },
		{ "+1", -EINVAL }, { " 1", -EINVAL }, { "1 ", -EINVAL },
		{ "12a", -EINVAL }, { "a", -EINVAL }, { "0x", -EINVAL },
		{ "0xg", -EINVAL }, { "1.0", -EINVAL }, { "0b1", -EINVAL },
		{ "1e3", -EINVAL }, { "4294967296", -ERANGE },
		{ "0x100000000", -ERANGE }, { "99999999999999999999", -ERANGE },
		{ "99999999999999999999x", -EINVAL },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 12345;
		ASSERT_EQ(bad[i].err, parse_u32(bad[i].in, &v))
			TH_LOG("\"%s\"", bad[i].in);
		ASSERT_EQ(12345U, v) TH_LOG("\"%s\" clobbered", bad[i].in);
	}
}

TEST(parse_duration_good)
{
	static const struct {
		const char *in;
		uint32_t us;
	} ok[] = {
		{ "0us", 0 }, { "0ms", 0 }, { "0s", 0 }, { "0.000s", 0 },
		{ "1us", 1 }, { "250us", 250 }, { "10ms", 10000 },
		{ "1s", 1000000 }, { "60s", 60000000 },
		{ "3600s", 3600000000U }, { "1.5s", 1500000 },
		{ "0.5ms", 500 }, { "0.25s", 250000 }, { "0.000001s", 1 },
		{ "0.001ms", 1 }, { "1.0005ms", 1001 }, { "1.0004ms", 1000 },
		{ "1.2345678ms", 1235 }, { "1.4us", 1 }, { "1.5us", 2 },
		{ "010ms", 10000 }, { "4294967295us", UINT32_MAX },
		{ "4294967.295ms", UINT32_MAX }, { "4294.967295s", UINT32_MAX },
		{ "4294.9672949s", UINT32_MAX },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		v = 12345;
		ASSERT_EQ(0, parse_duration_us(ok[i].in, &v))
			TH_LOG("%s", ok[i].in);
		ASSERT_EQ(ok[i].us, v) TH_LOG("%s", ok[i].in);
	}
}

TEST(parse_duration_bad)
{
	static const struct {
		const char *in;
		int err;
	} bad[] = {
		/* no or unknown unit */
		{ "0", -EINVAL }, { "10", -EINVAL }, { "1.5", -EINVAL },
		{ "10m", -EINVAL }, { "10MS", -EINVAL }, { "10ns", -EINVAL },
		{ "5xs", -EINVAL }, { "10msx", -EINVAL }, { "10 ms", -EINVAL },
		/* junk */
		{ "", -EINVAL }, { "ms", -EINVAL }, { "s", -EINVAL },
		{ ".5s", -EINVAL }, { "1.s", -EINVAL }, { "1..5s", -EINVAL },
		{ "1.5.0s", -EINVAL }, { "-1ms", -EINVAL }, { "+1ms", -EINVAL },
		{ " 1ms", -EINVAL }, { "1e3us", -EINVAL }, { "0x10ms", -EINVAL },
		/* overflow */
		{ "4294967296us", -ERANGE }, { "4294968s", -ERANGE },
		{ "4294967.296ms", -ERANGE }, { "4294.9672955s", -ERANGE },
		{ "99999999999999999999us", -ERANGE },
		{ "99999999999999999999xs", -EINVAL },
		/* non-zero but below 1us */
		{ "0.1us", -EDOM }, { "0.5us", -EDOM },
		{ "0.0000001s", -EDOM }, { "0.0009ms", -EDOM },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 12345;
		ASSERT_EQ(bad[i].err, parse_duration_us(bad[i].in, &v))
			TH_LOG("\"%s\"", bad[i].in);
		ASSERT_EQ(12345U, v) TH_LOG("\"%s\" clobbered", bad[i].in);
	}
}

TEST(parse_milli_good)
{
	static const struct {
		const char *in;
		uint32_t milli;
	} ok[] = {
		{ "8", 8000 }, { "8.5", 8500 }, { "0.125", 125 },
		{ "20", 20000 }, { "0", 0 }, { "0.1", 100 }, { "0.25", 250 },
		{ "12.125", 12125 },
		{ "0.001", 1 }, { "8.000", 8000 }, { "08.50", 8500 },
		{ "4294967.295", UINT32_MAX }, { "4294967", 4294967000U },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		v = 12345;
		ASSERT_EQ(0, parse_milli(ok[i].in, &v)) TH_LOG("%s", ok[i].in);
		ASSERT_EQ(ok[i].milli, v) TH_LOG("%s", ok[i].in);
	}
}

TEST(parse_milli_bad)
{
	static const struct {
		const char *in;
		int err;
	} bad[] = {
		/* a fourth decimal, even a zero, is never silently dropped */
		{ "8.1234", -EDOM }, { "8.0000", -EDOM }, { "0.0001", -EDOM },
		/* junk */
		{ "", -EINVAL }, { "-1", -EINVAL }, { "+1", -EINVAL },
		{ "1e3", -EINVAL }, { "abc", -EINVAL }, { ".5", -EINVAL },
		{ "8.", -EINVAL }, { "8..5", -EINVAL }, { "8.5.1", -EINVAL },
		{ " 8", -EINVAL }, { "8 ", -EINVAL }, { "0x10", -EINVAL },
		{ "8,5", -EINVAL }, { "off", -EINVAL }, { "8.1234x", -EINVAL },
		{ "-0.5", -EINVAL }, { "inf", -EINVAL }, { "nan", -EINVAL },
		/* overflow */
		{ "4294967.296", -ERANGE }, { "4294968", -ERANGE },
		{ "4294967296", -ERANGE }, { "99999999999999999999", -ERANGE },
		{ "99999999999999999999x", -EINVAL },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 12345;
		ASSERT_EQ(bad[i].err, parse_milli(bad[i].in, &v))
			TH_LOG("\"%s\"", bad[i].in);
		ASSERT_EQ(12345U, v) TH_LOG("\"%s\" clobbered", bad[i].in);
	}
}

TEST(format_milli_known)
{
	static const struct {
		uint32_t milli;
		const char *exact;
		const char *rounded;
	} known[] = {
		{ 0, "0", "0.00" }, { 1, "0.001", "0.00" },
		{ 4, "0.004", "0.00" }, { 5, "0.005", "0.01" },
		{ 100, "0.1", "0.10" }, { 250, "0.25", "0.25" },
		{ 423, "0.423", "0.42" }, { 425, "0.425", "0.43" },
		{ 8000, "8", "8.00" }, { 8015, "8.015", "8.02" },
		{ 8500, "8.5", "8.50" }, { 12125, "12.125", "12.13" },
		{ 20000, "20", "20.00" }, { 999995, "999.995", "1000.00" },
		{ UINT32_MAX, "4294967.295", "4294967.30" },
	};
	char buf[MILLI_BUFSZ];
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		n = format_milli(known[i].milli, buf, sizeof(buf));
		ASSERT_STREQ(known[i].exact, buf);
		ASSERT_EQ((int)strlen(known[i].exact), n);
		n = format_milli_rounded(known[i].milli, buf, sizeof(buf));
		ASSERT_STREQ(known[i].rounded, buf);
		ASSERT_EQ((int)strlen(known[i].rounded), n);
	}
	ASSERT_EQ(-ENOSPC, format_milli(8500, buf, 3));
	ASSERT_EQ(3, format_milli(8500, buf, 4));
	ASSERT_EQ(-ENOSPC, format_milli_rounded(8500, buf, 4));
}

/* Whatever format_milli() prints parses back to the same value. */
TEST(format_milli_round_trip)
{
	uint32_t x = 2463534242U, back, v;
	char buf[MILLI_BUFSZ];
	unsigned int i;

	for (i = 0; i < 200000; i++) {
		/* every value up to 100.000, then xorshift32 over the rest */
		if (i <= 100000) {
			v = i;
		} else {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v = x;
		}
		ASSERT_LT(0, format_milli(v, buf, sizeof(buf)));
		back = ~v;
		ASSERT_EQ(0, parse_milli(buf, &back))
			TH_LOG("%u -> %s", v, buf);
		ASSERT_EQ(v, back) TH_LOG("%u -> %s", v, buf);
	}
}

TEST(format_duration_known)
{
	static const struct {
		uint32_t us;
		const char *out;
	} known[] = {
		{ 0, "0s" }, { 1, "1us" }, { 10, "10us" }, { 100, "100us" },
		{ 999, "999us" }, { 1000, "1ms" }, { 1001, "1001us" },
		{ 1010, "1010us" }, { 500, "500us" },
		{ 1500, "1.5ms" }, { 2500, "2.5ms" }, { 10000, "10ms" },
		{ 100000, "100ms" }, { 250000, "250ms" }, { 1000000, "1s" },
		{ 1100000, "1.1s" }, { 1500000, "1.5s" }, { 60000000, "60s" },
		{ 1234567, "1234567us" }, { 3600000000U, "3600s" },
		{ UINT32_MAX, "4294967295us" },
	};
	char buf[DURATION_BUFSZ];
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		n = format_duration(known[i].us, buf, sizeof(buf));
		ASSERT_STREQ(known[i].out, buf);
		ASSERT_EQ((int)strlen(known[i].out), n);
	}
	ASSERT_EQ(-ENOSPC, format_duration(10000, buf, 4));
	ASSERT_EQ(4, format_duration(10000, buf, 5));
	ASSERT_STREQ("10ms", buf);
}

static void assert_round_trip(struct __test_metadata *_metadata, uint32_t us)
{
	char buf[DURATION_BUFSZ];
	uint32_t back = ~us;

	ASSERT_LT(0, format_duration(us, buf, sizeof(buf)));
	ASSERT_EQ(0, parse_duration_us(buf, &back)) TH_LOG("%u -> %s", us, buf);
	ASSERT_EQ(us, back) TH_LOG("%u -> %s", us, buf);
}

TEST(format_duration_round_trip)
{
	uint32_t x = 2463534242U, mult;
	unsigned int i;

	for (i = 0; i <= 20000; i++)
		assert_round_trip(_metadata, i);
	for (mult = 1; mult <= 1000000; mult *= 10)
		for (i = 0; i < 5000; i++)
			assert_round_trip(_metadata, i * mult);
	for (i = 0; i < 32; i++) {
		assert_round_trip(_metadata, 1U << i);
		assert_round_trip(_metadata, (1U << i) - 1);
	}
	assert_round_trip(_metadata, UINT32_MAX);
	/* xorshift32: many values without a fixed pattern, reproducibly */
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		assert_round_trip(_metadata, x);
	}
}

TEST(on_off)
{
	bool v = false;

	ASSERT_EQ(0, parse_on_off("on", &v));
	ASSERT_TRUE(v);
	ASSERT_EQ(0, parse_on_off("off", &v));
	ASSERT_FALSE(v);
	ASSERT_EQ(-EINVAL, parse_on_off("On", &v));
	ASSERT_EQ(-EINVAL, parse_on_off("1", &v));
	ASSERT_EQ(-EINVAL, parse_on_off("of", &v));
	ASSERT_EQ(-EINVAL, parse_on_off("", &v));
	ASSERT_FALSE(v);
}

static int dummy(int argc, char **argv)
{
	(void)argv;
	return argc;
}

TEST(matches_and_lookup)
{
	static const struct hb_cmd tbl[] = {
		{ "show", dummy }, { "set", dummy }, { "help", dummy },
		{ NULL, NULL },
	};

	ASSERT_TRUE(matches("s", "show"));
	ASSERT_TRUE(matches("sho", "show"));
	ASSERT_TRUE(matches("show", "show"));
	ASSERT_FALSE(matches("shows", "show"));
	ASSERT_FALSE(matches("", "show"));
	ASSERT_FALSE(matches("x", "show"));
	ASSERT_FALSE(matches("sh", "set"));
	ASSERT_FALSE(matches("Show", "show"));

	ASSERT_EQ(&tbl[0], cmd_lookup(tbl, "s"));
	ASSERT_EQ(&tbl[1], cmd_lookup(tbl, "se"));
	ASSERT_EQ(&tbl[1], cmd_lookup(tbl, "set"));
	ASSERT_EQ(&tbl[2], cmd_lookup(tbl, "h"));
	ASSERT_EQ(NULL, cmd_lookup(tbl, "x"));
	ASSERT_EQ(NULL, cmd_lookup(tbl, ""));
	ASSERT_EQ(NULL, cmd_lookup(tbl, "setx"));
}

TEST(parse_mac_good)
{
	static const uint8_t want[MAC_LEN] = { 0x02, 0xab, 0xcd, 0xef, 0x00, 0x9f };
	uint8_t mac[MAC_LEN] = {};

	ASSERT_EQ(0, parse_mac("02:ab:cd:ef:00:9f", mac));
	ASSERT_EQ(0, memcmp(want, mac, MAC_LEN));
	ASSERT_EQ(0, parse_mac("02:AB:Cd:eF:00:9F", mac));
	ASSERT_EQ(0, memcmp(want, mac, MAC_LEN));
	ASSERT_EQ(0, parse_mac("ff:ff:ff:ff:ff:ff", mac));
	ASSERT_EQ(0xff, mac[5]);
}

TEST(parse_mac_bad)
{
	static const char *const bad[] = {
		"", "0", "02:ab:cd:ef:00", "02:ab:cd:ef:00:9f:", "02:ab:cd:ef:00:9",
		"02:ab:cd:ef:00:9fa", "2:ab:cd:ef:00:9f", "02-ab-cd-ef-00-9f",
		"02abcdef009f", "02:ab:cd:ef:00:9g", " 02:ab:cd:ef:00:9f",
		"02:ab:cd:ef:00:9f ", "02::ab:cd:ef:00:9f", "0x:ab:cd:ef:00:9f",
		"02:ab:cd:ef:00:9f:11",
	};
	uint8_t mac[MAC_LEN] = { 1, 2, 3, 4, 5, 6 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, parse_mac(bad[i], mac)) TH_LOG("\"%s\"", bad[i]);
		ASSERT_EQ(1, mac[0]) TH_LOG("\"%s\" clobbered", bad[i]);
		ASSERT_EQ(6, mac[5]) TH_LOG("\"%s\" clobbered", bad[i]);
	}
}

/* Below 1us in ns; from 1us on, rounded to us and parseable again. */
TEST(format_duration_ns_known)
{
	uint64_t ns, x = 88172645463325252ULL;
	char buf[DURATION_BUFSZ];
	uint32_t us;
	unsigned int i;

	ASSERT_EQ(3, format_duration_ns(0, buf, sizeof(buf)));
	ASSERT_STREQ("0ns", buf);
	format_duration_ns(999, buf, sizeof(buf));
	ASSERT_STREQ("999ns", buf);
	format_duration_ns(1000, buf, sizeof(buf));
	ASSERT_STREQ("1us", buf);
	format_duration_ns(35000, buf, sizeof(buf));
	ASSERT_STREQ("35us", buf);
	format_duration_ns(UINT64_MAX, buf, sizeof(buf));
	ASSERT_STREQ("18446744073709552us", buf);
	ASSERT_EQ(-ENOSPC, format_duration_ns(850, buf, 5));

	for (i = 0; i < 200000; i++) {
		/* xorshift64, scaled to stay within the u32 us range */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ns = 1000 + x % 4294967295000ULL;
		ASSERT_LT(0, format_duration_ns(ns, buf, sizeof(buf)));
		ASSERT_EQ(0, parse_duration_us(buf, &us)) TH_LOG("%s", buf);
		ASSERT_EQ((ns + 500) / 1000, us) TH_LOG("%" PRIu64 " -> %s", ns, buf);
	}
}

TEST(format_age_known)
{
	char buf[DURATION_BUFSZ];

	ASSERT_EQ(5, format_age(999, buf, 6));
	ASSERT_EQ(-ENOSPC, format_age(999, buf, 5));
	ASSERT_STREQ("999us", (format_age(999, buf, sizeof(buf)), buf));
	ASSERT_STREQ("3ms", (format_age(3499, buf, sizeof(buf)), buf));
	ASSERT_STREQ("4ms", (format_age(3500, buf, sizeof(buf)), buf));
	ASSERT_STREQ("1.2s", (format_age(1249999, buf, sizeof(buf)), buf));
	ASSERT_STREQ("1.3s", (format_age(1250000, buf, sizeof(buf)), buf));
	ASSERT_STREQ("10s", (format_age(9950000, buf, sizeof(buf)), buf));
	ASSERT_EQ(-ENOSPC, format_age(1000, buf, 3));
}

/* Output of the print_* calls, captured in memory. */
FIXTURE(out)
{
	char *buf;
	size_t len;
	FILE *fp;
};

FIXTURE_SETUP(out)
{
	self->buf = NULL;
	self->fp = open_memstream(&self->buf, &self->len);
	ASSERT_NE(NULL, self->fp);
}

FIXTURE_TEARDOWN(out)
{
	fclose(self->fp);
	free(self->buf);
}

static const char *captured(FIXTURE_DATA(out) *self)
{
	fflush(self->fp);
	return self->buf;
}

TEST_F(out, json_escaping)
{
	print_init(self->fp, true, false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "q\"k", "%s", "a\"b\\c/d");
	print_string(PRINT_JSON, "ctl", NULL, "\n\t\r\b\f\x01\x1f\x7f");
	print_string(PRINT_JSON, "utf8", NULL, "caf\xc3\xa9");
	print_string(PRINT_JSON, "null", NULL, NULL);
	print_string(PRINT_JSON, "empty", NULL, "");
	close_json_object();
	ASSERT_STREQ("{\"q\\\"k\":\"a\\\"b\\\\c/d\","
		     "\"ctl\":\"\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\","
		     "\"utf8\":\"caf\xc3\xa9\",\"null\":null,\"empty\":\"\"}\n",
		     captured(self));
}

TEST_F(out, json_values)
{
	print_init(self->fp, true, false);
	open_json_object(NULL);
	print_u32(PRINT_ANY, "u32", "u32 %u", UINT32_MAX);
	print_u64(PRINT_ANY, "u64", "x", UINT64_MAX);
	print_s64(PRINT_ANY, "s64", "x", INT64_MIN);
	print_bool(PRINT_ANY, "t", "%s", true);
	print_on_off(PRINT_ANY, "f", "%s", false);
	print_duration(PRINT_ANY, "d_us", "%s", 1500);
	print_milli(PRINT_ANY, "m", "%s", 8000);
	print_milli(PRINT_ANY, "m2", "%s", 125);
	print_milli(PRINT_JSON, "m3", NULL, UINT32_MAX);
	print_milli(PRINT_FP, "m4", "%s", 1);
	print_u32(PRINT_FP, "text_only", "%u", 7);
	print_nl();
	close_json_object();
	ASSERT_STREQ("{\"u32\":4294967295,\"u64\":18446744073709551615,"
		     "\"s64\":-9223372036854775808,\"t\":true,\"f\":false,"
		     "\"d_us\":1500,\"m\":8,\"m2\":0.125,"
		     "\"m3\":4294967.295}\n", captured(self));
}

TEST_F(out, json_nesting)
{
	print_init(self->fp, true, false);
	open_json_array(NULL);
	open_json_object(NULL);
	open_json_array("a");
	print_u32(PRINT_JSON, NULL, NULL, 1);
	print_u32(PRINT_JSON, NULL, NULL, 2);
	close_json_array();
	open_json_object("o");
	close_json_object();
	open_json_array("e");
	close_json_array();
	close_json_object();
	open_json_object(NULL);
	close_json_object();
	close_json_array();
	ASSERT_STREQ("[{\"a\":[1,2],\"o\":{},\"e\":[]},{}]\n", captured(self));
}

TEST_F(out, json_pretty)
{
	print_init(self->fp, true, true);
	open_json_object(NULL);
	print_u32(PRINT_JSON, "id", NULL, 1);
	open_json_array("l");
	print_u32(PRINT_JSON, NULL, NULL, 1);
	open_json_object(NULL);
	print_bool(PRINT_JSON, "b", NULL, true);
	close_json_object();
	close_json_array();
	open_json_object("empty");
	close_json_object();
	close_json_object();
	ASSERT_STREQ("{\n"
		     "    \"id\": 1,\n"
		     "    \"l\": [\n"
		     "        1,\n"
		     "        {\n"
		     "            \"b\": true\n"
		     "        }\n"
		     "    ],\n"
		     "    \"empty\": {}\n"
		     "}\n", captured(self));
}

TEST_F(out, text_mode)
{
	print_init(self->fp, false, true);
	open_json_object(NULL);
	print_u32(PRINT_ANY, "a", "a %u", 1);
	print_u32(PRINT_JSON, "hidden", "hidden %u", 2);
	print_string(PRINT_FP, NULL, "  b %s", "x\"y");
	print_on_off(PRINT_ANY, "c", "  c %s", true);
	print_bool(PRINT_ANY, "d", "  d %s", false);
	print_duration(PRINT_ANY, "e_us", "  e %s", 10000);
	print_u64(PRINT_ANY, "f", "  f %" PRIu64, 1764207610123456789ULL);
	print_s64(PRINT_ANY, "g", "  g %" PRId64, -5);
	print_milli(PRINT_ANY, "h", "  h %s", 8500);
	print_milli(PRINT_JSON, "hidden2", "  hidden2 %s", 1);
	print_u32(PRINT_ANY, "nofmt", NULL, 3);
	close_json_object();
	print_nl();
	ASSERT_STREQ("a 1  b x\"y  c on  d false  e 10ms  f 1764207610123456789"
		     "  g -5  h 8.5\n", captured(self));
}

/* parse_range()'s answer to @arg under @r: the value, or its message. */
static int range_check(const struct range *r, const char *arg, uint32_t *val,
		       char *msg, size_t len)
{
	FILE *saved = stderr;
	char *buf = NULL;
	size_t n = 0;
	int err;

	stderr = open_memstream(&buf, &n);
	err = parse_range(r, arg, val);
	fclose(stderr);
	stderr = saved;
	snprintf(msg, len, "%s", buf ? buf : "");
	free(buf);
	return err;
}

TEST(ranges)
{
	static const struct {
		const struct range *r;
		const char *arg;
		int err;
		uint32_t val;
		const char *msg;
	} cases[] = {
		{ &range_key_id, "1", 0, 1, "" },
		{ &range_key_id, "0xffff", 0, 65535, "" },
		{ &range_key_id, "0", -ERANGE, 0,
		  "id must be from 1 to 65535" },
		{ &range_key_id, "65536", -ERANGE, 0,
		  "id must be from 1 to 65535" },
		/* above 32 bits is out of a range that has a max */
		{ &range_key_id, "4294967296", -ERANGE, 0,
		  "id must be from 1 to 65535" },
		{ &range_key_id, "none", -EINVAL, 0,
		  "id needs a number (decimal or 0x hex)" },
		/* a zero word: 0 both ways, whatever min says */
		{ &range_node_learn_rate, "off", 0, 0, "" },
		{ &range_node_learn_rate, "0", 0, 0, "" },
		{ &range_node_learn_rate, "1000001", -ERANGE, 0,
		  "learn-rate must be off or from 1 to 1000000" },
		{ &range_node_learn_rate, "x", -EINVAL, 0,
		  "learn-rate needs a number (decimal or 0x hex) or off" },
		{ &range_expected_votes, "65", 0, 65, "" },
		{ &range_expected_votes, "66", -ERANGE, 0,
		  "expected-votes must be off or from 0 to 65" },
		{ &range_node_probe_helpers, "0", 0, 0, "" },
		{ &range_node_probe_helpers, "17", -ERANGE, 0,
		  "probe-helpers must be from 0 to 16" },
		/* durations: limits in the units people write */
		{ &range_disk_interval, "100ms", 0, 100000, "" },
		{ &range_disk_interval, "60s", 0, 60000000, "" },
		{ &range_disk_interval, "99.9ms", -ERANGE, 0,
		  "interval must be from 100ms to 60s" },
		{ &range_disk_interval, "0.0001us", -ERANGE, 0,
		  "interval must be from 100ms to 60s" },
		{ &range_disk_interval, "1", -EINVAL, 0,
		  "interval needs a duration with a unit, like 10ms, 1.5s or 500us" },
		{ &range_app_timeout, "3600.001s", -ERANGE, 0,
		  "timeout must be from 10ms to 3600s" },
		/* no upper limit: "at least", and 32 bits the only bound */
		{ &range_peer_id, "4294967295", 0, 4294967295U, "" },
		{ &range_peer_id, "0", -ERANGE, 0, "id must be at least 1" },
		{ &range_peer_id, "4294967296", -ERANGE, 0,
		  "id does not fit in 32 bits" },
		{ &range_probe_interval, "999us", -ERANGE, 0,
		  "interval must be at least 1ms" },
		{ &range_probe_interval, "4295s", -ERANGE, 0,
		  "interval does not fit in 32 bits of microseconds" },
		{ &range_top_interval, "100ms", 0, 100000, "" },
	};
	char msg[256], want[256];
	unsigned int i;
	uint32_t val;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		val = 12345;
		ASSERT_EQ(cases[i].err, range_check(cases[i].r, cases[i].arg,
						    &val, msg, sizeof(msg)))
			TH_LOG("%s %s: %s", cases[i].r->name, cases[i].arg, msg);
		if (cases[i].err) {
			snprintf(want, sizeof(want),
				 "Error: argument \"%s\" is wrong: %s\n",
				 cases[i].arg, cases[i].msg);
			ASSERT_STREQ(want, msg);
			ASSERT_EQ(12345U, val);
		} else {
			ASSERT_STREQ("", msg);
			ASSERT_EQ(cases[i].val, val) TH_LOG("%s", cases[i].arg);
		}
	}
}

/* Every range's limits are ones it can say and take back. */
TEST(range_table)
{
	const struct range *all[] = {
		&range_node_auth_key, &range_node_max_peers,
		&range_node_learn_rate, &range_node_gossip,
		&range_node_probe_helpers, &range_node_min_links,
		&range_key_id, &range_expected_votes, &range_disk_slots,
		&range_disk_interval, &range_app_timeout, &range_peer_id,
		&range_probe_count, &range_probe_interval,
		&range_top_interval,
	};
	char buf[DURATION_BUFSZ], msg[256];
	unsigned int i;
	uint32_t val;

	for (i = 0; i < ARRAY_SIZE(all); i++) {
		ASSERT_LE(all[i]->min, all[i]->max) TH_LOG("%s", all[i]->name);
		ASSERT_TRUE(range_ok(all[i], all[i]->min));
		ASSERT_TRUE(range_ok(all[i], all[i]->max));
		if (all[i]->unit == RANGE_DURATION)
			format_duration(all[i]->max, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%u", all[i]->max);
		ASSERT_EQ(0, range_check(all[i], buf, &val, msg, sizeof(msg)))
			TH_LOG("%s %s: %s", all[i]->name, buf, msg);
		ASSERT_EQ(all[i]->max, val);
		if (all[i]->min && !all[i]->zero)
			ASSERT_FALSE(range_ok(all[i], all[i]->min - 1))
				TH_LOG("%s", all[i]->name);
	}
}

TEST_HARNESS_MAIN
