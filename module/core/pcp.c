// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the per-CPU page lists (struct per_cpu_pages).
 *
 * Small blocks (orders 0 .. PAGE_ALLOC_COSTLY_ORDER, and pageblock-sized
 * ones as the kernel does with CONFIG_TRANSPARENT_HUGEPAGE) are handed out from
 * and freed to lists of the CPU the caller runs on, without zone->lock.
 * The lists are refilled from the buddy lists @batch blocks at a time
 * (rmqueue_bulk()) and give back to them when they hold more than @high
 * pages (free_pcppages_bulk()).  As in mm/page_alloc.c (6.1):
 * rmqueue_pcplist(), free_unref_page(), free_unref_page_commit(),
 * nr_pcp_free(), nr_pcp_high(), zone_batchsize(), zone_highsize() and
 * drain_all_pages().
 *
 * Locking: pcp->lock, then zone->lock.  pcp->lock belongs to one CPU and
 * is taken by another only when draining, so the fast path shares no lock.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>

#include "buddybox.h"

/* zone_batchsize(): about a quarter of a thousandth of the zone, <= 63 */
static int bb_zone_batchsize(struct bb_zone *zone)
{
	int batch;

	batch = min_t(unsigned long, zone->managed_pages >> 10,
		      SZ_1M / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* a power of two minus one, so that batches avoid cache aliasing */
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	return batch;
}

/*
 * zone_highsize(): the low watermark (or managed / high_fraction) split
 * among the CPUs, and at least four batches.
 */
static int bb_zone_highsize(struct bb_sandbox *sb, struct bb_zone *zone,
			    int batch)
{
	int fraction = READ_ONCE(sb->percpu_pagelist_high_fraction);
	unsigned long total_pages, high;

	if (!fraction)
		total_pages = zone->_watermark[BB_WMARK_LOW];
	else
		total_pages = zone->managed_pages / fraction;
	high = total_pages / max(num_online_cpus(), 1U);
	return max_t(unsigned long, high, batch << 2);
}

/* zone_set_pageset_high_and_batch(), for every CPU of every zone */
void bb_zone_pcp_update(struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	int cpu;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		int batch, high;

		if (!zone->per_cpu_pageset)
			continue;
		if (READ_ONCE(sb->pcp_disabled)) {
			/* zone_pcp_disable(): nothing stays on the lists */
			high = 0;
			batch = 1;
		} else {
			batch = READ_ONCE(sb->percpu_pagelist_batch) ?:
				max(1, bb_zone_batchsize(zone));
			high = bb_zone_highsize(sb, zone, batch);
		}
		if (zone->pageset_high == high && zone->pageset_batch == batch)
			continue;
		zone->pageset_high = high;
		zone->pageset_batch = batch;
		for_each_possible_cpu(cpu) {
			struct bb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			WRITE_ONCE(pcp->batch, batch);
			WRITE_ONCE(pcp->high, high);
		}
	}
}

int bb_pcp_init(struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	int cpu, i;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		zone->per_cpu_pageset = alloc_percpu(struct bb_per_cpu_pages);
		zone->stats = alloc_percpu(struct bb_zone_stats);
		if (!zone->per_cpu_pageset || !zone->stats)
			return -ENOMEM;	/* bb_pcp_destroy() cleans up */
		for_each_possible_cpu(cpu) {
			struct bb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			spin_lock_init(&pcp->lock);
			for (i = 0; i < BB_NR_PCP_LISTS; i++)
				INIT_LIST_HEAD(&pcp->lists[i]);
		}
	}
	bb_zone_pcp_update(sb);
	return 0;
}

/* Also on a half-built sandbox: walks the arrays, not the zone links. */
void bb_pcp_destroy(struct bb_sandbox *sb)
{
	int nid, i;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_zone *zone = &sb->node[nid].node_zones[0];

		for (i = 0; i < BB_MAX_NR_ZONES; i++, zone++) {
			free_percpu(zone->per_cpu_pageset);
			zone->per_cpu_pageset = NULL;
			free_percpu(zone->stats);
			zone->stats = NULL;
		}
	}
}

static inline void bb_set_pcp_page(struct bb_sandbox *sb, struct bb_page *page,
				   unsigned int order, int migratetype)
{
	bb_set_page_ext(bb_page_ext(sb, page), BB_PG_PCP, order, migratetype);
}

/*
 * rmqueue_bulk(): take @count blocks of @order off the buddy lists, under
 * one hold of zone->lock, onto the pcp list @list.  Returns how many.
 */
