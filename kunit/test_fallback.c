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

/*
 * __rmqueue() with @alloc_flags, the block made an allocation as rmqueue()
 * makes it: the fallback's steps alone, without the watermarks and the
 * ALLOC_NOFRAGMENT retry of get_page_from_freelist().  Returns the pfn, or
 * -1 when there was no block.
 */
static long bb_test_rmqueue(struct bb_sandbox *sb, unsigned int order,
			    int migratetype, unsigned int alloc_flags)
{
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_page *page;

	spin_lock(&zone->lock);
	page = __bb_rmqueue(sb, zone, order, migratetype, alloc_flags, NULL);
	if (page) {
		zone->nr_free_pages -= 1UL << order;
		bb_prep_new_page(sb, page, order, migratetype);
	}
	spin_unlock(&zone->lock);
	return page ? (long)bb_page_to_pfn(sb, page) : -1;
}

/* the first free block on a list, or -1 */
static long bb_first_free_pfn(struct bb_zone *zone, unsigned int order, int mt)
{
	struct bb_sandbox *sb = zone->zone_pgdat->sb;
	struct bb_page *page;

	page = list_first_entry_or_null(&zone->free_area[order].free_list[mt],
					struct bb_page, lru);
	return page ? (long)bb_page_to_pfn(sb, page) : -1;
}

/* make the pageblock at @pfn @mt, with its free blocks on @mt's lists */
static void bb_test_retype_pageblock(struct bb_sandbox *sb, unsigned long pfn,
				     int mt)
{
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	spin_lock(&zone->lock);
	bb_set_pageblock_migratetype(sb, pfn, mt);
	bb_move_freepages_block(sb, zone, pfn, mt, NULL);
	spin_unlock(&zone->lock);
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

/* is there a free block of @order or more that an ordinary request could take */
static bool bb_test_ordinary_block(struct bb_zone *zone, unsigned int order)
{
	int mt;

	for (; order < BB_MAX_ORDER; order++)
		for (mt = 0; mt < BB_MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&zone->free_area[order].free_list[mt]))
				return true;
	return false;
}

/*
 * unreserve_highatomic_pageblock(), worked out on 8 MiB (four pageblocks)
 * whose low watermark is above the zone.  Three order-8 atomic allocations
 * reserve two pageblocks: the first reserves its own, the second takes the
 * other half of it, the third reserves another and leaves its second half
 * (256 pages at ha) free on the highatomic lists.  The rest of the zone is
 * allocated by requests that ignore the watermarks (__GFP_MEMALLOC), which
 * may not touch the reserve: an unmovable page then fails before and after
 * direct reclaim (nothing to reclaim), and the slow path gives back the
 * pageblock of the smallest free highatomic block, as the reserve holds
 * more than one pageblock; the retry is served from it, at ha.  What is
 * left of the reserve, one pageblock, is kept unless forced, as before the
 * OOM killer.
 */
