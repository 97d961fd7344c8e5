// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs: read-only inspection, one value per file.
 *
 *   /sys/kernel/heartbeat/			the kset, for every namespace
 *   /sys/kernel/heartbeat/instance/		this namespace's node
 *   /sys/kernel/heartbeat/instance/drops/	a counter per drop reason
 *   /sys/kernel/heartbeat/instance/peers/ID/	one directory per peer
 *
 * Every network namespace has its own "instance": the kset's children are
 * tagged with their namespace, as network devices are under
 * /sys/class/net, so a sysfs mounted in a namespace shows that namespace's
 * instance only, and its uevents go to that namespace's listeners only.
 *
 * Peers come and go in softirq, but kobjects need process context: a work
 * item brings the peer directories in line with the peer table, so a
 * directory appears or vanishes shortly after its peer. Every file reads
 * the live peer at the time of the read.
 */
#include <linux/bsearch.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "heartbeat.h"

struct hb_instance {
	struct kobject kobj;
	struct hb_net *hn;
	const struct net *net;	/* the namespace tag */
	struct kobject *peers;
};

struct hb_peer_dir {
	struct kobject kobj;
	struct hb_net *hn;
	u32 id;
};

/* One read-only file; "what" says which value. */
struct hb_attr {
	struct attribute attr;
	unsigned int what;
	size_t offset;		/* HB_I_CONFIG: of a u32 in hb_node_config */
};

#define HB_ATTR(_name, _what)						\
	{								\
		.attr = { .name = __stringify(_name), .mode = 0444 },	\
		.what = (_what),					\
	}

/* A u32 setting, printed as it is. */
#define HB_CONFIG_ATTR(_field)						\
	{								\
		.attr = { .name = __stringify(_field), .mode = 0444 },	\
		.what = HB_I_CONFIG,					\
		.offset = offsetof(struct hb_node_config, _field),	\
	}

/* A NULL-terminated list of the attributes of a table, for a group. */
static void __init hb_attr_list(struct attribute **list, struct hb_attr *table,
				unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		list[i] = &table[i].attr;
	list[n] = NULL;
}

static struct kset *hb_kset;

/* ---- the kset ------------------------------------------------------- */

static void hb_kset_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct kset, kobj));
}

static const struct kobj_ns_type_operations *
hb_kset_child_ns_type(hb_kobj_const struct kobject *kobj)
{
	return &net_ns_type_operations;
}

static struct kobj_type hb_kset_ktype = {
	.sysfs_ops	= &kobj_sysfs_ops,
	.release	= hb_kset_release,
	.child_ns_type	= hb_kset_child_ns_type,
};

/* ---- the instance --------------------------------------------------- */

enum {
	HB_I_CONFIG,
	HB_I_INCARNATION,
	HB_I_NETNS,
	HB_I_LEARN,
	HB_I_DETECTOR,
	HB_I_PHI_MODEL,
	HB_I_LAST_WORDS,
	HB_I_PHI_THRESHOLD,
	HB_I_PHI_WARN,
	HB_I_LINKS,
	HB_I_PEERS,
	HB_I_TX,
	HB_I_RX,
	HB_I_DEFERRED,
	HB_I_DETECTIONS,
	HB_I_UEVENTS,
	HB_I_UEVENTS_LOST,
	HB_I_UEVENT_SEQ,
	HB_I_EXPIRED,
	HB_I_QUORATE,
	HB_I_VOTES,
	HB_I_EXPECTED_VOTES,
	HB_I_READY,
	HB_I_SILENT,
	HB_I_DROP_BASE,		/* + reason: the files under drops/ */
};

