# SPDX-License-Identifier: GPL-2.0-only
"""What HA stacks and operators consume: uevents (every documented key, in
time, per namespace, none lost in a burst), sysfs and debugfs (they agree
with hbctl -j) and the Prometheus text output (it parses, and its values
are hbctl's).

Timing tolerances are those of test_cluster.py: a uevent must reach its
listener within the detection bound plus TOLERANCE_MS of the victim's last
frame (kernel receive timestamp of a packet socket on the observer)."""
import re
import subprocess
import sys
import time

import pytest

from conftest import timing_scale
from hbcluster import HBCTL, HB_TOP, Cluster, UeventListener, sh, wait_for

sys.path.insert(0, f"{HB_TOP}/selftests")
import promparse  # noqa: E402

# On the debug kernel (make check-debug) every frame costs several times
# more: the clusters there run at timing_scale(interval), slack one interval.
INTERVAL_MS = round(timing_scale(10))
FALL = 3
SLACK_MS = INTERVAL_MS
BOUND_MS = FALL * INTERVAL_MS + SLACK_MS
TOLERANCE_MS = timing_scale(100)
INSTANCE = "/sys/kernel/heartbeat/instance"
KEYS = ("ACTION", "DEVPATH", "SUBSYSTEM", "SEQNUM", "HEARTBEAT_EVENT",
        "HEARTBEAT_NODE", "HEARTBEAT_STATE", "HEARTBEAT_PREV_STATE",
        "HEARTBEAT_LOCAL_NODE", "HEARTBEAT_CLUSTER", "HEARTBEAT_INCARNATION",
        "HEARTBEAT_NETNS", "HEARTBEAT_SEQ", "HEARTBEAT_TIME_NS")


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{SLACK_MS}ms", prefix="ha")
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    yield c
    c.close()


def sysfs(host, path=INSTANCE):
    """Every file under path in host's namespace, as {relative path: value}."""
    out = subprocess.run(["ip", "netns", "exec", host, "grep", "-r", ".", path],
                         capture_output=True, text=True, check=True).stdout
    values = {}
    for line in out.splitlines():
        name, value = line.split(":", 1)
        values[name[len(path) + 1:]] = value
    return values


def cut(host):
    t = time.time_ns()
    sh(f"ip netns exec {host} tc qdisc add dev eth0 root netem loss 100%")
    return t


def uncut(host):
    sh(f"ip netns exec {host} tc qdisc del dev eth0 root")


def seqs(events):
    return sorted(int(e["HEARTBEAT_SEQ"]) for e in events)


