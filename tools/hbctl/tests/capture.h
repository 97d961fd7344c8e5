/* SPDX-License-Identifier: GPL-2.0-only */
/* What the printers write, captured in memory for exact comparison. */
#ifndef HBCTL_TESTS_CAPTURE_H
#define HBCTL_TESTS_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_print.h"

struct capture {
	char *buf;
	size_t len;
	FILE *fp;
};

/* Starts (or restarts) a capture in the given output mode. */
static inline bool capture_start(struct capture *c, bool json, bool pretty)
{
	if (c->fp)
		fclose(c->fp);
	free(c->buf);
	c->buf = NULL;
	c->fp = open_memstream(&c->buf, &c->len);
	print_init(c->fp, json, pretty);
	return c->fp;
}

static inline const char *capture_text(struct capture *c)
{
	fflush(c->fp);
	return c->buf ? c->buf : "";
}

static inline void capture_end(struct capture *c)
{
	if (c->fp)
		fclose(c->fp);
	free(c->buf);
	c->fp = NULL;
	c->buf = NULL;
	print_init(stdout, false, false);
}

#endif /* HBCTL_TESTS_CAPTURE_H */
