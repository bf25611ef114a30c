// SPDX-License-Identifier: GPL-2.0
/*
 * bbioctlfuzz: hostile input for /dev/buddybox and buddybox's debugfs.
 *
 *   bbioctlfuzz [--calls N] [--seed N] [--threads T] [--fds F]
 *               [--device PATH] [--churn NAME] [--root DIR] [-v]
 *   bbioctlfuzz --debugfs [--calls N] [--seed N] [--root DIR]
 *               [--sandbox NAME] [-v]
 *
 * ioctl mode: T threads, each with F descriptors of its own (whose
 * allocations it tracks exactly) and one descriptor all threads share
 * (replaced with dup2() now and then while the others use it), send N
 * calls in all: the real commands with valid and with random fields,
 * random and mis-sized commands, lying lengths and offsets for WRITE and
 * READ, NULL, unmapped, read-only, straddling and kernel pointers, the
 * handles of other descriptors, closes and re-opens, attaches to
 * "default", to a sandbox another thread keeps creating and destroying
 * (--churn NAME, through ROOT/control), to names no sandbox has and to
 * bad names.  Every result is checked against the uapi's contract: a
 * valid ALLOC gives a handle or ENOMEM (never ENOMEM with __GFP_NOFAIL),
 * an unknown command ENOTTY, another descriptor's handle ENOENT, a bad
 * pointer EFAULT and nothing held, a descriptor the OOM killer chose EIO
 * for ever after, STATS the pages the descriptor holds, and what WRITE
 * put READ gives back.
 *
 * debugfs mode: N writes to ROOT/NAME/control, the tunables,
 * lowmem_reserve_ratio, bench, and the top-level ROOT/control (create and
 * destroy lines): random and malformed lines, garbage, huge numbers,
 * missing '=', unknown keys, overlong names and lines, NUL bytes, 0-byte
 * writes, writes at offsets, partial lines and bad buffers.  A write
 * either takes every byte or fails with an error the file documents; a
 * tunable written reads back as written, one refused is unchanged; a
 * refused create/destroy line leaves the list of sandboxes as it was; a
 * refused or empty write to bench runs nothing.  At the end the tunables
 * get their first values back, the sandboxes made are destroyed and
 * control frees what it holds.
 *
 * Both print the calls made and how many answered each errno, then
 * "bbioctlfuzz: ok", or every contract violation and "bbioctlfuzz: FAIL"
 * (exit 1).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"

#ifndef BB_IOC_ATTACH
#error "buddybox.h is not the uapi header: build with -Imodule/uapi"
#endif

#define FZ_PAGE		4096UL
#define FZ_MAX_THREADS	16
#define FZ_MAX_FDS	8
#define FZ_MAX_HANDLES	256
#define FZ_FD_PAGES	4096	/* pages a descriptor holds at most */
#define FZ_BIG		(FZ_PAGE << (BB_MAX_ORDER - 1))	/* 4 MiB */
#define FZ_NERRNO	256
#define FZ_MAX_REPORTS	40

struct fz_opts {
	unsigned long calls;
	unsigned long long seed;
	unsigned int threads;
	unsigned int fds;
	const char *device;
	const char *root;
	const char *churn;
	const char *sandbox;
	bool debugfs;
	bool verbose;
};

static struct fz_opts opt = {
	.calls = 20000,
	.seed = 1,
	.threads = 4,
	.fds = 3,
	.device = "/dev/buddybox",
	.root = "/sys/kernel/debug/buddybox",
	.sandbox = "default",
};

static atomic_ulong nr_calls;
static atomic_ulong errno_count[FZ_NERRNO];
static atomic_uint nr_violations;
static atomic_bool stop_churn;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- small helpers ---- */

static uint64_t rnd(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static bool chance(uint64_t *s, unsigned int percent)
{
	return below(s, 100) < percent;
}

static void record(int e)
{
	atomic_fetch_add(&nr_calls, 1);
	atomic_fetch_add(&errno_count[e >= 0 && e < FZ_NERRNO ? e : 0], 1);
}

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&nr_violations, 1) >= FZ_MAX_REPORTS)
		return;
	pthread_mutex_lock(&out_lock);
	printf("VIOLATION: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* @len bytes of @s, C-escaped and cut at 60, for a report */
static const char *fz_esc(const char *s, size_t len)
{
	static __thread char out[300];
	size_t i, o = 0;

	for (i = 0; i < len && i < 60 && o < sizeof(out) - 8; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			o += sprintf(out + o, "\\n");
		else if (c == '\t')
			o += sprintf(out + o, "\\t");
		else if (c < 32 || c >= 127 || c == '\\')
			o += sprintf(out + o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	if (i < len)
		o += sprintf(out + o, "...");
	out[o] = '\0';
	return out;
}

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "E?";
}

/* @e is one of the errnos after it (0: success), the list ends with -1 */
static bool one_of(int e, ...)
{
	va_list ap;
	int x;
	bool found = false;

	va_start(ap, e);
	while ((x = va_arg(ap, int)) != -1)
		if (x == e)
			found = true;
	va_end(ap);
	return found;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- memory with guards: pointers that fault in known ways ---- */

struct fz_mem {
	char *rw;		/* one read-write page */
	char *ro;		/* the read-only page after it */
	char *hole;		/* the unmapped page after that */
	char *big;		/* FZ_BIG read-write bytes, a hole after */
	char *big2;		/* FZ_BIG more, for reading back */
};

static void *fz_map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("bbioctlfuzz: mmap");
		exit(2);
	}
	return p;
}

static void fz_mem_init(struct fz_mem *m)
{
	char *p = fz_map(3 * FZ_PAGE, PROT_READ | PROT_WRITE);

	m->rw = p;
	m->ro = p + FZ_PAGE;
	m->hole = p + 2 * FZ_PAGE;
	memset(p, 0, 2 * FZ_PAGE);
	mprotect(m->ro, FZ_PAGE, PROT_READ);
	munmap(m->hole, FZ_PAGE);
	p = fz_map(FZ_BIG + FZ_PAGE, PROT_READ | PROT_WRITE);
	munmap(p + FZ_BIG, FZ_PAGE);
	m->big = p;
	m->big2 = fz_map(FZ_BIG, PROT_READ | PROT_WRITE);
}

/* an argument pointer that must fault, for a struct of @size bytes */
static void *fz_bad_ptr(struct fz_mem *m, uint64_t *s, size_t size,
			bool kernel_reads_only)
{
	switch (below(s, kernel_reads_only ? 5 : 6)) {
	case 0:
		return NULL;
	case 1:
		return (void *)16;
	case 2:
		return m->hole;
	case 3:
		return m->hole - size / 2;	/* straddles the hole */
	case 4:
		return (void *)0xffffffff81000000UL;	/* kernel text */
	default:
		return m->ro;	/* readable: only a copy back faults */
	}
}

/* ---- the ioctl side ---- */

struct fz_handle {
	uint64_t handle;
	unsigned int order;
	bool cache;
};

struct fz_fd {
	int fd;
	bool bound;		/* to a sandbox: attach is EALREADY */
	bool killed;		/* the OOM killer chose it: EIO */
	uint64_t region;	/* of its sandbox, 0: not asked yet */
	unsigned int nodes;
	unsigned int nr;
	unsigned long pages;
	struct fz_handle h[FZ_MAX_HANDLES];
};

struct fz_thread {
	unsigned int id;
	uint64_t seed;
	unsigned long calls;
	struct fz_mem mem;
	struct fz_fd fds[FZ_MAX_FDS];
	pthread_t tid;
};

static atomic_int shared_fd = -1;
static uint64_t default_region;
static unsigned int default_nodes;

static bool fz_is_ours(unsigned long cmd)
{
	return _IOC_TYPE(cmd) == BB_IOC_MAGIC;
}

/* one ioctl: the errno (0 on success), counted */
static int fz_ioctl(int fd, unsigned long cmd, void *arg)
{
	int e = ioctl(fd, cmd, arg) < 0 ? errno : 0;

	record(e);
	return e;
}

static void fz_fd_open(struct fz_thread *t, struct fz_fd *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = open(opt.device, O_RDWR | O_CLOEXEC);
	record(f->fd < 0 ? errno : 0);
	if (f->fd < 0)
		violation("t%u: open %s: %s", t->id, opt.device, ename(errno));
}

static void fz_fd_close(struct fz_fd *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/*
 * The answer of an own descriptor to a call of ours that binds it:
 * EIO from then on once the OOM killer chose it.  False when @e was a
 * violation already reported.
 */
static bool fz_settle(struct fz_thread *t, struct fz_fd *f, const char *what,
		      unsigned long cmd, int e)
{
	if (!fz_is_ours(cmd) || cmd == BB_IOC_ATTACH)
		return true;
	f->bound = true;
	if (f->killed) {
		if (e != EIO) {
			violation("t%u: %s on a descriptor the OOM killer chose: %s, not EIO",
				  t->id, what, ename(e));
			return false;
		}
		return true;
	}
	if (e == EIO) {
		struct pollfd p = { .fd = f->fd, .events = POLLPRI };

		f->killed = true;
		f->nr = 0;
		f->pages = 0;
		if (poll(&p, 1, 0) != 1 ||
		    (p.revents & (POLLPRI | POLLERR)) != (POLLPRI | POLLERR))
			violation("t%u: %s: EIO, but poll() says %#x, not POLLPRI|POLLERR",
				  t->id, what, p.revents);
	}
	return true;
}

static void fz_bad(struct fz_thread *t, const char *what, int e)
{
	violation("t%u: %s: %s", t->id, what, ename(e));
}

static void fz_add(struct fz_fd *f, uint64_t handle, unsigned int order,
		   bool cache)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		if (f->h[i].handle == handle)
			violation("handle %" PRIu64 " given twice", handle);
	if (f->nr < FZ_MAX_HANDLES) {
		f->h[f->nr].handle = handle;
		f->h[f->nr].order = order;
		f->h[f->nr].cache = cache;
		f->nr++;
		f->pages += 1UL << order;
	}
}

static void fz_drop(struct fz_fd *f, unsigned int i)
{
	f->pages -= 1UL << f->h[i].order;
	f->h[i] = f->h[--f->nr];
}

static int fz_find(const struct fz_fd *f, uint64_t handle)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		if (f->h[i].handle == handle)
			return i;
	return -1;
}

