// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the per-CPU page lists (struct per_cpu_pages).
 *
 * Small blocks (orders 0 .. PAGE_ALLOC_COSTLY_ORDER, and pageblock-sized
 * ones as the kernel does with CONFIG_TRANSPARENT_HUGEPAGE) are handed out from
 * and freed to lists of the CPU the caller runs on, without zone->lock.
 * The lists are refilled from the buddy lists @batch blocks at a time
 * (rmqueue_bulk()) and give back to them when they hold more than @high
 * pages (free_pcppages_bulk()).  As in mm/page_alloc.c (6.1): the
 * refill (rmqueue_bulk()), free_pcppages_bulk() and drain_all_pages()
 * here; in pcp.h, inline in every allocation and free, rmqueue_pcplist(),
 * free_unref_page() and free_unref_page_commit(), and the sizing rules
 * (zone_batchsize(), zone_highsize(), nr_pcp_high(), nr_pcp_free()).
 *
 * Locking: pcp->lock, then zone->lock.  pcp->lock belongs to one CPU and
 * is taken by another only when draining, so the fast path shares no lock.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/wait.h>

#include "buddybox.h"
#include "events.h"
#include "pcp.h"

/* the share of the zone the CPUs' lists may hold, before dividing it */
static unsigned long bb_pcp_high_pages(struct bb_sandbox *sb,
				       struct bb_zone *zone)
{
	int fraction = READ_ONCE(sb->percpu_pagelist_high_fraction);

	/* by default the low watermark: full lists should not wake kswapd */
	return fraction ? zone->managed_pages / fraction :
			  zone->_watermark[BB_WMARK_LOW];
}

/*
 * The bounds of high for @zone's lists.  6.1 has one value, *@lo and *@hi
 * alike.  pcp_high=6.7 keeps that value as the floor and lets high grow to
 * a CPU's share of an eighth of the zone; a high_fraction set by hand pins
 * both to its share, which turns the tuning off.
 */
static void bb_pcp_high_bounds(struct bb_sandbox *sb, struct bb_zone *zone,
			       int batch, int *lo, int *hi)
{
	unsigned int cpus = num_online_cpus();

	*lo = bb_zone_highsize(bb_pcp_high_pages(sb, zone), cpus, batch);
	*hi = *lo;
	if (bb_pcp_high_tuned(sb) && !READ_ONCE(sb->percpu_pagelist_high_fraction))
		*hi = max(*lo, bb_zone_highsize(zone->managed_pages /
						BB_PCP_HIGH_MAX_FRACTION,
						cpus, batch));
}

/*
 * New bounds for one CPU's list.  6.1 sets high itself; 6.7 only keeps it
 * within the new bounds (a list not yet used starts at its minimum).
 */
static void bb_pcp_set_bounds(struct bb_sandbox *sb,
			      struct bb_per_cpu_pages *pcp, int batch, int lo,
			      int hi)
{
	spin_lock(&pcp->lock);
	WRITE_ONCE(pcp->batch, batch);
	WRITE_ONCE(pcp->high_min, lo);
	WRITE_ONCE(pcp->high_max, hi);
	WRITE_ONCE(pcp->high, bb_pcp_high_tuned(sb) ?
			      clamp(pcp->high, lo, hi) : lo);
	spin_unlock(&pcp->lock);
}

