/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox's tracepoints: system "buddybox", with the names, fields and
 * formats of the kernel's kmem, compaction, vmscan and oom events, so that
 * a script written for kmem:mm_page_alloc reads buddybox:mm_page_alloc.
 * Each event also carries the name of the sandbox it happened in
 * ("sandbox").  The hooks of module/bb_events_impl.h emit them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM buddybox

#if !defined(_TRACE_BUDDYBOX_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_BUDDYBOX_H

#include <linux/tracepoint.h>
#include <linux/string.h>

#include "uapi/buddybox.h"

/* the uapi's gfp names, as __print_flags() takes them */
#define BB_GFP_ENTRY_TP(name, value)	{ (unsigned long)(value), name }
#define bb_show_gfp_flags(flags)					\
	__print_flags(flags, "|",					\
		      BB_GFP_EXPAND(BB_GFP_UNPAREN BB_GFP_NAME_LIST(TP)))

#define BB_TP_SANDBOX	__array(char, sandbox, BB_SANDBOX_NAME_MAX + 1)
#define bb_tp_set_sandbox(name)						\
	strscpy(__entry->sandbox, name, sizeof(__entry->sandbox))

TRACE_EVENT(mm_page_free,

	TP_PROTO(const char *sb, unsigned long pfn, unsigned int order),

	TP_ARGS(sb, pfn, order),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, pfn)
		__field(unsigned int, order)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pfn = pfn;
		__entry->order = order;
	),

	TP_printk("sandbox=%s pfn=0x%lx order=%d",
		  __entry->sandbox, __entry->pfn, __entry->order)
);

TRACE_EVENT(mm_page_alloc,

	TP_PROTO(const char *sb, unsigned long pfn, unsigned int order,
		 unsigned long gfp_flags, int migratetype),

	TP_ARGS(sb, pfn, order, gfp_flags, migratetype),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(unsigned long, gfp_flags)
		__field(int, migratetype)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->gfp_flags = gfp_flags;
		__entry->migratetype = migratetype;
	),

	TP_printk("sandbox=%s pfn=0x%lx order=%d migratetype=%d gfp_flags=%s",
		  __entry->sandbox, __entry->pfn, __entry->order,
		  __entry->migratetype, bb_show_gfp_flags(__entry->gfp_flags))
);

DECLARE_EVENT_CLASS(bb_mm_page,

	TP_PROTO(const char *sb, unsigned long pfn, unsigned int order,
		 int migratetype, int percpu_refill),

	TP_ARGS(sb, pfn, order, migratetype, percpu_refill),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, migratetype)
		__field(int, percpu_refill)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->migratetype = migratetype;
		__entry->percpu_refill = percpu_refill;
	),

	TP_printk("sandbox=%s pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
		  __entry->sandbox, __entry->pfn, __entry->order,
		  __entry->migratetype, __entry->percpu_refill)
);

DEFINE_EVENT(bb_mm_page, mm_page_alloc_zone_locked,

	TP_PROTO(const char *sb, unsigned long pfn, unsigned int order,
		 int migratetype, int percpu_refill),

	TP_ARGS(sb, pfn, order, migratetype, percpu_refill)
);

TRACE_EVENT(mm_page_pcpu_drain,

	TP_PROTO(const char *sb, unsigned long pfn, unsigned int order,
		 int migratetype),

	TP_ARGS(sb, pfn, order, migratetype),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, migratetype)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->migratetype = migratetype;
	),

	TP_printk("sandbox=%s pfn=0x%lx order=%d migratetype=%d",
		  __entry->sandbox, __entry->pfn, __entry->order,
		  __entry->migratetype)
);

TRACE_EVENT(mm_page_alloc_extfrag,

	TP_PROTO(const char *sb, unsigned long pfn, int alloc_order,
		 int fallback_order, int alloc_migratetype,
		 int fallback_migratetype, int change_ownership),

	TP_ARGS(sb, pfn, alloc_order, fallback_order, alloc_migratetype,
		fallback_migratetype, change_ownership),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, pfn)
		__field(int, alloc_order)
		__field(int, fallback_order)
		__field(int, alloc_migratetype)
		__field(int, fallback_migratetype)
		__field(int, change_ownership)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pfn = pfn;
		__entry->alloc_order = alloc_order;
		__entry->fallback_order = fallback_order;
		__entry->alloc_migratetype = alloc_migratetype;
		__entry->fallback_migratetype = fallback_migratetype;
		__entry->change_ownership = change_ownership;
	),

	TP_printk("sandbox=%s pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		  __entry->sandbox, __entry->pfn, __entry->alloc_order,
		  __entry->fallback_order, BB_PAGEBLOCK_ORDER,
		  __entry->alloc_migratetype, __entry->fallback_migratetype,
		  __entry->fallback_order < BB_PAGEBLOCK_ORDER,
		  __entry->change_ownership)
);

