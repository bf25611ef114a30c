// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: compaction.  The scanners meeting on a zone with nothing to do;
 * a fragmented zone of movable allocations compacted to the most order-9
 * blocks it can give, every allocation still holding its bytes; deferral
 * backing off and recovering; async and sync-light compaction around a
 * pinned page and a busy owner; the fragmentation index and score;
 * compaction_suitable() and the tunables; kcompactd, woken and proactive.
 * The checker runs after every step.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/uio.h>

#include "bb_test.h"

#define BB_MOVABLE_GFP	BB_GFP_HIGHUSER_MOVABLE

/*
 * The fragmented layout: @nr order-0 movable allocations of one owner
 * (after an optional pinned page: a module allocation, which has no owner
 * to move it), each with its own pattern, then every one at an odd pfn
 * freed.  Every pageblock it covers is half free in single pages.
 */
struct bb_frag {
	struct bb_sandbox *sb;
	struct bb_owner owner;
	bool owner_live;
	unsigned int nr;
	u32 *handle;		/* 0: freed */
	unsigned long *pfn;	/* where it was allocated */
	long pinned;		/* the pinned page's pfn, or -1 */
	void *buf;
};

/* The suites run one case at a time: the layout of the running case. */
static struct bb_frag bb_frag;

static int bb_compaction_test_init(struct kunit *test)
{
	memset(&bb_frag, 0, sizeof(bb_frag));
	bb_frag.pinned = -1;
	return bb_test_init(test);
}

/* the owner goes before the sandbox, also when a case failed */
static void bb_compaction_test_exit(struct kunit *test)
{
	if (bb_frag.owner_live)
		bb_owner_release(&bb_frag.owner);
	bb_frag.owner_live = false;
	bb_test_exit(test);
}

static u32 bb_pattern_word(u32 handle, unsigned int i)
{
	return (handle * 2654435761u) ^ (i * 40503u) ^ 0x5a5a5a5au;
}

static void bb_fill_pattern(u32 *buf, u32 handle)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		buf[i] = bb_pattern_word(handle, i);
}

static int bb_frag_rw(struct bb_frag *f, u32 handle, bool write)
{
	struct iov_iter iter;
	struct kvec kv = { .iov_base = f->buf, .iov_len = PAGE_SIZE };

	iov_iter_kvec(&iter, write ? ITER_SOURCE : ITER_DEST, &kv, 1, PAGE_SIZE);
	return bb_owner_rw(&f->owner, handle, 0, &iter, write);
}

/* Pages in free blocks of order >= 9, in order-9 blocks */
static unsigned long bb_free_order9(struct bb_zone *zone)
{
	unsigned long nr = 0;
	unsigned int order;

	spin_lock(&zone->lock);
	for (order = BB_PAGEBLOCK_ORDER; order < BB_MAX_ORDER; order++)
		nr += zone->free_area[order].nr_free << (order - BB_PAGEBLOCK_ORDER);
	spin_unlock(&zone->lock);
	return nr;
}

static struct bb_frag *bb_frag_build(struct kunit *test, struct bb_sandbox *sb,
				     unsigned int nr, bool pinned)
{
	struct bb_frag *f = &bb_frag;
	unsigned int i;

	f->sb = sb;
	f->nr = nr;
	f->handle = kunit_kcalloc(test, nr, sizeof(*f->handle), GFP_KERNEL);
	f->pfn = kunit_kcalloc(test, nr, sizeof(*f->pfn), GFP_KERNEL);
	f->buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->handle);
	KUNIT_ASSERT_NOT_NULL(test, f->pfn);
	KUNIT_ASSERT_NOT_NULL(test, f->buf);
	if (pinned) {
		f->pinned = bb_test_alloc(test, sb, BB_MOVABLE_GFP, 0);
		KUNIT_ASSERT_EQ(test, f->pinned, (long)sb->region.start_pfn);
	}

	bb_owner_init(&f->owner, sb);
	f->owner_live = true;
	for (i = 0; i < nr; i++) {
		struct bb_alloc a;

		KUNIT_ASSERT_EQ(test, bb_owner_alloc(&f->owner, BB_MOVABLE_GFP, 0,
						     -1, 0, 0, NULL, &a), 0);
		f->handle[i] = a.handle;
		f->pfn[i] = a.pfn;
		bb_fill_pattern(f->buf, a.handle);
		KUNIT_ASSERT_EQ(test, bb_frag_rw(f, a.handle, true), 0);
	}
	for (i = 0; i < nr; i++) {
		if (!(f->pfn[i] & 1))
			continue;
		KUNIT_ASSERT_EQ(test, bb_owner_free(&f->owner, f->handle[i]), 0);
		f->handle[i] = 0;
	}
	bb_expect_check_ok(test, sb);
	return f;
}

/*
 * Every allocation left reads back its pattern byte for byte, wherever it
 * is now.  Returns how many moved (bb_owner_lookup() shows the new pfn).
 */
static unsigned int bb_frag_verify(struct kunit *test, struct bb_frag *f)
{
	unsigned int i, moved = 0, bad = 0;
	u32 *expect;

	expect = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	for (i = 0; i < f->nr; i++) {
		struct bb_alloc a;

		if (!f->handle[i])
			continue;
		KUNIT_ASSERT_EQ(test, bb_owner_lookup(&f->owner, f->handle[i], &a), 0);
		if (a.pfn != f->pfn[i]) {
			moved++;
			KUNIT_EXPECT_GE(test, a.migrations, 1U);
			KUNIT_EXPECT_EQ(test, bb_pfn_to_page_ext(f->sb, a.pfn)->flags,
					(u8)BB_PG_ALLOC);
		}
		KUNIT_ASSERT_EQ(test, bb_frag_rw(f, f->handle[i], false), 0);
		bb_fill_pattern(expect, f->handle[i]);
		if (memcmp(expect, f->buf, PAGE_SIZE))
			bad++;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "allocations whose bytes changed");
	return moved;
}

/* Has the allocation made as number @i moved? */
static bool bb_frag_moved(struct kunit *test, struct bb_frag *f, unsigned int i)
{
	struct bb_alloc a;

	KUNIT_EXPECT_EQ(test, bb_owner_lookup(&f->owner, f->handle[i], &a), 0);
	return a.pfn != f->pfn[i];
}

static struct bb_sandbox *bb_compaction_sandbox(struct kunit *test,
						unsigned long size_mb)
{
	struct bb_config cfg;

	bb_test_config(&cfg, size_mb);
	return bb_test_sandbox(test, &cfg);
}

static void bb_compaction_ac(struct kunit *test, struct bb_sandbox *sb,
			     struct bb_alloc_context *ac)
{
	memset(ac, 0, sizeof(*ac));
	KUNIT_ASSERT_EQ(test, bb_prepare_alloc_pages(sb, BB_MOVABLE_GFP, 9, -1, 0,
						     ac), 0);
}

