#!/bin/bash
# Capture a real kernel's page allocations: boot Debian's stock 6.1 kernel
# in QEMU with the kernel's own kmem events (mm_page_alloc, mm_page_free,
# mm_page_free_batched, mm_page_pcpu_drain) enabled from early boot on the
# command line, run a workload in the guest, and save the trace and the
# guest's memory files:
#   tools/capture.sh [--mem SIZE] [--smp N] [--buf SIZE] WORKLOAD
#   WORKLOAD: files  page cache and files on tmpfs (busybox: unpack a tree,
#                    copy it, compress it, unpack it again, delete)
#             anon   anonymous memory churn (stress-ng --vm)
# Writes build/capture/WORKLOAD/: trace (tracefs' text), zoneinfo,
# buddyinfo, pagetypeinfo, stats-cpuN (the ring buffer's: overrun must be
# 0, or the trace lost events), console.log.  Defaults: --mem 1G --smp 2
# --buf 24M (trace_buf_size=, per CPU).  The replay tools read the trace:
# bbsim replay (tools/bbsim/bbsim.c), buddyctl replay.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

mem=1G smp=2 buf=24M
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--buf) buf=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) echo "capture: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
workload=$1
case "$workload" in
files|anon) ;;
*) bb_die "capture: unknown workload '$workload' (files, anon)" ;;
esac

bz=$(bb_debian_bzimage 6.1)
out=$top/build/capture/$workload
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out" "$stage/guest" "$stage/files"
cp "$here/replay/capture-guest.sh" "$stage/guest/"

case "$workload" in
files)
	# a tree of small text files: the kernel's uapi headers
	src=$(printf '%s\n' /usr/src/linux-headers-6.1.*-common/include/uapi | sort -V | tail -n 1)
	[ -d "$src" ] || src=
	[ -n "$src" ] || bb_die "capture: no /usr/src/linux-headers-6.1.*-common (apt-get install linux-headers-amd64)"
	tar czf "$stage/files/files.tar.gz" -C "$(dirname "$src")" uapi ;;
anon)
	sng=$(command -v stress-ng || true)
	[ -n "$sng" ] || bb_die "capture: stress-ng missing (tools/deps.sh)"
	cp "$sng" "$stage/files/stress-ng"
	# its libraries, and the loader that runs it with them
	ldd "$sng" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
		while read -r lib; do cp -L "$lib" "$stage/files/"; done ;;
esac

rd=$stage/initramfs.cpio.gz
BB_GUEST_DIR=$stage/guest "$here/initramfs.sh" "$rd" "$stage"/files/*
events=kmem:mm_page_alloc,kmem:mm_page_free,kmem:mm_page_free_batched,kmem:mm_page_pcpu_drain
raw=$stage/serial2.out
bb_log "capture: booting $(basename "$bz") for '$workload' (console $out/console.log)"
start=$(date +%s)
"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script capture-guest.sh \
	--smp "$smp" --mem "$mem" --timeout 900 --log "$out/console.log" \
	--serial2 "$raw" \
	--append "trace_event=$events trace_buf_size=$buf bb.workload=$workload"
bb_log "capture: guest done in $(( $(date +%s) - start ))s"

# split the second serial port's stream at its "==> NAME <==" lines
grep -q '^==> END <==$' "$raw" || bb_die "capture: the guest's data ended early ($(wc -c < "$raw") bytes)"
rm -f "$out"/stats-cpu*
awk -v dir="$out" '
	/^==> [A-Za-z0-9-]+ <==$/ { if (f) close(f); name = $2
		f = (name == "END") ? "" : dir "/" name; if (f) printf "" > f; next }
	f { print > f }' "$raw"
for f in trace zoneinfo buddyinfo pagetypeinfo; do
	[ -s "$out/$f" ] || bb_die "capture: $out/$f is empty"
done
lost=$(awk '/^overrun:/ { s += $2 } END { print s + 0 }' "$out"/stats-cpu*)
n=$(grep -c -E ': mm_page_(alloc|free|free_batched|pcpu_drain):' "$out/trace" || true)
bb_log "capture: $out/trace: $n events, $(wc -c < "$out/trace") bytes, $lost overrun"
[ "$lost" -eq 0 ] || bb_die "capture: the ring buffer overran ($lost events lost): raise --buf"
