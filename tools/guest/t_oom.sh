#!/bin/sh
# t_oom.sh: the sandbox's OOM killer (issue 4).  Three buddyctl processes
# hold pinned GFP_KERNEL pages, each with its own pattern: C the most, but
# with oom_score_adj -1000; A less; B the least.  A fourth, D, asks
# GFP_KERNEL order-0 pages, more than are free: nothing is reclaimable, so
# the OOM killer must act, and it must choose A, the largest unprotected
# holder (D itself holds fewer pages than B).  A's wait-oom reports it,
# its ioctls answer EIO; B and C keep every page (their patterns verify
# after the kill) and D gets all it asked for.  vmstat oom_kill is 1, the
# kernel log has the sandbox's out-of-memory line for A's pid, check says
# ok, and every page is free at the end.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

debug=$BB_DEBUG_KERNEL
# how long B and C wait for a kill that must not come before they verify
if [ "$debug" = 1 ]; then
	WAIT=${BB_OOM_WAIT:-45}
else
	WAIT=${BB_OOM_WAIT:-20}
fi
SIZE_MB=32
note "kernel $(uname -r) (debug $debug), size_mb=$SIZE_MB, survivors wait $WAIT s"

bb_cleanup
# one zone: GFP_KERNEL may use every page but the watermarks
check_insmod "insmod size_mb=$SIZE_MB dma_mb=0 dma32_mb=0" size_mb=$SIZE_MB dma_mb=0 \
	dma32_mb=0
bb_loaded || bb_done

region=$(bb_vmstat region_pages)
check_eq "region_pages" "$region" $((SIZE_MB * 256))
check_eq "oom_kill 0" "$(bb_vmstat oom_kill)" 0
bb_state initial

# order-4 allocations (16 pages) of each holder
nc=$((region * 190 / 8192))	# C: 3040 pages of 8192, protected
na=$((region * 160 / 8192))	# A: 2560, the victim
nb=$((region * 90 / 8192))	# B: 1440

# holder NAME ADJ COUNT SEED VICTIM: its script
holder() {
	{
		echo "oom-score-adj $2"
		echo "alloc --order 4 --gfp GFP_KERNEL --count $3 --quiet"
		echo "write all --seed $4"
		echo "stats"
		echo "echo @@ held"
		if [ "$5" = 1 ]; then
			echo "wait-oom 300"
			echo "wait-oom 0"
			echo "expect-fail EIO stats"
			echo "expect-fail EIO read \$1"
			echo "expect-fail EIO alloc --order 0"
			echo "expect-fail EIO oom-score-adj"
			echo "echo @@ killed"
		else
			echo "expect-fail ETIMEDOUT wait-oom $WAIT"
			echo "read all --verify-seed $4"
			echo "stats"
			echo "echo @@ verified"
		fi
		echo "sleep 600000"
	} > "$BB_TMP/$1.bb"
}

holder C -1000 "$nc" 31 0
holder A 0 "$na" 32 1
holder B 0 "$nb" 33 0

bb_kmsg_mark
pids=
for h in C A B; do
	bb_bg_start "$h" "$BB_TMP/$h.bb"
	eval "pid_$h=\$bb_bg_pid"
	pids="$pids $bb_bg_pid"
	if bb_bg_wait_for "$h" held 120; then
		ok "$h holds its pages"
	else
		not_ok "$h holds its pages"
		detail "$BB_TMP/$h.out"
	fi
done
# shellcheck disable=SC2154  # set by the eval above
note "pids: C $pid_C, A $pid_A, B $pid_B"
check_grep "C: oom_score_adj -1000" '^oom_score_adj=-1000$' "$BB_TMP/C.out"
fdpages() {
	awk '$1 == "fd_pages" { print $2; exit }' "$BB_TMP/$1.out"
}
check_eq "C holds $((nc * 16)) pages" "$(fdpages C)" $((nc * 16))
check_eq "A holds $((na * 16)) pages" "$(fdpages A)" $((na * 16))
check_eq "B holds $((nb * 16)) pages" "$(fdpages B)" $((nb * 16))

