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
)

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
