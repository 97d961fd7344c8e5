# SPDX-License-Identifier: GPL-2.0-only
"""Application readiness gates (Documentation/apps.rst): a node whose
application stops kicking its gate stays alive to its peers but says it is
not ready, in every frame, until the next kick; with action silence it
stops sending heartbeats, so its peers judge it dead, and a kick brings it
back. The events and uevents of both sides, sysfs, the refusals, and
add/del cycles, namespace deletion and unloading with gates armed.

Two hosts at 10 ms, fall 3, slack 50 ms. On host 1 tools/examples/app-kick
kicks a gate every 50 ms (timeout 300 ms) until it is stopped with SIGSTOP.
Timing bounds: the gate expires a timeout after its last kick, which came
before the SIGSTOP and at most a kick interval (plus the emulated CPU's
lateness) before it; host 2 hears it in the next heartbeat, an interval
later. TOL_MS covers the emulated CPU's stalls, as test_cluster's
detection bounds do (+100 ms)."""
import os
import re
import signal
import struct
import subprocess
import time

import pytest

import hbgenl as g
from conftest import HB_MODULE, HB_TOP, module_loaded, timing_scale
from hbcluster import HBCTL, Capture, Cluster, UeventListener, sh, wait_for
from hbframes import HDR as HB_HDR, frame, send
from test_lifecycle import assert_slab_back, settled_slab

APP_KICK = os.path.join(HB_TOP, "tools/examples/app-kick")
INTERVAL_MS = 10
FALL = 3
SLACK_MS = 50
RISE = 2
TIMEOUT_MS = 300
KICK_MS = 50
TOL_MS = timing_scale(100)
NOT_READY = 0x0001
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

# Add/del cycles, as test_lifecycle's: after a warm-up, bounded per cycle.
# Measured in the VM: 3000 cycles after the warm-up read +4 to +48 kB in
# eight runs; a planted leak of the gate itself (kmalloc-192, no free on
# delete) read +568 kB (193 bytes a cycle). 96 bytes a cycle, 281 kB, is
# half that leak and almost six times the worst clean reading.
WARMUP_CYCLES = 200
CYCLES = 3000
SLAB_PER_CYCLE_BYTES = 96


@pytest.fixture
def pair():
    c = Cluster(2, interval=f"{INTERVAL_MS}ms", fall=FALL, rise=RISE, slack=f"{SLACK_MS}ms",
                prefix="ap")
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    yield c
    c.close()


