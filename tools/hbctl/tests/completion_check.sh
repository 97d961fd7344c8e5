#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# completion/hbctl driven as bash drives it (COMP_WORDS, COMP_CWORD, then
# _hbctl), without bash-completion or a kernel: a few exact answers, and
# for every object the words completion offers against the words its
# usage text ("hbctl OBJECT help") lists, both ways, so that neither can
# change without the other. Prints KTAP-like ok/not ok lines.
cd "$(dirname "$0")/.." || exit 1
HBCTL=$PWD/hbctl
# shellcheck source=../completion/hbctl
. completion/hbctl

# The system's devices and namespaces stand for themselves elsewhere;
# here they are these (called by _hbctl, which shellcheck cannot see).
# shellcheck disable=SC2317
_hbctl_devices() { echo "eth0 eth1${1:+ in-$1}"; }
# shellcheck disable=SC2317
_hbctl_netns() { echo "blue red"; }

# File names complete from an empty directory: none.
empty=$(mktemp -d) || exit 1
trap 'rmdir "$empty"' EXIT
cd "$empty" || exit 1

rc=0
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; rc=1; }

# complete LINE: what _hbctl offers for the last word of LINE (a line
# ending in a space completes a new, empty word), sorted, one line.
complete()
{
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	case $line in
	*" ") COMP_WORDS+=("") ;;
	esac
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_hbctl
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}

expect()
{
	local got
	got=$(complete "$1")
	if [ "$got" = "$2" ]; then
		pass "completion '$1'"
	else
		fail "completion '$1': got '$got', expected '$2'"
	fi
}

expect "hbctl " "app disk help key link monitor node peer quorum setconf showconf stats top version"
expect "hbctl -j " "app disk help key link monitor node peer quorum setconf showconf stats top version"
expect "hbctl -n " "blue red"
expect "hbctl -netns red p" "peer"
expect "hbctl -h q" "quorum"
expect "hbctl node " "help set show"
expect "hbctl n s" "set show"
expect "hbctl node set le" "learn learn-expire learn-rate"
expect "hbctl node set learn " "off on"
expect "hbctl node set lea on i" "id interval"
expect "hbctl node set detector phi phi-m" "phi-min-stddev phi-model"
expect "hbctl node set last-words " "off on reboot"
expect "hbctl node set interval " ""
expect "hbctl link add " "dev mode"
expect "hbctl link add dev " "eth0 eth1"
expect "hbctl -n blue link add dev " "eth0 eth1 in-blue"
expect "hbctl link add dev eth0 " "mode"
expect "hbctl link add dev eth0 mode " "multicast unicast"
expect "hbctl peer probe id 2 " "count dev interval"
expect "hbctl quorum set tie-breaker " "disk highest lowest none"
expect "hbctl app add " ""
expect "hbctl app add db " "action timeout"
expect "hbctl app add db action " "notready silence"
expect "hbctl stats " "-o help show"
expect "hbctl stats show -o " "prometheus"
expect "hbctl monitor " "all app count drops help id key link node peer quorum"
expect "hbctl top " "help interval once"
expect "hbctl top once " "help interval"
expect "hbctl setconf " "--check --wait-devices"
expect "hbctl node help " ""
expect "hbctl bogus " ""

# usage_words OBJECT: the literal words of OBJECT's usage text: those of
# its synopsis lines ("hbctl OBJECT ..." and their continuations) but the
# two first, and the choices of a "WHAT := { a | b }" below them.
usage_words()
{
	"$HBCTL" "$1" help | awk -v obj="$1" '
		function add(s, n, i, t) {
			gsub(/[][{}|]/, " ", s)
			n = split(s, t, " ")
			for (i = 1; i <= n; i++)
				if (t[i] ~ /^(--?)?[a-z][a-z0-9-]*$/)
					print t[i]
		}
		/^(Usage:)? *hbctl / {
			syn = ($0 ~ ("hbctl " obj "( |$)"))
			if (syn) {
				s = $0
				sub(".*hbctl " obj, "", s)
				add(s)
			}
			next
		}
		/^ +\[/ { if (syn) add($0); next }
		{ syn = 0 }
		/:= \{ / { s = $0; sub(/.*:= \{/, "", s); sub(/\}.*/, "", s); add(s) }
	' | sort -u
}

# completion_words OBJECT: every word completion offers below OBJECT,
# four words deep; a position that offers none (a name, a number) is
# given "x" to go on.
completion_words()
{
	walk "hbctl $1" 1 | sort -u
}

walk()
{
	local w words
	words=$(complete "$1 ")
	if [ -z "$words" ] && [ "$2" -lt 4 ]; then
		case $1 in
		*" x") ;;
		*) walk "$1 x" $(($2 + 1)) ;;
		esac
		return
	fi
	for w in $words; do
		echo "$w"
		[ "$2" -lt 4 ] && walk "$1 $w" $(($2 + 1))
	done
}

# "OBJECT := { node | link ... }", over as many lines as it takes
objects=$("$HBCTL" help | awk '
	/OBJECT := \{/ { on = 1; sub(/.*OBJECT := \{/, "") }
	on { s = $0; sub(/\}.*/, "", s); gsub(/\|/, " ", s); print s }
	on && /\}/ { on = 0 }' | tr ' ' '\n' | grep -E '^[a-z]+$' | sort | tr '\n' ' ')
expect "hbctl " "${objects% }"
# Devices are no words of a usage text.
# shellcheck disable=SC2317
_hbctl_devices() { :; }
# "hbctl help" is the overview: its words are the objects and options.
for obj in ${objects/help/}; do
	usage=$(usage_words "$obj")
	offered=$(completion_words "$obj")
	# "help" is every object's; not every usage text lists it.
	missing=$(comm -23 <(echo "$usage") <(echo "$offered") | tr '\n' ' ')
	extra=$(comm -13 <(echo "$usage") <(echo "$offered") | grep -vx help | tr '\n' ' ')
	if [ -z "$missing$extra" ]; then
		pass "completion of $obj: $(echo "$usage" | wc -w) words as its usage"
	else
		fail "completion of $obj: not offered: '$missing', not in the usage: '$extra'"
	fi
done

# The options of the usage text, short and long: "-j[son]" is -j and -json.
options=$("$HBCTL" help | grep -oE -- '-[A-Za-z]+(\[[a-z]+\])?' |
	  sed -E 's/^(-[A-Za-z]+)\[([a-z]+)\]$/\1 \1\2/' | tr ' ' '\n' | sort -u | tr '\n' ' ')
got=$(tr ' ' '\n' <<<"$_hbctl_options" | sort | tr '\n' ' ')
expect "hbctl -" "${got% }"
if [ "$got" = "$options" ]; then
	pass "completion's options are the usage's: $options"
else
	fail "completion's options '$got', the usage's '$options'"
fi
exit $rc
