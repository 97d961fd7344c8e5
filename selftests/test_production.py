# SPDX-License-Identifier: GPL-2.0-only
"""The admin guide's chapter "A 3-node production cluster", followed step
by step: its marked command blocks are read from
Documentation/admin-guide.rst and run, in order, on three network
namespaces that stand for node1, node2 and node3 (each with its own host
name) and a fourth for the switches between them; after each step this
test checks what the chapter says it achieves.

The hardware is this test's: on each node eth1 and eth2 are cabled to two
bridges joined by an inter-switch link, eth3 to a third. The chapter's
commands run unchanged except for paths: the VM's root is the host's, so
/etc, /usr/local, /var/lib and the BMC's fence agent of each node are moved
into a scratch directory of its own (PATHS), the installed hook is the
tree's, and "systemctl enable heartbeat.service" is what the "reboot" step
does: unload the module, load it, run the unit's commands on each node."""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import pytest
import yaml

import promparse

from conftest import HB_MODULE, module_loaded, timing_scale
from hbcluster import HBCTL, HB_TOP, UeventListener, wait_for

GUIDE = os.path.join(HB_TOP, "Documentation/admin-guide.rst")
CHAPTER = "A 3-node production cluster"
UNIT = os.path.join(HB_TOP, "tools/systemd/heartbeat.service")
RULE = os.path.join(HB_TOP, "tools/fencing/90-heartbeat.rules")
HOOK = os.path.join(HB_TOP, "tools/fencing/heartbeat-fence")
NODES = ("node1", "node2", "node3")
SWITCH = "prodsw"
NETNS = {n: "prod" + n[-1] for n in NODES}
CONVERGE_S = timing_scale(10)
# Paths of the chapter, each node's own here: the prefix a node's scratch
# directory takes, or (for the hook) the tree's file.
PATHS = ("/etc/heartbeat", "/usr/local/sbin", "/var/lib/prometheus", "/usr/sbin/fence_ipmilan")


def chapter_blocks():
    """The chapter's code blocks as (class, text), in order: those marked
    with a class "production-TARGET" (a code-block option)."""
    with open(GUIDE) as f:
        lines = f.read().split("\n")
    start = lines.index(CHAPTER)
    end = next((i for i in range(start + 2, len(lines) - 1)
                if lines[i + 1].startswith("====") and lines[i + 1].strip("=") == ""),
               len(lines))
    blocks, i = [], start
    while i < end:
        m = re.match(r"\.\. code-block:: (\w+)$", lines[i])
        if not m:
            i += 1
            continue
        opt = re.match(r"   :class: (production-[\w-]+)$", lines[i + 1])
        assert opt, f"admin-guide.rst:{i + 2}: a code block of the chapter without its class"
        i += 2
        assert lines[i] == "", f"admin-guide.rst:{i + 1}: no blank line after the options"
        body = []
        i += 1
        while i < end and (lines[i] == "" or lines[i].startswith("   ")):
            body.append(lines[i][3:])
            i += 1
        blocks.append((opt.group(1), "\n".join(body).strip("\n") + "\n"))
    return blocks


