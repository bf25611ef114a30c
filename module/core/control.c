// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the control language.
 *
 * The lines written to a sandbox's debugfs "control" file, and read by
 * bbsim from a file or standard input:
 *
 *   alloc order=N gfp=SPEC [nid=N] [count=N] [flags=cache]
 *   free handle=H
 *   free all
 *   drain			drain_all_pages(): the pcp lists back to the buddy
 *   compact [node=N] [zone=NAME]	a full sync compaction (every node and
 *				zone by default)
 *   reclaim pages=N [node=N]	reclaim up to N cache pages
 *   drop_caches		drop every cache allocation whose owner is idle
 *   set NAME=VALUE		a tunable, as writing its debugfs file
 *   vmstat			one round of the vmstat worker (pcp_high=6.7:
 *				each list's high decays)
 *
 * The allocations belong to the control's owner, and are freed with it.
 * A batch of lines is parsed whole before any line runs: one malformed line
 * rejects the batch with -EINVAL and its line number.  The lines then run in
 * order; the first that fails stops the rest (what ran before stays done).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buddybox.h"

/* alloc count=N */
#define BB_CTL_MAX_COUNT	BIT(20)

/* ---- the tunables ---- */

static const struct bb_tunable bb_tunables[] = {
	{
		.name = "min_free_kbytes",
		.offset = offsetof(struct bb_sandbox, min_free_kbytes),
		.set = bb_set_min_free_kbytes,
	}, {
		.name = "watermark_scale_factor",
		.offset = offsetof(struct bb_sandbox, watermark_scale_factor),
		.set = bb_set_watermark_scale_factor,
	}, {
		.name = "watermark_boost_factor",
		.offset = offsetof(struct bb_sandbox, watermark_boost_factor),
		.set = bb_set_watermark_boost_factor,
	}, {
		.name = "percpu_pagelist_high_fraction",
		.offset = offsetof(struct bb_sandbox,
				   percpu_pagelist_high_fraction),
		.set = bb_set_percpu_pagelist_high_fraction,
	}, {
		.name = "compaction_proactiveness",
		.offset = offsetof(struct bb_sandbox, compaction_proactiveness),
		.set = bb_set_compaction_proactiveness,
	}, {
		.name = "extfrag_threshold",
		.offset = offsetof(struct bb_sandbox, extfrag_threshold),
		.set = bb_set_extfrag_threshold,
	}, {
		.name = "percpu_pagelist_batch",
		.offset = offsetof(struct bb_sandbox, percpu_pagelist_batch),
		.set = bb_set_percpu_pagelist_batch,
	}, {
		.name = "defrag_mode",
		.offset = offsetof(struct bb_sandbox, defrag_mode),
		.set = bb_set_defrag_mode,
	},
};

const struct bb_tunable *bb_tunable(unsigned int i)
{
	return i < ARRAY_SIZE(bb_tunables) ? &bb_tunables[i] : NULL;
}

const struct bb_tunable *bb_tunable_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bb_tunables); i++)
		if (!strcmp(bb_tunables[i].name, name))
			return &bb_tunables[i];
	return NULL;
}

int bb_tunable_get(struct bb_sandbox *sb, const struct bb_tunable *t)
{
	return READ_ONCE(*(const int *)((const char *)sb + t->offset));
}

/* The next non-empty token of @s split at @delim, or NULL at the end. */
char *bb_next_token(char **s, const char *delim)
{
	char *tok;

	while ((tok = strsep(s, delim)))
		if (*tok)
			return tok;
	return NULL;
}

/* "R0 R1 R2 R3": one non-negative ratio per zone type, as the sysctl */
int bb_parse_lowmem_reserve_ratio(char *buf, int ratio[BB_MAX_NR_ZONES])
{
	char *tok;
	int n = 0;

	while ((tok = bb_next_token(&buf, " \t\n"))) {
		if (n == BB_MAX_NR_ZONES || kstrtoint(tok, 10, &ratio[n]) ||
		    ratio[n] < 0)
			return -EINVAL;
		n++;
	}
	return n == BB_MAX_NR_ZONES ? 0 : -EINVAL;
}

