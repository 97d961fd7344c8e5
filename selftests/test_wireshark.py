# SPDX-License-Identifier: GPL-2.0-only
"""The Wireshark dissector (tools/wireshark/heartbeat.lua) on the module's own
frames: three nodes with keys, gossip, a readiness gate, probes (direct and
through a helper) and a leave, captured on ws1's eth0 and read back with
tshark; every field must be what its sender set, and crafted frames -
last words, and malformed ones - are decoded as built or flagged with the
drop reason the module itself counts them under, without one Lua error.
tools/wireshark/tests/test_dissector.py tests the dissector on the host."""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from hbcluster import HB_TOP, Cluster, add_key, wait_for
from hbframes import GROUP, frame, packet_socket, tlv

sys.path.insert(0, os.path.join(HB_TOP, "tools/wireshark/tests"))
import hbshark  # noqa: E402

P = hbshark.proto_h()
ETHERTYPE = P["HB_ETHERTYPE_DEFAULT"]
ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
SOL_PACKET = 263
PACKET_STATISTICS = 6
KEY = bytes(range(0xA0, 0xC0))
KEY_ID = 4242
CLUSTER_ID = 0xC0FFEE
INTERVAL_US = 100000
NOT_READY = P["HB_FLAG_NOT_READY"]
MSG = {name: P["HB_MSG_" + name] for name in
       ("HEARTBEAT", "LEAVE", "PROBE", "PROBE_REQ", "ACK", "DYING")}

# Crafted, from ws2: last words of a node of another cluster (ws1 drops it
# as [cluster], after the codec took it), and frames the codec drops.
DYING = frame(node=70, cluster=0xD1E, seq=9, incarnation=0xFEEDFACE, interval=2500000,
              mtype=MSG["DYING"], link=3, tx_time=1796700000987654321,
              tlvs=tlv(P["HB_TLV_DYING"], bytes([P["HB_DYING_REBOOT"], 0, 0, 0])))
MALFORMED = [
    ("short", frame(cluster=CLUSTER_ID)[:30]),
    ("magic", frame(cluster=CLUSTER_ID, magic=0x4843)),
    ("version", frame(cluster=CLUSTER_ID, version=2)),
    ("length", frame(cluster=CLUSTER_ID, length=47)),
    ("length", frame(cluster=CLUSTER_ID, length=400)),
    ("type", frame(cluster=CLUSTER_ID, mtype=9)),
    ("field", frame(cluster=CLUSTER_ID, node=0)),
    ("field", frame(cluster=CLUSTER_ID, interval=999)),
    ("tlv", frame(cluster=CLUSTER_ID, tlvs=struct.pack("!HH", P["HB_TLV_LATE"], 0x40))),
    ("tlv", frame(cluster=CLUSTER_ID, tlvs=tlv(0x8077, b"must understand"))),
    ("tlv", frame(cluster=CLUSTER_ID, tlvs=tlv(P["HB_TLV_GOSSIP"], struct.pack("!HH", 1, 0)
                                                + bytes(30)))),
    ("tlv", frame(cluster=CLUSTER_ID, mtype=MSG["PROBE"])),
]


class RawCapture:
    """Every heartbeat frame on a host's device, both directions (ETH_P_ALL
    taps see outgoing frames, and incoming ones before tc ingress), with
    the kernel's receive timestamp."""

    def __init__(self, host, dev="eth0"):
        from pyroute2 import netns as pnetns
        pnetns.pushns(host)
        try:
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        finally:
            pnetns.popns()
        self.sock.bind((dev, ETH_P_ALL))
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        # Room for seconds of frames: a frame the socket dropped would read
        # as a frame the sender never sent (the tests check the sequence).
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        self.sock.settimeout(0.1)
        self.frames = []
        self.pkttypes = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while self.running:
            try:
                data, anc, _, addr = self.sock.recvmsg(65536, 64)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 14 or struct.unpack_from("!H", data, 12)[0] != ETHERTYPE:
                continue
            ts = time.time_ns()
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", payload[:16])
                    ts = sec * 10**9 + nsec
            with self.lock:
                self.frames.append((ts, data))
                self.pkttypes.append(addr[2])

    def seen(self, pred):
        with self.lock:
            return [f for f in self.frames if pred(f[1])]

    def stop(self):
        self.running = False
        self.thread.join()
        # Frames the socket dropped (its buffer full): tp_packets, tp_drops.
        self.drops = struct.unpack("II", self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))[1]
        self.sock.close()


