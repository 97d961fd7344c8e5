# SPDX-License-Identifier: GPL-2.0-only
"""Trust: authenticated heartbeats (forged, replayed and wrongly signed
frames are dropped, counted, and cannot keep a dead peer alive or create
one; keys rotate with traffic flowing; secrets never come back), and
bounded state (a flood of made-up node ids leaves the peer table and
memory bounded and the real peers' detection alone, and its ids expire)."""
import os
import random
import re
import time

import pytest

from conftest import DEBUG_KERNEL, TIMING_SCALE, timing_scale
from hbcluster import Cluster, UeventListener, add_key, sh, wait_for
from hbframes import ETHERTYPE, GROUP, Sender, frame, packet_socket, signed

KEY1 = bytes(range(1, 33))
KEY2 = b"second key, also thirty-two byte"
INTERVAL = "50ms"


def drops(c, host):
    return c.stats(host)["drops"]


def mac_cost(host):
    """Signing and checking cost per frame, from the debugfs table."""
    sh("mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug")
    netns = os.popen(f"ip netns exec {host} cat /sys/kernel/heartbeat/instance/netns").read()
    with open(f"/sys/kernel/debug/heartbeat/{netns.strip()}") as f:
        m = re.search(r"signed (\d+) \((\d+) ns each\), verified (\d+) \((\d+) ns each\)",
                      f.read())
    return tuple(int(x) for x in m.groups())


@pytest.fixture(scope="module")
def trio():
    """Three nodes with authentication required, and an attacker "trx" on
    the same bridge, outside the cluster."""
    # Three intervals of slack, as the other suites give: a stall of the
    # emulated CPU is no key rotation's transition.
    c = Cluster(3, interval=INTERVAL, prefix="tr", slack="150ms")
    c.add_host("trx", 9)
    try:
        assert wait_for(c.all_alive, 5)
        for h in c.hosts:
            add_key(c, h, 1, KEY1)
        for h in c.hosts:
            c.hb(h, "node", "set", "auth-key", "1", "auth", "optional")
        for h in c.hosts:
            c.hb(h, "node", "set", "auth", "required")
        yield c
    finally:
        c.close()
        sh("ip netns del trx")


def test_signed_cluster_stays_alive(trio):
    before = {h: drops(trio, h) for h in trio.hosts}
    mon = trio.monitor("tr1")
    time.sleep(1)
    assert trio.all_alive()
    assert not mon.find(event="peer-state")
    for h in trio.hosts:
        d = drops(trio, h)
        for reason in ("unsigned", "key", "bad_mac"):
            assert d[reason] == before[h][reason], (h, reason)
    signed_n, sign_ns, verified_n, verify_ns = mac_cost("tr1")
    assert signed_n > 0 and verified_n > 0
    print(f"# HMAC-SHA256 per frame (TCG-emulated CPU): sign {sign_ns} ns, "
          f"verify {verify_ns} ns over {signed_n} / {verified_n} frames")


def test_forgeries_cannot_keep_a_dead_peer_alive(trio):
    peer3 = trio.peers("tr1")[3]
    inc = peer3["incarnation"]
    mon = trio.monitor("tr1")
    before = drops(trio, "tr1")

    # Any seq above the real one would pass the stream check: only the MAC
    # stands in the way.
    def forged(n):
        base = frame(node=3, seq=10**9 + n, incarnation=inc, interval=50000)
        return [base,
                signed(base, b"not the cluster's key, 32 bytes!", key_id=1),
                signed(base, KEY1, key_id=7)]

    t = time.time_ns()
    sh("ip netns exec tr3 tc qdisc add dev eth0 root netem loss 100%")
    forger = Sender("trx", forged)
    try:
        assert mon.wait(5, t, event="peer-state", id=3, state="dead"), "forged frames kept tr3 alive"
        time.sleep(0.3)
    finally:
        forger.stop()
    after = drops(trio, "tr1")
    sent = forger.sent // 3
    for reason in ("unsigned", "bad_mac", "key"):
        got = after[reason] - before[reason]
        assert got >= sent - 2, (reason, got, sent)
    assert trio.states("tr1")[3] == "dead"

    # Unsigned frames cannot create a peer either.
    Sender("trx", lambda n: [frame(node=77, seq=n + 1)]).stop()
    time.sleep(0.2)
    assert 77 not in trio.peers("tr1")

    # A key holder can: the MAC is computed exactly as documented. (Its own
    # link id, so the real stream of tr3 is left as it was.)
    holder = Sender("trx", lambda n: [signed(frame(node=3, seq=n + 1, link=9, incarnation=inc,
                                                   interval=50000), KEY1)])
    try:
        assert mon.wait(5, t, event="peer-state", id=3, state="alive")
    finally:
        holder.stop()
        sh("ip netns exec tr3 tc qdisc del dev eth0 root")


