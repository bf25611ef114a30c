// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: reclaim, the part of mm/vmscan.c the sandbox models.
 *
 * What reclaim can free in the sandbox is clean cache: allocations made
 * with BB_ALLOC_F_CACHE.  They sit on their node's LRU lists (inactive and
 * active, as the kernel's file LRU): a new one starts inactive, a READ or
 * WRITE marks it referenced, a second one activates it
 * (mark_page_accessed()).  shrink_inactive_list() drops unreferenced
 * inactive allocations and gives referenced ones a second round on the
 * active list; shrink_active_list() ages active ones back to the inactive
 * list when it is too short (inactive_is_low()).  A dropped allocation's
 * handle answers -ESTALE.
 *
 * kswapd, one per node, balances the node (balance_pgdat()): it reclaims
 * until an eligible zone is above its high watermark, boost included, then
 * gives the boost back and wakes kcompactd.  Its thread only waits for
 * requests; bb_kswapd_work() is one wake's work, which a sandbox without
 * daemons can run step by step.  Direct reclaim (try_to_free_pages()) is
 * what the slow path does when it may sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/freezer.h>
#include <linux/math.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "buddybox.h"
#include "events.h"

#define BB_DEF_PRIORITY		12
#define BB_MAX_RECLAIM_RETRIES	16

/* The scan_control of mm/vmscan.c, what of it applies. */
struct bb_scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	int priority;
	bool kswapd;		/* counts as pgscan_kswapd, not _direct */
	bool drop_all;		/* drop_caches: referenced or not */
};

void bb_lruvec_init(struct bb_lruvec *lruvec)
{
	int lru;

	spin_lock_init(&lruvec->lru_lock);
	for (lru = 0; lru < BB_NR_LRU_LISTS; lru++) {
		INIT_LIST_HEAD(&lruvec->lists[lru]);
		lruvec->nr_pages[lru] = 0;
	}
	memset(lruvec->zone_nr, 0, sizeof(lruvec->zone_nr));
}

static struct bb_lruvec *bb_lruvec(struct bb_sandbox *sb, struct bb_alloc *a)
{
	return &sb->node[a->nid].lruvec;
}

static void bb_lru_list_add(struct bb_lruvec *lruvec, struct bb_alloc *a,
			    enum bb_lru_list lru, bool tail)
{
	if (tail)
		list_add_tail(&a->lru, &lruvec->lists[lru]);
	else
		list_add(&a->lru, &lruvec->lists[lru]);
	lruvec->nr_pages[lru] += 1UL << a->order;
	lruvec->zone_nr[lru][a->zone_idx] += 1UL << a->order;
	a->active = lru == BB_LRU_ACTIVE_FILE;
	a->on_lru = true;
}

static void bb_lru_list_del(struct bb_lruvec *lruvec, struct bb_alloc *a)
{
	enum bb_lru_list lru = a->active ? BB_LRU_ACTIVE_FILE :
					   BB_LRU_INACTIVE_FILE;

	list_del_init(&a->lru);
	lruvec->nr_pages[lru] -= 1UL << a->order;
	lruvec->zone_nr[lru][a->zone_idx] -= 1UL << a->order;
	a->on_lru = false;
}

/* lru_cache_add(): a new cache allocation starts on the inactive list */
void bb_lru_add(struct bb_sandbox *sb, struct bb_alloc *a)
{
	struct bb_lruvec *lruvec = bb_lruvec(sb, a);

	spin_lock(&lruvec->lru_lock);
	a->referenced = false;
	bb_lru_list_add(lruvec, a, BB_LRU_INACTIVE_FILE, false);
	spin_unlock(&lruvec->lru_lock);
}

void bb_lru_del(struct bb_sandbox *sb, struct bb_alloc *a)
{
	struct bb_lruvec *lruvec = bb_lruvec(sb, a);

	spin_lock(&lruvec->lru_lock);
	if (a->on_lru)
		bb_lru_list_del(lruvec, a);
	spin_unlock(&lruvec->lru_lock);
}

