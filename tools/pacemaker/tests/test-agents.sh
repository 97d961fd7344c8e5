#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host test of the Pacemaker agents: the OCF resource agent ocf:hbmod:heartbeat
# and the fence agent fence_heartbeat, on a stand-in hbctl that serves the
# module's view (node, link, quorum, peer JSON) from files the test writes,
# and a stand-in attrd_updater that records the health published. No root,
# no module, no cluster. Each agent runs as a copy whose /sys/module/heartbeat
# is a directory of the test, so "the module is loaded" is the test's choice.
here=$(cd "$(dirname "$0")" && pwd)
pcmk=$(dirname "$here")
HB_TOP=$(cd "$pcmk/../.." && pwd)
# shellcheck source=../../../selftests/lib.sh
. "$HB_TOP/selftests/lib.sh"
# shellcheck disable=SC2034 # lib.sh names the results after it
ktap_name=pacemaker

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/view" "$tmp/sys/heartbeat" "$tmp/rsc"
v=$tmp/view

# The agents, reading the test's stand-in of /sys/module/heartbeat.
sed "s|/sys/module/heartbeat|$tmp/sys/heartbeat|" "$pcmk/heartbeat" >"$tmp/ra"
sed "s|/sys/module/heartbeat|$tmp/sys/heartbeat|" "$pcmk/fence_heartbeat" >"$tmp/fence_heartbeat"
chmod 0755 "$tmp/ra" "$tmp/fence_heartbeat"

# hbctl: "-j OBJ show" prints view/OBJ.json; "help" names setconf unless
# view/no-setconf exists; setconf records its file and exits as view/setconf-rc
# says, printing view/setconf-err; every call is logged in view/calls.
cat >"$tmp/bin/hbctl" <<EOF
#!/bin/sh
v=$v
echo "\$*" >>\$v/calls
case \$1 in
help)	if [ -e \$v/no-setconf ]; then echo "hbctl node|link|peer|quorum"; else echo "hbctl ... showconf | setconf"; fi ;;
setconf)
	rc=\$(cat \$v/setconf-rc 2>/dev/null || echo 0)
	[ "\$rc" = 0 ] || cat \$v/setconf-err >&2
	exit "\$rc" ;;
-j)	[ "\$3" = show ] || exit 1
	[ -e "\$v/\$2.fail" ] && { echo "Error: family heartbeat not found" >&2; exit 2; }
	cat "\$v/\$2.json" ;;
node)	[ "\$2" = show ] && { sed 's/.*"id":\([0-9]*\).*/id \1/; s/^id 0\$/id none/' \$v/node.json; exit 0; }
	[ "\$2 \$3" = "set id" ] && echo "{\"id\":\$4,\"cluster\":7}" >\$v/node.json
	exit 0 ;;
*)	[ -e \$v/refuse ] && grep -qF -- "\$*" \$v/refuse && { echo "Error: refused" >&2; exit 2; }
	exit 0 ;;
esac
EOF
cat >"$tmp/bin/attrd_updater" <<EOF
#!/bin/sh
echo "\$*" >>$tmp/attrd
EOF
printf '#!/bin/sh\necho modprobe "$@" >>%s/modprobe\n' "$tmp" >"$tmp/bin/modprobe"
chmod 0755 "$tmp/bin/hbctl" "$tmp/bin/attrd_updater" "$tmp/bin/modprobe"
PATH=$tmp/bin:$PATH
echo "node set id 1 cluster 7" >"$tmp/heartbeat.conf"

# view NODE QUORUM LINKS PEERS: the module's answers, as JSON.
view()
{
	echo "$1" >"$v/node.json"
	echo "$2" >"$v/quorum.json"
	echo "$3" >"$v/link.json"
	echo "$4" >"$v/peer.json"
}
node1='{"id":1,"cluster":7,"interval_us":100000,"fall":3}'
q_ok='{"quorate":true,"expected_votes":3,"votes":3,"members":[1,2,3]}'
q_lost='{"quorate":false,"expected_votes":3,"votes":1,"members":[1,2,3]}'
q_off='{"quorate":false,"expected_votes":0,"votes":1,"members":[1]}'
links_up='[{"dev":"eth0","id":1,"up":true},{"dev":"eth1","id":2,"up":true}]'
links_half='[{"dev":"eth0","id":1,"up":true},{"dev":"eth1","id":2,"up":false}]'
links_down='[{"dev":"eth0","id":1,"up":false},{"dev":"eth1","id":2,"up":false}]'
# peer ID STATE [UP OF] [EXTRA]: a configured peer heard on UP of OF channels.
peer()
{
	local id=$1 state=$2 up=${3:-2} of=${4:-2} extra=${5:-} ch="" i
	for i in $(seq 1 "$of"); do
		[ -z "$ch" ] || ch="$ch,"
		if [ "$i" -le "$up" ]; then s=up; else s=down; fi
		ch="$ch{\"dev\":\"eth$((i - 1))\",\"state\":\"$s\"}"
	done
	printf '{"id":%s,"state":"%s","configured":true,"links":[%s],"links_up":%s%s}' \
		"$id" "$state" "$ch" "$up" "$extra"
}
learned='{"id":4000000001,"state":"dead","configured":false,"links":[]}'

