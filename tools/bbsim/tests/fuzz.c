// SPDX-License-Identifier: GPL-2.0
/*
 * bbfuzz: the libFuzzer target.  The input is read by ops.c as a sandbox
 * and a sequence of operations (allocations of any order and gfp, frees,
 * bulk, drain, compact, reclaim, control lines, tunable writes), with the
 * consistency checker after each; any inconsistency aborts.
 *
 *   build/bbsim/bbfuzz -max_total_time=60 CORPUS_DIR tools/bbsim/tests/corpus
 */
#include "ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bb_ops_stats st = { 0 };

	bb_ops_run(data, size, NULL, &st);
	return 0;
}
