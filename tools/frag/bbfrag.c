// SPDX-License-Identifier: GPL-2.0
/*
 * bbfrag: fragment the buddybox sandbox with movable pages, then ask for
 * order-9 blocks that only compaction can make (issue 4).
 *
 *   bbfrag [--seed N] [--gfp GFP] [--fill-gfp GFP] [--explain-first]
 *          [--memcpy] [--tries N] [--fill-pages N] [--max-blocks N]
 *          [--inject-corruption] [--json] [--device PATH] [--debugfs DIR]
 *
 * 1. fill: order-0 movable pages until the sandbox refuses one
 *    (BB_IOC_ALLOC_BULK, 4096 a call, or BB_IOC_ALLOC where the module has
 *    no bulk ioctl), each written with its own 4 KiB pattern derived from
 *    its handle and the seed;
 * 2. free a random half of them (seeded), and drain the per-CPU lists
 *    (debugfs control "drain") so that buddyinfo sees every free page;
 * 3. the order-9 phase: order-9 allocations (GFP_HIGHUSER_MOVABLE, or
 *    --gfp) until one fails (--tries N: N failures in a row), each block
 *    written with its pattern;
 * 4. verify every byte of every order-0 page still held and of every
 *    order-9 block (BB_IOC_READ), and look the order-0 pages up
 *    (BB_IOC_LOOKUP): how many compaction moved.
 *
 * It prints the order-9 blocks obtained against the theoretical maximum
 * (the free pages when the phase starts, summed from buddyinfo as
 * count << order after a drain, divided by 512; vmstat's nr_free_pages is
 * printed beside it), the pages migrated (pgmigrate_success of vmstat,
 * before and after the phase), the compaction counters, the phase's wall
 * time and the time in direct compaction (vmstat compact_stall_ns, when
 * the module has it), then "bbfrag: ok", or "bbfrag: FAIL" after any byte
 * mismatch or unexpected errno (exit status 1).
 *
 * The fill uses GFP_HIGHUSER_MOVABLE|__GFP_NORETRY|__GFP_NOWARN: without
 * __GFP_NORETRY the last order-0 allocation would end in the OOM killer,
 * which would choose bbfrag itself, the only holder.
 *
 * --explain-first prints the path (BB_ALLOC_F_EXPLAIN) of the first
 * order-9 allocation whose path mentions "compaction", and of the one that
 * failed.  --memcpy times a plain memcpy, in user space, of as many bytes
 * as were migrated, 4 KiB at a time, and prints the ratio of the time in
 * compaction to it.  --json adds one line "bbfrag-json: {...}" with the
 * figures.  --inject-corruption overwrites a byte of one order-0 page
 * behind the pattern's back: the run must FAIL (a test of the test).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buddybox.h"

#ifndef BB_IOC_LOOKUP
#error "buddybox.h is not the uapi header of issue 4: build with -Imodule/uapi"
#endif

#define BB_PAGE			4096UL
#define BB_ORDER		9
#define BB_BLOCK		(BB_PAGE << BB_ORDER)
#define BB_BLOCK_PAGES		512UL	/* 1 << BB_ORDER */
#define BB_PATH_BUF		65536
#define BB_DEFAULT_DEVICE	"/dev/buddybox"
#define BB_DEFAULT_DEBUGFS	"/sys/kernel/debug/buddybox/default"
#define BB_MAX_MISMATCHES	5	/* printed; all are counted */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

struct bb_gfp_name {
	const char *name;
	unsigned int gfp;
};

static const struct bb_gfp_name bb_gfp_names[] = BB_GFP_NAMES_INIT;

struct bb_opts {
	const char *device;
	const char *debugfs;
	unsigned long long seed;
	unsigned int gfp;		/* of the order-9 allocations */
	const char *gfp_text;
	unsigned int fill_gfp;
	const char *fill_gfp_text;
	unsigned int tries;		/* failures in a row that end the phase */
	unsigned long long fill_pages;	/* 0: until the sandbox refuses */
	unsigned long long max_blocks;	/* 0: no limit */
	int explain_first;
	int memcpy;
	int inject;
	int json;
};

/* one allocation of ours */
struct bb_item {
	uint64_t handle;
	int live;
};

struct bb_list {
	struct bb_item *v;
	size_t nr, cap;
};

/* a snapshot of the vmstat counters the run reports */
static const char *const bb_vm_names[] = {
	"pgmigrate_success", "pgmigrate_fail", "compact_stall", "compact_fail",
	"compact_success", "compact_stall_ns", "compact_migrate_scanned",
	"compact_free_scanned", "compact_isolated", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned",
	"kswapd_wake", "nr_free_pages", "region_pages",
};

