// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the buddy allocator's fast path and freeing.
 *
 * The names and the order of the steps follow mm/page_alloc.c (6.1):
 * __alloc_pages() -> prepare_alloc_pages() -> get_page_from_freelist()
 * -> rmqueue() -> __rmqueue() -> __rmqueue_smallest() -> expand(), with
 * __rmqueue_fallback() stealing from other migratetypes, and
 * __free_one_page() merging buddies on the way back.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/mm.h>

#include "buddybox.h"
#include "events.h"
#include "pcp.h"

/* sum_vm_event(): every CPU's share of a sandbox-wide event */
unsigned long bb_sum_event(struct bb_sandbox *sb, enum bb_vm_event_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(sb->events, cpu)->event[item];
	return sum;
}

/* sum_zone_node_page_state() for an event: every CPU's share */
unsigned long bb_zone_stat(struct bb_zone *zone, enum bb_zone_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(zone->stats, cpu)->stat[item];
	return sum;
}

unsigned long bb_zone_numa_stat(struct bb_zone *zone,
				enum bb_numa_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(zone->stats, cpu)->numa[item];
	return sum;
}

unsigned long bb_sandbox_free_pages(struct bb_sandbox *sb)
{
	unsigned long nr = 0;
	struct bb_zone *zone;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		nr += READ_ONCE(zone->nr_free_pages);
	return nr;
}

/*
 * The buddy lists.  A free block is known by its first pfn, and while it
 * is free four facts hold together: its page is on the list of the block's
 * order and migratetype, its ext says BB_PG_BUDDY, its ext holds the order,
 * and free_area[order].nr_free counts it.  Only the three primitives below
 * touch a list (but compaction, which takes its targets off by itself),
 * and each keeps those facts together:
 *   bb_add_to_free_list()	a block becomes free: listed, marked, counted
 *   bb_del_page_from_free_list()	it stops being free: all three undone
 *   bb_move_to_free_list()	it changes migratetype: only the list changes
 * They take the block's pfn, as the rest of the buddy code does, and find
 * its page and ext from it.  The ext of a free block remembers its list's
 * migratetype, and the primitives count the pages on the highatomic lists
 * (zone->nr_free_highatomic, 6.12's count, which the watermark of
 * highatomic=6.12 reads) and those in whole pageblocks
 * (zone->nr_free_pages_blocks, 6.15's, for defrag_mode).
 * zone->nr_free_pages is the caller's business (as NR_FREE_PAGES is in
 * 6.1): a block split or merged stays free.
 */
static inline struct list_head *bb_free_list(struct bb_zone *zone,
					     unsigned int order, int migratetype)
{
	return &zone->free_area[order].free_list[migratetype];
}

/* the block a request of @migratetype would get first at @order, or NULL */
static inline struct bb_page *bb_first_free_block(struct bb_zone *zone,
						  unsigned int order,
						  int migratetype)
{
	return list_first_entry_or_null(bb_free_list(zone, order, migratetype),
					struct bb_page, lru);
}

/*
 * The free pages in whole pageblocks (6.15's NR_FREE_PAGES_BLOCKS): a
 * block of pageblock order or more counts, but on the isolate lists.
 */
static inline void bb_account_free_blocks(struct bb_zone *zone,
					  unsigned int order, int migratetype,
					  bool add)
{
	if (order < BB_PAGEBLOCK_ORDER || migratetype == BB_MIGRATE_ISOLATE)
		return;
	if (add)
		zone->nr_free_pages_blocks += 1UL << order;
	else
		zone->nr_free_pages_blocks -= 1UL << order;
}

/*
 * @tail: at the tail of the list, where the block is handed out last (a
 * block likely to merge soon, or one the caller wants kept).
 */
static inline void bb_add_to_free_list(struct bb_sandbox *sb,
				       struct bb_zone *zone, unsigned long pfn,
				       unsigned int order, int migratetype,
				       bool tail)
{
	struct list_head *list = bb_free_list(zone, order, migratetype);
	struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	ext->flags = BB_PG_BUDDY;
	ext->order = order;
	ext->alloc_mt = migratetype;
	if (unlikely(migratetype == BB_MIGRATE_HIGHATOMIC))
		zone->nr_free_highatomic += 1UL << order;
	zone->free_area[order].nr_free++;
	bb_account_free_blocks(zone, order, migratetype, true);
	if (tail)
		list_add_tail(&page->lru, list);
	else
		list_add(&page->lru, list);
}

static inline void bb_del_page_from_free_list(struct bb_sandbox *sb,
					      struct bb_zone *zone,
					      unsigned long pfn,
					      unsigned int order)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);

	list_del(&bb_pfn_to_page(sb, pfn)->lru);
	if (unlikely(ext->alloc_mt == BB_MIGRATE_HIGHATOMIC))
		zone->nr_free_highatomic -= 1UL << order;
	bb_account_free_blocks(zone, order, ext->alloc_mt, false);
	ext->flags = 0;
	ext->order = 0;
	zone->free_area[order].nr_free--;
}

/* to the tail, as move_freepages_block() moves a pageblock's blocks */
static inline void bb_move_to_free_list(struct bb_sandbox *sb,
					struct bb_zone *zone, unsigned long pfn,
					unsigned int order, int migratetype)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);

	if (ext->alloc_mt == BB_MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic -= 1UL << order;
	if (migratetype == BB_MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic += 1UL << order;
	bb_account_free_blocks(zone, order, ext->alloc_mt, false);
	bb_account_free_blocks(zone, order, migratetype, true);
	ext->alloc_mt = migratetype;
	list_move_tail(&bb_pfn_to_page(sb, pfn)->lru,
		       bb_free_list(zone, order, migratetype));
}

/*
 * move_freepages_block(): move every free block of the pageblock holding
 * @pfn to the free lists of @migratetype.  Returns the free pages moved;
 * *@movable, when given, counts the pages of movable allocations in it.
 * Called with zone->lock held.
 */
unsigned long bb_move_freepages_block(struct bb_sandbox *sb,
				      struct bb_zone *zone, unsigned long pfn,
				      int migratetype, unsigned long *movable)
{
	unsigned long start = ALIGN_DOWN(pfn, BB_PAGEBLOCK_NR_PAGES);
	unsigned long end = start + BB_PAGEBLOCK_NR_PAGES;
	unsigned long moved = 0;

	lockdep_assert_held(&zone->lock);
	if (movable)
		*movable = 0;
	if (!bb_zone_spans_pfn(zone, start) || !bb_zone_spans_pfn(zone, end - 1))
		return 0;

	for (pfn = start; pfn < end;) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
		unsigned int order = ext->order;

		if (ext->flags & BB_PG_BUDDY) {
			bb_move_to_free_list(sb, zone, pfn, order, migratetype);
			moved += 1UL << order;
			pfn += 1UL << order;
		} else if (ext->flags & BB_PG_ALLOC) {
			if (movable && ext->alloc_mt == BB_MIGRATE_MOVABLE)
				*movable += 1UL << order;
			pfn += 1UL << order;
		} else {
			/* the tail of an allocation larger than a pageblock */
			pfn++;
		}
	}
	return moved;
}

/*
 * fallback=6.10's way to retype a pageblock (its move_freepages_block()):
 * the free blocks in it go to @migratetype's lists with it, so that no
 * free block is left on the lists of the type it had; a pageblock that
 * straddles the zone's edge is left as it is.  Returns false then.
 * Called with zone->lock held.
 */
bool bb_retype_pageblock(struct bb_sandbox *sb, struct bb_zone *zone,
			 unsigned long pfn, int migratetype)
{
	unsigned long start = ALIGN_DOWN(pfn, BB_PAGEBLOCK_NR_PAGES);

	if (!bb_zone_spans_pfn(zone, start) ||
	    !bb_zone_spans_pfn(zone, start + BB_PAGEBLOCK_NR_PAGES - 1))
		return false;
	bb_move_freepages_block(sb, zone, start, migratetype, NULL);
	bb_set_pageblock_migratetype(sb, start, migratetype);
	return true;
}

/* a block of pageblock order or more takes all its pageblocks with it */
static void bb_claim_pageblock_range(struct bb_sandbox *sb, unsigned long pfn,
				     unsigned int order, int start_type)
{
	unsigned long end = pfn + (1UL << order);

	for (; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES)
		bb_set_pageblock_migratetype(sb, pfn, start_type);
}

/* page_is_buddy(): @pfn heads a free block of @order inside @zone */
static inline bool bb_page_is_buddy(struct bb_sandbox *sb, struct bb_zone *zone,
				    unsigned long pfn, unsigned int order)
{
	struct bb_page_ext *ext;

	if (!bb_zone_spans_pfn(zone, pfn))
		return false;
	ext = bb_pfn_to_page_ext(sb, pfn);
	return (ext->flags & BB_PG_BUDDY) && ext->order == order;
}

/* __find_buddy_pfn(): the buddy of a block differs in exactly one bit */
static inline unsigned long bb_find_buddy_pfn(unsigned long pfn,
					      unsigned int order)
{
	return pfn ^ (1UL << order);
}

/*
 * buddy_merge_likely(): if the block we are freeing is the buddy of a free
 * block one order up, it is likely to merge soon, so put it on the tail of
 * the list where it will not be handed out first.
 */