/* (1) On a free zone the scanners meet, having nothing to do. */
static void bb_test_compaction_scanners_meet(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long free_before = zone->nr_free_pages;
	unsigned long nr_free10 = zone->free_area[10].nr_free;
	struct bb_compact_control cc = {
		.zone = zone,
		.order = -1,
		.mode = BB_MIGRATE_SYNC,
		.whole_zone = true,
		.gfp_mask = BB_GFP_KERNEL,
	};
	struct bb_alloc_context ac;
	unsigned long pfn;

	KUNIT_EXPECT_EQ(test, bb_compact_zone(&cc), BB_COMPACT_COMPLETE);
	KUNIT_EXPECT_LE(test, cc.free_pfn >> BB_PAGEBLOCK_ORDER,
			cc.migrate_pfn >> BB_PAGEBLOCK_ORDER);
	/* it looked at the pageblocks below the last, and took nothing */
	KUNIT_EXPECT_GT(test, cc.total_migrate_scanned, 0UL);
	KUNIT_EXPECT_EQ(test, cc.nr_freepages, 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTISOLATED), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTMIGRATE_SCANNED),
			cc.total_migrate_scanned);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free_before);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, nr_free10);
	/* the next one starts anew */
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[0],
			zone->zone_start_pfn);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn,
			bb_zone_end_pfn(zone) - BB_PAGEBLOCK_NR_PAGES);
	bb_expect_check_ok(test, sb);

	/*
	 * The pageblocks that gave nothing are marked skip; the migratetype
	 * reads as before.  kswapd's reset clears the hint only after a
	 * direct compaction asked for it (compact_blockskip_flush), and only
	 * where its sample finds something: walking in from both ends, the
	 * free side finds the head of the free order-10 block at the start
	 * of pageblock 6; the migrate side looks for allocations, and finds
	 * none in pageblock 0.
	 */
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn));
	for (pfn = zone->zone_start_pfn; pfn < bb_zone_end_pfn(zone);
	     pfn += BB_PAGEBLOCK_NR_PAGES)
		KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, pfn),
				BB_MIGRATE_MOVABLE);
	bb_reset_isolation_suitable(zone->zone_pgdat);
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn));
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn +
						      6 * BB_PAGEBLOCK_NR_PAGES));
	zone->compact_blockskip_flush = true;
	bb_reset_isolation_suitable(zone->zone_pgdat);
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn));
	KUNIT_EXPECT_FALSE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn +
						       6 * BB_PAGEBLOCK_NR_PAGES));

	/* the skip bit and the migratetype do not overwrite each other */
	bb_set_pageblock_skip(sb, zone->zone_start_pfn);
	bb_set_pageblock_migratetype(sb, zone->zone_start_pfn,
				     BB_MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn));
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, zone->zone_start_pfn),
			BB_MIGRATE_RECLAIMABLE);
	bb_clear_pageblock_skip(sb, zone->zone_start_pfn);
	KUNIT_EXPECT_FALSE(test, bb_get_pageblock_skip(sb, zone->zone_start_pfn));
	KUNIT_EXPECT_EQ(test, bb_get_pageblock_migratetype(sb, zone->zone_start_pfn),
			BB_MIGRATE_RECLAIMABLE);
	bb_set_pageblock_migratetype(sb, zone->zone_start_pfn, BB_MIGRATE_MOVABLE);
	bb_expect_check_ok(test, sb);

	/* an order-9 request on a free zone needs no compaction */
	KUNIT_EXPECT_EQ(test, bb_compaction_suitable(zone, 9, BB_ALLOC_WMARK_MIN,
						     BB_ZONE_NORMAL_IDX),
			BB_COMPACT_SUCCESS);
	bb_compaction_ac(test, sb, &ac);
	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_LIGHT),
			BB_COMPACT_SUCCESS);
	/* nor one that may not do I/O */
	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_GFP_NOIO, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_LIGHT),
			BB_COMPACT_SKIPPED);
	/* compact_stall and its outcome are the slow path's to count */
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTSTALL), 0UL);

	/* bad arguments to the manual compaction */
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, -1, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 1, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, BB_MAX_NR_ZONES), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, -2), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, BB_ZONE_DMA_IDX), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, BB_ZONE_NORMAL_IDX), 0);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free_before);
	bb_expect_check_ok(test, sb);
}

/*
 * (2) 32 MiB of Normal (16 pageblocks): 7680 movable pages, from pfn 0
 * up, each with its pattern; every other one freed.  Pageblocks 0-14 are
 * half free in single pages, pageblock 15 is one free order-9 block: F =
 * 512 + 3840 = 4352 free pages and a single order-9 block.
 *
 * The bound: once compaction is done every pageblock is empty, full, or
 * one of the (at most two) pageblocks where the scanners stopped, which
 * are mixed.  Those two hold fewer than 1024 free pages, and the other
 * free pages are in whole free pageblocks, so the free order-9 blocks are
 * (F - f_mixed) / 512 >= floor(F / 512) - 1 = 7.  (The free scanner takes
 * no free block of order >= 9 as a target, so pageblock 15 stays free.)
 * Here the halves pair up exactly: the migrate scanner empties pageblocks
 * 0-6 into the holes of 14-8, and pageblock 7 is the only one left mixed:
 * floor(F / 512) = 8 free order-9 blocks, 7 * 256 = 1792 pages moved.
 */
static void bb_test_compaction_fragmented_movable(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 32);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned long free_pages, bound, before, after;
	struct bb_frag *f;
	unsigned int moved;

	f = bb_frag_build(test, sb, 7680, false);
	KUNIT_ASSERT_EQ(test, f->pfn[0], 0UL);
	KUNIT_ASSERT_EQ(test, f->pfn[7679], 7679UL);
	free_pages = zone->nr_free_pages;
	KUNIT_EXPECT_EQ(test, free_pages, 4352UL);
	before = bb_free_order9(zone);
	KUNIT_EXPECT_EQ(test, before, 1UL);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 0U);

	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, -1), 0);
	bb_expect_check_ok(test, sb);
	after = bb_free_order9(zone);
	bound = free_pages / BB_PAGEBLOCK_NR_PAGES - 1;
	kunit_info(test, "free order-9 blocks: %lu before, %lu after (bound %lu, most %lu)\n",
		   before, after, bound, free_pages / BB_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_GE(test, after, bound);
	KUNIT_EXPECT_EQ(test, after, free_pages / BB_PAGEBLOCK_NR_PAGES);
	/* the targets it did not use went back */
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free_pages);

	moved = bb_frag_verify(test, f);
	KUNIT_EXPECT_EQ(test, moved, 1792U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS),
			(unsigned long)moved);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_FAIL), 0UL);
	/* each moved page was isolated once, and so was each target */
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTISOLATED),
			2UL * moved);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_COMPACTFREE_SCANNED), 0UL);
	bb_expect_check_ok(test, sb);

	/* again: nothing left to gain, nothing moves */
	KUNIT_EXPECT_EQ(test, bb_compact_node(sb, 0, BB_ZONE_NORMAL_IDX), 0);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), after);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), moved);
	bb_expect_check_ok(test, sb);
}

/*
 * (3) Deferral.  First by hand: each failure doubles the attempts skipped,
 * up to 1 << COMPACT_MAX_DEFER_SHIFT; orders below the failed one are not
 * deferred; a success resets it.  Then through try_to_compact_pages() on a
 * zone that cannot be compacted (pinned pages in every pageblock), and the
 * recovery once it can.
 */
