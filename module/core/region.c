// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the memory under the sandbox.
 *
 * backing=vmalloc (the default) takes the region from vmalloc: any size the
 * machine can give, numbered from sandbox pfn 0.  backing=contig takes a
 * physically contiguous window through alloc_contig_range(), found by
 * scanning the host's zones from the top; the sandbox then uses the real
 * pfns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmalloc.h>

#include "buddybox.h"

#define BB_CONTIG_MAX_TRIES	256

static int bb_region_try_zone(struct bb_region *r, struct zone *zone,
			      unsigned long nr_pages, int *tries)
{
	unsigned long start = ALIGN(zone->zone_start_pfn, BB_MAX_ORDER_NR_PAGES);
	unsigned long end = zone_end_pfn(zone);
	unsigned long pfn, step;

	if (end < start + nr_pages)
		return -ENOMEM;

	/* Windows from the top of the zone down, overlapping by halves. */
	step = max(nr_pages / 2, BB_MAX_ORDER_NR_PAGES);
	pfn = ALIGN_DOWN(end - nr_pages, BB_MAX_ORDER_NR_PAGES);
	for (; pfn >= start && *tries < BB_CONTIG_MAX_TRIES; pfn -= step) {
		(*tries)++;
		if (pfn_valid(pfn) && pfn_valid(pfn + nr_pages - 1) &&
		    !alloc_contig_range(pfn, pfn + nr_pages, MIGRATE_MOVABLE,
					GFP_KERNEL | __GFP_NOWARN)) {
			r->contig_page = pfn_to_page(pfn);
			r->base = page_address(r->contig_page);
			r->start_pfn = pfn;
			return 0;
		}
		if (pfn < start + step)
			break;
	}
	return -ENOMEM;
}

static int bb_region_reserve_contig(struct bb_region *r, unsigned long nr_pages)
{
	int tries = 0;
	int nid, z;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &pgdat->node_zones[z];

			if (!populated_zone(zone) || is_highmem(zone) ||
			    zone_idx(zone) == ZONE_MOVABLE)
				continue;
			if (!bb_region_try_zone(r, zone, nr_pages, &tries))
				return 0;
		}
	}
	pr_err("backing=contig: no free physically contiguous window of %lu MiB (%d tried)\n",
	       nr_pages >> (20 - PAGE_SHIFT), tries);
	return -ENOMEM;
}

int bb_region_reserve(struct bb_region *r, unsigned long nr_pages, bool contig)
{
	memset(r, 0, sizeof(*r));
	if (nr_pages >= totalram_pages()) {
		pr_err("size_mb=%lu: larger than this machine's memory (%lu MiB)\n",
		       nr_pages >> (20 - PAGE_SHIFT),
		       totalram_pages() >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}
	r->nr_pages = nr_pages;
	if (contig)
		return bb_region_reserve_contig(r, nr_pages);

	/* No OOM killer and no warning splat for a size we cannot have. */
	r->base = __vmalloc(nr_pages << PAGE_SHIFT,
			    GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (!r->base) {
		pr_err("size_mb=%lu: cannot vmalloc the region\n",
		       nr_pages >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}
	r->start_pfn = 0;
	return 0;
}

void bb_region_release(struct bb_region *r)
{
	if (r->contig_page)
		free_contig_range(r->start_pfn, r->nr_pages);
	else
		vfree(r->base);
	memset(r, 0, sizeof(*r));
}
