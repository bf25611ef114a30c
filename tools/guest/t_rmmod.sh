#!/bin/sh
# t_rmmod.sh: rmmod with allocations in every state leaks nothing and gives
# the host its memory back (issue 13).  Two cycles (backing=vmalloc, then
# backing=contig), each:
#  - A holds pinned GFP_KERNEL pages; D (oom_score_adj -1000) asks more
#    than is free: the OOM killer chooses A, whose descriptor stays open,
#    revoked, until just before rmmod; D keeps its pinned pages until it
#    is killed, then they are free.
#  - the sandbox's control holds pinned pages, cache pages on the LRU
#    lists, stale ones (reclaimed), and movable pages with holes between.
#  - a second sandbox, made by a create line, holds pinned and cache pages.
#  - A and D are killed (their descriptors close; the module cannot go
#    while one is open), compaction_proactiveness is raised to 100, which
#    wakes kcompactd for a proactive pass over the movable pages and their
#    holes, and rmmod comes while kcompactd migrates: it succeeds, and
#    the files are gone.
# Then MemFree (after drop_caches) is compared with the one before the
# first insmod (on the Debian kernel; see below for the debug kernel), and
# kmemleak (on the debug kernel) scans and must report nothing of
# buddybox; the harness fails the run on any kmemleak report.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

debug=$BB_DEBUG_KERNEL
# a longer proactive pass on a bigger region: rmmod lands in it
if [ "$debug" = 1 ]; then
	SIZE_MB=${BB_RMMOD_MB:-32}
else
	SIZE_MB=${BB_RMMOD_MB:-128}
fi
# MemFree (with the per-CPU lists, below) may end lower than it began by
# what is not the sandbox's: slab caches grown meanwhile, RCU-deferred
# frees and, on the debug kernel, KASAN's quarantine and kmemleak's
# metadata; with the per-CPU lists counted, runs on Debian's 6.1 and 6.12
# measured about 1 MiB less.  The tolerance, an eighth of
# the region and 8 MiB at least, catches a region not given back (the
# whole of it, or its page descriptors' 19 bytes a page are not that
# much: kmemleak sees those).
TOL_KB=${BB_RMMOD_TOL_KB:-$((SIZE_MB * 1024 / 8 > 8192 ? SIZE_MB * 1024 / 8 : 8192))}
note "kernel $(uname -r) (debug $debug), size_mb=$SIZE_MB, MemFree tolerance $TOL_KB kB"

# pcp_kb: the pages on the host's per-CPU lists, in kB (zoneinfo's pagesets
# counts).  MemFree leaves them out, and since 6.7 a list's high tunes
# itself up after a burst of frees (6.12 kept 23 MiB there after rmmod): a
# freed page is still free there.
pcp_kb() {
	awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo
}

# memfree: MemFree and the per-CPU lists in kB, with the page cache and slab
# caches dropped and deferred frees given time: the largest of three looks,
# 1 s apart
memfree() {
	_best=0
	for _i in 1 2 3; do
		sync
		echo 3 > /proc/sys/vm/drop_caches
		sleep 1
		_m=$(awk '$1 == "MemFree:" { print $2 }' /proc/meminfo)
		_m=$((_m + $(pcp_kb)))
		[ "$_m" -gt "$_best" ] && _best=$_m
	done
	echo "$_best"
}

# ctl LINE...: write the lines to the default sandbox's control at once
ctl() {
	printf '%s\n' "$@" > "$BB_TMP/ctl.in"
	( cat "$BB_TMP/ctl.in" > "$BBD/control" ) > "$BB_TMP/control.err" 2>&1
}

# handles ORDER MIGRATETYPE: the control's allocations of that kind
handles() {
	awk -v o="$1" -v mt="$2" 'NR > 1 && $3 == o && $4 == mt { print $1 }' \
		"$BBD/allocations"
}

# free_every_other: free every other one of the handles on stdin, in
# writes of 150 lines (the control takes a page at a time)
free_every_other() {
	rm -f "$BB_TMP"/free.part.*
	awk -v d="$BB_TMP" 'NR % 2 == 0 {
		print "free handle=" $1 > (d "/free.part." int(n++ / 150))
	}'
	for f in "$BB_TMP"/free.part.*; do
		[ -e "$f" ] || continue
		( cat "$f" > "$BBD/control" ) 2> "$BB_TMP/free.err" || return 1
		rm -f "$f"
	done
	return 0
}

fdpages() {
	awk '$1 == "fd_pages" { v = $2 } END { print v }' "$BB_TMP/$1.out"
}