static void bb_test_compaction_deferral(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_context ac;
	unsigned long calls = 0, pfn;
	unsigned int shift, i;
	long *pinned;
	struct bb_frag *f;
	struct bb_alloc a;

	/* by hand */
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 9));
	for (shift = 1; shift <= BB_COMPACT_MAX_DEFER_SHIFT + 1; shift++) {
		unsigned int expect = min_t(unsigned int, shift,
					     BB_COMPACT_MAX_DEFER_SHIFT);

		bb_defer_compaction(zone, 9);
		KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, expect);
		KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 9);
		for (i = 0; i < (1U << expect) - 1; i++)
			KUNIT_EXPECT_TRUE(test, bb_compaction_deferred(zone, 9));
		KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 9));
		/* lower orders are not held back */
		KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 8));
	}
	KUNIT_EXPECT_TRUE(test, bb_compaction_restarting(zone, 9));
	bb_compaction_defer_reset(zone, 9, false);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift,
			(unsigned int)BB_COMPACT_MAX_DEFER_SHIFT);
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 9));
	bb_compaction_defer_reset(zone, 9, true);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 9));
	bb_expect_check_ok(test, sb);

	/* 3840 pinned pages, every other one freed: nothing can move */
	pinned = kunit_kcalloc(test, 3840, sizeof(*pinned), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pinned);
	for (i = 0; i < 3840; i++) {
		pinned[i] = bb_test_alloc(test, sb, BB_MOVABLE_GFP, 0);
		KUNIT_ASSERT_GE(test, pinned[i], 0L);
	}
	for (i = 0; i < 3840; i++) {
		if (pinned[i] & 1) {
			bb_free_pages(sb, pinned[i], 0);
			pinned[i] = -1;
		}
	}
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	bb_expect_check_ok(test, sb);

	/*
	 * Each sync-light attempt that runs fails (COMPLETE) and doubles
	 * the deferral: 2^shift - 1 attempts deferred, then one runs.
	 */
	bb_compaction_ac(test, sb, &ac);
	for (shift = 1; shift <= BB_COMPACT_MAX_DEFER_SHIFT; shift++) {
		enum bb_compact_result rc;

		rc = bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
					     BB_ALLOC_WMARK_MIN, &ac,
					     BB_COMPACT_PRIO_SYNC_LIGHT);
		calls++;
		KUNIT_EXPECT_EQ_MSG(test, rc, BB_COMPACT_COMPLETE, "shift %u", shift);
		KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, shift);
		for (i = 0; i < (1U << shift) - 1; i++) {
			rc = bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						     BB_ALLOC_WMARK_MIN, &ac,
						     BB_COMPACT_PRIO_SYNC_LIGHT);
			calls++;
			KUNIT_EXPECT_EQ(test, rc, BB_COMPACT_DEFERRED);
		}
		KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 9));
		/* the check above counted as an attempt: undo it */
		zone->compact_considered--;
	}
	/* at the cap it stays there */
	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_LIGHT),
			BB_COMPACT_COMPLETE);
	calls++;
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift,
			(unsigned int)BB_COMPACT_MAX_DEFER_SHIFT);
	/* sum over shifts 1-6 of 2^shift - 1 deferred and one run, plus one */
	KUNIT_EXPECT_EQ(test, calls,
			(1UL << (BB_COMPACT_MAX_DEFER_SHIFT + 1)) - 1);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 0UL);
	bb_expect_check_ok(test, sb);

	/*
	 * The pinned pages go and movable ones come, as fragmented: deferred
	 * at sync-light still, but the highest priority ignores deferral,
	 * compacts, and says the allocation will succeed, which resets the
	 * failed order; the allocation succeeding resets the backoff.
	 */
	for (i = 0; i < 3840; i++)
		if (pinned[i] >= 0)
			bb_free_pages(sb, pinned[i], 0);
	f = bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_LIGHT),
			BB_COMPACT_DEFERRED);
	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_FULL),
			BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 9));
	KUNIT_EXPECT_GE(test, bb_free_order9(zone), 1UL);
	KUNIT_EXPECT_GT(test, bb_frag_verify(test, f), 0U);
	bb_expect_check_ok(test, sb);

	KUNIT_ASSERT_EQ(test, bb_owner_alloc(&f->owner, BB_MOVABLE_GFP, 9, -1, 0,
					     0, NULL, &a), 0);
	bb_compaction_defer_reset(zone, 9, true);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	pfn = a.pfn;
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(pfn, BB_PAGEBLOCK_NR_PAGES));
	KUNIT_EXPECT_EQ(test, bb_owner_free(&f->owner, a.handle), 0);
	bb_expect_check_ok(test, sb);
}

/*
 * (4) The layout of 16 MiB with a pinned page at pfn 0: pageblock 0 has
 * it and 255 movable pages, pageblocks 1-6 256 movable pages each,
 * pageblock 7 128 and a free order-8 block.  Async direct compaction for
 * order 9 gives pageblock 0 up at its pinned page (skip_on_failure) and
 * frees pageblock 1 instead: 256 pages move, none of pageblock 0.
 */
static void bb_test_compaction_async_pinned(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_context ac;
	struct bb_frag *f;
	unsigned int i, moved0 = 0, moved1 = 0;

	f = bb_frag_build(test, sb, 3839, true);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	bb_compaction_ac(test, sb, &ac);

	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_ASYNC),
			BB_COMPACT_SUCCESS);
	bb_expect_check_ok(test, sb);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 1UL);
	KUNIT_EXPECT_EQ(test, bb_pfn_to_page_ext(sb, f->pinned)->flags, (u8)BB_PG_ALLOC);
	for (i = 0; i < f->nr; i++) {
		if (!f->handle[i])
			continue;
		if (f->pfn[i] < BB_PAGEBLOCK_NR_PAGES)
			moved0 += bb_frag_moved(test, f, i);
		else if (f->pfn[i] < 2 * BB_PAGEBLOCK_NR_PAGES)
			moved1 += bb_frag_moved(test, f, i);
	}
	KUNIT_EXPECT_EQ(test, moved0, 0U);
	KUNIT_EXPECT_EQ(test, moved1, 256U);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 256U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_FAIL), 0UL);
	/* the pageblock that gave nothing is skipped from now on */
	KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, 0));
	bb_expect_check_ok(test, sb);
}

/*
 * The same without the pinned page, through an order-9 allocation: the
 * fast path finds no block, the slow path's async direct compaction frees
 * pageblock 0 and the allocation gets it; the slow path counts the stall
 * and the success, and resets the deferral.
 */
static void bb_test_compaction_from_slowpath(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_frag *f;
	struct bb_alloc a;

	f = bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	zone->compact_defer_shift = 2;

	KUNIT_ASSERT_EQ(test, bb_owner_alloc(&f->owner, BB_MOVABLE_GFP, 9, -1, 0,
					     0, NULL, &a), 0);
	KUNIT_EXPECT_EQ(test, a.pfn, sb->region.start_pfn);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTSTALL), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTSUCCESS), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTFAIL), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 256U);
	bb_expect_check_ok(test, sb);
	KUNIT_EXPECT_EQ(test, bb_owner_free(&f->owner, a.handle), 0);
	bb_expect_check_ok(test, sb);
}

/* async direct compaction for order 9, into an emptied trace */
static enum bb_compact_result bb_explain_compact(struct bb_sandbox *sb,
						 struct bb_alloc_context *ac)
{
	ac->trace->len = 0;
	ac->trace->buf[0] = '\0';
	return bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9, BB_ALLOC_WMARK_MIN,
				       ac, BB_COMPACT_PRIO_ASYNC);
}

/*
 * --explain: direct compaction says zone by zone what it did.  Deferred,
 * with the deferral's numbers; the deferral reset, success; with the zone
 * exhausted by pinned pages, skipped for want of free pages.
 */
