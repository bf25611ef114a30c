#!/bin/bash
# Build (once) the buddybox test kernel from linux-source-6.1: x86_64, KUnit,
# KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST, DEBUG_ATOMIC_SLEEP, modules,
# debugfs, serial console.  The build lives under ~/.cache/buddybox, keyed by
# the configuration fragment and the source tarball, so later runs reuse it.
# Prints the build directory on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${BUDDYBOX_CACHE:-$HOME/.cache/buddybox}
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${JOBS:-$(nproc)}

[ -r "$tarball" ] || { echo "testkernel: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
key=$( (cat "$here/testkernel.config"; stat -c %s "$tarball") | sha256sum | cut -c1-12)
src="$cache/linux-source-6.1"
out="$cache/testkernel-$key"
mkdir -p "$cache"

if [ ! -f "$src/Makefile" ]; then
	echo "testkernel: extracting $tarball" >&2
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	rm -rf "$src" && mv "$src.tmp" "$src"
fi

if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

echo "testkernel: building in $out (first time only)" >&2
mkdir -p "$out"
cp "$here/testkernel.config" "$out/.config"
make -s -C "$src" ARCH=x86_64 O="$out" olddefconfig >&2
# every line of the fragment must have survived olddefconfig
while read -r line; do
	case "$line" in CONFIG_*=n) opt=${line%=n}
		! grep -q "^$opt=" "$out/.config" || { echo "testkernel: $opt still set" >&2; exit 1; } ;;
	CONFIG_*) grep -qx "$line" "$out/.config" || { echo "testkernel: '$line' not accepted by Kconfig" >&2; exit 1; } ;;
	esac
done < "$here/testkernel.config"
make -s -C "$src" ARCH=x86_64 O="$out" -j"$jobs" bzImage modules >&2
touch "$out/.done"
echo "$out"
