#!/bin/bash
# The module and bbsim agree: the same seeded control lines, run by bbsim
# and by buddybox.ko in a guest with ONE vCPU (pcp high depends on the
# CPUs: bbsim runs with one too), end on the same buddyinfo, byte for byte,
# and on the same allocations (handle, pfn, order, migratetype, zone).
#   tools/bbsim/tests/agree.sh [--results FILE] [--seed N] [--count N]
# Results: PASS/FAIL usr:agree-{daemons-idle,failed,buddyinfo,allocations}.
# The guest boots the Debian kernel (build/logs/usr-agree.log); the lines
# keep kswapd and kcompactd asleep (gen-control.py), and the test checks
# that they stayed so on both sides: bbsim runs with daemons=sync.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=tools/lib.sh
. "$top/tools/lib.sh"

results=/dev/null seed=${BB_AGREE_SEED:-1} count=${BB_AGREE_COUNT:-3000}
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	*) echo "usage: $0 [--results FILE] [--seed N] [--count N]" >&2; exit 2 ;;
	esac
done
bb_lock
logs=$top/build/logs
work=$top/build/bbsim/agree
rm -rf "$work"
mkdir -p "$logs" "$work"
failed=0
result() {	# result PASS|FAIL NAME
	echo "$1 usr:$2" | tee -a "$results"
	[ "$1" = PASS ] || failed=1
}

# the module's parameters, and the same words for bbsim
params="size_mb=128 dma_mb=16 dma32_mb=48"
echo "$params" > "$work/agree-params"
python3 "$here/gen-control.py" "$seed" "$count" > "$work/agree-commands"

make -s -C "$top/tools/bbsim" > "$logs/usr-agree-build.log" 2>&1 ||
	{ tail -n 20 "$logs/usr-agree-build.log" >&2; result FAIL agree-build; exit 1; }
for f in buddyinfo allocations vmstat; do
	# shellcheck disable=SC2086 # the parameters are words
	"$top/build/bbsim/bbsim" -c 1 -f "$work/agree-commands" -p "$f" \
		$params daemons=sync > "$work/bbsim.$f" 2> "$work/bbsim.err" ||
		{ tail -n 20 "$work/bbsim.err" >&2; result FAIL agree-bbsim; exit 1; }
done
bbsim_failed=$(sed -n 's/^bbsim: [0-9]* commands, \([0-9]*\) failed$/\1/p' "$work/bbsim.err")

kdir=$(bb_debian_kdir)
if ! "$top/tools/build-module.sh" "$kdir" "$top/build/debian" > "$logs/usr-agree-module.log" 2>&1; then
	tail -n 20 "$logs/usr-agree-module.log" >&2
	result FAIL agree-module-build
	exit 1
fi
rd=$work/initramfs.cpio.gz
"$top/tools/initramfs.sh" "$rd" "$top/build/debian/buddybox.ko" \
	"$here/agree-guest.sh" "$work/agree-params" "$work/agree-commands"
rc=0
"$top/tools/qemu-run.sh" --kernel "$(bb_debian_bzimage)" --initrd "$rd" \
	--script agree-guest.sh --smp 1 --mem 1G --timeout "${BB_AGREE_TIMEOUT:-900}" \
	--log "$logs/usr-agree.log" > "$work/qemu.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	tail -n 30 "$work/qemu.out" >&2
	result FAIL agree-guest
	exit 1
fi

tr -d '\r' < "$logs/usr-agree.log" > "$work/console"
section() {	# section NAME FILE: the lines between the first markers
	awk -v b="BBSIM-AGREE-$1-BEGIN" -v e="BBSIM-AGREE-$1-END" \
		'$0 == e {exit} p {print} $0 == b {p=1}' "$2"
}
section buddyinfo "$work/console" > "$work/guest.buddyinfo"
section allocations "$work/console" > "$work/guest.allocations"
section vmstat "$work/console" > "$work/guest.vmstat"
guest_failed=$(sed -n 's/^BBSIM-AGREE-failed \([0-9]*\)$/\1/p' "$work/console" | head -n 1)

idle=PASS
for ev in kswapd_wake pageoutrun pgscan_kswapd compact_daemon_wake; do
	for f in "$work/bbsim.vmstat" "$work/guest.vmstat"; do
		v=$(awk -v k="$ev" '$1 == k {print $2}' "$f")
		if [ "$v" != 0 ]; then
			echo "agree: $ev is '$v' in $f: a daemon ran, the comparison would depend on when" >&2
			idle=FAIL
		fi
	done
done
result "$idle" agree-daemons-idle

if [ -n "$guest_failed" ] && [ "$guest_failed" = "$bbsim_failed" ]; then
	result PASS agree-failed
else
	echo "agree: failed lines: guest '$guest_failed', bbsim '$bbsim_failed'" >&2
	result FAIL agree-failed
fi
for f in buddyinfo allocations; do
	if [ -s "$work/guest.$f" ] && cmp -s "$work/guest.$f" "$work/bbsim.$f"; then
		result PASS "agree-$f"
	else
		echo "agree: $f differs (guest <, bbsim >):" >&2
		diff "$work/guest.$f" "$work/bbsim.$f" | head -n 20 >&2 || true
		result FAIL "agree-$f"
	fi
done
echo "agree: seed $seed, $count lines, $(wc -l < "$work/bbsim.allocations") allocation lines" >&2
exit "$failed"
