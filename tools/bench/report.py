#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the CSVs of one make bench run into Documentation/benchmarks/:
README.md (tables, run facts, targets met or not), PNG plots, and the CSVs
themselves.

    report.py DATA_DIR OUT_DIR

DATA_DIR holds what bench.py wrote (meta.json, precision.csv, detection.csv,
falsepos.csv, scale.csv, partition.csv) and cost.sh's cost.csv and
gossip.csv; a part that did not run is
left out of the report. Everything printed comes from those files.
"""
import csv
import json
import math
import os
import shutil
import statistics
import sys

import matplotlib

matplotlib.use("Agg")  # no display: a file is all we want
import matplotlib.pyplot as plt  # noqa: E402

LOADS = ["idle", "hog_per_vcpu", "hogs_64", "throttled"]
LOAD_TITLES = {
    "idle": "idle",
    "hog_per_vcpu": "one hog per vCPU",
    "hogs_64": "64 hogs",
    "throttled": "baseline's cgroup throttled",
}
# Where the issue sets a target: the module's p99 at most a tenth of the
# baseline's.
TARGET_LOADS = ("hogs_64", "throttled")
TARGET_RATIO = 10.0
IMPL_TITLES = {"module": "module (hrtimer)", "userspace": "userspace (timerfd)",
               "bfdd": "FRR bfdd"}


def read_csv(data, name):
    path = os.path.join(data, name)
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(value):
    """A float from a CSV cell; None for an empty one."""
    return float(value) if value not in (None, "") else None


def fmt(value, digits=2):
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def percentile(values, q):
    """Nearest rank, as benchlib.pct: the ceil(q * n)-th smallest, so that
    the p99 of 100 trials is the 99th, not the largest."""
    s = sorted(values)
    if not s:
        return None
    # Rounded first: 0.07 * 100 is 7.000000000000001.
    return s[max(1, math.ceil(round(q * len(s), 9))) - 1]


# --- precision -----------------------------------------------------------

def load_stats(data):
    """{(interval_us, load): row} of precision-load.csv: how busy the
    machine was in each phase and the throttled cgroup's cpu.stat."""
    out = {}
    for r in read_csv(data, "precision-load.csv") or []:
        out[(int(r["interval_us"]), r["load"])] = r
    return out


def tx_context_table(by, intervals):
    """--tx-compare: the module's two senders side by side (tx_context
    tasklet in "module", the other in "module-CONTEXT")."""
    out = []
    for other in ("timer", "thread"):
        trs = []
        for ival in intervals:
            for load in LOADS:
                t = by.get(("module", ival, load, "send_late"))
                o = by.get((f"module-{other}", ival, load, "send_late"))
                if not t or not o:
                    continue
                rr = ratio(num(t["p99_us"]), num(o["p99_us"]))
                trs.append([f"{ival // 1000} ms", LOAD_TITLES[load]] +
                           [fmt(num(r[k])) if k != "skipped" else r[k]
                            for r in (t, o) for k in ("p50_us", "p99_us", "max_us", "skipped")] +
                           [fmt(rr) + "×" if rr is not None else "–"])
        if not trs:
            continue
        out += [f"### Where the module sends from (tx_context): tasklet and {other}",
                "",
                "Two module senders at once, one link sending from a HI tasklet "
                "scheduled by a hard timer (tx_context tasklet, the \"module\" rows "
                f"above), one with tx_context {other}. Send lateness, µs; ratio = "
                f"tasklet ÷ {other} at p99 (above 1: {other} is more punctual).",
                "",
                table(["interval", "load", "tasklet p50", "p99", "max", "skipped",
                       f"{other} p50", "p99", "max", "skipped", "p99 ratio"], trs),
                ""]
    return out


