# SPDX-License-Identifier: GPL-2.0-only
"""Plumbing of the benchmark driver (bench.py): processes that are always
reaped, network namespaces that are always deleted, netlink requests that
cut a link without starting a process, tracefs, cgroups, capture files
searched by time, percentiles. Runs inside the test VM, as root."""
import bisect
import contextlib
import ctypes
import json
import mmap
import os
import platform
import re
import signal
import socket
import struct
import subprocess
import sys
import time

HB_TOP = os.environ.get("HB_TOP") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(HB_TOP, "selftests"))
BENCH = os.path.join(HB_TOP, "tools/bench")
HBCTL = os.path.join(HB_TOP, "tools/hbctl/hbctl")
HBUSERD = os.path.join(BENCH, "hbuserd")
HBGEN = os.path.join(BENCH, "hbgen")
HBCAP = os.path.join(BENCH, "hbcap")

import hbgenl  # noqa: E402  (selftests/)
from hbcluster import ip_batch, wait_for  # noqa: E402,F401


T0 = time.monotonic()


def log(msg):
    """A progress line: "# ", then seconds since the start, so a log reader
    can follow."""
    print(f"# [{time.monotonic() - T0:6.1f}] {msg}", flush=True)


# ---- network namespaces ----------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


@contextlib.contextmanager
def netns(name):
    """Run the block with this thread in namespace name (None: stay):
    sockets opened inside belong to it."""
    if name is None:
        yield
        return
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, f"setns {name}: {os.strerror(err)}")
        yield
    finally:
        _libc.setns(own, CLONE_NEWNET)
        os.close(fd)
        os.close(own)


class Namespaces:
    """Namespaces created through add(), all deleted by close()."""

    def __init__(self):
        self.names = []

    def add(self, *names):
        ip_batch([f"netns add {n}" for n in names])
        self.names += names
        for n in names:		# lo up, without an ip process each
            r = Rtnl(n)
            r.link_set(1, True)
            r.ack()
            r.close()

    def close(self):
        if self.names:
            subprocess.run(["ip", "-force", "-batch", "-"], text=True,
                           stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           input="".join(f"netns del {n}\n" for n in self.names))
            self.names = []


def veth(ns_a, ns_b, name_a="eth0", name_b="eth0"):
    """A veth pair between two namespaces, both ends up."""
    ip_batch([f"link add {name_a} netns {ns_a} type veth peer name {name_b} netns {ns_b}"])
    ip_batch([f"link set {name_a} up"], ns_a)
    ip_batch([f"link set {name_b} up"], ns_b)


def genl(ns):
    """A heartbeat generic netlink socket of namespace ns."""
    with netns(ns):
        return hbgenl.Genl()


def ifindex(ns, dev="eth0"):
    with netns(ns):
        return socket.if_nametoindex(dev)


def netns_inode(ns):
    return os.stat(f"/run/netns/{ns}").st_ino


# ---- processes ---------------------------------------------------------------

class Procs:
    """Child processes, each the leader of its own process group, so that
    stopping one stops whatever it forked (stress-ng's workers)."""

    def __init__(self):
        self.procs = []

    def start(self, args, ns=None, cgroup=None, stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True):
        args = [str(a) for a in args]
        if ns:
            args = ["ip", "netns", "exec", ns] + args
        if cgroup:
            # The process moves itself into the cgroup, then becomes args.
            args = ["sh", "-c", 'echo $$ >"$0/cgroup.procs" && exec "$@"', cgroup] + args
        p = subprocess.Popen(args, stdout=stdout, stderr=stderr, stdin=stdin, text=text,
                             start_new_session=True)
        p.args_str = " ".join(args)
        self.procs.append(p)
        return p

    @staticmethod
    def _signal(p, sig):
        try:
            os.killpg(p.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, p, sig=signal.SIGTERM, timeout=3):
        """Stop p's group: sig, then SIGKILL after timeout. Returns p's
        exit status."""
        if p.poll() is None:
            self._signal(p, sig)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        # Whatever p forked may outlive it in the group.
        self._signal(p, signal.SIGKILL)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        if p in self.procs:
            self.procs.remove(p)
        return p.returncode

    def wait(self, p, timeout):
        """Wait for p to exit by itself; stop it if it does not."""
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"{p.args_str}: still running after {timeout:.0f} s, stopped")
        return self.stop(p)

    def stop_all(self):
        for p in list(self.procs):
            self._signal(p, signal.SIGTERM)
        for p in list(self.procs):
            self.stop(p, timeout=2)


