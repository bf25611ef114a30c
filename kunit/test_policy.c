// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the policy (policy.c), the fallback counters and the pageblocks'
 * mixedness (fragstat.c), and the fallback rules of each generation.
 *
 * The sandboxes are 4 MiB of Normal: one order-10 block, pageblocks 0 and
 * 512, every page movable, no per-CPU lists (but the random runs').  The
 * expected outcomes are worked out by hand from the kernels' rules in each
 * case's comment.
 */
#include "bb_test.h"

#define BB_MOVABLE	(BB_GFP_KERNEL | BB___GFP_MOVABLE)
#define BB_UNMOVABLE	(BB_GFP_KERNEL | BB___GFP_MEMALLOC)

static struct bb_sandbox *bb_policy_sandbox(struct kunit *test,
					    const char *policy)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char words[64];

	bb_test_config(&cfg, 4);
	strscpy(words, policy, sizeof(words));
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	return bb_test_sandbox(test, &cfg);
}

/* the words parse, and the policy they make is resolved to @ret */
static int bb_policy_try(struct kunit *test, const char *words,
			 struct bb_policy *out)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char buf[96];
	int ret;

	bb_config_default(&cfg);
	strscpy(buf, words, sizeof(buf));
	ret = bb_config_parse(&cfg, buf, &err);
	if (!ret)
		ret = bb_policy_resolve(&cfg.policy);
	*out = cfg.policy;
	return ret;
}

static void bb_test_policy_values(struct kunit *test)
{
	struct bb_policy p;

	/* the default: 6.1 everywhere */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 1));
	KUNIT_EXPECT_EQ(test, p.reserves, BB_GEN(6, 1));
	KUNIT_EXPECT_EQ(test, p.generation, BB_GEN(6, 1));
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 0);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.1 fallback=6.1",
					    &p), 0);

	/* not values of the list */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.2", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.01", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "defrag_mode=2", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "reserves=6.10", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.12", &p),
			-EINVAL);
	/* twice the same switch */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "pcp_high=6.1 pcp_high=6.1",
					    &p), -EINVAL);
	/* a combination no kernel had */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "defrag_mode=1", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "defrag_mode=1 fallback=6.10",
					    &p), -EINVAL);
	/* reserves=6.3 is implemented */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "reserves=6.3", &p), 0);
	KUNIT_EXPECT_EQ(test, p.reserves, BB_GEN(6, 3));
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 1));
	/* fallback=6.10 is implemented */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.10", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 10));
	KUNIT_EXPECT_EQ(test, p.reserves, BB_GEN(6, 1));
	/* fallback=6.15 and defrag_mode are implemented */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.15", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 15));
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 0);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.15 defrag_mode=1",
					    &p), 0);
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 1);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.15 pcp_high=6.1",
					    &p), 0);
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 15));
	KUNIT_EXPECT_EQ(test, p.reserves, BB_GEN(6, 3));
	KUNIT_EXPECT_EQ(test, p.highatomic, BB_GEN(6, 12));
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 0);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.15 pcp_high=6.1 defrag_mode=1",
					    &p), 0);
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 1);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.10 pcp_high=6.1 defrag_mode=1",
					    &p), -EINVAL);
	/* rules not implemented, named or through a generation */
	/* highatomic=6.12 needs the hygiene's lists */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "highatomic=6.12", &p),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "highatomic=6.12 fallback=6.10",
					    &p), 0);
	KUNIT_EXPECT_EQ(test, p.highatomic, BB_GEN(6, 12));
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "pcp_high=6.7", &p), 0);
	KUNIT_EXPECT_EQ(test, p.pcp_high, BB_GEN(6, 7));
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 1));
	/* generation=6.15 runs whole: every rule of it is in */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.15", &p), 0);
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 15));
	KUNIT_EXPECT_EQ(test, p.pcp_high, BB_GEN(6, 7));
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 0);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.10 pcp_high=6.1",
					    &p), 0);
	KUNIT_EXPECT_EQ(test, p.pcp_high, BB_GEN(6, 1));
	/* generation=6.10 runs whole now that pcp_high=6.7 is in */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.10", &p), 0);
	/* what generation 6.10 means */
	KUNIT_EXPECT_EQ(test, p.fallback, BB_GEN(6, 10));
	KUNIT_EXPECT_EQ(test, p.reserves, BB_GEN(6, 3));
	KUNIT_EXPECT_EQ(test, p.highatomic, BB_GEN(6, 1));
	KUNIT_EXPECT_EQ(test, p.pcp_high, BB_GEN(6, 7));
	KUNIT_EXPECT_EQ(test, p.defrag_mode, 0);
}

static unsigned long bb_fallbacks_of(struct bb_sandbox *sb, int kind,
				     int req, int blk)
{
	return sb->fallbacks[0][BB_ZONE_NORMAL_IDX][kind][req][blk];
}

