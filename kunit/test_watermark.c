// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: watermark arithmetic against values computed by hand from
 * mm/page_alloc.c's formulas.
 *
 * The sandbox: 64 MiB, DMA 16 MiB (4096 pages), DMA32 16 MiB (4096),
 * Normal 32 MiB (8192).  lowmem = 16384 pages = 65536 kB, so
 * min_free_kbytes = sqrt(65536 * 16) = 1024 kB = 256 pages, spread by size:
 *   DMA, DMA32: min 256 * 4096 / 16384 = 64, step max(64/4, 4096*10/10000)
 *               = 16, low 80, high 96
 *   Normal:     min 128, step max(32, 8) = 32, low 160, high 192
 * lowmem_reserve with ratios 256 256 32 0:
 *   DMA:   DMA32 4096/256 = 16, Normal (4096+8192)/256 = 48, Movable 48
 *   DMA32: Normal 8192/256 = 32, Movable 32
 *   Normal: Movable 0
 */
#include "bb_test.h"

static struct bb_sandbox *bb_wmark_sandbox(struct kunit *test)
{
	struct bb_config cfg;

	bb_test_config(&cfg, 64);
	cfg.dma_mb = 16;
	cfg.dma32_mb = 16;
	return bb_test_sandbox(test, &cfg);
}

static void bb_expect_wmarks(struct kunit *test, struct bb_zone *z,
			     unsigned long min, unsigned long low,
			     unsigned long high)
{
	KUNIT_EXPECT_EQ_MSG(test, z->_watermark[BB_WMARK_MIN], min, "%s", z->name);
	KUNIT_EXPECT_EQ_MSG(test, z->_watermark[BB_WMARK_LOW], low, "%s", z->name);
	KUNIT_EXPECT_EQ_MSG(test, z->_watermark[BB_WMARK_HIGH], high, "%s", z->name);
}

static void bb_test_min_free_kbytes_default(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);

	KUNIT_EXPECT_EQ(test, sb->min_free_kbytes, 1024);
	/* the kernel's clamps */
	KUNIT_EXPECT_EQ(test, bb_default_min_free_kbytes(16), 128);
	KUNIT_EXPECT_EQ(test, bb_default_min_free_kbytes(65536), 2048);
	KUNIT_EXPECT_EQ(test, bb_default_min_free_kbytes(1UL << 32), 262144);
}

static void bb_test_wmarks(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);

	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_DMA_IDX), 64, 80, 96);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_DMA32_IDX), 64, 80, 96);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), 128, 160, 192);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_MOVABLE_IDX), 0, 0, 0);
}

static void bb_test_wmarks_tunables(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);

	/* scale factor 100 (1%): DMA step max(16, 40) = 40; Normal max(32, 81) */
	KUNIT_EXPECT_EQ(test, bb_set_watermark_scale_factor(sb, 100), 0);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_DMA_IDX), 64, 104, 144);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), 128, 209, 290);

	/* min_free_kbytes 4096 = 1024 pages: DMA 256, Normal 512 */
	KUNIT_EXPECT_EQ(test, bb_set_min_free_kbytes(sb, 4096), 0);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_DMA_IDX), 256, 320, 384);
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX), 512, 640, 768);

	KUNIT_EXPECT_EQ(test, bb_set_watermark_scale_factor(sb, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_watermark_scale_factor(sb, 3001), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_min_free_kbytes(sb, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_min_free_kbytes(sb, 64 * 1024), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_set_watermark_boost_factor(sb, -5), -EINVAL);
	/* the failed writes changed nothing */
	bb_expect_wmarks(test, bb_test_zone(sb, 0, BB_ZONE_DMA_IDX), 256, 320, 384);
}

static void bb_test_lowmem_reserve(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *dma = bb_test_zone(sb, 0, BB_ZONE_DMA_IDX);
	struct bb_zone *dma32 = bb_test_zone(sb, 0, BB_ZONE_DMA32_IDX);
	struct bb_zone *normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	int ratio[BB_MAX_NR_ZONES] = { 128, 0, 32, 0 };
	int bad[BB_MAX_NR_ZONES] = { 128, -1, 32, 0 };

	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_DMA_IDX], 0L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_DMA32_IDX], 16L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_NORMAL_IDX], 48L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_MOVABLE_IDX], 48L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_NORMAL_IDX], 32L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_MOVABLE_IDX], 32L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[BB_ZONE_MOVABLE_IDX], 0L);

	/* ratio 0 switches the reserve off for that zone */
	KUNIT_EXPECT_EQ(test, bb_set_lowmem_reserve_ratio(sb, ratio), 0);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_NORMAL_IDX], 96L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_NORMAL_IDX], 0L);
	KUNIT_EXPECT_EQ(test, bb_set_lowmem_reserve_ratio(sb, bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[BB_ZONE_NORMAL_IDX], 96L);
}

