// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the misc device /dev/buddybox.
 *
 * A thin layer over the core: each open descriptor is an owner (owner.c),
 * and the ioctls of uapi/buddybox.h allocate, free, write, read and count.
 *
 * A descriptor is bound to one sandbox, once: by BB_IOC_ATTACH to the one
 * it names, or by its first other ioctl to "default".  It holds that
 * sandbox (bb_box_attach()) until it is closed.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "buddybox.h"
#include "chardev.h"
#include "sandboxes.h"

/* An open descriptor. */
struct bb_dev_file {
	struct mutex bind_lock;		/* one binding at a time */
	/* NULL until bound; set once, under bind_lock, and read locklessly */
	struct bb_box *box;
	struct bb_owner owner;		/* initialised when bound */
	pid_t tgid;			/* of the opener */
	wait_queue_head_t bind_wait;	/* poll() before the binding */
};

static int bb_dev_open(struct inode *inode, struct file *file)
{
	struct bb_dev_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->bind_lock);
	init_waitqueue_head(&f->bind_wait);
	f->tgid = task_tgid_nr(current);
	file->private_data = f;
	return 0;
}

static int bb_dev_release(struct inode *inode, struct file *file)
{
	struct bb_dev_file *f = file->private_data;

	if (f->box) {
		bb_owner_release(&f->owner);
		bb_box_detach(f->box);
	}
	mutex_destroy(&f->bind_lock);
	kfree(f);
	return 0;
}

/*
 * Bind @f to the sandbox named @name: -EALREADY when it is bound already,
 * -ENOENT when there is no such sandbox (or it is being destroyed).
 */
static int bb_dev_bind(struct bb_dev_file *f, const char *name)
{
	struct bb_box *box;
	int ret = 0;

	mutex_lock(&f->bind_lock);
	if (f->box) {
		ret = -EALREADY;
		goto out;
	}
	box = bb_box_attach(name);
	if (IS_ERR(box)) {
		ret = PTR_ERR(box);
		goto out;
	}
	bb_owner_init(&f->owner, box->sb);
	f->owner.tgid = f->tgid;
	bb_oom_register(&f->owner);
	/* the owner is ready before the lockless readers see the box */
	smp_store_release(&f->box, box);
	wake_up_interruptible_all(&f->bind_wait);
out:
	mutex_unlock(&f->bind_lock);
	return ret;
}

/* The descriptor's owner, bound to "default" if it was bound to nothing. */
static struct bb_owner *bb_dev_owner(struct bb_dev_file *f)
{
	int ret;

	/* pairs with bb_dev_bind(): a box seen means an owner ready */
	if (smp_load_acquire(&f->box))
		return &f->owner;
	ret = bb_dev_bind(f, BB_DEFAULT_SANDBOX);
	/* another thread of the descriptor bound it meanwhile */
	if (ret == -EALREADY)
		ret = 0;
	if (ret == -ENOENT)
		ret = -ENODEV;	/* no "default": the descriptor must attach */
	return ret ? ERR_PTR(ret) : &f->owner;
}

static long bb_ioctl_attach(struct bb_dev_file *f, void __user *argp)
{
	struct bb_attach_req req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.pad ||
	    strnlen(req.name, sizeof(req.name)) == sizeof(req.name) ||
	    !bb_box_name_valid(req.name))
		return -EINVAL;
	return bb_dev_bind(f, req.name);
}

/* The longest --explain text an allocation returns. */
#define BB_PATH_MAX	(16 * PAGE_SIZE)

