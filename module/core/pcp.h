/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: how big a per-CPU list is, Linux 6.1's rules.
 *
 * Each rule is a pure function of numbers the caller reads, so that the
 * tests can check it by hand; pcp_high=6.7's rules, which tune high
 * between a minimum and a maximum, sit beside them and change only the
 * list they are given.  They are inline because freeing to a list calls
 * them on every free; so are, below them, the fast paths that use them.
 */
#ifndef _BB_PCP_H
#define _BB_PCP_H

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sizes.h>

#include "buddybox.h"

/*
 * zone_batchsize(): one 1024th of the zone's pages, or 1 MiB's worth if
 * less, divided by four (at least 1), then brought down to one less than
 * the largest power of two within half as much again: 2^n - 1 batches
 * alias less in the caches than 2^n ones.  Zones of less than 32 MiB get
 * 0, which the caller raises to 1.
 */
static inline int bb_zone_batchsize(unsigned long managed_pages)
{
	unsigned long per_thousand = min_t(unsigned long, managed_pages >> 10,
					   SZ_1M / PAGE_SIZE);
	unsigned long quarter = max(per_thousand / 4, 1UL);

	return (1 << ilog2(quarter * 3 / 2)) - 1;
}

/*
 * zone_highsize(): a CPU's share of @total_pages (the low watermark, or
 * the managed pages over percpu_pagelist_high_fraction), and room for four
 * batches whatever the share.
 */
static inline int bb_zone_highsize(unsigned long total_pages,
				   unsigned int nr_cpus, int batch)
{
	unsigned long share = total_pages / max(nr_cpus, 1U);

	return max_t(unsigned long, share, 4UL * batch);
}

/*
 * The refill of an empty list (__rmqueue_pcplist()): @batch blocks of
 * order 0; of a higher order, as many pages as @batch at most but two
 * blocks at least.  A batch of 1 (a zone too small to keep pages on its
 * lists) is never scaled: one block of any order.
 */
static inline int bb_pcp_refill_count(int batch, unsigned int order)
{
	if (batch <= 1)
		return batch;
	return max(batch >> order, 2);
}

/*
 * free_high: a block of order 1 .. PAGE_ALLOC_COSTLY_ORDER freed while
 * the list is being freed to without allocations in between (free_factor
 * is not zero) flushes the whole list, so that such blocks do not sit
 * there fragmenting the zone.
 */
static inline bool bb_pcp_free_high(int free_factor, unsigned int order)
{
	return free_factor && order && order <= BB_PAGE_ALLOC_COSTLY_ORDER;
}

/*
 * nr_pcp_high(): the count at which a free gives pages back; 0: at once.
 * While kswapd reclaims the zone (@reclaim_active), lists keep at most four
 * batches, so that freed pages reach the buddy lists where reclaim wants
 * them.
 */
static inline int bb_nr_pcp_high(int high, int batch, bool reclaim_active,
				 bool free_high)
{
	if (free_high)
		return 0;
	return reclaim_active ? min(batch << 2, high) : high;
}

/* CONFIG_PCP_BATCH_SCALE_MAX's default: free_factor stops growing there */
#define BB_PCP_BATCH_SCALE_MAX	5

/*
 * nr_pcp_free(): how many pages a free over high gives back.  The batch
 * doubles with each such free that follows another without an allocation
 * between (*@free_factor counts them, up to BB_PCP_BATCH_SCALE_MAX; an
 * allocation halves it), as long as a batch stays on the list: high - batch
 * is the most it gives.  The
 * whole list goes for free_high, one page when high is below a batch.
 */
static inline int bb_nr_pcp_free(int count, int high, int batch,
				 short *free_factor, bool free_high)
{
	int most = high - batch;
	int scaled;

	if (unlikely(free_high))
		return count;
	if (unlikely(most < 0))
		return 1;
	scaled = batch << *free_factor;
	if (scaled >= most)
		return most;
	if (*free_factor < BB_PCP_BATCH_SCALE_MAX)
		(*free_factor)++;
	return scaled;
}

/*
 * pcp_high=6.7 (the "PCP high auto-tuning" series).  A list's high starts
 * at high_min, 6.1's value, and may go up to high_max, a CPU's share of
 * zone / BB_PCP_HIGH_MAX_FRACTION:
 *  - a refill (not while the zone is below its high watermark) raises it
 *    by what it takes: a list that keeps running dry should hold more;
 *  - a free that reaches it raises it to what was freed since allocations
 *    last halved free_count, and a batch: frees should not spill at once;
 *  - kswapd at work, a zone below its high watermark, and a free_high
 *    drain lower it; each vmstat round lowers it by an eighth.
 * free_count replaces free_factor as the measure of freeing without
 * allocating: it counts pages, up to BB_PCP_FREE_COUNT_MAX batches'
 * worth, and sets how many pages a free over high gives back.
 */