def mac_of(host, dev="eth0"):
    out = subprocess.run(["ip", "-n", host, "-br", "link", "show", dev],
                         capture_output=True, text=True, check=True).stdout
    return bytes.fromhex(out.split()[2].replace(":", ""))


def msg_type(data):
    return data[14 + 3] if len(data) >= 18 else None


class Run:
    """What was set, what happened when, and what tshark made of it."""

    def __init__(self):
        self.t0 = time.monotonic()

    def mark(self, what):
        print(f"# {time.monotonic() - self.t0:6.2f} s: {what}")


@pytest.fixture(scope="module")
def run():
    r = Run()
    c = Cluster(3, interval=f"{INTERVAL_US}us", fall=3, rise=2, slack="50ms",
                cluster=CLUSTER_ID, prefix="ws")
    cap = None
    try:
        assert wait_for(c.all_alive, 10), "cluster did not converge"
        r.mark("cluster alive")
        for h in c.hosts:
            add_key(c, h, KEY_ID, KEY)
            c.hb(h, "node", "set", "auth-key", str(KEY_ID), "auth", "optional")
        # ws2 gossips one entry a frame: a rotation through its view of two.
        c.hb("ws2", "node", "set", "gossip", "1")
        # Helpers are configured members (the PROBE_REQ below).
        c.hb("ws1", "peer", "add", "id", "2")
        c.hb("ws1", "peer", "add", "id", "3")
        r.mac = {mac_of(h): i for i, h in enumerate(c.hosts, 1)}
        r.incarnation = {i: c.hbj(h, "node", "show")["incarnation"]
                         for i, h in enumerate(c.hosts, 1)}
        r.link = {i: c.hbj(h, "link", "show")[0]["id"] for i, h in enumerate(c.hosts, 1)}
        # Frames signed from here on: every node has the key.
        r.mark("keys, gossip, peers set")
        time.sleep(0.2)
        cap = RawCapture("ws1")
        r.start = time.time_ns()
        time.sleep(0.4)

        # ws1 not ready: a gate nobody kicks; ws2 probes it meanwhile.
        r.gate_added = time.time_ns()
        c.hb("ws1", "app", "add", "db", "timeout", "10ms")
        assert wait_for(lambda: c.hbj("ws1", "app", "show", "db")[0]["state"] == "expired", 3)
        r.gate_expired = time.time_ns()
        # test_not_ready_flag counts ws1's frames from three intervals after
        # the expiry until the deletion: six intervals more at least.
        time.sleep((3 + 6) * INTERVAL_US / 1e6)
        out = c.hb("ws2", "-j", "peer", "probe", "id", "1", "count", "2", "interval", "20ms").stdout
        assert '"answered":2' in out, out
        r.gate_deleting = time.time_ns()
        c.hb("ws1", "app", "del", "db")
        r.gate_deleted = time.time_ns()
        r.mark("gate and probes")
        time.sleep(0.2)

        # ws1 stops hearing ws3 (its frames dropped by tc after the capture
        # tap): ws1 probes it through ws2, which relays the answer.
        r.tc = subprocess.run(["ip", "netns", "exec", "ws1", "tc", "qdisc", "add", "dev", "eth0",
                               "ingress"], capture_output=True, text=True)
        r.lose_ws3 = time.time_ns()
        if not r.tc.returncode:
            mac3 = ":".join("%02x" % b for b in mac_of("ws3"))
            r.tc = subprocess.run(["ip", "netns", "exec", "ws1", "tc", "filter", "add", "dev",
                                   "eth0", "ingress", "protocol", "0x%04x" % ETHERTYPE, "flower",
                                   "src_mac", mac3, "action", "drop"],
                                  capture_output=True, text=True)
            if r.tc.returncode:
                subprocess.run(["ip", "netns", "exec", "ws1", "tc", "qdisc", "del", "dev", "eth0",
                                "ingress"], check=True)
        if not r.tc.returncode:
            relayed = wait_for(lambda: cap.seen(lambda d: msg_type(d) == MSG["ACK"]
                                                and r.mac.get(d[6:12]) == 2
                                                and r.mac.get(d[0:6]) == 1), 5)
            assert relayed, "no ACK relayed by ws2"
            subprocess.run(["ip", "netns", "exec", "ws1", "tc", "qdisc", "del", "dev", "eth0",
                            "ingress"], check=True)
        r.heard_again = time.time_ns()
        r.mark("probe through a helper")

        # Crafted: last words, and malformed frames, which ws1 counts.
        r.drops_before = c.stats("ws1")["drops"]
        # From a packet socket: scapy (hbframes.send) takes seconds to
        # import under emulation.
        with packet_socket("ws2") as sock:
            head = (bytes.fromhex(GROUP.replace(":", "")) + sock.getsockname()[4]
                    + ETHERTYPE.to_bytes(2, "big"))
            for p in [DYING] + [p for _, p in MALFORMED]:
                sock.send(head + p)
        want = {}
        for reason, _ in MALFORMED:
            want[reason] = want.get(reason, 0) + 1
        r.want_drops = want
        last = MALFORMED[-1][1]
        assert wait_for(lambda: cap.seen(lambda d: d[14:] == last), 5), "crafted frames not seen"
        assert wait_for(lambda: all(c.stats("ws1")["drops"][k] - r.drops_before[k] >= n
                                    for k, n in want.items()), 5, step=0.2), c.stats("ws1")["drops"]
        r.drops_after = c.stats("ws1")["drops"]
        r.mark("crafted frames")

        # ws3 leaves: its last link goes.
        r.links = {3: c.hbj("ws3", "link", "show")[0]}
        c.hb("ws3", "link", "del", "dev", "eth0")
        assert wait_for(lambda: cap.seen(lambda d: msg_type(d) == MSG["LEAVE"]), 3), "no LEAVE"
        time.sleep(0.1)
        cap.stop()
        r.mark("leave")
        r.links.update({i: c.hbj(f"ws{i}", "link", "show")[0] for i in (1, 2)})
        r.capture_drops = cap.drops
        r.pkttypes = cap.pkttypes
        r.frames = cap.frames
        cap = None
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "ws1.pcap")
            hbshark.write_pcap(pcap, [d for _, d in r.frames], [t for t, _ in r.frames])
            # One tshark run: it starts slowly under emulation.
            r.fields = hbshark.tshark(pcap, prefs={"keys": f"{KEY_ID}={KEY.hex()}"})
        assert len(r.fields) == len(r.frames)
        r.mark(f"tshark: {len(r.frames)} frames, {r.capture_drops} dropped by the capture")
        seen = {}
        for (ts, d), pt in zip(r.frames, r.pkttypes):
            seen.setdefault(d, []).append((ts, pt))
        for d, copies in seen.items():
            if len(copies) > 1:
                print(f"# {len(copies)} copies, type {msg_type(d)}, dst {d[:6].hex()} "
                      f"src {d[6:12].hex()}: {copies}")
        yield r
    finally:
        if cap:
            cap.stop()
        c.close()


