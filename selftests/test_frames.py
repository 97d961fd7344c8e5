# SPDX-License-Identifier: GPL-2.0-only
"""Frames from the wire, good and bad, crafted with scapy: every malformed
frame is dropped and counted under its own reason with no splat; learning,
the grace period of configured peers, unicast links, resumable peer dumps,
the peer limit, and bound devices that change or vanish."""
import struct
import subprocess
import time

import pytest

from hbcluster import Cluster, sh, wait_for
from hbframes import frame, send, tlv


@pytest.fixture
def pair():
    """Two nodes: fr1 (id 1) sends crafted frames at fr2 (id 2)."""
    c = Cluster(2, interval="100ms", prefix="fr")
    assert wait_for(c.all_alive, 5)
    yield c
    c.close()


def drops(c, host):
    return c.stats(host)["drops"]


MALFORMED = [
    ("short", frame()[:20]),
    ("magic", frame(magic=0x1234)),
    ("version", frame(version=2)),
    ("length", frame(length=200)),
    ("length", frame(length=47)),
    ("type", frame(mtype=9)),
    ("field", frame(node=0)),
    ("field", frame(seq=0)),
    ("field", frame(interval=10)),
    ("field", frame(link=0)),
    ("field", frame(link=33)),
    ("tlv", frame(tlvs=struct.pack("!HH", 5, 0xFFFF) + b"abcd")),
    ("tlv", frame(tlvs=tlv(0x8000 | 7, b"must understand"))),
    ("cluster", frame(cluster=2)),
    ("own_id", frame(node=2)),
]


def test_malformed_frames_are_dropped_and_counted(pair):
    before = drops(pair, "fr2")
    rx_before = pair.stats("fr2")["rx"]
    send("fr1", [p for _, p in MALFORMED])
    want = {}
    for reason, _ in MALFORMED:
        want[reason] = want.get(reason, 0) + 1

    def counted():
        after = drops(pair, "fr2")
        return all(after[r] - before[r] == n for r, n in want.items())
    assert wait_for(counted, 5), (before, drops(pair, "fr2"), want)
    after = drops(pair, "fr2")
    others = {r: after[r] - before[r] for r in after if r not in want and r != "stale_seq"}
    assert not any(others.values()), others
    # No peer was created by any of them, and the real peer is fine.
    assert set(pair.peers("fr2")) == {1}
    assert pair.states("fr2")[1] == "alive"
    assert pair.stats("fr2")["rx"] >= rx_before


def test_unknown_tlvs_are_skipped(pair):
    send("fr1", [frame(node=50, tlvs=tlv(0x1234, b"future") + tlv(0, b""))])
    assert wait_for(lambda: 50 in pair.peers("fr2"), 3)
    # Accepted (it is silent afterwards, so it soon goes suspect and dead).
    assert pair.peers("fr2")[50]["rx"] == 1


def test_stale_sequence_and_unconfirmed_incarnation(pair):
    send("fr1", [frame(node=60, seq=10, incarnation=500)])
    assert wait_for(lambda: 60 in pair.peers("fr2"), 3)
    before = drops(pair, "fr2")
    send("fr1", [frame(node=60, seq=10, incarnation=500),
                 frame(node=60, seq=9, incarnation=500),
                 frame(node=60, seq=1, incarnation=499)])
    assert wait_for(lambda: drops(pair, "fr2")["stale_seq"] - before["stale_seq"] == 2, 3)
    # A lower incarnation may be a restart with the clock behind: it waits
    # for rise frames in a row (Documentation/protocol.rst).
    assert drops(pair, "fr2")["unconfirmed"] - before["unconfirmed"] == 1
    assert drops(pair, "fr2")["old_incarnation"] == before["old_incarnation"]
    send("fr1", [frame(node=60, seq=14, incarnation=500)])
    assert wait_for(lambda: pair.peers("fr2")[60]["lost"] == 3, 3)


def test_learning_off_ignores_unknown_senders(pair):
    pair.hb("fr2", "node", "set", "learn", "off")
    before = drops(pair, "fr2")["unknown_peer"]
    send("fr1", [frame(node=70)])
    assert wait_for(lambda: drops(pair, "fr2")["unknown_peer"] == before + 1, 3)
    assert 70 not in pair.peers("fr2")
    # Known peers are still heard.
    time.sleep(0.5)
    assert pair.states("fr2")[1] == "alive"


