#!/bin/sh
# t_fuzz.sh: hostile input (issue 13).  bbioctlfuzz sends a fixed budget of
# ioctls with a fixed seed from 4 threads of 3 descriptors each and one
# descriptor they share - random and mis-sized commands, random fields,
# lying lengths and offsets, bad pointers, other descriptors' handles,
# closes and re-opens, attaches to a sandbox another thread creates and
# destroys - and checks every answer against the uapi's contract; then
# the same for debugfs writes (control lines, the tunables, bench,
# create/destroy lines on the top-level control).  Afterwards every page
# is back in buddyinfo, check says ok, the tunables have their values,
# only "default" is left, and the module unloads.  The harness fails the
# run on any BUG/WARNING/KASAN/UBSAN/lockdep/kmemleak report; this script
# also looks for them after each phase, in case the phase's error
# messages pushed a report out of the kernel's log buffer.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${BB:-/bb}/lib.sh"

FUZZ=${FUZZ:-$BB/bbioctlfuzz}
SIZE_MB=32
SEED=${BB_FUZZ_SEED:-13}
# the debug test kernel (KASAN, lockdep, kmemleak under TCG) is several
# times slower: the budget is sized for it to take well under a minute
debug=$BB_DEBUG_KERNEL
if [ "$debug" = 1 ]; then
	CALLS=${BB_FUZZ_CALLS:-20000}
	DCALLS=${BB_FUZZ_DCALLS:-1500}
else
	CALLS=${BB_FUZZ_CALLS:-20000}
	DCALLS=${BB_FUZZ_DCALLS:-1500}
fi
note "kernel $(uname -r) (debug $debug), seed $SEED, $CALLS ioctls, $DCALLS debugfs writes"

bug_re='BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|possible recursive locking'
bug_re="$bug_re|circular locking|inconsistent lock state|INFO: possible|list_(add|del) corruption|Call Trace"

# check_kmsg DESC: no bug report in the kernel log since the mark
check_kmsg() {
	bb_kmsg_since_mark > "$BB_TMP/kmsg.txt"
	check_nogrep "$1" "$bug_re" "$BB_TMP/kmsg.txt"
}

# run_fuzz DESC MIN ARGS...: bbioctlfuzz ARGS succeeds, says ok, and made
# MIN calls at least
run_fuzz() {
	_d=$1
	_min=$2
	shift 2
	_t0=$(date +%s)
	"$FUZZ" "$@" > "$BB_TMP/fuzz.out" 2>&1
	_rc=$?
	note "$_d: exit $_rc in $(($(date +%s) - _t0)) s:"
	sed 's/^/#   /' "$BB_TMP/fuzz.out"
	check_eq "$_d: exit status" "$_rc" 0
	check_eq "$_d: ok" "$(tail -n 1 "$BB_TMP/fuzz.out")" "bbioctlfuzz: ok"
	check_nogrep "$_d: no contract violation" '^VIOLATION' "$BB_TMP/fuzz.out"
	_n=$(sed -n 's/^bbioctlfuzz: \([0-9]*\) calls in .*/\1/p' "$BB_TMP/fuzz.out")
	check_num "$_d: $_min calls made at least" "${_n:-0}" -ge "$_min"
}

# the sandboxes' names, one line
boxes() {
	awk '{ print $1 }' "$BBROOT/sandboxes" | tr '\n' ' '
}

tunables="min_free_kbytes watermark_scale_factor watermark_boost_factor
	percpu_pagelist_high_fraction compaction_proactiveness extfrag_threshold
	percpu_pagelist_batch lowmem_reserve_ratio"
tunable_values() {
	for t in $tunables; do
		printf '%s=%s\n' "$t" "$(cat "$BBD/$t" | tr '\t' ' ')"
	done
}

bb_cleanup
check_insmod "insmod size_mb=$SIZE_MB nodes=2" size_mb=$SIZE_MB nodes=2
bb_loaded || bb_done
[ -x "$FUZZ" ] || { not_ok "$FUZZ missing"; bb_cleanup; bb_done; }
region=$(bb_vmstat region_pages)
check_eq "region_pages" "$region" $((SIZE_MB * 256))
tunable_values > "$BB_TMP/tunables.before"
# thousands of refused lines each log an error: keep them off the
# (slow, emulated) serial console; they still reach the log buffer
printk=$(awk '{ print $1 }' /proc/sys/kernel/printk)
echo 1 > /proc/sys/kernel/printk

# --- ioctls ---------------------------------------------------------------
bb_kmsg_mark
run_fuzz "ioctl fuzz" "$CALLS" --calls "$CALLS" --seed "$SEED" --threads 4 --fds 3 --churn fzchurn
check_kmsg "ioctl fuzz: no kernel report"
check_eq "only default is left (the churned sandbox is gone)" "$(boxes)" "default "
check_consistent "check ok after the ioctl fuzz"
check_all_free "every page free again (nr_free_pages, buddyinfo)"
check_eq "attached=0: every descriptor was released" \
	"$(awk '$1 == "default" { sub("attached=", "", $NF); print $NF }' "$BBROOT/sandboxes")" 0

# --- debugfs --------------------------------------------------------------
bb_kmsg_mark
run_fuzz "debugfs fuzz" "$DCALLS" --debugfs --calls "$DCALLS" --seed "$SEED"
check_kmsg "debugfs fuzz: no kernel report"
tunable_values > "$BB_TMP/tunables.after"
check_same "the tunables have their values back" "$BB_TMP/tunables.before" "$BB_TMP/tunables.after"
check_eq "only default is left (the sandboxes made are destroyed)" "$(boxes)" "default "
check_eq "control holds nothing" "$(bb_nr_allocations)" 0
check_consistent "check ok after the debugfs fuzz"
check_all_free "every page free again (nr_free_pages, buddyinfo)"

echo "$printk" > /proc/sys/kernel/printk
bb_kmsg_mark
check_rmmod "rmmod"
check_kmsg "rmmod: no kernel report"
bb_cleanup
bb_done