/* zone_set_pageset_high_and_batch(), for every CPU of every zone */
void bb_zone_pcp_update(struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	int cpu;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		int batch, lo, hi;

		if (!zone->per_cpu_pageset)
			continue;
		if (READ_ONCE(sb->pcp_disabled)) {
			/* zone_pcp_disable(): nothing stays on the lists */
			lo = 0;
			hi = 0;
			batch = 1;
		} else {
			batch = READ_ONCE(sb->percpu_pagelist_batch) ?:
				max(1, bb_zone_batchsize(zone->managed_pages));
			bb_pcp_high_bounds(sb, zone, batch, &lo, &hi);
		}
		if (zone->pageset_high == lo && zone->pageset_high_max == hi &&
		    zone->pageset_batch == batch)
			continue;
		zone->pageset_high = lo;
		zone->pageset_high_max = hi;
		zone->pageset_batch = batch;
		for_each_possible_cpu(cpu)
			bb_pcp_set_bounds(sb, per_cpu_ptr(zone->per_cpu_pageset,
							  cpu),
					  batch, lo, hi);
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

/*
 * A block taken off the buddy lists joins the tail of a pcp list, its
 * pageblock's type noted as get_pcppage_migratetype() reads it back.
 */
static inline void bb_pcp_enlist_tail(struct bb_sandbox *sb,
				      struct list_head *list,
				      struct bb_page *page, unsigned int order)
{
	int mt = bb_get_pageblock_migratetype(sb, bb_page_to_pfn(sb, page));

	bb_set_pcp_page(sb, page, order, mt);
	list_add_tail(&page->lru, list);
}

/*
 * rmqueue_bulk(): refill @list with up to @count blocks of @order, all
 * taken under one hold of zone->lock.  Going to the tail one after the
 * other, they keep the ascending order in which the buddy lists split
 * them off.  Returns how many it took.
 */
static int bb_rmqueue_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			   unsigned int order, int count,
			   struct list_head *list, int migratetype,
			   unsigned int alloc_flags, struct bb_trace *trace)
{
	/* fallback=6.15: the stage that served the last block, kept */
	enum bb_rmqueue_mode mode = BB_RMQUEUE_NORMAL;
	int taken;

	spin_lock(&zone->lock);
	for (taken = 0; taken < count; taken++) {
		struct bb_page *block = __bb_rmqueue_mode(sb, zone, order,
							  migratetype,
							  alloc_flags, &mode,
							  trace);

		if (!block)
			break;
		bb_pcp_enlist_tail(sb, list, block, order);
	}
	zone->nr_free_pages -= (unsigned long)taken << order;
	spin_unlock(&zone->lock);
	return taken;
}

/*
 * An empty list gets a refill's worth of blocks; false: none to be had.
 * Out of line: the inline allocation path (pcp.h) calls it rarely.
 */
bool bb_pcp_refill(struct bb_sandbox *sb, struct bb_zone *zone,
		   struct bb_per_cpu_pages *pcp,
		   struct list_head *list, unsigned int order,
		   int migratetype, unsigned int alloc_flags,
		   struct bb_trace *trace)
{
	int want = bb_pcp_high_tuned(sb) ?
		   bb_pcp_refill_count_tuned(pcp, order,
					     test_bit(BB_ZONE_BELOW_HIGH,
						      &zone->flags)) :
		   bb_pcp_refill_count(READ_ONCE(pcp->batch), order);
	int got;

