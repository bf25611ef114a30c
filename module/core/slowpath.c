// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the slow path, __alloc_pages_slowpath().
 *
 * What runs when get_page_from_freelist() failed at the low watermark, in
 * the kernel's order (mm/page_alloc.c, 6.1):
 *  1. recompute the alloc flags from the gfp mask (gfp_to_alloc_flags()),
 *     wake kswapd, retry at the min watermark;
 *  2. costly or unmovable high-order requests try async direct compaction
 *     first; __GFP_NORETRY costly ones give up if it was skipped/deferred;
 *  3. the retry loop: ALLOC_NO_WATERMARKS where __GFP_MEMALLOC allows it,
 *     direct reclaim (then drain the per-CPU lists and retry), direct
 *     compaction at the current priority, the __GFP_NORETRY and costly
 *     bail-outs, should_reclaim_retry(), should_compact_retry();
 *  4. the OOM killer (__alloc_pages_may_oom()), then retry while it
 *     makes progress;
 *  5. __GFP_NOFAIL loops; everything else fails.
 * Every step is written to the allocation's trace (--explain).
 *
 * The sandbox differs in one place: a task killed while looping for a
 * __GFP_NOFAIL request is let go (the ioctl fails) rather than kept
 * forever, and the per-CPU lists are drained after direct reclaim even
 * when it made no progress (a small sandbox keeps a large share of its
 * pages there).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "buddybox.h"

#define BB_MAX_RECLAIM_RETRIES	16
#define BB_MAX_COMPACT_RETRIES	16

/* __gfp_pfmemalloc_flags(): may this request ignore the watermarks? */
static unsigned int bb_gfp_pfmemalloc_flags(bb_gfp_t gfp)
{
	if (gfp & BB___GFP_NOMEMALLOC)
		return 0;
	if (gfp & BB___GFP_MEMALLOC)
		return BB_ALLOC_NO_WATERMARKS;
	return 0;
}

static bool bb_zoneref_allowed(const struct bb_zoneref *z,
			       const struct bb_alloc_context *ac)
{
	return z->zone_idx <= ac->highest_zoneidx &&
	       (!ac->nodemask ||
		(ac->nodemask & BIT(bb_zone_to_nid(z->zone))));
}

/* wake_all_kswapds(): every node of the zonelist, once */
static void bb_wake_all_kswapds(struct bb_sandbox *sb, unsigned int order,
				bb_gfp_t gfp, const struct bb_alloc_context *ac)
{
	unsigned long woken = 0;
	struct bb_zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		int nid = bb_zone_to_nid(z->zone);

		if (!bb_zoneref_allowed(z, ac) || (woken & BIT(nid)))
			continue;
		woken |= BIT(nid);
		bb_wakeup_kswapd(sb, z->zone, gfp, order, ac->highest_zoneidx);
	}
}

static const char *bb_prio_name(enum bb_compact_priority prio)
{
	switch (prio) {
	case BB_COMPACT_PRIO_SYNC_FULL:
		return "sync-full";
	case BB_COMPACT_PRIO_SYNC_LIGHT:
		return "sync-light";
	default:
		return "async";
	}
}

/* __alloc_pages_direct_compact() */
static struct bb_page *bb_alloc_pages_direct_compact(struct bb_sandbox *sb,
						     bb_gfp_t gfp,
						     unsigned int order,
						     unsigned int alloc_flags,
						     const struct bb_alloc_context *ac,
						     enum bb_compact_priority prio,
						     enum bb_compact_result *result)
{
	struct bb_page *page;
	u64 start;

	if (!order) {
		*result = BB_COMPACT_SKIPPED;
		return NULL;
	}
	start = ktime_get_ns();
	*result = bb_try_to_compact_pages(sb, gfp, order, alloc_flags, ac, prio);
	bb_count_event(sb, BB_COMPACT_STALL_NS, ktime_get_ns() - start);
	bb_trace(ac->trace, "  direct compaction (%s): %s\n", bb_prio_name(prio),
		 bb_compact_result_names[*result]);
	if (*result == BB_COMPACT_SKIPPED)
		return NULL;

	bb_count_event(sb, BB_COMPACTSTALL, 1);
	page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	if (page) {
		struct bb_zone *zone = bb_pfn_to_zone(sb, bb_page_to_pfn(sb, page));

		zone->compact_blockskip_flush = false;
		bb_compaction_defer_reset(zone, order, true);
		bb_count_event(sb, BB_COMPACTSUCCESS, 1);
		bb_trace(ac->trace, "  -> got the block after compaction\n");
		return page;
	}
	bb_count_event(sb, BB_COMPACTFAIL, 1);
	bb_trace(ac->trace, "  -> still no block after compaction\n");
	return NULL;
}

