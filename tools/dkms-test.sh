#!/bin/bash
# DKMS packaging tests, one result per supported kernel and one for the
# Debian package:
#   dkms:<series>  (6.1, 6.12) copies the tree to /usr/src/buddybox-<ver>,
#                  `dkms add`, `dkms build` and `dkms install` for Debian's
#                  kernel of that series (not the running kernel: the module
#                  is never loaded), checks the installed module with
#                  modinfo (name, vermagic naming that kernel, size_mb)
#   dkms:deb       `make deb`, `apt-get install ./buddybox-dkms_<ver>_all.deb`
#                  (its postinst builds the module for the installed
#                  kernels: both must have it), `apt-get purge`, and nothing
#                  of it may be left under /usr/src, /var/lib/dkms and
#                  /lib/modules
#   tools/dkms-test.sh [--results FILE]
# Removes everything again (`dkms remove --all`, /usr/src/buddybox-<ver>,
# the package, the DKMS signing key when this test made it), on failure too.
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
usrsrc=/usr/src/$name-$ver
dkms_keys=(/var/lib/dkms/mok.key /var/lib/dkms/mok.pub)
made_keys=()
for k in "${dkms_keys[@]}"; do [ -e "$k" ] || made_keys+=("$k"); done
apt_opts=(-y -q -o DPkg::Lock::Timeout=300)

cleanup() {
	if dpkg-query -W -f='${db:Status-Status}' "$name-dkms" 2>/dev/null | grep -qv '^not-installed$'; then
		DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_opts[@]}" "$name-dkms" >/dev/null 2>&1 || true
	fi
	if dkms status "$name/$ver" 2>/dev/null | grep -q .; then
		dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
	fi
	rm -rf "$usrsrc" "/var/lib/dkms/$name"
	for k in "${made_keys[@]}"; do rm -f "$k"; done
}
trap cleanup EXIT
cleanup		# a crashed earlier run may have left its state

# what the three trees hold, to compare after the package is purged
snapshot() { find /usr/src /var/lib/dkms /lib/modules -path '/usr/src/linux-*' -prune -o -print 2>/dev/null | sort; }
before=$(mktemp)
after=$(mktemp)
trap 'cleanup; rm -f "$before" "$after"' EXIT
snapshot > "$before"

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
check_modinfo() {	# check_modinfo KVER [NEWER-THAN]
	local kv=$1 ko
	ko=$(find "/lib/modules/$kv" -name "$name.ko*" ${2:+-newer "$2"} | head -n 1)
	[ -n "$ko" ] || { echo "no installed $name.ko under /lib/modules/$kv"; return 1; }
	echo "installed: $ko"
	modinfo "$ko"
	[ "$(modinfo -F name "$ko")" = "$name" ] || { echo "modinfo: wrong name"; return 1; }
	case "$(modinfo -F vermagic "$ko")" in
	"$kv "*) ;;
	*) echo "modinfo: vermagic does not start with $kv"; return 1 ;;
	esac
	modinfo -F parm "$ko" | grep -q '^size_mb:' || { echo "modinfo: no size_mb parameter"; return 1; }
}
result() {	# result NAME LOG: PASS or FAIL by $ok
	if [ "$ok" -eq 1 ]; then
		echo "PASS $1" | tee -a "$results"
	else
		grep -v '^$' "$2" | tail -n 25 >&2
		echo "dkms-test: $1 failed (log $2)" >&2
		echo "FAIL $1" | tee -a "$results"
		failed=1
	fi
}

failed=0
kvers=()
for ser in $BB_SERIES; do
	log=$logs/dkms-$ser.log
	ok=1
	{
		kver=$(bb_debian_kver "$ser") || ok=0
		kvers+=("$kver")
		if [ "$ok" -eq 1 ] && [ ! -e "/lib/modules/$kver/build" ]; then
			echo "dkms-test: /lib/modules/$kver/build missing (the $ser headers are not installed as Debian installs them)" >&2
			ok=0
		fi
		if [ "$ok" -eq 1 ]; then
			mkdir -p "$usrsrc"
			for f in module kunit Kbuild dkms.conf; do
				[ -e "$src_top/$f" ] && cp -r "$src_top/$f" "$usrsrc/"
			done
			find "$usrsrc" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \) -delete
		fi
		step "dkms add" dkms add "$name/$ver"
		step "dkms build" dkms build "$name/$ver" -k "$kver"
		step "dkms install" dkms install "$name/$ver" -k "$kver"
		step "modinfo checks" check_modinfo "$kver" "$usrsrc/dkms.conf"
		step "dkms remove" dkms remove "$name/$ver" --all
		if [ "$ok" -eq 1 ] && find "/lib/modules/$kver" -name "$name.ko*" | grep -q .; then
			echo "dkms-test: $name.ko still installed after dkms remove" >&2
			ok=0
		fi
		rm -rf "$usrsrc" "/var/lib/dkms/$name"
	} > "$log" 2>&1
	result "dkms:$ser" "$log"
done

# --- the Debian package --------------------------------------------------
log=$logs/dkms-deb.log
ok=1
{
	step "make deb" make -C "$src_top" deb
	deb=$(ls "$src_top"/build/deb/"$name"-dkms_"$ver"_all.deb 2>/dev/null || true)
	[ -n "$deb" ] || { [ "$ok" -eq 0 ] || echo "dkms-test: no $name-dkms_${ver}_all.deb"; ok=0; }
	step "apt-get install" env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "$deb"
	for kv in "${kvers[@]}"; do
		[ -n "$kv" ] && step "the package's module for $kv" check_modinfo "$kv"
	done
	step "apt-get purge" env DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_opts[@]}" "$name-dkms"
	for k in "${made_keys[@]}"; do rm -f "$k"; done
	snapshot > "$after"
	if [ "$ok" -eq 1 ] && ! diff "$before" "$after"; then
		echo "dkms-test: the purge left the files above (> lines) behind" >&2
		ok=0
	fi
} > "$log" 2>&1
result dkms:deb "$log"
exit "$failed"
