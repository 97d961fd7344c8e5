# SPDX-License-Identifier: GPL-2.0-only
"""The shared-disk channel (Documentation/admin-guide.rst, "Shared disk"):
three hosts on one bridge share a loop device; each writes its slot and
reads the others'. A peer whose network is cut but whose slot moves stays
alive (one degraded event, the disk among its links); once its slot stops
too it is dead. Bad input - a device too small, a foreign or another
cluster's region, a file that is no block device, an unaligned offset, an
unprivileged caller, damaged blocks, failing I/O - gives a clear error or a
counted one, never a crash. A quorate node's poison pill stops a peer,
which raises a fenced event; a minority's is refused. In a 1|1 split with
tie-breaker disk, exactly one side is quorate.

The hosts share the VM's kernel, so the "disk" is one block device that
every namespace opens, as separate machines open one shared LUN."""
import os
import subprocess
import time

import pytest

import hbgenl as g
from conftest import timing_scale
from hbcluster import HBCTL, Cluster, UeventListener, ip_batch, sh, wait_for

INTERVAL_MS = round(timing_scale(50))
SLACK_MS = 3 * INTERVAL_MS
DISK_MS = 200
# A slot standing still this long takes its channel down (fall 3 + 1).
DISK_BOUND_S = 4 * DISK_MS / 1000
SETTLE_S = DISK_BOUND_S + timing_scale(1.5)
IMG_DIR = "/tmp"


def losetup(size):
    """A loop device over a fresh file of size bytes (loop may be built in)."""
    subprocess.run(["modprobe", "-q", "loop"], check=False)
    img = os.path.join(IMG_DIR, f"hbdisk.{os.getpid()}.{time.monotonic_ns()}")
    with open(img, "wb") as f:
        f.truncate(size)
    dev = subprocess.run(["losetup", "-f", "--show", img], capture_output=True, text=True,
                         check=True).stdout.strip()
    return dev, img


def lodel(dev, img):
    subprocess.run(["losetup", "-d", dev], check=False)
    os.unlink(img)


@pytest.fixture
def disk():
    dev, img = losetup(8 << 20)
    yield dev
    lodel(dev, img)


@pytest.fixture
def c(disk):
    c = Cluster(3, interval=f"{INTERVAL_MS}ms", fall=3, slack=f"{SLACK_MS}ms", prefix="dk")
    try:
        assert wait_for(c.all_alive, 10)
        for h in c.hosts:
            c.hb(h, "disk", "add", "dev", disk, "interval", f"{DISK_MS}ms")
        c.disk = disk
        assert wait_for(lambda: all(disk_up(c, h) for h in c.hosts), 5)
        yield c
    finally:
        for h in c.hosts:
            c.hb(h, "disk", "del", check=False)
        c.close()


def links(c, host, peer):
    return {l["dev"]: l for l in c.peers(host)[peer]["links"]}


def disk_up(c, host):
    return all(links(c, host, p).get("disk", {}).get("state") == "up"
               for p in c.peers(host))


def dm(args):
    """dmsetup without udev (the VM runs none): it makes the nodes itself."""
    subprocess.run(["modprobe", "-q", "dm_mod"], check=False)
    sh(f"dmsetup --noudevsync --verifyudev {args}")


def cut(c, i):
    t = time.time_ns()
    ip_batch([f"link set port{i} nomaster"], c.switch)
    return t


def restore(c, i):
    t = time.time_ns()
    ip_batch([f"link set port{i} master br0"], c.switch)
    return t


def test_disk_show_and_every_peer_on_the_disk(c):
    d = c.hbj("dk1", "disk", "show")
    assert d["dev"] == c.disk and d["slots"] == 16 and d["interval_us"] == DISK_MS * 1000
    assert d["up"] and d["slot"] == 1 and d["fenced"] is False
    seq = d["seq"]
    assert wait_for(lambda: c.hbj("dk1", "disk", "show")["seq"] >= seq + 2, 3)
    d = c.hbj("dk1", "disk", "show")
    assert d["io_errors"] == d["corrupt"] == d["conflicts"] == d["bad_mac"] == 0, d
    for h in c.hosts:
        for pid, peer in c.peers(h).items():
            l = links(c, h, pid)
            assert l["disk"]["state"] == "up" and l["eth0"]["state"] == "up", (h, pid, l)
            assert peer["links_up"] == 2
    text = c.hb("dk1", "disk", "show").stdout
    assert text.startswith(c.disk) and "  up  slot 1" in text, text


