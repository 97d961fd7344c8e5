# SPDX-License-Identifier: GPL-2.0-only
"""A small cluster for the VM tests: hosts are network namespaces on one
bridge, each a heartbeat node driven through hbctl. Also: event monitors
(hbctl -j monitor) and frame captures with kernel receive timestamps, so a
test can measure verdicts against the last frame that really arrived."""
import json
import os
import socket
import struct
import subprocess
import tempfile
import threading
import time

from hbframes import ETHERTYPE, HDR as HB_HDR

HB_TOP = os.environ.get("HB_TOP", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HBCTL = os.environ.get("HB_HBCTL", os.path.join(HB_TOP, "tools/hbctl/hbctl"))
SO_TIMESTAMPNS = 35


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


# On the debug kernel of make check-debug (HB_DEBUG_KERNEL=1) everything takes
# several times longer: every wait does too (conftest.py's timing_scale).
WAIT_SCALE = (float(os.environ.get("HB_TIMING_SCALE", "5"))
              if os.environ.get("HB_DEBUG_KERNEL") == "1" else 1.0)


def wait_for(pred, timeout, step=0.05):
    """Poll pred until it returns something true; return it, or None. The
    timeout is stretched on the debug kernel."""
    end = time.monotonic() + timeout * WAIT_SCALE
    while True:
        value = pred()
        if value or time.monotonic() > end:
            return value
        time.sleep(step)


class Monitor:
    """hbctl -j monitor in one namespace, its events collected by a thread."""

    events_group = None		# the events group's id, the same in every namespace

    def __init__(self, host, *objects):
        self.proc = subprocess.Popen(["ip", "netns", "exec", host, HBCTL, "-j", "monitor",
                                      *objects], stdout=subprocess.PIPE, text=True)
        self.events = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def joined(self):
        """Whether hbctl has joined the events group: one of its netlink
        sockets has the group's bit (group - 1) in /proc/PID/net/netlink,
        which shows groups 1 to 32 only (None for others)."""
        if Monitor.events_group is None:
            import hbgenl
            g = hbgenl.Genl()
            Monitor.events_group = g.groups.get("events", -1)
            g.close()
        gid = Monitor.events_group
        if not 0 < gid <= 32:
            return None
        pid = self.proc.pid
        try:
            inodes = {int(os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1])
                      for fd in os.listdir(f"/proc/{pid}/fd")
                      if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:[")}
            with open(f"/proc/{pid}/net/netlink") as f:
                rows = [line.split() for line in f.readlines()[1:]]
        except OSError:
            return False
        return any(len(r) >= 10 and int(r[9]) in inodes and int(r[3], 16) >> (gid - 1) & 1
                   for r in rows)

    def _read(self):
        for line in self.proc.stdout:
            with self.lock:
                self.events.append(json.loads(line))

    def find(self, after=0, **want):
        """Events matching want, with time_ns after the given instant."""
        with self.lock:
            return [e for e in self.events if e.get("time_ns", 0) > after
                    and all(e.get(k) == v for k, v in want.items())]

    def wait(self, timeout, after=0, **want):
        found = wait_for(lambda: self.find(after, **want), timeout)
        return found[0] if found else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class SocketReader:
    """A socket read by a thread until stop(): each datagram goes to
    handle(data, ancillary, received_ns), whose results are kept in
    self.items under self.lock."""

    def __init__(self, host, family, kind, proto):
        from pyroute2 import netns as pnetns
        pnetns.pushns(host)
        try:
            self.sock = socket.socket(family, kind, proto)
        finally:
            pnetns.popns()
        self.items = []
        self.lock = threading.Lock()

    def start(self):
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while self.running:
            try:
                data, anc, _, _ = self.sock.recvmsg(65536, 64)
            except socket.timeout:
                continue
            except OSError:
                return
            item = self.handle(data, anc, time.time_ns())
            if item is not None:
                with self.lock:
                    self.items.append(item)

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()


class Capture(SocketReader):
    """Heartbeat frames seen on a host's interface, with the kernel's
    receive timestamp (CLOCK_REALTIME, the clock of event time_ns)."""

    def __init__(self, host, dev="eth0"):
        super().__init__(host, socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
        self.sock.bind((dev, ETHERTYPE))
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.start()

    def handle(self, data, anc, received_ns):
        ts = None
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", payload[:16])
                ts = sec * 10**9 + nsec
        if ts is None or len(data) < 14 + HB_HDR.size:
            return None
        f = HB_HDR.unpack_from(data, 14)
        return {"ts": ts, "type": f[2], "link": f[4], "node": f[6], "seq": f[8]}

    def from_node(self, node, before=None, after=None):
        with self.lock:
            return [f for f in self.items if f["node"] == node
                    and (before is None or f["ts"] <= before)
                    and (after is None or f["ts"] > after)]


def ip_batch(lines, netns=None):
    """Several ip(8) commands in one process (a process costs tens of
    milliseconds in the emulated VM)."""
    cmd = ["ip", "-force"] + (["-n", netns] if netns else []) + ["-batch", "-"]
    subprocess.run(cmd, input="\n".join(lines) + "\n", text=True, check=True)


def duration_us(text):
    """hbctl's DURATION ("10ms", "1.5s", "500us") in microseconds."""
    for unit, scale in (("us", 1), ("ms", 1000), ("s", 1000000)):
        if text.endswith(unit):
            return round(float(text[:-len(unit)]) * scale)
    raise ValueError(text)


class Cluster:
    def __init__(self, n=3, interval="10ms", fall=3, rise=2, cluster=1, prefix="hb",
                 slack="auto"):
        import hbgenl as g
        self.hosts = [f"{prefix}{i}" for i in range(1, n + 1)]
        self.switch = f"{prefix}sw"
        self.monitors = []
        self.captures = []
        ip_batch([f"netns add {h}" for h in [self.switch] + self.hosts])
        ip_batch(["link add br0 type bridge", "link set br0 up"], self.switch)
        self.wire(list(enumerate(self.hosts, 1)))
        # Configured through netlink from this process: two hbctl processes
        # per host would cost more than everything else here.
        node = (g.u32(g.A_NODE_CLUSTER, cluster) + g.u32(g.A_NODE_INTERVAL_US, duration_us(interval))
                + g.u32(g.A_NODE_FALL, fall) + g.u32(g.A_NODE_RISE, rise)
                + g.u32(g.C["HEARTBEAT_A_NODE_SLACK_US"],
                        0 if slack == "auto" else duration_us(slack)))
        links = []
        for i, host in enumerate(self.hosts, 1):
            genl, ifindex = self.genl(host)
            genl.node_set(g.u32(g.A_NODE_ID, i) + node)
            links.append((genl, ifindex))
        for genl, ifindex in links:
            genl.do(g.C["HEARTBEAT_CMD_LINK_ADD"], g.u32(g.C["HEARTBEAT_A_LINK_IFINDEX"], ifindex))
            genl.close()

    @staticmethod
    def genl(host, dev="eth0"):
        """A generic netlink socket of host's namespace, and dev's ifindex."""
        import hbgenl as g
        from pyroute2 import netns as pnetns
        pnetns.pushns(host)
        try:
            return g.Genl(), socket.if_nametoindex(dev)
        finally:
            pnetns.popns()

    def wire(self, hosts):
        """Give each (i, host) an eth0 on the switch's port i, up."""
        ip_batch([f"link add eth0 netns {h} type veth peer name port{i} netns {self.switch}"
                  for i, h in hosts])
        ip_batch([f"link set port{i} master br0 up" for i, _ in hosts], self.switch)
        for _, h in hosts:
            ip_batch(["link set lo up", "link set eth0 up"], h)

    def add_network(self, dev="eth1", bridge="br1"):
        """A second network: dev in every host, on its own bridge of the
        switch (port {bridge}p{i} for host i), up and bound as a link."""
        hosts = list(enumerate(self.hosts, 1))
        ip_batch([f"link add {bridge} type bridge", f"link set {bridge} up"]
                 + [f"link add {bridge}p{i} type veth peer name {dev} netns {h}"
                    for i, h in hosts]
                 + [f"link set {bridge}p{i} master {bridge} up" for i, _ in hosts],
                 self.switch)
        for _, h in hosts:
            ip_batch([f"link set {dev} up"], h)
            self.hb(h, "link", "add", "dev", dev)

    def add_host(self, host, i):
        ip_batch([f"netns add {host}"])
        self.wire([(i, host)])

    def hb(self, host, *args, check=True):
        r = subprocess.run(["ip", "netns", "exec", host, HBCTL, *args],
                           capture_output=True, text=True)
        if check and r.returncode:
            raise AssertionError(f"hbctl {' '.join(args)} in {host}: {r.returncode} {r.stderr}")
        return r

    def hbj(self, host, *args):
        return json.loads(self.hb(host, "-j", *args).stdout)

    def peers(self, host):
        return {p["id"]: p for p in self.hbj(host, "peer", "show")}

    def stats(self, host):
        return self.hbj(host, "stats")

    def states(self, host):
        return {i: p["state"] for i, p in self.peers(host).items()}

    def all_alive(self):
        for i, host in enumerate(self.hosts, 1):
            want = {j: "alive" for j in range(1, len(self.hosts) + 1) if j != i}
            if self.states(host) != want:
                return False
        return True

    def monitor(self, host, *objects):
        m = Monitor(host, *objects)
        self.monitors.append(m)
        # Until it has joined the group, events would be lost.
        if m.joined() is None:
            time.sleep(0.3)
        else:
            assert wait_for(m.joined, 10, step=0.02), f"hbctl monitor in {host} never joined"
        return m

    def capture(self, host, dev="eth0"):
        c = Capture(host, dev)
        self.captures.append(c)
        return c

    def close(self):
        for m in self.monitors:
            m.stop()
        for c in self.captures:
            c.stop()
        subprocess.run(["ip", "-force", "-batch", "-"], text=True, stderr=subprocess.DEVNULL,
                       input="".join(f"netns del {h}\n" for h in self.hosts + [self.switch]))


def drop_frames_from(host, mac, dev="eth0", protocol="all"):
    """An ingress filter on host's dev dropping every frame from mac (a
    one-way loss). Skips the test on a kernel without the ingress qdisc or
    flower (the debug kernel of make check-debug is built without them)."""
    import pytest
    r = subprocess.run(["ip", "netns", "exec", host, "tc", "qdisc", "add", "dev", dev,
                        "ingress"], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"no ingress qdisc in this kernel: {r.stderr.strip()}")
    r = subprocess.run(["ip", "netns", "exec", host, "tc", "filter", "add", "dev", dev,
                        "ingress", "protocol", protocol, "flower", "src_mac", mac,
                        "action", "drop"], capture_output=True, text=True)
    if r.returncode:
        sh(f"ip netns exec {host} tc qdisc del dev {dev} ingress")
        pytest.skip(f"no flower classifier in this kernel: {r.stderr.strip()}")


def add_key(c, host, kid, secret):
    """hbctl key add in host, the secret passed in a private file."""
    with tempfile.NamedTemporaryFile(dir="/tmp", delete=False) as f:
        f.write(secret)
    os.chmod(f.name, 0o600)
    try:
        c.hb(host, "key", "add", "id", str(kid), "secret-file", f.name)
    finally:
        os.unlink(f.name)


NETLINK_KOBJECT_UEVENT = 15
UEVENT_KERNEL_GROUP = 1
UEVENT_UDEV_GROUP = 2


def parse_uevent(data):
    """Properties of a uevent message: the kernel's ("ACTION@DEVPATH\\0K=V\\0..."),
    or udevd's (the "libudev" header, then K=V\\0... at properties_off)."""
    if data.startswith(b"libudev\0"):
        off, length = struct.unpack_from("=II", data, 16)   # host order
        data = data[off:off + length]
    else:
        data = data.split(b"\0", 1)[1] if b"\0" in data else b""
    props = {}
    for item in data.split(b"\0"):
        if b"=" in item:
            k, v = item.split(b"=", 1)
            props[k.decode()] = v.decode()
    return props


class UeventListener(SocketReader):
    """uevents of the heartbeat subsystem as a namespace's listeners get
    them: from the kernel (group 1) or after udevd processed them (group 2).
    Each is stamped with the CLOCK_REALTIME instant it was received."""

    def __init__(self, host, group=UEVENT_KERNEL_GROUP):
        super().__init__(host, socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_KOBJECT_UEVENT)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind((0, group))
        self.start()

    def handle(self, data, anc, received_ns):
        props = parse_uevent(data)
        if props.get("SUBSYSTEM") != "heartbeat":
            return None
        props["_received_ns"] = received_ns
        return props

    def find(self, after=0, **want):
        """uevents with these keys, of verdicts after the given instant."""
        with self.lock:
            return [e for e in self.items
                    if int(e.get("HEARTBEAT_TIME_NS", 0)) > after
                    and all(e.get(k) == str(v) for k, v in want.items())]

    def wait(self, timeout, count=1, after=0, **want):
        found = wait_for(lambda: len(self.find(after, **want)) >= count, timeout)
        return self.find(after, **want) if found else []
