// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: migratetype fallback: the fallback order, stealing a block versus
 * claiming its whole pageblock, and the highatomic reserve.
 */
#include "bb_test.h"

#define BB_MOVABLE	(BB_GFP_KERNEL | BB___GFP_MOVABLE)
#define BB_UNMOVABLE	(BB_GFP_KERNEL | BB___GFP_MEMALLOC)

/* 4 MiB of Normal: one order-10 block, two pageblocks */
static struct bb_sandbox *bb_fallback_sandbox(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 4);
	return bb_test_sandbox(test, &cfg);
}

static void bb_test_fallback_order(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_UNMOVABLE][0],
			BB_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_UNMOVABLE][1],
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_MOVABLE][0],
			BB_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_MOVABLE][1],
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_RECLAIMABLE][0],
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_RECLAIMABLE][1],
			BB_MIGRATE_MOVABLE);
	/* the reserve types never fall back */
	KUNIT_EXPECT_EQ(test, bb_fallbacks[BB_MIGRATE_HIGHATOMIC][0],
			BB_MIGRATE_TYPES);

	/* can_steal_fallback(): unmovable and reclaimable always may claim */
	KUNIT_EXPECT_TRUE(test, bb_can_steal_fallback(0, BB_MIGRATE_UNMOVABLE));
	KUNIT_EXPECT_TRUE(test, bb_can_steal_fallback(0, BB_MIGRATE_RECLAIMABLE));
	KUNIT_EXPECT_FALSE(test, bb_can_steal_fallback(3, BB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_TRUE(test, bb_can_steal_fallback(4, BB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_TRUE(test, bb_can_steal_fallback(9, BB_MIGRATE_MOVABLE));
}

/* find_suitable_fallback() takes the first type of the table that has one */
static void bb_test_find_suitable_fallback(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_free_area *area = &zone->free_area[10];
	struct bb_page *page = bb_pfn_to_page(sb, 0);
	bool can_steal;
	int mt;

	/* the one block is on the movable list */
	mt = bb_find_suitable_fallback(area, 10, BB_MIGRATE_UNMOVABLE, false,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_TRUE(test, can_steal);
	mt = bb_find_suitable_fallback(area, 10, BB_MIGRATE_MOVABLE, false,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, -1);

	/* put it on the reclaimable list: unmovable now prefers that */
	spin_lock(&zone->lock);
	list_move(&page->lru, &area->free_list[BB_MIGRATE_RECLAIMABLE]);
	mt = bb_find_suitable_fallback(area, 10, BB_MIGRATE_UNMOVABLE, false,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_RECLAIMABLE);
	mt = bb_find_suitable_fallback(area, 10, BB_MIGRATE_MOVABLE, false,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_RECLAIMABLE);
	list_move(&page->lru, &area->free_list[BB_MIGRATE_MOVABLE]);
	spin_unlock(&zone->lock);
	bb_expect_check_ok(test, sb);
}

/* An unmovable request on a movable-only zone claims a whole block. */
static void bb_test_claim_big_block(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	long pfn = bb_test_alloc(test, sb, BB_UNMOVABLE, 0);

	KUNIT_EXPECT_EQ(test, pfn, 0L);
	/* the order-10 block was taken over: both its pageblocks changed */
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_FALLBACK), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 0UL);
	bb_expect_check_ok(test, sb);

	/* a second unmovable page comes from the claimed block, no fallback */
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 1L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_FALLBACK), 1UL);
	bb_expect_check_ok(test, sb);
}

/*
 * move_freepages_block(): claim a pageblock of smaller free blocks when
 * at least half of it is free or alike, else only steal.
 */
static void bb_test_claim_vs_steal(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	long pfn;

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 512L);
	/* pageblock 512: 256 movable, 256 free -> half free: claim */
	pfn = bb_test_alloc(test, sb, BB_UNMOVABLE, 0);
	KUNIT_EXPECT_EQ(test, pfn, 768L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 0UL);
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, pfn, 0);

	/* start again: now 384 of the pageblock are movable, 128 free */
	bb_test_exit(test);
	sb = bb_fallback_sandbox(test);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 768L);
	pfn = bb_test_alloc(test, sb, BB_UNMOVABLE, 0);
	KUNIT_EXPECT_EQ(test, pfn, 896L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 1UL);
	bb_expect_check_ok(test, sb);
}

