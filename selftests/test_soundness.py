# SPDX-License-Identifier: GPL-2.0-only
"""Verdicts that can be trusted: one stray frame, a re-added link or a
restart with the clock behind never turns a live node dead or keeps it
dead, and a replay - on the same segment or another one - never keeps a
dead node alive."""
import time

import pytest

from conftest import timing_scale
from hbcluster import Cluster, add_key, ip_batch, sh, wait_for
from hbframes import ETHERTYPE, Sender, echo, frame, packet_socket, send, signed

KEY = bytes(range(1, 33))
# rise 2 at 10 ms: two frames; everything here allows about a second.
HEARD_WITHIN = 1.0


@pytest.fixture
def pair():
    """sn1 (id 1) and sn2 (id 2) at 10 ms, with slack against TCG stalls."""
    c = Cluster(2, interval="10ms", slack="50ms", prefix="sn")
    assert wait_for(c.all_alive, 5)
    yield c
    c.close()


def drops(c, host):
    return c.stats(host)["drops"]


def require_auth(c, hosts):
    for h in hosts:
        add_key(c, h, 1, KEY)
        c.hb(h, "node", "set", "auth-key", "1", "auth", "optional")
    for h in hosts:
        c.hb(h, "node", "set", "auth", "required")


def record(host, node, count, dev="eth0"):
    """The next count frames of node as host receives them (payloads)."""
    sock = packet_socket(host, dev, proto=ETHERTYPE)
    sock.settimeout(2)
    frames = []
    try:
        while len(frames) < count:
            data = sock.recv(2048)
            if int.from_bytes(data[14 + 12:14 + 16], "big") == node:
                frames.append(data[14:])
    finally:
        sock.close()
    return frames


def silence(host, dev="eth0"):
    sh(f"ip netns exec {host} tc qdisc add dev {dev} root netem loss 100%")


def test_readded_link_is_heard_within_rise(pair):
    """The re-added link gets the same link id; its sequence goes on from
    where the old one stopped, so the peer's replay mark does not hold it
    back (before: stale_seq until the new count passed the old one)."""
    time.sleep(4)		# some 400 frames on sn1's link
    pair.hb("sn1", "link", "del", "dev", "eth0")
    assert wait_for(lambda: pair.states("sn2")[1] == "left", 3)
    before = drops(pair, "sn2")["stale_seq"]
    start = time.monotonic()
    pair.hb("sn1", "link", "add", "dev", "eth0")
    assert wait_for(lambda: pair.states("sn2")[1] == "alive", timing_scale(HEARD_WITHIN)), \
        f"not heard in {time.monotonic() - start:.1f} s; drops {drops(pair, 'sn2')}"
    assert drops(pair, "sn2")["stale_seq"] - before < 5

    # A device that goes and comes back (a NIC re-registering).
    sh("ip -n sn1 link del eth0")
    assert pair.hbj("sn1", "link", "show") == []
    assert wait_for(lambda: pair.states("sn2")[1] == "dead", 3)
    pair.wire([(1, "sn1")])
    pair.hb("sn1", "link", "add", "dev", "eth0")
    assert wait_for(lambda: pair.states("sn2")[1] == "alive", timing_scale(HEARD_WITHIN)), \
        f"drops {drops(pair, 'sn2')}"


def test_one_forged_incarnation_changes_nothing(pair):
    """One frame with a higher incarnation (a corrupted or forged one) used
    to be taken as a restart, after which every genuine frame was refused
    as old_incarnation and the live peer stayed dead."""
    inc = pair.peers("sn2")[1]["incarnation"]
    mon = pair.monitor("sn2")
    before = drops(pair, "sn2")
    t = time.time_ns()
    send("sn1", [frame(node=1, seq=1, incarnation=inc + 10**12, interval=10000)])
    time.sleep(1)
    assert not mon.find(t, event="peer-restart"), mon.find(t)
    assert not mon.find(t, event="peer-state", id=1, state="dead"), mon.find(t)
    after = drops(pair, "sn2")
    assert after["unconfirmed"] - before["unconfirmed"] == 1, after
    assert after["old_incarnation"] == before["old_incarnation"], after
    p = pair.peers("sn2")[1]
    assert p["incarnation"] == inc and p["state"] == "alive"


def test_restart_with_the_clock_behind_is_heard_within_rise(pair):
    """A node restarted with its clock behind has a lower incarnation: it
    used to be refused as old_incarnation until an admin deleted it."""
    inc = pair.peers("sn2")[1]["incarnation"]
    pair.hb("sn1", "link", "del", "dev", "eth0")
    assert wait_for(lambda: pair.states("sn2")[1] == "left", 3)
    restarts = pair.peers("sn2")[1]["restarts"]
    before = drops(pair, "sn2")
    behind = inc - 3600 * 10**9
    restarted = Sender("sn1", lambda n: [frame(node=1, seq=n + 1, incarnation=behind,
                                               interval=10000)])
    try:
        assert wait_for(lambda: pair.peers("sn2")[1]["incarnation"] == behind,
                        timing_scale(HEARD_WITHIN)), drops(pair, "sn2")
        assert pair.states("sn2")[1] == "alive"
        assert pair.peers("sn2")[1]["restarts"] == restarts + 1
    finally:
        restarted.stop()
    # Heard with its second frame (rise 2): only the first one waited.
    after = drops(pair, "sn2")
    assert after["unconfirmed"] - before["unconfirmed"] == 1, after
    assert after["old_incarnation"] == before["old_incarnation"], after