def test_dead_uevent_carries_every_key_in_time(cluster):
    cluster.hb("ha2", "node", "set", "detector", "phi")
    listeners = {h: UeventListener(h) for h in cluster.hosts}
    cap = cluster.capture("ha1")
    netns = {h: sysfs(h)["netns"] for h in cluster.hosts}
    incarnation = cluster.peers("ha1")[3]["incarnation"]
    try:
        time.sleep(0.3)
        t = cut("ha3")
        dead = listeners["ha1"].wait(5, after=t, HEARTBEAT_NODE=3, HEARTBEAT_STATE="dead")
        assert dead, "no uevent for the dead peer"
        ev = dead[0]
        for key in KEYS:
            assert key in ev, f"{key} missing from {ev}"
        assert ev["ACTION"] == "change"
        assert ev["SUBSYSTEM"] == "heartbeat"
        assert ev["DEVPATH"] == "/kernel/heartbeat/instance"
        assert ev["HEARTBEAT_EVENT"] == "state"
        assert ev["HEARTBEAT_PREV_STATE"] == "suspect"
        assert ev["HEARTBEAT_LOCAL_NODE"] == "1"
        assert ev["HEARTBEAT_CLUSTER"] == "1"
        assert int(ev["HEARTBEAT_INCARNATION"]) == incarnation
        assert ev["HEARTBEAT_NETNS"] == netns["ha1"]
        assert "HEARTBEAT_PHI" not in ev, "phi key with the timeout detector"

        last = cap.from_node(3, before=int(ev["HEARTBEAT_TIME_NS"]))[-1]["ts"]
        verdict_ms = (int(ev["HEARTBEAT_TIME_NS"]) - last) / 1e6
        received_ms = (ev["_received_ns"] - last) / 1e6
        print(f"# uevent: verdict {verdict_ms:.1f} ms, received {received_ms:.1f} ms "
              f"after the last frame (bound {BOUND_MS} ms)")
        assert BOUND_MS - 1 <= verdict_ms <= received_ms <= BOUND_MS + TOLERANCE_MS

        # The phi detector's verdict carries phi, at or over the threshold.
        phi = listeners["ha2"].wait(5, after=t, HEARTBEAT_NODE=3, HEARTBEAT_STATE="dead")
        assert phi and float(phi[0]["HEARTBEAT_PHI"]) >= 8.0, phi
        assert phi[0]["HEARTBEAT_NETNS"] == netns["ha2"]

        # Each namespace hears its own verdicts only, numbered without gaps,
        # up to the last one it queued (sent from a work item: asynchronous).
        for host in ("ha1", "ha2"):
            def caught_up(host=host):
                s = seqs(listeners[host].find())
                return s and str(s[-1]) == sysfs(host)["uevent_seq"]
            assert wait_for(caught_up, 3), (seqs(listeners[host].find()), sysfs(host))
            evs = listeners[host].find()
            assert {e["HEARTBEAT_NETNS"] for e in evs} == {netns[host]}
            s = seqs(evs)
            assert s == list(range(s[0], s[-1] + 1)), s
        assert not listeners["ha3"].find(HEARTBEAT_NODE=3)
    finally:
        uncut("ha3")
        cluster.hb("ha2", "node", "set", "detector", "timeout")
        for lis in listeners.values():
            lis.stop()
    assert wait_for(cluster.all_alive, 5)


def test_restart_uevent(cluster):
    lis = UeventListener("ha1")
    mon = cluster.monitor("ha1")
    old = cluster.peers("ha1")[3]["incarnation"]
    try:
        sh("ip netns del ha3")
        assert lis.wait(10, HEARTBEAT_NODE=3, HEARTBEAT_STATE="left")
        cluster.add_host("ha3", 3)
        cluster.hb("ha3", "node", "set", "id", "3", "cluster", "1",
                   "interval", f"{INTERVAL_MS}ms", "fall", str(FALL))
        cluster.hb("ha3", "link", "add", "dev", "eth0")
        restart = lis.wait(5, HEARTBEAT_NODE=3, HEARTBEAT_EVENT="restart")
        assert restart, lis.find()
        ev = restart[0]
        assert int(ev["HEARTBEAT_PREV_INCARNATION"]) == old
        assert int(ev["HEARTBEAT_INCARNATION"]) > old
        # One event, made once: the netlink event has the very same instant.
        nl = mon.wait(5, event="peer-restart", id=3)
        assert nl and nl["time_ns"] == int(ev["HEARTBEAT_TIME_NS"]), (nl, ev)
        alive = lis.wait(5, after=int(ev["HEARTBEAT_TIME_NS"]), HEARTBEAT_NODE=3,
                         HEARTBEAT_STATE="alive")
        assert alive and int(alive[0]["HEARTBEAT_SEQ"]) > int(ev["HEARTBEAT_SEQ"]), lis.find()
    finally:
        lis.stop()
    assert wait_for(cluster.all_alive, 5)


