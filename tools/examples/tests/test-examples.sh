#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The examples of Documentation/apps.rst, without a kernel: app-kick was
# built (make) and checks its arguments; heartbeat-app-kicker adds its gate
# when missing and kicks it only while the unit is active and HEALTH
# succeeds, against stand-ins for hbctl and systemctl that log their calls.
# KTAP on stdout.
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hb-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0
rc=0

result()	# result NAME STATUS
{
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		rc=1
	fi
}

echo "1..8"

"$here/app-kick" >/dev/null 2>"$work/err"
[ $? -eq 1 ] && grep -q "usage: app-kick NAME" "$work/err"
result app_kick_without_a_name_prints_its_usage $?

"$here/app-kick" db -50 >/dev/null 2>&1
result app_kick_refuses_a_negative_interval $(( $? != 1 ))

# Stand-ins: hbctl logs its arguments; "app show" fails unless $work/exists
# is there, "app kick" fails once $work/kick-fails is; systemctl says the
# unit is active while $work/active exists.
cat >"$work/hbctl" <<EOS
#!/bin/sh
echo "\$*" >>"$work/calls"
case "\$2" in
show) [ -e "$work/exists" ] ;;
kick) [ ! -e "$work/kick-fails" ] ;;
esac
EOS
cat >"$work/systemctl" <<EOS
#!/bin/sh
[ "\$1 \$2 \$3" = "is-active --quiet db.service" ] && [ -e "$work/active" ]
EOS
chmod +x "$work/hbctl" "$work/systemctl"

# kicker [VAR=VALUE...]: run it for about a second, in the background.
kicker()
{
	rm -f "$work/calls"
	env HBCTL="$work/hbctl" SYSTEMCTL="$work/systemctl" INTERVAL=0.1 "$@" \
		"$here/heartbeat-app-kicker" db &
	pid=$!
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
kicks() { grep -c "^app kick db$" "$work/calls" 2>/dev/null; }

touch "$work/active"
kicker TIMEOUT=500ms ACTION=silence
grep -qx "app add db timeout 500ms action silence" "$work/calls" && [ "$(kicks)" -ge 3 ]
result kicker_adds_a_missing_gate_and_kicks_it $?

touch "$work/exists"
kicker
! grep -q "app add" "$work/calls" && [ "$(kicks)" -ge 3 ]
result kicker_keeps_an_existing_gate $?

rm -f "$work/active"
kicker
[ "$(kicks)" -eq 0 ]
result kicker_never_kicks_for_an_inactive_unit $?

touch "$work/active"
kicker HEALTH="false"
a=$(kicks)
kicker HEALTH="test -e $work/active"
[ "$a" -eq 0 ] && [ "$(kicks)" -ge 3 ]
result kicker_kicks_only_while_health_succeeds $?

touch "$work/kick-fails"
env HBCTL="$work/hbctl" SYSTEMCTL="$work/systemctl" INTERVAL=0.1 \
	timeout 5 "$here/heartbeat-app-kicker" db
result kicker_exits_when_a_kick_fails $(( $? != 1 ))

# The unit, as an instance for a stand-in db.service.
if command -v systemd-analyze >/dev/null; then
	mkdir "$work/units"
	sed "s|/usr/libexec/heartbeat/heartbeat-app-kicker|$here/heartbeat-app-kicker|" \
		"$here/heartbeat-app@.service" >"$work/units/heartbeat-app@db.service"
	printf '[Service]\nExecStart=/bin/true\n' >"$work/units/db.service"
	out=$(systemd-analyze verify --man=no "$work/units/heartbeat-app@db.service" 2>&1)
	r=$?
	[ -z "$out" ] || { r=1; printf '%s\n' "$out" | sed 's/^/# /'; }
	result unit_verifies $r
else
	n=$((n + 1))
	echo "ok $n unit_verifies # SKIP systemd-analyze not installed"
fi

exit $rc