/*
 * __alloc_pages_direct_reclaim(): reclaim (try_to_free_pages()), then
 * drain the per-CPU lists and try again.
 */
static struct bb_page *bb_alloc_pages_direct_reclaim(struct bb_sandbox *sb,
						     bb_gfp_t gfp,
						     unsigned int order,
						     unsigned int alloc_flags,
						     const struct bb_alloc_context *ac,
						     unsigned long *did_some_progress)
{
	struct bb_page *page;

	*did_some_progress = bb_try_to_free_pages(sb, order, gfp, ac);
	bb_trace(ac->trace, "  direct reclaim: %lu pages reclaimed\n",
		 *did_some_progress);
	page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	if (page)
		return page;
	bb_drain_all_pages(sb, NULL);
	bb_trace(ac->trace, "  drain_all_pages, then retry\n");
	return bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
}

/* zone_reclaimable_pages(): the zone's pages on the LRU lists */
static unsigned long bb_zone_reclaimable_pages(struct bb_zone *zone)
{
	struct bb_lruvec *lruvec = &zone->zone_pgdat->lruvec;

	return READ_ONCE(lruvec->zone_nr[zone->idx]);
}

/*
 * should_reclaim_retry(): retry while some zone could meet its min
 * watermark if everything reclaimable were reclaimed, and reclaim keeps
 * making progress (MAX_RECLAIM_RETRIES rounds without).
 */
static bool bb_should_reclaim_retry(struct bb_sandbox *sb, bb_gfp_t gfp,
				    unsigned int order,
				    const struct bb_alloc_context *ac,
				    unsigned int alloc_flags,
				    bool did_some_progress,
				    int *no_progress_loops)
{
	struct bb_zoneref *z;

	if (did_some_progress && order <= BB_PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > BB_MAX_RECLAIM_RETRIES) {
		bb_trace(ac->trace, "  should_reclaim_retry: no: %d rounds without progress\n",
			 *no_progress_loops);
		return false;
	}

	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		unsigned long available, reclaimable;

		if (!bb_zoneref_allowed(z, ac))
			continue;
		reclaimable = bb_zone_reclaimable_pages(zone);
		available = reclaimable + READ_ONCE(zone->nr_free_pages);
		if (__bb_zone_watermark_ok(zone, order,
					   bb_wmark_pages(zone, BB_WMARK_MIN),
					   ac->highest_zoneidx, alloc_flags,
					   available)) {
			bb_trace(ac->trace,
				 "  should_reclaim_retry: yes: zone %s would meet min %lu with %lu reclaimable + %lu free (round %d)\n",
				 zone->name, bb_wmark_pages(zone, BB_WMARK_MIN),
				 reclaimable, available - reclaimable,
				 *no_progress_loops);
			return true;
		}
	}
	bb_trace(ac->trace, "  should_reclaim_retry: no: no zone would meet its min watermark\n");
	return false;
}

/*
 * should_compact_retry(): retry compaction while it makes progress (at
 * most MAX_COMPACT_RETRIES times, a quarter of that for costly orders),
 * and raise its priority when it failed or withdrew.
 */
static bool bb_should_compact_retry(struct bb_sandbox *sb,
				    const struct bb_alloc_context *ac,
				    unsigned int order, unsigned int alloc_flags,
				    enum bb_compact_result result,
				    enum bb_compact_priority *prio,
				    int *compaction_retries)
{
	int max_retries = BB_MAX_COMPACT_RETRIES;
	int min_priority;
	bool ret = false;

	if (!order)
		return false;
	if (fatal_signal_pending(current))
		return false;
	if (result == BB_COMPACT_SUCCESS)
		(*compaction_retries)++;
	if (result == BB_COMPACT_COMPLETE)
		goto check_priority;
	if (result == BB_COMPACT_SKIPPED) {
		/* compaction needs reclaim first: worth it only if suitable */
		ret = bb_compaction_zonelist_suitable(sb, ac, order, alloc_flags);
		goto out;
	}
	if (result == BB_COMPACT_DEFERRED || result == BB_COMPACT_CONTENDED ||
	    result == BB_COMPACT_PARTIAL_SKIPPED)
		goto check_priority;

	if (order > BB_PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*compaction_retries <= max_retries) {
		ret = true;
		goto out;
	}

check_priority:
	min_priority = order > BB_PAGE_ALLOC_COSTLY_ORDER ?
		       BB_MIN_COMPACT_COSTLY_PRIORITY : BB_MIN_COMPACT_PRIORITY;
	if (*prio > min_priority) {
		(*prio)--;
		*compaction_retries = 0;
		ret = true;
	}
out:
	bb_trace(ac->trace, "  should_compact_retry: %s (last %s, priority now %s, retries %d)\n",
		 ret ? "yes" : "no", bb_compact_result_names[result],
		 bb_prio_name(*prio), *compaction_retries);
	return ret;
}

