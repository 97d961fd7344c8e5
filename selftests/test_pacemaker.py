# SPDX-License-Identifier: GPL-2.0-only
"""heartbeat under a real corosync + Pacemaker cluster: three hosts, each a
network, mount and UTS namespace of the VM (selftests/pacemaker/host.sh),
running corosync (knet over br0, eth0) and pacemakerd; heartbeat runs on two
networks of its own (eth1, eth2), configured by the ocf:hbmod:heartbeat
clone, which publishes #health-heartbeat. Fencing: every node's level 1 is
fence_heartbeat, then a test power device (pacemaker/fence_hbtestpower,
which kills a host's processes and downs its links after 3 s, as a BMC
takes its time). The scenarios, in order:

1. the cluster converges: all online, the clone started, health green;
2. one of pm3's heartbeat networks cut: every node yellow, then green;
3. pm3 cut off from every network: the majority's DC fences pm3 through
   the level (fence_heartbeat confirms the consensus death, the power
   device acts); pm3, alone and told to ignore its lost quorum, tries to
   fence pm1 and pm2 and fence_heartbeat refuses (not quorate);
4. pm3 back, then only its heartbeat networks cut: pm3 turns red in the
   CIB, and the majority's heartbeat-fence hook (FENCE_MODE=pacemaker, run
   for each uevent as udev would) gets pm3 fenced through the same level
   while corosync still counts it a member.

Needs about 1.3 GB: run it in a VM of its own with --mem 2G."""
import os
import re
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from hbcluster import HB_TOP, UeventListener, ip_batch, wait_for

HOSTS = ["pm1", "pm2", "pm3"]
SWITCH = "pmsw"
PMTEST = "/tmp/pmtest"
HOST_SH = os.path.join(HB_TOP, "selftests/pacemaker/host.sh")
HOOK = os.path.join(HB_TOP, "tools/fencing/heartbeat-fence")
# eth0 carries corosync, eth1 and eth2 heartbeat only.
BRIDGES = {"eth0": "br0", "eth1": "br1", "eth2": "br2"}
# corosync: token 2 s exactly (no coefficient), consensus 1.2 x token.
TOKEN_MS = 2000
# heartbeat: a local verdict 100 ms x 3 + 200 ms of slack after the last
# frame, far below the token: its proof is there when Pacemaker asks.
HB_NODE = "interval 100ms fall 3 rise 2 slack 200ms learn off"
HEALTH = "#health-heartbeat"
T0 = time.monotonic()


def log(msg):
    print(f"# [{time.monotonic() - T0:6.1f} s] {msg}", flush=True)