enum {
	VM_MIGRATE_OK, VM_MIGRATE_FAIL, VM_STALL, VM_CFAIL, VM_CSUCCESS, VM_STALL_NS,
	VM_MSCANNED, VM_FSCANNED, VM_ISOLATED, VM_KCD_WAKE, VM_KCD_MSCANNED,
	VM_KCD_FSCANNED, VM_KSWAPD_WAKE, VM_NR_FREE, VM_REGION, VM_NR
};

struct bb_vmstat {
	long long v[VM_NR];	/* -1: not in this module's vmstat */
};

static int bb_failed;
static int bb_fd = -1;
static const struct bb_opts *bb_o;

static void bb_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	printf("bbfrag: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	bb_failed = 1;
}

static void bb_die(const char *fmt, ...)
{
	va_list ap;

	printf("bbfrag: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nbbfrag: FAIL\n");
	exit(1);
}

static double bb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64: the PRNG of the shuffle, and the patterns' mixer */
static uint64_t bb_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t bb_rng_state;

static uint64_t bb_rand(void)
{
	bb_rng_state += 0x9e3779b97f4a7c15ULL;
	return bb_mix64(bb_rng_state);
}

/*
 * The pattern of an allocation: buddyctl's seeded stream (the byte at an
 * offset depends only on seed, handle and offset), so that
 * `buddyctl read H --verify-seed S` would agree.
 */
static void bb_fill(unsigned char *buf, size_t len, uint64_t seed, uint64_t handle)
{
	uint64_t key = bb_mix64(seed ^ bb_mix64(handle));
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t word = bb_mix64(key + (i >> 3));

		memcpy(buf + i, &word, 8);	/* little-endian, as buddyctl's */
	}
}

static void bb_list_add(struct bb_list *l, uint64_t handle)
{
	if (l->nr == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		struct bb_item *n = realloc(l->v, cap * sizeof(*n));

		if (!n)
			bb_die("out of memory (%zu handles)", cap);
		l->v = n;
		l->cap = cap;
	}
	l->v[l->nr].handle = handle;
	l->v[l->nr].live = 1;
	l->nr++;
}

static int bb_ioctl(unsigned long cmd, void *arg)
{
	return ioctl(bb_fd, cmd, arg) < 0 ? -errno : 0;
}

static int bb_rw(uint64_t handle, void *buf, size_t len, int write)
{
	struct bb_rw_req req;

	memset(&req, 0, sizeof(req));
	req.handle = handle;
	req.length = len;
	req.buf = (uintptr_t)buf;
	return bb_ioctl(write ? BB_IOC_WRITE : BB_IOC_READ, &req);
}

static int bb_parse_gfp(const char *str, unsigned int *gfp)
{
	unsigned int val = 0;

	if (!*str)
		return -1;
	while (*str) {
		size_t len = strcspn(str, "|");
		char word[64], *end;
		unsigned int i;

		if (!len || len >= sizeof(word))
			return -1;
		memcpy(word, str, len);
		word[len] = '\0';
		for (i = 0; i < ARRAY_SIZE(bb_gfp_names); i++)
			if (!strcmp(word, bb_gfp_names[i].name))
				break;
		if (i < ARRAY_SIZE(bb_gfp_names)) {
			val |= bb_gfp_names[i].gfp;
		} else {
			unsigned long v;

			errno = 0;
			v = strtoul(word, &end, 0);
			if (errno || *end || word[0] == '-' || v > UINT32_MAX)
				return -1;
			val |= v;
		}
		str += len;
		if (*str == '|' && !*++str)
			return -1;
	}
	*gfp = val;
	return 0;
}

/* --- debugfs ---------------------------------------------------------- */

static FILE *bb_dbg_open(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", bb_o->debugfs, name);
	return fopen(path, "r");
}

static int bb_drain(void)
{
	char path[512];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/control", bb_o->debugfs);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, "drain\n", 6) == 6;
	close(fd);
	return ok ? 0 : -EINVAL;
}

static void bb_read_vmstat(struct bb_vmstat *vm)
{
	char name[128];
	long long val;
	unsigned int i;
	FILE *f;

	for (i = 0; i < VM_NR; i++)
		vm->v[i] = -1;
	f = bb_dbg_open("vmstat");
	if (!f)
		return;
	while (fscanf(f, "%127s %lld", name, &val) == 2)
		for (i = 0; i < VM_NR; i++)
			if (!strcmp(name, bb_vm_names[i]))
				vm->v[i] = val;
	fclose(f);
}

/* delta of a counter, -1 when the module does not have it */
static long long bb_delta(const struct bb_vmstat *a, const struct bb_vmstat *b, int i)
{
	if (a->v[i] < 0 || b->v[i] < 0)
		return -1;
	return b->v[i] - a->v[i];
}