def precision_section(rows, out, notes, data):
    by = {(r["impl"], int(r["interval_us"]), r["load"], r["metric"]): r for r in rows}
    loads = load_stats(data)
    intervals = sorted({k[1] for k in by})
    text = ["## Send precision",
            "",
            "Lateness of every scheduled send (actual − scheduled; the module's "
            "from its `heartbeat_tx` tracepoint, the baseline's from its own "
            "clock) and, at the receiver, inter-arrival time − interval (kernel "
            "receive timestamps). Both senders send once per wake-up however "
            "many periods passed; a period skipped that way has no frame of its "
            "own and counts as late until the next frame went out (\"skipped\": "
            "how many). Both senders ran at the same time under each load. "
            "µs; ratio = baseline ÷ module at p99.",
            ""]
    for metric, title in (("send_late", "send lateness"), ("recv_jitter", "receiver jitter")):
        text.append(f"### {title.capitalize()}")
        text.append("")
        trs = []
        for ival in intervals:
            for load in LOADS:
                m = by.get(("module", ival, load, metric))
                u = by.get(("userspace", ival, load, metric))
                if not m and not u:
                    continue
                cells = [f"{ival // 1000} ms", LOAD_TITLES[load]]
                keys = ("p50_us", "p99_us", "p999_us", "max_us")
                if metric == "send_late":
                    keys += ("skipped",)
                for r in (m, u):
                    cells += [("–" if not r or r.get(k) in (None, "") else
                               r[k] if k == "skipped" else fmt(num(r[k]))) for k in keys]
                rr = ratio(num(u["p99_us"]) if u else None, num(m["p99_us"]) if m else None)
                cells.append(fmt(rr) + "×" if rr is not None else "–")
                trs.append(cells)
                if metric == "send_late" and load in TARGET_LOADS:
                    met = rr is not None and rr >= TARGET_RATIO
                    note = (f"Send precision at {ival // 1000} ms, {LOAD_TITLES[load]}: the "
                            f"module's p99 lateness is {fmt(num(m['p99_us']) if m else None)} µs "
                            f"against the baseline's {fmt(num(u['p99_us']) if u else None)} µs, "
                            f"a ratio of {fmt(rr)}: target (≥ {TARGET_RATIO:.0f}×) "
                            f"**{'met' if met else 'not met'}**.")
                    w = by.get(("userspace", ival, load, "wake_to_run"))
                    if not met and w and u and num(w["p99_us"]) is not None:
                        wp99, up99 = num(w["p99_us"]), num(u["p99_us"]) or 0
                        note += (f" Measured: the baseline's scheduler delay (sched_wakeup → "
                                 f"sched_switch) had a p99 of {fmt(wp99)} µs and it skipped "
                                 f"{u.get('skipped') or 0} periods")
                        if wp99 < up99 / 2:
                            note += (": the scheduler ran it promptly under this load"
                                     + (" (a sleeping task that wakes is preferred over the "
                                        "hogs)" if load != "throttled" else "")
                                     + ", so most of both senders' lateness is the timer "
                                     "delivery of the emulated CPU they share.")
                        else:
                            note += ": scheduler delay is most of its lateness."
                    ld = loads.get((ival, load))
                    if load == "throttled" and ld:
                        note += (f" The baseline's cgroup was throttled in "
                                 f"{ld['cg_nr_throttled']} of its {ld['cg_nr_periods']} "
                                 f"periods of 100 ms, {int(ld['cg_throttled_usec']) / 1e6:.1f} s "
                                 f"in all (cpu.stat).")
                    notes.append(note)
        extra = ["skipped"] if metric == "send_late" else []
        text.append(table(["interval", "load",
                           "module p50", "p99", "p99.9", "max"] + extra +
                          ["baseline p50", "p99", "p99.9", "max"] + extra + ["p99 ratio"], trs))
        text.append("")
    text += tx_context_table(by, intervals)
    lrs = [[f"{ival // 1000} ms", LOAD_TITLES[load], fmt(num(ld["busy_pct"]), 0)] +
           ([f"{int(ld['cg_usage_usec']) / 1e6:.1f}",
             f"{ld['cg_nr_throttled']} / {ld['cg_nr_periods']}"] if load == "throttled"
            else ["–", "–"])
           for ival in intervals for load in LOADS
           for ld in [loads.get((ival, load))] if ld]
    if lrs:
        text += ["### The loads",
                 "",
                 "How busy the machine was during each phase (/proc/stat: all "
                 "but idle and iowait, both vCPUs) and, for the throttled load, "
                 "the CPU its cgroup used and the periods in which it was "
                 "throttled (cpu.stat; 20 ms per 100 ms).",
                 "",
                 table(["interval", "load", "machine busy %", "cgroup CPU (s)",
                        "throttled periods"], lrs),
                 ""]
    wrs = []
    for ival in intervals:
        for load in LOADS:
            w = by.get(("userspace", ival, load, "wake_to_run"))
            if w:
                wrs.append([f"{ival // 1000} ms", LOAD_TITLES[load], w["n"]] +
                           [fmt(num(w[k])) for k in ("p50_us", "p99_us", "p999_us", "max_us")])
    if wrs:
        text += ["### The baseline's scheduler delay",
                 "",
                 "From each `sched_wakeup` of the baseline daemon (its timerfd "
                 "firing) to the `sched_switch` that ran it, in the same runs: "
                 "how much of its lateness the scheduler added. µs.",
                 "",
                 table(["interval", "load", "wake-ups", "p50", "p99", "p99.9", "max"], wrs),
                 ""]
    # One plot: p99 send lateness per load, per interval, both senders.
    fig, axes = plt.subplots(1, len(intervals), figsize=(5 * max(1, len(intervals)), 4),
                             squeeze=False)
    for ax, ival in zip(axes[0], intervals):
        xs = range(len(LOADS))
        for i, impl in enumerate(("module", "userspace")):
            vals = []
            for load in LOADS:
                r = by.get((impl, ival, load, "send_late"))
                vals.append(max(num(r["p99_us"]) or 0.1, 0.1) if r else 0.1)
            ax.bar([x + (i - 0.5) * 0.4 for x in xs], vals, width=0.4, label=IMPL_TITLES[impl])
        ax.set_yscale("log")
        ax.set_xticks(list(xs))
        ax.set_xticklabels([LOAD_TITLES[load] for load in LOADS], rotation=15, fontsize=8)
        ax.set_ylabel("p99 send lateness (µs, log)")
        ax.set_title(f"interval {ival // 1000} ms")
        ax.legend(fontsize=8)
    fig.suptitle("Send lateness p99 (TCG emulated CPU)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "precision.png"), dpi=100)
    plt.close(fig)
    text.append("![p99 send lateness](precision.png)")
    text.append("")
    return text


# --- detection -----------------------------------------------------------

def detection_section(rows, out, notes):
    configs = {}
    for r in rows:
        configs.setdefault(r["config"], []).append(r)
    text = ["## Detection latency",
            "",
            "Each trial cuts every victim at once (netem 100 % loss or link "
            "down, alternating); latency = the verdict's own timestamp − the "
            "kernel receive timestamp of the last frame the observer got from "
            "the victim. Bound: interval × fall + slack (one interval) for the "
            "fixed timeouts, the phi crossing time from the observer's window, "
            "3 × 10 ms for BFD. Each trial is held to its own bound, phi's "
            "computed from the observer's window at that cut (the bound "
            "column is their median). ms.",
            ""]
    trs = []
    medians, overshoot, reasons = {}, {}, {}
    for name, rs in configs.items():
        lats = [num(r["latency_ms"]) for r in rs if num(r["latency_ms"]) is not None]
        bounds = [num(r["bound_ms"]) for r in rs if num(r["bound_ms"]) is not None]
        bound = statistics.median(bounds) if bounds else None
        missing = len(rs) - len(lats)
        med = statistics.median(lats) if lats else None
        medians[name] = med
        # Each trial against its own bound (phi's comes from the window at
        # that cut).
        past = [num(r["latency_ms"]) - num(r["bound_ms"]) for r in rs
                if num(r["latency_ms"]) is not None and num(r["bound_ms"]) is not None]
        within = sum(1 for x in past if x <= 1)
        early = sum(1 for x in past if x < -1)
        over = statistics.median(past) if past else None
        overshoot[name] = over
        dfr = [r.get("deferred") for r in rs if r.get("deferred") not in (None, "")]
        for r in rs:
            if r.get("no_verdict"):
                reasons.setdefault(name, {}).setdefault(r["no_verdict"], 0)
                reasons[name][r["no_verdict"]] += 1
        trs.append([name, len(rs), missing, fmt(bound), fmt(min(lats) if lats else None),
                    fmt(med), fmt(percentile(lats, 0.99)), fmt(max(lats) if lats else None),
                    fmt(over), f"{within}/{len(lats)}", early,
                    sum(1 for d in dfr if int(d)) if dfr else "–"])
    text.append(table(["config", "trials", "no verdict", "bound", "min", "median", "p99", "max",
                       "median past bound", "≤ bound + 1 ms", "< bound − 1 ms",
                       "trials deferred"], trs))
    text += ["",
             "The bounds differ by configuration (the module's fixed timeout "
             "waits fall × interval plus a slack of one interval; BFD waits "
             "3 × interval), so besides the detection times themselves, "
             "median past bound (of latency − bound, per trial) shows how "
             "long after its own bound each "
             "implementation reached its verdict: the cost of the mechanism "
             "rather than of the setting. Trials deferred: trials in which the "
             "module's observer put a verdict off by half an interval because "
             "its own deadline timer fired more than half an interval late (a "
             "local stall, see `kmod/detector.h`)."]
    if reasons:
        text += ["", "Trials without a verdict, and why:", ""]
        text += [f"- {name}: " + "; ".join(f"{n} × {why}" for why, n in sorted(
            rs.items(), key=lambda x: -x[1])) for name, rs in sorted(reasons.items())]
    text.append("")
    # Ratios: ours against each baseline at the same interval.
    rrs = []
    for ours in sorted(configs):
        if not ours.startswith("module-"):
            continue
        ival = ours.rsplit("-", 1)[1]
        for base in sorted(configs):
            if base.startswith("module-") or not base.endswith("-" + ival):
                continue
            rr = ratio(medians.get(ours), medians.get(base))
            # Past-bound ratios only when both are past their bound.
            ro = (ratio(overshoot.get(ours), overshoot.get(base))
                  if (overshoot.get(ours) or 0) > 0 and (overshoot.get(base) or 0) > 0 else None)
            rrs.append([ours, base, fmt(medians.get(ours)), fmt(medians.get(base)), fmt(rr),
                        fmt(overshoot.get(ours)), fmt(overshoot.get(base)), fmt(ro)])
    if rrs:
        text.append("Ours ÷ baseline (same interval, same trials), of the median "
                    "detection time and of the median time past each one's bound:")
        text.append("")
        text.append(table(["ours", "baseline", "ours (ms)", "baseline (ms)", "ratio",
                           "ours past bound", "baseline past bound", "ratio"], rrs))
        text.append("")
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, rs in sorted(configs.items()):
        lats = sorted(num(r["latency_ms"]) for r in rs if num(r["latency_ms"]) is not None)
        if not lats:
            continue
        ys = [(i + 1) / len(lats) for i in range(len(lats))]
        ax.step(lats, ys, where="post", label=name)
    ax.set_xscale("log")
    ax.set_xlabel("verdict − last frame received (ms, log)")
    ax.set_ylabel("fraction of trials")
    ax.set_title("Detection latency, CDF (TCG emulated CPU)")
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "detection.png"), dpi=100)
    plt.close(fig)
    text.append("![detection latency CDF](detection.png)")
    text.append("")
    return text