class Host:
    def __init__(self, i):
        self.i = i
        self.name = f"pm{i}"
        self.dir = os.path.join(PMTEST, self.name)
        os.makedirs(self.dir, exist_ok=True)
        self.holder = None

    def enter(self):
        return ["nsenter", "-t", str(self.holder), "-m", "-u", "-n", "--"]

    def run(self, *cmd, check=True, input=None, timeout=60, env=None):
        r = subprocess.run(self.enter() + list(cmd), capture_output=True, text=True,
                           input=input, timeout=timeout, env=env)
        if check and r.returncode:
            raise AssertionError(f"{self.name}: {' '.join(cmd)}: exit {r.returncode}: "
                                 f"{r.stderr.strip() or r.stdout.strip()}")
        return r

    def put(self, path, text, mode=0o644):
        self.run("sh", "-c", f'umask 077; cat >"$1" && chmod {mode:o} "$1"', "put", path,
                 input=text)

    def read(self, path):
        r = self.run("cat", path, check=False)
        return r.stdout if r.returncode == 0 else ""

    def spawn(self, cmd, logfile, env=""):
        """A daemon of this host, detached from the test."""
        subprocess.Popen(self.enter() + ["sh", "-c", f"{env} exec {cmd} >{logfile} 2>&1"],
                         stdin=subprocess.DEVNULL, start_new_session=True)

    def start_stack(self):
        """corosync, then pacemakerd, whose fencer must have connected to the
        CIB: under a loaded emulated CPU the CIB manager can take longer than
        the fencer's retries, and a fencer without the CIB knows no fencing
        topology - it would fence with any device it has (Pacemaker 2.1.5)."""
        self.spawn("corosync -f", "/var/log/cluster/corosync.out")
        ok = wait_for(lambda: self.run("corosync-cmapctl", "totem.cluster_name",
                                       check=False).returncode == 0, 30, step=0.5)
        assert ok, f"{self.name}: corosync did not start: " + \
            self.read("/var/log/cluster/corosync.out")
        seen = len(self.pacemaker_log())
        self.spawn("pacemakerd", "/var/log/pacemaker/pacemakerd.out",
                   env="PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none")
        for attempt in range(3):
            def fencer():
                new = self.pacemaker_log()[seen:]
                if lines(new, "pacemaker-fenced", "(setup_cib)", "error:"):
                    return "without"
                return "Watching for fencing topology changes" in new
            result = wait_for(fencer, 90, step=1)
            if result is True:
                return
            assert result == "without", f"{self.name}: the fencer did not start"
            # pacemakerd starts it again; by now the CIB manager answers.
            log(f"{self.name}: the fencer started without the CIB, restarting it")
            seen = len(self.pacemaker_log())
            for pid in self.netns_pids():
                try:
                    with open(f"/proc/{pid}/comm") as f:
                        if f.read().strip() == "pacemaker-fence":	# comm: 15 bytes
                            os.kill(pid, 9)
                except OSError:
                    pass
        raise AssertionError(f"{self.name}: the fencer never connected to the CIB")

    def netns_pids(self):
        """Processes of this host's network namespace, the holder aside."""
        mine = os.readlink(f"/proc/{self.holder}/ns/net")
        pids = []
        for p in os.listdir("/proc"):
            if p.isdigit() and int(p) != self.holder:
                try:
                    if os.readlink(f"/proc/{p}/ns/net") == mine:
                        pids.append(int(p))
                except OSError:
                    pass
        return pids

    def kill_all(self, holder_too=False):
        for pid in self.netns_pids() + ([self.holder] if holder_too else []):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass

    def pacemaker_log(self):
        return self.read("/var/log/pacemaker/pacemaker.log")


def corosync_conf():
    nodes = "".join(f"""	node {{
		ring0_addr: 10.77.0.{i}
		name: pm{i}
		nodeid: {i}
	}}
""" for i in range(1, len(HOSTS) + 1))
    return f"""totem {{
	version: 2
	cluster_name: hbpm
	transport: knet
	crypto_cipher: aes256
	crypto_hash: sha256
	token: {TOKEN_MS}
	token_coefficient: 0
}}
nodelist {{
{nodes}}}
quorum {{
	provider: corosync_votequorum
}}
logging {{
	to_logfile: yes
	logfile: /var/log/cluster/corosync.log
	to_syslog: no
	to_stderr: no
	timestamp: hires
}}
uidgid {{
	uid: hacluster
	gid: haclient
}}
"""


def heartbeat_conf(i):
    peers = "".join(f"peer add id {j}\n" for j in range(1, len(HOSTS) + 1) if j != i)
    return (f"# pm{i}: heartbeat on eth1 and eth2, corosync alone on eth0\n"
            f"node set id {i} cluster 7 {HB_NODE}\n"
            "link add dev eth1\nlink add dev eth2\n"
            f"{peers}quorum set expected-votes {len(HOSTS)}\n")


FENCE_CONF = """FENCE_MODE=pacemaker
DRY_RUN=0
PACEMAKER_NODES="1:pm1 2:pm2 3:pm3"
PACEMAKER_INTERVAL=30
PACEMAKER_TIMEOUT=60
FENCE_LOG=/var/log/cluster/heartbeat-fence.log
FENCE_LOCK=/run/heartbeat-fence.lock
FENCE_STATE=/run/heartbeat-fence
"""