/* buddyinfo: free pages (count << order) and free blocks of order >= 9 */
static int bb_buddyinfo(long long *free_pages, long long *big_blocks)
{
	char line[512];
	FILE *f = bb_dbg_open("buddyinfo");

	*free_pages = 0;
	*big_blocks = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "zone");
		unsigned int order;

		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		p += strcspn(p, " ");	/* the zone's name */
		for (order = 0; order < BB_MAX_ORDER; order++) {
			long long n = strtoll(p, &p, 10);

			*free_pages += n << order;
			if (order >= BB_ORDER)
				*big_blocks += n << (order - BB_ORDER);
		}
	}
	fclose(f);
	return 0;
}

/*
 * zoneinfo: the order-9 blocks that fit above each zone's min watermark,
 * sum over the zones of (free - min) / 512.  -1 without zoneinfo.
 */
static long long bb_blocks_above_min(void)
{
	long long sum = 0, free = -1, min = -1;
	char line[512], word[64];
	long long val;
	FILE *f = bb_dbg_open("zoneinfo");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5)) {
			if (free > min && min >= 0)
				sum += (free - min) / BB_BLOCK_PAGES;
			free = -1;
			min = -1;
			continue;
		}
		if (sscanf(line, " pages free %lld", &val) == 1)
			free = val;
		else if (sscanf(line, " %63s %lld", word, &val) == 2 && !strcmp(word, "min") &&
			 min < 0)
			min = val;
	}
	if (free > min && min >= 0)
		sum += (free - min) / BB_BLOCK_PAGES;
	fclose(f);
	return sum;
}

/* --- the phases -------------------------------------------------------- */

/* order-0 movable pages until the sandbox refuses one */
static void bb_fill_phase(struct bb_list *small, int *have_bulk)
{
	uint64_t *handles = malloc(BB_BULK_MAX * sizeof(*handles));
	unsigned int chunk = BB_BULK_MAX;
	int err;

	if (!handles)
		bb_die("out of memory");
	for (;;) {
		struct bb_bulk_req req;
		unsigned int i;

		if (bb_o->fill_pages && small->nr >= bb_o->fill_pages)
			break;
		if (bb_o->fill_pages && chunk > bb_o->fill_pages - small->nr)
			chunk = bb_o->fill_pages - small->nr;
		if (*have_bulk) {
			memset(&req, 0, sizeof(req));
			req.handles = (uintptr_t)handles;
			req.nr = chunk;
			req.gfp = bb_o->fill_gfp;
			req.nid = -1;
			err = bb_ioctl(BB_IOC_ALLOC_BULK, &req);
			if (err == -ENOTTY && !small->nr) {
				printf("bbfrag: no BB_IOC_ALLOC_BULK: one BB_IOC_ALLOC a page\n");
				*have_bulk = 0;
				continue;
			}
			if (err == -ENOMEM)
				break;
			if (err)
				bb_die("fill: BB_IOC_ALLOC_BULK: %s", strerror(-err));
			for (i = 0; i < req.nr_done; i++)
				bb_list_add(small, handles[i]);
			/* it stopped short: near the watermarks, ask for less */
			if (req.nr_done < req.nr && chunk > 1)
				chunk /= 2;
		} else {
			struct bb_alloc_req a;

			memset(&a, 0, sizeof(a));
			a.gfp = bb_o->fill_gfp;
			a.nid = -1;
			err = bb_ioctl(BB_IOC_ALLOC, &a);
			if (err == -ENOMEM)
				break;
			if (err)
				bb_die("fill: BB_IOC_ALLOC: %s", strerror(-err));
			bb_list_add(small, a.handle);
		}
	}
	free(handles);
}

static void bb_write_small(struct bb_list *small)
{
	unsigned char buf[BB_PAGE];
	size_t i;
	int err;

	for (i = 0; i < small->nr; i++) {
		bb_fill(buf, sizeof(buf), bb_o->seed, small->v[i].handle);
		err = bb_rw(small->v[i].handle, buf, sizeof(buf), 1);
		if (err)
			bb_die("write of handle %llu: %s", (unsigned long long)small->v[i].handle,
			       strerror(-err));
	}
}