def test_no_uevent_lost_when_32_peers_die_at_once():
    """33 hosts at 100 ms; the switch stops forwarding to the observer, so
    its 32 peers fall silent together (their deadlines within one interval
    of each other): 64 uevents, numbered without a gap, none lost."""
    big_ms = round(timing_scale(100))
    c = Cluster(33, interval=f"{big_ms}ms", fall=FALL, prefix="st")
    lis = None
    try:
        assert wait_for(lambda: len([s for s in c.states("st1").values()
                                     if s == "alive"]) == 32, 20), c.states("st1")
        lis = UeventListener("st1")
        time.sleep(0.3)
        t = time.time_ns()
        sh("ip netns exec stsw tc qdisc add dev port1 root netem loss 100%")
        assert len(lis.wait(10, count=32, after=t, HEARTBEAT_STATE="dead")) == 32
        time.sleep(0.5)
        evs = lis.find()
        s = seqs(evs)
        assert s == list(range(s[0], s[-1] + 1)), s
        cut_evs = lis.find(after=t)
        for state in ("suspect", "dead"):
            nodes = sorted(int(e["HEARTBEAT_NODE"]) for e in cut_evs
                           if e["HEARTBEAT_STATE"] == state)
            assert nodes == list(range(2, 34)), (state, nodes)
        assert len(cut_evs) == 64, cut_evs
        stats = c.stats("st1")
        assert stats["uevents_lost"] == 0 and stats["uevent_seq"] == s[-1]
        assert stats["detect_count"] >= 32
        print(f"# 32 peers dead: {len(cut_evs)} uevents, seq {s[0]}..{s[-1]}, "
              f"{stats['uevents_lost']} lost")
    finally:
        if lis:
            lis.stop()
        c.close()


def test_sysfs_agrees_with_hbctl(cluster):
    node = cluster.hbj("ha1", "node", "show")
    files = sysfs("ha1")
    for key in ("cluster", "interval_us", "fall", "rise", "grace_us", "incarnation"):
        name = {"cluster": "cluster_id"}.get(key, key)
        assert files[name] == str(node[key]), (name, files[name], node[key])
    assert files["node_id"] == str(node["id"])
    assert files["detector"] == node["detector"]
    assert files["nr_links"] == "1" and files["nr_peers"] == "2"

    # Counters only grow: sysfs read between two hbctl reads lies between.
    before = cluster.stats("ha1")
    files = sysfs("ha1")
    after = cluster.stats("ha1")
    for key in ("tx", "rx"):
        assert before[key] <= int(files[key]) <= after[key], key
    for reason, count in after["drops"].items():
        assert before["drops"][reason] <= int(files[f"drops/{reason}"]) <= count

    peers = cluster.peers("ha1")
    for pid, peer in peers.items():
        files = sysfs("ha1", f"{INSTANCE}/peers/{pid}")
        assert files["state"] == peer["state"] == "alive"
        assert files["incarnation"] == str(peer["incarnation"])
        assert files["interval_us"] == str(peer["interval_us"])
        assert int(files["rx"]) >= peer["rx"]
        assert int(files["last_seen_us"]) < 1e6
        assert float(files["phi"]) < 8
    # Another namespace has its own instance.
    assert sysfs("ha2")["node_id"] == "2"
    # Every file is read-only.
    modes = subprocess.run(["ip", "netns", "exec", "ha1", "find", INSTANCE + "/",
                            "-type", "f", "-perm", "/222"],
                           capture_output=True, text=True, check=True).stdout
    assert not modes.strip(), modes


def test_sysfs_peer_directories_follow_the_peer_table(cluster):
    path = f"{INSTANCE}/peers/99"
    exists = ["ip", "netns", "exec", "ha1", "test", "-d", path]
    cluster.hb("ha1", "peer", "add", "id", "99")
    try:
        assert wait_for(lambda: subprocess.run(exists).returncode == 0, 3)
        files = sysfs("ha1", path)
        # Never heard: unknown, then dead once the grace period (1 s) ends.
        assert files["state"] in ("unknown", "dead"), files
        assert files["last_seen_us"] == "never" and files["configured"] == "1"
    finally:
        cluster.hb("ha1", "peer", "del", "id", "99")
    assert wait_for(lambda: subprocess.run(exists).returncode != 0, 3)


