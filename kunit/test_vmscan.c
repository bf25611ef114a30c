// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reclaim of cache allocations, and the slow path's use of it.
 * Inactive before active, the second chance of a referenced allocation,
 * a busy owner's allocations keeping their place on the list,
 * -ESTALE for what was dropped, direct reclaim serving an allocation, and
 * should_reclaim_retry()'s MAX_RECLAIM_RETRIES when reclaim cannot make
 * progress.  The checker runs after every step.
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

static struct kunit_case bb_vmscan_cases[] = {
	KUNIT_CASE(bb_test_reclaim_prefers_inactive),
	KUNIT_CASE(bb_test_reclaim_second_chance),
	KUNIT_CASE(bb_test_reclaim_busy_keeps_place),
	KUNIT_CASE(bb_test_direct_reclaim),
	KUNIT_CASE(bb_test_reclaim_retry_limit),
	{}
};

static struct kunit_suite bb_vmscan_suite = {
	.name = "buddybox_vmscan",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_vmscan_cases,
};

kunit_test_suite(bb_vmscan_suite);
