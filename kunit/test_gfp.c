// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the gfp tables: zone, migratetype, rejected combinations, the
 * alloc_flags they earn, and the parser of gfp names.
 */
#include "bb_test.h"

static void bb_test_gfp_zone(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_KERNEL), BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_ATOMIC), BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_DMA), BB_ZONE_DMA_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_DMA32), BB_ZONE_DMA32_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_HIGHUSER), BB_ZONE_NORMAL_IDX);
	/* movable alone stays in Normal; with highmem it may use Movable */
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_KERNEL | BB___GFP_MOVABLE),
			BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB_GFP_HIGHUSER_MOVABLE),
			BB_ZONE_MOVABLE_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB___GFP_DMA | BB___GFP_MOVABLE),
			BB_ZONE_DMA_IDX);
	KUNIT_EXPECT_EQ(test, bb_gfp_zone(BB___GFP_DMA32 | BB___GFP_MOVABLE),
			BB_ZONE_DMA32_IDX);
}

static void bb_test_gfp_migratetype(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_gfp_migratetype(BB_GFP_KERNEL),
			BB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, bb_gfp_migratetype(BB_GFP_HIGHUSER_MOVABLE),
			BB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test,
			bb_gfp_migratetype(BB_GFP_KERNEL | BB___GFP_RECLAIMABLE),
			BB_MIGRATE_RECLAIMABLE);
}

static void bb_test_gfp_bad(struct kunit *test)
{
	static const bb_gfp_t bad[] = {
		BB___GFP_DMA | BB___GFP_DMA32,
		BB___GFP_DMA | BB___GFP_HIGHMEM,
		BB___GFP_DMA32 | BB___GFP_HIGHMEM,
		BB___GFP_DMA | BB___GFP_DMA32 | BB___GFP_HIGHMEM,
		BB___GFP_MOVABLE | BB___GFP_DMA | BB___GFP_HIGHMEM,
		BB___GFP_MOVABLE | BB___GFP_DMA32 | BB___GFP_HIGHMEM,
		BB___GFP_MOVABLE | BB___GFP_RECLAIMABLE,
		BB___GFP_ATOMIC | BB___GFP_DIRECT_RECLAIM,
		BB___GFP_NOFAIL,			/* cannot reclaim */
		BB_GFP_KERNEL | BB___GFP_NOFAIL | BB___GFP_NORETRY,
		BB___GFP_MEMALLOC | BB___GFP_NOMEMALLOC,
		BB___GFP_BITS_MASK + 1,			/* unknown bit */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, bb_gfp_check(bad[i], 0), -EINVAL,
				    "gfp %#x", bad[i]);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_KERNEL, BB_MAX_ORDER), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_KERNEL | BB___GFP_NOFAIL, 2),
			-EINVAL);

	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_KERNEL, BB_MAX_ORDER - 1), 0);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_ATOMIC, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_HIGHUSER_MOVABLE, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_KERNEL | BB___GFP_NOFAIL, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_gfp_check(BB_GFP_DMA32 | BB___GFP_ZERO, 3), 0);
}

/* only its policy is read: all zero is before every generation's change */
static const struct bb_sandbox bb_sb_61;

static void bb_test_gfp_alloc_flags(struct kunit *test)
{
	unsigned int f;

	f = bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, f & BB_ALLOC_WMARK_MASK, BB_ALLOC_WMARK_MIN);
	KUNIT_EXPECT_EQ(test, f, (unsigned int)(BB_ALLOC_CPUSET | BB_ALLOC_KSWAPD));

	/* GFP_ATOMIC: high, harder, no cpuset; and highatomic when order > 0 */
	f = bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_ATOMIC, 0);
	KUNIT_EXPECT_EQ(test, f, (unsigned int)(BB_ALLOC_HIGH | BB_ALLOC_HARDER |
						BB_ALLOC_KSWAPD));
	f = bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_ATOMIC, 2);
	KUNIT_EXPECT_TRUE(test, f & BB_ALLOC_HIGHATOMIC);

	/* __GFP_NOMEMALLOC: atomic, but not harder */
	f = bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_ATOMIC | BB___GFP_NOMEMALLOC, 2);
	KUNIT_EXPECT_FALSE(test, f & (BB_ALLOC_HARDER | BB_ALLOC_HIGHATOMIC));

	f = bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_NOWAIT, 0);
	KUNIT_EXPECT_EQ(test, f, (unsigned int)(BB_ALLOC_CPUSET | BB_ALLOC_KSWAPD));
}

