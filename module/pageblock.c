// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: pageblocks and their migratetypes.
 *
 * Like the kernel's pageblock_flags, one migratetype per pageblock of
 * BB_PAGEBLOCK_NR_PAGES pages, kept outside the region.
 */
#include <linux/kernel.h>

#include "buddybox.h"

static inline unsigned long bb_pageblock_index(struct bb_sandbox *sb,
					       unsigned long pfn)
{
	return (pfn - sb->region.start_pfn) >> BB_PAGEBLOCK_ORDER;
}

int bb_get_pageblock_migratetype(struct bb_sandbox *sb, unsigned long pfn)
{
	return READ_ONCE(sb->pageblock_mt[bb_pageblock_index(sb, pfn)]);
}

void bb_set_pageblock_migratetype(struct bb_sandbox *sb, unsigned long pfn,
				  int migratetype)
{
	WRITE_ONCE(sb->pageblock_mt[bb_pageblock_index(sb, pfn)], migratetype);
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
		struct bb_page *page = bb_pfn_to_page(sb, pfn);
		unsigned int order = page->order;

		if (page->flags & BB_PG_BUDDY) {
			list_move_tail(&page->lru,
				       &zone->free_area[order].free_list[migratetype]);
			moved += 1UL << order;
			pfn += 1UL << order;
		} else if (page->flags & BB_PG_ALLOC) {
			if (movable && page->alloc_mt == BB_MIGRATE_MOVABLE)
				*movable += 1UL << order;
			pfn += 1UL << order;
		} else {
			/* the tail of an allocation larger than a pageblock */
			pfn++;
		}
	}
	return moved;
}
