// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reclaim of cache allocations, and the slow path's use of it.
 * Inactive before active, the second chance of a referenced allocation,
 * a busy owner's allocations keeping their place on the list,
 * -ESTALE for what was dropped, direct reclaim serving an allocation, and
 * should_reclaim_retry()'s MAX_RECLAIM_RETRIES when reclaim cannot make
 * progress, should_compact_retry()'s retries and priorities worked out by
 * hand, and kswapd's work one wake at a time (bb_kswapd_work()).  The
 * checker runs after every step.
 */
#include <linux/uio.h>

#include "bb_test.h"

#define BB_VMSCAN_NR	64

struct bb_vmscan_ctx {
	struct bb_owner owner;
	u32 handle[BB_VMSCAN_NR];
};

static struct bb_vmscan_ctx *bb_vmscan_setup(struct kunit *test,
					     struct bb_sandbox *sb,
					     unsigned int nr, u32 flags)
{
	struct bb_vmscan_ctx *v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	bb_owner_init(&v->owner, sb);
	for (i = 0; i < nr; i++) {
		struct bb_alloc a;

		KUNIT_ASSERT_EQ(test, bb_owner_alloc(&v->owner, BB_GFP_KERNEL, 0,
						     -1, 0, flags, NULL, &a), 0);
		v->handle[i] = a.handle;
	}
	return v;
}

static u32 bb_vmscan_state(struct kunit *test, struct bb_owner *owner,
			   u32 handle)
{
	struct bb_alloc a;

	KUNIT_EXPECT_EQ(test, bb_owner_lookup(owner, handle, &a), 0);
	return a.state;
}

/* a READ of one byte, as the ioctl does it */
static int bb_vmscan_touch(struct bb_owner *owner, u32 handle)
{
	struct iov_iter iter;
	struct kvec kv;
	char byte;

	kv.iov_base = &byte;
	kv.iov_len = 1;
	iov_iter_kvec(&iter, READ, &kv, 1, 1);
	return bb_owner_rw(owner, handle, 0, &iter, false);
}

/* Unreferenced inactive allocations go first; the accessed ones stay. */
static void bb_test_reclaim_prefers_inactive(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_vmscan_ctx *v;
	unsigned long reclaimed;
	int i, stale = 0;

	bb_test_config(&cfg, 8);
	sb = bb_test_sandbox(test, &cfg);
	v = bb_vmscan_setup(test, sb, BB_VMSCAN_NR, BB_ALLOC_F_CACHE);
	KUNIT_EXPECT_EQ(test, sb->node[0].lruvec.nr_pages[BB_LRU_INACTIVE_FILE],
			(unsigned long)BB_VMSCAN_NR);

	/* the odd ones are read twice: referenced, then active */
	for (i = 1; i < BB_VMSCAN_NR; i += 2) {
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
	}
	KUNIT_EXPECT_EQ(test, sb->node[0].lruvec.nr_pages[BB_LRU_ACTIVE_FILE],
			(unsigned long)BB_VMSCAN_NR / 2);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGACTIVATE),
			(unsigned long)BB_VMSCAN_NR / 2);

	reclaimed = bb_reclaim_pages(sb, 0, 16);
	KUNIT_EXPECT_EQ(test, reclaimed, 16UL);
	for (i = 0; i < BB_VMSCAN_NR; i++) {
		u32 state = bb_vmscan_state(test, &v->owner, v->handle[i]);

		if (i % 2)
			KUNIT_EXPECT_EQ_MSG(test, state, (u32)BB_STATE_CACHE,
					    "active allocation %d dropped", i);
		else if (state == BB_STATE_STALE)
			stale++;
	}
	KUNIT_EXPECT_EQ(test, stale, 16);
	KUNIT_EXPECT_EQ(test, v->owner.nr_pages, (unsigned long)BB_VMSCAN_NR - 16);
	bb_expect_check_ok(test, sb);

	/* a dropped one answers -ESTALE, and can still be freed */
	for (i = 0; i < BB_VMSCAN_NR; i += 2) {
		if (bb_vmscan_state(test, &v->owner, v->handle[i]) != BB_STATE_STALE)
			continue;
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]),
				-ESTALE);
		KUNIT_EXPECT_EQ(test, bb_owner_free(&v->owner, v->handle[i]), 0);
		break;
	}
	bb_owner_release(&v->owner);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	KUNIT_EXPECT_EQ(test, bb_node_lru_pages(&sb->node[0]), 0UL);
	bb_expect_check_ok(test, sb);
}

