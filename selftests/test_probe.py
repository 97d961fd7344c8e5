# SPDX-License-Identifier: GPL-2.0-only
"""Probes (Documentation/protocol.rst, "Probes"): a probe is answered with
a plausible round trip, round trips show in peer show, sysfs and the
Prometheus output, a delay on the wire shows in them, a helper relays a
probe for a node that cannot hear the target, and probe frames are
authenticated, rate limited and never create peers.

Timing: under TCG a round trip on a veth bridge takes from tens of
microseconds to tens of milliseconds; bounds here are generous."""
import json
import re
import socket
import struct
import subprocess
import time

import pytest

import hbgenl as g
import promparse
from conftest import timing_scale
from hbcluster import HBCTL, Cluster, SocketReader, add_key, drop_frames_from, sh, wait_for
from hbframes import ETHERTYPE, frame, packet_socket, send, tlv

PROBE_TLV = 0x8005
MSG_PROBE, MSG_PROBE_REQ, MSG_ACK = 3, 4, 5
KEY = bytes(range(1, 33))
# A round trip this long on an idle veth means something is wrong.
RTT_MAX_S = timing_scale(0.5)
SLACK_S = timing_scale(0.3)

CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NETLINK_ADD_MEMBERSHIP = 1


@pytest.fixture
def cluster():
    c = Cluster(3, interval="10ms", fall=3, rise=2, slack="50ms", prefix="pr")
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    yield c
    c.close()


def probe_tlv(target, origin, helper=0, token=1):
    return tlv(PROBE_TLV, struct.pack("!IIII", target, origin, helper, token))


def mac_of(host, dev="eth0"):
    out = subprocess.run(["ip", "-n", host, "-br", "link", "show", dev],
                         capture_output=True, text=True, check=True).stdout
    return out.split()[2]


def stats(host):
    """Counters of host straight from netlink (PROBES_TX, PROBES_ACKED)."""
    genl, _ = Cluster.genl(host)
    try:
        a = genl.do(g.C["HEARTBEAT_CMD_STATS_GET"])[0]
    finally:
        genl.close()
    return {k: struct.unpack("=Q", a[g.C[f"HEARTBEAT_A_STATS_{k.upper()}"]])[0]
            for k in ("probes_tx", "probes_acked")}


