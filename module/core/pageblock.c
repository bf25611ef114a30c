// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: pageblocks and their migratetypes.
 *
 * Like the kernel's pageblock_flags, one byte per pageblock of
 * BB_PAGEBLOCK_NR_PAGES pages, kept outside the region: the migratetype in
 * the low bits and compaction's PB_migrate_skip hint in the top bit.  The
 * byte's layout and the reading of the migratetype, which every
 * allocation and free does, are inline in buddybox.h.
 */
#include <linux/kernel.h>

#include "buddybox.h"

/*
 * set_pfnblock_flags_mask(): the migratetype changes under zone->lock but
 * the skip hint does not, so both are updated with a cmpxchg of the byte
 * and neither loses the other's update.
 */
static void bb_update_pageblock_flags(struct bb_sandbox *sb, unsigned long pfn,
				      u8 mask, u8 flags)
{
	u8 *word = bb_pageblock_flags(sb, pfn);
	u8 old = READ_ONCE(*word);

	while (!try_cmpxchg(word, &old, (old & ~mask) | flags))
		;
}

void bb_set_pageblock_migratetype(struct bb_sandbox *sb, unsigned long pfn,
				  int migratetype)
{
	bb_update_pageblock_flags(sb, pfn, BB_PB_MIGRATETYPE_MASK,
				  migratetype & BB_PB_MIGRATETYPE_MASK);
}

/*
 * get/set/clear_pageblock_skip(): compaction's hint that the pageblock
 * holding @pfn gave nothing to isolate lately (mm/compaction.c).  A hint:
 * read and written without zone->lock.
 */
bool bb_get_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn)
{
	return READ_ONCE(*bb_pageblock_flags(sb, pfn)) & BB_PB_MIGRATE_SKIP;
}

void bb_set_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn)
{
	bb_update_pageblock_flags(sb, pfn, BB_PB_MIGRATE_SKIP,
				  BB_PB_MIGRATE_SKIP);
}

void bb_clear_pageblock_skip(struct bb_sandbox *sb, unsigned long pfn)
{
	bb_update_pageblock_flags(sb, pfn, BB_PB_MIGRATE_SKIP, 0);
}
