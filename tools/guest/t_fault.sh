#!/bin/sh
# t_fault.sh: fault injection, as the kernel's fail_page_alloc.  The knobs
# of NAME/fail_page_alloc/ are set through debugfs; allocations through
# control and buddyctl then fail as 6.1's rules say: ordinary requests and
# __GFP_NORETRY fail at once (no slow path, no reclaim, no OOM kill),
# __GFP_NOFAIL is never failed; interval, times, min-order, the
# ignore-gfp-* knobs and probability each do what they say, every
# injected failure is counted in vmstat (alloc_fail_injected, exactly) and
# named by --explain and, with verbose, in the log.  Bad values are EINVAL.
# Afterwards nothing is held, buddyinfo is the initial one, check is ok,
# and the module unloads.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

SIZE_MB=64
FPA=$BBD/fail_page_alloc

bb_cleanup
check_insmod "insmod size_mb=$SIZE_MB" size_mb=$SIZE_MB
bb_loaded || bb_done

# fpa KNOB: the knob's value, as its file shows it
fpa() {
	cat "$FPA/$1"
}

# fpa_set KNOB VALUE: a write that must succeed
fpa_set() {
	if ! bb_write "$FPA/$1" "$2"; then
		not_ok "fail_page_alloc/$1 = $2"
		detail "$BB_TMP/write.err"
	fi
}

# check_fpa_einval KNOB VALUE: the write fails with EINVAL, the knob unchanged
check_fpa_einval() {
	_before=$(fpa "$1")
	if bb_write "$FPA/$1" "$2"; then
		not_ok "fail_page_alloc/$1 = '$2' accepted"
	elif grep -q 'Invalid argument' "$BB_TMP/write.err"; then
		check_eq "fail_page_alloc/$1 = '$2': EINVAL, unchanged" "$(fpa "$1")" "$_before"
	else
		not_ok "fail_page_alloc/$1 = '$2' failed, but not with EINVAL"
		detail "$BB_TMP/write.err"
	fi
}

# check_injected DESC LINE: the control line fails with ENOMEM
check_injected() {
	if bb_control "$2"; then
		not_ok "$1: '$2' succeeded"
	elif grep -qi 'memory' "$BB_TMP/control.err"; then
		ok "$1"
	else
		not_ok "$1: '$2' failed, but not with ENOMEM"
		detail "$BB_TMP/control.err"
	fi
}

injected() {
	bb_vmstat alloc_fail_injected
}

# the other failure counters: injection must not be counted there
other_fails() {
	echo $(($(bb_vmstat_fails) - $(injected)))
}

# --- the folder, the kernel's defaults, bad values --------------------------
defaults=''
for k in probability interval times space verbose ignore-gfp-wait \
	ignore-gfp-highmem min-order; do
	defaults="$defaults $k=$(fpa "$k" 2>/dev/null)"
done
check_eq "fail_page_alloc/ has the kernel's 8 knobs and defaults" "$defaults" \
	" probability=0 interval=1 times=1 space=0 verbose=2 ignore-gfp-wait=Y ignore-gfp-highmem=Y min-order=1"
check_eq "vmstat alloc_fail_injected starts at 0" "$(injected)" 0

check_fpa_einval probability 101
check_fpa_einval probability -1
check_fpa_einval probability ten
check_fpa_einval interval 0
check_fpa_einval times -2
check_fpa_einval times 2147483648
check_fpa_einval space -1
check_fpa_einval verbose 3
check_fpa_einval ignore-gfp-wait maybe
check_fpa_einval ignore-gfp-highmem 2
check_fpa_einval min-order 11
check_fpa_einval min-order 1x
check_fpa_einval probability "$(printf '%040d' 1)"

bb_state initial
others0=$(other_fails)
slow0=$(bb_vmstat alloc_slowpath)
want=0		# the injected failures this scenario expects, in all

# --- ordinary, __GFP_NORETRY, __GFP_NOFAIL (control) ------------------------
fpa_set probability 100
fpa_set times -1
fpa_set verbose 0
# ignore-gfp-wait=Y (the default) spares every request that may reclaim
check_control "GFP_KERNEL order 1 with ignore-gfp-wait=Y: spared" \
	"alloc order=1 gfp=GFP_KERNEL"
check_eq "a spared request is not counted" "$(injected)" $want
fpa_set ignore-gfp-wait N
check_eq "ignore-gfp-wait reads N" "$(fpa ignore-gfp-wait)" N
check_injected "GFP_KERNEL order 1: injected failure" \
	"alloc order=1 gfp=GFP_KERNEL"
want=$((want + 1))
check_injected "GFP_KERNEL|__GFP_NORETRY order 2: injected failure" \
	"alloc order=2 gfp=GFP_KERNEL|__GFP_NORETRY"
