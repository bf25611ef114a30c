// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: memory compaction, after mm/compaction.c (6.1).
 *
 * compact_zone() runs two scanners over a zone: the migrate scanner from
 * the zone's start (or where the last run stopped) collects movable
 * allocations, pageblock by pageblock, COMPACT_CLUSTER_MAX pages at a
 * time; the free scanner from the zone's end takes free blocks off the
 * buddy lists as targets; the allocations are moved (migrate.c) and their
 * old blocks freed, until the scanners meet or a block of the wanted order
 * is free.  Around it: compaction_suitable() and the fragmentation index,
 * deferral after failures, the pageblock skip hints, direct compaction
 * over a zonelist (try_to_compact_pages()), manual compaction of a node,
 * and kcompactd with proactive compaction.
 *
 * Where the sandbox differs:
 *  - isolating an allocation takes nothing off an LRU: the candidate is
 *    only recorded, and bb_migrate_alloc() checks again, under the owner's
 *    lock, that it is still a movable allocation;
 *  - an isolated free block keeps its order (as compaction_alloc() does
 *    since 6.9) and is marked as an ownerless allocation while compaction
 *    holds it, so that the checker and every other path see it as taken;
 *    compaction_alloc() splits one of exactly the order it needs;
 *  - higher-order allocations are migrated when that can help, as
 *    skip_isolation_on_order() of 6.9 decides, not skipped as compound
 *    pages are in 6.1;
 *  - the fast searches of the free lists (fast_isolate_freepages(),
 *    fast_find_migrateblock()) and page capture are not modelled: both
 *    scanners are linear;
 *  - the pageblocks of a HighAtomic reserve or an isolated range are never
 *    migration targets, even for COMPACT_PRIO_SYNC_FULL.
 *
 * Locking: zone->lock only around the buddy lists (isolating, splitting,
 * freeing); never across bb_migrate_alloc(), which takes a node's lru_lock
 * and an owner's mutex and copies up to 4 MiB.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/kthread.h>
#include <linux/freezer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/jiffies.h>
#include <linux/err.h>

#include "buddybox.h"

/* HPAGE_PMD_ORDER: the order proactive compaction measures against */
#define BB_COMPACTION_HPAGE_ORDER	9
/* HPAGE_FRAG_CHECK_INTERVAL_MSEC */
#define BB_HPAGE_FRAG_CHECK_INTERVAL_MSEC	500

#define bb_block_start_pfn(pfn, order)	round_down(pfn, 1UL << (order))
#define bb_block_end_pfn(pfn, order)	ALIGN((pfn) + 1, 1UL << (order))
#define bb_pageblock_start_pfn(pfn)	bb_block_start_pfn(pfn, BB_PAGEBLOCK_ORDER)
#define bb_pageblock_end_pfn(pfn)	bb_block_end_pfn(pfn, BB_PAGEBLOCK_ORDER)
#define bb_pageblock_aligned(pfn)	IS_ALIGNED(pfn, BB_PAGEBLOCK_NR_PAGES)

