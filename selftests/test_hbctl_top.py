# SPDX-License-Identifier: GPL-2.0-only
"""hbctl top as a person at a terminal sees it, under a pseudo-terminal:
two hosts, host 1's screen shows peer 2 alive and is redrawn; q quits, and
so does Ctrl-C (the pty's interrupt character, a real SIGINT); either way
the exit status is 0, the cursor is shown again and the terminal's modes
are those it had before. Without a terminal it prints one snapshot, plain
text or JSON. hbctl reaches each host with -n NETNS, as ip does."""
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import termios
import time

import pytest

from conftest import timing_scale
from hbcluster import HBCTL, Cluster, wait_for

CLEAR = b"\x1b[H\x1b[2J"
CURSOR_SHOW = b"\x1b[?25h"
ROWS, COLS = 24, 80


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(2, interval="10ms", fall=3, rise=2, slack="50ms", prefix="tp")
    try:
        assert wait_for(c.all_alive, 10), "the two hosts never saw each other alive"
        yield c
    finally:
        c.close()


class Pty:
    """hbctl ARGS with a pseudo-terminal as its controlling terminal,
    stdin, stdout and stderr; everything it writes collected."""

    def __init__(self, *args):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.modes = termios.tcgetattr(self.slave)
        self.out = b""

        def ctty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen([HBCTL, *args], stdin=self.slave, stdout=self.slave,
                                     stderr=self.slave, preexec_fn=ctty)

    def read(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                self.out += os.read(self.master, 65536)
            except OSError:
                pass

    def read_until(self, pred, timeout):
        end = time.monotonic() + timing_scale(timeout)
        while not pred(self.out) and time.monotonic() < end:
            self.read(0.1)
        return pred(self.out)

    def frames(self):
        return self.out.split(CLEAR)[1:]

    def finish(self, timeout=5):
        rc = self.proc.wait(timeout=timing_scale(timeout))
        self.read(0.2)
        return rc

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


def peer_line(frame, peer, state):
    return re.search(rb"^%d +%s +" % (peer, state.encode()), frame, re.M)


@pytest.mark.parametrize("key", [b"q", b"\x03"], ids=["q", "ctrl_c"])
def test_top_live_screen(cluster, key):
    host = cluster.hosts[0]
    t = Pty("-n", host, "top", "interval", "200ms")
    try:
        # A second frame is a redraw: the screen refreshes by itself.
        assert t.read_until(lambda out: out.count(CLEAR) >= 3, 10), t.out[-2000:]
        frames = t.frames()
        first = frames[0]
        assert first.startswith(b"node 1  peers 1  alive 1"), first
        assert b"every 200ms  q quits" in first, first
        assert re.search(rb"^PEER +STATE +PHI +RTT +SEEN +LINKS", first, re.M), first
        for frame in frames[:-1]:
            assert peer_line(frame, 2, "alive"), frame
        # Keys are read without Enter and not echoed.
        mode = termios.tcgetattr(t.slave)
        assert not mode[3] & (termios.ICANON | termios.ECHO), mode
        os.write(t.master, key)
        assert t.finish() == 0, t.out[-2000:]
        assert t.out.endswith(CURSOR_SHOW), t.out[-200:]
        assert termios.tcgetattr(t.slave) == t.modes
        # The screen never scrolls: no frame is taller than the terminal.
        for frame in t.frames():
            assert frame.count(b"\n") < ROWS, frame
    finally:
        t.close()


def test_top_snapshot_without_terminal(cluster):
    host = cluster.hosts[1]
    r = subprocess.run([HBCTL, "-n", host, "top"], capture_output=True, timeout=10)
    assert r.returncode == 0, r.stderr
    assert b"\x1b" not in r.stdout, r.stdout
    lines = r.stdout.decode().splitlines()
    assert lines[0].startswith("node 2  peers 1  alive 1"), lines
    assert re.match(r"1 +alive +\S+ +\S+ +\d", lines[2]), lines
    assert len(lines) == 3, lines


def test_top_json_snapshot(cluster):
    r = subprocess.run([HBCTL, "-json", "-netns", cluster.hosts[0], "top"],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    peers = json.loads(r.stdout)
    assert [(p["id"], p["state"]) for p in peers] == [(2, "alive")], peers
    assert peers[0]["last_seen_us"] < timing_scale(1000000), peers
    assert peers[0]["links_up"] == peers[0]["links"] == 1, peers


def test_netns_absent(cluster):
    r = subprocess.run([HBCTL, "-n", "tp-none", "top"], capture_output=True, text=True,
                       timeout=10)
    assert r.returncode == 1
    assert r.stderr == ('Error: cannot open network namespace "tp-none": '
                        "No such file or directory.\n"), r.stderr