/*
 * A busy owner's allocations keep their place at the tail of the inactive
 * list: reclaim takes the next owner's meanwhile, and the busy owner's
 * oldest ones are the first to go once it is idle again.
 */
static void bb_test_reclaim_busy_keeps_place(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_vmscan_ctx *old, *young;
	int i;

	bb_test_config(&cfg, 8);
	sb = bb_test_sandbox(test, &cfg);
	old = bb_vmscan_setup(test, sb, 16, BB_ALLOC_F_CACHE);
	young = bb_vmscan_setup(test, sb, 16, BB_ALLOC_F_CACHE);

	mutex_lock(&old->owner.lock);
	KUNIT_EXPECT_EQ(test, bb_reclaim_pages(sb, 0, 4), 4UL);
	mutex_unlock(&old->owner.lock);
	KUNIT_EXPECT_EQ(test, sb->node[0].lruvec.nr_pages[BB_LRU_INACTIVE_FILE],
			28UL);
	bb_expect_check_ok(test, sb);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_EQ_MSG(test, bb_vmscan_state(test, &old->owner,
							  old->handle[i]),
				    (u32)BB_STATE_CACHE, "busy owner's %d", i);
		KUNIT_EXPECT_EQ_MSG(test, bb_vmscan_state(test, &young->owner,
							  young->handle[i]),
				    (u32)(i < 4 ? BB_STATE_STALE : BB_STATE_CACHE),
				    "other owner's %d", i);
	}

	/* idle again: its oldest go first, the other's stay */
	KUNIT_EXPECT_EQ(test, bb_reclaim_pages(sb, 0, 4), 4UL);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_EQ_MSG(test, bb_vmscan_state(test, &old->owner,
							  old->handle[i]),
				    (u32)(i < 4 ? BB_STATE_STALE : BB_STATE_CACHE),
				    "once idle, owner's %d", i);
		KUNIT_EXPECT_EQ_MSG(test, bb_vmscan_state(test, &young->owner,
							  young->handle[i]),
				    (u32)(i < 4 ? BB_STATE_STALE : BB_STATE_CACHE),
				    "other owner's %d after", i);
	}
	KUNIT_EXPECT_EQ(test, bb_node_lru_pages(&sb->node[0]), 24UL);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&old->owner);
	bb_owner_release(&young->owner);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	KUNIT_EXPECT_EQ(test, bb_node_lru_pages(&sb->node[0]), 0UL);
	bb_expect_check_ok(test, sb);
}

/* A referenced inactive allocation gets a round on the active list. */
static void bb_test_reclaim_second_chance(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_vmscan_ctx *v;

	bb_test_config(&cfg, 8);
	sb = bb_test_sandbox(test, &cfg);
	v = bb_vmscan_setup(test, sb, 2, BB_ALLOC_F_CACHE);
	/* read once: referenced, still inactive */
	KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[0]), 0);
	KUNIT_EXPECT_EQ(test, sb->node[0].lruvec.nr_pages[BB_LRU_ACTIVE_FILE], 0UL);

	KUNIT_EXPECT_EQ(test, bb_reclaim_pages(sb, 0, 1), 1UL);
	KUNIT_EXPECT_EQ(test, bb_vmscan_state(test, &v->owner, v->handle[0]),
			(u32)BB_STATE_CACHE);
	KUNIT_EXPECT_EQ(test, bb_vmscan_state(test, &v->owner, v->handle[1]),
			(u32)BB_STATE_STALE);
	KUNIT_EXPECT_EQ(test, sb->node[0].lruvec.nr_pages[BB_LRU_ACTIVE_FILE], 1UL);

	/* pinned allocations are never reclaimed: drop_caches takes the rest */
	KUNIT_EXPECT_EQ(test, bb_drop_caches(sb), 1UL);
	KUNIT_EXPECT_EQ(test, bb_vmscan_state(test, &v->owner, v->handle[0]),
			(u32)BB_STATE_STALE);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&v->owner);
}

