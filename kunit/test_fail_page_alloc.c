// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: fault injection (fail_page_alloc.c), the rules of the kernel's
 * knobs: which requests are candidates (min-order, __GFP_NOFAIL,
 * ignore-gfp-wait, ignore-gfp-highmem) and which candidates fail (times,
 * space, interval, probability), counted and named where the allocation
 * enters.  The expected sequences are worked out from the rules by hand.
 */
#include "bb_test.h"

/* a 4 MiB sandbox, all Normal, with the pcp lists off */
static struct bb_sandbox *bb_fpa_sandbox(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 4);
	return bb_test_sandbox(test, &cfg);
}

static long bb_fpa_injected(struct bb_sandbox *sb)
{
	return atomic_long_read(&sb->alloc_fail[BB_FAIL_INJECTED]);
}

/* fail every candidate, with no limit on how many */
static void bb_fpa_always(struct kunit *test, struct bb_sandbox *sb)
{
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_PROBABILITY, 100), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_TIMES, -1), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_VERBOSE, 0), 0);
}

/*
 * One allocation that is freed at once when it succeeds: 1 for a
 * success, 0 for an -ENOMEM; anything else fails the test.
 */
static int bb_fpa_try(struct kunit *test, struct bb_sandbox *sb, bb_gfp_t gfp,
		      unsigned int order)
{
	struct bb_alloc_result res;
	int ret = __bb_alloc_pages(sb, gfp, order, -1, 0, &res);

	if (!ret) {
		bb_free_pages(sb, res.pfn, order);
		return 1;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	return 0;
}

/* The kernel's defaults: off, and once on, one failure of order >= 1. */
static void bb_test_fpa_defaults(struct kunit *test)
{
	static const long want[BB_FPA_NR_KNOBS] = {
		[BB_FPA_PROBABILITY] = 0, [BB_FPA_INTERVAL] = 1,
		[BB_FPA_TIMES] = 1, [BB_FPA_SPACE] = 0, [BB_FPA_VERBOSE] = 2,
		[BB_FPA_IGNORE_GFP_WAIT] = 1, [BB_FPA_IGNORE_GFP_HIGHMEM] = 1,
		[BB_FPA_MIN_ORDER] = 1,
	};
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	unsigned long free = bb_sandbox_free_pages(sb);
	unsigned int i;

	for (i = 0; i < BB_FPA_NR_KNOBS; i++)
		KUNIT_EXPECT_EQ_MSG(test, bb_fpa_get(sb, i), want[i], "%s",
				    bb_fpa_knob_name(i));
	/* probability 0: nothing fails */
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 1);
	/* probability 100, times 1: the first candidate fails, then no more */
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_PROBABILITY, 100), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_VERBOSE, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 0), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), 0L);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 1L);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), free);
	bb_expect_check_ok(test, sb);
}

/* times N: N failures, then every candidate passes; -1 never runs out */
static void bb_test_fpa_times(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	int i, got = 0;

	bb_fpa_always(test, sb);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_TIMES, 3), 0);
	for (i = 0; i < 6; i++)
		got = got * 10 + bb_fpa_try(test, sb, BB_GFP_ATOMIC, 2);
	/* fail, fail, fail, then three successes */
	KUNIT_EXPECT_EQ(test, got, 111);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), 0L);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 3L);

	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_TIMES, -1), 0);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_ATOMIC, 2), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), -1L);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 23L);
	bb_expect_check_ok(test, sb);
}

/*
 * interval 3: the candidates are counted, and the 3rd, 6th, 9th... go on
 * to the draw; a request that is no candidate is not counted.
 */
static void bb_test_fpa_interval(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	int i, got = 0;

	bb_fpa_always(test, sb);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_INTERVAL, 3), 0);
	for (i = 0; i < 9; i++) {
		got = got * 10 + bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1);
		/* order 0, below min-order: passes, and is not counted */
		KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 0), 1);
	}
	KUNIT_EXPECT_EQ(test, got, 110110110);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 3L);

	/* interval 1 (and the count goes on where it was: 9) */
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_INTERVAL, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_INTERVAL, 2), 0);
	/* counts 10 (fails: even), 11 (passes) */
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 5L);
	bb_expect_check_ok(test, sb);
}