/* the Normal zone's pageblocks of type @mt: empty, pure, mixed */
static void bb_expect_pageblocks(struct kunit *test, struct bb_sandbox *sb,
				 int mt, unsigned long empty,
				 unsigned long pure, unsigned long mixed)
{
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES];

	KUNIT_ASSERT_EQ(test, bb_zone_pageblock_counts(sb, zone, count), 0);
	KUNIT_EXPECT_EQ_MSG(test, count[mt][BB_PB_EMPTY], empty, "%s empty",
			    bb_migratetype_names[mt]);
	KUNIT_EXPECT_EQ_MSG(test, count[mt][BB_PB_PURE], pure, "%s pure",
			    bb_migratetype_names[mt]);
	KUNIT_EXPECT_EQ_MSG(test, count[mt][BB_PB_MIXED], mixed, "%s mixed",
			    bb_migratetype_names[mt]);
}

/*
 * Claim: an unmovable page from the all-movable sandbox.  The largest
 * fallback block is the order-10 one, whole pageblocks: both become
 * unmovable.  Pageblock 0 holds the page (pure), 512 nothing (empty).
 */
static struct bb_sandbox *bb_fallback_claim_case(struct kunit *test,
						 const char *policy)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);

	bb_expect_pageblocks(test, sb, BB_MIGRATE_MOVABLE, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 0L);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_CLAIM,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_STEAL,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 0UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_POLLUTE,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 0UL);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_UNMOVABLE, 1, 1, 0);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_MOVABLE, 0, 0, 0);
	bb_expect_check_ok(test, sb);
	return sb;
}

/*
 * Steal: movable order 9 at 0 and order 8 at 512 leave pageblock 512 half
 * free (an order-8 block at 768).  An unmovable page falls back to it: 256
 * free pages are half the pageblock, so it is claimed though 256 movable
 * pages stay in it, and the page is 768.  Pageblock 0 is movable and
 * pure, 512 unmovable and mixed.
 */
static void bb_fallback_steal_case(struct kunit *test, const char *policy)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 768L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_STEAL,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_CLAIM,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 0UL);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_MOVABLE, 0, 1, 0);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_UNMOVABLE, 0, 0, 1);
	bb_expect_check_ok(test, sb);
}

/*
 * Pollute: movable orders 9, 8 and 7 at 0, 512 and 768 leave an order-7
 * block at 896, 128 free pages of 512: not claimed.  The unmovable page is
 * 896 and pageblock 512 stays movable, now mixed.  Returns the sandbox.
 */
static struct bb_sandbox *bb_fallback_pollute_case(struct kunit *test,
						   const char *policy)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 768L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 896L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_POLLUTE,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_STEAL,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 0UL);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_MOVABLE, 0, 1, 1);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_UNMOVABLE, 0, 0, 0);
	bb_expect_check_ok(test, sb);
	return sb;
}

static void bb_test_fallback_kinds_61(struct kunit *test)
{
	struct bb_zone *zone;
	struct bb_sandbox *sb;

	bb_fallback_claim_case(test, "fallback=6.1");
	bb_test_exit(test);
	bb_fallback_steal_case(test, "fallback=6.1");
	bb_test_exit(test);
	/*
	 * 6.1 moved the order-7 block to the unmovable lists before
	 * splitting it: the rest of it, 897 up to the order-6 block at 960,
	 * is free on the unmovable lists of a movable pageblock.
	 */
	sb = bb_fallback_pollute_case(test, "fallback=6.1");
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, zone->free_area[6].nr_free, 1UL);
	KUNIT_EXPECT_FALSE(test, list_empty(&zone->free_area[6].free_list[BB_MIGRATE_UNMOVABLE]));
	KUNIT_EXPECT_TRUE(test, list_empty(&zone->free_area[6].free_list[BB_MIGRATE_MOVABLE]));
}

/* the free pages on @mt's lists of the Normal zone */
static unsigned long bb_free_on(struct bb_sandbox *sb, int mt)
{
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long pages = 0;
	unsigned int order;
	struct bb_page *page;

	for (order = 0; order < BB_MAX_ORDER; order++)
		list_for_each_entry(page, &zone->free_area[order].free_list[mt],
				    lru)
			pages += 1UL << order;
	return pages;
}

/*
 * fallback=6.10.  Claim: as 6.1 (the order-10 block's two pageblocks
 * become unmovable), and the 1023 free pages are all on the unmovable
 * lists.
 */
static void bb_test_fallback_claim_610(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_claim_case(test, "fallback=6.10");

	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_UNMOVABLE), 1023UL);
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_MOVABLE), 0UL);
}

/*
 * fallback=6.10, a partly used pageblock claimed.  Movable order 9 takes
 * 0, order 7 takes 512 (leaving free an order-7 at 640 and an order-8 at
 * 768), order 7 again takes 640; 512 is freed: pageblock 512 holds 128
 * movable pages and two free blocks, 384 pages.  An unmovable page falls
 * back to the largest, the order-8 at 768: 384 free + 0 alike >= 256, so
 * pageblock 512 becomes unmovable and both its free blocks move to the
 * unmovable lists; the request is then served from them, the smallest
 * first: the order-7 at 512.  383 pages stay free, all unmovable.
 */