RESOURCES = """<resources>
  <clone id="hb-clone">
    <meta_attributes id="hb-clone-meta">
      <nvpair id="hb-clone-unhealthy" name="allow-unhealthy-nodes" value="true"/>
    </meta_attributes>
    <primitive id="hb" class="ocf" provider="hbmod" type="heartbeat">
      <instance_attributes id="hb-params">
        <nvpair id="hb-config" name="config" value="/run/heartbeat/heartbeat.conf"/>
      </instance_attributes>
      <operations>
        <op id="hb-start" name="start" interval="0" timeout="60s"/>
        <op id="hb-monitor" name="monitor" interval="5s" timeout="30s"/>
      </operations>
    </primitive>
  </clone>
  <primitive id="hb-fence" class="stonith" type="fence_heartbeat">
    <instance_attributes id="hb-fence-params">
      <nvpair id="hb-fence-map" name="pcmk_host_map" value="pm1:1;pm2:2;pm3:3"/>
      <nvpair id="hb-fence-timeout" name="power_timeout" value="10"/>
    </instance_attributes>
  </primitive>
  <primitive id="power" class="stonith" type="fence_hbtestpower">
    <instance_attributes id="power-params">
      <nvpair id="power-hosts" name="pcmk_host_list" value="pm1 pm2 pm3"/>
    </instance_attributes>
  </primitive>
</resources>"""

TOPOLOGY = "<fencing-topology>" + "".join(
    f'<fencing-level id="fl-pm{i}" target="pm{i}" index="1" devices="hb-fence,power"/>'
    for i in range(1, len(HOSTS) + 1)) + "</fencing-topology>"

CLUSTER_OPTIONS = {
    "stonith-enabled": "true",
    "stonith-action": "off",
    "stonith-timeout": "60s",
    "node-health-strategy": "migrate-on-red",
    # The cut-off host must try to fence, to show fence_heartbeat refusing:
    # a real cluster keeps the default (stop).
    "no-quorum-policy": "ignore",
}


def crm_mon(h):
    r = h.run("crm_mon", "-1", "--output-as=xml", check=False, timeout=60)
    if r.returncode:
        return None
    try:
        return ET.fromstring(r.stdout)
    except ET.ParseError:
        return None


def online(h):
    """Node names h's partition sees online."""
    mon = crm_mon(h)
    if mon is None:
        return set()
    return {n.get("name") for n in mon.iter("node")
            if n.get("online") == "true" and n.get("name")}


def clone_nodes(h):
    mon = crm_mon(h)
    if mon is None:
        return set()
    return {n.get("name") for r in mon.iter("resource") if r.get("id") == "hb"
            and r.get("role") == "Started" for n in r.iter("node")}


def stonith_started(h):
    """The fencing devices h's partition has started."""
    mon = crm_mon(h)
    if mon is None:
        return set()
    return {r.get("id") for r in mon.iter("resource")
            if r.get("resource_agent", "").startswith("stonith:") and r.get("role") == "Started"}


def health(h):
    """#health-heartbeat of every node, as h's attrd has them."""
    r = h.run("attrd_updater", "-Q", "-A", "-n", HEALTH, check=False)
    return dict(re.findall(r'host="([^"]+)" value="([^"]*)"', r.stdout))


def wait_health(h, want, timeout):
    return wait_for(lambda: all(health(h).get(k) == v for k, v in want.items()), timeout, step=1)


def power_log():
    try:
        with open(os.path.join(PMTEST, "power.log")) as f:
            return [line.split() for line in f]
    except FileNotFoundError:
        return []


def powered_off():
    """(executing host, target) of every completed power-off."""
    return [(w[1], w[3]) for w in power_log() if w[2] == "off" and w[4] == "ok"]


def switch_ports(i, devs, up):
    ip_batch([f"link set {BRIDGES[d]}p{i} {'up' if up else 'down'}" for d in devs], SWITCH)


def lines(text, *needles):
    return [l for l in text.splitlines() if all(n in l for n in needles)]


