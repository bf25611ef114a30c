// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the debugfs interface, /sys/kernel/debug/buddybox/.
 *
 * A thin layer over the core: it formats what the core keeps and parses
 * what the user writes, nothing else.
 *
 *   buddyinfo, pagetypeinfo, zoneinfo	as /proc/buddyinfo, /proc/pagetypeinfo
 *					and /proc/zoneinfo
 *   extfrag/unusable_index,
 *   extfrag/extfrag_index		as /sys/kernel/debug/extfrag/
 *   vmstat				the sandbox's counters, "name value"
 *   min_free_kbytes, watermark_scale_factor,
 *   watermark_boost_factor,
 *   percpu_pagelist_high_fraction,
 *   lowmem_reserve_ratio		the tunables, as in /proc/sys/vm/
 *   percpu_pagelist_batch		pcp->batch of every zone, 0: the default
 *   check				runs the consistency checker
 *   control				alloc/free commands (write only)
 *   allocations			what control allocated and still holds
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "buddybox.h"
#include "bench.h"
#include "debugfs.h"

/* The buffer the consistency checker writes its report to. */
#define BB_DBG_CHECK_BUF_SIZE	(PAGE_SIZE * 4)
/* The longest write taken by control and lowmem_reserve_ratio. */
#define BB_DBG_CONTROL_MAX	PAGE_SIZE
#define BB_DBG_RATIO_MAX	256
/* Like the kernel's pagetypeinfo: don't walk a free list any further. */
#define BB_DBG_FREECOUNT_CAP	100000
/* alloc count=N */
#define BB_DBG_MAX_COUNT	BIT(20)

static struct bb_sandbox *bb_dbg_sb;
static struct dentry *bb_dbg_dir;

/* The allocations made through control belong to the module. */
static struct bb_owner control_owner;
/* Serialises control's writes, so that "free all" and count=N are whole. */
static DEFINE_MUTEX(control_lock);

static const char * const bb_dbg_pgalloc_names[BB_MAX_NR_ZONES] = {
	[BB_ZONE_DMA_IDX] = "pgalloc_dma",
	[BB_ZONE_DMA32_IDX] = "pgalloc_dma32",
	[BB_ZONE_NORMAL_IDX] = "pgalloc_normal",
	[BB_ZONE_MOVABLE_IDX] = "pgalloc_movable",
};

/* An item left without a name here is not printed. */
static const char * const bb_dbg_zone_stat_names[BB_NR_ZONE_STAT_ITEMS] = {
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
static const char * const bb_dbg_event_names[BB_NR_VM_EVENT_ITEMS] = {
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

static const char * const bb_dbg_fail_names[BB_NR_FAIL_REASONS] = {
	[BB_FAIL_INVALID] = "alloc_fail_invalid",
	[BB_FAIL_NO_ZONE] = "alloc_fail_no_zone",
	[BB_FAIL_WATERMARK] = "alloc_fail_watermark",
	[BB_FAIL_FRAGMENTED] = "alloc_fail_fragmented",
};

static const char *bb_dbg_mt_name(int mt)
{
	if (mt < 0 || mt >= BB_MIGRATE_TYPES || !bb_migratetype_names[mt])
		return "?";
	return bb_migratetype_names[mt];
}

static const char *bb_dbg_zone_name(int zone_idx)
{
	if (zone_idx < 0 || zone_idx >= BB_MAX_NR_ZONES || !bb_zone_names[zone_idx])
		return "?";
	return bb_zone_names[zone_idx];
}

/* A node without a populated zone is memoryless: pagetypeinfo skips it. */
static bool bb_dbg_node_populated(struct bb_node *pgdat)
{
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		if (bb_populated_zone(&pgdat->node_zones[z]))
			return true;
	return false;
}

/* The free block counts of every order, read under the zone's lock. */
static void bb_dbg_read_nr_free(struct bb_zone *zone,
				unsigned long nr_free[BB_MAX_ORDER])
{
	unsigned long flags;
	unsigned int order;

	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < BB_MAX_ORDER; order++)
		nr_free[order] = zone->free_area[order].nr_free;
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* buddyinfo */

static int buddyinfo_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	unsigned long nr_free[BB_MAX_ORDER];
	struct bb_zone *zone;
	unsigned int order;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (!bb_populated_zone(zone))
			continue;
		bb_dbg_read_nr_free(zone, nr_free);
		seq_printf(m, "Node %d, zone %8s ", bb_zone_to_nid(zone),
			   zone->name);
		for (order = 0; order < BB_MAX_ORDER; order++)
			seq_printf(m, "%6lu ", nr_free[order]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(buddyinfo);

/* pagetypeinfo */

static void bb_dbg_show_free_lists(struct seq_file *m, struct bb_node *pgdat,
				   struct bb_zone *zone)
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
				if (++count[order] >= BB_DBG_FREECOUNT_CAP) {
					overflow[order] = true;
					break;
				}
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			cond_resched();
		}
		seq_printf(m, "Node %4d, zone %8s, type %12s ", pgdat->node_id,
			   zone->name, bb_dbg_mt_name(mt));
		for (order = 0; order < BB_MAX_ORDER; order++)
			seq_printf(m, "%s%6lu ", overflow[order] ? ">" : "",
				   count[order]);
		seq_putc(m, '\n');
	}
}

