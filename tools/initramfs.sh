#!/bin/bash
# Build a busybox initramfs for the buddybox test guests:
#   tools/initramfs.sh OUT.cpio.gz [files...]
# The files given (modules, buddyctl, scripts), and every file in
# tools/guest/ (or $BB_GUEST_DIR), go into /bb/.  /init mounts proc, sysfs,
# devtmpfs, debugfs and a tmpfs on /tmp, runs /bb/NAME for the kernel
# argument bb.script=NAME (console output, and a copy between
# BB-OUTPUT-BEGIN/END), asks kmemleak for a scan where the kernel has it,
# prints `BB-EXIT <rc>`, the kernel log between BB-DMESG-BEGIN/END and
# kmemleak's report between BB-KMEMLEAK-BEGIN/END, and powers off.
# bb.script=A,B,... runs several in one boot, each followed by
# `BB-SCRIPT-RC <name> <rc>`; BB-EXIT is then the last failure's rc.
# tools/qemu-run.sh reads these.
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

# run_one NAME: one script, its output on the console and in
# /tmp/bb-output, its exit status in /tmp/bb-rc
run_one() {
	echo "BB-SCRIPT-BEGIN $1"
	if [ ! -f "/bb/$1" ]; then
		echo "init: /bb/$1 not found; /bb has: $(ls /bb)" | tee -a /tmp/bb-output
		echo 127 > /tmp/bb-rc
	else
		cd /bb
		{ sh "/bb/$1"; echo $? > /tmp/bb-rc; } 2>&1 | tee -a /tmp/bb-output
		cd /
	fi
	echo "BB-SCRIPT-END $1"
}

# bb.script=A,B,...: the scripts one after the other in this boot, each
# with `BB-SCRIPT-RC <name> <rc>`; between two, whatever the last one
# left running is killed, buddybox unloaded, and the kernel log moved
# to /tmp/bb-dmesg so that the next one reads only its own
: > /tmp/bb-output
: > /tmp/bb-dmesg
rc=0
if [ -z "$script" ]; then
	echo "BB-SCRIPT-BEGIN (none)"
	echo "init: no bb.script= on the kernel command line" | tee /tmp/bb-output
	echo "BB-SCRIPT-END (none)"
	rc=127
fi
left=$script
while [ -n "$left" ]; do
	one=${left%%,*}
	case "$left" in *,*) left=${left#*,} ;; *) left= ;; esac
	run_one "$one"
	one_rc=$(cat /tmp/bb-rc)
	if [ -n "$left" ]; then
		kill -9 -1 2>/dev/null
		sleep 1
		if grep -q '^buddybox ' /proc/modules && ! rmmod buddybox; then
			echo "init: buddybox still loaded after $one: the scripts after it do not run"
			[ "$one_rc" -ne 0 ] || one_rc=126
			left=
		fi
		echo "=== kernel log of $one" >> /tmp/bb-dmesg
		dmesg -c >> /tmp/bb-dmesg
	fi
	echo "BB-SCRIPT-RC $one $one_rc"
	[ "$one_rc" -eq 0 ] || rc=$one_rc
done

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
cat /tmp/bb-dmesg
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
