/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_DEBUGFS_H
#define _BUDDYBOX_DEBUGFS_H

struct bb_sandbox;

int bb_debugfs_init(struct bb_sandbox *sb);
void bb_debugfs_exit(void);

#endif /* _BUDDYBOX_DEBUGFS_H */
