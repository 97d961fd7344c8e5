# SPDX-License-Identifier: GPL-2.0-only
"""Cluster hosts as separate VMs, for the host-side tests of
selftests/vm/multi: what one kernel cannot show (a panic takes every
namespace with it; a power cut is not a netem rule).

Multi(n) boots n guests, each with selftests/vm/run (its kernel, initramfs,
9p root, module loading and log checks; 1 vCPU, TCG), on one Ethernet
segment, vmhub.Hub. Guest i is heartbeat node i. Each guest has:
  - eth0 (virtio-net) on the hub;
  - a control channel (virtio-serial to a unix socket here) to
    selftests/vm/guest-agent, which runs commands and streams their output;
  - optionally the same raw disk image as every other guest (virtio-blk,
    serial "hbshared"), for a later disk heartbeat channel;
  - its own writable results directory OUT/gI (selftests/vm/run --out).
Faults: Hub.cut()/restore() (the network), Guest.crash() (a panic),
Guest.power_cut() (SIGKILL to its QEMU)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from hbcluster import wait_for
from vmhub import Hub

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(TOP, "selftests/vm/run")
HBCTL = "tools/hbctl/hbctl"	# the guest's job runs from the top of the tree
DISK_SERIAL = "hbshared"
BOOT_TIMEOUT = 240		# three guests booting at once on two busy cores
REPLY_TIMEOUT = 60


class Reply:
    """What a guest sent back for one request: streamed lines, then the end."""

    def __init__(self, rid):
        self.id = rid
        self.lines = []
        self.result = None
        self.done = threading.Event()
        self.lock = threading.Lock()

    def wait(self, timeout=REPLY_TIMEOUT):
        return self.result if self.done.wait(timeout) else None


class Channel:
    """JSON lines to and from a guest's agent. QEMU connects to this socket
    when it starts (the chardev is a client), so the channel is open before
    the guest reads it."""

    def __init__(self, path):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(1)
        self.sock = None
        self.next_id = 1
        self.replies = {0: Reply(0)}	# the agent's hello
        self.lock = threading.Lock()

    def accept(self, timeout):
        """True once QEMU connected; False after timeout seconds."""
        self.listener.settimeout(timeout)
        try:
            self.sock, _ = self.listener.accept()
        except socket.timeout:
            return False
        self.listener.close()
        threading.Thread(target=self._read, daemon=True).start()
        return True

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                with self.lock:
                    reply = self.replies.get(msg["id"])
                if reply is None:
                    continue
                if "line" in msg:
                    with reply.lock:
                        reply.lines.append(msg["line"])
                else:
                    reply.result = msg
                    reply.done.set()

    def request(self, op, **args):
        if self.sock is None:
            raise ConnectionError("the guest's control channel never opened")
        with self.lock:
            rid = self.next_id
            self.next_id += 1
            reply = self.replies[rid] = Reply(rid)
        self.sock.sendall((json.dumps({"id": rid, "op": op, **args}) + "\n").encode())
        return reply

    def close(self):
        for s in (self.sock, self.listener):
            if s:
                s.close()


class Monitor:
    """hbctl -j monitor in a guest; its events as they arrive."""

    def __init__(self, guest):
        self.guest = guest
        self.reply = guest.channel.request("run", cmd=f"exec {HBCTL} -j monitor", stream=True)

    def find(self, after=0, **want):
        """Events matching want, whose own time (mapped to the host clock)
        is after the given host instant."""
        with self.reply.lock:
            events = [json.loads(line) for line in self.reply.lines]
        return [e for e in events if self.guest.to_host_ns(e["time_ns"]) > after
                and all(e.get(k) == v for k, v in want.items())]

    def wait(self, timeout, after=0, **want):
        found = wait_for(lambda: self.find(after, **want), timeout, step=0.05)
        return found[0] if found else None


class Guest:
    def __init__(self, index, out, sockdir, hub_port, disk):
        self.index = index
        self.name = "ABCDEFGH"[index - 1] if index <= 8 else f"g{index}"
        self.out = out
        self.offset_ns = 0
        self.rtt_ns = None
        self.channel = Channel(os.path.join(sockdir, f"ctl{index}"))
        qemu = [f"-netdev socket,id=hb,connect=127.0.0.1:{hub_port}",
                f"-device virtio-net-pci,netdev=hb,mac=52:54:00:48:42:{index:02x}",
                f"-chardev socket,id=ctl,path={sockdir}/ctl{index}",
                "-device virtio-serial-pci -device virtserialport,chardev=ctl,name=hb.ctl"]
        if disk:
            qemu += [f"-drive if=none,id=shared,file={disk},format=raw,cache=none,file.locking=off",
                     f"-device virtio-blk-pci,drive=shared,share-rw=on,serial={DISK_SERIAL}"]
        os.makedirs(out, exist_ok=True)
        self.log = open(os.path.join(out, "run.log"), "w")
        cmd = [RUN, "--quiet", "--smp", "1", "--mem", "512M", "--timeout", "900", "--out", out]
        for q in qemu:
            cmd += ["--qemu", q]
        self.proc = subprocess.Popen(cmd + ["--", "/usr/bin/python3", "selftests/vm/guest-agent"],
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=TOP)

    def __repr__(self):
        return f"guest {self.name} (node {self.index})"

    def wait_ready(self, deadline):
        """Wait for the agent's hello; fail at once if the guest is gone."""
        connected = hello = False
        while not hello and self.proc.poll() is None and time.monotonic() < deadline:
            if not connected:
                connected = self.channel.accept(1)
            else:
                hello = self.channel.replies[0].wait(1)
        assert hello, f"{self}: the agent never started\n{self.tail()}"

    def run(self, cmd, timeout=REPLY_TIMEOUT):
        """Run a shell command in the guest: (status, stdout, stderr)."""
        reply = self.channel.request("run", cmd=cmd)
        r = reply.wait(timeout)
        if r is None:
            self.channel.request("stop", target=reply.id)
            raise AssertionError(f"{self}: '{cmd}' did not end in {timeout} s")
        return r["rc"], r["out"], r["err"]

    def sh(self, cmd, timeout=REPLY_TIMEOUT):
        rc, out, err = self.run(cmd, timeout)
        assert rc == 0, f"{self}: '{cmd}' exited with {rc}: {err}"
        return out

    def shared_disk(self):
        """The shared image's device in the guest (its serial says so)."""
        return self.sh("for d in /sys/block/vd*; do [ \"$(cat $d/serial)\" = hbshared ] && "
                       "echo /dev/${d##*/}; done").strip()

    def hbj(self, *args):
        return json.loads(self.sh(" ".join([HBCTL, "-j", *args])))

    def states(self):
        return {p["id"]: p["state"] for p in self.hbj("peer", "show")}

    def monitor(self):
        return Monitor(self)

    def sync_clock(self, samples=5):
        """Estimate the guest clock's offset from the host's over the
        channel (the fastest round trip of a few); events carry guest time."""
        best = None
        for _ in range(samples):
            t0 = time.time_ns()
            r = self.channel.request("time").wait(10)
            t1 = time.time_ns()
            assert r, f"{self}: no answer to a clock request"
            if best is None or t1 - t0 < best[0]:
                best = (t1 - t0, r["time_ns"] - (t0 + t1) // 2)
        self.rtt_ns, self.offset_ns = best
        return best

    def to_host_ns(self, guest_ns):
        return guest_ns - self.offset_ns

    def save_log(self, kind):
        r = self.channel.request("fault", kind=kind).wait()
        assert r and r["rc"] == 0, f"{self}: the kernel log could not be saved: {r}"

    def crash(self):
        """Panic the guest's kernel; the instant it was triggered (host ns)."""
        self.save_log("crash")
        sent = time.time_ns()
        r = self.channel.request("crash").wait(10)
        return self.to_host_ns(r["time_ns"]) if r else sent

    def reboot(self):
        """Reboot the guest's kernel (reboot(2): its reboot notifiers run, and
        QEMU exits); the instant it was asked (host ns)."""
        self.save_log("reboot")
        sent = time.time_ns()
        r = self.channel.request("reboot").wait(10)
        return self.to_host_ns(r["time_ns"]) if r and "time_ns" in r else sent

    def kill_qemu(self):
        """SIGKILL to the guest's QEMU; the instant (host ns). selftests/vm/run
        then ends, as after any VM that died."""
        try:
            with open(os.path.join(self.out, "qemu.pid")) as f:
                pid = int(f.read())
        except FileNotFoundError:	# QEMU never started: run is alone
            pid = self.proc.pid
        t = time.time_ns()
        os.kill(pid, signal.SIGKILL)
        return t

    def power_cut(self):
        """Power loss: the log saved, then QEMU killed; the instant (host ns)."""
        self.save_log("power cut")
        return self.kill_qemu()

    def wait_exit(self, timeout):
        """selftests/vm/run's status once the guest is gone, or None."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout=120):
        """Let the guest end its job and power off, as selftests/vm/run
        does after any job: the module must unload, the log be clean."""
        if self.proc.poll() is None:
            try:
                self.channel.request("exit", status=0)
            except OSError:
                timeout = 0	# nothing can end the job now
        status = self.wait_exit(timeout)
        if status is None:
            self.kill_qemu()
            status = self.wait_exit(30)
        self.channel.close()
        self.log.close()
        return status

    def console(self):
        with open(os.path.join(self.out, "console.log"), errors="replace") as f:
            return f.read()

    def tail(self, n=30):
        """The end of run's output and of the guest's job output."""
        text = []
        for name in ("run.log", "output.log"):
            try:
                with open(os.path.join(self.out, name), errors="replace") as f:
                    text += [f"{self.name}/{name}: {line.rstrip()}" for line in f.readlines()[-n:]]
            except FileNotFoundError:
                pass
        return "\n".join(text)


class Multi:
    """n guests booted at once on one hub; node i = guest i."""

    def __init__(self, n, out, disk_mb=16):
        self.out = os.path.abspath(out)
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        # Unix socket paths are short; the out directory may not be.
        self.sockdir = tempfile.mkdtemp(prefix="hbmulti.")
        self.disk = None
        if disk_mb:
            self.disk = os.path.join(self.out, "shared.img")
            with open(self.disk, "wb") as f:
                f.truncate(disk_mb << 20)
        self.hub = Hub(n)
        self.guests = []
        try:
            for i in range(1, n + 1):
                self.guests.append(Guest(i, os.path.join(self.out, f"g{i}"), self.sockdir,
                                         self.hub.port(i), self.disk))
            deadline = time.monotonic() + BOOT_TIMEOUT
            for g in self.guests:
                g.wait_ready(deadline)
        except BaseException:
            self.close()
            raise

    def __getitem__(self, name):
        """A guest by its letter: m["A"] is node 1."""
        return self.guests["ABCDEFGH".index(name)]

    def configure(self, interval="100ms", fall=3, rise=2, cluster=1, last_words="on",
                  disk_interval=None):
        """Every guest a heartbeat node on eth0, the others its configured
        peers, last words sent from a panic too; with disk_interval, the
        shared image a disk channel of every guest too."""
        ids = [g.index for g in self.guests]
        for g in self.guests:
            peers = "".join(f"; {HBCTL} peer add id {j} dev eth0" for j in ids if j != g.index)
            g.sh(f"set -e; ip link set eth0 up; {HBCTL} node set id {g.index} cluster {cluster}"
                 f" interval {interval} fall {fall} rise {rise} last-words {last_words};"
                 f" {HBCTL} link add dev eth0{peers}")
            if disk_interval:
                g.sh(f"{HBCTL} disk add dev {g.shared_disk()} interval {disk_interval}")

    def all_alive(self, guests=None):
        guests = guests or self.guests
        for g in guests:
            states = g.states()
            if any(states.get(h.index) != "alive" for h in guests if h is not g):
                return False
        return True

    def stop_all(self):
        """Stop every guest still running; {guest: run's exit status}."""
        return {g: g.stop() for g in self.guests}

    def close(self):
        for g in self.guests:
            if g.proc.poll() is None:
                g.stop(timeout=30)
        self.hub.close()
        shutil.rmtree(self.sockdir, ignore_errors=True)