static bool bb_buddy_merge_likely(struct bb_sandbox *sb, struct bb_zone *zone,
				  unsigned long pfn, unsigned long buddy_pfn,
				  unsigned int order)
{
	unsigned long higher_pfn, higher_buddy;

	if (order >= BB_MAX_ORDER - 2)
		return false;
	higher_pfn = buddy_pfn & pfn;
	higher_buddy = bb_find_buddy_pfn(higher_pfn, order + 1);
	return bb_page_is_buddy(sb, zone, higher_buddy, order + 1);
}

/*
 * __free_one_page(): give a block back, merging it with its buddy for as
 * long as the buddy is free and of the same order.  Called with zone->lock
 * held.
 */
void __bb_free_one_page(struct bb_sandbox *sb, struct bb_zone *zone,
			unsigned long pfn, unsigned int order, int migratetype,
			unsigned int fpi_flags)
{
	unsigned long buddy_pfn;
	bool to_tail;

	lockdep_assert_held(&zone->lock);
	zone->nr_free_pages += 1UL << order;

	while (order < BB_MAX_ORDER - 1) {
		buddy_pfn = bb_find_buddy_pfn(pfn, order);
		if (!bb_page_is_buddy(sb, zone, buddy_pfn, order))
			break;
		/*
		 * Above pageblock_order, do not merge a block of a type
		 * without fallbacks (isolate, highatomic) with another.
		 */
		if (order >= BB_PAGEBLOCK_ORDER) {
			int buddy_mt = bb_get_pageblock_migratetype(sb, buddy_pfn);

			if (migratetype != buddy_mt &&
			    (!bb_migratetype_is_mergeable(migratetype) ||
			     !bb_migratetype_is_mergeable(buddy_mt)))
				break;
			/*
			 * fallback=6.10: the merged block goes on one list,
			 * so the buddy's pageblocks take that list's type.
			 */
			if (migratetype != buddy_mt && bb_freelist_hygiene(sb))
				bb_claim_pageblock_range(sb, buddy_pfn, order,
							 migratetype);
		}
		bb_del_page_from_free_list(sb, zone, buddy_pfn, order);
		pfn &= buddy_pfn;
		order++;
	}

	if (fpi_flags & BB_FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = bb_buddy_merge_likely(sb, zone, pfn,
						bb_find_buddy_pfn(pfn, order),
						order);
	bb_add_to_free_list(sb, zone, pfn, order, migratetype, to_tail);
}

/*
 * Give back a free block, which may span pageblocks of different types:
 * under fallback=6.10 (its split_large_buddy()) each pageblock is freed on
 * its own, with its own type, and they merge again as __bb_free_one_page()
 * lets them, so that no free block spans a pageblock of another type than
 * its list's.  Otherwise the whole block, with the type of its first
 * pageblock.  Called with zone->lock held.
 */
void bb_free_one_page(struct bb_sandbox *sb, struct bb_zone *zone,
		      unsigned long pfn, unsigned int order,
		      unsigned int fpi_flags)
{
	unsigned long end = pfn + (1UL << order);

	if (order <= BB_PAGEBLOCK_ORDER || !bb_freelist_hygiene(sb)) {
		__bb_free_one_page(sb, zone, pfn, order,
				   bb_get_pageblock_migratetype(sb, pfn),
				   fpi_flags);
		return;
	}
	for (; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES)
		__bb_free_one_page(sb, zone, pfn, BB_PAGEBLOCK_ORDER,
				   bb_get_pageblock_migratetype(sb, pfn),
				   fpi_flags);
}

/*
 * expand(): a request of order @low is served from the free block of order
 * @high at @pfn and keeps its first 2^@low pages.  The rest of the block is
 * exactly the kept part's buddies at the orders @high - 1 down to @low; each
 * goes back free on @migratetype's lists, the largest first, at the head.
 */
static __always_inline void bb_expand(struct bb_sandbox *sb,
				      struct bb_zone *zone, unsigned long pfn,
				      unsigned int low, unsigned int high,
				      int migratetype)
{
	unsigned int order = high;

	while (order-- > low)
		bb_add_to_free_list(sb, zone, bb_find_buddy_pfn(pfn, order),
				    order, migratetype, false);
}

/* the smallest order from @order up with a free block of @migratetype */
static __always_inline unsigned int bb_smallest_free_order(struct bb_zone *zone,
							   unsigned int order,
							   int migratetype)
{
	while (order < BB_MAX_ORDER &&
	       list_empty(bb_free_list(zone, order, migratetype)))
		order++;
	return order;	/* BB_MAX_ORDER: none */
}

/*
 * __rmqueue_smallest(): serve @order from @migratetype's own lists, with the
 * first block of the smallest order that fits, split down by expand().
 */
struct bb_page *__bb_rmqueue_smallest(struct bb_sandbox *sb,
				      struct bb_zone *zone,
				      unsigned int order, int migratetype)
{
	unsigned int found = bb_smallest_free_order(zone, order, migratetype);
	struct bb_page *page;
	unsigned long pfn;

	if (found == BB_MAX_ORDER)
		return NULL;
	page = bb_first_free_block(zone, found, migratetype);
	pfn = bb_page_to_pfn(sb, page);
	bb_del_page_from_free_list(sb, zone, pfn, found);
	bb_expand(sb, zone, pfn, order, found, migratetype);
	bb_ev_page_alloc_zone_locked(sb, pfn, order, migratetype);
	return page;
}

/*
 * Migratetype fallback, 6.1's rules (__rmqueue_fallback()), in three steps
 * that a later generation of the rules can replace one by one:
 *   1. which order and type to take from: bb_find_fallback_block(), over
 *      find_suitable_fallback() and the table bb_fallbacks;
 *   2. may the request claim the pageblock: bb_can_steal_fallback() before
 *      looking, bb_alike_pages() and bb_claim_pageblock() once the
 *      pageblock's pages are counted;
 *   3. claim or steal: bb_steal_suitable_fallback().
 */

/*
 * Where a request of each mobility looks when its own lists are empty, in
 * order of preference, up to BB_MIGRATE_TYPES.  The reserve types
 * (highatomic, isolate) never fall back.
 */
const int bb_fallbacks[BB_MIGRATE_TYPES][3] = {
	[BB_MIGRATE_UNMOVABLE] = { BB_MIGRATE_RECLAIMABLE, BB_MIGRATE_MOVABLE,
				   BB_MIGRATE_TYPES },
	[BB_MIGRATE_MOVABLE] = { BB_MIGRATE_RECLAIMABLE, BB_MIGRATE_UNMOVABLE,
				 BB_MIGRATE_TYPES },
	[BB_MIGRATE_RECLAIMABLE] = { BB_MIGRATE_UNMOVABLE, BB_MIGRATE_MOVABLE,
				     BB_MIGRATE_TYPES },
	[BB_MIGRATE_HIGHATOMIC] = { BB_MIGRATE_TYPES },
	[BB_MIGRATE_ISOLATE] = { BB_MIGRATE_TYPES },
};

/*
 * can_steal_fallback(): may a request of @start_mt that falls back to a
 * free block of @order try to claim that block's pageblock?  Any request
 * may when the block is big (half a pageblock's order and up, which takes
 * in blocks of whole pageblocks); unmovable and reclaimable requests
 * always try: their pages polluting movable pageblocks do more lasting
 * harm than the reverse.
 */
bool bb_can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= BB_PAGEBLOCK_ORDER / 2)
		return true;
	return start_mt == BB_MIGRATE_UNMOVABLE ||
	       start_mt == BB_MIGRATE_RECLAIMABLE;
}

/* the first type of @migratetype's fallback table with a block in @area */
static inline int bb_first_fallback_type(struct bb_free_area *area,
					 int migratetype)
{
	const int *mt;

	for (mt = bb_fallbacks[migratetype]; *mt != BB_MIGRATE_TYPES; mt++)
		if (!list_empty(&area->free_list[*mt]))
			return *mt;
	return -1;
}

/*
 * find_suitable_fallback(): the type whose block of @order a request of
 * @migratetype would take from @area, or -1.  *@can_steal tells whether it
 * may try to claim the pageblock; with @only_stealable (compaction asking
 * whether a fallback would do), a block it may not claim does not count.
 */
int bb_find_suitable_fallback(struct bb_free_area *area, unsigned int order,
			      int migratetype, bool only_stealable,
			      bool *can_steal)
{
	bool may_claim = bb_can_steal_fallback(order, migratetype);
	int fallback_mt = -1;

	/* nr_free counts every list: empty, none of them has a block */
	if (area->nr_free && (may_claim || !only_stealable))
		fallback_mt = bb_first_fallback_type(area, migratetype);
	*can_steal = fallback_mt != -1 && may_claim;
	return fallback_mt;
}

/* Step 1's answer: a free block of another type, and what it may do. */
struct bb_fallback {
	unsigned int order;	/* of the block */
	int migratetype;	/* the list it is on */
	bool whole_block;	/* may try to claim its pageblock */
};

/*
 * The first order from @first to @last (either direction) where a
 * fallback block is free; fills @fb.
 */
static bool bb_fallback_scan(struct bb_zone *zone, int first, int last,
			     int start_mt, struct bb_fallback *fb)
{
	int step = first <= last ? 1 : -1;
	int order;

	for (order = first;; order += step) {
		int mt = bb_find_suitable_fallback(&zone->free_area[order], order,
						   start_mt, false,
						   &fb->whole_block);

		if (mt != -1) {
			fb->order = order;
			fb->migratetype = mt;
			return true;
		}
		if (order == last)
			return false;
	}
}