/* min-order: the orders below it are spared */
static void bb_test_fpa_min_order(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	unsigned int order;

	bb_fpa_always(test, sb);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_MIN_ORDER, 3), 0);
	for (order = 0; order < BB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, order),
				    order < 3 ? 1 : 0, "order %u", order);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), (long)BB_MAX_ORDER - 3);

	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_MIN_ORDER, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 0), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_MIN_ORDER, BB_MAX_ORDER - 1),
			0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 9), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 10), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), (long)BB_MAX_ORDER - 1);
	bb_expect_check_ok(test, sb);
}

/*
 * ignore-gfp-wait: requests that may reclaim directly are spared; the
 * others (GFP_ATOMIC, GFP_NOWAIT) are not.  Off, GFP_KERNEL fails, with
 * or without __GFP_NORETRY, and without reaching the slow path.
 */
static void bb_test_fpa_ignore_gfp_wait(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);

	bb_fpa_always(test, sb);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOIO, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_ATOMIC, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 2L);

	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_IGNORE_GFP_WAIT, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL |
					 BB___GFP_NORETRY, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL |
					 BB___GFP_RETRY_MAYFAIL, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 5L);
	KUNIT_EXPECT_EQ(test, bb_test_total_stat(sb, BB_ALLOC_SLOWPATH), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_OOM_KILL), 0UL);
	bb_expect_check_ok(test, sb);
}

/* ignore-gfp-highmem: __GFP_HIGHMEM requests are spared, unless it is off */
static void bb_test_fpa_ignore_gfp_highmem(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	const bb_gfp_t highmem = BB_GFP_NOWAIT | BB___GFP_HIGHMEM;

	bb_fpa_always(test, sb);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, highmem, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, highmem | BB___GFP_MOVABLE, 1),
			1);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 0L);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_IGNORE_GFP_HIGHMEM, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, highmem, 1), 0);
	/* still spared for GFP_HIGHUSER: it may reclaim (ignore-gfp-wait) */
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_HIGHUSER, 1), 1);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_IGNORE_GFP_WAIT, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_HIGHUSER, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 2L);
	bb_expect_check_ok(test, sb);
}

/* __GFP_NOFAIL is never a candidate: it neither fails nor uses up times */
static void bb_test_fpa_nofail(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);

	bb_fpa_always(test, sb);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_IGNORE_GFP_WAIT, 0), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_MIN_ORDER, 0), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_TIMES, 2), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL |
					 BB___GFP_NOFAIL, 0), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL |
					 BB___GFP_NOFAIL, 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), 2L);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 0L);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), 1L);
	bb_expect_check_ok(test, sb);
}

/*
 * space 10 with order-1 requests (2 pages): 10 > 2 leaves 8, then 6, 4,
 * 2; 2 is not above 2, so the fifth fails, and so does everything after
 * (space stays 2), an order-2 request too.
 */
static void bb_test_fpa_space(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	int i, got = 0;

	bb_fpa_always(test, sb);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_SPACE, 10), 0);
	for (i = 0; i < 6; i++)
		got = got * 10 + bb_fpa_try(test, sb, BB_GFP_NOWAIT, 1);
	KUNIT_EXPECT_EQ(test, got, 111100);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_SPACE), 2L);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 2), 0);
	/* a spared request takes nothing off space */
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_SPACE, 5), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 0), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_KERNEL | BB___GFP_NOFAIL,
					 1), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_SPACE), 5L);
	/* order 2 (4 pages): 5 > 4 leaves 1; then 1 > 4 is not: it fails */
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 2), 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_try(test, sb, BB_GFP_NOWAIT, 2), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_SPACE), 1L);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 4L);
	bb_expect_check_ok(test, sb);
}

/*
 * probability: 0 never, 100 always; 50 about half, and the same half
 * again from the same seed.  The rule alone, without allocating.
 */
