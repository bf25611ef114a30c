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
 *
 * BB_ALLOC_F_EXPLAIN writes a made-up path ("mock path: order N ...",
 * on failure too); BB_ALLOC_F_CACHE makes a cache allocation, and an
 * allocation of order 10 with it comes back already dropped (its READ and
 * WRITE answer -ESTALE), to test that.  LOOKUP reports each allocation's
 * state, and one migration for the movable ones.  Setting oom_score_adj
 * to 1000 plays the OOM killer: the descriptor loses its allocations,
 * poll() reports POLLPRI | POLLERR and every ioctl answers -EIO.
 *
 * Two sandboxes are there, "default" (BB_MOCK_PAGES pages) and "small"
 * (half as many, as STATS reports); "dying" is one being destroyed.
 * ATTACH binds the descriptor as the module does: once, before any other
 * ioctl (which binds it to "default"), else -EALREADY; -ENOENT for an
 * unknown or dying name, -EINVAL for a malformed request.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
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
	unsigned int state;
	unsigned char *data;
};

static int bb_mock_fd = -1;
static struct bb_mock_alloc bb_mock_allocs[BB_MOCK_MAX + 1];	/* by handle */
static unsigned long long bb_mock_next_pfn = 0x1000;
static unsigned long long bb_mock_used;
static unsigned int bb_mock_next_handle = 1;
static unsigned long long bb_mock_pgalloc, bb_mock_pgfree, bb_mock_fail;
static int bb_mock_adj, bb_mock_killed;
static int bb_mock_bound;		/* 0: not yet, 1: default, 2: small */

static int (*bb_real_open)(const char *path, int flags, ...);
static int (*bb_real_ioctl)(int fd, unsigned long cmd, ...);
static int (*bb_real_close)(int fd);
static int (*bb_real_poll)(struct pollfd *fds, nfds_t nfds, int timeout);

static void bb_mock_init(void)
{
	if (bb_real_open)
		return;
	bb_real_open = dlsym(RTLD_NEXT, "open");
	bb_real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	bb_real_close = dlsym(RTLD_NEXT, "close");
	bb_real_poll = dlsym(RTLD_NEXT, "poll");
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
	bb_mock_adj = 0;
	bb_mock_killed = 0;
	bb_mock_bound = 0;
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

/* the mock descriptor: POLLPRI | POLLERR once "killed", else nothing */
int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	bb_mock_init();
	if (nfds != 1 || fds[0].fd < 0 || fds[0].fd != bb_mock_fd)
		return bb_real_poll(fds, nfds, timeout);
	fds[0].revents = 0;
	if (bb_mock_killed) {
		fds[0].revents = POLLPRI | POLLERR;
		return 1;
	}
	if (timeout < 0)
		timeout = 100;	/* never wait for ever in a test */
	usleep(timeout * 1000);
	return 0;
}

static void bb_mock_path(struct bb_alloc_req *req, const char *result)
{
	char text[128];
	int len;

	len = snprintf(text, sizeof(text), "mock path: order %u gfp %#x\nresult: %s\n",
		       req->order, req->gfp, result);
	if ((unsigned int)len >= req->path_len)
		len = req->path_len - 1;
	memcpy((void *)(uintptr_t)req->path, text, len);
	((char *)(uintptr_t)req->path)[len] = '\0';
	req->path_len = len;
}