/*
 * Step 1, 6.1: the largest free block of a fallback type: a big free block
 * means a mostly free pageblock, the one most worth claiming, and finding
 * that one exactly would cost too much.  Under ALLOC_NOFRAGMENT, only
 * blocks of a whole pageblock or more.  A movable request that may not
 * claim what it found splits the smallest block that fits instead: a
 * movable page in a foreign pageblock can be migrated away later, and a
 * small block costs that pageblock least.
 */
static bool bb_find_fallback_block(struct bb_zone *zone, unsigned int order,
				   int start_mt, unsigned int alloc_flags,
				   struct bb_fallback *fb)
{
	unsigned int lowest = order;

	if (alloc_flags & BB_ALLOC_NOFRAGMENT)
		lowest = max_t(unsigned int, order, BB_PAGEBLOCK_ORDER);
	if (!bb_fallback_scan(zone, BB_MAX_ORDER - 1, lowest, start_mt, fb))
		return false;
	if (fb->whole_block || start_mt != BB_MIGRATE_MOVABLE ||
	    fb->order == order)
		return true;
	return bb_fallback_scan(zone, order, BB_MAX_ORDER - 1, start_mt, fb);
}

/*
 * Step 2, once the pageblock's free blocks have moved to @start_type's
 * lists: how many of its allocated pages are alike to the request.
 * Movable pages are, for a movable request.  For an unmovable or
 * reclaimable request in a movable pageblock, every allocated page that is
 * not movable is; between unmovable and reclaimable none is, as their
 * pages cannot be told apart.
 */
static unsigned long bb_alike_pages(int start_type, int block_type,
				    unsigned long free_pages,
				    unsigned long movable_pages)
{
	if (start_type == BB_MIGRATE_MOVABLE)
		return movable_pages;
	if (block_type == BB_MIGRATE_MOVABLE)
		return BB_PAGEBLOCK_NR_PAGES - free_pages - movable_pages;
	return 0;
}

/* Step 2: the pageblock is claimed when half of it is free or alike. */
static inline bool bb_claim_pageblock(unsigned long free_pages,
				      unsigned long alike_pages)
{
	return free_pages + alike_pages >= BB_PAGEBLOCK_NR_PAGES / 2;
}

/* mixing types in a pageblock: boost the watermarks, kswapd frees more */
static void bb_fallback_boost(struct bb_sandbox *sb, struct bb_zone *zone,
			      unsigned int alloc_flags, struct bb_trace *trace)
{
	if (!bb_boost_watermark(sb, zone))
		return;
	bb_zone_stat_add(zone, BB_ALLOC_BOOST, 1);
	bb_trace(trace, "    watermark boost of zone %s now %lu pages\n",
		 zone->name, zone->watermark_boost);
	if (alloc_flags & BB_ALLOC_KSWAPD)
		set_bit(BB_ZONE_BOOSTED_WATERMARK, &zone->flags);
}

/*
 * Step 3, steal_suitable_fallback(): the block found goes to @start_type's
 * lists, and its pageblock with it when claimed.  A highatomic pageblock is
 * never claimed (only unreserving it gives it back); a block of pageblock
 * size or more always is.  A smaller block mixes types in its pageblock:
 * that boosts the watermarks, and with @whole_block the pageblock's free
 * blocks, this one among them, move to the tail of @start_type's lists in
 * pfn order and step 2 decides.  Otherwise only the block moves: stolen.
 */
static void bb_steal_suitable_fallback(struct bb_sandbox *sb,
				       struct bb_zone *zone,
				       struct bb_page *page,
				       unsigned int alloc_flags, int start_type,
				       bool whole_block, struct bb_trace *trace)
{
	unsigned long pfn = bb_page_to_pfn(sb, page);
	unsigned int order = bb_page_ext(sb, page)->order;
	int block_type = bb_get_pageblock_migratetype(sb, pfn);
	unsigned long free_pages = 0, movable_pages, alike_pages;

	bb_trace(trace,
		 "    fallback: no %s block of the order, took an order-%u block of a %s pageblock (pfn %lu)\n",
		 bb_migratetype_names[start_type], order,
		 bb_migratetype_names[block_type], pfn);

	if (block_type == BB_MIGRATE_HIGHATOMIC) {
		bb_count_fallback(zone, BB_FALLBACK_POLLUTE, start_type,
				  block_type);
		goto move_block;
	}

	if (order >= BB_PAGEBLOCK_ORDER) {
		bb_claim_pageblock_range(sb, pfn, order, start_type);
		bb_zone_stat_add(zone, BB_ALLOC_CLAIM, 1);
		bb_count_fallback(zone, BB_FALLBACK_CLAIM, start_type,
				  block_type);
		bb_trace(trace, "    claimed: the block spans whole pageblocks, now %s\n",
			 bb_migratetype_names[start_type]);
		goto move_block;
	}

	bb_fallback_boost(sb, zone, alloc_flags, trace);
	if (whole_block) {
		/* none moved when the pageblock straddles the zone's end */
		free_pages = bb_move_freepages_block(sb, zone, pfn, start_type,
						     &movable_pages);
		alike_pages = bb_alike_pages(start_type, block_type, free_pages,
					     movable_pages);
		if (free_pages && bb_claim_pageblock(free_pages, alike_pages)) {
			bb_set_pageblock_migratetype(sb, pfn, start_type);
			bb_zone_stat_add(zone, BB_ALLOC_CLAIM, 1);
			bb_count_fallback(zone,
					  free_pages == BB_PAGEBLOCK_NR_PAGES ?
					  BB_FALLBACK_CLAIM : BB_FALLBACK_STEAL,
					  start_type, block_type);
			bb_trace(trace,
				 "    claimed the pageblock: %lu free + %lu alike pages >= half of it\n",
				 free_pages, alike_pages);
			return;
		}
	}
	bb_zone_stat_add(zone, BB_ALLOC_STEAL, 1);
	bb_count_fallback(zone, BB_FALLBACK_POLLUTE, start_type, block_type);
	bb_trace(trace, "    stole the block; the pageblock stays %s\n",
		 bb_migratetype_names[block_type]);
	/* moved already, with the pageblock's other free blocks, in pfn order */
	if (free_pages)
		return;
move_block:
	bb_move_to_free_list(sb, zone, pfn, order, start_type);
}

/*
 * __rmqueue_fallback(): no block of @start_migratetype fits; move one of
 * another type onto its lists (steps 1 and 3 above).  Called with
 * zone->lock held.
 */
static bool __bb_rmqueue_fallback(struct bb_sandbox *sb, struct bb_zone *zone,
				  unsigned int order, int start_migratetype,
				  unsigned int alloc_flags, struct bb_trace *trace)
{
	struct bb_fallback fb;
	struct bb_page *page;

	if (!bb_find_fallback_block(zone, order, start_migratetype, alloc_flags,
				    &fb))
		return false;
	bb_zone_stat_add(zone, BB_ALLOC_FALLBACK, 1);
	page = bb_first_free_block(zone, fb.order, fb.migratetype);
	bb_steal_suitable_fallback(sb, zone, page, alloc_flags,
				   start_migratetype, fb.whole_block, trace);
	bb_ev_page_alloc_extfrag(sb, bb_page_to_pfn(sb, page), order, fb.order,
				 start_migratetype, fb.migratetype);
	return true;
}

/*
 * Migratetype fallback, fallback=6.10 (the "freelist hygiene" series): a
 * free block always sits on the lists of its pageblock's type, so a
 * fallback may not move a single block to the request's lists as 6.1's
 * does.  Step 1 is 6.1's; then either the request claims the whole
 * pageblock (a block of a pageblock or more, or step 2's half of it free
 * or alike), whose free blocks all move to its lists and serve it, or it
 * takes only the chunk it asked for out of the block, the rest of which
 * stays free on the lists of the pageblock's type.
 *
 * 6.10, not 6.12: Debian's 6.12 carries 6.15's split of this into a claim
 * over every order (__rmqueue_claim()) and, failing that, a chunk of the
 * smallest fallback block (__rmqueue_steal()), and skips a highatomic
 * block instead of taking a chunk of it; 6.10 takes its chunk of the
 * block step 1 found, highatomic or not.
 */

/*
 * The free pages of the pageblock of @pfn and the pages of its movable
 * allocations, without moving anything; false when the pageblock is not
 * wholly in @zone.
 */
static bool bb_pageblock_census(struct bb_sandbox *sb, struct bb_zone *zone,
				unsigned long pfn, unsigned long *free_pages,
				unsigned long *movable_pages)
{
	unsigned long start = ALIGN_DOWN(pfn, BB_PAGEBLOCK_NR_PAGES);
	unsigned long end = start + BB_PAGEBLOCK_NR_PAGES;

	*free_pages = 0;
	*movable_pages = 0;
	if (!bb_zone_spans_pfn(zone, start) || !bb_zone_spans_pfn(zone, end - 1))
		return false;
	for (pfn = start; pfn < end;) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);

		if (ext->flags & BB_PG_BUDDY) {
			*free_pages += 1UL << ext->order;
			pfn += 1UL << ext->order;
		} else if (ext->flags & BB_PG_ALLOC) {
			if (ext->alloc_mt == BB_MIGRATE_MOVABLE)
				*movable_pages += 1UL << ext->order;
			pfn += 1UL << ext->order;
		} else {
			pfn++;
		}
	}
	return true;
}

