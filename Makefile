# SPDX-License-Identifier: GPL-2.0-only
#
# heartbeat: kernel module, hbctl and their tests.
#
#   make            build heartbeat.ko, tools/hbctl/hbctl and tools/examples
#                   (installs the Debian packages it needs first, when run
#                   as root)
#   make check      host unit tests, then the VM suites; last line counts them
#   make check-kernels  the VM suite on each kernel Debian 12 ships (6.1,
#                   6.12, 6.12 PREEMPT_RT), the module built for each; a
#                   closing line per kernel (~10 min each)
#   make check-pacemaker  corosync + Pacemaker hosts and a network cut in
#                   a VM (Documentation/pacemaker.rst; 2 to 7 minutes)
#   make check-debug  the VM suite on a debug kernel (KASAN, lockdep, kmemleak,
#                   failslab; built once, ~25 min, cached in /var/cache/heartbeat),
#                   then failslab and kmemleak checks; last line counts them
#   make demo       a three-host cluster in a VM
#   make eval       detector quality evaluation (Documentation/evaluation.md)
#   make bench      benchmarks against the userspace baseline and FRR's bfdd,
#                   in the VM (~25 min; VM=none: on this host, module loaded),
#                   and last words in guests on this host (~7.5 min);
#                   writes Documentation/benchmarks/
#   make fuzz       fuzz the wire codec on the host for FUZZ_SECONDS (60)
#   make vmtest T=privileges.sh   one VM test (T= names from selftests/)
#   make vmtest-multi [K=panic]   hosts as separate VMs: selftests/vm/multi,
#                   K= a pytest -k expression choosing the scenarios
#   make W=1 / make C=1           extra warnings / sparse on the module
#   make install    the module (for KVER, or the tree KDIR), hbctl, its man
#                   page, the fencing hook, rule and unit, the readiness recipe
#                   and the examples: scripts/install.list (DESTDIR, PREFIX,
#                   SBINDIR, LIBEXECDIR, MANDIR, DOCDIR, UDEVDIR, SYSTEMDDIR,
#                   WIRESHARKDIR,
#                   INSTALL_MOD_DIR, DEPMOD); needs only the build dependencies
#   make uninstall  removes them again, configuration files in /etc excepted
#   make dkms-install / dkms-uninstall   the module's sources under DKMS
#                   (/usr/src/heartbeat-VERSION, dkms.conf)

# The kernel to build for and boot in the test VM: the running one if its
# headers are installed, else the newest installed (scripts/kver).
KVER ?= $(shell $(CURDIR)/scripts/kver)
KDIR ?= /lib/modules/$(KVER)/build
export KVER
# Debian 12's own kernel (linux-image-amd64): what make check and
# make check-pacemaker boot unless KVER is given.
DEBIAN_KVER = $(shell $(CURDIR)/scripts/kernels | head -n 1)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/heartbeat
UDEVDIR ?= /lib/udev/rules.d
SYSTEMDDIR ?= /lib/systemd/system
# Wireshark's global Lua plugins, whatever PREFIX is: where Debian's looks.
WIRESHARKDIR ?= /usr/lib$(addprefix /,$(shell $(CC) -print-multiarch 2>/dev/null))/wireshark/plugins
INSTALL_MOD_DIR ?= extra
DEPMOD ?= /sbin/depmod
DKMS ?= dkms
HB_VERSION := $(shell sed -n 's/^\#define HEARTBEAT_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' kmod/heartbeat.h)

all: module hbctl examples

# Building and installing need a compiler, libmnl and KVER's headers; the
# tests (make deps) need far more, which no build ever installs.
build-deps:
	@KVER='$(KVER)' KDIR='$(KDIR)' scripts/install-deps --build

deps: build-deps
	@KVER='$(KVER)' KDIR='$(KDIR)' scripts/install-deps

module: build-deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

hbctl: build-deps
	$(MAKE) -C tools/hbctl

# Documentation/apps.rst's examples: app-kick (C) and the systemd recipe.
examples: build-deps
	$(MAKE) -C tools/examples

test-modules: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/splat modules

selftests: deps
	$(MAKE) -C selftests all
	$(MAKE) -C selftests/host all

# make check builds for all three kernels of scripts/kernels but boots, unless
# KVER is given, the first: Debian 12's own (linux-image-amd64), the one its
# timings were tuned on; make check-kernels runs the suite on each.
check: KVER = $(DEBIAN_KVER)
check: deps all test-modules selftests
	scripts/check

check-kernels: deps hbctl examples selftests
	@scripts/install-deps --kernels
	scripts/check-kernels

check-pacemaker: KVER = $(DEBIAN_KVER)
check-pacemaker: deps all selftests
	@scripts/install-deps --pacemaker
	scripts/check-pacemaker

check-debug: hbctl examples selftests
	scripts/check-debug

vmtest: deps all selftests
	selftests/vm/run -- selftests/run_tests $(T)

vmtest-multi: deps all
	selftests/vm/multi $(if $(K),-k '$(K)')

demo: deps all
	selftests/vm/run -- scripts/demo.sh

eval: deps
	tools/eval/run-eval

bench: deps all
	$(MAKE) -C tools/bench
	VM=$(VM) tools/bench/run-bench

fuzz: deps
	@$(MAKE) -s --no-print-directory -C selftests/fuzz run

