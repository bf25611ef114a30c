#!/bin/sh
# t_reclaim.sh: reclaim and the slow path's ends (issue 4).
#  1. A process allocates more clean cache (buddyctl alloc --cache,
#     GFP_KERNEL) than the region holds: kswapd wakes and reclaims
#     (kswapd_wake, pageoutrun, pgscan/pgsteal_kswapd); some of the
#     oldest cache allocations were dropped: LOOKUP says stale, READ
#     answers ESTALE, FREE still works.  Then a few more cache pages,
#     until kswapd is woken again: soon after, every zone (Normal only,
#     see below) is back above its high watermark.
#     1b. 40 cache pages, 10 read twice: nr_zone_inactive_file and
#     nr_zone_active_file in vmstat and zoneinfo (after nr_free_pages,
#     as the kernel prints them) count them per list and zone.
#  2. debugfs control: "reclaim pages=N" reclaims N cache pages (counted
#     as pgsteal_direct), "drop_caches" the rest (drop_pagecache); bad
#     forms are refused.
#  3. Pinned pages with every other one freed: nearly half the region is
#     free but no block of order 9; a GFP_HIGHUSER_MOVABLE|__GFP_NORETRY
#     order-9 allocation fails, and --explain says why (compaction cannot
#     move pinned pages, __GFP_NORETRY gives up).
#  4. The region exhausted by pinned pages of a process the OOM killer may
#     not choose: GFP_KERNEL|__GFP_NORETRY order 1 fails, __GFP_NOFAIL
#     order 1 succeeds.
# check says ok throughout, and every page is free at the end.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

debug=$BB_DEBUG_KERNEL
if [ "$debug" = 1 ]; then
	SIZE_MB=${BB_RECLAIM_MB:-32}
else
	SIZE_MB=${BB_RECLAIM_MB:-48}
fi
note "kernel $(uname -r) (debug $debug), size_mb=$SIZE_MB"

bb_cleanup
# One zone, Normal: kswapd stops once any eligible zone of the node is
# above its high watermark (pgdat_balanced(), as the kernel's), so with
# DMA and DMA32 beside it Normal may stay below its own after the
# pressure; with Normal alone "every zone above high" is kswapd's goal.
check_insmod "insmod size_mb=$SIZE_MB dma_mb=0 dma32_mb=0" size_mb="$SIZE_MB" dma_mb=0 \
	dma32_mb=0
bb_loaded || bb_done

region=$(bb_vmstat region_pages)
check_eq "region_pages" "$region" $((SIZE_MB * 256))
bb_state initial

# every populated zone's "name free high" from zoneinfo
zones_free_high() {
	awk '$1 == "Node" { z = $4 } $1 == "pages" && $2 == "free" { f = $3 }
		$1 == "high" && NF == 2 { h = $2 }
		$1 == "managed" && $2 > 0 { print z, f, h }' "$BBD/zoneinfo"
}

# every populated zone has at least its high watermark free
zones_above_high() {
	zones_free_high | awk '$2 < $3 { bad = 1 } END { exit bad }'
}

lru_pages() {
	echo $(($(bb_vmstat nr_inactive_file) + $(bb_vmstat nr_active_file)))
}