static void bb_test_fallback_steal_610(struct kunit *test)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, "fallback=6.10");

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 640L);
	bb_free_pages(sb, 512, 7);
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_MOVABLE), 384UL);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 512L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_UNMOVABLE), 383UL);
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_MOVABLE), 0UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_STEAL,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_POLLUTE,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 0UL);
	bb_expect_pageblocks(test, sb, BB_MIGRATE_UNMOVABLE, 0, 0, 1);
	bb_expect_check_ok(test, sb);

	/* 6.1's steal case (one free block in the pageblock): the same */
	bb_test_exit(test);
	bb_fallback_steal_case(test, "fallback=6.10");
}

/*
 * fallback=6.10, pollution: as 6.1 the unmovable page is 896 and pageblock
 * 512 stays movable, but the rest of the order-7 block is split on the
 * movable lists, where 6.1 put it on the unmovable ones: the order-6 block
 * at 960 is movable, and no free page is on an unmovable list.
 */
static void bb_test_fallback_pollute_610(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fallback_pollute_case(test, "fallback=6.10");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_EQ(test, zone->free_area[6].nr_free, 1UL);
	KUNIT_EXPECT_FALSE(test, list_empty(&zone->free_area[6].free_list[BB_MIGRATE_MOVABLE]));
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_MOVABLE), 127UL);
	KUNIT_EXPECT_EQ(test, bb_free_on(sb, BB_MIGRATE_UNMOVABLE), 0UL);
}

/*
 * Merging across pageblocks of two types.  Movable order 9 takes 0; an
 * unmovable page falls back to the order-9 block at 512, a whole
 * pageblock: claimed, the page is 512.  Freed, it merges back to an
 * order-9 block on the unmovable lists.  Freeing 0 (movable) merges it
 * with that buddy into the order-10 block on the movable lists: 6.10
 * makes the buddy's pageblock movable, 6.1 leaves it unmovable.
 */
static void bb_merge_case(struct kunit *test, const char *policy,
			  int expect_512)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_UNMOVABLE, 0), 512L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	bb_free_pages(sb, 512, 0);
	KUNIT_EXPECT_FALSE(test, list_empty(&zone->free_area[9].free_list[BB_MIGRATE_UNMOVABLE]));
	bb_free_pages(sb, 0, 9);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 1UL);
	KUNIT_EXPECT_FALSE(test, list_empty(&zone->free_area[10].free_list[BB_MIGRATE_MOVABLE]));
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512), expect_512);
	bb_expect_check_ok(test, sb);
}

static void bb_test_fallback_merge_610(struct kunit *test)
{
	bb_merge_case(test, "fallback=6.10", BB_MIGRATE_MOVABLE);
	bb_test_exit(test);
	bb_merge_case(test, "fallback=6.1", BB_MIGRATE_UNMOVABLE);
}

/*
 * The checker sees a free block on the lists of another type than its
 * pageblock's, under fallback=6.10 only (6.1 makes such blocks itself).
 */
static void bb_test_checker_hygiene(struct kunit *test)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, "fallback=6.10");
	struct bb_check_report rep = { };

	/* the second pageblock of the free order-10 block */
	bb_expect_check_ok(test, sb);
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_MOVABLE);
	bb_expect_check_ok(test, sb);

	/* the pageblock of a free order-9 block */
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_MOVABLE);
	bb_expect_check_ok(test, sb);

	/* not an invariant of 6.1 */
	bb_test_exit(test);
	sb = bb_policy_sandbox(test, "fallback=6.1");
	bb_set_pageblock_migratetype(sb, 512, BB_MIGRATE_UNMOVABLE);
	bb_expect_check_ok(test, sb);
}

/*
 * reserves: the alloc_flags each gfp earns in the slow path, 6.1 against
 * 6.3 (gfp_to_alloc_flags() of each).  The same two bits are 6.1's
 * ALLOC_HARDER and ALLOC_HIGH and 6.3's ALLOC_NON_BLOCK and
 * ALLOC_MIN_RESERVE; what differs is who gets them.
 */
