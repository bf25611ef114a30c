# shellcheck shell=sh
# Helpers for the guest test scenarios (busybox ash), sourced as /bb/lib.sh:
#   . /bb/lib.sh
# Checks print `ok - DESC` or `not ok - DESC` (with `#` lines of detail);
# bb_done prints a summary and exits non-zero when a check failed.

BB=${BB:-/bb}
BB_KO=${BB_KO:-$BB/buddybox.ko}
BUDDYCTL=${BUDDYCTL:-$BB/buddyctl}
# the top (control: create/destroy, sandboxes), and the insmod sandbox's folder
BBROOT=${BBROOT:-/sys/kernel/debug/buddybox}
BBD=${BBD:-$BBROOT/default}
BB_DEV=${BB_DEV:-/dev/buddybox}
BB_TMP=${BB_TMP:-/tmp/bb.$$}
mkdir -p "$BB_TMP"
# 1 on the debug test kernels (KASAN, lockdep, kmemleak: several times
# slower under TCG), whose scenarios size their work down; Debian's are 0
case "$(uname -r)" in
*-amd64) BB_DEBUG_KERNEL=0 ;;
*) BB_DEBUG_KERNEL=1 ;;
esac
[ ! -e /sys/kernel/debug/kmemleak ] || BB_DEBUG_KERNEL=1

bb_nchecks=0
bb_nfailed=0

ok() {
	bb_nchecks=$((bb_nchecks + 1))
	echo "ok - $*"
}

not_ok() {
	bb_nchecks=$((bb_nchecks + 1))
	bb_nfailed=$((bb_nfailed + 1))
	echo "not ok - $*"
}

# note TEXT...: a comment line in the output
note() {
	echo "# $*"
}

# detail FILE: show FILE's first lines as comments
detail() {
	[ -s "$1" ] && head -n "${2:-20}" "$1" | sed 's/^/#   /'
	return 0
}

# check DESC CMD...: ok when CMD succeeds (its output is shown if not)
check() {
	_d=$1
	shift
	if "$@" > "$BB_TMP/check.out" 2>&1; then
		ok "$_d"
	else
		not_ok "$_d (exit $?)"
		detail "$BB_TMP/check.out"
	fi
}

# check_fails DESC CMD...: ok when CMD fails
check_fails() {
	_d=$1
	shift
	if "$@" > "$BB_TMP/check.out" 2>&1; then
		not_ok "$_d (succeeded)"
		detail "$BB_TMP/check.out"
	else
		ok "$_d"
	fi
}

# check_eq DESC GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (got '$2', want '$3')"
	fi
}

# check_ne DESC GOT UNWANTED
check_ne() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (got '$2')"
	fi
}

# bb_isnum VALUE: VALUE is a non-negative integer
bb_isnum() {
	case "$1" in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

# check_num DESC A OP B: integer comparison, OP one of -eq -ne -lt -le -gt -ge
check_num() {
	if bb_isnum "$2" && bb_isnum "$4" && test "$2" "$3" "$4"; then
		ok "$1"
	else
		not_ok "$1 (want $2 $3 $4)"
	fi
}

# check_same DESC FILE1 FILE2: the files have the same content
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff "$2" "$3" > "$BB_TMP/diff.out" 2>&1
		detail "$BB_TMP/diff.out" 30
	fi
}

# check_grep DESC PATTERN FILE: FILE has a line matching PATTERN (grep -E)
check_grep() {
	if grep -qE -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1 (no /$2/ in $3)"
		detail "$3"
	fi
}

# check_nogrep DESC PATTERN FILE: FILE has no line matching PATTERN
check_nogrep() {
	if grep -qE -- "$2" "$3"; then
		not_ok "$1 (/$2/ in $3)"
		grep -E -- "$2" "$3" | head -n 10 | sed 's/^/#   /'
	else
		ok "$1"
	fi
}

# bb_done: the summary; exits 1 when a check failed (or none ran)
bb_done() {
	rm -rf "$BB_TMP"
	echo "# $bb_nchecks checks, $bb_nfailed failed"
	[ "$bb_nfailed" -eq 0 ] && [ "$bb_nchecks" -gt 0 ] && exit 0
	exit 1
}

# --- the module ---------------------------------------------------------

