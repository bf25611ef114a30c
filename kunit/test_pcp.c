// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-CPU page lists.  High and batch as the kernel derives
 * them, refills and frees in batches, high respected, drain_all_pages()
 * bringing every page back, the bulk allocator, and the checker seeing a
 * broken pcp list.  The sizing rules of pcp.h (zone_batchsize(),
 * zone_highsize(), the refill count, free_high, nr_pcp_high(),
 * nr_pcp_free() and its free_factor) against numbers worked out by hand
 * from 6.1's rules.  The test may move between CPUs, so counts are summed
 * over every CPU's lists.
 */
#include <linux/cpumask.h>
#include <linux/preempt.h>

#include "bb_test.h"
#include "pcp.h"

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

/*
 * zone_batchsize() by hand (4 KiB pages: 1 MiB is 256 pages):
 * managed >> 10, at most 256; / 4, at least 1; b + b / 2 rounded down to
 * a power of two, minus 1.
 */
static void bb_test_pcp_zone_batchsize(struct kunit *test)
{
	static const struct {
		unsigned long managed;
		int batch;
	} cases[] = {
		{ 0, 0 },		/* 0 -> 1 -> 1 -> 1 - 1 */
		{ 1024, 0 },		/* 4 MiB: 1 -> 0, so 1 -> 1 -> 0 */
		{ 8191, 0 },		/* 7 -> 1 -> 1 -> 0 */
		{ 8192, 1 },		/* 32 MiB: 8 -> 2 -> 3 -> 2 - 1 */
		{ 16384, 3 },		/* 64 MiB: 16 -> 4 -> 6 -> 4 - 1 */
		{ 40960, 7 },		/* 160 MiB: 40 -> 10 -> 15 -> 8 - 1 */
		{ 65536, 15 },		/* 256 MiB: 64 -> 16 -> 24 -> 16 - 1 */
		{ 131072, 31 },		/* 512 MiB: 128 -> 32 -> 48 -> 32 - 1 */
		{ 262144, 63 },		/* 1 GiB: 256 -> 64 -> 96 -> 64 - 1 */
		{ 4194304, 63 },	/* 16 GiB: capped at 256, as 1 GiB */
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, PAGE_SIZE, 4096UL);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, bb_zone_batchsize(cases[i].managed),
				    cases[i].batch, "%lu managed pages",
				    cases[i].managed);
}

/* zone_highsize(): a CPU's share, but room for four batches */
static void bb_test_pcp_zone_highsize(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(1000, 4, 3), 250);
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(1003, 4, 3), 250);
	/* 10 / 4 = 2 is less than 4 batches of 3 */
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(10, 4, 3), 12);
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(48, 4, 3), 12);
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(52, 4, 3), 13);
	/* no CPU counted: the whole share */
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(100, 0, 1), 100);
	/* pcp disabled has no batch to make room for */
	KUNIT_EXPECT_EQ(test, bb_zone_highsize(0, 2, 0), 0);
}

/* __rmqueue_pcplist()'s refill, free_high and nr_pcp_high() */
static void bb_test_pcp_refill_and_high(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(15, 0), 15);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(15, 1), 7);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(15, 2), 3);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(15, 3), 2);	/* 1, 2 at least */
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(63, BB_PAGEBLOCK_ORDER), 2);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(1, 0), 1);
	/* a batch of 1 is never scaled, nor raised to two blocks */
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(1, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(1, BB_PAGEBLOCK_ORDER), 1);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count(3, 3), 2);

	/* free_high: orders 1 .. 3 while frees follow frees */
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high(0, 1));
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high(1, 0));
	KUNIT_EXPECT_TRUE(test, bb_pcp_free_high(1, 1));
	KUNIT_EXPECT_TRUE(test, bb_pcp_free_high(3, BB_PAGE_ALLOC_COSTLY_ORDER));
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high(1, BB_PAGE_ALLOC_COSTLY_ORDER + 1));
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high(5, BB_PAGEBLOCK_ORDER));

	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(100, 7, false, false), 100);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(100, 7, false, true), 0);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(0, 7, false, false), 0);
	/* kswapd reclaiming the zone: four batches at most */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(100, 7, true, false), 28);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(20, 7, true, false), 20);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_high(100, 7, true, true), 0);
}

/*
 * nr_pcp_free() with high 100 and batch 7: frees in a row give back 7,
 * 14, 28, 56 (free_factor 0 .. 3, each raising it), then 93 = high - batch
 * from then on (112 would leave less than a batch; free_factor stays 4).
 */