def wait_ready(proc, word="ready", timeout=10):
    """Read proc's stderr until a line with word (hbcap says "ready" once
    capturing). Returns the lines read."""
    import select
    lines = []
    end = time.monotonic() + timeout
    buf = ""
    fd = proc.stderr.fileno()
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if not r:
            break
        chunk = os.read(fd, 4096).decode(errors="replace")
        if not chunk:
            break
        buf += chunk
        while "\n" in buf:
            line, buf = buf.split("\n", 1)
            lines.append(line)
            if word in line:
                return lines
    raise RuntimeError(f"{proc.args_str}: not {word} after {timeout} s: {lines} {buf}")


def json_summary(text):
    """The last JSON object line of a tool's stdout, or {}."""
    for line in reversed((text or "").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return {}


# ---- rtnetlink: cut a link without starting a process ---------------------------

NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x4, 0x200, 0x400
RTM_NEWLINK, RTM_NEWQDISC, RTM_DELQDISC = 16, 36, 37
IFF_UP = 1
TC_H_ROOT = 0xFFFFFFFF
TCA_KIND, TCA_OPTIONS = 1, 2


def _rta(kind, payload):
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * (-len(payload) % 4)


class Rtnl:
    """A NETLINK_ROUTE socket of one namespace. Requests are sent first and
    their acks collected later (send, then ack()), so cutting many links
    costs a few system calls each, all within a few milliseconds: the
    kernel does the work inside sendmsg()."""

    def __init__(self, ns):
        with netns(ns):
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            self.sock.bind((0, 0))
        self.ns = ns
        self.seq = 0
        self.pending = 0

    def _send(self, mtype, flags, body):
        self.seq += 1
        self.sock.send(struct.pack("=IHHII", 16 + len(body), mtype,
                                   flags | NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body)
        self.pending += 1

    def link_set(self, index, up):
        self._send(RTM_NEWLINK, 0, struct.pack("=BBHiII", 0, 0, 0, index,
                                               IFF_UP if up else 0, IFF_UP))

    def netem_loss(self, index):
        """tc qdisc add dev INDEX root netem loss 100%"""
        # struct tc_netem_qopt: latency, limit, loss, gap, duplicate, jitter
        qopt = struct.pack("=IIIIII", 0, 1000, 0xFFFFFFFF, 0, 0, 0)
        body = (struct.pack("=BBHiIII", 0, 0, 0, index, 0, TC_H_ROOT, 0)
                + _rta(TCA_KIND, b"netem\0") + _rta(TCA_OPTIONS, qopt))
        self._send(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, body)

    def qdisc_del_root(self, index):
        """tc qdisc del dev INDEX root"""
        self._send(RTM_DELQDISC, 0, struct.pack("=BBHiIII", 0, 0, 0, index, 0, TC_H_ROOT, 0))

    def ack(self):
        """Collect the acks of the requests sent; returns the errors
        (negative errno values) among them."""
        errors = []
        while self.pending:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                length, mtype, _, _, _ = struct.unpack_from("=IHHII", data)
                if mtype == NLMSG_ERROR:
                    code = struct.unpack_from("=i", data, 16)[0]
                    if code:
                        errors.append(code)
                    self.pending -= 1
                data = data[(length + 3) & ~3:]
        return errors

    def close(self):
        self.sock.close()


# ---- tracefs, cgroups, /proc ----------------------------------------------------

TRACEFS = "/sys/kernel/tracing"


def tracefs():
    if not os.path.exists(f"{TRACEFS}/trace"):
        subprocess.run(["mount", "-t", "tracefs", "tracefs", TRACEFS], check=True)
    return TRACEFS


class TraceSettings:
    """tracefs settings changed by a part, put back by restore()."""

    FILES = ("trace_clock", "buffer_size_kb", "tracing_on")

    def __init__(self):
        tr = tracefs()
        self.saved = {}
        for name in self.FILES:
            text = open(f"{tr}/{name}").read()
            m = re.search(r"\[(\w+)\]", text)
            self.saved[name] = m.group(1) if m else text.split()[0]

    def restore(self):
        for name, value in self.saved.items():
            try:
                tw(f"{TRACEFS}/{name}", value)
            except OSError:
                pass


# The scheduler's tracepoints the precision part records. Enabling or
# disabling a tracepoint patches the kernel text that calls it, and
# __schedule() runs on every CPU all the time: under QEMU's TCG a vCPU was
# seen to keep running a stale translation of such a patch (an INT3 the
# other vCPU had already replaced), which the kernel's INT3 handler answers
# by running the instruction again, forever: one vCPU spinning, the other
# waiting for it in text_poke_sync(), a soft lockup. So in the VM they are
# enabled at boot (run-bench passes them as trace_event=), and the bench
# chooses what they record with filters and tracing_on, never by turning
# them on and off. On a host (VM=none) enable_event() turns them on.
BOOT_EVENTS = ("sched:sched_switch", "sched:sched_wakeup")
# A filter that lets no event through.
NO_MATCH = "common_pid < 0"


def event_dir(name):
    """The tracefs directory of a "system:event"."""
    return f"{tracefs()}/events/{name.replace(':', '/')}"


def quiet_boot_events():
    """Let the boot-enabled events record nothing until a part asks."""
    for name in BOOT_EVENTS:
        f = f"{event_dir(name)}/filter"
        if os.path.exists(f):
            tw(f, NO_MATCH)


def enable_event(name):
    """Enable a "system:event" unless it already is; True if this call
    enabled it (and the caller should disable it when done)."""
    d = event_dir(name)
    if open(f"{d}/enable").read().strip() == "1":
        return False
    tw(f"{d}/enable", 1)
    return True


def tw(path, value):
    """Write a tracefs (or any control) file."""
    with open(path, "w") as f:
        f.write(str(value))


CGROOT = "/sys/fs/cgroup"


def cgroup(name, cpu_max=None):
    """A cgroup v2 directory under the root, with cpu.max if given."""
    if not os.path.exists(f"{CGROOT}/cgroup.controllers"):
        subprocess.run(["mount", "-t", "cgroup2", "cgroup2", CGROOT], check=True)
    if "cpu" not in open(f"{CGROOT}/cgroup.subtree_control").read().split():
        tw(f"{CGROOT}/cgroup.subtree_control", "+cpu")
    path = f"{CGROOT}/{name}"
    os.makedirs(path, exist_ok=True)
    if cpu_max:
        tw(f"{path}/cpu.max", cpu_max)
    return path


def cgroup_remove(path):
    """Move stragglers to the root, then remove the directory."""
    try:
        for pid in open(f"{path}/cgroup.procs").read().split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        wait_for(lambda: not open(f"{path}/cgroup.procs").read().strip(), 3)
        os.rmdir(path)
    except OSError as e:
        log(f"cgroup {path} not removed: {e}")


def _proc_stat_fields():
    """The machine's CPU jiffies: user nice system idle iowait irq softirq
    steal (guest time is counted in user)."""
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:9]]