# --- false positives, scale, cost ------------------------------------------

def falsepos_section(rows):
    trs = [[r["impl"], r["detector"], f"{int(r['interval_us']) // 1000} ms", r["hosts"],
            r["seconds"], r["load"], r["false_suspect"], r["false_dead"]] for r in rows]
    return ["## False positives under stress",
            "",
            "Nobody is cut: every transition to suspect or dead is false.",
            "",
            table(["impl", "detector", "interval", "hosts", "seconds", "load",
                   "false suspect", "false dead"], trs),
            ""]


def scale_section(rows, out, notes):
    trs = []
    best = None
    for r in rows:
        held = r["held"] == "1"
        if held:
            n, ival = int(r["peers"]), int(r["interval_us"])
            rate = n * 1e6 / ival
            if best is None or rate > best[2]:
                best = (n, ival, rate)
        offered = num(r.get("offered_pct"))
        why = []
        if not held:
            if offered is not None and offered < 90:
                why.append(f"generator offered {offered:.0f} %")
            if int(r["drops"] or 0):
                why.append("drops")
            if int(r["false_transitions"] or 0):
                why.append("false transitions")
        trs.append([r["peers"], f"{int(r['interval_us']) / 1000:g} ms", r["frames_sent"],
                    fmt(offered, 0), fmt(num(r["gen_lag_p99_ms"])), r["rx_frames"], r["drops"],
                    fmt(num(r["softirq_pct"]), 1), fmt(num(r["slab_kb_per_peer"])),
                    r["false_transitions"], "yes" if held else "no: " + (", ".join(why) or "?")])
    text = ["## Scale",
            "",
            "A generator (`hbgen`, sendmmsg) emulates N peers at the interval "
            "into one host, whose slack is 100 ms (the generator's own stalls "
            "would otherwise turn every emulated peer suspect at once). Frames "
            "and seconds run from the generator's start to its stop, learning "
            "included; false transitions are counted over 10 s once every peer "
            "was learned. softirq = share of all CPU time in softirq over the "
            "step (whole VM); slab per peer from SUnreclaim; held = every peer "
            "learned, no false transition, no drop, and the generator offered "
            "at least 90 % of the nominal rate (its lag behind its schedule is "
            "shown: the emulated CPU stalls it now and then).",
            "",
            table(["peers", "interval", "frames sent", "offered %", "gen lag p99 (ms)",
                   "received",
                   "drops", "softirq %", "slab kB/peer", "false transitions", "held"], trs),
            ""]
    if best:
        text.append(f"Largest load held with zero false positives: {best[0]} peers × "
                    f"{1e6 / best[1]:g}/s = {best[2]:,.0f} heartbeats/s.")
        text.append("")
        notes.append(f"Scale: {best[0]} peers at {best[1] / 1000:g} ms ({best[2]:,.0f} "
                     "heartbeats/s) held with zero false positives, the receiver's "
                     "slack 100 ms.")
    xs = [int(r["peers"]) for r in rows]
    if xs:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, [num(r["softirq_pct"]) or 0 for r in rows], marker="o", label="softirq %")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("emulated peers")
        ax.set_ylabel("softirq, % of CPU time")
        ax2 = ax.twinx()
        ax2.plot(xs, [num(r["slab_kb_per_peer"]) or 0 for r in rows], marker="s",
                 color="tab:red", label="slab kB/peer")
        ax2.set_ylabel("slab per peer (kB)")
        fig.legend(loc="upper left", fontsize=8)
        ax.set_title("Scale (TCG emulated CPU)")
        fig.tight_layout()
        fig.savefig(os.path.join(out, "scale.png"), dpi=100)
        plt.close(fig)
        text.append("![scale](scale.png)")
        text.append("")
    return text


