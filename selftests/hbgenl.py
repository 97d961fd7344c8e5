# SPDX-License-Identifier: GPL-2.0-only
"""A raw generic netlink client for the heartbeat family, independent of
hbctl and of pyroute2, able to send malformed messages on purpose."""
import errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

def _uapi_constants():
    """Enum values and #defines of include/uapi/linux/heartbeat.h, read from
    the header itself so the tests can never drift from it."""
    import re
    top = os.environ.get("HB_TOP", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    text = open(os.path.join(top, "include/uapi/linux/heartbeat.h")).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    consts = {}
    for body in re.findall(r"enum\s+\w+\s*{(.*?)}", text, flags=re.S):
        value = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            expr = expr.strip()
            value = eval(expr, {}, dict(consts)) if expr else value + 1
            consts[name] = value
    for name, val in re.findall(r"#define\s+(HEARTBEAT_\w+)\s+(\d+)U?\b", text):
        consts[name] = int(val)
    return consts


C = _uapi_constants()
globals().update({k[len("HEARTBEAT_"):]: v for k, v in C.items()})
CMD_NODE_GET = C["HEARTBEAT_CMD_NODE_GET"]
CMD_NODE_SET = C["HEARTBEAT_CMD_NODE_SET"]
A_NODE_ID = C["HEARTBEAT_A_NODE_ID"]
A_NODE_CLUSTER = C["HEARTBEAT_A_NODE_CLUSTER"]
A_NODE_INCARNATION = C["HEARTBEAT_A_NODE_INCARNATION"]
A_NODE_INTERVAL_US = C["HEARTBEAT_A_NODE_INTERVAL_US"]
A_NODE_FALL = C["HEARTBEAT_A_NODE_FALL"]
A_NODE_RISE = C["HEARTBEAT_A_NODE_RISE"]
A_NODE_GRACE_US = C["HEARTBEAT_A_NODE_GRACE_US"]
A_NODE_LEARN = C["HEARTBEAT_A_NODE_LEARN"]
A_NODE_MAX = C["HEARTBEAT_A_NODE_MAX"]


class NetlinkError(Exception):
    def __init__(self, code, msg):
        super().__init__(f"{errno.errorcode.get(code, code)}: {msg}")
        self.code = code
        self.msg = msg


def attr(atype, payload):
    """One netlink attribute, padded to 4 bytes."""
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * (-len(payload) % 4)
    return hdr + payload + pad


def u8(atype, v):
    return attr(atype, struct.pack("=B", v))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def u64(atype, v):
    return attr(atype, struct.pack("=Q", v))


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        alen, atype = struct.unpack_from("=HH", data)
        if alen < 4:
            break
        out[atype & 0x3FFF] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME, b"heartbeat\0"), version=1)
        attrs = parse_attrs(reply[0])
        self.family = struct.unpack("=H", attrs[CTRL_ATTR_FAMILY_ID])[0]
        self.version = struct.unpack("=I", attrs[CTRL_ATTR_VERSION])[0]
        # {name: id} of the family's multicast groups (CTRL_ATTR_MCAST_GROUPS).
        self.groups = {}
        for grp in parse_attrs(attrs.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            ga = parse_attrs(grp)
            if CTRL_ATTR_MCAST_GRP_NAME in ga and CTRL_ATTR_MCAST_GRP_ID in ga:
                name = ga[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                self.groups[name] = struct.unpack("=I", ga[CTRL_ATTR_MCAST_GRP_ID])[0]

    def close(self):
        self.sock.close()

    def raw(self, nltype, cmd, payload=b"", flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        """Send one message; return the list of reply payloads (after the
        genl header) or raise NetlinkError for an error ack."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), nltype, flags, self.seq, 0) + body
        self.sock.send(msg)
        replies = []
        while True:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                length, mtype, mflags, seq, _ = struct.unpack_from("=IHHII", data)
                body = data[16:length]
                data = data[(length + 3) & ~3:]
                if mtype == NLMSG_ERROR:
                    code = -struct.unpack_from("=i", body)[0]
                    if code == 0:
                        return replies
                    text = ""
                    if mflags & NLM_F_ACK_TLVS:
                        tlvs = parse_attrs(body[20:])
                        text = tlvs.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                    raise NetlinkError(code, text)
                if mtype == NLMSG_DONE:
                    return replies
                replies.append(body[4:])
                if not (mflags & NLM_F_MULTI) and not (flags & NLM_F_ACK):
                    return replies

    def request(self, nltype, cmd, payload=b"", **kw):
        return self.raw(nltype, cmd, payload, **kw)

    def node_get(self):
        reply = self.raw(self.family, CMD_NODE_GET)
        a = parse_attrs(reply[0])
        out = {}
        for key, typ in ((A_NODE_ID, "I"), (A_NODE_CLUSTER, "I"), (A_NODE_INCARNATION, "Q"),
                         (A_NODE_INTERVAL_US, "I"), (A_NODE_FALL, "I"), (A_NODE_RISE, "I"),
                         (A_NODE_GRACE_US, "I"), (A_NODE_LEARN, "B"),
                         (C["HEARTBEAT_A_NODE_LEARN_EXPIRE_US"], "I")):
            if key in a:
                out[key] = struct.unpack("=" + typ, a[key])[0]
        return out

    def node_set(self, payload):
        return self.raw(self.family, CMD_NODE_SET, payload)

    def dump(self, cmd, payload=b""):
        """A dump request; returns one attribute dict per object."""
        return [parse_attrs(r) for r in
                self.raw(self.family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_DUMP)]

    def do(self, cmd, payload=b""):
        return [parse_attrs(r) for r in self.raw(self.family, cmd, payload)]
