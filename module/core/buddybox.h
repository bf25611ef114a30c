/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: the allocator core.
 *
 * A sandbox mirrors the kernel's zoned buddy allocator (mm/page_alloc.c)
 * over a region of memory reserved at load time.  Nothing in here knows
 * about debugfs or ioctls: the interfaces (debugfs.c, chardev.c) sit on top.
 */
#ifndef _BUDDYBOX_H
#define _BUDDYBOX_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/wait.h>
#include <linux/sched.h>

#include "uapi/buddybox.h"

typedef u32 bb_gfp_t;

#define BB_MAX_ORDER_NR_PAGES	BIT(BB_MAX_ORDER - 1)
#define BB_PAGEBLOCK_ORDER	9
#define BB_PAGEBLOCK_NR_PAGES	BIT(BB_PAGEBLOCK_ORDER)
#define BB_PAGE_ALLOC_COSTLY_ORDER 3

enum bb_zone_type {
	BB_ZONE_DMA_IDX,
	BB_ZONE_DMA32_IDX,
	BB_ZONE_NORMAL_IDX,
	BB_ZONE_MOVABLE_IDX,
	BB_MAX_NR_ZONES
};

enum bb_migratetype {
	BB_MIGRATE_UNMOVABLE,
	BB_MIGRATE_MOVABLE,
	BB_MIGRATE_RECLAIMABLE,
	BB_MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	BB_MIGRATE_HIGHATOMIC = BB_MIGRATE_PCPTYPES,
	BB_MIGRATE_ISOLATE,	/* can't allocate from here */
	BB_MIGRATE_TYPES
};

static inline bool bb_migratetype_is_mergeable(int mt)
{
	return mt < BB_MIGRATE_PCPTYPES;
}

enum bb_zone_watermarks {
	BB_WMARK_MIN,
	BB_WMARK_LOW,
	BB_WMARK_HIGH,
	BB_NR_WMARK
};

/* The alloc_flags of mm/internal.h (6.1), plus 6.3's ALLOC_HIGHATOMIC. */
#define BB_ALLOC_WMARK_MIN	BB_WMARK_MIN
#define BB_ALLOC_WMARK_LOW	BB_WMARK_LOW
#define BB_ALLOC_WMARK_HIGH	BB_WMARK_HIGH
#define BB_ALLOC_NO_WATERMARKS	0x04
#define BB_ALLOC_WMARK_MASK	(BB_ALLOC_NO_WATERMARKS - 1)
#define BB_ALLOC_OOM		0x08
#define BB_ALLOC_HARDER		0x10
#define BB_ALLOC_HIGH		0x20
#define BB_ALLOC_CPUSET		0x40
#define BB_ALLOC_NOFRAGMENT	0x100
#define BB_ALLOC_HIGHATOMIC	0x200
#define BB_ALLOC_KSWAPD		0x800
/*
 * 6.3's names for the same two bits (reserves=6.3): a request that cannot
 * block (ALLOC_NON_BLOCK, was ALLOC_HARDER for __GFP_ATOMIC) and one that
 * asked __GFP_HIGH (ALLOC_MIN_RESERVE, was ALLOC_HIGH).  Which gfp masks
 * set them, and what they earn, is the policy's (gfp.c, watermark.c).
 */
#define BB_ALLOC_NON_BLOCK	BB_ALLOC_HARDER
#define BB_ALLOC_MIN_RESERVE	BB_ALLOC_HIGH
/* 6.3's ALLOC_RESERVES: every flag that grants some reserve */
#define BB_ALLOC_RESERVES	(BB_ALLOC_NON_BLOCK | BB_ALLOC_MIN_RESERVE | \
				 BB_ALLOC_HIGHATOMIC | BB_ALLOC_OOM)

/* Why an allocation failed: counted in vmstat as alloc_fail_<reason>. */
enum bb_fail_reason {
	BB_FAIL_INVALID,	/* bad order or gfp combination */
	BB_FAIL_NO_ZONE,	/* no zone in the zonelist fits gfp and nodemask */
	BB_FAIL_WATERMARK,	/* every eligible zone below its watermark */
	BB_FAIL_FRAGMENTED,	/* free pages, but no block of that order */
	BB_FAIL_INJECTED,	/* fail_page_alloc chose to fail it */
	BB_NR_FAIL_REASONS
};

/* Events counted per zone and summed in vmstat. */
enum bb_zone_stat_item {
	BB_PGALLOC,		/* pages allocated from this zone */
	BB_PGFREE,		/* pages freed to this zone */
	BB_ALLOC_SUCCESS,	/* allocations served */
	BB_ALLOC_FALLBACK,	/* __rmqueue_fallback took another type */
	BB_ALLOC_STEAL,		/* ... taking only the block it needed */
	BB_ALLOC_CLAIM,		/* ... claiming the whole pageblock */
	BB_ALLOC_HIGHATOMIC_RESERVE, /* pageblocks reserved for atomics */
	BB_ALLOC_BOOST,		/* watermark boosts after a fallback */
	BB_ALLOC_SLOWPATH,	/* allocations that reached the slow path */
	BB_NR_ZONE_STAT_ITEMS
};

/*
 * One descriptor per sandbox page, kept outside the region, in two arrays
 * indexed alike: struct bb_page (the list linkage, or the owner's record)
 * and struct bb_page_ext (flags, order, migratetype), 19 bytes a page
 * together, where one struct of both would be padded to 24.  Only the
 * first page of a free block (BB_PG_BUDDY, BB_PG_PCP) or of an allocation
 * (BB_PG_ALLOC) has flags; the others are zero.
 */
#define BB_PG_BUDDY	0x1	/* heads a free block on the buddy lists */
#define BB_PG_ALLOC	0x2	/* heads an allocation */
#define BB_PG_PCP	0x4	/* heads a free block on a per-CPU list */

struct bb_alloc;

struct bb_page {
	union {
		/* BB_PG_BUDDY, BB_PG_PCP: on a free list */
		struct list_head lru;
		/* BB_PG_ALLOC: the owner's record, NULL for the module's */
		struct {
			struct bb_alloc *owner_alloc;
			unsigned long unused;
		};
	};
};

/* what struct page keeps in ->flags and ->private, beside struct bb_page */
struct bb_page_ext {
	u8 flags;
	u8 order;
	/*
	 * BB_PG_ALLOC: the migratetype asked for; BB_PG_PCP: the pageblock's
	 * migratetype when the block went to the pcp list, as
	 * get_pcppage_migratetype() reads it back; BB_PG_BUDDY: the
	 * migratetype of the free list the block is on.
	 */
	u8 alloc_mt;
};

/*
 * The per-CPU page lists of a zone (struct per_cpu_pages): one list per
 * migratetype and order up to PAGE_ALLOC_COSTLY_ORDER.  @lock is per CPU:
 * only drain_all_pages() from another CPU contends for it.
 */
#define BB_NR_LOWORDER_PCP_LISTS \
	(BB_MIGRATE_PCPTYPES * (BB_PAGE_ALLOC_COSTLY_ORDER + 1))
/* and, as with CONFIG_TRANSPARENT_HUGEPAGE, one list of pageblock blocks */
#define BB_NR_PCP_LISTS	(BB_NR_LOWORDER_PCP_LISTS + 1)

struct bb_per_cpu_pages {
	spinlock_t lock;	/* protects the lists and counts below */
	int count;		/* pages on the lists */
	int high;		/* free to the buddy lists above this */
	int batch;		/* pages moved to or from the buddy lists at once */
	short free_factor;	/* batch scaling factor during free */
	/*
	 * pcp_high=6.7: high moves between these two (equal under 6.1),
	 * up when frees keep filling the list, down each vmstat round and
	 * under memory pressure.  free_count: pages freed since the last
	 * allocations halved it (6.7's measure in place of free_factor);
	 * alloc_factor: refills doubled since the last free.
	 */
	int high_min;
	int high_max;
	int free_count;
	short alloc_factor;
	u8 flags;		/* BB_PCPF_* */
	struct list_head lists[BB_NR_PCP_LISTS];
};

