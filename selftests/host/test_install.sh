#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host test of make install, make uninstall and make dkms-install, each into
# a temporary DESTDIR: exactly the files of scripts/install.list and the
# module are installed, with their modes; an /etc file once there is never
# overwritten nor removed; PREFIX moves the programs and what runs them; the
# DKMS sources carry the module's version, and make dkms-install has DKMS
# add, build and install them - DKMS's trees redirected to temporary ones.
# No module is loaded (that is selftests/test_dkms.sh's, in the VM).
here=$(cd "$(dirname "$0")" && pwd)
HB_TOP=$(cd "$here/../.." && pwd)
# shellcheck source=selftests/lib.sh
. "$HB_TOP/selftests/lib.sh"
# shellcheck disable=SC2034 # lib.sh names the results after it
ktap_name=install

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$HB_TOP" || exit 1

mk()		# mk LOG TARGET [VAR=VALUE...]: make quietly, its output in $tmp/LOG
{
	local log=$tmp/$1
	shift
	make -s --no-print-directory "$@" >"$log" 2>&1 && return 0
	fail_msg "make $* failed:"
	tail -n 20 "$log" | sed 's/^/#   /'
	return 1
}

# The module's installed name: Kbuild compresses it as the kernel's own
# modules are when the kernel's configuration says so (6.12: _ALL as well).
module_suffix()	# module_suffix KDIR
{
	local c=$1/.config s=
	grep -q '^CONFIG_MODULE_COMPRESS_GZIP=y' "$c" && s=.gz
	grep -q '^CONFIG_MODULE_COMPRESS_XZ=y' "$c" && s=.xz
	grep -q '^CONFIG_MODULE_COMPRESS_ZSTD=y' "$c" && s=.zst
	grep -q '^# CONFIG_MODULE_COMPRESS_ALL is not set' "$c" && s=
	echo "$s"
}

# expected ROOT LIST: "MODE PATH" of every file install-list names, sorted;
# the module's name with the kernel's compression suffix.
expected()
{
	local mode dest src flags
	while read -r mode dest src flags; do
		[ "$flags" = module ] && dest=$dest$(module_suffix "$kdir")
		echo "$mode $dest"
	done <"$2" | LC_ALL=C sort
}

# actual ROOT: "MODE PATH" of everything but directories under ROOT, sorted.
actual()
{
	(cd "$1" && find . ! -type d -printf '%#m /%P\n') | sed 's/^0\([0-7]\{4\}\)/\1/' | LC_ALL=C sort
}

same_set()	# same_set WHAT EXPECTED-FILE ACTUAL-FILE
{
	# Either may be a pipe, read once.
	cat "$2" >"$tmp/set.want"
	cat "$3" >"$tmp/set.got"
	cmp -s "$tmp/set.want" "$tmp/set.got" && return 0
	fail_msg "$1 differ (- listed, + installed):"
	diff -u "$tmp/set.want" "$tmp/set.got" | sed -n 's/^\([-+][^-+]\)/#   \1/p'
	return 1
}

# Every program an installed unit or udev rule runs (ExecStart=, RUN+=) is
# where that same install put it.
runs_installed()	# runs_installed ROOT
{
	local f p rc=0
	while IFS= read -r f; do
		while read -r p; do
			[ -x "$1$p" ] || { fail_msg "${f#"$1"} runs $p, not installed"; rc=1; }
		done < <(sed -n -e 's/^ExecStart=-\{0,1\}\([^ ]*\).*/\1/p' \
				-e 's/.*RUN+="\([^ "]*\).*/\1/p' "$f")
	done < <(find "$1" -type f \( -name '*.service' -o -name '*.rules' \))
	return $rc
}

ktap_plan 16

# --- make install --------------------------------------------------------
root=$tmp/root
rc=0
mk install.log install DESTDIR="$root" || rc=1
mk list install-list DESTDIR="$root" || rc=1
ktap_result install_into_destdir $rc

kver=$(sed -n 's|^[0-7]* /lib/modules/\([^/]*\)/.* module$|\1|p' "$tmp/list")
kdir=/lib/modules/$kver/build
log "module for $kver"

expected "$root" "$tmp/list" >"$tmp/expected"
actual "$root" >"$tmp/actual"
rc=0
[ "$(grep -c . "$tmp/list")" -ge 10 ] || { fail_msg "install-list printed $(grep -c . "$tmp/list") lines"; rc=1; }
same_set "files" <(cut -d' ' -f2 "$tmp/expected") <(cut -d' ' -f2 "$tmp/actual") || rc=1
ktap_result installs_exactly_the_listed_files $rc