static int bb_rmqueue_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			   unsigned int order, int count,
			   struct list_head *list, int migratetype,
			   unsigned int alloc_flags, struct bb_trace *trace)
{
	int i, allocated = 0;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct bb_page *page = __bb_rmqueue(sb, zone, order,
						    migratetype, alloc_flags,
						    trace);

		if (!page)
			break;
		bb_set_pcp_page(sb, page, order,
				bb_get_pageblock_migratetype(sb,
							     bb_page_to_pfn(sb, page)));
		/* tail: the list keeps the physical order of the refill */
		list_add_tail(&page->lru, list);
		allocated++;
	}
	zone->nr_free_pages -= (unsigned long)allocated << order;
	spin_unlock(&zone->lock);
	return allocated;
}

/* __rmqueue_pcplist(): the first block of the list, refilling it if empty */
static struct bb_page *__bb_rmqueue_pcplist(struct bb_sandbox *sb,
					    struct bb_zone *zone,
					    unsigned int order, int migratetype,
					    unsigned int alloc_flags,
					    struct bb_per_cpu_pages *pcp,
					    struct list_head *list,
					    struct bb_trace *trace)
{
	struct bb_page *page;

	if (list_empty(list)) {
		int batch = READ_ONCE(pcp->batch);
		int alloced;

		/* fewer, but at least two, of the bigger blocks */
		if (order)
			batch = max(batch >> order, 2);
		bb_trace(trace,
			 "    pcp list empty: refill %d blocks from the buddy lists (rmqueue_bulk)\n",
			 batch);
		alloced = bb_rmqueue_bulk(sb, zone, order, batch, list,
					  migratetype, alloc_flags, trace);
		pcp->count += alloced << order;
		if (!alloced)
			return NULL;
	}
	page = list_first_entry(list, struct bb_page, lru);
	list_del(&page->lru);
	pcp->count -= 1 << order;
	return page;
}

/*
 * rmqueue_pcplist(): allocate a small block from this CPU's list.  The
 * caller prepares the page (bb_prep_new_page()).
 */
struct bb_page *bb_rmqueue_pcplist(struct bb_sandbox *sb, struct bb_zone *zone,
				   unsigned int order, int migratetype,
				   unsigned int alloc_flags, struct bb_trace *trace)
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
 * The loop of __alloc_pages_bulk(): up to @nr order-0 pages from this CPU's
 * list of @migratetype under one hold of its lock.  Returns how many.
 */
int bb_rmqueue_pcplist_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			    int migratetype, unsigned int alloc_flags,
			    unsigned int nr, unsigned long *pfns)
{
	struct bb_per_cpu_pages *pcp;
	struct list_head *list;
	unsigned int n = 0;

	pcp = get_cpu_ptr(zone->per_cpu_pageset);
	spin_lock(&pcp->lock);
	pcp->free_factor >>= 1;
	list = &pcp->lists[bb_order_to_pindex(migratetype, 0)];
	while (n < nr) {
		struct bb_page *page = __bb_rmqueue_pcplist(sb, zone, 0,
							    migratetype,
							    alloc_flags, pcp,
							    list, NULL);

		if (!page)
			break;
		bb_prep_new_page(sb, page, 0, migratetype);
		pfns[n++] = bb_page_to_pfn(sb, page);
	}
	spin_unlock(&pcp->lock);
	put_cpu_ptr(zone->per_cpu_pageset);
	return n;
}

/*
 * free_pcppages_bulk(): give @count pages back to the buddy lists, taking
 * the coldest block (the list's tail) of each list in turn, starting with
 * the list @pindex.  Called with pcp->lock held.
 */