/*
 * mark_page_accessed(): inactive,unreferenced -> inactive,referenced ->
 * active,unreferenced -> active,referenced.  Called with the owner's lock.
 */
void bb_mark_page_accessed(struct bb_sandbox *sb, struct bb_alloc *a)
{
	struct bb_lruvec *lruvec = bb_lruvec(sb, a);

	spin_lock(&lruvec->lru_lock);
	if (a->on_lru && !a->active && a->referenced) {
		bb_lru_list_del(lruvec, a);
		bb_lru_list_add(lruvec, a, BB_LRU_ACTIVE_FILE, false);
		a->referenced = false;
		bb_count_event(sb, BB_PGACTIVATE, 1L << a->order);
	} else if (!a->referenced) {
		a->referenced = true;
	}
	spin_unlock(&lruvec->lru_lock);
}

/*
 * The zone's pages on list @lru, or on both lists for BB_NR_LRU_LISTS
 * (zone_reclaimable_pages()), read without the lock as the kernel reads
 * its zone counters.
 */
unsigned long bb_zone_lru_pages(struct bb_zone *zone, int lru)
{
	unsigned long (*nr)[BB_MAX_NR_ZONES] = zone->zone_pgdat->lruvec.zone_nr;

	if (lru < BB_NR_LRU_LISTS)
		return READ_ONCE(nr[lru][zone->idx]);
	return READ_ONCE(nr[BB_LRU_INACTIVE_FILE][zone->idx]) +
	       READ_ONCE(nr[BB_LRU_ACTIVE_FILE][zone->idx]);
}

unsigned long bb_node_lru_pages(struct bb_node *pgdat)
{
	struct bb_lruvec *lruvec = &pgdat->lruvec;

	return READ_ONCE(lruvec->nr_pages[BB_LRU_INACTIVE_FILE]) +
	       READ_ONCE(lruvec->nr_pages[BB_LRU_ACTIVE_FILE]);
}

/*
 * shrink_active_list(): age up to @nr_to_scan allocations from the tail of
 * the active list to the inactive one, clearing their referenced bit.
 */
static void bb_shrink_active_list(struct bb_sandbox *sb, struct bb_node *pgdat,
				  unsigned long nr_to_scan)
{
	struct bb_lruvec *lruvec = &pgdat->lruvec;
	struct list_head *active = &lruvec->lists[BB_LRU_ACTIVE_FILE];
	unsigned long nr_deactivated = 0;

	spin_lock(&lruvec->lru_lock);
	while (nr_to_scan-- && !list_empty(active)) {
		struct bb_alloc *a = list_last_entry(active, struct bb_alloc,
						     lru);

		bb_lru_list_del(lruvec, a);
		a->referenced = false;
		bb_lru_list_add(lruvec, a, BB_LRU_INACTIVE_FILE, false);
		nr_deactivated += 1UL << a->order;
	}
	spin_unlock(&lruvec->lru_lock);
	bb_count_event(sb, BB_PGDEACTIVATE, nr_deactivated);
}

/*
 * shrink_inactive_list(): from the tail of the inactive list, drop what
 * was not referenced since it was last looked at; referenced allocations
 * go to the active list (the kernel's second chance).  Busy ones (their
 * owner is in an ioctl) keep their place at the tail: the owner's lock
 * stands in for the page lock but covers every page of the owner, so
 * rotating them to the head, as the kernel does with a locked folio,
 * would reorder the list far more than the kernel's rare locked folios
 * do.  They wait on @busy, still counted on the list (bb_lru_del() takes
 * them off it if they are freed meanwhile), and go back to the tail.
 */
static void bb_shrink_inactive_list(struct bb_sandbox *sb,
				    struct bb_node *pgdat,
				    unsigned long nr_to_scan,
				    struct bb_scan_control *sc)
{
	struct bb_lruvec *lruvec = &pgdat->lruvec;
	struct list_head *inactive = &lruvec->lists[BB_LRU_INACTIVE_FILE];
	unsigned long nr_scanned = 0, nr_reclaimed = 0, nr_activated = 0;
	LIST_HEAD(busy);