static void bb_test_unreserve_highatomic(struct kunit *test,
					 unsigned int fallback)
{
	struct bb_alloc_context ac = {};
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_zone *zone;
	unsigned long free_unmovable = 0;
	long a1, a2, a3, ha, pfn;
	unsigned int order;

	bb_test_config(&cfg, 8);
	cfg.min_free_kbytes = 7000;
	cfg.policy.fallback = fallback;
	sb = bb_test_sandbox(test, &cfg);
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	a1 = bb_test_alloc(test, sb, BB_GFP_ATOMIC, 8);
	a2 = bb_test_alloc(test, sb, BB_GFP_ATOMIC, 8);
	a3 = bb_test_alloc(test, sb, BB_GFP_ATOMIC, 8);
	KUNIT_ASSERT_GE(test, a1, 0L);
	KUNIT_ASSERT_GE(test, a2, 0L);
	KUNIT_ASSERT_GE(test, a3, 0L);
	KUNIT_EXPECT_EQ(test, a1 / BB_PAGEBLOCK_NR_PAGES,
			a2 / BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_NE(test, a1 / BB_PAGEBLOCK_NR_PAGES,
			a3 / BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, a3),
			BB_MIGRATE_HIGHATOMIC);
	KUNIT_ASSERT_EQ(test, zone->nr_reserved_highatomic,
			2 * BB_PAGEBLOCK_NR_PAGES);
	ha = bb_first_free_pfn(zone, 8, BB_MIGRATE_HIGHATOMIC);
	KUNIT_ASSERT_EQ(test, ha / BB_PAGEBLOCK_NR_PAGES,
			a3 / BB_PAGEBLOCK_NR_PAGES);

	/* everything else allocated: 256 free pages, all highatomic */
	for (order = BB_MAX_ORDER; order-- > 0;)
		while (bb_test_ordinary_block(zone, order))
			KUNIT_ASSERT_GE(test, bb_test_alloc(test, sb, BB_UNMOVABLE,
							    order), 0L);
	KUNIT_ASSERT_EQ(test, zone->nr_free_pages, 256UL);
	KUNIT_ASSERT_EQ(test, zone->nr_free_highatomic, 256UL);
	bb_expect_check_ok(test, sb);

	pfn = bb_test_alloc(test, sb, BB_UNMOVABLE, 0);
	KUNIT_EXPECT_EQ(test, pfn, ha);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic,
			BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, a3),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, a1),
			BB_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 0UL);
	/* the rest of the given-back block, split, on the unmovable lists */
	for (order = 0; order < BB_MAX_ORDER; order++)
		free_unmovable += zone->free_area[order].nr_free << order;
	KUNIT_EXPECT_EQ(test, free_unmovable, 255UL);
	for (order = 0; order < 8; order++)
		KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, order,
							BB_MIGRATE_UNMOVABLE),
				ha + (1L << order));
	bb_expect_check_ok(test, sb);

	/* one reserved pageblock, half free: kept, unless forced */
	bb_free_pages(sb, a2, 8);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 256UL);
	KUNIT_ASSERT_EQ(test, bb_prepare_alloc_pages(sb, BB_UNMOVABLE, 0, -1,
						     0, &ac), 0);
	KUNIT_EXPECT_FALSE(test, bb_unreserve_highatomic_pageblock(sb, &ac,
								   false));
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic,
			BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_TRUE(test, bb_unreserve_highatomic_pageblock(sb, &ac,
								  true));
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, a1),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 8, BB_MIGRATE_UNMOVABLE),
			a2);
	/* nothing left to give back */
	KUNIT_EXPECT_FALSE(test, bb_unreserve_highatomic_pageblock(sb, &ac,
								   true));
	bb_expect_check_ok(test, sb);
}

static void bb_test_unreserve_highatomic_61(struct kunit *test)
{
	bb_test_unreserve_highatomic(test, BB_GEN(6, 1));
}