def v(fields, name):
    return hbshark.values(fields, name)


def one(fields, name):
    vals = v(fields, name)
    assert len(vals) == 1, (name, vals)
    return vals[0]


def module_frames(r, mtype=None):
    """(sender id, capture time, fields, bytes) of the frames the nodes sent."""
    out = []
    for (ts, data), fields in zip(r.frames, r.fields):
        sender = r.mac.get(data[6:12])
        if sender and data[14:] not in [DYING] + [p for _, p in MALFORMED]:
            if mtype is None or msg_type(data) == mtype:
                out.append((sender, ts, fields, data))
    return out


def test_every_frame_decodes_as_its_sender_set_it(run):
    frames = module_frames(run)
    by_type = {}
    for sender, ts, fields, data in frames:
        assert fields is not None, data.hex()
        mtype = int(one(fields, "heartbeat.type"))
        by_type[mtype] = by_type.get(mtype, 0) + 1
        assert one(fields, "heartbeat.magic") == "0x%04x" % P["HB_MAGIC"]
        assert one(fields, "heartbeat.version") == str(P["HB_VERSION"])
        assert int(one(fields, "heartbeat.length")) == len(data) - 14
        assert int(one(fields, "heartbeat.node")) == sender
        assert int(one(fields, "heartbeat.cluster")) == CLUSTER_ID
        assert int(one(fields, "heartbeat.incarnation")) == run.incarnation[sender]
        assert int(one(fields, "heartbeat.link")) == run.link[sender]
        assert int(one(fields, "heartbeat.interval")) == INTERVAL_US
        # The sender's clock at transmit: the VM's one clock, just before.
        tx = int(one(fields, "heartbeat.tx_time"))
        assert -10**6 <= ts - tx < 2 * 10**9, (ts, tx)
        assert one(fields, "heartbeat.reserved") == "0x0000"
        # Signed with the key, and the MAC checks out.
        assert one(fields, "heartbeat.auth.key_id") == str(KEY_ID)
        assert one(fields, "heartbeat.auth.mac_good") == "1", data.hex()
        assert v(fields, "heartbeat.tlv.type")[-1] == "0x%04x" % P["HB_TLV_AUTH"]
        assert hbshark.verdict(fields) == "ok"
        # Gaps in the sequence are the next test's.
        bad = [e for e in hbshark.experts(fields)
               if e not in ("heartbeat.not_ready", "heartbeat.leave",
                            "heartbeat.analysis.lost_frames")]
        assert not bad, (bad, data.hex())
    assert set(by_type) == {MSG[t] for t in ("HEARTBEAT", "LEAVE", "PROBE", "ACK")} | (
        {MSG["PROBE_REQ"]} if not run.tc.returncode else set()), by_type