/* A full sandbox of cache pages: GFP_KERNEL gets its page by reclaim. */
static void bb_test_direct_reclaim(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_owner owner;
	struct bb_alloc_result res;
	struct bb_alloc a;
	unsigned long n = 0;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	bb_owner_init(&owner, sb);
	/* cache pages until the fast and slow paths without reclaim fail */
	while (!bb_owner_alloc(&owner, BB_GFP_NOWAIT, 0, -1, 0, BB_ALLOC_F_CACHE,
			       NULL, &a))
		n++;
	KUNIT_EXPECT_GT(test, n, 512UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGSTEAL_DIRECT), 0UL);

	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 0, -1, 0, &res),
			0);
	KUNIT_EXPECT_GE(test, bb_sum_event(sb, BB_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_GE(test, bb_sum_event(sb, BB_PGSTEAL_DIRECT), 1UL);
	KUNIT_EXPECT_GE(test, bb_sum_event(sb, BB_PGSCAN_DIRECT),
			bb_sum_event(sb, BB_PGSTEAL_DIRECT));
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, res.pfn, 0);
	bb_owner_release(&owner);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
}

/*
 * should_reclaim_retry(): the cache would be enough, but its owner is busy
 * (we hold its lock), so reclaim never progresses: the slow path retries
 * MAX_RECLAIM_RETRIES times after the first round, then fails.
 * __GFP_RETRY_MAYFAIL keeps the OOM killer out of it.
 */
static void bb_test_reclaim_retry_limit(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_owner owner;
	struct bb_alloc_result res;
	struct bb_alloc a;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	bb_owner_init(&owner, sb);
	while (!bb_owner_alloc(&owner, BB_GFP_NOWAIT, 0, -1, 0, BB_ALLOC_F_CACHE,
			       NULL, &a))
		;

	mutex_lock(&owner.lock);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL |
					       BB___GFP_RETRY_MAYFAIL, 0, -1, 0,
					       &res), -ENOMEM);
	mutex_unlock(&owner.lock);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_ALLOCSTALL_NORMAL), 17UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_OOM_KILL), 0UL);

	/* __GFP_NORETRY: one round of reclaim, no retry */
	mutex_lock(&owner.lock);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL | BB___GFP_NORETRY,
					       0, -1, 0, &res), -ENOMEM);
	mutex_unlock(&owner.lock);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_ALLOCSTALL_NORMAL), 18UL);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&owner);
}

/* should_compact_retry() for @order after @result; a context without zones */
static bool bb_compact_retry(struct bb_sandbox *sb, unsigned int order,
			     enum bb_compact_result result,
			     enum bb_compact_priority *prio, int *retries)
{
	struct bb_alloc_context ac = { };

	return bb_should_compact_retry(sb, &ac, order, BB_ALLOC_WMARK_MIN,
				       result, prio, retries);
}

/*
 * should_compact_retry(), non-costly order 2: a success counts a retry and
 * retries while there were at most MAX_COMPACT_RETRIES (16); the 17th
 * moves sync-light to sync-full and starts the count over; 17 more there,
 * and it gives up.  Order 0 never retries.
 */