static void bb_dbg_show_block_counts(struct seq_file *m, struct bb_sandbox *sb,
				     struct bb_node *pgdat, struct bb_zone *zone)
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

	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

/* As the kernel's: the whole report once per node with memory. */
static int pagetypeinfo_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	unsigned int order;
	int nid, z, mt;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];

		if (!bb_dbg_node_populated(pgdat))
			continue;

		seq_printf(m, "Page block order: %d\n", BB_PAGEBLOCK_ORDER);
		seq_printf(m, "Pages per block:  %lu\n", BB_PAGEBLOCK_NR_PAGES);
		seq_putc(m, '\n');

		seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
		for (order = 0; order < BB_MAX_ORDER; order++)
			seq_printf(m, "%6u ", order);
		seq_putc(m, '\n');
		for (z = 0; z < BB_MAX_NR_ZONES; z++) {
			struct bb_zone *zone = &pgdat->node_zones[z];

			if (bb_populated_zone(zone))
				bb_dbg_show_free_lists(m, pgdat, zone);
		}

		seq_printf(m, "\n%-23s", "Number of blocks type ");
		for (mt = 0; mt < BB_MIGRATE_TYPES; mt++)
			seq_printf(m, "%12s ", bb_dbg_mt_name(mt));
		seq_putc(m, '\n');
		for (z = 0; z < BB_MAX_NR_ZONES; z++) {
			struct bb_zone *zone = &pgdat->node_zones[z];

			if (bb_populated_zone(zone))
				bb_dbg_show_block_counts(m, sb, pgdat, zone);
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pagetypeinfo);

/* zoneinfo */

/* What zoneinfo prints of a zone, read at once. */
struct bb_dbg_zone_snap {
	unsigned long nr_free_pages;
	unsigned long boost;
	unsigned long wmark[BB_NR_WMARK];
	long lowmem_reserve[BB_MAX_NR_ZONES];
};

static void bb_dbg_snap_zone(struct bb_sandbox *sb, struct bb_zone *zone,
			     struct bb_dbg_zone_snap *snap)
{
	unsigned long flags;
	int i;

	/* the tunables' setters take tunable_lock, then the zone's lock */
	mutex_lock(&sb->tunable_lock);
	spin_lock_irqsave(&zone->lock, flags);
	snap->nr_free_pages = zone->nr_free_pages;
	snap->boost = zone->watermark_boost;
	for (i = 0; i < BB_NR_WMARK; i++)
		snap->wmark[i] = bb_wmark_pages(zone, i);
	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		snap->lowmem_reserve[i] = zone->lowmem_reserve[i];
	spin_unlock_irqrestore(&zone->lock, flags);
	mutex_unlock(&sb->tunable_lock);
}

static bool bb_dbg_first_populated(struct bb_node *pgdat, struct bb_zone *zone)
{
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		if (bb_populated_zone(&pgdat->node_zones[z]))
			return zone == &pgdat->node_zones[z];
	return false;
}

static void bb_dbg_show_node_stats(struct seq_file *m, struct bb_node *pgdat)
{
	unsigned long free = 0;
	int z;

	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		free += READ_ONCE(pgdat->node_zones[z].nr_free_pages);

	seq_puts(m, "\n  per-node stats");
	seq_printf(m, "\n      %-12s %lu", "node_start_pfn", pgdat->node_start_pfn);
	seq_printf(m, "\n      %-12s %lu", "node_spanned", pgdat->node_spanned_pages);
	seq_printf(m, "\n      %-12s %lu", "node_free_pages", free);
}

