#!/bin/sh
# guest-bench.sh: the guest side of `make bench` (tools/bench.sh), run by
# the initramfs's /init on Debian's kernel.  Times `insmod buddybox.ko
# size_mb=1024` (three loads, the last one kept), then runs every case of the debugfs file "bench" for
# buddybox and for the kernel, on one and on two CPUs, a few times,
# interleaved.  Each run is one line on the console:
#   BENCH case=C kind=K cpus=N rep=R key=value...
# (the keys the bench file prints).  Kernel arguments: bench.iters=N
# (orders 0-3, batch and bulk), bench.big_iters=N (orders 9 and 10),
# bench.reps=N, bench.size_mb=N, bench.min_free_kbytes=N.
# The sandbox gets the guest kernel's own min_free_kbytes (unless
# bench.min_free_kbytes says otherwise): Debian's kernel runs with THP's
# recommended value, far above the sqrt rule the sandbox starts with, and
# pcp high follows the low watermark.  With the sqrt rule's high (562
# pages a CPU for 1 GiB) an order-9 block on a pcp list leaves no room for
# the low orders, and the cases after the first order-9 one measure
# free_pcppages_bulk() rather than the per-CPU lists.
set -u
BB=${BB:-/bb}
BBD=/sys/kernel/debug/buddybox/default
iters=500000 big_iters=50000 reps=5 size_mb=1024
min_free_kbytes=$(cat /proc/sys/vm/min_free_kbytes)
read -r cmdline < /proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	bench.iters=*) iters=${arg#*=} ;;
	bench.big_iters=*) big_iters=${arg#*=} ;;
	bench.reps=*) reps=${arg#*=} ;;
	bench.size_mb=*) size_mb=${arg#*=} ;;
	bench.min_free_kbytes=*) min_free_kbytes=${arg#*=} ;;
	esac
done

fail() {
	echo "BENCH-ERROR $*"
	exit 1
}

# the kernel log's timestamp of a line ending in MARK, in microseconds;
# nothing when the kernel has no CONFIG_PRINTK_TIME
kmsg_us() {
	dmesg | awk -v m="$1" '/^\[ *[0-9]+\.[0-9]+\]/ && index($0, m) {
		sub(/^\[ */, ""); sub(/\].*/, "")
		split($0, t, ".")
		printf "%d\n", t[1] * 1000000 + t[2]
		exit
	}'
}

# /proc/uptime in microseconds (10 ms steps)
uptime_us() {
	awk '{ printf "%d\n", $1 * 1000000 }' /proc/uptime
}

echo "BENCH-INFO cpus=$(grep -c ^processor /proc/cpuinfo) mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo) kernel=$(uname -r) iters=$iters big_iters=$big_iters reps=$reps size_mb=$size_mb cmdline=$(tr ' ' ',' < /proc/cmdline)"

# insmod of the region, timed by two marks in the kernel log (microseconds),
# three times; the module stays loaded after the last
n=1
while [ "$n" -le 3 ]; do
	if [ "$n" -gt 1 ]; then
		rmmod buddybox || fail "rmmod"
	fi
	u0=$(uptime_us)
	echo "bench-insmod-start-$n" > /dev/kmsg
	insmod "$BB/buddybox.ko" "size_mb=$size_mb" > /tmp/insmod.err 2>&1 ||
		fail "insmod size_mb=$size_mb: $(cat /tmp/insmod.err)"
	echo "bench-insmod-end-$n" > /dev/kmsg
	u1=$(uptime_us)
	t0=$(kmsg_us "bench-insmod-start-$n")
	t1=$(kmsg_us "bench-insmod-end-$n")
	if [ -z "$t0" ] || [ -z "$t1" ]; then
		t0=$u0 t1=$u1
	fi
	echo "BENCH-INSMOD size_mb=$size_mb n=$n us=$((t1 - t0))"
	n=$((n + 1))
done
[ -w "$BBD/bench" ] || fail "no $BBD/bench"
echo "$min_free_kbytes" > "$BBD/min_free_kbytes" ||
	fail "the sandbox refused min_free_kbytes=$min_free_kbytes"
pcp_high=$(awk '$1 == "Node" { z = $4 } z == "Normal" && $1 == "high:" { print $2; exit }' \
	"$BBD/zoneinfo")
echo "BENCH-TUNE min_free_kbytes=$(cat "$BBD/min_free_kbytes") kernel_min_free_kbytes=$(cat /proc/sys/vm/min_free_kbytes) pcp_high=$pcp_high"

# the bench file as one line of key=value: the run's keys, or the metadata
bench_line() {
	awk -v want="$1" 'NF == 2 {
		meta = $1 ~ /^(metadata_|region_pages|page_descriptor_size|possible_cpus)/
		if (meta == (want == "meta"))
			printf " %s=%s", $1, $2
	}' "$BBD/bench"
}

echo "BENCH-META$(bench_line meta)"

# run CASE KIND CPUS REP ARGS...
run() {
	_case=$1 _kind=$2 _cpus=$3 _rep=$4
	shift 4
	if ! echo "kind=$_kind cpus=$_cpus $*" > "$BBD/bench" 2> /tmp/bench.err; then
		echo "BENCH-ERROR case=$_case kind=$_kind cpus=$_cpus: $(cat /tmp/bench.err)"
		return
	fi
	echo "BENCH case=$_case kind=$_kind cpus=$_cpus rep=$_rep$(bench_line run)"
}

rep=1
while [ "$rep" -le "$reps" ]; do
	for cpus in 1 2; do
		for o in 0 1 3 9 10; do
			n=$iters
			[ "$o" -ge 9 ] && n=$big_iters
			for kind in buddybox kernel; do
				run "order$o" "$kind" "$cpus" "$rep" "order=$o iters=$n"
			done
		done
		for kind in buddybox kernel; do
			run order0_batch64 "$kind" "$cpus" "$rep" "order=0 iters=$iters batch=64"
		done
		for kind in buddybox kernel; do
			run bulk_order0 "bulk_$kind" "$cpus" "$rep" "order=0 iters=$iters batch=64"
		done
	done
	rep=$((rep + 1))
done

# bad input is refused
for bad in order=11 iters=0 cpus=3 batch=0 kind=foo foo=1 order \
	"kind=bulk_kernel order=1"; do
	if echo "$bad" > "$BBD/bench" 2> /dev/null; then
		echo "BENCH-ERROR '$bad' accepted"
	fi
done
sed 's/^/BENCH-CHECK /' "$BBD/check"
rmmod buddybox || fail "rmmod"
echo "BENCH-DONE"
