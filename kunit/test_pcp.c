// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-CPU page lists.  High and batch as the kernel derives
 * them, refills and frees in batches, high respected, drain_all_pages()
 * bringing every page back, the bulk allocator, and the checker seeing a
 * broken pcp list.  The test may move between CPUs, so counts are summed
 * over every CPU's lists.
 */
#include <linux/cpumask.h>

#include "bb_test.h"

/* 64 MiB of ZONE_NORMAL with the per-CPU lists on */
static struct bb_sandbox *bb_pcp_sandbox(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 64);
	cfg.pcp_disabled = false;
	return bb_test_sandbox(test, &cfg);
}

static struct bb_zone *bb_pcp_normal(struct bb_sandbox *sb)
{
	return bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
}

/* zone_batchsize() and zone_highsize(), worked out by hand */
static void bb_test_pcp_defaults(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	unsigned int cpu;
	int high;

	/* 16384 pages: >> 10 = 16, / 4 = 4, rounddown_pow_of_two(6) - 1 = 3 */
	KUNIT_EXPECT_EQ(test, zone->pageset_batch, 3);
	high = max_t(int, zone->_watermark[BB_WMARK_LOW] / num_online_cpus(),
		     3 << 2);
	KUNIT_EXPECT_EQ(test, zone->pageset_high, high);
	for_each_possible_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		KUNIT_EXPECT_EQ(test, pcp->batch, 3);
		KUNIT_EXPECT_EQ(test, pcp->high, high);
		KUNIT_EXPECT_EQ(test, pcp->count, 0);
	}

	/* high_fraction 8: an eighth of the zone over the CPUs */
	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_high_fraction(sb, 8), 0);
	KUNIT_EXPECT_EQ(test, zone->pageset_high,
			(int)(16384 / 8 / num_online_cpus()));
	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_high_fraction(sb, 7),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_batch(sb, 31), 0);
	KUNIT_EXPECT_EQ(test, zone->pageset_batch, 31);
	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_batch(sb, -1), -EINVAL);
	bb_expect_check_ok(test, sb);
}

/* One order-0 allocation takes a batch off the buddy lists, keeps the rest */
static void bb_test_pcp_refill_batch(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	unsigned long free0 = zone->nr_free_pages;
	long pfn;

	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_batch(sb, 15), 0);
	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free0 - 15);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), 14UL);
	bb_expect_check_ok(test, sb);

	/* order 2: max(15 >> 2, 2) = 3 blocks of 4 pages, one handed out */
	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 2);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(pfn, 4));
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free0 - 15 - 12);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), 14UL + 8);
	bb_expect_check_ok(test, sb);

	/* order 4 is above PAGE_ALLOC_COSTLY_ORDER: the buddy lists only */
	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 4);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free0 - 15 - 12 - 16);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), 14UL + 8);
	bb_expect_check_ok(test, sb);
}

/* Frees pile up on the lists but never reach high; batches go back */
static void bb_test_pcp_high_respected(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	unsigned long free0 = zone->nr_free_pages;
	unsigned long max_seen = 0;
	const int nr = 512;
	unsigned int cpu;
	long *pfns;
	int i;

	/* high = 16384 / 64 / cpus, at least 4 batches of 7 */
	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_batch(sb, 7), 0);
	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_high_fraction(sb, 64), 0);
	KUNIT_ASSERT_LT(test, zone->pageset_high, nr / 2);

	pfns = kunit_kcalloc(test, nr, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < nr; i++) {
		pfns[i] = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
		KUNIT_ASSERT_GE(test, pfns[i], 0L);
	}
	for (i = 0; i < nr; i++) {
		bb_free_pages(sb, pfns[i], 0);
		for_each_possible_cpu(cpu) {
			struct bb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			KUNIT_EXPECT_LT(test, pcp->count, pcp->high);
			max_seen = max_t(unsigned long, max_seen, pcp->count);
		}
	}
	/* the lists were used, and the rest went back to the buddy lists */
	KUNIT_EXPECT_GT(test, max_seen, 7UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages + bb_zone_pcp_count(zone),
			free0);
	bb_expect_check_ok(test, sb);
}