want=$((want + 1))
check_injected "GFP_KERNEL|__GFP_RETRY_MAYFAIL order 3: injected failure" \
	"alloc order=3 gfp=GFP_KERNEL|__GFP_RETRY_MAYFAIL"
want=$((want + 1))
check_control "GFP_KERNEL|__GFP_NOFAIL order 1, 8 times: never failed" \
	"alloc order=1 gfp=GFP_KERNEL|__GFP_NOFAIL count=8"
check_control "order 0 below min-order 1: spared" \
	"alloc order=0 gfp=GFP_KERNEL count=16"
check_control "GFP_HIGHUSER_MOVABLE with ignore-gfp-highmem=Y: spared" \
	"alloc order=1 gfp=GFP_HIGHUSER_MOVABLE"
fpa_set ignore-gfp-highmem 0
check_injected "GFP_HIGHUSER_MOVABLE with ignore-gfp-highmem=N: injected failure" \
	"alloc order=1 gfp=GFP_HIGHUSER_MOVABLE"
want=$((want + 1))
check_eq "vmstat alloc_fail_injected counts the 4 failures" "$(injected)" $want
check_eq "the held allocations: 1 + 8 + 16 + 1" "$(bb_nr_allocations)" 26
check_eq "the injected failures took no slow path" "$(bb_vmstat alloc_slowpath)" "$slow0"
check_eq "... no direct reclaim" "$(bb_vmstat allocstall_normal)" 0
check_eq "... no compaction" "$(bb_vmstat compact_stall)" 0
check_eq "... no OOM kill" "$(bb_vmstat oom_kill)" 0
check_eq "no other failure counter rose" "$(other_fails)" "$others0"
check_control "free all" "free all"

# --- interval and times, through buddyctl -----------------------------------
# interval 3, times 4: of 15 candidates, the 3rd, 6th, 9th and 12th fail;
# then times is 0 and the rest pass.  A request spared by min-order (order
# 0) in between is not counted by interval.
fpa_set interval 3
fpa_set times 4
: > "$BB_TMP/interval.bb"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	case $i in
	3 | 6 | 9 | 12) echo "expect-fail ENOMEM alloc --order 2 --gfp GFP_ATOMIC --quiet" ;;
	*) echo "alloc --order 2 --gfp GFP_ATOMIC --quiet" ;;
	esac >> "$BB_TMP/interval.bb"
	echo "alloc --order 0 --gfp GFP_ATOMIC --quiet" >> "$BB_TMP/interval.bb"
done
check "interval 3, times 4: candidates 3, 6, 9, 12 fail, the rest pass" \
	"$BUDDYCTL" script "$BB_TMP/interval.bb"
want=$((want + 4))
check_eq "times is 0 after 4 failures" "$(fpa times)" 0
check_eq "vmstat alloc_fail_injected +4" "$(injected)" $want

# --- space and min-order ----------------------------------------------------
# space 10, order 1 (2 pages each): 10 -> 8 -> 6 -> 4 -> 2 pass, then fail
fpa_set interval 1
fpa_set times -1
fpa_set space 10
cat > "$BB_TMP/space.bb" <<'EOF'
alloc --order 1 --gfp GFP_NOWAIT --count 4 --quiet
expect-fail ENOMEM alloc --order 1 --gfp GFP_NOWAIT
expect-fail ENOMEM alloc --order 1 --gfp GFP_NOWAIT
EOF
check "space 10: four order-1 requests pass, then they fail" \
	"$BUDDYCTL" script "$BB_TMP/space.bb"
want=$((want + 2))
check_eq "space is 2 after taking 4 x 2 pages" "$(fpa space)" 2
fpa_set space 0
fpa_set min-order 4
cat > "$BB_TMP/minorder.bb" <<'EOF'
alloc --order 3 --gfp GFP_NOWAIT --quiet
expect-fail ENOMEM alloc --order 4 --gfp GFP_NOWAIT
expect-fail ENOMEM alloc --order 9 --gfp GFP_NOWAIT
EOF
check "min-order 4: order 3 passes, orders 4 and 9 fail" \
	"$BUDDYCTL" script "$BB_TMP/minorder.bb"
want=$((want + 2))
check_eq "vmstat alloc_fail_injected +4" "$(injected)" $want

# --- bulk: a batch asks once ------------------------------------------------
fpa_set min-order 0
check "bulk-alloc 64 at min-order 0: injected failure" \
	"$BUDDYCTL" script - <<'EOF'
expect-fail ENOMEM bulk-alloc 64 --gfp GFP_NOWAIT
EOF
want=$((want + 1))
check_eq "the batch is one injected failure" "$(injected)" $want
fpa_set min-order 1

