#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the Wireshark dissector (tools/wireshark/heartbeat.lua),
through tshark; KTAP output.

- its constants and names are kmod/proto.h's (and detector.h's states);
- frames of every message type and TLV, every field set to a value of its
  own, decode to exactly those values, with no expert info but the ones
  their content calls for;
- a MAC is verified with the sender's key, and a frame changed after it was
  signed is flagged;
- the EtherType preference, Decode As and 802.1Q tags;
- mutated frames (truncated, bad lengths, bad TLV lengths, unknown types
  and versions, zeroed fields, stray TLVs...) are judged exactly as the
  module's codec (kmod/proto.c, built into codec_verdict) judges them,
  frame by frame, and not one gives a Lua error.

  test_dissector.py CODEC_VERDICT   (make -C tools/wireshark check)

HB_WS_FUZZ=N mutates N frames (default 3000), HB_WS_SEED=S replays a run.
"""
import hashlib
import hmac
import os
import random
import struct
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hbshark  # noqa: E402
from hbshark import ether, experts, tshark, values, verdict, write_pcap  # noqa: E402

sys.path.insert(0, os.path.join(hbshark.TOP, "selftests"))
from hbframes import frame, signed, tlv  # noqa: E402

P = hbshark.proto_h()
KEY = bytes(range(0x40, 0x60))
KEY_ID = 4242
CODEC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(hbshark.TOP, "build/wireshark/codec_verdict")

# Values no default and no other field has, so that a field read from the
# wrong offset cannot pass.
HDR = dict(cluster=0x00C1D2E3, node=4000000001, incarnation=0x0123456789ABCDEF,
           seq=(1 << 63) + 5, tx_time=1796700000123456789, interval=1234567, link=31)


def codec(payloads):
    """The codec's verdict of each message."""
    r = subprocess.run([CODEC], input="".join(p.hex() + "\n" for p in payloads),
                       capture_output=True, text=True, check=True)
    return r.stdout.split()


def dissect(payloads, prefs=None, frames=None):
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "t.pcap")
        write_pcap(pcap, frames if frames is not None else [ether(p) for p in payloads])
        return tshark(pcap, prefs)


_links = iter(range(32, 0, -1))


def hdr(mtype, **kw):
    """HDR, on a link of its own: each frame a stream of its own, which
    the sequence analysis leaves alone."""
    return dict(HDR, mtype=mtype, **dict(dict(link=next(_links)), **kw))


def header_fields(h, length):
    """What tshark shows for a header built from h: field -> [value]."""
    return {
        "heartbeat.magic": ["0x4842"], "heartbeat.version": ["1"],
        "heartbeat.type": [str(h["mtype"])], "heartbeat.length": [str(length)],
        "heartbeat.link": [str(h["link"])], "heartbeat.cluster": [str(h["cluster"])],
        "heartbeat.node": [str(h["node"])], "heartbeat.incarnation": [str(h["incarnation"])],
        "heartbeat.seq": [str(h["seq"])], "heartbeat.tx_time": [str(h["tx_time"])],
        "heartbeat.interval": [str(h["interval"])],
        "heartbeat.flags": ["0x%04x" % h.get("flags", 0)],
        "heartbeat.flags.not_ready": [str(h.get("flags", 0) & P["HB_FLAG_NOT_READY"])],
        "heartbeat.reserved": ["0x%04x" % h.get("reserved", 0)],
    }


def late(us):
    return tlv(P["HB_TLV_LATE"], struct.pack("!II", us, 0))


def gossip(total, first, entries):
    return tlv(P["HB_TLV_GOSSIP"], struct.pack("!HH", total, first) + b"".join(
        struct.pack("!IIQB3x", *e) for e in entries))


def echo(entries):
    return tlv(P["HB_TLV_ECHO"], b"".join(struct.pack("!IHHQ", n, l, 0, s) for n, l, s in entries))


def probe(target, origin, helper, token):
    return tlv(P["HB_TLV_PROBE"], struct.pack("!IIII", target, origin, helper, token))


def dying(reason):
    return tlv(P["HB_TLV_DYING"], bytes([reason, 0, 0, 0]))


def hexbytes(b):
    return ":".join("%02x" % x for x in b)


# --- the cases -------------------------------------------------------------