/* the per-CPU lists, as zoneinfo prints them */
static void bb_dbg_show_pagesets(struct seq_file *m, struct bb_zone *zone)
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

static void bb_dbg_show_zone(struct seq_file *m, struct bb_sandbox *sb,
			     struct bb_node *pgdat, struct bb_zone *zone)
{
	struct bb_dbg_zone_snap snap;
	int i;

	bb_dbg_snap_zone(sb, zone, &snap);

	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (bb_dbg_first_populated(pgdat, zone))
		bb_dbg_show_node_stats(m, pgdat);

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
	for (i = 0; i < BB_NR_ZONE_STAT_ITEMS; i++) {
		if (!bb_dbg_zone_stat_names[i])
			continue;
		seq_printf(m, "\n      %-12s %lu", bb_dbg_zone_stat_names[i],
			   bb_zone_stat(zone, i));
	}
	seq_printf(m, "\n      %-12s %u", "compact_considered",
		   READ_ONCE(zone->compact_considered));
	seq_printf(m, "\n      %-12s %u", "compact_defer_shift",
		   READ_ONCE(zone->compact_defer_shift));
	seq_printf(m, "\n      %-12s %d", "compact_order_failed",
		   READ_ONCE(zone->compact_order_failed));
	bb_dbg_show_pagesets(m, zone);
	seq_printf(m, "\n  start_pfn:           %lu", zone->zone_start_pfn);
	seq_putc(m, '\n');
}

/* Every zone, populated or not, like the kernel's. */
static int zoneinfo_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	int nid, z;

	for (nid = 0; nid < sb->nr_nodes; nid++)
		for (z = 0; z < BB_MAX_NR_ZONES; z++)
			bb_dbg_show_zone(m, sb, &sb->node[nid],
					 &sb->node[nid].node_zones[z]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zoneinfo);

/* extfrag: the arithmetic of mm/vmstat.c */

