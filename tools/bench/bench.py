#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The benchmark driver, run inside the test VM (or on a host with the
module loaded) as root, by tools/bench/run-bench:

    /usr/bin/python3 tools/bench/bench.py --out DIR [--parts precision,detection,falsepos,scale]
        [--quick] [--trials N] [--fp-seconds S] [--precision-seconds S]

Parts, each writing one CSV into DIR (raw data under DIR/raw):
  precision  send lateness and receiver jitter, module against hbuserd,
             idle and under three CPU loads            -> precision.csv
  detection  verdict - last frame received, over many cuts, module (fixed,
             phi), hbuserd and FRR bfdd                 -> detection.csv
  falsepos   false suspect/dead transitions of 5-host clusters under a CPU
             hog per vCPU                              -> falsepos.csv
  scale      one receiver against N emulated peers       -> scale.csv
and DIR/meta.json. Progress lines start with "# ". A figure that could not
be measured is left empty, and a progress line says why.
"""
import argparse
import json
import math
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402
from benchlib import log  # noqa: E402

PARTS = ("precision", "detection", "falsepos", "scale")
NPROC = os.cpu_count() or 1
WARMUP_NS = 500 * 10**6


class Env:
    """What one part started: processes and namespaces, always cleaned up,
    plus the part's output directory."""

    def __init__(self, out):
        self.out = out
        self.raw = os.path.join(out, "raw")
        self.procs = bl.Procs()
        self.ns = bl.Namespaces()
        self.cleanups = []

    def close(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:		# cleanup goes on whatever failed
                log(f"cleanup: {e}")
        self.cleanups = []
        self.procs.stop_all()
        self.ns.close()


def start_load(env, load, cg=None):
    """The CPU load of a combination: a list of processes to stop after."""
    if load == "idle":
        return []
    if load == "hog_per_vcpu":
        return [env.procs.start(["stress-ng", "--cpu", NPROC, "--quiet"])]
    if load == "hogs_64":
        return [env.procs.start(["stress-ng", "--cpu", 64, "--quiet"])]
    if load == "throttled":
        return [env.procs.start(["stress-ng", "--cpu", 1, "--quiet"], cgroup=cg)]
    raise ValueError(load)


def stop_all(env, procs):
    for p in procs:
        env.procs._signal(p, signal.SIGTERM)
    for p in procs:
        env.procs.stop(p)


def summarize_ns(values):
    """(n, p50, p99, p99.9, max) in microseconds of values in ns."""
    s = sorted(values)
    if not s:
        return 0, None, None, None, None
    return (len(s),) + tuple(bl.pct(s, p) / 1000 for p in (50, 99, 99.9, 100))


def write_raw(path, values):
    with open(path, "w") as f:
        f.write("".join(f"{v}\n" for v in values))


# ---- 1. precision ------------------------------------------------------------------

def jitter_from_capture(path, node, interval_us, t0, t1):
    """inter-arrival - interval (ns) of node's frames received in [t0, t1],
    between frames of consecutive sequence numbers (a gap in the capture is
    skipped, not counted as jitter). Also returns the gaps skipped."""
    frames = []
    cap = bl.CapFile(path)
    want = str(node).encode()
    for f in cap.lines():
        if len(f) == 4 and f[1] == b"in" and f[2] == want:
            ts = int(f[0])
            if t0 <= ts <= t1:
                frames.append((ts, int(f[3])))
    cap.close()
    out, skipped = [], 0
    ival = interval_us * 1000
    for (ta, sa), (tb, sb) in zip(frames, frames[1:]):
        if sb == sa + 1:
            out.append(tb - ta - ival)
        else:
            skipped += 1
    return out, skipped


def read_tx_trace(tr, t0_mono, t1_mono):
    """late_ns of the heartbeat_tx events in the trace buffer with trace
    (CLOCK_MONOTONIC) time in [t0, t1]."""
    late = []
    rx = re.compile(r"\s(\d+)\.(\d+): heartbeat_tx: .*late_ns=(\d+)")
    with open(f"{tr}/trace") as f:
        for line in f:
            m = rx.search(line)
            if not m:
                continue
            ts = int(m.group(1)) * 10**9 + int(m.group(2).ljust(9, "0")[:9])
            if t0_mono <= ts <= t1_mono:
                late.append(int(m.group(3)))
    return late


def part_precision(a, env):
    secs = a.precision_seconds
    intervals = (1000, 10000)
    loads = ("idle", "hog_per_vcpu", "hogs_64", "throttled")
    csv = bl.Csv(os.path.join(env.out, "precision.csv"),
                 ["impl", "interval_us", "load", "metric", "n", "p50_us", "p99_us",
                  "p999_us", "max_us"])
    env.cleanups.append(csv.close)
    ms, mr, us, ur = "hbb-pms", "hbb-pmr", "hbb-pus", "hbb-pur"
    env.ns.add(ms, mr, us, ur)
    bl.veth(ms, mr)
    bl.veth(us, ur)
    node = bl.Node(ms)
    env.cleanups.append(node.close)
    node.set(id=1, cluster=1, interval_us=intervals[0])
    node.link_add()

    tr = bl.tracefs()
    env.cleanups.append(bl.TraceSettings().restore)
    ev = f"{tr}/events/heartbeat/heartbeat_tx"
    bl.tw(f"{tr}/tracing_on", 0)
    bl.tw(f"{tr}/trace_clock", "mono")
    bl.tw(f"{tr}/buffer_size_kb", 8192)
    bl.tw(f"{ev}/filter", f"netns == {bl.netns_inode(ms)}")

    def untrace():
        bl.tw(f"{ev}/enable", 0)
        bl.tw(f"{ev}/filter", 0)
        bl.tw(f"{tr}/trace", "")
    env.cleanups.append(untrace)
    cg = bl.cgroup("hbbench-throttled", "20000 100000")
    env.cleanups.append(lambda: bl.cgroup_remove(cg))
    tmp = "/tmp/hbbench-precision"
    os.makedirs(tmp, exist_ok=True)

    for ival in intervals:
        node.set(interval_us=ival)
        for load in loads:
            label = f"{ival // 1000} ms, {load}"
            loadp = start_load(env, load, cg)
            time.sleep(0.2 if load == "idle" else 0.5 if a.quick else 1.0)
            caps = {}
            for impl, ns in (("module", mr), ("userspace", ur)):
                path = f"{tmp}/cap-{impl}.csv"
                p = env.procs.start([bl.HBCAP, "-i", "eth0", "-o", path], ns=ns,
                                    stderr=subprocess.PIPE)
                caps[impl] = (p, path)
            for p, _ in caps.values():
                bl.wait_ready(p, timeout=30)
            sendlog = f"{tmp}/send-userspace.csv"
            ud = env.procs.start([bl.HBUSERD, "-i", "eth0", "-n", 2, "-I", ival, "--no-recv",
                                  "--send-log", sendlog, "-t", int(secs + 5)], ns=us,
                                 cgroup=cg if load == "throttled" else None,
                                 stdout=subprocess.PIPE)
            bl.tw(f"{tr}/trace", "")
            bl.tw(f"{ev}/enable", 1)
            bl.tw(f"{tr}/tracing_on", 1)
            t0m, t0r = time.monotonic_ns(), time.time_ns()
            time.sleep(secs)
            t1m, t1r = time.monotonic_ns(), time.time_ns()
            bl.tw(f"{tr}/tracing_on", 0)
            bl.tw(f"{ev}/enable", 0)
            env.procs.stop(ud, signal.SIGTERM, timeout=10)
            summary = bl.json_summary(ud.stdout.read())
            for p, _ in caps.values():
                env.procs.stop(p, signal.SIGTERM, timeout=10)
            stop_all(env, loadp)

            samples = {}
            samples[("module", "send_late")] = read_tx_trace(tr, t0m + WARMUP_NS, t1m)
            late = []
            with open(sendlog) as f:
                for line in f:
                    sched, _, lt = line.strip().partition(",")
                    if lt and t0m + WARMUP_NS <= int(sched) <= t1m:
                        late.append(int(lt))
            samples[("userspace", "send_late")] = late
            node_of = {"module": 1, "userspace": 2}
            skipped = {}
            for impl, (_, path) in caps.items():
                samples[(impl, "recv_jitter")], skipped[impl] = jitter_from_capture(
                    path, node_of[impl], ival, t0r + WARMUP_NS, t1r)
            line = []
            for (impl, metric), vals in sorted(samples.items()):
                write_raw(os.path.join(env.raw, f"precision-{impl}-{ival}-{load}-{metric}.txt"),
                          vals)
                n, p50, p99, p999, mx = summarize_ns(vals)
                csv.row(impl=impl, interval_us=ival, load=load, metric=metric, n=n,
                        p50_us=p50, p99_us=p99, p999_us=p999, max_us=mx)
                if not n:
                    log(f"precision {label}: no {impl} {metric} samples")
                line.append(f"{impl[0]}.{metric} p99 {bl.fmt(p99)}")
            expected = (t1m - t0m - WARMUP_NS) // (ival * 1000)
            log(f"precision {label}: " + ", ".join(line) + f" us; expected ~{expected} sends; "
                f"samples m.send {len(samples[('module', 'send_late')])} "
                f"u.send {len(samples[('userspace', 'send_late')])}; capture gaps skipped "
                f"m {skipped['module']} u {skipped['userspace']}; hbuserd missed "
                f"{summary.get('missed_expirations', '?')} expirations")


# ---- 2. detection -------------------------------------------------------------------

FALL, RISE = 3, 3
PHI_THRESHOLD = 8
MIN_STDDEV_US = 500		# the module's default phi-min-stddev
BFD_MS, BFD_MULT = 10, 3


def ref_phi(silence_us, mean_us, stddev_us, min_stddev_us=MIN_STDDEV_US):
    """selftests/test_phi.py's reference: phi of a silence under the
    normal model (logistic approximation) the module uses."""
    sd = max(stddev_us, min_stddev_us)
    y = (silence_us - mean_us) / sd
    z = y * (1.5976 + 0.070566 * y * y)
    if z > 30:
        return z * math.log10(math.e) + math.log10(1 + math.exp(-z))
    return math.log10(1 + math.exp(z))


def phi_crossing_ms(threshold, mean_us, stddev_us):
    lo, hi = 0.0, 1e7
    for _ in range(100):
        mid = (lo + hi) / 2
        if ref_phi(mid, mean_us, stddev_us) >= threshold:
            hi = mid
        else:
            lo = mid
    return hi / 1000


DET_CONFIGS = [
    ("module-fixed-1ms", "module", "fixed", 1000),
    ("module-fixed-10ms", "module", "fixed", 10000),
    ("module-phi-1ms", "module", "phi", 1000),
    ("module-phi-10ms", "module", "phi", 10000),
    ("userspace-fixed-1ms", "userspace", "fixed", 1000),
    ("userspace-fixed-10ms", "userspace", "fixed", 10000),
    ("bfdd-10ms", "bfdd", "bfd", 10000),
]

BFD_LOG_RE = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+) .*state-change: .*\]\s*"
                        r"(\w[\w-]*) -> (\w[\w-]*)")


