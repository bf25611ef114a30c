/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seeded steps of bbmix (tools/bench/bbmix.c, against the module) and
 * of bbsim's mix (tools/bbsim/mix.c, against the core in user space): the
 * same sequence of requests, whatever runs them.  The includer defines the
 * backend: @alloc returns a handle, or 0 when the sandbox refused (with
 * BB_ALLOC_F_EXPLAIN it leaves the path in @path, NUL-terminated), and
 * @free frees a handle.  The uapi header must come first.
 */
#ifndef BB_MIX_STEPS_H
#define BB_MIX_STEPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the module returns up to 64 KiB of path; one that fills this is cut short */
#define BB_PATH_BUF		65536
#define BB_THP_HELD		16

#define BB_GFP_TRANSHUGE	((BB_GFP_HIGHUSER_MOVABLE | BB___GFP_COMP | \
				  BB___GFP_NOMEMALLOC | BB___GFP_NOWARN) & \
				 ~BB___GFP_KSWAPD_RECLAIM)

struct bb_held {
	uint64_t handle;
	unsigned int pages;
};

struct bb_mix {
	uint64_t (*alloc)(struct bb_mix *x, unsigned int order,
			  unsigned int gfp, unsigned int flags);
	void (*free)(struct bb_mix *x, uint64_t handle);
	uint64_t rng;
	/* cache FIFO */
	uint64_t *cache;
	unsigned long cache_cap, cache_head, cache_len;
	/* long-lived unmovable and reclaimable */
	struct bb_held *ll;
	unsigned long ll_len, ll_cap, ll_pages, ll_max_pages;
	/* order-9 blocks held */
	uint64_t thp[BB_THP_HELD];
	unsigned int thp_head, thp_len;
	char *path;
	/* counts */
	unsigned long cache_allocs, cache_fail, unmovable_allocs,
		reclaimable_allocs, longlived_fail, frees;
	unsigned long thp_req, thp_fast, thp_slow, thp_reclaim, thp_compact,
		thp_fail;
};

static uint64_t bb_rand(struct bb_mix *x)
{
	x->rng ^= x->rng << 13;
	x->rng ^= x->rng >> 7;
	x->rng ^= x->rng << 17;
	return x->rng;
}

static unsigned long bb_below(struct bb_mix *x, unsigned long n)
{
	return bb_rand(x) % n;
}

static uint64_t bb_alloc(struct bb_mix *x, unsigned int order, unsigned int gfp,
			 unsigned int flags)
{
	if (flags & BB_ALLOC_F_EXPLAIN)
		x->path[0] = '\0';
	return x->alloc(x, order, gfp, flags);
}

static void bb_free(struct bb_mix *x, uint64_t handle)
{
	x->free(x, handle);
	x->frees++;
}

static void bb_cache_step(struct bb_mix *x)
{
	uint64_t h;

	bool deleted = x->cache_len && !bb_below(x, 10);

	if (deleted) {
		/* a random one out: swap it with the oldest, free that */
		unsigned long i = (x->cache_head + bb_below(x, x->cache_len)) %
				  x->cache_cap;
		uint64_t t = x->cache[i];

		x->cache[i] = x->cache[x->cache_head];
		x->cache[x->cache_head] = t;
	}
	if (deleted || x->cache_len == x->cache_cap) {
		bb_free(x, x->cache[x->cache_head]);
		x->cache_head = (x->cache_head + 1) % x->cache_cap;
		x->cache_len--;
	}
	h = bb_alloc(x, 0, BB_GFP_HIGHUSER_MOVABLE, BB_ALLOC_F_CACHE);
	if (!h) {
		x->cache_fail++;
		return;
	}
	x->cache_allocs++;
	x->cache[(x->cache_head + x->cache_len) % x->cache_cap] = h;
	x->cache_len++;
}

static void bb_longlived_free_one(struct bb_mix *x)
{
	unsigned long i = bb_below(x, x->ll_len);

	bb_free(x, x->ll[i].handle);
	x->ll_pages -= x->ll[i].pages;
	x->ll[i] = x->ll[--x->ll_len];
}

static void bb_longlived_step(struct bb_mix *x)
{
	bool reclaimable = bb_below(x, 5) < 2;
	unsigned int order = reclaimable ? bb_below(x, 2) : bb_below(x, 4);
	unsigned int gfp = BB_GFP_KERNEL;
	uint64_t h;

	if (reclaimable)
		gfp |= BB___GFP_RECLAIMABLE;
	if (x->ll_pages + (1u << order) > x->ll_max_pages || x->ll_len == x->ll_cap) {
		if (x->ll_len)
			bb_longlived_free_one(x);
		return;
	}
	h = bb_alloc(x, order, gfp, 0);
	if (!h) {
		x->longlived_fail++;
		return;
	}
	if (reclaimable)
		x->reclaimable_allocs++;
	else
		x->unmovable_allocs++;
	x->ll[x->ll_len].handle = h;
	x->ll[x->ll_len].pages = 1u << order;
	x->ll_pages += 1u << order;
	x->ll_len++;
}

