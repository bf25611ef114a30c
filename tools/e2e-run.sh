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
# Env: E2E_TIMEOUT (seconds per boot, default 600; a boot of N scripts gets
# N+1 halves of it), BB_JOBS (boots at once, default 2 on two cores or more;
# never two of the debug kernels at once), BB_BATCH (scripts a debug kernel
# runs in one boot, default 4: see boot_one), BB_SRC (another source tree),
# BB_GUEST_DIR (instead of tools/guest); kernels are found as tools/lib.sh
# says (BB_HEADERS_DIRS, BB_BOOT_DIRS).
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
# two boots at once where there are two cores: most of a boot keeps one
# vCPU busy, and a guest waits on its console as much as it computes
ncpu=$(nproc)
jobs=${BB_JOBS:-$(( ncpu >= 2 ? 2 : 1 ))}
case "$jobs" in
''|*[!0-9]*|0) echo "e2e: BB_JOBS=$jobs: a number of boots, 1 or more" >&2; exit 2 ;;
esac
batch=${BB_BATCH:-4}
case "$batch" in
''|*[!0-9]*|0) echo "e2e: BB_BATCH=$batch: a number of scripts a boot, 1 or more" >&2; exit 2 ;;
esac
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

# boot_one KERNEL BZIMAGE INITRD SCRIPTS RESULTFILE: one boot of one script,
# or of several (A.sh,B.sh: one after the other in the same guest, see
# tools/initramfs.sh), and a result per script.  A batch's console goes to
# e2e-<kernel>-<A>+<B>.log and each script's part of it to its own
# e2e-<kernel>-<script>.log.  A bug in the guest kernel's log, a timeout or
# a crash fails every script of the boot that has no result of its own
# yet: the kernel's log cannot say which one caused it.
boot_one() {
	local k=$1 bz=$2 rd=$3 list=$4 rf=$5 rc=0 name n s one_rc timeout
	local -a members
	IFS=, read -r -a members <<< "$list"
	n=${#members[@]}
	name=$(printf '%s\n' "${members[@]}" | sed 's/\.sh$//' | paste -sd+)
	timeout=${E2E_TIMEOUT:-600}
	[ "$n" -eq 1 ] || timeout=$((timeout * (n + 1) / 2))
	"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script "$list" --smp 2 \
		--mem 2G --timeout "$timeout" \
		--log "$logs/e2e-$k-$name.log" > "$logs/e2e-$k-$name.out" 2>&1 || rc=$?
	: > "$rf"
	for s in "${members[@]}"; do
		if [ "$n" -gt 1 ]; then
			{
				echo "# $k:$s, one of the boot logged in $logs/e2e-$k-$name.log"
				tr -d '\r' < "$logs/e2e-$k-$name.log" |
					awk -v s="$s" '$0 == "BB-SCRIPT-BEGIN " s {p=1} p {print} $0 == "BB-SCRIPT-RC " s " " $3 {p=0}'
			} > "$logs/e2e-$k-${s%.sh}.log"
		fi
		one_rc=$rc
		if [ "$n" -gt 1 ] && [ "$rc" -ne 3 ]; then
			one_rc=$(tr -d '\r' < "$logs/e2e-$k-$name.log" |
				awk -v s="$s" '$1 == "BB-SCRIPT-RC" && $2 == s && r == "" {r = $3} END {print r}')
			if [ -z "$one_rc" ]; then
				one_rc=$rc
				[ "$rc" -ne 0 ] || one_rc=125
			fi
		fi
		if [ "$one_rc" -eq 0 ]; then
			echo "PASS $k:$s" | tee -a "$rf"
			continue
		fi
		{
			echo "e2e: $k:$s failed (rc $one_rc; console $logs/e2e-$k-$name.log):"
			tail -n 25 "$logs/e2e-$k-$name.out"
		} >&2
		failure_digest "$k:$s" "$logs/e2e-$k-${s%.sh}.log" >> "$logs/failures.txt"
		if [ "$n" -gt 1 ] && [ "$rc" -eq 3 ]; then
			echo "    (a bug report in the kernel log of the boot that ran $list)" >> "$logs/failures.txt"
		fi
		echo "FAIL $k:$s" | tee -a "$rf"
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$tc_stage"' EXIT
# First every kernel: its tree, its buddybox.ko, its initramfs; then the
# boots, from two queues: the debug kernels' (each boot about three of a
# Debian kernel's) and the others'.  $jobs boots run at once, but never two
# of the debug kernels: two KASAN and lockdep guests on two shared cores
# slow each other into the watchdogs' range.  A queue's boots keep their
# order; the results are printed in it, debug kernels' last.
heavy=() light=()
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
	case "$k" in
	testkernel-*)
		# $batch scripts a boot: a debug kernel's boot and its two
		# kmemleak scans cost about 50 s before any script runs
		i=0
		while [ "$i" -lt "${#mine[@]}" ]; do
			heavy+=("$k $bz $rd $(printf '%s\n' "${mine[@]:$i:$batch}" | paste -sd,)")
			i=$((i + batch))
		done ;;
	*)
		for s in "${mine[@]}"; do light+=("$k $bz $rd $s"); done ;;
	esac
done

# start_boot QUEUE-ENTRY NUMBER: one boot in the background, its result
# in $tmp/NUMBER
start_boot() {
	local k bz rd s
	read -r k bz rd s <<< "$1"
	bb_log "e2e: $k:$s"
	boot_one "$k" "$bz" "$rd" "$s" "$tmp/$2" &
}
nl=${#light[@]} nh=${#heavy[@]} il=0 ih=0 heavy_pid=''
while [ "$il" -lt "$nl" ] || [ "$ih" -lt "$nh" ]; do
	if [ "$ih" -lt "$nh" ] && [ -z "$heavy_pid" ]; then
		start_boot "${heavy[$ih]}" "$(printf 'b%04d' "$ih")"
		heavy_pid=$! ih=$((ih + 1))
	elif [ "$il" -lt "$nl" ]; then
		start_boot "${light[$il]}" "$(printf 'a%04d' "$il")"
		il=$((il + 1))
	fi
	# a free slot for what is left: the light queue, or the heavy one
	# once its boot has ended
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ] ||
	      { [ "$il" -ge "$nl" ] && [ "$ih" -lt "$nh" ] && [ -n "$heavy_pid" ]; }; do
		wait -n || true
		if [ -n "$heavy_pid" ] && ! kill -0 "$heavy_pid" 2>/dev/null; then
			heavy_pid=''
		fi
	done
done
wait
for rf in "$tmp"/*; do
	[ -f "$rf" ] || continue
	cat "$rf" >> "$results"
	if grep -q '^FAIL' "$rf"; then failed=1; fi
done
exit "$failed"
