// SPDX-License-Identifier: GPL-2.0
/*
 * mockdev: an LD_PRELOAD stand-in for /dev/buddybox, to test buddyctl on a
 * machine without the module (tools/buddyctl/test.sh).
 *
 * Opening BB_MOCK_PATH gives a descriptor whose ioctls follow
 * uapi/buddybox.h: a region of BB_MOCK_PAGES pages, handed out from a bump
 * pointer (freed pages are not reused), handles from 1 per descriptor,
 * -EINVAL for the requests the module rejects, -ENOENT for unknown handles
 * and -ENOTTY for unknown ioctls.  Zones and migratetypes are made up from
 * the gfp.  Only one mock descriptor at a time.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buddybox.h"

#define BB_MOCK_PATH	"/mock/buddybox"
#define BB_MOCK_PAGES	4096
#define BB_MOCK_MAX	8192
#define BB_MOCK_PAGE	4096ULL

struct bb_mock_alloc {
	unsigned long long pfn;
	unsigned int order;
	unsigned char *data;
};

static int bb_mock_fd = -1;
static struct bb_mock_alloc bb_mock_allocs[BB_MOCK_MAX + 1];	/* by handle */
static unsigned long long bb_mock_next_pfn = 0x1000;
static unsigned long long bb_mock_used;
static unsigned int bb_mock_next_handle = 1;
static unsigned long long bb_mock_pgalloc, bb_mock_pgfree, bb_mock_fail;

static int (*bb_real_open)(const char *path, int flags, ...);
static int (*bb_real_ioctl)(int fd, unsigned long cmd, ...);
static int (*bb_real_close)(int fd);

static void bb_mock_init(void)
{
	if (bb_real_open)
		return;
	bb_real_open = dlsym(RTLD_NEXT, "open");
	bb_real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	bb_real_close = dlsym(RTLD_NEXT, "close");
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	bb_mock_init();
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, BB_MOCK_PATH))
		return bb_real_open(path, flags, mode);
	if (bb_mock_fd >= 0) {
		errno = EBUSY;
		return -1;
	}
	bb_mock_fd = bb_real_open("/dev/null", O_RDWR);
	return bb_mock_fd;
}

static void bb_mock_drop(unsigned int handle)
{
	struct bb_mock_alloc *a = &bb_mock_allocs[handle];

	bb_mock_used -= 1ULL << a->order;
	bb_mock_pgfree += 1ULL << a->order;
	free(a->data);
	a->data = NULL;
}

int close(int fd)
{
	unsigned int h;

	bb_mock_init();
	if (fd >= 0 && fd == bb_mock_fd) {
		for (h = 1; h <= BB_MOCK_MAX; h++)
			if (bb_mock_allocs[h].data)
				bb_mock_drop(h);
		bb_mock_fd = -1;
	}
	return bb_real_close(fd);
}

static int bb_mock_alloc(struct bb_alloc_req *req)
{
	unsigned int zone_bits = req->gfp & BB_GFP_ZONEMASK;
	struct bb_mock_alloc *a;
	unsigned int h;

	if (req->order >= BB_MAX_ORDER || req->flags || req->nid < -1 || req->nid > 0 ||
	    req->nodemask > 1 || (req->gfp & ~BB___GFP_BITS_MASK) ||
	    __builtin_popcount(zone_bits & ~BB___GFP_MOVABLE) > 1) {
		bb_mock_fail++;
		return -EINVAL;
	}
	if (bb_mock_used + (1ULL << req->order) > BB_MOCK_PAGES) {
		bb_mock_fail++;
		return -ENOMEM;
	}
	for (h = bb_mock_next_handle; h <= BB_MOCK_MAX && bb_mock_allocs[h].data; h++)
		;
	if (h > BB_MOCK_MAX)
		return -ENOSPC;
	a = &bb_mock_allocs[h];
	a->data = calloc(1, BB_MOCK_PAGE << req->order);
	if (!a->data)
		return -ENOMEM;
	bb_mock_next_handle = h + 1;
	a->order = req->order;
	a->pfn = (bb_mock_next_pfn + (1ULL << req->order) - 1) & ~((1ULL << req->order) - 1);
	bb_mock_next_pfn = a->pfn + (1ULL << req->order);
	bb_mock_used += 1ULL << req->order;
	bb_mock_pgalloc += 1ULL << req->order;
	req->handle = h;
	req->pfn = a->pfn;
	req->node = 0;
	if (req->gfp & BB___GFP_DMA)
		req->zone = BB_ZONE_DMA;
	else if (req->gfp & BB___GFP_DMA32)
		req->zone = BB_ZONE_DMA32;
	else if ((req->gfp & BB___GFP_HIGHMEM) && (req->gfp & BB___GFP_MOVABLE))
		req->zone = BB_ZONE_MOVABLE;
	else
		req->zone = BB_ZONE_NORMAL;
	req->migratetype = (req->gfp & BB_GFP_MOVABLE_MASK) >> 3;
	return 0;
}

static struct bb_mock_alloc *bb_mock_find(unsigned long long handle)
{
	if (!handle || handle > BB_MOCK_MAX || !bb_mock_allocs[handle].data)
		return NULL;
	return &bb_mock_allocs[handle];
}

static int bb_mock_rw(struct bb_rw_req *req, int write)
{
	struct bb_mock_alloc *a = bb_mock_find(req->handle);
	unsigned long long size;
	void *buf = (void *)(uintptr_t)req->buf;

	if (!a)
		return -ENOENT;
	size = BB_MOCK_PAGE << a->order;
	if (req->length > (BB_MOCK_PAGE << (BB_MAX_ORDER - 1)) || req->offset > size ||
	    req->length > size - req->offset)
		return -EINVAL;
	if (write)
		memcpy(a->data + req->offset, buf, req->length);
	else
		memcpy(buf, a->data + req->offset, req->length);
	return 0;
}

static int bb_mock_ioctl(unsigned long cmd, void *arg)
{
	struct bb_free_req *fr = arg;
	struct bb_stats *st = arg;
	unsigned int h;

	switch (cmd) {
	case BB_IOC_ALLOC:
		return bb_mock_alloc(arg);
	case BB_IOC_FREE:
		if (!bb_mock_find(fr->handle))
			return -ENOENT;
		bb_mock_drop(fr->handle);
		return 0;
	case BB_IOC_WRITE:
		return bb_mock_rw(arg, 1);
	case BB_IOC_READ:
		return bb_mock_rw(arg, 0);
	case BB_IOC_STATS:
		memset(st, 0, sizeof(*st));
		st->region_pages = BB_MOCK_PAGES;
		st->free_pages = BB_MOCK_PAGES - bb_mock_used;
		st->nr_nodes = 1;
		st->nr_zones = 3;
		st->pgalloc = bb_mock_pgalloc;
		st->pgfree = bb_mock_pgfree;
		st->alloc_fail = bb_mock_fail;
		for (h = 1; h <= BB_MOCK_MAX; h++) {
			if (bb_mock_allocs[h].data) {
				st->fd_allocations++;
				st->fd_pages += 1ULL << bb_mock_allocs[h].order;
			}
		}
		return 0;
	default:
		return -ENOTTY;
	}
}

int ioctl(int fd, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;
	int ret;

	bb_mock_init();
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd != bb_mock_fd)
		return bb_real_ioctl(fd, cmd, arg);
	ret = bb_mock_ioctl(cmd, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
