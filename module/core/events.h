/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: the engine's named events, one hook for each place where the
 * kernel's allocator, compaction, reclaim and OOM code emit a tracepoint.
 * The engine calls them and knows no more: a build that records them
 * defines BB_EVENTS and supplies "bb_events_impl.h" with the same hooks
 * (the module: module/bb_events_impl.h, over its TRACE_EVENTs); every
 * other build (bbsim, the KUnit copy of the core) gets the empty ones
 * below, which the compiler drops with their arguments.
 */
#ifndef BB_EVENTS_H
#define BB_EVENTS_H

struct bb_sandbox;
struct bb_zone;
struct bb_node;
struct bb_compact_control;
struct bb_owner;

#ifdef BB_EVENTS
#include "bb_events_impl.h"
#else
/* page_alloc.c, pcp.c: mm_page_* (pfn ~0UL: the allocation failed) */
static inline void bb_ev_page_alloc(struct bb_sandbox *sb, unsigned long pfn,
				    unsigned int order, u32 gfp, int mt) { }
static inline void bb_ev_page_free(struct bb_sandbox *sb, unsigned long pfn,
				   unsigned int order) { }
static inline void bb_ev_page_alloc_zone_locked(struct bb_sandbox *sb,
						unsigned long pfn,
						unsigned int order, int mt) { }
static inline void bb_ev_page_pcpu_drain(struct bb_sandbox *sb,
					 unsigned long pfn, unsigned int order,
					 int mt) { }
static inline void bb_ev_page_alloc_extfrag(struct bb_sandbox *sb,
					    unsigned long pfn, int alloc_order,
					    int fallback_order, int alloc_mt,
					    int fallback_mt) { }
/* compaction.c: mm_compaction_* */
static inline void bb_ev_compaction_begin(struct bb_compact_control *cc) { }
static inline void bb_ev_compaction_end(struct bb_compact_control *cc,
					int status) { }
static inline void
bb_ev_compaction_isolate_migratepages(struct bb_sandbox *sb,
				      unsigned long start_pfn,
				      unsigned long end_pfn,
				      unsigned long nr_scanned,
				      unsigned long nr_taken) { }
static inline void
bb_ev_compaction_isolate_freepages(struct bb_sandbox *sb,
				   unsigned long start_pfn,
				   unsigned long end_pfn,
				   unsigned long nr_scanned,
				   unsigned long nr_taken) { }
static inline void bb_ev_compaction_defer_compaction(struct bb_zone *zone,
						     int order) { }
static inline void bb_ev_compaction_deferred(struct bb_zone *zone,
					     int order) { }
static inline void bb_ev_compaction_kcompactd_wake(struct bb_node *pgdat,
						   int order,
						   int highest_zoneidx) { }
static inline void bb_ev_compaction_wakeup_kcompactd(struct bb_node *pgdat,
						     int order,
						     int highest_zoneidx) { }
/* vmscan.c: mm_vmscan_* */
static inline void bb_ev_vmscan_kswapd_wake(struct bb_node *pgdat, int zid,
					    int order) { }
static inline void bb_ev_vmscan_kswapd_sleep(struct bb_node *pgdat) { }
static inline void bb_ev_vmscan_wakeup_kswapd(struct bb_node *pgdat, int zid,
					      int order, u32 gfp) { }
static inline void bb_ev_vmscan_direct_reclaim_begin(struct bb_sandbox *sb,
						     int order, u32 gfp) { }
static inline void bb_ev_vmscan_direct_reclaim_end(struct bb_sandbox *sb,
						   unsigned long nr) { }
/* oom_kill.c: mark_victim */
static inline void bb_ev_mark_victim(struct bb_owner *victim) { }
#endif

#endif /* BB_EVENTS_H */