static void bb_test_fpa_probability(struct kunit *test)
{
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	unsigned int i, first = 0, again = 0, other = 0;
	u32 pattern[1000 / 32 + 1] = { };

	bb_fpa_always(test, sb);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_TRUE(test, bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT,
								  1, NULL));
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_PROBABILITY, 0), 0);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_FALSE(test, bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT,
								   1, NULL));
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 1000L);

	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_PROBABILITY, 50), 0);
	bb_fail_page_alloc_seed(sb, 42);
	for (i = 0; i < 1000; i++) {
		if (bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT, 1, NULL)) {
			first++;
			pattern[i / 32] |= BIT(i % 32);
		}
	}
	/* 1000 fair draws: 500 +- 5 standard deviations (16) */
	KUNIT_EXPECT_GE(test, first, 420U);
	KUNIT_EXPECT_LE(test, first, 580U);
	bb_fail_page_alloc_seed(sb, 42);
	for (i = 0; i < 1000; i++) {
		bool fail = bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT, 1, NULL);

		again += fail;
		KUNIT_EXPECT_EQ_MSG(test, fail, !!(pattern[i / 32] & BIT(i % 32)),
				    "draw %u", i);
	}
	KUNIT_EXPECT_EQ(test, again, first);
	/* another seed, another sequence: not the same 1000 outcomes */
	bb_fail_page_alloc_seed(sb, 7);
	for (i = 0; i < 1000; i++)
		other += bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT, 1, NULL) !=
			 !!(pattern[i / 32] & BIT(i % 32));
	KUNIT_EXPECT_GT(test, other, 0U);

	/* probability 10: about a tenth */
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_PROBABILITY, 10), 0);
	for (i = 0, first = 0; i < 1000; i++)
		first += bb_should_fail_alloc_page(sb, BB_GFP_NOWAIT, 1, NULL);
	KUNIT_EXPECT_GE(test, first, 50U);
	KUNIT_EXPECT_LE(test, first, 150U);
}

/* what the files take: bad values are -EINVAL and change nothing */
static void bb_test_fpa_store(struct kunit *test)
{
	static const struct {
		unsigned int knob;
		const char *val;
	} bad[] = {
		{ BB_FPA_PROBABILITY, "101" }, { BB_FPA_PROBABILITY, "-1" },
		{ BB_FPA_PROBABILITY, "ten" }, { BB_FPA_PROBABILITY, "" },
		{ BB_FPA_INTERVAL, "0" }, { BB_FPA_INTERVAL, "-3" },
		{ BB_FPA_TIMES, "-2" }, { BB_FPA_TIMES, "2147483648" },
		{ BB_FPA_SPACE, "-1" }, { BB_FPA_VERBOSE, "3" },
		{ BB_FPA_IGNORE_GFP_WAIT, "maybe" },
		{ BB_FPA_IGNORE_GFP_HIGHMEM, "2" },
		{ BB_FPA_MIN_ORDER, "11" }, { BB_FPA_MIN_ORDER, "1x" },
	};
	struct bb_sandbox *sb = bb_fpa_sandbox(test);
	char buf[24];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		long before = bb_fpa_get(sb, bad[i].knob);

		KUNIT_EXPECT_EQ_MSG(test, bb_fpa_store(sb, bad[i].knob, bad[i].val),
				    -EINVAL, "%s=%s", bb_fpa_knob_name(bad[i].knob),
				    bad[i].val);
		KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, bad[i].knob), before);
	}
	KUNIT_EXPECT_EQ(test, bb_fpa_set(sb, BB_FPA_NR_KNOBS, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_fpa_knob_find("min-order"), BB_FPA_MIN_ORDER);
	KUNIT_EXPECT_EQ(test, bb_fpa_knob_find("task-filter"), -EINVAL);

	KUNIT_EXPECT_EQ(test, bb_fpa_store(sb, BB_FPA_TIMES, "-1"), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_TIMES), -1L);
	KUNIT_EXPECT_EQ(test, bb_fpa_show(sb, BB_FPA_TIMES, buf, sizeof(buf)), 3);
	KUNIT_EXPECT_STREQ(test, buf, "-1\n");
	KUNIT_EXPECT_EQ(test, bb_fpa_store(sb, BB_FPA_IGNORE_GFP_WAIT, "n"), 0);
	KUNIT_EXPECT_EQ(test, bb_fpa_get(sb, BB_FPA_IGNORE_GFP_WAIT), 0L);
	bb_fpa_show(sb, BB_FPA_IGNORE_GFP_WAIT, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "N\n");
	KUNIT_EXPECT_EQ(test, bb_fpa_store(sb, BB_FPA_IGNORE_GFP_WAIT, "Y"), 0);
	bb_fpa_show(sb, BB_FPA_IGNORE_GFP_WAIT, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "Y\n");
	KUNIT_EXPECT_EQ(test, bb_fpa_store(sb, BB_FPA_PROBABILITY, "100"), 0);
	bb_fpa_show(sb, BB_FPA_PROBABILITY, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "100\n");
}