const char * const bb_compact_result_names[BB_NR_COMPACT_RESULTS] = {
	[BB_COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
	[BB_COMPACT_SKIPPED] = "skipped",
	[BB_COMPACT_DEFERRED] = "deferred",
	[BB_COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
	[BB_COMPACT_CONTINUE] = "continue",
	[BB_COMPACT_COMPLETE] = "complete",
	[BB_COMPACT_PARTIAL_SKIPPED] = "partial_skipped",
	[BB_COMPACT_CONTENDED] = "contended",
	[BB_COMPACT_SUCCESS] = "success",
};

static inline struct bb_sandbox *bb_zone_sb(struct bb_zone *zone)
{
	return zone->zone_pgdat->sb;
}

/* is_via_compact_memory(): order -1 compacts the whole zone */
static inline bool bb_is_via_compact_memory(int order)
{
	return order == -1;
}

/* compact_gap(): the free pages compaction needs as migration targets */
static inline unsigned long bb_compact_gap(unsigned int order)
{
	return 2UL << order;
}

/* ---- deferral ---- */

/*
 * Deferral backs off from compacting a zone that keeps failing.  Its state
 * is three fields of the zone:
 *  - compact_order_failed: the lowest order that failed since an order at
 *    or above it last succeeded; smaller orders are never held back;
 *  - compact_defer_shift: the length of the back-off, 1 << shift attempts,
 *    one step longer at each failure, at most COMPACT_MAX_DEFER_SHIFT;
 *  - compact_considered: the attempts counted since the last failure; it
 *    stops at 1 << shift, and from there attempts run again.
 * The events that move it are below; defer_compaction(),
 * compaction_deferred() and compaction_defer_reset() each feed one.
 */
enum bb_defer_event {
	BB_DEFER_ATTEMPT,	/* a compaction is about to run: may it? */
	BB_DEFER_FAILED,	/* a sync run went over the zone in vain */
	BB_DEFER_PROMISING,	/* a run left a block the request can take */
	BB_DEFER_SUCCEEDED,	/* ... and the allocation took it */
};

/* the attempts the back-off lets go by before one runs */
static inline unsigned long bb_defer_limit(const struct bb_zone *zone)
{
	return 1UL << zone->compact_defer_shift;
}

/* does the back-off concern @order? */
static inline bool bb_defer_covers(const struct bb_zone *zone,
				   unsigned int order)
{
	return (int)order >= zone->compact_order_failed;
}

/* the back-off has run its course: attempts are let through */
static inline bool bb_defer_over(const struct bb_zone *zone)
{
	return zone->compact_considered >= bb_defer_limit(zone);
}

/*
 * Move @zone's deferral by @event for @order.  For BB_DEFER_ATTEMPT, true
 * if the attempt is to be skipped; false otherwise.
 */
static bool bb_defer_event(struct bb_zone *zone, unsigned int order,
			   enum bb_defer_event event)
{
	switch (event) {
	case BB_DEFER_ATTEMPT:
		if (!bb_defer_covers(zone, order))
			return false;
		/* one more attempt seen; counting past the limit is useless */
		zone->compact_considered =
			min_t(unsigned long, zone->compact_considered + 1UL,
			      bb_defer_limit(zone));
		return !bb_defer_over(zone);
	case BB_DEFER_FAILED:
		zone->compact_defer_shift =
			min_t(unsigned int, zone->compact_defer_shift + 1,
			      BB_COMPACT_MAX_DEFER_SHIFT);
		zone->compact_considered = 0;
		zone->compact_order_failed =
			min_t(int, zone->compact_order_failed, order);
		return false;
	case BB_DEFER_SUCCEEDED:
		/* no back-off left */
		zone->compact_defer_shift = 0;
		zone->compact_considered = 0;
		fallthrough;
	case BB_DEFER_PROMISING:
		/* @order works: only the orders above it may stay deferred */
		zone->compact_order_failed =
			max_t(int, zone->compact_order_failed, order + 1);
		return false;
	}
	return false;
}

/* defer_compaction(): compaction of @order failed */
void bb_defer_compaction(struct bb_zone *zone, unsigned int order)
{
	bb_defer_event(zone, order, BB_DEFER_FAILED);
}

/* compaction_deferred(): true if this attempt at @order is skipped */
bool bb_compaction_deferred(struct bb_zone *zone, unsigned int order)
{
	return bb_defer_event(zone, order, BB_DEFER_ATTEMPT);
}

/*
 * compaction_defer_reset(): compaction of @order left a block; the
 * allocation took it (@alloc_success) or is expected to.
 */
void bb_compaction_defer_reset(struct bb_zone *zone, unsigned int order,
			       bool alloc_success)
{
	bb_defer_event(zone, order, alloc_success ? BB_DEFER_SUCCEEDED :
						    BB_DEFER_PROMISING);
}

/*
 * compaction_restarting(): the longest back-off for @order has run its
 * course; the run let through is the first in a long while.
 */
bool bb_compaction_restarting(struct bb_zone *zone, unsigned int order)
{
	return bb_defer_covers(zone, order) &&
	       zone->compact_defer_shift == BB_COMPACT_MAX_DEFER_SHIFT &&
	       bb_defer_over(zone);
}

/* ---- pageblock skip hints ---- */

/* isolation_suitable(): scan this pageblock? */
static inline bool bb_isolation_suitable(struct bb_compact_control *cc,
					 unsigned long pfn)
{
	if (cc->ignore_skip_hint)
		return true;
	return !bb_get_pageblock_skip(cc->sb, pfn);
}

static void bb_reset_cached_positions(struct bb_zone *zone)
{
	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_free_pfn =
		bb_pageblock_start_pfn(bb_zone_end_pfn(zone) - 1);
}

/*
 * pageblock_skip_persistent(): an allocation of at least a pageblock
 * covers the pageblock of @pfn; there is nothing to gain there until it is
 * freed.
 */
static bool bb_pageblock_skip_persistent(struct bb_sandbox *sb,
					 unsigned long pfn)
{
	unsigned long start = bb_pageblock_start_pfn(pfn);
	unsigned int order;

	for (order = BB_PAGEBLOCK_ORDER; order < BB_MAX_ORDER; order++) {
		unsigned long head = bb_block_start_pfn(start, order);
		struct bb_page_ext *ext;

		if (head < sb->region.start_pfn)
			break;
		ext = bb_pfn_to_page_ext(sb, head);
		if ((READ_ONCE(ext->flags) & BB_PG_ALLOC) &&
		    READ_ONCE(ext->order) >= order)
			return true;
	}
	return false;
}

/*
 * __reset_isolation_pfn(): clear the skip hint of the pageblock of @pfn if
 * a sample of it shows an allocation (a migration source) or a free block
 * (a target).
 */
static bool __bb_reset_isolation_pfn(struct bb_zone *zone, unsigned long pfn,
				     bool check_source, bool check_target)
{
	struct bb_sandbox *sb = bb_zone_sb(zone);
	unsigned long block_pfn, end_pfn;

	if (!bb_zone_spans_pfn(zone, pfn))
		return false;
	if (bb_pageblock_skip_persistent(sb, pfn))
		return false;

	/*
	 * Both restart points are known: a block whose hint is already
	 * clear needs no sampling.
	 */
	if (check_source && check_target && !bb_get_pageblock_skip(sb, pfn))
		return true;

	/*
	 * The free scanner only takes targets from movable pageblocks, so
	 * only such a block may become its restart point.
	 */
	if (!check_source && check_target &&
	    bb_get_pageblock_migratetype(sb, pfn) != BB_MIGRATE_MOVABLE)
		return false;

	block_pfn = max(bb_pageblock_start_pfn(pfn), zone->zone_start_pfn);
	end_pfn = min(bb_pageblock_end_pfn(pfn) - 1, bb_zone_end_pfn(zone) - 1);

	/* sample every 1 << PAGE_ALLOC_COSTLY_ORDER pages */
	for (pfn = block_pfn; pfn <= end_pfn;
	     pfn += 1UL << BB_PAGE_ALLOC_COSTLY_ORDER) {
		u8 flags = READ_ONCE(bb_pfn_to_page_ext(sb, pfn)->flags);

		if ((check_source && (flags & BB_PG_ALLOC)) ||
		    (check_target && (flags & BB_PG_BUDDY))) {
			bb_clear_pageblock_skip(sb, pfn);
			return true;
		}
	}
	return false;
}

/*
 * __reset_isolation_suitable(): after a full compaction, clear the skip
 * hints, walking in from both ends of the zone, and set the scanners'
 * restart points at the first suitable pageblocks.
 */
static void __bb_reset_isolation_suitable(struct bb_zone *zone)
{
	unsigned long migrate_pfn = zone->zone_start_pfn;
	unsigned long free_pfn = bb_zone_end_pfn(zone) - 1;
	unsigned long reset_migrate = free_pfn;
	unsigned long reset_free = migrate_pfn;
	bool source_set = false;
	bool free_set = false;

	if (!zone->compact_blockskip_flush)
		return;

	zone->compact_blockskip_flush = false;

	for (; migrate_pfn < free_pfn;
	     migrate_pfn += BB_PAGEBLOCK_NR_PAGES,
	     free_pfn -= BB_PAGEBLOCK_NR_PAGES) {
		cond_resched();

		/* from the bottom: the migrate scanner's restart point */
		if (__bb_reset_isolation_pfn(zone, migrate_pfn, true,
					     source_set) &&
		    migrate_pfn < reset_migrate) {
			source_set = true;
			reset_migrate = migrate_pfn;
			zone->compact_init_migrate_pfn = reset_migrate;
			zone->compact_cached_migrate_pfn[0] = reset_migrate;
			zone->compact_cached_migrate_pfn[1] = reset_migrate;
		}

		/* from the top: the free scanner's */
		if (__bb_reset_isolation_pfn(zone, free_pfn, free_set, true) &&
		    free_pfn > reset_free) {
			free_set = true;
			reset_free = free_pfn;
			zone->compact_init_free_pfn = reset_free;
			zone->compact_cached_free_pfn = reset_free;
		}
	}

	/* nothing worth scanning: let the scanners start where they meet */
	if (reset_migrate >= reset_free) {
		zone->compact_cached_migrate_pfn[0] = migrate_pfn;
		zone->compact_cached_migrate_pfn[1] = migrate_pfn;
		zone->compact_cached_free_pfn = free_pfn;
	}
}

/* reset_isolation_suitable(): only if a full compaction finished lately */
void bb_reset_isolation_suitable(struct bb_node *pgdat)
{
	int zoneid;

	for (zoneid = 0; zoneid < BB_MAX_NR_ZONES; zoneid++) {
		struct bb_zone *zone = &pgdat->node_zones[zoneid];

		if (!bb_populated_zone(zone))
			continue;
		if (zone->compact_blockskip_flush)
			__bb_reset_isolation_suitable(zone);
	}
}

/*
 * test_and_set_skip(): mark the pageblock of @pfn skipped for the other
 * compactors; true if it already was.
 */
static bool bb_test_and_set_skip(struct bb_compact_control *cc,
				 unsigned long pfn)
{
	bool skip;

	if (cc->ignore_skip_hint)
		return false;
	if (!bb_pageblock_aligned(pfn))
		return false;

	skip = bb_get_pageblock_skip(cc->sb, pfn);
	if (!skip && !cc->no_set_skip_hint)
		bb_set_pageblock_skip(cc->sb, pfn);
	return skip;
}

static void bb_update_cached_migrate(struct bb_compact_control *cc,
				     unsigned long pfn)
{
	struct bb_zone *zone = cc->zone;

	pfn = bb_pageblock_end_pfn(pfn);

	/* callers that isolate without compacting leave no hints */
	if (cc->no_set_skip_hint)
		return;

	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != BB_MIGRATE_ASYNC &&
	    pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

/*
 * update_pageblock_skip(): the free scanner found nothing more in the
 * pageblock at @pfn: skip it, and restart below it next time.
 */
static void bb_update_pageblock_skip(struct bb_compact_control *cc,
				     unsigned long pfn)
{
	struct bb_zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;

	bb_set_pageblock_skip(cc->sb, pfn);

	/* the free scanner resumes below this block next time */
	if (pfn < zone->compact_cached_free_pfn)
		zone->compact_cached_free_pfn = pfn;
}

/* ---- locks ---- */

/*
 * compact_lock_irqsave(): async compaction notes a contended lock (and
 * gives up at the end of the pageblock); sync compaction just waits.
 */
static bool bb_compact_lock(spinlock_t *lock, struct bb_compact_control *cc)
	__acquires(lock)
{
	if (cc->mode == BB_MIGRATE_ASYNC && !cc->contended) {
		if (spin_trylock(lock))
			return true;
		cc->contended = true;
	}
	spin_lock(lock);
	return true;
}

/*
 * compact_unlock_should_abort(): give the CPU away now and then; true if
 * a fatal signal says to stop.  (The kernel also drops the zone lock here:
 * the sandbox takes it per free block.)
 */
static bool bb_compact_should_abort(struct bb_compact_control *cc)
{
	if (fatal_signal_pending(current)) {
		cc->contended = true;
		return true;
	}

	cond_resched();
	return false;
}

/* ---- the isolated free blocks ---- */

static void bb_freelist_init(struct bb_compact_control *cc)
{
	unsigned int order;

	for (order = 0; order < BB_MAX_ORDER; order++) {
		cc->freepages[order].head = BB_COMPACT_NO_PFN;
		cc->freepages[order].tail = BB_COMPACT_NO_PFN;
	}
	cc->nr_freepages = 0;
}

static inline bool bb_freelist_empty(const struct bb_compact_freelist *list)
{
	return list->head == BB_COMPACT_NO_PFN;
}

static void bb_freelist_add(struct bb_sandbox *sb,
			    struct bb_compact_freelist *list,
			    unsigned long pfn, bool tail)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	if (bb_freelist_empty(list)) {
		page->unused = BB_COMPACT_NO_PFN;
		list->head = pfn;
		list->tail = pfn;
	} else if (tail) {
		page->unused = BB_COMPACT_NO_PFN;
		bb_pfn_to_page(sb, list->tail)->unused = pfn;
		list->tail = pfn;
	} else {
		page->unused = list->head;
		list->head = pfn;
	}
}

static unsigned long bb_freelist_pop(struct bb_sandbox *sb,
				     struct bb_compact_freelist *list)
{
	unsigned long pfn = list->head;
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	list->head = page->unused;
	if (list->head == BB_COMPACT_NO_PFN)
		list->tail = BB_COMPACT_NO_PFN;
	page->unused = 0;
	return pfn;
}

/* the head of an isolated block, or of a block compaction hands out */
static inline void bb_set_isolated_block(struct bb_sandbox *sb,
					 unsigned long pfn, unsigned int order)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	page->owner_alloc = NULL;
	page->unused = 0;
	bb_set_page_ext(bb_page_ext(sb, page), BB_PG_ALLOC, order,
			BB_MIGRATE_MOVABLE);
}

/*
 * Give a block compaction held (an isolated target, or the source of a
 * migrated allocation) back to the buddy lists.  Called with zone->lock.
 */
static void bb_compact_free_block(struct bb_sandbox *sb, struct bb_zone *zone,
				  unsigned long pfn, unsigned int order)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	lockdep_assert_held(&zone->lock);
	page->owner_alloc = NULL;
	page->unused = 0;
	bb_set_page_ext(bb_page_ext(sb, page), 0, 0, 0);
	__bb_free_one_page(sb, zone, pfn, order,
			   bb_get_pageblock_migratetype(sb, pfn), BB_FPI_NONE);
}

/*
 * release_freepages(): every isolated block back to the buddy lists.
 * Returns the highest pfn given back, or 0.
 */
static unsigned long bb_release_freepages(struct bb_compact_control *cc)
{
	struct bb_sandbox *sb = cc->sb;
	unsigned long high_pfn = 0;
	unsigned int order;

	spin_lock(&cc->zone->lock);
	for (order = 0; order < BB_MAX_ORDER; order++) {
		struct bb_compact_freelist *list = &cc->freepages[order];

		while (!bb_freelist_empty(list)) {
			unsigned long pfn = bb_freelist_pop(sb, list);

			bb_compact_free_block(sb, cc->zone, pfn, order);
			high_pfn = max(high_pfn, pfn);
		}
	}
	spin_unlock(&cc->zone->lock);
	cc->nr_freepages = 0;
	return high_pfn;
}

/*
 * __isolate_free_page(): take the free block at @pfn off the buddy lists
 * for compaction, if the zone stays above its min watermark.  It becomes
 * an ownerless allocation of the same order while compaction holds it.
 * Returns the pages isolated, or 0.  Called with zone->lock held.
 */