/* a random half (seeded), through BB_IOC_FREE_BULK where there is one */
static size_t bb_free_half(struct bb_list *small, int have_bulk)
{
	size_t n = small->nr, half = n / 2, i, done = 0;
	uint64_t *handles;
	size_t *idx;
	int err;

	idx = malloc((n ? n : 1) * sizeof(*idx));
	handles = malloc(BB_BULK_MAX * sizeof(*handles));
	if (!idx || !handles)
		bb_die("out of memory");
	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = n; i > 1; i--) {
		size_t j = bb_rand() % i, t = idx[i - 1];

		idx[i - 1] = idx[j];
		idx[j] = t;
	}
	while (done < half) {
		unsigned int nr = half - done < BB_BULK_MAX ? half - done : BB_BULK_MAX, k;

		for (k = 0; k < nr; k++)
			handles[k] = small->v[idx[done + k]].handle;
		if (have_bulk) {
			struct bb_bulk_req req;

			memset(&req, 0, sizeof(req));
			req.handles = (uintptr_t)handles;
			req.nr = nr;
			err = bb_ioctl(BB_IOC_FREE_BULK, &req);
		} else {
			err = 0;
			for (k = 0; k < nr && !err; k++) {
				struct bb_free_req f = { .handle = handles[k] };

				err = bb_ioctl(BB_IOC_FREE, &f);
			}
		}
		if (err)
			bb_die("free: %s", strerror(-err));
		for (k = 0; k < nr; k++)
			small->v[idx[done + k]].live = 0;
		done += nr;
	}
	free(handles);
	free(idx);
	return done;
}

struct bb_phase {
	unsigned long long blocks;
	unsigned long long failures;
	double wall;		/* the whole phase */
	double in_alloc;	/* in the BB_IOC_ALLOC calls */
	int stop_err;
	int explained;		/* the index of the block explained, or 0 */
};

static void bb_print_path(const char *what, const char *path)
{
	const char *p = path, *nl;

	printf("bbfrag: --- explain: %s ---\n", what);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl) {
			printf("%s\n", p);
			break;
		}
		printf("%.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	printf("bbfrag: --- end ---\n");
}

/* order-9 blocks until one fails (tries in a row) */
static void bb_order9_phase(struct bb_list *big, struct bb_phase *ph)
{
	unsigned char *buf = malloc(BB_BLOCK);
	char *path = NULL;
	unsigned int in_a_row = 0;
	double start = bb_now();

	if (!buf)
		bb_die("out of memory");
	if (bb_o->explain_first) {
		path = malloc(BB_PATH_BUF);
		if (!path)
			bb_die("out of memory");
	}
	for (;;) {
		struct bb_alloc_req req;
		double t0;
		int err;

		if (bb_o->max_blocks && ph->blocks >= bb_o->max_blocks)
			break;
		memset(&req, 0, sizeof(req));
		req.order = BB_ORDER;
		req.gfp = bb_o->gfp;
		req.nid = -1;
		if (path) {
			path[0] = '\0';
			req.flags = BB_ALLOC_F_EXPLAIN;
			req.path = (uintptr_t)path;
			req.path_len = BB_PATH_BUF;
		}
		t0 = bb_now();
		err = bb_ioctl(BB_IOC_ALLOC, &req);
		ph->in_alloc += bb_now() - t0;
		if (path)
			path[req.path_len < BB_PATH_BUF ? req.path_len : BB_PATH_BUF - 1] = '\0';
		if (err) {
			ph->stop_err = err;
			if (err != -ENOMEM) {
				bb_fail("order-9 allocation: %s (errno %d)", strerror(-err), -err);
				break;
			}
			ph->failures++;
			if (path) {
				char what[96];

				snprintf(what, sizeof(what), "order-9 allocation %llu (failed)",
					 ph->blocks + ph->failures);
				bb_print_path(what, path);
			}
			if (++in_a_row >= bb_o->tries)
				break;
			continue;
		}
		in_a_row = 0;
		ph->blocks++;
		bb_list_add(big, req.handle);
		if (path && !ph->explained && strstr(path, "compaction")) {
			char what[96];

			ph->explained = ph->blocks;
			snprintf(what, sizeof(what),
				 "order-9 allocation %llu, the first that needed compaction",
				 ph->blocks);
			bb_print_path(what, path);
		}
		bb_fill(buf, BB_BLOCK, bb_o->seed, req.handle);
		err = bb_rw(req.handle, buf, BB_BLOCK, 1);
		if (err) {
			bb_fail("write of order-9 handle %llu: %s", (unsigned long long)req.handle,
				strerror(-err));
			break;
		}
	}
	ph->wall = bb_now() - start;
	free(path);
	free(buf);
}

