# SPDX-License-Identifier: GPL-2.0-only
"""Churn with quorum on: a partition that comes and goes for a minute,
restarts of some and of all members with new incarnations, and a cluster
of 64 members whose views converge through gossip. Helpers, and the way the
fencing hook's log is kept, are test_partition.py's."""
import random
import time

import pytest

import hbgenl as g
from hbcluster import UeventListener, ip_batch, wait_for
from test_partition import (FALL, INTERVAL_MS, SLACK_MS, heal, quorum, quorum_cluster,
                            split)


@pytest.fixture
def five():
    c = quorum_cluster(5, "pc")
    yield c
    c.fence.stop()
    c.close()


# Two thirds of the minute it was until make check outgrew its time (60 s
# gave 65 to 85 splits a run).
FLAP_S = 40


def test_flapping_partition_never_fences_from_the_minority(five):
    """Split 3|2 and heal again and again for FLAP_S, for 2 to 20
    intervals each time: the two never declare a death nor fence."""
    c = five
    rnd = random.Random(15)
    t = time.time_ns()
    end = time.monotonic() + FLAP_S
    splits = 0
    while time.monotonic() < end:
        split(c, [4, 5])
        splits += 1
        time.sleep(rnd.uniform(2, 20) * INTERVAL_MS / 1000)
        heal(c, [4, 5])
        time.sleep(rnd.uniform(2, 20) * INTERVAL_MS / 1000)
    assert wait_for(c.all_alive, 10)
    # The hook over the minority's events (the majority's deaths are its
    # to declare: they are checked from their uevents below).
    fenced = c.fence.fenced(["pc4", "pc5"])
    dead = {h: c.fence.events(h, after=t, HEARTBEAT_STATE="dead") for h in c.hosts}
    print(f"# {splits} splits in {FLAP_S} s; dead verdicts: "
          + ", ".join(f"{h} {len(d)}" for h, d in dead.items())
          + f"; fenced by the minority: {len(fenced)}")
    assert not fenced, c.fence.hook_log()
    assert not dead["pc4"] and not dead["pc5"], dead
    for host in ("pc1", "pc2", "pc3"):
        assert all(e["HEARTBEAT_CONSENSUS"] == "1" and e["HEARTBEAT_QUORATE"] == "1"
                   and e["HEARTBEAT_NODE"] in ("4", "5") for e in dead[host]), dead[host]


def restart(c, hosts):
    """A crash and a restart of hosts: new instances (new incarnations),
    configured as before. Their switch ports go first, so no goodbye
    reaches anyone, and a port's name is free again at once (a deleted
    namespace is freed in the background)."""
    ip_batch([f"link del port{c.hosts.index(h) + 1}" for h in hosts], c.switch)
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