/* a handle this descriptor does not have: another's, or made up */
static uint64_t fz_foreign_handle(struct fz_thread *t, struct fz_fd *f)
{
	unsigned int i;
	uint64_t h;

	for (i = 0; i < 8; i++) {
		struct fz_fd *o = &t->fds[below(&t->seed, opt.fds)];

		if (o != f && o->nr)
			h = o->h[below(&t->seed, o->nr)].handle;
		else if (chance(&t->seed, 30))
			h = rnd(&t->seed);
		else
			h = below(&t->seed, 4096);
		if (fz_find(f, h) < 0)
			return h;
	}
	return 0;	/* handles start at 1 */
}

static const uint32_t fz_good_gfp[] = {
	BB_GFP_KERNEL,
	BB_GFP_KERNEL | BB___GFP_MOVABLE,
	BB_GFP_HIGHUSER_MOVABLE,
	BB_GFP_ATOMIC,
	BB_GFP_NOWAIT,
	BB_GFP_NOIO,
	BB_GFP_NOFS,
	BB_GFP_USER,
	BB_GFP_KERNEL | BB___GFP_DMA32,
	BB_GFP_KERNEL | BB___GFP_DMA,
	BB_GFP_KERNEL | BB___GFP_NORETRY,
	BB_GFP_KERNEL | BB___GFP_RETRY_MAYFAIL | BB___GFP_MOVABLE,
	BB_GFP_KERNEL | BB___GFP_RECLAIMABLE,
	BB_GFP_KERNEL | BB___GFP_ZERO | BB___GFP_COMP,
	BB_GFP_KERNEL | BB___GFP_THISNODE,
	BB_GFP_ATOMIC | BB___GFP_NOWARN,
	BB_GFP_NOWAIT | BB___GFP_NOMEMALLOC | BB___GFP_HIGH,
	BB_GFP_KERNEL | BB___GFP_MEMALLOC,
	BB_GFP_NOWAIT | BB___GFP_MOVABLE | BB___GFP_HIGHMEM,
};

/* the sandbox of a bound descriptor: its region and nodes */
static void fz_learn(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_stats st;
	int e;

	if (f->region || f->killed)
		return;
	e = fz_ioctl(f->fd, BB_IOC_STATS, &st);
	if (!fz_settle(t, f, "STATS", BB_IOC_STATS, e))
		return;
	if (e == EIO)
		return;
	if (e) {
		fz_bad(t, "STATS", e);
		return;
	}
	f->region = st.region_pages;
	f->nodes = st.nr_nodes;
	if (!st.region_pages || !st.nr_nodes || st.nr_nodes > BB_MAX_NUMNODES ||
	    st.free_pages > st.region_pages)
		violation("t%u: STATS: region %llu nodes %llu free %llu",
			  t->id, (unsigned long long)st.region_pages,
			  (unsigned long long)st.nr_nodes,
			  (unsigned long long)st.free_pages);
}

static void fz_check_alloc_out(struct fz_thread *t, struct fz_fd *f,
			       const struct bb_alloc_req *r)
{
	uint64_t region = f->region ? f->region : default_region;

	if (r->zone > BB_ZONE_MOVABLE || r->node >= BB_MAX_NUMNODES ||
	    r->handle == 0 || r->handle > UINT32_MAX || r->migratetype > 8 ||
	    (region && r->pfn + (1ULL << r->order) > region) ||
	    (r->pfn & ((1ULL << r->order) - 1)))
		violation("t%u: ALLOC order %u: handle %llu pfn %llu zone %u node %u mt %u",
			  t->id, r->order, (unsigned long long)r->handle,
			  (unsigned long long)r->pfn, r->zone, r->node,
			  r->migratetype);
}

/* a real ALLOC with valid arguments: a handle, or ENOMEM */
static void op_alloc_valid(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_alloc_req r = { };
	char *path = t->mem.rw;
	unsigned int order;
	int e;

	fz_learn(t, f);
	order = chance(&t->seed, 70) ? below(&t->seed, 4) :
				       below(&t->seed, BB_MAX_ORDER);
	if (f->pages + (1UL << order) > FZ_FD_PAGES || f->nr == FZ_MAX_HANDLES)
		return;
	r.order = order;
	r.gfp = fz_good_gfp[below(&t->seed,
				  sizeof(fz_good_gfp) / sizeof(fz_good_gfp[0]))];
	r.nid = f->nodes ? (int)below(&t->seed, f->nodes + 1) - 1 : -1;
	if (f->nodes && chance(&t->seed, 20))
		r.nodemask = 1u << below(&t->seed, f->nodes);
	/* must not fail: on any node, so that the OOM killer can help */
	if (order <= 1 && chance(&t->seed, 3)) {
		r.gfp = BB_GFP_KERNEL | BB___GFP_NOFAIL;
		r.nid = -1;
		r.nodemask = 0;
	}
	if (chance(&t->seed, 15))
		r.flags |= BB_ALLOC_F_CACHE;
	if (chance(&t->seed, 10)) {
		r.flags |= BB_ALLOC_F_EXPLAIN;
		r.path = (uintptr_t)path;
		r.path_len = FZ_PAGE;
	}
	e = fz_ioctl(f->fd, BB_IOC_ALLOC, &r);
	if (!fz_settle(t, f, "ALLOC", BB_IOC_ALLOC, e) || f->killed)
		return;
	if (!e) {
		fz_check_alloc_out(t, f, &r);
		fz_add(f, r.handle, order, r.flags & BB_ALLOC_F_CACHE);
	} else if (e != ENOMEM || (r.gfp & BB___GFP_NOFAIL)) {
		violation("t%u: valid ALLOC order %u gfp %#x nid %d nodemask %#x flags %#x: %s",
			  t->id, order, r.gfp, r.nid, r.nodemask, r.flags,
			  ename(e));
	}
	if ((r.flags & BB_ALLOC_F_EXPLAIN) &&
	    (r.path_len >= FZ_PAGE || strnlen(path, FZ_PAGE) != r.path_len))
		violation("t%u: ALLOC --explain: path_len %u, text of %zu",
			  t->id, r.path_len, strnlen(path, FZ_PAGE));
}

/*
 * Fill the sandbox from one descriptor with GFP_KERNEL blocks of order 3:
 * when nothing is left, the OOM killer revokes the largest descriptor
 * (EIO from then on), or the request fails.
 */
static void op_hog(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_alloc_req r = { };
	unsigned int i;
	int e;

	for (i = 0; i < 128 && f->nr < FZ_MAX_HANDLES &&
	     f->pages + 8 <= FZ_FD_PAGES && !f->killed; i++) {
		memset(&r, 0, sizeof(r));
		r.order = 3;
		r.gfp = BB_GFP_KERNEL;
		r.nid = -1;
		e = fz_ioctl(f->fd, BB_IOC_ALLOC, &r);
		if (!fz_settle(t, f, "ALLOC (hog)", BB_IOC_ALLOC, e) || f->killed)
			return;
		if (e == ENOMEM)
			return;
		if (e) {
			fz_bad(t, "ALLOC (hog)", e);
			return;
		}
		fz_check_alloc_out(t, f, &r);
		fz_add(f, r.handle, 3, false);
	}
}

