#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Plot and tabulate hbeval's CSV: the detection time / mistake rate
trade-off per trace (PNG) and, per trace, the fastest setting of each
detector within a mistake budget (Markdown).

    report.py --hours H --seed S results.csv tradeoff.png table.md

Both outputs depend on the CSV alone, so the same CSV gives the same files.
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")  # no display: a file is all we want
import matplotlib.pyplot as plt  # noqa: E402

TRACES = ["jitter", "loss", "bursty", "pauses", "drift"]
TRACE_TITLES = {
    "jitter": "jitter (gaussian, σ 5 ms)",
    "loss": "loss (1 % independent)",
    "bursty": "bursty (Gilbert-Elliott loss)",
    "pauses": "pauses (200-600 ms every 30 s)",
    "drift": "drift (interval 100→140→100 ms)",
}
DETECTORS = ["timeout", "timeout-fall1", "phi-normal", "phi-normal-pause", "phi-exp"]
LABELS = {
    "timeout": "timeout, fall 3 (slack swept)",
    "timeout-fall1": "timeout, fall 1 (slack swept)",
    "phi-normal": "phi, normal model (threshold swept)",
    "phi-normal-pause": "phi, normal model, pause 1 interval (threshold swept)",
    "phi-exp": "phi, exponential model (threshold swept)",
}
SHORT = {
    "timeout": "timeout (fall 3)",
    "timeout-fall1": "timeout (fall 1)",
    "phi-normal": "phi normal",
    "phi-normal-pause": "phi normal, pause 1 interval",
    "phi-exp": "phi exponential",
}
STYLE = {
    "timeout": dict(color="tab:blue", marker="o", linestyle="-"),
    "timeout-fall1": dict(color="tab:cyan", marker="v", linestyle="--"),
    "phi-normal": dict(color="tab:red", marker="s", linestyle="-"),
    "phi-normal-pause": dict(color="tab:purple", marker="^", linestyle="--"),
    "phi-exp": dict(color="tab:orange", marker="D", linestyle="-"),
}
PARAM = {"timeout": "slack", "timeout-fall1": "slack",
         "phi-normal": "φ", "phi-normal-pause": "φ", "phi-exp": "φ"}
# Closer than this, the sweep's grid decides the winner, not the detector.
TIE = 0.10


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            for k in ("param", "td_mean_ms", "td_p99_ms",
                      "mistakes_per_hour", "suspects_per_hour"):
                r[k] = float(r[k])
            rows.setdefault((r["trace"], r["detector"]), []).append(r)
    return rows


