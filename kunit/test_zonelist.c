// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: zonelists: zones from high to low within a node, nodes by
 * distance, __GFP_THISNODE, nodemasks, and where requests land.
 */
#include "bb_test.h"

static void bb_expect_zonelist(struct kunit *test, struct bb_zonelist *zl,
			       const int *nids, const int *zones, int nr)
{
	struct bb_zoneref *z = zl->_zonerefs;
	int i;

	for (i = 0; i < nr; i++, z++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, z->zone, "entry %d", i);
		KUNIT_EXPECT_EQ_MSG(test, bb_zone_to_nid(z->zone), nids[i],
				    "entry %d", i);
		KUNIT_EXPECT_EQ_MSG(test, z->zone_idx, zones[i], "entry %d", i);
	}
	KUNIT_EXPECT_NULL(test, z->zone);
}

static void bb_test_zonelist_one_node(struct kunit *test)
{
	static const int nids[] = { 0, 0, 0 };
	static const int zones[] = { BB_ZONE_NORMAL_IDX, BB_ZONE_DMA32_IDX,
				     BB_ZONE_DMA_IDX };
	struct bb_config cfg;
	struct bb_sandbox *sb;

	bb_test_config(&cfg, 64);
	cfg.dma_mb = 16;
	cfg.dma32_mb = 16;
	sb = bb_test_sandbox(test, &cfg);
	/* the empty Movable zone is left out */
	bb_expect_zonelist(test, &sb->node[0].node_zonelists[BB_ZONELIST_FALLBACK],
			   nids, zones, 3);
}

/* Three nodes: 0 is near 2 (15) and far from 1 (30). */
static struct bb_sandbox *bb_numa_sandbox(struct kunit *test)
{
	static const int d[3][3] = {
		{ 10, 30, 15 },
		{ 30, 10, 20 },
		{ 15, 20, 10 },
	};
	struct bb_config cfg;
	int i, j;

	bb_test_config(&cfg, 36);
	cfg.nodes = 3;		/* 12 MiB each */
	cfg.dma32_mb = 4;	/* node 0: DMA32 4 MiB, Normal 4 MiB */
	cfg.movable_mb = 4;	/* every node: Movable 4 MiB on top */
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			cfg.distance[i][j] = d[i][j];
	return bb_test_sandbox(test, &cfg);
}

static void bb_test_zonelist_distance(struct kunit *test)
{
	static const int nids0[] = { 0, 0, 0, 2, 2, 1, 1 };
	static const int zones0[] = {
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX, BB_ZONE_DMA32_IDX,
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX,
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX,
	};
	static const int nids1[] = { 1, 1, 2, 2, 0, 0, 0 };
	static const int zones1[] = {
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX,
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX,
		BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX, BB_ZONE_DMA32_IDX,
	};
	static const int zones_local[] = { BB_ZONE_MOVABLE_IDX, BB_ZONE_NORMAL_IDX };
	static const int nids_local[] = { 2, 2 };
	struct bb_sandbox *sb = bb_numa_sandbox(test);

	bb_expect_zonelist(test, &sb->node[0].node_zonelists[BB_ZONELIST_FALLBACK],
			   nids0, zones0, 7);
	bb_expect_zonelist(test, &sb->node[1].node_zonelists[BB_ZONELIST_FALLBACK],
			   nids1, zones1, 7);
	/* __GFP_THISNODE: the node's own zones only */
	bb_expect_zonelist(test, &sb->node[2].node_zonelists[BB_ZONELIST_NOFALLBACK],
			   nids_local, zones_local, 2);
}

/* Equal distances: the nodes after the local one come first. */
static void bb_test_zonelist_ties(struct kunit *test)
{
	static const int nids[] = { 1, 2, 3, 0 };
	static const int zones[] = { BB_ZONE_NORMAL_IDX, BB_ZONE_NORMAL_IDX,
				     BB_ZONE_NORMAL_IDX, BB_ZONE_NORMAL_IDX };
	struct bb_config cfg;
	struct bb_sandbox *sb;

	bb_test_config(&cfg, 16);
	cfg.nodes = 4;
	sb = bb_test_sandbox(test, &cfg);
	bb_expect_zonelist(test, &sb->node[1].node_zonelists[BB_ZONELIST_FALLBACK],
			   nids, zones, 4);
	bb_expect_zonelist(test, &sb->node[1].node_zonelists[BB_ZONELIST_NOFALLBACK],
			   nids, zones, 1);
}