# D: more than is free, fewer than is free once A's pages are back
bb_drain
free=$(bb_vmstat nr_free_pages)
nd=$((free + na * 16 / 2))
note "$free pages free; D asks $nd"
start=$(date +%s)
timeout 240 "$BUDDYCTL" alloc --order 0 --gfp GFP_KERNEL --count "$nd" --quiet -- stats \
	> "$BB_TMP/D.out" 2>&1
d_rc=$?
note "D ran $(($(date +%s) - start)) s, exit $d_rc"
detail "$BB_TMP/D.out"
early=
for h in B C; do
	grep -qx '@@ verified' "$BB_TMP/$h.out" && early="$early $h"
done
check_eq "D got its $nd pages" "$d_rc" 0
check_grep "... all of them" "^fd_pages $nd\$" "$BB_TMP/D.out"
check_eq "B and C were still waiting when D was done" "$early" ""

bb_bg_pid=$pid_A
if bb_bg_wait_for A killed 60; then
	ok "A: wait-oom reported the kill, every ioctl then EIO"
else
	not_ok "A: wait-oom reported the kill, every ioctl then EIO"
fi
detail "$BB_TMP/A.out"
check_grep "A: oom-killed" '^oom-killed$' "$BB_TMP/A.out"
check_grep "A: stats answers EIO" '^failed as expected: expect-fail EIO stats$' "$BB_TMP/A.out"
check_grep "A: alloc answers EIO" '^failed as expected: expect-fail EIO alloc' "$BB_TMP/A.out"
for h in B C; do
	eval "bb_bg_pid=\$pid_$h"
	if bb_bg_wait_for "$h" verified $((WAIT + 120)); then
		ok "$h: not chosen, every byte of its pages verified after the kill"
	else
		not_ok "$h: not chosen, every byte of its pages verified after the kill"
		detail "$BB_TMP/$h.out"
	fi
done
check_grep "B: wait-oom timed out" '^failed as expected: expect-fail ETIMEDOUT wait-oom' \
	"$BB_TMP/B.out"
check_grep "C: wait-oom timed out" '^failed as expected: expect-fail ETIMEDOUT wait-oom' \
	"$BB_TMP/C.out"
check_grep "B: read all verified" "^verified all count=$nb\$" "$BB_TMP/B.out"
check_grep "C: read all verified" "^verified all count=$nc\$" "$BB_TMP/C.out"
check_eq "B still holds $((nb * 16)) pages" \
	"$(awk '$1 == "fd_pages" { v = $2 } END { print v }' "$BB_TMP/B.out")" $((nb * 16))
check_eq "C still holds $((nc * 16)) pages" \
	"$(awk '$1 == "fd_pages" { v = $2 } END { print v }' "$BB_TMP/C.out")" $((nc * 16))

check_eq "vmstat oom_kill 1" "$(bb_vmstat oom_kill)" 1
bb_kmsg_since_mark > "$BB_TMP/kmsg"
grep 'out of memory' "$BB_TMP/kmsg" > "$BB_TMP/oom.kmsg"
detail "$BB_TMP/oom.kmsg"
check_grep "kernel log: A's pages revoked" \
	"buddybox: out of memory \\(order 0, gfp 0x[0-9a-f]+\\): revoked the $((na * 16)) pages of the descriptor of pid $pid_A, oom_score_adj 0" \
	"$BB_TMP/kmsg"
check_eq "... once" "$(wc -l < "$BB_TMP/oom.kmsg")" 1
check_eq "free pages: all but B's and C's" "$(bb_vmstat nr_free_pages)" \
	$((region - nb * 16 - nc * 16))
check_consistent "check ok after the kill"

for p in $pids; do
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
check_control "drain" drain
check_all_free "every page free"
check_state "buddyinfo identical to the initial one" initial
check_consistent "check ok"
check_rmmod "rmmod"
bb_cleanup
bb_done