def debugfs_table(host):
    netns = sysfs(host)["netns"]
    sh("mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug")
    with open(f"/sys/kernel/debug/heartbeat/{netns}") as f:
        return f.read()


def test_debugfs_agrees_with_hbctl(cluster):
    before = cluster.stats("ha1")
    peers = cluster.peers("ha1")
    text = debugfs_table("ha1")
    after = cluster.stats("ha1")
    node = cluster.hbj("ha1", "node", "show")
    assert f"node 1 cluster 1 incarnation {node['incarnation']}" in text
    drops = dict(re.findall(r" (\w+) (\d+)", re.search(r"^drops:(.*)$", text, re.M).group(1)))
    for reason, count in after["drops"].items():
        assert before["drops"][reason] <= int(drops[reason]) <= count
    tx = int(re.search(r"^counters: tx (\d+)", text, re.M).group(1))
    assert before["tx"] <= tx <= after["tx"]
    assert re.search(r"^peers 2, hash buckets 1024 used 2 longest chain 1$", text, re.M)
    rows = {}
    for line in text.splitlines():
        f = line.split()
        # 13 columns, the round trips (min/mean/p99/samples), channels up/known.
        if len(f) == 15 and f[0].isdigit():
            rows[int(f[0])] = f
    assert set(rows) == set(peers)
    for pid, peer in peers.items():
        f = rows[pid]
        assert f[1] == peer["state"] and int(f[3]) == peer["incarnation"]
        assert int(f[5]) >= 0 and int(f[6]) >= peer["rx"]
        assert int(f[12]) >= peer["samples"] > 0
        assert f[14] == f"{peer['links_up']}/{len(peer['links'])}"
    assert re.search(r"^eth0 +1 multicast +1 ", text, re.M)
    assert "send lateness (us):" in text


def test_prometheus_output_parses_and_matches(cluster):
    cut("ha3")
    try:
        assert wait_for(lambda: cluster.states("ha1")[3] == "dead", 5)
    finally:
        uncut("ha3")
    assert wait_for(cluster.all_alive, 5)
    before = cluster.stats("ha1")
    peers = cluster.peers("ha1")
    text = subprocess.run(["ip", "netns", "exec", "ha1", HBCTL, "stats", "-o", "prometheus"],
                          capture_output=True, text=True, check=True).stdout
    stats = cluster.stats("ha1")
    families = promparse.parse(text)

    def value(name, **labels):
        for fam in families.values():
            for sname, slabels, v in fam["samples"]:
                if sname == name and all(slabels.get(k) == str(x) for k, x in labels.items()):
                    return v
        raise KeyError((name, labels))

    assert families["heartbeat_detection_seconds"]["type"] == "histogram"
    count = value("heartbeat_detection_seconds_count")
    assert count == stats["detect_count"] >= 1
    assert value("heartbeat_detection_seconds_bucket", le="+Inf") == count
    total = value("heartbeat_detection_seconds_sum")
    assert abs(total - stats["detect_sum_us"] / 1e6) < 1e-3
    assert before["tx"] <= value("heartbeat_tx_frames_total") <= stats["tx"]
    for pid, peer in peers.items():
        assert value("heartbeat_peer_up", peer=pid) == 1
        assert value("heartbeat_peer_state", peer=pid, state="alive") == 1
        assert value("heartbeat_peer_state", peer=pid, state="dead") == 0
        # A float64 holds a 64-bit incarnation to within 2^11.
        assert abs(value("heartbeat_peer_incarnation", peer=pid) - peer["incarnation"]) < 2048
        assert value("heartbeat_peer_rx_frames_total", peer=pid) >= peer["rx"]
    for reason in stats["drops"]:
        value("heartbeat_drops_total", reason=reason)
    print(f"# prometheus: {len(families)} families, "
          f"{sum(len(f['samples']) for f in families.values())} samples")
