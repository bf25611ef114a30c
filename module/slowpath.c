// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the slow path, __alloc_pages_slowpath().
 *
 * What runs when get_page_from_freelist() failed at the low watermark.
 * This is the first stage of it: the allocation flags are recomputed from
 * the gfp mask (gfp_to_alloc_flags()), the request retries at the min
 * watermark (with the ALLOC_HIGH/ALLOC_HARDER discounts), then without
 * watermarks when __GFP_MEMALLOC allows it.  kswapd, direct compaction,
 * direct reclaim, the retry loops and the OOM killer slot in between these
 * steps, in the kernel's order.
 */
#include <linux/kernel.h>

#include "buddybox.h"

/* __gfp_pfmemalloc_flags(): may this request ignore the watermarks? */
static unsigned int bb_gfp_pfmemalloc_flags(bb_gfp_t gfp)
{
	if (gfp & BB___GFP_NOMEMALLOC)
		return 0;
	if (gfp & BB___GFP_MEMALLOC)
		return BB_ALLOC_NO_WATERMARKS;
	return 0;
}

struct bb_page *__bb_alloc_pages_slowpath(struct bb_sandbox *sb, bb_gfp_t gfp,
					  unsigned int order,
					  struct bb_alloc_context *ac)
{
	unsigned int alloc_flags, reserve_flags;
	struct bb_page *page;

	/* the nodemask or zone may have excluded every zone */
	if (!ac->preferred_zoneref->zone)
		return NULL;
	bb_zone_stat_add(ac->preferred_zoneref->zone, BB_ALLOC_SLOWPATH, 1);

	alloc_flags = bb_gfp_to_alloc_flags(gfp, order);

	/* at the min watermark, with the discounts the gfp mask earns */
	page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	if (page)
		return page;

	reserve_flags = bb_gfp_pfmemalloc_flags(gfp);
	if (reserve_flags) {
		page = bb_get_page_from_freelist(sb, gfp, order,
						 reserve_flags | alloc_flags, ac);
		if (page)
			return page;
	}

	/*
	 * What __alloc_pages_direct_reclaim() does once reclaim is done:
	 * the pages may be sitting on per-CPU lists; drain them and retry.
	 */
	if (gfp & BB___GFP_DIRECT_RECLAIM) {
		bb_drain_all_pages(sb, NULL);
		page = bb_get_page_from_freelist(sb, gfp, order, alloc_flags, ac);
	}
	return page;
}
