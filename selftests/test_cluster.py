# SPDX-License-Identifier: GPL-2.0-only
"""The heartbeat core in a running cluster: convergence, detection of a
silent host within the documented bound, recovery after rise, LEAVE,
restarts, and a steady cluster without false suspicions.

Timing: with interval I and fall F a silent peer is dead (F + 1) * I
after its last heartbeat arrived. Latencies are measured from the kernel
receive timestamp of that last frame (a packet socket on the observer) to
the event's own timestamp. Under TCG emulation timers and softirqs run
late by a few milliseconds, now and then by tens: a single verdict may be
TOLERANCE_MS late, the median of many only MEDIAN_TOLERANCE_MS (README)."""
import statistics
import time

import pytest

from conftest import timing_scale
from hbcluster import Cluster, sh, wait_for

INTERVAL_MS = 10
FALL = 3
RISE = 2
BOUND_MS = (FALL + 1) * INTERVAL_MS
TOLERANCE_MS = timing_scale(100)
MEDIAN_TOLERANCE_MS = timing_scale(5)
STEADY_SLACK_MS = round(timing_scale(50))


@pytest.fixture
def cluster():
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=FALL, rise=RISE)
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    yield c
    c.close()


def cut(host):
    """Silence a host; returns an instant before the silence began."""
    t = time.time_ns()
    sh(f"ip netns exec {host} tc qdisc add dev eth0 root netem loss 100%")
    return t


def uncut(host):
    t = time.time_ns()
    sh(f"ip netns exec {host} tc qdisc del dev eth0 root")
    return t


def latency_ms(capture, event, node):
    frames = capture.from_node(node, before=event["time_ns"])
    assert frames, "no frame of the victim was ever captured"
    return (event["time_ns"] - frames[-1]["ts"]) / 1e6


def test_converges_with_documented_fields():
    c = Cluster(3, interval="10ms")
    try:
        assert wait_for(c.all_alive, 5), c.states("hb1")
        peer = c.peers("hb1")[2]
        for key in ("id", "state", "last_seen_us", "rx", "lost", "incarnation", "links"):
            assert key in peer, key
        assert [l["dev"] for l in peer["links"]] == ["eth0"]
        assert peer["links"][0]["state"] == "up" and peer["links_up"] == 1
        assert peer["interval_us"] == 10000
        node2 = c.hbj("hb2", "node", "show")
        assert peer["incarnation"] == node2["incarnation"]
    finally:
        c.close()


def test_silent_host_suspect_then_dead_within_bound(cluster):
    mons = {h: cluster.monitor(h) for h in ("hb1", "hb2")}
    own = cluster.monitor("hb3")
    cap = cluster.capture("hb1")
    time.sleep(0.2)
    t = cut("hb3")
    for host, mon in mons.items():
        dead = mon.wait(5, t, event="peer-state", id=3, state="dead")
        assert dead, f"{host} never declared hb3 dead"
        suspect = mon.find(t, event="peer-state", id=3, state="suspect")
        assert suspect and suspect[-1]["time_ns"] <= dead["time_ns"]
        assert dead["prev"] == "suspect"
    lat = latency_ms(cap, mons["hb1"].find(t, event="peer-state", id=3, state="dead")[0], 3)
    print(f"# detection latency {lat:.1f} ms (bound {BOUND_MS} ms)")
    assert BOUND_MS - 1 <= lat <= BOUND_MS + TOLERANCE_MS
    # The others are untouched, and events stay in their namespace: hb3
    # hears nothing of the verdicts about itself.
    assert cluster.states("hb1")[2] == "alive"
    assert not own.find(id=3)


def test_detection_latency_distribution(cluster):
    """Repeated cuts at random instants; the figure quoted in the README."""
    import random
    mon = cluster.monitor("hb1")
    cap = cluster.capture("hb1")
    lats = []
    for trial in range(10):
        time.sleep(0.2 + random.random() * INTERVAL_MS / 1000)
        t = cut("hb3")
        dead = mon.wait(5, t, event="peer-state", id=3, state="dead")
        assert dead, f"trial {trial}: not declared dead"
        lats.append(latency_ms(cap, dead, 3))
        t = uncut("hb3")
        assert mon.wait(5, t, event="peer-state", id=3, state="alive", prev="dead")
    lats.sort()
    print(f"# detection latency over {len(lats)} cuts: min {lats[0]:.1f} "
          f"median {statistics.median(lats):.1f} max {lats[-1]:.1f} ms "
          f"(bound {BOUND_MS} ms, interval {INTERVAL_MS} ms, fall {FALL})")
    assert all(BOUND_MS - 1 <= x <= BOUND_MS + TOLERANCE_MS for x in lats), lats
    assert statistics.median(lats) <= BOUND_MS + MEDIAN_TOLERANCE_MS, lats