/* __alloc_pages_may_oom() */
static struct bb_page *bb_alloc_pages_may_oom(struct bb_sandbox *sb,
					      bb_gfp_t gfp, unsigned int order,
					      const struct bb_alloc_context *ac,
					      unsigned long *did_some_progress)
{
	struct bb_page *page = NULL;

	*did_some_progress = 0;
	/* someone else is killing: let them, and retry */
	if (!mutex_trylock(&sb->oom_lock)) {
		*did_some_progress = 1;
		bb_trace(ac->trace, "  OOM: another allocation is choosing a victim, retry\n");
		schedule_timeout_uninterruptible(1);
		return NULL;
	}

	/* a last try at the high watermark, to catch a parallel kill */
	page = bb_get_page_from_freelist(sb, gfp & ~BB___GFP_DIRECT_RECLAIM,
					 order,
					 BB_ALLOC_WMARK_HIGH | BB_ALLOC_CPUSET,
					 ac);
	if (page)
		goto out;

	if (order > BB_PAGE_ALLOC_COSTLY_ORDER) {
		bb_trace(ac->trace, "  OOM: not for order %u (costly)\n", order);
		goto out;
	}
	if (gfp & BB___GFP_RETRY_MAYFAIL) {
		bb_trace(ac->trace, "  OOM: not for __GFP_RETRY_MAYFAIL\n");
		goto out;
	}
	if (ac->highest_zoneidx < BB_ZONE_NORMAL_IDX) {
		bb_trace(ac->trace, "  OOM: not for a lowmem request\n");
		goto out;
	}
	if (gfp & BB___GFP_THISNODE) {
		bb_trace(ac->trace, "  OOM: not for __GFP_THISNODE\n");
		goto out;
	}

	bb_trace(ac->trace, "  OOM: out_of_memory\n");
	if (bb_out_of_memory(sb, gfp, order, ac->owner, ac->trace)) {
		*did_some_progress = 1;
		/* NOFAIL may use the reserves once the victim's pages are back */
		if (gfp & BB___GFP_NOFAIL)
			page = bb_get_page_from_freelist(sb, gfp, order,
							 BB_ALLOC_NO_WATERMARKS,
							 ac);
	}
out:
	mutex_unlock(&sb->oom_lock);
	return page;
}

/* tsk_is_oom_victim(current): the requester itself was chosen */
static bool bb_requester_killed(const struct bb_alloc_context *ac)
{
	return ac->owner && READ_ONCE(ac->owner->oom_killed);
}

struct bb_page *__bb_alloc_pages_slowpath(struct bb_sandbox *sb, bb_gfp_t gfp,
					  unsigned int order,
					  struct bb_alloc_context *ac)
{
	bool can_direct_reclaim = gfp & BB___GFP_DIRECT_RECLAIM;
	bool costly_order = order > BB_PAGE_ALLOC_COSTLY_ORDER;
	enum bb_compact_result compact_result = BB_COMPACT_SKIPPED;
	enum bb_compact_priority compact_priority;
	unsigned long did_some_progress;
	unsigned int alloc_flags, reserve_flags;
	int compaction_retries, no_progress_loops;
	struct bb_page *page = NULL;

	/* the nodemask or zone may have excluded every zone */
	if (!ac->preferred_zoneref->zone) {
		bb_trace(ac->trace, "slow path: no zone allowed\n");
		return NULL;
	}
	bb_zone_stat_add(ac->preferred_zoneref->zone, BB_ALLOC_SLOWPATH, 1);

	compaction_retries = 0;
	no_progress_loops = 0;
	compact_priority = BB_DEF_COMPACT_PRIORITY;