def test_heartbeats_count_and_carry_their_tlvs(run):
    last = {}
    gaps = []
    for sender, ts, fields, data in module_frames(run):
        if int(one(fields, "heartbeat.type")) not in (MSG["HEARTBEAT"], MSG["LEAVE"]):
            continue
        seq = int(one(fields, "heartbeat.seq"))
        lost = [int(x) for x in v(fields, "heartbeat.analysis.lost")]
        if sender in last:
            assert seq > last[sender], (sender, last[sender], seq)
            # The dissector counts a gap exactly as the numbers say.
            assert lost == ([seq - last[sender] - 1] if seq > last[sender] + 1 else []), \
                (sender, last[sender], seq, lost)
            if lost:
                gaps.append((sender, last[sender], seq))
        last[sender] = seq
    # A gap on the wire is a frame the capture or a sender dropped, and
    # either says so.
    errors = sum(link["tx_errors"] for link in run.links.values())
    assert len(gaps) <= run.capture_drops + errors, (gaps, run.capture_drops, run.links)
    for sender, ts, fields, data in module_frames(run, MSG["HEARTBEAT"]):
        types = v(fields, "heartbeat.tlv.type")
        assert "0x%04x" % P["HB_TLV_LATE"] in types and int(one(fields, "heartbeat.late")) < 10**6
        # ECHO: the latest frame of each peer the sender hears.
        for node, link in zip(v(fields, "heartbeat.echo.node"), v(fields, "heartbeat.echo.link")):
            assert int(node) in run.incarnation and int(node) != sender
            assert int(link) == run.link[int(node)]
        # GOSSIP: the sender's view, first hand.
        nodes = [int(n) for n in v(fields, "heartbeat.gossip.node")]
        assert nodes and sender not in nodes, nodes
        for n, inc in zip(nodes, v(fields, "heartbeat.gossip.incarnation")):
            assert int(inc) == run.incarnation[n]
        # Until ws1 lost ws3, everyone hears everyone.
        if ts < run.lose_ws3:
            assert len(v(fields, "heartbeat.echo.node")) == 2, fields
            assert int(one(fields, "heartbeat.gossip.total")) == 2
            assert len(nodes) == (1 if sender == 2 else 2)
            assert set(v(fields, "heartbeat.gossip.state")) == {"1"}, fields
    # ws2's single entry goes round its view.
    firsts = {one(f, "heartbeat.gossip.first") for s, ts, f, _ in
              module_frames(run, MSG["HEARTBEAT"]) if s == 2 and ts < run.lose_ws3}
    assert firsts == {"0", "1"}, firsts