def save_logs(hosts):
    """Every host's logs and the power log to $HB_PCMK_LOGS (the VM runner's
    out directory), with the CPU each process used, when set."""
    out = os.environ.get("HB_PCMK_LOGS")
    if not out:
        return
    os.makedirs(out, exist_ok=True)
    for h in hosts:
        if not h.holder:
            continue
        for path in ("/var/log/pacemaker/pacemaker.log", "/var/log/cluster/corosync.log",
                     "/var/log/cluster/heartbeat-fence.log"):
            with open(os.path.join(out, f"{h.name}-{os.path.basename(path)}"), "w") as f:
                f.write(h.read(path))
    for name in ("power.log",):
        if os.path.exists(os.path.join(PMTEST, name)):
            shutil.copy(os.path.join(PMTEST, name), out)
    with open(os.path.join(out, "cpu.txt"), "w") as f:
        f.write(subprocess.run(["ps", "-eo", "pid,time,rss,args", "--sort=-time"],
                               capture_output=True, text=True).stdout)


@pytest.fixture(scope="module")
def cluster():
    if not shutil.which("corosync") or not shutil.which("pacemakerd"):
        pytest.skip("corosync and pacemaker are not installed")
    shutil.rmtree(PMTEST, ignore_errors=True)
    os.makedirs(PMTEST)
    for d in ("/var/log/pacemaker", "/var/log/cluster"):
        os.makedirs(d, exist_ok=True)	# mount points, on the VM's tmpfs /var/log
    hosts = [Host(i) for i in range(1, len(HOSTS) + 1)]
    ip_batch([f"netns add {n}" for n in [SWITCH] + HOSTS])
    ip_batch([c for br in BRIDGES.values() for c in (f"link add {br} type bridge", f"link set {br} up")],
             SWITCH)
    for h in hosts:
        ip_batch([f"link add {dev} netns {h.name} type veth peer name {br}p{h.i} netns {SWITCH}"
                  for dev, br in BRIDGES.items()])
        ip_batch([f"link set {br}p{h.i} master {br} up" for br in BRIDGES.values()], SWITCH)
        ip_batch(["link set lo up"] + [f"link set {d} up" for d in BRIDGES]
                 + [f"addr add 10.77.0.{h.i}/24 dev eth0"], h.name)
    key = os.urandom(256)
    procs = []
    try:
        for h in hosts:
            procs.append(subprocess.Popen(["ip", "netns", "exec", h.name, "unshare", "-m", "-u",
                                           "--propagation", "private", "sh", HOST_SH, h.name,
                                           h.dir, HB_TOP], stdin=subprocess.DEVNULL))
        for h in hosts:
            path = os.path.join(h.dir, "holder")
            assert wait_for(lambda: os.path.exists(path), 60), f"{h.name}: host.sh failed"
            with open(path) as f:
                h.holder = int(f.read())
            h.put("/etc/corosync/corosync.conf", corosync_conf())
            with open(os.path.join(h.dir, "authkey"), "wb") as f:
                f.write(key)
            h.run("sh", "-c", f"cp {h.dir}/authkey /etc/corosync/authkey && "
                  "chmod 0400 /etc/corosync/authkey")
            os.unlink(os.path.join(h.dir, "authkey"))
            h.put("/run/heartbeat/heartbeat.conf", heartbeat_conf(h.i))
            h.put("/run/heartbeat/fence.conf", FENCE_CONF)
        log("hosts set up")
        for h in hosts:
            h.start_stack()
        yield hosts
    finally:
        save_logs(hosts)
        for h in hosts:
            if h.holder:
                h.kill_all(holder_too=True)
        for p in procs:
            p.wait()
        subprocess.run(["ip", "-force", "-batch", "-"], text=True, stderr=subprocess.DEVNULL,
                       input="".join(f"netns del {n}\n" for n in HOSTS + [SWITCH]))