static unsigned long bb_isolate_free_page(struct bb_sandbox *sb,
					  struct bb_zone *zone,
					  unsigned long pfn, unsigned int order)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);
	int mt = bb_get_pageblock_migratetype(sb, pfn);

	lockdep_assert_held(&zone->lock);
	if (mt != BB_MIGRATE_ISOLATE) {
		/*
		 * Taking a target is an allocation like any other: it must
		 * leave the zone above min, counting the block itself.
		 */
		unsigned long watermark = zone->_watermark[BB_WMARK_MIN] +
					  (1UL << order);

		if (!__bb_zone_watermark_ok(zone, 0, watermark, 0, 0,
					    zone->nr_free_pages))
			return 0;
	}

	list_del(&page->lru);
	zone->free_area[order].nr_free--;
	zone->nr_free_pages -= 1UL << order;
	bb_set_isolated_block(sb, pfn, order);

	/* a target of half a pageblock or more makes the block movable */
	if (order >= BB_PAGEBLOCK_ORDER - 1) {
		unsigned long end = pfn + (1UL << order) - 1;

		for (; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES) {
			mt = bb_get_pageblock_migratetype(sb, pfn);
			if (bb_migratetype_is_mergeable(mt))
				bb_set_pageblock_migratetype(sb, pfn,
							     BB_MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

/* ---- the free scanner ---- */

/*
 * isolate_freepages_block(): isolate the free blocks of [*@start_pfn,
 * @end_pfn), looking at every @stride-th page, until there are enough for
 * the allocations to migrate.  *@start_pfn: where it stopped.
 */
static unsigned long bb_isolate_freepages_block(struct bb_compact_control *cc,
						unsigned long *start_pfn,
						unsigned long end_pfn,
						unsigned int stride)
{
	struct bb_sandbox *sb = cc->sb;
	struct bb_zone *zone = cc->zone;
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long blockpfn = *start_pfn;

	for (; blockpfn < end_pfn; blockpfn += stride) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, blockpfn);
		unsigned long isolated;
		unsigned int order;
		u8 flags;

		/* yield now and then, and stop for a fatal signal */
		if (!(blockpfn % BB_COMPACT_CLUSTER_MAX) &&
		    bb_compact_should_abort(cc))
			break;

		nr_scanned++;

		/* an allocation: skip it at once (PageCompound()) */
		flags = READ_ONCE(ext->flags);
		if (flags & BB_PG_ALLOC) {
			order = READ_ONCE(ext->order);
			if (likely(order < BB_MAX_ORDER))
				blockpfn += (1UL << order) - 1;
			continue;
		}

		if (!(flags & BB_PG_BUDDY))
			continue;

		bb_compact_lock(&zone->lock, cc);
		/* the unlocked look may be stale: look again under the lock */
		if (!(ext->flags & BB_PG_BUDDY)) {
			spin_unlock(&zone->lock);
			continue;
		}
		order = ext->order;
		isolated = bb_isolate_free_page(sb, zone, blockpfn, order);
		spin_unlock(&zone->lock);
		if (!isolated)
			break;
		bb_freelist_add(sb, &cc->freepages[order], blockpfn, true);

		nr_scanned += isolated - 1;
		total_isolated += isolated;
		cc->nr_freepages += isolated;

		if (cc->nr_migratepages <= cc->nr_freepages) {
			blockpfn += isolated;
			break;
		}
		/* Advance to the end of the free block */
		blockpfn += isolated - 1;
	}

	if (unlikely(blockpfn > end_pfn))
		blockpfn = end_pfn;

	/* where the caller resumes within the block */
	*start_pfn = blockpfn;

	cc->total_free_scanned += nr_scanned;
	if (total_isolated)
		bb_count_event(sb, BB_COMPACTISOLATED, total_isolated);
	return total_isolated;
}

/*
 * suitable_migration_source(): async direct compaction only takes from
 * pageblocks of the type it allocates for.
 */
static bool bb_suitable_migration_source(struct bb_compact_control *cc,
					 unsigned long pfn)
{
	int block_mt;

	if (bb_pageblock_skip_persistent(cc->sb, pfn))
		return false;

	if (cc->mode != BB_MIGRATE_ASYNC || !cc->direct_compaction)
		return true;

	block_mt = bb_get_pageblock_migratetype(cc->sb, pfn);
	if (cc->migratetype == BB_MIGRATE_MOVABLE)
		return block_mt == BB_MIGRATE_MOVABLE;
	return block_mt == cc->migratetype;
}

/*
 * suitable_migration_target(): free pages are taken from MOVABLE
 * pageblocks (MOVABLE and CMA in the kernel; the sandbox has no CMA),
 * never from a free block of a whole pageblock or more, nor from a
 * HighAtomic reserve or an isolated range.
 */
static bool bb_suitable_migration_target(struct bb_compact_control *cc,
					 unsigned long pfn)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(cc->sb, pfn);
	int mt;

	/* a free block of a pageblock or more is worth more whole */
	if ((READ_ONCE(ext->flags) & BB_PG_BUDDY) &&
	    READ_ONCE(ext->order) >= BB_PAGEBLOCK_ORDER)
		return false;

	mt = bb_get_pageblock_migratetype(cc->sb, pfn);
	if (mt == BB_MIGRATE_HIGHATOMIC || mt == BB_MIGRATE_ISOLATE)
		return false;

	if (cc->ignore_block_suitable)
		return true;

	return mt == BB_MIGRATE_MOVABLE;
}

/*
 * compact_scanners_met(): the free scanner reached the pageblock of the
 * migrate scanner, or a lower one.
 */
static inline bool bb_compact_scanners_met(struct bb_compact_control *cc)
{
	return (cc->free_pfn >> BB_PAGEBLOCK_ORDER) <=
	       (cc->migrate_pfn >> BB_PAGEBLOCK_ORDER);
}

/*
 * isolate_freepages(): from where the free scanner stopped, down to the
 * pageblock above the migrate scanner, isolate free blocks of suitable
 * pageblocks until there are enough targets.
 */
static void bb_isolate_freepages(struct bb_compact_control *cc)
{
	struct bb_zone *zone = cc->zone;
	unsigned long block_start_pfn;	/* start of current pageblock */
	unsigned long isolate_start_pfn; /* exact pfn we start at */
	unsigned long block_end_pfn;	/* end of current pageblock */
	unsigned long low_pfn;		/* the free scanner stops above it */
	unsigned int stride;

	isolate_start_pfn = cc->free_pfn;
	block_start_pfn = bb_pageblock_start_pfn(isolate_start_pfn);
	block_end_pfn = min(block_start_pfn + BB_PAGEBLOCK_NR_PAGES,
			    bb_zone_end_pfn(zone));
	low_pfn = bb_pageblock_end_pfn(cc->migrate_pfn);
	/*
	 * The kernel's async free scanner probes every 32nd page, and leans
	 * on fast_isolate_freepages(), which takes free pages straight off
	 * the free lists.  That search is not modelled here, so the scanner
	 * looks at every page: probing alone, it would use up (and mark
	 * skip) the upper pageblocks long before it found enough targets.
	 */
	stride = 1;

	/*
	 * Collect free targets, block by block downwards, until they match
	 * the isolated pages or the free scanner reaches the migrate scanner.
	 */
	for (; block_start_pfn >= low_pfn;
	     block_end_pfn = block_start_pfn,
	     block_start_pfn -= BB_PAGEBLOCK_NR_PAGES,
	     isolate_start_pfn = block_start_pfn) {
		unsigned long nr_isolated;

		if (!(block_start_pfn % (BB_COMPACT_CLUSTER_MAX *
					 BB_PAGEBLOCK_NR_PAGES)))
			cond_resched();

		/* only blocks that may receive movable pages */
		if (!bb_suitable_migration_target(cc, block_start_pfn))
			continue;

		/* a skip hint: this block gave nothing lately */
		if (!bb_isolation_suitable(cc, block_start_pfn))
			continue;

		/* take the free blocks of this pageblock */
		nr_isolated = bb_isolate_freepages_block(cc, &isolate_start_pfn,
							 block_end_pfn, stride);

		/* scanned to its end: hint the block for the next runs */
		if (isolate_start_pfn == block_end_pfn)
			bb_update_pageblock_skip(cc, block_start_pfn);

		/* as many free pages as isolated ones: enough for now */
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start_pfn >= block_end_pfn) {
				/*
				 * The block may hold more free pages:
				 * resume at it, not below it.
				 */
				isolate_start_pfn =
					block_start_pfn - BB_PAGEBLOCK_NR_PAGES;
			}
			break;
		} else if (isolate_start_pfn < block_end_pfn) {
			/* stopped inside the block (watermark, lock): no further */
			break;
		}

		/* every page after a block that gave some, sparser after one that gave none */
		if (nr_isolated) {
			stride = 1;
			continue;
		}
		stride = min_t(unsigned int, BB_COMPACT_CLUSTER_MAX, stride << 1);
	}

	/* the free scanner's next start: where it stopped, or the meeting */
	cc->free_pfn = isolate_start_pfn;
}

/*
 * compaction_alloc(): the target of one migration, a block of exactly
 * @order taken from the isolated blocks, the smallest that fits, split if
 * needed (the halves stay isolated).  BB_COMPACT_NO_PFN if there is none
 * even after another round of the free scanner.
 */
static unsigned long bb_compaction_alloc(struct bb_compact_control *cc,
					 unsigned int order)
{
	struct bb_sandbox *sb = cc->sb;
	bool has_isolated_pages = false;
	unsigned int start_order;
	unsigned long pfn, size;

again:
	for (start_order = order; start_order < BB_MAX_ORDER; start_order++)
		if (!bb_freelist_empty(&cc->freepages[start_order]))
			break;

	/* no free pages in the list */
	if (start_order == BB_MAX_ORDER) {
		if (has_isolated_pages)
			return BB_COMPACT_NO_PFN;
		bb_isolate_freepages(cc);
		has_isolated_pages = true;
		goto again;
	}

	pfn = bb_freelist_pop(sb, &cc->freepages[start_order]);
	size = 1UL << start_order;
	if (start_order > order) {
		/* the checker sees the split whole: under zone->lock */
		spin_lock(&cc->zone->lock);
		while (start_order > order) {
			start_order--;
			size >>= 1;
			bb_set_isolated_block(sb, pfn + size, start_order);
			bb_freelist_add(sb, &cc->freepages[start_order],
					pfn + size, false);
		}
		bb_set_isolated_block(sb, pfn, order);
		spin_unlock(&cc->zone->lock);
	}
	cc->nr_freepages -= 1UL << order;
	return pfn;
}

/*
 * compaction_free(): a target not used after all (the migration failed)
 * goes back to the isolated blocks.
 */
static void bb_compaction_free(struct bb_compact_control *cc,
			       unsigned long pfn, unsigned int order)
{
	bb_freelist_add(cc->sb, &cc->freepages[order], pfn, false);
	cc->nr_freepages += 1UL << order;
}

/* ---- the migrate scanner ---- */

/* putback_movable_pages(): forget the candidates (nothing was taken) */
static void bb_putback_movable_pages(struct bb_compact_control *cc)
{
	cc->nr_migrate = 0;
	cc->nr_migratepages = 0;
}

/*
 * skip_isolation_on_order() (6.9): moving an allocation of @order does not
 * help to free a block of @target_order if it is as big already, nor ever
 * one of a pageblock or more.
 */
static bool bb_skip_isolation_on_order(unsigned int order, int target_order)
{
	if (!bb_is_via_compact_memory(target_order) &&
	    (int)order >= target_order)
		return true;
	return order >= BB_PAGEBLOCK_ORDER;
}

/*
 * isolate_migratepages_block(): collect the movable allocations of
 * [@low_pfn, @end_pfn), within one pageblock, up to COMPACT_CLUSTER_MAX
 * pages.  cc->migrate_pfn: where to go on.  Returns 0, or -EINTR on a
 * fatal signal.
 */
