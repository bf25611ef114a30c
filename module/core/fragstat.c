// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: what a comparison of fallback policies reads.
 *
 * fallbacks: per zone, requested type and pageblock type, how often a
 * fallback claimed a whole free pageblock, stole a partly used one (its
 * type changed, pages of the old type stay in it) or polluted one (a
 * chunk taken, the pageblock's type unchanged).  The rules count them in
 * zone->fallbacks under zone->lock (page_alloc.c).
 *
 * pageblocks: per zone and pageblock type, the pageblocks with no
 * allocated page, those whose allocated pages are all of the block's type,
 * and the mixed ones.  Nothing on the allocation path keeps this: a read
 * walks the zone's blocks under zone->lock, one step per allocation or
 * free block (their heads carry the order and the type asked for), and
 * notes in a byte per pageblock which types it holds.  The allocator pays
 * nothing for it; a read costs one pass over the descriptors' heads, and
 * is exact when the sandbox is quiet (a per-CPU list may be mid-update
 * under load, as for the checker).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/seq_file.h>

#include "buddybox.h"

static const char * const bb_fallback_kind_names[BB_NR_FALLBACK_KINDS] = {
	[BB_FALLBACK_CLAIM] = "claim",
	[BB_FALLBACK_STEAL] = "steal",
	[BB_FALLBACK_POLLUTE] = "pollute",
};

/* one counter of the zone's, kept in its sandbox */
static inline unsigned long *bb_fallback_counter(struct bb_zone *zone, int kind,
						 int req, int blk)
{
	return &zone->zone_pgdat->sb->fallbacks[bb_zone_to_nid(zone)][zone->idx]
					      [kind][req][blk];
}

/* a fallback's effect on its pageblock; called with zone->lock held */
void bb_count_fallback(struct bb_zone *zone, enum bb_fallback_kind kind,
		       int start_type, int block_type)
{
	lockdep_assert_held(&zone->lock);
	if (start_type < BB_MIGRATE_PCPTYPES && block_type < BB_MIGRATE_TYPES)
		(*bb_fallback_counter(zone, kind, start_type, block_type))++;
}

void bb_show_fallbacks(struct seq_file *m, struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	int req, blk, kind;

	seq_printf(m, "%-24s %-12s %-12s %10s %10s %10s\n", "zone", "request",
		   "pageblock", bb_fallback_kind_names[0],
		   bb_fallback_kind_names[1], bb_fallback_kind_names[2]);
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		unsigned long n[BB_NR_FALLBACK_KINDS];
		char name[32];

		if (!bb_populated_zone(zone))
			continue;
		snprintf(name, sizeof(name), "Node %d, zone %s",
			 bb_zone_to_nid(zone), zone->name);
		for (req = 0; req < BB_MIGRATE_PCPTYPES; req++) {
			for (blk = 0; blk < BB_MIGRATE_TYPES; blk++) {
				bool any = false;

				spin_lock(&zone->lock);
				for (kind = 0; kind < BB_NR_FALLBACK_KINDS; kind++) {
					n[kind] = *bb_fallback_counter(zone, kind,
								       req, blk);
					any |= n[kind] != 0;
				}
				spin_unlock(&zone->lock);
				/* the pairs a fallback can take, and any other seen */
				if (req == blk ||
				    (blk >= BB_MIGRATE_PCPTYPES && !any))
					continue;
				seq_printf(m, "%-24s %-12s %-12s %10lu %10lu %10lu\n",
					   name, bb_migratetype_names[req],
					   bb_migratetype_names[blk], n[0], n[1],
					   n[2]);
			}
		}
	}
}

/*
 * A pageblock of a type no request has (highatomic, isolate) is pure when
 * its allocated pages are all of one type.
 */
static enum bb_pageblock_state bb_pageblock_state(int mt, u8 types)
{
	if (!types)
		return BB_PB_EMPTY;
	if (mt < BB_MIGRATE_PCPTYPES)
		return types == BIT(mt) ? BB_PB_PURE : BB_PB_MIXED;
	return hweight8(types) == 1 ? BB_PB_PURE : BB_PB_MIXED;
}

/* types[i]: BIT(type asked for) of the allocations in the zone's i-th pageblock */
static void bb_zone_pageblock_types(struct bb_sandbox *sb, struct bb_zone *zone,
				    unsigned long first, u8 *types)
{
	unsigned long end = bb_zone_end_pfn(zone);
	unsigned long pfn, p;

	for (pfn = zone->zone_start_pfn; pfn < end;) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
		u8 flags = READ_ONCE(ext->flags);
		unsigned int order = READ_ONCE(ext->order);
		unsigned long nr = 1;

		if (flags && order < BB_MAX_ORDER)
			nr = min(1UL << order, end - pfn);
		if (flags & BB_PG_ALLOC) {
			u8 mt = READ_ONCE(ext->alloc_mt);

			for (p = pfn; p < pfn + nr; p += BB_PAGEBLOCK_NR_PAGES)
				if (mt < BB_MIGRATE_TYPES)
					types[(p - first) >> BB_PAGEBLOCK_ORDER] |= BIT(mt);
		}
		pfn += nr;
	}
}

/*
 * Count the zone's pageblocks by type and enum bb_pageblock_state into
 * @count.  Returns 0, or -ENOMEM.
 */
int bb_zone_pageblock_counts(struct bb_sandbox *sb, struct bb_zone *zone,
			     unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES])
{
	unsigned long first, nr, i;
	u8 *types;
	int mt;

	memset(count, 0, sizeof(count[0]) * BB_MIGRATE_TYPES);
	if (!bb_populated_zone(zone))
		return 0;
	first = ALIGN_DOWN(zone->zone_start_pfn, BB_PAGEBLOCK_NR_PAGES);
	nr = DIV_ROUND_UP(bb_zone_end_pfn(zone) - first, BB_PAGEBLOCK_NR_PAGES);
	types = kcalloc(nr, sizeof(*types), GFP_KERNEL);
	if (!types)
		return -ENOMEM;
	spin_lock(&zone->lock);
	bb_zone_pageblock_types(sb, zone, first, types);
	for (i = 0; i < nr; i++) {
		mt = bb_get_pageblock_migratetype(sb, first +
						  i * BB_PAGEBLOCK_NR_PAGES);
		if (mt >= 0 && mt < BB_MIGRATE_TYPES)
			count[mt][bb_pageblock_state(mt, types[i])]++;
	}
	spin_unlock(&zone->lock);
	kfree(types);
	return 0;
}

void bb_show_pageblocks(struct seq_file *m, struct bb_sandbox *sb)
{
	static const char * const states[BB_NR_PB_STATES] = {
		"empty", "pure", "mixed",
	};
	unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES];
	struct bb_zone *zone;
	int mt, st;

	seq_printf(m, "%-24s %-12s %8s %8s %8s\n", "zone", "pageblock",
		   states[0], states[1], states[2]);
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		char name[32];

		if (!bb_populated_zone(zone))
			continue;
		if (bb_zone_pageblock_counts(sb, zone, count)) {
			seq_puts(m, "no memory for the walk\n");
			return;
		}
		snprintf(name, sizeof(name), "Node %d, zone %s",
			 bb_zone_to_nid(zone), zone->name);
		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++) {
			seq_printf(m, "%-24s %-12s", name, bb_migratetype_names[mt]);
			for (st = 0; st < BB_NR_PB_STATES; st++)
				seq_printf(m, " %8lu", count[mt][st]);
			seq_putc(m, '\n');
		}
	}
}
