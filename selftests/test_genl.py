# SPDX-License-Identifier: GPL-2.0-only
"""The heartbeat generic netlink family seen from two independent clients:
pyroute2 and a raw socket that can send malformed messages. Strict policies
must refuse anything out of shape with an error code and an extack message,
and a refused request must change nothing."""
import errno
import struct

import pytest

import hbgenl as g

GENL_UNS_ADMIN_PERM = 0x10


@pytest.fixture
def nl(netns):
    sock = g.Genl()
    yield sock
    sock.close()


def test_family_visible_to_pyroute2():
    from pyroute2.netlink import genlmsg
    from pyroute2.netlink.generic import GenericNetlinkSocket

    class ctrl(genlmsg):
        nla_map = ()

    sock = GenericNetlinkSocket()
    try:
        sock.bind("heartbeat", ctrl)
        assert sock.prid > 0
        assert "events" in sock.mcast_groups
        sock.add_membership("events")
        desc = sock.discovery("heartbeat")
        assert desc.get_attr("CTRL_ATTR_VERSION") == 1
        ops = {op.get_attr("CTRL_ATTR_OP_ID"): op.get_attr("CTRL_ATTR_OP_FLAGS")
               for op in desc.get_attr("CTRL_ATTR_OPS")}
        # Listing keys is for administrators too, though it changes nothing.
        mutating = {g.CMD_NODE_SET, g.CMD_LINK_ADD, g.CMD_LINK_DEL,
                    g.CMD_PEER_ADD, g.CMD_PEER_DEL, g.CMD_KEY_ADD, g.CMD_KEY_DEL,
                    g.CMD_KEY_GET, g.C["HEARTBEAT_CMD_QUORUM_SET"],
                    g.C["HEARTBEAT_CMD_PEER_PROBE"], g.C["HEARTBEAT_CMD_APP_ADD"],
                    g.C["HEARTBEAT_CMD_APP_DEL"], g.C["HEARTBEAT_CMD_APP_KICK"],
                    g.C["HEARTBEAT_CMD_DISK_ADD"], g.C["HEARTBEAT_CMD_DISK_DEL"],
                    g.C["HEARTBEAT_CMD_DISK_POISON"]}
        reading = {g.CMD_NODE_GET, g.CMD_LINK_GET, g.CMD_PEER_GET, g.CMD_STATS_GET,
                   g.C["HEARTBEAT_CMD_QUORUM_GET"], g.C["HEARTBEAT_CMD_APP_GET"],
                   g.C["HEARTBEAT_CMD_DISK_GET"]}
        assert set(ops) == mutating | reading
        for cmd in mutating:
            assert ops[cmd] & GENL_UNS_ADMIN_PERM, cmd
        for cmd in reading:
            assert not ops[cmd] & GENL_UNS_ADMIN_PERM, cmd
    finally:
        sock.close()


def test_pyroute2_node_get(netns):
    from pyroute2.netlink import NLM_F_REQUEST, genlmsg
    from pyroute2.netlink.generic import GenericNetlinkSocket

    class node(genlmsg):
        nla_map = (("HEARTBEAT_A_NODE_UNSPEC", "none"),
                   ("HEARTBEAT_A_NODE_PAD", "none"),
                   ("HEARTBEAT_A_NODE_ID", "uint32"),
                   ("HEARTBEAT_A_NODE_CLUSTER", "uint32"),
                   ("HEARTBEAT_A_NODE_INCARNATION", "uint64"),
                   ("HEARTBEAT_A_NODE_INTERVAL_US", "uint32"),
                   ("HEARTBEAT_A_NODE_FALL", "uint32"),
                   ("HEARTBEAT_A_NODE_RISE", "uint32"),
                   ("HEARTBEAT_A_NODE_GRACE_US", "uint32"),
                   ("HEARTBEAT_A_NODE_LEARN", "uint8"))

    sock = GenericNetlinkSocket()
    try:
        sock.bind("heartbeat", node)
        msg = node()
        msg["cmd"] = g.CMD_NODE_GET
        msg["version"] = 1
        reply = sock.nlm_request(msg, msg_type=sock.prid, msg_flags=NLM_F_REQUEST)[0]
        assert reply.get_attr("HEARTBEAT_A_NODE_ID") == 0
        assert reply.get_attr("HEARTBEAT_A_NODE_INTERVAL_US") == 100000
        assert reply.get_attr("HEARTBEAT_A_NODE_FALL") == 3
        assert reply.get_attr("HEARTBEAT_A_NODE_RISE") == 2
        assert reply.get_attr("HEARTBEAT_A_NODE_LEARN") == 1
        assert reply.get_attr("HEARTBEAT_A_NODE_INCARNATION") > 0
    finally:
        sock.close()


