#!/bin/bash
# The newcomer's tour: builds buddybox.ko for a Debian kernel (by default
# 6.1, the one a fresh Debian 12 installs) and buddyctl, boots that kernel in
# QEMU with tools/guest/demo.sh, and prints what the guest script printed
# (not the kernel's boot messages).
#   tools/demo.sh [--kernel KERNEL] [--console]
#   KERNEL: debian-6.1 (default; also: debian), debian-6.12, testkernel-6.1
#           (also: testkernel), testkernel-6.12
# --console prints the whole serial console instead.  The exit status is the
# guest script's (3: the guest kernel reported a bug; 124: timed out).
# Logs: build/logs/demo-*.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

kernel=debian-6.1 console=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--console) console=1; shift ;;
	*) echo "usage: $0 [--kernel debian-6.1|debian-6.12|testkernel-6.1|testkernel-6.12] [--console]" >&2; exit 2 ;;
	esac
done
bb_lock
logs=$top/build/logs
mkdir -p "$logs"
guest=${BB_GUEST_DIR:-$here/guest}
[ -f "$guest/demo.sh" ] || bb_die "$guest/demo.sh missing"

"$here/deps.sh"
case "$kernel" in
debian|testkernel) kernel=$kernel-6.1 ;;
esac
case "$kernel" in
debian-*) kdir=$(bb_debian_kdir "${kernel#debian-}"); bz=$(bb_debian_bzimage "${kernel#debian-}") ;;
testkernel-*) kdir=$("$here/testkernel.sh" "${kernel#testkernel-}"); bz=$kdir/arch/x86/boot/bzImage ;;
*) bb_die "unknown kernel $kernel (debian-6.1 debian-6.12 testkernel-6.1 testkernel-6.12)" ;;
esac

bb_log "demo: building buddybox.ko for $kernel (log build/logs/demo-build.log)"
if ! "$here/build-module.sh" "$kdir" "$top/build/$kernel" > "$logs/demo-build.log" 2>&1; then
	tail -n 30 "$logs/demo-build.log" >&2
	bb_die "the module build failed"
fi
files=("$top/build/$kernel/buddybox.ko")
if [ -f "$top/tools/buddyctl/buddyctl.c" ]; then
	bb_log "demo: building buddyctl"
	make -s -C "$top" buddyctl > "$logs/demo-buddyctl.log" 2>&1 ||
		{ cat "$logs/demo-buddyctl.log" >&2; bb_die "building buddyctl failed"; }
	files+=("$top/tools/buddyctl/buddyctl")
else
	bb_log "demo: no tools/buddyctl/buddyctl.c yet: the guest gets no buddyctl"
fi
rd=$top/build/demo-$kernel.cpio.gz
"$here/initramfs.sh" "$rd" "${files[@]}"

log=$logs/demo-console.log
bb_log "demo: booting $(basename "$bz") in QEMU (TCG; console in build/logs/demo-console.log)"
rc=0
"$here/qemu-run.sh" --kernel "$bz" --initrd "$rd" --script demo.sh --smp 2 \
	--mem 2G --timeout "${DEMO_TIMEOUT:-600}" --log "$log" 2> "$logs/demo-qemu.log" || rc=$?

if [ "$console" -eq 1 ]; then
	tr -d '\r' < "$log"
elif grep -q '^BB-OUTPUT-BEGIN' <(tr -d '\r' < "$log"); then
	# the script's own output, as the guest captured it
	tr -d '\r' < "$log" | sed -n '/^BB-OUTPUT-BEGIN/,/^BB-OUTPUT-END/p' | sed '1d;$d'
else
	# it did not finish: whatever the console got after the script started
	tr -d '\r' < "$log" | sed -n '/^BB-SCRIPT-BEGIN/,$p' | sed '1d'
fi
if [ "$rc" -ne 0 ]; then
	cat "$logs/demo-qemu.log" >&2
	bb_log "demo: failed (rc $rc); full console: $log"
fi
exit "$rc"