def valid_cases():
    """(name, payload, expected fields, expected expert infos) of frames the
    codec accepts, every message type and TLV among them."""
    global _links
    _links = iter(range(32, 0, -1))
    cases = []
    gossip_entries = [(7, 1500, 0x1111222233334444, 1), (4000000002, 0xffffffff, 9, 3),
                      (12, 0, 1, 4)]
    echo_entries = [(3000000003, 2, 77777777777), (5, 32, 1)]
    h = hdr(P["HB_MSG_HEARTBEAT"], flags=P["HB_FLAG_NOT_READY"])
    body = frame(**h, tlvs=late(654321) + echo(echo_entries) + gossip(9, 4, gossip_entries))
    p = signed(body, KEY, KEY_ID)
    want = header_fields(h, len(p))
    want.update({
        "heartbeat.tlv.type": ["0x0004", "0x0002", "0x0003", "0x8001"],
        "heartbeat.tlv.critical": ["0", "0", "0", "1"],
        "heartbeat.tlv.len": ["8", "32", str(4 + 20 * 3), "20"],
        "heartbeat.late": ["654321"],
        "heartbeat.echo.node": [str(e[0]) for e in echo_entries],
        "heartbeat.echo.link": [str(e[1]) for e in echo_entries],
        "heartbeat.echo.seq": [str(e[2]) for e in echo_entries],
        "heartbeat.gossip.total": ["9"], "heartbeat.gossip.first": ["4"],
        "heartbeat.gossip.node": [str(e[0]) for e in gossip_entries],
        "heartbeat.gossip.age": [str(e[1]) for e in gossip_entries],
        "heartbeat.gossip.incarnation": [str(e[2]) for e in gossip_entries],
        "heartbeat.gossip.state": [str(e[3]) for e in gossip_entries],
        "heartbeat.auth.key_id": [str(KEY_ID)],
        "heartbeat.auth.mac": [hexbytes(p[-16:])],
        "heartbeat.auth.mac_good": ["1"],
    })
    cases.append(("heartbeat, signed, every TLV", p, want, ["heartbeat.not_ready"]))

    h = hdr(P["HB_MSG_LEAVE"])
    p = frame(**h)
    cases.append(("leave", p, dict(header_fields(h, len(p)), **{"heartbeat.tlv.type": []}),
                  ["heartbeat.leave"]))

    for mtype, helper in (("PROBE", 0), ("PROBE_REQ", 4000000002), ("ACK", 9)):
        h = hdr(P["HB_MSG_" + mtype])
        p = frame(**h, tlvs=probe(4000000003, 4000000001, helper, 0xdeadbeef))
        want = dict(header_fields(h, len(p)), **{
            "heartbeat.tlv.type": ["0x8005"], "heartbeat.tlv.critical": ["1"],
            "heartbeat.probe.target": ["4000000003"], "heartbeat.probe.origin": ["4000000001"],
            "heartbeat.probe.helper": [str(helper)], "heartbeat.probe.token": ["0xdeadbeef"]})
        cases.append((mtype.lower(), p, want, []))

    for reason in range(P["HB_DYING_PANIC"], P["HB_DYING_POWEROFF"] + 1):
        h = hdr(P["HB_MSG_DYING"])
        p = frame(**h, tlvs=dying(reason))
        want = dict(header_fields(h, len(p)), **{"heartbeat.tlv.type": ["0x0006"],
                                                 "heartbeat.dying.reason": [str(reason)]})
        cases.append((f"dying, reason {reason}", p, want, ["heartbeat.last_words"]))
    h = hdr(P["HB_MSG_DYING"])
    p = frame(**h)
    cases.append(("dying without a reason", p, header_fields(h, len(p)),
                  ["heartbeat.last_words"]))

    # Padding, a critical pad, an unknown TLV receivers skip, unknown flags
    # and reserved bits: all accepted, the last three with a note.
    h = hdr(P["HB_MSG_HEARTBEAT"], flags=0x8000, reserved=0x0102)
    tlvs = (tlv(P["HB_TLV_PAD"], b"\0" * 6) + tlv(P["HB_TLV_CRITICAL"], b"")
            + tlv(0x0123, b"\x01\x02\x03\x04\x05") + late(0))
    p = frame(**h, tlvs=tlvs)
    want = dict(header_fields(h, len(p)), **{
        "heartbeat.tlv.type": ["0x0000", "0x8000", "0x0123", "0x0004"],
        "heartbeat.tlv.len": ["6", "0", "5", "8"],
        "heartbeat.tlv.value": ["00:00:00:00:00:00", "01:02:03:04:05"],
        "heartbeat.flags.unknown": ["0x8000"], "heartbeat.late": ["0"]})
    cases.append(("padding, unknown TLV, flags and reserved bits", p, want,
                  ["heartbeat.flags.unknown_set", "heartbeat.reserved_set",
                   "heartbeat.tlv.unknown"]))
    return cases