/* ALLOC with random fields, lying path lengths, bad pointers */
static void op_alloc_random(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_alloc_req r = { }, *arg = &r;
	bool invalid = false, late_invalid = false, bad_ptr = false;
	int e;

	if (f->pages + 1024 > FZ_FD_PAGES || f->nr == FZ_MAX_HANDLES)
		return;
	r.order = chance(&t->seed, 50) ? below(&t->seed, 14) : (uint32_t)rnd(&t->seed);
	r.gfp = chance(&t->seed, 50) ? (uint32_t)rnd(&t->seed) :
		(uint32_t)rnd(&t->seed) & BB___GFP_BITS_MASK;
	r.nid = chance(&t->seed, 50) ? (int)below(&t->seed, 7) - 2 : (int32_t)rnd(&t->seed);
	r.nodemask = chance(&t->seed, 60) ? 0 : (uint32_t)rnd(&t->seed);
	r.flags = chance(&t->seed, 50) ? below(&t->seed, 4) : (uint32_t)rnd(&t->seed);
	r.pad = chance(&t->seed, 80) ? 0 : (uint32_t)rnd(&t->seed);
	r.handle = rnd(&t->seed);
	r.path_len = chance(&t->seed, 50) ? below(&t->seed, 4) : (uint32_t)rnd(&t->seed);
	switch (below(&t->seed, 4)) {
	case 0:
		r.path = 0;
		break;
	case 1:		/* a page, then the hole: a lying length faults */
		r.path = (uintptr_t)t->mem.ro - 64;
		break;
	case 2:
		r.path = (uintptr_t)t->mem.hole;
		break;
	default:
		r.path = (uintptr_t)t->mem.big + FZ_BIG - FZ_PAGE;
		break;
	}
	/* refused before anything is done */
	if ((r.flags & ~BB_ALLOC_F_MASK) || r.pad || r.nid < -1 ||
	    r.nid >= BB_MAX_NUMNODES ||
	    ((r.flags & BB_ALLOC_F_EXPLAIN) && (!r.path || r.path_len < 2)))
		invalid = true;
	/* refused by the allocator: the path is still copied out (EFAULT) */
	if (r.order >= BB_MAX_ORDER || (r.gfp & ~BB___GFP_BITS_MASK))
		late_invalid = true;
	if (chance(&t->seed, 10)) {
		/* the request in place, where the copy back faults */
		arg = (struct bb_alloc_req *)(t->mem.ro - sizeof(r) / 2);
		memcpy(t->mem.rw + FZ_PAGE - sizeof(r) / 2, &r, sizeof(r) / 2);
		mprotect(t->mem.ro, FZ_PAGE, PROT_READ | PROT_WRITE);
		memcpy(t->mem.ro, (char *)&r + sizeof(r) / 2, sizeof(r) / 2);
		mprotect(t->mem.ro, FZ_PAGE, PROT_READ);
		bad_ptr = true;
	}
	e = fz_ioctl(f->fd, BB_IOC_ALLOC, arg);
	if (!fz_settle(t, f, "random ALLOC", BB_IOC_ALLOC, e) || f->killed)
		return;
	/* a request it cannot copy back: EFAULT, even when refused */
	if (bad_ptr && !one_of(e, EINVAL, EFAULT, -1))
		violation("t%u: ALLOC with its request half read-only: %s",
			  t->id, ename(e));
	else if (!bad_ptr && (invalid || (late_invalid && !(r.flags & BB_ALLOC_F_EXPLAIN))) &&
		 e != EINVAL)
		violation("t%u: ALLOC order %u gfp %#x nid %d flags %#x pad %#x path_len %u: %s, not EINVAL",
			  t->id, r.order, r.gfp, r.nid, r.flags, r.pad,
			  r.path_len, ename(e));
	else if (late_invalid && !one_of(e, EINVAL, EFAULT, -1))
		violation("t%u: ALLOC order %u gfp %#x with a path: %s, not EINVAL or EFAULT",
			  t->id, r.order, r.gfp, ename(e));
	else if (!one_of(e, 0, EINVAL, ENOMEM, EFAULT, -1))
		violation("t%u: random ALLOC order %u gfp %#x nid %d nodemask %#x flags %#x: %s",
			  t->id, r.order, r.gfp, r.nid, r.nodemask, r.flags,
			  ename(e));
	if (!e) {
		fz_check_alloc_out(t, f, &r);
		fz_add(f, r.handle, r.order, r.flags & BB_ALLOC_F_CACHE);
	}
}

static void op_free(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_free_req r;
	int i = -1, e;

	if (f->nr && chance(&t->seed, 60)) {
		i = below(&t->seed, f->nr);
		r.handle = f->h[i].handle;
	} else {
		r.handle = fz_foreign_handle(t, f);
	}
	e = fz_ioctl(f->fd, BB_IOC_FREE, &r);
	if (!fz_settle(t, f, "FREE", BB_IOC_FREE, e) || f->killed)
		return;
	if (i >= 0) {
		if (e)
			violation("t%u: FREE of its own handle %llu: %s", t->id,
				  (unsigned long long)r.handle, ename(e));
		else
			fz_drop(f, i);
	} else if (e != ENOENT) {
		violation("t%u: FREE of handle %llu it does not have: %s",
			  t->id, (unsigned long long)r.handle, ename(e));
	}
}

/*
 * WRITE and READ with lying lengths and offsets and bad buffers; what a
 * WRITE that succeeded put there, READ gives back.
 */
static void op_rw(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_rw_req r = { };
	uint64_t size = 0;
	int i = -1, e, want;
	bool write = chance(&t->seed, 50), buf_ok = true, kernel = false;
	size_t k;

	if (f->nr && chance(&t->seed, 85)) {
		i = below(&t->seed, f->nr);
		r.handle = f->h[i].handle;
		size = FZ_PAGE << f->h[i].order;
	} else {
		r.handle = fz_foreign_handle(t, f);
	}
	switch (below(&t->seed, 6)) {
	case 0:		/* lying offset */
		r.offset = chance(&t->seed, 50) ? rnd(&t->seed) : size + below(&t->seed, 3);
		r.length = below(&t->seed, 64);
		break;
	case 1:		/* lying length */
		r.offset = size ? below(&t->seed, size) : 0;
		r.length = chance(&t->seed, 50) ? rnd(&t->seed) :
			   size - r.offset + 1 + below(&t->seed, 4096);
		break;
	case 2:		/* the wrap-around */
		r.offset = UINT64_MAX - below(&t->seed, 8);
		r.length = below(&t->seed, 16) + 1;
		break;
	default:	/* valid */
		r.offset = size ? below(&t->seed, size) : 0;
		r.length = below(&t->seed, size - r.offset + 1);
		if (r.length > 65536 && chance(&t->seed, 80))
			r.length = below(&t->seed, 65536);
		break;
	}
	r.buf = (uintptr_t)t->mem.big;
	if (chance(&t->seed, 15)) {
		switch (below(&t->seed, 4)) {
		case 0:
			r.buf = 0;
			break;
		case 1:		/* runs into the hole after big */
			r.buf = (uintptr_t)t->mem.big + FZ_BIG - below(&t->seed, 4096);
			break;
		case 2:
			r.buf = 0xffff888000000000UL;
			kernel = true;
			break;
		default:
			r.buf = (uintptr_t)t->mem.ro;	/* READ faults */
			break;
		}
	}
	if (r.length && r.buf != (uintptr_t)t->mem.big) {
		if (r.buf == (uintptr_t)t->mem.ro)
			buf_ok = write && r.length <= FZ_PAGE;
		else if (r.buf > (uintptr_t)t->mem.big &&
			 r.buf < (uintptr_t)t->mem.big + FZ_BIG)
			buf_ok = r.length <= (uintptr_t)t->mem.big + FZ_BIG - r.buf;
		else
			buf_ok = false;
	}
	if (r.buf == (uintptr_t)t->mem.big && r.length > FZ_BIG)
		buf_ok = false;
	if (write && buf_ok && r.buf == (uintptr_t)t->mem.big)
		for (k = 0; k < r.length && k < FZ_BIG; k += 8)
			*(uint64_t *)(t->mem.big + k) = rnd(&t->seed);

	e = fz_ioctl(f->fd, write ? BB_IOC_WRITE : BB_IOC_READ, &r);
	if (!fz_settle(t, f, write ? "WRITE" : "READ",
		       write ? BB_IOC_WRITE : BB_IOC_READ, e) || f->killed)
		return;
	/* the order of the module's checks */
	if (r.handle > UINT32_MAX)
		want = ENOENT;
	else if (r.length > FZ_BIG)
		want = EINVAL;
	else if (kernel)
		want = EFAULT;	/* access_ok(), even for 0 bytes */
	else if (i < 0)
		want = ENOENT;
	else if (r.offset > size || r.length > size - r.offset)
		want = EINVAL;
	else if (!buf_ok)
		want = EFAULT;
	else
		want = 0;
	/* a NULL buffer is caught by access_ok() or by the copy */
	if (e == want || (i >= 0 && f->h[i].cache && e == ESTALE && want != ENOENT &&
			  r.length <= FZ_BIG && !kernel))
		;
	else
		violation("t%u: %s handle %llu (%s, %llu bytes) offset %llu length %llu buf %#llx: %s, not %s",
			  t->id, write ? "WRITE" : "READ",
			  (unsigned long long)r.handle, i >= 0 ? "own" : "not its own",
			  (unsigned long long)size, (unsigned long long)r.offset,
			  (unsigned long long)r.length, (unsigned long long)r.buf,
			  ename(e), ename(want));
	if (write && !e && r.buf == (uintptr_t)t->mem.big && r.length) {
		struct bb_rw_req rd = r;

		rd.buf = (uintptr_t)t->mem.big2;
		e = fz_ioctl(f->fd, BB_IOC_READ, &rd);
		if (!fz_settle(t, f, "READ back", BB_IOC_READ, e) || f->killed)
			return;
		if (e == ESTALE && f->h[i].cache)
			return;
		if (e)
			violation("t%u: READ back of a WRITE: %s", t->id, ename(e));
		else if (memcmp(t->mem.big, t->mem.big2, r.length))
			violation("t%u: READ back of handle %llu offset %llu length %llu differs from what WRITE put",
				  t->id, (unsigned long long)r.handle,
				  (unsigned long long)r.offset,
				  (unsigned long long)r.length);
	}
}