class Pair:
    """One detection configuration: an observer and a victim namespace on
    a bridge of their own in the switch namespace, a capture on the
    observer's interface, and a way to read the observer's verdicts."""

    def __init__(self, env, idx, config, impl, detector, ival, sw, tmp):
        self.env, self.idx, self.config, self.impl = env, idx, config, impl
        self.detector, self.ival = detector, ival
        self.obs, self.vic = f"hbb-d{idx}o", f"hbb-d{idx}v"
        self.tmp = f"{tmp}/{config}"
        os.makedirs(self.tmp, exist_ok=True)
        env.ns.add(self.obs, self.vic)
        bl.ip_batch([f"link add eth0 netns {self.obs} type veth peer name o{idx} netns {sw}",
                     f"link add eth0 netns {self.vic} type veth peer name v{idx} netns {sw}"])
        bl.ip_batch([f"link add br{idx} type bridge", f"link set br{idx} up",
                     f"link set o{idx} master br{idx} up", f"link set v{idx} master br{idx} up"],
                    sw)
        self.obs_ip, self.vic_ip = f"10.99.{idx}.1", f"10.99.{idx}.2"
        bl.ip_batch(["link set eth0 up", f"addr add {self.obs_ip}/24 dev eth0"], self.obs)
        bl.ip_batch(["link set eth0 up", f"addr add {self.vic_ip}/24 dev eth0"], self.vic)
        self.vic_index = bl.ifindex(self.vic)
        self.rtnl = bl.Rtnl(self.vic)
        env.cleanups.append(self.rtnl.close)
        self.bound_ms = (FALL + 1) * ival / 1000 if detector == "fixed" else None
        if impl == "bfdd":
            self.bound_ms = BFD_MS * BFD_MULT
        self.transitions = []		# (time_ns, state) of the observer about the victim
        self.cap_path = f"{self.tmp}/cap.csv"
        self.who = (self.vic_ip if impl == "bfdd" else "2").encode()

    def start(self):
        env = self.env
        if self.impl == "module":
            for ns, nid in ((self.obs, 1), (self.vic, 2)):
                n = bl.Node(ns)
                n.set(id=nid, cluster=1, interval_us=self.ival, fall=FALL, rise=RISE)
                if ns == self.obs and self.detector == "phi":
                    n.set(detector=hbgenl_c("HEARTBEAT_DETECTOR_PHI"),
                          phi_threshold=PHI_THRESHOLD * 1000)
                if ns == self.obs:
                    self.node = n
                    env.cleanups.append(n.close)
                    self.events = bl.Events(self.obs)
                    env.cleanups.append(self.events.close)
                n.link_add()
                if ns != self.obs:
                    n.close()
        elif self.impl == "userspace":
            self.evlog = f"{self.tmp}/events.csv"
            self.tail = bl.Tail(self.evlog)
            env.procs.start([bl.HBUSERD, "-i", "eth0", "-n", 1, "-I", self.ival, "-f", FALL,
                             "-r", RISE, "--event-log", self.evlog], ns=self.obs)
            env.procs.start([bl.HBUSERD, "-i", "eth0", "-n", 2, "-I", self.ival, "-f", FALL,
                             "-r", RISE, "--no-recv"], ns=self.vic)
        else:
            self.bfd_start()
        args = [bl.HBCAP, "-i", "eth0", "-o", self.cap_path] + (["--bfd"] if self.impl == "bfdd"
                                                                 else [])
        self.cap = env.procs.start(args, ns=self.obs, stderr=subprocess.PIPE)
        bl.wait_ready(self.cap, timeout=30)

    # -- FRR bfdd --
    def bfd_start(self):
        env = self.env
        self.frr = {}
        for ns, me, peer in ((self.obs, self.obs_ip, self.vic_ip),
                             (self.vic, self.vic_ip, self.obs_ip)):
            d = f"{self.tmp}/frr-{ns}"
            os.makedirs(d, exist_ok=True)
            with open(f"{d}/zebra.conf", "w") as f:
                f.write(f"hostname z{ns}\nlog file {d}/zebra.log\n")
            with open(f"{d}/bfdd.conf", "w") as f:
                f.write(f"hostname b{ns}\nlog file {d}/bfdd.log debugging\n"
                        "log timestamp precision 6\ndebug bfd peer\n!\nbfd\n"
                        f" peer {peer} interface eth0\n"
                        f"  receive-interval {BFD_MS}\n  transmit-interval {BFD_MS}\n"
                        f"  detect-multiplier {BFD_MULT}\n !\n!\n")
            run = f"/run/frr/{ns}"
            os.makedirs(run, exist_ok=True)
            subprocess.run(["chown", "-R", "frr:frr", d, "/run/frr"], check=True)
            self.frr[ns] = d
        for daemon in ("zebra", "bfdd"):
            for ns, d in self.frr.items():
                env.procs.start([f"/usr/lib/frr/{daemon}", "-N", ns, "-f", f"{d}/{daemon}.conf",
                                 "-i", f"{d}/{daemon}.pid", "-P", "0"], ns=ns,
                                stdout=open(f"{d}/{daemon}.out", "w"), stderr=subprocess.STDOUT)
            if daemon == "zebra":
                ok = bl.wait_for(lambda: all(os.path.exists(f"/run/frr/{ns}/zserv.api")
                                             for ns in self.frr), 20, 0.1)
                if not ok:
                    raise RuntimeError("zebra did not start: " + open(f"{d}/zebra.out").read())
        self.tail = bl.Tail(f"{self.frr[self.obs]}/bfdd.log")

    def bfdd_pid(self):
        try:
            return int(open(f"{self.frr[self.obs]}/bfdd.pid").read())
        except (OSError, ValueError):
            return None

    # -- verdicts --
    def poll(self):
        """Take in what the observer said about the victim since the last
        call."""
        if self.impl == "module":
            for e in self.events.poll():
                if e["id"] == 2:
                    self.transitions.append((e["time_ns"], e["state"]))
        elif self.impl == "userspace":
            for line in self.tail.lines():
                f = line.split(",")
                if len(f) == 4 and f[1] == "2":
                    self.transitions.append((int(f[0]), f[3]))
        else:
            for line in self.tail.lines():
                m = BFD_LOG_RE.match(line)
                if m:
                    self.transitions.append((bl.local_log_time_ns(m.group(1)),
                                             "dead" if m.group(3) == "down" else
                                             "alive" if m.group(3) == "up" else m.group(3)))

    def first(self, state, after):
        for t, s in self.transitions:
            if s == state and t > after:
                return t
        return None

    def state_now(self):
        return self.transitions[-1][1] if self.transitions else None