struct bb_dbg_contig_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void bb_dbg_fill_contig_info(const unsigned long nr_free[BB_MAX_ORDER],
				    unsigned int suitable_order,
				    struct bb_dbg_contig_info *info)
{
	unsigned int order;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (order = 0; order < BB_MAX_ORDER; order++) {
		unsigned long blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/* unusable_free_index(): the part of free memory too small for @order. */
static int bb_dbg_unusable_index(unsigned int order,
				 const struct bb_dbg_contig_info *info)
{
	/* no free memory at all counts as all of it unusable */
	if (!info->free_pages)
		return 1000;
	return (int)div64_u64((info->free_pages -
			       (info->free_blocks_suitable << order)) * 1000ULL,
			      info->free_pages);
}

static void bb_dbg_show_extfrag(struct seq_file *m, bool unusable)
{
	struct bb_sandbox *sb = m->private;
	unsigned long nr_free[BB_MAX_ORDER];
	struct bb_dbg_contig_info info;
	struct bb_zone *zone;
	unsigned int order;
	int index;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (!bb_populated_zone(zone))
			continue;
		bb_dbg_read_nr_free(zone, nr_free);
		seq_printf(m, "Node %d, zone %8s ", bb_zone_to_nid(zone),
			   zone->name);
		for (order = 0; order < BB_MAX_ORDER; order++) {
			bb_dbg_fill_contig_info(nr_free, order, &info);
			if (unusable) {
				index = bb_dbg_unusable_index(order, &info);
				seq_printf(m, "%d.%03d ", index / 1000, index % 1000);
			} else {
				index = bb_fragmentation_index(zone, order);
				seq_printf(m, "%2d.%03d ", index / 1000, index % 1000);
			}
		}
		seq_putc(m, '\n');
	}
}

static int unusable_index_show(struct seq_file *m, void *v)
{
	bb_dbg_show_extfrag(m, true);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(unusable_index);

static int extfrag_index_show(struct seq_file *m, void *v)
{
	bb_dbg_show_extfrag(m, false);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(extfrag_index);

/* vmstat */

static unsigned long bb_dbg_sum_stat(struct bb_sandbox *sb,
				     enum bb_zone_stat_item item)
{
	unsigned long sum = 0;
	struct bb_zone *zone;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		sum += bb_zone_stat(zone, item);
	return sum;
}

static int vmstat_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	unsigned long sum;
	int nid, z, i;

	for (z = 0; z < BB_MAX_NR_ZONES; z++) {
		sum = 0;
		for (nid = 0; nid < sb->nr_nodes; nid++)
			sum += bb_zone_stat(&sb->node[nid].node_zones[z], BB_PGALLOC);
		seq_printf(m, "%s %lu\n", bb_dbg_pgalloc_names[z], sum);
	}
	for (i = 0; i < BB_NR_ZONE_STAT_ITEMS; i++) {
		/* pgalloc is the per zone type lines above */
		if (i == BB_PGALLOC || !bb_dbg_zone_stat_names[i])
			continue;
		seq_printf(m, "%s %lu\n", bb_dbg_zone_stat_names[i],
			   bb_dbg_sum_stat(sb, i));
	}
	for (i = 0; i < BB_NR_FAIL_REASONS; i++) {
		if (!bb_dbg_fail_names[i])
			continue;
		seq_printf(m, "%s %lu\n", bb_dbg_fail_names[i],
			   (unsigned long)atomic_long_read(&sb->alloc_fail[i]));
	}
	for (i = 0; i < BB_NR_VM_EVENT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", bb_dbg_event_names[i],
			   bb_sum_event(sb, i));
	seq_printf(m, "nr_free_pages %lu\n", bb_sandbox_free_pages(sb));
	for (i = 0; i < BB_NR_LRU_LISTS; i++) {
		sum = 0;
		for (nid = 0; nid < sb->nr_nodes; nid++)
			sum += READ_ONCE(sb->node[nid].lruvec.nr_pages[i]);
		seq_printf(m, "%s %lu\n", i == BB_LRU_INACTIVE_FILE ?
			   "nr_inactive_file" : "nr_active_file", sum);
	}
	seq_printf(m, "region_pages %lu\n", sb->region.nr_pages);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmstat);

/* the integer tunables */

struct bb_dbg_tunable {
	const char *name;
	size_t offset;		/* of the int in struct bb_sandbox */
	int (*set)(struct bb_sandbox *sb, int val);
};

static const struct bb_dbg_tunable bb_dbg_tunables[] = {
	{
		.name = "min_free_kbytes",
		.offset = offsetof(struct bb_sandbox, min_free_kbytes),
		.set = bb_set_min_free_kbytes,
	}, {
		.name = "watermark_scale_factor",
		.offset = offsetof(struct bb_sandbox, watermark_scale_factor),
		.set = bb_set_watermark_scale_factor,
	}, {
		.name = "watermark_boost_factor",
		.offset = offsetof(struct bb_sandbox, watermark_boost_factor),
		.set = bb_set_watermark_boost_factor,
	}, {
		.name = "percpu_pagelist_high_fraction",
		.offset = offsetof(struct bb_sandbox,
				   percpu_pagelist_high_fraction),
		.set = bb_set_percpu_pagelist_high_fraction,
	}, {
		.name = "compaction_proactiveness",
		.offset = offsetof(struct bb_sandbox, compaction_proactiveness),
		.set = bb_set_compaction_proactiveness,
	}, {
		.name = "extfrag_threshold",
		.offset = offsetof(struct bb_sandbox, extfrag_threshold),
		.set = bb_set_extfrag_threshold,
	}, {
		.name = "percpu_pagelist_batch",
		.offset = offsetof(struct bb_sandbox, percpu_pagelist_batch),
		.set = bb_set_percpu_pagelist_batch,
	},
};

static int bb_dbg_tunable_show(struct seq_file *m, void *v)
{
	const struct bb_dbg_tunable *t = m->private;
	const int *val = (const int *)((const char *)bb_dbg_sb + t->offset);

	seq_printf(m, "%d\n", READ_ONCE(*val));
	return 0;
}

static int bb_dbg_tunable_open(struct inode *inode, struct file *file)
{
	return single_open(file, bb_dbg_tunable_show, inode->i_private);
}

static ssize_t bb_dbg_tunable_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	const struct bb_dbg_tunable *t = m->private;
	int val, ret;

	if (!count)
		return 0;
	ret = kstrtoint_from_user(ubuf, count, 10, &val);
	if (ret)
		return ret == -EFAULT ? -EFAULT : -EINVAL;
	ret = t->set(bb_dbg_sb, val);
	if (ret)
		return ret;
	return count;
}

static const struct file_operations bb_dbg_tunable_fops = {
	.owner = THIS_MODULE,
	.open = bb_dbg_tunable_open,
	.read = seq_read,
	.write = bb_dbg_tunable_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* lowmem_reserve_ratio: one integer per zone type, as the sysctl */

static int lowmem_reserve_ratio_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	int ratio[BB_MAX_NR_ZONES];
	int i;

	mutex_lock(&sb->tunable_lock);
	memcpy(ratio, sb->lowmem_reserve_ratio, sizeof(ratio));
	mutex_unlock(&sb->tunable_lock);

	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		seq_printf(m, "%s%d", i ? "\t" : "", ratio[i]);
	seq_putc(m, '\n');
	return 0;
}

static int lowmem_reserve_ratio_open(struct inode *inode, struct file *file)
{
	return single_open(file, lowmem_reserve_ratio_show, inode->i_private);
}

/* The next non-empty token of @s split at @delim, or NULL at the end. */
static char *bb_dbg_next_token(char **s, const char *delim)
{
	char *tok;

	while ((tok = strsep(s, delim)))
		if (*tok)
			return tok;
	return NULL;
}

static ssize_t lowmem_reserve_ratio_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct bb_sandbox *sb = m->private;
	int ratio[BB_MAX_NR_ZONES];
	char *buf, *p, *tok;
	int n = 0, ret = 0;