/*
 * fallback=6.10 and later: a free block of a pageblock or more, of another
 * type, is claimed whole: its pageblocks take @start_type and the rest of
 * it, past the 2^@order pages served, goes to @start_type's lists.
 */
static struct bb_page *bb_claim_whole_block(struct bb_sandbox *sb,
					    struct bb_zone *zone,
					    unsigned long pfn,
					    unsigned int cur_order,
					    unsigned int order, int start_type,
					    int list_type, struct bb_trace *trace)
{
	int block_type = bb_get_pageblock_migratetype(sb, pfn);

	bb_del_page_from_free_list(sb, zone, pfn, cur_order);
	bb_claim_pageblock_range(sb, pfn, cur_order, start_type);
	bb_expand(sb, zone, pfn, order, cur_order, start_type);
	bb_zone_stat_add(zone, BB_ALLOC_CLAIM, 1);
	bb_count_fallback(zone, BB_FALLBACK_CLAIM, start_type, block_type);
	bb_trace(trace, "    claim: the block spans whole pageblocks, now %s\n",
		 bb_migratetype_names[start_type]);
	bb_ev_page_alloc_extfrag(sb, pfn, order, cur_order, start_type,
				 list_type);
	return bb_pfn_to_page(sb, pfn);
}

/*
 * __rmqueue_fallback() of 6.10: serve @order from a fallback block, or
 * NULL when there is none.  Called with zone->lock held.
 */
static struct bb_page *bb_rmqueue_fallback_hygienic(struct bb_sandbox *sb,
						    struct bb_zone *zone,
						    unsigned int order,
						    int start_type,
						    unsigned int alloc_flags,
						    struct bb_trace *trace)
{
	unsigned long pfn, free_pages, movable_pages, alike_pages;
	struct bb_fallback fb;
	struct bb_page *page;
	int block_type;

	if (!bb_find_fallback_block(zone, order, start_type, alloc_flags, &fb))
		return NULL;
	bb_zone_stat_add(zone, BB_ALLOC_FALLBACK, 1);
	page = bb_first_free_block(zone, fb.order, fb.migratetype);
	pfn = bb_page_to_pfn(sb, page);
	block_type = bb_get_pageblock_migratetype(sb, pfn);
	bb_trace(trace,
		 "    fallback (6.10): no %s block of the order, found an order-%u block of a %s pageblock (pfn %lu)\n",
		 bb_migratetype_names[start_type], fb.order,
		 bb_migratetype_names[block_type], pfn);

	/* a highatomic pageblock is only ever unreserved, never claimed */
	if (block_type == BB_MIGRATE_HIGHATOMIC)
		goto chunk;

	if (fb.order >= BB_PAGEBLOCK_ORDER)
		return bb_claim_whole_block(sb, zone, pfn, fb.order, order,
					    start_type, fb.migratetype, trace);

	bb_fallback_boost(sb, zone, alloc_flags, trace);
	if (fb.whole_block &&
	    bb_pageblock_census(sb, zone, pfn, &free_pages, &movable_pages)) {
		alike_pages = bb_alike_pages(start_type, block_type, free_pages,
					     movable_pages);
		if (bb_claim_pageblock(free_pages, alike_pages)) {
			bb_retype_pageblock(sb, zone, pfn, start_type);
			bb_zone_stat_add(zone, BB_ALLOC_CLAIM, 1);
			bb_count_fallback(zone,
					  free_pages == BB_PAGEBLOCK_NR_PAGES ?
					  BB_FALLBACK_CLAIM : BB_FALLBACK_STEAL,
					  start_type, block_type);
			bb_trace(trace,
				 "    %s: %lu free + %lu alike pages >= half of the pageblock, now %s with its free blocks\n",
				 free_pages == BB_PAGEBLOCK_NR_PAGES ? "claim" : "steal",
				 free_pages, alike_pages,
				 bb_migratetype_names[start_type]);
			bb_ev_page_alloc_extfrag(sb, pfn, order, fb.order,
						 start_type, fb.migratetype);
			return __bb_rmqueue_smallest(sb, zone, order, start_type);
		}
	}
chunk:
	bb_del_page_from_free_list(sb, zone, pfn, fb.order);
	bb_expand(sb, zone, pfn, order, fb.order, block_type);
	bb_zone_stat_add(zone, BB_ALLOC_STEAL, 1);
	bb_count_fallback(zone, BB_FALLBACK_POLLUTE, start_type, block_type);
	bb_trace(trace,
		 "    pollute: took the order-%u chunk only; the rest stays free on the %s lists, the pageblock %s\n",
		 order, bb_migratetype_names[block_type],
		 bb_migratetype_names[block_type]);
	bb_ev_page_alloc_extfrag(sb, pfn, order, fb.order, start_type,
				 fb.migratetype);
	return page;
}

/*
 * Migratetype fallback, fallback=6.15 (__rmqueue_claim() and
 * __rmqueue_steal()), on 6.10's hygienic lists.  First a claim: from the
 * largest order down, the first fallback block of each order is tried, and
 * its pageblock taken over when step 2's rule holds (half of it free or
 * alike; a block of a pageblock or more always); one that fails the rule is
 * left alone and the next order down is tried.  The search ends at the
 * request's order, at the first order too small to claim from
 * (bb_can_steal_fallback()), or under ALLOC_NOFRAGMENT at pageblock order,
 * since only a claim of a whole free pageblock fragments nothing.  Failing
 * a claim, and unless ALLOC_NOFRAGMENT, a steal: the smallest fallback
 * block serves the chunk asked for and the rest of it stays free on its own
 * type's lists, the pageblock's type unchanged (a pollution).
 */

/*
 * try_to_claim_block(): claim the pageblock of the free block at @pfn, of
 * @cur_order on @list_type's lists, for a request of @order and
 * @start_type, and serve the request from it; NULL when the rule says no.
 */
static struct bb_page *bb_try_claim_block(struct bb_sandbox *sb,
					  struct bb_zone *zone,
					  unsigned long pfn,
					  unsigned int cur_order,
					  unsigned int order, int start_type,
					  int list_type,
					  unsigned int alloc_flags,
					  struct bb_trace *trace)
{
	int block_type = bb_get_pageblock_migratetype(sb, pfn);
	unsigned long free_pages, movable_pages, alike_pages;
	bool whole;

	bb_trace(trace,
		 "    claim (6.15): order-%u block of a %s pageblock (pfn %lu)\n",
		 cur_order, bb_migratetype_names[block_type], pfn);
	if (block_type == BB_MIGRATE_HIGHATOMIC) {
		bb_trace(trace, "      a highatomic pageblock is never claimed\n");
		return NULL;
	}
	if (cur_order >= BB_PAGEBLOCK_ORDER)
		return bb_claim_whole_block(sb, zone, pfn, cur_order, order,
					    start_type, list_type, trace);

	bb_fallback_boost(sb, zone, alloc_flags, trace);
	if (!bb_pageblock_census(sb, zone, pfn, &free_pages, &movable_pages)) {
		bb_trace(trace, "      the pageblock crosses the zone's edge: not claimed\n");
		return NULL;
	}
	alike_pages = bb_alike_pages(start_type, block_type, free_pages,
				     movable_pages);
	if (!bb_claim_pageblock(free_pages, alike_pages)) {
		bb_trace(trace,
			 "      %lu free + %lu alike pages < half of the pageblock: not claimed\n",
			 free_pages, alike_pages);
		return NULL;
	}
	bb_retype_pageblock(sb, zone, pfn, start_type);
	whole = free_pages == BB_PAGEBLOCK_NR_PAGES;
	bb_zone_stat_add(zone, BB_ALLOC_CLAIM, 1);
	bb_count_fallback(zone, whole ? BB_FALLBACK_CLAIM : BB_FALLBACK_STEAL,
			  start_type, block_type);
	bb_trace(trace,
		 "      %s: %lu free + %lu alike pages >= half of the pageblock, now %s with its free blocks\n",
		 whole ? "claim" : "steal", free_pages, alike_pages,
		 bb_migratetype_names[start_type]);
	bb_ev_page_alloc_extfrag(sb, pfn, order, cur_order, start_type,
				 list_type);
	return __bb_rmqueue_smallest(sb, zone, order, start_type);
}

/* __rmqueue_claim(): the claim over the orders, from the largest down */
static struct bb_page *bb_rmqueue_claim(struct bb_sandbox *sb,
					struct bb_zone *zone,
					unsigned int order, int start_type,
					unsigned int alloc_flags,
					struct bb_trace *trace)
{
	unsigned int lowest = order;
	int cur;