def test_constants():
    """The dissector's constants are proto.h's, its names the enums'."""
    import re
    with open(hbshark.LUA) as f:
        lua = f.read()
    checked = 0
    for names, vals in re.findall(r"^local ([A-Z][A-Z0-9_, ]*) = ([0-9a-fA-Fx, ]+)$", lua, re.M):
        for name, val in zip(names.split(","), vals.split(",")):
            c = "HB_" + name.strip()
            if c == "HB_ETHERTYPE":
                c = "HB_ETHERTYPE_DEFAULT"
            if c in P:
                assert int(val.strip(), 0) == P[c], f"{name} = {val.strip()}, proto.h {P[c]}"
                checked += 1
    assert checked >= 30, f"only {checked} constants shared with proto.h"
    r = subprocess.run(["tshark", "-G", "values", *hbshark.lua_args()],
                       capture_output=True, text=True, check=True)
    vs = {}
    for line in r.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == "V" and parts[1].startswith("heartbeat."):
            vs.setdefault(parts[1], {})[int(parts[2], 0)] = parts[3]
    enums = {}
    hbshark.c_constants("kmod/proto.h", "kmod/detector.h", enums=enums)
    for field, enum, lower in (("heartbeat.type", "hb_msg_type", False),
                               ("heartbeat.tlv.type", "hb_tlv_type", False),
                               ("heartbeat.dying.reason", "hb_dying_reason", True),
                               ("heartbeat.gossip.state", "hb_state", True)):
        prefix = "_".join(next(iter(enums[enum])).split("_")[:2]) + "_"
        want = {v: k[len(prefix):].lower() if lower else k[len(prefix):]
                for k, v in enums[enum].items()}
        assert len(want) >= 4 and vs.get(field) == want, f"{field}: {vs.get(field)} != {want}"


def test_every_field():
    """Every field decodes as it was set."""
    cases = valid_cases()
    verdicts = codec([c[1] for c in cases])
    assert verdicts == ["ok"] * len(cases), list(zip([c[0] for c in cases], verdicts))
    got = dissect([c[1] for c in cases], prefs={"keys": f"{KEY_ID}={KEY.hex()}"})
    for (name, _, want, want_experts), fields in zip(cases, got):
        assert fields is not None, f"{name}: not dissected"
        for field, vals in want.items():
            assert values(fields, field) == vals, f"{name}: {field} {values(fields, field)} != {vals}"
        assert verdict(fields) == "ok", f"{name}: {verdict(fields)}"
        assert sorted(experts(fields)) == sorted(want_experts), f"{name}: {experts(fields)}"
    # The transmit time as a date too (nanoseconds, UTC).
    assert values(got[0], "heartbeat.tx_time.abs") == ["Dec  8, 2026 03:20:00.123456789 UTC"], \
        values(got[0], "heartbeat.tx_time.abs")