/* __zone_watermark_ok() at its boundaries, on the fresh Normal zone */
static void bb_test_zone_watermark_ok(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_zone *dma = bb_test_zone(sb, 0, BB_ZONE_DMA_IDX);
	int n = BB_ZONE_NORMAL_IDX;

	/* 8192 free: passes while free > mark */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 0, 8191, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 0, 8192, n, 0));
	/* ALLOC_HIGH halves the mark: 16382 - 8191 = 8191 < 8192 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 0, 16382, n,
						     BB_ALLOC_HIGH));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 0, 16384, n,
						      BB_ALLOC_HIGH));
	/* ALLOC_HARDER takes a quarter: 10920 - 2730 = 8190 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 0, 10920, n,
						     BB_ALLOC_HARDER));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 0, 10924, n,
						      BB_ALLOC_HARDER));
	/* an order-3 request discounts the 7 pages it cannot use as order 0 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 3, 8184, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 3, 8185, n, 0));
	/* a Normal request on DMA also keeps DMA's reserve of 48 */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(dma, 0, 4095, BB_ZONE_DMA_IDX, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(dma, 0, 4096, BB_ZONE_DMA_IDX, 0));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(dma, 0, 4047, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(dma, 0, 4048, n, 0));
}

/* The high-order half of the check: a block of the order must exist. */
static void bb_test_zone_watermark_order(struct kunit *test)
{
	struct bb_alloc_result res;
	struct bb_zone *normal;
	struct bb_sandbox *sb;
	struct bb_config cfg;
	int i;

	/* Normal only, so that nothing falls back to a lower zone */
	bb_test_config(&cfg, 32);
	sb = bb_test_sandbox(test, &cfg);
	normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);

	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 10, 0,
						     BB_ZONE_NORMAL_IDX, 0));
	/* take every order-10 block of Normal: 8 of them */
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL |
						       BB___GFP_MOVABLE |
						       BB___GFP_MEMALLOC,
						       10, -1, 0, &res), 0);
	KUNIT_EXPECT_EQ(test, normal->nr_free_pages, 0UL);
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 0, 0,
						      BB_ZONE_NORMAL_IDX, 0));
	bb_expect_check_ok(test, sb);
}

static void bb_test_boost(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_config cfg;

	/* max boost 192 * 15000 / 10000 = 288, at least a pageblock: 512 */
	spin_lock(&normal->lock);
	KUNIT_EXPECT_TRUE(test, bb_boost_watermark(sb, normal));
	KUNIT_EXPECT_EQ(test, normal->watermark_boost, 512UL);
	KUNIT_EXPECT_TRUE(test, bb_boost_watermark(sb, normal));
	KUNIT_EXPECT_EQ(test, normal->watermark_boost, 512UL);
	spin_unlock(&normal->lock);
	KUNIT_EXPECT_EQ(test, bb_wmark_pages(normal, BB_WMARK_LOW), 160UL + 512);

	/* recomputing the watermarks drops the boost */
	KUNIT_EXPECT_EQ(test, bb_set_min_free_kbytes(sb, 1024), 0);
	KUNIT_EXPECT_EQ(test, normal->watermark_boost, 0UL);

	/* factor 0: no boost at all */
	KUNIT_EXPECT_EQ(test, bb_set_watermark_boost_factor(sb, 0), 0);
	spin_lock(&normal->lock);
	KUNIT_EXPECT_FALSE(test, bb_boost_watermark(sb, normal));
	spin_unlock(&normal->lock);

	/* a zone smaller than four pageblocks is never boosted */
	bb_test_exit(test);
	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	spin_lock(&normal->lock);
	KUNIT_EXPECT_FALSE(test, bb_boost_watermark(sb, normal));
	spin_unlock(&normal->lock);
}