def proc_stat_cpu():
    """(softirq jiffies, total jiffies) of the whole machine."""
    fields = _proc_stat_fields()
    return fields[6], sum(fields)


def proc_stat_busy():
    """(busy jiffies, total jiffies) of the whole machine: busy is all but
    idle and iowait."""
    fields = _proc_stat_fields()
    return sum(fields) - fields[3] - fields[4], sum(fields)


def pid_stat(pid):
    """(comm, fields after comm) of /proc/PID/stat, fields[0] being the
    state; None once the task is gone."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    return stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()


def group_members(pgid, prefix):
    """How many live processes of process group pgid have a name starting
    with prefix."""
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        st = pid_stat(pid)
        if st and int(st[1][2]) == pgid and st[0].startswith(prefix) and st[1][0] not in "ZX":
            n += 1
    return n


def sunreclaim_kb():
    with open("/proc/meminfo") as f:
        return int(re.search(r"^SUnreclaim:\s+(\d+) kB", f.read(), re.M).group(1))


# ---- captures and logs -------------------------------------------------------------

class CapFile:
    """A capture file of hbcap ("ts_ns,dir,who,value" lines in arrival
    order), searched by time without reading it all: the timestamps are
    kernel receive times, non-decreasing but for the odd outgoing frame
    stamped a little out of order, so a binary search lands close and a
    short scan backwards finds the exact answer."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "rb")
        size = os.fstat(self.f.fileno()).st_size
        self.m = mmap.mmap(self.f.fileno(), size, access=mmap.ACCESS_READ) if size else b""
        self.size = size

    def _line_at(self, off):
        """The first whole line starting at or after off: (start, fields)."""
        if off > 0:
            nl = self.m.find(b"\n", off - 1)
            if nl < 0:
                return self.size, None
            off = nl + 1
        end = self.m.find(b"\n", off)
        if end < 0:
            return self.size, None
        return off, self.m[off:end].split(b",")

    def _offset_of(self, ts, low=False):
        """An offset at whose line the timestamps are past ts (low: one
        before which they are all at or before ts)."""
        lo, hi = 0, self.size
        while hi - lo > 4096:
            mid = (lo + hi) // 2
            start, fields = self._line_at(mid)
            if fields is None or int(fields[0]) > ts:
                hi = mid
            else:
                lo = mid
        return lo if low else hi

    def last_before(self, ts, dirn, who, after=None, scan_ns=5 * 10**9):
        """The timestamp of the last line with this dir and who (bytes)
        at or before ts, not before after (default ts - scan_ns)."""
        if not self.size:
            return None
        floor = after if after is not None else ts - scan_ns
        # Start 100 ms past ts: outgoing frames may sit slightly out of order.
        end = self._offset_of(ts + 100 * 10**6)
        end, _ = self._line_at(end)
        pos = end
        best = None
        while pos > 0:
            start = self.m.rfind(b"\n", 0, pos - 1) + 1
            fields = self.m[start:pos].rstrip(b"\n").split(b",")
            pos = start
            if len(fields) < 4:
                continue
            t = int(fields[0])
            if t < floor - 100 * 10**6:
                break
            if t <= ts and t >= floor and fields[1] == dirn and fields[2] == who:
                if best is None or t > best:
                    best = t
                # Keep scanning a little: order is nearly, not strictly, by time.
                floor = max(floor, t - 100 * 10**6)
        return best

    def _fields_from(self, ts):
        """Lines (byte fields, at least four) from 100 ms before ts on: the
        file is nearly, not strictly, in time order."""
        if not self.size:
            return
        pos, _ = self._line_at(self._offset_of(ts - 100 * 10**6, low=True))
        while pos < self.size:
            end = self.m.find(b"\n", pos)
            if end < 0:
                break
            fields = self.m[pos:end].split(b",")
            pos = end + 1
            if len(fields) >= 4:
                yield fields

    def first_after(self, ts, dirn, who, value=None, limit_ns=5 * 10**9):
        """The first line with dir, who (and value) after ts."""
        best = None
        for fields in self._fields_from(ts):
            t = int(fields[0])
            if t > ts + limit_ns:
                break
            if (t > ts and fields[1] == dirn and fields[2] == who
                    and (value is None or fields[3] == value)):
                if best is None or t < best:
                    best = t
                if t > best + 100 * 10**6:
                    break
        return best

    def lines_near(self, ts, span_ns=10**6):
        """The lines (byte fields) from a little before ts to ts + span_ns."""
        for fields in self._fields_from(ts):
            if int(fields[0]) > ts + span_ns:
                break
            yield fields

    def lines(self):
        """Every line as a list of byte fields."""
        if not self.size:
            return []
        return [line.split(b",") for line in self.m[:].split(b"\n") if line]

    def close(self):
        if self.size:
            self.m.close()
        self.f.close()


