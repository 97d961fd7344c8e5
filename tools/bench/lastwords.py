#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench's last-words part (issue 16), run on the host by run-bench:
how soon a peer's verdict follows a panic with last words (a DYING frame
from the panic notifier) and without (the timeout), in one run.

    lastwords.py --out DIR [--quick] [--lastwords-trials N] [BENCH.PY OPTIONS]

Guests of selftests/vm/multivm.py (TCG, 1 vCPU, 512 MiB each) on one hub:
node 1 observes, the others are victims, each panicked once (sysrq c) with
last-words on (the DYING path) or off (the timeout path: the same panic,
no DYING frame), at interval 100 ms, fall 3, rise 2. A panicked guest is
gone, so a boot has VICTIMS victims and the part boots as often as the
trials need; the two paths alternate within each boot, so both see the
same load. N trials a path (default 20; --quick: 1, one boot of two).

Per trial, on the host clock: the panic (the victim's agent, just before
sysrq), the victim's last frame through the hub (its DYING frame, or its
last heartbeat) and the observer's verdict (its event's own time_ns,
mapped over the control channel), and whether the verdict is the path's:
dead from alive with last words "panic", or dead from suspect without. A
trial without it is a result, in the CSV and the report, not a failure of
the part.

Writes DIR/lastwords.csv (a row per trial) and DIR/lastwords.json (date,
settings, wall time); the guests' logs go to DIR/raw/lastwords/bootB/gI.
run-bench passes BENCH_ARGS whole: bench.py's other options are ignored.
Exit status 1 if a guest's run failed (a splat, a kernel log missing).
"""
import argparse
import json
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402
from benchlib import log  # noqa: E402

sys.path.insert(0, os.path.join(bl.HB_TOP, "selftests/vm"))
from multivm import HBCTL, Multi  # noqa: E402

INTERVAL_MS = 100
FALL = 3
RISE = 2
# Silence the timeout path waits out: fall intervals, then the default
# slack of one interval.
BOUND_MS = (FALL + 1) * INTERVAL_MS
# Victims a boot. Each guest costs a boot of its own whatever the packing
# (nine at once were up in 70 to 77 s on the two shared cores): more a boot
# only saves observers. Even, so that each boot gives both paths as many
# trials.
VICTIMS = 8
MSG_DYING = 6		# kmod/proto.h
VERDICT_TIMEOUT = 10	# s; the timeout path's verdict is due in 0.4
PATHS = ("dying", "timeout")
COLUMNS = ["boot", "trial", "path", "victim", "interval_ms", "fall", "rise", "bound_ms",
           "panic_ns", "last_frame_ns", "last_frame_type", "suspect_ns", "verdict_ns",
           "prev", "last_words", "dying_to_verdict_ms", "heartbeat_to_verdict_ms",
           "panic_to_verdict_ms", "panic_to_dying_ms", "clock_ms", "guest_exit", "ok", "why"]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def ms(a, b):
    return None if a is None or b is None else round((b - a) / 1e6, 3)


def verdict_error(path, ev, frame_type):
    """Why ev is not the path's verdict, or "" if it is; no commas (a CSV
    cell)."""
    if ev is None:
        return f"no dead event within {VERDICT_TIMEOUT} s"
    said = f"dead from {ev['prev']}" + (f" with last words {ev['last_words']}"
                                        if "last_words" in ev else " without last words")
    if path == "dying":
        if frame_type != MSG_DYING:
            return f"no DYING frame through the hub (its last of type {frame_type}); {said}"
        if ev["prev"] != "alive" or ev.get("last_words") != "panic":
            return f"a DYING frame through the hub but {said}"
        return ""
    if frame_type == MSG_DYING:
        return f"a DYING frame through the hub with last-words off; {said}"
    if ev["prev"] != "suspect" or "last_words" in ev:
        return said
    return ""


def trial(m, monitor, victim, path):
    """Panic victim with the path's setting; its CSV row (without boot and
    trial numbers)."""
    obs = m.guests[0]
    if not bl.wait_for(lambda: obs.states().get(victim.index) == "alive", 10):
        raise RuntimeError(f"{victim} not alive to the observer before its trial")
    on = path == "dying"
    victim.sh(f"{HBCTL} node set last-words {'on' if on else 'off'}")
    armed = {link.get("last_words", False) for link in victim.hbj("link", "show")}
    if armed != {on}:
        raise RuntimeError(f"{victim}: links armed {armed} with last-words "
                           f"{'on' if on else 'off'}")
    obs.sync_clock()
    victim.sync_clock()
    start = time.time_ns()
    # The panic at a random phase of the victim's sending period: the
    # timeout path's panic → verdict depends on it (fall to fall + 1
    # intervals), and the requests before it take about as long each time.
    time.sleep(random.uniform(0, INTERVAL_MS / 1000))
    t_panic = victim.crash()
    ev = monitor.wait(VERDICT_TIMEOUT, start, event="peer-state", id=victim.index,
                      state="dead")
    # Once its QEMU is gone nothing more comes from the victim: its last
    # frame at the hub is final.
    status = victim.wait_exit(60)
    last, frame_type = m.hub.last_frame(victim.index)
    suspect = monitor.find(start, event="peer-state", id=victim.index, state="suspect")
    t_suspect = obs.to_host_ns(suspect[0]["time_ns"]) if suspect else None
    t_verdict = obs.to_host_ns(ev["time_ns"]) if ev else None
    why = verdict_error(path, ev, frame_type)
    # By the frame the hub saw last: a DYING frame lost leaves a heartbeat.
    dying = frame_type == MSG_DYING
    return dict(path=path, victim=victim.index, interval_ms=INTERVAL_MS, fall=FALL, rise=RISE,
                bound_ms=BOUND_MS, panic_ns=t_panic, last_frame_ns=last,
                last_frame_type=frame_type, suspect_ns=t_suspect, verdict_ns=t_verdict,
                prev=ev["prev"] if ev else "", last_words=ev.get("last_words", "") if ev else "",
                dying_to_verdict_ms=ms(last, t_verdict) if dying else None,
                heartbeat_to_verdict_ms=None if dying else ms(last, t_verdict),
                panic_to_verdict_ms=ms(t_panic, t_verdict),
                panic_to_dying_ms=ms(t_panic, last) if dying else None,
                # Each clock is mapped within half its fastest round trip.
                clock_ms=round((obs.rtt_ns + victim.rtt_ns) / 2e6, 3),
                guest_exit=status, ok=0 if why else 1, why=why)


def describe(row):
    """A trial's progress line."""
    if row["verdict_ns"] is None:
        return f"node {row['victim']}: {row['why']}"
    frame = ("dying_to_verdict_ms", "DYING frame") if row["last_frame_type"] == MSG_DYING \
        else ("heartbeat_to_verdict_ms", "heartbeat")
    text = (f"node {row['victim']} dead from {row['prev']}"
            + (f" ({row['last_words']})" if row["last_words"] else "")
            + f" {row['panic_to_verdict_ms']:.1f} ms after its panic, "
            f"{row[frame[0]]:.1f} ms after its last {frame[1]}")
    if row["why"]:
        text += f"; WRONG: {row['why']}"
    if row["guest_exit"] != 0:
        text += f"; its run exited {row['guest_exit']}"
    return text