static struct hb_attr hb_instance_table[] = {
	HB_CONFIG_ATTR(node_id),
	HB_CONFIG_ATTR(cluster_id),
	HB_ATTR(incarnation, HB_I_INCARNATION),
	HB_ATTR(netns, HB_I_NETNS),
	HB_CONFIG_ATTR(interval_us),
	HB_CONFIG_ATTR(fall),
	HB_CONFIG_ATTR(rise),
	HB_CONFIG_ATTR(grace_us),
	HB_CONFIG_ATTR(slack_us),
	HB_ATTR(learn, HB_I_LEARN),
	HB_ATTR(detector, HB_I_DETECTOR),
	HB_ATTR(phi_model, HB_I_PHI_MODEL),
	HB_ATTR(phi_threshold, HB_I_PHI_THRESHOLD),
	HB_ATTR(phi_warn, HB_I_PHI_WARN),
	HB_CONFIG_ATTR(phi_window),
	HB_CONFIG_ATTR(phi_min_stddev_us),
	HB_CONFIG_ATTR(phi_pause_us),
	HB_ATTR(nr_links, HB_I_LINKS),
	HB_ATTR(nr_peers, HB_I_PEERS),
	HB_ATTR(tx, HB_I_TX),
	HB_ATTR(rx, HB_I_RX),
	HB_ATTR(deferred, HB_I_DEFERRED),
	HB_ATTR(detections, HB_I_DETECTIONS),
	HB_ATTR(uevents, HB_I_UEVENTS),
	HB_ATTR(uevents_lost, HB_I_UEVENTS_LOST),
	HB_ATTR(uevent_seq, HB_I_UEVENT_SEQ),
	HB_ATTR(peers_expired, HB_I_EXPIRED),
	HB_CONFIG_ATTR(learn_expire_us),
	HB_CONFIG_ATTR(gossip),
	HB_CONFIG_ATTR(probe_helpers),
	HB_CONFIG_ATTR(min_links),
	HB_ATTR(last_words, HB_I_LAST_WORDS),
	HB_ATTR(quorate, HB_I_QUORATE),
	HB_ATTR(votes, HB_I_VOTES),
	HB_ATTR(expected_votes, HB_I_EXPECTED_VOTES),
	HB_ATTR(ready, HB_I_READY),
	HB_ATTR(silent, HB_I_SILENT),
};

static struct attribute *hb_instance_attrs[ARRAY_SIZE(hb_instance_table) + 1];

static const struct attribute_group hb_instance_group = {
	.attrs = hb_instance_attrs,
};

/* drops/: named after the reasons at module load, so names stay in one place. */
static struct hb_attr hb_drop_attrs[HEARTBEAT_DROP_MAX];
static struct attribute *hb_drop_attr_list[HEARTBEAT_DROP_MAX + 1];

static const struct attribute_group hb_drops_group = {
	.name = "drops",
	.attrs = hb_drop_attr_list,
};

static const struct attribute_group *hb_instance_groups[] = {
	&hb_instance_group,
	&hb_drops_group,
	NULL
};

static ssize_t hb_emit_milli(char *buf, u32 milli)
{
	return sysfs_emit(buf, "%u.%03u\n", milli / 1000, milli % 1000);
}

static ssize_t hb_instance_uevent_show(struct hb_net *hn, unsigned int what,
				       char *buf)
{
	u64 val;

	spin_lock_bh(&hn->uevent_lock);
	if (what == HB_I_UEVENTS)
		val = hn->uevents_sent;
	else if (what == HB_I_UEVENTS_LOST)
		val = hn->uevents_lost;
	else
		val = hn->uevent_seq;
	spin_unlock_bh(&hn->uevent_lock);
	return sysfs_emit(buf, "%llu\n", val);
}

/* With quorum off: quorate 0, votes 0, expected_votes 0. */
static ssize_t hb_instance_quorum_show(struct hb_net *hn, unsigned int what,
				       char *buf)
{
	struct hb_quorum q;

	hb_quorum_get(hn, &q);
	if (!q.on)
		return sysfs_emit(buf, "0\n");
	if (what == HB_I_QUORATE)
		return sysfs_emit(buf, "%u\n", q.quorate);
	return sysfs_emit(buf, "%u\n", what == HB_I_VOTES ? q.votes : q.expected);
}

