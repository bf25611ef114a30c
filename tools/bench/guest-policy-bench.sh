#!/bin/sh
# guest-policy-bench.sh: the guest side of `make bench-policy`
# (tools/bench-policy.sh), run by the initramfs's /init on Debian's kernel.
# insmod with a small "default" sandbox, then one sandbox per policy
# (p0, p1, ...), all of the same size, created up front with
# daemons=sync reproducible=1: kswapd's and kcompactd's work runs at the
# end of the request that woke them, so the same requests give the same
# result on every run, and two sandboxes differ only by their policy.  A
# policy the module refuses is reported (BENCH-REFUSED, with the kernel
# log's reason) and left out.  Then, one sandbox at a time, the same bbmix
# run (same seed), which prints the sandbox's vmstat, fallbacks and
# pageblocks as its steps left them.  Kernel arguments: bench.size_mb=N,
# bench.seed=N, bench.ops=N, bench.policies=A;B;... (the words of a
# policy joined by commas).
set -u
BB=${BB:-/bb}
ROOT=/sys/kernel/debug/buddybox
size_mb=256 seed=1 ops=1000000 policies='fallback=6.1;fallback=6.10'
read -r cmdline < /proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	bench.size_mb=*) size_mb=${arg#*=} ;;
	bench.seed=*) seed=${arg#*=} ;;
	bench.ops=*) ops=${arg#*=} ;;
	bench.policies=*) policies=${arg#*=} ;;
	esac
done

fail() {
	echo "BENCH-ERROR $*"
	exit 1
}

echo "BENCH-INFO kernel=$(uname -r) cpus=$(grep -c '^processor' /proc/cpuinfo) size_mb=$size_mb seed=$seed ops=$ops"
insmod "$BB/buddybox.ko" size_mb=16 dma_mb=0 dma32_mb=0 || fail "insmod"
created=''
i=0
old_ifs=$IFS
IFS=';'
# shellcheck disable=SC2086  # split on ';'
set -- $policies
IFS=$old_ifs
for pol in "$@"; do
	words=$(echo "$pol" | tr ',' ' ')
	name=p$i
	i=$((i + 1))
	dmesg -c > /dev/null 2>&1
	if err=$( (echo "create $name size_mb=$size_mb dma_mb=0 dma32_mb=0 daemons=sync reproducible=1 $words" > "$ROOT/control") 2>&1); then
		echo "BENCH-POLICY $name $words :: $(tr '\n' ' ' < "$ROOT/$name/policy")"
		created="$created $name"
	else
		why=$(dmesg | grep 'buddybox:' | tail -n 1 | sed 's/^\[[^]]*\] *//')
		echo "BENCH-REFUSED $name $words :: ${err##*: } :: $why"
	fi
done
[ -n "$created" ] || fail "no sandbox created"

rc=0
for name in $created; do
	echo "BENCH-CASE $name"
	"$BB/bbmix" --sandbox "$name" --seed "$seed" --ops "$ops" \
		--debugfs "$ROOT/$name" || rc=1
	chk=$(cat "$ROOT/$name/check")
	[ "$chk" = ok ] || { echo "BENCH-ERROR $name: check: $chk"; rc=1; }
	echo "BENCH-END $name"
	echo "destroy $name" > "$ROOT/control" || rc=1
done
rmmod buddybox || fail "rmmod"
exit "$rc"
