#!/bin/sh
# t_trace.sh: buddybox's tracepoints, read by a real tracing client
# (issue 12).  The events of system "buddybox" are enabled through tracefs
# (events/buddybox/enable); a workload of control lines runs (allocations
# of several orders and gfp, cache pages past the region's size so that
# kswapd is woken, frees, "compact", "reclaim pages=N"), tracing stops, and
# Debian's trace-cmd (copied into /bb with its libraries, run through
# their loader) extracts the buffer and reports it.  The report's counts
# must match the sandbox's counters: mm_page_alloc (successful: pfn not
# ~0) = alloc_success, mm_page_alloc_extfrag = alloc_fallback,
# mm_vmscan_wakeup_kswapd = kswapd_wake, compaction begin = end (one run
# or more); gfp flags print by name; every event names its sandbox; the
# ring buffer lost nothing; tracefs' own "trace" file counts the same
# allocations.  A second sandbox's events carry its own name, and their
# count is its alloc_success.  Every event of the list has its format.
# Compaction over movable pages freed one in two: both scanners' nr_taken
# sum to compact_isolated, failed direct compaction (compact_fail) is
# deferred (mm_compaction_defer_compaction, at most once per failed run)
# and later attempts skipped (mm_compaction_deferred), kswapd's wake of
# kcompactd (mm_compaction_wakeup_kcompactd) and its runs
# (mm_compaction_kcompactd_wake = compact_daemon_wake); in an 8 MiB
# sandbox the OOM killer's choice (mark_victim = oom_kill, with the pid
# of the buddyctl it chose).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

TRACE=/sys/kernel/tracing
TC_BIN=${TC_BIN:-$BB/trace-cmd}
SIZE_MB=32
NOALLOC=0xffffffffffffffff

tc() {
	"$BB/ld-linux-x86-64.so.2" --library-path "$BB" "$TC_BIN" "$@"
}

[ -d "$TRACE/events" ] || mount -t tracefs nodev "$TRACE" 2> /dev/null
check "tracefs mounted at $TRACE" test -d "$TRACE/events"
tc --version > "$BB_TMP/tc.version" 2>&1
check_grep "trace-cmd runs in the guest" '^trace-cmd version [0-9]' "$BB_TMP/tc.version"
grep -m1 '^trace-cmd version' "$BB_TMP/tc.version" | sed 's/^/# /'

check_insmod "insmod size_mb=$SIZE_MB daemons=sync" size_mb="$SIZE_MB" dma_mb=0 \
	dma32_mb=0 daemons=sync || bb_done

# --- the events and their formats -------------------------------------------
events="mm_page_alloc mm_page_free mm_page_alloc_zone_locked mm_page_pcpu_drain
mm_page_alloc_extfrag mm_compaction_begin mm_compaction_end
mm_compaction_isolate_migratepages mm_compaction_isolate_freepages
mm_compaction_defer_compaction mm_compaction_deferred
mm_compaction_kcompactd_wake mm_compaction_wakeup_kcompactd
mm_vmscan_kswapd_wake mm_vmscan_kswapd_sleep mm_vmscan_wakeup_kswapd
mm_vmscan_direct_reclaim_begin mm_vmscan_direct_reclaim_end mark_victim"
missing=
for e in $events; do
	f=$TRACE/events/buddybox/$e/format
	if [ ! -r "$f" ] || ! grep -q 'char sandbox\[' "$f"; then
		missing="$missing $e"
	fi
done
check_eq "every event is there, with its sandbox field (missing:${missing:- none})" "$missing" ""
fmt=$TRACE/events/buddybox/mm_page_alloc/format
for field in pfn order gfp_flags migratetype; do
	check_grep "mm_page_alloc has the kernel's field $field" "field:[a-z ]* $field;" "$fmt"
done
check_grep "its print format names gfp flags (__print_flags of the uapi's names)" \
	'__print_flags\(REC->gfp_flags, "[|]", \{.*"GFP_KERNEL" \}' "$fmt"