class Tail:
    """New whole lines of a growing text file, as they come."""

    def __init__(self, path):
        self.path = path
        self.off = 0
        self.rest = ""

    def lines(self):
        try:
            with open(self.path) as f:
                f.seek(self.off)
                data = f.read()
                self.off = f.tell()
        except FileNotFoundError:
            return []
        data = self.rest + data
        *whole, self.rest = data.split("\n")
        return whole


# ---- numbers --------------------------------------------------------------------------

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
        return m.group(1).strip() if m else platform.processor()
    except OSError:
        return "?"


def pct(sorted_values, p):
    """Nearest-rank percentile of sorted values (None if empty)."""
    if not sorted_values:
        return None
    k = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[min(len(sorted_values), int(k)) - 1]


def fmt(x, digits=1):
    """A CSV cell: empty for None."""
    if x is None:
        return ""
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


class Csv:
    def __init__(self, path, columns):
        self.f = open(path, "w")
        self.columns = columns
        self.f.write(",".join(columns) + "\n")
        self.f.flush()

    def row(self, **values):
        missing = set(self.columns) ^ set(values)
        assert not missing, missing
        self.f.write(",".join(fmt(values[c]) if not isinstance(values[c], str)
                              else values[c] for c in self.columns) + "\n")
        self.f.flush()

    def close(self):
        self.f.close()