# --- 1. cache pressure: kswapd ---------------------------------------------
wake0=$(bb_vmstat kswapd_wake)
run0=$(bb_vmstat pageoutrun)
scan0=$(bb_vmstat pgscan_kswapd)
steal0=$(bb_vmstat pgsteal_kswapd)
count=$((region + region / 4))
# then the first 64 (reclaim took some of them: stale) are looked up, read
# and freed - with -k, so that the ESTALE of a dropped one does not stop
# the script - and the newest one is written and read back
awk -v count="$count" 'BEGIN {
	print "alloc --order 0 --gfp GFP_KERNEL --cache --count " count " --quiet"
	print "stats"
	for (i = 1; i <= 64; i++) {
		print "lookup $" i
		print "read $" i " --length 8"
	}
	for (i = 1; i <= 64; i++) print "free $" i
	print "expect-fail ENOENT lookup $1"
	print "lookup $" count
	print "write $" count " --seed 5"
	print "read $" count " --verify-seed 5"
	print "echo @@ cached"
	print "sleep 600000"
}' > "$BB_TMP/cache.bb"
start=$(date +%s)
"$BUDDYCTL" -k script "$BB_TMP/cache.bb" > "$BB_TMP/cache.out" 2>&1 &
# shellcheck disable=SC2034  # for lib.sh's bb_bg_wait_for and bb_bg_stop
bb_bg_pid=$!
if bb_bg_wait_for cache cached 240; then
	ok "$count GFP_KERNEL cache pages allocated into $region ($(($(date +%s) - start)) s)"
else
	not_ok "$count GFP_KERNEL cache pages allocated into $region"
fi
grep -v '^0000' "$BB_TMP/cache.out" > "$BB_TMP/cache.short"
detail "$BB_TMP/cache.short" 20
note "kswapd_wake $wake0 -> $(bb_vmstat kswapd_wake), pageoutrun $run0 -> $(bb_vmstat pageoutrun)," \
	"pgscan_kswapd $scan0 -> $(bb_vmstat pgscan_kswapd)," \
	"pgsteal_kswapd $steal0 -> $(bb_vmstat pgsteal_kswapd)," \
	"pgsteal_direct $(bb_vmstat pgsteal_direct), allocstall_normal $(bb_vmstat allocstall_normal)"
check_num "kswapd woken (kswapd_wake)" "$(bb_vmstat kswapd_wake)" -gt "$wake0"
check_num "kswapd ran balance_pgdat (pageoutrun)" "$(bb_vmstat pageoutrun)" -gt "$run0"
check_num "kswapd scanned (pgscan_kswapd)" "$(bb_vmstat pgscan_kswapd)" -gt "$scan0"
check_num "kswapd reclaimed (pgsteal_kswapd)" "$(bb_vmstat pgsteal_kswapd)" -gt "$steal0"
check_grep "the allocations all succeeded" "^fd_allocations $count\$" "$BB_TMP/cache.out"
nstale=$(grep -cE '^handle=([1-9]|[1-5][0-9]|6[0-4]) .* state=stale migrations=0$' \
	"$BB_TMP/cache.out")
ncache=$(grep -cE '^handle=([1-9]|[1-5][0-9]|6[0-4]) .* state=cache migrations=0$' \
	"$BB_TMP/cache.out")
nestale=$(grep -cE '^buddyctl: line [0-9]+: read \$[0-9]+ --length 8: .*\(ESTALE\)$' \
	"$BB_TMP/cache.out")
note "of the 64 oldest: $nstale stale, $ncache still cache"
check_num "some of the oldest cache allocations were dropped (LOOKUP: stale)" "$nstale" -gt 0
check_eq "... the 64 all stale or cache" $((nstale + ncache)) 64
check_eq "... READ answers ESTALE for each stale one" "$nestale" "$nstale"
check_eq "... the others read" "$(grep -c '^00000008$' "$BB_TMP/cache.out")" "$ncache"
check_eq "... FREE works on each, stale or not" "$(grep -c '^freed handle=' "$BB_TMP/cache.out")" 64
# shellcheck disable=SC2016  # buddyctl's $1
check_grep "... and the handle is gone" '^failed as expected: expect-fail ENOENT lookup \$1$' \
	"$BB_TMP/cache.out"
check_grep "the newest one is cache, readable" "^handle=$count .* state=cache migrations=0\$" \
	"$BB_TMP/cache.out"
check_grep "... verified" "^verified handle=$count " "$BB_TMP/cache.out"
check_num "cache pages on the LRU lists" "$(lru_pages)" -gt 0