/* ---- parsing ---- */

enum bb_ctl_op {
	BB_CTL_ALLOC,
	BB_CTL_FREE,
	BB_CTL_FREE_ALL,
	BB_CTL_DRAIN,
	BB_CTL_COMPACT,
	BB_CTL_RECLAIM,
	BB_CTL_DROP_CACHES,
	BB_CTL_SET,
	BB_CTL_VMSTAT,
};

struct bb_ctl_cmd {
	enum bb_ctl_op op;
	unsigned int order;
	bb_gfp_t gfp;
	int nid;
	unsigned int count;
	u32 handle;
	u32 flags;		/* alloc: BB_ALLOC_F_CACHE */
	int zone_idx;		/* compact: -1 for every zone */
	unsigned long pages;	/* reclaim */
	const struct bb_tunable *tunable;	/* set */
	int value;				/* set */
};

/*
 * One "key=value" argument; a key may be given once.  @err->what names
 * what was wrong.
 */
struct bb_ctl_arg {
	char *key;
	char *val;
};

static int bb_ctl_next_arg(char **line, struct bb_ctl_arg *arg,
			   struct bb_control_error *err)
{
	char *tok = bb_next_token(line, " \t");

	if (!tok)
		return 0;
	arg->key = tok;
	arg->val = strchr(tok, '=');
	if (!arg->val) {
		err->what = "an argument is not key=value";
		return -EINVAL;
	}
	*arg->val++ = '\0';
	return 1;
}

static int bb_ctl_nid(struct bb_sandbox *sb, const char *val, int *nid)
{
	if (kstrtoint(val, 10, nid) || *nid < 0 || *nid >= sb->nr_nodes)
		return -EINVAL;
	return 0;
}

#define BB_CTL_KEY(k)	BIT(k)
enum { BB_KEY_ORDER, BB_KEY_GFP, BB_KEY_NID, BB_KEY_COUNT, BB_KEY_FLAGS };

/* alloc order=N gfp=SPEC [nid=N] [count=N] [flags=cache] */
static int bb_ctl_parse_alloc(struct bb_sandbox *sb, char **line,
			      struct bb_ctl_cmd *cmd,
			      struct bb_control_error *err)
{
	unsigned long seen = 0;
	struct bb_ctl_arg arg;
	int key, ret;

	cmd->nid = -1;
	cmd->count = 1;
	while ((ret = bb_ctl_next_arg(line, &arg, err)) > 0) {
		if (!strcmp(arg.key, "order")) {
			key = BB_KEY_ORDER;
			err->what = "order out of range";
			ret = kstrtouint(arg.val, 10, &cmd->order);
			if (!ret && cmd->order >= BB_MAX_ORDER)
				ret = -EINVAL;
		} else if (!strcmp(arg.key, "gfp")) {
			key = BB_KEY_GFP;
			err->what = "gfp: unknown flag name or bad number";
			ret = bb_parse_gfp(arg.val, &cmd->gfp);
		} else if (!strcmp(arg.key, "nid")) {
			key = BB_KEY_NID;
			err->what = "nid: no such node";
			ret = bb_ctl_nid(sb, arg.val, &cmd->nid);
		} else if (!strcmp(arg.key, "flags")) {
			key = BB_KEY_FLAGS;
			err->what = "flags: only 'cache' is known";
			ret = strcmp(arg.val, "cache") ? -EINVAL : 0;
			cmd->flags = BB_ALLOC_F_CACHE;
		} else if (!strcmp(arg.key, "count")) {
			key = BB_KEY_COUNT;
			err->what = "count must be 1 .. 1048576";
			ret = kstrtouint(arg.val, 10, &cmd->count);
			if (!ret && (!cmd->count || cmd->count > BB_CTL_MAX_COUNT))
				ret = -EINVAL;
		} else {
			err->what = "alloc: unknown key";
			return -EINVAL;
		}
		if (ret)
			return -EINVAL;
		if (seen & BB_CTL_KEY(key)) {
			err->what = "alloc: a key given twice";
			return -EINVAL;
		}
		seen |= BB_CTL_KEY(key);
	}
	if (ret)
		return ret;
	if (!(seen & BB_CTL_KEY(BB_KEY_ORDER)) || !(seen & BB_CTL_KEY(BB_KEY_GFP))) {
		err->what = "alloc needs order= and gfp=";
		return -EINVAL;
	}
	return 0;
}