	if (!count)
		return 0;
	if (count > BB_DBG_RATIO_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* a NUL inside the write would hide what follows it */
	if (strlen(buf) != count) {
		kfree(buf);
		return -EINVAL;
	}

	p = buf;
	while ((tok = bb_dbg_next_token(&p, " \t\n"))) {
		if (n == BB_MAX_NR_ZONES || kstrtoint(tok, 10, &ratio[n]) ||
		    ratio[n] < 0) {
			ret = -EINVAL;
			break;
		}
		n++;
	}
	if (!ret && n != BB_MAX_NR_ZONES)
		ret = -EINVAL;
	kfree(buf);
	if (!ret)
		ret = bb_set_lowmem_reserve_ratio(sb, ratio);
	return ret ? ret : count;
}

static const struct file_operations lowmem_reserve_ratio_fops = {
	.owner = THIS_MODULE,
	.open = lowmem_reserve_ratio_open,
	.read = seq_read,
	.write = lowmem_reserve_ratio_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* check */

static int check_show(struct seq_file *m, void *v)
{
	struct bb_check_report rep = { };

	rep.size = BB_DBG_CHECK_BUF_SIZE;
	rep.buf = kvmalloc(rep.size, GFP_KERNEL);
	if (!rep.buf)
		return -ENOMEM;

	if (!bb_check(m->private, &rep))
		seq_puts(m, "ok\n");
	else if (rep.len)
		seq_write(m, rep.buf, min(rep.len, rep.size));
	else
		seq_printf(m, "%u problems\n", rep.problems);

	kvfree(rep.buf);
	return 0;
}

/* Big enough for the whole report: seq_read would run show() again. */
static int check_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, check_show, inode->i_private,
				BB_DBG_CHECK_BUF_SIZE);
}

