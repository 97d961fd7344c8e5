/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HBCTL_VERSION_H
#define HBCTL_VERSION_H

#define HBCTL_VERSION "0.3.0"

#endif /* HBCTL_VERSION_H */
