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
 * defer_compaction(): compaction failed for @order; skip the next
 * 1 << compact_defer_shift attempts, up to 1 << COMPACT_MAX_DEFER_SHIFT.
 */
void bb_defer_compaction(struct bb_zone *zone, unsigned int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;

	if ((int)order < zone->compact_order_failed)
		zone->compact_order_failed = order;

	if (zone->compact_defer_shift > BB_COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = BB_COMPACT_MAX_DEFER_SHIFT;
}

/* compaction_deferred(): true if this attempt should be skipped */
bool bb_compaction_deferred(struct bb_zone *zone, unsigned int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if ((int)order < zone->compact_order_failed)
		return false;

	/* saturate at the limit: the counter only needs to reach it */
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = defer_limit;
		return false;
	}
	return true;
}

/*
 * compaction_defer_reset(): compaction of @order succeeded, which means an
 * allocation succeeded (@alloc_success) or is expected to.
 */
void bb_compaction_defer_reset(struct bb_zone *zone, unsigned int order,
			       bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if ((int)order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
}

/* compaction_restarting(): retrying after the longest deferral */
bool bb_compaction_restarting(struct bb_zone *zone, unsigned int order)
{
	if ((int)order < zone->compact_order_failed)
		return false;

	return zone->compact_defer_shift == BB_COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1UL << zone->compact_defer_shift;
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
 * fragmentation_score_zone_weighted(): the zone's score scaled by its
 * share of the node, so that small zones weigh little.
 */
static unsigned int bb_fragmentation_score_zone_weighted(struct bb_zone *zone)
{
	unsigned long score;

	score = zone->managed_pages * bb_fragmentation_score_zone(zone);
	return div64_ul(score, zone->zone_pgdat->node_spanned_pages + 1);
}

/* fragmentation_score_node(): 0 .. 100 */
unsigned int bb_fragmentation_score_node(struct bb_node *pgdat)
{
	unsigned int score = 0;
	int zoneid;

	for (zoneid = 0; zoneid < BB_MAX_NR_ZONES; zoneid++)
		score += bb_fragmentation_score_zone_weighted(&pgdat->node_zones[zoneid]);
	return score;
}

/*
 * fragmentation_score_wmark(): proactive compaction starts above the high
 * mark and runs down to the low one.
 */
static unsigned int bb_fragmentation_score_wmark(struct bb_node *pgdat,
						 bool low)
{
	unsigned int proactiveness = READ_ONCE(pgdat->sb->compaction_proactiveness);
	unsigned int wmark_low;

	/* near proactiveness 100 the low mark would keep kcompactd busy */
	wmark_low = max(100U - proactiveness, 5U);
	return low ? wmark_low : min(wmark_low + 10, 100U);
}

static bool bb_should_proactive_compact_node(struct bb_node *pgdat)
{
	unsigned int wmark_high;

	if (!READ_ONCE(pgdat->sb->compaction_proactiveness) ||
	    bb_kswapd_is_running(pgdat))
		return false;

	wmark_high = bb_fragmentation_score_wmark(pgdat, false);
	return bb_fragmentation_score_node(pgdat) > wmark_high;
}

/*
 * __compact_finished(): done when the scanners met, when a block of
 * cc->order is free on a list the allocation can take it from (its own, or
 * one it would steal from), or when the zone is defragmented enough for
 * proactive compaction.
 */
static enum bb_compact_result __bb_compact_finished(struct bb_compact_control *cc)
{
	const int migratetype = cc->migratetype;
	enum bb_compact_result ret;
	int order;

	/* the scanners met: this run has seen the whole zone */
	if (bb_compact_scanners_met(cc)) {
		/* the next run starts from the zone's ends again */
		bb_reset_cached_positions(cc->zone);

		/*
		 * kswapd clears the skip hints when it next sleeps; only an
		 * allocation's compaction asks for it, kcompactd's does not.
		 */
		if (cc->direct_compaction)
			cc->zone->compact_blockskip_flush = true;

		if (cc->whole_zone)
			return BB_COMPACT_COMPLETE;
		return BB_COMPACT_PARTIAL_SKIPPED;
	}

	if (cc->proactive_compaction) {
		struct bb_node *pgdat = cc->zone->zone_pgdat;
		unsigned int score, wmark_low;

		if (bb_kswapd_is_running(pgdat))
			return BB_COMPACT_PARTIAL_SKIPPED;

		score = bb_fragmentation_score_zone(cc->zone);
		wmark_low = bb_fragmentation_score_wmark(pgdat, true);

		ret = score > wmark_low ? BB_COMPACT_CONTINUE : BB_COMPACT_SUCCESS;
		goto out;
	}

	if (bb_is_via_compact_memory(cc->order))
		return BB_COMPACT_CONTINUE;

	/*
	 * Finish the pageblock under way first: a half-compacted block
	 * invites the next fallback.
	 */
	if (!bb_pageblock_aligned(cc->migrate_pfn))
		return BB_COMPACT_CONTINUE;

	/* direct compaction: is there now a block the request can take? */
	ret = BB_COMPACT_NO_SUITABLE_PAGE;
	for (order = cc->order; order < BB_MAX_ORDER; order++) {
		struct bb_free_area *area = &cc->zone->free_area[order];
		bool can_steal;

		/* a free block of the requested mobility */
		if (!list_empty(&area->free_list[migratetype]))
			return BB_COMPACT_SUCCESS;

		/*
		 * Or a block of another mobility that the fallback rules let
		 * this request steal: good enough as well.
		 */
		if (bb_find_suitable_fallback(area, order, migratetype, true,
					      &can_steal) != -1)
			return BB_COMPACT_SUCCESS;
	}

out:
	if (cc->contended || fatal_signal_pending(current))
		ret = BB_COMPACT_CONTENDED;
	return ret;
}

static enum bb_compact_result bb_compact_finished(struct bb_compact_control *cc)
{
	enum bb_compact_result ret = __bb_compact_finished(cc);

	if (ret == BB_COMPACT_NO_SUITABLE_PAGE)
		ret = BB_COMPACT_CONTINUE;
	return ret;
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

static enum bb_compact_result
__bb_compaction_suitable(struct bb_zone *zone, int order,
			 unsigned int alloc_flags, int highest_zoneidx,
			 unsigned long wmark_target)
{
	unsigned long watermark;

	if (bb_is_via_compact_memory(order))
		return BB_COMPACT_CONTINUE;

	watermark = bb_wmark_pages(zone, alloc_flags & BB_ALLOC_WMARK_MASK);
	/* the request would succeed as things are: nothing to compact */
	if (bb_zone_watermark_ok(zone, order, watermark, highest_zoneidx,
				 alloc_flags))
		return BB_COMPACT_SUCCESS;

	/*
	 * Migration needs free order-0 targets: enough free pages above the
	 * target watermark plus the gap of compact_gap().
	 */
	watermark = bb_wmark_pages(zone, bb_compaction_target_wmark(order)) +
		    bb_compact_gap(order);
	if (!__bb_zone_watermark_ok(zone, 0, watermark, highest_zoneidx, 0,
				    wmark_target))
		return BB_COMPACT_SKIPPED;

	return BB_COMPACT_CONTINUE;
}

static enum bb_compact_result
bb_compaction_suitable_order(struct bb_zone *zone, int order,
			     unsigned int alloc_flags, int highest_zoneidx)
{
	enum bb_compact_result ret;
	int fragindex;

	ret = __bb_compaction_suitable(zone, order, alloc_flags,
				       highest_zoneidx,
				       READ_ONCE(zone->nr_free_pages));
	/*
	 * The fragmentation index tells whether a failure would be due to
	 * low memory (towards 0) or to fragmentation (towards 1000): only
	 * compact for fragmentation, and only for costly orders, where the
	 * alternative to compaction is not OOM.
	 */
	if (ret == BB_COMPACT_CONTINUE && order > BB_PAGE_ALLOC_COSTLY_ORDER) {
		fragindex = bb_fragmentation_index(zone, order);
		if (fragindex >= 0 &&
		    fragindex <= READ_ONCE(bb_zone_sb(zone)->extfrag_threshold))
			ret = BB_COMPACT_NOT_SUITABLE_ZONE;
	}

	if (ret == BB_COMPACT_NOT_SUITABLE_ZONE)
		ret = BB_COMPACT_SKIPPED;
	return ret;
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
		if (__bb_compaction_suitable(zone, order, alloc_flags,
					     ac->highest_zoneidx, available) ==
		    BB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* ---- compact_zone() ---- */

enum bb_compact_result bb_compact_zone(struct bb_compact_control *cc)
{
	struct bb_zone *zone = cc->zone;
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = bb_zone_end_pfn(zone);
	const bool sync = cc->mode != BB_MIGRATE_ASYNC;
	unsigned long last_migrated_pfn;
	enum bb_compact_result ret;
	bool update_cached;

	cc->sb = bb_zone_sb(zone);
	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migrate = 0;
	cc->nr_migratepages = 0;
	cc->contended = false;
	bb_freelist_init(cc);

	cc->migratetype = bb_gfp_migratetype(cc->gfp_mask);
	ret = bb_compaction_suitable_order(zone, cc->order, cc->alloc_flags,
					   cc->highest_zoneidx);
	/* too few free pages, or not fragmented: compaction would not help */
	if (ret == BB_COMPACT_SUCCESS || ret == BB_COMPACT_SKIPPED)
		return ret;

	/*
	 * A retry after the longest deferral: forget the skip hints of the
	 * failed runs.
	 */
	if (!bb_is_via_compact_memory(cc->order) &&
	    bb_compaction_restarting(zone, cc->order))
		__bb_reset_isolation_suitable(zone);

	/*
	 * Where the scanners start: the zone's ends for a whole-zone run,
	 * else where the last run left them, if that is inside the zone.
	 */
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = bb_pageblock_start_pfn(end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact_cached_free_pfn;
		/*
		 * The free scanner never stops in the zone's first pageblock
		 * (it stays above the migrate scanner's), but a zone at pfn 0
		 * has a cached pfn of 0 before its first compaction.
		 */
		if (cc->free_pfn <= start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = bb_pageblock_start_pfn(end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = cc->migrate_pfn;
			zone->compact_cached_migrate_pfn[1] = cc->migrate_pfn;
		}

		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}

	last_migrated_pfn = 0;

	/*
	 * Async and sync keep separate cached migrate pfns, since some
	 * migrations fail in async mode; until a pageblock with candidates
	 * is found, keep them in step.
	 */
	update_cached = !sync &&
		zone->compact_cached_migrate_pfn[0] ==
		zone->compact_cached_migrate_pfn[1];

	while ((ret = bb_compact_finished(cc)) == BB_COMPACT_CONTINUE) {
		unsigned long iteration_start_pfn = cc->migrate_pfn;
		int err;

		/*
		 * Avoid multiple rescans of a pageblock whose pages could not
		 * be isolated or were allocated again: the first rescan
		 * captures the entire pageblock; if it fails, the block is
		 * marked skip.
		 */
		cc->rescan = false;
		if (bb_pageblock_start_pfn(last_migrated_pfn) ==
		    bb_pageblock_start_pfn(iteration_start_pfn))
			cc->rescan = true;

		switch (bb_isolate_migratepages(cc)) {
		case BB_ISOLATE_ABORT:
			ret = BB_COMPACT_CONTENDED;
			bb_putback_movable_pages(cc);
			goto out;
		case BB_ISOLATE_NONE:
			if (update_cached)
				zone->compact_cached_migrate_pfn[1] =
					zone->compact_cached_migrate_pfn[0];
			goto check_drain;
		case BB_ISOLATE_SUCCESS:
			update_cached = false;
			last_migrated_pfn = iteration_start_pfn;
		}

		err = bb_migrate_pages(cc);
		if (err) {
			/*
			 * The targets ran out: stop, unless the scanners met
			 * and compact_finished() should say so.
			 */
			if (err == -ENOMEM && !bb_compact_scanners_met(cc)) {
				ret = BB_COMPACT_CONTENDED;
				goto out;
			}
			/*
			 * Something in this block of the requested order stayed
			 * put: the block cannot become free, go past it.
			 */
			if (cc->direct_compaction &&
			    cc->mode == BB_MIGRATE_ASYNC) {
				cc->migrate_pfn = bb_block_end_pfn(cc->migrate_pfn - 1,
								   cc->order);
				last_migrated_pfn = 0;
			}
		}

check_drain:
		/*
		 * The migrated allocations' blocks went straight to the buddy
		 * lists (the kernel drains its LRU caches here): only the
		 * bookkeeping of the order-aligned block remains.
		 */
		if (cc->order > 0 && last_migrated_pfn &&
		    last_migrated_pfn < bb_block_start_pfn(cc->migrate_pfn,
							   cc->order))
			last_migrated_pfn = 0;

		cond_resched();
	}

out:
	/*
	 * Unused targets go back to the buddy lists; the free scanner's
	 * restart point moves up to the highest of them so that the next run
	 * sees them again.
	 */
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = bb_release_freepages(cc);

		/* cached pfns are pageblock starts */
		free_pfn = bb_pageblock_start_pfn(free_pfn);
		/*
		 * Move the restart point down only: compact_finished() may
		 * already have put it back at the zone's end.
		 */
		if (free_pfn > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = free_pfn;
	}

	bb_count_event(cc->sb, BB_COMPACTMIGRATE_SCANNED,
		       cc->total_migrate_scanned);
	bb_count_event(cc->sb, BB_COMPACTFREE_SCANNED, cc->total_free_scanned);
	return ret;
}

/* ---- direct compaction ---- */

static enum bb_compact_result
bb_compact_zone_order(struct bb_zone *zone, int order, bb_gfp_t gfp_mask,
		      enum bb_compact_priority prio, unsigned int alloc_flags,
		      int highest_zoneidx)
{
	struct bb_compact_control cc = {
		.zone = zone,
		.order = order,
		.gfp_mask = gfp_mask,
		.mode = prio == BB_COMPACT_PRIO_ASYNC ? BB_MIGRATE_ASYNC :
							BB_MIGRATE_SYNC_LIGHT,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.direct_compaction = true,
		.whole_zone = prio == BB_MIN_COMPACT_PRIORITY,
		.ignore_skip_hint = prio == BB_MIN_COMPACT_PRIORITY,
		.ignore_block_suitable = prio == BB_MIN_COMPACT_PRIORITY,
	};

	return bb_compact_zone(&cc);
}

/* --explain: what direct compaction made of a zone, and why it skipped it */
static void bb_trace_compact_zone(const struct bb_alloc_context *ac,
				  struct bb_zone *zone, unsigned int order,
				  unsigned int alloc_flags,
				  enum bb_compact_result status)
{
	int nid = bb_zone_to_nid(zone);
	unsigned long free = READ_ONCE(zone->nr_free_pages);
	int index, threshold;

	switch (status) {
	case BB_COMPACT_DEFERRED:
		bb_trace(ac->trace,
			 "    zone %s (node %d): compaction deferred (compact_considered %u, compact_defer_shift %u, compact_order_failed %d)\n",
			 zone->name, nid, zone->compact_considered,
			 zone->compact_defer_shift, zone->compact_order_failed);
		break;
	case BB_COMPACT_SKIPPED:
		if (__bb_compaction_suitable(zone, order, alloc_flags,
					     ac->highest_zoneidx, free) ==
		    BB_COMPACT_SKIPPED) {
			enum bb_zone_watermarks wmark =
				bb_compaction_target_wmark(order);

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

/*
 * try_to_compact_pages(): direct compaction for a high-order allocation,
 * zone by zone of the zonelist, skipping deferred zones (except at the
 * highest priority), until one says the allocation should succeed.
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
	enum bb_compact_result rc = BB_COMPACT_SKIPPED;
	struct bb_zoneref *z;

	/* gfp_compaction_allowed(): compaction may do I/O */
	if (!order)
		return BB_COMPACT_SKIPPED;
	if (!(gfp & BB___GFP_IO)) {
		bb_trace(ac->trace, "    compaction skipped: no __GFP_IO\n");
		return BB_COMPACT_SKIPPED;
	}

	/* the zonelist's zones, in order */
	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		enum bb_compact_result status;

		if (!bb_zoneref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;

		if (prio > BB_MIN_COMPACT_PRIORITY &&
		    bb_compaction_deferred(zone, order)) {
			rc = max_t(enum bb_compact_result, BB_COMPACT_DEFERRED, rc);
			if (unlikely(ac->trace))
				bb_trace_compact_zone(ac, zone, order, alloc_flags,
						      BB_COMPACT_DEFERRED);
			continue;
		}

		status = bb_compact_zone_order(zone, order, gfp, prio,
					       alloc_flags, ac->highest_zoneidx);
		rc = max(status, rc);
		if (unlikely(ac->trace))
			bb_trace_compact_zone(ac, zone, order, alloc_flags,
					      status);

		/* a block the request can take: stop here */
		if (status == BB_COMPACT_SUCCESS) {
			/*
			 * Provisional: the slow path resets the deferral again,
			 * as a success, once the allocation has its block.
			 */
			bb_compaction_defer_reset(zone, order, false);
			break;
		}

		/*
		 * A full sync run that found nothing: defer this zone's
		 * compaction (undone if the allocation succeeds after all).
		 */
		if (prio != BB_COMPACT_PRIO_ASYNC &&
		    (status == BB_COMPACT_COMPLETE ||
		     status == BB_COMPACT_PARTIAL_SKIPPED))
			bb_defer_compaction(zone, order);

		/*
		 * Async compaction yields to the scheduler, and a fatal
		 * signal ends the request: no further zones then.
		 */
		if ((prio == BB_COMPACT_PRIO_ASYNC && need_resched()) ||
		    fatal_signal_pending(current))
			break;
	}

	return rc;
}

/* ---- manual and proactive compaction ---- */

/*
 * compact_node(): a full synchronous compaction of every zone of a node,
 * or of one (@zone_idx), as /proc/sys/vm/compact_memory.  -EINVAL for a
 * node or zone that does not exist.
 */
int bb_compact_node(struct bb_sandbox *sb, int nid, int zone_idx)
{
	struct bb_compact_control cc = {
		.order = -1,
		.mode = BB_MIGRATE_SYNC,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = BB_GFP_KERNEL,
	};
	struct bb_node *pgdat;
	int zoneid;

	if (nid < 0 || nid >= sb->nr_nodes || zone_idx < -1 ||
	    zone_idx >= BB_MAX_NR_ZONES)
		return -EINVAL;
	pgdat = &sb->node[nid];
	if (zone_idx >= 0 && !bb_populated_zone(&pgdat->node_zones[zone_idx]))
		return -EINVAL;

	for (zoneid = 0; zoneid < BB_MAX_NR_ZONES; zoneid++) {
		struct bb_zone *zone = &pgdat->node_zones[zoneid];

		if (zone_idx >= 0 && zoneid != zone_idx)
			continue;
		if (!bb_populated_zone(zone))
			continue;

		cc.zone = zone;
		bb_compact_zone(&cc);
	}
	return 0;
}

/*
 * proactive_compact_node(): compact every zone of the node until its
 * fragmentation score is down to the low mark.
 */
static void bb_proactive_compact_node(struct bb_node *pgdat)
{
	struct bb_compact_control cc = {
		.order = -1,
		.mode = BB_MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = BB_GFP_KERNEL,
		.proactive_compaction = true,
	};
	int zoneid;

	for (zoneid = 0; zoneid < BB_MAX_NR_ZONES; zoneid++) {
		struct bb_zone *zone = &pgdat->node_zones[zoneid];

		if (!bb_populated_zone(zone))
			continue;

		cc.zone = zone;
		bb_compact_zone(&cc);
	}
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

static bool bb_kcompactd_work_requested(struct bb_node *pgdat)
{
	return READ_ONCE(pgdat->kcompactd_max_order) > 0 ||
	       kthread_should_stop() ||
	       READ_ONCE(pgdat->proactive_compact_trigger);
}

static bool bb_kcompactd_node_suitable(struct bb_node *pgdat)
{
	int highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx);
	int order = READ_ONCE(pgdat->kcompactd_max_order);
	int zoneid;

	for (zoneid = 0; zoneid <= highest_zoneidx; zoneid++) {
		struct bb_zone *zone = &pgdat->node_zones[zoneid];

		if (!bb_populated_zone(zone))
			continue;
		if (bb_compaction_suitable_order(zone, order, 0,
						 highest_zoneidx) ==
		    BB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/*
 * kcompactd_do_work(): compact the node's zones so that a block of
 * kcompactd_max_order is free, deferring like sync direct compaction.
 */
static void bb_kcompactd_do_work(struct bb_node *pgdat)
{
	struct bb_sandbox *sb = pgdat->sb;
	struct bb_compact_control cc = {
		.order = READ_ONCE(pgdat->kcompactd_max_order),
		.highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx),
		.mode = BB_MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = false,
		.gfp_mask = BB_GFP_KERNEL,
	};
	int zoneid;

	bb_count_event(sb, BB_KCOMPACTD_WAKE, 1);

	for (zoneid = 0; zoneid <= cc.highest_zoneidx; zoneid++) {
		struct bb_zone *zone = &pgdat->node_zones[zoneid];
		enum bb_compact_result status;

		if (!bb_populated_zone(zone))
			continue;

		if (bb_compaction_deferred(zone, cc.order))
			continue;

		if (bb_compaction_suitable_order(zone, cc.order, 0, zoneid) !=
		    BB_COMPACT_CONTINUE)
			continue;

		if (kthread_should_stop())
			return;

		cc.zone = zone;
		status = bb_compact_zone(&cc);

		if (status == BB_COMPACT_SUCCESS) {
			bb_compaction_defer_reset(zone, cc.order, false);
		} else if (status == BB_COMPACT_PARTIAL_SKIPPED ||
			   status == BB_COMPACT_COMPLETE) {
			/*
			 * Free blocks may be stranded on the pcp lists where
			 * they cannot merge; ratelimited by the deferral.
			 */
			bb_drain_all_pages(sb, zone);

			/* sync migration: defer like sync direct compaction */
			bb_defer_compaction(zone, cc.order);
		}

		bb_count_event(sb, BB_KCOMPACTD_MIGRATE_SCANNED,
			       cc.total_migrate_scanned);
		bb_count_event(sb, BB_KCOMPACTD_FREE_SCANNED,
			       cc.total_free_scanned);
	}

	/*
	 * Done until the next wakeup; keep a request that came in meanwhile
	 * for a higher order or a lower zone.
	 */
	if (READ_ONCE(pgdat->kcompactd_max_order) <= cc.order)
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) >= cc.highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, pgdat->nr_zones - 1);
}

/*
 * wakeup_kcompactd(): kswapd balanced the node for @order; wake kcompactd
 * to compact for it, if there is something to do.
 */
void bb_wakeup_kcompactd(struct bb_node *pgdat, int order,
			 enum bb_zone_type highest_zoneidx)
{
	if (!order || !READ_ONCE(pgdat->kcompactd))
		return;

	if (READ_ONCE(pgdat->kcompactd_max_order) < order)
		WRITE_ONCE(pgdat->kcompactd_max_order, order);

	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) > highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, highest_zoneidx);

	/* ordered against the waiter's check in wait_event_freezable() */
	if (!wq_has_sleeper(&pgdat->kcompactd_wait))
		return;

	if (!bb_kcompactd_node_suitable(pgdat))
		return;

	wake_up_interruptible(&pgdat->kcompactd_wait);
}

/*
 * kcompactd(): sleep until kswapd asks for an order, or every half second
 * (unless proactiveness is 0) to see whether the node's fragmentation
 * score calls for proactive compaction.
 */
static int bb_kcompactd(void *p)
{
	struct bb_node *pgdat = p;
	long default_timeout =
		msecs_to_jiffies(BB_HPAGE_FRAG_CHECK_INTERVAL_MSEC);
	long timeout = default_timeout;

	set_freezable();

	WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, pgdat->nr_zones - 1);

	while (!kthread_should_stop()) {
		/* No periodic wakeups when proactive compaction is off */
		if (!READ_ONCE(pgdat->sb->compaction_proactiveness))
			timeout = MAX_SCHEDULE_TIMEOUT;
		if (wait_event_freezable_timeout(pgdat->kcompactd_wait,
						 bb_kcompactd_work_requested(pgdat),
						 timeout) &&
		    !READ_ONCE(pgdat->proactive_compact_trigger)) {
			if (kthread_should_stop())
				break;
			bb_kcompactd_do_work(pgdat);
			timeout = default_timeout;
			continue;
		}

		/*
		 * Proactive compaction runs on a timer, the default one at
		 * first; the fragmentation score changes it later.
		 */
		timeout = default_timeout;
		if (bb_should_proactive_compact_node(pgdat)) {
			unsigned int prev_score, score;

			prev_score = bb_fragmentation_score_node(pgdat);
			bb_proactive_compact_node(pgdat);
			score = bb_fragmentation_score_node(pgdat);
			/* no progress: try again much later */
			if (unlikely(score >= prev_score))
				timeout = default_timeout <<
					  BB_COMPACT_MAX_DEFER_SHIFT;
		}
		if (unlikely(READ_ONCE(pgdat->proactive_compact_trigger)))
			WRITE_ONCE(pgdat->proactive_compact_trigger, false);
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
		t = kthread_run(bb_kcompactd, pgdat, "bb_kcompactd%d/%s", nid, sb->cfg.name);
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
