#!/bin/bash
# The module and bbsim agree: the same seeded control lines, run by bbsim
# and by buddybox.ko in a guest with ONE vCPU (pcp high depends on the
# CPUs: bbsim runs with one too), end on the same buddyinfo, byte for byte,
# and on the same allocations (handle, pfn, order, migratetype, zone).
#   tools/bbsim/tests/agree.sh [--results FILE] [--seed N] [--count N] [--busy]
#                              [--policy WORDS]
# Results: PASS/FAIL usr:agree-{daemons,failed,buddyinfo,allocations}
# (usr:agree-busy-* with --busy, usr:agree[-busy]-policy-* with --policy).
# The guest boots the Debian kernel (build/logs/usr-agree*.log).
# --policy WORDS: both sandboxes under that policy ("generation=6.10"),
# the lines with rounds of the vmstat worker (gen-control.py --vmstat),
# and the module's daemons in sync mode too: its vmstat thread would
# otherwise decay pcp high whenever a second went by.
# Without --busy the lines keep kswapd and kcompactd asleep (gen-control.py)
# and the module runs them as threads, bbsim with daemons=sync: the test
# checks that they stayed asleep on both sides.  With --busy the lines fill
# a 32 MiB sandbox with cache and other allocations, kswapd has work, and
# both run daemons=sync (the work of each wake after the control command
# that woke it) and reproducible=1: the test checks that kswapd worked, as
# much on both sides.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=tools/lib.sh
. "$top/tools/lib.sh"

results=/dev/null seed=${BB_AGREE_SEED:-1} count=${BB_AGREE_COUNT:-3000} busy=0
policy=
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	--busy) busy=1; shift ;;
	--policy) policy=$2; shift 2 ;;
	*) echo "usage: $0 [--results FILE] [--seed N] [--count N] [--busy] [--policy WORDS]" >&2; exit 2 ;;
	esac
done
case "$policy" in
*[!a-z0-9_.=\ ]*) echo "agree: --policy '$policy': words key=value" >&2; exit 2 ;;
esac
name=agree
[ "$busy" -eq 0 ] || name=agree-busy
[ -z "$policy" ] || name=$name-policy
bb_lock
logs=$top/build/logs
work=$top/build/bbsim/$name
rm -rf "$work"
mkdir -p "$logs" "$work"
failed=0
result() {	# result PASS|FAIL NAME (agree-x: agree-busy-x with --busy)
	echo "$1 usr:$name${2#agree}" | tee -a "$results"
	[ "$1" = PASS ] || failed=1
}

# the module's parameters, and the same words for bbsim
gen=()
[ -z "$policy" ] || gen=(--vmstat)
if [ "$busy" -eq 0 ]; then
	params="size_mb=128 dma_mb=16 dma32_mb=48"
	simparams="$params daemons=sync"
	[ -z "$policy" ] || params=$simparams
	[ -z "$policy" ] || simparams="$simparams $policy" params="$params $policy"
	python3 "$here/gen-control.py" "$seed" "$count" "${gen[@]}" > "$work/agree-commands"
else
	params="size_mb=32 dma_mb=0 dma32_mb=8 daemons=sync reproducible=1${policy:+ $policy}"
	simparams=$params
	python3 "$here/gen-control.py" "$seed" "$count" --busy 32 "${gen[@]}" > "$work/agree-commands"
fi
echo "$params" > "$work/agree-params"

make -s -C "$top/tools/bbsim" > "$logs/usr-agree-build.log" 2>&1 ||
	{ tail -n 20 "$logs/usr-agree-build.log" >&2; result FAIL agree-build; exit 1; }
for f in buddyinfo allocations vmstat; do
	# shellcheck disable=SC2086 # the parameters are words
	"$top/build/bbsim/bbsim" -c 1 -f "$work/agree-commands" -p "$f" \
		$simparams > "$work/bbsim.$f" 2> "$work/bbsim.err" ||
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
	--log "$logs/usr-$name.log" > "$work/qemu.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	tail -n 30 "$work/qemu.out" >&2
	result FAIL agree-guest
	exit 1
fi

tr -d '\r' < "$logs/usr-$name.log" > "$work/console"
section() {	# section NAME FILE: the lines between the first markers
	awk -v b="BBSIM-AGREE-$1-BEGIN" -v e="BBSIM-AGREE-$1-END" \
		'$0 == e {exit} p {print} $0 == b {p=1}' "$2"
}
section buddyinfo "$work/console" > "$work/guest.buddyinfo"
section allocations "$work/console" > "$work/guest.allocations"
section vmstat "$work/console" > "$work/guest.vmstat"
guest_failed=$(sed -n 's/^BBSIM-AGREE-failed \([0-9]*\)$/\1/p' "$work/console" | head -n 1)

daemons=PASS
for ev in kswapd_wake pageoutrun pgscan_kswapd pgsteal_kswapd compact_daemon_wake; do
	b=$(awk -v k="$ev" '$1 == k {print $2}' "$work/bbsim.vmstat")
	g=$(awk -v k="$ev" '$1 == k {print $2}' "$work/guest.vmstat")
	echo "agree: $ev: bbsim $b, guest $g" >&2
	if [ "$busy" -eq 0 ] && { [ "$b" != 0 ] || [ "$g" != 0 ]; }; then
		echo "agree: a daemon ran: the comparison would depend on when" >&2
		daemons=FAIL
	fi
	[ "$b" = "$g" ] || daemons=FAIL
done
if [ "$busy" -eq 1 ] && ! [ "$(awk '$1 == "kswapd_wake" {print $2}' "$work/bbsim.vmstat")" -gt 0 ]; then
	echo "agree: kswapd never woke: the busy lines do not test the daemons" >&2
	daemons=FAIL
fi
result "$daemons" agree-daemons

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
