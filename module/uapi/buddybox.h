/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * buddybox: user-space API of the sandboxed zoned buddy allocator.
 *
 * The device /dev/buddybox takes the ioctls below.  Allocations made through
 * a file descriptor belong to it and are freed when it is closed.
 */
#ifndef _UAPI_LINUX_BUDDYBOX_H
#define _UAPI_LINUX_BUDDYBOX_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * The sandbox's own gfp bits.  They mirror the kernel's __GFP_* flags but are
 * a separate namespace: they only mean something to buddybox.
 */
#define BB___GFP_DMA		0x01u
#define BB___GFP_HIGHMEM	0x02u
#define BB___GFP_DMA32		0x04u
#define BB___GFP_MOVABLE	0x08u
#define BB___GFP_RECLAIMABLE	0x10u
#define BB___GFP_HIGH		0x20u
#define BB___GFP_ATOMIC		0x40u
#define BB___GFP_DIRECT_RECLAIM	0x80u
#define BB___GFP_KSWAPD_RECLAIM	0x100u
#define BB___GFP_NOWARN		0x200u
#define BB___GFP_NORETRY	0x400u
#define BB___GFP_RETRY_MAYFAIL	0x800u
#define BB___GFP_NOFAIL		0x1000u
#define BB___GFP_ZERO		0x2000u
#define BB___GFP_THISNODE	0x4000u
#define BB___GFP_HARDWALL	0x8000u
#define BB___GFP_MEMALLOC	0x10000u
#define BB___GFP_NOMEMALLOC	0x20000u
#define BB___GFP_COMP		0x40000u
#define BB___GFP_IO		0x80000u
#define BB___GFP_FS		0x100000u
#define BB___GFP_BITS_MASK	0x1fffffu

#define BB___GFP_RECLAIM	(BB___GFP_DIRECT_RECLAIM | BB___GFP_KSWAPD_RECLAIM)
#define BB_GFP_ZONEMASK		(BB___GFP_DMA | BB___GFP_HIGHMEM | \
				 BB___GFP_DMA32 | BB___GFP_MOVABLE)
#define BB_GFP_MOVABLE_MASK	(BB___GFP_RECLAIMABLE | BB___GFP_MOVABLE)

#define BB_GFP_ATOMIC		(BB___GFP_HIGH | BB___GFP_ATOMIC | \
				 BB___GFP_KSWAPD_RECLAIM)
#define BB_GFP_KERNEL		(BB___GFP_RECLAIM | BB___GFP_IO | BB___GFP_FS)
#define BB_GFP_NOWAIT		(BB___GFP_KSWAPD_RECLAIM)
#define BB_GFP_NOIO		(BB___GFP_RECLAIM)
#define BB_GFP_NOFS		(BB___GFP_RECLAIM | BB___GFP_IO)
#define BB_GFP_USER		(BB___GFP_RECLAIM | BB___GFP_IO | \
				 BB___GFP_FS | BB___GFP_HARDWALL)
#define BB_GFP_DMA		(BB___GFP_DMA)
#define BB_GFP_DMA32		(BB___GFP_DMA32)
#define BB_GFP_HIGHUSER		(BB_GFP_USER | BB___GFP_HIGHMEM)
#define BB_GFP_HIGHUSER_MOVABLE	(BB_GFP_HIGHUSER | BB___GFP_MOVABLE)

/*
 * The gfp names the module's control parser, buddyctl and bbfrag accept,
 * spelled as in the kernel (without the BB_ prefix): one list for all, in
 * the order buddyctl's help prints them, each composite before the ones
 * it contains (as the kernel's show_gfp_flags() table: flags are named
 * greedily).  BB_GFP_NAME_LIST(K) is the list in parentheses, each entry
 * BB_GFP_ENTRY_K(name, value); BB_GFP_EXPAND(BB_GFP_UNPAREN list) gives
 * its entries (the outer macro makes the inner one apply to the list's
 * parentheses).  BB_GFP_NAMES_INIT is the initializer of { name, value }
 * pairs that each user of a table declares with its own struct, e.g.
 *	struct bb_gfp_name { const char *name; unsigned int gfp; };
 *	static const struct bb_gfp_name names[] = BB_GFP_NAMES_INIT;
 * The module's tracepoints print gfp flags from BB_GFP_NAME_LIST(TP).
 */
