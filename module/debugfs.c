// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the debugfs interface, /sys/kernel/debug/buddybox/.
 *
 * A thin layer over the core: it formats what the core keeps and parses
 * what the user writes, nothing else.
 *
 *   buddyinfo, pagetypeinfo, zoneinfo	as /proc/buddyinfo, /proc/pagetypeinfo
 *					and /proc/zoneinfo
 *   extfrag/unusable_index,
 *   extfrag/extfrag_index		as /sys/kernel/debug/extfrag/
 *   vmstat				the sandbox's counters, "name value"
 *   min_free_kbytes, watermark_scale_factor,
 *   watermark_boost_factor,
 *   percpu_pagelist_high_fraction,
 *   lowmem_reserve_ratio		the tunables, as in /proc/sys/vm/
 *   percpu_pagelist_batch		pcp->batch of every zone, 0: the default
 *   check				runs the consistency checker
 *   control				alloc/free commands (write only)
 *   allocations			what control allocated and still holds
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "buddybox.h"
#include "bench.h"
#include "debugfs.h"

/* The longest write taken by control and lowmem_reserve_ratio. */
#define BB_DBG_CONTROL_MAX	PAGE_SIZE
#define BB_DBG_RATIO_MAX	256

static struct bb_sandbox *bb_dbg_sb;
static struct dentry *bb_dbg_dir;

/* The allocations made through control belong to the module. */
static struct bb_control bb_dbg_control;

/* the files that show what the core formats */