static int bb_isolate_migratepages_block(struct bb_compact_control *cc,
					 unsigned long low_pfn,
					 unsigned long end_pfn)
{
	struct bb_sandbox *sb = cc->sb;
	unsigned long nr_scanned = 0, nr_isolated = 0;
	unsigned long next_skip_pfn = 0;
	unsigned long valid_pfn = BB_COMPACT_NO_PFN;
	bool skip_on_failure = false;
	bool skip_updated = false;
	int ret = 0;

	cc->migrate_pfn = low_pfn;

	cond_resched();

	if (cc->direct_compaction && cc->mode == BB_MIGRATE_ASYNC) {
		skip_on_failure = true;
		next_skip_pfn = bb_block_end_pfn(low_pfn, cc->order);
	}

	/* the walk over the block */
	for (; low_pfn < end_pfn; low_pfn++) {
		struct bb_page_ext *ext;
		unsigned int order;
		u8 flags;

		if (skip_on_failure && low_pfn >= next_skip_pfn) {
			/*
			 * The previous block of the requested order gave all
			 * its candidates: migrate them before going on, that
			 * block may be free after it.
			 */
			if (nr_isolated)
				break;

			/*
			 * Nothing isolated in the previous block of the
			 * requested order: the next boundary is the end of
			 * this one.
			 */
			next_skip_pfn = bb_block_end_pfn(low_pfn, cc->order);
		}

		/* yield now and then; a fatal signal ends the scan */
		if (!(low_pfn % BB_COMPACT_CLUSTER_MAX)) {
			if (fatal_signal_pending(current)) {
				cc->contended = true;
				ret = -EINTR;
				goto fatal_pending;
			}
			cond_resched();
		}

		nr_scanned++;
		ext = bb_pfn_to_page_ext(sb, low_pfn);

		/*
		 * The skip hint is looked at once per pageblock, at its first
		 * pfn: a pageblock is isolated in several calls of at most
		 * COMPACT_CLUSTER_MAX pages, and the hint this scan sets must
		 * not stop its own later calls.
		 */
		if (valid_pfn == BB_COMPACT_NO_PFN &&
		    bb_pageblock_aligned(low_pfn)) {
			if (!bb_isolation_suitable(cc, low_pfn)) {
				low_pfn = end_pfn;
				goto isolate_abort;
			}
			valid_pfn = low_pfn;
		}

		/*
		 * A free block: jump over it.  Read without zone->lock, so the
		 * order may be stale; at worst a few candidates are missed.
		 */
		flags = READ_ONCE(ext->flags);
		order = READ_ONCE(ext->order);
		if (flags & BB_PG_BUDDY) {
			if (order > 0 && order < BB_MAX_ORDER)
				low_pfn += (1UL << order) - 1;
			continue;
		}

		/* inside a block seen already: nothing to decide here */
		if (!flags)
			continue;

		if (unlikely(order >= BB_MAX_ORDER))
			goto isolate_fail;

		/* on a per-CPU list: free, but not to be had */
		if (!(flags & BB_PG_ALLOC)) {
			low_pfn += (1UL << order) - 1;
			goto isolate_fail;
		}

		/* an allocation too big to be worth moving */
		if (order && bb_skip_isolation_on_order(order, cc->order)) {
			low_pfn += (1UL << order) - 1;
			goto isolate_fail;
		}

		/* PageLRU()/__PageMovable(): owned and movable? */
		if (!bb_page_movable(sb, low_pfn)) {
			low_pfn += (1UL << order) - 1;
			goto isolate_fail;
		}

		/* Try get exclusive access: the first candidate marks the block */
		if (!skip_updated) {
			skip_updated = true;
			if (bb_test_and_set_skip(cc, low_pfn))
				goto isolate_abort;
		}

		/* a candidate for migration */
		cc->migratepages[cc->nr_migrate].pfn = low_pfn;
		cc->migratepages[cc->nr_migrate].order = order;
		cc->nr_migrate++;
		cc->nr_migratepages += 1UL << order;
		nr_isolated += 1UL << order;
		nr_scanned += (1UL << order) - 1;
		low_pfn += (1UL << order) - 1;

		/*
		 * A cluster at a time, except on a rescan or under contention,
		 * and never more than cc->migratepages[] holds.
		 */
		if (cc->nr_migrate == BB_COMPACT_CLUSTER_MAX ||
		    (cc->nr_migratepages >= BB_COMPACT_CLUSTER_MAX &&
		     !cc->rescan && !cc->contended)) {
			++low_pfn;
			break;
		}
		continue;

isolate_fail:
		if (!skip_on_failure)
			continue;

		/*
		 * A pinned page in a block of the requested order: that
		 * block cannot become free, so what was isolated from it goes
		 * back unmoved.
		 */
		if (nr_isolated) {
			bb_putback_movable_pages(cc);
			nr_isolated = 0;
		}

		if (low_pfn < next_skip_pfn) {
			low_pfn = next_skip_pfn - 1;
			/*
			 * Straight to the end of the block (the loop's own
			 * boundary update would get there too).
			 */
			next_skip_pfn += 1UL << cc->order;
		}
	}

	/* A free or allocated block may have taken us past the range. */
	if (unlikely(low_pfn > end_pfn))
		low_pfn = end_pfn;

isolate_abort:
	/*
	 * A pageblock scanned to its end moves the restart point past it;
	 * it gets a skip hint when it gave nothing, or on its second scan
	 * in a row.
	 */
	if (low_pfn == end_pfn && (!nr_isolated || cc->rescan)) {
		if (valid_pfn != BB_COMPACT_NO_PFN && !skip_updated)
			bb_set_pageblock_skip(sb, valid_pfn);
		bb_update_cached_migrate(cc, low_pfn);
	}

fatal_pending:
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		bb_count_event(sb, BB_COMPACTISOLATED, nr_isolated);

	cc->migrate_pfn = low_pfn;
	return ret;
}

/* what isolate_migratepages() tells compact_zone() */
enum bb_isolate_migrate {
	BB_ISOLATE_ABORT,	/* Abort compaction now */
	BB_ISOLATE_NONE,	/* No pages isolated, continue scanning */
	BB_ISOLATE_SUCCESS,	/* Pages isolated, migrate */
};

/*
 * isolate_migratepages(): isolate from the first suitable pageblock at or
 * after the migrate scanner, without crossing the free scanner.
 */
static enum bb_isolate_migrate
bb_isolate_migratepages(struct bb_compact_control *cc)
{
	unsigned long block_start_pfn;
	unsigned long block_end_pfn;
	unsigned long low_pfn;

	low_pfn = cc->migrate_pfn;
	block_start_pfn = bb_pageblock_start_pfn(low_pfn);
	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;

	/* never past the end of the pageblock */
	block_end_pfn = bb_pageblock_end_pfn(low_pfn);

	/*
	 * Pageblock by pageblock upwards, until one is worth isolating from,
	 * and not past the free scanner.
	 */
	for (; block_end_pfn <= cc->free_pfn;
	     low_pfn = block_end_pfn,
	     cc->migrate_pfn = low_pfn,
	     block_start_pfn = block_end_pfn,
	     block_end_pfn += BB_PAGEBLOCK_NR_PAGES) {
		if (!(low_pfn % (BB_COMPACT_CLUSTER_MAX * BB_PAGEBLOCK_NR_PAGES)))
			cond_resched();

		/*
		 * A skip hint: nothing was isolated here lately.  Looked at on
		 * the block's first visit only, since a block is isolated in
		 * several COMPACT_CLUSTER_MAX calls.
		 */
		if (bb_pageblock_aligned(low_pfn) &&
		    !bb_isolation_suitable(cc, low_pfn))
			continue;

		/*
		 * Async direct compaction keeps to pageblocks of the mobility
		 * it allocates for (suitable_migration_source()).
		 */
		if (!bb_suitable_migration_source(cc, block_start_pfn)) {
			bb_update_cached_migrate(cc, block_end_pfn);
			continue;
		}

		/* isolate from this block */
		if (bb_isolate_migratepages_block(cc, low_pfn, block_end_pfn))
			return BB_ISOLATE_ABORT;

		/*
		 * One block per call: compact_zone() migrates what was
		 * isolated, or decides whether to go on.
		 */
		break;
	}

	return cc->nr_migrate ? BB_ISOLATE_SUCCESS : BB_ISOLATE_NONE;
}

/*
 * migrate_pages() with compaction_alloc() and compaction_free(): move each
 * candidate to a target block.  The migrated allocation's old block is
 * freed to the buddy lists at once (never through the pcp lists), so that
 * compact_finished() sees it merge.  bb_migrate_alloc() counts
 * pgmigrate_success and pgmigrate_fail; a candidate left without a target
 * is counted failed here, as migrate_pages() does.  Returns 0, the number
 * of allocations not migrated, or -ENOMEM when the targets ran out.
 */
static int bb_migrate_pages(struct bb_compact_control *cc)
{
	struct bb_sandbox *sb = cc->sb;
	int nr_failed = 0;
	unsigned int i;

	for (i = 0; i < cc->nr_migrate; i++) {
		unsigned long src = cc->migratepages[i].pfn;
		unsigned int order = cc->migratepages[i].order;
		unsigned long dst;
		int ret;

		dst = bb_compaction_alloc(cc, order);
		if (dst == BB_COMPACT_NO_PFN) {
			bb_count_event(sb, BB_PGMIGRATE_FAIL, 1L << order);
			bb_putback_movable_pages(cc);
			return -ENOMEM;
		}

		ret = bb_migrate_alloc(sb, src, dst, order, cc->mode);
		cc->nr_migratepages -= 1UL << order;
		if (ret) {
			bb_compaction_free(cc, dst, order);
			nr_failed++;
			continue;
		}

		spin_lock(&cc->zone->lock);
		bb_compact_free_block(sb, cc->zone, src, order);
		spin_unlock(&cc->zone->lock);
	}
	bb_putback_movable_pages(cc);
	return nr_failed;
}

/* ---- when to stop ---- */

/* kswapd_is_running(): see bb_kcompactd_stop() for the pointer's lifetime */
static bool bb_kswapd_is_running(struct bb_node *pgdat)
{
	struct task_struct *kswapd = READ_ONCE(pgdat->kswapd);

	return kswapd && task_is_running(kswapd);
}

/* fragmentation_score_zone(): external fragmentation for a huge page */
static unsigned int bb_fragmentation_score_zone(struct bb_zone *zone)
{
	return bb_extfrag_for_order(zone, BB_COMPACTION_HPAGE_ORDER);
}

/*
 * fragmentation_score_node(): 0 .. 100, the zones' scores each weighted
 * by the zone's share of the node (fragmentation_score_zone_weighted()),
 * so that a small zone cannot start proactive compaction on its own.
 */
unsigned int bb_fragmentation_score_node(struct bb_node *pgdat)
{
	const unsigned long node_pages = pgdat->node_spanned_pages + 1;
	struct bb_zone *zone = pgdat->node_zones;
	struct bb_zone *end = zone + BB_MAX_NR_ZONES;
	unsigned int score = 0;

	for (; zone < end; zone++)
		score += div64_ul(zone->managed_pages *
				  bb_fragmentation_score_zone(zone), node_pages);
	return score;
}

