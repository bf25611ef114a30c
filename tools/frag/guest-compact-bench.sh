#!/bin/sh
# guest-compact-bench.sh: the guest side of `make bench-compact`
# (tools/compact-bench.sh), run by the initramfs's /init on Debian's
# kernel.  For each case, a fresh sandbox (insmod size_mb=N, default 256)
# and one bbfrag run:
#   direct        compaction_proactiveness 0, GFP_HIGHUSER_MOVABLE: only
#                 direct compaction makes the order-9 blocks
#   retry-mayfail compaction_proactiveness 0,
#                 GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL, 3 failures in a
#                 row end the phase
#   proactive     compaction_proactiveness left at its default (20):
#                 kcompactd may defragment too
# Each case prints "BENCH-CASE NAME", bbfrag's output (with its line
# "bbfrag-json: {...}") and "BENCH-END NAME".  Kernel arguments:
# bench.size_mb=N, bench.seed=N.
set -u
BB=${BB:-/bb}
BBD=/sys/kernel/debug/buddybox/default
size_mb=256 seed=1
read -r cmdline < /proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	bench.size_mb=*) size_mb=${arg#*=} ;;
	bench.seed=*) seed=${arg#*=} ;;
	esac
done

fail() {
	echo "BENCH-ERROR $*"
	exit 1
}

echo "BENCH-INFO kernel=$(uname -r) cpus=$(grep -c '^processor' /proc/cpuinfo) size_mb=$size_mb seed=$seed"
rc=0
for case in direct retry-mayfail proactive; do
	insmod "$BB/buddybox.ko" size_mb="$size_mb" || fail "insmod size_mb=$size_mb"
	p=$(cat "$BBD/compaction_proactiveness")
	args="--seed $seed --memcpy --json --explain-first"
	case "$case" in
	direct) echo 0 > "$BBD/compaction_proactiveness" ;;
	retry-mayfail)
		echo 0 > "$BBD/compaction_proactiveness"
		args="$args --tries 3 --gfp GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL" ;;
	proactive) ;;
	esac
	echo "BENCH-CASE $case proactiveness=$(cat "$BBD/compaction_proactiveness") (default $p)"
	# shellcheck disable=SC2086  # the arguments are words
	"$BB/bbfrag" $args || rc=1
	echo drain > "$BBD/control"
	[ "$(cat "$BBD/check")" = ok ] || { echo "BENCH-ERROR check: $(cat "$BBD/check")"; rc=1; }
	echo "BENCH-END $case"
	rmmod buddybox || fail "rmmod"
done
exit "$rc"