static void bb_test_zonelist_placement(struct kunit *test)
{
	struct bb_sandbox *sb = bb_numa_sandbox(test);
	struct bb_alloc_result res;

	/* GFP_KERNEL on node 0: Normal of node 0 */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0, 0, &res), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 0);
	KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_NORMAL_IDX);
	/* GFP_HIGHUSER_MOVABLE may use Movable */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_HIGHUSER_MOVABLE, 0, 1, 0,
					       &res), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 1);
	KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_MOVABLE_IDX);
	/* GFP_DMA32 from node 2 must go to node 0, the only DMA32 */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_DMA32, 0, 2, 0, &res), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 0);
	KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_DMA32_IDX);
	/* the nodemask wins over the preferred node */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0, BIT(1),
					       &res), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 1);
	/* GFP_DMA32 | __GFP_THISNODE on node 1: no such zone there */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_DMA32 | BB___GFP_THISNODE,
					       0, 1, 0, &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sb->alloc_fail[BB_FAIL_NO_ZONE]), 1L);
	bb_expect_check_ok(test, sb);
}

/* When the local Normal zone is full, GFP_KERNEL goes down to DMA32. */
static void bb_test_zonelist_fallback_down(struct kunit *test)
{
	struct bb_sandbox *sb = bb_numa_sandbox(test);
	struct bb_alloc_result res;
	int i;

	/* node 0 Normal: 4 MiB = one order-10 block */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL | BB___GFP_MEMALLOC,
					       10, 0, BIT(0), &res), 0);
	KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_NORMAL_IDX);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0,
						       BIT(0), &res), 0);
		KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_DMA32_IDX);
	}
	/* without the nodemask too: the local DMA32 comes before node 2 */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL | BB___GFP_MOVABLE,
					       0, 0, 0, &res), 0);
	KUNIT_EXPECT_EQ(test, (int)res.zone->idx, BB_ZONE_DMA32_IDX);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 0);
	/* with node 0 left out, the nearer remote node (2) is next */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0,
					       BIT(1) | BIT(2), &res), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_to_nid(res.zone), 2);
	bb_expect_check_ok(test, sb);
}

static void bb_expect_numa(struct kunit *test, struct bb_zone *zone,
			   const unsigned long want[BB_NR_NUMA_STAT_ITEMS])
{
	static const char * const names[BB_NR_NUMA_STAT_ITEMS] = {
		"hit", "miss", "foreign", "local", "other",
	};
	int i;

	for (i = 0; i < BB_NR_NUMA_STAT_ITEMS; i++)
		KUNIT_EXPECT_EQ_MSG(test, bb_zone_numa_stat(zone, i), want[i],
				    "node %d numa_%s", bb_zone_to_nid(zone),
				    names[i]);
}

/*
 * zone_statistics(): two nodes of 8 MiB, Normal only.  Counted once per
 * allocation (whatever its order) and once per page of a bulk; hit or
 * miss by the preferred zone's node, local or other by the requester's
 * node (the request's nid), foreign on the preferred zone of a miss.
 */
static void bb_test_numa_stats(struct kunit *test)
{
	/* hit, miss, foreign, local, other */
	static const unsigned long want0[] = { 2, 0, 1, 2, 0 };
	static const unsigned long want1[] = { 7, 1, 0, 6, 2 };
	struct bb_alloc_result res;
	unsigned long pfns[5];
	struct bb_config cfg;
	struct bb_sandbox *sb;
	int i;

	bb_test_config(&cfg, 16);
	cfg.nodes = 2;
	cfg.pcp_disabled = false;	/* for the bulk */
	sb = bb_test_sandbox(test, &cfg);

	/* node 0 emptied from node 0: two hits, local (order 10 counts 1) */
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL |
						       BB___GFP_MEMALLOC, 10, 0,
						       BIT(0), &res), 0);
		KUNIT_ASSERT_EQ(test, bb_zone_to_nid(res.zone), 0);
	}
	/* node 0 asks, node 1 serves: a miss and other there, foreign here */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0, 0, &res), 0);
	KUNIT_ASSERT_EQ(test, bb_zone_to_nid(res.zone), 1);
	/* node 1 for node 1: hit, local */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 3, 1, 0, &res), 0);
	KUNIT_ASSERT_EQ(test, bb_zone_to_nid(res.zone), 1);
	/* node 0 asks with nodemask {1}: the preferred zone is on 1, a hit there but other */
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 0, BIT(1),
					       &res), 0);
	KUNIT_ASSERT_EQ(test, bb_zone_to_nid(res.zone), 1);
	/* a bulk of 5 on node 1: 5 hits, 5 local */
	KUNIT_ASSERT_EQ(test, bb_alloc_pages_bulk(sb, BB_GFP_KERNEL, 1, 5, pfns), 5);

	bb_expect_numa(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), want0);
	bb_expect_numa(test, bb_test_zone(sb, 1, BB_ZONE_NORMAL_IDX), want1);
	/* a failed request counts nothing */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL | BB___GFP_THISNODE |
					       BB___GFP_NORETRY | BB___GFP_NOWARN,
					       10, 0, 0, &res), -ENOMEM);
	bb_expect_numa(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), want0);
	bb_expect_check_ok(test, sb);
}