static const struct file_operations check_fops = {
	.owner = THIS_MODULE,
	.open = check_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* control */

enum bb_ctl_op {
	BB_CTL_ALLOC,
	BB_CTL_FREE,
	BB_CTL_FREE_ALL,
	BB_CTL_DRAIN,
	BB_CTL_COMPACT,
	BB_CTL_RECLAIM,
	BB_CTL_DROP_CACHES,
};

struct bb_ctl_cmd {
	enum bb_ctl_op op;
	unsigned int order;
	bb_gfp_t gfp;
	int nid;
	unsigned int count;
	u32 handle;
	u32 flags;		/* alloc: BB_ALLOC_F_CACHE */
	int zone_idx;		/* compact: -1 for every zone */
	unsigned long pages;	/* reclaim */
};

#define BB_CTL_KEY_ORDER	BIT(0)
#define BB_CTL_KEY_GFP		BIT(1)
#define BB_CTL_KEY_NID		BIT(2)
#define BB_CTL_KEY_COUNT	BIT(3)
#define BB_CTL_KEY_FLAGS	BIT(4)

/* alloc order=N gfp=SPEC [nid=N] [count=N] */
static int bb_ctl_parse_alloc(char **line, struct bb_ctl_cmd *cmd)
{
	unsigned int seen = 0, key;
	char *tok, *val;
	int err;

	cmd->op = BB_CTL_ALLOC;
	cmd->nid = -1;
	cmd->count = 1;
	while ((tok = bb_dbg_next_token(line, " \t"))) {
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';

		if (!strcmp(tok, "order")) {
			key = BB_CTL_KEY_ORDER;
			err = kstrtouint(val, 10, &cmd->order);
			if (!err && cmd->order >= BB_MAX_ORDER)
				err = -EINVAL;
		} else if (!strcmp(tok, "gfp")) {
			key = BB_CTL_KEY_GFP;
			err = bb_parse_gfp(val, &cmd->gfp);
		} else if (!strcmp(tok, "nid")) {
			key = BB_CTL_KEY_NID;
			err = kstrtoint(val, 10, &cmd->nid);
			if (!err && (cmd->nid < 0 || cmd->nid >= bb_dbg_sb->nr_nodes))
				err = -EINVAL;
		} else if (!strcmp(tok, "flags")) {
			key = BB_CTL_KEY_FLAGS;
			err = strcmp(val, "cache") ? -EINVAL : 0;
			cmd->flags = BB_ALLOC_F_CACHE;
		} else if (!strcmp(tok, "count")) {
			key = BB_CTL_KEY_COUNT;
			err = kstrtouint(val, 10, &cmd->count);
			if (!err && (!cmd->count || cmd->count > BB_DBG_MAX_COUNT))
				err = -EINVAL;
		} else {
			return -EINVAL;
		}
		if (err || (seen & key))
			return -EINVAL;
		seen |= key;
	}
	if (!(seen & BB_CTL_KEY_ORDER) || !(seen & BB_CTL_KEY_GFP))
		return -EINVAL;
	return 0;
}

/* free handle=H | free all */
static int bb_ctl_parse_free(char **line, struct bb_ctl_cmd *cmd)
{
	char *tok = bb_dbg_next_token(line, " \t");

	if (!tok || bb_dbg_next_token(line, " \t"))
		return -EINVAL;
	if (!strcmp(tok, "all")) {
		cmd->op = BB_CTL_FREE_ALL;
		return 0;
	}
	if (strncmp(tok, "handle=", 7) || kstrtou32(tok + 7, 10, &cmd->handle))
		return -EINVAL;
	cmd->op = BB_CTL_FREE;
	return 0;
}

static int bb_ctl_zone_idx(const char *name)
{
	int i;

	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		if (!strcasecmp(name, bb_zone_names[i]))
			return i;
	return -EINVAL;
}

/* compact [node=N] [zone=NAME]  |  reclaim pages=N [node=N] */
static int bb_ctl_parse_node_args(char **line, struct bb_ctl_cmd *cmd,
				  bool reclaim)
{
	bool seen_node = false, seen_zone = false, seen_pages = false;
	char *tok, *val;
	int err;

	cmd->nid = -1;
	cmd->zone_idx = -1;
	while ((tok = bb_dbg_next_token(line, " \t"))) {
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok, "node") && !seen_node) {
			seen_node = true;
			err = kstrtoint(val, 10, &cmd->nid);
			if (!err && (cmd->nid < 0 || cmd->nid >= bb_dbg_sb->nr_nodes))
				err = -EINVAL;
		} else if (!strcmp(tok, "zone") && !reclaim && !seen_zone) {
			seen_zone = true;
			cmd->zone_idx = bb_ctl_zone_idx(val);
			err = cmd->zone_idx < 0 ? -EINVAL : 0;
		} else if (!strcmp(tok, "pages") && reclaim && !seen_pages) {
			seen_pages = true;
			err = kstrtoul(val, 10, &cmd->pages);
			if (!err && !cmd->pages)
				err = -EINVAL;
		} else {
			err = -EINVAL;
		}
		if (err)
			return err;
	}
	return reclaim && !seen_pages ? -EINVAL : 0;
}

/* 1: @cmd holds the line's command; 0: a blank line; else -EINVAL */
static int bb_ctl_parse_line(char *line, struct bb_ctl_cmd *cmd)
{
	char *verb = bb_dbg_next_token(&line, " \t");
	int ret;

	if (!verb)
		return 0;
	memset(cmd, 0, sizeof(*cmd));
	if (!strcmp(verb, "drain"))
		cmd->op = BB_CTL_DRAIN;
	else if (!strcmp(verb, "drop_caches"))
		cmd->op = BB_CTL_DROP_CACHES;
	else if (!strcmp(verb, "compact"))
		cmd->op = BB_CTL_COMPACT;
	else if (!strcmp(verb, "reclaim"))
		cmd->op = BB_CTL_RECLAIM;
	if (!strcmp(verb, "alloc"))
		ret = bb_ctl_parse_alloc(&line, cmd);
	else if (!strcmp(verb, "free"))
		ret = bb_ctl_parse_free(&line, cmd);
	else if (!strcmp(verb, "drain") || !strcmp(verb, "drop_caches"))
		ret = bb_dbg_next_token(&line, " \t") ? -EINVAL : 0;
	else if (!strcmp(verb, "compact"))
		ret = bb_ctl_parse_node_args(&line, cmd, false);
	else if (!strcmp(verb, "reclaim"))
		ret = bb_ctl_parse_node_args(&line, cmd, true);
	else
		ret = -EINVAL;
	if (ret)
		pr_debug("control: malformed command\n");
	return ret ? ret : 1;
}

