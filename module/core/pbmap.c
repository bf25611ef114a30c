// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the pageblock map.
 *
 * pageblock_map: every pageblock of every populated zone, one line each,
 * with its migratetype, its free pages (on the buddy and the per-CPU
 * lists), the migratetypes its allocations asked for and whether these
 * make it mixed; the text that buddyctl map and bbsim --map draw
 * (tools/lib/bbmap.c).  The format:
 *
 *   pageblock_map 1 page_size 4096 pages_per_block 512 region_pages N
 *   node NID zone NAME start_pfn PFN pages N blocks N
 *   PFN TYPE FREE PAGES ALLOC STATE	(blocks lines of the zone)
 *
 * PAGES is the zone's pages in the block (fewer than pages_per_block at
 * an unaligned end), ALLOC one letter per type asked for (U, M, R, H, I;
 * "-" for none), STATE empty, pure or mixed (bb_pageblock_state()); lines
 * from '#' are comments.
 *
 * Nothing on the allocation path keeps this: bb_zone_pageblock_walk()
 * walks a zone's blocks under zone->lock, one step per allocation or free
 * block (their heads carry the order and the type asked for).  It is exact
 * when the sandbox is quiet; under load a per-CPU list may be mid-update,
 * as for the checker.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "buddybox.h"

/* the format's version, the first line's second word */
#define BB_PBMAP_VERSION	1

static const char bb_pbmap_letters[BB_MIGRATE_TYPES] = {
	[BB_MIGRATE_UNMOVABLE] = 'U',
	[BB_MIGRATE_MOVABLE] = 'M',
	[BB_MIGRATE_RECLAIMABLE] = 'R',
	[BB_MIGRATE_HIGHATOMIC] = 'H',
	[BB_MIGRATE_ISOLATE] = 'I',
};

static const char * const bb_pbmap_states[BB_NR_PB_STATES] = {
	[BB_PB_EMPTY] = "empty",
	[BB_PB_PURE] = "pure",
	[BB_PB_MIXED] = "mixed",
};

/*
 * A pageblock is mixed when it holds an allocation of a type other than
 * its own; one of a type no request has (highatomic, isolate) when its
 * allocations are of more than one type.
 */
enum bb_pageblock_state bb_pageblock_state(int mt, u8 types)
{
	if (!types)
		return BB_PB_EMPTY;
	if (mt < BB_MIGRATE_PCPTYPES)
		return types == BIT(mt) ? BB_PB_PURE : BB_PB_MIXED;
	return hweight8(types) == 1 ? BB_PB_PURE : BB_PB_MIXED;
}

/* The pageblocks @zone has a page in: the size of a walk's array. */
unsigned long bb_zone_nr_pageblocks(const struct bb_zone *zone)
{
	unsigned long first;

	if (!bb_populated_zone(zone))
		return 0;
	first = ALIGN_DOWN(zone->zone_start_pfn, BB_PAGEBLOCK_NR_PAGES);
	return DIV_ROUND_UP(bb_zone_end_pfn(zone) - first,
			    BB_PAGEBLOCK_NR_PAGES);
}

/* Add what the block of @nr pages at @pfn is to the records it covers. */
static void bb_pbmap_account(struct bb_pageblock_info *info,
			     unsigned long first, unsigned long pfn,
			     unsigned long nr, u8 flags, u8 alloc_mt)
{
	unsigned long end = pfn + nr, p, next;

	for (p = pfn; p < end; p = next) {
		struct bb_pageblock_info *pb =
			&info[(p - first) >> BB_PAGEBLOCK_ORDER];

		next = min(end, ALIGN(p + 1, BB_PAGEBLOCK_NR_PAGES));
		if (flags & (BB_PG_BUDDY | BB_PG_PCP))
			pb->nr_free += next - p;
		else if ((flags & BB_PG_ALLOC) && alloc_mt < BB_MIGRATE_TYPES)
			pb->types |= BIT(alloc_mt);
	}
}