static void bb_test_bad_config(struct kunit *test)
{
	struct bb_sandbox *sb = NULL;
	struct bb_config cfg;

	bb_test_config(&cfg, 0);
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 6);	/* not a multiple of 4 MiB */
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 16);
	cfg.nodes = 5;
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 16);
	cfg.dma_mb = 3;
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 16);
	cfg.dma32_mb = 32;
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 16);
	cfg.nodes = 2;
	cfg.distance[0][1] = 5;
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -EINVAL);
	bb_test_config(&cfg, 1UL << 30);	/* a petabyte */
	KUNIT_EXPECT_EQ(test, bb_sandbox_create(&cfg, &sb), -ENOMEM);
	KUNIT_EXPECT_NULL(test, sb);
}

/*
 * The zone layout at the edges: DMA and DMA32 not given end at 1/16 and
 * 1/2 of the region (16 and 128 MiB at most), in whole 2 MiB pageblocks,
 * within node 0 less Movable and the given zones; given sizes stay.
 */
struct bb_layout_case {
	unsigned long size_mb, movable_mb, dma_mb, dma32_mb;	/* given */
	int nodes;
	unsigned long want_dma, want_dma32;			/* resolved */
};

#define AUTO BB_ZONE_MB_AUTO
static const struct bb_layout_case bb_layouts[] = {
	/* one node, defaults */
	{ 4, 0, AUTO, AUTO, 1, 0, 2 },		/* the smallest: 2 pageblocks */
	{ 8, 0, AUTO, AUTO, 1, 0, 4 },
	{ 16, 0, AUTO, AUTO, 1, 0, 8 },		/* DMA's mark 1 MiB: absent */
	{ 32, 0, AUTO, AUTO, 1, 2, 14 },
	{ 64, 0, AUTO, AUTO, 1, 4, 28 },
	{ 128, 0, AUTO, AUTO, 1, 8, 56 },
	{ 256, 0, AUTO, AUTO, 1, 16, 112 },	/* the default layout */
	{ 1024, 0, AUTO, AUTO, 1, 16, 112 },
	/* several nodes: node 0 holds them */
	{ 8, 0, AUTO, AUTO, 2, 0, 4 },
	{ 256, 0, AUTO, AUTO, 2, 16, 112 },
	{ 16, 0, AUTO, AUTO, 4, 0, 4 },
	{ 256, 0, AUTO, AUTO, 4, 16, 48 },
	{ 1024, 0, AUTO, AUTO, 4, 16, 112 },
	/* Movable and given sizes leave less room */
	{ 64, 48, AUTO, AUTO, 1, 4, 12 },
	{ 8, 8, AUTO, AUTO, 1, 0, 0 },
	{ 64, 0, 0, AUTO, 1, 0, 32 },
	{ 64, 0, AUTO, 0, 1, 4, 0 },
	{ 64, 0, AUTO, 62, 1, 2, 62 },
	{ 64, 0, AUTO, 64, 1, 0, 64 },
	{ 256, 0, 64, AUTO, 1, 64, 64 },
	{ 256, 0, 200, AUTO, 1, 200, 0 },
	{ 8, 0, 8, AUTO, 1, 8, 0 },
	{ 128, 0, 4, 12, 4, 4, 12 },
};

static void bb_test_zone_layout(struct kunit *test)
{
	const struct bb_layout_case *c;
	struct bb_config cfg;

	for (c = bb_layouts; c < bb_layouts + ARRAY_SIZE(bb_layouts); c++) {
		bb_config_default(&cfg);
		cfg.size_mb = c->size_mb;
		cfg.nodes = c->nodes;
		cfg.movable_mb = c->movable_mb;
		cfg.dma_mb = c->dma_mb;
		cfg.dma32_mb = c->dma32_mb;
		KUNIT_EXPECT_EQ_MSG(test, bb_config_resolve(&cfg), 0,
				    "size_mb=%lu nodes=%d", c->size_mb, c->nodes);
		KUNIT_EXPECT_EQ_MSG(test, cfg.dma_mb, c->want_dma,
				    "size_mb=%lu nodes=%d movable_mb=%lu",
				    c->size_mb, c->nodes, c->movable_mb);
		KUNIT_EXPECT_EQ_MSG(test, cfg.dma32_mb, c->want_dma32,
				    "size_mb=%lu nodes=%d movable_mb=%lu",
				    c->size_mb, c->nodes, c->movable_mb);
	}
}