static void bb_test_compaction_explain(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_context ac;
	struct bb_trace t = { .size = 512 };
	struct bb_owner pinned;
	struct bb_alloc a;
	char *want;

	t.buf = kunit_kzalloc(test, t.size, GFP_KERNEL);
	want = kunit_kzalloc(test, t.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t.buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	bb_compaction_ac(test, sb, &ac);
	ac.trace = &t;

	zone->compact_considered = 0;
	zone->compact_defer_shift = 2;
	zone->compact_order_failed = 9;
	KUNIT_EXPECT_EQ(test, bb_explain_compact(sb, &ac), BB_COMPACT_DEFERRED);
	KUNIT_EXPECT_STREQ(test, t.buf,
			   "    zone Normal (node 0): compaction deferred (compact_considered 1, compact_defer_shift 2, compact_order_failed 9)\n");

	zone->compact_defer_shift = 0;
	KUNIT_EXPECT_EQ(test, bb_explain_compact(sb, &ac), BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_STREQ(test, t.buf,
			   "    zone Normal (node 0): compaction success\n");
	bb_expect_check_ok(test, sb);

	/* every page the watermarks allow, pinned */
	bb_owner_init(&pinned, sb);
	while (!bb_owner_alloc(&pinned, BB_GFP_NOWAIT, 0, -1, 0, 0, NULL, &a))
		;
	KUNIT_EXPECT_EQ(test, bb_explain_compact(sb, &ac), BB_COMPACT_SKIPPED);
	snprintf(want, t.size,
		 "    zone Normal (node 0): compaction skipped: free %lu, not above low mark %lu + compact_gap 1024 + lowmem_reserve 0, too few for migration targets\n",
		 zone->nr_free_pages, bb_wmark_pages(zone, BB_WMARK_LOW));
	KUNIT_EXPECT_STREQ(test, t.buf, want);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&pinned);
	bb_expect_check_ok(test, sb);
}

/*
 * The same layout with sync-light: no giving up at the pinned page, so
 * the 255 movable pages of pageblock 0 move (in vain: the pinned page
 * stays), then pageblock 1's 256, which frees it.
 */
static void bb_test_compaction_sync_light_pinned(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_context ac;
	struct bb_frag *f;
	unsigned int i, moved0 = 0, moved1 = 0;

	f = bb_frag_build(test, sb, 3839, true);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	bb_compaction_ac(test, sb, &ac);

	KUNIT_EXPECT_EQ(test, bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9,
						      BB_ALLOC_WMARK_MIN, &ac,
						      BB_COMPACT_PRIO_SYNC_LIGHT),
			BB_COMPACT_SUCCESS);
	bb_expect_check_ok(test, sb);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 1UL);
	/* the pinned page did not move, and its pageblock is not free */
	KUNIT_EXPECT_EQ(test, bb_pfn_to_page_ext(sb, f->pinned)->flags, (u8)BB_PG_ALLOC);
	KUNIT_EXPECT_NULL(test, bb_pfn_to_page(sb, f->pinned)->owner_alloc);
	for (i = 0; i < f->nr; i++) {
		if (!f->handle[i])
			continue;
		if (f->pfn[i] < BB_PAGEBLOCK_NR_PAGES)
			moved0 += bb_frag_moved(test, f, i);
		else if (f->pfn[i] < 2 * BB_PAGEBLOCK_NR_PAGES)
			moved1 += bb_frag_moved(test, f, i);
	}
	KUNIT_EXPECT_EQ(test, moved0, 255U);
	KUNIT_EXPECT_EQ(test, moved1, 256U);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 511U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 511UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_FAIL), 0UL);
	bb_expect_check_ok(test, sb);
}

/*
 * Async with the owner busy (its lock held, as during a READ): every
 * migration answers -EAGAIN and is counted failed, and async direct
 * compaction gives up the rest of the pageblock after a failed batch.
 * Pageblock 0 is skipped for its pinned page; the free scanner takes its
 * targets (the order-8 block) from pageblock 7 and stays there, so the
 * migrate scanner tries one batch of 32 in each of pageblocks 1-6 and
 * meets it: COMPLETE, 6 * 32 = 192 failures, nothing moved, every
 * target given back.
 */
static void bb_test_compaction_async_busy(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_alloc_context ac;
	unsigned long free_pages;
	enum bb_compact_result rc;
	struct bb_frag *f;

	f = bb_frag_build(test, sb, 3839, true);
	free_pages = zone->nr_free_pages;
	bb_compaction_ac(test, sb, &ac);

	mutex_lock(&f->owner.lock);
	rc = bb_try_to_compact_pages(sb, BB_MOVABLE_GFP, 9, BB_ALLOC_WMARK_MIN,
				     &ac, BB_COMPACT_PRIO_ASYNC);
	mutex_unlock(&f->owner.lock);
	KUNIT_EXPECT_STREQ(test, bb_compact_result_names[rc], "complete");
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_FAIL), 192UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, free_pages);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 0UL);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 0U);
	bb_expect_check_ok(test, sb);
}

/*
 * (5) __fragmentation_index() and the fragmentation score for free lists
 * made by hand on 4 MiB (1024 pages): all taken, then a few pages given
 * back in chosen places.
 */
static void bb_test_compaction_fragmentation_index(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 4);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = zone->zone_pgdat;
	unsigned int order;
	long pfn;
	int i;

	/* one free order-10 block: nothing would fail */
	for (order = 0; order < BB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, order), -1000);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 0U);

	/* everything taken (__GFP_MEMALLOC passes the watermarks) */
	for (i = 0; i < 1024; i++) {
		pfn = bb_test_alloc(test, sb, BB_GFP_KERNEL | BB___GFP_MEMALLOC, 0);
		KUNIT_ASSERT_EQ(test, pfn, (long)i);
	}
	KUNIT_ASSERT_EQ(test, zone->nr_free_pages, 0UL);
	/* no free block at all: 0 */
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 3), 0);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 0U);
	bb_expect_check_ok(test, sb);

	/*
	 * Pfns 0, 2, 4, 6: four order-0 blocks.  1000 - (1000 + 4000 /
	 * 2^order) / 4: order 1 -> 250, 2 -> 500, 3 -> 625, 9 -> 1000 -
	 * 1007 / 4 = 749; order 0 would not fail: -1000.
	 */
	for (i = 0; i < 8; i += 2)
		bb_free_pages(sb, i, 0);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 0), -1000);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 1), 250);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 2), 500);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 3), 625);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 9), 749);
	bb_expect_check_ok(test, sb);

	/*
	 * Pfns 16-23 merge into an order-3 block: 12 free pages in 5
	 * blocks.  Order 3 would not fail; order 4: 1000 - (1000 + 750) / 5
	 * = 650; order 9: 1000 - 1023 / 5 = 796.  Every free page is in a
	 * block below order 9: extfrag 100%, weighted by the zone's share
	 * of the node: 1024 * 100 / 1025 = 99.
	 */
	for (i = 16; i < 24; i++)
		bb_free_pages(sb, i, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[3].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 3), -1000);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 4), 650);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 9), 796);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 99U);
	bb_expect_check_ok(test, sb);

	/*
	 * Pageblock 1 (pfns 512-1023) free: an order-9 block, 524 free
	 * pages in 6 blocks.  Order 9 would not fail; order 10: 1000 -
	 * (1000 + 511) / 6 = 749.  12 of 524 free pages are in small
	 * blocks: extfrag 2%, weighted 1024 * 2 / 1025 = 1.
	 */
	for (i = 512; i < 1024; i++)
		bb_free_pages(sb, i, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 9), -1000);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 10), 749);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 1U);
	bb_expect_check_ok(test, sb);

	for (i = 0; i < 512; i++)
		if ((i >= 8 || (i & 1)) && (i < 16 || i >= 24))
			bb_free_pages(sb, i, 0);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages, 1024UL);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 10), -1000);
	bb_expect_check_ok(test, sb);
}

/*
 * compaction_suitable(): the order-0 watermark plus compact_gap(), and for
 * costly orders the fragmentation index against extfrag_threshold; the
 * tunables' bounds.
 */