/* fallback=6.10: the free blocks move with their pageblock's type */
static void bb_test_unreserve_highatomic_610(struct kunit *test)
{
	bb_test_unreserve_highatomic(test, BB_GEN(6, 10));
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

/*
 * find_suitable_fallback() for compaction (only_stealable): a block the
 * request may not claim does not count.  A movable request may claim from
 * order 4 (pageblock_order / 2) up; the order passed is the block's.
 */
static void bb_test_find_fallback_only_stealable(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_free_area *area = &zone->free_area[10];
	bool can_steal = true;
	int mt;

	/* the order-10 block goes to the unmovable list */
	bb_test_retype_pageblock(sb, 0, BB_MIGRATE_UNMOVABLE);
	bb_test_retype_pageblock(sb, 512, BB_MIGRATE_UNMOVABLE);

	mt = bb_find_suitable_fallback(area, 3, BB_MIGRATE_MOVABLE, true,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, -1);
	KUNIT_EXPECT_FALSE(test, can_steal);
	/* the allocator itself would still take it, only steal */
	mt = bb_find_suitable_fallback(area, 3, BB_MIGRATE_MOVABLE, false,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_FALSE(test, can_steal);
	mt = bb_find_suitable_fallback(area, 4, BB_MIGRATE_MOVABLE, true,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_TRUE(test, can_steal);
	/* reclaimable may always claim; unmovable is its first fallback */
	mt = bb_find_suitable_fallback(area, 0, BB_MIGRATE_RECLAIMABLE, true,
				       &can_steal);
	KUNIT_EXPECT_EQ(test, mt, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_TRUE(test, can_steal);
	/* an empty free area has nothing, whoever asks */
	mt = bb_find_suitable_fallback(&zone->free_area[0], 0,
				       BB_MIGRATE_UNMOVABLE, false, &can_steal);
	KUNIT_EXPECT_EQ(test, mt, -1);
	KUNIT_EXPECT_FALSE(test, can_steal);
	bb_expect_check_ok(test, sb);
}

/*
 * The order comes before the table: the largest fallback block wins even
 * on a type later in the table.  Reclaimable prefers unmovable, but the
 * unmovable pageblock holds blocks of orders 5 to 7 only and the movable
 * one an order-9 block, which it takes, claiming its pageblock.
 */
static void bb_test_fallback_largest_first(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	/* 0-255 and 256-287: free 288 (5), 320 (6), 384 (7), 512 (9) */
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, BB_MIGRATE_MOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 5, BB_MIGRATE_MOVABLE, 0), 256L);
	bb_test_retype_pageblock(sb, 0, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, zone->free_area[7].nr_free, 1UL);

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_RECLAIMABLE, 0),
			512L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	/* the unmovable blocks were left alone */
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 7, BB_MIGRATE_UNMOVABLE),
			384L);
	bb_expect_check_ok(test, sb);
}

/*
 * ALLOC_NOFRAGMENT: fall back only to blocks of a whole pageblock or more.
 * With an order-8 movable block left, an unmovable request gets nothing;
 * without the flag it takes it.
 */
static void bb_test_fallback_nofragment(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 9, BB_MIGRATE_MOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, BB_MIGRATE_MOVABLE, 0), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE,
					      BB_ALLOC_NOFRAGMENT), -1L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_FALLBACK), 0UL);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE, 0),
			768L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_FALLBACK), 1UL);
	bb_expect_check_ok(test, sb);
}

/*
 * The pages alike to the request, which count towards claiming with the
 * free ones.  Each case leaves pageblock 0 with 384 pages allocated and an
 * order-7 block free (128 pages): claimed only if the 384 are alike.
 */
static void bb_fallback_alike_setup(struct kunit *test, struct bb_sandbox *sb,
				    int alloc_mt, int block_mt)
{
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, alloc_mt, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 7, alloc_mt, 0), 256L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 9, alloc_mt, 0), 512L);
	bb_test_retype_pageblock(sb, 0, block_mt);
}

static void bb_test_fallback_alike_pages(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	unsigned long claims;

	/*
	 * Unmovable into a movable pageblock: every allocated page that is
	 * not movable is alike: 128 + 384 >= 256, claimed.
	 */
	bb_fallback_alike_setup(test, sb, BB_MIGRATE_UNMOVABLE,
				BB_MIGRATE_MOVABLE);
	claims = bb_test_total_stat(sb, BB_ALLOC_CLAIM);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE, 0),
			384L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), claims + 1);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 0UL);
	bb_expect_check_ok(test, sb);

	/*
	 * Reclaimable into an unmovable pageblock: the unmovable pages cannot
	 * be told from reclaimable ones, none is alike: 128 < 256, stolen.
	 */
	bb_test_exit(test);
	sb = bb_fallback_sandbox(test);
	bb_fallback_alike_setup(test, sb, BB_MIGRATE_UNMOVABLE,
				BB_MIGRATE_UNMOVABLE);
	claims = bb_test_total_stat(sb, BB_ALLOC_CLAIM);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_RECLAIMABLE, 0),
			384L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), claims);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 1UL);
	bb_expect_check_ok(test, sb);

	/*
	 * Movable into an unmovable pageblock of movable allocations: they
	 * are alike; the order-7 block is big enough for movable to claim.
	 */
	bb_test_exit(test);
	sb = bb_fallback_sandbox(test);
	bb_fallback_alike_setup(test, sb, BB_MIGRATE_MOVABLE,
				BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_MOVABLE, 0),
			384L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 0UL);
	bb_expect_check_ok(test, sb);
}

