#!/bin/bash
# Run buddybox's KUnit tests: build the test kernel (tools/testkernel.sh,
# cached), build buddybox_kunit.ko against it in build/testkernel, boot it in
# QEMU with a guest script that loads the module (its suites run on load and
# print KTAP on the console), and parse the KTAP with the kernel's kunit.py.
#   tools/kunit-run.sh [--results FILE]
# Prints `PASS|FAIL|SKIP kunit:<suite>.<case>` per test case and the totals;
# FILE gets the same lines.  Fails on a failed or crashed test, on no test at
# all, and on any bug report in the guest kernel's log (KASAN, lockdep, ...).
# Env: KUNIT_TIMEOUT (seconds, default 1200), BB_SRC (another source tree).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"
top=$BB_TOP

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
[ -n "$results" ] || results=$logs/kunit-results.txt
: > "$results"

fail() {	# fail MESSAGE: one failed result for the whole run
	echo "kunit-run: $*" >&2
	echo "FAIL kunit:run" | tee -a "$results"
	exit 1
}

"$here/deps.sh"
tk=$("$here/testkernel.sh") || fail "building the test kernel failed"
bzimage=$tk/arch/x86/boot/bzImage
src=$(bb_linux_src)
kunit_py=$src/tools/testing/kunit/kunit.py
[ -f "$kunit_py" ] || fail "$kunit_py missing"

out=$top/build/testkernel
bb_log "kunit-run: building the modules against $tk (log $logs/build-testkernel.log)"
if ! "$here/build-module.sh" "$tk" "$out" > "$logs/build-testkernel.log" 2>&1; then
	tail -n 30 "$logs/build-testkernel.log" >&2
	fail "the module build failed"
fi
[ -f "$out/buddybox_kunit.ko" ] || fail "no buddybox_kunit.ko was built (is kunit/ in Kbuild?)"

initrd=$top/build/kunit.cpio.gz
"$here/initramfs.sh" "$initrd" "$out/buddybox_kunit.ko" "$here/harness/kunit.sh"
console=$logs/kunit-console.log
bb_log "kunit-run: booting the test kernel (console $console)"
qrc=0
"$here/qemu-run.sh" --kernel "$bzimage" --initrd "$initrd" --script kunit.sh \
	--smp 2 --mem 2G --timeout "${KUNIT_TIMEOUT:-1200}" --log "$console" || qrc=$?

# The suites of a module print no top-level KTAP header: take the lines the
# guest script framed, drop console timestamps and give them a header.
ktap=$logs/kunit.ktap
body=$(tr -d '\r' < "$console" | sed -n '/^BB-KUNIT-BEGIN/,/^BB-KUNIT-END/p' |
	sed -e '1d' -e '/^BB-KUNIT-END/d' -e 's/^\[ *[0-9]*\.[0-9]*\] //')
nsuites=$(printf '%s\n' "$body" | grep -c '^    # Subtest: ' || true)
{ printf 'KTAP version 1\n1..%s\n' "$nsuites"; printf '%s\n' "$body"; } > "$ktap"

json=$logs/kunit.json
rm -f "$json"
python3 "$kunit_py" parse --json="$json" "$ktap" > "$logs/kunit-parse.txt" 2>&1 || true
sed 's/^\[[0-9:]*\] //' "$logs/kunit-parse.txt" | grep -v "^Test results stored" || true

[ -f "$json" ] || fail "kunit.py parse produced no results"
python3 - "$json" "$results" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
lines = []
def walk(group, prefix):
    for case in group.get("test_cases", []):
        status = case["status"]
        tag = {"PASS": "PASS", "SKIP": "SKIP"}.get(status, "FAIL")
        name = (prefix + case["name"]).replace(" ", "_")
        lines.append(f"{tag} kunit:{name}")
    for sub in group.get("sub_groups", []):
        walk(sub, f"{prefix}{sub['name']}.")
walk(data, "")
with open(sys.argv[2], "a") as f:
    for l in lines:
        print(l)
        f.write(l + "\n")
PY

npass=$(grep -c '^PASS ' "$results" || true)
nfail=$(grep -c '^FAIL ' "$results" || true)
nskip=$(grep -c '^SKIP ' "$results" || true)
if [ $((npass + nfail + nskip)) -eq 0 ]; then
	echo "kunit-run: no KUnit test ran" >&2
	echo "FAIL kunit:no-tests" | tee -a "$results"
	nfail=$((nfail + 1))
fi
# the boot itself is one more result: the guest script ran to its end and
# the kernel log has no bug report (KASAN, lockdep, kmemleak, WARNING...)
if [ "$qrc" -ne 0 ]; then
	echo "kunit-run: the guest failed (qemu-run rc $qrc: 3 = bug report, 124 = timeout, 125 = crash); console $console" >&2
	echo "FAIL kunit:guest" | tee -a "$results"
	nfail=$((nfail + 1))
else
	echo "PASS kunit:guest" | tee -a "$results"
	npass=$((npass + 1))
fi
echo "kunit: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
