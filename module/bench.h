/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _BUDDYBOX_BENCH_H
#define _BUDDYBOX_BENCH_H

struct bb_sandbox;
struct bb_bench;
struct dentry;

/* The sandbox's own memory: descriptors, pageblock array, pcp lists... */
unsigned long bb_sandbox_metadata_bytes(struct bb_sandbox *sb);

/* The debugfs file "bench" of a sandbox's folder (debugfs.c calls them). */
struct bb_bench *bb_bench_debugfs_init(struct dentry *dir,
				       struct bb_sandbox *sb);
void bb_bench_release(struct bb_bench *b);

#endif /* _BUDDYBOX_BENCH_H */
