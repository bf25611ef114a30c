#!/bin/bash
# End-to-end scenarios: boot every guest scenario tools/guest/t_*.sh (or the
# ones named) on Debian's stock kernels (6.1 and 6.12), with buddybox.ko
# built against their headers, and on the debug test kernels built from
# linux-source-6.1 and -6.12 (KASAN, lockdep, kmemleak...), with buddybox.ko
# built against them; -smp 2.  One result per boot:
#   PASS|FAIL <kernel>:<script>
#   kernel: debian-6.1 debian-6.12 testkernel-6.1 testkernel-6.12
#           (debian and testkernel alone mean the 6.1 ones)
#   tools/e2e-run.sh [--results FILE] [--kernels "debian-6.1 ..."] [t_x.sh...]
# Without --kernels every kernel runs the scenarios E2E_MATRIX gives it
# (below); with --kernels, or with scenarios named, each kernel named runs
# every scenario named.
# The guest gets /bb/buddybox.ko, /bb/buddyctl (when tools/buddyctl builds),
# /bb/bbstress (tools/stress), /bb/bbfrag (tools/frag), /bb/bbioctlfuzz
# (tools/fuzz), the shipped trace of tools/replay/data/ (t_replay.sh),
# /bb/trace-cmd with its libraries and loader (t_trace.sh)
# and every file of tools/guest/.  Logs: build/logs/e2e-<kernel>-<script>.log
# Env: E2E_TIMEOUT (seconds per boot, default 600), BB_JOBS (boots at once,
# default 1), BB_SRC (another source tree), BB_GUEST_DIR (instead of
# tools/guest); kernels are found as tools/lib.sh says (BB_HEADERS_DIRS,
# BB_BOOT_DIRS).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

results='' kernels='' all_kernels="debian-6.1 debian-6.12 testkernel-6.1 testkernel-6.12"
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--kernels) kernels=$2; shift 2 ;;
	-*) echo "usage: $0 [--results FILE] [--kernels LIST] [scripts...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
