/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_REFUSED_H
#define HBCTL_REFUSED_H

#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

/*
 * The command-line words behind each top-level attribute of the request
 * being built, so that the kernel's extack offset (NLMSGERR_ATTR_OFFS)
 * can name the keyword it refused: "Error: interval: integer out of
 * range (refused: interval 500us)." genl_msg_start() forgets the last
 * request's words; whoever puts an attribute notes what it came from.
 */
#define REFUSED_WORDS_MAX	32
#define REFUSED_WORDS_LEN	80

void refused_reset(void);
/* @value is copied; a later note of the same @attr replaces it. */
void refused_note(int attr, const char *keyword, const char *value);
void refused_note_u32(int attr, const char *keyword, uint32_t value);
void refused_note_mac(int attr, const char *keyword, const uint8_t mac[6]);
/* "interval 500us" for @attr, NULL if nothing was noted. */
const char *refused_words(int attr);

/* Type of the top-level attribute of @req covering byte @offs, or -1. */
int refused_offs_attr(const struct nlmsghdr *req, uint32_t offs);

/*
 * "@level: @msg." or, with words noted for @attr (-1: none),
 * "@level: KEYWORD: @msg (refused: KEYWORD VALUE)." on @fp.
 */
void refused_print(FILE *fp, const char *level, const char *msg, int attr);

#endif /* HBCTL_REFUSED_H */
