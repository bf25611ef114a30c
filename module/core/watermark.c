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

/*
 * lowmem_reserve: a request that may use zones up to @upper keeps out of a
 * lower zone the pages of the zones above it, up to @upper, divided by the
 * lower zone's lowmem_reserve_ratio.  Ratio 0, or an empty lower zone,
 * keeps nothing.
 */
static long bb_lowmem_reserve(const struct bb_node *pgdat, int lower,
			      int upper, int ratio)
{
	unsigned long above = 0;
	int z;

	if (!ratio || !bb_populated_zone(&pgdat->node_zones[lower]))
		return 0;
	for (z = lower + 1; z <= upper; z++)
		above += pgdat->node_zones[z].managed_pages;
	return above / ratio;
}

/*
 * setup_per_zone_lowmem_reserve(): every zone's reserve against each zone
 * type above it; against itself and those below it there is none.  The
 * kernel then recomputes totalreserve_pages, which the sandbox has not.
 */
void bb_setup_per_zone_lowmem_reserve(struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	int upper;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		for (upper = zone->idx + 1; upper < BB_MAX_NR_ZONES; upper++)
			zone->lowmem_reserve[upper] =
				bb_lowmem_reserve(zone->zone_pgdat, zone->idx,
						  upper,
						  sb->lowmem_reserve_ratio[zone->idx]);
}

/*
 * The watermark check, 6.1's rules and reserves=6.3's (ALLOC_MIN_RESERVE
 * and ALLOC_NON_BLOCK), in named parts:
 *   bb_reserve_share()		how far below the mark the request may dig
 *   bb_may_use_highatomic()	may it take from the highatomic reserve
 *   bb_may_count_highatomic()	may it count the reserve as free pages
 *   bb_watermark_floor()	the level its usable free pages must stay above
 *   bb_zone_watermark_unusable_free()	the free pages it cannot count
 *   bb_free_block_at_least()	is there a free block of the order it may take
 * and bb_watermark_met() puts them together.
 */

/* the policy of the sandbox whose zone @z is */
static inline bool bb_zone_reserves_63(const struct bb_zone *z)
{
	return bb_reserves_63(z->zone_pgdat->sb);
}

/*
 * May the request take a block from the highatomic reserve (and count its
 * free blocks of the order): 6.1's ALLOC_HARDER requests and OOM victims;
 * 6.3's ALLOC_HIGHATOMIC (a GFP_ATOMIC above order 0) and OOM victims.
 */
static inline bool bb_may_use_highatomic(const struct bb_zone *z,
					 unsigned int alloc_flags)
{
	if (!(alloc_flags & BB_ALLOC_RESERVES))
		return false;
	if (bb_zone_reserves_63(z))
		return alloc_flags & (BB_ALLOC_HIGHATOMIC | BB_ALLOC_OOM);
	return alloc_flags & (BB_ALLOC_HARDER | BB_ALLOC_OOM);
}

/*
 * May the request count the highatomic reserve as free pages: in 6.1 who
 * may take from it; in 6.3 any request with a right to some reserve
 * (ALLOC_RESERVES), __GFP_HIGH alone or GFP_NOWAIT's ALLOC_NON_BLOCK too.
 */
static inline bool bb_may_count_highatomic(const struct bb_zone *z,
					   unsigned int alloc_flags)
{
	if (!(alloc_flags & BB_ALLOC_RESERVES))
		return false;
	return bb_zone_reserves_63(z) || bb_may_use_highatomic(z, alloc_flags);
}

/*
 * How many pages of @mark the request may dig into, 6.1: __GFP_HIGH
 * (ALLOC_HIGH) half of it; ALLOC_HARDER a quarter of what is left, and an
 * OOM victim, which will soon give all its pages back, half of what is
 * left instead.
 */
static inline long bb_reserve_share_61(long mark, unsigned int alloc_flags)
{
	long share = 0;

	if (alloc_flags & BB_ALLOC_HIGH)
		share += mark / 2;
	if (alloc_flags & BB_ALLOC_OOM)
		share += (mark - share) / 2;
	else if (alloc_flags & BB_ALLOC_HARDER)
		share += (mark - share) / 4;
	return share;
}

/*
 * 6.3: __GFP_HIGH (ALLOC_MIN_RESERVE) half of the mark, and a quarter of
 * the rest when it cannot block either (GFP_ATOMIC: 62.5% in all); not
 * blocking alone (GFP_NOWAIT) earns nothing.  An OOM victim then halves
 * whatever is left, on top of the others.
 */
static inline long bb_reserve_share_63(long mark, unsigned int alloc_flags)
{
	long share = 0;

	if (alloc_flags & BB_ALLOC_MIN_RESERVE) {
		share += mark / 2;
		if (alloc_flags & BB_ALLOC_NON_BLOCK)
			share += (mark - share) / 4;
	}
	if (alloc_flags & BB_ALLOC_OOM)
		share += (mark - share) / 2;
	return share;
}