/*
 * A free block found in a highatomic pageblock (on another type's list) is
 * taken, but its pageblock is never claimed, not even for a block of
 * pageblock size; nor is the take counted as a steal.
 */
static void bb_test_fallback_highatomic_kept(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 9, BB_MIGRATE_MOVABLE, 0), 0L);
	/* pageblock 512 reserved, its free block left on the movable list */
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_HIGHATOMIC);
	zone->nr_reserved_highatomic = BB_PAGEBLOCK_NR_PAGES;

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE, 0),
			512L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_FALLBACK), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 0UL);
	/* the rest of the block went to the unmovable lists */
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 8, BB_MIGRATE_UNMOVABLE),
			768L);
	bb_expect_check_ok(test, sb);
}

/*
 * A steal that moved the pageblock's free blocks leaves them where
 * move_freepages_block() put them, in pfn order at the tail of the list;
 * the block found is not moved again.  Pageblock 0: sixteen movable
 * order-5 allocations, two of them freed again (64 and 160), the rest of
 * the zone allocated.  An unmovable request falls back to the order-5
 * block at 64, moves both (64 free pages, none alike: no claim) and is
 * then served from the first of them: 64, as 6.1 serves it.
 */
static void bb_test_fallback_steal_keeps_order(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	long pfn;

	for (pfn = 0; pfn < 512; pfn += 32)
		KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 5, BB_MIGRATE_MOVABLE, 0),
				pfn);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 9, BB_MIGRATE_MOVABLE, 0), 512L);
	bb_free_pages(sb, 160, 5);
	bb_free_pages(sb, 64, 5);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 5, BB_MIGRATE_MOVABLE), 64L);

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE, 0),
			64L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_STEAL), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 5, BB_MIGRATE_UNMOVABLE),
			160L);
	bb_expect_check_ok(test, sb);
}

/*
 * The pageblock walk (pbmap.c) of what fallback leaves: free pages, the
 * types asked for and empty, pure or mixed, block by block.
 */
static void bb_test_pageblock_walk(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_pageblock_info *info;
	unsigned long nr = bb_zone_nr_pageblocks(zone), i;
	long pfn;

	KUNIT_ASSERT_EQ(test, nr, 2UL);
	info = kunit_kcalloc(test, nr, sizeof(*info), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, info);

	bb_zone_pageblock_walk(sb, zone, info);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, info[i].pfn,
				zone->zone_start_pfn + i * BB_PAGEBLOCK_NR_PAGES);
		KUNIT_EXPECT_EQ(test, info[i].pages, 512U);
		KUNIT_EXPECT_EQ(test, info[i].nr_free, 512U);
		KUNIT_EXPECT_EQ(test, info[i].mt, BB_MIGRATE_MOVABLE);
		KUNIT_EXPECT_EQ(test, info[i].types, 0);
		KUNIT_EXPECT_EQ(test, bb_pageblock_state(info[i].mt, info[i].types),
				BB_PB_EMPTY);
	}

	/* an order-3 movable block: 8 pages of one pageblock, pure */
	pfn = bb_test_rmqueue(sb, 3, BB_MIGRATE_MOVABLE, 0);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	i = (pfn - zone->zone_start_pfn) >> BB_PAGEBLOCK_ORDER;
	bb_zone_pageblock_walk(sb, zone, info);
	KUNIT_EXPECT_EQ(test, info[i].nr_free, 504U);
	KUNIT_EXPECT_EQ(test, info[i].types, BIT(BB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_EQ(test, bb_pageblock_state(info[i].mt, info[i].types),
			BB_PB_PURE);
	KUNIT_EXPECT_EQ(test, info[1 - i].nr_free, 512U);

	/* its pageblock made Unmovable: the movable pages make it mixed */
	bb_test_retype_pageblock(sb, pfn, BB_MIGRATE_UNMOVABLE);
	bb_zone_pageblock_walk(sb, zone, info);
	KUNIT_EXPECT_EQ(test, info[i].mt, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, info[i].nr_free, 504U);
	KUNIT_EXPECT_EQ(test, bb_pageblock_state(info[i].mt, info[i].types),
			BB_PB_MIXED);

	/* a type no request has: pure while its allocations are of one type */
	KUNIT_EXPECT_EQ(test, bb_pageblock_state(BB_MIGRATE_HIGHATOMIC,
						 BIT(BB_MIGRATE_UNMOVABLE)),
			BB_PB_PURE);
	KUNIT_EXPECT_EQ(test, bb_pageblock_state(BB_MIGRATE_HIGHATOMIC,
						 BIT(BB_MIGRATE_UNMOVABLE) |
						 BIT(BB_MIGRATE_MOVABLE)),
			BB_PB_MIXED);
	bb_expect_check_ok(test, sb);
}

/* 4 MiB of Normal under the policy of @words (fallback=6.15 and the like) */
static struct bb_sandbox *bb_fallback_policy_sandbox(struct kunit *test,
						     const char *words)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char buf[64];

	bb_test_config(&cfg, 4);
	strscpy(buf, words, sizeof(buf));
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, buf, &err), 0);
	return bb_test_sandbox(test, &cfg);
}