/*
 * Proactive compaction's two marks on the fragmentation score
 * (fragmentation_score_wmark()): kcompactd starts above the high one and
 * each zone's run goes on down to the low one.  The low mark is 100 -
 * proactiveness, but never under BB_PROACTIVE_WMARK_FLOOR, lest near 100
 * kcompactd never rest; the high one is BB_PROACTIVE_WMARK_GAP above it,
 * at most 100.
 */
#define BB_PROACTIVE_WMARK_FLOOR	5U
#define BB_PROACTIVE_WMARK_GAP		10U

struct bb_score_wmarks {
	unsigned int low;
	unsigned int high;
};

/* the marks for the proactiveness in force; false if it is 0 (off) */
static bool bb_fragmentation_score_wmark(struct bb_sandbox *sb,
					 struct bb_score_wmarks *marks)
{
	unsigned int proactiveness = READ_ONCE(sb->compaction_proactiveness);

	marks->low = max(100U - proactiveness, BB_PROACTIVE_WMARK_FLOOR);
	marks->high = min(marks->low + BB_PROACTIVE_WMARK_GAP, 100U);
	return proactiveness != 0;
}

/*
 * should_proactive_compact_node(): proactive compaction is on, kswapd is
 * not reclaiming on the node (compaction would get in its way), and the
 * node's score is above the high mark.  *@score: the node's score, when
 * it came to measuring it.
 */
static bool bb_should_proactive_compact_node(struct bb_node *pgdat,
					     unsigned int *score)
{
	struct bb_score_wmarks marks;

	*score = 0;
	if (!bb_fragmentation_score_wmark(pgdat->sb, &marks))
		return false;
	if (bb_kswapd_is_running(pgdat))
		return false;

	*score = bb_fragmentation_score_node(pgdat);
	return *score > marks.high;
}

/*
 * __compact_finished(), as an ordered list of stop conditions: the first
 * that holds gives compact_zone() its verdict.  Some verdicts are for the
 * run as it went; a contended run (or a fatal signal) ends as
 * COMPACT_CONTENDED instead (@contended_wins).
 */
struct bb_compact_stop {
	const char *name;
	bool (*holds)(struct bb_compact_control *cc,
		      enum bb_compact_result *verdict);
	bool contended_wins;
};

/*
 * The scanners met: the run has seen the zone (whole_zone) or the part
 * from the cached positions on.  The next run starts from the zone's ends;
 * after an allocation's run kswapd is to clear the skip hints when it next
 * sleeps (kcompactd does not ask for that: the hints are an allocation's
 * to reset).
 */
static bool bb_stop_scanners_met(struct bb_compact_control *cc,
				 enum bb_compact_result *verdict)
{
	if (!bb_compact_scanners_met(cc))
		return false;

	bb_reset_cached_positions(cc->zone);
	if (cc->direct_compaction)
		cc->zone->compact_blockskip_flush = true;
	*verdict = cc->whole_zone ? BB_COMPACT_COMPLETE :
				    BB_COMPACT_PARTIAL_SKIPPED;
	return true;
}

/* proactive compaction makes way for kswapd's reclaim */
static bool bb_stop_proactive_kswapd(struct bb_compact_control *cc,
				     enum bb_compact_result *verdict)
{
	if (!cc->proactive_compaction ||
	    !bb_kswapd_is_running(cc->zone->zone_pgdat))
		return false;

	*verdict = BB_COMPACT_PARTIAL_SKIPPED;
	return true;
}

/* proactive compaction runs until the zone's score is at the low mark */
static bool bb_stop_proactive_score(struct bb_compact_control *cc,
				    enum bb_compact_result *verdict)
{
	struct bb_score_wmarks marks;

	if (!cc->proactive_compaction)
		return false;

	bb_fragmentation_score_wmark(bb_zone_sb(cc->zone), &marks);
	*verdict = bb_fragmentation_score_zone(cc->zone) > marks.low ?
		   BB_COMPACT_CONTINUE : BB_COMPACT_SUCCESS;
	return true;
}

/* compact_memory has no order to reach: only the scanners end it */
static bool bb_stop_via_compact_memory(struct bb_compact_control *cc,
				       enum bb_compact_result *verdict)
{
	if (!bb_is_via_compact_memory(cc->order))
		return false;

	*verdict = BB_COMPACT_CONTINUE;
	return true;
}

/*
 * The migrate scanner stops only at pageblock boundaries: a pageblock left
 * half compacted invites the next fallback into it.
 */
static bool bb_stop_mid_pageblock(struct bb_compact_control *cc,
				  enum bb_compact_result *verdict)
{
	if (bb_pageblock_aligned(cc->migrate_pfn))
		return false;

	*verdict = BB_COMPACT_CONTINUE;
	return true;
}

/*
 * A free block of cc->order or more that the request can take: from its
 * own migratetype's list, or from one the fallback rules let it steal from.
 */
static bool bb_stop_block_free(struct bb_compact_control *cc,
			       enum bb_compact_result *verdict)
{
	unsigned int order;
	bool can_steal;

	for (order = cc->order; order < BB_MAX_ORDER; order++) {
		struct bb_free_area *area = &cc->zone->free_area[order];

		if (list_empty(&area->free_list[cc->migratetype]) &&
		    bb_find_suitable_fallback(area, order, cc->migratetype,
					      true, &can_steal) == -1)
			continue;

		*verdict = BB_COMPACT_SUCCESS;
		return true;
	}
	return false;
}

/* none of the above: no block yet, go on */
static bool bb_stop_no_block(struct bb_compact_control *cc,
			     enum bb_compact_result *verdict)
{
	*verdict = BB_COMPACT_NO_SUITABLE_PAGE;
	return true;
}

static const struct bb_compact_stop bb_compact_stops[] = {
	{ "scanners met",		bb_stop_scanners_met,		false },
	{ "kswapd is reclaiming",	bb_stop_proactive_kswapd,	false },
	{ "fragmentation score",	bb_stop_proactive_score,	true },
	{ "compact_memory",		bb_stop_via_compact_memory,	false },
	{ "mid-pageblock",		bb_stop_mid_pageblock,		false },
	{ "suitable block free",	bb_stop_block_free,		false },
	{ "no suitable block",		bb_stop_no_block,		true },
};

/*
 * __compact_finished(): the verdict of the first stop condition that
 * holds, and its name in *@reason (if @reason).
 */
enum bb_compact_result __bb_compact_finished(struct bb_compact_control *cc,
					     const char **reason)
{
	const struct bb_compact_stop *stop;
	enum bb_compact_result verdict;

	/* the last condition always holds */
	for (stop = bb_compact_stops; !stop->holds(cc, &verdict); stop++)
		;

	if (stop->contended_wins &&
	    (cc->contended || fatal_signal_pending(current)))
		verdict = BB_COMPACT_CONTENDED;
	if (reason)
		*reason = stop->name;
	return verdict;
}

/* compact_finished(): COMPACT_CONTINUE until a block is free */
static enum bb_compact_result bb_compact_finished(struct bb_compact_control *cc)
{
	enum bb_compact_result verdict = __bb_compact_finished(cc, NULL);

	return verdict == BB_COMPACT_NO_SUITABLE_PAGE ? BB_COMPACT_CONTINUE :
							verdict;
}

/* ---- whether to compact at all ---- */

/*
 * The watermark migration targets are counted against: low for costly
 * orders, to give compaction a better chance, min otherwise.
 */
static inline enum bb_zone_watermarks bb_compaction_target_wmark(int order)
{
	return order > BB_PAGE_ALLOC_COSTLY_ORDER ? BB_WMARK_LOW : BB_WMARK_MIN;
}

/*
 * compaction_suitable() asks these in turn; the first that settles it
 * gives the answer (bb_suitable_verdict[]).  __compaction_suitable() is
 * the first three; compaction_zonelist_suitable() asks only those.
 */
enum bb_suitable_check {
	BB_SUITABLE_COMPACT_MEMORY,	/* order -1: compact the zone anyway */
	BB_SUITABLE_WMARK_MET,		/* the request passes its watermark */
	BB_SUITABLE_NO_TARGETS,		/* too few free pages as targets */
	BB_SUITABLE_LOW_MEMORY,		/* the index blames low memory */
	BB_SUITABLE_FRAGMENTED,		/* compaction can help */
};

static const enum bb_compact_result bb_suitable_verdict[] = {
	[BB_SUITABLE_COMPACT_MEMORY] = BB_COMPACT_CONTINUE,
	[BB_SUITABLE_WMARK_MET] = BB_COMPACT_SUCCESS,
	[BB_SUITABLE_NO_TARGETS] = BB_COMPACT_SKIPPED,
	/* COMPACT_NOT_SUITABLE_ZONE, which callers see as skipped */
	[BB_SUITABLE_LOW_MEMORY] = BB_COMPACT_SKIPPED,
	[BB_SUITABLE_FRAGMENTED] = BB_COMPACT_CONTINUE,
};

/* the request would pass its own watermark now: compaction has no use */
static bool bb_compaction_wmark_met(struct bb_zone *zone, int order,
				    unsigned int alloc_flags,
				    int highest_zoneidx)
{
	unsigned long mark = bb_wmark_pages(zone,
					    alloc_flags & BB_ALLOC_WMARK_MASK);

	return bb_zone_watermark_ok(zone, order, mark, highest_zoneidx,
				    alloc_flags);
}

/*
 * The watermark gap check: migration needs order-0 targets, taken as
 * bb_isolate_free_page() takes them (no alloc_flags), so @free_pages must
 * stay above the target watermark plus compact_gap(), counting the
 * request's lowmem_reserve (a zone the request may not use to its end is
 * no place to compact for it).
 */
static bool bb_compaction_gap_ok(struct bb_zone *zone, int order,
				 int highest_zoneidx, unsigned long free_pages)
{
	unsigned long mark = bb_wmark_pages(zone,
					    bb_compaction_target_wmark(order)) +
			     bb_compact_gap(order);

	return __bb_zone_watermark_ok(zone, 0, mark, highest_zoneidx, 0,
				      free_pages);
}

/*
 * The fragmentation index check: an index from 0 up to extfrag_threshold
 * says a failure would be for want of memory, not of contiguity, and
 * compaction would not help.  Only costly orders are held to it: for the
 * others the alternative to compaction is the OOM killer.  (-1000, a
 * block is free, cannot come here: the watermark check passed first.)
 */
static bool bb_compaction_low_memory(struct bb_zone *zone, int order)
{
	int fragindex;

	if (order <= BB_PAGE_ALLOC_COSTLY_ORDER)
		return false;

	fragindex = bb_fragmentation_index(zone, order);
	return fragindex >= 0 &&
	       fragindex <= READ_ONCE(bb_zone_sb(zone)->extfrag_threshold);
}