static void bb_test_compaction_suitable(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	long *pinned;
	int i;

	KUNIT_EXPECT_EQ(test, bb_set_extfrag_threshold(sb, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_extfrag_threshold(sb, 1001), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_compaction_proactiveness(sb, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_compaction_proactiveness(sb, 101), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, sb->compaction_proactiveness, 0);
	KUNIT_EXPECT_EQ(test, bb_set_extfrag_threshold(sb, 500), 0);
	KUNIT_EXPECT_EQ(test, sb->extfrag_threshold, 500);

	/* the pinned layout: 2176 free pages, no free order-9 block */
	pinned = kunit_kcalloc(test, 3840, sizeof(*pinned), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pinned);
	for (i = 0; i < 3840; i++) {
		pinned[i] = bb_test_alloc(test, sb, BB_MOVABLE_GFP, 0);
		KUNIT_ASSERT_GE(test, pinned[i], 0L);
	}
	for (i = 1; i < 3840; i += 2)
		bb_free_pages(sb, pinned[i], 0);
	KUNIT_ASSERT_EQ(test, zone->nr_free_pages, 2176UL);

	/* 1000 - (1000 + 2176000 / 512) / 1921 = 998: fragmentation */
	KUNIT_EXPECT_EQ(test, bb_fragmentation_index(zone, 9), 998);
	KUNIT_EXPECT_EQ(test, bb_compaction_suitable(zone, 9, BB_ALLOC_WMARK_MIN,
						     BB_ZONE_NORMAL_IDX),
			BB_COMPACT_CONTINUE);
	KUNIT_EXPECT_EQ(test, bb_set_extfrag_threshold(sb, 1000), 0);
	KUNIT_EXPECT_EQ(test, bb_compaction_suitable(zone, 9, BB_ALLOC_WMARK_MIN,
						     BB_ZONE_NORMAL_IDX),
			BB_COMPACT_SKIPPED);
	/* an order-3 block is free (in the order-8 one) */
	KUNIT_EXPECT_EQ(test, bb_compaction_suitable(zone, 3, BB_ALLOC_WMARK_MIN,
						     BB_ZONE_NORMAL_IDX),
			BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, bb_set_extfrag_threshold(sb, 500), 0);

	/*
	 * Too few free pages: the low watermark plus compact_gap(9) = 1024
	 * is more than what is left once 1100 more pages are taken.
	 */
	for (i = 0; i < 1100; i++)
		KUNIT_ASSERT_GE(test, bb_test_alloc(test, sb, BB_GFP_KERNEL |
						    BB___GFP_MEMALLOC, 0), 0L);
	KUNIT_EXPECT_LT(test, zone->nr_free_pages,
			bb_wmark_pages(zone, BB_WMARK_LOW) + 1024);
	KUNIT_EXPECT_EQ(test, bb_compaction_suitable(zone, 9, BB_ALLOC_WMARK_MIN,
						     BB_ZONE_NORMAL_IDX),
			BB_COMPACT_SKIPPED);
	bb_expect_check_ok(test, sb);
}

static bool bb_wait_for(bool (*cond)(struct bb_sandbox *sb),
			struct bb_sandbox *sb, unsigned int ms)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(ms);

	while (!cond(sb)) {
		if (time_after(jiffies, timeout))
			return false;
		msleep(20);
	}
	return true;
}

static bool bb_kcompactd_sleeping(struct bb_sandbox *sb)
{
	/* a hint for the test only: the wakeup itself does the ordering */
	return waitqueue_active(&sb->node[0].kcompactd_wait);
}

static bool bb_kcompactd_woke(struct bb_sandbox *sb)
{
	return bb_sum_event(sb, BB_KCOMPACTD_WAKE) &&
	       !READ_ONCE(sb->node[0].kcompactd_max_order) &&
	       bb_kcompactd_sleeping(sb);
}

static bool bb_score_low(struct bb_sandbox *sb)
{
	return bb_fragmentation_score_node(&sb->node[0]) <= 5;
}

/*
 * kcompactd: woken by kswapd's bb_wakeup_kcompactd() for order 9, it
 * compacts until an order-9 block is free; with proactiveness 100 it
 * compacts on its own until the node's score is down to the low mark
 * (max(100 - 100, 5) = 5): here that takes all four order-9 blocks the
 * 2176 free pages can make (128 / 2176 = 5% left in small blocks).
 */
static void bb_test_compaction_kcompactd(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = &sb->node[0];
	struct bb_frag *f;
	unsigned int score;

	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	f = bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);
	score = bb_fragmentation_score_node(pgdat);
	KUNIT_EXPECT_EQ(test, score, 4096U * 100 / 4097);

	KUNIT_ASSERT_EQ(test, bb_kcompactd_run(sb), 0);
	KUNIT_ASSERT_NOT_NULL(test, pgdat->kcompactd);
	KUNIT_EXPECT_STREQ(test, pgdat->kcompactd->comm, "bb_kcompactd0/d"); /* "/default" cut */
	KUNIT_EXPECT_TRUE(test, bb_wait_for(bb_kcompactd_sleeping, sb, 5000));

	/* order 0 is nothing to compact for */
	bb_wakeup_kcompactd(pgdat, 0, BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	bb_wakeup_kcompactd(pgdat, 9, BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_TRUE(test, bb_wait_for(bb_kcompactd_woke, sb, 10000));
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 1UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_KCOMPACTD_MIGRATE_SCANNED), 0UL);
	KUNIT_EXPECT_GE(test, bb_free_order9(zone), 1UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);

	/* proactive compaction, asked for through the tunable */
	KUNIT_EXPECT_EQ(test, bb_set_compaction_proactiveness(sb, 100), 0);
	KUNIT_EXPECT_TRUE(test, bb_wait_for(bb_score_low, sb, 10000));
	bb_kcompactd_stop(sb);
	KUNIT_EXPECT_NULL(test, pgdat->kcompactd);
	kunit_info(test, "score %u before, %u after; %lu order-9 blocks\n",
		   score, bb_fragmentation_score_node(pgdat),
		   bb_free_order9(zone));
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 4UL);
	/* one more wakeup, with no kcompactd, does nothing */
	bb_wakeup_kcompactd(pgdat, 9, BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_GT(test, bb_frag_verify(test, f), 0U);
	bb_expect_check_ok(test, sb);
}

/* the pageblocks of @zone with their skip bit */
static unsigned int bb_skip_bits(struct bb_sandbox *sb, struct bb_zone *zone)
{
	unsigned int nr = 0;
	unsigned long pfn;

	for (pfn = zone->zone_start_pfn; pfn < bb_zone_end_pfn(zone);
	     pfn += BB_PAGEBLOCK_NR_PAGES)
		nr += bb_get_pageblock_skip(sb, pfn);
	return nr;
}

/* free the allocations of @f->owner at odd pfns in [@lo, @hi) */
static void bb_free_odd(struct kunit *test, struct bb_frag *f,
			unsigned long lo, unsigned long hi)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++) {
		if (!f->handle[i] || !(f->pfn[i] & 1) ||
		    f->pfn[i] < lo || f->pfn[i] >= hi)
			continue;
		KUNIT_EXPECT_EQ(test, bb_owner_free(&f->owner, f->handle[i]), 0);
		f->handle[i] = 0;
	}
	bb_drain_all_pages(f->sb, NULL);
}

/*
 * Issue 9: 64 MiB filled with movable pages, every other one freed; a
 * proactive pass (as kcompactd runs it, proactiveness 20) comes when only
 * the lower half is freed.  It ignores the skip bits but sets them, as
 * 6.1's does (update_pageblock_skip() heeds only no_set_skip_hint): its
 * free scanner, finding the upper half full, marks every block of it, and
 * the scanners meet (COMPLETE).  Once the upper half is freed too and the
 * one block the pass made is taken, async direct compaction for order 9
 * passes those blocks by, finds no target, ends COMPLETE after a hundred
 * pages or so, and says why with --explain.  The bits stay until a flush,
 * which the direct compaction asks for (compact_blockskip_flush) and
 * kswapd does when it goes to sleep, also after a failed order-9 balance;
 * after that, compaction makes a block.  Without the proactive pass, the
 * first direct compaction succeeds at once.
 */
