# SPDX-License-Identifier: GPL-2.0-only
"""Several links per peer, k of n (Documentation/admin-guide.rst, "Several
networks"): three hosts on two networks (eth0 on br0, eth1 on br1) hear
each other on both; a network cut under a live peer is one `degraded`
event and uevent and no suspect; its return is another; our own carrier
loss is degraded at once; with min-links 2 a peer heard on one network
only is suspect, never dead; a link deleted or added again changes no
verdict.

A cut moves a host's port off br1: its eth1 keeps its carrier, frames go
nowhere. Bounds: a channel goes down one interval after the silence that
would make its peer dead."""
import subprocess
import time

import pytest

import hbgenl as g
from conftest import timing_scale
from hbcluster import Cluster, UeventListener, ip_batch, sh, wait_for

INTERVAL_MS = round(timing_scale(50))
FALL = 3
SLACK_MS = 3 * INTERVAL_MS	# TCG stalls: no false suspect on the surviving network
DEAD_MS = FALL * INTERVAL_MS + SLACK_MS
CHANNEL_MS = DEAD_MS + INTERVAL_MS
# Long enough for a channel to go down and the event to reach us.
SETTLE_S = (CHANNEL_MS + timing_scale(800)) / 1000
INSTANCE = "/sys/kernel/heartbeat/instance"


@pytest.fixture
def c():
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{SLACK_MS}ms",
                prefix="lk")
    c.add_network("eth1", "br1")
    c.uevents = UeventListener("lk1")
    try:
        assert wait_for(lambda: c.all_alive() and both_links(c), 10), c.peers("lk1")
        yield c
    finally:
        c.uevents.stop()
        c.close()


def both_links(c):
    return all(p.get("links_up") == 2 for h in c.hosts for p in c.peers(h).values())


def cut(c, i):
    """Host i's eth1 off its bridge: that network is cut for it alone."""
    t = time.time_ns()
    ip_batch([f"link set br1p{i} nomaster"], c.switch)
    return t


def restore(c, i):
    t = time.time_ns()
    ip_batch([f"link set br1p{i} master br1"], c.switch)
    return t


def links(c, host, peer):
    return {l["dev"]: l for l in c.peers(host)[peer]["links"]}