static unsigned long bb_fallback_kind(struct bb_sandbox *sb, int kind,
				      int req, int blk)
{
	return sb->fallbacks[0][BB_ZONE_NORMAL_IDX][kind][req][blk];
}

/*
 * fallback=6.15 tries a claim at every order from the top, and a block
 * whose pageblock fails the rule does not stop it.  Movable 9, 8, 7, 6 at
 * 0, 512, 768, 896 leave an order-6 block at 960; 0 is freed again and
 * both pageblocks are made unmovable (448 movable pages stay in 512).
 * Unmovable 8 and 7 then take 0 and 256 from pageblock 0's own lists,
 * leaving an order-7 block at 384: pageblock 0 holds 384 unmovable pages.
 * A movable page falls back.  6.15: the order-7 block at 384 first, 128
 * free + 0 movable < 256, not claimed; then the order-6 block at 960, 64
 * free + 448 movable >= 256: pageblock 512 is claimed (a steal of a partly
 * used block), and the page is 960, the first of its order-6 block, now
 * movable.  6.10 takes the largest block, fails the claim the same way and
 * pollutes it: the page is 384 and both pageblocks stay unmovable.
 */
static long bb_claim_from_top_case(struct kunit *test, const char *policy)
{
	struct bb_sandbox *sb = bb_fallback_policy_sandbox(test, policy);
	long pfn;

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 9, BB_MIGRATE_MOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, BB_MIGRATE_MOVABLE, 0), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 7, BB_MIGRATE_MOVABLE, 0), 768L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 6, BB_MIGRATE_MOVABLE, 0), 896L);
	bb_free_pages(sb, 0, 9);
	bb_test_retype_pageblock(sb, 0, BB_MIGRATE_UNMOVABLE);
	bb_test_retype_pageblock(sb, 512, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, BB_MIGRATE_UNMOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 7, BB_MIGRATE_UNMOVABLE, 0), 256L);
	bb_expect_check_ok(test, sb);

	pfn = bb_test_rmqueue(sb, 0, BB_MIGRATE_MOVABLE, 0);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_UNMOVABLE);
	bb_expect_check_ok(test, sb);
	if (pfn == 960) {
		KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
				BB_MIGRATE_MOVABLE);
		KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_STEAL,
						       BB_MIGRATE_MOVABLE,
						       BB_MIGRATE_UNMOVABLE), 1UL);
		KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_POLLUTE,
						       BB_MIGRATE_MOVABLE,
						       BB_MIGRATE_UNMOVABLE), 0UL);
	} else {
		KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
				BB_MIGRATE_UNMOVABLE);
		KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_POLLUTE,
						       BB_MIGRATE_MOVABLE,
						       BB_MIGRATE_UNMOVABLE), 1UL);
	}
	return pfn;
}

static void bb_test_claim_from_top_615(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_claim_from_top_case(test, "fallback=6.15"),
			960L);
	bb_test_exit(test);
	KUNIT_EXPECT_EQ(test, bb_claim_from_top_case(test, "fallback=6.10"),
			384L);
}

