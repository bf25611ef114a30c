#!/bin/bash
# The module and bbsim agree on a real kernel's trace: the shipped trace
# (tools/replay/data) replayed by bbsim replay and by buddyctl replay into
# buddybox.ko in a guest with ONE vCPU (as bbsim's one CPU), the same
# parameters and daemons=sync, give the same counts and the same
# checkpoints every 1000 events (free blocks per order, indexes, fallbacks,
# compaction and reclaim counters), line for line.
#   tools/bbsim/tests/agree-replay.sh [--results FILE]
# Result: PASS/FAIL usr:agree-replay (log build/logs/usr-agree-replay*.log)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=tools/lib.sh
. "$top/tools/lib.sh"

results=/dev/null
case "${1:-}" in
--results) results=$2 ;;
'') ;;
*) echo "usage: $0 [--results FILE]" >&2; exit 2 ;;
esac
bb_lock
logs=$top/build/logs
work=$top/build/bbsim/agree-replay
rm -rf "$work"
mkdir -p "$logs" "$work"
data=$top/tools/replay/data
params="size_mb=256 dma_mb=16 dma32_mb=240 daemons=sync"
echo "$params" > "$work/agree-params"
result() {
	echo "$1 usr:agree-replay" | tee -a "$results"
	[ "$1" = PASS ]
}

{
	make -s -C "$top/tools/bbsim" && make -s -C "$top" buddyctl &&
		"$top/tools/build-module.sh" "$(bb_debian_kdir 6.1)" "$top/build/debian"
} > "$logs/usr-agree-replay-build.log" 2>&1 ||
	{ tail -n 20 "$logs/usr-agree-replay-build.log" >&2; result FAIL; exit 1; }

# shellcheck disable=SC2086 # the parameters are words
"$top/build/bbsim/bbsim" replay "$data/files-6.1.trace.xz" --every 1000 --label default \
	--json "$work/bbsim.json" $params > "$work/bbsim.out" 2>&1 ||
	{ cat "$work/bbsim.out" >&2; result FAIL; exit 1; }

rd=$work/initramfs.cpio.gz
"$top/tools/initramfs.sh" "$rd" "$top/build/debian/buddybox.ko" \
	"$top/tools/buddyctl/buddyctl" "$here/agree-replay-guest.sh" \
	"$work/agree-params" "$data/files-6.1.trace.xz"
rc=0
"$top/tools/qemu-run.sh" --kernel "$(bb_debian_bzimage 6.1)" --initrd "$rd" \
	--script agree-replay-guest.sh --smp 1 --mem 1G --timeout 600 \
	--log "$logs/usr-agree-replay.log" > "$work/qemu.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	tail -n 30 "$work/qemu.out" >&2
	result FAIL
	exit 1
fi
tr -d '\r' < "$logs/usr-agree-replay.log" |
	awk '$0 == "BBSIM-AGREE-json-END" {p=0; done=1} p {print} $0 == "BBSIM-AGREE-json-BEGIN" && !done {p=1}' \
	> "$work/guest.json"
# the same counts and checkpoints: all but the trace's path
for side in bbsim guest; do
	grep -v '^  "trace": ' "$work/$side.json" > "$work/$side.cmp" || true
done
n=$(grep -c '"event": ' "$work/guest.cmp" || true)
if [ "$n" -gt 50 ] && cmp -s "$work/bbsim.cmp" "$work/guest.cmp"; then
	echo "agree-replay: $n checkpoints, the same in the guest and in bbsim" >&2
	result PASS
else
	echo "agree-replay: $n checkpoints; they differ (bbsim <, guest >):" >&2
	diff "$work/bbsim.cmp" "$work/guest.cmp" | head -n 20 >&2 || true
	result FAIL
	exit 1
fi