/*
 * The share of the mark each kind of request may dig into, 6.1's rules,
 * on the fresh Normal zone (8192 free, no lowmem_reserve against itself):
 * the check passes while 8192 > mark - share.
 *   ALLOC_OOM: half:			16382 -> 8191 passes, 16384 -> 8192 fails
 *   with ALLOC_HARDER, OOM still half:	the same (a quarter would fail 10924)
 *   ALLOC_HIGH | ALLOC_HARDER: half, then a quarter of the rest:
 *	21842 -> 10921 -> 8191 passes; 21843 -> 10922 -> 8192 fails
 *   ALLOC_HIGH | ALLOC_OOM: half, then half of the rest (rounding down
 *	the share each time): 32764 -> 16382 -> 8191 passes;
 *	32765 -> 16383 -> 8192 fails
 *   ALLOC_HIGHATOMIC alone: no share:	8191 passes, 8192 fails
 */
static void bb_test_reserve_shares(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	int n = BB_ZONE_NORMAL_IDX;

	KUNIT_ASSERT_EQ(test, z->nr_free_pages, 8192UL);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 16382, n, BB_ALLOC_OOM));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 16384, n, BB_ALLOC_OOM));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 16382, n,
						     BB_ALLOC_OOM | BB_ALLOC_HARDER));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 10924, n,
						      BB_ALLOC_HARDER));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 21842, n,
						     BB_ALLOC_HIGH | BB_ALLOC_HARDER));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 21843, n,
						      BB_ALLOC_HIGH | BB_ALLOC_HARDER));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 32764, n,
						     BB_ALLOC_HIGH | BB_ALLOC_OOM));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 32765, n,
						      BB_ALLOC_HIGH | BB_ALLOC_OOM));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 8191, n,
						     BB_ALLOC_HIGHATOMIC));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 8192, n,
						      BB_ALLOC_HIGHATOMIC));
	/* the free count given is what counts: one page short fails */
	KUNIT_EXPECT_FALSE(test, __bb_zone_watermark_ok(z, 0, 16382, n,
							BB_ALLOC_OOM, 8191));
	KUNIT_EXPECT_TRUE(test, __bb_zone_watermark_ok(z, 0, 16382, n,
						       BB_ALLOC_OOM, 8192));
}

/*
 * The highatomic reserve: its pages do not count for requests that may not
 * use it, and its free blocks only serve the high-order check of those
 * that may (ALLOC_HARDER, ALLOC_OOM).
 */
static void bb_test_watermark_highatomic(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	struct bb_zone *small;
	struct bb_config cfg;
	int n = BB_ZONE_NORMAL_IDX;

	/* a reserve of one pageblock: 8192 - 512 = 7680 count for others */
	z->nr_reserved_highatomic = BB_PAGEBLOCK_NR_PAGES;
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 7679, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 7680, n, 0));
	/* ALLOC_HIGH digs in, but into 7680: 15358 - 7679 passes, 15360 not */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 15358, n,
						     BB_ALLOC_HIGH));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(z, 0, 15360, n,
						      BB_ALLOC_HIGH));
	/* ALLOC_HARDER counts all 8192: 10920 - 2730 = 8190 (> 7680) */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 10920, n,
						     BB_ALLOC_HARDER));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(z, 0, 16382, n,
						     BB_ALLOC_OOM));
	z->nr_reserved_highatomic = 0;

	/* 4 MiB, one order-10 block, put on the highatomic list */
	bb_test_exit(test);
	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	small = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	spin_lock(&small->lock);
	list_move(&bb_pfn_to_page(sb, 0)->lru,
		  &small->free_area[10].free_list[BB_MIGRATE_HIGHATOMIC]);
	spin_unlock(&small->lock);
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(small, 3, 0, n, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(small, 3, 0, n,
						      BB_ALLOC_HIGH |
						      BB_ALLOC_HIGHATOMIC));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(small, 3, 0, n,
						     BB_ALLOC_HARDER));
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(small, 3, 0, n,
						     BB_ALLOC_OOM));
	/* order 0 asks for free pages only, wherever they are listed */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(small, 0, 0, n, 0));
	spin_lock(&small->lock);
	list_move(&bb_pfn_to_page(sb, 0)->lru,
		  &small->free_area[10].free_list[BB_MIGRATE_MOVABLE]);
	spin_unlock(&small->lock);
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(small, 3, 0, n, 0));
	bb_expect_check_ok(test, sb);
}