def test_converges(cluster):
    pm1 = cluster[0]
    everyone = set(HOSTS)
    assert wait_for(lambda: online(pm1) == everyone, 120, step=2), \
        f"online: {online(pm1)}"
    log(f"corosync + pacemaker: {sorted(online(pm1))} online")
    # One update of the CIB (each command costs seconds under emulation).
    options = "".join(f'<nvpair id="opt-{k}" name="{k}" value="{v}"/>'
                      for k, v in CLUSTER_OPTIONS.items())
    pm1.run("cibadmin", "--modify", "--allow-create", "--scope", "configuration", "--xml-text",
            f'<configuration><crm_config><cluster_property_set id="cib-bootstrap-options">'
            f'{options}</cluster_property_set></crm_config>{RESOURCES}{TOPOLOGY}</configuration>')
    configured = pm1.run("cibadmin", "--query", "--scope", "configuration").stdout
    for item in ['id="hb-clone"', 'id="hb-fence"', 'id="power"', 'id="fl-pm3"',
                 'name="node-health-strategy" value="migrate-on-red"']:
        assert item in configured, f"{item} not in the CIB"
    assert wait_for(lambda: clone_nodes(pm1) == everyone, 120, step=2), \
        f"clone started on {clone_nodes(pm1)}"
    assert wait_for(lambda: stonith_started(pm1) == {"hb-fence", "power"}, 120, step=2), \
        f"fencing devices started: {stonith_started(pm1)}"
    green = {n: "green" for n in HOSTS}
    assert wait_health(pm1, green, 60), f"health: {health(pm1)}"
    log(f"clone started everywhere, health {health(pm1)}")
    # The agents, as Pacemaker sees them.
    meta = pm1.run("stonith_admin", "--metadata", "--agent", "fence_heartbeat").stdout
    assert '<resource-agent name="fence_heartbeat"' in meta
    for h in cluster:
        peers = h.run("hbctl", "-j", "peer", "show").stdout
        assert peers.count('"state":"alive"') == len(HOSTS) - 1, f"{h.name}: {peers}"


def test_degraded_heartbeat_network_is_yellow(cluster):
    pm1 = cluster[0]
    start = time.monotonic()
    switch_ports(3, ["eth2"], up=False)
    try:
        yellow = {n: "yellow" for n in HOSTS}
        assert wait_health(pm1, yellow, 30), f"health: {health(pm1)}"
        log(f"pm3's eth2 cut: health {health(pm1)} after {time.monotonic() - start:.1f} s")
        out = pm1.run("hbctl", "peer", "show", "id", "3").stdout
        assert "eth2(down)" in out, out
        assert online(pm1) == set(HOSTS)
    finally:
        switch_ports(3, ["eth2"], up=True)
    green = {n: "green" for n in HOSTS}
    assert wait_health(pm1, green, 30), f"health: {health(pm1)}"
    assert not power_log(), "someone was fenced"


def test_network_cut_majority_fences_isolated_host(cluster):
    pm1, pm2, pm3 = cluster
    dc = crm_mon(pm1).find("summary/current_dc").get("name")
    log(f"DC {dc}; cutting pm3 off every network")
    start = time.monotonic()
    switch_ports(3, BRIDGES, up=False)
    assert wait_for(lambda: ("pm1", "pm3") in powered_off() or ("pm2", "pm3") in powered_off(),
                    120, step=0.5), f"power log: {power_log()}"
    took = time.monotonic() - start
    log(f"pm3 powered off {took:.1f} s after the cut: {powered_off()}")
    assert wait_for(lambda: not pm3.netns_pids(), 10), \
        f"pm3's processes survived its power-off: {pm3.netns_pids()}"
    majority = {"pm1", "pm2"}
    assert wait_for(lambda: online(pm1) == majority, 60, step=2), f"online: {online(pm1)}"
    # Who fenced whom: only pm3 was powered off, by the majority.
    assert {t for _, t in powered_off()} == {"pm3"}, power_log()
    assert {w[1] for w in power_log()} <= majority, power_log()
    done = wait_for(lambda: [l for h in (pm1, pm2) for l in
                             lines(h.pacemaker_log(), "Operation 'off' targeting pm3", "OK")],
                    30, step=1)
    for l in (done or [])[:4]:
        log(f"majority: {l}")
    assert done, "no successful fencing of pm3 in the majority's logs"
    logs = {h.name: h.pacemaker_log() for h in cluster}
    # pm3 alone tried to fence the others; fence_heartbeat refused.
    refused = lines(logs["pm3"], "Refused to confirm node", "not quorate")
    for l in refused[:4]:
        log(f"pm3: {l}")
    assert refused, "pm3's log shows no refusal:\n" + "\n".join(
        lines(logs["pm3"], "fence")[-30:])
    for l in lines(logs["pm3"], "Operation 'off' targeting pm")[:4]:
        log(f"pm3: {l}")
    for other in ("pm1", "pm2"):
        assert not lines(logs["pm3"], f"Operation 'off' targeting {other}", "OK")


