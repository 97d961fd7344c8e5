# SPDX-License-Identifier: GPL-2.0-only
"""hbctl monitor like ip monitor: events about the node itself (links
added, removed, down and up; settings; keys; summaries of dropped frames),
filters by object and peer, and events the monitor missed reported in
band - the kernel numbers every event of a namespace, so a gap is a loss
and the monitor says how many.

Two hosts at 10 ms, as test_app's pair."""
import os
import signal
import subprocess
import tempfile
import time

import pytest

from hbcluster import HBCTL, Cluster, add_key, sh, wait_for
from hbframes import frame, send

# Node events the monitor sleeps through: far more than a socket buffer of
# the default size holds (an event takes about 1 kB of it).
FLOOD = 2000


@pytest.fixture
def pair():
    c = Cluster(2, interval="10ms", fall=3, rise=2, slack="50ms", prefix="mo")
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    yield c
    c.close()


def test_link_added_down_up_removed(pair):
    h1 = pair.hosts[0]
    m = pair.monitor(h1, "link")
    sh(f"ip -n {h1} link add eth5 type veth peer name eth6")
    sh(f"ip -n {h1} link set eth5 up")
    sh(f"ip -n {h1} link set eth6 up")
    pair.hb(h1, "link", "add", "dev", "eth5")
    added = m.wait(5, event="link", action="added", dev="eth5")
    assert added, m.events
    assert added["link_id"] >= 1 and added["ifindex"] > 0
    sh(f"ip -n {h1} link set eth6 down")	# eth5 loses its carrier
    assert m.wait(5, event="link", action="down", dev="eth5"), m.events
    sh(f"ip -n {h1} link set eth6 up")
    assert m.wait(5, event="link", action="up", dev="eth5"), m.events
    sh(f"ip -n {h1} link del eth5")		# the device takes its link along
    assert m.wait(5, event="link", action="removed", dev="eth5"), m.events
    # One event per change: a deleted device goes down before it goes.
    kinds = [e["action"] for e in m.events if e.get("dev") == "eth5"]
    assert kinds == ["added", "down", "up", "down", "removed"], kinds
    # The filter: only link events, though peers' events happened meanwhile.
    assert {e["event"] for e in m.events} == {"link"}, m.events


def test_node_and_key_events(pair):
    h1 = pair.hosts[0]
    m = pair.monitor(h1, "node", "key")
    pair.hb(h1, "node", "set", "fall", "4")
    node = m.wait(5, event="node")
    assert node and node["id"] == 1 and node["action"] == "changed", m.events
    secret = b"k" * 32
    add_key(pair, h1, 7, secret)
    assert m.wait(5, event="key", key_id=7, action="added"), m.events
    pair.hb(h1, "key", "del", "id", "7")
    assert m.wait(5, event="key", key_id=7, action="removed"), m.events
    # Ids only: the secret never reaches the group.
    assert all("secret" not in e for e in m.events)
    seqs = [e["seq"] for e in m.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs


def test_drops_summarised(pair):
    """A flood of bad frames is one summary a second, counting each."""
    h1, h2 = pair.hosts
    m = pair.monitor(h2, "drops")
    t0 = time.time_ns()
    send(h1, [frame(magic=0x1234)] * 300 + [frame(cluster=9)] * 20)
    total = {}

    def counted():
        total.clear()
        for e in m.find(after=t0, event="drops"):
            for reason, n in e["drops"].items():
                total[reason] = total.get(reason, 0) + n
        return total.get("magic") == 300 and total.get("cluster") == 20
    assert wait_for(counted, 10), (total, m.events)
    summaries = m.find(after=t0, event="drops")
    # 320 frames sent within well under a second: one or two summaries.
    assert 1 <= len(summaries) <= 2, summaries
    assert all(e["period_ns"] >= 900_000_000 for e in summaries[1:]), summaries


def test_peer_filter(pair):
    """monitor peer id 2 sees host 2's verdicts, and no other peer's nor
    the node's own events."""
    h1, h2 = pair.hosts
    m_all = pair.monitor(h1)
    m_two = pair.monitor(h1, "peer", "id", "2")
    # Node 77, learned from frames host 2 sends for it, then silent.
    send(h2, [frame(node=77, seq=s) for s in range(1, 4)])
    assert m_all.wait(10, event="peer-state", id=77, state="alive"), m_all.events
    pair.hb(h1, "node", "set", "fall", "4")
    pair.hb(h2, "link", "del", "dev", "eth0")	# host 2 says goodbye
    assert m_two.wait(10, event="peer-state", id=2, state="left"), m_two.events
    assert m_all.wait(10, event="peer-state", id=2, state="left"), m_all.events
    assert m_all.wait(10, event="node"), m_all.events
    assert all(e["id"] == 2 and e["event"].startswith("peer-") for e in m_two.events), \
        m_two.events


def test_lost_events_reported(pair):
    """A monitor that stops reading overruns its socket: it says so, then
    how many it missed, and what it got plus what it missed is every event
    the kernel sent."""
    h1 = pair.hosts[0]
    m = pair.monitor(h1, "node")
    pair.hb(h1, "node", "set", "fall", "4")
    first = m.wait(5, event="node")
    assert first, m.events
    os.kill(m.proc.pid, signal.SIGSTOP)
    with tempfile.NamedTemporaryFile("w", dir="/tmp", delete=False) as f:
        for i in range(FLOOD):
            f.write(f"node set fall {3 + i % 2}\n")
    try:
        pair.hb(h1, "-b", f.name)
    finally:
        os.unlink(f.name)
        os.kill(m.proc.pid, signal.SIGCONT)
    pair.hb(h1, "node", "set", "fall", "3")		# the event after the gap
    last_seq = first["seq"] + FLOOD + 1

    def caught_up():
        return any(e.get("seq") == last_seq for e in m.events)
    assert wait_for(caught_up, 20), m.events[-3:]
    lost = [e for e in m.events if e["event"] == "lost"]
    assert any(e["reason"] == "overrun" for e in lost), lost
    gaps = sum(e["count"] for e in lost if e["reason"] == "gap")
    seen = [e for e in m.events if e["event"] == "node"]
    assert gaps > 0, lost
    assert len(seen) + gaps == FLOOD + 2, (len(seen), gaps)
    # Each gap record names the last event seen before it.
    for e in lost:
        if e["reason"] == "gap":
            assert e["after_seq"] in {s["seq"] for s in seen}, e


def test_usage_errors(pair):
    h1 = pair.hosts[0]
    for args, want in ((["bogus"], "bogus"), (["peer", "id"], "id"),
                       (["peer", "id", "0"], "node id"),
                       (["peer", "id", "2", "peer", "id", "3"], "only one peer")):
        r = subprocess.run(["ip", "netns", "exec", h1, HBCTL, "monitor", *args],
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == 1 and want in r.stderr, (args, r.returncode, r.stderr)
