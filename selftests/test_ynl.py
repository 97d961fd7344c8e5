# SPDX-License-Identifier: GPL-2.0-only
"""The netlink spec drives the kernel's own generic netlink client: the
6.12 tree's tools/net/ynl/cli.py, given Documentation/netlink/specs/
heartbeat.yaml, dumps the peers of a live two-node cluster and sets the
node, and what it reads and writes is what hbctl reads; ynl's library
decodes stats (drops, histograms, links) and a probe's reply and event;
and every bound the spec's checks give a request attribute is refused by
the kernel, one past it, with the extack naming that attribute.

Skips when the 6.12 tree lacks tools/net/ynl (scripts/install-deps
unpacks it)."""
import json
import os
import subprocess
import sys

import pytest
import yaml

from hbcluster import HB_TOP, Cluster, wait_for

KSRC = os.environ.get("HB_LINUX_SOURCE", "/usr/src/linux-source-6.12")
YNL = os.path.join(KSRC, "tools/net/ynl")
SPEC = os.path.join(HB_TOP, "Documentation/netlink/specs/heartbeat.yaml")

pytestmark = pytest.mark.skipif(
    not os.path.isfile(os.path.join(YNL, "cli.py")),
    reason=f"no {YNL}/cli.py (scripts/install-deps unpacks it)")


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(2, interval="10ms", fall=3, rise=2, slack="50ms", prefix="yn")
    assert wait_for(c.all_alive, 10), "cluster did not converge"
    yield c
    c.close()


@pytest.fixture(scope="module")
def spec():
    with open(SPEC) as f:
        return yaml.safe_load(f)


def ynl_family(host):
    """ynl's library on a socket of host's namespace. No schema check:
    that is the host's (test_netlink_spec.py), and costs seconds here."""
    from pyroute2 import netns as pnetns
    sys.path.insert(0, YNL)
    try:
        from lib import YnlFamily
    finally:
        sys.path.remove(YNL)
    pnetns.pushns(host)
    try:
        return YnlFamily(SPEC, "")
    finally:
        pnetns.popns()


@pytest.fixture(scope="module")
def ynl(cluster):
    """For requests only: 6.12's ynl cannot take an event in the middle of
    a reply, so events get a socket of their own."""
    return ynl_family(cluster.hosts[0])


def cli(host, *args):
    """cli.py in host's namespace, its JSON output. --no-schema: the host
    checks the spec against the schema, which takes ten seconds here."""
    r = subprocess.run(["ip", "netns", "exec", host, sys.executable,
                        os.path.join(YNL, "cli.py"), "--spec", SPEC, "--no-schema",
                        "--output-json", *args], capture_output=True, text=True)
    assert r.returncode == 0, f"cli.py {' '.join(args)}: {r.returncode}\n{r.stdout}{r.stderr}"
    return json.loads(r.stdout)


def test_cli_dumps_peers(cluster):
    host = cluster.hosts[0]
    peers = cli(host, "--dump", "peer-get")
    shown = cluster.peers(host)
    assert [p["id"] for p in peers] == sorted(shown) == [2]
    peer = peers[0]
    assert peer["state"] == shown[2]["state"] == "alive"
    assert peer["local-state"] == "alive"
    assert peer["incarnation"] == shown[2]["incarnation"]
    # counters move on: cli.py read first
    assert 0 < peer["rx"] <= shown[2]["rx"]
    # nests decode through their sets
    assert len(peer["paths"]) == 1
    path = next(iter(peer["paths"][0].values()))
    assert path["ifindex"] == cluster.hbj(host, "link", "show")[0]["ifindex"]
    channel = next(iter(peer["channels"][0].values()))
    assert channel["name"] == "eth0" and channel["up"] == 1
    assert peer["channels-up"] == 1


def test_cli_sets_node(cluster, ynl):
    host = cluster.hosts[0]
    cli(host, "--do", "node-set", "--json",
        json.dumps({"gossip": 7, "learn-rate": 123, "last-words": "off"}))
    node = cluster.hbj(host, "node", "show")
    assert (node["gossip"], node["learn_rate"], node["last_words"]) == (7, 123, "off")
    got = ynl.do("node-get", {})
    for key in ("id", "cluster", "interval-us", "fall", "rise", "gossip", "learn-rate",
                "detector", "last-words"):
        assert got[key] == node[key.replace("-", "_")], key


