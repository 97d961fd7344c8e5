// SPDX-License-Identifier: GPL-2.0-only
/*
 * Authenticated heartbeats: per-node keys, a truncated HMAC-SHA256 on every
 * frame sent, and its check on every frame received before the frame can
 * touch a peer.
 *
 * Each key owns a keyed hmac(sha256) transform, allocated when the key is
 * added (process context) and shared read-only by all CPUs afterwards; the
 * data path only builds a descriptor on its stack. Keys are on an RCU list
 * written under hn->lock, and a removed key's transform is freed after a
 * grace period. The secret itself is kept nowhere but in the transform.
 *
 * Replays: a valid MAC only says the frame was made by a key holder. The
 * receive path then requires, as for every frame, that the sender's
 * incarnation does not go back and that the sequence number of its stream
 * advances, so a recorded frame is refused once a later one was seen.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "heartbeat.h"

struct hb_key {
	struct list_head list;
	u16 id;
	struct crypto_shash *tfm;	/* hmac(sha256) keyed with the secret */
};

static struct hb_key *hb_key_find(struct hb_net *hn, u32 id)
{
	struct hb_key *key;

	list_for_each_entry_rcu(key, &hn->keys, list,
				lockdep_is_held(&hn->lock))
		if (key->id == id)
			return key;
	return NULL;
}

bool hb_key_exists(struct hb_net *hn, u32 id)
{
	bool found;

	rcu_read_lock();
	found = hb_key_find(hn, id);
	rcu_read_unlock();
	return found;
}

static void hb_key_free(struct hb_key *key)
{
	crypto_free_shash(key->tfm);
	kfree(key);
}

/* hn->lock held. */
int hb_key_add(struct hb_net *hn, u32 id, const u8 *secret, unsigned int len,
	       struct netlink_ext_ack *extack)
{
	struct hb_key *key;
	int err;

	if (hb_key_find(hn, id)) {
		NL_SET_ERR_MSG(extack, "a key with this id exists: add the new one under a new id");
		return -EEXIST;
	}
	if (hn->nkeys >= HEARTBEAT_KEYS_MAX) {
		NL_SET_ERR_MSG(extack, "too many keys: remove an old one first");
		return -ENOSPC;
	}
	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	key->id = id;
	key->tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(key->tfm)) {
		err = PTR_ERR(key->tfm);
		kfree(key);
		NL_SET_ERR_MSG(extack, "hmac(sha256) is not available");
		return err;
	}
	err = crypto_shash_setkey(key->tfm, secret, len);
	if (err) {
		hb_key_free(key);
		NL_SET_ERR_MSG(extack, "the secret was refused by hmac(sha256)");
		return err;
	}
	list_add_tail_rcu(&key->list, &hn->keys);
	hn->nkeys++;
	return 0;
}

/* hn->lock held; waits for the data path to let go of the key. */
int hb_key_del(struct hb_net *hn, u32 id, struct netlink_ext_ack *extack)
{
	struct hb_key *key = hb_key_find(hn, id);

	if (!key) {
		NL_SET_ERR_MSG(extack, "no key with this id");
		return -ENOENT;
	}
	if (hn->config.auth_key == id) {
		if (hn->config.auth != HEARTBEAT_AUTH_OFF) {
			NL_SET_ERR_MSG(extack, "this key signs our frames: set another auth-key (or auth off) first");
			return -EBUSY;
		}
		WRITE_ONCE(hn->config.auth_key, 0);
	}
	list_del_rcu(&key->list);
	hn->nkeys--;
	synchronize_rcu();
	hb_key_free(key);
	return 0;
}

/* Every key, when the namespace goes; nothing uses them any more. */
void hb_keys_flush(struct hb_net *hn)
{
	struct hb_key *key, *tmp;

	list_for_each_entry_safe(key, tmp, &hn->keys, list) {
		list_del(&key->list);
		hb_key_free(key);
	}
	hn->nkeys = 0;
}