check_grep "mm_page_alloc_extfrag has change_ownership" 'field:int change_ownership;' \
	"$TRACE/events/buddybox/mm_page_alloc_extfrag/format"

# --- record the workload ----------------------------------------------------
check "buffer of 16 MiB per CPU" bb_write "$TRACE/buffer_size_kb" 16384
echo 0 > "$TRACE/tracing_on"
echo > "$TRACE/trace"
check "events/buddybox/enable" bb_write "$TRACE/events/buddybox/enable" 1
check_eq "every buddybox event is on" "$(cat "$TRACE/events/buddybox/enable")" 1

succ0=$(bb_vmstat alloc_success) fb0=$(bb_vmstat alloc_fallback) wake0=$(bb_vmstat kswapd_wake)
echo 1 > "$TRACE/tracing_on"
check_control "order-0 GFP_KERNEL x64" "alloc order=0 gfp=GFP_KERNEL count=64"
check_control "order-3 movable x8" "alloc order=3 gfp=GFP_HIGHUSER_MOVABLE count=8"
check_control "order-1 GFP_ATOMIC x4" "alloc order=1 gfp=GFP_ATOMIC count=4"
check_control "order-2 reclaimable x4" "alloc order=2 gfp=GFP_KERNEL|__GFP_RECLAIMABLE count=4"
check_control "order-9 movable x2" "alloc order=9 gfp=GFP_HIGHUSER_MOVABLE count=2"
# more cache than the region holds: kswapd is woken and reclaims
check_control "cache pages past the region's size" \
	"alloc order=0 gfp=GFP_KERNEL count=$((SIZE_MB * 256 + 512)) flags=cache"
check_control "reclaim pages=64" "reclaim pages=64"
check_control "free all" "free all"
check_control "compact" "compact"
check_control "drain" "drain"
echo 0 > "$TRACE/tracing_on"
succ=$(( $(bb_vmstat alloc_success) - succ0 ))
fb=$(( $(bb_vmstat alloc_fallback) - fb0 ))
wake=$(( $(bb_vmstat kswapd_wake) - wake0 ))

lost=$(cat "$TRACE"/per_cpu/cpu*/stats | awk '$1 == "overrun:" { s += $2 } END { print s + 0 }')
check_eq "the ring buffer lost no event (overrun)" "$lost" 0
# tracefs' own text, before trace-cmd consumes the buffer
cp "$TRACE/trace" "$BB_TMP/trace.txt"
check "trace-cmd extract" tc extract -o "$BB_TMP/trace.dat"
tc report -i "$BB_TMP/trace.dat" > "$BB_TMP/report.txt" 2> "$BB_TMP/report.err"
check_eq "trace-cmd report succeeds" "$?" 0
detail "$BB_TMP/report.err"

# count EVENT [FILE]: the report's events of that name in sandbox "default"
count() {
	grep " $1: " "${2:-$BB_TMP/report.txt}" | grep -c 'sandbox=default '
}
allocs=$(grep ' mm_page_alloc: ' "$BB_TMP/report.txt" | grep 'sandbox=default ' |
	grep -vc "pfn=$NOALLOC ")
note "workload: alloc_success +$succ, alloc_fallback +$fb, kswapd_wake +$wake;" \
	"report: $(wc -l < "$BB_TMP/report.txt") lines"
for e in $events; do
	n=$(count "$e")
	[ "$n" -eq 0 ] || echo "#   $e $n"