static void bb_test_compact_retry_progress(struct kunit *test)
{
	enum bb_compact_priority prio = BB_DEF_COMPACT_PRIORITY;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	int retries = 0, i;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);

	KUNIT_EXPECT_FALSE(test, bb_compact_retry(sb, 0, BB_COMPACT_SUCCESS,
						  &prio, &retries));
	KUNIT_EXPECT_EQ(test, retries, 0);

	for (i = 1; i <= 16; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, bb_compact_retry(sb, 2, BB_COMPACT_SUCCESS,
							     &prio, &retries),
				      "success %d", i);
		KUNIT_EXPECT_EQ(test, retries, i);
		KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_LIGHT);
	}
	/* the 17th: a stronger priority, the count starts over */
	KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 2, BB_COMPACT_SUCCESS,
						 &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_FULL);
	KUNIT_EXPECT_EQ(test, retries, 0);

	for (i = 1; i <= 16; i++)
		KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 2, BB_COMPACT_SUCCESS,
							 &prio, &retries));
	/* sync-full was the last: no more */
	KUNIT_EXPECT_FALSE(test, bb_compact_retry(sb, 2, BB_COMPACT_SUCCESS,
						  &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_FULL);
	KUNIT_EXPECT_EQ(test, retries, 17);

	/* no progress (no suitable page): retries while the count allows */
	retries = 16;
	KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 2, BB_COMPACT_NO_SUITABLE_PAGE,
						 &prio, &retries));
	KUNIT_EXPECT_EQ(test, retries, 16);
	retries = 17;
	KUNIT_EXPECT_FALSE(test, bb_compact_retry(sb, 2, BB_COMPACT_CONTINUE,
						  &prio, &retries));
}

/*
 * A costly order (4) gets 16 / 4 = 4 retries and never sync-full: from
 * async, four successes retry, the fifth moves to sync-light, four more
 * retry there, and the fifth gives up.
 */
static void bb_test_compact_retry_costly(struct kunit *test)
{
	enum bb_compact_priority prio = BB_INIT_COMPACT_PRIORITY;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	int retries = 0, i;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);

	for (i = 1; i <= 4; i++)
		KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 4, BB_COMPACT_SUCCESS,
							 &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_ASYNC);
	KUNIT_EXPECT_EQ(test, retries, 4);
	KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 4, BB_COMPACT_SUCCESS,
						 &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_LIGHT);
	KUNIT_EXPECT_EQ(test, retries, 0);
	for (i = 1; i <= 4; i++)
		KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 4, BB_COMPACT_SUCCESS,
							 &prio, &retries));
	KUNIT_EXPECT_FALSE(test, bb_compact_retry(sb, 4, BB_COMPACT_SUCCESS,
						  &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_LIGHT);
	KUNIT_EXPECT_EQ(test, retries, 5);
}

/*
 * Failed (COMPLETE) or withdrawn (DEFERRED, CONTENDED, PARTIAL_SKIPPED)
 * compaction retries only one priority stronger, whatever the count, and
 * resets it; at the strongest priority the order may use, it gives up.
 */
static void bb_test_compact_retry_priority(struct kunit *test)
{
	static const enum bb_compact_result results[] = {
		BB_COMPACT_COMPLETE, BB_COMPACT_DEFERRED, BB_COMPACT_CONTENDED,
		BB_COMPACT_PARTIAL_SKIPPED,
	};
	struct bb_config cfg;
	struct bb_sandbox *sb;
	unsigned int i;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);

	for (i = 0; i < ARRAY_SIZE(results); i++) {
		enum bb_compact_priority prio = BB_INIT_COMPACT_PRIORITY;
		int retries = 3;

		KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 2, results[i],
							 &prio, &retries));
		KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_LIGHT);
		KUNIT_EXPECT_EQ(test, retries, 0);
		retries = 3;
		KUNIT_EXPECT_TRUE(test, bb_compact_retry(sb, 2, results[i],
							 &prio, &retries));
		KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_FULL);
		KUNIT_EXPECT_EQ(test, retries, 0);
		retries = 3;
		KUNIT_EXPECT_FALSE_MSG(test, bb_compact_retry(sb, 2, results[i],
							      &prio, &retries),
				       "%s", bb_compact_result_names[results[i]]);
		KUNIT_EXPECT_EQ(test, retries, 3);

		/* a costly order stops at sync-light */
		prio = BB_COMPACT_PRIO_SYNC_LIGHT;
		KUNIT_EXPECT_FALSE(test, bb_compact_retry(sb, 4, results[i],
							  &prio, &retries));
		KUNIT_EXPECT_EQ(test, prio, BB_COMPACT_PRIO_SYNC_LIGHT);
	}
}

