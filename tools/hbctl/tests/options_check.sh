#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hbctl's options as ip takes them (-json, -pretty, -netns NETNS, -h
# OBJECT), their short and --long forms, and -b FILE: the binary run with
# commands that never reach a kernel (help, usage errors, a namespace
# that does not exist). Prints ok/not ok lines.
cd "$(dirname "$0")/.." || exit 1
HBCTL=$PWD/hbctl
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

rc=0
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; rc=1; }

# check NAME WANT_RC WANT_OUT WANT_ERR ARGS...: exit status and the exact
# stdout and stderr ("*" matches anything).
check()
{
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 4
	"$HBCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	got_rc=$?
	out=$(cat "$tmp/out") err=$(cat "$tmp/err")
	if [ "$got_rc" != "$want_rc" ]; then
		fail "$name: exit $got_rc, expected $want_rc ($err)"
	elif [ "$want_out" != "*" ] && [ "$out" != "$want_out" ]; then
		fail "$name: stdout '$out', expected '$want_out'"
	elif [ "$want_err" != "*" ] && [ "$err" != "$want_err" ]; then
		fail "$name: stderr '$err', expected '$want_err'"
	else
		pass "$name"
	fi
}

usage=$("$HBCTL" help)
node_help=$("$HBCTL" node help)
if [ -z "$usage" ] || [ -z "$node_help" ]; then fail "no usage text"; fi

for h in -h -help --help -he; do
	check "$h: the overview" 0 "$usage" "" $h
	check "$h node: node help" 0 "$node_help" "" $h node
done
check "-h n: a prefix, as everywhere" 0 "$node_help" "" -h n
check "-h with two objects" 1 "" 'Error: -h takes one OBJECT: "extra" is one too many.' -h node extra
check "-h of an unknown object" 1 "" 'Object "bogus" is unknown, try "hbctl help".' -h bogus

# Every form the usage lists is taken (-V and -n aside: they reach a
# kernel or a namespace); help never opens a socket.
for opt in -j -json --json -p -pretty --pretty -f -force --force -jp; do
	check "$opt help" 0 "$usage" "" $opt help
done
check "-json -pretty -h link" 0 "$("$HBCTL" link help)" "" -json -pretty -h link
check "an unknown option" 1 "" "*" -x help
case $(cat "$tmp/err") in
"$HBCTL: unrecognized option '-x'"*"Usage: hbctl"*) pass "an unknown option: named, then the usage" ;;
*) fail "an unknown option: $(cat "$tmp/err")" ;;
esac

for n in -n -netns --netns; do
	check "$n of a namespace that does not exist" 1 "" \
		'Error: cannot open network namespace "hb-none": No such file or directory.' \
		$n hb-none node show
done
check "-nNAME" 1 "" 'Error: cannot open network namespace "hb-none": No such file or directory.' \
	-nhb-none node show
check "-n of a path that does not exist" 1 "" \
	'Error: cannot open network namespace "/nonexistent/net": No such file or directory.' \
	-n /nonexistent/net node show
check "-n ." 1 "" 'Error: "." is no network namespace name.' -n . node show
check "-n without a name" 1 "" "*" -n

# -b FILE, -batch FILE, -bFILE; -f goes on after a failing line.
printf 'help\nnode help\n' >"$tmp/ok"
printf 'bogus\nnode help\n' >"$tmp/bad"
for b in -b -batch --batch; do
	check "$b FILE" 0 "$usage
$node_help" "" $b "$tmp/ok"
done
check "-bFILE" 0 "*" "" -b"$tmp/ok"
check "-b FILE stops at a failing line" 1 "" \
	"$tmp/bad:1: Object \"bogus\" is unknown, try \"hbctl help\"." -b "$tmp/bad"
check "-f -b FILE goes on" 1 "$node_help" \
	"$tmp/bad:1: Object \"bogus\" is unknown, try \"hbctl help\"." -force -b "$tmp/bad"
check "-b FILE OBJECT" 1 "" "Error: -b runs the commands of a file: \"node\" is one too many." \
	-b "$tmp/ok" node
exit $rc