def test_defaults(nl):
    assert nl.version == 1
    node = nl.node_get()
    assert node == {**node, g.A_NODE_ID: 0, g.A_NODE_CLUSTER: 0,
                    g.A_NODE_INTERVAL_US: 100000, g.A_NODE_FALL: 3,
                    g.A_NODE_RISE: 2, g.A_NODE_GRACE_US: 1000000, g.A_NODE_LEARN: 1,
                    g.C["HEARTBEAT_A_NODE_LEARN_EXPIRE_US"]: 300000000}


def test_set_roundtrip(nl):
    nl.node_set(g.u32(g.A_NODE_ID, 42) + g.u32(g.A_NODE_CLUSTER, 7) +
                g.u32(g.A_NODE_INTERVAL_US, 1000) + g.u32(g.A_NODE_FALL, 100) +
                g.u32(g.A_NODE_RISE, 1) + g.u32(g.A_NODE_GRACE_US, 0) +
                g.u8(g.A_NODE_LEARN, 0))
    node = nl.node_get()
    assert node[g.A_NODE_ID] == 42
    assert node[g.A_NODE_CLUSTER] == 7
    assert node[g.A_NODE_INTERVAL_US] == 1000
    assert node[g.A_NODE_FALL] == 100
    assert node[g.A_NODE_RISE] == 1
    assert node[g.A_NODE_GRACE_US] == 0
    assert node[g.A_NODE_LEARN] == 0
    # A partial set leaves the rest alone.
    nl.node_set(g.u32(g.A_NODE_INTERVAL_US, 60000000))
    node2 = nl.node_get()
    assert node2[g.A_NODE_INTERVAL_US] == 60000000
    assert node2[g.A_NODE_ID] == 42


BAD_SETS = [
    ("interval_too_short", g.u32(g.A_NODE_INTERVAL_US, 999), errno.ERANGE),
    ("interval_too_long", g.u32(g.A_NODE_INTERVAL_US, 60000001), errno.ERANGE),
    ("node_id_zero", g.u32(g.A_NODE_ID, 0), errno.ERANGE),
    ("fall_zero", g.u32(g.A_NODE_FALL, 0), errno.ERANGE),
    ("fall_too_big", g.u32(g.A_NODE_FALL, 101), errno.ERANGE),
    ("rise_zero", g.u32(g.A_NODE_RISE, 0), errno.ERANGE),
    ("grace_too_long", g.u32(g.A_NODE_GRACE_US, 3600000001), errno.ERANGE),
    ("learn_two", g.u8(g.A_NODE_LEARN, 2), errno.ERANGE),
    ("learn_expire_below_1s", g.u32(g.C["HEARTBEAT_A_NODE_LEARN_EXPIRE_US"], 999999), errno.ERANGE),
    ("learn_expire_above_1h", g.u32(g.C["HEARTBEAT_A_NODE_LEARN_EXPIRE_US"], 3600000001),
     errno.ERANGE),
    ("u32_too_short", g.attr(g.A_NODE_FALL, b"\x01\x00"), errno.EINVAL),
    ("u32_too_long", g.attr(g.A_NODE_FALL, b"\x01\x00\x00\x00\x00\x00\x00\x00"), errno.EINVAL),
    ("unknown_attr", g.u32(g.A_NODE_MAX + 1, 1), errno.EINVAL),
    ("unspec_attr", g.u32(0, 1), errno.EINVAL),
    ("read_only_incarnation", g.u64(g.A_NODE_INCARNATION, 1), errno.EINVAL),
    ("nested_flag_on_u32", g.attr(g.A_NODE_FALL | 0x8000, b"\x01\x00\x00\x00"), errno.EINVAL),
    ("truncated_attr_header", b"\x08\x00", errno.EINVAL),
    ("attr_len_past_end", struct.pack("=HH", 64, g.A_NODE_FALL) + b"\x01\x00\x00\x00", errno.EINVAL),
]


