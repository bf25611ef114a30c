#!/bin/bash
# make bench-compact: how much compaction gets out of a fragmented sandbox
# (issue 4).  A measurement, not a test.
#   tools/compact-bench.sh [--size-mb N] [--seed N]
# Builds buddybox.ko against the Debian 6.1 headers and bbfrag, boots
# Debian's stock kernel (never the debug test kernel: its checks distort
# timing) in QEMU with -smp 2 and 2 GiB, and runs
# tools/frag/guest-compact-bench.sh there: for three cases (direct
# compaction only; the same with __GFP_RETRY_MAYFAIL and 3 tries; with
# proactive compaction at its default), a fresh sandbox of --size-mb MiB
# (default 256) and one bbfrag run.  Prints a table - order-9 blocks
# obtained against the theoretical maximum, pages migrated, time in
# compaction, migration speed against a memcpy of the same bytes - and
# writes build/bench-compact.json.  Logs: build/logs/bench-compact-*.
# Env: BENCH_TIMEOUT (seconds, default 280).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

size_mb=256 seed=1
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--size-mb) size_mb=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "bench-compact: unknown argument $1" >&2; usage ;;
	esac
done
for v in "$size_mb" "$seed"; do
	case "$v" in
	'' | *[!0-9]*) bb_die "bench-compact: '$v' is not a number" ;;
	esac
done

bb_lock
logs=$top/build/logs
mkdir -p "$logs"
command -v qemu-system-x86_64 >/dev/null || bb_die "qemu-system-x86_64 missing (tools/deps.sh)"
command -v python3 >/dev/null || bb_die "python3 missing"
kdir=$(bb_debian_kdir)
bz=$(bb_debian_bzimage)
start=$(date +%s)

bb_log "bench-compact: building buddybox.ko and bbfrag (log build/logs/bench-compact-build.log)"
rm -rf "$top/build/compact-bench-module"
if ! { "$here/build-module.sh" "$kdir" "$top/build/compact-bench-module" &&
	make -C "$top" bbfrag; } > "$logs/bench-compact-build.log" 2>&1; then
	tail -n 30 "$logs/bench-compact-build.log" >&2
	bb_die "bench-compact: the build failed"
fi
rd=$top/build/initramfs-compact-bench.cpio.gz
"$here/initramfs.sh" "$rd" "$top/build/compact-bench-module/buddybox.ko" \
	"$top/tools/frag/bbfrag" "$here/frag/guest-compact-bench.sh"

log=$logs/bench-compact-console.log
bb_log "bench-compact: booting $(basename "$bz") (-smp 2, 2G, TCG; console build/logs/bench-compact-console.log)"
rc=0
"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script guest-compact-bench.sh \
	--smp 2 --mem 2G --timeout "${BENCH_TIMEOUT:-280}" --log "$log" \
	--append "bench.size_mb=$size_mb bench.seed=$seed" \
	2> "$logs/bench-compact-qemu.log" || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$logs/bench-compact-qemu.log" >&2
	bb_log "bench-compact: the guest failed (rc $rc); console: $log"
fi
rrc=0
python3 "$here/frag/compact-report.py" "$log" "$top/build/bench-compact.json" || rrc=$?
bb_log "bench-compact: $(( $(date +%s) - start ))s; figures in build/bench-compact.json"
[ "$rc" -eq 0 ] || exit "$rc"
exit "$rrc"