/* All @cmd->count allocations, or none. */
static int bb_ctl_alloc(const struct bb_ctl_cmd *cmd)
{
	struct bb_alloc a;
	unsigned int i;
	u32 *handles;
	int ret = 0;

	handles = kvmalloc_array(cmd->count, sizeof(*handles), GFP_KERNEL);
	if (!handles)
		return -ENOMEM;
	for (i = 0; i < cmd->count; i++) {
		if (i && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = bb_owner_alloc(&control_owner, cmd->gfp, cmd->order,
				     cmd->nid, 0, cmd->flags, NULL, &a);
		if (ret)
			break;
		handles[i] = a.handle;
		cond_resched();
	}
	if (ret) {
		while (i--)
			bb_owner_free(&control_owner, handles[i]);
	}
	kvfree(handles);
	return ret;
}

struct bb_ctl_batch {
	u32 handle[64];
	unsigned int nr;
};

static int bb_ctl_collect(const struct bb_alloc *a, void *arg)
{
	struct bb_ctl_batch *batch = arg;

	batch->handle[batch->nr++] = a->handle;
	return batch->nr == ARRAY_SIZE(batch->handle);
}

/* Called with control_lock held: nothing adds to the owner meanwhile. */
static void bb_ctl_free_all(void)
{
	struct bb_ctl_batch batch;
	unsigned int i;

	do {
		batch.nr = 0;
		bb_owner_for_each(&control_owner, bb_ctl_collect, &batch);
		for (i = 0; i < batch.nr; i++)
			bb_owner_free(&control_owner, batch.handle[i]);
		cond_resched();
	} while (batch.nr == ARRAY_SIZE(batch.handle));
}

/* compact: one node, or every node (those that have the zone asked for) */
static int bb_ctl_compact(const struct bb_ctl_cmd *cmd)
{
	struct bb_sandbox *sb = bb_dbg_sb;
	int nid, ret, done = 0;

	if (cmd->nid >= 0)
		return bb_compact_node(sb, cmd->nid, cmd->zone_idx);
	for (nid = 0; nid < sb->nr_nodes; nid++) {
		if (cmd->zone_idx >= 0 &&
		    !bb_populated_zone(&sb->node[nid].node_zones[cmd->zone_idx]))
			continue;
		ret = bb_compact_node(sb, nid, cmd->zone_idx);
		if (ret)
			return ret;
		done++;
	}
	/* a zone no node has */
	return done ? 0 : -EINVAL;
}

static int bb_ctl_exec(const struct bb_ctl_cmd *cmd)
{
	switch (cmd->op) {
	case BB_CTL_ALLOC:
		return bb_ctl_alloc(cmd);
	case BB_CTL_FREE:
		return bb_owner_free(&control_owner, cmd->handle);
	case BB_CTL_FREE_ALL:
		bb_ctl_free_all();
		return 0;
	case BB_CTL_DRAIN:
		bb_drain_all_pages(bb_dbg_sb, NULL);
		return 0;
	case BB_CTL_COMPACT:
		return bb_ctl_compact(cmd);
	case BB_CTL_RECLAIM:
		bb_reclaim_pages(bb_dbg_sb, cmd->nid, cmd->pages);
		return 0;
	case BB_CTL_DROP_CACHES:
		bb_drop_caches(bb_dbg_sb);
		return 0;
	}
	return -EINVAL;
}

/*
 * One command a line (blank lines are skipped):
 *   alloc order=N gfp=SPEC [nid=N] [count=N] [flags=cache]
 *   free handle=H
 *   free all
 *   drain		drain_all_pages(): the pcp lists back to the buddy
 *   compact [node=N] [zone=NAME]	a full sync compaction (every node and
 *					zone by default)
 *   reclaim pages=N [node=N]	reclaim up to N cache pages
 *   drop_caches		drop every cache allocation whose owner is idle
 * Every line is parsed before any is run, so a malformed one rejects the
 * whole write with -EINVAL.  The commands then run in order; the first that
 * fails stops the rest and its error is returned (what the lines before it
 * did stays done).
 */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct bb_ctl_cmd *cmds = NULL;
	unsigned int nr = 0, max = 1, i;
	char *buf, *p, *line;
	int ret = 0;

	if (!count)
		return 0;
	if (count > BB_DBG_CONTROL_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* a NUL inside the write would hide the lines after it */
	if (strlen(buf) != count) {
		ret = -EINVAL;
		goto out;
	}

	for (p = buf; *p; p++)
		if (*p == '\n')
			max++;
	cmds = kvmalloc_array(max, sizeof(*cmds), GFP_KERNEL);
	if (!cmds) {
		ret = -ENOMEM;
		goto out;
	}
	p = buf;
	while ((line = strsep(&p, "\n"))) {
		ret = bb_ctl_parse_line(line, &cmds[nr]);
		if (ret < 0)
			goto out;
		nr += ret;
	}
	ret = 0;
	if (!nr) {
		ret = -EINVAL;
		goto out;
	}

	if (mutex_lock_killable(&control_lock)) {
		ret = -EINTR;
		goto out;
	}
	for (i = 0; i < nr && !ret; i++)
		ret = bb_ctl_exec(&cmds[i]);
	mutex_unlock(&control_lock);
out:
	kvfree(cmds);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
	.llseek = noop_llseek,
};

/* allocations */

static int bb_dbg_show_alloc(const struct bb_alloc *a, void *arg)
{
	struct seq_file *m = arg;

	seq_printf(m, "%u %lu %u %s %s %d\n", a->handle, a->pfn, a->order,
		   bb_dbg_mt_name(a->migratetype), bb_dbg_zone_name(a->zone_idx),
		   a->nid);
	/* once the buffer is full, seq_read retries with a bigger one */
	return seq_has_overflowed(m);
}

static int allocations_show(struct seq_file *m, void *v)
{
	seq_puts(m, "handle pfn order migratetype zone node\n");
	bb_owner_for_each(&control_owner, bb_dbg_show_alloc, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(allocations);

/* init and exit */

/*
 * debugfs failures are not fatal (the kernel's convention): a file that
 * could not be made is missing, and the module works on without it.
 */
int bb_debugfs_init(struct bb_sandbox *sb)
{
	struct dentry *dir, *extfrag;
	unsigned int i;

	bb_dbg_sb = sb;
	bb_owner_init(&control_owner, sb);

	dir = debugfs_create_dir("buddybox", NULL);
	bb_dbg_dir = dir;

	debugfs_create_file("buddyinfo", 0400, dir, sb, &buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, dir, sb, &pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, dir, sb, &zoneinfo_fops);
	extfrag = debugfs_create_dir("extfrag", dir);
	debugfs_create_file("unusable_index", 0400, extfrag, sb,
			    &unusable_index_fops);
	debugfs_create_file("extfrag_index", 0400, extfrag, sb,
			    &extfrag_index_fops);
	debugfs_create_file("vmstat", 0400, dir, sb, &vmstat_fops);

	/* the descriptors are only read: debugfs just wants a void * */
	for (i = 0; i < ARRAY_SIZE(bb_dbg_tunables); i++)
		debugfs_create_file(bb_dbg_tunables[i].name, 0600, dir,
				    (void *)&bb_dbg_tunables[i],
				    &bb_dbg_tunable_fops);
	debugfs_create_file("lowmem_reserve_ratio", 0600, dir, sb,
			    &lowmem_reserve_ratio_fops);

	debugfs_create_file("check", 0400, dir, sb, &check_fops);
	debugfs_create_file("control", 0200, dir, sb, &control_fops);
	debugfs_create_file("allocations", 0400, dir, sb, &allocations_fops);
	bb_bench_debugfs_init(dir, sb);
	return 0;
}

void bb_debugfs_exit(void)
{
	if (!bb_dbg_sb)
		return;
	/* waits for the files' users: no write to control is in flight after */
	debugfs_remove_recursive(bb_dbg_dir);
	bb_dbg_dir = NULL;
	bb_owner_release(&control_owner);
	bb_dbg_sb = NULL;
}
