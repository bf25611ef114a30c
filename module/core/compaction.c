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
#include "events.h"

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
	bb_ev_compaction_defer_compaction(zone, order);
}

/* compaction_deferred(): true if this attempt at @order is skipped */
bool bb_compaction_deferred(struct bb_zone *zone, unsigned int order)
{
	if (!bb_defer_event(zone, order, BB_DEFER_ATTEMPT))
		return false;
	bb_ev_compaction_deferred(zone, order);
	return true;
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

/* ---- skip hints and restart points ---- */

/*
 * What compaction remembers of a zone between runs, both only hints:
 *
 *  - the skip bit of a pageblock: a scanner found nothing to take there
 *    lately, and the next ones pass it by (unless they ignore the hints:
 *    manual and proactive compaction, and direct compaction at its highest
 *    priority, which costly orders never reach);
 *  - the restart points: compact_cached_migrate_pfn[] (async runs and
 *    sync runs each keep one, as async runs pass blocks over that sync
 *    runs would take) and compact_cached_free_pfn, where the scanners of a
 *    run that does not cover the whole zone start.
 *
 * Restart points only move towards each other as runs go on, and go back
 * to the zone's ends when the scanners meet.  Skip bits stay until a
 * direct compaction whose scanners met asks for a flush
 * (compact_blockskip_flush): kswapd does it when it goes to sleep, and
 * compact_zone() when compaction restarts after its longest deferral.
 */

/* the two scanners' indices in compact_cached_migrate_pfn[] */
#define BB_CACHED_MIGRATE_ASYNC	0
#define BB_CACHED_MIGRATE_SYNC	1

static inline unsigned long bb_zone_last_pageblock(const struct bb_zone *zone)
{
	return bb_pageblock_start_pfn(bb_zone_end_pfn(zone) - 1);
}

static void bb_set_restart_points(struct bb_zone *zone,
				  unsigned long migrate_pfn,
				  unsigned long free_pfn)
{
	zone->compact_cached_migrate_pfn[BB_CACHED_MIGRATE_ASYNC] = migrate_pfn;
	zone->compact_cached_migrate_pfn[BB_CACHED_MIGRATE_SYNC] = migrate_pfn;
	zone->compact_cached_free_pfn = free_pfn;
}

/* reset_cached_positions(): the scanners met; start anew at the ends */
static void bb_reset_cached_positions(struct bb_zone *zone)
{
	bb_set_restart_points(zone, zone->zone_start_pfn,
			      bb_zone_last_pageblock(zone));
}

/*
 * Does the scanner pass the pageblock at @pfn by, for its skip bit?  Those
 * passed are counted for --explain.
 */
static bool bb_scanner_skips(struct bb_compact_control *cc,
			     enum bb_scanner scanner, unsigned long pfn)
{
	if (cc->ignore_skip_hint || !bb_get_pageblock_skip(cc->sb, pfn))
		return false;
	cc->blocks_skipped[scanner]++;
	return true;
}

/*
 * test_and_set_skip(): the migrate scanner found a candidate in a pageblock
 * it entered at the start: it claims the block, so that concurrent runs
 * pass it by.  True if another one had claimed it first.
 */
static bool bb_test_and_set_skip(struct bb_compact_control *cc,
				 unsigned long pfn)
{
	if (cc->ignore_skip_hint || !bb_pageblock_aligned(pfn))
		return false;
	if (bb_get_pageblock_skip(cc->sb, pfn))
		return true;
	if (!cc->no_set_skip_hint)
		bb_set_pageblock_skip(cc->sb, pfn);
	return false;
}

/*
 * A scanner is done with the zone up to @pfn, from its end: the runs that
 * share its restart point start at @pfn next time (never further back).
 * The free scanner has one; the migrate scanner one for async runs and
 * one for sync runs, which may still take what async runs pass by: an
 * async run moves only its own.  False for a run that leaves no hints.
 */
static bool bb_move_restart_point(struct bb_compact_control *cc,
				  enum bb_scanner scanner, unsigned long pfn)
{
	struct bb_zone *zone = cc->zone;
	unsigned long *migrate = zone->compact_cached_migrate_pfn;

	if (cc->no_set_skip_hint)
		return false;
	if (scanner == BB_SCANNER_FREE) {
		zone->compact_cached_free_pfn =
			min(zone->compact_cached_free_pfn, pfn);
		return true;
	}
	migrate[BB_CACHED_MIGRATE_ASYNC] =
		max(migrate[BB_CACHED_MIGRATE_ASYNC], pfn);
	if (cc->mode != BB_MIGRATE_ASYNC)
		migrate[BB_CACHED_MIGRATE_SYNC] =
			max(migrate[BB_CACHED_MIGRATE_SYNC], pfn);
	return true;
}

/* update_cached_migrate(): past the pageblock of @pfn */
static void bb_update_cached_migrate(struct bb_compact_control *cc,
				     unsigned long pfn)
{
	bb_move_restart_point(cc, BB_SCANNER_MIGRATE, bb_pageblock_end_pfn(pfn));
}

/*
 * update_pageblock_skip(): the free scanner took all it could from the
 * pageblock at @pfn, which gets its skip bit and the free restart point.
 */
static void bb_update_pageblock_skip(struct bb_compact_control *cc,
				     unsigned long pfn)
{
	if (bb_move_restart_point(cc, BB_SCANNER_FREE, pfn))
		bb_set_pageblock_skip(cc->sb, pfn);
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
 * What the flush looks for in a pageblock: a migration source is an
 * allocation, a migration target a free block.
 */
#define BB_RESET_SOURCE	BB_PG_ALLOC
#define BB_RESET_TARGET	BB_PG_BUDDY
#define BB_RESET_EITHER	(BB_RESET_SOURCE | BB_RESET_TARGET)

/*
 * __reset_isolation_pfn(): is the pageblock of @pfn worth a scanner's
 * look, as a source or a target (@want)?  One page in 1 << PAGE_ALLOC_
 * COSTLY_ORDER is sampled (block heads only: the page at a sampled pfn
 * may be inside a block); if one shows what is wanted, the block's skip
 * bit is cleared.
 */
static bool __bb_reset_isolation_pfn(struct bb_zone *zone, unsigned long pfn,
				     u8 want)
{
	struct bb_sandbox *sb = bb_zone_sb(zone);
	unsigned long sample, last;

	if (!bb_zone_spans_pfn(zone, pfn) || bb_pageblock_skip_persistent(sb, pfn))
		return false;

	switch (want) {
	case BB_RESET_EITHER:
		/* a walker past its restart point: a clear bit is enough */
		if (!bb_get_pageblock_skip(sb, pfn))
			return true;
		break;
	case BB_RESET_TARGET:
		/* the free scanner only restarts in a block it takes from */
		if (bb_get_pageblock_migratetype(sb, pfn) != BB_MIGRATE_MOVABLE)
			return false;
		break;
	}

	sample = max(bb_pageblock_start_pfn(pfn), zone->zone_start_pfn);
	last = min(bb_pageblock_end_pfn(pfn), bb_zone_end_pfn(zone)) - 1;
	for (; sample <= last; sample += 1UL << BB_PAGE_ALLOC_COSTLY_ORDER) {
		if (READ_ONCE(bb_pfn_to_page_ext(sb, sample)->flags) & want) {
			bb_clear_pageblock_skip(sb, sample);
			return true;
		}
	}
	return false;
}

/*
 * One of the flush's two walkers: the lower one stands for the migrate
 * scanner and looks for sources, the upper one for the free scanner and
 * looks for targets.  Once a walker has found its restart point, either
 * kind will do for the blocks after it.
 */
struct bb_reset_walker {
	unsigned long pfn;	/* the pageblock it is at */
	u8 want;		/* BB_RESET_SOURCE or BB_RESET_TARGET */
	bool found;
	unsigned long restart;	/* the first block it found */
};

static void bb_reset_walker_visit(struct bb_zone *zone,
				  struct bb_reset_walker *w)
{
	u8 want = w->found ? BB_RESET_EITHER : w->want;

	if (__bb_reset_isolation_pfn(zone, w->pfn, want) && !w->found) {
		w->found = true;
		w->restart = w->pfn;
	}
}

/*
 * __reset_isolation_suitable(): the flush a direct compaction asked for.
 * The walkers come in from the zone's ends, a pageblock a step each,
 * until they cross, clearing the skip bits of the blocks their samples
 * find worth it.  The blocks they found first become the restart points
 * (and the zone's initial ones); if either found nothing, or they
 * crossed, both scanners restart where the walkers met.
 */
static void __bb_reset_isolation_suitable(struct bb_zone *zone)
{
	struct bb_reset_walker lower = {
		.pfn = zone->zone_start_pfn,
		.want = BB_RESET_SOURCE,
	};
	struct bb_reset_walker upper = {
		.pfn = bb_zone_end_pfn(zone) - 1,
		.want = BB_RESET_TARGET,
	};

	if (!zone->compact_blockskip_flush)
		return;
	zone->compact_blockskip_flush = false;

	while (lower.pfn < upper.pfn) {
		cond_resched();
		bb_reset_walker_visit(zone, &lower);
		bb_reset_walker_visit(zone, &upper);
		lower.pfn += BB_PAGEBLOCK_NR_PAGES;
		/* a zone of one pageblock at pfn 0: no wrap below it */
		upper.pfn -= min(upper.pfn, BB_PAGEBLOCK_NR_PAGES);
	}

	if (lower.found)
		zone->compact_init_migrate_pfn = lower.restart;
	if (upper.found)
		zone->compact_init_free_pfn = upper.restart;
	if (lower.found && upper.found && lower.restart < upper.restart)
		bb_set_restart_points(zone, lower.restart, upper.restart);
	else
		bb_set_restart_points(zone, lower.pfn, upper.pfn);
}

/* reset_isolation_suitable(): kswapd goes to sleep; flush where asked */
void bb_reset_isolation_suitable(struct bb_node *pgdat)
{
	struct bb_zone *zone;

	for (zone = pgdat->node_zones;
	     zone < pgdat->node_zones + BB_MAX_NR_ZONES; zone++)
		if (bb_populated_zone(zone))
			__bb_reset_isolation_suitable(zone);
}

/* ---- giving way ---- */

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
	bb_free_one_page(sb, zone, pfn, order, BB_FPI_NONE);
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
	if (bb_pfn_to_page_ext(sb, pfn)->alloc_mt == BB_MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic -= 1UL << order;
	/* as bb_del_page_from_free_list() counts them, by the list's type */
	if (order >= BB_PAGEBLOCK_ORDER &&
	    bb_pfn_to_page_ext(sb, pfn)->alloc_mt != BB_MIGRATE_ISOLATE)
		zone->nr_free_pages_blocks -= 1UL << order;
	zone->free_area[order].nr_free--;
	zone->nr_free_pages -= 1UL << order;
	bb_set_isolated_block(sb, pfn, order);

	/* a target of half a pageblock or more makes the block movable */
	if (order >= BB_PAGEBLOCK_ORDER - 1) {
		unsigned long end = pfn + (1UL << order) - 1;

		for (; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES) {
			mt = bb_get_pageblock_migratetype(sb, pfn);
			if (!bb_migratetype_is_mergeable(mt))
				continue;
			/* 6.10: the free rest of the pageblock goes along */
			if (bb_freelist_hygiene(sb))
				bb_retype_pageblock(sb, zone, pfn,
						    BB_MIGRATE_MOVABLE);
			else
				bb_set_pageblock_migratetype(sb, pfn,
							     BB_MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

/* ---- what the scanners walk ---- */

/*
 * The pageblock a scanner is in, [start, end) cut to the zone, and the pfn
 * it is at.  The migrate scanner walks these upwards from cc->migrate_pfn,
 * the free scanner downwards from cc->free_pfn.
 */
struct bb_scan_pos {
	unsigned long start;
	unsigned long end;
	unsigned long pfn;
};

static void bb_scan_pos_at(const struct bb_zone *zone, struct bb_scan_pos *pos,
			   unsigned long pfn)
{
	pos->pfn = pfn;
	pos->start = max(bb_pageblock_start_pfn(pfn), zone->zone_start_pfn);
	pos->end = min(bb_pageblock_end_pfn(pfn), bb_zone_end_pfn(zone));
}

/* --explain: where the scanners were when the first isolation began */
static void bb_scan_note_start(struct bb_compact_control *cc)
{
	if (cc->scan_started)
		return;
	cc->scan_started = true;
	cc->scan_start_pfn[BB_SCANNER_MIGRATE] = cc->migrate_pfn;
	cc->scan_start_pfn[BB_SCANNER_FREE] = cc->free_pfn;
}

/*
 * A page descriptor as a scanner reads it, without zone->lock: it may be
 * stale by the time it is acted on.
 */
struct bb_scan_page {
	u8 flags;
	unsigned int order;
};

static inline struct bb_scan_page bb_scan_peek(struct bb_sandbox *sb,
					       unsigned long pfn)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
	struct bb_scan_page p = {
		.flags = READ_ONCE(ext->flags),
		.order = READ_ONCE(ext->order),
	};

	return p;
}

/*
 * The pages a scanner may step over from the head it read: the whole
 * block for a plausible order, else just the page.
 */
static inline unsigned long bb_scan_extent(struct bb_scan_page p)
{
	if (!p.flags || p.order >= BB_MAX_ORDER)
		return 1;
	return 1UL << p.order;
}

/* ---- the free scanner ---- */

/*
 * Take the free block at @pfn as a migration target, if it is still free
 * once zone->lock is held.  Returns its pages, 0 if it went meanwhile, or
 * -1 if the zone is too low to give targets (the free scanner stops).
 */
static long bb_take_free_block(struct bb_compact_control *cc,
			       unsigned long pfn)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(cc->sb, pfn);
	struct bb_zone *zone = cc->zone;
	unsigned int order = 0;
	unsigned long nr = 0;
	bool still_free;

	/*
	 * compact_lock_irqsave(): an async run that finds zone->lock busy
	 * notes the contention (it gives up at the end of the pageblock),
	 * then waits for it like a sync one.
	 */
	if (!spin_trylock(&zone->lock)) {
		cc->contended |= cc->mode == BB_MIGRATE_ASYNC;
		spin_lock(&zone->lock);
	}
	still_free = ext->flags & BB_PG_BUDDY;
	if (still_free) {
		order = ext->order;
		nr = bb_isolate_free_page(cc->sb, zone, pfn, order);
	}
	spin_unlock(&zone->lock);

	if (!still_free)
		return 0;
	if (!nr)
		return -1;
	bb_freelist_add(cc->sb, &cc->freepages[order], pfn, true);
	cc->nr_freepages += nr;
	return nr;
}

/*
 * isolate_freepages_block(): from @pos->pfn to the end of its pageblock,
 * looking at every @stride-th page, take free blocks until there are as
 * many free pages as pages to migrate.  @pos->pfn: where it stopped.
 * Returns the pages taken.
 */
static unsigned long bb_isolate_freepages_block(struct bb_compact_control *cc,
						struct bb_scan_pos *pos,
						unsigned int stride)
{
	unsigned long pfn, scanned = 0, taken = 0;

	for (pfn = pos->pfn; pfn < pos->end; pfn += stride) {
		struct bb_scan_page p;
		long got;

		/* yield now and then, and stop for a fatal signal */
		if (!(pfn % BB_COMPACT_CLUSTER_MAX) &&
		    bb_compact_should_abort(cc))
			break;
		scanned++;

		p = bb_scan_peek(cc->sb, pfn);
		if (!(p.flags & BB_PG_BUDDY)) {
			/* an allocation is stepped over whole */
			if (p.flags & BB_PG_ALLOC)
				pfn += bb_scan_extent(p) - 1;
			continue;
		}

		got = bb_take_free_block(cc, pfn);
		if (got < 0)
			break;
		if (!got)
			continue;
		/* the free block counts as scanned, and is stepped over */
		scanned += got - 1;
		taken += got;
		pfn += got - 1;
		if (cc->nr_freepages >= cc->nr_migratepages) {
			pfn++;
			break;
		}
	}

	bb_ev_compaction_isolate_freepages(cc->sb, pos->pfn, pfn, scanned,
					   taken);
	pos->pfn = min(pfn, pos->end);
	cc->total_free_scanned += scanned;
	if (taken)
		bb_count_event(cc->sb, BB_COMPACTISOLATED, taken);
	return taken;
}

/*
 * suitable_migration_source(): not a pageblock one allocation holds whole;
 * and async direct compaction, which hopes to succeed cheaply, only takes
 * from pageblocks of the mobility it allocates for (CMA would count as
 * MOVABLE; the sandbox has none).
 */
static bool bb_suitable_migration_source(struct bb_compact_control *cc,
					 unsigned long pfn)
{
	bool same_mobility_only = cc->mode == BB_MIGRATE_ASYNC &&
				  cc->direct_compaction;

	if (bb_pageblock_skip_persistent(cc->sb, pfn))
		return false;
	return !same_mobility_only ||
	       bb_get_pageblock_migratetype(cc->sb, pfn) == cc->migratetype;
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
 * The free scanner in the pageblock at @pos: take its free blocks; a block
 * scanned to its end gets its skip bit (update_pageblock_skip()).  True
 * when the scanner stops here, @pos->pfn then being where it resumes:
 * with enough targets (in the block below if this one gave all it had),
 * or stopped inside the block (the watermark, a signal).  Otherwise the
 * next block is looked at every page after one that gave targets, ever
 * more sparsely after those that gave none.
 */
static bool bb_free_scan_block(struct bb_compact_control *cc,
			       struct bb_scan_pos *pos, unsigned int *stride)
{
	unsigned long taken = bb_isolate_freepages_block(cc, pos, *stride);
	bool scanned_whole = pos->pfn == pos->end;

	if (scanned_whole)
		bb_update_pageblock_skip(cc, pos->start);

	if (cc->nr_freepages >= cc->nr_migratepages) {
		if (scanned_whole)
			pos->pfn = pos->start - BB_PAGEBLOCK_NR_PAGES;
		return true;
	}
	if (!scanned_whole)
		return true;

	*stride = taken ? 1 : min_t(unsigned int, BB_COMPACT_CLUSTER_MAX,
				    *stride << 1);
	return false;
}

/*
 * isolate_freepages(): the free scanner goes down, pageblock by pageblock,
 * from where it stopped to the pageblock above the migrate scanner's,
 * taking targets from the blocks that may receive movable pages and have
 * no skip bit, until there are enough.  cc->free_pfn: where it stopped,
 * or where it met the migrate scanner.
 *
 * The kernel's async free scanner starts probing every 32nd page, leaning
 * on fast_isolate_freepages() to take free pages straight off the free
 * lists.  That search is not modelled here, so the scanner starts at
 * every page: probing alone, it would use up (and mark skip) the upper
 * pageblocks long before it found enough targets.
 */
static void bb_isolate_freepages(struct bb_compact_control *cc)
{
	struct bb_zone *zone = cc->zone;
	unsigned long lowest = bb_pageblock_end_pfn(cc->migrate_pfn);
	unsigned int stride = 1;
	struct bb_scan_pos pos;

	for (bb_scan_pos_at(zone, &pos, cc->free_pfn); pos.start >= lowest;
	     bb_scan_pos_at(zone, &pos, pos.start - BB_PAGEBLOCK_NR_PAGES)) {
		if (!(pos.start % (BB_COMPACT_CLUSTER_MAX * BB_PAGEBLOCK_NR_PAGES)))
			cond_resched();

		if (!bb_suitable_migration_target(cc, pos.start) ||
		    bb_scanner_skips(cc, BB_SCANNER_FREE, pos.start))
			continue;
		if (bb_free_scan_block(cc, &pos, &stride))
			break;
	}
	cc->free_pfn = pos.pfn;
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
 * One call of isolate_migratepages_block(): the migrate scanner in a
 * pageblock.
 *
 * Async direct compaction wants one free block of cc->order soon: it looks
 * at the pageblock in aligned windows of that order, and gives a window up
 * at its first page that cannot move (the window cannot become free then),
 * putting back what it took from it; a window that gave all its candidates
 * is migrated before the next is looked at.
 */
struct bb_migrate_scan {
	unsigned long pfn;		/* the scanner's position */
	unsigned long end_pfn;		/* the end of its range */
	unsigned long nr_scanned;
	unsigned long nr_isolated;	/* pages taken in this call */
	bool by_window;			/* skip_on_failure */
	unsigned long window_end;	/* the window under way */
	/* the pageblock start whose skip bit was read, or BB_COMPACT_NO_PFN */
	unsigned long hint_pfn;
	bool claimed;			/* test_and_set_skip() was done */
};

/* what the migrate scanner makes of the page it reads */
enum bb_migrate_verdict {
	BB_SCAN_PASS,		/* free, or inside a block seen already */
	BB_SCAN_REFUSE,		/* in use and not to be moved */
	BB_SCAN_TAKE,		/* a movable allocation: a candidate */
};

static enum bb_migrate_verdict bb_migrate_judge(struct bb_compact_control *cc,
						unsigned long pfn,
						struct bb_scan_page p)
{
	/* a free block's order is read unlocked: at worst a few are missed */
	if (!p.flags || (p.flags & BB_PG_BUDDY))
		return BB_SCAN_PASS;
	/* on a per-CPU list (free, but not to be had), or an odd order */
	if (!(p.flags & BB_PG_ALLOC) || p.order >= BB_MAX_ORDER)
		return BB_SCAN_REFUSE;
	/* too big to be worth moving */
	if (p.order && bb_skip_isolation_on_order(p.order, cc->order))
		return BB_SCAN_REFUSE;
	/* PageLRU()/__PageMovable(): owned and movable? */
	return bb_page_movable(cc->sb, pfn) ? BB_SCAN_TAKE : BB_SCAN_REFUSE;
}

/*
 * At a window's end: false if the window gave candidates, to be migrated
 * first; else the next window is the one the scanner is in.
 */
static bool bb_migrate_window_next(struct bb_compact_control *cc,
				   struct bb_migrate_scan *s)
{
	if (!s->by_window || s->pfn < s->window_end)
		return true;
	if (s->nr_isolated)
		return false;
	s->window_end = bb_block_end_pfn(s->pfn, cc->order);
	return true;
}

/* a page that cannot move: the window it is in is given up */
static void bb_migrate_refuse(struct bb_compact_control *cc,
			      struct bb_migrate_scan *s)
{
	if (!s->by_window)
		return;
	if (s->nr_isolated) {
		bb_putback_movable_pages(cc);
		s->nr_isolated = 0;
	}
	/* to the window's last page; the loop steps into the next one */
	if (s->pfn < s->window_end) {
		s->pfn = s->window_end - 1;
		s->window_end += 1UL << cc->order;
	}
}

/*
 * Record the candidate at s->pfn.  True when that is enough for one round
 * of migration: COMPACT_CLUSTER_MAX pages, or all cc->migratepages[]
 * holds, except that a rescan or a contended run takes the whole block.
 */
static bool bb_migrate_take(struct bb_compact_control *cc,
			    struct bb_migrate_scan *s, unsigned int order)
{
	unsigned long nr = 1UL << order;

	cc->migratepages[cc->nr_migrate].pfn = s->pfn;
	cc->migratepages[cc->nr_migrate].order = order;
	cc->nr_migrate++;
	cc->nr_migratepages += nr;
	s->nr_isolated += nr;
	s->nr_scanned += nr - 1;
	s->pfn += nr - 1;

	if (cc->nr_migrate == BB_COMPACT_CLUSTER_MAX)
		return true;
	return cc->nr_migratepages >= BB_COMPACT_CLUSTER_MAX &&
	       !cc->rescan && !cc->contended;
}

/*
 * The scan reached the end of its pageblock: the migrate scanner's restart
 * point moves past it, unless its candidates are still to be migrated (a
 * rescan excepted).  A block that gave nothing, looked at from its start,
 * gets its skip bit, unless the candidate claim set it already.
 */
static void bb_migrate_block_done(struct bb_compact_control *cc,
				  struct bb_migrate_scan *s)
{
	if (s->pfn != s->end_pfn || (s->nr_isolated && !cc->rescan))
		return;
	if (s->hint_pfn != BB_COMPACT_NO_PFN && !s->claimed)
		bb_set_pageblock_skip(cc->sb, s->hint_pfn);
	bb_update_cached_migrate(cc, s->pfn);
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
	struct bb_migrate_scan s = {
		.pfn = low_pfn,
		.end_pfn = end_pfn,
		.by_window = cc->direct_compaction &&
			     cc->mode == BB_MIGRATE_ASYNC,
		.hint_pfn = BB_COMPACT_NO_PFN,
	};
	int ret = 0;

	cc->migrate_pfn = low_pfn;
	cond_resched();
	if (s.by_window)
		s.window_end = bb_block_end_pfn(low_pfn, cc->order);

	for (; s.pfn < end_pfn; s.pfn++) {
		enum bb_migrate_verdict verdict;
		struct bb_scan_page p;

		if (!bb_migrate_window_next(cc, &s))
			break;

		/* yield now and then; a fatal signal ends the scan */
		if (!(s.pfn % BB_COMPACT_CLUSTER_MAX)) {
			if (fatal_signal_pending(current)) {
				cc->contended = true;
				ret = -EINTR;
				goto account;
			}
			cond_resched();
		}
		s.nr_scanned++;

		/*
		 * The skip bit is read once, entering the pageblock at its
		 * start: a block is isolated in several calls, and the bit
		 * this scan sets must not stop its own later calls.
		 */
		if (s.hint_pfn == BB_COMPACT_NO_PFN &&
		    bb_pageblock_aligned(s.pfn)) {
			if (bb_scanner_skips(cc, BB_SCANNER_MIGRATE, s.pfn)) {
				s.pfn = end_pfn;
				goto done;
			}
			s.hint_pfn = s.pfn;
		}

		p = bb_scan_peek(cc->sb, s.pfn);
		verdict = bb_migrate_judge(cc, s.pfn, p);
		if (verdict != BB_SCAN_TAKE) {
			s.pfn += bb_scan_extent(p) - 1;
			if (verdict == BB_SCAN_REFUSE)
				bb_migrate_refuse(cc, &s);
			continue;
		}

		/* the first candidate claims the block for this run */
		if (!s.claimed) {
			s.claimed = true;
			if (bb_test_and_set_skip(cc, s.pfn))
				goto done;
		}
		if (bb_migrate_take(cc, &s, p.order)) {
			s.pfn++;
			break;
		}
	}
	/* a block stepped over may end past the range */
	s.pfn = min(s.pfn, end_pfn);

done:
	bb_migrate_block_done(cc, &s);
account:
	cc->total_migrate_scanned += s.nr_scanned;
	if (s.nr_isolated)
		bb_count_event(cc->sb, BB_COMPACTISOLATED, s.nr_isolated);
	cc->migrate_pfn = s.pfn;
	bb_ev_compaction_isolate_migratepages(cc->sb, low_pfn, s.pfn,
					      s.nr_scanned, s.nr_isolated);
	return ret;
}

/* what isolate_migratepages() tells compact_zone() */
enum bb_isolate_migrate {
	BB_ISOLATE_ABORT,	/* Abort compaction now */
	BB_ISOLATE_NONE,	/* No pages isolated, continue scanning */
	BB_ISOLATE_SUCCESS,	/* Pages isolated, migrate */
};

/*
 * The migrate scanner's walk: from cc->migrate_pfn up to the first
 * pageblock worth isolating from, never up to the free scanner's.  Each
 * block passed moves cc->migrate_pfn to its end; one that async direct
 * compaction does not take from also moves the restart point, as the
 * scanners may never meet over such blocks.  False if there is none.
 */
static bool bb_migrate_scan_find_block(struct bb_compact_control *cc,
				       struct bb_scan_pos *pos)
{
	struct bb_zone *zone = cc->zone;

	for (bb_scan_pos_at(zone, pos, cc->migrate_pfn);
	     pos->end <= cc->free_pfn;
	     bb_scan_pos_at(zone, pos, pos->end), cc->migrate_pfn = pos->pfn) {
		if (!(pos->pfn % (BB_COMPACT_CLUSTER_MAX * BB_PAGEBLOCK_NR_PAGES)))
			cond_resched();

		/*
		 * The skip bit counts when the block is entered at its start
		 * only: a block is isolated in several calls.
		 */
		if (bb_pageblock_aligned(pos->pfn) &&
		    bb_scanner_skips(cc, BB_SCANNER_MIGRATE, pos->pfn))
			continue;
		if (bb_suitable_migration_source(cc, pos->start))
			return true;
		bb_update_cached_migrate(cc, pos->end);
	}
	return false;
}

/*
 * isolate_migratepages(): isolate from the first suitable pageblock at or
 * after the migrate scanner; compact_zone() then migrates what was taken,
 * or decides whether to go on.
 */
static enum bb_isolate_migrate
bb_isolate_migratepages(struct bb_compact_control *cc)
{
	struct bb_scan_pos pos;

	bb_scan_note_start(cc);
	if (bb_migrate_scan_find_block(cc, &pos) &&
	    bb_isolate_migratepages_block(cc, pos.pfn, pos.end))
		return BB_ISOLATE_ABORT;
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

/* ---- --explain ---- */

static unsigned long bb_zone_skip_bits(const struct bb_compact_control *cc)
{
	const struct bb_zone *zone = cc->zone;
	unsigned long pfn, nr = 0;

	for (pfn = bb_pageblock_start_pfn(zone->zone_start_pfn);
	     pfn < bb_zone_end_pfn(zone); pfn += BB_PAGEBLOCK_NR_PAGES)
		nr += bb_get_pageblock_skip(cc->sb, max(pfn, zone->zone_start_pfn));
	return nr;
}

/*
 * --explain for a direct compaction that ended with nothing: its scanners
 * met (COMPLETE, PARTIAL_SKIPPED) or it gave up (CONTENDED).  Where the
 * scanners started and stopped, the pageblocks they passed by for their
 * skip bits, and what clears those bits and moves the restart points.
 */
static void bb_trace_compact_scanners(struct bb_trace *trace,
				      const struct bb_compact_control *cc,
				      enum bb_compact_result status)
{
	const struct bb_zone *zone = cc->zone;
	const unsigned int *skipped = cc->blocks_skipped;
	unsigned long from[BB_NR_SCANNERS];
	bool met;

	if (likely(!trace))
		return;
	if (status != BB_COMPACT_COMPLETE &&
	    status != BB_COMPACT_PARTIAL_SKIPPED &&
	    status != BB_COMPACT_CONTENDED)
		return;

	/* no isolation at all: they met where they started */
	from[BB_SCANNER_MIGRATE] = cc->scan_started ?
		cc->scan_start_pfn[BB_SCANNER_MIGRATE] : cc->migrate_pfn;
	from[BB_SCANNER_FREE] = cc->scan_started ?
		cc->scan_start_pfn[BB_SCANNER_FREE] : cc->free_pfn;
	met = bb_compact_scanners_met((struct bb_compact_control *)cc);

	bb_trace(trace,
		 "      %s scanners: migrate pfn %lu -> %lu (%lu pages scanned), free pfn %lu -> %lu (%lu pages scanned), %s at pageblock %lu\n",
		 cc->whole_zone ? "whole-zone" : "resumed",
		 from[BB_SCANNER_MIGRATE], cc->migrate_pfn,
		 cc->total_migrate_scanned, from[BB_SCANNER_FREE],
		 cc->free_pfn, cc->total_free_scanned,
		 met ? "met" : "stopped",
		 (met ? cc->free_pfn : cc->migrate_pfn) >> BB_PAGEBLOCK_ORDER);
	if (met && !cc->scan_started)
		bb_trace(trace,
			 "      they met where they started: the restart points left nothing between them (a flush that finds no block to restart from leaves both where its walkers met)\n");
	bb_trace(trace,
		 "      pageblocks passed by for their skip bit: %u by the migrate scanner, %u by the free scanner%s; %lu of the zone's %lu pageblocks have it\n",
		 skipped[BB_SCANNER_MIGRATE], skipped[BB_SCANNER_FREE],
		 cc->ignore_skip_hint ? " (skip bits ignored)" : "",
		 bb_zone_skip_bits(cc),
		 DIV_ROUND_UP(zone->spanned_pages, BB_PAGEBLOCK_NR_PAGES));
	if (met)
		bb_trace(trace,
			 "      next: the scanners start again at the zone's ends (pfn %lu, %lu); the skip bits stay until kswapd goes to sleep, or compaction restarts after its longest deferral (compact_defer_shift %u of %d), and then go only where a sample shows a page to move or a free page (compact_blockskip_flush %d)\n",
			 zone->compact_cached_migrate_pfn[BB_CACHED_MIGRATE_ASYNC],
			 zone->compact_cached_free_pfn,
			 zone->compact_defer_shift, BB_COMPACT_MAX_DEFER_SHIFT,
			 zone->compact_blockskip_flush);
	else
		bb_trace(trace,
			 "      next: the scanners resume at pfn %lu (async) / %lu (sync) and %lu\n",
			 zone->compact_cached_migrate_pfn[BB_CACHED_MIGRATE_ASYNC],
			 zone->compact_cached_migrate_pfn[BB_CACHED_MIGRATE_SYNC],
			 zone->compact_cached_free_pfn);
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

/*
 * defrag_mode (6.15): kcompactd's work is done when the free pages in whole
 * free pageblocks meet the high watermark for the order; a block made of
 * them serves a fallback without fragmenting.
 */
static bool bb_defrag_wmark_met(struct bb_zone *zone, int order,
				int highest_zoneidx)
{
	return __bb_zone_watermark_ok(zone, order,
				      bb_wmark_pages(zone, BB_WMARK_HIGH),
				      highest_zoneidx, 0,
				      READ_ONCE(zone->nr_free_pages_blocks));
}

/*
 * defrag_mode (6.15): kcompactd (no request waits on it) goes on until the
 * free pages in whole pageblocks meet the high watermark; any block of
 * another type then serves a fallback whole, so the fallback checks below
 * are of no use to it.
 */
static bool bb_stop_defrag_whole_blocks(struct bb_compact_control *cc,
					enum bb_compact_result *verdict)
{
	if (cc->direct_compaction || !bb_defrag_mode(bb_zone_sb(cc->zone)))
		return false;

	*verdict = bb_defrag_wmark_met(cc->zone, cc->order,
				       cc->highest_zoneidx) ?
		   BB_COMPACT_SUCCESS : BB_COMPACT_CONTINUE;
	return true;
}

static const struct bb_compact_stop bb_compact_stops[] = {
	{ "scanners met",		bb_stop_scanners_met,		false },
	{ "kswapd is reclaiming",	bb_stop_proactive_kswapd,	false },
	{ "fragmentation score",	bb_stop_proactive_score,	true },
	{ "compact_memory",		bb_stop_via_compact_memory,	false },
	{ "mid-pageblock",		bb_stop_mid_pageblock,		false },
	{ "defrag_mode: whole blocks",	bb_stop_defrag_whole_blocks,	false },
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

/*
 * kcompactd's compaction_suitable(): under defrag_mode the order is met
 * only as bb_defrag_wmark_met() says; the other checks are the same.
 */
static enum bb_compact_result bb_kcompactd_suitable(struct bb_zone *zone,
						    int order,
						    int highest_zoneidx)
{
	enum bb_suitable_check check;

	check = bb_compaction_check(zone, order, 0, highest_zoneidx,
				    READ_ONCE(zone->nr_free_pages), true);
	if (check == BB_SUITABLE_WMARK_MET &&
	    bb_defrag_mode(bb_zone_sb(zone)) &&
	    !bb_defrag_wmark_met(zone, order, highest_zoneidx)) {
		/* met in pieces only: the gap and the index still decide */
		if (!bb_compaction_gap_ok(zone, order, highest_zoneidx,
					  READ_ONCE(zone->nr_free_pages)))
			check = BB_SUITABLE_NO_TARGETS;
		else if (bb_compaction_low_memory(zone, order))
			check = BB_SUITABLE_LOW_MEMORY;
		else
			check = BB_SUITABLE_FRAGMENTED;
	}
	return bb_suitable_verdict[check];
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
	/* kcompactd's runs are for defrag_mode's whole blocks too */
	if (!cc->direct_compaction && cc->order >= 0 &&
	    bb_defrag_mode(bb_zone_sb(cc->zone)))
		ret = bb_kcompactd_suitable(cc->zone, cc->order,
					    cc->highest_zoneidx);
	else
		ret = bb_compaction_suitable_order(cc->zone, cc->order,
						   cc->alloc_flags,
						   cc->highest_zoneidx);
	if (ret != BB_COMPACT_CONTINUE)
		return ret;

	bb_compact_scanners_start(cc);
	bb_compact_progress_start(cc, &progress);
	bb_ev_compaction_begin(cc);

	while ((ret = bb_compact_finished(cc)) == BB_COMPACT_CONTINUE) {
		if (!bb_compact_round(cc, &progress)) {
			ret = BB_COMPACT_CONTENDED;
			break;
		}
		cond_resched();
	}

	bb_compact_run_end(cc);
	bb_ev_compaction_end(cc, ret);
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
	bb_trace_compact_scanners(ac->trace, &cc, status);
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

			if (!bb_daemon_present(sb, READ_ONCE(pgdat->kcompactd)) ||
			    READ_ONCE(pgdat->proactive_compact_trigger))
				continue;
			WRITE_ONCE(pgdat->proactive_compact_trigger, true);
			bb_daemon_wake(sb, &pgdat->kcompactd_wait,
				       &pgdat->kcompactd_woken);
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
		if (bb_kcompactd_suitable(zone, order, highest_zoneidx) ==
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
	    bb_kcompactd_suitable(zone, cc->order, zone->idx) !=
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

	bb_ev_compaction_kcompactd_wake(pgdat, cc.order, cc.highest_zoneidx);
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
	if (!order || !bb_daemon_present(pgdat->sb, READ_ONCE(pgdat->kcompactd)))
		return;

	bb_kcompactd_request_widen(pgdat, order, highest_zoneidx);

	/*
	 * An awake kcompactd finds the request when it next looks: the
	 * sleeper check is ordered against the condition check in
	 * wait_event_freezable_timeout().
	 */
	if ((pgdat->sb->daemons_sync || wq_has_sleeper(&pgdat->kcompactd_wait)) &&
	    bb_kcompactd_node_suitable(pgdat)) {
		bb_ev_compaction_wakeup_kcompactd(pgdat, order, highest_zoneidx);
		bb_daemon_wake(pgdat->sb, &pgdat->kcompactd_wait,
			       &pgdat->kcompactd_woken);
	}
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