def boot(b, paths, raw, csv, first_trial, rows, meta):
    """One boot: an observer and len(paths) victims, a trial each, rows
    appended to rows; its timings (s) and the guests' run statuses that
    were not 0."""
    t0 = time.monotonic()
    m = Multi(1 + len(paths), os.path.join(raw, f"boot{b}"), disk_mb=0)
    try:
        t_up = time.monotonic()
        obs, victims = m.guests[0], m.guests[1:]
        meta.setdefault("kernel", obs.channel.replies[0].result["hello"])
        monitor = obs.monitor()
        m.configure(interval=f"{INTERVAL_MS}ms", fall=FALL, rise=RISE, last_words="on")
        if not bl.wait_for(lambda: all(obs.states().get(v.index) == "alive"
                                       for v in victims), 60):
            raise RuntimeError(f"boot {b}: the observer saw {obs.states()} after 60 s")
        t_conv = time.monotonic()
        for i, (v, path) in enumerate(zip(victims, paths)):
            row = trial(m, monitor, v, path)
            csv.row(boot=b, trial=first_trial + i, **row)
            rows.append(row)
            log(f"lastwords trial {first_trial + i} ({path}): " + describe(row))
        t_trials = time.monotonic()
        bad = {g.index: s for g, s in m.stop_all().items() if s != 0}
    finally:
        m.close()
    t_end = time.monotonic()
    return {"boot_s": round(t_up - t0, 1), "converge_s": round(t_conv - t_up, 1),
            "trials_s": round(t_trials - t_conv, 1), "stop_s": round(t_end - t_trials, 1),
            "guests": 1 + len(paths)}, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--lastwords-trials", type=int, help="per path (default 20, quick 1)")
    a, _ = ap.parse_known_args()
    trials = a.lastwords_trials or (1 if a.quick else 20)
    per_boot = 2 if a.quick else VICTIMS
    raw = os.path.join(a.out, "raw", "lastwords")
    os.makedirs(raw, exist_ok=True)
    t_all = time.monotonic()
    meta = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "host": f"{bl.cpu_model()}, {os.cpu_count()} cores",
            "loadavg_start": loadavg(),
            "accel": "tcg (QEMU emulated CPU, -cpu max, 1 vCPU and 512 MiB a guest)",
            "command": os.environ.get("HB_BENCH_COMMAND",
                                      " ".join(["/usr/bin/python3"] + sys.argv)),
            "interval_ms": INTERVAL_MS, "fall": FALL, "rise": RISE, "bound_ms": BOUND_MS,
            "trials_per_path": trials, "victims_per_boot": per_boot, "boots": []}
    csv = bl.Csv(os.path.join(a.out, "lastwords.csv"), COLUMNS)
    rows, failed = [], []
    n = 2 * trials
    try:
        for b in range(math.ceil(n / per_boot)):
            k = b * per_boot
            # Alternating, each boot starting with the other path than the
            # last: neither always has the first trial after the convergence.
            paths = [PATHS[(b + i) % 2] for i in range(min(per_boot, n - k))]
            log(f"lastwords boot {b}: 1 observer and {len(paths)} victims")
            times, bad = boot(b, paths, raw, csv, k, rows, meta)
            meta["boots"].append(times)
            log(f"lastwords boot {b}: up in {times['boot_s']:.0f} s, converged in "
                f"{times['converge_s']:.0f} s, trials {times['trials_s']:.0f} s, stopped in "
                f"{times['stop_s']:.0f} s")
            if bad:
                failed.append(f"boot {b}: guest runs exited {bad} (logs in {raw}/boot{b})")
    finally:
        csv.close()
        meta["seconds"] = round(time.monotonic() - t_all, 1)
        meta["loadavg_end"] = loadavg()
        with open(os.path.join(a.out, "lastwords.json"), "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
    wrong = sum(1 for r in rows if not r["ok"])
    log(f"lastwords: {len(rows)} trials in {meta['seconds']:.0f} s"
        + (f", {wrong} without the path's verdict" if wrong else ""))
    for f in failed:
        log(f"lastwords: FAILED: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
