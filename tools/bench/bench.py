#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The benchmark driver, run inside the test VM (or on a host with the
module loaded) as root, by tools/bench/run-bench:

    /usr/bin/python3 tools/bench/bench.py --out DIR
        [--parts precision,detection,falsepos,scale,partition,lastwords]
        [--quick] [--trials N] [--fp-seconds S] [--precision-seconds S]
        [--partition-trials N] [--lastwords-trials N]
    /usr/bin/python3 tools/bench/bench.py --selected-parts [OPTIONS]

Parts, each writing one CSV into DIR (raw data under DIR/raw):
  precision  send lateness and receiver jitter, module against hbuserd,
             idle and under three CPU loads            -> precision.csv
  detection  verdict - last frame received, over many cuts, module (fixed,
             phi), hbuserd and FRR bfdd                 -> detection.csv
  falsepos   false suspect/dead transitions of 5-host clusters under a CPU
             hog per vCPU                              -> falsepos.csv
  scale      one receiver against N emulated peers       -> scale.csv
  partition  a 3|2 split of five configured members: the majority's
             consensus dead (quorum on) against the local dead (quorum
             off), from the victims' last frames            -> partition.csv
and DIR/meta.json. The part lastwords (a peer's panic with and without
last words) needs a kernel per host: run-bench runs it on the host,
tools/bench/lastwords.py, and bench.py accepts its name and option only to
skip them. --selected-parts prints the parts the options choose, one a
line, for run-bench. Progress lines start with "# ". A figure that could not
be measured is left empty, and a progress line says why.
"""
import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402
from benchlib import log  # noqa: E402

PARTS = ("precision", "detection", "falsepos", "scale", "partition")
HOST_PARTS = ("lastwords",)	# run-bench's, on the host
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


def start_hogs(env, n, cgroup=None):
    """n CPU hogs (stress-ng --cpu n), returned once all n are running. A
    load that did not start is an error, never a phase measured idle:
    stress-ng aborts, for one, where its working directory is read-only
    (the tree, in the VM), hence --temp-path."""
    p = env.procs.start(["stress-ng", "--cpu", n, "--temp-path", "/tmp", "--quiet"],
                        cgroup=cgroup, stderr=subprocess.PIPE)
    # The parent and its n workers, in p's process group.
    if not bl.wait_for(lambda: p.poll() is not None or
                       bl.group_members(p.pid, "stress-ng") >= n + 1, 60, 0.2) \
            or p.poll() is not None:
        err = p.stderr.read().strip() if p.poll() is not None else "still starting after 60 s"
        env.procs.stop(p)
        raise RuntimeError(f"stress-ng --cpu {n} did not start: {err}")
    return p


def start_load(env, load, cg=None):
    """The CPU load of a combination: a list of processes to stop after."""
    if load == "idle":
        return []
    if load == "hog_per_vcpu":
        return [start_hogs(env, NPROC)]
    if load == "hogs_64":
        return [start_hogs(env, 64)]
    if load == "throttled":
        return [start_hogs(env, 1, cgroup=cg)]
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


def trace_lines(tr, events):
    """(time_ns, event, rest of line) of the trace buffer's lines of the
    named events, in order."""
    rx = re.compile(rf"\s(\d+)\.(\d+): ({'|'.join(events)}): (.*)")
    with open(f"{tr}/trace") as f:
        for line in f:
            m = rx.search(line)
            if m:
                yield (int(m.group(1)) * 10**9 + int(m.group(2).ljust(9, "0")[:9]),
                       m.group(3), m.group(4))


def read_tx_trace(tr, t0_mono, t1_mono, netns=None):
    """(scheduled, late_ns) of the heartbeat_tx events in the trace buffer
    with trace (CLOCK_MONOTONIC) time in [t0, t1], of one namespace if
    netns is given; scheduled = the event's time - late_ns, the timer
    expiry it served."""
    sends = []
    rx_late = re.compile(r"late_ns=(\d+)")
    rx_ns = re.compile(r"netns=(\d+)")
    for ts, _, rest in trace_lines(tr, ["heartbeat_tx"]):
        m = rx_late.search(rest)
        n = rx_ns.search(rest)
        if netns is not None and (not n or int(n.group(1)) != netns):
            continue
        if m and t0_mono <= ts <= t1_mono:
            late = int(m.group(1))
            sends.append((ts - late, late))
    return sends


def read_wake_to_run(tr, pid, t0_mono, t1_mono):
    """Scheduler delay of pid: from each sched_wakeup that found it asleep
    to the sched_switch that ran it (ns), for wake-ups in [t0, t1]."""
    out, woke, running = [], None, False
    rx_next = re.compile(rf"next_pid={pid}\b")
    for ts, event, rest in trace_lines(tr, ["sched_wakeup", "sched_switch"]):
        if event == "sched_wakeup":
            if not running and t0_mono <= ts <= t1_mono:
                woke = ts
        elif rx_next.search(rest):
            running = True
            if woke is not None:
                out.append(ts - woke)
            woke = None
        else:			# pid switched out
            running = False
    return out


# The throttled cgroup's cpu.stat fields in precision-load.csv.
CG_KEYS = ("usage_usec", "nr_periods", "nr_throttled", "throttled_usec")


def cpu_stat(cg):
    """A cgroup's cpu.stat as a dict of ints."""
    try:
        with open(f"{cg}/cpu.stat") as f:
            return {k: int(v) for k, v in (line.split() for line in f if line.strip())}
    except (OSError, ValueError):
        return {}


def busy_pct(b0, b1):
    """Busy share of the machine between two proc_stat_busy() readings."""
    return 100 * (b1[0] - b0[0]) / max(1, b1[1] - b0[1])


def cgroup_tasks(cg):
    """What runs in a cgroup: "pid comm state utime+stime (ticks)" of each
    of its threads, to tell a load that ran from one that did not."""
    out = []
    try:
        pids = open(f"{cg}/cgroup.threads").read().split()
    except OSError:
        return "?"
    for pid in pids:
        st = bl.pid_stat(pid)
        if st:
            comm, f = st
            out.append(f"{pid} {comm} {f[0]} {f[11]}+{f[12]}")
    return ", ".join(out) or "none"


def slot_lateness(sends, interval_ns):
    """Lateness of every scheduled send, from (scheduled, late_ns) of the
    frames that went out. Both senders send once per wake-up however many
    periods passed (hrtimer_forward, a timerfd's expiration count), so a
    period skipped has no frame of its own: it is counted late until the
    next frame went out, rather than left out (which would flatter a
    sender that falls behind). Returns (lateness list, periods skipped)."""
    out, skipped, prev = [], 0, None
    for sched, late in sorted(sends):
        missed = 0
        if prev is not None:
            missed = max(0, round((sched - prev) / interval_ns) - 1)
        out.append(late)
        out.extend(late + j * interval_ns for j in range(1, missed + 1))
        skipped += missed
        prev = sched
    return out, skipped


