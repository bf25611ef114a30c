/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_BENCH_H
#define _BUDDYBOX_BENCH_H

struct bb_sandbox;
struct dentry;

/* The sandbox's own memory: descriptors, pageblock array, pcp lists... */
unsigned long bb_sandbox_metadata_bytes(struct bb_sandbox *sb);

/* Creates the debugfs file "bench" in @dir (debugfs.c calls it). */
void bb_bench_debugfs_init(struct dentry *dir, struct bb_sandbox *sb);

#endif /* _BUDDYBOX_BENCH_H */
