// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration that survives a reboot:
 *
 *   hbctl showconf [ keydir DIR ]
 *	the running configuration as hbctl lines, a file setconf and -b take
 *   hbctl setconf [ --check ] [ --wait-devices DURATION ] [ FILE | - ]
 *	makes the running configuration the file's, all or nothing
 *   hbctl -b FILE
 *	runs each line of FILE as an hbctl command (conf.h: do_batch())
 *
 * setconf works in three phases. It parses and checks every line first,
 * sending nothing: a bad word, a line that configures nothing ("peer
 * probe"), an object named twice, a key file others may read. Then it
 * reads the running configuration (the snapshot) and plans the difference:
 * what the file has and the node lacks is added, what the node has and the
 * file lacks is deleted, a setting that differs is set, and what is equal
 * is not touched, so a peer that stays keeps its state. Last it sends the
 * steps in an order the kernel accepts; should the kernel refuse one, the
 * steps done are undone, newest first, and the node is as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/genetlink.h>

#include "conf.h"
#include "genl.h"
#include "hbctl.h"
#include "names.h"

#define MAX_WORDS	128
/* showconf's node line: this many settings per physical line. */
#define NODE_WRAP	6
/* How often --wait-devices looks again. */
#define WAIT_STEP_NS	100000000L

/* ---- words and lines ------------------------------------------------ */

static bool needs_quotes(const char *word)
{
	return !*word || strpbrk(word, " \t\"\\#\n\r");
}

void print_word(FILE *fp, const char *word)
{
	const char *p;

	if (!needs_quotes(word)) {
		fputs(word, fp);
		return;
	}
	fputc('"', fp);
	for (p = word; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int split_words(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;
	char c;

	for (;;) {
		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = w;
		while (*r && !blank(*r)) {
			if (*r != '"') {
				*w++ = *r++;
				continue;
			}
			for (r++; *r && *r != '"'; *w++ = *r++)
				if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
					r++;
			if (!*r)
				return -EINVAL;
			r++;
		}
		/* w never passes r: the NUL lands on what was read. */
		c = *r;
		if (c)
			r++;
		*w++ = '\0';
		if (!c)
			return argc;
	}
}

ssize_t read_logical_line(FILE *fp, char **buf, size_t *size,
			  unsigned int *lineno, unsigned int *next)
{
	char *part = NULL, *grown;
	size_t part_size = 0, len = 0, n;
	bool any = false, more;
	ssize_t got;

	*lineno = *next + 1;
	do {
		got = getline(&part, &part_size, fp);
		if (got < 0)
			break;
		any = true;
		(*next)++;
		n = got;
		while (n && (part[n - 1] == '\n' || part[n - 1] == '\r'))
			n--;
		more = n && part[n - 1] == '\\';
		if (more)
			part[n - 1] = ' ';
		if (len + n + 1 > *size) {
			grown = realloc(*buf, len + n + 1);
			if (!grown) {
				fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
				free(part);
				return -1;
			}
			*buf = grown;
			*size = len + n + 1;
		}
		memcpy(*buf + len, part, n);
		len += n;
		(*buf)[len] = '\0';
	} while (more);
	free(part);
	return any ? (ssize_t)len : -1;
}

int run_prefixed(const char *file, unsigned int line,
		 int (*fn)(void *arg), void *arg)
{
	FILE *saved = stderr, *mem;
	char *buf = NULL, *p, *nl;
	size_t len = 0;
	int ret;

	fflush(stderr);
	mem = open_memstream(&buf, &len);
	if (!mem)
		return fn(arg);
	stderr = mem;
	ret = fn(arg);
	fclose(mem);
	stderr = saved;
	for (p = buf; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (line)
			fprintf(stderr, "%s:%u: %.*s\n", file, line,
				(int)(nl ? nl - p : (long)strlen(p)), p);
		else
			fprintf(stderr, "%s: %.*s\n", file,
				(int)(nl ? nl - p : (long)strlen(p)), p);
	}
	/* A failure always says where. */
	if (ret && (!buf || !*buf)) {
		if (line)
			fprintf(stderr, "%s:%u: Error: failed.\n", file, line);
		else
			fprintf(stderr, "%s: Error: failed.\n", file);
	}
	free(buf);
	return ret;
}

/* ---- the configuration ---------------------------------------------- */

struct link_item { struct link_conf c; unsigned int line; };
struct peer_item { struct peer_conf c; unsigned int line; };
struct key_item { struct key_conf c; unsigned int line; };
struct app_item { struct app_conf c; unsigned int line; };

struct config {
	struct node_conf node;
	unsigned int node_line;		/* the first node set line */
	struct quorum_conf quorum;
	unsigned int quorum_line;
	struct disk_conf disk;
	bool has_disk;
	unsigned int disk_line;
	struct link_item *links;
	unsigned int nlinks;
	struct peer_item *peers;
	unsigned int npeers;
	struct key_item *keys;
	unsigned int nkeys;
	struct app_item *apps;
	unsigned int napps;
};

static void config_free(struct config *cfg)
{
	free(cfg->links);
	free(cfg->peers);
	free(cfg->keys);
	free(cfg->apps);
	memset(cfg, 0, sizeof(*cfg));
}

/* One more zeroed element of *v (n of them, each @size); NULL: no memory. */
static void *grow(void *vp, unsigned int *n, size_t size)
{
	void **v = vp;
	char *bigger = realloc(*v, (*n + 1) * size);

	if (!bigger) {
		fprintf(stderr, "Error: %s.\n", strerror(ENOMEM));
		return NULL;
	}
	*v = bigger;
	memset(bigger + *n * size, 0, size);
	return bigger + (*n)++ * size;
}

static struct link_item *find_link(const struct config *cfg, const char *dev)
{
	unsigned int i;

	for (i = 0; i < cfg->nlinks; i++)
		if (!strcmp(cfg->links[i].c.dev, dev))
			return &cfg->links[i];
	return NULL;
}

static struct peer_item *find_peer(const struct config *cfg, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < cfg->npeers; i++)
		if (cfg->peers[i].c.id == id)
			return &cfg->peers[i];
	return NULL;
}

static struct key_item *find_key(const struct config *cfg, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < cfg->nkeys; i++)
		if (cfg->keys[i].c.id == id)
			return &cfg->keys[i];
	return NULL;
}

static struct app_item *find_app(const struct config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->napps; i++)
		if (!strcmp(cfg->apps[i].c.name, name))
			return &cfg->apps[i];
	return NULL;
}

