#!/bin/sh
# t_scale.sh: nothing lost at scale (issue 13).  A holder (oom_score_adj
# -1000) keeps movable pages of order 0 and 3, each written with its own
# pattern, with a hole beside every order-0 page; then for RUN seconds a
# loop writes thousands of "compact" lines (a full sync compaction of every
# zone each) while bbstress (2 processes x 2 threads) allocates, writes,
# verifies and frees beside them, so that holes keep opening under the
# holder's pages and compaction keeps moving them.  At the end every byte
# of every page the holder keeps is verified, LOOKUP shows pages that were
# moved, bbstress says ok (its own patterns too), check says ok, every page
# is free once the holder is gone (merged back but beside the pageblocks
# left HighAtomic), and the module unloads.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

BBSTRESS=${BBSTRESS:-$BB/bbstress}
debug=$BB_DEBUG_KERNEL
if [ "$debug" = 1 ]; then
	SIZE_MB=${BB_SCALE_MB:-32}
	RUN=${BB_SCALE_SECONDS:-40}
	MIN_PASSES=${BB_SCALE_MIN_PASSES:-500}
else
	SIZE_MB=${BB_SCALE_MB:-64}
	RUN=${BB_SCALE_SECONDS:-30}
	MIN_PASSES=${BB_SCALE_MIN_PASSES:-2000}
fi
seed=${BB_SCALE_SEED:-$(date +%s)}
note "kernel $(uname -r) (debug $debug), size_mb=$SIZE_MB, $RUN s, seed $seed"

bb_cleanup
check_insmod "insmod size_mb=$SIZE_MB" size_mb="$SIZE_MB"
bb_loaded || bb_done
[ -x "$BBSTRESS" ] || { not_ok "$BBSTRESS missing"; bb_cleanup; bb_done; }
region=$(bb_vmstat region_pages)

# --- the holder -------------------------------------------------------------
n0=$((region * 40 / 100))
n3=64
awk -v n0="$n0" -v n3="$n3" -v seed="$seed" -v ms=$((RUN * 1000)) 'BEGIN {
	print "oom-score-adj -1000"
	print "alloc --order 0 --gfp GFP_HIGHUSER_MOVABLE --count " n0 " --quiet"
	print "alloc --order 3 --gfp GFP_HIGHUSER_MOVABLE --count " n3 " --quiet"
	print "write all --seed " seed
	line = "bulk-free"
	for (i = 1; i <= n0; i += 2) line = line " $" i
	print line
	print "stats"
	print "echo @@ held"
	print "sleep " ms
	print "read all --verify-seed " seed
	for (i = 2; i <= 400 && i <= n0; i += 2) print "lookup $" i
	for (i = n0 + 1; i <= n0 + n3; i++) print "lookup $" i
	print "stats"
	print "echo @@ verified"
	print "sleep 600000"
}' > "$BB_TMP/holder.bb"
bb_bg_start holder "$BB_TMP/holder.bb"
holder_pid=$bb_bg_pid
if bb_bg_wait_for holder held 180; then
	ok "the holder keeps $((n0 / 2)) order-0 and $n3 order-3 movable pages, patterned"
else
	not_ok "the holder keeps $((n0 / 2)) order-0 and $n3 order-3 movable pages, patterned"
	detail "$BB_TMP/holder.out"
fi
held=$((n0 / 2 + n3))

# --- compaction passes beside bbstress, until $BB_TMP/stop --------------------
compact_loop() {
	awk 'BEGIN { for (i = 0; i < 50; i++) print "compact" }' > "$BB_TMP/compact50"
	passes=0
	errs=0
	while [ ! -e "$BB_TMP/stop" ]; do
		if ( cat "$BB_TMP/compact50" > "$BBD/control" ) 2> "$BB_TMP/compact.w"; then
			passes=$((passes + 50))
		else
			errs=$((errs + 1))
			cp "$BB_TMP/compact.w" "$BB_TMP/compact.err"
		fi
	done
	echo "$passes $errs" > "$BB_TMP/compact.counts"
}

mig0=$(bb_vmstat pgmigrate_success)
rm -f "$BB_TMP/stop"
start=$(date +%s)
compact_loop &
loop_pid=$!
"$BBSTRESS" -p 2 -t 2 -s $((RUN - 2)) -o 6 --seed "$seed" > "$BB_TMP/stress.out" 2>&1
stress_rc=$?
touch "$BB_TMP/stop"
wait "$loop_pid"
read -r passes errs < "$BB_TMP/compact.counts"
mig1=$(bb_vmstat pgmigrate_success)
note "$(($(date +%s) - start)) s: $passes compaction passes ($errs failed writes)," \
	"pgmigrate_success $mig0 -> $mig1"
tail -n 3 "$BB_TMP/stress.out" | sed 's/^/#   /'
check_eq "bbstress: ok (its own patterns verified)" "$stress_rc $(tail -n 1 "$BB_TMP/stress.out")" \
	"0 bbstress: ok"
check_num "at least $MIN_PASSES compaction passes" "$passes" -ge "$MIN_PASSES"
check_eq "no compact write failed" "$errs" 0
[ "$errs" = 0 ] || detail "$BB_TMP/compact.err"
check_num "pages were migrated meanwhile (pgmigrate_success)" $((mig1 - mig0)) -gt "$held"

