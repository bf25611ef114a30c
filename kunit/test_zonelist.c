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

static struct kunit_case bb_zonelist_cases[] = {
	KUNIT_CASE(bb_test_zonelist_one_node),
	KUNIT_CASE(bb_test_zonelist_distance),
	KUNIT_CASE(bb_test_zonelist_ties),
	KUNIT_CASE(bb_test_zonelist_placement),
	KUNIT_CASE(bb_test_zonelist_fallback_down),
	KUNIT_CASE(bb_test_bad_config),
	{}
};

static struct kunit_suite bb_zonelist_suite = {
	.name = "buddybox_zonelist",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_zonelist_cases,
};

kunit_test_suite(bb_zonelist_suite);