# kswapd sleeps once the zone is balanced (above high); the allocations
# after that may leave it anywhere above low without waking kswapd again,
# as in the kernel.  So allocate more cache, 8 pages at a time, until
# kswapd starts balance_pgdat again (pageoutrun), and stop there: it must
# bring the zone back above its high watermark.
run1=$(bb_vmstat pageoutrun)
n=0
while [ "$(bb_vmstat pageoutrun)" = "$run1" ] && [ "$n" -lt 400 ]; do
	bb_control "alloc order=0 gfp=GFP_KERNEL count=8 flags=cache" || break
	n=$((n + 1))
done
check_num "kswapd woken again by $((n * 8)) more cache pages (pageoutrun)" \
	"$(bb_vmstat pageoutrun)" -gt "$run1"
n=0
while ! zones_above_high && [ "$n" -lt 60 ]; do
	sleep 0.5
	n=$((n + 1))
done
zones_free_high > "$BB_TMP/zones"
if zones_above_high; then
	ok "every zone above its high watermark after $((n / 2)) s"
else
	not_ok "every zone above its high watermark after $((n / 2)) s"
fi
sed 's/^/#   zone free high: /' "$BB_TMP/zones"
check_consistent "check ok under cache pressure"

bb_bg_stop TERM
check_control "control: free all (the pages that woke kswapd)" "free all"
check_control "drain" drain
check_all_free "cache process gone: every page free"
check_eq "... the LRU lists empty" "$(lru_pages)" 0

# --- 1b. the zone LRU counters, as /proc/zoneinfo and /proc/vmstat ----------
# 40 cache pages, the first 10 read twice (referenced, then active)
awk 'BEGIN {
	print "alloc --order 0 --gfp GFP_KERNEL --cache --count 40 --quiet"
	for (i = 1; i <= 10; i++) {
		print "read $" i " --length 8"
		print "read $" i " --length 8"
	}
	print "echo @@ touched"
	print "sleep 600000"
}' > "$BB_TMP/lru.bb"
bb_bg_start lru "$BB_TMP/lru.bb"
if bb_bg_wait_for lru touched 60; then
	ok "40 cache pages, 10 of them read twice"
else
	not_ok "40 cache pages, 10 of them read twice"
	detail "$BB_TMP/lru.out"
fi
check_eq "vmstat: nr_zone_inactive_file 30" "$(bb_vmstat nr_zone_inactive_file)" 30
check_eq "vmstat: nr_zone_active_file 10" "$(bb_vmstat nr_zone_active_file)" 10
check_eq "... as nr_inactive_file" "$(bb_vmstat nr_inactive_file)" 30
check_eq "... as nr_active_file" "$(bb_vmstat nr_active_file)" 10
check_eq "zoneinfo: nr_zone_inactive_file of the zones add up to 30" \
	"$(bb_zoneinfo_sum nr_zone_inactive_file)" 30
check_eq "zoneinfo: nr_zone_active_file of the zones add up to 10" \
	"$(bb_zoneinfo_sum nr_zone_active_file)" 10
check_eq "zoneinfo: Normal has them" \
	"$(bb_zoneinfo 0 Normal nr_zone_inactive_file) $(bb_zoneinfo 0 Normal nr_zone_active_file)" \
	"30 10"
# the kernel's place and spacing: right after nr_free_pages, 6 spaces, the
# name in 12 columns or more, one space, the value
awk '$1 == "Node" { z = $4 }
	prev ~ /^      nr_free_pages / { print z ": " $0 }
	{ prev = $0 }' "$BBD/zoneinfo" > "$BB_TMP/after_free.txt"
check_eq "zoneinfo: nr_zone_inactive_file follows nr_free_pages in the Normal zone" \
	"$(grep '^Normal: ' "$BB_TMP/after_free.txt")" "Normal:       nr_zone_inactive_file 30"
check_grep "zoneinfo: then nr_zone_active_file" \
	'^      nr_zone_inactive_file 30$' "$BBD/zoneinfo"
