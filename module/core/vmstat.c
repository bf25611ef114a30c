// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: what mm/vmstat.c shows of a zone, for a sandbox.
 *
 * The text of /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo,
 * /sys/kernel/debug/extfrag/ and /proc/vmstat, in the kernel's formats and
 * with the kernel's keys, written to a seq_file: the module's debugfs files
 * and bbsim print the same bytes.  Also the arithmetic of external
 * fragmentation (the unusable free index and the fragmentation index) that
 * both these files and compaction read.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddybox.h"

/* Like the kernel's pagetypeinfo: don't walk a free list any further. */
#define BB_FREECOUNT_CAP	100000

/* ---- external fragmentation ---- */

/*
 * What the free lists hold, seen from a request of @order: all free pages
 * and blocks, and the pages that sit in blocks of at least @order (each
 * such block serves 2^(its order - @order) requests, so those pages divided
 * by 2^@order are the requests that could be served now).
 */
struct bb_free_summary {
	unsigned long pages;
	unsigned long blocks;
	unsigned long pages_in_suitable;
};

static void bb_summarise_free(const unsigned long *nr_free,
			      unsigned int order, struct bb_free_summary *sum)
{
	unsigned int o;

	memset(sum, 0, sizeof(*sum));
	for (o = 0; o < BB_MAX_ORDER; o++) {
		unsigned long pages = nr_free[o] << o;

		sum->blocks += nr_free[o];
		sum->pages += pages;
		if (o >= order)
			sum->pages_in_suitable += pages;
	}
}

/* The free block counts of every order, a lockless glance. */
void bb_zone_nr_free(struct bb_zone *zone, unsigned long nr_free[BB_MAX_ORDER])
{
	unsigned int o;

	for (o = 0; o < BB_MAX_ORDER; o++)
		nr_free[o] = READ_ONCE(zone->free_area[o].nr_free);
}

/*
 * The share, in units of @scale, of free memory that sits in blocks too
 * small for @order; @none when nothing is free.
 */
static unsigned int bb_unusable_share(const struct bb_free_summary *sum,
				      unsigned int scale, unsigned int none)
{
	if (!sum->pages)
		return none;
	return div64_u64((u64)(sum->pages - sum->pages_in_suitable) * scale,
			 sum->pages);
}

/* unusable_free_index(), 0 .. 1000: 1000 also when nothing is free */
static unsigned int bb_unusable_index(const unsigned long *nr_free,
				      unsigned int order)
{
	struct bb_free_summary sum;

	bb_summarise_free(nr_free, order, &sum);
	return bb_unusable_share(&sum, 1000, 1000);
}

/* extfrag_for_order(), 0 .. 100: 0 when nothing is free */
unsigned int bb_extfrag_for_order(struct bb_zone *zone, unsigned int order)
{
	unsigned long nr_free[BB_MAX_ORDER];
	struct bb_free_summary sum;

	bb_zone_nr_free(zone, nr_free);
	bb_summarise_free(nr_free, order, &sum);
	return bb_unusable_share(&sum, 100, 0);
}

/*
 * The fragmentation index of a request of @order (__fragmentation_index()):
 * -1000 when a block would serve it, 0 when nothing at all is free;
 * otherwise 1000 less the average free block size measured in requests
 * (the free pages over the request's size, plus one, spread over the free
 * blocks, all in thousandths): near 0 the request fails for want of
 * memory, near 1000 for want of contiguity.
 */
static int bb_fragindex(const struct bb_free_summary *sum, unsigned int order)
{
	u64 requests_x1000;

	if (!sum->blocks)
		return 0;
	if (sum->pages_in_suitable)
		return -1000;
	requests_x1000 = div64_u64((u64)sum->pages * 1000, 1UL << order);
	return 1000 - (int)div64_u64(requests_x1000 + 1000, sum->blocks);
}

int bb_fragmentation_index(struct bb_zone *zone, unsigned int order)
{
	unsigned long nr_free[BB_MAX_ORDER];
	struct bb_free_summary sum;

	if (order >= BB_MAX_ORDER)
		return 0;
	bb_zone_nr_free(zone, nr_free);
	bb_summarise_free(nr_free, order, &sum);
	return bb_fragindex(&sum, order);
}

/* ---- names ---- */