# cycle NAME PARAMS...: one insmod, every state, rmmod
cycle() {
	c=$1
	shift
	bb_kmsg_mark
	check_insmod "$c: insmod size_mb=$SIZE_MB $*" size_mb="$SIZE_MB" "$@"
	bb_loaded || return 1
	region=$(bb_vmstat region_pages)
	check_eq "$c: region_pages" "$region" $((SIZE_MB * 256))
	# no proactive compaction while the states are built
	check "$c: compaction_proactiveness 0" bb_write "$BBD/compaction_proactiveness" 0

	# --- A, chosen by the OOM killer; D, protected, keeps its pages ---
	na=$((region * 40 / 100 / 16))
	{
		echo "alloc --order 4 --gfp GFP_KERNEL --count $na --quiet"
		echo "write all --seed 41"
		echo "echo @@ held"
		echo "wait-oom 300"
		echo "echo @@ killed"
		echo "sleep 600000"
	} > "$BB_TMP/A.bb"
	bb_bg_start A "$BB_TMP/A.bb"
	pid_A=$bb_bg_pid
	if bb_bg_wait_for A held 120; then
		ok "$c: A holds $((na * 16)) pinned pages"
	else
		not_ok "$c: A holds $((na * 16)) pinned pages"
		detail "$BB_TMP/A.out"
	fi
	bb_drain
	nd=$(($(bb_vmstat nr_free_pages) + na * 16 / 4))
	{
		echo "oom-score-adj -1000"
		echo "alloc --order 0 --gfp GFP_KERNEL --count $nd --quiet"
		echo "write all --seed 42"
		echo "stats"
		echo "echo @@ got"
		echo "sleep 600000"
	} > "$BB_TMP/D.bb"
	bb_bg_start D "$BB_TMP/D.bb"
	pid_D=$bb_bg_pid
	if bb_bg_wait_for D got 240; then
		ok "$c: D got its $nd pages"
	else
		not_ok "$c: D got its $nd pages"
		detail "$BB_TMP/D.out"
	fi
	bb_bg_pid=$pid_A
	if bb_bg_wait_for A killed 60; then
		ok "$c: the OOM killer chose A"
	else
		not_ok "$c: the OOM killer chose A"
		detail "$BB_TMP/A.out"
	fi
	check_eq "$c: oom_kill 1" "$(bb_vmstat oom_kill)" 1
	check_eq "$c: D holds $nd pages" "$(fdpages D)" "$nd"
	# D's pinned pages go with its descriptor; A stays, revoked, until
	# just before rmmod
	kill -KILL "$pid_D" 2>/dev/null
	wait "$pid_D" 2>/dev/null
	check_eq "$c: D gone: its pages free again" \
		$(($(bb_vmstat nr_free_pages) >= nd)) 1

	# --- the control's: pinned, movable with holes, cache, stale ---
	# the movable pages take most of what is free, every other one freed:
	# no free order-9 block is left but what compaction makes
	bb_drain
	nm=$(($(bb_vmstat nr_free_pages) * 85 / 100 - 192))
	if ctl "alloc order=0 gfp=GFP_KERNEL count=128" \
		"alloc order=2 gfp=GFP_KERNEL count=16" \
		"alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=$nm"; then
		ok "$c: control: pinned and $nm movable allocations"
	else
		not_ok "$c: control: pinned and $nm movable allocations"
		detail "$BB_TMP/control.err"
	fi
	if handles 0 Movable | free_every_other; then
		ok "$c: control: every other movable page freed"
	else
		not_ok "$c: control: every other movable page freed"
		detail "$BB_TMP/free.err"
	fi
	if ctl "alloc order=0 gfp=GFP_KERNEL count=400 flags=cache" \
		"reclaim pages=150"; then
		ok "$c: control: 400 cache pages, 150 of them reclaimed"
	else
		not_ok "$c: control: 400 cache pages, 150 of them reclaimed"
		detail "$BB_TMP/control.err"
	fi
	lru=$(($(bb_vmstat nr_inactive_file) + $(bb_vmstat nr_active_file)))
	check_eq "$c: 250 cache pages on the LRU lists" "$lru" 250
	check_eq "$c: 150 stale (reclaimed) and 250 cache among the control's" \
		"$(bb_nr_allocations)" $((128 + 16 + 400 + nm - nm / 2))

	# --- a second sandbox with its own ---
	bb_kmsg_mark
	if ( echo "create second size_mb=8 nodes=2" > "$BBROOT/control" ) \
		> "$BB_TMP/top.err" 2>&1 &&
		( printf '%s\n' "alloc order=0 gfp=GFP_KERNEL count=200" \
			"alloc order=0 gfp=GFP_KERNEL count=300 flags=cache" \
			"alloc order=3 gfp=GFP_HIGHUSER_MOVABLE count=20" \
			> "$BBROOT/second/control" ) 2>> "$BB_TMP/top.err"; then
		ok "$c: sandbox second, with pinned, cache and movable allocations"
	else
		not_ok "$c: sandbox second, with pinned, cache and movable allocations"
		detail "$BB_TMP/top.err"
	fi
	check_consistent "$c: check ok with every state"

	# --- the descriptors closed; kcompactd at work; rmmod ---
	kill -KILL "$pid_A" 2>/dev/null
	wait "$pid_A" 2>/dev/null
	check_consistent "$c: check ok with A gone"
	# raising compaction_proactiveness wakes kcompactd for a proactive
	# pass (compaction_proactiveness_sysctl_handler()) that migrates the
	# movable pages into the holes; rmmod follows at once.  A pass here
	# takes some milliseconds (about 6000 pages scanned on 128 MiB), about
	# the time rmmod takes to reach kcompactd_stop(): that it lands in the
	# pass is likely, not certain, and nothing can be read after rmmod.
	scan0=$(bb_vmstat compact_migrate_scanned)
	kpid=$(grep -l '^bb_kcompactd0/d' /proc/[0-9]*/comm 2>/dev/null | head -n 1 |
		cut -d/ -f3)
	bb_kmsg_mark
	echo 100 > "$BBD/compaction_proactiveness"
	kstate=$(awk '{ print $3 }' "/proc/$kpid/stat" 2>/dev/null)
	bb_rmmod
	rc=$?
	note "$c: compact_migrate_scanned $scan0 when kcompactd (pid $kpid) was woken;" \
		"its state then, just before rmmod: ${kstate:-?} (R: running)"
	if [ "$rc" = 0 ] && ! bb_loaded && [ ! -e "$BBROOT" ] && [ ! -e "$BB_DEV" ]; then
		ok "$c: rmmod with every state"
	else
		not_ok "$c: rmmod with every state"
		detail "$BB_TMP/rmmod.err"
	fi
	bb_kmsg_since_mark > "$BB_TMP/kmsg"
	check_grep "$c: the sandboxes destroyed" "buddybox: sandbox second destroyed" \
		"$BB_TMP/kmsg"
	check_nogrep "$c: no splat in the kernel log" \
		'BUG:|WARNING:|Call Trace|Oops|KASAN|kmemleak' "$BB_TMP/kmsg"
}

