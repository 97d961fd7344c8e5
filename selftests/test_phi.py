# SPDX-License-Identifier: GPL-2.0-only
"""Phi accrual in the kernel: the phi a peer reports agrees with a
double-precision reference computed from its reported mean, stddev and
silence; a jittery sender is not convicted by phi, nor by a fixed timeout
of the same detection time, though its jitter reaches past the timeout's
first deadline; a regular sender that stops is convicted faster than
interval x fall."""
import math
import time

from conftest import DEBUG_KERNEL, timing_scale
from hbcluster import Cluster, sh, wait_for

INTERVAL_MS = 10
MIN_STDDEV_US = 500


def ref_phi(silence_us, mean_us, stddev_us, pause_us=0):
    sd = max(stddev_us, MIN_STDDEV_US)
    y = (silence_us - (mean_us + pause_us)) / sd
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


def compare_phi(c, reads):
    """Read peer 2 on pr1 repeatedly; compare its phi with the reference
    from its own mean, stddev and silence. Returns how many were in range."""
    checked = 0
    for _ in range(reads):
        p = c.peers("pr1")[2]
        ref = ref_phi(p["last_seen_us"], p["mean_us"], p["stddev_us"])
        if ref <= 20:
            assert abs(p["phi"] - ref) <= 0.05, (p, ref)
            checked += 1
    assert p["samples"] >= 50
    return checked


def test_reported_phi_matches_reference():
    c = Cluster(2, interval=f"{INTERVAL_MS}ms", prefix="pr")
    try:
        assert wait_for(c.all_alive, 5)
        time.sleep(1)
        checked = compare_phi(c, 40)
        # Silence, to see phi grow through the interesting range.
        sh("ip netns exec pr2 tc qdisc add dev eth0 root netem loss 100%")
        checked += compare_phi(c, 40)
        assert checked >= 20
    finally:
        c.close()


def count_transitions(mon, node, after, state):
    return len(mon.find(after, event="peer-state", id=node, state=state))


def test_jitter_forgiven_by_phi_and_a_timeout_of_equal_detection_time():
    """pj1 sends every 20 ms through netem delay 20ms +- 16ms. pj2 judges it
    with phi (threshold 8), pj3 with a fixed timeout tuned to the same
    detection time as phi's, from the mean and stddev pj2 measured. At
    20 ms, phi's verdict (about 80 ms of silence) stays clear of the
    emulated CPU's own stalls, which reach 40 ms.

    Like for like: phi has no warning level here, so its first verdict is
    dead; the timeout's suspect stage (one interval + slack) has no
    counterpart and is not a verdict of the same kind. What is compared is
    false dead verdicts: none from either. With one silence for both, they
    differ only as phi's window moves. The timeout's suspects show that the
    jitter does reach past its first deadline, so the test is not won by a
    sender too regular to judge."""
    ival = 2 * INTERVAL_MS
    c = Cluster(3, interval=f"{ival}ms", prefix="pj")
    try:
        assert wait_for(c.all_alive, 5)
        c.hb("pj2", "node", "set", "detector", "phi", "phi-threshold", "8",
             "phi-window", "200", "phi-min-stddev", f"{MIN_STDDEV_US}us")
        # New windows for the new settings: let pj2 forget and relearn pj1.
        c.hb("pj2", "peer", "del", "id", "1")
        sh(f"ip netns exec pj1 tc qdisc add dev eth0 root netem delay {ival}ms "
           f"{ival * 8 // 10}ms")
        time.sleep(6)
        p = c.peers("pj2")[1]
        phi_ms = phi_crossing_ms(8, p["mean_us"], p["stddev_us"])
        slack_ms = max(1, round(phi_ms - 3 * ival))
        c.hb("pj3", "node", "set", "slack", f"{slack_ms}ms")
        print(f"# jittery sender at {ival} ms: mean {p['mean_us']} us, stddev "
              f"{p['stddev_us']} us; phi 8 convicts after {phi_ms:.1f} ms, timeout "
              f"{3 * ival} ms + slack {slack_ms} ms")
        mons = {h: c.monitor(h) for h in ("pj2", "pj3")}
        start = time.time_ns()
        time.sleep(20)
        phi_dead = count_transitions(mons["pj2"], 1, start, "dead")
        phi_suspect = count_transitions(mons["pj2"], 1, start, "suspect")
        timeout_dead = count_transitions(mons["pj3"], 1, start, "dead")
        timeout_suspect = count_transitions(mons["pj3"], 1, start, "suspect")
        print(f"# 20 s: false dead verdicts: phi {phi_dead}, timeout {timeout_dead}; "
              f"suspect: phi {phi_suspect} (no warning level), timeout {timeout_suspect}")
        # The comparison is a timing claim of the release kernel; on the
        # debug kernel (make check-debug) its stalls decide it, so there
        # the test only exercises both detectors.
        if not DEBUG_KERNEL:
            assert phi_dead == 0
            assert timeout_dead == 0
            assert timeout_suspect > 0
    finally:
        c.close()


def test_regular_sender_convicted_faster_than_interval_times_fall():
    c = Cluster(2, interval=f"{INTERVAL_MS}ms", prefix="pf")
    try:
        assert wait_for(c.all_alive, 5)
        c.hb("pf1", "node", "set", "detector", "phi", "phi-threshold", "8",
             "phi-min-stddev", f"{MIN_STDDEV_US}us")
        c.hb("pf1", "peer", "del", "id", "2")
        mon = c.monitor("pf1")
        cap = c.capture("pf1")
        lats = []
        for trial in range(5):
            time.sleep(1.5)
            t = time.time_ns()
            sh("ip netns exec pf2 tc qdisc add dev eth0 root netem loss 100%")
            dead = mon.wait(5, t, event="peer-state", id=2, state="dead")
            assert dead, f"trial {trial}"
            frames = cap.from_node(2, before=dead["time_ns"])
            lats.append((dead["time_ns"] - frames[-1]["ts"]) / 1e6)
            assert dead["phi"] >= 7.99
            t = time.time_ns()
            sh("ip netns exec pf2 tc qdisc del dev eth0 root")
            assert mon.wait(5, t, event="peer-state", id=2, state="alive")
        lats.sort()
        print(f"# phi 8 at {INTERVAL_MS} ms: detection min {lats[0]:.1f} median "
              f"{lats[len(lats) // 2]:.1f} max {lats[-1]:.1f} ms "
              f"(interval x fall = {3 * INTERVAL_MS} ms)")
        assert lats[len(lats) // 2] < timing_scale(3 * INTERVAL_MS)
    finally:
        c.close()