def part_precision(a, env):
    secs = a.precision_seconds
    intervals = a.precision_intervals
    loads = ("idle", "hog_per_vcpu", "hogs_64", "throttled")
    csv = bl.Csv(os.path.join(env.out, "precision.csv"),
                 ["impl", "interval_us", "load", "metric", "n", "skipped", "p50_us", "p99_us",
                  "p999_us", "max_us"])
    env.cleanups.append(csv.close)
    load_csv = bl.Csv(os.path.join(env.out, "precision-load.csv"),
                      ["interval_us", "load", "busy_pct"] + [f"cg_{k}" for k in CG_KEYS])
    env.cleanups.append(load_csv.close)
    ms, mr, us, ur = "hbb-pms", "hbb-pmr", "hbb-pus", "hbb-pur"
    env.ns.add(ms, mr, us, ur)
    bl.veth(ms, mr)
    bl.veth(us, ur)
    node = bl.Node(ms)
    env.cleanups.append(node.close)
    node.set(id=1, cluster=1, interval_us=intervals[0])
    # --tx-compare CONTEXT: a second module sender whose link sends from
    # CONTEXT, while the first one's sends from a tasklet, side by side.
    senders = {"module": (ms, mr, node)}
    if a.tx_compare:
        ts_, tr_ = "hbb-pts", "hbb-ptr"
        env.ns.add(ts_, tr_)
        bl.veth(ts_, tr_)
        node2 = bl.Node(ts_)
        env.cleanups.append(node2.close)
        node2.set(id=3, cluster=1, interval_us=intervals[0])
        senders[f"module-{a.tx_compare}"] = (ts_, tr_, node2)

    # Tracepoints are switched on and off only where the code they patch is
    # not running (see bl.BOOT_EVENTS): heartbeat_tx before the link sends
    # and after it is gone, the scheduler's at boot in the VM. Between
    # phases the filters let nothing through.
    tr = bl.tracefs()
    env.cleanups.append(bl.TraceSettings().restore)
    ev = f"{tr}/events/heartbeat/heartbeat_tx"
    bl.tw(f"{tr}/tracing_on", 0)
    bl.tw(f"{tr}/trace_clock", "mono")
    bl.tw(f"{tr}/buffer_size_kb", 16384)
    bl.tw(f"{ev}/filter", " || ".join(f"netns == {bl.netns_inode(n)}"
                                      for n, _, _ in senders.values()))
    bl.quiet_boot_events()
    enabled = [e for e in bl.BOOT_EVENTS if bl.enable_event(e)]
    bl.tw(f"{ev}/enable", 1)

    def untrace():
        for n, _, _ in senders.values():
            subprocess.run(["ip", "-n", n, "link", "del", "eth0"], stderr=subprocess.DEVNULL)
        bl.tw(f"{ev}/enable", 0)
        bl.tw(f"{ev}/filter", 0)
        bl.quiet_boot_events()
        for e in enabled:
            bl.tw(f"{bl.event_dir(e)}/enable", 0)
        bl.tw(f"{tr}/trace", "")
    env.cleanups.append(untrace)
    if a.tx_compare:
        param = "/sys/module/heartbeat/parameters/tx_context"
        with open(param) as f:
            saved = f.read().strip()
        bl.tw(param, "tasklet")
        node.link_add()
        bl.tw(param, a.tx_compare)
        senders[f"module-{a.tx_compare}"][2].link_add()
        bl.tw(param, saved)
    else:
        node.link_add()
    cg = bl.cgroup("hbbench-throttled", "20000 100000")
    env.cleanups.append(lambda: bl.cgroup_remove(cg))
    tmp = "/tmp/hbbench-precision"
    os.makedirs(tmp, exist_ok=True)

    for ival in intervals:
        for _, _, n in senders.values():
            n.set(interval_us=ival)
        for load in loads:
            label = f"{ival // 1000} ms, {load}"
            loadp = start_load(env, load, cg)
            time.sleep(0.2 if load == "idle" else 0.5 if a.quick else 1.0)
            caps = {}
            for impl, ns in [(i, r) for i, (_, r, _) in senders.items()] + [("userspace", ur)]:
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
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # Under load it takes seconds to start; its start is not measured.
            bl.wait_ready(ud, timeout=120)
            cg_before, tasks_before = cpu_stat(cg), cgroup_tasks(cg)
            bl.tw(f"{tr}/trace", "")
            # The baseline's scheduler delay, to tell it from its timer's.
            bl.tw(f"{tr}/events/sched/sched_wakeup/filter", f"pid == {ud.pid}")
            bl.tw(f"{tr}/events/sched/sched_switch/filter",
                  f"next_pid == {ud.pid} || prev_pid == {ud.pid}")
            bl.tw(f"{tr}/tracing_on", 1)
            t0m, t0r, busy0 = time.monotonic_ns(), time.time_ns(), bl.proc_stat_busy()
            time.sleep(secs)
            t1m, t1r, busy1 = time.monotonic_ns(), time.time_ns(), bl.proc_stat_busy()
            bl.tw(f"{tr}/tracing_on", 0)
            bl.quiet_boot_events()
            env.procs.stop(ud, signal.SIGTERM, timeout=10)
            summary = bl.json_summary(ud.stdout.read())
            for p, _ in caps.values():
                env.procs.stop(p, signal.SIGTERM, timeout=10)
            cg_after, tasks_after = cpu_stat(cg), cgroup_tasks(cg)
            for p in loadp:
                if p.poll() is not None:
                    raise RuntimeError(f"precision {label}: stress-ng stopped during the "
                                       f"phase: {p.stderr.read().strip()}")
            stop_all(env, loadp)
            busy = busy_pct(busy0, busy1)

            samples, skipped = {}, {}
            sends = {impl: read_tx_trace(tr, t0m + WARMUP_NS, t1m, bl.netns_inode(n))
                     for impl, (n, _, _) in senders.items()}
            sends["userspace"] = []
            with open(sendlog) as f:
                for line in f:
                    sched, _, lt = line.strip().partition(",")
                    if lt and t0m + WARMUP_NS <= int(sched) <= t1m:
                        sends["userspace"].append((int(sched), int(lt)))
            samples[("userspace", "wake_to_run")] = read_wake_to_run(
                tr, ud.pid, t0m + WARMUP_NS, t1m)
            skipped[("userspace", "wake_to_run")] = 0
            for impl, sl in sends.items():
                samples[(impl, "send_late")], skipped[(impl, "send_late")] = \
                    slot_lateness(sl, ival * 1000)
            node_of = {"module": 1, "userspace": 2, "module-timer": 3, "module-thread": 3}
            for impl, (_, path) in caps.items():
                samples[(impl, "recv_jitter")], skipped[(impl, "recv_jitter")] = \
                    jitter_from_capture(path, node_of[impl], ival, t0r + WARMUP_NS, t1r)
            line = []
            for (impl, metric), vals in sorted(samples.items()):
                write_raw(os.path.join(env.raw, f"precision-{impl}-{ival}-{load}-{metric}.txt"),
                          vals)
                n, p50, p99, p999, mx = summarize_ns(vals)
                csv.row(impl=impl, interval_us=ival, load=load, metric=metric, n=n,
                        skipped=skipped[(impl, metric)], p50_us=p50, p99_us=p99, p999_us=p999, max_us=mx)
                if not n:
                    log(f"precision {label}: no {impl} {metric} samples")
                line.append(f"{'m' + impl[7] if impl.startswith('module-') else impl[0]}.{metric} p99 {bl.fmt(p99)}")
            # How loaded the machine was, how much the throttled cgroup was
            # actually throttled and what ran in it.
            cgd = {k: cg_after.get(k, 0) - cg_before.get(k, 0) for k in cg_after}
            load_csv.row(interval_us=ival, load=load, busy_pct=f"{busy:.1f}",
                         **{f"cg_{k}": cgd.get(k, 0) for k in CG_KEYS})
            with open(os.path.join(env.raw, "precision-cgroup-tasks.txt"), "a") as f:
                f.write(f"{ival} us, {load}:\n  at start: {tasks_before}\n"
                        f"  at end: {tasks_after}\n")
            if load == "throttled":
                log(f"precision {label}: the cgroup ran {cgd.get('usage_usec', 0) / 1e6:.2f} s "
                    f"of CPU, was throttled in {cgd.get('nr_throttled', 0)} of "
                    f"{cgd.get('nr_periods', 0)} periods, {cgd.get('throttled_usec', 0) / 1e6:.2f} "
                    "s in all")
            expected = (t1m - t0m - WARMUP_NS) // (ival * 1000)
            log(f"precision {label}: machine busy {busy:.0f} %; " + ", ".join(line)
                + f" us; expected ~{expected} sends; "
                f"periods m.send {len(samples[('module', 'send_late')])} "
                f"u.send {len(samples[('userspace', 'send_late')])}, skipped "
                f"m {skipped[('module', 'send_late')]} u {skipped[('userspace', 'send_late')]}; "
                f"capture gaps m {skipped[('module', 'recv_jitter')]} "
                f"u {skipped[('userspace', 'recv_jitter')]}; hbuserd missed "
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
                        r"(\w[\w-]*) -> (\w[\w-]*)(?: reason:(\S+))?")