	spin_lock(&lruvec->lru_lock);
	while (nr_to_scan-- && !list_empty(inactive) &&
	       sc->nr_reclaimed + nr_reclaimed < sc->nr_to_reclaim) {
		struct bb_alloc *a = list_last_entry(inactive, struct bb_alloc,
						     lru);
		struct bb_owner *owner = a->owner;

		nr_scanned += 1UL << a->order;
		if (a->referenced && !sc->drop_all) {
			bb_lru_list_del(lruvec, a);
			a->referenced = false;
			bb_lru_list_add(lruvec, a, BB_LRU_ACTIVE_FILE, false);
			nr_activated += 1UL << a->order;
			continue;
		}
		/* the owner's lock keeps @a and the owner alive (owner.c) */
		if (!mutex_trylock(&owner->lock)) {
			/* oldest first: @busy is in list order */
			list_move(&a->lru, &busy);
			continue;
		}
		bb_lru_list_del(lruvec, a);
		spin_unlock(&lruvec->lru_lock);
		nr_reclaimed += 1UL << a->order;
		bb_owner_mark_stale(owner, a);
		mutex_unlock(&owner->lock);
		spin_lock(&lruvec->lru_lock);
	}
	list_splice_tail(&busy, inactive);
	spin_unlock(&lruvec->lru_lock);

	if (nr_reclaimed)
		WRITE_ONCE(pgdat->kswapd_failures, 0);
	sc->nr_scanned += nr_scanned;
	sc->nr_reclaimed += nr_reclaimed;
	bb_count_event(sb, sc->kswapd ? BB_PGSCAN_KSWAPD : BB_PGSCAN_DIRECT,
		       nr_scanned);
	bb_count_event(sb, sc->kswapd ? BB_PGSTEAL_KSWAPD : BB_PGSTEAL_DIRECT,
		       nr_reclaimed);
	bb_count_event(sb, BB_PGACTIVATE, nr_activated);
}

/*
 * inactive_is_low(): the inactive list should hold at least 1 / ratio of
 * the cache, ratio = sqrt(10 * size in GiB), 1 below 1 GiB.
 */
static bool bb_inactive_is_low(struct bb_lruvec *lruvec)
{
	unsigned long inactive = READ_ONCE(lruvec->nr_pages[BB_LRU_INACTIVE_FILE]);
	unsigned long active = READ_ONCE(lruvec->nr_pages[BB_LRU_ACTIVE_FILE]);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

/* shrink_node(): one pass over the node's lists at sc->priority */
static void bb_shrink_node(struct bb_sandbox *sb, struct bb_node *pgdat,
			   struct bb_scan_control *sc)
{
	struct bb_lruvec *lruvec = &pgdat->lruvec;
	unsigned long nr;

	if (bb_inactive_is_low(lruvec))
		bb_shrink_active_list(sb, pgdat, BB_SWAP_CLUSTER_MAX);
	/* get_scan_count(): the list's size >> priority, a cluster at least */
	nr = READ_ONCE(lruvec->nr_pages[BB_LRU_INACTIVE_FILE]) >> sc->priority;
	nr = max(nr, BB_SWAP_CLUSTER_MAX);
	bb_shrink_inactive_list(sb, pgdat, nr, sc);
}

/* do_try_to_free_pages() over a set of nodes, priority 12 down to 0 */
static unsigned long bb_do_try_to_free_pages(struct bb_sandbox *sb,
					     unsigned long nodes,
					     struct bb_scan_control *sc)
{
	int nid;

	for (sc->priority = BB_DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		for_each_set_bit(nid, &nodes, sb->nr_nodes) {
			bb_shrink_node(sb, &sb->node[nid], sc);
			if (sc->nr_reclaimed >= sc->nr_to_reclaim)
				return sc->nr_reclaimed;
		}
		cond_resched();
	}
	return sc->nr_reclaimed;
}

/*
 * try_to_free_pages(): direct reclaim for an allocation, over the nodes
 * of its zonelist, a cluster of pages.
 */
unsigned long bb_try_to_free_pages(struct bb_sandbox *sb, unsigned int order,
				   bb_gfp_t gfp,
				   const struct bb_alloc_context *ac)
{
	struct bb_scan_control sc = {
		.nr_to_reclaim = BB_SWAP_CLUSTER_MAX,
	};
	unsigned long nodes = 0, nr;
	struct bb_zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		int nid = bb_zone_to_nid(z->zone);

		if (z->zone_idx > ac->highest_zoneidx ||
		    (ac->nodemask && !(ac->nodemask & BIT(nid))))
			continue;
		nodes |= BIT(nid);
	}
	bb_count_event(sb, BB_ALLOCSTALL_DMA + ac->highest_zoneidx, 1);
	bb_ev_vmscan_direct_reclaim_begin(sb, order, gfp);
	nr = bb_do_try_to_free_pages(sb, nodes, &sc);
	bb_ev_vmscan_direct_reclaim_end(sb, nr);
	return nr;
}

