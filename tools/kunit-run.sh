#!/bin/bash
# Run buddybox's KUnit tests on the debug test kernels: for each series
# (6.1 and 6.12), build the test kernel (tools/testkernel.sh SERIES, cached),
# build buddybox_kunit.ko against it in build/testkernel-<series>, boot it in
# QEMU with a guest script that loads the module (its suites run on load and
# print KTAP on the console), and parse the KTAP with that kernel's kunit.py.
#   tools/kunit-run.sh [--results FILE] [--kernels "6.1 6.12"]
# Prints `PASS|FAIL|SKIP kunit-<series>:<suite>.<case>` per test case and the
# totals; FILE gets the same lines.  Fails on a failed or crashed test, on no
# test at all, and on any bug report in the guest kernel's log (KASAN,
# lockdep, ...).  Logs: build/logs/kunit-<series>-*.
# Env: KUNIT_TIMEOUT (seconds, default 1200), BB_SRC (another source tree).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

results='' kernels=$BB_SERIES
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--kernels) kernels=$2; shift 2 ;;
	*) echo "usage: $0 [--results FILE] [--kernels \"$BB_SERIES\"]" >&2; exit 2 ;;
	esac
done
for v in $kernels; do bb_check_series "$v"; done
bb_lock
logs=$top/build/logs
mkdir -p "$logs"
[ -n "$results" ] || results=$logs/kunit-results.txt
: > "$results"
"$here/deps.sh"

# kunit_one SERIES: one boot of that series' test kernel; its results are
# appended to $results, its failures counted in $nfail
nfail=0
kunit_one() {
	local ver=$1 tag=kunit-$1 res tk bzimage src kunit_py out initrd console ktap body nsuites json qrc
	res=$logs/$tag-results.txt
	: > "$res"
	fail() {	# fail MESSAGE: one failed result for this kernel's run
		echo "kunit-run: $ver: $*" >&2
		echo "FAIL $tag:run" | tee -a "$res"
	}
	if ! tk=$("$here/testkernel.sh" "$ver" 2> "$logs/$tag-testkernel.log"); then
		tail -n 20 "$logs/$tag-testkernel.log" >&2
		fail "building the test kernel failed"; return
	fi
	bzimage=$tk/arch/x86/boot/bzImage
	src=$(bb_linux_src "$ver")
	kunit_py=$src/tools/testing/kunit/kunit.py
	[ -f "$kunit_py" ] || { fail "$kunit_py missing"; return; }

	out=$top/build/testkernel-$ver
	bb_log "kunit-run: building the modules against $tk (log $logs/$tag-build.log)"
	if ! "$here/build-module.sh" "$tk" "$out" > "$logs/$tag-build.log" 2>&1; then
		tail -n 30 "$logs/$tag-build.log" >&2
		fail "the module build failed"; return
	fi
	[ -f "$out/buddybox_kunit.ko" ] || { fail "no buddybox_kunit.ko was built (is kunit/ in Kbuild?)"; return; }

	initrd=$top/build/$tag.cpio.gz
	"$here/initramfs.sh" "$initrd" "$out/buddybox_kunit.ko" "$here/harness/kunit.sh"
	console=$logs/$tag-console.log
	bb_log "kunit-run: booting the $ver test kernel (console $console)"
	qrc=0
	"$here/qemu-run.sh" --kernel "$bzimage" --initrd "$initrd" --script kunit.sh \
		--smp 2 --mem 2G --timeout "${KUNIT_TIMEOUT:-1200}" --log "$console" || qrc=$?

	# Take the lines the guest script framed, without console timestamps.
	# 6.1 prints no top-level KTAP header for a module's suites (6.12 does):
	# give them one when they have none.
	ktap=$logs/$tag.ktap
	body=$(tr -d '\r' < "$console" | sed -n '/^BB-KUNIT-BEGIN/,/^BB-KUNIT-END/p' |
		sed -e '1d' -e '/^BB-KUNIT-END/d' -e 's/^\[ *[0-9]*\.[0-9]*\] //')
	if printf '%s\n' "$body" | grep -q '^KTAP version'; then
		printf '%s\n' "$body" > "$ktap"
	else
		nsuites=$(printf '%s\n' "$body" | grep -c '^    # Subtest: ' || true)
		{ printf 'KTAP version 1\n1..%s\n' "$nsuites"; printf '%s\n' "$body"; } > "$ktap"
	fi

	json=$logs/$tag.json
	rm -f "$json"
	python3 "$kunit_py" parse --json="$json" "$ktap" > "$logs/$tag-parse.txt" 2>&1 || true
	sed 's/^\[[0-9:]*\] //' "$logs/$tag-parse.txt" | grep -v "^Test results stored" || true

	if [ -f "$json" ]; then
		python3 - "$json" "$res" "$tag" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
lines = []
def walk(group, prefix):
    for case in group.get("test_cases", []):
        status = case["status"]
        tag = {"PASS": "PASS", "SKIP": "SKIP"}.get(status, "FAIL")
        name = (prefix + case["name"]).replace(" ", "_")
        lines.append(f"{tag} {sys.argv[3]}:{name}")
    for sub in group.get("sub_groups", []):
        walk(sub, f"{prefix}{sub['name']}.")
walk(data, "")
with open(sys.argv[2], "a") as f:
    for l in lines:
        print(l)
        f.write(l + "\n")
PY
	else
		fail "kunit.py parse produced no results"
	fi
	if ! grep -q '^\(PASS\|FAIL\|SKIP\) ' "$res"; then
		echo "kunit-run: $ver: no KUnit test ran" >&2
		echo "FAIL $tag:no-tests" | tee -a "$res"
	fi
	# the boot itself is one more result: the guest script ran to its end
	# and the kernel log has no bug report (KASAN, lockdep, kmemleak...)
	if [ "$qrc" -ne 0 ]; then
		echo "kunit-run: $ver: the guest failed (qemu-run rc $qrc: 3 = bug report, 124 = timeout, 125 = crash); console $console" >&2
		echo "FAIL $tag:guest" | tee -a "$res"
	else
		echo "PASS $tag:guest" | tee -a "$res"
	fi
}

for v in $kernels; do
	kunit_one "$v"
	cat "$logs/kunit-$v-results.txt" >> "$results"
done
npass=$(grep -c '^PASS ' "$results" || true)
nfail=$(grep -c '^FAIL ' "$results" || true)
nskip=$(grep -c '^SKIP ' "$results" || true)
echo "kunit: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