class Production:
    """The three nodes, the switches, and the chapter's blocks to run."""

    def __init__(self):
        self.blocks = chapter_blocks()
        self.ran = [False] * len(self.blocks)
        self.next = 0
        self.tmp = tempfile.mkdtemp(dir="/tmp", prefix="hbprod.")
        self.root = {n: os.path.join(self.tmp, n) for n in NODES}
        self.fenced = os.path.join(self.tmp, "fenced")
        for n in NODES:
            for d in ("etc", "usr/local", "var/lib", "usr/sbin"):
                os.makedirs(os.path.join(self.root[n], d))
            # The BMC's fence agent: says what it was asked to do.
            agent = os.path.join(self.root[n], "usr/sbin/fence_ipmilan")
            with open(agent, "w") as f:
                f.write(f'#!/bin/sh\necho "{n}: fence_ipmilan $*" >> {self.fenced}\n')
            os.chmod(agent, 0o755)
        # Few processes: under TCG each costs a good part of a second.
        for ns in [SWITCH] + list(NETNS.values()):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        sh_batch(None, [f"netns add {ns}" for ns in [SWITCH] + list(NETNS.values())]
                 + [f"link add {dev} netns {NETNS[n]} type veth peer name {dev}n{n[-1]} netns {SWITCH}"
                    for n in NODES for dev in ("eth1", "eth2", "eth3")])
        # Two switches with an inter-switch link, and a separate network.
        sh_batch(SWITCH, ["link add brA type bridge", "link add brB type bridge",
                          "link add brC type bridge",
                          "link add islA type veth peer name islB",
                          "link set islA master brA", "link set islB master brB"]
                 + [f"link set {dev}n{n[-1]} master {br}" for n in NODES
                    for dev, br in (("eth1", "brA"), ("eth2", "brB"), ("eth3", "brC"))]
                 + [f"link set {d} up" for d in ("brA", "brB", "brC", "islA", "islB", "lo")]
                 + [f"link set {dev}n{n[-1]} up" for n in NODES for dev in ("eth1", "eth2", "eth3")])
        for n in NODES:
            sh_batch(NETNS[n], ["link set lo up"])

    def localize(self, node, text):
        """The block's text with the paths moved for node (None: the
        switch), the hook the tree's."""
        text = text.replace("/usr/libexec/heartbeat/heartbeat-fence", HOOK)
        if node:
            for p in PATHS:
                text = text.replace(p, self.root[node] + p)
        return text

    def run_in(self, node, text, check=True):
        """Run shell text on node as root of that server: its namespace,
        its host name, hbctl the tree's, fence.conf its own."""
        if node is None:
            argv = ["ip", "netns", "exec", SWITCH, "sh", "-ec", self.localize(None, text)]
        else:
            argv = ["ip", "netns", "exec", NETNS[node], "unshare", "--uts", "sh", "-ec",
                    f"hostname {node}\n" + self.localize(node, text)]
        env = dict(os.environ, PATH=os.path.dirname(HBCTL) + ":" + os.environ["PATH"])
        if node:
            env["HEARTBEAT_FENCE_CONF"] = self.root[node] + "/etc/heartbeat/fence.conf"
        r = subprocess.run(argv, capture_output=True, text=True, env=env)
        if check:
            assert r.returncode == 0, f"{node or SWITCH}: exit {r.returncode}\n{text}\n{r.stdout}{r.stderr}"
        return r

    def step(self, cls):
        """Run the chapter's next block, which must be of class cls."""
        assert self.next < len(self.blocks), f"the chapter has no more blocks; wanted {cls}"
        kind, text = self.blocks[self.next]
        assert kind == cls, f"block {self.next + 1} of the chapter is {kind}, the test expects {cls}"
        # What the unit does at boot is the reboot step's.
        text = text.replace("systemctl enable heartbeat.service\n", "")
        out = []
        if cls == "production-nodes":
            out = [self.run_in(n, text).stdout for n in NODES]
        elif cls == "production-node1":
            out = [self.run_in("node1", text).stdout]
        elif cls == "production-bridge":
            out = [self.run_in(None, text).stdout]
        elif cls != "production-alerts":
            pytest.fail(f"unknown block class {cls}")
        self.ran[self.next] = True
        self.next += 1
        return text, out

    def hbj(self, node, *args):
        r = subprocess.run(["ip", "netns", "exec", NETNS[node], HBCTL, "-j"] + list(args),
                           capture_output=True, text=True, check=True)
        return json.loads(r.stdout)

    def peers(self, node):
        return {p["id"]: p for p in self.hbj(node, "peer", "show")}

    def healthy(self):
        """Every node hears the other two, alive on both channels, and is
        quorate."""
        for n in NODES:
            peers = self.peers(n)
            if sorted(peers) != sorted(int(m[-1]) for m in NODES if m != n):
                return False
            if any(p["state"] != "alive" or p.get("links_up") != 2 for p in peers.values()):
                return False
            if not self.hbj(n, "quorum", "show").get("quorate"):
                return False
        return True

    def close(self):
        for ns in [SWITCH] + list(NETNS.values()):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


def sh_batch(ns, lines):
    """ip commands in one process, in namespace ns (None: this one)."""
    subprocess.run(["ip"] + (["-n", ns] if ns else []) + ["-batch", "-"],
                   input="\n".join(lines) + "\n", text=True, check=True)


def kernel_lacks():
    """What the chapter uses that this kernel cannot do (the debug kernel of
    make check-debug is built without bonding, VLANs or nftables), or None."""
    ns = "prodprobe"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for what, argv in (("bonding", ["ip", "-n", ns, "link", "add", "b0", "type", "bond"]),
                           ("VLANs", ["ip", "-n", ns, "link", "add", "link", "b0", "name", "v0",
                                      "type", "vlan", "id", "100"]),
                           ("nftables bridge filters",
                            ["ip", "netns", "exec", ns, "nft", "add table bridge probe"])):
            if subprocess.run(argv, capture_output=True).returncode:
                return what
        return None
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


