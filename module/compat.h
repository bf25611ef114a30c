/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddybox: what differs between the host kernels the module builds for.
 *
 * buddybox is built and tested on Debian 12's Linux 6.1 and 6.12.  Every
 * difference between their APIs that the module meets is dealt with here,
 * keyed on LINUX_VERSION_CODE, with a line saying which kernel changed what;
 * no other file tests the kernel's version.  The sandbox's allocator is the
 * same on either host (it mirrors 6.1's rules), and its constants
 * (BB_MAX_ORDER, BB_PAGEBLOCK_ORDER...) are its own, not the host's.
 *
 * Differences met with one spelling that builds on both, so no #if:
 * - import_single_range() (6.1) is gone by 6.12: chardev.c builds its
 *   iov_iter with access_ok() and iov_iter_ubuf(), which 6.1 has too.
 * - alloc_contig_range() became a macro over alloc_contig_range_noprof()
 *   (6.10, allocation profiling): callers are unchanged.
 * - MAX_ORDER became inclusive in 6.4 and MAX_PAGE_ORDER in 6.8: the module
 *   uses neither.
 * - no_llseek is gone by 6.12: the module's files use noop_llseek or
 *   seq_lseek, as on 6.1.
 * - strlcpy() is gone by 6.12 and class_create() lost its module argument
 *   in 6.4: the module uses neither (it copies no C strings that way;
 *   /dev/buddybox is a misc device).
 */
#ifndef BB_COMPAT_H
#define BB_COMPAT_H

#include <linux/version.h>

/* The host's series, major.minor: 6.1 and 6.12 are the supported ones */
#define BB_HOST_SERIES		(LINUX_VERSION_CODE >> 8)
#define BB_SERIES(a, b)		(KERNEL_VERSION(a, b, 0) >> 8)

/* Kbuild refuses other kernels first; this catches a build that bypasses it */
#if BB_HOST_SERIES != BB_SERIES(6, 1) && BB_HOST_SERIES != BB_SERIES(6, 12)
#error "buddybox supports Linux 6.1 and 6.12 only"
#endif

#endif /* BB_COMPAT_H */
