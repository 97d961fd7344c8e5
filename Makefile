# SPDX-License-Identifier: GPL-2.0-only
#
# heartbeat: kernel module, hbctl and their tests.
#
#   make            build heartbeat.ko, tools/hbctl/hbctl and tools/examples
#                   (installs the Debian packages it needs first, when run
#                   as root)
#   make check      host unit tests, then the VM suites; last line counts them
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
#   make install    module, hbctl, its man page, the fencing example and
#                   the readiness recipe (heartbeat-app@.service)
#                   (DESTDIR, PREFIX, UDEVDIR, SYSTEMDDIR)

KVER ?= $(shell $(CURDIR)/scripts/kver)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
UDEVDIR ?= /lib/udev/rules.d
SYSTEMDDIR ?= /lib/systemd/system

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

check: deps all test-modules selftests
	scripts/check

check-debug: hbctl selftests
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

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		INSTALL_MOD_PATH=$(DESTDIR) modules_install
	install -D -m 0755 tools/hbctl/hbctl $(DESTDIR)$(PREFIX)/sbin/hbctl
	install -D -m 0644 tools/hbctl/hbctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/hbctl.8
	install -D -m 0755 tools/fencing/heartbeat-fence $(DESTDIR)$(PREFIX)/libexec/heartbeat/heartbeat-fence
	install -D -m 0644 tools/fencing/90-heartbeat.rules $(DESTDIR)$(UDEVDIR)/90-heartbeat.rules
	install -D -m 0644 tools/fencing/heartbeat-fence@.service $(DESTDIR)$(SYSTEMDDIR)/heartbeat-fence@.service
	install -D -m 0755 tools/examples/heartbeat-app-kicker \
		$(DESTDIR)$(PREFIX)/libexec/heartbeat/heartbeat-app-kicker
	install -D -m 0644 tools/examples/heartbeat-app@.service $(DESTDIR)$(SYSTEMDDIR)/heartbeat-app@.service
	install -D -m 0644 tools/examples/app-kick.c \
		$(DESTDIR)$(PREFIX)/share/doc/heartbeat/examples/app-kick.c
	install -D -m 0644 tools/fencing/90-heartbeat-run.rules \
		$(DESTDIR)$(PREFIX)/share/doc/heartbeat/examples/90-heartbeat-run.rules
	test -e $(DESTDIR)/etc/heartbeat/fence.conf || \
		install -D -m 0644 tools/fencing/fence.conf $(DESTDIR)/etc/heartbeat/fence.conf

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

.PHONY: all build-deps deps module hbctl examples test-modules selftests check check-debug vmtest vmtest-multi demo eval bench fuzz install clean