same_set "modes" "$tmp/expected" "$tmp/actual"
ktap_result modes_as_listed $?

# With the default directories the path rewriting of units and rules has
# nothing to change: every installed file is its source.
rc=0
while read -r mode dest src flags; do
	[ "$flags" = module ] && continue
	cmp -s "$src" "$root$dest" || { fail_msg "$dest is not $src"; rc=1; }
done <"$tmp/list"
ktap_result installed_files_are_their_sources $rc

rc=0
mod=$(find "$root/lib/modules" -name 'heartbeat.ko*' ! -type d)
want=$root/lib/modules/$kver/extra/heartbeat.ko$(module_suffix "$kdir")
if [ "$mod" != "$want" ]; then
	fail_msg "module at '${mod//$root/}', expected ${want#"$root"}"
	rc=1
else
	vermagic=$(modinfo -F vermagic "$mod" | cut -d' ' -f1)
	expect_eq "module's vermagic release" "$vermagic" "$kver" || rc=1
	expect_eq "module's name" "$(modinfo -F name "$mod")" heartbeat || rc=1
	[ ! -e "$root/lib/modules/$kver/modules.dep" ] || fail_msg "depmod ran into DESTDIR" || rc=1
fi
ktap_result module_under_lib_modules_kver_extra $rc

runs_installed "$root"
ktap_result units_and_rules_run_installed_programs $?

# --- a second install ----------------------------------------------------
rc=0
config=$(awk '$4 == "config" { print $2 }' "$tmp/list")
[ -n "$config" ] || { fail_msg "no configuration file in the list"; rc=1; }
for c in $config; do echo "# changed by the administrator" >>"$root$c"; done
echo "stale" >"$root/usr/sbin/hbctl"
mk install2.log install DESTDIR="$root" || rc=1
for c in $config; do
	grep -qx "# changed by the administrator" "$root$c" || { fail_msg "$c overwritten"; rc=1; }
done
cmp -s tools/hbctl/hbctl "$root/usr/sbin/hbctl" || { fail_msg "/usr/sbin/hbctl not replaced"; rc=1; }
actual "$root" >"$tmp/actual2"
same_set "second install's files" "$tmp/expected" "$tmp/actual2" || rc=1
ktap_result second_install_keeps_changed_config $rc

# --- make uninstall ------------------------------------------------------
rc=0
mk uninstall.log uninstall DESTDIR="$root" || rc=1
actual "$root" >"$tmp/after"
awk '$4 == "config" { print $1, $2 }' "$tmp/list" | LC_ALL=C sort >"$tmp/want_after"
same_set "files left by uninstall" "$tmp/want_after" "$tmp/after" || rc=1
for c in $config; do
	grep -qx "# changed by the administrator" "$root$c" || { fail_msg "$c changed by uninstall"; rc=1; }
done
left=$(cd "$root" && find . -type d -name heartbeat ! -path ./etc/heartbeat)
[ -z "$left" ] || { fail_msg "directories left: $left"; rc=1; }
ktap_result uninstall_leaves_only_config $rc

# --- other directories ---------------------------------------------------
rc=0
root2=$tmp/root2
vars=(DESTDIR="$root2" PREFIX=/usr/local DOCDIR=/opt/hb/doc)
mk install3.log install "${vars[@]}" || rc=1
mk list2 install-list "${vars[@]}" || rc=1
for f in /usr/local/sbin/hbctl /usr/local/share/man/man8/hbctl.8 \
	 /usr/local/libexec/heartbeat/heartbeat-fence /opt/hb/doc/examples/app-kick.c; do
	[ -f "$root2$f" ] || { fail_msg "no $f"; rc=1; }
done
same_set "files with PREFIX and DOCDIR" <(expected "$root2" "$tmp/list2") <(actual "$root2") || rc=1
ktap_result prefix_and_docdir_move_files $rc

rc=0
runs_installed "$root2" || rc=1
grep -q '/usr/local/libexec/heartbeat/heartbeat-fence' "$root2/lib/systemd/system/heartbeat-fence@.service" ||
	{ fail_msg "heartbeat-fence@.service does not run /usr/local/libexec/heartbeat/heartbeat-fence"; rc=1; }