/*
 * Skipped for want of free pages: retry if reclaim could make compaction
 * suitable.  A sandbox full of cache at the min watermark: yes (the
 * cache counts); full of pinned pages below it: no.  Priority and count
 * stay as they were.
 */
static void bb_test_compact_retry_skipped(struct kunit *test)
{
	enum bb_compact_priority prio = BB_DEF_COMPACT_PRIORITY;
	struct bb_alloc_context ac;
	struct bb_alloc_result res;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_owner owner;
	struct bb_alloc a;
	int retries = 2;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	bb_owner_init(&owner, sb);
	while (!bb_owner_alloc(&owner, BB_GFP_NOWAIT, 0, -1, 0, BB_ALLOC_F_CACHE,
			       NULL, &a))
		;
	KUNIT_ASSERT_EQ(test, bb_prepare_alloc_pages(sb, BB_GFP_KERNEL, 2, -1, 0,
						     &ac), 0);
	KUNIT_EXPECT_TRUE(test, bb_should_compact_retry(sb, &ac, 2,
							BB_ALLOC_WMARK_MIN,
							BB_COMPACT_SKIPPED,
							&prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_DEF_COMPACT_PRIORITY);
	KUNIT_EXPECT_EQ(test, retries, 2);

	/* the cache gone, pinned pages down into the reserves instead */
	KUNIT_EXPECT_GT(test, bb_drop_caches(sb), 0UL);
	bb_owner_release(&owner);
	while (!__bb_alloc_pages(sb, BB_GFP_ATOMIC, 0, -1, 0, &res))
		;
	KUNIT_EXPECT_FALSE(test, bb_should_compact_retry(sb, &ac, 2,
							 BB_ALLOC_WMARK_MIN,
							 BB_COMPACT_SKIPPED,
							 &prio, &retries));
	KUNIT_EXPECT_EQ(test, prio, BB_DEF_COMPACT_PRIORITY);
	KUNIT_EXPECT_EQ(test, retries, 2);
}

/* A request for kswapd, as bb_wakeup_kswapd() leaves it */
static void bb_kswapd_request(struct bb_node *pgdat, int order,
			      enum bb_zone_type highest_zoneidx)
{
	pgdat->kswapd_order = order;
	pgdat->kswapd_highest_zoneidx = highest_zoneidx;
}

/*
 * bb_kswapd_work(), one wake of kswapd at a time on a sandbox without
 * the thread: no request, nothing done; a request on a balanced node,
 * taken and counted as low_wmark_hit_quickly; a node full of cache,
 * reclaimed up to its high watermark and counted as high_wmark_hit_quickly;
 * a node full of pinned pages, one kswapd_failures.
 */
static void bb_test_kswapd_work(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_node *pgdat;
	struct bb_zone *zone;
	struct bb_owner owner;
	struct bb_alloc_result res;
	struct bb_alloc a;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	pgdat = &sb->node[0];
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, BB_MAX_NR_ZONES);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY), 0UL);

	bb_kswapd_request(pgdat, 0, BB_ZONE_NORMAL_IDX);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_LOW_WMARK_HIT_QUICKLY), 1UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, BB_MAX_NR_ZONES);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 0);

	/* cache down to the min watermark */
	bb_owner_init(&owner, sb);
	while (!bb_owner_alloc(&owner, BB_GFP_NOWAIT, 0, -1, 0, BB_ALLOC_F_CACHE,
			       NULL, &a))
		;
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(zone, 0,
						      bb_wmark_pages(zone, BB_WMARK_HIGH),
						      BB_ZONE_NORMAL_IDX, 0));
	bb_kswapd_request(pgdat, 0, BB_ZONE_NORMAL_IDX);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_GT(test, bb_sum_event(sb, BB_PGSTEAL_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(zone, 0,
						     bb_wmark_pages(zone, BB_WMARK_HIGH),
						     BB_ZONE_NORMAL_IDX, 0));
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_HIGH_WMARK_HIT_QUICKLY), 1UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	KUNIT_EXPECT_FALSE(test, test_bit(BB_ZONE_RECLAIM_ACTIVE, &zone->flags));
	bb_expect_check_ok(test, sb);

	/* nothing reclaimable: a failure, and the node left unbalanced */
	bb_owner_release(&owner);
	while (!__bb_alloc_pages(sb, BB_GFP_NOWAIT, 0, -1, 0, &res))
		;
	bb_kswapd_request(pgdat, 0, BB_ZONE_NORMAL_IDX);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 2UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 1);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_KSWAPD_HIGH_WMARK_HIT_QUICKLY), 1UL);
	bb_expect_check_ok(test, sb);
}

