// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pcp_high=6.7, each per-CPU list's high tuned between high_min and
 * high_max.  The rules of pcp.h on lists set up by hand (batch 7, high_min
 * 28, high_max 200 unless a case says otherwise), then a sandbox: the
 * bounds it derives, frees raising high up to high_max, the vmstat round's
 * decay and drain, the checker's bounds.  The expected numbers are worked
 * out by hand from 6.7's rules in each case's comment; 6.1's fixed high is
 * test_pcp.c's.
 */
#include <linux/cpumask.h>
#include <linux/preempt.h>

#include "bb_test.h"
#include "pcp.h"

static void bb_pcp_by_hand(struct bb_per_cpu_pages *pcp, int high, int count,
			   int free_count)
{
	memset(pcp, 0, sizeof(*pcp));
	pcp->batch = 7;
	pcp->high_min = 28;
	pcp->high_max = 200;
	pcp->high = high;
	pcp->count = count;
	pcp->free_count = free_count;
}

/*
 * Refills of an empty list, order 0, no free between: batch << alloc_factor
 * pages, high raised by as much first, capped at 200; room is high - count
 * - batch.  high 0 is first brought up to high_min 28.
 *   refill 1: 7 pages, high 35, room 28: alloc_factor 1
 *   refill 2: 14, high 49, room 42: 2;  3: 28, high 77: 3;  4: 56, high 133: 4
 *   refill 5: 112, high 200 (245 capped), room 193: 5
 *   refill 6: 224 > room 193: 193 pages, alloc_factor stays 5
 */
static void bb_test_pcp_high_refill(struct kunit *test)
{
	static const int pages[] = { 7, 14, 28, 56, 112, 193 };
	static const int high[] = { 35, 49, 77, 133, 200, 200 };
	static const short factor[] = { 1, 2, 3, 4, 5, 5 };
	struct bb_per_cpu_pages pcp;
	unsigned int i;

	bb_pcp_by_hand(&pcp, 0, 0, 0);
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		KUNIT_EXPECT_EQ_MSG(test, bb_pcp_refill_count_tuned(&pcp, 0, false),
				    pages[i], "refill %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, pcp.high, high[i], "refill %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, pcp.alloc_factor, factor[i],
				    "refill %u", i + 1);
	}

	/* below the high watermark: high stays; room 28 - 0 - 7 = 21 >= 7 */
	bb_pcp_by_hand(&pcp, 28, 0, 0);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count_tuned(&pcp, 0, true), 7);
	KUNIT_EXPECT_EQ(test, pcp.high, 28);
	KUNIT_EXPECT_EQ(test, pcp.alloc_factor, 1);

	/* order 2: a batch's worth, 7 >> 2 = 1 but two blocks; high + 7 */
	bb_pcp_by_hand(&pcp, 28, 0, 0);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count_tuned(&pcp, 2, false), 2);
	KUNIT_EXPECT_EQ(test, pcp.high, 35);
	KUNIT_EXPECT_EQ(test, pcp.alloc_factor, 0);

	/* high_min == high_max (a high_fraction by hand): high never moves */
	bb_pcp_by_hand(&pcp, 28, 0, 0);
	pcp.high_max = 28;
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count_tuned(&pcp, 0, false), 7);
	KUNIT_EXPECT_EQ(test, pcp.high, 28);

	/* lists off (high 0, batch 1): one block */
	bb_pcp_by_hand(&pcp, 0, 0, 0);
	pcp.batch = 1;
	pcp.high_min = 0;
	pcp.high_max = 0;
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count_tuned(&pcp, 0, false), 1);
	KUNIT_EXPECT_EQ(test, bb_pcp_refill_count_tuned(&pcp, 3, false), 1);
}

/*
 * nr_pcp_high() under 6.7, batch 7, bounds 28 .. 200.  Returns the mark
 * this free is held against; pcp.high is what the next free sees.
 */
