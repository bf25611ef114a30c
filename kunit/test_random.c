// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: randomised alloc/free sequences, with the consistency checker
 * after every step, and everything back to the initial free lists at the
 * end (after draining the per-CPU lists, which are on here).  The random
 * stream is seeded, so a failure can be replayed.
 */
#include <linux/prandom.h>

#include "bb_test.h"

#define BB_RANDOM_STEPS		600
#define BB_RANDOM_SLOTS		96

static const bb_gfp_t bb_random_gfps[] = {
	BB_GFP_KERNEL,
	BB_GFP_KERNEL | BB___GFP_MOVABLE,
	BB_GFP_KERNEL | BB___GFP_RECLAIMABLE,
	BB_GFP_HIGHUSER_MOVABLE,
	BB_GFP_ATOMIC,
	BB_GFP_NOWAIT,
	BB_GFP_DMA32,
	BB_GFP_DMA | BB___GFP_ZERO,
	BB_GFP_KERNEL | BB___GFP_THISNODE,
	BB_GFP_KERNEL | BB___GFP_MEMALLOC,
};

struct bb_random_slot {
	long pfn;		/* -1: empty */
	unsigned int order;
};

void bb_random_run(struct kunit *test, struct bb_sandbox *sb, u64 seed)
{
	unsigned long initial[BB_MAX_NUMNODES][BB_MAX_NR_ZONES][BB_MAX_ORDER];
	struct bb_random_slot *slot;
	struct rnd_state rnd;
	unsigned long ok = 0, failed = 0;
	struct bb_zone *zone;
	int i, step;

	slot = kunit_kcalloc(test, BB_RANDOM_SLOTS, sizeof(*slot), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	for (i = 0; i < BB_RANDOM_SLOTS; i++)
		slot[i].pfn = -1;
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		for (i = 0; i < BB_MAX_ORDER; i++)
			initial[bb_zone_to_nid(zone)][zone->idx][i] =
				zone->free_area[i].nr_free;

	prandom_seed_state(&rnd, seed);
	for (step = 0; step < BB_RANDOM_STEPS; step++) {
		struct bb_random_slot *s = &slot[prandom_u32_state(&rnd) % BB_RANDOM_SLOTS];

		if (s->pfn < 0) {
			u32 r = prandom_u32_state(&rnd);
			/* mostly small orders, sometimes big ones */
			unsigned int order = (r & 7) ? (r >> 3) % 4 : (r >> 3) % BB_MAX_ORDER;
			bb_gfp_t gfp = bb_random_gfps[(r >> 8) % ARRAY_SIZE(bb_random_gfps)];
			int preferred = (r >> 16) % sb->nr_nodes;
			struct bb_alloc_result res;
			int ret = __bb_alloc_pages(sb, gfp, order, preferred, 0, &res);

			KUNIT_EXPECT_TRUE_MSG(test, ret == 0 || ret == -ENOMEM,
					      "step %d: %d", step, ret);
			if (!ret) {
				s->pfn = res.pfn;
				s->order = order;
				ok++;
				KUNIT_EXPECT_TRUE(test, bb_zone_spans_pfn(res.zone,
									  res.pfn));
				KUNIT_EXPECT_LE(test, (int)res.zone->idx,
						(int)bb_gfp_zone(gfp));
			} else {
				failed++;
			}
		} else {
			bb_free_pages(sb, s->pfn, s->order);
			s->pfn = -1;
		}
		bb_expect_check_ok(test, sb);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "seed %llu failed at step %d\n", seed, step);
			return;
		}
	}
	/* both outcomes must have happened for the run to mean something */
	KUNIT_EXPECT_GT(test, ok, 0UL);
	kunit_info(test, "seed %llu: %lu allocations, %lu failures\n", seed, ok,
		   failed);

	for (i = 0; i < BB_RANDOM_SLOTS; i++)
		if (slot[i].pfn >= 0)
			bb_free_pages(sb, slot[i].pfn, slot[i].order);
	bb_drain_all_pages(sb, NULL);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	/*
	 * Everything free again merges back to what boot left, but for blocks
	 * of pageblocks whose types now differ across a highatomic reserve.
	 */
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (zone->nr_reserved_highatomic)
			continue;
		for (i = 0; i < BB_MAX_ORDER; i++)
			KUNIT_EXPECT_EQ_MSG(test, zone->free_area[i].nr_free,
					    initial[bb_zone_to_nid(zone)][zone->idx][i],
					    "node %d zone %s order %d", bb_zone_to_nid(zone),
					    zone->name, i);
	}
	bb_expect_check_ok(test, sb);
}

static void bb_test_random_one_node(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 16);
	cfg.dma_mb = 2;
	cfg.dma32_mb = 4;
	cfg.pcp_disabled = false;
	bb_random_run(test, bb_test_sandbox(test, &cfg), 1);
}

static void bb_test_random_numa(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 16);
	cfg.nodes = 2;
	cfg.dma_mb = 2;
	cfg.dma32_mb = 2;
	cfg.movable_mb = 2;
	cfg.pcp_disabled = false;
	bb_random_run(test, bb_test_sandbox(test, &cfg), 2);
}

/* A small region under pressure: many failures, still consistent. */
static void bb_test_random_pressure(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 4);
	cfg.pcp_disabled = false;
	bb_random_run(test, bb_test_sandbox(test, &cfg), 3);
}

static struct kunit_case bb_random_cases[] = {
	KUNIT_CASE(bb_test_random_one_node),
	KUNIT_CASE(bb_test_random_numa),
	KUNIT_CASE(bb_test_random_pressure),
	{}
};

static struct kunit_suite bb_random_suite = {
	.name = "buddybox_random",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_random_cases,
};

kunit_test_suite(bb_random_suite);