	if (alloc_flags & BB_ALLOC_NOFRAGMENT)
		lowest = max_t(unsigned int, order, BB_PAGEBLOCK_ORDER);
	for (cur = BB_MAX_ORDER - 1; cur >= (int)lowest; cur--) {
		struct bb_free_area *area = &zone->free_area[cur];
		struct bb_page *page;
		int mt;

		/* smaller blocks than this one may not be claimed either */
		if (!bb_can_steal_fallback(cur, start_type))
			break;
		if (!area->nr_free)
			continue;
		mt = bb_first_fallback_type(area, start_type);
		if (mt < 0)
			continue;
		page = bb_first_free_block(zone, cur, mt);
		page = bb_try_claim_block(sb, zone, bb_page_to_pfn(sb, page),
					  cur, order, start_type, mt,
					  alloc_flags, trace);
		if (page) {
			bb_zone_stat_add(zone, BB_ALLOC_FALLBACK, 1);
			return page;
		}
	}
	bb_trace(trace,
		 "    claim (6.15): no fallback block of order %u or more whose pageblock a %s request may claim\n",
		 lowest, bb_migratetype_names[start_type]);
	return NULL;
}

/*
 * __rmqueue_steal(): the chunk of @order out of the smallest fallback
 * block, the pageblock's type unchanged.
 */
static struct bb_page *bb_rmqueue_steal(struct bb_sandbox *sb,
					struct bb_zone *zone,
					unsigned int order, int start_type,
					struct bb_trace *trace)
{
	unsigned int cur;

	for (cur = order; cur < BB_MAX_ORDER; cur++) {
		struct bb_free_area *area = &zone->free_area[cur];
		struct bb_page *page;
		unsigned long pfn;
		int mt, block_type;

		if (!area->nr_free)
			continue;
		mt = bb_first_fallback_type(area, start_type);
		if (mt < 0)
			continue;
		page = bb_first_free_block(zone, cur, mt);
		pfn = bb_page_to_pfn(sb, page);
		block_type = bb_get_pageblock_migratetype(sb, pfn);
		bb_del_page_from_free_list(sb, zone, pfn, cur);
		bb_expand(sb, zone, pfn, order, cur, mt);
		bb_zone_stat_add(zone, BB_ALLOC_FALLBACK, 1);
		bb_zone_stat_add(zone, BB_ALLOC_STEAL, 1);
		bb_count_fallback(zone, BB_FALLBACK_POLLUTE, start_type,
				  block_type);
		bb_trace(trace,
			 "    steal (6.15): the smallest fallback block, order %u of a %s pageblock (pfn %lu): the order-%u chunk, the rest stays free on the %s lists (pollution)\n",
			 cur, bb_migratetype_names[block_type], pfn, order,
			 bb_migratetype_names[mt]);
		bb_ev_page_alloc_extfrag(sb, pfn, order, cur, start_type, mt);
		return page;
	}
	bb_trace(trace, "    steal (6.15): no fallback block of order %u or more\n",
		 order);
	return NULL;
}

/*
 * __rmqueue() of fallback=6.1 and 6.10: the request's own lists first;
 * failing that, the fallback moves a block of at least @order onto them,
 * and the second look finds it (6.10: the fallback serves the request
 * itself).
 */
static struct bb_page *bb_rmqueue_before_615(struct bb_sandbox *sb,
					     struct bb_zone *zone,
					     unsigned int order, int migratetype,
					     unsigned int alloc_flags,
					     struct bb_trace *trace)
{
	struct bb_page *page = __bb_rmqueue_smallest(sb, zone, order, migratetype);

	if (likely(page))
		return page;
	if (bb_freelist_hygiene(sb))
		return bb_rmqueue_fallback_hygienic(sb, zone, order, migratetype,
						    alloc_flags, trace);
	if (!__bb_rmqueue_fallback(sb, zone, order, migratetype, alloc_flags,
				   trace))
		return NULL;
	return __bb_rmqueue_smallest(sb, zone, order, migratetype);
}

/* one stage of fallback=6.15's __rmqueue() */
static struct bb_page *bb_rmqueue_stage(struct bb_sandbox *sb,
					struct bb_zone *zone,
					enum bb_rmqueue_mode stage,
					unsigned int order, int migratetype,
					unsigned int alloc_flags,
					struct bb_trace *trace)
{
	if (stage == BB_RMQUEUE_NORMAL)
		return __bb_rmqueue_smallest(sb, zone, order, migratetype);
	if (stage == BB_RMQUEUE_CLAIM)
		return bb_rmqueue_claim(sb, zone, order, migratetype,
					alloc_flags, trace);
	/* a steal fragments: never where fragmenting is to be avoided */
	if (alloc_flags & BB_ALLOC_NOFRAGMENT) {
		bb_trace(trace, "    steal refused: ALLOC_NOFRAGMENT%s\n",
			 bb_defrag_mode(sb) ? " (defrag_mode)" : "");
		return NULL;
	}
	return bb_rmqueue_steal(sb, zone, order, migratetype, trace);
}

/*
 * __rmqueue(), called with zone->lock held.  fallback=6.15 goes through
 * its stages in order from *@mode on: the request's own lists, a claim, a
 * steal.  The next call of the same refill (rmqueue_bulk(), under the same
 * hold of the lock: nothing else changes the lists) starts where this one
 * found its block: after a claim, which filled the request's lists, at
 * those lists; after a steal, which found them and every claim empty, at
 * the steal.
 */
struct bb_page *__bb_rmqueue_mode(struct bb_sandbox *sb, struct bb_zone *zone,
				  unsigned int order, int migratetype,
				  unsigned int alloc_flags,
				  enum bb_rmqueue_mode *mode,
				  struct bb_trace *trace)
{
	enum bb_rmqueue_mode stage;

	if (!bb_fallback_615(sb))
		return bb_rmqueue_before_615(sb, zone, order, migratetype,
					     alloc_flags, trace);

	for (stage = *mode; stage <= BB_RMQUEUE_STEAL; stage++) {
		struct bb_page *page = bb_rmqueue_stage(sb, zone, stage, order,
							migratetype,
							alloc_flags, trace);

		if (page) {
			*mode = stage == BB_RMQUEUE_STEAL ? BB_RMQUEUE_STEAL :
							    BB_RMQUEUE_NORMAL;
			return page;
		}
	}
	return NULL;
}

struct bb_page *__bb_rmqueue(struct bb_sandbox *sb, struct bb_zone *zone,
			     unsigned int order, int migratetype,
			     unsigned int alloc_flags, struct bb_trace *trace)
{
	enum bb_rmqueue_mode mode = BB_RMQUEUE_NORMAL;

	return __bb_rmqueue_mode(sb, zone, order, migratetype, alloc_flags,
				 &mode, trace);
}

/*
 * prep_new_page(): the block becomes an allocation.  The head records the
 * order and the mobility asked for (what the kernel reads off PageLRU and
 * __PageMovable when it counts movable pages).
 */
void bb_prep_new_page(struct bb_sandbox *sb, struct bb_page *page,
		      unsigned int order, int migratetype)
{
	page->owner_alloc = NULL;
	page->unused = 0;
	bb_set_page_ext(bb_page_ext(sb, page), BB_PG_ALLOC, order, migratetype);
}

/*
 * zone_statistics(): @nr allocations from @zone for a request that
 * preferred @preferred and came from node @nid (see bb_numa_stat_item).
 */
static inline void bb_zone_statistics(struct bb_zone *preferred,
				      struct bb_zone *zone, int nid, long nr)
{
	int zone_nid = bb_zone_to_nid(zone);

	if (zone_nid == bb_zone_to_nid(preferred)) {
		this_cpu_add(zone->stats->numa[BB_NUMA_HIT], nr);
	} else {
		this_cpu_add(zone->stats->numa[BB_NUMA_MISS], nr);
		this_cpu_add(preferred->stats->numa[BB_NUMA_FOREIGN], nr);
	}
	this_cpu_add(zone->stats->numa[zone_nid == nid ? BB_NUMA_LOCAL :
				       BB_NUMA_OTHER], nr);
}

/*
 * rmqueue_buddy(): a block from the buddy lists under zone->lock, for the
 * orders the pcp lists do not keep, or when this CPU's list had none.
 * Out of line: the pcp path is the one rmqueue() expands.
 */
static noinline struct bb_page *bb_rmqueue_buddy(struct bb_sandbox *sb,
						 struct bb_zone *zone,
						 unsigned int order,
						 unsigned int alloc_flags,
						 int migratetype,
						 struct bb_trace *trace)
{
	struct bb_page *page = NULL;

	spin_lock(&zone->lock);
	if (order > 0 && (alloc_flags & BB_ALLOC_HIGHATOMIC))
		page = __bb_rmqueue_smallest(sb, zone, order,
					     BB_MIGRATE_HIGHATOMIC);
	if (!page)
		page = __bb_rmqueue(sb, zone, order, migratetype, alloc_flags,
				    trace);
	/*
	 * highatomic=6.12: rather fail a later high-order atomic than this
	 * one, of any order, that cannot block (or an OOM victim's).
	 */
	if (!page && (alloc_flags & (BB_ALLOC_NON_BLOCK | BB_ALLOC_OOM)) &&
	    bb_highatomic_612(sb)) {
		page = __bb_rmqueue_smallest(sb, zone, order,
					     BB_MIGRATE_HIGHATOMIC);
		if (page)
			bb_trace(trace, "    from the highatomic reserve (6.12)\n");
	}
	if (page) {
		zone->nr_free_pages -= 1UL << order;
		bb_prep_new_page(sb, page, order, migratetype);
	}
	spin_unlock(&zone->lock);
	return page;
}

