// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: owners of allocations.
 *
 * Every allocation made through an interface belongs to an owner: an open
 * descriptor of the device, or the module itself for debugfs' control
 * file.  An owner sees only its own handles, and releasing it frees
 * everything it still holds.
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
}

static void bb_owner_drop(struct bb_owner *owner, struct bb_alloc *a)
{
	bb_free_pages(owner->sb, a->pfn, a->order);
	owner->nr_allocs--;
	owner->nr_pages -= 1UL << a->order;
	kfree(a);
}

void bb_owner_release(struct bb_owner *owner)
{
	struct bb_alloc *a;
	unsigned long index;

	mutex_lock(&owner->lock);
	xa_for_each(&owner->allocs, index, a) {
		xa_erase(&owner->allocs, index);
		bb_owner_drop(owner, a);
	}
	mutex_unlock(&owner->lock);
	xa_destroy(&owner->allocs);
	mutex_destroy(&owner->lock);
}

int bb_owner_alloc(struct bb_owner *owner, bb_gfp_t gfp, unsigned int order,
		   int nid, u32 nodemask, struct bb_alloc *out)
{
	struct bb_alloc_result res;
	struct bb_alloc *a;
	u32 id;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ret = __bb_alloc_pages(owner->sb, gfp, order, nid, nodemask, &res);
	if (ret)
		goto out_free;

	a->pfn = res.pfn;
	a->order = order;
	a->migratetype = res.migratetype;
	a->zone_idx = res.zone->idx;
	a->nid = bb_zone_to_nid(res.zone);
	a->gfp = gfp;

	mutex_lock(&owner->lock);
	/* handles are not reused soon: a stale one is -ENOENT, not another's */
	ret = xa_alloc_cyclic(&owner->allocs, &id, a, xa_limit_31b,
			      &owner->next_handle, GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&owner->lock);
		bb_free_pages(owner->sb, res.pfn, order);
		goto out_free;
	}
	a->handle = id;
	owner->nr_allocs++;
	owner->nr_pages += 1UL << order;
	*out = *a;
	mutex_unlock(&owner->lock);
	return 0;

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

	mutex_lock(&owner->lock);
	for (i = 0; i < n; i++) {
		struct bb_alloc *a = allocs[i];
		struct bb_zone *zone = bb_pfn_to_zone(owner->sb, pfns[i]);
		u32 id;

		ret = xa_alloc_cyclic(&owner->allocs, &id, a, xa_limit_31b,
				      &owner->next_handle, GFP_KERNEL);
		if (ret < 0)
			break;
		a->handle = id;
		a->pfn = pfns[i];
		a->order = 0;
		a->migratetype = bb_get_pageblock_migratetype(owner->sb, pfns[i]);
		a->zone_idx = zone->idx;
		a->nid = bb_zone_to_nid(zone);
		a->gfp = gfp;
		owner->nr_allocs++;
		owner->nr_pages++;
		handles[i] = id;
		allocs[i] = NULL;
	}
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
	for (i = 0; i < nr; i++) {
		struct bb_alloc *a = handles[i] <= U32_MAX ?
				     xa_erase(&owner->allocs, handles[i]) : NULL;

		if (!a) {
			ret = -ENOENT;
			break;
		}
		bb_owner_drop(owner, a);
	}
	mutex_unlock(&owner->lock);
	*done = i;
	return ret;
}

int bb_owner_free(struct bb_owner *owner, u32 handle)
{
	struct bb_alloc *a;

	mutex_lock(&owner->lock);
	a = xa_erase(&owner->allocs, handle);
	if (a)
		bb_owner_drop(owner, a);
	mutex_unlock(&owner->lock);
	return a ? 0 : -ENOENT;
}

/*
 * Copy between @iter and the allocation's memory.  The owner's lock keeps
 * the allocation in place while the copy runs (and may fault).
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
	a = xa_load(&owner->allocs, handle);
	if (!a) {
		ret = -ENOENT;
		goto out;
	}
	if (offset > (PAGE_SIZE << a->order) ||
	    len > (PAGE_SIZE << a->order) - offset) {
		ret = -EINVAL;
		goto out;
	}
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