/* control "reclaim pages=N" (node -1: every node): proactive reclaim */
unsigned long bb_reclaim_pages(struct bb_sandbox *sb, int nid,
			       unsigned long nr_pages)
{
	struct bb_scan_control sc = {
		.nr_to_reclaim = nr_pages,
	};
	unsigned long nodes = nid < 0 ? GENMASK(sb->nr_nodes - 1, 0) : BIT(nid);

	return bb_do_try_to_free_pages(sb, nodes, &sc);
}

/* drop_caches: every cache allocation whose owner is not busy */
unsigned long bb_drop_caches(struct bb_sandbox *sb)
{
	struct bb_scan_control sc = {
		.nr_to_reclaim = ULONG_MAX,
		.drop_all = true,
		.priority = 0,
	};
	int nid, pass;

	bb_count_event(sb, BB_DROP_PAGECACHE, 1);
	for (pass = 0; pass < 3; pass++) {
		for (nid = 0; nid < sb->nr_nodes; nid++) {
			struct bb_lruvec *lruvec = &sb->node[nid].lruvec;

			bb_shrink_active_list(sb, &sb->node[nid], ULONG_MAX);
			/* busy ones go back to the list: one look at each */
			bb_shrink_inactive_list(sb, &sb->node[nid],
						READ_ONCE(lruvec->nr_pages[BB_LRU_INACTIVE_FILE]),
						&sc);
		}
		cond_resched();
	}
	return sc.nr_reclaimed;
}

/*
 * pgdat_balanced(): is any eligible zone above its high watermark?  Under
 * defrag_mode a high-order request counts only the free pages in whole
 * free pageblocks (6.15): a mark met in smaller blocks would be met by
 * fallbacks that fragment.  At order 0 (kswapd dropped the order once it
 * reclaimed compaction's gap) the free pages, for kcompactd to work with.
 */
static bool bb_pgdat_balanced(struct bb_node *pgdat, int order,
			      int highest_zoneidx)
{
	bool defrag = order && bb_defrag_mode(pgdat->sb);
	bool populated = false;
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct bb_zone *zone = &pgdat->node_zones[i];
		unsigned long free;

		if (!bb_populated_zone(zone))
			continue;
		populated = true;
		free = defrag ? READ_ONCE(zone->nr_free_pages_blocks) :
				READ_ONCE(zone->nr_free_pages);
		if (__bb_zone_watermark_ok(zone, order,
					   bb_wmark_pages(zone, BB_WMARK_HIGH),
					   highest_zoneidx, 0, free))
			return true;
	}
	/* no populated zone: nothing to balance */
	return !populated;
}

/*
 * The watermark boost of the node's populated zones up to
 * @highest_zoneidx, in total, and zone by zone into @zone_boosts if given.
 */
static unsigned long bb_pgdat_boost(struct bb_node *pgdat, int highest_zoneidx,
				    unsigned long *zone_boosts)
{
	unsigned long total = 0;
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct bb_zone *zone = &pgdat->node_zones[i];
		unsigned long boost;

		if (!bb_populated_zone(zone))
			continue;
		boost = READ_ONCE(zone->watermark_boost);
		if (zone_boosts)
			zone_boosts[i] = boost;
		total += boost;
	}
	return total;
}