# ra ACTION [NAME=VALUE...]: the OCF agent as pacemaker-execd runs it.
ra()
{
	local action=$1
	shift
	env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=hb:0 \
		HA_RSCTMP="$tmp/rsc" OCF_RESKEY_hbctl="$tmp/bin/hbctl" \
		OCF_RESKEY_config="$tmp/heartbeat.conf" "$@" \
		"$tmp/ra" "$action" >"$tmp/out" 2>&1
	rc=$?
	return 0
}

# fh [ARG...] [< STDIN]: the fence agent, its output in $tmp/out, exit in rc.
fh()
{
	local t0
	t0=$(date +%s.%N)
	"$tmp/fence_heartbeat" "$@" >"$tmp/out" 2>&1
	rc=$?
	took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	return 0
}

want_rc()	# want_rc N: the last agent run exited N
{
	[ "$rc" = "$1" ] && return 0
	fail_msg "exit $rc, expected $1"
	sed 's/^/#   /' "$tmp/out"
	return 1
}

has()		# has FILE TEXT: a line of FILE contains TEXT
{
	grep -qF -- "$2" "$1" 2>/dev/null && return 0
	fail_msg "${1##*/} lacks '$2'"
	sed 's/^/#   /' "$1" 2>/dev/null
	return 1
}

lacks()		# lacks FILE TEXT: no line of FILE contains TEXT
{
	! grep -qF -- "$2" "$1" 2>/dev/null || { fail_msg "${1##*/} has '$2'"; return 1; }
}

last_health()	# the last colour published with -U
{
	sed -n 's/.*-U \([a-z]*\).*/\1/p' "$tmp/attrd" 2>/dev/null | tail -n 1
}

want_health()	# want_health COLOUR
{
	[ "$(last_health)" = "$1" ] && return 0
	fail_msg "health '$(last_health)', expected '$1'"
	sed 's/^/#   /' "$tmp/out"
	return 1
}