static void bb_compaction_after_proactive(struct kunit *test, bool proactive)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 64);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = zone->zone_pgdat;
	unsigned long half = zone->zone_start_pfn + zone->spanned_pages / 2;
	struct bb_compact_control pcc = {
		.zone = zone,
		.order = -1,
		.mode = BB_MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = BB_GFP_KERNEL,
		.proactive_compaction = true,
	};
	struct bb_trace t = { .size = 2048 };
	struct bb_alloc_context ac;
	enum bb_compact_result rc;
	unsigned int i, skip_bits = 0, taken = 0;
	struct bb_frag *f;
	struct bb_alloc a;

	KUNIT_ASSERT_EQ(test, sb->compaction_proactiveness, 20);
	t.buf = kunit_kzalloc(test, t.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t.buf);
	/* every page the low watermark leaves, in pfn order */
	f = &bb_frag;
	f->sb = sb;
	f->handle = kunit_kcalloc(test, zone->spanned_pages, sizeof(*f->handle),
				  GFP_KERNEL);
	f->pfn = kunit_kcalloc(test, zone->spanned_pages, sizeof(*f->pfn),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->handle);
	KUNIT_ASSERT_NOT_NULL(test, f->pfn);
	bb_owner_init(&f->owner, sb);
	f->owner_live = true;
	for (f->nr = 0; f->nr < zone->spanned_pages; f->nr++) {
		if (bb_owner_alloc(&f->owner,
				   BB_MOVABLE_GFP & ~BB___GFP_DIRECT_RECLAIM, 0,
				   -1, 0, 0, NULL, &a))
			break;
		f->handle[f->nr] = a.handle;
		f->pfn[f->nr] = a.pfn;
	}
	KUNIT_ASSERT_GT(test, f->nr, (unsigned int)(zone->spanned_pages * 15 / 16));

	bb_free_odd(test, f, 0, half);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 0UL);
	KUNIT_EXPECT_GT(test, bb_fragmentation_score_node(zone->zone_pgdat), 90U);
	if (proactive) {
		KUNIT_EXPECT_EQ(test, bb_compact_zone(&pcc), BB_COMPACT_COMPLETE);
		/* no flush asked: that is for direct compaction to do */
		KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
		skip_bits = bb_skip_bits(sb, zone);
		kunit_info(test, "proactive pass: %u pageblocks with the skip bit\n",
			   skip_bits);
		KUNIT_EXPECT_GE(test, skip_bits, 16U);
		for (i = half; i < bb_zone_end_pfn(zone); i += BB_PAGEBLOCK_NR_PAGES)
			KUNIT_EXPECT_TRUE(test, bb_get_pageblock_skip(sb, i));
	}
	bb_free_odd(test, f, half, bb_zone_end_pfn(zone));
	bb_expect_check_ok(test, sb);
	/* what the pass made (with the pass: one order-9 block) is taken */
	while (!bb_owner_alloc(&f->owner,
			       BB_MOVABLE_GFP & ~BB___GFP_DIRECT_RECLAIM,
			       BB_PAGEBLOCK_ORDER, -1, 0, 0, NULL, &a))
		taken++;
	KUNIT_EXPECT_EQ(test, taken, proactive ? 1U : 0U);

	bb_compaction_ac(test, sb, &ac);
	ac.trace = &t;
	rc = bb_explain_compact(sb, &ac);
	kunit_info(test, "direct compaction: %s\n%s", bb_compact_result_names[rc],
		   t.buf);
	if (!proactive) {
		KUNIT_EXPECT_EQ(test, rc, BB_COMPACT_SUCCESS);
		KUNIT_EXPECT_GE(test, bb_free_order9(zone), 1UL);
		KUNIT_EXPECT_NULL(test, strstr(t.buf, "skip bit"));
		return;
	}
	KUNIT_EXPECT_EQ(test, rc, BB_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 0UL);
	KUNIT_EXPECT_LT(test, bb_sum_event(sb, BB_COMPACTMIGRATE_SCANNED) +
			bb_sum_event(sb, BB_COMPACTFREE_SCANNED) -
			pcc.total_migrate_scanned - pcc.total_free_scanned,
			512UL);
	KUNIT_EXPECT_TRUE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "whole-zone scanners: migrate pfn 0 -> "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "pageblocks passed by for their skip bit: "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "the skip bits stay until kswapd goes to sleep"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "compaction complete"));

	/*
	 * kswapd, woken for order 9 (one wake's work, as bb_wakeup_kswapd()
	 * leaves the request), reclaims nothing (nothing is cache), and goes
	 * to sleep for order 0: the flush.
	 */
	pgdat->kswapd_order = BB_PAGEBLOCK_ORDER;
	pgdat->kswapd_highest_zoneidx = BB_ZONE_NORMAL_IDX;
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 1);
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_LT(test, bb_skip_bits(sb, zone), skip_bits);

	/*
	 * The flush's samples (one page in 8, all at even pfns: allocations)
	 * find no free page in the upper half: its bits stay, and both
	 * scanners restart where the flush's walkers met; that run meets at
	 * once and puts them back at the zone's ends, from where the next
	 * one frees a block.
	 */
	rc = bb_explain_compact(sb, &ac);
	kunit_info(test, "after the flush: %s\n%s", bb_compact_result_names[rc],
		   t.buf);
	KUNIT_EXPECT_EQ(test, rc, BB_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "met at pageblock 15\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t.buf, "they met where they started"));
	for (i = 0; i < 2 && rc != BB_COMPACT_SUCCESS; i++) {
		rc = bb_explain_compact(sb, &ac);
		kunit_info(test, "after the flush: %s\n%s",
			   bb_compact_result_names[rc], t.buf);
	}
	KUNIT_EXPECT_EQ(test, rc, BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_GE(test, bb_free_order9(zone), 1UL);
	bb_expect_check_ok(test, sb);
}

static void bb_test_compaction_after_proactive(struct kunit *test)
{
	bb_compaction_after_proactive(test, true);
}

static void bb_test_compaction_without_proactive(struct kunit *test)
{
	bb_compaction_after_proactive(test, false);
}

/* ---- when, how long and how compaction runs: the rules by hand ---- */

/*
 * Deferral's arithmetic, state by state from 6.1's rules: an attempt at
 * an order below compact_order_failed is not counted; others count up to
 * 1 << compact_defer_shift and run from there; a failure lengthens the
 * back-off by one step (at most COMPACT_MAX_DEFER_SHIFT = 6), counts anew
 * and lowers compact_order_failed; a run that left a block raises it past
 * its order, and an allocation that took the block ends the back-off.
 */
static void bb_test_compaction_defer_states(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 4);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	unsigned int i;

	/* a new zone: no order has failed (compact_order_failed = MAX_ORDER) */
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, BB_MAX_ORDER);
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, BB_MAX_ORDER - 1));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);

	/* shift 3: 8 attempts; 5 seen; order 4 failed */
	zone->compact_considered = 5;
	zone->compact_defer_shift = 3;
	zone->compact_order_failed = 4;
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 3));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 5U);
	KUNIT_EXPECT_TRUE(test, bb_compaction_deferred(zone, 4));	/* 6 */
	KUNIT_EXPECT_TRUE(test, bb_compaction_deferred(zone, 9));	/* 7 */
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 4));	/* 8 */
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 8U);
	/* the count stays at the limit */
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 4));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 8U);
	/* over, but not the longest back-off: no restart */
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 4));

	/* a failure at order 2: shift 4, counted anew, order 2 failed */
	bb_defer_compaction(zone, 2);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 4U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 2);
	/* failures at order 6 leave order 2; the shift stops at 6 */
	bb_defer_compaction(zone, 6);
	bb_defer_compaction(zone, 6);
	bb_defer_compaction(zone, 6);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 6U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 2);

	/* 64 attempts: 63 skipped, the 64th runs, and it is a restart */
	for (i = 0; i < 63; i++)
		KUNIT_EXPECT_TRUE(test, bb_compaction_deferred(zone, 2));
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 2));
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 2));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 64U);
	KUNIT_EXPECT_TRUE(test, bb_compaction_restarting(zone, 2));
	KUNIT_EXPECT_TRUE(test, bb_compaction_restarting(zone, 10));
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 1));

	/* a block left at order 5: orders up to 5 are free to run again */
	bb_compaction_defer_reset(zone, 5, false);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 6);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 6U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 64U);
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 5));
	KUNIT_EXPECT_TRUE(test, bb_compaction_restarting(zone, 6));
	/* a block at an order below the failed one changes nothing */
	bb_compaction_defer_reset(zone, 3, false);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 6);

	/* an allocation got its block at order 7: no back-off left */
	bb_compaction_defer_reset(zone, 7, true);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 8);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	/* shift 0: one attempt, which runs; the count stops at 1 */
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 8));
	KUNIT_EXPECT_FALSE(test, bb_compaction_deferred(zone, 8));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U);
	KUNIT_EXPECT_FALSE(test, bb_compaction_restarting(zone, 8));
}