done
grep -m1 ' mm_page_alloc: .*order=9 ' "$BB_TMP/report.txt" | sed 's/^ */# e.g. /'
check_num "allocations were made" "$succ" -gt 100
check_eq "mm_page_alloc (served) = alloc_success" "$allocs" "$succ"
check_num "fallbacks happened" "$fb" -gt 0
check_eq "mm_page_alloc_extfrag = alloc_fallback" "$(count mm_page_alloc_extfrag)" "$fb"
check_num "kswapd was woken" "$wake" -gt 0
check_eq "mm_vmscan_wakeup_kswapd = kswapd_wake" "$(count mm_vmscan_wakeup_kswapd)" "$wake"
check_num "kswapd ran (mm_vmscan_kswapd_wake)" "$(count mm_vmscan_kswapd_wake)" -gt 0
begins=$(count mm_compaction_begin)
check_num "compaction ran (mm_compaction_begin)" "$begins" -gt 0
check_eq "each compaction begin has its end" "$(count mm_compaction_end)" "$begins"
check_num "the migrate scanner isolated (mm_compaction_isolate_migratepages)" \
	"$(count mm_compaction_isolate_migratepages)" -gt 0
check_num "pages were freed (mm_page_free)" "$(count mm_page_free)" -gt 0
check_num "the buddy lists served under zone->lock (mm_page_alloc_zone_locked)" \
	"$(count mm_page_alloc_zone_locked)" -gt 0
check_num "the pcp lists were drained (mm_page_pcpu_drain)" "$(count mm_page_pcpu_drain)" -gt 0
check_grep "gfp flags print by name: GFP_KERNEL" ' mm_page_alloc: .* gfp_flags=GFP_KERNEL( |$)' \
	"$BB_TMP/report.txt"
check_grep "... GFP_ATOMIC" ' mm_page_alloc: .*order=1 .* gfp_flags=GFP_ATOMIC( |$)' "$BB_TMP/report.txt"
check_grep "... GFP_KERNEL|__GFP_RECLAIMABLE" \
	' mm_page_alloc: .*order=2 .* gfp_flags=GFP_KERNEL[|]__GFP_RECLAIMABLE( |$)' "$BB_TMP/report.txt"
check_grep "... GFP_HIGHUSER_MOVABLE" ' mm_page_alloc: .*order=9 .* gfp_flags=GFP_HIGHUSER_MOVABLE( |$)' \
	"$BB_TMP/report.txt"
check_eq "every event names its sandbox" \
	"$(grep -E ' (mm_[a-z_]*|mark_victim): ' "$BB_TMP/report.txt" | grep -vc ': *sandbox=default ')" 0
check_eq "tracefs' trace file counts the same allocations" \
	"$(grep ' mm_page_alloc: ' "$BB_TMP/trace.txt" | grep 'sandbox=default ' |
	   grep -vc "pfn=$NOALLOC ")" "$allocs"
check_consistent "check says ok after the workload"

enabled_after=$(cat "$TRACE/events/buddybox/enable")
# --- a second sandbox ---------------------------------------------------------
check "create beta" sh -c "echo 'create beta size_mb=16' > $BBROOT/control"
echo > "$TRACE/trace"
# trace-cmd extract turns the events off when it is done (enable reads 0)
check "events/buddybox/enable again" bb_write "$TRACE/events/buddybox/enable" 1
BBD=$BBROOT/beta
bsucc0=$(bb_vmstat alloc_success)
echo 1 > "$TRACE/tracing_on"
check_control "beta: order-0 x32, order-4 x3" "alloc order=0 gfp=GFP_KERNEL count=32"
check_control "beta: order-4 x3" "alloc order=4 gfp=GFP_KERNEL count=3"
check_control "beta: free all" "free all"
BBD=$BBROOT/default
check_control "default: order-0 x5 meanwhile" "alloc order=0 gfp=GFP_NOWAIT count=5"
echo 0 > "$TRACE/tracing_on"
BBD=$BBROOT/beta
bsucc=$(( $(bb_vmstat alloc_success) - bsucc0 ))
BBD=$BBROOT/default
note "after extract, events/buddybox/enable was $enabled_after; trace file:" \
	"$(grep -c ' mm_page_alloc: ' "$TRACE/trace") mm_page_alloc"
