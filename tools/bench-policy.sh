#!/bin/bash
# make bench-policy: allocator generations side by side on one seeded
# workload (issue 11).  A measurement, not a test.
#   tools/bench-policy.sh [--bbsim] [--policies "A;B;..."] [--size-mb N]
#                         [--seed N] [--ops N]
# Builds buddybox.ko against the Debian 6.1 headers and bbmix, boots
# Debian's stock kernel (never the debug test kernel: its checks distort
# timing) in QEMU with one vCPU (the per-CPU lists of one CPU, as with
# daemons=sync, keep the runs reproducible) and 3 GiB, and runs
# tools/bench/guest-policy-bench.sh there: one sandbox of --size-mb MiB
# (default 256) per policy, created side by side, then the same bbmix run
# (--seed, default 1; --ops steps, default 1000000) into each, one at a
# time.  A policy is the words of a create line ("fallback=6.10",
# "generation=6.15 defrag_mode=1"); by default fallback=6.1,
# fallback=6.10, generation=6.10, generation=6.15 and generation=6.15
# defrag_mode=1 - the module refuses the rules it has not written yet,
# and the table's footer says which and why.  Prints one table, a column
# per sandbox, and writes build/bench-policy.json.  Logs:
# build/logs/bench-policy-*.  Env: BENCH_TIMEOUT (seconds, default 900).
# --bbsim runs the same steps through the core in user space instead
# (tools/bbsim/mix.c, bbmix-sim: native speed, no guest), one process per
# policy, and prints the same table (build/bench-policy-bbsim.json); with
# daemons=sync and one CPU on both sides, its figures are the guest's but
# the wall time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

size_mb=256 seed=1 ops=1000000 bbsim=0
policies='fallback=6.1;fallback=6.10;generation=6.10;generation=6.15;generation=6.15 defrag_mode=1'
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--policies) policies=$2; shift 2 ;;
	--bbsim) bbsim=1; shift ;;
	--size-mb) size_mb=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--ops) ops=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "bench-policy: unknown argument $1" >&2; usage ;;
	esac
done
for v in "$size_mb" "$seed" "$ops"; do
	case "$v" in
	'' | *[!0-9]*) bb_die "bench-policy: '$v' is not a number" ;;
	esac
done
# the kernel command line carries them: words joined by commas
case "$policies" in
*[!a-z0-9_.=\ \;]* | '') bb_die "bench-policy: --policies '$policies': words key=value, sets separated by ';'" ;;
esac
pol_arg=$(echo "$policies" | sed 's/  */ /g; s/ *; */;/g; s/^ //; s/ $//' | tr ' ' ',')

logs=$top/build/logs
mkdir -p "$logs"

if [ "$bbsim" = 1 ]; then
	# the guest script's lines, from bbmix-sim: policy-report.py reads both
	start=$(date +%s)
	bb_log "bench-policy --bbsim: building bbmix-sim (log build/logs/bench-policy-bbsim-build.log)"
	make -C "$here/bbsim" mix > "$logs/bench-policy-bbsim-build.log" 2>&1 ||
		{ tail -n 30 "$logs/bench-policy-bbsim-build.log" >&2; bb_die "bench-policy: the build failed"; }
	log=$logs/bench-policy-bbsim.log
	words="size_mb=$size_mb dma_mb=0 dma32_mb=0 daemons=sync reproducible=1"
	{
		echo "BENCH-INFO kernel=bbsim cpus=1 size_mb=$size_mb seed=$seed ops=$ops"
		i=0
		IFS=';' read -r -a sets <<< "$pol_arg"
		for set in "${sets[@]}"; do
			pol=${set//,/ }
			out=$logs/bench-policy-bbsim-p$i.out
			src=0
			# shellcheck disable=SC2086  # the words of a create line
			"$top/build/bbsim/bbmix-sim" --seed "$seed" --ops "$ops" $words $pol \
				> "$out" 2>&1 || src=$?
			if [ "$src" = 3 ]; then
				# "bbmix-sim: refused: ERROR: what"; the core's message
				# (a buddybox: line) says why when there is one
				ref=$(sed -n 's/^bbmix-sim: refused: //p' "$out")
				why=$(grep '^buddybox:' "$out" | tail -n 1 || true)
				echo "BENCH-REFUSED p$i $pol :: ${ref%%:*} :: ${why:-${ref#*: }}"
			else
				echo "BENCH-POLICY p$i $pol :: $pol"
				echo "BENCH-CASE p$i"
				cat "$out"
				[ "$src" = 0 ] || echo "BENCH-ERROR p$i: bbmix-sim exit status $src"
				echo "BENCH-END p$i"
			fi
			i=$((i + 1))
		done
	} > "$log"
	rrc=0
	python3 "$here/bench/policy-report.py" "$log" "$top/build/bench-policy-bbsim.json" || rrc=$?
	bb_log "bench-policy --bbsim: $(( $(date +%s) - start ))s; figures in build/bench-policy-bbsim.json"
	exit "$rrc"
fi

bb_lock
command -v qemu-system-x86_64 >/dev/null || bb_die "qemu-system-x86_64 missing (tools/deps.sh)"
command -v python3 >/dev/null || bb_die "python3 missing"
kdir=$(bb_debian_kdir)
bz=$(bb_debian_bzimage)
start=$(date +%s)

bb_log "bench-policy: building buddybox.ko and bbmix (log build/logs/bench-policy-build.log)"
rm -rf "$top/build/policy-bench-module"
if ! { "$here/build-module.sh" "$kdir" "$top/build/policy-bench-module" &&
	make -C "$top" bbmix; } > "$logs/bench-policy-build.log" 2>&1; then
	tail -n 30 "$logs/bench-policy-build.log" >&2
	bb_die "bench-policy: the build failed"
fi
rd=$top/build/initramfs-policy-bench.cpio.gz
"$here/initramfs.sh" "$rd" "$top/build/policy-bench-module/buddybox.ko" \
	"$top/tools/bench/bbmix" "$here/bench/guest-policy-bench.sh"

log=$logs/bench-policy-console.log
bb_log "bench-policy: booting $(basename "$bz") (-smp 1, 3G, TCG; console build/logs/bench-policy-console.log)"
rc=0
"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script guest-policy-bench.sh \
	--smp 1 --mem 3G --timeout "${BENCH_TIMEOUT:-900}" --log "$log" \
	--append "bench.size_mb=$size_mb bench.seed=$seed bench.ops=$ops bench.policies=$pol_arg" \
	2> "$logs/bench-policy-qemu.log" || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$logs/bench-policy-qemu.log" >&2
	bb_log "bench-policy: the guest failed (rc $rc); console: $log"
fi
rrc=0
python3 "$here/bench/policy-report.py" "$log" "$top/build/bench-policy.json" || rrc=$?
bb_log "bench-policy: $(( $(date +%s) - start ))s; figures in build/bench-policy.json"
[ "$rc" -eq 0 ] || exit "$rc"
exit "$rrc"
