# SPDX-License-Identifier: GPL-2.0-only
"""Last words (Documentation/protocol.rst, "DYING"): a DYING frame makes its
sender dead at once, with the reason it gave in the event, the uevent and
peer show; it is a frame like any other for replay protection; a bad reason
is dropped; with quorum on, a quorate node takes it for the quorum's word.
The sending side: the last-words setting arms each link for a panic (a
netpoll handle and a frame made ahead) and disarms it, link by link.

A kernel's own last words - from a panic or a reboot - need a second
kernel to hear them: the multi-VM tests send those (selftests/vm/multi)."""
import platform
import subprocess
import time

import pytest

import hbgenl as g
from hbcluster import Cluster, UeventListener, wait_for
from hbframes import frame, send, tlv

MSG_DYING = 6
DYING_TLV = 0x0006
REASONS = {1: "panic", 2: "reboot", 3: "halt", 4: "poweroff"}
INSTANCE = "/sys/kernel/heartbeat/instance"
# veth refuses netpoll from 6.12 ("doesn't support polling"): a link on it
# cannot be armed there. The multi-VM tests arm virtio-net.
VETH_NETPOLL = tuple(int(x) for x in platform.release().split(".")[:2]) < (6, 12)
# The crafted peers announce 1 s: silence cannot convict them during a test.
IVAL = 1000000


def beat(node, seq):
    return frame(node=node, seq=seq, interval=IVAL)


def dying(node, seq, reason=1):
    tlvs = b"" if reason is None else tlv(DYING_TLV, bytes([reason, 0, 0, 0]))
    return frame(node=node, seq=seq, interval=IVAL, mtype=MSG_DYING, tlvs=tlvs)


@pytest.fixture
def pair():
    """Two nodes: lw1 (id 1) sends crafted frames at lw2 (id 2)."""
    c = Cluster(2, interval="100ms", prefix="lw")
    c.uevents = UeventListener("lw2")
    try:
        assert wait_for(c.all_alive, 5)
        yield c
    finally:
        c.uevents.stop()
        c.close()


def alive(c, node):
    return wait_for(lambda: c.states("lw2").get(node) == "alive", 3)


def test_dying_frame_is_dead_at_once_with_its_reason(pair):
    mon = pair.monitor("lw2")
    send("lw1", [beat(70, 1), beat(70, 2)])
    assert alive(pair, 70)
    detections = pair.stats("lw2")["detect_count"]
    t = time.time_ns()
    send("lw1", [dying(70, 3)])
    ev = mon.wait(3, t, event="peer-state", id=70, state="dead")
    assert ev and ev["prev"] == "alive" and ev["last_words"] == "panic", mon.find(t)
    # At once: long before any deadline of a 1 s sender.
    assert (ev["time_ns"] - t) / 1e9 < 0.5, ev
    ue = pair.uevents.wait(2, after=t, HEARTBEAT_EVENT="state", HEARTBEAT_NODE=70,
                           HEARTBEAT_STATE="dead")
    assert ue and ue[0]["HEARTBEAT_REASON"] == "panic", ue
    peer = pair.peers("lw2")[70]
    assert peer["state"] == "dead" and peer["last_words"] == "panic"
    r = pair.hb("lw2", "peer", "show", "id", "70")
    assert "last-words panic" in r.stdout, r.stdout
    # Detection times measure silence: last words took none.
    assert pair.stats("lw2")["detect_count"] == detections

    # It lives after all: rise heartbeats, and the reason is gone.
    send("lw1", [beat(70, 4), beat(70, 5)])
    assert alive(pair, 70)
    assert "last_words" not in pair.peers("lw2")[70]
    # A recorded DYING frame is a replay like any other.
    stale = pair.stats("lw2")["drops"]["stale_seq"]
    t = time.time_ns()
    send("lw1", [dying(70, 3)])
    assert wait_for(lambda: pair.stats("lw2")["drops"]["stale_seq"] == stale + 1, 3)
    assert pair.states("lw2")[70] == "alive"
    assert not mon.find(t, event="peer-state", id=70)