static ssize_t hb_instance_show(struct kobject *kobj, struct attribute *attr,
				char *buf)
{
	struct hb_net *hn = container_of(kobj, struct hb_instance, kobj)->hn;
	const struct hb_attr *a = container_of(attr, struct hb_attr, attr);
	struct hb_node_config cfg;
	u64 sum[HB_STAT_COUNT];

	mutex_lock(&hn->lock);
	cfg = hn->config;
	mutex_unlock(&hn->lock);

	switch (a->what) {
	case HB_I_CONFIG:
		return sysfs_emit(buf, "%u\n", *(u32 *)((char *)&cfg + a->offset));
	case HB_I_INCARNATION:
		return sysfs_emit(buf, "%llu\n", hn->incarnation);
	case HB_I_NETNS:
		return sysfs_emit(buf, "%u\n", hn->net->ns.inum);
	case HB_I_LEARN:
		return sysfs_emit(buf, "%u\n", cfg.learn);
	case HB_I_DETECTOR:
		return sysfs_emit(buf, "%s\n", hb_detector_name(cfg.detector));
	case HB_I_PHI_MODEL:
		return sysfs_emit(buf, "%s\n", hb_phi_model_name(cfg.phi_model));
	case HB_I_LAST_WORDS:
		return sysfs_emit(buf, "%s\n", hb_last_words_name(cfg.last_words));
	case HB_I_PHI_THRESHOLD:
		return hb_emit_milli(buf, cfg.phi_threshold);
	case HB_I_PHI_WARN:
		return hb_emit_milli(buf, cfg.phi_warn);
	case HB_I_LINKS:
		return sysfs_emit(buf, "%u\n", READ_ONCE(hn->nlinks));
	case HB_I_PEERS:
		return sysfs_emit(buf, "%u\n", READ_ONCE(hn->npeers));
	case HB_I_DETECTIONS:
		return sysfs_emit(buf, "%lld\n",
				  (s64)atomic64_read(&hn->detect_count));
	case HB_I_UEVENTS:
	case HB_I_UEVENTS_LOST:
	case HB_I_UEVENT_SEQ:
		return hb_instance_uevent_show(hn, a->what, buf);
	case HB_I_QUORATE:
	case HB_I_VOTES:
	case HB_I_EXPECTED_VOTES:
		return hb_instance_quorum_show(hn, a->what, buf);
	case HB_I_READY:
		return sysfs_emit(buf, "%u\n",
				  !(hb_apps_flags(&hn->apps) & HB_FLAG_NOT_READY));
	case HB_I_SILENT:
		return sysfs_emit(buf, "%u\n", hb_apps_silent(&hn->apps));
	}

	hb_stats_read(hn, sum);
	switch (a->what) {
	case HB_I_TX:
		return sysfs_emit(buf, "%llu\n", sum[HB_STAT_TX]);
	case HB_I_RX:
		return sysfs_emit(buf, "%llu\n", sum[HB_STAT_RX]);
	case HB_I_DEFERRED:
		return sysfs_emit(buf, "%llu\n", sum[HB_STAT_DEFERRED]);
	case HB_I_EXPIRED:
		return sysfs_emit(buf, "%llu\n", sum[HB_STAT_EXPIRED]);
	}
	if (a->what > HB_I_DROP_BASE &&
	    a->what <= HB_I_DROP_BASE + HEARTBEAT_DROP_MAX)
		return sysfs_emit(buf, "%llu\n", sum[a->what - HB_I_DROP_BASE]);
	return -EIO;
}

static const struct sysfs_ops hb_instance_sysfs_ops = {
	.show = hb_instance_show,
};

static void hb_instance_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct hb_instance, kobj));
}

static const void *hb_instance_namespace(hb_kobj_const struct kobject *kobj)
{
	return container_of(kobj, struct hb_instance, kobj)->net;
}

static struct kobj_type hb_instance_ktype = {
	.sysfs_ops	= &hb_instance_sysfs_ops,
	.release	= hb_instance_release,
	.default_groups	= hb_instance_groups,
	.namespace	= hb_instance_namespace,
};

/* ---- peers ---------------------------------------------------------- */

enum {
	HB_P_ID,
	HB_P_STATE,
	HB_P_CONFIGURED,
	HB_P_INCARNATION,
	HB_P_INTERVAL_US,
	HB_P_LAST_SEEN_US,
	HB_P_RX,
	HB_P_LOST,
	HB_P_RESTARTS,
	HB_P_PHI,
	HB_P_MEAN_US,
	HB_P_STDDEV_US,
	HB_P_SAMPLES,
	HB_P_LOCAL_STATE,
	HB_P_HEARD_BY,
	HB_P_CONSENSUS,
	HB_P_RTT_US,
	HB_P_LINKS_UP,
	HB_P_LINKS,
	HB_P_READY,
};

