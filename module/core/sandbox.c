// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: building a sandbox.
 *
 * The region is split evenly between the nodes; each node is split into
 * zones, in address order DMA, DMA32, Normal, Movable, as on a PC: DMA and
 * DMA32 exist on node 0 only, Movable (like kernelcore=/movablecore=) is
 * the top of every node.  Every pageblock starts MIGRATE_MOVABLE and every
 * page is handed to the buddy lists, as memblock_free_all() does at boot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "buddybox.h"

#define BB_PAGES_PER_MB		(1UL << (20 - PAGE_SHIFT))
#define BB_PAGEBLOCK_MB		(BB_PAGEBLOCK_NR_PAGES / BB_PAGES_PER_MB)
#define BB_MAX_ORDER_MB		(BB_MAX_ORDER_NR_PAGES / BB_PAGES_PER_MB)

void bb_config_default(struct bb_config *cfg)
{
	int i, j;

	memset(cfg, 0, sizeof(*cfg));
	strscpy(cfg->name, "default", sizeof(cfg->name));
	bb_policy_default(&cfg->policy);
	cfg->size_mb = 256;
	cfg->nodes = 1;
	cfg->dma_mb = BB_ZONE_MB_AUTO;
	cfg->dma32_mb = BB_ZONE_MB_AUTO;
	cfg->movable_mb = 0;
	for (i = 0; i < BB_MAX_NUMNODES; i++)
		for (j = 0; j < BB_MAX_NUMNODES; j++)
			cfg->distance[i][j] = i == j ? 10 : 20;
	cfg->min_free_kbytes = 0;
	cfg->watermark_scale_factor = 10;
	cfg->watermark_boost_factor = 15000;
	cfg->lowmem_reserve_ratio[BB_ZONE_DMA_IDX] = 256;
	cfg->lowmem_reserve_ratio[BB_ZONE_DMA32_IDX] = 256;
	cfg->lowmem_reserve_ratio[BB_ZONE_NORMAL_IDX] = 32;
	cfg->lowmem_reserve_ratio[BB_ZONE_MOVABLE_IDX] = 0;
	cfg->compaction_proactiveness = 20;
	cfg->extfrag_threshold = 500;
}