/* pcp->flags (pcp_high=6.7): the last block freed was of orders 1 .. 3 */
#define BB_PCPF_PREV_FREE_HIGH_ORDER	BIT(0)

static inline unsigned int bb_order_to_pindex(int migratetype,
					      unsigned int order)
{
	if (order > BB_PAGE_ALLOC_COSTLY_ORDER)
		return BB_NR_LOWORDER_PCP_LISTS;	/* pageblock order */
	return order * BB_MIGRATE_PCPTYPES + migratetype;
}

static inline unsigned int bb_pindex_to_order(unsigned int pindex)
{
	if (pindex == BB_NR_LOWORDER_PCP_LISTS)
		return BB_PAGEBLOCK_ORDER;
	return pindex / BB_MIGRATE_PCPTYPES;
}

/* the small orders, and the pageblock order (THP-sized blocks) */
static inline bool bb_pcp_allowed_order(unsigned int order)
{
	return order <= BB_PAGE_ALLOC_COSTLY_ORDER ||
	       order == BB_PAGEBLOCK_ORDER;
}

struct bb_free_area {
	struct list_head free_list[BB_MIGRATE_TYPES];
	unsigned long nr_free;
};

/*
 * What a fallback did to the pageblock it took from, in the words of the
 * fallback rework (6.10 to 6.15), counted per requested type and the
 * pageblock's type before (fragstat.c shows them):
 */
enum bb_fallback_kind {
	BB_FALLBACK_CLAIM,	/* a whole free pageblock is the request's now */
	BB_FALLBACK_STEAL,	/* a partly used pageblock is the request's now */
	BB_FALLBACK_POLLUTE,	/* a chunk taken, the pageblock's type unchanged */
	BB_NR_FALLBACK_KINDS
};

struct bb_node;

struct bb_zone {
	/* read-mostly */
	unsigned long _watermark[BB_NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[BB_MAX_NR_ZONES];
	struct bb_node *zone_pgdat;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long managed_pages;
	const char *name;
	enum bb_zone_type idx;
	unsigned long flags;

	/* buddy lists, protected by @lock */
	spinlock_t lock;
	struct bb_free_area free_area[BB_MAX_ORDER];
	unsigned long nr_free_pages;	/* NR_FREE_PAGES */
	unsigned long nr_free_highatomic;	/* on the highatomic lists */
	/*
	 * 6.15's NR_FREE_PAGES_BLOCKS: the free pages in blocks of pageblock
	 * order or more (not isolated), kept by the free list primitives;
	 * only defrag_mode reads it.
	 */
	unsigned long nr_free_pages_blocks;

	/* per-CPU lists: high and batch as zone_set_pageset_high_and_batch() */
	struct bb_per_cpu_pages __percpu *per_cpu_pageset;
	int pageset_high;		/* 6.7's high_min */
	int pageset_high_max;		/* pageset_high under pcp_high=6.1 */
	int pageset_batch;

	/* event counters, per CPU as vm_event_states; summed on reading */
	struct bb_zone_stats __percpu *stats;

	/* compaction (mm/compaction.c), under @lock where it matters */
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[2];	/* async, sync */
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	bool compact_blockskip_flush;
};

/*
 * The kernel's NUMA events (numa_stat_item), counted per zone by
 * zone_statistics() for every allocation rmqueue() serves: hit when the
 * zone is on the preferred zone's node, else miss (and foreign on the
 * preferred zone); local or other as the zone is on the requester's node
 * or not.  The sandbox has no CPUs on nodes: the requester's node is the
 * request's preferred node (its nid, node 0 for -1).  NUMA_INTERLEAVE_HIT
 * has no meaning here (no mempolicy) and is left out.
 */
enum bb_numa_stat_item {
	BB_NUMA_HIT,
	BB_NUMA_MISS,
	BB_NUMA_FOREIGN,
	BB_NUMA_LOCAL,
	BB_NUMA_OTHER,
	BB_NR_NUMA_STAT_ITEMS
};

struct bb_zone_stats {
	unsigned long stat[BB_NR_ZONE_STAT_ITEMS];
	unsigned long numa[BB_NR_NUMA_STAT_ITEMS];
};

static inline void bb_zone_stat_add(struct bb_zone *zone,
				    enum bb_zone_stat_item item, long nr)
{
	this_cpu_add(zone->stats->stat[item], nr);
}

/* Sandbox-wide events, per CPU as vm_event_states (vmstat's names). */
enum bb_vm_event_item {
	BB_ALLOCSTALL_DMA,		/* direct reclaim, by highest zone */
	BB_ALLOCSTALL_DMA32,
	BB_ALLOCSTALL_NORMAL,
	BB_ALLOCSTALL_MOVABLE,
	BB_PGSCAN_KSWAPD,
	BB_PGSCAN_DIRECT,
	BB_PGSTEAL_KSWAPD,
	BB_PGSTEAL_DIRECT,
	BB_PGACTIVATE,
	BB_PGDEACTIVATE,
	BB_PAGEOUTRUN,			/* kswapd balance_pgdat() runs */
	BB_KSWAPD_WAKE,			/* wakeup_kswapd() that woke it */
	BB_KSWAPD_LOW_WMARK_HIT_QUICKLY,
	BB_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	BB_DROP_PAGECACHE,
	BB_PGMIGRATE_SUCCESS,
	BB_PGMIGRATE_FAIL,
	BB_COMPACTMIGRATE_SCANNED,
	BB_COMPACTFREE_SCANNED,
	BB_COMPACTISOLATED,
	BB_COMPACTSTALL,
	BB_COMPACTFAIL,
	BB_COMPACTSUCCESS,
	BB_COMPACT_STALL_NS,		/* time in direct compaction */
	BB_KCOMPACTD_WAKE,
	BB_KCOMPACTD_MIGRATE_SCANNED,
	BB_KCOMPACTD_FREE_SCANNED,
	BB_OOM_KILL,
	BB_NR_VM_EVENT_ITEMS
};

struct bb_vm_events {
	unsigned long event[BB_NR_VM_EVENT_ITEMS];
};

/* zone->flags */
#define BB_ZONE_BOOSTED_WATERMARK	0
#define BB_ZONE_RECLAIM_ACTIVE		1	/* kswapd is working on it */
/* pcp_high=6.7: an allocation found the zone under its high watermark */
#define BB_ZONE_BELOW_HIGH		2

/* The LRU lists of reclaimable cache allocations (file LRU only). */
enum bb_lru_list {
	BB_LRU_INACTIVE_FILE,
	BB_LRU_ACTIVE_FILE,
	BB_NR_LRU_LISTS
};

struct bb_lruvec {
	/* protects the lists, and page->owner_alloc of this node's pages */
	spinlock_t lru_lock;
	struct list_head lists[BB_NR_LRU_LISTS];	/* of struct bb_alloc */
	unsigned long nr_pages[BB_NR_LRU_LISTS];
	/* NR_ZONE_INACTIVE_FILE, NR_ZONE_ACTIVE_FILE: by list, by zone */
	unsigned long zone_nr[BB_NR_LRU_LISTS][BB_MAX_NR_ZONES];
};

struct task_struct;

struct bb_zoneref {
	struct bb_zone *zone;
	int zone_idx;
};

enum { BB_ZONELIST_FALLBACK, BB_ZONELIST_NOFALLBACK, BB_MAX_ZONELISTS };

#define BB_MAX_ZONES_PER_ZONELIST (BB_MAX_NUMNODES * BB_MAX_NR_ZONES)

struct bb_zonelist {
	/* terminated by an entry whose zone is NULL */
	struct bb_zoneref _zonerefs[BB_MAX_ZONES_PER_ZONELIST + 1];
};

/*
 * fail_page_alloc.c: fault injection, with the knobs of the kernel's
 * fail_page_alloc (its debugfs files, in this order).
 */
enum bb_fpa_knob {
	BB_FPA_PROBABILITY,		/* percent of the candidates, 0 .. 100 */
	BB_FPA_INTERVAL,		/* only every Nth candidate, >= 1 */
	BB_FPA_TIMES,			/* failures left, -1: no limit */
	BB_FPA_SPACE,			/* pages passed before the first */
	BB_FPA_VERBOSE,			/* 0 .. 2: what a failure logs */
	BB_FPA_IGNORE_GFP_WAIT,		/* spare __GFP_DIRECT_RECLAIM */
	BB_FPA_IGNORE_GFP_HIGHMEM,	/* spare __GFP_HIGHMEM */
	BB_FPA_MIN_ORDER,		/* spare the orders below */
	BB_FPA_NR_KNOBS
};

struct bb_fail_page_alloc {
	spinlock_t lock;	/* the knobs' changes, @count and @rnd */
	long knob[BB_FPA_NR_KNOBS];
	unsigned long count;	/* candidates that reached the interval rule */
	u64 rnd;		/* the sandbox's own generator */
};

/* The sandbox's pglist_data. */
struct bb_node {
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	struct bb_zone node_zones[BB_MAX_NR_ZONES];
	struct bb_zonelist node_zonelists[BB_MAX_ZONELISTS];
	int nr_zones;	/* highest populated zone index + 1 */
	struct bb_sandbox *sb;