static enum bb_compact_result bb_stop(struct bb_compact_control *cc,
				      const char **reason)
{
	*reason = NULL;
	return __bb_compact_finished(cc, reason);
}

/*
 * compact_finished()'s stop conditions one by one, on the fragmented
 * layout of 16 MiB (free: odd pfns below 3840, one order-8 block at 3840,
 * no block of order 9).
 */
static void bb_test_compaction_stop_reasons(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_compact_control *cc;
	const char *why;

	cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cc);
	bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, zone->zone_start_pfn, 0UL);
	KUNIT_ASSERT_EQ(test, zone->free_area[8].nr_free, 1UL);
	KUNIT_ASSERT_EQ(test, bb_free_order9(zone), 0UL);

	cc->zone = zone;
	cc->order = 9;
	cc->migratetype = BB_MIGRATE_MOVABLE;
	cc->direct_compaction = true;
	cc->migrate_pfn = 2 * BB_PAGEBLOCK_NR_PAGES;
	cc->free_pfn = 6 * BB_PAGEBLOCK_NR_PAGES;

	/* no order-9 block yet: go on, unless the run was contended */
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_NO_SUITABLE_PAGE);
	KUNIT_EXPECT_STREQ(test, why, "no suitable block");
	cc->contended = true;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTENDED);
	KUNIT_EXPECT_STREQ(test, why, "no suitable block");

	/* inside a pageblock: finish it first, contended or not */
	cc->migrate_pfn++;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTINUE);
	KUNIT_EXPECT_STREQ(test, why, "mid-pageblock");
	cc->contended = false;
	cc->migrate_pfn--;

	/* the order-8 block is on the movable list */
	cc->order = 8;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_STREQ(test, why, "suitable block free");
	/* an unmovable request may steal it (order 8 >= pageblock_order / 2) */
	cc->migratetype = BB_MIGRATE_UNMOVABLE;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_STREQ(test, why, "suitable block free");
	cc->order = 9;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_NO_SUITABLE_PAGE);
	cc->migratetype = BB_MIGRATE_MOVABLE;

	/* compact_memory: only the scanners end it, contended or not */
	cc->order = -1;
	cc->contended = true;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTINUE);
	KUNIT_EXPECT_STREQ(test, why, "compact_memory");

	/*
	 * Proactive: the zone's score is 100 (no free page in a block of
	 * order 9); the low mark is 100 - proactiveness.
	 */
	cc->proactive_compaction = true;
	cc->contended = false;
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_STREQ(test, why, "fragmentation score");
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 1), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTINUE);
	KUNIT_EXPECT_STREQ(test, why, "fragmentation score");
	cc->contended = true;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTENDED);
	KUNIT_EXPECT_STREQ(test, why, "fragmentation score");

	/*
	 * The scanners met (the free scanner in the migrate scanner's
	 * pageblock): before anything else.  The next run starts from the
	 * zone's ends; a direct compaction asks kswapd to clear the skip
	 * hints.
	 */
	cc->free_pfn = cc->migrate_pfn + 100;
	zone->compact_cached_migrate_pfn[0] = 1536;
	zone->compact_cached_migrate_pfn[1] = 1024;
	zone->compact_cached_free_pfn = 2048;
	zone->compact_blockskip_flush = false;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_STREQ(test, why, "scanners met");
	KUNIT_EXPECT_TRUE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[0], 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1], 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn,
			4096UL - BB_PAGEBLOCK_NR_PAGES);
	/* a whole-zone run that is no allocation's: complete, no flush */
	cc->whole_zone = true;
	cc->direct_compaction = false;
	zone->compact_blockskip_flush = false;
	cc->free_pfn = cc->migrate_pfn - BB_PAGEBLOCK_NR_PAGES;
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_COMPLETE);
	KUNIT_EXPECT_STREQ(test, why, "scanners met");
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	bb_expect_check_ok(test, sb);
}

/*
 * fragmentation_score_wmark()'s low mark, max(100 - proactiveness, 5),
 * as the proactive stop condition applies it, on 4 MiB made by hand:
 * pageblock 1 free (an order-9 block) and @singles single pages free in
 * pageblock 0.  extfrag(9) = singles * 100 / (512 + singles): 27 -> 2700
 * / 539 = 5, 33 -> 3300 / 545 = 6.
 */
static void bb_test_compaction_score_wmarks(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 4);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_compact_control *cc;
	const char *why;
	int i;

	cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cc);
	for (i = 0; i < 1024; i++)
		KUNIT_ASSERT_EQ(test, bb_test_alloc(test, sb, BB_GFP_KERNEL |
						    BB___GFP_MEMALLOC, 0), (long)i);
	for (i = 512; i < 1024; i++)
		bb_free_pages(sb, i, 0);
	for (i = 0; i < 2 * 27; i += 2)
		bb_free_pages(sb, i, 0);
	KUNIT_ASSERT_EQ(test, zone->nr_free_pages, 539UL);
	KUNIT_ASSERT_EQ(test, bb_extfrag_for_order(zone, 9), 5U);

	cc->zone = zone;
	cc->order = -1;
	cc->proactive_compaction = true;
	cc->migrate_pfn = 0;
	cc->free_pfn = BB_PAGEBLOCK_NR_PAGES;

	/* low mark 6, then 5: a score of 5 is low enough */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 94), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 95), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	/* 100 - 100 = 0, but the mark stays at 5 */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 100), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	KUNIT_EXPECT_STREQ(test, why, "fragmentation score");

	/* six more single pages: score 6, above the mark of 5 */
	for (i = 2 * 27; i < 2 * 33; i += 2)
		bb_free_pages(sb, i, 0);
	KUNIT_ASSERT_EQ(test, bb_extfrag_for_order(zone, 9), 6U);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_CONTINUE);
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 94), 0);
	KUNIT_EXPECT_EQ(test, bb_stop(cc, &why), BB_COMPACT_SUCCESS);
	bb_expect_check_ok(test, sb);
}

/*
 * bb_kcompactd_work(): kcompactd's wakes, run here without the thread,
 * on the fragmented layout of movable allocations (node score 4096 * 100
 * / 4097 = 99).  The high mark is min(max(100 - proactiveness, 5) + 10,
 * 100): 99 at proactiveness 11, which the score does not exceed.  kswapd's
 * request for order 9 empties pageblock 0 (its 256 allocations move):
 * (2176 - 512) * 100 / 2176 = 76 for the zone, 4096 * 76 / 4097 = 75 for
 * the node, not above 98 (proactiveness 12).  At 100 (marks 5 and 15),
 * proactive compaction goes on until the zone's score is at most 5: four
 * order-9 blocks, 128 * 100 / 2176 = 5, the node's 4096 * 5 / 4097 = 4.
 */