/* the region and its nodes, which the zone sizes are measured against */
static int bb_config_check_region(const struct bb_config *cfg)
{
	if (cfg->nodes < 1 || cfg->nodes > BB_MAX_NUMNODES) {
		pr_err("nodes=%d: must be 1 to %d\n", cfg->nodes, BB_MAX_NUMNODES);
		return -EINVAL;
	}
	if (!cfg->size_mb || cfg->size_mb % (BB_MAX_ORDER_MB * cfg->nodes)) {
		pr_err("size_mb=%lu: must be a non-zero multiple of %lu MiB per node (nodes=%d)\n",
		       cfg->size_mb, BB_MAX_ORDER_MB, cfg->nodes);
		return -EINVAL;
	}
	if (cfg->size_mb > (ULONG_MAX >> 1) / BB_PAGES_PER_MB) {
		pr_err("size_mb=%lu: too large\n", cfg->size_mb);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Where DMA and DMA32 end when their sizes are not given.  On a PC they
 * are address ranges, below 16 MiB and below 4 GiB, whatever memory the
 * machine has: a small machine has less of them, a tiny one none.  The
 * sandbox's marks are those of its 256 MiB layout, 16 and 128 MiB, kept in
 * proportion (a sixteenth and a half of the region) below 256 MiB and cut
 * down to whole pageblocks, so that a zone under one pageblock is absent.
 */
#define BB_LAYOUT_MB		256

static const unsigned long bb_zone_mark_mb[] = {
	[BB_ZONE_DMA_IDX] = 16,
	[BB_ZONE_DMA32_IDX] = 128,
};

static unsigned long bb_zone_mark(const struct bb_config *cfg,
				  enum bb_zone_type idx)
{
	unsigned long mark = bb_zone_mark_mb[idx];

	if (cfg->size_mb < BB_LAYOUT_MB)
		mark = mark * cfg->size_mb / BB_LAYOUT_MB;
	return round_down(mark, BB_PAGEBLOCK_MB);
}

/*
 * A zone left to the region spans node 0 from the end of the zone below up
 * to its mark, within what Movable and the given zones above it leave of
 * node 0 (as the kernel's zones are cut to the memory there is).  Given
 * sizes stay as they are: bb_config_check() judges them.
 */
static void bb_config_fit_zones(struct bb_config *cfg)
{
	unsigned long *mb[] = {
		[BB_ZONE_DMA_IDX] = &cfg->dma_mb,
		[BB_ZONE_DMA32_IDX] = &cfg->dma32_mb,
	};
	unsigned long node_mb = cfg->size_mb / cfg->nodes;
	unsigned long room = 0, below = 0, limit, end;
	int idx, up;

	if (cfg->movable_mb < node_mb)
		room = node_mb - cfg->movable_mb;
	for (idx = 0; idx < ARRAY_SIZE(mb); idx++) {
		if (*mb[idx] != BB_ZONE_MB_AUTO) {
			below = min(room, below + min(*mb[idx], room));
			continue;
		}
		limit = room;
		for (up = idx + 1; up < ARRAY_SIZE(mb); up++)
			if (*mb[up] != BB_ZONE_MB_AUTO)
				limit -= min(*mb[up], limit);
		end = min(bb_zone_mark(cfg, idx), limit);
		*mb[idx] = end > below ? end - below : 0;
		below += *mb[idx];
	}
}

static int bb_config_check(const struct bb_config *cfg)
{
	unsigned long node_mb;
	int i, j;

	if (cfg->dma_mb % BB_PAGEBLOCK_MB || cfg->dma32_mb % BB_PAGEBLOCK_MB ||
	    cfg->movable_mb % BB_PAGEBLOCK_MB) {
		pr_err("dma_mb=%lu dma32_mb=%lu movable_mb=%lu: zone sizes must be multiples of the %lu MiB pageblock\n",
		       cfg->dma_mb, cfg->dma32_mb, cfg->movable_mb, BB_PAGEBLOCK_MB);
		return -EINVAL;
	}
	node_mb = cfg->size_mb / cfg->nodes;
	if (cfg->movable_mb > node_mb) {
		pr_err("movable_mb=%lu: larger than a node (%lu MiB)\n",
		       cfg->movable_mb, node_mb);
		return -EINVAL;
	}
	if (cfg->dma_mb > node_mb || cfg->dma32_mb > node_mb ||
	    cfg->dma_mb + cfg->dma32_mb + cfg->movable_mb > node_mb) {
		pr_err("dma_mb=%lu + dma32_mb=%lu + movable_mb=%lu: more than node 0 (%lu MiB)\n",
		       cfg->dma_mb, cfg->dma32_mb, cfg->movable_mb, node_mb);
		return -EINVAL;
	}
	for (i = 0; i < cfg->nodes; i++) {
		for (j = 0; j < cfg->nodes; j++) {
			int d = cfg->distance[i][j];

			if (i == j ? d != 10 : (d <= 10 || d > 254)) {
				pr_err("distance: node %d to %d is %d; local must be 10, remote 11..254\n",
				       i, j, d);
				return -EINVAL;
			}
		}
	}
	if (cfg->min_free_kbytes < 0 ||
	    cfg->min_free_kbytes >= cfg->size_mb * 1024) {
		pr_err("min_free_kbytes=%d: must be 0 (computed) up to the region's size\n",
		       cfg->min_free_kbytes);
		return -EINVAL;
	}
	if (cfg->watermark_scale_factor < 1 || cfg->watermark_scale_factor > 3000) {
		pr_err("watermark_scale_factor=%d: must be 1 to 3000\n",
		       cfg->watermark_scale_factor);
		return -EINVAL;
	}
	if (cfg->watermark_boost_factor < 0) {
		pr_err("watermark_boost_factor=%d: must not be negative\n",
		       cfg->watermark_boost_factor);
		return -EINVAL;
	}
	if (cfg->compaction_proactiveness < 0 ||
	    cfg->compaction_proactiveness > 100) {
		pr_err("compaction_proactiveness=%d: must be 0 to 100\n",
		       cfg->compaction_proactiveness);
		return -EINVAL;
	}
	if (cfg->extfrag_threshold < 0 || cfg->extfrag_threshold > 1000) {
		pr_err("extfrag_threshold=%d: must be 0 to 1000\n",
		       cfg->extfrag_threshold);
		return -EINVAL;
	}
	if (cfg->percpu_pagelist_high_fraction &&
	    cfg->percpu_pagelist_high_fraction < 8) {
		pr_err("percpu_pagelist_high_fraction=%d: must be 0 or at least 8\n",
		       cfg->percpu_pagelist_high_fraction);
		return -EINVAL;
	}
	for (i = 0; i < BB_MAX_NR_ZONES; i++) {
		if (cfg->lowmem_reserve_ratio[i] < 0) {
			pr_err("lowmem_reserve_ratio: %d is negative\n",
			       cfg->lowmem_reserve_ratio[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Sizes DMA and DMA32 that were not given, then check it all; -EINVAL with
 * a message naming the parameter for values that make no sandbox.
 */
int bb_config_resolve(struct bb_config *cfg)
{
	int ret = bb_config_check_region(cfg);

	if (ret)
		return ret;
	bb_config_fit_zones(cfg);
	ret = bb_config_check(cfg);
	if (ret)
		return ret;
	return bb_policy_resolve(&cfg->policy);
}

static void bb_init_zone(struct bb_node *pgdat, enum bb_zone_type idx,
			 unsigned long start_pfn, unsigned long nr_pages)
{
	struct bb_zone *zone = &pgdat->node_zones[idx];
	unsigned int order;
	int mt;

	zone->zone_pgdat = pgdat;
	zone->idx = idx;
	zone->name = bb_zone_names[idx];
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = nr_pages;
	/* the descriptors live outside the region: every page is managed */
	zone->managed_pages = nr_pages;
	spin_lock_init(&zone->lock);
	for (order = 0; order < BB_MAX_ORDER; order++) {
		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[mt]);
		zone->free_area[order].nr_free = 0;
	}
	if (nr_pages)
		pgdat->nr_zones = idx + 1;
}

static void bb_init_node(struct bb_sandbox *sb, int nid)
{
	const struct bb_config *cfg = &sb->cfg;
	unsigned long node_pages = sb->region.nr_pages / sb->nr_nodes;
	unsigned long start = sb->region.start_pfn + nid * node_pages;
	unsigned long dma = 0, dma32 = 0, movable, normal;
	struct bb_node *pgdat = &sb->node[nid];

	pgdat->node_id = nid;
	pgdat->sb = sb;
	bb_lruvec_init(&pgdat->lruvec);
	init_waitqueue_head(&pgdat->kswapd_wait);
	pgdat->kswapd_highest_zoneidx = BB_MAX_NR_ZONES;	/* no request */
	init_waitqueue_head(&pgdat->pfmemalloc_wait);
	init_waitqueue_head(&pgdat->kcompactd_wait);
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = node_pages;
	if (nid == 0) {
		dma = cfg->dma_mb * BB_PAGES_PER_MB;
		dma32 = cfg->dma32_mb * BB_PAGES_PER_MB;
	}
	movable = cfg->movable_mb * BB_PAGES_PER_MB;
	normal = node_pages - dma - dma32 - movable;

	bb_init_zone(pgdat, BB_ZONE_DMA_IDX, start, dma);
	bb_init_zone(pgdat, BB_ZONE_DMA32_IDX, start + dma, dma32);
	bb_init_zone(pgdat, BB_ZONE_NORMAL_IDX, start + dma + dma32, normal);
	bb_init_zone(pgdat, BB_ZONE_MOVABLE_IDX, start + dma + dma32 + normal,
		     movable);
}

/* memblock_free_all(): hand every page to the buddy lists, biggest first */
static void bb_free_zone_pages(struct bb_sandbox *sb, struct bb_zone *zone)
{
	unsigned long pfn = zone->zone_start_pfn;
	unsigned long end = bb_zone_end_pfn(zone);

	spin_lock(&zone->lock);
	while (pfn < end) {
		unsigned int order = BB_MAX_ORDER - 1;

		while (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > end)
			order--;
		__bb_free_one_page(sb, zone, pfn, order,
				   bb_get_pageblock_migratetype(sb, pfn),
				   BB_FPI_TO_TAIL);
		pfn += 1UL << order;
	}
	spin_unlock(&zone->lock);
}

int bb_sandbox_create(const struct bb_config *given, struct bb_sandbox **out)
{
	unsigned long nr_pages, lowmem = 0, nr_pageblocks;
	struct bb_config *cfg;
	struct bb_sandbox *sb;
	struct bb_zone *zone;
	int ret, nid;

	/* a page's descriptor takes at most 0.5 % of the page */
	BUILD_BUG_ON(sizeof(struct bb_page) + sizeof(struct bb_page_ext) >
		     PAGE_SIZE / 200);
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	sb->cfg = *given;
	cfg = &sb->cfg;
	ret = bb_config_resolve(cfg);
	if (ret) {
		kfree(sb);
		return ret;
	}
	sb->nr_nodes = cfg->nodes;
	mutex_init(&sb->tunable_lock);
	mutex_init(&sb->owners_lock);
	mutex_init(&sb->oom_lock);
	mutex_init(&sb->daemons_sync_lock);
	INIT_LIST_HEAD(&sb->owners);
	bb_fail_page_alloc_init(sb);
	sb->events = alloc_percpu(struct bb_vm_events);
	if (!sb->events) {
		ret = -ENOMEM;
		goto out_free_sb;
	}

	nr_pages = cfg->size_mb * BB_PAGES_PER_MB;
	ret = bb_region_reserve(&sb->region, nr_pages, cfg->contig);
	if (ret)
		goto out_free_sb;

	ret = -ENOMEM;
	sb->pages = vzalloc(array_size(nr_pages, sizeof(*sb->pages)));
	sb->page_ext = vzalloc(array_size(nr_pages, sizeof(*sb->page_ext)));
	if (!sb->pages || !sb->page_ext) {
		pr_err("size_mb=%lu: no memory for the page descriptors\n",
		       cfg->size_mb);
		goto out_release;
	}
	nr_pageblocks = nr_pages >> BB_PAGEBLOCK_ORDER;
	sb->pageblock_mt = vmalloc(nr_pageblocks);
	if (!sb->pageblock_mt)
		goto out_release;
	memset(sb->pageblock_mt, BB_MIGRATE_MOVABLE, nr_pageblocks);
	sb->pageblock_zone = vmalloc(array_size(nr_pageblocks,
						sizeof(*sb->pageblock_zone)));
	if (!sb->pageblock_zone)
		goto out_release;

	for (nid = 0; nid < sb->nr_nodes; nid++)
		bb_init_node(sb, nid);
	bb_build_pageblock_zones(sb);
	bb_build_zonelists(sb);

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		bb_free_zone_pages(sb, zone);

	/* the tunables, as the kernel sets them up at boot */
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		if (zone->idx <= BB_ZONE_NORMAL_IDX)
			lowmem += zone->managed_pages;
	sb->min_free_kbytes = cfg->min_free_kbytes ?:
			      bb_default_min_free_kbytes(lowmem);
	sb->watermark_scale_factor = cfg->watermark_scale_factor;
	sb->watermark_boost_factor = cfg->watermark_boost_factor;
	sb->defrag_mode = cfg->policy.defrag_mode;
	memcpy(sb->lowmem_reserve_ratio, cfg->lowmem_reserve_ratio,
	       sizeof(sb->lowmem_reserve_ratio));
	sb->pcp_disabled = cfg->pcp_disabled;
	sb->percpu_pagelist_high_fraction = cfg->percpu_pagelist_high_fraction;
	bb_setup_per_zone_wmarks(sb);
	bb_setup_per_zone_lowmem_reserve(sb);
	ret = bb_pcp_init(sb);
	if (ret)
		goto out_release;
	sb->compaction_proactiveness = cfg->compaction_proactiveness;
	sb->extfrag_threshold = cfg->extfrag_threshold;
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		zone->compact_order_failed = BB_MAX_ORDER;

	/* kswapd and kcompactd, once everything they look at is there */
	sb->daemons = cfg->daemons && !cfg->daemons_sync;
	sb->daemons_sync = cfg->daemons_sync;
	for (nid = 0; sb->daemons_sync && nid < sb->nr_nodes; nid++) {
		/* no request pending, as the threads start */
		sb->node[nid].kswapd_highest_zoneidx = BB_MAX_NR_ZONES;
		sb->node[nid].kcompactd_highest_zoneidx = sb->node[nid].nr_zones - 1;
	}
	if (sb->daemons) {
		ret = bb_kswapd_run(sb);
		if (!ret)
			ret = bb_kcompactd_run(sb);
		if (!ret)
			ret = bb_vmstatd_run(sb);
		if (ret) {
			bb_kcompactd_stop(sb);
			bb_kswapd_stop(sb);
			goto out_release;
		}
	}

	*out = sb;
	return 0;

out_release:
	bb_pcp_destroy(sb);
	vfree(sb->pageblock_zone);
	vfree(sb->pageblock_mt);
	vfree(sb->page_ext);
	vfree(sb->pages);
	bb_region_release(&sb->region);
out_free_sb:
	free_percpu(sb->events);
	mutex_destroy(&sb->oom_lock);
	mutex_destroy(&sb->daemons_sync_lock);
	mutex_destroy(&sb->owners_lock);
	mutex_destroy(&sb->tunable_lock);
	kfree(sb);
	return ret;
}

/*
 * daemons=sync: the work of the wakes recorded since the last call, kswapd
 * before kcompactd, node by node, until none is left (kswapd's work may
 * wake kcompactd).  The caller holds no lock of the core: a control
 * command or an ioctl of the device, when it is done.  Two callers at once
 * (two descriptors) take turns: a node's kswapd never runs twice at once.
 */
void bb_run_pending_daemons(struct bb_sandbox *sb)
{
	bool again = sb->daemons_sync;
	int nid;

	if (!again)
		return;
	mutex_lock(&sb->daemons_sync_lock);
	while (again) {
		again = false;
		for (nid = 0; nid < sb->nr_nodes; nid++) {
			struct bb_node *pgdat = &sb->node[nid];

			if (xchg(&pgdat->kswapd_woken, false)) {
				bb_kswapd_work(pgdat);
				again = true;
			}
			if (xchg(&pgdat->kcompactd_woken, false)) {
				bb_kcompactd_work(pgdat);
				again = true;
			}
		}
	}
	mutex_unlock(&sb->daemons_sync_lock);
}

void bb_sandbox_destroy(struct bb_sandbox *sb)
{
	if (!sb)
		return;
	if (sb->daemons) {
		bb_vmstatd_stop(sb);
		bb_kcompactd_stop(sb);
		bb_kswapd_stop(sb);
	}
	WARN_ON_ONCE(!list_empty(&sb->owners));
	free_percpu(sb->events);
	mutex_destroy(&sb->oom_lock);
	mutex_destroy(&sb->daemons_sync_lock);
	mutex_destroy(&sb->owners_lock);
	bb_pcp_destroy(sb);
	vfree(sb->pageblock_zone);
	vfree(sb->pageblock_mt);
	vfree(sb->page_ext);
	vfree(sb->pages);
	bb_region_release(&sb->region);
	mutex_destroy(&sb->tunable_lock);
	kfree(sb);
}
