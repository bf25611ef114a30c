#!/bin/bash
# Every buddybox test, in stages; the one command CI runs (.ci/run):
#   tools/run-tests.sh [stage...]        stages: style usr dkms kunit e2e
#   style  checkpatch --strict; W=1 and sparse builds on 6.1 and 6.12 (5 results)
#   usr    the core in user space (tools/bbsim/tests/run.sh): ASan+UBSan
#          seeded runs, replays, bbsim, its daemons, 60 s of libFuzzer,
#          callgrind, and bbsim against the module in a one-vCPU guest
#   dkms   dkms add/build/install/remove on 6.1 and 6.12, the .deb (3 results)
#   kunit  the KUnit suites on the 6.1 and 6.12 test kernels (1 per case)
#   e2e    tools/guest/t_*.sh on Debian's 6.1 and 6.12 kernels and the two
#          test kernels, as E2E_MATRIX in tools/e2e-run.sh says (1 per boot)
# Prints `PASS name` / `FAIL name` per result, the time of each stage, and
# last a line `N passed, N failed`.  Exits 0 only when nothing failed.
# Logs: build/logs/ (run-tests.log has every stage's full output).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top"
# shellcheck source=tools/lib.sh
. "$here/lib.sh"

stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(style usr dkms kunit e2e)
for s in "${stages[@]}"; do
	case "$s" in style|usr|dkms|kunit|e2e) ;; *) echo "run-tests: unknown stage $s" >&2; exit 2 ;; esac
done

bb_lock
logs=$top/build/logs
rm -rf "$logs"
mkdir -p "$logs"
all=$logs/results.txt
: > "$all"
timings=()

echo "run-tests: $(date -u +%FT%TZ), stages: ${stages[*]}; logs in build/logs/"
t0=$(date +%s)
if ! "$here/deps.sh" > "$logs/deps.log" 2>&1; then
	tail -n 30 "$logs/deps.log"
	echo "FAIL deps" | tee -a "$all"
	echo "0 passed, 1 failed"
	exit 1
fi
timings+=("deps $(( $(date +%s) - t0 ))s")

run_stage() {	# run_stage NAME CMD...: its results go to build/logs/<NAME>-results.txt
	local name=$1 res=$logs/$1-results.txt log=$logs/stage-$1.log rc=0 t
	shift
	echo "=== stage $name"
	t=$(date +%s)
	: > "$res"
	"$@" --results "$res" > "$log" 2>&1 || rc=$?
	t=$(( $(date +%s) - t ))
	timings+=("$name ${t}s")
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$res"; then
		echo "FAIL $name" >> "$res"	# it failed without saying what
	fi
	if [ "$rc" -ne 0 ]; then
		echo "--- stage $name failed (rc $rc), last lines of build/logs/stage-$name.log:"
		grep -v '^\(PASS\|FAIL\|SKIP\) ' "$log" | tail -n 40 | sed 's/^/    /'
	fi
	cat "$res"
	cat "$res" >> "$all"
	echo "--- stage $name: ${t}s"
}

for s in "${stages[@]}"; do
	case "$s" in
	style) run_stage style "$here/style.sh" ;;
	usr) run_stage usr "$here/bbsim/tests/run.sh" ;;
	dkms) run_stage dkms "$here/dkms-test.sh" ;;
	kunit) run_stage kunit "$here/kunit-run.sh" ;;
	e2e) run_stage e2e "$here/e2e-run.sh" ;;
	esac
done

npass=$(grep -c '^PASS ' "$all" || true)
nfail=$(grep -c '^FAIL ' "$all" || true)
nskip=$(grep -c '^SKIP ' "$all" || true)
timings+=("total $(( $(date +%s) - t0 ))s")
echo "=== timings: ${timings[*]}"
if [ "$nfail" -gt 0 ]; then
	echo "=== failed:"
	grep '^FAIL ' "$all" | sed 's/^/    /'
	# why, as the stages recorded it (e2e: the failed checks)
	if [ -s "$logs/failures.txt" ]; then
		echo "=== why (build/logs/failures.txt):"
		head -n 120 "$logs/failures.txt" | sed 's/^/    /'
	fi
fi
if [ "$nskip" -gt 0 ]; then
	echo "$npass passed, $nfail failed, $nskip skipped"
else
	echo "$npass passed, $nfail failed"
fi
[ "$nfail" -eq 0 ]