def test_replayed_frames_are_refused(trio):
    assert wait_for(trio.all_alive, 5)
    # Record real, signed frames of tr2 as tr1 receives them.
    rec = packet_socket("tr1", proto=ETHERTYPE)
    rec.settimeout(1)
    frames = []
    while len(frames) < 5:
        data = rec.recv(2048)
        if len(data) > 14 + 48 and data[12:14] == ETHERTYPE.to_bytes(2, "big") \
                and int.from_bytes(data[14 + 12:14 + 16], "big") == 2:
            frames.append(data[14:])
    rec.close()
    mon = trio.monitor("tr1")
    before = drops(trio, "tr1")["stale_seq"]
    t = time.time_ns()
    sh("ip netns exec tr2 tc qdisc add dev eth0 root netem loss 100%")
    replay = Sender("trx", lambda n: frames)
    try:
        assert mon.wait(5, t, event="peer-state", id=2, state="dead"), "replays kept tr2 alive"
    finally:
        replay.stop()
        sh("ip netns exec tr2 tc qdisc del dev eth0 root")
    assert drops(trio, "tr1")["stale_seq"] - before >= replay.sent - 5
    assert wait_for(trio.all_alive, 5)


def test_keys_rotate_without_a_transition(trio):
    assert wait_for(trio.all_alive, 5)
    mons = [trio.monitor(h) for h in trio.hosts]
    t = time.time_ns()
    for h in trio.hosts:
        add_key(trio, h, 2, KEY2)
    for h in trio.hosts:
        trio.hb(h, "node", "set", "auth-key", "2")
    time.sleep(0.3)
    for h in trio.hosts:
        trio.hb(h, "key", "del", "id", "1")
    time.sleep(1)
    assert not [e for m in mons for e in m.find(t, event="peer-state")]
    assert trio.hbj("tr1", "key", "show") == [{"id": 2, "signing": True}]
    assert trio.all_alive()


def test_key_refusals_are_explained(trio):
    r = trio.hb("tr1", "key", "del", "id", "2", check=False)
    assert r.returncode == 2 and "signs our frames" in r.stderr
    r = trio.hb("tr1", "node", "set", "auth-key", "5", check=False)
    assert r.returncode == 2 and "no key with this id" in r.stderr
    r = trio.hb("tr1", "key", "add", "id", "2", "secret-file", "/dev/null", check=False)
    assert r.returncode != 0
    assert trio.hbj("tr1", "node", "show")["auth"] == "required"


@pytest.fixture
def flooded():
    """fl2 hears its real peer fl1 and a flooder "flx" on the same bridge."""
    # Slack for the stalls of the emulated CPU, not for the flood: the
    # test asserts the real peer never even becomes suspect.
    c = Cluster(2, interval="100ms", prefix="fl", slack=f"{round(timing_scale(300))}ms")
    c.add_host("flx", 9)
    try:
        assert wait_for(c.all_alive, 5)
        yield c
    finally:
        c.close()
        sh("ip netns del flx")


def slab_kb():
    with open("/proc/meminfo") as f:
        return int(re.search(r"^Slab:\s+(\d+) kB", f.read(), re.M).group(1))


def flood(seconds, seed=6, **kw):
    """Frames from random node ids, as fast as Python sends them."""
    rnd = random.Random(seed)
    sock = packet_socket("flx")
    src = sock.getsockname()[4]
    head = bytes.fromhex(GROUP.replace(":", "")) + src + ETHERTYPE.to_bytes(2, "big")
    payloads = [head + frame(node=rnd.randrange(10000, 2**32), **kw) for _ in range(4096)]
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        for p in payloads[:256]:
            sock.send(p)
        sent += 256
        payloads = payloads[256:] + payloads[:256]
    sock.close()
    return sent


def test_flood_of_new_ids_is_bounded(flooded):
    c = flooded
    # The default rate (100 a second) on the release kernel; on the debug
    # kernel, where this Python flood sends under a hundred frames a
    # second, a fifth of it, so that the flood still outruns the rate.
    rate = round(100 / TIMING_SCALE)
    c.hb("fl2", "node", "set", "learn-rate", str(rate))
    mon = c.monitor("fl2")
    slab = slab_kb()
    before = c.stats("fl2")
    t0 = time.monotonic()
    sent = flood(2)
    elapsed = time.monotonic() - t0
    time.sleep(0.5)
    peers = c.peers("fl2")
    learned = len(peers) - 1
    after = c.stats("fl2")
    delta = {r: n - before["drops"][r] for r, n in after["drops"].items()
             if n != before["drops"][r]}
    grown = slab_kb() - slab
    print(f"# flood: {sent} frames in {elapsed:.1f} s ({sent / elapsed:.0f}/s) from random ids: "
          f"{learned} learned, drops {delta}, accepted {after['rx'] - before['rx']}, "
          f"slab {grown:+d} kB")
    # The bucket holds one second of learning and refills at the rate.
    assert rate <= learned <= rate + rate * (elapsed + 0.5), learned
    # Most of the flood is refused by the rate; frames of ids learned
    # already repeat their sequence number (stale_seq).
    assert delta.get("learn_rate", 0) >= sent // 2, delta
    # KASAN's redzones and quarantine and kmemleak's records weigh on the
    # debug kernel's slab: there the bound is four times the release one.
    assert grown < 8 * 1024 * (4 if DEBUG_KERNEL else 1), grown
    assert peers[1]["state"] == "alive"
    assert not mon.find(event="peer-state", id=1), "the flood disturbed a real peer"

    # The table's limit holds whatever the rate (peers over a lowered limit
    # stay; new ones wait for room).
    limit = len(peers) + 50
    c.hb("fl2", "node", "set", "learn-rate", "0", "max-peers", str(limit))
    flood(1, seed=7)
    time.sleep(0.3)
    assert len(c.peers("fl2")) == limit
    assert drops(c, "fl2")["peer_limit"] > before["drops"]["peer_limit"]
    r = c.hb("fl2", "peer", "add", "id", "5", check=False)
    assert r.returncode == 2 and "limit" in r.stderr