/*
 * lowmem_reserve adds up the zones above, up to the request's highest
 * zone, and an empty zone keeps nothing.  No DMA; DMA32 16 MiB (4096),
 * Normal 16 MiB (4096), Movable 16 MiB (4096), ratios 256 256 32 0:
 *   DMA:	0 everywhere (empty)
 *   DMA32:	Normal 4096 / 256 = 16, Movable 8192 / 256 = 32
 *   Normal:	Movable 4096 / 32 = 128
 * and nothing against a zone's own type or those below it.
 */
static void bb_test_lowmem_reserve_sums(struct kunit *test)
{
	struct bb_zone *dma, *dma32, *normal, *movable;
	struct bb_sandbox *sb;
	struct bb_config cfg;
	int i;

	bb_test_config(&cfg, 48);
	cfg.dma32_mb = 16;
	cfg.movable_mb = 16;
	sb = bb_test_sandbox(test, &cfg);
	dma = bb_test_zone(sb, 0, BB_ZONE_DMA_IDX);
	dma32 = bb_test_zone(sb, 0, BB_ZONE_DMA32_IDX);
	normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	movable = bb_test_zone(sb, 0, BB_ZONE_MOVABLE_IDX);
	KUNIT_ASSERT_EQ(test, dma32->managed_pages, 4096UL);
	KUNIT_ASSERT_EQ(test, normal->managed_pages, 4096UL);
	KUNIT_ASSERT_EQ(test, movable->managed_pages, 4096UL);

	for (i = 0; i < BB_MAX_NR_ZONES; i++) {
		KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[i], 0L);
		KUNIT_EXPECT_EQ(test, movable->lowmem_reserve[i], 0L);
	}
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_DMA_IDX], 0L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_DMA32_IDX], 0L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_NORMAL_IDX], 16L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[BB_ZONE_MOVABLE_IDX], 32L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[BB_ZONE_NORMAL_IDX], 0L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[BB_ZONE_MOVABLE_IDX], 128L);
	/* a Movable request on Normal keeps those 128 pages */
	KUNIT_EXPECT_TRUE(test, bb_zone_watermark_ok(normal, 0, 4096 - 129,
						     BB_ZONE_MOVABLE_IDX, 0));
	KUNIT_EXPECT_FALSE(test, bb_zone_watermark_ok(normal, 0, 4096 - 128,
						      BB_ZONE_MOVABLE_IDX, 0));
}

/*
 * boost_watermark()'s cap: watermark_boost_factor of the high watermark,
 * at least a pageblock.  min_free_kbytes 4096: Normal's high is 768, so
 * with the default factor 15000 the cap is 768 * 1.5 = 1152: a pageblock
 * (512) per boost, 512, 1024, then 1152 and no further.  Factor 5000:
 * 384, raised to a pageblock: the boost comes down to 512.  Factor 1:
 * 768 / 10000 = 0, no boost at all.
 */
static void bb_test_boost_cap(struct kunit *test)
{
	struct bb_sandbox *sb = bb_wmark_sandbox(test);
	struct bb_zone *normal = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	static const unsigned long steps[] = { 512, 1024, 1152, 1152 };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, bb_set_min_free_kbytes(sb, 4096), 0);
	KUNIT_ASSERT_EQ(test, normal->_watermark[BB_WMARK_HIGH], 768UL);
	spin_lock(&normal->lock);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		KUNIT_EXPECT_TRUE(test, bb_boost_watermark(sb, normal));
		KUNIT_EXPECT_EQ(test, normal->watermark_boost, steps[i]);
	}
	spin_unlock(&normal->lock);

	KUNIT_EXPECT_EQ(test, bb_set_watermark_boost_factor(sb, 5000), 0);
	spin_lock(&normal->lock);
	KUNIT_EXPECT_TRUE(test, bb_boost_watermark(sb, normal));
	KUNIT_EXPECT_EQ(test, normal->watermark_boost, 512UL);
	spin_unlock(&normal->lock);

	KUNIT_EXPECT_EQ(test, bb_set_watermark_boost_factor(sb, 1), 0);
	spin_lock(&normal->lock);
	KUNIT_EXPECT_FALSE(test, bb_boost_watermark(sb, normal));
	KUNIT_EXPECT_EQ(test, normal->watermark_boost, 512UL);
	spin_unlock(&normal->lock);
}