def test_disk_keeps_a_peer_alive_while_its_network_is_cut(c):
    mon = c.monitor("dk1")
    t = cut(c, 3)
    ev = mon.wait(SETTLE_S, t, event="degraded", id=3)
    assert ev and (ev["link"], ev["link_state"], ev["links_up"]) == ("eth0", "down", 1), \
        mon.find(t)
    time.sleep(SETTLE_S)
    # Silent on the network for seconds, alive on the disk: never dead.
    assert c.states("dk1")[3] == "alive", c.peers("dk1")[3]
    assert not mon.find(t, event="peer-state", id=3, state="dead"), mon.find(t)
    assert links(c, "dk1", 3)["disk"]["state"] == "up"
    assert links(c, "dk1", 3)["eth0"]["state"] == "down"
    # Its disk stops too: now it is dead, within the disk's bound.
    t = time.time_ns()
    c.hb("dk3", "disk", "del")
    dead = mon.wait(DISK_BOUND_S + timing_scale(3), t, event="peer-state", id=3, state="dead")
    assert dead, mon.find(t)
    assert (dead["time_ns"] - t) / 1e9 <= DISK_BOUND_S + timing_scale(2), dead
    # Back on the network: alive again.
    t = restore(c, 3)
    assert mon.wait(5, t, event="peer-state", id=3, state="alive")


def test_refusals_are_explained(disk):
    c = Cluster(1, interval="100ms", prefix="dr")
    small, small_img = losetup(64 << 10)
    try:
        def add(*args, host="dr1"):
            return c.hb(host, "disk", "add", *args, check=False)

        r = add("dev", small)
        assert r.returncode == 2 and "too small" in r.stderr, r.stderr
        r = add("dev", "/dev/null")
        assert r.returncode == 2 and "not a block device" in r.stderr, r.stderr
        r = add("dev", "/nonexistent")
        assert r.returncode == 2 and "cannot open" in r.stderr, r.stderr
        r = add("dev", disk, "offset", "1000")
        assert r.returncode == 1 and "multiple of 4096" in r.stderr, r.stderr
        r = add("dev", disk, "slots", "1")
        assert r.returncode == 1 and "slots" in r.stderr, r.stderr
        # Someone else's data where the region would be.
        sh(f"dd if=/dev/urandom of={small} bs=4096 count=1 oflag=direct status=none")
        r = add("dev", small, "slots", "2")
        assert r.returncode == 2 and "foreign" in r.stderr, r.stderr
        # Another cluster's region.
        assert add("dev", disk).returncode == 0
        assert add("dev", disk).returncode == 2
        c.hb("dr1", "disk", "del")
        c.hb("dr1", "node", "set", "cluster", "9")
        r = add("dev", disk)
        assert r.returncode == 2 and "another cluster" in r.stderr, r.stderr
        # Only a real administrator opens block devices.
        r = subprocess.run(["ip", "netns", "exec", "dr1", "setpriv", "--reuid=nobody",
                            "--regid=nogroup", "--clear-groups", "--inh-caps=-all",
                            HBCTL, "disk", "add", "dev", disk],
                           capture_output=True, text=True)
        assert r.returncode == 2, r.stderr
        r = c.hb("dr1", "disk", "show", check=False)
        assert r.returncode == 2 and "no shared disk" in r.stderr, r.stderr
        r = c.hb("dr1", "quorum", "set", "tie-breaker", "disk", check=False)
        assert r.returncode == 2 and "no shared disk" in r.stderr, r.stderr
        genl, _ = c.genl("dr1")
        try:
            with pytest.raises(g.NetlinkError) as e:
                genl.do(g.C["HEARTBEAT_CMD_DISK_ADD"],
                        g.attr(g.C["HEARTBEAT_A_DISK_PATH"], disk.encode() + b"\0")
                        + g.u32(g.C["HEARTBEAT_A_DISK_SEQ"], 1))
            assert "read-only" in e.value.msg, e.value
        finally:
            genl.close()
    finally:
        c.close()
        lodel(small, small_img)


def test_damaged_blocks_and_failing_io_are_counted(c):
    # A foreign block in slot 5 (block 1 + 5), which no node writes.
    sh(f"dd if=/dev/urandom of={c.disk} bs=4096 seek=6 count=1 oflag=direct status=none")
    assert wait_for(lambda: c.hbj("dk1", "disk", "show")["corrupt"] > 0, 3)
    # In peer 2's slot, which it writes again a moment later: it carries on.
    sh(f"dd if=/dev/urandom of={c.disk} bs=4096 seek=3 count=1 oflag=direct status=none")
    time.sleep(3 * DISK_MS / 1000)
    assert c.states("dk1")[2] == "alive"
    # A device that fails every I/O: dk3 moves to a device-mapper error target.
    sectors = 8 << 11
    c.hb("dk3", "disk", "del")
    dm(f"create hbdkerr --table '0 {sectors} error'")
    try:
        r = c.hb("dk3", "disk", "add", "dev", "/dev/mapper/hbdkerr", check=False)
        assert r.returncode == 2 and "cannot read" in r.stderr, r.stderr
    finally:
        dm("remove hbdkerr")
    # Failing mid-run: dk2's disk through a linear map switched to errors.
    c.hb("dk2", "disk", "del")
    dm(f"create hbdklin --table '0 {sectors} linear {c.disk} 0'")
    try:
        c.hb("dk2", "disk", "add", "dev", "/dev/mapper/hbdklin", "interval", f"{DISK_MS}ms")
        assert wait_for(lambda: c.hbj("dk2", "disk", "show")["up"], 3)
        dm("suspend hbdklin")
        dm(f"load hbdklin --table '0 {sectors} error'")
        dm("resume hbdklin")
        assert wait_for(lambda: c.hbj("dk2", "disk", "show")["io_errors"] > 0, 3)
        assert wait_for(lambda: not c.hbj("dk2", "disk", "show")["up"], 3)
        # Its peers see its disk channel go down; the network still carries it.
        assert wait_for(lambda: links(c, "dk1", 2)["disk"]["state"] == "down", SETTLE_S)
        assert c.states("dk1")[2] == "alive"
        c.hb("dk2", "disk", "del")
    finally:
        dm("remove hbdklin")