/* free handle=H | free all */
static int bb_ctl_parse_free(char **line, struct bb_ctl_cmd *cmd,
			     struct bb_control_error *err)
{
	char *tok = bb_next_token(line, " \t");

	err->what = "free takes handle=H or all";
	if (!tok || bb_next_token(line, " \t"))
		return -EINVAL;
	if (!strcmp(tok, "all")) {
		cmd->op = BB_CTL_FREE_ALL;
		return 0;
	}
	if (strncmp(tok, "handle=", 7) || kstrtou32(tok + 7, 10, &cmd->handle))
		return -EINVAL;
	return 0;
}

static int bb_ctl_zone_idx(const char *name)
{
	int i;

	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		if (!strcasecmp(name, bb_zone_names[i]))
			return i;
	return -EINVAL;
}

/* compact [node=N] [zone=NAME]  |  reclaim pages=N [node=N] */
static int bb_ctl_parse_node_args(struct bb_sandbox *sb, char **line,
				  struct bb_ctl_cmd *cmd,
				  struct bb_control_error *err)
{
	bool reclaim = cmd->op == BB_CTL_RECLAIM;
	bool seen_node = false, seen_zone = false, seen_pages = false;
	struct bb_ctl_arg arg;
	int ret;

	cmd->nid = -1;
	cmd->zone_idx = -1;
	while ((ret = bb_ctl_next_arg(line, &arg, err)) > 0) {
		if (!strcmp(arg.key, "node") && !seen_node) {
			seen_node = true;
			err->what = "node: no such node";
			ret = bb_ctl_nid(sb, arg.val, &cmd->nid);
		} else if (!strcmp(arg.key, "zone") && !reclaim && !seen_zone) {
			seen_zone = true;
			err->what = "zone: DMA, DMA32, Normal or Movable";
			cmd->zone_idx = bb_ctl_zone_idx(arg.val);
			ret = cmd->zone_idx < 0 ? -EINVAL : 0;
		} else if (!strcmp(arg.key, "pages") && reclaim && !seen_pages) {
			seen_pages = true;
			err->what = "pages must be a positive number";
			ret = kstrtoul(arg.val, 10, &cmd->pages);
			if (!ret && !cmd->pages)
				ret = -EINVAL;
		} else {
			err->what = reclaim ? "reclaim takes pages=N [node=N]" :
				    "compact takes [node=N] [zone=NAME]";
			ret = -EINVAL;
		}
		if (ret)
			return -EINVAL;
	}
	if (ret)
		return ret;
	if (reclaim && !seen_pages) {
		err->what = "reclaim needs pages=N";
		return -EINVAL;
	}
	return 0;
}

/* set NAME=VALUE */
static int bb_ctl_parse_set(char **line, struct bb_ctl_cmd *cmd,
			    struct bb_control_error *err)
{
	struct bb_ctl_arg arg;
	int ret = bb_ctl_next_arg(line, &arg, err);

	if (ret <= 0 || bb_next_token(line, " \t")) {
		err->what = "set takes one NAME=VALUE";
		return -EINVAL;
	}
	cmd->tunable = bb_tunable_find(arg.key);
	if (!cmd->tunable) {
		err->what = "set: no such tunable";
		return -EINVAL;
	}
	if (kstrtoint(arg.val, 10, &cmd->value)) {
		err->what = "set: the value is not a number";
		return -EINVAL;
	}
	return 0;
}

static const struct {
	const char *verb;
	enum bb_ctl_op op;
} bb_ctl_verbs[] = {
	{ "alloc", BB_CTL_ALLOC },
	{ "free", BB_CTL_FREE },
	{ "drain", BB_CTL_DRAIN },
	{ "compact", BB_CTL_COMPACT },
	{ "reclaim", BB_CTL_RECLAIM },
	{ "drop_caches", BB_CTL_DROP_CACHES },
	{ "set", BB_CTL_SET },
	{ "vmstat", BB_CTL_VMSTAT },
};