/*
 * The steal takes the smallest fallback block.  Movable 9, 8, 7, 6, 5 at
 * 0, 512, 768, 896, 960 leave an order-5 block at 992; 0 is freed, and
 * movable 8 and 7 take 0 and 256, leaving an order-7 block at 384.  Every
 * pageblock is movable and full but for those two blocks.  An unmovable
 * page: 6.15 tries to claim the order-7 block's pageblock (128 free + 0
 * alike < 256) and the order-5's (32 + 0), both refused; the steal then
 * takes the smallest, the order-5 at 992: the page is 992 and the rest of
 * that block (31 pages) stays free on the movable lists.  6.10 pollutes
 * the largest instead: the page is 384.  Either way one pollution, and
 * both pageblocks stay movable.  Returns the sandbox.
 */
static struct bb_sandbox *bb_steal_smallest_case(struct kunit *test,
						 const char *policy,
						 long expect)
{
	struct bb_sandbox *sb = bb_fallback_policy_sandbox(test, policy);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned int order;

	for (order = 9; order >= 5; order--)
		KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, order,
						      BB_MIGRATE_MOVABLE, 0),
				order == 9 ? 0L : 1024L - (2L << order));
	bb_free_pages(sb, 0, 9);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 8, BB_MIGRATE_MOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 7, BB_MIGRATE_MOVABLE, 0), 256L);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 7, BB_MIGRATE_MOVABLE),
			384L);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 5, BB_MIGRATE_MOVABLE),
			992L);

	KUNIT_EXPECT_EQ(test, bb_test_rmqueue(sb, 0, BB_MIGRATE_UNMOVABLE, 0),
			expect);
	KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_POLLUTE,
					       BB_MIGRATE_UNMOVABLE,
					       BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_STEAL,
					       BB_MIGRATE_UNMOVABLE,
					       BB_MIGRATE_MOVABLE), 0UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 128UL + 32 - 1);
	bb_expect_check_ok(test, sb);
	return sb;
}

static void bb_test_steal_smallest_615(struct kunit *test)
{
	struct bb_sandbox *sb;
	struct bb_zone *zone;

	sb = bb_steal_smallest_case(test, "fallback=6.15", 992L);
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	/* the order-7 block untouched, the order-5 one split on its lists */
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 7, BB_MIGRATE_MOVABLE),
			384L);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 4, BB_MIGRATE_MOVABLE),
			1008L);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 0, BB_MIGRATE_MOVABLE),
			993L);
	bb_test_exit(test);
	bb_steal_smallest_case(test, "fallback=6.10", 384L);
}

/*
 * The mode one refill of a per-CPU list keeps (6.15's rmqueue_mode).
 * After the steal of bb_steal_smallest_case() pageblock 0 is made
 * unmovable: its order-7 block at 384 is on the unmovable lists.  In
 * BB_RMQUEUE_NORMAL an unmovable page comes from there (384); a refill
 * that stole already (BB_RMQUEUE_STEAL) does not look there again and
 * steals the smallest fallback block, the order-0 at 993, and stays in
 * that mode; under ALLOC_NOFRAGMENT the steal stage gives nothing.  A
 * claim puts the mode back to NORMAL (below).
 */