static struct hb_attr hb_peer_table[] = {
	HB_ATTR(id, HB_P_ID),
	HB_ATTR(state, HB_P_STATE),
	HB_ATTR(configured, HB_P_CONFIGURED),
	HB_ATTR(incarnation, HB_P_INCARNATION),
	HB_ATTR(interval_us, HB_P_INTERVAL_US),
	HB_ATTR(last_seen_us, HB_P_LAST_SEEN_US),
	HB_ATTR(rx, HB_P_RX),
	HB_ATTR(lost, HB_P_LOST),
	HB_ATTR(restarts, HB_P_RESTARTS),
	HB_ATTR(phi, HB_P_PHI),
	HB_ATTR(mean_us, HB_P_MEAN_US),
	HB_ATTR(stddev_us, HB_P_STDDEV_US),
	HB_ATTR(samples, HB_P_SAMPLES),
	HB_ATTR(local_state, HB_P_LOCAL_STATE),
	HB_ATTR(heard_by, HB_P_HEARD_BY),
	HB_ATTR(consensus, HB_P_CONSENSUS),
	HB_ATTR(rtt_us, HB_P_RTT_US),
	HB_ATTR(links_up, HB_P_LINKS_UP),
	HB_ATTR(links, HB_P_LINKS),
	HB_ATTR(ready, HB_P_READY),
};

static struct attribute *hb_peer_attrs[ARRAY_SIZE(hb_peer_table) + 1];
ATTRIBUTE_GROUPS(hb_peer);

/* Space-separated ids on one line; an empty line for none. */
static ssize_t hb_emit_ids(char *buf, const u32 *ids, unsigned int n)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, i ? " %u" : "%u", ids[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

/* One line per channel: "NAME up|down LAST_SEEN_US". */
static ssize_t hb_emit_channels(char *buf, struct hb_net *hn,
				const struct hb_channels *cs, u64 now)
{
	char name[IFNAMSIZ];
	ssize_t len = 0;
	int ifindex, i;

	rcu_read_lock();
	for (i = 0; i < HB_CHANNELS_MAX; i++) {
		const struct hb_channel *ch = &cs->ch[i];

		if (!ch->id)
			continue;
		hb_channel_name(hn, ch->id, name, &ifindex);
		len += sysfs_emit_at(buf, len, "%s %s %llu\n", name,
				     ch->up ? "up" : "down",
				     div_u64(now > ch->last_rx_ns ?
					     now - ch->last_rx_ns : 0,
					     NSEC_PER_USEC));
	}
	rcu_read_unlock();
	return len;
}

static ssize_t hb_peer_show(struct kobject *kobj, struct attribute *attr,
			    char *buf)
{
	struct hb_peer_dir *dir = container_of(kobj, struct hb_peer_dir, kobj);
	unsigned int what = container_of(attr, struct hb_attr, attr)->what;
	struct hb_probe_snapshot ps;
	struct hb_peer_snapshot s;
	u64 now = ktime_get_ns();

	/* Probe round trips: "min mean p99 samples" of the window. */
	if (what == HB_P_RTT_US) {
		if (!hb_probe_snapshot_id(dir->hn, dir->id, &ps))
			return -ENODEV;
		return sysfs_emit(buf, "%u %u %u %u\n", ps.rtt.min_us,
				  ps.rtt.mean_us, ps.rtt.p99_us, ps.rtt.samples);
	}
	/* The directory outlives its peer until the work catches up. */
	if (!hb_peer_snapshot_id(dir->hn, dir->id, &s))
		return -ENODEV;

	switch (what) {
	case HB_P_ID:
		return sysfs_emit(buf, "%u\n", s.id);
	case HB_P_STATE:
		return sysfs_emit(buf, "%s\n", hb_state_name(s.state));
	case HB_P_LOCAL_STATE:
		return sysfs_emit(buf, "%s\n", hb_state_name(s.local));
	case HB_P_CONSENSUS:
		return sysfs_emit(buf, "%u\n", s.consensus);
	case HB_P_HEARD_BY:
		return hb_emit_ids(buf, s.heard_by,
				   min_t(unsigned int, s.heard_by_count,
					 HB_VIEW_REPORTS));
	case HB_P_CONFIGURED:
		return sysfs_emit(buf, "%u\n", s.configured);
	case HB_P_INCARNATION:
		return sysfs_emit(buf, "%llu\n", s.det.incarnation);
	case HB_P_INTERVAL_US:
		return sysfs_emit(buf, "%u\n", s.det.interval_us);
	case HB_P_LAST_SEEN_US:
		if (!s.det.heard)
			return sysfs_emit(buf, "never\n");
		return sysfs_emit(buf, "%llu\n",
				  div_u64(now - s.det.last_rx_ns, NSEC_PER_USEC));
	case HB_P_RX:
		return sysfs_emit(buf, "%llu\n", s.det.rx);
	case HB_P_LOST:
		return sysfs_emit(buf, "%llu\n", s.lost);
	case HB_P_RESTARTS:
		return sysfs_emit(buf, "%llu\n", s.det.restarts);
	case HB_P_PHI:
		return hb_emit_milli(buf, hb_peer_phi_milli(dir->hn, &s, now));
	case HB_P_MEAN_US:
		return sysfs_emit(buf, "%llu\n",
				  div_u64(hb_phi_mean_ns(&s.window), NSEC_PER_USEC));
	case HB_P_STDDEV_US:
		return sysfs_emit(buf, "%llu\n",
				  div_u64(hb_phi_stddev_ns(&s.window),
					  NSEC_PER_USEC));
	case HB_P_SAMPLES:
		return sysfs_emit(buf, "%u\n", s.window.count);
	case HB_P_LINKS_UP:
		return sysfs_emit(buf, "%u\n", hb_channels_up(&s.chans));
	case HB_P_LINKS:
		return hb_emit_channels(buf, dir->hn, &s.chans, now);
	case HB_P_READY:
		return sysfs_emit(buf, "%u\n", s.ready);
	}
	return -EIO;
}

static const struct sysfs_ops hb_peer_sysfs_ops = {
	.show = hb_peer_show,
};

static void hb_peer_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct hb_peer_dir, kobj));
}