bb_loaded() {
	[ -d /sys/module/buddybox ]
}

# bb_insmod [PARAM=VALUE...]: load the module; 0 on success.  The error
# (insmod's message) is in $BB_TMP/insmod.err.
bb_insmod() {
	insmod "$BB_KO" "$@" > "$BB_TMP/insmod.err" 2>&1
}

# bb_rmmod: unload the module; 0 on success
bb_rmmod() {
	rmmod buddybox > "$BB_TMP/rmmod.err" 2>&1
}

# check_insmod DESC [PARAM=VALUE...]: loading succeeds, with its files
check_insmod() {
	_d=$1
	shift
	if bb_insmod "$@"; then
		if [ -r "$BBD/buddyinfo" ] && [ -c "$BB_DEV" ]; then
			ok "$_d"
		else
			not_ok "$_d: loaded, but no $BBD/buddyinfo or $BB_DEV"
		fi
	else
		not_ok "$_d: insmod $*"
		detail "$BB_TMP/insmod.err"
		bb_kmsg_since_mark | tail -n 10 | sed 's/^/#   /'
	fi
}

# check_rmmod DESC: unloading succeeds and removes the files
check_rmmod() {
	_d=$1
	if bb_rmmod; then
		if [ -e "$BBROOT" ] || [ -e "$BB_DEV" ] || bb_loaded; then
			not_ok "$_d: $BBROOT or $BB_DEV still there"
		else
			ok "$_d"
		fi
	else
		not_ok "$_d"
		detail "$BB_TMP/rmmod.err"
	fi
}

# bb_cleanup: unload the module if a failed check left it loaded
bb_cleanup() {
	if bb_loaded; then
		note "cleanup: unloading the module"
		bb_rmmod || detail "$BB_TMP/rmmod.err"
	fi
}

# bb_kmsg_mark: mark the kernel log; bb_kmsg_since_mark prints what follows
bb_kmsg_seq=0
bb_kmsg_mark() {
	bb_kmsg_seq=$((bb_kmsg_seq + 1))
	bb_kmsg_tag="bbtest-mark-$$-$bb_kmsg_seq"
	echo "$bb_kmsg_tag" > /dev/kmsg
}

bb_kmsg_since_mark() {
	dmesg | sed -n "/$bb_kmsg_tag\$/,\$p"
}

# --- debugfs --------------------------------------------------------------

# bb_drain: bring the per-CPU lists back to the buddy lists (control
# "drain"), so that buddyinfo and nr_free_pages count every free page;
# quiet when the module is not loaded
bb_drain() {
	[ -w "$BBD/control" ] || return 0
	( echo drain > "$BBD/control" ) 2>/dev/null || true
}

# bb_buddyinfo_pages: free pages in buddyinfo, sum of count << order (drains)
bb_buddyinfo_pages() {
	bb_drain
	awk '$1 == "Node" && $3 == "zone" {
		p = 1
		for (i = 5; i <= NF; i++) { s += $i * p; p *= 2 }
	} END { printf "%d\n", s }' "$BBD/buddyinfo"
}

# bb_buddyinfo_ok: every line of buddyinfo is a /proc/buddyinfo line of 11 orders
bb_buddyinfo_ok() {
	awk '!($1 == "Node" && $2 ~ /^[0-9]+,$/ && $3 == "zone" && NF == 15) { bad = 1 }
		END { exit bad || NR == 0 }' "$BBD/buddyinfo"
}

# bb_vmstat NAME: a value of the vmstat file (drains first)
bb_vmstat() {
	bb_drain
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print "none" }' "$BBD/vmstat"
}

# bb_vmstat_fails: the sum of the alloc_fail_* counters
bb_vmstat_fails() {
	awk '$1 ~ /^alloc_fail_/ { s += $2 } END { printf "%d\n", s }' "$BBD/vmstat"
}

# bb_zoneinfo_sum FIELD: the sum of a per-zone watermark (min, low, high)
bb_zoneinfo_sum() {
	awk -v f="$1" '$1 == f && NF == 2 { s += $2 } END { printf "%d\n", s }' "$BBD/zoneinfo"
}

