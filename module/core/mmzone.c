// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: zones and zonelists.
 *
 * Zonelists are built like mm/page_alloc.c's build_zonelists(): the local
 * node first, then the other nodes nearest first (by the distance table),
 * and within each node the zones from the highest to the lowest.
 */
#include <linux/kernel.h>
#include <linux/sort.h>

#include "buddybox.h"

const char * const bb_zone_names[BB_MAX_NR_ZONES] = {
	[BB_ZONE_DMA_IDX] = "DMA",
	[BB_ZONE_DMA32_IDX] = "DMA32",
	[BB_ZONE_NORMAL_IDX] = "Normal",
	[BB_ZONE_MOVABLE_IDX] = "Movable",
};

const char * const bb_migratetype_names[BB_MIGRATE_TYPES] = {
	[BB_MIGRATE_UNMOVABLE] = "Unmovable",
	[BB_MIGRATE_MOVABLE] = "Movable",
	[BB_MIGRATE_RECLAIMABLE] = "Reclaimable",
	[BB_MIGRATE_HIGHATOMIC] = "HighAtomic",
	[BB_MIGRATE_ISOLATE] = "Isolate",
};

/* bb_pfn_to_zone() for a pageblock two zones share: search the node */
struct bb_zone *bb_pfn_to_zone_slow(struct bb_sandbox *sb, unsigned long pfn)
{
	unsigned long off = pfn - sb->region.start_pfn;
	struct bb_node *pgdat;
	int z;

	if (pfn < sb->region.start_pfn || off >= sb->region.nr_pages)
		return NULL;
	/* nodes split the region evenly; one node needs no division */
	pgdat = &sb->node[sb->nr_nodes == 1 ? 0 :
			  off / sb->node[0].node_spanned_pages];
	for (z = 0; z < BB_MAX_NR_ZONES; z++)
		if (bb_zone_spans_pfn(&pgdat->node_zones[z], pfn))
			return &pgdat->node_zones[z];
	return NULL;
}

/*
 * The table bb_pfn_to_zone() reads: each pageblock's zone, NULL for a
 * pageblock that is not all one zone's (zones of whole pageblocks have
 * none).  Once the nodes' zones are laid out.
 */
void bb_build_pageblock_zones(struct bb_sandbox *sb)
{
	unsigned long i, nr = sb->region.nr_pages >> BB_PAGEBLOCK_ORDER;

	for (i = 0; i < nr; i++) {
		unsigned long first = sb->region.start_pfn +
				      (i << BB_PAGEBLOCK_ORDER);
		struct bb_zone *zone = bb_pfn_to_zone_slow(sb, first);

		if (zone && !bb_zone_spans_pfn(zone,
					       first + BB_PAGEBLOCK_NR_PAGES - 1))
			zone = NULL;
		sb->pageblock_zone[i] = zone;
	}
}

/*
 * find_next_best_node() in short: nearest first; among equals, the nodes
 * after the local one before those below it, so that equal-distance load
 * spreads round the nodes.
 */
static void bb_node_order(struct bb_sandbox *sb, int local, int *order)
{
	int key[BB_MAX_NUMNODES];
	int i, j;

	for (i = 0; i < sb->nr_nodes; i++) {
		order[i] = i;
		key[i] = sb->cfg.distance[local][i] * BB_MAX_NUMNODES * 2 +
			 (i < local ? BB_MAX_NUMNODES : 0) + i;
	}
	/* a handful of nodes: insertion sort */
	for (i = 1; i < sb->nr_nodes; i++)
		for (j = i; j > 0 && key[order[j]] < key[order[j - 1]]; j--)
			swap(order[j], order[j - 1]);
}

static int bb_build_zonerefs_node(struct bb_node *pgdat,
				  struct bb_zoneref *zonerefs)
{
	int zone_type = BB_MAX_NR_ZONES;
	int nr = 0;

	do {
		struct bb_zone *zone = &pgdat->node_zones[--zone_type];

		if (bb_populated_zone(zone)) {
			zonerefs[nr].zone = zone;
			zonerefs[nr].zone_idx = zone_type;
			nr++;
		}
	} while (zone_type);
	return nr;
}

void bb_build_zonelists(struct bb_sandbox *sb)
{
	int order[BB_MAX_NUMNODES];
	int nid, i;

	for (nid = 0; nid < sb->nr_nodes; nid++) {
		struct bb_node *pgdat = &sb->node[nid];
		struct bb_zoneref *zrefs;
		int nr = 0;

		bb_node_order(sb, nid, order);
		zrefs = pgdat->node_zonelists[BB_ZONELIST_FALLBACK]._zonerefs;
		for (i = 0; i < sb->nr_nodes; i++)
			nr += bb_build_zonerefs_node(&sb->node[order[i]], zrefs + nr);
		zrefs[nr].zone = NULL;
		zrefs[nr].zone_idx = 0;

		/* __GFP_THISNODE: the local node only */
		zrefs = pgdat->node_zonelists[BB_ZONELIST_NOFALLBACK]._zonerefs;
		nr = bb_build_zonerefs_node(pgdat, zrefs);
		zrefs[nr].zone = NULL;
		zrefs[nr].zone_idx = 0;
	}
}
