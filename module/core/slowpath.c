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
 *     direct reclaim (then unreserve a highatomic pageblock, drain the
 *     per-CPU lists and retry), direct compaction at the current priority,
 *     the __GFP_NORETRY and costly bail-outs, should_reclaim_retry() (which
 *     empties the highatomic reserve before giving up), should_compact_retry(),
 *     and under defrag_mode a round allowing a fragmenting fallback;
 *  4. the OOM killer (__alloc_pages_may_oom()), then retry while it
 *     makes progress;
 *  5. __GFP_NOFAIL loops; everything else fails.
 * Each step is a stage (bb_slowpath_*()) that says what comes next; the
 * retry loop runs bb_slowpath_round()'s stages in turn.  Every step is
 * written to the allocation's trace (--explain).
 *
 * The sandbox differs in one place: a task killed while looping for a
 * __GFP_NOFAIL request is let go (the ioctl fails) rather than kept
 * forever, and the per-CPU lists are drained after direct reclaim even
 * when it made no progress (a small sandbox keeps a large share of its
 * pages there); the highatomic pageblock unreserved just before the drain
 * goes with it.
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

	/* defrag_mode: kswapd works towards whole free pageblocks */
	if (bb_defrag_mode(sb))
		order = max_t(unsigned int, order, BB_PAGEBLOCK_ORDER);
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

/*
 * The state of one allocation's way through the slow path: what it asked
 * for, the flags it tries with, and what reclaim and compaction did so far.
 */
struct bb_slowpath {
	struct bb_sandbox *sb;
	bb_gfp_t gfp;
	unsigned int order;
	struct bb_alloc_context *ac;
	bool can_direct_reclaim;
	bool costly_order;
	unsigned int alloc_flags;
	struct bb_page *page;		/* what it got */
	/* direct compaction: the last result, the priority of the next one */
	enum bb_compact_result compact_result;
	enum bb_compact_priority compact_priority;
	int compaction_retries;
	/* direct reclaim (or the OOM killer): pages it freed last time */
	unsigned long did_some_progress;
	int no_progress_loops;
};

/* What a stage of the slow path leads to. */
enum bb_slowpath_next {
	BB_SLOW_CONTINUE,	/* the next stage */
	BB_SLOW_RETRY,		/* the retry loop from its top */
	BB_SLOW_NOPAGE,		/* give up, unless __GFP_NOFAIL */
	BB_SLOW_FAIL,		/* give up, whatever the gfp mask says */
	BB_SLOW_GOT_PAGE,	/* done: sp->page */
};

/* get_page_from_freelist() with @alloc_flags */
static enum bb_slowpath_next bb_slowpath_try(struct bb_slowpath *sp,
					     unsigned int alloc_flags)
{
	sp->page = bb_get_page_from_freelist(sp->sb, sp->gfp, sp->order,
					     alloc_flags, sp->ac);
	return sp->page ? BB_SLOW_GOT_PAGE : BB_SLOW_CONTINUE;
}

/* __alloc_pages_direct_compact(), at @prio */
static struct bb_page *bb_alloc_pages_direct_compact(struct bb_slowpath *sp,
						     enum bb_compact_priority prio)
{
	struct bb_sandbox *sb = sp->sb;
	struct bb_alloc_context *ac = sp->ac;
	struct bb_page *page;
	u64 start;

	if (!sp->order) {
		sp->compact_result = BB_COMPACT_SKIPPED;
		return NULL;
	}
	start = ktime_get_ns();
	sp->compact_result = bb_try_to_compact_pages(sb, sp->gfp, sp->order,
						     sp->alloc_flags, ac, prio);
	bb_count_event(sb, BB_COMPACT_STALL_NS, ktime_get_ns() - start);
	bb_trace(ac->trace, "  direct compaction (%s): %s\n", bb_prio_name(prio),
		 bb_compact_result_names[sp->compact_result]);
	if (sp->compact_result == BB_COMPACT_SKIPPED)
		return NULL;