/*
 * Has kswapd work for a request?  The node is not balanced for it, or a
 * fallback boosted a watermark of the zones it covers
 * (pgdat_watermark_boosted()): kswapd reclaims the boost's worth.
 */
static bool bb_kswapd_needed(struct bb_node *pgdat, int order,
			     int highest_zoneidx)
{
	return !bb_pgdat_balanced(pgdat, order, highest_zoneidx) ||
	       bb_pgdat_boost(pgdat, highest_zoneidx, NULL);
}

/* set_reclaim_active(): kswapd works on the node's eligible zones */
static void bb_set_reclaim_active(struct bb_node *pgdat, int highest_zoneidx)
{
	int i;

	for (i = 0; i <= highest_zoneidx; i++)
		if (bb_populated_zone(&pgdat->node_zones[i]))
			set_bit(BB_ZONE_RECLAIM_ACTIVE,
				&pgdat->node_zones[i].flags);
}

static void bb_clear_reclaim_active(struct bb_node *pgdat,
				    int highest_zoneidx)
{
	int i;

	for (i = 0; i <= highest_zoneidx; i++)
		clear_bit(BB_ZONE_RECLAIM_ACTIVE, &pgdat->node_zones[i].flags);
}

/*
 * kswapd_shrink_node(): one pass over the node at sc->priority, for a
 * cluster of pages more than a quarter of each eligible zone's high
 * watermark.  Returns the pages it reclaimed.
 */
static unsigned long bb_kswapd_shrink_node(struct bb_sandbox *sb,
					   struct bb_node *pgdat,
					   int highest_zoneidx,
					   struct bb_scan_control *sc)
{
	unsigned long before = sc->nr_reclaimed;
	int i;

	sc->nr_to_reclaim = before + BB_SWAP_CLUSTER_MAX;
	for (i = 0; i <= highest_zoneidx; i++) {
		struct bb_zone *zone = &pgdat->node_zones[i];

		if (bb_populated_zone(zone))
			sc->nr_to_reclaim += bb_wmark_pages(zone, BB_WMARK_HIGH) / 4;
	}
	bb_shrink_node(sb, pgdat, sc);
	return sc->nr_reclaimed - before;
}

/* kthread_stop() asked kswapd to finish (not asked of any other caller) */
static bool bb_kswapd_stopping(struct bb_node *pgdat)
{
	return current == pgdat->kswapd && kthread_should_stop();
}

/*
 * balance_pgdat()'s passes, priority DEF_PRIORITY down to 1, each lower
 * one after a pass that reclaimed nothing.  They end when the node is
 * balanced and @boost_left is reclaimed (true), or without (false): the
 * priorities ran out, the boost's pass freed nothing, or kswapd stops.
 * A node found unbalanced drops the boost and starts over at
 * DEF_PRIORITY: plain balancing comes first.
 */
static bool bb_kswapd_reclaim(struct bb_sandbox *sb, struct bb_node *pgdat,
			      int order, int highest_zoneidx,
			      struct bb_scan_control *sc,
			      unsigned long boost_left)
{
	sc->priority = BB_DEF_PRIORITY;
	while (sc->priority >= 1) {
		bool balanced = bb_pgdat_balanced(pgdat, order, highest_zoneidx);
		unsigned long progress;

		if (balanced && !boost_left)
			return true;
		if (!balanced && boost_left) {
			boost_left = 0;
			sc->priority = BB_DEF_PRIORITY;
			continue;
		}

		progress = bb_kswapd_shrink_node(sb, pgdat, highest_zoneidx, sc);
		if (boost_left) {
			/* no writeback to wait for here: nothing now, nothing later */
			if (!progress)
				return false;
			boost_left -= min(boost_left, progress);
		}
		if (bb_kswapd_stopping(pgdat))
			return false;
		if (!progress)
			sc->priority--;
		cond_resched();
	}
	return false;
}

