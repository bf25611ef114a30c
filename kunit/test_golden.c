// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: fingerprints of the allocator's decisions.
 *
 * Each case drives a seeded workload through the core and folds every
 * decision it can see into one 64-bit FNV-1a hash: the pfn, zone and
 * pageblock type of every allocation, every failure, where compaction moved
 * each allocation, the free lists and pageblock types at the end, and the
 * fallback, boost, compaction and reclaim counters.  The expected values
 * were recorded from the 6.1 mirror whose page frames matched 6.1's rules,
 * and again, on purpose, when the refill of a per-CPU list whose batch is
 * 1 was brought to 6.1's rule (one block of any order, not two: every
 * zone here is that small); a rewrite of the core that keeps the kernel's rules keeps every one of
 * them.  A change that means to change a decision changes a fingerprint,
 * and the case prints the new value so that it can be recorded on purpose.
 *
 * The workloads run with migration disabled, so that the per-CPU lists
 * they use are those of one CPU, without the daemons (nothing but the test
 * touches the sandbox), and reproducible: need_resched() does not cut a
 * direct compaction short.
 */
#include <linux/prandom.h>
#include <linux/preempt.h>

#include "bb_test.h"

#define BB_FNV_OFFSET	0xcbf29ce484222325ULL
#define BB_FNV_PRIME	0x100000001b3ULL

struct bb_golden {
	u64 hash;
	unsigned long allocs;
	unsigned long fails;
};

static void bb_golden_mix(struct bb_golden *g, u64 v)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		g->hash ^= (v >> (i * 8)) & 0xff;
		g->hash *= BB_FNV_PRIME;
	}
}

/* what the sandbox looks like now: free lists, pageblock types, counters */
static void bb_golden_mix_state(struct bb_golden *g, struct bb_sandbox *sb)
{
	static const enum bb_zone_stat_item items[] = {
		BB_PGALLOC, BB_PGFREE, BB_ALLOC_FALLBACK, BB_ALLOC_STEAL,
		BB_ALLOC_CLAIM, BB_ALLOC_HIGHATOMIC_RESERVE, BB_ALLOC_BOOST,
		BB_ALLOC_SLOWPATH,
	};
	static const enum bb_vm_event_item events[] = {
		BB_PGSCAN_DIRECT, BB_PGSTEAL_DIRECT, BB_PGMIGRATE_SUCCESS,
		BB_PGMIGRATE_FAIL, BB_COMPACTMIGRATE_SCANNED,
		BB_COMPACTFREE_SCANNED, BB_COMPACTISOLATED, BB_COMPACTSTALL,
		BB_COMPACTFAIL, BB_COMPACTSUCCESS, BB_ALLOCSTALL_NORMAL,
	};
	struct bb_zone *zone;
	unsigned long pfn;
	unsigned int i;
	int mt;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (!bb_populated_zone(zone))
			continue;
		for (i = 0; i < BB_MAX_ORDER; i++) {
			for (mt = 0; mt < BB_MIGRATE_TYPES; mt++) {
				struct list_head *pos;
				u64 n = 0;

				list_for_each(pos, &zone->free_area[i].free_list[mt])
					n++;
				bb_golden_mix(g, n);
			}
		}
		for (pfn = zone->zone_start_pfn; pfn < bb_zone_end_pfn(zone);
		     pfn += BB_PAGEBLOCK_NR_PAGES)
			bb_golden_mix(g, bb_get_pageblock_migratetype(sb, pfn));
		for (i = 0; i < ARRAY_SIZE(items); i++)
			bb_golden_mix(g, bb_zone_stat(zone, items[i]));
		bb_golden_mix(g, zone->nr_free_pages);
		bb_golden_mix(g, zone->nr_reserved_highatomic);
		bb_golden_mix(g, zone->watermark_boost);
	}
	for (i = 0; i < ARRAY_SIZE(events); i++)
		bb_golden_mix(g, bb_sum_event(sb, events[i]));
}

static void bb_golden_expect(struct kunit *test, struct bb_golden *g,
			     u64 expected)
{
	kunit_info(test, "fingerprint %016llx (%lu allocations, %lu failures)\n",
		   g->hash, g->allocs, g->fails);
	KUNIT_EXPECT_GT(test, g->allocs, 0UL);
	KUNIT_EXPECT_EQ_MSG(test, g->hash, expected,
			    "the allocator decided differently: fingerprint %016llx, recorded %016llx",
			    g->hash, expected);
}