static int bb_mock_alloc_one(struct bb_alloc_req *req)
{
	unsigned int zone_bits = req->gfp & BB_GFP_ZONEMASK;
	struct bb_mock_alloc *a;
	unsigned int h;

	if (req->order >= BB_MAX_ORDER || (req->flags & ~BB_ALLOC_F_MASK) ||
	    req->nid < -1 || req->nid > 0 ||
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
	if (req->flags & BB_ALLOC_F_CACHE)
		a->state = req->order == 10 ? BB_STATE_STALE : BB_STATE_CACHE;
	else
		a->state = req->gfp & BB___GFP_MOVABLE ? BB_STATE_MOVABLE : BB_STATE_PINNED;
	return 0;
}

static int bb_mock_alloc(struct bb_alloc_req *req)
{
	int ret;

	if ((req->flags & BB_ALLOC_F_EXPLAIN) && (!req->path || req->path_len < 2))
		return -EINVAL;
	ret = bb_mock_alloc_one(req);
	if (req->flags & BB_ALLOC_F_EXPLAIN)
		bb_mock_path(req, ret ? "failed" : "allocated");
	return ret;
}

static int bb_mock_bulk(struct bb_bulk_req *req, int alloc)
{
	__u64 *handles = (__u64 *)(uintptr_t)req->handles;
	unsigned int i;

	if (req->flags || req->pad || !req->nr || req->nr > BB_BULK_MAX)
		return -EINVAL;
	req->nr_done = 0;
	for (i = 0; i < req->nr; i++) {
		if (alloc) {
			struct bb_alloc_req one;
			int ret;

			memset(&one, 0, sizeof(one));
			one.gfp = req->gfp;
			one.nid = req->nid;
			ret = bb_mock_alloc_one(&one);
			if (ret)
				return i ? 0 : ret;
			handles[i] = one.handle;
		} else {
			if (!handles[i] || handles[i] > BB_MOCK_MAX ||
			    !bb_mock_allocs[handles[i]].data)
				return -ENOENT;
			bb_mock_drop(handles[i]);
		}
		req->nr_done++;
	}
	return 0;
}

static struct bb_mock_alloc *bb_mock_find(unsigned long long handle)
{
	if (!handle || handle > BB_MOCK_MAX || !bb_mock_allocs[handle].data)
		return NULL;
	return &bb_mock_allocs[handle];
}

static int bb_mock_lookup(struct bb_lookup_req *req)
{
	struct bb_mock_alloc *a = bb_mock_find(req->handle);

	if (!a)
		return -ENOENT;
	req->pfn = a->pfn;
	req->order = a->order;
	req->zone = BB_ZONE_NORMAL;
	req->node = 0;
	req->migratetype = a->state == BB_STATE_MOVABLE ? 1 : 0;
	req->state = a->state;
	req->migrations = a->state == BB_STATE_MOVABLE;
	return 0;
}

static int bb_mock_oom(struct bb_oom_req *req)
{
	unsigned int h;

	if (req->set > 1)
		return -EINVAL;
	if (req->set) {
		if (req->oom_score_adj < -1000 || req->oom_score_adj > 1000)
			return -EINVAL;
		bb_mock_adj = req->oom_score_adj;
	}
	req->oom_score_adj = bb_mock_adj;
	if (bb_mock_adj == 1000) {
		for (h = 1; h <= BB_MOCK_MAX; h++)
			if (bb_mock_allocs[h].data)
				bb_mock_drop(h);
		bb_mock_killed = 1;
	}
	return 0;
}

static int bb_mock_rw(struct bb_rw_req *req, int write)
{
	struct bb_mock_alloc *a = bb_mock_find(req->handle);
	unsigned long long size;
	void *buf = (void *)(uintptr_t)req->buf;

	if (!a)
		return -ENOENT;
	if (a->state == BB_STATE_STALE)
		return -ESTALE;
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

static int bb_mock_attach(const struct bb_attach_req *req)
{
	size_t len = strnlen(req->name, sizeof(req->name));
	size_t i;

	if (req->flags || req->pad || !len || len > 15)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", req->name[i]))
			return -EINVAL;
	if (bb_mock_bound)
		return -EALREADY;
	if (!strcmp(req->name, "default"))
		bb_mock_bound = 1;
	else if (!strcmp(req->name, "small"))
		bb_mock_bound = 2;
	else
		return -ENOENT;	/* "dying" too: it is being destroyed */
	return 0;
}

static int bb_mock_ioctl(unsigned long cmd, void *arg)
{
	struct bb_free_req *fr = arg;
	struct bb_stats *st = arg;
	unsigned int h;

	if (cmd == BB_IOC_ATTACH)
		return bb_mock_attach(arg);
	if (!bb_mock_bound)
		bb_mock_bound = 1;
	if (bb_mock_killed)
		return -EIO;
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
	case BB_IOC_ALLOC_BULK:
		return bb_mock_bulk(arg, 1);
	case BB_IOC_FREE_BULK:
		return bb_mock_bulk(arg, 0);
	case BB_IOC_LOOKUP:
		return bb_mock_lookup(arg);
	case BB_IOC_OOM_SCORE_ADJ:
		return bb_mock_oom(arg);
	case BB_IOC_STATS:
		memset(st, 0, sizeof(*st));
		st->region_pages = BB_MOCK_PAGES / bb_mock_bound;
		st->free_pages = st->region_pages - bb_mock_used;
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
