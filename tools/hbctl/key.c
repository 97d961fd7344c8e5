// SPDX-License-Identifier: GPL-2.0-only
/*
 * hbctl key: the keys that sign and check heartbeats. A secret goes from
 * its file to the kernel and nowhere else: it is read with read(2), not
 * through a stdio buffer, never printed, and wiped from memory once sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/heartbeat.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "json_print.h"
#include "nlattr.h"
#include "ranges.h"
#include "refused.h"
#include "utils.h"

static void key_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl key [ show ]\n"
		"       hbctl key add id KEYID secret-file FILE\n"
		"       hbctl key del id KEYID\n"
		"       hbctl key help\n"
		"where  KEYID := 1..65535\n"
		"       FILE := 16 to 64 bytes, all of them the secret (a final\n"
		"               newline too), readable by its owner only\n");
}

/* A secret in a reply is never read, whatever sent it. */
static const struct attr_policy key_policy[HEARTBEAT_A_KEY_MAX + 1] = {
	[HEARTBEAT_A_KEY_ID] = { MNL_TYPE_U32 },
	[HEARTBEAT_A_KEY_SIGNING] = { MNL_TYPE_FLAG },
};

/* "key 1 signing" / {"id":1,"signing":true}; a key has an id or is bad. */
int key_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HEARTBEAT_A_KEY_MAX + 1];
	bool signing;

	if (attr_parse_msg(nlh, tb, key_policy, HEARTBEAT_A_KEY_MAX))
		return MNL_CB_ERROR;
	if (!tb[HEARTBEAT_A_KEY_ID]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	signing = tb[HEARTBEAT_A_KEY_SIGNING];

	json_list_item(data);
	open_json_object(NULL);
	print_u32(PRINT_ANY, "id", "key %u",
		  mnl_attr_get_u32(tb[HEARTBEAT_A_KEY_ID]));
	print_bool(PRINT_JSON, "signing", NULL, signing);
	if (signing)
		print_string(PRINT_FP, NULL, "%s", " signing");
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* Keywords of add, in order; del takes the first only, show none. */
enum key_arg { ARG_ID, ARG_SECRET_FILE, __ARG_MAX };

static const char *const key_keys[__ARG_MAX] = {
	[ARG_ID] = "id",
	[ARG_SECRET_FILE] = "secret-file",
};

struct key_args {
	uint32_t id;
	const char *secret_file;
	bool given[__ARG_MAX];
};

/* The longest path a key_conf holds, with its NUL. */
#define SECRET_PATH_MAX	sizeof(((struct key_conf *)0)->secret_file)

static int parse_one(unsigned int k, const char *arg, void *ctx)
{
	struct key_args *a = ctx;

	if (k == ARG_SECRET_FILE) {
		if (!*arg || strlen(arg) >= SECRET_PATH_MAX) {
			invarg(arg, "secret-file needs a path of 1 to %zu bytes",
			       SECRET_PATH_MAX - 1);
			return -EINVAL;
		}
		a->secret_file = arg;
		return 0;
	}
	return parse_range(&range_key_id, arg, &a->id);
}

/*
 * The first @nkeys keywords, all required: none for show, the id for del,
 * both for add. Returns -1 to go on, or the exit status to stop with
 * (help included).
 */
static int parse_key_args(int argc, char **argv, struct key_args *a,
			  unsigned int nkeys)
{
	const struct keywords kw = {
		.keys = key_keys,
		.nkeys = nkeys,
		.one = parse_one,
		.usage = key_usage,
	};
	unsigned int k;
	int ret;

	memset(a, 0, sizeof(*a));
	ret = parse_keywords(&kw, argc, argv, a->given, a);
	if (ret >= 0)
		return ret;
	for (k = 0; k < nkeys; k++) {
		if (!a->given[k]) {
			missarg(key_keys[k]);
			return HB_EXIT_USAGE;
		}
	}
	return -1;
}

/*
 * Like ssh with a private key: a secret others could read (or replace)
 * is refused, so is anything but a regular file. The check is on the
 * open file, so what is checked is what is read.
 */
static int secret_file_check(const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st)) {
		fprintf(stderr, "Error: cannot stat secret file \"%s\": %s.\n",
			path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr,
			"Error: secret file \"%s\" is not a regular file.\n",
			path);
		return -1;
	}
	/* Anyone else could have written it: root's or ours only. */
	if (st.st_uid && st.st_uid != geteuid()) {
		fprintf(stderr,
			"Error: secret file \"%s\" belongs to uid %u: it must be root's or the caller's.\n",
			path, (unsigned int)st.st_uid);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr,
			"Error: permissions %04o of secret file \"%s\" are too open: no one but its owner may read or write it (chmod 600).\n",
			(unsigned int)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/*
 * The whole file is the secret, byte for byte: a final newline is part of
 * it. @buf has room for one byte more than a secret may have, to tell a
 * file that is too long. Returns the length, or -1 (error printed); @buf
 * is the caller's to wipe either way.
 */
static ssize_t secret_read(const char *path,
			   uint8_t buf[HEARTBEAT_KEY_SECRET_MAX + 1])
{
	size_t len = 0;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang the open; it is refused next. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open secret file \"%s\": %s.\n",
			path, strerror(errno));
		return -1;
	}
	if (secret_file_check(path, fd)) {
		close(fd);
		return -1;
	}
	while (len < HEARTBEAT_KEY_SECRET_MAX + 1) {
		n = read(fd, buf + len, HEARTBEAT_KEY_SECRET_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr,
				"Error: cannot read secret file \"%s\": %s.\n",
				path, strerror(errno));
			close(fd);
			return -1;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (len > HEARTBEAT_KEY_SECRET_MAX) {
		fprintf(stderr,
			"Error: secret file \"%s\" holds more than %u bytes: a secret is %u to %u bytes.\n",
			path, HEARTBEAT_KEY_SECRET_MAX, HEARTBEAT_KEY_SECRET_MIN,
			HEARTBEAT_KEY_SECRET_MAX);
		return -1;
	}
	if (len < HEARTBEAT_KEY_SECRET_MIN) {
		fprintf(stderr,
			"Error: secret file \"%s\" holds %zu bytes: a secret is %u to %u bytes.\n",
			path, len, HEARTBEAT_KEY_SECRET_MIN,
			HEARTBEAT_KEY_SECRET_MAX);
		return -1;
	}
	return len;
}