/* 1: @cmd holds the line's command; 0: a blank line; else -EINVAL */
static int bb_ctl_parse_line(struct bb_sandbox *sb, char *line,
			     struct bb_ctl_cmd *cmd,
			     struct bb_control_error *err)
{
	char *verb = bb_next_token(&line, " \t\r");
	unsigned int i;
	int ret;

	if (!verb || *verb == '#')
		return 0;
	memset(cmd, 0, sizeof(*cmd));
	for (i = 0; i < ARRAY_SIZE(bb_ctl_verbs); i++)
		if (!strcmp(verb, bb_ctl_verbs[i].verb))
			break;
	if (i == ARRAY_SIZE(bb_ctl_verbs)) {
		err->what = "unknown command";
		return -EINVAL;
	}
	cmd->op = bb_ctl_verbs[i].op;

	switch (cmd->op) {
	case BB_CTL_ALLOC:
		ret = bb_ctl_parse_alloc(sb, &line, cmd, err);
		break;
	case BB_CTL_FREE:
		ret = bb_ctl_parse_free(&line, cmd, err);
		break;
	case BB_CTL_COMPACT:
	case BB_CTL_RECLAIM:
		ret = bb_ctl_parse_node_args(sb, &line, cmd, err);
		break;
	case BB_CTL_SET:
		ret = bb_ctl_parse_set(&line, cmd, err);
		break;
	default:
		err->what = "this command takes no argument";
		ret = bb_next_token(&line, " \t\r") ? -EINVAL : 0;
		break;
	}
	return ret ? ret : 1;
}

/* ---- running ---- */