def test_flood_under_required_auth_creates_nothing(flooded):
    c = flooded
    add_key(c, "fl1", 1, KEY1)
    add_key(c, "fl2", 1, KEY1)
    for h in ("fl1", "fl2"):
        c.hb(h, "node", "set", "auth-key", "1", "auth", "required")
    before = drops(c, "fl2")["unsigned"]
    sent = flood(1)
    time.sleep(0.3)
    assert list(c.peers("fl2")) == [1]
    assert drops(c, "fl2")["unsigned"] - before >= sent - 10
    assert c.states("fl2")[1] == "alive"


def test_flooded_ids_expire_configured_peers_stay(flooded):
    """The flood fills max-peers; once its made-up ids have been dead for
    learn-expire they are forgotten, one event each, and a real new node is
    learned. A configured peer that is dead stays, and uevents say which
    peers were configured and which learned."""
    c = flooded
    c.hb("fl2", "peer", "add", "id", "1")
    # No expiry while the table is shown full, however slow the VM is.
    c.hb("fl2", "node", "set", "learn-rate", "0", "max-peers", "30", "learn-expire", "off")
    assert c.hbj("fl2", "node", "show")["learn_expire_us"] == 0
    mon = c.monitor("fl2")
    uev = UeventListener("fl2")
    try:
        before = c.stats("fl2")
        t = time.time_ns()
        sh("ip netns exec fl1 tc qdisc add dev eth0 root netem loss 100%")
        flood(0.3, seed=8)
        peers = c.peers("fl2")
        assert len(peers) == 30, len(peers)
        fake = set(peers) - {1}

        # A real node started now finds the table full of the flood's ids.
        c.add_host("fl3", 3)
        c.hb("fl3", "node", "set", "id", "3", "cluster", "1", "interval", "100ms")
        c.hb("fl3", "link", "add", "dev", "eth0")
        time.sleep(1)
        assert 3 not in c.peers("fl2"), "learned with the table full"
        assert c.stats("fl2")["drops"]["peer_limit"] > before["drops"]["peer_limit"]

        # Dead for two seconds, the flood's ids go; then fl3 gets in.
        c.hb("fl2", "node", "set", "learn-expire", "2s")
        assert c.hbj("fl2", "node", "show")["learn_expire_us"] == 2000000
        assert wait_for(lambda: 3 in c.peers("fl2"), 10), "the real node was never learned"
        peers = c.peers("fl2")
        assert set(peers) == {1, 3}, sorted(peers)
        assert peers[1]["configured"] and peers[1]["state"] == "dead"
        assert peers[3]["state"] == "alive" and not peers[3].get("configured")
        assert c.stats("fl2")["peers_expired"] - before["peers_expired"] == len(fake)
        expired = mon.find(t, event="peer-expired")
        assert {e["id"] for e in expired} == fake
        assert all(e["state"] == "dead" for e in expired), expired[:3]
        # Expiry waits learn-expire after the verdict: nothing went early.
        dead = {e["id"]: e["time_ns"] for e in mon.find(t, event="peer-state", state="dead")}
        early = [e for e in expired if e["time_ns"] - dead[e["id"]] < 2 * 10**9]
        assert not early, early[:3]

        # The configured peer stays past learn-expire.
        time.sleep(2.5)
        assert c.peers("fl2")[1]["state"] == "dead"
        assert not mon.find(t, event="peer-expired", id=1)

        # uevents say whose verdict it was.
        assert uev.wait(5, HEARTBEAT_NODE=1, HEARTBEAT_STATE="dead",
                        HEARTBEAT_ORIGIN="configured"), "no uevent for the configured peer"
        learned = uev.find(HEARTBEAT_EVENT="state", HEARTBEAT_STATE="dead",
                           HEARTBEAT_ORIGIN="learned")
        assert {int(e["HEARTBEAT_NODE"]) for e in learned} == fake
        gone = uev.find(HEARTBEAT_EVENT="expired", HEARTBEAT_ORIGIN="learned")
        assert {int(e["HEARTBEAT_NODE"]) for e in gone} == fake
    finally:
        uev.stop()
        os.system("ip netns exec fl1 tc qdisc del dev eth0 root; ip netns del fl3 2>/dev/null")