ktap_result prefix_units_run_moved_programs $rc

rc=0
mk uninstall2.log uninstall "${vars[@]}" || rc=1
same_set "files left by uninstall with PREFIX" "$tmp/want_after" <(actual "$root2") || rc=1
ktap_result prefix_uninstall_leaves_only_config $rc

# --- another kernel: KVER=, or its build tree KDIR= ----------------------
# Where the module would go and which tree builds it; building for every
# installed kernel is make check-kernels' part.
other=
for d in /lib/modules/*/build/include/generated/utsrelease.h; do
	v=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$d" 2>/dev/null)
	[ -n "$v" ] && [ "$v" != "$kver" ] && other=$v
done
if [ -z "$other" ]; then
	ktap_skip kver_and_kdir_choose_the_kernel "the headers of one kernel only are installed"
else
	rc=0
	for how in "KVER=$other" "KDIR=/lib/modules/$other/build"; do
		got=$(make -s --no-print-directory install-list "$how" | sed -n 's/^0644 \(.*\) heartbeat.ko module$/\1/p')
		expect_eq "$how: module" "$got" "/lib/modules/$other/extra/heartbeat.ko" || rc=1
		# shellcheck disable=SC2016 # make's $, not the shell's
		got=$(make -s --no-print-directory --eval='hb-print-%: ; @echo $($*)' hb-print-KDIR "$how")
		expect_eq "$how: KDIR" "$got" "/lib/modules/$other/build" || rc=1
	done
	ktap_result kver_and_kdir_choose_the_kernel $rc
fi

# --- dependencies ----------------------------------------------------------
# Installing checks the build dependencies only, never the test ones (QEMU,
# FRR, the kernel sources...) that make deps installs: no target make
# install or make uninstall depends on, however indirectly, is deps.
rc=0
# make's rules, read without running anything: make -n would still run
# Kbuild's recursive makes, which link (and, failing, delete) the module.
make -pq --no-print-directory install-list >"$tmp/db" 2>/dev/null
prereqs() { sed -n "s/^$1:\(.*\)/\1/p" "$tmp/db" | head -n 1; }
closure()	# closure TARGET: TARGET and everything it depends on, " a b ... "
{
	local seen=" " todo=("$1") t more
	while [ ${#todo[@]} -gt 0 ]; do
		t=${todo[0]}
		todo=("${todo[@]:1}")
		case "$seen" in *" $t "*) continue ;; esac
		seen="$seen$t "
		read -ra more <<<"$(prereqs "$t")"
		todo+=("${more[@]}")
	done
	echo "$seen"
}
for goal in install uninstall; do
	made=$(closure $goal)
	log "make $goal makes:$made"
	case "$made" in *" deps "*) fail_msg "make $goal depends on deps"; rc=1 ;; esac
done
case "$(closure install)" in
*" build-deps "*) ;;
*) fail_msg "make install does not depend on build-deps"; rc=1 ;;
esac
grep -q 'scripts/install-deps --build' <(sed -n '/^build-deps:/,/^$/p' "$tmp/db") ||
	{ fail_msg "build-deps does not run install-deps --build"; rc=1; }
ktap_result install_needs_only_build_deps $rc

# --- DKMS ----------------------------------------------------------------
rc=0
version=$(sed -n 's/^#define HEARTBEAT_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' kmod/heartbeat.h)
[ -n "$version" ] || { fail_msg "no version in kmod/heartbeat.h"; rc=1; }
# shellcheck disable=SC1091 # dkms.conf is a list of assignments, as DKMS reads it
conf=$(bash -c 'kernel_source_dir=KSRC dkms_tree=DTREE; . ./dkms.conf &&
	echo "$PACKAGE_NAME $PACKAGE_VERSION ${BUILT_MODULE_NAME[0]} ${DEST_MODULE_LOCATION[0]} $AUTOINSTALL"; echo "${MAKE[0]}"') || rc=1
expect_eq "dkms.conf" "$(head -n 1 <<<"$conf")" "heartbeat $version heartbeat /extra yes" || rc=1
expect_eq "hbctl's version" "$(sed -n 's/^#define HBCTL_VERSION "\(.*\)"/\1/p' tools/hbctl/version.h)" "$version" || rc=1
grep -q -- '-C KSRC M=DTREE/heartbeat/'"$version"'/build' <<<"$conf" ||
	{ fail_msg "MAKE[0] builds elsewhere: $(tail -n 1 <<<"$conf")"; rc=1; }
ktap_result dkms_conf_carries_module_version $rc

rc=0
root3=$tmp/root3
src=/usr/src/heartbeat-$version
if mk dkms.log dkms-install DESTDIR="$root3"; then
	for f in dkms.conf Kbuild kmod/main.c kmod/heartbeat.h include/uapi/linux/heartbeat.h; do
		cmp -s "$f" "$root3$src/$f" || { fail_msg "$src/$f is not $f"; rc=1; }
	done
	outside=$(cd "$root3" && find . ! -type d ! -path ".$src/*")
	[ -z "$outside" ] || { fail_msg "dkms-install wrote outside $src: $outside"; rc=1; }
	# Everything Kbuild compiles is there.
	while read -r o; do
		[ -f "$root3$src/$o.c" ] || { fail_msg "$src lacks $o.c"; rc=1; }
	done < <(sed -n 's|^[[:space:]]*\(kmod/[a-z_]*\)\.o.*|\1|p' Kbuild)
	mk dkms-un.log dkms-uninstall DESTDIR="$root3" || rc=1
	[ -z "$(cd "$root3" && find . ! -type d)" ] || { fail_msg "dkms-uninstall left files"; rc=1; }
else
	rc=1
fi
ktap_result dkms_install_copies_sources $rc

# Without DESTDIR, make dkms-install has DKMS register, build and install
# the sources for KVER, and make dkms-uninstall has it remove them: the real
# DKMS, its trees and signing key redirected to temporary ones (the options
# and variables test_dkms.sh uses), depmod not run.
rc=0
sys=$tmp/sys
mkdir -p "$sys/lib/modules/$kver" "$tmp/dkmstree" "$tmp/dkmstmp"
cat >"$tmp/dkms" <<EOF
#!/bin/sh
echo "dkms \$*" >>"$tmp/dkms.calls"
exec dkms "\$@" --dkmstree "$tmp/dkmstree" --sourcetree "$sys/usr/src" \\
	--installtree "$sys/lib/modules" --no-depmod
EOF
chmod 0755 "$tmp/dkms"
dvars=(DKMS="$tmp/dkms" DKMS_SRC="$sys$src")
if ! command -v dkms >/dev/null; then
	ktap_skip dkms_install_adds_builds_installs "dkms is not installed"
else
	export TMPDIR=$tmp/dkmstmp mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.der
	# Twice: the second replaces what the first registered.
	for i in 1 2; do
		mk "dkms-real$i.log" dkms-install "${dvars[@]}" || rc=1
	done
	unset TMPDIR mok_signing_key mok_certificate
	log "$(grep -c . "$tmp/dkms.calls") dkms calls: $(cut -d' ' -f2 "$tmp/dkms.calls" | tr '\n' ' ')"
	for call in "add -m heartbeat -v $version" "build -m heartbeat -v $version -k $kver" \
		    "install -m heartbeat -v $version -k $kver" "remove -m heartbeat -v $version --all"; do
		grep -q -- "^dkms $call" "$tmp/dkms.calls" || { fail_msg "no 'dkms $call'"; rc=1; }
	done
	mod=$(find "$sys/lib/modules/$kver" -name 'heartbeat.ko*' ! -type d)
	if [ -z "$mod" ]; then
		fail_msg "DKMS installed no module"
		rc=1
	else
		log "installed ${mod#"$sys"}"
		expect_eq "DKMS's module's version" "$(modinfo -F version "$mod")" "$version" || rc=1
		expect_eq "DKMS's module's vermagic" "$(modinfo -F vermagic "$mod" | cut -d' ' -f1)" "$kver" || rc=1
	fi
	"$tmp/dkms" status -m heartbeat -v "$version" 2>&1 | grep -q ": installed" ||
		{ fail_msg "dkms status: $("$tmp/dkms" status 2>&1)"; rc=1; }
	mk dkms-real-un.log dkms-uninstall "${dvars[@]}" || rc=1
	[ -z "$(find "$sys" ! -type d)" ] || { fail_msg "left after dkms-uninstall: $(find "$sys" ! -type d)"; rc=1; }
	[ -z "$("$tmp/dkms" status 2>&1)" ] || { fail_msg "DKMS still knows: $("$tmp/dkms" status 2>&1)"; rc=1; }
	ktap_result dkms_install_adds_builds_installs $rc
fi

ktap_finish