static void op_stats(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_stats st;
	bool bad = chance(&t->seed, 15);
	unsigned long cache = 0;
	unsigned int i;
	int e;

	e = fz_ioctl(f->fd, BB_IOC_STATS,
		     bad ? fz_bad_ptr(&t->mem, &t->seed, sizeof(st), false) : &st);
	if (!fz_settle(t, f, "STATS", BB_IOC_STATS, e) || f->killed)
		return;
	if (bad) {
		if (e != EFAULT)
			fz_bad(t, "STATS to a bad pointer", e);
		return;
	}
	if (e) {
		fz_bad(t, "STATS", e);
		return;
	}
	/* what the descriptor holds (less what reclaim dropped) */
	for (i = 0; i < f->nr; i++)
		if (f->h[i].cache)
			cache += 1UL << f->h[i].order;
	if (st.fd_allocations != f->nr || st.fd_pages > f->pages ||
	    st.fd_pages + cache < f->pages)
		violation("t%u: STATS: the descriptor holds %llu allocations, %llu pages; it made %u, %lu pages",
			  t->id, (unsigned long long)st.fd_allocations,
			  (unsigned long long)st.fd_pages, f->nr, f->pages);
}

static void op_bulk_alloc(struct fz_thread *t, struct fz_fd *f)
{
	uint64_t *handles = (uint64_t *)t->mem.big;
	struct bb_bulk_req r = { };
	bool invalid, fault = false;
	unsigned int i;
	int e;

	r.nr = chance(&t->seed, 85) ? below(&t->seed, 65) :
	       chance(&t->seed, 50) ? BB_BULK_MAX + below(&t->seed, 3) : (uint32_t)rnd(&t->seed);
	if (f->pages + r.nr > FZ_FD_PAGES && r.nr <= BB_BULK_MAX)
		return;
	if (f->nr + r.nr > FZ_MAX_HANDLES && r.nr <= BB_BULK_MAX)
		return;
	r.gfp = chance(&t->seed, 80) ?
		fz_good_gfp[below(&t->seed, sizeof(fz_good_gfp) / sizeof(fz_good_gfp[0]))] :
		(uint32_t)rnd(&t->seed);
	r.nid = chance(&t->seed, 90) ? -1 : (int)below(&t->seed, 6) - 1;
	r.flags = chance(&t->seed, 90) ? 0 : (uint32_t)rnd(&t->seed);
	r.pad = chance(&t->seed, 90) ? 0 : 1;
	r.handles = (uintptr_t)handles;
	if (chance(&t->seed, 10)) {
		r.handles = (uintptr_t)fz_bad_ptr(&t->mem, &t->seed, 8 * r.nr, false);
		fault = true;
	}
	invalid = r.flags || r.pad || !r.nr || r.nr > BB_BULK_MAX ||
		  r.nid < -1 || r.nid >= BB_MAX_NUMNODES;
	e = fz_ioctl(f->fd, BB_IOC_ALLOC_BULK, &r);
	if (!fz_settle(t, f, "ALLOC_BULK", BB_IOC_ALLOC_BULK, e) || f->killed)
		return;
	if (invalid) {
		if (e != EINVAL)
			violation("t%u: ALLOC_BULK nr %u flags %#x pad %u nid %d: %s, not EINVAL",
				  t->id, r.nr, r.flags, r.pad, r.nid, ename(e));
		return;
	}
	if (fault) {
		if (!one_of(e, EFAULT, EINVAL, ENOMEM, -1))
			violation("t%u: ALLOC_BULK into a bad pointer: %s", t->id, ename(e));
		return;
	}
	if (!one_of(e, 0, EINVAL, ENOMEM, -1)) {
		violation("t%u: ALLOC_BULK nr %u gfp %#x: %s", t->id, r.nr, r.gfp, ename(e));
		return;
	}
	if (e)
		return;
	if (!r.nr_done || r.nr_done > r.nr)
		violation("t%u: ALLOC_BULK nr %u: nr_done %u", t->id, r.nr, r.nr_done);
	for (i = 0; i < r.nr_done && i < r.nr; i++)
		fz_add(f, handles[i], 0, false);
}

static void op_bulk_free(struct fz_thread *t, struct fz_fd *f)
{
	uint64_t *handles = (uint64_t *)t->mem.big;
	struct bb_bulk_req r = { };
	unsigned int i, n, bad_at = UINT_MAX;
	int e;

	n = f->nr ? 1 + below(&t->seed, f->nr) : 1;
	/* distinct own handles, maybe one it does not have among them */
	for (i = 0; i < n && i < f->nr; i++)
		handles[i] = f->h[(f->nr - 1 - i)].handle;
	if (!f->nr || chance(&t->seed, 30)) {
		bad_at = below(&t->seed, n);
		handles[bad_at] = fz_foreign_handle(t, f);
	}
	r.nr = n;
	r.handles = (uintptr_t)handles;
	if (chance(&t->seed, 8)) {
		r.handles = (uintptr_t)fz_bad_ptr(&t->mem, &t->seed, 8 * n, true);
		e = fz_ioctl(f->fd, BB_IOC_FREE_BULK, &r);
		if (fz_settle(t, f, "FREE_BULK", BB_IOC_FREE_BULK, e) && !f->killed &&
		    e != EFAULT)
			fz_bad(t, "FREE_BULK from a bad pointer", e);
		return;
	}
	e = fz_ioctl(f->fd, BB_IOC_FREE_BULK, &r);
	if (!fz_settle(t, f, "FREE_BULK", BB_IOC_FREE_BULK, e) || f->killed)
		return;
	if (bad_at != UINT_MAX) {
		if (e != ENOENT || r.nr_done != bad_at)
			violation("t%u: FREE_BULK of %u, an unknown handle at %u: %s, nr_done %u",
				  t->id, n, bad_at, ename(e), r.nr_done);
	} else if (e || r.nr_done != n) {
		violation("t%u: FREE_BULK of %u own handles: %s, nr_done %u",
			  t->id, n, ename(e), r.nr_done);
	}
	for (i = 0; i < r.nr_done && i < n; i++) {
		int j = fz_find(f, handles[i]);

		if (j >= 0)
			fz_drop(f, j);
	}
}

static void op_lookup(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_lookup_req r = { };
	int i = -1, e;

	if (f->nr && chance(&t->seed, 70)) {
		i = below(&t->seed, f->nr);
		r.handle = f->h[i].handle;
	} else {
		r.handle = fz_foreign_handle(t, f);
	}
	e = fz_ioctl(f->fd, BB_IOC_LOOKUP, &r);
	if (!fz_settle(t, f, "LOOKUP", BB_IOC_LOOKUP, e) || f->killed)
		return;
	if (i < 0) {
		if (e != ENOENT)
			violation("t%u: LOOKUP of handle %llu it does not have: %s",
				  t->id, (unsigned long long)r.handle, ename(e));
		return;
	}
	if (e)
		violation("t%u: LOOKUP of its handle: %s", t->id, ename(e));
	else if (r.order != f->h[i].order || r.state > BB_STATE_STALE ||
		 (!f->h[i].cache && r.state >= BB_STATE_CACHE))
		violation("t%u: LOOKUP: order %u (made %u), state %u", t->id,
			  r.order, f->h[i].order, r.state);
}

static void op_oom_adj(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_oom_req r;
	bool invalid;
	int e;

	r.set = chance(&t->seed, 80) ? below(&t->seed, 2) : (uint32_t)rnd(&t->seed);
	/* never -1000: a __GFP_NOFAIL request needs someone to kill */
	r.oom_score_adj = chance(&t->seed, 70) ? (int)below(&t->seed, 2000) - 999 :
			  chance(&t->seed, 50) ? (int)below(&t->seed, 4) - 1003 :
			  (int32_t)rnd(&t->seed);
	if (r.set == 1 && r.oom_score_adj == -1000)
		r.oom_score_adj = -1001;
	invalid = r.set > 1 ||
		  (r.set && (r.oom_score_adj < -1000 || r.oom_score_adj > 1000));
	e = fz_ioctl(f->fd, BB_IOC_OOM_SCORE_ADJ, &r);
	if (!fz_settle(t, f, "OOM_SCORE_ADJ", BB_IOC_OOM_SCORE_ADJ, e) || f->killed)
		return;
	if (e != (invalid ? EINVAL : 0) ||
	    (!e && (r.oom_score_adj < -1000 || r.oom_score_adj > 1000)))
		violation("t%u: OOM_SCORE_ADJ set %u: %s, value %d", t->id,
			  r.set, ename(e), r.oom_score_adj);
}