#define BB_PCP_HIGH_MAX_FRACTION	8	/* MIN_PERCPU_PAGELIST_HIGH_FRACTION */

static inline int bb_pcp_free_count_max(int batch)
{
	return batch << BB_PCP_BATCH_SCALE_MAX;
}

/* high brought within its bounds, as every 6.7 rule first does */
static inline int bb_pcp_high_clamped(struct bb_per_cpu_pages *pcp)
{
	pcp->high = clamp(pcp->high, READ_ONCE(pcp->high_min),
			  READ_ONCE(pcp->high_max));
	return pcp->high;
}

/*
 * 6.7's refill (nr_pcp_alloc()): blocks of @order to take from the buddy
 * lists into an empty list.  Order 0 takes batch << alloc_factor pages,
 * alloc_factor going up by one each refill without a free between (at
 * most BB_PCP_BATCH_SCALE_MAX) while that fits under high with a batch to
 * spare; other orders a batch's worth, at least two blocks.  A list whose
 * high may grow grows by the refill first, unless the zone is short of
 * free pages (@below_high).
 */
static inline int bb_pcp_refill_count_tuned(struct bb_per_cpu_pages *pcp,
					    unsigned int order, bool below_high)
{
	int batch = READ_ONCE(pcp->batch);
	int high = bb_pcp_high_clamped(pcp);
	int pages, room;

	if (unlikely(high < batch))
		return 1;
	pages = order ? batch : batch << pcp->alloc_factor;
	if (!below_high && READ_ONCE(pcp->high_min) != READ_ONCE(pcp->high_max)) {
		high = min(high + pages, READ_ONCE(pcp->high_max));
		pcp->high = high;
	}
	if (order)
		return bb_pcp_refill_count(pages, order);
	/* order 0: what fits under high, keeping a batch of room */
	room = max(high - pcp->count - batch, batch);
	if (room < pages)
		return room;
	pcp->alloc_factor = min_t(short, pcp->alloc_factor + 1,
				  BB_PCP_BATCH_SCALE_MAX);
	return bb_pcp_refill_count(pages, 0);
}

/*
 * 6.7's free_high: a block of orders 1 .. PAGE_ALLOC_COSTLY_ORDER freed
 * just after another one, with at least a batch freed since allocations
 * last halved free_count, drains the list, down to a batch: buddybox takes
 * the CPU's share of the data cache as room for three batches
 * (PCPF_FREE_HIGH_BATCH), as on the machines the series measured.  Notes
 * the order for the next free.
 */
static inline bool bb_pcp_free_high_tuned(struct bb_per_cpu_pages *pcp,
					  unsigned int order, int batch)
{
	bool small = order && order <= BB_PAGE_ALLOC_COSTLY_ORDER;
	bool after_small = pcp->flags & BB_PCPF_PREV_FREE_HIGH_ORDER;

	if (!small) {
		pcp->flags &= ~BB_PCPF_PREV_FREE_HIGH_ORDER;
		return false;
	}
	pcp->flags |= BB_PCPF_PREV_FREE_HIGH_ORDER;
	return after_small && pcp->free_count >= batch && pcp->count >= batch;
}

/*
 * 6.7's nr_pcp_high(): the count at which this free gives pages back (0:
 * at once), tuning high on the way.  The pressures lower high by what was
 * freed lately (a batch at least), never under high_min: kswapd at work
 * (@reclaim_active) also caps the mark at four batches as 6.1 does; a zone
 * below its high watermark (@below_high) gives back everything above
 * high_min.  Without pressure a list that reached high gets room for what
 * is being freed and a batch, within high_max, from the next free on.
 */
static inline int bb_pcp_high_on_free(struct bb_per_cpu_pages *pcp, int batch,
				      bool reclaim_active, bool below_high,
				      bool free_high)
{
	int floor = READ_ONCE(pcp->high_min);
	int ceiling = READ_ONCE(pcp->high_max);
	int old = bb_pcp_high_clamped(pcp);
	bool tuned = floor != ceiling;
	int cut;

	if (unlikely(!old))
		return 0;		/* lists off: every free goes back */
	if (!free_high && !reclaim_active && !(tuned && below_high)) {
		/* no pressure: a list at high makes room for the next frees */
		if (tuned && pcp->count >= old)
			pcp->high = min(max(old, pcp->free_count + batch),
					ceiling);
		return old;
	}
	cut = free_high ? bb_pcp_free_count_max(batch) :
			  max(pcp->free_count, batch);
	pcp->high = max(old - cut, floor);
	if (free_high)
		return 0;
	if (reclaim_active)
		return min(batch << 2, pcp->high);
	return max(pcp->count, floor);
}