DECLARE_EVENT_CLASS(bb_mm_compaction_isolate_template,

	TP_PROTO(const char *sb, unsigned long start_pfn,
		 unsigned long end_pfn, unsigned long nr_scanned,
		 unsigned long nr_taken),

	TP_ARGS(sb, start_pfn, end_pfn, nr_scanned, nr_taken),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, start_pfn)
		__field(unsigned long, end_pfn)
		__field(unsigned long, nr_scanned)
		__field(unsigned long, nr_taken)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->start_pfn = start_pfn;
		__entry->end_pfn = end_pfn;
		__entry->nr_scanned = nr_scanned;
		__entry->nr_taken = nr_taken;
	),

	TP_printk("sandbox=%s range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu",
		  __entry->sandbox, __entry->start_pfn, __entry->end_pfn,
		  __entry->nr_scanned, __entry->nr_taken)
);

DEFINE_EVENT(bb_mm_compaction_isolate_template,
	     mm_compaction_isolate_migratepages,

	TP_PROTO(const char *sb, unsigned long start_pfn,
		 unsigned long end_pfn, unsigned long nr_scanned,
		 unsigned long nr_taken),

	TP_ARGS(sb, start_pfn, end_pfn, nr_scanned, nr_taken)
);

DEFINE_EVENT(bb_mm_compaction_isolate_template,
	     mm_compaction_isolate_freepages,

	TP_PROTO(const char *sb, unsigned long start_pfn,
		 unsigned long end_pfn, unsigned long nr_scanned,
		 unsigned long nr_taken),

	TP_ARGS(sb, start_pfn, end_pfn, nr_scanned, nr_taken)
);

TRACE_EVENT(mm_compaction_begin,

	TP_PROTO(const char *sb, unsigned long zone_start,
		 unsigned long migrate_pfn, unsigned long free_pfn,
		 unsigned long zone_end, bool sync),

	TP_ARGS(sb, zone_start, migrate_pfn, free_pfn, zone_end, sync),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, zone_start)
		__field(unsigned long, migrate_pfn)
		__field(unsigned long, free_pfn)
		__field(unsigned long, zone_end)
		__field(bool, sync)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->zone_start = zone_start;
		__entry->migrate_pfn = migrate_pfn;
		__entry->free_pfn = free_pfn;
		__entry->zone_end = zone_end;
		__entry->sync = sync;
	),

	TP_printk("sandbox=%s zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s",
		  __entry->sandbox, __entry->zone_start, __entry->migrate_pfn,
		  __entry->free_pfn, __entry->zone_end,
		  __entry->sync ? "sync" : "async")
);

TRACE_EVENT(mm_compaction_end,

	TP_PROTO(const char *sb, unsigned long zone_start,
		 unsigned long migrate_pfn, unsigned long free_pfn,
		 unsigned long zone_end, bool sync, int status),

	TP_ARGS(sb, zone_start, migrate_pfn, free_pfn, zone_end, sync, status),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, zone_start)
		__field(unsigned long, migrate_pfn)
		__field(unsigned long, free_pfn)
		__field(unsigned long, zone_end)
		__field(bool, sync)
		__field(int, status)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->zone_start = zone_start;
		__entry->migrate_pfn = migrate_pfn;
		__entry->free_pfn = free_pfn;
		__entry->zone_end = zone_end;
		__entry->sync = sync;
		__entry->status = status;
	),

	TP_printk("sandbox=%s zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s status=%d",
		  __entry->sandbox, __entry->zone_start, __entry->migrate_pfn,
		  __entry->free_pfn, __entry->zone_end,
		  __entry->sync ? "sync" : "async", __entry->status)
);

DECLARE_EVENT_CLASS(bb_mm_compaction_defer_template,

	TP_PROTO(const char *sb, int nid, int idx, int order,
		 unsigned int considered, unsigned int defer_shift,
		 int order_failed),

	TP_ARGS(sb, nid, idx, order, considered, defer_shift, order_failed),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, nid)
		__field(int, idx)
		__field(int, order)
		__field(unsigned int, considered)
		__field(unsigned int, defer_shift)
		__field(int, order_failed)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nid = nid;
		__entry->idx = idx;
		__entry->order = order;
		__entry->considered = considered;
		__entry->defer_shift = defer_shift;
		__entry->order_failed = order_failed;
	),

	TP_printk("sandbox=%s node=%d zone=%d order=%d order_failed=%d consider=%u limit=%lu",
		  __entry->sandbox, __entry->nid, __entry->idx, __entry->order,
		  __entry->order_failed, __entry->considered,
		  1UL << __entry->defer_shift)
);