	alloc_flags = bb_gfp_to_alloc_flags(gfp, order);
	bb_trace(ac->trace, "slow path: alloc_flags %#x (min watermark%s%s%s)\n",
		 alloc_flags,
		 alloc_flags & BB_ALLOC_HIGH ? ", ALLOC_HIGH" : "",
		 alloc_flags & BB_ALLOC_HARDER ? ", ALLOC_HARDER" : "",
		 alloc_flags & BB_ALLOC_KSWAPD ? ", wakes kswapd" : "");
	if (alloc_flags & BB_ALLOC_KSWAPD)
		bb_wake_all_kswapds(sb, order, gfp, ac);

	/* at the min watermark, with the discounts the gfp mask earns */
	page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	/*
	 * Costly orders, and high orders that are not movable, try
	 * compaction before reclaim: reclaim alone rarely makes the block.
	 */
	if (can_direct_reclaim &&
	    (costly_order ||
	     (order > 0 && ac->migratetype != BB_MIGRATE_MOVABLE)) &&
	    !bb_gfp_pfmemalloc_flags(gfp)) {
		page = bb_alloc_pages_direct_compact(sb, gfp, order, alloc_flags,
						     ac, BB_INIT_COMPACT_PRIORITY,
						     &compact_result);
		if (page)
			goto got_pg;
		if (costly_order && (gfp & BB___GFP_NORETRY)) {
			/* THP-style: no reclaim for a compaction that won't */
			if (compact_result == BB_COMPACT_SKIPPED ||
			    compact_result == BB_COMPACT_DEFERRED) {
				bb_trace(ac->trace,
					 "  __GFP_NORETRY costly order, compaction %s: give up\n",
					 bb_compact_result_names[compact_result]);
				goto nopage;
			}
			compact_priority = BB_INIT_COMPACT_PRIORITY;
		}
	}

retry:
	if (alloc_flags & BB_ALLOC_KSWAPD)
		bb_wake_all_kswapds(sb, order, gfp, ac);

	reserve_flags = bb_gfp_pfmemalloc_flags(gfp);
	if (reserve_flags) {
		alloc_flags = reserve_flags | (alloc_flags & BB_ALLOC_KSWAPD);
		bb_trace(ac->trace, "  __GFP_MEMALLOC: ALLOC_NO_WATERMARKS\n");
	}

	page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	if (!can_direct_reclaim) {
		bb_trace(ac->trace, "  no __GFP_DIRECT_RECLAIM: give up\n");
		goto nopage;
	}

	page = bb_alloc_pages_direct_reclaim(sb, gfp, order, alloc_flags, ac,
					     &did_some_progress);
	if (page)
		goto got_pg;

	page = bb_alloc_pages_direct_compact(sb, gfp, order, alloc_flags, ac,
					     compact_priority, &compact_result);
	if (page)
		goto got_pg;

	if (gfp & BB___GFP_NORETRY) {
		bb_trace(ac->trace, "  __GFP_NORETRY: give up\n");
		goto nopage;
	}
	if (costly_order && !(gfp & BB___GFP_RETRY_MAYFAIL)) {
		bb_trace(ac->trace, "  costly order without __GFP_RETRY_MAYFAIL: give up\n");
		goto nopage;
	}

	if (bb_should_reclaim_retry(sb, gfp, order, ac, alloc_flags,
				    did_some_progress > 0, &no_progress_loops))
		goto retry;
	if (did_some_progress > 0 &&
	    bb_should_compact_retry(sb, ac, order, alloc_flags, compact_result,
				    &compact_priority, &compaction_retries))
		goto retry;

	/* neither reclaim nor compaction helped: the OOM killer */
	page = bb_alloc_pages_may_oom(sb, gfp, order, ac, &did_some_progress);
	if (page)
		goto got_pg;

	/* the requester itself was chosen: nothing of it is left to serve */
	if (bb_requester_killed(ac)) {
		bb_trace(ac->trace, "  the requester was chosen by the OOM killer: give up\n");
		return NULL;
	}
	if (did_some_progress && !fatal_signal_pending(current)) {
		no_progress_loops = 0;
		goto retry;
	}

nopage:
	if (gfp & BB___GFP_NOFAIL) {
		/* the sandbox lets a killed task go rather than loop forever */
		if (fatal_signal_pending(current)) {
			bb_trace(ac->trace, "  __GFP_NOFAIL: the task was killed, give up\n");
			return NULL;
		}
		page = bb_get_page_from_freelist(sb, gfp, order,
						 alloc_flags | BB_ALLOC_HARDER, ac);
		if (page)
			goto got_pg;
		bb_trace(ac->trace, "  __GFP_NOFAIL: loop\n");
		cond_resched();
		goto retry;
	}
	bb_trace(ac->trace, "  failed\n");
	return NULL;

got_pg:
	return page;
}
