// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the module's sandboxes, by name.
 *
 * The insmod parameters make the first one; debugfs "create NAME ..." and
 * "destroy NAME" make and end the others at run time.  A descriptor of
 * /dev/buddybox attaches to one (bb_box_attach()) and keeps it alive: its
 * destroy answers -EBUSY until the descriptor is closed.
 *
 * One mutex guards the list and each box's @attached and @dying; another
 * serialises the creations, so that the memory check and the reservation
 * that follows it are not raced by another create, and a name is checked
 * free and listed by the same creator.  A sandbox is built outside the
 * list's lock: attaching to the others goes on meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "buddybox.h"
#include "debugfs.h"
#include "sandboxes.h"

static LIST_HEAD(bb_boxes);
static DEFINE_MUTEX(bb_boxes_lock);	/* the list, ->attached, ->dying */
static DEFINE_MUTEX(bb_boxes_create_lock);

/* The names of the top-level debugfs files cannot name a sandbox. */
static const char * const bb_box_reserved[] = { "control", "sandboxes" };

bool bb_box_name_valid(const char *name)
{
	size_t len = strnlen(name, BB_SANDBOX_NAME_MAX + 1);
	unsigned int i;

	if (!len || len > BB_SANDBOX_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	for (i = 0; i < ARRAY_SIZE(bb_box_reserved); i++)
		if (!strcmp(name, bb_box_reserved[i]))
			return false;
	return true;
}

/* under bb_boxes_lock; dying boxes too: their name is not free yet */
static struct bb_box *bb_box_find(const char *name)
{
	struct bb_box *box;

	list_for_each_entry(box, &bb_boxes, node)
		if (!strcmp(box->name, name))
			return box;
	return NULL;
}

/*
 * The region comes in one piece, with its page descriptors (under 0.5 %
 * of it, counted here as 1/128): ask for it only when the host keeps a
 * sixteenth of its memory, 32 MiB at least, available beside it.  A size
 * the machine cannot give is refused here, with its name, rather than by
 * a vmalloc failing (and warning) halfway.
 */
static int bb_box_fits(const struct bb_config *cfg)
{
	unsigned long total = totalram_pages();
	unsigned long avail = si_mem_available();
	unsigned long keep = max(total / 16, 32UL << (20 - PAGE_SHIFT));
	unsigned long want;

	if (cfg->size_mb > (total >> (20 - PAGE_SHIFT))) {
		pr_err("size_mb=%lu: larger than this machine's memory (%lu MiB)\n",
		       cfg->size_mb, total >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}
	want = cfg->size_mb << (20 - PAGE_SHIFT);
	want += want / 128;
	if (want + keep > avail) {
		pr_err("size_mb=%lu: the host has %lu MiB available; a sandbox may take it up to %lu MiB less\n",
		       cfg->size_mb, avail >> (20 - PAGE_SHIFT),
		       keep >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}
	return 0;
}

/*
 * Build the sandbox @cfg describes, named cfg->name, with its debugfs
 * folder, and list it.  On failure nothing of it is left.
 */
int bb_box_create(const struct bb_config *cfg)
{
	struct bb_box *box;
	int ret;

	if (!bb_box_name_valid(cfg->name)) {
		pr_err("name=%s: a name is 1 to %d of a-z, 0-9, _ and -, and not control or sandboxes\n",
		       cfg->name, BB_SANDBOX_NAME_MAX);
		return -EINVAL;
	}
	box = kzalloc(sizeof(*box), GFP_KERNEL);
	if (!box)
		return -ENOMEM;
	strscpy(box->name, cfg->name, sizeof(box->name));

	mutex_lock(&bb_boxes_create_lock);
	mutex_lock(&bb_boxes_lock);
	ret = bb_box_find(box->name) ? -EEXIST : 0;
	mutex_unlock(&bb_boxes_lock);
	if (ret) {
		pr_err("name=%s: a sandbox of that name exists\n", box->name);
		goto out_unlock;
	}
	ret = bb_box_fits(cfg);
	if (ret)
		goto out_unlock;
	ret = bb_sandbox_create(cfg, &box->sb);
	if (ret)
		goto out_unlock;
	box->dbg = bb_debugfs_add(box->name, box->sb);
	if (IS_ERR(box->dbg)) {
		ret = PTR_ERR(box->dbg);
		pr_err("name=%s: cannot make its debugfs folder (%d)\n",
		       box->name, ret);
		bb_sandbox_destroy(box->sb);
		goto out_unlock;
	}
	mutex_lock(&bb_boxes_lock);
	list_add_tail(&box->node, &bb_boxes);
	mutex_unlock(&bb_boxes_lock);
	mutex_unlock(&bb_boxes_create_lock);

	pr_info("sandbox %s: %lu MiB (%s backing, pfn %lu-%lu), %d node(s)\n",
		box->name, cfg->size_mb, cfg->contig ? "contig" : "vmalloc",
		box->sb->region.start_pfn,
		box->sb->region.start_pfn + box->sb->region.nr_pages - 1,
		box->sb->nr_nodes);
	return 0;

out_unlock:
	mutex_unlock(&bb_boxes_create_lock);
	kfree(box);
	return ret;
}

/* "create NAME key=value ...": the rest of the line after NAME is @args */
int bb_box_create_line(const char *name, char *args)
{
	struct bb_control_error err;
	struct bb_config cfg;
	int ret;

	if (!bb_box_name_valid(name)) {
		pr_err("create %s: a name is 1 to %d of a-z, 0-9, _ and -, and not control or sandboxes\n",
		       name, BB_SANDBOX_NAME_MAX);
		return -EINVAL;
	}
	bb_config_default(&cfg);
	strscpy(cfg.name, name, sizeof(cfg.name));
	/* as the insmod sandbox: with its kswapd and kcompactd */
	cfg.daemons = true;
	ret = bb_config_parse(&cfg, args, &err);
	if (!ret)
		return bb_box_create(&cfg);
	if (err.key)
		pr_err("create %s: %s: %s\n", name, err.key, err.what);
	else
		pr_err("create %s: word %u: %s\n", name, err.line, err.what);
	return ret;
}

/* Takes @box off the list and frees it all; it is dying, or unlisted. */
static void bb_box_free(struct bb_box *box)
{
	/* waits for the folder's files: no control write runs after */
	bb_debugfs_remove(box->dbg);
	bb_sandbox_destroy(box->sb);
	mutex_lock(&bb_boxes_lock);
	list_del(&box->node);
	mutex_unlock(&bb_boxes_lock);
	pr_info("sandbox %s destroyed\n", box->name);
	kfree(box);
}

/*
 * -ENOENT for a name no sandbox has (or one already being destroyed),
 * -EBUSY while a descriptor is attached to it, and nothing changes.
 */
int bb_box_destroy(const char *name)
{
	struct bb_box *box;
	int ret = 0;

	mutex_lock(&bb_boxes_lock);
	box = bb_box_find(name);
	if (!box || box->dying) {
		ret = -ENOENT;
		pr_err("destroy %s: no such sandbox\n", name);
	} else if (box->attached) {
		ret = -EBUSY;
		pr_err("destroy %s: %u descriptor(s) of /dev/buddybox attached\n",
		       name, box->attached);
	} else {
		box->dying = true;
	}
	mutex_unlock(&bb_boxes_lock);
	if (ret)
		return ret;
	bb_box_free(box);
	return 0;
}

/*
 * Module exit: no descriptor is open and the top-level control is gone,
 * so nobody attaches, creates or destroys any more.
 */
void bb_boxes_destroy_all(void)
{
	struct bb_box *box;

	for (;;) {
		mutex_lock(&bb_boxes_lock);
		box = list_first_entry_or_null(&bb_boxes, struct bb_box, node);
		if (box) {
			WARN_ON(box->attached);
			box->dying = true;
		}
		mutex_unlock(&bb_boxes_lock);
		if (!box)
			break;
		bb_box_free(box);
	}
}

/*
 * A descriptor's hold on the sandbox named @name; ERR_PTR(-ENOENT) when
 * there is none, or it is being destroyed.
 */
struct bb_box *bb_box_attach(const char *name)
{
	struct bb_box *box;

	mutex_lock(&bb_boxes_lock);
	box = bb_box_find(name);
	if (box && !box->dying)
		box->attached++;
	else
		box = ERR_PTR(-ENOENT);
	mutex_unlock(&bb_boxes_lock);
	return box;
}

void bb_box_detach(struct bb_box *box)
{
	mutex_lock(&bb_boxes_lock);
	box->attached--;
	mutex_unlock(&bb_boxes_lock);
}

/* the debugfs file "sandboxes": one line each, in the order made */
void bb_boxes_show(struct seq_file *m)
{
	struct bb_box *box;

	mutex_lock(&bb_boxes_lock);
	list_for_each_entry(box, &bb_boxes, node) {
		const struct bb_config *cfg = &box->sb->cfg;

		if (box->dying)
			continue;
		seq_printf(m, "%s size_mb=%lu nodes=%d backing=%s attached=%u\n",
			   box->name, cfg->size_mb, cfg->nodes,
			   cfg->contig ? "contig" : "vmalloc", box->attached);
	}
	mutex_unlock(&bb_boxes_lock);
}
