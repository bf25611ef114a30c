/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the buddybox KUnit suites. */
#ifndef _BB_TEST_H
#define _BB_TEST_H

#include <kunit/test.h>
#include <linux/slab.h>

#include "buddybox.h"

struct bb_test_ctx {
	struct bb_sandbox *sb;
	char report[1024];
};

/* suite init/exit: every test gets a context, and its sandbox is freed */
static inline int bb_test_init(struct kunit *test)
{
	struct bb_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	test->priv = ctx;
	return 0;
}

static inline void bb_test_exit(struct kunit *test)
{
	struct bb_test_ctx *ctx = test->priv;

	bb_sandbox_destroy(ctx->sb);
	ctx->sb = NULL;
}

/*
 * A sandbox of @size_mb MiB, all ZONE_NORMAL unless the caller says more.
 * The per-CPU lists are off (zone_pcp_disable()), so that every free page
 * is on the buddy lists, where the suites count them; the pcp and random
 * suites turn them on.
 */
static inline void bb_test_config(struct bb_config *cfg, unsigned long size_mb)
{
	bb_config_default(cfg);
	cfg->size_mb = size_mb;
	cfg->dma_mb = 0;
	cfg->dma32_mb = 0;
	cfg->pcp_disabled = true;
}

static inline struct bb_sandbox *bb_test_sandbox(struct kunit *test,
						 const struct bb_config *cfg)
{
	struct bb_test_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, bb_sandbox_create(cfg, &ctx->sb), 0);
	return ctx->sb;
}

/* The checker must find nothing wrong; print what it found otherwise. */
static inline void bb_expect_check_ok(struct kunit *test, struct bb_sandbox *sb)
{
	struct bb_test_ctx *ctx = test->priv;
	struct bb_check_report rep = {
		.buf = ctx->report,
		.size = sizeof(ctx->report),
	};

	KUNIT_EXPECT_EQ_MSG(test, bb_check(sb, &rep), 0, "%s", ctx->report);
}

static inline struct bb_zone *bb_test_zone(struct bb_sandbox *sb, int nid,
					   enum bb_zone_type idx)
{
	return &sb->node[nid].node_zones[idx];
}

/* Allocate; on failure the test fails and -1 is returned. */
static inline long bb_test_alloc(struct kunit *test, struct bb_sandbox *sb,
				 bb_gfp_t gfp, unsigned int order)
{
	struct bb_alloc_result res;
	int ret = __bb_alloc_pages(sb, gfp, order, -1, 0, &res);

	KUNIT_EXPECT_EQ(test, ret, 0);
	return ret ? -1 : (long)res.pfn;
}

static inline unsigned long bb_test_total_stat(struct bb_sandbox *sb,
					       enum bb_zone_stat_item item)
{
	struct bb_zone *zone;
	unsigned long sum = 0;

	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone))
		sum += bb_zone_stat(zone, item);
	return sum;
}

/*
 * test_random.c: BB_RANDOM_STEPS seeded allocations and frees on @sb, the
 * checker after each, then everything freed must merge back.
 */
void bb_random_run(struct kunit *test, struct bb_sandbox *sb, u64 seed);

#endif /* _BB_TEST_H */