@pytest.fixture(scope="module")
def prod():
    assert shutil.which("nft"), "nft is not installed (make deps installs nftables)"
    lacks = kernel_lacks()
    if lacks:
        pytest.skip(f"this kernel has no {lacks}")
    p = Production()
    yield p
    p.close()


def test_members_table(prod):
    prod.step("production-nodes")
    for n in NODES:
        with open(prod.root[n] + "/etc/heartbeat/nodes") as f:
            rows = [l.split() for l in f if l.strip() and not l.startswith("#")]
        assert [r[:2] for r in rows] == [["1", "node1"], ["2", "node2"], ["3", "node3"]], rows


def test_bond_and_vlan(prod):
    prod.step("production-nodes")
    for n in NODES:
        ns = NETNS[n]
        bond = subprocess.run(["ip", "netns", "exec", ns, "cat", "/proc/net/bonding/bond0"],
                              capture_output=True, text=True, check=True).stdout
        assert "fault-tolerance (active-backup)" in bond, bond
        assert bond.count("Slave Interface:") == 2, bond
        vlan = json.loads(subprocess.run(["ip", "-n", ns, "-j", "-d", "link", "show", "bond0.100"],
                                         capture_output=True, text=True, check=True).stdout)[0]
        assert vlan["linkinfo"]["info_data"]["id"] == 100, vlan


def nft_counters(table="l2filter"):
    """The packet counters of the bridge filter's rules, by comment."""
    r = subprocess.run(["ip", "netns", "exec", SWITCH, "nft", "-j", "list", "table", "bridge", table],
                       capture_output=True, text=True, check=True)
    counters = {}
    for item in json.loads(r.stdout)["nftables"]:
        rule = item.get("rule")
        if rule and "comment" in rule:
            n = sum(e["counter"]["packets"] for e in rule["expr"] if "counter" in e)
            counters[rule["comment"]] = n
    return counters


def test_bridge_filter(prod):
    prod.step("production-bridge")
    c = nft_counters()
    assert set(c) == {"heartbeat", "heartbeat, VLAN", "dropped: any other EtherType"}, c


def test_membership(prod):
    prod.step("production-node1")     # the key
    # The chapter copies the key with scp: here, a copy.
    for n in NODES[1:]:
        os.makedirs(prod.root[n] + "/etc/heartbeat/keys", mode=0o700)
        dst = prod.root[n] + "/etc/heartbeat/keys/1"
        shutil.copyfile(prod.root["node1"] + "/etc/heartbeat/keys/1", dst)
        os.chmod(dst, 0o600)
    prod.step("production-nodes")
    assert wait_for(prod.healthy, CONVERGE_S, step=0.3), {n: prod.peers(n) for n in NODES}
    for n in NODES:
        node = prod.hbj(n, "node", "show")
        assert node["id"] == int(n[-1]) and node["cluster"] == 42, node
    _, out = prod.step("production-node1")    # hbctl peer show, hbctl quorum
    assert re.search(r"^2 .*alive.*  links bond0\.100,eth3\b", out[0], re.M), out
    assert re.search(r"^3 .*alive.*  links bond0\.100,eth3\b", out[0], re.M), out
    assert re.search(r"^quorate yes  votes 3  expected-votes 3 ", out[0], re.M), out


def test_filter_passes_heartbeats_and_drops_the_rest(prod):
    before = nft_counters()
    assert before["heartbeat"] > 0 and before["heartbeat, VLAN"] > 0, before
    # A frame of an EtherType no rule accepts, from node1 on each network.
    send = ("import socket, sys\n"
            "for dev in ('eth3', 'bond0'):\n"
            "    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
            "    s.bind((dev, 0))\n"
            "    s.send(b'\\xff' * 6 + s.getsockname()[4] + b'\\x88\\xb6' + b'\\0' * 46)\n")
    subprocess.run(["ip", "netns", "exec", NETNS["node1"], "/usr/bin/python3", "-c", send],
                   check=True)
    assert wait_for(lambda: nft_counters()["dropped: any other EtherType"]
                    >= before["dropped: any other EtherType"] + 2, 5), nft_counters()


def unit_commands(kinds):
    cmds = []
    with open(UNIT) as f:
        for line in f:
            m = re.match(r"^(Exec\w+)=(.*)$", line.strip())
            if m and m.group(1) in kinds:
                cmds.append(shlex.split(m.group(2)))
    return cmds


