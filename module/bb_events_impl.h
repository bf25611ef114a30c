/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: the module's side of the engine's events (core/events.h), each
 * a tracepoint of module/trace/buddybox_events.h.  Inline, so that an event
 * that is off costs its static key's jump and nothing more: the arguments
 * that take work to compute are computed only when the event is on.
 */
#ifndef BB_EVENTS_IMPL_H
#define BB_EVENTS_IMPL_H

#include "buddybox.h"
#include "trace/buddybox_events.h"

static inline void bb_ev_page_alloc(struct bb_sandbox *sb, unsigned long pfn,
				    unsigned int order, u32 gfp, int mt)
{
	trace_mm_page_alloc(sb->cfg.name, pfn, order, gfp, mt);
}

static inline void bb_ev_page_free(struct bb_sandbox *sb, unsigned long pfn,
				   unsigned int order)
{
	trace_mm_page_free(sb->cfg.name, pfn, order);
}

static inline void bb_ev_page_alloc_zone_locked(struct bb_sandbox *sb,
						unsigned long pfn,
						unsigned int order, int mt)
{
	trace_mm_page_alloc_zone_locked(sb->cfg.name, pfn, order, mt,
					bb_pcp_allowed_order(order) &&
					mt < BB_MIGRATE_PCPTYPES);
}

static inline void bb_ev_page_pcpu_drain(struct bb_sandbox *sb,
					 unsigned long pfn, unsigned int order,
					 int mt)
{
	trace_mm_page_pcpu_drain(sb->cfg.name, pfn, order, mt);
}

/* after the fallback: did the pageblock become the request's type? */
static inline void bb_ev_page_alloc_extfrag(struct bb_sandbox *sb,
					    unsigned long pfn, int alloc_order,
					    int fallback_order, int alloc_mt,
					    int fallback_mt)
{
	if (trace_mm_page_alloc_extfrag_enabled())
		trace_mm_page_alloc_extfrag(sb->cfg.name, pfn, alloc_order,
					    fallback_order, alloc_mt,
					    fallback_mt,
					    bb_get_pageblock_migratetype(sb, pfn) ==
					    alloc_mt);
}

static inline void bb_ev_compaction_begin(struct bb_compact_control *cc)
{
	trace_mm_compaction_begin(cc->sb->cfg.name, cc->zone->zone_start_pfn,
				  cc->migrate_pfn, cc->free_pfn,
				  bb_zone_end_pfn(cc->zone),
				  cc->mode != BB_MIGRATE_ASYNC);
}

static inline void bb_ev_compaction_end(struct bb_compact_control *cc,
					int status)
{
	trace_mm_compaction_end(cc->sb->cfg.name, cc->zone->zone_start_pfn,
				cc->migrate_pfn, cc->free_pfn,
				bb_zone_end_pfn(cc->zone),
				cc->mode != BB_MIGRATE_ASYNC, status);
}

static inline void
bb_ev_compaction_isolate_migratepages(struct bb_sandbox *sb,
				      unsigned long start_pfn,
				      unsigned long end_pfn,
				      unsigned long nr_scanned,
				      unsigned long nr_taken)
{
	trace_mm_compaction_isolate_migratepages(sb->cfg.name, start_pfn, end_pfn,
						 nr_scanned, nr_taken);
}

static inline void
bb_ev_compaction_isolate_freepages(struct bb_sandbox *sb,
				   unsigned long start_pfn,
				   unsigned long end_pfn,
				   unsigned long nr_scanned,
				   unsigned long nr_taken)
{
	trace_mm_compaction_isolate_freepages(sb->cfg.name, start_pfn, end_pfn,
					      nr_scanned, nr_taken);
}

static inline void bb_ev_compaction_defer_compaction(struct bb_zone *zone,
						     int order)
{
	trace_mm_compaction_defer_compaction(zone->zone_pgdat->sb->cfg.name,
					     zone->zone_pgdat->node_id,
					     zone->idx, order,
					     zone->compact_considered,
					     zone->compact_defer_shift,
					     zone->compact_order_failed);
}

static inline void bb_ev_compaction_deferred(struct bb_zone *zone, int order)
{
	trace_mm_compaction_deferred(zone->zone_pgdat->sb->cfg.name,
				     zone->zone_pgdat->node_id, zone->idx,
				     order, zone->compact_considered,
				     zone->compact_defer_shift,
				     zone->compact_order_failed);
}

static inline void bb_ev_compaction_kcompactd_wake(struct bb_node *pgdat,
						   int order,
						   int highest_zoneidx)
{
	trace_mm_compaction_kcompactd_wake(pgdat->sb->cfg.name, pgdat->node_id,
					   order, highest_zoneidx);
}

static inline void bb_ev_compaction_wakeup_kcompactd(struct bb_node *pgdat,
						     int order,
						     int highest_zoneidx)
{
	trace_mm_compaction_wakeup_kcompactd(pgdat->sb->cfg.name, pgdat->node_id,
					     order, highest_zoneidx);
}

static inline void bb_ev_vmscan_kswapd_wake(struct bb_node *pgdat, int zid,
					    int order)
{
	trace_mm_vmscan_kswapd_wake(pgdat->sb->cfg.name, pgdat->node_id, zid,
				    order);
}

static inline void bb_ev_vmscan_kswapd_sleep(struct bb_node *pgdat)
{
	trace_mm_vmscan_kswapd_sleep(pgdat->sb->cfg.name, pgdat->node_id);
}

static inline void bb_ev_vmscan_wakeup_kswapd(struct bb_node *pgdat, int zid,
					      int order, u32 gfp)
{
	trace_mm_vmscan_wakeup_kswapd(pgdat->sb->cfg.name, pgdat->node_id, zid,
				      order, gfp);
}

static inline void bb_ev_vmscan_direct_reclaim_begin(struct bb_sandbox *sb,
						     int order, u32 gfp)
{
	trace_mm_vmscan_direct_reclaim_begin(sb->cfg.name, order, gfp);
}

static inline void bb_ev_vmscan_direct_reclaim_end(struct bb_sandbox *sb,
						   unsigned long nr)
{
	trace_mm_vmscan_direct_reclaim_end(sb->cfg.name, nr);
}

static inline void bb_ev_mark_victim(struct bb_owner *victim)
{
	trace_mark_victim(victim->sb->cfg.name, victim->tgid);
}

#endif /* BB_EVENTS_IMPL_H */
