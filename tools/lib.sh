# shellcheck shell=bash
# Helpers shared by the buddybox test scripts (sourced, not run).

# the project's top directory
BB_TOP=${BB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

bb_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
bb_die() { echo "error: $*" >&2; exit 1; }

# The host kernels buddybox supports: Debian 12's 6.1 and 6.12 (each a
# series, major.minor; a kernel release belongs to one by exact match).
BB_SERIES="6.1 6.12"
# Where kernel trees are looked for (space-separated lists; the defaults are
# where Debian's packages put them): headers trees linux-headers-<release>
# and images vmlinuz-<release>.
BB_HEADERS_DIRS=${BB_HEADERS_DIRS:-/usr/src}
BB_BOOT_DIRS=${BB_BOOT_DIRS:-/boot}

# bb_series RELEASE: the series of a kernel release (6.1.0-57-amd64 -> 6.1,
# 6.12.117+deb12-amd64 -> 6.12), or nothing when it is not a supported one
bb_series() {
	local s
	for s in $BB_SERIES; do
		case "$1" in "$s".*|"$s"-*) echo "$s"; return 0 ;; esac
	done
}

bb_check_series() {	# bb_check_series SERIES: die unless supported
	case " $BB_SERIES " in
	*" $1 "*) ;;
	*) bb_die "kernel series '$1' is not supported (supported: $BB_SERIES)" ;;
	esac
}

# bb_find_file DIRS NAME: the first DIR/NAME that exists
bb_find_file() {
	local d
	for d in $1; do
		[ -e "$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}

# bb_headers_kvers SERIES: the releases of that series whose Debian headers
# (.../linux-headers-<release>-amd64) are installed, oldest first
bb_headers_kvers() {
	local d v
	for d in $BB_HEADERS_DIRS; do
		for d in "$d"/linux-headers-*-amd64; do
			[ -f "$d/Makefile" ] || continue
			v=${d##*/linux-headers-}
			[ "$(bb_series "$v")" = "$1" ] && echo "$v"
		done
	done | sort -V -u
}

# The Debian kernel of a series (default 6.1) the guests boot: the newest
# release that has both an image and its headers (never the running kernel).
bb_debian_kver() {
	local series=${1:-6.1} v best=
	bb_check_series "$series"
	for v in $(bb_headers_kvers "$series"); do
		bb_find_file "$BB_BOOT_DIRS" "vmlinuz-$v" > /dev/null && best=$v
	done
	[ -n "$best" ] || bb_die "no Debian $series kernel with headers (apt-get install $(bb_debian_pkgs "$series"); or set BB_HEADERS_DIRS / BB_BOOT_DIRS)"
	echo "$best"
}

bb_debian_kdir() {	# bb_debian_kdir [SERIES]
	local v
	v=$(bb_debian_kver "${1:-6.1}") || exit 1
	bb_find_file "$BB_HEADERS_DIRS" "linux-headers-$v"
}
bb_debian_bzimage() {	# bb_debian_bzimage [SERIES]
	local v
	v=$(bb_debian_kver "${1:-6.1}") || exit 1
	bb_find_file "$BB_BOOT_DIRS" "vmlinuz-$v"
}

# the Debian packages of a series' image and headers
bb_debian_pkgs() {
	case "$1" in
	6.1) echo "linux-image-amd64 linux-headers-amd64" ;;
	*) echo "linux-image-$1.*+deb12-amd64 linux-headers-$1.*+deb12-amd64 (tools/deps.sh)" ;;
	esac
}

# the kernel source tree tools/testkernel.sh extracts for a series (kunit.py
# lives there)
bb_linux_src() { echo "${BUDDYBOX_CACHE:-$HOME/.cache/buddybox}/linux-source-${1:-6.1}"; }

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