static void bb_test_reserves_alloc_flags(struct kunit *test)
{
	const unsigned int cs = BB_ALLOC_CPUSET, kd = BB_ALLOC_KSWAPD;
	const unsigned int ha = BB_ALLOC_HIGHATOMIC;
	struct bb_sandbox *sb61 = bb_policy_sandbox(test, "reserves=6.1");
	struct bb_sandbox *sb63;
	unsigned int f61[8], f63[8];
	static const struct {
		bb_gfp_t gfp;
		unsigned int order;
	} req[8] = {
		{ BB_GFP_KERNEL, 0 },
		{ BB_GFP_ATOMIC, 0 },
		{ BB_GFP_ATOMIC, 2 },
		{ BB_GFP_NOWAIT, 2 },
		{ BB___GFP_ATOMIC, 1 },
		{ BB___GFP_HIGH, 1 },
		{ BB_GFP_KERNEL | BB___GFP_HIGH, 3 },
		{ BB_GFP_ATOMIC | BB___GFP_NOMEMALLOC, 2 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(req); i++)
		f61[i] = bb_gfp_to_alloc_flags(sb61, req[i].gfp, req[i].order);
	bb_test_exit(test);
	sb63 = bb_policy_sandbox(test, "reserves=6.3");
	for (i = 0; i < ARRAY_SIZE(req); i++)
		f63[i] = bb_gfp_to_alloc_flags(sb63, req[i].gfp, req[i].order);

	/* GFP_KERNEL: the min watermark, nothing more, in both */
	KUNIT_EXPECT_EQ(test, f61[0], cs | kd);
	KUNIT_EXPECT_EQ(test, f63[0], cs | kd);
	/* GFP_ATOMIC: the same bits, the reserve above order 0 */
	KUNIT_EXPECT_EQ(test, f61[1], BB_ALLOC_HIGH | BB_ALLOC_HARDER | kd);
	KUNIT_EXPECT_EQ(test, f63[1],
			BB_ALLOC_MIN_RESERVE | BB_ALLOC_NON_BLOCK | kd);
	KUNIT_EXPECT_EQ(test, f61[2], f61[1] | ha);
	KUNIT_EXPECT_EQ(test, f63[2], f63[1] | ha);
	/* GFP_NOWAIT: nothing in 6.1, ALLOC_NON_BLOCK in 6.3, no reserve */
	KUNIT_EXPECT_EQ(test, f61[3], cs | kd);
	KUNIT_EXPECT_EQ(test, f63[3], BB_ALLOC_NON_BLOCK | cs | kd);
	/* __GFP_ATOMIC alone: ALLOC_HARDER in 6.1; 6.3 has no such flag */
	KUNIT_EXPECT_EQ(test, f61[4], BB_ALLOC_HARDER | ha);
	KUNIT_EXPECT_EQ(test, f63[4], BB_ALLOC_NON_BLOCK | cs);
	/* __GFP_HIGH alone cannot block: a GFP_ATOMIC in 6.3 */
	KUNIT_EXPECT_EQ(test, f61[5], BB_ALLOC_HIGH | cs);
	KUNIT_EXPECT_EQ(test, f63[5],
			BB_ALLOC_MIN_RESERVE | BB_ALLOC_NON_BLOCK | ha);
	/* __GFP_HIGH that may reclaim: half the min watermark in both */
	KUNIT_EXPECT_EQ(test, f61[6], BB_ALLOC_HIGH | cs | kd);
	KUNIT_EXPECT_EQ(test, f63[6], BB_ALLOC_MIN_RESERVE | cs | kd);
	/* __GFP_NOMEMALLOC: __GFP_HIGH's share only, no reserve */
	KUNIT_EXPECT_EQ(test, f61[7], BB_ALLOC_HIGH | kd);
	KUNIT_EXPECT_EQ(test, f63[7], BB_ALLOC_MIN_RESERVE | kd);
}

/*
 * reserves: the level each combination of flags must stay above, on the
 * fresh zone's 1024 free pages (lowmem_reserve 0): a check passes while
 * 1024 > mark - share.
 */
static void bb_test_reserves_shares(struct kunit *test, const char *policy,
				    bool r63)
{
	const unsigned int hi = BB_ALLOC_MIN_RESERVE, nb = BB_ALLOC_NON_BLOCK;
	const unsigned int oom = BB_ALLOC_OOM;
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	int n = BB_ZONE_NORMAL_IDX;

	KUNIT_ASSERT_EQ(test, z->nr_free_pages, 1024UL);
	/* none: 1023 passes, 1024 does not */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 1023, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 1024, n, 0));
	/* GFP_ATOMIC, both: 2728 - (1364 + 341) = 1023; 2730 - 1706 = 1024 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 2728, n, hi | nb));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 2730, n, hi | nb));
	/* __GFP_HIGH, both: 2046 - 1023 = 1023; 2048 - 1024 = 1024 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 2046, n, hi));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 2048, n, hi));
	/*
	 * Not blocking alone: 6.1's ALLOC_HARDER a quarter (1364 - 341 =
	 * 1023), 6.3's ALLOC_NON_BLOCK nothing (1024 fails already, which
	 * 6.1 passes: 1024 - 256).
	 */
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 1364, n, nb), !r63);
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 1366, n, nb));
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 1024, n, nb), !r63);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 1023, n, nb));
	/*
	 * An OOM victim that asked GFP_ATOMIC: 6.1 gives it half and half
	 * of the rest instead of the quarter (4096 - 3072 = 1024 fails);
	 * 6.3 halves what GFP_ATOMIC leaves: 4096 - (2048 + 512 + 768) =
	 * 768 passes.  Alone, half in both (2046 - 1023).
	 */
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 4096, n,
						   hi | nb | oom), r63);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 2046, n, oom));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 2048, n, oom));

	/*
	 * 512 pages of highatomic reserve (set by hand, no block moved):
	 * whoever may not count them has 512 free.  6.1 counts them for
	 * ALLOC_HARDER (and OOM) only; 6.3 for any reserve flag, __GFP_HIGH
	 * alone and GFP_NOWAIT's ALLOC_NON_BLOCK too.  __GFP_HIGH: 1022 -
	 * 511 passes in both, 1024 - 512 in 6.3 only, 2046 - 1023 too.
	 */
	z->nr_reserved_highatomic = 512;
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 511, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 512, n, 0));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 1023, n, nb));
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 2046, n, hi), r63);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 1022, n, hi));
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 1024, n, hi), r63);
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 2048, n, hi));
	z->nr_reserved_highatomic = 0;
	bb_expect_check_ok(test, sb);
}