@pytest.mark.parametrize("name,payload,code", BAD_SETS, ids=[b[0] for b in BAD_SETS])
def test_bad_set_refused_with_message(nl, name, payload, code):
    before = nl.node_get()
    # A valid attribute first: the refusal must be all or nothing.
    with pytest.raises(g.NetlinkError) as err:
        nl.node_set(g.u32(g.A_NODE_CLUSTER, 99) + payload)
    assert (err.value.code, bool(err.value.msg)) == (code, True), err.value.msg
    assert nl.node_get() == before


def test_set_without_attributes_refused(nl):
    with pytest.raises(g.NetlinkError) as err:
        nl.node_set(b"")
    assert err.value.code == errno.EINVAL
    assert err.value.msg == "no node setting given"


def test_get_refuses_attributes(nl):
    with pytest.raises(g.NetlinkError) as err:
        nl.raw(nl.family, g.CMD_NODE_GET, g.u32(g.A_NODE_ID, 1))
    assert err.value.code == errno.EINVAL
    assert err.value.msg


def test_unknown_command(nl):
    with pytest.raises(g.NetlinkError) as err:
        nl.raw(nl.family, 99)
    assert err.value.code == errno.EOPNOTSUPP


def test_dump_of_node_not_supported(nl):
    with pytest.raises(g.NetlinkError) as err:
        nl.raw(nl.family, g.CMD_NODE_GET, flags=g.NLM_F_REQUEST | g.NLM_F_DUMP)
    assert err.value.code == errno.EOPNOTSUPP


def quorum_get(nl):
    import struct
    a = nl.do(g.C["HEARTBEAT_CMD_QUORUM_GET"])[0]
    u32 = {k: struct.unpack("=I", a[g.C[f"HEARTBEAT_A_QUORUM_{k}"]])[0]
           for k in ("EXPECTED_VOTES", "VOTES", "NODES", "CHANGES")}
    u8 = {k: a[g.C[f"HEARTBEAT_A_QUORUM_{k}"]][0]
          for k in ("QUORATE", "TIE_BREAKER", "WAIT_FOR_ALL")}
    members = g.C["HEARTBEAT_A_QUORUM_MEMBERS"]
    ids = [struct.unpack("=I", v)[0] for _, v in sorted(g.parse_attrs(a[members]).items())] \
        if members in a else []
    return {**u32, **u8, "MEMBERS": ids}


def quorum_set(nl, **kw):
    payload = b""
    for key, value in kw.items():
        atype = g.C[f"HEARTBEAT_A_QUORUM_{key.upper()}"]
        payload += g.u32(atype, value) if key == "expected_votes" else g.u8(atype, value)
    return nl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"], payload)


def test_quorum_off_by_default_then_set(nl):
    q = quorum_get(nl)
    assert (q["EXPECTED_VOTES"], q["QUORATE"], q["VOTES"], q["MEMBERS"]) == (0, 0, 0, []), q
    nl.node_set(g.u32(g.A_NODE_ID, 7))
    for peer in (3, 9):
        nl.do(g.CMD_PEER_ADD, g.u32(g.C["HEARTBEAT_A_PEER_ID"], peer))
    quorum_set(nl, expected_votes=3, tie_breaker=g.C["HEARTBEAT_TIE_BREAKER_LOWEST"],
               wait_for_all=1)
    # The first count comes from a timer: wait for it.
    import time
    for _ in range(50):
        q = quorum_get(nl)
        if q["NODES"]:
            break
        time.sleep(0.02)
    # Alone of three members, never heard the others: no quorum.
    assert q == {**q, "EXPECTED_VOTES": 3, "TIE_BREAKER": 1, "WAIT_FOR_ALL": 1,
                 "QUORATE": 0, "VOTES": 1, "NODES": 3, "MEMBERS": [7]}, q
    assert q["CHANGES"] >= 1
    quorum_set(nl, expected_votes=0)
    q = quorum_get(nl)
    assert (q["EXPECTED_VOTES"], q["QUORATE"], q["VOTES"], q["MEMBERS"]) == (0, 0, 0, []), q


QUORUM_BAD = [
    ("nothing", {}, errno.EINVAL, "no quorum setting given"),
    ("too_many_votes", {"expected_votes": 66}, errno.ERANGE, None),
    ("tie_breaker", {"tie_breaker": 4}, errno.ERANGE, None),
    ("tie_breaker_disk_without_disk", {"tie_breaker": 3}, errno.ENOENT,
     "no shared disk to break ties with (hbctl disk add)"),
    ("wait_for_all", {"wait_for_all": 2}, errno.ERANGE, None),
    ("quorate", {"quorate": 1}, errno.EINVAL, "quorate is the quorum's to decide"),
    ("votes", {"votes": 1}, errno.EINVAL, "votes are counted, not set"),
]