BFD_READY_NS = 300 * 10**6	# up this long: past the switch to the fast timers


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
            self.zebra_start()
        args = [bl.HBCAP, "-i", "eth0", "-o", self.cap_path] + (["--bfd"] if self.impl == "bfdd"
                                                                 else [])
        self.cap = env.procs.start(args, ns=self.obs, stderr=subprocess.PIPE)

    # -- FRR bfdd --
    def zebra_start(self):
        """Configuration files, then zebra in both namespaces (bfdd_start()
        follows once zebra is up: they start slowly, so the other pairs are
        set up meanwhile)."""
        self.frr = {}
        for ns, peer in ((self.obs, self.vic_ip), (self.vic, self.obs_ip)):
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
            os.makedirs(f"/run/frr/{ns}", exist_ok=True)
            subprocess.run(["chown", "-R", "frr:frr", d, "/run/frr"], check=True)
            self.frr[ns] = d
        self.frr_start("zebra")

    def frr_start(self, daemon):
        for ns, d in self.frr.items():
            self.env.procs.start([f"/usr/lib/frr/{daemon}", "-N", ns, "-f", f"{d}/{daemon}.conf",
                                  "-i", f"{d}/{daemon}.pid", "-P", "0"], ns=ns,
                                 stdout=open(f"{d}/{daemon}.out", "w"), stderr=subprocess.STDOUT)

    def bfdd_start(self):
        if not bl.wait_for(lambda: all(os.path.exists(f"/run/frr/{ns}/zserv.api")
                                       for ns in self.frr), 30, 0.1):
            raise RuntimeError("zebra did not start: " + " ".join(
                open(f"{d}/zebra.out").read() for d in self.frr.values()))
        self.frr_start("bfdd")
        self.tail = bl.Tail(f"{self.frr[self.obs]}/bfdd.log")
        if not bl.wait_for(self.bfdd_pid, 30, 0.1):
            raise RuntimeError("bfdd did not start: " + open(
                f"{self.frr[self.obs]}/bfdd.out").read())

    def bfdd_pid(self):
        try:
            return int(open(f"{self.frr[self.obs]}/bfdd.pid").read())
        except (OSError, ValueError):
            return None

    # -- verdicts --
    def poll(self):
        """Take in what the observer said about the victim since the last
        call: transitions (time_ns, state, prev, reason), state "alive" or
        "dead" as the module names them (for bfdd: up, and up -> down)."""
        if self.impl == "module":
            for e in self.events.poll():
                if e["id"] == 2:
                    self.transitions.append((e["time_ns"], e["state"], e["prev"], ""))
        elif self.impl == "userspace":
            for line in self.tail.lines():
                f = line.split(",")
                if len(f) == 4 and f[1] == "2":
                    self.transitions.append((int(f[0]), f[3], f[2], ""))
        else:
            for line in self.tail.lines():
                m = BFD_LOG_RE.match(line)
                if m:
                    prev, new = m.group(2), m.group(3)
                    state = ("alive" if new == "up" else
                             "dead" if prev == "up" and new in ("down", "admin-down") else new)
                    self.transitions.append((bl.local_log_time_ns(m.group(1)), state, prev,
                                             m.group(4) or ""))

    def first(self, state, after):
        for t, s, _, _ in self.transitions:
            if s == state and t > after:
                return t
        return None

    def verdict(self, after):
        """The time of the first verdict "dead" after the cut, or None, and
        why there is none."""
        before = [x for x in self.transitions if x[0] <= after]
        if before and before[-1][1] == "dead":
            return None, "declared dead before the cut (a false verdict)"
        for t, s, prev, reason in self.transitions:
            if s == "dead" and t > after:
                if self.impl == "bfdd" and reason != "control-expired":
                    # Not the observer's detection: the victim timed out on
                    # its own and said so before the cut.
                    return None, f"observer went down by {reason}"
                return t, ""
        return None, "no verdict"

    def ready(self, now):
        """Alive now; a BFD session up long enough to run its fast timers."""
        if not self.transitions or self.transitions[-1][1] != "alive":
            return False
        return self.impl != "bfdd" or now - self.transitions[-1][0] >= BFD_READY_NS


def hbgenl_c(name):
    return bl.hbgenl.C[name]