static void bb_test_compaction_kcompactd_work(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = &sb->node[0];
	struct bb_frag *f;

	f = bb_frag_build(test, sb, 3840, false);
	KUNIT_ASSERT_EQ(test, bb_fragmentation_score_node(pgdat), 99U);
	KUNIT_ASSERT_NULL(test, pgdat->kcompactd);
	KUNIT_ASSERT_EQ(test, pgdat->nr_zones, BB_ZONE_NORMAL_IDX + 1);

	/* off: nothing */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	/* 99 is not above 99 */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 11), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTMIGRATE_SCANNED), 0UL);

	/*
	 * kswapd's request for order 9 with the tunable's nudge pending: the
	 * nudge's look comes first (and finds nothing to do), the request
	 * stays for the next wake.
	 */
	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, BB_ZONE_NORMAL_IDX);
	WRITE_ONCE(pgdat->proactive_compact_trigger, true);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_FALSE(test, pgdat->proactive_compact_trigger);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 9);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_COMPACTMIGRATE_SCANNED), 0UL);

	/* the request: compaction until pageblock 0 is free */
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 1UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_KCOMPACTD_MIGRATE_SCANNED),
			0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 1UL);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 75U);
	/* done with: no order, every zone */
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_highest_zoneidx,
			BB_ZONE_NORMAL_IDX);
	/* a success lifts the deferral of order 9 (none was set) */
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, BB_MAX_ORDER);
	bb_expect_check_ok(test, sb);

	/* 75 is not above 98 */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 12), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 256UL);

	/* but above 15: pageblocks 1-3 are emptied as well */
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 100), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), 4UL);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 4U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 1024UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 1UL);

	/* order 9 again: a block is free, nothing to compact */
	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 2UL);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 1024UL);
	KUNIT_EXPECT_EQ(test, bb_frag_verify(test, f), 1024U);
	bb_expect_check_ok(test, sb);
}

/*
 * Where nothing can move (module allocations, every other one freed:
 * score 99): proactive compaction leaves the score where it was, and the
 * next look comes 1 << COMPACT_MAX_DEFER_SHIFT intervals later.
 * kswapd's requests for order 9: the first run goes over the zone in vain
 * (COMPLETE) and defers, shift 1; the next wake is skipped (1 of 2); the
 * one after runs again and defers, shift 2.
 */
static void bb_test_compaction_kcompactd_in_vain(struct kunit *test)
{
	struct bb_sandbox *sb = bb_compaction_sandbox(test, 16);
	struct bb_zone *zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_node *pgdat = &sb->node[0];
	long *pinned;
	int i;

	pinned = kunit_kcalloc(test, 3840, sizeof(*pinned), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pinned);
	for (i = 0; i < 3840; i++) {
		pinned[i] = bb_test_alloc(test, sb, BB_MOVABLE_GFP, 0);
		KUNIT_ASSERT_GE(test, pinned[i], 0L);
	}
	for (i = 1; i < 3840; i += 2)
		bb_free_pages(sb, pinned[i], 0);
	KUNIT_ASSERT_EQ(test, bb_fragmentation_score_node(pgdat), 99U);

	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 100), 0);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat),
			1U << BB_COMPACT_MAX_DEFER_SHIFT);
	KUNIT_EXPECT_EQ(test, bb_fragmentation_score_node(pgdat), 99U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_COMPACTMIGRATE_SCANNED), 0UL);
	/* proactive runs leave the deferral alone */
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, BB_MAX_ORDER);

	KUNIT_ASSERT_EQ(test, bb_set_compaction_proactiveness(sb, 0), 0);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, BB_ZONE_NORMAL_IDX);
	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 9);

	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U);

	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 2U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KCOMPACTD_WAKE), 3UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), 0UL);
	bb_expect_check_ok(test, sb);
}

/* ---- end of the rules by hand ---- */

/*
 * defrag_mode and kcompactd (6.15): bb_frag_build()'s 16 MiB (every other
 * page of the first 3840 allocated, the last 256 free), kswapd's request
 * for order 9.  Without defrag_mode kcompactd stops once a block of order 9
 * is free: pageblock 0's 256 allocated pages migrated, as above.  With it, it
 * goes on until the free pages in whole free pageblocks meet the high
 * watermark (192) for order 9: 512 - 511 does not, 1024 - 511 does, so
 * pageblocks 0 and 1 are emptied, 512 pages migrated, and 1024 free pages
 * are in whole pageblocks.
 */
static void bb_kcompactd_defrag_case(struct kunit *test, const char *policy,
				     unsigned long migrated,
				     unsigned long blocks)
{
	struct bb_control_error err;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_node *pgdat;
	struct bb_zone *zone;
	char words[48];

	bb_test_config(&cfg, 16);
	strscpy(words, policy, sizeof(words));
	KUNIT_ASSERT_EQ(test, bb_config_parse(&cfg, words, &err), 0);
	sb = bb_test_sandbox(test, &cfg);
	pgdat = &sb->node[0];
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	KUNIT_ASSERT_EQ(test, bb_wmark_pages(zone, BB_WMARK_HIGH), 192UL);
	bb_frag_build(test, sb, 3840, false);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, 0UL);

	WRITE_ONCE(pgdat->kcompactd_max_order, 9);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, BB_ZONE_NORMAL_IDX);
	KUNIT_EXPECT_EQ(test, bb_kcompactd_work(pgdat), 1U);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGMIGRATE_SUCCESS), migrated);
	KUNIT_EXPECT_EQ(test, bb_free_order9(zone), blocks / 512);
	KUNIT_EXPECT_EQ(test, zone->nr_free_pages_blocks, blocks);
	bb_expect_check_ok(test, sb);
}

static void bb_test_kcompactd_defrag_mode(struct kunit *test)
{
	bb_kcompactd_defrag_case(test, "fallback=6.15", 256, 512);
	bb_compaction_test_exit(test);
	bb_kcompactd_defrag_case(test, "fallback=6.15 defrag_mode=1", 512,
				 1024);
}

static struct kunit_case bb_compaction_cases[] = {
	KUNIT_CASE(bb_test_compaction_scanners_meet),
	KUNIT_CASE(bb_test_kcompactd_defrag_mode),
	KUNIT_CASE(bb_test_compaction_fragmented_movable),
	KUNIT_CASE(bb_test_compaction_deferral),
	KUNIT_CASE(bb_test_compaction_async_pinned),
	KUNIT_CASE(bb_test_compaction_from_slowpath),
	KUNIT_CASE(bb_test_compaction_explain),
	KUNIT_CASE(bb_test_compaction_sync_light_pinned),
	KUNIT_CASE(bb_test_compaction_async_busy),
	KUNIT_CASE(bb_test_compaction_fragmentation_index),
	KUNIT_CASE(bb_test_compaction_suitable),
	KUNIT_CASE(bb_test_compaction_kcompactd),
	KUNIT_CASE(bb_test_compaction_after_proactive),
	KUNIT_CASE(bb_test_compaction_without_proactive),
	KUNIT_CASE(bb_test_compaction_defer_states),
	KUNIT_CASE(bb_test_compaction_stop_reasons),
	KUNIT_CASE(bb_test_compaction_score_wmarks),
	KUNIT_CASE(bb_test_compaction_kcompactd_work),
	KUNIT_CASE(bb_test_compaction_kcompactd_in_vain),
	{}
};

static struct kunit_suite bb_compaction_suite = {
	.name = "buddybox_compaction",
	.init = bb_compaction_test_init,
	.exit = bb_compaction_test_exit,
	.test_cases = bb_compaction_cases,
};

kunit_test_suite(bb_compaction_suite);