def test_each_peer_is_heard_on_both_networks(c):
    for host in c.hosts:
        for pid, peer in c.peers(host).items():
            assert peer["links_up"] == 2, (host, pid, peer)
            by_dev = {l["dev"]: l for l in peer["links"]}
            assert sorted(by_dev) == ["eth0", "eth1"]
            for l in by_dev.values():
                assert l["state"] == "up"
                assert 0 <= l["last_seen_us"] <= CHANNEL_MS * 1000
                assert l["link_id"] in (1, 2)
    r = c.hb("lk1", "peer", "show", "id", "2")
    assert "links eth" in r.stdout and "(down)" not in r.stdout, r.stdout
    # sysfs: the count, and a line per channel.
    out = subprocess.run(["ip", "netns", "exec", "lk1", "cat", f"{INSTANCE}/peers/3/links_up",
                          f"{INSTANCE}/peers/3/links", f"{INSTANCE}/min_links"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "2"
    assert sorted(line.split()[0:2] for line in out[1:3]) == [["eth0", "up"], ["eth1", "up"]]
    assert out[3] == "1"


def test_one_network_cut_is_one_degraded_and_no_suspect(c):
    mon = c.monitor("lk1")
    t = cut(c, 3)
    down = mon.wait(SETTLE_S + 2, t, event="degraded", id=3)
    assert down, mon.find(t)
    assert (down["link"], down["link_state"], down["links_up"], down["links"]) == \
        ("eth1", "down", 1, 2), (mon.find(t), c.peers("lk1")[3], c.stats("lk1")["drops"])
    # The event comes once the silence outlasts the channel's bound.
    assert (down["time_ns"] - t) / 1e6 >= CHANNEL_MS - INTERVAL_MS
    time.sleep(SETTLE_S)
    assert len(mon.find(t, event="degraded", id=3)) == 1, mon.find(t)
    assert not mon.find(t, event="peer-state", id=3), mon.find(t)
    assert c.states("lk1")[3] == "alive"
    eth1 = links(c, "lk1", 3)["eth1"]
    assert eth1["state"] == "down" and eth1["last_seen_us"] >= CHANNEL_MS * 1000
    assert c.peers("lk1")[3]["links_up"] == 1
    r = c.hb("lk1", "peer", "show", "id", "3")
    assert "eth1(down)" in r.stdout, r.stdout
    ue = c.uevents.wait(2, after=t, HEARTBEAT_EVENT="degraded", HEARTBEAT_NODE=3)
    assert ue and ue[0]["HEARTBEAT_LINKS_UP"] == "1" and ue[0]["HEARTBEAT_LINKS"] == "2"
    assert ue[0]["HEARTBEAT_LINK"] == "eth1" and ue[0]["HEARTBEAT_LINK_STATE"] == "down"
    assert ue[0]["HEARTBEAT_STATE"] == "alive"

    t = restore(c, 3)
    up = mon.wait(5, t, event="degraded", id=3)
    assert up and (up["link"], up["link_state"], up["links_up"]) == ("eth1", "up", 2), \
        mon.find(t)
    assert c.uevents.wait(2, after=t, HEARTBEAT_EVENT="degraded", HEARTBEAT_NODE=3,
                          HEARTBEAT_LINK_STATE="up", HEARTBEAT_LINKS_UP=2)
    assert not mon.find(t, event="peer-state", id=3)


def test_carrier_loss_is_degraded_at_once(c):
    """Our own eth1 goes down: every peer's channel there at once, long
    before any silence could say so; the far side waits for the silence."""
    mon3 = c.monitor("lk3")
    mon1 = c.monitor("lk1")
    t = time.time_ns()
    sh("ip -n lk3 link set eth1 down")
    for peer in (1, 2):
        ev = mon3.wait(5, t, event="degraded", id=peer)
        assert ev and ev["link_state"] == "down" and ev["links_up"] == 1, mon3.find(t)
        assert (ev["time_ns"] - t) / 1e6 < DEAD_MS, ev
    far = mon1.wait(SETTLE_S + 2, t, event="degraded", id=3)
    assert far and (far["time_ns"] - t) / 1e6 >= CHANNEL_MS - INTERVAL_MS, far
    time.sleep(SETTLE_S)
    assert not mon3.find(t, event="peer-state") and not mon1.find(t, event="peer-state", id=3)
    t = time.time_ns()
    sh("ip -n lk3 link set eth1 up")
    assert mon3.wait(5, t, event="degraded", id=1, link_state="up", links_up=2)
    assert mon1.wait(5, t, event="degraded", id=3, link_state="up", links_up=2)


def test_flapping_network_is_one_event_per_change(c):
    mon = c.monitor("lk1")
    t0 = time.time_ns()
    for _ in range(3):
        t = cut(c, 2)
        assert mon.wait(SETTLE_S + 2, t, event="degraded", id=2, link_state="down")
        t = restore(c, 2)
        assert mon.wait(5, t, event="degraded", id=2, link_state="up")
        time.sleep(INTERVAL_MS * 4 / 1000)
    # A cut shorter than the bound goes unnoticed.
    cut(c, 2)
    time.sleep(INTERVAL_MS * 2 / 1000)
    restore(c, 2)
    time.sleep(SETTLE_S)
    evs = mon.find(t0, event="degraded", id=2)
    assert [e["link_state"] for e in evs] == ["down", "up"] * 3, evs
    assert not mon.find(t0, event="peer-state"), mon.find(t0)


def test_min_links_two_makes_one_network_suspect_never_dead(c):
    mon = c.monitor("lk1")
    c.hb("lk1", "node", "set", "min-links", "2")
    assert c.hbj("lk1", "node", "show")["min_links"] == 2
    t = cut(c, 3)
    sus = mon.wait(SETTLE_S + 2, t, event="peer-state", id=3, state="suspect")
    assert sus and sus["prev"] == "alive", mon.find(t)
    time.sleep(SETTLE_S)
    assert c.states("lk1")[3] == "suspect"
    assert not mon.find(t, event="peer-state", state="dead")
    assert c.states("lk1")[2] == "alive"
    t = restore(c, 3)
    assert mon.wait(5, t, event="peer-state", id=3, state="alive")
    # More than any peer has: every one in doubt at once, and back.
    t = time.time_ns()
    c.hb("lk1", "node", "set", "min-links", "3")
    assert mon.wait(2, t, event="peer-state", id=2, state="suspect")
    assert set(c.states("lk1").values()) == {"suspect"}
    t = time.time_ns()
    c.hb("lk1", "node", "set", "min-links", "1")
    assert mon.wait(2, t, event="peer-state", id=2, state="alive")
    assert not mon.find(0, event="peer-state", state="dead")


def test_min_links_out_of_range_is_refused(c):
    for bad in ("0", "9"):
        r = c.hb("lk1", "node", "set", "min-links", bad, check=False)
        assert r.returncode == 1 and "min-links" in r.stderr, r.stderr
    genl, _ = c.genl("lk1")
    try:
        for bad in (0, 9):
            with pytest.raises(g.NetlinkError) as e:
                genl.node_set(g.u32(g.C["HEARTBEAT_A_NODE_MIN_LINKS"], bad))
            assert e.value.code == 34 or e.value.code == 22, e.value
    finally:
        genl.close()
    assert c.hbj("lk1", "node", "show")["min_links"] == 1


def test_link_deleted_and_added_again_changes_no_verdict(c):
    mon = c.monitor("lk1")
    t = time.time_ns()
    c.hb("lk1", "link", "del", "dev", "eth1")
    assert sorted(links(c, "lk1", 3)) == ["eth0"]
    assert c.peers("lk1")[3]["links_up"] == 1
    c.hb("lk1", "link", "add", "dev", "eth1")
    assert wait_for(lambda: links(c, "lk1", 3).get("eth1", {}).get("state") == "up", 5)
    time.sleep(SETTLE_S)
    assert not mon.find(t, event="peer-state"), mon.find(t)
    assert not mon.find(t, event="degraded"), mon.find(t)
    assert set(c.states("lk1").values()) == {"alive"}