fresh()		# a started agent's state gone, records cleared
{
	rm -f "$tmp/rsc"/* "$tmp/attrd" "$v/calls" "$v/setconf-rc" "$v/no-setconf" "$v/refuse" \
		"$v"/*.fail "$tmp/modprobe"
	mkdir -p "$tmp/sys/heartbeat"
}

ktap_plan 38

# --- the OCF agent as a program ------------------------------------------------
r=0
sh -n "$pcmk/heartbeat" || r=1
if command -v dash >/dev/null; then dash -n "$pcmk/heartbeat" || r=1; fi
if command -v shellcheck >/dev/null; then
	shellcheck -x -P SCRIPTDIR "$pcmk/heartbeat" "$0" | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" = 0 ] || r=1
fi
ktap_result ra_parses_and_shellcheck $r

r=0
ra meta-data
want_rc 0 || r=1
cp "$tmp/out" "$tmp/ra.xml"
if command -v xmllint >/dev/null; then
	dtd=/usr/share/resource-agents/ra-api-1.dtd
	if [ -r "$dtd" ]; then
		xmllint --noout --dtdvalid "$dtd" "$tmp/ra.xml" 2>&1 | sed 's/^/# /'
	else
		xmllint --noout "$tmp/ra.xml" 2>&1 | sed 's/^/# /'
	fi
	[ "${PIPESTATUS[0]}" = 0 ] || r=1
fi
for text in '<resource-agent name="heartbeat"' '<version>1.1</version>' \
	    'content type="string" default="/etc/heartbeat/heartbeat.conf"' \
	    'default="#health-heartbeat"' 'legacy Linux-HA "Heartbeat"' '"ocf:heartbeat:"' \
	    '<action name="validate-all"'; do
	has "$tmp/ra.xml" "$text" || r=1
done
ktap_result ra_metadata $r

r=0
fresh
ra monitor
want_rc 7 || r=1
[ ! -e "$tmp/attrd" ] || { fail_msg "a stopped resource published health"; r=1; }
ra frobnicate
want_rc 3 || r=1
ktap_result ra_stopped_is_not_running $r

# --- start: setconf, state, health ----------------------------------------------
r=0
fresh
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive),$learned]"
ra start
want_rc 0 || r=1
has "$v/calls" "setconf $tmp/heartbeat.conf" || r=1
[ ! -e "$tmp/modprobe" ] || { fail_msg "modprobe ran with the module loaded"; r=1; }
want_health green || r=1
has "$tmp/attrd" "-n #health-heartbeat -U green" || r=1
ra monitor OCF_RESKEY_CRM_meta_interval=10000
want_rc 0 || r=1
ktap_result ra_start_applies_config_and_publishes_green $r

r=0
fresh
rmdir "$tmp/sys/heartbeat"
ra start
has "$tmp/modprobe" "modprobe heartbeat" || r=1
ktap_result ra_start_loads_module $r

r=0
fresh
echo 2 >"$v/setconf-rc"
echo "$tmp/heartbeat.conf:1: Error: node set: interval 0 out of range" >"$v/setconf-err"
ra start
want_rc 2 || r=1
has "$tmp/out" "ocf-exit-reason:" || r=1
has "$tmp/out" "interval 0 out of range" || r=1
ra monitor
want_rc 7 || r=1
ktap_result ra_start_refused_config_is_err_args $r

# An hbctl from before setconf: the lines run one by one, quotes and
# continuations as setconf reads them.
r=0
fresh
touch "$v/no-setconf"
view '{"id":0,"cluster":0}' "$q_off" "$links_up" "[]"
# shellcheck disable=SC1003 # a backslash at the end of a line, on purpose
printf '%s\n' '# comment' 'node set id 1 \' '  cluster 7   # trailing' '' 'link add dev eth0' \
	'app add "my app" timeout 1s' >"$tmp/heartbeat.conf"
ra start
want_rc 0 || r=1
has "$v/calls" "node set id 1 cluster 7" || r=1
has "$v/calls" "link add dev eth0" || r=1
has "$v/calls" "app add my app timeout 1s" || r=1
lacks "$v/calls" "setconf" || r=1
fresh
touch "$v/no-setconf"
view '{"id":0,"cluster":0}' "$q_off" "$links_up" "[]"
echo "link add dev eth0" >"$v/refuse"
ra start
want_rc 2 || r=1
has "$tmp/out" "line 5 refused" || r=1
# A configured node (a restart of the resource): the lines, which cannot
# be applied twice, are not run again.
fresh
touch "$v/no-setconf"
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive)]"
ra start
want_rc 0 || r=1
has "$tmp/out" "the node is configured already" || r=1
lacks "$v/calls" "link add dev eth0" || r=1
echo "node set id 1 cluster 7" >"$tmp/heartbeat.conf"
ktap_result ra_without_setconf_applies_lines $r

# --- health colours --------------------------------------------------------------
# health NAME COLOUR WHY NODE QUORUM LINKS PEERS: a started agent's monitor.
health()
{
	local name=$1 colour=$2 why=$3 r=0
	shift 3
	fresh
	view "$@"
	: >"$tmp/rsc/hbmod-heartbeat-hb.state"
	ra monitor OCF_RESKEY_CRM_meta_interval=10000
	want_rc 0 || r=1
	want_health "$colour" || r=1
	[ -z "$why" ] || has "$tmp/out" "$why" || r=1
	ktap_result "health_$name" $r
}
health all_alive green "" "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive)]"
health learned_peers_ignored green "" "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$learned]"
health peer_degraded yellow "peer 3 degraded 1/2" \
	"$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive 1 2)]"
health peer_suspect yellow "peer 2 suspect" \
	"$node1" "$q_ok" "$links_up" "[$(peer 2 suspect),$(peer 3 alive)]"
health peer_unreachable yellow "peer 2 unreachable" \
	"$node1" "$q_ok" "$links_up" "[$(peer 2 unreachable 0 2),$(peer 3 alive)]"
health peer_dead_quorate yellow "peer 3 dead" \
	"$node1" '{"quorate":true,"expected_votes":3,"votes":2}' "$links_up" \
	"[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":true')]"
health own_link_down yellow "link eth1 down" \
	"$node1" "$q_ok" "$links_half" "[$(peer 2 alive 1 2),$(peer 3 alive 1 2)]"
health not_quorate red "not quorate: votes 1 of 3" \
	"$node1" "$q_lost" "$links_up" "[$(peer 2 dead 0 2),$(peer 3 dead 0 2)]"
health no_link_up red "no link up" \
	"$node1" "$q_off" "$links_down" "[$(peer 2 dead 0 2)]"
health quorum_off_peer_dead yellow "peer 2 dead" \
	"$node1" "$q_off" "$links_up" "[$(peer 2 dead 0 2),$(peer 3 alive)]"

r=0
fresh
view '{"id":0,"cluster":0}' "$q_off" "[]" "[]"
: >"$tmp/rsc/hbmod-heartbeat-hb.state"
ra monitor OCF_RESKEY_CRM_meta_interval=10000
want_rc 1 || r=1
want_health red || r=1
has "$tmp/out" "not configured: node id 0" || r=1
fresh
view "$node1" "$q_ok" "$links_up" "[]"
touch "$v/peer.fail"
: >"$tmp/rsc/hbmod-heartbeat-hb.state"
ra monitor OCF_RESKEY_CRM_meta_interval=10000
want_rc 1 || r=1
want_health red || r=1
has "$tmp/out" "family heartbeat not found" || r=1
fresh
rmdir "$tmp/sys/heartbeat"
: >"$tmp/rsc/hbmod-heartbeat-hb.state"
ra monitor OCF_RESKEY_CRM_meta_interval=10000
want_rc 1 || r=1
want_health red || r=1
ktap_result ra_unconfigured_or_unloaded_fails_red $r

r=0
fresh
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive)]"
ra start OCF_RESKEY_dampen=2s OCF_RESKEY_attribute=#health-hbtest
want_rc 0 || r=1
has "$tmp/attrd" "-n #health-hbtest -U green -d 2s" || r=1
ktap_result ra_dampen_and_attribute $r

r=0
ra stop
want_rc 0 || r=1
has "$tmp/attrd" "-n #health-heartbeat -D" || r=1
ra monitor
want_rc 7 || r=1
[ -d "$tmp/sys/heartbeat" ] || { fail_msg "stop unloaded the module"; r=1; }
ra stop
want_rc 0 || r=1
ktap_result ra_stop_clears_attribute_keeps_module $r

r=0
fresh
ra validate-all
want_rc 0 || r=1
has "$v/calls" "setconf --check $tmp/heartbeat.conf" || r=1
ra validate-all OCF_RESKEY_config="$tmp/missing.conf"
want_rc 2 || r=1
ra validate-all OCF_RESKEY_attribute=heartbeat-health
want_rc 6 || r=1
ra validate-all OCF_RESKEY_hbctl="$tmp/missing-hbctl"
want_rc 5 || r=1
echo 1 >"$v/setconf-rc"
echo "$tmp/heartbeat.conf:1: Error: unknown word" >"$v/setconf-err"
ra validate-all
want_rc 2 || r=1
has "$tmp/out" "unknown word" || r=1
ktap_result ra_validate_all $r

# The man pages render without a warning and name every parameter.
r=0
for page in "$pcmk/ocf_hbmod_heartbeat.7" "$pcmk/fence_heartbeat.8"; do
	if command -v man >/dev/null; then
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] || { fail_msg "${page##*/}: $warn"; r=1; }
	fi