/* Movable requests that may not claim take the smallest block instead. */
static void bb_test_movable_steals_smallest(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned int order;

	/* everything becomes unmovable: orders 0..9 free on that list */
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	/* leave only blocks of orders 0..3, too small to claim for movable */
	for (order = 9; order >= 4; order--)
		KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, order),
				1L << order);

	/* order 0 movable: not allowed to claim, so the order-0 block */
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb,
					    BB_MOVABLE | BB___GFP_MEMALLOC, 0), 1L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	/* the larger order-3 block was left alone */
	KUNIT_EXPECT_EQ(test, zone->free_area[3].nr_free, 1UL);
	bb_expect_check_ok(test, sb);
}

/*
 * A high-order atomic allocation that needs the slow path reserves its
 * pageblock.  min_free_kbytes 7000 on 8 MiB puts the low watermark above
 * the zone, so every request goes through the slow path.
 */
static void bb_test_highatomic_reserve(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_zone *zone;
	long pfn, pfn2;

	bb_test_config(&cfg, 8);
	cfg.min_free_kbytes = 7000;
	sb = bb_test_sandbox(test, &cfg);
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	pfn = bb_test_alloc(test, sb, BB_GFP_ATOMIC, 2);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, pfn),
			BB_MIGRATE_HIGHATOMIC);
	bb_expect_check_ok(test, sb);

	/* the next one is served from the reserve, which does not grow */
	pfn2 = bb_test_alloc(test, sb, BB_GFP_ATOMIC, 2);
	KUNIT_ASSERT_GE(test, pfn2, 0L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, pfn2),
			BB_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, BB_PAGEBLOCK_NR_PAGES);

	/* ordinary requests may not use it, even without watermarks */
	pfn2 = bb_test_alloc(test, sb, BB_UNMOVABLE, 2);
	KUNIT_ASSERT_GE(test, pfn2, 0L);
	KUNIT_EXPECT_NE(test, bb_get_pageblock_migratetype(sb, pfn2),
			BB_MIGRATE_HIGHATOMIC);
	bb_expect_check_ok(test, sb);
}

/*
 * A fallback that mixes types inside a pageblock boosts the watermarks
 * (boost_watermark()), and the boost then holds back ordinary requests.
 * 16 MiB: min 128, low 160, high 192; the boost is capped at a pageblock.
 */
static void bb_test_fallback_boosts(struct kunit *test)
{
	struct bb_alloc_result res;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_zone *zone;
	long pfn;

	bb_test_config(&cfg, 16);
	sb = bb_test_sandbox(test, &cfg);
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	/* leave pageblock 0 split into free blocks of orders 0..8 only */
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 10), 1024L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 10), 2048L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 10), 3072L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 512L);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);

	/* unmovable falls back to the order-8 block and claims pageblock 0 */
	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, pfn, 1L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_BOOST), 1UL);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);

	/* 510 free is now below min + boost = 640: only reserves may pass */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_MOVABLE, 0, -1, 0, &res),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sb->alloc_fail[BB_FAIL_WATERMARK]),
			1L);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_MOVABLE | BB___GFP_MEMALLOC,
					       0, -1, 0, &res), 0);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_fallback_cases[] = {
	KUNIT_CASE(bb_test_fallback_order),
	KUNIT_CASE(bb_test_find_suitable_fallback),
	KUNIT_CASE(bb_test_claim_big_block),
	KUNIT_CASE(bb_test_claim_vs_steal),
	KUNIT_CASE(bb_test_movable_steals_smallest),
	KUNIT_CASE(bb_test_highatomic_reserve),
	KUNIT_CASE(bb_test_fallback_boosts),
	{}
};

static struct kunit_suite bb_fallback_suite = {
	.name = "buddybox_fallback",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_fallback_cases,
};

kunit_test_suite(bb_fallback_suite);