	struct bb_lruvec lruvec;

	/* kswapd (vmscan.c) */
	struct task_struct *kswapd;
	wait_queue_head_t kswapd_wait;
	wait_queue_head_t pfmemalloc_wait;
	int kswapd_order;
	enum bb_zone_type kswapd_highest_zoneidx;
	int kswapd_failures;	/* balance_pgdat() runs that freed nothing */

	/* kcompactd (compaction.c) */
	struct task_struct *kcompactd;
	wait_queue_head_t kcompactd_wait;
	int kcompactd_max_order;
	enum bb_zone_type kcompactd_highest_zoneidx;
	unsigned int proactive_compact_trigger;

	/* daemons=sync: a wake of each, not run yet (bb_run_pending_daemons()) */
	bool kswapd_woken;
	bool kcompactd_woken;
};

/*
 * A sandbox's name: 1 to BB_SANDBOX_NAME_MAX of [a-z0-9_-].  It names its
 * debugfs folder and its kthreads ("bb_kswapd0/NAME").
 */
#define BB_SANDBOX_NAME_MAX	15

/*
 * A sandbox's policy (policy.c): which kernel's rule each part of the
 * allocator follows, a version as BB_GEN(6, 10).
 */
#define BB_GEN(major, minor)	((major) * 100 + (minor))

enum bb_policy_switch {
	BB_POLICY_FALLBACK,
	BB_POLICY_DEFRAG_MODE,
	BB_POLICY_RESERVES,
	BB_POLICY_HIGHATOMIC,
	BB_POLICY_PCP_HIGH,
	BB_POLICY_GENERATION,
	BB_NR_POLICY_KEYS
};

struct bb_policy {
	u16 fallback;		/* 6.1, 6.10 (freelist hygiene), 6.15 */
	u16 defrag_mode;	/* 0, 1 */
	u16 reserves;		/* 6.1, 6.3 */
	u16 highatomic;		/* 6.1, 6.12 */
	u16 pcp_high;		/* 6.1, 6.7 */
	u16 generation;		/* 6.1, 6.10, 6.15 */
	u32 given;		/* BIT(enum bb_policy_switch) of those named */
};

/* The parameters a sandbox is built from (module parameters or a test). */
struct bb_config {
	char name[BB_SANDBOX_NAME_MAX + 1];
	unsigned long size_mb;
	bool contig;			/* backing=contig */
	int nodes;
	/*
	 * Zone sizes of each node, in MiB; Normal takes the rest.  DMA and
	 * DMA32 are BB_ZONE_MB_AUTO unless given: then they scale with the
	 * region (bb_config_resolve()).
	 */
	unsigned long dma_mb;		/* node 0 only, as physical memory */
	unsigned long dma32_mb;		/* node 0 only */
	unsigned long movable_mb;	/* the top of every node */
	int distance[BB_MAX_NUMNODES][BB_MAX_NUMNODES];
	/* tunables; 0 min_free_kbytes means "compute like the kernel" */
	int min_free_kbytes;
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[BB_MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	bool pcp_disabled;		/* tests: every page to the buddy lists */
	int compaction_proactiveness;
	int extfrag_threshold;
	bool daemons;			/* start kswapd and kcompactd */
	bool daemons_sync;		/* daemons=sync: see bb_daemon_wake() */
	/*
	 * Decisions depend on the requests alone: the scheduler's wish to
	 * run something else (need_resched(), which ends async compaction
	 * early in the kernel) is never seen.  For replays and tests.
	 */
	bool reproducible;
	struct bb_policy policy;
};

/* The region of memory the sandbox manages. */
struct bb_region {
	void *base;		/* kernel address of the first byte */
	unsigned long start_pfn;	/* sandbox pfn of the first page */
	unsigned long nr_pages;
	struct page *contig_page; /* backing=contig: first real page */
};

struct bb_sandbox {
	struct bb_config cfg;
	struct bb_region region;
	struct bb_page *pages;		/* descriptors, one per region page */
	struct bb_page_ext *page_ext;	/* and the rest of each */
	u8 *pageblock_mt;		/* migratetype, one per pageblock */
	/* the zone of each pageblock; NULL for one that two zones share */
	struct bb_zone **pageblock_zone;
	struct bb_node node[BB_MAX_NUMNODES];
	int nr_nodes;