awk '/^      nr_zone_inactive_file / { getline; print; exit }' "$BBD/zoneinfo" \
	> "$BB_TMP/after_inactive.txt"
check_grep "zoneinfo: nr_zone_active_file right after" \
	'^      nr_zone_active_file 10$' "$BB_TMP/after_inactive.txt"
check_control "control: reclaim pages=30" "reclaim pages=30"
check_eq "... nr_zone_inactive_file 0" "$(bb_vmstat nr_zone_inactive_file)" 0
check_eq "... nr_zone_active_file still 10" "$(bb_vmstat nr_zone_active_file)" 10
bb_bg_stop TERM
check_eq "the process gone: nr_zone_active_file 0" "$(bb_vmstat nr_zone_active_file)" 0
check_eq "... zoneinfo's too" "$(bb_zoneinfo_sum nr_zone_active_file)" 0
check_all_free "every page free again"

# --- 2. reclaim pages=N, drop_caches ----------------------------------------
check_control "control: alloc 1000 cache pages" "alloc order=0 gfp=GFP_KERNEL count=1000 flags=cache"
check_eq "... 1000 pages on the LRU lists" "$(lru_pages)" 1000
check_eq "... in the zones' nr_zone_inactive_file" "$(bb_zoneinfo_sum nr_zone_inactive_file)" 1000
sd0=$(bb_vmstat pgsteal_direct)
free0=$(bb_vmstat nr_free_pages)
check_control "control: reclaim pages=300" "reclaim pages=300"
check_eq "... 700 left on the LRU lists" "$(lru_pages)" 700
check_eq "... pgsteal_direct +300" "$(bb_vmstat pgsteal_direct)" $((sd0 + 300))
check_eq "... 300 pages more free" "$(bb_vmstat nr_free_pages)" $((free0 + 300))
check_control "control: reclaim pages=100 node=0" "reclaim pages=100 node=0"
check_eq "... 600 left" "$(lru_pages)" 600
check_control_einval "control: reclaim without pages= refused" "reclaim"
check_control_einval "control: reclaim pages=0 refused" "reclaim pages=0"
check_control_einval "control: reclaim pages=10 node=7 refused" "reclaim pages=10 node=7"
check_control_einval "control: reclaim pages=10 zone=Normal refused" "reclaim pages=10 zone=Normal"
check_control_einval "control: drop_caches now refused" "drop_caches now"
check_control_einval "control: alloc flags=bogus refused" "alloc order=0 gfp=GFP_KERNEL flags=bogus"
check_eq "... nothing reclaimed by them" "$(lru_pages)" 600
dp0=$(bb_vmstat drop_pagecache)
check_control "control: drop_caches" drop_caches
check_eq "... the LRU lists empty" "$(lru_pages)" 0
check_eq "... drop_pagecache +1" "$(bb_vmstat drop_pagecache)" $((dp0 + 1))
check_eq "... the allocations stay (stale)" "$(bb_nr_allocations)" 1000
check_consistent "check ok with stale allocations"
check_control "control: free all (stale ones too)" "free all"
check_all_free "every page free"

# --- 3. pinned fragmentation: __GFP_NORETRY order 9 fails --------------------
# every pinned page of the first 80% of the region with its neighbour
# freed: no two free pages side by side there
keep=$((region * 8 / 10))
awk -v keep="$keep" 'BEGIN {
	print "oom-score-adj -1000"
	print "expect-fail ENOMEM bulk-alloc 1000000 --gfp GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN"
	print "stats"
	line = "bulk-free"
	for (i = 2; i <= keep; i += 2) line = line " $" i
	print line
	print "echo @@ fragmented"
	print "sleep 600000"
}' > "$BB_TMP/pinned.bb"
bb_bg_start pinned "$BB_TMP/pinned.bb"
if bb_bg_wait_for pinned fragmented 240; then
	ok "pinned pages everywhere, every other one of the first $keep freed"
else
	not_ok "pinned pages everywhere, every other one of the first $keep freed"
	detail "$BB_TMP/pinned.out"
