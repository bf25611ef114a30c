// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: owners of allocations.
 *
 * Every allocation made through an interface belongs to an owner: an open
 * descriptor of the device, or the module itself for debugfs' control
 * file.  An owner sees only its own handles, and releasing it frees
 * everything it still holds.
 *
 * The head page of an owned allocation points back at its struct bb_alloc
 * (page->owner_alloc, the sandbox's rmap), under the node's lru_lock, so
 * that compaction can move it (migrate.c) and reclaim can drop it
 * (vmscan.c).  Both take owner->lock before touching the allocation, as
 * every path here does: owner->lock, then lru_lock, then zone->lock.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "buddybox.h"

void bb_owner_init(struct bb_owner *owner, struct bb_sandbox *sb)
{
	owner->sb = sb;
	mutex_init(&owner->lock);
	xa_init_flags(&owner->allocs, XA_FLAGS_ALLOC1);
	owner->next_handle = 1;
	owner->nr_allocs = 0;
	owner->nr_pages = 0;
	INIT_LIST_HEAD(&owner->node);
	owner->oom_candidate = false;
	owner->oom_score_adj = 0;
	owner->oom_killed = false;
	init_waitqueue_head(&owner->oom_wait);
}

static struct bb_lruvec *bb_alloc_lruvec(struct bb_sandbox *sb,
					 struct bb_alloc *a)
{
	return &sb->node[a->nid].lruvec;
}

/* The allocation becomes visible to compaction and reclaim. */
static void bb_rmap_add(struct bb_sandbox *sb, struct bb_alloc *a)
{
	struct bb_lruvec *lruvec = bb_alloc_lruvec(sb, a);

	spin_lock(&lruvec->lru_lock);
	bb_pfn_to_page(sb, a->pfn)->owner_alloc = a;
	spin_unlock(&lruvec->lru_lock);
	if (a->state == BB_STATE_CACHE)
		bb_lru_add(sb, a);
}

static void bb_rmap_del(struct bb_sandbox *sb, struct bb_alloc *a)
{
	struct bb_lruvec *lruvec = bb_alloc_lruvec(sb, a);

	bb_lru_del(sb, a);
	spin_lock(&lruvec->lru_lock);
	bb_pfn_to_page(sb, a->pfn)->owner_alloc = NULL;
	spin_unlock(&lruvec->lru_lock);
}

/* Give the pages back; the record stays (a stale one has no pages). */
static void bb_owner_put_pages(struct bb_owner *owner, struct bb_alloc *a)
{
	lockdep_assert_held(&owner->lock);
	if (a->state == BB_STATE_STALE)
		return;
	bb_rmap_del(owner->sb, a);
	bb_free_pages(owner->sb, a->pfn, a->order);
	owner->nr_pages -= 1UL << a->order;
}

/*
 * Reclaim drops a clean cache allocation (vmscan.c): called with
 * owner->lock held.  The handle stays, answering -ESTALE.
 */
void bb_owner_mark_stale(struct bb_owner *owner, struct bb_alloc *a)
{
	bb_owner_put_pages(owner, a);
	a->state = BB_STATE_STALE;
}

static void bb_owner_drop(struct bb_owner *owner, struct bb_alloc *a)
{
	bb_owner_put_pages(owner, a);
	owner->nr_allocs--;
	kfree(a);
}

/* Free every allocation; the owner stays usable (empty). */
static void bb_owner_free_all(struct bb_owner *owner)
{
	struct bb_alloc *a;
	unsigned long index;

	lockdep_assert_held(&owner->lock);
	xa_for_each(&owner->allocs, index, a) {
		xa_erase(&owner->allocs, index);
		bb_owner_drop(owner, a);
	}
}

void bb_owner_release(struct bb_owner *owner)
{
	bb_oom_unregister(owner);
	mutex_lock(&owner->lock);
	bb_owner_free_all(owner);
	mutex_unlock(&owner->lock);
	xa_destroy(&owner->allocs);
	mutex_destroy(&owner->lock);
}

/*
 * The OOM killer chose this owner: everything it holds goes, and it is
 * told (poll) and refused from now on (-EIO).  Called without owner->lock.
 */
void bb_owner_revoke(struct bb_owner *owner)
{
	mutex_lock(&owner->lock);
	WRITE_ONCE(owner->oom_killed, true);
	bb_owner_free_all(owner);
	mutex_unlock(&owner->lock);
	wake_up_interruptible_all(&owner->oom_wait);
}

static u32 bb_alloc_state(bb_gfp_t gfp, u32 flags)
{
	if (flags & BB_ALLOC_F_CACHE)
		return BB_STATE_CACHE;
	if (gfp & BB___GFP_MOVABLE)
		return BB_STATE_MOVABLE;
	return BB_STATE_PINNED;
}

static void bb_alloc_fill(struct bb_sandbox *sb, struct bb_alloc *a,
			  unsigned long pfn, unsigned int order, bb_gfp_t gfp,
			  u32 flags)
{
	struct bb_zone *zone = bb_pfn_to_zone(sb, pfn);

	a->pfn = pfn;
	a->order = order;
	a->migratetype = bb_get_pageblock_migratetype(sb, pfn);
	a->zone_idx = zone->idx;
	a->nid = bb_zone_to_nid(zone);
	a->gfp = gfp;
	a->flags = flags;
	a->state = bb_alloc_state(gfp, flags);
	INIT_LIST_HEAD(&a->lru);
}

/*
 * Allocate for @owner.  @flags: BB_ALLOC_F_CACHE makes it reclaimable
 * cache.  @trace, when not NULL, receives the path the allocation took.
 * -EIO once the OOM killer chose this owner.
 */
int bb_owner_alloc(struct bb_owner *owner, bb_gfp_t gfp, unsigned int order,
		   int nid, u32 nodemask, u32 flags, struct bb_trace *trace,
		   struct bb_alloc *out)
{
	struct bb_alloc_result res;
	struct bb_alloc *a;
	u32 id;
	int ret;

	if (flags & ~BB_ALLOC_F_CACHE)
		return -EINVAL;
	if (READ_ONCE(owner->oom_killed))
		return -EIO;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	/* not under owner->lock: the slow path may reclaim from this owner */
	ret = __bb_alloc_pages_owner(owner->sb, gfp, order, nid, nodemask,
				     owner, trace, &res);
	if (ret)
		goto out_free;
	bb_alloc_fill(owner->sb, a, res.pfn, order, gfp, flags);
	a->migratetype = res.migratetype;
	a->owner = owner;

	mutex_lock(&owner->lock);
	/* chosen by the OOM killer meanwhile (maybe by this very request) */
	if (owner->oom_killed) {
		ret = -EIO;
		goto out_unlock;
	}
	/* handles are not reused soon: a stale one is -ENOENT, not another's */
	ret = xa_alloc_cyclic(&owner->allocs, &id, a, xa_limit_31b,
			      &owner->next_handle, GFP_KERNEL);
	if (ret < 0)
		goto out_unlock;
	a->handle = id;
	owner->nr_allocs++;
	owner->nr_pages += 1UL << order;
	bb_rmap_add(owner->sb, a);
	*out = *a;
	mutex_unlock(&owner->lock);
	return 0;

out_unlock:
	mutex_unlock(&owner->lock);
	bb_free_pages(owner->sb, res.pfn, order);
out_free:
	kfree(a);
	return ret;
}

/*
 * alloc_pages_bulk() for an owner: up to @nr order-0 pages, one handle
 * each, written to @handles.  Returns how many (>= 1) or -errno.
 */
int bb_owner_alloc_bulk(struct bb_owner *owner, bb_gfp_t gfp, int nid,
			unsigned int nr, u64 *handles)
{
	struct bb_alloc **allocs;
	unsigned long *pfns;
	unsigned int i;
	int n, ret;

	if (!nr || nr > BB_BULK_MAX)
		return -EINVAL;
	if (READ_ONCE(owner->oom_killed))
		return -EIO;
	pfns = kvmalloc_array(nr, sizeof(*pfns), GFP_KERNEL);
	allocs = kvcalloc(nr, sizeof(*allocs), GFP_KERNEL);
	if (!pfns || !allocs) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		allocs[i] = kzalloc(sizeof(*allocs[i]), GFP_KERNEL);
		if (!allocs[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}

	n = bb_alloc_pages_bulk(owner->sb, gfp, nid, nr, pfns);
	if (n < 0) {
		ret = n;
		goto out;
	}

	ret = 0;
	mutex_lock(&owner->lock);
	for (i = 0; i < n && !owner->oom_killed; i++) {
		struct bb_alloc *a = allocs[i];
		u32 id;

		ret = xa_alloc_cyclic(&owner->allocs, &id, a, xa_limit_31b,
				      &owner->next_handle, GFP_KERNEL);
		if (ret < 0)
			break;
		bb_alloc_fill(owner->sb, a, pfns[i], 0, gfp, 0);
		a->handle = id;
		a->owner = owner;
		owner->nr_allocs++;
		owner->nr_pages++;
		bb_rmap_add(owner->sb, a);
		handles[i] = id;
		allocs[i] = NULL;
	}
	if (owner->oom_killed)
		ret = -EIO;
	mutex_unlock(&owner->lock);
	/* no handle for the rest: give their pages back */
	if (i < n) {
		bb_free_pages_bulk(owner->sb, pfns + i, n - i);
		n = i;
	}
	ret = n ? n : ret;
out:
	if (allocs)
		for (i = 0; i < nr; i++)
			kfree(allocs[i]);
	kvfree(allocs);
	kvfree(pfns);
	return ret;
}

/*
 * Free @nr handles in order; stops at the first unknown one (-ENOENT).
 * @done: how many were freed.
 */
int bb_owner_free_bulk(struct bb_owner *owner, const u64 *handles,
		       unsigned int nr, unsigned int *done)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&owner->lock);
	for (i = 0; i < nr && !owner->oom_killed; i++) {
		struct bb_alloc *a = handles[i] <= U32_MAX ?
				     xa_erase(&owner->allocs, handles[i]) : NULL;

		if (!a) {
			ret = -ENOENT;
			break;
		}
		bb_owner_drop(owner, a);
	}
	if (owner->oom_killed)
		ret = -EIO;
	mutex_unlock(&owner->lock);
	*done = i;
	return ret;
}