def local_log_time_ns(stamp):
    """'YYYY/MM/DD HH:MM:SS.ffffff' in local time (FRR's log stamps) as
    CLOCK_REALTIME nanoseconds."""
    date, clock = stamp.split(" ")
    y, mo, d = (int(x) for x in date.split("/"))
    hms, frac = clock.split(".")
    h, mi, s = (int(x) for x in hms.split(":"))
    secs = time.mktime((y, mo, d, h, mi, s, 0, 0, -1))
    return int(secs) * 10**9 + int(frac.ljust(9, "0")[:9])


def bisect_last_le(values, x):
    """Index of the last element <= x in sorted values, or -1."""
    return bisect.bisect_right(values, x) - 1


# ---- the module over generic netlink ------------------------------------------------

CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
SO_RCVBUFFORCE = 33
STATE_NAMES = {hbgenl.C[f"HEARTBEAT_STATE_{s.upper()}"]: s
               for s in ("unknown", "alive", "suspect", "dead", "left", "unreachable")}


def u32_of(a, key, default=None):
    return struct.unpack("=I", a[key][:4])[0] if key in a else default


def u64_of(a, key, default=None):
    return struct.unpack("=Q", a[key][:8])[0] if key in a else default


def u8_of(a, key, default=None):
    return a[key][0] if key in a else default


class Node:
    """The heartbeat node of one namespace, driven over generic netlink
    from this process (an hbctl process costs tens of milliseconds)."""

    def __init__(self, ns):
        self.ns = ns
        self.g = genl(ns)

    def set(self, **kw):
        """node set: keyword = the HEARTBEAT_A_NODE_* suffix in lower case;
        values are u32 but for the u8 attributes."""
        u8s = {"learn", "detector", "phi_model", "auth"}
        payload = b""
        for k, v in kw.items():
            atype = hbgenl.C[f"HEARTBEAT_A_NODE_{k.upper()}"]
            payload += hbgenl.u8(atype, v) if k in u8s else hbgenl.u32(atype, v)
        self.g.node_set(payload)

    def link_add(self, dev="eth0"):
        self.g.do(hbgenl.C["HEARTBEAT_CMD_LINK_ADD"],
                  hbgenl.u32(hbgenl.C["HEARTBEAT_A_LINK_IFINDEX"], ifindex(self.ns, dev)))

    def peers(self):
        """{id: {"state", "mean_us", "stddev_us", "samples"}}"""
        C = hbgenl.C
        out = {}
        for a in self.g.dump(C["HEARTBEAT_CMD_PEER_GET"]):
            pid = u32_of(a, C["HEARTBEAT_A_PEER_ID"])
            out[pid] = {"state": STATE_NAMES.get(u8_of(a, C["HEARTBEAT_A_PEER_STATE"])),
                        "mean_us": u32_of(a, C["HEARTBEAT_A_PEER_MEAN_US"]),
                        "stddev_us": u32_of(a, C["HEARTBEAT_A_PEER_STDDEV_US"]),
                        "samples": u32_of(a, C["HEARTBEAT_A_PEER_SAMPLES"])}
        return out

    def peer_del(self, ids):
        atype = hbgenl.C["HEARTBEAT_A_PEER_ID"]
        cmd = hbgenl.C["HEARTBEAT_CMD_PEER_DEL"]
        for i in ids:
            try:
                self.g.do(cmd, hbgenl.u32(atype, i))
            except hbgenl.NetlinkError:
                pass

    def stats(self):
        """{"rx", "tx", "drops": total, "drop_reasons": {type: n}, "deferred"}"""
        C = hbgenl.C
        a = self.g.do(C["HEARTBEAT_CMD_STATS_GET"])[0]
        drops = {}
        if C["HEARTBEAT_A_STATS_DROPS"] in a:
            for t, v in hbgenl.parse_attrs(a[C["HEARTBEAT_A_STATS_DROPS"]]).items():
                if t:
                    drops[t] = struct.unpack("=Q", v[:8])[0]
        return {"rx": u64_of(a, C["HEARTBEAT_A_STATS_RX"], 0),
                "tx": u64_of(a, C["HEARTBEAT_A_STATS_TX"], 0),
                "deferred": u64_of(a, C["HEARTBEAT_A_STATS_DEFERRED"], 0),
                "drops": sum(drops.values()), "drop_reasons": drops}

    def peer_add(self, ids):
        for i in ids:
            self.g.do(hbgenl.C["HEARTBEAT_CMD_PEER_ADD"],
                      hbgenl.u32(hbgenl.C["HEARTBEAT_A_PEER_ID"], i))

    def quorum_set(self, expected_votes):
        """expected-votes N (0: quorum off)."""
        self.g.do(hbgenl.C["HEARTBEAT_CMD_QUORUM_SET"],
                  hbgenl.u32(hbgenl.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], expected_votes))

    def quorum(self):
        """{"quorate": bool, "votes": n}"""
        C = hbgenl.C
        a = self.g.do(C["HEARTBEAT_CMD_QUORUM_GET"])[0]
        return {"quorate": bool(u8_of(a, C["HEARTBEAT_A_QUORUM_QUORATE"], 0)),
                "votes": u32_of(a, C["HEARTBEAT_A_QUORUM_VOTES"], 0)}

    def close(self):
        self.g.close()