/*
 * The reserves each gfp earns, 6.1's rules, flag by flag: __GFP_HIGH gives
 * ALLOC_HIGH whatever else; __GFP_ATOMIC drops the cpuset and, unless
 * __GFP_NOMEMALLOC, gives ALLOC_HARDER, and ALLOC_HIGHATOMIC above order 0.
 */
static void bb_test_gfp_reserve_flags(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB___GFP_HIGH, 0),
			(unsigned int)(BB_ALLOC_HIGH | BB_ALLOC_CPUSET));
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_KERNEL | BB___GFP_HIGH, 3),
			(unsigned int)(BB_ALLOC_HIGH | BB_ALLOC_CPUSET |
				       BB_ALLOC_KSWAPD));
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB___GFP_ATOMIC, 0),
			(unsigned int)BB_ALLOC_HARDER);
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB___GFP_ATOMIC, 1),
			(unsigned int)(BB_ALLOC_HARDER | BB_ALLOC_HIGHATOMIC));
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB___GFP_ATOMIC |
						    BB___GFP_NOMEMALLOC, 0), 0U);
	KUNIT_EXPECT_EQ(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_ATOMIC |
						    BB___GFP_NOMEMALLOC, 2),
			(unsigned int)(BB_ALLOC_HIGH | BB_ALLOC_KSWAPD));
	/* never the flags the slow path adds itself */
	KUNIT_EXPECT_FALSE(test, bb_gfp_to_alloc_flags(&bb_sb_61, BB_GFP_ATOMIC |
						       BB___GFP_MEMALLOC, 4) &
			   (BB_ALLOC_NO_WATERMARKS | BB_ALLOC_OOM |
			    BB_ALLOC_NOFRAGMENT));
}

static void bb_test_gfp_parse(struct kunit *test)
{
	bb_gfp_t gfp = 0;

	KUNIT_EXPECT_EQ(test, bb_parse_gfp("GFP_KERNEL", &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, (bb_gfp_t)BB_GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("GFP_KERNEL|__GFP_MOVABLE|__GFP_ZERO",
					   &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, (bb_gfp_t)(BB_GFP_KERNEL | BB___GFP_MOVABLE |
					      BB___GFP_ZERO));
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("0x41", &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, (bb_gfp_t)0x41);

	gfp = 7;
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("", &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("GFP_FOO", &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("GFP_KERNEL|", &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("|GFP_KERNEL", &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("GFP_KERNEL||__GFP_ZERO", &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse_gfp("gfp_kernel", &gfp), -EINVAL);
	/* a failed parse leaves the result alone */
	KUNIT_EXPECT_EQ(test, gfp, (bb_gfp_t)7);
}

/* A bad request reaches no list: it fails before the zonelist walk. */
static void bb_test_gfp_bad_alloc(struct kunit *test)
{
	struct bb_alloc_result res;
	struct bb_sandbox *sb;
	struct bb_config cfg;

	bb_test_config(&cfg, 8);
	sb = bb_test_sandbox(test, &cfg);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB___GFP_DMA | BB___GFP_DMA32,
					       0, -1, 0, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 11, -1, 0, &res),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, 1, 0, &res),
			-EINVAL);	/* node 1 does not exist */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, -1, 0x2, &res),
			-EINVAL);	/* nor in the nodemask */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sb->alloc_fail[BB_FAIL_INVALID]),
			4L);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), 2048UL);
	/* no DMA zone here: a GFP_DMA request finds no zone */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_DMA, 0, -1, 0, &res),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sb->alloc_fail[BB_FAIL_NO_ZONE]),
			1L);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_gfp_cases[] = {
	KUNIT_CASE(bb_test_gfp_zone),
	KUNIT_CASE(bb_test_gfp_migratetype),
	KUNIT_CASE(bb_test_gfp_bad),
	KUNIT_CASE(bb_test_gfp_alloc_flags),
	KUNIT_CASE(bb_test_gfp_reserve_flags),
	KUNIT_CASE(bb_test_gfp_parse),
	KUNIT_CASE(bb_test_gfp_bad_alloc),
	{}
};

static struct kunit_suite bb_gfp_suite = {
	.name = "buddybox_gfp",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_gfp_cases,
};

kunit_test_suite(bb_gfp_suite);
