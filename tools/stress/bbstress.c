// SPDX-License-Identifier: GPL-2.0
/*
 * bbstress: concurrency stress of /dev/buddybox.
 *
 *   bbstress [-p PROCS] [-t THREADS] [-s SECONDS] [-n OPS] [-o MAXORDER]
 *            [-l LIVE] [-b BULK] [-r REOPEN] [--fd own|shared|mixed]
 *            [--seed N] [--device PATH] [--inject-corruption] [-v]
 *
 * PROCS processes (fork) of THREADS threads each run until SECONDS have
 * passed (or each thread has done OPS operations).  A thread allocates
 * (random order and gfp, some as clean cache), writes a pattern derived
 * from (pid, thread, handle, seed) over the whole allocation, reads
 * earlier allocations back and verifies them byte for byte, frees random
 * ones, allocates and frees batches of order-0 pages with the bulk ioctls,
 * looks allocations up, and every so often closes its descriptor (the
 * kernel frees what it held) and opens a new one.  With --fd own every
 * thread has its own descriptor, with --fd shared the threads of a process
 * share one, with --fd mixed (the default) odd processes share.
 *
 * Expected and counted: ENOMEM when the sandbox is full, ESTALE on a cache
 * allocation that reclaim dropped, EIO on a descriptor the OOM killer
 * chose (the thread opens a new one).  Anything else, above all a pattern
 * mismatch, is a failure: it is printed, and bbstress exits 1 after the
 * totals and "bbstress: FAIL".  Success ends with "bbstress: ok".
 *
 * The bulk ioctls, BB_ALLOC_F_CACHE and BB_IOC_LOOKUP are probed once at
 * start: a module without them (-ENOTTY, -EINVAL for the flag) gets a note
 * and the feature is skipped.
 *
 * --inject-corruption overwrites one byte of the first allocation written,
 * behind the pattern's back, and verifies it at once: bbstress must fail
 * (a test of the test).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"

#ifndef BB_IOC_ALLOC_BULK
#error "buddybox.h is not the uapi header: build with -Imodule/uapi"
#endif

#define BB_PAGE_SIZE		4096UL
#define BB_MAX_PROCS		64
#define BB_MAX_THREADS		64
#define BB_MAX_CPUS		64
#define BB_CPU_SAMPLE		32	/* ops between two looks at the CPU */

enum bb_fd_mode {
	BB_FD_OWN,
	BB_FD_SHARED,
	BB_FD_MIXED,
};

struct bb_opts {
	unsigned int procs;
	unsigned int threads;
	unsigned int seconds;
	unsigned long long max_ops;	/* per thread, 0: no limit */
	unsigned int maxorder;
	unsigned int live;		/* allocations a thread holds at most */
	unsigned long long pages;	/* pages a thread holds at most, 0: auto */
	unsigned int bulk;		/* pages of one bulk call at most */
	unsigned int reopen;		/* one op in REOPEN closes and reopens */
	enum bb_fd_mode fd_mode;
	unsigned long long seed;
	const char *device;
	int inject;
	int verbose;
};

/* what the running module supports */
struct bb_features {
	int alloc_bulk;
	int free_bulk;
	int cache;
	int lookup;
};

/* a thread's, a process's, everybody's counters */
struct bb_totals {
	uint64_t ops;
	uint64_t allocs;
	uint64_t alloc_pages;
	uint64_t cache_allocs;
	uint64_t frees;
	uint64_t bulk_allocs;
	uint64_t bulk_pages;
	uint64_t bulk_frees;
	uint64_t bulk_freed;
	uint64_t writes;
	uint64_t verifies;
	uint64_t verified_bytes;
	uint64_t lookups;
	uint64_t stats;
	uint64_t enomem;
	uint64_t bulk_short;
	uint64_t estale;
	uint64_t eio;
	uint64_t reopens;
	uint64_t failures;
	uint64_t cpumask;
};

#define BB_COUNTER(name, brief)	{ #name, offsetof(struct bb_totals, name), brief }

/* the counters, in the order printed; brief ones on the per-process lines */
static const struct bb_counter {
	const char *name;
	size_t offset;
	int brief;
} bb_counters[] = {
	BB_COUNTER(ops, 1),
	BB_COUNTER(allocs, 1),
	BB_COUNTER(alloc_pages, 0),
	BB_COUNTER(cache_allocs, 0),
	BB_COUNTER(frees, 1),
	BB_COUNTER(bulk_allocs, 0),
	BB_COUNTER(bulk_pages, 1),
	BB_COUNTER(bulk_frees, 0),
	BB_COUNTER(bulk_freed, 0),
	BB_COUNTER(writes, 0),
	BB_COUNTER(verifies, 1),
	BB_COUNTER(verified_bytes, 0),
	BB_COUNTER(lookups, 0),
	BB_COUNTER(stats, 0),
	BB_COUNTER(enomem, 1),
	BB_COUNTER(bulk_short, 0),
	BB_COUNTER(estale, 1),
	BB_COUNTER(eio, 1),
	BB_COUNTER(reopens, 1),
	BB_COUNTER(failures, 0),
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BB_NR_COUNTERS	ARRAY_SIZE(bb_counters)

static uint64_t *bb_counter(struct bb_totals *t, size_t i)
{
	return (uint64_t *)((char *)t + bb_counters[i].offset);
}

/* what a process sends its parent through the pipe */
struct bb_report {
	unsigned int proc;
	int pid;
	int shared;
	struct bb_totals t;
};

struct bb_rec {
	uint64_t handle;
	uint64_t key;		/* of the pattern */
	unsigned int order;
	unsigned int gfp;
	int cache;		/* BB_ALLOC_F_CACHE */
	int stale;		/* reclaim dropped it (ESTALE seen) */
	int bulk;		/* from ALLOC_BULK */
};

struct bb_proc;

struct bb_thread {
	struct bb_proc *proc;
	unsigned int idx;
	pthread_t tid;
	uint64_t rng;
	int fd;			/* own descriptor, -1 when shared */
	unsigned int gen;	/* generation of the descriptor of recs */
	int gen_cache;		/* a cache allocation in this generation */
	struct bb_rec *recs;
	size_t nr;
	uint64_t pages;		/* held by recs */
	unsigned char *buf;	/* PAGE_SIZE << maxorder */
	unsigned char *vbuf;
	uint64_t serial;
	struct bb_totals t;
	int injected;
};

struct bb_proc {
	unsigned int idx;
	pid_t pid;
	int shared;
	pthread_rwlock_t lock;	/* shared: ioctls read, reopen writes */
	int fd;
	unsigned int gen;
	struct bb_thread th[BB_MAX_THREADS];
};

static struct bb_opts opts = {
	.procs = 3,
	.threads = 2,
	.seconds = 10,
	.maxorder = 8,
	.live = 1024,
	.bulk = 32,
	.reopen = 1000,
	.fd_mode = BB_FD_MIXED,
	.seed = 1,
	.device = "/dev/buddybox",
};

static struct bb_features feat;
static uint64_t region_pages;
static struct timespec deadline;
static atomic_int stop_all;

static const char *bb_errname(int err)
{
	switch (err) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ESTALE: return "ESTALE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "E?";
	}
}