#define BB_GFP_NAME_LIST(k) (						\
	BB_GFP_ENTRY_##k("GFP_HIGHUSER_MOVABLE", BB_GFP_HIGHUSER_MOVABLE),	\
	BB_GFP_ENTRY_##k("GFP_HIGHUSER", BB_GFP_HIGHUSER),		\
	BB_GFP_ENTRY_##k("GFP_USER", BB_GFP_USER),			\
	BB_GFP_ENTRY_##k("GFP_KERNEL", BB_GFP_KERNEL),			\
	BB_GFP_ENTRY_##k("GFP_NOFS", BB_GFP_NOFS),			\
	BB_GFP_ENTRY_##k("GFP_ATOMIC", BB_GFP_ATOMIC),			\
	BB_GFP_ENTRY_##k("GFP_NOIO", BB_GFP_NOIO),			\
	BB_GFP_ENTRY_##k("GFP_NOWAIT", BB_GFP_NOWAIT),			\
	BB_GFP_ENTRY_##k("GFP_DMA", BB_GFP_DMA),			\
	BB_GFP_ENTRY_##k("GFP_DMA32", BB_GFP_DMA32),			\
	BB_GFP_ENTRY_##k("__GFP_DMA", BB___GFP_DMA),			\
	BB_GFP_ENTRY_##k("__GFP_HIGHMEM", BB___GFP_HIGHMEM),		\
	BB_GFP_ENTRY_##k("__GFP_DMA32", BB___GFP_DMA32),		\
	BB_GFP_ENTRY_##k("__GFP_MOVABLE", BB___GFP_MOVABLE),		\
	BB_GFP_ENTRY_##k("__GFP_RECLAIMABLE", BB___GFP_RECLAIMABLE),	\
	BB_GFP_ENTRY_##k("__GFP_HIGH", BB___GFP_HIGH),			\
	BB_GFP_ENTRY_##k("__GFP_ATOMIC", BB___GFP_ATOMIC),		\
	BB_GFP_ENTRY_##k("__GFP_DIRECT_RECLAIM", BB___GFP_DIRECT_RECLAIM),	\
	BB_GFP_ENTRY_##k("__GFP_KSWAPD_RECLAIM", BB___GFP_KSWAPD_RECLAIM),	\
	BB_GFP_ENTRY_##k("__GFP_RECLAIM", BB___GFP_RECLAIM),		\
	BB_GFP_ENTRY_##k("__GFP_NOWARN", BB___GFP_NOWARN),		\
	BB_GFP_ENTRY_##k("__GFP_NORETRY", BB___GFP_NORETRY),		\
	BB_GFP_ENTRY_##k("__GFP_RETRY_MAYFAIL", BB___GFP_RETRY_MAYFAIL),	\
	BB_GFP_ENTRY_##k("__GFP_NOFAIL", BB___GFP_NOFAIL),		\
	BB_GFP_ENTRY_##k("__GFP_ZERO", BB___GFP_ZERO),			\
	BB_GFP_ENTRY_##k("__GFP_THISNODE", BB___GFP_THISNODE),		\
	BB_GFP_ENTRY_##k("__GFP_HARDWALL", BB___GFP_HARDWALL),		\
	BB_GFP_ENTRY_##k("__GFP_MEMALLOC", BB___GFP_MEMALLOC),		\
	BB_GFP_ENTRY_##k("__GFP_NOMEMALLOC", BB___GFP_NOMEMALLOC),	\
	BB_GFP_ENTRY_##k("__GFP_COMP", BB___GFP_COMP),			\
	BB_GFP_ENTRY_##k("__GFP_IO", BB___GFP_IO),			\
	BB_GFP_ENTRY_##k("__GFP_FS", BB___GFP_FS))
#define BB_GFP_UNPAREN(...)		__VA_ARGS__
#define BB_GFP_EXPAND(...)		__VA_ARGS__
#define BB_GFP_ENTRY_PAIR(name, value)	{ name, value }
#define BB_GFP_NAMES_INIT						\
	{ BB_GFP_EXPAND(BB_GFP_UNPAREN BB_GFP_NAME_LIST(PAIR)) }

