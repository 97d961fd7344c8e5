// SPDX-License-Identifier: GPL-2.0-only
/* hbctl version: tool, module and ABI versions side by side. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/heartbeat.h>

#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "utils.h"
#include "version.h"

#define MODULE_VERSION_FILE "/sys/module/heartbeat/version"

void read_module_version(char *buf, size_t len)
{
	FILE *fp = fopen(MODULE_VERSION_FILE, "r");

	/* Built-in or unversioned modules have no such file. */
	if (!fp || !fgets(buf, len, fp) || !buf[0] || buf[0] == '\n')
		snprintf(buf, len, "unknown");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (fp)
		fclose(fp);
}

int do_version(int argc, char **argv)
{
	char module[64];
	uint32_t abi;
	int err;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			printf("Usage: hbctl version\n");
			return HB_EXIT_OK;
		}
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}

	/*
	 * Resolving the family loads the module, so sysfs comes after. Its
	 * absence is an answer, not a failure: hbctl still has a version.
	 */
	err = genl_open_optional();
	open_json_object(NULL);
	print_string(PRINT_ANY, "hbctl", "hbctl %s", HBCTL_VERSION);
	print_u32(PRINT_JSON, "abi_tool", NULL, HEARTBEAT_GENL_VERSION);
	if (!err) {
		read_module_version(module, sizeof(module));
		abi = genl_family_version();
		print_string(PRINT_ANY, "module", "  module %s", module);
		print_u32(PRINT_ANY, "abi", "  abi %u", abi);
		if (abi != HEARTBEAT_GENL_VERSION)
			print_u32(PRINT_FP, NULL, "  (hbctl built for abi %u)",
				  HEARTBEAT_GENL_VERSION);
	} else if (err == -ENOENT) {
		/* null: no module, not a module without a version */
		print_string(PRINT_JSON, "module", NULL, NULL);
		print_string(PRINT_FP, NULL, "%s", "  module not loaded");
	}
	close_json_object();
	print_nl();
	genl_close();
	return err && err != -ENOENT ? HB_EXIT_KERNEL : HB_EXIT_OK;
}