static void bb_test_reserves_shares_61(struct kunit *test)
{
	bb_test_reserves_shares(test, "reserves=6.1", false);
}

static void bb_test_reserves_shares_63(struct kunit *test)
{
	bb_test_reserves_shares(test, "reserves=6.3", true);
}

/* one allocation, given back at once; 0 or the error */
static int bb_reserves_try(struct bb_sandbox *sb, bb_gfp_t gfp)
{
	struct bb_alloc_result res;
	int ret = __bb_alloc_pages(sb, gfp, 0, -1, 0, &res);

	if (!ret)
		bb_free_pages(sb, res.pfn, 0);
	return ret;
}

/*
 * reserves: whole allocations through the slow path.  Movable orders 9
 * and 8 leave 256 free pages; min_free_kbytes sets the min watermark M
 * (low is M + M / 4, which the fast path fails).  None of the requests
 * may reclaim nor wakes kswapd, so the slow path's first try decides:
 *   M = 600: __GFP_HIGH alone must stay above 300 in 6.1 (fails), as a
 *	GFP_ATOMIC above 225 in 6.3 (passes); GFP_ATOMIC (less kswapd)
 *	above 225 in both.
 *   M = 300: __GFP_ATOMIC alone above 225 in 6.1 (passes); in 6.3 the bit
 *	means nothing and not blocking earns nothing: above 300 (fails).
 *	GFP_NOWAIT (less kswapd) above 300 in both.
 */
static void bb_reserves_alloc_case(struct kunit *test, const char *policy,
				   bool r63)
{
	const bb_gfp_t mov = BB___GFP_MOVABLE;
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, mov, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, mov, 8), 512L);
	KUNIT_ASSERT_EQ(test, z->nr_free_pages, 256UL);

	KUNIT_ASSERT_EQ(test, bb_set_min_free_kbytes(sb, 600 * 4), 0);
	KUNIT_ASSERT_EQ(test, z->_watermark[BB_WMARK_MIN], 600UL);
	KUNIT_EXPECT_EQ(test, bb_reserves_try(sb, mov | BB___GFP_HIGH),
			r63 ? 0 : -ENOMEM);
	KUNIT_EXPECT_EQ(test, bb_reserves_try(sb, mov | BB___GFP_HIGH |
					      BB___GFP_ATOMIC), 0);

	KUNIT_ASSERT_EQ(test, bb_set_min_free_kbytes(sb, 300 * 4), 0);
	KUNIT_EXPECT_EQ(test, bb_reserves_try(sb, mov | BB___GFP_ATOMIC),
			r63 ? -ENOMEM : 0);
	KUNIT_EXPECT_EQ(test, bb_reserves_try(sb, mov), -ENOMEM);
	KUNIT_EXPECT_EQ(test, z->nr_free_pages, 256UL);
	bb_expect_check_ok(test, sb);
}

static void bb_test_reserves_alloc_61(struct kunit *test)
{
	bb_reserves_alloc_case(test, "reserves=6.1", false);
}

static void bb_test_reserves_alloc_63(struct kunit *test)
{
	bb_reserves_alloc_case(test, "reserves=6.3", true);
}

/* test_random.c's run under fallback=6.10, per-CPU lists on */
static void bb_test_random_610(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char words[16];

	/* bb_config_parse() cuts up its words: a fresh copy each time */
	strscpy(words, "fallback=6.10", sizeof(words));
	bb_test_config(&cfg, 16);
	cfg.dma_mb = 2;
	cfg.dma32_mb = 4;
	cfg.pcp_disabled = false;
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	bb_random_run(test, bb_test_sandbox(test, &cfg), 610);
	bb_test_exit(test);

	/* a small region under pressure */
	strscpy(words, "fallback=6.10", sizeof(words));
	bb_test_config(&cfg, 4);
	cfg.pcp_disabled = false;
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	bb_random_run(test, bb_test_sandbox(test, &cfg), 1010);
}