/* Orders 0 .. BB_MAX_ORDER - 1, as the kernel's MAX_ORDER in 6.1. */
#define BB_MAX_ORDER		11
#define BB_MAX_NUMNODES		4

/* Zone and migratetype numbers reported back, as in the kernel. */
enum bb_uapi_zone {
	BB_ZONE_DMA = 0,
	BB_ZONE_DMA32 = 1,
	BB_ZONE_NORMAL = 2,
	BB_ZONE_MOVABLE = 3,
};

/* bb_alloc_req.flags */
#define BB_ALLOC_F_CACHE	0x1u	/* clean cache: reclaim may drop it */
#define BB_ALLOC_F_EXPLAIN	0x2u	/* fill @path with the steps taken */
#define BB_ALLOC_F_MASK		(BB_ALLOC_F_CACHE | BB_ALLOC_F_EXPLAIN)

/**
 * struct bb_alloc_req - BB_IOC_ALLOC
 * @order:	in: allocation order, 0 .. BB_MAX_ORDER - 1
 * @gfp:	in: BB___GFP_* bits
 * @nid:	in: preferred node, or -1 for node 0
 * @nodemask:	in: bit n allows node n; 0 allows every node
 * @flags:	in: BB_ALLOC_F_* bits
 * @zone:	out: zone index (enum bb_uapi_zone)
 * @handle:	out: handle of the allocation, private to this descriptor
 * @pfn:	out: sandbox pfn of the first page, where it is now; compaction
 *		may move a movable allocation later (see BB_IOC_LOOKUP)
 * @node:	out: node of the allocation
 * @migratetype: out: migratetype of the pageblock it came from
 * @path:	in: with BB_ALLOC_F_EXPLAIN, user pointer to a text buffer
 *		that receives the path of the allocation, NUL-terminated
 * @path_len:	in: size of that buffer; out: bytes written, without NUL
 * @pad:	must be 0
 */
struct bb_alloc_req {
	__u32 order;
	__u32 gfp;
	__s32 nid;
	__u32 nodemask;
	__u32 flags;
	__u32 zone;
	__u64 handle;
	__u64 pfn;
	__u32 node;
	__u32 migratetype;
	__u64 path;
	__u32 path_len;
	__u32 pad;
};

/** struct bb_free_req - BB_IOC_FREE: @handle to free */
struct bb_free_req {
	__u64 handle;
};

/**
 * struct bb_rw_req - BB_IOC_WRITE and BB_IOC_READ
 * @handle:	allocation to access
 * @offset:	byte offset inside the allocation
 * @length:	bytes to copy; offset + length must fit the allocation
 * @buf:	user pointer to the data
 */
struct bb_rw_req {
	__u64 handle;
	__u64 offset;
	__u64 length;
	__u64 buf;
};

/**
 * struct bb_stats - BB_IOC_STATS
 * Counters of the whole sandbox; the per-zone figures are in debugfs.
 */
struct bb_stats {
	__u64 region_pages;
	__u64 free_pages;
	__u64 nr_nodes;
	__u64 nr_zones;
	__u64 pgalloc;
	__u64 pgfree;
	__u64 alloc_fail;
	__u64 fallbacks;
	__u64 steals;
	__u64 claims;
	__u64 fd_allocations;
	__u64 fd_pages;
};

/* Most entries one BB_IOC_ALLOC_BULK or BB_IOC_FREE_BULK takes. */
#define BB_BULK_MAX		4096

/**
 * struct bb_bulk_req - BB_IOC_ALLOC_BULK and BB_IOC_FREE_BULK
 * @handles:	user pointer to an array of @nr __u64 handles: filled by
 *		ALLOC_BULK, read by FREE_BULK
 * @nr:		in: entries in the array, 1 .. BB_BULK_MAX
 * @gfp:	in (ALLOC_BULK): BB___GFP_* bits; the pages are order 0
 * @nid:	in (ALLOC_BULK): preferred node, or -1 for node 0
 * @nr_done:	out: pages allocated (the first @nr_done entries), or
 *		handles freed
 * @flags:	must be 0
 * @pad:	must be 0
 *
 * Like alloc_pages_bulk(), ALLOC_BULK stops at the first page it cannot
 * get and reports how many it got; it fails only if it got none.
 * FREE_BULK stops at the first unknown handle and answers -ENOENT.
 */