check "trace-cmd extract (beta)" tc extract -o "$BB_TMP/beta.dat"
tc report -i "$BB_TMP/beta.dat" > "$BB_TMP/beta.txt" 2> "$BB_TMP/report.err"
check_eq "beta's mm_page_alloc carry sandbox=beta, one per beta allocation ($bsucc)" \
	"$(grep ' mm_page_alloc: ' "$BB_TMP/beta.txt" | grep -c 'sandbox=beta ')" "$bsucc"
check_eq "default's 5 meanwhile carry sandbox=default, gfp GFP_NOWAIT" \
	"$(grep ' mm_page_alloc: ' "$BB_TMP/beta.txt" | grep 'sandbox=default ' |
	   grep -cE 'gfp_flags=GFP_NOWAIT( |$)')" 5
check_control "default: free all" "free all"
check "destroy beta" sh -c "echo 'destroy beta' > $BBROOT/control"

# --- compaction's scanners, deferral, kcompactd; the OOM killer --------------
# Movable pages over all but 400 pages of the region, every other one freed:
# an order-3 GFP_KERNEL request finds no block, wakes kswapd for order 3,
# which finds the node balanced and wakes kcompactd (it migrates, so its
# free scanner isolates); then order-9 GFP_KERNEL requests compact in the
# slow path until some fail, which defers compaction, and the next ones
# are deferred; a full compaction ("compact") isolates with both scanners.
# Only those events and mark_victim are on here.  Then a sandbox of 8 MiB, "oomy", where buddyctl asks more
# GFP_KERNEL pages than there are: the OOM killer marks its descriptor.
check "create oomy" sh -c "echo 'create oomy size_mb=8 dma_mb=0 dma32_mb=0 daemons=sync' > $BBROOT/control"
echo > "$TRACE/trace"
# only these events: the page events would make the report long to read
cevents="mm_compaction_isolate_migratepages mm_compaction_isolate_freepages
mm_compaction_defer_compaction mm_compaction_deferred mm_compaction_kcompactd_wake
mm_compaction_wakeup_kcompactd mm_compaction_begin mm_compaction_end mark_victim"
echo 0 > "$TRACE/events/buddybox/enable"
for e in $cevents; do
	bb_write "$TRACE/events/buddybox/$e/enable" 1 || not_ok "enable $e"
done
check_eq "the compaction events and mark_victim are on, the others off" \
	"$(cat "$TRACE/events/buddybox/enable")" X
stall0=$(bb_vmstat compact_stall) cfail0=$(bb_vmstat compact_fail)
iso0=$(bb_vmstat compact_isolated) cwake0=$(bb_vmstat compact_daemon_wake)
BBD=$BBROOT/oomy
oom0=$(bb_vmstat oom_kill)
BBD=$BBROOT/default
nmov=$((SIZE_MB * 256 - 400))
echo 1 > "$TRACE/tracing_on"
check_control "movable order-0 x$nmov" "alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=$nmov"
# every other one freed, 200 lines a write (the control file takes a page)
tail -n +2 "$BBD/allocations" | awk -v f="$BB_TMP/frees." \
	'NR % 2 { print "free handle=" $1 > (f int(n++ / 200)) }'
nf=0
for c in "$BB_TMP"/frees.*; do
	bb_write "$BBD/control" "$(cat "$c")" && nf=$((nf + 1))
done
check_eq "every other one freed ($nf writes)" "$(bb_nr_allocations)" $((nmov / 2))
check_control "order-3 GFP_KERNEL x2 (kswapd, then kcompactd)" "alloc order=3 gfp=GFP_KERNEL count=2"
nfail9=0
for _ in 1 2 3 4 5 6; do
	bb_control "alloc order=9 gfp=GFP_KERNEL count=1" || nfail9=$((nfail9 + 1))
done
# a full compaction, over the skip hints the earlier runs left: both
# scanners isolate
check_control "compact (the migrate and free scanners)" "compact"
"$BUDDYCTL" -s oomy alloc --order 0 --gfp GFP_KERNEL --count 2200 --quiet \
	> "$BB_TMP/oomy.out" 2>&1 &