static struct kobj_type hb_peer_ktype = {
	.sysfs_ops	= &hb_peer_sysfs_ops,
	.release	= hb_peer_dir_release,
	.default_groups	= hb_peer_groups,
};

static void hb_peer_dir_add(struct hb_net *hn, u32 id)
{
	struct hb_peer_dir *dir;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return;
	dir->hn = hn;
	dir->id = id;
	if (kobject_init_and_add(&dir->kobj, &hb_peer_ktype,
				 hn->instance->peers, "%u", id)) {
		kobject_put(&dir->kobj);
		return;
	}
	if (xa_err(xa_store(&hn->peer_dirs, id, dir, GFP_KERNEL))) {
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
	}
}

static void hb_peer_dir_del(struct hb_net *hn, struct hb_peer_dir *dir)
{
	xa_erase(&hn->peer_dirs, dir->id);
	kobject_del(&dir->kobj);
	kobject_put(&dir->kobj);
}

static int hb_id_cmp(const void *key, const void *elt)
{
	u32 a = *(const u32 *)key, b = *(const u32 *)elt;

	return a < b ? -1 : a > b;
}

/* Bring the peer directories in line with the peer table. */
static void hb_peer_dirs_work(struct work_struct *work)
{
	struct hb_net *hn = container_of(work, struct hb_net, peer_dirs_work);
	struct hb_peer_dir *dir;
	struct hb_peer *peer;
	unsigned long index;
	unsigned int n = 0, i;
	u32 *ids;

	ids = kvmalloc_array(HEARTBEAT_PEERS_MAX, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return;
	/* The list is sorted by id. */
	rcu_read_lock();
	list_for_each_entry_rcu(peer, &hn->peers, list) {
		if (n == HEARTBEAT_PEERS_MAX)
			break;
		ids[n++] = peer->id;
	}
	rcu_read_unlock();

	xa_for_each(&hn->peer_dirs, index, dir)
		if (!bsearch(&dir->id, ids, n, sizeof(*ids), hb_id_cmp))
			hb_peer_dir_del(hn, dir);
	for (i = 0; i < n; i++)
		if (!xa_load(&hn->peer_dirs, ids[i]))
			hb_peer_dir_add(hn, ids[i]);
	kvfree(ids);
}

/* A peer was added or removed; hn->peers_lock held. */
void hb_sysfs_peers_changed(struct hb_net *hn)
{
	if (hn->peer_dirs_live)
		queue_work(system_wq, &hn->peer_dirs_work);
}

/* ---- per namespace -------------------------------------------------- */

int hb_sysfs_uevent(struct hb_net *hn, char *envp[])
{
	return kobject_uevent_env(&hn->instance->kobj, KOBJ_CHANGE, envp);
}

int hb_sysfs_net_init(struct hb_net *hn)
{
	struct hb_instance *inst;
	int err;

	xa_init(&hn->peer_dirs);
	INIT_WORK(&hn->peer_dirs_work, hb_peer_dirs_work);

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	inst->hn = hn;
	inst->net = hn->net;
	inst->kobj.kset = hb_kset;
	err = kobject_init_and_add(&inst->kobj, &hb_instance_ktype, NULL,
				   "instance");
	if (err)
		goto err_put;
	inst->peers = kobject_create_and_add("peers", &inst->kobj);
	if (!inst->peers) {
		err = -ENOMEM;
		goto err_del;
	}
	hn->instance = inst;
	kobject_uevent(&inst->kobj, KOBJ_ADD);
	spin_lock_bh(&hn->peers_lock);
	hn->peer_dirs_live = true;
	spin_unlock_bh(&hn->peers_lock);
	return 0;

err_del:
	kobject_del(&inst->kobj);
err_put:
	kobject_put(&inst->kobj);
	return err;
}

/* After the peers and uevents are gone. */
void hb_sysfs_net_exit(struct hb_net *hn)
{
	struct hb_instance *inst = hn->instance;
	struct hb_peer_dir *dir;
	unsigned long index;

	spin_lock_bh(&hn->peers_lock);
	hn->peer_dirs_live = false;
	spin_unlock_bh(&hn->peers_lock);
	cancel_work_sync(&hn->peer_dirs_work);
	xa_for_each(&hn->peer_dirs, index, dir)
		hb_peer_dir_del(hn, dir);
	xa_destroy(&hn->peer_dirs);

	kobject_put(inst->peers);
	/* Now, while the namespace can still hear it. */
	kobject_uevent(&inst->kobj, KOBJ_REMOVE);
	kobject_del(&inst->kobj);
	kobject_put(&inst->kobj);
	hn->instance = NULL;
}

/* ---- module --------------------------------------------------------- */

int __init hb_sysfs_init(void)
{
	struct kset *kset;
	unsigned int r;
	int err;

	hb_attr_list(hb_instance_attrs, hb_instance_table,
		     ARRAY_SIZE(hb_instance_table));
	hb_attr_list(hb_peer_attrs, hb_peer_table, ARRAY_SIZE(hb_peer_table));
	for (r = HEARTBEAT_DROP_UNSPEC + 1; r <= HEARTBEAT_DROP_MAX; r++) {
		struct hb_attr *a = &hb_drop_attrs[r - 1];

		a->attr.name = hb_drop_name(r);
		a->attr.mode = 0444;
		a->what = HB_I_DROP_BASE + r;
	}
	hb_attr_list(hb_drop_attr_list, hb_drop_attrs, HEARTBEAT_DROP_MAX);

	kset = kzalloc(sizeof(*kset), GFP_KERNEL);
	if (!kset)
		return -ENOMEM;
	err = kobject_set_name(&kset->kobj, "heartbeat");
	if (err) {
		kfree(kset);
		return err;
	}
	kset->kobj.parent = kernel_kobj;
	kset->kobj.ktype = &hb_kset_ktype;
	err = kset_register(kset);
	if (err) {
		kobject_put(&kset->kobj);
		return err;
	}
	hb_kset = kset;
	return 0;
}

void hb_sysfs_exit(void)
{
	kset_unregister(hb_kset);
}