static const char * const bb_pgalloc_names[BB_MAX_NR_ZONES] = {
	[BB_ZONE_DMA_IDX] = "pgalloc_dma",
	[BB_ZONE_DMA32_IDX] = "pgalloc_dma32",
	[BB_ZONE_NORMAL_IDX] = "pgalloc_normal",
	[BB_ZONE_MOVABLE_IDX] = "pgalloc_movable",
};

/* An item left without a name here is not printed. */
static const char * const bb_zone_stat_names[BB_NR_ZONE_STAT_ITEMS] = {
	[BB_PGALLOC] = "pgalloc",
	[BB_PGFREE] = "pgfree",
	[BB_ALLOC_SUCCESS] = "alloc_success",
	[BB_ALLOC_FALLBACK] = "alloc_fallback",
	[BB_ALLOC_STEAL] = "alloc_steal",
	[BB_ALLOC_CLAIM] = "alloc_claim",
	[BB_ALLOC_HIGHATOMIC_RESERVE] = "highatomic_reserve",
	[BB_ALLOC_BOOST] = "watermark_boost",
	[BB_ALLOC_SLOWPATH] = "alloc_slowpath",
};

/* The kernel's /proc/vmstat names of the sandbox-wide events. */
static const char * const bb_event_names[BB_NR_VM_EVENT_ITEMS] = {
	[BB_ALLOCSTALL_DMA] = "allocstall_dma",
	[BB_ALLOCSTALL_DMA32] = "allocstall_dma32",
	[BB_ALLOCSTALL_NORMAL] = "allocstall_normal",
	[BB_ALLOCSTALL_MOVABLE] = "allocstall_movable",
	[BB_PGSCAN_KSWAPD] = "pgscan_kswapd",
	[BB_PGSCAN_DIRECT] = "pgscan_direct",
	[BB_PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[BB_PGSTEAL_DIRECT] = "pgsteal_direct",
	[BB_PGACTIVATE] = "pgactivate",
	[BB_PGDEACTIVATE] = "pgdeactivate",
	[BB_PAGEOUTRUN] = "pageoutrun",
	[BB_KSWAPD_WAKE] = "kswapd_wake",
	[BB_KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[BB_KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[BB_DROP_PAGECACHE] = "drop_pagecache",
	[BB_PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[BB_PGMIGRATE_FAIL] = "pgmigrate_fail",
	[BB_COMPACTMIGRATE_SCANNED] = "compact_migrate_scanned",
	[BB_COMPACTFREE_SCANNED] = "compact_free_scanned",
	[BB_COMPACTISOLATED] = "compact_isolated",
	[BB_COMPACTSTALL] = "compact_stall",
	[BB_COMPACTFAIL] = "compact_fail",
	[BB_COMPACTSUCCESS] = "compact_success",
	[BB_COMPACT_STALL_NS] = "compact_stall_ns",
	[BB_KCOMPACTD_WAKE] = "compact_daemon_wake",
	[BB_KCOMPACTD_MIGRATE_SCANNED] = "compact_daemon_migrate_scanned",
	[BB_KCOMPACTD_FREE_SCANNED] = "compact_daemon_free_scanned",
	[BB_OOM_KILL] = "oom_kill",
};

static const char * const bb_fail_names[BB_NR_FAIL_REASONS] = {
	[BB_FAIL_INVALID] = "alloc_fail_invalid",
	[BB_FAIL_NO_ZONE] = "alloc_fail_no_zone",
	[BB_FAIL_WATERMARK] = "alloc_fail_watermark",
	[BB_FAIL_FRAGMENTED] = "alloc_fail_fragmented",
	[BB_FAIL_INJECTED] = "alloc_fail_injected",
};

const char *bb_migratetype_name(int mt)
{
	if (mt < 0 || mt >= BB_MIGRATE_TYPES || !bb_migratetype_names[mt])
		return "?";
	return bb_migratetype_names[mt];
}

const char *bb_zone_name(int zone_idx)
{
	if (zone_idx < 0 || zone_idx >= BB_MAX_NR_ZONES)
		return "?";
	return bb_zone_names[zone_idx];
}

/* A node without a populated zone is memoryless: pagetypeinfo skips it. */
static bool bb_node_populated(struct bb_node *pgdat)
{
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		if (bb_populated_zone(&pgdat->node_zones[z]))
			return true;
	return false;
}

/* ---- buddyinfo and extfrag ---- */

/*
 * The per-zone files of the free lists (buddyinfo and extfrag): a line for
 * every populated zone, "Node N, zone NAME " and what @cell prints of each
 * order, from counts read under the zone's lock so that a line is of one
 * moment.
 */
static void bb_show_zone_lines(struct seq_file *m, struct bb_sandbox *sb,
			       void (*cell)(struct seq_file *m,
					    const unsigned long *nr_free,
					    unsigned int order))
{
	unsigned long nr_free[BB_MAX_ORDER];
	struct bb_zone *zone;
	unsigned long flags;
	unsigned int order;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (!bb_populated_zone(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		bb_zone_nr_free(zone, nr_free);
		spin_unlock_irqrestore(&zone->lock, flags);

		seq_printf(m, "Node %d, zone %8s ", bb_zone_to_nid(zone),
			   zone->name);
		for (order = 0; order < BB_MAX_ORDER; order++)
			cell(m, nr_free, order);
		seq_putc(m, '\n');
	}
}

static void bb_buddyinfo_cell(struct seq_file *m, const unsigned long *nr_free,
			      unsigned int order)
{
	seq_printf(m, "%6lu ", nr_free[order]);
}

static void bb_unusable_cell(struct seq_file *m, const unsigned long *nr_free,
			     unsigned int order)
{
	unsigned int index = bb_unusable_index(nr_free, order);

	seq_printf(m, "%d.%03d ", index / 1000, index % 1000);
}

static void bb_fragindex_cell(struct seq_file *m, const unsigned long *nr_free,
			      unsigned int order)
{
	struct bb_free_summary sum;
	int index;

	bb_summarise_free(nr_free, order, &sum);
	index = bb_fragindex(&sum, order);
	seq_printf(m, "%2d.%03d ", index / 1000, index % 1000);
}

void bb_show_buddyinfo(struct seq_file *m, struct bb_sandbox *sb)
{
	bb_show_zone_lines(m, sb, bb_buddyinfo_cell);
}

/* extfrag/unusable_index (@unusable) or extfrag/extfrag_index */
void bb_show_extfrag(struct seq_file *m, struct bb_sandbox *sb, bool unusable)
{
	bb_show_zone_lines(m, sb, unusable ? bb_unusable_cell :
			   bb_fragindex_cell);
}

/* ---- pagetypeinfo ---- */

static void bb_show_free_lists(struct seq_file *m, struct bb_zone *zone)
{
	unsigned long count[BB_MAX_ORDER];
	bool overflow[BB_MAX_ORDER];
	unsigned long flags;
	unsigned int order;
	int mt;

	for (mt = 0; mt < BB_MIGRATE_TYPES; mt++) {
		for (order = 0; order < BB_MAX_ORDER; order++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];
			struct list_head *pos;

			count[order] = 0;
			overflow[order] = false;
			/* one list at a time: don't hold the lock for long */
			spin_lock_irqsave(&zone->lock, flags);
			list_for_each(pos, list) {
				if (++count[order] >= BB_FREECOUNT_CAP) {
					overflow[order] = true;
					break;
				}
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			cond_resched();
		}
		seq_printf(m, "Node %4d, zone %8s, type %12s ", bb_zone_to_nid(zone),
			   zone->name, bb_migratetype_name(mt));
		for (order = 0; order < BB_MAX_ORDER; order++)
			seq_printf(m, "%s%6lu ", overflow[order] ? ">" : "",
				   count[order]);
		seq_putc(m, '\n');
	}
}

static void bb_show_block_counts(struct seq_file *m, struct bb_sandbox *sb,
				 struct bb_zone *zone)
{
	unsigned long count[BB_MIGRATE_TYPES] = { };
	unsigned long end = bb_zone_end_pfn(zone);
	unsigned long flags, pfn;
	int mt;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = zone->zone_start_pfn; pfn < end; pfn += BB_PAGEBLOCK_NR_PAGES) {
		mt = bb_get_pageblock_migratetype(sb, pfn);
		if (mt >= 0 && mt < BB_MIGRATE_TYPES)
			count[mt]++;
	}
	spin_unlock_irqrestore(&zone->lock, flags);

	seq_printf(m, "Node %d, zone %8s ", bb_zone_to_nid(zone), zone->name);
	for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

/* As the kernel's: the whole report once per node with memory. */
void bb_show_pagetypeinfo(struct seq_file *m, struct bb_sandbox *sb)
{
	unsigned int order;
	int nid, z, mt;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];

		if (!bb_node_populated(pgdat))
			continue;

		seq_printf(m, "Page block order: %d\n", BB_PAGEBLOCK_ORDER);
		seq_printf(m, "Pages per block:  %lu\n", BB_PAGEBLOCK_NR_PAGES);
		seq_putc(m, '\n');

		seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
		for (order = 0; order < BB_MAX_ORDER; order++)
			seq_printf(m, "%6u ", order);
		seq_putc(m, '\n');
		for (z = 0; z < BB_MAX_NR_ZONES; z++)
			if (bb_populated_zone(&pgdat->node_zones[z]))
				bb_show_free_lists(m, &pgdat->node_zones[z]);

		seq_printf(m, "\n%-23s", "Number of blocks type ");
		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
			seq_printf(m, "%12s ", bb_migratetype_name(mt));
		seq_putc(m, '\n');
		for (z = 0; z < BB_MAX_NR_ZONES; z++)
			if (bb_populated_zone(&pgdat->node_zones[z]))
				bb_show_block_counts(m, sb, &pgdat->node_zones[z]);
	}
}

/* ---- zoneinfo ---- */

/* zone_stat_name() of NR_ZONE_INACTIVE_FILE and NR_ZONE_ACTIVE_FILE */
static const char * const bb_zone_lru_names[BB_NR_LRU_LISTS] = {
	[BB_LRU_INACTIVE_FILE] = "nr_zone_inactive_file",
	[BB_LRU_ACTIVE_FILE] = "nr_zone_active_file",
};

/* numa_stat_name(), without numa_interleave (see bb_numa_stat_item) */
static const char * const bb_numa_stat_names[BB_NR_NUMA_STAT_ITEMS] = {
	[BB_NUMA_HIT] = "numa_hit",
	[BB_NUMA_MISS] = "numa_miss",
	[BB_NUMA_FOREIGN] = "numa_foreign",
	[BB_NUMA_LOCAL] = "numa_local",
	[BB_NUMA_OTHER] = "numa_other",
};

/* What zoneinfo prints of a zone's watermarks, read at once. */
struct bb_zone_snap {
	unsigned long nr_free_pages;
	unsigned long nr_free_pages_blocks;
	unsigned long boost;
	unsigned long wmark[BB_NR_WMARK];
	long lowmem_reserve[BB_MAX_NR_ZONES];
};

static void bb_snap_zone(struct bb_sandbox *sb, struct bb_zone *zone,
			 struct bb_zone_snap *snap)
{
	unsigned long flags;
	int i;

	/* the tunables' setters take tunable_lock, then the zone's lock */
	mutex_lock(&sb->tunable_lock);
	spin_lock_irqsave(&zone->lock, flags);
	snap->nr_free_pages = zone->nr_free_pages;
	snap->nr_free_pages_blocks = zone->nr_free_pages_blocks;
	snap->boost = zone->watermark_boost;
	for (i = 0; i < BB_NR_WMARK; i++)
		snap->wmark[i] = bb_wmark_pages(zone, i);
	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		snap->lowmem_reserve[i] = zone->lowmem_reserve[i];
	spin_unlock_irqrestore(&zone->lock, flags);
	mutex_unlock(&sb->tunable_lock);
}

static bool bb_first_populated(struct bb_node *pgdat, struct bb_zone *zone)
{
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		if (bb_populated_zone(&pgdat->node_zones[z]))
			return zone == &pgdat->node_zones[z];
	return false;
}

static void bb_show_node_stats(struct seq_file *m, struct bb_node *pgdat)
{
	unsigned long free = 0;
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		free += READ_ONCE(pgdat->node_zones[z].nr_free_pages);

	seq_puts(m, "\n  per-node stats");
	/* the kernel's node counters first: its anon lists have no meaning */
	seq_printf(m, "\n      %-12s %lu", "nr_inactive_file",
		   READ_ONCE(pgdat->lruvec.nr_pages[BB_LRU_INACTIVE_FILE]));
	seq_printf(m, "\n      %-12s %lu", "nr_active_file",
		   READ_ONCE(pgdat->lruvec.nr_pages[BB_LRU_ACTIVE_FILE]));
	seq_printf(m, "\n      %-12s %lu", "node_start_pfn", pgdat->node_start_pfn);
	seq_printf(m, "\n      %-12s %lu", "node_spanned", pgdat->node_spanned_pages);
	seq_printf(m, "\n      %-12s %lu", "node_free_pages", free);
}

/* the per-CPU lists, as zoneinfo prints them */
static void bb_show_pagesets(struct seq_file *m, struct bb_zone *zone)
{
	int cpu;

	seq_puts(m, "\n  pagesets");
	for_each_online_cpu(cpu) {
		struct bb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		seq_printf(m, "\n    cpu: %i", cpu);
		seq_printf(m, "\n              count: %i", READ_ONCE(pcp->count));
		seq_printf(m, "\n              high:  %i", READ_ONCE(pcp->high));
		seq_printf(m, "\n              batch: %i", READ_ONCE(pcp->batch));
	}
}

static void bb_show_zone(struct seq_file *m, struct bb_sandbox *sb,
			 struct bb_node *pgdat, struct bb_zone *zone)
{
	struct bb_zone_snap snap;
	int i;

	bb_snap_zone(sb, zone, &snap);

	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (bb_first_populated(pgdat, zone))
		bb_show_node_stats(m, pgdat);

	seq_printf(m, "\n  pages free     %lu", snap.nr_free_pages);
	seq_printf(m, "\n        boost    %lu", snap.boost);
	seq_printf(m, "\n        min      %lu", snap.wmark[BB_WMARK_MIN]);
	seq_printf(m, "\n        low      %lu", snap.wmark[BB_WMARK_LOW]);
	seq_printf(m, "\n        high     %lu", snap.wmark[BB_WMARK_HIGH]);
	seq_printf(m, "\n        spanned  %lu", zone->spanned_pages);
	/* the region has no holes: every spanned page is present */
	seq_printf(m, "\n        present  %lu", zone->spanned_pages);
	seq_printf(m, "\n        managed  %lu", zone->managed_pages);
	seq_printf(m, "\n        cma      %lu", 0UL);

	seq_printf(m, "\n        protection: (%ld", snap.lowmem_reserve[0]);
	for (i = 1; i < BB_MAX_NR_ZONES; i++)
		seq_printf(m, ", %ld", snap.lowmem_reserve[i]);
	seq_putc(m, ')');

	/* nothing else means anything for an empty zone */
	if (!bb_populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}

	seq_printf(m, "\n      %-12s %lu", "nr_free_pages", snap.nr_free_pages);
	/* 6.15's NR_FREE_PAGES_BLOCKS follows it there */
	if (bb_fallback_615(sb))
		seq_printf(m, "\n      %-12s %lu", "nr_free_pages_blocks",
			   snap.nr_free_pages_blocks);
	/* the kernel's anon lists, between, have no sandbox meaning */
	for (i = 0; i < BB_NR_LRU_LISTS; i++)
		seq_printf(m, "\n      %-12s %lu", bb_zone_lru_names[i],
			   bb_zone_lru_pages(zone, i));
	/* the kernel's zone counters end here; its NUMA events follow */
	for (i = 0; i < BB_NR_NUMA_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", bb_numa_stat_names[i],
			   bb_zone_numa_stat(zone, i));
	for (i = 0; i < BB_NR_ZONE_STAT_ITEMS; i++) {
		if (!bb_zone_stat_names[i])
			continue;
		seq_printf(m, "\n      %-12s %lu", bb_zone_stat_names[i],
			   bb_zone_stat(zone, i));
	}
	seq_printf(m, "\n      %-12s %u", "compact_considered",
		   READ_ONCE(zone->compact_considered));
	seq_printf(m, "\n      %-12s %u", "compact_defer_shift",
		   READ_ONCE(zone->compact_defer_shift));
	seq_printf(m, "\n      %-12s %d", "compact_order_failed",
		   READ_ONCE(zone->compact_order_failed));
	bb_show_pagesets(m, zone);
	seq_printf(m, "\n  node_unreclaimable:  %u",
		   bb_pgdat_unreclaimable(pgdat));
	seq_printf(m, "\n  start_pfn:           %lu", zone->zone_start_pfn);
	seq_putc(m, '\n');
}

/* Every zone, populated or not, like the kernel's. */
void bb_show_zoneinfo(struct seq_file *m, struct bb_sandbox *sb)
{
	int nid, z;

	for (nid = 0; nid < sb->nr_nodes; nid++)
		for (z = 0; z < BB_MAX_NR_ZONES; z++)
			bb_show_zone(m, sb, &sb->node[nid],
				     &sb->node[nid].node_zones[z]);
}

/* ---- vmstat ---- */

static unsigned long bb_sum_zone_stat(struct bb_sandbox *sb,
				      enum bb_zone_stat_item item)
{
	unsigned long sum = 0;
	struct bb_zone *zone;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		sum += bb_zone_stat(zone, item);
	return sum;
}

void bb_show_vmstat(struct seq_file *m, struct bb_sandbox *sb)
{
	struct bb_zone *zone;
	unsigned long sum;
	int nid, z, i;

	for (z = 0; z < BB_MAX_NR_ZONES; z++) {
		sum = 0;
		for (nid = 0; nid < sb->nr_nodes; nid++)
			sum += bb_zone_stat(&sb->node[nid].node_zones[z], BB_PGALLOC);
		seq_printf(m, "%s %lu\n", bb_pgalloc_names[z], sum);
	}
	for (i = 0; i < BB_NR_ZONE_STAT_ITEMS; i++) {
		/* pgalloc is the per zone type lines above */
		if (i == BB_PGALLOC || !bb_zone_stat_names[i])
			continue;
		seq_printf(m, "%s %lu\n", bb_zone_stat_names[i],
			   bb_sum_zone_stat(sb, i));
	}
	for (i = 0; i < BB_NR_FAIL_REASONS; i++)
		seq_printf(m, "%s %lu\n", bb_fail_names[i],
			   (unsigned long)atomic_long_read(&sb->alloc_fail[i]));
	for (i = 0; i < BB_NR_VM_EVENT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", bb_event_names[i],
			   bb_sum_event(sb, i));
	seq_printf(m, "nr_free_pages %lu\n", bb_sandbox_free_pages(sb));
	if (bb_fallback_615(sb)) {
		sum = 0;
		for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
			sum += READ_ONCE(zone->nr_free_pages_blocks);
		seq_printf(m, "nr_free_pages_blocks %lu\n", sum);
	}
	/* the zone counters, then the node counters, as /proc/vmstat */
	for (i = 0; i < BB_NR_LRU_LISTS; i++) {
		sum = 0;
		for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
			sum += bb_zone_lru_pages(zone, i);
		seq_printf(m, "%s %lu\n", bb_zone_lru_names[i], sum);
	}
	for (i = 0; i < BB_NR_NUMA_STAT_ITEMS; i++) {
		sum = 0;
		for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
			sum += bb_zone_numa_stat(zone, i);
		seq_printf(m, "%s %lu\n", bb_numa_stat_names[i], sum);
	}
	for (i = 0; i < BB_NR_LRU_LISTS; i++) {
		sum = 0;
		for (nid = 0; nid < sb->nr_nodes; nid++)
			sum += READ_ONCE(sb->node[nid].lruvec.nr_pages[i]);
		seq_printf(m, "%s %lu\n", i == BB_LRU_INACTIVE_FILE ?
			   "nr_inactive_file" : "nr_active_file", sum);
	}
	seq_printf(m, "region_pages %lu\n", sb->region.nr_pages);
}

/* ---- check ---- */

/* The checker's report, or "ok"; -ENOMEM if there is no room to write it. */
int bb_show_check(struct seq_file *m, struct bb_sandbox *sb)
{
	struct bb_check_report rep = { };

	rep.size = BB_CHECK_REPORT_SIZE;
	rep.buf = kvmalloc(rep.size, GFP_KERNEL);
	if (!rep.buf)
		return -ENOMEM;

	if (!bb_check(sb, &rep))
		seq_puts(m, "ok\n");
	else if (rep.len)
		seq_write(m, rep.buf, min(rep.len, rep.size));
	else
		seq_printf(m, "%u problems\n", rep.problems);

	kvfree(rep.buf);
	return 0;
}