/*
 * highatomic: the size of the reserve.  The watermark is raised so that a
 * GFP_ATOMIC order-1 request fails the fast path (min 1000 pages, low
 * 1250, 1024 free) and passes the slow path's min less 62.5% (375): it
 * then reserves its pageblock.  6.1 allows 1% of the 1024 pages and a
 * pageblock (522): pageblock 0 is reserved, and its 510 free pages go on
 * the highatomic lists.  6.12 allows 1% rounded up to pageblocks, nothing
 * here since 10 pages are less than one.
 */
static void bb_highatomic_size_case(struct kunit *test, const char *policy,
				    bool h612)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	const bb_gfp_t atomic = BB___GFP_HIGH | BB___GFP_ATOMIC;

	KUNIT_ASSERT_EQ(test, bb_set_min_free_kbytes(sb, 1000 * 4), 0);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, atomic, 1), 0L);
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, h612 ? 0UL : 512UL);
	KUNIT_EXPECT_EQ(test, z->nr_free_highatomic, h612 ? 0UL : 510UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 0),
			h612 ? BB_MIGRATE_UNMOVABLE : BB_MIGRATE_HIGHATOMIC);
	bb_expect_check_ok(test, sb);
}

static void bb_test_highatomic_size_61(struct kunit *test)
{
	bb_highatomic_size_case(test, "fallback=6.10", false);
}

static void bb_test_highatomic_size_612(struct kunit *test)
{
	bb_highatomic_size_case(test, "fallback=6.10 highatomic=6.12", true);
}

/*
 * highatomic: what the watermark leaves out for a request without a
 * reserve flag, on the fresh zone's 1024 free pages with, set by hand,
 * 512 reserved pages of which 100 are free: 6.1 the 512 (511 passes, 512
 * does not), 6.12 the 100 (923 passes, 924 does not).
 */
static void bb_highatomic_unusable_case(struct kunit *test,
					const char *policy, bool h612)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	int n = BB_ZONE_NORMAL_IDX;

	z->nr_reserved_highatomic = 512;
	z->nr_free_highatomic = 100;
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 511, n, 0));
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 512, n, 0), h612);
	KUNIT_EXPECT_EQ(test, bb_zone_watermark_ok(z, 0, 923, n, 0), h612);
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 924, n, 0));
	/* who may count the reserve counts all 1024 in both */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 1023, n,
						     BB_ALLOC_OOM));
	z->nr_reserved_highatomic = 0;
	z->nr_free_highatomic = 0;
	bb_expect_check_ok(test, sb);
}

static void bb_test_highatomic_unusable_61(struct kunit *test)
{
	bb_highatomic_unusable_case(test, "fallback=6.10", false);
}

static void bb_test_highatomic_unusable_612(struct kunit *test)
{
	bb_highatomic_unusable_case(test, "fallback=6.10 highatomic=6.12",
				    true);
}

/*
 * highatomic: an order-0 atomic request when only the reserve is left.
 * A movable order 9 takes pageblock 0; pageblock 512, its free order-9
 * block with it, is made highatomic by hand (as a reservation would).
 * No list but the reserve's has a page: the fast path fails (6.1 leaves
 * out the 512 reserved pages, 6.12 the 512 free ones), the slow path's
 * ALLOC_HIGH|ALLOC_HARDER counts them (512 > 24) but finds no block on
 * the lists it takes from; 6.12 then takes the reserve's smallest block,
 * the order-9 at 512, split: pfn 512.  6.1 fails.  A request with no
 * reserve flag fails in both; an order-1 GFP_ATOMIC takes the reserve in
 * both (ALLOC_HIGHATOMIC): its smallest block, the order-1 at 514 after
 * 6.12's order 0, the order-9 at 512 in 6.1.
 */
static void bb_highatomic_order0_case(struct kunit *test, const char *policy,
				      bool h612)
{
	const bb_gfp_t atomic = BB___GFP_HIGH | BB___GFP_ATOMIC;
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_result res;

	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	spin_lock(&z->lock);
	KUNIT_EXPECT_TRUE(test, bb_retype_pageblock(sb, z, 512,
						    BB_MIGRATE_HIGHATOMIC));
	z->nr_reserved_highatomic += BB_PAGEBLOCK_NR_PAGES;
	spin_unlock(&z->lock);
	KUNIT_EXPECT_EQ(test, z->nr_free_highatomic, 512UL);
	bb_expect_check_ok(test, sb);

	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB___GFP_MOVABLE, 0, -1, 0,
					       &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, atomic | BB___GFP_MOVABLE,
					       0, -1, 0, &res),
			h612 ? 0 : -ENOMEM);
	if (h612) {
		KUNIT_EXPECT_EQ(test, res.pfn, 512UL);
		KUNIT_EXPECT_EQ(test, z->nr_free_highatomic, 511UL);
	}
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, atomic, 1),
			h612 ? 514L : 512L);
	bb_expect_check_ok(test, sb);
}

static void bb_test_highatomic_order0_61(struct kunit *test)
{
	bb_highatomic_order0_case(test, "fallback=6.10", false);
}

static void bb_test_highatomic_order0_612(struct kunit *test)
{
	bb_highatomic_order0_case(test, "fallback=6.10 highatomic=6.12", true);
}

