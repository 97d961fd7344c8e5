#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# host.sh NAME DIR TOP: make the namespaces it runs in a cluster host of
# test_pacemaker.py, then hold them. Run as
#     ip netns exec NAME unshare -m -u --propagation private host.sh NAME DIR TOP
# The VM's root is the build machine's root, read-only over 9p: everything
# the cluster stack writes goes to tmpfs mounted here, in this host's own
# mount namespace - corosync's and Pacemaker's configuration, state and
# logs, /run and /dev/shm (libqb's IPC files; its abstract sockets are per
# network namespace already). The agents under test appear in /usr/sbin and
# /usr/lib/ocf/resource.d/hbmod through read-only overlays. The process id
# of the holder (this shell, then sleep) goes to DIR/holder.
set -eu
name=$1 dir=$2 top=$3

hostname "$name"
for d in /etc/corosync /var/lib/pacemaker /var/lib/corosync /var/log/pacemaker \
	 /var/log/cluster /run /dev/shm; do
	mount -t tmpfs -o mode=0755 tmpfs "$d"
done
chmod 1777 /dev/shm
for d in cib pengine blackbox cores; do
	mkdir -m 0750 "/var/lib/pacemaker/$d"
done
# The controller waits dc-deadtime (20 s by default) for a DC before it
# holds an election: that option must be in the CIB it starts with.
cat >/var/lib/pacemaker/cib/cib.xml <<'CIB'
<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-dc-deadtime" name="dc-deadtime" value="2s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
CIB
chmod 0600 /var/lib/pacemaker/cib/cib.xml
chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker
chmod 0770 /var/log/pacemaker
mkdir -p /run/heartbeat /run/pm/sbin /run/pm/ocf/hbmod
ln -s "$top/tools/pacemaker/fence_heartbeat" /run/pm/sbin/fence_heartbeat
ln -s "$top/selftests/pacemaker/fence_hbtestpower" /run/pm/sbin/fence_hbtestpower
ln -s "$top/tools/hbctl/hbctl" /run/pm/sbin/hbctl
ln -s "$top/tools/pacemaker/heartbeat" /run/pm/ocf/hbmod/heartbeat
mount -t overlay overlay -o lowerdir=/run/pm/sbin:/usr/sbin /usr/sbin
mount -t overlay overlay -o lowerdir=/run/pm/ocf:/usr/lib/ocf/resource.d \
	/usr/lib/ocf/resource.d

echo $$ >"$dir/holder.new"
mv "$dir/holder.new" "$dir/holder"
exec sleep infinity