def test_adds_a_peer_with_a_mac(cluster, ynl):
    """display-hint mac: the MAC goes in as hex, comes back as hbctl prints it."""
    host = cluster.hosts[0]
    ynl.do("peer-add", {"id": 9, "mac": "02000000a009"})
    try:
        peer = ynl.do("peer-get", {"id": 9})
        shown = cluster.peers(host)[9]
        assert peer["mac"] == shown["mac"] == "02:00:00:00:a0:09"
        assert peer["configured"] is True and shown["configured"] is True
    finally:
        cluster.hb(host, "peer", "del", "id", "9")


def test_stats_decode(ynl, spec, cluster):
    stats = ynl.do("stats-get", {})
    reasons = [a["name"] for s in spec["attribute-sets"] if s["name"] == "drops"
               for a in s["attributes"] if a["type"] == "u64"]
    assert list(stats["drops"]) == reasons
    assert set(cluster.stats(cluster.hosts[0])["drops"]) == {r.replace("-", "_") for r in reasons}
    consts = {d["name"]: d.get("value") for d in spec["definitions"]}
    assert len(stats["detect-hist"]) == consts["detect-buckets"]
    link = next(iter(stats["links"][0].values()))
    assert link["ifname"] == "eth0"
    assert len(link["late-hist"]) == consts["late-buckets"]
    assert sum(link["late-hist"]) <= link["tx"]


def test_probe_reply_and_event(ynl, cluster):
    events = ynl_family(cluster.hosts[0])
    events.ntf_subscribe("events")
    token = ynl.do("peer-probe", {"peer": 2})["token"]

    def answered():
        events.check_ntf()
        return [m["msg"] for m in events.async_msg_queue
                if m["name"] == "peer-event" and m["msg"].get("probe-token") == token]
    got = wait_for(answered, 10)
    assert got, f"no probe event for token {token}: {events.async_msg_queue}"
    events = got
    assert events[0]["type"] == "probe" and events[0]["peer"] == 2


POLICY_KEYS = {"min": "min-value", "max": "max-value", "min-len": "min-length",
               "max-len": "max-length", "exact-len": "max-length"}


def bound_violations(spec):
    """(op, attribute, value, check, bound): one past each bound the spec's
    checks give a request attribute of a do operation."""
    consts = {d["name"]: d["value"] for d in spec["definitions"] if d["type"] == "const"}
    sets = {s["name"]: {a["name"]: a for a in s["attributes"]}
            for s in spec["attribute-sets"] if "subset-of" not in s}
    cases = []
    for op in spec["operations"]["list"]:
        request = op.get("do", {}).get("request", {}).get("attributes", [])
        for name in request:
            attr = sets[op["attribute-set"]][name]
            for check, bound in attr.get("checks", {}).items():
                bound = consts.get(bound, bound)
                if attr["type"] == "string":
                    value = "a" * (bound + 1)
                elif attr["type"] == "binary":
                    value = bytes(bound - 1 if check == "min-len" else bound + 1)
                elif check == "min":
                    if bound == 0:
                        continue
                    value = bound - 1
                else:
                    value = bound + 1
                cases.append((op["name"], name, value, check, bound))
    return cases


def test_kernel_refuses_past_the_specs_bounds(ynl, spec):
    """A request attribute one past a bound of its checks is refused by
    the kernel's policy, the extack pointing at it; where the extack
    carries the policy, its bound is the spec's."""
    sys.path.insert(0, YNL)
    try:
        from lib import NlError
    finally:
        sys.path.remove(YNL)
    cases = bound_violations(spec)
    assert len(cases) > 30
    wrong, compared = [], 0
    for op, name, value, check, bound in cases:
        shown = value if not isinstance(value, (str, bytes)) else f"{len(value)} bytes"
        what = f"{op} {name}={shown} ({check} {bound})"
        try:
            ynl.do(op, {name: value})
        except NlError as e:
            extack = e.nl_msg.extack or {}
            if extack.get("bad-attr") != f".{name}":
                wrong.append(f"{what}: refused, but not for it: {e}")
                continue
            policy = extack.get("policy", {})
            if POLICY_KEYS[check] in policy:
                compared += 1
                if policy[POLICY_KEYS[check]] != bound:
                    wrong.append(f"{what}: the kernel's policy says {policy}")
            continue
        wrong.append(f"{what}: accepted")
    assert not wrong, "\n".join(wrong)
    # the kernel sends its policy with range errors: most bounds compared
    assert compared > len(cases) // 2, f"only {compared} of {len(cases)} bounds in extack policies"