static inline long bb_reserve_share(const struct bb_zone *z, long mark,
				    unsigned int alloc_flags)
{
	if (likely(!(alloc_flags & BB_ALLOC_RESERVES)))
		return 0;
	if (bb_zone_reserves_63(z))
		return bb_reserve_share_63(mark, alloc_flags);
	return bb_reserve_share_61(mark, alloc_flags);
}

/*
 * The level the request's usable free pages must stay above: the mark
 * less the share the request may dig into, plus what the zone keeps from
 * requests that could have used a zone up to @highest_zoneidx.
 */
static inline long bb_watermark_floor(struct bb_zone *z, unsigned long mark,
				      int highest_zoneidx,
				      unsigned int alloc_flags)
{
	return (long)mark - bb_reserve_share(z, mark, alloc_flags) +
	       z->lowmem_reserve[highest_zoneidx];
}

/*
 * zone_watermark_unusable_free(): the free pages that do not count for an
 * @order request: those short of a block of the order, and the highatomic
 * reserve for whom may not count it: its pageblocks' pages in 6.1, its
 * free pages in highatomic=6.12.
 */
static inline long bb_zone_watermark_unusable_free(struct bb_zone *z,
						   unsigned int order,
						   unsigned int alloc_flags)
{
	long unusable = (1L << order) - 1;

	if (bb_may_count_highatomic(z, alloc_flags))
		return unusable;
	/* 6.12: the reserve's free pages, not its pageblocks */
	if (bb_highatomic_612(z->zone_pgdat->sb))
		return unusable + READ_ONCE(z->nr_free_highatomic);
	return unusable + READ_ONCE(z->nr_reserved_highatomic);
}

/* a free block of @order or larger on a list the request may take from */
static inline bool bb_free_block_at_least(struct bb_zone *z,
					  unsigned int order,
					  unsigned int alloc_flags)
{
	unsigned int lists = BIT(BB_MIGRATE_PCPTYPES) - 1;
	int mt;

	if (bb_may_use_highatomic(z, alloc_flags))
		lists |= BIT(BB_MIGRATE_HIGHATOMIC);
	for (; order < BB_MAX_ORDER; order++) {
		struct bb_free_area *area = &z->free_area[order];

		if (!READ_ONCE(area->nr_free))
			continue;
		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
			if ((lists & BIT(mt)) && !list_empty(&area->free_list[mt]))
				return true;
	}
	return false;
}

/*
 * The check: of @free_pages, those the request can use must be above
 * @floor, as for an order-0 request; above order 0 a block of the order
 * must also be there to take.
 */
static __always_inline bool bb_watermark_met(struct bb_zone *z,
					     unsigned int order,
					     unsigned int alloc_flags,
					     long free_pages, long floor)
{
	/* may go negative */
	free_pages -= bb_zone_watermark_unusable_free(z, order, alloc_flags);
	if (free_pages <= floor)
		return false;
	return !order || bb_free_block_at_least(z, order, alloc_flags);
}

/*
 * __zone_watermark_ok(): may @z serve an @order request of @alloc_flags
 * out of @free_pages and stay above @mark?
 */
bool __bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			    unsigned long mark, int highest_zoneidx,
			    unsigned int alloc_flags, long free_pages)
{
	long floor = bb_watermark_floor(z, mark, highest_zoneidx, alloc_flags);

	return bb_watermark_met(z, order, alloc_flags, free_pages, floor);
}

/* zone_watermark_ok(): the same out of the zone's own free pages */
bool bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags)
{
	long floor = bb_watermark_floor(z, mark, highest_zoneidx, alloc_flags);

	return bb_watermark_met(z, order, alloc_flags,
				READ_ONCE(z->nr_free_pages), floor);
}

/*
 * How high boost_watermark() may take a zone's boost: watermark_boost_factor
 * (in 1/10000) of its high watermark, at least a pageblock.  0: never
 * boost; with the factor 0, in zones of fewer than four pageblocks (a boost
 * there could exhaust them), and while the high watermark is 0.
 */
static unsigned long bb_watermark_boost_cap(struct bb_sandbox *sb,
					    struct bb_zone *zone)
{
	int factor = READ_ONCE(sb->watermark_boost_factor);
	unsigned long cap;

	if (!factor || zone->managed_pages < 4 * BB_PAGEBLOCK_NR_PAGES)
		return 0;
	cap = mult_frac(zone->_watermark[BB_WMARK_HIGH], factor, 10000);
	return cap ? max(cap, BB_PAGEBLOCK_NR_PAGES) : 0;
}

/*
 * boost_watermark(): after a fallback mixed types in a pageblock, one
 * pageblock more of boost on every watermark, up to the cap, so that
 * kswapd frees more and the next fallback is less likely.  Called with
 * zone->lock held.
 */
bool bb_boost_watermark(struct bb_sandbox *sb, struct bb_zone *zone)
{
	unsigned long cap = bb_watermark_boost_cap(sb, zone);

	/* no cap, no boost */
	if (cap)
		zone->watermark_boost = min(zone->watermark_boost +
					    BB_PAGEBLOCK_NR_PAGES, cap);
	return cap != 0;
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