/* test_random.c's run under reserves=6.3, per-CPU lists on */
static void bb_test_random_63(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char words[16];

	strscpy(words, "reserves=6.3", sizeof(words));
	bb_test_config(&cfg, 4);
	cfg.pcp_disabled = false;
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	bb_random_run(test, bb_test_sandbox(test, &cfg), 63);
}

/* test_random.c's run with 6.12's reserves, 64 MiB, per-CPU lists on */
static void bb_test_random_612(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char words[48];

	strscpy(words, "fallback=6.10 reserves=6.3 highatomic=6.12",
		sizeof(words));
	bb_test_config(&cfg, 64);
	cfg.pcp_disabled = false;
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	bb_random_run(test, bb_test_sandbox(test, &cfg), 612);
}

/*
 * defrag_mode, the fast and the slow path.  Movable 9, 8 and 7 take 0,
 * 512 and 768: the free pages are an order-7 block at 896 (128 pages,
 * above the low watermark of 80), no whole free pageblock.  An unmovable
 * GFP_KERNEL page: with defrag_mode=0 the fast path retries without
 * ALLOC_NOFRAGMENT, the claim of pageblock 512 fails (128 free + 0 alike
 * < 256) and the steal takes the order-7 block: the page is 896, no slow
 * path.  With defrag_mode=1 the fast path refuses that steal and does not
 * retry; the slow path keeps ALLOC_NOFRAGMENT while reclaim (nothing to
 * reclaim) and compaction (order 0) fail, then allows the fallback: the
 * same page 896, a pollution, after one slow path.  A claim of a whole
 * free pageblock fragments nothing and stays in the fast path under
 * defrag_mode: once movable 9 took 0, an unmovable page claims the
 * order-9 block at 512 and is 512.
 */
static void bb_defrag_fastpath_case(struct kunit *test, const char *policy,
				    unsigned long slowpaths)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, policy);
	struct bb_trace t = { .size = 64 * 1024 };
	struct bb_alloc_result res;

	t.buf = kunit_kzalloc(test, t.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t.buf);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 512L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 768L);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_KERNEL, 0, -1, 0,
						     NULL, &t, &res), 0);
	KUNIT_EXPECT_EQ(test, res.pfn, 896UL);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_POLLUTE,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_SLOWPATH),
			slowpaths);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "steal (6.15)"));
	if (slowpaths) {
		const char *refused = strstr(t.buf,
					     "defrag_mode refuses the fallback here");
		const char *allowed = strstr(t.buf,
					     "failed to prevent the fallback");

		KUNIT_EXPECT_NOT_NULL(test, refused);
		KUNIT_EXPECT_NOT_NULL(test, allowed);
		KUNIT_EXPECT_TRUE(test, refused && allowed && refused < allowed);
		/* the steal comes after the slow path's last resort */
		KUNIT_EXPECT_TRUE(test, allowed &&
				  strstr(allowed, "steal (6.15): the smallest"));
	} else {
		KUNIT_EXPECT_NULL(test, strstr(t.buf, "defrag_mode"));
	}
	bb_expect_check_ok(test, sb);
}

static void bb_test_defrag_mode_fastpath(struct kunit *test)
{
	struct bb_sandbox *sb;

	bb_defrag_fastpath_case(test, "fallback=6.15", 0);
	bb_test_exit(test);
	bb_defrag_fastpath_case(test, "fallback=6.15 defrag_mode=1", 1);
	bb_test_exit(test);

	/* a whole free pageblock: claimed in the fast path, defrag_mode or not */
	sb = bb_policy_sandbox(test, "fallback=6.15 defrag_mode=1");
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 9), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_GFP_KERNEL, 0), 512L);
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, 512),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_fallbacks_of(sb, BB_FALLBACK_CLAIM,
					      BB_MIGRATE_UNMOVABLE,
					      BB_MIGRATE_MOVABLE), 1UL);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_SLOWPATH), 0UL);
	bb_expect_check_ok(test, sb);
}

/* A request for kswapd, as bb_wakeup_kswapd() leaves it */
static void bb_policy_kswapd_request(struct bb_node *pgdat, int order)
{
	pgdat->kswapd_order = order;
	pgdat->kswapd_highest_zoneidx = BB_ZONE_NORMAL_IDX;
}

/*
 * defrag_mode and kswapd.  Movable 8 and 7 take 0 and 256: free are an
 * order-7 block at 384 and the order-9 block at 512, 640 pages, 512 of
 * them in a whole pageblock (nr_free_pages_blocks).  kswapd asked for
 * order 9 at the high watermark (96): by the free pages, 640 - 511 = 129
 * > 96 and an order-9 block is free: balanced, nothing to do (counted as
 * low_wmark_hit_quickly).  defrag_mode switched on at run time: by the
 * pages in whole pageblocks 512 - 511 = 1 < 96, not balanced: a
 * balance_pgdat() run (pageoutrun).  0 and 256 freed, the zone is one
 * free order-10 block, 1024 pages in whole pageblocks: balanced again.
 * The defrag_mode switch is refused to a sandbox of fallback=6.10, and
 * for a value not 0 or 1; the policy file follows it.
 */