def test_uevent_path_fences_before_corosync_notices(cluster):
    pm1, pm2, pm3 = cluster
    # pm3 powered on again: links up, its stack started.
    pm3.run("sh", "-c", "for d in eth0 eth1 eth2; do ip link set $d up; done")
    switch_ports(3, BRIDGES, up=True)
    pm3.start_stack()
    start = time.monotonic()
    assert wait_for(lambda: online(pm1) == set(HOSTS) and clone_nodes(pm1) == set(HOSTS),
                    180, step=2), f"online {online(pm1)}, clone {clone_nodes(pm1)}"
    green = {n: "green" for n in HOSTS}
    assert wait_health(pm1, green, 60), f"health: {health(pm1)}"
    log(f"pm3 back: online and green {time.monotonic() - start:.1f} s after its start")
    offs_before = len(powered_off())

    listeners = {h.name: UeventListener(h.name) for h in (pm1, pm2)}
    hooked = set()
    stop = threading.Event()

    def udev(cut):
        """udev's part: each dead or restart uevent for node 3 handed to the
        hook of the host it came from, as 90-heartbeat.rules does."""
        while not stop.is_set():
            for h in (pm1, pm2):
                for e in listeners[h.name].find(after=cut, HEARTBEAT_NODE=3):
                    key = (h.name, e["HEARTBEAT_SEQ"])
                    if key in hooked or not (e.get("HEARTBEAT_STATE") == "dead" or
                                             e.get("HEARTBEAT_EVENT") == "restart"):
                        continue
                    hooked.add(key)
                    env = [f"{k}={v}" for k, v in e.items() if k.startswith("HEARTBEAT_")]
                    subprocess.Popen(h.enter() + ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                                  "HEARTBEAT_FENCE_CONF=/run/heartbeat/fence.conf"]
                                     + env + [HOOK], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, start_new_session=True)
            time.sleep(0.02)

    try:
        cut = time.time_ns()
        start = time.monotonic()
        switch_ports(3, ["eth1", "eth2"], up=False)
        hooks = threading.Thread(target=udev, args=(cut,), daemon=True)
        hooks.start()
        red_seen = []

        def red_or_off():
            if not red_seen and health(pm1).get("pm3") == "red":
                red_seen.append(time.monotonic() - start)
            return len(powered_off()) > offs_before
        assert wait_for(red_or_off, 120, step=0.2), f"power log: {power_log()}"
        took = time.monotonic() - start
    finally:
        stop.set()
        for l in listeners.values():
            l.stop()
    log(f"heartbeat networks of pm3 cut: powered off {took:.1f} s later; "
        f"pm3 red in pm1's attrd {red_seen[0]:.1f} s after the cut" if red_seen else
        f"heartbeat networks of pm3 cut: powered off {took:.1f} s later; red not seen")
    assert powered_off()[offs_before:] and \
        {t for _, t in powered_off()[offs_before:]} == {"pm3"}, power_log()
    hook_log = {h.name: h.read("/var/log/cluster/heartbeat-fence.log") for h in (pm1, pm2)}
    asked = [l for n in hook_log for l in lines(hook_log[n], "running stonith_admin --fence pm3")]
    for n in hook_log:
        for l in hook_log[n].splitlines()[:4]:
            log(f"{n} hook: {l}")
    assert asked, "no hook asked Pacemaker to fence pm3"
    # The fencer reports the operation's end once the power device returned.
    def by_admin():
        return [l for h in (pm1, pm2)
                for l in lines(h.pacemaker_log(), "targeting pm3", "stonith_admin", "OK")]
    done = wait_for(by_admin, 30, step=1)
    for l in (done or [])[:3]:
        log(f"fenced: {l}")
    assert done, "no fencing of pm3 on behalf of stonith_admin in the logs"
    # corosync still had pm3 as a member when it was fenced: its only cut
    # was heartbeat's; corosync lost it once the power was off.
    assert wait_for(lambda: online(pm1) == {"pm1", "pm2"}, 60, step=2), f"online {online(pm1)}"