def test_quorate_poison_pill_stops_a_peer(c):
    for h in c.hosts:
        for j in range(1, 4):
            if f"dk{j}" != h:
                c.hb(h, "peer", "add", "id", str(j))
        c.hb(h, "quorum", "set", "expected-votes", "3")
    assert wait_for(lambda: all(c.hbj(h, "quorum", "show")["quorate"] for h in c.hosts), 5)
    ue = UeventListener("dk3")
    mon = c.monitor("dk1")
    try:
        r = c.hb("dk1", "disk", "poison", "id", "99", check=False)
        assert r.returncode == 2 and "no such peer" in r.stderr, r.stderr
        t = time.time_ns()
        c.hb("dk1", "disk", "poison", "id", "3")
        fenced = ue.wait(DISK_BOUND_S + 3, after=t, HEARTBEAT_EVENT="fenced")
        assert fenced and fenced[0]["HEARTBEAT_FENCED_BY"] == "1", ue.find(t)
        assert wait_for(lambda: c.hbj("dk3", "disk", "show")["fenced"], 3)
        # Nothing more from it: dead for the others, network and disk.
        dead = mon.wait(SETTLE_S + 2, t, event="peer-state", id=3, state="dead")
        assert dead and dead.get("consensus") is not False, mon.find(t)
        assert c.hbj("dk3", "link", "show")[0]["tx_skipped"] > 0
    finally:
        ue.stop()
    # A minority may not stop anyone: dk2 alone after a cut.
    cut(c, 2)
    assert wait_for(lambda: not c.hbj("dk2", "quorum", "show")["quorate"], SETTLE_S + 3)
    r = c.hb("dk2", "disk", "poison", "id", "1", check=False)
    assert r.returncode == 2 and "not quorate" in r.stderr, r.stderr
    restore(c, 2)


def test_one_one_split_with_the_disk_tie_breaker(disk):
    c = Cluster(2, interval=f"{INTERVAL_MS}ms", fall=3, slack=f"{SLACK_MS}ms", prefix="dt")
    try:
        assert wait_for(c.all_alive, 10)
        for i, h in enumerate(c.hosts, 1):
            c.hb(h, "disk", "add", "dev", disk, "interval", f"{DISK_MS}ms")
            c.hb(h, "peer", "add", "id", str(3 - i))
            c.hb(h, "quorum", "set", "expected-votes", "2", "tie-breaker", "disk")
        assert wait_for(lambda: all(c.hbj(h, "quorum", "show")["quorate"] for h in c.hosts), 5)
        cut(c, 2)
        # Each has one vote of two: the disk's lease decides, for one side
        # only - the one holding it, once it alone is quorate (a side keeps
        # its quorum a moment on votes it has not lost yet).
        def settled():
            held = [h for h in c.hosts if c.hbj(h, "disk", "show")["lease_held"]]
            q = [h for h in c.hosts if c.hbj(h, "quorum", "show")["quorate"]]
            return held[0] if len(held) == 1 and q == held else None
        winner = wait_for(settled, 12 * DISK_MS / 1000 + timing_scale(5))
        assert winner, [c.hbj(h, "disk", "show") for h in c.hosts]
        loser = [h for h in c.hosts if h != winner][0]
        # It stays that way while the split lasts.
        for _ in range(10):
            time.sleep(DISK_MS / 1000)
            assert c.hbj(winner, "quorum", "show")["quorate"]
            assert not c.hbj(loser, "quorum", "show")["quorate"]
        # Both still see each other alive on the disk.
        assert c.states(winner)[int(loser[-1])] == "alive"
        r = c.hb("dt1", "disk", "del", check=False)
        assert r.returncode == 2 and "tie-breaker" in r.stderr, r.stderr
        restore(c, 2)
        assert wait_for(lambda: all(c.hbj(h, "quorum", "show")["quorate"] for h in c.hosts), 5)
        for h in c.hosts:
            c.hb(h, "quorum", "set", "tie-breaker", "none")
            c.hb(h, "disk", "del")
    finally:
        c.close()
