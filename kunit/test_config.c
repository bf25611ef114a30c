// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: bb_config_parse(), the "key=value" words of a debugfs create line
 * (and of bbsim): what each key sets, what is kept, and the errors, each
 * naming the word and the key at fault.
 */
#include <linux/string.h>

#include "bb_test.h"

/* Parse @line (copied: the parser cuts it up) over the defaults. */
static int bb_parse(struct kunit *test, struct bb_config *cfg,
		    const char *line, struct bb_control_error *err)
{
	size_t len = strlen(line) + 1;
	char *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, line, len);
	bb_config_default(cfg);
	return bb_config_parse(cfg, buf, err);
}

static const char * const bb_every_key[] = {
	"size_mb=512", "backing=contig", "nodes=2", "dma_mb=4", "dma32_mb=60",
	"movable_mb=32", "distance=10,21,21,10", "min_free_kbytes=3000",
	"watermark_scale_factor=200", "watermark_boost_factor=0",
	"lowmem_reserve_ratio=128,64,16,1", "percpu_pagelist_high_fraction=8",
	"compaction_proactiveness=0", "extfrag_threshold=700", "pcp=off",
	"daemons=on", "reproducible=on",
};

static void bb_test_config_every_key(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;
	char *line = kunit_kzalloc(test, 1024, GFP_KERNEL);
	unsigned int i;

	/* one line of every word, each key once */
	KUNIT_ASSERT_NOT_NULL(test, line);
	for (i = 0; i < ARRAY_SIZE(bb_every_key); i++) {
		strlcat(line, bb_every_key[i], 1024);
		strlcat(line, " ", 1024);
	}
	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg, line, &err), 0);
	KUNIT_EXPECT_EQ(test, cfg.size_mb, 512UL);
	KUNIT_EXPECT_TRUE(test, cfg.contig);
	KUNIT_EXPECT_EQ(test, cfg.nodes, 2);
	KUNIT_EXPECT_EQ(test, cfg.dma_mb, 4UL);
	KUNIT_EXPECT_EQ(test, cfg.dma32_mb, 60UL);
	KUNIT_EXPECT_EQ(test, cfg.movable_mb, 32UL);
	KUNIT_EXPECT_EQ(test, cfg.distance[0][0], 10);
	KUNIT_EXPECT_EQ(test, cfg.distance[0][1], 21);
	KUNIT_EXPECT_EQ(test, cfg.distance[1][0], 21);
	KUNIT_EXPECT_EQ(test, cfg.distance[1][1], 10);
	KUNIT_EXPECT_EQ(test, cfg.min_free_kbytes, 3000);
	KUNIT_EXPECT_EQ(test, cfg.watermark_scale_factor, 200);
	KUNIT_EXPECT_EQ(test, cfg.watermark_boost_factor, 0);
	KUNIT_EXPECT_EQ(test, cfg.lowmem_reserve_ratio[BB_ZONE_DMA_IDX], 128);
	KUNIT_EXPECT_EQ(test, cfg.lowmem_reserve_ratio[BB_ZONE_DMA32_IDX], 64);
	KUNIT_EXPECT_EQ(test, cfg.lowmem_reserve_ratio[BB_ZONE_NORMAL_IDX], 16);
	KUNIT_EXPECT_EQ(test, cfg.lowmem_reserve_ratio[BB_ZONE_MOVABLE_IDX], 1);
	KUNIT_EXPECT_EQ(test, cfg.percpu_pagelist_high_fraction, 8);
	KUNIT_EXPECT_EQ(test, cfg.compaction_proactiveness, 0);
	KUNIT_EXPECT_EQ(test, cfg.extfrag_threshold, 700);
	KUNIT_EXPECT_TRUE(test, cfg.pcp_disabled);
	KUNIT_EXPECT_TRUE(test, cfg.daemons);
	KUNIT_EXPECT_TRUE(test, cfg.reproducible);
	/* a good line leaves no error behind */
	KUNIT_EXPECT_EQ(test, err.line, 0U);
	KUNIT_EXPECT_NULL(test, err.key);
	KUNIT_EXPECT_NULL(test, err.what);
}