/*
 * The first check that settles whether to compact @zone for @order, with
 * @free_pages free (the zone's, or what reclaim could make of it);
 * @fragindex: ask the fragmentation index too.
 */
static enum bb_suitable_check
bb_compaction_check(struct bb_zone *zone, int order, unsigned int alloc_flags,
		    int highest_zoneidx, unsigned long free_pages,
		    bool fragindex)
{
	if (bb_is_via_compact_memory(order))
		return BB_SUITABLE_COMPACT_MEMORY;
	if (bb_compaction_wmark_met(zone, order, alloc_flags, highest_zoneidx))
		return BB_SUITABLE_WMARK_MET;
	if (!bb_compaction_gap_ok(zone, order, highest_zoneidx, free_pages))
		return BB_SUITABLE_NO_TARGETS;
	if (fragindex && bb_compaction_low_memory(zone, order))
		return BB_SUITABLE_LOW_MEMORY;
	return BB_SUITABLE_FRAGMENTED;
}

/* compaction_suitable() for any order, -1 (compact_memory) included */
static enum bb_compact_result
bb_compaction_suitable_order(struct bb_zone *zone, int order,
			     unsigned int alloc_flags, int highest_zoneidx)
{
	enum bb_suitable_check check;

	check = bb_compaction_check(zone, order, alloc_flags, highest_zoneidx,
				    READ_ONCE(zone->nr_free_pages), true);
	return bb_suitable_verdict[check];
}

/*
 * compaction_suitable(): COMPACT_SKIPPED if there are too few free pages
 * for compaction (or the zone is not fragmented), COMPACT_SUCCESS if the
 * allocation would succeed without it, COMPACT_CONTINUE to compact.
 */
enum bb_compact_result bb_compaction_suitable(struct bb_zone *zone,
					      unsigned int order,
					      unsigned int alloc_flags,
					      int highest_zoneidx)
{
	return bb_compaction_suitable_order(zone, order, alloc_flags,
					    highest_zoneidx);
}

static inline bool bb_zoneref_allowed(const struct bb_zoneref *z,
				      enum bb_zone_type highest_zoneidx,
				      u32 nodemask)
{
	return z->zone_idx <= highest_zoneidx &&
	       (!nodemask || (nodemask & BIT(bb_zone_to_nid(z->zone))));
}

/*
 * compaction_zonelist_suitable(): would some zone pass
 * __compaction_suitable() if reclaim went on?  A zone's reclaimable pages
 * are its node's LRU pages here: the sandbox keeps one LRU per node.
 */
