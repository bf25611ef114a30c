/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_SANDBOXES_H
#define _BUDDYBOX_SANDBOXES_H

#include <linux/list.h>

#include "buddybox.h"

struct bb_dbg_box;
struct seq_file;

/* The name of the sandbox a descriptor works on unless it attaches. */
#define BB_DEFAULT_SANDBOX	"default"

/*
 * A sandbox of the module: the core's struct bb_sandbox, its name and what
 * the interfaces keep for it.  @attached and @dying are under the
 * registry's lock; the rest is set before the box is listed.
 */
struct bb_box {
	struct list_head node;		/* in the registry's list */
	char name[BB_SANDBOX_NAME_MAX + 1];
	struct bb_sandbox *sb;
	struct bb_dbg_box *dbg;		/* its debugfs folder, or NULL */
	unsigned int attached;		/* descriptors working on it */
	bool dying;			/* destroy has begun */
};

bool bb_box_name_valid(const char *name);
int bb_box_create(const struct bb_config *cfg);
int bb_box_create_line(const char *name, char *args);
int bb_box_destroy(const char *name);
void bb_boxes_destroy_all(void);
struct bb_box *bb_box_attach(const char *name);
void bb_box_detach(struct bb_box *box);
void bb_boxes_show(struct seq_file *m);

#endif /* _BUDDYBOX_SANDBOXES_H */
