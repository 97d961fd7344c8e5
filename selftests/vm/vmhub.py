# SPDX-License-Identifier: GPL-2.0-only
"""One Ethernet segment for the guests of selftests/vm/multi: a hub on
127.0.0.1 that every guest's QEMU joins with -netdev socket,connect=, and
that forwards each frame to every other guest. QEMU frames a socket
netdev's stream as a 4-byte big-endian length, then the frame. Each guest
has a port of its own, so a connection is known by the port it came to.

The hub is also where the network fails: a cut guest's frames are dropped
both ways, as if its cable were pulled, until it is restored. It stamps the
last heartbeat of each guest it forwarded (host CLOCK_REALTIME), the instant
a detection time is measured from."""
import selectors
import socket
import struct
import threading
import time

HEARTBEAT_ETHERTYPE = 0x88B5
# Bytes queued for a guest that does not read (a stopped QEMU) before
# frames to it are dropped, so that it cannot stall the others.
MAX_QUEUE = 1 << 20
LEN = struct.Struct(">I")


class Port:
    def __init__(self, index):
        self.index = index
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.number = self.listener.getsockname()[1]
        self.conn = None
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.cut = False
        self.last_heartbeat_ns = None
        self.last_type = None		# the message type of that frame
        self.frames = self.dropped = 0


class Hub:
    def __init__(self, n):
        """Ports for guests 1 to n, listening before any QEMU starts."""
        self.ports = {i: Port(i) for i in range(1, n + 1)}
        self.lock = threading.Lock()
        self.sel = selectors.DefaultSelector()
        for p in self.ports.values():
            self.sel.register(p.listener, selectors.EVENT_READ, p)
        self.wake_r, self.wake_w = socket.socketpair()
        self.sel.register(self.wake_r, selectors.EVENT_READ, None)
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def port(self, i):
        return self.ports[i].number

    def cut(self, i):
        """Cut guest i off; returns the instant (host ns)."""
        with self.lock:
            self.ports[i].cut = True
            return time.time_ns()

    def restore(self, i):
        with self.lock:
            self.ports[i].cut = False
            return time.time_ns()

    def last_heartbeat_ns(self, i):
        """When the hub last forwarded a heartbeat frame of guest i."""
        with self.lock:
            return self.ports[i].last_heartbeat_ns

    def last_frame(self, i):
        """(instant, message type) of the last heartbeat-protocol frame the
        hub forwarded from guest i: a DYING frame (6) is a node's last words."""
        with self.lock:
            p = self.ports[i]
            return p.last_heartbeat_ns, p.last_type

    def counters(self, i):
        with self.lock:
            p = self.ports[i]
            return {"frames": p.frames, "dropped": p.dropped, "connected": p.conn is not None}

    def close(self):
        self.running = False
        self.wake_w.send(b"x")
        self.thread.join()
        for p in self.ports.values():
            p.listener.close()
            if p.conn:
                p.conn.close()
        self.wake_r.close()
        self.wake_w.close()
        self.sel.close()

    def _loop(self):
        while self.running:
            for key, events in self.sel.select(timeout=1):
                p = key.data
                if p is None:
                    self.wake_r.recv(16)
                elif key.fileobj is p.listener:
                    self._accept(p)
                else:
                    if events & selectors.EVENT_READ:
                        self._read(p)
                    if events & selectors.EVENT_WRITE and p.conn:
                        self._flush(p)

    def _accept(self, p):
        conn, _ = p.listener.accept()
        if p.conn:		# one guest a port
            conn.close()
            return
        conn.setblocking(False)
        p.conn = conn
        self.sel.register(conn, selectors.EVENT_READ, p)

    def _drop(self, p):
        """The guest's QEMU is gone (killed, or its guest panicked)."""
        self.sel.unregister(p.conn)
        p.conn.close()
        p.conn = None
        p.inbuf.clear()
        p.outbuf.clear()

    def _read(self, p):
        try:
            data = p.conn.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(p)
            return
        p.inbuf += data
        while len(p.inbuf) >= LEN.size:
            size = LEN.unpack_from(p.inbuf)[0]
            if len(p.inbuf) < LEN.size + size:
                break
            frame = bytes(p.inbuf[:LEN.size + size])
            del p.inbuf[:LEN.size + size]
            self._forward(p, frame)

    def _forward(self, src, framed):
        with self.lock:
            src.frames += 1
            if src.cut:
                src.dropped += 1
                return
            sent = False
            for dst in self.ports.values():
                if dst is src or dst.conn is None or dst.cut:
                    continue
                if len(dst.outbuf) > MAX_QUEUE:
                    dst.dropped += 1
                    continue
                dst.outbuf += framed
                sent = True
            ethertype = framed[LEN.size + 12:LEN.size + 14]
            if sent and ethertype == HEARTBEAT_ETHERTYPE.to_bytes(2, "big"):
                src.last_heartbeat_ns = time.time_ns()
                # Ethernet header, then the heartbeat header: type at 3.
                if len(framed) > LEN.size + 14 + 3:
                    src.last_type = framed[LEN.size + 14 + 3]
        for dst in self.ports.values():
            if dst.outbuf and dst.conn:
                self._flush(dst)

    def _flush(self, p):
        try:
            del p.outbuf[:p.conn.send(p.outbuf)]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._drop(p)
            return
        # Wait for room only while something is queued.
        want = selectors.EVENT_READ | (selectors.EVENT_WRITE if p.outbuf else 0)
        if self.sel.get_key(p.conn).events != want:
            self.sel.modify(p.conn, want, p)