static int buddyinfo_show(struct seq_file *m, void *v)
{
	bb_show_buddyinfo(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(buddyinfo);

static int pagetypeinfo_show(struct seq_file *m, void *v)
{
	bb_show_pagetypeinfo(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pagetypeinfo);

static int zoneinfo_show(struct seq_file *m, void *v)
{
	bb_show_zoneinfo(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zoneinfo);

static int unusable_index_show(struct seq_file *m, void *v)
{
	bb_show_extfrag(m, m->private, true);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(unusable_index);

static int extfrag_index_show(struct seq_file *m, void *v)
{
	bb_show_extfrag(m, m->private, false);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(extfrag_index);

static int vmstat_show(struct seq_file *m, void *v)
{
	bb_show_vmstat(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmstat);

static int allocations_show(struct seq_file *m, void *v)
{
	bb_show_allocations(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(allocations);

static int check_show(struct seq_file *m, void *v)
{
	return bb_show_check(m, m->private);
}

/* Big enough for the whole report: seq_read would run show() again. */
static int check_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, check_show, inode->i_private,
				BB_CHECK_REPORT_SIZE);
}

static const struct file_operations check_fops = {
	.owner = THIS_MODULE,
	.open = check_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* the integer tunables */

static int bb_dbg_tunable_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", bb_tunable_get(bb_dbg_sb, m->private));
	return 0;
}

static int bb_dbg_tunable_open(struct inode *inode, struct file *file)
{
	return single_open(file, bb_dbg_tunable_show, inode->i_private);
}

static ssize_t bb_dbg_tunable_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	const struct bb_tunable *t = m->private;
	int val, ret;

	if (!count)
		return 0;
	ret = kstrtoint_from_user(ubuf, count, 10, &val);
	if (ret)
		return ret == -EFAULT ? -EFAULT : -EINVAL;
	ret = t->set(bb_dbg_sb, val);
	if (ret)
		return ret;
	return count;
}

static const struct file_operations bb_dbg_tunable_fops = {
	.owner = THIS_MODULE,
	.open = bb_dbg_tunable_open,
	.read = seq_read,
	.write = bb_dbg_tunable_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* lowmem_reserve_ratio: one integer per zone type, as the sysctl */

static int lowmem_reserve_ratio_show(struct seq_file *m, void *v)
{
	struct bb_sandbox *sb = m->private;
	int ratio[BB_MAX_NR_ZONES];
	int i;

	mutex_lock(&sb->tunable_lock);
	memcpy(ratio, sb->lowmem_reserve_ratio, sizeof(ratio));
	mutex_unlock(&sb->tunable_lock);

	for (i = 0; i < BB_MAX_NR_ZONES; i++)
		seq_printf(m, "%s%d", i ? "\t" : "", ratio[i]);
	seq_putc(m, '\n');
	return 0;
}

static int lowmem_reserve_ratio_open(struct inode *inode, struct file *file)
{
	return single_open(file, lowmem_reserve_ratio_show, inode->i_private);
}

/* The user's bytes as a string; a NUL inside would hide what follows it. */
static char *bb_dbg_copy_string(const char __user *ubuf, size_t count)
{
	char *buf = memdup_user_nul(ubuf, count);

	if (!IS_ERR(buf) && strlen(buf) != count) {
		kfree(buf);
		return ERR_PTR(-EINVAL);
	}
	return buf;
}

static ssize_t lowmem_reserve_ratio_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	int ratio[BB_MAX_NR_ZONES];
	char *buf;
	int ret;

	if (!count)
		return 0;
	if (count > BB_DBG_RATIO_MAX)
		return -EINVAL;
	buf = bb_dbg_copy_string(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = bb_parse_lowmem_reserve_ratio(buf, ratio);
	kfree(buf);
	if (!ret)
		ret = bb_set_lowmem_reserve_ratio(m->private, ratio);
	return ret ? ret : count;
}

static const struct file_operations lowmem_reserve_ratio_fops = {
	.owner = THIS_MODULE,
	.open = lowmem_reserve_ratio_open,
	.read = seq_read,
	.write = lowmem_reserve_ratio_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* control: the lines of control.c, one write a batch */

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct bb_control_error err;
	char *buf;
	int ret;

	if (!count)
		return 0;
	if (count > BB_DBG_CONTROL_MAX)
		return -EINVAL;
	buf = bb_dbg_copy_string(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = bb_control_run(&bb_dbg_control, buf, &err);
	kfree(buf);
	if (ret == -EINVAL && err.what)
		pr_err_ratelimited("control: line %u: %s\n", err.line, err.what);
	return ret ? ret : count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = control_write,
	.llseek = noop_llseek,
};

/* init and exit */

/*
 * debugfs failures are not fatal (the kernel's convention): a file that
 * could not be made is missing, and the module works on without it.
 */
int bb_debugfs_init(struct bb_sandbox *sb)
{
	const struct bb_tunable *t;
	struct dentry *dir, *extfrag;
	unsigned int i;

	bb_dbg_sb = sb;
	bb_control_init(&bb_dbg_control, sb);

	dir = debugfs_create_dir("buddybox", NULL);
	bb_dbg_dir = dir;

	debugfs_create_file("buddyinfo", 0400, dir, sb, &buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, dir, sb, &pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, dir, sb, &zoneinfo_fops);
	extfrag = debugfs_create_dir("extfrag", dir);
	debugfs_create_file("unusable_index", 0400, extfrag, sb,
			    &unusable_index_fops);
	debugfs_create_file("extfrag_index", 0400, extfrag, sb,
			    &extfrag_index_fops);
	debugfs_create_file("vmstat", 0400, dir, sb, &vmstat_fops);

	/* the descriptors are only read: debugfs just wants a void * */
	for (i = 0; (t = bb_tunable(i)); i++)
		debugfs_create_file(t->name, 0600, dir, (void *)t,
				    &bb_dbg_tunable_fops);
	debugfs_create_file("lowmem_reserve_ratio", 0600, dir, sb,
			    &lowmem_reserve_ratio_fops);

	debugfs_create_file("check", 0400, dir, sb, &check_fops);
	debugfs_create_file("control", 0200, dir, sb, &control_fops);
	debugfs_create_file("allocations", 0400, dir, &bb_dbg_control,
			    &allocations_fops);
	bb_bench_debugfs_init(dir, sb);
	return 0;
}

void bb_debugfs_exit(void)
{
	if (!bb_dbg_sb)
		return;
	/* waits for the files' users: no write to control is in flight after */
	debugfs_remove_recursive(bb_dbg_dir);
	bb_dbg_dir = NULL;
	bb_control_release(&bb_dbg_control);
	bb_dbg_sb = NULL;
}