# --- --explain names it; verbose logs it ------------------------------------
fpa_set verbose 1
bb_kmsg_mark
"$BUDDYCTL" script - > "$BB_TMP/explain.out" 2>&1 <<'EOF'
expect-fail ENOMEM alloc --order 1 --gfp GFP_ATOMIC --explain
alloc --order 1 --gfp GFP_KERNEL|__GFP_NOFAIL --explain
EOF
echo "rc=$?" >> "$BB_TMP/explain.out"
want=$((want + 1))
check_grep "--explain names the injected failure" \
	'fail_page_alloc: injected failure' "$BB_TMP/explain.out"
check_grep "--explain: __GFP_NOFAIL is not a candidate" \
	'fail_page_alloc: not a candidate: __GFP_NOFAIL' "$BB_TMP/explain.out"
check_grep "the __GFP_NOFAIL request went on and succeeded" '^rc=0$' "$BB_TMP/explain.out"
bb_kmsg_since_mark > "$BB_TMP/kmsg1.txt"
check_grep "verbose 1: the failure is in the log" \
	'default: fail_page_alloc: forcing a failure: interval 1, probability 100' "$BB_TMP/kmsg1.txt"
check_nogrep "verbose 1: without the request" 'the request: order' "$BB_TMP/kmsg1.txt"
fpa_set verbose 2
bb_kmsg_mark
check "verbose 2, GFP_ATOMIC order 2 fails" "$BUDDYCTL" script - <<'EOF'
expect-fail ENOMEM alloc --order 2 --gfp GFP_ATOMIC
expect-fail ENOMEM alloc --order 3 --gfp GFP_ATOMIC|__GFP_NOWARN
EOF
want=$((want + 2))
bb_kmsg_since_mark > "$BB_TMP/kmsg2.txt"
check_grep "verbose 2: the request is in the log" \
	'default: fail_page_alloc: the request: order 2, gfp' "$BB_TMP/kmsg2.txt"
check_nogrep "__GFP_NOWARN: no log line" 'the request: order 3' "$BB_TMP/kmsg2.txt"
fpa_set verbose 0

# --- probability 50: some fail, each counted exactly ------------------------
fpa_set probability 50
n=0 failed=0 before=$(injected)
while [ $n -lt 200 ]; do
	bb_control "alloc order=1 gfp=GFP_ATOMIC" || failed=$((failed + 1))
	n=$((n + 1))
done
want=$((want + failed))
note "probability 50: $failed of 200 failed"
check_num "probability 50: some of 200 fail" "$failed" -gt 40
check_num "probability 50: some of 200 pass" "$failed" -lt 160
check_eq "vmstat counts each injected failure" $(($(injected) - before)) "$failed"
check_eq "and they were the only failures" "$(other_fails)" "$others0"
check_eq "the others are held" "$(bb_nr_allocations)" $((200 - failed))
check_control "free all" "free all"

# --- each sandbox its own knobs and counters --------------------------------
fpa_set probability 0
before=$(injected)
check "create sandbox fi2" sh -c "echo 'create fi2 size_mb=16' > $BBROOT/control"
FPA2=$BBROOT/fi2/fail_page_alloc
check_eq "fi2 starts with the defaults" \
	"$(cat "$FPA2/probability") $(cat "$FPA2/times") $(cat "$FPA2/min-order")" "0 1 1"
for kv in probability=100 times=-1 verbose=0; do
	bb_write "$FPA2/${kv%=*}" "${kv#*=}" || not_ok "fi2: $kv"
done
check "fi2 at probability 100: GFP_ATOMIC order 1 fails there" \
	"$BUDDYCTL" --sandbox fi2 script - <<'EOF2'
expect-fail ENOMEM alloc --order 1 --gfp GFP_ATOMIC
expect-fail ENOMEM alloc --order 1 --gfp GFP_ATOMIC
EOF2
check "... and not in default (probability 0)" "$BUDDYCTL" script - <<'EOF2'
alloc --order 1 --gfp GFP_ATOMIC
EOF2
check_eq "fi2 counts its own 2" \
	"$(awk '$1 == "alloc_fail_injected" { print $2 }' "$BBROOT/fi2/vmstat")" 2
check_eq "default's count did not move" "$(injected)" "$before"
check_eq "default's probability is still 0" "$(fpa probability)" 0
check "destroy fi2" sh -c "echo 'destroy fi2' > $BBROOT/control"

# --- off again: nothing fails, nothing leaked -------------------------------
check "probability 0: GFP_ATOMIC order 3 x 32 pass" "$BUDDYCTL" script - <<'EOF'
alloc --order 3 --gfp GFP_ATOMIC --count 32 --quiet
EOF
check_eq "vmstat alloc_fail_injected: every injected failure, exactly" "$(injected)" $want
note "injected failures in all: $want"
check_eq "no other failure counter rose" "$(other_fails)" "$others0"
check_eq "nothing held by control" "$(bb_nr_allocations)" 0
check_state "buddyinfo is the initial one" initial
check_all_free "every page of the region is free"
check_consistent "check says ok"
check_rmmod "rmmod"
bb_done