	/* tunables in force, under tunable_lock */
	struct mutex tunable_lock;
	int min_free_kbytes;
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[BB_MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;	/* 0: from the low watermark */
	int percpu_pagelist_batch;		/* 0: zone_batchsize() */
	/* 6.15's vm.defrag_mode (fallback=6.15 only), cfg.policy's mirror */
	int defrag_mode;
	/* zone_pcp_disable() for every zone: no page stays on a pcp list */
	bool pcp_disabled;
	int compaction_proactiveness;		/* 0 .. 100 */
	int extfrag_threshold;			/* 0 .. 1000 */

	/* the kthreads run (kswapd, kcompactd); tests build sandboxes without */
	bool daemons;
	/* daemons=sync: no kthread; their wakes run at the end of a command */
	bool daemons_sync;
	/* one caller at a time runs them, as one kthread each would */
	struct mutex daemons_sync_lock;
	/* daemons=on with pcp_high=6.7: the vmstat worker's rounds (pcp.c) */
	struct task_struct *vmstatd;
	wait_queue_head_t vmstatd_wait;

	/* owners of allocations, for the OOM killer (oom_kill.c) */
	struct mutex owners_lock;	/* protects @owners */
	struct list_head owners;
	struct mutex oom_lock;		/* one out_of_memory() at a time */

	struct bb_vm_events __percpu *events;

	atomic_long_t alloc_fail[BB_NR_FAIL_REASONS];

	/*
	 * enum bb_fallback_kind per zone, requested type and pageblock type,
	 * under the zone's lock (fragstat.c)
	 */
	unsigned long fallbacks[BB_MAX_NUMNODES][BB_MAX_NR_ZONES]
			       [BB_NR_FALLBACK_KINDS][BB_MIGRATE_PCPTYPES]
			       [BB_MIGRATE_TYPES];

	struct bb_fail_page_alloc fail_page_alloc;
};

struct bb_owner;
struct bb_trace;

/* The alloc_context of mm/internal.h. */
struct bb_alloc_context {
	struct bb_zonelist *zonelist;
	u32 nodemask;			/* 0: every node */
	struct bb_zoneref *preferred_zoneref;
	int nid;			/* the requester's node (NUMA stats) */
	int migratetype;
	enum bb_zone_type highest_zoneidx;
	/* who asks: "current" for the OOM killer; NULL for the module */
	struct bb_owner *owner;
	/* --explain: the steps taken are written here, or NULL */
	struct bb_trace *trace;
};

/* need_resched(), unless the sandbox is to decide reproducibly */
static inline bool bb_need_resched(const struct bb_sandbox *sb)
{
	return !sb->cfg.reproducible && need_resched();
}

static inline void bb_count_event(struct bb_sandbox *sb,
				  enum bb_vm_event_item item, long nr)
{
	this_cpu_add(sb->events->event[item], nr);
}

unsigned long bb_sum_event(struct bb_sandbox *sb, enum bb_vm_event_item item);

/* sandbox.c: building and tearing down */
#define BB_ZONE_MB_AUTO		ULONG_MAX	/* a zone size not given */
void bb_config_default(struct bb_config *cfg);
int bb_config_resolve(struct bb_config *cfg);
int bb_sandbox_create(const struct bb_config *cfg, struct bb_sandbox **out);
void bb_sandbox_destroy(struct bb_sandbox *sb);
void bb_run_pending_daemons(struct bb_sandbox *sb);

/*
 * Wake kswapd or kcompactd.  With daemons=sync they have no thread: the
 * wake is only recorded, and the daemon's work of one wake runs at the end
 * of the control command that woke it (bb_run_pending_daemons()), where
 * no lock is held: the same commands then give the same result, in the
 * module as in bbsim.  A wake inside the allocation path cannot run the
 * work there (the allocating owner's lock may be held, which compaction
 * waits for).
 */
static inline void bb_daemon_wake(struct bb_sandbox *sb, wait_queue_head_t *wq,
				  bool *woken)
{
	if (sb->daemons_sync)
		WRITE_ONCE(*woken, true);
	else
		wake_up_interruptible(wq);
}

/* the node has the daemon: a thread, or daemons=sync */
static inline bool bb_daemon_present(struct bb_sandbox *sb,
				     struct task_struct *thread)
{
	return thread || sb->daemons_sync;
}

/* region.c: the memory under the sandbox */
int bb_region_reserve(struct bb_region *r, unsigned long nr_pages, bool contig);
void bb_region_release(struct bb_region *r);

static inline struct bb_page *bb_pfn_to_page(struct bb_sandbox *sb,
					     unsigned long pfn)
{
	return &sb->pages[pfn - sb->region.start_pfn];
}

static inline struct bb_page_ext *bb_page_ext(struct bb_sandbox *sb,
					      struct bb_page *page)
{
	return &sb->page_ext[page - sb->pages];
}

static inline struct bb_page_ext *bb_pfn_to_page_ext(struct bb_sandbox *sb,
						     unsigned long pfn)
{
	return &sb->page_ext[pfn - sb->region.start_pfn];
}

static inline void bb_set_page_ext(struct bb_page_ext *ext, u8 flags,
				   unsigned int order, int alloc_mt)
{
	ext->flags = flags;
	ext->order = order;
	ext->alloc_mt = alloc_mt;
}

static inline unsigned long bb_page_to_pfn(struct bb_sandbox *sb,
					   struct bb_page *page)
{
	return sb->region.start_pfn + (page - sb->pages);
}

static inline void *bb_pfn_to_virt(struct bb_sandbox *sb, unsigned long pfn)
{
	return sb->region.base + ((pfn - sb->region.start_pfn) << PAGE_SHIFT);
}

static inline unsigned long bb_zone_end_pfn(const struct bb_zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool bb_zone_spans_pfn(const struct bb_zone *zone,
				     unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < bb_zone_end_pfn(zone);
}

static inline bool bb_populated_zone(const struct bb_zone *zone)
{
	return zone->managed_pages != 0;
}

static inline int bb_zone_to_nid(const struct bb_zone *zone)
{
	return zone->zone_pgdat->node_id;
}

struct bb_zone *bb_pfn_to_zone_slow(struct bb_sandbox *sb, unsigned long pfn);

static inline unsigned long bb_pageblock_index(struct bb_sandbox *sb,
					       unsigned long pfn)
{
	return (pfn - sb->region.start_pfn) >> BB_PAGEBLOCK_ORDER;
}

/*
 * page_zone(): the zone of a pfn of the region (NULL outside it), where
 * the kernel reads it from page->flags: from the table of the pageblocks'
 * zones, or by searching for a pageblock two zones share.
 */
static inline struct bb_zone *bb_pfn_to_zone(struct bb_sandbox *sb,
					     unsigned long pfn)
{
	struct bb_zone *zone;

	/* a pfn below the region wraps round to a large offset */
	if (pfn - sb->region.start_pfn >= sb->region.nr_pages)
		return NULL;
	zone = sb->pageblock_zone[bb_pageblock_index(sb, pfn)];
	return likely(zone) ? zone : bb_pfn_to_zone_slow(sb, pfn);
}

/* mmzone.c: zones and zonelists */
extern const char * const bb_zone_names[BB_MAX_NR_ZONES];
extern const char * const bb_migratetype_names[BB_MIGRATE_TYPES];
void bb_build_zonelists(struct bb_sandbox *sb);
void bb_build_pageblock_zones(struct bb_sandbox *sb);

/* pageblock.c: pageblock migratetypes, and compaction's skip hints */

/* The byte of a pageblock: the migratetype, and PB_migrate_skip on top. */
#define BB_PB_MIGRATETYPE_MASK	0x7f
#define BB_PB_MIGRATE_SKIP	0x80

static inline u8 *bb_pageblock_flags(struct bb_sandbox *sb, unsigned long pfn)
{
	return &sb->pageblock_mt[bb_pageblock_index(sb, pfn)];
}

/* inline: both the allocation and the freeing of a page read it */
static inline int bb_get_pageblock_migratetype(struct bb_sandbox *sb,
					       unsigned long pfn)
{
	return READ_ONCE(*bb_pageblock_flags(sb, pfn)) & BB_PB_MIGRATETYPE_MASK;
}

void bb_set_pageblock_migratetype(struct bb_sandbox *sb, unsigned long pfn,
				  int migratetype);
bool bb_get_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn);
void bb_set_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn);
void bb_clear_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn);

/* gfp.c; the table's reading and the checks inline, for every allocation */
#define BB_ZONE_BAD	(-1)
extern const s8 bb_gfp_zone_table[16];

static inline int bb_gfp_zone_bits(bb_gfp_t gfp)
{
	return bb_gfp_zone_table[gfp & BB_GFP_ZONEMASK];
}

static inline enum bb_zone_type bb_gfp_zone(bb_gfp_t gfp)
{
	int z = bb_gfp_zone_bits(gfp);

	return z == BB_ZONE_BAD ? BB_ZONE_NORMAL_IDX : z;
}

static inline int bb_gfp_migratetype(bb_gfp_t gfp)
{
	/* __GFP_MOVABLE is 0x08, __GFP_RECLAIMABLE 0x10: shift by 3 */
	return (gfp & BB_GFP_MOVABLE_MASK) >> 3;
}

/*
 * The checks the kernel makes with BUG, WARN or VM_WARN, turned into
 * -EINVAL so that user input can never splat.
 */
static inline int bb_gfp_check(bb_gfp_t gfp, unsigned int order)
{
	if (order >= BB_MAX_ORDER)
		return -EINVAL;
	if (gfp & ~BB___GFP_BITS_MASK)
		return -EINVAL;
	if (bb_gfp_zone_bits(gfp) == BB_ZONE_BAD)
		return -EINVAL;
	/* gfp_migratetype(): both mobility bits is not a migratetype */
	if ((gfp & BB_GFP_MOVABLE_MASK) == BB_GFP_MOVABLE_MASK)
		return -EINVAL;
	/* __alloc_pages_slowpath(): atomic and direct reclaim contradict */
	if ((gfp & (BB___GFP_ATOMIC | BB___GFP_DIRECT_RECLAIM)) ==
	    (BB___GFP_ATOMIC | BB___GFP_DIRECT_RECLAIM))
		return -EINVAL;
	if (gfp & BB___GFP_NOFAIL) {
		/* rmqueue() warns about __GFP_NOFAIL above order 1 */
		if (order > 1)
			return -EINVAL;
		/* the slow path warns when it cannot reclaim */
		if (!(gfp & BB___GFP_DIRECT_RECLAIM))
			return -EINVAL;
		if (gfp & (BB___GFP_NORETRY | BB___GFP_RETRY_MAYFAIL))
			return -EINVAL;
	}
	if ((gfp & (BB___GFP_MEMALLOC | BB___GFP_NOMEMALLOC)) ==
	    (BB___GFP_MEMALLOC | BB___GFP_NOMEMALLOC))
		return -EINVAL;
	return 0;
}

unsigned int bb_gfp_to_alloc_flags(const struct bb_sandbox *sb, bb_gfp_t gfp,
				   unsigned int order);
int bb_parse_gfp(const char *str, bb_gfp_t *gfp);

/* watermark.c */
int bb_default_min_free_kbytes(unsigned long lowmem_pages);
void bb_setup_per_zone_wmarks(struct bb_sandbox *sb);
void bb_setup_per_zone_lowmem_reserve(struct bb_sandbox *sb);
bool __bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			    unsigned long mark, int highest_zoneidx,
			    unsigned int alloc_flags, long free_pages);
