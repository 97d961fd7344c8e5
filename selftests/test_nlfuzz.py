# SPDX-License-Identifier: GPL-2.0-only
"""A netlink fuzzer for the heartbeat generic netlink family.

A bounded number of seeded random messages (HB_NLFUZZ_COUNT, default 3000;
HB_NLFUZZ_SEED, default 1, or "random") goes to the family from one raw
socket, in a fresh network namespace that has a dummy device to bind links
to: commands the family has and commands it has not, attributes built from
the family's own policies (read back with CTRL_CMD_GETPOLICY, so that new
attributes and commands are fuzzed without a change here) at and around
their limits, attributes of random types, lengths and payloads, nests,
bad attribute headers, truncated and lying netlink and genetlink headers,
several messages in one send, and the dump, ack and echo flags. Every fifth
message or so is sent without CAP_NET_ADMIN (dropped from the effective set
and raised again).

Every reply must be a well-formed error (a known errno, the request's
header echoed, extack attributes in shape and pointing inside the request)
or a well-formed success; a refused request changes nothing; without
CAP_NET_ADMIN every command that changes state is refused with EPERM; a
node setting changes only as an accepted HEARTBEAT_CMD_NODE_SET asked, and
is always its initial value or inside its policy. Afterwards the family
still answers and a plain setting still works. The VM runner fails the run
on any kernel splat. The summary counts the replies per errno."""
import collections
import ctypes
import errno
import os
import platform
import random
import socket
import struct
import subprocess
import time

import pytest

import hbgenl as g

COUNT = int(os.environ.get("HB_NLFUZZ_COUNT", "3000"))
SEED = os.environ.get("HB_NLFUZZ_SEED", "1")
TIME_LIMIT = float(os.environ.get("HB_NLFUZZ_SECONDS", "50"))

NLMSG_NOOP = 1
NLM_F_ECHO = 0x8
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3FFF
NLMSGERR_ATTR_POLICY = 4

CTRL_CMD_GETPOLICY = 10
CTRL_ATTR_OPS = 6
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_OP_FLAGS = 2
CTRL_ATTR_POLICY = 8
CTRL_ATTR_OP_POLICY = 9
CTRL_ATTR_POLICY_DO = 1
CTRL_ATTR_POLICY_DUMP = 2
GENL_ADMIN_PERM = 0x01
GENL_FLAGS_OK = g.NLM_F_REQUEST | g.NLM_F_ACK | NLM_F_ECHO	# genl_header_check()
GENL_UNS_ADMIN_PERM = 0x10

# enum netlink_policy_type_attr and enum netlink_attribute_type
NL_POLICY_TYPE_ATTR_TYPE = 1
NL_POLICY_TYPE_ATTR_MIN_VALUE_S = 2
NL_POLICY_TYPE_ATTR_MAX_VALUE_S = 3
NL_POLICY_TYPE_ATTR_MIN_VALUE_U = 4
NL_POLICY_TYPE_ATTR_MAX_VALUE_U = 5
NL_POLICY_TYPE_ATTR_MIN_LENGTH = 6
NL_POLICY_TYPE_ATTR_MAX_LENGTH = 7
NL_POLICY_TYPE_ATTR_POLICY_IDX = 8
(NL_ATTR_TYPE_INVALID, NL_ATTR_TYPE_FLAG, NL_ATTR_TYPE_U8, NL_ATTR_TYPE_U16,
 NL_ATTR_TYPE_U32, NL_ATTR_TYPE_U64, NL_ATTR_TYPE_S8, NL_ATTR_TYPE_S16,
 NL_ATTR_TYPE_S32, NL_ATTR_TYPE_S64, NL_ATTR_TYPE_BINARY, NL_ATTR_TYPE_STRING,
 NL_ATTR_TYPE_NUL_STRING, NL_ATTR_TYPE_NESTED, NL_ATTR_TYPE_NESTED_ARRAY,
 NL_ATTR_TYPE_BITFIELD32) = range(16)
