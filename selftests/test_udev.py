# SPDX-License-Identifier: GPL-2.0-only
"""The fencing example end to end: systemd-udevd runs in the observer's
namespace with the rules of tools/fencing, a host is cut off, and the hook
logs the fencing call for it.

The VM has no systemd as PID 1. For 90-heartbeat.rules the test checks what
udevd hands to systemd (the "systemd" tag and SYSTEMD_WANTS naming a unit
instance for this very event) and then does systemd's part: it runs the
ExecStart= line of heartbeat-fence@.service for that instance. The plain
RUN+= variant (90-heartbeat-run.rules) is run by udevd itself."""
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import timing_scale
from hbcluster import HB_TOP, Cluster, UeventListener, UEVENT_UDEV_GROUP, sh, wait_for

FENCING = os.path.join(HB_TOP, "tools/fencing")
HOOK_INSTALLED = "/usr/libexec/heartbeat/heartbeat-fence"
UDEVD = "/lib/systemd/systemd-udevd"
RULES_DIR = "/run/udev/rules.d"


@pytest.fixture(scope="module")
def setup():
    if not os.access(UDEVD, os.X_OK):
        pytest.skip("systemd-udevd is not installed")
    work = tempfile.mkdtemp(prefix="hb-udev-")
    # Slack for the stalls of the emulated CPU: only the cut host may die.
    c = Cluster(3, interval="10ms", fall=3, prefix="ud", slack=f"{round(timing_scale(50))}ms")
    udevd = None
    try:
        assert wait_for(c.all_alive, 5), "cluster did not converge"
        # The hook fences configured peers only (FENCE_ORIGINS).
        for peer in ("2", "3"):
            c.hb("ud1", "peer", "add", "id", peer)
        os.makedirs(RULES_DIR, exist_ok=True)
        # udevd runs in the observer's namespace, where `ip netns exec`
        # mounts a sysfs that shows that namespace's instance.
        udevd = subprocess.Popen(["ip", "netns", "exec", "ud1", UDEVD],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: os.path.exists("/run/udev/control"), 10), "udevd did not start"
        yield c, work
    finally:
        if udevd:
            udevd.terminate()
            udevd.wait()
        for name in os.listdir(RULES_DIR) if os.path.isdir(RULES_DIR) else []:
            if name.startswith("90-heartbeat"):
                os.unlink(os.path.join(RULES_DIR, name))
        c.close()
        shutil.rmtree(work)


def write_conf(work, dry_run):
    """The hook's configuration, and an action that records its calls."""
    action = os.path.join(work, "fence-node")
    with open(action, "w") as f:
        f.write(f"#!/bin/sh\necho \"$@ seq=$HEARTBEAT_SEQ\" >> {work}/fenced\n")
    os.chmod(action, 0o755)
    conf = os.path.join(work, "fence.conf")
    with open(conf, "w") as f:
        f.write(f"FENCE_ACTION={action}\nDRY_RUN={dry_run}\n"
                f"FENCE_LOG={work}/fence.log\nFENCE_LOCK={work}/fence.lock\n")
    os.chmod(conf, 0o644)
    return conf


def install_rule(name, conf):
    """A shipped rule file, with the hook where the tree has it and its
    configuration in the test's directory."""
    with open(os.path.join(FENCING, name)) as f:
        text = f.read()
    text = text.replace(HOOK_INSTALLED, os.path.join(FENCING, "heartbeat-fence"))
    with open(os.path.join(RULES_DIR, name), "w") as f:
        f.write(f'SUBSYSTEM=="heartbeat", ENV{{HEARTBEAT_FENCE_CONF}}="{conf}"\n')
        f.write(text)
    sh("udevadm control --reload")


def remove_rule(name):
    os.unlink(os.path.join(RULES_DIR, name))
    sh("udevadm control --reload")


def fence_event(work, rule, dry_run, host, node):
    """With the rule installed, cut host off until the observer's udevd
    passes on the dead uevent for node; returns that event (as udevd sent
    it on) and the hook's configuration."""
    conf = write_conf(work, dry_run)
    install_rule(rule, conf)
    lis = UeventListener("ud1", group=UEVENT_UDEV_GROUP)
    try:
        time.sleep(0.3)
        t = time.time_ns()
        sh(f"ip netns exec {host} tc qdisc add dev eth0 root netem loss 100%")
        try:
            ev = lis.wait(5, after=t, HEARTBEAT_NODE=node, HEARTBEAT_STATE="dead")
        finally:
            sh(f"ip netns exec {host} tc qdisc del dev eth0 root")
    finally:
        lis.stop()
        remove_rule(rule)
    assert ev, "udevd passed on no dead event"
    return ev[0], conf


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def test_systemd_rule_starts_a_fencing_unit_per_event(setup):
    c, work = setup
    ev, conf = fence_event(work, "90-heartbeat.rules", 1, "ud3", 3)
    assert ":systemd:" in ev.get("TAGS", ""), ev
    assert ev.get("HEARTBEAT_ORIGIN") == "configured", ev
    # QUORATE and CONSENSUS are empty without quorum: their colons stay.
    want = (f"heartbeat-fence@state:dead:3:1:{ev['HEARTBEAT_NETNS']}:"
            f"{ev['HEARTBEAT_SEQ']}:configured::.service")
    assert ev.get("SYSTEMD_WANTS") == want, ev

    # systemd's part: the unit's ExecStart= for that instance.
    with open(os.path.join(FENCING, "heartbeat-fence@.service")) as f:
        exec_start = re.search(r"^ExecStart=(.*)$", f.read(), re.M).group(1)
    instance = want[len("heartbeat-fence@"):-len(".service")]
    argv = exec_start.replace("%i", instance).split()
    argv[0] = argv[0].replace(HOOK_INSTALLED, os.path.join(FENCING, "heartbeat-fence"))
    r = subprocess.run(argv, env={"PATH": os.environ["PATH"], "HEARTBEAT_FENCE_CONF": conf},
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    log = read(f"{work}/fence.log")
    print(f"# hook log: {log.strip()}")
    assert (f"seq={ev['HEARTBEAT_SEQ']} netns={ev['HEARTBEAT_NETNS']} node=3 cluster=1 "
            f"event=state state=dead origin=configured: dry run: would run "
            f"{work}/fence-node state 3 1 dead") in log
    assert not read(f"{work}/fenced"), "a dry run ran the action"
    assert wait_for(c.all_alive, 5)


def test_run_rule_calls_the_hook_from_udevd(setup):
    c, work = setup
    ev, _ = fence_event(work, "90-heartbeat-run.rules", 0, "ud2", 2)
    seq = ev["HEARTBEAT_SEQ"]
    fenced = wait_for(lambda: f"state 2 1 dead seq={seq}" in read(f"{work}/fenced"), 5)
    log = read(f"{work}/fence.log")
    print(f"# hook log: {log.strip().splitlines()[-1] if log.strip() else ''}")
    assert fenced, read(f"{work}/fenced")
    assert (f"seq={seq} netns={ev['HEARTBEAT_NETNS']} node=2 cluster=1 event=state "
            f"state=dead origin=configured: ran {work}/fence-node state 2 1 dead: exit 0") in log
    # Other transitions (suspect, alive) do not reach the hook.
    lines = read(f"{work}/fenced").splitlines()
    assert all(re.fullmatch(r"state \d+ 1 dead seq=\d+", l) for l in lines), lines
    assert wait_for(c.all_alive, 5)