bool bb_zone_watermark_ok(struct bb_zone *z, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags);
bool bb_boost_watermark(struct bb_sandbox *sb, struct bb_zone *zone);

static inline unsigned long bb_wmark_pages(const struct bb_zone *z, int i)
{
	return z->_watermark[i] + z->watermark_boost;
}

int bb_set_min_free_kbytes(struct bb_sandbox *sb, int val);
int bb_set_watermark_scale_factor(struct bb_sandbox *sb, int val);
int bb_set_watermark_boost_factor(struct bb_sandbox *sb, int val);
int bb_set_defrag_mode(struct bb_sandbox *sb, int val);
int bb_set_lowmem_reserve_ratio(struct bb_sandbox *sb,
				const int ratio[BB_MAX_NR_ZONES]);

/* page_alloc.c: the fast path and freeing */
struct bb_alloc_result {
	unsigned long pfn;
	struct bb_zone *zone;
	int migratetype;		/* of the pageblock it came from */
};

int bb_prepare_alloc_pages(struct bb_sandbox *sb, bb_gfp_t gfp,
			   unsigned int order, int preferred_nid,
			   u32 nodemask, struct bb_alloc_context *ac);
struct bb_page *bb_get_page_from_freelist(struct bb_sandbox *sb,
					  bb_gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags,
					  const struct bb_alloc_context *ac);
bool bb_unreserve_highatomic_pageblock(struct bb_sandbox *sb,
				       const struct bb_alloc_context *ac,
				       bool force);
int __bb_alloc_pages(struct bb_sandbox *sb, bb_gfp_t gfp, unsigned int order,
		     int preferred_nid, u32 nodemask,
		     struct bb_alloc_result *res);
int __bb_alloc_pages_owner(struct bb_sandbox *sb, bb_gfp_t gfp,
			   unsigned int order, int preferred_nid, u32 nodemask,
			   struct bb_owner *owner, struct bb_trace *trace,
			   struct bb_alloc_result *res);
void bb_free_pages(struct bb_sandbox *sb, unsigned long pfn,
		   unsigned int order);
unsigned long bb_move_freepages_block(struct bb_sandbox *sb,
				      struct bb_zone *zone, unsigned long pfn,
				      int migratetype, unsigned long *movable);
/* fpi_flags of __free_one_page() */
#define BB_FPI_NONE		0x0
#define BB_FPI_TO_TAIL		0x1	/* put the block on the list's tail */
bool bb_retype_pageblock(struct bb_sandbox *sb, struct bb_zone *zone,
			 unsigned long pfn, int migratetype);
void bb_free_one_page(struct bb_sandbox *sb, struct bb_zone *zone,
		      unsigned long pfn, unsigned int order,
		      unsigned int fpi_flags);
void __bb_free_one_page(struct bb_sandbox *sb, struct bb_zone *zone,
			unsigned long pfn, unsigned int order,
			int migratetype, unsigned int fpi_flags);
struct bb_trace;
struct bb_page *__bb_rmqueue(struct bb_sandbox *sb, struct bb_zone *zone,
			     unsigned int order, int migratetype,
			     unsigned int alloc_flags, struct bb_trace *trace);
/*
 * 6.15's rmqueue_mode: where one refill of a per-CPU list found its last
 * block, so that the next iteration skips the stages that failed already
 * (fallback=6.15; the others always start at the request's own lists).
 */
enum bb_rmqueue_mode {
	BB_RMQUEUE_NORMAL,	/* the request's own lists */
	BB_RMQUEUE_CLAIM,	/* claim a pageblock of another type */
	BB_RMQUEUE_STEAL,	/* take a chunk of another type's block */
};

struct bb_page *__bb_rmqueue_mode(struct bb_sandbox *sb, struct bb_zone *zone,
				  unsigned int order, int migratetype,
				  unsigned int alloc_flags,
				  enum bb_rmqueue_mode *mode,
				  struct bb_trace *trace);
void bb_prep_new_page(struct bb_sandbox *sb, struct bb_page *page,
		      unsigned int order, int migratetype);
int bb_alloc_pages_bulk(struct bb_sandbox *sb, bb_gfp_t gfp, int preferred_nid,
			unsigned int nr, unsigned long *pfns);
void bb_free_pages_bulk(struct bb_sandbox *sb, const unsigned long *pfns,
			unsigned int nr);
struct bb_page *__bb_rmqueue_smallest(struct bb_sandbox *sb,
				      struct bb_zone *zone,
				      unsigned int order, int migratetype);
int bb_find_suitable_fallback(struct bb_free_area *area, unsigned int order,
			      int migratetype, bool only_stealable,
			      bool *can_steal);
bool bb_can_steal_fallback(unsigned int order, int start_mt);
extern const int bb_fallbacks[BB_MIGRATE_TYPES][3];

/* fail_page_alloc.c */
void bb_fail_page_alloc_init(struct bb_sandbox *sb);
void bb_fail_page_alloc_seed(struct bb_sandbox *sb, u64 seed);
bool __bb_should_fail_alloc_page(struct bb_sandbox *sb, bb_gfp_t gfp,
				 unsigned int order, struct bb_trace *trace);