static void bb_test_pcp_high_on_free(struct kunit *test)
{
	struct bb_per_cpu_pages pcp;

	/* below high, no pressure: nothing moves */
	bb_pcp_by_hand(&pcp, 28, 10, 10);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, false), 28);
	KUNIT_EXPECT_EQ(test, pcp.high, 28);
	/* at high: room for free_count 40 and a batch, from the next free */
	bb_pcp_by_hand(&pcp, 28, 28, 40);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, false), 28);
	KUNIT_EXPECT_EQ(test, pcp.high, 47);
	/* ... capped at high_max: 190 -> min(300 + 7, 200) */
	bb_pcp_by_hand(&pcp, 190, 190, 300);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, false), 190);
	KUNIT_EXPECT_EQ(test, pcp.high, 200);
	/* ... and never lowered by it: free_count 3 + 7 < 100 */
	bb_pcp_by_hand(&pcp, 100, 100, 3);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, false), 100);
	KUNIT_EXPECT_EQ(test, pcp.high, 100);
	/* a high above high_max (bounds lowered since) counts as high_max */
	bb_pcp_by_hand(&pcp, 500, 10, 0);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, false), 200);
	KUNIT_EXPECT_EQ(test, pcp.high, 200);

	/* kswapd at work: high less max(3, 7) = 93, the mark 4 batches */
	bb_pcp_by_hand(&pcp, 100, 50, 3);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, true, false, false), 28);
	KUNIT_EXPECT_EQ(test, pcp.high, 93);
	/* below the high watermark: 100 - 20 = 80, the mark the count (50) */
	bb_pcp_by_hand(&pcp, 100, 50, 20);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, true, false), 50);
	KUNIT_EXPECT_EQ(test, pcp.high, 80);
	/* ... never under high_min: 30 - 20 -> 28, the mark 28 > count 5 */
	bb_pcp_by_hand(&pcp, 30, 5, 20);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, true, false), 28);
	KUNIT_EXPECT_EQ(test, pcp.high, 28);
	/* ... and not at all when high is fixed (high_min == high_max) */
	bb_pcp_by_hand(&pcp, 100, 50, 20);
	pcp.high_min = 100;
	pcp.high_max = 100;
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, true, false), 100);
	KUNIT_EXPECT_EQ(test, pcp.high, 100);

	/* free_high: mark 0, high less 7 << 5 = 224: 300 -> 76, 100 -> 28 */
	bb_pcp_by_hand(&pcp, 300, 50, 0);
	pcp.high_max = 400;
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, true), 0);
	KUNIT_EXPECT_EQ(test, pcp.high, 76);
	bb_pcp_by_hand(&pcp, 100, 50, 0);
	KUNIT_EXPECT_EQ(test, bb_pcp_high_on_free(&pcp, 7, false, false, true), 0);
	KUNIT_EXPECT_EQ(test, pcp.high, 28);
}

/* nr_pcp_free() under 6.7 and free_high's detection */
static void bb_test_pcp_high_nr_free(struct kunit *test)
{
	struct bb_per_cpu_pages pcp;

	/* free_count, at least a batch, leaving a batch: high 100, batch 7 */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(150, 100, 7, 3, false), 7);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(150, 100, 7, 40, false), 40);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(150, 100, 7, 500, false), 93);
	/* free_high: the list, up to 7 << 5 = 224 */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(300, 0, 7, 0, true), 224);
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(42, 0, 7, 0, true), 42);
	/* high under a batch: a page at a time */
	KUNIT_EXPECT_EQ(test, bb_nr_pcp_free_tuned(5, 2, 3, 9, false), 1);

	/*
	 * free_high: an order-1 .. 3 block right after another, a batch freed
	 * lately (free_count 10 >= 7) and a batch on the list (count 10).
	 */
	bb_pcp_by_hand(&pcp, 28, 10, 10);
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 1, 7));
	KUNIT_EXPECT_TRUE(test, bb_pcp_free_high_tuned(&pcp, 3, 7));
	/* an order-0 free in between forgets it */
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 0, 7));
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 2, 7));
	/* pageblock-sized blocks are not small ones */
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp,
							BB_PAGEBLOCK_ORDER, 7));
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 2, 7));
	/* less than a batch on the list, or freed lately: kept */
	pcp.count = 6;
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 2, 7));
	pcp.count = 10;
	pcp.free_count = 6;
	KUNIT_EXPECT_FALSE(test, bb_pcp_free_high_tuned(&pcp, 2, 7));
	pcp.free_count = 7;
	KUNIT_EXPECT_TRUE(test, bb_pcp_free_high_tuned(&pcp, 2, 7));
}

