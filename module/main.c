// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: a sandboxed mirror of the kernel's zoned buddy page allocator.
 *
 * At load, the module reserves a region of memory and runs its own buddy
 * allocator over it, driven through debugfs (debugfs.c) and the misc device
 * /dev/buddybox (chardev.c).  The allocator itself is the core: sandbox.c,
 * mmzone.c, page_alloc.c and their neighbours.  The parameters below make
 * the first sandbox; debugfs "create" makes more (sandboxes.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "buddybox.h"
#include "chardev.h"
#include "compat.h"
#include "debugfs.h"
#include "sandboxes.h"

static char *name = BB_DEFAULT_SANDBOX;
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "Name of the sandbox made at load: 1-15 of a-z, 0-9, _, - (default \"default\")");

static unsigned long size_mb = 256;
module_param(size_mb, ulong, 0444);
MODULE_PARM_DESC(size_mb, "Size of the sandbox region in MiB (default 256)");

static char *backing = "vmalloc";
module_param(backing, charp, 0444);
MODULE_PARM_DESC(backing, "Region backing: vmalloc (default) or contig (alloc_contig_range)");

static int nodes = 1;
module_param(nodes, int, 0444);
MODULE_PARM_DESC(nodes, "Fake NUMA nodes splitting the region, 1-4 (default 1)");

/* -1: not given, the size scales with the region */
static long dma_mb = -1;
module_param(dma_mb, long, 0444);
MODULE_PARM_DESC(dma_mb, "Size of ZONE_DMA on node 0 in MiB (default -1: 16, less below size_mb=256)");

static long dma32_mb = -1;
module_param(dma32_mb, long, 0444);
MODULE_PARM_DESC(dma32_mb, "Size of ZONE_DMA32 on node 0 in MiB (default -1: 112, less below size_mb=256)");

static unsigned long movable_mb;
module_param(movable_mb, ulong, 0444);
MODULE_PARM_DESC(movable_mb, "Size of ZONE_MOVABLE at the top of every node in MiB (default 0)");

static int distance[BB_MAX_NUMNODES * BB_MAX_NUMNODES];
static int nr_distance;
module_param_array(distance, int, &nr_distance, 0444);
MODULE_PARM_DESC(distance, "Node distance table, nodes*nodes values row by row (default 10 local, 20 remote)");

static int min_free_kbytes;
module_param(min_free_kbytes, int, 0444);
MODULE_PARM_DESC(min_free_kbytes, "Initial min_free_kbytes (default: computed like the kernel)");

static int watermark_scale_factor = 10;
module_param(watermark_scale_factor, int, 0444);
MODULE_PARM_DESC(watermark_scale_factor, "Initial watermark_scale_factor (default 10)");

static char *daemons = "on";
module_param(daemons, charp, 0444);
MODULE_PARM_DESC(daemons, "kswapd and kcompactd: on (threads, default), off, or sync (run after each control command, reproducible)");

static bool reproducible;
module_param(reproducible, bool, 0444);
MODULE_PARM_DESC(reproducible, "Decisions from the requests alone: need_resched() never cuts compaction short (default off)");

/* the policy's switches (core/policy.c); unset: generation 6.1's rules */
static char *fallback;
module_param(fallback, charp, 0444);
MODULE_PARM_DESC(fallback, "Migratetype fallback rule: 6.1 (default) or 6.10 (freelist hygiene)");
static char *defrag_mode;
module_param(defrag_mode, charp, 0444);
MODULE_PARM_DESC(defrag_mode, "6.15's vm.defrag_mode: 0 (default); 1 needs fallback=6.15, not implemented yet");
static char *reserves;
module_param(reserves, charp, 0444);
MODULE_PARM_DESC(reserves, "Min watermark reserves: 6.1 (default) or 6.3 (ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK)");
static char *highatomic;
module_param(highatomic, charp, 0444);
MODULE_PARM_DESC(highatomic, "Highatomic reserve: 6.1 (default) or 6.12 (counted in free pages; needs fallback=6.10)");
static char *pcp_high;
module_param(pcp_high, charp, 0444);
MODULE_PARM_DESC(pcp_high, "pcp high: 6.1 (default); 6.7 is not implemented yet");
static char *generation;
module_param(generation, charp, 0444);
MODULE_PARM_DESC(generation, "Every switch as in 6.1 (default), 6.10 or 6.15; a switch given overrides it");

