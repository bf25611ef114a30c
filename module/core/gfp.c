// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: gfp flags.
 *
 * The zone comes from a table indexed by the four zone modifiers, as the
 * kernel's GFP_ZONE_TABLE (include/linux/gfp.h) on x86_64, where
 * __GFP_HIGHMEM means ZONE_NORMAL unless __GFP_MOVABLE sends it to
 * ZONE_MOVABLE.  The combinations GFP_ZONE_BAD marks are rejected with
 * -EINVAL, where the kernel would BUG.  Reading the table and checking a
 * request, which every allocation does, are inline in buddybox.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "buddybox.h"

/* index: __GFP_DMA | __GFP_HIGHMEM << 1 | __GFP_DMA32 << 2 | __GFP_MOVABLE << 3 */
const s8 bb_gfp_zone_table[16] = {
	[0x0] = BB_ZONE_NORMAL_IDX,
	[BB___GFP_DMA] = BB_ZONE_DMA_IDX,
	[BB___GFP_HIGHMEM] = BB_ZONE_NORMAL_IDX,
	[BB___GFP_DMA32] = BB_ZONE_DMA32_IDX,
	[BB___GFP_MOVABLE] = BB_ZONE_NORMAL_IDX,
	[BB___GFP_MOVABLE | BB___GFP_DMA] = BB_ZONE_DMA_IDX,
	[BB___GFP_MOVABLE | BB___GFP_HIGHMEM] = BB_ZONE_MOVABLE_IDX,
	[BB___GFP_MOVABLE | BB___GFP_DMA32] = BB_ZONE_DMA32_IDX,
	/* two zone modifiers at once */
	[BB___GFP_DMA | BB___GFP_HIGHMEM] = BB_ZONE_BAD,
	[BB___GFP_DMA | BB___GFP_DMA32] = BB_ZONE_BAD,
	[BB___GFP_DMA32 | BB___GFP_HIGHMEM] = BB_ZONE_BAD,
	[BB___GFP_DMA | BB___GFP_DMA32 | BB___GFP_HIGHMEM] = BB_ZONE_BAD,
	[BB___GFP_MOVABLE | BB___GFP_HIGHMEM | BB___GFP_DMA] = BB_ZONE_BAD,
	[BB___GFP_MOVABLE | BB___GFP_DMA32 | BB___GFP_DMA] = BB_ZONE_BAD,
	[BB___GFP_MOVABLE | BB___GFP_DMA32 | BB___GFP_HIGHMEM] = BB_ZONE_BAD,
	[BB___GFP_MOVABLE | BB___GFP_DMA32 | BB___GFP_DMA | BB___GFP_HIGHMEM] =
		BB_ZONE_BAD,
};

/*
 * The reserves a request may use, 6.1's rules: __GFP_HIGH digs into the
 * min watermark (ALLOC_HIGH); __GFP_ATOMIC, unless __GFP_NOMEMALLOC
 * forbids reserves, digs deeper (ALLOC_HARDER) and, above order 0, may use
 * and grow the highatomic pageblocks.
 */
static unsigned int bb_gfp_reserve_flags_61(bb_gfp_t gfp, unsigned int order)
{
	unsigned int flags = 0;

	if (gfp & BB___GFP_HIGH)
		flags |= BB_ALLOC_HIGH;
	if ((gfp & (BB___GFP_ATOMIC | BB___GFP_NOMEMALLOC)) == BB___GFP_ATOMIC)
		flags |= order ? BB_ALLOC_HARDER | BB_ALLOC_HIGHATOMIC :
				 BB_ALLOC_HARDER;
	return flags;
}

/*
 * reserves=6.3, which has no __GFP_ATOMIC (its bit means nothing here):
 * __GFP_HIGH is ALLOC_MIN_RESERVE; a request that may not reclaim
 * directly, unless __GFP_NOMEMALLOC, is ALLOC_NON_BLOCK, and above order
 * 0 with __GFP_HIGH as well (GFP_ATOMIC) it may use and grow the
 * highatomic pageblocks.  GFP_NOWAIT is ALLOC_NON_BLOCK alone, which
 * earns no share of the min watermark (watermark.c).
 */
static unsigned int bb_gfp_reserve_flags_63(bb_gfp_t gfp, unsigned int order)
{
	unsigned int flags = 0;

	if (gfp & BB___GFP_HIGH)
		flags |= BB_ALLOC_MIN_RESERVE;
	if (!(gfp & (BB___GFP_DIRECT_RECLAIM | BB___GFP_NOMEMALLOC))) {
		flags |= BB_ALLOC_NON_BLOCK;
		if (order && (flags & BB_ALLOC_MIN_RESERVE))
			flags |= BB_ALLOC_HIGHATOMIC;
	}
	return flags;
}

/*
 * gfp_to_alloc_flags(), for the slow path: the min watermark, the
 * reserves above as the sandbox's policy has them, kswapd when the request
 * may wake it, and the cpuset's nodes (which the sandbox does not
 * restrict) for all but atomic requests: 6.1's __GFP_ATOMIC, 6.3's
 * __GFP_HIGH that may not reclaim directly.
 */
unsigned int bb_gfp_to_alloc_flags(const struct bb_sandbox *sb, bb_gfp_t gfp,
				   unsigned int order)
{
	unsigned int alloc_flags = BB_ALLOC_WMARK_MIN | BB_ALLOC_CPUSET;

	if (bb_reserves_63(sb)) {
		alloc_flags |= bb_gfp_reserve_flags_63(gfp, order);
		if ((gfp & (BB___GFP_HIGH | BB___GFP_DIRECT_RECLAIM)) ==
		    BB___GFP_HIGH)
			alloc_flags &= ~BB_ALLOC_CPUSET;
	} else {
		alloc_flags |= bb_gfp_reserve_flags_61(gfp, order);
		if (gfp & BB___GFP_ATOMIC)
			alloc_flags &= ~BB_ALLOC_CPUSET;
	}
	if (gfp & BB___GFP_KSWAPD_RECLAIM)
		alloc_flags |= BB_ALLOC_KSWAPD;
	return alloc_flags;
}

struct bb_gfp_name {
	const char *name;
	bb_gfp_t gfp;
};

static const struct bb_gfp_name bb_gfp_names[] = BB_GFP_NAMES_INIT;

/*
 * Parse "GFP_KERNEL|__GFP_MOVABLE" (names as in the kernel, without the
 * module's prefix) or a number.  Only the syntax is checked here; whether
 * the combination makes sense is bb_gfp_check()'s business.
 */
int bb_parse_gfp(const char *str, bb_gfp_t *gfp)
{
	bb_gfp_t val = 0;

	if (!*str)
		return -EINVAL;
	while (*str) {
		size_t len = strchrnul(str, '|') - str;
		unsigned int i;
		char word[32];

		if (!len || len >= sizeof(word))
			return -EINVAL;
		memcpy(word, str, len);
		word[len] = '\0';
		for (i = 0; i < ARRAY_SIZE(bb_gfp_names); i++)
			if (!strcmp(word, bb_gfp_names[i].name))
				break;
		if (i < ARRAY_SIZE(bb_gfp_names)) {
			val |= bb_gfp_names[i].gfp;
		} else {
			u32 num;

			if (kstrtou32(word, 0, &num))
				return -EINVAL;
			val |= num;
		}
		str += len;
		if (*str == '|' && !*++str)
			return -EINVAL;
	}
	*gfp = val;
	return 0;
}