/* A stale handle (its cache pages were reclaimed) is freed like others. */
int bb_owner_free(struct bb_owner *owner, u32 handle)
{
	struct bb_alloc *a;

	mutex_lock(&owner->lock);
	if (owner->oom_killed) {
		mutex_unlock(&owner->lock);
		return -EIO;
	}
	a = xa_erase(&owner->allocs, handle);
	if (a)
		bb_owner_drop(owner, a);
	mutex_unlock(&owner->lock);
	return a ? 0 : -ENOENT;
}

/* Where the allocation is now, and in which state. */
int bb_owner_lookup(struct bb_owner *owner, u32 handle, struct bb_alloc *out)
{
	struct bb_alloc *a;
	int ret = 0;

	mutex_lock(&owner->lock);
	a = xa_load(&owner->allocs, handle);
	if (owner->oom_killed)
		ret = -EIO;
	else if (a)
		*out = *a;
	else
		ret = -ENOENT;
	mutex_unlock(&owner->lock);
	return ret;
}

/*
 * Copy between @iter and the allocation's memory.  The owner's lock keeps
 * the allocation in place while the copy runs (and may fault): compaction
 * and reclaim wait for it or skip the allocation.  -ESTALE for cache pages
 * that reclaim dropped.
 */
int bb_owner_rw(struct bb_owner *owner, u32 handle, u64 offset,
		struct iov_iter *iter, bool write)
{
	size_t len = iov_iter_count(iter);
	struct bb_alloc *a;
	size_t done;
	void *addr;
	int ret = 0;