def test_mac():
    """With the key, a signed frame verifies and a changed one is flagged;
    a key it does not have is said so; without keys nothing is checked."""
    good = signed(frame(**hdr(P["HB_MSG_HEARTBEAT"]), tlvs=late(5)), KEY, KEY_ID)
    changed = bytearray(good)
    changed[39] ^= 1                                     # the transmit time
    other = signed(frame(**hdr(P["HB_MSG_HEARTBEAT"])), KEY, KEY_ID + 1)
    assert hmac.new(KEY, good[:-16], hashlib.sha256).digest()[:16] == good[-16:]
    frames = [good, bytes(changed), other]
    assert codec(frames) == ["ok"] * 3
    got = dissect(frames, prefs={"keys": f"{KEY_ID}={KEY.hex()}"})
    assert values(got[0], "heartbeat.auth.mac_good") == ["1"] and not experts(got[0]), got[0]
    assert values(got[1], "heartbeat.auth.mac_good") == ["0"], got[1]
    # A copy of the first frame, as far as its stream goes.
    assert experts(got[1]) == ["heartbeat.auth.bad_mac", "heartbeat.analysis.stale_seq"], \
        experts(got[1])
    assert values(got[2], "heartbeat.auth.mac_good") == [], got[2]
    assert experts(got[2]) == ["heartbeat.auth.no_key"], experts(got[2])
    got = dissect(frames)
    assert all(values(g, "heartbeat.auth.mac_good") == [] for g in got), got
    assert [experts(g) for g in got] == [[], ["heartbeat.analysis.stale_seq"], []], got


def test_sequence_analysis():
    """Per stream (sender, incarnation, link): a gap is counted as lost
    frames, a number not above the latest is flagged as receivers' stale_seq;
    probes carry the number without advancing it; both passes agree."""
    h = dict(HDR, mtype=P["HB_MSG_HEARTBEAT"])
    seqs = [(1, {}), (2, {}), (6, {"lost": "3"}), (6, {"stale": "6"}), (4, {"stale": "6"}),
            (7, {})]
    frames = [frame(**dict(h, seq=s)) for s, _ in seqs]
    # Interleaved: another node, another incarnation, another link, a probe.
    others = [frame(**dict(h, node=9, seq=1)), frame(**dict(h, incarnation=5, seq=1)),
              frame(**dict(h, link=1, seq=100)),
              frame(**dict(h, mtype=P["HB_MSG_PROBE"], seq=7), tlvs=probe(1, 2, 0, 3))]
    payloads = frames[:3] + others + frames[3:]
    want = [w for _, w in seqs[:3]] + [{}] * len(others) + [w for _, w in seqs[3:]]
    for extra in ([], ["-2"]):
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "t.pcap")
            write_pcap(pcap, [ether(p) for p in payloads])
            got = tshark(pcap, extra=extra)
        for i, (fields, w) in enumerate(zip(got, want)):
            for k in ("lost", "stale"):
                assert values(fields, f"heartbeat.analysis.{k}") == ([w[k]] if k in w else []), \
                    (extra, i, fields)
            ex = {"lost": ["heartbeat.analysis.lost_frames"], "stale": ["heartbeat.analysis.stale_seq"]}
            assert experts(fields) == (ex[next(iter(w))] if w else []), (extra, i, experts(fields))


def test_snaplen():
    """Frames cut by a capture's snapshot length: what was captured is
    decoded; a verdict only where every check before it could be made (the
    codec's, always), else the cut is said; never a Lua error. Cuts at
    random points of mutated frames, and some by hand."""
    h = dict(HDR, mtype=P["HB_MSG_HEARTBEAT"])
    by_hand = [  # payload, bytes captured of it, verdict
        (frame(**h, tlvs=late(3) + probe(1, 2, 0, 3)), 14 + 56, "cut"),
        (frame(**dict(h, length=47)), 14 + 50, "length"),
        (frame(**dict(h, node=0)), 14 + 30, "field"),
        (frame(**dict(h, mtype=9)), 14 + 4, "cut"),
        (frame(**h)[:40], 14 + 20, "short"),
        (frame(**dict(h, magic=1)), 14 + 2, "magic"),
    ]
    seed = int(os.environ.get("HB_WS_SEED", random.randrange(1 << 32)))
    rng = random.Random(seed)
    base = seeds()
    fuzzed = []
    for _ in range(500):
        p = mutate(rng, rng.choice(base))
        fuzzed.append((p, 14 + rng.randrange(len(p) + 1), None))
    cases = by_hand + fuzzed
    want = codec([p for p, _, _ in cases])
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "t.pcap")
        write_pcap(pcap, [ether(p) for p, _, _ in cases], caps=[c for _, c, _ in cases])
        got = tshark(pcap)
    for i, ((p, cap, hand), w, fields) in enumerate(zip(cases, want, got)):
        cut = cap < 14 + len(p)
        v = verdict(fields) if fields is not None else None
        ex = experts(fields or [])
        if hand:
            assert (v if v != "ok" else "cut") == hand, (i, v, hand, ex)
        if fields is None:      # less than the EtherType captured
            assert cap < 14, (i, cap)
        elif cut and v == "ok":
            assert "heartbeat.snaplen" in ex, (i, ex, p.hex(), cap, f"HB_WS_SEED={seed}")
        else:
            assert v == w, (i, v, w, p.hex(), cap, f"HB_WS_SEED={seed}")
    assert values(got[0], "heartbeat.node") == [str(HDR["node"])]
    assert values(got[0], "heartbeat.late") == []