/* What a line does not name keeps its value; blanks of every kind split. */
static void bb_test_config_keeps_defaults(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config def, cfg;

	bb_config_default(&def);
	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg, "", &err), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&cfg, &def, sizeof(cfg)), 0);
	KUNIT_EXPECT_STREQ(test, cfg.name, "default");

	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg,
				       "  size_mb=64\tmin_free_kbytes=1024\t\n",
				       &err), 0);
	KUNIT_EXPECT_EQ(test, cfg.size_mb, 64UL);
	KUNIT_EXPECT_EQ(test, cfg.min_free_kbytes, 1024);
	KUNIT_EXPECT_EQ(test, cfg.nodes, def.nodes);
	KUNIT_EXPECT_EQ(test, cfg.dma32_mb, def.dma32_mb);
	KUNIT_EXPECT_EQ(test, cfg.watermark_scale_factor,
			def.watermark_scale_factor);
	KUNIT_EXPECT_FALSE(test, cfg.contig);
	KUNIT_EXPECT_FALSE(test, cfg.pcp_disabled);
	/* the other spellings of the booleans, and backing's other value */
	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg,
				       "pcp=1 daemons=n backing=vmalloc", &err), 0);
	KUNIT_EXPECT_FALSE(test, cfg.pcp_disabled);
	KUNIT_EXPECT_FALSE(test, cfg.daemons);
	KUNIT_EXPECT_FALSE(test, cfg.contig);
}

static void bb_test_config_unknown_key(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;

	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "size_mb=64 sise_mb=32", &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 2U);
	KUNIT_EXPECT_STREQ(test, err.key, "sise_mb");
	KUNIT_EXPECT_STREQ(test, err.what, "unknown parameter");
	/* a sandbox's name is not one of its parameters: create takes it apart */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "name=other", &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.key, "name");
	/* keys are matched whole, case and all */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "SIZE_MB=64", &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "size=64", &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "=64", &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 1U);
}

static void bb_test_config_duplicate_key(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;

	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg,
				       "nodes=2 size_mb=64 nodes=2", &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 3U);
	KUNIT_EXPECT_STREQ(test, err.key, "nodes");
	KUNIT_EXPECT_STREQ(test, err.what, "parameter given twice");
	/* even with a bad value the second time: the repeat is the fault */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "pcp=on pcp=bogus", &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.what, "parameter given twice");
}

static void bb_test_config_bad_values(struct kunit *test)
{
	static const struct {
		const char *line;
		const char *key;
	} bad[] = {
		{ "size_mb=abc", "size_mb" },
		{ "size_mb=-1", "size_mb" },
		{ "size_mb=", "size_mb" },
		{ "size_mb=64MB", "size_mb" },
		{ "size_mb=99999999999999999999999", "size_mb" },
		{ "nodes=two", "nodes" },
		{ "min_free_kbytes=3000000000", "min_free_kbytes" },
		{ "backing=contiguous", "backing" },
		{ "backing=", "backing" },
		{ "pcp=maybe", "pcp" },
		{ "daemons=", "daemons" },
		{ "lowmem_reserve_ratio=256,256,32", "lowmem_reserve_ratio" },
		{ "lowmem_reserve_ratio=1,2,3,4,5", "lowmem_reserve_ratio" },
		{ "lowmem_reserve_ratio=1,2,x,4", "lowmem_reserve_ratio" },
		{ "distance=10,x", "distance" },
		{ "distance=10,,20,10", "distance" },
	};
	struct bb_control_error err;
	struct bb_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, bb_parse(test, &cfg, bad[i].line, &err),
				    -EINVAL, "%s", bad[i].line);
		KUNIT_EXPECT_EQ_MSG(test, err.line, 1U, "%s", bad[i].line);
		KUNIT_EXPECT_STREQ_MSG(test, err.key, bad[i].key, "%s",
				       bad[i].line);
		KUNIT_EXPECT_STREQ_MSG(test, err.what, "bad value", "%s",
				       bad[i].line);
	}
	/* a word without '=' names no key */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "size_mb=64 contig", &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 2U);
	KUNIT_EXPECT_NULL(test, err.key);
	KUNIT_EXPECT_STREQ(test, err.what, "a parameter is not key=value");
}

static const char bb_distance_17[] =
	"nodes=4 distance=10,20,20,20,20,10,20,20,20,20,10,20,20,20,20,10,20";
static const char bb_distance_16[] =
	"nodes=4 distance=10,11,12,13,11,10,14,15,12,14,10,16,13,15,16,10";

/* distance= needs nodes*nodes values, wherever nodes= stands on the line */
static void bb_test_config_distance_count(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;

	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg,
				       "distance=10,30,30,10 nodes=2", &err), 0);
	KUNIT_EXPECT_EQ(test, cfg.distance[0][1], 30);
	KUNIT_EXPECT_EQ(test, cfg.distance[1][0], 30);

	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg,
				       "nodes=3 distance=10,20,20,10", &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.key, "distance");
	KUNIT_EXPECT_STREQ(test, err.what, "needs nodes*nodes values");
	/* the default nodes=1 takes one value */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "distance=10,20", &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.key, "distance");
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, "distance=10", &err), 0);
	KUNIT_EXPECT_EQ(test, cfg.distance[0][0], 10);
	/* more values than any table holds */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, bb_distance_17, &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.key, "distance");
	/* a count for nodes the sandbox cannot have */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg,
				       "nodes=5 distance=10", &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.key, "distance");
	/* four nodes, sixteen values: the table, row by row */
	KUNIT_EXPECT_EQ(test, bb_parse(test, &cfg, bb_distance_16, &err), 0);
	KUNIT_EXPECT_EQ(test, cfg.distance[0][3], 13);
	KUNIT_EXPECT_EQ(test, cfg.distance[2][3], 16);
	KUNIT_EXPECT_EQ(test, cfg.distance[3][1], 15);
}