/* every byte of every live allocation of @l, @len bytes each */
static unsigned long long bb_verify(const struct bb_list *l, size_t len, const char *what,
				    unsigned long long *mismatches)
{
	unsigned char *want = malloc(len), *got = malloc(len);
	unsigned long long checked = 0;
	size_t i, off;
	int err;

	if (!want || !got)
		bb_die("out of memory");
	for (i = 0; i < l->nr; i++) {
		if (!l->v[i].live)
			continue;
		bb_fill(want, len, bb_o->seed, l->v[i].handle);
		memset(got, 0, len);
		err = bb_rw(l->v[i].handle, got, len, 0);
		if (err) {
			bb_fail("read of %s handle %llu: %s (errno %d)", what,
				(unsigned long long)l->v[i].handle, strerror(-err), -err);
			continue;
		}
		checked++;
		if (!memcmp(want, got, len))
			continue;
		for (off = 0; off < len && want[off] == got[off]; off++)
			;
		if (++*mismatches <= BB_MAX_MISMATCHES)
			bb_fail("MISMATCH: %s handle %llu offset %zu: expected 0x%02x, read 0x%02x",
				what, (unsigned long long)l->v[i].handle, off, want[off], got[off]);
		else
			bb_failed = 1;
	}
	free(want);
	free(got);
	return checked;
}

/* LOOKUP of every live order-0 page: how many were moved, how often */
static int bb_lookup_moved(const struct bb_list *l, unsigned long long *moved,
			   unsigned long long *migrations, unsigned int *max_migrations)
{
	size_t i;
	int err;

	*moved = 0;
	*migrations = 0;
	*max_migrations = 0;
	for (i = 0; i < l->nr; i++) {
		struct bb_lookup_req req;

		if (!l->v[i].live)
			continue;
		memset(&req, 0, sizeof(req));
		req.handle = l->v[i].handle;
		err = bb_ioctl(BB_IOC_LOOKUP, &req);
		if (err == -ENOTTY)
			return err;
		if (err) {
			bb_fail("lookup of handle %llu: %s", (unsigned long long)req.handle,
				strerror(-err));
			continue;
		}
		if (req.state != BB_STATE_MOVABLE || req.order != 0)
			bb_fail("lookup of handle %llu: state %u order %u, not movable order 0",
				(unsigned long long)req.handle, req.state, req.order);
		if (req.migrations) {
			(*moved)++;
			*migrations += req.migrations;
			if (req.migrations > *max_migrations)
				*max_migrations = req.migrations;
		}
	}
	return 0;
}

/* a plain memcpy of @bytes, 4 KiB at a time; seconds per pass */
static double bb_time_memcpy(unsigned long long bytes, unsigned int *passes)
{
	size_t span = bytes < (64ULL << 20) ? bytes : (64ULL << 20);
	unsigned char *src, *dst;
	double t0, t;
	unsigned int n = 0;

	span = (span + BB_PAGE - 1) & ~(BB_PAGE - 1);
	src = malloc(span);
	dst = malloc(span);
	if (!src || !dst)
		bb_die("out of memory (memcpy of %zu bytes)", span);
	memset(src, 0x5a, span);	/* fault both in: not part of the time */
	memset(dst, 0xa5, span);
	t0 = bb_now();
	do {
		unsigned long long done = 0;

		while (done < bytes) {
			size_t off = done % span;

			memcpy(dst + off, src + off, BB_PAGE);
			done += BB_PAGE;
		}
		/* the copies are used: the compiler must not drop them */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		n++;
		t = bb_now() - t0;
	} while (t < 0.05 && n < 100000);	/* too short to time: average passes */
	free(src);
	free(dst);
	*passes = n;
	return t / n;
}

static void bb_usage(FILE *f)
{
	fputs("Usage: bbfrag [--seed N] [--gfp GFP] [--fill-gfp GFP] [--explain-first]\n"
	      "              [--memcpy] [--tries N] [--fill-pages N] [--max-blocks N]\n"
	      "              [--inject-corruption] [--json] [--device PATH] [--debugfs DIR]\n"
	      "\n"
	      "Fill the buddybox sandbox with movable order-0 pages, each with its own\n"
	      "pattern, free a random half, then allocate order-9 blocks until one fails;\n"
	      "verify every byte; print the blocks obtained against the theoretical\n"
	      "maximum (free pages / 512), the pages compaction migrated and its time.\n"
	      "\n"
	      "  --seed N            patterns and the half freed (default: the time)\n"
	      "  --gfp GFP           the order-9 allocations' gfp (default GFP_HIGHUSER_MOVABLE)\n"
	      "  --fill-gfp GFP      the order-0 fill's gfp\n"
	      "                      (default GFP_HIGHUSER_MOVABLE|__GFP_NORETRY|__GFP_NOWARN)\n"
	      "  --explain-first     print the path of the first order-9 allocation that\n"
	      "                      needed compaction, and of the failed one\n"
	      "  --memcpy            time a user-space memcpy of the migrated bytes\n"
	      "  --tries N           end the order-9 phase after N failures in a row (1)\n"
	      "  --fill-pages N      fill at most N pages (default: until refused)\n"
	      "  --max-blocks N      at most N order-9 blocks\n"
	      "  --inject-corruption overwrite a byte behind the pattern: must FAIL\n"
	      "  --json              a line 'bbfrag-json: {...}' with the figures\n"
	      "  --device PATH       default " BB_DEFAULT_DEVICE "\n"
	      "  --debugfs DIR       default " BB_DEFAULT_DEBUGFS "\n"
	      "\n"
	      "Ends with 'bbfrag: ok' (exit 0) or 'bbfrag: FAIL' (exit 1); 2: bad usage.\n", f);
}