INT_TYPES = {NL_ATTR_TYPE_U8: (1, False), NL_ATTR_TYPE_U16: (2, False),
             NL_ATTR_TYPE_U32: (4, False), NL_ATTR_TYPE_U64: (8, False),
             NL_ATTR_TYPE_S8: (1, True), NL_ATTR_TYPE_S16: (2, True),
             NL_ATTR_TYPE_S32: (4, True), NL_ATTR_TYPE_S64: (8, True)}

CAP_NET_ADMIN = 12
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
DUMMY = "hbfz0"

# From 6.2 a command's do and dump are looked up apart (genl_get_cmd()).
SPLIT_OPS = tuple(int(x) for x in platform.release().split(".")[:2]) >= (6, 2)


# ---- netlink plumbing ------------------------------------------------

def nlmsg(nltype, flags, seq, body, length=None):
    return struct.pack("=IHHII", 16 + len(body) if length is None else length,
                       nltype, flags, seq, 0) + body


def split(data):
    """The messages the kernel sees in one send, as netlink_rcv_skb() walks
    them: (type, flags, seq, length, body) each."""
    out = []
    while len(data) >= 16:
        length, mtype, flags, seq, _ = struct.unpack_from("=IHHII", data)
        if length < 16 or length > len(data):
            break
        out.append((mtype, flags, seq, length, data[16:length]))
        data = data[min((length + 3) & ~3, len(data)):]
    return out


def attrs_ok(data, depth=0):
    """A well-formed attribute stream: every header and length in bounds,
    nests (NLA_F_NESTED) well formed too."""
    while data:
        if len(data) < 4:
            return False
        alen, atype = struct.unpack_from("=HH", data)
        if alen < 4 or alen > len(data):
            return False
        if atype & NLA_F_NESTED and (depth > 8 or not attrs_ok(data[4:alen], depth + 1)):
            return False
        data = data[(alen + 3) & ~3:]
    return True


def nested(data):
    return {t: v for t, v in g.parse_attrs(data).items()}


def errname(code):
    return "EOPNOTSUPP" if code == errno.EOPNOTSUPP else errno.errorcode[code]


def uint(value):
    return int.from_bytes(value, "little")