/* splitmix64: the pattern and the random numbers */
static uint64_t bb_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t bb_rand(struct bb_thread *th)
{
	th->rng = bb_mix(th->rng);
	return th->rng;
}

static unsigned int bb_rand_below(struct bb_thread *th, unsigned int n)
{
	return n ? (unsigned int)(bb_rand(th) % n) : 0;
}

static void bb_fail(struct bb_thread *th, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "bbstress: proc %u pid %d thread %u: FAIL: %s\n",
		th->proc->idx, (int)th->proc->pid, th->idx, msg);
	th->t.failures++;
	atomic_store(&stop_all, 1);
}

static int bb_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static size_t bb_size(unsigned int order)
{
	return BB_PAGE_SIZE << order;
}

/* The pattern of an allocation: a word of bb_mix(key + i) at word i. */
static uint64_t bb_key(struct bb_thread *th, uint64_t handle)
{
	uint64_t k = opts.seed;

	k = bb_mix(k ^ ((uint64_t)(uint32_t)th->proc->pid << 32 | th->idx));
	k = bb_mix(k ^ handle);
	return bb_mix(k ^ ++th->serial);
}

static void bb_fill(unsigned char *p, size_t len, uint64_t key)
{
	size_t i;

	for (i = 0; i < len / 8; i++) {
		uint64_t w = bb_mix(key + i);

		memcpy(p + i * 8, &w, 8);
	}
}

static double bb_now_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(t->tv_sec - now.tv_sec) +
	       (double)(t->tv_nsec - now.tv_nsec) / 1e9;
}

