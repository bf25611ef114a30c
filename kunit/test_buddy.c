// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: splitting (expand) and merging (__free_one_page) of buddies.
 */
#include "bb_test.h"

#define BB_MOVABLE	(BB_GFP_KERNEL | BB___GFP_MOVABLE)

/* 16 MiB of ZONE_NORMAL: four order-10 blocks, nothing else */
static struct bb_sandbox *bb_buddy_sandbox(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 16);
	return bb_test_sandbox(test, &cfg);
}

static void bb_expect_free_counts(struct kunit *test, struct bb_zone *zone,
				  const unsigned long *expected)
{
	unsigned int order;

	for (order = 0; order < BB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, zone->free_area[order].nr_free,
				    expected[order], "order %u", order);
}

static void bb_test_initial_state(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long expected[BB_MAX_ORDER] = { [10] = 4 };

	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 4096UL);
	KUNIT_EXPECT_EQ(test, zone->managed_pages, 4096UL);
	bb_expect_free_counts(test, zone, expected);
	/* boot leaves every pageblock movable */
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 4095),
			BB_MIGRATE_MOVABLE);
	bb_expect_check_ok(test, sb);
}

static void bb_test_split_order0(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long expected[BB_MAX_ORDER] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3
	};
	long pfn = bb_test_alloc(test, sb, BB_MOVABLE, 0);

	/* the lowest block is split: its upper halves stay free */
	KUNIT_EXPECT_EQ(test, pfn, 0L);
	bb_expect_free_counts(test, zone, expected);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 4095UL);
	KUNIT_EXPECT_TRUE(test, bb_pfn_to_page_ext(sb, 1)->flags & BB_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, (int)bb_pfn_to_page_ext(sb, 512)->order, 9);
	bb_expect_check_ok(test, sb);

	bb_free_pages(sb, pfn, 0);
	expected[10] = 4;
	memset(expected, 0, sizeof(unsigned long) * 10);
	bb_expect_free_counts(test, zone, expected);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 4096UL);
	bb_expect_check_ok(test, sb);
}

static void bb_test_split_order3(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long expected[BB_MAX_ORDER] = {
		0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 3
	};
	long pfn = bb_test_alloc(test, sb, BB_MOVABLE, 3);

	KUNIT_EXPECT_EQ(test, pfn, 0L);
	bb_expect_free_counts(test, zone, expected);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 4096UL - 8);
	/* the allocation's head records its order */
	KUNIT_EXPECT_EQ(test, (int)bb_pfn_to_page_ext(sb, 0)->flags, BB_PG_ALLOC);
	KUNIT_EXPECT_EQ(test, (int)bb_pfn_to_page_ext(sb, 0)->order, 3);
	KUNIT_EXPECT_EQ(test, (int)bb_pfn_to_page_ext(sb, 8)->order, 3);
	bb_expect_check_ok(test, sb);
}

/* pfn ^ (1 << order): freeing 0 waits for 1, then everything merges */
static void bb_test_merge_with_buddy(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	long a = bb_test_alloc(test, sb, BB_MOVABLE, 0);
	long b = bb_test_alloc(test, sb, BB_MOVABLE, 0);

	KUNIT_EXPECT_EQ(test, a, 0L);
	KUNIT_EXPECT_EQ(test, b, 1L);
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 0UL);

	bb_free_pages(sb, a, 0);
	/* the buddy (pfn 1) is allocated: no merge */
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 1UL);
	KUNIT_EXPECT_TRUE(test, bb_pfn_to_page_ext(sb, 0)->flags & BB_PG_BUDDY);
	bb_expect_check_ok(test, sb);

	bb_free_pages(sb, b, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 4UL);
	KUNIT_EXPECT_FALSE(test, bb_pfn_to_page_ext(sb, 1)->flags & BB_PG_BUDDY);
	bb_expect_check_ok(test, sb);
}

