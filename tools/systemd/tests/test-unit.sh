#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# heartbeat.service on the host (KTAP): systemd-analyze verify takes it, with
# its commands pointed at binaries that exist here (hbctl as built, modprobe
# as installed); a broken copy is refused, so the verdict means something;
# the commands are the ones the documentation and the VM test expect.
# heartbeat-prometheus.service and .timer: verified too, and the service's
# command, run with a stand-in for hbctl, replaces heartbeat.prom only with
# a complete output and leaves no temporary file.
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
echo "1..11"

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

# The textfile collector's units.
metrics=$top/tools/systemd/heartbeat-prometheus.service
timer=$top/tools/systemd/heartbeat-prometheus.timer
if command -v systemd-analyze >/dev/null 2>&1; then
	# this tree's script, not the installed one
	sed -e "s|/usr/libexec/heartbeat/|$top/tools/systemd/|" "$metrics" \
		>"$work/heartbeat-prometheus.service"
	cp "$timer" "$work/"
	out=$(systemd-analyze verify --man=no "$work/heartbeat-prometheus.service" \
		"$work/heartbeat-prometheus.timer" 2>&1)
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	[ -z "$out" ]
	ok "systemd-analyze verify heartbeat-prometheus.service and .timer"
else
	skip "systemd-analyze verify heartbeat-prometheus.service and .timer" "no systemd-analyze"
fi

grep -qx 'OnUnitActiveSec=15s' "$timer" && grep -qx 'WantedBy=timers.target' "$timer" &&
	grep -qx 'Type=oneshot' "$metrics" &&
	grep -qx 'ConditionPathIsDirectory=/var/lib/prometheus/node-exporter' "$metrics" &&
	grep -qx 'ReadWritePaths=/var/lib/prometheus/node-exporter' "$metrics"
ok "every 15 s, oneshot, only where node_exporter's directory is"

# The service's command, with this tree's script, on a directory of our
# own, with an hbctl that prints a sample or fails half way.
textdir=$work/node-exporter
mkdir "$textdir"
cmd=$(sed -n 's/^ExecStart=//p' "$metrics" |
	sed -e "s|/usr/libexec/heartbeat/|$top/tools/systemd/|" \
	    -e "s|/var/lib/prometheus/node-exporter|$textdir|g")
sample=$top/tools/hbctl/tests/prom_sample
if [ -x "$sample" ]; then
	"$sample" full >"$work/sample.prom"
else
	printf '# HELP heartbeat_up x\n# TYPE heartbeat_up gauge\nheartbeat_up 1\n' >"$work/sample.prom"
fi
cat >"$work/hbctl" <<EOS
#!/bin/sh
[ "\$*" = "stats -o prometheus" ] || exit 1
if [ -e "$work/fail" ]; then echo "# HELP heartbeat_partial"; exit 2; fi
cat "$work/sample.prom"
EOS
chmod +x "$work/hbctl"
echo old >"$textdir/heartbeat.prom"
# shellcheck disable=SC2086 # the unit's words
HBCTL=$work/hbctl $cmd && cmp -s "$work/sample.prom" "$textdir/heartbeat.prom" &&
	[ "$(ls -A "$textdir")" = heartbeat.prom ]
ok "the service writes heartbeat.prom, and nothing else"
touch "$work/fail"
# shellcheck disable=SC2086
! HBCTL=$work/hbctl $cmd && cmp -s "$work/sample.prom" "$textdir/heartbeat.prom" &&
	[ "$(ls -A "$textdir")" = heartbeat.prom ]
ok "a failed hbctl fails the service and leaves the previous file, no temporary one"
grep -q "^0755  *tools/systemd/heartbeat-prometheus .*/heartbeat-prometheus  *paths$" \
	"$top/scripts/install.list" &&
	grep -q "^0644  *tools/systemd/heartbeat-prometheus.service .*/heartbeat-prometheus.service  *paths$" \
	"$top/scripts/install.list" &&
	grep -q "^0644  *tools/systemd/heartbeat-prometheus.timer .*/heartbeat-prometheus.timer$" \
	"$top/scripts/install.list"
ok "make install installs the script and both units"

[ "$fails" -eq 0 ]