/* All @cmd->count allocations, or none. */
static int bb_ctl_alloc(struct bb_control *ctl, const struct bb_ctl_cmd *cmd)
{
	struct bb_alloc a;
	unsigned int i;
	u32 *handles;
	int ret = 0;

	handles = kvmalloc_array(cmd->count, sizeof(*handles), GFP_KERNEL);
	if (!handles)
		return -ENOMEM;
	for (i = 0; i < cmd->count; i++) {
		if (i && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = bb_owner_alloc(&ctl->owner, cmd->gfp, cmd->order,
				     cmd->nid, 0, cmd->flags, NULL, &a);
		if (ret)
			break;
		handles[i] = a.handle;
		cond_resched();
	}
	if (ret) {
		while (i--)
			bb_owner_free(&ctl->owner, handles[i]);
	}
	kvfree(handles);
	return ret;
}

struct bb_ctl_batch {
	u32 handle[64];
	unsigned int nr;
};

static int bb_ctl_collect(const struct bb_alloc *a, void *arg)
{
	struct bb_ctl_batch *batch = arg;

	batch->handle[batch->nr++] = a->handle;
	return batch->nr == ARRAY_SIZE(batch->handle);
}

/* Called with ctl->lock held: nothing adds to the owner meanwhile. */
static void bb_ctl_free_all(struct bb_control *ctl)
{
	struct bb_ctl_batch batch;
	unsigned int i;

	do {
		batch.nr = 0;
		bb_owner_for_each(&ctl->owner, bb_ctl_collect, &batch);
		for (i = 0; i < batch.nr; i++)
			bb_owner_free(&ctl->owner, batch.handle[i]);
		cond_resched();
	} while (batch.nr == ARRAY_SIZE(batch.handle));
}

/* compact: one node, or every node (those that have the zone asked for) */
static int bb_ctl_compact(struct bb_sandbox *sb, const struct bb_ctl_cmd *cmd)
{
	int nid, ret, done = 0;

	if (cmd->nid >= 0)
		return bb_compact_node(sb, cmd->nid, cmd->zone_idx);
	for (nid = 0; nid < sb->nr_nodes; nid++) {
		if (cmd->zone_idx >= 0 &&
		    !bb_populated_zone(&sb->node[nid].node_zones[cmd->zone_idx]))
			continue;
		ret = bb_compact_node(sb, nid, cmd->zone_idx);
		if (ret)
			return ret;
		done++;
	}
	/* a zone no node has */
	return done ? 0 : -EINVAL;
}

static int bb_ctl_exec(struct bb_control *ctl, const struct bb_ctl_cmd *cmd)
{
	struct bb_sandbox *sb = ctl->sb;

	switch (cmd->op) {
	case BB_CTL_ALLOC:
		return bb_ctl_alloc(ctl, cmd);
	case BB_CTL_FREE:
		return bb_owner_free(&ctl->owner, cmd->handle);
	case BB_CTL_FREE_ALL:
		bb_ctl_free_all(ctl);
		return 0;
	case BB_CTL_DRAIN:
		bb_drain_all_pages(sb, NULL);
		return 0;
	case BB_CTL_COMPACT:
		return bb_ctl_compact(sb, cmd);
	case BB_CTL_RECLAIM:
		bb_reclaim_pages(sb, cmd->nid, cmd->pages);
		return 0;
	case BB_CTL_DROP_CACHES:
		bb_drop_caches(sb);
		return 0;
	case BB_CTL_SET:
		return cmd->tunable->set(sb, cmd->value);
	case BB_CTL_VMSTAT:
		bb_vmstat_update(sb);
		return 0;
	}
	return -EINVAL;
}

void bb_control_init(struct bb_control *ctl, struct bb_sandbox *sb)
{
	ctl->sb = sb;
	mutex_init(&ctl->lock);
	bb_owner_init(&ctl->owner, sb);
}

void bb_control_release(struct bb_control *ctl)
{
	bb_owner_release(&ctl->owner);
	mutex_destroy(&ctl->lock);
}

/*
 * Parse every line of @buf (it is cut up), then run them in order.  On a
 * malformed line, -EINVAL and @err says which line and why; a command
 * that fails returns its error, and @err->line says which.
 */
int bb_control_run(struct bb_control *ctl, char *buf,
		   struct bb_control_error *err)
{
	struct bb_ctl_cmd *cmds;
	unsigned int nr = 0, max = 1, i, *lines;
	char *p, *line;
	int ret = 0;

	memset(err, 0, sizeof(*err));
	for (p = buf; *p; p++)
		if (*p == '\n')
			max++;
	cmds = kvmalloc_array(max, sizeof(*cmds), GFP_KERNEL);
	lines = kvmalloc_array(max, sizeof(*lines), GFP_KERNEL);
	if (!cmds || !lines) {
		ret = -ENOMEM;
		goto out;
	}
	p = buf;
	for (i = 1; (line = strsep(&p, "\n")); i++) {
		ret = bb_ctl_parse_line(ctl->sb, line, &cmds[nr], err);
		if (ret < 0) {
			err->line = i;
			goto out;
		}
		lines[nr] = i;
		nr += ret;
	}
	ret = 0;
	if (!nr) {
		err->what = "no command";
		ret = -EINVAL;
		goto out;
	}

	if (mutex_lock_killable(&ctl->lock)) {
		ret = -EINTR;
		goto out;
	}
	for (i = 0; i < nr && !ret; i++) {
		ret = bb_ctl_exec(ctl, &cmds[i]);
		/* daemons=sync: the wakes of the command, at a safe point */
		bb_run_pending_daemons(ctl->sb);
		if (ret) {
			err->line = lines[i];
			err->what = "the command failed";
		}
	}
	mutex_unlock(&ctl->lock);
out:
	kvfree(lines);
	kvfree(cmds);
	return ret;
}

/* ---- allocations ---- */

static int bb_show_one_alloc(const struct bb_alloc *a, void *arg)
{
	struct seq_file *m = arg;

	seq_printf(m, "%u %lu %u %s %s %d\n", a->handle, a->pfn, a->order,
		   bb_migratetype_name(a->migratetype),
		   bb_zone_name(a->zone_idx), a->nid);
	/* once the buffer is full, seq_read retries with a bigger one */
	return seq_has_overflowed(m);
}

void bb_show_allocations(struct seq_file *m, struct bb_control *ctl)
{
	seq_puts(m, "handle pfn order migratetype zone node\n");
	bb_owner_for_each(&ctl->owner, bb_show_one_alloc, m);
}