# bb_zoneinfo NODE ZONE FIELD: one zone's value (FIELD: free, min, low, high...)
bb_zoneinfo() {
	awk -v n="$1," -v z="$2" -v f="$3" '
		$1 == "Node" { cur = ($2 == n && $4 == z) }
		cur && $1 == "pages" && $2 == f { print $3; found = 1 }
		cur && $1 == f && NF == 2 { print $2; found = 1 }
		END { if (!found) print "none" }' "$BBD/zoneinfo"
}

# bb_control LINE: write LINE to the control file; 0 on success, the
# shell's error (e.g. "write error: Invalid argument") in $BB_TMP/control.err
bb_control() {
	( echo "$1" > "$BBD/control" ) > "$BB_TMP/control.err" 2>&1
}

# check_control DESC LINE: the control write succeeds
check_control() {
	if bb_control "$2"; then
		ok "$1"
	else
		not_ok "$1: '$2'"
		detail "$BB_TMP/control.err"
	fi
}

# check_control_einval DESC LINE: the control write fails with EINVAL
check_control_einval() {
	if bb_control "$2"; then
		not_ok "$1: '$2' accepted"
	elif grep -q 'Invalid argument' "$BB_TMP/control.err"; then
		ok "$1"
	else
		not_ok "$1: '$2' failed, but not with EINVAL"
		detail "$BB_TMP/control.err"
	fi
}

# bb_write FILE VALUE: write a tunable; the error in $BB_TMP/write.err
bb_write() {
	( echo "$2" > "$1" ) > "$BB_TMP/write.err" 2>&1
}

# bb_nr_allocations: control allocations, from the allocations file
bb_nr_allocations() {
	tail -n +2 "$BBD/allocations" | grep -c .
}

# bb_state NAME: save buddyinfo as $BB_TMP/NAME.buddyinfo
bb_state() {
	bb_drain
	cat "$BBD/buddyinfo" > "$BB_TMP/$1.buddyinfo"
}

# check_state DESC NAME: buddyinfo is as saved by bb_state NAME
check_state() {
	bb_drain
	cat "$BBD/buddyinfo" > "$BB_TMP/now.buddyinfo"
	check_same "$1" "$BB_TMP/$2.buddyinfo" "$BB_TMP/now.buddyinfo"
}

# check_consistent DESC: the module's checker says ok
check_consistent() {
	cat "$BBD/check" > "$BB_TMP/check.txt" 2>&1
	if [ "$(cat "$BB_TMP/check.txt")" = ok ]; then
		ok "$1"
	else
		not_ok "$1"
		detail "$BB_TMP/check.txt"
	fi
}

# check_all_free DESC: every page of the region is free again
check_all_free() {
	_free=$(bb_vmstat nr_free_pages)
	_region=$(bb_vmstat region_pages)
	_bi=$(bb_buddyinfo_pages)
	if [ "$_free" = "$_region" ] && [ "$_bi" = "$_region" ]; then
		ok "$1"
	else
		not_ok "$1 (nr_free_pages $_free, buddyinfo $_bi, region_pages $_region)"
	fi
}

# --- buddyctl in the background -------------------------------------------

# bb_bg_start NAME SCRIPT: run `buddyctl script SCRIPT` in the background,
# output in $BB_TMP/NAME.out, pid in bb_bg_pid
bb_bg_start() {
	"$BUDDYCTL" script "$2" > "$BB_TMP/$1.out" 2>&1 &
	bb_bg_pid=$!
}

# bb_bg_wait_for NAME MARK [SECONDS]: wait until the script has run its line
# `echo @@ MARK` (a prefix no other output line has); fails when the process
# ended first or after SECONDS (default 120)
bb_bg_wait_for() {
	_n=$(( ${3:-120} * 10 ))
	while [ "$_n" -gt 0 ]; do
		grep -qx -- "@@ $2" "$BB_TMP/$1.out" 2>/dev/null && return 0
		kill -0 "$bb_bg_pid" 2>/dev/null || {
			grep -qx -- "@@ $2" "$BB_TMP/$1.out" 2>/dev/null
			return
		}
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# bb_bg_stop [SIGNAL]: end the background buddyctl and wait for it
bb_bg_stop() {
	kill "-${1:-TERM}" "$bb_bg_pid" 2>/dev/null
	wait "$bb_bg_pid" 2>/dev/null
	return 0
}
