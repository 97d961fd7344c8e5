# SPDX-License-Identifier: GPL-2.0-only
"""Heartbeat frames built by hand for the VM tests (Documentation/protocol.rst),
signed like the module signs them when asked, and sent from a packet socket
inside a host's namespace."""
import hashlib
import hmac
import socket
import struct
import threading
import time

ETHERTYPE = 0x88B5
GROUP = "03:48:42:00:00:01"
HDR = struct.Struct("!HBBHHIIQQQIHH")


def frame(node=77, cluster=1, seq=1, incarnation=1000, interval=10000, mtype=1,
          version=1, magic=0x4842, link=1, tlvs=b"", length=None, flags=0, tx_time=None,
          reserved=0):
    body_len = HDR.size + len(tlvs)
    hdr = HDR.pack(magic, version, mtype, body_len if length is None else length, link,
                   cluster, node, incarnation, seq,
                   time.time_ns() if tx_time is None else tx_time, interval, flags, reserved)
    return hdr + tlvs


def tlv(t, value):
    pad = b"\0" * (-len(value) % 4)
    return struct.pack("!HH", t, len(value)) + value + pad


def send(host, payloads, dst=GROUP, dev="eth0"):
    """Frames built with scapy, sent from a packet socket opened inside the
    host's namespace (scapy's own interface table belongs to the namespace
    it was imported in)."""
    from scapy.all import Ether, Raw
    sock = packet_socket(host, dev)
    src = sock.getsockname()[4]
    with sock:
        for p in payloads:
            sock.send(bytes(Ether(dst=dst, src=src, type=ETHERTYPE) / Raw(p)))


ECHO_TLV = 0x0002


def echo(*entries):
    """An ECHO TLV: (node, link, seq) of the latest frame heard from each."""
    return tlv(ECHO_TLV, b"".join(struct.pack("!IHHQ", n, l, 0, s) for n, l, s in entries))


AUTH_TLV = 0x8001
MAC_LEN = 16


def signed(payload, key, key_id=1):
    """payload (a frame without an AUTH TLV) with one appended: the length
    field counts it, and the MAC is HMAC-SHA256 over every byte before it,
    truncated to 16 bytes."""
    body = payload + struct.pack("!HHHH", AUTH_TLV, 4 + MAC_LEN, key_id, 0)
    total = len(body) + MAC_LEN
    body = body[:4] + struct.pack("!H", total) + body[6:]
    return body + hmac.new(key, body, hashlib.sha256).digest()[:MAC_LEN]


def packet_socket(host, dev="eth0", proto=0):
    """A packet socket bound to dev in host's namespace; it receives the
    frames of EtherType proto (0: none, for sending)."""
    from pyroute2 import netns as pnetns
    pnetns.pushns(host)
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
        sock.bind((dev, proto))
    finally:
        pnetns.popns()
    return sock


class Sender:
    """Frames sent from a host's packet socket every period by a thread:
    each round sends payloads(n), n the frames sent so far."""

    def __init__(self, host, payloads, period=0.01, dev="eth0"):
        self.sock = packet_socket(host, dev)
        src = self.sock.getsockname()[4]
        self.head = bytes.fromhex(GROUP.replace(":", "")) + src + ETHERTYPE.to_bytes(2, "big")
        self.payloads = payloads
        self.period = period
        self.sent = 0
        self.rounds = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            for p in self.payloads(self.sent):
                self.sock.send(self.head + p)
                self.sent += 1
            self.rounds += 1
            time.sleep(self.period)

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()