def test_not_ready_flag(run):
    margin = 3 * INTERVAL_US * 1000
    during = after = 0
    for sender, ts, fields, data in module_frames(run):
        flag = one(fields, "heartbeat.flags.not_ready")
        if sender != 1 or ts < run.gate_added or ts > run.gate_deleted + margin:
            assert flag == "0" and one(fields, "heartbeat.flags") == "0x0000", (sender, ts)
            after += sender == 1 and ts > run.gate_deleted + margin
        elif run.gate_expired + margin < ts < run.gate_deleting:
            assert flag == "1" and one(fields, "heartbeat.flags") == "0x%04x" % NOT_READY
            assert "heartbeat.not_ready" in hbshark.experts(fields)
            during += 1
    assert during >= 5 and after >= 5, (during, after)


def test_probe_and_ack(run):
    """hbctl peer probe's two probes (ws2 may probe a peer of its own accord
    too, when a late heartbeat under emulation makes it suspect)."""
    def parties(f):
        return tuple(one(f, f"heartbeat.probe.{k}") for k in ("target", "origin", "helper"))
    probes = [f for s, ts, f, _ in module_frames(run, MSG["PROBE"])
              if s == 2 and run.gate_expired < ts < run.gate_deleting and parties(f) == ("1", "2", "0")]
    acks = {one(f, "heartbeat.probe.token"): f for s, _, f, _ in module_frames(run, MSG["ACK"])
            if s == 1}
    assert len(probes) >= 2, [parties(f) for s, _, f, _ in module_frames(run, MSG["PROBE"])]
    for p in probes:
        a = acks[one(p, "heartbeat.probe.token")]
        assert parties(a) == parties(p)
        # Not ready at the time: the answer says so too.
        assert one(a, "heartbeat.flags.not_ready") == "1"


def test_probe_req_and_relayed_ack(run):
    if run.tc.returncode:
        pytest.skip(f"no tc ingress or flower in this kernel: {run.tc.stderr.strip()}")
    reqs = [f for s, _, f, _ in module_frames(run, MSG["PROBE_REQ"]) if s == 1]
    assert reqs
    tokens = set()
    for f in reqs:
        assert (one(f, "heartbeat.probe.target"), one(f, "heartbeat.probe.origin"),
                one(f, "heartbeat.probe.helper")) == ("3", "1", "2")
        tokens.add(one(f, "heartbeat.probe.token"))
    relayed = [f for s, _, f, d in module_frames(run, MSG["ACK"]) if s == 2 and
               run.mac.get(d[0:6]) == 1]
    assert relayed and all(one(f, "heartbeat.probe.helper") == "2" and
                           one(f, "heartbeat.probe.token") in tokens for f in relayed)


def test_leave(run):
    leaves = module_frames(run, MSG["LEAVE"])
    assert [s for s, _, _, _ in leaves] == [3], leaves
    f = leaves[0][2]
    assert "heartbeat.leave" in hbshark.experts(f)
    assert v(f, "heartbeat.tlv.type")[-1] == "0x%04x" % P["HB_TLV_AUTH"]


def crafted(run, payload):
    got = [f for (_, d), f in zip(run.frames, run.fields) if d[14:] == payload]
    assert len(got) == 1, payload.hex()
    return got[0]


def test_crafted_last_words(run):
    f = crafted(run, DYING)
    want = {"heartbeat.type": str(MSG["DYING"]), "heartbeat.node": "70",
            "heartbeat.cluster": str(0xD1E), "heartbeat.seq": "9",
            "heartbeat.incarnation": str(0xFEEDFACE), "heartbeat.interval": "2500000",
            "heartbeat.link": "3", "heartbeat.tx_time": "1796700000987654321",
            "heartbeat.dying.reason": str(P["HB_DYING_REBOOT"])}
    for k, val in want.items():
        assert one(f, k) == val, (k, v(f, k))
    assert hbshark.experts(f) == ["heartbeat.last_words"]


def test_malformed_frames_flagged_as_the_module_counts_them(run):
    for reason, payload in MALFORMED:
        f = crafted(run, payload)
        assert hbshark.verdict(f) == reason, (reason, payload.hex(), f)
        assert f"heartbeat.malformed.{reason}" in hbshark.experts(f)
    # The module dropped exactly these, each for the reason shown.
    got = {k: run.drops_after[k] - run.drops_before[k] for k in run.want_drops}
    assert got == run.want_drops, (got, run.want_drops)