/*
 * balance_pgdat(): reclaim until the node is balanced.  A boosted
 * watermark (a fallback mixed migratetypes) makes kswapd reclaim the
 * boost's worth even when balanced; once done the boost is given back and
 * kcompactd woken to defragment.  A run that ends unbalanced having
 * reclaimed nothing counts as one of the node's kswapd_failures.
 */
static void bb_balance_pgdat(struct bb_sandbox *sb, struct bb_node *pgdat,
			     int order, int highest_zoneidx)
{
	unsigned long zone_boosts[BB_MAX_NR_ZONES] = { };
	struct bb_scan_control sc = { .kswapd = true };
	unsigned long boost;
	int i;

	bb_count_event(sb, BB_PAGEOUTRUN, 1);
	boost = bb_pgdat_boost(pgdat, highest_zoneidx, zone_boosts);
	bb_set_reclaim_active(pgdat, highest_zoneidx);

	if (!bb_kswapd_reclaim(sb, pgdat, order, highest_zoneidx, &sc, boost) &&
	    !sc.nr_reclaimed)
		pgdat->kswapd_failures++;
	bb_clear_reclaim_active(pgdat, highest_zoneidx);

	if (!boost)
		return;
	/* the boost was reclaimed for, or given up: either way it is spent */
	for (i = 0; i <= highest_zoneidx; i++) {
		struct bb_zone *zone = &pgdat->node_zones[i];

		if (!zone_boosts[i])
			continue;
		spin_lock(&zone->lock);
		zone->watermark_boost -= min(zone->watermark_boost,
					     zone_boosts[i]);
		spin_unlock(&zone->lock);
	}
	/* the freed pages are scattered: defragment */
	bb_wakeup_kcompactd(pgdat, BB_PAGEBLOCK_ORDER, highest_zoneidx);
}

/*
 * One wake's work of kswapd: take the request the wakers left (order and
 * highest zone, reset to none), do nothing if it needs nothing, else
 * balance the node for it; then do what kswapd_try_to_sleep() does
 * before sleeping: clear compaction's skip hints, and, if the node is
 * balanced for the order, wake kcompactd for it.
 */
void bb_kswapd_work(struct bb_node *pgdat)
{
	struct bb_sandbox *sb = pgdat->sb;
	int order = xchg(&pgdat->kswapd_order, 0);
	int highest_zoneidx = xchg(&pgdat->kswapd_highest_zoneidx,
				   BB_MAX_NR_ZONES);

	if (highest_zoneidx == BB_MAX_NR_ZONES)
		return;
	if (!bb_kswapd_needed(pgdat, order, highest_zoneidx)) {
		bb_count_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY, 1);
		return;
	}
	bb_ev_vmscan_kswapd_wake(pgdat, highest_zoneidx, order);
	bb_balance_pgdat(sb, pgdat, order, highest_zoneidx);
	/*
	 * kswapd_try_to_sleep(): kswapd sleeps for the order asked of it
	 * since (0 if none: the failed one is not retried), or when hopeless,
	 * and clears compaction's skip hints then: stale, they would hide
	 * the pages freed or moved meanwhile.
	 */
	if (bb_pgdat_balanced(pgdat, READ_ONCE(pgdat->kswapd_order),
			      highest_zoneidx) ||
	    READ_ONCE(pgdat->kswapd_failures) >= BB_MAX_RECLAIM_RETRIES)
		bb_reset_isolation_suitable(pgdat);
	if (!bb_pgdat_balanced(pgdat, order, highest_zoneidx))
		return;
	bb_count_event(sb, BB_KSWAPD_HIGH_WMARK_HIT_QUICKLY, 1);
	bb_wakeup_kcompactd(pgdat, order, highest_zoneidx);
	bb_ev_vmscan_kswapd_sleep(pgdat);
}

/* kswapd gave up on the node: zoneinfo's node_unreclaimable */
bool bb_pgdat_unreclaimable(struct bb_node *pgdat)
{
	return READ_ONCE(pgdat->kswapd_failures) >= BB_MAX_RECLAIM_RETRIES;
}