def test_persistence_across_a_reboot(prod):
    prod.step("production-nodes")
    for n in NODES:
        assert os.path.getsize(prod.root[n] + "/etc/heartbeat/heartbeat.conf") > 0
    # The reboot: every node forgets everything, then the unit runs on each.
    r = subprocess.run(["rmmod", "heartbeat"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not module_loaded()
    try:
        for n in NODES:
            for argv in unit_commands(("ExecStartPre", "ExecStart")):
                if os.path.basename(argv[0]) == "modprobe":
                    if not module_loaded():
                        subprocess.run(["insmod", HB_MODULE], check=True)
                    continue
                text = " ".join(shlex.quote(HBCTL if a == "/usr/sbin/hbctl" else a)
                                for a in argv)
                prod.run_in(n, text + "\n")
    finally:
        if not module_loaded():
            subprocess.run(["insmod", HB_MODULE], check=True)
    assert wait_for(prod.healthy, CONVERGE_S, step=0.3), {n: prod.peers(n) for n in NODES}


def test_fencing_dry_run(prod):
    prod.step("production-nodes")      # fence-node and fence.conf
    _, out = prod.step("production-node1")    # the hook by hand, dry run
    assert re.search(r"node=3 cluster=42 event=state state=dead origin=configured quorate=1 consensus=1: "
                     r"dry run: would run \S+/usr/local/sbin/fence-node state 3 42 dead", out[0]), out
    assert not os.path.exists(prod.fenced)
    prod.step("production-nodes")      # DRY_RUN=0
    for n in NODES:
        with open(prod.root[n] + "/etc/heartbeat/fence.conf") as f:
            assert "DRY_RUN=0\n" in f.read()


def test_monitoring(prod):
    prod.step("production-nodes")
    text, _ = prod.step("production-alerts")
    rules = yaml.safe_load(text)["groups"][0]["rules"]
    metrics = set()
    for n in NODES:
        with open(prod.root[n] + "/var/lib/prometheus/node-exporter/heartbeat.prom") as f:
            prom = f.read()
        families = promparse.parse(prom)
        up = {labels["peer"]: value for _, labels, value in families["heartbeat_peer_up"]["samples"]}
        assert up == {m[-1]: 1 for m in NODES if m != n}, up
        assert [v for _, _, v in families["heartbeat_quorate"]["samples"]] == [1], prom
        metrics |= set(families)
    # Every heartbeat metric an alert names is one hbctl prints.
    named = {m for r in rules for m in re.findall(r"\bheartbeat_\w+", r["expr"])}
    assert named and named <= metrics, named - metrics


def test_node_cut_off_is_fenced_by_consensus(prod):
    listener = UeventListener(NETNS["node1"])
    try:
        t = time.time_ns()
        for dev in ("eth1", "eth2", "eth3"):
            sh(f"ip -n {SWITCH} link set {dev}n3 down")
        got = listener.wait(timing_scale(10), after=t, HEARTBEAT_NODE=3,
                            HEARTBEAT_STATE="dead", HEARTBEAT_CONSENSUS=1)
        assert got, listener.find(after=t)
        ev = got[0]
    finally:
        listener.stop()
    # The unit 90-heartbeat.rules asks systemd for, and what it runs.
    with open(RULE) as f:
        want = re.search(r'SYSTEMD_WANTS\}="heartbeat-fence@(\S+)\.service"', f.read()).group(1)
    instance = re.sub(r"%E\{(\w+)\}", lambda m: ev.get(m.group(1), ""), want)
    with open(os.path.join(HB_TOP, "tools/fencing/heartbeat-fence@.service")) as f:
        exec_start = re.search(r"^ExecStart=(.*)$", f.read(), re.M).group(1)
    prod.run_in("node1", exec_start.replace("%i", shlex.quote(instance)) + "\n")
    with open(prod.fenced) as f:
        fenced = f.read()
    assert re.fullmatch(r"node1: fence_ipmilan --lanplus --ip=10\.0\.0\.103 --username=fence "
                        r"--password-script=\S+/etc/heartbeat/bmc-password --action=off\n",
                        fenced), fenced
    for dev in ("eth1", "eth2", "eth3"):
        sh(f"ip -n {SWITCH} link set {dev}n3 up")


def test_every_block_ran(prod):
    missing = [i + 1 for i, ran in enumerate(prod.ran) if not ran]
    assert not missing, f"blocks of the chapter this test did not run: {missing}"