def test_ethertype_vlan_decode_as():
    """Frames on the default EtherType, 802.1Q tagged too; another EtherType
    with the preference or Decode As only."""
    p = frame(**hdr(P["HB_MSG_HEARTBEAT"]), tlvs=late(1))
    other = P["HB_ETHERTYPE_DEFAULT"] + 1
    frames = [ether(p), ether(p, vlan=100), ether(p, ethertype=other)]
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "t.pcap")
        write_pcap(pcap, frames)
        got = tshark(pcap)
        assert got[0] and got[1] and got[2] is None, got
        assert values(got[1], "heartbeat.node") == [str(HDR["node"])]
        got = tshark(pcap, prefs={"ethertype": "0x%04x" % other})
        assert got[0] is None and got[2] and values(got[2], "heartbeat.node") == [str(HDR["node"])]
        got = tshark(pcap, extra=["-d", "ethertype==0x%04x,heartbeat" % other])
        assert all(got), got


# --- mutations ---------------------------------------------------------------

def tlv_offsets(p):
    """Offsets of the TLVs of a message, as far as they walk."""
    offs, off = [], P["HB_HDR_LEN"]
    end = min(len(p), struct.unpack_from("!H", p, 4)[0] if len(p) >= 6 else 0)
    while off + 4 <= end:
        offs.append(off)
        vlen = struct.unpack_from("!H", p, off + 2)[0]
        off += 4 + vlen + (-vlen % 4)
    return offs


def set_length(p):
    return p[:4] + struct.pack("!H", len(p) & 0xffff) + p[6:] if len(p) >= 6 else p


