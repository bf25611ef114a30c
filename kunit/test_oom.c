// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the OOM killer over owners.  It picks the owner with the largest
 * footprint, spares one with oom_score_adj -1000, follows oom_score_adj,
 * revokes everything of the victim and nothing of the others, lets a
 * __GFP_NOFAIL request through, and stays out of costly, NORETRY-less and
 * RETRY_MAYFAIL requests.  The checker runs after every step.
 */
#include "bb_test.h"

struct bb_oom_ctx {
	struct bb_owner owner[3];
};

/* @pages[i] order-0 pinned pages for owner i, registered as descriptors */
static struct bb_oom_ctx *bb_oom_setup(struct kunit *test, struct bb_sandbox *sb,
				       const unsigned int pages[3])
{
	struct bb_oom_ctx *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, o);
	for (i = 0; i < 3; i++) {
		bb_owner_init(&o->owner[i], sb);
		o->owner[i].tgid = 1000 + i;
		bb_oom_register(&o->owner[i]);
		for (j = 0; j < pages[i]; j++) {
			struct bb_alloc a;

			KUNIT_ASSERT_EQ(test, bb_owner_alloc(&o->owner[i], BB_GFP_KERNEL,
							     0, -1, 0, 0, NULL, &a), 0);
		}
	}
	return o;
}

static void bb_oom_teardown(struct bb_oom_ctx *o)
{
	int i;

	for (i = 0; i < 3; i++)
		bb_owner_release(&o->owner[i]);
}

/* Fill what is left with the module's own (ownerless) pages. */
static unsigned long bb_oom_fill(struct bb_sandbox *sb, long *pfns,
				 unsigned long max)
{
	struct bb_alloc_result res;
	unsigned long n = 0;

	while (n < max && !__bb_alloc_pages(sb, BB_GFP_NOWAIT, 0, -1, 0, &res))
		pfns[n++] = res.pfn;
	return n;
}

static void bb_oom_unfill(struct bb_sandbox *sb, long *pfns, unsigned long n)
{
	while (n--)
		bb_free_pages(sb, pfns[n], 0);
}

/* The largest owner goes; a protected larger one and the requester stay. */
static void bb_test_oom_picks_largest(struct kunit *test)
{
	static const unsigned int pages[3] = { 300, 500, 100 };
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_oom_ctx *o;
	struct bb_alloc_result res;
	unsigned long n;
	long *pfns;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	o = bb_oom_setup(test, sb, pages);
	/* owner 1 is the largest but protected */
	o->owner[1].oom_score_adj = -1000;
	pfns = kunit_kcalloc(test, sb->region.nr_pages, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	n = bb_oom_fill(sb, pfns, sb->region.nr_pages);

	/* owner 2 asks, and nothing is reclaimable: the OOM killer runs */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_KERNEL, 0, -1, 0,
						     &o->owner[2], NULL, &res), 0);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_OOM_KILL), 1UL);
	KUNIT_EXPECT_TRUE(test, o->owner[0].oom_killed);
	KUNIT_EXPECT_EQ(test, o->owner[0].nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, o->owner[0].nr_allocs, 0UL);
	KUNIT_EXPECT_FALSE(test, o->owner[1].oom_killed);
	KUNIT_EXPECT_EQ(test, o->owner[1].nr_pages, 500UL);
	KUNIT_EXPECT_FALSE(test, o->owner[2].oom_killed);
	KUNIT_EXPECT_EQ(test, o->owner[2].nr_pages, 100UL);
	bb_expect_check_ok(test, sb);

	/* the victim is refused from now on */
	{
		struct bb_alloc a;

		KUNIT_EXPECT_EQ(test, bb_owner_alloc(&o->owner[0], BB_GFP_KERNEL, 0,
						     -1, 0, 0, NULL, &a), -EIO);
	}
	bb_free_pages(sb, res.pfn, 0);
	bb_oom_unfill(sb, pfns, n);
	bb_oom_teardown(o);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(sb), sb->region.nr_pages);
	bb_expect_check_ok(test, sb);
}

