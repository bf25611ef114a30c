#!/bin/bash
# Style and static checks, five results:
#   style:checkpatch     checkpatch.pl --strict over the C sources (on
#                        module/compat.h it allows LINUX_VERSION_CODE)
#   style:W=1:<series>   a W=1 build against that Debian kernel's headers
#                        prints no warning (series 6.1 and 6.12)
#   style:sparse:<series>  a C=2 (sparse) build prints no warning
#   tools/style.sh [--results FILE]
# checkpatch.pl and its data files come from linux-source-6.12 (the newer
# of the two) and are kept in build/checkpatch-6.12/.  Logs:
# build/logs/style-*.log.
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
[ -n "$results" ] || results=$logs/style-results.txt
: > "$results"
failed=0
result() {	# result NAME OK(0|1) LOG
	if [ "$2" -eq 0 ]; then
		echo "PASS $1" | tee -a "$results"
	else
		echo "style: $1 failed (log $3)" >&2
		echo "FAIL $1" | tee -a "$results"
		failed=1
	fi
}

# --- checkpatch ---------------------------------------------------------
cp_ver=6.12
cp_dir=$top/build/checkpatch-$cp_ver
cp_files=(checkpatch.pl spelling.txt const_structs.checkpatch)
if [ ! -f "$cp_dir/.done" ]; then
	rm -rf "$cp_dir" && mkdir -p "$cp_dir"
	lsrc=$(bb_linux_src "$cp_ver")
	if [ -f "$lsrc/scripts/checkpatch.pl" ]; then
		for f in "${cp_files[@]}"; do cp "$lsrc/scripts/$f" "$cp_dir/"; done
	else
		tarball=/usr/src/linux-source-$cp_ver.tar.xz
		tar -xJf "$tarball" -C "$cp_dir" --strip-components=2 \
			"${cp_files[@]/#/linux-source-$cp_ver/scripts/}"
	fi
	touch "$cp_dir/.done"
fi

shopt -s nullglob
cfiles=()
for f in "$src_top"/module/*.c "$src_top"/module/*.h "$src_top"/module/core/*.[ch] "$src_top"/module/uapi/*.h \
	"$src_top"/kunit/*.c "$src_top"/tools/buddyctl/*.c "$src_top"/tools/lib/*.[ch]; do
	# module/compat.h is the one file that may test the kernel's version
	[ "$f" = "$src_top/module/compat.h" ] || cfiles+=("$f")
done
shopt -u nullglob
log=$logs/style-checkpatch.log
if [ "${#cfiles[@]}" -eq 0 ]; then
	echo "no C sources found" > "$log"
	result style:checkpatch 1 "$log"
else
	rc=0
	(cd "$src_top" && perl "$cp_dir/checkpatch.pl" --no-tree --strict --show-types \
		--color=never --summary-file -f "${cfiles[@]#"$src_top"/}") > "$log" 2>&1 || rc=$?
	if [ -f "$src_top/module/compat.h" ]; then
		(cd "$src_top" && perl "$cp_dir/checkpatch.pl" --no-tree --strict --show-types \
			--color=never --summary-file --ignore LINUX_VERSION_CODE \
			-f module/compat.h) >> "$log" 2>&1 || rc=$?
	fi
	# the TRACE_EVENT headers: their layout (a line ending in "TP_fast_assign(",
	# arguments below the event's name) is the in-tree trace headers' own,
	# which --strict's two layout checks do not know; all else applies
	for f in "$src_top"/module/trace/*.h; do
		[ -f "$f" ] || continue
		(cd "$src_top" && perl "$cp_dir/checkpatch.pl" --no-tree --strict --show-types \
			--color=never --summary-file --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT \
			-f "${f#"$src_top"/}") >> "$log" 2>&1 || rc=$?
	done
	# checkpatch exits 0 on warnings and checks: look at its counts too
	if [ "$rc" -ne 0 ] || grep -qE '^[^:]+:[0-9]+: (ERROR|WARNING|CHECK):|total: [1-9]|[1-9][0-9]* (warnings|checks)' "$log"; then
		grep -E '^(ERROR|WARNING|CHECK):|^#[0-9]+: FILE:' "$log" | head -n 40 >&2 || true
		result style:checkpatch 1 "$log"
	else
		result style:checkpatch 0 "$log"
	fi
fi

# --- W=1 and sparse on each host kernel, each in a fresh tree so that ---
# --- every file is compiled ----------------------------------------------
for ser in $BB_SERIES; do
	log=$logs/style-kernel-$ser.log
	if ! kdir=$(bb_debian_kdir "$ser" 2> "$log"); then
		cat "$log" >&2
		result "style:W=1:$ser" 1 "$log"
		result "style:sparse:$ser" 1 "$log"
		continue
	fi
	log=$logs/style-w1-$ser.log
	rm -rf "$top/build/style-w1"
	rc=0
	"$here/build-module.sh" "$kdir" "$top/build/style-w1" W=1 > "$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || grep -qi 'warning:' "$log"; then
		grep -i -B2 -A3 'warning:\|error' "$log" | head -n 40 >&2 || true
		result "style:W=1:$ser" 1 "$log"
	else
		result "style:W=1:$ser" 0 "$log"
	fi

	log=$logs/style-sparse-$ser.log
	rm -rf "$top/build/style-sparse"
	rc=0
	"$here/build-module.sh" "$kdir" "$top/build/style-sparse" C=2 > "$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || grep -qiE 'warning:|error:' "$log"; then
		grep -iE -A2 'warning:|error:' "$log" | head -n 40 >&2 || true
		result "style:sparse:$ser" 1 "$log"
	else
		result "style:sparse:$ser" 0 "$log"
	fi
done
rm -rf "$top/build/style-w1" "$top/build/style-sparse"
exit "$failed"