static long bb_ioctl_alloc(struct bb_owner *owner, void __user *argp)
{
	struct bb_trace trace = { };
	struct bb_alloc_req req;
	struct bb_alloc a;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if ((req.flags & ~BB_ALLOC_F_MASK) || req.pad || req.nid < -1 ||
	    req.nid >= BB_MAX_NUMNODES)
		return -EINVAL;
	if (req.flags & BB_ALLOC_F_EXPLAIN) {
		if (!req.path || req.path_len < 2)
			return -EINVAL;
		trace.size = min_t(size_t, req.path_len, BB_PATH_MAX);
		trace.buf = kvzalloc(trace.size, GFP_KERNEL);
		if (!trace.buf)
			return -ENOMEM;
		bb_trace(&trace, "alloc order %u gfp %#x nid %d nodemask %#x%s\n",
			 req.order, req.gfp, req.nid, req.nodemask,
			 req.flags & BB_ALLOC_F_CACHE ? " (cache)" : "");
	}
	ret = bb_owner_alloc(owner, req.gfp, req.order, req.nid, req.nodemask,
			     req.flags & ~BB_ALLOC_F_EXPLAIN,
			     trace.buf ? &trace : NULL, &a);
	/* the path is returned on failure too: that is when it matters */
	if (trace.buf) {
		int err;

		bb_trace(&trace, "result: %s\n", ret ? "failed" : "allocated");
		if (!ret)
			bb_trace(&trace, "  pfn %lu, zone %s, node %d, pageblock %s\n",
				 a.pfn, bb_zone_names[a.zone_idx], a.nid,
				 bb_migratetype_names[a.migratetype]);
		req.path_len = trace.len;
		err = copy_to_user(u64_to_user_ptr(req.path), trace.buf,
				   trace.len + 1) ? -EFAULT : 0;
		kvfree(trace.buf);
		if (err) {
			if (!ret)
				bb_owner_free(owner, a.handle);
			return err;
		}
	}
	if (!ret) {
		req.handle = a.handle;
		req.pfn = a.pfn;
		req.zone = a.zone_idx;
		req.node = a.nid;
		req.migratetype = a.migratetype;
	}
	if (copy_to_user(argp, &req, sizeof(req))) {
		if (!ret)
			bb_owner_free(owner, a.handle);
		return -EFAULT;
	}
	return ret;
}

static long bb_ioctl_lookup(struct bb_owner *owner, void __user *argp)
{
	struct bb_lookup_req req;
	struct bb_alloc a;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.handle > U32_MAX)
		return -ENOENT;
	ret = bb_owner_lookup(owner, req.handle, &a);
	if (ret)
		return ret;
	req.pfn = a.pfn;
	req.order = a.order;
	req.zone = a.zone_idx;
	req.node = a.nid;
	req.migratetype = a.migratetype;
	req.state = a.state;
	req.migrations = a.migrations;
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long bb_ioctl_oom_score_adj(struct bb_owner *owner, void __user *argp)
{
	struct bb_oom_req req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.set > 1)
		return -EINVAL;
	if (req.set) {
		if (req.oom_score_adj < -1000 || req.oom_score_adj > 1000)
			return -EINVAL;
		WRITE_ONCE(owner->oom_score_adj, req.oom_score_adj);
	}
	req.oom_score_adj = READ_ONCE(owner->oom_score_adj);
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long bb_ioctl_bulk(struct bb_owner *owner, void __user *argp,
			  bool alloc)
{
	struct bb_bulk_req req;
	unsigned int done = 0;
	u64 *handles;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.pad || !req.nr || req.nr > BB_BULK_MAX)
		return -EINVAL;
	if (alloc && (req.nid < -1 || req.nid >= BB_MAX_NUMNODES))
		return -EINVAL;
	handles = kvmalloc_array(req.nr, sizeof(*handles), GFP_KERNEL);
	if (!handles)
		return -ENOMEM;

	if (alloc) {
		ret = bb_owner_alloc_bulk(owner, req.gfp, req.nid, req.nr,
					  handles);
		if (ret < 0)
			goto out;
		done = ret;
		ret = 0;
		if (copy_to_user(u64_to_user_ptr(req.handles), handles,
				 done * sizeof(*handles))) {
			bb_owner_free_bulk(owner, handles, done, &done);
			ret = -EFAULT;
			goto out;
		}
	} else {
		if (copy_from_user(handles, u64_to_user_ptr(req.handles),
				   req.nr * sizeof(*handles))) {
			ret = -EFAULT;
			goto out;
		}
		ret = bb_owner_free_bulk(owner, handles, req.nr, &done);
	}
	req.nr_done = done;
	if (copy_to_user(argp, &req, sizeof(req)) && !ret)
		ret = -EFAULT;
out:
	kvfree(handles);
	return ret;
}

static long bb_ioctl_free(struct bb_owner *owner, void __user *argp)
{
	struct bb_free_req req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.handle > U32_MAX)
		return -ENOENT;
	return bb_owner_free(owner, req.handle);
}

static long bb_ioctl_rw(struct bb_owner *owner, void __user *argp, bool write)
{
	struct bb_rw_req req;
	struct iov_iter iter;
	void __user *buf;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.handle > U32_MAX)
		return -ENOENT;
	if (req.length > (PAGE_SIZE << (BB_MAX_ORDER - 1)))
		return -EINVAL;
	buf = u64_to_user_ptr(req.buf);
	if (!access_ok(buf, req.length))
		return -EFAULT;
	iov_iter_ubuf(&iter, write ? ITER_SOURCE : ITER_DEST, buf, req.length);
	return bb_owner_rw(owner, req.handle, req.offset, &iter, write);
}