def bfd_syscall_trace(pid, enable):
    """Trace bfdd's packet reads, wake-ups and writes (syscall tracepoints,
    filtered to its threads) to see in what order its event loop handles a
    wake-up."""
    tr = bl.tracefs()
    events = ["sys_enter_recvmsg", "sys_exit_recvmsg", "sys_exit_poll", "sys_exit_ppoll",
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
                  "last_frame_ns", "verdict_ns", "latency_ms", "bound_ms", "deferred",
                  "no_verdict"])
    env.cleanups.append(csv.close)
    notes_path = os.path.join(env.raw, "bfd-notes.txt")
    notes = []

    def write_notes():
        with open(notes_path, "w") as f:
            f.write("\n".join(notes) + "\n")
    env.cleanups.append(write_notes)
    # netem's module, loaded now rather than at the first cut.
    subprocess.run(["modprobe", "sch_netem"], stderr=subprocess.DEVNULL)

    pairs = []
    for idx, (config, impl, detector, ival) in enumerate(DET_CONFIGS, 1):
        if impl == "bfdd" and not os.path.exists("/usr/lib/frr/bfdd"):
            notes.append("FRR bfdd is not installed (/usr/lib/frr/bfdd): bfdd-10ms skipped.")
            log(notes[-1])
            continue
        pairs.append(Pair(env, idx, config, impl, detector, ival, sw, tmp))
    # bfdd's pair first: FRR is the slowest to come up.
    pairs.sort(key=lambda p: p.impl != "bfdd")

    def drop_bfd(p, why):
        notes.append(f"FRR bfdd: {why}; bfdd-10ms skipped. Logs: {p.tmp}")
        log(notes[-1])
        pairs.remove(p)
    for p in list(pairs):
        try:
            p.start()
        except Exception as e:
            if p.impl != "bfdd":
                raise
            drop_bfd(p, f"could not be started: {e}")
    t_started = time.monotonic()
    for p in pairs:
        bl.wait_ready(p.cap, timeout=30)
    log(f"detection: {len(pairs)} pairs and their captures started")
    bfd = next((p for p in pairs if p.impl == "bfdd"), None)
    traced = []
    clock_offset = None
    if bfd:
        try:
            bfd.bfdd_start()
        except Exception as e:
            drop_bfd(bfd, f"could not be started: {e}")
            bfd = None
    if bfd:
        # Its system calls from the start: how its event loop handles each
        # wake-up (bfd_analysis()).
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
            drop_bfd(p, "the session never came up within 30 s")
            bfd = None
        else:
            raise RuntimeError(f"{p.config}: the victim never became alive")
    log("detection: every pair alive")
    # Phi: let the windows fill (100 samples), then take the bound from them.
    time.sleep(max(0, t_started + 1.5 - time.monotonic()))
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

    log(f"detection: {len(pairs)} configurations up: " + ", ".join(p.config for p in pairs)
        + f"; {trials} trials")
    records = []
    t_part = time.monotonic()
    for trial in range(trials):
        method = "netem" if trial % 2 == 0 else "linkdown"
        # Every pair up (a BFD session up for a while) before the cut.
        wait_ready = time.monotonic() + 5
        while True:
            for p in pairs:
                p.poll()
            unready = [p for p in pairs if not p.ready(time.time_ns())]
            if not unready or time.monotonic() > wait_ready:
                break
            time.sleep(0.02)
        # The module's verdicts put off after a local stall (its deadline
        # timer more than half an interval late), counted per trial.
        modules = [p for p in pairs if p.impl == "module"]
        deferred0 = {p.config: p.node.stats()["deferred"] for p in modules}
        # Phi's bound from the observer's window as it is at this cut.
        bounds = {}
        for p in modules:
            if p.detector == "phi":
                peer = p.node.peers().get(2, {})
                if peer.get("mean_us"):
                    bounds[p.config] = phi_crossing_ms(PHI_THRESHOLD, peer["mean_us"],
                                                       peer.get("stddev_us") or 0)
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
        verdicts, why = {}, {}
        for p in pairs:
            if p in unready and p.impl == "bfdd":
                verdicts[p.config], why[p.config] = None, "session not up at the cut"
            else:
                verdicts[p.config], why[p.config] = p.verdict(t_cut)
        deferred = {p.config: p.node.stats()["deferred"] - deferred0[p.config]
                    for p in modules}
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
        records.append((trial, method, t_cut, t_restore, verdicts, why, deferred, bounds))
        missing = [f"{c}: {why[c]}" for c, v in verdicts.items() if v is None]
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
    for trial, method, t_cut, t_restore, verdicts, why, deferred, bounds in records:
        for p in pairs:
            cap = caps[p.config]
            v = verdicts[p.config]
            last = cap.last_before(v if v else t_restore, b"in", p.who,
                                   after=t_cut - 5 * 10**9)
            latency = (v - last) / 1e6 if v and last else None
            if latency is not None:
                lat[p.config].append(latency)
            bound = bounds.get(p.config, p.bound_ms)
            csv.row(config=p.config, impl=p.impl, detector=p.detector, interval_us=p.ival,
                    trial=trial, method=method, last_frame_ns=last, verdict_ns=v,
                    latency_ms=None if latency is None else round(latency, 3),
                    bound_ms=None if bound is None else round(bound, 3),
                    deferred=deferred.get(p.config),
                    no_verdict="" if v else why.get(p.config, "no verdict"))
            if p.impl == "bfdd":
                down = cap.first_after(v - 200 * 10**6, b"out", p.obs_ip.encode(),
                                       b"1") if v else None
                crosscheck.append((trial, v, down, last))
    for p in pairs:
        s = sorted(lat[p.config])
        if s:
            log(f"detection {p.config}: {len(s)}/{trials} verdicts, latency min {s[0]:.2f} "
                f"median {bl.pct(s, 50):.2f} p99 {bl.pct(s, 99):.2f} max {s[-1]:.2f} ms "
                f"(bound at set-up {bl.fmt(p.bound_ms, 2)} ms)")
        else:
            log(f"detection {p.config}: no latency measured")
    if bfd:
        with open(os.path.join(env.raw, "bfd-crosscheck.csv"), "w") as f:
            f.write("trial,log_verdict_ns,first_down_tx_ns,last_rx_ns\n")
            for row in crosscheck:
                f.write(",".join(bl.fmt(x) for x in row) + "\n")
        try:
            notes += bfd_analysis(bfd, records, caps[bfd.config], crosscheck, traced,
                                  clock_offset, env.raw)
        except Exception as e:
            traceback.print_exc(file=sys.stdout)
            notes.append(f"The analysis of bfdd's verdicts failed: {e}")
        for ns, d in bfd.frr.items():
            role = "observer" if ns == bfd.obs else "victim"
            for name in ("bfdd.log", "bfdd.out", "zebra.out"):
                if os.path.exists(f"{d}/{name}"):
                    shutil.copy(f"{d}/{name}", os.path.join(env.raw, f"bfd-{role}-{name}"))
        shutil.copy(bfd.cap_path, os.path.join(env.raw, "bfd-capture.csv"))
    for c in caps.values():
        c.close()
    write_notes()
    log(f"detection: BFD notes in {notes_path}")


def read_syscall_trace(offset):
    """bfdd's traced system calls: (time_ns, tid, name, "enter"|"exit", ret,
    args), the trace's CLOCK_MONOTONIC (trace_clock mono) moved to
    CLOCK_REALTIME."""
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
            evs.append((ts, int(m.group(2)), m.group(5), "exit" if ret is not None else "enter",
                        int(ret, 0) if ret is not None else None, m.group(6) or ""))
    evs.sort()
    return evs


