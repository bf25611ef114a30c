#!/bin/bash
# Install the Debian packages that building and testing buddybox needs, but
# only those that are missing: fast (dpkg -s only) when everything is there.
# Runs `apt-get update` once, and only when something has to be installed.
set -euo pipefail

pkgs=(
	gcc make git python3 perl rsync libc6-dev xz-utils gzip
	flex bison libelf-dev libssl-dev bc cpio kmod
	linux-source-6.1 linux-headers-amd64 linux-image-amd64
	qemu-system-x86 busybox-static dkms sparse
	clang libclang-rt-14-dev valgrind
	linux-source-6.12 dwarves debhelper dh-dkms
	librsvg2-bin stress-ng trace-cmd
)

# Debian 12's 6.12 kernel has no meta-package: unless one is installed (or
# found where BB_HEADERS_DIRS / BB_BOOT_DIRS point), take the newest
# linux-image-6.12.*+deb12-amd64 apt knows, and its headers.
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
newest_612() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
		sed -n 's/^linux-image-\([^ ]*\) .*/\1/p' | sort -V | tail -n 1
}
if ! (bb_debian_kver 6.12) > /dev/null 2>&1; then
	v=$(newest_612)
	if [ -z "$v" ]; then
		[ "$(id -u)" -eq 0 ] && apt-get update -q >&2 || sudo apt-get update -q >&2
		v=$(newest_612)
	fi
	[ -n "$v" ] || { echo "deps: apt knows no linux-image-6.12.*+deb12-amd64 (bookworm-security)" >&2; exit 1; }
	pkgs+=("linux-image-$v" "linux-headers-$v")
fi

missing=()
for p in "${pkgs[@]}"; do
	# dpkg -s also succeeds for removed-but-configured packages: check status
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends "${missing[@]}" >&2
