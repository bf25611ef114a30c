#!/bin/bash
# DKMS packaging test (one result, style of the others):
#   tools/dkms-test.sh [--results FILE]
# Copies the tree to /usr/src/buddybox-<ver>, then `dkms add`, `dkms build`
# and `dkms install` for the Debian 6.1 kernel whose headers are installed
# (not the running kernel: the module is never loaded), checks the installed
# module with modinfo (name, vermagic, the size_mb parameter), and removes it
# all again: `dkms remove --all`, /usr/src/buddybox-<ver>, and the DKMS
# signing key when this test made it.  Cleans up on failure too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP
src_top=${BB_SRC:-$top}

results=
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	*) echo "usage: $0 [--results FILE]" >&2; exit 2 ;;
	esac
done
bb_lock
logs=$top/build/logs
mkdir -p "$logs"
[ -n "$results" ] || results=$logs/dkms-results.txt
: > "$results"

[ "$(id -u)" -eq 0 ] || { echo "dkms-test: needs root" >&2; echo "FAIL dkms" | tee -a "$results"; exit 1; }
command -v dkms >/dev/null || { echo "dkms-test: dkms missing (tools/deps.sh)" >&2; echo "FAIL dkms" | tee -a "$results"; exit 1; }

name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$src_top/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$src_top/dkms.conf")
if [ "$name" != buddybox ] || [ -z "$ver" ]; then
	echo "dkms-test: bad dkms.conf" >&2; echo "FAIL dkms" | tee -a "$results"; exit 1
fi
kver=$(bb_debian_kver)
usrsrc=/usr/src/$name-$ver
dkms_keys=(/var/lib/dkms/mok.key /var/lib/dkms/mok.pub)
made_keys=()
for k in "${dkms_keys[@]}"; do [ -e "$k" ] || made_keys+=("$k"); done

cleanup() {
	if dkms status "$name/$ver" 2>/dev/null | grep -q .; then
		dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
	fi
	rm -rf "$usrsrc" "/var/lib/dkms/$name"
	for k in "${made_keys[@]}"; do rm -f "$k"; done
}
trap cleanup EXIT
cleanup		# a crashed earlier run may have left its state

ok=1
step() {	# step DESCRIPTION CMD...: run, logging; stop at the first failure
	local what=$1
	shift
	[ "$ok" -eq 1 ] || return 0
	echo "+ $*"
	if ! "$@"; then
		echo "dkms-test: $what failed" >&2
		ok=0
	fi
}
check_modinfo() {
	local ko
	ko=$(find "/lib/modules/$kver" -name "$name.ko*" -newer "$usrsrc/dkms.conf" | head -n 1)
	[ -n "$ko" ] || { echo "no installed $name.ko under /lib/modules/$kver"; return 1; }
	echo "installed: $ko"
	modinfo "$ko"
	[ "$(modinfo -F name "$ko")" = "$name" ] || { echo "modinfo: wrong name"; return 1; }
	case "$(modinfo -F vermagic "$ko")" in
	"$kver "*) ;;
	*) echo "modinfo: vermagic does not start with $kver"; return 1 ;;
	esac
	modinfo -F parm "$ko" | grep -q '^size_mb:' || { echo "modinfo: no size_mb parameter"; return 1; }
}

log=$logs/dkms.log
{
	mkdir -p "$usrsrc"
	for f in module kunit Kbuild Makefile dkms.conf; do
		[ -e "$src_top/$f" ] && cp -r "$src_top/$f" "$usrsrc/"
	done
	find "$usrsrc" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \) -delete
	step "dkms add" dkms add "$name/$ver"
	step "dkms build" dkms build "$name/$ver" -k "$kver"
	step "dkms install" dkms install "$name/$ver" -k "$kver"
	step "modinfo checks" check_modinfo
	step "dkms remove" dkms remove "$name/$ver" --all
	if [ "$ok" -eq 1 ] && find "/lib/modules/$kver" -name "$name.ko*" | grep -q .; then
		echo "dkms-test: $name.ko still installed after dkms remove" >&2
		ok=0
	fi
} > "$log" 2>&1

if [ "$ok" -eq 1 ]; then
	echo "PASS dkms" | tee -a "$results"
else
	grep -v '^$' "$log" | tail -n 25 >&2
	echo "dkms-test: failed (log $log)" >&2
	echo "FAIL dkms" | tee -a "$results"
	exit 1
fi
