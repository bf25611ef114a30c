#!/bin/bash
# Boot a kernel and a tools/initramfs.sh initramfs in QEMU (TCG, no KVM) and
# run one guest script:
#   tools/qemu-run.sh --kernel BZIMAGE --initrd CPIO --script NAME
#       [--smp N] [--mem SIZE] [--log FILE] [--timeout SEC] [--append EXTRA]
#       [--no-scan] [--serial2 FILE]
# --serial2: a second serial port (the guest's /dev/ttyS1) written to FILE,
# for bulk data such as a trace (tools/capture.sh).
# Exit status: the guest script's (from the `BB-EXIT <rc>` line), 124 when
# the guest did not finish in time, 125 when it ended without the marker
# (panic, crash), 3 when the guest kernel log (or kmemleak) reports a bug:
# BUG:, WARNING:, Oops, KASAN, UBSAN, lockdep, kmemleak, a Call Trace...
set -euo pipefail

kernel='' initrd='' script='' smp=2 mem=1G log='' timeout=300 append='' scan=1 serial2=''
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--script) script=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--no-scan) scan=0; shift ;;
	--serial2) serial2=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "qemu-run: unknown argument $1" >&2; usage ;;
	esac
done
if [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$script" ]; then usage; fi
[ -r "$kernel" ] || { echo "qemu-run: cannot read $kernel" >&2; exit 2; }
[ -r "$initrd" ] || { echo "qemu-run: cannot read $initrd" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "qemu-run: qemu-system-x86_64 missing (tools/deps.sh)" >&2; exit 2; }
if [ -z "$log" ]; then
	log=$(mktemp /tmp/bb-qemu-XXXXXX.log)
fi
mkdir -p "$(dirname "$log")"
: > "$log"

# What counts as a bug in the guest kernel's log
bug_re='BUG:|WARNING:|Oops|general protection fault|kernel BUG at|Kernel panic'
bug_re+='|KASAN:|UBSAN:|possible recursive locking|circular locking'
bug_re+='|inconsistent lock state|INFO: possible|INFO: task .* blocked'
bug_re+='|unreferenced object|suspected memory leak|list_(add|del) corruption'
bug_re+='|soft lockup|hard LOCKUP|Call Trace'

start=$(date +%s)
# -nodefaults: no VGA, no NIC; the serial port goes to the log file.  No
# -nographic: it wants a terminal on stdin, which CI does not have.
# no5lvl: -cpu max offers LA57, and with 5-level paging 6.1's KASAN can
# report a wild access at boot, outside buddybox: identify_cpu() clears
# the boot CPU's feature bits for a moment, pgtable_l5_enabled() reads
# them, and an interrupt then taking a lock in the 5-level direct map
# looks outside the shadow (about 1 boot in 60 of the test kernel).
# no_timer_check: on a loaded host TCG can miss the IO-APIC timer check and
# the guest panics at boot ("IO-APIC + timer doesn't work", seen on 6.12).
boot() {
	local extra=()
	rc=0
	: > "$log"
	if [ -n "$serial2" ]; then
		: > "$serial2"
		extra=(-serial "file:$serial2")
	fi
	timeout -k 10 "$timeout" qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$smp" -m "$mem" \
		-nodefaults -no-user-config -display none -monitor none \
		-serial "file:$log" "${extra[@]}" -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 no5lvl no_timer_check bb.script=$script $append" \
		</dev/null || rc=$?
}
# A guest kernel that dies before the scenario's script starts (so before
# buddybox is loaded) is booted once more, and said so: under TCG, 6.12's
# boot-time text patching has been seen to hit a stale int3 on the other
# vCPU ("Oops: int3" in sched_clock_cpu, once in some 30 boots here).
boot
if [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] &&
   ! grep -a -q '^BB-SCRIPT-BEGIN ' "$log"; then
	echo "qemu-run: $script: the guest kernel died before the script started; booting again (first log kept as $log.boot1)" >&2
	cp "$log" "$log.boot1"
	boot
fi
secs=$(( $(date +%s) - start ))

# the serial log has CRLF line ends
clean=$(mktemp)
trap 'rm -f "$clean"' EXIT
tr -d '\r' < "$log" > "$clean"

section() {	# section BEGIN END: the lines between two markers
	awk -v b="$1" -v e="$2" '$0 ~ "^"e {p=0} p {print} $0 ~ "^"b {p=1}' "$clean"
}

exit_line=$(grep -a -m1 '^BB-EXIT ' "$clean" || true)
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "qemu-run: $script: timed out after ${timeout}s (log $log); last lines:" >&2
	tail -n 30 "$clean" >&2
	grep -a -E "$bug_re" "$clean" | head -n 40 >&2 || true
	exit 124
fi
if [ -z "$exit_line" ]; then
	echo "qemu-run: $script: guest ended without BB-EXIT (qemu rc $rc, ${secs}s, log $log); last lines:" >&2
	tail -n 40 "$clean" >&2
	exit 125
fi
guest_rc=${exit_line#BB-EXIT }

if [ "$scan" -eq 1 ]; then
	bugs=$( { section BB-DMESG-BEGIN BB-DMESG-END; section BB-KMEMLEAK-BEGIN BB-KMEMLEAK-END; } |
		grep -a -E "$bug_re" || true)
	if [ -n "$bugs" ]; then
		echo "qemu-run: $script: the guest kernel reported bugs (log $log):" >&2
		echo "$bugs" | head -n 60 >&2
		echo "qemu-run: $script: FAIL (bug report; script rc $guest_rc, ${secs}s)" >&2
		exit 3
	fi
fi
echo "qemu-run: $script: rc $guest_rc in ${secs}s (log $log)" >&2
exit "$guest_rc"
