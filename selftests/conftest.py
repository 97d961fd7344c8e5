# SPDX-License-Identifier: GPL-2.0-only
"""pytest glue for the selftests: KTAP result lines, shared fixtures."""
import os
import subprocess
import sys

import pytest

HB_TOP = os.environ.get("HB_TOP", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HB_MODULE = os.environ.get("HB_MODULE", os.path.join(HB_TOP, "heartbeat.ko"))

# On the debug kernel of make check-debug (KASAN, lockdep and kmemleak under
# TCG) everything is several times slower; timing tests widen their
# tolerances there: BOUND + timing_scale(TOLERANCE_MS).
DEBUG_KERNEL = os.environ.get("HB_DEBUG_KERNEL") == "1"
TIMING_SCALE = float(os.environ.get("HB_TIMING_SCALE", "5")) if DEBUG_KERNEL else 1.0


def timing_scale(value):
    """value, or value times HB_TIMING_SCALE (default 5) on the debug kernel."""
    return value * TIMING_SCALE


_tap_count = 0


def pytest_collection_finish(session):
    """The plan: run_tests fails a file that prints fewer results than it
    collected (one that stopped early, even with exit status 0)."""
    print(f"\n1..{len(session.items)}", flush=True)


def pytest_runtest_logreport(report):
    """Print one KTAP line per test so make check can count pytest results
    the same way as the shell and C tests."""
    global _tap_count
    name = report.nodeid.replace("::", ".")
    line = None
    if report.when in ("setup", "call") and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        line = f"ok {{n}} {name} # SKIP {reason}"
    elif report.when == "setup" and report.failed:
        line = f"not ok {{n}} {name}"
    elif report.when == "call":
        line = f"{'ok' if report.passed else 'not ok'} {{n}} {name}"
    if line:
        _tap_count += 1
        print("\n" + line.format(n=_tap_count), flush=True)
    # The failure's traceback right away: a file killed by its timeout
    # never reaches pytest's own summary.
    if report.failed:
        for text_line in report.longreprtext.splitlines()[-30:]:
            print(f"# {text_line}")
        sys.stdout.flush()


def module_loaded():
    with open("/proc/modules") as f:
        return any(l.startswith("heartbeat ") for l in f)


@pytest.fixture(scope="session", autouse=True)
def heartbeat_module():
    """The suite runs with the module under test loaded."""
    if not module_loaded():
        subprocess.run(["insmod", HB_MODULE], check=True)
    yield


@pytest.fixture
def netns():
    """A fresh network namespace, entered for the duration of the test, so
    that a test's configuration never leaks into another."""
    from pyroute2 import netns as pnetns
    name = f"hbpy{os.getpid()}"
    pnetns.create(name)
    pnetns.pushns(name)
    try:
        yield name
    finally:
        pnetns.popns()
        pnetns.remove(name)