def hbgenl_c(name):
    return bl.hbgenl.C[name]


def bfd_syscall_trace(pid, enable):
    """Trace bfdd's packet reads, wake-ups and log writes (syscall
    tracepoints, filtered to its threads) to see in what order its event
    loop handles a wake-up."""
    tr = bl.tracefs()
    events = ["sys_exit_recvmsg", "sys_exit_recvfrom", "sys_exit_poll", "sys_exit_ppoll",
              "sys_exit_epoll_wait", "sys_exit_epoll_pwait", "sys_enter_writev",
              "sys_enter_write", "sys_enter_sendmsg", "sys_enter_sendto"]
    ok = []
    if enable:
        tids = os.listdir(f"/proc/{pid}/task")
        filt = " || ".join(f"common_pid == {t}" for t in tids)
    for e in events:
        d = f"{tr}/events/syscalls/{e}"
        if not os.path.isdir(d):
            continue
        if enable:
            bl.tw(f"{d}/filter", filt)
            bl.tw(f"{d}/enable", 1)
            ok.append(e)
        else:
            bl.tw(f"{d}/enable", 0)
            bl.tw(f"{d}/filter", 0)
    return ok


def part_detection(a, env):
    trials = a.trials
    tmp = "/tmp/hbbench-detection"
    os.makedirs(tmp, exist_ok=True)
    sw = "hbb-dsw"
    env.ns.add(sw)
    csv = bl.Csv(os.path.join(env.out, "detection.csv"),
                 ["config", "impl", "detector", "interval_us", "trial", "method",
                  "last_frame_ns", "verdict_ns", "latency_ms", "bound_ms"])
    env.cleanups.append(csv.close)
    notes_path = os.path.join(env.raw, "bfd-notes.txt")
    notes = []
    # netem's module, loaded now rather than at the first cut.
    subprocess.run(["modprobe", "sch_netem"], stderr=subprocess.DEVNULL)

    pairs = []
    for idx, (config, impl, detector, ival) in enumerate(DET_CONFIGS, 1):
        if impl == "bfdd" and not os.path.exists("/usr/lib/frr/bfdd"):
            notes.append("FRR bfdd is not installed (/usr/lib/frr/bfdd): bfdd-10ms skipped.")
            log(notes[-1])
            continue
        pairs.append(Pair(env, idx, config, impl, detector, ival, sw, tmp))
    for p in list(pairs):
        try:
            p.start()
        except Exception as e:
            if p.impl != "bfdd":
                raise
            notes.append(f"FRR bfdd could not be started: {e}; bfdd-10ms skipped.")
            log(notes[-1])
            pairs.remove(p)

    def wait_all(state, after, timeout, which):
        end = time.monotonic() + timeout
        while True:
            for p in which:
                p.poll()
            left = [p for p in which if p.first(state, after) is None]
            if not left or time.monotonic() > end:
                return left
            time.sleep(0.01)

    t_setup = time.time_ns() - 60 * 10**9
    left = wait_all("alive", t_setup, 30, pairs)
    for p in left:
        if p.impl == "bfdd":
            notes.append("FRR bfdd: the session never came up within 30 s; bfdd-10ms skipped. "
                         "Logs: " + p.tmp)
            log(notes[-1])
            pairs.remove(p)
        else:
            raise RuntimeError(f"{p.config}: the victim never became alive")
    # Phi: let the windows fill (100 samples), then take the bound from them.
    time.sleep(1.5)
    for p in pairs:
        if p.detector == "phi":
            peer = p.node.peers().get(2, {})
            mean, sd = peer.get("mean_us"), peer.get("stddev_us")
            if mean:
                p.bound_ms = phi_crossing_ms(PHI_THRESHOLD, mean, sd or 0)
                log(f"detection {p.config}: observer's window: {peer.get('samples')} samples, "
                    f"mean {mean} us, stddev {sd} us (floor {MIN_STDDEV_US} us) -> phi "
                    f"{PHI_THRESHOLD} crossed {p.bound_ms:.2f} ms after the last heartbeat")
            else:
                log(f"detection {p.config}: no window statistics; bound left empty")
    bfd = next((p for p in pairs if p.impl == "bfdd"), None)
    traced = []
    clock_offset = None
    if bfd and bfd.bfdd_pid():
        try:
            tr = bl.tracefs()
            env.cleanups.append(bl.TraceSettings().restore)
            bl.tw(f"{tr}/tracing_on", 0)
            bl.tw(f"{tr}/trace", "")
            bl.tw(f"{tr}/trace_clock", "mono")
            bl.tw(f"{tr}/buffer_size_kb", 16384)
            traced = bfd_syscall_trace(bfd.bfdd_pid(), True)
            env.cleanups.append(lambda: bfd_syscall_trace(0, False))
            clock_offset = time.time_ns() - time.monotonic_ns()
            bl.tw(f"{tr}/tracing_on", 1)
        except OSError as e:
            log(f"detection: no syscall trace of bfdd ({e})")

    log(f"detection: {len(pairs)} configurations up: " + ", ".join(p.config for p in pairs)
        + f"; {trials} trials")
    records = []
    t_part = time.monotonic()
    for trial in range(trials):
        method = "netem" if trial % 2 == 0 else "linkdown"
        t_cut = time.time_ns()
        for p in pairs:
            if method == "netem":
                p.rtnl.netem_loss(p.vic_index)
            else:
                p.rtnl.link_set(p.vic_index, False)
        for p in pairs:
            for err in p.rtnl.ack():
                log(f"detection trial {trial}: {p.config}: cut failed: {os.strerror(-err)}")
        t_cut_done = time.time_ns()
        wait_all("dead", t_cut, 3, pairs)
        verdicts = {p.config: p.first("dead", t_cut) for p in pairs}
        t_restore = time.time_ns()
        for p in pairs:
            if method == "netem":
                p.rtnl.qdisc_del_root(p.vic_index)
            else:
                p.rtnl.link_set(p.vic_index, True)
        for p in pairs:
            for err in p.rtnl.ack():
                log(f"detection trial {trial}: {p.config}: restore failed: {os.strerror(-err)}")
        late = wait_all("alive", t_restore, 10, pairs)
        t_up = time.time_ns()
        records.append((trial, method, t_cut, t_restore, verdicts))
        missing = [c for c, v in verdicts.items() if v is None]
        log(f"detection trial {trial} {method}: cut {(t_cut_done - t_cut) / 1e6:.1f} ms, "
            f"verdicts {len(verdicts) - len(missing)}/{len(verdicts)}"
            + (f" (none from {', '.join(missing)})" if missing else "")
            + f", all alive again after {(t_up - t_restore) / 1e6:.0f} ms"
            + (f" (not: {', '.join(p.config for p in late)})" if late else ""))
        time.sleep(random.uniform(0.2, 0.6))
    log(f"detection: {trials} trials in {time.monotonic() - t_part:.0f} s")

    # The captures are complete once hbcap has flushed them at exit.
    if traced:
        bl.tw(f"{bl.TRACEFS}/tracing_on", 0)
    for p in pairs:
        env.procs.stop(p.cap, signal.SIGTERM, timeout=20)
        p.poll()
    caps = {p.config: bl.CapFile(p.cap_path) for p in pairs}
    lat = {p.config: [] for p in pairs}
    crosscheck = []
    for trial, method, t_cut, t_restore, verdicts in records:
        for p in pairs:
            cap = caps[p.config]
            v = verdicts[p.config]
            last = cap.last_before(v if v else t_restore, b"in", p.who,
                                   after=t_cut - 5 * 10**9)
            latency = (v - last) / 1e6 if v and last else None
            if latency is not None:
                lat[p.config].append(latency)
            csv.row(config=p.config, impl=p.impl, detector=p.detector, interval_us=p.ival,
                    trial=trial, method=method, last_frame_ns=last, verdict_ns=v,
                    latency_ms=None if latency is None else round(latency, 3),
                    bound_ms=None if p.bound_ms is None else round(p.bound_ms, 3))
            if p.impl == "bfdd":
                down = cap.first_after(v - 200 * 10**6 if v else t_cut, b"out",
                                       p.obs_ip.encode(), b"1") if v else None
                crosscheck.append((trial, method, v, down, last))
    for p in pairs:
        s = sorted(lat[p.config])
        if s:
            log(f"detection {p.config}: {len(s)}/{trials} verdicts, latency min {s[0]:.2f} "
                f"median {bl.pct(s, 50):.2f} p99 {bl.pct(s, 99):.2f} max {s[-1]:.2f} ms "
                f"(bound {bl.fmt(p.bound_ms, 2)} ms)")
        else:
            log(f"detection {p.config}: no latency measured")
    if bfd:
        with open(os.path.join(env.raw, "bfd-crosscheck.csv"), "w") as f:
            f.write("trial,log_verdict_ns,first_down_tx_ns,last_rx_ns\n")
            for trial, _, v, down, last in crosscheck:
                f.write(",".join(bl.fmt(x) for x in (trial, v, down, last)) + "\n")
        notes += bfd_analysis(bfd, records, caps[bfd.config], crosscheck, traced, clock_offset,
                              env.raw)
    for c in caps.values():
        c.close()
    if bfd:
        import shutil
        for ns, d in bfd.frr.items():
            role = "observer" if ns == bfd.obs else "victim"
            for name in ("bfdd.log", "bfdd.out", "zebra.out"):
                if os.path.exists(f"{d}/{name}"):
                    shutil.copy(f"{d}/{name}", os.path.join(env.raw, f"bfd-{role}-{name}"))
    with open(notes_path, "w") as f:
        f.write("\n".join(notes) + "\n")


