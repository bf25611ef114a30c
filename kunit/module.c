// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox_kunit: KUnit suites for the buddybox allocator core.  Each test
 * builds its own small sandbox; the suites run when the module is loaded.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the buddybox allocator core");
