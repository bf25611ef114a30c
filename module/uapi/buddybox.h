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

/**
 * struct bb_alloc_req - BB_IOC_ALLOC
 * @order:	in: allocation order, 0 .. BB_MAX_ORDER - 1
 * @gfp:	in: BB___GFP_* bits
 * @nid:	in: preferred node, or -1 for node 0
 * @nodemask:	in: bit n allows node n; 0 allows every node
 * @flags:	in: must be 0 for now
 * @zone:	out: zone index (enum bb_uapi_zone)
 * @handle:	out: handle of the allocation, private to this descriptor
 * @pfn:	out: sandbox pfn of the first page
 * @node:	out: node of the allocation
 * @migratetype: out: migratetype of the pageblock it came from
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

#define BB_IOC_MAGIC	0xbb
#define BB_IOC_ALLOC	_IOWR(BB_IOC_MAGIC, 1, struct bb_alloc_req)
#define BB_IOC_FREE	_IOW(BB_IOC_MAGIC, 2, struct bb_free_req)
#define BB_IOC_WRITE	_IOW(BB_IOC_MAGIC, 3, struct bb_rw_req)
#define BB_IOC_READ	_IOWR(BB_IOC_MAGIC, 4, struct bb_rw_req)
#define BB_IOC_STATS	_IOR(BB_IOC_MAGIC, 5, struct bb_stats)

#endif /* _UAPI_LINUX_BUDDYBOX_H */
