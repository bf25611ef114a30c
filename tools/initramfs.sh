#!/bin/bash
# Build a busybox initramfs for the buddybox test guests:
#   tools/initramfs.sh OUT.cpio.gz [files...]
# The files given (modules, buddyctl, scripts), and every file in
# tools/guest/ (or $BB_GUEST_DIR), go into /bb/.  /init mounts proc, sysfs, devtmpfs, debugfs
# and a tmpfs on /tmp, runs /bb/NAME for the kernel argument bb.script=NAME
# (console output, and a copy between BB-OUTPUT-BEGIN/END), asks kmemleak
# for a scan where the kernel has it, prints `BB-EXIT <rc>`, the kernel log
# between BB-DMESG-BEGIN/END and kmemleak's report between
# BB-KMEMLEAK-BEGIN/END, and powers off.  tools/qemu-run.sh reads these.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}

[ $# -ge 1 ] || { echo "usage: $0 OUT.cpio.gz [files...]" >&2; exit 2; }
out=$1
shift
[ -x "$busybox" ] || { echo "initramfs: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
! command -v file >/dev/null || ! file -L "$busybox" | grep -q 'dynamically linked' ||
	{ echo "initramfs: $busybox is not static (apt-get install busybox-static)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,bb,etc}
cp "$busybox" "$stage/bin/busybox"

for f in "${BB_GUEST_DIR:-$here/guest}"/* "$@"; do
	[ -e "$f" ] || continue		# tools/guest/ may be empty
	[ -f "$f" ] || { echo "initramfs: $f is not a file" >&2; exit 1; }
	cp -L "$f" "$stage/bb/"
done
chmod -R a+rX "$stage/bb"

cat > "$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root BB=/bb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
exec </dev/console >/dev/console 2>&1

script=
for arg in $(cat /proc/cmdline); do
	case "$arg" in bb.script=*) script=${arg#bb.script=} ;; esac
done

echo "BB-SCRIPT-BEGIN $script"
if [ -z "$script" ]; then
	echo "init: no bb.script= on the kernel command line" | tee /tmp/bb-output
	echo 127 > /tmp/bb-rc
elif [ ! -f "/bb/$script" ]; then
	echo "init: /bb/$script not found; /bb has: $(ls /bb)" | tee /tmp/bb-output
	echo 127 > /tmp/bb-rc
else
	cd /bb
	{ sh "/bb/$script"; echo $? > /tmp/bb-rc; } 2>&1 | tee /tmp/bb-output
	cd /
fi
rc=$(cat /tmp/bb-rc)
echo "BB-SCRIPT-END $script"

# kmemleak reports an object only once it is 5 s old and has been seen
# unchanged by two scans
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
fi

echo BB-OUTPUT-BEGIN
cat /tmp/bb-output
echo BB-OUTPUT-END
echo BB-DMESG-BEGIN
dmesg
echo BB-DMESG-END
if [ -r /sys/kernel/debug/kmemleak ]; then
	echo BB-KMEMLEAK-BEGIN
	cat /sys/kernel/debug/kmemleak
	echo BB-KMEMLEAK-END
fi
echo "BB-EXIT $rc"
sync
poweroff -f
INIT
chmod 755 "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet --null -o -H newc -R 0:0) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
