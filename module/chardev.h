/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_CHARDEV_H
#define _BUDDYBOX_CHARDEV_H

struct bb_sandbox;

int bb_chardev_init(struct bb_sandbox *sb);
void bb_chardev_exit(void);

#endif /* _BUDDYBOX_CHARDEV_H */