bool bb_compaction_zonelist_suitable(struct bb_sandbox *sb,
				     const struct bb_alloc_context *ac,
				     unsigned int order, unsigned int alloc_flags)
{
	struct bb_zoneref *z;

	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		enum bb_suitable_check check;
		unsigned long available;

		if (!bb_zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;

		/*
		 * Only a 1/order share of the cache counts: one high-order
		 * request, which may not even get its block, should not cost
		 * all of it.
		 */
		available = order ? bb_node_lru_pages(zone->zone_pgdat) / order : 0;
		available += READ_ONCE(zone->nr_free_pages);
		check = bb_compaction_check(zone, order, alloc_flags,
					    ac->highest_zoneidx, available,
					    false);
		if (bb_suitable_verdict[check] == BB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* ---- compact_zone() ---- */

/* a run starts with no candidates, no targets and nothing counted */
static void bb_compact_run_init(struct bb_compact_control *cc)
{
	cc->sb = bb_zone_sb(cc->zone);
	cc->migratetype = bb_gfp_migratetype(cc->gfp_mask);
	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migrate = 0;
	cc->nr_migratepages = 0;
	cc->contended = false;
	bb_freelist_init(cc);
}

/*
 * Where the scanners start: at the zone's ends for a whole-zone run, else
 * where the last runs left them (the migrate scanner's position kept for
 * this run's mode), each reset to its end of the zone if it lies outside.
 * A run whose migrate scanner starts no higher than where the last full
 * compaction's reset put it covers the whole zone after all.
 */
static void bb_compact_scanners_start(struct bb_compact_control *cc)
{
	struct bb_zone *zone = cc->zone;
	unsigned long first_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = bb_zone_end_pfn(zone);
	unsigned long last_block = bb_pageblock_start_pfn(end_pfn - 1);
	bool sync = cc->mode != BB_MIGRATE_ASYNC;

	/*
	 * The first run after the longest back-off: the skip hints the
	 * failed runs left are stale by now, and so are the positions.
	 */
	if (!bb_is_via_compact_memory(cc->order) &&
	    bb_compaction_restarting(zone, cc->order))
		__bb_reset_isolation_suitable(zone);

	if (cc->whole_zone) {
		cc->migrate_pfn = first_pfn;
		cc->free_pfn = last_block;
		return;
	}

	/*
	 * The free scanner never stops in the zone's first pageblock (it
	 * stays above the migrate scanner), but a zone at pfn 0 has a cached
	 * pfn of 0 before its first compaction: hence <=.
	 */
	cc->free_pfn = zone->compact_cached_free_pfn;
	if (cc->free_pfn <= first_pfn || cc->free_pfn >= end_pfn) {
		cc->free_pfn = last_block;
		zone->compact_cached_free_pfn = last_block;
	}

	cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
	if (!bb_zone_spans_pfn(zone, cc->migrate_pfn)) {
		cc->migrate_pfn = first_pfn;
		zone->compact_cached_migrate_pfn[0] = first_pfn;
		zone->compact_cached_migrate_pfn[1] = first_pfn;
	}

	if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
		cc->whole_zone = true;
}

/* what a round of compact_zone() leaves to the next */
struct bb_compact_progress {
	/*
	 * Where the last round that isolated something started; 0 once the
	 * migrate scanner has left its block of cc->order behind.
	 */
	unsigned long last_migrated_pfn;
	/*
	 * Async run: the sync cached migrate pfn follows the async one
	 * (some migrations fail only in async mode, hence the two) as long
	 * as both agree and no pageblock gave candidates.
	 */
	bool update_cached;
};

/* a run's progress before its first round */
static void bb_compact_progress_start(struct bb_compact_control *cc,
				      struct bb_compact_progress *progress)
{
	const unsigned long *cached = cc->zone->compact_cached_migrate_pfn;

	progress->last_migrated_pfn = 0;
	progress->update_cached = cc->mode == BB_MIGRATE_ASYNC &&
				  cached[0] == cached[1];
}

/*
 * Migrate the batch isolated.  Returns false when the run is to end as
 * contended: the targets ran out before the scanners met.
 */
static bool bb_compact_migrate_batch(struct bb_compact_control *cc,
				     struct bb_compact_progress *progress)
{
	int err = bb_migrate_pages(cc);

	if (!err)
		return true;
	/* out of targets where the scanners met: compact_finished() says so */
	if (err == -ENOMEM && !bb_compact_scanners_met(cc))
		return false;

	/*
	 * Async direct compaction: something stayed put in this block of the
	 * requested order, which cannot become free now; go past it.
	 */
	if (cc->direct_compaction && cc->mode == BB_MIGRATE_ASYNC) {
		cc->migrate_pfn = bb_block_end_pfn(cc->migrate_pfn - 1,
						   cc->order);
		progress->last_migrated_pfn = 0;
	}
	return true;
}

/*
 * One round: isolate candidates from the next pageblock worth it, and
 * migrate them.  Returns false when the run is to end as contended.
 */
static bool bb_compact_round(struct bb_compact_control *cc,
			     struct bb_compact_progress *progress)
{
	struct bb_zone *zone = cc->zone;
	unsigned long round_pfn = cc->migrate_pfn;

	/*
	 * The pageblock the last batch came from, again: its candidates
	 * could not all be isolated, or its freed pages were taken.  This
	 * scan takes the whole pageblock, and marks it skip if it fails.
	 */
	cc->rescan = bb_pageblock_start_pfn(progress->last_migrated_pfn) ==
		     bb_pageblock_start_pfn(round_pfn);

	switch (bb_isolate_migratepages(cc)) {
	case BB_ISOLATE_ABORT:
		bb_putback_movable_pages(cc);
		return false;
	case BB_ISOLATE_NONE:
		if (progress->update_cached)
			zone->compact_cached_migrate_pfn[1] =
				zone->compact_cached_migrate_pfn[0];
		break;
	case BB_ISOLATE_SUCCESS:
		progress->update_cached = false;
		progress->last_migrated_pfn = round_pfn;
		if (!bb_compact_migrate_batch(cc, progress))
			return false;
		break;
	}

	/*
	 * The migrated allocations' blocks went straight to the buddy lists
	 * (where the kernel drains its LRU caches once the scanner leaves
	 * the block of cc->order): only that bookkeeping remains.
	 */
	if (cc->order > 0 && progress->last_migrated_pfn &&
	    progress->last_migrated_pfn <
	    bb_block_start_pfn(cc->migrate_pfn, cc->order))
		progress->last_migrated_pfn = 0;
	return true;
}

/*
 * The end of a run: the targets not used go back to the buddy lists, and
 * the free scanner's restart point moves up to the highest of them, so
 * that the next run sees them again (up only: compact_finished() may have
 * put it back at the zone's end already).
 */
static void bb_compact_run_end(struct bb_compact_control *cc)
{
	struct bb_zone *zone = cc->zone;

	if (cc->nr_freepages) {
		unsigned long block =
			bb_pageblock_start_pfn(bb_release_freepages(cc));

		if (block > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = block;
	}

	bb_count_event(cc->sb, BB_COMPACTMIGRATE_SCANNED,
		       cc->total_migrate_scanned);
	bb_count_event(cc->sb, BB_COMPACTFREE_SCANNED, cc->total_free_scanned);
}

/*
 * compact_zone(): unless compaction_suitable() says there is no point,
 * rounds of isolation and migration until compact_finished() has a
 * verdict.
 */
enum bb_compact_result bb_compact_zone(struct bb_compact_control *cc)
{
	struct bb_compact_progress progress;
	enum bb_compact_result ret;

	bb_compact_run_init(cc);
	ret = bb_compaction_suitable_order(cc->zone, cc->order, cc->alloc_flags,
					   cc->highest_zoneidx);
	if (ret != BB_COMPACT_CONTINUE)
		return ret;

	bb_compact_scanners_start(cc);
	bb_compact_progress_start(cc, &progress);

	while ((ret = bb_compact_finished(cc)) == BB_COMPACT_CONTINUE) {
		if (!bb_compact_round(cc, &progress)) {
			ret = BB_COMPACT_CONTENDED;
			break;
		}
		cond_resched();
	}

	bb_compact_run_end(cc);
	return ret;
}

/* ---- direct compaction ---- */

/*
 * How hard direct compaction tries at each priority: the migration mode,
 * and whether the run is thorough (the whole zone, skip hints ignored, any
 * pageblock type a migration target).
 */
static const struct bb_direct_compact_mode {
	enum bb_migrate_mode mode;
	bool thorough;
} bb_direct_compact_modes[] = {
	[BB_COMPACT_PRIO_SYNC_FULL] = { BB_MIGRATE_SYNC_LIGHT, true },
	[BB_COMPACT_PRIO_SYNC_LIGHT] = { BB_MIGRATE_SYNC_LIGHT, false },
	[BB_COMPACT_PRIO_ASYNC] = { BB_MIGRATE_ASYNC, false },
};

/*
 * What deferral makes of a run for @order: a run that left a block
 * (COMPACT_SUCCESS) lifts the deferral of the order, provisionally (the
 * allocation may still miss the block); a sync run that went over the zone
 * in vain (COMPLETE, PARTIAL_SKIPPED) backs off.  An async run gives up
 * too easily for its failure to count.  Returns true when it backed off.
 */
static bool bb_compaction_note_result(struct bb_zone *zone, int order,
				      enum bb_compact_result status, bool sync)
{
	switch (status) {
	case BB_COMPACT_SUCCESS:
		bb_compaction_defer_reset(zone, order, false);
		return false;
	case BB_COMPACT_COMPLETE:
	case BB_COMPACT_PARTIAL_SKIPPED:
		if (!sync)
			return false;
		bb_defer_compaction(zone, order);
		return true;
	default:
		return false;
	}
}

/* --explain: what direct compaction made of a zone, and why it skipped it */
static void bb_trace_compact_zone(const struct bb_alloc_context *ac,
				  struct bb_zone *zone, unsigned int order,
				  unsigned int alloc_flags,
				  enum bb_compact_result status)
{
	int nid = bb_zone_to_nid(zone);
	unsigned long free = READ_ONCE(zone->nr_free_pages);
	enum bb_zone_watermarks wmark;
	int index, threshold;

	switch (status) {
	case BB_COMPACT_DEFERRED:
		bb_trace(ac->trace,
			 "    zone %s (node %d): compaction deferred (compact_considered %u, compact_defer_shift %u, compact_order_failed %d)\n",
			 zone->name, nid, zone->compact_considered,
			 zone->compact_defer_shift, zone->compact_order_failed);
		break;
	case BB_COMPACT_SKIPPED:
		if (bb_compaction_check(zone, order, alloc_flags,
					ac->highest_zoneidx, free, true) ==
		    BB_SUITABLE_NO_TARGETS) {
			wmark = bb_compaction_target_wmark(order);
			bb_trace(ac->trace,
				 "    zone %s (node %d): compaction skipped: free %lu, not above %s mark %lu + compact_gap %lu + lowmem_reserve %ld, too few for migration targets\n",
				 zone->name, nid, free,
				 wmark == BB_WMARK_LOW ? "low" : "min",
				 bb_wmark_pages(zone, wmark), bb_compact_gap(order),
				 zone->lowmem_reserve[ac->highest_zoneidx]);
			break;
		}
		index = bb_fragmentation_index(zone, order);
		threshold = READ_ONCE(bb_zone_sb(zone)->extfrag_threshold);
		bb_trace(ac->trace,
			 "    zone %s (node %d): compaction skipped: fragmentation index %d.%03d <= extfrag_threshold %d.%03d, short of memory rather than fragmented\n",
			 zone->name, nid, index / 1000, abs(index) % 1000,
			 threshold / 1000, threshold % 1000);
		break;
	default:
		bb_trace(ac->trace, "    zone %s (node %d): compaction %s\n",
			 zone->name, nid, bb_compact_result_names[status]);
	}
}

/* compact_zone_order(): one zone compacted for the request, at @prio */
static enum bb_compact_result
bb_compact_zone_order(struct bb_zone *zone, int order, bb_gfp_t gfp_mask,
		      enum bb_compact_priority prio, unsigned int alloc_flags,
		      const struct bb_alloc_context *ac)
{
	const struct bb_direct_compact_mode *how = &bb_direct_compact_modes[prio];
	struct bb_compact_control cc = {
		.zone = zone,
		.order = order,
		.gfp_mask = gfp_mask,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = ac->highest_zoneidx,
		.direct_compaction = true,
		.mode = how->mode,
		.whole_zone = how->thorough,
		.ignore_skip_hint = how->thorough,
		.ignore_block_suitable = how->thorough,
	};
	enum bb_compact_result status;

	status = bb_compact_zone(&cc);
	if (unlikely(ac->trace))
		bb_trace_compact_zone(ac, zone, order, alloc_flags, status);
	return status;
}

/*
 * Direct compaction of one zone of the zonelist: skipped while deferred
 * (except at the highest priority), else compacted, the outcome fed to
 * the deferral.
 */
static enum bb_compact_result
bb_direct_compact_zone(struct bb_zone *zone, bb_gfp_t gfp, unsigned int order,
		       unsigned int alloc_flags,
		       const struct bb_alloc_context *ac,
		       enum bb_compact_priority prio)
{
	enum bb_compact_result status;

	if (prio != BB_MIN_COMPACT_PRIORITY &&
	    bb_compaction_deferred(zone, order)) {
		if (unlikely(ac->trace))
			bb_trace_compact_zone(ac, zone, order, alloc_flags,
					      BB_COMPACT_DEFERRED);
		return BB_COMPACT_DEFERRED;
	}

	status = bb_compact_zone_order(zone, order, gfp, prio, alloc_flags, ac);
	bb_compaction_note_result(zone, order, status,
				  prio != BB_COMPACT_PRIO_ASYNC);
	return status;
}

/*
 * After a zone: done when it says the allocation should succeed; async
 * compaction also yields when the scheduler wants the CPU back, and a
 * fatal signal ends the request.  A deferred zone took no time: on to the
 * next.
 */
static bool bb_direct_compaction_done(struct bb_sandbox *sb,
				      enum bb_compact_result status,
				      enum bb_compact_priority prio)
{
	if (status == BB_COMPACT_DEFERRED)
		return false;
	if (status == BB_COMPACT_SUCCESS)
		return true;
	return (prio == BB_COMPACT_PRIO_ASYNC && bb_need_resched(sb)) ||
	       fatal_signal_pending(current);
}

/*
 * try_to_compact_pages(): direct compaction for a high-order allocation,
 * zone by zone of the zonelist, until one says the allocation should
 * succeed.  The result is the best of the zones' (in enum order).
 * compact_stall, compact_success and compact_fail are counted by the
 * caller, __alloc_pages_direct_compact() (slowpath.c), which knows whether
 * the allocation succeeded after all.
 */
enum bb_compact_result bb_try_to_compact_pages(struct bb_sandbox *sb,
					       bb_gfp_t gfp, unsigned int order,
					       unsigned int alloc_flags,
					       const struct bb_alloc_context *ac,
					       enum bb_compact_priority prio)
{
	enum bb_compact_result best = BB_COMPACT_SKIPPED;
	struct bb_zoneref *z;

	/* gfp_compaction_allowed(): compaction may do I/O */
	if (!order)
		return BB_COMPACT_SKIPPED;
	if (!(gfp & BB___GFP_IO)) {
		bb_trace(ac->trace, "    compaction skipped: no __GFP_IO\n");
		return BB_COMPACT_SKIPPED;
	}

	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		enum bb_compact_result status;

		if (!bb_zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;

		status = bb_direct_compact_zone(z->zone, gfp, order,
						alloc_flags, ac, prio);
		best = max(best, status);
		if (bb_direct_compaction_done(sb, status, prio))
			break;
	}
	return best;
}

/* ---- manual and proactive compaction ---- */

/*
 * The next populated zone of @pgdat after @zone (NULL: the first), up to
 * @highest_zoneidx; NULL when there is none.
 */
static struct bb_zone *bb_next_populated_zone(struct bb_node *pgdat,
					      struct bb_zone *zone,
					      int highest_zoneidx)
{
	struct bb_zone *last = &pgdat->node_zones[highest_zoneidx];

	for (zone = zone ? zone + 1 : pgdat->node_zones; zone <= last; zone++)
		if (bb_populated_zone(zone))
			return zone;
	return NULL;
}

/*
 * compact_node() and proactive_compact_node(): runs over whole zones
 * that no allocation waits for, each populated zone of @pgdat in turn (or
 * only zone @zone_idx, if >= 0).  Every pageblock is scanned, skip hint or
 * not, for GFP_KERNEL's migratetype; by hand (compact_memory) with sync
 * migration, proactively with sync-light and until the zone's score is
 * down to the low mark.
 */
static void bb_compact_node_zones(struct bb_node *pgdat, int zone_idx,
				  bool proactive)
{
	struct bb_compact_control cc = {
		.order = -1,
		.gfp_mask = BB_GFP_KERNEL,
		.whole_zone = true,
		.ignore_skip_hint = true,
		.proactive_compaction = proactive,
		.mode = proactive ? BB_MIGRATE_SYNC_LIGHT : BB_MIGRATE_SYNC,
	};
	struct bb_zone *zone;

	for (zone = bb_next_populated_zone(pgdat, NULL, BB_MAX_NR_ZONES - 1);
	     zone; zone = bb_next_populated_zone(pgdat, zone, BB_MAX_NR_ZONES - 1)) {
		if (zone_idx >= 0 && zone->idx != zone_idx)
			continue;
		cc.zone = zone;
		bb_compact_zone(&cc);
	}
}

/*
 * compact_node(): a full synchronous compaction of every zone of a node,
 * or of one (@zone_idx), as /proc/sys/vm/compact_memory.  -EINVAL for a
 * node or zone that does not exist.
 */
int bb_compact_node(struct bb_sandbox *sb, int nid, int zone_idx)
{
	if (nid < 0 || nid >= sb->nr_nodes || zone_idx < -1 ||
	    zone_idx >= BB_MAX_NR_ZONES)
		return -EINVAL;
	if (zone_idx >= 0 &&
	    !bb_populated_zone(&sb->node[nid].node_zones[zone_idx]))
		return -EINVAL;

	bb_compact_node_zones(&sb->node[nid], zone_idx, false);
	return 0;
}

/* proactive_compact_node(): every zone, down to the score's low mark */
static void bb_proactive_compact_node(struct bb_node *pgdat)
{
	bb_compact_node_zones(pgdat, -1, true);
}

/* ---- tunables ---- */

int bb_set_compaction_proactiveness(struct bb_sandbox *sb, int val)
{
	int nid;

	if (val < 0 || val > 100)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	WRITE_ONCE(sb->compaction_proactiveness, val);
	mutex_unlock(&sb->tunable_lock);

	/* compaction_proactiveness_sysctl_handler(): go and look now */
	if (val) {
		for (nid = 0; nid < sb->nr_nodes; nid++) {
			struct bb_node *pgdat = &sb->node[nid];

			if (!READ_ONCE(pgdat->kcompactd) ||
			    READ_ONCE(pgdat->proactive_compact_trigger))
				continue;
			WRITE_ONCE(pgdat->proactive_compact_trigger, true);
			wake_up_interruptible(&pgdat->kcompactd_wait);
		}
	}
	return 0;
}

int bb_set_extfrag_threshold(struct bb_sandbox *sb, int val)
{
	if (val < 0 || val > 1000)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	WRITE_ONCE(sb->extfrag_threshold, val);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}

/* ---- kcompactd ---- */

/*
 * kcompactd's request: the highest order kswapd asked for since the last
 * wake (kcompactd_max_order, 0 for none), for the lowest highest_zoneidx.
 * wakeup_kcompactd() widens it; a wake's work takes it.
 */
static void bb_kcompactd_request_clear(struct bb_node *pgdat)
{
	WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, pgdat->nr_zones - 1);
}

static void bb_kcompactd_request_widen(struct bb_node *pgdat, int order,
				       enum bb_zone_type highest_zoneidx)
{
	if (order > READ_ONCE(pgdat->kcompactd_max_order))
		WRITE_ONCE(pgdat->kcompactd_max_order, order);
	if (highest_zoneidx < READ_ONCE(pgdat->kcompactd_highest_zoneidx))
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, highest_zoneidx);
}

/*
 * A wake served @order for zones up to @highest_zoneidx: what it served
 * is done with, but a request that grew meanwhile (a higher order, a
 * lower zone) stays for the next wake.
 */
static void bb_kcompactd_request_served(struct bb_node *pgdat, int order,
					enum bb_zone_type highest_zoneidx)
{
	if (READ_ONCE(pgdat->kcompactd_max_order) <= order)
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) >= highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx,
			   pgdat->nr_zones - 1);
}