def partition_section(rows, notes):
    modes = {"quorum": [], "local": []}
    missing = {"quorum": 0, "local": 0}
    trials = {"quorum": set(), "local": set()}
    bound = None
    for r in rows:
        m = r["mode"]
        trials[m].add(r["trial"])
        bound = num(r["bound_ms"])
        v = num(r["latency_ms"])
        if v is None or r["no_verdict"]:
            missing[m] += 1
        else:
            modes[m].append(v)
    ival = int(rows[0]["interval_us"]) / 1000
    trs = []
    for m, title in (("quorum", "consensus `dead`, quorum on (expected-votes 5)"),
                     ("local", "local `dead`, quorum off (the baseline)")):
        s = sorted(modes[m])
        trs.append([title, len(trials[m]), len(s), missing[m], fmt(s[0] if s else None),
                    fmt(statistics.median(s) if s else None), fmt(percentile(s, 0.95)),
                    fmt(s[-1] if s else None)])
    text = ["## Partition: consensus against the local verdict",
            "",
            f"Five configured members at {ival:g} ms, fall {rows[0]['fall']}, slack "
            f"{int(rows[0]['slack_us']) // 1000} ms (local bound {fmt(bound, 0)} ms), gossip at "
            "its default (32 entries a frame); hosts 4 and 5 are cut away by moving their "
            "switch ports to a second bridge, and host 1, on the majority side, is timed: "
            "from the kernel receive timestamp of each victim's last frame (packet socket) "
            "to its `dead` event's own timestamp. Trials alternate quorum on (the `dead` "
            "must be the consensus of 3 of 5) and off (the local detector's `dead`, the "
            "baseline); between trials the cut is healed and every member is alive and, "
            "with quorum, quorate again. Two verdicts a trial.",
            "",
            table(["verdict", "trials", "verdicts", "missing", "min (ms)", "median (ms)",
                   "p95 (ms)", "max (ms)"], trs),
            ""]
    if modes["quorum"] and modes["local"]:
        d = statistics.median(modes["quorum"]) - statistics.median(modes["local"])
        d95 = percentile(modes["quorum"], 0.95) - percentile(modes["local"], 0.95)
        text += [f"The consensus came {d:+.1f} ms ({d / ival:+.2f} intervals) after the "
                 f"local verdict at the median, {d95:+.1f} ms at p95.", ""]
        notes.append(f"Partition: dead by consensus {statistics.median(modes['quorum']):.1f} ms "
                     f"after the last frame (median), the local verdict "
                     f"{statistics.median(modes['local']):.1f} ms: {d:+.1f} ms "
                     f"({d / ival:+.2f} intervals).")
    return text