done
# shellcheck disable=SC2013 # parameter names are words
for param in $(sed -n 's/^<parameter name="\([a-z_]*\)".*/\1/p' "$tmp/ra.xml"); do
	grep -q "^\.B $param\$" "$pcmk/ocf_hbmod_heartbeat.7" ||
		{ fail_msg "ocf_hbmod_heartbeat.7 lacks parameter $param"; r=1; }
done
for param in node_map hbctl_path power_timeout; do
	grep -q "^\.BR $param " "$pcmk/fence_heartbeat.8" ||
		{ fail_msg "fence_heartbeat.8 lacks parameter $param"; r=1; }
done
ktap_result man_pages $r

# --- the fence agent -------------------------------------------------------------
r=0
if /usr/bin/python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' "$pcmk/fence_heartbeat"; then
	:
else
	r=1
fi
ktap_result fence_parses $r

if [ ! -r /usr/share/fence/fencing.py ]; then
	for t in metadata off_consensus_dead off_refused_not_quorate off_refused_isolated_quorum_off \
		 off_quorum_off_peer_heard off_waits_for_proof off_times_out_without_proof \
		 off_dead_without_consensus_is_no_proof off_last_words_are_proof off_stdin_arguments \
		 off_refuses_unconfigured_and_self status_on_off list_and_monitor \
		 power_timeout_kept_under_fenced on_is_noop; do
		ktap_skip "fence_$t" "fencing.py (fence-agents) not installed"
	done
	ktap_finish
