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
 * Count the zone's pageblocks by type and enum bb_pageblock_state into
 * @count, from pbmap.c's walk.  Returns 0, or -ENOMEM.
 */
int bb_zone_pageblock_counts(struct bb_sandbox *sb, struct bb_zone *zone,
			     unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES])
{
	unsigned long nr = bb_zone_nr_pageblocks(zone), i;
	struct bb_pageblock_info *info;

	memset(count, 0, sizeof(count[0]) * BB_MIGRATE_TYPES);
	if (!nr)
		return 0;
	info = kvcalloc(nr, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	bb_zone_pageblock_walk(sb, zone, info);
	for (i = 0; i < nr; i++)
		if (info[i].mt < BB_MIGRATE_TYPES)
			count[info[i].mt][bb_pageblock_state(info[i].mt,
							     info[i].types)]++;
	kvfree(info);
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