/*
 * 6.7's nr_pcp_free(): a free_high drain takes the list, at most the
 * largest free_count; otherwise what was freed lately, at least a batch,
 * leaving a batch on the list; one page when high is under a batch.
 */
static inline int bb_nr_pcp_free_tuned(int count, int high, int batch,
				       int free_count, bool free_high)
{
	if (unlikely(free_high))
		return min(count, bb_pcp_free_count_max(batch));
	if (unlikely(high < batch))
		return 1;
	return min(max(free_count, batch), high - batch);
}

/*
 * The fast paths, inline in every allocation and free (page_alloc.c), as
 * the kernel's are in __alloc_pages() and free_unref_page(); what they
 * call rarely, the refill of an empty list and the return of a full one's
 * pages to the buddy lists, stays out of line in pcp.c.
 */
bool bb_pcp_refill(struct bb_sandbox *sb, struct bb_zone *zone,
		   struct bb_per_cpu_pages *pcp, struct list_head *list,
		   unsigned int order, int migratetype, unsigned int alloc_flags,
		   struct bb_trace *trace);
void bb_free_pcppages_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			   int count, struct bb_per_cpu_pages *pcp, int pindex);

static inline void bb_set_pcp_page(struct bb_sandbox *sb, struct bb_page *page,
				   unsigned int order, int migratetype)
{
	bb_set_page_ext(bb_page_ext(sb, page), BB_PG_PCP, order, migratetype);
}

/* The block at the head of a list: the one freed last, the cache-hot one. */
static inline struct bb_page *bb_pcp_take_head(struct bb_per_cpu_pages *pcp,
					       struct list_head *list,
					       unsigned int order)
{
	struct bb_page *page = list_first_entry(list, struct bb_page, lru);

	list_del(&page->lru);
	pcp->count -= 1 << order;
	return page;
}

/* ... and where a freed block goes, the list @pindex's head */
static inline void bb_pcp_put_head(struct bb_per_cpu_pages *pcp,
				   unsigned int pindex, struct bb_page *page,
				   unsigned int order)
{
	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
}

/*
 * Allocating: free fewer pages at a time on the next frees (6.1's
 * free_factor, 6.7's free_count; each policy reads its own).
 */
static inline void bb_pcp_allocating(struct bb_per_cpu_pages *pcp)
{
	pcp->free_factor >>= 1;
	pcp->free_count >>= 1;
}

/* __rmqueue_pcplist(): the list's head block, refilling the list if empty */
static __always_inline struct bb_page *
__bb_rmqueue_pcplist(struct bb_sandbox *sb, struct bb_zone *zone,
		     unsigned int order, int migratetype,
		     unsigned int alloc_flags, struct bb_per_cpu_pages *pcp,
		     struct list_head *list, struct bb_trace *trace)
{
	if (unlikely(list_empty(list)) &&
	    !bb_pcp_refill(sb, zone, pcp, list, order, migratetype,
			   alloc_flags, trace))
		return NULL;
	return bb_pcp_take_head(pcp, list, order);
}

/*
 * rmqueue_pcplist(): allocate a small block from this CPU's list.  The
 * caller prepares the page (bb_prep_new_page()).
 */
static __always_inline struct bb_page *
bb_rmqueue_pcplist(struct bb_sandbox *sb, struct bb_zone *zone,
		   unsigned int order, int migratetype, unsigned int alloc_flags,
		   struct bb_trace *trace)
{
	struct bb_per_cpu_pages *pcp;
	struct bb_page *page;

	pcp = get_cpu_ptr(zone->per_cpu_pageset);
	spin_lock(&pcp->lock);
	bb_pcp_allocating(pcp);
	page = __bb_rmqueue_pcplist(sb, zone, order, migratetype, alloc_flags,
				    pcp, &pcp->lists[bb_order_to_pindex(migratetype,
									order)],
				    trace);
	spin_unlock(&pcp->lock);
	put_cpu_ptr(zone->per_cpu_pageset);
	return page;
}

