# SPDX-License-Identifier: GPL-2.0-only
"""Configuration that survives a reboot (Documentation/admin-guide.rst):
three hosts configured by hbctl commands (keys and signed frames, peers,
quorum, min-links over two networks, a readiness gate) print their
configuration with showconf; the module is unloaded, every node forgets
everything; heartbeat.service's commands, read from the unit itself, load
it again and apply the files: each node is as it was, its peers alive and
its partition quorate. setconf is all or nothing: a file whose fourth
change the kernel refuses leaves the node exactly as it was and names the
line. A reload applies only what changed: a peer that stays sees no event.

The hosts are network namespaces sharing one module, so "reboot" is one
unload and one load for all three; systemd itself is not the VM's init,
so the unit's command lines are run as systemd would, in order."""
import os
import re
import shlex
import shutil
import subprocess
import time

import pytest

from conftest import HB_MODULE, module_loaded, timing_scale
from hbcluster import HBCTL, HB_TOP, Cluster, wait_for

UNIT = os.path.join(HB_TOP, "tools/systemd/heartbeat.service")
UNIT_CONF = "/etc/heartbeat/heartbeat.conf"
INTERVAL_MS = round(timing_scale(50))
FALL = 3
SLACK_MS = 3 * INTERVAL_MS	# TCG stalls: no false suspect
KEYDIR = "/tmp/hbcfg-keys"	# /tmp is the VM's tmpfs
CONFDIR = "/tmp/hbcfg"


def unit_commands(kinds):
    """The unit's command lines of these kinds (ExecStartPre, ExecStart,
    ExecReload), in file order, as argument lists."""
    cmds = []
    with open(UNIT) as f:
        for line in f:
            m = re.match(r"^(Exec\w+)=(.*)$", line.strip())
            if m and m.group(1) in kinds:
                cmds.append(shlex.split(m.group(2)))
    return cmds


def localize(argv, conf):
    """A unit command for this tree in the VM: the module under test is
    insmod'ed (it is not installed), hbctl is the one built here, and the
    configuration file is the host's."""
    if os.path.basename(argv[0]) == "modprobe":
        return ["insmod", HB_MODULE]
    argv = [HBCTL if a == "/usr/sbin/hbctl" else a for a in argv]
    return [conf if a == UNIT_CONF else a for a in argv]


def run_in(host, argv):
    return subprocess.run(["ip", "netns", "exec", host] + argv,
                          capture_output=True, text=True)


def configure(c):
    """Everything a node of the admin guide's cluster has, by commands."""
    os.makedirs(KEYDIR, exist_ok=True)
    key = os.path.join(KEYDIR, "1")
    with open(key, "wb") as f:
        f.write(b"a shared secret of 32 bytes.....")
    os.chmod(key, 0o600)
    for i, h in enumerate(c.hosts, 1):
        c.hb(h, "key", "add", "id", "1", "secret-file", key)
        c.hb(h, "node", "set", "auth", "required", "auth-key", "1", "learn", "off",
             "min-links", "2", "last-words", "reboot", "gossip", "4")
        for j in range(1, len(c.hosts) + 1):
            if j != i:
                c.hb(h, "peer", "add", "id", str(j), "dev", "eth0")
        c.hb(h, "quorum", "set", "expected-votes", "3", "tie-breaker", "lowest")
        c.hb(h, "app", "add", "db", "timeout", "3600s", "action", "notready")


def quorate(c):
    return all(c.hbj(h, "quorum", "show")["quorate"] for h in c.hosts)


def settled(c):
    return c.all_alive() and quorate(c)


def showconf(c, host):
    return c.hb(host, "showconf", "keydir", KEYDIR).stdout


@pytest.fixture
def c():
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{SLACK_MS}ms",
                prefix="cf")
    try:
        c.add_network("eth1", "br1")
        configure(c)
        assert wait_for(lambda: settled(c), 15), {h: c.peers(h) for h in c.hosts}
        os.makedirs(CONFDIR, exist_ok=True)
        yield c
    finally:
        c.close()
        shutil.rmtree(KEYDIR, ignore_errors=True)
        shutil.rmtree(CONFDIR, ignore_errors=True)
        if not module_loaded():
            subprocess.run(["insmod", HB_MODULE], check=True)