def test_recovery_needs_rise_heartbeats(cluster):
    mon = cluster.monitor("hb1")
    cap = cluster.capture("hb1")
    t = cut("hb3")
    assert mon.wait(5, t, event="peer-state", id=3, state="dead")
    time.sleep(0.1)
    restored = uncut("hb3")
    alive = mon.wait(5, restored, event="peer-state", id=3, state="alive")
    assert alive and alive["prev"] == "dead"
    frames = cap.from_node(3, after=restored, before=alive["time_ns"])
    assert len(frames) >= RISE, frames


def test_link_down_gives_dead_and_up_gives_alive(cluster):
    mon = cluster.monitor("hb1")
    t = time.time_ns()
    sh("ip -n hb3 link set eth0 down")
    assert mon.wait(5, t, event="peer-state", id=3, state="dead")
    t = time.time_ns()
    sh("ip -n hb3 link set eth0 up")
    assert mon.wait(5, t, event="peer-state", id=3, state="alive", prev="dead")
    link = cluster.hbj("hb3", "link", "show")[0]
    assert link["tx_skipped"] > 0 and link["up"] is True


def test_leave_gives_left_never_dead(cluster):
    mon = cluster.monitor("hb1")
    t = time.time_ns()
    cluster.hb("hb3", "link", "del", "dev", "eth0")
    left = mon.wait(5, t, event="peer-state", id=3, state="left")
    assert left and left["prev"] in ("alive", "suspect")
    time.sleep(10 * BOUND_MS / 1000)
    assert not mon.find(t, event="peer-state", id=3, state="dead")
    assert cluster.states("hb1")[3] == "left"


def test_restart_is_reported_then_alive(cluster):
    mon = cluster.monitor("hb1")
    old = cluster.peers("hb1")[3]["incarnation"]
    t = time.time_ns()
    sh("ip netns del hb3")
    assert mon.wait(10, t, event="peer-state", id=3, state="left")
    cluster.add_host("hb3", 3)
    cluster.hb("hb3", "node", "set", "id", "3", "cluster", "1", "interval", f"{INTERVAL_MS}ms")
    cluster.hb("hb3", "link", "add", "dev", "eth0")
    restart = mon.wait(5, t, event="peer-restart", id=3)
    assert restart and restart["prev_incarnation"] == old
    assert restart["incarnation"] > old
    alive = mon.wait(5, t, event="peer-state", id=3, state="alive", prev="left")
    assert alive and alive["time_ns"] >= restart["time_ns"]
    peer = cluster.peers("hb1")[3]
    assert peer["restarts"] == 1 and peer["incarnation"] == restart["incarnation"]


# 60 s until make check outgrew its time.
STEADY_S = 40


def test_steady_cluster_has_no_false_suspicion():
    """STEADY_S of a 3-node cluster at 10 ms. Under TCG a sender's timer may run
    tens of milliseconds late (the vCPU thread is descheduled by the host),
    more than the default slack of one interval, so this cluster allows
    STEADY_SLACK_MS. The capture shows what the default would have done."""
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=FALL, rise=RISE,
                slack=f"{STEADY_SLACK_MS}ms", prefix="st")
    try:
        assert wait_for(c.all_alive, 5)
        mons = [c.monitor(h) for h in c.hosts]
        cap = c.capture("st1")
        start = time.time_ns()
        time.sleep(STEADY_S)
        bad = [e for m in mons for e in m.find(start, event="peer-state")]
        stats = [c.stats(h) for h in c.hosts]
        late = max(l["late_max_ns"] for s in stats for l in s["links"]) / 1e6
        lost = sum(p["lost"] for h in c.hosts for p in c.peers(h).values())
        deferred = sum(s["deferred"] for s in stats)
        gaps = []
        for node in (2, 3):
            fr = sorted(cap.from_node(node, after=start), key=lambda f: f["seq"])
            gaps += [(b["ts"] - a["ts"]) / 1e6 for a, b in zip(fr, fr[1:])]
        over = sum(g >= 2 * INTERVAL_MS for g in gaps)
        print(f"# {STEADY_S} s at {INTERVAL_MS} ms, slack {STEADY_SLACK_MS} ms: {len(bad)} transitions, "
              f"{lost} frames lost, {deferred} verdicts deferred after local stalls, "
              f"worst send lateness {late:.2f} ms")
        print(f"# inter-arrival gaps at st1: {len(gaps)}, max {max(gaps):.1f} ms, "
              f"{over} at or above {2 * INTERVAL_MS} ms (a false suspicion each "
              f"with the default slack)")
        assert not bad, bad
    finally:
        c.close()


def test_interval_change_is_advertised(cluster):
    cluster.hb("hb1", "node", "set", "interval", "25ms")
    assert wait_for(lambda: cluster.peers("hb2")[1]["interval_us"] == 25000, 3)
    assert cluster.hbj("hb1", "node", "show")["interval_us"] == 25000
    time.sleep(0.5)
    assert cluster.states("hb2")[1] == "alive"
