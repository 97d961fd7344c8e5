# SPDX-License-Identifier: GPL-2.0-only
"""Metrics of a live module, as their readers take them.

Two hosts, one cut off until it is declared dead, then back. The textfile
collector's script (tools/systemd/heartbeat-prometheus, as its service
runs it) writes heartbeat.prom: our parser and Debian's
python3-prometheus-client read the same samples, promtool's linter takes
it, and the new series hold what the kernel says - the link up, the
lateness histogram, per channel and per path, last-seen times as wall
clock, the module's version. The Grafana dashboard reads only series of
this output. JSON: the incarnations, above 2^53, come back exact through
jq 1.6 from incarnation_str.

HB_METRICS_RECORD=1 prints the output, each line after "# live.prom: ":
tools/grafana/tests/live.prom is one such recording."""
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import timing_scale
from hbcluster import HBCTL, HB_TOP, Cluster, sh, wait_for

sys.path.insert(0, os.path.join(HB_TOP, "selftests"))
import promclient  # noqa: E402
import promparse  # noqa: E402

INTERVAL_MS = round(timing_scale(10))
FALL = 3
SLACK_MS = INTERVAL_MS
SCRIPT = os.path.join(HB_TOP, "tools/systemd/heartbeat-prometheus")
UNIT = os.path.join(HB_TOP, "tools/systemd/heartbeat-prometheus.service")
DASHBOARD_CHECK = os.path.join(HB_TOP, "tools/grafana/tests/check_dashboard.py")
PROMTOOL = os.environ.get("PROMTOOL", "/var/cache/heartbeat/promtool/usr/bin/promtool")
TEXTDIR = "/tmp/hb-node-exporter"	# the VM's tmpfs


def cut(host):
    sh(f"ip netns exec {host} tc qdisc add dev eth0 root netem loss 100%")


def uncut(host):
    sh(f"ip netns exec {host} tc qdisc del dev eth0 root")


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(2, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{SLACK_MS}ms", prefix="mx")
    assert wait_for(c.all_alive, 5), "cluster did not converge"
    # one verdict dead, so the detection histogram has a count
    cut("mx2")
    try:
        assert wait_for(lambda: c.states("mx1")[2] == "dead", 5)
    finally:
        uncut("mx2")
    assert wait_for(c.all_alive, 5)
    yield c
    c.close()


@pytest.fixture(scope="module")
def exposition(cluster):
    """heartbeat.prom as the service writes it in mx1, with the clock
    around the run."""
    os.makedirs(TEXTDIR, exist_ok=True)
    with open(UNIT) as f:
        argv = re.search(r"^ExecStart=(.*)$", f.read(), re.M).group(1).split()
    assert argv == ["/usr/libexec/heartbeat/heartbeat-prometheus",
                    "/var/lib/prometheus/node-exporter"]
    before = time.time()
    subprocess.run(["ip", "netns", "exec", "mx1", SCRIPT, TEXTDIR],
                   env=dict(os.environ, HBCTL=HBCTL), check=True)
    after = time.time()
    assert os.listdir(TEXTDIR) == ["heartbeat.prom"]
    with open(os.path.join(TEXTDIR, "heartbeat.prom")) as f:
        text = f.read()
    # The VM's root is read-only: a recording goes out with the output.
    if os.environ.get("HB_METRICS_RECORD"):
        print("".join(f"# live.prom: {line}\n" for line in text.splitlines()), end="")
    return text, before, after


def values(text):
    """{(sample name, frozenset of labels): value}"""
    out = {}
    for fam in promparse.parse(text).values():
        for name, labels, v in fam["samples"]:
            out[(name, frozenset(labels.items()))] = v
    return out


def value(vals, name, **labels):
    hits = [v for (n, ls), v in vals.items()
            if n == name and all((k, str(x)) in ls for k, x in labels.items())]
    assert len(hits) == 1, (name, labels, hits)
    return hits[0]


def test_both_parsers_and_promtool_take_it(exposition):
    text = exposition[0]
    families, samples = promclient.compare(text)
    print(f"# prometheus_client and promparse agree: {families} families, {samples} samples")
    if not os.access(PROMTOOL, os.X_OK):
        pytest.skip(f"{PROMTOOL} not found (make deps)")
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_series_hold_what_the_kernel_says(cluster, exposition):
    text, before, after = exposition
    vals = values(text)
    stats = cluster.stats("mx1")
    peer = cluster.peers("mx1")[2]

    with open("/sys/module/heartbeat/version") as f:
        module_version = f.read().strip()
    assert value(vals, "heartbeat_info", module_version=module_version) == 1

    assert value(vals, "heartbeat_link_up", link="eth0") == 1
    # every send is counted once in its link's lateness histogram
    count = value(vals, "heartbeat_link_send_late_seconds_count", link="eth0")
    assert count == value(vals, "heartbeat_link_send_late_seconds_bucket", link="eth0", le="+Inf")
    (link,) = stats["links"]
    assert sum(b["count"] for b in link["late_hist"]) >= count > 0

    # wall clock: when mx1 last heard peer 2, within the run
    seen = value(vals, "heartbeat_peer_last_seen_timestamp_seconds", peer=2)
    assert before - 1 <= seen <= after
    assert not [n for n, _ in vals if n == "heartbeat_peer_last_seen_seconds"]
    assert value(vals, "heartbeat_peer_link_up", peer=2, link="eth0") == 1
    assert before - 1 <= value(vals, "heartbeat_peer_link_last_seen_timestamp_seconds",
                               peer=2, link="eth0") <= after
    (path,) = peer["paths"]
    rx = value(vals, "heartbeat_peer_path_rx_frames_total", peer=2, link="eth0",
               sender_link=path["link_id"])
    assert 0 < rx <= path["rx"]
    assert value(vals, "heartbeat_detection_seconds_count") == stats["detect_count"] >= 1


def test_dashboard_reads_only_these_series(exposition):
    path = os.path.join(TEXTDIR, "heartbeat.prom")
    r = subprocess.run([DASHBOARD_CHECK, path], capture_output=True, text=True)
    print("".join(f"# {line}\n" for line in r.stdout.splitlines()), end="")
    assert r.returncode == 0, r.stdout + r.stderr


def test_incarnations_exact_through_jq(cluster):
    if not shutil.which("jq"):
        pytest.skip("jq not installed")
    text = cluster.hb("mx2", "node", "show").stdout
    exact = int(re.search(r"\bincarnation (\d+)", text).group(1))
    assert exact > 2**53, "an incarnation is wall-clock nanoseconds"

    def jq(host, obj, query):
        out = cluster.hb(host, "-j", obj, "show").stdout
        return subprocess.run(["jq", "-r", query], input=out, capture_output=True,
                              text=True, check=True).stdout.strip()

    assert jq("mx2", "node", ".incarnation_str") == str(exact)
    assert jq("mx1", "peer", ".[] | select(.id == 2) | .incarnation_str") == str(exact)
    # the number alone: a double, off unless the value happens to be one
    print(f"# jq: incarnation {jq('mx2', 'node', '.incarnation')}, "
          f"incarnation_str {exact}")
