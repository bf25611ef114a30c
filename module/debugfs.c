// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the debugfs interface, /sys/kernel/debug/buddybox/.
 *
 * A thin layer over the core: it formats what the core keeps and parses
 * what the user writes, nothing else.
 *
 *   control				"create NAME key=value ..." and
 *					"destroy NAME" (write only)
 *   sandboxes				the sandboxes, one a line
 *
 * and a folder for each sandbox, NAME/, with
 *
 *   buddyinfo, pagetypeinfo, zoneinfo	as /proc/buddyinfo, /proc/pagetypeinfo
 *					and /proc/zoneinfo
 *   extfrag/unusable_index,
 *   extfrag/extfrag_index		as /sys/kernel/debug/extfrag/
 *   vmstat				the sandbox's counters, "name value"
 *   policy				the rules' generations (core/policy.c)
 *   fallbacks, pageblocks		claims, steals, pollutions; pure and
 *					mixed pageblocks (core/fragstat.c)
 *   pageblock_map			every pageblock: type, free pages, the
 *					types of its allocations (core/pbmap.c)
 *   min_free_kbytes, watermark_scale_factor,
 *   watermark_boost_factor,
 *   percpu_pagelist_high_fraction,
 *   lowmem_reserve_ratio		the tunables, as in /proc/sys/vm/
 *   percpu_pagelist_batch		pcp->batch of every zone, 0: the default
 *   defrag_mode			6.15's vm.defrag_mode: 0 or 1, written
 *					only to a sandbox of fallback=6.15
 *   check				runs the consistency checker
 *   control				alloc/free commands (write only)
 *   allocations			what control allocated and still holds
 *   bench				the in-kernel benchmark (bench.c)
 *   fail_page_alloc/			fault injection: the kernel's knobs
 *					(probability, interval, times, ...)
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
#include "sandboxes.h"

/* The longest write taken by control, lowmem_reserve_ratio, a tunable. */
#define BB_DBG_CONTROL_MAX	PAGE_SIZE
#define BB_DBG_RATIO_MAX	256
#define BB_DBG_NUMBER_MAX	64

static struct dentry *bb_dbg_root;
static struct dentry *bb_dbg_control_file;
static struct dentry *bb_dbg_sandboxes_file;

/* A tunable's file: which one, of which sandbox. */
struct bb_dbg_tunable {
	struct bb_sandbox *sb;
	const struct bb_tunable *t;
};

/* A file of fail_page_alloc/: which knob, of which sandbox. */
struct bb_dbg_fpa {
	struct bb_sandbox *sb;
	unsigned int knob;
};

/* What the folder of one sandbox keeps. */
struct bb_dbg_box {
	struct bb_sandbox *sb;
	struct dentry *dir;
	struct bb_dbg_fpa fpa[BB_FPA_NR_KNOBS];
	/* the allocations made through its control belong to the module */
	struct bb_control control;
	struct bb_bench *bench;
	unsigned int nr_tunables;
	struct bb_dbg_tunable tunables[];
};

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