class ProbeEvents(SocketReader):
    """Probe events of a namespace's events group, read by a thread."""

    def __init__(self, host):
        genl, _ = Cluster.genl(host)
        try:
            reply = genl.request(g.GENL_ID_CTRL, g.CTRL_CMD_GETFAMILY,
                                 g.attr(g.CTRL_ATTR_FAMILY_NAME, b"heartbeat\0"))
        finally:
            genl.close()
        gid = None
        for grp in g.parse_attrs(g.parse_attrs(reply[0])[CTRL_ATTR_MCAST_GROUPS]).values():
            a = g.parse_attrs(grp)
            if a[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0") == b"events":
                gid = struct.unpack("=I", a[CTRL_ATTR_MCAST_GRP_ID])[0]
        super().__init__(host, socket.AF_NETLINK, socket.SOCK_RAW, g.NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(g.SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
        self.start()

    def handle(self, data, anc, received_ns):
        """The probe events of one read (a read may hold several)."""
        events = []
        while len(data) >= 20:
            length = struct.unpack_from("=I", data)[0]
            a = g.parse_attrs(data[20:length])
            data = data[(length + 3) & ~3:]
            if a.get(g.C["HEARTBEAT_A_EVENT_TYPE"]) != bytes([g.C["HEARTBEAT_EVENT_PROBE"]]):
                continue
            ev = {}
            for key, fmt in (("PEER", "I"), ("PROBE_TOKEN", "I"), ("VIA", "I"),
                             ("IFINDEX", "I"), ("RTT_NS", "Q")):
                v = a.get(g.C[f"HEARTBEAT_A_EVENT_{key}"])
                if v is not None:
                    ev[key.lower()] = struct.unpack("=" + fmt, v)[0]
            events.append(ev)
        return events or None

    @property
    def events(self):
        with self.lock:
            return [e for batch in self.items for e in batch]

    def find(self, **want):
        return [e for e in self.events if all(e.get(k) == v for k, v in want.items())]


def probe(c, host, *args, check=True):
    return c.hb(host, "-j", "peer", "probe", *args, check=check)


def test_probe_is_answered_with_a_plausible_rtt(cluster):
    before = stats("pr1")
    r = probe(cluster, "pr1", "id", "2", "count", "3", "interval", "50ms")
    out = json.loads(r.stdout)
    assert len(out["probes"]) == 3, out
    for p in out["probes"]:
        assert p["id"] == 2 and p["dev"] == "eth0" and "timeout" not in p, p
        assert 0 < p["rtt_ns"] < RTT_MAX_S * 1e9, p
    s = out["summary"]
    assert (s["sent"], s["answered"], s["loss_pct"]) == (3, 3, 0), s
    assert s["rtt_min_ns"] <= s["rtt_mean_ns"] <= s["rtt_max_ns"]
    after = stats("pr1")
    assert after["probes_tx"] - before["probes_tx"] >= 3
    assert after["probes_acked"] - before["probes_acked"] == 3

    # Text, as ping prints it.
    r = cluster.hb("pr1", "peer", "probe", "id", "3", "count", "1")
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"probe to 3 via eth0: rtt \d+\.\d{3} ms", lines[0]), r.stdout
    assert re.fullmatch(r"1 probes, 1 answered, 0% loss, rtt min/mean/max = "
                        r"[\d.]+/[\d.]+/[\d.]+ ms", lines[1]), r.stdout


def test_rtt_statistics_in_peer_show_sysfs_and_prometheus(cluster):
    probe(cluster, "pr1", "id", "2", "count", "5", "interval", "20ms")
    p = cluster.peers("pr1")[2]
    rtt = p["rtt_us"]
    assert rtt["samples"] == 5, p
    assert 0 < rtt["min"] <= rtt["mean"] <= rtt["p99"] < RTT_MAX_S * 1e6, rtt
    paths = [q for q in p["paths"] if "rtt_us" in q]
    assert paths and paths[0]["rtt_us"]["samples"] == 5, p["paths"]
    assert "rtt_us" not in cluster.peers("pr1")[3]
    text = cluster.hb("pr1", "peer", "show").stdout
    assert re.search(r"^2 .* rtt min/mean/p99 [\d.]+/[\d.]+/[\d.]+ ms", text, re.M), text

    sysfs = subprocess.run(["ip", "netns", "exec", "pr1", "cat",
                            "/sys/kernel/heartbeat/instance/peers/2/rtt_us"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert [int(x) for x in sysfs][3] == 5, sysfs
    assert int(sysfs[0]) == rtt["min"] and int(sysfs[2]) == rtt["p99"], (sysfs, rtt)

    text = subprocess.run(["ip", "netns", "exec", "pr1", HBCTL, "stats", "-o", "prometheus"],
                          capture_output=True, text=True, check=True).stdout
    fams = promparse.parse(text)
    fam = fams["heartbeat_rtt_seconds"]
    assert fam["type"] == "histogram"
    samples = {(n, lb.get("peer"), lb.get("le")): v for n, lb, v in fam["samples"]}
    assert samples[("heartbeat_rtt_seconds_count", "2", None)] == 5
    assert samples[("heartbeat_rtt_seconds_bucket", "2", "+Inf")] == 5
    total = samples[("heartbeat_rtt_seconds_sum", "2", None)]
    assert 0 < total < 5 * RTT_MAX_S
    assert not any(lb.get("peer") == "3" for _, lb, _ in fam["samples"])


def test_probe_refusals_are_explained(cluster):
    r = cluster.hb("pr1", "peer", "probe", "id", "9", check=False)
    assert r.returncode == 2 and "no such peer" in r.stderr, r
    assert r.stdout == ""
    r = cluster.hb("pr1", "peer", "probe", "id", "2", "dev", "lo", check=False)
    assert r.returncode == 2 and "device is not a link" in r.stderr, r
    genl, _ = Cluster.genl("pr1")
    try:
        with pytest.raises(g.NetlinkError) as e:
            genl.do(g.C["HEARTBEAT_CMD_PEER_PROBE"])
        assert "peer id is required" in str(e.value)
        with pytest.raises(g.NetlinkError):
            genl.do(g.C["HEARTBEAT_CMD_PEER_PROBE"],
                    g.u32(g.C["HEARTBEAT_A_PROBE_PEER"], 2)
                    + g.u32(g.C["HEARTBEAT_A_PROBE_TOKEN"], 5))
    finally:
        genl.close()


def test_netem_delay_shows_in_the_rtt(cluster):
    sh("ip netns exec pr2 tc qdisc add dev eth0 root netem delay 20ms")
    out = json.loads(probe(cluster, "pr1", "id", "2", "count", "3", "interval", "50ms").stdout)
    rtts = [p["rtt_ns"] / 1e6 for p in out["probes"]]
    assert len(rtts) == 3, out
    assert all(20 <= r < 20 + SLACK_S * 1000 for r in rtts), rtts
    p = cluster.peers("pr1")[2]["rtt_us"]
    # At least our three: a slow kernel may have probed on a suspicion too.
    assert p["min"] >= 20000 and p["samples"] >= 3, p


def test_a_helper_relays_a_probe_it_can_deliver(cluster):
    """pr1 stops hearing pr3 (an ingress filter on pr1 drops pr3's frames);
    pr3 goes suspect at pr1, which probes it directly (lost) and through
    the others: pr2's relayed answer arrives with VIA 2."""
    # Helpers are configured members.
    cluster.hb("pr1", "peer", "add", "id", "2")
    cluster.hb("pr1", "peer", "add", "id", "3")
    ev = ProbeEvents("pr1")
    try:
        mac3 = mac_of("pr3")
        drop_frames_from("pr1", mac3, protocol="0x88b5")
        relayed = wait_for(lambda: ev.find(peer=3, via=2), 5)
        assert relayed, ev.events
        assert 0 < relayed[0]["rtt_ns"] < RTT_MAX_S * 1e9
        assert relayed[0]["ifindex"] > 0
        # The direct probe got no answer: a loss, reported after a second.
        assert wait_for(lambda: [e for e in ev.find(peer=3, via=0) if "rtt_ns" not in e], 5), \
            ev.events
        p = cluster.peers("pr1")[3]
        assert p["rtt_us"]["samples"] >= 1, p
        # One request, one probe by the helper; copies count as stale.
        assert cluster.stats("pr2")["drops"]["probe_limit"] == 0
        assert stats("pr2")["probes_tx"] == 1, (stats("pr2"), ev.events)
        assert wait_for(lambda: ev.find(peer=3, via=2) and
                        cluster.states("pr1")[3] in ("suspect", "dead"), 1)
    finally:
        ev.stop()


def test_probe_frames_are_authenticated(cluster):
    for h in cluster.hosts:
        add_key(cluster, h, 1, KEY)
        cluster.hb(h, "node", "set", "auth-key", "1", "auth", "optional")
    for h in cluster.hosts:
        cluster.hb(h, "node", "set", "auth", "required")
    out = json.loads(probe(cluster, "pr1", "id", "2", "count", "2", "interval", "20ms").stdout)
    assert out["summary"]["answered"] == 2, out

    before = cluster.stats("pr2")["drops"]
    send("pr1", [frame(node=1, mtype=MSG_PROBE, tlvs=probe_tlv(2, 1, token=7))],
         dst=mac_of("pr2"))
    time.sleep(0.5)
    after = cluster.stats("pr2")["drops"]
    assert after["unsigned"] - before["unsigned"] == 1, after


def test_probes_from_unknown_nodes_never_create_peers(cluster):
    before = cluster.stats("pr2")["drops"]["unknown_peer"]
    send("pr1", [frame(node=77, mtype=MSG_PROBE, tlvs=probe_tlv(2, 77, token=7)),
                 frame(node=77, mtype=MSG_PROBE_REQ, tlvs=probe_tlv(3, 77, 2, 8)),
                 frame(node=77, mtype=MSG_ACK, tlvs=probe_tlv(2, 77, token=9))],
         dst=mac_of("pr2"))
    time.sleep(0.5)
    assert cluster.stats("pr2")["drops"]["unknown_peer"] - before == 3
    assert 77 not in cluster.peers("pr2")


def test_a_forged_ack_counts_for_nothing(cluster):
    """An ACK whose token is not pending is dropped, and never twice."""
    before = cluster.stats("pr1")["drops"]["stale_seq"]
    acked = stats("pr1")["probes_acked"]
    send("pr2", [frame(node=2, mtype=MSG_ACK, tlvs=probe_tlv(2, 1, token=1234))] * 2,
         dst=mac_of("pr1"))
    time.sleep(0.5)
    assert cluster.stats("pr1")["drops"]["stale_seq"] - before == 2
    assert stats("pr1")["probes_acked"] == acked


def test_a_probe_flood_is_rate_limited(cluster):
    before = cluster.stats("pr2")["drops"]["probe_limit"]
    sent = 4000
    sock = packet_socket("pr1")
    head = (bytes.fromhex(mac_of("pr2").replace(":", "")) + sock.getsockname()[4]
            + ETHERTYPE.to_bytes(2, "big"))
    frames = [head + frame(node=1, mtype=MSG_PROBE, tlvs=probe_tlv(2, 1, token=i + 1))
              for i in range(sent)]
    start = time.monotonic()
    with sock:
        for f in frames:
            sock.send(f)
    elapsed = time.monotonic() - start
    time.sleep(0.5)
    limited = cluster.stats("pr2")["drops"]["probe_limit"] - before
    answered = sent - limited
    # A second of burst, then 1000 a second: a sender slower than that
    # (the debug kernel's) is not limited at all.
    if sent > 1000 + 1000 * elapsed + 100:
        assert limited > 0, (limited, elapsed)
    assert answered <= 1000 + 1000 * (elapsed + 0.6) + 10, (answered, elapsed)
    # The cluster is fine, and so is the kernel.
    assert wait_for(cluster.all_alive, 5)
    dmesg = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    assert not re.search(r"WARNING:|BUG:|Oops", dmesg), dmesg[-3000:]