	mutex_lock(&owner->lock);
	if (owner->oom_killed) {
		ret = -EIO;
		goto out;
	}
	a = xa_load(&owner->allocs, handle);
	if (!a) {
		ret = -ENOENT;
		goto out;
	}
	if (a->state == BB_STATE_STALE) {
		ret = -ESTALE;
		goto out;
	}
	if (offset > (PAGE_SIZE << a->order) ||
	    len > (PAGE_SIZE << a->order) - offset) {
		ret = -EINVAL;
		goto out;
	}
	if (a->state == BB_STATE_CACHE)
		bb_mark_page_accessed(owner->sb, a);
	addr = bb_pfn_to_virt(owner->sb, a->pfn) + offset;
	if (write)
		done = copy_from_iter(addr, len, iter);
	else
		done = copy_to_iter(addr, len, iter);
	if (done != len)
		ret = -EFAULT;
out:
	mutex_unlock(&owner->lock);
	return ret;
}

int bb_owner_for_each(struct bb_owner *owner,
		      int (*fn)(const struct bb_alloc *a, void *arg),
		      void *arg)
{
	struct bb_alloc *a;
	unsigned long index;
	int ret = 0;

	mutex_lock(&owner->lock);
	xa_for_each(&owner->allocs, index, a) {
		ret = fn(a, arg);
		if (ret)
			break;
	}
	mutex_unlock(&owner->lock);
	return ret;
}