/* Key ids in order, for a dump: the id after prev, 0 at the end. */
u32 hb_key_next(struct hb_net *hn, u32 prev, bool *signing)
{
	struct hb_key *key;
	u32 next = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(key, &hn->keys, list)
		if (key->id > prev && (!next || key->id < next))
			next = key->id;
	rcu_read_unlock();
	*signing = next && next == READ_ONCE(hn->config.auth_key);
	return next;
}

/*
 * A keyed software hmac(sha256) never fails, but its error path must still
 * drop the frame: on kernels with fault injection in debugfs,
 * /sys/kernel/debug/fail_heartbeat_digest makes the digest fail as told
 * (selftests/vm/debug-extra.sh).
 */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static DECLARE_FAULT_ATTR(hb_fail_digest);
static struct dentry *hb_fail_digest_dir;

void hb_auth_fault_init(void)
{
	hb_fail_digest_dir = fault_create_debugfs_attr("fail_heartbeat_digest",
						       NULL, &hb_fail_digest);
}

void hb_auth_fault_exit(void)
{
	if (!IS_ERR(hb_fail_digest_dir))
		debugfs_remove(hb_fail_digest_dir);
}

static bool hb_auth_digest_fails(void)
{
	return should_fail(&hb_fail_digest, 1);
}
#else
void hb_auth_fault_init(void)
{
}

void hb_auth_fault_exit(void)
{
}

static bool hb_auth_digest_fails(void)
{
	return false;
}
#endif

static int hb_auth_digest(struct shash_desc *desc, const u8 *data,
			  unsigned int len, u8 *digest)
{
	if (hb_auth_digest_fails())
		return -EIO;
	return crypto_shash_digest(desc, data, len, digest);
}