/* --explain names the injected failure; a bulk request asks once */
static void bb_test_fpa_trace_bulk(struct kunit *test)
{
	struct bb_sandbox *sb;
	struct bb_config cfg;
	struct bb_trace t = { .size = 1024 };
	struct bb_alloc_result res;
	unsigned long pfns[4];

	/* the bulk path takes its pages from the pcp lists */
	bb_test_config(&cfg, 4);
	cfg.pcp_disabled = false;
	sb = bb_test_sandbox(test, &cfg);
	t.buf = kunit_kzalloc(test, t.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t.buf);
	bb_fpa_always(test, sb);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_ATOMIC, 1, -1, 0,
						     NULL, &t, &res), -ENOMEM);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "fail_page_alloc: injected failure"));
	KUNIT_EXPECT_NULL(test, strstr(t.buf, "get_page_from_freelist"));

	t.len = 0;
	t.buf[0] = '\0';
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_KERNEL |
						     BB___GFP_NOFAIL, 1, -1, 0,
						     NULL, &t, &res), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "not a candidate: __GFP_NOFAIL"));
	bb_free_pages(sb, res.pfn, 1);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 1L);

	/* order 0 is spared by min-order 1; at min-order 0 a batch fails once */
	KUNIT_EXPECT_EQ(test, bb_alloc_pages_bulk(sb, BB_GFP_NOWAIT, -1, 4, pfns),
			4);
	bb_free_pages_bulk(sb, pfns, 4);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_MIN_ORDER, 0), 0);
	KUNIT_ASSERT_EQ(test, bb_fpa_set(sb, BB_FPA_TIMES, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_alloc_pages_bulk(sb, BB_GFP_NOWAIT, -1, 4, pfns),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, bb_fpa_injected(sb), 2L);
	KUNIT_EXPECT_EQ(test, bb_alloc_pages_bulk(sb, BB_GFP_NOWAIT, -1, 4, pfns),
			4);
	bb_free_pages_bulk(sb, pfns, 4);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_fpa_cases[] = {
	KUNIT_CASE(bb_test_fpa_defaults),
	KUNIT_CASE(bb_test_fpa_times),
	KUNIT_CASE(bb_test_fpa_interval),
	KUNIT_CASE(bb_test_fpa_min_order),
	KUNIT_CASE(bb_test_fpa_ignore_gfp_wait),
	KUNIT_CASE(bb_test_fpa_ignore_gfp_highmem),
	KUNIT_CASE(bb_test_fpa_nofail),
	KUNIT_CASE(bb_test_fpa_space),
	KUNIT_CASE(bb_test_fpa_probability),
	KUNIT_CASE(bb_test_fpa_store),
	KUNIT_CASE(bb_test_fpa_trace_bulk),
	{}
};

static struct kunit_suite bb_fpa_suite = {
	.name = "buddybox_fail_page_alloc",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_fpa_cases,
};

kunit_test_suite(bb_fpa_suite);