static const unsigned long fz_real_cmds[] = {
	BB_IOC_ALLOC, BB_IOC_FREE, BB_IOC_WRITE, BB_IOC_READ, BB_IOC_STATS,
	BB_IOC_ALLOC_BULK, BB_IOC_FREE_BULK, BB_IOC_LOOKUP,
	BB_IOC_OOM_SCORE_ADJ, BB_IOC_ATTACH,
};
#define FZ_NR_REAL (sizeof(fz_real_cmds) / sizeof(fz_real_cmds[0]))

/* a command that is not one: ENOTTY */
static void op_random_cmd(struct fz_thread *t, struct fz_fd *f)
{
	/* types the VFS answers itself (FIONBIO, FIGETBSZ...) are left out */
	static const unsigned int types[] = { BB_IOC_MAGIC, BB_IOC_MAGIC,
					      BB_IOC_MAGIC, 0xba, 0xbc, 0x7f };
	unsigned long cmd;
	unsigned int i;
	int e;

	do {
		unsigned long real = fz_real_cmds[below(&t->seed, FZ_NR_REAL)];

		switch (below(&t->seed, 3)) {
		case 0:		/* a real one, mis-sized */
			cmd = _IOC(_IOC_DIR(real), _IOC_TYPE(real), _IOC_NR(real),
				   below(&t->seed, 1 << _IOC_SIZEBITS));
			break;
		case 1:		/* a real one, the wrong direction */
			cmd = _IOC(below(&t->seed, 4), _IOC_TYPE(real),
				   _IOC_NR(real), _IOC_SIZE(real));
			break;
		default:
			cmd = _IOC(below(&t->seed, 4),
				   types[below(&t->seed, sizeof(types) / sizeof(types[0]))],
				   below(&t->seed, 16),
				   below(&t->seed, 1 << _IOC_SIZEBITS));
			break;
		}
		for (i = 0; i < FZ_NR_REAL; i++)
			if (cmd == fz_real_cmds[i])
				break;
	} while (i < FZ_NR_REAL);
	e = fz_ioctl(f->fd, cmd, chance(&t->seed, 50) ? (void *)t->mem.rw :
		     fz_bad_ptr(&t->mem, &t->seed, 64, false));
	if (!fz_settle(t, f, "unknown command", cmd, e) || f->killed)
		return;
	if (e != ENOTTY)
		violation("t%u: command %#lx (type %#x nr %u size %u dir %u): %s, not ENOTTY",
			  t->id, cmd, _IOC_TYPE(cmd), _IOC_NR(cmd), _IOC_SIZE(cmd),
			  _IOC_DIR(cmd), ename(e));
}

/* the real commands with arguments that fault */
static void op_bad_arg(struct fz_thread *t, struct fz_fd *f)
{
	unsigned long cmd = fz_real_cmds[below(&t->seed, FZ_NR_REAL - 1)];
	bool reads_only = _IOC_DIR(cmd) == _IOC_WRITE;
	void *p = fz_bad_ptr(&t->mem, &t->seed, _IOC_SIZE(cmd), reads_only);
	int e;

	/* the read-only page holds op_alloc_random()'s requests */
	if (p == (void *)t->mem.ro)
		p = t->mem.hole;
	e = fz_ioctl(f->fd, cmd, p);
	if (!fz_settle(t, f, "bad argument pointer", cmd, e) || f->killed)
		return;
	if (e == EFAULT)
		return;
	violation("t%u: command %#lx with argument %p: %s, not EFAULT", t->id,
		  cmd, p, ename(e));
}

/* attach a fresh descriptor: default, the churned sandbox, no such, bad */
static void op_attach(struct fz_thread *t, struct fz_fd *f)
{
	struct bb_attach_req r = { }, *arg = &r;
	static const char *const bad[] = {
		"", "Bad!", "abcdefghijklmnop", "control", "sandboxes", "a b",
	};
	bool invalid = false, fault = false;
	int e;

	switch (below(&t->seed, 6)) {
	case 0:
	case 1:
		strcpy(r.name, "default");
		break;
	case 2:
	case 3:
		snprintf(r.name, sizeof(r.name), "%s", opt.churn ? opt.churn : "nosuch");
		break;
	case 4:
		strcpy(r.name, "nosuchbox");
		break;
	default:
		invalid = true;
		if (chance(&t->seed, 25))
			memset(r.name, 'a', sizeof(r.name));	/* no NUL */
		else
			strcpy(r.name, bad[below(&t->seed, sizeof(bad) / sizeof(bad[0]))]);
		break;
	}
	if (chance(&t->seed, 10)) {
		invalid = true;
		if (chance(&t->seed, 50))
			r.flags = 1 + below(&t->seed, 100);
		else
			r.pad = 1;
	}
	if (chance(&t->seed, 8)) {
		arg = fz_bad_ptr(&t->mem, &t->seed, sizeof(r), true);
		fault = true;
	}
	e = fz_ioctl(f->fd, BB_IOC_ATTACH, arg);
	if (fault) {
		if (e != EFAULT)
			fz_bad(t, "ATTACH from a bad pointer", e);
		return;
	}
	if (invalid) {
		if (e != EINVAL)
			violation("t%u: ATTACH '%.32s' flags %u pad %u: %s, not EINVAL",
				  t->id, r.name, r.flags, r.pad, ename(e));
		return;
	}
	if (f->bound) {
		if (e != EALREADY)
			violation("t%u: ATTACH '%s' on a bound descriptor: %s, not EALREADY",
				  t->id, r.name, ename(e));
		return;
	}
	if (!strcmp(r.name, "default") ? e != 0 :
	    !strcmp(r.name, "nosuchbox") || !opt.churn ? e != ENOENT :
	    !one_of(e, 0, ENOENT, -1))
		violation("t%u: ATTACH '%s': %s", t->id, r.name, ename(e));
	if (!e) {
		f->bound = true;
		f->region = 0;
		fz_learn(t, f);
	}
}

static void op_reopen(struct fz_thread *t, struct fz_fd *f)
{
	fz_fd_close(f);
	fz_fd_open(t, f);
	if (f->fd >= 0 && chance(&t->seed, 70))
		op_attach(t, f);
}

/* the descriptor all threads use; results only within the contract */
static void op_shared(struct fz_thread *t)
{
	int fd = atomic_load(&shared_fd), e;
	union {
		struct bb_alloc_req a;
		struct bb_free_req f;
		struct bb_lookup_req l;
		struct bb_stats s;
	} u;

	memset(&u, 0, sizeof(u));
	if (chance(&t->seed, 5)) {
		/* closed under the others' feet: the number now names another */
		int nfd = open(opt.device, O_RDWR | O_CLOEXEC);

		record(nfd < 0 ? errno : 0);
		if (nfd >= 0) {
			if (dup2(nfd, fd) < 0)
				violation("t%u: dup2: %s", t->id, ename(errno));
			close(nfd);
		}
		return;
	}
	switch (below(&t->seed, 4)) {
	case 0:
		u.a.order = below(&t->seed, 6);
		u.a.gfp = fz_good_gfp[below(&t->seed, 4)];
		u.a.nid = -1;
		e = fz_ioctl(fd, BB_IOC_ALLOC, &u.a);
		if (!one_of(e, 0, ENOMEM, EIO, -1))
			fz_bad(t, "ALLOC on the shared descriptor", e);
		break;
	case 1:
		u.f.handle = below(&t->seed, 64);
		e = fz_ioctl(fd, BB_IOC_FREE, &u.f);
		if (!one_of(e, 0, ENOENT, EIO, -1))
			fz_bad(t, "FREE on the shared descriptor", e);
		break;
	case 2:
		u.l.handle = below(&t->seed, 64);
		e = fz_ioctl(fd, BB_IOC_LOOKUP, &u.l);
		if (!one_of(e, 0, ENOENT, EIO, -1))
			fz_bad(t, "LOOKUP on the shared descriptor", e);
		break;
	default:
		e = fz_ioctl(fd, BB_IOC_STATS, &u.s);
		if (!one_of(e, 0, EIO, -1))
			fz_bad(t, "STATS on the shared descriptor", e);
		break;
	}
}

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;
	unsigned long n;
	unsigned int i;

	fz_mem_init(&t->mem);
	for (i = 0; i < opt.fds; i++)
		fz_fd_open(t, &t->fds[i]);
	for (n = 0; n < t->calls; n++) {
		struct fz_fd *f = &t->fds[below(&t->seed, opt.fds)];
		unsigned int op = below(&t->seed, 100);

		if (f->fd < 0) {
			fz_fd_open(t, f);
			continue;
		}
		/* killed: mostly open a new one, sometimes poke it */
		if (f->killed && chance(&t->seed, 70)) {
			op_reopen(t, f);
			continue;
		}
		if (op < 1)
			op_hog(t, f);
		else if (op < 20)
			op_alloc_valid(t, f);
		else if (op < 28)
			op_alloc_random(t, f);
		else if (op < 38)
			op_free(t, f);
		else if (op < 52)
			op_rw(t, f);
		else if (op < 57)
			op_stats(t, f);
		else if (op < 62)
			op_bulk_alloc(t, f);
		else if (op < 66)
			op_bulk_free(t, f);
		else if (op < 70)
			op_lookup(t, f);
		else if (op < 72)
			op_oom_adj(t, f);
		else if (op < 78)
			op_random_cmd(t, f);
		else if (op < 83)
			op_bad_arg(t, f);
		else if (op < 85)
			op_attach(t, f);
		else if (op < 88)
			op_reopen(t, f);
		else
			op_shared(t);
	}
	for (i = 0; i < opt.fds; i++) {
		op_stats(t, &t->fds[i]);
		fz_fd_close(&t->fds[i]);
	}
	return NULL;
}

