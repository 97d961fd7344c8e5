# SPDX-License-Identifier: GPL-2.0-only
"""Partitions and the cluster view: with quorum set, only a quorate side
declares deaths, by consensus, and only its verdicts are fenced.

Hosts are namespaces on one bridge; a partition moves some of them to a
second bridge in the switch namespace. Every uevent of every host is
handed, in order, to the shipped fencing hook (its udev RUN+= mode: the
event in the environment) with an action that logs "HOST fenced NODE":
that log says who fenced whom."""
import os
import subprocess
import tempfile
import time

import pytest

import hbgenl as g
from conftest import timing_scale
from hbcluster import HB_TOP, Cluster, UeventListener, drop_frames_from, ip_batch, sh, wait_for

INTERVAL_MS = round(timing_scale(20))
FALL = 3
SLACK_MS = 3 * INTERVAL_MS	# TCG stalls: no false verdicts in a healthy cluster
BOUND_MS = FALL * INTERVAL_MS + SLACK_MS
# The consensus waits for reports made a deadline after our last frame: a
# few intervals more than the local verdict, and TCG's noise on top.
CONSENSUS_MS = BOUND_MS + 4 * INTERVAL_MS + timing_scale(400)
HOOK = os.path.join(HB_TOP, "tools/fencing/heartbeat-fence")


def quorum_cluster(n, prefix, expected=None, tie_breaker=None):
    """n hosts, each configured with all the others, quorum on."""
    c = Cluster(n, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{SLACK_MS}ms",
                prefix=prefix)
    payload = g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], expected or n)
    if tie_breaker is not None:
        payload += g.u8(g.C["HEARTBEAT_A_QUORUM_TIE_BREAKER"], tie_breaker)
    for i, host in enumerate(c.hosts, 1):
        genl, _ = c.genl(host)
        for j in range(1, n + 1):
            if j != i:
                genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
        genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"], payload)
        genl.close()
    c.fence = Fencing(c)
    assert wait_for(c.all_alive, 10), "cluster did not converge"
    assert wait_for(lambda: all(quorum(c, h)["votes"] == n for h in c.hosts), 5)
    return c


def quorum(c, host):
    return c.hbj(host, "quorum", "show")


def split(c, group, bridge="br1"):
    """Move the hosts numbered in group to a bridge of their own."""
    ip_batch([f"link add {bridge} type bridge", f"link set {bridge} up"]
             + [f"link set port{i} master {bridge}" for i in group], c.switch)
    return time.time_ns()


def heal(c, group, bridge="br1"):
    ip_batch([f"link set port{i} master br0" for i in group] + [f"link del {bridge}"],
             c.switch)
    return time.time_ns()


class Fencing:
    """Every host's uevents, and the fencing hook run over them."""

    def __init__(self, c):
        self.c = c
        self.dir = tempfile.mkdtemp(dir="/tmp", prefix="hbfence.")
        self.log = os.path.join(self.dir, "fenced")
        action = os.path.join(self.dir, "fence-node")
        with open(action, "w") as f:
            f.write(f'#!/bin/sh\necho "$HEARTBEAT_LOCAL_NODE fenced $2 ($1 $4)" >> {self.log}\n')
        os.chmod(action, 0o755)
        self.conf = os.path.join(self.dir, "fence.conf")
        with open(self.conf, "w") as f:
            f.write(f"FENCE_ACTION={action}\nDRY_RUN=0\nFENCE_LOG={self.dir}/hook.log\n"
                    f"FENCE_LOCK={self.dir}/lock\n")
        os.chmod(self.conf, 0o644)
        self.listeners = {h: UeventListener(h) for h in c.hosts}
        self.done = {h: 0 for h in c.hosts}
        time.sleep(0.3)

    def run_hook(self, hosts=None):
        """The hook, once per uevent not yet handed to it, host by host."""
        for host, lis in self.listeners.items():
            if hosts is not None and host not in hosts:
                continue
            with lis.lock:
                events = lis.items[self.done[host]:]
                self.done[host] = len(lis.items)
            for ev in events:
                # What 90-heartbeat-run.rules hands to the hook.
                if not (ev.get("HEARTBEAT_EVENT") == "restart" or
                        (ev.get("HEARTBEAT_EVENT") == "state" and
                         ev.get("HEARTBEAT_STATE") == "dead")):
                    continue
                env = {"PATH": os.environ["PATH"], "HEARTBEAT_FENCE_CONF": self.conf}
                env.update({k: v for k, v in ev.items() if k.startswith("HEARTBEAT_")})
                subprocess.run([HOOK], env=env, check=True, timeout=20)

    def fenced(self, hosts=None):
        """(fencing host id, fenced node id) pairs, in the order done."""
        self.run_hook(hosts)
        try:
            with open(self.log) as f:
                return [tuple(int(w) for w in line.split()[0:3:2]) for line in f]
        except FileNotFoundError:
            return []

    def hook_log(self):
        try:
            with open(os.path.join(self.dir, "hook.log")) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def events(self, host, after=0, **want):
        return self.listeners[host].find(after, **want)

    def stop(self):
        for lis in self.listeners.values():
            lis.stop()


