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
