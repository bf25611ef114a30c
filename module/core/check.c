// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the consistency checker.
 *
 * Walks every zone and verifies the buddy allocator's invariants:
 *  - every page belongs to exactly one free block, one block on a per-CPU
 *    list or one allocation, each naturally aligned and inside its zone;
 *  - every block on a per-CPU list is on the list of its order, and each
 *    CPU's count matches its lists; each list's high lies within its
 *    high_min and high_max (under pcp_high=6.1 all three are one value);
 *  - every free block is on exactly one free list, of its own order, and
 *    nr_free and the zone's free page count agree with the lists;
 *  - no two free buddies of the same order are left unmerged (unless an
 *    isolated or highatomic pageblock keeps them apart);
 *  - every pageblock has a valid migratetype, and the highatomic reserve
 *    matches the pageblocks marked so;
 *  - under fallback=6.10, every free block is on the list of its
 *    pageblocks' type (all of them, for a block of several).
 */
#include <linux/kernel.h>
#include <linux/bitops.h>

#include "buddybox.h"

#define BB_CHECK_MAX_PROBLEMS	32

static __printf(2, 3) void bb_check_fail(struct bb_check_report *rep,
					 const char *fmt, ...)
{
	va_list args;

	rep->problems++;
	if (!rep->buf || rep->problems > BB_CHECK_MAX_PROBLEMS ||
	    rep->len >= rep->size)
		return;
	va_start(args, fmt);
	rep->len += vscnprintf(rep->buf + rep->len, rep->size - rep->len, fmt,
			       args);
	va_end(args);
}

/* Would __free_one_page() have merged the free block at @pfn with its buddy? */
static bool bb_check_should_have_merged(struct bb_sandbox *sb,
					struct bb_zone *zone, unsigned long pfn,
					unsigned int order)
{
	unsigned long buddy = pfn ^ (1UL << order);
	struct bb_page_ext *bp;
	int mt, buddy_mt;

	if (order >= BB_MAX_ORDER - 1 || !bb_zone_spans_pfn(zone, buddy))
		return false;
	bp = bb_pfn_to_page_ext(sb, buddy);
	if (!(bp->flags & BB_PG_BUDDY) || bp->order != order)
		return false;
	if (order < BB_PAGEBLOCK_ORDER)
		return true;
	/*
	 * A block freed while its pageblock was highatomic stays apart, and
	 * keeps apart when the reserve goes back (the pcp lists free with the
	 * type of the time, as 6.1's free_pcppages_bulk()): no rule then.
	 */
	if (bb_zone_stat(zone, BB_ALLOC_HIGHATOMIC_RESERVE))
		return false;
	mt = bb_get_pageblock_migratetype(sb, pfn);
	buddy_mt = bb_get_pageblock_migratetype(sb, buddy);
	return mt == buddy_mt || (bb_migratetype_is_mergeable(mt) &&
				  bb_migratetype_is_mergeable(buddy_mt));
}

/*
 * The hygiene of fallback=6.10 and later: the free block at @pfn of
 * @order, on @mt's list, lies only in pageblocks of type @mt.
 */
static void bb_check_free_block_type(struct bb_sandbox *sb,
				     struct bb_zone *zone, unsigned long pfn,
				     unsigned int order, int mt,
				     struct bb_check_report *rep)
{
	unsigned long end = pfn + (1UL << order);
	unsigned long pb;
	int pb_mt;

	for (pb = ALIGN_DOWN(pfn, BB_PAGEBLOCK_NR_PAGES); pb < end;
	     pb += BB_PAGEBLOCK_NR_PAGES) {
		pb_mt = bb_get_pageblock_migratetype(sb, pb);
		if (pb_mt != mt) {
			bb_check_fail(rep,
				      "node %d zone %s: free block at pfn %lu of order %u on the %s list, but pageblock %lu is %s (fallback=6.10 and later)\n",
				      bb_zone_to_nid(zone), zone->name, pfn,
				      order, bb_migratetype_names[mt], pb,
				      pb_mt >= 0 && pb_mt < BB_MIGRATE_TYPES ?
				      bb_migratetype_names[pb_mt] : "invalid");
			return;
		}
	}
}

/*
 * pcp_high=6.7 tunes high within [high_min, high_max]; 6.1 has the three
 * equal.  Called with the pcp lock held.
 */
static void bb_check_pcp_high(struct bb_sandbox *sb, struct bb_zone *zone,
			      unsigned int cpu, struct bb_per_cpu_pages *pcp,
			      struct bb_check_report *rep)
{
	int nid = bb_zone_to_nid(zone);
	bool tuned = bb_pcp_high_tuned(sb);