def test_restart_with_the_clock_behind_is_heard_under_required_auth(pair):
    """Under required authentication a lower incarnation is taken when its
    frames echo one of the receiver's latest frames (a recording cannot):
    the restarted sn1 hears sn2 and echoes it, as the module does."""
    require_auth(pair, pair.hosts)
    assert wait_for(pair.all_alive, 5)
    inc = pair.peers("sn2")[1]["incarnation"]
    pair.hb("sn1", "link", "del", "dev", "eth0")
    assert wait_for(lambda: pair.states("sn2")[1] == "left", 3)
    heard = pair.capture("sn1")
    assert wait_for(lambda: heard.from_node(2), 3)
    restarts = pair.peers("sn2")[1]["restarts"]
    before = drops(pair, "sn2")
    behind = inc - 3600 * 10**9

    def restarted_frame(n):
        last = heard.from_node(2)[-1]
        return [signed(frame(node=1, seq=n + 1, incarnation=behind, interval=10000,
                             tlvs=echo((2, last["link"], last["seq"]))), KEY)]
    restarted = Sender("sn1", restarted_frame)
    try:
        assert wait_for(lambda: pair.peers("sn2")[1]["incarnation"] == behind,
                        timing_scale(HEARD_WITHIN)), drops(pair, "sn2")
        assert pair.peers("sn2")[1]["restarts"] == restarts + 1
    finally:
        restarted.stop()
    after = drops(pair, "sn2")
    assert after["unconfirmed"] - before["unconfirmed"] == 1, after
    assert after["old_incarnation"] == before["old_incarnation"], after
    assert after["bad_mac"] == before["bad_mac"], after

    # Lower still, echoing a frame sn2 sent 50 frames ago (a recording
    # made then): refused.
    assert wait_for(lambda: pair.states("sn2")[1] == "dead", 3)
    last = heard.from_node(2)[-1]
    before = drops(pair, "sn2")["old_incarnation"]
    send("sn1", [signed(frame(node=1, seq=1, incarnation=behind - 1000, interval=10000,
                              tlvs=echo((2, last["link"], last["seq"] - 50))), KEY)])
    assert wait_for(lambda: drops(pair, "sn2")["old_incarnation"] == before + 1, 3)
    assert pair.states("sn2")[1] == "dead"


def test_replay_on_another_segment_cannot_keep_a_dead_peer_alive(pair):
    """Signed frames recorded on one segment and replayed on another used
    to start a new stream per receiving device and keep a dead node
    alive. sn2 has a second link on segment B, where snx replays."""
    ip_batch(["link add br1 type bridge", "link set br1 up"], "snsw")
    ip_batch(["netns add snx"])
    try:
        ip_batch(["link add eth1 netns sn2 type veth peer name portb2 netns snsw",
                  "link add eth0 netns snx type veth peer name portbx netns snsw"])
        ip_batch(["link set portb2 master br1 up", "link set portbx master br1 up"], "snsw")
        ip_batch(["link set eth1 up"], "sn2")
        ip_batch(["link set lo up", "link set eth0 up"], "snx")
        pair.hb("sn2", "link", "add", "dev", "eth1")
        require_auth(pair, pair.hosts)
        assert wait_for(pair.all_alive, 5)
        frames = record("sn2", 1, 150)		# 1.5 s of sn1's signed frames
        before = drops(pair, "sn2")
        silence("sn1")
        replay = Sender("snx", lambda n: frames[n:n + 1])
        try:
            assert wait_for(lambda: pair.states("sn2")[1] == "dead", timing_scale(1.0)), \
                "the replay on segment B kept sn1 alive"
            rx = pair.peers("sn2")[1]["rx"]
            assert wait_for(lambda: replay.rounds > len(frames), 10)
        finally:
            replay.stop()
        # Not one replayed frame was taken, on either segment.
        assert pair.peers("sn2")[1]["rx"] == rx
        assert pair.states("sn2")[1] == "dead"
        after = drops(pair, "sn2")
        assert after["stale_seq"] - before["stale_seq"] >= len(frames) - 5, after
    finally:
        sh("ip netns del snx")


def test_replays_of_older_incarnations_cannot_revive_under_auth(pair):
    """Under required authentication a lower incarnation may be a
    recording: a retired one, or one this node never saw, stays refused."""
    require_auth(pair, pair.hosts)
    assert wait_for(pair.all_alive, 5)
    inc = pair.peers("sn2")[1]["incarnation"]
    genuine = record("sn2", 1, 20)
    pair.hb("sn1", "link", "del", "dev", "eth0")	# the real sn1 is gone
    # sn1 "restarts" (the test signs for it) with a higher incarnation...
    newer = inc + 1000
    restarted = Sender("sn1", lambda n: [signed(frame(node=1, seq=n + 1, incarnation=newer,
                                                      interval=10000), KEY)])
    try:
        assert wait_for(lambda: pair.peers("sn2")[1]["incarnation"] == newer, 3)
    finally:
        restarted.stop()
    # ...and dies.
    assert wait_for(lambda: pair.states("sn2")[1] == "dead", 3)
    mon = pair.monitor("sn2")
    before = drops(pair, "sn2")["old_incarnation"]
    t = time.time_ns()
    unseen = Sender("sn1", lambda n: [signed(frame(node=1, seq=n + 1, incarnation=inc - 5,
                                                   interval=10000), KEY)] + genuine)
    time.sleep(1)
    unseen.stop()
    assert not mon.find(t, event="peer-state", id=1), mon.find(t)
    assert pair.states("sn2")[1] == "dead"
    assert drops(pair, "sn2")["old_incarnation"] - before >= unseen.rounds * 20