static bool node_given(const struct config *cfg, int attr, uint32_t *val)
{
	unsigned int i = node_conf_index(attr);

	if (!cfg->node.given[i])
		return false;
	*val = cfg->node.val[i];
	return true;
}

static bool same_peer(const struct peer_conf *a, const struct peer_conf *b)
{
	return !strcmp(a->dev, b->dev) && a->has_mac == b->has_mac &&
	       (!a->has_mac || !memcmp(a->mac, b->mac, MAC_LEN));
}

static bool same_disk(const struct disk_conf *a, const struct disk_conf *b)
{
	return !strcmp(a->path, b->path) && a->offset == b->offset &&
	       a->slots == b->slots && a->interval_us == b->interval_us;
}

static bool same_app(const struct app_conf *a, const struct app_conf *b)
{
	return a->timeout_us == b->timeout_us && a->action == b->action;
}

/* ---- reading the running configuration ------------------------------ */

static int node_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;

	if (node_conf_from_msg(nlh, &cfg->node)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;
	struct link_item *l = grow(&cfg->links, &cfg->nlinks, sizeof(*l));

	if (!l || link_conf_from_msg(nlh, &l->c)) {
		errno = l ? EPROTO : ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Configured peers only: the learned ones come back by themselves. */
static int peer_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;
	struct peer_conf c;
	struct peer_item *p;

	if (peer_conf_from_msg(nlh, &c)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (!c.configured)
		return MNL_CB_OK;
	p = grow(&cfg->peers, &cfg->npeers, sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	p->c = c;
	return MNL_CB_OK;
}

struct key_read {
	struct config *cfg;
	const char *keydir;
};

static int key_cb(const struct nlmsghdr *nlh, void *data)
{
	struct key_read *kr = data;
	struct key_item *k = grow(&kr->cfg->keys, &kr->cfg->nkeys, sizeof(*k));

	if (!k || key_conf_from_msg(nlh, &k->c)) {
		errno = k ? EPROTO : ENOMEM;
		return MNL_CB_ERROR;
	}
	snprintf(k->c.secret_file, sizeof(k->c.secret_file), "%s/%u",
		 kr->keydir, k->c.id);
	return MNL_CB_OK;
}

static int quorum_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;

	if (quorum_conf_from_msg(nlh, &cfg->quorum)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int disk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;

	if (disk_conf_from_msg(nlh, &cfg->disk)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	cfg->has_disk = true;
	return MNL_CB_OK;
}

static int app_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;
	struct app_item *a = grow(&cfg->apps, &cfg->napps, sizeof(*a));

	if (!a || app_conf_from_msg(nlh, &a->c)) {
		errno = a ? EPROTO : ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * A module without a part (disk, apps: -EOPNOTSUPP) or a node without a
 * disk (-ENOENT) has none of it; anything else is an error, printed.
 */
static int talk_optional_part(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err = genl_talk_quiet(nlh, cb, data);

	if (err == -EOPNOTSUPP || err == -ENOENT)
		return 0;
	if (err)
		genl_report(err);
	return err;
}

/* Everything a configuration holds, on an open socket; errors printed. */
static int config_read(struct config *cfg, const char *keydir)
{
	struct key_read kr = { cfg, keydir };
	int err;

	memset(cfg, 0, sizeof(*cfg));
	err = genl_talk(genl_msg_start(HEARTBEAT_CMD_NODE_GET, 0), node_cb,
			cfg);
	if (!err)
		err = genl_talk(genl_msg_start(HEARTBEAT_CMD_KEY_GET,
					       NLM_F_DUMP), key_cb, &kr);
	if (!err)
		err = genl_talk(genl_msg_start(HEARTBEAT_CMD_LINK_GET,
					       NLM_F_DUMP), link_cb, cfg);
	if (!err)
		err = genl_talk(genl_msg_start(HEARTBEAT_CMD_PEER_GET,
					       NLM_F_DUMP), peer_cb, cfg);
	if (!err)
		err = talk_optional_part(genl_msg_start(HEARTBEAT_CMD_APP_GET,
							NLM_F_DUMP),
					 app_cb, cfg);
	if (!err)
		err = talk_optional_part(genl_msg_start(HEARTBEAT_CMD_DISK_GET,
							0),
					 disk_cb, cfg);
	if (!err)
		err = genl_talk(genl_msg_start(HEARTBEAT_CMD_QUORUM_GET, 0),
				quorum_cb, cfg);
	if (err)
		config_free(cfg);
	return err;
}

/* ---- printing it ---------------------------------------------------- */

static void print_mac(FILE *fp, const uint8_t *m)
{
	fprintf(fp, " mac %02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		m[3], m[4], m[5]);
}

/*
 * In an order "hbctl -b" can run on a fresh node too: keys before the
 * node that signs with one, the node id before the disk whose slot it
 * names, the disk before the quorum that breaks ties with it.
 */
static void config_print(FILE *fp, const struct config *cfg)
{
	struct node_conf node = cfg->node;
	char dur[DURATION_BUFSZ], mode[16];
	unsigned int i, n = 0;

	fprintf(fp, "# heartbeat configuration (hbctl showconf)\n");
	for (i = 0; i < cfg->nkeys; i++) {
		fprintf(fp, "key add id %u secret-file ", cfg->keys[i].c.id);
		print_word(fp, cfg->keys[i].c.secret_file);
		fputc('\n', fp);
	}
	/* 0 is "not set yet", which no "node set" can say. */
	if (node.given[node_conf_id()] && !node.val[node_conf_id()]) {
		node.given[node_conf_id()] = false;
		fprintf(fp, "# the node id is not set\n");
	}
	for (i = 0; i < node_conf_count(); i++)
		n += node.given[i];
	if (n) {
		fprintf(fp, "node set");
		node_conf_print(fp, &node, NODE_WRAP);
		fputc('\n', fp);
	}
	for (i = 0; i < cfg->nlinks; i++) {
		fprintf(fp, "link add dev ");
		print_word(fp, cfg->links[i].c.dev);
		fprintf(fp, " mode %s\n",
			link_mode_name(cfg->links[i].c.mode, mode,
				       sizeof(mode)));
	}
	for (i = 0; i < cfg->npeers; i++) {
		const struct peer_conf *p = &cfg->peers[i].c;

		fprintf(fp, "peer add id %u", p->id);
		if (p->dev[0]) {
			fprintf(fp, " dev ");
			print_word(fp, p->dev);
		}
		if (p->has_mac)
			print_mac(fp, p->mac);
		fputc('\n', fp);
	}
	for (i = 0; i < cfg->napps; i++) {
		const struct app_conf *a = &cfg->apps[i].c;

		format_duration(a->timeout_us, dur, sizeof(dur));
		fprintf(fp, "app add ");
		print_word(fp, a->name);
		fprintf(fp, " timeout %s action %s\n", dur,
			app_action_name(a->action, mode, sizeof(mode)));
	}
	if (cfg->has_disk) {
		format_duration(cfg->disk.interval_us, dur, sizeof(dur));
		fprintf(fp, "disk add dev ");
		print_word(fp, cfg->disk.path);
		fprintf(fp, " offset %" PRIu64 " slots %u interval %s\n",
			cfg->disk.offset, cfg->disk.slots, dur);
	}
	if (cfg->quorum.given[QUORUM_EXPECTED] ||
	    cfg->quorum.given[QUORUM_TIE_BREAKER] ||
	    cfg->quorum.given[QUORUM_WAIT_FOR_ALL]) {
		fprintf(fp, "quorum set");
		quorum_conf_print(fp, &cfg->quorum);
		fputc('\n', fp);
	}
}

static void showconf_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: hbctl showconf [ keydir DIR ]\n"
		"       hbctl setconf [ --check ] [ --wait-devices DURATION ]\n"
		"                     [ FILE | - ]\n"
		"       hbctl -b FILE | -b -\n"
		"where  DIR := where the key files are, as DIR/KEYID (default %s)\n"
		"       FILE := lines of hbctl commands (default %s)\n",
		HB_KEYDIR, HB_CONF_FILE);
}

int do_showconf(int argc, char **argv)
{
	const char *keydir = HB_KEYDIR;
	struct config cfg;
	int err;

	if (argc > 0 && matches(argv[0], "help")) {
		showconf_usage(stdout);
		return HB_EXIT_OK;
	}
	if (argc > 0 && matches(argv[0], "keydir")) {
		if (argc < 2) {
			invarg(argv[0], "missing value");
			return HB_EXIT_USAGE;
		}
		keydir = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc > 0) {
		invkeyword(argv[0]);
		return HB_EXIT_USAGE;
	}
	if (genl_open())
		return HB_EXIT_KERNEL;
	err = config_read(&cfg, keydir);
	genl_close();
	if (err)
		return HB_EXIT_KERNEL;
	config_print(stdout, &cfg);
	config_free(&cfg);
	return HB_EXIT_OK;
}

/* ---- parsing a file ------------------------------------------------- */

/*
 * The objects and verbs as the command line resolves their prefixes (the
 * order of hbctl.c's and each object's tables), so a word means in a file
 * what it means on the command line; conf_verb says which configure.
 */
enum conf_verb { V_OTHER, V_NODE, V_LINK, V_PEER, V_KEY, V_QUORUM, V_APP,
		 V_DISK };

static const struct {
	const char *name;
	const char *const verbs[5];
	const char *conf_verb;	/* the one verb that configures */
	enum conf_verb kind;
} conf_objects[] = {
	{ "node", { "show", "set" }, "set", V_NODE },
	{ "link", { "show", "add", "del" }, "add", V_LINK },
	{ "peer", { "probe", "show", "add", "del" }, "add", V_PEER },
	{ "key", { "show", "add", "del" }, "add", V_KEY },
	{ "quorum", { "show", "set" }, "set", V_QUORUM },
	{ "app", { "show", "add", "del", "kick" }, "add", V_APP },
	{ "stats", { NULL }, NULL, V_OTHER },
	{ "disk", { "show", "add", "del", "poison" }, "add", V_DISK },
};

static const char conf_lines[] =
	"node set, key add, link add, peer add, app add, disk add and quorum set";

struct conf_line {
	struct config *cfg;
	const char *file;
	unsigned int line;
	int argc;
	char **argv;
};

static int not_config(const struct conf_line *l)
{
	fprintf(stderr,
		"Error: \"%s%s%s\" is not a configuration line: a file has only %s.\n",
		l->argv[0], l->argc > 1 ? " " : "", l->argc > 1 ? l->argv[1] : "",
		conf_lines);
	return HB_EXIT_USAGE;
}

/* A parser's "help" printed usage: in a file it is a mistake. */
static int parsed(int ret)
{
	if (ret == HB_EXIT_OK) {
		fprintf(stderr, "Error: \"help\" is no configuration.\n");
		return HB_EXIT_USAGE;
	}
	return ret < 0 ? HB_EXIT_OK : ret;
}

static int twice(const char *what, unsigned int first)
{
	fprintf(stderr, "Error: %s is configured twice (first on line %u).\n",
		what, first);
	return HB_EXIT_USAGE;
}

static int conf_link(struct conf_line *l)
{
	struct config *cfg = l->cfg;
	struct link_conf c;
	struct link_item *it;
	char what[64];
	int ret;

	ret = parsed(link_conf_parse(l->argc - 2, l->argv + 2, &c));
	if (ret)
		return ret;
	it = find_link(cfg, c.dev);
	if (it) {
		snprintf(what, sizeof(what), "link %s", c.dev);
		return twice(what, it->line);
	}
	it = grow(&cfg->links, &cfg->nlinks, sizeof(*it));
	if (!it)
		return HB_EXIT_USAGE;
	it->c = c;
	it->line = l->line;
	return HB_EXIT_OK;
}

static int conf_peer(struct conf_line *l)
{
	struct config *cfg = l->cfg;
	struct peer_conf c;
	struct peer_item *it;
	char what[32];
	int ret;

	ret = parsed(peer_conf_parse(l->argc - 2, l->argv + 2, &c));
	if (ret)
		return ret;
	if (!c.id) {
		fprintf(stderr, "Error: a peer id is 1 or more.\n");
		return HB_EXIT_USAGE;
	}
	it = find_peer(cfg, c.id);
	if (it) {
		snprintf(what, sizeof(what), "peer %u", c.id);
		return twice(what, it->line);
	}
	it = grow(&cfg->peers, &cfg->npeers, sizeof(*it));
	if (!it)
		return HB_EXIT_USAGE;
	it->c = c;
	it->c.configured = true;
	it->line = l->line;
	return HB_EXIT_OK;
}

static int conf_key(struct conf_line *l)
{
	struct config *cfg = l->cfg;
	struct key_item *it;
	struct key_conf c;
	char what[32];
	int ret;

	ret = parsed(key_conf_parse(l->argc - 2, l->argv + 2, &c));
	if (ret)
		return ret;
	it = find_key(cfg, c.id);
	if (it) {
		snprintf(what, sizeof(what), "key %u", c.id);
		return twice(what, it->line);
	}
	if (cfg->nkeys == HEARTBEAT_KEYS_MAX) {
		fprintf(stderr, "Error: a node holds at most %u keys.\n",
			HEARTBEAT_KEYS_MAX);
		return HB_EXIT_USAGE;
	}
	it = grow(&cfg->keys, &cfg->nkeys, sizeof(*it));
	if (!it)
		return HB_EXIT_USAGE;
	it->c = c;
	it->line = l->line;
	return HB_EXIT_OK;
}

static int conf_app(struct conf_line *l)
{
	struct config *cfg = l->cfg;
	struct app_item *it;
	struct app_conf c;
	char what[64];
	int ret;

	ret = parsed(app_conf_parse(l->argc - 2, l->argv + 2, &c));
	if (ret)
		return ret;
	it = find_app(cfg, c.name);
	if (it) {
		snprintf(what, sizeof(what), "app %s", c.name);
		return twice(what, it->line);
	}
	if (cfg->napps == HEARTBEAT_APPS_MAX) {
		fprintf(stderr, "Error: a node holds at most %u apps.\n",
			HEARTBEAT_APPS_MAX);
		return HB_EXIT_USAGE;
	}
	it = grow(&cfg->apps, &cfg->napps, sizeof(*it));
	if (!it)
		return HB_EXIT_USAGE;
	it->c = c;
	it->line = l->line;
	return HB_EXIT_OK;
}

static int conf_disk(struct conf_line *l)
{
	struct config *cfg = l->cfg;
	struct disk_conf c;
	int ret;

	ret = parsed(disk_conf_parse(l->argc - 2, l->argv + 2, &c));
	if (ret)
		return ret;
	if (cfg->has_disk)
		return twice("the disk", cfg->disk_line);
	cfg->disk = c;
	cfg->has_disk = true;
	cfg->disk_line = l->line;
	return HB_EXIT_OK;
}

/* One line of a file into l->cfg; errors printed, nothing sent. */
static int conf_line(void *arg)
{
	struct conf_line *l = arg;
	const char *const *verbs;
	unsigned int o, v;

	for (o = 0; o < ARRAY_SIZE(conf_objects); o++)
		if (matches(l->argv[0], conf_objects[o].name))
			break;
	if (o == ARRAY_SIZE(conf_objects) || !conf_objects[o].conf_verb ||
	    l->argc < 2)
		return not_config(l);
	verbs = conf_objects[o].verbs;
	for (v = 0; v < ARRAY_SIZE(conf_objects[o].verbs) && verbs[v]; v++)
		if (matches(l->argv[1], verbs[v]))
			break;
	if (v == ARRAY_SIZE(conf_objects[o].verbs) || !verbs[v] ||
	    strcmp(verbs[v], conf_objects[o].conf_verb))
		return not_config(l);

	switch (conf_objects[o].kind) {
	case V_NODE:
		if (!l->cfg->node_line)
			l->cfg->node_line = l->line;
		return parsed(node_conf_parse(l->argc - 2, l->argv + 2,
					      &l->cfg->node));
	case V_QUORUM:
		if (!l->cfg->quorum_line)
			l->cfg->quorum_line = l->line;
		return parsed(quorum_conf_parse(l->argc - 2, l->argv + 2,
						&l->cfg->quorum));
	case V_LINK:
		return conf_link(l);
	case V_PEER:
		return conf_peer(l);
	case V_KEY:
		return conf_key(l);
	case V_APP:
		return conf_app(l);
	case V_DISK:
		return conf_disk(l);
	default:
		return not_config(l);
	}
}

/* What @file says, line by line; every bad line is reported. */
static int config_parse(const char *file, FILE *fp, struct config *cfg)
{
	unsigned int lineno, next = 0;
	char *argv[MAX_WORDS];
	char *buf = NULL;
	size_t size = 0;
	int argc, rc = HB_EXIT_OK;
	struct conf_line l = { .cfg = cfg, .file = file, .argv = argv };

	memset(cfg, 0, sizeof(*cfg));
	while (read_logical_line(fp, &buf, &size, &lineno, &next) >= 0) {
		argc = split_words(buf, argv, MAX_WORDS);
		if (argc < 0) {
			fprintf(stderr, "%s:%u: Error: %s.\n", file, lineno,
				argc == -E2BIG ? "too many words" :
				"a quote is not closed");
			rc = HB_EXIT_USAGE;
			continue;
		}
		if (!argc)
			continue;
		l.line = lineno;
		l.argc = argc;
		if (run_prefixed(file, lineno, conf_line, &l))
			rc = HB_EXIT_USAGE;
	}
	free(buf);
	if (ferror(fp)) {
		fprintf(stderr, "%s: Error: cannot read it: %s.\n", file,
			strerror(errno));
		rc = HB_EXIT_USAGE;
	}
	return rc;
}

/* ---- checks of the whole file --------------------------------------- */

struct checks {
	const char *file;
	int rc;
};

static void check_fail(struct checks *ck, unsigned int line, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

static void check_fail(struct checks *ck, unsigned int line, const char *fmt,
		       ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%u: Error: ", ck->file, line);
	else
		fprintf(stderr, "%s: Error: ", ck->file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	ck->rc = HB_EXIT_USAGE;
}

/*
 * What the lines say of each other: everything the kernel would refuse
 * that the file alone shows. @run is the running configuration, NULL for
 * --check: then settings the file leaves out are not known.
 */
static void check_consistency(struct checks *ck, const struct config *cfg,
			      const struct config *run)
{
	uint32_t id = 0, run_id = 0, key = 0, auth = HEARTBEAT_AUTH_OFF, tie;
	bool has_key, has_auth, has_tie;
	unsigned int i;

	/* 0 is no id at all. */
	if (!node_given(cfg, HEARTBEAT_A_NODE_ID, &id) && run &&
	    node_given(run, HEARTBEAT_A_NODE_ID, &run_id))
		id = run_id;
	for (i = 0; id && i < cfg->npeers; i++)
		if (cfg->peers[i].c.id == id)
			check_fail(ck, cfg->peers[i].line,
				   "peer %u has this node's own id", id);

	has_key = node_given(cfg, HEARTBEAT_A_NODE_AUTH_KEY, &key) ||
		  (run && node_given(run, HEARTBEAT_A_NODE_AUTH_KEY, &key));
	if (has_key && key && !find_key(cfg, key))
		check_fail(ck, cfg->node_line,
			   "auth-key %u is no key of the file (key add id %u secret-file FILE)",
			   key, key);
	has_auth = node_given(cfg, HEARTBEAT_A_NODE_AUTH, &auth) ||
		   (run && node_given(run, HEARTBEAT_A_NODE_AUTH, &auth));
	if (has_auth && auth != HEARTBEAT_AUTH_OFF && has_key && !key)
		check_fail(ck, cfg->node_line,
			   "authentication needs a signing key: set auth-key");

	has_tie = cfg->quorum.given[QUORUM_TIE_BREAKER] ||
		  (run && run->quorum.given[QUORUM_TIE_BREAKER]);
	tie = cfg->quorum.given[QUORUM_TIE_BREAKER] ?
	      cfg->quorum.tie_breaker : run ? run->quorum.tie_breaker : 0;
	if (has_tie && tie == HEARTBEAT_TIE_BREAKER_DISK && !cfg->has_disk)
		check_fail(ck, cfg->quorum_line,
			   "tie-breaker disk needs a disk add line");
	if (cfg->npeers + 1 > HEARTBEAT_VOTES_MAX &&
	    ((cfg->quorum.given[QUORUM_EXPECTED] && cfg->quorum.expected) ||
	     (!cfg->quorum.given[QUORUM_EXPECTED] && run &&
	      run->quorum.expected)))
		check_fail(ck, cfg->quorum_line,
			   "quorum counts at most %u members: this node and %u configured peers",
			   HEARTBEAT_VOTES_MAX, HEARTBEAT_VOTES_MAX - 1);
	if (cfg->has_disk && !id)
		check_fail(ck, cfg->disk_line,
			   "the disk needs the node id: set it (node set id ID)");
}

static int key_file_fn(void *path)
{
	return key_file_check(path);
}

/* Every key of the file, those the node has too: the file is for boot. */
static void check_key_files(struct checks *ck, const struct config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nkeys; i++)
		if (run_prefixed(ck->file, cfg->keys[i].line, key_file_fn,
				 cfg->keys[i].c.secret_file))
			ck->rc = HB_EXIT_USAGE;
}

/* The first device the file names that does not exist, and its line. */
static const char *missing_device(const struct config *cfg,
				  unsigned int *line)
{
	struct stat st;
	unsigned int i;

	for (i = 0; i < cfg->nlinks; i++) {
		if (!if_nametoindex(cfg->links[i].c.dev)) {
			*line = cfg->links[i].line;
			return cfg->links[i].c.dev;
		}
	}
	for (i = 0; i < cfg->npeers; i++) {
		if (cfg->peers[i].c.dev[0] &&
		    !if_nametoindex(cfg->peers[i].c.dev)) {
			*line = cfg->peers[i].line;
			return cfg->peers[i].c.dev;
		}
	}
	if (cfg->has_disk && stat(cfg->disk.path, &st)) {
		*line = cfg->disk_line;
		return cfg->disk.path;
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Waits up to @wait_us for every device the file names: at boot udev
 * and the network's own services may still be making them.
 */
static const char *wait_devices(const struct config *cfg, uint32_t wait_us,
				unsigned int *line)
{
	uint64_t end = now_ns() + (uint64_t)wait_us * 1000;
	struct timespec step = { 0, WAIT_STEP_NS };
	const char *dev;

	while ((dev = missing_device(cfg, line)) && now_ns() < end)
		nanosleep(&step, NULL);
	return dev;
}

/* ---- applying it ----------------------------------------------------- */

enum step_kind {
	S_KEY_ADD, S_KEY_DEL, S_LINK_ADD, S_LINK_DEL, S_PEER_ADD, S_PEER_DEL,
	S_APP_ADD, S_APP_DEL, S_DISK_ADD, S_DISK_DEL, S_NODE_SET, S_QUORUM_SET,
};

/*
 * One request; its undo is the same kind's opposite. obj points into the
 * file's configuration (adds, sets) or the snapshot (deletes).
 */
struct step {
	enum step_kind kind;
	const void *obj;
	unsigned int line;		/* of the file; 0 for a delete */
	struct node_conf node;		/* S_NODE_SET: what it sets */
	struct quorum_conf quorum;	/* S_QUORUM_SET: likewise */
};

struct plan {
	const char *file;
	const struct config *snap;	/* as the node was */
	struct step *steps;
	unsigned int nsteps;
	unsigned int done;
};

static int step_add(struct plan *p, enum step_kind kind, const void *obj,
		    unsigned int line)
{
	struct step *s = grow(&p->steps, &p->nsteps, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->kind = kind;
	s->obj = obj;
	s->line = line;
	return 0;
}

static int step_send(const struct step *s, bool undo)
{
	static const uint8_t cmds[][2] = {
		[S_KEY_ADD] = { HEARTBEAT_CMD_KEY_ADD, HEARTBEAT_CMD_KEY_DEL },
		[S_KEY_DEL] = { HEARTBEAT_CMD_KEY_DEL, HEARTBEAT_CMD_KEY_ADD },
		[S_LINK_ADD] = { HEARTBEAT_CMD_LINK_ADD, HEARTBEAT_CMD_LINK_DEL },
		[S_LINK_DEL] = { HEARTBEAT_CMD_LINK_DEL, HEARTBEAT_CMD_LINK_ADD },
		[S_PEER_ADD] = { HEARTBEAT_CMD_PEER_ADD, HEARTBEAT_CMD_PEER_DEL },
		[S_PEER_DEL] = { HEARTBEAT_CMD_PEER_DEL, HEARTBEAT_CMD_PEER_ADD },
		[S_APP_ADD] = { HEARTBEAT_CMD_APP_ADD, HEARTBEAT_CMD_APP_DEL },
		[S_APP_DEL] = { HEARTBEAT_CMD_APP_DEL, HEARTBEAT_CMD_APP_ADD },
		[S_DISK_ADD] = { HEARTBEAT_CMD_DISK_ADD, HEARTBEAT_CMD_DISK_DEL },
		[S_DISK_DEL] = { HEARTBEAT_CMD_DISK_DEL, HEARTBEAT_CMD_DISK_ADD },
	};
	uint8_t cmd = cmds[s->kind][undo];

	switch (s->kind) {
	case S_KEY_ADD:
	case S_KEY_DEL:
		return key_conf_send(cmd, s->obj);
	case S_LINK_ADD:
	case S_LINK_DEL:
		return link_conf_send(cmd, s->obj);
	case S_PEER_ADD:
	case S_PEER_DEL:
		return peer_conf_send(cmd, s->obj);
	case S_APP_ADD:
	case S_APP_DEL:
		return app_conf_send(cmd, s->obj);
	case S_DISK_ADD:
	case S_DISK_DEL:
		return disk_conf_send(cmd, s->obj);
	case S_NODE_SET:
		return node_conf_send(&s->node);
	default:
		return quorum_conf_send(&s->quorum);
	}
}

/* What a step does, for the messages of steps that have no line. */
static void step_name(const struct step *s, char *buf, size_t len)
{
	const struct link_conf *l = s->obj;
	const struct peer_conf *p = s->obj;
	const struct key_conf *k = s->obj;
	const struct app_conf *a = s->obj;

	switch (s->kind) {
	case S_KEY_DEL:
		snprintf(buf, len, "key del id %u", k->id);
		break;
	case S_LINK_DEL:
		snprintf(buf, len, "link del dev %s", l->dev);
		break;
	case S_PEER_DEL:
		snprintf(buf, len, "peer del id %u", p->id);
		break;
	case S_APP_DEL:
		snprintf(buf, len, "app del %s", a->name);
		break;
	case S_DISK_DEL:
		snprintf(buf, len, "disk del");
		break;
	case S_QUORUM_SET:
		snprintf(buf, len, "quorum set");
		break;
	default:
		snprintf(buf, len, "node set");
		break;
	}
}

struct step_run {
	const struct step *s;
	bool undo;
};

static int step_run_fn(void *arg)
{
	struct step_run *r = arg;

	return step_send(r->s, r->undo);
}

/*
 * A step with its errors prefixed "FILE:LINE: ", or "FILE: WHAT: " for a
 * delete (no line has it) and for an undo.
 */
static int step_do(const struct plan *p, const struct step *s, bool undo)
{
	struct step_run r = { s, undo };
	char prefix[512], what[128];

	if (s->line && !undo)
		return run_prefixed(p->file, s->line, step_run_fn, &r);
	if (s->line)
		snprintf(what, sizeof(what), "line %u", s->line);
	else
		step_name(s, what, sizeof(what));
	snprintf(prefix, sizeof(prefix), "%s: %s%s", p->file,
		 undo ? "undoing " : "", what);
	return run_prefixed(prefix, 0, step_run_fn, &r);
}

/* The values of @want that differ from @have, into s->node. */
static unsigned int node_diff(const struct node_conf *have,
			      const struct node_conf *want,
			      struct node_conf *out)
{
	unsigned int i, n = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < node_conf_count(); i++) {
		if (!want->given[i] ||
		    (have->given[i] && have->val[i] == want->val[i]))
			continue;
		out->given[i] = true;
		out->val[i] = want->val[i];
		n++;
	}
	return n;
}

static unsigned int quorum_diff(const struct quorum_conf *have,
				const struct quorum_conf *want,
				struct quorum_conf *out)
{
	unsigned int n = 0;

	memset(out, 0, sizeof(*out));
	if (want->given[QUORUM_EXPECTED] &&
	    (!have->given[QUORUM_EXPECTED] || have->expected != want->expected)) {
		out->expected = want->expected;
		out->given[QUORUM_EXPECTED] = true;
		n++;
	}
	if (want->given[QUORUM_TIE_BREAKER] &&
	    (!have->given[QUORUM_TIE_BREAKER] ||
	     have->tie_breaker != want->tie_breaker)) {
		out->tie_breaker = want->tie_breaker;
		out->given[QUORUM_TIE_BREAKER] = true;
		n++;
	}
	if (want->given[QUORUM_WAIT_FOR_ALL] &&
	    (!have->given[QUORUM_WAIT_FOR_ALL] ||
	     have->wait_for_all != want->wait_for_all)) {
		out->wait_for_all = want->wait_for_all;
		out->given[QUORUM_WAIT_FOR_ALL] = true;
		n++;
	}
	return n;
}

static int plan_node(struct plan *p, const struct config *want,
		     struct node_conf *have)
{
	struct node_conf diff;
	unsigned int i;

	if (!node_diff(have, &want->node, &diff))
		return 0;
	if (step_add(p, S_NODE_SET, NULL, want->node_line))
		return -ENOMEM;
	p->steps[p->nsteps - 1].node = diff;
	for (i = 0; i < node_conf_count(); i++) {
		if (diff.given[i]) {
			have->val[i] = diff.val[i];
			have->given[i] = true;
		}
	}
	return 0;
}

/*
 * The steps from the snapshot to @want, in an order the kernel takes:
 * keys first (a node signs with one), deletes before adds (a changed link,
 * peer, app or disk is deleted and added again), a node id set before the
 * peers (one may have had it) unless the node had none (an id cannot be
 * unset: the adds that may fail go first then), the disk after the node id
 * (its slot), the quorum after the disk (its tie-breaker), and keys deleted
 * last, once no setting names them: a deleted secret cannot be put back.
 */
static int plan_make(struct plan *p, const struct config *want)
{
	const struct config *snap = p->snap;
	struct node_conf node = snap->node;
	struct quorum_conf quorum = snap->quorum, pre;
	bool disk_goes, late_id;
	uint32_t id = 0;
	unsigned int i;
	int err = 0;

	for (i = 0; i < want->nkeys && !err; i++)
		if (!find_key(snap, want->keys[i].c.id))
			err = step_add(p, S_KEY_ADD, &want->keys[i].c,
				       want->keys[i].line);

	/* The disk's tie-breaker goes before the disk does. */
	disk_goes = snap->has_disk &&
		    (!want->has_disk || !same_disk(&snap->disk, &want->disk));
	if (!err && disk_goes && quorum.tie_breaker == HEARTBEAT_TIE_BREAKER_DISK) {
		memset(&pre, 0, sizeof(pre));
		pre.given[QUORUM_TIE_BREAKER] = true;
		pre.tie_breaker = want->quorum.given[QUORUM_TIE_BREAKER] &&
				  want->quorum.tie_breaker != HEARTBEAT_TIE_BREAKER_DISK ?
				  want->quorum.tie_breaker : HEARTBEAT_TIE_BREAKER_NONE;
		err = step_add(p, S_QUORUM_SET, NULL, want->quorum_line);
		if (!err)
			p->steps[p->nsteps - 1].quorum = pre;
		quorum.tie_breaker = pre.tie_breaker;
	}

	for (i = 0; i < snap->npeers && !err; i++) {
		const struct peer_item *w = find_peer(want, snap->peers[i].c.id);

		if (!w || !same_peer(&w->c, &snap->peers[i].c))
			err = step_add(p, S_PEER_DEL, &snap->peers[i].c, 0);
	}
	for (i = 0; i < snap->napps && !err; i++) {
		const struct app_item *w = find_app(want, snap->apps[i].c.name);

		if (!w || !same_app(&w->c, &snap->apps[i].c))
			err = step_add(p, S_APP_DEL, &snap->apps[i].c, 0);
	}
	for (i = 0; i < snap->nlinks && !err; i++) {
		const struct link_item *w = find_link(want, snap->links[i].c.dev);

		if (!w || w->c.mode != snap->links[i].c.mode)
			err = step_add(p, S_LINK_DEL, &snap->links[i].c, 0);
	}
	if (!err && disk_goes)
		err = step_add(p, S_DISK_DEL, &snap->disk, 0);

	late_id = !(node_given(snap, HEARTBEAT_A_NODE_ID, &id) && id);
	if (!err && !late_id)
		err = plan_node(p, want, &node);

	for (i = 0; i < want->nlinks && !err; i++) {
		const struct link_item *s = find_link(snap, want->links[i].c.dev);

		if (!s || s->c.mode != want->links[i].c.mode)
			err = step_add(p, S_LINK_ADD, &want->links[i].c,
				       want->links[i].line);
	}
	for (i = 0; i < want->npeers && !err; i++) {
		const struct peer_item *s = find_peer(snap, want->peers[i].c.id);

		if (!s || !same_peer(&s->c, &want->peers[i].c))
			err = step_add(p, S_PEER_ADD, &want->peers[i].c,
				       want->peers[i].line);
	}
	for (i = 0; i < want->napps && !err; i++) {
		const struct app_item *s = find_app(snap, want->apps[i].c.name);

		if (!s || !same_app(&s->c, &want->apps[i].c))
			err = step_add(p, S_APP_ADD, &want->apps[i].c,
				       want->apps[i].line);
	}
	if (!err && late_id)
		err = plan_node(p, want, &node);
	if (!err && want->has_disk &&
	    (!snap->has_disk || disk_goes))
		err = step_add(p, S_DISK_ADD, &want->disk, want->disk_line);
	if (!err && quorum_diff(&quorum, &want->quorum, &pre)) {
		err = step_add(p, S_QUORUM_SET, NULL, want->quorum_line);
		if (!err)
			p->steps[p->nsteps - 1].quorum = pre;
	}
	for (i = 0; i < snap->nkeys && !err; i++)
		if (!find_key(want, snap->keys[i].c.id))
			err = step_add(p, S_KEY_DEL, &snap->keys[i].c, 0);
	return err;
}

/*
 * The undo of a set: the snapshot's values of what it set. An id the
 * node did not have cannot be taken back (the kernel takes 1 and up).
 */
static void undo_values(const struct plan *p, struct step *s)
{
	const struct config *snap = p->snap;
	unsigned int i, id = node_conf_id();

	if (s->kind == S_NODE_SET) {
		for (i = 0; i < node_conf_count(); i++) {
			if (!s->node.given[i])
				continue;
			s->node.given[i] = snap->node.given[i];
			s->node.val[i] = snap->node.val[i];
		}
		if (s->node.given[id] && !s->node.val[id]) {
			s->node.given[id] = false;
			fprintf(stderr,
				"%s: Warning: the node id stays: an id once set cannot be unset.\n",
				p->file);
		}
		return;
	}
	for (i = 0; i < QUORUM_CONF_MAX; i++)
		s->quorum.given[i] = s->quorum.given[i] && snap->quorum.given[i];
	s->quorum.expected = snap->quorum.expected;
	s->quorum.tie_breaker = snap->quorum.tie_breaker;
	s->quorum.wait_for_all = snap->quorum.wait_for_all;
}

/*
 * Newest first; a set goes back to the value before it: a later set of
 * the same thing (the quorum's two) was undone already, so the snapshot's
 * value is the one before each.
 */
static int plan_undo(struct plan *p)
{
	struct step *s;
	int rc = 0;

	while (p->done) {
		s = &p->steps[--p->done];
		if (s->kind == S_NODE_SET || s->kind == S_QUORUM_SET)
			undo_values(p, s);
		if (step_do(p, s, true))
			rc = -1;
	}
	return rc;
}

static int plan_run(struct plan *p)
{
	unsigned int n;

	for (p->done = 0; p->done < p->nsteps; p->done++) {
		if (!step_do(p, &p->steps[p->done], false))
			continue;
		n = p->done;
		if (plan_undo(p)) {
			fprintf(stderr,
				"%s: Error: the running configuration could not be restored: it is neither the file's nor what it was; see hbctl showconf.\n",
				p->file);
			return HB_EXIT_KERNEL;
		}
		fprintf(stderr,
			"%s: the running configuration is as it was (%u change%s undone).\n",
			p->file, n, n == 1 ? "" : "s");
		return HB_EXIT_KERNEL;
	}
	return HB_EXIT_OK;
}

/* ---- setconf --------------------------------------------------------- */

struct setconf_args {
	const char *file;
	bool check;
	uint32_t wait_us;
};

static int setconf_args(int argc, char **argv, struct setconf_args *a)
{
	int err;

	a->file = HB_CONF_FILE;
	a->check = false;
	a->wait_us = 0;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "--check")) {
			a->check = true;
		} else if (!strcmp(argv[0], "--wait-devices")) {
			if (argc < 2) {
				invarg(argv[0], "missing value");
				return HB_EXIT_USAGE;
			}
			err = parse_duration_us(argv[1], &a->wait_us);
			if (err) {
				invarg(argv[1], "--wait-devices needs a duration like 30s");
				return HB_EXIT_USAGE;
			}
			argc--;
			argv++;
		} else if (matches(argv[0], "help")) {
			showconf_usage(stdout);
			return HB_EXIT_OK;
		} else if (argv[0][0] == '-' && argv[0][1]) {
			invkeyword(argv[0]);
			return HB_EXIT_USAGE;
		} else if (argc > 1) {
			invkeyword(argv[1]);
			return HB_EXIT_USAGE;
		} else {
			a->file = argv[0];
		}
	}
	return -1;
}

static FILE *open_file(const char *file)
{
	FILE *fp;

	if (!strcmp(file, "-"))
		return stdin;
	fp = fopen(file, "re");
	if (!fp)
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", file,
			strerror(errno));
	return fp;
}

int do_setconf(int argc, char **argv)
{
	struct setconf_args a;
	struct config want, snap;
	struct checks ck;
	struct plan p = {};
	const char *dev;
	unsigned int line;
	FILE *fp;
	int rc;

	rc = setconf_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	fp = open_file(a.file);
	if (!fp)
		return HB_EXIT_USAGE;
	ck.file = strcmp(a.file, "-") ? a.file : "stdin";
	ck.rc = config_parse(ck.file, fp, &want);
	if (fp != stdin)
		fclose(fp);
	if (!ck.rc)
		check_consistency(&ck, &want, NULL);
	if (!ck.rc)
		check_key_files(&ck, &want);
	if (ck.rc || a.check) {
		/* Devices come and go: --check only says what is missing now. */
		if (!ck.rc && (dev = missing_device(&want, &line)))
			fprintf(stderr,
				"%s:%u: Warning: \"%s\" does not exist now.\n",
				ck.file, line, dev);
		config_free(&want);
		return ck.rc;
	}
	dev = wait_devices(&want, a.wait_us, &line);
	if (dev) {
		fprintf(stderr, "%s:%u: Error: device \"%s\" does not exist.\n",
			ck.file, line, dev);
		config_free(&want);
		return HB_EXIT_USAGE;
	}

	if (genl_open()) {
		config_free(&want);
		return HB_EXIT_KERNEL;
	}
	rc = config_read(&snap, HB_KEYDIR) ? HB_EXIT_KERNEL : HB_EXIT_OK;
	if (!rc) {
		/* What the file leaves to the running values, checked with them. */
		check_consistency(&ck, &want, &snap);
		rc = ck.rc;
		p.file = ck.file;
		p.snap = &snap;
		if (!rc && plan_make(&p, &want))
			rc = HB_EXIT_USAGE;
		if (!rc)
			rc = plan_run(&p);
		free(p.steps);
		config_free(&snap);
	}
	genl_close();
	config_free(&want);
	return rc;
}

/* ---- hbctl -b -------------------------------------------------------- */

struct batch_line {
	int (*run)(int argc, char **argv);
	int argc;
	char **argv;
};

static int batch_line_fn(void *arg)
{
	struct batch_line *b = arg;

	return b->run(b->argc, b->argv);
}

int do_batch(const char *file, bool force, int (*run)(int argc, char **argv))
{
	unsigned int lineno, next = 0;
	char *argv[MAX_WORDS], *buf = NULL;
	struct batch_line b = { .run = run, .argv = argv };
	const char *name;
	size_t size = 0;
	int argc, ret, rc = HB_EXIT_OK;
	FILE *fp;

	fp = open_file(file);
	if (!fp)
		return HB_EXIT_USAGE;
	name = strcmp(file, "-") ? file : "stdin";
	while (read_logical_line(fp, &buf, &size, &lineno, &next) >= 0) {
		argc = split_words(buf, argv, MAX_WORDS);
		if (argc < 0) {
			fprintf(stderr, "%s:%u: Error: %s.\n", name, lineno,
				argc == -E2BIG ? "too many words" :
				"a quote is not closed");
			ret = HB_EXIT_USAGE;
		} else if (!argc) {
			continue;
		} else {
			b.argc = argc;
			/* Each line's output is complete before the next. */
			ret = run_prefixed(name, lineno, batch_line_fn, &b);
			fflush(stdout);
		}
		if (ret) {
			rc = ret;
			if (!force)
				break;
		}
	}
	free(buf);
	if (fp != stdin)
		fclose(fp);
	return rc;
}