def test_every_reason_is_named_and_a_bad_one_dropped(pair):
    for i, (reason, name) in enumerate(list(REASONS.items()) + [(None, "unknown")]):
        node = 80 + i
        send("lw1", [beat(node, 1), beat(node, 2)])
        assert alive(pair, node)
        t = time.time_ns()
        send("lw1", [dying(node, 3, reason)])
        ue = pair.uevents.wait(3, after=t, HEARTBEAT_NODE=node, HEARTBEAT_STATE="dead")
        assert ue and ue[0]["HEARTBEAT_REASON"] == name, (reason, ue)
    field = pair.stats("lw2")["drops"]["field"]
    send("lw1", [beat(90, 1), beat(90, 2)])
    assert alive(pair, 90)
    send("lw1", [dying(90, 3, 9), frame(node=90, seq=4, interval=IVAL,
                                        tlvs=tlv(DYING_TLV, bytes([1, 0, 0, 0])))])
    assert wait_for(lambda: pair.stats("lw2")["drops"]["field"] == field + 2, 3)
    assert pair.states("lw2")[90] == "alive"


def test_quorate_node_takes_last_words_for_the_quorum(pair):
    """lw2 counts itself, lw1 and 70: quorate with two votes of three; 70's
    last words need no member to confirm its silence."""
    genl, _ = pair.genl("lw2")
    try:
        genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], 70))
        genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"],
                g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], 3))
    finally:
        genl.close()
    send("lw1", [beat(70, 1), beat(70, 2)])
    assert alive(pair, 70)
    assert wait_for(lambda: pair.hbj("lw2", "quorum", "show")["quorate"], 3)
    t = time.time_ns()
    send("lw1", [dying(70, 3, 2)])
    ue = pair.uevents.wait(3, after=t, HEARTBEAT_NODE=70, HEARTBEAT_STATE="dead")
    assert ue, pair.peers("lw2")[70]
    assert (ue[0]["HEARTBEAT_REASON"], ue[0]["HEARTBEAT_CONSENSUS"],
            ue[0]["HEARTBEAT_QUORATE"]) == ("reboot", "1", "1"), ue


def link_armed(c, host):
    return {l["dev"]: l["last_words"] for l in c.hbj(host, "link", "show")}


def test_last_words_setting_arms_and_disarms_links(pair):
    assert pair.hbj("lw2", "node", "show")["last_words"] == "reboot"
    assert link_armed(pair, "lw2") == {"eth0": False}
    pair.hb("lw2", "node", "set", "last-words", "on")
    assert link_armed(pair, "lw2") == {"eth0": VETH_NETPOLL}
    out = subprocess.run(["ip", "netns", "exec", "lw2", "cat", f"{INSTANCE}/last_words"],
                         capture_output=True, text=True, check=True).stdout
    assert out == "on\n"
    assert ("last-words armed" in pair.hb("lw2", "link", "show").stdout) == VETH_NETPOLL
    # A link added while on is armed; one deleted is disarmed, many times over.
    for _ in range(20):
        pair.hb("lw2", "link", "del", "dev", "eth0")
        pair.hb("lw2", "link", "add", "dev", "eth0")
    assert link_armed(pair, "lw2") == {"eth0": VETH_NETPOLL}
    assert alive(pair, 1)
    pair.hb("lw2", "node", "set", "last-words", "off")
    assert link_armed(pair, "lw2") == {"eth0": False}
    r = pair.hb("lw2", "node", "set", "last-words", "sometimes", check=False)
    assert r.returncode == 1 and "last-words" in r.stderr, r.stderr
    genl, ifindex = pair.genl("lw2")
    try:
        with pytest.raises(g.NetlinkError) as e:
            genl.node_set(g.u8(g.C["HEARTBEAT_A_NODE_LAST_WORDS"], 3))
        with pytest.raises(g.NetlinkError) as e:
            genl.do(g.C["HEARTBEAT_CMD_LINK_ADD"],
                    g.u32(g.C["HEARTBEAT_A_LINK_IFINDEX"], ifindex)
                    + g.u8(g.C["HEARTBEAT_A_LINK_LAST_WORDS"], 1))
        assert "last-words" in e.value.msg or "last words" in str(e.value), e.value
    finally:
        genl.close()
    # Armed links go with their namespace.
    pair.hb("lw1", "node", "set", "last-words", "on")
    assert link_armed(pair, "lw1") == {"eth0": VETH_NETPOLL}
