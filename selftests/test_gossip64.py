# SPDX-License-Identifier: GPL-2.0-only
"""Gossip at scale: 64 members, each configured with the other 63, whose
views converge within a rotation of their digests."""
import time

import hbgenl as g
from hbcluster import Cluster, wait_for
from test_partition import FALL, quorum


def test_64_members_converge_through_gossip():
    """64 members at 100 ms, each configured with the other 63: once every
    member hears every other, each one's reports about all 63 reach every
    member within a rotation (two frames of 32 entries) and the standing
    time of a report; every member then counts 64 votes."""
    n, interval_ms = 64, 100
    c = Cluster(n, interval=f"{interval_ms}ms", fall=FALL, slack=f"{3 * interval_ms}ms",
                prefix="pm")
    try:
        for i, host in enumerate(c.hosts, 1):
            genl, _ = c.genl(host)
            for j in range(1, n + 1):
                if j != i:
                    genl.do(g.C["HEARTBEAT_CMD_PEER_ADD"], g.u32(g.C["HEARTBEAT_A_PEER_ID"], j))
            genl.do(g.C["HEARTBEAT_CMD_QUORUM_SET"],
                    g.u32(g.C["HEARTBEAT_A_QUORUM_EXPECTED_VOTES"], n))
            genl.close()
        sample = c.hosts[::16]

        def all_alive():
            return all(all(p["state"] == "alive" for p in c.peers(h).values())
                       for h in sample)

        assert wait_for(all_alive, 60), "64 members never all alive"
        t = time.monotonic()
        # Each peer is heard by the other 62; a peer keeps 32 reports.
        full = min(32, n - 2)

        def converged():
            return all(len(p["heard_by"]) >= full for h in sample
                       for p in c.peers(h).values())

        assert wait_for(converged, 30), "views did not converge"
        took = time.monotonic() - t
        rounds = took * 1000 / interval_ms
        print(f"# 64 members: full views {took * 1000:.0f} ms ({rounds:.1f} intervals) "
              f"after all were alive")
        # Rotation (2 frames) + a frame in flight + the hbctl reads under TCG.
        assert rounds <= 3 + 10, rounds
        assert wait_for(lambda: all(quorum(c, h)["votes"] == n and quorum(c, h)["quorate"]
                                    for h in sample), 10)
        gossip = c.stats(sample[0])
        assert gossip["gossip_tx"] > 0 and gossip["gossip_rx"] > 0, gossip
    finally:
        c.close()
