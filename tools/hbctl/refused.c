// SPDX-License-Identifier: GPL-2.0-only
/*
 * From the kernel's extack offset back to the words of the command line:
 * the offset names a byte of the request, the request's attribute there
 * was noted with the keyword and value that produced it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "refused.h"

static struct {
	int attr;
	char words[REFUSED_WORDS_LEN];
} notes[REFUSED_WORDS_MAX];
static unsigned int nnotes;

void refused_reset(void)
{
	nnotes = 0;
}

void refused_note(int attr, const char *keyword, const char *value)
{
	unsigned int i;

	for (i = 0; i < nnotes; i++)
		if (notes[i].attr == attr)
			break;
	/* A request has fewer attributes than this; a surplus goes unnamed. */
	if (i == REFUSED_WORDS_MAX)
		return;
	if (i == nnotes)
		nnotes++;
	notes[i].attr = attr;
	snprintf(notes[i].words, sizeof(notes[i].words), "%s %s", keyword,
		 value);
}

void refused_note_u32(int attr, const char *keyword, uint32_t value)
{
	char buf[12];

	snprintf(buf, sizeof(buf), "%u", value);
	refused_note(attr, keyword, buf);
}

void refused_note_mac(int attr, const char *keyword, const uint8_t mac[6])
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
	refused_note(attr, keyword, buf);
}

const char *refused_words(int attr)
{
	unsigned int i;

	for (i = 0; i < nnotes; i++)
		if (notes[i].attr == attr)
			return notes[i].words;
	return NULL;
}

int refused_offs_attr(const struct nlmsghdr *req, uint32_t offs)
{
	const struct nlattr *attr;
	uint32_t start;

	mnl_attr_for_each(attr, req, GENL_HDRLEN) {
		start = (const char *)attr - (const char *)req;
		if (offs >= start && offs < start + attr->nla_len)
			return mnl_attr_get_type(attr);
	}
	return -1;
}

void refused_print(FILE *fp, const char *level, const char *msg, int attr)
{
	const char *words = attr >= 0 ? refused_words(attr) : NULL;
	size_t len = strlen(msg);
	bool dot = len && msg[len - 1] == '.';

	if (!words) {
		fprintf(fp, "%s: %s%s\n", level, msg, dot ? "" : ".");
		return;
	}
	fprintf(fp, "%s: %.*s: %.*s (refused: %s).\n", level,
		(int)strcspn(words, " "), words, (int)(len - dot), msg, words);
}
