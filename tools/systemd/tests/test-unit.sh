#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# heartbeat.service on the host (KTAP): systemd-analyze verify takes it, with
# its commands pointed at binaries that exist here (hbctl as built, modprobe
# as installed); a broken copy is refused, so the verdict means something;
# the commands are the ones the documentation and the VM test expect.
top=$(cd "$(dirname "$0")/../../.." && pwd)
unit=$top/tools/systemd/heartbeat.service
hbctl=$top/tools/hbctl/hbctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
fails=0

ok()	# ok DESCRIPTION: the last command's status
{
	rc=$?
	n=$((n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		fails=$((fails + 1))
	fi
}

skip()
{
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

echo "TAP version 13"
echo "1..6"

# The unit's command lines, as systemd would run them, with the installed
# paths rewritten to this tree's.
sed -e "s|/usr/sbin/hbctl|$hbctl|g" "$unit" >"$work/heartbeat.service"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip "systemd-analyze verify" "no systemd-analyze"
	skip "systemd-analyze refuses a unit whose hbctl is missing" "no systemd-analyze"
elif [ ! -x "$hbctl" ]; then
	skip "systemd-analyze verify" "hbctl not built"
	skip "systemd-analyze refuses a unit whose hbctl is missing" "hbctl not built"
else
	out=$(systemd-analyze verify --man=no "$work/heartbeat.service" 2>&1)
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	[ -z "$out" ]
	ok "systemd-analyze verify"
	# verify looks at the binaries: one that is not there fails it
	sed -e "s|$hbctl|$work/no-hbctl|" "$work/heartbeat.service" \
		>"$work/broken.service"
	! systemd-analyze verify --man=no "$work/broken.service" >/dev/null 2>&1
	ok "systemd-analyze refuses a unit whose hbctl is missing"
fi

grep -qx 'Type=oneshot' "$unit" && grep -qx 'RemainAfterExit=yes' "$unit"
ok "oneshot, active after it ran"

# Module first, the file checked, then applied; reload applies it again.
[ "$(grep -E '^Exec(Start|StartPre|Reload)=' "$unit")" = "ExecStartPre=/sbin/modprobe heartbeat
ExecStartPre=/usr/sbin/hbctl setconf --check /etc/heartbeat/heartbeat.conf
ExecStart=/usr/sbin/hbctl setconf --wait-devices 30s /etc/heartbeat/heartbeat.conf
ExecReload=/usr/sbin/hbctl setconf /etc/heartbeat/heartbeat.conf" ]
ok "the commands: modprobe, setconf --check, setconf, reload"

grep -q '^After=.*network.target' "$unit" &&
	grep -qx 'Before=corosync.service pacemaker.service' "$unit"
ok "after the network, before corosync and pacemaker"

# The example file is one setconf takes (eth0 may be missing here: a warning).
if [ -x "$hbctl" ]; then
	"$hbctl" setconf --check "$top/tools/systemd/heartbeat.conf" 2>"$work/err"
	ok "the example heartbeat.conf passes setconf --check"
	grep -v 'Warning: "eth0" does not exist now' "$work/err" | sed 's/^/# /'
else
	skip "the example heartbeat.conf passes setconf --check" "hbctl not built"
fi

[ "$fails" -eq 0 ]
