// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the policy (policy.c), the fallback counters and the pageblocks'
 * mixedness (fragstat.c), and the fallback rules of each generation.
 *
 * The sandboxes are 4 MiB of Normal: one order-10 block, pageblocks 0 and
 * 512, every page movable, no per-CPU lists.  The expected outcomes are
 * worked out by hand from the kernels' rules in each case's comment.
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
	/* rules not implemented, named or through a generation */
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "fallback=6.15", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "reserves=6.3", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "highatomic=6.12", &p),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "pcp_high=6.7", &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.15", &p),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bb_policy_try(test, "generation=6.10", &p),
			-EINVAL);
	/* what generation 6.10 means, whatever is implemented */
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
	unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES];

	KUNIT_ASSERT_EQ(test, bb_zone_pageblock_counts(sb,
			bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), count), 0);
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
static void bb_fallback_claim_case(struct kunit *test, const char *policy)
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

static struct kunit_case bb_policy_cases[] = {
	KUNIT_CASE(bb_test_policy_values),
	KUNIT_CASE(bb_test_fallback_kinds_61),
	{}
};

static struct kunit_suite bb_policy_suite = {
	.name = "buddybox_policy",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_policy_cases,
};

kunit_test_suite(bb_policy_suite);