static void bb_thp_step(struct bb_mix *x)
{
	uint64_t h;

	if (x->thp_len == BB_THP_HELD) {
		bb_free(x, x->thp[x->thp_head]);
		x->thp_head = (x->thp_head + 1) % BB_THP_HELD;
		x->thp_len--;
	}
	x->thp_req++;
	h = bb_alloc(x, 9, BB_GFP_TRANSHUGE, BB_ALLOC_F_EXPLAIN);
	if (!h) {
		x->thp_fail++;
		return;
	}
	/* the slowpath.c's words; a failed compaction says "still no block" */
	if (strstr(x->path, "got the block after compaction"))
		x->thp_compact++;
	else if (strstr(x->path, "direct reclaim:"))
		x->thp_reclaim++;
	else if (strstr(x->path, "slow path"))
		x->thp_slow++;
	else
		x->thp_fast++;
	x->thp[(x->thp_head + x->thp_len) % BB_THP_HELD] = h;
	x->thp_len++;
}

/* the arrays for a region of @region_pages; 0, or -1 (no memory) */
static int bb_mix_setup(struct bb_mix *x, unsigned long region_pages,
			unsigned long ll_pct, unsigned long seed)
{
	x->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	x->cache_cap = 2 * region_pages;
	x->ll_max_pages = region_pages * ll_pct / 100;
	x->ll_cap = x->ll_max_pages + 1;
	x->cache = calloc(x->cache_cap, sizeof(*x->cache));
	x->ll = calloc(x->ll_cap, sizeof(*x->ll));
	x->path = malloc(BB_PATH_BUF);
	return x->cache && x->ll && x->path ? 0 : -1;
}

static void bb_mix_steps(struct bb_mix *x, unsigned long ops,
			 unsigned long thp_every)
{
	unsigned long i;

	for (i = 1; i <= ops; i++) {
		unsigned long r = bb_below(x, 100);

		if (i % thp_every == 0)
			bb_thp_step(x);
		if (r < 85)
			bb_cache_step(x);
		else
			bb_longlived_step(x);
		if (x->ll_len && !bb_below(x, 64))
			bb_longlived_free_one(x);
	}
}

/* everything held back; the stale cache handles are freed like others */
static void bb_mix_free_all(struct bb_mix *x)
{
	while (x->cache_len) {
		bb_free(x, x->cache[x->cache_head]);
		x->cache_head = (x->cache_head + 1) % x->cache_cap;
		x->cache_len--;
	}
	while (x->ll_len)
		bb_longlived_free_one(x);
	while (x->thp_len) {
		bb_free(x, x->thp[x->thp_head]);
		x->thp_head = (x->thp_head + 1) % BB_THP_HELD;
		x->thp_len--;
	}
	free(x->cache);
	free(x->ll);
	free(x->path);
}

static void bb_mix_report(struct bb_mix *x, const char *sandbox,
			  unsigned long seed, unsigned long ops,
			  unsigned long long region_pages, double wall)
{
	printf("bbmix: %s seed %lu: %lu steps in %.3f s; order-9: %lu asked, ",
	       sandbox, seed, ops, wall, x->thp_req);
	printf("%lu fast path, %lu slow path, %lu after direct reclaim, ",
	       x->thp_fast, x->thp_slow, x->thp_reclaim);
	printf("%lu after compaction, %lu failed\n", x->thp_compact, x->thp_fail);
	printf("bbmix-json: {\"sandbox\": \"%s\", \"seed\": %lu, \"ops\": %lu, ",
	       sandbox, seed, ops);
	printf("\"region_pages\": %llu, \"wall_s\": %.3f, ",
	       region_pages, wall);
	printf("\"cache_allocs\": %lu, \"cache_fail\": %lu, ",
	       x->cache_allocs, x->cache_fail);
	printf("\"unmovable_allocs\": %lu, \"reclaimable_allocs\": %lu, ",
	       x->unmovable_allocs, x->reclaimable_allocs);
	printf("\"longlived_fail\": %lu, \"frees\": %lu, \"thp_requests\": %lu, ",
	       x->longlived_fail, x->frees, x->thp_req);
	printf("\"thp_fast\": %lu, \"thp_slow\": %lu, \"thp_reclaim\": %lu, ",
	       x->thp_fast, x->thp_slow, x->thp_reclaim);
	printf("\"thp_compaction\": %lu, ", x->thp_compact);
	printf("\"thp_failed\": %lu}\n", x->thp_fail);
}

#endif