fi

r=0
fh -o metadata
want_rc 0 || r=1
cp "$tmp/out" "$tmp/fh.xml"
rng=/usr/share/cluster/relaxng/metadata.rng
if command -v xmllint >/dev/null && [ -r "$rng" ]; then
	xmllint --noout --relaxng "$rng" "$tmp/fh.xml" 2>&1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" = 0 ] || r=1
fi
for text in '<resource-agent name="fence_heartbeat"' '<parameter name="node_map"' \
	    '<parameter name="hbctl_path"' '<parameter name="plug"' '<action name="off"' \
	    '<action name="list"' '<action name="monitor"' 'Linux-HA Heartbeat'; do
	has "$tmp/fh.xml" "$text" || r=1
done
ktap_result fence_metadata $r

fhx=(--hbctl-path "$tmp/bin/hbctl")
r=0
view "$node1" '{"quorate":true,"expected_votes":3,"votes":2}' "$links_up" \
	"[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":true')]"
fh "${fhx[@]}" -o off -n 3
want_rc 0 || r=1
has "$tmp/out" "Success: Powered OFF" || r=1
has "$tmp/out" "node 3 dead by the quorum's consensus" || r=1
ktap_result fence_off_consensus_dead $r

r=0
view "$node1" "$q_lost" "$links_up" "[$(peer 2 dead 0 2),$(peer 3 dead 0 2 ',"consensus":true')]"
fh "${fhx[@]}" -o off -n 3 --power-timeout 10
want_rc 1 || r=1
has "$tmp/out" "Refused to confirm node 3 off: this node is not quorate (votes 1 of 3 expected)" || r=1
awk -v t="$took" 'BEGIN { exit !(t < 5) }' || { fail_msg "refusal took $took s"; r=1; }
fh "${fhx[@]}" -o reboot -n 2
want_rc 1 || r=1
lacks "$tmp/out" "Success" || r=1
ktap_result fence_off_refused_not_quorate $r

r=0
view "$node1" "$q_off" "$links_up" "[$(peer 2 dead 0 2),$(peer 3 dead 0 2)]"
fh "${fhx[@]}" -o off -n 3
want_rc 1 || r=1
has "$tmp/out" "no other peer heard: this node may be the one cut off" || r=1
view "$node1" "$q_off" "$links_up" "[$(peer 2 suspect 0 2),$(peer 3 dead 0 2)]"
fh "${fhx[@]}" -o off -n 3
want_rc 1 || r=1
has "$tmp/out" "no other peer heard" || r=1
ktap_result fence_off_refused_isolated_quorum_off $r

r=0
view "$node1" "$q_off" "$links_up" "[$(peer 2 alive),$(peer 3 dead 0 2)]"
fh "${fhx[@]}" -o off -n 3
want_rc 0 || r=1
has "$tmp/out" "dead (quorum off" || r=1
ktap_result fence_off_quorum_off_peer_heard $r

# The proof comes later: suspect, then dead by consensus a second after the request.
r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 suspect 0 2)]"
(sleep 1; echo "[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":true')]" >"$v/peer.json.new" &&
	mv "$v/peer.json.new" "$v/peer.json") &
fh "${fhx[@]}" -o off -n 3 --power-timeout 10
wait
want_rc 0 || r=1
awk -v t="$took" 'BEGIN { exit !(t >= 1 && t < 8) }' || { fail_msg "proof after $took s"; r=1; }
ktap_result fence_off_waits_for_proof $r

r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive)]"
fh "${fhx[@]}" -o off -n 3 --power-timeout 1
want_rc 1 || r=1
has "$tmp/out" "node 3 is alive: no proof of its death within 1 s" || r=1
awk -v t="$took" 'BEGIN { exit !(t >= 1 && t < 6) }' || { fail_msg "timeout after $took s"; r=1; }
ktap_result fence_off_times_out_without_proof $r

