/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_VERSION_H
#define HBCTL_VERSION_H

#define HBCTL_VERSION "0.3.0"

#include <stddef.h>

/* The loaded module's MODULE_VERSION, or "unknown" where sysfs has none. */
void read_module_version(char *buf, size_t len);

#endif /* HBCTL_VERSION_H */