def bfd_analysis(bfd, records, cap, crosscheck, traced, offset, raw):
    """Why bfdd's verdicts come sooner than 30 ms after the last frame
    captured: what its event loop did around each verdict."""
    out = ["FRR bfdd (%s) as a detection baseline: %d ms x %d, bound %d ms." % (
        subprocess.run(["/usr/lib/frr/bfdd", "--version"], capture_output=True,
                       text=True).stdout.split("\n")[0], BFD_MS, BFD_MULT, BFD_MS * BFD_MULT),
        "Verdict: the observer bfdd's own log line (state-change up -> down), stamped by "
        "FRR in local time with 6 decimals (log timestamp precision 6); converted with the "
        f"VM's time zone ({time.strftime('%Z')}, UTC offset {-time.timezone} s), i.e. "
        "CLOCK_REALTIME, the clock of hbcap's SO_TIMESTAMPNS stamps.",
        ""]
    rows = [(t, m, v, d, last) for t, m, v, d, last in crosscheck]
    lats = sorted((v - last) / 1e6 for _, _, v, _, last in rows if v and last)
    early = [x for x in lats if x < BFD_MS * BFD_MULT - 1]
    out.append(f"Trials with a verdict: {len(lats)}/{len(rows)}; verdict - last frame captured: "
               f"median {bl.fmt(bl.pct(lats, 50), 2)} ms, min {bl.fmt(lats[0] if lats else None, 2)}"
               f", max {bl.fmt(lats[-1] if lats else None, 2)}; {len(early)} below "
               f"{BFD_MS * BFD_MULT - 1} ms (impossible if bfdd had processed that frame).")
    downs = [(d - v) / 1e6 for _, _, v, d, _ in rows if v and d]
    if downs:
        downs.sort()
        out.append(f"Cross-check: the observer's first Down packet on the wire (hbcap --bfd, "
                   f"dir out) came {bl.fmt(bl.pct(downs, 50), 2)} ms after the log stamp "
                   f"(median; min {downs[0]:.2f}, max {downs[-1]:.2f}): the log time is when "
                   "bfdd acted.")
    if not traced or offset is None:
        out.append("No syscall trace of bfdd: the event-loop analysis was not done.")
        return out
    # The trace: "sys_NAME(args)" on entry, "sys_NAME -> RET" on exit, in
    # CLOCK_MONOTONIC (trace_clock mono), moved to CLOCK_REALTIME.
    rx = re.compile(r"^\s*(.+?)-(\d+)\s+\[\d+\].*?\s(\d+)\.(\d+): (sys_\w+)"
                    r"(?:\((.*)\)| -> (0x[0-9a-f]+|-?\d+))")
    evs = []
    with open(f"{bl.TRACEFS}/trace") as f:
        for line in f:
            m = rx.match(line)
            if not m:
                continue
            ts = int(m.group(3)) * 10**9 + int(m.group(4).ljust(9, "0")[:9]) + offset
            ret = m.group(7)
            kind = "exit" if ret is not None else "enter"
            evs.append((ts, m.group(5), kind, int(ret, 0) if ret is not None else None,
                        m.group(6) or ""))
    with open(os.path.join(raw, "bfd-syscalls.txt"), "w") as f:
        f.write("time_ns,syscall,kind,ret,args\n")
        for e in evs:
            f.write(f"{e[0]},{e[1]},{e[2]},{'' if e[3] is None else e[3]},{e[4]}\n")
    if not evs:
        out.append("The syscall trace of bfdd is empty: no event-loop analysis.")
        return out
    # BFD control packets without authentication are 24 bytes.
    reads = [e[0] for e in evs if e[2] == "exit" and e[1] in ("sys_recvmsg", "sys_recvfrom")
             and e[3] == 24]
    wakes = [e[0] for e in evs if e[2] == "exit" and e[1] in (
        "sys_poll", "sys_ppoll", "sys_epoll_wait", "sys_epoll_pwait")]
    names = sorted({e[1] for e in evs})
    out.append(f"Syscall trace of the observer's bfdd ({', '.join(names)}): {len(evs)} events, "
               f"{len(reads)} reads of 24-byte packets, {len(wakes)} returns from its poll.")
    detect_ns = BFD_MS * BFD_MULT * 10**6
    out.append("")
    out.append("Per trial: wake = the poll return that preceded the verdict; deadline = the "
               "last packet read before the verdict + 30 ms (bfdd re-arms its detection "
               "timer when it reads a packet); waiting = packets of the victim captured "
               "after that read and before the wake-up, so sitting in bfdd's socket when "
               "its timer fired; next read = when bfdd read its next packet, after the "
               "verdict.")
    stats = {"early": 0, "early_waiting": 0, "waiting": 0, "n": 0}
    since_read, wake_late = [], []
    lines = []
    for trial, method, v, down, last in rows:
        if not v or not last:
            continue
        i = bl.bisect_last_le(wakes, v)
        wake = wakes[i] if i >= 0 else None
        j = bl.bisect_last_le(reads, v)
        last_read = reads[j] if j >= 0 else None
        next_read = reads[j + 1] if j + 1 < len(reads) else None
        waiting = 0
        if wake is not None and last_read is not None:
            t = last_read
            while waiting < 50:
                nf = cap.first_after(t, b"in", bfd.vic_ip.encode(), limit_ns=10**9)
                if nf is None or nf > wake:
                    break
                waiting += 1
                t = nf
        lat = (v - last) / 1e6
        stats["n"] += 1
        stats["waiting"] += waiting > 0
        if lat < BFD_MS * BFD_MULT - 1:
            stats["early"] += 1
            stats["early_waiting"] += waiting > 0
        sr = (v - last_read) / 1e6 if last_read else None
        wl = (wake - last_read - detect_ns) / 1e6 if wake and last_read else None
        if sr is not None:
            since_read.append(sr)
        if wl is not None:
            wake_late.append(wl)
        lines.append(f"trial {trial:3d} {method:8s} verdict-last_captured {lat:6.2f} ms  "
                     f"verdict-last_read {bl.fmt(sr, 2):>7s} ms  wake-deadline "
                     f"{bl.fmt(wl, 2):>7s} ms  waiting {waiting}  next read "
                     f"{bl.fmt((next_read - v) / 1e6 if next_read else None, 2):>8s} ms "
                     "after the verdict")
    wake_late.sort()
    since_read.sort()
    out.append(f"Trials analysed: {stats['n']}; with victim packets waiting in bfdd's socket "
               f"when it declared the session down: {stats['waiting']}; of the "
               f"{stats['early']} verdicts < {BFD_MS * BFD_MULT - 1} ms after the last "
               f"captured frame, {stats['early_waiting']} had packets waiting.")
    if since_read:
        out.append(f"verdict - last packet bfdd actually read before it: min {since_read[0]:.2f}, "
                   f"median {bl.pct(since_read, 50):.2f}, max {since_read[-1]:.2f} ms "
                   f"(the detection timer runs from the read, {BFD_MS * BFD_MULT} ms).")
    if wake_late:
        out.append(f"wake-up - deadline: min {wake_late[0]:.2f}, median "
                   f"{bl.pct(wake_late, 50):.2f}, max {wake_late[-1]:.2f} ms.")
    out.append("")
    out += lines
    return out