r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":false')]"
fh "${fhx[@]}" -o off -n 3 --power-timeout 1
want_rc 1 || r=1
has "$tmp/out" "node 3 is dead: no proof of its death within 1 s" || r=1
ktap_result fence_off_dead_without_consensus_is_no_proof $r

r=0
view "$node1" "$q_ok" "$links_up" \
	"[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":false,"last_words":"panic"')]"
fh "${fhx[@]}" -o off -n 3 --power-timeout 1
want_rc 0 || r=1
has "$tmp/out" "node 3 dead by its last words (panic)" || r=1
# Last words of a node that came back are no proof.
view "$node1" "$q_ok" "$links_up" \
	"[$(peer 2 alive),$(peer 3 alive 2 2 ',"consensus":false,"last_words":"reboot"')]"
fh "${fhx[@]}" -o off -n 3 --power-timeout 1
want_rc 1 || r=1
ktap_result fence_off_last_words_are_proof $r

# As pacemaker-fenced calls it: key=value lines on stdin, the target's name.
r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 dead 0 2 ',"consensus":true'),$(peer 3 alive)]"
fh <<EOF
action=off
port=pm2
node_map=pm1:1;pm2:2;pm3:3
hbctl_path=$tmp/bin/hbctl
nodename=pm1
EOF
want_rc 0 || r=1
has "$tmp/out" "node 2 dead by the quorum's consensus" || r=1
fh <<EOF
action=off
plug=pm9
node_map=pm1:1;pm2:2
hbctl_path=$tmp/bin/hbctl
EOF
want_rc 1 || r=1
has "$tmp/out" "'pm9' is neither a heartbeat node id nor a name in node_map" || r=1
ktap_result fence_off_stdin_arguments $r

r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive),$learned]"
fh "${fhx[@]}" -o off -n 4000000001
want_rc 1 || r=1
has "$tmp/out" "node 4000000001 is not a configured heartbeat peer" || r=1
fh "${fhx[@]}" -o off -n 1
want_rc 1 || r=1
has "$tmp/out" "node 1 is this node" || r=1
ktap_result fence_off_refuses_unconfigured_and_self $r

r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 dead 0 2 ',"consensus":true')]"
fh "${fhx[@]}" -o status -n 2
want_rc 0 || r=1
has "$tmp/out" "Status: ON" || r=1
fh "${fhx[@]}" -o status -n 3
want_rc 2 || r=1
has "$tmp/out" "Status: OFF" || r=1
fh "${fhx[@]}" -o status -n 7
want_rc 1 || r=1
ktap_result fence_status_on_off $r

r=0
fh "${fhx[@]}" -o list --node-map "pm1:1;pm2:2;pm3:3"
want_rc 0 || r=1
[ "$(cat "$tmp/out")" = "2,pm2
3,pm3" ] || { fail_msg "list printed: $(tr '\n' ' ' <"$tmp/out")"; r=1; }
fh "${fhx[@]}" -o monitor
want_rc 0 || r=1
rmdir "$tmp/sys/heartbeat"
fh "${fhx[@]}" -o monitor
want_rc 1 || r=1
has "$tmp/out" "the heartbeat module is not loaded" || r=1
mkdir "$tmp/sys/heartbeat"
view '{"id":0}' "$q_off" "[]" "[]"
fh "${fhx[@]}" -o monitor
want_rc 1 || r=1
touch "$v/node.fail"
fh "${fhx[@]}" -o monitor
want_rc 1 || r=1
has "$tmp/out" "family heartbeat not found" || r=1
rm -f "$v/node.fail"
ktap_result fence_list_and_monitor $r

# Under pacemaker-fenced fencing.py drops power_timeout; the wait for a
# proof still ends when it says.
r=0
view "$node1" "$q_ok" "$links_up" "[$(peer 2 alive),$(peer 3 alive)]"
PCMK_service=pacemaker-fenced fh <<EOF
action=off
port=3
power_timeout=1
hbctl_path=$tmp/bin/hbctl
EOF
want_rc 1 || r=1
awk -v t="$took" 'BEGIN { exit !(t >= 1 && t < 6) }' || { fail_msg "took $took s"; r=1; }
ktap_result fence_power_timeout_kept_under_fenced $r

r=0
fh "${fhx[@]}" -o on -n 3
want_rc 0 || r=1
has "$tmp/out" "Success: Powered ON" || r=1
ktap_result fence_on_is_noop $r

ktap_finish