/* given sizes that do not fit, and regions too small for a node */
static const struct bb_layout_case bb_bad_layouts[] = {
	{ 64, 0, AUTO, 112, 1 },
	{ 64, 0, AUTO, 66, 1 },
	{ 64, 0, 66, AUTO, 1 },
	{ 8, 0, 16, AUTO, 1 },
	{ 64, 48, 8, 10, 1 },
	{ 256, 0, 16, 112, 4 },		/* node 0 is 64 MiB */
	{ 64, 0, AUTO, 3, 1 },		/* not whole pageblocks */
	{ 64, 0, AUTO, AUTO - 1, 1 },
	{ 64, 0, (AUTO - 1) / 2 + 1, (AUTO - 1) / 2 + 1, 1 },	/* sum wraps */
	{ 2, 0, AUTO, AUTO, 1 },
	{ 8, 0, AUTO, AUTO, 4 },
};

#undef AUTO

static void bb_test_zone_layout_bad(struct kunit *test)
{
	const struct bb_layout_case *c;
	struct bb_config cfg;

	for (c = bb_bad_layouts; c < bb_bad_layouts + ARRAY_SIZE(bb_bad_layouts); c++) {
		bb_config_default(&cfg);
		cfg.size_mb = c->size_mb;
		cfg.nodes = c->nodes;
		cfg.movable_mb = c->movable_mb;
		cfg.dma_mb = c->dma_mb;
		cfg.dma32_mb = c->dma32_mb;
		KUNIT_EXPECT_EQ_MSG(test, bb_config_resolve(&cfg), -EINVAL,
				    "size_mb=%lu nodes=%d dma_mb=%lu dma32_mb=%lu",
				    c->size_mb, c->nodes, c->dma_mb, c->dma32_mb);
	}
}

/* The smallest regions load with their defaults, and every page is there. */
static void bb_test_small_regions(struct kunit *test)
{
	static const struct { unsigned long size_mb; int nodes; } sizes[] = {
		{ 4, 1 }, { 8, 1 }, { 8, 2 }, { 16, 4 }, { 32, 1 }, { 64, 1 },
	};
	struct bb_test_ctx *ctx = test->priv;
	struct bb_sandbox *sb;
	struct bb_config cfg;
	unsigned long spanned;
	struct bb_zone *zone;
	int i, nid;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		bb_config_default(&cfg);
		cfg.size_mb = sizes[i].size_mb;
		cfg.nodes = sizes[i].nodes;
		/* in the context, so that a failed assertion frees it */
		KUNIT_ASSERT_EQ_MSG(test, bb_sandbox_create(&cfg, &ctx->sb), 0,
				    "size_mb=%lu", sizes[i].size_mb);
		sb = ctx->sb;
		spanned = 0;
		for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
			spanned += zone->spanned_pages;
		KUNIT_EXPECT_EQ(test, spanned, sizes[i].size_mb << (20 - PAGE_SHIFT));
		KUNIT_EXPECT_EQ(test, bb_test_zone(sb, 0, BB_ZONE_DMA_IDX)->spanned_pages,
				sb->cfg.dma_mb << (20 - PAGE_SHIFT));
		KUNIT_EXPECT_EQ(test, bb_test_zone(sb, 0, BB_ZONE_DMA32_IDX)->spanned_pages,
				sb->cfg.dma32_mb << (20 - PAGE_SHIFT));
		KUNIT_EXPECT_GT(test, sb->cfg.dma32_mb, 0UL);
		KUNIT_EXPECT_GE(test, bb_test_alloc(test, sb, BB_GFP_KERNEL, 0), 0L);
		/*
		 * kswapd's flush of compaction's skip hints walks every zone
		 * from both ends; a zone of one pageblock at pfn 0 (DMA32 of
		 * size_mb=4, DMA of 32 MiB) must not wrap the upper walker.
		 */
		for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
			zone->compact_blockskip_flush = true;
		for (nid = 0; nid < sb->nr_nodes; nid++)
			bb_reset_isolation_suitable(&sb->node[nid]);
		bb_expect_check_ok(test, sb);
		bb_sandbox_destroy(sb);
		ctx->sb = NULL;
	}
}

static struct kunit_case bb_zonelist_cases[] = {
	KUNIT_CASE(bb_test_zonelist_one_node),
	KUNIT_CASE(bb_test_zonelist_distance),
	KUNIT_CASE(bb_test_zonelist_ties),
	KUNIT_CASE(bb_test_zonelist_placement),
	KUNIT_CASE(bb_test_zonelist_fallback_down),
	KUNIT_CASE(bb_test_numa_stats),
	KUNIT_CASE(bb_test_bad_config),
	KUNIT_CASE(bb_test_zone_layout),
	KUNIT_CASE(bb_test_zone_layout_bad),
	KUNIT_CASE(bb_test_small_regions),
	{}
};

static struct kunit_suite bb_zonelist_suite = {
	.name = "buddybox_zonelist",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_zonelist_cases,
};

kunit_test_suite(bb_zonelist_suite);