/* drain_all_pages() puts everything back where boot left it */
static void bb_test_pcp_drain(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	unsigned long initial[BB_MAX_ORDER];
	long pfns[64];
	int i;

	for (i = 0; i < BB_MAX_ORDER; i++)
		initial[i] = zone->free_area[i].nr_free;
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		pfns[i] = bb_test_alloc(test, sb, i % 3 ? BB_GFP_KERNEL :
					BB_GFP_HIGHUSER_MOVABLE, i % 4);
		KUNIT_ASSERT_GE(test, pfns[i], 0L);
	}
	/*
	 * Freeing a high-order block right after another free flushes the
	 * list (free_high); order 0 last, so that pages stay on the lists.
	 */
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		if (i % 4)
			bb_free_pages(sb, pfns[i], i % 4);
	for (i = 0; i < ARRAY_SIZE(pfns); i += 4)
		bb_free_pages(sb, pfns[i], 0);
	KUNIT_EXPECT_GT(test, bb_zone_pcp_count(zone), 0UL);
	bb_expect_check_ok(test, sb);

	bb_drain_all_pages(sb, NULL);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	for (i = 0; i < BB_MAX_ORDER; i++)
		KUNIT_EXPECT_EQ_MSG(test, zone->free_area[i].nr_free, initial[i],
				    "order %d", i);
	bb_expect_check_ok(test, sb);
}

/* alloc_pages_bulk(): distinct pages, all counted, all given back */
static void bb_test_pcp_bulk(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	const unsigned int nr = 300;
	unsigned long *pfns, *seen;
	unsigned int i;
	int n;

	pfns = kunit_kcalloc(test, nr, sizeof(*pfns), GFP_KERNEL);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(sb->region.nr_pages),
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	n = bb_alloc_pages_bulk(sb, BB_GFP_KERNEL, -1, nr, pfns);
	KUNIT_ASSERT_EQ(test, n, (int)nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_TRUE(test, bb_zone_spans_pfn(zone, pfns[i]));
		KUNIT_EXPECT_FALSE_MSG(test, __test_and_set_bit(pfns[i], seen),
				       "pfn %lu twice", pfns[i]);
		KUNIT_EXPECT_EQ(test, bb_pfn_to_page_ext(sb, pfns[i])->flags,
				BB_PG_ALLOC);
	}
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_PGALLOC), (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb) + bb_zone_pcp_count(zone),
			sb->region.nr_pages - nr);
	bb_expect_check_ok(test, sb);

	KUNIT_EXPECT_EQ(test, bb_alloc_pages_bulk(sb, BB_GFP_KERNEL, -1, 0, pfns),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bb_alloc_pages_bulk(sb, BB___GFP_DMA | BB___GFP_DMA32,
						  -1, 4, pfns), -EINVAL);

	bb_free_pages_bulk(sb, pfns, nr);
	bb_drain_all_pages(sb, NULL);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	bb_expect_check_ok(test, sb);
}

/* A pcp count that lies, and a pcp block off its list, are reported */
static void bb_test_pcp_check_detects(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	struct bb_check_report rep = { };
	struct bb_per_cpu_pages *pcp = NULL;
	struct bb_page *page;
	unsigned int cpu;
	long pfn;

	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	for_each_possible_cpu(cpu) {
		if (per_cpu_ptr(zone->per_cpu_pageset, cpu)->count) {
			pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
			break;
		}
	}
	KUNIT_ASSERT_NOT_NULL(test, pcp);

	pcp->count++;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	pcp->count--;
	bb_expect_check_ok(test, sb);

	/* take a block off its list but leave it marked as a pcp block */
	page = list_first_entry(&pcp->lists[bb_order_to_pindex(BB_MIGRATE_UNMOVABLE, 0)],
				struct bb_page, lru);
	list_del_init(&page->lru);
	pcp->count--;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	list_add(&page->lru,
		 &pcp->lists[bb_order_to_pindex(BB_MIGRATE_UNMOVABLE, 0)]);
	pcp->count++;
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, pfn, 0);
}

static struct kunit_case bb_pcp_cases[] = {
	KUNIT_CASE(bb_test_pcp_defaults),
	KUNIT_CASE(bb_test_pcp_refill_batch),
	KUNIT_CASE(bb_test_pcp_high_respected),
	KUNIT_CASE(bb_test_pcp_drain),
	KUNIT_CASE(bb_test_pcp_bulk),
	KUNIT_CASE(bb_test_pcp_check_detects),
	{}
};

static struct kunit_suite bb_pcp_suite = {
	.name = "buddybox_pcp",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_pcp_cases,
};

kunit_test_suite(bb_pcp_suite);