# What each path's rows measure: (CSV column, title), in the table's order.
LASTWORDS_MEASURES = {
    "dying": [("panic_to_dying_ms", "panic → its DYING frame at the hub"),
              ("dying_to_verdict_ms", "DYING frame at the hub → verdict"),
              ("panic_to_verdict_ms", "panic → verdict")],
    "timeout": [("heartbeat_to_verdict_ms", "last heartbeat at the hub → verdict"),
                ("panic_to_verdict_ms", "panic → verdict")],
}
LASTWORDS_PATHS = {"dying": "DYING (last-words on)", "timeout": "timeout (last-words off)"}


def lastwords_section(rows, meta, notes):
    """The panic part: a table per path and measure over the trials that got
    the path's verdict; the others counted, with why."""
    paths = {p: [r for r in rows if r["path"] == p] for p in LASTWORDS_PATHS}
    good = {p: [r for r in rs if r["ok"] == "1"] for p, rs in paths.items()}
    boots = meta.get("boots", [])
    clock = max((num(r["clock_ms"]) or 0 for r in rows), default=0)
    ival, bound = int(rows[0]["interval_ms"]), int(rows[0]["bound_ms"])
    text = ["## Last words: a peer's panic with and without a DYING frame",
            "",
            f"Guests of `selftests/vm/multivm.py` on the host ({meta.get('host', '?')}; "
            f"{meta.get('accel', 'tcg')}; kernel {meta.get('kernel', '?')}), on one Ethernet "
            "segment through a hub on 127.0.0.1. Guest 1 observes; every other guest panics "
            "once (sysrq c), with last-words on (the DYING path) or off (the timeout path: "
            "the same panic, no DYING frame), the two alternating; "
            f"{meta.get('victims_per_boot', '?')} victims a boot, {len(boots)} "
            f"boot{'s' if len(boots) != 1 else ''}. "
            f"Interval {ival} ms, fall {rows[0]['fall']}, rise {rows[0]['rise']}: the timeout "
            f"says dead {bound} ms after the last heartbeat. Times on the host clock: the "
            "panic (the victim's agent, just before sysrq), the victim's last frame through "
            "the hub, the observer's verdict (its event's own time, mapped over the control "
            "channel; each guest's clock within half its fastest round trip, at worst "
            f"{clock:.1f} ms for the two of a trial together). A trial counts when its "
            "verdict is the path's: dead from alive with last words `panic`, or dead from "
            "suspect without. "
            f"Run on {meta.get('date', '?')} (`{meta.get('command', '?')}`) in "
            f"{meta.get('seconds', 0):.0f} s; load average "
            f"{meta.get('loadavg_start', '?')} at the start, {meta.get('loadavg_end', '?')} at "
            "the end. ms.",
            ""]
    trs = []
    for p, measures in LASTWORDS_MEASURES.items():
        for col, title in measures:
            s = sorted(num(r[col]) for r in good[p] if num(r[col]) is not None)
            trs.append([LASTWORDS_PATHS[p], title, f"{len(s)}/{len(paths[p])}",
                        fmt(s[0] if s else None), fmt(statistics.median(s) if s else None),
                        fmt(percentile(s, 0.95)), fmt(s[-1] if s else None)])
    text += [table(["path", "measure", "trials", "min", "median", "p95", "max"], trs), ""]
    wrong = [r for rs in paths.values() for r in rs if r["ok"] != "1"]
    if wrong:
        text += ["Trials without the path's verdict:", ""]
        text += [f"- trial {r['trial']} ({r['path']}, node {r['victim']}): {r['why']}"
                 + (f"; dead {fmt(num(r['panic_to_verdict_ms']))} ms after the panic"
                    if r["verdict_ns"] else "") for r in wrong]
        text.append("")
    med = {p: statistics.median(num(r["panic_to_verdict_ms"]) for r in good[p])
           for p in paths if good[p]}
    if len(med) == 2:
        line = (f"Last words: a peer's panic known {fmt(med['dying'])} ms after it with the "
                f"DYING frame against {fmt(med['timeout'])} ms by the timeout (medians; "
                f"interval {ival} ms, fall {rows[0]['fall']}; {len(good['dying'])} and "
                f"{len(good['timeout'])} trials)")
        lost = len(paths["dying"]) - len(good["dying"])
        line += (f"; {lost} of {len(paths['dying'])} panics with last-words on gave no "
                 "last-words verdict." if lost else ".")
        text += [line, ""]
        notes.append(line)
    return text