	if (pcp->high_min <= pcp->high && pcp->high <= pcp->high_max &&
	    (tuned || pcp->high_min == pcp->high_max))
		return;
	bb_check_fail(rep,
		      "node %d zone %s: cpu %u pcp high %d, high_min %d, high_max %d: %s\n",
		      nid, zone->name, cpu, pcp->high, pcp->high_min,
		      pcp->high_max,
		      tuned ? "high out of its bounds" :
			      "pcp_high=6.1 has one fixed high");
}

/*
 * The per-CPU lists of @zone, one CPU at a time under its pcp lock.
 * Returns the pages found on them.
 */
static unsigned long bb_check_pcp(struct bb_sandbox *sb, struct bb_zone *zone,
				  struct bb_check_report *rep)
{
	int nid = bb_zone_to_nid(zone);
	unsigned long total = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);
		unsigned long listed = 0;
		unsigned int pindex;

		spin_lock(&pcp->lock);
		for (pindex = 0; pindex < BB_NR_PCP_LISTS; pindex++) {
			unsigned int order = bb_pindex_to_order(pindex);
			unsigned long n = 0;
			struct bb_page *page;

			list_for_each_entry(page, &pcp->lists[pindex], lru) {
				unsigned long p = bb_page_to_pfn(sb, page);
				struct bb_page_ext *ext = bb_page_ext(sb, page);

				if (!(ext->flags & BB_PG_PCP) || ext->order != order ||
				    !bb_zone_spans_pfn(zone, p))
					bb_check_fail(rep,
						      "node %d zone %s: pfn %lu on cpu %u's order-%u pcp list is not a pcp block of that order in the zone\n",
						      nid, zone->name, p, cpu, order);
				listed += 1UL << order;
				if (++n > zone->spanned_pages)
					break;	/* a corrupted, looping list */
			}
		}
		if (listed != pcp->count)
			bb_check_fail(rep,
				      "node %d zone %s: cpu %u pcp count %d but %lu pages on its lists\n",
				      nid, zone->name, cpu, pcp->count, listed);
		bb_check_pcp_high(sb, zone, cpu, pcp, rep);
		total += listed;
		spin_unlock(&pcp->lock);
	}
	return total;
}