static int bb_parse_ull_arg(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static void bb_parse_args(int argc, char **argv, struct bb_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->device = BB_DEFAULT_DEVICE;
	o->debugfs = BB_DEFAULT_DEBUGFS;
	o->seed = (unsigned long long)time(NULL);
	o->gfp = BB_GFP_HIGHUSER_MOVABLE;
	o->gfp_text = "GFP_HIGHUSER_MOVABLE";
	o->fill_gfp = BB_GFP_HIGHUSER_MOVABLE | BB___GFP_NORETRY | BB___GFP_NOWARN;
	o->fill_gfp_text = "GFP_HIGHUSER_MOVABLE|__GFP_NORETRY|__GFP_NOWARN";
	o->tries = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long long n;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			bb_usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--explain-first")) {
			o->explain_first = 1;
		} else if (!strcmp(a, "--memcpy")) {
			o->memcpy = 1;
		} else if (!strcmp(a, "--inject-corruption")) {
			o->inject = 1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!v) {
			fprintf(stderr, "bbfrag: %s: unknown, or needs a value\n", a);
			bb_usage(stderr);
			exit(2);
		} else {
			i++;
			if (!strcmp(a, "--device")) {
				o->device = v;
			} else if (!strcmp(a, "--debugfs")) {
				o->debugfs = v;
			} else if (!strcmp(a, "--gfp") || !strcmp(a, "--fill-gfp")) {
				int fill = !strcmp(a, "--fill-gfp");

				if (bb_parse_gfp(v, fill ? &o->fill_gfp : &o->gfp))
					goto bad;
				*(fill ? &o->fill_gfp_text : &o->gfp_text) = v;
			} else if (bb_parse_ull_arg(v, &n)) {
				goto bad;
			} else if (!strcmp(a, "--seed")) {
				o->seed = n;
			} else if (!strcmp(a, "--tries") && n && n <= 1000) {
				o->tries = n;
			} else if (!strcmp(a, "--fill-pages") && n) {
				o->fill_pages = n;
			} else if (!strcmp(a, "--max-blocks") && n) {
				o->max_blocks = n;
			} else {
				goto bad;
			}
		}
		continue;
bad:
		fprintf(stderr, "bbfrag: %s: bad value '%s'\n", a, v);
		exit(2);
	}
}

static void bb_json_num(const char *name, long long v, int last)
{
	printf("\"%s\":%lld%s", name, v, last ? "" : ",");
}