oompid=$!
wait "$oompid"
oom_rc=$?
echo 0 > "$TRACE/tracing_on"
stall=$(( $(bb_vmstat compact_stall) - stall0 )) cfail=$(( $(bb_vmstat compact_fail) - cfail0 ))
iso=$(( $(bb_vmstat compact_isolated) - iso0 )) cwake=$(( $(bb_vmstat compact_daemon_wake) - cwake0 ))
BBD=$BBROOT/oomy
oom=$(( $(bb_vmstat oom_kill) - oom0 ))
BBD=$BBROOT/default
check "trace-cmd extract (compaction, OOM)" tc extract -o "$BB_TMP/compact.dat"
tc report -i "$BB_TMP/compact.dat" > "$BB_TMP/compact.txt" 2> "$BB_TMP/report.err"
check_eq "trace-cmd report succeeds" "$?" 0
note "compaction: compact_stall +$stall, compact_fail +$cfail, compact_isolated +$iso," \
	"compact_daemon_wake +$cwake; $nfail9 of 6 order-9 failed; oomy: oom_kill +$oom, buddyctl exit $oom_rc"
for e in $cevents; do
	echo "#   $e $(grep -c " $e: " "$BB_TMP/compact.txt")"
done
c=$BB_TMP/compact.txt
check_num "the free scanner isolated (mm_compaction_isolate_freepages)" \
	"$(count mm_compaction_isolate_freepages "$c")" -gt 0
# both scanners' nr_taken: compact_isolated counts each isolated page once
taken=$(grep -E ' mm_compaction_isolate_(migrate|free)pages: ' "$c" | grep 'sandbox=default ' |
	sed -n 's/.* nr_taken=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
check_eq "the scanners' nr_taken sum to compact_isolated (+$iso)" "$taken" "$iso"
check_num "direct compaction failed (compact_fail)" "$cfail" -gt 0
ndefer=$(count mm_compaction_defer_compaction "$c")
check_num "compaction was deferred after a failure (mm_compaction_defer_compaction)" "$ndefer" -gt 0
check_num "... at most once per failed run (compact_fail + kcompactd runs: $((cfail + cwake)))" \
	"$ndefer" -le $((cfail + cwake))
check_num "a later attempt was skipped (mm_compaction_deferred)" \
	"$(count mm_compaction_deferred "$c")" -gt 0
check_num "kcompactd was woken (compact_daemon_wake)" "$cwake" -gt 0
check_eq "mm_compaction_kcompactd_wake = compact_daemon_wake" \
	"$(count mm_compaction_kcompactd_wake "$c")" "$cwake"
check_num "mm_compaction_wakeup_kcompactd (its wakes, kswapd's)" \
	"$(count mm_compaction_wakeup_kcompactd "$c")" -ge "$cwake"
check_eq "each compaction begin has its end" "$(count mm_compaction_end "$c")" \
	"$(count mm_compaction_begin "$c")"
check_eq "oomy: the OOM killer chose once (oom_kill)" "$oom" 1
check_ne "oomy: buddyctl's allocations failed" "$oom_rc" 0
check_eq "oomy: mark_victim = oom_kill" \
	"$(grep ' mark_victim: ' "$c" | grep -c 'sandbox=oomy ')" "$oom"
check_grep "oomy: mark_victim names buddyctl's pid ($oompid)" \
	" mark_victim: +sandbox=oomy pid=$oompid( |$)" "$c"
check_control "default: free all" "free all"
check_consistent "check says ok after compaction"
check "destroy oomy" sh -c "echo 'destroy oomy' > $BBROOT/control"

echo 0 > "$TRACE/events/buddybox/enable"
check_rmmod "rmmod with the events defined (they go with the module)"
check "the buddybox events are gone after rmmod" test ! -d "$TRACE/events/buddybox"
bb_done