/* ---- files ---- */

/* write @len bytes of @buf at @off (-1: write()), the errno or 0 */
static int fz_write(const char *path, const void *buf, size_t len, off_t off,
		    ssize_t *wrote)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e = 0;
	ssize_t n;

	if (fd < 0) {
		e = errno;
		record(e);
		violation("open %s: %s", path, ename(e));
		return e;
	}
	n = off < 0 ? write(fd, buf, len) : pwrite(fd, buf, len, off);
	if (n < 0)
		e = errno;
	close(fd);
	record(e);
	if (wrote)
		*wrote = n;
	if (!e && (size_t)n != len)
		violation("write of %zu bytes to %s: %zd taken", len, path, n);
	return e;
}

/* the whole file as a string (static buffer of @size) */
static char *fz_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
	return buf;
}

static int fz_top_line(const char *line)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/control", opt.root);
	return fz_write(path, line, strlen(line), -1, NULL);
}

/* creates and destroys opt.churn while the workers attach to it */
static void *fz_churn_main(void *arg)
{
	char line[128];
	unsigned long cycles = 0, busy = 0, nomem = 0;
	int e;

	(void)arg;
	while (!atomic_load(&stop_churn)) {
		snprintf(line, sizeof(line), "create %s size_mb=16 dma_mb=0 dma32_mb=0\n",
			 opt.churn);
		e = fz_top_line(line);
		if (e == ENOMEM) {
			nomem++;
			continue;
		}
		if (e) {
			violation("churn: %s: %s", line, ename(e));
			break;
		}
		snprintf(line, sizeof(line), "destroy %s", opt.churn);
		/* a descriptor holds it: let the workers go on, then again */
		while ((e = fz_top_line(line)) == EBUSY) {
			busy++;
			usleep(2000);
		}
		if (e) {
			violation("churn: %s: %s", line, ename(e));
			break;
		}
		cycles++;
	}
	printf("bbioctlfuzz: churn of %s: %lu created and destroyed, %lu EBUSY, %lu ENOMEM\n",
	       opt.churn, cycles, busy, nomem);
	return NULL;
}

static void fz_summary(double secs)
{
	unsigned int e;

	printf("bbioctlfuzz: %lu calls in %.1f s (seed %llu)\n",
	       atomic_load(&nr_calls), secs, opt.seed);
	for (e = 0; e < FZ_NERRNO; e++) {
		unsigned long n = atomic_load(&errno_count[e]);

		if (n)
			printf("bbioctlfuzz: errno %-10s %lu\n", e ? ename(e) : "ok", n);
	}
}

static int fz_ioctl_mode(void)
{
	struct fz_thread *t = calloc(opt.threads, sizeof(*t));
	pthread_t churn;
	struct bb_stats st;
	unsigned int i;
	int fd;

	fd = open(opt.device, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BB_IOC_STATS, &st) < 0) {
		perror("bbioctlfuzz: the device");
		return 2;
	}
	default_region = st.region_pages;
	default_nodes = st.nr_nodes;
	atomic_store(&shared_fd, fd);
	if (opt.churn)
		pthread_create(&churn, NULL, fz_churn_main, NULL);
	for (i = 0; i < opt.threads; i++) {
		t[i].id = i;
		t[i].seed = opt.seed * 1000003 + i;
		t[i].calls = opt.calls / opt.threads;
		pthread_create(&t[i].tid, NULL, fz_thread_main, &t[i]);
	}
	for (i = 0; i < opt.threads; i++)
		pthread_join(t[i].tid, NULL);
	atomic_store(&stop_churn, true);
	if (opt.churn)
		pthread_join(churn, NULL);
	close(fd);
	free(t);
	return 0;
}

/* ---- debugfs ---- */

static const char *const fz_tunables[] = {
	"min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor",
	"percpu_pagelist_high_fraction", "compaction_proactiveness",
	"extfrag_threshold", "percpu_pagelist_batch",
};
#define FZ_NR_TUNABLES (sizeof(fz_tunables) / sizeof(fz_tunables[0]))

static const char *const fz_gfp_words[] = {
	"GFP_KERNEL", "GFP_ATOMIC", "GFP_HIGHUSER_MOVABLE", "GFP_NOWAIT",
	"__GFP_MOVABLE", "__GFP_NOFAIL", "__GFP_DMA", "__GFP_DMA32",
	"__GFP_HIGHMEM", "__GFP_NORETRY", "GFP_BOGUS", "0x8", "",
};

static const char *const fz_numbers[] = {
	"0", "1", "-1", "3", "10", "11", "100", "1024", "4096", "65536",
	"2147483647", "2147483648", "-2147483648", "-2147483649",
	"4294967295", "4294967296", "18446744073709551615",
	"18446744073709551616", "99999999999999999999999999", "0x10", "010",
	"+5", " 5", "5 ", "5\n", "5\n\n", "1e3", "five", "", "-", "+",
	"00000000000000000000000000000000000000000000000000000000000000000000007",
};

static const char *fz_pick(uint64_t *s, const char *const *v, size_t n)
{
	return v[below(s, n)];
}

#define FZ_PICK(s, v) fz_pick(s, v, sizeof(v) / sizeof(v[0]))

/* a number: mostly small and valid, sometimes hostile */
static void fz_num(uint64_t *s, char *out, size_t size, unsigned int max)
{
	if (chance(s, 60))
		snprintf(out, size, "%u", (unsigned int)below(s, max + 1));
	else
		snprintf(out, size, "%s", FZ_PICK(s, fz_numbers));
}

/* turn a good line bad: cut, flip, insert, repeat */
static size_t fz_mutate(uint64_t *s, char *buf, size_t len, size_t cap)
{
	unsigned int n = below(s, 4), i;

	for (i = 0; i < n && len; i++) {
		size_t at = below(s, len);

		switch (below(s, 7)) {
		case 0:
			len = at;	/* a partial line */
			break;
		case 1:
			buf[at] = (char)rnd(s);
			break;
		case 2:
			buf[at] = '\0';
			break;
		case 3:
			buf[at] = "= \t\n,|#"[below(s, 7)];
			break;
		case 4:
			if (len * 2 < cap) {
				memcpy(buf + len, buf, len);	/* twice */
				len *= 2;
			}
			break;
		case 5:
			if (buf[at] == '=')
				buf[at] = ' ';	/* a missing '=' */
			break;
		default:
			if (len + 1 < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = ' ';
				len++;
			}
			break;
		}
	}
	return len;
}

static size_t fz_control_line(uint64_t *s, char *buf, size_t cap)
{
	char a[64], b[64];
	size_t len;

	switch (below(s, 10)) {
	case 0:
	case 1:
		fz_num(s, a, sizeof(a), 11);
		fz_num(s, b, sizeof(b), 8);
		len = snprintf(buf, cap, "alloc order=%s gfp=%s%s%s count=%s%s%s\n",
			       a, FZ_PICK(s, fz_gfp_words),
			       chance(s, 30) ? "|" : "",
			       chance(s, 30) ? FZ_PICK(s, fz_gfp_words) : "", b,
			       chance(s, 20) ? " flags=cache" : "",
			       chance(s, 20) ? " nid=1" : "");
		break;
	case 2:
		fz_num(s, a, sizeof(a), 40);
		len = snprintf(buf, cap, "free handle=%s\n", a);
		break;
	case 3:
		len = snprintf(buf, cap, "free all\n");
		break;
	case 4:
		len = snprintf(buf, cap, "%s\n", chance(s, 50) ? "drain" : "drop_caches");
		break;
	case 5:
		fz_num(s, a, sizeof(a), 2);
		len = snprintf(buf, cap, "compact node=%s zone=%s\n", a,
			       chance(s, 50) ? "Normal" : "Bogus");
		break;
	case 6:
		fz_num(s, a, sizeof(a), 100000);
		len = snprintf(buf, cap, "reclaim pages=%s\n", a);
		break;
	case 7:
		fz_num(s, a, sizeof(a), 1000);
		len = snprintf(buf, cap, "set %s=%s\n",
			       chance(s, 80) ? FZ_PICK(s, fz_tunables) : "bogus", a);
		break;
	case 8:		/* garbage */
		len = below(s, 200);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)rnd(s);
		return len;
	default:	/* overlong */
		len = cap - 1;
		memset(buf, 'a', len);
		memcpy(buf, "alloc order=0 gfp=GFP_KERNEL ", 29);
		return len;
	}
	if (len >= cap)
		len = cap - 1;
	if (chance(s, 50))
		len = fz_mutate(s, buf, len, cap);
	return len;
}