DEFINE_EVENT(bb_mm_compaction_defer_template, mm_compaction_deferred,

	TP_PROTO(const char *sb, int nid, int idx, int order,
		 unsigned int considered, unsigned int defer_shift,
		 int order_failed),

	TP_ARGS(sb, nid, idx, order, considered, defer_shift, order_failed)
);

DEFINE_EVENT(bb_mm_compaction_defer_template, mm_compaction_defer_compaction,

	TP_PROTO(const char *sb, int nid, int idx, int order,
		 unsigned int considered, unsigned int defer_shift,
		 int order_failed),

	TP_ARGS(sb, nid, idx, order, considered, defer_shift, order_failed)
);

DECLARE_EVENT_CLASS(bb_kcompactd_wake_template,

	TP_PROTO(const char *sb, int nid, int order, int highest_zoneidx),

	TP_ARGS(sb, nid, order, highest_zoneidx),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, nid)
		__field(int, order)
		__field(int, highest_zoneidx)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nid = nid;
		__entry->order = order;
		__entry->highest_zoneidx = highest_zoneidx;
	),

	TP_printk("sandbox=%s nid=%d order=%d classzone_idx=%d",
		  __entry->sandbox, __entry->nid, __entry->order,
		  __entry->highest_zoneidx)
);

DEFINE_EVENT(bb_kcompactd_wake_template, mm_compaction_wakeup_kcompactd,

	TP_PROTO(const char *sb, int nid, int order, int highest_zoneidx),

	TP_ARGS(sb, nid, order, highest_zoneidx)
);

DEFINE_EVENT(bb_kcompactd_wake_template, mm_compaction_kcompactd_wake,

	TP_PROTO(const char *sb, int nid, int order, int highest_zoneidx),

	TP_ARGS(sb, nid, order, highest_zoneidx)
);

TRACE_EVENT(mm_vmscan_kswapd_sleep,

	TP_PROTO(const char *sb, int nid),

	TP_ARGS(sb, nid),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, nid)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nid = nid;
	),

	TP_printk("sandbox=%s nid=%d", __entry->sandbox, __entry->nid)
);

TRACE_EVENT(mm_vmscan_kswapd_wake,

	TP_PROTO(const char *sb, int nid, int zid, int order),

	TP_ARGS(sb, nid, zid, order),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, nid)
		__field(int, zid)
		__field(int, order)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nid = nid;
		__entry->zid = zid;
		__entry->order = order;
	),

	TP_printk("sandbox=%s nid=%d order=%d",
		  __entry->sandbox, __entry->nid, __entry->order)
);

TRACE_EVENT(mm_vmscan_wakeup_kswapd,

	TP_PROTO(const char *sb, int nid, int zid, int order,
		 unsigned long gfp_flags),

	TP_ARGS(sb, nid, zid, order, gfp_flags),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, nid)
		__field(int, zid)
		__field(int, order)
		__field(unsigned long, gfp_flags)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nid = nid;
		__entry->zid = zid;
		__entry->order = order;
		__entry->gfp_flags = gfp_flags;
	),

	TP_printk("sandbox=%s nid=%d order=%d gfp_flags=%s",
		  __entry->sandbox, __entry->nid, __entry->order,
		  bb_show_gfp_flags(__entry->gfp_flags))
);

TRACE_EVENT(mm_vmscan_direct_reclaim_begin,

	TP_PROTO(const char *sb, int order, unsigned long gfp_flags),

	TP_ARGS(sb, order, gfp_flags),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, order)
		__field(unsigned long, gfp_flags)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->order = order;
		__entry->gfp_flags = gfp_flags;
	),

	TP_printk("sandbox=%s order=%d gfp_flags=%s",
		  __entry->sandbox, __entry->order,
		  bb_show_gfp_flags(__entry->gfp_flags))
);

TRACE_EVENT(mm_vmscan_direct_reclaim_end,

	TP_PROTO(const char *sb, unsigned long nr_reclaimed),

	TP_ARGS(sb, nr_reclaimed),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(unsigned long, nr_reclaimed)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->nr_reclaimed = nr_reclaimed;
	),

	TP_printk("sandbox=%s nr_reclaimed=%lu",
		  __entry->sandbox, __entry->nr_reclaimed)
);

TRACE_EVENT(mark_victim,

	TP_PROTO(const char *sb, int pid),

	TP_ARGS(sb, pid),

	TP_STRUCT__entry(
		BB_TP_SANDBOX
		__field(int, pid)
	),

	TP_fast_assign(
		bb_tp_set_sandbox(sb);
		__entry->pid = pid;
	),

	TP_printk("sandbox=%s pid=%d", __entry->sandbox, __entry->pid)
);

#endif /* _TRACE_BUDDYBOX_H */

/* the module's build directory, not include/trace/events/ (see Kbuild) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE buddybox_events
#include <trace/define_trace.h>