static struct bb_sandbox *bb_pcp_high_sandbox(struct kunit *test,
					      const char *policy)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char words[32];

	bb_test_config(&cfg, 64);
	cfg.pcp_disabled = false;
	strscpy(words, policy, sizeof(words));
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	return bb_test_sandbox(test, &cfg);
}

/*
 * The bounds of 64 MiB of Normal (16384 pages, batch 3): high_min is
 * 6.1's high, the low watermark's share of the CPUs (12 at least);
 * high_max the share of 16384 / 8 = 2048.  Every list starts at
 * high_min.  A high_fraction by hand pins both; 6.1 has them equal.
 */
static void bb_test_pcp_high_bounds(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.7");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	int cpus = num_online_cpus();
	int lo = max_t(int, zone->_watermark[BB_WMARK_LOW] / cpus, 12);
	int hi = max(2048 / cpus, 12);
	unsigned int cpu;

	KUNIT_EXPECT_EQ(test, zone->pageset_batch, 3);
	KUNIT_EXPECT_EQ(test, zone->pageset_high, lo);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, hi);
	KUNIT_EXPECT_LT(test, lo, hi);
	for_each_possible_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		KUNIT_EXPECT_EQ(test, pcp->high_min, lo);
		KUNIT_EXPECT_EQ(test, pcp->high_max, hi);
		KUNIT_EXPECT_EQ(test, pcp->high, lo);
	}
	bb_expect_check_ok(test, sb);

	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_high_fraction(sb, 64), 0);
	KUNIT_EXPECT_EQ(test, zone->pageset_high, max(256 / cpus, 12));
	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, zone->pageset_high);
	KUNIT_EXPECT_EQ(test, bb_set_percpu_pagelist_high_fraction(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, hi);
	bb_expect_check_ok(test, sb);
}

/* every CPU's list back at its high_min, as if never used */
static void bb_pcp_high_reset(struct bb_zone *zone)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		spin_lock(&pcp->lock);
		pcp->high = pcp->high_min;
		spin_unlock(&pcp->lock);
	}
}

/*
 * --explain: a first order-0 allocation refills an empty list (batch 3)
 * and names the tuning: high_min + 3, alloc_factor 1 (the room, high_min,
 * holds the 3 pages).
 */
static void bb_test_pcp_high_explain(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.7");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_trace t = { .size = 1024 };
	struct bb_alloc_result res;
	char want[80];

	t.buf = kunit_kzalloc(test, t.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t.buf);
	KUNIT_ASSERT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_KERNEL, 0, -1, 0,
						     NULL, &t, &res), 0);
	snprintf(want, sizeof(want), "pcp_high=6.7: high %d (%d .. %d), alloc_factor 1\n",
		 zone->pageset_high + 3, zone->pageset_high,
		 zone->pageset_high_max);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(t.buf, want), "%s", t.buf);
	bb_free_pages(sb, res.pfn, 0);
	bb_expect_check_ok(test, sb);
}

/* this CPU's list of Normal, with bounds set by hand */
static struct bb_per_cpu_pages *bb_pcp_high_mine(struct bb_zone *zone,
						 int lo, int hi, int high)
{
	struct bb_per_cpu_pages *pcp = this_cpu_ptr(zone->per_cpu_pageset);

	pcp->high_min = lo;
	pcp->high_max = hi;
	pcp->high = high;
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	pcp->flags = 0;
	return pcp;
}