static void bb_free_pcppages_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
				  int count, struct bb_per_cpu_pages *pcp,
				  int pindex)
{
	count = min(pcp->count, count);
	if (count <= 0)
		return;

	/* so that the first step of the round robin lands on @pindex */
	pindex--;
	spin_lock(&zone->lock);
	while (count > 0) {
		struct list_head *list;
		unsigned int order;

		do {
			if (++pindex > BB_NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));

		order = bb_pindex_to_order(pindex);
		do {
			struct bb_page *page = list_last_entry(list,
							       struct bb_page,
							       lru);
			struct bb_page_ext *ext = bb_page_ext(sb, page);
			int mt = ext->alloc_mt;

			list_del(&page->lru);
			bb_set_page_ext(ext, 0, 0, 0);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__bb_free_one_page(sb, zone, bb_page_to_pfn(sb, page),
					   order, mt, BB_FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock(&zone->lock);
}

/* nr_pcp_free(): how many to give back, more the longer frees go on */
static int bb_nr_pcp_free(struct bb_per_cpu_pages *pcp, int high, int batch,
			  bool free_high)
{
	int min_nr_free, max_nr_free;

	if (unlikely(free_high))
		return pcp->count;
	if (unlikely(high < batch))
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch = clamp(batch << pcp->free_factor, min_nr_free, max_nr_free);
	if (batch < max_nr_free)
		pcp->free_factor++;
	return batch;
}

/* nr_pcp_high(): freeing a high-order block right after one: free it all */
static int bb_nr_pcp_high(struct bb_per_cpu_pages *pcp, bool free_high)
{
	int high = READ_ONCE(pcp->high);

	if (unlikely(!high || free_high))
		return 0;
	return high;
}

/* free_unref_page_commit(): onto the list; over @high, back to the buddy */
static void bb_free_unref_page_commit(struct bb_sandbox *sb,
				      struct bb_zone *zone,
				      struct bb_per_cpu_pages *pcp,
				      struct bb_page *page, int migratetype,
				      unsigned int order)
{
	int pindex = bb_order_to_pindex(migratetype, order);
	bool free_high;
	int high;

	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	free_high = pcp->free_factor && order &&
		    order <= BB_PAGE_ALLOC_COSTLY_ORDER;
	high = bb_nr_pcp_high(pcp, free_high);
	if (pcp->count >= high)
		bb_free_pcppages_bulk(sb, zone,
				      bb_nr_pcp_free(pcp, high,
						     READ_ONCE(pcp->batch),
						     free_high),
				      pcp, pindex);
}

/*
 * free_unref_page(): free a small block to this CPU's list.  A block of a
 * highatomic pageblock keeps its type for the buddy lists but sits on the
 * movable list meanwhile.  Returns false when the block does not go to a
 * pcp list (too big, pcp disabled, an isolated pageblock): the caller then
 * frees it to the buddy lists.
 */
bool bb_free_unref_page(struct bb_sandbox *sb, struct bb_zone *zone,
			unsigned long pfn, unsigned int order)
{
	struct bb_page *page = bb_pfn_to_page(sb, pfn);
	struct bb_per_cpu_pages *pcp;
	int migratetype, pcp_mt;

	if (!bb_pcp_allowed_order(order))
		return false;
	migratetype = bb_get_pageblock_migratetype(sb, pfn);
	pcp_mt = migratetype;
	if (unlikely(migratetype >= BB_MIGRATE_PCPTYPES)) {
		if (migratetype == BB_MIGRATE_ISOLATE)
			return false;
		pcp_mt = BB_MIGRATE_MOVABLE;
	}

	pcp = get_cpu_ptr(zone->per_cpu_pageset);
	spin_lock(&pcp->lock);
	bb_set_pcp_page(sb, page, order, migratetype);
	bb_free_unref_page_commit(sb, zone, pcp, page, pcp_mt, order);
	spin_unlock(&pcp->lock);
	put_cpu_ptr(zone->per_cpu_pageset);
	return true;
}

/* drain_pages_zone(): every page of one CPU's lists back to the buddy */
static void bb_drain_pages_zone(struct bb_sandbox *sb, unsigned int cpu,
				struct bb_zone *zone)
{
	struct bb_per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

	spin_lock(&pcp->lock);
	if (pcp->count)
		bb_free_pcppages_bulk(sb, zone, pcp->count, pcp, 0);
	spin_unlock(&pcp->lock);
}

/*
 * drain_all_pages(): bring every page on every CPU's lists of @zone (of
 * every zone when NULL) back to the buddy lists.  The kernel sends work to
 * each CPU; the pcp locks let this CPU do it for all of them.
 */
void bb_drain_all_pages(struct bb_sandbox *sb, struct bb_zone *zone)
{
	struct bb_zone *z;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (zone) {
			bb_drain_pages_zone(sb, cpu, zone);
			continue;
		}
		for (z = bb_first_zone(sb); z; z = bb_next_zone(sb, z))
			if (z->per_cpu_pageset)
				bb_drain_pages_zone(sb, cpu, z);
	}
}

/* Pages on the pcp lists of @zone, all CPUs (racy, for reports). */
unsigned long bb_zone_pcp_count(struct bb_zone *zone)
{
	unsigned long nr = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		nr += READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count);
	return nr;
}

/* The tunables: percpu_pagelist_high_fraction is 0 or at least 8. */
int bb_set_percpu_pagelist_high_fraction(struct bb_sandbox *sb, int val)
{
	if (val && val < 8)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	WRITE_ONCE(sb->percpu_pagelist_high_fraction, val);
	bb_zone_pcp_update(sb);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}

int bb_set_percpu_pagelist_batch(struct bb_sandbox *sb, int val)
{
	if (val < 0 || val > SZ_1M / PAGE_SIZE)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	WRITE_ONCE(sb->percpu_pagelist_batch, val);
	bb_zone_pcp_update(sb);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}