/* A parsed line builds the sandbox it describes. */
static void bb_test_config_builds(struct kunit *test)
{
	struct bb_control_error err;
	struct bb_config cfg;
	struct bb_sandbox *sb;

	static const char line[] =
		"size_mb=16 dma_mb=0 dma32_mb=0 pcp=off min_free_kbytes=1024";

	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg, line, &err), 0);
	sb = bb_test_sandbox(test, &cfg);
	KUNIT_EXPECT_EQ(test, sb->region.nr_pages, 16UL << (20 - PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, sb->min_free_kbytes, 1024);
	KUNIT_EXPECT_EQ(test, sb->watermark_scale_factor, 10);
	KUNIT_EXPECT_TRUE(test, sb->pcp_disabled);
	KUNIT_EXPECT_STREQ(test, sb->cfg.name, "default");
	bb_expect_check_ok(test, sb);
}

/*
 * A create line that names no DMA or DMA32 size gets sizes that fit its
 * region (dma_mb=auto alike); sizes given are kept, and refused only when
 * they do not fit; a region below two pageblocks is refused.
 */
static void bb_test_config_default_zones(struct kunit *test)
{
	static const struct {
		const char *line;
		int resolve;
		unsigned long dma_mb, dma32_mb;
	} cases[] = {
		{ "size_mb=64", 0, 4, 28 },
		{ "size_mb=64 dma_mb=auto dma32_mb=auto", 0, 4, 28 },
		{ "size_mb=4", 0, 0, 2 },		/* the smallest */
		{ "size_mb=16", 0, 0, 8 },
		{ "size_mb=512", 0, 16, 112 },
		{ "size_mb=64 dma_mb=0", 0, 0, 32 },
		{ "size_mb=64 dma32_mb=16", 0, 4, 16 },
		{ "size_mb=64 dma32_mb=112", -EINVAL },
		{ "size_mb=8 dma_mb=16", -EINVAL },
		{ "size_mb=2", -EINVAL },		/* one below */
	};
	struct bb_control_error err;
	struct bb_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ_MSG(test, bb_parse(test, &cfg, cases[i].line, &err),
				    0, "%s", cases[i].line);
		KUNIT_EXPECT_EQ_MSG(test, cfg.dma_mb == BB_ZONE_MB_AUTO,
				    !strstr(cases[i].line, "dma_mb=") ||
				    !!strstr(cases[i].line, "dma_mb=auto"),
				    "%s", cases[i].line);
		KUNIT_EXPECT_EQ_MSG(test, bb_config_resolve(&cfg), cases[i].resolve,
				    "%s", cases[i].line);
		if (cases[i].resolve)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, cfg.dma_mb, cases[i].dma_mb, "%s",
				    cases[i].line);
		KUNIT_EXPECT_EQ_MSG(test, cfg.dma32_mb, cases[i].dma32_mb, "%s",
				    cases[i].line);
	}
	/* and the smallest region builds, all its pages free */
	KUNIT_ASSERT_EQ(test, bb_parse(test, &cfg, "size_mb=4", &err), 0);
	KUNIT_EXPECT_EQ(test, bb_sandbox_free_pages(bb_test_sandbox(test, &cfg)),
			4UL << (20 - PAGE_SHIFT));
}

static struct kunit_case bb_config_cases[] = {
	KUNIT_CASE(bb_test_config_every_key),
	KUNIT_CASE(bb_test_config_keeps_defaults),
	KUNIT_CASE(bb_test_config_unknown_key),
	KUNIT_CASE(bb_test_config_duplicate_key),
	KUNIT_CASE(bb_test_config_bad_values),
	KUNIT_CASE(bb_test_config_distance_count),
	KUNIT_CASE(bb_test_config_builds),
	KUNIT_CASE(bb_test_config_default_zones),
	{}
};

static struct kunit_suite bb_config_suite = {
	.name = "buddybox_config",
	.init = bb_test_init,
	.exit = bb_test_exit,
	.test_cases = bb_config_cases,
};

kunit_test_suite(bb_config_suite);
