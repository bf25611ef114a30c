#!/bin/sh
# t_compact.sh: compaction (issue 4).  bbfrag fills the sandbox with
# movable order-0 pages, frees a random half - no free order-9 block is
# left - and then gets order-9 blocks, which only compaction can make: it
# must get some, with compact_stall and pgmigrate_success risen, every
# byte of every page and block intact, and LOOKUP must show pages that
# were moved.  The debugfs command compact runs, and refuses a bad node or
# zone.  Afterwards check says ok and, once drained, the whole region is
# free and buddyinfo is the initial one again.  A bbfrag run with a byte
# corrupted behind its back must fail (the verification works).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

BBFRAG=${BBFRAG:-$BB/bbfrag}

# the debug test kernel (KASAN, lockdep, kmemleak under TCG) is several
# times slower: a smaller region there
debug=$BB_DEBUG_KERNEL
if [ "$debug" = 1 ]; then
	SIZE_MB=${BB_COMPACT_MB:-48}
else
	SIZE_MB=${BB_COMPACT_MB:-64}
fi
seed=${BB_COMPACT_SEED:-$(date +%s)}
note "kernel $(uname -r) (debug $debug), size_mb=$SIZE_MB, seed $seed"

bb_cleanup
check_insmod "insmod size_mb=$SIZE_MB" size_mb="$SIZE_MB" dma32_mb=16
bb_loaded || bb_done
[ -x "$BBFRAG" ] || { not_ok "$BBFRAG missing"; bb_cleanup; bb_done; }

region=$(bb_vmstat region_pages)
check_eq "region_pages" "$region" $((SIZE_MB * 256))
bb_state initial

# --- bbfrag: the fragmentation scenario -----------------------------------
# First, on a fresh sandbox: a manual compaction leaves pageblock skip
# hints that direct compaction honours (as the kernel's), until kswapd
# clears them or the deferral restarts.
# proactive compaction off: the order-9 blocks come from direct compaction,
# and kcompactd does not defragment between bbfrag's free and its check
p0=$(cat "$BBD/compaction_proactiveness")
check "compaction_proactiveness 0 (was $p0)" bb_write "$BBD/compaction_proactiveness" 0
stall0=$(bb_vmstat compact_stall)
mig0=$(bb_vmstat pgmigrate_success)
start=$(date +%s)
"$BBFRAG" --seed "$seed" --explain-first --memcpy > "$BB_TMP/frag.out" 2>&1
frag_rc=$?
note "bbfrag ran $(($(date +%s) - start)) s, exit $frag_rc:"
sed 's/^/#   /' "$BB_TMP/frag.out"

# frag LINE KEY: the number after KEY on bbfrag's line that starts with LINE
frag() {
	grep "^bbfrag: $1" "$BB_TMP/frag.out" | head -n 1 |
		sed -n "s/.*$2 \\([0-9][0-9]*\\).*/\\1/p"
}
blocks=$(frag 'order-9 blocks obtained' 'obtained:')
theo=$(frag 'order-9 blocks obtained' 'maximum of')
before=$(frag 'before the order-9 phase' 'order >= 9:')
migrated=$(frag 'pages migrated' 'migrated:')
stalls=$(frag 'compaction:' 'compact_stall')
moved=$(frag 'moved order-0 pages' 'pages:')
check_eq "bbfrag exit status" "$frag_rc" 0
check_eq "bbfrag: ok" "$(tail -n 1 "$BB_TMP/frag.out")" "bbfrag: ok"
check_nogrep "bbfrag: no failure" '^bbfrag: FAIL|MISMATCH' "$BB_TMP/frag.out"
check_eq "no free order-9 block before the order-9 phase" "$before" 0
check_num "order-9 blocks obtained ($blocks of at most $theo)" "$blocks" -gt 0
check_num "... no more than the theoretical maximum" "$blocks" -le "$theo"
if bb_isnum "$stalls" && bb_isnum "$migrated" && [ $((stalls + migrated)) -gt 0 ]; then
	ok "compaction made them: compact_stall $stalls, pgmigrate_success $migrated"
else
	not_ok "compaction made them: compact_stall '$stalls', pgmigrate_success '$migrated'"
fi
check_num "vmstat compact_stall rose" "$(bb_vmstat compact_stall)" -gt "$stall0"
check_num "vmstat pgmigrate_success rose" "$(bb_vmstat pgmigrate_success)" -gt "$mig0"
check_grep "every order-0 page and order-9 block verified" \
	'^bbfrag: verified [1-9][0-9]* order-0 pages and [0-9]+ order-9 blocks .*: 0 mismatch' \
	"$BB_TMP/frag.out"
check_num "LOOKUP: pages that compaction moved ($moved)" "$moved" -gt 0
check_grep "--explain-first: the path of an allocation that went through compaction" \
	'^bbfrag: --- explain: order-9 allocation [0-9]+, the first that needed compaction ---$' \
	"$BB_TMP/frag.out"
check_grep "... it names direct compaction" '^ +direct compaction \(' "$BB_TMP/frag.out"
check_grep "... and why the fast path failed: free pages enough, no order-9 block" \
	'^ +zone Normal \(node 0\): order-9 watermark check fails: .*, enough, but no free block of that order or larger$' \
	"$BB_TMP/frag.out"
