// SPDX-License-Identifier: GPL-2.0
/*
 * bbmix: one seeded mixed workload into one sandbox, for make bench-policy
 * (issue 11).  The same seed gives the same sequence of requests whatever
 * the sandbox's policy, so that sandboxes differing only in a rule can be
 * compared side by side.
 *
 *   bbmix --sandbox NAME [--seed N] [--ops N] [--thp-every N]
 *         [--longlived-pct N] [--device PATH] [--debugfs DIR]
 *
 * The sequence, one step at a time (--ops steps, default 1000000), drawn
 * from a xorshift generator seeded with --seed:
 *  - page-cache-like churn: order-0 GFP_HIGHUSER_MOVABLE pages allocated
 *    as clean cache (BB_ALLOC_F_CACHE: kswapd and direct reclaim may drop
 *    them), kept in a FIFO of twice the region's pages, so that the
 *    sandbox runs under memory pressure and reclaim frees most of them;
 *    the oldest is freed when the FIFO is full, and one step in ten frees
 *    a random one (a file deleted);
 *  - long-lived unmovable (GFP_KERNEL, orders 0-3, slab-like) and
 *    reclaimable (GFP_KERNEL|__GFP_RECLAIMABLE, orders 0-1) allocations,
 *    up to --longlived-pct of the region (default 15), one in 64 of them
 *    freed at random per step;
 *  - every --thp-every steps (default 250) an order-9 request as THP asks
 *    with defrag: GFP_TRANSHUGE (GFP_HIGHUSER_MOVABLE|__GFP_COMP|
 *    __GFP_NOMEMALLOC|__GFP_NOWARN without kswapd's wake); up to 16 blocks
 *    are held, the oldest freed first.  Each one's path
 *    (BB_ALLOC_F_EXPLAIN) says how it was served: in the fast path, in the
 *    slow path without compaction (after a reclaim or a retry), after
 *    direct compaction, or not at all.
 * With --debugfs DIR (the sandbox's folder), the files vmstat, fallbacks
 * and pageblocks are printed as the steps left them, before the frees.
 * A request the sandbox refuses (ENOMEM) is counted and the step goes on.
 * At the end everything is freed.  Prints "bbmix-json: {...}" with the
 * counts and the wall time of the steps, then "bbmix: ok"; exit 1 on an
 * unexpected errno (EIO: the OOM killer chose this descriptor).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"

#define BB_PATH_BUF		16384
#define BB_THP_HELD		16
#define BB_DEFAULT_DEVICE	"/dev/buddybox"

#define BB_GFP_TRANSHUGE	((BB_GFP_HIGHUSER_MOVABLE | BB___GFP_COMP | \
				  BB___GFP_NOMEMALLOC | BB___GFP_NOWARN) & \
				 ~BB___GFP_KSWAPD_RECLAIM)

struct bb_held {
	uint64_t handle;
	unsigned int pages;
};

struct bb_mix {
	int fd;
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
	unsigned long thp_req, thp_fast, thp_slow, thp_compact, thp_fail;
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

static void bb_die(const char *what, int err)
{
	fprintf(stderr, "bbmix: %s: %s\n", what, strerror(err));
	printf("bbmix: FAIL\n");
	exit(1);
}

/* BB_IOC_ALLOC; the handle, or 0 when the sandbox refused (ENOMEM) */
static uint64_t bb_alloc(struct bb_mix *x, unsigned int order, unsigned int gfp,
			 unsigned int flags)
{
	struct bb_alloc_req req;

	memset(&req, 0, sizeof(req));
	req.order = order;
	req.gfp = gfp;
	req.nid = -1;
	req.flags = flags;
	if (flags & BB_ALLOC_F_EXPLAIN) {
		x->path[0] = '\0';
		req.path = (uintptr_t)x->path;
		req.path_len = BB_PATH_BUF;
	}
	if (ioctl(x->fd, BB_IOC_ALLOC, &req)) {
		if (errno == ENOMEM)
			return 0;
		bb_die("BB_IOC_ALLOC", errno);
	}
	if (flags & BB_ALLOC_F_EXPLAIN)
		x->path[req.path_len < BB_PATH_BUF ? req.path_len : BB_PATH_BUF - 1] = '\0';
	return req.handle;
}

static void bb_free(struct bb_mix *x, uint64_t handle)
{
	struct bb_free_req req = { .handle = handle };

	if (ioctl(x->fd, BB_IOC_FREE, &req))
		bb_die("BB_IOC_FREE", errno);
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
	if (strstr(x->path, "after compaction"))
		x->thp_compact++;
	else if (strstr(x->path, "slow path"))
		x->thp_slow++;
	else
		x->thp_fast++;
	x->thp[(x->thp_head + x->thp_len) % BB_THP_HELD] = h;
	x->thp_len++;
}

/* print DIR/NAME between "bbmix-file NAME" and "bbmix-end NAME" lines */
static void bb_cat(const char *dir, const char *name)
{
	char path[512], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		bb_die(path, errno);
	printf("bbmix-file %s\n", name);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	printf("bbmix-end %s\n", name);
	fclose(f);
}

