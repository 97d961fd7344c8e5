#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check tools/grafana/heartbeat.json against an hbctl exposition (KTAP).

Every PromQL expression of the dashboard (panel targets and template
variables) may name only series the exposition has - the sample names of
`hbctl stats -o prometheus`, so histogram suffixes count - and only labels
those series carry, in selectors and in by/without/on/ignoring lists.
The article's four panels must be there. With promtool (scripts/install-deps
unpacks it), each expression must also parse as PromQL.

    check_dashboard.py [--dashboard FILE] EXPOSITION

First it checks itself: made-up series and labels must be refused.

The exposition is a file of hbctl's output: tests/live.prom was recorded
from a VM run (selftests/test_metrics.py checks a live one the same way).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "../../.."))
sys.path.insert(0, os.path.join(TOP, "selftests"))
import promparse  # noqa: E402

DASHBOARD = os.path.join(HERE, "..", "heartbeat.json")
PROMTOOL = os.environ.get("PROMTOOL", "/var/cache/heartbeat/promtool/usr/bin/promtool")
# The article's dashboard (Monitoring Your Heartbeat System): its four panels.
ARTICLE_PANELS = ("Heartbeat success rate", "Failure detection time",
                  "False positives", "Recovery time")

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan"}
# Grafana's variables, as a query would see them once substituted.
GRAFANA_VARS = {"__rate_interval": "1m", "__interval": "15s", "__range": "6h",
                "window": "1h", "cluster": ".*", "node": ".*"}


def grafana_substitute(expr):
    return re.sub(r"\$\{?(\w+)\}?", lambda m: GRAFANA_VARS.get(m.group(1), m.group(0)), expr)


def references(expr):
    """(metrics, labels): the series names an expression reads, with the
    label names of their selectors, and the label names of its grouping
    and matching lists."""
    metrics = {}
    groups = set()
    # strings may hold anything: blank them first (keeping matchers' shape)
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"'(?:[^'\\]|\\.)*'", "''", e)
    for m in re.finditer(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", e):
        groups.update(x.strip() for x in m.group(2).split(",") if x.strip())
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)          # ranges and subqueries
    e = re.sub(r"\$\{?\w+\}?", " ", e)          # Grafana variables
    # label_values(METRIC, LABEL): the label is one of the metric's
    for m in re.finditer(r"label_values\(\s*([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*,\s*(\w+)\s*\)", e):
        groups.add(m.group(3))
    e = re.sub(r"(label_values\(\s*[a-zA-Z_:][\w:]*\s*(?:\{[^}]*\})?)\s*,\s*\w+\s*\)", r"\1)", e)
    token = re.compile(r"[a-zA-Z_:][\w:]*|\{[^}]*\}|\d+(?:\.\d*)?(?:e[+-]?\d+)?|.", re.S)
    toks = [t for t in token.findall(e) if not t.isspace()]
    last = None
    for i, t in enumerate(toks):
        if t.startswith("{"):
            names = set(re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", t))
            if last is not None:
                metrics[last] |= names - {"__name__"}
            last = None
            continue
        if re.match(r"[a-zA-Z_:]", t) and t not in KEYWORDS:
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if nxt == "(":          # a function
                last = None
                continue
            metrics.setdefault(t, set())
            last = t
            continue
        last = None
    return metrics, groups


def exprs_of(dash):
    """(where, expr) of every query in the dashboard."""
    out = []
    for p in dash.get("panels", []):
        for t in p.get("targets", []):
            out.append((f"panel {p.get('title')!r} {t.get('refId')}", t["expr"]))
    for v in dash.get("templating", {}).get("list", []):
        if v.get("type") == "query":
            q = v["query"]
            out.append((f"variable {v['name']}", q["query"] if isinstance(q, dict) else q))
    return out


def series_of(text):
    """{sample name: set of its label names} of an exposition."""
    series = {}
    for fam in promparse.parse(text).values():
        for name, labels, _ in fam["samples"]:
            series.setdefault(name, set()).update(labels)
    return series


def problems(expr, series):
    metrics, groups = references(expr)
    out = []
    if not metrics:
        out.append("reads no series")
    for m, labels in metrics.items():
        if m not in series:
            out.append(f"{m}: no such series")
            continue
        for lab in sorted(labels - series[m]):
            out.append(f"{m} has no label {lab}")
    have = set().union(*(series.get(m, set()) for m in metrics)) if metrics else set()
    for lab in sorted(groups - have - {"le"} if any(m.endswith("_bucket") for m in metrics)
                      else groups - have):
        out.append(f"no series of it has the label {lab}")
    return out


def promtool_problems(exprs):
    """promtool check rules on the expressions as recording rules; None
    without promtool."""
    if not os.access(PROMTOOL, os.X_OK):
        return None
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:expr{i}", "expr": grafana_substitute(e)}
        for i, (_, e) in enumerate(exprs)
        if not e.startswith("label_values(")]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        json.dump(rules, f)     # YAML takes JSON
    try:
        r = subprocess.run([PROMTOOL, "check", "rules", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return [] if r.returncode == 0 else (r.stdout + r.stderr).strip().splitlines()


def check(dash, series, emit):
    """Emit (ok, description, details) per check; return the failures."""
    fails = 0

    def result(ok, what, details=()):
        nonlocal fails
        fails += not ok
        emit(ok, what, details)

    titles = [p.get("title") for p in dash.get("panels", [])]
    missing = [t for t in ARTICLE_PANELS if t not in titles]
    result(not missing, "the article's four panels", [f"missing: {t}" for t in missing])
    ids = [p.get("id") for p in dash.get("panels", [])]
    result(len(ids) == len(set(ids)) and all(p.get("targets") for p in dash["panels"]),
           "panel ids unique, every panel has queries")
    exprs = exprs_of(dash)
    for where, expr in exprs:
        p = problems(expr, series)
        result(not p, f"{where} reads only series hbctl prints", p)
    pt = promtool_problems(exprs)
    if pt is None:
        emit(None, "promtool parses every expression", ["SKIP promtool not found (make deps)"])
    else:
        result(not pt, "promtool parses every expression", pt)
    return fails


def main(argv):
    args = argv[1:]
    dashboard = DASHBOARD
    if len(args) >= 2 and args[0] == "--dashboard":
        dashboard, args = args[1], args[2:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0]) as f:
        series = series_of(f.read())
    with open(dashboard) as f:
        dash = json.load(f)

    n = 0
    lines = []

    def emit(ok, what, details):
        nonlocal n
        n += 1
        if ok is None:
            lines.append(f"ok {n} grafana {what} # {details[0]}")
            return
        lines.append(f"{'ok' if ok else 'not ok'} {n} grafana {what}")
        lines.extend(f"# {d}" for d in details)

    # First the check itself: a series hbctl never prints, a label it
    # never sets, a grouping label no series has - each must be caught.
    fails = 0
    bad = json.loads(json.dumps(dash))
    target = bad["panels"][0]["targets"][0]
    for e in ("rate(heartbeat_no_such_frames_total[5m])",
              'heartbeat_peer_up{no_such_label="1"}',
              "sum by (no_such_label) (heartbeat_peer_up)"):
        target["expr"] = e
        caught = check(bad, series, lambda *a: None) > 0
        fails += not caught
        emit(caught, f"the check refuses {e}", [])
    fails += check(dash, series, emit)
    print("TAP version 13")
    print(f"1..{n}")
    print("\n".join(lines))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
