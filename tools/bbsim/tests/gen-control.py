#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded control lines for the module-versus-bbsim agreement test.

    gen-control.py SEED COUNT [--busy SIZE_MB] [--vmstat] > commands

Allocations of orders 0..10 and many gfp masks (zones, migratetypes,
__GFP_HIGH, __GFP_NORETRY, ...), frees of live handles, drains, compactions
and tunable writes.  The run must not depend on when a daemon runs, since
the module's kswapd and kcompactd are threads: so the first lines turn off
proactive compaction and watermark boosting, no gfp mask has
__GFP_KSWAPD_RECLAIM (nothing wakes kswapd, and kswapd is what wakes
kcompactd), and the live pages stay under a third of the region so that
the allocations succeed.  The handles are predicted (control numbers them
1, 2, ... as they succeed); a failed allocation makes a later free refer to
a handle that is not live, which fails alike on both sides.

--busy SIZE_MB is the opposite, for bbsim's own tests of its daemons: gfp
masks that wake kswapd, cache allocations for it to reclaim, and live pages
up to the whole region of a sandbox of SIZE_MB, so that kswapd and
kcompactd have work.

--vmstat makes half the drains a round of the vmstat worker instead
("vmstat": pcp_high=6.7's decay of each list's high); without it the
lines are those of earlier versions, seed for seed.
"""
import random
import sys

SIZE_MB = 128           # tools/bbsim/tests/agree.sh makes the sandbox
PAGES = SIZE_MB * 256
BUDGET = PAGES // 3

# no __GFP_KSWAPD_RECLAIM anywhere: see above
DIRECT = "__GFP_DIRECT_RECLAIM|__GFP_IO|__GFP_FS"
GFPS = [
    DIRECT,
    DIRECT + "|__GFP_MOVABLE",
    DIRECT + "|__GFP_RECLAIMABLE",
    DIRECT + "|__GFP_DMA",
    DIRECT + "|__GFP_DMA32",
    DIRECT + "|__GFP_DMA32|__GFP_MOVABLE",
    DIRECT + "|__GFP_HIGHMEM|__GFP_MOVABLE",
    DIRECT + "|__GFP_NORETRY",
    DIRECT + "|__GFP_RETRY_MAYFAIL|__GFP_MOVABLE",
    DIRECT + "|__GFP_NOWARN|__GFP_RECLAIMABLE",
    "__GFP_HIGH|__GFP_ATOMIC",
    "__GFP_HIGH|__GFP_ATOMIC|__GFP_DMA32",
    "__GFP_HIGH",
    "0",
    "__GFP_MOVABLE",
    "__GFP_IO|__GFP_FS|__GFP_RECLAIMABLE",
]
ORDERS = [0] * 30 + [1] * 12 + [2] * 8 + [3] * 8 + [4] * 3 + [5] * 2 + \
    [6, 7, 8, 9, 9, 10]
TUNABLES = [
    ("min_free_kbytes", [512, 1024, 2048, 4096]),
    ("watermark_scale_factor", [10, 50, 200]),
    ("percpu_pagelist_high_fraction", [0, 8, 64]),
    ("percpu_pagelist_batch", [0, 1, 7, 31]),
    ("extfrag_threshold", [0, 500, 1000]),
]


BUSY_GFPS = ["GFP_KERNEL", "GFP_KERNEL|__GFP_MOVABLE", "GFP_HIGHUSER_MOVABLE",
             "GFP_KERNEL|__GFP_RECLAIMABLE", "GFP_ATOMIC", "GFP_NOWAIT",
             "GFP_KERNEL|__GFP_NORETRY", "GFP_KERNEL|__GFP_DMA32"]


def main():
    global GFPS, BUDGET
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    vmstat = "--vmstat" in sys.argv[3:]
    args = [a for a in sys.argv[3:] if a != "--vmstat"]
    busy = len(args) > 1 and args[0] == "--busy"
    rng = random.Random(seed)
    out = ["set compaction_proactiveness=0", "set watermark_boost_factor=0"]
    if busy:
        GFPS = BUSY_GFPS
        BUDGET = int(args[1]) * 256 * 21 // 20     # a bit more than all
        out = []
    live = {}           # handle -> pages
    pages = 0
    next_handle = 1
    while len(out) < count:
        r = rng.random()
        if r < 0.50:
            order = rng.choice(ORDERS)
            n = rng.choice([1, 1, 1, 2, 4]) if order < 4 else 1
            if pages + (n << order) > BUDGET:
                r = 0.6     # free instead
            else:
                out.append("alloc order=%d gfp=%s%s%s" % (
                    order, rng.choice(GFPS),
                    " count=%d" % n if n > 1 else "",
                    " flags=cache" if busy and rng.random() < 0.4 else ""))
                for _ in range(n):
                    live[next_handle] = 1 << order
                    next_handle += 1
                pages += n << order
                continue
        if r < 0.90:
            if not live:
                continue
            h = rng.choice(sorted(live))
            pages -= live.pop(h)
            out.append("free handle=%d" % h)
        elif r < 0.94:
            out.append("vmstat" if vmstat and rng.random() < 0.5 else "drain")
        elif r < 0.96:
            zone = rng.choice(["", " zone=DMA", " zone=DMA32", " zone=Normal"])
            out.append("compact" + zone)
        else:
            name, values = rng.choice(TUNABLES)
            out.append("set %s=%d" % (name, rng.choice(values)))
    sys.stdout.write("\n".join(out[:count]) + "\n")


if __name__ == "__main__":
    main()