/*
 * Frees in a row raise high, batch 7, bounds 28 .. 100, high 28, the list
 * empty.  Free k brings count to its mark with free_count k:
 *   free 28: count 28 >= 28: high max(28, 28 + 7) = 35; gives back
 *            min(max(28, 7), 28 - 7) = 21, count 7
 *   free 56: count 35 >= 35: high 56 + 7 = 63; gives back min(56, 28) = 28
 *   free 112: count 63 >= 63: high min(119, 100) = 100 (high_max);
 *            gives back min(112, 56) = 56, count 7
 *   frees to 200: free_count stops at 224; count 7 + 88 < 100: no more
 * 6.1's rules never move high (test_pcp.c).
 */
static void bb_test_pcp_high_frees_raise(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.7");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	static const int at[] = { 27, 28, 55, 56, 111, 112, 200 };
	static const int count[] = { 27, 7, 34, 7, 62, 7, 95 };
	static const int high[] = { 28, 35, 35, 63, 63, 100, 100 };
	int seen_count[ARRAY_SIZE(at)], seen_high[ARRAY_SIZE(at)];
	struct bb_per_cpu_pages *pcp;
	const int nr = 200;
	unsigned int i, j;
	long *pfns;

	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_batch(sb, 7), 0);
	pfns = kunit_kcalloc(test, nr, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < nr; i++) {
		pfns[i] = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
		KUNIT_ASSERT_GE(test, pfns[i], 0L);
	}
	bb_drain_all_pages(sb, NULL);
	KUNIT_ASSERT_FALSE(test, test_bit(BB_ZONE_BELOW_HIGH, &zone->flags));

	preempt_disable();
	pcp = bb_pcp_high_mine(zone, 28, 100, 28);
	for (i = 0, j = 0; i < nr; i++) {
		bb_free_pages(sb, pfns[i], 0);
		if (j < ARRAY_SIZE(at) && i + 1 == at[j]) {
			seen_count[j] = pcp->count;
			seen_high[j++] = pcp->high;
		}
	}
	preempt_enable();

	for (j = 0; j < ARRAY_SIZE(at); j++) {
		KUNIT_EXPECT_EQ_MSG(test, seen_count[j], count[j], "after %d frees",
				    at[j]);
		KUNIT_EXPECT_EQ_MSG(test, seen_high[j], high[j], "after %d frees",
				    at[j]);
	}
	bb_expect_check_ok(test, sb);
}

/*
 * The vmstat round, this CPU's list holding 400 pages, batch 7, bounds
 * 28 .. 1000, high 300 (the other lists empty at their high_min: nothing
 * to do there):
 *   round 1: high max(300 - 37, 400 - 224, 28) = 263; 137 pages go back
 *   round 2: high max(263 - 32, 263 - 224, 28) = 231; 32 go back
 * and with the list empty, 231 comes down an eighth a round to 28:
 *   203 178 156 137 120 105 92 81 71 63 56 49 43 38 34 30 28
 * (17 rounds); the 17th says no more to do.  6.1's round does nothing.
 */
static void bb_test_pcp_high_decay(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.7");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	static const int fall[] = { 203, 178, 156, 137, 120, 105, 92, 81, 71,
				    63, 56, 49, 43, 38, 34, 30, 28 };
	int r1, r2, high1, count1, high2, count2, last = -1;
	struct bb_per_cpu_pages *pcp;
	const int nr = 400;
	unsigned int i;
	long *pfns;

	KUNIT_ASSERT_EQ(test, bb_set_percpu_pagelist_batch(sb, 7), 0);
	pfns = kunit_kcalloc(test, nr, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < nr; i++) {
		pfns[i] = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
		KUNIT_ASSERT_GE(test, pfns[i], 0L);
	}
	bb_drain_all_pages(sb, NULL);
	bb_pcp_high_reset(zone);	/* the refills raised them */

	preempt_disable();
	/* fixed at 1000 while the frees fill the list */
	pcp = bb_pcp_high_mine(zone, 1000, 1000, 1000);
	for (i = 0; i < nr; i++)
		bb_free_pages(sb, pfns[i], 0);
	bb_pcp_high_mine(zone, 28, 1000, 300);
	r1 = bb_vmstat_update(sb);
	high1 = pcp->high;
	count1 = pcp->count;
	r2 = bb_vmstat_update(sb);
	high2 = pcp->high;
	count2 = pcp->count;
	preempt_enable();

	KUNIT_EXPECT_EQ(test, high1, 263);
	KUNIT_EXPECT_EQ(test, count1, 263);
	KUNIT_EXPECT_EQ(test, r1, 1);
	KUNIT_EXPECT_EQ(test, high2, 231);
	KUNIT_EXPECT_EQ(test, count2, 231);
	KUNIT_EXPECT_EQ(test, r2, 1);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), 231UL);
	bb_expect_check_ok(test, sb);

	bb_drain_all_pages(sb, NULL);
	for (i = 0; i < ARRAY_SIZE(fall); i++) {
		last = bb_vmstat_update(sb);
		KUNIT_EXPECT_EQ_MSG(test, pcp->high, fall[i], "round %u", i + 3);
		KUNIT_EXPECT_EQ_MSG(test, last, (int)(i + 1 < ARRAY_SIZE(fall)),
				    "round %u", i + 3);
	}
	KUNIT_EXPECT_EQ(test, bb_vmstat_update(sb), 0);
	KUNIT_EXPECT_EQ(test, pcp->high, 28);
	bb_expect_check_ok(test, sb);
}