def mutate(rng, p):
    p = bytearray(p)
    kind = rng.randrange(14)
    tlv_types = [0, 0x8000, P["HB_TLV_AUTH"], P["HB_TLV_ECHO"], P["HB_TLV_GOSSIP"],
                 P["HB_TLV_LATE"], P["HB_TLV_PROBE"], P["HB_TLV_DYING"], 0x0077, 0x8077]
    if kind == 0:                                   # truncated
        return bytes(p[:rng.randrange(len(p) + 1)])
    if kind == 1 and p:                             # bit flips
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(p))
            p[i] ^= 1 << rng.randrange(8)
    elif kind == 2 and p:                           # a byte of the header
        p[rng.randrange(min(len(p), 48))] = rng.choice([0, 1, 2, 6, 7, 0x20, 0x21, 0x80, 0xff])
    elif kind == 3 and len(p) >= 6:                 # the length field
        n = rng.choice([0, 47, 48, len(p) - 4, len(p) - 1, len(p) + 1, len(p) + 4, 1024, 1028,
                        rng.randrange(65536)])
        p[4:6] = struct.pack("!H", n & 0xffff)
    elif kind == 4:                                 # a TLV's length
        offs = tlv_offsets(p)
        if offs:
            off = rng.choice(offs)
            n = rng.choice([0, 1, 3, 4, 8, 15, 16, 17, 20, 24, 44, 0xffff, rng.randrange(700)])
            p[off + 2:off + 4] = struct.pack("!H", n)
    elif kind == 5:                                 # a TLV's type
        offs = tlv_offsets(p)
        if offs:
            off = rng.choice(offs)
            p[off:off + 2] = struct.pack("!H", rng.choice(tlv_types))
    elif kind == 6:                                 # a stray TLV, length fixed up or not
        t = rng.choice(tlv_types)
        v = bytes(rng.randrange(256) for _ in range(rng.choice([0, 4, 8, 16, 20, 24, 44, 5])))
        if rng.randrange(4) == 0 and v:
            v = bytes([rng.randrange(1, 9)]) + v[1:]
        p = bytearray(p + tlv(t, v))
        if rng.randrange(3):
            p = bytearray(set_length(p))
    elif kind == 7:                                 # a TLV twice
        offs = tlv_offsets(p)
        if offs:
            off = rng.choice(offs)
            vlen = struct.unpack_from("!H", p, off + 2)[0]
            seg = p[off:off + 4 + vlen + (-vlen % 4)]
            p = bytearray(set_length(bytes(p + seg)))
    elif kind == 8:                                 # Ethernet padding
        p += bytes(rng.choice([1, 4, 12, 60]))
    elif kind == 9 and len(p) >= 48:                # a header field zero or at its limit
        off, size = rng.choice([(6, 2), (12, 4), (16, 8), (24, 8), (40, 4)])
        n = rng.choice([0, (1 << 8 * size) - 1, 999, 1000, 60000000, 60000001, 32, 33])
        p[off:off + size] = (n & ((1 << 8 * size) - 1)).to_bytes(size, "big")
    elif kind == 10 and len(p) >= 4:                # message type
        p[3] = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 255])
    elif kind == 11 and len(p) >= 3:                # magic or version
        if rng.randrange(2):
            p[2] = rng.choice([0, 2, 255])
        else:
            p[0:2] = struct.pack("!H", rng.choice([0, 0x4843, 0xffff]))
    elif kind == 12:                                # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randrange(120)))
    elif kind == 13:                                # a word of a TLV's value
        offs = [o for o in tlv_offsets(p) if o + 8 <= len(p)]
        if offs:
            off = rng.choice(offs)
            vlen = struct.unpack_from("!H", p, off + 2)[0]
            at = off + 4 + 4 * rng.randrange(max(1, min(vlen, len(p) - off - 4) // 4))
            p[at:at + 4] = struct.pack("!I", rng.choice([0, 1, 5, 0x01000000, 0x05000000,
                                                         0xffffffff]))
    return bytes(p)


def seeds():
    """Valid messages, and the fuzzer's corpus (selftests/fuzz/corpus)."""
    out = [c[1] for c in valid_cases()]
    corpus = os.path.join(hbshark.TOP, "selftests/fuzz/corpus")
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), "rb") as f:
            out.append(f.read())
    return out


def test_fuzz():
    """Mutated frames: the dissector's verdict is the codec's, every time,
    with malformed expert info on every dropped frame, and no Lua error."""
    seed = int(os.environ.get("HB_WS_SEED", random.randrange(1 << 32)))
    count = int(os.environ.get("HB_WS_FUZZ", "3000"))
    print(f"# fuzz: {count} frames, HB_WS_SEED={seed}")
    rng = random.Random(seed)
    base = seeds()
    frames = []
    for _ in range(count):
        p = rng.choice(base)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            p = mutate(rng, p)
        frames.append(p)
    want = codec(frames)
    got = dissect(frames)
    assert len(got) == len(frames)
    bad, counts = [], {}
    for i, (p, w, fields) in enumerate(zip(frames, want, got)):
        counts[w] = counts.get(w, 0) + 1
        v = verdict(fields) if fields is not None else "not dissected"
        ex = experts(fields or [])
        if v != w or (w != "ok") != ("heartbeat.malformed." + w in ex):
            bad.append(f"frame {i + 1}: codec {w}, dissector {v} {ex}: {p.hex()}")
    print("# fuzz verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    assert not bad, f"{len(bad)} disagreements (HB_WS_SEED={seed}):\n" + "\n".join(bad[:10])
    # Every verdict came up, so that each check of the codec was exercised.
    missing = {"ok", "short", "magic", "version", "length", "type", "field", "tlv"} - set(counts)
    assert not missing, f"no frame gave {missing}"


TESTS = [test_constants, test_every_field, test_mac, test_sequence_analysis, test_snaplen,
         test_ethertype_vlan_decode_as, test_fuzz]


def main():
    print("TAP version 13")
    print(f"1..{len(TESTS)}")
    failed = 0
    for i, t in enumerate(TESTS, 1):
        try:
            t()
            print(f"ok {i} wireshark.{t.__name__}")
        except Exception:
            failed += 1
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print(f"not ok {i} wireshark.{t.__name__}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
