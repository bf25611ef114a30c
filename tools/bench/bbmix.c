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
 *    slow path before any reclaim (at the min watermark, or after a
 *    compaction that did not make the block), after a direct reclaim (the
 *    compaction before it did not make the block), by a direct
 *    compaction, or not at all.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"

#define BB_DEFAULT_DEVICE	"/dev/buddybox"

#include "bbmix-steps.h"

struct bb_dev_mix {
	struct bb_mix x;	/* first: the backend's callbacks get it */
	int fd;
};

static void bb_die(const char *what, int err)
{
	fprintf(stderr, "bbmix: %s: %s\n", what, strerror(err));
	printf("bbmix: FAIL\n");
	exit(1);
}

/* BB_IOC_ALLOC; the handle, or 0 when the sandbox refused (ENOMEM) */
static uint64_t bb_dev_alloc(struct bb_mix *x, unsigned int order,
			     unsigned int gfp, unsigned int flags)
{
	struct bb_dev_mix *d = (struct bb_dev_mix *)x;
	struct bb_alloc_req req;

	memset(&req, 0, sizeof(req));
	req.order = order;
	req.gfp = gfp;
	req.nid = -1;
	req.flags = flags;
	if (flags & BB_ALLOC_F_EXPLAIN) {
		req.path = (uintptr_t)x->path;
		req.path_len = BB_PATH_BUF;
	}
	if (ioctl(d->fd, BB_IOC_ALLOC, &req)) {
		if (errno == ENOMEM)
			return 0;
		bb_die("BB_IOC_ALLOC", errno);
	}
	if (flags & BB_ALLOC_F_EXPLAIN) {
		/* a path cut short could hide how the block was served */
		if (req.path_len + 1 >= BB_PATH_BUF)
			bb_die("the order-9 path filled the buffer", E2BIG);
		x->path[req.path_len] = '\0';
	}
	return req.handle;
}

static void bb_dev_free(struct bb_mix *x, uint64_t handle)
{
	struct bb_free_req req = { .handle = handle };

	if (ioctl(((struct bb_dev_mix *)x)->fd, BB_IOC_FREE, &req))
		bb_die("BB_IOC_FREE", errno);
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
	struct bb_dev_mix d;
	struct bb_mix *x = &d.x;
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

	memset(&d, 0, sizeof(d));
	x->alloc = bb_dev_alloc;
	x->free = bb_dev_free;
	d.fd = open(device, O_RDWR);
	if (d.fd < 0)
		bb_die(device, errno);
	memset(&att, 0, sizeof(att));
	snprintf(att.name, sizeof(att.name), "%s", sandbox);
	if (ioctl(d.fd, BB_IOC_ATTACH, &att))
		bb_die("BB_IOC_ATTACH", errno);
	if (ioctl(d.fd, BB_IOC_STATS, &st))
		bb_die("BB_IOC_STATS", errno);
	if (bb_mix_setup(x, st.region_pages, ll_pct, seed))
		bb_die("malloc", ENOMEM);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	bb_mix_steps(x, ops, thp_every);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	/* the counters and the pageblocks as the steps left them */
	if (dir) {
		bb_cat(dir, "vmstat");
		bb_cat(dir, "fallbacks");
		bb_cat(dir, "pageblocks");
	}
	bb_mix_free_all(x);
	bb_mix_report(x, sandbox, seed, ops, st.region_pages, wall);
	printf("bbmix: ok\n");
	close(d.fd);
	return 0;
}