static int policy_show(struct seq_file *m, void *v)
{
	bb_show_policy(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policy);

static int fallbacks_show(struct seq_file *m, void *v)
{
	bb_show_fallbacks(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fallbacks);

static int pageblocks_show(struct seq_file *m, void *v)
{
	bb_show_pageblocks(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pageblocks);

static int pageblock_map_show(struct seq_file *m, void *v)
{
	bb_show_pageblock_map(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pageblock_map);

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

static char *bb_dbg_copy_string(const char __user *ubuf, size_t count);

static int bb_dbg_tunable_show(struct seq_file *m, void *v)
{
	const struct bb_dbg_tunable *dt = m->private;

	seq_printf(m, "%d\n", bb_tunable_get(dt->sb, dt->t));
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
	const struct bb_dbg_tunable *dt = m->private;
	char *buf;
	int val, ret;

	if (!count)
		return 0;
	/* the whole number, not its first bytes: no silent cut */
	if (count > BB_DBG_NUMBER_MAX)
		return -EINVAL;
	buf = bb_dbg_copy_string(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = kstrtoint(buf, 10, &val);
	kfree(buf);
	if (ret)
		return -EINVAL;
	ret = dt->t->set(dt->sb, val);
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

/* fail_page_alloc/: one file a knob, read and written as the kernel's */

/* the longest value written: a long in decimal, its sign and a newline */
#define BB_DBG_FPA_MAX	24

static ssize_t bb_dbg_fpa_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	const struct bb_dbg_fpa *df = file->private_data;
	char buf[BB_DBG_FPA_MAX];
	int len = bb_fpa_show(df->sb, df->knob, buf, sizeof(buf));

	if (len < 0)
		return len;
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t bb_dbg_fpa_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	const struct bb_dbg_fpa *df = file->private_data;
	char *buf;
	int ret;

	if (!count)
		return 0;
	if (count > BB_DBG_FPA_MAX) {
		pr_err("fail_page_alloc/%s: a value of %zu bytes is too long\n",
		       bb_fpa_knob_name(df->knob), count);
		return -EINVAL;
	}
	buf = bb_dbg_copy_string(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = bb_fpa_store(df->sb, df->knob, strim(buf));
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations bb_dbg_fpa_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = bb_dbg_fpa_read,
	.write = bb_dbg_fpa_write,
	.llseek = default_llseek,
};

static void bb_dbg_fpa_add(struct bb_dbg_box *d)
{
	struct dentry *dir = debugfs_create_dir("fail_page_alloc", d->dir);
	unsigned int i;

	for (i = 0; i < BB_FPA_NR_KNOBS; i++) {
		d->fpa[i].sb = d->sb;
		d->fpa[i].knob = i;
		debugfs_create_file(bb_fpa_knob_name(i), 0600, dir, &d->fpa[i],
				    &bb_dbg_fpa_fops);
	}
}

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
	ret = bb_control_run(file->private_data, buf, &err);
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

/* the top-level control: "create NAME key=value ...", "destroy NAME" */

static int bb_dbg_sandbox_line(char *line)
{
	char none[1] = "";
	char *cmd, *name;

	cmd = bb_next_token(&line, " \t");
	if (!cmd)
		return 0;
	name = bb_next_token(&line, " \t");
	if (!strcmp(cmd, "create")) {
		if (!name) {
			pr_err("control: create needs a NAME\n");
			return -EINVAL;
		}
		return bb_box_create_line(name, line ?: none);
	}
	if (!strcmp(cmd, "destroy")) {
		if (!name || bb_next_token(&line, " \t")) {
			pr_err("control: destroy takes one NAME\n");
			return -EINVAL;
		}
		return bb_box_destroy(name);
	}
	pr_err("control: unknown command '%s': create or destroy\n", cmd);
	return -EINVAL;
}

/* one command a line; the lines run in order, up to the first that fails */
static ssize_t sandboxes_control_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	char *buf, *rest, *line;
	int ret = 0;

	if (!count)
		return 0;
	if (count > BB_DBG_CONTROL_MAX)
		return -EINVAL;
	buf = bb_dbg_copy_string(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	rest = buf;
	while (!ret && (line = strsep(&rest, "\n")))
		ret = bb_dbg_sandbox_line(line);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations sandboxes_control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sandboxes_control_write,
	.llseek = noop_llseek,
};

static int sandboxes_show(struct seq_file *m, void *v)
{
	bb_boxes_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sandboxes);

/* a sandbox's folder */

/*
 * The folder of the sandbox @sb, named @name; NULL when debugfs is not
 * there (the sandbox works on without it), an ERR_PTR when the folder
 * cannot be made.  Its files that fail are missing, as the kernel does.
 */
struct bb_dbg_box *bb_debugfs_add(const char *name, struct bb_sandbox *sb)
{
	struct dentry *dir, *extfrag;
	struct bb_dbg_box *d;
	unsigned int i, n;

	if (IS_ERR_OR_NULL(bb_dbg_root))
		return NULL;
	for (n = 0; bb_tunable(n); n++)
		;
	d = kzalloc(struct_size(d, tunables, n), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	dir = debugfs_create_dir(name, bb_dbg_root);
	if (IS_ERR(dir)) {
		kfree(d);
		return ERR_CAST(dir);
	}
	d->sb = sb;
	d->dir = dir;
	d->nr_tunables = n;
	bb_control_init(&d->control, sb);

	debugfs_create_file("buddyinfo", 0400, dir, sb, &buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, dir, sb, &pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, dir, sb, &zoneinfo_fops);
	extfrag = debugfs_create_dir("extfrag", dir);
	debugfs_create_file("unusable_index", 0400, extfrag, sb,
			    &unusable_index_fops);
	debugfs_create_file("extfrag_index", 0400, extfrag, sb,
			    &extfrag_index_fops);
	debugfs_create_file("vmstat", 0400, dir, sb, &vmstat_fops);
	debugfs_create_file("policy", 0400, dir, sb, &policy_fops);
	debugfs_create_file("fallbacks", 0400, dir, sb, &fallbacks_fops);
	debugfs_create_file("pageblocks", 0400, dir, sb, &pageblocks_fops);
	debugfs_create_file("pageblock_map", 0400, dir, sb, &pageblock_map_fops);

	for (i = 0; i < n; i++) {
		d->tunables[i].sb = sb;
		d->tunables[i].t = bb_tunable(i);
		debugfs_create_file(d->tunables[i].t->name, 0600, dir,
				    &d->tunables[i], &bb_dbg_tunable_fops);
	}
	debugfs_create_file("lowmem_reserve_ratio", 0600, dir, sb,
			    &lowmem_reserve_ratio_fops);

	debugfs_create_file("check", 0400, dir, sb, &check_fops);
	debugfs_create_file("control", 0200, dir, &d->control, &control_fops);
	debugfs_create_file("allocations", 0400, dir, &d->control,
			    &allocations_fops);
	d->bench = bb_bench_debugfs_init(dir, sb);
	bb_dbg_fpa_add(d);
	return d;
}

/* The folder goes, then what its files used; @d may be NULL or an error. */
void bb_debugfs_remove(struct bb_dbg_box *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	/* waits for the files' users: no write to control is in flight after */
	debugfs_remove_recursive(d->dir);
	bb_control_release(&d->control);
	bb_bench_release(d->bench);
	kfree(d);
}

/* init and exit */

/*
 * debugfs failures are not fatal (the kernel's convention): a file that
 * could not be made is missing, and the module works on without it.
 */
void bb_debugfs_init(void)
{
	bb_dbg_root = debugfs_create_dir("buddybox", NULL);
}

/* The top-level files, once the insmod sandbox is there. */
void bb_debugfs_start(void)
{
	bb_dbg_sandboxes_file = debugfs_create_file("sandboxes", 0400,
						    bb_dbg_root, NULL,
						    &sandboxes_fops);
	bb_dbg_control_file = debugfs_create_file("control", 0200, bb_dbg_root,
						  NULL, &sandboxes_control_fops);
}

/* Before the sandboxes go: no create or destroy runs after it. */
void bb_debugfs_stop(void)
{
	debugfs_remove(bb_dbg_control_file);
	debugfs_remove(bb_dbg_sandboxes_file);
	bb_dbg_control_file = NULL;
	bb_dbg_sandboxes_file = NULL;
}

void bb_debugfs_exit(void)
{
	debugfs_remove_recursive(bb_dbg_root);
	bb_dbg_root = NULL;
}