static void bb_test_defrag_mode_kswapd(struct kunit *test)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, "fallback=6.15");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = &sb->node[0];

	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, 1024UL);
	KUNIT_EXPECT_EQ(test, bb_wmark_pages(zone, BB_WMARK_HIGH), 96UL);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 0L);
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 7), 256L);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 640UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, 512UL);

	bb_policy_kswapd_request(pgdat, 9);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 0UL);

	KUNIT_EXPECT_EQ(test, bb_set_defrag_mode(sb, 1), 0);
	KUNIT_EXPECT_EQ(test, sb->cfg.policy.defrag_mode, 1);
	bb_policy_kswapd_request(pgdat, 9);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY), 1UL);

	bb_free_pages(sb, 0, 8);
	bb_free_pages(sb, 256, 7);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, 1024UL);
	bb_policy_kswapd_request(pgdat, 9);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY), 2UL);
	bb_expect_check_ok(test, sb);

	KUNIT_EXPECT_EQ(test, bb_set_defrag_mode(sb, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_defrag_mode(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, sb->cfg.policy.defrag_mode, 0);
	KUNIT_EXPECT_EQ(test, bb_tunable_get(sb, bb_tunable_find("defrag_mode")),
			0);
	bb_test_exit(test);
	sb = bb_policy_sandbox(test, "fallback=6.10");
	KUNIT_EXPECT_EQ(test, bb_set_defrag_mode(sb, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_defrag_mode(sb, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb->defrag_mode, 0);
}

/*
 * The checker recounts nr_free_pages_blocks: the free order-10 block is
 * 1024 pages of it; a wrong count is one problem.  An order-8 allocation
 * leaves the order-9 block at 512 (512 pages) and smaller ones, which
 * do not count.
 */
static void bb_test_checker_free_blocks(struct kunit *test)
{
	struct bb_sandbox *sb = bb_policy_sandbox(test, "fallback=6.15");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_check_report rep = { };

	bb_expect_check_ok(test, sb);
	zone->nr_free_pages_blocks--;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	zone->nr_free_pages_blocks++;
	KUNIT_EXPECT_EQ(test, bb_test_alloc(test, sb, BB_MOVABLE, 8), 0L);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, 512UL);
	bb_expect_check_ok(test, sb);
}

/* test_random.c's run under fallback=6.15, with and without defrag_mode */
static void bb_test_random_615(struct kunit *test)
{
	static const char * const policies[] = {
		"fallback=6.15", "fallback=6.15 defrag_mode=1",
	};
	struct bb_control_error err;
	struct bb_config cfg;
	char words[32];
	int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		strscpy(words, policies[i], sizeof(words));
		bb_test_config(&cfg, 16);
		cfg.dma_mb = 2;
		cfg.dma32_mb = 4;
		cfg.pcp_disabled = false;
		KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
		bb_random_run(test, bb_test_sandbox(test, &cfg), 615 + i);
		bb_test_exit(test);
	}
}

static struct kunit_case bb_policy_cases[] = {
	KUNIT_CASE(bb_test_policy_values),
	KUNIT_CASE(bb_test_fallback_kinds_61),
	KUNIT_CASE(bb_test_fallback_claim_610),
	KUNIT_CASE(bb_test_fallback_steal_610),
	KUNIT_CASE(bb_test_fallback_pollute_610),
	KUNIT_CASE(bb_test_fallback_merge_610),
	KUNIT_CASE(bb_test_checker_hygiene),
	KUNIT_CASE(bb_test_random_610),
	KUNIT_CASE(bb_test_defrag_mode_fastpath),
	KUNIT_CASE(bb_test_defrag_mode_kswapd),
	KUNIT_CASE(bb_test_checker_free_blocks),
	KUNIT_CASE(bb_test_random_615),
	KUNIT_CASE(bb_test_reserves_alloc_flags),
	KUNIT_CASE(bb_test_reserves_shares_61),
	KUNIT_CASE(bb_test_reserves_shares_63),
	KUNIT_CASE(bb_test_reserves_alloc_61),
	KUNIT_CASE(bb_test_reserves_alloc_63),
	KUNIT_CASE(bb_test_random_63),
	KUNIT_CASE(bb_test_highatomic_size_61),
	KUNIT_CASE(bb_test_highatomic_size_612),
	KUNIT_CASE(bb_test_highatomic_unusable_61),
	KUNIT_CASE(bb_test_highatomic_unusable_612),
	KUNIT_CASE(bb_test_highatomic_order0_61),
	KUNIT_CASE(bb_test_highatomic_order0_612),
	KUNIT_CASE(bb_test_random_612),
	{}
};

static struct kunit_suite bb_policy_suite = {
	.name = "buddybox_policy",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_policy_cases,
};

kunit_test_suite(bb_policy_suite);