/*
 * The pages a free that brought the list to pcp->count gives back to the
 * buddy lists: none below the high mark, else nr_pcp_free()'s number.
 */
static inline int bb_pcp_nr_to_free(struct bb_zone *zone,
				    struct bb_per_cpu_pages *pcp,
				    unsigned int order)
{
	bool free_high = bb_pcp_free_high(pcp->free_factor, order);
	int high = bb_nr_pcp_high(READ_ONCE(pcp->high), READ_ONCE(pcp->batch),
				  test_bit(BB_ZONE_RECLAIM_ACTIVE, &zone->flags),
				  free_high);

	if (pcp->count < high)
		return 0;
	return bb_nr_pcp_free(pcp->count, high, READ_ONCE(pcp->batch),
			      &pcp->free_factor, free_high);
}

/* the same under pcp_high=6.7, which tunes high as it goes */
static inline int bb_pcp_nr_to_free_tuned(struct bb_zone *zone,
					  struct bb_per_cpu_pages *pcp,
					  unsigned int order)
{
	int batch = READ_ONCE(pcp->batch);
	bool free_high = bb_pcp_free_high_tuned(pcp, order, batch);
	int high;

	pcp->alloc_factor >>= 1;	/* freeing: smaller refills */
	if (pcp->free_count < bb_pcp_free_count_max(batch))
		pcp->free_count += 1 << order;
	high = bb_pcp_high_on_free(pcp, batch,
				   test_bit(BB_ZONE_RECLAIM_ACTIVE, &zone->flags),
				   test_bit(BB_ZONE_BELOW_HIGH, &zone->flags),
				   free_high);
	if (pcp->count < high)
		return 0;
	return bb_nr_pcp_free_tuned(pcp->count, high, batch, pcp->free_count,
				    free_high);
}

/*
 * free_unref_page_commit(): the block goes first on the list @pindex;
 * a list now over its high mark gives pages back.  Under pcp_high=6.7 a
 * zone that was below its high watermark is no longer so once a give-back
 * brings it over.
 */
static __always_inline void
bb_free_unref_page_commit(struct bb_sandbox *sb, struct bb_zone *zone,
			  struct bb_per_cpu_pages *pcp, unsigned int pindex,
			  struct bb_page *page, unsigned int order)
{
	bool tuned = bb_pcp_high_tuned(sb);
	int nr_free;

	bb_pcp_put_head(pcp, pindex, page, order);
	nr_free = tuned ? bb_pcp_nr_to_free_tuned(zone, pcp, order) :
			  bb_pcp_nr_to_free(zone, pcp, order);
	if (likely(!nr_free))
		return;
	bb_free_pcppages_bulk(sb, zone, nr_free, pcp, pindex);
	if (tuned && test_bit(BB_ZONE_BELOW_HIGH, &zone->flags) &&
	    bb_zone_watermark_ok(zone, 0, bb_wmark_pages(zone, BB_WMARK_HIGH),
				 BB_ZONE_MOVABLE_IDX, 0))
		clear_bit(BB_ZONE_BELOW_HIGH, &zone->flags);
}

/*
 * free_unref_page(): free a small block to this CPU's list.  A block of a
 * highatomic pageblock keeps its type for the buddy lists but sits on the
 * movable list meanwhile.  Returns false when the block does not go to a
 * pcp list (too big, pcp disabled, an isolated pageblock): the caller then
 * frees it to the buddy lists.
 */
static __always_inline bool bb_free_unref_page(struct bb_sandbox *sb,
					       struct bb_zone *zone,
					       unsigned long pfn,
					       unsigned int order)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);
	struct bb_per_cpu_pages *pcp;
	unsigned int pindex;
	int migratetype;

	if (!bb_pcp_allowed_order(order))
		return false;
	migratetype = bb_get_pageblock_migratetype(sb, pfn);
	if (unlikely(migratetype == BB_MIGRATE_ISOLATE))
		return false;
	pindex = bb_order_to_pindex(likely(migratetype < BB_MIGRATE_PCPTYPES) ?
				    migratetype : BB_MIGRATE_MOVABLE, order);

	pcp = get_cpu_ptr(zone->per_cpu_pageset);
	spin_lock(&pcp->lock);
	bb_set_pcp_page(sb, page, order, migratetype);
	bb_free_unref_page_commit(sb, zone, pcp, pindex, page, order);
	spin_unlock(&pcp->lock);
	put_cpu_ptr(zone->per_cpu_pageset);
	return true;
}

#endif /* _BB_PCP_H */
