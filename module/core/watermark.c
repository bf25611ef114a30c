// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: watermarks and lowmem_reserve.
 *
 * The arithmetic of mm/page_alloc.c (6.1): init_per_zone_wmark_min(),
 * __setup_per_zone_wmarks(), setup_per_zone_lowmem_reserve(),
 * boost_watermark() and __zone_watermark_ok(), over the sandbox's zones.
 */
#include <linux/kernel.h>
#include <linux/math.h>

#include "buddybox.h"

/* init_per_zone_wmark_min(): sqrt(lowmem_kbytes * 16), within 128..256M */
int bb_default_min_free_kbytes(unsigned long lowmem_pages)
{
	unsigned long lowmem_kbytes = lowmem_pages * (PAGE_SIZE >> 10);

	return clamp_t(unsigned long, int_sqrt(lowmem_kbytes * 16), 128, 262144);
}

/* Called with sb->tunable_lock held, or before the sandbox is in use. */
void bb_setup_per_zone_wmarks(struct bb_sandbox *sb)
{
	unsigned long pages_min = sb->min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct bb_zone *zone;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		lowmem_pages += zone->managed_pages;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		u64 tmp;

		spin_lock(&zone->lock);
		tmp = div64_u64((u64)pages_min * zone->managed_pages,
				max(lowmem_pages, 1UL));
		zone->_watermark[BB_WMARK_MIN] = tmp;
		/* the larger of 25% of min and watermark_scale_factor */
		tmp = max_t(u64, tmp >> 2,
			    mult_frac(zone->managed_pages,
				      sb->watermark_scale_factor, 10000));
		zone->watermark_boost = 0;
		zone->_watermark[BB_WMARK_LOW] = zone->_watermark[BB_WMARK_MIN] + tmp;
		zone->_watermark[BB_WMARK_HIGH] = zone->_watermark[BB_WMARK_MIN] + tmp * 2;
		spin_unlock(&zone->lock);
	}
	/* pcp->high follows the low watermark */
	bb_zone_pcp_update(sb);
}

void bb_setup_per_zone_lowmem_reserve(struct bb_sandbox *sb)
{
	int nid, i, j;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];

		for (i = 0; i < BB_MAX_NR_ZONES - 1; i++) {
			struct bb_zone *zone = &pgdat->node_zones[i];
			int ratio = sb->lowmem_reserve_ratio[i];
			bool clear = !ratio || !bb_populated_zone(zone);
			unsigned long managed = 0;

			for (j = i + 1; j < BB_MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] = clear ? 0 : managed / ratio;
			}
		}
	}
	/* the kernel recomputes totalreserve_pages here; there are none */
}

/*
 * __zone_watermark_ok(): can @z give an @order block and stay above @mark
 * (plus the reserve kept from @highest_zoneidx allocations)?
 */
bool __bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			    unsigned long mark, int highest_zoneidx,
			    unsigned int alloc_flags, long free_pages)
{
	bool alloc_harder = alloc_flags & (BB_ALLOC_HARDER | BB_ALLOC_OOM);
	long min = mark;
	unsigned int o;
	int mt;

	/* free_pages may go negative: that's fine */
	free_pages -= (1L << order) - 1;
	if (!alloc_harder)
		free_pages -= READ_ONCE(z->nr_reserved_highatomic);

	if (alloc_flags & BB_ALLOC_HIGH)
		min -= min / 2;
	if (alloc_harder) {
		/* OOM victims may dig deeper than ordinary ALLOC_HARDER */
		if (alloc_flags & BB_ALLOC_OOM)
			min -= min / 2;
		else
			min -= min / 4;
	}

	/* an order-0 request must pass before any higher one can */
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;

	/* at least one block of the order on a list the caller may use */
	for (o = order; o < BB_MAX_ORDER; o++) {
		struct bb_free_area *area = &z->free_area[o];

		if (!READ_ONCE(area->nr_free))
			continue;
		for (mt = 0; mt < BB_MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if (alloc_harder &&
		    !list_empty(&area->free_list[BB_MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

bool bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags)
{
	return __bb_zone_watermark_ok(z, order, mark, highest_zoneidx,
				      alloc_flags, READ_ONCE(z->nr_free_pages));
}

/*
 * boost_watermark(): after a fallback, raise the watermarks by a pageblock
 * (up to watermark_boost_factor of the high watermark), so that kswapd
 * frees a little more and the next fallback is less likely.  Called with
 * zone->lock held.
 */
bool bb_boost_watermark(struct bb_sandbox *sb, struct bb_zone *zone)
{
	unsigned long max_boost;
	int factor = READ_ONCE(sb->watermark_boost_factor);

	if (!factor)
		return false;
	/* not for zones too small to reclaim a pageblock from */
	if (BB_PAGEBLOCK_NR_PAGES * 4 > zone->managed_pages)
		return false;
	max_boost = mult_frac(zone->_watermark[BB_WMARK_HIGH], factor, 10000);
	if (!max_boost)
		return false;
	max_boost = max(BB_PAGEBLOCK_NR_PAGES, max_boost);
	zone->watermark_boost = min(zone->watermark_boost + BB_PAGEBLOCK_NR_PAGES,
				    max_boost);
	return true;
}

/* The tunables: bad values are -EINVAL; good ones recompute watermarks. */
int bb_set_min_free_kbytes(struct bb_sandbox *sb, int val)
{
	unsigned long region_kb = sb->region.nr_pages * (PAGE_SIZE >> 10);

	if (val < 0 || val >= region_kb)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	sb->min_free_kbytes = val;
	bb_setup_per_zone_wmarks(sb);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}

int bb_set_watermark_scale_factor(struct bb_sandbox *sb, int val)
{
	/* the sysctl's bounds */
	if (val < 1 || val > 3000)
		return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	sb->watermark_scale_factor = val;
	bb_setup_per_zone_wmarks(sb);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}

int bb_set_watermark_boost_factor(struct bb_sandbox *sb, int val)
{
	if (val < 0)
		return -EINVAL;
	WRITE_ONCE(sb->watermark_boost_factor, val);
	return 0;
}

int bb_set_lowmem_reserve_ratio(struct bb_sandbox *sb,
				const int ratio[BB_MAX_NR_ZONES])
{
	int i;

	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		if (ratio[i] < 0)
			return -EINVAL;
	mutex_lock(&sb->tunable_lock);
	memcpy(sb->lowmem_reserve_ratio, ratio, sizeof(sb->lowmem_reserve_ratio));
	bb_setup_per_zone_lowmem_reserve(sb);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}