class Capability:
    """CAP_NET_ADMIN in the calling thread's effective set, on and off."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    def __init__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)

    def _get(self):
        hdr = self.Header(_LINUX_CAPABILITY_VERSION_3, 0)
        data = (self.Data * 2)()
        if self.libc.capget(ctypes.byref(hdr), data):
            raise OSError(ctypes.get_errno(), "capget")
        return hdr, data

    def permitted(self):
        return bool(self._get()[1][0].permitted & (1 << CAP_NET_ADMIN))

    def set(self, on):
        hdr, data = self._get()
        if on:
            data[0].effective |= 1 << CAP_NET_ADMIN
        else:
            data[0].effective &= ~(1 << CAP_NET_ADMIN)
        if self.libc.capset(ctypes.byref(hdr), data):
            raise OSError(ctypes.get_errno(), "capset")


# ---- the family, as the kernel describes it --------------------------

class Family:
    def __init__(self, nl):
        reply = nl.raw(g.GENL_ID_CTRL, g.CTRL_CMD_GETFAMILY,
                       g.attr(g.CTRL_ATTR_FAMILY_NAME, b"heartbeat\0"))
        ops = nested(g.parse_attrs(reply[0])[CTRL_ATTR_OPS])
        self.ops = {}
        for op in ops.values():
            a = nested(op)
            self.ops[uint(a[CTRL_ATTR_OP_ID])] = uint(a.get(CTRL_ATTR_OP_FLAGS, b"\0\0\0\0"))
        self.admin = {c for c, f in self.ops.items() if f & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM)}

        # Every op's policy: {policy index: {attr type: {NL_POLICY_TYPE_ATTR_*: int}}}.
        policies, op_policy = collections.defaultdict(dict), {}
        for r in nl.raw(g.GENL_ID_CTRL, CTRL_CMD_GETPOLICY,
                        g.attr(g.CTRL_ATTR_FAMILY_ID, struct.pack("=H", nl.family)),
                        flags=g.NLM_F_REQUEST | g.NLM_F_DUMP):
            a = g.parse_attrs(r)
            if CTRL_ATTR_POLICY in a:
                for idx, pol in nested(a[CTRL_ATTR_POLICY]).items():
                    for atype, desc in nested(pol).items():
                        policies[idx][atype] = {k: uint(v) for k, v in nested(desc).items()}
            if CTRL_ATTR_OP_POLICY in a:
                for cmd, which in nested(a[CTRL_ATTR_OP_POLICY]).items():
                    op_policy[cmd] = {k: uint(v) for k, v in nested(which).items()}
        self.policies = dict(policies)
        self.do_policy = {}
        self.dump_policy = {}
        for cmd, which in op_policy.items():
            if CTRL_ATTR_POLICY_DO in which:
                self.do_policy[cmd] = self.policies.get(which[CTRL_ATTR_POLICY_DO], {})
            if CTRL_ATTR_POLICY_DUMP in which:
                self.dump_policy[cmd] = self.policies.get(which[CTRL_ATTR_POLICY_DUMP], {})
        assert g.CMD_NODE_SET in self.do_policy, "no policy for HEARTBEAT_CMD_NODE_SET"
        self.node_set = self.do_policy[g.CMD_NODE_SET]

    def int_range(self, desc):
        ptype = desc.get(NL_POLICY_TYPE_ATTR_TYPE)
        width, signed = INT_TYPES[ptype]
        if signed:
            lo = desc.get(NL_POLICY_TYPE_ATTR_MIN_VALUE_S, -(1 << (8 * width - 1)))
            hi = desc.get(NL_POLICY_TYPE_ATTR_MAX_VALUE_S, (1 << (8 * width - 1)) - 1)
            # s64 in the dump; as unsigned from uint()
            lo = lo - (1 << 64) if lo >= 1 << 63 else lo
            hi = hi - (1 << 64) if hi >= 1 << 63 else hi
        else:
            lo = desc.get(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0)
            hi = desc.get(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, (1 << (8 * width)) - 1)
        return width, signed, lo, hi


# ---- message generator -----------------------------------------------

class Generator:
    def __init__(self, rng, fam, family_id, ifindexes):
        self.rng = rng
        self.fam = fam
        self.family_id = family_id
        self.small = sorted({0, 1, 2, 3} | set(ifindexes))
        self.cmd_max = max(max(fam.ops), g.C["HEARTBEAT_CMD_MAX"])

    def cmd(self):
        r = self.rng.random()
        if r < 0.75:
            return self.rng.choice(sorted(self.fam.ops))
        if r < 0.95:
            return self.rng.randint(0, self.cmd_max + 3)
        return self.rng.randint(0, 255)

    def flags(self):
        rng = self.rng
        if rng.random() < 0.03:
            return rng.getrandbits(16)
        f = g.NLM_F_REQUEST if rng.random() < 0.96 else 0
        if rng.random() < 0.6:
            f |= g.NLM_F_ACK
        r = rng.random()
        if r < 0.25:
            f |= g.NLM_F_DUMP
        elif r < 0.3:
            f |= rng.choice((NLM_F_ROOT, NLM_F_MATCH))
        if rng.random() < 0.05:
            f |= NLM_F_ECHO
        return f

    def int_payload(self, desc):
        rng = self.rng
        width, signed, lo, hi = self.fam.int_range(desc)
        v = rng.choice((lo, hi, lo - 1, hi + 1, 0, 1, rng.choice(self.small),
                        rng.randint(min(lo, hi), max(lo, hi)),
                        rng.getrandbits(8 * width)))
        if rng.random() < 0.1:
            width = rng.choice((0, 1, 2, 3, 4, 5, 8, 12))
        if width == 0:
            return b""
        return (v & ((1 << (8 * width)) - 1)).to_bytes(width, "little")

    def random_bytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def value(self, desc, depth):
        """A payload for an attribute described by a policy entry."""
        rng = self.rng
        ptype = desc.get(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_INVALID)
        if ptype in INT_TYPES:
            return 0, self.int_payload(desc)
        if ptype == NL_ATTR_TYPE_FLAG:
            return 0, b"" if rng.random() < 0.9 else self.random_bytes(rng.randint(1, 4))
        if ptype in (NL_ATTR_TYPE_BINARY, NL_ATTR_TYPE_STRING, NL_ATTR_TYPE_NUL_STRING):
            lo = desc.get(NL_POLICY_TYPE_ATTR_MIN_LENGTH, 0)
            hi = desc.get(NL_POLICY_TYPE_ATTR_MAX_LENGTH, 64)
            n = max(0, rng.choice((lo, hi, lo - 1, hi + 1, rng.randint(lo, max(lo, hi)))))
            if ptype == NL_ATTR_TYPE_BINARY:
                return 0, self.random_bytes(n)
            s = bytes(rng.choice(b"abcdefgh0123-_") for _ in range(n))
            return 0, s + b"\0" if ptype == NL_ATTR_TYPE_NUL_STRING or rng.random() < 0.5 else s
        if ptype in (NL_ATTR_TYPE_NESTED, NL_ATTR_TYPE_NESTED_ARRAY):
            inner = self.fam.policies.get(desc.get(NL_POLICY_TYPE_ATTR_POLICY_IDX), {})
            return NLA_F_NESTED, self.attrs(inner, depth + 1)
        if ptype == NL_ATTR_TYPE_BITFIELD32:
            return 0, self.random_bytes(8)
        return 0, self.random_bytes(rng.randint(0, 12))

    def one_attr(self, policy, depth):
        rng = self.rng
        maxtype = max(policy, default=4)
        r = rng.random()
        if policy and r < 0.7:
            atype = rng.choice(sorted(policy))
            aflags, payload = self.value(policy[atype], depth)
        elif r < 0.85 or depth >= 3:
            atype = rng.randint(0, maxtype + 2)
            aflags, payload = 0, self.random_bytes(rng.choice((0, 1, 2, 4, 8, rng.randint(0, 40))))
        else:
            atype = rng.randint(0, maxtype + 2)
            aflags, payload = NLA_F_NESTED, self.attrs({}, depth + 1)
        if rng.random() < 0.05:
            aflags ^= rng.choice((NLA_F_NESTED, NLA_F_NET_BYTEORDER))
        if rng.random() < 0.01:
            atype = rng.getrandbits(14)
        return g.attr(atype | aflags, payload)

    def attrs(self, policy, depth=0):
        rng = self.rng
        n = rng.choice((0, 1, 1, 2, 2, 3, 4, 6))
        return b"".join(self.one_attr(policy, depth) for _ in range(n))

    def mangle_attrs(self, data):
        """Attribute headers that lie: too short, past the end, trailing bytes."""
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return data + struct.pack("=HH", rng.randint(0, 3), rng.getrandbits(16))
        if r < 0.6:
            return data + struct.pack("=HH", rng.randint(5, 200), rng.getrandbits(16)) + \
                self.random_bytes(rng.randint(0, 4))
        if r < 0.8:
            return data + self.random_bytes(rng.randint(1, 3))
        return self.random_bytes(rng.randint(1, 48))

    def good_value(self, desc, depth):
        """A payload its policy accepts."""
        rng = self.rng
        ptype = desc.get(NL_POLICY_TYPE_ATTR_TYPE)
        if ptype in INT_TYPES:
            width, _, lo, hi = self.fam.int_range(desc)
            small = [v for v in self.small if lo <= v <= hi]
            v = rng.choice([lo, hi, rng.randint(lo, hi), rng.randint(lo, min(hi, lo + 100))] + small)
            return 0, (v & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
        if ptype in (NL_ATTR_TYPE_NESTED, NL_ATTR_TYPE_NESTED_ARRAY):
            inner = self.fam.policies.get(desc.get(NL_POLICY_TYPE_ATTR_POLICY_IDX), {})
            return NLA_F_NESTED, self.good_attrs(inner, depth + 1)
        if ptype in (NL_ATTR_TYPE_BINARY, NL_ATTR_TYPE_STRING, NL_ATTR_TYPE_NUL_STRING):
            lo = desc.get(NL_POLICY_TYPE_ATTR_MIN_LENGTH, 0)
            hi = desc.get(NL_POLICY_TYPE_ATTR_MAX_LENGTH, 32)
            n = rng.randint(lo, max(lo, hi))
            if ptype == NL_ATTR_TYPE_BINARY:
                return 0, self.random_bytes(n)
            text = bytes(rng.choice(b"abcdefgh0123") for _ in range(max(0, n - 1)))
            return 0, text + b"\0"
        if ptype == NL_ATTR_TYPE_FLAG:
            return 0, b""
        return self.value(desc, depth)

    def good_attrs(self, policy, depth=0):
        if not policy or depth > 2:
            return b""
        types = self.rng.sample(sorted(policy), min(len(policy), self.rng.choice((1, 1, 2, 2, 3))))
        out = b""
        for t in types:
            aflags, payload = self.good_value(policy[t], depth)
            out += g.attr(t | aflags, payload)
        return out

    def good_message(self, seq):
        """A request every check before the command's own code accepts:
        the way into what the commands do with their attributes."""
        rng = self.rng
        cmd = rng.choice(sorted(self.fam.ops))
        dump = cmd in self.fam.dump_policy and (
            cmd not in self.fam.do_policy or rng.random() < 0.5)
        flags = g.NLM_F_REQUEST | (g.NLM_F_ACK if rng.random() < 0.7 else 0)
        if dump:
            flags |= g.NLM_F_DUMP
        policy = (self.fam.dump_policy if dump else self.fam.do_policy).get(cmd, {})
        body = struct.pack("=BBH", cmd, 1, 0) + self.good_attrs(policy)
        return nlmsg(self.family_id, flags, seq, body)

    def message(self, seq):
        """One request: well formed, or with something wrong somewhere."""
        rng = self.rng
        if rng.random() < 0.4:
            return self.good_message(seq)
        cmd = self.cmd()
        flags = self.flags()
        version = 1 if rng.random() < 0.95 else rng.getrandbits(8)
        reserved = 0 if rng.random() < 0.95 else rng.getrandbits(16)
        dump = flags & g.NLM_F_DUMP == g.NLM_F_DUMP
        policy = (self.fam.dump_policy if dump else self.fam.do_policy).get(cmd, {})
        payload = self.attrs(policy)
        if rng.random() < 0.15:
            payload = self.mangle_attrs(payload)
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        r = rng.random()
        if r < 0.04:			# genetlink header cut short
            body = body[:rng.randint(0, 3)]
        elif r < 0.06:			# nlmsg_len shorter than the message
            return nlmsg(self.family_id, flags, seq, body, rng.randint(0, 16 + len(body)))
        elif r < 0.08:			# nlmsg_len past the end
            return nlmsg(self.family_id, flags, seq, body,
                         16 + len(body) + rng.randint(1, 64))
        elif r < 0.09:			# netlink header cut short
            return nlmsg(self.family_id, flags, seq, body)[:rng.randint(1, 15)]
        return nlmsg(self.family_id, flags, seq, body)

    def send_unit(self, seq, sentinel):
        """What one send() carries: usually one message, sometimes a few.
        A message whose length field is short leaves bytes the kernel reads
        as further messages: only those that stay in this family (or are
        control messages) and have sequence numbers of their own are sent,
        so that nothing reaches another netlink family."""
        while True:
            n = 1 if self.rng.random() < 0.93 else self.rng.randint(2, 3)
            data = b"".join(self.message(seq + i) for i in range(n))
            subs = split(data)
            seqs = [s[2] for s in subs]
            if len(set(seqs)) == len(seqs) and sentinel not in seqs and all(
                    s[0] == self.family_id or s[0] < 0x10 for s in subs):
                return data


# ---- the fuzzer ------------------------------------------------------

class Fuzzer:
    def __init__(self, nl, fam, rng, ifindexes):
        self.nl = nl
        self.sock = nl.sock
        self.sock.settimeout(20)
        self.fam = fam
        self.gen = Generator(rng, fam, nl.family, ifindexes)
        self.rng = rng
        self.counts = collections.Counter()
        self.cmd_counts = collections.Counter()
        self.changes = collections.Counter()
        self.seq = 1000
        self.n = 0
        self.node0 = self.node()
        self.node_now = dict(self.node0)

    def node(self):
        """The node's settings: {attr: value}, incarnation left out."""
        reply = self.nl.raw(self.nl.family, g.CMD_NODE_GET)
        a = g.parse_attrs(reply[0])
        a.pop(g.A_NODE_INCARNATION, None)
        return {t: uint(v) for t, v in a.items() if len(v) in (1, 2, 4, 8)}

    def valid_setting(self, atype, value):
        """A setting is its initial value or inside its policy."""
        desc = self.fam.node_set.get(atype)
        if value == self.node0.get(atype) or desc is None:
            return True
        if desc.get(NL_POLICY_TYPE_ATTR_TYPE) not in INT_TYPES:
            return True
        _, _, lo, hi = self.fam.int_range(desc)
        return lo <= value <= hi

    def applied(self, before, body):
        """The settings an accepted NODE_SET with this body leads to, each
        as the set of values it may have (the kernel reads an attribute
        flagged NLA_F_NET_BYTEORDER in host order; either is accepted)."""
        out = {t: {v} for t, v in before.items()}
        data = body[4:]
        while len(data) >= 4:
            alen, atype = struct.unpack_from("=HH", data)
            if alen < 4 or alen > len(data):
                break
            t = atype & NLA_TYPE_MASK
            desc = self.fam.node_set.get(t, {})
            if t in out and desc.get(NL_POLICY_TYPE_ATTR_TYPE) in INT_TYPES:
                width = INT_TYPES[desc[NL_POLICY_TYPE_ATTR_TYPE]][0]
                raw = data[4:4 + width]
                vals = {int.from_bytes(raw, "little")}
                if atype & NLA_F_NET_BYTEORDER:
                    vals.add(int.from_bytes(raw, "big"))
                out[t] = vals
            data = data[(alen + 3) & ~3:]
        return out

    def check_error(self, sub, body, where):
        assert len(body) >= 20, f"{where}: short error message"
        code = -struct.unpack_from("=i", body)[0]
        assert code == 0 or code in errno.errorcode, f"{where}: error {code} is no errno"
        olen, otype, _, oseq, _ = struct.unpack_from("=IHHII", body, 4)
        assert (olen, otype, oseq) == (sub[3], sub[0], sub[2]), \
            f"{where}: echoed header {(olen, otype, oseq)} is not the request's"
        tlvs = body[20:]
        assert attrs_ok(tlvs), f"{where}: malformed extack attributes"
        ext = g.parse_attrs(tlvs)
        if g.NLMSGERR_ATTR_MSG in ext:
            text = ext[g.NLMSGERR_ATTR_MSG]
            assert text.endswith(b"\0") and text[:-1].decode().isprintable(), \
                f"{where}: extack message {text!r}"
        if g.NLMSGERR_ATTR_OFFS in ext:
            off = uint(ext[g.NLMSGERR_ATTR_OFFS])
            assert 16 <= off < sub[3], f"{where}: extack offset {off} outside the request"
        return code

    def exchange(self, data, sentinel):
        """Send data, then a NOOP asking for an ack: every reply to data
        comes before that ack, except the rest of a dump."""
        subs = split(data)
        self.sock.send(data)
        self.sock.send(nlmsg(NLMSG_NOOP, g.NLM_F_REQUEST | g.NLM_F_ACK, sentinel, b""))
        seqs = {s[2]: s for s in subs}
        got = collections.defaultdict(list)
        open_dumps = set()
        sentinel_seen = False
        while not sentinel_seen or open_dumps:
            chunk = self.sock.recv(1 << 18)
            for mtype, mflags, seq, _, body in split(chunk):
                if seq == sentinel and mtype == g.NLMSG_ERROR:
                    sentinel_seen = True
                    continue
                where = f"message {self.n} seq {seq} type {mtype}"
                assert seq in seqs, f"{where}: reply to no request (data {data.hex()})"
                got[seq].append((mtype, mflags, body))
                if mflags & g.NLM_F_MULTI and mtype != g.NLMSG_DONE:
                    open_dumps.add(seq)
                if mtype == g.NLMSG_DONE:
                    open_dumps.discard(seq)
        return subs, got

    def check_replies(self, subs, got, unprivileged):
        """Every reply well formed; counted; returns {seq: error code or None}."""
        result = {}
        for sub in subs:
            mtype, flags, seq, length, body = sub
            where = f"message {self.n} seq {seq} (request {mtype}/{flags:#x}, {length} bytes)"
            replies = got.pop(seq, [])
            errors = [r for r in replies if r[0] == g.NLMSG_ERROR]
            assert len(errors) <= 1, f"{where}: {len(errors)} error messages"
            code = None
            for rtype, rflags, rbody in replies:
                if rtype == g.NLMSG_ERROR:
                    code = self.check_error(sub, rbody, where)
                    self.counts[errname(code) if code else "ack"] += 1
                elif rtype == g.NLMSG_DONE:
                    assert len(rbody) >= 4, f"{where}: short NLMSG_DONE"
                    done = -struct.unpack_from("=i", rbody)[0]
                    assert done == 0 or done in errno.errorcode, f"{where}: DONE {done}"
                    assert attrs_ok(rbody[4:]), f"{where}: malformed DONE attributes"
                    self.counts["dump done" + (f" {errname(done)}" if done else "")] += 1
                elif rtype == self.nl.family:
                    assert len(rbody) >= 4, f"{where}: reply without genetlink header"
                    rcmd, rversion, _ = struct.unpack_from("=BBH", rbody)
                    assert rcmd in self.fam.ops, f"{where}: reply of command {rcmd}"
                    assert rversion == self.nl.version, f"{where}: reply version {rversion}"
                    assert attrs_ok(rbody[4:]), f"{where}: malformed reply attributes"
                    self.counts["dump part" if rflags & g.NLM_F_MULTI else "reply"] += 1
                else:
                    pytest.fail(f"{where}: reply of type {rtype}")
            if not replies:
                self.counts["no reply"] += 1
            if flags & g.NLM_F_ACK and not any(
                    r[0] in (g.NLMSG_DONE, self.nl.family) for r in replies):
                assert errors, f"{where}: an ack was asked for, none came"
            if code:
                assert not any(r[0] == self.nl.family and not r[1] & g.NLM_F_MULTI
                               for r in replies), f"{where}: a reply and an error"
            if flags & g.NLM_F_REQUEST and mtype == self.nl.family and length >= 20:
                cmd = body[0]
                self.cmd_counts[cmd] += 1
                if unprivileged and cmd in self.fam.admin:
                    # Refused; for EPERM, the genetlink header must pass
                    # genl_header_check() first.
                    assert code, f"{where}: command {cmd} accepted without CAP_NET_ADMIN"
                    dumpless = flags & ~g.NLM_F_DUMP if flags & g.NLM_F_DUMP == g.NLM_F_DUMP \
                        else flags
                    # From 6.2 genetlink looks a command's do and dump up
                    # apart: a do or a dump the command does not have is
                    # refused (EOPNOTSUPP) before its permission is checked.
                    refusals = (errno.EPERM, errno.EOPNOTSUPP) if SPLIT_OPS else (errno.EPERM,)
                    if body[2:4] == b"\0\0" and not dumpless & ~GENL_FLAGS_OK:
                        assert code in refusals, \
                            f"{where}: command {cmd} without CAP_NET_ADMIN gave {code}"
            result[seq] = code
        assert not got, f"message {self.n}: replies to no request: {dict(got)}"
        return result

    def check_node(self, subs, codes, unprivileged):
        """After requests that may change state: the node's settings."""
        mutating = [s for s in subs if s[0] == self.nl.family and s[1] & g.NLM_F_REQUEST
                    and s[3] >= 20 and s[4][0] in self.fam.admin]
        if not mutating:
            return
        before, now = self.node_now, self.node()
        where = f"message {self.n}"
        if unprivileged:
            assert now == before, f"{where}: settings changed without CAP_NET_ADMIN"
        elif len(mutating) == 1 and mutating[0][4][0] == g.CMD_NODE_SET:
            sub = mutating[0]
            if codes.get(sub[2]) or sub[1] & g.NLM_F_DUMP == g.NLM_F_DUMP:
                assert now == before, f"{where}: a refused NODE_SET changed settings"
            else:
                want = self.applied(before, sub[4])
                for t, v in now.items():
                    assert v in want.get(t, {v}), \
                        f"{where}: setting {t} is {v}, the accepted NODE_SET made it {want[t]}"
        for t, v in now.items():
            assert self.valid_setting(t, v), f"{where}: setting {t} is {v}, outside its policy"
            if v != before.get(t):
                self.changes[t] += 1
        self.node_now = now

    def run(self, count, cap):
        start = time.monotonic()
        self.n = 0
        self.unprivileged = 0
        for self.n in range(count):
            if time.monotonic() - start > TIME_LIMIT:
                print(f"nlfuzz: time limit of {TIME_LIMIT:.0f} s reached after {self.n} messages")
                break
            unprivileged = cap is not None and self.rng.random() < 0.2
            self.seq += 8
            sentinel = 0x80000000 | self.seq
            data = self.gen.send_unit(self.seq, sentinel)
            if unprivileged:
                cap.set(False)
                self.unprivileged += 1
            try:
                subs, got = self.exchange(data, sentinel)
            finally:
                if unprivileged:
                    cap.set(True)
            codes = self.check_replies(subs, got, unprivileged)
            self.check_node(subs, codes, unprivileged)
        else:
            self.n = count
        return time.monotonic() - start


