#!/bin/bash
# make bench: buddybox's allocator against the kernel's, in one guest.
#   tools/bench.sh [--iters N] [--big-iters N] [--reps N] [--append ARGS]
#                  [--kernel debian-6.1|debian-6.12]
# Builds buddybox.ko against the headers of Debian's 6.1 kernel (--kernel
# debian-6.12: of its 6.12), boots that stock kernel (never the debug test
# kernel: its checks distort timing) in QEMU
# with -smp 2 and 3 GiB, and runs tools/bench/guest-bench.sh there: insmod
# of a 1 GiB region, timed, then the debugfs file "bench" for orders 0, 1,
# 3, 9, 10, a batch of 64 and bulk order 0, buddybox and kernel, on one and
# two vCPUs, --reps times (default 5) with --iters pairs per CPU (default
# 500000; --big-iters for orders 9 and 10, default 50000).  Prints a table
# and writes build/bench.json.  A measurement, not a test: the exit status
# says whether it ran, not whether the targets were met.
# The guest boots with init_on_alloc=0 (Debian turns it on by default), so
# that the kernel does not zero what buddybox does not; --append adds more
# kernel arguments (--append init_on_alloc=1 puts it back).
# The two-vCPU figures need two idle host cores: the report says how much
# CPU other processes took during the run, and warns when it was too much.
# Beside the guest's figures, callgrind counts the instructions of an
# order-0 alloc+free pair of the core in user space (tools/bbsim), a figure
# that does not depend on the host's load.
# Logs: build/logs/bench-*.  Env: BENCH_TIMEOUT (seconds, default 900),
# BB_SRC (measure another source tree, e.g. `git archive` of a commit).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

iters=500000 big_iters=50000 reps=5 append='' series=6.1
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--iters) iters=$2; shift 2 ;;
	--big-iters) big_iters=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--kernel)
		case "$2" in
		debian-6.1|debian-6.12) series=${2#debian-} ;;
		*) bb_die "bench: --kernel $2: debian-6.1 or debian-6.12" ;;
		esac
		shift 2 ;;
	-h|--help) usage ;;
	*) echo "bench: unknown argument $1" >&2; usage ;;
	esac
done
for v in "$iters" "$big_iters" "$reps"; do
	case "$v" in
	'' | *[!0-9]* | 0) bb_die "bench: '$v' is not a positive number" ;;
	esac
done

bb_lock
logs=$top/build/logs
mkdir -p "$logs"
command -v qemu-system-x86_64 >/dev/null || bb_die "qemu-system-x86_64 missing (tools/deps.sh)"
command -v python3 >/dev/null || bb_die "python3 missing"
kdir=$(bb_debian_kdir "$series")
bz=$(bb_debian_bzimage "$series")
start=$(date +%s)

bb_log "bench: building buddybox.ko against $kdir (log build/logs/bench-build.log)"
# a fresh tree: with BB_SRC switching, rsync's kept timestamps could leave
# objects of other sources behind, and a benchmark must measure these
rm -rf "$top/build/bench-module"
if ! "$here/build-module.sh" "$kdir" "$top/build/bench-module" > "$logs/bench-build.log" 2>&1; then
	tail -n 30 "$logs/bench-build.log" >&2
	bb_die "bench: the module build failed"
fi
rd=$top/build/initramfs-bench.cpio.gz
"$here/initramfs.sh" "$rd" "$top/build/bench-module/buddybox.ko" \
	"$here/bench/guest-bench.sh"

# The two-vCPU figures need two idle host cores: measure what else ran.
# host_ticks: busy and total ticks of all the host's CPUs (/proc/stat);
# child_ticks: CPU ticks of this script's waited-for children (QEMU)
host_ticks() { awk '$1 == "cpu" { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat; }
child_ticks() { sed 's/.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'; }
read -r busy0 total0 < <(host_ticks)
child0=$(child_ticks)

log=$logs/bench-console.log
bb_log "bench: booting $(basename "$bz") (-smp 2, 3G, TCG; console build/logs/bench-console.log)"
rc=0
"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script guest-bench.sh \
	--smp 2 --mem 3G --timeout "${BENCH_TIMEOUT:-900}" --log "$log" \
	--append "init_on_alloc=0 bench.iters=$iters bench.big_iters=$big_iters bench.reps=$reps $append" \
	2> "$logs/bench-qemu.log" || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$logs/bench-qemu.log" >&2
	bb_log "bench: the guest failed (rc $rc); console: $log"
fi

read -r busy1 total1 < <(host_ticks)
child1=$(child_ticks)
ncpu=$(getconf _NPROCESSORS_ONLN)
host=$(awk -v n="$ncpu" -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) \
	-v q=$((child1 - child0)) 'BEGIN {
		w = t / n; if (w <= 0) w = 1
		o = (b - q) / w; if (o < 0) o = 0
		printf "host_cores=%d qemu_cores=%.2f other_cores=%.2f\n", n, q / w, o
	}')

# one figure the host's load does not change: callgrind's instructions of
# an order-0 pair of the core in user space (tools/bbsim)
usr=$("$here/bbsim/tests/callgrind.sh" 2> "$logs/bench-callgrind.log") ||
	{ bb_log "bench: no callgrind count (log build/logs/bench-callgrind.log)"; usr=''; }

rrc=0
python3 "$here/bench/report.py" "$log" "$top/build/bench.json" "$host $usr" || rrc=$?
bb_log "bench: $(( $(date +%s) - start ))s; figures in build/bench.json"
[ "$rc" -eq 0 ] || exit "$rc"
exit "$rrc"
