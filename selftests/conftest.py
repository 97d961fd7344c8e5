# SPDX-License-Identifier: GPL-2.0-only
"""pytest glue for the selftests: KTAP result lines (pytest_ktap.py), shared
fixtures."""
import os
import subprocess

import pytest

pytest_plugins = ["pytest_ktap"]

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