# ---- 3. false positives -----------------------------------------------------------

def part_falsepos(a, env):
    from hbcluster import Cluster

    class BCluster(Cluster):
        @staticmethod
        def genl(host, dev="eth0"):
            with bl.netns(host):
                return bl.hbgenl.Genl(), socket.if_nametoindex(dev)

    secs = a.fp_seconds
    ival = 1000
    csv = bl.Csv(os.path.join(env.out, "falsepos.csv"),
                 ["impl", "detector", "interval_us", "hosts", "seconds", "load",
                  "false_suspect", "false_dead"])
    env.cleanups.append(csv.close)
    clusters = {}
    for det, prefix in (("fixed", "hbbff"), ("phi", "hbbfp")):
        # Registered before it exists, so a failed set-up is cleaned too.
        names = [f"{prefix}{i}" for i in range(1, 6)] + [f"{prefix}sw"]
        env.ns.names += names
        c = BCluster(5, interval=f"{ival}us", fall=FALL, rise=RISE, prefix=prefix)
        clusters[det] = c
        if det == "phi":
            for h in c.hosts:
                n = bl.Node(h)
                n.set(detector=hbgenl_c("HEARTBEAT_DETECTOR_PHI"),
                      phi_threshold=PHI_THRESHOLD * 1000)
                n.close()
    # hbuserd hosts on a bridge of their own.
    uhosts = [f"hbbfu{i}" for i in range(1, 6)]
    usw = "hbbfusw"
    env.ns.add(usw, *uhosts)
    bl.ip_batch(["link add br0 type bridge", "link set br0 up"], usw)
    bl.ip_batch([f"link add eth0 netns {h} type veth peer name port{i} netns {usw}"
                 for i, h in enumerate(uhosts, 1)])
    bl.ip_batch([f"link set port{i} master br0 up" for i in range(1, 6)], usw)
    for h in uhosts:
        bl.ip_batch(["link set eth0 up"], h)
    tmp = "/tmp/hbbench-falsepos"
    os.makedirs(tmp, exist_ok=True)
    tails = {}
    for i, h in enumerate(uhosts, 1):
        path = f"{tmp}/events-{h}.csv"
        tails[h] = bl.Tail(path)
        env.procs.start([bl.HBUSERD, "-i", "eth0", "-n", i, "-I", ival, "-f", FALL, "-r", RISE,
                         "--event-log", path], ns=h)
    events = {det: [bl.Events(h) for h in c.hosts] for det, c in clusters.items()}
    for evs in events.values():
        for e in evs:
            env.cleanups.append(e.close)

    def module_alive(c):
        for i, h in enumerate(c.hosts, 1):
            n = bl.Node(h)
            st = {k: v["state"] for k, v in n.peers().items()}
            n.close()
            if st != {j: "alive" for j in range(1, 6) if j != i}:
                return False
        return True

    ulines = {h: [] for h in uhosts}

    def user_poll():
        for h, t in tails.items():
            ulines[h] += [line.split(",") for line in t.lines()]

    def user_alive():
        user_poll()
        for h in uhosts:
            st = {}
            for f in ulines[h]:
                if len(f) == 4:
                    st[f[1]] = f[3]
            if len(st) < 4 or any(s != "alive" for s in st.values()):
                return False
        return True
    for det, c in clusters.items():
        if not bl.wait_for(lambda: module_alive(c), 20, 0.5):
            log(f"falsepos: the module {det} cluster did not converge in 20 s; counting anyway")
    if not bl.wait_for(user_alive, 20, 0.2):
        log("falsepos: the hbuserd cluster did not converge in 20 s; counting anyway")
    load = env.procs.start(["stress-ng", "--cpu", NPROC, "--quiet"])
    t0 = time.time_ns()
    log(f"falsepos: 3 clusters of 5 hosts at {ival} us, stress-ng --cpu {NPROC}, {secs} s")
    end = time.monotonic() + secs
    while time.monotonic() < end:
        time.sleep(min(5, max(0, end - time.monotonic())))
        for evs in events.values():
            for e in evs:
                e.poll()
        user_poll()
    t1 = time.time_ns()
    stop_all(env, [load])
    for det, evs in events.items():
        counts = {"suspect": 0, "dead": 0}
        for e in evs:
            for ev in e.find(after=t0, before=t1):
                if ev["state"] in counts:
                    counts[ev["state"]] += 1
        lost = sum(e.lost for e in evs)
        stats = []
        for h in clusters[det].hosts:
            n = bl.Node(h)
            stats.append(n.stats())
            n.close()
        deferred = sum(s["deferred"] for s in stats)
        csv.row(impl="module", detector=det, interval_us=ival, hosts=5, seconds=secs,
                load="hog_per_vcpu", false_suspect=counts["suspect"], false_dead=counts["dead"])
        log(f"falsepos module {det}: {counts['suspect']} false suspect, {counts['dead']} false "
            f"dead in {secs} s; {deferred} verdicts deferred after local stalls"
            + (f"; WARNING: {lost} event overflows, counts are low" if lost else ""))
    user_poll()
    counts = {"suspect": 0, "dead": 0}
    for h in uhosts:
        for f in ulines[h]:
            if len(f) == 4 and t0 < int(f[0]) <= t1 and f[3] in counts:
                counts[f[3]] += 1
    csv.row(impl="userspace", detector="fixed", interval_us=ival, hosts=5, seconds=secs,
            load="hog_per_vcpu", false_suspect=counts["suspect"], false_dead=counts["dead"])
    log(f"falsepos userspace fixed: {counts['suspect']} false suspect, {counts['dead']} false "
        f"dead in {secs} s")
    for c in clusters.values():
        c.close()