check_consistent "check ok after bbfrag"
check_control "drain" drain
check_all_free "bbfrag gone: every page free (nr_free_pages, buddyinfo)"
check_state "buddyinfo identical to the initial one" initial

# --- LOOKUP, and a manual compaction that moves buddyctl's pages -----------
# 8000 movable pages, every other one freed: holes in every pageblock,
# which the free scanner takes as targets (a free block of a whole
# pageblock or more is never one), so that "compact" moves pages
awk 'BEGIN {
	print "alloc --order 0 --gfp GFP_KERNEL"
	print "bulk-alloc 8000 --gfp GFP_HIGHUSER_MOVABLE|__GFP_NORETRY|__GFP_NOWARN"
	print "write all --seed 77"
	print "lookup $1"
	print "lookup $2"
	line = "bulk-free"
	for (i = 3; i <= 8001; i += 2) line = line " $" i
	print line
	print "echo @@ fragmented"
	print "sleep 5000"
	for (i = 2; i <= 8001; i += 40) print "lookup $" i
	print "read all --verify-seed 77"
	print "echo @@ looked-up"
	print "sleep 600000"
}' > "$BB_TMP/lookup.bb"
bb_bg_start lookup "$BB_TMP/lookup.bb"
if bb_bg_wait_for lookup fragmented 120; then
	ok "buddyctl: 8000 movable pages, every other one freed"
else
	not_ok "buddyctl: 8000 movable pages, every other one freed"
	detail "$BB_TMP/lookup.out"
fi
mig0=$(bb_vmstat pgmigrate_success)
check_control "control: compact node=0 while buddyctl holds them" "compact node=0"
mig1=$(bb_vmstat pgmigrate_success)
note "compact: pgmigrate_success $mig0 -> $mig1"
check_num "compact migrated pages (pgmigrate_success)" "$mig1" -gt "$mig0"
if bb_bg_wait_for lookup looked-up 120; then
	ok "buddyctl: looked them up again, every byte verified"
else
	not_ok "buddyctl: looked them up again, every byte verified"
	detail "$BB_TMP/lookup.out"
fi
check_grep "lookup: a GFP_KERNEL page is pinned" \
	'^handle=1 pfn=[0-9]+ order=0 zone=[A-Za-z0-9]+ node=0 migratetype=[A-Za-z]+ state=pinned migrations=0$' \
	"$BB_TMP/lookup.out"
check_grep "lookup: a movable page is movable" \
	'^handle=2 pfn=[0-9]+ order=0 zone=[A-Za-z0-9]+ node=0 migratetype=Movable state=movable migrations=0$' \
	"$BB_TMP/lookup.out"
grep '^handle=.* migrations=[1-9]' "$BB_TMP/lookup.out" > "$BB_TMP/moved.out"
check_num "lookup: compact moved some of them (migrations > 0)" \
	"$(wc -l < "$BB_TMP/moved.out")" -gt 0
detail "$BB_TMP/moved.out" 3
check_grep "buddyctl: every byte still there (read all)" '^verified all count=4001$' \
	"$BB_TMP/lookup.out"
bb_bg_stop TERM
check_control "drain" drain
check_all_free "buddyctl gone: every page free"
check_consistent "check ok"

# --- the control command --------------------------------------------------
check_control "control: compact" compact
check_control "control: compact node=0" "compact node=0"
check_control "control: compact node=0 zone=Normal" "compact node=0 zone=Normal"
check_control "control: compact zone=DMA32" "compact zone=DMA32"
check_control_einval "control: compact node=9 refused" "compact node=9"
check_control_einval "control: compact zone=bogus refused" "compact zone=bogus"
check_control_einval "control: compact pages=1 refused" "compact pages=1"
check_state "compacting an empty sandbox changes nothing" initial
for f in compact_considered compact_defer_shift compact_order_failed; do
	check_grep "zoneinfo: $f" "^ +$f +-?[0-9]+$" "$BBD/zoneinfo"
done
check_consistent "check ok"

# --- the test of the test: a corrupt byte must fail the run ------------------
"$BBFRAG" --seed "$seed" --fill-pages 1024 --max-blocks 1 --inject-corruption \
	> "$BB_TMP/neg.out" 2>&1
neg_rc=$?
check_ne "bbfrag --inject-corruption fails" "$neg_rc" 0
check_grep "... with a MISMATCH" 'FAIL: MISMATCH' "$BB_TMP/neg.out"
check_eq "... and says FAIL" "$(tail -n 1 "$BB_TMP/neg.out")" "bbfrag: FAIL"
grep MISMATCH "$BB_TMP/neg.out" > "$BB_TMP/neg.mm"
detail "$BB_TMP/neg.mm" 3

check "compaction_proactiveness back to $p0" bb_write "$BBD/compaction_proactiveness" "$p0"
check_control "drain" drain
check_all_free "every page free at the end"
check_consistent "check ok"
check_rmmod "rmmod"
bb_cleanup
bb_done