/* kswapd's request, or the tunable asking for a proactive look */
static bool bb_kcompactd_work_requested(struct bb_node *pgdat)
{
	return READ_ONCE(pgdat->kcompactd_max_order) > 0 ||
	       READ_ONCE(pgdat->proactive_compact_trigger);
}

/*
 * kthread_should_stop() for kcompactd's work, which may also run in a
 * caller that is no kthread (bb_kcompactd_work()): that is never stopped.
 */
static bool bb_kcompactd_stopping(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

/*
 * kcompactd_node_suitable(): compaction for the request would help one of
 * the zones it may use (each judged for the request's highest zone).
 */
static bool bb_kcompactd_node_suitable(struct bb_node *pgdat)
{
	int highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx);
	int order = READ_ONCE(pgdat->kcompactd_max_order);
	struct bb_zone *zone;

	for (zone = bb_next_populated_zone(pgdat, NULL, highest_zoneidx); zone;
	     zone = bb_next_populated_zone(pgdat, zone, highest_zoneidx)) {
		if (bb_compaction_suitable_order(zone, order, 0,
						 highest_zoneidx) ==
		    BB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/*
 * kcompactd_do_work(): the compaction a request asks for.  Each zone it
 * may use that is neither deferred nor unsuitable (judged for requests up
 * to the zone itself) is compacted until a block of the order is free,
 * and deferred after a run in vain, as sync direct compaction is.
 */
/*
 * kcompactd's run on one zone: none while the zone is deferred or when
 * compaction would not help (judged for requests up to the zone itself);
 * else compaction until a block of the order is free, the outcome fed to
 * the deferral as for sync direct compaction.  Returns false if kcompactd
 * is being stopped.
 */
static bool bb_kcompactd_compact_zone(struct bb_compact_control *cc,
				      struct bb_zone *zone)
{
	struct bb_sandbox *sb = bb_zone_sb(zone);

	if (bb_compaction_deferred(zone, cc->order) ||
	    bb_compaction_suitable_order(zone, cc->order, 0, zone->idx) !=
	    BB_COMPACT_CONTINUE)
		return true;
	if (bb_kcompactd_stopping())
		return false;

	cc->zone = zone;
	/*
	 * A run in vain: free blocks may be stranded on the pcp lists, where
	 * they cannot merge.  Drain them; the deferral just set keeps this
	 * rare.
	 */
	if (bb_compaction_note_result(zone, cc->order, bb_compact_zone(cc),
				      true))
		bb_drain_all_pages(sb, zone);

	bb_count_event(sb, BB_KCOMPACTD_MIGRATE_SCANNED,
		       cc->total_migrate_scanned);
	bb_count_event(sb, BB_KCOMPACTD_FREE_SCANNED, cc->total_free_scanned);
	return true;
}

/*
 * kcompactd_do_work(): the compaction kswapd's request asks for, zone by
 * zone of those it may use; the request is done with unless kcompactd is
 * being stopped.
 */
void bb_kcompactd_do_work(struct bb_node *pgdat)
{
	struct bb_compact_control cc = {
		.order = READ_ONCE(pgdat->kcompactd_max_order),
		.highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx),
		.mode = BB_MIGRATE_SYNC_LIGHT,
		.gfp_mask = BB_GFP_KERNEL,
	};
	struct bb_zone *zone;

	bb_count_event(pgdat->sb, BB_KCOMPACTD_WAKE, 1);
	for (zone = bb_next_populated_zone(pgdat, NULL, cc.highest_zoneidx);
	     zone; zone = bb_next_populated_zone(pgdat, zone, cc.highest_zoneidx)) {
		if (!bb_kcompactd_compact_zone(&cc, zone))
			return;
	}
	bb_kcompactd_request_served(pgdat, cc.order, cc.highest_zoneidx);
}

/*
 * The timer's work (or the tunable's): compact the node proactively if its
 * score calls for it.  Returns the check intervals to sleep next: one, or
 * 1 << COMPACT_MAX_DEFER_SHIFT when compaction did not lower the score.
 */
static unsigned int bb_kcompactd_proactive_work(struct bb_node *pgdat)
{
	unsigned int score;

	if (!bb_should_proactive_compact_node(pgdat, &score))
		return 1;

	bb_proactive_compact_node(pgdat);
	if (bb_fragmentation_score_node(pgdat) < score)
		return 1;
	return 1U << BB_COMPACT_MAX_DEFER_SHIFT;
}

/*
 * One wake of kcompactd: kswapd's request if it was woken for one
 * (@requested) and the tunable did not ask for a proactive look; else the
 * proactive check.  Returns the check intervals to sleep next.
 */
static unsigned int __bb_kcompactd_work(struct bb_node *pgdat, bool requested)
{
	unsigned int intervals;

	if (requested && !READ_ONCE(pgdat->proactive_compact_trigger)) {
		if (!bb_kcompactd_stopping())
			bb_kcompactd_do_work(pgdat);
		return 1;
	}

	intervals = bb_kcompactd_proactive_work(pgdat);
	if (READ_ONCE(pgdat->proactive_compact_trigger))
		WRITE_ONCE(pgdat->proactive_compact_trigger, false);
	return intervals;
}

/*
 * What one wake of kcompactd does, run by the caller: the request's
 * compaction if there is a request (kcompactd_max_order > 0) and the
 * tunable did not ask for a proactive look (proactive_compact_trigger),
 * else the proactive check, which compacts the node if its score is above
 * the high mark, and clears the trigger.  Returns how many
 * HPAGE_FRAG_CHECK_INTERVAL_MSEC intervals the thread would sleep next
 * (with proactiveness > 0): 1, or 1 << COMPACT_MAX_DEFER_SHIFT after a
 * proactive compaction that did not lower the score.
 */
unsigned int bb_kcompactd_work(struct bb_node *pgdat)
{
	return __bb_kcompactd_work(pgdat,
				   READ_ONCE(pgdat->kcompactd_max_order) > 0);
}

/*
 * wakeup_kcompactd(): kswapd balanced the node for @order; record the
 * request, and wake kcompactd if it sleeps and some zone can use it.
 */
void bb_wakeup_kcompactd(struct bb_node *pgdat, int order,
			 enum bb_zone_type highest_zoneidx)
{
	if (!order || !READ_ONCE(pgdat->kcompactd))
		return;

	bb_kcompactd_request_widen(pgdat, order, highest_zoneidx);

	/*
	 * An awake kcompactd finds the request when it next looks: the
	 * sleeper check is ordered against the condition check in
	 * wait_event_freezable_timeout().
	 */
	if (wq_has_sleeper(&pgdat->kcompactd_wait) &&
	    bb_kcompactd_node_suitable(pgdat))
		wake_up_interruptible(&pgdat->kcompactd_wait);
}

/*
 * kcompactd(): sleep until kswapd asks for an order or the tunable for a
 * look, or for the intervals the last wake said (none while proactiveness
 * is 0), then do one wake's work.
 */
static int bb_kcompactd(void *p)
{
	struct bb_node *pgdat = p;
	const long interval =
		msecs_to_jiffies(BB_HPAGE_FRAG_CHECK_INTERVAL_MSEC);
	unsigned int intervals = 1;

	set_freezable();
	bb_kcompactd_request_clear(pgdat);

	while (!kthread_should_stop()) {
		long timeout = MAX_SCHEDULE_TIMEOUT;
		long woken;

		if (READ_ONCE(pgdat->sb->compaction_proactiveness))
			timeout = interval * intervals;
		woken = wait_event_freezable_timeout(pgdat->kcompactd_wait,
						     bb_kcompactd_work_requested(pgdat) ||
						     kthread_should_stop(),
						     timeout);
		intervals = __bb_kcompactd_work(pgdat, woken != 0);
	}
	return 0;
}

/*
 * kcompactd_run() for every node: "bb_kcompactd<nid>".  On failure the
 * threads started are stopped again.
 */
int bb_kcompactd_run(struct bb_sandbox *sb)
{
	int nid;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];
		struct task_struct *t;

		if (pgdat->kcompactd)
			continue;
		t = kthread_run(bb_kcompactd, pgdat, "bb_kcompactd%d", nid);
		if (IS_ERR(t)) {
			pr_err("failed to start kcompactd on node %d\n", nid);
			bb_kcompactd_stop(sb);
			return PTR_ERR(t);
		}
		WRITE_ONCE(pgdat->kcompactd, t);
	}
	return 0;
}

/*
 * kcompactd_stop().  kcompactd looks at pgdat->kswapd (kswapd_is_running())
 * without a lock, so it must be stopped before kswapd is.
 */
void bb_kcompactd_stop(struct bb_sandbox *sb)
{
	int nid;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];
		struct task_struct *t = pgdat->kcompactd;

		if (t) {
			kthread_stop(t);
			WRITE_ONCE(pgdat->kcompactd, NULL);
		}
	}
}
