/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bbsim's tests: a byte string read as a sandbox and a sequence of
 * operations on it, with the consistency checker after each.  The seeded
 * random runs (random.c) feed it bytes from a PRNG, the fuzz target
 * (fuzz.c) the fuzzer's input.
 */
#ifndef _BB_OPS_H
#define _BB_OPS_H

#include "buddybox.h"

struct bb_ops_stats {
	unsigned long ops;		/* operations run */
	unsigned long allocs;		/* allocations that succeeded */
	unsigned long alloc_failed;
	unsigned long verified;		/* allocations whose bytes were read back */
	unsigned long oom_kills;	/* owners the OOM killer chose */
	unsigned long daemon_wakes;	/* kswapd_wake + compact_daemon_wake */
};

/*
 * Run what @data says.  On an inconsistency (the checker, a WARN, bytes
 * that changed under an allocation, pages lost at the end) it prints what
 * and where to stderr and aborts: the fuzzer records a crash, the random
 * test dies with the seed in its output.  @log, if not NULL, gets one
 * line an operation.
 */
void bb_ops_run(const u8 *data, size_t len, FILE *log,
		struct bb_ops_stats *stats);

/*
 * Policy words ("fallback=6.10 ...", as a create line's) that every
 * sandbox of bb_ops_run() gets on top of what the bytes say; NULL: none.
 */
extern const char *bb_ops_policy;

/* corruptions the checker must report: the number it missed, -1 on error */
int bb_ops_checker_selftest(void);

#endif /* _BB_OPS_H */
