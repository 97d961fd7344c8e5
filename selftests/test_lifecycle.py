# SPDX-License-Identifier: GPL-2.0-only
"""Lifecycle races, each with heartbeats flowing: unloading the module under
1 ms traffic, deleting a bound device, deleting a namespace with peers and
links, changing interval, detector and keys while frames arrive, two hbctl
processes configuring at once, and thousands of add/del cycles of peers and
links. The VM runner fails the suite on any splat; these tests check the
rest: unreclaimable slab back near its baseline, no timer left behind (the
module unloads), state that still makes sense."""
import glob
import os
import re
import socket
import subprocess
import tempfile
import time

from hbcluster import HBCTL, Cluster, sh, wait_for
from conftest import DEBUG_KERNEL, HB_MODULE, module_loaded

# Unreclaimable slab may move by this much for reasons of its own (per-CPU
# caches, RCU batches) between two readings.
SLAB_SLACK_KB = 2048

# The add/del cycles are bounded per cycle, after a warm-up. Measured in the
# VM (one cycle: a peer and a link added and deleted): in a fresh VM the
# first 200 cycles grow unreclaimable slab by 150 to 330 kB (caches and
# per-CPU slabs filling up, once; a thousand cycles from the start grew
# 576 kB), later thousands by -148 to +144 kB each, and three thousand by
# -100 to +250 kB: the growth does not scale with the cycles. A leak of
# 1 KiB per cycle does: 3000 kB over 3000 cycles (a planted one of 1.06 KiB,
# three eventfds, added 976 to 1072 kB per thousand). Since a peer holds its
# cluster view and round trips (3-4 KB, in order-3 slabs), the 3000 cycles
# after the warm-up read +324 to +816 kB in six runs (+816 twice, after a
# warm-up that read low), with the caches shrunk before each reading and
# kmemleak clean on the debug kernel. 512 bytes per cycle, 1500 kB over
# 3000, is twice the worst of those and half that leak.
WARMUP_CYCLES = 200
CYCLES = 3000
SLAB_PER_CYCLE_BYTES = 512


def unreclaimable_kb():
    with open("/proc/meminfo") as f:
        return int(re.search(r"^SUnreclaim:\s+(\d+) kB", f.read(), re.M).group(1))


def assert_slab_back(grown, bound_kb=SLAB_SLACK_KB):
    """Unreclaimable slab back within bound_kb of its baseline. Not on
    the debug kernel: there KASAN's quarantine keeps freed objects as slab
    (up to 1/32 of memory) and kmemleak's own records are slab too, so
    growth is no sign of a leak; its leak check of these tests is
    debug-extra.sh's kmemleak scan after the suite."""
    if not DEBUG_KERNEL:
        assert grown < bound_kb, grown


def settled_slab():
    """Unreclaimable slab once RCU callbacks and deferred frees have run,
    with the caches' free slabs given back (SLUB keeps per-CPU partial
    slabs: with a peer of 3-4 KB, in order-3 slabs, they alone moved the
    reading by hundreds of kB). (Page and dentry caches are reclaimable
    slab, not counted here; dropping them would also empty the 9p cache the
    VM's root lives on.)"""
    time.sleep(1)
    for shrink in glob.glob("/sys/kernel/slab/*/shrink"):
        try:
            with open(shrink, "w") as f:
                f.write("1")
        except OSError:
            pass
    return unreclaimable_kb()


def reload_module():
    if not module_loaded():
        subprocess.run(["insmod", HB_MODULE], check=True)