def test_a_cluster_survives_its_reboot(c):
    files = {}
    for i, h in enumerate(c.hosts, 1):
        text = showconf(c, h)
        # what was configured is there, as a line
        for line in (f"key add id 1 secret-file {KEYDIR}/1",
                     "link add dev eth0 mode multicast",
                     "link add dev eth1 mode multicast",
                     "app add db timeout 3600s action notready",
                     "quorum set expected-votes 3 tie-breaker lowest wait-for-all off"):
            assert line in text.splitlines(), (line, text)
        for j in range(1, 4):
            if j != i:
                assert f"peer add id {j} dev eth0" in text.splitlines(), text
        for setting in (f"id {i} ", "auth required", "auth-key 1", "min-links 2",
                        "learn off", "last-words reboot", f"interval {INTERVAL_MS}ms"):
            assert setting in text, (setting, text)
        files[h] = os.path.join(CONFDIR, f"{h}.conf")
        with open(files[h], "w") as f:
            f.write(text)

    r = subprocess.run(["rmmod", "heartbeat"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not module_loaded()

    # The unit's start, as systemd runs it: the module once (the hosts
    # share it), then each host's check and setconf.
    loaded = False
    for argv in unit_commands(("ExecStartPre", "ExecStart")):
        for h in c.hosts:
            cmd = localize(argv, files[h])
            if cmd[0] == "insmod":
                if not loaded:
                    subprocess.run(cmd, check=True)
                    loaded = True
                continue
            r = run_in(h, cmd)
            assert r.returncode == 0, (h, cmd, r.stderr)
    assert loaded and module_loaded()
    # a fresh module: every node starts anew, from its file alone
    assert wait_for(lambda: settled(c), 15), {h: c.peers(h) for h in c.hosts}
    for h in c.hosts:
        assert showconf(c, h) == open(files[h]).read(), h


def test_setconf_is_all_or_nothing(c):
    h = "cf1"
    before = showconf(c, h)
    lines = before.splitlines()
    # four changes: fall, peer 3 gone, the gate's timeout, a new peer 7
    # whose MAC the kernel refuses (a multicast address; the parser takes
    # any MAC) - the first three are done when the fourth is refused
    changed = [re.sub(r"\bfall \d+", "fall 5", l) for l in lines
               if l != "peer add id 3 dev eth0"]
    changed = [l.replace("timeout 3600s", "timeout 60s") for l in changed]
    changed.append("peer add id 7 mac 01:00:5e:00:00:07")
    bad = os.path.join(CONFDIR, "bad.conf")
    with open(bad, "w") as f:
        f.write("\n".join(changed) + "\n")

    r = c.hb(h, "setconf", bad, check=False)
    assert r.returncode == 2, r
    assert (f"{bad}:{len(changed)}: Error: mac: not a unicast MAC address"
            " (refused: mac 01:00:5e:00:00:07).") in r.stderr, r.stderr
    assert "the running configuration is as it was (3 changes undone)" in r.stderr, r.stderr
    assert showconf(c, h) == before
    assert wait_for(lambda: settled(c), 15), c.peers(h)

    # a peer with the node's own id: the parser's to catch, nothing sent
    with open(bad, "w") as f:
        f.write(before + "peer add id 1\n")
    r = c.hb(h, "setconf", bad, check=False)
    assert r.returncode == 1, r
    assert f"{bad}:{len(lines) + 1}: Error: peer 1 has this node's own id." in r.stderr
    assert showconf(c, h) == before


def test_reload_applies_only_the_difference(c):
    h = "cf1"
    before = showconf(c, h)
    conf = os.path.join(CONFDIR, f"{h}.conf")
    # fall 3 -> 4, peer 3 forgotten; peer 2 stays as it is
    after = "".join(re.sub(r"\bfall \d+", "fall 4", l) + "\n"
                    for l in before.splitlines() if l != "peer add id 3 dev eth0")
    with open(conf, "w") as f:
        f.write(after)
    mon = c.monitor(h)
    start = time.time_ns()
    (reload,) = unit_commands(("ExecReload",))
    r = run_in(h, localize(reload, conf))
    assert r.returncode == 0, r.stderr
    assert showconf(c, h) == after
    time.sleep(timing_scale(1.0))
    peer_events = [e for e in mon.find(after=start) if e.get("id") == 2]
    assert peer_events == [], peer_events
    peers = c.peers(h)
    assert 3 not in peers and peers[2]["state"] == "alive", peers
    # once more: nothing differs, nothing is sent, nothing happens
    r = run_in(h, localize(reload, conf))
    assert r.returncode == 0, r.stderr
    assert showconf(c, h) == after
