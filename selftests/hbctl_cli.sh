#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hbctl as people script against it: output formats, exit codes (0 ok,
# 1 usage, 2 refused by the kernel), the kernel's extack messages with the
# keyword they refused, ip's option forms (-json, -n NETNS) and -V
# without the module.
. "$(dirname "$0")/lib.sh"

NS=hb-cli
in_ns() { ip netns exec $NS "$@"; }
PY=/usr/bin/python3

ktap_plan 13
load_module
setup_ns $NS

rc=0
out=$(in_ns hbctl node show) || rc=1
echo "$out" | grep -q 'id none  cluster 0  incarnation [0-9]*  interval 100ms  fall 3  rise 2  grace 1s  learn on' ||
	{ fail_msg "text: $out"; rc=1; }
ktap_result node_show_text $rc

rc=0
in_ns hbctl -j node show >/tmp/node.json || rc=1
$PY - /tmp/node.json <<'PYEOF' || rc=1
import json, sys
node = json.load(open(sys.argv[1]))
want = {"id": 0, "cluster": 0, "interval_us": 100000, "fall": 3, "rise": 2,
        "grace_us": 1000000, "learn": True}
assert {k: node[k] for k in want} == want, node
assert isinstance(node["incarnation"], int) and node["incarnation"] > 0, node
PYEOF
in_ns hbctl -j -p node show | $PY -m json.tool >/dev/null || { fail_msg "pretty JSON invalid"; rc=1; }
ktap_result node_show_json $rc

rc=0
expect_rc 0 in_ns hbctl node set id 3 cluster 9 interval 10ms fall 5 rise 1 grace 2.5s learn off || rc=1
out=$(in_ns hbctl node show)
echo "$out" | grep -q 'id 3  cluster 9  .*interval 10ms  fall 5  rise 1  grace 2500ms  learn off' ||
echo "$out" | grep -q 'id 3  cluster 9  .*interval 10ms  fall 5  rise 1  grace 2.5s  learn off' ||
	{ fail_msg "after set: $out"; rc=1; }
ktap_result node_set_applies $rc

rc=0
expect_rc 0 in_ns hbctl n s || rc=1
grep -q 'interval 10ms' /tmp/ktap.out || { fail_msg "prefix match"; rc=1; }
ktap_result object_and_command_prefixes $rc

rc=0
expect_rc 2 in_ns hbctl node set interval 500us || rc=1
grep -q '^Error: .*range' /tmp/ktap.out || { fail_msg "no extack text"; rc=1; }
ktap_result kernel_refusal_exit_2_with_extack $rc

# The extack offset names the keyword: the kernel's policy (a range) and
# a handler's own check (no such peer) alike.
rc=0
expect_rc 2 in_ns hbctl node set fall 3 interval 500us || rc=1
grep -q '^Error: interval: .*range.* (refused: interval 500us)\.$' /tmp/ktap.out ||
	{ fail_msg "interval not named: $(cat /tmp/ktap.out)"; rc=1; }
expect_rc 2 in_ns hbctl peer del id 99 || rc=1
grep -qx 'Error: id: no such peer (refused: id 99).' /tmp/ktap.out ||
	{ fail_msg "peer id not named: $(cat /tmp/ktap.out)"; rc=1; }
ktap_result refused_keyword_named $rc

rc=0
expect_eq "-n NETNS" "$(hbctl -n $NS node show)" "$(in_ns hbctl node show)" || rc=1
expect_eq "-netns NETNS -json" "$(hbctl -netns $NS -json node show)" "$(in_ns hbctl -j node show)" || rc=1
expect_rc 1 hbctl -n hb-cli-none node show || rc=1
grep -qx 'Error: cannot open network namespace "hb-cli-none": No such file or directory.' /tmp/ktap.out ||
	{ fail_msg "absent netns: $(cat /tmp/ktap.out)"; rc=1; }
ktap_result netns_option $rc

rc=0
hbctl -json -pretty -n $NS node show | $PY -c 'import json,sys; s=sys.stdin.read(); assert "\n    \"id\"" in s, s; json.loads(s)' ||
	{ fail_msg "-json -pretty"; rc=1; }
expect_rc 0 hbctl -h node || rc=1
grep -q '^Usage: hbctl node' /tmp/ktap.out || { fail_msg "-h node: $(cat /tmp/ktap.out)"; rc=1; }
ktap_result long_options $rc

rc=0
for args in "node set" "node set bogus 1" "node set interval 5xs" "node set fall -1" \
	    "node set learn maybe" "bogus" "node bogus"; do
	# shellcheck disable=SC2086
	expect_rc 1 in_ns hbctl $args || rc=1
	grep -q '^Error: \|is unknown, try' /tmp/ktap.out || { fail_msg "'$args': no message"; rc=1; }
done
ktap_result usage_errors_exit_1 $rc

rc=0
expect_rc 0 hbctl help || rc=1
expect_rc 0 hbctl node help || rc=1
grep -q 'node set' /tmp/ktap.out || { fail_msg "node help lacks 'node set'"; rc=1; }
ktap_result help_exit_0 $rc

rc=0
expect_rc 0 hbctl version || rc=1
modver=$(modinfo -F version "$HB_MODULE")
grep -q "^hbctl [0-9.]*  module $modver  abi 1" /tmp/ktap.out || { fail_msg "version: $(cat /tmp/ktap.out)"; rc=1; }
hbctl -j version | $PY -c 'import json,sys; v=json.load(sys.stdin); assert v["abi"] == v["abi_tool"] == 1 and v["module"] == sys.argv[1], v' "$modver" ||
	rc=1
ktap_result version_shows_module_and_abi $rc

# The refused set above changed nothing.
rc=0
in_ns hbctl -j node show | grep -q '"interval_us":10000' || { fail_msg "interval changed"; rc=1; }
ktap_result refused_set_changed_nothing $rc

# Last, it unloads the module: -V still knows hbctl's version. The
# family's lookup would load the module again (the VM can modprobe it):
# no modprobe meanwhile.
rc=0
cleanup_all_ns
modprobe_was=$(cat /proc/sys/kernel/modprobe)
echo /bin/true >/proc/sys/kernel/modprobe
if unload_module; then
	expect_rc 0 hbctl -V || rc=1
	grep -qx 'hbctl [0-9.]*  module not loaded' /tmp/ktap.out || { fail_msg "-V: $(cat /tmp/ktap.out)"; rc=1; }
	hbctl -j -V | $PY -c 'import json,sys; v=json.load(sys.stdin); assert v["module"] is None and "abi" not in v, v' || rc=1
	! module_loaded || { fail_msg "-V loaded the module"; rc=1; }
else
	fail_msg "rmmod heartbeat failed"
	rc=1
fi
echo "$modprobe_was" >/proc/sys/kernel/modprobe
load_module || rc=1
ktap_result version_without_module $rc

ktap_finish
