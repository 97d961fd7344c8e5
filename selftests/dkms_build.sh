#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dkms_build.sh OUT KVER: on the host, before the VM boots, DKMS adds and
# builds make dkms-install's sources for KVER, every tree it writes under
# OUT: the sources (OUT/root/usr/src), its own tree (OUT/dkms), its
# temporary files, and the signing key it makes on first use (never
# /var/lib/dkms). test_dkms.sh installs and loads the result in the VM: the
# VM's emulated CPU took more than four minutes for two thirds of the build.
#
# Always exits 0: what went wrong is OUT/build.rc and OUT/dkms.log, for
# test_dkms.sh to report as a failed test rather than the whole suite's
# build stopping here.
set -u
kver=$2
mkdir -p "$1" && out=$(cd "$1" && pwd) || exit 0
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^#define HEARTBEAT_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/kmod/heartbeat.h")

rm -rf "$out"
mkdir -p "$out/dkms" "$out/tmp"
log=$out/dkms.log
finish() { echo "$1" >"$out/build.rc"; echo "$kver" >"$out/kver"; exit 0; }

if ! command -v dkms >/dev/null; then
	echo "dkms is not installed (make deps)" >"$log"
	finish 127
fi
export TMPDIR=$out/tmp
export mok_signing_key=$out/mok.key mok_certificate=$out/mok.der
trees=(--dkmstree "$out/dkms" --sourcetree "$out/root/usr/src")
run()
{
	echo "### $*" >>"$log"
	"$@" >>"$log" 2>&1
}

start=$(date +%s)
run make -s --no-print-directory -C "$top" dkms-install DESTDIR="$out/root" || finish 1
run dkms add -m heartbeat -v "$version" "${trees[@]}" || finish 2
run dkms build -m heartbeat -v "$version" -k "$kver" "${trees[@]}" || {
	cat "$out/dkms/heartbeat/$version/build/make.log" >>"$log" 2>/dev/null
	finish 3
}
echo "dkms_build.sh: heartbeat $version for $kver built by DKMS in $(($(date +%s) - start)) s"
finish 0
