/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_DEBUGFS_H
#define _BUDDYBOX_DEBUGFS_H

struct bb_sandbox;
struct bb_dbg_box;

void bb_debugfs_init(void);
void bb_debugfs_start(void);
void bb_debugfs_stop(void);
void bb_debugfs_exit(void);
struct bb_dbg_box *bb_debugfs_add(const char *name, struct bb_sandbox *sb);
void bb_debugfs_remove(struct bb_dbg_box *d);

#endif /* _BUDDYBOX_DEBUGFS_H */