struct bb_bulk_req {
	__u64 handles;
	__u32 nr;
	__u32 gfp;
	__s32 nid;
	__u32 nr_done;
	__u32 flags;
	__u32 pad;
};

/* bb_lookup_req.state */
#define BB_STATE_PINNED		0	/* never moved, never dropped */
#define BB_STATE_MOVABLE	1	/* compaction may move it */
#define BB_STATE_CACHE		2	/* reclaim may drop it */
#define BB_STATE_STALE		3	/* was cache, reclaim dropped it */

/**
 * struct bb_lookup_req - BB_IOC_LOOKUP: where an allocation is now
 * @handle:	in: the allocation
 * @pfn:	out: sandbox pfn of its first page
 * @order:	out: its order
 * @zone:	out: zone index
 * @node:	out: node
 * @migratetype: out: migratetype of its pageblock
 * @state:	out: BB_STATE_*
 * @migrations: out: times compaction moved it
 */
struct bb_lookup_req {
	__u64 handle;
	__u64 pfn;
	__u32 order;
	__u32 zone;
	__u32 node;
	__u32 migratetype;
	__u32 state;
	__u32 migrations;
};

/**
 * struct bb_oom_req - BB_IOC_OOM_SCORE_ADJ
 * @set:	in: 1 to set @oom_score_adj, 0 to only read it
 * @oom_score_adj: in/out: -1000 (never chosen) .. 1000 (chosen first)
 */
struct bb_oom_req {
	__u32 set;
	__s32 oom_score_adj;
};

/* The room for a sandbox's name in struct bb_attach_req, NUL included. */
#define BB_SANDBOX_NAME_LEN	32

/**
 * struct bb_attach_req - BB_IOC_ATTACH: work on the sandbox named @name
 * @name:	in: NUL-terminated; names are 1 to 15 of [a-z0-9_-]
 * @flags:	must be 0
 * @pad:	must be 0
 *
 * A descriptor works on the sandbox named "default" unless it attaches to
 * another before anything else it does: its first other ioctl binds it to
 * "default" (-ENODEV when there is none).  -EALREADY once bound, -ENOENT
 * for a name no sandbox has (or one being destroyed).  While a descriptor
 * is attached, its sandbox cannot be destroyed (-EBUSY).
 */
struct bb_attach_req {
	char name[BB_SANDBOX_NAME_LEN];
	__u32 flags;
	__u32 pad;
};

#define BB_IOC_MAGIC	0xbb
#define BB_IOC_ALLOC	_IOWR(BB_IOC_MAGIC, 1, struct bb_alloc_req)
#define BB_IOC_FREE	_IOW(BB_IOC_MAGIC, 2, struct bb_free_req)
#define BB_IOC_WRITE	_IOW(BB_IOC_MAGIC, 3, struct bb_rw_req)
#define BB_IOC_READ	_IOWR(BB_IOC_MAGIC, 4, struct bb_rw_req)
#define BB_IOC_STATS	_IOR(BB_IOC_MAGIC, 5, struct bb_stats)
#define BB_IOC_ALLOC_BULK _IOWR(BB_IOC_MAGIC, 6, struct bb_bulk_req)
#define BB_IOC_FREE_BULK _IOWR(BB_IOC_MAGIC, 7, struct bb_bulk_req)
#define BB_IOC_LOOKUP	_IOWR(BB_IOC_MAGIC, 8, struct bb_lookup_req)
#define BB_IOC_OOM_SCORE_ADJ _IOWR(BB_IOC_MAGIC, 9, struct bb_oom_req)
#define BB_IOC_ATTACH	_IOW(BB_IOC_MAGIC, 10, struct bb_attach_req)

/*
 * After the OOM killer chose a descriptor, all its allocations are gone,
 * poll() reports EPOLLPRI | EPOLLERR on it and every ioctl answers -EIO.
 */

#endif /* _UAPI_LINUX_BUDDYBOX_H */