fi
bb_drain
free=$(bb_vmstat nr_free_pages)
big=$(awk '$1 == "Node" { for (i = 14; i <= NF; i++) n += $i } END { print n + 0 }' \
	"$BBD/buddyinfo")
sed 's/^/#   /' "$BBD/buddyinfo"
check_num "$free pages free, more than 2 x 512" "$free" -gt 1024
check_eq "... but no free block of order 9 or 10" "$big" 0
stall0=$(bb_vmstat compact_stall)
"$BUDDYCTL" expect-fail ENOMEM alloc --order 9 --gfp 'GFP_HIGHUSER_MOVABLE|__GFP_NORETRY' \
	--explain > "$BB_TMP/noretry.out" 2>&1
noretry_rc=$?
grep -v 'watermark check fails' "$BB_TMP/noretry.out" | sed 's/^/#   /'
check_eq "GFP_HIGHUSER_MOVABLE|__GFP_NORETRY order 9: ENOMEM" "$noretry_rc" 0
check_grep "--explain: the path ends in failure" '^result: failed$' "$BB_TMP/noretry.out"
check_grep "... compaction was tried" '^ +direct compaction \(' "$BB_TMP/noretry.out"
check_grep "... it says what compaction made of the zone" \
	'^ +zone Normal \(node 0\): compaction (complete|partial_skipped|deferred \(.*\)|skipped: .*)$' \
	"$BB_TMP/noretry.out"
check_grep "... and __GFP_NORETRY gave up" '__GFP_NORETRY.*give up' "$BB_TMP/noretry.out"
check_num "compact_stall rose" "$(bb_vmstat compact_stall)" -gt "$stall0"
check_consistent "check ok, fragmented"
bb_bg_stop TERM
check_control "drain" drain
check_all_free "every page free"

# --- 4. exhausted: __GFP_NOFAIL order 1 succeeds ----------------------------
cat > "$BB_TMP/exhaust.bb" <<'EOF'
oom-score-adj -1000
expect-fail ENOMEM bulk-alloc 1000000 --gfp GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN
stats
echo @@ exhausted
sleep 600000
EOF
bb_bg_start exhaust "$BB_TMP/exhaust.bb"
if bb_bg_wait_for exhaust exhausted 240; then
	ok "the region exhausted by pinned pages (oom_score_adj -1000)"
else
	not_ok "the region exhausted by pinned pages (oom_score_adj -1000)"
	detail "$BB_TMP/exhaust.out"
fi
held=$(awk '$1 == "fd_pages" { v = $2 } END { print v }' "$BB_TMP/exhaust.out")
note "held $held pages, $(bb_vmstat nr_free_pages) free"
check "GFP_KERNEL|__GFP_NORETRY order 1: ENOMEM" "$BUDDYCTL" expect-fail ENOMEM alloc \
	--order 1 --gfp 'GFP_KERNEL|__GFP_NORETRY'
oom0=$(bb_vmstat oom_kill)
timeout 120 "$BUDDYCTL" alloc --order 1 --gfp 'GFP_KERNEL|__GFP_NOFAIL' --explain \
	> "$BB_TMP/nofail.out" 2>&1
nofail_rc=$?
grep -v 'watermark check fails' "$BB_TMP/nofail.out" | sed 's/^/#   /'
check_eq "GFP_KERNEL|__GFP_NOFAIL order 1 under pressure: allocated" "$nofail_rc" 0
check_grep "... its path ends allocated" '^result: allocated$' "$BB_TMP/nofail.out"
check_eq "... nobody was OOM-killed for it" "$(bb_vmstat oom_kill)" "$oom0"
check_consistent "check ok, exhausted"
bb_bg_stop TERM
check_control "drain" drain
check_all_free "every page free at the end"
check_state "buddyinfo identical to the initial one" initial
check_consistent "check ok"
check_rmmod "rmmod"
bb_cleanup
bb_done