static unsigned long bb_num(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s ? s : "", &end, 0);
	if (!s || !*s || *end || errno) {
		fprintf(stderr, "bbmix: %s: '%s' is not a number\n", opt, s ? s : "");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *device = BB_DEFAULT_DEVICE, *sandbox = NULL, *dir = NULL;
	unsigned long ops = 1000000, thp_every = 250, ll_pct = 15, seed = 1, i;
	struct bb_attach_req att;
	struct bb_stats st;
	struct timespec t0, t1;
	struct bb_mix x;
	double wall;

	for (i = 1; i < (unsigned long)argc; i++) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--sandbox") && v) {
			sandbox = v;
		} else if (!strcmp(a, "--device") && v) {
			device = v;
		} else if (!strcmp(a, "--debugfs") && v) {
			dir = v;
		} else if (!strcmp(a, "--seed")) {
			seed = bb_num(a, v);
		} else if (!strcmp(a, "--ops")) {
			ops = bb_num(a, v);
		} else if (!strcmp(a, "--thp-every")) {
			thp_every = bb_num(a, v);
		} else if (!strcmp(a, "--longlived-pct")) {
			ll_pct = bb_num(a, v);
		} else {
			fprintf(stderr, "bbmix: unknown argument %s\n%s", a,
				"usage: bbmix --sandbox NAME [--seed N] [--ops N] [--thp-every N]\n"
				"             [--longlived-pct N] [--device PATH] [--debugfs DIR]\n");
			return 2;
		}
		i++;
	}
	if (!sandbox || strlen(sandbox) >= BB_SANDBOX_NAME_LEN) {
		fprintf(stderr, "bbmix: --sandbox NAME is needed (at most %d characters)\n",
			BB_SANDBOX_NAME_LEN - 1);
		return 2;
	}
	if (!thp_every || ll_pct > 50) {
		fprintf(stderr, "bbmix: --thp-every must be > 0, --longlived-pct <= 50\n");
		return 2;
	}

	memset(&x, 0, sizeof(x));
	x.rng = seed * 0x9e3779b97f4a7c15ull + 1;
	x.fd = open(device, O_RDWR);
	if (x.fd < 0)
		bb_die(device, errno);
	memset(&att, 0, sizeof(att));
	snprintf(att.name, sizeof(att.name), "%s", sandbox);
	if (ioctl(x.fd, BB_IOC_ATTACH, &att))
		bb_die("BB_IOC_ATTACH", errno);
	if (ioctl(x.fd, BB_IOC_STATS, &st))
		bb_die("BB_IOC_STATS", errno);
	x.cache_cap = 2 * st.region_pages;
	x.ll_max_pages = st.region_pages * ll_pct / 100;
	x.ll_cap = x.ll_max_pages + 1;
	x.cache = calloc(x.cache_cap, sizeof(*x.cache));
	x.ll = calloc(x.ll_cap, sizeof(*x.ll));
	x.path = malloc(BB_PATH_BUF);
	if (!x.cache || !x.ll || !x.path)
		bb_die("malloc", ENOMEM);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= ops; i++) {
		unsigned long r = bb_below(&x, 100);

		if (i % thp_every == 0)
			bb_thp_step(&x);
		if (r < 85)
			bb_cache_step(&x);
		else
			bb_longlived_step(&x);
		if (x.ll_len && !bb_below(&x, 64))
			bb_longlived_free_one(&x);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	/* the counters and the pageblocks as the steps left them */
	if (dir) {
		bb_cat(dir, "vmstat");
		bb_cat(dir, "fallbacks");
		bb_cat(dir, "pageblocks");
	}

	/* the stale cache handles are among these: freed like the others */
	while (x.cache_len) {
		bb_free(&x, x.cache[x.cache_head]);
		x.cache_head = (x.cache_head + 1) % x.cache_cap;
		x.cache_len--;
	}
	while (x.ll_len)
		bb_longlived_free_one(&x);
	while (x.thp_len) {
		bb_free(&x, x.thp[x.thp_head]);
		x.thp_head = (x.thp_head + 1) % BB_THP_HELD;
		x.thp_len--;
	}

	printf("bbmix: %s seed %lu: %lu steps in %.3f s; order-9: %lu asked, ",
	       sandbox, seed, ops, wall, x.thp_req);
	printf("%lu fast path, %lu slow path, %lu after compaction, %lu failed\n",
	       x.thp_fast, x.thp_slow, x.thp_compact, x.thp_fail);
	printf("bbmix-json: {\"sandbox\": \"%s\", \"seed\": %lu, \"ops\": %lu, ",
	       sandbox, seed, ops);
	printf("\"region_pages\": %llu, \"wall_s\": %.3f, ",
	       (unsigned long long)st.region_pages, wall);
	printf("\"cache_allocs\": %lu, \"cache_fail\": %lu, ",
	       x.cache_allocs, x.cache_fail);
	printf("\"unmovable_allocs\": %lu, \"reclaimable_allocs\": %lu, ",
	       x.unmovable_allocs, x.reclaimable_allocs);
	printf("\"longlived_fail\": %lu, \"frees\": %lu, \"thp_requests\": %lu, ",
	       x.longlived_fail, x.frees, x.thp_req);
	printf("\"thp_fast\": %lu, \"thp_slow\": %lu, \"thp_compaction\": %lu, ",
	       x.thp_fast, x.thp_slow, x.thp_compact);
	printf("\"thp_failed\": %lu}\n", x.thp_fail);
	printf("bbmix: ok\n");
	close(x.fd);
	return 0;
}