class Events:
    """The "events" multicast group of one namespace's heartbeat family,
    read from a socket with a large buffer whenever poll() is called: no
    thread, no hbctl monitor process. Each event: {"event": "peer-state",
    "id", "state", "prev", "time_ns"} (time_ns: the verdict's own
    CLOCK_REALTIME stamp)."""

    def __init__(self, ns, rcvbuf=16 << 20, keep=True):
        C = hbgenl.C
        with netns(ns):
            g = hbgenl.Genl()
            reply = g.request(hbgenl.GENL_ID_CTRL, hbgenl.CTRL_CMD_GETFAMILY,
                              hbgenl.attr(hbgenl.CTRL_ATTR_FAMILY_NAME, b"heartbeat\0"),
                              version=1)
            g.close()
            group = None
            groups = hbgenl.parse_attrs(reply[0]).get(CTRL_ATTR_MCAST_GROUPS, b"")
            data = groups
            while len(data) >= 4:
                alen = struct.unpack_from("=H", data)[0]
                grp = hbgenl.parse_attrs(data[4:alen])
                name = grp.get(CTRL_ATTR_MCAST_GRP_NAME, b"").rstrip(b"\0").decode()
                if name == C.get("HEARTBEAT_MCGRP_EVENTS", "events"):
                    group = struct.unpack("=I", grp[CTRL_ATTR_MCAST_GRP_ID])[0]
                data = data[(alen + 3) & ~3:]
            if group is None:
                raise RuntimeError("no events group in the heartbeat family")
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, hbgenl.NETLINK_GENERIC)
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
            except OSError:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.sock.bind((0, 0))
            self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
        self.sock.setblocking(False)
        self.ns = ns
        self.keep = keep
        self.events = []
        self.lost = 0

    def poll(self):
        """Read what has arrived; returns the new events."""
        C = hbgenl.C
        new = []
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == 105:	# ENOBUFS: the buffer overflowed
                    self.lost += 1
                    continue
                raise
            while len(data) >= 20:
                length = struct.unpack_from("=I", data)[0]
                body = data[20:length]
                cmd = data[16]
                data = data[(length + 3) & ~3:]
                if cmd != C["HEARTBEAT_CMD_PEER_EVENT"]:
                    continue
                a = hbgenl.parse_attrs(body)
                etype = u8_of(a, C["HEARTBEAT_A_EVENT_TYPE"])
                if etype != C["HEARTBEAT_EVENT_PEER_STATE"]:
                    continue
                new.append({"event": "peer-state",
                            "id": u32_of(a, C["HEARTBEAT_A_EVENT_PEER"]),
                            "state": STATE_NAMES.get(u8_of(a, C["HEARTBEAT_A_EVENT_STATE"])),
                            "prev": STATE_NAMES.get(u8_of(a, C["HEARTBEAT_A_EVENT_PREV_STATE"])),
                            "consensus": u8_of(a, C["HEARTBEAT_A_EVENT_CONSENSUS"], 0),
                            "time_ns": u64_of(a, C["HEARTBEAT_A_EVENT_TIME_NS"], 0)})
        if self.keep:
            self.events += new
        return new

    def find(self, after=0, before=None, **want):
        self.poll()
        return [e for e in self.events if e["time_ns"] > after
                and (before is None or e["time_ns"] <= before)
                and all(e.get(k) == v for k, v in want.items())]

    def close(self):
        self.sock.close()