static const bb_gfp_t bb_golden_gfps[] = {
	BB_GFP_KERNEL,
	BB_GFP_KERNEL | BB___GFP_MOVABLE,
	BB_GFP_KERNEL | BB___GFP_RECLAIMABLE,
	BB_GFP_HIGHUSER_MOVABLE,
	BB_GFP_HIGHUSER_MOVABLE,
	BB_GFP_ATOMIC,
	BB_GFP_NOWAIT,
	BB_GFP_DMA32,
	BB_GFP_KERNEL | BB___GFP_THISNODE,
	BB_GFP_KERNEL | BB___GFP_NORETRY,
	BB_GFP_HIGHUSER_MOVABLE | BB___GFP_RETRY_MAYFAIL,
};

#define BB_GOLDEN_SLOTS	128

struct bb_golden_slot {
	long pfn;		/* -1: empty */
	unsigned int order;
};

/*
 * Random allocations and frees through __bb_alloc_pages(): every order,
 * every type, both nodes, the pcp lists on, the zones under pressure so
 * that fallbacks, highatomic reserves, boosts and the slow path all run.
 */
static void bb_golden_random(struct kunit *test, struct bb_sandbox *sb,
			     u64 seed, unsigned int steps, struct bb_golden *g)
{
	struct bb_golden_slot *slot;
	struct rnd_state rnd;
	unsigned int i, step;

	slot = kunit_kcalloc(test, BB_GOLDEN_SLOTS, sizeof(*slot), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	for (i = 0; i < BB_GOLDEN_SLOTS; i++)
		slot[i].pfn = -1;

	prandom_seed_state(&rnd, seed);
	for (step = 0; step < steps; step++) {
		u32 r = prandom_u32_state(&rnd);
		struct bb_golden_slot *s = &slot[r % BB_GOLDEN_SLOTS];
		struct bb_alloc_result res;
		unsigned int order;
		bb_gfp_t gfp;
		int ret;

		if (s->pfn >= 0) {
			bb_free_pages(sb, s->pfn, s->order);
			s->pfn = -1;
			continue;
		}
		r = prandom_u32_state(&rnd);
		order = (r & 3) ? (r >> 2) % 4 : (r >> 2) % BB_MAX_ORDER;
		gfp = bb_golden_gfps[(r >> 8) % ARRAY_SIZE(bb_golden_gfps)];
		ret = __bb_alloc_pages(sb, gfp, order, (r >> 16) % sb->nr_nodes,
				       0, &res);
		if (ret) {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			bb_golden_mix(g, ~0ULL);
			g->fails++;
			continue;
		}
		s->pfn = res.pfn;
		s->order = order;
		bb_golden_mix(g, res.pfn);
		bb_golden_mix(g, res.zone->idx | bb_zone_to_nid(res.zone) << 4 |
			      res.migratetype << 8);
		g->allocs++;
	}
	bb_golden_mix_state(g, sb);
	for (i = 0; i < BB_GOLDEN_SLOTS; i++)
		if (slot[i].pfn >= 0)
			bb_free_pages(sb, slot[i].pfn, slot[i].order);
	bb_drain_all_pages(sb, NULL);
	bb_golden_mix_state(g, sb);
	bb_expect_check_ok(test, sb);
}

static void bb_test_golden_zones(struct kunit *test)
{
	struct bb_golden g = { .hash = BB_FNV_OFFSET };
	struct bb_config cfg;
	struct bb_sandbox *sb;

	bb_test_config(&cfg, 12);
	cfg.dma_mb = 2;
	cfg.dma32_mb = 4;
	cfg.pcp_disabled = false;
	cfg.reproducible = true;
	sb = bb_test_sandbox(test, &cfg);
	migrate_disable();
	bb_golden_random(test, sb, 11, 6000, &g);
	migrate_enable();
	bb_golden_expect(test, &g, 0x8af164422a595266ULL);
}

static void bb_test_golden_numa(struct kunit *test)
{
	struct bb_golden g = { .hash = BB_FNV_OFFSET };
	struct bb_config cfg;
	struct bb_sandbox *sb;

	bb_test_config(&cfg, 16);
	cfg.nodes = 2;
	cfg.dma_mb = 2;
	cfg.dma32_mb = 2;
	cfg.movable_mb = 2;
	cfg.pcp_disabled = false;
	cfg.reproducible = true;
	sb = bb_test_sandbox(test, &cfg);
	migrate_disable();
	bb_golden_random(test, sb, 12, 6000, &g);
	migrate_enable();
	bb_golden_expect(test, &g, 0x247f9f36adb8ad56ULL);
}

/* no pcp lists: every request reaches the buddy lists and their fallbacks */
static void bb_test_golden_buddy(struct kunit *test)
{
	struct bb_golden g = { .hash = BB_FNV_OFFSET };
	struct bb_config cfg;

	bb_test_config(&cfg, 8);
	cfg.reproducible = true;
	bb_golden_random(test, bb_test_sandbox(test, &cfg), 13, 6000, &g);
	bb_golden_expect(test, &g, 0x7bc892366480f13dULL);
}

/*
 * Owners' movable and cache allocations, half of them freed, then
 * unmovable and order-9 requests that need direct reclaim and compaction,
 * then a full compaction: where every allocation ended up is hashed.
 */
static void bb_test_golden_compaction(struct kunit *test)
{
	struct bb_golden g = { .hash = BB_FNV_OFFSET };
	struct bb_owner owner, cache;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct rnd_state rnd;
	unsigned int i, nr = 0;
	struct bb_alloc a;
	u32 *handle;

	bb_test_config(&cfg, 16);
	cfg.pcp_disabled = false;
	cfg.reproducible = true;
	sb = bb_test_sandbox(test, &cfg);
	handle = kunit_kcalloc(test, 4096, sizeof(*handle), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, handle);
	bb_owner_init(&owner, sb);
	bb_owner_init(&cache, sb);
	prandom_seed_state(&rnd, 14);
	migrate_disable();

	/* fill most of the zone with movable and cache pages */
	while (nr < 3000) {
		u32 r = prandom_u32_state(&rnd);
		bool is_cache = !(r % 5);
		int ret;

		ret = bb_owner_alloc(is_cache ? &cache : &owner,
				     BB_GFP_HIGHUSER_MOVABLE, (r >> 8) % 3 ? 0 : 1,
				     -1, 0, is_cache ? BB_ALLOC_F_CACHE : 0,
				     NULL, &a);
		if (ret)
			break;
		handle[nr++] = is_cache ? 0 : a.handle;
		bb_golden_mix(&g, a.pfn);
		g.allocs++;
	}
	/* free a random half of the movable ones */
	for (i = 0; i < nr; i++) {
		if (!handle[i] || (prandom_u32_state(&rnd) & 1))
			continue;
		KUNIT_EXPECT_EQ(test, bb_owner_free(&owner, handle[i]), 0);
		handle[i] = 0;
	}
	bb_golden_mix_state(&g, sb);
	/* unmovable and reclaimable long-lived ones, and THP-sized requests */
	for (i = 0; i < 200; i++) {
		u32 r = prandom_u32_state(&rnd);
		bb_gfp_t gfp = (r & 1) ? BB_GFP_KERNEL :
			       BB_GFP_KERNEL | BB___GFP_RECLAIMABLE;
		unsigned int order = (r >> 4) % 3;
		int ret;

		if (!(i % 10)) {
			gfp = BB_GFP_HIGHUSER_MOVABLE | BB___GFP_RETRY_MAYFAIL;
			order = BB_PAGEBLOCK_ORDER;
		}
		ret = bb_owner_alloc(&owner, gfp, order, -1, 0, 0, NULL, &a);
		bb_golden_mix(&g, ret ? ~0ULL : a.pfn);
		if (ret)
			g.fails++;
		else
			g.allocs++;
	}
	bb_golden_mix_state(&g, sb);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, -1), 0);
	for (i = 0; i < nr; i++) {
		if (!handle[i])
			continue;
		KUNIT_EXPECT_EQ(test, bb_owner_lookup(&owner, handle[i], &a), 0);
		bb_golden_mix(&g, a.pfn);
	}
	bb_golden_mix_state(&g, sb);
	migrate_enable();
	bb_expect_check_ok(test, sb);
	bb_owner_release(&cache);
	bb_owner_release(&owner);
	bb_drain_all_pages(sb, NULL);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	bb_golden_expect(test, &g, 0xbf9c4ae98231f45fULL);
}

static struct kunit_case bb_golden_cases[] = {
	KUNIT_CASE(bb_test_golden_zones),
	KUNIT_CASE(bb_test_golden_numa),
	KUNIT_CASE(bb_test_golden_buddy),
	KUNIT_CASE(bb_test_golden_compaction),
	{}
};

static struct kunit_suite bb_golden_suite = {
	.name = "buddybox_golden",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_golden_cases,
};

kunit_test_suite(bb_golden_suite);
