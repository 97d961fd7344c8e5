#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host test of the manual pages make install installs: each renders without
# a warning (man --warnings, groff -ww), the pages they refer to exist, and
# the pages that describe an interface name all of it, read from the
# sources: heartbeat(7) every module parameter, sysfs file, drop reason,
# uevent key and tracepoint with its fields; heartbeat-fence.conf(5) every
# key the hook reads.
here=$(cd "$(dirname "$0")" && pwd)
HB_TOP=$(cd "$here/../.." && pwd)
# shellcheck source=selftests/lib.sh
. "$HB_TOP/selftests/lib.sh"
# shellcheck disable=SC2034 # lib.sh names the results after it
ktap_name=manpages
cd "$HB_TOP" || exit 1

# SOURCE of every line of install.list that installs under $MANDIR.
pages=$(awk '$1 ~ /^0/ && $3 ~ /^\$MANDIR\// { print $2 }' scripts/install.list)

ktap_plan 7

r=0
[ -n "$pages" ] || { fail_msg "install.list installs no manual page"; r=1; }
for p in $pages; do
	[ -f "$p" ] || { fail_msg "$p: missing"; r=1; continue; }
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
	[ -z "$warn" ] || { fail_msg "$p: man: $warn"; r=1; }
	warn=$(groff -ww -z -man "$p" 2>&1)
	[ -z "$warn" ] || { fail_msg "$p: groff: $warn"; r=1; }
done
ktap_result render_without_warnings $r

# Every project page one of them refers to (.BR name (N)) is installed too.
r=0
installed=$(for p in $pages; do basename "$p"; done)
own='hbctl|heartbeat|heartbeat\\-fence|heartbeat\\-fence\.conf|fence_heartbeat|ocf_hbmod_heartbeat'
# shellcheck disable=SC2086 # pages are paths without blanks
refs=$(grep -hoE "^\.BR ($own) \([1-8]\)" $pages | sed 's/^\.BR //; s/\\-/-/g; s/ (\(.\))/.\1/' | sort -u)
for ref in $refs; do
	grep -qxF "$ref" <<<"$installed" || { fail_msg "a page refers to $ref, not installed"; r=1; }
done
[ -n "$refs" ] || { fail_msg "no reference between the pages found"; r=1; }
ktap_result references_installed $r

page=kmod/heartbeat.7
# names KIND WORD...: fail for each WORD heartbeat.7 does not contain.
names()
{
	local kind=$1 w rc=0
	shift
	[ $# -gt 0 ] || { fail_msg "no $kind found in the sources"; return 1; }
	for w in "$@"; do
		grep -qw -- "$w" "$page" || { fail_msg "heartbeat.7 lacks $kind $w"; rc=1; }
	done
	return $rc
}

r=0
# shellcheck disable=SC2046 # names are words
names "module parameter" $(sed -n 's/^module_param\(_named\|_cb\)\?(\([a-z_0-9]*\),.*/\2/p' kmod/*.c) || r=1
ktap_result heartbeat7_parameters $r

r=0
# shellcheck disable=SC2046
names "sysfs file" $(sed -n 's/^\t\(HB_ATTR\|HB_CONFIG_ATTR\)(\([a-z_0-9]*\).*/\2/p' kmod/sysfs.c) || r=1
# shellcheck disable=SC2046
names "drop reason" $(sed -n 's/^\tX(HEARTBEAT_DROP_[A-Z_]*, "\([a-z_]*\)").*/\1/p' kmod/names.h) || r=1
ktap_result heartbeat7_sysfs $r

r=0
# shellcheck disable=SC2046
names "uevent key" $(grep -o '"HEARTBEAT_[A-Z_]*=' kmod/uevent.c | tr -d '"=' | sort -u) || r=1
ktap_result heartbeat7_uevents $r

# Each tracepoint, as heartbeat:NAME, and every field of its entry.
r=0
# shellcheck disable=SC2046
names "tracepoint" $(sed -n 's/^TRACE_EVENT(\([a-z_]*\),$/heartbeat:\1/p' kmod/hb_trace.h) || r=1
# shellcheck disable=SC2046
names "tracepoint field" $(sed -n 's/^\t\t__\(field\|string\)([a-z0-9_ ]*, *\([a-z_]*\)).*/\2/p;
	s/^\t\t__string(\([a-z_]*\),.*/\1/p' kmod/hb_trace.h | sort -u) || r=1
ktap_result heartbeat7_tracepoints $r

# heartbeat-fence.conf(5): every key read_conf() accepts, as a .BR item.
r=0
keys=$(sed -n 's/^\t\t\([A-Z_]*\))\t.*/\1/p' tools/fencing/heartbeat-fence)
[ -n "$keys" ] || { fail_msg "no key found in heartbeat-fence"; r=1; }
for k in $keys; do
	grep -q "^\.BR $k " tools/fencing/heartbeat-fence.conf.5 ||
		{ fail_msg "heartbeat-fence.conf.5 lacks key $k"; r=1; }
done
ktap_result fence_conf5_keys $r

ktap_finish