/*
 * zone_watermark_fast(): a boost does not hold back an order-0 atomic
 * request at the min watermark (6.1 asks __GFP_ATOMIC; 6.3 __GFP_HIGH).
 * 16 MiB: min 128, high 192, boost capped at a pageblock (512), 100 pages
 * free.  In the slow path, against the boosted min 640 and against 128:
 *   __GFP_HIGH without __GFP_ATOMIC (ALLOC_HIGH): 640 - 320 = 320, fails,
 *	and may not use the plain min (there 64 would pass);
 *   __GFP_ATOMIC alone (ALLOC_HARDER): 640 - 160 = 480 fails,
 *	128 - 32 = 96 < 100 passes;
 *   GFP_ATOMIC (both): 640 - 320 - 80 = 240 fails, 128 - 64 - 16 = 48
 *	passes, but not for order 1.
 */
static void bb_test_boost_spares_atomic(struct kunit *test)
{
	static const unsigned int orders[] = { 10, 10, 10, 9, 8, 7, 4, 3, 2 };
	struct bb_alloc_result res;
	struct bb_sandbox *sb;
	struct bb_config cfg;
	struct bb_zone *z;
	unsigned int i;

	bb_test_config(&cfg, 16);
	sb = bb_test_sandbox(test, &cfg);
	z = bb_test_zone(sb, 0, BB_ZONE_NORMAL_IDX);
	for (i = 0; i < ARRAY_SIZE(orders); i++)
		KUNIT_ASSERT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL |
						       BB___GFP_MEMALLOC,
						       orders[i], -1, 0, &res), 0);
	KUNIT_ASSERT_EQ(test, z->nr_free_pages, 100UL);
	spin_lock(&z->lock);
	KUNIT_ASSERT_TRUE(test, bb_boost_watermark(sb, z));
	spin_unlock(&z->lock);
	KUNIT_ASSERT_EQ(test, z->watermark_boost, 512UL);

	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB___GFP_HIGH |
					       BB___GFP_KSWAPD_RECLAIM, 0, -1,
					       0, &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB___GFP_ATOMIC, 0, -1, 0,
					       &res), 0);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_ATOMIC, 0, -1, 0,
					       &res), 0);
	KUNIT_EXPECT_EQ(test, z->nr_free_pages, 98UL);
	/* not above order 0 */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_ATOMIC, 1, -1, 0,
					       &res), -ENOMEM);
	bb_expect_check_ok(test, sb);
}

static struct kunit_case bb_watermark_cases[] = {
	KUNIT_CASE(bb_test_min_free_kbytes_default),
	KUNIT_CASE(bb_test_wmarks),
	KUNIT_CASE(bb_test_wmarks_tunables),
	KUNIT_CASE(bb_test_lowmem_reserve),
	KUNIT_CASE(bb_test_zone_watermark_ok),
	KUNIT_CASE(bb_test_zone_watermark_order),
	KUNIT_CASE(bb_test_boost),
	KUNIT_CASE(bb_test_reserve_shares),
	KUNIT_CASE(bb_test_watermark_highatomic),
	KUNIT_CASE(bb_test_lowmem_reserve_sums),
	KUNIT_CASE(bb_test_boost_cap),
	KUNIT_CASE(bb_test_boost_spares_atomic),
	{}
};

static struct kunit_suite bb_watermark_suite = {
	.name = "buddybox_watermark",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_watermark_cases,
};

kunit_test_suite(bb_watermark_suite);