bb_cleanup
mem0=$(memfree)
note "MemFree before insmod: $mem0 kB"
cycle vmalloc
mem1=$(memfree)
# backing=contig asks the host for 128 MiB in one piece: compact the host's
# memory first, so the insmod does not depend on how the first cycle left it
[ ! -w /proc/sys/vm/compact_memory ] || echo 1 > /proc/sys/vm/compact_memory
cycle contig backing=contig
mem2=$(memfree)
note "MemFree: before $mem0 kB, after the vmalloc cycle $mem1 kB, after the contig cycle $mem2 kB"
# What is lost counts; more free after than before is no leak.  On the
# debug kernel MemFree says little: KASAN's quarantine keeps freed slab
# objects (up to a 32nd of the memory, about 60 MiB here), the stack depot
# only grows, vmalloc's KASAN shadow goes with the lazy purge; runs there
# measured 21 and 35 MiB less after the two cycles with kmemleak finding
# nothing.  There the figures are shown and kmemleak judges.
for m in "vmalloc $mem1" "contig $mem2"; do
	lost=$((mem0 - ${m#* }))
	[ "$lost" -gt 0 ] || lost=0
	if [ "$debug" = 1 ]; then
		note "MemFree after the ${m%% *} cycle: $((mem0 - ${m#* })) kB less than before (debug kernel: not judged)"
		continue
	fi
	check_num "MemFree after the ${m%% *} cycle within $TOL_KB kB of before ($((mem0 - ${m#* })) kB less)" \
		"$lost" -le "$TOL_KB"
done

if [ -w /sys/kernel/debug/kmemleak ]; then
	# an object is reported once two scans find it unreferenced
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$BB_TMP/kmemleak"
	note "kmemleak: $(grep -c 'unreferenced object' "$BB_TMP/kmemleak") unreferenced objects"
	check_nogrep "kmemleak: nothing of buddybox" 'buddybox' "$BB_TMP/kmemleak"
	detail "$BB_TMP/kmemleak" 40
else
	note "no kmemleak on this kernel"
fi
bb_cleanup
bb_done