# --- every byte of the holder's pages ----------------------------------------
bb_bg_pid=$holder_pid
if bb_bg_wait_for holder verified 180; then
	ok "the holder's verification ran"
else
	not_ok "the holder's verification ran"
fi
grep -v '^0000' "$BB_TMP/holder.out" | grep -v '^handle=' | tail -n 12 | sed 's/^/#   /'
check_grep "every byte of the $held allocations verified" "^verified all count=$held\$" \
	"$BB_TMP/holder.out"
check_nogrep "no mismatch" 'MISMATCH|mismatch|FAIL' "$BB_TMP/holder.out"
moved0=$(grep -cE '^handle=.* order=0 .*migrations=[1-9][0-9]*$' "$BB_TMP/holder.out")
moved3=$(grep -cE '^handle=.* order=3 .*migrations=[1-9][0-9]*$' "$BB_TMP/holder.out")
many=$(grep -cE '^handle=.* migrations=([2-9]|[1-9][0-9]+)$' "$BB_TMP/holder.out")
note "LOOKUP: $moved0 of the order-0 pages looked up and $moved3 of the order-3 blocks were moved, $many of them more than once"
check_num "LOOKUP: holder pages were moved" $((moved0 + moved3)) -gt 0
check_consistent "check ok"

bb_bg_stop TERM
check_control "drain" drain
check_all_free "the holder gone: every page free"
# Every free block merges up to order 10 again, but for the pageblocks
# bbstress's atomic requests made MIGRATE_HIGHATOMIC: as in the kernel's
# __free_one_page(), an order-9 block of such a pageblock does not merge
# with a buddy of another type, and when the slow path gives a reserved
# pageblock back (unreserve_highatomic_pageblock()) its free blocks move
# to their new lists unmerged, as in the kernel.  So the order-9 blocks
# left are at most two per pageblock ever reserved (vmstat's
# highatomic_reserve, one pageblock each under 6.1's rules).
o9=$(awk '$1 == "Node" { s += $14 } END { print s + 0 }' "$BBD/buddyinfo")
nhigh=$(awk '/^Number of blocks type/ { for (i = 5; i <= NF; i++) if ($i == "HighAtomic") c = i }
	c && $1 == "Node" && $4 !~ /,$/ { s += $c } END { print s + 0 }' "$BBD/pagetypeinfo")
nres=$(bb_vmstat highatomic_reserve)
[ "$nres" -ge "$nhigh" ] 2>/dev/null || nres=$nhigh
note "$o9 free order-9 blocks unmerged, $nhigh HighAtomic pageblocks, $nres ever reserved"
check_num "order-9 blocks left unmerged only beside pageblocks reserved HighAtomic ($o9, $nres)" \
	"$o9" -le $((2 * nres))
# the daemons, idle now: nothing to do with every page free
kw=$(awk '{ print $3 }' /proc/"$(grep -l '^bb_kswapd0/d' /proc/[0-9]*/comm | head -n 1 | cut -d/ -f3)"/stat)
po0=$(bb_vmstat pageoutrun) ps0=$(bb_vmstat pgscan_kswapd) cw0=$(bb_vmstat compact_daemon_wake)
sleep 1
note "kswapd state $kw; in 1 s: pageoutrun $po0 -> $(bb_vmstat pageoutrun)," \
	"pgscan_kswapd $ps0 -> $(bb_vmstat pgscan_kswapd), compact_daemon_wake $cw0 -> $(bb_vmstat compact_daemon_wake)"
# rmmod within a minute; else the stacks of rmmod and of the sandbox's
# kthreads say where it waits
bb_kmsg_mark
rmmod buddybox > "$BB_TMP/rmmod.err" 2>&1 &
rmmod_pid=$!
n=0
while kill -0 "$rmmod_pid" 2>/dev/null && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 "$rmmod_pid" 2>/dev/null; then
	not_ok "rmmod within 60 s"
	for p in $rmmod_pid $(grep -l '^bb_k' /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3); do
		echo "# pid $p $(cat "/proc/$p/comm" 2>/dev/null) state $(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)"
		sed 's/^/#     /' "/proc/$p/stack" 2>/dev/null
	done
	# a running kthread shows a stack only when caught off the CPU
	for _s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		for p in $(grep -l '^bb_k' /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3); do
			cat "/proc/$p/stack" 2>/dev/null
		done
		sleep 0.2
	done | sort | uniq -c | sort -rn | head -n 30 | sed 's/^/#   sampled /'
	bb_kmsg_since_mark | tail -n 80 | sed 's/^/#   /'
	bb_done
fi
wait "$rmmod_pid"
rc=$?
if [ "$rc" = 0 ] && ! bb_loaded && [ ! -e "$BBROOT" ] && [ ! -e "$BB_DEV" ]; then
	ok "rmmod ($((n / 10)) s)"
else
	not_ok "rmmod (exit $rc)"
	detail "$BB_TMP/rmmod.err"
fi
bb_cleanup
bb_done