static size_t fz_top_create(uint64_t *s, char *buf, size_t cap, unsigned int id)
{
	static const char *const keys[] = {
		"size_mb", "nodes", "dma_mb", "dma32_mb", "movable_mb",
		"min_free_kbytes", "watermark_scale_factor", "backing", "pcp",
		"daemons", "distance", "lowmem_reserve_ratio", "colour", "name",
		"reproducible", "percpu_pagelist_high_fraction",
	};
	char name[64], v[64];
	size_t len;
	unsigned int i, n = below(s, 5);

	switch (below(s, 6)) {
	case 0:
		memset(name, 'z', 40);	/* overlong */
		name[16 + below(s, 24)] = '\0';
		break;
	case 1:
		snprintf(name, sizeof(name), "%s", chance(s, 50) ? "Fz!" : "default");
		break;
	default:
		snprintf(name, sizeof(name), "fz%u", id);
		break;
	}
	len = snprintf(buf, cap, "create %s size_mb=%s dma_mb=0 dma32_mb=0", name,
		       chance(s, 70) ? (chance(s, 50) ? "4" : "8") : FZ_PICK(s, fz_numbers));
	for (i = 0; i < n && len < cap - 100; i++) {
		fz_num(s, v, sizeof(v), 20);
		len += snprintf(buf + len, cap - len, " %s%s%s",
				FZ_PICK(s, keys), chance(s, 90) ? "=" : "", v);
	}
	len += snprintf(buf + len, cap - len, "%s", chance(s, 50) ? "\n" : "");
	if (chance(s, 30))
		len = fz_mutate(s, buf, len, cap);
	return len;
}

struct fz_dbg {
	uint64_t seed;
	char dir[256];
	char path[512];
	char buf[8192];
	char before[8192];
	char after[8192];
	char boxes[8192];	/* the sandboxes at the start */
	int saved[FZ_NR_TUNABLES];
	char saved_ratio[256];
	unsigned int created;
};

static const char *fz_dpath(struct fz_dbg *d, const char *file)
{
	snprintf(d->path, sizeof(d->path), "%s/%s", d->dir, file);
	return d->path;
}

/* a buffer of the write: mostly d->buf, sometimes one that faults */
static const void *fz_wbuf(struct fz_dbg *d, struct fz_mem *m, size_t len,
			   bool *fault)
{
	*fault = false;
	if (len < 2 || !chance(&d->seed, 4))
		return d->buf;
	*fault = true;
	switch (below(&d->seed, 3)) {
	case 0:
		return NULL;
	case 1:
		return m->hole - 1;	/* one byte, then the hole */
	default:
		return m->hole;
	}
}

/* a bad buffer: EFAULT, unless the file refuses the length first */
static int fz_fault_errno(size_t len, size_t max)
{
	return len > max ? EINVAL : EFAULT;
}

static off_t fz_off(struct fz_dbg *d)
{
	return chance(&d->seed, 85) ? -1 : (off_t)below(&d->seed, 1 << 20);
}

/* a strict kstrtoint(s, 10): what a tunable write must have set */
static bool fz_parse_int(const char *s, size_t len, int *out)
{
	char tmp[128];
	char *end;
	long long v;

	/* the module takes 64 bytes at most, and no NUL */
	if (len > 64 || memchr(s, '\0', len))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (len && tmp[len - 1] == '\n')
		tmp[--len] = '\0';
	if (!len || !(tmp[0] == '-' || tmp[0] == '+' || (tmp[0] >= '0' && tmp[0] <= '9')))
		return false;
	if ((tmp[0] == '-' || tmp[0] == '+') && !(tmp[1] >= '0' && tmp[1] <= '9'))
		return false;
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return false;
	*out = v;
	return true;
}

static void dbg_tunable(struct fz_dbg *d, struct fz_mem *m)
{
	const char *name = FZ_PICK(&d->seed, fz_tunables);
	char num[64];
	size_t len;
	bool fault;
	const void *b;
	off_t off;
	int e, v, before, after, want;

	if (chance(&d->seed, 50)) {
		fz_num(&d->seed, num, sizeof(num), 1000);
		len = snprintf(d->buf, sizeof(d->buf), "%s%s", num,
			       chance(&d->seed, 50) ? "\n" : "");
	} else {
		len = below(&d->seed, 24);
		for (size_t i = 0; i < len; i++)
			d->buf[i] = "0123456789-+ \n\tx\0a"[below(&d->seed, 18)];
		if (chance(&d->seed, 10)) {	/* leading zeros past 64 bytes */
			memset(d->buf, '0', 100);
			d->buf[99] = '7';
			len = 100;
		}
	}
	before = atoi(fz_read(fz_dpath(d, name), d->before, 64));
	b = fz_wbuf(d, m, len, &fault);
	off = fz_off(d);
	e = fz_write(fz_dpath(d, name), b, len, off, NULL);
	after = atoi(fz_read(fz_dpath(d, name), d->after, 64));
	/* a seq_file: no pwrite() (a write at an offset) */
	if (off >= 0) {
		if (e != ESPIPE || after != before)
			violation("%s: pwrite at %lld: %s, %d -> %d", name,
				  (long long)off, ename(e), before, after);
		return;
	}
	if (!len) {
		if (e || after != before)
			violation("%s: a 0-byte write: %s, %d -> %d", name, ename(e),
				  before, after);
		return;
	}
	if (fault) {
		if (e != fz_fault_errno(len, 64) || after != before)
			violation("%s: a write from a bad buffer: %s, %d -> %d",
				  name, ename(e), before, after);
		return;
	}
	want = fz_parse_int(d->buf, len, &v) ? 0 : EINVAL;
	if (e == 0 && want == 0 && after == v)
		return;
	if (e == EINVAL && after == before)
		return;
	violation("%s: write '%s' (%zu bytes): %s, %d -> %d", name,
		  fz_esc(d->buf, len), len, ename(e), before, after);
}

static void dbg_ratio(struct fz_dbg *d, struct fz_mem *m)
{
	char a[64];
	size_t len = 0;
	unsigned int i, n = below(&d->seed, 6);
	bool fault;
	const void *b;
	off_t off;
	int e;

	for (i = 0; i < n; i++) {
		fz_num(&d->seed, a, sizeof(a), 300);
		len += snprintf(d->buf + len, sizeof(d->buf) - len, "%s%s", i ? " " : "", a);
	}
	if (chance(&d->seed, 10)) {
		memset(d->buf + len, ' ', 300);
		len += 300;
	}
	if (chance(&d->seed, 30))
		len = fz_mutate(&d->seed, d->buf, len, sizeof(d->buf));
	fz_read(fz_dpath(d, "lowmem_reserve_ratio"), d->before, sizeof(d->before));
	b = fz_wbuf(d, m, len, &fault);
	off = fz_off(d);
	e = fz_write(fz_dpath(d, "lowmem_reserve_ratio"), b, len, off, NULL);
	fz_read(fz_dpath(d, "lowmem_reserve_ratio"), d->after, sizeof(d->after));
	if (off >= 0 || !len || fault || e) {
		if (off >= 0 ? e != ESPIPE :
		    (!len && e) || (fault && e != fz_fault_errno(len, 256)) || (len && !fault && e != EINVAL) ||
		    strcmp(d->before, d->after))
			violation("lowmem_reserve_ratio: %s of '%s' (%zu bytes): %s, '%s' -> '%s'",
				  fault ? "a bad buffer" : "a write",
				  fz_esc(d->buf, len), len, ename(e),
				  d->before, d->after);
	}
}

static void dbg_control(struct fz_dbg *d, struct fz_mem *m)
{
	size_t len = chance(&d->seed, 5) ? 0 :
		     fz_control_line(&d->seed, d->buf, chance(&d->seed, 10) ? 4200 : 512);
	bool fault;
	const void *b = fz_wbuf(d, m, len, &fault);
	int e = fz_write(fz_dpath(d, "control"), b, len, fz_off(d), NULL);

	if ((!len && e) || (fault && e != fz_fault_errno(len, 4096)) ||
	    !one_of(e, 0, EINVAL, ENOMEM, ENOENT, EFAULT, -1))
		violation("control: %s '%s' (%zu bytes): %s",
			  fault ? "a bad buffer" : "write", fz_esc(d->buf, len),
			  len, ename(e));
}