static void bb_test_pcp_nr_pcp_free(struct kunit *test)
{
	static const int expect[] = { 7, 14, 28, 56, 93, 93 };
	static const short factor_after[] = { 1, 2, 3, 4, 4, 4 };
	short free_factor = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		KUNIT_EXPECT_EQ_MSG(test, bb_nr_pcp_free(150, 100, 7, &free_factor,
							 false),
				    expect[i], "free %u", i);
		KUNIT_EXPECT_EQ_MSG(test, free_factor, factor_after[i],
				    "free %u", i);
	}
	/* an allocation halves the factor: 7 << 2 = 28, and up again */
	free_factor >>= 1;
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free(150, 100, 7, &free_factor, false), 28);
	KUNIT_EXPECT_EQ(test, free_factor, 3);

	/* free_high: the whole list, the factor untouched */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free(42, 0, 7, &free_factor, true), 42);
	KUNIT_EXPECT_EQ(test, free_factor, 3);

	/* high below a batch: one page at a time */
	free_factor = 0;
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free(5, 2, 3, &free_factor, false), 1);
	KUNIT_EXPECT_EQ(test, free_factor, 0);
	/* high of a batch and a bit: what is above a batch, no doubling */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free(10, 10, 7, &free_factor, false), 3);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free(7, 7, 7, &free_factor, false), 0);
	KUNIT_EXPECT_EQ(test, free_factor, 0);

	/*
	 * A high far above the batch: 7 << 0 .. 7 << 5, then the factor stops
	 * at CONFIG_PCP_BATCH_SCALE_MAX (5) and every free gives back 224.
	 */
	free_factor = 0;
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, bb_nr_pcp_free(20000, 10000, 7, &free_factor,
							 false),
				    7 << min(i, 5U), "free %u", i);
	KUNIT_EXPECT_EQ(test, free_factor, 5);
}

/*
 * The rules at work, on this CPU's list with batch 7 and high h (at least
 * four batches): h - 1 frees in a row stay; the h-th gives back a batch
 * (7, free_factor 0 -> 1), leaving h - 7; seven more bring the list to h
 * again, which gives back two batches (7 << 1, free_factor 1 -> 2).
 */
static void bb_test_pcp_free_over_high(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_sandbox(test);
	struct bb_zone *zone = bb_pcp_normal(sb);
	int below, first, first_factor, second, second_factor;
	struct bb_per_cpu_pages *pcp;
	int i, high, nr;
	long *pfns;

	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_batch(sb, 7), 0);
	high = zone->pageset_high;
	KUNIT_ASSERT_GE(test, high, 4 * 7);
	nr = high + 7;
	pfns = kunit_kcalloc(test, nr, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < nr; i++) {
		pfns[i] = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
		KUNIT_ASSERT_GE(test, pfns[i], 0L);
	}
	bb_drain_all_pages(sb, NULL);

	/* every free on one CPU's list, none of it drained meanwhile */
	preempt_disable();
	pcp = this_cpu_ptr(zone->per_cpu_pageset);
	pcp->free_factor = 0;
	for (i = 0; i < high - 1; i++)
		bb_free_pages(sb, pfns[i], 0);
	below = pcp->count;
	bb_free_pages(sb, pfns[i++], 0);
	first = pcp->count;
	first_factor = pcp->free_factor;
	while (i < nr)
		bb_free_pages(sb, pfns[i++], 0);
	second = pcp->count;
	second_factor = pcp->free_factor;
	preempt_enable();

	KUNIT_EXPECT_EQ(test, below, high - 1);
	KUNIT_EXPECT_EQ(test, first, high - 7);
	KUNIT_EXPECT_EQ(test, first_factor, 1);
	KUNIT_EXPECT_EQ(test, second, high - 14);
	KUNIT_EXPECT_EQ(test, second_factor, 2);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), (unsigned long)high - 14);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_pcp_cases[] = {
	KUNIT_CASE(bb_test_pcp_defaults),
	KUNIT_CASE(bb_test_pcp_refill_batch),
	KUNIT_CASE(bb_test_pcp_high_respected),
	KUNIT_CASE(bb_test_pcp_drain),
	KUNIT_CASE(bb_test_pcp_bulk),
	KUNIT_CASE(bb_test_pcp_check_detects),
	KUNIT_CASE(bb_test_pcp_zone_batchsize),
	KUNIT_CASE(bb_test_pcp_zone_highsize),
	KUNIT_CASE(bb_test_pcp_refill_and_high),
	KUNIT_CASE(bb_test_pcp_nr_pcp_free),
	KUNIT_CASE(bb_test_pcp_free_over_high),
	{}
};

static struct kunit_suite bb_pcp_suite = {
	.name = "buddybox_pcp",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_pcp_cases,
};

kunit_test_suite(bb_pcp_suite);
