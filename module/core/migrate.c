// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: page migration, the part of mm/migrate.c compaction needs.
 *
 * A movable allocation (one an owner made with __GFP_MOVABLE) is moved by
 * copying its bytes to a new block and pointing the owner's record and the
 * rmap at it, under the owner's lock, so that READ and WRITE never see it
 * half-moved: the sandbox's equivalent of unmapping, copying and
 * remapping a page (migrate_page_move_mapping() and folio_migrate_copy()).
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/string.h>

#include "buddybox.h"

/*
 * PageLRU()/__PageMovable() for the scanners: does @pfn head an owned
 * movable allocation?  A racy hint; bb_migrate_alloc() checks again.
 */
bool bb_page_movable(struct bb_sandbox *sb, unsigned long pfn)
{
	struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
	struct bb_alloc *a;

	if (!(READ_ONCE(ext->flags) & BB_PG_ALLOC))
		return false;
	a = READ_ONCE(bb_pfn_to_page(sb, pfn)->owner_alloc);
	return a && READ_ONCE(ext->alloc_mt) == BB_MIGRATE_MOVABLE;
}

/*
 * Take the owner's lock of the allocation heading @src, if it still is a
 * movable owned allocation of @order.  Returns the allocation with its
 * owner locked, or an ERR_PTR: -EBUSY (not a movable allocation any more)
 * or -EAGAIN (the owner is busy and @mode does not wait).
 */
static struct bb_alloc *bb_lock_movable(struct bb_sandbox *sb,
					unsigned long src, unsigned int order,
					enum bb_migrate_mode mode)
{
	struct bb_page *page = bb_pfn_to_page(sb, src);
	struct bb_page_ext *ext = bb_page_ext(sb, page);
	struct bb_lruvec *lruvec = &bb_pfn_to_zone(sb, src)->zone_pgdat->lruvec;
	int tries = mode == BB_MIGRATE_ASYNC ? 1 :
		    mode == BB_MIGRATE_SYNC_LIGHT ? 10 : 1000;
	struct bb_alloc *a;

	while (tries--) {
		spin_lock(&lruvec->lru_lock);
		a = page->owner_alloc;
		if (!(ext->flags & BB_PG_ALLOC) || !a || ext->order != order ||
		    ext->alloc_mt != BB_MIGRATE_MOVABLE) {
			spin_unlock(&lruvec->lru_lock);
			return ERR_PTR(-EBUSY);
		}
		/*
		 * The owner cannot go away: releasing it takes its lock to
		 * free this allocation, which clears owner_alloc under the
		 * lru_lock we hold.
		 */
		if (mutex_trylock(&a->owner->lock)) {
			spin_unlock(&lruvec->lru_lock);
			return a;
		}
		spin_unlock(&lruvec->lru_lock);
		if (tries)
			usleep_range(50, 100);
	}
	return ERR_PTR(-EAGAIN);
}

/*
 * migrate_pages() of one allocation: copy the allocation heading @src into
 * the block @dst of the same @order (an isolated free block, which the
 * caller owns), and make the owner's handle and the rmap follow.
 *
 * Returns 0: the allocation lives at @dst, and @src is left as an
 * ownerless allocated block for the caller to free.  -EBUSY: @src is not a
 * movable allocation of @order (any more); -EAGAIN: its owner is busy.
 * On failure @dst is untouched and still the caller's.
 */
int bb_migrate_alloc(struct bb_sandbox *sb, unsigned long src,
		     unsigned long dst, unsigned int order,
		     enum bb_migrate_mode mode)
{
	struct bb_page *spage = bb_pfn_to_page(sb, src);
	struct bb_page *dpage = bb_pfn_to_page(sb, dst);
	struct bb_lruvec *lruvec;
	struct bb_alloc *a;

	a = bb_lock_movable(sb, src, order, mode);
	if (IS_ERR(a)) {
		bb_count_event(sb, BB_PGMIGRATE_FAIL, 1L << order);
		return PTR_ERR(a);
	}

	/* the new block's content, then its identity */
	memcpy(bb_pfn_to_virt(sb, dst), bb_pfn_to_virt(sb, src),
	       PAGE_SIZE << order);
	bb_set_page_ext(bb_page_ext(sb, dpage), BB_PG_ALLOC, order,
			bb_page_ext(sb, spage)->alloc_mt);

	lruvec = &sb->node[a->nid].lruvec;
	spin_lock(&lruvec->lru_lock);
	dpage->owner_alloc = a;
	spage->owner_alloc = NULL;
	a->pfn = dst;
	a->migratetype = bb_get_pageblock_migratetype(sb, dst);
	a->migrations++;
	spin_unlock(&lruvec->lru_lock);
	mutex_unlock(&a->owner->lock);

	bb_count_event(sb, BB_PGMIGRATE_SUCCESS, 1L << order);
	return 0;
}