/*
 * A boosted watermark on a balanced node: kswapd reclaims the boost's
 * worth (64 pages: two passes of a cluster of 32 at DEF_PRIORITY, the
 * list being far shorter than 32 << 12) and gives the boost back.
 */
static void bb_test_kswapd_boost(struct kunit *test)
{
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_node *pgdat;
	struct bb_zone *zone;
	struct bb_owner owner;
	struct bb_alloc a;
	int i;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	pgdat = &sb->node[0];
	zone = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	bb_owner_init(&owner, sb);
	for (i = 0; i < 256; i++)
		KUNIT_ASSERT_EQ(test, bb_owner_alloc(&owner, BB_GFP_KERNEL, 0, -1, 0,
						     BB_ALLOC_F_CACHE, NULL, &a), 0);

	spin_lock(&zone->lock);
	zone->watermark_boost = 64;
	spin_unlock(&zone->lock);
	KUNIT_ASSERT_TRUE(test, bb_zone_watermark_ok(zone, 0,
						     bb_wmark_pages(zone, BB_WMARK_HIGH),
						     BB_ZONE_NORMAL_IDX, 0));
	bb_kswapd_request(pgdat, 0, BB_ZONE_NORMAL_IDX);
	bb_kswapd_work(pgdat);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_PGSTEAL_KSWAPD), 64UL);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, owner.nr_pages, 256UL - 64);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&owner);
}

/*
 * nr_zone_inactive_file and nr_zone_active_file: every page of a cache
 * allocation counted in its zone and list as it enters, moves and leaves,
 * and the zones of a node adding up to its lists.
 */
