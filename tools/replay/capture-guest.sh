#!/bin/sh
# The guest side of tools/capture.sh (run as /bb/capture-guest.sh by the
# initramfs's /init): runs the workload that bb.workload= names while the
# kernel's kmem page events, enabled from boot by the command line, record
# into the ring buffer; then stops tracing and writes to the second serial
# port (/dev/ttyS1) the trace and the memory files, each after a line
# "==> NAME <==", and "==> END <==" last.
set -u
workload=
for arg in $(cat /proc/cmdline); do
	case "$arg" in bb.workload=*) workload=${arg#bb.workload=} ;; esac
done

T=/sys/kernel/tracing
mount -t tracefs tracefs "$T" 2>/dev/null || T=/sys/kernel/debug/tracing
[ -r "$T/trace" ] || { echo "capture: no tracefs"; exit 1; }
echo "capture: events on: $(grep -c . "$T/set_event") ($(tr '\n' ' ' < "$T/set_event"))"

# stress-ng and its libraries are in /bb, run through their loader
stress_ng() {
	/bb/ld-linux-x86-64.so.2 --library-path /bb /bb/stress-ng "$@"
}

start=$(date +%s)
case "$workload" in
files)
	# page cache and files on tmpfs: unpack, copy, compress, delete
	mkdir -p /tmp/w && cd /tmp/w || exit 1
	tar xzf /bb/files.tar.gz || exit 1
	cp -a uapi uapi2 || exit 1
	tar cf - uapi2 | gzip -1 > uapi2.tar.gz || exit 1
	find uapi -type f | head -n 400 | xargs cat > cat.out || exit 1
	rm -rf uapi
	gunzip -c uapi2.tar.gz | tar xf - -C /tmp || exit 1
	rm -rf /tmp/w /tmp/uapi2
	cd / ;;
anon)
	# anonymous memory churn: stress-ng's vm stressor, two workers
	stress_ng --vm 2 --vm-bytes 96M --vm-method all --timeout 20s \
		--metrics-brief || exit 1 ;;
*)
	echo "capture: unknown workload '$workload' (files, anon)"; exit 2 ;;
esac
echo "capture: workload $workload took $(( $(date +%s) - start ))s"
echo 0 > "$T/tracing_on"

for c in "$T"/per_cpu/cpu*; do
	echo "capture: ${c##*/}: $(grep -E '^(entries|overrun)' "$c/stats" | tr '\n' ' ')"
done

out=/dev/ttyS1
stty -F "$out" raw -echo 2>/dev/null
{
	for f in zoneinfo buddyinfo pagetypeinfo; do
		echo "==> $f <=="
		cat "/proc/$f"
	done
	for c in "$T"/per_cpu/cpu*; do
		echo "==> stats-${c##*/} <=="
		cat "$c/stats"
	done
	echo "==> trace <=="
	cat "$T/trace"
	echo "==> END <=="
} > "$out"
echo "capture: written to $out"
