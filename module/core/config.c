// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: a sandbox's parameters from "key=value" words.
 *
 * The words a debugfs "create NAME ..." line and bbsim's command line take,
 * with the names of the module parameters:
 *
 *   size_mb=N backing=vmalloc|contig nodes=N dma_mb=N|auto dma32_mb=N|auto
 *   movable_mb=N distance=D,D,... (nodes*nodes values, row by row)
 *   min_free_kbytes=N watermark_scale_factor=N watermark_boost_factor=N
 *   lowmem_reserve_ratio=R,R,R,R percpu_pagelist_high_fraction=N
 *   compaction_proactiveness=N extfrag_threshold=N pcp=on|off
 *   daemons=on|off|sync reproducible=on|off
 *   fallback=V defrag_mode=0|1 reserves=V highatomic=V pcp_high=V
 *   generation=V (the policy: policy.c)
 *
 * Parsing only reads the words into a struct bb_config over its defaults;
 * whether the values make a sandbox is bb_sandbox_create()'s to say, with
 * a message naming the parameter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>

#include "buddybox.h"

enum bb_cfg_kind {
	BB_CFG_ULONG,
	BB_CFG_INT,
	BB_CFG_BOOL,		/* on|off, 1|0, y|n */
	BB_CFG_INVBOOL,		/* the same, stored inverted */
	BB_CFG_BACKING,
	BB_CFG_DISTANCE,
	BB_CFG_RATIO,
	BB_CFG_ZONE_MB,		/* MiB, or "auto": scaled with the region */
	BB_CFG_DAEMONS,		/* on|off (a bool), or sync */
	BB_CFG_POLICY,		/* a switch of the policy (policy.c) */
};

struct bb_cfg_key {
	const char *name;
	enum bb_cfg_kind kind;
	size_t offset;		/* in struct bb_config */
};

#define BB_CFG(n, k, field) { n, k, offsetof(struct bb_config, field) }

static const struct bb_cfg_key bb_cfg_keys[] = {
	BB_CFG("size_mb", BB_CFG_ULONG, size_mb),
	BB_CFG("backing", BB_CFG_BACKING, contig),
	BB_CFG("nodes", BB_CFG_INT, nodes),
	BB_CFG("dma_mb", BB_CFG_ZONE_MB, dma_mb),
	BB_CFG("dma32_mb", BB_CFG_ZONE_MB, dma32_mb),
	BB_CFG("movable_mb", BB_CFG_ULONG, movable_mb),
	BB_CFG("distance", BB_CFG_DISTANCE, distance),
	BB_CFG("min_free_kbytes", BB_CFG_INT, min_free_kbytes),
	BB_CFG("watermark_scale_factor", BB_CFG_INT, watermark_scale_factor),
	BB_CFG("watermark_boost_factor", BB_CFG_INT, watermark_boost_factor),
	BB_CFG("lowmem_reserve_ratio", BB_CFG_RATIO, lowmem_reserve_ratio),
	BB_CFG("percpu_pagelist_high_fraction", BB_CFG_INT,
	       percpu_pagelist_high_fraction),
	BB_CFG("compaction_proactiveness", BB_CFG_INT, compaction_proactiveness),
	BB_CFG("extfrag_threshold", BB_CFG_INT, extfrag_threshold),
	BB_CFG("pcp", BB_CFG_INVBOOL, pcp_disabled),
	BB_CFG("daemons", BB_CFG_DAEMONS, daemons),
	BB_CFG("reproducible", BB_CFG_BOOL, reproducible),
	BB_CFG("fallback", BB_CFG_POLICY, policy),
	BB_CFG("defrag_mode", BB_CFG_POLICY, policy),
	BB_CFG("reserves", BB_CFG_POLICY, policy),
	BB_CFG("highatomic", BB_CFG_POLICY, policy),
	BB_CFG("pcp_high", BB_CFG_POLICY, policy),
	BB_CFG("generation", BB_CFG_POLICY, policy),
};

/* "a,b,c": up to @max integers; returns how many, or -EINVAL */
static int bb_cfg_int_list(char *val, int *out, int max)
{
	char *tok;
	int n = 0;

	while ((tok = strsep(&val, ","))) {
		if (n == max || kstrtoint(tok, 10, &out[n]))
			return -EINVAL;
		n++;
	}
	return n;
}

static int bb_cfg_bool(const char *val, bool *out)
{
	if (!strcmp(val, "on"))
		val = "1";
	else if (!strcmp(val, "off"))
		val = "0";
	return kstrtobool(val, out);
}

