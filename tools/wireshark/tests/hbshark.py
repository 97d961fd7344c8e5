# SPDX-License-Identifier: GPL-2.0-only
"""What the dissector's tests share: kmod/proto.h's constants, pcap files,
and tshark run with tools/wireshark/heartbeat.lua, its JSON read back as
each frame's fields in tree order."""
import functools
import glob
import json
import os
import re
import struct
import subprocess
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LUA = os.environ.get("HB_WS_LUA", os.path.join(TOP, "tools/wireshark/heartbeat.lua"))
GROUP = bytes.fromhex("034842000001")


def c_constants(*headers, enums=None):
    """The #defines and enum members of C headers that evaluate to integers,
    by name (an enum member without a value is the previous one plus one).
    enums, a dict, gets each enum's members: {enum name: {member: value}}."""
    values = {}
    for header in headers:
        with open(os.path.join(TOP, header)) as f:
            text = re.sub(r"/\*.*?\*/|//[^\n]*", "", f.read(), flags=re.S)
        for name, expr in re.findall(r"^#define\s+(\w+)\s+(.+)$", text, re.M):
            _define(values, name, expr)
        for enum, body in re.findall(r"\benum\s+(\w*)\s*\{(.*?)\}", text, re.S):
            nxt = 0
            members = {}
            for item in body.split(","):
                item = item.strip()
                if not item:
                    continue
                name, _, expr = item.partition("=")
                name = name.strip()
                if expr.strip():
                    _define(values, name, expr)
                else:
                    values[name] = nxt
                if name in values:
                    members[name] = values[name]
                nxt = values.get(name, nxt) + 1
            if enums is not None:
                enums[enum] = members
    return values


def _define(values, name, expr):
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr.strip())
    if not re.fullmatch(r"[\w\s()|+*<>&-]+", expr):
        return
    try:
        values[name] = int(eval(expr, {"__builtins__": {}}, dict(values)))
    except Exception:
        pass


def proto_h():
    return c_constants("kmod/proto.h")


def ether(payload, ethertype=None, src=bytes.fromhex("020000000001"), dst=GROUP, vlan=None):
    """An Ethernet II frame (802.1Q tagged with vlan) carrying payload."""
    if ethertype is None:
        ethertype = proto_h()["HB_ETHERTYPE_DEFAULT"]
    tag = b"" if vlan is None else struct.pack("!HH", 0x8100, vlan)
    return dst + src + tag + struct.pack("!H", ethertype) + payload


def write_pcap(path, frames, times=None, caps=None):
    """frames (whole Ethernet frames) as a pcap file, nanosecond stamps;
    caps, the bytes of each frame captured (a snapshot length cut it)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            ns = times[i] if times else 1_700_000_000_000_000_000 + i * 1000
            cap = len(fr) if caps is None else min(caps[i], len(fr))
            f.write(struct.pack("<IIII", ns // 10**9, ns % 10**9, cap, len(fr)) + fr[:cap])


ROOT_WARNING = re.compile(r'^Running as user "root" and group "root"\. This could be dangerous\.$')


class TsharkError(Exception):
    pass


# Where Wireshark's global Lua plugins are (tshark -G folders says, but
# asking costs a tshark start, seconds under emulation).
GLOBAL_PLUGINS = ("/usr/lib/*/wireshark/plugins", "/usr/lib*/wireshark/plugins")


@functools.lru_cache(maxsize=None)
def lua_args():
    """tshark's options that load the dissector: none if Wireshark's global
    plugins hold this very file (make install), which tshark loads anyway,
    and a second copy would fail to register. An installed copy that
    differs would shadow the one under test: an error."""
    for pattern in GLOBAL_PLUGINS:
        for installed in glob.glob(os.path.join(pattern, "heartbeat.lua")):
            with open(installed, "rb") as a, open(LUA, "rb") as b:
                if a.read() != b.read():
                    raise TsharkError(f"{installed} shadows {LUA}: make uninstall")
            return []
    return ["-X", f"lua_script:{LUA}"]


def tshark(pcap, prefs=None, extra=(), env=None):
    """tshark -T json with the dissector over pcap: the heartbeat layer of
    every frame, as a list of (field, value) in tree order (None for a frame
    without one). Raises TsharkError on a Lua error, anything on stderr but
    the warning of running as root, or a failure. A private HOME keeps
    anyone's own plugins and preferences out."""
    # Only the heartbeat layer, and the Lua errors, come out: JSON of whole
    # frames takes long to make under emulation.
    args = ["tshark", "-n", *lua_args(), "-r", pcap, "-T", "json", "--no-duplicate-keys",
            "-J", "heartbeat _ws.lua"]
    for k, v in (prefs or {}).items():
        args += ["-o", f"heartbeat.{k}:{v}"]
    args += list(extra)
    with tempfile.TemporaryDirectory() as home:
        e = dict(os.environ if env is None else env, HOME=home, XDG_CONFIG_HOME=home)
        r = subprocess.run(args, capture_output=True, text=True, env=e)
    stderr = [l for l in r.stderr.splitlines() if l.strip() and not ROOT_WARNING.match(l)]
    if r.returncode or stderr:
        raise TsharkError(f"tshark exited {r.returncode}: {' | '.join(stderr)[:2000]}")
    if "Lua Error" in r.stdout or "_ws.lua.error" in r.stdout:
        i = r.stdout.find("Lua Error")
        raise TsharkError("Lua error in the output: " + r.stdout[max(i, 0):][:500])
    out = []
    for pkt in json.loads(r.stdout or "[]"):
        layer = pkt["_source"]["layers"].get("heartbeat")
        out.append(None if layer is None else list(_flatten(layer)))
    return out


def _flatten(node):
    for key, value in node.items():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, dict):
                yield key, None
                yield from _flatten(v)
            else:
                yield key, v


def values(fields, name):
    """Every value of field name in one frame's fields, in order."""
    return [v for k, v in fields if k == name]


def verdict(fields):
    """heartbeat.drop of a frame: the drop counter receivers would count it
    in, "ok" when none."""
    drop = values(fields, "heartbeat.drop")
    return drop[0] if drop else "ok"


def experts(fields):
    """The expert infos of a frame, by their field names (heartbeat.malformed.tlv...)."""
    return [fields[i + 1][0] for i, (k, v) in enumerate(fields[:-1])
            if k == "_ws.expert" and v is None]
