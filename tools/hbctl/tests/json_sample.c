// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prints JSON the way hbctl does, for json_check.sh to feed a real JSON
 * parser. "json_sample pretty" selects pretty mode.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hbctl.h"
#include "json_print.h"
#include "node_reply.h"

int main(int argc, char **argv)
{
	char buf[NODE_REPLY_BUFSZ] __attribute__((aligned(4))) = {};
	bool pretty = argc > 1 && !strcmp(argv[1], "pretty");

	print_init(stdout, true, pretty);
	open_json_array(NULL);
	if (node_show_cb(node_reply_full(buf, 0), NULL) != MNL_CB_OK)
		return 1;
	open_json_object(NULL);
	print_string(PRINT_JSON, "esc\"key\\", NULL,
		     "q\" b\\ nl\n tab\t cr\r bs\b ff\f c1\x01 c1f\x1f del\x7f");
	print_string(PRINT_JSON, "null", NULL, NULL);
	print_s64(PRINT_JSON, "neg", NULL, -1);
	open_json_array("empty");
	close_json_array();
	open_json_object("nested");
	open_json_array("list");
	print_u64(PRINT_JSON, NULL, NULL, 18446744073709551615ULL);
	print_bool(PRINT_JSON, NULL, NULL, false);
	close_json_array();
	close_json_object();
	close_json_object();
	close_json_array();
	return 0;
}