def udp_port_fds(pid, port):
    """The file descriptors of pid's UDP sockets bound to port."""
    inodes = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            m = re.match(r"socket:\[(\d+)\]", os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if m:
            inodes[m.group(1)] = int(fd)
    fds = set()
    for table in ("udp", "udp6"):
        try:
            lines = open(f"/proc/{pid}/net/{table}").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if int(f[1].rsplit(":", 1)[1], 16) == port and f[9] in inodes:
                fds.add(inodes[f[9]])
    return fds


def bfd_analysis(bfd, records, cap, crosscheck, traced, offset, raw):
    """Why bfdd's verdicts may come sooner than 30 ms after the last frame
    captured: every up -> down of the observer (the cuts' and those that
    happened by themselves) against what its event loop did."""
    detect_ms = BFD_MS * BFD_MULT
    vic = bfd.vic_ip.encode()
    version = subprocess.run(["/usr/lib/frr/bfdd", "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
    out = [f"FRR bfdd ({version}) as a detection baseline: {BFD_MS} ms x {BFD_MULT}, "
           f"detection time {detect_ms} ms.",
           "Verdict time in detection.csv: the observer bfdd's log line (state-change up -> "
           "down), stamped by FRR in local time with 6 decimals (log timestamp precision 6), "
           f"converted with the VM's time zone ({time.strftime('%Z')}, UTC offset "
           f"{-time.timezone} s) to CLOCK_REALTIME, the clock of hbcap's SO_TIMESTAMPNS "
           "stamps and of the trace below.", ""]

    why = {}
    for r in records:
        if r[4].get(bfd.config) is None:
            w = r[5].get(bfd.config, "")
            why[w] = why.get(w, 0) + 1
    ok = sum(1 for r in records if r[4].get(bfd.config) is not None)
    out.append(f"Trials: {len(records)}; with a bfdd verdict in detection.csv: {ok}"
               + ("; without: " + ", ".join(f"{n} {w}" for w, n in why.items()) if why else "")
               + ". A verdict counts only if the session had been up 300 ms at the cut and "
               "the observer went down by control-expired (its own detection timer); "
               "neighbor-down means the victim had timed out on its own and said so.")
    downs = sorted((d - v) / 1e6 for _, v, d, _ in crosscheck if v and d)
    if downs:
        out.append(f"Cross-check (bfd-crosscheck.csv): the observer's first Down packet on the "
                   f"wire (hbcap --bfd, dir out) left {-bl.pct(downs, 50):.2f} ms before the "
                   f"log stamp (median; {-downs[-1]:.2f} to {-downs[0]:.2f} ms): bfdd sends "
                   "Down, notifies zebra, then logs (ptm_bfd_sess_dn()), so the log stamp is "
                   "late by that much, never early.")
    out.append("")
    insert_at = len(out)

    evs = read_syscall_trace(offset) if traced and offset is not None else []
    pid = bfd.bfdd_pid()
    fds = udp_port_fds(pid, 3784) if pid else set()
    if evs:
        with open(os.path.join(raw, "bfd-syscalls.txt"), "w") as f:
            f.write("time_ns,tid,syscall,kind,ret,args\n")
            for e in evs:
                f.write(",".join("" if x is None else str(x) for x in e[:5]) + f",{e[5]}\n")
    # Reads of BFD control packets (24 bytes without authentication) from
    # the port-3784 socket: a recvmsg exit paired with its entry's fd.
    reads, wakes, entry = [], [], {}
    for ts, tid, name, kind, ret, args in evs:
        if name == "sys_recvmsg" and kind == "enter":
            m = re.match(r"fd: ([0-9a-f]+)", args)
            entry[tid] = int(m.group(1), 16) if m else None
        elif name == "sys_recvmsg" and kind == "exit":
            fd = entry.pop(tid, None)
            if ret == 24 and (fd in fds or not fds):
                reads.append(ts)
        elif kind == "exit" and name in ("sys_poll", "sys_ppoll", "sys_epoll_wait",
                                         "sys_epoll_pwait"):
            wakes.append(ts)
    trace_from = evs[0][0] if evs else None
    if evs:
        out.append(f"Syscall trace of the observer's bfdd ({', '.join(traced)}; its threads "
                   f"only): {len(evs)} events, {len(reads)} reads of 24-byte packets from its "
                   f"port-3784 socket{'s' if len(fds) > 1 else ''} (fd "
                   f"{', '.join(map(str, sorted(fds))) or 'unknown: every 24-byte read counted'}"
                   f"), {len(wakes)} returns from its poll.")
    else:
        out.append("No syscall trace of bfdd: the event-loop columns are empty.")
    out.append("")
    out.append("Every up -> down of the observer. decided = its first Down packet on the "
               "wire (else the log stamp); up_for = how long the session had been up; "
               "last_cap = last victim packet captured before the decision (its BFD state in "
               "brackets); last_read = last packet bfdd read from its BFD socket before it "
               "(a valid one re-arms the 30 ms detection timer); wake = the poll return "
               "before the decision; waiting = victim packets captured after last_read and "
               "before the wake-up: in bfdd's socket, unread, when it declared the session "
               "down; next_read = when it read its next packet.")
    windows = [(r[2], r[3]) for r in records]
    ups = [t for t in bfd.transitions if t[1] == "dead"]
    table, groups = [], {}
    for t, _, prev, reason in ups:
        d = cap.first_after(t - 50 * 10**6, b"out", bfd.obs_ip.encode(), b"1",
                            limit_ns=50 * 10**6)
        dec = d if d and d <= t else t
        cut = next((i for i, (a, b) in enumerate(windows) if a <= dec <= b), None)
        up_at = [x for x, st, _, _ in bfd.transitions if st == "alive" and x < dec]
        up_for = (dec - up_at[-1]) / 1e6 if up_at else None
        if cut is not None:
            kind = "cut"
        elif up_for is not None and up_for < 1000:
            kind = "spont<1s-up"
        else:
            kind = "spontaneous"
        last = cap.last_before(dec, b"in", vic, after=dec - 5 * 10**9)
        state = None
        if last:
            for f in cap.lines_near(last):
                if int(f[0]) == last and f[1] == b"in" and f[2] == vic:
                    state = f[3].decode()
        row = {"t": dec, "log": (t - dec) / 1e6, "kind": kind, "reason": reason, "cut": cut,
               "up_for": up_for, "lat": (dec - last) / 1e6 if last else None, "state": state,
               "read": None, "wake_late": None, "waiting": None, "next": None}
        if evs and dec > trace_from:
            i = bl.bisect_last_le(wakes, dec)
            j = bl.bisect_last_le(reads, dec)
            if i >= 0 and j >= 0:
                wake, lr = wakes[i], reads[j]
                row["read"] = (dec - lr) / 1e6
                row["wake_late"] = (wake - lr) / 1e6 - detect_ms
                n, x = 0, lr
                while n < 50:
                    nf = cap.first_after(x, b"in", vic, limit_ns=10**9)
                    if nf is None or nf > wake:
                        break
                    n, x = n + 1, nf
                row["waiting"] = n
                if j + 1 < len(reads):
                    row["next"] = (reads[j + 1] - dec) / 1e6
        table.append(row)
        groups.setdefault((kind, reason), []).append(row)
    for (kind, reason), rows in sorted(groups.items()):
        lats = sorted(r["lat"] for r in rows if r["lat"] is not None)
        early = [r for r in rows if r["lat"] is not None and r["lat"] < detect_ms - 1]
        traced_rows = [r for r in rows if r["waiting"] is not None]
        reads_ = sorted(r["read"] for r in traced_rows)
        out.append(f"{kind}, {reason or '?'}: {len(rows)} verdicts; decided - last_cap median "
                   f"{bl.fmt(bl.pct(lats, 50), 2)} ms (min {bl.fmt(lats[0] if lats else None, 2)}"
                   f", max {bl.fmt(lats[-1] if lats else None, 2)}), {len(early)} under "
                   f"{detect_ms - 1} ms; traced {len(traced_rows)}: "
                   f"{sum(1 for r in traced_rows if r['waiting'])} with victim packets waiting "
                   f"unread ({sum(1 for r in early if r['waiting'])} of the early ones); "
                   f"decided - last_read min {bl.fmt(reads_[0] if reads_ else None, 2)}, median "
                   f"{bl.fmt(bl.pct(reads_, 50), 2)} ms.")
    spont = [r for r in table if r["kind"] != "cut"]
    up_since = next((x for x, st, _, _ in bfd.transitions if st == "alive"), None)
    last_restore = windows[-1][1] if windows else None
    if up_since and last_restore:
        span = (last_restore - up_since) / 1e9 - sum((b - a) for a, b in windows) / 1e9
        out.append(f"Spontaneous downs (nobody cut): {len(spont)} in {span:.0f} s outside the "
                   f"cuts, {60 * len(spont) / max(span, 1e-9):.1f} a minute, "
                   f"{sum(1 for r in spont if r['kind'] == 'spont<1s-up')} of them less than "
                   "1 s after the session came up.")

    # The finding, from the numbers above.
    early = [r for r in table if r["lat"] is not None and r["lat"] < detect_ms - 1]
    exp = [r for r in early if r["reason"] == "control-expired"]
    exp_tr = [r for r in exp if r["waiting"] is not None]
    exp_wait = [r for r in exp_tr if r["waiting"]]
    nd = [r for r in early if r["reason"] == "neighbor-down"]
    nxt = sorted(r["next"] for r in exp_wait if r["next"] is not None)
    rd = sorted(r["read"] for r in exp_wait)
    finding = [f"FINDING: {len(early)} of {len(table)} up -> down decisions came less than "
               f"{detect_ms - 1} ms after the last packet captured from the victim "
               f"({sum(1 for r in early if r['kind'] == 'cut')} of them in a cut)."]
    if exp:
        finding.append(
            f"{len(exp)} were bfdd's own detection (control-expired); {len(exp_tr)} of them "
            f"traced, and in {len(exp_wait)} of those the victim's packets were already in "
            "bfdd's socket, unread, when it declared the session down"
            + (f"; it read the next one {bl.pct(nxt, 50):.2f} ms (median) after deciding"
               if nxt else "")
            + (f"; it decided {rd[0]:.2f} ms or more (median {bl.pct(rd, 50):.2f}) after the "
               "last packet it had read" if rd else "")
            + ". A packet re-arms bfdd's detection timer when bfdd reads it, not when it "
            "arrives; after a stall of the emulated vCPU longer than the detection time "
            "FRR's event loop (lib/thread.c thread_fetch(): timers are posted to the ready "
            "queue before the I/O poll() reported) runs the expired timer before it reads "
            "the packets waiting. Measured from the last frame received such a verdict looks "
            "early; from the last frame bfdd processed it is not.")
        other = [r for r in exp_tr if not r["waiting"]]
        if other:
            finding.append(
                f"The other {len(other)} traced early control-expired decisions had no packet "
                "waiting: "
                + ", ".join(f"{r['kind']} (up for {bl.fmt(r['up_for'], 0)} ms, last packet "
                            f"state {r['state']})" for r in other[:8])
                + (" ..." if len(other) > 8 else "")
                + ": queued packets do not explain these (see up_for and the victim's "
                "last state in the table).")
    if nd:
        finding.append(
            f"{len(nd)} were neighbor-down: the victim's bfdd had timed out on its own and "
            "its Down packet was the last frame captured; not the observer's detection.")
    kept = [r for r in exp if r["kind"] == "cut"]
    finding.append("detection.csv keeps a bfdd verdict only when the session had been up "
                   "300 ms at the cut and the reason is control-expired: "
                   f"{len(kept)} of those are under {detect_ms - 1} ms "
                   f"({sum(1 for r in kept if r['waiting'])} with packets waiting). Every "
                   "verdict is in the table below.")
    out[insert_at:insert_at] = finding + [""]
    out.append("")
    for r in table:
        out.append(f"{r['t']} {r['kind']:12s} {r['reason'] or '?':16s} "
                   f"trial {bl.fmt(r['cut']):>3s}  log +{r['log']:.2f} ms  up_for "
                   f"{bl.fmt(r['up_for'], 0):>6s} ms  decided-last_cap {bl.fmt(r['lat'], 2):>8s} "
                   f"ms [{r['state'] or '?'}]  decided-last_read {bl.fmt(r['read'], 2):>8s} ms  "
                   f"wake-deadline {bl.fmt(r['wake_late'], 2):>8s} ms  waiting "
                   f"{bl.fmt(r['waiting']):>2s}  next_read +{bl.fmt(r['next'], 2)} ms")
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
    events = {det: [bl.Events(h, keep=False) for h in c.hosts] for det, c in clusters.items()}
    for evs in events.values():
        for e in evs:
            env.cleanups.append(e.close)

    # Converged: every host has heard every other (all alive at one
    # instant is rare at 1 ms on an emulated CPU, and everything counted
    # later is false anyway).
    def module_alive(c):
        for i, h in enumerate(c.hosts, 1):
            n = bl.Node(h)
            known = set(n.peers())
            n.close()
            if known != {j for j in range(1, 6) if j != i}:
                return False
        return True

    # Counted as they come (at 1 ms under stress there are thousands a
    # second): transitions to suspect and dead within [t0, t1].
    window = [None, None]
    counts = {k: {"suspect": 0, "dead": 0} for k in ("fixed", "phi", "userspace")}
    ustate = {h: {} for h in uhosts}

    def count(kind, t, state):
        if state in ("suspect", "dead") and window[0] is not None and window[0] < t and (
                window[1] is None or t <= window[1]):
            counts[kind][state] += 1

    def poll_all():
        for det, evs in events.items():
            for e in evs:
                for ev in e.poll():
                    count(det, ev["time_ns"], ev["state"])
        for h, t in tails.items():
            for line in t.lines():
                f = line.split(",")
                if len(f) == 4:
                    ustate[h][f[1]] = f[3]
                    count("userspace", int(f[0]), f[3])

    def user_alive():
        poll_all()
        return all(len(st) == 4 for st in ustate.values())
    log("falsepos: clusters set up")
    for det, c in clusters.items():
        if not bl.wait_for(lambda: module_alive(c), 20, 0.5):
            log(f"falsepos: the module {det} cluster did not converge in 20 s; counting anyway")
    if not bl.wait_for(user_alive, 20, 0.2):
        log("falsepos: the hbuserd cluster did not converge in 20 s; counting anyway")
    poll_all()
    log("falsepos: clusters converged")
    load = start_hogs(env, NPROC)
    busy0 = bl.proc_stat_busy()
    window[0] = time.time_ns()
    log(f"falsepos: 3 clusters of 5 hosts at {ival} us, stress-ng --cpu {NPROC}, {secs} s")
    end = time.monotonic() + secs
    while time.monotonic() < end:
        time.sleep(min(1, max(0, end - time.monotonic())))
        poll_all()
    window[1] = time.time_ns()
    busy1 = bl.proc_stat_busy()
    if load.poll() is not None:
        raise RuntimeError(f"stress-ng stopped during the window: {load.stderr.read().strip()}")
    stop_all(env, [load])
    log(f"falsepos: the machine was busy {busy_pct(busy0, busy1):.0f} % of the window")
    poll_all()
    for det, evs in events.items():
        lost = sum(e.lost for e in evs)
        stats = []
        for h in clusters[det].hosts:
            n = bl.Node(h)
            stats.append(n.stats())
            n.close()
        deferred = sum(s["deferred"] for s in stats)
        c = counts[det]
        csv.row(impl="module", detector=det, interval_us=ival, hosts=5, seconds=secs,
                load="hog_per_vcpu", false_suspect=c["suspect"], false_dead=c["dead"])
        log(f"falsepos module {det}: {c['suspect']} false suspect, {c['dead']} false "
            f"dead in {secs} s; {deferred} verdicts deferred after local stalls"
            + (f"; WARNING: {lost} event overflows, counts are low" if lost else ""))
    c = counts["userspace"]
    csv.row(impl="userspace", detector="fixed", interval_us=ival, hosts=5, seconds=secs,
            load="hog_per_vcpu", false_suspect=c["suspect"], false_dead=c["dead"])
    log(f"falsepos userspace fixed: {c['suspect']} false suspect, {c['dead']} false "
        f"dead in {secs} s")
    for c in clusters.values():
        c.close()


# ---- 4. scale -----------------------------------------------------------------------------

# The receiver's slack in the scale part. The generator is a process of the
# emulated VM: its own stalls reach tens of milliseconds now and then (lag
# max), and with the default slack (one interval) each one turns every
# emulated peer suspect at once, which says nothing about the receiver. A
# slack of 100 ms absorbs them, so a false transition here means frames the
# receiver failed to take in time.
SCALE_SLACK_US = 100000


def part_scale(a, env):
    steps = (64, 128) if a.quick else (64, 128, 256, 512, 1024, 2048, 4096)
    step_s = 2 if a.quick else 10
    ival = 10000
    first_id = 1000
    csv = bl.Csv(os.path.join(env.out, "scale.csv"),
                 ["peers", "interval_us", "seconds", "frames_sent", "offered_pct", "gen_lag_p99_ms",
                  "rx_frames", "drops", "softirq_pct", "slab_kb_per_peer", "false_transitions",
                  "held"])
    env.cleanups.append(csv.close)
    rcv, gen = "hbb-sr", "hbb-sg"
    env.ns.add(rcv, gen)
    bl.veth(rcv, gen)
    node = bl.Node(rcv)
    env.cleanups.append(node.close)
    node.set(id=1, cluster=1, interval_us=ival, fall=FALL, rise=RISE, max_peers=4096,
             learn_rate=0, learn=1, slack_us=SCALE_SLACK_US)
    log(f"scale: receiver at {ival} us, fall {FALL}, slack {SCALE_SLACK_US // 1000} ms (the "
        "generator's own stalls would otherwise count), max-peers 4096, learn-rate off")
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
        rx = after["rx"] - before["rx"]
        # Held: every peer learned, none judged falsely, nothing dropped,
        # and the generator offered at least 90 % of n frames an interval
        # (under emulation it falls behind now and then; its lag is shown).
        offered = (summary.get("frames") or 0) / max(1e-9, run_s) / (n * 1e6 / ival)
        drops = after["drops"] - before["drops"]
        held = int(bool(ok) and not false and not drops and not events.lost
                   and offered >= 0.9)
        if false:
            ids = {e["id"] for e in false}
            first = min(e["time_ns"] for e in false)
            log(f"scale {n}: {len(false)} transitions of {len(ids)} peers, the first "
                f"{(first - t1) / 1e6:.0f} ms into the step, the last "
                f"{(max(e['time_ns'] for e in false) - t1) / 1e6:.0f} ms; states "
                f"{sorted({e['state'] for e in false})}")
        reasons = {k: after["drop_reasons"].get(k, 0) - before["drop_reasons"].get(k, 0)
                   for k in after["drop_reasons"]}
        csv.row(peers=n, interval_us=ival, seconds=round(run_s, 1),
                frames_sent=summary.get("frames"), offered_pct=round(100 * offered, 1),
                gen_lag_p99_ms=lag_ms, rx_frames=rx,
                drops=drops, softirq_pct=soft, slab_kb_per_peer=(slab - slab0) / n,
                false_transitions=len(false), held=held)
        lag_max = summary.get("lag_max_ns")
        log(f"scale {n} peers: learned in {learn_s:.1f} s, sent {summary.get('frames')}, "
            f"received {rx}, drops {drops} "
            f"{ {k: v for k, v in reasons.items() if v} }, gen lag p99 {bl.fmt(lag_ms, 2)} ms "
            f"(max {bl.fmt(lag_max / 1e6 if lag_max is not None else None, 1)}), "
            f"softirq {soft:.1f}%, slab {(slab - slab0) / n:.2f} kB/peer, "
            f"offered {offered:.0%} of the nominal rate, "
            f"{len(false)} false transitions over {step_s} s -> "
            + ("held" if held else "NOT held")
            + (f"; {events.lost} event overflows" if events.lost else ""))
        # Forget the emulated peers: each step starts clean.
        ids = [i for i in node.peers() if i != 1]
        node.peer_del(ids)
        events.poll()
        # Stop when the receiver fails twice in a row: a step lost only to the
        # generator's lag (noise of the emulated CPU) does not count.
        receiver_ok = bool(ok) and not false and not drops and not events.lost
        failed_in_row = 0 if receiver_ok else failed_in_row + 1
        if failed_in_row >= 2:
            log(f"scale: the receiver failed two steps in a row; stopping at {n} peers")
            break


# ---- 5. partition -------------------------------------------------------------------

# Five members on a bridge, each configured with the others, as
# selftests/test_partition.py sets them up; hosts 4 and 5 are cut away by
# moving their switch ports to a second bridge. The slack is three
# intervals, as there: with one, the emulated CPU's stalls give false
# verdicts in a healthy five-host cluster.
PART_HOSTS = 5
PART_CUT = (4, 5)
PART_IVAL_US = 10000
PART_FALL = 3
PART_SLACK_US = 3 * PART_IVAL_US


def part_partition(a, env):
    from hbcluster import Capture, Cluster

    class BCluster(Cluster):
        @staticmethod
        def genl(host, dev="eth0"):
            with bl.netns(host):
                return bl.hbgenl.Genl(), socket.if_nametoindex(dev)

    trials = a.partition_trials
    ival, bound_ms = PART_IVAL_US, (PART_FALL * PART_IVAL_US + PART_SLACK_US) / 1000
    csv = bl.Csv(os.path.join(env.out, "partition.csv"),
                 ["mode", "trial", "node", "interval_us", "fall", "slack_us", "bound_ms",
                  "cut_ns", "last_frame_ns", "verdict_ns", "latency_ms", "consensus",
                  "no_verdict"])
    env.cleanups.append(csv.close)
    prefix = "hbbp"
    env.ns.names += [f"{prefix}{i}" for i in range(1, PART_HOSTS + 1)] + [f"{prefix}sw"]
    c = BCluster(PART_HOSTS, interval=f"{ival}us", fall=PART_FALL, rise=RISE,
                 slack=f"{PART_SLACK_US}us", prefix=prefix)
    env.cleanups.append(c.close)
    nodes = {h: bl.Node(h) for h in c.hosts}
    for n in nodes.values():
        env.cleanups.append(n.close)
    members = range(1, PART_HOSTS + 1)
    for i, h in enumerate(c.hosts, 1):
        nodes[h].peer_add([j for j in members if j != i])
    obs = c.hosts[0]
    events = bl.Events(obs)
    env.cleanups.append(events.close)
    cap = Capture(obs)
    env.cleanups.append(cap.stop)

    def all_alive():
        for i, h in enumerate(c.hosts, 1):
            peers = nodes[h].peers()
            if any(peers.get(j, {}).get("state") != "alive" for j in members if j != i):
                return False
        return True

    def quorate(on):
        return all(nodes[h].quorum()["quorate"] == on and
                   (not on or nodes[h].quorum()["votes"] == PART_HOSTS) for h in c.hosts)

    # Turning quorum off can be lost: hb_quorum_set() kicks the view timer,
    # which does nothing while the timer's callback runs, and a callback that
    # counted with the old setting stops on seeing the new one without
    # deciding again, so the node stays quorate with quorum "on" until the
    # next kick. Set again when that happened; counted in the log.
    resets = [0]

    def set_mode(mode):
        on = mode == "quorum"
        for attempt in range(4):
            for n in nodes.values():
                n.quorum_set(PART_HOSTS if on else 0)
            if bl.wait_for(lambda: quorate(on), 2 if attempt < 3 else 10, 0.05):
                return
            stuck = [h for h in c.hosts if nodes[h].quorum()["quorate"] != on]
            resets[0] += 1
            log(f"partition: quorum still {'off' if on else 'on'} 2 s after expected-votes "
                f"{PART_HOSTS if on else 0} on {', '.join(stuck)}; setting it again")
        raise RuntimeError(f"partition: quorum not {'on' if on else 'off'} everywhere")

    if not bl.wait_for(all_alive, 20, 0.1):
        raise RuntimeError("partition: the five members did not converge in 20 s")
    log(f"partition: {PART_HOSTS} members at {ival // 1000} ms, fall {PART_FALL}, slack "
        f"{PART_SLACK_US // 1000} ms (local bound {bound_ms:.0f} ms), gossip at its default; "
        f"{trials} trials with quorum (expected-votes {PART_HOSTS}) and {trials} without, "
        "alternating")
    lat = {"quorum": [], "local": []}
    t_part = time.monotonic()
    for trial in range(2 * trials):
        mode = "quorum" if trial % 2 == 0 else "local"
        set_mode(mode)
        # The reports of every member fresh again after the heal.
        time.sleep(random.uniform(0.3, 0.6))
        with cap.lock:
            cap.items.clear()
        t_cut = time.time_ns()
        bl.ip_batch(["link add br1 type bridge", "link set br1 up"]
                    + [f"link set port{i} master br1" for i in PART_CUT], c.switch)
        t_cut_done = time.time_ns()
        got = bl.wait_for(lambda: len({e["id"] for e in events.find(after=t_cut, state="dead")
                                       if e["id"] in PART_CUT}) == len(PART_CUT), 5, 0.01)
        dead = {}
        for e in events.find(after=t_cut, state="dead"):
            if e["id"] in PART_CUT and e["id"] not in dead:
                dead[e["id"]] = e
        t_heal = time.time_ns()
        bl.ip_batch([f"link set port{i} master br0" for i in PART_CUT] + ["link del br1"],
                    c.switch)
        for node in PART_CUT:
            e = dead.get(node)
            v = e["time_ns"] if e else None
            frames = cap.from_node(node, before=v if v else t_heal)
            last = max((f["ts"] for f in frames), default=None)
            latency = (v - last) / 1e6 if v and last else None
            if latency is not None:
                lat[mode].append(latency)
            why = ""
            if not e:
                why = "no dead event within 5 s"
            elif mode == "quorum" and not e["consensus"]:
                why = "dead without consensus"
            csv.row(mode=mode, trial=trial, node=node, interval_us=ival, fall=PART_FALL,
                    slack_us=PART_SLACK_US, bound_ms=bound_ms, cut_ns=t_cut,
                    last_frame_ns=last, verdict_ns=v,
                    latency_ms=None if latency is None else round(latency, 3),
                    consensus=e["consensus"] if e else None, no_verdict=why)
        ok = bl.wait_for(all_alive, 10, 0.05)
        t_up = time.time_ns()
        log(f"partition trial {trial} {mode}: cut {(t_cut_done - t_cut) / 1e6:.0f} ms, "
            + ", ".join(f"{n}: " + (f"{(dead[n]['time_ns'] - t_cut) / 1e6:.0f} ms after the cut"
                                    + (" (consensus)" if dead[n]["consensus"] else "")
                                    if n in dead else "no verdict") for n in PART_CUT)
            + f"; all alive {(t_up - t_heal) / 1e6:.0f} ms after the heal"
            + ("" if ok else " (NOT: gave up after 10 s)")
            + ("" if got else "; a verdict missing"))
        if not ok:
            raise RuntimeError("partition: the cluster did not heal in 10 s")
    log(f"partition: {2 * trials} trials in {time.monotonic() - t_part:.0f} s")
    for mode, v in lat.items():
        s = sorted(v)
        if s:
            log(f"partition {mode}: {len(s)} verdicts, last frame to dead: median "
                f"{bl.pct(s, 50):.1f} ms, p95 {bl.pct(s, 95):.1f} ms, max {s[-1]:.1f} ms")
    if lat["quorum"] and lat["local"]:
        d = bl.pct(sorted(lat["quorum"]), 50) - bl.pct(sorted(lat["local"]), 50)
        log(f"partition: the consensus came {d:.1f} ms ({d * 1000 / ival:.1f} intervals) "
            "after the local verdict (medians)")
    if resets[0]:
        log(f"partition: quorum had to be set again {resets[0]} times (see set_mode())")
    if events.lost:
        log(f"partition: WARNING: {events.lost} event overflows")


# ---- main -------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out")
    ap.add_argument("--parts", default=",".join(PARTS + HOST_PARTS))
    ap.add_argument("--quick", action="store_true", help="a smoke run of every part")
    ap.add_argument("--trials", type=int)
    ap.add_argument("--fp-seconds", type=float)
    ap.add_argument("--precision-seconds", type=float)
    ap.add_argument("--precision-intervals", default="1000,10000",
                    help="precision: the send intervals measured, µs, comma-separated")
    ap.add_argument("--partition-trials", type=int, help="per mode (default 25, quick 3)")
    ap.add_argument("--lastwords-trials", type=int,
                    help="per path (default 20, quick 1); tools/bench/lastwords.py's")
    ap.add_argument("--tx-context", choices=("auto", "tasklet", "timer", "thread"),
                    help="the module's tx_context parameter for the links the parts add")
    ap.add_argument("--tx-compare", nargs="?", const="timer", choices=("timer", "thread"),
                    help="precision: a second module sender with this tx_context (timer) "
                    "beside the first with tasklet (impl module-CONTEXT)")
    ap.add_argument("--selected-parts", action="store_true",
                    help="print the parts chosen, one a line, and exit")
    ap.add_argument("--boot-events", action="store_true",
                    help="print the trace_event= boot parameter the VM needs and exit")
    if "--boot-events" in sys.argv[1:]:
        print("trace_event=" + ",".join(bl.BOOT_EVENTS))
        return
    a = ap.parse_args()
    parts = [p for p in a.parts.split(",") if p]
    for p in parts:
        if p not in PARTS + HOST_PARTS:
            ap.error(f"unknown part {p}")
    if a.selected_parts:
        print("\n".join(parts))
        return 0
    if not a.out:
        ap.error("--out is required")
    parts = [p for p in parts if p in PARTS]
    if a.trials is None:
        a.trials = 8 if a.quick else 100
    if a.fp_seconds is None:
        a.fp_seconds = 5 if a.quick else 600
    if a.precision_seconds is None:
        a.precision_seconds = 3 if a.quick else 20
    if a.partition_trials is None:
        a.partition_trials = 3 if a.quick else 25
    try:
        a.precision_intervals = tuple(int(v) for v in a.precision_intervals.split(","))
    except ValueError:
        ap.error("--precision-intervals takes microseconds, comma-separated")
    if not a.precision_intervals or min(a.precision_intervals) < 1000:
        ap.error("--precision-intervals: 1000 µs at least (the module's floor)")
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
    bl.quiet_boot_events()
    tx_param = "/sys/module/heartbeat/parameters/tx_context"
    if a.tx_context:
        bl.tw(tx_param, a.tx_context)
    try:
        with open(tx_param) as f:
            tx_context = f.read().strip()
    except OSError:
        tx_context = "tasklet (no tx_context parameter)"
    meta = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "kernel": platform.release(),
            "cpu": f"{bl.cpu_model()}, {NPROC} vCPUs", "nproc": NPROC,
            "tx_context": tx_context,
            "accel": os.environ.get("HB_BENCH_ACCEL", "tcg"), "parts": parts, "seconds": {},
            "command": os.environ.get("HB_BENCH_COMMAND",
                                      " ".join(["/usr/bin/python3"] + sys.argv)),
            "options": {"quick": a.quick, "trials": a.trials, "fp_seconds": a.fp_seconds,
                        "precision_seconds": a.precision_seconds,
                        "partition_trials": a.partition_trials}}

    def write_meta():
        with open(os.path.join(a.out, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
    write_meta()
    funcs = {"precision": part_precision, "detection": part_detection,
             "falsepos": part_falsepos, "scale": part_scale,
             "partition": part_partition}
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