int main(int argc, char **argv)
{
	long long bi_free, big_before, bi_free_after, big_after, above_min;
	unsigned long long mismatches = 0, moved = 0, migrations = 0, freed;
	unsigned long long small_checked, big_checked, small_live;
	struct bb_vmstat vm0, vm1;
	struct bb_list small = { 0 }, big = { 0 };
	struct bb_phase ph = { 0 };
	unsigned int max_migr = 0, passes = 0;
	long long migrated, stall_ns, theo;
	double cpy = 0, ctime = 0, t_start = bb_now();
	struct bb_stats st;
	struct bb_opts o;
	int have_bulk = 1, have_lookup = 1, err;
	const char *ctime_src;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bb_parse_args(argc, argv, &o);
	bb_o = &o;
	bb_rng_state = o.seed;

	bb_fd = open(o.device, O_RDWR | O_CLOEXEC);
	if (bb_fd < 0)
		bb_die("%s: %s%s", o.device, strerror(errno),
		       errno == ENOENT ? "; is buddybox.ko loaded?" : "");
	memset(&st, 0, sizeof(st));
	err = bb_ioctl(BB_IOC_STATS, &st);
	if (err)
		bb_die("BB_IOC_STATS: %s", strerror(-err));
	printf("bbfrag: seed %llu, region %llu pages, %llu free; order-9 gfp %s (%#x)\n", o.seed,
	       (unsigned long long)st.region_pages, (unsigned long long)st.free_pages,
	       o.gfp_text, o.gfp);

	/* 1. fill, and write every page's pattern */
	bb_fill_phase(&small, &have_bulk);
	if (!small.nr)
		bb_die("fill: not one page allocated");
	bb_write_small(&small);
	/* 2. free a random half */
	freed = bb_free_half(&small, have_bulk);
	small_live = small.nr - freed;
	if (o.inject) {
		size_t i;

		for (i = 0; i < small.nr && !small.v[i].live; i++)
			;
		if (i < small.nr) {
			struct bb_rw_req req;
			unsigned char b = 0;

			memset(&req, 0, sizeof(req));
			req.handle = small.v[i].handle;
			req.offset = 100;
			req.length = 1;
			req.buf = (uintptr_t)&b;
			err = bb_ioctl(BB_IOC_READ, &req);
			b ^= 0xff;
			if (!err)
				err = bb_ioctl(BB_IOC_WRITE, &req);
			printf("bbfrag: injected a corrupt byte at offset 100 of handle %llu ",
			       (unsigned long long)small.v[i].handle);
			printf("(%s)\n", err ? strerror(-err) : "done");
		}
	}
	printf("bbfrag: filled %zu order-0 pages (%s%s), freed %llu at random, %llu held\n",
	       small.nr, o.fill_gfp_text, have_bulk ? ", bulk" : "", freed, small_live);

	/* the state the order-9 phase starts from */
	err = bb_drain();
	if (err)
		printf("bbfrag: note: could not drain the per-CPU lists (%s)\n", strerror(-err));
	bb_read_vmstat(&vm0);
	if (bb_buddyinfo(&bi_free, &big_before))
		bb_die("%s/buddyinfo: %s (is debugfs mounted?)", o.debugfs, strerror(errno));
	above_min = bb_blocks_above_min();
	theo = bi_free / (long long)BB_BLOCK_PAGES;
	printf("bbfrag: before the order-9 phase: %lld free pages ", bi_free);
	printf("(buddyinfo, sum of count << order after a drain; ");
	printf("vmstat nr_free_pages %lld), ", vm0.v[VM_NR_FREE]);
	printf("free blocks of order >= 9: %lld\n", big_before);
	printf("bbfrag: theoretical maximum: %lld order-9 blocks ", theo);
	printf("(%lld free pages / 512); %lld fit above the zones' min watermarks ",
	       bi_free, above_min);
	printf("(zoneinfo, sum of (free - min) / 512)\n");

	/* 3. order-9 blocks until one fails */
	bb_order9_phase(&big, &ph);
	bb_read_vmstat(&vm1);
	bb_drain();
	bb_buddyinfo(&bi_free_after, &big_after);

	printf("bbfrag: order-9 blocks obtained: %llu of a theoretical maximum of %lld ",
	       ph.blocks, theo);
	printf("(%.0f%%), ended by %s after %llu failure(s)\n",
	       theo > 0 ? 100.0 * ph.blocks / theo : 0.0,
	       ph.stop_err ? strerror(-ph.stop_err) : "--max-blocks", ph.failures);
	migrated = bb_delta(&vm0, &vm1, VM_MIGRATE_OK);
	printf("bbfrag: pages migrated: %lld (pgmigrate_success delta), pgmigrate_fail %lld\n",
	       migrated, bb_delta(&vm0, &vm1, VM_MIGRATE_FAIL));
	printf("bbfrag: compaction: compact_stall %lld, compact_success %lld, ",
	       bb_delta(&vm0, &vm1, VM_STALL), bb_delta(&vm0, &vm1, VM_CSUCCESS));
	printf("compact_fail %lld, compact_migrate_scanned %lld, ",
	       bb_delta(&vm0, &vm1, VM_CFAIL), bb_delta(&vm0, &vm1, VM_MSCANNED));
	printf("compact_free_scanned %lld, compact_isolated %lld, ",
	       bb_delta(&vm0, &vm1, VM_FSCANNED), bb_delta(&vm0, &vm1, VM_ISOLATED));
	printf("compact_daemon_wake %lld, kswapd_wake %lld\n",
	       bb_delta(&vm0, &vm1, VM_KCD_WAKE), bb_delta(&vm0, &vm1, VM_KSWAPD_WAKE));
	stall_ns = bb_delta(&vm0, &vm1, VM_STALL_NS);
	if (stall_ns >= 0) {
		ctime = stall_ns / 1e9;
		ctime_src = "compact_stall_ns, direct compaction only";
	} else {
		ctime = ph.wall;
		ctime_src = "no compact_stall_ns in vmstat: the order-9 phase's wall time";
	}
	printf("bbfrag: order-9 phase: %.3f s wall, %.3f s in BB_IOC_ALLOC, ",
	       ph.wall, ph.in_alloc);
	printf("time in compaction %.3f s (%s)\n", ctime, ctime_src);

	/* 4. every byte, and where the pages went */
	small_checked = bb_verify(&small, BB_PAGE, "order-0", &mismatches);
	big_checked = bb_verify(&big, BB_BLOCK, "order-9", &mismatches);
	printf("bbfrag: verified %llu order-0 pages and %llu order-9 blocks ",
	       small_checked, big_checked);
	printf("(%llu MiB): %llu mismatch(es)\n",
	       (small_checked * BB_PAGE + big_checked * BB_BLOCK) >> 20, mismatches);
	if (small_checked != small_live || big_checked != ph.blocks)
		bb_fail("verified %llu + %llu allocations, held %llu + %llu", small_checked,
			big_checked, small_live, ph.blocks);
	if (bb_lookup_moved(&small, &moved, &migrations, &max_migr) == -ENOTTY) {
		have_lookup = 0;
		printf("bbfrag: no BB_IOC_LOOKUP: moved pages not counted\n");
	} else {
		printf("bbfrag: moved order-0 pages: %llu of %llu held ", moved, small_live);
		printf("(LOOKUP migrations > 0), %llu migrations in all, ", migrations);
		printf("at most %u for one page\n", max_migr);
	}

	if (o.memcpy && migrated > 0) {
		unsigned long long bytes = (unsigned long long)migrated * BB_PAGE;

		double mib = bytes / 1048576.0;

		cpy = bb_time_memcpy(bytes, &passes);
		printf("bbfrag: migration vs memcpy: %.1f MiB migrated in %.3f s of compaction ",
		       mib, ctime);
		printf("(%.1f MiB/s); a user-space memcpy of as many bytes, 4 KiB at a time: ",
		       ctime > 0 ? mib / ctime : 0);
		printf("%.6f s (%.1f MiB/s, %u pass(es) averaged); ratio %.1f\n",
		       cpy, cpy > 0 ? mib / cpy : 0, passes, cpy > 0 ? ctime / cpy : 0);
	} else if (o.memcpy) {
		printf("bbfrag: migration vs memcpy: nothing was migrated\n");
	}

	if (o.json) {
		printf("bbfrag-json: {");
		bb_json_num("seed", o.seed, 0);
		bb_json_num("region_pages", st.region_pages, 0);
		bb_json_num("filled", small.nr, 0);
		bb_json_num("freed", freed, 0);
		bb_json_num("free_pages_before", bi_free, 0);
		bb_json_num("free_order9_blocks_before", big_before, 0);
		bb_json_num("theoretical_max", theo, 0);
		bb_json_num("above_min_max", above_min, 0);
		bb_json_num("blocks", ph.blocks, 0);
		bb_json_num("failures", ph.failures, 0);
		bb_json_num("pgmigrate_success", migrated, 0);
		bb_json_num("pgmigrate_fail", bb_delta(&vm0, &vm1, VM_MIGRATE_FAIL), 0);
		bb_json_num("compact_stall", bb_delta(&vm0, &vm1, VM_STALL), 0);
		bb_json_num("compact_success", bb_delta(&vm0, &vm1, VM_CSUCCESS), 0);
		bb_json_num("compact_fail", bb_delta(&vm0, &vm1, VM_CFAIL), 0);
		bb_json_num("compact_stall_ns", stall_ns, 0);
		bb_json_num("compact_migrate_scanned", bb_delta(&vm0, &vm1, VM_MSCANNED), 0);
		bb_json_num("compact_free_scanned", bb_delta(&vm0, &vm1, VM_FSCANNED), 0);
		bb_json_num("compact_isolated", bb_delta(&vm0, &vm1, VM_ISOLATED), 0);
		bb_json_num("compact_daemon_wake", bb_delta(&vm0, &vm1, VM_KCD_WAKE), 0);
		bb_json_num("moved_pages", have_lookup ? (long long)moved : -1, 0);
		bb_json_num("migrations", have_lookup ? (long long)migrations : -1, 0);
		printf("\"phase_wall_s\":%.6f,\"phase_alloc_s\":%.6f,\"compaction_s\":%.6f,",
		       ph.wall, ph.in_alloc, ctime);
		printf("\"compaction_time_source\":\"%s\",", stall_ns >= 0 ? "compact_stall_ns" :
		       "phase_wall");
		printf("\"memcpy_s\":%.9f,\"memcpy_passes\":%u,\"ratio\":%.3f,", cpy, passes,
		       cpy > 0 ? ctime / cpy : 0);
		bb_json_num("mismatches", mismatches, 0);
		printf("\"ok\":%s}\n", bb_failed ? "false" : "true");
	}
	printf("bbfrag: %.1f s in all\n", bb_now() - t_start);
	close(bb_fd);
	free(small.v);
	free(big.v);
	printf("bbfrag: %s\n", bb_failed ? "FAIL" : "ok");
	return bb_failed ? 1 : 0;
}