def test_configured_peer_dies_after_grace(pair):
    mon = pair.monitor("fr1")
    pair.hb("fr1", "node", "set", "grace", "1500ms")
    pair.hb("fr1", "peer", "add", "id", "42")
    assert pair.peers("fr1")[42]["state"] == "unknown"
    dead = mon.wait(5, event="peer-state", id=42, state="dead")
    assert dead and dead["prev"] == "unknown"
    r = pair.hb("fr1", "peer", "add", "id", "42", check=False)
    assert r.returncode == 2 and "exists" in r.stderr
    pair.hb("fr1", "peer", "del", "id", "42")
    assert 42 not in pair.peers("fr1")
    r = pair.hb("fr1", "peer", "del", "id", "42", check=False)
    assert r.returncode == 2 and "no such peer" in r.stderr


def test_unicast_link_reaches_only_configured_peers():
    c = Cluster(3, interval="20ms", prefix="uc")
    try:
        assert wait_for(c.all_alive, 5)
        mac2 = subprocess.check_output(
            ["ip", "netns", "exec", "uc2", "cat", "/sys/class/net/eth0/address"],
            text=True).strip()
        c.hb("uc1", "link", "del", "dev", "eth0")
        c.hb("uc1", "link", "add", "dev", "eth0", "mode", "unicast")
        c.hb("uc1", "peer", "add", "id", "2", "dev", "eth0", "mac", mac2)
        assert c.hbj("uc1", "link", "show")[0]["mode"] == "unicast"
        assert wait_for(lambda: c.states("uc2").get(1) == "alive", 5)
        # uc3 saw uc1 leave and never hears it again.
        assert wait_for(lambda: c.states("uc3").get(1) == "left", 5)
        rx = c.peers("uc3")[1]["rx"]
        time.sleep(0.5)
        assert c.peers("uc3")[1]["rx"] == rx
        assert c.states("uc2")[1] == "alive"
    finally:
        c.close()


def test_peer_dump_resumes_across_messages(pair):
    pair.hb("fr2", "node", "set", "learn-rate", "0")
    send("fr1", [frame(node=1000 + i) for i in range(300)])
    assert wait_for(lambda: len(pair.peers("fr2")) == 301, 10), len(pair.peers("fr2"))
    ids = [p["id"] for p in pair.hbj("fr2", "peer", "show")]
    assert ids == sorted(ids) and len(set(ids)) == 301


def test_peer_limit_is_enforced_and_counted(pair):
    """The default limit of 1024 peers, with learning not rate-limited."""
    pair.hb("fr2", "node", "set", "learn-rate", "0")
    send("fr1", [frame(node=5000 + i) for i in range(1100)])
    assert wait_for(lambda: drops(pair, "fr2")["peer_limit"] >= 1100 + 1 - 1024, 20)
    assert len(pair.peers("fr2")) == 1024
    assert pair.states("fr2")[1] == "alive"
    r = pair.hb("fr2", "peer", "add", "id", "99999", check=False)
    assert r.returncode == 2 and "limit" in r.stderr


def test_bound_device_renamed_mtu_changed_deleted(pair):
    sh("ip -n fr1 link set eth0 down")
    sh("ip -n fr1 link set eth0 name hbnet0")
    sh("ip -n fr1 link set hbnet0 mtu 1280 up")
    links = pair.hbj("fr1", "link", "show")
    assert [l["dev"] for l in links] == ["hbnet0"]
    assert wait_for(lambda: pair.states("fr2").get(1) == "alive", 5)
    sh("ip -n fr1 link del hbnet0")
    assert pair.hbj("fr1", "link", "show") == []
    r = pair.hb("fr1", "link", "del", "dev", "hbnet0", check=False)
    assert r.returncode == 1


def test_link_errors_are_explained(pair):
    r = pair.hb("fr1", "link", "add", "dev", "lo", check=False)
    assert r.returncode == 2 and "not an Ethernet device" in r.stderr
    r = pair.hb("fr1", "link", "add", "dev", "eth0", check=False)
    assert r.returncode == 2 and "already a link" in r.stderr
    r = pair.hb("fr1", "peer", "add", "id", "1", check=False)
    assert r.returncode == 2 and "own id" in r.stderr


def test_namespace_deleted_with_links_and_peers():
    c = Cluster(2, interval="5ms", prefix="nd")
    assert wait_for(c.all_alive, 5)
    c.hb("nd1", "peer", "add", "id", "9")
    c.close()
    time.sleep(0.5)