/* off, the default: one load on the way to the fast path, and no call */
static inline bool bb_should_fail_alloc_page(struct bb_sandbox *sb,
					     bb_gfp_t gfp, unsigned int order,
					     struct bb_trace *trace)
{
	if (likely(!READ_ONCE(sb->fail_page_alloc.knob[BB_FPA_PROBABILITY])))
		return false;
	return __bb_should_fail_alloc_page(sb, gfp, order, trace);
}

const char *bb_fpa_knob_name(unsigned int knob);
int bb_fpa_knob_find(const char *name);
long bb_fpa_get(struct bb_sandbox *sb, unsigned int knob);
int bb_fpa_set(struct bb_sandbox *sb, unsigned int knob, long val);
int bb_fpa_show(struct bb_sandbox *sb, unsigned int knob, char *buf,
		size_t size);
int bb_fpa_store(struct bb_sandbox *sb, unsigned int knob, const char *str);

/* pcp.c: the per-CPU page lists (the fast paths: pcp.h) */
int bb_pcp_init(struct bb_sandbox *sb);
void bb_pcp_destroy(struct bb_sandbox *sb);
void bb_zone_pcp_update(struct bb_sandbox *sb);
int bb_rmqueue_pcplist_bulk(struct bb_sandbox *sb, struct bb_zone *zone,
			    int migratetype, unsigned int alloc_flags,
			    unsigned int nr, unsigned long *pfns);
void bb_drain_all_pages(struct bb_sandbox *sb, struct bb_zone *zone);
int bb_set_percpu_pagelist_high_fraction(struct bb_sandbox *sb, int val);
int bb_set_percpu_pagelist_batch(struct bb_sandbox *sb, int val);
unsigned long bb_zone_pcp_count(struct bb_zone *zone);
int bb_vmstat_update(struct bb_sandbox *sb);
int bb_vmstatd_run(struct bb_sandbox *sb);
void bb_vmstatd_stop(struct bb_sandbox *sb);

/* slowpath.c: what happens when the fast path fails */
struct bb_page *__bb_alloc_pages_slowpath(struct bb_sandbox *sb, bb_gfp_t gfp,
					  unsigned int order,
					  struct bb_alloc_context *ac);

/* trace.c: the path of one allocation, for BB_ALLOC_F_EXPLAIN */
struct bb_trace {
	char *buf;
	size_t size;
	size_t len;
};

__printf(2, 3) void __bb_trace(struct bb_trace *t, const char *fmt, ...);
#define bb_trace(t, ...)					\
	do {							\
		struct bb_trace *__t = (t);			\
									\
		if (unlikely(__t))				\
			__bb_trace(__t, __VA_ARGS__);		\
	} while (0)

/* migrate.c: moving an owner's movable allocation (migrate_pages()) */
enum bb_migrate_mode {
	BB_MIGRATE_ASYNC,	/* never wait for the owner */
	BB_MIGRATE_SYNC_LIGHT,	/* wait a little */
	BB_MIGRATE_SYNC,	/* wait */
};

bool bb_page_movable(struct bb_sandbox *sb, unsigned long pfn);
int bb_migrate_alloc(struct bb_sandbox *sb, unsigned long src,
		     unsigned long dst, unsigned int order,
		     enum bb_migrate_mode mode);

/* vmscan.c: LRU lists of cache allocations, reclaim, kswapd */
#define BB_SWAP_CLUSTER_MAX	32UL
void bb_lruvec_init(struct bb_lruvec *lruvec);
void bb_lru_add(struct bb_sandbox *sb, struct bb_alloc *a);
void bb_lru_del(struct bb_sandbox *sb, struct bb_alloc *a);
void bb_mark_page_accessed(struct bb_sandbox *sb, struct bb_alloc *a);
unsigned long bb_try_to_free_pages(struct bb_sandbox *sb, unsigned int order,
				   bb_gfp_t gfp,
				   const struct bb_alloc_context *ac);
unsigned long bb_reclaim_pages(struct bb_sandbox *sb, int nid,
			       unsigned long nr_pages);
unsigned long bb_drop_caches(struct bb_sandbox *sb);
void bb_wakeup_kswapd(struct bb_sandbox *sb, struct bb_zone *zone,
		      bb_gfp_t gfp, int order,
		      enum bb_zone_type highest_zoneidx);
unsigned long bb_node_lru_pages(struct bb_node *pgdat);
bool bb_pgdat_unreclaimable(struct bb_node *pgdat);
unsigned long bb_zone_lru_pages(struct bb_zone *zone, int lru);
/*
 * One wake's work of kswapd, what its thread does each time it is woken:
 * for a daemonless sandbox run step by step (see vmscan.c for what it does).
 */
void bb_kswapd_work(struct bb_node *pgdat);
int bb_kswapd_run(struct bb_sandbox *sb);
void bb_kswapd_stop(struct bb_sandbox *sb);

/* compaction.c: compact_zone(), deferral, kcompactd */
enum bb_compact_priority {
	BB_COMPACT_PRIO_SYNC_FULL,
	BB_MIN_COMPACT_PRIORITY = BB_COMPACT_PRIO_SYNC_FULL,
	BB_COMPACT_PRIO_SYNC_LIGHT,
	BB_MIN_COMPACT_COSTLY_PRIORITY = BB_COMPACT_PRIO_SYNC_LIGHT,
	BB_DEF_COMPACT_PRIORITY = BB_COMPACT_PRIO_SYNC_LIGHT,
	BB_COMPACT_PRIO_ASYNC,
	BB_INIT_COMPACT_PRIORITY = BB_COMPACT_PRIO_ASYNC
};

/* enum compact_result, in the kernel's order */
enum bb_compact_result {
	BB_COMPACT_NOT_SUITABLE_ZONE,
	BB_COMPACT_SKIPPED,
	BB_COMPACT_DEFERRED,
	BB_COMPACT_NO_SUITABLE_PAGE,
	BB_COMPACT_CONTINUE,
	BB_COMPACT_COMPLETE,
	BB_COMPACT_PARTIAL_SKIPPED,
	BB_COMPACT_CONTENDED,
	BB_COMPACT_SUCCESS,
	BB_NR_COMPACT_RESULTS
};

#define BB_COMPACT_MAX_DEFER_SHIFT	6

extern const char * const bb_compact_result_names[BB_NR_COMPACT_RESULTS];
enum bb_compact_result bb_try_to_compact_pages(struct bb_sandbox *sb,
					       bb_gfp_t gfp, unsigned int order,
					       unsigned int alloc_flags,
					       const struct bb_alloc_context *ac,
					       enum bb_compact_priority prio);
enum bb_compact_result bb_compaction_suitable(struct bb_zone *zone,
					      unsigned int order,
					      unsigned int alloc_flags,
					      int highest_zoneidx);
bool bb_compaction_zonelist_suitable(struct bb_sandbox *sb,
				     const struct bb_alloc_context *ac,
				     unsigned int order, unsigned int alloc_flags);
bool bb_compaction_deferred(struct bb_zone *zone, unsigned int order);
void bb_defer_compaction(struct bb_zone *zone, unsigned int order);
void bb_compaction_defer_reset(struct bb_zone *zone, unsigned int order,
			       bool alloc_success);
bool bb_compaction_restarting(struct bb_zone *zone, unsigned int order);
int bb_fragmentation_index(struct bb_zone *zone, unsigned int order);
unsigned int bb_fragmentation_score_node(struct bb_node *pgdat);
/* control "compact [node=N] [zone=Z]": zone_idx -1 for every zone */
int bb_compact_node(struct bb_sandbox *sb, int nid, int zone_idx);
void bb_wakeup_kcompactd(struct bb_node *pgdat, int order,
			 enum bb_zone_type highest_zoneidx);