/* bench: only lines it must refuse (a run would take long), or none */
static void dbg_bench(struct fz_dbg *d, struct fz_mem *m)
{
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
#define FZ_LINE(x) { x, sizeof(x) - 1 }
		FZ_LINE("order=11"), FZ_LINE("iters=0"), FZ_LINE("cpus=0"),
		FZ_LINE("kind=bogus"), FZ_LINE("batch=0"), FZ_LINE("order"),
		FZ_LINE("colour=blue"), FZ_LINE("iters=99999999999999999999"),
		FZ_LINE("order=-1\n"), FZ_LINE("kind=bulk_buddybox order=3"),
		/* a NUL: what follows it must not be ignored */
		FZ_LINE("\0iters=1"), FZ_LINE("iters=1\0order=99"),
		FZ_LINE("iters=1 \0"), FZ_LINE("\n\0"),
#undef FZ_LINE
	};
	unsigned int k = below(&d->seed, sizeof(bad) / sizeof(bad[0]));
	size_t len = chance(&d->seed, 25) ? 0 : bad[k].len;
	bool fault, want_ok = true;
	const void *b;
	off_t off;
	int e;

	memcpy(d->buf, bad[k].s, bad[k].len);
	fz_read(fz_dpath(d, "bench"), d->before, sizeof(d->before));
	b = fz_wbuf(d, m, len, &fault);
	off = fz_off(d);
	e = fz_write(fz_dpath(d, "bench"), b, len, off, NULL);
	fz_read(fz_dpath(d, "bench"), d->after, sizeof(d->after));
	if (off >= 0 ? e != ESPIPE :
	    (len && e != (fault ? fz_fault_errno(len, 256) : EINVAL)) || (!len && e))
		want_ok = false;
	if (!want_ok || strcmp(d->before, d->after))
		violation("bench: %s of %zu bytes ('%s'): %s%s",
			  fault ? "a bad buffer" : "a write", len,
			  fz_esc(bad[k].s, bad[k].len), ename(e),
			  strcmp(d->before, d->after) ? ", and it ran" : "");
}

static void dbg_top(struct fz_dbg *d, struct fz_mem *m)
{
	char path[256];
	size_t len;
	bool fault;
	const void *b;
	int e;
	unsigned int what = below(&d->seed, 10);

	snprintf(path, sizeof(path), "%s/control", opt.root);
	if (what < 5 && d->created < 3) {
		len = fz_top_create(&d->seed, d->buf, sizeof(d->buf), below(&d->seed, 4));
	} else if (what < 8) {
		len = snprintf(d->buf, sizeof(d->buf), "destroy %s%u%s",
			       chance(&d->seed, 80) ? "fz" : "nosuch", (unsigned int)below(&d->seed, 4),
			       chance(&d->seed, 20) ? " extra" : "\n");
	} else if (what < 9) {
		len = fz_control_line(&d->seed, d->buf, chance(&d->seed, 10) ? 4200 : 256);
	} else {
		len = 0;
	}
	fz_read(fz_dpath(d, "../sandboxes"), d->before, sizeof(d->before));
	b = fz_wbuf(d, m, len, &fault);
	e = fz_write(path, b, len, fz_off(d), NULL);
	fz_read(fz_dpath(d, "../sandboxes"), d->after, sizeof(d->after));
	if ((!len && e) || (fault && e != fz_fault_errno(len, 4096)) ||
	    !one_of(e, 0, EINVAL, EEXIST, ENOMEM, ENOENT, EBUSY, EFAULT, -1))
		violation("control: %s '%s' (%zu bytes): %s",
			  fault ? "a bad buffer" : "write", fz_esc(d->buf, len),
			  len, ename(e));
	/* one line refused whole: nothing made, nothing destroyed */
	if (e && !memchr(d->buf, '\n', len ? len - 1 : 0) && strcmp(d->before, d->after))
		violation("control: '%s' refused (%s), but the sandboxes changed:\n%s---\n%s",
			  fz_esc(d->buf, len), ename(e), d->before, d->after);
	d->created = 0;
	for (const char *p = d->after; *p; p++)
		d->created += *p == '\n';
	for (const char *p = d->boxes + 1; *p; p++)
		d->created -= *p == '\n';
}

/*
 * A sandbox destroyed under open files of its folder: the destroy is not
 * held up, and the files then refuse (EIO), reads and writes alike.
 */
static void dbg_gone(void)
{
	static const char *const files[] = {
		"control", "min_free_kbytes", "lowmem_reserve_ratio", "bench",
		"buddyinfo", "check",
	};
	int fds[sizeof(files) / sizeof(files[0])];
	char path[512], c;
	unsigned int i;
	int e;

	e = fz_top_line("create fzgone size_mb=4 dma_mb=0 dma32_mb=0\n");
	if (e) {
		if (e != ENOMEM)
			violation("create fzgone: %s", ename(e));
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/fzgone/%s", opt.root, files[i]);
		fds[i] = open(path, i < 4 ? O_RDWR : O_RDONLY);
		if (fds[i] < 0 && !(i < 4 && errno == EINVAL))
			violation("open %s: %s", path, ename(errno));
	}
	e = fz_top_line("destroy fzgone\n");
	if (e)
		violation("destroy fzgone with its files open: %s", ename(e));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ssize_t n;

		if (fds[i] < 0)
			continue;
		n = i < 4 ? write(fds[i], "1\n", 2) : read(fds[i], &c, 1);
		e = n < 0 ? errno : 0;
		record(e);
		if (e != EIO)
			violation("%s of fzgone/%s after the destroy: %s, not EIO",
				  i < 4 ? "a write" : "a read", files[i], ename(e));
		close(fds[i]);
	}
}

static int fz_debugfs_mode(void)
{
	struct fz_dbg *d = calloc(1, sizeof(*d));
	struct fz_mem m;
	unsigned long n;
	unsigned int i;
	char line[300], *p, *end;

	fz_mem_init(&m);
	d->seed = opt.seed;
	snprintf(d->dir, sizeof(d->dir), "%s/%s", opt.root, opt.sandbox);
	for (i = 0; i < FZ_NR_TUNABLES; i++)
		d->saved[i] = atoi(fz_read(fz_dpath(d, fz_tunables[i]), d->buf, 64));
	fz_read(fz_dpath(d, "lowmem_reserve_ratio"), d->saved_ratio,
		sizeof(d->saved_ratio));
	/* "\nNAME ..." for each: strstr() finds "\nNAME " */
	d->boxes[0] = '\n';
	fz_read(fz_dpath(d, "../sandboxes"), d->boxes + 1, sizeof(d->boxes) - 1);
	for (n = 0; n < opt.calls; n++) {
		unsigned int op = below(&d->seed, 100);

		if (op < 40)
			dbg_control(d, &m);
		else if (op < 62)
			dbg_tunable(d, &m);
		else if (op < 70)
			dbg_ratio(d, &m);
		else if (op < 75)
			dbg_bench(d, &m);
		else if (op < 76)
			dbg_gone();
		else
			dbg_top(d, &m);
	}
	/* as it was: the tunables, control's allocations, the sandboxes */
	for (i = 0; i < FZ_NR_TUNABLES; i++) {
		int len = snprintf(line, sizeof(line), "%d\n", d->saved[i]);

		if (fz_write(fz_dpath(d, fz_tunables[i]), line, len, -1, NULL))
			violation("%s: cannot write back %d", fz_tunables[i], d->saved[i]);
	}
	if (fz_write(fz_dpath(d, "lowmem_reserve_ratio"), d->saved_ratio,
		     strlen(d->saved_ratio), -1, NULL))
		violation("lowmem_reserve_ratio: cannot write back '%s'", d->saved_ratio);
	if (fz_write(fz_dpath(d, "control"), "free all\n", 9, -1, NULL))
		violation("control: free all refused");
	fz_read(fz_dpath(d, "../sandboxes"), d->after, sizeof(d->after));
	for (p = d->after; p && *p; p = end ? end + 1 : NULL) {
		int len = strcspn(p, " \n");
		char name[64];

		end = strchr(p, '\n');
		snprintf(name, sizeof(name), "\n%.*s ", len, p);
		if (!strstr(d->boxes, name)) {
			snprintf(line, sizeof(line), "destroy %.*s\n", len, p);
			if (fz_top_line(line))
				violation("cannot %s", line);
		}
	}
	free(d);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bbioctlfuzz [--calls N] [--seed N] [--threads T] [--fds F]\n"
		"                   [--device PATH] [--churn NAME] [--root DIR] [-v]\n"
		"       bbioctlfuzz --debugfs [--calls N] [--seed N] [--root DIR] [--sandbox NAME]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double t0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--debugfs")) {
			opt.debugfs = true;
			continue;
		}
		if (!strcmp(a, "-v")) {
			opt.verbose = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--calls"))
			opt.calls = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--seed"))
			opt.seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--threads"))
			opt.threads = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--fds"))
			opt.fds = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--device"))
			opt.device = v;
		else if (!strcmp(a, "--root"))
			opt.root = v;
		else if (!strcmp(a, "--churn"))
			opt.churn = v;
		else if (!strcmp(a, "--sandbox"))
			opt.sandbox = v;
		else
			usage();
	}
	if (!opt.threads || opt.threads > FZ_MAX_THREADS || !opt.fds ||
	    opt.fds > FZ_MAX_FDS || !opt.calls)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	t0 = now();
	ret = opt.debugfs ? fz_debugfs_mode() : fz_ioctl_mode();
	if (ret)
		return ret;
	fz_summary(now() - t0);
	if (atomic_load(&nr_violations)) {
		printf("bbioctlfuzz: %u contract violations\n", atomic_load(&nr_violations));
		printf("bbioctlfuzz: FAIL\n");
		return 1;
	}
	printf("bbioctlfuzz: ok\n");
	return 0;
}