static int bb_cfg_set(struct bb_config *cfg, const struct bb_cfg_key *key,
		      char *val, int *distance, int *nr_distance,
		      const char **what)
{
	void *field = (char *)cfg + key->offset;
	int ratio[BB_MAX_NR_ZONES];
	bool b;
	int n;

	switch (key->kind) {
	case BB_CFG_ULONG:
		return kstrtoul(val, 10, field);
	case BB_CFG_INT:
		return kstrtoint(val, 10, field);
	case BB_CFG_BOOL:
	case BB_CFG_INVBOOL:
		if (bb_cfg_bool(val, &b))
			return -EINVAL;
		*(bool *)field = key->kind == BB_CFG_BOOL ? b : !b;
		return 0;
	case BB_CFG_BACKING:
		if (strcmp(val, "vmalloc") && strcmp(val, "contig"))
			return -EINVAL;
		cfg->contig = !strcmp(val, "contig");
		return 0;
	case BB_CFG_DISTANCE:
		n = bb_cfg_int_list(val, distance,
				    BB_MAX_NUMNODES * BB_MAX_NUMNODES);
		if (n < 0)
			return n;
		*nr_distance = n;
		return 0;
	case BB_CFG_ZONE_MB:
		if (!strcmp(val, "auto")) {
			*(unsigned long *)field = BB_ZONE_MB_AUTO;
			return 0;
		}
		if (kstrtoul(val, 10, field) ||
		    *(unsigned long *)field == BB_ZONE_MB_AUTO)
			return -EINVAL;
		return 0;
	case BB_CFG_DAEMONS:
		/* sync: no thread, the wakes run after each control command */
		cfg->daemons_sync = !strcmp(val, "sync");
		if (cfg->daemons_sync)
			b = true;
		else if (bb_cfg_bool(val, &b))
			return -EINVAL;
		cfg->daemons = b;
		return 0;
	case BB_CFG_RATIO:
		if (bb_cfg_int_list(val, ratio, BB_MAX_NR_ZONES) != BB_MAX_NR_ZONES)
			return -EINVAL;
		memcpy(cfg->lowmem_reserve_ratio, ratio, sizeof(ratio));
		return 0;
	case BB_CFG_POLICY:
		return bb_policy_set(&cfg->policy,
				     bb_policy_key_index(key->name), val, what);
	}
	return -EINVAL;
}

/*
 * The distance table, given as nodes*nodes values row by row, into the
 * config; -EINVAL when the count does not match the nodes.
 */
int bb_config_set_distance(struct bb_config *cfg, const int *values, int nr)
{
	int i, j;

	if (cfg->nodes < 1 || cfg->nodes > BB_MAX_NUMNODES ||
	    nr != cfg->nodes * cfg->nodes)
		return -EINVAL;
	for (i = 0; i < cfg->nodes; i++)
		for (j = 0; j < cfg->nodes; j++)
			cfg->distance[i][j] = values[i * cfg->nodes + j];
	return 0;
}

/* One key and its value, as a word "key=value" of bb_config_parse() */
int bb_config_parse_one(struct bb_config *cfg, const char *key,
			const char *val)
{
	struct bb_control_error err;
	char word[64];
	int ret;

	if (strpbrk(val, " \t\n") ||
	    snprintf(word, sizeof(word), "%s=%s", key, val) >= sizeof(word)) {
		pr_err("%s=%s: bad value\n", key, val);
		return -EINVAL;
	}
	ret = bb_config_parse(cfg, word, &err);
	if (ret)
		pr_err("%s=%s: %s\n", key, val, err.what);
	return ret;
}

/*
 * Read the "key=value" words of @args (cut up in place) into @cfg, over
 * what it holds already.  On a word that is not understood, -EINVAL and
 * @err->what names the key (@err->line counts the words, from 1).
 */
int bb_config_parse(struct bb_config *cfg, char *args,
		    struct bb_control_error *err)
{
	int distance[BB_MAX_NUMNODES * BB_MAX_NUMNODES];
	unsigned long seen = 0;
	int nr_distance = -1;
	unsigned int word = 0, i;
	char *tok, *val;

	BUILD_BUG_ON(ARRAY_SIZE(bb_cfg_keys) > BITS_PER_LONG);
	memset(err, 0, sizeof(*err));
	while ((tok = bb_next_token(&args, " \t\n"))) {
		err->line = ++word;
		err->key = NULL;
		val = strchr(tok, '=');
		if (!val) {
			err->what = "a parameter is not key=value";
			return -EINVAL;
		}
		*val++ = '\0';
		for (i = 0; i < ARRAY_SIZE(bb_cfg_keys); i++)
			if (!strcmp(tok, bb_cfg_keys[i].name))
				break;
		if (i == ARRAY_SIZE(bb_cfg_keys)) {
			err->what = "unknown parameter";
			err->key = tok;
			return -EINVAL;
		}
		err->key = bb_cfg_keys[i].name;
		if (seen & BIT(i)) {
			err->what = "parameter given twice";
			return -EINVAL;
		}
		seen |= BIT(i);
		err->what = "bad value";
		if (bb_cfg_set(cfg, &bb_cfg_keys[i], val, distance, &nr_distance,
			       &err->what))
			return -EINVAL;
		err->what = NULL;
	}
	/* the table's size depends on nodes=, wherever that stood */
	if (nr_distance >= 0 &&
	    bb_config_set_distance(cfg, distance, nr_distance)) {
		err->key = "distance";
		err->what = "needs nodes*nodes values";
		return -EINVAL;
	}
	err->line = 0;
	err->key = NULL;
	return 0;
}