def gossip_section(rows):
    # Both rows of a configuration carry its per-heartbeat figure.
    per = {}
    size = {}
    for r in rows:
        key = (int(r["members"]), r["side"], int(r["gossip"]))
        per[key] = num(r["instructions_per_heartbeat"])
        size[key] = r
    members = sorted({k[0] for k in per})
    trs = []
    for m in members:
        rx0, rx1 = per.get((m, "rx", 0)), per.get((m, "rx", 32))
        tx0, tx1 = per.get((m, "tx", 0)), per.get((m, "tx", 32))
        trs.append([m, fmt(rx0, 0), fmt(rx1, 0), fmt(ratio(rx1, rx0), 1),
                    fmt(tx0, 0), fmt(tx1, 0), fmt(ratio(tx1, tx0), 1)])
    srs = []
    for m in members:
        r = size.get((m, "tx", 32))
        if not r:
            continue
        hdr, late, gos = int(r["header_bytes"]), int(r["late_bytes"]), int(r["gossip_bytes"])
        echo, auth = int(r["echo_bytes_auth"]), int(r["auth_bytes"])
        plain = hdr + late + gos
        signed = plain + echo + auth
        entries = (gos - 8) // 20 if gos else 0
        srs.append([m, entries, hdr, late, gos, plain, echo, auth, signed,
                    1024 - signed, 1500 - signed])
    return ["## Gossip overhead",
            "",
            "Instructions per heartbeat counted by callgrind in `hbcost` (`cost.sh -G`: "
            "the difference between 2N and N frames over N), one node and members − 1 "
            "peers, fixed detector. Received: decode, identity, detector, and with gossip "
            "32 the merge of the GOSSIP TLV as `hb_gossip_merge()` does it, each entry "
            "through `hb_view_heard_ns()` and `hb_view_report()` (kmod/view.c) into the "
            "subject peer's view; every sender counts as a configured member. Sent: the "
            "header and LATE TLV, and with gossip the view walked as `hb_peers_gossip()` "
            "walks it (in id order from where the last frame stopped) and encoded with "
            "`hb_gossip_put()`. Gossip 0 is the baseline, same tool. Not counted: locks, "
            "RCU, the clock read, socket buffers; the re-judgement of a peer already dead "
            "(never in this steady state).",
            "",
            table(["members", "rx, gossip 0", "rx, gossip 32", "rx ×", "tx, gossip 0",
                   "tx, gossip 32", "tx ×"], trs),
            "",
            "Bytes per frame as the module builds it at gossip 32 (entries: "
            "min(32, members − 1)); with authentication on it adds an ECHO TLV of up to "
            "8 peers and the AUTH TLV. Margin: to the module's cap of 1,024 bytes "
            "(HB_MSG_MAX) and to a 1,500-byte MTU.",
            "",
            table(["members", "entries", "header", "LATE", "GOSSIP", "frame", "+ECHO",
                   "+AUTH", "signed frame", "margin to 1024", "margin to MTU 1500"], srs),
            ""]