@pytest.mark.parametrize("name,kw,code,msg", QUORUM_BAD, ids=[b[0] for b in QUORUM_BAD])
def test_bad_quorum_set_refused_with_message(nl, name, kw, code, msg):
    kw = {k: v for k, v in kw.items()}
    payload = b""
    for key, value in kw.items():
        atype = g.C[f"HEARTBEAT_A_QUORUM_{key.upper()}"]
        payload += g.u32(atype, value) if key in ("expected_votes", "votes") \
            else g.u8(atype, value)
    with pytest.raises(g.NetlinkError) as err:
        nl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"], payload)
    assert err.value.code == code and err.value.msg, err.value
    if msg:
        assert err.value.msg == msg
    assert quorum_get(nl)["EXPECTED_VOTES"] == 0


def test_quorum_counts_at_most_65_members(nl):
    nl.node_set(g.u32(g.A_NODE_ID, 1000) + g.u32(g.C["HEARTBEAT_A_NODE_MAX_PEERS"], 100))
    for peer in range(1, 65):
        nl.do(g.CMD_PEER_ADD, g.u32(g.C["HEARTBEAT_A_PEER_ID"], peer))
    quorum_set(nl, expected_votes=65)
    with pytest.raises(g.NetlinkError) as err:
        nl.do(g.CMD_PEER_ADD, g.u32(g.C["HEARTBEAT_A_PEER_ID"], 65))
    assert err.value.code == errno.E2BIG and "65" in err.value.msg
    quorum_set(nl, expected_votes=0)
    nl.do(g.CMD_PEER_ADD, g.u32(g.C["HEARTBEAT_A_PEER_ID"], 65))
    with pytest.raises(g.NetlinkError) as err:
        quorum_set(nl, expected_votes=5)
    assert err.value.code == errno.E2BIG and "65" in err.value.msg
    assert quorum_get(nl)["EXPECTED_VOTES"] == 0


def test_namespaces_isolated(nl):
    from pyroute2 import netns as pnetns
    nl.node_set(g.u32(g.A_NODE_ID, 77))
    pnetns.create("hbpy-other")
    try:
        pnetns.pushns("hbpy-other")
        try:
            other = g.Genl()
            assert other.node_get()[g.A_NODE_ID] == 0
            other.close()
        finally:
            pnetns.popns()
    finally:
        pnetns.remove("hbpy-other")
    assert nl.node_get()[g.A_NODE_ID] == 77


def test_reads_never_wait_for_rtnl():
    """Reads are open to every user, so they must not take RTNL, the lock
    every network change in the system waits for: a user could stall them
    all, and the reads themselves stalled behind any holder. A test module
    holds RTNL for 8 s while it loads; reads as nobody must not wait."""
    import os
    import subprocess
    import time
    from conftest import DEBUG_KERNEL, HB_MODULE, timing_scale
    from hbcluster import HBCTL, Cluster
    if DEBUG_KERNEL:
        pytest.skip("hb_rtnl_hold.ko is built for Debian's kernel only")
    c = Cluster(1, interval="100ms", prefix="rt")
    holder = None
    try:
        # Built beside the module, for its kernel (scripts/build-kernel).
        holder = subprocess.Popen(["insmod", os.path.join(os.path.dirname(HB_MODULE),
                                                          "selftests/splat/hb_rtnl_hold.ko"),
                                   "hold_ms=8000"])
        time.sleep(0.5)
        assert holder.poll() is None, "the holder let go too early"
        for args in (["stats"], ["link", "show"], ["link", "show", "dev", "eth0"],
                     ["peer", "show"], ["node", "show"]):
            start = time.monotonic()
            r = subprocess.run(["ip", "netns", "exec", "rt1", "setpriv", "--reuid=65534",
                                "--regid=65534", "--clear-groups", HBCTL, *args],
                               capture_output=True, text=True)
            took = time.monotonic() - start
            assert r.returncode == 0, (args, r.stderr)
            assert took < timing_scale(1.5), f"hbctl {' '.join(args)} waited {took:.1f} s"
        assert holder.poll() is None, "the reads did not overlap the holder"
    finally:
        if holder:
            holder.wait()
            subprocess.run(["rmmod", "hb_rtnl_hold"])
        c.close()
