/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: how big a per-CPU list is, Linux 6.1's rules.
 *
 * Each rule is a pure function of numbers the caller reads, so that the
 * tests can check it by hand and so that another generation's rule (6.7
 * tunes high between a minimum and a maximum) can later sit beside it as a
 * sandbox policy.  They are inline because freeing to a list calls them on
 * every free; so are, below them, the fast paths that use them.
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
	/* allocating: free fewer pages at a time on the next frees */
	pcp->free_factor >>= 1;
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

/*
 * free_unref_page_commit(): the block goes first on the list @pindex;
 * a list now over its high mark gives pages back.
 */
static __always_inline void
bb_free_unref_page_commit(struct bb_sandbox *sb, struct bb_zone *zone,
			  struct bb_per_cpu_pages *pcp, unsigned int pindex,
			  struct bb_page *page, unsigned int order)
{
	int nr_free;

	bb_pcp_put_head(pcp, pindex, page, order);
	nr_free = bb_pcp_nr_to_free(zone, pcp, order);
	if (unlikely(nr_free))
		bb_free_pcppages_bulk(sb, zone, nr_free, pcp, pindex);
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
