# SPDX-License-Identifier: GPL-2.0-only
"""Gossip at scale: 64 members, each configured with the other 63. The
64th joins a converged cluster of 63; the test times, from its first frame
(kernel receive timestamp at member 1) to the moment member 1's view of it
is full, how long the others' digests take to say that they hear it."""
import subprocess
import time

import pytest

import hbgenl as g
from hbcluster import Cluster, wait_for
from test_partition import FALL, quorum

N = 64
# Slow enough for 63 senders, each heard by 62, to fit the emulated CPUs.
INTERVAL_MS = 1000
# Member 1 keeps 32 reports per peer; the newcomer is heard by 62 others.
FULL = min(32, N - 2)


@pytest.fixture
def backlog():
    """One kernel plays a 64-port switch: a frame flooded to 63 ports is 63
    packets in one CPU's backlog at once, and the default 1000 overflows
    after a stall of the emulated CPU (softnet drops). Real hosts each
    have their own."""
    path = "/proc/sys/net/core/netdev_max_backlog"
    with open(path) as f:
        old = f.read().strip()
    with open(path, "w") as f:
        f.write("200000")
    yield
    with open(path, "w") as f:
        f.write(old)


def test_64th_member_is_in_everyones_view_within_a_rotation(backlog):
    # The newcomer, pm64, is created only once the others have converged:
    # nobody may have heard it before.
    c = Cluster(N - 1, interval=f"{INTERVAL_MS}ms", fall=FALL, slack=f"{INTERVAL_MS}ms",
                prefix="pm")
    watch = None
    try:
        for i, host in enumerate(c.hosts, 1):
            genl, _ = c.genl(host)
            for j in range(1, N + 1):
                if j != i:
                    genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
            genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"],
                    g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], N))
            genl.close()
        first = c.hosts[0]

        def states():
            count = {}
            for p in c.peers(first).values():
                count[p["state"]] = count.get(p["state"], 0) + 1
            return count

        def diagnose():
            bad = {i: {k: p.get(k) for k in ("state", "local_state", "last_seen_us", "rx",
                                             "lost")}
                   for i, p in c.peers(first).items() if p["state"] != "alive" or p["lost"]}
            st = c.stats(first)
            links = {h: {k: v for k, v in c.hbj(h, "link", "show")[0].items()
                         if k in ("tx", "tx_errors", "tx_skipped", "tx_overruns")}
                     for h in ("pm2", "pm30", "pm40")}
            with open("/proc/net/softnet_stat") as f:
                softnet = [int(line.split()[1], 16) for line in f]
            return (f"{states()}; drops {st.get('drops')}; probes {st.get('probes_tx')}; "
                    f"links {links}; softnet drops {softnet}; {bad}")

        if not wait_for(lambda: states().get("alive") == N - 2, 60):
            raise AssertionError(f"63 members never all alive: {diagnose()}")
        # Member 1's view of the newcomer, read every few milliseconds by a
        # loop in its namespace: "<CLOCK_REALTIME ns> <observers>".
        watch = subprocess.Popen(
            ["ip", "netns", "exec", first, "sh", "-c",
             f"f=/sys/kernel/heartbeat/instance/peers/{N}/heard_by; "
             "while :; do l=; read -r l < $f; set -- $l; echo $(date +%s%N) $#; "
             f"[ $# -ge {FULL} ] && exit 0; done"],
            stdout=subprocess.PIPE, text=True)
        newcomer = f"pm{N}"
        c.add_host(newcomer, N)
        c.hosts.append(newcomer)
        genl, ifindex = c.genl(newcomer)
        genl.node_set(g.u32(g.A_NODE_ID, N) + g.u32(g.A_NODE_CLUSTER, 1)
                      + g.u32(g.A_NODE_INTERVAL_US, INTERVAL_MS * 1000)
                      + g.u32(g.A_NODE_FALL, FALL) + g.u32(g.A_NODE_RISE, 2)
                      + g.u32(g.C["HEARTBEAT_A_NODE_SLACK_US"], INTERVAL_MS * 1000))
        for j in range(1, N):
            genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
        cap = c.capture(first)
        time.sleep(0.3)
        up = time.time_ns()
        genl.do(g.C["HEARTBEAT_CMD_LINK_ADD"], g.u32(g.C["HEARTBEAT_A_LINK_IFINDEX"], ifindex))
        genl.close()
        lines = watch.communicate(timeout=60)[0].split()
        full_ns = int(lines[-2])
        assert int(lines[-1]) >= FULL
        heard = cap.from_node(N)
        # Its first frame as member 1 received it (else: the link came up).
        took_ms = (full_ns - (heard[0]["ts"] if heard else up)) / 1e6
        print(f"# {N} members: member 1's view of the newcomer full ({FULL} observers) "
              f"{took_ms:.0f} ms = {took_ms / INTERVAL_MS:.1f} intervals after its first frame")
        # Each member needs rise (2) frames to hear it, then at most a
        # rotation of 2 frames to name it; a frame of TCG noise on top.
        assert 0 < took_ms <= 6 * INTERVAL_MS, f"{took_ms}: {diagnose()}"
        assert wait_for(lambda: quorum(c, first)["votes"] == N and quorum(c, first)["quorate"],
                        10)
        stats = c.stats(first)
        assert stats["gossip_tx"] > 0 and stats["gossip_rx"] > 0, stats
    finally:
        if watch and watch.poll() is None:
            watch.kill()
        c.close()