/*
 * rmqueue(): small blocks come from this CPU's list (rmqueue_pcplist()),
 * the others from the buddy lists under zone->lock (rmqueue_buddy()).
 */
static __always_inline struct bb_page *bb_rmqueue(struct bb_sandbox *sb,
						  struct bb_zone *zone,
						  unsigned int order,
						  unsigned int alloc_flags,
						  const struct bb_alloc_context *ac)
{
	struct bb_trace *trace = ac->trace;
	int migratetype = ac->migratetype;
	struct bb_page *page = NULL;

	if (bb_pcp_allowed_order(order) && !READ_ONCE(sb->pcp_disabled)) {
		page = bb_rmqueue_pcplist(sb, zone, order, migratetype,
					  alloc_flags, trace);
		if (page) {
			bb_trace(trace, "    from this CPU's %s order-%u pcp list\n",
				 bb_migratetype_names[migratetype], order);
			bb_prep_new_page(sb, page, order, migratetype);
		}
	}
	if (unlikely(!page)) {
		page = bb_rmqueue_buddy(sb, zone, order, alloc_flags,
					migratetype, trace);
		if (!page)
			return NULL;
	}

	bb_zone_stat_add(zone, BB_PGALLOC, 1L << order);
	bb_zone_statistics(ac->preferred_zoneref->zone, zone, ac->nid, 1);
	/* a fallback boosted the watermarks: kswapd reclaims the boost */
	if (unlikely(test_bit(BB_ZONE_BOOSTED_WATERMARK, &zone->flags))) {
		clear_bit(BB_ZONE_BOOSTED_WATERMARK, &zone->flags);
		bb_trace(trace, "    boosted watermark: wake kswapd\n");
		bb_wakeup_kswapd(sb, zone, 0, 0, zone->idx);
	}
	return page;
}

/*
 * How many pages the highatomic reserve may hold: 6.1, 1% of the zone and
 * a pageblock; highatomic=6.12 (since 6.8), 1% rounded up to pageblocks,
 * and nothing in a zone whose 1% is less than a pageblock.
 */
static unsigned long bb_highatomic_max(const struct bb_sandbox *sb,
				       const struct bb_zone *zone)
{
	unsigned long pct = zone->managed_pages / 100;

	if (!bb_highatomic_612(sb))
		return pct + BB_PAGEBLOCK_NR_PAGES;
	return pct < BB_PAGEBLOCK_NR_PAGES ? 0 :
	       ALIGN(pct, BB_PAGEBLOCK_NR_PAGES);
}

/*
 * reserve_highatomic_pageblock(): a high-order atomic allocation succeeded;
 * keep its pageblock for later ones, up to about 1% of the zone.
 */
