#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# DKMS: make dkms-install's sources, added and built by DKMS for the VM's
# kernel against its installed headers on the host before the VM booted
# (dkms_build.sh, by make -C selftests: the VM's emulated CPU took more than
# four minutes for two thirds of the build), are installed here by DKMS, and
# the module it built and signed is loaded in place of the runner's, which
# is restored afterwards. The root is the host's, read-only: the trees DKMS
# writes (--dkmstree, --installtree) and its temporary files are in tmpfs,
# and depmod, which would write /lib/modules, is not run (--no-depmod).
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034 # lib.sh names the results after it
ktap_name=dkms

kver=$(uname -r)
version=$(sed -n 's/^#define HEARTBEAT_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$HB_TOP/kmod/heartbeat.h")
host=$HB_TOP/build/dkms
work=$(mktemp -d /tmp/dkms.XXXXXX)
mkdir -p "$work/tmp" "$work/modules/$kver"
export TMPDIR=$work/tmp
# DKMS reads its own output through <(...): bash needs /dev/fd, which the
# VM's bare devtmpfs lacks (the link is udev's, and udev does not run here).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
trees=(--dkmstree "$work/dkms" --sourcetree "$host/root/usr/src" --installtree "$work/modules")
runner_module_restored=1

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup()
{
	if [ "$runner_module_restored" = 0 ]; then
		unload_module
		load_module
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# dkms_ SECONDS ARG...: one DKMS command on the trees, killed after SECONDS.
dkms_()
{
	local limit=$1
	shift
	echo "### dkms $*" >>"$work/dkms.log"
	timeout -k 5 "$limit" dkms "$@" "${trees[@]}" >>"$work/dkms.log" 2>&1
}

show_log()	# show_log [FILE]
{
	tail -n 25 "${1:-$work/dkms.log}" | sed 's/^/#   /'
	return 1
}

status() { dkms status -m heartbeat -v "$version" "${trees[@]}" 2>&1; }

# The results still to come, in order; skip_rest skips them all.
rest=(host_build dkms_knows_it_built install signed_by_the_key_dkms_made
      module_loads_and_answers remove)
result()	# result NAME STATUS
{
	rest=("${rest[@]:1}")
	ktap_result "$1" "$2"
}
skip_rest()	# skip_rest REASON
{
	for t in "${rest[@]}"; do ktap_skip "$t" "$1"; done
	ktap_finish
}

ktap_plan ${#rest[@]}

command -v dkms >/dev/null || skip_rest "dkms is not installed"
log "dkms $(dkms --version 2>/dev/null | sed 's/^dkms-//'), kernel $kver, heartbeat $version"

# What the host built, and for which kernel.
rc=0
if [ ! -f "$host/build.rc" ]; then
	fail_msg "no DKMS build on the host: make -C selftests dkms"
	rc=1
elif [ "$(cat "$host/build.rc")" != 0 ]; then
	fail_msg "dkms_build.sh failed (status $(cat "$host/build.rc")):"
	show_log "$host/dkms.log"
	rc=1
fi
result host_build $rc
[ $rc = 0 ] || skip_rest "no DKMS build"
[ "$(cat "$host/kver")" = "$kver" ] || skip_rest "built for $(cat "$host/kver"), not $kver"

# DKMS writes its tree as it installs: a copy in tmpfs (the build area is
# gone, the module and its log are left, and the link to the sources).
rc=0
cp -a "$host/dkms" "$work/dkms" || rc=1
status | grep -q "heartbeat/$version, $kver, .*: built" || { fail_msg "dkms status: $(status)"; rc=1; }
result dkms_knows_it_built $rc

rc=0
dkms_ 60 install -m heartbeat -v "$version" -k "$kver" --no-depmod || rc=1
mod=$(find "$work/modules/$kver" -name 'heartbeat.ko*' ! -type d)
if [ -z "$mod" ]; then
	fail_msg "no module under the install tree"
	show_log
	rc=1
else
	log "installed ${mod#"$work/modules/"}"
	expect_eq "modinfo vermagic" "$(modinfo -F vermagic "$mod" | cut -d' ' -f1)" "$kver" || rc=1
	expect_eq "modinfo version" "$(modinfo -F version "$mod")" "$version" || rc=1
	expect_eq "modinfo name" "$(modinfo -F name "$mod")" heartbeat || rc=1
	status | grep -q "heartbeat/$version, $kver, .*: installed" || { fail_msg "dkms status: $(status)"; rc=1; }
fi
result install $rc

# DKMS signs what it builds when the kernel's sign-file is there, with the
# key of mok_signing_key: dkms_build.sh's, made by DKMS in its tree.
rc=0
if [ -z "$mod" ]; then
	rc=1
elif [ ! -f "$host/mok.der" ]; then
	rest=("${rest[@]:1}")
	ktap_skip signed_by_the_key_dkms_made "DKMS made no key (no sign-file for $kver)"
	rc=skip
else
	expect_eq "modinfo signer" "$(modinfo -F signer "$mod")" "DKMS module signing key" || rc=1
	# The certificate's serial number is the signature's.
	serial=$(openssl x509 -inform DER -in "$host/mok.der" -noout -serial | sed 's/.*=//')
	sig=$(modinfo -F sig_key "$mod" | tr -d ':')
	expect_eq "signature's key" "$sig" "$serial" || rc=1
fi
[ "$rc" = skip ] || result signed_by_the_key_dkms_made $rc

# The built module in place of the runner's; the runner's back afterwards.
rc=0
if [ -n "$mod" ]; then
	unload_module || rc=1
	runner_module_restored=0
	if insmod "$mod"; then
		expect_eq "loaded version" "$(cat /sys/module/heartbeat/version)" "$version" || rc=1
		hbctl node show >"$work/show" 2>&1 || { sed 's/^/#   /' "$work/show"; rc=1; }
		hbctl node set id 5 cluster 9 || rc=1
		hbctl -j node show | grep -q '"id":5' || { fail_msg "node id not set"; rc=1; }
		rmmod heartbeat || rc=1
	else
		fail_msg "insmod $mod failed"
		rc=1
	fi
	load_module || rc=1
	runner_module_restored=1
	module_loaded || { fail_msg "the runner's module is not back"; rc=1; }
else
	rc=1
fi
result module_loads_and_answers $rc

rc=0
dkms_ 60 remove -m heartbeat -v "$version" --all --no-depmod || rc=1
[ -z "$(find "$work/modules" -name 'heartbeat.ko*')" ] || { fail_msg "module left in the install tree"; rc=1; }
[ -z "$(status)" ] || { fail_msg "dkms still knows it: $(status)"; rc=1; }
[ $rc = 0 ] || show_log
result remove $rc

ktap_finish