/* A request is pending, or kthread_stop() wants kswapd to finish. */
static bool bb_kswapd_pending(struct bb_node *pgdat)
{
	return READ_ONCE(pgdat->kswapd_highest_zoneidx) != BB_MAX_NR_ZONES ||
	       kthread_should_stop();
}

/* kswapd(): sleep until woken, then one bb_kswapd_work() */
static int bb_kswapd(void *data)
{
	struct bb_node *pgdat = data;

	set_freezable();
	while (!kthread_should_stop()) {
		wait_event_freezable(pgdat->kswapd_wait,
				     bb_kswapd_pending(pgdat));
		if (kthread_should_stop())
			break;
		bb_kswapd_work(pgdat);
	}
	return 0;
}

/*
 * Requests add up until kswapd takes them: the highest zone and the
 * largest order any of them asked for.  No zone is pending while
 * kswapd_highest_zoneidx is BB_MAX_NR_ZONES.
 */
static void bb_kswapd_note_request(struct bb_node *pgdat, int order,
				   enum bb_zone_type highest_zoneidx)
{
	enum bb_zone_type pending = READ_ONCE(pgdat->kswapd_highest_zoneidx);
	enum bb_zone_type wanted = highest_zoneidx;

	if (pending != BB_MAX_NR_ZONES)
		wanted = max(pending, highest_zoneidx);
	if (wanted != pending)
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, wanted);
	if (order > READ_ONCE(pgdat->kswapd_order))
		WRITE_ONCE(pgdat->kswapd_order, order);
}

/*
 * wakeup_kswapd(): note the request and wake the node's kswapd if it
 * sleeps, unless it has nothing to do for it or failed
 * MAX_RECLAIM_RETRIES runs in a row: then the request is withdrawn, and
 * one that cannot reclaim itself gets kcompactd instead.
 */
void bb_wakeup_kswapd(struct bb_sandbox *sb, struct bb_zone *zone,
		      bb_gfp_t gfp, int order,
		      enum bb_zone_type highest_zoneidx)
{
	struct bb_node *pgdat = zone->zone_pgdat;

	if (!bb_populated_zone(zone) || !bb_daemon_present(sb, pgdat->kswapd))
		return;
	bb_kswapd_note_request(pgdat, order, highest_zoneidx);
	/* awake: it finds the request when it looks again */
	if (!sb->daemons_sync && !waitqueue_active(&pgdat->kswapd_wait))
		return;

	if (READ_ONCE(pgdat->kswapd_failures) < BB_MAX_RECLAIM_RETRIES &&
	    bb_kswapd_needed(pgdat, order, highest_zoneidx)) {
		bb_count_event(sb, BB_KSWAPD_WAKE, 1);
		bb_ev_vmscan_wakeup_kswapd(pgdat, zone->idx, order, gfp);
		bb_daemon_wake(sb, &pgdat->kswapd_wait, &pgdat->kswapd_woken);
		return;
	}
	WRITE_ONCE(pgdat->kswapd_highest_zoneidx, BB_MAX_NR_ZONES);
	if (!(gfp & BB___GFP_DIRECT_RECLAIM))
		bb_wakeup_kcompactd(pgdat, order, highest_zoneidx);
}

int bb_kswapd_run(struct bb_sandbox *sb)
{
	int nid;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];
		struct task_struct *t;

		pgdat->kswapd_highest_zoneidx = BB_MAX_NR_ZONES;
		t = kthread_run(bb_kswapd, pgdat, "bb_kswapd%d/%s", nid, sb->cfg.name);
		if (IS_ERR(t)) {
			pr_err("cannot start kswapd for node %d: %ld\n",
			       nid, PTR_ERR(t));
			bb_kswapd_stop(sb);
			return PTR_ERR(t);
		}
		pgdat->kswapd = t;
	}
	return 0;
}

void bb_kswapd_stop(struct bb_sandbox *sb)
{
	int nid;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];

		if (pgdat->kswapd) {
			kthread_stop(pgdat->kswapd);
			pgdat->kswapd = NULL;
		}
	}
}
