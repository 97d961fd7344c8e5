# SPDX-License-Identifier: GPL-2.0-only
"""Churn with quorum on: a partition that comes and goes for a minute,
restarts of some and of all members with new incarnations, and a cluster
of 64 members whose views converge through gossip. Helpers, and the way the
fencing hook's log is kept, are test_partition.py's."""
import random
import time

import pytest

import hbgenl as g
from hbcluster import Cluster, UeventListener, ip_batch, sh, wait_for
from test_partition import (FALL, INTERVAL_MS, SLACK_MS, heal, quorum, quorum_cluster,
                            split)


@pytest.fixture
def five():
    c = quorum_cluster(5, "pc")
    yield c
    c.fence.stop()
    c.close()


def test_flapping_partition_never_fences_from_the_minority(five):
    """Split 3|2 and heal again and again for a minute, for 2 to 20
    intervals each time: the two never declare a death nor fence."""
    c = five
    rnd = random.Random(15)
    t = time.time_ns()
    end = time.monotonic() + 60
    splits = 0
    while time.monotonic() < end:
        split(c, [4, 5])
        splits += 1
        time.sleep(rnd.uniform(2, 20) * INTERVAL_MS / 1000)
        heal(c, [4, 5])
        time.sleep(rnd.uniform(2, 20) * INTERVAL_MS / 1000)
    assert wait_for(c.all_alive, 10)
    fenced = c.fence.fenced()
    by_minority = [f for f in fenced if f[0] in (4, 5)]
    print(f"# {splits} splits in 60 s; fenced {len(fenced)} times, "
          f"{len(by_minority)} by the minority")
    assert not by_minority, c.fence.hook_log()
    for host in ("pc4", "pc5"):
        dead = c.fence.events(host, after=t, HEARTBEAT_STATE="dead")
        assert all(e.get("HEARTBEAT_CONSENSUS") == "1" for e in dead), dead
        assert not [e for e in dead if e["HEARTBEAT_NODE"] in ("1", "2", "3")], dead
    # Whatever the majority fenced, it fenced with quorum and consensus.
    assert all(f[0] in (1, 2, 3) and f[1] in (4, 5) for f in fenced), fenced


def restart(c, hosts, crash=True):
    """New instances (new incarnations) for hosts, configured as before:
    deleted namespaces say goodbye unless cut off first (crash)."""
    for host in hosts:
        if crash:
            sh(f"ip netns exec {host} tc qdisc add dev eth0 root netem loss 100%")
    ip_batch([f"netns del {h}" for h in hosts])
    n = len(c.hosts)
    for host in hosts:
        i = c.hosts.index(host) + 1
        c.add_host(host, i)
        genl, ifindex = c.genl(host)
        genl.node_set(g.u32(g.A_NODE_ID, i) + g.u32(g.A_NODE_CLUSTER, 1)
                      + g.u32(g.A_NODE_INTERVAL_US, INTERVAL_MS * 1000)
                      + g.u32(g.A_NODE_FALL, FALL) + g.u32(g.A_NODE_RISE, 2)
                      + g.u32(g.C["HEARTBEAT_A_NODE_SLACK_US"], SLACK_MS * 1000))
        for j in range(1, n + 1):
            if j != i:
                genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
        genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"],
                g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], n))
        genl.do(g.C["HEARTBEAT_CMD_LINK_ADD"], g.u32(g.C["HEARTBEAT_A_LINK_IFINDEX"], ifindex))
        genl.close()
        c.fence.listeners[host].stop()
        c.fence.listeners[host] = UeventListener(host)
        c.fence.done[host] = 0


def test_mass_restart_with_new_incarnations(five):
    c = five
    before = {h: c.hbj(h, "node", "show")["incarnation"] for h in c.hosts}
    # Two crash and come back: the three declare them dead once, by
    # consensus, then hear their new incarnations.
    t = time.time_ns()
    restart(c, ["pc4", "pc5"])
    assert wait_for(c.all_alive, 15), "the restarted pair is not alive again"
    fenced = c.fence.fenced()
    assert sorted(set(f for f in fenced)) == [(h, n) for h in (1, 2, 3) for n in (4, 5)], fenced
    for host in c.hosts[:3]:
        for node in (4, 5):
            assert c.fence.events(host, after=t, HEARTBEAT_NODE=node, HEARTBEAT_EVENT="restart"), \
                (host, node)
    # All five at once: nobody holds a quorum in between, nobody fences.
    count = len(fenced)
    restart(c, c.hosts)
    assert wait_for(c.all_alive, 20), "the cluster did not come back"
    assert wait_for(lambda: all(quorum(c, h)["quorate"] for h in c.hosts), 10)
    after = {h: c.hbj(h, "node", "show")["incarnation"] for h in c.hosts}
    assert all(after[h] != before[h] for h in c.hosts)
    for host in c.hosts:
        peers = c.peers(host)
        for i, other in enumerate(c.hosts, 1):
            if other != host:
                assert peers[i]["incarnation"] == after[other]
    time.sleep(1)
    assert len(c.fence.fenced()) == count, c.fence.hook_log()


def test_64_members_converge_through_gossip():
    """64 members at 100 ms, each configured with the other 63: once every
    member hears every other, each one's reports about all 63 reach every
    member within a rotation (two frames of 32 entries) and the standing
    time of a report; every member then counts 64 votes."""
    n, interval_ms = 64, 100
    c = Cluster(n, interval=f"{interval_ms}ms", fall=FALL, slack=f"{3 * interval_ms}ms",
                prefix="pm")
    try:
        for i, host in enumerate(c.hosts, 1):
            genl, _ = c.genl(host)
            for j in range(1, n + 1):
                if j != i:
                    genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
            genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"],
                    g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], n))
            genl.close()
        sample = c.hosts[::16]

        def all_alive():
            return all(all(p["state"] == "alive" for p in c.peers(h).values())
                       for h in sample)

        assert wait_for(all_alive, 60), "64 members never all alive"
        t = time.monotonic()
        # Each peer is heard by the other 62; a peer keeps 32 reports.
        full = min(32, n - 2)

        def converged():
            return all(len(p["heard_by"]) >= full for h in sample
                       for p in c.peers(h).values())

        assert wait_for(converged, 30), "views did not converge"
        took = time.monotonic() - t
        rounds = took * 1000 / interval_ms
        print(f"# 64 members: full views {took * 1000:.0f} ms ({rounds:.1f} intervals) "
              f"after all were alive")
        # Rotation (2 frames) + a frame in flight + the hbctl reads under TCG.
        assert rounds <= 3 + 10, rounds
        assert wait_for(lambda: all(quorum(c, h)["votes"] == n and quorum(c, h)["quorate"]
                                    for h in sample), 10)
        gossip = c.stats(sample[0])
        assert gossip["gossip_tx"] > 0 and gossip["gossip_rx"] > 0, gossip
    finally:
        c.close()