/* the CPU this thread runs on, from /proc/thread-self/stat (field 39) */
static int bb_cpu(void)
{
	char line[1024], *p;
	int field = 2, cpu = -1;
	FILE *f;

	f = fopen("/proc/thread-self/stat", "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	p = strrchr(line, ')');
	if (!p)
		return -1;
	while (*p && field < 39) {
		if (*p++ == ' ')
			field++;
	}
	if (field == 39 && *p >= '0' && *p <= '9')
		cpu = (int)strtol(p, NULL, 10);
	return cpu;
}

/* --- descriptors --------------------------------------------------------- */

static int bb_open(void)
{
	return open(opts.device, O_RDWR | O_CLOEXEC);
}

/* Forget every allocation: the kernel freed them with the descriptor. */
static void bb_forget_all(struct bb_thread *th)
{
	th->nr = 0;
	th->pages = 0;
	th->gen_cache = 0;
}

/*
 * The descriptor for an ioctl, or -1 when there is none (the thread is
 * failed).  With a shared descriptor the proc's lock is held for reading
 * until bb_fd_put(), and allocations of an older generation of it (closed
 * by another thread) are forgotten.
 */
static int bb_fd_get(struct bb_thread *th)
{
	struct bb_proc *pr = th->proc;

	if (!pr->shared)
		return th->fd;
	pthread_rwlock_rdlock(&pr->lock);
	if (pr->gen != th->gen) {
		bb_forget_all(th);
		th->gen = pr->gen;
	}
	return pr->fd;
}

static void bb_fd_put(struct bb_thread *th)
{
	if (th->proc->shared)
		pthread_rwlock_unlock(&th->proc->lock);
}

/* Close the descriptor and open a new one; 0, or -1 on failure. */
static int bb_reopen(struct bb_thread *th, const char *why)
{
	struct bb_proc *pr = th->proc;
	int ret = 0;

	if (opts.verbose)
		fprintf(stderr, "bbstress: proc %u thread %u: reopen (%s)\n",
			pr->idx, th->idx, why);
	if (!pr->shared) {
		close(th->fd);
		th->fd = bb_open();
		if (th->fd < 0) {
			bb_fail(th, "open %s: %s", opts.device, strerror(errno));
			ret = -1;
		}
	} else {
		pthread_rwlock_wrlock(&pr->lock);
		/* another thread may have been first */
		if (pr->gen == th->gen) {
			close(pr->fd);
			pr->fd = bb_open();
			pr->gen++;
			if (pr->fd < 0) {
				bb_fail(th, "open %s: %s", opts.device,
					strerror(errno));
				ret = -1;
			}
		}
		th->gen = pr->gen;
		pthread_rwlock_unlock(&pr->lock);
	}
	bb_forget_all(th);
	th->t.reopens++;
	return ret;
}

/*
 * An answer of the device that is not success: EIO (the OOM killer took
 * the descriptor) is counted and a new descriptor opened; 1 then.  Any
 * other error is a failure (-1).
 */
static int bb_unexpected(struct bb_thread *th, int err, const char *what)
{
	struct bb_stats st;
	int fd, now;

	if (err == EIO) {
		th->t.eio++;
		return bb_reopen(th, "EIO") ? -1 : 1;
	}
	/* an OOM kill that raced with the ioctl: say so */
	fd = bb_fd_get(th);
	now = bb_ioctl(fd, BB_IOC_STATS, &st);
	bb_fd_put(th);
	bb_fail(th, "%s: %s (%s)%s", what, bb_errname(err), strerror(err),
		now == EIO ? "; the descriptor answers EIO now (OOM-killed)" : "");
	return -1;
}

static struct bb_rec *bb_rec_add(struct bb_thread *th, uint64_t handle,
				 unsigned int order, unsigned int gfp)
{
	struct bb_rec *r = &th->recs[th->nr++];

	memset(r, 0, sizeof(*r));
	r->handle = handle;
	r->order = order;
	r->gfp = gfp;
	th->pages += 1ULL << order;
	return r;
}

static void bb_rec_remove(struct bb_thread *th, size_t i)
{
	th->pages -= 1ULL << th->recs[i].order;
	th->recs[i] = th->recs[--th->nr];
}

/* --- operations ------------------------------------------------------------ */

static unsigned int bb_pick_gfp(struct bb_thread *th)
{
	unsigned int r = bb_rand_below(th, 100);

	if (r < 40)
		return BB_GFP_KERNEL | BB___GFP_MOVABLE;
	if (r < 75)
		return BB_GFP_KERNEL;
	if (r < 85)
		return BB_GFP_ATOMIC;
	if (r < 90)
		return BB_GFP_KERNEL | BB___GFP_RECLAIMABLE;
	if (r < 95)
		return BB_GFP_HIGHUSER_MOVABLE;
	return BB_GFP_NOWAIT | BB___GFP_NOWARN;
}

/* small orders are more frequent: order o with a weight of maxorder + 1 - o */
static unsigned int bb_pick_order(struct bb_thread *th)
{
	unsigned int n = opts.maxorder + 1;
	unsigned int r = bb_rand_below(th, n * (n + 1) / 2);
	unsigned int o;

	for (o = 0; o < n; o++) {
		if (r < n - o)
			return o;
		r -= n - o;
	}
	return 0;
}

static int bb_write_rec(struct bb_thread *th, struct bb_rec *r);
static int bb_verify_rec(struct bb_thread *th, size_t i);

/* Free one allocation at random; 0, 1 after a reopen, -1 on failure. */
static int bb_op_free(struct bb_thread *th)
{
	struct bb_free_req req = { 0 };
	struct bb_rec *r;
	size_t i;
	int fd, err;

	if (!th->nr)
		return 0;
	fd = bb_fd_get(th);
	if (!th->nr) {
		bb_fd_put(th);
		return 0;
	}
	i = bb_rand_below(th, th->nr);
	r = &th->recs[i];
	req.handle = r->handle;
	err = bb_ioctl(fd, BB_IOC_FREE, &req);
	bb_fd_put(th);
	if (!err || (err == ESTALE && r->cache)) {
		if (err)
			th->t.estale++;
		th->t.frees++;
		bb_rec_remove(th, i);
		return 0;
	}
	return bb_unexpected(th, err, "FREE");
}

static int bb_op_alloc(struct bb_thread *th)
{
	struct bb_alloc_req req = { 0 };
	struct bb_rec *r;
	int fd, err, ret;

	if (th->nr >= opts.live || th->pages >= opts.pages)
		return bb_op_free(th);
	req.order = bb_pick_order(th);
	req.gfp = bb_pick_gfp(th);
	req.nid = -1;
	if (feat.cache && bb_rand_below(th, 100) < 15 &&
	    (req.gfp & BB___GFP_DIRECT_RECLAIM))
		req.flags = BB_ALLOC_F_CACHE;

	fd = bb_fd_get(th);
	err = bb_ioctl(fd, BB_IOC_ALLOC, &req);
	if (err) {
		bb_fd_put(th);
		if (err == ENOMEM) {
			/* full: make room */
			th->t.enomem++;
			ret = bb_op_free(th);
			return ret < 0 ? ret : bb_op_free(th);
		}
		return bb_unexpected(th, err, "ALLOC");
	}
	if (req.flags & BB_ALLOC_F_CACHE)
		th->gen_cache = 1;
	r = bb_rec_add(th, req.handle, req.order, req.gfp);
	r->cache = !!(req.flags & BB_ALLOC_F_CACHE);
	bb_fd_put(th);
	th->t.allocs++;
	th->t.alloc_pages += 1ULL << req.order;
	th->t.cache_allocs += r->cache;
	if (req.zone > BB_ZONE_MOVABLE || req.node >= BB_MAX_NUMNODES) {
		bb_fail(th, "ALLOC order %u gfp %#x: zone %u node %u",
			req.order, req.gfp, req.zone, req.node);
		return -1;
	}

	ret = bb_write_rec(th, r);
	if (ret || !opts.inject || th->injected || r->cache || !r->key)
		return ret;

	/* the test of the test: a byte the pattern does not know of */
	{
		struct bb_rw_req rw = { 0 };
		unsigned char bad;
		size_t i = th->nr - 1;

		th->injected = 1;
		rw.handle = r->handle;
		rw.offset = bb_rand_below(th, bb_size(r->order));
		rw.length = 1;
		bb_fill(th->buf, 8, r->key + rw.offset / 8);
		bad = (unsigned char)~th->buf[rw.offset % 8];
		rw.buf = (uintptr_t)&bad;
		fprintf(stderr, "bbstress: proc %u thread %u: injecting a corrupt byte",
			th->proc->idx, th->idx);
		fprintf(stderr, " at offset %llu of handle %llu\n",
			(unsigned long long)rw.offset,
			(unsigned long long)r->handle);
		fd = bb_fd_get(th);
		err = bb_ioctl(fd, BB_IOC_WRITE, &rw);
		bb_fd_put(th);
		if (err)
			return bb_unexpected(th, err, "WRITE (inject)");
		return bb_verify_rec(th, i);
	}
}

/* (Re)write the whole of an allocation with a new pattern. */
static int bb_write_rec(struct bb_thread *th, struct bb_rec *r)
{
	struct bb_rw_req req = { 0 };
	size_t len = bb_size(r->order);
	uint64_t key = bb_key(th, r->handle);
	int fd, err;

	if (r->stale)
		return 0;
	bb_fill(th->buf, len, key);
	req.handle = r->handle;
	req.length = len;
	req.buf = (uintptr_t)th->buf;
	fd = bb_fd_get(th);
	/* another thread may have reopened the shared descriptor */
	if (th->nr == 0 || r < th->recs || r >= th->recs + th->nr) {
		bb_fd_put(th);
		return 0;
	}
	err = bb_ioctl(fd, BB_IOC_WRITE, &req);
	bb_fd_put(th);
	if (!err) {
		r->key = key;
		th->t.writes++;
		return 0;
	}
	if (err == ESTALE && r->cache) {
		r->stale = 1;
		th->t.estale++;
		return 0;
	}
	return bb_unexpected(th, err, "WRITE");
}

/* Read an allocation back and compare it with its pattern, byte for byte. */
static int bb_verify_rec(struct bb_thread *th, size_t i)
{
	struct bb_rw_req req = { 0 };
	struct bb_rec *r;
	size_t len, off;
	int fd, err;

	fd = bb_fd_get(th);
	if (i >= th->nr) {
		bb_fd_put(th);
		return 0;
	}
	r = &th->recs[i];
	len = bb_size(r->order);
	req.handle = r->handle;
	req.length = len;
	req.buf = (uintptr_t)th->vbuf;
	err = bb_ioctl(fd, BB_IOC_READ, &req);
	bb_fd_put(th);
	if (err == ESTALE && r->cache) {
		r->stale = 1;
		th->t.estale++;
		return 0;
	}
	if (err)
		return bb_unexpected(th, err, "READ");
	if (r->stale) {
		bb_fail(th, "READ of handle %llu (order %u): succeeded after ESTALE",
			(unsigned long long)r->handle, r->order);
		return -1;
	}
	if (!r->key) {
		/* never written: nothing to compare (a WRITE was ESTALE) */
		return 0;
	}
	bb_fill(th->buf, len, r->key);
	th->t.verifies++;
	th->t.verified_bytes += len;
	if (!memcmp(th->buf, th->vbuf, len))
		return 0;
	for (off = 0; off < len && th->buf[off] == th->vbuf[off]; off++)
		;
	{
		size_t last = len - 1, bad = 0, k;

		while (th->buf[last] == th->vbuf[last])
			last--;
		for (k = off; k <= last; k++)
			bad += th->buf[k] != th->vbuf[k];
		bb_fail(th,
			"MISMATCH handle %llu order %u gfp %#x%s: %zu bytes differ in [%zu, %zu]; at %zu: 0x%02x, want 0x%02x",
			(unsigned long long)r->handle, r->order, r->gfp,
			r->cache ? " cache" : "", bad, off, last, off,
			th->vbuf[off], th->buf[off]);
	}
	if (feat.lookup) {
		struct bb_lookup_req lk = { 0 };

		lk.handle = r->handle;
		fd = bb_fd_get(th);
		err = bb_ioctl(fd, BB_IOC_LOOKUP, &lk);
		bb_fd_put(th);
		if (!err)
			fprintf(stderr,
				"bbstress:   LOOKUP: pfn %llu order %u zone %u node %u mt %u state %u moved %u\n",
				(unsigned long long)lk.pfn, lk.order, lk.zone,
				lk.node, lk.migratetype, lk.state,
				lk.migrations);
	}
	return -1;
}

static int bb_op_verify(struct bb_thread *th)
{
	if (!th->nr)
		return 0;
	return bb_verify_rec(th, bb_rand_below(th, th->nr));
}

static int bb_op_rewrite(struct bb_thread *th)
{
	if (!th->nr)
		return 0;
	return bb_write_rec(th, &th->recs[bb_rand_below(th, th->nr)]);
}

static int bb_op_lookup(struct bb_thread *th)
{
	struct bb_lookup_req req = { 0 };
	struct bb_rec *r;
	int fd, err;

	fd = bb_fd_get(th);
	if (!th->nr) {
		bb_fd_put(th);
		return 0;
	}
	r = &th->recs[bb_rand_below(th, th->nr)];
	req.handle = r->handle;
	err = bb_ioctl(fd, BB_IOC_LOOKUP, &req);
	bb_fd_put(th);
	if (err)
		return bb_unexpected(th, err, "LOOKUP");
	th->t.lookups++;
	if (req.order != r->order || req.zone > BB_ZONE_MOVABLE ||
	    req.node >= BB_MAX_NUMNODES || req.state > BB_STATE_STALE ||
	    (r->cache && req.state != BB_STATE_CACHE &&
	     req.state != BB_STATE_STALE) ||
	    (!r->cache && (req.state == BB_STATE_CACHE ||
			   req.state == BB_STATE_STALE))) {
		bb_fail(th, "LOOKUP handle %llu (order %u%s): order %u zone %u node %u state %u",
			(unsigned long long)r->handle, r->order,
			r->cache ? ", cache" : "", req.order, req.zone,
			req.node, req.state);
		return -1;
	}
	if (req.state == BB_STATE_STALE)
		r->stale = 1;
	return 0;
}

static int bb_op_alloc_bulk(struct bb_thread *th)
{
	uint64_t handles[BB_BULK_MAX];
	struct bb_bulk_req req = { 0 };
	uint64_t room = opts.live > th->nr ? opts.live - th->nr : 0;
	uint64_t proom = opts.pages > th->pages ? opts.pages - th->pages : 0;
	unsigned int i, nr;
	int fd, err;

	if (room > proom)
		room = proom;
	nr = 1 + bb_rand_below(th, opts.bulk);
	if (nr > room)
		nr = room;
	if (!nr)
		return bb_op_free(th);
	req.handles = (uintptr_t)handles;
	req.nr = nr;
	req.gfp = bb_rand_below(th, 2) ? BB_GFP_KERNEL :
					 BB_GFP_KERNEL | BB___GFP_MOVABLE;
	req.nid = -1;
	fd = bb_fd_get(th);
	err = bb_ioctl(fd, BB_IOC_ALLOC_BULK, &req);
	if (err) {
		bb_fd_put(th);
		if (err == ENOMEM) {
			th->t.enomem++;
			return bb_op_free(th);
		}
		return bb_unexpected(th, err, "ALLOC_BULK");
	}
	if (req.nr_done == 0 || req.nr_done > nr) {
		bb_fd_put(th);
		bb_fail(th, "ALLOC_BULK of %u: nr_done %u", nr, req.nr_done);
		return -1;
	}
	for (i = 0; i < req.nr_done; i++) {
		struct bb_rec *r = bb_rec_add(th, handles[i], 0, req.gfp);

		r->bulk = 1;
	}
	bb_fd_put(th);
	th->t.bulk_allocs++;
	th->t.bulk_pages += req.nr_done;
	if (req.nr_done < nr)
		th->t.bulk_short++;
	/* the pattern on every new page */
	for (i = 0; i < req.nr_done && th->nr; i++) {
		int ret = bb_write_rec(th, &th->recs[th->nr - 1 - i]);

		if (ret)
			return ret;
	}
	return 0;
}

/* Free up to --bulk order-0 allocations (not cache ones) in one call. */
static int bb_op_free_bulk(struct bb_thread *th)
{
	uint64_t handles[BB_BULK_MAX];
	size_t idx[BB_BULK_MAX];
	struct bb_bulk_req req = { 0 };
	unsigned int want, nr = 0, i;
	size_t start, k;
	int fd, err;

	fd = bb_fd_get(th);
	if (!th->nr) {
		bb_fd_put(th);
		return 0;
	}
	want = 1 + bb_rand_below(th, opts.bulk);
	start = bb_rand_below(th, th->nr);
	for (k = 0; k < th->nr && nr < want; k++) {
		size_t j = (start + k) % th->nr;

		if (th->recs[j].order == 0 && !th->recs[j].cache) {
			idx[nr] = j;
			handles[nr++] = th->recs[j].handle;
		}
	}
	if (!nr) {
		bb_fd_put(th);
		return 0;
	}
	req.handles = (uintptr_t)handles;
	req.nr = nr;
	err = bb_ioctl(fd, BB_IOC_FREE_BULK, &req);
	bb_fd_put(th);
	if (err)
		return bb_unexpected(th, err, "FREE_BULK");
	if (req.nr_done != nr) {
		bb_fail(th, "FREE_BULK of %u: nr_done %u", nr, req.nr_done);
		return -1;
	}
	th->t.bulk_frees++;
	th->t.bulk_freed += nr;
	th->t.frees += nr;
	/* remove from the highest index down: removal moves the last one */
	for (i = 0; i < nr; i++) {
		unsigned int m = i, j;

		for (j = i + 1; j < nr; j++)
			if (idx[j] > idx[m])
				m = j;
		k = idx[m];
		idx[m] = idx[i];
		idx[i] = k;
		bb_rec_remove(th, idx[i]);
	}
	return 0;
}

/* STATS: the counters of an own descriptor are what this thread holds. */
static int bb_op_stats(struct bb_thread *th)
{
	struct bb_stats st;
	uint64_t pages = th->pages;
	int fd, err;

	memset(&st, 0, sizeof(st));
	fd = bb_fd_get(th);
	err = bb_ioctl(fd, BB_IOC_STATS, &st);
	bb_fd_put(th);
	if (err)
		return bb_unexpected(th, err, "STATS");
	th->t.stats++;
	if (st.free_pages > st.region_pages || !st.region_pages) {
		bb_fail(th, "STATS: free_pages %llu, region_pages %llu",
			(unsigned long long)st.free_pages,
			(unsigned long long)st.region_pages);
		return -1;
	}
	if (th->proc->shared)
		return 0;
	/* reclaim may have let go of a cache allocation behind our back */
	if (th->gen_cache ? st.fd_allocations > th->nr || st.fd_pages > pages :
			    st.fd_allocations != th->nr || st.fd_pages != pages) {
		bb_fail(th, "STATS: fd_allocations %llu fd_pages %llu, held: %zu of %llu pages",
			(unsigned long long)st.fd_allocations,
			(unsigned long long)st.fd_pages, th->nr,
			(unsigned long long)pages);
		return -1;
	}
	return 0;
}

static int bb_stop(struct bb_thread *th)
{
	if (atomic_load(&stop_all))
		return 1;
	if (opts.max_ops && th->t.ops >= opts.max_ops)
		return 1;
	return opts.seconds && bb_now_until(&deadline) <= 0;
}

static void *bb_thread_main(void *arg)
{
	struct bb_thread *th = arg;
	int ret = 0;
	size_t i;

	while (!bb_stop(th)) {
		unsigned int r = bb_rand_below(th, 100);

		if (th->t.ops % BB_CPU_SAMPLE == 0) {
			int cpu = bb_cpu();

			if (cpu >= 0 && cpu < BB_MAX_CPUS)
				th->t.cpumask |= 1ULL << cpu;
		}
		th->t.ops++;
		if (opts.reopen && bb_rand_below(th, opts.reopen) == 0)
			ret = bb_reopen(th, "periodic");
		else if (r < 30)
			ret = bb_op_alloc(th);
		else if (r < 48)
			ret = bb_op_free(th);
		else if (r < 63)
			ret = bb_op_verify(th);
		else if (r < 71)
			ret = feat.alloc_bulk ? bb_op_alloc_bulk(th) :
						bb_op_alloc(th);
		else if (r < 78)
			ret = feat.free_bulk ? bb_op_free_bulk(th) :
					       bb_op_free(th);
		else if (r < 86)
			ret = bb_op_rewrite(th);
		else if (r < 92)
			ret = feat.lookup ? bb_op_lookup(th) :
					    bb_op_verify(th);
		else if (r < 94)
			ret = bb_op_stats(th);
		else
			ret = bb_op_alloc(th);
		if (ret < 0)
			break;
	}
	/*
	 * The end: everything still held verifies, half is freed, the rest
	 * goes with the descriptor.
	 */
	for (i = 0; ret >= 0 && i < th->nr && !atomic_load(&stop_all); i++)
		ret = bb_verify_rec(th, i);
	while (ret >= 0 && th->nr > opts.live / 2 && !atomic_load(&stop_all))
		ret = bb_op_free(th);
	if (ret >= 0 && !th->proc->shared && !atomic_load(&stop_all))
		ret = bb_op_stats(th);
	if (!th->proc->shared && th->fd >= 0)
		close(th->fd);
	th->fd = -1;
	return NULL;
}

static void bb_add(struct bb_totals *a, struct bb_totals *b)
{
	size_t i;

	for (i = 0; i < BB_NR_COUNTERS; i++)
		*bb_counter(a, i) += *bb_counter(b, i);
	a->cpumask |= b->cpumask;
}

/* "name value" of the counters, brief ones or all, after @prefix */
static void bb_print_totals(const char *prefix, struct bb_totals *t, int brief)
{
	size_t i;

	printf("%s", prefix);
	for (i = 0; i < BB_NR_COUNTERS; i++) {
		if (brief && !bb_counters[i].brief)
			continue;
		printf(" %s %llu", bb_counters[i].name,
		       (unsigned long long)*bb_counter(t, i));
	}
}

/* --- processes -------------------------------------------------------------- */

static int bb_proc_main(unsigned int idx, int wfd)
{
	static struct bb_proc pr;
	struct bb_report rep;
	unsigned int i, started = 0;
	size_t bufsize = bb_size(opts.maxorder);
	int failed = 0;

	memset(&pr, 0, sizeof(pr));
	pr.idx = idx;
	pr.pid = getpid();
	pr.shared = opts.fd_mode == BB_FD_SHARED ||
		    (opts.fd_mode == BB_FD_MIXED && (idx & 1));
	pr.fd = -1;
	pthread_rwlock_init(&pr.lock, NULL);
	if (pr.shared) {
		pr.fd = bb_open();
		if (pr.fd < 0) {
			fprintf(stderr, "bbstress: proc %u: open %s: %s\n",
				idx, opts.device, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < opts.threads; i++) {
		struct bb_thread *th = &pr.th[i];
		int err;

		th->proc = &pr;
		th->idx = i;
		th->rng = bb_mix(opts.seed ^ bb_mix((uint64_t)idx << 32 | i));
		th->fd = -1;
		th->recs = calloc(opts.live + BB_BULK_MAX, sizeof(*th->recs));
		th->buf = malloc(bufsize);
		th->vbuf = malloc(bufsize);
		if (!th->recs || !th->buf || !th->vbuf) {
			fprintf(stderr, "bbstress: proc %u: out of memory\n", idx);
			failed = 1;
			break;
		}
		if (!pr.shared) {
			th->fd = bb_open();
			if (th->fd < 0) {
				fprintf(stderr, "bbstress: proc %u: open %s: %s\n",
					idx, opts.device, strerror(errno));
				failed = 1;
				break;
			}
		}
		err = pthread_create(&th->tid, NULL, bb_thread_main, th);
		if (err) {
			fprintf(stderr, "bbstress: proc %u: pthread_create: %s\n",
				idx, strerror(err));
			failed = 1;
			break;
		}
		started++;
	}
	if (failed)
		atomic_store(&stop_all, 1);

	memset(&rep, 0, sizeof(rep));
	rep.proc = idx;
	rep.pid = (int)pr.pid;
	rep.shared = pr.shared;
	for (i = 0; i < started; i++) {
		pthread_join(pr.th[i].tid, NULL);
		bb_add(&rep.t, &pr.th[i].t);
	}
	if (pr.shared && pr.fd >= 0)
		close(pr.fd);
	if (failed)
		rep.t.failures++;
	if (write(wfd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		return 1;
	return rep.t.failures ? 1 : 0;
}

/* --- probe ------------------------------------------------------------------ */

/*
 * What the module supports; 0, or -1 when the device does not work.  The
 * pages allocated here are freed, or go with the descriptor.
 */
static int bb_probe(void)
{
	struct bb_alloc_req a = { 0 }, c = { 0 };
	struct bb_lookup_req lk = { 0 };
	struct bb_bulk_req bulk = { 0 };
	struct bb_free_req fr = { 0 };
	struct bb_stats st;
	const char *what;
	uint64_t h;
	int fd, err;

	fd = bb_open();
	if (fd < 0) {
		fprintf(stderr, "bbstress: open %s: %s\n", opts.device,
			strerror(errno));
		return -1;
	}
	what = "STATS";
	memset(&st, 0, sizeof(st));
	err = bb_ioctl(fd, BB_IOC_STATS, &st);
	if (err)
		goto fail;
	region_pages = st.region_pages;

	what = "ALLOC order 0";
	a.gfp = BB_GFP_KERNEL;
	a.nid = -1;
	err = bb_ioctl(fd, BB_IOC_ALLOC, &a);
	if (err)
		goto fail;

	what = "ALLOC with BB_ALLOC_F_CACHE";
	c.gfp = BB_GFP_KERNEL | BB___GFP_MOVABLE;
	c.nid = -1;
	c.flags = BB_ALLOC_F_CACHE;
	err = bb_ioctl(fd, BB_IOC_ALLOC, &c);
	if (err == EINVAL)
		printf("bbstress: note: BB_ALLOC_F_CACHE refused (EINVAL): no cache allocations\n");
	else if (err && err != ENOMEM)
		goto fail;
	else
		feat.cache = 1;

	what = "LOOKUP";
	lk.handle = a.handle;
	err = bb_ioctl(fd, BB_IOC_LOOKUP, &lk);
	if (err == ENOTTY)
		printf("bbstress: note: no BB_IOC_LOOKUP (ENOTTY)\n");
	else if (err || lk.order != 0)
		goto fail;
	else
		feat.lookup = 1;

	what = "ALLOC_BULK of 1";
	h = a.handle;
	bulk.handles = (uintptr_t)&h;
	bulk.nr = 1;
	bulk.gfp = BB_GFP_KERNEL;
	bulk.nid = -1;
	err = bb_ioctl(fd, BB_IOC_ALLOC_BULK, &bulk);
	if (err == ENOTTY) {
		printf("bbstress: note: no BB_IOC_ALLOC_BULK (ENOTTY): single allocations\n");
		h = a.handle;
	} else if (err || bulk.nr_done != 1) {
		goto fail;
	} else {
		feat.alloc_bulk = 1;
	}

	/* the bulk page, or the first one */
	what = "FREE_BULK of 1";
	memset(&bulk, 0, sizeof(bulk));
	bulk.handles = (uintptr_t)&h;
	bulk.nr = 1;
	err = bb_ioctl(fd, BB_IOC_FREE_BULK, &bulk);
	if (err == ENOTTY)
		printf("bbstress: note: no BB_IOC_FREE_BULK (ENOTTY): single frees\n");
	else if (err || bulk.nr_done != 1)
		goto fail;
	else
		feat.free_bulk = 1;

	what = "FREE";
	if (!feat.free_bulk || h != a.handle) {
		fr.handle = a.handle;
		err = bb_ioctl(fd, BB_IOC_FREE, &fr);
		if (err)
			goto fail;
	}
	close(fd);
	return 0;
fail:
	fprintf(stderr, "bbstress: probe: %s: %s\n", what, bb_errname(err));
	close(fd);
	return -1;
}

/* --- main ---------------------------------------------------------------------- */

static void bb_usage(FILE *f)
{
	fprintf(f,
		"Usage: bbstress [OPTIONS]\n"
		"  -p, --procs N        processes (default %u, at most %u)\n"
		"  -t, --threads N      threads per process (default %u, at most %u)\n"
		"  -s, --seconds N      run time (default %u; 0: only --ops)\n"
		"  -n, --ops N          operations per thread at most (default: no limit)\n"
		"  -o, --max-order N    largest order allocated (default %u)\n"
		"  -l, --live N         allocations a thread holds at most (default %u)\n"
		"  -m, --pages N        pages a thread holds at most (default: together\n"
		"                       5/4 of the region, so that it runs out)\n"
		"  -b, --bulk N         pages of one bulk call at most (default %u)\n"
		"  -r, --reopen N       one op in N closes and reopens (default %u, 0: never)\n"
		"      --fd own|shared|mixed  descriptor per thread, per process, or\n"
		"                       shared by odd processes (default mixed)\n"
		"      --seed N         seed of the patterns and choices (default 1)\n"
		"  -d, --device PATH    the device (default /dev/buddybox)\n"
		"      --inject-corruption  corrupt one byte behind the pattern: must FAIL\n"
		"  -v, --verbose        more messages\n",
		opts.procs, BB_MAX_PROCS, opts.threads, BB_MAX_THREADS,
		opts.seconds, opts.maxorder, opts.live, opts.bulk, opts.reopen);
}

static int bb_num(const char *s, unsigned long long max,
		  unsigned long long *out)
{
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 0);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

static int bb_parse(int argc, char **argv)
{
	unsigned long long v;
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

#define OPT(s, l)	(!strcmp(o, s) || !strcmp(o, l))
		if (OPT("-h", "--help")) {
			bb_usage(stdout);
			exit(0);
		} else if (OPT("-v", "--verbose")) {
			opts.verbose = 1;
			continue;
		} else if (!strcmp(o, "--inject-corruption")) {
			opts.inject = 1;
			continue;
		} else if (OPT("-d", "--device")) {
			if (!val)
				goto missing;
			opts.device = val;
		} else if (!strcmp(o, "--fd")) {
			if (!val)
				goto missing;
			if (!strcmp(val, "own"))
				opts.fd_mode = BB_FD_OWN;
			else if (!strcmp(val, "shared"))
				opts.fd_mode = BB_FD_SHARED;
			else if (!strcmp(val, "mixed"))
				opts.fd_mode = BB_FD_MIXED;
			else
				goto bad;
		} else if (OPT("-p", "--procs")) {
			if (bb_num(val, BB_MAX_PROCS, &v) || !v)
				goto bad;
			opts.procs = v;
		} else if (OPT("-t", "--threads")) {
			if (bb_num(val, BB_MAX_THREADS, &v) || !v)
				goto bad;
			opts.threads = v;
		} else if (OPT("-s", "--seconds")) {
			if (bb_num(val, 86400, &v))
				goto bad;
			opts.seconds = v;
		} else if (OPT("-n", "--ops")) {
			if (bb_num(val, ~0ULL, &v))
				goto bad;
			opts.max_ops = v;
		} else if (OPT("-o", "--max-order")) {
			if (bb_num(val, BB_MAX_ORDER - 1, &v))
				goto bad;
			opts.maxorder = v;
		} else if (OPT("-l", "--live")) {
			if (bb_num(val, 1 << 20, &v) || !v)
				goto bad;
			opts.live = v;
		} else if (OPT("-m", "--pages")) {
			if (bb_num(val, ~0ULL, &v) || !v)
				goto bad;
			opts.pages = v;
		} else if (OPT("-b", "--bulk")) {
			if (bb_num(val, BB_BULK_MAX, &v) || !v)
				goto bad;
			opts.bulk = v;
		} else if (OPT("-r", "--reopen")) {
			if (bb_num(val, 1 << 30, &v))
				goto bad;
			opts.reopen = v;
		} else if (!strcmp(o, "--seed")) {
			if (bb_num(val, ~0ULL, &v))
				goto bad;
			opts.seed = v;
		} else {
			fprintf(stderr, "bbstress: unknown option %s\n", o);
			goto usage;
		}
#undef OPT
		i++;	/* the value */
	}
	if (!opts.seconds && !opts.max_ops) {
		fprintf(stderr, "bbstress: -s 0 needs -n\n");
		goto usage;
	}
	return 0;
missing:
	fprintf(stderr, "bbstress: %s needs a value\n", argv[i]);
	goto usage;
bad:
	if (i + 1 < argc)
		fprintf(stderr, "bbstress: %s: bad value '%s'\n", argv[i],
			argv[i + 1]);
	else
		fprintf(stderr, "bbstress: %s needs a value\n", argv[i]);
usage:
	bb_usage(stderr);
	return -1;
}

static void bb_print_cpus(const char *prefix, uint64_t mask)
{
	unsigned int cpu, n = 0;

	printf("%s", prefix);
	for (cpu = 0; cpu < BB_MAX_CPUS; cpu++) {
		if (mask & (1ULL << cpu)) {
			printf("%s%u", n ? "," : "", cpu);
			n++;
		}
	}
	printf("%s\n", n ? "" : "none");
}

int main(int argc, char **argv)
{
	struct bb_report reps[BB_MAX_PROCS];
	pid_t pids[BB_MAX_PROCS];
	struct bb_totals all;
	struct timespec t0;
	struct bb_stats st;
	unsigned int i, nrep = 0, failed = 0;
	int pfd[2], status, fd;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bb_parse(argc, argv))
		return 2;
	printf("bbstress: %u processes x %u threads, %u s, ops/thread %llu (0: any),",
	       opts.procs, opts.threads, opts.seconds, opts.max_ops);
	printf(" max order %u, %u live, bulk %u, reopen 1/%u, fd %s, seed %llu\n",
	       opts.maxorder, opts.live, opts.bulk, opts.reopen,
	       opts.fd_mode == BB_FD_OWN ? "own" :
	       opts.fd_mode == BB_FD_SHARED ? "shared" : "mixed",
	       opts.seed);
	if (bb_probe()) {
		printf("bbstress: FAIL\n");
		return 1;
	}
	if (!opts.pages) {
		opts.pages = region_pages * 5 / 4 / (opts.procs * opts.threads);
		if (!opts.pages)
			opts.pages = 1;
	}
	printf("bbstress: at most %llu pages a thread, of %llu in the region\n",
	       opts.pages, (unsigned long long)region_pages);
	printf("bbstress: features: alloc_bulk %d free_bulk %d cache %d lookup %d\n",
	       feat.alloc_bulk, feat.free_bulk, feat.cache, feat.lookup);

	if (pipe(pfd)) {
		perror("bbstress: pipe");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	deadline = t0;
	deadline.tv_sec += opts.seconds;
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < opts.procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("bbstress: fork");
			failed = 1;
			break;
		}
		if (pids[i] == 0) {
			close(pfd[0]);
			_exit(bb_proc_main(i, pfd[1]));
		}
	}
	close(pfd[1]);
	while (nrep < BB_MAX_PROCS &&
	       read(pfd[0], &reps[nrep], sizeof(reps[0])) == sizeof(reps[0]))
		nrep++;
	close(pfd[0]);
	for (i = 0; i < opts.procs && pids[i] > 0; i++) {
		if (waitpid(pids[i], &status, 0) < 0) {
			perror("bbstress: waitpid");
			failed = 1;
		} else if (WIFSIGNALED(status)) {
			fprintf(stderr, "bbstress: proc %u pid %d: killed by signal %d\n",
				i, (int)pids[i], WTERMSIG(status));
			failed = 1;
		} else if (WEXITSTATUS(status)) {
			failed = 1;
		}
	}
	secs = -bb_now_until(&t0);

	memset(&all, 0, sizeof(all));
	for (i = 0; i < nrep; i++) {
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "bbstress: proc %u pid %d (%s fd):",
			 reps[i].proc, reps[i].pid,
			 reps[i].shared ? "shared" : "own");
		bb_print_totals(prefix, &reps[i].t, 1);
		bb_print_cpus(" cpus ", reps[i].t.cpumask);
		bb_add(&all, &reps[i].t);
	}
	if (nrep != opts.procs) {
		fprintf(stderr, "bbstress: %u of %u processes reported\n",
			nrep, opts.procs);
		failed = 1;
	}
	bb_print_totals("bbstress: totals:", &all, 0);
	printf("\n");
	bb_print_cpus("bbstress: cpus ", all.cpumask);

	/* every descriptor is closed: what the sandbox has free now */
	fd = bb_open();
	memset(&st, 0, sizeof(st));
	if (fd >= 0 && !bb_ioctl(fd, BB_IOC_STATS, &st))
		printf("bbstress: after: free_pages %llu region_pages %llu\n",
		       (unsigned long long)st.free_pages,
		       (unsigned long long)st.region_pages);
	if (fd >= 0)
		close(fd);
	printf("bbstress: %.1f s\n", secs);
	if (failed || all.failures || !all.ops) {
		printf("bbstress: FAIL\n");
		return 1;
	}
	printf("bbstress: ok\n");
	return 0;
}