	bb_trace(trace,
		 "    pcp list empty: refill %d blocks from the buddy lists (rmqueue_bulk)\n",
		 want);
	if (bb_pcp_high_tuned(sb))
		bb_trace(trace,
			 "    pcp_high=6.7: high %d (%d .. %d), alloc_factor %d%s\n",
			 pcp->high, pcp->high_min, pcp->high_max,
			 pcp->alloc_factor,
			 test_bit(BB_ZONE_BELOW_HIGH, &zone->flags) ?
			 ", zone below its high watermark: high not raised" : "");
	got = bb_rmqueue_bulk(sb, zone, order, want, list, migratetype,
			      alloc_flags, trace);
	pcp->count += got << order;
	return got;
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
	bb_pcp_allocating(pcp);
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

/* The first list from @pindex on, going round them all, that is not empty */
static inline unsigned int bb_pcp_next_list(struct bb_per_cpu_pages *pcp,
					    unsigned int pindex)
{
	while (list_empty(&pcp->lists[pindex]))
		pindex = (pindex + 1) % BB_NR_PCP_LISTS;
	return pindex;
}

/*
 * Blocks from the tail of the list @pindex (the coldest end) back to the
 * buddy lists, until @budget pages went or the list is empty.  Returns
 * the pages that went.  Called with zone->lock held.
 */
static inline int bb_pcp_free_list_tail(struct bb_sandbox *sb,
					struct bb_zone *zone,
					struct bb_per_cpu_pages *pcp,
					unsigned int pindex, int budget)
{
	struct list_head *list = &pcp->lists[pindex];
	unsigned int order = bb_pindex_to_order(pindex);
	int gone = 0;

	while (gone < budget && !list_empty(list)) {
		struct bb_page *page = list_last_entry(list, struct bb_page, lru);
		struct bb_page_ext *ext = bb_page_ext(sb, page);
		unsigned long pfn = bb_page_to_pfn(sb, page);
		int mt = ext->alloc_mt;	/* the type it had when it came */

		/* fallback=6.10: the pageblock's type now, as it is merged */
		if (bb_freelist_hygiene(sb))
			mt = bb_get_pageblock_migratetype(sb, pfn);
		list_del(&page->lru);
		bb_set_page_ext(ext, 0, 0, 0);
		pcp->count -= 1 << order;
		gone += 1 << order;
		bb_ev_page_pcpu_drain(sb, pfn, order, mt);
		__bb_free_one_page(sb, zone, pfn, order, mt, BB_FPI_NONE);
	}
	return gone;
}

/*
 * free_pcppages_bulk(): give @count pages back to the buddy lists, the
 * list @pindex first, then each following list in turn, round and round,
 * until enough went.  Called with pcp->lock held.
 */
void bb_free_pcppages_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			   int count, struct bb_per_cpu_pages *pcp, int pindex)
{
	/* never more than the lists hold: the round would not end */
	int left = min(pcp->count, count);
	unsigned int next = pindex;

	if (left <= 0)
		return;
	spin_lock(&zone->lock);
	while (left > 0) {
		next = bb_pcp_next_list(pcp, next);
		left -= bb_pcp_free_list_tail(sb, zone, pcp, next, left);
		next = (next + 1) % BB_NR_PCP_LISTS;
	}
	spin_unlock(&zone->lock);
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

/*
 * pcp_high=6.7, each vmstat round (decay_pcp_high()): a list's high comes
 * down an eighth towards high_min, further if the list holds more than
 * the most free_count counts above it (a drain is then bounded); then
 * what the list holds above high goes back, a batch at a time.  True when
 * a later round has more to do.
 */
static bool bb_decay_pcp_high(struct bb_sandbox *sb, struct bb_zone *zone,
			      struct bb_per_cpu_pages *pcp)
{
	int floor = READ_ONCE(pcp->high_min);
	int batch = READ_ONCE(pcp->batch);
	bool more = false;
	int excess;

	spin_lock(&pcp->lock);
	if (pcp->high > floor) {
		int target = max(pcp->high - (pcp->high >> 3),
				 pcp->count - bb_pcp_free_count_max(batch));

		pcp->high = max(target, floor);
		more = pcp->high > floor;
	}
	for (excess = pcp->count - pcp->high; excess > 0; excess -= batch) {
		bb_free_pcppages_bulk(sb, zone, min(excess, batch), pcp, 0);
		more = true;
	}
	spin_unlock(&pcp->lock);
	return more;
}

/*
 * One round of the vmstat worker (refresh_cpu_vm_stats()) over every
 * CPU's lists of every zone: under pcp_high=6.7 the decay of high; 6.1's
 * round does nothing buddybox models.  Returns the lists that want
 * another round.  The kernel runs it each second on each CPU; buddybox
 * runs it at the control command "vmstat", in every mode, and each second
 * from a thread with daemons=on (bb_vmstatd(); bbsim's daemons=on: each
 * HZ lines).  daemons=sync and off have no thread, so that a run is the
 * same whatever the timing.
 */
int bb_vmstat_update(struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	unsigned int cpu;
	int more = 0;

	if (!bb_pcp_high_tuned(sb))
		return 0;
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (!zone->per_cpu_pageset)
			continue;
		for_each_possible_cpu(cpu)
			more += bb_decay_pcp_high(sb, zone,
						  per_cpu_ptr(zone->per_cpu_pageset,
							      cpu));
	}
	return more;
}

/* vm.stat_interval's default: a round a second */
#define BB_VMSTAT_INTERVAL	HZ

/* the vmstat worker as a thread: a round each interval until stopped */
static int bb_vmstatd(void *data)
{
	struct bb_sandbox *sb = data;

	set_freezable();
	while (!kthread_should_stop()) {
		wait_event_freezable_timeout(sb->vmstatd_wait,
					     kthread_should_stop(),
					     BB_VMSTAT_INTERVAL);
		if (kthread_should_stop())
			break;
		bb_vmstat_update(sb);
	}
	return 0;
}

/* The thread, for a sandbox whose lists decay (pcp_high=6.7) */
int bb_vmstatd_run(struct bb_sandbox *sb)
{
	struct task_struct *t;

	init_waitqueue_head(&sb->vmstatd_wait);
	if (!bb_pcp_high_tuned(sb))
		return 0;
	t = kthread_run(bb_vmstatd, sb, "bb_vmstatd/%s", sb->cfg.name);
	if (IS_ERR(t)) {
		pr_err("cannot start the vmstat worker: %ld\n", PTR_ERR(t));
		return PTR_ERR(t);
	}
	sb->vmstatd = t;
	return 0;
}

void bb_vmstatd_stop(struct bb_sandbox *sb)
{
	if (sb->vmstatd) {
		kthread_stop(sb->vmstatd);
		sb->vmstatd = NULL;
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