static long bb_ioctl_stats(struct bb_owner *owner, void __user *argp)
{
	struct bb_sandbox *sb = owner->sb;
	struct bb_stats st = { };
	struct bb_zone *zone;
	int i;

	st.region_pages = sb->region.nr_pages;
	st.free_pages = bb_sandbox_free_pages(sb);
	st.nr_nodes = sb->nr_nodes;
	for (zone = bb_first_zone(sb); zone; zone = bb_next_zone(sb, zone)) {
		if (bb_populated_zone(zone))
			st.nr_zones++;
		st.pgalloc += bb_zone_stat(zone, BB_PGALLOC);
		st.pgfree += bb_zone_stat(zone, BB_PGFREE);
		st.fallbacks += bb_zone_stat(zone, BB_ALLOC_FALLBACK);
		st.steals += bb_zone_stat(zone, BB_ALLOC_STEAL);
		st.claims += bb_zone_stat(zone, BB_ALLOC_CLAIM);
	}
	for (i = 0; i < BB_NR_FAIL_REASONS; i++)
		st.alloc_fail += atomic_long_read(&sb->alloc_fail[i]);
	mutex_lock(&owner->lock);
	st.fd_allocations = owner->nr_allocs;
	st.fd_pages = owner->nr_pages;
	mutex_unlock(&owner->lock);
	return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
}

static long bb_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct bb_dev_file *f = file->private_data;
	void __user *argp = (void __user *)arg;
	struct bb_owner *owner;
	long ret;

	if (cmd == BB_IOC_ATTACH)
		return bb_ioctl_attach(f, argp);
	/* not ours: no reason to bind the descriptor */
	if (_IOC_TYPE(cmd) != BB_IOC_MAGIC)
		return -ENOTTY;
	owner = bb_dev_owner(f);
	if (IS_ERR(owner))
		return PTR_ERR(owner);

	/* the OOM killer took everything: the descriptor is only told so */
	if (READ_ONCE(owner->oom_killed))
		return -EIO;

	switch (cmd) {
	case BB_IOC_ALLOC:
		ret = bb_ioctl_alloc(owner, argp);
		break;
	case BB_IOC_FREE:
		ret = bb_ioctl_free(owner, argp);
		break;
	case BB_IOC_WRITE:
		return bb_ioctl_rw(owner, argp, true);
	case BB_IOC_READ:
		return bb_ioctl_rw(owner, argp, false);
	case BB_IOC_STATS:
		return bb_ioctl_stats(owner, argp);
	case BB_IOC_ALLOC_BULK:
		ret = bb_ioctl_bulk(owner, argp, true);
		break;
	case BB_IOC_FREE_BULK:
		ret = bb_ioctl_bulk(owner, argp, false);
		break;
	case BB_IOC_LOOKUP:
		return bb_ioctl_lookup(owner, argp);
	case BB_IOC_OOM_SCORE_ADJ:
		return bb_ioctl_oom_score_adj(owner, argp);
	default:
		return -ENOTTY;
	}
	/* daemons=sync: what the request woke runs now, as after a control line */
	bb_run_pending_daemons(owner->sb);
	return ret;
}

/* EPOLLPRI | EPOLLERR once the OOM killer chose this descriptor */
static __poll_t bb_dev_poll(struct file *file, poll_table *wait)
{
	struct bb_dev_file *f = file->private_data;

	poll_wait(file, &f->bind_wait, wait);
	/* not bound yet (pairs with bb_dev_bind()): nothing to report */
	if (!smp_load_acquire(&f->box))
		return 0;
	poll_wait(file, &f->owner.oom_wait, wait);
	if (READ_ONCE(f->owner.oom_killed))
		return EPOLLPRI | EPOLLERR;
	return 0;
}

static const struct file_operations bb_dev_fops = {
	.owner = THIS_MODULE,
	.open = bb_dev_open,
	.release = bb_dev_release,
	.unlocked_ioctl = bb_dev_ioctl,
	.poll = bb_dev_poll,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice bb_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "buddybox",
	.fops = &bb_dev_fops,
	.mode = 0600,
};

int bb_chardev_init(void)
{
	return misc_register(&bb_miscdev);
}

void bb_chardev_exit(void)
{
	misc_deregister(&bb_miscdev);
}