static void bb_expect_zone_lru(struct kunit *test, struct bb_sandbox *sb,
			       unsigned long dma32_inactive,
			       unsigned long dma32_active,
			       unsigned long normal_inactive,
			       unsigned long normal_active)
{
	struct bb_zone *dma32 = bb_test_zone(sb, 0, BB_ZONE_DMA32_IDX);
	struct bb_zone *normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_lruvec *lruvec = &sb->node[0].lruvec;
	int lru;

	KUNIT_EXPECT_EQ(test, bb_zone_lru_pages(dma32, BB_LRU_INACTIVE_FILE),
			dma32_inactive);
	KUNIT_EXPECT_EQ(test, bb_zone_lru_pages(dma32, BB_LRU_ACTIVE_FILE),
			dma32_active);
	KUNIT_EXPECT_EQ(test, bb_zone_lru_pages(normal, BB_LRU_INACTIVE_FILE),
			normal_inactive);
	KUNIT_EXPECT_EQ(test, bb_zone_lru_pages(normal, BB_LRU_ACTIVE_FILE),
			normal_active);
	KUNIT_EXPECT_EQ(test, bb_zone_lru_pages(normal, BB_NR_LRU_LISTS),
			normal_inactive + normal_active);
	for (lru = 0; lru < BB_NR_LRU_LISTS; lru++)
		KUNIT_EXPECT_EQ(test, lruvec->nr_pages[lru],
				bb_zone_lru_pages(dma32, lru) +
				bb_zone_lru_pages(normal, lru));
}

static void bb_test_zone_lru_counts(struct kunit *test)
{
	struct bb_vmscan_ctx *v;
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_alloc a;
	int i;

	bb_test_config(&cfg, 8);
	cfg.dma32_mb = 4;
	sb = bb_test_sandbox(test, &cfg);
	/* 16 order-0 in Normal, then 8 of order 1 in DMA32 */
	v = bb_vmscan_setup(test, sb, 16, BB_ALLOC_F_CACHE);
	for (i = 16; i < 24; i++) {
		KUNIT_ASSERT_EQ(test, bb_owner_alloc(&v->owner, BB_GFP_KERNEL |
						     BB___GFP_DMA32, 1, -1, 0,
						     BB_ALLOC_F_CACHE, NULL, &a), 0);
		KUNIT_EXPECT_EQ(test, a.zone_idx, (int)BB_ZONE_DMA32_IDX);
		v->handle[i] = a.handle;
	}
	bb_expect_zone_lru(test, sb, 16, 0, 16, 0);

	/* two reads activate: 4 in Normal, 3 (6 pages) in DMA32 */
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
	}
	for (i = 16; i < 19; i++) {
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
		KUNIT_EXPECT_EQ(test, bb_vmscan_touch(&v->owner, v->handle[i]), 0);
	}
	bb_expect_zone_lru(test, sb, 10, 6, 12, 4);

	/* freeing takes off the list it is on */
	KUNIT_EXPECT_EQ(test, bb_owner_free(&v->owner, v->handle[0]), 0);
	KUNIT_EXPECT_EQ(test, bb_owner_free(&v->owner, v->handle[23]), 0);
	bb_expect_zone_lru(test, sb, 8, 6, 12, 3);

	/* drop_caches empties both lists of both zones */
	KUNIT_EXPECT_EQ(test, bb_drop_caches(sb), 29UL);
	bb_expect_zone_lru(test, sb, 0, 0, 0, 0);
	bb_expect_check_ok(test, sb);
	bb_owner_release(&v->owner);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
}

static struct kunit_case bb_vmscan_cases[] = {
	KUNIT_CASE(bb_test_reclaim_prefers_inactive),
	KUNIT_CASE(bb_test_zone_lru_counts),
	KUNIT_CASE(bb_test_reclaim_second_chance),
	KUNIT_CASE(bb_test_reclaim_busy_keeps_place),
	KUNIT_CASE(bb_test_direct_reclaim),
	KUNIT_CASE(bb_test_reclaim_retry_limit),
	KUNIT_CASE(bb_test_compact_retry_progress),
	KUNIT_CASE(bb_test_compact_retry_costly),
	KUNIT_CASE(bb_test_compact_retry_priority),
	KUNIT_CASE(bb_test_compact_retry_skipped),
	KUNIT_CASE(bb_test_kswapd_work),
	KUNIT_CASE(bb_test_kswapd_boost),
	{}
};

static struct kunit_suite bb_vmscan_suite = {
	.name = "buddybox_vmscan",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_vmscan_cases,
};

kunit_test_suite(bb_vmscan_suite);