static void bb_reserve_highatomic_pageblock(struct bb_sandbox *sb,
					    struct bb_zone *zone,
					    unsigned long pfn,
					    unsigned int order)
{
	unsigned long max_managed = bb_highatomic_max(sb, zone);
	int mt;

	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;

	spin_lock(&zone->lock);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	mt = bb_get_pageblock_migratetype(sb, pfn);
	/* only ordinary pageblocks, which merge with others */
	if (!bb_migratetype_is_mergeable(mt))
		goto out_unlock;
	if (!bb_freelist_hygiene(sb)) {
		bb_set_pageblock_migratetype(sb, pfn, BB_MIGRATE_HIGHATOMIC);
		bb_move_freepages_block(sb, zone, pfn, BB_MIGRATE_HIGHATOMIC,
					NULL);
		zone->nr_reserved_highatomic += BB_PAGEBLOCK_NR_PAGES;
	} else if (order < BB_PAGEBLOCK_ORDER) {
		/* 6.10: a pageblock across the zone's edge is not reserved */
		if (!bb_retype_pageblock(sb, zone, pfn, BB_MIGRATE_HIGHATOMIC))
			goto out_unlock;
		zone->nr_reserved_highatomic += BB_PAGEBLOCK_NR_PAGES;
	} else {
		/* 6.10: every pageblock of the allocation, not its first */
		bb_claim_pageblock_range(sb, pfn, order, BB_MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1UL << order;
	}
	bb_zone_stat_add(zone, BB_ALLOC_HIGHATOMIC_RESERVE, 1);
out_unlock:
	spin_unlock(&zone->lock);
}

static inline bool bb_zone_allowed(const struct bb_zoneref *z,
				   enum bb_zone_type highest_zoneidx,
				   u32 nodemask)
{
	return z->zone_idx <= highest_zoneidx &&
	       (!nodemask || (nodemask & BIT(bb_zone_to_nid(z->zone))));
}

/*
 * Give a highatomic block back to @migratetype, with zone->lock held: the
 * pageblock(s) of the free block at @pfn take @migratetype and its free
 * pages go to @migratetype's lists.  The reserve shrinks only if the block
 * lay in a reserved pageblock: by a pageblock, or by the whole block when
 * fallback=6.10 had reserved every pageblock of a larger allocation (6.12
 * counts it so).  Returns the free pages moved.
 */
static unsigned long bb_unreserve_block(struct bb_sandbox *sb,
					struct bb_zone *zone, unsigned long pfn,
					unsigned int order, int migratetype)
{
	unsigned long size = BB_PAGEBLOCK_NR_PAGES, moved;
	bool reserved = bb_get_pageblock_migratetype(sb, pfn) ==
			BB_MIGRATE_HIGHATOMIC;

	if (bb_freelist_hygiene(sb) && order >= BB_PAGEBLOCK_ORDER) {
		bb_move_to_free_list(sb, zone, pfn, order, migratetype);
		bb_claim_pageblock_range(sb, pfn, order, migratetype);
		size = 1UL << order;
		moved = size;
	} else {
		/* 6.1: only the first pageblock of a larger block */
		moved = bb_move_freepages_block(sb, zone, pfn, migratetype,
						NULL);
		/* fallback=6.10 never reserves one across the zone's edge */
		if (!moved && bb_freelist_hygiene(sb))
			return 0;
		bb_set_pageblock_migratetype(sb, pfn, migratetype);
	}
	if (reserved)
		zone->nr_reserved_highatomic -=
			min(size, zone->nr_reserved_highatomic);
	return moved;
}

/*
 * unreserve_highatomic_pageblock(): the slow path is short of pages, give
 * a highatomic pageblock back to the request's migratetype.  The first zone
 * of the zonelist (in the request's reach) holding a free highatomic block
 * gives up the pageblock of its smallest one.  Unless @force (before the
 * OOM killer), a zone keeps its reserve while it is one pageblock or less.
 * Returns true if free pages changed lists.
 */
bool bb_unreserve_highatomic_pageblock(struct bb_sandbox *sb,
				       const struct bb_alloc_context *ac,
				       bool force)
{
	struct bb_zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		unsigned int order;

		if (!bb_zone_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		if (!force &&
		    READ_ONCE(zone->nr_reserved_highatomic) <=
		    BB_PAGEBLOCK_NR_PAGES)
			continue;

		spin_lock(&zone->lock);
		for (order = 0; order < BB_MAX_ORDER; order++) {
			struct bb_page *page;
			unsigned long pfn, moved;
			int old_mt;

			page = bb_first_free_block(zone, order,
						   BB_MIGRATE_HIGHATOMIC);
			if (!page)
				continue;
			pfn = bb_page_to_pfn(sb, page);
			old_mt = bb_get_pageblock_migratetype(sb, pfn);
			moved = bb_unreserve_block(sb, zone, pfn, order,
						   ac->migratetype);
			bb_trace(ac->trace,
				 "  unreserve_highatomic_pageblock%s: zone %s: order-%u block at pfn %lu, pageblock %s -> %s, %lu free pages moved, reserve now %lu\n",
				 force ? " (force)" : "", zone->name, order,
				 pfn, bb_migratetype_name(old_mt),
				 bb_migratetype_name(ac->migratetype), moved,
				 zone->nr_reserved_highatomic);
			if (moved) {
				spin_unlock(&zone->lock);
				return true;
			}
		}
		spin_unlock(&zone->lock);
	}
	return false;
}

static const char *bb_wmark_name(unsigned int alloc_flags)
{
	static const char * const names[] = { "min", "low", "high" };

	return names[alloc_flags & BB_ALLOC_WMARK_MASK];
}

/*
 * Why __zone_watermark_ok() said no: too few free pages above the mark,
 * or enough of them but no free block of the order on a list the request
 * may take from.
 */
static void bb_trace_watermark_fails(struct bb_trace *trace,
				     struct bb_zone *zone, unsigned int order,
				     unsigned long mark, int highest_zoneidx,
				     unsigned int alloc_flags)
{
	long free = READ_ONCE(zone->nr_free_pages);
	bool enough = order &&
		      __bb_zone_watermark_ok(zone, 0, mark, highest_zoneidx,
					     alloc_flags,
					     free - ((1L << order) - 1));

	bb_trace(trace,
		 "  zone %s (node %d): order-%u watermark check fails: free %ld, %s mark %lu + lowmem_reserve %ld%s\n",
		 zone->name, bb_zone_to_nid(zone), order, free,
		 bb_wmark_name(alloc_flags), mark,
		 zone->lowmem_reserve[highest_zoneidx],
		 enough ? ", enough, but no free block of that order or larger" : "");
}

/*
 * The mark get_page_from_freelist() checks a request against: the one its
 * alloc_flags ask for, with the zone's watermark boost on top.  A boost is
 * there to make kswapd reclaim, not to fail atomic requests: in 6.1
 * (zone_watermark_fast()) an order-0 __GFP_ATOMIC request at the min
 * watermark is checked without it.  The kernel tries the boosted mark
 * first, but whatever passes it passes the lower one.  reserves=6.3,
 * which has no __GFP_ATOMIC, exempts __GFP_HIGH (ALLOC_MIN_RESERVE)
 * instead.  The fast path's low mark is decided before the policy is read.
 */
static inline unsigned long bb_alloc_wmark_pages(const struct bb_sandbox *sb,
						 const struct bb_zone *z,
						 unsigned int order,
						 unsigned int alloc_flags,
						 bb_gfp_t gfp)
{
	int wmark = alloc_flags & BB_ALLOC_WMARK_MASK;

	if (!order && wmark == BB_WMARK_MIN &&
	    (gfp & (bb_reserves_63(sb) ? BB___GFP_HIGH : BB___GFP_ATOMIC)))
		return z->_watermark[BB_WMARK_MIN];
	return bb_wmark_pages(z, wmark);
}

/*
 * The watermark test of the fast path.  An order-0 request first gets a
 * cheap one that almost every call passes: the zone's free pages, less
 * every highatomic one and what the zone keeps for requests that could use
 * a higher zone, above the mark.  Whatever passes it passes the full check
 * (bb_zone_watermark_ok()): a reserve share (of any policy) only
 * lowers the floor, the highatomic pages are never fewer than the
 * unusable ones of order 0 (highatomic=6.12's free ones neither: it needs
 * fallback=6.10, whose free highatomic blocks lie in reserved
 * pageblocks), and an order-0 request needs no free block of its order.
 * What fails it, and every higher order, gets the full check.
 */
static __always_inline bool bb_fast_watermark_ok(struct bb_zone *zone,
						 unsigned int order,
						 unsigned long mark,
						 int highest_zoneidx,
						 unsigned int alloc_flags)
{
	if (!order) {
		long room = (long)READ_ONCE(zone->nr_free_pages) -
			    (long)READ_ONCE(zone->nr_reserved_highatomic) -
			    zone->lowmem_reserve[highest_zoneidx];

		if (room > (long)mark)
			return true;
	}
	return bb_zone_watermark_ok(zone, order, mark, highest_zoneidx,
				    alloc_flags);
}

/*
 * pcp_high=6.7: a request that finds the zone under its high watermark
 * marks it so; until a free brings it back over, frees lower the lists'
 * high instead of raising it.  Noted here, where the watermark is read
 * anyway, rather than on every free.
 */
static __always_inline void bb_note_below_high(struct bb_zone *zone,
					       unsigned int order,
					       int highest_zoneidx,
					       unsigned int alloc_flags)
{
	if (test_bit(BB_ZONE_BELOW_HIGH, &zone->flags))
		return;
	if (!bb_fast_watermark_ok(zone, order,
				  bb_wmark_pages(zone, BB_WMARK_HIGH),
				  highest_zoneidx, alloc_flags))
		set_bit(BB_ZONE_BELOW_HIGH, &zone->flags);
}

/* first_zones_zonelist(): the first zone the request may use */
static struct bb_zoneref *bb_first_zones_zonelist(struct bb_zonelist *zonelist,
						  enum bb_zone_type highest_zoneidx,
						  u32 nodemask)
{
	struct bb_zoneref *z = zonelist->_zonerefs;

	while (z->zone && !bb_zone_allowed(z, highest_zoneidx, nodemask))
		z++;
	return z;
}

/*
 * alloc_flags_nofragment(): when the node has a DMA32 zone below Normal,
 * prefer falling back to it over mixing migratetypes in a pageblock of
 * Normal.  defrag_mode asks it of every request.
 */
static unsigned int bb_alloc_flags_nofragment(struct bb_sandbox *sb,
					      struct bb_zone *zone,
					      bb_gfp_t gfp)
{
	unsigned int alloc_flags = 0;

	if (gfp & BB___GFP_KSWAPD_RECLAIM)
		alloc_flags |= BB_ALLOC_KSWAPD;
	/* defrag_mode: never fragment where it can be helped, in any zone */
	if (bb_defrag_mode(sb))
		return alloc_flags | BB_ALLOC_NOFRAGMENT;
	if (!zone || zone->idx != BB_ZONE_NORMAL_IDX)
		return alloc_flags;
	if (sb->nr_nodes > 1 &&
	    !bb_populated_zone(&zone->zone_pgdat->node_zones[BB_ZONE_DMA32_IDX]))
		return alloc_flags;
	return alloc_flags | BB_ALLOC_NOFRAGMENT;
}

/*
 * prepare_alloc_pages(): check the request and fill the alloc_context:
 * the zonelist of the preferred node (only its own zones for
 * __GFP_THISNODE), the highest zone and the migratetype the gfp asks for.
 */
static __always_inline int
__bb_prepare_alloc_pages(struct bb_sandbox *sb, bb_gfp_t gfp,
			 unsigned int order, int preferred_nid, u32 nodemask,
			 struct bb_alloc_context *ac)
{
	int ret = bb_gfp_check(gfp, order);
	int zonelist_idx;

	if (ret)
		return ret;
	if (preferred_nid < 0)
		preferred_nid = 0;
	if (preferred_nid >= sb->nr_nodes)
		return -EINVAL;
	if (nodemask & ~GENMASK(sb->nr_nodes - 1, 0))
		return -EINVAL;

	ac->highest_zoneidx = bb_gfp_zone(gfp);
	zonelist_idx = (gfp & BB___GFP_THISNODE) ? BB_ZONELIST_NOFALLBACK :
						   BB_ZONELIST_FALLBACK;
	ac->zonelist = &sb->node[preferred_nid].node_zonelists[zonelist_idx];
	ac->nid = preferred_nid;
	ac->nodemask = nodemask;
	ac->migratetype = bb_gfp_migratetype(gfp);
	ac->preferred_zoneref = bb_first_zones_zonelist(ac->zonelist,
							ac->highest_zoneidx,
							nodemask);
	return 0;
}

int bb_prepare_alloc_pages(struct bb_sandbox *sb, bb_gfp_t gfp,
			   unsigned int order, int preferred_nid,
			   u32 nodemask, struct bb_alloc_context *ac)
{
	return __bb_prepare_alloc_pages(sb, gfp, order, preferred_nid,
					nodemask, ac);
}

/*
 * get_page_from_freelist(): walk the zonelist and take the block from the
 * first zone whose watermark allows it; *@zonep is that zone.  Inlined in
 * the fast path, which then knows the zone without looking it up again.
 */
static __always_inline struct bb_page *
__bb_get_page_from_freelist(struct bb_sandbox *sb, bb_gfp_t gfp,
			    unsigned int order, unsigned int alloc_flags,
			    const struct bb_alloc_context *ac,
			    struct bb_zone **zonep)
{
	struct bb_zone *preferred = ac->preferred_zoneref->zone;
	/* defrag_mode: the fast path never fragments, nor a remote node */
	bool defrag = bb_defrag_mode(sb);
	struct bb_zoneref *z;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & BB_ALLOC_NOFRAGMENT;
	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct bb_zone *zone = z->zone;
		struct bb_page *page;
		unsigned long mark;

		if (!bb_zone_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		/*
		 * Falling back to a remote node is worse than fragmenting
		 * the local one: allow fragmenting before going remote.
		 */
		if (no_fallback && !defrag && sb->nr_nodes > 1 &&
		    zone != preferred &&
		    bb_zone_to_nid(zone) != bb_zone_to_nid(preferred)) {
			alloc_flags &= ~BB_ALLOC_NOFRAGMENT;
			goto retry;
		}

		if (bb_pcp_high_tuned(sb))
			bb_note_below_high(zone, order, ac->highest_zoneidx,
					   alloc_flags);
		mark = bb_alloc_wmark_pages(sb, zone, order, alloc_flags, gfp);
		if (!bb_fast_watermark_ok(zone, order, mark, ac->highest_zoneidx,
					  alloc_flags) &&
		    !(alloc_flags & BB_ALLOC_NO_WATERMARKS)) {
			if (unlikely(ac->trace))
				bb_trace_watermark_fails(ac->trace, zone, order,
							 mark, ac->highest_zoneidx,
							 alloc_flags);
			continue;	/* node_reclaim is not modelled */
		}
		bb_trace(ac->trace, "  zone %s (node %d): %s, free %lu%s\n",
			 zone->name, bb_zone_to_nid(zone),
			 alloc_flags & BB_ALLOC_NO_WATERMARKS ?
			 "no watermarks (ALLOC_NO_WATERMARKS)" : "watermark ok",
			 READ_ONCE(zone->nr_free_pages),
			 alloc_flags & BB_ALLOC_NOFRAGMENT ? ", ALLOC_NOFRAGMENT" : "");

		page = bb_rmqueue(sb, zone, order, alloc_flags, ac);
		if (!page)
			bb_trace(ac->trace, "    no block of order %u\n", order);
		if (page) {
			if (order && (alloc_flags & BB_ALLOC_HIGHATOMIC))
				bb_reserve_highatomic_pageblock(sb, zone,
								bb_page_to_pfn(sb, page),
								order);
			*zonep = zone;
			return page;
		}
	}

	/*
	 * nothing without fragmenting: try again, allowing it; defrag_mode
	 * leaves that to the slow path, once reclaim and compaction failed
	 */
	if (no_fallback && defrag) {
		bb_trace(ac->trace,
			 "  nothing without fragmenting: defrag_mode refuses the fallback here\n");
		return NULL;
	}
	if (no_fallback) {
		bb_trace(ac->trace,
			 "  nothing without fragmenting: again without ALLOC_NOFRAGMENT\n");
		alloc_flags &= ~BB_ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

struct bb_page *bb_get_page_from_freelist(struct bb_sandbox *sb,
					  bb_gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags,
					  const struct bb_alloc_context *ac)
{
	struct bb_zone *zone;

	return __bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac,
					   &zone);
}

/* Why did it fail?  Some zone with free pages but no block: fragmented. */
static enum bb_fail_reason bb_fail_reason(struct bb_sandbox *sb,
					  unsigned int order,
					  const struct bb_alloc_context *ac)
{
	struct bb_zoneref *z;

	if (!ac->preferred_zoneref->zone)
		return BB_FAIL_NO_ZONE;
	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct bb_zone *zone = z->zone;

		if (!bb_zone_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		if (order && bb_zone_watermark_ok(zone, 0,
						  bb_wmark_pages(zone, BB_WMARK_MIN),
						  ac->highest_zoneidx,
						  BB_ALLOC_WMARK_MIN))
			return BB_FAIL_FRAGMENTED;
	}
	return BB_FAIL_WATERMARK;
}

/*
 * __alloc_pages(): the fast path at the low watermark, then the slow path,
 * for an owner (the OOM killer's "current") and with an optional trace of
 * the path taken.  Returns 0 and fills @res, or a negative errno.  Inlined
 * in both entries below, so that the module's own requests reach the pcp
 * lists without a call more.
 */
static __always_inline int
__bb_alloc_pages_common(struct bb_sandbox *sb, bb_gfp_t gfp,
			unsigned int order, int preferred_nid, u32 nodemask,
			struct bb_owner *owner, struct bb_trace *trace,
			struct bb_alloc_result *res)
{
	unsigned int alloc_flags = BB_ALLOC_WMARK_LOW;
	struct bb_alloc_context ac = { };
	struct bb_zone *zone = NULL;
	struct bb_page *page;
	unsigned long pfn;
	int ret;

	ret = __bb_prepare_alloc_pages(sb, gfp, order, preferred_nid,
				       nodemask, &ac);
	if (ret) {
		atomic_long_inc(&sb->alloc_fail[BB_FAIL_INVALID]);
		bb_trace(trace, "rejected: order %u with gfp %#x is not a valid request (%d)\n",
			 order, gfp, ret);
		return ret;
	}
	ac.owner = owner;
	ac.trace = trace;
	/* prepare_alloc_pages() asks should_fail_alloc_page() here */
	if (bb_should_fail_alloc_page(sb, gfp, order, trace))
		return -ENOMEM;

	bb_trace(trace,
		 "fast path: get_page_from_freelist at the low watermark, %s, zones up to %s\n",
		 bb_migratetype_names[ac.migratetype],
		 bb_zone_names[ac.highest_zoneidx]);
	if (ac.preferred_zoneref->zone) {
		alloc_flags |= bb_alloc_flags_nofragment(sb, ac.preferred_zoneref->zone,
							 gfp);
		page = __bb_get_page_from_freelist(sb, gfp, order, alloc_flags,
						   &ac, &zone);
	} else {
		page = NULL;
	}
	if (!page)
		page = __bb_alloc_pages_slowpath(sb, gfp, order, &ac);
	if (!page) {
		atomic_long_inc(&sb->alloc_fail[bb_fail_reason(sb, order, &ac)]);
		bb_ev_page_alloc(sb, ~0UL, order, gfp, ac.migratetype);
		return -ENOMEM;
	}

	pfn = bb_page_to_pfn(sb, page);
	bb_ev_page_alloc(sb, pfn, order, gfp, ac.migratetype);
	res->pfn = pfn;
	/* the fast path says which zone served it; the slow path does not */
	res->zone = zone ?: bb_pfn_to_zone(sb, pfn);
	res->migratetype = bb_get_pageblock_migratetype(sb, pfn);
	bb_zone_stat_add(res->zone, BB_ALLOC_SUCCESS, 1);
	if (gfp & BB___GFP_ZERO)
		memset(bb_pfn_to_virt(sb, pfn), 0, PAGE_SIZE << order);
	return 0;
}

int __bb_alloc_pages(struct bb_sandbox *sb, bb_gfp_t gfp, unsigned int order,
		     int preferred_nid, u32 nodemask, struct bb_alloc_result *res)
{
	return __bb_alloc_pages_common(sb, gfp, order, preferred_nid, nodemask,
				       NULL, NULL, res);
}

int __bb_alloc_pages_owner(struct bb_sandbox *sb, bb_gfp_t gfp,
			   unsigned int order, int preferred_nid, u32 nodemask,
			   struct bb_owner *owner, struct bb_trace *trace,
			   struct bb_alloc_result *res)
{
	return __bb_alloc_pages_common(sb, gfp, order, preferred_nid, nodemask,
				       owner, trace, res);
}

/*
 * __free_pages(): give back an allocation made by __bb_alloc_pages().  The
 * caller (owner.c) vouches for @pfn and @order.
 */
void bb_free_pages(struct bb_sandbox *sb, unsigned long pfn, unsigned int order)
{
	struct bb_zone *zone = bb_pfn_to_zone(sb, pfn);
	struct bb_page *page = bb_pfn_to_page(sb, pfn);

	bb_ev_page_free(sb, pfn, order);
	bb_zone_stat_add(zone, BB_PGFREE, 1L << order);
	page->owner_alloc = NULL;
	page->unused = 0;
	if (!READ_ONCE(sb->pcp_disabled) &&
	    bb_free_unref_page(sb, zone, pfn, order))
		return;

	spin_lock(&zone->lock);
	bb_set_page_ext(bb_page_ext(sb, page), 0, 0, 0);
	bb_free_one_page(sb, zone, pfn, order, BB_FPI_NONE);
	spin_unlock(&zone->lock);
}

/*
 * alloc_pages_bulk(): up to @nr order-0 pages into @pfns, taking this
 * CPU's pcp lock once.  As the kernel, it checks one zone's watermark for
 * the whole batch and falls back to one __alloc_pages() when that zone
 * cannot serve it.  Returns how many pages it got (>= 1), -ENOMEM for
 * none, or -EINVAL for a bad request.
 */
int bb_alloc_pages_bulk(struct bb_sandbox *sb, bb_gfp_t gfp, int preferred_nid,
			unsigned int nr, unsigned long *pfns)
{
	unsigned int alloc_flags = BB_ALLOC_WMARK_LOW;
	struct bb_alloc_context ac = { };
	struct bb_alloc_result res;
	struct bb_zone *zone = NULL;
	struct bb_zoneref *z;
	int n, ret;

	if (!nr)
		return -EINVAL;
	ret = bb_prepare_alloc_pages(sb, gfp, 0, preferred_nid, 0, &ac);
	if (ret) {
		atomic_long_inc(&sb->alloc_fail[BB_FAIL_INVALID]);
		return ret;
	}
	/*
	 * As the kernel's: one page goes to __alloc_pages(), which asks for
	 * itself; a batch asks once, and an injected failure gets no page.
	 */
	if (nr > 1 && bb_should_fail_alloc_page(sb, gfp, 0, NULL))
		return -ENOMEM;
	if (nr == 1 || READ_ONCE(sb->pcp_disabled) || !ac.preferred_zoneref->zone)
		goto failed;
	alloc_flags |= bb_alloc_flags_nofragment(sb, ac.preferred_zoneref->zone,
						 gfp);

	for (z = ac.preferred_zoneref; z->zone; z++) {
		if (!bb_zone_allowed(z, ac.highest_zoneidx, ac.nodemask))
			continue;
		if (bb_zone_watermark_ok(z->zone, 0,
					 bb_wmark_pages(z->zone, BB_WMARK_LOW) + nr,
					 ac.highest_zoneidx, alloc_flags)) {
			zone = z->zone;
			break;
		}
	}
	if (!zone)
		goto failed;

	n = bb_rmqueue_pcplist_bulk(sb, zone, ac.migratetype, alloc_flags, nr,
				    pfns);
	if (!n)
		goto failed;
	bb_zone_stat_add(zone, BB_PGALLOC, n);
	bb_zone_statistics(ac.preferred_zoneref->zone, zone, ac.nid, n);
	bb_zone_stat_add(zone, BB_ALLOC_SUCCESS, n);
	if (gfp & BB___GFP_ZERO) {
		int i;

		for (i = 0; i < n; i++)
			clear_page(bb_pfn_to_virt(sb, pfns[i]));
	}
	return n;

failed:
	ret = __bb_alloc_pages(sb, gfp, 0, preferred_nid, 0, &res);
	if (ret)
		return ret;
	pfns[0] = res.pfn;
	return 1;
}

void bb_free_pages_bulk(struct bb_sandbox *sb, const unsigned long *pfns,
			unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		bb_free_pages(sb, pfns[i], 0);
}
