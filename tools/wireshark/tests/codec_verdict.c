// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the module's codec (kmod/proto.c, built in) makes of each frame:
 * reads one message a line in hex on stdin, writes one line per message,
 * "ok" or the drop counter hb_msg_decode() names (short, magic, ...). The
 * dissector's test compares it with heartbeat.drop frame by frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static const char *const verdicts[] = {
	[HB_DECODE_OK] = "ok",
	[HB_DECODE_SHORT] = "short",
	[HB_DECODE_MAGIC] = "magic",
	[HB_DECODE_VERSION] = "version",
	[HB_DECODE_LENGTH] = "length",
	[HB_DECODE_TYPE] = "type",
	[HB_DECODE_FIELD] = "field",
	[HB_DECODE_TLV] = "tlv",
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int main(void)
{
	static char line[2 * 65536 + 2];
	static u8 buf[65536];

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strcspn(line, "\r\n"), len = 0, i;
		struct hb_msg msg;
		enum hb_decode_err err;

		if (n % 2) {
			fprintf(stderr, "codec_verdict: odd hex line\n");
			return 2;
		}
		for (i = 0; i < n; i += 2) {
			int hi = hexval(line[i]), lo = hexval(line[i + 1]);

			if (hi < 0 || lo < 0) {
				fprintf(stderr, "codec_verdict: not hex\n");
				return 2;
			}
			buf[len++] = (u8)(hi << 4 | lo);
		}
		err = hb_msg_decode(buf, len, &msg);
		if ((size_t)err >= sizeof(verdicts) / sizeof(verdicts[0]) || !verdicts[err]) {
			printf("unknown-%d\n", (int)err);
			continue;
		}
		printf("%s\n", verdicts[err]);
	}
	return 0;
}