def test_unload_under_1ms_traffic():
    c = Cluster(3, interval="1ms", prefix="ul")
    try:
        assert wait_for(c.all_alive, 5)
        time.sleep(0.5)
        r = subprocess.run(["rmmod", "heartbeat"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert not module_loaded()
        assert not os.path.exists("/sys/kernel/heartbeat")
    finally:
        c.close()
        reload_module()


def test_bound_device_deleted_under_traffic():
    c = Cluster(3, interval="5ms", prefix="bd")
    try:
        assert wait_for(c.all_alive, 5)
        sh("ip -n bd2 link del eth0")
        assert c.hbj("bd2", "link", "show") == []
        assert wait_for(lambda: c.states("bd1").get(2) == "dead", 5)
        assert c.states("bd1")[3] == "alive"
    finally:
        c.close()


def test_namespace_with_peers_and_links_deleted_under_traffic():
    base = settled_slab()
    for round_ in range(3):
        c = Cluster(3, interval="5ms", prefix=f"nd{round_}")
        assert wait_for(c.all_alive, 5)
        c.hb(f"nd{round_}1", "peer", "add", "id", "50")
        c.close()
    grown = settled_slab() - base
    print(f"# 3 rounds of 4 namespaces: unreclaimable slab {grown:+d} kB")
    assert_slab_back(grown)


def test_settings_change_while_frames_arrive():
    c = Cluster(3, interval="2ms", prefix="ch")
    key = tempfile.NamedTemporaryFile(dir="/tmp", delete=False)
    key.write(b"k" * 32)
    key.close()
    os.chmod(key.name, 0o600)
    try:
        assert wait_for(c.all_alive, 5)
        for kid in (1, 2):
            for h in c.hosts:
                c.hb(h, "key", "add", "id", str(kid), "secret-file", key.name)
        for i in range(15):
            h = c.hosts[i % 3]
            c.hb(h, "node", "set", "interval", ("2ms", "5ms", "3ms")[i % 3],
                 "detector", ("timeout", "phi")[i % 2],
                 "auth-key", str(1 + i % 2), "auth", ("off", "optional")[i % 2])
        for h in c.hosts:
            c.hb(h, "node", "set", "auth", "off", "auth-key", "0", "interval", "5ms")
            c.hb(h, "key", "del", "id", "1")
            c.hb(h, "key", "del", "id", "2")
        assert wait_for(c.all_alive, 10), {h: c.states(h) for h in c.hosts}
    finally:
        os.unlink(key.name)
        c.close()


def test_two_hbctl_processes_configure_at_once():
    c = Cluster(2, interval="5ms", prefix="cc")

    def worker(n):
        # One shell per worker in the namespace, so only hbctl is timed.
        script = "".join(f"{HBCTL} peer add id {1000 * (n + 1) + i} && "
                         f"{HBCTL} node set fall {2 + (i + n) % 5} && "
                         f"{HBCTL} peer del id {1000 * (n + 1) + i} || exit 1\n"
                         for i in range(50))
        return subprocess.Popen(["ip", "netns", "exec", "cc1", "sh", "-c", script],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    try:
        assert wait_for(c.all_alive, 5)
        procs = [worker(n) for n in range(2)]
        outs = [p.communicate()[0] for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        assert list(c.peers("cc1")) == [2]
        # Under TCG, the load of a hundred hbctl runs can hold a 5 ms
        # heartbeat past its deadline: suspect, alive with the next one.
        assert wait_for(lambda: c.states("cc1")[2] == "alive", 2), c.states("cc1")
    finally:
        c.close()


def test_peer_and_link_add_del_cycles():
    import hbgenl
    from pyroute2 import netns as pnetns
    c = Cluster(2, interval="5ms", prefix="cy")
    try:
        assert wait_for(c.all_alive, 5)
        pnetns.pushns("cy1")
        try:
            g = hbgenl.Genl()
            ifindex = socket.if_nametoindex("eth0")
        finally:
            pnetns.popns()
        link = hbgenl.u32(hbgenl.A_LINK_IFINDEX, ifindex)

        def cycles(n):
            for i in range(n):
                peer = hbgenl.u32(hbgenl.A_PEER_ID, 100 + i % 50)
                g.do(hbgenl.CMD_PEER_ADD, peer)
                g.do(hbgenl.CMD_PEER_DEL, peer)
                g.do(hbgenl.CMD_LINK_DEL, link)
                g.do(hbgenl.CMD_LINK_ADD, link)

        base = settled_slab()
        cycles(WARMUP_CYCLES)
        warm = settled_slab()
        cycles(CYCLES)
        g.close()
        assert list(c.peers("cy1")) == [2]
        assert wait_for(c.all_alive, 5)
        grown = settled_slab() - warm
        bound_kb = CYCLES * SLAB_PER_CYCLE_BYTES // 1024
        print(f"# {WARMUP_CYCLES} peer and link add/del cycles to warm up: unreclaimable "
              f"slab {warm - base:+d} kB; {CYCLES} more: {grown:+d} kB "
              f"({grown * 1024 // CYCLES:+d} bytes per cycle; bound {bound_kb} kB)")
        assert_slab_back(grown, bound_kb)
    finally:
        c.close()
