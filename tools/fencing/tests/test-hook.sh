#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host test of the fencing hook, its udev rules and its unit: no root, no
# module, no udev. The hook runs on a configuration, log, lock and action in
# a temporary directory; a logger(1) stand-in keeps its syslog lines there.
here=$(cd "$(dirname "$0")" && pwd)
fencing=$(dirname "$here")
HB_TOP=$(cd "$fencing/../.." && pwd)
# shellcheck source=../../../selftests/lib.sh
. "$HB_TOP/selftests/lib.sh"
# shellcheck disable=SC2034 # lib.sh names the results after it
ktap_name=fencing
hook=$fencing/heartbeat-fence
hook_path=/usr/libexec/heartbeat/heartbeat-fence	# where make install puts it

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/logger" <<EOF
#!/bin/sh
shift \$((\$# - 1))
printf '%s\n' "\$1" >>"$tmp/syslog"
EOF
# The action records its arguments and environment: "call", "arg X"..., "env X=Y"...
cat >"$tmp/action" <<EOF
#!/bin/sh
{ echo call; for a; do echo "arg \$a"; done; env | LC_ALL=C sort | sed 's/^/env /'; } >>"$tmp/calls"
EOF
printf '#!/bin/sh\nexit 3\n' >"$tmp/action-fail"
# stonith_admin records its arguments, a line per call, and exits as
# $tmp/stonith-rc says.
cat >"$tmp/bin/stonith_admin" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/stonith"
rc=\$(cat "$tmp/stonith-rc" 2>/dev/null || echo 0)
[ "\$rc" = 0 ] || echo "Command failed: No route to host" >&2
exit "\$rc"
EOF
chmod 0755 "$tmp/bin/logger" "$tmp/action" "$tmp/action-fail" "$tmp/bin/stonith_admin"
PATH=$tmp/bin:$PATH

ev=state:dead:2:7:4026531840:12
ev_env=(HEARTBEAT_EVENT=state HEARTBEAT_STATE=dead HEARTBEAT_NODE=2 HEARTBEAT_CLUSTER=7
	HEARTBEAT_NETNS=4026531840 HEARTBEAT_SEQ=12)
fields="seq=12 netns=4026531840 node=2 cluster=7 event=state state=dead"

conf()		# conf LINE...: a fresh configuration (log and lock in $tmp) and record
{
	{
		echo "FENCE_LOG=$tmp/fence.log"
		echo "FENCE_LOCK=$tmp/fence.lock"
		printf '%s\n' "$@"
	} >"$tmp/fence.conf"
	chmod 0644 "$tmp/fence.conf"
	rm -f "$tmp/fence.log" "$tmp/syslog" "$tmp/calls"
}

hook()		# hook [NAME=VALUE...] [-- ARG...]: run the hook in a clean environment
{
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	env -i PATH="$PATH" HEARTBEAT_FENCE_CONF="$tmp/fence.conf" "${envs[@]}" \
		timeout 20 "$hook" "$@" >"$tmp/out" 2>&1
	rc=$?
	[ -s "$tmp/out" ] && sed 's/^/# hook: /' "$tmp/out"
	return $rc
}

diag()		# diag TEXT: TEXT as diagnostic lines
{
	while IFS= read -r line; do echo "#   $line"; done <<<"$1"
}

want_rc()	# want_rc N: the last hook exited N
{
	[ "$rc" = "$1" ] || fail_msg "hook exited $rc, expected $1"
}

has()		# has FILE TEXT: a line of FILE contains TEXT
{
	grep -qF -- "$2" "$1" 2>/dev/null || fail_msg "${1##*/} lacks '$2'"
}

not_called()
{
	[ ! -e "$tmp/calls" ] || fail_msg "the action ran: $(grep '^arg' "$tmp/calls" | tr '\n' ' ')"
}

argv()		# argv: the arguments of the action's last call, on one line
{
	awk '/^call$/ { a = ""; next } /^arg / { a = a (a == "" ? "" : " ") substr($0, 5) }
		END { print a }' "$tmp/calls" 2>/dev/null
}

want_argv()	# want_argv ARGS: the action was called once, with ARGS
{
	[ "$(grep -c '^call$' "$tmp/calls" 2>/dev/null)" = 1 ] || { fail_msg "action not called once"; return 1; }
	[ "$(argv)" = "$1" ] || fail_msg "action argv '$(argv)', expected '$1'"
}

# refused NAME [NAME=VALUE...] [-- ARG...]: a malformed event is refused, logged, not acted on.
refused()
{
	local name=$1 r=0
	shift
	conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
	hook "$@"
	want_rc 2 || r=1
	has "$tmp/fence.log" "refused: " || r=1
	not_called || r=1
	[ ! -e "$tmp/pwned" ] || { fail_msg "a command in the event ran"; r=1; }
	ktap_result "refuses_$name" $r
}

# rules_sane FILE: every rule is KEY[{ATTR}]OP"VALUE" items joined by ", ", with
# known keys, match operators only on match keys, and GOTOs that have a LABEL.
rules_sane()
{
	awk '
	function bad(why) { printf "# %s:%d: %s\n", FILENAME, FNR, why; err = 1 }
	/^[ \t]*(#|$)/ { next }
	{
		line = $0
		while (line != "") {
			if (!match(line, /^[A-Z_]+(\{[A-Za-z0-9_]+\})?(==|!=|\+=|-=|:=|=)"[^"]*"/)) {
				bad("not KEY{ATTR}OP\"VALUE\": " line); next
			}
			item = substr(line, 1, RLENGTH)
			line = substr(line, RLENGTH + 1)
			key = item; sub(/[{=!+:-].*/, "", key)
			op = item; sub(/^[A-Z_]+(\{[A-Za-z0-9_]+\})?/, "", op); sub(/".*/, "", op)
			val = item; sub(/^[^"]*"/, "", val); sub(/"$/, "", val)
			if (key !~ /^(ACTION|SUBSYSTEM|ENV|TAG|RUN|GOTO|LABEL)$/) bad("unexpected key " key)
			if (key ~ /^(ACTION|SUBSYSTEM)$/ && op !~ /^[=!]=$/) bad(key " needs == or !=")
			if (key ~ /^(TAG|RUN|GOTO|LABEL)$/ && op ~ /^[=!]=$/) bad(key " cannot be matched")
			if (key == "GOTO") gotos[val] = FNR
			if (key == "LABEL") labels[val] = 1
			if (line ~ /^, */) sub(/^, */, "", line)
			else if (line != "") { bad("junk after an item: " line); next }
		}
	}
	END {
		for (g in gotos) if (!(g in labels)) { printf "# GOTO %s has no LABEL\n", g; err = 1 }
		exit err
	}' "$1"
}

ktap_plan 59

# --- the hook as a program -------------------------------------------------
r=0
sh -n "$hook" || r=1
if command -v dash >/dev/null; then dash -n "$hook" || r=1; fi
ktap_result hook_parses $r

# shellcheck checks a #!/bin/sh script for POSIX sh, bashisms included.
if command -v shellcheck >/dev/null; then
	shellcheck "$hook" | sed 's/^/# /'
	ktap_result hook_shellcheck "${PIPESTATUS[0]}"
else
	ktap_skip hook_shellcheck "shellcheck not installed"
fi

# --- dry run, both ways of receiving the event ------------------------------
conf "FENCE_ACTION=$tmp/action"
hook -- "$ev"
r=0
want_rc 0 || r=1
has "$tmp/fence.log" "$fields: dry run: would run $tmp/action state 2 7 dead" || r=1
not_called || r=1
ktap_result dry_run_argument $r

conf "FENCE_ACTION=$tmp/action"
hook "${ev_env[@]}"
r=0
want_rc 0 || r=1
has "$tmp/fence.log" "$fields: dry run: would run $tmp/action state 2 7 dead" || r=1
not_called || r=1
ktap_result dry_run_environment $r

r=0
has "$tmp/syslog" "$fields: dry run: would run $tmp/action state 2 7 dead" || r=1
ktap_result decision_sent_to_syslog $r

conf
hook -- "$ev"
r=0
want_rc 0 || r=1
has "$tmp/fence.log" "$fields: dry run: no FENCE_ACTION set" || r=1
ktap_result dry_run_by_default $r

# --- readiness is not liveness (Documentation/apps.rst) ----------------------
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook HEARTBEAT_EVENT=ready HEARTBEAT_STATE=dead HEARTBEAT_PREV_STATE=dead HEARTBEAT_NODE=2 \
	HEARTBEAT_CLUSTER=7 HEARTBEAT_NETNS=4026531840 HEARTBEAT_SEQ=14 HEARTBEAT_READY=0 \
	HEARTBEAT_ORIGIN=configured
r=0
want_rc 0 || r=1
has "$tmp/fence.log" "event=ready node=2 ready=0: ignored: readiness is not liveness" || r=1
not_called || r=1
ktap_result ready_event_never_fenced $r

conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook HEARTBEAT_EVENT=app HEARTBEAT_APP=db HEARTBEAT_APP_ACTION=silence HEARTBEAT_APP_READY=0 \
	HEARTBEAT_READY=0 HEARTBEAT_SILENT=1 HEARTBEAT_CLUSTER=7 HEARTBEAT_NETNS=4026531840 \
	HEARTBEAT_SEQ=15
r=0
want_rc 0 || r=1
has "$tmp/fence.log" "event=app ready=0: ignored: readiness is not liveness" || r=1
not_called || r=1
hook -- ready:dead:2:7:4026531840:16:configured
want_rc 0 || r=1
not_called || r=1
ktap_result app_event_never_fenced $r

r=0
for word in ready notready app; do
	conf "FENCE_EVENTS=dead $word"
	hook -- "$ev"
	want_rc 1 || r=1
	has "$tmp/syslog" "FENCE_EVENTS: $word is readiness, not liveness: never fenced" || r=1
done
ktap_result readiness_in_fence_events_refused $r

# --- running the action ------------------------------------------------------
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev"
r=0
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
for v in EVENT=state STATE=dead NODE=2 CLUSTER=7 NETNS=4026531840 SEQ=12; do
	has "$tmp/calls" "env HEARTBEAT_$v" || r=1
done
has "$tmp/fence.log" "$fields: ran $tmp/action state 2 7 dead: exit 0" || r=1
ktap_result action_argument $r

conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook HEARTBEAT_EVENT=restart HEARTBEAT_STATE=alive HEARTBEAT_PREV_STATE=alive HEARTBEAT_NODE=3 \
	HEARTBEAT_CLUSTER=7 HEARTBEAT_NETNS=4026531840 HEARTBEAT_SEQ=13 HEARTBEAT_LOCAL_NODE=1 \
	HEARTBEAT_INCARNATION=1795744536270595520 HEARTBEAT_PREV_INCARNATION=1795744536250595520 \
	HEARTBEAT_PHI=0.42 HEARTBEAT_TIME_NS=1795744536270595520 HEARTBEAT_BOGUS=1 FOO=bar \
	ACTION=change DEVPATH=/kernel/heartbeat/instance
r=0
want_rc 0 || r=1
want_argv "restart 3 7 alive" || r=1
want="env HEARTBEAT_CLUSTER=7
env HEARTBEAT_EVENT=restart
env HEARTBEAT_INCARNATION=1795744536270595520
env HEARTBEAT_LOCAL_NODE=1
env HEARTBEAT_NETNS=4026531840
env HEARTBEAT_NODE=3
env HEARTBEAT_PHI=0.42
env HEARTBEAT_PREV_INCARNATION=1795744536250595520
env HEARTBEAT_PREV_STATE=alive
env HEARTBEAT_SEQ=13
env HEARTBEAT_STATE=alive
env HEARTBEAT_TIME_NS=1795744536270595520
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
got=$(grep '^env ' "$tmp/calls" | grep -v '^env PWD=')
[ "$got" = "$want" ] || { fail_msg "action environment:"; diag "$got"; r=1; }
has "$tmp/fence.log" "seq=13 netns=4026531840 node=3 cluster=7 event=restart state=alive: ran" || r=1
ktap_result action_environment_only_checked_fields $r

conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook HEARTBEAT_NODE=99 HEARTBEAT_SEQ=x -- "$ev"
r=0
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
has "$tmp/calls" "env HEARTBEAT_NODE=2" || r=1
ktap_result argument_overrides_environment $r

conf "FENCE_ACTION=$tmp/action-fail" DRY_RUN=0
hook -- "$ev"
r=0
want_rc 1 || r=1
has "$tmp/fence.log" "$fields: ran $tmp/action-fail state 2 7 dead: exit 3" || r=1
ktap_result action_failure_logged $r

conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- state:dead:4294967295:0:4294967295:18446744073709551615
r=0
want_rc 0 || r=1
want_argv "state 4294967295 0 dead" || r=1
ktap_result accepts_largest_values $r

# --- malformed events ---------------------------------------------------------
refused node_with_semicolon -- "state:dead:7;reboot:7:4026531840:12"
refused env_node_with_semicolon HEARTBEAT_NODE="7;reboot" "${ev_env[@]:0:2}" "${ev_env[@]:3}"
refused env_command_substitution HEARTBEAT_NODE="\$(touch $tmp/pwned)" "${ev_env[@]:0:2}" "${ev_env[@]:3}"
refused unknown_state -- state:zombie:2:7:4026531840:12
refused unknown_event -- reboot:dead:2:7:4026531840:12
refused missing_field -- state:dead:2:7:4026531840
refused empty_field -- state:dead::7:4026531840:12
refused extra_field -- state:dead:2:7:4026531840:12:1
refused env_missing_seq "${ev_env[@]:0:5}"
refused node_too_long -- state:dead:42949672950:7:4026531840:12
refused node_above_u32 -- state:dead:4294967296:7:4026531840:12
refused node_zero -- state:dead:0:7:4026531840:12
refused leading_zero -- state:dead:02:7:4026531840:12
refused seq_above_u64 -- state:dead:2:7:4026531840:18446744073709551616
refused newline -- "$ev
reboot"
refused env_bad_phi HEARTBEAT_PHI="8.1;reboot" "${ev_env[@]}"
refused two_arguments -- "$ev" "$ev"
refused unknown_origin -- state:dead:2:7:4026531840:12:fake
refused env_unknown_origin HEARTBEAT_ORIGIN=both "${ev_env[@]}"

# --- FENCE_EVENTS ----------------------------------------------------------------
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 "FENCE_EVENTS=restart"
hook -- "$ev"
r=0
want_rc 0 || r=1
not_called || r=1
has "$tmp/fence.log" "$fields: ignored: dead is not in FENCE_EVENTS (restart)" || r=1
hook -- restart:alive:2:7:4026531840:13
want_rc 0 || r=1
want_argv "restart 2 7 alive" || r=1
ktap_result fence_events_restart_only $r

conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- state:left:2:7:4026531840:14
r=0
want_rc 0 || r=1
not_called || r=1
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 'FENCE_EVENTS="left dead"'
hook -- state:left:2:7:4026531840:14
want_rc 0 || r=1
want_argv "state 2 7 left" || r=1
ktap_result fence_events_states $r

# --- FENCE_ORIGINS: configured peers only, unless told otherwise -----------------
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:configured"
r=0
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
has "$tmp/calls" "env HEARTBEAT_ORIGIN=configured" || r=1
has "$tmp/fence.log" "$fields origin=configured: ran $tmp/action state 2 7 dead: exit 0" || r=1
ktap_result configured_peer_fenced $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:learned"
want_rc 0 || r=1
not_called || r=1
has "$tmp/fence.log" "$fields origin=learned: ignored: a learned peer, FENCE_ORIGINS is configured" || r=1
hook HEARTBEAT_ORIGIN=learned "${ev_env[@]}"
want_rc 0 || r=1
not_called || r=1
ktap_result learned_peer_ignored_by_default $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 'FENCE_ORIGINS="configured learned"'
hook HEARTBEAT_ORIGIN=learned "${ev_env[@]}"
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
has "$tmp/calls" "env HEARTBEAT_ORIGIN=learned" || r=1
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 "FENCE_ORIGINS=learned"
hook -- "$ev:configured"
want_rc 0 || r=1
not_called || r=1
ktap_result fence_origins_learned $r

# A module from before origins: no HEARTBEAT_ORIGIN, an empty last field of
# the unit's instance. Such events are acted on as they always were.
r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:"
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
has "$tmp/fence.log" "$fields: ran $tmp/action state 2 7 dead: exit 0" || r=1
ktap_result event_without_origin_acted_on $r

# --- quorum: a quorate node's agreed verdicts only -----------------------------------
r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:configured:1:1"
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
has "$tmp/calls" "env HEARTBEAT_QUORATE=1" || r=1
has "$tmp/calls" "env HEARTBEAT_CONSENSUS=1" || r=1
hook HEARTBEAT_ORIGIN=configured HEARTBEAT_QUORATE=1 HEARTBEAT_CONSENSUS=1 "${ev_env[@]}"
want_rc 0 || r=1
ktap_result consensus_dead_fenced $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:configured:0:0"
want_rc 0 || r=1
not_called || r=1
has "$tmp/fence.log" "$fields origin=configured quorate=0 consensus=0: ignored: this node has no quorum" || r=1
hook -- "$ev:configured:1:0"
want_rc 0 || r=1
not_called || r=1
has "$tmp/fence.log" "$fields origin=configured quorate=1 consensus=0: ignored: dead without the quorum's consensus" || r=1
hook HEARTBEAT_ORIGIN=configured HEARTBEAT_QUORATE=0 HEARTBEAT_CONSENSUS=0 "${ev_env[@]}"
want_rc 0 || r=1
not_called || r=1
hook -- "restart:alive:2:7:4026531840:13:configured:0:0"
want_rc 0 || r=1
not_called || r=1
ktap_result minority_and_unagreed_verdicts_ignored $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 FENCE_QUORUM=required
hook -- "$ev:configured"
want_rc 0 || r=1
not_called || r=1
has "$tmp/fence.log" "ignored: no quorum on this node, FENCE_QUORUM is required" || r=1
hook -- "$ev:configured:1:1"
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
ktap_result fence_quorum_required $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 "FENCE_EVENTS=dead unreachable"
hook -- "$ev:configured:1:1"
want_rc 1 || r=1
not_called || r=1
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 FENCE_QUORUM=sometimes
hook -- "$ev:configured:1:1"
want_rc 1 || r=1
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
hook -- "$ev:configured:2:1"
want_rc 2 || r=1
hook -- "$ev:configured:1"
want_rc 2 || r=1
not_called || r=1
ktap_result quorum_fields_and_settings_checked $r

# --- FENCE_MODE=pacemaker: stonith_admin --fence, rate-limited -----------------------
pcmk_conf()	# pcmk_conf LINE...: Pacemaker mode, stamps in $tmp/state
{
	conf FENCE_MODE=pacemaker DRY_RUN=0 'PACEMAKER_NODES="1:pm1 2:pm2 3:pm3"' \
		"FENCE_STATE=$tmp/state" "$@"
	rm -rf "$tmp/state" "$tmp/stonith" "$tmp/stonith-rc"
}

stonith_calls()	# the stand-in stonith_admin's calls, one a line
{
	cat "$tmp/stonith" 2>/dev/null
}

want_stonith()	# want_stonith LINES: the calls stonith_admin got, in order
{
	[ "$(stonith_calls)" = "$1" ] && return 0
	fail_msg "stonith_admin calls: '$(stonith_calls | tr '\n' '|')', expected '$(printf '%s' "$1" | tr '\n' '|')'"
}

r=0
pcmk_conf
hook -- "$ev:configured:1:1"
want_rc 0 || r=1
want_stonith "--fence pm2 --timeout 120" || r=1
has "$tmp/fence.log" "$fields origin=configured quorate=1 consensus=1: running stonith_admin --fence pm2 --timeout 120" || r=1
has "$tmp/fence.log" "ran stonith_admin --fence pm2 --timeout 120: exit 0" || r=1
not_called || r=1
if grep -q -- '--confirm' "$tmp/stonith"; then fail_msg "stonith_admin --confirm"; r=1; fi
pcmk_conf PACEMAKER_INTERVAL=5 PACEMAKER_TIMEOUT=30
hook HEARTBEAT_ORIGIN=configured HEARTBEAT_QUORATE=1 HEARTBEAT_CONSENSUS=1 "${ev_env[@]}"
want_rc 0 || r=1
want_stonith "--fence pm2 --timeout 30" || r=1
ktap_result pacemaker_mode_fences_consensus_death $r

# One request per peer and interval: the second event for node 2 is not
# passed on, node 3's is; an old stamp holds no new request back.
r=0
pcmk_conf
hook -- "$ev:configured:1:1"
hook -- "state:dead:2:7:4026531840:13:configured:1:1"
want_rc 0 || r=1
has "$tmp/fence.log" "seq=13 netns=4026531840 node=2 cluster=7 event=state state=dead origin=configured quorate=1 consensus=1: ignored: fencing of pm2 asked for 0 s ago (PACEMAKER_INTERVAL 60)" || r=1
hook -- "state:dead:3:7:4026531840:14:configured:1:1"
want_stonith "--fence pm2 --timeout 120
--fence pm3 --timeout 120" || r=1
[ "$(stat -c %a "$tmp/state")" = 700 ] || { fail_msg "FENCE_STATE mode $(stat -c %a "$tmp/state")"; r=1; }
echo $(( $(date +%s) - 61 )) >"$tmp/state/node-2"
hook -- "state:dead:2:7:4026531840:15:configured:1:1"
want_stonith "--fence pm2 --timeout 120
--fence pm3 --timeout 120
--fence pm2 --timeout 120" || r=1
ktap_result pacemaker_mode_rate_limited_per_peer $r

# Only a quorate node's consensus deaths are passed on.
r=0
pcmk_conf
for e in "$ev:configured:0:0" "$ev:configured:1:0" "$ev:configured" \
	 "restart:alive:2:7:4026531840:16:configured:1:1" \
	 "restart:dead:2:7:4026531840:17:configured:1:1"; do
	hook -- "$e"
	want_rc 0 || r=1
done
has "$tmp/fence.log" "$fields origin=configured: ignored: FENCE_MODE=pacemaker asks only for a quorate node's consensus deaths" || r=1
has "$tmp/fence.log" "event=restart state=alive origin=configured quorate=1 consensus=1: ignored: FENCE_MODE=pacemaker" || r=1
want_stonith "" || r=1
[ ! -e "$tmp/state" ] || { fail_msg "a stamp was written"; r=1; }
ktap_result pacemaker_mode_ignores_other_verdicts $r

r=0
pcmk_conf 'PACEMAKER_NODES=2:pm2'
hook -- "state:dead:3:7:4026531840:12:configured:1:1"
want_rc 1 || r=1
has "$tmp/fence.log" "node 3 has no name in PACEMAKER_NODES, not asking Pacemaker" || r=1
want_stonith "" || r=1
pcmk_conf
echo 1 >"$tmp/stonith-rc"
hook -- "$ev:configured:1:1"
want_rc 1 || r=1
has "$tmp/fence.log" "ran stonith_admin --fence pm2 --timeout 120: exit 1: Command failed: No route to host" || r=1
ktap_result pacemaker_mode_unnamed_node_and_failure $r

r=0
pcmk_conf DRY_RUN=1
hook -- "$ev:configured:1:1"
want_rc 0 || r=1
has "$tmp/fence.log" "dry run: would run stonith_admin --fence pm2 --timeout 120" || r=1
want_stonith "" || r=1
[ ! -e "$tmp/state" ] || { fail_msg "a dry run wrote a stamp"; r=1; }
ktap_result pacemaker_mode_dry_run $r

r=0
for bad in FENCE_MODE=stonith "PACEMAKER_NODES=2" "PACEMAKER_NODES=0:pm0" "PACEMAKER_NODES=2:-pm2" \
	   "PACEMAKER_NODES=2:pm;2" "PACEMAKER_NODES=2:\$(touch $tmp/pwned)" \
	   'PACEMAKER_NODES="2:pm2 2:pm3"' "PACEMAKER_NODES=" "PACEMAKER_INTERVAL=1m" \
	   "PACEMAKER_TIMEOUT=0" "FENCE_STATE=state"; do
	pcmk_conf "$bad"
	hook -- "$ev:configured:1:1"
	want_rc 1 || { fail_msg "accepted: $bad"; r=1; }
	has "$tmp/syslog" "fence.conf: " || r=1
done
want_stonith "" || r=1
[ ! -e "$tmp/pwned" ] || { fail_msg "a configuration value ran"; r=1; }
ktap_result pacemaker_mode_config_errors_refused $r

# In action mode the Pacemaker keys are checked but ask Pacemaker nothing.
r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 'PACEMAKER_NODES=2:pm2'
hook -- "$ev:configured:1:1"
want_rc 0 || r=1
want_argv "state 2 7 dead" || r=1
want_stonith "" || r=1
ktap_result action_mode_never_asks_pacemaker $r

# --- configuration ------------------------------------------------------------------
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0 "\$(touch $tmp/pwned)"
hook -- "$ev"
r=0
want_rc 1 || r=1
not_called || r=1
[ ! -e "$tmp/pwned" ] || { fail_msg "a line of the configuration ran"; r=1; }
has "$tmp/syslog" "fence.conf: line 5: not KEY=VALUE" || r=1
conf "FENCE_ACTION=$tmp/action \$(touch $tmp/pwned) \`touch $tmp/pwned\` *" DRY_RUN=0
hook -- "$ev"
want_rc 0 || r=1
want_argv "\$(touch $tmp/pwned) \`touch $tmp/pwned\` * state 2 7 dead" || r=1
[ ! -e "$tmp/pwned" ] || { fail_msg "FENCE_ACTION was run by a shell"; r=1; }
ktap_result config_not_sourced $r

r=0
for bad in "DRYRUN=0" "DRY_RUN=yes" "DRY_RUN=0; touch $tmp/pwned" "FENCE_ACTION=action" \
	   "FENCE_ACTION=$tmp/missing" "FENCE_EVENTS=dead reboot" "FENCE_LOG=fence.log" \
	   "DRY_RUN=0" "FENCE_ORIGINS=all" "FENCE_ORIGINS="; do
	conf "$bad"
	hook -- "$ev"
	want_rc 1 || { fail_msg "accepted: $bad"; r=1; }
	[ ! -e "$tmp/fence.log" ] || { fail_msg "$bad: wrote FENCE_LOG"; r=1; }
	has "$tmp/syslog" "fence.conf: " || r=1
done
[ ! -e "$tmp/pwned" ] || { fail_msg "a configuration value ran"; r=1; }
ktap_result config_errors_refused $r

r=0
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
chmod 0666 "$tmp/fence.conf"
hook -- "$ev"
want_rc 1 || r=1
conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
chmod 0775 "$tmp/action"
hook -- "$ev"
want_rc 1 || r=1
chmod 0755 "$tmp/action"
not_called || r=1
ktap_result config_and_action_writable_by_others_refused $r

# --- serialization --------------------------------------------------------------------
if command -v flock >/dev/null; then
	conf "FENCE_ACTION=$tmp/action" DRY_RUN=0
	exec 8>>"$tmp/fence.lock"
	flock 8
	hook -- "$ev" 8>&- &
	sleep 1
	r=0
	not_called || r=1
	exec 8>&-
	wait $!
	rc=$?
	want_rc 0 || r=1
	want_argv "state 2 7 dead" || r=1
	ktap_result waits_for_the_lock $r
else
	ktap_skip waits_for_the_lock "flock not installed"
fi

# --- udev rules and unit -------------------------------------------------------------------
r=0
if udevadm verify --help >/dev/null 2>&1; then
	udevadm verify "$fencing/90-heartbeat.rules" "$fencing/90-heartbeat-run.rules" 2>&1 |
		sed 's/^/# /'
	r=${PIPESTATUS[0]}
else
	rules_sane "$fencing/90-heartbeat.rules" || r=1
	rules_sane "$fencing/90-heartbeat-run.rules" || r=1
fi
ktap_result rules_syntax "$r"

r=0
for f in 90-heartbeat.rules 90-heartbeat-run.rules; do
	has "$fencing/$f" 'ACTION!="change", GOTO="heartbeat_fence_end"' || r=1
	has "$fencing/$f" 'SUBSYSTEM!="heartbeat", GOTO="heartbeat_fence_end"' || r=1
	has "$fencing/$f" 'ENV{HEARTBEAT_EVENT}=="state", ENV{HEARTBEAT_STATE}=="dead", ' || r=1
	has "$fencing/$f" 'ENV{HEARTBEAT_EVENT}=="restart", ' || r=1
done
has "$fencing/90-heartbeat.rules" 'TAG+="systemd", ENV{SYSTEMD_WANTS}="heartbeat-fence@' || r=1
[ "$(grep -c "RUN+=\"$hook_path\"" "$fencing/90-heartbeat-run.rules")" = 2 ] ||
	{ fail_msg "90-heartbeat-run.rules: not two RUN+=\"$hook_path\""; r=1; }
has "$fencing/heartbeat-fence@.service" "ExecStart=$hook_path %i" || r=1
ktap_result rules_and_unit_name_the_hook $r

# The unit name the rule builds, with %E{} filled in, is a valid unit name
# whose instance the hook accepts and reads back field by field.
r=0
wants=$(sed -n 's/.*ENV{SYSTEMD_WANTS}="\([^"]*\)".*/\1/p' "$fencing/90-heartbeat.rules")
unit=$(printf '%s\n' "$wants" | sed 's/%E{HEARTBEAT_EVENT}/restart/; s/%E{HEARTBEAT_STATE}/suspect/;
	s/%E{HEARTBEAT_NODE}/4294967295/; s/%E{HEARTBEAT_CLUSTER}/0/;
	s/%E{HEARTBEAT_NETNS}/4026531840/; s/%E{HEARTBEAT_SEQ}/18446744073709551615/;
	s/%E{HEARTBEAT_ORIGIN}/configured/; s/%E{HEARTBEAT_QUORATE}//; s/%E{HEARTBEAT_CONSENSUS}//')
case $unit in
heartbeat-fence@*.service) ;;
*) fail_msg "SYSTEMD_WANTS '$wants' is not heartbeat-fence@....service"; r=1 ;;
esac
[[ $unit =~ ^[A-Za-z0-9:_.@\\-]{1,255}$ ]] || { fail_msg "'$unit' is not a valid unit name"; r=1; }
instance=${unit#heartbeat-fence@}
instance=${instance%.service}
[[ $instance == *-* ]] && { fail_msg "'-' in the instance would read as '/' in %I"; r=1; }
conf
hook -- "$instance"
want_rc 0 || r=1
has "$tmp/fence.log" "seq=18446744073709551615 netns=4026531840 node=4294967295 cluster=0 event=restart state=suspect origin=configured: dry run" || r=1
ktap_result rule_instance_read_by_hook $r

# With quorum on, the same rule's instance carries QUORATE and CONSENSUS.
r=0
unit=$(printf '%s\n' "$wants" | sed 's/%E{HEARTBEAT_EVENT}/state/; s/%E{HEARTBEAT_STATE}/dead/;
	s/%E{HEARTBEAT_NODE}/3/; s/%E{HEARTBEAT_CLUSTER}/1/;
	s/%E{HEARTBEAT_NETNS}/4026531840/; s/%E{HEARTBEAT_SEQ}/9/;
	s/%E{HEARTBEAT_ORIGIN}/configured/; s/%E{HEARTBEAT_QUORATE}/1/; s/%E{HEARTBEAT_CONSENSUS}/1/')
[[ $unit =~ ^[A-Za-z0-9:_.@\\-]{1,255}$ ]] || { fail_msg "'$unit' is not a valid unit name"; r=1; }
instance=${unit#heartbeat-fence@}
instance=${instance%.service}
conf
hook -- "$instance"
want_rc 0 || r=1
has "$tmp/fence.log" "seq=9 netns=4026531840 node=3 cluster=1 event=state state=dead origin=configured quorate=1 consensus=1: dry run" || r=1
ktap_result rule_instance_with_quorum_read_by_hook $r

if command -v systemd-analyze >/dev/null; then
	mkdir "$tmp/units"
	sed "s|$hook_path|$hook|" "$fencing/heartbeat-fence@.service" >"$tmp/units/heartbeat-fence@.service"
	out=$(systemd-analyze verify --man=no "$tmp/units/heartbeat-fence@.service" 2>&1)
	r=$?
	# Complaints about the file are "FILE:LINE: ...".
	if grep -q 'heartbeat-fence@\.service:[0-9]*:' <<<"$out"; then r=1; fi
	[ "$r" = 0 ] || diag "$out"
	ktap_result unit_verifies $r
else
	ktap_skip unit_verifies "systemd-analyze not installed"
fi

ktap_finish