def seed_value():
    if SEED == "random":
        return random.SystemRandom().getrandbits(32)
    return int(SEED, 0)


@pytest.fixture
def fuzz_netns(netns):
    """The test's namespace, with a dummy device up for links to bind to."""
    subprocess.run(["ip", "link", "add", DUMMY, "type", "dummy"], check=False)
    subprocess.run(["ip", "link", "set", DUMMY, "up"], check=False)
    ifindexes = []
    try:
        ifindexes.append(socket.if_nametoindex(DUMMY))
    except OSError:
        print(f"nlfuzz: no {DUMMY} device; links only on lo")
    yield ifindexes


def test_random_messages(fuzz_netns):
    seed = seed_value()
    print(f"nlfuzz: seed {seed}, {COUNT} messages "
          f"(HB_NLFUZZ_SEED={seed} HB_NLFUZZ_COUNT={COUNT} reproduce this run)")
    nl = g.Genl()
    try:
        fam = Family(nl)
        cap = Capability()
        if not cap.permitted():
            cap = None
            print("nlfuzz: no CAP_NET_ADMIN to drop: every message as this user")
        fz = Fuzzer(nl, fam, random.Random(seed), fuzz_netns)
        elapsed = fz.run(COUNT, cap)

        cmds = {v: k[len("HEARTBEAT_CMD_"):].lower() for k, v in g.C.items()
                if k.startswith("HEARTBEAT_CMD_") and not k.endswith("MAX")}
        reached = collections.Counter()
        for c, n in fz.cmd_counts.items():
            reached[cmds.get(c, str(c)) if c in fz.fam.ops else "other"] += n
        attrs = {v: k[len("HEARTBEAT_A_NODE_"):].lower() for k, v in g.C.items()
                 if k.startswith("HEARTBEAT_A_NODE_") and not k.endswith("_MAX")}
        print(f"nlfuzz: {fz.n} messages ({fz.unprivileged} without CAP_NET_ADMIN) "
              f"in {elapsed:.1f} s; requests per command: "
              + ", ".join(f"{c} {n}" for c, n in sorted(reached.items())))
        print("nlfuzz: replies: " + ", ".join(f"{k} {v}" for k, v in fz.counts.most_common()))
        print("nlfuzz: node settings changed: "
              + (", ".join(f"{attrs.get(t, t)} {n}" for t, n in sorted(fz.changes.items()))
                 or "none"))

        # The family still works, and so does a plain change.
        node = fz.node()
        for t, v in node.items():
            assert fz.valid_setting(t, v), f"setting {t} is {v}, outside its policy"
        nl.raw(nl.family, g.CMD_STATS_GET)
        nl.dump(g.CMD_LINK_GET)
        nl.dump(g.CMD_PEER_GET)
        fall = 7 if node.get(g.A_NODE_FALL) != 7 else 8
        nl.node_set(g.u32(g.A_NODE_FALL, fall))
        assert nl.node_get()[g.A_NODE_FALL] == fall
    finally:
        nl.close()
