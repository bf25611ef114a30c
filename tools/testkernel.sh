#!/bin/bash
# Build (once) a buddybox test kernel from Debian's linux-source-<VERSION>:
# x86_64, KUnit, KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST,
# DEBUG_ATOMIC_SLEEP, modules, debugfs, serial console.
#   tools/testkernel.sh [VERSION]        VERSION: 6.1 (default) or 6.12
# The source is /usr/src/linux-source-<VERSION>.tar.xz (LINUX_SOURCE_TARBALL
# overrides it), the configuration tools/testkernel.config.  The build lives
# under ~/.cache/buddybox, keyed by the configuration fragment and the source
# tarball, so later runs reuse it; .done marks a finished build (an
# interrupted one is resumed, never used).  Prints the build directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ver=${1:-6.1}
case "$ver" in
6.1|6.12) ;;
*) echo "testkernel: unsupported version $ver (supported: 6.1 6.12)" >&2; exit 2 ;;
esac
cache=${BUDDYBOX_CACHE:-$HOME/.cache/buddybox}
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-$ver.tar.xz}
jobs=${JOBS:-$(nproc)}
config=$here/testkernel.config

[ -r "$tarball" ] || { echo "testkernel: $tarball missing (apt-get install linux-source-$ver)" >&2; exit 1; }
# the tarball's size tells Debian's releases apart (and keeps 6.1's key)
key=$( (cat "$config"; stat -c %s "$tarball") | sha256sum | cut -c1-12)
src="$cache/linux-source-$ver"
out="$cache/testkernel-$key"
mkdir -p "$cache"
# one build at a time per series (several checkouts share the cache)
exec 8> "$cache/.testkernel-$ver.lock"
flock 8

# a tree extracted from another tarball than this one is replaced
stamp=$(stat -c %s "$tarball")
if [ ! -f "$src/Makefile" ] || [ "$(cat "$src/.bb-tarball-size" 2>/dev/null || echo "$stamp")" != "$stamp" ]; then
	echo "testkernel: extracting $tarball" >&2
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	echo "$stamp" > "$src.tmp/.bb-tarball-size"
	rm -rf "$src" && mv "$src.tmp" "$src"
fi

if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

echo "testkernel: building $ver in $out (first time only)" >&2
mkdir -p "$out"
cp "$config" "$out/.config"
make -s -C "$src" ARCH=x86_64 O="$out" olddefconfig >&2
# every line of the fragment must have survived olddefconfig
while read -r line; do
	case "$line" in CONFIG_*=n) opt=${line%=n}
		! grep -q "^$opt=" "$out/.config" || { echo "testkernel: $opt still set" >&2; exit 1; } ;;
	CONFIG_*) grep -qx "$line" "$out/.config" || { echo "testkernel: '$line' not accepted by Kconfig" >&2; exit 1; } ;;
	esac
done < "$config"
make -s -C "$src" ARCH=x86_64 O="$out" -j"$jobs" bzImage modules >&2
touch "$out/.done"
echo "$out"