class Kicker:
    """tools/examples/app-kick in a host, kicking a gate every KICK_MS from
    go() on. The process is set up beforehand (entering a namespace takes
    a while under TCG) and waits for a line on its stdin; ip netns exec and
    the shell exec what follows, so the pid is app-kick's own."""

    def __init__(self, host, name, every_ms=KICK_MS):
        if not os.access(APP_KICK, os.X_OK):
            pytest.fail(f"{APP_KICK} is not built: run make")
        self.proc = subprocess.Popen(["ip", "netns", "exec", host, "sh", "-c",
                                      'read go && exec "$0" "$@"', APP_KICK, name,
                                      str(every_ms)],
                                     stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def go(self):
        self.proc.stdin.write("go\n")
        self.proc.stdin.close()

    def stop(self):
        """SIGSTOP; returns the CLOCK_REALTIME instant just before it."""
        t = time.time_ns()
        self.proc.send_signal(signal.SIGSTOP)
        return t

    def cont(self):
        t = time.time_ns()
        self.proc.send_signal(signal.SIGCONT)
        return t

    def close(self):
        self.proc.kill()
        self.proc.wait()
        assert self.proc.returncode == -signal.SIGKILL, self.proc.stderr.read()


class FlagCapture(Capture):
    """Capture, with each frame's header flags."""

    def handle(self, data, anc, received_ns):
        item = super().handle(data, anc, received_ns)
        if item is not None:
            item["flags"] = HB_HDR.unpack_from(data, 14)[11]
        return item


def ms(ns):
    return ns / 1e6


def sysfs(host, path):
    return subprocess.run(["ip", "netns", "exec", host, "cat", f"/sys/kernel/heartbeat/{path}"],
                          capture_output=True, text=True, check=True).stdout.strip()


def gate(c, host, name):
    return c.hbj(host, "app", "show", name)[0]


def test_a_stopped_kicker_makes_the_node_not_ready_but_alive(pair):
    c = pair
    mon1, mon2 = c.monitor("ap1"), c.monitor("ap2")
    ue1, ue2 = UeventListener("ap1"), UeventListener("ap2")
    kicker = Kicker("ap1", "db")
    try:
        # The timeout runs from the add: the kicker goes right away.
        c.hb("ap1", "app", "add", "db", "timeout", f"{TIMEOUT_MS}ms")
        kicker.go()
        assert wait_for(lambda: gate(c, "ap1", "db")["kicks"], 2)
        # Kicked within its timeout for a second: ready all along.
        start = time.time_ns()
        expiries = gate(c, "ap1", "db")["expiries"]
        time.sleep(1)
        g1 = gate(c, "ap1", "db")
        print(f"# {g1['kicks']} kicks; expiries before the first: {expiries}, "
              f"then: {g1['expiries'] - expiries}")
        assert g1["state"] == "ready" and g1["expiries"] == expiries and g1["kicks"] >= 10, g1
        assert c.peers("ap2")[1]["ready"] is True
        assert not mon2.find(after=start, event="peer-ready")
        assert not mon1.find(after=start, event="app")

        stop = kicker.stop()
        ev = mon2.wait(timing_scale(2), after=stop, event="peer-ready", id=1, ready=False)
        assert ev, mon2.events
        exp = mon1.wait(1, after=stop, event="app", name="db", ready=False)
        assert exp, mon1.events
        expired, heard = ms(exp["time_ns"] - stop), ms(ev["time_ns"] - stop)
        print(f"# SIGSTOP -> gate expired on host 1 {expired:.1f} ms, host 2 told "
              f"{heard:.1f} ms (timeout {TIMEOUT_MS} ms, kicks every {KICK_MS} ms, "
              f"heartbeat {INTERVAL_MS} ms)")
        assert TIMEOUT_MS - KICK_MS - TOL_MS <= expired <= TIMEOUT_MS + TOL_MS
        assert heard <= TIMEOUT_MS + INTERVAL_MS + TOL_MS
        assert 0 <= ms(ev["time_ns"] - exp["time_ns"]) <= INTERVAL_MS + TOL_MS
        assert exp["action"] == "notready" and exp["node_ready"] is False
        assert exp["silent"] is False
        assert ev["state"] == "alive"

        # Not ready, and alive: no verdict on host 1 at all.
        time.sleep(0.5)
        p = c.peers("ap2")[1]
        assert p["state"] == "alive" and p["ready"] is False, p
        assert not mon2.find(after=stop, event="peer-state", id=1), mon2.events
        assert re.search(r"^1 +alive +not-ready ", c.hb("ap2", "peer", "show").stdout, re.M)
        assert sysfs("ap2", "instance/peers/1/ready") == "0"
        assert sysfs("ap1", "instance/ready") == "0"
        assert sysfs("ap1", "instance/silent") == "0"
        g1 = gate(c, "ap1", "db")
        assert g1["state"] == "expired" and g1["expiries"] == 1, g1
        assert g1["since_kick_us"] >= (TIMEOUT_MS - KICK_MS) * 1000, g1
        u = ue2.wait(2, after=stop, HEARTBEAT_EVENT="ready", HEARTBEAT_NODE=1,
                     HEARTBEAT_READY=0)
        assert u and u[0]["HEARTBEAT_STATE"] == "alive", ue2.items
        u = ue1.wait(2, after=stop, HEARTBEAT_EVENT="app", HEARTBEAT_APP="db",
                     HEARTBEAT_APP_READY=0, HEARTBEAT_READY=0, HEARTBEAT_SILENT=0,
                     HEARTBEAT_APP_ACTION="notready")
        assert u, ue1.items

        # SIGCONT: the next kick (within a kick interval) makes it ready.
        cont = kicker.cont()
        ev = mon2.wait(timing_scale(2), after=cont, event="peer-ready", id=1, ready=True)
        assert ev, mon2.events
        back = ms(ev["time_ns"] - cont)
        print(f"# SIGCONT -> host 2 told ready {back:.1f} ms")
        assert back <= KICK_MS + INTERVAL_MS + TOL_MS
        assert mon1.wait(1, after=cont, event="app", name="db", ready=True, node_ready=True)
        assert ue2.wait(2, after=cont, HEARTBEAT_EVENT="ready", HEARTBEAT_NODE=1,
                        HEARTBEAT_READY=1)
        assert ue1.wait(2, after=cont, HEARTBEAT_EVENT="app", HEARTBEAT_APP_READY=1,
                        HEARTBEAT_READY=1)
        assert c.peers("ap2")[1]["ready"] is True
        assert sysfs("ap1", "instance/ready") == "1"
        assert not mon2.find(event="peer-state", id=1), mon2.events
    finally:
        kicker.close()
        ue1.stop()
        ue2.stop()


def test_every_frame_says_not_ready(pair):
    """Heartbeats and probe answers of a not-ready node carry the flag;
    before and after, none does."""
    c = pair
    cap = FlagCapture("ap2")
    c.hb("ap1", "app", "add", "db", "timeout", "10ms")
    assert wait_for(lambda: gate(c, "ap1", "db")["state"] == "expired", 2)
    mark = time.time_ns() + INTERVAL_MS * 2 * 10**6
    time.sleep(0.2)
    r = c.hb("ap2", "-j", "peer", "probe", "id", "1", "count", "2", "interval", "20ms")
    assert '"answered":2' in r.stdout, r.stdout
    end = time.time_ns()
    c.hb("ap1", "app", "del", "db")
    gone = time.time_ns()
    assert wait_for(lambda: c.peers("ap2")[1]["ready"], 1)
    time.sleep(0.2)
    cap.stop()
    during = cap.from_node(1, after=mark, before=end)
    beats = [f for f in during if f["type"] == 1]
    acks = [f for f in during if f["type"] == 5]
    assert len(beats) >= 10 and acks, during
    assert all(f["flags"] & NOT_READY for f in beats + acks), during
    after = cap.from_node(1, after=gone + INTERVAL_MS * 2 * 10**6)
    assert after and not any(f["flags"] & NOT_READY for f in after), after


def test_silence_makes_peers_judge_the_node_dead(pair):
    c = pair
    mon1, mon2 = c.monitor("ap1"), c.monitor("ap2")
    kicker = Kicker("ap1", "web")
    c.hb("ap1", "app", "add", "web", "timeout", "200ms", "action", "silence")
    kicker.go()
    try:
        time.sleep(0.6)
        assert c.states("ap2")[1] == "alive"
        stop = kicker.stop()
        dead = mon2.wait(timing_scale(3), after=stop, event="peer-state", id=1, state="dead")
        assert dead, mon2.events
        exp = mon1.wait(1, after=stop, event="app", name="web", ready=False)
        assert exp and exp["silent"] is True and exp["node_ready"] is False, exp
        bound = FALL * INTERVAL_MS + SLACK_MS
        took = ms(dead["time_ns"] - exp["time_ns"])
        print(f"# silenced -> dead on host 2 {took:.1f} ms after the expiry "
              f"(bound {bound} ms), {ms(dead['time_ns'] - stop):.1f} ms after SIGSTOP")
        assert took <= bound + TOL_MS
        # No heartbeat leaves host 1, nor an answer to a probe; it still hears 2.
        assert sysfs("ap1", "instance/silent") == "1"
        tx = c.hbj("ap1", "link", "show")[0]["tx"]
        r = c.hb("ap2", "-j", "peer", "probe", "id", "1", "count", "1", check=False)
        assert r.returncode == 2 and '"timeout":true' in r.stdout, r
        assert c.hbj("ap1", "link", "show")[0]["tx"] == tx
        assert c.states("ap1")[2] == "alive"
        assert gate(c, "ap1", "web")["state"] == "expired"

        # One kick: heartbeats again, alive after rise of them. The kicker
        # goes on at once, before this kick's timeout runs out.
        c.hb("ap1", "app", "kick", "web")
        kicker.cont()
        fresh = mon1.wait(1, after=stop, event="app", name="web", ready=True)
        assert fresh and fresh["silent"] is False, mon1.events
        alive = mon2.wait(timing_scale(2), after=fresh["time_ns"], event="peer-state", id=1,
                          state="alive")
        assert alive, mon2.events
        took = ms(alive["time_ns"] - fresh["time_ns"])
        print(f"# kick -> alive on host 2 {took:.1f} ms (rise {RISE} x {INTERVAL_MS} ms)")
        assert took <= (RISE + 1) * INTERVAL_MS + TOL_MS
        time.sleep(0.5)
        assert c.states("ap2")[1] == "alive"
        assert not mon2.find(after=alive["time_ns"], event="peer-state", id=1)
    finally:
        kicker.close()
    # Deleting the expired gate (the kicker is gone) sends heartbeats again.
    assert wait_for(lambda: c.states("ap2")[1] == "dead", timing_scale(2))
    c.hb("ap1", "app", "del", "web")
    assert wait_for(lambda: c.states("ap2")[1] == "alive", timing_scale(2))
    assert sysfs("ap1", "instance/silent") == "0"


def test_a_learned_peer_says_not_ready_in_its_first_frame(pair):
    """A frame's NOT_READY bit, from a node never heard before; bits this
    version does not know are ignored."""
    c = pair
    mon = c.monitor("ap2")

    def flagged(seq, flags):
        f = bytearray(frame(node=77, seq=seq, interval=100000))
        struct.pack_into("!H", f, 44, flags)
        return bytes(f)

    send("ap1", [flagged(1, NOT_READY | 0x8000), flagged(2, NOT_READY)])
    assert wait_for(lambda: mon.find(event="peer-ready", id=77, ready=False), 2), mon.events
    assert c.peers("ap2")[77]["ready"] is False
    send("ap1", [flagged(3, 0x4000)])
    assert wait_for(lambda: mon.find(event="peer-ready", id=77, ready=True), 2), mon.events
    assert c.peers("ap2")[77]["ready"] is True
    assert c.hbj("ap2", "stats")["drops"]["field"] == 0


def test_show_lists_gates_in_name_order(pair):
    c = pair
    c.hb("ap1", "app", "add", "web", "timeout", "3600s")
    c.hb("ap1", "app", "add", "db", "timeout", "1.5s", "action", "silence")
    c.hb("ap1", "app", "kick", "db")
    out = c.hbj("ap1", "app", "show")
    assert [a["name"] for a in out] == ["db", "web"], out
    db, web = out
    assert db == {"name": "db", "state": "ready", "timeout_us": 1500000, "action": "silence",
                  "since_kick_us": db["since_kick_us"], "kicks": 1, "expiries": 0}, db
    assert 0 <= db["since_kick_us"] < 1500000
    assert web["timeout_us"] == 3600000000 and web["action"] == "notready"
    assert web["kicks"] == 0
    text = c.hb("ap1", "app", "show").stdout.splitlines()
    assert re.fullmatch(r"db +ready +timeout 1\.5s  action silence  kicked \S+ ago  kicks 1"
                        r"  expiries 0", text[0]), text
    assert re.fullmatch(r"web +ready +timeout 3600s  action notready  kicked \S+ ago  kicks 0"
                        r"  expiries 0", text[1]), text
    # Per namespace: host 2 has none.
    assert c.hbj("ap2", "app", "show") == []
    # Anyone may read.
    r = subprocess.run(["ip", "netns", "exec", "ap1", *NOBODY, HBCTL, "-j", "app", "show", "db"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and '"name":"db"' in r.stdout, r


def test_refusals_are_explained():
    c = Cluster(1, interval="100ms", prefix="ar")
    try:
        def refused(rc, text, *args):
            r = c.hb("ar1", "app", *args, check=False)
            assert r.returncode == rc and text in r.stderr, (args, r)
            assert r.stdout == ""

        refused(1, "printable characters without spaces", "add", "my app", "timeout", "1s")
        refused(1, "1 to 31 characters", "add", "a" * 32, "timeout", "1s")
        refused(1, "from 10ms to 3600s", "add", "db", "timeout", "9ms")
        refused(1, "from 10ms to 3600s", "add", "db", "timeout", "3601s")
        refused(1, "needs a duration with a unit", "add", "db", "timeout", "300")
        refused(1, '"timeout" is required', "add", "db")
        refused(1, "action must be notready or silence", "add", "db", "timeout", "1s",
                "action", "reboot")
        refused(1, '"NAME" is required', "kick")
        c.hb("ar1", "app", "add", "db", "timeout", "1s")
        refused(2, "an app gate with this name exists", "add", "db", "timeout", "2s")
        for cmd in ("kick", "del", "show"):
            refused(2, "no app gate with this name", cmd, "nope")
        for i in range(15):
            c.hb("ar1", "app", "add", f"g{i}", "timeout", "3600s")
        refused(2, "too many app gates (16 at most)", "add", "one-more", "timeout", "1s")

        # Without CAP_NET_ADMIN: refused; reading is open.
        for args in (["add", "x", "timeout", "1s"], ["kick", "db"], ["del", "db"]):
            r = subprocess.run(["ip", "netns", "exec", "ar1", *NOBODY, HBCTL, "app", *args],
                               capture_output=True, text=True)
            assert r.returncode == 2 and "Operation not permitted" in r.stderr, (args, r)

        # What hbctl cannot send, straight to the kernel.
        genl, _ = Cluster.genl("ar1")
        A = g.C
        name = lambda b: g.attr(A["HEARTBEAT_A_APP_NAME"], b)
        timeout = lambda us: g.u32(A["HEARTBEAT_A_APP_TIMEOUT_US"], us)
        add, kick = A["HEARTBEAT_CMD_APP_ADD"], A["HEARTBEAT_CMD_APP_KICK"]
        cases = [
            (add, name(b"my app\0") + timeout(10**6), 22, "1 to 31 printable characters"),
            (add, name(b"\0") + timeout(10**6), 22, "1 to 31 printable characters"),
            (add, name(b"db\0x\0") + timeout(10**6), 22, "1 to 31 printable characters"),
            (add, name(b"caf\xc3\xa9\0") + timeout(10**6), 22, "printable characters"),
            (add, name(b"a" * 40 + b"\0") + timeout(10**6), 34,
             "Attribute failed policy validation"),
            (add, name(b"x\0") + timeout(9999), 34, ""),
            (add, name(b"x\0") + timeout(3600000001), 34, ""),
            (add, name(b"x\0") + timeout(10**6) + g.u8(A["HEARTBEAT_A_APP_ACTION"], 2), 34, ""),
            (add, name(b"x\0") + timeout(10**6) + g.u8(A["HEARTBEAT_A_APP_READY"], 0), 22,
             "ready is read-only"),
            (add, name(b"x\0") + timeout(10**6) + g.u64(A["HEARTBEAT_A_APP_KICKS"], 5), 22,
             "kicks is read-only"),
            (add, timeout(10**6), 22, "an app name is required"),
            (add, name(b"x\0"), 22, "a timeout is required"),
            (kick, b"", 22, "an app name is required"),
            (kick, name(b"db\0") + timeout(10**6), 22, ""),
        ]
        try:
            for cmd, payload, code, text in cases:
                with pytest.raises(g.NetlinkError) as e:
                    genl.do(cmd, payload)
                assert e.value.code == code and text in e.value.msg, (payload, e.value)
            # A name without its NUL is a name too.
            genl.do(kick, name(b"db"))
        finally:
            genl.close()
        assert len(c.hbj("ar1", "app", "show")) == 16
    finally:
        c.close()


def test_add_del_cycles_leak_nothing(pair):
    """Gates added, kicked, expired and deleted thousands of times: nothing
    left behind (the unreclaimable slab, as test_lifecycle reads it), and
    the node ready with no gate at the end."""
    c = pair
    genl, _ = Cluster.genl("ap1")
    A = g.C

    def one(i):
        n = g.attr(A["HEARTBEAT_A_APP_NAME"], f"g{i % 16}\0".encode())
        genl.do(A["HEARTBEAT_CMD_APP_ADD"],
                n + g.u32(A["HEARTBEAT_A_APP_TIMEOUT_US"], 10000 if i % 2 else 3600000000)
                + g.u8(A["HEARTBEAT_A_APP_ACTION"], i % 3 == 0))
        genl.do(A["HEARTBEAT_CMD_APP_KICK"], n)
        genl.do(A["HEARTBEAT_CMD_APP_DEL"], n)

    def cycles(count):
        for i in range(count):
            one(i)
            # Now and then, 16 gates left to expire (events, silence) first.
            if i % 500 == 499:
                for j in range(16):
                    genl.do(A["HEARTBEAT_CMD_APP_ADD"],
                            g.attr(A["HEARTBEAT_A_APP_NAME"], f"e{j}\0".encode())
                            + g.u32(A["HEARTBEAT_A_APP_TIMEOUT_US"], 10000)
                            + g.u8(A["HEARTBEAT_A_APP_ACTION"], j % 2))
                time.sleep(0.05)
                for j in range(16):
                    genl.do(A["HEARTBEAT_CMD_APP_DEL"],
                            g.attr(A["HEARTBEAT_A_APP_NAME"], f"e{j}\0".encode()))

    try:
        base = settled_slab()
        cycles(WARMUP_CYCLES)
        warm = settled_slab()
        cycles(CYCLES)
    finally:
        genl.close()
    grown = settled_slab() - warm
    bound_kb = CYCLES * SLAB_PER_CYCLE_BYTES // 1024
    print(f"# {WARMUP_CYCLES} gate add/kick/del cycles to warm up: unreclaimable slab "
          f"{warm - base:+d} kB; {CYCLES} more: {grown:+d} kB "
          f"({grown * 1024 // CYCLES:+d} bytes per cycle; bound {bound_kb} kB)")
    assert c.hbj("ap1", "app", "show") == []
    assert sysfs("ap1", "instance/ready") == "1" and sysfs("ap1", "instance/silent") == "0"
    assert wait_for(c.all_alive, 5)
    assert c.peers("ap2")[1]["ready"] is True
    assert_slab_back(grown, bound_kb)


def armed_gates(c, host):
    """16 gates: half expired (notready, silence), half kicked by app-kick."""
    for i in range(8):
        c.hb(host, "app", "add", f"x{i}", "timeout", "10ms", "action",
             "silence" if i % 2 else "notready")
        c.hb(host, "app", "add", f"k{i}", "timeout", "1s")
    kickers = [Kicker(host, f"k{i}", 20) for i in range(8)]
    for k in kickers:
        k.go()
    return kickers


def test_namespace_deleted_with_gates_armed():
    base = settled_slab()
    for round_ in range(3):
        c = Cluster(2, interval="10ms", prefix=f"an{round_}")
        kickers = armed_gates(c, f"an{round_}1")
        time.sleep(0.3)
        # The kickers die with their namespace's netlink gone.
        sh(f"ip netns del an{round_}1")
        for k in kickers:
            k.proc.kill()
            k.proc.wait()
        c.close()
    grown = settled_slab() - base
    print(f"# 3 namespaces deleted with 16 gates each: unreclaimable slab {grown:+d} kB")
    assert_slab_back(grown)


def test_unload_with_gates_armed():
    c = Cluster(2, interval="10ms", prefix="au")
    kickers = armed_gates(c, "au1")
    try:
        time.sleep(0.3)
        for k in kickers:
            k.proc.kill()
            k.proc.wait()
        r = subprocess.run(["rmmod", "heartbeat"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert not module_loaded()
    finally:
        c.close()
        if not module_loaded():
            subprocess.run(["insmod", HB_MODULE], check=True)