def plot(rows, hours, seed, path):
    # Zeros cannot sit on a log axis: they go on a floor well below the
    # smallest non-zero rate this trace length can show (1 / hours).
    floor = 0.25 / hours
    fig, axes = plt.subplots(2, 3, figsize=(15, 9.5))
    for ax, trace in zip(axes.flat, TRACES):
        for det in DETECTORS:
            pts = sorted(rows.get((trace, det), []),
                         key=lambda r: r["td_mean_ms"])
            if not pts:
                continue
            x = [r["td_mean_ms"] for r in pts]
            y = [max(r["mistakes_per_hour"], floor) for r in pts]
            st = STYLE[det]
            ax.plot(x, y, color=st["color"], linestyle=st["linestyle"],
                    linewidth=1.4, label=LABELS[det])
            nz = [(a, b) for a, b, r in zip(x, y, pts)
                  if r["mistakes_per_hour"] > 0]
            z = [(a, b) for a, b, r in zip(x, y, pts)
                 if r["mistakes_per_hour"] == 0]
            if nz:
                ax.plot(*zip(*nz), linestyle="none", marker=st["marker"],
                        color=st["color"], markersize=5)
            if z:
                ax.plot(*zip(*z), linestyle="none", marker=st["marker"],
                        markerfacecolor="white", color=st["color"],
                        markersize=6)
        ax.axhline(1, color="black", linestyle=":", linewidth=1)
        ax.axhline(floor, color="grey", linewidth=0.6)
        # x in axes fractions, y in data: the labels stay clear of the ends.
        tr = ax.get_yaxis_transform()
        ax.text(0.98, floor * 1.25, f"none in {hours:g} h (hollow)",
                fontsize=7.5, color="dimgrey", ha="right", va="bottom",
                transform=tr)
        ax.text(0.98, 1.15, "1 per hour", fontsize=7.5, ha="right",
                va="bottom", transform=tr)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(75, 3000)
        ax.set_ylim(floor / 2, 1e5)
        ax.set_xticks([100, 200, 300, 500, 1000, 2000])
        ax.set_xticklabels(["100", "200", "300", "500", "1000", "2000"])
        ax.minorticks_off()
        ax.grid(True, which="major", alpha=0.3)
        ax.set_title(TRACE_TITLES[trace], fontsize=11)
        ax.set_xlabel("mean detection time T_D (ms)")
        ax.set_ylabel("false dead verdicts per hour λ_M")
    legend_ax = axes.flat[len(TRACES)]
    legend_ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    legend_ax.legend(handles, labels, loc="upper left", fontsize=10,
                     frameon=False)
    legend_ax.text(
        0.0, 0.55,
        "Heartbeats every 100 ms, %g h per trace, seed %d.\n"
        "Lower left is better: fast detection, few mistakes.\n"
        "Each point is one setting, replayed through the\n"
        "module's own detector code (tools/eval/hbeval).\n"
        "Hollow markers: no false dead in the whole trace,\n"
        "drawn on the floor line.\n"
        "Phi: min stddev = interval / 20, window 1000,\n"
        "no warning level. Rise 1 for all." % (hours, seed),
        fontsize=9.5, va="top", transform=legend_ax.transAxes)
    fig.suptitle("heartbeat failure detectors: detection time vs mistake "
                 "rate", fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    # No software version or date in the file: same CSV, same bytes.
    fig.savefig(path, dpi=90, metadata={"Software": None})


def best(rows, trace, det, budget):
    """The fastest setting whose mistake rate is within budget."""
    ok = [r for r in rows.get((trace, det), [])
          if r["mistakes_per_hour"] <= budget]
    return min(ok, key=lambda r: r["td_mean_ms"]) if ok else None


def cell(r, det):
    if r is None:
        return "none of the settings"
    return "**%.0f** ms (p99 %.0f), %s %g, %.2g/h" % (
        r["td_mean_ms"], r["td_p99_ms"], PARAM[det], r["param"],
        r["mistakes_per_hour"])


def compare(a, a_name, b, b_name):
    """How a (phi) fares against b (a timeout), in words."""
    if a is None and b is None:
        return "neither gets there"
    if a is None:
        return "**%s wins**: phi cannot get there" % b_name
    if b is None:
        return "**%s wins**: the timeout cannot get there" % a_name
    ta, tb = a["td_mean_ms"], b["td_mean_ms"]
    if abs(ta - tb) <= TIE * min(ta, tb):
        return "about equal (%.0f vs %.0f ms)" % (ta, tb)
    if ta < tb:
        return "**%s** %.1f× faster (%.0f vs %.0f ms)" % (
            a_name, tb / ta, ta, tb)
    return "**%s** %.1f× faster (%.0f vs %.0f ms): phi loses" % (
        b_name, ta / tb, tb, ta)


def table(rows, hours, seed, budget):
    out = []
    out.append("| trace | " + " | ".join(SHORT[d] for d in DETECTORS) +
               " | best phi vs timeout (fall 3) | best phi vs best timeout |")
    out.append("|" + "---|" * (len(DETECTORS) + 3))
    for trace in TRACES:
        b = {d: best(rows, trace, d, budget) for d in DETECTORS}
        phis = [(b[d], d) for d in ("phi-normal", "phi-normal-pause", "phi-exp") if b[d]]
        phi, phi_name = min(phis, key=lambda p: p[0]["td_mean_ms"]) \
            if phis else (None, "phi")
        tos = [(b[d], d) for d in ("timeout", "timeout-fall1") if b[d]]
        to, to_name = min(tos, key=lambda p: p[0]["td_mean_ms"]) \
            if tos else (None, "timeout")
        out.append("| %s | %s | %s | %s |" % (
            trace, " | ".join(cell(b[d], d) for d in DETECTORS),
            compare(phi, SHORT[phi_name] if phi else "phi",
                    b["timeout"], SHORT["timeout"]),
            compare(phi, SHORT[phi_name] if phi else "phi",
                    to, SHORT[to_name] if to else "timeout")))
    return out


def markdown(rows, hours, seed, path):
    lines = [
        "<!-- SPDX-License-Identifier: GPL-2.0-only -->",
        "<!-- Generated by tools/eval/run-eval from results.csv: "
        "do not edit. -->",
        "",
        "# Fastest detector settings within a mistake budget",
        "",
        "Definitions, traces and discussion: "
        "[../evaluation.md](../evaluation.md).",
        "",
        "Fastest swept setting of each detector whose false `dead` rate "
        "λ_M stays within the budget, per built-in trace (%g h each, seed "
        "%d, heartbeats every 100 ms): mean detection time T_D in bold, "
        "its 99th percentile, the setting (slack in intervals, or phi "
        "threshold) and the mistake rate it reached. Differences within "
        "%d %% are called equal: the sweeps' grids are that coarse."
        % (hours, seed, TIE * 100),
        "",
    ]
    for budget, title in ((1.0, "At most 1 false `dead` per hour"),
                          (0.1, "At most 0.1 false `dead` per hour "
                                "(one in ten hours)")):
        lines += ["### " + title, ""]
        lines += table(rows, hours, seed, budget)
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("csv")
    ap.add_argument("png")
    ap.add_argument("md")
    a = ap.parse_args()
    rows = load(a.csv)
    missing = [t for t in TRACES if (t, "timeout") not in rows]
    if missing:
        ap.error("no rows for trace(s) " + ", ".join(missing))
    plot(rows, a.hours, a.seed, a.png)
    markdown(rows, a.hours, a.seed, a.md)


if __name__ == "__main__":
    main()