/*
 * buddy_merge_likely(): a block whose buddy one order up is free goes to
 * the tail of its list, so the next allocation takes another block.
 */
static void bb_test_merge_likely_tail(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	long a, b, c, d, e, f;

	a = bb_test_alloc(test, sb, BB_MOVABLE, 1);	/* 0-1 */
	b = bb_test_alloc(test, sb, BB_MOVABLE, 1);	/* 2-3 */
	c = bb_test_alloc(test, sb, BB_MOVABLE, 2);	/* 4-7 */
	d = bb_test_alloc(test, sb, BB_MOVABLE, 1);	/* 8-9 */
	e = bb_test_alloc(test, sb, BB_MOVABLE, 1);	/* 10-11 */
	KUNIT_EXPECT_EQ(test, a, 0L);
	KUNIT_EXPECT_EQ(test, c, 4L);
	KUNIT_EXPECT_EQ(test, e, 10L);

	/* 0-1: its order-2 buddy 4-7 is allocated: head of the list */
	bb_free_pages(sb, a, 1);
	/* 8-9: its order-2 buddy 12-15 is free: merge likely, tail */
	bb_free_pages(sb, d, 1);
	/* had 8-9 gone to the head, it would be handed out first */
	f = bb_test_alloc(test, sb, BB_MOVABLE, 1);
	KUNIT_EXPECT_EQ(test, f, 0L);
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, b, 1);
	bb_free_pages(sb, c, 2);
	bb_free_pages(sb, e, 1);
	bb_free_pages(sb, f, 1);
	KUNIT_EXPECT_EQ(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX)->free_area[10].nr_free,
			4UL);
	bb_expect_check_ok(test, sb);
}

/* An order-10 allocation takes a whole top-order block, and gives it back. */
static void bb_test_max_order(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_alloc_result res;
	long pfn[4];
	int i;

	for (i = 0; i < 4; i++) {
		pfn[i] = bb_test_alloc(test, sb, BB_MOVABLE | BB___GFP_MEMALLOC, 10);
		KUNIT_EXPECT_EQ(test, pfn[i], (long)i * 1024);
	}
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), 0UL);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_MOVABLE, 0, -1, 0, &res),
			-ENOMEM);
	bb_expect_check_ok(test, sb);
	for (i = 0; i < 4; i++)
		bb_free_pages(sb, pfn[i], 10);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), 4096UL);
	bb_expect_check_ok(test, sb);
}

/* The checker is not a rubber stamp: it sees a corrupted count. */
static void bb_test_checker_detects(struct kunit *test)
{
	struct bb_sandbox *sb = bb_buddy_sandbox(test);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_check_report rep = { };
	long pfn = bb_test_alloc(test, sb, BB_MOVABLE, 0);

	zone->free_area[3].nr_free++;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_GE(test, rep.problems, 1U);
	zone->free_area[3].nr_free--;

	/* a page flagged free that is on no list */
	bb_pfn_to_page_ext(sb, pfn)->flags = BB_PG_BUDDY;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	bb_pfn_to_page_ext(sb, pfn)->flags = BB_PG_ALLOC;

	/* an invalid pageblock type */
	bb_set_pageblock_migratetype(sb, 1024, BB_MIGRATE_TYPES);
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	bb_set_pageblock_migratetype(sb, 1024, BB_MIGRATE_MOVABLE);

	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_buddy_cases[] = {
	KUNIT_CASE(bb_test_initial_state),
	KUNIT_CASE(bb_test_split_order0),
	KUNIT_CASE(bb_test_split_order3),
	KUNIT_CASE(bb_test_merge_with_buddy),
	KUNIT_CASE(bb_test_merge_likely_tail),
	KUNIT_CASE(bb_test_max_order),
	KUNIT_CASE(bb_test_checker_detects),
	{}
};

static struct kunit_suite bb_buddy_suite = {
	.name = "buddybox_buddy",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_buddy_cases,
};

kunit_test_suite(bb_buddy_suite);