@pytest.fixture
def five():
    c = quorum_cluster(5, "pq")
    yield c
    c.fence.stop()
    c.close()


def test_three_two_split_majority_fences_the_two_once(five):
    c = five
    t = split(c, [4, 5])
    majority, minority = c.hosts[:3], c.hosts[3:]
    for host in majority:
        for node in (4, 5):
            got = c.fence.listeners[host].wait(CONSENSUS_MS / 1000 + 5, after=t,
                                               HEARTBEAT_NODE=node, HEARTBEAT_STATE="dead")
            assert got, f"{host} never declared {node} dead"
            ev = got[0]
            assert ev["HEARTBEAT_CONSENSUS"] == "1" and ev["HEARTBEAT_QUORATE"] == "1", ev
            took = (int(ev["HEARTBEAT_TIME_NS"]) - t) / 1e6
            print(f"# {host}: {node} dead by consensus {took:.0f} ms after the cut "
                  f"(local bound {BOUND_MS} ms)")
            assert took <= CONSENSUS_MS, (host, node, took)
    for host in minority:
        assert wait_for(lambda: not quorum(c, host)["quorate"], 5), f"{host} kept quorum"
        q = c.fence.events(host, after=t, HEARTBEAT_EVENT="quorum", HEARTBEAT_QUORATE=0)
        assert q, f"{host}: no quorum-lost uevent"
        assert int(q[0]["HEARTBEAT_EXPECTED_VOTES"]) == 5
    time.sleep(CONSENSUS_MS / 1000 + 1)
    for host in minority:
        assert not c.fence.events(host, after=t, HEARTBEAT_STATE="dead"), \
            f"{host}, without quorum, declared someone dead"
        states = c.states(host)
        assert all(states[n] in ("suspect", "unreachable") for n in (1, 2, 3)), states
    for host in majority:
        assert quorum(c, host)["quorate"]
        peer = c.peers(host)[4]
        assert peer["state"] == "dead" and peer["consensus"] is True, peer
    fenced = c.fence.fenced()
    print(f"# fenced: {fenced}")
    assert sorted(fenced) == [(h, n) for h in (1, 2, 3) for n in (4, 5)], c.fence.hook_log()

    t = heal(c, [4, 5])
    assert wait_for(c.all_alive, 10), "not all alive after the heal"
    for host in minority:
        assert wait_for(lambda: quorum(c, host)["quorate"], 5), f"{host}: quorum not back"
    time.sleep(1)
    assert len(c.fence.fenced()) == 6, "fenced after the heal"


def test_one_way_loss_is_unreachable_and_nobody_declares_it_dead(five):
    c = five
    mac = subprocess.run(["ip", "-n", "pq3", "-br", "link", "show", "eth0"], text=True,
                         capture_output=True, check=True).stdout.split()[2]
    t = time.time_ns()
    drop_frames_from("pq1", mac)
    got = c.fence.listeners["pq1"].wait(CONSENSUS_MS / 1000 + 5, after=t, HEARTBEAT_NODE=3,
                                       HEARTBEAT_STATE="unreachable")
    assert got, "pq1 never reported 3 unreachable"
    peer = c.peers("pq1")[3]
    assert peer["state"] == "unreachable" and peer["local_state"] == "dead", peer
    assert {2, 4, 5} <= set(peer["heard_by"]), peer
    time.sleep(CONSENSUS_MS / 1000 + 1)
    for host in c.hosts:
        assert not c.fence.events(host, after=t, HEARTBEAT_STATE="dead"), host
    assert c.states("pq1")[3] == "unreachable"
    assert all(c.states(h)[3] == "alive" for h in ("pq2", "pq4", "pq5"))
    assert not c.fence.fenced(), c.fence.hook_log()
    sh("ip netns exec pq1 tc qdisc del dev eth0 ingress")
    assert wait_for(lambda: c.states("pq1")[3] == "alive", 5)


def test_two_two_split_tie_breaker_lowest_one_side_only():
    c = quorum_cluster(4, "pt", tie_breaker=g.C["HEARTBEAT_TIE_BREAKER_LOWEST"])
    try:
        t = split(c, [3, 4])
        for host, others in (("pt1", (3, 4)), ("pt2", (3, 4))):
            for node in others:
                got = c.fence.listeners[host].wait(CONSENSUS_MS / 1000 + 5, after=t,
                                                   HEARTBEAT_NODE=node,
                                                   HEARTBEAT_STATE="dead")
                assert got and got[0]["HEARTBEAT_CONSENSUS"] == "1", (host, node)
        time.sleep(1)
        quorate = {h: quorum(c, h)["quorate"] for h in c.hosts}
        assert quorate == {"pt1": True, "pt2": True, "pt3": False, "pt4": False}, quorate
        for host in ("pt3", "pt4"):
            assert not c.fence.events(host, after=t, HEARTBEAT_STATE="dead"), host
        assert sorted(c.fence.fenced()) == [(1, 3), (1, 4), (2, 3), (2, 4)]
        heal(c, [3, 4])
        assert wait_for(c.all_alive, 10)
    finally:
        c.fence.stop()
        c.close()