	bb_count_event(sb, BB_COMPACTSTALL, 1);
	page = bb_get_page_from_freelist(sb, sp->gfp, sp->order,
					 sp->alloc_flags, ac);
	if (page) {
		struct bb_zone *zone = bb_pfn_to_zone(sb, bb_page_to_pfn(sb, page));

		zone->compact_blockskip_flush = false;
		bb_compaction_defer_reset(zone, sp->order, true);
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
 * give back a highatomic pageblock (if the reserve holds more than one),
 * drain the per-CPU lists and try again.
 */
static struct bb_page *bb_alloc_pages_direct_reclaim(struct bb_slowpath *sp)
{
	struct bb_sandbox *sb = sp->sb;
	struct bb_alloc_context *ac = sp->ac;
	struct bb_page *page;

	sp->did_some_progress = bb_try_to_free_pages(sb, sp->order, sp->gfp, ac);
	bb_trace(ac->trace, "  direct reclaim: %lu pages reclaimed\n",
		 sp->did_some_progress);
	page = bb_get_page_from_freelist(sb, sp->gfp, sp->order,
					 sp->alloc_flags, ac);
	if (page)
		return page;
	/* a reserve larger than a pageblock gives one back first */
	bb_unreserve_highatomic_pageblock(sb, ac, false);
	bb_drain_all_pages(sb, NULL);
	bb_trace(ac->trace, "  drain_all_pages, then retry\n");
	return bb_get_page_from_freelist(sb, sp->gfp, sp->order,
					 sp->alloc_flags, ac);
}

/* zone_reclaimable_pages(): the zone's pages on the LRU lists */
static unsigned long bb_zone_reclaimable_pages(struct bb_zone *zone)
{
	return bb_zone_lru_pages(zone, BB_NR_LRU_LISTS);
}

/*
 * should_reclaim_retry(): retry while some zone could meet its min
 * watermark if everything reclaimable were reclaimed, and reclaim keeps
 * making progress (MAX_RECLAIM_RETRIES rounds without).
 */
static bool bb_should_reclaim_retry(struct bb_slowpath *sp)
{
	const struct bb_alloc_context *ac = sp->ac;
	struct bb_zoneref *z;

	/* only a small order's progress counts: a costly one may need more */
	if (sp->did_some_progress && sp->order <= BB_PAGE_ALLOC_COSTLY_ORDER)
		sp->no_progress_loops = 0;
	else
		sp->no_progress_loops++;
	if (sp->no_progress_loops > BB_MAX_RECLAIM_RETRIES) {
		bool unreserved;

		/* the whole highatomic reserve goes before the OOM killer */
		unreserved = bb_unreserve_highatomic_pageblock(sp->sb, ac, true);
		bb_trace(ac->trace, "  should_reclaim_retry: %s: %d rounds without progress%s\n",
			 unreserved ? "yes" : "no", sp->no_progress_loops,
			 unreserved ? ", but a highatomic pageblock was unreserved" : "");
		return unreserved;
	}

	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		unsigned long available, reclaimable;

		if (!bb_zoneref_allowed(z, ac))
			continue;
		reclaimable = bb_zone_reclaimable_pages(zone);
		available = reclaimable + READ_ONCE(zone->nr_free_pages);
		if (__bb_zone_watermark_ok(zone, sp->order,
					   bb_wmark_pages(zone, BB_WMARK_MIN),
					   ac->highest_zoneidx, sp->alloc_flags,
					   available)) {
			bb_trace(ac->trace,
				 "  should_reclaim_retry: yes: zone %s would meet min %lu with %lu reclaimable + %lu free (round %d)\n",
				 zone->name, bb_wmark_pages(zone, BB_WMARK_MIN),
				 reclaimable, available - reclaimable,
				 sp->no_progress_loops);
			return true;
		}
	}
	bb_trace(ac->trace, "  should_reclaim_retry: no: no zone would meet its min watermark\n");
	return false;
}

/*
 * What a compaction result says about compacting again: the kernel's
 * compaction_made_progress(), compaction_failed(), compaction_withdrawn()
 * and compaction_needs_reclaim() as one table.
 */
enum bb_compact_verdict {
	BB_COMPACT_TRY_AGAIN,		/* while retries are left */
	BB_COMPACT_PROGRESSED,		/* likewise, and it uses one up */
	BB_COMPACT_NEEDS_PRIORITY,	/* failed or withdrew: push harder */
	BB_COMPACT_NEEDS_RECLAIM,	/* too few free pages to work with */
};

static const u8 bb_compact_verdicts[BB_NR_COMPACT_RESULTS] = {
	[BB_COMPACT_SUCCESS]		= BB_COMPACT_PROGRESSED,
	[BB_COMPACT_SKIPPED]		= BB_COMPACT_NEEDS_RECLAIM,
	/* it scanned the whole zone and still failed */
	[BB_COMPACT_COMPLETE]		= BB_COMPACT_NEEDS_PRIORITY,
	/* it did not really try */
	[BB_COMPACT_DEFERRED]		= BB_COMPACT_NEEDS_PRIORITY,
	[BB_COMPACT_CONTENDED]		= BB_COMPACT_NEEDS_PRIORITY,
	[BB_COMPACT_PARTIAL_SKIPPED]	= BB_COMPACT_NEEDS_PRIORITY,
};

/* the strongest priority an order may use: costly ones never sync-full */
static enum bb_compact_priority bb_min_compact_priority(unsigned int order)
{
	if (order > BB_PAGE_ALLOC_COSTLY_ORDER)
		return BB_MIN_COMPACT_COSTLY_PRIORITY;
	return BB_MIN_COMPACT_PRIORITY;
}

/* retries that made progress before a stronger priority: costly get 1/4 */
static int bb_max_compact_retries(unsigned int order)
{
	if (order > BB_PAGE_ALLOC_COSTLY_ORDER)
		return BB_MAX_COMPACT_RETRIES / 4;
	return BB_MAX_COMPACT_RETRIES;
}

/* One step up in priority if the order has one left; retries start over. */
static bool bb_compact_raise_priority(unsigned int order,
				      enum bb_compact_priority *prio,
				      int *compaction_retries)
{
	if (*prio <= bb_min_compact_priority(order))
		return false;
	(*prio)--;
	*compaction_retries = 0;
	return true;
}

/*
 * should_compact_retry(): is another round of reclaim and compaction
 * worth it for @order, after compaction said @result?  Progress retries
 * at the same priority until bb_max_compact_retries(); what failed or
 * withdrew, or ran out of retries, retries one priority stronger while
 * there is one; what lacked free pages retries if reclaim could make
 * compaction suitable somewhere.
 */
bool bb_should_compact_retry(struct bb_sandbox *sb,
			     const struct bb_alloc_context *ac,
			     unsigned int order, unsigned int alloc_flags,
			     enum bb_compact_result result,
			     enum bb_compact_priority *prio,
			     int *compaction_retries)
{
	enum bb_compact_verdict verdict = bb_compact_verdicts[result];
	bool retry;

	if (!order || fatal_signal_pending(current))
		return false;

	switch (verdict) {
	case BB_COMPACT_NEEDS_RECLAIM:
		retry = bb_compaction_zonelist_suitable(sb, ac, order,
							alloc_flags);
		break;
	case BB_COMPACT_NEEDS_PRIORITY:
		retry = bb_compact_raise_priority(order, prio,
						  compaction_retries);
		break;
	default:
		if (verdict == BB_COMPACT_PROGRESSED)
			(*compaction_retries)++;
		retry = *compaction_retries <= bb_max_compact_retries(order) ||
			bb_compact_raise_priority(order, prio,
						  compaction_retries);
		break;
	}
	bb_trace(ac->trace, "  should_compact_retry: %s (last %s, priority now %s, retries %d)\n",
		 retry ? "yes" : "no", bb_compact_result_names[result],
		 bb_prio_name(*prio), *compaction_retries);
	return retry;
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

/*
 * The stages.  Each returns what comes next; BB_SLOW_CONTINUE goes on to
 * the following one.
 */

/* Once: the gfp mask's own flags (gfp_to_alloc_flags()), kswapd, a try. */
static enum bb_slowpath_next bb_slowpath_enter(struct bb_slowpath *sp)
{
	struct bb_alloc_context *ac = sp->ac;
	unsigned int flags;
	bool r63;

	/* the nodemask or zone may have excluded every zone */
	if (!ac->preferred_zoneref->zone) {
		bb_trace(ac->trace, "slow path: no zone allowed\n");
		return BB_SLOW_FAIL;
	}
	bb_zone_stat_add(ac->preferred_zoneref->zone, BB_ALLOC_SLOWPATH, 1);

	flags = bb_gfp_to_alloc_flags(sp->sb, sp->gfp, sp->order);
	/* defrag_mode: no fragmenting fallback until the last attempt */
	if (bb_defrag_mode(sp->sb))
		flags |= BB_ALLOC_NOFRAGMENT;
	sp->alloc_flags = flags;
	r63 = bb_reserves_63(sp->sb);
	bb_trace(ac->trace, "slow path: alloc_flags %#x (min watermark%s%s%s)\n",
		 flags, !(flags & BB_ALLOC_HIGH) ? "" :
		 r63 ? ", ALLOC_MIN_RESERVE" : ", ALLOC_HIGH",
		 !(flags & BB_ALLOC_HARDER) ? "" :
		 r63 ? ", ALLOC_NON_BLOCK" : ", ALLOC_HARDER",
		 flags & BB_ALLOC_KSWAPD ? ", wakes kswapd" : "");
	if (flags & BB_ALLOC_NOFRAGMENT)
		bb_trace(ac->trace,
			 "  defrag_mode: ALLOC_NOFRAGMENT until reclaim and compaction have failed\n");
	if (flags & BB_ALLOC_KSWAPD)
		bb_wake_all_kswapds(sp->sb, sp->order, sp->gfp, ac);
	/* at the min watermark, with the discounts the gfp mask earns */
	return bb_slowpath_try(sp, flags);
}

/*
 * Costly orders, and high orders that are not movable, compact before
 * reclaiming: reclaim alone rarely makes the block.  Not for a request
 * that may dip into the reserves: it has not tried them yet.
 */
static bool bb_compact_before_reclaim(const struct bb_slowpath *sp)
{
	if (!sp->can_direct_reclaim || bb_gfp_pfmemalloc_flags(sp->gfp))
		return false;
	return sp->costly_order ||
	       (sp->order && sp->ac->migratetype != BB_MIGRATE_MOVABLE);
}

/* Once: async compaction first, where bb_compact_before_reclaim() says. */
static enum bb_slowpath_next bb_slowpath_compact_first(struct bb_slowpath *sp)
{
	if (!bb_compact_before_reclaim(sp))
		return BB_SLOW_CONTINUE;
	sp->page = bb_alloc_pages_direct_compact(sp, BB_INIT_COMPACT_PRIORITY);
	if (sp->page)
		return BB_SLOW_GOT_PAGE;
	if (!sp->costly_order || !(sp->gfp & BB___GFP_NORETRY))
		return BB_SLOW_CONTINUE;

	/* THP-style: no reclaim for a compaction that won't run */
	if (sp->compact_result == BB_COMPACT_SKIPPED ||
	    sp->compact_result == BB_COMPACT_DEFERRED) {
		bb_trace(sp->ac->trace,
			 "  __GFP_NORETRY costly order, compaction %s: give up\n",
			 bb_compact_result_names[sp->compact_result]);
		return BB_SLOW_NOPAGE;
	}
	/* worth a reclaim, but sync compaction would cost too much */
	sp->compact_priority = BB_INIT_COMPACT_PRIORITY;
	return BB_SLOW_CONTINUE;
}

/* The retry loop's top: kswapd kept awake, the reserves if allowed, a try. */
static enum bb_slowpath_next bb_slowpath_retry_top(struct bb_slowpath *sp)
{
	unsigned int reserve_flags = bb_gfp_pfmemalloc_flags(sp->gfp);

	if (sp->alloc_flags & BB_ALLOC_KSWAPD)
		bb_wake_all_kswapds(sp->sb, sp->order, sp->gfp, sp->ac);
	if (reserve_flags) {
		sp->alloc_flags = reserve_flags |
				  (sp->alloc_flags & BB_ALLOC_KSWAPD);
		bb_trace(sp->ac->trace, "  __GFP_MEMALLOC: ALLOC_NO_WATERMARKS\n");
	}
	return bb_slowpath_try(sp, sp->alloc_flags);
}

static enum bb_slowpath_next bb_slowpath_direct_reclaim(struct bb_slowpath *sp)
{
	if (!sp->can_direct_reclaim) {
		bb_trace(sp->ac->trace, "  no __GFP_DIRECT_RECLAIM: give up\n");
		return BB_SLOW_NOPAGE;
	}
	sp->page = bb_alloc_pages_direct_reclaim(sp);
	return sp->page ? BB_SLOW_GOT_PAGE : BB_SLOW_CONTINUE;
}

static enum bb_slowpath_next bb_slowpath_direct_compact(struct bb_slowpath *sp)
{
	sp->page = bb_alloc_pages_direct_compact(sp, sp->compact_priority);
	return sp->page ? BB_SLOW_GOT_PAGE : BB_SLOW_CONTINUE;
}

/*
 * Another round?  Not for __GFP_NORETRY, nor for a costly order without
 * __GFP_RETRY_MAYFAIL; else if reclaim may still get there, or, when it
 * freed something, if compaction may.
 */
static enum bb_slowpath_next bb_slowpath_should_retry(struct bb_slowpath *sp)
{
	struct bb_alloc_context *ac = sp->ac;

	if (sp->gfp & BB___GFP_NORETRY) {
		bb_trace(ac->trace, "  __GFP_NORETRY: give up\n");
		return BB_SLOW_NOPAGE;
	}
	if (sp->costly_order && !(sp->gfp & BB___GFP_RETRY_MAYFAIL)) {
		bb_trace(ac->trace, "  costly order without __GFP_RETRY_MAYFAIL: give up\n");
		return BB_SLOW_NOPAGE;
	}
	if (bb_should_reclaim_retry(sp))
		return BB_SLOW_RETRY;
	/* compaction needs the free pages reclaim makes */
	if (sp->did_some_progress &&
	    bb_should_compact_retry(sp->sb, ac, sp->order, sp->alloc_flags,
				    sp->compact_result, &sp->compact_priority,
				    &sp->compaction_retries))
		return BB_SLOW_RETRY;
	return BB_SLOW_CONTINUE;
}

/*
 * defrag_mode: reclaim and compaction could not make a block without
 * fragmenting; before the OOM killer, another round that may fall back.
 */
static enum bb_slowpath_next bb_slowpath_defrag_fallback(struct bb_slowpath *sp)
{
	if (!bb_defrag_mode(sp->sb) || !(sp->alloc_flags & BB_ALLOC_NOFRAGMENT))
		return BB_SLOW_CONTINUE;
	sp->alloc_flags &= ~BB_ALLOC_NOFRAGMENT;
	bb_trace(sp->ac->trace,
		 "  defrag_mode: reclaim and compaction failed to prevent the fallback: retry allowing it\n");
	return BB_SLOW_RETRY;
}

/* Neither reclaim nor compaction helped: the OOM killer. */
static enum bb_slowpath_next bb_slowpath_oom(struct bb_slowpath *sp)
{
	sp->page = bb_alloc_pages_may_oom(sp->sb, sp->gfp, sp->order, sp->ac,
					  &sp->did_some_progress);
	if (sp->page)
		return BB_SLOW_GOT_PAGE;
	/* the requester itself was chosen: nothing of it is left to serve */
	if (bb_requester_killed(sp->ac)) {
		bb_trace(sp->ac->trace, "  the requester was chosen by the OOM killer: give up\n");
		return BB_SLOW_FAIL;
	}
	if (!sp->did_some_progress || fatal_signal_pending(current))
		return BB_SLOW_NOPAGE;
	/* a victim's pages came back: reclaim gets its full count again */
	sp->no_progress_loops = 0;
	return BB_SLOW_RETRY;
}

/* Giving up: only __GFP_NOFAIL does not, and loops. */
static enum bb_slowpath_next bb_slowpath_nopage(struct bb_slowpath *sp)
{
	struct bb_alloc_context *ac = sp->ac;

	if (!(sp->gfp & BB___GFP_NOFAIL)) {
		bb_trace(ac->trace, "  failed\n");
		return BB_SLOW_FAIL;
	}
	/* the sandbox lets a killed task go rather than loop forever */
	if (fatal_signal_pending(current)) {
		bb_trace(ac->trace, "  __GFP_NOFAIL: the task was killed, give up\n");
		return BB_SLOW_FAIL;
	}
	/* a last try with some reserve: 6.1's ALLOC_HARDER, 6.3's __GFP_HIGH's */
	if (bb_slowpath_try(sp, sp->alloc_flags |
			    (bb_reserves_63(sp->sb) ? BB_ALLOC_MIN_RESERVE :
			     BB_ALLOC_HARDER)) == BB_SLOW_GOT_PAGE)
		return BB_SLOW_GOT_PAGE;
	bb_trace(ac->trace, "  __GFP_NOFAIL: loop\n");
	cond_resched();
	return BB_SLOW_RETRY;
}

/* One round of the retry loop, stage after stage. */
static enum bb_slowpath_next bb_slowpath_round(struct bb_slowpath *sp)
{
	static enum bb_slowpath_next (* const stages[])(struct bb_slowpath *) = {
		bb_slowpath_retry_top,
		bb_slowpath_direct_reclaim,
		bb_slowpath_direct_compact,
		bb_slowpath_should_retry,
		bb_slowpath_defrag_fallback,
		bb_slowpath_oom,
	};
	enum bb_slowpath_next next = BB_SLOW_CONTINUE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stages) && next == BB_SLOW_CONTINUE; i++)
		next = stages[i](sp);
	return next;
}

struct bb_page *__bb_alloc_pages_slowpath(struct bb_sandbox *sb, bb_gfp_t gfp,
					  unsigned int order,
					  struct bb_alloc_context *ac)
{
	struct bb_slowpath sp = {
		.sb = sb,
		.gfp = gfp,
		.order = order,
		.ac = ac,
		.can_direct_reclaim = gfp & BB___GFP_DIRECT_RECLAIM,
		.costly_order = order > BB_PAGE_ALLOC_COSTLY_ORDER,
		.compact_result = BB_COMPACT_SKIPPED,
		.compact_priority = BB_DEF_COMPACT_PRIORITY,
	};
	enum bb_slowpath_next next;

	next = bb_slowpath_enter(&sp);
	if (next == BB_SLOW_CONTINUE)
		next = bb_slowpath_compact_first(&sp);
	while (next != BB_SLOW_GOT_PAGE && next != BB_SLOW_FAIL) {
		if (next == BB_SLOW_NOPAGE)
			next = bb_slowpath_nopage(&sp);
		else
			next = bb_slowpath_round(&sp);
	}
	return next == BB_SLOW_GOT_PAGE ? sp.page : NULL;
}