# ---- 4. scale -----------------------------------------------------------------------------

def part_scale(a, env):
    steps = (64, 128) if a.quick else (64, 128, 256, 512, 1024, 2048, 4096)
    step_s = 2 if a.quick else 10
    ival = 10000
    first_id = 1000
    csv = bl.Csv(os.path.join(env.out, "scale.csv"),
                 ["peers", "interval_us", "seconds", "frames_sent", "gen_lag_p99_ms",
                  "rx_frames", "drops", "softirq_pct", "slab_kb_per_peer", "false_transitions",
                  "held"])
    env.cleanups.append(csv.close)
    rcv, gen = "hbb-sr", "hbb-sg"
    env.ns.add(rcv, gen)
    bl.veth(rcv, gen)
    node = bl.Node(rcv)
    env.cleanups.append(node.close)
    node.set(id=1, cluster=1, interval_us=ival, fall=FALL, rise=RISE, max_peers=4096,
             learn_rate=0, learn=1)
    node.link_add()
    events = bl.Events(rcv, rcvbuf=64 << 20)
    env.cleanups.append(events.close)
    time.sleep(0.5)
    slab0 = bl.sunreclaim_kb()
    failed_in_row = 0
    for n in steps:
        events.poll()
        before = node.stats()
        g = env.procs.start([bl.HBGEN, "-i", "eth0", "-N", n, "-I", ival, "-t", 3600,
                             "--first-id", first_id], ns=gen, stdout=subprocess.PIPE)
        t_gen = time.monotonic()

        def learned():
            peers = node.peers()
            alive = sum(1 for i, p in peers.items() if first_id <= i < first_id + n
                        and p["state"] == "alive")
            return alive if alive >= n else None
        ok = bl.wait_for(learned, 10 if not a.quick else 5, 0.25)
        if not ok:
            peers = node.peers()
            log(f"scale {n}: only {sum(1 for p in peers.values() if p['state'] == 'alive')} "
                f"of {n} peers alive after {time.monotonic() - t_gen:.1f} s")
        learn_s = time.monotonic() - t_gen
        events.poll()
        t1 = time.time_ns()
        cpu1 = bl.proc_stat_cpu()
        time.sleep(step_s)
        t2 = time.time_ns()
        cpu2 = bl.proc_stat_cpu()
        slab = bl.sunreclaim_kb()
        env.procs.stop(g, signal.SIGTERM, timeout=20)
        run_s = time.monotonic() - t_gen
        summary = bl.json_summary(g.stdout.read())
        time.sleep(0.2)
        after = node.stats()
        false = [e for e in events.find(after=t1, before=t2)
                 if first_id <= e["id"] < first_id + n and e["state"] in ("suspect", "dead")]
        soft = 100.0 * (cpu2[0] - cpu1[0]) / max(1, cpu2[1] - cpu1[1])
        lag = summary.get("lag_p99_ns")
        lag_ms = lag / 1e6 if lag is not None else None
        held = int(bool(ok) and not false and lag is not None and lag < ival * 1000
                   and not events.lost)
        rx = after["rx"] - before["rx"]
        drops = after["drops"] - before["drops"]
        reasons = {k: after["drop_reasons"].get(k, 0) - before["drop_reasons"].get(k, 0)
                   for k in after["drop_reasons"]}
        csv.row(peers=n, interval_us=ival, seconds=round(run_s, 1),
                frames_sent=summary.get("frames"), gen_lag_p99_ms=lag_ms, rx_frames=rx,
                drops=drops, softirq_pct=soft, slab_kb_per_peer=(slab - slab0) / n,
                false_transitions=len(false), held=held)
        log(f"scale {n} peers: learned in {learn_s:.1f} s, sent {summary.get('frames')}, "
            f"received {rx}, drops {drops} "
            f"{ {k: v for k, v in reasons.items() if v} }, gen lag p99 {bl.fmt(lag_ms, 2)} ms, "
            f"softirq {soft:.1f}%, slab {(slab - slab0) / n:.2f} kB/peer, "
            f"{len(false)} false transitions over {step_s} s -> "
            + ("held" if held else "NOT held")
            + (f"; {events.lost} event overflows" if events.lost else ""))
        # Forget the emulated peers: each step starts clean.
        ids = [i for i in node.peers() if i != 1]
        node.peer_del(ids)
        events.poll()
        failed_in_row = 0 if held else failed_in_row + 1
        if failed_in_row >= 2:
            log(f"scale: two steps in a row not held; stopping at {n} peers")
            break