/*
 * Fill @info, bb_zone_nr_pageblocks() records, with what each pageblock of
 * @zone is, from one pass under zone->lock.
 */
void bb_zone_pageblock_walk(struct bb_sandbox *sb, struct bb_zone *zone,
			    struct bb_pageblock_info *info)
{
	unsigned long nr = bb_zone_nr_pageblocks(zone);
	unsigned long end = bb_zone_end_pfn(zone);
	unsigned long first, pfn, i;

	if (!nr)
		return;
	first = ALIGN_DOWN(zone->zone_start_pfn, BB_PAGEBLOCK_NR_PAGES);
	for (i = 0; i < nr; i++) {
		unsigned long start = first + i * BB_PAGEBLOCK_NR_PAGES;

		info[i].pfn = max(start, zone->zone_start_pfn);
		info[i].pages = min(end, start + BB_PAGEBLOCK_NR_PAGES) -
				info[i].pfn;
		info[i].nr_free = 0;
		info[i].types = 0;
	}

	spin_lock(&zone->lock);
	for (i = 0; i < nr; i++)
		info[i].mt = bb_get_pageblock_migratetype(sb, info[i].pfn);
	for (pfn = zone->zone_start_pfn; pfn < end;) {
		struct bb_page_ext *ext = bb_pfn_to_page_ext(sb, pfn);
		u8 flags = READ_ONCE(ext->flags);
		unsigned int order = READ_ONCE(ext->order);
		unsigned long size = 1;

		/* a page in no block (one mid-update on a pcp list): skipped */
		if (flags && order < BB_MAX_ORDER)
			size = min(1UL << order, end - pfn);
		if (flags)
			bb_pbmap_account(info, first, pfn, size, flags,
					 READ_ONCE(ext->alloc_mt));
		pfn += size;
	}
	spin_unlock(&zone->lock);
}

static void bb_pbmap_show_block(struct seq_file *m,
				const struct bb_pageblock_info *pb)
{
	char alloc[BB_MIGRATE_TYPES + 1];
	unsigned int len = 0;
	int mt;

	for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
		if (pb->types & BIT(mt))
			alloc[len++] = bb_pbmap_letters[mt];
	if (!len)
		alloc[len++] = '-';
	alloc[len] = '\0';
	seq_printf(m, "%lu %s %u %u %s %s\n", pb->pfn,
		   bb_migratetype_name(pb->mt), pb->nr_free, pb->pages, alloc,
		   bb_pbmap_states[bb_pageblock_state(pb->mt, pb->types)]);
}

void bb_show_pageblock_map(struct seq_file *m, struct bb_sandbox *sb)
{
	struct bb_pageblock_info *info;
	struct bb_zone *zone;
	unsigned long nr, i;

	seq_printf(m, "pageblock_map %d page_size %lu pages_per_block %lu region_pages %lu\n",
		   BB_PBMAP_VERSION, PAGE_SIZE, BB_PAGEBLOCK_NR_PAGES,
		   sb->region.nr_pages);
	seq_puts(m, "# node NID zone NAME start_pfn PFN pages N blocks N\n");
	seq_puts(m, "# PFN TYPE FREE PAGES ALLOC STATE\n");
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		nr = bb_zone_nr_pageblocks(zone);
		if (!nr)
			continue;
		seq_printf(m, "node %d zone %s start_pfn %lu pages %lu blocks %lu\n",
			   bb_zone_to_nid(zone), zone->name,
			   zone->zone_start_pfn, zone->spanned_pages, nr);
		info = kvcalloc(nr, sizeof(*info), GFP_KERNEL);
		if (!info) {
			/* the zone's lines missing: a reader names the zone */
			seq_puts(m, "# no memory for the walk\n");
			return;
		}
		bb_zone_pageblock_walk(sb, zone, info);
		for (i = 0; i < nr; i++)
			bb_pbmap_show_block(m, &info[i]);
		kvfree(info);
		cond_resched();
	}
}