/* The truncated MAC of data; an error leaves mac unwritten. */
static int hb_auth_mac(struct crypto_shash *tfm, const u8 *data,
		       unsigned int len, u8 *mac)
{
	u8 digest[SHA256_DIGEST_SIZE];
	SHASH_DESC_ON_STACK(desc, tfm);
	int err;

	desc->tfm = tfm;
	err = hb_auth_digest(desc, data, len, digest);
	shash_desc_zero(desc);
	if (!err)
		memcpy(mac, digest, HB_AUTH_MAC_LEN);
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/*
 * Append an AUTH TLV to the message in buf (length len, header included,
 * room for HB_AUTH_TLV_LEN more) and fill in its MAC; returns the new
 * length, len when this node does not sign, or 0 when the MAC could not
 * be computed (the frame must not go out). RCU read side.
 */
unsigned int hb_auth_sign(struct hb_net *hn, u8 *buf, unsigned int len)
{
	u32 id = READ_ONCE(hn->config.auth_key);
	struct hb_key *key;
	size_t end = len;
	u64 t0;
	int mac;

	if (READ_ONCE(hn->config.auth) == HEARTBEAT_AUTH_OFF || !id)
		return len;
	key = hb_key_find(hn, id);
	if (!key)
		return len;
	mac = hb_auth_put(buf, len + HB_AUTH_TLV_LEN, &end, key->id);
	if (mac < 0)
		return len;
	hb_msg_set_length(buf, end);
	t0 = ktime_get_ns();
	if (hb_auth_mac(key->tfm, buf, mac, buf + mac))
		return 0;
	hb_stats_add(hn, HB_STAT_MAC_SIGN_NS, ktime_get_ns() - t0);
	hb_stats_inc(hn, HB_STAT_MAC_SIGNED);
	return end;
}

/*
 * Check a decoded frame (buf its bytes) against our keys: 0 to accept it,
 * or the drop reason. RCU read side.
 */
unsigned int hb_auth_check(struct hb_net *hn, const u8 *buf,
			   const struct hb_msg *msg)
{
	u8 auth = READ_ONCE(hn->config.auth);
	u8 mac[HB_AUTH_MAC_LEN];
	struct hb_key *key;
	bool bad;
	u64 t0;

	if (auth == HEARTBEAT_AUTH_OFF)
		return 0;
	if (!msg->mac)
		return auth == HEARTBEAT_AUTH_REQUIRED ?
		       HEARTBEAT_DROP_UNSIGNED : 0;
	key = hb_key_find(hn, msg->auth_key_id);
	if (!key)
		return HEARTBEAT_DROP_KEY;
	t0 = ktime_get_ns();
	bad = hb_auth_mac(key->tfm, buf, msg->mac_offset, mac) ||
	      crypto_memneq(mac, msg->mac, HB_AUTH_MAC_LEN);
	hb_stats_add(hn, HB_STAT_MAC_VERIFY_NS, ktime_get_ns() - t0);
	hb_stats_inc(hn, HB_STAT_MAC_VERIFIED);
	return bad ? HEARTBEAT_DROP_BAD_MAC : 0;
}

/*
 * May this frame, already past hb_auth_check(), stand for a restart whose
 * incarnation is lower than the one we know (the sender's clock went
 * back)? Without required authentication anyone can forge a frame anyway.
 * With it, a recorded frame of an older incarnation is valid too: the
 * frame must carry proof that it was made now.
 */
bool hb_auth_fresh(struct hb_net *hn, const struct hb_msg *msg)
{
	u32 own = READ_ONCE(hn->config.interval_us);
	struct hb_link *link;
	struct hb_echo echo;
	u64 sent, most;

	if (READ_ONCE(hn->config.auth) != HEARTBEAT_AUTH_REQUIRED)
		return true;
	/* It echoes one of our recent frames: it was made after that one. */
	if (!hb_echo_find(msg, READ_ONCE(hn->config.node_id), &echo))
		return false;
	link = hb_link_find_id(hn, echo.link_id);
	if (!link)
		return false;
	sent = READ_ONCE(link->seq);
	/* Our frames sent while its frame was on its way, and some slack. */
	most = 4 + msg->interval_us / (own ? own : 1);
	return echo.seq <= sent && sent - echo.seq <= most;
}

/*
 * The shared disk's blocks (disk.c) are signed like frames: the same keys,
 * the first HB_AUTH_MAC_LEN bytes of HMAC-SHA256 over the sealed fields.
 * The key a block is signed with, or 0 when this node does not sign.
 */
u16 hb_auth_disk_key(struct hb_net *hn)
{
	u32 id = READ_ONCE(hn->config.auth_key);

	if (READ_ONCE(hn->config.auth) == HEARTBEAT_AUTH_OFF ||
	    !hb_key_exists(hn, id))
		return 0;
	return id;
}

void hb_auth_disk_sign(struct hb_net *hn, u16 key_id, const u8 *data,
		       unsigned int len, u8 *mac)
{
	struct hb_key *key;

	rcu_read_lock();
	key = hb_key_find(hn, key_id);
	if (!key || hb_auth_mac(key->tfm, data, len, mac))
		memset(mac, 0, HB_AUTH_MAC_LEN);
	rcu_read_unlock();
}

/* Is a block acceptable under the node's auth setting? */
bool hb_auth_disk_check(struct hb_net *hn, u16 key_id, const u8 *data,
			unsigned int len, const u8 *mac)
{
	u8 auth = READ_ONCE(hn->config.auth);
	u8 want[HB_AUTH_MAC_LEN];
	struct hb_key *key;
	bool ok;

	if (auth == HEARTBEAT_AUTH_OFF)
		return true;
	if (!key_id)
		return auth != HEARTBEAT_AUTH_REQUIRED;
	rcu_read_lock();
	key = hb_key_find(hn, key_id);
	ok = key && !hb_auth_mac(key->tfm, data, len, want) &&
	     !crypto_memneq(want, mac, HB_AUTH_MAC_LEN);
	rcu_read_unlock();
	memzero_explicit(want, sizeof(want));
	return ok;
}