static int __init bb_policy_params(struct bb_config *cfg)
{
	static const struct { const char *key; char **val; } params[] __initconst = {
		{ "fallback", &fallback }, { "defrag_mode", &defrag_mode },
		{ "reserves", &reserves }, { "highatomic", &highatomic },
		{ "pcp_high", &pcp_high }, { "generation", &generation },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		if (!*params[i].val)
			continue;
		ret = bb_config_parse_one(cfg, params[i].key, *params[i].val);
		if (ret)
			return ret;
	}
	return 0;
}

/* a zone size parameter: -1 leaves it to the region */
static int __init bb_zone_param(const char *param, long mb, unsigned long *out)
{
	if (mb < -1) {
		pr_err("%s=%ld: must be a size in MiB, or -1 to scale with the region\n",
		       param, mb);
		return -EINVAL;
	}
	*out = mb == -1 ? BB_ZONE_MB_AUTO : mb;
	return 0;
}

static int __init bb_config_from_params(struct bb_config *cfg)
{
	bb_config_default(cfg);
	if (!name || strscpy(cfg->name, name, sizeof(cfg->name)) < 0 ||
	    !bb_box_name_valid(cfg->name)) {
		pr_err("name=%s: a name is 1 to %d of a-z, 0-9, _ and -, and not control or sandboxes\n",
		       name, BB_SANDBOX_NAME_MAX);
		return -EINVAL;
	}
	cfg->size_mb = size_mb;
	if (!strcmp(backing, "vmalloc")) {
		cfg->contig = false;
	} else if (!strcmp(backing, "contig")) {
		cfg->contig = true;
	} else {
		pr_err("backing=%s: must be vmalloc or contig\n", backing);
		return -EINVAL;
	}
	cfg->nodes = nodes;
	if (bb_zone_param("dma_mb", dma_mb, &cfg->dma_mb) ||
	    bb_zone_param("dma32_mb", dma32_mb, &cfg->dma32_mb))
		return -EINVAL;
	cfg->movable_mb = movable_mb;
	if (nr_distance && bb_config_set_distance(cfg, distance, nr_distance)) {
		pr_err("distance: %d values given, nodes=%d needs %d\n",
		       nr_distance, nodes, nodes * nodes);
		return -EINVAL;
	}
	cfg->min_free_kbytes = min_free_kbytes;
	cfg->watermark_scale_factor = watermark_scale_factor;
	cfg->reproducible = reproducible;
	if (bb_policy_params(cfg))
		return -EINVAL;
	/* the loaded sandbox has its kswapd and kcompactd, unless told */
	return bb_config_parse_one(cfg, "daemons", daemons);
}

static int __init bb_init(void)
{
	struct bb_config cfg;
	int ret;

	ret = bb_config_from_params(&cfg);
	if (ret)
		return ret;
	bb_debugfs_init();
	ret = bb_box_create(&cfg);
	if (ret)
		goto out_debugfs;
	bb_debugfs_start();
	ret = bb_chardev_init();
	if (ret)
		goto out_boxes;
	return 0;

out_boxes:
	bb_debugfs_stop();
	bb_boxes_destroy_all();
out_debugfs:
	bb_debugfs_exit();
	return ret;
}

static void __exit bb_exit(void)
{
	/* no descriptor is open: each held a reference on the module */
	bb_chardev_exit();
	bb_debugfs_stop();
	bb_boxes_destroy_all();
	bb_debugfs_exit();
}

module_init(bb_init);
module_exit(bb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("buddybox: a sandboxed zoned buddy page allocator");
MODULE_AUTHOR("The buddybox developers");