int bb_kcompactd_run(struct bb_sandbox *sb);
void bb_kcompactd_stop(struct bb_sandbox *sb);
/* one wake of kcompactd, run by the caller: see compaction.c */
void bb_kcompactd_do_work(struct bb_node *pgdat);
unsigned int bb_kcompactd_work(struct bb_node *pgdat);
int bb_set_compaction_proactiveness(struct bb_sandbox *sb, int val);
int bb_set_extfrag_threshold(struct bb_sandbox *sb, int val);
/* reset_isolation_suitable(): kswapd, before it sleeps */
void bb_reset_isolation_suitable(struct bb_node *pgdat);

/* slowpath.c: should_compact_retry(), one of the slow path's retry rules */
bool bb_should_compact_retry(struct bb_sandbox *sb,
			     const struct bb_alloc_context *ac,
			     unsigned int order, unsigned int alloc_flags,
			     enum bb_compact_result result,
			     enum bb_compact_priority *prio,
			     int *compaction_retries);

/* The compact_control of mm/internal.h: one run of compact_zone(). */
#define BB_COMPACT_CLUSTER_MAX	32
#define BB_COMPACT_NO_PFN	ULONG_MAX

/*
 * Isolated free blocks of one order, oldest first.  They are threaded
 * through their head's page->unused (the next pfn), as the kernel threads
 * isolated pages through page->lru: owner_alloc must stay NULL.
 */
struct bb_compact_freelist {
	unsigned long head;	/* BB_COMPACT_NO_PFN: empty */
	unsigned long tail;
};

/* compaction's two scanners */
enum bb_scanner {
	BB_SCANNER_MIGRATE,	/* upwards, taking allocations to move */
	BB_SCANNER_FREE,	/* downwards, taking free blocks as targets */
	BB_NR_SCANNERS
};

struct bb_compact_control {
	struct bb_sandbox *sb;
	struct bb_zone *zone;
	struct bb_compact_freelist freepages[BB_MAX_ORDER];
	unsigned long nr_freepages;	/* pages isolated as targets */
	/* the allocations isolated for migration (cc->migratepages) */
	struct {
		unsigned long pfn;
		unsigned int order;
	} migratepages[BB_COMPACT_CLUSTER_MAX];
	unsigned int nr_migrate;	/* entries of migratepages[] */
	unsigned long nr_migratepages;	/* their pages, not yet migrated */
	unsigned long free_pfn;		/* the free scanner's position */
	unsigned long migrate_pfn;	/* the migrate scanner's position */
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
	bb_gfp_t gfp_mask;
	int order;			/* -1: compact the whole zone */
	int migratetype;		/* from gfp_mask */
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum bb_migrate_mode mode;
	bool ignore_skip_hint;		/* scan pageblocks marked skip */
	bool no_set_skip_hint;		/* do not mark them */
	bool ignore_block_suitable;	/* any pageblock type is a target */
	bool direct_compaction;		/* an allocation waits for it */
	bool proactive_compaction;	/* kcompactd's proactive work */
	bool whole_zone;		/* from the zone's start to its end */
	bool contended;			/* a lock was contended, or a signal */
	bool rescan;			/* the same pageblock again */
	/*
	 * --explain: where the scanners were when the first isolation began,
	 * and the pageblocks each passed by for their skip bit.  Zero in a
	 * fresh compact_control; a reused one adds up.
	 */
	bool scan_started;
	unsigned long scan_start_pfn[BB_NR_SCANNERS];
	unsigned int blocks_skipped[BB_NR_SCANNERS];
};

enum bb_compact_result bb_compact_zone(struct bb_compact_control *cc);
/* compact_finished()'s verdict, and the stop condition that gave it */
enum bb_compact_result __bb_compact_finished(struct bb_compact_control *cc,
					     const char **reason);

/* oom_kill.c */
void bb_oom_register(struct bb_owner *owner);
void bb_oom_unregister(struct bb_owner *owner);
long bb_oom_badness(struct bb_owner *owner, unsigned long totalpages);
bool bb_out_of_memory(struct bb_sandbox *sb, bb_gfp_t gfp, unsigned int order,
		      struct bb_owner *requester, struct bb_trace *trace);

/* policy.c: the generation of each rule */
struct seq_file;
void bb_policy_default(struct bb_policy *p);
int bb_policy_key_index(const char *name);
int bb_policy_set(struct bb_policy *p, int key, const char *val,
		  const char **what);
int bb_policy_resolve(struct bb_policy *p);
void bb_show_policy(struct seq_file *m, struct bb_sandbox *sb);

/*
 * fallback=6.10 and later: free pages always sit on the lists of their
 * pageblock's type, and a fallback claims the whole pageblock or takes
 * only the chunk it needs.
 */
static inline bool bb_freelist_hygiene(const struct bb_sandbox *sb)
{
	return sb->cfg.policy.fallback >= BB_GEN(6, 10);
}

/* fallback=6.15: __rmqueue_claim() over every order, then __rmqueue_steal() */
static inline bool bb_fallback_615(const struct bb_sandbox *sb)
{
	return sb->cfg.policy.fallback >= BB_GEN(6, 15);
}

/*
 * defrag_mode=1 (6.15's vm.defrag_mode, fallback=6.15 only; switched at
 * run time): no fragmenting fallback until reclaim and compaction have
 * failed; kswapd and kcompactd aim at whole free pageblocks.
 */
static inline bool bb_defrag_mode(const struct bb_sandbox *sb)
{
	return READ_ONCE(sb->defrag_mode);
}

/*
 * reserves=6.3 and later: no __GFP_ATOMIC; __GFP_HIGH earns
 * ALLOC_MIN_RESERVE, not blocking ALLOC_NON_BLOCK, each its own share of
 * the min watermark.
 */
static inline bool bb_reserves_63(const struct bb_sandbox *sb)
{
	return sb->cfg.policy.reserves >= BB_GEN(6, 3);
}

/*
 * highatomic=6.12: the watermark leaves out the reserve's free pages, not
 * its pageblocks; a request that cannot block, or an OOM victim, takes
 * from the reserve before failing; the reserve is 1% of the zone rounded
 * up to pageblocks, none when that is less than a pageblock.
 */
static inline bool bb_highatomic_612(const struct bb_sandbox *sb)
{
	return sb->cfg.policy.highatomic >= BB_GEN(6, 12);
}

/*
 * pcp_high=6.7: each per-CPU list's high is tuned between a minimum (6.1's
 * high) and a maximum (an eighth of the zone over the CPUs) by how the
 * list is used, and decays in each vmstat round (bb_vmstat_update()).
 */
static inline bool bb_pcp_high_tuned(const struct bb_sandbox *sb)
{
	return sb->cfg.policy.pcp_high >= BB_GEN(6, 7);
}

/* fragstat.c: fallbacks and mixed pageblocks, for comparing policies */
void bb_count_fallback(struct bb_zone *zone, enum bb_fallback_kind kind,
		       int start_type, int block_type);

void bb_show_fallbacks(struct seq_file *m, struct bb_sandbox *sb);
void bb_show_pageblocks(struct seq_file *m, struct bb_sandbox *sb);

/* check.c: the consistency checker */
struct bb_check_report {
	char *buf;
	size_t size;
	size_t len;
	unsigned int problems;
};

int bb_check(struct bb_sandbox *sb, struct bb_check_report *rep);
/* room for the whole report of the checker */
#define BB_CHECK_REPORT_SIZE	(PAGE_SIZE * 4)

