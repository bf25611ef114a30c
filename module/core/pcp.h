/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: how big a per-CPU list is, Linux 6.1's rules.
 *
 * Each rule is a pure function of numbers the caller reads, so that the
 * tests can check it by hand and so that another generation's rule (6.7
 * tunes high between a minimum and a maximum) can later sit beside it as a
 * sandbox policy.  pcp.c is their user; they are inline because freeing to
 * a list calls them on every free.
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

#endif /* _BB_PCP_H */