def cost_section(rows):
    # cost.sh gives each config's N and 2N runs: the 2N row is the table's.
    last = {}
    for r in rows:
        if r["config"] not in last or int(r["frames"]) > int(last[r["config"]]["frames"]):
            last[r["config"]] = r
    trs = [[r["config"], r["frames"], r["instructions"], fmt(num(r["instructions_per_heartbeat"]), 0)]
           for r in last.values()]
    return ["## Cost per heartbeat",
            "",
            "Instructions per received heartbeat through the module's own codec "
            "and detector code built for the host (`hbcost` under valgrind "
            "`--tool=callgrind`: the difference between 2N and N frames, so "
            "set-up cancels). Repeatable: not emulated, not timed.",
            "",
            table(["config", "frames", "instructions", "per heartbeat"], trs),
            ""]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    meta = {}
    if os.path.exists(os.path.join(data, "meta.json")):
        with open(os.path.join(data, "meta.json")) as f:
            meta = json.load(f)
    # The lastwords part runs on the host, not in the VM: its own facts. A
    # run of it alone has no meta.json.
    lwmeta = {}
    if os.path.exists(os.path.join(data, "lastwords.json")):
        with open(os.path.join(data, "lastwords.json")) as f:
            lwmeta = json.load(f)
        meta.setdefault("date", lwmeta.get("date"))
        meta.setdefault("command", lwmeta.get("command"))
        meta.setdefault("seconds", {})["lastwords"] = lwmeta.get("seconds", 0)
    notes = []
    body = []
    parts = [("precision.csv", lambda r: precision_section(r, out, notes, data)),
             ("detection.csv", lambda r: detection_section(r, out, notes)),
             ("falsepos.csv", falsepos_section),
             ("scale.csv", lambda r: scale_section(r, out, notes)),
             ("partition.csv", lambda r: partition_section(r, notes)),
             ("lastwords.csv", lambda r: lastwords_section(r, lwmeta, notes)),
             ("cost.csv", cost_section),
             ("gossip.csv", gossip_section)]
    for name, section in parts:
        rows = read_csv(data, name)
        if rows:
            body += section(rows)
            shutil.copy(os.path.join(data, name), os.path.join(out, name))
    if os.path.exists(os.path.join(data, "precision-load.csv")):
        shutil.copy(os.path.join(data, "precision-load.csv"), out)
    head = ["# Benchmarks",
            "",
            "Generated by `make bench` (tools/bench/run-bench); do not edit by hand.",
            ""]
    facts = [("date", meta.get("date")), ("kernel", meta.get("kernel")),
             ("module tx_context", meta.get("tx_context")),
             ("CPU", meta.get("cpu")), ("execution", meta.get("accel")),
             ("command", f"`{meta['command']}`" if meta.get("command") else None),
             ("parts (s)", ", ".join(f"{k} {v:.0f}" for k, v in meta.get("seconds", {}).items())
              if meta.get("seconds") else None)]
    head += [f"- **{k}**: {v}" for k, v in facts if v]
    head.append("")
    if meta.get("accel", "").startswith("tcg"):
        head += ["Every in-VM figure comes from an emulated CPU (QEMU TCG) on a "
                 "shared two-core host: absolute times are the emulator's. Nothing "
                 "here was measured on real hardware, so whether the ratios to the "
                 "baselines hold there is not known (expectations, not measurements: "
                 "Documentation/benchmarks.rst, \"Reading the numbers\").", ""]
    if notes:
        head += ["## Summary", ""] + [f"- {n}" for n in notes] + [""]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(head + body).rstrip() + "\n")
    print(f"report: wrote {out}/README.md and {len(body) and 'its plots'}")


if __name__ == "__main__":
    main()
