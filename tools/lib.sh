# shellcheck shell=bash
# Helpers shared by the buddybox test scripts (sourced, not run).

# the project's top directory
BB_TOP=${BB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

bb_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
bb_die() { echo "error: $*" >&2; exit 1; }

# The Debian 6.1 kernel the guests boot: the newest version that has both an
# image in /boot and its headers in /usr/src (never the running kernel).
bb_debian_kver() {
	local d v best=
	for d in /usr/src/linux-headers-6.1*-amd64; do
		[ -d "$d" ] || continue
		v=${d#/usr/src/linux-headers-}
		[ -r "/boot/vmlinuz-$v" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -n "$best" ] || bb_die "no Debian 6.1 kernel with headers (apt-get install linux-image-amd64 linux-headers-amd64)"
	echo "$best"
}

bb_debian_kdir() { echo "/usr/src/linux-headers-$(bb_debian_kver)"; }
bb_debian_bzimage() { echo "/boot/vmlinuz-$(bb_debian_kver)"; }

# the kernel source tree tools/testkernel.sh extracts (kunit.py lives there)
bb_linux_src() { echo "${BUDDYBOX_CACHE:-$HOME/.cache/buddybox}/linux-source-6.1"; }

# One test run at a time per checkout: the scripts share build/ (module
# builds, initramfs images, logs) and dkms-test the system's DKMS tree.
# Takes build/.lock, waiting for another run to end; nested scripts inherit.
bb_lock() {
	[ -z "${BB_LOCKED:-}" ] || return 0
	mkdir -p "$BB_TOP/build"
	exec 9>"$BB_TOP/build/.lock"
	if ! flock -n 9; then
		bb_log "another test run holds $BB_TOP/build/.lock: waiting"
		flock 9
	fi
	export BB_LOCKED=1
}