/* vmstat.c: what mm/vmstat.c shows, in the kernel's formats */
struct seq_file;
void bb_zone_nr_free(struct bb_zone *zone, unsigned long nr_free[BB_MAX_ORDER]);
unsigned int bb_extfrag_for_order(struct bb_zone *zone, unsigned int order);
const char *bb_migratetype_name(int mt);
const char *bb_zone_name(int zone_idx);
void bb_show_buddyinfo(struct seq_file *m, struct bb_sandbox *sb);
void bb_show_pagetypeinfo(struct seq_file *m, struct bb_sandbox *sb);
void bb_show_zoneinfo(struct seq_file *m, struct bb_sandbox *sb);
void bb_show_extfrag(struct seq_file *m, struct bb_sandbox *sb, bool unusable);
void bb_show_vmstat(struct seq_file *m, struct bb_sandbox *sb);
int bb_show_check(struct seq_file *m, struct bb_sandbox *sb);

/* pbmap.c: what each pageblock holds, and the pageblock_map file */
enum bb_pageblock_state {
	BB_PB_EMPTY,	/* no page of it allocated */
	BB_PB_PURE,	/* every allocated page of the block's type */
	BB_PB_MIXED,	/* some of another */
	BB_NR_PB_STATES
};

/* one pageblock, as a walk of its zone found it */
struct bb_pageblock_info {
	unsigned long pfn;	/* its first pfn in the zone */
	unsigned int pages;	/* the zone's pages in it */
	unsigned int nr_free;	/* on the buddy and the per-CPU lists */
	u8 mt;			/* its migratetype */
	u8 types;		/* BIT(type asked for) of its allocations */
};

enum bb_pageblock_state bb_pageblock_state(int mt, u8 types);
unsigned long bb_zone_nr_pageblocks(const struct bb_zone *zone);
void bb_zone_pageblock_walk(struct bb_sandbox *sb, struct bb_zone *zone,
			    struct bb_pageblock_info *info);
void bb_show_pageblock_map(struct seq_file *m, struct bb_sandbox *sb);
/* fragstat.c: the zone's pageblocks by type and state, from the walk */
int bb_zone_pageblock_counts(struct bb_sandbox *sb, struct bb_zone *zone,
			     unsigned long count[BB_MIGRATE_TYPES][BB_NR_PB_STATES]);

/* Sums over all zones. */
unsigned long bb_sandbox_free_pages(struct bb_sandbox *sb);
unsigned long bb_zone_stat(struct bb_zone *zone,
			   enum bb_zone_stat_item item);
unsigned long bb_zone_numa_stat(struct bb_zone *zone,
				enum bb_numa_stat_item item);
/* first_online_pgdat()/next_zone(): every zone of every node, in order */
static inline struct bb_zone *bb_first_zone(struct bb_sandbox *sb)
{
	return sb->node[0].node_zones;
}

static inline struct bb_zone *bb_next_zone(struct bb_sandbox *sb,
					   struct bb_zone *zone)
{
	struct bb_node *pgdat = zone->zone_pgdat;

	if (zone < pgdat->node_zones + BB_MAX_NR_ZONES - 1)
		return zone + 1;
	if (pgdat->node_id + 1 < sb->nr_nodes)
		return sb->node[pgdat->node_id + 1].node_zones;
	return NULL;
}

/* owner.c: allocations that belong to someone (a descriptor or the module) */
/*
 * An allocation of an owner.  Its fields change only under owner->lock
 * (compaction moves it, reclaim drops it, both holding that lock); the
 * page's owner_alloc and the LRU links are under the node's lru_lock.
 */
struct bb_alloc {
	u32 handle;
	unsigned long pfn;	/* where it is now */
	unsigned int order;
	int migratetype;	/* of the pageblock it came from */
	int zone_idx;
	int nid;
	bb_gfp_t gfp;
	u32 flags;		/* BB_ALLOC_F_CACHE */
	u32 state;		/* BB_STATE_* of the uapi */
	u32 migrations;		/* times compaction moved it */
	struct bb_owner *owner;
	/* BB_STATE_CACHE: on the node's LRU, under lru_lock */
	struct list_head lru;
	bool on_lru;
	bool active;		/* PG_active */
	bool referenced;	/* PG_referenced, set on READ/WRITE */
};

struct bb_owner {
	struct bb_sandbox *sb;
	struct mutex lock;	/* serialises the owner's allocs */
	struct xarray allocs;	/* handle -> struct bb_alloc */
	u32 next_handle;
	unsigned long nr_allocs;
	unsigned long nr_pages;	/* held now (stale ones not counted) */

	/* the OOM killer: device descriptors only */
	struct list_head node;	/* in sb->owners, under owners_lock */
	pid_t tgid;		/* of the opener, for the reports */
	bool oom_candidate;
	int oom_score_adj;	/* -1000 .. 1000 */
	bool oom_killed;	/* set once; later ioctls answer -EIO */
	wait_queue_head_t oom_wait;	/* poll() */
};

void bb_owner_init(struct bb_owner *owner, struct bb_sandbox *sb);
void bb_owner_release(struct bb_owner *owner);
int bb_owner_alloc(struct bb_owner *owner, bb_gfp_t gfp, unsigned int order,
		   int nid, u32 nodemask, u32 flags, struct bb_trace *trace,
		   struct bb_alloc *out);
int bb_owner_lookup(struct bb_owner *owner, u32 handle, struct bb_alloc *out);
void bb_owner_revoke(struct bb_owner *owner);
void bb_owner_mark_stale(struct bb_owner *owner, struct bb_alloc *a);
int bb_owner_free(struct bb_owner *owner, u32 handle);
int bb_owner_alloc_bulk(struct bb_owner *owner, bb_gfp_t gfp, int nid,
			unsigned int nr, u64 *handles);
int bb_owner_free_bulk(struct bb_owner *owner, const u64 *handles,
		       unsigned int nr, unsigned int *done);
struct iov_iter;
int bb_owner_rw(struct bb_owner *owner, u32 handle, u64 offset,
		struct iov_iter *iter, bool write);
/* Calls @fn on every allocation, in handle order, under owner->lock. */
int bb_owner_for_each(struct bb_owner *owner,
		      int (*fn)(const struct bb_alloc *a, void *arg),
		      void *arg);

/* control.c: the control language (debugfs "control", bbsim) */
struct bb_control {
	struct bb_sandbox *sb;
	struct bb_owner owner;	/* the allocations made through it */
	struct mutex lock;	/* one batch at a time */
};

/* where a batch of lines went wrong */
struct bb_control_error {
	unsigned int line;	/* 1-based; 0: the batch as a whole */
	const char *key;	/* the parameter, where one is at fault */
	const char *what;
};

void bb_control_init(struct bb_control *ctl, struct bb_sandbox *sb);
void bb_control_release(struct bb_control *ctl);
int bb_control_run(struct bb_control *ctl, char *buf,
		   struct bb_control_error *err);
void bb_show_allocations(struct seq_file *m, struct bb_control *ctl);

/* an integer tunable, as a file of /proc/sys/vm/ */
struct bb_tunable {
	const char *name;
	size_t offset;		/* of the int in struct bb_sandbox */
	int (*set)(struct bb_sandbox *sb, int val);
};

const struct bb_tunable *bb_tunable(unsigned int i);
const struct bb_tunable *bb_tunable_find(const char *name);
int bb_tunable_get(struct bb_sandbox *sb, const struct bb_tunable *t);
int bb_parse_lowmem_reserve_ratio(char *buf, int ratio[BB_MAX_NR_ZONES]);
char *bb_next_token(char **s, const char *delim);

/* config.c: a sandbox's parameters from "key=value" words */
int bb_config_parse(struct bb_config *cfg, char *args,
		    struct bb_control_error *err);
int bb_config_set_distance(struct bb_config *cfg, const int *values, int nr);
int bb_config_parse_one(struct bb_config *cfg, const char *key,
			const char *val);
#endif /* _BUDDYBOX_H */