# ---- main -------------------------------------------------------------------------------

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
        return m.group(1).strip() if m else platform.processor()
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--parts", default=",".join(PARTS))
    ap.add_argument("--quick", action="store_true", help="a smoke run of every part")
    ap.add_argument("--trials", type=int)
    ap.add_argument("--fp-seconds", type=float)
    ap.add_argument("--precision-seconds", type=float)
    a = ap.parse_args()
    parts = [p for p in a.parts.split(",") if p]
    for p in parts:
        if p not in PARTS:
            ap.error(f"unknown part {p}")
    if a.trials is None:
        a.trials = 3 if a.quick else 100
    if a.fp_seconds is None:
        a.fp_seconds = 5 if a.quick else 600
    if a.precision_seconds is None:
        a.precision_seconds = 3 if a.quick else 20
    if a.fp_seconds == int(a.fp_seconds):
        a.fp_seconds = int(a.fp_seconds)
    os.makedirs(os.path.join(a.out, "raw"), exist_ok=True)
    for tool in (bl.HBUSERD, bl.HBGEN, bl.HBCAP):
        if not os.access(tool, os.X_OK):
            sys.exit(f"bench.py: {tool} not built (make -C tools/bench)")

    # A SIGTERM (the VM's timeout, run-bench interrupted) unwinds like Ctrl-C.
    def on_term(sig, frame):
        raise KeyboardInterrupt(f"signal {sig}")
    signal.signal(signal.SIGTERM, on_term)
    meta = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "kernel": platform.release(),
            "cpu": f"{cpu_model()}, {NPROC} vCPUs", "nproc": NPROC,
            "accel": os.environ.get("HB_BENCH_ACCEL", "tcg"), "parts": parts, "seconds": {},
            "command": os.environ.get("HB_BENCH_COMMAND",
                                      " ".join(["/usr/bin/python3"] + sys.argv)),
            "options": {"quick": a.quick, "trials": a.trials, "fp_seconds": a.fp_seconds,
                        "precision_seconds": a.precision_seconds}}

    def write_meta():
        with open(os.path.join(a.out, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
    write_meta()
    funcs = {"precision": part_precision, "detection": part_detection,
             "falsepos": part_falsepos, "scale": part_scale}
    t_all = time.monotonic()
    failed = []
    for part in parts:
        t = time.monotonic()
        log(f"part {part}: start")
        env = Env(a.out)
        try:
            funcs[part](a, env)
        except KeyboardInterrupt:
            log(f"part {part}: interrupted")
            env.close()
            raise
        except Exception as e:
            failed.append(part)
            traceback.print_exc(file=sys.stdout)
            log(f"part {part}: FAILED: {e}")
        finally:
            env.close()
        meta["seconds"][part] = round(time.monotonic() - t, 1)
        write_meta()
        log(f"part {part}: done in {meta['seconds'][part]:.0f} s")
    log(f"all parts in {time.monotonic() - t_all:.0f} s"
        + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