/* oom_score_adj 1000 makes a small owner the first choice. */
static void bb_test_oom_score_adj(struct kunit *test)
{
	static const unsigned int pages[3] = { 400, 10, 100 };
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_oom_ctx *o;
	struct bb_alloc_result res;
	unsigned long n;
	long *pfns;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	o = bb_oom_setup(test, sb, pages);
	KUNIT_EXPECT_EQ(test, bb_oom_badness(&o->owner[0], 1024), 400L);
	o->owner[1].oom_score_adj = 1000;
	KUNIT_EXPECT_EQ(test, bb_oom_badness(&o->owner[1], 1024), 10L + 1000);
	pfns = kunit_kcalloc(test, sb->region.nr_pages, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	n = bb_oom_fill(sb, pfns, sb->region.nr_pages);

	KUNIT_EXPECT_EQ(test, __bb_alloc_pages_owner(sb, BB_GFP_KERNEL, 0, -1, 0,
						     &o->owner[2], NULL, &res), 0);
	KUNIT_EXPECT_TRUE(test, o->owner[1].oom_killed);
	KUNIT_EXPECT_FALSE(test, o->owner[0].oom_killed);
	KUNIT_EXPECT_EQ(test, o->owner[0].nr_pages, 400UL);
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, res.pfn, 0);
	bb_oom_unfill(sb, pfns, n);
	bb_oom_teardown(o);
}

/*
 * No OOM kill for a costly order, for __GFP_RETRY_MAYFAIL, or without
 * __GFP_FS; __GFP_NOFAIL gets its page through the OOM killer.
 */
static void bb_test_oom_when(struct kunit *test)
{
	static const unsigned int pages[3] = { 200, 200, 200 };
	struct bb_config cfg;
	struct bb_sandbox *sb;
	struct bb_oom_ctx *o;
	struct bb_alloc_result res;
	unsigned long n;
	long *pfns;

	bb_test_config(&cfg, 4);
	sb = bb_test_sandbox(test, &cfg);
	o = bb_oom_setup(test, sb, pages);
	pfns = kunit_kcalloc(test, sb->region.nr_pages, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	n = bb_oom_fill(sb, pfns, sb->region.nr_pages);

	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL, 4, -1, 0, &res),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL |
					       BB___GFP_RETRY_MAYFAIL, 0, -1, 0,
					       &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_NOFS, 0, -1, 0, &res),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_OOM_KILL), 0UL);
	bb_expect_check_ok(test, sb);

	/* order 1 with __GFP_NOFAIL: a victim is chosen and it succeeds */
	KUNIT_EXPECT_EQ(test, __bb_alloc_pages(sb, BB_GFP_KERNEL | BB___GFP_NOFAIL,
					       1, -1, 0, &res), 0);
	KUNIT_EXPECT_EQ(test, bb_sum_event(sb, BB_OOM_KILL), 1UL);
	/* ties: the first registered owner */
	KUNIT_EXPECT_TRUE(test, o->owner[0].oom_killed);
	KUNIT_EXPECT_EQ(test, o->owner[1].nr_pages + o->owner[2].nr_pages, 400UL);
	bb_expect_check_ok(test, sb);
	bb_free_pages(sb, res.pfn, 1);
	bb_oom_unfill(sb, pfns, n);
	bb_oom_teardown(o);
}

static struct kunit_case bb_oom_cases[] = {
	KUNIT_CASE(bb_test_oom_picks_largest),
	KUNIT_CASE(bb_test_oom_score_adj),
	KUNIT_CASE(bb_test_oom_when),
	{}
};

static struct kunit_suite bb_oom_suite = {
	.name = "buddybox_oom",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_oom_cases,
};

kunit_test_suite(bb_oom_suite);
