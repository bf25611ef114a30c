/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_CHARDEV_H
#define _BUDDYBOX_CHARDEV_H

int bb_chardev_init(void);
void bb_chardev_exit(void);

#endif /* _BUDDYBOX_CHARDEV_H */