static void bb_test_rmqueue_mode_615(struct kunit *test)
{
	struct bb_sandbox *sb = bb_steal_smallest_case(test, "fallback=6.15",
						       992L);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	enum bb_rmqueue_mode mode = BB_RMQUEUE_STEAL;
	struct bb_page *page;

	bb_test_retype_pageblock(sb, 0, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_first_free_pfn(zone, 7, BB_MIGRATE_UNMOVABLE),
			384L);

	spin_lock(&zone->lock);
	page = __bb_rmqueue_mode(sb, zone, 0, BB_MIGRATE_UNMOVABLE, 0, &mode,
				 NULL);
	KUNIT_EXPECT_PTR_EQ(test, page, bb_pfn_to_page(sb, 993));
	KUNIT_EXPECT_EQ(test, mode, BB_RMQUEUE_STEAL);
	if (page) {
		zone->nr_free_pages--;
		bb_prep_new_page(sb, page, 0, BB_MIGRATE_UNMOVABLE);
	}
	/* ALLOC_NOFRAGMENT: the steal stage refuses */
	page = __bb_rmqueue_mode(sb, zone, 0, BB_MIGRATE_UNMOVABLE,
				 BB_ALLOC_NOFRAGMENT, &mode, NULL);
	KUNIT_EXPECT_PTR_EQ(test, page, (struct bb_page *)NULL);
	/* from the start, its own lists: the order-7 block at 384 */
	mode = BB_RMQUEUE_NORMAL;
	page = __bb_rmqueue_mode(sb, zone, 0, BB_MIGRATE_UNMOVABLE, 0, &mode,
				 NULL);
	KUNIT_EXPECT_PTR_EQ(test, page, bb_pfn_to_page(sb, 384));
	KUNIT_EXPECT_EQ(test, mode, BB_RMQUEUE_NORMAL);
	if (page) {
		zone->nr_free_pages--;
		bb_prep_new_page(sb, page, 0, BB_MIGRATE_UNMOVABLE);
	}
	spin_unlock(&zone->lock);
	bb_expect_check_ok(test, sb);

	/*
	 * A claim: 384 freed merges back into the order-7 block, and
	 * pageblock 512 is made unmovable too (no movable list has a block
	 * left).  A movable page in CLAIM mode: the largest fallback block is
	 * the order-7 at 384; pageblock 0 has 128 free + 384 movable pages
	 * >= 256, claimed; the page is 384, the first of the block now on the
	 * movable lists, and the mode goes back to NORMAL.
	 */
	bb_free_pages(sb, 384, 0);
	bb_test_retype_pageblock(sb, 512, BB_MIGRATE_UNMOVABLE);
	mode = BB_RMQUEUE_CLAIM;
	spin_lock(&zone->lock);
	page = __bb_rmqueue_mode(sb, zone, 0, BB_MIGRATE_MOVABLE, 0, &mode,
				 NULL);
	KUNIT_EXPECT_PTR_EQ(test, page, bb_pfn_to_page(sb, 384));
	KUNIT_EXPECT_EQ(test, mode, BB_RMQUEUE_NORMAL);
	if (page) {
		zone->nr_free_pages--;
		bb_prep_new_page(sb, page, 0, BB_MIGRATE_MOVABLE);
	}
	spin_unlock(&zone->lock);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallback_kind(sb, BB_FALLBACK_STEAL,
					       BB_MIGRATE_MOVABLE,
					       BB_MIGRATE_UNMOVABLE), 1UL);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_fallback_cases[] = {
	KUNIT_CASE(bb_test_fallback_order),
	KUNIT_CASE(bb_test_find_suitable_fallback),
	KUNIT_CASE(bb_test_claim_big_block),
	KUNIT_CASE(bb_test_claim_vs_steal),
	KUNIT_CASE(bb_test_movable_steals_smallest),
	KUNIT_CASE(bb_test_highatomic_reserve),
	KUNIT_CASE(bb_test_unreserve_highatomic_61),
	KUNIT_CASE(bb_test_unreserve_highatomic_610),
	KUNIT_CASE(bb_test_fallback_boosts),
	KUNIT_CASE(bb_test_find_fallback_only_stealable),
	KUNIT_CASE(bb_test_fallback_largest_first),
	KUNIT_CASE(bb_test_fallback_nofragment),
	KUNIT_CASE(bb_test_fallback_alike_pages),
	KUNIT_CASE(bb_test_fallback_highatomic_kept),
	KUNIT_CASE(bb_test_fallback_steal_keeps_order),
	KUNIT_CASE(bb_test_pageblock_walk),
	KUNIT_CASE(bb_test_claim_from_top_615),
	KUNIT_CASE(bb_test_steal_smallest_615),
	KUNIT_CASE(bb_test_rmqueue_mode_615),
	{}
};

static struct kunit_suite bb_fallback_suite = {
	.name = "buddybox_fallback",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_fallback_cases,
};

kunit_test_suite(bb_fallback_suite);