# E2E_MATRIX: which scenarios run on which kernel in a full run, to keep the
# suite within its time (README, "Which kernel runs what"): a line per
# scenario, its kernels or "all".  Every scenario runs on Debian's 6.1 and
# 6.12 kernels; the debug kernels (a boot there takes about three Debian
# boots) run the ones that stress locking and memory: stress, compact,
# reclaim, oom on both (stress on 6.1's only: see the README); sandboxes (several at once, created and destroyed
# under load), rmmod (kmemleak after unloading every state), scale
# (compaction at scale) and fault (injected failures leak nothing) on 6.1's.  A scenario the table does not name runs
# everywhere.
e2e_runs_on() {	# e2e_runs_on KERNEL SCRIPT
	local line
	line=$(printf '%s\n' "$E2E_MATRIX" | awk -v s="${2%.sh}" '$1 == s')
	# a scenario the table does not know yet runs everywhere
	[ -n "$line" ] || return 0
	case " $line " in *" $1 "*|*" all "*) return 0 ;; esac
	return 1
}
E2E_MATRIX=${E2E_MATRIX:-"
t_buddyctl  debian-6.1 debian-6.12
t_compact   all
t_control   debian-6.1 debian-6.12
t_exhaust   debian-6.1 debian-6.12
t_fault     debian-6.1 debian-6.12
t_fuzz      testkernel-6.1 testkernel-6.12
t_oom       all
t_params    debian-6.1 debian-6.12
t_reclaim   all
t_replay    debian-6.1 debian-6.12
t_rmmod     debian-6.1 debian-6.12 testkernel-6.1
t_sandboxes debian-6.1 debian-6.12 testkernel-6.1
t_scale     debian-6.1 debian-6.12 testkernel-6.1
t_stress    debian-6.1 debian-6.12 testkernel-6.1
t_trace     debian-6.1 debian-6.12
t_tunables  debian-6.1 debian-6.12
"}
matrix=1
if [ -n "$kernels" ] || [ $# -gt 0 ]; then matrix=0; fi
[ -n "$kernels" ] || kernels=$all_kernels
bb_lock
logs=$top/build/logs
mkdir -p "$logs"
: > "$logs/failures.txt"	# failure_digest() fills it for run-tests.sh
[ -n "$results" ] || results=$logs/e2e-results.txt
: > "$results"
jobs=${BB_JOBS:-1}
guest=${BB_GUEST_DIR:-$here/guest}

scripts=()
if [ $# -gt 0 ]; then
	for s in "$@"; do scripts+=("$(basename "$s")"); done
else
	for s in "$guest"/t_*.sh; do
		[ -f "$s" ] && scripts+=("$(basename "$s")")
	done
fi
if [ "${#scripts[@]}" -eq 0 ]; then
	echo "e2e: no guest scenario (tools/guest/t_*.sh)" >&2
	echo "FAIL e2e:no-scenarios" | tee -a "$results"
	exit 1
fi
for s in "${scripts[@]}"; do
	[ -f "$guest/$s" ] || { echo "e2e: $guest/$s missing" >&2; exit 2; }
done

failed=0
# buddyctl: optional until tools/buddyctl/buddyctl.c exists
extra=()
if [ -f "$top/tools/buddyctl/buddyctl.c" ]; then
	if make -C "$top" buddyctl > "$logs/build-buddyctl.log" 2>&1; then
		extra+=("$top/tools/buddyctl/buddyctl")
	else
		tail -n 20 "$logs/build-buddyctl.log" >&2
		echo "FAIL e2e:build-buddyctl" | tee -a "$results"
		failed=1
	fi
fi
# bbstress: the concurrency stress tool of t_stress.sh
if [ -f "$top/tools/stress/bbstress.c" ]; then
	if make -C "$top" bbstress > "$logs/build-bbstress.log" 2>&1; then
		extra+=("$top/tools/stress/bbstress")
	else
		tail -n 20 "$logs/build-bbstress.log" >&2
		echo "FAIL e2e:build-bbstress" | tee -a "$results"
		failed=1
	fi
fi
# bbioctlfuzz: the ioctl and debugfs fuzzer of t_fuzz.sh
if [ -f "$top/tools/fuzz/bbioctlfuzz.c" ]; then
	if make -C "$top" bbioctlfuzz > "$logs/build-bbioctlfuzz.log" 2>&1; then
		extra+=("$top/tools/fuzz/bbioctlfuzz")
	else
		tail -n 20 "$logs/build-bbioctlfuzz.log" >&2
		echo "FAIL e2e:build-bbioctlfuzz" | tee -a "$results"
		failed=1
	fi
fi
# bbfrag: the fragmentation tool of t_compact.sh
if [ -f "$top/tools/frag/bbfrag.c" ]; then
	if make -C "$top" bbfrag > "$logs/build-bbfrag.log" 2>&1; then
		extra+=("$top/tools/frag/bbfrag")
	else
		tail -n 20 "$logs/build-bbfrag.log" >&2
		echo "FAIL e2e:build-bbfrag" | tee -a "$results"
		failed=1
	fi
fi
# trace-cmd (Debian's) for t_trace.sh: the binary, its libraries and the
# loader that runs it with them (/bb/ld-linux-x86-64.so.2 --library-path /bb)
tc_stage=$(mktemp -d)
tc=$(command -v trace-cmd || true)
if [ -n "$tc" ]; then
	cp "$tc" "$tc_stage/trace-cmd"
	ldd "$tc" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
		while read -r lib; do cp -L "$lib" "$tc_stage/"; done
	extra+=("$tc_stage"/*)
fi
# the shipped trace of a real kernel, and its buddyinfo: t_replay.sh
for f in "$top"/tools/replay/data/files-6.1.trace.xz "$top"/tools/replay/data/files-6.1.buddyinfo; do
	[ -f "$f" ] && extra+=("$f")
done

# failure_digest NAME CONSOLE: what a failed boot said, for the end of the
# run's output (CI shows its tail): the failed checks with the lines that
# follow them, or the console's last lines when no check failed
failure_digest() {
	echo "--- $1: why"
	if grep -q '^not ok' "$2" 2>/dev/null; then
		grep -A 6 '^not ok' "$2" | head -n 40
	else
		tail -n 15 "$2" 2>/dev/null
	fi
}

boot_one() {	# boot_one KERNEL BZIMAGE INITRD SCRIPT RESULTFILE
	local k=$1 bz=$2 rd=$3 s=$4 rf=$5 rc=0
	"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script "$s" --smp 2 \
		--mem 2G --timeout "${E2E_TIMEOUT:-600}" \
		--log "$logs/e2e-$k-${s%.sh}.log" > "$logs/e2e-$k-${s%.sh}.out" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "PASS $k:$s" | tee "$rf"
	else
		{
			echo "e2e: $k:$s failed (rc $rc; console $logs/e2e-$k-${s%.sh}.log):"
			tail -n 25 "$logs/e2e-$k-${s%.sh}.out"
		} >&2
		failure_digest "$k:$s" "$logs/e2e-$k-${s%.sh}.log" >> "$logs/failures.txt"
		echo "FAIL $k:$s" | tee "$rf"
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$tc_stage"' EXIT
n=0
for k in $kernels; do
	case "$k" in
	debian|testkernel) k=$k-6.1 ;;
	esac
	mine=()
	for s in "${scripts[@]}"; do
		if [ "$matrix" -eq 0 ] || e2e_runs_on "$k" "$s"; then mine+=("$s"); fi
	done
	[ "${#mine[@]}" -gt 0 ] || continue
	case "$k" in
	debian-*)
		series=${k#debian-}
		if ! kdir=$(bb_debian_kdir "$series" 2> "$logs/kernel-$k.log") ||
		   ! bz=$(bb_debian_bzimage "$series" 2>> "$logs/kernel-$k.log"); then
			cat "$logs/kernel-$k.log" >&2
			for s in "${mine[@]}"; do echo "FAIL $k:$s" | tee -a "$results"; done
			failed=1
			continue
		fi ;;
	testkernel-*)
		series=${k#testkernel-}
		if ! tk=$("$here/testkernel.sh" "$series" 2> "$logs/testkernel-$series.log"); then
			tail -n 20 "$logs/testkernel-$series.log" >&2
			for s in "${mine[@]}"; do echo "FAIL $k:$s" | tee -a "$results"; done
			failed=1
			continue
		fi
		kdir=$tk bz=$tk/arch/x86/boot/bzImage ;;
	*) echo "e2e: unknown kernel $k (known: $all_kernels)" >&2; exit 2 ;;
	esac
	out=$top/build/$k
	bb_log "e2e: building buddybox.ko for $k (log $logs/build-$k.log)"
	if ! "$here/build-module.sh" "$kdir" "$out" > "$logs/build-$k.log" 2>&1; then
		tail -n 30 "$logs/build-$k.log" >&2
		for s in "${mine[@]}"; do echo "FAIL $k:$s" | tee -a "$results"; done
		failed=1
		continue
	fi
	rd=$top/build/initramfs-$k.cpio.gz
	"$here/initramfs.sh" "$rd" "$out/buddybox.ko" "${extra[@]}"
	for s in "${mine[@]}"; do
		n=$((n + 1))
		rf=$tmp/$(printf '%04d' "$n")
		bb_log "e2e: $k:$s"
		boot_one "$k" "$bz" "$rd" "$s" "$rf" &
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	done
done
wait
for rf in "$tmp"/*; do
	[ -f "$rf" ] || continue
	cat "$rf" >> "$results"
	if grep -q '^FAIL' "$rf"; then failed=1; fi
done
exit "$failed"