/* 6.1: high is fixed; the vmstat round leaves a full list alone */
static void bb_test_pcp_high_61_fixed(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.1");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long before;
	unsigned int cpu;
	long pfn;

	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, zone->pageset_high);
	pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL, 0);
	KUNIT_ASSERT_GE(test, pfn, 0L);
	before = bb_zone_pcp_count(zone);
	KUNIT_EXPECT_GT(test, before, 0UL);
	KUNIT_EXPECT_EQ(test, bb_vmstat_update(sb), 0);
	KUNIT_EXPECT_EQ(test, bb_zone_pcp_count(zone), before);
	for_each_possible_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		KUNIT_EXPECT_EQ(test, pcp->high, zone->pageset_high);
		KUNIT_EXPECT_EQ(test, pcp->high_min, pcp->high_max);
	}
	bb_free_pages(sb, pfn, 0);
	bb_expect_check_ok(test, sb);
}

/*
 * The checker: under 6.7 high out of [high_min, high_max]; under 6.1
 * bounds that differ.  One problem each.
 */
static void bb_test_pcp_high_check(struct kunit *test)
{
	struct bb_sandbox *sb = bb_pcp_high_sandbox(test, "pcp_high=6.7");
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset,
						   cpumask_first(cpu_possible_mask));
	struct bb_check_report rep = { };
	int saved = pcp->high;

	pcp->high = pcp->high_max + 1;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	pcp->high = pcp->high_min - 1;
	rep.problems = 0;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, rep.problems, 1U);
	pcp->high = pcp->high_max;
	bb_expect_check_ok(test, sb);
	pcp->high = saved;

	/* 6.1: the same spread of bounds is a problem */
	sb->cfg.policy.pcp_high = BB_GEN(6, 1);
	rep.problems = 0;
	KUNIT_EXPECT_EQ(test, bb_check(sb, &rep), -EUCLEAN);
	KUNIT_EXPECT_GE(test, rep.problems, 1U);
	sb->cfg.policy.pcp_high = BB_GEN(6, 7);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_pcp_high_cases[] = {
	KUNIT_CASE(bb_test_pcp_high_refill),
	KUNIT_CASE(bb_test_pcp_high_on_free),
	KUNIT_CASE(bb_test_pcp_high_nr_free),
	KUNIT_CASE(bb_test_pcp_high_bounds),
	KUNIT_CASE(bb_test_pcp_high_explain),
	KUNIT_CASE(bb_test_pcp_high_frees_raise),
	KUNIT_CASE(bb_test_pcp_high_decay),
	KUNIT_CASE(bb_test_pcp_high_61_fixed),
	KUNIT_CASE(bb_test_pcp_high_check),
	{}
};

static struct kunit_suite bb_pcp_high_suite = {
	.name = "buddybox_pcp_high",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_pcp_high_cases,
};

kunit_test_suite(bb_pcp_high_suite);