int key_file_check(const char *path)
{
	uint8_t secret[HEARTBEAT_KEY_SECRET_MAX + 1];
	ssize_t len = secret_read(path, secret);

	explicit_bzero(secret, sizeof(secret));
	return len < 0 ? -EINVAL : 0;
}

int key_conf_parse(int argc, char **argv, struct key_conf *c)
{
	struct key_args a;
	int ret;

	ret = parse_key_args(argc, argv, &a, __ARG_MAX);
	if (ret >= 0)
		return ret;
	c->id = a.id;
	strcpy(c->secret_file, a.secret_file);
	return -1;
}

/* The kernel tells ids only; where a secret lives is showconf's to say. */
int key_conf_from_msg(const struct nlmsghdr *nlh, struct key_conf *c)
{
	const struct nlattr *tb[HEARTBEAT_A_KEY_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (attr_parse_msg(nlh, tb, key_policy, HEARTBEAT_A_KEY_MAX) ||
	    !tb[HEARTBEAT_A_KEY_ID])
		return -EPROTO;
	c->id = mnl_attr_get_u32(tb[HEARTBEAT_A_KEY_ID]);
	return 0;
}

/* @secret is the caller's to wipe; the request's copy is wiped here. */
static int key_send_secret(uint32_t id, const uint8_t *secret, size_t len)
{
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	int ret;

	nlh = genl_msg_start(HEARTBEAT_CMD_KEY_ADD, NLM_F_ACK);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_KEY_ID, id);
	refused_note_u32(HEARTBEAT_A_KEY_ID, "id", id);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put(nlh, HEARTBEAT_A_KEY_SECRET, len, secret);
	ret = genl_talk(nlh, NULL, NULL);
	/* The request is kept for error reports: wipe its copy too. */
	explicit_bzero(mnl_attr_get_payload(attr), len);
	return ret;
}

/* The secret is read, sent and wiped here; -EINVAL for a bad file. */
static int key_send_add(uint32_t id, const char *path)
{
	uint8_t secret[HEARTBEAT_KEY_SECRET_MAX + 1];
	ssize_t len;
	int ret = -EINVAL;

	len = secret_read(path, secret);
	if (len >= 0)
		ret = key_send_secret(id, secret, len);
	explicit_bzero(secret, sizeof(secret));
	return ret;
}

static int key_send_del(uint32_t id)
{
	struct nlmsghdr *nlh;

	nlh = genl_msg_start(HEARTBEAT_CMD_KEY_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, HEARTBEAT_A_KEY_ID, id);
	refused_note_u32(HEARTBEAT_A_KEY_ID, "id", id);
	return genl_talk(nlh, NULL, NULL);
}

int key_conf_send(uint8_t cmd, const struct key_conf *c)
{
	if (cmd == HEARTBEAT_CMD_KEY_ADD)
		return key_send_add(c->id, c->secret_file);
	return key_send_del(c->id);
}

static int key_add(int argc, char **argv)
{
	uint8_t secret[HEARTBEAT_KEY_SECRET_MAX + 1];
	struct key_args a;
	ssize_t len;
	int ret;

	ret = parse_key_args(argc, argv, &a, __ARG_MAX);
	if (ret >= 0)
		return ret;
	len = secret_read(a.secret_file, secret);
	if (len < 0) {
		explicit_bzero(secret, sizeof(secret));
		return HB_EXIT_USAGE;
	}
	ret = genl_open();
	if (!ret) {
		ret = key_send_secret(a.id, secret, len);
		genl_close();
	}
	explicit_bzero(secret, sizeof(secret));
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

static int key_del(int argc, char **argv)
{
	struct key_args a;
	int ret;

	ret = parse_key_args(argc, argv, &a, ARG_ID + 1);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	ret = key_send_del(a.id);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

/* A dump only, and for administrators only: the kernel says so. */
static int key_show(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct key_args a;
	bool open = false;
	int ret;

	ret = parse_key_args(argc, argv, &a, 0);
	if (ret >= 0)
		return ret;
	if (genl_open())
		return HB_EXIT_KERNEL;
	nlh = genl_msg_start(HEARTBEAT_CMD_KEY_GET, NLM_F_DUMP);
	ret = genl_talk(nlh, key_show_cb, &open);
	json_list_end(open, ret);
	genl_close();
	return ret ? HB_EXIT_KERNEL : HB_EXIT_OK;
}

int do_key(int argc, char **argv)
{
	return cmd_dispatch_list("key", key_usage, key_show, key_add, key_del,
				 argc, argv);
}