# make install: the module by Kbuild's modules_install, into
# $(DESTDIR)/lib/modules/<the release of KDIR>/$(INSTALL_MOD_DIR) - extra/, as
# dkms.conf's DEST_MODULE_LOCATION (Debian's DKMS uses updates/dkms/, which
# depmod prefers) - and the files of scripts/install.list. depmod runs only
# for the running system's tree (no DESTDIR), as $(DEPMOD).
MOD_KVER = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(KVER))
MOD_PATH = /lib/modules/$(MOD_KVER)/$(INSTALL_MOD_DIR)
# Kbuild signs a module as it installs it when the kernel is configured so
# (CONFIG_MODULE_SIG_ALL), with the key of the kernel's own build, which a
# distribution's headers never carry: then it would only print SSL errors.
MOD_SIG_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' $(KDIR)/.config 2>/dev/null)
MOD_SIG_ARGS = $(if $(filter pkcs11:%,$(MOD_SIG_KEY))$(wildcard $(filter /%,$(MOD_SIG_KEY)) \
	$(addprefix $(KDIR)/,$(filter-out /%,$(MOD_SIG_KEY)))),,CONFIG_MODULE_SIG_ALL=)
INSTALL_VARS = DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' SBINDIR='$(SBINDIR)' \
	LIBEXECDIR='$(LIBEXECDIR)' MANDIR='$(MANDIR)' DOCDIR='$(DOCDIR)' \
	UDEVDIR='$(UDEVDIR)' SYSTEMDDIR='$(SYSTEMDDIR)' WIRESHARKDIR='$(WIRESHARKDIR)'

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH='$(DESTDIR)' \
		INSTALL_MOD_DIR='$(INSTALL_MOD_DIR)' DEPMOD=true $(MOD_SIG_ARGS) modules_install
	@$(INSTALL_VARS) scripts/install-files install
	$(if $(DESTDIR),,$(DEPMOD) -a $(MOD_KVER))

uninstall:
	rm -f $(foreach z,.ko .ko.gz .ko.xz .ko.zst,'$(DESTDIR)$(MOD_PATH)/heartbeat$(z)')
	@$(INSTALL_VARS) scripts/install-files uninstall
	$(if $(DESTDIR),,if [ -d /lib/modules/$(MOD_KVER)/kernel ]; then $(DEPMOD) -a $(MOD_KVER); fi)

# What make install installs, for selftests/host/test_install.sh: the
# module's name gains the suffix of the kernel's module compression, if any.
install-list:
	@$(INSTALL_VARS) scripts/install-files list
	@echo '0644 $(MOD_PATH)/heartbeat.ko heartbeat.ko module'

# make dkms-install: the module's sources where DKMS looks for them, and -
# without DESTDIR - registered, built and installed for KVER (DKMS rebuilds
# them for every kernel installed later: AUTOINSTALL in dkms.conf).
DKMS_SRC = /usr/src/heartbeat-$(HB_VERSION)
DKMS_FILES = dkms.conf Kbuild LICENSE $(sort $(wildcard kmod/*.c kmod/*.h) \
	$(shell find include -name '*.h'))

dkms-install: $(if $(DESTDIR),,build-deps)
	@[ -n '$(HB_VERSION)' ] || { echo 'dkms-install: no version in kmod/heartbeat.h' >&2; exit 1; }
	@grep -qx 'PACKAGE_VERSION="$(HB_VERSION)"' dkms.conf || \
		{ echo "dkms-install: dkms.conf's PACKAGE_VERSION is not the module's $(HB_VERSION)" >&2; exit 1; }
	$(if $(DESTDIR),,@command -v $(DKMS) >/dev/null || \
		{ echo 'dkms-install: needs dkms (apt-get install dkms)' >&2; exit 1; })
	rm -rf '$(DESTDIR)$(DKMS_SRC)'
	@for f in $(DKMS_FILES); do install -D -m 0644 $$f '$(DESTDIR)$(DKMS_SRC)'/$$f || exit 1; done
	@echo 'installed $(words $(DKMS_FILES)) files in $(DESTDIR)$(DKMS_SRC)'
	$(if $(DESTDIR),,$(DKMS_REMOVE))
	$(if $(DESTDIR),,$(DKMS) add -m heartbeat -v $(HB_VERSION))
	$(if $(DESTDIR),,$(DKMS) build -m heartbeat -v $(HB_VERSION) -k $(MOD_KVER) --kernelsourcedir $(KDIR))
	$(if $(DESTDIR),,$(DKMS) install -m heartbeat -v $(HB_VERSION) -k $(MOD_KVER) --kernelsourcedir $(KDIR))

# A version DKMS already knows is removed (from every kernel) first: its
# sources may have changed.
DKMS_REMOVE = if command -v $(DKMS) >/dev/null && \
	$(DKMS) status -m heartbeat -v $(HB_VERSION) | grep -q .; then \
	$(DKMS) remove -m heartbeat -v $(HB_VERSION) --all; fi

dkms-uninstall:
	@[ -n '$(HB_VERSION)' ] || { echo 'dkms-uninstall: no version in kmod/heartbeat.h' >&2; exit 1; }
	$(if $(DESTDIR),,$(DKMS_REMOVE))
	rm -rf '$(DESTDIR)$(DKMS_SRC)'

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/splat clean
	$(MAKE) -C tools/hbctl clean
	$(MAKE) -C tools/examples clean
	$(MAKE) -C tools/eval clean
	$(MAKE) -C tools/bench clean
	$(MAKE) -C selftests clean
	$(MAKE) -C selftests/host clean
	rm -rf build

.PHONY: all build-deps deps module hbctl examples test-modules selftests check check-kernels check-pacemaker check-debug vmtest vmtest-multi demo eval bench fuzz install uninstall install-list dkms-install dkms-uninstall clean
