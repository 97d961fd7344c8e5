# SPDX-License-Identifier: GPL-2.0-only
"""Where links send from (module parameter tx_context): each context
sends every period, survives an interval change and a link's removal, and
the thread context runs one real-time kernel thread."""
import errno
import os
import time

import pytest

from conftest import timing_scale
from hbcluster import Cluster, wait_for

PARAM = "/sys/module/heartbeat/parameters/tx_context"
CONTEXTS = ("tasklet", "timer", "thread")


def set_context(name):
    with open(PARAM, "w") as f:
        f.write(name)


def context():
    with open(PARAM) as f:
        return f.read().strip()


@pytest.fixture(autouse=True)
def restore_context():
    saved = context()
    yield
    set_context(saved)


def tx_thread_pids():
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == "heartbeat-tx":
                        pids.append(int(pid))
            except OSError:
                pass
    return pids


def sched_policy(pid):
    """Field 41 of /proc/PID/stat: 1 is SCHED_FIFO."""
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[38])


def tx_count(c, host):
    return c.hbj(host, "link", "show")[0]["tx"]


def test_unknown_context_is_refused():
    with pytest.raises(OSError) as e:
        set_context("softirq")
    assert e.value.errno == errno.EINVAL
    assert context() in ("auto",) + CONTEXTS


@pytest.mark.parametrize("name", CONTEXTS)
def test_each_context_sends_every_period(name):
    set_context(name)
    c = Cluster(2, interval="10ms", prefix=f"tx{name[:2]}")
    try:
        assert wait_for(c.all_alive, timing_scale(5)), c.states("tx" + name[:2] + "1")
        host = c.hosts[0]
        before, t0 = tx_count(c, host), time.monotonic()
        time.sleep(1)
        sent, took = tx_count(c, host) - before, time.monotonic() - t0
        # One frame a period; a period the sender found still pending is
        # skipped, so under emulation a few may be missing, never extra.
        assert 0.5 * took * 100 <= sent <= took * 100 + 2, (sent, took)
        if name == "thread":
            pids = tx_thread_pids()
            assert len(pids) == 1 and sched_policy(pids[0]) == 1, pids
        # A new interval restarts every sender of the namespace.
        c.hb(host, "node", "set", "interval", "20ms")
        before, t0 = tx_count(c, host), time.monotonic()
        time.sleep(1)
        sent, took = tx_count(c, host) - before, time.monotonic() - t0
        assert 0.5 * took * 50 <= sent <= took * 50 + 2, (sent, took)
        assert wait_for(c.all_alive, timing_scale(5))
        c.hb(host, "link", "del", "dev", "eth0")
        assert c.hbj(host, "link", "show") == []
    finally:
        c.close()