static void bb_check_zone(struct bb_sandbox *sb, struct bb_zone *zone,
			  unsigned long pcp_pages, struct bb_check_report *rep)
{
	unsigned long walk_free[BB_MAX_ORDER] = { };
	unsigned long end = bb_zone_end_pfn(zone);
	unsigned long pfn, total_free = 0, highatomic = 0, total_pcp = 0;
	unsigned long free_highatomic = 0, free_blocks = 0;
	bool hygiene = bb_freelist_hygiene(sb);
	int nid = bb_zone_to_nid(zone);
	unsigned int order;
	int mt;

	/* 1. the walk over the pages */
	for (pfn = zone->zone_start_pfn; pfn < end;) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
		unsigned long nr;

		order = ext->order;
		if (hweight8(ext->flags &
			     (BB_PG_BUDDY | BB_PG_ALLOC | BB_PG_PCP)) != 1) {
			bb_check_fail(rep, "node %d zone %s: pfn %lu is in no block (flags %#x)\n",
				      nid, zone->name, pfn, ext->flags);
			pfn++;
			continue;
		}
		if (order >= BB_MAX_ORDER || !IS_ALIGNED(pfn, 1UL << order) ||
		    pfn + (1UL << order) > end) {
			bb_check_fail(rep,
				      "node %d zone %s: block at pfn %lu of order %u is misplaced\n",
				      nid, zone->name, pfn, order);
			pfn++;
			continue;
		}
		nr = 1UL << order;
		for (; nr > 1; nr--) {
			struct bb_page_ext *tail = bb_pfn_to_page_ext(sb, pfn + nr - 1);

			if (tail->flags)
				bb_check_fail(rep,
					      "node %d zone %s: pfn %lu inside the block at %lu has flags %#x\n",
					      nid, zone->name, pfn + nr - 1,
					      pfn, tail->flags);
		}
		if (ext->flags & BB_PG_PCP)
			total_pcp += 1UL << order;
		if (ext->flags & BB_PG_BUDDY) {
			unsigned long buddy = pfn ^ (1UL << order);

			walk_free[order]++;
			total_free += 1UL << order;
			if (bb_check_should_have_merged(sb, zone, pfn, order))
				bb_check_fail(rep,
					      "node %d zone %s: free buddies %lu and %lu of order %u not merged\n",
					      nid, zone->name, min(pfn, buddy),
					      max(pfn, buddy), order);
		}
		pfn += 1UL << order;
	}

	/* 2. the free lists */
	for (order = 0; order < BB_MAX_ORDER; order++) {
		struct bb_free_area *area = &zone->free_area[order];
		unsigned long listed = 0;

		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++) {
			struct bb_page *page;

			list_for_each_entry(page, &area->free_list[mt], lru) {
				unsigned long p = bb_page_to_pfn(sb, page);
				struct bb_page_ext *ext = bb_page_ext(sb, page);

				listed++;
				if (mt == BB_MIGRATE_HIGHATOMIC)
					free_highatomic += 1UL << order;
				if (order >= BB_PAGEBLOCK_ORDER &&
				    mt != BB_MIGRATE_ISOLATE)
					free_blocks += 1UL << order;
				if (ext->alloc_mt != mt)
					bb_check_fail(rep,
						      "node %d zone %s: pfn %lu on the %s list remembers the %d list\n",
						      nid, zone->name, p,
						      bb_migratetype_names[mt],
						      ext->alloc_mt);
				if (!(ext->flags & BB_PG_BUDDY) || ext->order != order)
					bb_check_fail(rep,
						      "node %d zone %s: pfn %lu on the order-%u %s list is not a free block of that order\n",
						      nid, zone->name, p, order,
						      bb_migratetype_names[mt]);
				if (!bb_zone_spans_pfn(zone, p))
					bb_check_fail(rep,
						      "node %d zone %s: pfn %lu on its free list is outside the zone\n",
						      nid, zone->name, p);
				else if (hygiene)
					bb_check_free_block_type(sb, zone, p,
								 order, mt,
								 rep);
				if (listed > zone->spanned_pages)
					break;	/* a corrupted, looping list */
			}
		}
		if (listed != area->nr_free)
			bb_check_fail(rep,
				      "node %d zone %s: order %u nr_free %lu but %lu on the lists\n",
				      nid, zone->name, order, area->nr_free, listed);
		if (listed != walk_free[order])
			bb_check_fail(rep,
				      "node %d zone %s: order %u: %lu free blocks on the lists, %lu in the zone\n",
				      nid, zone->name, order, listed, walk_free[order]);
	}
	if (total_pcp != pcp_pages)
		bb_check_fail(rep,
			      "node %d zone %s: %lu pages on the pcp lists but %lu in pcp blocks\n",
			      nid, zone->name, pcp_pages, total_pcp);
	if (total_free != zone->nr_free_pages)
		bb_check_fail(rep, "node %d zone %s: nr_free_pages %lu but %lu pages free\n",
			      nid, zone->name, zone->nr_free_pages, total_free);

	/* 3. the pageblocks */
	for (pfn = zone->zone_start_pfn; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES) {
		mt = bb_get_pageblock_migratetype(sb, pfn);
		if (mt < 0 || mt >= BB_MIGRATE_TYPES)
			bb_check_fail(rep,
				      "node %d zone %s: pageblock at pfn %lu has migratetype %d\n",
				      nid, zone->name, pfn, mt);
		if (mt == BB_MIGRATE_HIGHATOMIC)
			highatomic += BB_PAGEBLOCK_NR_PAGES;
	}
	if (highatomic != zone->nr_reserved_highatomic)
		bb_check_fail(rep,
			      "node %d zone %s: nr_reserved_highatomic %lu but %lu pages in HighAtomic pageblocks\n",
			      nid, zone->name, zone->nr_reserved_highatomic,
			      highatomic);
	if (free_blocks != zone->nr_free_pages_blocks)
		bb_check_fail(rep,
			      "node %d zone %s: nr_free_pages_blocks %lu but %lu pages in free blocks of pageblock order or more\n",
			      nid, zone->name, zone->nr_free_pages_blocks,
			      free_blocks);
	if (free_highatomic != zone->nr_free_highatomic)
		bb_check_fail(rep,
			      "node %d zone %s: nr_free_highatomic %lu but %lu pages on the HighAtomic lists\n",
			      nid, zone->name, zone->nr_free_highatomic,
			      free_highatomic);
	/* highatomic=6.12: the fast path's watermark shortcut relies on it */
	if (bb_highatomic_612(sb) &&
	    zone->nr_free_highatomic > zone->nr_reserved_highatomic)
		bb_check_fail(rep,
			      "node %d zone %s: highatomic=6.12: %lu free highatomic pages but %lu reserved\n",
			      nid, zone->name, zone->nr_free_highatomic,
			      zone->nr_reserved_highatomic);
}

/*
 * Returns 0 when every invariant holds, else -EUCLEAN with what is wrong
 * written to @rep (which may have no buffer: then it only counts).
 */
int bb_check(struct bb_sandbox *sb, struct bb_check_report *rep)
{
	struct bb_zone *zone;

	rep->problems = 0;
	rep->len = 0;
	if (rep->buf && rep->size)
		rep->buf[0] = '\0';

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		unsigned long pcp_pages = bb_check_pcp(sb, zone, rep);

		spin_lock(&zone->lock);
		bb_check_zone(sb, zone, pcp_pages, rep);
		spin_unlock(&zone->lock);
	}
	if (rep->problems > BB_CHECK_MAX_PROBLEMS && rep->buf)
		rep->len += scnprintf(rep->buf + rep->len, rep->size - rep->len,
				      "... %u problems in all\n", rep->problems);
	return rep->problems ? -EUCLEAN : 0;
}
